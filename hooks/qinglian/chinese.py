"""Chinese-text helpers every stage shares: the Han character range, pinyin slugs, OpenCC's character tables.

One of each: the content checks (content/checks/text.py), the catalog's tag addresses (site/catalog.py), the
new-story command (content/scaffold.py) and the search index (outputs/search.py) use these.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# Han ideographs: CJK Unified Ideographs Extension A, CJK Unified Ideographs, CJK Compatibility Ideographs.
HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
HAN = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_BLOCKS)  # for a regex character class


def slugify(text: str) -> str:
    """Pinyin slug of Chinese text; Latin words and numbers kept whole: 清廉家书 2023 -> qing-lian-jia-shu-2023."""
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(text, errors=lambda chars: [chars])
    slug = "-".join(w.lower() for w in words)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-")


@lru_cache(maxsize=8)
def opencc_characters(name: str) -> dict[str, tuple[str, ...]]:
    """One of OpenCC's character tables (e.g. 'TSCharacters.txt'): single character -> its candidates, in order."""
    import opencc_purepy

    table: dict[str, tuple[str, ...]] = {}
    path = Path(opencc_purepy.__file__).parent / "dicts" / name
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values.split():
            table.setdefault(key, tuple(values.split()))  # a repeated key: its first line counts
    return table

"""Cost of the drawn title cards (hooks/qinglian/site/covers.py) per story, without the cache.

    .venv/bin/python bench/covers_bench.py [N]      # N synthetic stories (default 200)

Prints ms per cover for the SVG, the PNG drawn in this process, and `cover_files` as a build calls it (all
cores when there are many PNGs to draw), plus the PNG sizes. Titles are synthetic (测试故事第N篇 and a
longer variant), spread over the three collections and the ten unit types.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from qinglian.content.contract import COLLECTIONS  # noqa: E402
from qinglian.content.load import Story  # noqa: E402
from qinglian.site import covers  # noqa: E402

UNIT_TYPES = ("organ", "village", "school", "hospital", "enterprise", "park", "chamber", "family", "scenic", "hall")


def stories(n: int) -> list[Story]:
    out = []
    for i in range(n):
        key = ("officials", "letters", "units")[i % 3]
        title = f"测试故事第{i}篇" if i % 2 else f"测试故事第{i}篇：一个较长的标题用来测试换行与字号"
        meta = {"title": title, "unit_type": UNIT_TYPES[i % 10] if key == "units" else None}
        out.append(Story(COLLECTIONS[key], f"ce-shi-{i}", ROOT / f"x{i}.md", f"x{i}.md", meta, "", 1))
    return out


def main(n: int) -> None:
    items = stories(n)
    covers.serif_font_file()
    covers.png(items[0])  # fonts loaded once per process
    start = time.perf_counter()
    for story in items:
        covers.svg(story)
    svg_ms = (time.perf_counter() - start) * 1000 / n
    sizes, start = [], time.perf_counter()
    for story in items:
        sizes.append(len(covers.png(story)))
    png_ms = (time.perf_counter() - start) * 1000 / n
    start = time.perf_counter()
    covers.cover_files(items)
    files_ms = (time.perf_counter() - start) * 1000 / n
    print(
        f"{n} covers: SVG {svg_ms:.2f} ms, PNG {png_ms:.1f} ms (one process), cover_files {files_ms:.1f} ms per story"
    )
    print(f"PNG bytes: median {statistics.median(sizes):,.0f}, max {max(sizes):,}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

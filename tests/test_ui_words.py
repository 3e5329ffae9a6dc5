"""UI words live in one place (hooks/qinglian/site/ui.py) and collection names in another (the content contract):
templates and scripts hold no Chinese words of their own, and everything that names a collection says what the
contract declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from qinglian.content.contract import COLLECTIONS
from qinglian.site.ui import UI

TEMPLATES = REPO / "docs" / "overrides"
SCRIPTS = REPO / "docs" / "assets" / "javascripts"  # the site's own scripts; vendor/ holds others' code
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
FIX = (
    "move the words to hooks/qinglian/site/ui.py: a template reads them as ui.… or kiosk_ui.…; a script gets "
    'them from its page (data-ql-say="{{ ui.… | say | e }}", as search.js, read-aloud.js and take-home.js do)'
)


def _blank(match: re.Match) -> str:
    """A comment's text replaced by its line breaks, so the lines after it keep their numbers."""
    return "\n" * match.group(0).count("\n")


def _without_comments(path: Path, text: str) -> str:
    if path.suffix == ".js":
        text = re.sub(r"/\*.*?\*/", _blank, text, flags=re.S)
        return re.sub(r"(?<![:\"'\\])//.*", "", text)  # not the // of "https://"
    text = re.sub(r"\{#.*?#\}", _blank, text, flags=re.S)
    return re.sub(r"<!--.*?-->", _blank, text, flags=re.S)


def chinese_lines(path: Path, text: str) -> list[str]:
    """Each line of a template or script that holds a Chinese word outside a comment, as path:line: text."""
    return [
        f"{path.relative_to(REPO) if path.is_absolute() else path}:{number}: {line.strip()}"
        for number, line in enumerate(_without_comments(path, text).splitlines(), 1)
        if IDEOGRAPH.search(line)
    ]


def _site_files() -> list[Path]:
    return sorted([*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.xml"), *SCRIPTS.glob("*.js")])


def test_the_scan_finds_words_and_skips_comments():
    script = '/* 朗读 */\nvar a = "https://x"; // 搜索框\nel.setAttribute("aria-label", "搜索");\n'
    assert chinese_lines(Path("x.js"), script) == ['x.js:3: el.setAttribute("aria-label", "搜索");']
    template = "{#- 清官廉吏 -#}\n<!-- 注释\n 两行 -->\n<dd>{{ ui.yes }}</dd>\n<dd>是</dd>\n"
    assert chinese_lines(Path("x.html"), template) == ["x.html:5: <dd>是</dd>"]


def test_templates_and_scripts_take_their_words_from_ui_py():
    files = _site_files()
    assert len(files) > 40 and any(p.suffix == ".js" for p in files)  # the scan sees the whole site
    found = [line for path in files for line in chinese_lines(path, path.read_text(encoding="utf-8"))]
    assert not found, f"Chinese words in templates or scripts; {FIX}:\n" + "\n".join(found)


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_what_names_a_collection_says_the_contract_name(key):
    name = COLLECTIONS[key].name
    assert UI[key] == name  # the townships table's column
    assert dict(UI["feeds"])[key] == f"清廉慈利：{name}"
    assert dict(UI["home_collections"])[key].startswith(name)
    assert dict(UI["search_browse"])[f"{key}/" if key != "units" else "unit-types/"] == name


def test_the_menu_names_collections_as_the_contract_does():
    """mkdocs.yml is not generated: its menu titles (which the kiosk edition's menu reuses) are held to the
    contract here."""
    import mkdocs.config

    pages = {"officials/index.md": "officials", "letters/index.md": "letters", "unit-types/index.md": "units"}
    nav = mkdocs.config.load_config(str(REPO / "mkdocs.yml")).nav
    titles = {page: title for entry in nav for title, page in entry.items() if isinstance(page, str)}
    for page, key in pages.items():
        assert titles[page] == COLLECTIONS[key].name, f"mkdocs.yml nav: the title of {page}"

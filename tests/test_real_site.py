"""The repository's own site, with whatever stories it holds today (session fixture `real_site`).

Every assertion here is a relation that holds for any valid content: the build is strict, each story file
has its page with its own title, every collection index lists exactly its stories, every relative link and
asset resolves, and the pages of each kind pass axe-core. Nothing names or counts a real story: adding,
retitling or removing one keeps these tests green (tests/test_content_independence.py proves it).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from test_reading_build import _broken_links, _pages

from browser_support import serve_dir
from conftest import REPO
from qinglian.content.contract import COLLECTIONS
from qinglian.content.load import load_content


@pytest.fixture(scope="module")
def content():
    found, problems = load_content(REPO)
    assert [str(p) for p in problems] == []
    return found


def _soup(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_story_has_its_page_with_its_title(real_site, content):
    for story in content.stories:
        page = _soup(real_site, story.url)
        assert page.select_one("article.ql-story h1").get_text(" ", strip=True) == story.title, story.url


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_collection_index_lists_exactly_its_stories(real_site, content, key):
    page = _soup(real_site, f"{key}/")
    listed = sorted(urljoin(f"/{key}/", a["href"]) for a in page.select(".ql-cards .ql-card > a"))
    assert listed == sorted(f"/{s.url}" for s in content.collection(key))
    # one count per list (the letters index has two: 慈利家书 and 历代家训)
    counts = [int(re.search(r"共 (\d+) 篇", c.get_text())[1]) for c in page.select(".ql-count")]
    assert sum(counts) == len(content.collection(key))


def test_every_relative_link_and_asset_resolves(real_site):
    broken = {
        rel: links[:5] for rel in _pages(real_site) if rel != "404.html" if (links := _broken_links(real_site, rel))
    }
    assert broken == {}


@pytest.fixture(scope="module")
def real_server(real_site):
    with serve_dir(real_site) as base:
        yield base


def _axe_pages(content) -> dict[str, str]:
    """The home page, the 投稿 page in both modes, and the index and first story of each collection."""
    pages = {"home": "", "submit": "tougao/", "correction": "tougao/?about=officials/&title=%E6%B5%8B%E8%AF%95"}
    for key in COLLECTIONS:
        stories = content.collection(key)
        if stories:
            pages[key] = stories[0].url
            pages[f"{key} index"] = f"{key}/"
    return pages


def test_pages_of_each_kind_pass_axe(page, real_server, content):
    axe = Axe()
    serious = {}
    for name, url in _axe_pages(content).items():
        page.goto(real_server + url)
        found = [
            f"{v['impact']} {v['id']}: {v['help']}"
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if found:
            serious[f"{name} /{url}"] = found
    assert serious == {}

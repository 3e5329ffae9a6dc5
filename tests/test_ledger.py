"""The verification ledger (核实台账): every unverified story and fact, with what it rests on and needs."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from contentkit import check, make_project, write_story
from qinglian.site.catalog import build_catalog
from qinglian.site.ledger import build_ledger
from qinglian.site.pages import plan_site
from qinglian.site.ui import UI


@pytest.fixture(scope="module")
def plan(fixture_project):
    return plan_site(fixture_project)  # the stories built_site was built from


def ledger_of(root):
    content, problems = check(root, include_drafts=False)
    assert problems == []
    return build_ledger(build_catalog(content))


def test_unverified_stories_townships_and_figures_are_listed_with_what_would_settle_them(tmp_path):
    root = make_project(tmp_path)
    (root / "data" / "townships.yml").write_text(
        "a: {name: 甲测试镇, kind: 镇, unverified: true, description: 测试。, sources: [{title: 测试资料甲}]}\n"
        "b: {name: 乙测试乡, kind: 乡}\n",
        encoding="utf-8",
    )
    write_story(
        root,
        "officials",
        "o1",
        unverified=True,
        unverified_basis="只见于一篇回忆文章。",
        unverified_needs="县志原文。",
    )
    write_story(root, "letters", "l1", unverified=True)
    write_story(root, "units", "u1")
    write_story(root, "units", "u2", unverified=False)
    ledger = ledger_of(root)
    by_title = {entry.title: entry for entry in ledger.entries}
    official = by_title["测试故事（o1）"]
    assert (official.basis, official.needs, official.url) == ("只见于一篇回忆文章。", "县志原文。", "officials/o1/")
    assert official.sources == [{"title": "测试资料"}]
    assert by_title["测试故事（l1）"].needs == UI["ledger_needs_default"]  # the editor said nothing more
    assert by_title["甲测试镇"].sources == [{"title": "测试资料甲"}]
    assert "乙测试乡" not in by_title and "测试故事（u1）" not in by_title
    target = [e for e in ledger.entries if e.kind == UI["ledger_kind_data"]]
    site = check(root)[0].data.site["campaign"]
    assert len(target) == (1 if site.get("demonstration_target_unverified") else 0)
    assert (ledger.verified, ledger.stories, ledger.verified_percent) == (2, 4, 50)


def test_the_ledger_page_lists_every_unverified_story_of_the_site(built_site, plan):
    page = BeautifulSoup((built_site / "verification" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(strip=True) == UI["ledger"]
    links = {a["href"] for a in page.select("article h2 a")}
    for story in plan.content.stories:
        assert (f"../{story.url}" in links) == bool(story.meta.get("unverified")), story.rel
    assert page.find("a", string=UI["ledger_send"])
    dashboard = (built_site / "dashboard" / "index.html").read_text(encoding="utf-8")
    ledger = build_ledger(plan.catalog)
    assert UI["verified_share"] % (ledger.verified, ledger.stories, ledger.verified_percent) in dashboard

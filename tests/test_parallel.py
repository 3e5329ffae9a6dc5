"""`mkdocs build` renders half of the story pages in a second process (hooks/qinglian/build/parallel.py).

The site must come out the same as from one process, and what goes wrong in the second process (a
strict-mode warning, say) must fail the build as it would in one, leaving the last good site in place.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import build_output, build_site, copy_fixture_project, copy_project, site_files
from qinglian.site.pages import plan_site

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the second process needs os.fork (POSIX)"),
]

SPLIT_LOG = re.compile(r"第二个进程用 [\d.]+ 秒生成了 (\d+) 个故事页，本进程 (\d+) 个")


def _files(site: Path) -> dict[str, str]:
    """Every file but the search bundle (Pagefind names some of its files differently on every run)."""
    return site_files(site, skip=("pagefind",))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("parallel") / "project")


def _build(project: Path, site: Path, jobs: int, monkeypatch):
    monkeypatch.setenv("QINGLIAN_JOBS", str(jobs))
    return build_site(project / "mkdocs.yml", site, cwd=project)


def test_two_processes_build_the_same_site_as_one(project, tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    single = _build(project, one, 1, monkeypatch)
    assert single.returncode == 0, build_output(single)
    double = _build(project, two, 2, monkeypatch)
    assert double.returncode == 0, build_output(double)

    stories = len(plan_site(project).content.stories)
    assert not SPLIT_LOG.search(single.stderr)
    split = SPLIT_LOG.search(double.stderr)
    assert split and int(split[1]) > 0 and int(split[1]) + int(split[2]) == stories  # each story once
    assert _files(one) == _files(two)  # every page, its 繁體 mirror, the sitemap, feeds and exports
    counts = [
        json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["und"][
            "page_count"
        ]
        for site in (one, two)
    ]
    assert counts[0] == counts[1] > stories  # the same search index: every story (and the campaign article)


def test_a_warning_in_the_second_process_fails_the_strict_build_and_keeps_the_site(project, tmp_path, monkeypatch):
    site = tmp_path / "site"
    good = _build(project, site, 2, monkeypatch)
    assert good.returncode == 0, build_output(good)
    before = _files(site)
    stories = sorted(p for p in (project / "stories").glob("*/*.md") if not p.parent.name.startswith("_"))
    originals = {path: path.read_text(encoding="utf-8") for path in stories}
    try:
        for path, text in originals.items():  # a broken link in every story: both processes warn
            path.write_text(text.rstrip("\n") + "\n\n[测试坏链接](no-such-page.md)\n", encoding="utf-8")
        broken = _build(project, site, 2, monkeypatch)
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, build_output(broken)
    assert "Traceback" not in output
    reported = re.search(r"第二个生成进程（(\d+) 个故事页）报告了 (\d+) 条警告", output)
    assert reported and reported[1] == reported[2] and int(reported[1]) > 0  # one broken link per story it rendered
    assert output.count("no-such-page.md") >= len(stories)  # each story's own warning, from either process
    assert "上一次成功构建" in output
    assert _files(site) == before
    assert not site.with_name("site.building").exists()


def test_two_processes_read_the_same_stories_and_problems_as_one(tmp_path, monkeypatch):
    """From content.PARALLEL_FROM story files on, two processes read and check them: same model, same messages."""
    from qinglian.content import load as content
    from synthetic import write_stories

    root = copy_project(tmp_path / "project")
    write_stories(root, content.PARALLEL_FROM + 50)
    broken = sorted((root / "stories" / "letters").glob("*.md"))[-1]  # one bad file among them
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")

    def load(jobs: str):
        monkeypatch.setenv("QINGLIAN_JOBS", jobs)
        model, problems = content.load_content(root)
        return [(s.rel, s.collection.key, s.meta, s.body) for s in model.stories], [str(p) for p in problems]

    one, two = load("1"), load("2")
    assert len(one[0]) > content.PARALLEL_FROM and one == two
    assert any(broken.name in problem and "titel" in problem for problem in two[1])
    assert all(s.collection is content.COLLECTIONS[s.collection.key] for s in content.load_content(root)[0].stories)


def test_with_a_plugin_the_build_stays_in_one_process_and_the_plugin_sees_every_story(tmp_path, monkeypatch):
    """A plugin collects what it sees of each page in its own process: Material's search index built in a split
    build lacked the stories the second process rendered (seen in bench/search_bench.py)."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nplugins: []" in text
    config.write_text(text.replace("\nplugins: []", "\nplugins: [search]"), encoding="utf-8")
    proc = _build(project, tmp_path / "site", 2, monkeypatch)
    assert proc.returncode == 0, build_output(proc)
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {s.url for s in plan_site(project).content.stories} <= indexed
    assert not SPLIT_LOG.search(proc.stderr) and "在一个进程中生成" in proc.stderr


ANCHOR_WARNING = re.compile(r"(\S+\.md):\d+: 链接“([^”]+)”里的小标题“[^”]*”，在 (\S+) 那一页找不到")


def test_links_to_missing_headings_fail_the_same_way_from_one_and_two_processes(tmp_path, monkeypatch):
    """A heading link (#…) is checked against the page it points to, whichever process rendered that page.
    MkDocs checks them when every page is rendered; with stories split between two processes, neither had
    all the pages, and links into the other process's stories went unchecked. The fixture stories: the count
    below must not move with the real letters (a real letter may link to another's heading)."""
    project = copy_fixture_project(tmp_path / "project")
    letters = sorted(p for p in (project / "stories" / "letters").glob("*.md"))
    targets = [f"../letters/{p.name}" for p in letters]
    for path, target in zip(letters, targets[1:] + targets[:1]):  # each letter links to the next one
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(text + f"\n\n[原文]({target}#原文) [没有的一节]({target}#没有这一节)\n", encoding="utf-8")
    campaign = project / "docs" / "campaign.md"
    links = "".join(f"[导读](letters/{p.name}#导读) [坏]({'letters/' + p.name}#无此节) " for p in letters)
    campaign.write_text(campaign.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + links + "\n", encoding="utf-8")

    def warnings(jobs: int) -> set:
        proc = _build(project, tmp_path / f"site-{jobs}", jobs, monkeypatch)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr, build_output(proc)
        return {m.groups() for m in ANCHOR_WARNING.finditer(proc.stderr)}

    one, two = warnings(1), warnings(2)
    assert len(one) == 2 * len(letters)  # the bad link in each letter and in the article; the good ones pass
    assert all("没有这一节" in link or "无此节" in link for _, link, _ in one)
    assert two == one

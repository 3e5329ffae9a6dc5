"""`mkdocs serve --dirty` re-renders only changed pages, and every page that shows a change is among them.

The unit part (no MkDocs) checks the page fingerprints of hooks/qinglian/build/incremental.py against the built
site: a page whose HTML shows a story's title must be re-rendered when that title changes. The serve part
runs the real `mkdocs serve --dirty` on a project copy and reads the pages an editor would look at.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_fixture_project
from qinglian.build.incremental import changed_pages, page_fingerprints
from qinglian.site import catalog
from qinglian.site.pages import plan_site

STORY = "stories/letters/bao-zheng-jiaxun.md"
TITLE = "包拯《家训》"


def _output_uri(html: Path, site: Path) -> str:
    """letters/index.html -> letters/index.md; tags/jia-feng/index.html -> tags/jia-feng.md."""
    rel = html.relative_to(site).parent.as_posix()
    return f"{rel}.md" if "/" in rel else f"{rel}/index.md"


def test_text_edit_rebuilds_only_that_story(tmp_path):
    root = copy_fixture_project(tmp_path)
    before = page_fingerprints(plan_site(root))
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8") + "\n新增的一段正文。\n", encoding="utf-8")
    after = page_fingerprints(plan_site(root))
    assert changed_pages(before, after) == {"letters/bao-zheng-jiaxun.md"}


def test_title_edit_rebuilds_every_page_that_shows_the_title(tmp_path, built_site):
    root = copy_fixture_project(tmp_path)
    plan = plan_site(root)
    before = page_fingerprints(plan)
    story = root / STORY
    story.write_text(
        story.read_text(encoding="utf-8").replace(f"title: {TITLE}", f"title: {TITLE}（修订）", 1), encoding="utf-8"
    )
    changed = changed_pages(before, page_fingerprints(plan_site(root)))

    showing = {
        _output_uri(html, built_site)
        for html in built_site.rglob("index.html")
        if TITLE in html.read_text(encoding="utf-8")
    }
    showing &= set(plan.pages)  # hand-written pages are always rebuilt
    assert len(showing) >= 4  # its own page, its collection, its tags, related stories elsewhere
    assert showing <= changed, f"pages showing the old title that would stay stale: {sorted(showing - changed)}"
    assert "units/qinglian-shanghui.md" not in changed  # shares nothing with it: not rebuilt


def test_related_stories_reused_only_when_their_inputs_are_unchanged(tmp_path):
    root = copy_fixture_project(tmp_path)
    before = plan_site(root)
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    # moving the story into another tag changes what the memo reads: the answer must be recomputed
    story.write_text(text.replace("tags: [家训, 家风,", "tags: [家训, 两袖清风,", 1), encoding="utf-8")
    remembered = plan_site(root)
    catalog._last_related["key"] = None  # forget: compute from scratch
    fresh = plan_site(root)
    as_uris = lambda plan: {s.src_uri: [r.src_uri for r in s.related] for s in plan.content.stories}  # noqa: E731
    assert as_uris(remembered) == as_uris(fresh)
    assert as_uris(fresh)["letters/bao-zheng-jiaxun.md"] != as_uris(before)["letters/bao-zheng-jiaxun.md"]


# ---- the real `mkdocs serve --dirty` ---------------------------------------------------------------


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return f"HTTP {err.code}"
    except OSError:
        return None


def _wait(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def _serve(root: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = root / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            if not _wait(lambda: "<html" in (_get(base + "letters/") or ""), 180):
                pytest.fail(f"mkdocs serve --dirty did not come up:\n{log.read_text(errors='replace')[-3000:]}")
            yield base, log
        finally:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()


@pytest.mark.slow
def test_serve_dirty_shows_a_title_edit_everywhere_and_drops_a_deleted_story(tmp_path):
    root = copy_fixture_project(tmp_path)
    plan = plan_site(root)
    # a story shown as a related card on another story's page (whichever the content makes so)
    shown_on = next(s for s in plan.content.stories if s.related)
    edited = shown_on.related[0]
    new_title = "测试预览修订的标题"
    with _serve(root) as (base, log):
        time.sleep(1.5)  # the watcher starts after the first build
        edited.path.write_text(
            edited.path.read_text(encoding="utf-8").replace(f"title: {edited.title}", f"title: {new_title}", 1),
            encoding="utf-8",
        )
        assert _wait(lambda: new_title in (_get(base + edited.url) or ""), 120), log.read_text(errors="replace")[-3000:]
        # pages that only show the story — its collection, a tag, a related story's card — are not stale
        for page in (f"{edited.collection.key}/", plan.catalog.terms_of(edited)[0].url, shown_on.url):
            html = _get(base + page) or ""
            assert new_title in html and f">{edited.title}<" not in html, page
        assert "增量预览：重新生成" in log.read_text(errors="replace")
        # the 繁體 mirror re-converts only re-rendered pages, and those it does: the edit shows there too
        assert "測試預覽修訂的標題" in (_get(base + "zh-hant/" + edited.url) or "")

        (root / "stories/units/qinglian-shanghui.md").unlink()
        assert _wait(lambda: "清廉商会：倡议" not in (_get(base + "units/") or "清廉商会：倡议"), 120)
        assert (_get(base + "units/qinglian-shanghui/") or "").startswith("HTTP 404")

"""The 繁體 edition's conversion exceptions: the project's phrase table, a story's own, and the review list.

Classical texts use characters in senses OpenCC's modern phrase tables get wrong (first-person 余 becomes 餘,
云 “said” becomes 雲). These tests use small projects of their own, never the real stories.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, build_output, build_site, copy_project, keep_quotes_of_present_stories
from contentkit import check, make_project, write_story
from qinglian.content import hant
from qinglian.outputs import editions

CLASSICAL_BODY = "## 原文\n\n> 余为少慰。凡人多望子孙为大官，余不愿为大官。家训云：“勤俭。”\n"


def test_without_exceptions_opencc_misreads_classical_characters():
    # What the exceptions are for: if OpenCC ever gets these right by itself, the table can shrink.
    assert hant.to_traditional("余为少慰") == "餘為少慰"
    assert hant.to_traditional("家训云") == "家訓雲"


def test_phrases_override_opencc_and_the_rest_is_still_converted():
    phrases = {"余为": "余為", "家训云": "家訓云"}
    assert hant.to_traditional("余为少慰，家训云：后世", phrases) == "余為少慰，家訓云：後世"
    assert hant.to_traditional("其余", phrases) == "其餘"  # only the listed phrase is exempt


def test_the_mirror_uses_the_project_table_everywhere_and_a_story_table_on_its_page():
    source = '<html lang="zh"><p>家训云。余为少慰。</p>'
    pages = {"index.html", "letters/a/index.html"}
    mirror = editions.TraditionalMirror(
        Path("/nonexistent"), None, pages, {"家训云": "家訓云"}, {"letters/a/index.html": {"余为": "余為"}}
    )
    story = editions.mirror_page(source, "letters/a/index.html", pages, None, {**mirror.phrases, "余为": "余為"})
    other = editions.mirror_page(source, "index.html", pages, None, mirror.phrases)
    assert "家訓云。余為少慰。" in story
    assert "家訓云。餘為少慰。" in other


def test_a_built_story_page_uses_its_exceptions(tmp_path):
    root = copy_project(tmp_path / "project")
    for story in (root / "stories").glob("*/*.md"):
        story.unlink()  # only this test's stories
    keep_quotes_of_present_stories(root)  # data/site.yml's quotes name real stories
    (root / "data" / "hant-phrases.yml").write_text("家训云: 家訓云\n", encoding="utf-8")
    write_story(root, "letters", "gu-wen", body=CLASSICAL_BODY, classical=True, hant="{余为: 余為, 余不: 余不}")
    write_story(root, "letters", "jin-ren", body="余为少慰。家训云。\n")
    proc = build_site(root / "mkdocs.yml", tmp_path / "site", cwd=root)
    assert proc.returncode == 0, build_output(proc)
    story = (tmp_path / "site" / "zh-hant" / "letters" / "gu-wen" / "index.html").read_text(encoding="utf-8")
    other = (tmp_path / "site" / "zh-hant" / "letters" / "jin-ren" / "index.html").read_text(encoding="utf-8")
    assert "余為少慰" in story and "余不願為大官" in story and "家訓云" in story
    assert "餘為少慰" in other and "家訓云" in other  # the project table applies to every page


def test_a_new_classical_story_gets_its_ambiguous_characters_listed(tmp_path):
    root = make_project(tmp_path)
    (root / "data" / "hant-phrases.yml").write_text("# 没有例外\n", encoding="utf-8")
    rel = write_story(root, "letters", "gu-wen", body=CLASSICAL_BODY, classical=True)
    write_story(root, "letters", "jin-ren", body="余为少慰。\n")  # not classical: not listed
    proc = subprocess.run(
        [sys.executable, str(REPO / "hooks" / "check.py"), str(root), "--hant"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listed = [line for line in proc.stdout.splitlines() if line.startswith(rel)]
    assert any("【余】为少慰" in line and line.endswith("余→餘") for line in listed), listed
    assert any("家训【云】" in line and line.endswith("云→雲") for line in listed), listed
    assert not any(line.startswith("stories/letters/jin-ren") for line in proc.stdout.splitlines())


def test_review_names_the_line_and_the_rendering_chosen():
    readings = hant.review("第一行\n余为少慰\n", 10, {"余为": "余為"})
    assert [(r.line, r.char, r.rendering) for r in readings] == [(11, "余", "余")]
    assert "【余】为少慰" in readings[0].context


def test_an_exception_may_not_change_the_number_of_characters(tmp_path):
    root = make_project(tmp_path)
    (root / "data" / "hant-phrases.yml").write_text("家训云: 家訓\n", encoding="utf-8")
    write_story(root, "letters", "gu-wen", body=CLASSICAL_BODY, hant="{余为: 余為之}")
    _, problems = check(root)
    assert any(p.startswith("data/hant-phrases.yml:1: ") and "家训云" in p for p in problems), problems
    assert any(p.startswith("stories/letters/gu-wen.md:") and "字段 hant" in p for p in problems), problems
    assert len(problems) == 2, problems


def test_a_story_table_is_traditional_on_purpose(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "gu-wen", body=CLASSICAL_BODY, hant="{余不愿为: 余不願為}")
    assert check(root)[1] == []  # not reported as Traditional characters mixed into a Simplified story

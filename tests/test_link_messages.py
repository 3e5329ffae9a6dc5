"""MkDocs' link warnings reach editors as located Chinese messages naming the file they edit.

MkDocs names a story by its place in the site ('letters/x.md'), which is not a file in the repository
(stories/letters/x.md), and writes in English. hooks/qinglian/build/link_messages.py rewords the warnings.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import build_output, build_site, copy_fixture_project
from qinglian.build import link_messages


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "stories" / "letters" / "x.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\ntitle: 测试\n---\n\n正文。\n\n见[原文](../letters/y.md#原文)和[别处](nowhere.md)。\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def reword(story):
    sources = {"letters/x.md": ("stories/letters/x.md", story), "letters/y.md": ("stories/letters/y.md", story)}
    return link_messages.LinkMessages(sources.get).reword


def test_a_missing_page_names_the_story_file_its_line_and_the_fix(reword):
    text = reword(
        "Doc file 'letters/x.md' contains a link 'nowhere.md', but the target 'letters/nowhere.md' is not "
        "found among documentation files. Did you mean '../letters/y.md'?"
    )
    assert text.startswith("stories/letters/x.md:7: 链接“nowhere.md”指向的文件不存在。")
    assert "是不是想写“../letters/y.md”？" in text and "修改：" in text


def test_a_missing_heading_names_both_files_as_the_repository_does(reword):
    text = reword(
        "Doc file 'letters/x.md' contains a link '../letters/y.md#原文', but the doc 'letters/y.md' "
        "does not contain an anchor '#原文'."
    )
    assert text.startswith(
        "stories/letters/x.md:7: 链接“../letters/y.md#原文”里的小标题“原文”，在 stories/letters/y.md 那一页找不到。"
    )


def test_generated_pages_and_other_messages_are_left_as_mkdocs_wrote_them(reword):
    generated = (
        "Doc file 'tags/x.md' contains a link 'nowhere.md', but the target is not found among documentation files."
    )
    assert reword(generated) is None
    assert reword("Some other warning about 'letters/x.md'.") is None


def test_the_filter_keeps_the_level_so_strict_mode_still_counts_it(story):
    logger = logging.getLogger(link_messages.LOGGER)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    messages = link_messages.install({"letters/x.md": ("stories/letters/x.md", story)}.get)
    try:
        logger.warning(
            "Doc file '%s' contains a link '%s', but the target is not found among documentation files.",
            "letters/x.md",
            "nowhere.md",
        )
    finally:
        for name in link_messages.LOGGERS:
            logging.getLogger(name).removeFilter(messages)
        logger.removeHandler(handler)
    assert [r.levelno for r in records] == [logging.WARNING]
    assert records[0].getMessage().startswith("stories/letters/x.md:7: 链接“nowhere.md”")


@pytest.mark.slow
@pytest.mark.parametrize(
    "link, message",
    [
        ("../letters/no-such-letter.md", "指向的文件不存在。"),
        # the address of a page rather than its file: relative to the story's own address, it leads nowhere
        ("../letters/zhuge-liang-jiezishu/", "既不是站内的 .md 文件，也不是完整网址。"),
    ],
)
def test_a_broken_link_in_a_story_fails_the_build_with_the_located_message(tmp_path, link, message):
    project = copy_fixture_project(tmp_path / "project")
    path = project / "stories" / "officials" / "yuan-renyuan.md"
    lines = path.read_text(encoding="utf-8").rstrip("\n").splitlines()
    path.write_text("\n".join([*lines, "", f"参见[另一篇]({link})。", ""]), encoding="utf-8")
    proc = build_site(project / "mkdocs.yml", tmp_path / "site", cwd=project)
    assert proc.returncode != 0, build_output(proc)
    line = len(lines) + 2
    assert f"stories/officials/yuan-renyuan.md:{line}: 链接“{link}”{message} 修改：" in proc.stderr, build_output(proc)
    assert "Doc file" not in proc.stderr and "Traceback" not in proc.stderr

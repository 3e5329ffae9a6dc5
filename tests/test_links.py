"""Broken relative links in stories and docs pages fail the build with located Chinese messages naming the file
editors edit (hooks/qinglian/build/links.py), before MkDocs renders anything; MkDocs' English warnings never
reach them.
"""

from __future__ import annotations

import pytest
from pymdownx.slugs import slugify as slugs

from conftest import build_output, build_site, copy_project
from qinglian.build.links import Source, check_links, heading_ids

slugify = slugs(case="lower")  # the toc slugify of mkdocs.yml
TARGETS = {"letters/x.md", "letters/y.md", "officials/z.md", "index.md", "assets/images/a.png"}


def _messages(text: str, src_uri: str = "letters/x.md", first_line: int = 5, others=()) -> list[str]:
    sources = [Source(src_uri, f"stories/{src_uri}", text, first_line), *others]
    return [str(p) for p in check_links(sources, TARGETS, slugify)]


def test_a_missing_page_names_the_story_file_its_line_and_a_suggestion():
    (message,) = _messages("正文。\n\n见[别处](../officials/y.md)。\n")
    assert message.startswith("stories/letters/x.md:7: 链接“../officials/y.md”指向的文件不存在。")
    assert "是不是想写“y.md”？" in message and "修改：" in message


def test_a_page_address_instead_of_its_file_is_unrecognized():
    (message,) = _messages("见[另一篇](../officials/z/)。\n", first_line=1)
    assert message.startswith("stories/letters/x.md:1: 链接“../officials/z/”既不是站内的 .md 文件，也不是完整网址。")


def test_a_missing_heading_names_the_target_as_the_repository_does():
    target = Source("letters/y.md", "stories/letters/y.md", "## 原文\n\n正文\n")
    ok = _messages("[原文](y.md#原文)\n", others=[target])
    (bad,) = _messages("[注释](y.md#注释)\n", others=[target])
    assert ok == []
    assert bad.startswith(
        "stories/letters/x.md:5: 链接“y.md#注释”里的小标题“注释”，在 stories/letters/y.md 那一页找不到。"
    )


def test_links_to_own_headings_images_full_addresses_and_code_pass():
    text = (
        "## 家风 *传承*\n\n[上文](#家风-传承) ![图](../assets/images/a.png) [外](https://example.org/x)\n"
        "[站](/index.md) `[代码](nowhere.md)`\n\n```\n[代码块](nowhere.md)\n```\n[ref]: ../officials/z.md\n"
        "[^1]: 注释的文字。\n"
    )
    assert _messages(text) == []
    assert _messages("[无](#没有)\n") == [
        "stories/letters/x.md:5: 链接“#没有”指向本页的小标题，但本页没有这个小标题。 修改：核对 # 后面的文字与本页小标题是否一致。"
    ]


def test_heading_ids_follow_the_toc_rules_for_repeats_and_explicit_ids():
    assert heading_ids("# 一\n## 一\n### 二 {#two}\n", slugify) >= {"一", "一_1", "two"}


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
    project = copy_project(tmp_path / "project")
    path = project / "stories" / "officials" / "yuan-renyuan.md"
    lines = path.read_text(encoding="utf-8").rstrip("\n").splitlines()
    path.write_text("\n".join([*lines, "", f"参见[另一篇]({link})。", ""]), encoding="utf-8")
    proc = build_site(project / "mkdocs.yml", tmp_path / "site", cwd=project)
    assert proc.returncode != 0, build_output(proc)
    line = len(lines) + 2
    assert f"stories/officials/yuan-renyuan.md:{line}: 链接“{link}”{message} 修改：" in proc.stderr, build_output(proc)
    assert "Doc file" not in proc.stderr and "Traceback" not in proc.stderr

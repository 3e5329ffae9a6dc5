"""Hostile input: every file under stories/, docs/ and data/ arrives by pull request.

One test per class of attack (issue 12): parser bombs, nesting, sizes, odd bytes, unknown placeholders, a
failure in one file hiding the others, escape codes in messages, slugs, symbolic links, private data in
disguise, spreadsheet formulas and runaway tag lists. The checker runs in a subprocess with a time and memory
limit, so a regression fails the test instead of eating the machine.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, build_output, build_site, copy_project
from contentkit import check, front_matter, make_project, story_fields, write_raw, write_story
from qinglian.content import checks
from qinglian.content.contract import LIMITS
from qinglian.content.load import load_content
from qinglian.content.private_data import KINDS, find
from qinglian.content.problems import Problem
from qinglian.outputs import exports

VECTORS = json.loads((REPO / "hooks/qinglian/content/private_data_vectors.json").read_text(encoding="utf-8"))
MEMORY_BYTES = 1536 * 1024 * 1024  # the checker needs a few hundred MB; a bomb would need many GB
SECONDS = 20  # each hostile check takes well under a second; this bounds a regression, not a target


def run_check(root: Path) -> tuple[int, str, float]:
    """`python hooks/check.py ROOT` under a memory limit: (exit status, output, seconds)."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))

    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(REPO / "hooks" / "check.py"), str(root)],
        capture_output=True,
        text=True,
        timeout=SECONDS * 3,
        preexec_fn=limit_memory,
        env={**os.environ, "QINGLIAN_JOBS": "1"},
    )
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - started


def assert_refused(root: Path, *expected: str) -> str:
    """The check fails quickly, without a traceback, printing each expected text; returns its output."""
    status, output, seconds = run_check(root)
    assert status == 1, output
    assert "Traceback" not in output, output
    assert seconds < SECONDS, f"{seconds:.1f} s"
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"
    return output


def letter(**changes) -> str:
    return front_matter(story_fields("letters", **changes))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


# ---- parser bombs and nesting -----------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["哈哈哈哈哈哈哈哈"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_alias_bombs_are_refused_in_stories_and_data(project):
    """9 levels of 9 aliases expand to 387 million strings; the check refuses the first alias instead."""
    write_raw(project, "stories/letters/bomb.md", letter().replace("---\n", "---\n" + billion_laughs(), 1) + "正文\n")
    merge = "base: &base {title: 测试}\nmerged:\n  <<: *base\n"
    write_raw(project, "stories/letters/merge.md", letter().replace("---\n", "---\n" + merge, 1) + "正文\n")
    data = (project / "data/townships.yml").read_text(encoding="utf-8")
    write_raw(project, "data/townships.yml", billion_laughs() + data)
    output = assert_refused(
        project,
        "stories/letters/bomb.md:3: 字段 l1[0]：用了 YAML 别名",
        "stories/letters/merge.md:4: 字段 merged.<<：用了 YAML 别名",
        "data/townships.yml:2: 字段 l1[0]：用了 YAML 别名",
    )
    assert "不能用锚点和别名" in output


@pytest.mark.parametrize(
    "value, line",
    [
        ("[" * 5000 + "]" * 5000, 2),  # flow nesting: libyaml alone takes seconds on a few thousand brackets
        ("{a: " * 3000 + "b" + "}" * 3000, 2),
        ("\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 12)) + "  " * 12 + "v", 7),  # block nesting
        ("[[[[[[[[[[x", 2),  # unclosed brackets are not waited for
    ],
)
def test_deep_nesting_is_refused(project, value, line):
    write_raw(project, "stories/letters/deep.md", letter().replace("---\n", f"---\nx: {value}\n", 1) + "正文\n")
    output = assert_refused(project, f"stories/letters/deep.md:{line}:", "YAML 嵌套层数超过上限")
    assert f"最多 {LIMITS['depth'].value} 层" in output


def test_bodies_built_to_make_the_checks_quadratic_finish_quickly(project):
    """Each pattern repeated to just under the body limit once took the editors' checks past ten seconds."""
    size = LIMITS["body_chars"].value - 1000
    for index, pattern in enumerate(["<!--", "![", "?", "1 ", '<img alt="', "一 ", "13812345678 "]):
        write_story(project, "letters", f"slow-{index}", body=(pattern * size)[:size])
    status, output, seconds = run_check(project)
    assert status == 1 and "Traceback" not in output, output
    assert seconds < SECONDS, f"{seconds:.1f} s"


# ---- sizes ------------------------------------------------------------------------------------


def test_every_size_limit_is_a_located_message(project):
    many = ", ".join(f"t{i}" for i in range(LIMITS["items"].value + 1))
    write_raw(project, "stories/letters/big-fm.md", letter(summary="长" * 6000) + "正文\n")
    write_raw(
        project, "stories/letters/long-value.md", letter(relation="长" * (LIMITS["text_chars"].value + 1)) + "x\n"
    )
    write_raw(project, "stories/letters/long-list.md", letter().replace("---\n", f"---\nhighlights: [{many}]\n", 1))
    write_story(project, "letters", "long-body", body="字" * (LIMITS["body_chars"].value + 1))
    write_raw(project, "stories/letters/huge.md", letter() + "x" * (LIMITS["file_bytes"].value + 1))
    output = assert_refused(
        project,
        "stories/letters/big-fm.md:1: front matter（两行 --- 之间）的大小超过上限：现在是 18,",
        f"最多 {LIMITS['front_matter_bytes'].value:,} 字节",
        "stories/letters/long-value.md:6: 字段 relation：一个字段值的长度超过上限：现在是 2,001 字，最多 2,000 字。",
        f"stories/letters/long-list.md:2: 字段 highlights：一个列表（或一组键值）的项数超过上限：现在是 {LIMITS['items'].value + 1:,} 项",
        "stories/letters/long-body.md:7: 正文长度超过上限：现在是 100,00",
        f"最多 {LIMITS['body_chars'].value:,} 字。",
        "stories/letters/huge.md: 文件大小超过上限",
    )
    assert LIMITS["front_matter_bytes"].fix in output


def test_tag_lists_are_bounded_before_any_page_is_planned(project):
    """2,000 tags once made 2,025 tag pages; 250,000 never finished."""
    for slug, count in (("tags-2000", 2000), ("tags-250000", 250_000), ("tags-21", LIMITS["tags"].value + 1)):
        tags = "[" + ", ".join(f"t{i}" for i in range(count)) + "]"
        write_raw(project, f"stories/letters/{slug}.md", letter(title=slug).replace("---\n", f"---\ntags: {tags}\n", 1))
    assert_refused(
        project,
        "stories/letters/tags-2000.md:2: 字段 tags：",
        "超过上限：现在是 2,000 项",
        "stories/letters/tags-250000.md: 文件大小超过上限",
        f"stories/letters/tags-21.md:2: 字段 tags：标签数超过上限：现在是 21 项，最多 {LIMITS['tags'].value} 项。",
    )


# ---- odd bytes --------------------------------------------------------------------------------


def test_control_bytes_and_encodings_are_located_messages(project):
    write_raw(project, "stories/letters/nul.md", letter(summary="测试\x00摘要。") + "正文\n")
    write_raw(project, "stories/letters/escape.md", letter() + "\n正文\x1b[2J清屏\n")
    write_raw(project, "stories/letters/yaml-escape.md", letter(summary='"\\e[31m红字"') + "正文\n")
    write_raw(project, "stories/letters/bidi.md", letter(title="测试\u202e反转") + "正文\n")
    write_raw(project, "stories/letters/key-escape.md", letter().replace("---\n", '---\n"x\\e[31m": 1\n', 1))
    write_raw(project, "stories/letters/lone-cr.md", letter() + "\n第一行\r第二行\n")
    write_raw(project, "stories/letters/gbk.md", (letter() + "\n中文正文\n").encode("gbk"))
    write_raw(project, "stories/letters/bad-utf8.md", letter().encode() + b"\n\xff\xfe\n")
    output = assert_refused(
        project,
        "stories/letters/nul.md:3: 第 12 个字符（共 1 个）有看不见的控制字符 U+0000",
        "stories/letters/escape.md:8: 第 3 个字符（共 1 个）有看不见的控制字符 U+001B",
        "stories/letters/yaml-escape.md:3: 字段 summary：值里有看不见的控制字符 U+001B",
        "stories/letters/bidi.md:2: 第 10 个字符（共 1 个）有看不见的控制字符 U+202E",
        "stories/letters/key-escape.md:2: 键里有看不见的控制字符 U+001B",
        "stories/letters/lone-cr.md:8: 第 4 个字符",
        "stories/letters/gbk.md:2: 文件不是 UTF-8 编码",
        "stories/letters/bad-utf8.md:8: 文件不是 UTF-8 编码",
    )
    assert "\x1b" not in output and "\x00" not in output and "\u202e" not in output


def test_bom_and_windows_line_ends_are_accepted(project):
    write_raw(project, "stories/letters/bom.md", "\ufeff" + letter(title="测试：BOM") + "正文\n")
    write_raw(project, "stories/letters/crlf.md", (letter(title="测试：CRLF") + "正文\n").replace("\n", "\r\n"))
    status, output, _ = run_check(project)
    assert status == 0, output


def test_an_unknown_field_table_placeholder_is_located(project):
    write_raw(project, "docs/guide.md", "# 指南\n\n<!-- qinglian:fields common -->\n\n<!-- qinglian:fields nope -->\n")
    assert_refused(project, "docs/guide.md:5: 不认识的字段表占位符“<!-- qinglian:fields nope -->”")


# ---- one bad file does not hide the others ------------------------------------------------------


def test_one_failing_file_does_not_hide_the_others(project, monkeypatch):
    """A bug on one hostile file becomes a message naming that file; every other file is still checked."""
    write_story(project, "letters", "crashes")
    write_story(project, "letters", "phone", body="电话 13812345678\n")
    real = checks.check_story

    def failing(root, rel, *args):
        if rel.endswith("crashes.md"):
            raise RecursionError("maximum recursion depth exceeded \x1b[31m")
        return real(root, rel, *args)

    monkeypatch.setattr(checks, "check_story", failing)
    _, problems = check(project)
    assert any(
        p.startswith("stories/letters/crashes.md: 检查这个文件时出错（RecursionError") and "\\x1b[31m" in p
        for p in problems
    ), problems
    assert any(p.startswith("stories/letters/phone.md:8: 疑似手机号码") for p in problems), problems


def test_many_hostile_files_are_all_reported_in_one_run(project):
    write_raw(project, "stories/letters/a-bomb.md", letter().replace("---\n", "---\n" + billion_laughs(), 1))
    write_raw(project, "stories/letters/b-nul.md", letter(summary="\x00") + "正文\n")
    write_raw(project, "stories/letters/c-gbk.md", (letter() + "中文").encode("gbk"))
    write_raw(project, "stories/letters/d-deep.md", letter().replace("---\n", "---\nx: " + "[" * 900 + "\n", 1))
    write_story(project, "letters", "e-phone", body="电话 138 1234 5678\n")
    output = assert_refused(
        project,
        "a-bomb.md:3",
        "b-nul.md:3",
        "c-gbk.md",
        "d-deep.md:2",
        "e-phone.md:8: 疑似手机号码“138****5678”",
    )
    assert output.splitlines()[0].startswith("内容检查发现 5 个问题（5 个文件）")


# ---- messages ---------------------------------------------------------------------------------


def test_messages_show_control_characters_escaped():
    problem = Problem("stories/letters/a\x1b[31mb\n.md", 3, "title\u202e", "值“\x1b]0;标题\x07”", "删掉\r")
    text = str(problem)
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), repr(text)
    assert "a\\x1b[31mb\\x0a.md:3" in text and "title\\u202e" in text and "\\x07" in text and "删掉\\x0d" in text


@pytest.mark.parametrize("name", ["abc\n", "abc\r", "Abc", "abc-", "ａｂｃ", "abc\x1b[31m"])
def test_slugs_are_matched_whole(project, name):
    write_raw(project, f"stories/letters/{name}.md", letter() + "正文\n")
    output = assert_refused(project, "不能作网址")
    assert "\x1b" not in output and "\r" not in output


def test_file_names_that_are_not_utf8_or_hold_controls_are_refused(project):
    (project / "docs/assets").mkdir()
    for folder, name in ((b"docs/assets", b"\xff\xfe.png"), (b"docs", b"a\nb.md"), (b"stories/letters", b"\xc0.md")):
        with open(os.path.join(bytes(project), folder, name), "wb") as file:
            file.write(letter().encode() if name.endswith(b".md") else b"x")
    output = assert_refused(
        project,
        "docs/assets/\\xff\\xfe.png: 文件名里有控制字符，或不是 UTF-8 编码",
        "docs/a\\x0ab.md: 文件名里有控制字符",
        "stories/letters/\\xc0.md: 文件名“\\xc0”不能作网址",
    )
    assert "\ufffd" not in output


# ---- symbolic links ---------------------------------------------------------------------------


def test_symlinks_in_stories_docs_and_data_are_refused(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntitle: SECRET-TOKEN-4711\n---\nSECRET-TOKEN-4711\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (project / ".git").mkdir()
    (project / ".git/config").write_text("[remote] url = https://SECRET-TOKEN-4711@example.org\n", encoding="utf-8")
    write_story(project, "letters", "real")
    images = project / "docs/assets/images"
    images.mkdir(parents=True)
    links = {
        "stories/letters/outside.md": secret,  # a story leaving the project
        "stories/letters/inside.md": project / "stories/letters/real.md",  # a second name for a story
        "docs/assets/images/passwd.png": Path("/etc/passwd"),
        "docs/assets/images/git.png": project / ".git/config",  # inside the project, but CI's token lives there
        "docs/assets/linked": tmp_path / "outside",  # a folder
        "data/townships.yml": secret,
    }
    (project / "data/townships.yml").unlink()
    for rel, target in links.items():
        os.symlink(target, project / rel)
    output = assert_refused(project, *(f"{rel}: 这是符号链接" for rel in links))
    assert "stories/letters/outside.md: 这是符号链接（指向仓库外的文件）" in output
    assert "docs/assets/images/git.png: 这是符号链接（指向仓库里的另一个文件）" in output
    assert "SECRET-TOKEN" not in output and "root:" not in output


def test_pipes_are_refused_instead_of_read(project):
    """Reading a pipe named like a story or an image would wait forever (MkDocs would copy it)."""
    os.mkfifo(project / "stories/letters/pipe.md")
    (project / "docs/assets").mkdir()
    os.mkfifo(project / "docs/assets/pipe.png")
    assert_refused(project, "stories/letters/pipe.md: 这不是普通文件", "docs/assets/pipe.png: 这不是普通文件")


def test_data_keys_are_matched_whole(project):
    townships = project / "data/townships.yml"
    townships.write_text('"zz-test\\n": {name: 测试乡, kind: 乡}\n' + townships.read_text(encoding="utf-8"), "utf-8")
    assert_refused(project, "data/townships.yml:1: 字段 zz-test\\x0a：这个键不在允许的范围内。")


def test_a_dangling_link_is_located_with_the_preview_cache_too(project):
    """`mkdocs build` and `serve` load with a cache keyed by each file's status: a dangling link must not end it."""
    os.symlink(project / "nowhere.md", project / "stories/letters/dangling.md")
    write_story(project, "letters", "phone", body="电话 13812345678\n")
    _, problems = load_content(project, cache={})
    shown = [str(p) for p in problems]
    assert any(p.startswith("stories/letters/dangling.md: 这是符号链接") for p in shown), shown
    assert any(p.startswith("stories/letters/phone.md:8: 疑似手机号码") for p in shown), shown


def test_the_build_stops_before_a_linked_file_is_copied(tmp_path):
    root = copy_project(tmp_path / "project")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-4711\n", encoding="utf-8")
    os.symlink(secret, root / "docs/assets/images/leak.png")
    proc = build_site(root / "mkdocs.yml", tmp_path / "site", cwd=root, timeout=300)
    assert proc.returncode != 0, build_output(proc)
    assert "docs/assets/images/leak.png: 这是符号链接" in proc.stderr, build_output(proc)
    assert "Traceback" not in build_output(proc)
    copied = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink() and p != secret]
    assert not [p for p in copied if b"SECRET-TOKEN" in p.read_bytes()]


# ---- private data -------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{i}-{v['kind']}" for i, v in enumerate(VECTORS)])
def test_private_data_vectors(vector):
    kinds = [f.kind for f in find(vector["text"])]
    if vector["kind"] is None:
        assert kinds == [], vector["why"]
    else:
        assert kinds[:1] == [vector["kind"]], vector["why"]


def test_vectors_cover_every_kind_both_ways():
    kinds = [v["kind"] for v in VECTORS]
    assert set(kinds) == {*KINDS, None}
    assert kinds.count(None) >= 40  # years, dates, amounts, pages, ISBNs, URLs: they must keep passing


def test_the_checker_reports_every_vector_in_a_story_body_masked(project):
    for index, vector in enumerate(VECTORS):
        write_story(project, "letters", f"v{index}", body=f"第 {index} 篇。\n\n{vector['text']}\n")
    _, problems = check(project)
    found = {}
    for problem in problems:
        match = re.match(r"stories/letters/v(\d+)\.md:(\d+): 疑似(\S+?)“", problem)
        if match:
            found.setdefault(int(match.group(1)), []).append((int(match.group(2)), match.group(3)))
    for index, vector in enumerate(VECTORS):
        if vector["kind"] is None:
            assert index not in found, (vector, found.get(index))
        else:
            line, label = found[index][0]
            assert label == KINDS[vector["kind"]], vector
            assert 10 <= line <= 10 + vector["text"].count("\n"), (vector, line)  # the text starts on line 10
    shown = "\n".join(problems)
    for number in ("13812345678", "11010519491231002X", "4111111111111111", "zhang@example.com"):
        assert number not in shown


def test_front_matter_values_of_every_type_are_scanned(project):
    sources = [
        {"title": "测试来源", "url": "https://example.org/?tel=13812345678", "page": '"&#49;&#51;&#56;12345678"'}
    ]
    fields = story_fields(
        "letters", title="测试：字段", written=13812345678, relation="zhang＠example.com", sources=sources
    )
    fields["tags"] = ["１３８１２３４５６７８"]
    rel = write_story(project, "letters", "fields", fields=fields)
    _, problems = check(project)
    text = (project / rel).read_text(encoding="utf-8").splitlines()
    expected = {
        "written": "手机号码",
        "relation": "电子邮箱",
        "tags[0]": "手机号码",
        "sources[0].url": "手机号码",
        "sources[0].page": "手机号码",
    }
    for name, label in expected.items():
        assert any(f"字段 {name}：疑似{label}" in p for p in problems), (name, problems)
    written_line = next(i for i, line in enumerate(text, 1) if line.startswith("written:"))
    assert f"{rel}:{written_line}: 字段 written：疑似手机号码“138****5678”" in "\n".join(problems)


def test_data_files_are_scanned_too(project):
    townships = project / "data/townships.yml"
    text = (
        townships.read_text(encoding="utf-8")
        + "zz-test: {name: 测试乡, kind: 乡, description: 联系 138-1234-5678, sources: [{title: 测试来源}]}\n"
    )
    townships.write_text(text, encoding="utf-8")
    line = text.count("\n")
    output = assert_refused(project, f"data/townships.yml:{line}: 字段 zz-test.description：疑似手机号码“138****5678”")
    assert "13812345678" not in output and "1234-5678" not in output


def test_allowed_numbers_stay_allowed_in_every_disguise(project):
    body = "对外电话 １３８００００００００、138-0000-0000，邮箱 office (at) example.org。\n"
    write_story(project, "units", "office", body=body, allow_numbers=["13800000000", "office@example.org"])
    _, problems = check(project)
    assert problems == []


# ---- spreadsheet formulas -----------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://example.org","点")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1"]


def test_csv_cells_never_start_a_formula_and_json_stays_plain(project):
    for index, formula in enumerate(FORMULAS):
        write_story(project, "letters", f"f{index}", title=json.dumps(formula), summary=json.dumps(formula + "摘要"))
    write_story(
        project,
        "officials",
        "bc",
        title="测试：公元前",
        born=-221,
        died=-210,
        sources=[{"title": "=cmd|' /C calc'!A0"}],
    )
    content, problems = check(project)
    assert problems == []
    rows = list(csv.DictReader(io.StringIO(exports.stories_csv(content.stories, "/").decode("utf-8-sig"))))
    for row in rows:
        for name, cell in row.items():
            # only a number (a year BC) may start with "-": a spreadsheet reads it as the number it is
            assert not cell.startswith(exports.FORMULA_START) or re.fullmatch(r"-[0-9]+", cell), (name, cell)
    titles = {row["slug"]: row["title"] for row in rows}
    for index, formula in enumerate(FORMULAS):
        assert titles[f"f{index}"] == "'" + formula  # shown as the text it is, nothing lost
    bc = next(row for row in rows if row["slug"] == "bc")
    assert bc["born"] == "-221"  # a number is a number
    assert bc["sources"] == "'=cmd|' /C calc'!A0"
    stories = json.loads(exports.stories_json(content.stories, "/"))["stories"]
    assert {s["slug"]: s["title"] for s in stories if s["slug"].startswith("f")} == {
        f"f{i}": formula for i, formula in enumerate(FORMULAS)
    }
    assert exports.spreadsheet_text("\r=1") == "'\r=1"

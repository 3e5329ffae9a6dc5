"""hooks/import.py: a family's letter as it arrives (Word/WPS .docx, .txt in UTF-8 or GB18030, the 投稿 page's
file) becomes stories/<collection>/<pinyin-slug>.md; bad files give a Chinese message, exit 1, and no file.

Every input is made here in tmp_path (the .docx files with python-docx); the stories are synthetic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from check import main as check_main

from conftest import REPO, copy_fixture_project
from qinglian.content.importer import import_story, normalise

IMPORT = REPO / "hooks" / "import.py"
TITLE = "测试家书：给女儿的一封信"
PARAGRAPHS = ["女儿：", "你参加工作已经半年了,我和你妈妈都很放心。", "做人要清白(这是我们家的老规矩)。", "爸爸"]
EXPECTED = ["女儿：", "你参加工作已经半年了，我和你妈妈都很放心。", "做人要清白（这是我们家的老规矩）。", "爸爸"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_fixture_project(tmp_path_factory.mktemp("import") / "project")


def _stories(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "stories").rglob("*.md")}


def _import(root: Path, source: Path, *args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, str(IMPORT), str(source), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _docx(path: Path, paragraphs: list[str], title: str | None = TITLE) -> Path:
    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    for n, text in enumerate(paragraphs):
        paragraph = document.add_paragraph()
        if n == 1:  # styles the importer must drop: bold, italic, a font and a size
            first, rest = text[:5], text[5:]
            run = paragraph.add_run("\u3000\u3000" + first)
            run.bold, run.italic, run.font.name = True, True, "楷体"
            paragraph.add_run(rest).font.size = docx.shared.Pt(18)
        elif n == len(paragraphs) - 1 and n > 2:  # the last two in one paragraph, split by a line break
            paragraph.add_run(paragraphs[n - 1]).add_break()
            paragraph.add_run(text)
        elif n != len(paragraphs) - 2 or n < 2:
            paragraph.add_run(text)
        document.add_paragraph("")  # the empty paragraphs Word users type between paragraphs
    document.save(path)
    return path


def _body(text: str) -> list[str]:
    return [p for p in text.split("\n---\n", 1)[1].strip().split("\n\n") if p]


def _check(root: Path, capsys) -> tuple[int, str]:
    code = check_main([str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


# ---- good files ----------------------------------------------------------------------------------


def test_a_word_letter_becomes_a_story_the_check_then_asks_about(project, tmp_path, capsys):
    source = _docx(tmp_path / "来信.docx", PARAGRAPHS)
    before = _stories(project)
    code, out, err = _import(project, source)
    assert code == 0, err
    rel = out.strip()
    assert rel == "stories/letters/ce-shi-jia-shu-gei-nv-er-de-yi-feng-xin.md"  # the pinyin of the title
    assert _stories(project) == before | {rel}
    text = (project / rel).read_text(encoding="utf-8")
    assert f"title: {TITLE}" in text
    assert _body(text) == EXPECTED  # paragraphs kept, indent and styles dropped, punctuation full-width
    assert "**" not in text and "楷体" not in text
    # what it cannot know is left for the check to ask, with the scaffold's explanations above each field
    assert "# 摘要（必填）：" in text and "\nsummary: \n" in text and "# 写信人（必填）：" in text
    code, report = _check(project, capsys)
    assert code == 1
    asked = {line.split("字段 ")[1].split("：")[0] for line in report.splitlines() if rel in line}
    assert asked == {"summary", "author", "consent"}, report
    # filled in, it passes
    filled = text.replace("\nsummary: \n", "\nsummary: 测试摘要。\n").replace("\nauthor: \n", "\nauthor: 测试写信人\n")
    (project / rel).write_text(filled.replace("# consent: true", "consent: true"), encoding="utf-8")
    assert _check(project, capsys)[0] == 0
    (project / rel).unlink()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_text_file_in_each_encoding(project, tmp_path, encoding):
    source = tmp_path / "家书.txt"
    # Notepad's way: the title, a blank line, one paragraph per line, and a paragraph wrapped at the screen's width
    lines = [TITLE, "", PARAGRAPHS[0], PARAGRAPHS[1][:8], PARAGRAPHS[1][8:], *PARAGRAPHS[2:]]
    source.write_bytes("\r\n".join(lines).encode(encoding))
    path = import_story(project, source, "letters")
    try:
        text = path.read_text(encoding="utf-8")
        assert f"title: {TITLE}" in text
        assert _body(text) == EXPECTED
    finally:
        path.unlink()


def test_the_file_from_the_tougao_page_keeps_its_fields_and_passes(project, tmp_path, capsys):
    source = tmp_path / "tougao-20261202-0930.md"
    source.write_text(
        '---\ntitle: "测试家书：给儿子"\nsummary: "测试摘要。"\nauthor: "测试写信人"\nrelation: "父亲写给儿子"\n'
        'township: "lingyang"\nconsent: true\n---\n\n孩子：\n\n做人要清白。\n',
        encoding="utf-8",
    )
    code, out, err = _import(project, source)
    assert code == 0, err
    path = project / out.strip()
    text = path.read_text(encoding="utf-8")
    for line in ("title: 测试家书：给儿子", "author: 测试写信人", "township: lingyang", "consent: true"):
        assert f"\n{line}\n" in text
    assert _body(text) == ["孩子：", "做人要清白。"]
    assert _check(project, capsys)[0] == 0
    path.unlink()


def test_other_collections_get_their_own_fields(project, tmp_path, capsys):
    source = tmp_path / "单元.txt"
    source.write_text("测试单元：村务公开栏\n\n村里每月公开一次账目。\n", encoding="utf-8")
    code, out, _err = _import(project, source, "--collection", "units")
    assert code == 0
    path = project / out.strip()
    assert out.startswith("stories/units/")
    code, report = _check(project, capsys)
    asked = {line.split("字段 ")[1].split("：")[0] for line in report.splitlines() if out.strip() in line}
    assert asked == {"summary", "unit", "unit_type"}, report
    path.unlink()


def test_a_second_letter_with_the_same_title_gets_its_own_file(project, tmp_path):
    source = _docx(tmp_path / "a.docx", PARAGRAPHS)
    first = import_story(project, source, "letters")
    second = import_story(project, source, "letters")
    assert first != second and second.stem == first.stem + "-2"
    first.unlink(), second.unlink()


def test_normalise_leaves_english_and_numbers_alone():
    assert normalise("Hello, world! 1,000 元 (约)") == "Hello, world! 1,000 元 （约）"
    assert normalise("\u3000\u3000你好,孩子?") == "你好，孩子？"


# ---- bad files: message, exit 1, nothing written -------------------------------------------------


def _refused(project: Path, source: Path, *expected: str) -> str:
    before = _stories(project)
    code, out, err = _import(project, source)
    assert code == 1, out + err
    assert out == "" and "Traceback" not in err
    assert err.startswith("错误：")
    for part in expected:
        assert part in err, err
    assert _stories(project) == before
    return err


def test_private_data_names_the_paragraph(project, tmp_path):
    paragraphs = [*PARAGRAPHS[:2], "有事打我电话 13812345678，或者写信到 zhang.san@example.com。", *PARAGRAPHS[2:]]
    err = _refused(project, _docx(tmp_path / "电话.docx", paragraphs), "个人信息")
    assert "第 3 段：疑似手机号码“138****5678”：个人信息不能公开。" in err
    assert "第 3 段：疑似电子邮箱“z***@example.com”" in err
    assert "13812345678" not in err  # the message never repeats the number itself


def test_private_data_in_the_title_of_a_text_file(project, tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("测试：请拨13812345678\n\n正文。\n", encoding="utf-8")
    assert "标题：疑似手机号码" in _refused(project, source)


def test_a_damaged_docx(project, tmp_path):
    good = _docx(tmp_path / "good.docx", PARAGRAPHS).read_bytes()
    broken = tmp_path / "坏了.docx"
    broken.write_bytes(good[: len(good) // 2])
    _refused(project, broken, "坏了.docx 已损坏")


def test_an_old_doc_renamed_to_docx(project, tmp_path):
    source = tmp_path / "旧版.docx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))  # the header of every Word 97–2003 file
    _refused(project, source, "旧版 Word 文件", "另存为")
    doc = tmp_path / "旧版.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    _refused(project, doc, "旧版 Word 文件")


def test_empty_files(project, tmp_path):
    empty_docx = tmp_path / "空.docx"
    docx.Document().save(empty_docx)
    _refused(project, empty_docx, "空文档")
    empty_txt = tmp_path / "空.txt"
    empty_txt.write_bytes(b"")
    _refused(project, empty_txt, "空文件")
    only_title = tmp_path / "只有标题.docx"
    _docx(only_title, [], title="测试标题")
    _refused(project, only_title, "没有正文")


def test_an_unknown_encoding(project, tmp_path):
    source = tmp_path / "乱码.txt"
    source.write_bytes("测试家书\n\n正文。\n".encode("utf-16-le"))  # UTF-16 without its byte-order mark
    _refused(project, source, "编码无法识别", "UTF-8")
    invalid = tmp_path / "乱码2.txt"
    invalid.write_bytes(b"\x80\xff\x80\xff text")
    _refused(project, invalid, "编码无法识别")


def test_a_file_of_another_kind(project, tmp_path):
    source = tmp_path / "照片.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    _refused(project, source, ".docx、.txt")

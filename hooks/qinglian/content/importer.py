"""Turning a family's letter as it arrives — a Word/WPS .docx, a .txt, or the file the 投稿 page made — into a
story file of stories/<collection>/, named by the pinyin of its title.

Only the text is kept: one paragraph per paragraph of the original, styles dropped, half-width punctuation in
Chinese text made full-width, the indenting spaces of Chinese paragraphs removed. Fields the importer cannot
know (a summary, the writer, consent) are left empty in the scaffold's template (scaffold.render), with its
explanations, for `make check` to ask for.

Nothing is written when the text carries private data (the checker's own rule and message, with the number
of the paragraph), or when the file is empty, damaged, an old .doc, or in an encoding we cannot tell:
`import_story` raises ImportFailed with a Chinese message instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qinglian.chinese import HAN
from qinglian.content.contract import COLLECTIONS, Collection
from qinglian.content.load import check_story_text, load_data
from qinglian.content.scaffold import new_slug, render
from qinglian.content.yamlfile import YamlError, split_front_matter

KINDS = (".docx", ".txt", ".md")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97–2003 .doc (and .wps) files
_ZIP = b"PK\x03\x04"
# A first paragraph this short, not ending a sentence, is the letter's title.
TITLE_MAX = 40

_CJK = HAN
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[,;:!?()]")
_BEFORE_CJK = re.compile(rf"[?()](?=[{_CJK}])")
_INDENT = re.compile(r"^[\s\u3000]+|[\s\u3000]+$")
# Characters no letter contains: a sign that the bytes were read in the wrong encoding.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff\ufffd]")


class ImportFailed(Exception):
    """A Chinese message for the editor; nothing was written."""


@dataclass
class Letter:
    title: str
    values: dict  # front-matter fields already known (a file from the 投稿 page has them)
    paragraphs: list[str]


def normalise(text: str) -> str:
    """One paragraph: NFC, no indent, half-width punctuation in Chinese text made full-width."""
    text = _INDENT.sub("", unicodedata.normalize("NFC", text))
    text = _AFTER_CJK.sub(lambda m: _FULL[m.group()], text)
    return _BEFORE_CJK.sub(lambda m: _FULL[m.group()], text)


def read_letter(source: Path, collection: Collection) -> Letter:
    """The title, known fields and paragraphs of `source`; ImportFailed when it cannot be read."""
    if not source.is_file():
        raise ImportFailed(f"找不到文件 {source}。")
    raw = source.read_bytes()
    name = source.name
    if raw.startswith(_OLE2):
        raise ImportFailed(
            f"{name} 是旧版 Word 文件（.doc，Word 97–2003 格式），不能直接导入。"
            "请用 Word 或 WPS 打开，“另存为”Word 文档（.docx）后再导入。"
        )
    suffix = source.suffix.lower()
    if suffix == ".doc":
        raise ImportFailed(f"{name}：.doc 文件不能直接导入。请用 Word 或 WPS “另存为”.docx 后再导入。")
    if suffix not in KINDS:
        raise ImportFailed(f"{name}：只能导入 .docx、.txt 或投稿页下载的 .md 文件。")
    if not raw.strip():
        raise ImportFailed(f"{name} 是空文件，没有可导入的文字。")
    if suffix == ".docx" or raw.startswith(_ZIP):
        paragraphs, title = _docx_paragraphs(raw, name)
        values = {}
    else:
        text = _decode(raw, name)
        title, values, paragraphs = _text_parts(text, collection, name)
    paragraphs = [p for p in (normalise(p) for p in paragraphs) if p]
    if not title and paragraphs and _looks_like_title(paragraphs[0]) and len(paragraphs) > 1:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    if not paragraphs:
        raise ImportFailed(f"{name} 里没有正文（只有标题或空段落）。")
    return Letter(normalise(title), values, paragraphs)


def _looks_like_title(paragraph: str) -> bool:
    return len(paragraph) <= TITLE_MAX and not paragraph.endswith(("。", "！", "？", "；", "：", "，", "…", "”"))


def _docx_paragraphs(raw: bytes, name: str) -> tuple[list[str], str]:
    """The text of each paragraph (styles, images and fields dropped) and the text of a Title/Heading paragraph."""
    import io

    import docx  # python-docx (requirements.txt)

    try:
        document = docx.Document(io.BytesIO(raw))
        paragraphs = [(p.text, p.style.name if p.style is not None else "") for p in document.paragraphs]
    except Exception as err:  # noqa: BLE001 - a damaged file fails in many ways (BadZipFile, KeyError, lxml's errors)
        raise ImportFailed(
            f"{name} 已损坏或不是 Word 文档，打不开（{type(err).__name__}）。"
            "请用 Word 或 WPS 打开确认，再“另存为”.docx 后导入。"
        ) from None
    title = ""
    for text, style in paragraphs:
        if text.strip():
            if style.startswith(("Title", "Heading", "标题")):
                title = text
            break
    # a line break inside a paragraph (Shift+Enter, WPS users' way of starting a new one) starts a new paragraph
    body = [line for text, _style in paragraphs for line in text.split("\n")]
    if title:
        body.remove(title)
    if not any(t.strip() for t in body) and not title:
        raise ImportFailed(f"{name} 是空文档，没有可导入的文字。")
    return body, title


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Word's “Unicode text”), else GB18030 (Windows' ANSI)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _NOT_TEXT.search(text):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ImportFailed(
        f"{name} 的文字编码无法识别（不是 UTF-8，也不是 GBK/GB18030）。"
        "请用记事本或 WPS 打开，“另存为”时把编码选为 UTF-8，再导入。"
    )


def _text_parts(text: str, collection: Collection, name: str) -> tuple[str, dict, list[str]]:
    """(title, known fields, paragraphs) of a .txt, or of a .md made by the 投稿 page (front matter + text)."""
    if text.startswith("---\n"):
        try:
            doc = split_front_matter(text)
        except YamlError as err:
            raise ImportFailed(f"{name} 第 {err.line} 行：开头的字段写错了：{err.message}") from None
        if doc is not None and isinstance(doc.meta.data, dict):
            known = {f.name for f in collection.all_fields}
            values = {k: v for k, v in doc.meta.data.items() if k in known and k != "title"}
            title = str(doc.meta.data.get("title") or "")
            return title, values, re.split(r"\n\s*\n", doc.body)
    return "", {}, _paragraphs_of_text(text)


_ENDS_PARAGRAPH = ("。", "！", "？", "”", "：", "…", "」", "』")


def _paragraphs_of_text(text: str) -> list[str]:
    """A blank line ends a paragraph, and so does a line break after the end of a sentence; any other line
    break is where the writer's screen was full, and the lines are joined."""
    paragraphs, current = [], ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            paragraphs.append(current)
            current = ""
            continue
        current += line
        if line.endswith(_ENDS_PARAGRAPH):
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return [p for p in paragraphs if p]


def story_text(letter: Letter, collection: Collection) -> str:
    """The story file: the scaffold's template with the known fields and the letter's paragraphs."""
    return render(collection, letter.title, letter.values, "\n\n".join(letter.paragraphs) + "\n")


def private_data_problems(letter: Letter, collection: Collection, root: Path) -> list[str]:
    """The checker's private-data messages for the letter, each naming its paragraph (or the title)."""
    text = story_text(letter, collection)
    data, _ = load_data(root)
    by_line = {}
    for problem in check_story_text(text, collection, data):
        if problem.message.startswith("疑似"):  # checks/text.py's private-data messages
            by_line.setdefault(problem.line, []).append(problem)
    if not by_line:
        return []
    lines = text.split("\n")
    messages = []
    for line, problems in sorted(by_line.items()):
        content = lines[line - 1]
        if content in letter.paragraphs:
            where = f"第 {letter.paragraphs.index(content) + 1} 段"
        elif problems[0].field:
            where = f"字段 {problems[0].field}" if problems[0].field != "title" else "标题"
        else:
            where = f"第 {line} 行"
        messages += [f"{where}：{p.message} 修改：{p.fix}" for p in problems]
    return messages


def import_story(root: Path, source: Path, collection_key: str) -> Path:
    """Write stories/<collection>/<pinyin-slug>.md from `source`; return its path. ImportFailed: nothing written."""
    if collection_key not in COLLECTIONS:
        raise ImportFailed(f"没有“{collection_key}”这个栏目，请写其中之一：{'、'.join(COLLECTIONS)}。")
    collection = COLLECTIONS[collection_key]
    letter = read_letter(Path(source), collection)
    problems = private_data_problems(letter, collection, root)
    if problems:
        raise ImportFailed(
            f"{Path(source).name} 里有个人信息，没有导入：\n" + "\n".join(f"  {m}" for m in problems) + "\n"
            "请在原文件里删掉这些号码（家书可写成“电话略”）后再导入；联系方式另外记下，不要写进故事。"
        )
    slug = new_slug(root, letter.title or Path(source).stem)
    path = Path(root) / "stories" / collection.key / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite a story
        out.write(story_text(letter, collection))
    return path


__all__ = ["ImportFailed", "import_story", "read_letter", "normalise", "story_text", "KINDS"]

"""Content rules beyond the field types: private data, paste damage, images, videos and duplicates.

Editors paste from Word or WeChat and letters come from the public, so a story can carry a phone
number, characters broken by a wrong conversion, or images without a description. Every rule here
reports through `Problem` (file, line, Chinese message, how to fix), and runs from `load_story`, so
`python hooks/check.py` and `mkdocs build` report exactly the same.

`lint_story(...)` checks one story; `check_duplicates(stories)` compares the stories with each other.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib.resources import files
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from qinglian.content.contract import IMAGE_MAX_KB, Collection
from qinglian.content.private_data import (
    KINDS,
    find,
    find_normalised,
    key,
    luhn_valid,
    might_hold,
    normalise,
    valid_resident_id,
)
from qinglian.content.problems import Problem
from qinglian.content.urls import body_url_problems, story_url_problems
from qinglian.content.yamlfile import Parsed, field_path

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese (full-width) punctuation; “” and ‘’ are the quotes Chinese text uses.
FULL_PUNCT = "，。；：！？、（）“”‘’《》【】"

# ---- private data (the rules: private_data.py) -----------------------------------------------


def private_data(text: str, allowed: set[str]) -> list[tuple[str, str]]:
    """(kind, masked value) for each piece of private data in `text`, allowed numbers excepted."""
    return [(KINDS[f.kind], f.masked) for f in find(text, allowed)]


def _private_problem(rel: str, line: int, name: str | None, kind: str, masked: str) -> Problem:
    return Problem(
        rel,
        line,
        name,
        f"疑似{KINDS[kind]}“{masked}”：个人信息不能公开。",
        "删掉它（家书可写成“电话略”）；确实是公开的单位号码或邮箱，把它原样加到 front matter 的 "
        "`allow_numbers:` 列表里。",
    )


def private_in_values(rel: str, parsed: Parsed, allowed: set[str] = frozenset()) -> list[Problem]:
    """Every value of every type in front matter or a data/ file (a number too: `written: 13912345678` is
    published), URLs included; the allow list itself excepted."""
    problems = []
    for path, value in _values(parsed.data):
        if path[:1] == ("allow_numbers",) or isinstance(value, bool) or value is None:
            continue
        for f in find(str(value), allowed):
            problems.append(_private_problem(rel, parsed.line_of(path), field_path(path), f.kind, f.masked))
    return problems


def _private_in_body(rel: str, body: str, body_line: int, allowed: set[str]) -> list[Problem]:
    """The whole body at once, code, comments and link targets included: a number split over lines of one
    paragraph is one number to a reader."""
    if not might_hold(body):
        return []
    plain = normalise(body)  # as many line breaks as the body: a finding's line is counted in it
    return [
        _private_problem(rel, body_line + plain.count("\n", 0, f.start), None, f.kind, f.masked)
        for f in find_normalised(plain, allowed)
    ]


def _values(value, path: tuple = ()):
    """Every scalar in the front matter with its path."""
    if isinstance(value, dict):
        for k, item in value.items():
            yield from _values(item, path + (k,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, path + (index,))
    else:
        yield path, value


# ---- paste damage ----------------------------------------------------------------------------

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# 遠(yuǎn): a character followed by its pinyin in brackets, as machine conversions leave it
_PINYIN = re.compile(rf"([{CJK}])[(（]([a-zü{_TONE}]*[{_TONE}][a-zü{_TONE}]*)[)）]")
# a run is tried from its first "?" only: tried from every "?" of a long run, it took seconds
_QUESTION_RUN = re.compile(rf"(?:(?<=[{CJK}{FULL_PUNCT}])\?+|(?<!\?)\?+(?=[{CJK}{FULL_PUNCT}]))")
# half-width punctuation used as Chinese punctuation: right after a Chinese character (or before one, for "(")
_HALF_AFTER_CJK = re.compile(rf"(?<=[{CJK}])[,;:!()]|\((?=[{CJK}])|\)(?=[{CJK}])")
_FULL = re.compile(rf"[{FULL_PUNCT}]")
_SENTENCE = re.compile(r"[^。！？]*[。！？]?")


def paste_damage(text: str) -> list[tuple[str, str]]:
    """(message, fix) for each kind of conversion damage in one line of text."""
    found = []
    annotations = _PINYIN.findall(text) if "(" in text or "（" in text else []
    if annotations:
        shown = "、".join(f"{c}({p})" for c, p in annotations[:5]) + ("等" if len(annotations) > 5 else "")
        found.append(
            (
                f"汉字后面带着拼音注音：{shown}，共 {len(annotations)} 处（转换或粘贴时带进来的）。",
                "删掉括号和里面的拼音，只留汉字；确实要给生僻字注音，写成 `<ruby>攸<rt>yōu</rt></ruby>`。",
            )
        )
    if "\ufffd" in text:
        found.append(("有乱码字符“\ufffd”（原来的字在转换编码时丢失了）。", "对照原文，把“\ufffd”换回原来的字。"))
    runs = _QUESTION_RUN.findall(text) if "?" in text else []
    if runs:
        found.append(
            (
                f"中文里有 {len(runs)} 处英文问号“?”（多半是转换编码时丢失的字）。",
                "对照原文补回丢失的字；真的是问句，用中文问号“？”。",
            )
        )
    plain = _PINYIN.sub(r"\1", text) if annotations else text
    for sentence in (
        _SENTENCE.findall(plain) if _HALF_AFTER_CJK.search(plain) else ()
    ):  # the annotations' brackets are reported above
        half = _HALF_AFTER_CJK.search(sentence)
        full = _FULL.search(sentence)
        if half and full:
            found.append(
                (
                    f"同一句里混用了英文标点“{half.group()}”和中文标点“{full.group()}”：“{_excerpt(sentence, half.start())}”。",
                    "中文句子统一用中文标点（，。：；！（））。",
                )
            )
            break
    return found


def _excerpt(text: str, at: int, width: int = 8) -> str:
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + width].strip() + ("…" if at + width < len(text) else "")


@functools.lru_cache(maxsize=1)
def _script_chars() -> tuple[frozenset[str], frozenset[str]]:
    """(traditional-only, simplified-only) characters, from OpenCC's character tables."""
    folder = files("opencc_purepy") / "dicts"

    def only(name: str) -> set[str]:
        chars = set()
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) == 1 and values and key not in values.split():
                chars.add(key)
        return chars

    traditional, simplified = only("TSCharacters.txt"), only("STCharacters.txt")
    both = traditional & simplified
    # 著 is a Traditional form of 着 but also a standard Simplified character (著名、显著).
    return frozenset(traditional - both - set("著")), frozenset(simplified - both)


# ---- images and videos -------------------------------------------------------------------

# No bracket inside the alt text or the path, and a bounded tag: a line of thousands of "![" or "<img " must not
# be scanned to its end from each of them.
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(\s*<?([^()\s<>\[\]]*)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_HTML_IMG = re.compile(r"<img\b[^<>]{0,4000}>", re.I)
_HTML_VIDEO = re.compile(r"<video\b[^<>]{0,4000}>", re.I)


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf"\b{name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", tag, re.I)
    return None if match is None else next(g for g in match.groups() if g is not None)


def image_problem(root: Path, collection: Collection, src: str, from_docs: bool = False) -> tuple[str, str] | None:
    """(message, fix) when an image path is external, missing or too large; None when it is fine.

    `from_docs`: the path is relative to docs/ (the cover field), else to the story's page (Markdown).
    """
    src = src.strip()
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return (
            f"图片“{src}”在别的网站上：读者的手机和离线展厅都打不开它，别的网站也会知道谁在看。",
            "把图片下载下来（确认可以使用），放到 docs/assets/images/，再改用这个路径。",
        )
    if parts.scheme:
        return (f"图片地址“{src[:40]}”不是文件路径。", "把图片存成文件放到 docs/assets/images/，再写它的路径。")
    path = unquote(parts.path)
    if path.startswith("/") or from_docs:
        rel = PurePosixPath(path.lstrip("/"))
    else:
        rel = PurePosixPath(collection.key) / path
    # resolve ../ without touching the file system, then look inside docs/
    resolved: list[str] = []
    for part in rel.parts:
        if part == "..":
            if resolved:
                resolved.pop()
        elif part != ".":
            resolved.append(part)
    target = root / "docs" / Path(*resolved) if resolved else root / "docs"
    shown = "docs/" + "/".join(resolved)
    if not target.is_file():
        if not from_docs and not path.startswith((".", "/")) and (root / "docs" / path).is_file():
            return (f"图片路径“{src}”少了开头的“/”：正文里的路径从网站根目录算起。", f"写成 `/{path}`。")
        return (
            f"找不到图片 {shown}（写的是“{src}”）。",
            "把图片放到 docs/assets/images/，正文里写 `![图片说明](/assets/images/文件名.jpg)`，注意大小写。",
        )
    size = target.stat().st_size
    if size > IMAGE_MAX_KB * 1024:
        return (
            f"图片 {shown} 有 {size // 1024} KB，超过 {IMAGE_MAX_KB} KB 的上限（读者多用手机流量）。",
            f"把图片缩小到宽 1600 像素以内、{IMAGE_MAX_KB} KB 以下（如用画图或微信截图另存为 JPG）。",
        )
    return None


# ---- the checks ------------------------------------------------------------------------------


def _strings(value, path: tuple = ()):
    """Every string in the front matter with its path (URLs and the allow list left out)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("url", "allow_numbers"):
                yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _body_lines(body: str, first_line: int):
    """(line number, text) of the Markdown body, with code blocks and inline code blanked out."""
    fence = None
    # never published; an unclosed comment runs to the end (searching for "-->" from every "<!--" is quadratic)
    body = re.sub(r"<!--.*?(?:-->|\Z)", lambda m: re.sub(r"[^\n]", " ", m.group()), body, flags=re.S)
    for offset, line in enumerate(body.split("\n")):
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            continue
        yield first_line + offset, re.sub(r"`+[^`]*`+", lambda m: " " * len(m.group()), line)


def lint_story(
    root: Path, rel: str, parsed: Parsed, body: str, body_line: int, collection: Collection
) -> list[Problem]:
    meta = parsed.data if isinstance(parsed.data, dict) else {}
    lines: list[tuple[int, str | None, str]] = []  # (line, field or None for the body, text)
    for path, text in _strings(meta):
        lines.append((parsed.line_of(path), field_path(path), text))
    lines += [(number, None, text) for number, text in _body_lines(body, body_line)]

    allow = meta.get("allow_numbers")
    allowed = {key(v) for v in (allow if isinstance(allow, list) else []) if isinstance(v, (str, int))}
    problems = private_in_values(rel, parsed, allowed) + _private_in_body(rel, body, body_line, allowed)
    for number, name, text in lines:
        for message, fix in paste_damage(text):
            problems.append(Problem(rel, number, name, message, fix))

    problems += story_url_problems(rel, parsed, collection)  # sources[].url and media paths, rebuilt
    problems += body_url_problems(rel, [(number, text) for number, name, text in lines if name is None])
    problems += _mixed_scripts(rel, lines)
    problems += _media(root, rel, parsed, lines, collection)
    return problems


def _mixed_scripts(rel: str, lines) -> list[Problem]:
    traditional, simplified = _script_chars()
    # citations keep their script; a 繁體 exception table (hant) is Traditional on purpose
    lines = [(n, f, t) for n, f, t in lines if not (f or "").startswith(("sources", "hant"))]
    text = "".join(t for _, _, t in lines)
    if not (set(text) & traditional and set(text) & simplified):
        return []  # all Simplified (or, for a quotation page, all Traditional): nothing mixed
    problems = []
    for number, name, line in lines:
        chars = list(dict.fromkeys(c for c in line if c in traditional))
        if chars:
            shown = "、".join(chars[:8]) + ("等" if len(chars) > 8 else "")
            problems.append(
                Problem(
                    rel,
                    number,
                    name,
                    f"繁体字和简体字混用：这一行有繁体字 {shown}（共 {len(chars)} 个不同的字）。",
                    "本站用简体字：用 Word 的“中文繁简转换”或 OpenCC 转成简体，再对照原文核对。",
                )
            )
    return problems


def _media(root: Path, rel: str, parsed: Parsed, lines, collection: Collection) -> list[Problem]:
    problems = []
    cover = parsed.data.get("cover") if isinstance(parsed.data, dict) else None
    if isinstance(cover, str) and cover.strip() and (root / "docs" / cover).is_file():
        found = image_problem(root, collection, cover, from_docs=True)  # a missing cover is content.py's
        if found:
            problems.append(Problem(rel, parsed.line_of(("cover",)), "cover", *found))
    for number, name, text in lines:
        if name is not None:
            continue
        images = [(alt, src) for alt, src in _MD_IMAGE.findall(text)]
        images += [(_attr(tag, "alt"), _attr(tag, "src") or "") for tag in _HTML_IMG.findall(text)]
        for alt, src in images:
            if not (alt or "").strip():
                problems.append(
                    Problem(
                        rel,
                        number,
                        None,
                        f"图片“{src}”没有文字说明（看不见图片的读者听不到内容）。",
                        "在 `![` 和 `]` 之间写上图片内容，如 `![袁任远像](/assets/images/yuan.jpg)`。",
                    )
                )
            if src:
                found = image_problem(root, collection, src)
                if found:
                    problems.append(Problem(rel, number, None, *found))
        for tag in _HTML_VIDEO.findall(text):
            if not _attr(tag, "poster"):
                problems.append(
                    Problem(
                        rel,
                        number,
                        None,
                        "视频没有封面图（poster）：加载前和离线时，读者只看到一块黑框。",
                        '在 <video> 里加 `poster="/assets/images/封面.jpg"`。',
                    )
                )
            poster = _attr(tag, "poster")
            if poster:
                found = image_problem(root, collection, poster)
                if found:
                    problems.append(Problem(rel, number, None, *found))
    return problems


def check_duplicates(stories) -> list[Problem]:
    """The same title, or the same text under two file names — in any collections."""
    problems = []
    titles: dict[str, object] = {}
    bodies: dict[str, object] = {}
    for story in stories:
        if story.meta.get("draft"):
            continue  # a draft may be the next version of a published story; it is compared once published
        title = re.sub(r"\s+", "", story.title)
        first = titles.setdefault(title, story)
        if first is not story:
            problems.append(
                Problem(
                    story.rel,
                    _title_line(story),
                    "title",
                    f"标题与 {first.rel} 相同。",
                    "同一篇故事只保留一个文件；不同的故事请换一个能区分的标题。",
                )
            )
        text = re.sub(r"\s+", "", story.body)
        if len(text) < 20:
            continue  # an empty or one-line body is not a copy of anything
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        first = bodies.setdefault(digest, story)
        if first is not story:
            problems.append(
                Problem(
                    story.rel,
                    story.body_line,
                    None,
                    f"正文与 {first.rel} 完全相同（同一篇故事放了两次）。",
                    "删掉其中一个文件；需要两个网址时，只保留一篇并在另一处链接过去。",
                )
            )
    return problems


def _title_line(story) -> int:
    try:
        for number, line in enumerate(story.path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("title:"):
                return number
    except OSError:
        pass
    return 1


__all__ = ["lint_story", "check_duplicates", "private_data", "paste_damage", "valid_resident_id", "luhn_valid"]

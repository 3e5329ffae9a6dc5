"""The text of a story: private data, paste damage and mixed scripts.

Editors paste from Word or WeChat and letters come from the public, so a story can carry a phone
number, characters broken by a wrong conversion, or Traditional characters among Simplified ones.
`story_lines` gives every line of text a story publishes (front-matter strings and the body), which the
address and media checks read too; `check_text` runs the rules of this module on them.
"""

from __future__ import annotations

import functools
import re

from qinglian.chinese import HAN, opencc_characters
from qinglian.content.private_data import KINDS, find, find_normalised, key, might_hold, normalise
from qinglian.content.problems import Problem
from qinglian.content.yamlfile import Parsed, field_path

CJK = HAN
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


# ---- mixed scripts -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _script_chars() -> tuple[frozenset[str], frozenset[str]]:
    """(traditional-only, simplified-only) characters, from OpenCC's character tables."""

    def only(name: str) -> set[str]:
        return {key for key, values in opencc_characters(name).items() if key not in values}

    traditional, simplified = only("TSCharacters.txt"), only("STCharacters.txt")
    both = traditional & simplified
    # 著 is a Traditional form of 着 but also a standard Simplified character (著名、显著).
    return frozenset(traditional - both - set("著")), frozenset(simplified - both)


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


# ---- the lines of a story ----------------------------------------------------------------------


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


def story_lines(parsed: Parsed, body: str, body_line: int) -> list[tuple[int, str | None, str]]:
    """(line, field or None for the body, text): every string of the front matter (URLs and the allow list left
    out) and every line of the body (code blanked out)."""
    meta = parsed.data if isinstance(parsed.data, dict) else {}
    lines = [(parsed.line_of(path), field_path(path), text) for path, text in _strings(meta)]
    return lines + [(number, None, text) for number, text in _body_lines(body, body_line)]


def check_text(rel: str, parsed: Parsed, body: str, body_line: int, lines) -> list[Problem]:
    """Private data, paste damage and mixed scripts of one story (`lines`: its story_lines)."""
    meta = parsed.data if isinstance(parsed.data, dict) else {}
    allow = meta.get("allow_numbers")
    allowed = {key(v) for v in (allow if isinstance(allow, list) else []) if isinstance(v, (str, int))}
    problems = private_in_values(rel, parsed, allowed) + _private_in_body(rel, body, body_line, allowed)
    for number, name, text in lines:
        for message, fix in paste_damage(text):
            problems.append(Problem(rel, number, name, message, fix))
    return problems + _mixed_scripts(rel, lines)


__all__ = ["check_text", "story_lines", "private_in_values", "private_data", "paste_damage"]

"""Reading YAML (data files and story front matter) while remembering the line of every value.

Editors need `file:line` in every message, so parsing keeps a map from a value's path, such as
``("sources", 0, "title")``, to its 1-based line in the file. Dates stay strings: the contract
checks their format itself, so a bad date is a located message, not a YAML exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from qinglian.content.problems import Problem

Path_ = tuple  # a value's path inside the document: keys and list indexes


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: `2024-05-01` stays the string it was written as."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        """The same loader on libyaml's C parser: parsing front matter was most of the hooks' build time."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:  # PyYAML without libyaml: the pure-Python loader does everything
    _FastLoader = None


@dataclass
class Parsed:
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_, default: int = 1) -> int:
        """The line of `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(message)


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a located problem when it is not UTF-8."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [
            Problem(
                rel,
                line,
                None,
                "文件不是 UTF-8 编码，无法读取（可能从 Word 或记事本以 GBK/ANSI 保存）。",
                "用编辑器把文件另存为“UTF-8”编码。",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def parse_yaml(text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document; raise YamlError with a 1-based line (shifted by `line_offset`).

    Valid YAML goes through libyaml (fast); a document libyaml rejects is parsed again by the pure-Python
    parser, whose error wording the editors' messages are written for.
    """
    if _FastLoader is not None:
        try:
            return _parse(_FastLoader, text, line_offset)
        except YamlError:
            pass
    return _parse(_Loader, text, line_offset)


def _parse(loader_class, text: str, line_offset: int) -> Parsed:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and "quoted scalar" in (err.context or ""):
            mark = err.context_mark  # an unclosed quote: report where it opens, not the end of the file
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlError(line, _describe_yaml_error(err)) from None
    except (yaml.YAMLError, ValueError, TypeError) as err:  # e.g. an unhashable key
        raise YamlError(1 + line_offset, f"YAML 无法解析（{err}）") from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _collect_lines(node, (), lines, line_offset)
    return Parsed(data, lines)


def _collect_lines(node, path: Path_, lines: dict, offset: int) -> None:
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in seen:  # PyYAML silently keeps the last one: an editor's `featured: true` would be lost
                raise YamlError(
                    line,
                    f"YAML 格式错误：“{key}”写了两次（第 {seen[key]} 行和第 {line} 行），"
                    "只会用到最后一个；请删掉多余的一行",
                )
            seen[key] = line
            _collect_lines(value_node, path + (key,), lines, offset)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset  # report on the key's line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines, offset)


def _describe_yaml_error(err: yaml.MarkedYAMLError) -> str:
    problem = (err.problem or "").strip()
    if "quoted scalar" in (err.context or ""):
        return f"YAML 格式错误：这一行的引号没有配对，缺少结尾的引号（{problem}）"
    hints = {
        "found character '\\t'": "用了 Tab 缩进，YAML 只能用空格缩进",
        "mapping values are not allowed": "冒号“:”后面的内容里又出现了冒号，整段值请用英文引号括起来",
        "could not find expected ':'": "这一行缺少英文冒号“:”，或缩进不对",
        "found duplicate anchor": "重复的锚点",
        "expected <block end>": "缩进不一致",
        "found undefined alias": "值以 * 开头，请用英文引号括起来",
        "found character that cannot start any token": "值以特殊符号开头（如 @、`），请用英文引号括起来",
    }
    for needle, hint in hints.items():
        if needle in problem or needle in str(err):
            return f"YAML 格式错误：{hint}（{problem}）"
    return f"YAML 格式错误（{problem or err}）"


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^|\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


@dataclass
class Document:
    meta: Parsed
    body: str
    body_line: int  # the line on which the Markdown body starts


def split_front_matter(text: str) -> Document | None:
    """Split `---` front matter from the body; None when the file has none."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    meta = parse_yaml(match.group(1), line_offset=1)
    body_line = text[: match.end()].count("\n") + 1
    return Document(meta, text[match.end() :], body_line)

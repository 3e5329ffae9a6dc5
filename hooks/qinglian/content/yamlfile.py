"""Reading YAML (data files and story front matter) while remembering the line of every value.

Editors need `file:line` in every message, so parsing keeps a map from a value's path, such as
``("sources", 0, "title")``, to its 1-based line in the file. Dates stay strings: the contract
checks their format itself, so a bad date is a located message, not a YAML exception.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from qinglian.content.contract import LIMITS
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
    def __init__(self, line: int, message: str, fix: str = "对照上下行的格式修改。", field: str | None = None):
        self.line, self.message, self.fix, self.field = line, message, fix, field
        super().__init__(message)

    def problem(self, rel: str) -> Problem:
        return Problem(rel, self.line, self.field, self.message, self.fix)


class LimitError(YamlError):
    """A document over one of the LIMITS: reported as it is, without a second parse."""


# Characters no story needs and that can hide or disguise text: control characters other than tab and line
# break (NUL, terminal escape codes, a carriage return not followed by a line feed), the bidi controls that
# reorder what a reader sees, and the Unicode line separators (a line break that editors' tools do not show).
FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def read_text(path: Path, rel: str, limit: str = "file_bytes") -> tuple[str | None, list[Problem]]:
    """The file's text (Windows line ends made Unix ones, a leading byte-order mark dropped), or a located problem
    when it is a link, not a regular file, too large, not UTF-8 or holds control characters."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return None, [outside_link(path, rel)]
    if not stat.S_ISREG(info.st_mode):  # a folder or a pipe named like a story: reading it would hang or fail
        return None, [not_a_file(rel)]
    if info.st_size > LIMITS[limit].value:
        return None, [Problem(rel, 0, None, LIMITS[limit].message(info.st_size), LIMITS[limit].fix)]
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
                f"文件不是 UTF-8 编码，无法读取（第 {line} 行有字节 0x{raw[err.start]:02x}；可能从 Word 或记事本以 GBK/ANSI 保存）。",
                "用编辑器把文件另存为“UTF-8”编码。",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        where = f"第 {column} 个字符（共 {len(FORBIDDEN_CHARS.findall(text))} 个）"
        return None, [Problem(rel, line, None, control_message(bad.group(), where), CONTROL_FIX)]
    return text, []


CONTROL_FIX = "删掉这个字符（从 Word、网页或终端复制时带进来的），或重新输入这一行。"


def control_message(char: str, where: str = "值里") -> str:
    return f"{where}有看不见的控制字符 U+{ord(char):04X}：它会藏起或打乱文字，网站不收。"


def not_a_file(rel: str) -> Problem:
    return Problem(rel, 0, None, "这不是普通文件（可能是文件夹、管道或设备）。", "删除它，或换成普通的文件。")


def outside_link(path: Path, rel: str) -> Problem:
    """A symbolic link under stories/, docs/ or data/: it could bring any file of the machine into the site."""
    root = Path(os.path.realpath(path.parents[len(Path(rel).parts) - 1]))
    target = Path(os.path.realpath(path))
    where = "指向仓库里的另一个文件" if root in target.parents else "指向仓库外的文件"
    return Problem(
        rel,
        0,
        None,
        f"这是符号链接（{where}）：网站只收仓库里真实的文件，链接可能把本机的任何文件（如密码或令牌）发布出去。",
        "删除这个链接，把真正的文件复制到这里（git 里应是普通文件）。",
    )


def parse_yaml(text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document; raise YamlError with a 1-based line (shifted by `line_offset`).

    Valid YAML goes through libyaml (fast); a document libyaml rejects is parsed again by the pure-Python
    parser, whose error wording the editors' messages are written for.
    """
    if _FastLoader is not None:
        try:
            return _parse(_FastLoader, text, line_offset)
        except LimitError:
            raise
        except YamlError:
            pass
    return _parse(_Loader, text, line_offset)


def _parse(loader_class, text: str, line_offset: int) -> Parsed:
    _check_brackets(text, line_offset)
    loader = loader_class(text)
    lines: dict[Path_, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        _collect_lines(node, lines, line_offset)  # before building anything: aliases, depth and sizes are bounded
        data = loader.construct_document(node)
    except RecursionError:  # the pure-Python parser on a deeply nested document
        raise LimitError(1 + line_offset, LIMITS["depth"].message(), LIMITS["depth"].fix) from None
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
    return Parsed(data, lines)


def _check_brackets(text: str, offset: int) -> None:
    """Refuse `[[[[…` before the parser sees it: libyaml takes seconds on a few thousand nested brackets."""
    limit = LIMITS["depth"]
    if text.count("[") + text.count("{") <= limit.value:
        return
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > limit.value:
            line = text.count("\n", 0, match.start()) + 1 + offset
            raise LimitError(line, limit.message(note="（或方括号、花括号没有配对）"), limit.fix)


def _collect_lines(root, lines: dict, offset: int) -> None:
    """Map every value's path to its line, checking the document's shape on the way (no recursion).

    A node met twice is an alias (`*name`): refused, since a few aliases of aliases expand to billions of values
    ("billion laughs") in everything that walks the data afterwards."""
    depth_limit, items, chars = LIMITS["depth"], LIMITS["items"], LIMITS["text_chars"]
    seen_nodes: set[int] = set()
    first = root.start_mark.line + 1 + offset
    stack = [(root, (), 1, first, first)]
    while stack:
        node, path, depth, line, used_at = stack.pop()  # used_at: where an alias would be (a node keeps its anchor's)
        name = field_path(path)
        if id(node) in seen_nodes:
            raise LimitError(
                used_at,
                "用了 YAML 别名（*名字，引用前面 &名字 的值）：故事和数据文件里不能用锚点和别名。",
                "把引用的值直接写出来；值本身以 * 或 & 开头时，用英文引号括起来。",
                name or None,
            )
        seen_nodes.add(id(node))
        lines[path] = line
        if depth > depth_limit.value:
            raise LimitError(line, depth_limit.message(depth), depth_limit.fix, name or None)
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > chars.value:
                raise LimitError(line, chars.message(len(node.value)), chars.fix, name or None)
            bad = FORBIDDEN_CHARS.search(node.value)  # written as a YAML escape such as "\e" or "\x00"
            if bad:
                raise LimitError(line, control_message(bad.group()), CONTROL_FIX, name or None)
            continue
        if len(node.value) > items.value:
            raise LimitError(line, items.message(len(node.value)), items.fix, name or None)
        children = []
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1 + offset
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlError(key_line, "YAML 格式错误：键只能是一个词，不能是列表或键值对", field=name or None)
                key = key_node.value
                if len(key) > chars.value:
                    raise LimitError(key_line, chars.message(len(key)), chars.fix, name or None)
                if bad := FORBIDDEN_CHARS.search(key):
                    raise LimitError(key_line, control_message(bad.group(), "键里"), CONTROL_FIX, name or None)
                if key in seen:  # PyYAML silently keeps the last one: an editor's `featured: true` would be lost
                    raise YamlError(
                        key_line,
                        f"YAML 格式错误：“{key}”写了两次（第 {seen[key]} 行和第 {key_line} 行），"
                        "只会用到最后一个；请删掉多余的一行",
                    )
                seen[key] = key_line
                children.append((value_node, path + (key,), depth + 1, key_line, key_line))  # on the key's line
        else:
            for index, item in enumerate(node.value):
                children.append((item, path + (index,), depth + 1, item.start_mark.line + 1 + offset, line))
        stack.extend(reversed(children))


def field_path(path) -> str:
    """sources[0].title: a value's path as the messages name a field."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
    size, limit = len(match.group(1).encode("utf-8")), LIMITS["front_matter_bytes"]
    if size > limit.value:
        raise LimitError(1, limit.message(size), limit.fix)
    meta = parse_yaml(match.group(1), line_offset=1)
    body_line = text[: match.end()].count("\n") + 1
    return Document(meta, text[match.end() :], body_line)

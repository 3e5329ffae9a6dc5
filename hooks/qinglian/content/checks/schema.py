"""The schema check: JSON Schema errors turned into located, Chinese messages an editor can act on, and the
front-matter fields the contract does not declare (usually typos)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from qinglian.content.contract import KINDS, LIMITS, REFS, SOURCE_FIELDS, Collection, Field
from qinglian.content.problems import Problem
from qinglian.content.yamlfile import Parsed, field_path

_FORMATS = FormatChecker(["date"])


def describe_value(value: object) -> str:
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, int):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value}”" if len(value) <= 30 else f"一段 {len(value)} 字的文字"
    if isinstance(value, list):
        return f"列表（{len(value)} 项）"
    if isinstance(value, dict):
        return "键值对（多行缩进）"
    if value is None:
        return "空值"
    return type(value).__name__


def suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f"是不是“{close[0]}”？" if close else ""


def check_schema(schema: dict, parsed: Parsed, rel: str, describe_field) -> list[Problem]:
    """Validate `parsed.data`; `describe_field(path)` returns the Field behind a path, or None."""
    validator = Draft202012Validator(schema, format_checker=_FORMATS)
    problems, seen = [], set()
    for error in validator.iter_errors(parsed.data):
        for problem in _explain(error, parsed, rel, describe_field):
            # one message per field: a bad date fails both `pattern` and `format`, an empty key both `type` and `enum`
            if (problem.line, problem.field) not in seen:
                seen.add((problem.line, problem.field))
                problems.append(problem)
    return problems


def _explain(error: ValidationError, parsed: Parsed, rel: str, describe_field) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if "propertyNames" in error.absolute_schema_path and isinstance(parsed.data, dict):  # a key not allowed here
        key = error.instance
        allowed = error.validator_value if kind == "enum" else []
        hint = suggest(key, allowed) if allowed else ""
        listing = f"可用的键：{'、'.join(allowed)}。" if allowed else "键只能用小写字母、数字和连字符。"
        return [
            Problem(
                rel,
                parsed.line_of(path + (key,)),
                field_path(path + (key,)),
                "这个键不在允许的范围内。",
                hint + listing,
            )
        ]
    if kind == "required":
        missing = error.message.split("'")[1]
        path = path + (missing,)
        f = describe_field(path)
        label = f"（{f.label}）" if f else ""
        parent_line = parsed.line_of(path[:-1]) if path[:-1] else 1
        example = _one_line_example(missing, f)
        expected = f"，应为{_expected(f)}" if f else ""
        return [
            Problem(rel, parent_line, field_path(path), f"缺少必填字段{label}{expected}。", f"加上一行 `{example}`。")
        ]
    if kind == "dependentRequired":  # cover without cover_alt, video without video_poster
        needed, owner = (re.findall(r"'([^']+)'", error.message) + ["", ""])[:2]
        if owner == "cover":
            return [
                Problem(
                    rel,
                    parsed.line_of(("cover",)),
                    "cover_alt",
                    "有封面图（cover）时必须写封面说明 cover_alt。",
                    "加上一行 `cover_alt: 图片内容的文字说明`。",
                )
            ]
        f, g = describe_field((needed,)), describe_field((owner,))
        need_label, owner_label = (f.label if f else needed), (g.label if g else owner)
        example = f"{needed}: {f.example}" if f else f"{needed}: …"
        return [
            Problem(
                rel,
                parsed.line_of((owner,)),
                needed,
                f"有{owner_label}（{owner}）时必须写{need_label} {needed}。",
                f"加上一行 `{example}`。",
            )
        ]
    f = describe_field(path)
    line = parsed.line_of(path)
    name = field_path(path)
    value = error.instance
    if kind == "enum" and f and f.ref:
        data_file, what = REFS[f.ref]
        allowed = list(error.validator_value)
        hint = suggest(value, allowed)
        listing = "、".join(allowed[:12]) + ("等" if len(allowed) > 12 else "")
        return [
            Problem(
                rel,
                line,
                name,
                f"“{value}”不是已登记的{what}。",
                f"{hint}请改用 {data_file} 里的键（{listing}），或先在 {data_file} 里登记。",
            )
        ]
    if kind == "maxLength":
        return [Problem(rel, line, name, f"太长：{len(value)} 字，最多 {error.validator_value} 字。", "请精简。")]
    if kind == "maxItems":
        limit = LIMITS[f.limit if f and f.limit else "items"]
        return [Problem(rel, line, name, limit.message(len(value)), limit.fix)]
    if kind == "minItems":
        return [
            Problem(rel, line, name, "至少需要一条。", f"按格式填写：`{name}:` 下一行写 `  - title: 书名或网址标题`。")
        ]
    if kind in ("type", "anyOf", "pattern", "format", "enum", "minimum"):
        if kind == "pattern" and isinstance(value, str) and not value.strip():
            return [Problem(rel, line, name, "不能为空。", f"填写{_expected(f)}。")]
        if kind == "enum" and not f:  # a fixed list of values in a data/ file, e.g. a township's kind
            allowed = "、".join(str(v) for v in error.validator_value)
            return [
                Problem(
                    rel,
                    line,
                    name,
                    f"“{value}”不是可用的值，应为其中之一：{allowed}。",
                    f"{suggest(value, [str(v) for v in error.validator_value])}改成其中之一。",
                )
            ]
        example = f" 例如 `{_one_line_example(path[-1], f)}`。" if f and isinstance(path[-1], str) else ""
        return [Problem(rel, line, name, f"应为{_expected(f)}，现在是{describe_value(value)}。", f"请改正。{example}")]
    return [Problem(rel, line, name, f"不符合要求（{error.message}）。", "")]


def _one_line_example(name: str, f: Field | None) -> str:
    """`name: example` on one line, so every problem stays one line (a sources example spans several)."""
    if not f:
        return f"{name}: …"
    if "\n" in f.example:
        first = f.example.strip().splitlines()[0].strip()
        return f"{name}:`，下一行写 `  {first}"
    return f"{name}: {f.example}"


def _expected(f: Field | None) -> str:
    return f.expected if f else "正确的值"


def describe_story_field(collection: Collection):
    """Map a front-matter path to its Field, including the sub-fields of sources."""
    sources = {s.name: s for s in SOURCE_FIELDS}

    def describe(path: tuple) -> Field | None:
        if not path:
            return None
        top = collection.field(path[0]) if isinstance(path[0], str) else None
        if top and top.kind == "sources" and len(path) >= 3:
            return sources.get(path[2])
        if top and top.kind == "text_list" and len(path) == 2:
            return Field(top.name, "text", top.label, top.help, "文字")
        return top

    return describe


def unknown_fields(parsed: Parsed, collection: Collection, rel: str) -> list[Problem]:
    """Front-matter keys the contract does not declare (usually typos)."""
    if not isinstance(parsed.data, dict):
        return []
    known = [f.name for f in collection.all_fields]
    problems = []
    for key in parsed.data:
        if key not in known:
            hint = suggest(key, known)
            problems.append(
                Problem(
                    rel,
                    parsed.line_of((key,)),
                    str(key),
                    f"{collection.name}不认识这个字段。",
                    hint or f"可用字段：{'、'.join(known)}。",
                )
            )
    sources = parsed.data.get("sources")
    if isinstance(sources, list):
        known_source = [s.name for s in SOURCE_FIELDS]
        for index, item in enumerate(sources):
            for key in item if isinstance(item, dict) else ():
                if key not in known_source:
                    path = ("sources", index, key)
                    problems.append(
                        Problem(
                            rel,
                            parsed.line_of(path),
                            field_path(path),
                            "来源里不认识这个字段。",
                            suggest(key, known_source) or f"可用：{'、'.join(known_source)}。",
                        )
                    )
    return problems


__all__ = ["KINDS", "check_schema", "describe_story_field", "unknown_fields", "describe_value", "suggest"]

"""Editor documentation generated from the contract, so the docs never drift from the checks.

A hand-written page includes a table by writing a placeholder on its own line, e.g.
`<!-- qinglian:fields officials -->`, `<!-- qinglian:fields common -->`, `<!-- qinglian:fields sources -->`,
`<!-- qinglian:fields limits -->` (the size limits, from contract.LIMITS).
"""

from __future__ import annotations

import re
from pathlib import Path

from qinglian.content.contract import COLLECTIONS, COMMON_FIELDS, LIMITS, REFS, SOURCE_FIELDS, Field
from qinglian.content.problems import Problem

_PLACEHOLDER = re.compile(r"^<!-- qinglian:fields (\w+) -->$", re.M)
_ANY_PLACEHOLDER = re.compile(r"^[ \t]*<!--\s*qinglian:fields\b.*$", re.M)
TABLE_NAMES = ("common", "sources", "limits", *COLLECTIONS)


def field_table(fields: tuple[Field, ...], extra_required: tuple[str, ...] = ()) -> str:
    rows = ["| 字段 | 名称 | 必填 | 填写什么 | 例子 |", "| --- | --- | --- | --- | --- |"]
    for f in fields:
        required = "必填" if f.required or f.name in extra_required else ""
        example = f.example.strip().replace("\n", " ").replace("|", "\\|")
        text = f"{f.help} 格式：{f.expected}。".replace("|", "\\|")
        rows.append(f"| `{f.name}` | {f.label} | {required} | {text} | `{example}` |")
    return "\n".join(rows)


def limits_table() -> str:
    rows = ["| 什么 | 上限 | 超过时怎么改 |", "| --- | --- | --- |"]
    rows += [f"| {limit.what} | {limit.value:,} {limit.unit} | {limit.fix} |" for limit in LIMITS.values()]
    return "\n".join(rows)


def tables_for(name: str) -> str:
    if name == "limits":
        return limits_table()
    if name == "common":
        return field_table(COMMON_FIELDS)
    if name == "sources":
        return field_table(SOURCE_FIELDS)
    collection = COLLECTIONS[name]
    table = field_table(collection.fields)
    notes = []
    if collection.sources_required:
        notes.append(f"{collection.name}必须有 `sources`（至少一条资料来源）。")
    if collection.consent_or_sources:
        notes.append("今人来信必须写 `consent: true`（写信人同意公开）；历史家书必须写 `sources`。两者至少有一个。")
    refs = sorted({f.ref for f in collection.fields if f.ref})
    notes += [f"`{f.name}` 的取值见 `{REFS[f.ref][0]}`。" for f in collection.fields if f.ref and f.ref in refs]
    return table + ("\n\n" + "\n".join(f"- {n}" for n in notes) if notes else "")


def expand_placeholders(markdown: str) -> str:
    """Known placeholders become tables; check_placeholders has already refused any other."""
    return _PLACEHOLDER.sub(lambda m: tables_for(m.group(1)) if m.group(1) in TABLE_NAMES else m.group(), markdown)


def check_placeholders(root: Path) -> list[Problem]:
    """Every `<!-- qinglian:fields … -->` line in docs/ names a table that exists, written as expanded."""
    problems = []
    docs = Path(root) / "docs"
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else ():
        if path.is_symlink() or not path.is_file():
            continue  # reported by checks.check_links
        text = path.read_text(encoding="utf-8", errors="replace")
        if "qinglian:fields" not in text:
            continue
        for match in _ANY_PLACEHOLDER.finditer(text):
            known = _PLACEHOLDER.fullmatch(match.group())
            if known and known.group(1) in TABLE_NAMES:
                continue
            problems.append(
                Problem(
                    path.relative_to(root).as_posix(),
                    text.count("\n", 0, match.start()) + 1,
                    None,
                    f"不认识的字段表占位符“{match.group().strip()[:80]}”。",
                    f"写成单独一行 `<!-- qinglian:fields 名称 -->`，名称是 {'、'.join(TABLE_NAMES)} 之一。",
                )
            )
    return problems

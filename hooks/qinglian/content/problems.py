"""Problems found in content: one located, Chinese message each.

Every check in the project reports through `Problem` so that the editor command, `mkdocs build`
and the tests all print the same line: ``stories/letters/x.md:5: 字段 consent：… 修改：…``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # repository-relative, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str | None  # front-matter field (dotted for nested: sources[0].title), or None
    message: str  # what is wrong and what was expected
    fix: str = ""  # how to fix it, addressed to the editor

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"字段 {self.field}：{self.message}" if self.field else self.message
        text = f"{where}: {what}"
        if self.fix:
            text += f" 修改：{self.fix}"
        return text


class ContentError(Exception):
    """Raised when content has problems; carries all of them, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(format_report(self.problems))


def format_report(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    head = f"内容检查发现 {len(problems)} 个问题（{files} 个文件），请逐条修改后再试："
    return "\n".join([head, *(f"  {p}" for p in problems)])

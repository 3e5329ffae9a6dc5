"""Problems found in content: one located, Chinese message each.

Every check in the project reports through `Problem` so that the editor command, `mkdocs build`
and the tests all print the same line: ``stories/letters/x.md:5: 字段 consent：… 修改：…``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qinglian.content.private_data import mask_all

# Shown escaped in every message: control characters (terminal escape codes, NUL, CR, line breaks), the
# characters that reorder or hide text (bidi controls, zero-width characters), the Unicode line separators, and
# the lone surrogates by which Python names the bytes of a file name that is not UTF-8.
INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def shown(text: object) -> str:
    """Text from a file, safe to print in a message: invisible characters escaped, private data masked."""
    return mask_all(INVISIBLE.sub(_escaped, str(text)))


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # repository-relative, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str | None  # front-matter field (dotted for nested: sources[0].title), or None
    message: str  # what is wrong and what was expected
    fix: str = ""  # how to fix it, addressed to the editor

    def __str__(self) -> str:
        path = shown(self.path)
        where = f"{path}:{self.line}" if self.line else path
        what = f"字段 {shown(self.field)}：{shown(self.message)}" if self.field else shown(self.message)
        text = f"{where}: {what}"
        if self.fix:
            text += f" 修改：{shown(self.fix)}"
        return text


class ContentError(Exception):
    """Raised when content has problems; carries all of them, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(format_report(self.problems))


def format_report(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})  # (each problem escapes and masks its own text)
    head = f"内容检查发现 {len(problems)} 个问题（{files} 个文件），请逐条修改后再试："
    return "\n".join([head, *(f"  {p}" for p in problems)])

"""MkDocs' link warnings, reworded for editors: the file they edit, the line, what is wrong and the fix.

MkDocs checks every link of every page (a missing page, a missing heading #…), which is what editors need,
but it names the page by its place in the site: a story in stories/letters/x.md is 'letters/x.md' there,
a file that does not exist in the repository, and the message is in English. `LinkMessages` is a logging
filter on MkDocs' page logger that rewrites those records into the project's own located form
(``stories/letters/x.md:12: 链接“…”… 修改：…``, the same shape as every content problem). The level is kept,
so a warning still fails `mkdocs build --strict`. Records it does not recognise pass unchanged.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from qinglian.content.problems import Problem

LOGGER = "mkdocs.structure.pages"  # where MkDocs 1.6 logs link problems
LOGGERS = (LOGGER, "properdocs.structure.pages")  # and ProperDocs, the maintained fork (its own package name)

_DOC = r"^Doc file '(?P<src>[^']+)' contains "
_HINT = r"(?: Did you mean '(?P<hint>[^']*)'\?)?$"
# (pattern, message, fix); {url}, {target}, {anchor} come from the pattern
_KINDS = (
    (
        re.compile(
            _DOC + r"a link '(?P<url>[^']*)', but the target(?: '(?P<target>[^']*)')? is not found among "
            r"documentation files\." + _HINT
        ),
        "链接“{url}”指向的文件不存在。",
        "检查文件名和路径：站内链接写目标 .md 文件的相对路径，如 ../officials/yuan-renyuan.md。",
    ),
    (
        re.compile(_DOC + r"an unrecognized relative link '(?P<url>[^']*)', it was left as is\." + _HINT),
        "链接“{url}”既不是站内的 .md 文件，也不是完整网址。",
        "站内文章写 .md 文件的相对路径；外部网址从浏览器地址栏完整复制（以 https:// 开头）。",
    ),
    (
        re.compile(
            _DOC + r"a link '(?P<url>[^']*)', but the doc '(?P<target>[^']*)' does not contain an anchor "
            r"'#(?P<anchor>[^']*)'\.$"
        ),
        "链接“{url}”里的小标题“{anchor}”，在 {target} 那一页找不到。",
        "打开那一页核对小标题的文字；小标题改过的，链接一起改。",
    ),
    (
        re.compile(_DOC + r"a link '(?P<url>[^']*)', but there is no such anchor on this page\..*$"),
        "链接“{url}”指向本页的小标题，但本页没有这个小标题。",
        "核对 # 后面的文字与本页小标题是否一致。",
    ),
)


class LinkMessages(logging.Filter):
    """`source_of(src_uri)` gives the file an editor edits for a page ('stories/letters/x.md',
    'docs/campaign.md') and its path on disk, or None for a page generated from the catalog."""

    def __init__(self, source_of: Callable[[str], tuple[str, Path] | None]):
        super().__init__()
        self.source_of = source_of

    def filter(self, record: logging.LogRecord) -> bool:
        reworded = self.reword(record.getMessage())
        if reworded:
            record.msg, record.args = reworded, ()
        return True

    def reword(self, message: str) -> str | None:
        for pattern, what, fix in _KINDS:
            match = pattern.match(message)
            if not match:
                continue
            found = match.groupdict()
            source = self.source_of(found["src"])
            if source is None:
                return None  # a generated page: the message is for developers, leave it as MkDocs wrote it
            rel, path = source
            target = found.get("target")
            target_source = self.source_of(target) if target else None
            words = {
                "url": found["url"],
                "anchor": found.get("anchor") or "",
                "target": target_source[0] if target_source else (target or ""),
            }
            hint = f"是不是想写“{found['hint']}”？" if found.get("hint") else ""
            return str(Problem(rel, _line_of(path, found["url"]), None, what.format(**words), hint + fix))
        return None


def install(source_of: Callable[[str], tuple[str, Path] | None]) -> LinkMessages:
    """Put the filter on MkDocs' page logger (once: `mkdocs serve` calls this on every rebuild)."""
    messages = LinkMessages(source_of)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, LinkMessages)]:
            logger.removeFilter(old)
        logger.addFilter(messages)
    return messages


def _line_of(path: Path, url: str) -> int:
    """The first line of the file that holds the link (0 if it cannot be found, e.g. a link from a template)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    for needle in (f"]({url}", f"({url}", f'"{url}"', url):
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number
    return 0

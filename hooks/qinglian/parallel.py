"""Story pages rendered in two processes: MkDocs renders one page after another, on one core.

Once the page plan exists, story pages do not depend on each other's rendering, so right after `on_nav`
`split_story_pages` forks (POSIX only): the child reads, converts, renders and writes a share of the story
pages — with their 繁體 mirror and search-index copies, which the hooks make in on_post_page — while MkDocs
goes on in the parent with every other page. The parent waits for the child in on_post_build, before the
search index and the swap; a child that fails or warns makes the build fail or warn the same way.

How MkDocs is kept from rendering the child's share in the parent: those files are marked EXCLUDED only
while MkDocs lists the pages to read (on_nav → first on_pre_page) and the pages to write (on_env onwards).
In between they are normal, so links from other pages to them resolve and validate as usual; the sitemap
gets them back through on_template_context.

This is the one module that uses MkDocs internals (`commands.build._populate_page` / `_build_page`, the
per-page steps of `mkdocs build`). They are looked up in the package that is running the build (mkdocs, or
ProperDocs, which has the same functions); if they are missing, or there is no fork (Windows), or
QINGLIAN_JOBS=1, the build stays in one process, as plain MkDocs would run it.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("mkdocs.hooks.qinglian.parallel")

# Errors whose message already names the file and the fix (no traceback for these).
_LOCATED_ERRORS = {"PluginError", "BuildError", "Abort", "ConfigurationError", "ContentError"}
JOBS_ENV = "QINGLIAN_JOBS"  # 1: one process (no fork); unset: as many as the machine has cores, at most 2


# The child's part of all pages. At 10,000 stories with one half each, the parent still took ~4 s longer
# (its browse pages list thousands of stories); 0.52 evens that out.
CHILD_SHARE = 0.52


def jobs() -> int:
    value = os.environ.get(JOBS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return min(int(value), 2)
    return min(os.cpu_count() or 1, 2)


@dataclass
class Split:
    """The parent's handle on the child process and on the files it renders."""

    pid: int
    report_fd: int
    share: list  # the File objects the child renders
    excluded: object  # InclusionLevel.EXCLUDED of the running MkDocs
    restored: list = field(default_factory=list)  # their own inclusion levels
    finished: bool = False
    share_excluded: bool = False

    def include_share(self) -> None:
        """MkDocs has listed the pages to read: the child's pages are normal pages again (links validate)."""
        if self.share_excluded:
            for file, level in zip(self.share, self.restored):
                file.inclusion = level
            self.share_excluded = False

    def exclude_share(self) -> None:
        """MkDocs is about to list the pages to write: keep the child's pages out of it."""
        for file in self.share:
            file.inclusion = self.excluded
        self.share_excluded = True

    def sitemap_pages(self, pages: list, files) -> list:
        """The sitemap's page list with the child's pages back in, in the files' own order."""
        wanted = set(map(id, pages)) | set(map(id, self.share))
        return [f for f in files if id(f) in wanted]

    def wait(self) -> dict:
        """Wait for the child; its report. A failed child raises RuntimeError with its message."""
        if self.finished:
            return {}
        chunks = []
        while chunk := os.read(self.report_fd, 1 << 16):
            chunks.append(chunk)
        os.close(self.report_fd)
        _, status = os.waitpid(self.pid, 0)
        self.finished = True
        code = os.waitstatus_to_exitcode(status)
        try:
            report = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            report = {}
        if code != 0 or report.get("error"):
            raise RuntimeError(report.get("error") or f"第二个生成进程异常退出（退出码 {code}）。")
        return report

    def abort(self) -> None:
        """The build failed in the parent: stop the child and reap it."""
        if self.finished:
            return
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.report_fd)
        self.finished = True


def split_story_pages(config, nav, files, story_files: list, finish: Callable[[], dict]) -> Split | None:
    """Fork; the child renders story pages and exits. None when the build stays in one process.

    The child takes story pages, spread evenly over the list, until it has CHILD_SHARE of all the pages: the
    parent also renders the other pages (home, browse and taxonomy pages, some long) and writes the theme's files.

    `finish` runs in the child after its last page; what it returns (JSON) reaches the parent in the report.
    """
    if jobs() < 2 or not hasattr(os, "fork") or len(story_files) < 2:
        return None
    package = type(config).__module__.split(".")[0]  # "mkdocs", or "properdocs" under ProperDocs
    try:
        build = importlib.import_module(f"{package}.commands.build")
        Page = importlib.import_module(f"{package}.structure.pages").Page
        InclusionLevel = importlib.import_module(f"{package}.structure.files").InclusionLevel
        CountHandler = importlib.import_module(f"{package}.utils").CountHandler
        populate, render = build._populate_page, build._build_page
    except (ImportError, AttributeError):
        log.info("并行生成不可用（%s 没有所需的内部函数），在一个进程中生成。", package)
        return None
    pages = len(files.documentation_pages())
    count = min(len(story_files) - 1, round(pages * CHILD_SHARE))
    share = [story_files[i * len(story_files) // count] for i in range(count)] if count > 0 else []
    if not share:
        return None
    for file in share:
        if file.page is None:
            Page(None, file, config)  # as MkDocs does for pages outside the nav; the parent's sitemap needs it
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _run_child(write_fd, config, nav, files, share, populate, render, CountHandler, finish)
    os.close(write_fd)
    split = Split(pid, read_fd, share, InclusionLevel.EXCLUDED, [f.inclusion for f in share])
    split.exclude_share()
    return split


def _run_child(fd, config, nav, files, share, populate, render, CountHandler, finish) -> None:
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    report: dict = {"pages": len(share)}
    started = time.perf_counter()
    code = 0
    try:
        for page in nav.pages:  # their titles (often their first heading) are in every page's navigation
            populate(page, config, files)
        for file in share:
            populate(file.page, config, files)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages()
        for file in share:
            render(file.page, config, doc_files, nav, env)
        for file in share:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        report["extra"] = finish()
    except BaseException as err:  # reported to the parent, which stops the build with the message
        code = 1
        message = str(err).strip() or type(err).__name__
        if type(err).__name__ not in _LOCATED_ERRORS:  # a bug rather than bad input: keep the end of the trace
            message += "\n" + traceback.format_exc(limit=-3)
        report["error"] = message
    report["warnings"] = sum(count for _, count in counter.get_counts())
    report["seconds"] = time.perf_counter() - started
    try:
        data = memoryview(json.dumps(report, ensure_ascii=False).encode("utf-8"))
        while data:
            data = data[os.write(fd, data):]
        os.close(fd)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)

"""Story pages rendered in two processes: MkDocs renders one page after another, on one core.

Once the page plan exists, story pages do not depend on each other's rendering, so right after `on_nav`
`split_story_pages` forks (POSIX only). MkDocs goes on in the parent with every page but the stories; the
child reads, converts, renders and writes story pages — with their 繁體 mirror and search-index copies,
which the hooks make in on_post_page — taking them a few at a time from a counter the two processes share.
When the parent is done with its own pages (on_post_build) it takes stories from the same counter, so both
finish together however fast each one runs. Then the parent waits for the child, before the search index
and the swap; a child that fails or warns makes the build fail or warn the same way.

How MkDocs is kept from rendering the stories itself: they are marked EXCLUDED only while MkDocs lists the
pages to read (on_nav → first on_pre_page) and the pages to write (on_env onwards). In between they are
normal, so links from other pages to them resolve and validate as usual; the sitemap gets them back through
on_template_context. Links to headings (#…) need the rendered target, so those into and out of stories are
checked at the end, when both processes are done (`Split.check_anchor_links`).

Only for a site without MkDocs plugins (hooks only, as this project's mkdocs.yml has `plugins: []`): a plugin
that collects what it sees of each page (Material's search index, say) would see only the parent's pages.

This is the one module that uses MkDocs internals (`commands.build._populate_page` / `_build_page`, the
per-page steps of `mkdocs build`). They are looked up in the package that is running the build (mkdocs, or
ProperDocs, which has the same functions); if they are missing, or there is no fork (Windows), or
QINGLIAN_JOBS=1, the build stays in one process, as plain MkDocs would run it.
"""

from __future__ import annotations

import importlib
import json
import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("mkdocs.hooks.qinglian.parallel")

# Errors whose message already names the file and the fix (no traceback for these).
_LOCATED_ERRORS = {"PluginError", "BuildError", "Abort", "ConfigurationError", "ContentError"}
JOBS_ENV = "QINGLIAN_JOBS"  # 1: one process (no fork); unset: as many as the machine has cores, at most 2
BATCH = 4  # stories taken from the shared counter at a time


def jobs() -> int:
    value = os.environ.get(JOBS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return min(int(value), 2)
    return min(os.cpu_count() or 1, 2)


@dataclass
class _Steps:
    """What rendering a story takes, in the running MkDocs."""

    config: object
    nav: object
    files: object
    populate: Callable
    render: Callable
    Page: type
    doc_files: list | None = None
    # Heading links (#…) are checked once every story is rendered, in the parent (Split.check_anchor_links):
    # the heading ids of the stories this process rendered, and the heading links they contain.
    anchors: dict = field(default_factory=dict)  # src_uri -> ids
    anchor_links: dict = field(default_factory=dict)  # src_uri -> {target src_uri: {anchor: link as written}}

    def story(self, file, env) -> None:
        if file.page is None:
            self.Page(None, file, self.config)
        if self.doc_files is None:
            self.doc_files = self.files.documentation_pages()  # the templates' `pages` (Material does not use it)
        page = file.page
        self.populate(page, self.config, self.files)
        self.render(page, self.config, self.doc_files, self.nav, env)
        self.anchors[file.src_uri] = sorted(page.present_anchor_ids or ())
        if page.links_to_anchors:
            self.anchor_links[file.src_uri] = {to.src_uri: links for to, links in page.links_to_anchors.items()}
        page.content = page.markdown = None  # written: the HTML need not stay in memory


@dataclass
class Split:
    """The parent's handle on the child process and on the story pages the two render."""

    pid: int
    report_fd: int
    stories: list  # the File objects of the story pages
    next_story: object  # shared counter (multiprocessing.Value): index of the next story nobody has taken
    steps: _Steps
    excluded: object  # InclusionLevel.EXCLUDED of the running MkDocs
    restored: list = field(default_factory=list)  # the stories' own inclusion levels
    finished: bool = False
    stories_excluded: bool = False
    rendered_here: int = 0

    def include_stories(self) -> None:
        """MkDocs has listed the pages to read: the stories are normal pages again (links to them validate)."""
        if self.stories_excluded:
            for file, level in zip(self.stories, self.restored):
                file.inclusion = level
            self.stories_excluded = False

    def exclude_stories(self) -> None:
        """MkDocs is about to list the pages to read or write: keep the stories out of it."""
        for file in self.stories:
            file.inclusion = self.excluded
        self.stories_excluded = True

    def sitemap_pages(self, pages: list, files) -> list:
        """The sitemap's page list with the stories back in, in the files' own order."""
        wanted = set(map(id, pages)) | set(map(id, self.stories))
        return [f for f in files if id(f) in wanted]

    def render_remaining(self, env) -> None:
        """The parent's share: stories nobody has taken yet (call when MkDocs is done with the other pages)."""
        self.rendered_here = _render_stories(self.stories, self.next_story, self.steps, env)

    def check_anchor_links(self, report: dict) -> None:
        """Check heading links (#…) into and out of the stories, now that every story has been rendered.

        MkDocs checks them once it has rendered its pages, but then no story was rendered in this process yet,
        and half of them never are: a link to a missing heading would pass unseen. The warnings are MkDocs'
        own (Page.validate_anchor_links), so they read and count exactly as in a one-process build.
        """
        files, level = self.steps.files, self.steps.config.validation.links.anchors
        ids = {**self.steps.anchors, **report.get("anchors", {})}
        links_of = {**self.steps.anchor_links, **report.get("anchor_links", {})}
        for src, anchors in ids.items():
            files.get_file_from_path(src).page.present_anchor_ids = set(anchors)
        stories = set(map(id, self.stories))
        for file in files:
            page = file.page
            if page is None:
                continue
            if id(file) in stories:
                page.links_to_anchors = {
                    target: found
                    for to, found in links_of.get(file.src_uri, {}).items()
                    if (target := files.get_file_from_path(to))
                }
                page.validate_anchor_links(files=files, log_level=level)
            elif page.links_to_anchors:  # MkDocs checked its other links; those into stories it had to skip
                own = page.links_to_anchors
                page.links_to_anchors = {to: found for to, found in own.items() if id(to) in stories}
                try:
                    page.validate_anchor_links(files=files, log_level=level)
                finally:
                    page.links_to_anchors = own

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

    `finish` runs in the child after its last page; what it returns (JSON) reaches the parent in the report.
    """
    if jobs() < 2 or not hasattr(os, "fork") or len(story_files) < 2 or threading.active_count() > 1:
        return None  # (a fork of a process that runs other threads can hang on their locks)
    plugins = [name for name in config.plugins if name not in (config.hooks or {})]
    if plugins:  # a plugin keeps what it sees of each page in its own process: it would miss the child's pages
        log.info("已启用插件 %s：为保证插件看到每一页，在一个进程中生成。", "、".join(plugins))
        return None
    package = type(config).__module__.split(".")[0]  # "mkdocs", or "properdocs" under ProperDocs
    try:
        build = importlib.import_module(f"{package}.commands.build")
        Page = importlib.import_module(f"{package}.structure.pages").Page
        InclusionLevel = importlib.import_module(f"{package}.structure.files").InclusionLevel
        CountHandler = importlib.import_module(f"{package}.utils").CountHandler
        steps = _Steps(config, nav, files, build._populate_page, build._build_page, Page)
    except (ImportError, AttributeError):
        log.info("并行生成不可用（%s 没有所需的内部函数），在一个进程中生成。", package)
        return None
    for file in story_files:
        if file.page is None:
            Page(None, file, config)  # as MkDocs does for pages outside the nav; the parent's sitemap needs them
    next_story = multiprocessing.get_context("fork").Value("l", 0)
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _run_child(write_fd, story_files, next_story, steps, CountHandler, finish)
    os.close(write_fd)
    split = Split(
        pid, read_fd, story_files, next_story, steps, InclusionLevel.EXCLUDED, [f.inclusion for f in story_files]
    )
    split.exclude_stories()
    return split


def _render_stories(stories: list, next_story, steps: _Steps, env) -> int:
    """Take BATCH stories at a time from the shared counter and render them, until none are left."""
    done = 0
    while True:
        with next_story.get_lock():
            start = next_story.value
            next_story.value = start + BATCH
        if start >= len(stories):
            return done
        for file in stories[start : start + BATCH]:
            steps.story(file, env)
            done += 1


def _run_child(fd, stories, next_story, steps: _Steps, CountHandler, finish) -> None:
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    config, files = steps.config, steps.files
    report: dict = {"pages": 0}
    started = time.perf_counter()
    code = 0
    try:
        for page in steps.nav.pages:  # their titles (often their first heading) are in every page's navigation
            steps.populate(page, config, files)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        report["pages"] = _render_stories(stories, next_story, steps, env)
        report["anchors"], report["anchor_links"] = steps.anchors, steps.anchor_links
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
            data = data[os.write(fd, data) :]
        os.close(fd)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)

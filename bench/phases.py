"""Time the steps of one `mkdocs build` in-process: where a build's wall and CPU time go.

    cd <project copy> && python <repo>/bench/phases.py [mkdocs.yml]

Wraps MkDocs' per-page steps (`_populate_page`: read + Markdown; `_build_page`: template + on_post_page) and
every plugin event, then prints one line per step. A profiler, not part of the build: it wraps MkDocs'
private per-page functions only to time them.
"""

from __future__ import annotations

import collections
import os
import resource
import sys
import time

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import plugins  # noqa: E402
from mkdocs.commands import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

TIMES: dict[str, list] = collections.defaultdict(lambda: [0.0, 0.0, 0])
EVENTS = (
    "on_config",
    "on_files",
    "on_nav",
    "on_env",
    "on_page_markdown",
    "on_page_content",
    "on_page_context",
    "on_post_page",
    "on_post_build",
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(owner, name: str) -> None:
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), _cpu()
        try:
            return original(*args, **kwargs)
        finally:
            entry = TIMES[name]
            entry[0] += time.perf_counter() - wall
            entry[1] += _cpu() - cpu
            entry[2] += 1

    setattr(owner, name, wrapper)


def main() -> int:
    for name in ("_populate_page", "_build_page", "_build_theme_template"):
        _timed(build, name)
    for name in EVENTS:
        _timed(plugins.PluginCollection, name)
    wall, cpu = time.perf_counter(), _cpu()
    build.build(load_config(sys.argv[1] if len(sys.argv) > 1 else "mkdocs.yml"))
    for name, (w, c, n) in sorted(TIMES.items(), key=lambda item: -item[1][0]):
        print(f"{name:22s} wall {w:7.2f} s  CPU {c:7.2f} s  calls {n}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"total wall {time.perf_counter() - wall:.2f} s, CPU {_cpu() - cpu:.2f} s (+ {children.ru_utime + children.ru_stime:.2f} s "
        f"in child processes), peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

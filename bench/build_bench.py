"""Build-speed benchmark: the real generator against a plain MkDocs build of the same stories.

    python bench/build_bench.py                 # N = 200, 2000, 10000 and the serve check at 2000
    python bench/build_bench.py 200 2000        # a subset
    python bench/build_bench.py 2000 --no-serve --repeat 2

For each N it copies the project into a temporary folder, writes N synthetic stories (tools/synthetic.py)
and measures, in that one run:

- the full `mkdocs build --strict` of the project (hooks, generated browse pages, related stories, and the
  search index when the branch has one): wall time, ms per story, peak memory of the build process
  (ru_maxrss from wait4), site size and bytes per story (the site's growth over the site without synthetic
  stories, divided by N, so the fixed theme assets do not hide the per-story output);
- the search indexing time, read from the build log when the hooks log it (Pagefind), else "n/a";
- a plain `mkdocs build` of the same stories as ordinary Markdown pages under docs/ (Material, a short nav,
  no hooks, no search plugin): the yardstick the hooks' marginal cost per story is compared with;
- the time `plan_site` (load + check all content, catalog, related stories, page plan) takes in-process;
- Pagefind with its own settings over the plain build's articles, for a lower bound: (plain CPU + that index's
  CPU) / cores is the least any MkDocs + Material + Pagefind build of these stories takes on this machine.

Then the marginal cost per story, (t(N) - t(small)) / (N - small), for hooks and plain, and their ratio;
and, at 2,000 stories, how long `mkdocs serve` takes to show an edit to one story.

The machine is shared: numbers are noisy, so compare the ratios from one run rather than absolute times.
Nothing here is a test; it prints tables.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
import _paths  # noqa: E402, F401  (hooks/ and tools/ on sys.path)
from synthetic import copy_project, write_stories  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SEARCH_LOG = re.compile(r"搜索索引[^\n]*?用时\s*([\d.]+)\s*秒")
SERVE_N = 2000

PLAIN_MKDOCS_YML = """\
site_name: 清廉慈利（对照：纯 MkDocs）
theme:
  name: material
  language: zh
  font: false
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
  - admonition
  - attr_list
  - md_in_html
  - tables
  - footnotes
  - pymdownx.details
  - pymdownx.superfences
plugins: []
nav:
  - 首页: index.md
"""


@dataclass
class Run:
    seconds: float  # wall clock
    peak_mb: float  # the largest single process (wait4's ru_maxrss: the build or one it waited for)
    cpu: float  # user + system CPU seconds of the build and the processes it waited for (e.g. Pagefind)
    returncode: int
    log: str = ""
    tree_mb: float = 0.0  # the most the build and all its processes held at once (sampled every 0.1 s)


@dataclass
class Row:
    n: int
    stories: int = 0
    hooks: Run | None = None
    plain: Run | None = None
    site_bytes: int = 0
    plain_bytes: int = 0
    search: str = "n/a"
    plan_s: float = 0.0
    plain_index: Run | None = None  # Pagefind, default settings, on the plain build's articles
    extra: dict = field(default_factory=dict)


def tree_rss_mb(root: int) -> float:
    """RSS of `root` and all its descendants now (Linux /proc), in MB."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    parents[int(entry.name)] = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, frontier = {root}, [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier and pid not in tree]
        tree.update(frontier)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total / 2**20


def run_measured(cmd: list[str], cwd: Path, timeout: float = 1800) -> Run:
    """Run `cmd`; wall time, the peak RSS of its largest process (wait4's rusage) and of all its processes
    together (the hooks render in two processes; Pagefind runs as a third)."""
    started = time.perf_counter()
    tree_peak, sampled = 0.0, 0.0
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            if time.perf_counter() - sampled > 0.1:
                tree_peak, sampled = max(tree_peak, tree_rss_mb(proc.pid)), time.perf_counter()
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen not to wait again
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    return Run(
        seconds,
        usage.ru_maxrss / 1024,
        usage.ru_utime + usage.ru_stime,
        proc.returncode,
        log,
        max(tree_peak, usage.ru_maxrss / 1024),
    )


def mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# Keys of the project's mkdocs.yml the plain build drops: the hooks and what only they make work.
PLAIN_DROP = {"hooks", "plugins", "watch", "extra_css", "extra_javascript", "exclude_docs", "not_in_nav"}


def plain_config(project: Path) -> str:
    """The project's own mkdocs.yml without hooks, plugins (so no search), theme overrides or extra assets.

    The YAML is composed, not constructed, so tags such as !ENV and the slugify object pass through as written.
    """
    import yaml

    root = yaml.compose((project / "mkdocs.yml").read_text(encoding="utf-8"))
    kept = []
    for key, value in root.value:
        if key.value in PLAIN_DROP:
            continue
        if key.value == "theme" and isinstance(value, yaml.MappingNode):
            value.value = [(k, v) for k, v in value.value if k.value != "custom_dir"]
        kept.append((key, value))
    empty = yaml.SequenceNode("tag:yaml.org,2002:seq", [], flow_style=True)
    kept.append((yaml.ScalarNode("tag:yaml.org,2002:str", "plugins"), empty))  # [] or MkDocs adds search
    root.value = kept
    return yaml.serialize(root, allow_unicode=True)


def nav_paths(config_text: str) -> list[str]:
    import yaml

    def walk(node):
        if isinstance(node, yaml.ScalarNode):
            if node.value.endswith(".md"):
                yield node.value
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item)
        elif isinstance(node, yaml.MappingNode):
            for _, value in node.value:
                yield from walk(value)

    root = yaml.compose(config_text)
    nav = next((v for k, v in root.value if k.value == "nav"), None)
    return list(walk(nav)) if nav is not None else []


def make_plain_project(project: Path, dest: Path, minimal: bool = False) -> Path:
    """The same stories as plain Markdown pages in docs/<collection>/ with no hooks and no search.

    Default: the project's own theme settings and short nav (nav pages the hooks generate become one-line
    stubs), so the difference is what the hooks add. `minimal`: Material with a one-entry nav and no features.
    """
    docs = dest / "docs"
    docs.mkdir(parents=True)
    config = PLAIN_MKDOCS_YML if minimal else plain_config(project)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in (project / "stories").iterdir():
        if folder.is_dir() and not folder.name.startswith(("_", ".")):
            shutil.copytree(folder, docs / folder.name)
    for rel in ["index.md", *nav_paths(config)]:
        target = docs / rel  # hand-written pages may need the hooks (templates, placeholders): stubs instead
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {Path(rel).parent.name or Path(rel).stem}\n\n对照页面。\n", encoding="utf-8")
    return dest


def search_time(log: str, site: Path) -> str:
    match = SEARCH_LOG.search(log)
    if match:
        return f"{float(match.group(1)):.1f}"
    if (site / "pagefind").is_dir():
        return "in build"
    return "n/a"


def pagefind_alone(site: Path, out: Path) -> str:
    """Pagefind (the search branch's indexer) run by itself on the built site, as 'pf <seconds>'."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        return "n/a"
    started = time.perf_counter()
    proc = subprocess.run(
        [str(get_executable()), "--site", str(site), "--output-path", str(out), "--quiet"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return f"pf {took:.1f}" if proc.returncode == 0 else "n/a"


def plain_index(site: Path, out: Path) -> Run | None:
    """Pagefind with its own settings (its Chinese word segmentation) over the plain build's articles: the least
    a searchable site of these pages costs to index, for the lower bound in print_floor."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        return None
    run = run_measured(
        [
            str(get_executable()),
            "--site",
            str(site),
            "--output-path",
            str(out),
            "--quiet",
            "--root-selector",
            "article",
        ],
        site,
    )
    shutil.rmtree(out, ignore_errors=True)
    return run if run.returncode == 0 else None


def plan_time(project: Path) -> float:
    """plan_site in a fresh interpreter (the project copy's own hooks), so earlier runs do not warm caches."""
    code = (
        "import sys, time; sys.path.insert(0, 'hooks'); from qinglian.site.pages import plan_site; "
        "t = time.perf_counter(); plan_site(__import__('pathlib').Path('.')); print(time.perf_counter() - t)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=ENV, capture_output=True, text=True)
    return float(proc.stdout.strip() or "nan")


def measure(n: int, work: Path, seed: int, minimal: bool) -> Row:
    project = copy_project(work / f"n{n}" / "project")
    if n:
        write_stories(project, n, seed)
    row = Row(n, stories=sum(1 for _ in (project / "stories").glob("*/*.md")))
    site = work / f"n{n}" / "site"
    row.hooks = run_measured(mkdocs("build", "--strict", "-d", str(site)), project)
    if row.hooks.returncode != 0:
        print(row.hooks.log[-4000:], file=sys.stderr)
        raise SystemExit(f"build of N={n} failed (exit {row.hooks.returncode})")
    row.site_bytes = tree_size(site)
    row.search = search_time(row.hooks.log, site)
    if row.search == "n/a":  # the branch builds no Pagefind index yet: time Pagefind on the built pages instead
        row.search = pagefind_alone(site, work / f"n{n}" / "pagefind")
    plain = make_plain_project(project, work / f"n{n}" / "plain", minimal)
    row.plain = run_measured(mkdocs("build", "-d", str(plain / "site")), plain)
    if row.plain.returncode != 0:
        print(row.plain.log[-4000:], file=sys.stderr)
        raise SystemExit(f"plain build of N={n} failed (exit {row.plain.returncode})")
    row.plain_bytes = tree_size(plain / "site")
    row.plain_index = plain_index(plain / "site", work / f"n{n}" / "plain-pagefind")
    row.plan_s = plan_time(project)
    shutil.rmtree(site)
    shutil.rmtree(plain / "site")
    return row


# ---- mkdocs serve ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None


def wait_for(predicate, timeout: float, interval: float = 0.05) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if predicate():
            return time.perf_counter() - started
        time.sleep(interval)
    return None


def serve_edit_time(n: int, work: Path, seed: int, extra_args: tuple[str, ...] = ()) -> dict:
    """Start `mkdocs serve`, edit one story, and time until the served page shows the edit."""
    project = work / f"serve{n}" / "project"
    if not project.exists():
        copy_project(project)
        write_stories(project, n, seed)
    story = sorted((project / "stories" / "units").glob("ceshi-*.md"))[0]
    url_path = f"units/{story.stem}/"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = mkdocs("serve", "-a", f"127.0.0.1:{port}", *extra_args)
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            cmd,
            cwd=project,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            first = wait_for(lambda: fetch(base + url_path) is not None, timeout=600, interval=0.2)
            if first is None:
                out.seek(0)
                raise SystemExit("mkdocs serve did not come up:\n" + out.read().decode("utf-8", "replace")[-3000:])
            time.sleep(1.0)  # let the watcher settle after the first build
            # no digits: a long digit run can pass the bank-card check, and the edited build would then fail
            marker = "测试修改标记" + "".join(chr(ord("a") + int(d)) for d in str(time.time_ns()))
            text = story.read_text(encoding="utf-8")
            edited_at = time.perf_counter()
            story.write_text(text + f"\n{marker}\n", encoding="utf-8")
            shown = wait_for(lambda: marker in (fetch(base + url_path) or ""), timeout=300, interval=0.05)
            return {
                "first_build_s": first,
                "edit_s": shown if shown is not None else float("nan"),
                "since_write_s": time.perf_counter() - edited_at,
            }
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
            if proc.poll() is None:
                os.killpg(proc.pid, 9)
                proc.wait()


# ---- report ------------------------------------------------------------------------------------


def print_tables(rows: list[Row], baseline: Row) -> None:
    print("\n## Full builds (one run per N; same machine, same moment)\n")
    head = (
        "N",
        "stories",
        "build s",
        "CPU s",
        "ms/story",
        "peak MB",
        "all procs MB",
        "site MB",
        "B/story",
        "search s",
        "plan s",
        "plain s",
        "plain CPU s",
        "plain ms/story",
        "plain peak MB",
        "plain B/story",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in [baseline, *rows]:
        per = (r.site_bytes - baseline.site_bytes) / r.n if r.n else float("nan")
        plain_per = (r.plain_bytes - baseline.plain_bytes) / r.n if r.n else float("nan")
        cells = (
            r.n,
            r.stories,
            f"{r.hooks.seconds:.1f}",
            f"{r.hooks.cpu:.1f}",
            f"{1000 * r.hooks.seconds / r.stories:.2f}",
            f"{r.hooks.peak_mb:.0f}",
            f"{r.hooks.tree_mb:.0f}",
            f"{r.site_bytes / 1e6:.1f}",
            "—" if not r.n else f"{per:,.0f}",
            r.search,
            f"{r.plan_s:.2f}",
            f"{r.plain.seconds:.1f}",
            f"{r.plain.cpu:.1f}",
            f"{1000 * r.plain.seconds / r.stories:.2f}",
            f"{r.plain.peak_mb:.0f}",
            "—" if not r.n else f"{plain_per:,.0f}",
        )
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print(
        "\nsearch s: the search step's time from the build log; 'pf X' = the branch has no search step, so "
        "Pagefind was run by itself on the built site (not included in build s; the build still runs Material's "
        "own search plugin until the search branch replaces it)."
    )
    print(
        "\nbuild s = wall clock of `mkdocs build --strict` (search index included when the hooks build one); "
        "CPU s = user+system of that process and its children (steadier than wall time on a shared machine); "
        "peak MB = the largest single process; all procs MB = the build's processes together, sampled every "
        "0.1 s (the hooks render in two processes, Pagefind runs as a third); "
        "B/story = (site size − size of the site without synthetic stories) / N; "
        "plan s = plan_site (load, check, catalog, related, page plan) alone."
    )

    if rows and (len(rows) >= 2 or rows[0].n):
        small = rows[0] if len(rows) >= 2 else baseline
        print(f"\n## Marginal cost per extra story, from N={small.n} (search index left out of the hooks' side)\n")
        print(
            "| N | hooks ms/story (wall) | plain ms/story (wall) | ratio (wall) | hooks ms/story (CPU) | "
            "plain ms/story (CPU) | ratio (CPU) |"
        )
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            if r is small:
                continue
            dn = r.stories - small.stories
            hooks = 1000 * (_without_search(r) - _without_search(small)) / dn
            plain = 1000 * (r.plain.seconds - small.plain.seconds) / dn
            hooks_cpu = 1000 * (r.hooks.cpu - small.hooks.cpu) / dn
            plain_cpu = 1000 * (r.plain.cpu - small.plain.cpu) / dn
            print(
                f"| {r.n} | {hooks:.2f} | {plain:.2f} | {hooks / plain:.2f} | {hooks_cpu:.2f} | {plain_cpu:.2f} | "
                f"{hooks_cpu / plain_cpu:.2f} |"
            )
        first, last = rows[0], rows[-1]
        if first.n and last is not first:
            a = (first.site_bytes - baseline.site_bytes) / first.n
            b = (last.site_bytes - baseline.site_bytes) / last.n
            print(f"\nBytes per story at N={last.n} vs N={first.n}: {b:,.0f} / {a:,.0f} = {b / a:.3f}")


def print_floor(rows: list[Row]) -> None:
    """The least a full build of these stories can take on this machine with MkDocs + Material + Pagefind:
    the plain build's CPU plus Pagefind's on the same articles, spread perfectly over every core. It leaves
    out everything the hooks add (繁體 mirror, browse pages, related stories, checks, substring search)."""
    cores = os.cpu_count() or 1
    print(f"\n## Lower bound for a full build with search ({cores} cores, perfect parallelism, no hooks)\n")
    print(
        "| N | plain CPU s | Pagefind CPU s (plain articles, default settings) | sum / cores = least wall s | "
        "this build s |"
    )
    print("|---|---|---|---|---|")
    for r in rows:
        if r.plain_index is None:
            continue
        least = (r.plain.cpu + r.plain_index.cpu) / cores
        print(f"| {r.n} | {r.plain.cpu:.1f} | {r.plain_index.cpu:.1f} | {least:.1f} | {r.hooks.seconds:.1f} |")


def _without_search(row: Row) -> float:
    try:
        return row.hooks.seconds - float(row.search)  # a search step inside the build
    except ValueError:
        return row.hooks.seconds  # 'pf X' (run outside the build) or n/a


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sizes", nargs="*", type=int, default=[200, 2000, 10000], help="story counts (default 200 2000 10000)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the fastest is reported")
    parser.add_argument(
        "--serve",
        dest="serve",
        action="store_true",
        default=None,
        help=f"measure the mkdocs serve edit time at N={SERVE_N} (default: when {SERVE_N} is among the sizes)",
    )
    parser.add_argument("--no-serve", dest="serve", action="store_false")
    parser.add_argument("--serve-only", action="store_true", help="only the mkdocs serve measurement")
    parser.add_argument(
        "--plain",
        choices=("same", "minimal"),
        default="same",
        help="the plain build: the project's own theme settings and nav (default), or Material with "
        "a one-page nav and no theme features",
    )
    parser.add_argument("--workdir", type=Path, help="where to put the project copies (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the project copies")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    serve = args.serve if args.serve is not None else (SERVE_N in sizes or args.serve_only)

    work = Path(args.workdir or tempfile.mkdtemp(prefix="qinglian-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"# Build benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, work dir {work}"
    )
    try:
        if not args.serve_only:

            def best(n: int) -> Row:
                runs = []
                for _ in range(args.repeat):
                    runs.append(measure(n, work, args.seed, args.plain == "minimal"))
                    shutil.rmtree(work / f"n{n}")
                return min(runs, key=lambda r: r.hooks.seconds)

            baseline = best(0)
            rows = []
            for n in sizes:
                rows.append(best(n))
                print(
                    f"  N={n}: build {rows[-1].hooks.seconds:.1f} s, plain {rows[-1].plain.seconds:.1f} s, "
                    f"load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            print_tables(rows, baseline)
            print_floor(rows)
        if serve:
            print(f"\n## mkdocs serve at N={SERVE_N}: an edit to one story's text until the served page shows it\n")
            print("| command | first build until served, s | edit visible after, s |")
            print("|---|---|---|")
            for flags in ((), ("--dirty",)):
                result = serve_edit_time(SERVE_N, work, args.seed, flags)
                print(
                    f"| `mkdocs serve {' '.join(flags)}` | {result['first_build_s']:.1f} | {result['edit_s']:.1f} |",
                    flush=True,
                )
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

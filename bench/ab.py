"""A/B of each speed mechanism alone, at the same moment on the same machine.

    python bench/ab.py 2000                 # every variant at 2,000 stories, then the serve edit times
    python bench/ab.py 2000 10000 --no-serve
    python bench/ab.py 10000 --only "branch;branch, one search index" --no-serve
    python bench/ab.py 2000 --only "main;branch" --ref bc90e68 --no-serve   # plus the code of one more commit
    python bench/ab.py 2000 --warm --no-serve   # time a rebuild: covers drawn (the largest, noisiest CPU item)

Each variant is a throw-away copy of a project (this worktree, or `--main-ref` exported from git) with the
same synthetic stories (tools/synthetic.py, same seed), built once with `mkdocs build --strict`. A mechanism
is switched off by editing its line in the copy (PATCHES below; the edit must match, or the run stops), never
by a switch in the product. Variants run one after another, in alternating order per N, and the machine's
load average is printed with each row.

Target metric of each mechanism: search shards → peak memory of all processes (10,000 stories; at 2,000 there
is one shard either way); the removed two-process split → build wall time; incremental serve → time until an
edit shows in `mkdocs serve`. The per-folder navigation cache and the mirror's tag memo were measured here
too (bench/README.md) and removed; to A/B a mechanism again, add a variant whose edit switches it off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
import _paths  # noqa: E402, F401  (hooks/ and tools/ on sys.path)
import build_bench  # noqa: E402
from build_bench import mkdocs, run_measured, serve_edit_time, tree_size  # noqa: E402
from synthetic import copy_project, write_stories  # noqa: E402

REPO = HERE.parent

# name -> (code: "branch" | "main", extra environment, [(file, old text, new text)])
VARIANTS: dict[str, tuple[str, dict, list]] = {
    "main": ("main", {}, []),  # today's main: two processes
    "main, one process": ("main", {"QINGLIAN_JOBS": "1"}, []),  # the removed split, switched off
    "branch": ("branch", {}, []),
    "branch, one search index": ("branch", {"QINGLIAN_SEARCH_SHARD_PAGES": "1000000"}, []),
}


def export_main(ref: str, dest: Path) -> Path:
    """The files of `ref` (a commit of this repository) in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", ref], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def prepare(name: str, n: int, work: Path, code_dirs: dict[str, Path], seed: int) -> Path:
    code, _env, patches = VARIANTS[name]
    project = copy_project(work / f"{n}-{name.replace(' ', '_').replace(',', '')}", repo=code_dirs.get(code, REPO))
    for rel, old, new in patches:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise SystemExit(f"variant {name!r}: {rel} no longer contains {old!r}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    write_stories(project, n, seed)
    return project


def build(name: str, project: Path, warm: bool = False) -> dict:
    extra = VARIANTS[name][1]
    build_bench.ENV.update(extra)  # the environment run_measured gives the build
    try:
        if warm:  # an untimed build first: the share covers are drawn into .cache/ and reused by the timed one
            run_measured(mkdocs("build", "--strict", "-d", str(project / "site-warm")), cwd=project)
        run = run_measured(mkdocs("build", "--strict", "-d", str(project / "site")), cwd=project)
    finally:
        for key in extra:
            build_bench.ENV.pop(key, None)
    if run.returncode != 0:
        raise SystemExit(f"{name}: build failed\n{run.log[-3000:]}")
    return {
        "wall": run.seconds,
        "cpu": run.cpu,
        "peak": run.peak_mb,
        "tree": run.tree_mb,
        "bytes": tree_size(project / "site"),
        "load": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--main-ref", default="main", help="git commit of today's main (default: main)")
    parser.add_argument("--ref", action="append", default=[], help="also build the code of this commit as it is")
    parser.add_argument("--only", help="variant names separated by ; (names contain commas)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per N (order reversed every other round)")
    parser.add_argument("--no-serve", dest="serve", action="store_false")
    parser.add_argument(
        "--warm", action="store_true", help="time a second build, with the share covers already drawn (.cache/)"
    )
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    for ref in args.ref:
        VARIANTS[ref] = (ref, {}, [])
    names = (args.only.split(";") if args.only else list(VARIANTS)) + [r for r in args.ref if args.only]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="qinglian-ab-"))
    code_dirs = {"main": export_main(args.main_ref, work / "main-code")}
    code_dirs.update({ref: export_main(ref, work / f"code-{ref}") for ref in args.ref})
    print(
        f"# A/B, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, main = {args.main_ref}"
    )
    print("\n| N | variant | wall s | CPU s | largest process MB | all processes MB | site MB | load (1 min) |")
    print("|---|---|---|---|---|---|---|---|")
    rounds = [n for n in args.sizes for _ in range(args.repeat)]
    for turn, n in enumerate(rounds):
        order = names if turn % 2 == 0 else names[::-1]
        for name in order:
            project = prepare(name, n, work, code_dirs, args.seed)
            r = build(name, project, args.warm)
            print(
                f"| {n:,} | {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak']:.0f} | {r['tree']:.0f} | "
                f"{r['bytes'] / 2**20:.0f} | {r['load']:.1f} |",
                flush=True,
            )
            subprocess.run(["rm", "-rf", str(project)], check=False)
    if args.serve:
        n = 2000
        print("\n| N | serve | first build s | edit visible s | load (1 min) |")
        print("|---|---|---|---|---|")
        for label, extra in (("serve --dirty (incremental)", ("--dirty",)), ("serve (full rebuilds)", ())):
            r = serve_edit_time(n, work, args.seed, extra)
            print(
                f"| {n:,} | {label} | {r['first_build_s']:.1f} | {r['edit_s']:.1f} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

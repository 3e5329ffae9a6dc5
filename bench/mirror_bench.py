"""CPU per page of the 繁體 mirror: this checkout's `outputs/editions.py` against the same module at other commits.

    python bench/mirror_bench.py site                       # a site built with `mkdocs build`
    python bench/mirror_bench.py site --ref 6e1f960 --ref bc90e68 --rounds 5

Each page of the Simplified site is mirrored in memory (nothing written), once per variant per round, in
alternating order; `time.process_time` per variant and round, divided by the number of pages. The older
modules are read from git (`git show REF:hooks/qinglian/outputs/editions.py`) and imported beside this
checkout's package, so they mirror with today's OpenCC tables and helpers: only the page handling differs.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: F401  (hooks/ on sys.path)
from qinglian.outputs import editions

MODULE = "hooks/qinglian/outputs/editions.py"


def module_at(ref: str, folder: Path):
    source = subprocess.run(["git", "show", f"{ref}:{MODULE}"], cwd=_paths.REPO, check=True, capture_output=True)
    path = folder / f"editions_{ref}.py"
    path.write_bytes(source.stdout)
    spec = importlib.util.spec_from_file_location(f"editions_{ref}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--ref", action="append", default=[], help="a commit whose editions.py to compare")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--site-url", default="http://127.0.0.1:8000/")
    args = parser.parse_args()

    pages = {
        p.relative_to(args.site).as_posix()
        for p in args.site.rglob("*.html")
        if not p.relative_to(args.site).as_posix().startswith(editions.PREFIX + "/")
    }
    sources = {rel: (args.site / rel).read_text(encoding="utf-8") for rel in sorted(pages - editions.SKIP)}
    with tempfile.TemporaryDirectory() as tmp:
        variants = {f"{ref} ({MODULE.rsplit('/', 1)[1]})": module_at(ref, Path(tmp)) for ref in args.ref}
        variants["this checkout"] = editions
        times: dict[str, list[float]] = {name: [] for name in variants}
        for round_ in range(args.rounds):
            for name in variants if round_ % 2 == 0 else reversed(variants):
                start = time.process_time()
                for rel, source in sources.items():
                    variants[name].mirror_page(source, rel, pages, args.site_url)
                times[name].append(1000 * (time.process_time() - start) / len(sources))
    print(f"{len(sources)} pages of {args.site}, CPU ms per page, {args.rounds} rounds in alternating order\n")
    print("| variant | median | min | max |\n|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |")


if __name__ == "__main__":
    sys.exit(main())

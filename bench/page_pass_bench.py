"""CPU per page of the two passes over every written page, against the same pass at other commits.

    python bench/page_pass_bench.py mirror site                       # a site built with `mkdocs build`
    python bench/page_pass_bench.py mirror site --ref 6e1f960 --ref bc90e68 --rounds 7
    python bench/page_pass_bench.py index site --ref 1226cb8 --rounds 5

`mirror`: outputs/editions.py `mirror_page`, the 繁體 page of every Simplified page. `index`: outputs/search.py
`index_page`, the search index's copy of every page with a data-pagefind-body element (what IndexSource.add
hands on). Each page is handled in memory (nothing written), once per variant per round, in alternating order;
`time.process_time` per variant and round, divided by the number of pages. The older modules are read from git
(`git show REF:path`) and imported beside this checkout's package, so they use today's OpenCC tables and
helpers: only the page handling differs.

Then every page's output of each older variant is parsed (lexbor) and compared with this checkout's: for
`mirror` the whole document; for `index` the words Pagefind reads (text outside scripts and styles, in order)
and the elements with their attributes (data-pagefind-meta, -filter, -weight, classes for its exclude selectors).
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

from selectolax.lexbor import LexborHTMLParser

import _paths  # noqa: F401  (hooks/ on sys.path)
from qinglian.outputs import editions, search

MODULES = {"mirror": "hooks/qinglian/outputs/editions.py", "index": "hooks/qinglian/outputs/search.py"}
SITE_URL = "http://127.0.0.1:8000/"


def module_at(ref: str, path_in_repo: str, folder: Path):
    """The module at `path_in_repo` as it was at commit `ref`."""
    source = subprocess.run(["git", "show", f"{ref}:{path_in_repo}"], cwd=_paths.REPO, check=True, capture_output=True)
    name = f"{Path(path_in_repo).stem}_{ref}"
    path = folder / f"{name}.py"
    path.write_bytes(source.stdout)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def pages_of(site: Path, kind: str) -> tuple[dict[str, str], frozenset[str]]:
    """(rel -> HTML of the pages the pass is given, every Simplified page's rel)."""
    sources, pages = {}, set()
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(editions.PREFIX + "/"):
            continue  # the mirror's own pages: never handed to either pass
        pages.add(rel)
        text = path.read_text(encoding="utf-8")
        if (kind == "mirror" and rel not in editions.SKIP) or (kind == "index" and "data-pagefind-body" in text):
            sources[rel] = text
    return sources, frozenset(pages)


def run_pass(module, kind: str, rel: str, source: str, pages: frozenset[str]) -> str | None:
    if kind == "mirror":
        return module.mirror_page(source, rel, set(pages), SITE_URL)
    return module.index_page(source)


def read_back(page: str | None, kind: str):
    """What a reader of the output gets: the document (mirror), or Pagefind's words and elements (index)."""
    if page is None:
        return None
    tree = LexborHTMLParser(page)
    if kind == "mirror":
        return tree.html
    words, elements = [], []
    for node in tree.body.traverse(include_text=True):
        if node.is_text_node:
            if node.parent.tag not in ("script", "style"):
                words += (node.text_content or "").split()
        else:
            elements.append((node.tag, tuple(sorted((k, v or "") for k, v in node.attrs.items()))))
    return words, elements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(MODULES))
    parser.add_argument("site", type=Path)
    parser.add_argument("--ref", action="append", default=[], help="a commit whose module to compare")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    sources, pages = pages_of(args.site, args.kind)
    current = editions if args.kind == "mirror" else search
    with tempfile.TemporaryDirectory() as tmp:
        variants = {ref: module_at(ref, MODULES[args.kind], Path(tmp)) for ref in args.ref}
        variants["this checkout"] = current
        times: dict[str, list[float]] = {name: [] for name in variants}
        for round_ in range(args.rounds):
            for name in variants if round_ % 2 == 0 else reversed(variants):
                start = time.process_time()
                for rel, source in sources.items():
                    run_pass(variants[name], args.kind, rel, source, pages)
                times[name].append(1000 * (time.process_time() - start) / len(sources))
        ours = {rel: read_back(run_pass(current, args.kind, rel, s, pages), args.kind) for rel, s in sources.items()}
        differ = {
            name: [
                rel
                for rel, s in sources.items()
                if read_back(run_pass(m, args.kind, rel, s, pages), args.kind) != ours[rel]
            ]
            for name, m in variants.items()
            if m is not current
        }
    size = statistics.mean(len(s) for s in sources.values()) / 1000
    print(f"`{args.kind}`: {len(sources)} pages of {args.site} (mean {size:.0f} k characters), CPU ms per page,")
    print(f"{args.rounds} rounds in alternating order\n")
    print("| variant | median | min | max |\n|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    for name, rels in differ.items():
        print(f"\nOutput read back, {name} → this checkout: {len(rels)} of {len(sources)} pages differ")
        for rel in rels[:20]:
            print("  " + rel)


if __name__ == "__main__":
    sys.exit(main())

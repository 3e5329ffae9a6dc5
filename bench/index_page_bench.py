"""CPU per page of the search index's page copy: this checkout's `outputs/search.py` `index_page` against the same
function at other commits, and whether they index the same words.

    python bench/index_page_bench.py site                   # a site built with `mkdocs build`
    python bench/index_page_bench.py site --ref 1226cb8 --rounds 5

The pages are those the build hands to `index_page` (IndexSource.add: pages of the Simplified site with a
data-pagefind-body element). Each is prepared in memory (nothing written), once per variant per round, in
alternating order; `time.process_time` per variant and round, divided by the number of pages. The older modules
are read from git (`git show REF:hooks/qinglian/outputs/search.py`) and imported beside this checkout's package,
so they use today's OpenCC tables and helpers: only the page handling differs.

Then, for each older variant, every page's output is parsed (lexbor) and compared with this checkout's: the
words Pagefind reads (the text outside scripts and styles, split at white space, in order), and the elements
with their attributes (data-pagefind-meta, -filter, -weight, -ignore, classes for its exclude selectors).
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
from qinglian.outputs import search

MODULE = "hooks/qinglian/outputs/search.py"
MIRROR = "zh-hant/"  # the 繁體 mirror: not MkDocs pages, never handed to the index


def module_at(ref: str, folder: Path):
    source = subprocess.run(["git", "show", f"{ref}:{MODULE}"], cwd=_paths.REPO, check=True, capture_output=True)
    path = folder / f"search_{ref}.py"
    path.write_bytes(source.stdout)
    spec = importlib.util.spec_from_file_location(f"search_{ref}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def indexed(page: str | None) -> tuple[list[str], list[tuple[str, tuple]]]:
    """(the words, the elements with their attributes) of an index page, as a parser reads them."""
    if page is None:
        return [], []
    tree = LexborHTMLParser(page)
    words, elements = [], []
    for node in tree.body.traverse(include_text=True):
        if node.is_text_node:
            if node.parent.tag not in ("script", "style"):
                words += (node.text_content or "").split()
        else:
            elements.append((node.tag, tuple(sorted((k, v or "") for k, v in node.attrs.items()))))  # a="" is a
    return words, elements


def compare(old, sources: dict[str, str]) -> list[str]:
    """The pages whose index copy differs, each with what differs."""
    differ = []
    for rel, source in sources.items():
        (old_words, old_elements), (new_words, new_elements) = (
            indexed(old.index_page(source)),
            indexed(search.index_page(source)),
        )
        why = []
        if set(old_words) != set(new_words):
            gone, added = set(old_words) - set(new_words), set(new_words) - set(old_words)
            why.append(f"words: {len(gone)} gone {sorted(gone)[:8]}, {len(added)} new {sorted(added)[:8]}")
        elif old_words != new_words:
            why.append(f"same words, other order or count ({len(old_words)} → {len(new_words)})")
        if old_elements != new_elements:
            diff = [(a, b) for a, b in zip(old_elements, new_elements) if a != b][:2]
            why.append(f"elements: {len(old_elements)} → {len(new_elements)}, first differences {diff}")
        if why:
            differ.append(f"{rel}: " + "; ".join(why))
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--ref", action="append", default=[], help="a commit whose search.py to compare")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    sources = {}
    for path in sorted(args.site.rglob("*.html")):
        rel = path.relative_to(args.site).as_posix()
        text = path.read_text(encoding="utf-8")
        if not rel.startswith(MIRROR) and "data-pagefind-body" in text:  # what IndexSource.add hands on
            sources[rel] = text
    with tempfile.TemporaryDirectory() as tmp:
        variants = {f"{ref} ({MODULE.rsplit('/', 1)[1]})": module_at(ref, Path(tmp)) for ref in args.ref}
        variants["this checkout"] = search
        times: dict[str, list[float]] = {name: [] for name in variants}
        for round_ in range(args.rounds):
            for name in variants if round_ % 2 == 0 else reversed(variants):
                start = time.process_time()
                for source in sources.values():
                    variants[name].index_page(source)
                times[name].append(1000 * (time.process_time() - start) / len(sources))
        differences = {name: compare(module, sources) for name, module in variants.items() if module is not search}
    size = statistics.mean(len(s) for s in sources.values()) / 1000
    print(f"{len(sources)} pages of {args.site} (mean {size:.0f} k characters), CPU ms per page,")
    print(f"{args.rounds} rounds in alternating order\n")
    print("| variant | median | min | max |\n|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f} |")
    for name, differ in differences.items():
        print(f"\nIndexed words and elements, {name} → this checkout: {len(differ)} of {len(sources)} pages differ")
        for line in differ:
            print("  " + line)


if __name__ == "__main__":
    sys.exit(main())

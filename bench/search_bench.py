"""Search benchmark: the site's Pagefind search against Material's default search, on the same pages.

    python bench/search_bench.py              # 2,000 stories
    python bench/search_bench.py 2000 10000   # both sizes (10,000 takes a long time on a shared machine)

For each N it copies the project into a temporary folder, writes N synthetic stories (tools/synthetic.py,
`write_stories(root, n, seed)`; titles 测试故事第1234篇) and builds two sites of the same pages:

- **pagefind**: the project as it is (`mkdocs build --strict`; the hooks index with Pagefind and log the
  indexing time, "搜索索引：… 用时 X 秒");
- **material**: the same copy with Material's built-in search plugin (lunr) switched back on and this
  project's search overrides removed (header/search/content partials), i.e. Material's default search box.
  Its build time is the wall time minus the Pagefind indexing the hooks still log (it is not needed there).

Then it serves each site on 127.0.0.1 (bytes are counted by the server: every response body, including
what Web Workers fetch) and drives Debian's Chromium (Playwright, /usr/bin/chromium):

- first query, cold: a new browser context (empty cache) opens a story page; the query is typed into the
  header box; the time from entering the query until results are on screen, and the bytes the search
  needed before the first result (Pagefind: everything fetched after the query; Material: its worker,
  lunr and search_index.json, which it fetches at page load);
- warm: the same page reloaded (HTTP cache, assets warm) and settled for 2 s; the reader is in the box for
  0.4 s (Pagefind and its filter index load on focus) before the first query is entered; then two more
  queries. Times include the search box's 100 ms typing debounce.

It prints one table per N with the ratio pagefind/material from this one run. The machine is shared:
compare ratios, not absolute times. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
import _paths  # noqa: E402, F401  (hooks/ and tools/ on sys.path)
from browser_support import CHROMIUM, CHROMIUM_ARGS, QuietHandler, QuietServer  # noqa: E402
from synthetic import write_stories  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
INDEX_LOG = re.compile(r"搜索索引：\s*(\d+)\s*页，用时\s*([\d.]+)\s*秒（CPU\s*([\d.]+)\s*秒）")
PROJECT = ("mkdocs.yml", "hooks", "stories", "data", "docs")
SEARCH_OVERRIDES = ("partials/header.html", "partials/search.html", "partials/content.html")
# Queries a reader could type on the synthetic site: a title substring, a word, a two-word query.
QUERIES = ("第123篇", "整洁", "家风 传承")


# ---- building --------------------------------------------------------------------------------


def copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir(parents=True)
    for name in PROJECT:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def material_variant(src: Path, dest: Path) -> Path:
    """The same project with Material's default search instead of this project's."""
    shutil.copytree(src, dest, ignore=lambda folder, names: ["site"] if Path(folder) == src else [])
    for rel in SEARCH_OVERRIDES:
        (dest / "docs" / "overrides" / rel).unlink(missing_ok=True)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "\nplugins: []\n" not in text:
        sys.exit("mkdocs.yml has no `plugins: []` line to switch Material's search back on.")
    config.write_text(text.replace("\nplugins: []\n", "\nplugins:\n  - search\n"), encoding="utf-8")
    return dest


def build(root: Path) -> dict:
    """Build `root`; wall and CPU seconds of the build (with its children), and of the Pagefind indexing
    as the hooks log it. On a machine shared with other work, CPU seconds are the fairer comparison."""
    site = root / "site"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"build failed in {root}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    found = INDEX_LOG.search(proc.stdout + proc.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "site": site,
        "wall": wall,
        "cpu": cpu,
        "index_wall": float(found.group(2)) if found else 0.0,
        "index_cpu": float(found.group(3)) if found else 0.0,
    }


# ---- serving with byte counts ------------------------------------------------------------------


class CountingHandler(QuietHandler):
    log: list = []

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.log.append((self.path, len(data)))


@contextlib.contextmanager
def serve_counting(directory: Path):
    log: list = []
    handler = functools.partial(type("H", (CountingHandler,), {"log": log}), directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", log
    finally:
        server.shutdown()
        server.server_close()


# ---- measuring in Chromium ---------------------------------------------------------------------

PAGEFIND_QUERY = """async ([q, pause]) => {
  const input = document.querySelector('#ql-search-input');
  const status = document.querySelector('[data-ql-search-status]');
  input.focus();
  await new Promise(r => setTimeout(r, pause));
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new InputEvent('input', {bubbles: true, data: q}));
  while (status.dataset.query !== q) await new Promise(r => requestAnimationFrame(r));
  return {ms: performance.now() - t0, count: document.querySelectorAll('.md-search-result__item').length,
          status: status.textContent.trim()};
}"""

MATERIAL_QUERY = """async ([q, pause]) => {
  const input = document.querySelector('.md-search__input');
  const meta = document.querySelector('.md-search-result__meta');
  document.querySelector('#__search').checked = true;
  input.focus();
  input.value = '';
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  while (document.querySelectorAll('.md-search-result__item').length) await new Promise(r => requestAnimationFrame(r));
  await new Promise(r => setTimeout(r, pause));
  const before = meta.textContent;
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: q.slice(-1)}));
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const deadline = t0 + 60000;
  while (performance.now() < deadline) {
    const items = document.querySelectorAll('.md-search-result__item').length;
    const text = meta.textContent.trim();
    if (items > 0 || (text !== before && /没有|No matching|0/.test(text) && !/初始化|Initializing/.test(text))) {
      return {ms: performance.now() - t0, count: items, status: text};
    }
    await new Promise(r => requestAnimationFrame(r));
  }
  return {ms: NaN, count: 0, status: 'timeout'};
}"""


def story_path(site: Path) -> str:
    story = next((site / "units").glob("ceshi-*/index.html"))
    return story.parent.relative_to(site).as_posix() + "/"


def measure(browser, site: Path, kind: str) -> dict:
    """Cold first query, warm first query and a second query on one site."""
    script = PAGEFIND_QUERY if kind == "pagefind" else MATERIAL_QUERY
    is_search = (
        (lambda p: "/pagefind/" in p or "search-chars" in p)
        if kind == "pagefind"
        else (lambda p: "search" in p or "lunr" in p or "workers" in p)
    )
    out: dict = {}
    with serve_counting(site) as (base, log):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + story_path(site), wait_until="load")
        page.wait_for_timeout(300)
        mark = len(log)
        cold = page.evaluate(script, [QUERIES[0], 0])  # typed at once
        page.wait_for_timeout(300)  # fragments of the visible results arrive just after the first paint
        if kind == "pagefind":
            after = log[mark:]
        else:  # Material fetches its whole index at page load, before any query
            after = [entry for entry in log if is_search(entry[0])]
        out["first_query_bytes"] = sum(size for _, size in after)
        out["first_query_requests"] = len(after)
        out["cold_ms"] = cold["ms"]
        out["cold_found"] = cold["status"]
        page.reload(wait_until="load")
        page.wait_for_timeout(300)
        page.wait_for_timeout(2000)  # warm: the page has settled (Material's worker has its index)
        warm = page.evaluate(script, [QUERIES[0], 400])  # the reader is in the box for 0.4 s before the query
        out["warm_ms"] = warm["ms"]
        second = page.evaluate(script, [QUERIES[1], 0])
        out["second_ms"] = second["ms"]
        third = page.evaluate(script, [QUERIES[2], 0])
        out["third_ms"] = third["ms"]
        out["found"] = [cold["status"], second["status"], third["status"]]
        context.close()
    return out


def run(n: int, seed: int, keep: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"search-bench-{n}-"))
    try:
        root = copy_project(tmp / "pagefind")
        write_stories(root, n, seed)
        material_root = material_variant(root, tmp / "material")
        print(f"[{n}] building the Pagefind site …", flush=True)
        pf_build = build(root)
        print(f"[{n}] building the Material-search site …", flush=True)
        m_build = build(material_root)
        pf_site, m_site = pf_build["site"], m_build["site"]
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            print(f"[{n}] measuring in Chromium …", flush=True)
            pf = measure(browser, pf_site, "pagefind")
            mat = measure(browser, m_site, "material")
            browser.close()
        pf.update(
            build_s=pf_build["wall"],
            build_cpu=pf_build["cpu"],
            index_s=pf_build["index_wall"],
            index_cpu=pf_build["index_cpu"],
            site_index_bytes=_size(pf_site / "pagefind"),
        )
        # The Material variant still runs the hooks' Pagefind indexing: it is taken out of its figures.
        mat.update(
            build_s=m_build["wall"] - m_build["index_wall"],
            build_cpu=m_build["cpu"] - m_build["index_cpu"],
            site_index_bytes=(m_site / "search" / "search_index.json").stat().st_size,
        )
        return {"n": n, "pagefind": pf, "material": mat, "tmp": tmp}
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def report(result: dict) -> None:
    n, pf, mat = result["n"], result["pagefind"], result["material"]
    kb = lambda b: f"{b / 1024:,.0f} KB"  # noqa: E731
    ms = lambda v: f"{v:,.0f} ms"  # noqa: E731
    ratio = lambda a, b: f"{a / b:.3f}" if b else "n/a"  # noqa: E731
    limit_bytes = 300 if n <= 2000 else 500
    pf_share = pf["index_s"] / (pf["build_s"] - pf["index_s"]) * 100
    pf_cpu_share = pf["index_cpu"] / (pf["build_cpu"] - pf["index_cpu"]) * 100
    rows = [
        (
            "first query: bytes before first result",
            kb(pf["first_query_bytes"]),
            kb(mat["first_query_bytes"]),
            ratio(pf["first_query_bytes"], mat["first_query_bytes"]),
            f"≤ {limit_bytes} KB",
        ),
        ("  requests", str(pf["first_query_requests"]), str(mat["first_query_requests"]), "", ""),
        (
            "first query, cold page: ms to results",
            ms(pf["cold_ms"]),
            ms(mat["cold_ms"]),
            ratio(pf["cold_ms"], mat["cold_ms"]),
            "",
        ),
        (
            "first query, warm page: ms to results",
            ms(pf["warm_ms"]),
            ms(mat["warm_ms"]),
            ratio(pf["warm_ms"], mat["warm_ms"]),
            "≤ 500 ms",
        ),
        (
            f"second query ({QUERIES[1]}): ms",
            ms(pf["second_ms"]),
            ms(mat["second_ms"]),
            ratio(pf["second_ms"], mat["second_ms"]),
            "",
        ),
        (
            f"third query ({QUERIES[2]}): ms",
            ms(pf["third_ms"]),
            ms(mat["third_ms"]),
            ratio(pf["third_ms"], mat["third_ms"]),
            "",
        ),
        (
            "index on disk",
            kb(pf["site_index_bytes"]),
            kb(mat["site_index_bytes"]),
            ratio(pf["site_index_bytes"], mat["site_index_bytes"]),
            "",
        ),
        (
            "full build, wall (s)",
            f"{pf['build_s']:.1f}",
            f"{mat['build_s']:.1f}",
            ratio(pf["build_s"], mat["build_s"]),
            "",
        ),
        (
            "full build, CPU (s)",
            f"{pf['build_cpu']:.1f}",
            f"{mat['build_cpu']:.1f}",
            ratio(pf["build_cpu"], mat["build_cpu"]),
            "",
        ),
        (
            "search indexing, wall (s) / % of the rest",
            f"{pf['index_s']:.1f} / {pf_share:.0f}%",
            "(lunr: inside)",
            "",
            "≤ 10%",
        ),
        (
            "search indexing, CPU (s) / % of the rest",
            f"{pf['index_cpu']:.1f} / {pf_cpu_share:.0f}%",
            "(lunr: inside)",
            "",
            "≤ 10%",
        ),
    ]
    print(f"\n## {n:,} synthetic stories (+ the real ones), one run; queries {', '.join(QUERIES)}")
    print(f"{'':46} {'Pagefind':>16} {'Material':>16} {'ratio':>7}  target")
    for label, a, b, r, target in rows:
        print(f"{label:46} {a:>16} {b:>16} {r:>7}  {target}")
    for name, data in (("Pagefind", pf), ("Material", mat)):
        print(f"  {name} results shown: " + " | ".join(f"{q} → {s}" for q, s in zip(QUERIES, data["found"])))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary sites (prints where)")
    args = parser.parse_args(argv)
    for n in args.sizes:
        result = run(n, args.seed, args.keep)
        report(result)
        if args.keep:
            print(f"  sites kept in {result['tmp']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Page weight and paint times of a built site, as a phone on a slow network sees them.

    python bench/page_weight.py SITE_DIR [PATH ...] [--runs N]

For each page (default: the home, a letter, a collection index, /unit-types/) it loads the page once in Debian's
Chromium with a fresh cache and prints a table: the bytes of every response the page asked for, gzipped (as nginx
sends them, level 6), and the First Contentful Paint and Largest Contentful Paint at 1.6 Mbit/s, 150 ms round trip
and a 4× CPU slowdown (Chrome DevTools Protocol: Network.emulateNetworkConditions, Emulation.setCPUThrottlingRate).
Paint times vary with the machine's load: each page is loaded --runs times (default 3) and the median is shown.
"""

from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

import _paths  # noqa: F401  (hooks/ and tools/ on sys.path)
from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_dir

DEFAULT_PATHS = ("", "letters/zhuge-liang-jiezishu/", "letters/", "unit-types/")
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
LCP_SCRIPT = """() => new Promise(resolve => {
  let lcp = 0, what = "";
  new PerformanceObserver(list => { for (const e of list.getEntries()) { lcp = e.startTime;
    what = e.element ? e.element.tagName + "." + (e.element.className || "") : e.url; } })
    .observe({type: "largest-contentful-paint", buffered: true});
  const fcp = (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime || 0;
  setTimeout(() => resolve({fcp, lcp, what}), 300);
})"""


def measure(site: Path, paths, runs: int = 3) -> list[dict]:
    rows = []
    with serve_dir(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            loads = [_load(browser, base + path) for _ in range(runs)]
            rows.append(
                {
                    "page": "/" + path,
                    "requests": loads[0]["requests"],
                    "gzip": loads[0]["gzip"],
                    "fcp": statistics.median(load["fcp"] for load in loads),
                    "lcp": statistics.median(load["lcp"] for load in loads),
                    "what": loads[0]["what"],
                }
            )
        browser.close()
    return rows


def _load(browser, url: str) -> dict:
    """One load with a fresh cache on a throttled phone: bytes (gzipped) and paint times."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2)
    page = context.new_page()
    bodies: list[bytes] = []
    page.on("requestfinished", lambda request: bodies.append(_body(request)))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    paint = page.evaluate(LCP_SCRIPT)
    context.close()
    return {"requests": len(bodies), "gzip": sum(len(gzip.compress(body, 6)) for body in bodies), **paint}


def _body(request) -> bytes:
    response = request.response()
    try:
        return response.body() if response else b""
    except Exception:  # a redirect or an aborted request has no body
        return b""


def main(argv: list[str]) -> None:
    runs = 3
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    site = Path(argv[0])
    rows = measure(site, argv[1:] or DEFAULT_PATHS, runs)
    print("| page | requests | gzip KB | FCP ms | LCP ms | LCP element |\n|---|---:|---:|---:|---:|---|")
    for row in rows:
        print(
            f"| {row['page']} | {row['requests']} | {row['gzip'] / 1024:.1f} | {row['fcp']:.0f} | {row['lcp']:.0f} | {row['what']} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Memory of the kiosk's attract loop over many cycles, in headless Debian Chromium.

Builds the kiosk edition (kiosk.yml) into a temp folder, serves it on 127.0.0.1, opens the home
screen, starts the attract loop with a short slide time and reads the JS heap (CDP
Performance.getMetrics after a forced garbage collection) and the DOM size at the start and after
every --every cycles. Prints a table; the heap should stay flat.

    .venv/bin/python bench/kiosk_memory.py                  # 300 cycles of the repository's stories
    .venv/bin/python bench/kiosk_memory.py --synthetic 40   # plus 40 synthetic featured stories (temp copy)
    .venv/bin/python bench/kiosk_memory.py --cycles 1000 --slide 0.02
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
import _paths  # noqa: E402, F401  (hooks/ and tools/ on sys.path)
from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_dir  # noqa: E402

PROJECT = ("mkdocs.yml", "kiosk.yml", "hooks", "stories", "data", "docs")


def make_project(tmp: Path, synthetic: int) -> Path:
    """The repository itself, or a temp copy with `synthetic` obviously synthetic featured letters."""
    if not synthetic:
        return REPO
    project = tmp / "project"
    for name in PROJECT:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, project / name)
    letters = project / "stories" / "letters"
    for i in range(1, synthetic + 1):
        (letters / f"test-{i:04d}.md").write_text(
            f"---\ntitle: 测试故事第{i}篇\nsummary: 基准测试用的合成故事第{i}篇，不是真实内容。\n"
            f"author: 测试作者{i}\nconsent: true\nfeatured: true\n---\n\n测试正文第{i}篇。\n",
            encoding="utf-8",
        )
    return project


def build(project: Path, site: Path) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(project / "kiosk.yml"), "-d", str(site)]
    proc = subprocess.run(
        cmd, cwd=project, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    )
    if proc.returncode:
        sys.exit(f"展厅版构建失败：\n{proc.stdout}\n{proc.stderr}")


def measure(page, cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    state = page.evaluate(
        "({cycles: qinglianKiosk.attract.cycles, running: qinglianKiosk.attract.running,"
        " nodes: document.getElementsByTagName('*').length})"
    )
    return {
        "cycles": state["cycles"],
        "running": state["running"],
        "heap_mb": metrics["JSHeapUsedSize"] / 1e6,
        "total_mb": metrics["JSHeapTotalSize"] / 1e6,
        "dom_nodes": int(metrics["Nodes"]),
        "listeners": int(metrics["JSEventListeners"]),
        "elements": state["nodes"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300, help="attract-loop cycles to run (default 300)")
    parser.add_argument("--slide", type=float, default=0.03, help="seconds per slide (default 0.03)")
    parser.add_argument("--every", type=int, default=0, help="print a row every N cycles (default: cycles/5)")
    parser.add_argument("--synthetic", type=int, default=0, help="add N synthetic featured stories (temp copy)")
    args = parser.parse_args()
    every = args.every or max(1, args.cycles // 5)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        tmp = Path(tmp)
        project = make_project(tmp, args.synthetic)
        site = tmp / "site-kiosk"
        started = time.perf_counter()
        build(project, site)
        print(
            f"built kiosk edition in {time.perf_counter() - started:.1f} s"
            f" ({'repository' if project == REPO else f'+{args.synthetic} synthetic stories'})"
        )
        with serve_dir(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + ["--enable-precise-memory-info"]
            )
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, has_touch=True, locale="zh-CN")
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}?kiosk-idle=100000&kiosk-slide={args.slide}")
            slides = page.locator("[data-kiosk-slide]").count()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.evaluate("qinglianKiosk.attract.start()")
            rows = [measure(page, cdp)]
            started = time.perf_counter()
            target = every
            while target <= args.cycles:
                page.wait_for_function(f"qinglianKiosk.attract.cycles >= {target}", timeout=0, polling=200)
                rows.append(measure(page, cdp))
                target += every
            elapsed = time.perf_counter() - started
            browser.close()

    print(
        f"attract loop: {slides} slides, {args.slide} s per slide, {rows[-1]['cycles']} cycles"
        f" ({rows[-1]['cycles'] * slides} slide changes) in {elapsed:.0f} s"
    )
    print(f"{'cycles':>8} {'JS heap used MB':>16} {'JS heap total MB':>17} {'DOM nodes':>10} {'listeners':>10}")
    for row in rows:
        print(
            f"{row['cycles']:>8} {row['heap_mb']:>16.2f} {row['total_mb']:>17.2f} {row['dom_nodes']:>10}"
            f" {row['listeners']:>10}"
        )
    first, last = rows[0], rows[-1]
    print(
        f"start → end: JS heap {first['heap_mb']:.2f} → {last['heap_mb']:.2f} MB"
        f" ({last['heap_mb'] - first['heap_mb']:+.2f} MB), DOM nodes {first['dom_nodes']} → {last['dom_nodes']}"
    )
    if errors:
        print("script errors:", *errors, sep="\n  ")
        return 1
    if not last["running"]:
        print("the attract loop stopped before the end")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

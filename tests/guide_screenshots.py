"""Regenerate the screenshots of the editors' guide (docs/assets/images/guide/) with headless Chromium.

    .venv/bin/python tests/guide_screenshots.py

Not a test: it builds a throw-away copy of the project with synthetic broken stories (测试故事…), runs
the check, and photographs its output and the edit button of a story page.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS), str(TESTS.parent / "hooks")]

from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_dir  # noqa: E402
from conftest import REPO, build_site, copy_fixture_project  # noqa: E402

OUT = REPO / "docs" / "assets" / "images" / "guide"

BROKEN = {
    "letters/ce-shi-jia-shu.md": "---\ntitle: 测试家书第1篇\nsummary: 测试摘要。\nauthor: 测试写信人\n---\n\n"
    "有事请打电话13812345678。\n\n廉洁家风源远(yuǎn)流长。\n\n![](/assets/images/zhaopian.jpg)\n",
}


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_fixture_project(Path(tmp) / "project")
        for rel, text in BROKEN.items():
            (root / "stories" / rel).write_text(text, encoding="utf-8")
        check = subprocess.run(
            [sys.executable, str(root / "hooks" / "check.py"), str(root)], capture_output=True, text=True, cwd=root
        )
        terminal = root / "terminal.html"
        rows = html.escape(f"$ python hooks/check.py\n{check.stdout}")
        terminal.write_text(
            "<!doctype html><meta charset=utf-8><body style='margin:0;background:#1e1e1e'>"
            '<pre style=\'margin:0;padding:14px 16px;color:#e6e6e6;font:14px/1.6 "Noto Sans Mono CJK SC",monospace;'
            f"white-space:pre-wrap;width:1040px'>{rows}</pre>",
            encoding="utf-8",
        )

        for rel in BROKEN:
            (root / "stories" / rel).unlink()
        os.environ["REPO_URL"] = "https://github.com/example/qinglian-cili"
        proc = build_site(root / "mkdocs.yml", root / "site", cwd=root)
        if proc.returncode:
            print(proc.stdout, proc.stderr)
            return 1

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1072, "height": 400}, device_scale_factor=1)
            page.goto(terminal.as_uri())
            page.locator("pre").screenshot(path=str(OUT / "check-output.png"))

            with serve_dir(root / "site") as base:
                page = browser.new_page(viewport={"width": 900, "height": 700}, device_scale_factor=1, locale="zh-CN")
                page.goto(base + "officials/yuan-renyuan/")
                page.add_style_tag(
                    content="a.md-content__button[rel=edit]{outline:3px solid #d32f2f;outline-offset:4px;"
                    "border-radius:4px}"
                )
                article = page.locator("article.ql-story")
                box = article.bounding_box()
                page.screenshot(
                    path=str(OUT / "edit-button.png"),
                    clip={
                        "x": max(0, box["x"] - 16),
                        "y": max(0, box["y"] - 12),
                        "width": min(box["width"] + 32, 900 - max(0, box["x"] - 16)),
                        "height": 150,
                    },
                )
            browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

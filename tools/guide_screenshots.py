"""Regenerate the screenshots of the editors' guide (docs/assets/images/guide/) with headless Chromium.

    .venv/bin/python tools/guide_screenshots.py

Not a test: it builds a throw-away copy of the project with synthetic broken stories (测试故事…), runs
the check and the import command, and photographs their output, the edit button of a story page and the 投稿
page on a phone (filled in with a synthetic letter: the form, a private-data message, the finished file).
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))  # a script run from a checkout: the generator beside it (tools/ is first)

from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_dir  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))  # the fixture project and the build helper the tests use
from conftest import copy_fixture_project  # noqa: E402

OUT = REPO / "docs" / "assets" / "images" / "guide"

# A synthetic letter for the 投稿 page's screenshots (not site content).
LETTER = {
    "#ql-title": "测试家书：给女儿的一封信",
    "#ql-summary": "父亲写给刚参加工作的女儿，嘱咐她做人要清白。",
    "#ql-body": "女儿：\n你参加工作已经半年了，我和你妈妈都很放心。\n有事打电话13812345678。",
    "#ql-author": "一位父亲",
    "#ql-relation": "父亲写给女儿",
}
PHONE = {"width": 360, "height": 640}

BROKEN = {
    "letters/ce-shi-jia-shu.md": "---\ntitle: 测试家书第1篇\nsummary: 测试摘要。\nauthor: 测试写信人\n---\n\n"
    "有事请打电话13812345678。\n\n廉洁家风源远(yuǎn)流长。\n\n![](/assets/images/zhaopian.jpg)\n",
}


def _terminal(path: Path, command: str, output: str) -> Path:
    """A page that looks like a terminal window showing `command` and its output."""
    rows = html.escape(f"$ {command}\n{output}")
    path.write_text(
        "<!doctype html><meta charset=utf-8><body style='margin:0;background:#1e1e1e'>"
        '<pre style=\'margin:0;padding:14px 16px;color:#e6e6e6;font:14px/1.6 "Noto Sans Mono CJK SC",monospace;'
        f"white-space:pre-wrap;width:1040px'>{rows}</pre>",
        encoding="utf-8",
    )
    return path


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
        terminal = _terminal(root / "terminal.html", "python hooks/check.py", check.stdout)

        letter = root / "来信.txt"
        letter.write_text(
            "测试家书：给女儿的一封信\n\n女儿：\n\n你参加工作已经半年了,我和你妈妈都很放心。\n", encoding="utf-8"
        )
        imported = subprocess.run(
            [sys.executable, str(root / "hooks" / "import.py"), str(letter), "--root", str(root)],
            capture_output=True,
            text=True,
            cwd=root,
        )
        importing = _terminal(
            root / "import.html",
            "python hooks/import.py 来信.txt --collection letters",
            imported.stdout + imported.stderr,
        )
        (root / imported.stdout.strip()).unlink()

        for rel in BROKEN:
            (root / "stories" / rel).unlink()
        os.environ["REPO_URL"] = "https://github.com/example/qinglian-cili"
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if proc.returncode:
            print(proc.stdout, proc.stderr)
            return 1

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1072, "height": 400}, device_scale_factor=1)
            page.goto(terminal.as_uri())
            page.locator("pre").screenshot(path=str(OUT / "check-output.png"))
            page.goto(importing.as_uri())
            page.locator("pre").screenshot(path=str(OUT / "import-output.png"))

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
                phone = browser.new_page(viewport=PHONE, device_scale_factor=1, is_mobile=True, locale="zh-CN")
                phone.goto(base + "tougao/")
                for selector, value in LETTER.items():
                    phone.fill(selector, value)
                phone.evaluate("window.scrollTo(0, document.querySelector('.ql-tougao__form').offsetTop - 8)")
                phone.screenshot(path=str(OUT / "tougao-form.png"))
                phone.check("#ql-consent")
                phone.click("[data-ql-submit]")
                phone.locator("[data-ql-errors]").screenshot(path=str(OUT / "tougao-private.png"))
                phone.fill("#ql-body", LETTER["#ql-body"].rsplit("\n", 1)[0])
                phone.click("[data-ql-submit]")
                phone.mouse.move(0, 0)  # no hover colour left on the button under the last tap
                phone.evaluate("document.querySelector('[data-ql-result]').scrollIntoView()")
                phone.screenshot(path=str(OUT / "tougao-result.png"))
            browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

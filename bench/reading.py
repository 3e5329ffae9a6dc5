"""Benchmarks of the reading features (prints tables; not a test).

    python bench/reading.py [--stories N]

1. OpenCC: Simplified→Traditional speed of the `opencc` C++ binding and of `opencc-purepy` (if installed) on
   about 1 MB of the site's own Chinese text, repeated.
2. The 繁體 mirror's share of a build: a throw-away copy of the project with N obviously synthetic letters
   (测试故事第N篇, in a temp dir, never committed) is built with `mkdocs build --strict`; the mirror's own
   time per page is read from the build log.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from qinglian.content.hant import OPENCC_CONFIG  # noqa: E402


def sample_text(size: int = 1_000_000) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "stories").rglob("*.md"))]
    parts.append((REPO / "docs" / "campaign.md").read_text(encoding="utf-8"))
    base = "\n".join(parts)
    return base * (size // len(base.encode("utf-8")) + 1)


def bench_opencc() -> None:
    text = sample_text()
    mb = len(text.encode("utf-8")) / 1e6
    print(f"\n1. OpenCC {OPENCC_CONFIG} on {mb:.2f} MB of the site's text")
    print(f"{'library':<16}{'load s':>9}{'convert s':>11}{'MB/s':>8}")
    candidates = []
    try:
        import opencc

        candidates.append(("opencc (C++)", lambda: opencc.OpenCC(OPENCC_CONFIG)))
    except ImportError:
        print("opencc: not installed")
    try:
        from opencc_purepy import OpenCC as PureOpenCC

        candidates.append(("opencc-purepy", lambda: PureOpenCC(OPENCC_CONFIG)))
    except ImportError:
        print("opencc-purepy: not installed")
    for name, make in candidates:
        start = time.perf_counter()
        converter = make()
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        converter.convert(text)
        took = time.perf_counter() - start
        print(f"{name:<16}{loaded:>9.3f}{took:>11.3f}{mb / took:>8.1f}")


LETTER = (
    """---
title: 测试故事第{n}篇
summary: 用于测量构建速度的合成内容，第{n}篇。
author: 测试作者{n}
consent: true
tags: [测试标签{tag}]
---

这是用于测量构建速度的合成正文，不是真实内容。第{n}篇。

"""
    + "本段为测试填充文字，发现问题、头发、干部、干净等词用于检验短语转换。\n\n" * 12
)


def bench_build(stories: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("mkdocs.yml",):
            shutil.copy2(REPO / name, root / name)
        for name in ("hooks", "stories", "data", "docs"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        for n in range(1, stories + 1):
            (root / "stories" / "letters" / f"ceshi-{n:05d}.md").write_text(
                LETTER.format(n=n, tag=n % 20), encoding="utf-8"
            )
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
        )
        total = time.perf_counter() - start
        if proc.returncode:
            print(proc.stderr[-3000:])
            raise SystemExit(proc.returncode)
        found = re.search(r"繁体版：(\d+) 页，每页 ([\d.]+) 毫秒", proc.stderr)
        pages, per_page = int(found[1]), float(found[2])
        mirror = pages * per_page / 1000
        print(f"\n2. Build with {stories} synthetic letters added")
        print(f"{'pages mirrored':<22}{pages:>10}")
        print(f"{'mirror ms/page':<22}{per_page:>10.1f}")
        print(f"{'mirror total s':<22}{mirror:>10.2f}")
        print(f"{'whole build s':<22}{total:>10.2f}")
        print(f"{'mirror share':<22}{100 * mirror / total:>9.0f}%")


def bench_qr(count: int = 50) -> None:
    from qinglian.site.qr import qr_svg

    start = time.perf_counter()
    for n in range(count):
        qr_svg(f"http://127.0.0.1:8000/zh-hant/letters/ceshi-{n:05d}/", "测试")
    took = (time.perf_counter() - start) / count
    print(f"\n3. One story QR code (segno, as in the share block and its mirror): {1000 * took:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=300, help="synthetic letters to add (default 300)")
    args = parser.parse_args()
    bench_opencc()
    bench_build(args.stories)
    bench_qr()


if __name__ == "__main__":
    main()

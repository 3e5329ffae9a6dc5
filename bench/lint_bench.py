"""Benchmark of the editors' text, address and media checks: synthetic stories (测试故事第N篇) in a temp copy.

    .venv/bin/python bench/lint_bench.py [N ...]      # default: 100 1000

Prints one row per size: CPU seconds of those checks alone (best of 3) and of the whole check (load_content).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import _paths  # noqa: E402, F401  (hooks/ and tools/ on sys.path)
from qinglian.content.checks import addresses, media, text  # noqa: E402
from qinglian.content.contract import COLLECTIONS  # noqa: E402
from qinglian.content.load import load_content  # noqa: E402
from qinglian.content.yamlfile import split_front_matter  # noqa: E402
from synthetic import copy_project  # noqa: E402

PARA = "这是测试故事第{n}篇的第{k}段，用于测量检查的速度，电话略，1998年，共计3,000元，没有任何真实含义。" * 3


def lint_story(root, rel, parsed, body, body_line, collection) -> list:
    """The checks of a story's text, addresses and media (what was lint.py's), without schema and rules."""
    lines = text.story_lines(parsed, body, body_line)
    return (
        text.check_text(rel, parsed, body, body_line, lines)
        + addresses.check_addresses(rel, parsed, lines)
        + media.check_media(root, rel, parsed, lines, collection)
    )


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def main(sizes: list[int]) -> None:
    print("| 故事数 | 正文总字数 | lint（CPU 秒） | 每篇（毫秒） | 整个检查 load_content（CPU 秒） |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = copy_project(Path(tmp))
            folder = root / "stories" / "letters"
            for i in range(n):
                body = "\n\n".join(PARA.format(n=i, k=k) for k in range(20))
                (folder / f"ce-shi-{i}.md").write_text(
                    f"---\ntitle: 测试故事第{i}篇\nsummary: 测试摘要。\nauthor: 测试写信人\nconsent: true\n---\n\n{body}\n",
                    encoding="utf-8",
                )
            docs = [(p, split_front_matter(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.md"))]
            text._script_chars()  # the OpenCC tables load once per process (about 0.1 s)
            letters = COLLECTIONS["letters"]
            lint_cpu = best_of(
                3,
                lambda root=root, docs=docs, letters=letters: [
                    lint_story(root, p.name, d.meta, d.body, d.body_line, letters) for p, d in docs
                ],
            )
            check_cpu = best_of(3, lambda root=root: load_content(root, include_drafts=True))
            chars = sum(len(d.body) for _, d in docs)
            print(f"| {len(docs)} | {chars} | {lint_cpu:.2f} | {lint_cpu / len(docs) * 1000:.2f} | {check_cpu:.2f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])

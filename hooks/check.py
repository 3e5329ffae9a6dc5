"""编辑检查：不构建网站，几秒内检查全部故事和数据。  python hooks/check.py

Exit status 0 when all content is valid, 1 when there are problems (each printed as file:line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qinglian.content import hant  # noqa: E402
from qinglian.content.load import load_content, unexpected  # noqa: E402
from qinglian.content.problems import format_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 stories/ 和 data/ 的全部内容（不构建网站）。")
    parser.add_argument(
        "root", nargs="?", default=str(Path(__file__).resolve().parent.parent), help="项目根目录（默认：本仓库）"
    )
    parser.add_argument(
        "--hant",
        action="store_true",
        help="列出文言故事（classical: true）里每个一简对多繁的字和繁體版的写法，供审稿核对",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        content, problems = load_content(Path(args.root), include_drafts=True)
    except Exception as err:  # noqa: BLE001 — files are checked one by one; this is the last guard, no traceback
        print(format_report([unexpected(".", err)]))
        return 1
    elapsed = time.perf_counter() - started
    if problems:
        print(format_report(problems))
        return 1
    print(f"检查通过：{len(content.stories)} 篇故事，用时 {elapsed:.2f} 秒。")
    if args.hant:
        print_hant_review(content)
    return 0


def print_hant_review(content) -> None:
    """Each ambiguous character of each classical story, as `file:line: context → 字→繁`, for review."""
    stories = [s for s in content.stories if s.meta.get("classical")]
    print(f"\n繁體核对：{len(stories)} 篇文言故事。每行：文件:行: 上下文 → 简体字→繁體版写法。")
    print("写法不对时，在故事的 hant 字段（只管这一篇）或 data/hant-phrases.yml（全站）里写出正确的写法。")
    for story in stories:
        phrases = {**content.data.hant_phrases, **(story.meta.get("hant") or {})}
        text = story.path.read_text(encoding="utf-8")
        for reading in hant.review_story(text, story.body_line, phrases):
            print(f"{story.rel}:{reading}")


if __name__ == "__main__":
    sys.exit(main())

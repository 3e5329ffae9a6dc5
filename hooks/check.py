"""编辑检查：不构建网站，几秒内检查全部故事和数据。  python hooks/check.py

Exit status 0 when all content is valid, 1 when there are problems (each printed as file:line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# `python hooks/check.py` puts this script's folder first on sys.path: `qinglian` is found beside it.
from qinglian.content.load import load_content
from qinglian.content.problems import format_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 stories/ 和 data/ 的全部内容（不构建网站）。")
    parser.add_argument(
        "root", nargs="?", default=str(Path(__file__).resolve().parent.parent), help="项目根目录（默认：本仓库）"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    content, problems = load_content(Path(args.root), include_drafts=True)
    elapsed = time.perf_counter() - started
    if problems:
        print(format_report(problems))
        return 1
    print(f"检查通过：{len(content.stories)} 篇故事，用时 {elapsed:.2f} 秒。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

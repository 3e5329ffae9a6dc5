"""编辑检查：不构建网站，几秒内检查全部故事和数据。  python hooks/check.py

Exit status 0 when all content is valid, 1 when there are problems (each printed as file:line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qinglian.content.load import load_content, unexpected  # noqa: E402
from qinglian.content.problems import format_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查 stories/ 和 data/ 的全部内容（不构建网站）。")
    parser.add_argument(
        "root", nargs="?", default=str(Path(__file__).resolve().parent.parent), help="项目根目录（默认：本仓库）"
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
    return 0


if __name__ == "__main__":
    sys.exit(main())

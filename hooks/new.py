"""新建故事：按栏目生成带全部字段和说明的故事文件，文件名取标题的拼音。

    python hooks/new.py letters 家书标题
    python hooks/new.py officials 袁任远：两袖清风
    python hooks/new.py units 清廉大厅 --slug qinglian-dating
    python hooks/new.py --templates        # 重新生成 stories/_templates/（改了 contract.py 之后）

Exit status 0 when the file was written, 1 (with a Chinese message) otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# `python hooks/new.py` puts this script's folder first on sys.path: `qinglian` is found beside it.
from qinglian.content.contract import COLLECTIONS, SLUG_PATTERN
from qinglian.content.scaffold import new_story, write_templates

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    choices = "、".join(f"{key}（{c.name}）" for key, c in COLLECTIONS.items())
    parser = argparse.ArgumentParser(description=f"新建一篇故事。栏目：{choices}。")
    parser.add_argument("collection", nargs="?", help="栏目：" + " / ".join(COLLECTIONS))
    parser.add_argument("title", nargs="*", help="故事标题（中文）")
    parser.add_argument("--slug", help="文件名（不含 .md），默认取标题的拼音")
    parser.add_argument("--root", default=str(ROOT), help="项目根目录（默认：本仓库）")
    parser.add_argument("--templates", action="store_true", help="重新生成 stories/_templates/ 下的模板")
    args = parser.parse_args(argv)
    root = Path(args.root)

    if args.templates:
        written = write_templates(root)
        print("已更新模板：" + "、".join(written) if written else "模板已是最新。")
        return 0
    if args.collection not in COLLECTIONS:
        print(
            f"错误：没有“{args.collection or ''}”这个栏目。请写其中之一：{choices}。\n"
            f"例如：python hooks/new.py letters 家书标题",
            file=sys.stderr,
        )
        return 1
    title = " ".join(args.title).strip()
    if not title:
        print("错误：请在栏目后面写上故事标题，例如：python hooks/new.py letters 家书标题", file=sys.stderr)
        return 1
    if args.slug and not re.match(SLUG_PATTERN, args.slug):
        print(f"错误：文件名“{args.slug}”只能用小写字母、数字和连字符，如 yuan-renyuan。", file=sys.stderr)
        return 1
    existing = {p.stem: p for p in (root / "stories").glob("*/*.md")}
    if args.slug in existing:
        print(f"错误：已有文件 {existing[args.slug].relative_to(root).as_posix()}，请换一个文件名。", file=sys.stderr)
        return 1
    path = new_story(root, args.collection, title, args.slug)
    rel = path.relative_to(root).as_posix()
    print(f"已创建 {rel}\n下一步：打开它，填写标有“必填”的字段，写正文，然后运行 python hooks/check.py 检查。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

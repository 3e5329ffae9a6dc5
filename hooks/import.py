"""导入投稿：把家属发来的 Word/WPS 文档（.docx）、文本文件（.txt，UTF-8 或 GBK）或投稿页下载的文件
变成 stories/<栏目>/ 下的故事文件，文件名取标题的拼音。

    python hooks/import.py 来信.docx --collection letters
    python hooks/import.py 家书.txt                      # 栏目默认 letters
    python hooks/import.py tougao-20261202-0930.md

只保留文字：分段照原文，字体、颜色等样式去掉，中文里的英文标点改成中文标点。
导入后运行 python hooks/check.py：它会指出还要补写的字段（摘要、写信人、是否同意公开等）。
含个人信息、文件损坏、旧版 .doc、空文件或编码无法识别时，不写任何文件，退出状态为 1。
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qinglian.content.contract import COLLECTIONS  # noqa: E402
from qinglian.content.importer import ImportFailed, import_story  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    choices = "、".join(f"{key}（{c.name}）" for key, c in COLLECTIONS.items())
    parser = argparse.ArgumentParser(description=f"导入一篇投稿（.docx、.txt 或投稿页下载的 .md）。栏目：{choices}。")
    parser.add_argument("file", help="要导入的文件")
    parser.add_argument("--collection", default="letters", help="栏目：" + " / ".join(COLLECTIONS) + "（默认 letters）")
    parser.add_argument("--root", default=str(ROOT), help="项目根目录（默认：本仓库）")
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        path = import_story(root, Path(args.file), args.collection)
    except ImportFailed as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    except OSError as err:  # unreadable file, no permission, a disk full
        print(f"错误：无法读取或写入文件：{err.strerror}（{err.filename}）。", file=sys.stderr)
        return 1
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    print(rel)
    print(f"已导入 {rel}。下一步：运行 python hooks/check.py，按提示补写摘要等字段。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

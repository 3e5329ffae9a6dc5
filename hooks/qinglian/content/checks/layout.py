"""Where files are and what they are called: links, pipes and unprintable names under stories/, docs/ and data/,
files under stories/ that would silently not be published, and story file names that cannot be an address."""

from __future__ import annotations

import os
import re
from pathlib import Path

from qinglian.content.contract import COLLECTIONS, SLUG_PATTERN
from qinglian.content.problems import Problem
from qinglian.content.yamlfile import not_a_file, outside_link

_SLUG = re.compile(SLUG_PATTERN)

# Where MkDocs and the hooks read files from: nothing under them may be a symbolic link.
CHECKED_FOLDERS = ("stories", "docs", "data")


def check_links(root: Path) -> list[Problem]:
    """Symbolic links, pipes or devices, and names with control characters or bytes that are not UTF-8, under
    stories/, docs/ and data/ and those folders themselves, found without following any link.

    A link to /etc/passwd or .git/config named like an image would be copied into the site by MkDocs; the
    check runs before MkDocs collects a single file."""
    problems = []
    for name in CHECKED_FOLDERS:
        top = root / name
        if top.is_symlink():
            problems.append(outside_link(top, name))
            continue
        folders = [top] if top.is_dir() else []
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    path = Path(entry.path)
                    if _BAD_NAME.search(entry.name):  # MkDocs would make it a URL and print it
                        problems.append(_bad_name(path.relative_to(root).as_posix()))
                    if entry.is_symlink():
                        problems.append(outside_link(path, path.relative_to(root).as_posix()))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(path)
                    elif not entry.is_file(follow_symlinks=False):  # a pipe or device: copying it would hang
                        problems.append(not_a_file(path.relative_to(root).as_posix()))
    return problems


# control characters, bidi controls and the bytes of a name that is not UTF-8 (os.fsdecode's lone surrogates)
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _bad_name(rel: str) -> Problem:
    return Problem(
        rel,
        0,
        None,
        "文件名里有控制字符，或不是 UTF-8 编码（网址和消息里都显示不出来）。",
        "用小写拼音、数字和连字符重新命名这个文件。",
    )


def check_slug(rel: str, slug: str) -> list[Problem]:
    """A story's file name becomes its address."""
    if _SLUG.fullmatch(slug):
        return []
    return [
        Problem(
            rel,
            0,
            None,
            f"文件名“{slug}”不能作网址：只能用小写字母、数字和连字符。",
            "用标题的拼音命名，如 yuan-renyuan.md。",
        )
    ]


def check_stray_files(root: Path) -> list[Problem]:
    """Files under stories/ that would silently not be published."""
    problems = []
    stories = root / "stories"
    for path in sorted(stories.rglob("*"), key=lambda p: p.parts) if stories.is_dir() else ():  # = Path order, faster
        rel = path.relative_to(root).as_posix()
        parts = path.relative_to(stories).parts
        if path.is_dir() or parts[0].startswith((".", "_")) or path.name.startswith("."):
            continue  # templates and README live in _templates/, dot files are tooling
        if len(parts) == 1:
            if path.suffix.lower() != ".md" or path.name.lower() != "readme.md":
                problems.append(
                    Problem(rel, 0, None, "故事要放在栏目文件夹里。", f"移到 stories/{'|'.join(COLLECTIONS)}/ 之一。")
                )
        elif parts[0] not in COLLECTIONS:
            problems.append(
                Problem(rel, 0, None, f"没有“{parts[0]}”这个栏目。", f"栏目只有：{'、'.join(COLLECTIONS)}。")
            )
        elif len(parts) > 2 or path.suffix != ".md":
            problems.append(
                Problem(
                    rel,
                    0,
                    None,
                    "这里只放 .md 故事文件，不会发布。",
                    "图片放到 docs/assets/images/；故事文件用 .md 结尾（小写）。",
                )
            )
    return problems

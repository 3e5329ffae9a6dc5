"""Every file a story refers to: the media fields (cover, video, video_poster, video_captions, audio) and the images
and video posters of its body — where they may be, whether they exist inside docs/, and their size limits."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from qinglian.content.contract import AUDIO_MAX_KB, FILE_KINDS, IMAGE_MAX_KB, Collection
from qinglian.content.problems import Problem
from qinglian.content.urls import describe, safe_media_path
from qinglian.content.yamlfile import Parsed


def check_media(root: Path, rel: str, parsed: Parsed, lines, collection: Collection) -> list[Problem]:
    """`lines`: the story's text lines (text.story_lines); the body's are searched for images and videos."""
    return _field_files(root, rel, parsed, collection) + _body_media(root, rel, lines, collection)


def refers_to_files(meta: dict, body: str, collection: Collection) -> bool:
    """Whether the story's check reads other files (a media field, an image or a video in its body): then an
    unchanged story file does not mean an unchanged result (the `mkdocs serve` cache in load.py)."""
    fields = any(meta.get(f.name) for f in collection.all_fields if f.kind in FILE_KINDS)
    return fields or bool(_MD_IMAGE.search(body) or _HTML_IMG.search(body) or _HTML_VIDEO.search(body))


def _too_large(kind: str, shown: str, size: int) -> tuple[str, str] | None:
    """(message, fix) when a file of `kind` (FILE_KINDS) is over its limit: readers are often on mobile data."""
    if kind == "image" and size > IMAGE_MAX_KB * 1024:
        return (
            f"图片 {shown} 有 {size // 1024} KB，超过 {IMAGE_MAX_KB} KB 的上限（读者多用手机流量）。",
            f"把图片缩小到宽 1600 像素以内、{IMAGE_MAX_KB} KB 以下（如用画图或微信截图另存为 JPG）。",
        )
    if kind == "audio" and size > AUDIO_MAX_KB * 1024:
        return (
            f"录音 {shown} 有 {size // 1024} KB，超过 {AUDIO_MAX_KB} KB 的上限。",
            f"剪短，或转成单声道 64 kbit/s 的 MP3（约每分钟 470 KB），使它小于 {AUDIO_MAX_KB} KB。",
        )
    return None


def _field_files(root: Path, rel: str, parsed: Parsed, collection: Collection) -> list[Problem]:
    """Each media field (cover, video, video_poster, video_captions, audio): a path under docs/assets/ that may
    reach a src, a file inside docs/, within its kind's size limit."""
    meta = parsed.data if isinstance(parsed.data, dict) else {}
    docs = Path(os.path.normpath(root / "docs"))
    problems = []
    for f in collection.all_fields:
        value = meta.get(f.name)
        if f.kind not in FILE_KINDS or not isinstance(value, str) or not value.strip():
            continue
        line = parsed.line_of((f.name,))
        if safe_media_path(value) is None:
            problems.append(
                Problem(
                    rel,
                    line,
                    f.name,
                    f"{FILE_KINDS[f.kind]}路径“{describe(value)}”不是 docs/assets/ 下的文件路径"
                    "（不能是网址，不能有空格、引号、“..”或控制字符）。",
                    f"把文件放到 docs/assets/ 下，文件名只用字母、数字和连字符，写成 {f.example}。",
                )
            )
        path = Path(os.path.normpath(docs / value))
        if docs not in path.parents or not path.is_file():  # also refuses /abs and ../ paths outside docs/
            folder = {"video": "assets/videos/", "audio": "assets/audio/"}.get(f.name.split("_")[0], "assets/images/")
            problems.append(
                Problem(
                    rel,
                    line,
                    f.name,
                    f"找不到{FILE_KINDS[f.kind]} docs/{value}。",
                    f"把文件放到 docs/{folder} 下，并检查文件名大小写。",
                )
            )
            continue
        found = _too_large(f.kind, f"docs/{path.relative_to(docs).as_posix()}", path.stat().st_size)
        if found:
            problems.append(Problem(rel, line, f.name, *found))
    return problems


# No bracket inside the alt text or the path, and a bounded tag: a line of thousands of "![" or "<img " must not
# be scanned to its end from each of them.
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(\s*<?([^()\s<>\[\]]*)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_HTML_IMG = re.compile(r"<img\b[^<>]{0,4000}>", re.I)
_HTML_VIDEO = re.compile(r"<video\b[^<>]{0,4000}>", re.I)


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf"\b{name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", tag, re.I)
    return None if match is None else next(g for g in match.groups() if g is not None)


def _image_problem(root: Path, collection: Collection, src: str) -> tuple[str, str] | None:
    """(message, fix) when an image of the body (relative to the story's page, or to the site with a leading
    "/") is external, missing or too large; None when it is fine."""
    src = src.strip()
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") or src.startswith("//"):
        return (
            f"图片“{src}”在别的网站上：读者的手机和离线展厅都打不开它，别的网站也会知道谁在看。",
            "把图片下载下来（确认可以使用），放到 docs/assets/images/，再改用这个路径。",
        )
    if parts.scheme:
        return (f"图片地址“{src[:40]}”不是文件路径。", "把图片存成文件放到 docs/assets/images/，再写它的路径。")
    path = unquote(parts.path)
    if path.startswith("/"):
        rel = PurePosixPath(path.lstrip("/"))
    else:
        rel = PurePosixPath(collection.key) / path
    # resolve ../ without touching the file system, then look inside docs/
    resolved: list[str] = []
    for part in rel.parts:
        if part == "..":
            if resolved:
                resolved.pop()
        elif part != ".":
            resolved.append(part)
    target = root / "docs" / Path(*resolved) if resolved else root / "docs"
    shown = "docs/" + "/".join(resolved)
    if not target.is_file():
        if not path.startswith((".", "/")) and (root / "docs" / path).is_file():
            return (f"图片路径“{src}”少了开头的“/”：正文里的路径从网站根目录算起。", f"写成 `/{path}`。")
        return (
            f"找不到图片 {shown}（写的是“{src}”）。",
            "把图片放到 docs/assets/images/，正文里写 `![图片说明](/assets/images/文件名.jpg)`，注意大小写。",
        )
    return _too_large("image", shown, target.stat().st_size)


def _body_media(root: Path, rel: str, lines, collection: Collection) -> list[Problem]:
    """The images of the body (a description, a file inside docs/, its size) and its videos' posters."""
    problems = []
    for number, name, text in lines:
        if name is not None:
            continue
        images = [(alt, src) for alt, src in _MD_IMAGE.findall(text)]
        images += [(_attr(tag, "alt"), _attr(tag, "src") or "") for tag in _HTML_IMG.findall(text)]
        for alt, src in images:
            if not (alt or "").strip():
                problems.append(
                    Problem(
                        rel,
                        number,
                        None,
                        f"图片“{src}”没有文字说明（看不见图片的读者听不到内容）。",
                        "在 `![` 和 `]` 之间写上图片内容，如 `![袁任远像](/assets/images/yuan.jpg)`。",
                    )
                )
            if src:
                found = _image_problem(root, collection, src)
                if found:
                    problems.append(Problem(rel, number, None, *found))
        for tag in _HTML_VIDEO.findall(text):
            if not _attr(tag, "poster"):
                problems.append(
                    Problem(
                        rel,
                        number,
                        None,
                        "视频没有封面图（poster）：加载前和离线时，读者只看到一块黑框。",
                        '在 <video> 里加 `poster="/assets/images/封面.jpg"`。',
                    )
                )
            poster = _attr(tag, "poster")
            if poster:
                found = _image_problem(root, collection, poster)
                if found:
                    problems.append(Problem(rel, number, None, *found))
    return problems

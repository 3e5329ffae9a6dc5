"""Our own check of the relative links editors write, before MkDocs renders anything.

MkDocs validates links too, but it names a story by its place in the site ('letters/x.md', not the file
stories/letters/x.md that editors edit) and words its warnings in English. Here every Markdown link and
link reference in a story or a hand-written page under docs/ is looked up in the files the build has
(MkDocs' `Files`, generated pages included), resolved the way MkDocs resolves it, and a broken one becomes a
located `Problem`: ``stories/letters/x.md:12: 链接“…”指向的文件不存在。 修改：…``. A link to a heading (#…)
of a story or docs page is checked against that page's headings, slugified by the `toc` slugify of the
site's own configuration.

What this does not see (links in raw HTML, headings that only exist in a template) MkDocs still checks
after it; its messages are then its own.

Plain Python: nothing here imports MkDocs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from qinglian.content.problems import Problem

_INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)>?")  # not a footnote [^1]:
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_MARKUP = re.compile(r"[*_`~]|!?\[([^\]]*)\]\([^)]*\)|<[^>]+>")

MISSING = (
    "链接“{url}”指向的文件不存在。",
    "检查文件名和路径：站内链接写目标 .md 文件的相对路径，如 ../officials/yuan-renyuan.md。",
)
UNRECOGNIZED = (
    "链接“{url}”既不是站内的 .md 文件，也不是完整网址。",
    "站内文章写 .md 文件的相对路径；外部网址从浏览器地址栏完整复制（以 https:// 开头）。",
)
NO_HEADING = (
    "链接“{url}”里的小标题“{anchor}”，在 {target} 那一页找不到。",
    "打开那一页核对小标题的文字；小标题改过的，链接一起改。",
)
NO_OWN_HEADING = ("链接“{url}”指向本页的小标题，但本页没有这个小标题。", "核对 # 后面的文字与本页小标题是否一致。")


@dataclass(frozen=True)
class Source:
    """A page an editor writes: its place in the site, the file as the repository names it, its Markdown."""

    src_uri: str  # 'letters/x.md'
    rel: str  # 'stories/letters/x.md'
    text: str  # the Markdown body
    first_line: int = 1  # file line of the body's first line (after the front matter)


def check_links(sources: Iterable[Source], targets: set[str], slugify: Callable[[str, str], str]) -> list[Problem]:
    """Problems of the relative links in `sources`; `targets` are the src_uris of every file of the build."""
    sources = list(sources)
    by_uri = {s.src_uri: s for s in sources}
    headings: dict[str, set[str]] = {}

    def ids_of(uri: str) -> set[str] | None:
        if uri not in by_uri:
            return None  # generated from templates: MkDocs checks those anchors after rendering
        if uri not in headings:
            headings[uri] = heading_ids(by_uri[uri].text, slugify)
        return headings[uri]

    problems = []
    for source in sources:
        for line, url in links_in(source.text):
            problem = _check(source, url, targets, ids_of, by_uri)
            if problem:
                what, fix = problem
                problems.append(Problem(source.rel, source.first_line + line - 1, None, what, fix))
    return problems


def _check(source: Source, url: str, targets: set[str], ids_of, by_uri) -> tuple[str, str] | None:
    scheme, netloc, path, _query, anchor = urlsplit(url)
    if scheme or netloc or "@" in url and "/" not in url:
        return None  # a full address or an e-mail: not ours to resolve
    anchor = unquote(anchor)
    if not path:  # #heading on this page
        ids = ids_of(source.src_uri)
        if anchor and ids is not None and anchor not in ids:
            return NO_OWN_HEADING[0].format(url=url), NO_OWN_HEADING[1]
        return None
    path = unquote(path)
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/"))  # validation.absolute_links: relative_to_docs
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source.src_uri), path))
    if target not in targets:
        if not posixpath.splitext(path)[1] and not path.startswith("/"):
            what, fix = UNRECOGNIZED
        else:
            what, fix = MISSING
        hint = _suggestion(target, targets, source.src_uri)
        return what.format(url=url), (f"是不是想写“{hint}”？" if hint else "") + fix
    ids = ids_of(target) if anchor else None
    if ids is not None and anchor not in ids:
        shown = by_uri[target].rel
        return NO_HEADING[0].format(url=url, anchor=anchor, target=shown), NO_HEADING[1]
    return None


def _suggestion(target: str, targets: set[str], here: str) -> str | None:
    """A file of the build with the same name (or the same name plus .md): its path relative to `here`."""
    name = posixpath.basename(target.rstrip("/"))
    wanted = {name, name + ".md"}
    found = sorted(t for t in targets if posixpath.basename(t) in wanted and t.endswith(".md"))
    if len(found) != 1:
        return None
    return posixpath.relpath(found[0], posixpath.dirname(here) or ".")


def _outside_fences(text: str) -> Iterable[tuple[int, str]]:
    """(line number, line) of every line of `text` that is not inside a fenced code block (nor a fence)."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        yield number, line


def links_in(text: str) -> Iterable[tuple[int, str]]:
    """(line number in `text`, URL) of every Markdown link, image and link reference outside code."""
    for number, line in _outside_fences(text):
        if line.startswith(("    ", "\t")) and not line.strip().startswith(("-", "*", "+")):
            continue  # an indented code block (or a paragraph continuation: links there are rare)
        line = _CODE_SPAN.sub("", line)
        for match in _INLINE.finditer(line):
            if match[1]:
                yield number, match[1]
        ref = _REFERENCE.match(line)
        if ref:
            yield number, ref[1]


def heading_ids(text: str, slugify: Callable[[str, str], str]) -> set[str]:
    """The ids the toc extension gives the headings of `text`: its slugify of the heading's text, `-1`, `-2`
    … for repeats, and explicit `{#id}` attributes. Both the raw and the markup-free text are slugified, so a
    heading with emphasis or a link is never wrongly reported missing."""
    ids: set[str] = set()
    for _number, line in _outside_fences(text):
        match = _HEADING.match(line)
        if not match:
            continue
        title = match[2]
        explicit = _ATTR_ID.search(title)
        if explicit:
            ids.add(explicit[1])
            title = title[: explicit.start()].rstrip()
        for variant in {title, _MARKUP.sub(lambda m: m[1] or "", title)}:
            slug = slugify(variant, "-")
            base, n = slug, 1
            while slug in ids:
                slug, n = f"{base}_{n}", n + 1
            ids.add(slug)
    return ids


def sources_of(plan, docs_pages: Iterable[tuple[str, Path]], root: Path) -> list[Source]:
    """The stories of the plan and the hand-written Markdown pages (src_uri, path) under docs/."""
    sources = [Source(s.src_uri, s.rel, s.body, s.body_line) for s in plan.content.stories]
    for src_uri, path in docs_pages:
        if plan.story(src_uri):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        sources.append(Source(src_uri, rel, text))
    return sources

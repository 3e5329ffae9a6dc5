"""简/繁: a Traditional-character mirror of every built HTML page under /zh-hant/.

Content is authored in Simplified characters. As the build writes each page, `TraditionalMirror.add`
converts it with OpenCC (phrase-level, not character by character) and writes it to `zh-hant/<same path>`. The mirror is one folder deeper than the original, so its URLs are
rewritten: links to pages stay relative (and so lead to the mirror's pages), links to assets
(stylesheets, scripts, images, feeds, exports) get one more `../` and so reach the one shared copy.
Links that carry `hreflang` name a language on purpose and keep their target.

Nothing here depends on MkDocs.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from qinglian.content.hant import to_traditional
from qinglian.site import seo

PREFIX = "zh-hant"
SKIP = {"404.html"}  # served by the web server for any missing address; its links are absolute already

_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_SCOPE = re.compile(r'__md_scope=new URL\("([^"]*)",location\)')
_SHARE = re.compile(
    r'(<aside class="ql-share".*?data-ql-qr=")([^"]*)(".*?<a class="ql-share__url" href=")([^"]*)(">)[^<]*(</a>)', re.S
)
_SWITCH = re.compile(r'<a [^>]*data-ql-set="hant"[^>]*>.*?</a>', re.S)
_JSONLD = re.compile(r'(<script type="application/ld\+json">)(.*?)(</script>)', re.S)


@dataclass
class MirrorReport:
    pages: int
    seconds: float

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / self.pages if self.pages else 0.0


class TraditionalMirror:
    """Writes the mirror page by page as the build renders them (the hooks' on_post_page), so the pages are
    converted from memory, by whichever process rendered them, and a `mkdocs serve --dirty` rebuild converts
    just the pages it re-rendered. `finish()` reports what was converted.

    `pages`: the site-relative paths of every HTML page of the build (for telling page links from asset links).
    `phrases`: the project's conversion exceptions (data/hant-phrases.yml); `page_phrases`: a page's own, by
    path (a story's `hant` field), used on that page over the project's.
    """

    def __init__(
        self,
        site_dir: Path,
        site_url: str | None,
        pages: set[str],
        phrases: dict[str, str] | None = None,
        page_phrases: dict[str, dict[str, str]] | None = None,
    ):
        self.site_dir, self.site_url = Path(site_dir), site_url
        self.pages = {p for p in pages if p not in SKIP and not p.startswith(PREFIX + "/")}
        self.phrases, self.page_phrases = phrases or {}, page_phrases or {}
        self.converted, self.seconds = 0, 0.0

    def add(self, rel: str, source: str) -> None:
        """Write the mirror of the page `rel` (e.g. 'officials/x/index.html'), whose HTML is `source`."""
        if rel not in self.pages:
            return
        start = time.perf_counter()
        out = self.site_dir / PREFIX / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        phrases = {**self.phrases, **self.page_phrases[rel]} if rel in self.page_phrases else self.phrases
        out.write_text(mirror_page(source, rel, self.pages, self.site_url, phrases), encoding="utf-8")
        self.converted += 1
        self.seconds += time.perf_counter() - start

    def finish(self) -> MirrorReport:
        """The mirror's pages are in the sitemap already: docs/overrides/sitemap.xml lists both editions."""
        return MirrorReport(self.converted, self.seconds)


def mirror_page(
    source: str, rel: str, pages: set[str], site_url: str | None = None, phrases: dict[str, str] | None = None
) -> str:
    """The Traditional version of the page `rel` (e.g. 'officials/x/index.html'), to be written under zh-hant/."""
    text = _to_traditional_page(source, phrases)
    here = posixpath.dirname(rel)
    base = _base(site_url)

    def rewrite(url: str, tag: str) -> str:
        keep_target = " hreflang=" in tag or " data-ql-set=" in tag  # the link names its language
        return _mirror_url(html.unescape(url) if "&" in url else url, here, pages, base, keep_target)

    text = _rewrite_url_attributes(text, rewrite)
    text = _CONFIG.sub(lambda m: m[1] + _mirror_config(m[2], here, pages) + m[3], text)
    text = _SCOPE.sub(lambda m: f'__md_scope=new URL("{_asset(m[1] or ".")}",location)', text)
    text = text.replace(f'<html lang="{seo.HANS}"', f'<html lang="{seo.HANT}"', 1)
    text = text.replace(
        f'<meta property="og:locale" content="{seo.OG_LOCALE[seo.HANS]}">',
        f'<meta property="og:locale" content="{seo.OG_LOCALE[seo.HANT]}">',
        1,
    )
    if base:  # the shared address of a mirror page is its own
        text = text.replace(f'property="og:url" content="{base}', f'property="og:url" content="{base}{PREFIX}/', 1)
        mirrored = lambda url: html.unescape(_mirror_url(url, here, pages, base, False))  # noqa: E731
        text = _JSONLD.sub(lambda m: m[1] + seo.mirror_jsonld(m[2], mirrored) + m[3], text)
    text = _SHARE.sub(_share_block, text, count=1)
    text = _SWITCH.sub(lambda _m: _switch_back(rel), text, count=1)
    return text


def _rewrite_url_attributes(text: str, rewrite) -> str:
    """Every href="…" and src="…" inside a tag, replaced by rewrite(url, tag). (str.find, not a regex: a
    page has some 60 links in 25 KB, and scanning it with a regex took longer than converting it.)"""
    starts = []
    for name in ('href="', 'src="'):
        at = text.find(name)
        while at >= 0:
            if at and text[at - 1].isspace():
                starts.append((at, len(name)))
            at = text.find(name, at + 1)
    out, pos = [], 0
    for at, length in sorted(starts):
        value_start = at + length
        value_end = text.find('"', value_start)
        tag_start = text.rfind("<", 0, at)
        if value_end < 0 or tag_start < text.rfind(">", 0, at):
            continue  # not inside a tag: text that happens to read href="…"
        tag = text[tag_start : text.find(">", value_end) + 1]
        out += [text[pos:value_start], rewrite(text[value_start:value_end], tag)]
        pos = value_end
    out.append(text[pos:])
    return "".join(out)


# Parts of a page that are the same on many pages (tabs and navigation drawer, footer): converted once each.
# A cut falls just before a tag, so no OpenCC phrase spans two parts.
_SHARED_PARTS = (
    ('<nav class="md-tabs"', '<div class="md-sidebar md-sidebar--secondary"'),
    ('<footer class="md-footer"', None),
)
_converted_parts: dict[tuple, str] = {}


def _to_traditional_page(source: str, phrases: dict[str, str] | None = None) -> str:
    table = tuple(sorted(phrases.items())) if phrases else ()
    out, pos = [], 0
    for opening, closing in _SHARED_PARTS:
        start = source.find(opening, pos)
        end = source.find(closing, start) if closing and start >= 0 else len(source)
        if start < 0 or end < 0:
            continue
        shared = source[start:end]
        key = (shared, table)
        if key not in _converted_parts:
            if len(_converted_parts) > 512:  # a few per folder; bounded all the same
                _converted_parts.clear()
            _converted_parts[key] = to_traditional(shared, phrases)
        out += [to_traditional(source[pos:start], phrases), _converted_parts[key]]
        pos = end
    out.append(to_traditional(source[pos:], phrases))
    return "".join(out)


def _share_block(m: re.Match) -> str:
    """The share block names the mirror's own address, as text and as the QR code the browser draws."""
    address = html.unescape(m[4])
    return m[1] + html.escape(address) + m[3] + m[4] + m[5] + html.escape(address) + m[6]


def _switch_back(rel: str) -> str:
    """The mirror's 简/繁 link: back to the Simplified page."""
    from qinglian.site.ui import UI

    target = _page_dir(rel)
    href = "../" * (target.count("/") + (1 if target else 0) + 1) + (target + "/" if target else "")
    return (
        f'<a class="ql-switch__link" href="{href or "./"}" hreflang="zh-Hans" lang="zh-Hans" '
        f'data-ql-set="hans" title="{UI["to_simplified_title"]}">{UI["to_simplified"]}</a>'
    )


def _page_dir(rel: str) -> str:
    return posixpath.dirname(rel) if rel.endswith("index.html") else rel


def _base(site_url: str | None) -> str | None:
    if not site_url:
        return None
    return site_url if site_url.endswith("/") else site_url + "/"


def _asset(url: str) -> str:
    """A relative URL, one folder deeper: it keeps pointing at the same file."""
    return "../" + url if url not in ("", ".") else ".."


def _mirror_url(url: str, here: str, pages: set[str], base: str | None, keep_target: bool) -> str:
    if not url or url.startswith(("#", "data:", "mailto:", "javascript:", "tel:")):
        return html.escape(url, quote=True)
    if ":" in url or url.startswith("//"):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if base and url.startswith(base) and not keep_target:
                path = url[len(base) :]
                if _is_page(path.split("#")[0].split("?")[0], pages) and not path.startswith(PREFIX + "/"):
                    return html.escape(base + PREFIX + "/" + path, quote=True)
            return html.escape(url, quote=True)
    if url.startswith("/"):
        return html.escape(url, quote=True)  # root-relative: not produced by MkDocs; leave it
    path = url.partition("#")[0].partition("?")[0]
    if not keep_target and _target_is_page(here, path, pages):
        return html.escape(url, quote=True)  # a page: the mirror has it at the same relative place
    return html.escape(_asset(url), quote=True)


def _target_is_page(here: str, path: str, pages: set[str]) -> bool:
    """Whether the relative `path`, seen from the folder `here`, names a page (not one under zh-hant/)."""
    while path.startswith("../") and here:  # the same target from the parent folder: cache hits across pages
        here, path = posixpath.dirname(here), path[3:]
    target = _resolve(here, path)
    return _is_page(target, pages) and not target.startswith(PREFIX)


@lru_cache(maxsize=4096)
def _resolve(here: str, path: str) -> str:
    target = posixpath.normpath(posixpath.join(here, path)) if path else here
    return "" if target == "." else target


def _is_page(target: str, pages: set[str]) -> bool:
    target = target.strip("/")
    if target.endswith(".html"):
        return target in pages
    return (f"{target}/index.html" if target else "index.html") in pages


def _mirror_config(raw: str, here: str, pages: set[str]) -> str:
    """Material's JSON config: its base (search index, storage scope) and worker script are assets."""
    try:
        config = json.loads(raw)
    except ValueError:
        return raw
    for key in ("base", "search"):
        if isinstance(config.get(key), str):
            config[key] = _asset(config[key])
    return json.dumps(config, ensure_ascii=False, separators=(",", ":"))

"""简/繁: a Traditional-character mirror of every built HTML page under /zh-hant/.

Content is authored in Simplified characters. As the build writes each page, `TraditionalMirror.add`
converts it with OpenCC (phrase-level, not character by character) and writes it to `zh-hant/<same path>`.
The mirror is one folder deeper than the original, so its URLs are rewritten: links to pages stay relative
(and so lead to the mirror's pages), links to assets (stylesheets, scripts, images, feeds, exports) get one
more `../` and so reach the one shared copy. Links that carry `hreflang` name a language on purpose and keep
their target.

The page is read with a real HTML parser (`html.parser`, `_MirrorEdits`): it finds the tags and their
attributes, Material's JSON configuration (`<script id="__config">`) and its inline script that sets
`__md_scope`, our share block and our 简/繁 link; the edits are spliced into the original text, so what is not
edited stays byte for byte. What it expects of Material's markup is pinned by tests/test_editions.py
(mkdocs-material 9.8.1).

Nothing here depends on MkDocs.
"""

from __future__ import annotations

import html
import itertools
import json
import posixpath
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from qinglian.content.hant import to_traditional
from qinglian.site import seo
from qinglian.site.address import site_base

PREFIX = "zh-hant"
SKIP = {"404.html"}  # served by the web server for any missing address; its links are absolute already

# Material's inline script (partials/javascripts/base.html) sets the storage scope to the site root.
_SCOPE = re.compile(r'__md_scope=new URL\("([^"]*)",location\)')
_URL_ATTRIBUTE = re.compile(r'\s(href|src|content|data-ql-qr)="([^"]*)"')


@dataclass
class MirrorReport:
    pages: int
    seconds: float

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / self.pages if self.pages else 0.0


class TraditionalMirror:
    """Writes the mirror page by page as the build renders them (the hooks' on_post_page), so the pages are
    converted from memory, and a `mkdocs serve --dirty` rebuild converts just the pages it re-rendered.
    `finish()` reports what was converted.

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
        page = mirror_page(source, rel, self.pages, self.site_url, phrases)
        out.write_text(page, encoding="utf-8")
        self.converted += 1
        self.seconds += time.perf_counter() - start

    def finish(self) -> MirrorReport:
        """The mirror's pages are in the sitemap already: docs/overrides/sitemap.xml lists both editions."""
        return MirrorReport(self.converted, self.seconds)


def mirror_page(
    source: str,
    rel: str,
    pages: set[str],
    site_url: str | None = None,
    phrases: dict[str, str] | None = None,
) -> str:
    """The Traditional version of the page `rel` (e.g. 'officials/x/index.html'), to be written under zh-hant/.
    `phrases`: conversion exceptions (see content/hant.py)."""
    text = to_traditional(source, phrases)
    edits = _MirrorEdits(text, rel, pages, site_base(site_url))
    edits.feed(text)
    edits.close()
    return edits.apply()


class _MirrorEdits(HTMLParser):
    """Collects (start, end, replacement) edits of the converted page while parsing it once."""

    def __init__(self, text: str, rel: str, pages: set[str], base: str | None):
        super().__init__(convert_charrefs=False)
        self.text, self.rel, self.pages, self.base = text, rel, pages, base
        self.here = posixpath.dirname(rel)
        self.edits: list[tuple[int, int, str]] = []
        self._lines = [0, *itertools.accumulate(map(len, text.splitlines(keepends=True)))]  # line -> offset
        self._script: str | None = None  # "config" / "inline" inside such a <script>
        self._share = 0  # depth inside <aside class="ql-share">
        self._share_text: tuple[int, str] | None = None  # (start of the share link's text, its new address)
        self._switch: int | None = None  # start of the 简/繁 link, replaced whole

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        raw = self.get_starttag_text() or ""
        start = self._offset()
        values = dict(attrs)
        if tag == "a" and values.get("data-ql-set") == "hant":
            self._switch = start  # replaced at its end tag, with everything inside
            return
        if tag == "html" and values.get("lang") == seo.HANS:
            self._replace_attribute(start, raw, "lang", lambda _v: seo.HANT)
        if tag == "script" and not values.get("src"):
            if values.get("id") == "__config":
                self._script = "config"
            elif values.get("type") == "application/ld+json":
                self._script = "jsonld"
            else:
                self._script = "inline"
        if tag == "aside" and "ql-share" in (values.get("class") or "").split():
            self._share = 1
        elif self._share:
            self._share += tag not in _VOID
        self.edits += self._url_edits(tag, values, raw, start)

    def _url_edits(self, tag: str, values: dict, raw: str, start: int) -> list:
        """The edits of the tag's URL attributes."""
        edits = []
        keep_target = "hreflang" in values or "data-ql-set" in values  # the link names its language
        for match in _URL_ATTRIBUTE.finditer(raw):
            name, value = match[1], match[2]
            if name == "content":
                if values.get("property") == "og:url" and self.base:
                    new = self._page_address(html.unescape(value))  # the shared address of a mirror page is its own
                elif values.get("property") == "og:locale" and value == seo.OG_LOCALE[seo.HANS]:
                    new = seo.OG_LOCALE[seo.HANT]
                else:
                    continue
            else:
                if name == "data-ql-qr" and not self._share:
                    continue
                url = html.unescape(value) if "&" in value else value
                new = _mirror_url(url, self.here, self.pages, self.base, keep_target)
                if self._share and tag == "a" and "ql-share__url" in (values.get("class") or ""):
                    self._share_text = (start + len(raw), new)  # the link's text repeats its address
            if new != value:
                edits.append((start + match.start(2), start + match.end(2), new))
        return edits

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if self._share and tag not in _VOID:
            self._share -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        elif tag == "a" and self._switch is not None:
            end = self.text.find(">", self._offset()) + 1
            self.edits.append((self._switch, end, _switch_back(self.rel)))
            self._switch = None
        if self._share:
            self._share -= 1
            if tag == "a" and self._share_text:
                self.edits.append((self._share_text[0], self._offset(), self._share_text[1]))
                self._share_text = None

    def handle_data(self, data: str) -> None:
        if self._switch is not None:
            return
        if self._script == "config":
            start = self._offset()
            self.edits.append((start, start + len(data), _mirror_config(data)))
        elif self._script == "jsonld" and self.base:  # its addresses and language are the mirror's
            start = self._offset()

            def mirrored(url: str) -> str:
                return html.unescape(_mirror_url(url, self.here, self.pages, self.base, False))

            self.edits.append((start, start + len(data), seo.mirror_jsonld(data, mirrored)))
        elif self._script == "inline" and "__md_scope=" in data:
            start = self._offset()
            for match in _SCOPE.finditer(data):
                new = _asset(match[1] or ".")
                self.edits.append((start + match.start(1), start + match.end(1), new))

    def _page_address(self, value: str) -> str:
        """A full address of a Simplified page, as the address of its mirror page."""
        if self.base and value.startswith(self.base) and not value[len(self.base) :].startswith(PREFIX + "/"):
            value = self.base + PREFIX + "/" + value[len(self.base) :]
        return html.escape(value, quote=True)

    def _replace_attribute(self, start: int, raw: str, name: str, make) -> None:
        match = re.search(rf'\s{name}="([^"]*)"', raw)
        if match:
            self.edits.append((start + match.start(1), start + match.end(1), make(match[1])))

    def apply(self) -> str:
        out, pos = [], 0
        for start, end, new in sorted(self.edits):
            if start < pos:
                continue  # inside a part already replaced (the 简/繁 link)
            out += [self.text[pos:start], new]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


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


def _mirror_config(raw: str) -> str:
    """Material's JSON config: its base (search index, storage scope) and worker script are assets."""
    try:
        config = json.loads(raw)
    except ValueError:
        return raw
    for key in ("base", "search"):
        if isinstance(config.get(key), str):
            config[key] = _asset(config[key])
    return json.dumps(config, ensure_ascii=False, separators=(",", ":"))

"""简/繁: a Traditional-character mirror of every built HTML page under /zh-hant/.

Content is authored in Simplified characters. As the build writes each page, `TraditionalMirror.add`
converts it with OpenCC (phrase-level, not character by character) and writes it to `zh-hant/<same path>`.
The mirror is one folder deeper than the original, so its URLs are rewritten: links to pages stay relative
(and so lead to the mirror's pages), links to assets (stylesheets, scripts, images, feeds, exports) get one
more `../` and so reach the one shared copy. Links that carry `hreflang` name a language on purpose and keep
their target.

The converted page is parsed into a tree by a real HTML parser (selectolax's lexbor, which follows the
WHATWG parsing rules), edited there — URL attributes, Material's JSON configuration (`<script id="__config">`)
and its inline script that sets `__md_scope`, the JSON-LD, our share block and our 简/繁 link — and written
back with the standard HTML serialisation (so `&#39;` may come back as `'`, `<path/>` as `<path></path>`: the
same document). What it expects of Material's markup is pinned by tests/test_editions.py
(mkdocs-material 9.8.1).

Nothing here depends on MkDocs.
"""

from __future__ import annotations

import json
import posixpath
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from qinglian.content.hant import to_traditional
from qinglian.site import seo
from qinglian.site.address import site_base

PREFIX = "zh-hant"
SKIP = {"404.html"}  # served by the web server for any missing address; its links are absolute already

# Material's inline script (partials/javascripts/base.html) sets the storage scope to the site root.
_SCOPE = re.compile(r'__md_scope=new URL\("([^"]*)",location\)')


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
        pages: frozenset[str],
        phrases: dict[str, str] | None = None,
        page_phrases: dict[str, dict[str, str]] | None = None,
    ):
        self.site_dir, self.site_url = Path(site_dir), site_url
        self.pages = frozenset(p for p in pages if p not in SKIP and not p.startswith(PREFIX + "/"))
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
    pages: frozenset[str],
    site_url: str | None = None,
    phrases: dict[str, str] | None = None,
) -> str:
    """The Traditional version of the page `rel` (e.g. 'officials/x/index.html'), to be written under zh-hant/.
    `phrases`: conversion exceptions (see content/hant.py)."""
    tree = LexborHTMLParser(to_traditional(source, phrases))
    pages = pages if isinstance(pages, frozenset) else frozenset(pages)  # a cache key (its hash is kept)
    here, base = posixpath.dirname(rel), site_base(site_url)
    root = tree.root
    if root is not None and root.attrs.get("lang") == seo.HANS:
        root.attrs["lang"] = seo.HANT
    for node in _each(tree, _URL_NODES):
        _mirror_attributes(node, here, pages, base)
    for node in _each(tree, "aside.ql-share [data-ql-qr], aside.ql-share a.ql-share__url"):
        _mirror_share(node, here, pages, base)
    for node in tree.css('a[data-ql-set="hant"]'):
        _switch_back(node, rel)
    for node in tree.css("script:not([src])"):
        _mirror_script(node, here, pages, base)
    return tree.html or ""


# The attributes that hold an address, and the elements that have them (meta: og:url, og:locale).
_URL_ATTRIBUTES = ("href", "src", "poster")
_URL_NODES = "[href], [src], [poster], meta[property]"


def _each(tree: LexborHTMLParser, selectors: str):
    """The elements matching any of the comma-separated `selectors`, each once (lexbor yields an element once
    per selector it matches)."""
    seen = set()
    for node in tree.css(selectors):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            yield node


def _mirror_attributes(node: LexborNode, here: str, pages: frozenset[str], base: str | None) -> None:
    attrs = node.attrs
    if node.tag == "meta":
        value = attrs.get("content") or ""
        if attrs.get("property") == "og:url" and base:  # the shared address of a mirror page is its own
            attrs["content"] = _page_address(value, base)
        elif attrs.get("property") == "og:locale" and value == seo.OG_LOCALE[seo.HANS]:
            attrs["content"] = seo.OG_LOCALE[seo.HANT]
        return
    values = dict(attrs.items())
    keep_target = "hreflang" in values or "data-ql-set" in values  # the link names its language
    for name in _URL_ATTRIBUTES:
        value = values.get(name)
        if value:
            new = _mirror_url(value, here, pages, base, keep_target)
            if new != value:
                attrs[name] = new


def _mirror_share(node: LexborNode, here: str, pages: frozenset[str], base: str | None) -> None:
    """The share block names the page's address three times: its QR code, its link and the link's text."""
    if "data-ql-qr" in node.attrs:
        node.attrs["data-ql-qr"] = _mirror_url(node.attrs.get("data-ql-qr") or "", here, pages, base, False)
    if node.tag == "a" and "ql-share__url" in (node.attrs.get("class") or "").split():
        _set_text(node, node.attrs.get("href") or "")


def _switch_back(node: LexborNode, rel: str) -> None:
    """The mirror's 简/繁 link: back to the Simplified page."""
    from qinglian.site.ui import UI

    target = _page_dir(rel)
    href = "../" * (target.count("/") + (1 if target else 0) + 1) + (target + "/" if target else "")
    for name, value in (
        ("href", href or "./"),
        ("hreflang", seo.HANS),
        ("lang", seo.HANS),
        ("data-ql-set", "hans"),
        ("title", UI["to_simplified_title"]),
    ):
        node.attrs[name] = value
    _set_text(node, UI["to_simplified"])


def _mirror_script(node: LexborNode, here: str, pages: frozenset[str], base: str | None) -> None:
    raw = node.text(deep=True)
    if node.attrs.get("id") == "__config":
        new = _mirror_config(raw)
    elif node.attrs.get("type") == "application/ld+json":
        if not base:
            return

        def mirrored(url: str) -> str:  # its addresses and language are the mirror's
            return _mirror_url(url, here, pages, base, False)

        new = seo.mirror_jsonld(raw, mirrored)
    elif "__md_scope=" in raw:  # Material's inline script sets the storage scope to the site root
        new = _SCOPE.sub(lambda m: f'__md_scope=new URL("{_asset(m[1] or ".")}",location)', raw)
    else:
        return
    if new != raw:
        _set_text(node, new)


def _set_text(node: LexborNode, text: str) -> None:
    """Replace everything inside `node` by `text` (raw inside <script>, escaped elsewhere when written)."""
    for child in list(node.iter(include_text=True)):
        child.decompose()
    node.insert_child(text)


def _page_address(value: str, base: str) -> str:
    """A full address of a Simplified page, as the address of its mirror page."""
    if value.startswith(base) and not value[len(base) :].startswith(PREFIX + "/"):
        value = base + PREFIX + "/" + value[len(base) :]
    return value


def _page_dir(rel: str) -> str:
    return posixpath.dirname(rel) if rel.endswith("index.html") else rel


def _asset(url: str) -> str:
    """A relative URL, one folder deeper: it keeps pointing at the same file."""
    return "../" + url if url not in ("", ".") else ".."


def _mirror_url(url: str, here: str, pages: frozenset[str], base: str | None, keep_target: bool) -> str:
    if not url or url.startswith(("#", "data:", "mailto:", "javascript:", "tel:")):
        return url
    if ":" in url or url.startswith("//"):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if base and url.startswith(base) and not keep_target:
                path = url[len(base) :]
                if _is_page(path.split("#")[0].split("?")[0], pages) and not path.startswith(PREFIX + "/"):
                    return base + PREFIX + "/" + path
            return url
    if url.startswith("/"):
        return url  # root-relative: not produced by MkDocs; leave it
    path = url.partition("#")[0].partition("?")[0]
    if not keep_target and _target_is_page(here, path, pages):
        return url  # a page: the mirror has it at the same relative place
    return _asset(url)


def _target_is_page(here: str, path: str, pages: frozenset[str]) -> bool:
    """Whether the relative `path`, seen from the folder `here`, names a page (not one under zh-hant/)."""
    up = 0
    while path.startswith("../", 3 * up):
        up += 1
    if up:  # the same target from an ancestor folder: every page's menu and asset links share one answer
        parts = here.split("/") if here else []
        if up <= len(parts):
            here, path = "/".join(parts[: len(parts) - up]), path[3 * up :]
    return _page_target(here, path, pages)


@lru_cache(maxsize=65536)
def _page_target(here: str, path: str, pages: frozenset[str]) -> bool:
    target = posixpath.normpath(posixpath.join(here, path)) if path else here
    target = "" if target == "." else target
    return _is_page(target, pages) and not target.startswith(PREFIX)


def _is_page(target: str, pages: frozenset[str]) -> bool:
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
    return str(seo.script_json(config))  # <, >, & escaped: no value can end the element

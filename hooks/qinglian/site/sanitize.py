"""Sanitising the rendered HTML of a story: only a safe allowlist of tags and attributes survives.

Stories come from editors who paste from Word or WeChat and from letters sent by the public, and
Markdown passes raw HTML through. The story's HTML (after Markdown, before the theme wraps it) goes
through nh3 (Rust's Ammonia): no script, style, iframe, event handlers, `javascript:` or `data:`
URLs — while everything Markdown and the configured extensions produce is kept: headings with ids
and permalinks, admonitions and details with their classes, tables with alignment, footnotes, images.

A story cannot name the site's own elements either (DOM clobbering: an element with the id `__config` or
`kiosk-config` would replace the configuration Material's or the kiosk's script reads). Every id in a story
gets the prefix `user-content-` (as on GitHub), and the story's own links to them (`#…`: the heading
permalinks, footnotes, an editor's `[见上](#生平)`) and the page's table of contents get it too, so heading
anchors keep working. Classes other than those Markdown and its extensions produce get the same prefix, so
no story element can take on the look or the behaviour of the site's own (`md-…`, `ql-…`, `kiosk-…`).
"""

from __future__ import annotations

import nh3
from pygments.token import STANDARD_TYPES

# What Markdown + the extensions in mkdocs.yml produce, and what an editor may reasonably write.
TAGS = (set(nh3.ALLOWED_TAGS) - {"map", "area", "center", "strike", "tt", "acronym"}) | {
    "tfoot", "video", "source", "track",
}
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
ATTRIBUTES = {
    "*": GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "video": {"src", "poster", "controls", "preload", "width", "height", "muted", "playsinline"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start", "type"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Removed together with everything inside them (the other disallowed tags are unwrapped, keeping their text).
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "frame", "frameset",
                     "applet", "svg", "math", "textarea", "select", "button"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Markdown's table alignment is the only inline style kept (`<th style="text-align: left;">`).
STYLE_PROPERTIES = {"text-align"}


ID_PREFIX = "user-content-"
URL_ATTRIBUTES = {"href", "src", "poster", "cite"}
# Admonition and details types Material styles (mkdocs.yml: admonition, pymdownx.details).
ADMONITION_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite",
}
# The classes Markdown and the extensions in mkdocs.yml produce (toc permalinks, admonitions, footnotes, code).
MARKDOWN_CLASSES = (
    {"headerlink", "admonition", "admonition-title", "footnote", "footnote-ref", "footnote-backref", "highlight"}
    | ADMONITION_TYPES
    | {name for name in STANDARD_TYPES.values() if name}  # Pygments' token classes inside code blocks
)


def _own_name(value: str) -> str:
    return value if value.startswith(ID_PREFIX) else ID_PREFIX + value


def _class_names(value: str) -> str:
    return " ".join(
        name if name in MARKDOWN_CLASSES or name.startswith("language-") else _own_name(name) for name in value.split()
    )


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's hook for every kept attribute: ids and classes into the story's own namespace."""
    if attribute == "id":
        return _own_name(value)
    if attribute == "class":
        return _class_names(value)
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + _own_name(value[1:])  # a link inside the story to one of its own ids
    if attribute in URL_ATTRIBUTES and value.strip().replace("\\", "/").startswith("//"):
        return None  # `//host/…` (or `\\host`) is another site without saying so: not a site-relative path
    return value


def sanitize_story_html(html: str, toc=None) -> str:
    """The story HTML with only allowlisted tags, attributes and URL schemes, ids and classes prefixed.

    `toc`: the page's table of contents (MkDocs' page.toc), whose anchors are prefixed like the headings.
    """
    for item in _toc_items(toc or ()):
        item.id = _own_name(item.id)
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,  # no target= survives, so links need no rel; internal anchors stay as they were
        strip_comments=True,
    )


def _toc_items(items):
    for item in items:
        yield item
        yield from _toc_items(item.children)


__all__ = ["sanitize_story_html", "TAGS", "ATTRIBUTES", "ID_PREFIX"]

"""Sanitising the rendered HTML of a story: only a safe allowlist of tags and attributes survives.

Stories come from editors who paste from Word or WeChat and from letters sent by the public, and
Markdown passes raw HTML through. The story's HTML (after Markdown, before the theme wraps it) goes
through nh3 (Rust's Ammonia): no script, style, iframe, event handlers, `javascript:` or `data:`
URLs — while everything Markdown and the configured extensions produce is kept: headings with ids
and permalinks, admonitions and details with their classes, tables with alignment, footnotes, images.
"""

from __future__ import annotations

import nh3

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


def sanitize_story_html(html: str) -> str:
    """The story HTML with only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,  # no target= survives, so links need no rel; internal anchors stay as they were
        strip_comments=True,
    )


__all__ = ["sanitize_story_html", "TAGS", "ATTRIBUTES"]

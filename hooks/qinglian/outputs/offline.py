"""No request to a CDN, even from Material's own JavaScript, and none for a sitemap beside every alternate link.

Material's bundle loads two scripts from unpkg.com at run time: the ResizeObserver polyfill (on browsers
without ResizeObserver: old Android WebViews, iOS before 13.4 — common on the phones this site is read on)
and mermaid (only for diagrams, which this site does not configure). unpkg is slow or blocked in mainland
China and unreachable for the offline kiosk. After the build, the bundle's addresses are pointed at this
site: the polyfill is vendored under docs/assets/javascripts/vendor/; mermaid is not shipped, so a diagram
fails locally instead of contacting a CDN.
"""

from __future__ import annotations

from pathlib import Path

VENDOR = "assets/javascripts/vendor/"
# unpkg address in Material's bundle -> file under the site root. `__md_scope` is the site root, defined
# by Material's inline script on every page, so the address is right at any page depth and under /zh-hant/.
LOCAL_COPIES = {
    "https://unpkg.com/resize-observer-polyfill": VENDOR + "resize-observer-polyfill.js",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": VENDOR + "mermaid-not-shipped.js",
}
# Material's language selector (for its `extra.alternate`, which this site does not use) fetches "sitemap.xml"
# beside every <link rel="alternate"> of a page, on every page load: beside the feeds and the 简/繁 twins that
# the <head> names (partials/ql-head.html) those are 404s, logged as console errors, and on the home page the
# whole sitemap. Its selector is narrowed to links marked data-md-alternate, which no page has.
ALTERNATE_SELECTOR = ('"link[rel=alternate]"', '"link[rel=alternate][data-md-alternate]"')


def localise_theme_scripts(site_dir: Path) -> list[str]:
    """Rewrite the CDN addresses in Material's bundle; returns the bundles changed."""
    changed = []
    for bundle in sorted((Path(site_dir) / "assets" / "javascripts").glob("bundle.*.min.js")):
        text = original = bundle.read_text(encoding="utf-8")
        for remote, local in LOCAL_COPIES.items():
            text = text.replace(f'"{remote}"', f'new URL("{local}",__md_scope).href')
        text = text.replace(*ALTERNATE_SELECTOR)
        if text != original:
            bundle.write_text(text, encoding="utf-8")
            changed.append(bundle.name)
    return changed

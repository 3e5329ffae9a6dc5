"""Template fragments shared by many pages, rendered once per folder and build instead of once per page.

A story or taxonomy page is outside the nav, so Material's navigation drawer and tabs on it mark nothing as
active, and their links are relative to the page's folder: every such page in `letters/` gets the same HTML.
Rendering it once per folder saves about a fifth of a story page's template time. Pages in the nav (one of
whose entries is then active) are rendered as usual.
"""

from __future__ import annotations

import posixpath


class FragmentCache:
    """`{% call ql_fragment(ql_shell_key(page), "nav") %}…{% endcall %}`: the body rendered once per key."""

    def __init__(self, nav_pages=()) -> None:
        self._in_nav = {id(page) for page in nav_pages}
        self._html: dict[tuple[str, str], str] = {}

    def shell_key(self, page) -> str | None:
        """The page's folder when the page is outside the nav; None (render as usual) otherwise."""
        if page is None or id(page) in self._in_nav or not page.url:
            return None
        return posixpath.dirname(page.url.rstrip("/")) + "/"

    def __call__(self, key: str | None, name: str, caller) -> str:
        if key is None:
            return caller()
        if (key, name) not in self._html:
            self._html[key, name] = caller()
        return self._html[key, name]

"""The site's public address as the base of its pages' full addresses."""

from __future__ import annotations


def site_base(site_url: str | None) -> str | None:
    """`site_url` ending in exactly one "/", or None when the build has no address: base + "letters/x/"."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/"

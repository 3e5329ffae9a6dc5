"""Addresses from front matter: parsed and rebuilt, never pattern-matched, before they reach an attribute.

Two kinds of address come from editors: `sources[].url` (a web page elsewhere, shown as a link) and the media
fields (cover, video, video_poster, video_captions: a file under docs/assets/). Only `http:`/`https:` web
addresses and site-relative paths under assets/ are ever printed into an href or src; anything else
(`javascript:`, `data:`, `vbscript:`, `//host`, a quote, a space, a control character that could end the
attribute) is refused by the check with a located message, and the template filters print nothing for it.

`safe_url` and `safe_media_path` are the one implementation; the checks (checks/addresses.py for
`sources[].url`, checks/media.py for the media fields) and the template filters `safe_href` / `media_path`
(hooks/qinglian/site/ui.py) all use them.

Links in the Markdown body are cleaned by nh3 when the page is built (hooks/qinglian/site/sanitize.py), which
drops a `javascript:` link silently; checks/addresses.py tells the editor at check time instead, with the line
(`body_addresses` finds them, `body_url_problem` says why one is refused).
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

WEB_SCHEMES = ("https", "http")
MEDIA_ROOT = "assets/"
URL_MAX = 2000
# Characters that can end or confuse an attribute, a URL or a line, even where a browser would repair them.
_BREAKING = set("\"'<>`\\")
# RFC 3986's reserved and unreserved characters that may stay as they are in a path, query or fragment
# ("%" too: an address copied from a browser is already percent-encoded).
_PATH_SAFE = "/:@!$&()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


def _unsafe_char(text: str) -> str | None:
    """The first character that may not appear in an address (as the editor should look for it), or None."""
    for char in text:
        if char in _BREAKING or char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn"):
            return char
    return None


def _encode(part: str, safe: str) -> str:
    """ASCII outside `safe` percent-encoded; other characters kept (an IRI: readers see 文章, not %E6%96%87…;
    every character that could break an attribute or a line was refused before)."""
    return "".join(c if not c.isascii() or c.isalnum() or c in safe else quote(c, safe="") for c in part)


def safe_url(value: object) -> str | None:
    """`value` as an http(s) web address rebuilt from its parts (IDN host as xn--), or None."""
    if not isinstance(value, str) or not value or len(value) > URL_MAX or _unsafe_char(value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host or parts.username or parts.password:
        return None
    try:
        host = host.encode("idna").decode("ascii")  # 中文域名 -> xn--…; refuses empty labels and the like
    except UnicodeError:
        return None
    if "." not in host.strip(".") and not host.startswith("["):
        return None  # a name without a dot is nobody's web site (http://localhost, http://intranet)
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            _encode(parts.path, _PATH_SAFE) or "/",
            _encode(parts.query, _QUERY_SAFE),
            _encode(parts.fragment, _QUERY_SAFE),
        )
    )


def safe_media_path(value: object) -> str | None:
    """`value` as a path under docs/assets/ (relative, percent-encoded, no `..`), or None."""
    if not isinstance(value, str) or not value or len(value) > URL_MAX or _unsafe_char(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or parts.query or parts.fragment or "?" in value or "#" in value:
        return None
    segments = parts.path.split("/")
    if not parts.path.startswith(MEDIA_ROOT) or any(s in ("", ".", "..") for s in segments) or ":" in parts.path:
        return None
    return quote(parts.path, safe="/-._~")


def describe(value: str, limit: int = 60) -> str:
    """An address as a message may show it: shortened, control characters and quotes written as escapes."""
    shown = value[:limit] + ("…" if len(value) > limit else "")
    return "".join(c if c.isprintable() and c not in "\"'<>" else _escaped(c) for c in shown)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def url_problem(value: str) -> str | None:
    """Why a `sources[].url` is refused (Chinese, for editors), or None when it is a web address."""
    if safe_url(value) is not None:
        return None
    char = _unsafe_char(value)
    if char is not None:
        return f"网址“{describe(value)}”里有不能出现在网址中的字符 {_escaped(char)}（引号、空格、尖括号或控制字符）。"
    scheme = urlsplit(value).scheme.lower() if "://" in value or ":" in value else ""
    if scheme and scheme not in WEB_SCHEMES:
        return f"网址“{describe(value)}”以“{scheme}:”开头：只接受以 http:// 或 https:// 开头的网页地址。"
    return f"网址“{describe(value)}”不是以 http:// 或 https:// 开头的完整网页地址。"


# Addresses in the body: Markdown links and reference definitions, and URL attributes of raw HTML.
_MD_LINK = re.compile(r"\]\(\s*(?:<([^>]*)>|([^)\s]*))")
_MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(?:<([^>]*)>|(\S+))")
_HTML_URL = re.compile(
    r"""\s(?:href|src|poster|cite|action|formaction|data|xlink:href|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.I,
)
BODY_SCHEMES = ("", "http", "https", "mailto", "tel")


def body_addresses(text: str) -> list[str]:
    """The addresses in one line of the body: Markdown links and reference definitions, raw HTML's URL attributes."""
    found = [a or b for a, b in _MD_LINK.findall(text)]
    found += [a or b for a, b in _MD_REFERENCE.findall(text)]
    return found + [next(g for g in groups if g) for groups in _HTML_URL.findall(text) if any(groups)]


def body_url_problem(address: str) -> str | None:
    """Why an address in the body could not be a link on the site (Chinese), or None."""
    # what a browser makes of it: entities decoded, tabs, newlines and control characters inside ignored
    seen = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(address))
    if seen.replace("\\", "/").startswith("//"):
        return f"链接地址“{describe(address)}”以“//”开头：这是别的网站，却没写 https://。"
    scheme = urlsplit(seen).scheme.lower() if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", seen) else ""
    if scheme not in BODY_SCHEMES:
        return (
            f"链接地址“{describe(address)}”以“{scheme}:”开头：正文里的链接只能是网页（https://）、"
            "本站的页面或图片、邮箱（mailto:）或电话（tel:）。"
        )
    return None


__all__ = ["safe_url", "safe_media_path", "url_problem", "body_addresses", "body_url_problem", "describe"]

"""The Content-Security-Policy of the built site: allow exactly the inline code the site contains.

One source for both places the policy is sent: the hashes are stored in csp-hashes.json beside this module;
`policy()` renders the header that nginx sends (deploy/security-headers.conf, rewritten from it by
`python deploy/csp.py site/ --write`) and `meta_policy()` the `<meta http-equiv="Content-Security-Policy">`
that every page of both editions carries (docs/overrides/main.html), for hosts that send no headers at all
(GitHub Pages, the kiosk's own server). A meta policy cannot carry frame-ancestors, report-uri, report-to or
sandbox (browsers ignore them there), so those stay in the header only. The policy never depends on a
story: the hashes are of the templates' own inline code (a new story or person adds none).

Material for MkDocs puts two small inline scripts on every page: one that sets `__md_scope` (its text
differs with the page's depth: "/", ".", "..", "../..", …; the hashes of every depth up to MAX_DEPTH are
allowed in advance, so a deeper page or a mirror such as /zh-hant/ needs no new hash), and one that opens a tab named by the URL's
#hash. They are allowed by their SHA-256 hashes, never with 'unsafe-inline'. Its `<script
id="__config" type="application/json">` is data, not code: CSP does not apply to it. The only inline
styles are Markdown's table alignment (`style="text-align:left"` after sanitising), allowed by hash.

    python deploy/csp.py site/            # print the policy for the built site
    python deploy/csp.py site/ --write    # store its hashes and rewrite deploy/security-headers.conf

Run it after upgrading Material or adding a template with inline script; tests/test_deploy.py fails
when a page has inline code the committed policy does not allow.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

HASHES = Path(__file__).resolve().with_name("csp-hashes.json")
HEADERS = Path(__file__).resolve().parents[3] / "deploy" / "security-headers.conf"
# Directives a browser ignores in a <meta> policy (CSP Level 3, §3.3): the header alone carries them.
HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
# nh3 keeps Markdown's table alignment as a normalised style attribute (hooks/qinglian/site/sanitize.py).
TABLE_STYLES = ("text-align:left", "text-align:center", "text-align:right")

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval' {scripts}; "  # wasm: the Pagefind search index
    "style-src 'self' 'unsafe-hashes' {styles}; "
    "img-src 'self' data:; "  # Material's icons are data: SVGs inside its CSS
    "font-src 'self'; connect-src 'self'; media-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


class _Inline(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.handlers: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs and attrs["style"] is not None:
            self.styles.append(attrs["style"])
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "").lower() in JS_TYPES:
            self._script = []
        elif tag == "style":
            self._script = None
            self.styles.append("<style>")

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_entityref(self, name):
        if self._script is not None:
            self._script.append(f"&{name};")

    def handle_charref(self, name):
        if self._script is not None:
            self._script.append(f"&#{name};")

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


_SCOPE = re.compile(r'^(__md_scope=new URL\(")([^"]*)(",location\))')
MAX_DEPTH = 6


def depth_variants(script: str) -> list[str]:
    """Material's scope script for every page depth up to MAX_DEPTH (a mirror such as /zh-hant/ adds a level)."""
    match = _SCOPE.match(script)
    if not match:
        return [script]
    bases = ["/", "."] + ["/".join([".."] * n) for n in range(1, MAX_DEPTH + 1)]
    return [_SCOPE.sub(lambda m, base=base: m.group(1) + base + m.group(3), script, count=1) for base in bases]


def inline_code(site: Path) -> dict[str, dict[str, str]]:
    """{"scripts"|"styles"|"handlers": {hash or name: first file}} over every HTML file of the site;
    "variants": hashes of Material's scope script at every depth (allowed in advance)."""
    found: dict[str, dict[str, str]] = {"scripts": {}, "styles": {}, "handlers": {}, "variants": {}}
    for path in sorted(Path(site).rglob("*.html")):
        parser = _Inline()
        parser.feed(path.read_text(encoding="utf-8"))
        rel = path.relative_to(site).as_posix()
        for text in parser.scripts:
            found["scripts"].setdefault(sha256(text), rel)
            for variant in depth_variants(text):
                found["variants"].setdefault(sha256(variant), rel)
        for text in parser.styles:
            found["styles"].setdefault("<style>" if text == "<style>" else sha256(text), rel)
        for name in parser.handlers:
            found["handlers"].setdefault(name, rel)
    return found


def hashes_for(site: Path) -> dict[str, list[str]]:
    """{"scripts": […], "styles": […]}: the hashes the built site's inline code needs."""
    code = inline_code(site)
    if code["handlers"] or "<style>" in code["styles"]:
        raise SystemExit(f"inline event handlers or <style> elements cannot be allowed by hash: {code}")
    styles = sorted(set(code["styles"]) | {sha256(s) for s in TABLE_STYLES})
    scripts = sorted(set(code["scripts"]) | set(code["variants"]))
    return {"scripts": scripts, "styles": styles}


def render(hashes: dict[str, list[str]]) -> str:
    return POLICY.format(scripts=" ".join(hashes["scripts"]), styles=" ".join(hashes["styles"]))


def policy_for(site: Path) -> str:
    return render(hashes_for(site))


def stored_hashes(path: Path = HASHES) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8"))


def policy(path: Path = HASHES) -> str:
    """The policy of the committed hashes: what nginx sends."""
    return render(stored_hashes(path))


def meta_policy(path: Path = HASHES) -> str:
    """The same policy without the directives a <meta> element cannot carry."""
    kept = [d.strip() for d in policy(path).split(";") if d.strip() and d.split()[0] not in HEADER_ONLY]
    return "; ".join(kept)


def committed_policy(headers: Path = HEADERS) -> str:
    match = re.search(r'Content-Security-Policy\s+"([^"]+)"', headers.read_text(encoding="utf-8"))
    if not match:
        raise SystemExit(f"{headers}: no Content-Security-Policy line")
    return match.group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs build -d SITE)")
    parser.add_argument("--write", action="store_true", help=f"store the hashes and rewrite {HEADERS.name}")
    args = parser.parse_args(argv)
    hashes = hashes_for(args.site)
    if args.write:
        HASHES.write_text(json.dumps(hashes, indent=1) + "\n", encoding="utf-8")
        write_headers(render(hashes))
        print(f"updated {HASHES} and {HEADERS}")
    else:
        print(render(hashes))
    return 0


def write_headers(text_policy: str, headers: Path = HEADERS) -> None:
    """The nginx header line, rendered from the stored hashes (never edited by hand)."""
    text = headers.read_text(encoding="utf-8")
    text = re.sub(r'(Content-Security-Policy\s+")[^"]+(")', lambda m: m.group(1) + text_policy + m.group(2), text)
    headers.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

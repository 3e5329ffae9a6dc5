"""QR codes as inline SVG, generated at build time (no script, no image request, works offline).

Used by the kiosk edition (扫码继续阅读, external links). The public site's share block draws its code in the
browser instead (docs/assets/javascripts/share-qr.js): at 2 to 4 ms per code in pure Python, one code per story
page and edition was a third of a story page's build time.
"""

from __future__ import annotations

import html

import segno

QR_MASK = 0


def qr_svg(data: str, label: str) -> str:
    """An accessible inline <svg> QR code of `data`; `label` is read out by screen readers."""
    # A fixed mask: segno otherwise scores all eight (about 3/4 of the time per code), and a build makes one
    # code per story page in each edition. Any mask gives a valid code that phones read.
    code = segno.make(data, error="m", micro=False, mask=QR_MASK)
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", svgclass="ql-qr", lineclass=None,
                          omitsize=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(label)}" ', 1)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)

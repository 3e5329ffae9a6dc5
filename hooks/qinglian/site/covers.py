"""Drawn title cards for stories that have no cover image of their own.

No photographs exist of most stories, and none may be faked: instead every story without a `cover` gets a
typographic card drawn at build time — a paper field, a band in its collection's colour (seal for 清官廉吏, indigo
for 家书, jade for 清廉单元), the title in the serif, a small square seal mark and a quiet pattern chosen by unit
type, drawn from straight lines. It is deterministic: the pattern's phase comes from a hash of the slug, so a
card never changes between builds unless its title does.

Two files per story, both from the same geometry: an SVG for pages (small; the browser sets the title in the
reader's system serif) and a PNG for share previews, which WeChat and most link previews need (they ignore SVG).
The PNG needs a raster font: Debian's fonts-noto-cjk (Noto Serif CJK), found with fc-match. PNGs are kept in a
disk cache keyed by everything they show, so a rebuild redraws only changed cards.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from qinglian.content.problems import ContentError, Problem

WIDTH, HEIGHT = 1200, 630  # the share-preview size most platforms accept (1.91:1)
COVERS_DIR = "assets/covers"
VERSION = "2"  # bump when the drawing changes: cached PNGs of the old drawing are then not reused

PAPER, INK, INK_SOFT, SEAL = "#F7F2E8", "#1C1714", "#3D3530", "#9E1B1B"
BAND = {"officials": "#9E1B1B", "letters": "#243B6B", "units": "#1F5E4F"}
# a quiet pattern per unit type (units) or per collection (the others)
PATTERN_OF = {
    "officials": "mountain",
    "letters": "fret",
    "organ": "lattice",
    "village": "water",
    "school": "fret",
    "hospital": "lattice",
    "enterprise": "brick",
    "park": "brick",
    "chamber": "fret",
    "family": "fret",
    "scenic": "water",
    "hall": "lattice",
}
SEAL_CHAR, SITE_NAME = "廉", "清廉慈利"
MARGIN, BAND_H, STRIP_TOP = 72, 92, 548
TITLE_HEIGHT = 330  # between the band and the seal mark
SERIF_SVG = "'Noto Serif CJK SC','Source Han Serif SC','Songti SC',STSong,SimSun,serif"
FONT_PACKAGE = "fonts-noto-cjk"
SERIF_FAMILIES = ("Noto Serif CJK", "Source Han Serif", "Noto Sans CJK")  # fontconfig falls back to any font: check


def needs_cover(story) -> bool:
    return not story.meta.get("cover")


def cover_svg_path(story) -> str:
    """Site-relative path of the drawn SVG card (only meaningful when the story has no cover)."""
    return f"{COVERS_DIR}/{story.collection.key}/{story.slug}.svg"


def cover_png_path(story) -> str:
    """Site-relative path of the image to share the story with: its own cover, else its drawn PNG card."""
    return story.meta["cover"] if story.meta.get("cover") else f"{COVERS_DIR}/{story.collection.key}/{story.slug}.png"


def card_cover(story) -> str:
    """What a page shows as the story's cover: its own image, else the drawn SVG card."""
    return story.meta["cover"] if story.meta.get("cover") else cover_svg_path(story)


# ---- layout: one geometry for both formats ----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    collection: str
    name: str  # the collection's name, drawn in the band (declared in the content contract)
    title_lines: tuple[str, ...]
    title_size: int
    title_top: int
    pattern: str
    lines: tuple[tuple[tuple[float, float], ...], ...]  # pattern polylines


def layout(story) -> Layout:
    key = story.collection.key
    pattern = PATTERN_OF.get(story.meta.get("unit_type") or key, "fret")
    phase = int(hashlib.sha1(story.slug.encode("utf-8")).hexdigest()[:8], 16)
    size, lines = _fit_title(story.meta.get("title") or story.slug)
    block = len(lines) * size * 1.3
    top = round(BAND_H + (440 - BAND_H - block) / 2 + size)  # the first baseline; block centred above the seal
    return Layout(key, story.collection.name, tuple(lines), size, top, pattern, tuple(_pattern(pattern, phase)))


def _width(text: str) -> float:
    """Width in ems: CJK and full-width punctuation 1, Latin letters and digits about half."""
    return sum(0.55 if ord(ch) < 0x2000 else 1.0 for ch in text)


def _fit_title(title: str) -> tuple[int, list[str]]:
    available = WIDTH - 2 * MARGIN
    for size in (96, 84, 72, 62):
        lines = _wrap(title, available / size)
        if len(lines) <= 3 and len(lines) * size * 1.3 <= TITLE_HEIGHT:
            return size, lines
    lines = _wrap(title, available / 62)[:3]
    lines[-1] = lines[-1][:-1] + "…"
    return 62, lines


CLOSING = "，。、：；！？）》」』”’"


def _wrap(text: str, per_line: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if _width(line + ch) > per_line and line:
            if ch in CLOSING:  # no closing punctuation at the start of a line: take the character before along
                keep = len(line) - 1
                while keep > 0 and line[keep] in CLOSING:
                    keep -= 1
                if keep > 0:
                    line, ch = line[:keep], line[keep:] + ch
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _pattern(kind: str, phase: int) -> list[tuple[tuple[float, float], ...]]:
    """Polylines of a quiet pattern in the strip at the foot of the card."""
    y0, y1 = STRIP_TOP + 14, HEIGHT - 18
    out: list[tuple[tuple[float, float], ...]] = []
    if kind == "fret":  # 回纹: a running meander
        unit, h = 56, y1 - y0
        start = -(phase % unit)
        x = start
        while x < WIDTH:
            out.append(
                (
                    (x, y1),
                    (x, y0),
                    (x + unit * 0.75, y0),
                    (x + unit * 0.75, y0 + h * 0.7),
                    (x + unit * 0.25, y0 + h * 0.7),
                    (x + unit * 0.25, y0 + h * 0.35),
                    (x + unit * 0.5, y0 + h * 0.35),
                    (x + unit * 0.5, y1),
                    (x + unit, y1),
                )
            )
            x += unit
    elif kind == "water":  # 澧水: three wave lines
        import math

        shift = phase % 360
        for row in range(3):
            y = y0 + 10 + row * 20
            points = tuple(
                (x, round(y + 6 * math.sin(math.radians(x * 1.5 + shift + row * 60)), 1))
                for x in range(0, WIDTH + 1, 24)
            )
            out.append(points)
    elif kind == "mountain":  # layered ridges
        for row, (step, height) in enumerate(((150, 46), (110, 30))):
            offset = (phase >> (row * 4)) % step
            base = y1 - row * 8
            points = [(float(-offset), float(base))]
            x = -offset
            while x < WIDTH:
                points += [(x + step / 2, base - height), (x + step, base)]
                x += step
            out.append(tuple(points))
    elif kind == "lattice":  # 窗棂: a window grid with crossed squares
        cell = 36
        start = -(phase % cell)
        out.append(((0, y0), (WIDTH, y0)))
        out.append(((0, y1), (WIDTH, y1)))
        x = start
        while x < WIDTH:
            out.append(((x, y0), (x, y1)))
            out.append(((x, y0), (x + cell, y1)))
            out.append(((x + cell, y0), (x, y1)))
            x += cell * 2
    else:  # brick: courses of blocks
        h = (y1 - y0) / 3
        for row in range(3):
            y = y0 + row * h
            out.append(((0, y), (WIDTH, y)))
            x = -((phase >> row) % 80) - (40 if row % 2 else 0)
            while x < WIDTH:
                out.append(((x, y), (x, y + h)))
                x += 80
        out.append(((0, y1), (WIDTH, y1)))
    return out


# ---- SVG --------------------------------------------------------------------------------------------------------


def svg(story) -> str:
    lay = layout(story)
    band = BAND.get(lay.collection, SEAL)
    title = "".join(
        f'<text x="{MARGIN}" y="{lay.title_top + i * round(lay.title_size * 1.3)}">{escape(line)}</text>'
        for i, line in enumerate(lay.title_lines)
    )
    lines = "".join(f'<polyline points="{" ".join(f"{x:g},{y:g}" for x, y in pts)}"/>' for pts in lay.lines)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>'
        f'<rect width="{WIDTH}" height="{BAND_H}" fill="{band}"/>'
        f'<text x="{MARGIN}" y="60" font-family="{SERIF_SVG}" font-size="36" font-weight="700" fill="{PAPER}" '
        f'letter-spacing="8">{escape(lay.name)}</text>'
        f'<g font-family="{SERIF_SVG}" font-size="{lay.title_size}" font-weight="700" fill="{INK}">{title}</g>'
        f'<rect x="{MARGIN}" y="456" width="64" height="64" rx="4" fill="{SEAL}"/>'
        f'<text x="{MARGIN + 32}" y="501" text-anchor="middle" font-family="{SERIF_SVG}" font-size="42" '
        f'font-weight="700" fill="{PAPER}">{SEAL_CHAR}</text>'
        f'<text x="{MARGIN + 84}" y="500" font-family="{SERIF_SVG}" font-size="30" fill="{INK_SOFT}" '
        f'letter-spacing="4">{SITE_NAME}</text>'
        f'<g fill="none" stroke="{band}" stroke-opacity=".35" stroke-width="3">{lines}</g>'
        "</svg>"
    )


# ---- PNG --------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def serif_font_file() -> tuple[str, int]:
    """(file, face index) of a Noto/Source Han Serif CJK bold face, from fontconfig; ContentError if none."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        for pattern in ("Noto Serif CJK SC:bold", "Source Han Serif SC:bold", "Noto Sans CJK SC:bold"):
            found = subprocess.run(
                [fc_match, "-f", "%{file}|%{index}|%{family}", pattern], capture_output=True, text=True
            )
            parts = found.stdout.split("|")
            family_ok = len(parts) == 3 and any(name in parts[2] for name in SERIF_FAMILIES)
            if found.returncode == 0 and family_ok and os.path.isfile(parts[0]):
                return parts[0], int(parts[1] or 0)
    raise ContentError(
        [
            Problem(
                "Makefile",
                0,
                None,
                f"找不到中文衬线字体，无法绘制故事的分享封面（PNG）。需要 Debian 软件包 {FONT_PACKAGE}（Noto Serif CJK）。",
                f"以管理员身份运行 apt-get install {FONT_PACKAGE} fontconfig，或运行 make system-deps。",
            )
        ]
    )


@lru_cache(maxsize=8)
def _font(size: int):
    from PIL import ImageFont

    path, index = serif_font_file()
    return ImageFont.truetype(path, size, index=index)


def png(story) -> bytes:
    return png_of(layout(story))


def png_of(lay: Layout) -> bytes:
    from PIL import Image, ImageDraw

    band = BAND.get(lay.collection, SEAL)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND_H), fill=band)
    draw.text((MARGIN, 60), lay.name, font=_font(36), fill=PAPER, anchor="ls")
    strip = _mix(band, PAPER, 0.35)
    for pts in lay.lines:
        draw.line(pts, fill=strip, width=3, joint="curve")
    step = round(lay.title_size * 1.3)
    for i, line in enumerate(lay.title_lines):
        draw.text((MARGIN, lay.title_top + i * step), line, font=_font(lay.title_size), fill=INK, anchor="ls")
    draw.rounded_rectangle((MARGIN, 456, MARGIN + 64, 520), radius=4, fill=SEAL)
    draw.text((MARGIN + 32, 501), SEAL_CHAR, font=_font(42), fill=PAPER, anchor="ms")
    draw.text((MARGIN + 84, 500), SITE_NAME, font=_font(30), fill=INK_SOFT, anchor="ls")
    # a few colours are all the card has: a 32-colour palette keeps the file small with smooth text edges; the fast
    # quantizer and zlib level 6 cost a fifth of median-cut with `optimize` for a file a tenth larger
    out = io.BytesIO()
    palette = image.quantize(colors=32, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _mix(colour: str, background: str, alpha: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x * alpha + y * (1 - alpha)):02x}" for x, y in zip(a, b))


# ---- the files of a build ---------------------------------------------------------------------------------------


PARALLEL_FROM = 48  # PNGs to draw before a second process is worth its start-up


def cover_files(stories, cache_dir: Path | None = None) -> dict[str, bytes]:
    """{site path: bytes} of the SVG and PNG card of every story without a cover.

    PNGs are cached in `cache_dir` under a hash of what they show (title, collection, pattern, slug phase); the
    ones not in the cache are drawn on every core when there are many (a first build of a large archive)."""
    files: dict[str, bytes] = {}
    drawn = [story for story in stories if needs_cover(story)]
    if not drawn:
        return files
    font = serif_font_file()  # fail early, with the Debian package to install, rather than at the first PNG
    missing: dict[str, tuple[Layout, Path | None]] = {}
    for story in drawn:
        files[cover_svg_path(story)] = svg(story).encode("utf-8")
        lay = layout(story)
        cached = (
            cache_dir / f"{hashlib.sha1(repr((VERSION, lay, font)).encode('utf-8')).hexdigest()}.png"
            if cache_dir
            else None
        )
        try:
            files[cover_png_path(story)] = cached.read_bytes() if cached else b""
        except OSError:
            files[cover_png_path(story)] = b""
        if not files[cover_png_path(story)]:
            missing[cover_png_path(story)] = (lay, cached)
    for path, data in zip(missing, _draw_all([lay for lay, _cached in missing.values()])):
        files[path] = data
        cached = missing[path][1]
        if cached is not None:
            _store(cached, data)
    return files


def _draw_all(layouts: list[Layout]) -> list[bytes]:
    workers = min(os.cpu_count() or 1, 4)
    if len(layouts) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [png_of(lay) for lay in layouts]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(png_of, layouts, chunksize=16))


def _store(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:  # a read-only checkout still builds, only slower
        pass


FILTERS = {"card_cover": card_cover, "cover_png_path": cover_png_path}

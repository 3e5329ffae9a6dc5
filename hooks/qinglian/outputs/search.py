"""Site search: a Pagefind index that finds what Chinese readers type.

Pagefind's own Chinese segmentation splits words differently when indexing (a dictionary) and when
searching (the browser's segmenter), so 两袖清风 or 家风 found nothing and word-internal substrings
(弥新 in 历久弥新) were never found. This module therefore decides the words itself:

- `IndexSource.add(rel, html)`, called for each page as the build writes it, copies its
  `data-pagefind-body` element into a temporary folder (same paths, so the same URLs), with every Chinese
  character written as its own word and Traditional characters turned into Simplified ones;
  `build_index(site_dir, source)` then runs the Pagefind binary from the `pagefind[extended]` wheel on
  that copy and writes the bundle to `<site>/pagefind/`.
  A search for a run of characters is then an exact phrase search ("象 市") over single-character
  words: every substring is found, and a page that only shares one character does not match.
- The browser side (docs/assets/javascripts/search.js) turns the reader's query into that form,
  after mapping Traditional characters to Simplified ones with the table `write_char_maps` writes.
- `pinyin_terms(...)` are the hidden pinyin words of a story (full, syllables and initials), so that
  `yuanrenyuan`, `yuan ren yuan` and `yry` find 袁任远 through the plain Pagefind API too.

Nothing here needs MkDocs; the hooks call `build_index` in on_post_build, before the new site is
swapped in.
"""

from __future__ import annotations

import json
import logging
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from qinglian.chinese import HAN, HAN_BLOCKS, opencc_characters

log = logging.getLogger("mkdocs.hooks.qinglian.search")


class SearchIndexError(Exception):
    """Pagefind could not index the site: the hooks turn it into a build error with this message."""


BUNDLE = "pagefind"  # <site>/pagefind/: the kiosk's on-screen keyboard loads pagefind.js from here
# Not indexed: permalink ¶, edit buttons, printed-only URLs, and a story's kicker (its collection's name, a link:
# on every page of a collection, it would make 清廉 match every page at the top).
EXCLUDE = ".headerlink, .md-content__button, .ql-source-url, .ql-kicker"
# The text is already split into words (one per character), so Pagefind's Chinese segmenter, which it
# would run for lang="zh" and which takes half of its indexing time, is not needed: the pages are indexed
# as "und" (undetermined language: no segmentation, no stemming). pagefind.js falls back to the one index
# whatever the page's own lang is.
INDEX_LANGUAGE = "und"
SKIP_LANGUAGES = ("zh-hant", "zh-tw", "zh-hk")  # Traditional editions: searched via the Simplified index
CHAR_MAP_JS = "assets/javascripts/search-t2s.js"  # written at build time, loaded by search.js
S2T_MAP_JS = "assets/javascripts/search-s2t.js"  # only on the 繁體 pages
SHARDS_JS = "assets/javascripts/search-shards.js"  # the index folders after the first (see IndexSource.shards)
# Pages per Pagefind run. Pagefind holds ~0.34 MB per page here (3.2 GB for one run over 10,000 stories), so a
# shard of 2,500 pages peaks near 850 MB; shards are indexed one after another. Smaller shards indexed two at a
# time were faster to build (10,000 stories: 27 s instead of ~40 s) but cost readers: every shard adds its own
# entry, metadata and index chunks to a search (bench/search_bench.py, 10,000 stories: 1,035 KB before the
# first result with eight shards, 364 KB with one).
SHARD_PAGES = 2500
SHARD_PAGES_ENV = "QINGLIAN_SEARCH_SHARD_PAGES"  # tests make shards of a few pages

# Each Han ideograph becomes its own indexed word.
_HAN_CHAR = re.compile(f"([{HAN}])")
_HAN_RUN = re.compile(f"[{HAN}]+")
_TAG = re.compile(r"(<[^>]*>)")
_SKIP_BLOCK = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.S | re.I)


# ---- pinyin ---------------------------------------------------------------------------------


def pinyin_terms(*texts: str | None) -> list[str]:
    """The pinyin words that find these texts (a name, a title…), without tones, deduplicated.

    For every run of Han characters: the syllables joined (yuanrenyuan), each syllable (yuan ren
    yuan) and the initials (yry). `ü` is written `v`, as Chinese keyboards type it (吕 → lv).
    """
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    seen: set[str] = set()

    def add(word: str) -> None:
        if word and word not in seen:
            seen.add(word)
            out.append(word)

    for text in texts:
        for run in _HAN_RUN.findall(text or ""):
            syllables = [s.lower() for s in lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, errors="ignore")]
            syllables = [re.sub(r"[^a-z]", "", s.replace("ü", "v")) for s in syllables]
            syllables = [s for s in syllables if s]
            if not syllables:
                continue
            add("".join(syllables))
            add("".join(s[0] for s in syllables))
            for s in syllables:
                add(s)
    return out


def story_pinyin(story) -> str:
    """The hidden pinyin line of a story page: its name/author/unit first, then its title."""
    meta = story.meta
    return " ".join(pinyin_terms(meta.get("name"), meta.get("author"), meta.get("unit"), meta.get("title")))


FILTERS = {"pinyin_terms": lambda *texts: " ".join(pinyin_terms(*texts)), "story_pinyin": story_pinyin}


# ---- Traditional -> Simplified --------------------------------------------------------------


@lru_cache(maxsize=1)
def char_maps() -> tuple[dict[str, str], dict[str, str]]:
    """(Traditional→Simplified, Simplified→Traditional) single-character maps from OpenCC's data.

    Only one-character entries are used, first candidate, so a text keeps its length and positions.
    Taiwan/Hong Kong variant forms (臺, 綫…) are first mapped to OpenCC's standard Traditional form.
    """

    def read(name: str) -> dict[str, str]:
        return {
            key: values[0]
            for key, values in opencc_characters(name).items()
            if len(values[0]) == 1 and key != values[0]
        }

    ts = read("TSCharacters.txt")
    for variants in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in read(variants).items():
            simplified = ts.get(standard, standard)
            if variant not in ts and simplified != variant:
                ts[variant] = simplified
    st = read("STCharacters.txt")
    return ts, st


def to_simplified(text: str) -> str:
    ts, _ = char_maps()
    return "".join(ts.get(c, c) for c in text)


def write_char_maps(site_dir: Path, used: set[str] | None = None) -> list[Path]:
    """Write the character maps as two small ES modules search.js imports.

    CHAR_MAP_JS (Traditional→Simplified, for every Chinese query): with `used` (the characters of the
    indexed pages) only entries that can lead to a match are kept — a Traditional character whose
    Simplified form is nowhere in the index cannot find anything anyway.
    S2T_MAP_JS (Simplified→Traditional, to show results on the 繁體 pages): loaded only there.
    """
    ts, st = char_maps()
    if used is not None:
        ts = {t: s for t, s in ts.items() if s in used}
    head = (
        "// Generated at build time from OpenCC's character tables (hooks/qinglian/outputs/search.py). Do not edit.\n"
    )
    written = []
    for rel, table in ((CHAR_MAP_JS, ts), (S2T_MAP_JS, st)):
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            head + f"export const FROM = {json.dumps(''.join(table), ensure_ascii=False)};\n"
            f"export const TO = {json.dumps(''.join(table.values()), ensure_ascii=False)};\n",
            encoding="utf-8",
        )
        written.append(path)
    return written


# ---- the index ------------------------------------------------------------------------------


def index_text(html: str) -> str:
    """Text as Pagefind should read it: each Han character a word, in Simplified form.

    Only text between tags changes (attributes such as data-pagefind-meta keep the real title);
    scripts and styles are left alone.
    """
    table = _t2s_table()

    def spaced(chunk: str) -> str:
        parts = _TAG.split(chunk)
        for i in range(0, len(parts), 2):
            if parts[i]:
                parts[i] = parts[i].translate(table)
        return "".join(parts)

    out, pos = [], 0
    for block in _SKIP_BLOCK.finditer(html):
        out += [spaced(html[pos : block.start()]), block.group(0)]
        pos = block.end()
    out.append(spaced(html[pos:]))
    return "".join(out)


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """str.translate table: every Han character -> " its Simplified form " (C speed, no regex per match)."""
    ts = char_maps()[0]
    table = {}
    for first, last in HAN_BLOCKS:
        for code in range(first, last + 1):
            ch = chr(code)
            table[code] = f" {ts.get(ch, ch)} "
    return table


_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
# Headings are indexed with the body's weight, so that Pagefind keeps a page's word positions in document
# order: search.js ranks phrase matches by their first position, and the title is at the top of a page.
# (Pagefind stores the positions of each weight separately, and an exact-phrase search reports the first
# position of the first weight group it stores, which put a title's match after the body's.)
_HEADING = re.compile(r"<(h[1-6])\b", re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]*)\"", re.I)


def index_page(html: str) -> str | None:
    """The part of a built page Pagefind indexes (its data-pagefind-body element) as a small page of its
    own, with the text prepared by `index_text`. None if there is none, or if the page is an edition in
    another script (the 繁體 mirror under zh-hant/ is searched through this index: the query is
    normalised to Simplified and the results are shown in Traditional characters by search.js).

    Pagefind reads only that element anyway; handing it a page without Material's navigation, header and
    footer makes indexing several times faster. The language is INDEX_LANGUAGE for every page.
    """
    lang = _HTML_LANG.search(html[:2000])
    if lang and lang.group(1).lower().startswith(SKIP_LANGUAGES):
        return None
    marker = html.find(" data-pagefind-body")
    start = html.rfind("<", 0, marker)
    opening = _TAG_NAME.match(html, start) if marker > 0 and start >= 0 else None
    if not opening:
        return None
    name = opening.group(1)
    tags = re.compile(rf"<(/?){name}\b[^>]*>", re.I)
    depth, end = 0, len(html)
    for tag in tags.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = tag.end()
            break
    body = _HEADING.sub(r'<\1 data-pagefind-weight="1"', index_text(html[start:end]))
    return f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the Pagefind binary)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pagefind_executable() -> str:
    try:
        from pagefind_bin_extended import get_executable

        return str(get_executable())
    except (ImportError, FileNotFoundError) as err:
        raise SearchIndexError(
            f"搜索索引需要 Pagefind（pagefind[extended]），但没有找到：{err}。"
            "修改：运行 make build（会按 requirements.txt 安装依赖）。"
        ) from None


class IndexSource:
    """The pages Pagefind will index, prepared one by one as the build renders them (the hooks' on_post_page):
    `index_page` of each, written under a temporary folder with the page's own path, so the URLs match.

    Preparing from memory, in whichever process rendered the page, saves reading the whole site back.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="qinglian-search-"))
        self.pages = 0
        self.used: set[str] = set()  # the characters of the indexed text: which 繁→简 entries can matter

    def add(self, rel: str, html: str) -> None:
        if "data-pagefind-body" not in html:
            return
        page = index_page(html)
        if page is None:
            return
        target = self.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        self.used.update(page)
        self.pages += 1

    def report(self) -> dict:
        """What another process that added pages tells the one that runs Pagefind (see `merge`)."""
        return {"pages": self.pages, "chars": "".join(sorted(c for c in self.used if _HAN_CHAR.match(c)))}

    def merge(self, report: dict) -> None:
        self.pages += report.get("pages", 0)
        self.used.update(report.get("chars", ""))

    def shards(self, size: int) -> list[Path]:
        """The prepared pages as folders of at most `size` pages each, in path order (one folder if they fit).

        Pagefind holds a whole index in memory: with every character a word, about 0.34 MB per page
        (3.2 GB for 10,000 stories in one run). Indexing shards one after another keeps the build's peak near
        one shard's (see SHARD_PAGES); the browser merges them (pagefind.mergeIndex).
        """
        pages = sorted(p.relative_to(self.folder) for p in self.folder.rglob("*.html"))
        if len(pages) <= size:
            return [self.folder]
        size = -(-len(pages) // -(-len(pages) // size))  # as many shards as needed, of even sizes
        shards = []
        for start in range(0, len(pages), size):
            shard = self.folder.with_name(f"{self.folder.name}-{len(shards) + 1}")
            for rel in pages[start : start + size]:
                (shard / rel).parent.mkdir(parents=True, exist_ok=True)
                (self.folder / rel).rename(shard / rel)
            shards.append(shard)
        return shards

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        for shard in self.folder.parent.glob(self.folder.name + "-*"):
            shutil.rmtree(shard, ignore_errors=True)


def shard_pages() -> int:
    return int(os.environ.get(SHARD_PAGES_ENV, "") or SHARD_PAGES)


def shard_bundle(number: int) -> str:
    """<site>/pagefind/ for the first shard (what pagefind.js is loaded from), pagefind-2/… for the others."""
    return BUNDLE if number == 1 else f"{BUNDLE}-{number}"


def write_shard_list(site_dir: Path, count: int) -> Path:
    """The ES module search.js and kiosk.js read to merge the other shards into the first (mergeIndex)."""
    path = site_dir / SHARDS_JS
    path.parent.mkdir(parents=True, exist_ok=True)
    folders = [shard_bundle(n) + "/" for n in range(2, count + 1)]
    path.write_text(
        "// Generated at build time (hooks/qinglian/outputs/search.py): search index shards after the first.\n"
        f"export const SHARDS = {json.dumps(folders)};\n",
        encoding="utf-8",
    )
    return path


def _run_pagefind(folder: Path, bundle: Path) -> None:
    if bundle.exists():
        shutil.rmtree(bundle)
    proc = subprocess.run(
        [
            pagefind_executable(),
            "--site",
            str(folder),
            "--output-path",
            str(bundle),
            "--quiet",
            "--exclude-selectors",
            EXCLUDE,
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise SearchIndexError(f"搜索索引生成失败（pagefind 退出码 {proc.returncode}）：\n{proc.stderr or proc.stdout}")


def build_index(site_dir: Path, source: IndexSource) -> dict:
    """Index the pages `source` holds (as the build prepared them) into `<site_dir>/pagefind/` (and further
    shards); figures for the log and the benchmark. The source folder is removed afterwards."""
    site_dir = Path(site_dir)
    started, cpu_started = time.perf_counter(), _cpu()
    for old in [site_dir / BUNDLE, *site_dir.glob(BUNDLE + "-*")]:  # a previous index (mkdocs serve)
        shutil.rmtree(old, ignore_errors=True)
    try:
        if not source.pages:
            log.warning("搜索：没有找到要收录的页面（缺少 data-pagefind-body），未生成搜索索引。")
            return {"pages": 0}
        shards = source.shards(shard_pages())
        for number, folder in enumerate(shards, start=1):
            _run_pagefind(folder, site_dir / shard_bundle(number))
    finally:
        source.remove()
    write_shard_list(site_dir, len(shards))
    write_char_maps(site_dir, {c for c in source.used if _HAN_CHAR.match(c)})
    done = time.perf_counter()
    figures = {"pages": source.pages, "shards": len(shards), "total_s": done - started, "cpu_s": _cpu() - cpu_started}
    log.info("搜索索引：%d 页，用时 %.1f 秒（CPU %.1f 秒）。", source.pages, figures["total_s"], figures["cpu_s"])
    if len(shards) > 1:
        log.info("搜索索引分为 %d 份（每份最多 %d 页），浏览器合并查询。", len(shards), shard_pages())
    return figures

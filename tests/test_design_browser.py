"""The public site's design, seen in headless Chromium as readers see it — built as the deploy workflow builds it
(SITE_URL and REPO_URL set):

- at 360 and 1280 px, every page kind at each font step (标准 大 更大 特大) and in high contrast: no horizontal
  scroll and no text box overlapping another;
- axe-core `color-contrast-enhanced` (WCAG AAA, 7:1) with no violation on the home page, a story of each
  collection and the kiosk edition's home;
- no request to any other host, and no English words in the readers' interface.

Pages are found from the built site (the first story listed in each collection), not named, so the tests
hold whatever the content is. One browser; one context per viewport, reused across pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

from browser_support import external_requests, record_requests, serve_dir
from conftest import REPO, build_output, build_site

DEPLOY_ENV = {"SITE_URL": "https://qinglian.example.cn/", "REPO_URL": "https://github.com/example/qinglian"}
COLLECTIONS = ("officials", "letters", "units")
STEPS = ("0", "1", "2", "3")
WIDTHS = (360, 1280)

# text boxes (one rectangle per line of each text node), clipped by scrolling/clipping ancestors, that
# overlap another text node's box by more than 2 px both ways
OVERLAPS = """() => {
  const clipOf = new Map();
  function clip(el) {
    if (!el || el === document.documentElement) return null;
    if (clipOf.has(el)) return clipOf.get(el);
    let box = clip(el.parentElement);
    const s = getComputedStyle(el);
    if (s.overflowX !== "visible" || s.overflowY !== "visible") {
      const r = el.getBoundingClientRect();
      box = box ? {l: Math.max(box.l, r.left), t: Math.max(box.t, r.top), r: Math.min(box.r, r.right),
                   b: Math.min(box.b, r.bottom)} : {l: r.left, t: r.top, r: r.right, b: r.bottom};
    }
    clipOf.set(el, box);
    return box;
  }
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("svg, [hidden], script, style, template, .md-search__output")) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const c = clip(el);
    for (const r of range.getClientRects()) {
      let box = {l: r.left, t: r.top, r: r.right, b: r.bottom};
      if (c) box = {l: Math.max(box.l, c.l), t: Math.max(box.t, c.t), r: Math.min(box.r, c.r), b: Math.min(box.b, c.b)};
      const onScreen = box.r > 0 && box.l < innerWidth;  // the closed menu drawer waits off-screen
      if (onScreen && box.r - box.l > 2 && box.b - box.t > 2) boxes.push({...box, el, text: node.textContent.trim().slice(0, 20)});
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.el === b.el) continue;
    const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
    if (w > 2 && h > 2) found.push(`${a.text} × ${b.text}`);
    if (found.length > 5) return found;
  }
  return found;
}"""
WIDER = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
SETTINGS = """([size, contrast]) => { localStorage.setItem("ql.size", size); localStorage.setItem("ql.contrast", contrast); }"""


@pytest.fixture(scope="module")
def deployed_site(tmp_path_factory) -> Path:
    """The public site built as .github/workflows deploy builds it: SITE_URL and REPO_URL set."""
    site = tmp_path_factory.mktemp("deployed") / "site"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in DEPLOY_ENV.items():
            patch.setenv(name, value)
        proc = build_site(REPO / "mkdocs.yml", site, cwd=REPO)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed\n{build_output(proc)}", pytrace=False)
    return site


@pytest.fixture(scope="module")
def deployed_url(deployed_site):
    with serve_dir(deployed_site) as base:
        yield base


def _first_story(site: Path, collection: str) -> str | None:
    index = BeautifulSoup((site / collection / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = index.select_one(".ql-cards .ql-card > a")
    if not link:
        return None
    return urljoin(f"{collection}/", link["href"])


@pytest.fixture(scope="module")
def page_kinds(deployed_site) -> dict[str, str]:
    """One address of every page kind (site-relative)."""
    kinds = {
        "home": "",
        "collection": "letters/",
        "unit types": "unit-types/",
        "townships": "townships/",
        "timeline": "timeline/",
        "eras": "eras/",
        "tags": "tags/",
        "dashboard": "dashboard/",
        "campaign": "campaign/",
        "editors' guide": "contributing/",
    }
    for collection in COLLECTIONS:
        story = _first_story(deployed_site, collection)
        if story:
            kinds[f"story ({collection})"] = story
    terms = BeautifulSoup((deployed_site / "unit-types" / "index.html").read_text(encoding="utf-8"), "html.parser")
    kinds["term"] = urljoin("unit-types/", terms.select_one(".ql-terms a")["href"])
    return kinds


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_reflows_at_every_font_step(browser, deployed_url, page_kinds, width):
    """No horizontal scroll and no overlapping text at 标准/大/更大/特大 and in high contrast."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = []
    try:
        page.goto(deployed_url)
        for size, contrast in [(step, "0") for step in STEPS] + [("3", "1")]:
            page.evaluate(SETTINGS, [size, contrast])
            for kind, path in page_kinds.items():
                page.goto(deployed_url + path)
                assert page.evaluate("document.documentElement.getAttribute('data-ql-size') || '0'") == size
                where = f"{kind} /{path} at {width}px, step {size}{' high contrast' if contrast == '1' else ''}"
                wider = page.evaluate(WIDER)
                if wider > 0:
                    problems.append(f"{where}: {wider}px wider than the window")
                overlaps = page.evaluate(OVERLAPS)
                if overlaps:
                    problems.append(f"{where}: text overlaps: {overlaps}")
    finally:
        context.close()
    assert problems == []


@pytest.fixture(scope="module")
def kiosk_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("design-kiosk") / "site-kiosk"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", DEPLOY_ENV["SITE_URL"])
        proc = build_site(REPO / "kiosk.yml", site, cwd=REPO)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict -f kiosk.yml failed\n{build_output(proc)}", pytrace=False)
    with serve_dir(site) as base:
        yield base


def _aaa_violations(axe, page) -> list[str]:
    results = axe.run(page, options={"runOnly": ["color-contrast-enhanced"], "resultTypes": ["violations"]})
    return [
        f"{node['target']}: {node['any'][0]['message'] if node.get('any') else ''}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def test_text_contrast_is_aaa_on_home_stories_and_kiosk(browser, deployed_url, page_kinds, kiosk_url):
    axe = Axe()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    found = {}
    try:
        paths = {kind: path for kind, path in page_kinds.items() if kind == "home" or kind.startswith("story")}
        assert len(paths) == 1 + len(COLLECTIONS), paths  # the content has a story of each collection
        for kind, path in paths.items():
            for contrast in ("0", "1"):
                page.goto(deployed_url + path)
                page.evaluate(SETTINGS, ["0", contrast])
                page.reload()
                found[f"{kind}{' high contrast' if contrast == '1' else ''}"] = _aaa_violations(axe, page)
        page.goto(kiosk_url + "?kiosk-idle=600&kiosk-slide=60")
        found["kiosk home"] = _aaa_violations(axe, page)
        page.evaluate("qinglianKiosk.attract.start()")  # the attract loop's first slide, after its fade-in
        page.wait_for_function(
            "getComputedStyle(document.querySelector('[data-kiosk-slide].is-active')).opacity === '1'"
        )
        found["kiosk attract loop"] = _aaa_violations(axe, page)
        story = next(path for kind, path in paths.items() if kind.startswith("story"))
        page.goto(kiosk_url + story)
        found["kiosk story"] = _aaa_violations(axe, page)
    finally:
        context.close()
    assert {kind: v for kind, v in found.items() if v} == {}


ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Latin text a reader may meet that is not interface: file formats, pinyin hints, and the site's own address
ALLOWED_LATIN = {"CSV", "JSON", "Atom", "yry", "Excel"}


def test_no_off_host_requests_and_no_english_interface(browser, deployed_url, page_kinds):
    """As deployed (SITE_URL, REPO_URL): nothing is fetched from another host (no api.github.com) and the
    interface — menus, buttons, tooltips, labels — is Chinese. Story text and sources may hold Latin words."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 780})
    urls = record_requests(context)
    page = context.new_page()
    english = {}
    try:
        for kind, path in page_kinds.items():
            if kind == "editors' guide":
                continue
            page.goto(deployed_url + path)
            page.wait_for_load_state("networkidle")
            words = page.evaluate(
                """() => {
                  const skip = ".ql-story__body, .ql-sources, .ql-fact__source, .ql-share__url, [data-pagefind-body], " +
                    ".ql-search-data, script, style";
                  const out = [];
                  for (const el of document.querySelectorAll("body *")) {
                    if (el.closest(skip)) continue;
                    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
                      if (el.getAttribute(name)) out.push(el.getAttribute(name));
                    }
                    for (const n of el.childNodes) if (n.nodeType === 3 && n.textContent.trim()) out.push(n.textContent);
                  }
                  return out.join(" ");
                }"""
            )
            words = {w for w in ENGLISH_WORD.findall(words) if w not in ALLOWED_LATIN}
            if words:
                english[kind] = sorted(words)
    finally:
        context.close()
    assert external_requests(urls) == []
    assert english == {}


def test_search_result_quotes_a_clean_sentence_of_the_text(browser, deployed_site, deployed_url, page_kinds):
    """A word from a unit story's text: its result shows the title, the collection and the sentence holding the
    word — no metadata labels (单位、单元类型、乡镇 …) run into it, no heading glued to its front."""
    path = page_kinds["story (units)"]
    story = BeautifulSoup((deployed_site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    title = story.select_one("article h1").get_text(strip=True)
    paragraphs = [p.get_text(strip=True) for p in story.select(".ql-story__body > p")]
    sentence = next(s for p in paragraphs for s in re.split(r"(?<=[。！？])", p) if len(s) >= 16)
    query = re.findall(r"[\u4e00-\u9fff]{4}", sentence[4:])[0]  # four characters from the middle of the sentence
    labels = [dt.get_text(strip=True) for dt in story.select(".ql-meta dt")]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(deployed_url)
        page.keyboard.press("/")
        page.keyboard.type(query)
        page.wait_for_function(
            "q => document.querySelector('[data-ql-search-status]').dataset.query === q", arg=query, timeout=15_000
        )
        results = page.eval_on_selector_all(
            ".md-search-result__item",
            """els => els.map(e => ({title: e.querySelector('.ql-search-title').innerText,
                                     kind: (e.querySelector('.ql-search-kind') || {}).innerText || '',
                                     excerpt: e.querySelector('.ql-search-excerpt').innerText,
                                     marks: [...e.querySelectorAll('.ql-search-excerpt mark')].map(m => m.innerText)}))""",
        )
    finally:
        context.close()
    mine = next(r for r in results if r["title"].endswith(title))
    assert mine["kind"] and query in "".join(mine["marks"])
    excerpt = mine["excerpt"].strip("…")
    text = "".join(paragraphs)
    assert excerpt in text, (excerpt, text)  # a piece of the story's own text, in order
    assert excerpt.endswith(("。", "！", "？", "；")) or mine["excerpt"].endswith("…")
    assert not any(label in mine["excerpt"] for label in labels if label not in sentence), mine

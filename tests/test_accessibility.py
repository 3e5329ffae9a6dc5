"""The 适老化 self-check published on docs/accessibility.md: what a static site can meet, each row backed by a test
here or in the file the page names."""

from __future__ import annotations

import re

from browser_support import external_requests, record_requests
from conftest import REPO
from visitors_support import story_to_read

STORY = story_to_read().url
PAGE = REPO / "docs" / "accessibility.md"

# The controls a reader uses on a phone: the header's menu and search, the reading bar, 朗读 (stubbed voice).
_MEASURE = """() => {
  const box = el => el.getBoundingClientRect();
  const shown = el => { const r = box(el); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const controls = [...document.querySelectorAll(
      '.md-header label.md-header__button, .ql-reading button, .ql-reading a, .ql-read-aloud button')].filter(shown)
    .map(el => ({what: el.textContent.trim() || el.getAttribute('for') || el.className, w: box(el).width, h: box(el).height}));
  const ps = [...document.querySelectorAll('.ql-story__body p')];
  const style = getComputedStyle(ps[0]);
  const gap = box(ps[1]).top - box(ps[0]).bottom + parseFloat(style.lineHeight);  // baseline to baseline
  return {controls, font: parseFloat(style.fontSize), line: parseFloat(style.lineHeight), gap};
}"""


def test_phone_story_has_large_text_line_spacing_and_touch_targets(browser, site_server):
    from test_listen import CHINESE, SPEECH_STUB

    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.add_init_script(SPEECH_STUB % CHINESE)
    page = context.new_page()
    try:
        page.goto(site_server + STORY)
        page.locator("[data-ql-read-aloud-play]").wait_for(timeout=5_000)
        page.tap('button[data-ql-size="3"]')  # 特大
        found = page.evaluate(_MEASURE)
        assert found["font"] >= 18, found  # the largest step: text at least 18 px
        assert found["line"] >= 1.3 * found["font"], found  # line spacing at least 1.3
        assert found["gap"] >= 1.3 * found["line"], found  # paragraphs further apart than lines
        names = {c["what"] for c in found["controls"]}
        assert {"朗读", "慢", "正常", "快", "特大"} <= names, names
        small = [c for c in found["controls"] if c["w"] < 44 or c["h"] < 44]
        assert not small, small
    finally:
        context.close()


def test_no_pop_ups_ads_or_requests_to_other_sites(page, site_server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    urls = record_requests(page)
    for path in ("", STORY, "letters/", "collection/?s=" + STORY.rstrip("/")):
        page.goto(site_server + path)
        page.wait_for_timeout(1500)  # anything that would pop up after a moment
        shown = page.eval_on_selector_all(
            "[role=dialog]:not(.md-search), [role=alertdialog], dialog, iframe",  # .md-search: the header's search box
            "els => els.filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })"
            ".map(el => el.outerHTML.slice(0, 80))",
        )
        assert shown == [], (path, shown)
    assert dialogs == [] and external_requests(urls) == []
    assert not page.context.cookies()


def test_accessibility_page_names_only_tests_that_exist():
    text = PAGE.read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[a-z_]+\.py)::(test_[a-z0-9_]+)`", text)
    assert len(named) >= 8
    for path, name in named:
        source = (REPO / path).read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"{path}::{name} is named on the 无障碍 page but does not exist"
    for row in (line for line in text.splitlines() if line.startswith("| ") and "::" in line):
        assert re.search(r"\| (满足|部分满足|未满足) \|$", row.strip()), row

"""Browser tests of the reading features in headless Chromium: the 简/繁 switch, font size, contrast,
keyboard focus, print, the phone layout of the home page, and an axe-core scan (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_support import decode_qr, external_requests, record_requests

SWITCH = "a.ql-switch__link"


def _font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


def test_switch_shows_traditional_and_is_remembered(page, site_server):
    page.goto(site_server)
    assert page.locator("#ql-letters-classical").inner_text() == "历代家训"
    page.click(SWITCH)
    page.wait_for_url("**/zh-hant/")
    assert page.locator("#ql-letters-classical").inner_text() == "歷代家訓"
    assert page.locator("h1").first.inner_text() == "清廉慈利"  # the same in both scripts
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    # remembered: a Simplified address opened later (same visitor) shows the Traditional page
    page.goto(site_server + "letters/")
    page.wait_for_url("**/zh-hant/letters/")
    assert "清廉家書" in page.locator("h1").first.inner_text()
    # and back
    page.click(SWITCH)
    page.wait_for_url(site_server + "letters/")
    page.goto(site_server + "zh-hant/officials/")
    page.wait_for_url(site_server + "officials/")
    assert page.locator("h1").first.inner_text() == "清官廉吏"


def test_traditional_address_is_shareable_and_styled(page, site_server):
    """A visitor who never chose opens a shared /zh-hant/ link: Traditional, with the site's styles and no 404s."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    urls = record_requests(page)
    page.goto(site_server + "zh-hant/letters/bao-zheng-jiaxun/")
    page.wait_for_load_state("networkidle")
    assert page.url == site_server + "zh-hant/letters/bao-zheng-jiaxun/"
    assert "包拯《家訓》" in page.locator("h1").first.inner_text()
    assert failed == []
    assert external_requests(urls) == []
    header_bg = page.eval_on_selector(".md-header", "el => getComputedStyle(el).backgroundColor")
    assert header_bg == "rgb(122, 18, 18)"  # seal-deep: qinglian.css reached from one folder deeper


def test_font_size_reflows_and_is_remembered(page, site_server):
    page.goto(site_server + "letters/zhuge-liang-jiezishu/")
    body = ".ql-story__body p"
    base = _font_px(page, body)
    width_before = page.eval_on_selector(body, "el => el.getBoundingClientRect().height")
    page.click('button[data-ql-size="3"]')
    bigger = _font_px(page, body)
    assert bigger >= base * 1.4
    assert page.eval_on_selector(body, "el => el.getBoundingClientRect().height") > width_before  # text reflowed
    assert page.get_attribute('button[data-ql-size="3"]', "aria-pressed") == "true"
    line_height = page.eval_on_selector(body, "el => parseFloat(getComputedStyle(el).lineHeight)")
    assert line_height >= 1.5 * bigger
    page.goto(site_server + "officials/")  # the next page keeps the size
    assert _font_px(page, ".md-typeset .ql-lead") > 0
    assert page.evaluate("document.documentElement.getAttribute('data-ql-size')") == "3"
    assert page.get_attribute('button[data-ql-size="3"]', "aria-pressed") == "true"
    page.click('button[data-ql-size="0"]')
    page.goto(site_server + "letters/zhuge-liang-jiezishu/")
    assert _font_px(page, body) == pytest.approx(base)


def test_high_contrast_applies_and_is_remembered(page, site_server):
    page.goto(site_server + "units/xiangshi-moshi/")
    color = "el => getComputedStyle(el).color"
    assert page.eval_on_selector(".ql-story__body p", color) != "rgb(0, 0, 0)"
    page.click("button[data-ql-contrast-toggle]")
    assert page.evaluate("document.documentElement.getAttribute('data-ql-contrast')") == "1"
    assert page.eval_on_selector(".ql-story__body p", color) == "rgb(0, 0, 0)"
    assert page.get_attribute("button[data-ql-contrast-toggle]", "aria-pressed") == "true"
    page.goto(site_server + "dashboard/")
    assert page.evaluate("document.documentElement.getAttribute('data-ql-contrast')") == "1"
    assert page.eval_on_selector(".ql-svg__bar", "el => getComputedStyle(el).fill") == "rgb(0, 0, 0)"


def test_keyboard_reaches_the_reading_bar_with_visible_focus(page, site_server):
    page.goto(site_server)
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                """() => { const el = document.activeElement, s = getComputedStyle(el);
                 return {text: el.textContent.trim(), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
            )
        )
    texts = [s["text"] for s in seen]
    assert "繁體" in texts and "特大" in texts and "高对比" in texts
    for state in seen:
        if state["text"] in ("繁體", "特大", "高对比"):
            assert state["outline"] != "none" and state["width"] >= 2, state


def test_story_prints_without_navigation_but_with_sources_and_address(page, site_server):
    page.goto(site_server + "officials/yuan-renyuan/")
    page.emulate_media(media="print")
    hidden = "sel => { const el = document.querySelector(sel); return !el || getComputedStyle(el).display === 'none'; }"
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".ql-reading", ".md-footer", ".ql-related"):
        assert page.evaluate(hidden, selector), selector
    for selector in (".ql-sources", ".ql-share svg.ql-qr", ".ql-share__url", ".ql-source-url"):
        assert page.is_visible(selector), selector
    assert "http://127.0.0.1:8000/officials/yuan-renyuan/" in page.inner_text(".ql-share")


@pytest.mark.parametrize("path", ["officials/yuan-renyuan/", "zh-hant/letters/bao-zheng-jiaxun/"])
def test_share_qr_code_reads_as_the_page_address(page, site_server, path):
    """The code the browser draws (share-qr.js), photographed and read by zbar, is the address printed beside it."""
    page.goto(site_server + path)
    svg = ".ql-share svg.ql-qr"
    page.wait_for_selector(svg)
    assert page.inner_text(".ql-share__url") == "http://127.0.0.1:8000/" + path
    assert page.eval_on_selector(svg, "el => el.getAttribute('aria-label')") in ("本页地址的二维码", "本頁地址的二維碼")
    assert decode_qr(page.locator(svg).screenshot()) == "http://127.0.0.1:8000/" + path
    box = page.eval_on_selector(svg, "el => el.getBoundingClientRect().width")
    assert box >= 100  # 7rem on screen: big enough for a phone camera


def test_home_on_a_phone_shows_units_in_two_columns(phone_page, site_server):
    phone_page.goto(site_server)
    columns = phone_page.eval_on_selector(
        ".ql-terms--units", "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
    )
    assert columns == 2
    assert phone_page.locator(".ql-terms--units > li").count() == 10
    scroll = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 360  # nothing wider than the phone
    sizes = phone_page.eval_on_selector_all(
        ".ql-reading button, .ql-reading a", "els => els.map(e => [e.offsetWidth, e.offsetHeight])"
    )
    assert len(sizes) == 6 and all(w >= 44 and h >= 44 for w, h in sizes), sizes  # finger-sized targets


AXE_PAGES = {
    "home": "",
    "official": "officials/yuan-renyuan/",
    "letter": "letters/bao-zheng-jiaxun/",
    "unit": "units/xiangshi-moshi/",
    "browse": "unit-types/village/",
    "townships": "townships/",
    "dashboard": "dashboard/",
    "timeline": "timeline/",
    "traditional home": "zh-hant/",
}


def _serious(results) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _search(page, query: str) -> None:
    """Open the search panel and type until results show. Material searches on keyup, which Chinese text
    inserted by Playwright does not send (a real IME does), hence the End key; and it drops a query sent before
    its search worker is ready (slow on a busy machine), hence the retries (30 s at most)."""
    page.click('label[for="__search"]')
    field = "input.md-search__input"
    for _attempt in range(30):
        page.fill(field, "")
        page.focus(field)
        page.keyboard.type(query)
        page.keyboard.press("End")
        try:
            page.wait_for_selector(".md-search-result__item", timeout=1000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"no search results for {query!r} after 30 s")


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_no_serious_violations(page, site_server, axe, name):
    page.goto(site_server + AXE_PAGES[name])
    assert _serious(axe.run(page)) == []


def test_axe_search_panel_and_phone_settings(phone_page, site_server, axe):
    """The search panel with results open, on a phone, at the largest font size in high contrast."""
    phone_page.goto(site_server)
    phone_page.click('button[data-ql-size="3"]')
    phone_page.click("button[data-ql-contrast-toggle]")
    _search(phone_page, "家书")
    assert _serious(axe.run(phone_page)) == []

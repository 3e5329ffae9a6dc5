"""Readable on a 360 px phone and on a 1920×1080 screen: no sideways scrolling, the title in view, and
no request leaves the machine (no CDN, no font host) while a page loads."""

from __future__ import annotations

import pytest

from browser_support import external_requests, record_requests

PAGES = {
    "": "清廉慈利",
    "officials/yuan-renyuan/": "袁任远：两袖清风",
    "units/xiangshi-moshi/": "象市镇：村级财务管理的“象市模式”",
    "contributing/": "编辑指南",
    "tougao/": "投稿：写一封清廉家书",
    "eras/": "时代",
}

LAYOUT = """() => {
  const h1 = document.querySelector('article h1');
  const box = h1 ? h1.getBoundingClientRect() : null;
  const style = h1 ? getComputedStyle(h1) : null;
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    title: h1 ? h1.textContent.replace('¶', '').trim() : null,
    box: box && {left: box.left, right: box.right, top: box.top, bottom: box.bottom, width: box.width},
    visible: !!style && style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
  };
}"""


def check_layout(page, base: str, url: str) -> None:
    requests = record_requests(page)
    response = page.goto(base + url, wait_until="load")
    assert response is not None and response.ok, url
    got = page.evaluate(LAYOUT)
    assert got["scrollWidth"] <= got["innerWidth"], f"/{url} scrolls sideways: {got}"
    assert got["title"] == PAGES[url], got
    box = got["box"]
    assert got["visible"] and box["width"] > 0, got
    assert box["left"] >= 0 and box["right"] <= got["innerWidth"], f"/{url}: title outside the screen: {got}"
    assert 0 <= box["top"] < page.viewport_size["height"], f"/{url}: title not in the first screen: {got}"
    assert external_requests(requests) == [], f"/{url} requested other hosts"


@pytest.mark.parametrize("url", list(PAGES))
def test_phone_360(phone_page, site_server, url):
    check_layout(phone_page, site_server, url)


@pytest.mark.parametrize("url", list(PAGES))
def test_desktop_1920(page, site_server, url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    check_layout(page, site_server, url)

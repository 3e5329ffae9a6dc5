"""Old phones without ResizeObserver: Material's bundle loads a polyfill, and it must come from this site, not
from unpkg.com (slow or blocked in mainland China, unreachable for the kiosk)."""

from __future__ import annotations

from browser_support import external_requests, record_requests

NO_RESIZE_OBSERVER = "delete window.ResizeObserver;"  # what an old Android WebView or iOS < 13.4 lacks


def test_no_cdn_address_left_in_the_theme_scripts(built_site):
    for script in (built_site / "assets" / "javascripts").glob("*.js"):
        assert "unpkg.com" not in script.read_text(encoding="utf-8"), script.name


def test_a_browser_without_resize_observer_gets_the_local_polyfill(page, site_server):
    page.add_init_script(NO_RESIZE_OBSERVER)
    urls = record_requests(page)
    for path in ("", "officials/yuan-renyuan/", "zh-hant/letters/"):
        page.goto(site_server + path)
        page.wait_for_function("typeof window.ResizeObserver === 'function'", timeout=10_000)
    assert any(u.endswith("/assets/javascripts/vendor/resize-observer-polyfill.js") for u in urls)
    assert external_requests(urls) == []

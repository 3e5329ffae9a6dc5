"""The exhibition kiosk edition (kiosk.yml): what a visitor at the touch screen sees and can do.

The kiosk edition is built once per session from the repository and served on 127.0.0.1; every
browser test uses a touch-screen context (1920x1080 landscape unless it says portrait). Timers are
shortened with kiosk.js's session parameters (?kiosk-idle=SECONDS&kiosk-slide=SECONDS).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from browser_support import CHROMIUM, external_requests, record_requests, serve_dir
from conftest import REPO, build_output, build_site, copy_fixture_project, fixture_project_root, in_ci
from qinglian.content.load import load_content
from qinglian.kiosk import edition as kiosk_module
from qinglian.outputs import search
from qinglian.site.pages import published_quotes
from qinglian.site.qr import qr_svg

sys.path.insert(0, str(REPO / "kiosk"))
import start as kiosk_start  # noqa: E402  (kiosk/start.py, the launcher)

LANDSCAPE = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}
REQUIRED_FLAGS = [
    "--kiosk",
    "--incognito",
    "--noerrdialogs",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


PUBLIC_SITE = "https://qinglian.example.org/cili/"  # the public address the kiosk's QR codes lead to


def build_kiosk(site: Path, **env: str | None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict -f kiosk.yml` into `site` with these environment variables (None: unset); it must pass."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        root = fixture_project_root()
        proc = build_site(root / "kiosk.yml", site, cwd=root)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict -f kiosk.yml failed\n{build_output(proc)}", pytrace=False)
    return proc


@pytest.fixture(scope="session")
def kiosk_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("kiosk") / "site-kiosk"
    build_kiosk(site, SITE_URL=PUBLIC_SITE)
    return site


@pytest.fixture(scope="session")
def kiosk_url(kiosk_site):
    with serve_dir(kiosk_site) as base:
        yield base


@pytest.fixture(scope="session")
def content(fixture_project):
    found, problems = load_content(fixture_project)
    assert not problems
    return found


def _touch_context(browser, viewport=LANDSCAPE):
    # bypass_csp: wait_for_function's eval() (the kiosk under its CSP: tests/test_hostile_render.py)
    return browser.new_context(locale="zh-CN", viewport=viewport, has_touch=True, bypass_csp=True)


@pytest.fixture
def kiosk(browser):
    """A landscape touch-screen page; every request it makes is recorded in `kiosk.requests`,
    every script error in `kiosk.errors`."""
    context = _touch_context(browser)
    page = context.new_page()
    page.requests = record_requests(context)
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    try:
        yield page
    finally:
        context.close()


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"


# ---- home screen ---------------------------------------------------------------------------------


def test_home_tiles_lead_to_the_right_pages(kiosk, kiosk_url, content):
    kiosk.goto(kiosk_url)
    tiles = kiosk.eval_on_selector_all(
        "a[data-kiosk-tile]",
        "els => els.map(a => ({href: a.getAttribute('data-kiosk-tile'),"
        " name: a.querySelector('.kiosk-tile__name').textContent.trim(),"
        " count: (a.querySelector('.kiosk-tile__count') || {}).textContent || ''}))",
    )
    names = [t["name"] for t in tiles]
    assert names[:2] == ["清官廉吏", "清廉家书"]
    unit_names = [info["name"] for info in content.data.unit_types.values()]
    assert all(name in names for name in unit_names), names  # the ten 清廉单元
    assert len(unit_names) == 10
    for tile in tiles:
        kiosk.goto(kiosk_url)
        kiosk.tap(f"a[data-kiosk-tile='{tile['href']}']")
        kiosk.wait_for_url(kiosk_url + tile["href"])
        if tile["href"] == "campaign/":
            assert kiosk.inner_text("h1") == "清廉慈利建设"
            continue
        assert kiosk.inner_text("article h1") == tile["name"]
        count = re.match(r"\s*(\d+)", tile["count"])
        shown = int(count.group(1)) if count else 0  # an empty unit's tile shows no "0 篇"
        assert kiosk.locator("ul.ql-cards > li").count() == shown, tile  # the count on the tile is right
    assert kiosk.errors == []


def test_home_shows_demonstration_progress_from_the_data(kiosk, kiosk_url, content):
    target = content.data.site["campaign"]["demonstration_target"]
    done = sum(1 for s in content.stories if s.meta.get("demonstration") is True)
    kiosk.goto(kiosk_url)
    if not done:  # nothing to show as progress: the target is stated, no "0 / 32" bar
        assert str(target) in kiosk.inner_text("[data-kiosk-demonstration]")
        assert kiosk.locator("[role=progressbar]").count() == 0
        return
    assert kiosk.inner_text("[data-kiosk-demonstration]").replace(" ", "") == f"{done}/{target}个"
    bar = kiosk.get_attribute("[role=progressbar]", "aria-valuemax")
    assert bar == str(target)


def test_search_tile_opens_the_on_screen_keyboard(kiosk, kiosk_url):
    kiosk.goto(kiosk_url)
    assert kiosk.is_hidden("[data-kiosk-search]")
    kiosk.tap("[data-kiosk-tile=search]")
    assert kiosk.is_visible("[data-kiosk-keyboard]")
    for letter in "yrx":
        kiosk.tap(f"[data-key={letter}]")
    kiosk.tap("[data-key-delete]")
    assert kiosk.inner_text("[data-kiosk-query]") == "yr"
    kiosk.tap("[data-key-clear]")
    assert kiosk.inner_text("[data-kiosk-query]") == ""
    kiosk.tap("[data-kiosk-search] [data-kiosk-close]")
    assert kiosk.is_hidden("[data-kiosk-search]")


@pytest.mark.parametrize("query", ["yry", "yuanrenyuan"])
def test_on_screen_keyboard_finds_yuan_renyuan(kiosk, kiosk_url, query):
    kiosk.goto(kiosk_url)
    kiosk.tap("[data-kiosk-tile=search]")
    for letter in query:
        kiosk.tap(f"[data-key={letter}]")
    result = kiosk.locator("[data-kiosk-results] a", has_text="袁任远").first
    result.wait_for(timeout=10_000)
    result.tap()
    kiosk.wait_for_url(kiosk_url + "officials/yuan-renyuan/")
    assert external_requests(kiosk.requests) == []


# ---- idle and attract loop -------------------------------------------------------------------


def test_idle_returns_home_and_a_touch_ends_the_attract_loop(kiosk, kiosk_url, content):
    kiosk.goto(kiosk_url + "?kiosk-idle=1.5&kiosk-slide=0.4")
    kiosk.tap("a[data-kiosk-tile='letters/']")
    kiosk.wait_for_url(kiosk_url + "letters/")

    # Nobody touches the screen: the kiosk goes home by itself and starts the attract loop.
    kiosk.wait_for_url(kiosk_url, timeout=10_000)
    kiosk.wait_for_selector("[data-kiosk-attract]", state="visible", timeout=5_000)
    quotes, _problems = published_quotes(content)
    shown = {q["story"].title for q in quotes} | {s.title for s in content.stories if s.meta.get("video")}
    shown = shown or {s.title for s in content.stories if s.meta.get("featured")} or {s.title for s in content.stories}
    by_title = {s.title: s for s in content.stories}
    seen = set()
    for _ in range(12):
        title, quote = kiosk.evaluate(
            """() => { const s = document.querySelector("[data-kiosk-slide].is-active");
              const q = s.querySelector(".kiosk-slide__quote");
              return [s.querySelector(".kiosk-slide__title").innerText, q ? q.innerText.trim() : null]; }"""
        )
        seen.add(title)
        if quote:  # a quotation is a line of the story named under it, never invented
            assert quote in by_title[title].body
        kiosk.wait_for_timeout(250)
    assert seen and seen <= shown
    assert len(seen) >= min(2, len(shown))  # it cycles
    assert kiosk.is_visible("text=轻触屏幕开始")

    # One touch ends it, and does not open the tile that lies under the finger.
    box = kiosk.locator("a[data-kiosk-tile='officials/']").bounding_box()
    kiosk.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    kiosk.wait_for_selector("[data-kiosk-attract]", state="hidden", timeout=2_000)
    kiosk.wait_for_timeout(500)
    assert _path(kiosk.url).split("?")[0] == "/"
    assert kiosk.evaluate("qinglianKiosk.attract.running") is False
    assert kiosk.errors == []


def test_idle_time_comes_from_site_data(kiosk, kiosk_url, content):
    kiosk.goto(kiosk_url + "letters/")
    assert kiosk.evaluate("qinglianKiosk.idleMs") == 1000 * content.data.site.get("idle_seconds", 90)


# ---- never leave the site ------------------------------------------------------------------------


def test_external_link_shows_a_qr_code_and_does_not_navigate(kiosk, kiosk_url, content):
    story = next(s for s in content.stories if any(src.get("url") for src in s.meta.get("sources", [])))
    address = next(src["url"] for src in story.meta["sources"] if src.get("url"))
    page_url = kiosk_url + story.url
    kiosk.goto(page_url)
    link = kiosk.locator(f".kiosk-ext[data-kiosk-url='{address}']").first
    assert link.get_attribute("href") is None  # nothing to follow even without the script
    link.tap()
    overlay = kiosk.locator("[data-kiosk-qr-overlay]")
    overlay.wait_for(state="visible")
    assert overlay.locator("svg.ql-qr").count() == 1
    assert overlay.locator("[data-kiosk-qr-url]").inner_text() == address
    assert overlay.locator("svg.ql-qr").get_attribute("aria-label").endswith(address)
    kiosk.wait_for_timeout(300)
    assert kiosk.url == page_url
    kiosk.tap("[data-kiosk-qr-overlay] [data-kiosk-close]")
    overlay.wait_for(state="hidden")
    assert external_requests(kiosk.requests) == []


def test_links_that_leave_the_site_become_qr_triggers():
    page = (
        '<html><body><p><a href="https://example.org/a?x=1&amp;y=2" target="_blank" rel="noopener">甲</a>'
        '<a class="ql-tag" href="mailto:someone@example.org">乙</a><a href="//cdn.example.org/x">丙</a>'
        '<a href="../letters/">丁</a><a href="#part">戊</a><a href="https://example.org/a?x=1&amp;y=2">己</a>'
        "</p></body></html>"
    )
    out = kiosk_module.rewrite_external_links(page)
    assert 'href="https:' not in out and 'href="mailto:' not in out and 'href="//' not in out
    assert '<a href="../letters/">丁</a>' in out and '<a href="#part">戊</a>' in out  # the site's own links stay
    assert "target=" not in out
    assert out.count('data-kiosk-qr="kiosk-qr-0"') == 2  # one QR code per address, shared by both links
    assert out.count("<template id=") == 3
    assert 'class="ql-tag kiosk-ext"' in out
    assert out.index("<template") > out.index("</p>") and out.endswith("</body></html>")
    assert kiosk_module.rewrite_external_links("<p>没有链接</p>") == "<p>没有链接</p>"


def test_every_story_page_shows_the_qr_code_of_its_public_address(kiosk_site, content):
    for story in content.stories:
        html = (kiosk_site / story.url / "index.html").read_text(encoding="utf-8")
        url = PUBLIC_SITE + story.url
        assert f'data-url="{url}"' in html, story
        # a page with links that leave the kiosk is re-serialised (kiosk/edition.py), so compare as HTML
        expected = LexborHTMLParser(qr_svg(url, f"扫码继续阅读：{story.title}")).css_first("svg").html
        assert expected in LexborHTMLParser(html).html, story
        assert "扫码继续阅读" in html


def test_without_a_public_address_story_pages_show_no_qr_code_and_the_log_says_why(tmp_path, content):
    """Built without SITE_URL, the address is this computer's preview (127.0.0.1): a phone can open nothing there."""
    proc = build_kiosk(tmp_path / "site-kiosk", SITE_URL=None)
    assert "没有设置公开网站的地址（SITE_URL" in proc.stderr and "SITE_URL=https://" in proc.stderr
    for story in content.stories:
        html = (tmp_path / "site-kiosk" / story.url / "index.html").read_text(encoding="utf-8")
        assert "data-kiosk-story-qr" not in html and f"扫码继续阅读：{story.title}" not in html, story


def test_bar_buttons_go_back_and_home(kiosk, kiosk_url):
    kiosk.goto(kiosk_url)
    assert kiosk.is_disabled("[data-kiosk-back]")
    kiosk.tap("a[data-kiosk-tile='officials/']")
    kiosk.wait_for_url(kiosk_url + "officials/")
    kiosk.tap("ul.ql-cards a >> nth=0")
    kiosk.wait_for_url(re.compile(r".*/officials/[a-z-]+/$"))
    kiosk.tap("[data-kiosk-back]")
    kiosk.wait_for_url(kiosk_url + "officials/")
    kiosk.tap("[data-kiosk-home]")
    kiosk.wait_for_url(kiosk_url)


def test_no_request_leaves_127_0_0_1_on_any_page(kiosk, kiosk_site, kiosk_url, content):
    """Every kind of page: the home, every section index, every story, and one page of each taxonomy."""
    every = sorted(p.parent.relative_to(kiosk_site).as_posix() for p in kiosk_site.rglob("index.html"))
    stories = {s.url.rstrip("/") for s in content.stories}
    first_terms = {}
    for rel in every:
        if rel.count("/") == 1 and rel not in stories:
            first_terms.setdefault(rel.split("/")[0], rel)
    pages = [rel for rel in every if "/" not in rel or rel in stories] + sorted(first_terms.values())
    assert len(pages) >= len(stories) + 8
    for rel in pages:
        url = kiosk_url + ("" if rel == "." else rel + "/")
        kiosk.goto(url, wait_until="load")
        assert kiosk.url == url, f"{url}: the kiosk left the page (a script error sends it home)"
    kiosk.goto(kiosk_url)
    kiosk.tap("[data-kiosk-tile=search]")
    kiosk.tap("[data-key=y]")
    kiosk.wait_for_timeout(500)
    assert kiosk.errors == []
    assert len(kiosk.requests) > len(pages)
    assert external_requests(kiosk.requests) == []


# ---- readable and touchable from a step back -----------------------------------------------------

_MEASURE = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const targets = [...document.querySelectorAll('a, button, [role=button], summary, input, select')]
    .filter(visible)
    .map(el => { const r = el.getBoundingClientRect();
      return {what: (el.textContent || el.outerHTML).trim().slice(0, 40), w: r.width, h: r.height}; });
  const texts = [...document.querySelectorAll('body *')].filter(el => visible(el) &&
      [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(el => ({what: el.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize)}));
  return {targets, texts, zoomable: document.querySelector('meta[name=viewport]').content};
}"""


@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_touch_targets_and_text_are_large_enough(browser, kiosk_url, content, viewport):
    context = _touch_context(browser, viewport)
    page = context.new_page()
    story = next(s for s in content.stories if s.meta.get("sources"))
    try:
        for path, action in (
            ("", None),
            ("", "search"),
            ("officials/", None),
            (story.url, None),
            ("unit-types/", None),
            ("campaign/", None),
        ):
            page.goto(kiosk_url + path)
            if action:
                page.tap("[data-kiosk-tile=search]")
            found = page.evaluate(_MEASURE)
            small = [t for t in found["targets"] if t["w"] < 48 or t["h"] < 48]
            assert not small, f"{path or 'home'} {action or ''}: touch targets under 48x48: {small[:5]}"
            tiny = [t for t in found["texts"] if t["size"] < 22]
            assert not tiny, f"{path or 'home'}: text under 22px: {tiny[:5]}"
            assert "user-scalable=no" in found["zoomable"]
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scroll
    finally:
        context.close()


def test_no_text_selection_or_context_menu(kiosk, kiosk_url, content):
    story = content.stories[0]
    kiosk.goto(kiosk_url + story.url)
    assert kiosk.evaluate("getComputedStyle(document.body).userSelect") == "none"
    prevented = kiosk.evaluate("""() => {
      const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});
      return !document.querySelector('article').dispatchEvent(e); }""")
    assert prevented


# ---- robustness ----------------------------------------------------------------------------------


def test_a_javascript_error_sends_the_kiosk_home(kiosk, kiosk_url):
    kiosk.goto(kiosk_url + "letters/")
    kiosk.evaluate("setTimeout(() => { throw new Error('测试：故意的脚本错误'); }, 0)")
    kiosk.wait_for_url(kiosk_url, timeout=5_000)
    kiosk.goto(kiosk_url + "officials/")
    kiosk.evaluate("setTimeout(() => Promise.reject(new Error('测试：未处理的拒绝')), 0)")
    kiosk.wait_for_url(kiosk_url, timeout=5_000)


def test_a_missing_page_returns_home_through_the_launchers_server(kiosk, kiosk_site):
    server = kiosk_start.make_server(kiosk_site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + "no-such-page/", timeout=5)
        assert err.value.code == 404
        assert "kiosk-config" in err.value.read().decode("utf-8")  # the kiosk's own 404 page
        kiosk.goto(base + "no-such-page/")
        assert kiosk.is_visible("[data-kiosk-notfound]")
        kiosk.wait_for_url(base, timeout=8_000)
        assert kiosk.is_visible("a[data-kiosk-tile]")
    finally:
        server.shutdown()
        server.server_close()


def test_attract_loop_keeps_the_dom_flat(kiosk, kiosk_url):
    """Cycling slides toggles classes on existing nodes; it never adds nodes (the memory benchmark
    bench/kiosk_memory.py measures the heap over many cycles)."""
    kiosk.goto(kiosk_url + "?kiosk-idle=600&kiosk-slide=0.05")
    kiosk.evaluate("qinglianKiosk.attract.start()")
    before = kiosk.evaluate("document.getElementsByTagName('*').length")
    kiosk.wait_for_function("qinglianKiosk.attract.cycles >= 5", timeout=20_000)
    assert kiosk.evaluate("document.getElementsByTagName('*').length") == before
    assert kiosk.locator("[data-kiosk-slide].is-active").count() == 1


def test_kiosk_yml_inherits_the_public_config_and_builds_into_site_kiosk():
    import mkdocs.config

    kiosk_config = mkdocs.config.load_config(str(REPO / "kiosk.yml"))
    public = mkdocs.config.load_config(str(REPO / "mkdocs.yml"))
    assert Path(kiosk_config.site_dir) == REPO / "site-kiosk"
    assert kiosk_config.extra["kiosk"] is True and not public.extra.get("kiosk")
    assert kiosk_config.site_name == public.site_name
    # one menu: the kiosk's is the public one less the pages it excludes (kiosk/edition.py, on_config)
    assert kiosk_config.nav == public.nav
    assert kiosk_module.nav_without(public.nav, kiosk_config.exclude_docs.match_file) == [
        entry for entry in public.nav if entry != {"投稿": "tougao.md"}
    ]
    assert kiosk_config.hooks.keys() == public.hooks.keys()


def test_the_kiosk_menu_drops_excluded_pages_and_sections_left_empty():
    nav = [
        {"首页": "index.md"},
        {"建设": ["campaign.md", {"投稿": "tougao.md"}]},
        {"参与": [{"投稿": "tougao.md"}]},
        {"外部": "https://example.org/tougao.md"},
    ]
    kept = kiosk_module.nav_without(nav, lambda path: path == "tougao.md")
    assert kept == [{"首页": "index.md"}, {"建设": ["campaign.md"]}, {"外部": "https://example.org/tougao.md"}]


# ---- the public site is unchanged ----------------------------------------------------------------


def test_public_site_does_not_load_the_kiosk(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "kiosk.css" not in html and "kiosk.js" not in html and "data-kiosk-bar" not in html
    story = next((built_site / "officials").glob("*/index.html")).read_text(encoding="utf-8")
    assert "扫码继续阅读" not in story and "kiosk-ext" not in story


# ---- the launcher --------------------------------------------------------------------------------


def run_launcher(site, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """`python kiosk/start.py SITE ARGS…` as a hall computer runs it; stdout and stderr captured as text."""
    return subprocess.run(
        [sys.executable, str(REPO / "kiosk" / "start.py"), str(site), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_launcher_serves_the_site_and_starts_the_browser_in_kiosk_mode(kiosk_site, tmp_path):
    """kiosk/start.py with a stand-in browser that records its arguments and fetches the page."""
    record = tmp_path / "browser.txt"
    fake = tmp_path / "fake-browser"
    fake.write_text(
        textwrap.dedent(f"""\
        #!{sys.executable}
        import sys, urllib.request
        body = urllib.request.urlopen(sys.argv[-1], timeout=5).read().decode("utf-8")
        with open({str(record)!r}, "w", encoding="utf-8") as out:
            out.write("\\n".join(sys.argv[1:]) + "\\n" + str("data-kiosk-tile" in body))
        """),
        encoding="utf-8",
    )
    fake.chmod(0o755)
    proc = run_launcher(kiosk_site, "--port", "0", "--browser", str(fake), timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = record.read_text(encoding="utf-8").splitlines()
    args, served_home = lines[:-1], lines[-1]
    for flag in REQUIRED_FLAGS:
        assert flag in args
    assert any(a.startswith("--user-data-dir=") for a in args)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", args[-1])
    assert served_home == "True"


def test_launcher_opens_the_kiosk_in_debian_chromium(kiosk_site):
    """The real browser with every kiosk flag (plus headless and --dump-dom, which prints the page once
    it has loaded and exits) shows the home screen served by the launcher, with kiosk.js running."""
    if not os.access(CHROMIUM, os.X_OK):
        (pytest.fail if in_ci() else pytest.skip)(f"{CHROMIUM} is missing (make system-deps)")
    extra = ["--headless=new", "--dump-dom", "--disable-gpu", "--no-sandbox"]
    proc = run_launcher(
        kiosk_site, "--port", "0", "--browser", CHROMIUM, *(f"--browser-arg={arg}" for arg in extra), timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("data-kiosk-tile=") >= 14  # 2 collections, progress, search, 10 units
    back = re.search(r"<button[^>]*data-kiosk-back[^>]*>", proc.stdout).group(0)
    assert "disabled" in back  # set by kiosk.js on the home screen: the script ran


def test_launcher_restarts_a_crashed_browser(kiosk_site, tmp_path):
    runs = tmp_path / "runs.txt"
    fake = tmp_path / "crashing-browser"
    fake.write_text(
        textwrap.dedent(f"""\
        #!{sys.executable}
        import sys
        with open({str(runs)!r}, "a", encoding="utf-8") as out:
            out.write(" ".join(sys.argv[1:]) + "\\n")
        sys.exit(1 if open({str(runs)!r}, encoding="utf-8").read().count("\\n") == 1 else 0)
        """),
        encoding="utf-8",
    )
    fake.chmod(0o755)
    proc = run_launcher(
        kiosk_site, "--port", "0", "--browser", str(fake), "--browser-arg=--force-device-scale-factor=1.5", timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    calls = runs.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 2 and "重新启动" in proc.stderr  # crashed once, came back, then closed normally
    assert all("--force-device-scale-factor=1.5" in call for call in calls)


def test_launcher_explains_a_missing_build_in_chinese(tmp_path):
    proc = run_launcher(tmp_path / "nothing", "--no-browser", timeout=30)
    assert proc.returncode != 0
    assert "mkdocs build -f kiosk.yml" in proc.stderr and "Traceback" not in proc.stderr


# ---- video showcases (synthetic files in a temp copy; no real video content exists) --------------


def _add_video(project: Path, with_poster: bool = True) -> Path:
    videos = project / "docs" / "assets" / "videos"
    videos.mkdir(parents=True, exist_ok=True)
    (videos / "test-synthetic.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")  # a stand-in, never played
    (videos / "test-synthetic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (videos / "test-synthetic.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n测试字幕\n", encoding="utf-8")
    story = project / "stories" / "units" / "xiangshi-moshi.md"
    text = story.read_text(encoding="utf-8")
    fields = "video: assets/videos/test-synthetic.mp4\nvideo_captions: assets/videos/test-synthetic.vtt\n"
    if with_poster:
        fields += "video_poster: assets/videos/test-synthetic.svg\n"
    story.write_text(text.replace("---\n", "---\n" + fields, 1), encoding="utf-8")
    return story


def test_video_needs_a_poster_and_existing_files(tmp_path):
    project = copy_fixture_project(tmp_path / "p")
    _add_video(project, with_poster=False)
    _, problems = load_content(project)
    text = "\n".join(str(p) for p in problems)
    assert "stories/units/xiangshi-moshi.md:2:" in text and "video_poster" in text, text
    (project / "docs" / "assets" / "videos" / "test-synthetic.vtt").unlink()
    _, problems = load_content(project)
    assert any(p.field == "video_captions" and "找不到字幕文件" in p.message for p in problems), problems


# Records every play() of a <video> (and whether it was muted) instead of decoding the stand-in file.
_RECORD_PLAY = """
window.videoPlays = [];
HTMLMediaElement.prototype.play = function () {
  window.videoPlays.push({muted: this.muted, src: this.getAttribute('src')});
  return Promise.resolve();
};
"""


@pytest.mark.slow
def test_video_plays_muted_only_in_the_attract_loop(tmp_path, browser):
    project = copy_fixture_project(tmp_path / "p")
    _add_video(project)
    proc = build_site(project / "kiosk.yml", tmp_path / "site", cwd=project)
    assert proc.returncode == 0, build_output(proc)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    first_slide = home.split("data-kiosk-slide", 1)[1].split("</section>", 1)[0]
    assert "<video" in first_slide and " muted" in first_slide and "清廉视频展播" in first_slide
    assert 'poster="assets/videos/test-synthetic.svg"' in first_slide and "test-synthetic.vtt" in first_slide
    story = (tmp_path / "site" / "units" / "xiangshi-moshi" / "index.html").read_text(encoding="utf-8")
    video = re.search(r"<video[^>]*>", story).group(0)
    assert "controls" in video and "autoplay" not in video and "muted" not in video

    with serve_dir(tmp_path / "site") as base:
        context = _touch_context(browser)
        context.add_init_script(_RECORD_PLAY)
        page = context.new_page()
        try:
            page.goto(base + "units/xiangshi-moshi/?kiosk-idle=1&kiosk-slide=5")
            page.wait_for_timeout(300)
            assert page.evaluate("videoPlays") == []  # no autoplay on the story page
            # A visitor watching the video is not idle: the kiosk stays on the page.
            page.evaluate("""() => {
              const video = document.querySelector('.ql-video video');
              Object.defineProperty(video, 'paused', {get: () => !window.videoWatching, configurable: true});
              window.videoWatching = true;
            }""")
            page.wait_for_timeout(2500)
            assert page.url.startswith(base + "units/xiangshi-moshi/")
            page.evaluate("window.videoWatching = false")
            page.wait_for_url(base, timeout=10_000)  # then idle sends it home, into the attract loop
            page.wait_for_selector("[data-kiosk-attract]", state="visible")
            plays = page.evaluate("videoPlays")
            assert plays and all(p["muted"] for p in plays) and plays[0]["src"].endswith("test-synthetic.mp4")
        finally:
            context.close()


@pytest.mark.parametrize("address", ["", "http://127.0.0.1:8000/", "http://localhost:8000/", "http://[::1]/"])
def test_a_local_or_missing_public_address_gives_no_qr_address_and_a_located_fix(address):
    assert kiosk_module.public_url(address, "officials/x/") is None
    message = kiosk_module.missing_public_address(address)
    assert "SITE_URL=https://" in message and (address in message if address else "没有设置" in message)


def test_a_public_address_with_a_folder_keeps_it():
    assert (
        kiosk_module.public_url("https://example.gov.cn/qinglian", "officials/x/")
        == "https://example.gov.cn/qinglian/officials/x/"
    )
    assert kiosk_module.missing_public_address("https://example.gov.cn/qinglian/") is None


@pytest.fixture(scope="module")
def sharded_kiosk_url(tmp_path_factory):
    """The kiosk edition with at most 2 indexed pages per Pagefind run: its search index comes in shards."""
    site = tmp_path_factory.mktemp("kiosk-sharded") / "site-kiosk"
    build_kiosk(site, **{search.SHARD_PAGES_ENV: "2"})
    assert (site / f"{search.BUNDLE}-3").is_dir()
    with serve_dir(site) as base:
        yield base


@pytest.mark.parametrize("query, title", [("yry", "袁任远"), ("zhugeliang", "诸葛亮"), ("xiangshi", "象市")])
def test_on_screen_keyboard_finds_stories_in_every_shard_of_a_split_index(kiosk, sharded_kiosk_url, query, title):
    kiosk.goto(sharded_kiosk_url)
    kiosk.tap("[data-kiosk-tile=search]")
    for letter in query:
        kiosk.tap(f"[data-key={letter}]")
    kiosk.locator("[data-kiosk-results] a", has_text=title).first.wait_for(timeout=10_000)
    bundles = {m[1] for m in (re.match(r".*/(pagefind(?:-\d+)?)/", u) for u in kiosk.requests) if m}
    assert len(bundles) >= 3  # the first shard and the others, merged in the browser
    assert external_requests(kiosk.requests) == [] and kiosk.errors == []

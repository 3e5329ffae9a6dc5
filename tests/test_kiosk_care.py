"""A kinder kiosk: “还在看吗？” before the idle reset, 大字, 收藏 and 带走, the closed screen, the staff exit, and the
launcher's usage counts and status page.

One kiosk edition is built from a project copy with short timers (idle_seconds 6, still_there_seconds 3), opening
hours, a staff PIN and a recorded voice, and served by the launcher's own server (kiosk/start.py), so that the
beacons are counted as in the hall. The browser's clock is fixed inside opening hours unless a test says otherwise.
"""

from __future__ import annotations

import csv
import datetime
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml

from browser_support import decode_qr
from conftest import REPO, build_output, build_site, copy_fixture_project
from qinglian.outputs.search import pinyin_terms
from visitors_support import AUDIO_PAGE, AUDIO_STORY, add_audio, two_stories

sys.path.insert(0, str(REPO / "kiosk"))
import report as kiosk_report  # noqa: E402  (kiosk/report.py)
import start as kiosk_start  # noqa: E402  (kiosk/start.py)

PUBLIC_SITE = "https://qinglian.example.org/cili/"
STAFF_PIN = "97531"
IDLE, STILL_THERE = 6, 3
OPEN_TIME = "2026-12-02T10:00:00+08:00"  # a Wednesday, inside the hours below
LANDSCAPE = {"width": 1920, "height": 1080}
FIRST, SECOND = two_stories()
STORY_A, STORY_B = FIRST.url.rstrip("/"), SECOND.url.rstrip("/")  # collection/slug, as 带走 lists them


@pytest.fixture(scope="module")
def care_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("kiosk-care")
    project = copy_fixture_project(root / "p")
    add_audio(project)
    site_yml = project / "data" / "site.yml"
    data = yaml.safe_load(site_yml.read_text(encoding="utf-8"))
    data["idle_seconds"] = IDLE
    data["kiosk"] = {
        "still_there_seconds": STILL_THERE,
        "opens": "09:00",
        "closes": 17 * 60,  # an unquoted 17:00, as YAML reads it
        "open_days": [2, 3, 4, 5, 6, 7],  # closed on Mondays
        "staff_pin_sha256": kiosk_start.staff_pin_setting(STAFF_PIN),
    }
    site_yml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", PUBLIC_SITE)
        proc = build_site(project / "kiosk.yml", root / "site-kiosk", cwd=project)
    assert proc.returncode == 0, build_output(proc)
    return root / "site-kiosk"


@pytest.fixture(scope="module")
def launcher(care_site):
    """The launcher's server on a free port, counting into its own CSV."""
    server = kiosk_start.make_server(care_site, 0, usage=care_site.parent / "usage.csv")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _context(browser, when: str = OPEN_TIME):
    context = browser.new_context(
        locale="zh-CN", viewport=LANDSCAPE, has_touch=True, timezone_id="Asia/Shanghai", bypass_csp=True
    )
    page = context.new_page()
    page.clock.set_fixed_time(when)
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    return context, page


@pytest.fixture
def kiosk(browser):
    context, page = _context(browser)
    try:
        yield page
    finally:
        context.close()


# ---- 还在看吗？ -------------------------------------------------------------------------------------------


def test_still_there_asks_before_the_reset_a_touch_continues_and_zero_goes_home(kiosk, launcher):
    url = launcher.base + STORY_A + "/"
    kiosk.goto(url)
    question = kiosk.locator("[data-kiosk-still-there]")
    kiosk.wait_for_timeout(1000 * (IDLE - STILL_THERE) - 800)
    assert question.is_hidden()  # not before its time
    question.wait_for(state="visible", timeout=3_000)
    assert "还在看吗" in question.inner_text()
    assert int(kiosk.inner_text("[data-kiosk-countdown]")) <= STILL_THERE
    button = kiosk.locator("[data-kiosk-continue]")
    assert button.inner_text() == "继续阅读" and button.bounding_box()["height"] >= 96
    kiosk.touchscreen.tap(200, 900)  # anywhere
    question.wait_for(state="hidden", timeout=2_000)
    kiosk.wait_for_timeout(800)
    assert kiosk.url == url  # still reading, and the touch pressed nothing beneath

    question.wait_for(state="visible", timeout=8_000)  # asked again; nobody answers
    kiosk.wait_for_url(launcher.base, timeout=8_000)  # home at zero, into the attract loop
    kiosk.wait_for_selector("[data-kiosk-attract]", state="visible", timeout=3_000)
    assert kiosk.errors == []


def test_no_question_while_a_recording_plays(kiosk, launcher):
    kiosk.goto(launcher.base + AUDIO_PAGE)
    assert kiosk.locator(".ql-audio audio[controls][preload=none]").count() == 1
    assert "第一句录音文字" in kiosk.inner_text(".ql-audio")
    kiosk.evaluate("""() => {
      const audio = document.querySelector('.ql-audio audio');
      Object.defineProperty(audio, 'paused', {get: () => !window.listening, configurable: true});
      window.listening = true;
    }""")
    kiosk.wait_for_timeout(1000 * IDLE + 1500)
    assert kiosk.locator("[data-kiosk-still-there]").is_hidden()
    assert kiosk.url == launcher.base + AUDIO_PAGE
    kiosk.evaluate("window.listening = false")  # the recording ends: the kiosk asks again in its time
    kiosk.locator("[data-kiosk-still-there]").wait_for(state="visible", timeout=1000 * IDLE)


# ---- 大字, 收藏 and 带走 ----------------------------------------------------------------------------------


def _h1_height(page) -> float:
    return page.eval_on_selector("article h1", "el => el.getBoundingClientRect().height")


def test_text_size_and_take_home_last_until_the_reset(kiosk, launcher, site_server):
    kiosk.goto(launcher.base + STORY_A + "/")
    sizes = [_h1_height(kiosk)]
    for _ in range(2):  # two steps larger
        kiosk.tap("[data-kiosk-size-step]")
        sizes.append(_h1_height(kiosk))
    assert sizes[0] < sizes[1] < sizes[2], sizes
    assert kiosk.inner_text("[data-kiosk-size-step]").endswith("特大")

    save = kiosk.locator("[data-kiosk-save]")
    assert save.inner_text() == "收藏" and kiosk.inner_text("[data-kiosk-saved-count]") == "0"
    save.tap()
    assert save.get_attribute("aria-pressed") == "true" and kiosk.inner_text("[data-kiosk-saved-count]") == "1"
    kiosk.goto(launcher.base + STORY_B + "/")  # the next story: text still large, one collected
    assert kiosk.get_attribute("html", "data-kiosk-size") == "2"
    assert kiosk.inner_text("[data-kiosk-saved-count]") == "1"
    kiosk.tap("[data-kiosk-save]")
    assert kiosk.inner_text("[data-kiosk-saved-count]") == "2"

    kiosk.tap("[data-kiosk-take-home-open]")
    code = kiosk.locator("[data-kiosk-take-home-code] svg")
    code.wait_for(timeout=5_000)
    assert kiosk.locator("[data-kiosk-take-home] svg").count() == 1  # one QR code for the whole list
    address = decode_qr(code.screenshot())
    assert address == f"{PUBLIC_SITE}collection/?s={STORY_A},{STORY_B}"
    assert "2 篇" in kiosk.inner_text("[data-kiosk-take-home-hint]")

    # On the visitor's phone the address opens the public site's list of those stories.
    phone = kiosk.context.browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    try:
        list_page = phone.new_page()
        list_page.goto(address.replace(PUBLIC_SITE, site_server))
        cards = list_page.locator("[data-ql-take-home-list] .ql-card__title")
        cards.first.wait_for(timeout=5_000)
        assert cards.all_inner_texts() == [FIRST.title, SECOND.title]
        list_page.locator("[data-ql-take-home-list] a").first.click()
        list_page.wait_for_url(site_server + STORY_A + "/")
    finally:
        phone.close()

    kiosk.tap("[data-kiosk-take-home] [data-kiosk-close]")
    kiosk.wait_for_url(launcher.base, timeout=15_000)  # nobody touches: the idle reset
    assert kiosk.get_attribute("html", "data-kiosk-size") is None
    kiosk.goto(launcher.base + STORY_A + "/")
    assert kiosk.inner_text("[data-kiosk-saved-count]") == "0"  # the next visitor starts with nothing
    assert kiosk.inner_text("[data-kiosk-save]") == "收藏"
    assert kiosk.errors == []


def test_take_home_list_ignores_unknown_and_malformed_keys(page, site_server):
    page.goto(site_server + f"collection/?s={STORY_B},letters/no-such-story,<b>x</b>,{STORY_B}")
    cards = page.locator("[data-ql-take-home-list] .ql-card__title")
    cards.first.wait_for(timeout=5_000)
    assert cards.all_inner_texts() == [SECOND.title]
    assert "1 篇故事已不在本站" in page.inner_text("[data-ql-take-home-status]")
    page.goto(site_server + "collection/")
    page.wait_for_function("document.querySelector('[data-ql-take-home-status]').textContent.includes('没有')")


def test_no_take_home_without_a_public_address(tmp_path):
    from qinglian.kiosk.edition import care_settings

    assert care_settings({}, None)["takeHome"] is None
    assert care_settings({}, "http://127.0.0.1:8000/")["takeHome"] is None
    assert care_settings({}, PUBLIC_SITE)["takeHome"] == PUBLIC_SITE + "collection/"


# ---- opening hours and the staff exit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, closed",
    [
        ("2026-12-02T10:00:00+08:00", False),  # Wednesday morning
        ("2026-12-02T16:59:00+08:00", False),
        ("2026-12-02T17:00:00+08:00", True),  # closing time
        ("2026-12-02T08:30:00+08:00", True),
        ("2026-11-30T10:00:00+08:00", True),  # a Monday
    ],
)
def test_closed_screen_outside_opening_hours(browser, launcher, when, closed):
    context, page = _context(browser, when)
    try:
        page.goto(launcher.base)
        screen = page.locator("[data-kiosk-closed]")
        assert screen.is_visible() is closed
        if closed:
            text = screen.inner_text()
            assert "闭馆" in text and "09:00—17:00" in text and "周二、周三、周四、周五、周六、周日" in text
            assert page.locator("[data-kiosk-closed] button, [data-kiosk-closed] a").count() == 0
    finally:
        context.close()


def test_staff_exit_needs_a_long_press_and_the_pin(kiosk, launcher, care_site):
    assert not any(STAFF_PIN in p.read_text(encoding="utf-8") for p in care_site.rglob("*.html"))
    kiosk.goto(launcher.base + "?kiosk-idle=60")  # no idle reset while the test types slowly
    staff = kiosk.locator("[data-kiosk-staff]")
    kiosk.touchscreen.tap(8, 40)  # a short touch on the corner does nothing
    kiosk.wait_for_timeout(500)
    assert staff.is_hidden()
    kiosk.mouse.move(8, 40)
    kiosk.mouse.down()
    kiosk.wait_for_timeout(3300)
    kiosk.mouse.up()
    staff.wait_for(state="visible", timeout=2_000)
    for digit in "1234":
        kiosk.tap(f"[data-pin-key='{digit}']")
    kiosk.tap("[data-pin-ok]")
    kiosk.wait_for_function("document.querySelector('[data-kiosk-pin-wrong]').textContent.length > 0")
    assert not launcher.exit_requested.is_set()
    for digit in STAFF_PIN:
        kiosk.tap(f"[data-pin-key='{digit}']")
    kiosk.tap("[data-pin-ok]")
    assert launcher.exit_requested.wait(5)
    launcher.exit_requested.clear()


def test_launcher_refuses_a_wrong_pin_and_hashes_a_new_one(launcher):
    request = urllib.request.Request(launcher.base + "_staff/exit", data=b"0000", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 403 and not launcher.exit_requested.is_set()
    proc = subprocess.run(
        [sys.executable, str(REPO / "kiosk" / "start.py"), "--hash-pin", "2468"], capture_output=True, text=True
    )
    line = proc.stdout.strip().splitlines()[-1]
    salt, digest = line.split('"')[1].split("$")
    assert kiosk_start.pin_hash("2468", salt) == digest and "2468" not in line


# ---- 朗读 on the kiosk ------------------------------------------------------------------------------------


def test_kiosk_story_reads_aloud_and_is_not_idle_meanwhile(browser, launcher):
    from test_listen import CHINESE, SPEECH_STUB

    context, page = _context(browser)
    context.add_init_script(SPEECH_STUB % CHINESE)
    try:
        page.goto(launcher.base + STORY_A + "/?kiosk-idle=3")
        page.evaluate("window.speakMs = 60000")  # one long sentence: reading all the time
        page.locator("[data-ql-read-aloud-play]").tap()
        page.wait_for_timeout(4500)
        assert page.locator("[data-kiosk-still-there]").is_hidden() and "/letters/" in page.url
    finally:
        context.close()


# ---- usage counts and status ----------------------------------------------------------------------------


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_usage_is_counted_per_day_without_anything_about_the_visitor(kiosk, launcher):
    kiosk.goto(launcher.base + STORY_A + "/")
    kiosk.tap("[data-kiosk-save]")
    kiosk.goto(launcher.base)
    kiosk.tap("[data-kiosk-tile=search]")
    query = pinyin_terms(SECOND.title)[0][:40]  # the full pinyin of the title's first words: it finds the story
    for letter in query:
        kiosk.tap(f"[data-key={letter}]")
    kiosk.locator("[data-kiosk-results] a").first.wait_for(timeout=10_000)
    kiosk.wait_for_timeout(2500)  # settled: counted once, not per letter
    kiosk.tap("[data-key-clear]")
    for letter in "qxqz":
        kiosk.tap(f"[data-key={letter}]")
    kiosk.wait_for_function("document.querySelector('[data-kiosk-search-status]').textContent.length > 0")
    kiosk.tap("[data-kiosk-search] [data-kiosk-close]")  # closing counts it at once
    kiosk.wait_for_timeout(500)

    rows = _rows(launcher.usage.path)
    today = datetime.date.today().isoformat()
    counted = {(r["event"], r["item"]): int(r["count"]) for r in rows if r["date"] == today}
    assert counted.get(("view", f"/{STORY_A}/"), 0) >= 1
    assert counted.get(("save", STORY_A), 0) >= 1
    assert counted.get(("search", query)) == 1  # once, not once per letter
    assert not [
        item for event, item in counted if event in ("search", "nohit") and query.startswith(item) and item != query
    ]
    assert counted.get(("nohit", "qxqz")) == 1
    text = launcher.usage.path.read_text(encoding="utf-8")
    assert "127.0.0.1" not in text and "Mozilla" not in text
    assert list(rows[0]) == ["date", "event", "item", "count"]


def test_launcher_counts_beacons_keeps_them_across_restarts_and_reports(tmp_path, care_site):
    usage = tmp_path / "usage.csv"
    server = kiosk_start.make_server(care_site, 0, usage=usage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def beacon(query: str) -> int:
        request = urllib.request.Request(base + "_usage?" + query, data=b"", method="POST")
        try:
            return urllib.request.urlopen(request, timeout=5).status
        except urllib.error.HTTPError as err:
            return err.code

    try:
        for _ in range(3):
            assert beacon(f"e=view&i=/{STORY_A}/") == 204
        assert beacon(f"e=view&i=/{STORY_B}/?x=1") == 204
        assert beacon("e=nohit&i=qxqz") == beacon("e=nohit&i=QX%20QZ") == 204
        assert beacon("e=cookie&i=x") == 400  # only the four kinds of count
        assert beacon("e=error&i=TypeError:%20x%20@%20/letters/") == 204
        status = json.loads(urllib.request.urlopen(base + "status.json", timeout=5).read())
        assert status["last_error"]["message"].startswith("TypeError") and status["uptime_seconds"] >= 0
        assert status["built"] and status["usage_file"] == str(usage.resolve())
    finally:
        server.shutdown()
        server.server_close()
    again = kiosk_start.make_server(care_site, 0, usage=usage)  # a restart reads on
    again.usage.add("view", f"/{STORY_A}/")
    again.server_close()
    today = datetime.date.today().isoformat()
    assert {"date": today, "event": "view", "item": f"/{STORY_A}/", "count": "4"} in _rows(usage)
    assert {"date": today, "event": "nohit", "item": "qxqz", "count": "2"} in _rows(usage)

    proc = subprocess.run(
        [sys.executable, str(REPO / "kiosk" / "report.py"), str(usage), "--site", str(care_site)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    top = out.split("最常读的故事")[1].split("\n")[1]
    assert "4" in top and FIRST.title in top  # the most-read story first, by its title
    assert "qxqz" in out.split("没有结果的搜索")[1]
    assert kiosk_report.story_key("/letters/x/") == "letters/x" and kiosk_report.story_key("/letters/") is None


def test_audio_file_is_served_with_an_audio_type(launcher):
    with urllib.request.urlopen(launcher.base + "assets/audio/test-reading.mp3", timeout=5) as response:
        assert response.headers["Content-Type"] == "audio/mpeg"
    assert AUDIO_STORY.startswith("stories/letters/")


def test_kiosk_settings_in_site_yml_are_checked_with_located_messages(tmp_path):
    from qinglian.content.load import load_content

    project = copy_fixture_project(tmp_path / "p")
    site_yml = project / "data" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    text = text.replace("kiosk:\n", 'kiosk:\n  opens: "25:00"\n  open_days: [0]\n  staff_pin_sha256: "1234"\n', 1)
    site_yml.write_text(text, encoding="utf-8")
    problems = [p for p in load_content(project)[1] if p.path == "data/site.yml"]
    fields = {p.field for p in problems}
    assert {"kiosk.opens", "kiosk.open_days[0]", "kiosk.staff_pin_sha256"} <= fields, problems
    lines = text.splitlines()
    for p in problems:
        name = p.field.split(".")[-1].split("[")[0]
        assert lines[p.line - 1].strip().startswith(name), (p, lines[p.line - 1])

"""Nothing a contributor writes runs as script or becomes markup (issue 12, the output side).

One test per class: escaping in each context (HTML text, attribute, JSON in a script, XML feed, SVG chart,
data- attribute), URLs (schemes, break-out characters), ids and classes that would collide with the site's
own, the page-level Content-Security-Policy, the kiosk server's headers. Then a project whose every text
field is a script payload (tests/hostile.py) is checked, built strictly in both editions, scanned, and opened
page by page in Chromium: no dialog, no navigation and no request off the site, no CSP violation.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from browser_support import external_requests, record_requests, serve_dir
from conftest import REPO, build_output, build_site, copy_project
from hostile import (
    BAD_MEDIA,
    BAD_URLS,
    EVIL,
    FILE_BAD_URLS,
    GOOD_URLS,
    PAYLOADS,
    REFUSED_BODY,
    write_hostile_stories,
    write_refused_story,
)
from qinglian.content.urls import body_url_problem, describe, safe_media_path, safe_url, url_problem
from qinglian.kiosk import edition
from qinglian.outputs import csp, feeds
from qinglian.site import charts, qr, ui
from qinglian.site.sanitize import ID_PREFIX, sanitize_story_html

sys.path.insert(0, str(REPO / "kiosk"))
import start as kiosk_start  # noqa: E402

PUBLIC_SITE = "https://qinglian.example.gov.cn/"
BREAKING = set("\"'<> \t\r\n\x00\x1b\u2028\u202e")


# ---- URLs: parsed and rebuilt ----------------------------------------------------------------


@pytest.mark.parametrize("url", GOOD_URLS)
def test_web_addresses_are_rebuilt_without_any_breaking_character(url):
    rebuilt = safe_url(url)
    assert rebuilt and urlsplit(rebuilt).scheme in ("http", "https")
    assert not BREAKING & set(rebuilt), rebuilt
    assert urlsplit(rebuilt).hostname.isascii(), "IDN hosts as xn--"
    assert safe_url(rebuilt) == rebuilt, "rebuilding is stable"


def test_rebuilt_address_keeps_where_it_leads():
    rebuilt = safe_url("https://例子.测试/文章?页=1#第二节")
    parts = urlsplit(rebuilt)
    assert parts.hostname == "xn--fsqu00a.xn--0zwm56d"
    assert parts.path == "/文章" and parts.query == "页=1" and parts.fragment == "第二节"  # readable, as written


@pytest.mark.parametrize("url", BAD_URLS)
def test_other_schemes_and_break_out_addresses_are_refused_in_chinese(url):
    assert safe_url(url) is None
    message = url_problem(url)
    assert message and re.search(r"[\u4e00-\u9fff]", message)
    assert not set(message) & {"\x1b", "\n", "\t", "\u202e"}, "the message shows control characters escaped"


@pytest.mark.parametrize("path", BAD_MEDIA)
def test_media_paths_other_than_files_under_assets_are_refused(path):
    assert safe_media_path(path) is None


def test_media_paths_under_assets_are_kept_and_encoded():
    assert safe_media_path("assets/images/cover.png") == "assets/images/cover.png"
    assert safe_media_path("assets/images/袁任远.jpg") == "assets/images/%E8%A2%81%E4%BB%BB%E8%BF%9C.jpg"


@pytest.mark.parametrize(
    "address",
    [
        "../other/",
        "#生平",
        "https://example.org/a",
        "mailto:a@example.org",
        "tel:0744-1234567",
        "/assets/images/a.png",
        "第二节",
        "12:30",
    ],
)
def test_body_links_to_pages_sites_mail_and_phones_pass_the_check(address):
    assert body_url_problem(address) is None


@pytest.mark.parametrize(
    "address", ["javascript:x", " JaVa&#x09;Script:x", "data:text/html,x", "//h/", "\\\\h", "weixin://x"]
)
def test_body_links_that_are_not_links_fail_the_check(address):
    assert body_url_problem(address)


def test_describe_never_prints_control_characters_raw():
    shown = describe('\x1b[31mhttps://x.org/\u202e"<b>')
    assert "\x1b" not in shown and "\u202e" not in shown and '"' not in shown and "<" not in shown


# ---- ids, classes and names in a story ----------------------------------------------------------


def test_story_ids_are_prefixed_and_its_own_links_follow():
    html = sanitize_story_html(
        '<h2 id="__config">生平<a class="headerlink" href="#__config">¶</a></h2>'
        '<p id="kiosk-config" name="x">{}</p><sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
        '<a href="../other/#生平">别处</a>'
    )
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert ids and all(i.startswith(ID_PREFIX) for i in ids)
    assert f'href="#{ID_PREFIX}__config"' in html and f'href="#{ID_PREFIX}fn:1"' in html
    assert 'href="../other/#生平"' in html, "links to other pages are left alone"
    assert " name=" not in html


def test_table_of_contents_is_prefixed_like_the_headings():
    child = SimpleNamespace(id="di-er-jie", children=[])
    toc = [SimpleNamespace(id="__search", children=[child])]
    sanitize_story_html('<h2 id="__search">x</h2>', toc)
    assert toc[0].id == ID_PREFIX + "__search" and child.id == ID_PREFIX + "di-er-jie"


def test_site_classes_are_renamed_and_markdown_classes_kept():
    html = sanitize_story_html(
        '<div class="admonition warning md-search ql-search kiosk-overlay"><p class="admonition-title">注意</p></div>'
        '<span class="n">x</span>'
    )
    assert 'class="admonition warning user-content-md-search user-content-ql-search user-content-kiosk-overlay"' in html
    assert 'class="admonition-title"' in html and 'class="n"' in html


def test_script_and_data_links_are_dropped_even_past_the_check():
    html = sanitize_story_html(
        '<a href="javascript:alert(1)">a</a><a href=" jav&#x09;ascript:alert(2)">b</a>'
        '<a href="data:text/html,x">c</a><img src="vbscript:x" alt="d">'
    )
    assert "href" not in html and "src" not in html and "alert" not in html


def test_protocol_relative_links_in_a_story_are_dropped():
    html = sanitize_story_html(f'<a href="//{EVIL}/">a</a><a href="\\\\{EVIL}/">b</a><a href="/x/">c</a>')
    assert EVIL not in html and 'href="/x/"' in html


# ---- escaping in each context the hooks write ------------------------------------------------


def _svg_elements(svg: str):
    root = ET.fromstring(svg)
    return root, list(root.iter())


@pytest.mark.parametrize("text", PAYLOADS[:8])
def test_svg_chart_shows_payloads_as_text(text):
    chart = charts.Chart("k", text, [(text, 3), ("b", 1)])
    root, elements = _svg_elements(charts.bar_chart(chart))
    assert {e.tag.split("}")[-1] for e in elements} <= {"svg", "text", "rect"}
    assert not any(name.startswith("on") for e in elements for name in e.attrib)
    assert text in [e.text for e in elements] and root.get("aria-label").startswith(text)


@pytest.mark.parametrize("text", PAYLOADS[:8])
def test_qr_code_label_is_an_attribute_value(text):
    root, elements = _svg_elements(qr.qr_svg("https://example.org/", text))
    assert root.get("aria-label") == text
    assert not any(name.startswith("on") for e in elements for name in e.attrib)


def test_feed_entries_are_xml_text():
    title = PAYLOADS[3] + "\x01\x1b"
    story = SimpleNamespace(
        url="officials/x/",
        title=title,
        meta={"summary": PAYLOADS[0]},
        tags=[PAYLOADS[1]],
        collection=SimpleNamespace(key="officials", name="清官廉吏"),
    )
    when = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    feed = ET.fromstring(feeds.atom("all", PAYLOADS[2], [(story, when)], "https://example.org/"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:title", ns).text == PAYLOADS[2]
    assert feed.find("a:entry/a:title", ns).text == PAYLOADS[3], "escaped, and control characters dropped"
    assert feed.find("a:entry/a:summary", ns).text == PAYLOADS[0]
    assert PAYLOADS[1] in [c.get("term") for c in feed.findall("a:entry/a:category", ns)]


def test_pagefind_fields_cannot_be_added_through_a_value():
    value = ui.pagefind_value(f"甲, url:https://{EVIL}/\\, title:乙")
    assert "," not in value and "\\" not in value and value.startswith("甲")


def test_kiosk_qr_trigger_keeps_the_address_as_an_attribute_value():
    url = 'https://example.org/?q="><svg onload=alert(1)>'
    html = f'<body><a href="{url.replace(chr(34), "&quot;").replace("<", "&lt;").replace(">", "&gt;")}">x</a></body>'
    out = edition.rewrite_external_links(html)
    found = _Scan()
    found.feed(out)
    assert not found.handlers and url in found.attribute_values("data-kiosk-url")


# ---- the Content-Security-Policy: one source ----------------------------------------------------


def test_nginx_header_and_page_meta_come_from_the_same_hashes():
    header = csp.committed_policy()
    assert header == csp.policy(), "deploy/security-headers.conf was edited by hand: run deploy/csp.py --write"
    meta = csp.meta_policy()
    assert "frame-ancestors" not in meta and "frame-ancestors 'self'" in header
    assert [d.strip() for d in header.split(";") if not d.strip().startswith("frame-ancestors")] == meta.split("; ")
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header


def test_nginx_sends_hsts_and_serves_well_known():
    headers = (REPO / "deploy" / "security-headers.conf").read_text(encoding="utf-8")
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d{7,}[^"]*" always;', headers)
    nginx = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    well_known, hidden = nginx.find("location ^~ /.well-known/"), nginx.find("location ~ /\\. {")
    assert 0 <= well_known < hidden, "the ^~ prefix location for /.well-known/ precedes the dot-file rule"


# ---- the kiosk server ----------------------------------------------------------------------


def test_kiosk_server_sends_security_headers_and_lists_no_folder(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "private").mkdir(parents=True)
    (site / "assets" / "private" / "secret-name.txt").write_text("x", encoding="utf-8")
    (site / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>没有这一页</title>", encoding="utf-8")
    server = kiosk_start.make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:

        def get(path):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8")

        status, headers, _ = get("/")
        assert status == 200
        assert headers["Content-Security-Policy"] == csp.policy()
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        status, headers, body = get("/assets/private/")
        assert status == 404 and "secret-name" not in body and "没有这一页" in body
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.shutdown()
        server.server_close()


def test_kiosk_server_without_hooks_sends_the_policy_the_build_wrote(tmp_path, monkeypatch):
    """On a kiosk computer with only start.py and site-kiosk/, the header is the pages' own meta policy."""
    site = tmp_path / "site"
    site.mkdir()
    meta = csp.meta_policy().replace("'", "&#39;")
    (site / "index.html").write_text(f'<head><meta http-equiv="Content-Security-Policy" content="{meta}">')
    monkeypatch.setattr(kiosk_start, "ROOT", tmp_path / "no-repository")
    monkeypatch.delitem(sys.modules, "qinglian.outputs.csp")
    monkeypatch.delitem(sys.modules, "qinglian.outputs")
    monkeypatch.delitem(sys.modules, "qinglian")
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not p.endswith("hooks")])
    assert kiosk_start.content_security_policy(site) == csp.meta_policy()


# ---- the checker refuses addresses that may not reach an attribute -------------------------------


def test_check_refuses_every_bad_address_with_a_located_message(tmp_path):
    root = copy_project(tmp_path / "project")
    path = write_refused_story(root)
    proc = subprocess.run(
        [sys.executable, "hooks/check.py"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in out
    rel = path.relative_to(root).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, url in enumerate(FILE_BAD_URLS):
        line = _yaml_line(lines, f"title: 来源{index}") + 1  # the url line follows its title
        assert f"{rel}:{line}: 字段 sources[{index}].url：" in out, (url, out)
    for field in ("cover", "video", "video_poster", "video_captions"):
        assert re.search(rf"{re.escape(rel)}:\d+: 字段 {field}：", out), field
    for link in REFUSED_BODY:  # links in the body: the line, no field
        assert f"{rel}:{_yaml_line(lines, link)}: 链接地址" in out, (link, out)
    assert not set(out) & {"\x1b", "\u202e"}, "control characters from the file are never printed raw"


def _yaml_line(lines: list[str], needle: str) -> int:
    return next(number for number, line in enumerate(lines, 1) if needle in line)


# ---- a whole project of payloads, built --------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile project built strictly: its public site and its kiosk edition."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    write_hostile_stories(root)
    public, kiosk = root / "site", root / "site-kiosk"
    proc = build_site(root / "mkdocs.yml", public, cwd=root)
    assert proc.returncode == 0, build_output(proc)
    env = {**os.environ, "SITE_URL": PUBLIC_SITE}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "kiosk.yml", "-d", str(kiosk)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, build_output(proc)
    return SimpleNamespace(root=root, public=public, kiosk=kiosk)


class _Scan(HTMLParser):
    """What a page would run or load: handlers, scripts, frames, meta refreshes, addresses."""

    URL_ATTRIBUTES = ("href", "src", "poster", "action", "formaction", "data", "cite", "srcset", "xlink:href")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.handlers, self.scripts, self.forbidden, self.urls, self.metas, self.ids = [], [], [], [], [], []
        self.attrs: list[tuple[str, dict]] = []
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.attrs.append((tag, attributes))
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        self.urls += [(tag, name, value) for name, value in attrs if name in self.URL_ATTRIBUTES and value]
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag in ("iframe", "frame", "object", "embed", "base", "applet"):
            self.forbidden.append((tag, attributes))
        if tag == "form" and not {"data-ql-search-form", "data-ql-tougao-form"} & set(
            attributes
        ):  # the site's own forms
            self.forbidden.append((tag, attributes))
        if tag == "meta" and "http-equiv" in attributes:
            self.metas.append(attributes)
        if tag == "script":
            self._script = attributes
            self._text = []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def attribute_values(self, name: str) -> list[str]:
        return [a[name] for _t, a in self.attrs if a.get(name) is not None]


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _scan(path: Path) -> _Scan:
    found = _Scan()
    found.feed(path.read_text(encoding="utf-8"))
    return found


RESERVED_IDS = ("__config", "__search", "__drawer", "kiosk-config", "ql-search-input", "ql-search-list")


@pytest.mark.parametrize("edition_name", ["public", "kiosk"])
def test_no_page_of_the_hostile_site_carries_markup_from_a_story(hostile, edition_name):
    site = getattr(hostile, edition_name)
    policy, pages = csp.meta_policy(), _pages(site)
    assert len(pages) > 40
    allowed_scripts = set(csp.stored_hashes()["scripts"])
    for path in pages:
        rel = path.relative_to(site).as_posix()
        found = _scan(path)
        assert not found.handlers, f"{rel}: event handler attributes {found.handlers[:3]}"
        assert not found.forbidden, f"{rel}: {found.forbidden[:3]}"
        for tag, name, value in found.urls:
            parts = urlsplit(value.strip())
            assert parts.scheme in ("", "http", "https", "mailto", "tel"), f"{rel}: <{tag} {name}={value!r}>"
            assert not value.strip().startswith("//") and EVIL not in (parts.hostname or ""), f"{rel}: {value}"
        csp_metas = [m for m in found.metas if m["http-equiv"].lower() == "content-security-policy"]
        assert [m["content"] for m in csp_metas] == [policy], f"{rel}: one meta CSP, the nginx policy"
        others = [m for m in found.metas if m not in csp_metas]
        refresh_home = edition_name == "kiosk" and rel == "404.html" and len(others) == 1
        assert not others or (refresh_home and EVIL not in others[0]["content"]), f"{rel}: {others}"
        for attributes, text in found.scripts:
            if attributes.get("src"):
                assert not urlsplit(attributes["src"]).netloc, f"{rel}: script from another host"
            elif attributes.get("type") in ("application/json", "application/ld+json"):
                json.loads(text)  # data that stays data: a payload cannot end the element early
            else:
                assert csp.sha256(text) in allowed_scripts, f"{rel}: inline script not in the policy: {text[:80]}"
        for name in RESERVED_IDS:
            assert found.ids.count(name) <= 1, f"{rel}: two elements with id {name}"
        assert not [i for i in found.ids if i.startswith(("__config", "kiosk-config")) and i not in RESERVED_IDS]


def _story_page(site: Path, folder: str) -> Path:
    return next((site / folder).glob("hostile-*/index.html"))


def test_every_payload_field_is_shown_as_text(hostile):
    from hostile import payload

    page = _story_page(hostile.public, "officials")
    found = _scan(page)
    text = page.read_text(encoding="utf-8")
    title = "标题0" + payload(0)
    assert f"<h1>{_html_text(title)}</h1>" in text
    assert f"<title>{_html_text(title)} - " in text
    assert title in found.attribute_values("content"), "og:title is the title as an attribute value"
    assert "title:" + title.replace(",", "，") in found.attribute_values("data-pagefind-meta")
    for value in ("官职" + payload(6), "来源" + payload(7), payload(8), payload(9), payload(10)):
        assert _html_text(value) in text, value
    timeline = (hostile.public / "timeline" / "index.html").read_text(encoding="utf-8")
    assert _html_text("姓名" + payload(5)) in timeline
    # the story's body cannot claim the configuration's ids (DOM clobbering)
    assert f'id="{ID_PREFIX}kiosk-config"' in text and f'id="{ID_PREFIX}__config"' in text
    for folder in ("units", "letters"):  # a comma would start another Pagefind field (url:, image:)
        values = _scan(_story_page(hostile.public, folder)).attribute_values("data-pagefind-meta")
        assert values and all("," not in v and "\\" not in v for v in values), values
    unit = _story_page(hostile.public, "units").read_text(encoding="utf-8")
    for value in (payload(14), payload(15), payload(16), "单位" + payload(13)):
        assert _html_text(value) in unit, value


def _html_text(text: str) -> str:
    """How Jinja's autoescape writes `text` (markupsafe.escape)."""
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )


def test_feeds_sitemap_and_charts_are_well_formed_with_payloads(hostile):
    from hostile import payload

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(hostile.public / "feeds" / "all.xml").getroot()
    titles = [e.text for e in feed.findall("a:entry/a:title", ns)]
    assert "标题0" + payload(0) in titles
    ET.parse(hostile.public / "sitemap.xml")
    dashboard = (hostile.public / "dashboard" / "index.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg class=\"ql-svg\".*?</svg>", dashboard, re.S)
    labels = [e.text for svg in svgs for e in ET.fromstring(svg).iter() if e.text]
    assert "零阳" + payload(17) in labels and "机关" + payload(18) in labels
    config = _scan(next(hostile.kiosk.glob("officials/hostile-*/index.html")))
    kiosk_config = next(json.loads(t) for a, t in config.scripts if a.get("id") == "kiosk-config")
    assert EVIL not in json.dumps(kiosk_config)


# ---- Chromium: every kind of page, both editions and the kiosk ------------------------------------

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


def _page_kinds(site: Path) -> list[str]:
    """One address of each kind of page built from the hostile stories (story, lists, terms, views)."""
    paths = [
        "",
        "officials/",
        "letters/",
        "units/",
        "tags/",
        "townships/",
        "unit-types/",
        "eras/",
        "timeline/",
        "dashboard/",
        "campaign/",
        "townships/lingyang/",
        "unit-types/organ/",
        "eras/xinzhongguo/",
    ]
    paths += [p.parent.relative_to(site).as_posix() + "/" for p in site.glob("*/hostile-*/index.html")]
    tags = sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / "tags").glob("*/index.html"))
    paths += tags[:3]
    return [p for p in paths if (site / p / "index.html").is_file() or p == ""]


@pytest.mark.parametrize("edition_name", ["public", "kiosk"])
def test_no_payload_runs_navigates_or_loads_in_chromium(browser, hostile, edition_name):
    site = getattr(hostile, edition_name)
    paths = _page_kinds(site)
    if edition_name == "public":
        paths += ["zh-hant/" + p for p in paths]
    assert len(paths) >= (36 if edition_name == "public" else 18), paths
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    dialogs, off_site, violations = [], [], []
    requests = record_requests(context)
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    context.add_init_script(WATCH)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    try:
        with serve_dir(site) as base:
            page.on(
                "framenavigated",
                lambda frame: (
                    frame == page.main_frame and not frame.url.startswith(base) and off_site.append(frame.url)
                ),
            )
            for path in paths:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(150)  # a meta refresh of 0 s or a timer would have fired
                violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations || []")]
                assert page.url.startswith(base), f"{path} left the site for {page.url}"
                # the configuration the site's scripts read is the template's, whatever the story defines
                assert page.evaluate("document.querySelectorAll('#__config').length") <= 1
            if edition_name == "public":
                _use_the_public_page(page, base, paths, violations)
            else:
                _use_the_kiosk(page, base, violations)
    finally:
        context.close()
    assert dialogs == [], f"script from a payload ran: {dialogs}"
    assert off_site == [], off_site
    assert external_requests(requests) == [], external_requests(requests)
    assert violations == [], violations


def _use_the_public_page(page, base: str, paths: list[str], violations: list[str]) -> None:
    """Search for a payload, change the font size, switch to 繁體: the site's own scripts still work."""
    page.goto(base + "officials/")
    page.locator("input.md-search__input").first.click()
    page.keyboard.type("alert")
    page.wait_for_selector(".md-search-result__link", timeout=10_000)
    assert page.locator(".md-search-result__link").count() >= 1
    hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert all(href.startswith(base) for href in hrefs), hrefs
    page.keyboard.press("Escape")
    page.locator("[data-ql-size='2']").first.click()
    assert page.evaluate("document.documentElement.getAttribute('data-ql-size')") == "2"
    # heading anchors: the table of contents links to the prefixed id; a plain #name still scrolls there
    story = next(p for p in paths if p.startswith("officials/hostile-"))
    page.goto(base + story + "#第二节")
    page.wait_for_load_state("networkidle")
    assert page.locator(f"nav.md-nav--secondary a[href='#{ID_PREFIX}第二节']").count() == 1
    top = page.evaluate(f"document.getElementById('{ID_PREFIX}第二节').getBoundingClientRect().top")
    assert 0 <= top < 900, "the heading was scrolled into view"
    # the timeline's bars are drawn to scale without a style="" attribute (the CSP allows none)
    page.goto(base + "timeline/")
    bars = page.eval_on_selector_all(
        ".ql-tl__life", "bars => bars.map(b => [b.style.width, b.getAttribute('data-ql-width') + '%'])"
    )
    assert bars and all(width == expected for width, expected in bars), bars
    page.goto(base + "officials/")
    page.locator("[data-ql-set='hant']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/zh-hant/" in page.url
    violations += page.evaluate("window.__cspViolations || []")


def _use_the_kiosk(page, base: str, violations: list[str]) -> None:
    """Kiosk search with the on-screen keyboard, on a story page whose body defines id="kiosk-config"."""
    page.goto(urljoin(base, "officials/"))
    page.locator("[data-kiosk-search-open]").first.click()
    for letter in "alert":
        page.locator(f"[data-key='{letter}']").click()
    page.wait_for_selector(".kiosk-result", timeout=10_000)
    assert page.locator(".kiosk-result").count() >= 1
    assert (
        page.evaluate("document.querySelectorAll('.kiosk-result__excerpt img, .kiosk-result__excerpt svg').length") == 0
    )
    violations += page.evaluate("window.__cspViolations || []")

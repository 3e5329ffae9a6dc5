"""What search engines, feed readers and share cards read, on built pages of both editions (简体 and 繁體):
descriptions, the share picture, JSON-LD, lang/og:locale, hreflang, feed links, robots.txt and the sitemap;
and the W3C Nu HTML checker over the pages issue 18 names, with 0 errors."""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, build_output, build_site, copy_project, in_ci, record_requests
from qinglian.content import hant
from qinglian.outputs import editions, feeds, offline
from qinglian.site import seo, ui
from qinglian.site.pages import plan_site

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's address when SITE_URL is not set (the built_site fixture)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
MATERIAL = Path(__import__("material").__file__).parent / "templates"
VNU_JAR = REPO / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"  # the Makefile's VNU_JAR
SHARE_MAX_BYTES = 300 * 1024


@pytest.fixture(scope="module")
def real_plan():
    return plan_site(REPO)


@pytest.fixture(scope="module")
def plan(fixture_project):
    return plan_site(fixture_project)  # the stories built_site was built from


def _soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def _page_file(url: str) -> str:
    return (url + "index.html") if url.endswith("/") or not url else url


def _jsonld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def _both(rel: str) -> list[tuple[str, str]]:
    """(edition's language, page path) of a page and its 繁體 twin."""
    return [(seo.HANS, rel), (seo.HANT, f"{editions.PREFIX}/{rel}")]


def _converter(plan, story=None):
    """The mirror's conversion of a page's text: the project's exceptions, and a story's own (its `hant` field)."""
    phrases = {**plan.content.data.hant_phrases, **((story.meta.get("hant") or {}) if story else {})}
    return lambda text: hant.to_traditional(text, phrases)


def _html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


def png(width: int, height: int, rgb: tuple[int, int, int] = (158, 27, 27)) -> bytes:
    """A real PNG of one colour, written with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# ---- descriptions ---------------------------------------------------------------------------------------------


def test_each_story_describes_itself_in_both_editions(built_site, plan):
    for story in plan.content.stories:
        summary = story.meta["summary"]
        for lang, rel in _both(_page_file(story.url)):
            soup = _soup(built_site, rel)
            expected = summary if lang == seo.HANS else _converter(plan, story)(summary)
            assert _meta(soup, "description") == expected, rel
            assert _meta(soup, "og:description") == expected, rel
            assert _meta(soup, "twitter:description") == expected, rel


def test_lists_describe_themselves(built_site, plan):
    for key, page in plan.pages.items():
        context = page.context
        if "collection" in context:
            expected = context["collection"].description
        elif "taxonomy" in context and key.endswith("index.md"):
            expected = context["taxonomy"].description
        else:
            continue
        soup = _soup(built_site, key.replace(".md", ".html"))
        assert _meta(soup, "description") == expected == _meta(soup, "og:description"), key
    descriptions = {
        _meta(_soup(built_site, page.src_uri.replace(".md", "/index.html")), "description")
        for page in plan.pages.values()
        if "term" in page.context
    }
    assert len(descriptions) == len([p for p in plan.pages.values() if "term" in p.context])  # each its own


# ---- the share picture ----------------------------------------------------------------------------------------


def test_every_page_shares_a_real_picture_by_absolute_address(built_site):
    checked = set()
    for rel in _html_pages(built_site):
        soup = _soup(built_site, rel)
        image = _meta(soup, "og:image")
        assert image and image.startswith(SITE_URL), rel
        assert _meta(soup, "twitter:card") == "summary_large_image", rel
        assert _meta(soup, "twitter:image") == image, rel
        if image in checked:
            continue
        checked.add(image)
        path = built_site / urlsplit(image).path.lstrip("/")
        assert path.is_file(), image
        mime, width, height = seo.raster_info(path)
        assert (mime, str(width), str(height)) == (
            _meta(soup, "og:image:type"),
            _meta(soup, "og:image:width"),
            _meta(soup, "og:image:height"),
        ), rel
        assert min(width, height) >= 300 and path.stat().st_size < SHARE_MAX_BYTES, image


def test_share_card_is_a_png_platforms_accept():
    path = REPO / "docs" / seo.SHARE_CARD
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 630) and len(data) < SHARE_MAX_BYTES


def test_raster_info_reads_png_and_jpeg_headers(tmp_path):
    (tmp_path / "a.png").write_bytes(png(640, 360))
    # a JPEG's frame header after an APP0 segment: SOI, APP0 (16 bytes), SOF0 (height 480, width 800)
    jpeg = b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    jpeg += b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 480, 800) + b"\x03" + b"\x00" * 9 + b"\xff\xd9"
    (tmp_path / "b.jpg").write_bytes(jpeg)
    (tmp_path / "c.svg").write_text("<svg/>")
    assert seo.raster_info(tmp_path / "a.png") == ("image/png", 640, 360)
    assert seo.raster_info(tmp_path / "b.jpg") == ("image/jpeg", 800, 480)
    assert seo.raster_info(tmp_path / "c.svg") is None
    assert seo.raster_info(tmp_path / "missing.png") is None


def test_drawn_cover_comes_before_the_card(tmp_path, plan, monkeypatch):
    """Where a story has no cover of its own, its drawn cover (seo.drawn_cover, the design's covers once they land)
    is shared; a missing or too small one gives way to the site's card."""
    story = next(s for s in plan.content.stories if not s.meta.get("cover"))
    docs = tmp_path / "docs"
    (docs / "assets/covers").mkdir(parents=True)
    (docs / "assets/covers/drawn.png").write_bytes(png(800, 800))
    (docs / "assets/covers/tiny.png").write_bytes(png(200, 200))
    shutil.copytree(REPO / "docs/assets/images/share", docs / "assets/images/share")
    config = {"site_name": "站", "site_url": SITE_URL, "docs_dir": str(docs)}
    for drawn, expected in (
        ("assets/covers/drawn.png", "assets/covers/drawn.png"),
        ("assets/covers/tiny.png", seo.SHARE_CARD),
        (None, seo.SHARE_CARD),
    ):
        monkeypatch.setattr(seo, "drawn_cover", lambda _story, drawn=drawn: drawn)
        assert seo.Signals(plan, config).share_image(story).path == expected, drawn


# ---- a story with a cover and a hostile title -----------------------------------------------------------------

HOSTILE = "</script><script>alert(1)</script>\"'&"
HOSTILE_SUMMARY = "他说\"清廉\"<b>不</b>&amp; '二字'。"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A copy of the project whose first story has a 600×400 cover and a title that tries to end the JSON-LD."""
    tmp = tmp_path_factory.mktemp("seo")
    root = copy_project(tmp / "project")
    story = next(p for p in sorted((root / "stories").glob("*/*.md")) if not p.parent.name.startswith("_"))
    (root / "docs/assets/images").mkdir(parents=True, exist_ok=True)
    (root / "docs/assets/images/seo-cover.png").write_bytes(png(600, 400))
    text = story.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)[1]
    summary = re.search(r"^summary: (.*)$", text, re.M)[1]
    text = text.replace(
        f"title: {title}\n",
        f"title: {json.dumps(title + HOSTILE, ensure_ascii=False)}\n"
        "cover: assets/images/seo-cover.png\ncover_alt: 测试封面\n",
        1,
    ).replace(f"summary: {summary}\n", f"summary: {json.dumps(HOSTILE_SUMMARY, ensure_ascii=False)}\n", 1)
    story.write_text(text, encoding="utf-8")
    site = tmp / "site"
    proc = build_site(root / "mkdocs.yml", site, cwd=root)
    assert proc.returncode == 0, build_output(proc)
    rel = story.relative_to(root / "stories").with_suffix("").as_posix() + "/index.html"
    return site, rel, title + HOSTILE


def test_hostile_title_stays_inside_its_json(hostile_site, plan):
    site, rel, title = hostile_site
    for lang, page in _both(rel):
        raw = (site / page).read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)
        assert blocks and all("<" not in block for block in blocks), page  # nothing can close the element
        soup = BeautifulSoup(raw, "html.parser")
        # no script element in <head> came from the title (the body is left to Jinja's autoescape)
        assert not [s for s in soup.head.find_all("script") if (s.string or "").strip() == "alert(1)"], page
        article = next(d for d in _jsonld(soup) if d["@type"] in ("Article", "CreativeWork"))
        expected = title if lang == seo.HANS else _converter(plan)(title)
        assert soup.title.string.startswith(expected), page  # the share title is the whole title, as text
        assert article["headline"] == expected, page
        assert _meta(soup, "og:title") == expected, page  # escaped in the attribute, read back as text
        summary = HOSTILE_SUMMARY if lang == seo.HANS else _converter(plan)(HOSTILE_SUMMARY)
        assert _meta(soup, "description") == summary == _meta(soup, "og:description") == article["description"]
        assert not soup.head.find("b"), page  # the summary's <b> is text in an attribute, not an element


def test_a_story_shares_its_own_cover(hostile_site):
    site, rel, _title = hostile_site
    soup = _soup(site, rel)
    assert _meta(soup, "og:image") == SITE_URL + "assets/images/seo-cover.png"
    assert (_meta(soup, "og:image:width"), _meta(soup, "og:image:height")) == ("600", "400")
    assert _meta(soup, "og:image:alt") == "测试封面"


def test_script_json_cannot_end_its_element():
    text = str(seo.script_json({"headline": HOSTILE, "x": "a<!--b"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": HOSTILE, "x": "a<!--b"}


# ---- structured data ------------------------------------------------------------------------------------------


def test_story_json_ld_in_both_editions(built_site, plan):
    for story in plan.content.stories:
        for lang, rel in _both(_page_file(story.url)):
            soup = _soup(built_site, rel)
            data = _jsonld(soup)
            assert len(data) == 1, rel
            article = data[0]
            assert article["@context"] == "https://schema.org"
            historical = story.collection.key == "letters" and not story.meta.get("consent")
            assert article["@type"] == ("CreativeWork" if historical else "Article"), rel
            convert = (lambda s: s) if lang == seo.HANS else _converter(plan, story)
            assert article["headline"] == convert(story.title)
            assert article["description"] == convert(story.meta["summary"])
            assert article["inLanguage"] == lang
            published = datetime.date.fromisoformat(article["datePublished"])
            assert published <= datetime.date.fromisoformat(article["dateModified"]) <= datetime.date.today()
            if story.meta.get("date"):
                assert published == datetime.date.fromisoformat(str(story.meta["date"]))
            canonical = soup.find("link", rel="canonical")["href"]
            assert article["url"] == canonical == _meta(soup, "og:url"), rel
            collection, website = article["isPartOf"]
            prefix = "" if lang == seo.HANS else editions.PREFIX + "/"
            assert collection["url"] == f"{SITE_URL}{prefix}{story.collection.key}/"
            assert website["@type"] == "WebSite" and website["url"] == SITE_URL + prefix
            assert [c["name"] for c in article.get("citation", [])] == [
                convert(s["title"]) for s in story.meta.get("sources") or []
            ]
            about = {"officials": "Person", "units": "Organization"}.get(story.collection.key)
            if about:
                assert article["about"]["@type"] == about


def test_home_declares_the_site_and_its_search(built_site):
    for lang, rel in _both("index.html"):
        data = _jsonld(_soup(built_site, rel))
        site = next(d for d in data if d["@type"] == "WebSite")
        prefix = "" if lang == seo.HANS else editions.PREFIX + "/"
        assert site["url"] == SITE_URL + prefix and site["inLanguage"] == lang
        action = site["potentialAction"]
        assert action["@type"] == "SearchAction"
        assert action["target"]["urlTemplate"] == f"{SITE_URL}{prefix}?q={{search_term_string}}"
        assert action["query-input"] == "required name=search_term_string"


def test_search_box_opens_with_the_address_query(page, site_server, plan):
    """The SearchAction's address works: ?q=<a story's name> opens the header box with that story found."""
    story = next(s for s in plan.content.stories if s.collection.key == "officials")
    page.goto(site_server + "?q=" + story.meta["name"])
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    assert page.input_value("input.md-search__input") == story.meta["name"]
    assert page.is_checked("#__search")
    assert story.title in page.inner_text(".md-search-result__list")


# ---- language, alternates and feeds ----------------------------------------------------------------------------


def test_each_edition_names_its_script_and_twin(built_site):
    for rel in _html_pages(built_site):
        if rel.startswith(editions.PREFIX + "/"):
            continue
        url = "" if rel == "index.html" else rel.removesuffix("index.html")
        alternates = {
            seo.HANS: SITE_URL + url,
            seo.HANT: f"{SITE_URL}{editions.PREFIX}/{url}",
            "x-default": SITE_URL + url,
        }
        for lang, page in _both(rel):
            soup = _soup(built_site, page)
            assert soup.html["lang"] == lang, page
            assert _meta(soup, "og:locale") == seo.OG_LOCALE[lang], page
            links = {a["hreflang"]: a["href"] for a in soup.find_all("link", rel="alternate", hreflang=True)}
            assert links == alternates, page
        assert (built_site / editions.PREFIX / rel).is_file()


def test_feeds_are_discoverable(built_site, plan):
    feed_titles = dict(ui.UI["feeds"])
    story = plan.content.stories[0]
    for lang, rel in _both("index.html") + _both(_page_file(story.url)):
        soup = _soup(built_site, rel)
        links = soup.find_all("link", rel="alternate", type="application/atom+xml")
        addresses = [urljoin(SITE_URL + rel, link["href"]) for link in links]  # as a feed reader resolves them
        expected = ["all"] + ([story.collection.key] if story.url in rel else [])
        assert addresses == [SITE_URL + feeds.feed_path(key) for key in expected], rel
        for link, address in zip(links, addresses):
            path = built_site / urlsplit(address).path.lstrip("/")
            ET.parse(path)  # a real Atom file
            title = feed_titles[path.stem]
            assert link["title"] == (title if lang == seo.HANS else _converter(plan)(title))


def test_material_does_not_fetch_a_sitemap_beside_each_alternate_link(built_site, page, site_server):
    bundle = next((built_site / "assets/javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert offline.ALTERNATE_SELECTOR[0] not in bundle and offline.ALTERNATE_SELECTOR[1] in bundle
    requests = record_requests(page)
    for address in ("", f"{editions.PREFIX}/"):
        page.goto(site_server + address)
        page.wait_for_load_state("networkidle")
    assert [url for url in requests if url.endswith("sitemap.xml")] == []


# ---- robots.txt and the sitemap ---------------------------------------------------------------------------------


def test_robots_names_the_sitemap(built_site):
    lines = (built_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE_URL}sitemap.xml" in lines
    assert "Sitemap:" not in seo.robots_txt(None).decode()  # no address: no sitemap line (it must be absolute)


def test_sitemap_lists_both_editions_with_content_dates_and_alternates(real_site, real_plan):
    """On the repository's own site: the content dates come from its git history (a project copy has none)."""
    built_site, plan = real_site, real_plan
    root = ET.parse(built_site / "sitemap.xml").getroot()
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        loc = url.find(f"{SITEMAP}loc").text
        links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        entries[loc] = (url.find(f"{SITEMAP}lastmod").text, links)
        assert set(links) == {seo.HANS, seo.HANT, "x-default"} and loc in (links[seo.HANS], links[seo.HANT])
        path = built_site / _page_file(urlsplit(loc).path.lstrip("/"))
        assert path.is_file(), loc
    assert {urlsplit(loc).path.lstrip("/") for loc in entries} == {
        p.removesuffix("index.html") for p in _html_pages(built_site)
    }  # every page of both editions, once
    git = feeds.git_dates(REPO, ("stories", "docs", "data"))
    for story in plan.content.stories:
        published, modified = seo.story_dates(story, git)
        for prefix in ("", editions.PREFIX + "/"):
            lastmod, _links = entries[SITE_URL + prefix + story.url]
            assert lastmod == modified.isoformat()
            article = _jsonld(_soup(built_site, prefix + _page_file(story.url)))[0]
            assert article["dateModified"] == lastmod
    for key, stories in plan.catalog.by_collection.items():
        newest = max(seo.story_dates(s, git)[1] for s in stories).isoformat()
        assert entries[f"{SITE_URL}{key}/"][0] == newest


# ---- the copies of Material's templates -------------------------------------------------------------------------

# Each copy: the lines that differ from Material 9.8.1's own (besides its opening comment).
MATERIAL_COPIES = {
    "base.html": [
        ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
        ('id="__search" autocomplete="off">', 'id="__search">'),
    ],
    "partials/nav-item.html": [('tabindex="{{ tabindex }}"', '{% if tabindex %}tabindex="{{ tabindex }}"{% endif %}')],
    "partials/toc.html": [
        (
            '<label class="md-nav__title" for="__toc">',
            '<label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>',
        )
    ],
}


def _without_opening_comment(text: str) -> str:
    return text[text.index("-#}") + 4 :] if text.startswith("{#") else text


@pytest.mark.parametrize("name", sorted(MATERIAL_COPIES))
def test_material_copies_differ_only_by_their_fixes(name):
    """The overrides are copies of Material 9.8.1's templates; after an upgrade they must be copied again."""
    assert metadata.version("mkdocs-material") == "9.8.1"
    upstream = _without_opening_comment((MATERIAL / name).read_text(encoding="utf-8"))
    for old, new in MATERIAL_COPIES[name]:
        assert old in upstream, f"Material's {name} changed: {old}"
        upstream = upstream.replace(old, new)
    ours = _without_opening_comment((REPO / "docs/overrides" / name).read_text(encoding="utf-8"))
    assert "9.8.1" in (REPO / "docs/overrides" / name).read_text(encoding="utf-8")[:300]
    diff = list(difflib.unified_diff(upstream.splitlines(), ours.splitlines(), lineterm=""))
    assert diff == [], "\n".join(diff)


# ---- the W3C Nu HTML checker ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kiosk_home(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("seo-kiosk") / "site-kiosk"
    proc = build_site(REPO / "kiosk.yml", site, cwd=REPO)
    assert proc.returncode == 0, build_output(proc)
    return site / "index.html"


def _vnu() -> list[str]:
    java = shutil.which("java")
    if java and VNU_JAR.is_file():
        return [java, "-jar", str(VNU_JAR)]
    reason = f"the W3C checker needs java and {VNU_JAR.relative_to(REPO)} (`make test` installs both)"
    if in_ci():
        pytest.fail(reason + "; in CI a missing checker is a failure", pytrace=False)
    pytest.skip(reason)


def test_w3c_checker_finds_no_errors(built_site, plan, kiosk_home):
    command = _vnu()
    pages = ["index.html", "officials/index.html", "dashboard/index.html", f"{editions.PREFIX}/index.html"]
    for key in plan.catalog.by_collection:
        stories = plan.catalog.by_collection[key]
        if stories:
            pages.append(_page_file(stories[0].url))
    files = [str(built_site / p) for p in pages] + [str(kiosk_home)]
    proc = subprocess.run(
        [*command, "--format", "json", "--stdout", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    messages = json.loads(proc.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in errors)
    assert len(files) == 8  # home, officials/, dashboard, 繁體 home, a story of each of the 3 collections, kiosk home

"""Build-level tests of the reading features: the 繁體 mirror, feeds, sitemap, exports and the campaign pages.

They read the session's built site (`built_site`) and compare it with the real content, counted here
through the generator's own model (plan_site), never with hard-coded totals.
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from qinglian.content import hant
from qinglian.content.contract import COLLECTIONS, COMMON_FIELDS
from qinglian.outputs import editions, exports
from qinglian.site import charts, ui
from qinglian.site.pages import plan_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url (SITE_URL unset in tests)


@pytest.fixture(scope="module")
def plan(fixture_project):
    return plan_site(fixture_project)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def _text(page_html: str) -> str:
    """Visible-ish text: tags, scripts and styles removed."""
    page_html = re.sub(r"<(script|style)\b.*?</\1>", "", page_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page_html))


# ---- 简/繁 ------------------------------------------------------------------------------------


def test_phrase_level_conversion():
    """Phrases decide the character: 头发 is 頭髮 but 发现 is 發現; 干部 幹部 but 干净 乾淨."""
    assert hant.to_traditional("头发") == "頭髮"
    assert hant.to_traditional("发现问题") == "發現問題"
    assert hant.to_traditional("干部") == "幹部"
    assert hant.to_traditional("干净") == "乾淨"
    assert hant.to_traditional("清廉慈利") == "清廉慈利"
    assert hant.to_traditional("但愿为读书明理之君子") == "但願為讀書明理之君子"  # the usual glyph 為, not 爲
    assert hant.to_traditional("信息") == "信息"  # characters change, words do not


def test_mirror_rewrites_each_kind_of_url():
    """Pages stay relative (so lead to mirror pages), assets and language-named links keep their target."""
    source = (
        '<html lang="zh-Hans"><link rel="stylesheet" href="../../assets/a.css">'
        '<a href="../../letters/">家书</a> <a href="#fn">注</a> <a href="https://example.org/">外</a>'
        '<a class="x" href="../../officials/y/" hreflang="zh-Hans">简</a><img src="../../assets/i.png" alt="图">'
    )
    pages = {"index.html", "letters/index.html", "officials/x/index.html", "officials/y/index.html"}
    out = editions.mirror_page(source, "officials/x/index.html", pages, SITE_URL)
    assert '<html lang="zh-Hant"' in out and ">家書<" in out
    assert 'href="../../../assets/a.css"' in out and 'src="../../../assets/i.png"' in out
    assert 'href="../../letters/"' in out and 'href="#fn"' in out and 'href="https://example.org/"' in out
    assert 'href="../../../officials/y/" hreflang="zh-Hans"' in out


def test_every_page_has_a_traditional_mirror(built_site):
    originals = [p for p in _pages(built_site) if not p.startswith("zh-hant/") and p not in editions.SKIP]
    assert len(originals) > 50
    missing = [p for p in originals if not (built_site / "zh-hant" / p).is_file()]
    assert missing == []


def test_mirror_is_traditional_and_links_back(built_site):
    home = _read(built_site, "zh-hant/index.html")
    assert '<html lang="zh-Hant"' in home
    text = _text(home)
    assert "歷代家訓" in text and "历代家训" not in text
    assert "清廉慈利" in text
    # the switch on a mirror page leads back to the Simplified page, marked as such
    story = _read(built_site, "zh-hant/letters/bao-zheng-jiaxun/index.html")
    switch = re.search(r'<a class="ql-switch__link" href="([^"]+)"[^>]*data-ql-set="hans"', story)
    assert switch and switch[1] == "../../../letters/bao-zheng-jiaxun/"
    original = _read(built_site, "letters/bao-zheng-jiaxun/index.html")
    assert re.search(r'href="../../zh-hant/letters/bao-zheng-jiaxun/"[^>]*data-ql-set="hant"', original)


def _broken_links(site: Path, rel: str) -> list[str]:
    page = _read(site, rel)
    here = posixpath.dirname(rel)
    broken = []
    for url in re.findall(r'(?:href|src)="([^"]*)"', page):
        url = html.unescape(url)
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("#", "/")):
            continue
        target = posixpath.normpath(posixpath.join(here, parts.path)) if parts.path else here
        if target.startswith(".."):
            broken.append(f"{url} (leaves the site)")
            continue
        path = site / target
        if not (path.is_file() or (path / "index.html").is_file()):
            broken.append(url)
    return broken


def test_relative_links_and_assets_resolve_in_both_editions(built_site):
    """The mirror is one folder deeper: every stylesheet, script, feed and page link must still resolve."""
    problems = {}
    for rel in _pages(built_site):
        if rel == "404.html":
            continue
        broken = _broken_links(built_site, rel)
        if broken:
            problems[rel] = broken[:5]
    assert problems == {}
    # and mirror pages link to mirror pages, but share the one copy of the assets
    story = _read(built_site, "zh-hant/officials/yuan-renyuan/index.html")
    assert 'href="../../../assets/stylesheets/qinglian.css"' in story
    assert 'href="../../letters/"' in story  # → /zh-hant/letters/
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', story, re.S)[1])
    assert config["base"] == "../../.."


def test_mirror_share_block_names_the_mirror_address(built_site):
    story = _read(built_site, "zh-hant/officials/yuan-renyuan/index.html")
    share = re.search(r'<aside class="ql-share".*?</aside>', story, re.S)[0]
    assert f"{SITE_URL}zh-hant/officials/yuan-renyuan/" in _text(share)
    assert f'data-ql-qr="{SITE_URL}zh-hant/officials/yuan-renyuan/"' in share  # the QR code too
    assert 'data-ql-qr-label="本頁地址的二維碼"' in share
    assert '<link rel="canonical" href="http://127.0.0.1:8000/zh-hant/officials/yuan-renyuan/">' in story


def test_sitemap_lists_generated_pages_and_traditional_choices(built_site, plan):
    root = ET.parse(built_site / "sitemap.xml").getroot()
    locs = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    expected = {"", "dashboard/", "timeline/", "townships/", "eras/", *(s.url for s in plan.content.stories)}
    for path in expected:
        assert SITE_URL + path in locs, path
        assert SITE_URL + "zh-hant/" + path in locs, "zh-hant/" + path
    assert len([loc for loc in locs if "/zh-hant/" in loc]) == len([loc for loc in locs if "/zh-hant/" not in loc])


# ---- feeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [key for key, _title in ui.UI["feeds"]])
def test_feed_is_valid_atom_with_the_right_stories(built_site, plan, key):
    path = built_site / "feeds" / f"{key}.xml"
    root = ET.parse(path).getroot()  # raises on invalid XML
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == dict(ui.UI["feeds"])[key]
    assert root.find(f"{ATOM}updated").text
    stories = plan.content.stories if key == "all" else plan.content.collection(key)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(len(stories), 50) and entries
    by_url = {SITE_URL + s.url: s for s in stories}
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        story = by_url[link]
        assert entry.find(f"{ATOM}title").text == story.title
        assert entry.find(f"{ATOM}summary").text == story.meta["summary"]
        assert entry.find(f"{ATOM}updated").text
        assert (built_site / story.url / "index.html").is_file()
    # linked where readers look for it: the home page (all) or the collection's own page
    where = "index.html" if key == "all" else f"{key}/index.html"
    assert re.search(rf'href="(\.\./)?feeds/{key}\.xml"', _read(built_site, where))


# ---- exports ----------------------------------------------------------------------------------


def test_csv_export_has_bom_contract_columns_and_every_story(built_site, plan):
    raw = (built_site / exports.CSV_PATH).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark to read Chinese"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    header = list(rows[0].keys())
    contract_fields = [f.name for f in COMMON_FIELDS] + [f.name for c in COLLECTIONS.values() for f in c.fields]
    assert set(contract_fields) <= set(header)
    assert header[:4] == ["collection", "collection_name", "slug", "url"]
    assert len(rows) == len(plan.content.stories)
    by_slug = {row["slug"]: row for row in rows}
    for story in plan.content.stories:
        row = by_slug[story.slug]
        assert row["title"] == story.title
        assert row["collection_name"] == story.collection.name
        if story.meta.get("sources"):
            assert story.meta["sources"][0]["title"] in row["sources"]


def test_json_export_matches_the_content(built_site, plan):
    data = json.loads((built_site / exports.JSON_PATH).read_text(encoding="utf-8"))
    assert data["count"] == len(plan.content.stories) == len(data["stories"])
    assert [c["name"] for c in data["columns"]] == exports.columns()
    letter = next(s for s in data["stories"] if s["slug"] == "zeng-guofan-yu-jihong")
    assert letter["written"] == 1856 and letter["collection"] == "letters"


# ---- campaign pages ---------------------------------------------------------------------------


def _table_rows(page_html: str, table_class_or_caption: str) -> list[list[str]]:
    table = next(t for t in re.findall(r"<table.*?</table>", page_html, re.S) if table_class_or_caption in t)
    rows = []
    for tr in re.findall(r"<tbody>.*?</tbody>", table, re.S)[0].split("<tr")[1:]:
        rows.append([_text(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)])
    return rows


def test_dashboard_charts_and_tables_match_the_content(built_site, plan):
    page = _read(built_site, "dashboard/index.html")
    campaign = charts.campaign(plan.catalog)
    target = plan.content.data.site["campaign"]["demonstration_target"]
    text = _text(page)
    assert ui.UI["campaign_fact"] % target in text and "待核实" in text  # the target, as a sourced fact
    if campaign.demonstrations:  # progress only when there is something to show: no "0 个 ／ 32" bar
        assert f"{ui.UI['demonstration_so_far']}：{len(campaign.demonstrations)} 个" in text
    assert page.count('<svg class="ql-svg') == 3 + bool(campaign.demonstrations)  # three bar charts, all inline
    units = plan.catalog.taxonomies["unit-types"].terms.values()
    assert _table_rows(page, ui.UI["per_unit_type"]) == [[t.name, str(len(t.stories))] for t in units]
    townships = _table_rows(page, ui.UI["per_township"])
    assert [name for name, _n in townships] == [t.name for t in charts.shown_townships(plan.catalog)]
    letters = _table_rows(page, ui.UI["letters_per_year"])
    assert sum(int(n) for _y, n in letters) == len(plan.content.collection("letters"))
    assert ["1856年", "1"] in letters
    for path in (exports.CSV_PATH, exports.JSON_PATH, "feeds/all.xml"):
        assert f'href="../{path}"' in page


def test_township_view_lists_all_townships_with_their_stories(built_site, plan):
    rows = _table_rows(_read(built_site, "townships/index.html"), "ql-townships")
    assert [r[0] for r in rows] == [t.name for t in charts.shown_townships(plan.catalog)]
    by_name = {r[0]: r for r in rows}
    for story in plan.content.stories:
        township = story.meta.get("township")
        if township:
            column = {"units": 1, "letters": 3, "officials": 4}[story.collection.key]
            assert by_name[plan.content.data.townships[township]["name"]][column] != ui.UI["none"]
    assert by_name["象市镇"][1] == str(
        len([s for s in plan.content.collection("units") if s.meta.get("township") == "xiangshi"])
    )


def test_timeline_places_every_official_in_their_era(built_site, plan):
    page = _read(built_site, "timeline/index.html")
    eras = re.findall(r'<li class="ql-tl__era.*?</li>\s*(?=<li class="ql-tl__era|</ol>)', page, re.S)
    with_people = {plan.content.data.era(s.meta["era"])["name"] for s in plan.content.collection("officials")}
    assert len(eras) == len(with_people)  # a band per era with someone in it
    quiet = re.search(r'<p class="ql-tl__quiet">.*?</p>', page, re.S)
    for era in plan.content.data.eras:  # the others are named in one line, not drawn as empty bands
        if era["name"] not in with_people:
            assert f">{era['name']}</a>" in quiet[0]
    for story in plan.content.collection("officials"):
        era_name = plan.content.data.era(story.meta["era"])["name"]
        block = next(e for e in eras if f">{era_name}</a>" in e)
        assert story.meta["name"] in _text(block)
        assert "ql-tl__life" in block
    assert "<script" not in re.search(r'<ol class="ql-tl">.*?</ol>', page, re.S)[0]


def test_story_page_shares_title_summary_and_qr(built_site, plan):
    story = next(s for s in plan.content.stories if s.slug == "xiangshi-moshi")
    page = _read(built_site, f"{story.url}index.html")
    assert f'<meta property="og:title" content="{html.escape(story.title, quote=True)}">' in page
    assert f'<meta property="og:description" content="{html.escape(story.meta["summary"], quote=True)}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card"' in page
    share = re.search(r'<aside class="ql-share".*?</aside>', page, re.S)[0]
    # the browser draws the code from these (share-qr.js; test_reading_browser decodes what it draws)
    assert f'data-ql-qr="{SITE_URL}{story.url}" data-ql-qr-label="本页地址的二维码"' in share
    assert SITE_URL + story.url in _text(share)
    assert "assets/javascripts/share-qr.js" in page


def test_dates_read_in_chinese():
    assert ui.cn_date("2024-05-01") == "2024年5月1日"
    assert ui.cn_date(1856) == "1856年"
    assert ui.year(-221) == "公元前221年"


def test_pages_have_meaningful_unique_titles_and_images_have_alt(built_site):
    titles: dict[str, str] = {}
    for rel in _pages(built_site):
        if rel.startswith("zh-hant/") or rel == "404.html":
            continue
        page = _read(built_site, rel)
        title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1]).strip()
        assert title.endswith("清廉慈利") and len(title) > len("清廉慈利"), (rel, title)
        assert title not in titles, f"{rel} and {titles.get(title)} share the title {title!r}"
        titles[title] = rel
        for img in re.findall(r"<img\b[^>]*>", page):
            if "assets/covers/" in img:  # a drawn title card repeats the title beside it: decorative, alt=""
                assert ' alt=""' in img, (rel, img)
                continue
            assert re.search(r'\salt="[^"]+"', img), (rel, img)


def test_404_page_offers_the_traditional_home(built_site):
    page = _read(built_site, "404.html")
    switch = re.search(r'<a class="ql-switch__link" href="([^"]+)"', page)[1]
    assert switch.rstrip("/").endswith("zh-hant")


@pytest.mark.slow
def test_cover_and_demonstration_show_in_sharing_home_and_dashboard(tmp_path):
    """A copy of the project where one unit story gets a (synthetic) cover and is marked as 示范点."""
    from test_seo import png

    from conftest import build_output, build_site, copy_fixture_project

    root = copy_fixture_project(tmp_path / "project")
    (root / "docs" / "assets" / "images").mkdir(parents=True, exist_ok=True)
    # 400×300: share cards take pictures from 300×300 up (a smaller cover gives way to the site's card)
    (root / "docs" / "assets" / "images" / "test-cover.png").write_bytes(png(400, 300))
    story = root / "stories" / "units" / "xiangshi-moshi.md"
    text = story.read_text(encoding="utf-8").replace(
        "featured: true\n",
        "featured: true\ncover: assets/images/test-cover.png\ncover_alt: 测试封面说明\ndemonstration: true\n",
        1,
    )
    story.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    proc = build_site(root / "mkdocs.yml", site, cwd=root)
    assert proc.returncode == 0, build_output(proc)

    page = (site / "units/xiangshi-moshi/index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:image" content="{SITE_URL}assets/images/test-cover.png">' in page
    assert '<meta property="og:image:alt" content="测试封面说明">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<img class="ql-card__cover" src="assets/images/test-cover.png" alt="测试封面说明"', home)
    dashboard = (site / "dashboard/index.html").read_text(encoding="utf-8")
    assert f"{ui.UI['demonstration_so_far']}：1 个" in _text(dashboard)
    assert 'class="ql-svg__bar"' in re.search(r'<svg class="ql-svg ql-svg--progress".*?</svg>', dashboard, re.S)[0]
    rows = _table_rows((site / "townships/index.html").read_text(encoding="utf-8"), "ql-townships")
    assert next(r for r in rows if r[0] == "象市镇")[2] == "1"

"""The site of the fixture stories (tests/fixtures/stories/), built once with `mkdocs build --strict` (session
fixture `built_site`): what readers see on the generated pages. One extra build (a copy with 200 synthetic stories) checks that a story page's
navigation does not grow with the archive."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURE_STORIES, build_output, build_site, copy_fixture_project, fixture_project_root
from contentkit import front_matter
from qinglian.content.contract import COLLECTIONS, COMMON_FIELDS, SLUG, SOURCE_FIELDS
from qinglian.content.load import load_content
from qinglian.site.catalog import build_catalog

CONTENT, _PROBLEMS = load_content(fixture_project_root())
STORIES = {s.url: s for s in CONTENT.stories}
CATALOG = build_catalog(CONTENT)
STORY_URL = re.compile(r"(?:^|/)(officials|letters|units)/[a-z0-9-]+/$")
CDN_HOSTS = ("fonts.googleapis", "fonts.gstatic", "unpkg", "jsdelivr", "cdnjs")


def soup(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    assert path.is_file(), f"missing page /{url}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolve(url: str, href: str) -> str:
    """A link on page /<url> as a site path without the leading slash ('' is the home page)."""
    return urlsplit(urljoin(f"http://site/{url}", href)).path.lstrip("/")


def meta_panel(page: BeautifulSoup) -> dict[str, str]:
    return {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in page.select(".ql-meta > div")}


def text(node) -> str:
    return node.get_text(" ", strip=True)


def test_the_fixture_content_is_valid():
    assert _PROBLEMS == []
    assert len(STORIES) == len(list(FIXTURE_STORIES.glob("*/*.md")))


@pytest.mark.parametrize("url", sorted(STORIES))
def test_each_story_has_its_page(built_site, url):
    story = STORIES[url]
    page = soup(built_site, url)
    assert text(page.select_one("article.ql-story h1")) == story.title
    assert story.title in text(page.title)
    kicker = page.select_one(".ql-kicker a")
    assert text(kicker) == story.collection.name and resolve(url, kicker["href"]) == f"{story.collection.key}/"
    panel = meta_panel(page)
    expected_label = {"officials": "时代", "letters": "写信人", "units": "单元类型"}[story.collection.key]
    assert expected_label in panel
    # the Markdown body is rendered, the front matter is not shown as text
    body = page.select_one(".ql-story__body")
    assert body is not None and text(body)
    assert "summary:" not in text(body)


@pytest.mark.parametrize("url", sorted(STORIES))
def test_sources_are_a_reference_list_with_their_urls(built_site, url):
    sources = STORIES[url].meta.get("sources") or []
    page = soup(built_site, url)
    if not sources:
        assert page.select_one(".ql-sources") is None
        return
    section = page.select_one("section.ql-sources")
    assert text(section.h2) == "资料来源"
    items = section.select("ol > li")
    assert len(items) == len(sources)
    for item, source in zip(items, sources):
        assert source["title"] in text(item)
        if source.get("url"):
            assert item.find("a", href=source["url"]) is not None
            assert source["url"] in text(item)  # readable on paper and on the kiosk too
        if source.get("year"):
            assert f"{source['year']}年" in text(item)


@pytest.mark.parametrize("url", sorted(STORIES))
def test_tags_link_to_pinyin_tag_pages(built_site, url):
    tags = STORIES[url].tags
    links = soup(built_site, url).select(".ql-tags a.ql-tag")
    assert [text(a) for a in links] == tags
    for link in links:
        target = resolve(url, link["href"])
        assert re.fullmatch(rf"tags/{SLUG}/", target), target
        tag_page = soup(built_site, target)
        assert text(tag_page.h1) == text(link)
        assert any(resolve(target, a["href"]) == url for a in tag_page.select(".ql-card a")), (target, url)


@pytest.mark.parametrize("url", sorted(STORIES))
def test_related_stories_are_other_existing_stories(built_site, url):
    cards = soup(built_site, url).select(".ql-related .ql-card a")
    shares_a_term = any(other is not STORIES[url] for term in CATALOG.terms_of(STORIES[url]) for other in term.stories)
    assert (1 <= len(cards) <= 5) if shares_a_term else cards == []  # nothing in common: no section
    targets = [resolve(url, a["href"]) for a in cards]
    assert targets == [s.url for s in STORIES[url].related]
    assert url not in targets
    assert len(set(targets)) == len(targets)
    for target, card in zip(targets, cards):
        assert target in STORIES, target
        assert text(card.select_one(".ql-card__title")) == STORIES[target].title


def test_official_panel_yuan_renyuan(built_site):
    page = soup(built_site, "officials/yuan-renyuan/")
    panel = meta_panel(page)
    assert panel["时代"] == "中华人民共和国"
    assert panel["生卒"] == "1898年—1986年"
    assert panel["官职"] == "中共中央纪委副书记"
    assert panel["乡镇"] == "三官寺土家族乡"
    links = {text(a): resolve("officials/yuan-renyuan/", a["href"]) for a in page.select(".ql-meta a")}
    assert links == {"中华人民共和国": "eras/xinzhongguo/", "三官寺土家族乡": "townships/sanguansi/"}
    note = page.select_one(".ql-unverified")
    assert note is not None and "史实待核实" in text(note)  # unverified: true


def test_verified_stories_show_no_unverified_note(built_site):
    for url, story in STORIES.items():
        shown = soup(built_site, url).select_one(".ql-unverified") is not None
        assert shown == bool(story.meta.get("unverified")), url


def test_letter_panel(built_site):
    panel = meta_panel(soup(built_site, "letters/zhuge-liang-jiezishu/"))
    assert panel["写信人"] == "诸葛亮"
    assert panel["关系"] == "父亲写给儿子"
    assert meta_panel(soup(built_site, "letters/zeng-guofan-yu-jihong/"))["写信时间"] == "1856年"


def test_unit_panel_links_unit_type_and_township(built_site):
    url = "units/xiangshi-moshi/"
    page = soup(built_site, url)
    panel = meta_panel(page)
    assert panel["单位"].startswith("象市镇")
    assert panel["单元类型"] == "清廉村居"
    assert panel["乡镇"] == "象市镇"
    links = {resolve(url, a["href"]) for a in page.select(".ql-meta a")}
    assert links == {"unit-types/village/", "townships/xiangshi/"}
    highlights = [text(li) for li in page.select(".ql-highlights li")]
    assert highlights == STORIES[url].meta["highlights"]
    hall = meta_panel(soup(built_site, "units/qinglian-dating/"))
    assert hall["单元类型"] == "清廉大厅" and "乡镇" not in hall  # no township given, none shown


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_collection_index_lists_its_stories(built_site, key):
    url = f"{key}/"
    page = soup(built_site, url)
    assert text(page.h1) == COLLECTIONS[key].name
    listed = [resolve(url, a["href"]) for a in page.select(".ql-cards .ql-card > a")]
    expected = [u for u, s in STORIES.items() if s.collection.key == key]
    assert sorted(listed) == sorted(expected)
    assert f"共 {len(expected)} 篇" in text(page.select_one(".ql-count"))


def test_unit_types_page_lists_all_ten_with_descriptions(built_site):
    page = soup(built_site, "unit-types/")
    items = page.select("ul.ql-terms > li")
    names = [text(li.strong) for li in items]
    assert names == [v["name"] for v in CONTENT.data.unit_types.values()] and len(names) == 10
    for li, info in zip(items, CONTENT.data.unit_types.values()):
        assert info["description"] in text(li)


@pytest.mark.parametrize("key", list(CONTENT.data.unit_types))
def test_each_unit_type_has_a_page_even_when_empty(built_site, key):
    url = f"unit-types/{key}/"
    page = soup(built_site, url)
    info = CONTENT.data.unit_types[key]
    assert text(page.h1) == info["name"]
    assert info["description"] in text(page)
    stories = [u for u, s in STORIES.items() if s.meta.get("unit_type") == key]
    listed = [resolve(url, a["href"]) for a in page.select(".ql-card > a")]
    assert sorted(listed) == sorted(stories)
    empty = page.select_one(".ql-empty")
    assert (empty is not None) == (not stories)
    if empty:
        assert "这里还没有故事" in text(empty)
        assert empty.find("a") is not None  # the empty state leads somewhere


def test_every_township_has_a_page(built_site):
    assert CONTENT.data.townships
    index = text(soup(built_site, "townships/"))
    for key, info in CONTENT.data.townships.items():
        page = soup(built_site, f"townships/{key}/")
        assert text(page.h1) == info["name"]
        assert info["name"] in index
    listed = [
        resolve("townships/xiangshi/", a["href"])
        for a in soup(built_site, "townships/xiangshi/").select(".ql-card > a")
    ]
    assert "units/xiangshi-moshi/" in listed


def test_eras_page_is_a_timeline_in_time_order(built_site):
    page = soup(built_site, "eras/")
    eras = page.select("ol.ql-timeline > li")
    assert [text(li.strong) for li in eras] == [e["name"] for e in CONTENT.data.eras]
    new_china = eras[-1]
    assert "至今" in text(new_china)
    assert [resolve("eras/", a["href"]) for a in new_china.select("ul a")] == ["officials/yuan-renyuan/"]
    for era in CONTENT.data.eras:
        assert text(soup(built_site, f"eras/{era['key']}/").h1) == era["name"]


def test_home_page_leads_to_everything(built_site):
    page = soup(built_site, "")
    targets = {resolve("", a["href"]) for a in page.select("article a[href]")}
    for target in ("officials/", "letters/", "units/", "townships/", "eras/", "campaign/"):
        assert target in targets, target
    for key in CONTENT.data.unit_types:
        assert f"unit-types/{key}/" in targets
    target = CONTENT.data.site["campaign"]["demonstration_target"]
    assert f"计划打造清廉建设示范点 {target} 个" in text(page)  # the campaign's target, stated as a sourced fact
    featured = {resolve("", a["href"]) for a in page.select("section[aria-labelledby=ql-featured] .ql-card > a")}
    assert featured == {u for u, s in STORIES.items() if s.meta.get("featured")}


def _nav(page: BeautifulSoup, url: str) -> str:
    """The page's navigation HTML, links made absolute so pages in different folders compare equal."""
    navs = page.select("nav.md-tabs, nav.md-nav--primary")
    for a in (a for nav in navs for a in nav.select("a[href]")):
        a["href"] = "/" + resolve(url, a["href"])
    return "".join(str(n) for n in navs)


def test_story_pages_are_not_in_the_navigation(built_site):
    navs = {}
    for url in STORIES:
        page = soup(built_site, url)
        nav = page.select("nav.md-tabs, nav.md-nav--primary")
        assert nav, url
        links = [resolve(url, a["href"]) for n in nav for a in n.select("a[href]")]
        assert not [link for link in links if STORY_URL.search(link)], (url, links)
        navs[url] = _nav(page, url)
    # stories at the same depth carry the very same navigation: it does not depend on the story
    assert len({nav for url, nav in navs.items()}) == 1


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """A copy of the project with 200 more (synthetic) stories, built once."""
    root = copy_fixture_project(tmp_path_factory.mktemp("big") / "project")
    for n in range(200):
        collection = ("letters", "units", "officials")[n % 3]
        fields = {"title": f"测试故事第{n}篇", "summary": "测试摘要。", "tags": ["家风", f"测试标签{n % 7}"]}
        fields.update(
            {
                "letters": {"author": "测试写信人", "consent": True},
                "units": {"unit": "测试单位", "unit_type": "village", "township": "xiangshi"},
                "officials": {"name": "测试人物", "era": "xinzhongguo", "sources": [{"title": "测试资料"}]},
            }[collection]
        )
        path = root / "stories" / collection / f"ce-shi-{n:04d}.md"
        path.write_text(front_matter(fields) + "\n测试正文。\n", encoding="utf-8")
    site = root / "site"
    proc = build_site(root / "mkdocs.yml", site, cwd=root)
    assert proc.returncode == 0, build_output(proc)
    return site


@pytest.mark.slow
def test_story_page_size_stays_flat_as_stories_grow(built_site, big_site):
    url = "officials/yuan-renyuan/"
    small, big = soup(built_site, url), soup(big_site, url)
    assert _nav(big, url) == _nav(small, url)  # 200 stories more, the same navigation
    assert len(big.select(".ql-related .ql-card")) == 5
    for page in (small, big):
        for node in page.select(".ql-related"):
            node.decompose()
    assert abs(len(str(big)) - len(str(small))) < 200
    # every page of the big site has the same, short navigation
    navs = {_nav(soup(big_site, f"letters/ce-shi-{n:04d}/"), f"letters/ce-shi-{n:04d}/") for n in range(0, 200, 30)}
    assert navs == {_nav(small, url)}
    letters = len(range(0, 200, 3)) + len(list((FIXTURE_STORIES / "letters").glob("*.md")))
    assert len(soup(big_site, "letters/").select(".ql-card")) == letters


def test_no_page_references_a_cdn_or_font_host(built_site):
    offenders = []
    for path in list(built_site.rglob("*.html")) + list(built_site.rglob("*.css")):
        body = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(built_site)}: {host}" for host in CDN_HOSTS if host in body]
    assert offenders == []


def test_theme_language_is_chinese(built_site):
    for url in ("", "officials/yuan-renyuan/", "unit-types/", "contributing/"):
        html = soup(built_site, url).html
        assert html["lang"] == "zh-Hans", url  # the script, not only the language (issue 18)


def test_heading_anchors_keep_chinese(built_site):
    page = soup(built_site, "contributing/")
    # hand-written pages' ids carry the prefix of contributed HTML (hooks/qinglian/site/sanitize.py)
    ids = [h["id"].removeprefix("user-content-") for h in page.select("article h2[id]")]
    assert "所有故事都有的字段" in ids
    assert "放在哪里叫什么名字" in ids  # punctuation dropped, the Chinese kept


def test_contributing_page_has_the_field_tables_of_the_contract(built_site):
    page = soup(built_site, "contributing/")
    assert "<!-- qinglian:fields" not in str(page)  # every placeholder was replaced (the guide may name one in code)
    cells = {text(td) for table in page.select("table") for td in table.select("td")}
    fields = [*COMMON_FIELDS, *SOURCE_FIELDS, *(f for c in COLLECTIONS.values() for f in c.fields)]
    for f in fields:
        assert f.name in cells, f.name
        assert f.label in cells, f.label
    assert "必填" in cells


def test_generated_pages_have_no_edit_link_without_a_repository(built_site):
    """Locally (no REPO_URL) edit links would point nowhere: there are none."""
    for url in ("officials/yuan-renyuan/", "unit-types/village/"):
        assert soup(built_site, url).select_one("a.md-content__button[href*='edit']") is None


def test_pages_outside_the_nav_share_their_folders_navigation_and_nav_pages_mark_their_entry(built_site):
    """The drawer and tabs of story pages (outside the nav) are the same for every story of a collection, with
    nothing marked active, while a page in the nav still marks its own entry."""

    def drawer(rel: str) -> str:
        soup = BeautifulSoup((built_site / rel).read_text(encoding="utf-8"), "html.parser")
        return str(soup.select_one(".md-sidebar--primary")) + str(soup.select_one(".md-tabs"))

    letters = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "letters").glob("*/index.html"))
    assert len(letters) >= 2
    drawers = {drawer(rel) for rel in letters}
    assert len(drawers) == 1 and "md-nav__link--active" not in drawers.pop()
    campaign = drawer("campaign/index.html")
    assert "md-nav__link--active" in campaign and campaign != drawer(letters[0])

"""Site search (Pagefind): what a reader sees after typing into the header box, on the real built site.

The queries come from the real stories: 袁任远 (stories/officials/yuan-renyuan.md), 象市模式
(stories/units/xiangshi-moshi.md), 诫子书 with 静以修身，俭以养德 and the 家风 tag of the letters.
"""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from browser_support import external_requests, record_requests
from qinglian.outputs import search
from qinglian.site.ui import UI

YUAN = "袁任远：两袖清风"
XIANGSHI = "象市镇：村级财务管理的“象市模式”"
JIEZISHU = "诸葛亮《诫子书》"
ZENG = "曾国藩《谕纪鸿》：但愿为读书明理之君子"
SHANGHUI_PREFIX = "清廉商会"

STATUS = "[data-ql-search-status]"
TITLES = ".md-search-result__item .ql-search-title"


def open_search(page, base_url: str, path: str = "") -> None:
    page.goto(base_url + path)
    page.keyboard.press("/")  # the keyboard shortcut focuses the header box
    assert page.evaluate("document.activeElement && document.activeElement.id") == "ql-search-input"


def search_for(page, query: str) -> list[str]:
    """Type the query and return the result titles as shown (collection badge removed)."""
    page.fill("#ql-search-input", "")
    page.keyboard.type(query)
    page.wait_for_function(
        "([s, q]) => document.querySelector(s).dataset.query === q", arg=[STATUS, query], timeout=10_000
    )
    titles = page.locator(TITLES).all_inner_texts()
    kinds = page.locator(f"{TITLES} .ql-search-kind").all_inner_texts()
    return [t[len(k) :].strip() if t.startswith(k) else t.strip() for t, k in zip(titles, kinds)]


# ---- browser: what readers see ----------------------------------------------------------------


def test_simplified_phrase_finds_the_story_first_with_collection_and_highlight(page, site_server):
    open_search(page, site_server)
    titles = search_for(page, "两袖清风")
    assert titles and titles[0] == YUAN
    first = page.locator(".md-search-result__item").first
    assert first.locator(".ql-search-kind").inner_text() == "官吏"
    assert "两袖清风" in first.locator(".ql-search-excerpt mark").all_inner_texts()
    assert re.match(r"找到 \d+ 篇", page.inner_text(STATUS))


def test_traditional_query_finds_the_same_stories_as_simplified(page, site_server):
    open_search(page, site_server)
    simplified = search_for(page, "家风")
    traditional = search_for(page, "家風")
    assert ZENG in traditional and JIEZISHU in traditional
    assert traditional == simplified
    assert any(t.startswith(SHANGHUI_PREFIX) for t in search_for(page, "廉潔"))


@pytest.mark.parametrize("query", ["yuanrenyuan", "yuan ren yuan"])
def test_full_pinyin_finds_the_name(page, site_server, query):
    open_search(page, site_server)
    assert search_for(page, query)[0] == YUAN


def test_pinyin_initials_find_the_name(page, site_server):
    open_search(page, site_server)
    assert search_for(page, "yry")[0] == YUAN
    assert search_for(page, "zgl")[0] == JIEZISHU


def test_word_internal_substrings_are_found(page, site_server):
    open_search(page, site_server)
    assert XIANGSHI in search_for(page, "象市")  # the start of 象市模式
    assert search_for(page, "以养德") == [JIEZISHU]  # inside 俭以养德
    found = search_for(page, "市模")  # across the inner boundary of 象市|模式 (the campaign page has it too)
    assert found[0] == XIANGSHI and "清廉慈利建设" in found


def test_a_phrase_in_the_title_ranks_above_the_same_phrase_in_the_text(page, site_server):
    """监督 is in the title of the 清廉大厅 story and only in the text of the 象市镇 story and the campaign page."""
    open_search(page, site_server)
    titles = search_for(page, "监督")
    assert titles[0] == "清廉大厅：严防“窗口腐败”的专项监督"
    assert XIANGSHI in titles[1:]


def test_characters_that_are_not_adjacent_do_not_match(page, site_server):
    """袁 and 风 are both on the 袁任远 page, but never as 袁风: a two-character query is a phrase."""
    open_search(page, site_server)
    assert search_for(page, "袁风") == []


def test_collection_filter_narrows_the_results(page, site_server):
    open_search(page, site_server)
    before = search_for(page, "家风")
    assert YUAN in before and ZENG in before
    page.click("[data-ql-search-filters] summary")  # the filters fold away so results stay on top
    options = page.locator("select[data-ql-filter=collection] option").all_inner_texts()
    assert any(o.startswith("官吏") for o in options) and any(o.startswith("家书") for o in options)
    page.select_option("select[data-ql-filter=collection]", "官吏")
    page.wait_for_function(
        "s => document.querySelector(s).dataset.query && document.querySelector(s).textContent.trim() === '找到 1 篇'",
        arg=STATUS,
        timeout=10_000,
    )
    titles = page.locator(TITLES).all_inner_texts()
    assert len(titles) == 1 and titles[0].endswith(YUAN)
    words = UI["search_script"]  # what search.js writes comes from ui.py, through the page
    assert page.inner_text("[data-ql-search-filters] summary") == words["filters_in_use"].format(n=1)
    labels = page.locator(".ql-search-filter > span").all_inner_texts()
    assert labels[0] == words["filter_labels"]["collection"]
    assert page.locator("select[data-ql-filter=collection] option").first.inner_text() == words["all"]


def test_empty_result_suggests_browsing(page, site_server):
    open_search(page, site_server)
    assert search_for(page, "量子计算机") == []
    assert page.inner_text(STATUS) == "没有找到结果"
    empty = page.locator("[data-ql-search-empty]")
    assert empty.is_visible()
    hrefs = empty.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(h.rstrip("/").endswith("unit-types") for h in hrefs)
    assert any(h.rstrip("/").endswith("townships") for h in hrefs)


def test_arrow_keys_and_enter_open_a_result(page, site_server):
    open_search(page, site_server)
    search_for(page, "诫子书")
    page.keyboard.press("ArrowDown")
    assert page.locator(".md-search-result__link.is-active").count() == 1
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.rstrip("/").endswith("letters/zhuge-liang-jiezishu")
    assert page.locator("h1").first.inner_text() == JIEZISHU


def test_input_method_composition_does_not_search_half_typed_pinyin(page, site_server):
    """While a Chinese IME composes (the box shows "yuan"), nothing is searched; the committed 袁任远 is."""
    open_search(page, site_server)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "yuan", "selectionStart": 4, "selectionEnd": 4})
    page.wait_for_timeout(600)
    assert page.input_value("#ql-search-input") == "yuan"
    assert page.locator(".md-search-result__item").count() == 0
    assert "找到" not in page.inner_text(STATUS)
    cdp.send("Input.insertText", {"text": "袁任远"})
    page.wait_for_function("s => document.querySelector(s).dataset.query === '袁任远'", arg=STATUS, timeout=10_000)
    assert page.locator(TITLES).first.inner_text().endswith(YUAN)


def test_phone_opens_the_full_screen_panel_from_the_header(phone_page, site_server):
    phone_page.goto(site_server)
    phone_page.click("label.md-header__button[for=__search]")
    phone_page.wait_for_function("document.activeElement && document.activeElement.id === 'ql-search-input'")
    titles = search_for(phone_page, "象市模式")
    assert titles[0] == XIANGSHI
    box = phone_page.locator(".md-search__inner").bounding_box()
    assert box and box["width"] >= 350  # the panel covers the phone's width


def test_plain_pagefind_api_finds_pinyin_initials(page, site_server):
    """The kiosk's on-screen keyboard calls Pagefind directly, without this UI's preprocessing."""
    page.goto(site_server)
    urls = page.evaluate(
        """async () => {
            const pf = await import('/pagefind/pagefind.js');
            const found = await pf.search('yry');
            return Promise.all(found.results.map(async r => (await r.data()).url));
        }"""
    )
    assert urls and urls[0].rstrip("/").endswith("officials/yuan-renyuan")


def test_search_requests_stay_on_the_site_and_browse_lists_are_not_indexed(page, site_server):
    urls = record_requests(page)
    open_search(page, site_server)
    search_for(page, "清廉")
    hrefs = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.pathname)")
    assert hrefs
    assert not [h for h in hrefs if re.match(r"/(tags|townships|eras|unit-types)/", h)]
    assert any("/pagefind/" in u for u in urls)
    assert external_requests(urls) == []


def test_traditional_edition_page_shows_results_in_traditional_and_links_to_its_mirror(page, site_server):
    """The 繁體 mirror (pages under zh-hant/ with lang="zh-Hant") searches the one Simplified index."""

    def as_traditional(route):
        response = route.fetch()
        route.fulfill(
            response=response, body=response.text().replace('<html lang="zh-Hans"', '<html lang="zh-Hant"', 1)
        )

    page.route(site_server, as_traditional)
    open_search(page, site_server)
    titles = search_for(page, "兩袖清風")
    assert titles and titles[0] == "袁任遠：兩袖清風"
    href = page.locator(".md-search-result__link").first.evaluate("a => a.pathname")
    assert href.rstrip("/").endswith("/zh-hant/officials/yuan-renyuan")


# ---- build side -------------------------------------------------------------------------------


def test_pinyin_terms_give_full_syllables_and_initials():
    terms = search.pinyin_terms("袁任远")
    assert terms[:2] == ["yuanrenyuan", "yry"]
    assert {"yuan", "ren"} <= set(terms)
    assert search.pinyin_terms("诸葛亮《诫子书》")[:2] == ["zhugeliang", "zgl"]
    assert "jiezishu" in search.pinyin_terms("诸葛亮《诫子书》")
    assert "lv" in search.pinyin_terms("吕")  # ü is typed v
    assert search.pinyin_terms(None, "", "abc") == []


def test_index_words_spaces_characters_and_simplifies():
    assert search.index_words("家風 1925年") == " 家  风  1925 年 "
    assert search.to_simplified("廉潔家風臺") == "廉洁家风台"


def test_index_page_spaces_text_but_keeps_attributes_scripts_and_markup_in_text():
    page = (
        '<html lang="zh-Hans"><body><article data-pagefind-body><h1 data-pagefind-meta="title:家風">家風 1925年</h1>'
        '<h2 id="a">象市<a class="headerlink" href="#a">¶</a></h2><p>代码 &lt;b&gt;家风&lt;/b&gt; &amp; 1&gt;0</p>'
        '<p><img alt="甲>乙 家風" src="a.png"></p><script>var a = "家風", h = "<h2>";</script>'
        '<style>p::after { content: "家風" }</style></article></body></html>'
    )
    out = search.index_page(page)
    assert '<h1 data-pagefind-meta="title:家風" data-pagefind-weight="1"> 家  风  1925 年 </h1>' in out
    assert '<h2 id="a" data-pagefind-weight="1"> 象  市 <a class="headerlink" href="#a">¶</a></h2>' in out
    assert "<p> 代  码  &lt;b&gt; 家  风 &lt;/b&gt; &amp; 1&gt;0</p>" in out  # text that reads like a tag stays text
    assert LexborHTMLParser(out).css_first("img").attrs["alt"] == "甲>乙 家風"  # not text, even after a ">"
    assert '<script>var a = "家風", h = "<h2>";</script>' in out and 'content: "家風"' in out


def test_index_page_keeps_only_the_indexed_element_and_skips_traditional_editions():
    page = (
        '<html lang="zh"><body><nav>导航很长</nav><article class="x" data-pagefind-body><div>象市<div>模式'
        "</div></div></article><footer>页脚</footer></body></html>"
    )
    out = search.index_page(page)
    assert " 象  市 " in out and " 模  式 " in out and out.rstrip().endswith("</article></body></html>")
    assert "导航" not in out and "页脚" not in out
    assert search.index_page(page.replace('lang="zh"', 'lang="zh-Hant"')) is None
    assert search.index_page("<html><body><p>没有正文标记</p></body></html>") is None


def test_index_page_reads_the_pages_material_writes(built_site):
    story = (built_site / "officials" / "yuan-renyuan" / "index.html").read_text(encoding="utf-8")
    out = LexborHTMLParser(search.index_page(story))
    assert out.root.attrs["lang"] == search.INDEX_LANGUAGE
    assert not out.css(".md-header, .md-nav, .md-footer")  # only the story, not Material's frame
    headings = out.css("h1, h2, h3")
    assert headings and all(h.attrs.get("data-pagefind-weight") == "1" for h in headings)
    assert " 袁  任  远 " in headings[0].text()
    assert f"title:{YUAN}" in [s.attrs.get("data-pagefind-meta") for s in out.css("[data-pagefind-meta]")]
    mirror = (built_site / "zh-hant" / "officials" / "yuan-renyuan" / "index.html").read_text(encoding="utf-8")
    assert search.index_page(mirror) is None  # Material's <html lang>, set to zh-Hant by the mirror


def test_built_site_has_the_pagefind_bundle_and_no_lunr_index(built_site):
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / search.CHAR_MAP_JS).is_file() and (built_site / search.S2T_MAP_JS).is_file()
    assert not (built_site / "search" / "search_index.json").exists()
    story = (built_site / "officials" / "yuan-renyuan" / "index.html").read_text(encoding="utf-8")
    assert "yry" in story and 'data-pagefind-filter="collection:官吏"' in story


# ---- a large site: the index in shards ----------------------------------------------------------


@pytest.fixture(scope="module")
def sharded_server(tmp_path_factory):
    """The real site built with at most 3 indexed pages per Pagefind run, so its index comes in shards."""
    import os

    from browser_support import serve_dir
    from conftest import build_output, build_site, copy_fixture_project

    project = copy_fixture_project(tmp_path_factory.mktemp("sharded") / "project")
    site = project / "site"
    os.environ[search.SHARD_PAGES_ENV] = "3"
    try:
        proc = build_site(project / "mkdocs.yml", site, cwd=project)
    finally:
        del os.environ[search.SHARD_PAGES_ENV]
    assert proc.returncode == 0, build_output(proc)
    with serve_dir(site) as url:
        yield url, site


def test_a_sharded_index_finds_pages_of_every_shard(page, sharded_server):
    url, site = sharded_server
    bundles = sorted(p.name for p in site.iterdir() if p.name.startswith(search.BUNDLE))
    assert bundles[0] == search.BUNDLE and len(bundles) >= 3  # pagefind/, pagefind-2/, pagefind-3/…
    requests = record_requests(page)
    open_search(page, url)
    found = search_for(page, "家风")  # 袁任远, 曾国藩, the campaign article: not all in one shard
    assert YUAN in found and ZENG in found
    assert search_for(page, "yry")[0] == YUAN
    assert search_for(page, "以养德") == [JIEZISHU]
    assert XIANGSHI in search_for(page, "象市")
    shards_used = {
        re.match(r".*/(pagefind(?:-\d+)?)/", u)[1] for u in requests if re.match(r".*/pagefind(?:-\d+)?/", u)
    }
    assert len(shards_used) == len(bundles)  # every shard was asked
    assert external_requests(requests) == []

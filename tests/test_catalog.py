"""The catalog built from a small synthetic project: taxonomies and their terms, tag slugs, related stories."""

from __future__ import annotations

import re

from contentkit import check, make_project, write_story
from qinglian.content.contract import SLUG_PATTERN, UNIT_TYPE_KEYS
from qinglian.site.catalog import RELATED_COUNT, build_catalog, slugify


def catalog_of(root):
    content, problems = check(root, include_drafts=False)
    assert problems == []
    return build_catalog(content)


def slugs(stories):
    return [s.slug for s in stories]


def test_all_ten_unit_types_exist_even_when_empty(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "units", "u1", unit_type="chamber")
    unit_types = catalog_of(root).taxonomies["unit-types"]
    assert tuple(unit_types.terms) == UNIT_TYPE_KEYS
    for key, term in unit_types.terms.items():
        assert term.name.startswith("清廉") and term.description, key
        assert slugs(term.stories) == (["u1"] if key == "chamber" else [])
        assert term.url == f"unit-types/{key}/"


def test_terms_list_their_stories(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "units", "u1", unit_type="village", township="xiangshi", tags=["测试甲"])
    write_story(root, "letters", "l1", township="xiangshi", tags=["测试甲", "测试乙"])
    write_story(root, "officials", "o1", era="ming", township="lingyang")
    write_story(root, "letters", "l2", draft=True, township="xiangshi")  # drafts appear nowhere
    catalog = catalog_of(root)
    tax = catalog.taxonomies
    assert list(tax["townships"].terms) == list(catalog.content.data.townships)  # one term per township
    assert sorted(slugs(tax["townships"].terms["xiangshi"].stories)) == ["l1", "u1"]
    assert slugs(tax["townships"].terms["lingyang"].stories) == ["o1"]
    assert slugs(tax["townships"].terms["sanhe"].stories) == []
    assert slugs(tax["unit-types"].terms["village"].stories) == ["u1"]
    assert slugs(tax["eras"].terms["ming"].stories) == ["o1"]
    tags = {term.name: term for term in tax["tags"].terms.values()}
    assert set(tags) == {"测试甲", "测试乙"}
    assert sorted(slugs(tags["测试甲"].stories)) == ["l1", "u1"]
    assert {c: slugs(s) for c, s in catalog.by_collection.items()} == {
        "units": ["u1"],
        "letters": ["l1"],
        "officials": ["o1"],
    }
    story = next(s for s in catalog.content.stories if s.slug == "l1")
    assert [t.url for t in catalog.terms_of(story)] == [
        "townships/xiangshi/",
        f"tags/{tags['测试甲'].key}/",
        f"tags/{tags['测试乙'].key}/",
    ]


def test_eras_are_in_time_order_and_list_officials_by_birth(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "officials", "later", era="qing", born=1800)
    write_story(root, "officials", "unknown-birth", era="qing")
    write_story(root, "officials", "earlier", era="qing", born=1700)
    write_story(root, "officials", "bc", era="qin-han", born=-200)
    catalog = catalog_of(root)
    eras = list(catalog.taxonomies["eras"].terms.values())
    starts = [term.info["start"] for term in eras]
    assert starts == sorted(starts) and len(eras) == len(catalog.content.data.eras)
    assert eras[0].key == "chunqiu-zhanguo" and eras[-1].key == "xinzhongguo"
    assert slugs(catalog.taxonomies["eras"].terms["qing"].stories) == ["earlier", "later", "unknown-birth"]
    assert slugs(catalog.by_collection["officials"]) == ["bc", "earlier", "later", "unknown-birth"]


def test_tag_slugs_are_pinyin_and_unique(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "a", tags=["家风", "家丰", "两袖清风"])  # 家风 and 家丰 are both jia-feng
    write_story(root, "letters", "b", tags=["ABC 测试", "家风"])
    tags = catalog_of(root).taxonomies["tags"].terms
    keys = {term.name: key for key, term in tags.items()}
    assert len(set(keys.values())) == len(keys) == 4
    assert keys["两袖清风"] == "liang-xiu-qing-feng"
    assert keys["ABC 测试"] == "abc-ce-shi"
    assert {keys["家风"], keys["家丰"]} == {"jia-feng", "jia-feng-2"}
    assert all(re.fullmatch(SLUG_PATTERN, key) for key in keys.values())
    assert slugify("象市模式") == "xiang-shi-mo-shi"
    assert slugify("清廉2022年") == "qing-lian-2022-nian"


def test_related_stories_prefer_shared_tags_and_unit_type(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "units", "me", unit_type="village", township="xiangshi", tags=["测试甲"])
    write_story(root, "units", "same-tag-and-type", unit_type="village", tags=["测试甲"])
    write_story(root, "letters", "same-tag", tags=["测试甲"])
    write_story(root, "units", "same-type", unit_type="village")
    write_story(root, "letters", "same-township", township="xiangshi")
    write_story(root, "letters", "nothing-shared", township="lingyang", tags=["测试乙"])
    catalog = catalog_of(root)
    me = next(s for s in catalog.content.stories if s.slug == "me")
    related = slugs(me.related)
    assert related[0] == "same-tag-and-type"
    assert set(related[1:3]) == {"same-tag", "same-type"}
    assert related[3] == "same-township"
    assert "me" not in related and "nothing-shared" not in related


def test_related_stories_never_include_the_story_and_are_at_most_five(tmp_path):
    root = make_project(tmp_path)
    for n in range(12):
        write_story(root, "units", f"u{n}", unit_type="school", tags=["测试甲"])
    catalog = catalog_of(root)
    for story in catalog.content.stories:
        assert len(story.related) == RELATED_COUNT == 5
        assert story not in story.related
        assert len(set(map(id, story.related))) == 5


def test_a_big_term_still_gives_every_story_five_related(tmp_path):
    """300 stories sharing one tag: related-story work is bounded (a window per term), and still correct."""
    root = make_project(tmp_path)
    for n in range(300):
        write_story(
            root,
            "letters",
            f"ce-shi-{n:04d}",
            title=f"测试故事第{n}篇",
            tags=["测试大标签"],
            date=f"2020-01-{1 + n % 28:02d}",
        )
    catalog = catalog_of(root)
    [term] = catalog.taxonomies["tags"].terms.values()
    assert len(term.stories) == 300
    for story in catalog.content.stories:
        assert len(story.related) == 5, story
        assert story not in story.related
        assert all("测试大标签" in other.tags for other in story.related)


def test_a_tag_written_twice_lists_the_story_once(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "twice", tags=["测试甲", "测试甲"])
    write_story(root, "letters", "once", tags=["测试甲"])
    catalog = catalog_of(root)
    [term] = catalog.taxonomies["tags"].terms.values()
    assert sorted(slugs(term.stories)) == ["once", "twice"]
    twice = next(s for s in catalog.content.stories if s.slug == "twice")
    assert catalog.terms_of(twice) == [term]


TOWNSHIPS_WITH_A_FORMER_ONE = """\
old: {name: 旧测试镇, kind: 镇, successors: [east, west]}
east:
  name: 东测试街道
  kind: 街道
  description: 测试描述。
  sources:
    - {title: 测试资料}
west: {name: 西测试街道, kind: 街道}
other: {name: 另一测试乡, kind: 乡}
"""


def test_a_former_township_keeps_its_page_and_stories_but_is_not_counted(tmp_path):
    root = make_project(tmp_path)
    (root / "data" / "townships.yml").write_text(TOWNSHIPS_WITH_A_FORMER_ONE, encoding="utf-8")
    write_story(root, "units", "u1", township="old")  # an older story still names the former township
    catalog = catalog_of(root)
    townships = catalog.taxonomies["townships"]
    assert catalog.content.data.current_township_count == 3
    assert "3 个" in townships.description
    old = townships.terms["old"]
    assert slugs(old.stories) == ["u1"]
    assert [t.name for t in old.successors] == ["东测试街道", "西测试街道"]
    assert townships.terms["east"].description == "测试描述。"
    assert townships.terms["west"].description == ""  # nothing sourced to say: no placeholder such as its kind


def test_successors_must_be_current_townships(tmp_path):
    root = make_project(tmp_path)
    text = TOWNSHIPS_WITH_A_FORMER_ONE.replace("[east, west]", "[east, nowhere]")
    text += "older: {name: 更旧测试镇, kind: 镇, successors: [old]}\n"
    (root / "data" / "townships.yml").write_text(text, encoding="utf-8")
    _, problems = check(root)
    assert len(problems) == 2, problems
    assert problems[0].startswith("data/townships.yml:1: 字段 successors") and "nowhere" in problems[0]
    assert problems[1].startswith("data/townships.yml:10: 字段 successors") and "“old”本身是已撤销" in problems[1]


def test_a_township_description_needs_its_sources(tmp_path):
    root = make_project(tmp_path)
    text = TOWNSHIPS_WITH_A_FORMER_ONE.replace(
        "west: {name: 西测试街道, kind: 街道}", "west: {name: 西测试街道, kind: 街道, description: 无来源。}"
    )
    (root / "data" / "townships.yml").write_text(text, encoding="utf-8")
    _, problems = check(root)
    assert len(problems) == 1 and problems[0].startswith("data/townships.yml:"), problems
    assert "sources" in problems[0]


def test_letters_from_cili_families_and_historical_texts_are_apart(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "family", consent=True)  # a family today, who agreed to publish
    write_story(root, "letters", "old-cili", consent=None, township="xiangshi", sources=[{"title": "测试资料"}])
    write_story(root, "letters", "classic", consent=None, sources=[{"title": "测试资料"}])  # from elsewhere
    groups = {group.key: slugs(group.stories) for group in catalog_of(root).local_groups("letters")}
    assert sorted(groups["cili"]) == ["family", "old-cili"]
    assert groups["classical"] == ["classic"]

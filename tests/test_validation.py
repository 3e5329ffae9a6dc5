"""Every validation rule of the content contract: a failing case (the located Chinese message an editor
sees) and a passing case, through `qinglian.content.load.load_content` on small projects in tmp_path.

The failing cases are one table (`BROKEN`): each writes a broken file into a fresh project and returns
the texts its report must contain. Location is asserted in the printed format `path:line: 字段 name：`.
"""

from __future__ import annotations

import re

import pytest

from contentkit import (
    MINIMAL,
    check,
    front_matter,
    line_of,
    make_project,
    write_raw,
    write_story,
)
from qinglian.content.contract import COLLECTIONS, FILE_KINDS, SUMMARY_MAX, TOWNSHIP_KINDS
from qinglian.content.load import load_content
from qinglian.content.problems import ContentError
from qinglian.site.pages import plan_site

CJK = re.compile(r"[\u4e00-\u9fff]")
BROKEN = {}


def broken(name):
    def register(fn):
        BROKEN[name] = fn
        return fn

    return register


def letter_text(*lines: str) -> str:
    """A letter whose front matter is exactly `lines` (line 2 onwards)."""
    return "---\n" + "\n".join(lines) + "\n---\n\n测试正文。\n"


# ---- malformed files ------------------------------------------------------------------------


@broken("yaml-tab-indent")
def _(root):
    rel = write_raw(
        root,
        "stories/letters/x.md",
        letter_text("title: 测试故事", "summary: 测试摘要", "\tauthor: 测试人", "consent: true"),
    )
    return [f"{rel}:4: YAML 格式错误：用了 Tab 缩进"]


@broken("yaml-unclosed-quote")
def _(root):
    rel = write_raw(
        root,
        "stories/letters/x.md",
        letter_text("title: 测试故事", 'summary: "测试摘要', "author: 测试人", "consent: true"),
    )
    return [f"{rel}:3: YAML 格式错误：这一行的引号没有配对"]


@broken("yaml-colon-in-value")
def _(root):
    rel = write_raw(
        root,
        "stories/letters/x.md",
        letter_text("title: 测试故事: 副标题", "summary: 测试摘要", "author: 测试人", "consent: true"),
    )
    return [f"{rel}:2: YAML 格式错误", "英文引号"]


@broken("no-front-matter")
def _(root):
    rel = write_raw(root, "stories/letters/x.md", "# 测试故事\n\n测试正文。\n")
    return [f"{rel}:1: 文件开头没有 front matter"]


@broken("front-matter-not-closed")
def _(root):
    rel = write_raw(root, "stories/letters/x.md", "---\ntitle: 测试故事\nsummary: 测试摘要\n\n测试正文。\n")
    return [f"{rel}:1: 文件开头没有 front matter"]


@broken("yaml-duplicate-key")
def _(root):
    rel = write_raw(
        root,
        "stories/letters/x.md",
        letter_text(
            "title: 测试故事",
            "featured: true",
            "summary: 测试摘要",
            "author: 测试人",
            "consent: true",
            "featured: false",
        ),
    )
    return [f"{rel}:7: YAML 格式错误：“featured”写了两次（第 3 行和第 7 行）"]


@broken("front-matter-is-a-list")
def _(root):
    rel = write_raw(root, "stories/letters/x.md", "---\n- 测试故事\n---\n测试正文。\n")
    return [f"{rel}:2: front matter 应为“字段: 值”的列表"]


@broken("not-utf8-gbk")
def _(root):
    text = front_matter(MINIMAL["letters"]) + "\n第一段。\n"
    raw = text.encode("utf-8") + "第二段是 GBK 编码。\n".encode("gbk")
    rel = write_raw(root, "stories/letters/x.md", raw)
    return [f"{rel}:{text.count(chr(10)) + 1}: 文件不是 UTF-8 编码", "UTF-8"]


# ---- required fields, per collection ---------------------------------------------------------

REQUIRED = [
    ("officials", "title"),
    ("officials", "summary"),
    ("officials", "name"),
    ("officials", "era"),
    ("letters", "title"),
    ("letters", "summary"),
    ("letters", "author"),
    ("units", "title"),
    ("units", "summary"),
    ("units", "unit"),
    ("units", "unit_type"),
]


def _required_case(collection, name):
    def case(root):
        rel = write_story(root, collection, "x", drop=(name,))
        return [
            f"{rel}:1: 字段 {name}：缺少必填字段（{COLLECTIONS[collection].field(name).label}）",
            f"加上一行 `{name}: ",
        ]

    return case


for _collection, _name in REQUIRED:
    BROKEN[f"required-{_collection}-{_name}"] = _required_case(_collection, _name)


# ---- wrongly typed fields ----------------------------------------------------------------------


@broken("type-featured-yes")
def _(root):
    rel = write_story(root, "letters", "x", featured='"yes"')
    return [f"{rel}:6: 字段 featured：应为true 或 false，现在是文字“yes”", "例如 `featured: false`"]


@broken("type-consent-yes")
def _(root):
    rel = write_story(root, "letters", "x", consent='"yes"')
    return [f"{rel}:5: 字段 consent：应为true 或 false，现在是文字“yes”"]


@broken("type-born-chinese-numerals")
def _(root):
    rel = write_story(root, "officials", "x", born="一八九八")
    return [f"{rel}:8: 字段 born：应为整数", "现在是文字“一八九八”", "例如 `born: 1898`"]


@broken("type-tags-a-string")
def _(root):
    rel = write_story(root, "letters", "x", tags="家风")
    return [f"{rel}:6: 字段 tags：应为文字列表", "现在是文字“家风”"]


@broken("type-tags-item-a-number")
def _(root):
    rel = write_story(root, "letters", "x", tags=[1, "家风"])
    return [f"{rel}:6: 字段 tags[0]：应为一段文字，现在是数字 1"]


@broken("type-title-empty")
def _(root):
    rel = write_raw(
        root, "stories/letters/x.md", letter_text("title:", "summary: 测试摘要", "author: 测试人", "consent: true")
    )
    return [f"{rel}:2: 字段 title：应为一段文字，现在是空值"]


@broken("type-written-with-chinese")
def _(root):
    rel = write_story(root, "letters", "x", written="1985年")
    return [f"{rel}:6: 字段 written：应为年份（如 1985）或日期", "现在是文字“1985年”"]


@broken("summary-too-long")
def _(root):
    rel = write_story(root, "letters", "x", summary="测" * (SUMMARY_MAX + 1))
    return [f"{rel}:3: 字段 summary：太长：{SUMMARY_MAX + 1} 字，最多 {SUMMARY_MAX} 字", "修改：请精简"]


# ---- keys of data/ files -----------------------------------------------------------------------


@broken("unknown-unit-type")
def _(root):
    rel = write_story(root, "units", "x", unit_type="vilage")
    return [f"{rel}:5: 字段 unit_type：“vilage”不是已登记的单元类型", "是不是“village”？", "data/unit-types.yml"]


@broken("unknown-township")
def _(root):
    rel = write_story(root, "units", "x", township="lingyan")
    return [f"{rel}:6: 字段 township：“lingyan”不是已登记的乡镇", "是不是“lingyang”？", "data/townships.yml"]


@broken("unknown-era")
def _(root):
    rel = write_story(root, "officials", "x", era="mingchao")
    return [f"{rel}:5: 字段 era：“mingchao”不是已登记的朝代", "是不是“", "data/eras.yml"]


@broken("unknown-field-typo")
def _(root):
    fields = {("titel" if k == "title" else k): v for k, v in MINIMAL["letters"].items()}
    rel = write_story(root, "letters", "x", fields=fields)
    return [
        f"{rel}:2: 字段 titel：清廉家书不认识这个字段。 修改：是不是“title”？",
        f"{rel}:1: 字段 title：缺少必填字段",
    ]


@broken("unknown-source-field")
def _(root):
    rel = write_story(root, "officials", "x", sources=[{"title": "测试资料", "pages": "卷五"}])
    return [f"{rel}:8: 字段 sources[0].pages：来源里不认识这个字段", "是不是“page”？"]


# ---- dates, slugs, images --------------------------------------------------------------------


@broken("date-month-13")
def _(root):
    rel = write_story(root, "letters", "x", date="2024-13-01")
    return [f"{rel}:6: 字段 date：应为日期，格式 YYYY-MM-DD", "现在是文字“2024-13-01”"]


@broken("date-with-slashes")
def _(root):
    rel = write_story(root, "letters", "x", date="2024/05/01")
    return [f"{rel}:6: 字段 date：应为日期，格式 YYYY-MM-DD", "现在是文字“2024/05/01”"]


@broken("duplicate-slug-across-collections")
def _(root):
    first = write_story(root, "letters", "same-name")
    second = write_story(root, "units", "same-name")
    return [f"{second}: 文件名与 {first} 重复", "换一个文件名"]


@broken("bad-slug-capitals-underscore")
def _(root):
    rel = write_story(root, "letters", "Yuan_RenYuan")
    return [f"{rel}: 文件名“Yuan_RenYuan”不能作网址", "yuan-renyuan.md"]


@broken("bad-slug-chinese")
def _(root):
    rel = write_story(root, "letters", "中文")
    return [f"{rel}: 文件名“中文”不能作网址"]


@broken("cover-missing-image")
def _(root):
    rel = write_story(root, "letters", "x", cover="assets/images/nope.jpg", cover_alt="测试图")
    return [f"{rel}:6: 字段 cover：找不到图片 docs/assets/images/nope.jpg"]


@broken("cover-outside-docs")
def _(root):
    rel = write_story(root, "letters", "x", cover="../data/site.yml", cover_alt="测试图")
    return [f"{rel}:6: 字段 cover：找不到图片"]


@broken("cover-without-alt")
def _(root):
    write_raw(root, "docs/assets/images/test.png", b"\x89PNG")
    rel = write_story(root, "letters", "x", cover="assets/images/test.png")
    return [f"{rel}:6: 字段 cover_alt：有封面图（cover）时必须写封面说明 cover_alt", "加上一行 `cover_alt:"]


@broken("cover-too-large")
def _(root):
    write_raw(root, "docs/assets/images/big.jpg", bytes(600 * 1024))
    rel = write_story(root, "letters", "x", cover="assets/images/big.jpg", cover_alt="测试图")
    return [f"{rel}:6: 字段 cover：图片 docs/assets/images/big.jpg 有 600 KB，超过 500 KB 的上限"]


@broken("video-poster-too-large")
def _(root):
    """The poster is an image like the cover, shown before the video starts: the same limit."""
    write_raw(root, "docs/assets/videos/clip.mp4", b"\x00")
    write_raw(root, "docs/assets/videos/clip.jpg", bytes(600 * 1024))
    rel = write_story(root, "units", "x", video="assets/videos/clip.mp4", video_poster="assets/videos/clip.jpg")
    line = line_of((root / rel).read_text(encoding="utf-8"), "video_poster:")
    return [f"{rel}:{line}: 字段 video_poster：图片 docs/assets/videos/clip.jpg 有 600 KB，超过 500 KB 的上限"]


# ---- rules across fields -----------------------------------------------------------------------


@broken("letter-without-consent-or-sources")
def _(root):
    rel = write_story(root, "letters", "x", consent=None)
    return [f"{rel}:1: 字段 consent：家书需要 consent: true", "加 `sources:`"]


@broken("letter-consent-false-without-sources")
def _(root):
    rel = write_story(root, "letters", "x", consent=False)
    return [f"{rel}:5: 字段 consent：家书需要 consent: true"]


@broken("official-without-sources")
def _(root):
    rel = write_story(root, "officials", "x", sources=None)
    return [f"{rel}:1: 字段 sources：缺少必填字段（资料来源）", "`sources:`，下一行写 `  - title:"]


@broken("official-empty-sources")
def _(root):
    rel = write_story(root, "officials", "x", sources="[]")
    return [f"{rel}:6: 字段 sources：至少需要一条"]


@broken("source-without-title")
def _(root):
    rel = write_story(root, "officials", "x", sources=[{"author": "测试作者"}])
    return [f"{rel}:7: 字段 sources[0].title：缺少必填字段（来源标题）"]


@broken("died-before-born")
def _(root):
    rel = write_story(root, "officials", "x", born=1900, died=1850)
    return [f"{rel}:9: 字段 died：卒年 1850 早于生年 1900"]


# ---- stray files ---------------------------------------------------------------------------


@broken("stray-story-at-top")
def _(root):
    rel = write_raw(root, "stories/foo.md", front_matter(MINIMAL["letters"]))
    return [f"{rel}: 故事要放在栏目文件夹里"]


@broken("stray-unknown-collection")
def _(root):
    rel = write_raw(root, "stories/unknown/x.md", front_matter(MINIMAL["letters"]))
    return [f"{rel}: 没有“unknown”这个栏目"]


@broken("stray-not-markdown")
def _(root):
    rel = write_raw(root, "stories/letters/x.txt", "测试")
    return [f"{rel}: 这里只放 .md 故事文件"]


@broken("stray-subfolder")
def _(root):
    rel = write_raw(root, "stories/letters/sub/x.md", front_matter(MINIMAL["letters"]))
    return [f"{rel}: 这里只放 .md 故事文件"]


# ---- data/ files ---------------------------------------------------------------------------


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path.read_text(encoding="utf-8")


@broken("data-unit-types-missing-key")
def _(root):
    text = (root / "data/unit-types.yml").read_text(encoding="utf-8")
    (root / "data/unit-types.yml").write_text(text[: text.index("hall:")], encoding="utf-8")
    return ["data/unit-types.yml:1: 字段 hall：缺少必填字段", "加上一行 `hall:"]


@broken("data-unit-types-unknown-key")
def _(root):
    text = edit(root, "data/unit-types.yml", "hall:\n", "hal:\n")
    line = line_of(text, "hal:")
    return [f"data/unit-types.yml:{line}: 字段 hal：这个键不在允许的范围内", "是不是“hall”？"]


@broken("data-township-bad-kind")
def _(root):
    text = edit(root, "data/townships.yml", "{name: 洞溪乡, kind: 乡}", "{name: 洞溪乡, kind: 县}")
    line = line_of(text, "洞溪乡")
    return [f"data/townships.yml:{line}: 字段 dongxi.kind：“县”不是可用的值，应为其中之一：{'、'.join(TOWNSHIP_KINDS)}"]


@broken("data-eras-out-of-order")
def _(root):
    ming = "- {key: ming, name: 明, start: 1368, end: 1644}\n"
    text = edit(root, "data/eras.yml", ming, "")
    (root / "data/eras.yml").write_text(text + ming, encoding="utf-8")
    line = line_of(text + ming, "key: ming,")
    return [f"data/eras.yml:{line}: 字段 start：时代没有按时间先后排列", "按开始年份从早到晚排列"]


@broken("data-site-missing-demonstration-target")
def _(root):
    text = edit(root, "data/site.yml", "  demonstration_target: 32", "  demonstration_targt: 32")
    return [f"data/site.yml:{line_of(text, 'campaign:')}: 字段 campaign.demonstration_target：缺少必填字段"]


@broken("data-file-missing")
def _(root):
    (root / "data/townships.yml").unlink()
    return ["data/townships.yml: 缺少数据文件", "请创建 data/townships.yml"]


@broken("data-file-bad-yaml")
def _(root):
    text = edit(root, "data/site.yml", "  demonstration_target: 32", "\tdemonstration_target: 32")
    return [f"data/site.yml:{line_of(text, 'demonstration_target')}: YAML 格式错误：用了 Tab 缩进"]


def test_a_broken_data_file_does_not_flag_the_stories_that_use_it(tmp_path):
    """One mistake in data/townships.yml is one problem, not one more per story that names a township."""
    root = make_project(tmp_path)
    edit(root, "data/townships.yml", "{name: 洞溪乡, kind: 乡}", "{name: 洞溪乡, kind: 县}")
    for n in range(3):
        write_story(root, "units", f"u{n}", township="xiangshi")
    write_story(root, "units", "bad-type", township="xiangshi", unit_type="vilage")  # other files still checked
    _, problems = check(root)
    assert len(problems) == 2, problems
    assert problems[0].startswith("data/townships.yml:")
    assert problems[1].startswith("stories/units/bad-type.md:5: 字段 unit_type")


# ---- the failing cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_content_is_reported_located(tmp_path, name):
    root = make_project(tmp_path)
    expected = BROKEN[name](root)
    content, problems = check(root)
    report = "\n".join(problems)
    for text in expected:
        assert text in report, f"expected {text!r} in the report of {name}:\n{report}"


@pytest.mark.parametrize("name", list(BROKEN))
def test_every_message_is_chinese_one_line_with_a_fix(tmp_path, name):
    root = make_project(tmp_path)
    BROKEN[name](root)
    _, problems = check(root)
    assert problems, name
    for line in problems:
        message = line.split(": ", 1)[1]
        assert CJK.search(message), line
        assert "修改：" in line and line.split("修改：", 1)[1].strip(), f"no fix in: {line}"
        assert "\n" not in line, f"a problem must be one line: {line!r}"
        assert "Traceback" not in line


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_content_fails_the_build_plan(tmp_path, name):
    """What `mkdocs build` uses: plan_site raises ContentError carrying the same located lines."""
    root = make_project(tmp_path)
    expected = BROKEN[name](root)
    with pytest.raises(ContentError) as err:
        plan_site(root)
    assert "内容检查发现" in str(err.value)
    for text in expected:
        assert text in str(err.value)


def test_each_problem_is_reported_once(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "x", date="2024/05/01")  # fails both the pattern and the date format
    write_story(root, "officials", "y", era="")  # fails both the type and the list of keys
    _, problems = check(root)
    assert len(problems) == 2, problems


# ---- everything at once -------------------------------------------------------------------------


def test_all_problems_of_all_files_are_reported_at_once(tmp_path):
    root = make_project(tmp_path)
    first = write_story(root, "letters", "first", consent='"yes"', summary="测" * 200)
    second = write_story(root, "units", "second", unit_type="vilage")
    third = write_raw(root, "stories/officials/third.md", "---\ntitle: [测试\n---\n")
    edit(root, "data/townships.yml", "{name: 洞溪乡, kind: 乡}", "{name: 洞溪乡, kind: 县}")
    _, problems = check(root)
    report = "\n".join(problems)
    assert f"{first}:3: 字段 summary" in report
    assert f"{first}:5: 字段 consent" in report
    assert f"{second}:5: 字段 unit_type" in report
    assert f"{third}:" in report
    assert "data/townships.yml:" in report
    with pytest.raises(ContentError) as err:
        plan_site(root)
    assert "内容检查发现 5 个问题（4 个文件）" in str(err.value)


# ---- the passing cases --------------------------------------------------------------------------


@pytest.mark.parametrize("collection", list(MINIMAL))
def test_minimal_story_loads_with_its_fields(tmp_path, collection):
    root = make_project(tmp_path)
    write_story(root, collection, "ce-shi-1", body="## 小标题\n\n测试正文。\n")
    content, problems = check(root)
    assert problems == []
    [story] = content.stories
    assert story.collection.key == collection
    assert story.slug == "ce-shi-1"
    assert story.url == f"{collection}/ce-shi-1/"
    assert story.rel == f"stories/{collection}/ce-shi-1.md"
    assert story.meta == {**MINIMAL[collection], "title": "测试故事（ce-shi-1）"}
    assert story.body.strip().startswith("## 小标题")
    assert story.body_line == len(MINIMAL[collection]) + 3 + (collection == "officials")


def _example_value(field):
    return field.example.strip() if "\n" not in field.example else field.example


@pytest.mark.parametrize("collection", list(MINIMAL))
def test_every_documented_example_is_valid(tmp_path, collection):
    """A story using the contract's example for every field (the examples on the contributing page) passes."""
    root = make_project(tmp_path)
    for f in COLLECTIONS[collection].all_fields:  # the example files (cover, video, poster, captions) exist
        if f.kind in FILE_KINDS:
            write_raw(root, f"docs/{f.example}", b"\xff\xd8\xff")
    lines = ["---"]
    for f in COLLECTIONS[collection].all_fields:
        if f.name == "draft":
            continue
        lines.append(f"{f.name}: {f.example}")
    text = "\n".join(lines) + "\n---\n测试正文。\n"
    write_raw(root, f"stories/{collection}/li-zi.md", text)
    content, problems = check(root)
    assert problems == []
    [story] = content.stories
    assert set(story.meta) == {f.name for f in COLLECTIONS[collection].all_fields} - {"draft"}


def test_summary_of_exactly_the_maximum_passes(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "x", summary="测" * SUMMARY_MAX)
    assert check(root)[1] == []


def test_every_registered_key_is_accepted(tmp_path):
    root = make_project(tmp_path)
    content, _ = check(root)
    data = content.data
    for n, key in enumerate(data.unit_types):
        write_story(root, "units", f"u-{n}", unit_type=key)
    for n, key in enumerate(data.townships):
        write_story(root, "letters", f"l-{n}", township=key)
    for n, era in enumerate(data.eras):
        write_story(root, "officials", f"o-{n}", era=era["key"])
    content, problems = check(root)
    assert problems == []
    assert len(content.stories) == len(data.unit_types) + len(data.townships) + len(data.eras)


def test_valid_dates_stay_as_written(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "a", date="2024-05-01", written=1985)
    write_story(root, "letters", "b", written="2023-02-28")
    content, problems = check(root)
    assert problems == []
    a, b = content.stories
    assert a.meta["date"] == "2024-05-01" and a.meta["written"] == 1985
    assert b.meta["written"] == "2023-02-28"


def test_typed_fields_load_with_their_types(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "officials", "x", born=-221, died=-180, featured=True, tags=["家风", "廉洁"], unverified=True)
    content, problems = check(root)
    assert problems == []
    meta = content.stories[0].meta
    assert (meta["born"], meta["died"], meta["featured"], meta["tags"], meta["unverified"]) == (
        -221,
        -180,
        True,
        ["家风", "廉洁"],
        True,
    )


def test_good_slugs_pass(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "yuan-renyuan-2")
    write_story(root, "units", "2022")
    content, problems = check(root)
    assert problems == []
    assert {s.slug for s in content.stories} == {"yuan-renyuan-2", "2022"}


def test_cover_with_alt_and_existing_image_passes(tmp_path):
    root = make_project(tmp_path)
    write_raw(root, "docs/assets/images/test.png", b"\x89PNG")
    write_story(root, "letters", "x", cover="assets/images/test.png", cover_alt="测试图片")
    assert check(root)[1] == []


def test_utf8_with_bom_and_windows_line_ends_passes(tmp_path):
    root = make_project(tmp_path)
    text = "\ufeff" + (front_matter(MINIMAL["letters"]) + "\n测试正文。\n").replace("\n", "\r\n")
    write_raw(root, "stories/letters/x.md", text.encode("utf-8"))
    content, problems = check(root)
    assert problems == []
    assert content.stories[0].meta["title"] == MINIMAL["letters"]["title"]


@pytest.mark.parametrize(
    "changes",
    [
        {"consent": True},
        {"consent": None, "sources": [{"title": "测试资料"}]},
        {"consent": False, "sources": [{"title": "测试资料"}]},
    ],
    ids=["consent", "sources", "historical-with-consent-false"],
)
def test_letter_with_consent_or_sources_passes(tmp_path, changes):
    root = make_project(tmp_path)
    write_story(root, "letters", "x", **changes)
    assert check(root)[1] == []


def test_official_with_full_sources_passes(tmp_path):
    root = make_project(tmp_path)
    source = {
        "title": "测试资料",
        "author": "测试作者",
        "publisher": "测试出版社",
        "year": 1923,
        "url": "https://example.org/a",
        "page": "卷五",
    }
    write_story(root, "officials", "x", sources=[source, {"title": "测试资料二"}])
    content, problems = check(root)
    assert problems == []
    assert content.stories[0].meta["sources"][0] == source


def test_died_in_the_year_born_passes(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "officials", "x", born=1900, died=1900)
    assert check(root)[1] == []


def test_readme_templates_and_dot_files_are_not_stray(tmp_path):
    root = make_project(tmp_path)
    write_raw(root, "stories/README.md", "# 说明\n")
    write_raw(root, "stories/_templates/letters.md", "---\ntitle:\n---\n")
    write_raw(root, "stories/letters/.gitkeep", "")
    write_story(root, "letters", "x")
    content, problems = check(root)
    assert problems == []
    assert [s.slug for s in content.stories] == ["x"]


def test_the_repository_data_loads(tmp_path):
    content, problems = check(make_project(tmp_path))
    assert problems == []
    data = content.data
    assert list(data.unit_types) == [
        "organ",
        "village",
        "school",
        "hospital",
        "enterprise",
        "park",
        "chamber",
        "family",
        "scenic",
        "hall",
    ]
    assert all(v["name"] and v["description"] for v in data.unit_types.values())
    assert data.townships and {t["kind"] for t in data.townships.values()} <= set(TOWNSHIP_KINDS)
    starts = [e["start"] for e in data.eras]
    assert starts == sorted(starts)
    assert data.site["campaign"]["demonstration_target"] == 32


# ---- drafts ----------------------------------------------------------------------------------


def test_drafts_are_left_out_of_the_site_but_still_checked(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "published")
    write_story(root, "letters", "draft-ok", draft=True)
    content, problems = check(root, include_drafts=False)
    assert problems == []
    assert [s.slug for s in content.stories] == ["published"]
    content, _ = check(root, include_drafts=True)
    assert {s.slug for s in content.stories} == {"published", "draft-ok"}

    broken_draft = write_story(root, "letters", "draft-broken", draft=True, consent='"yes"')
    _, problems = check(root, include_drafts=False)
    assert any(p.startswith(f"{broken_draft}:5: 字段 consent") for p in problems), problems
    with pytest.raises(ContentError):
        plan_site(root)


def test_a_draft_with_a_published_story_s_slug_is_a_duplicate(tmp_path):
    root = make_project(tmp_path)
    write_story(root, "letters", "same", draft=True)
    write_story(root, "units", "same")
    _, problems = check(root, include_drafts=False)
    assert any("文件名与" in p and "重复" in p for p in problems), problems


def test_the_preview_cache_checks_again_a_story_whose_image_is_gone(tmp_path):
    """`mkdocs serve` keeps unchanged stories between rebuilds; an image deleted meanwhile must still be reported."""
    root = make_project(tmp_path)
    (root / "docs/assets/images").mkdir(parents=True)
    (root / "docs/assets/images/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    rel = write_story(root, "letters", "photo", body="![家书照片](/assets/images/photo.png)\n")
    cache: dict = {}
    assert load_content(root, cache=cache)[1] == []
    (root / "docs/assets/images/photo.png").unlink()
    shown = [str(p) for p in load_content(root, cache=cache)[1]]
    assert any(p.startswith(f"{rel}:") and "找不到图片" in p for p in shown), shown

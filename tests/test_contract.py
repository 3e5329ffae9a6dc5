"""The loader's building blocks and the contract as the single source of fields: YAML with line numbers,
front matter splitting, the printed problem format, and the schema / editor tables derived from the contract."""

from __future__ import annotations

import pytest

from qinglian.content import editor_docs
from qinglian.content.contract import COLLECTIONS, COMMON_FIELDS, SOURCE_FIELDS, story_schema
from qinglian.content.problems import ContentError, Problem, format_report
from qinglian.content.yamlfile import YamlError, parse_yaml, split_front_matter


def test_parse_yaml_remembers_the_line_of_every_value():
    parsed = parse_yaml("title: 测试\nsources:\n  - title: 甲\n    year: 1923\n  - title: 乙\ntags: [a, b]\n")
    assert parsed.line_of(("title",)) == 1
    assert parsed.line_of(("sources",)) == 2
    assert parsed.line_of(("sources", 0, "year")) == 4
    assert parsed.line_of(("sources", 1, "title")) == 5
    assert parsed.line_of(("tags", 1)) == 6
    assert parsed.line_of(("sources", 1, "missing")) == 5  # nearest parent that has a line


def test_dates_stay_strings_and_years_stay_ints():
    data = parse_yaml("date: 2024-05-01\nwritten: 1985\nbad: 2024-13-01\n").data
    assert data == {"date": "2024-05-01", "written": 1985, "bad": "2024-13-01"}


def test_yaml_error_carries_the_shifted_line():
    with pytest.raises(YamlError) as err:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", line_offset=1)
    assert err.value.line >= 3
    assert "YAML 格式错误" in err.value.message


def test_split_front_matter():
    doc = split_front_matter("---\ntitle: 测试\nsummary: 摘要\n---\n\n正文第一行\n")
    assert doc.meta.data == {"title": "测试", "summary": "摘要"}
    assert doc.meta.line_of(("summary",)) == 3  # lines counted in the whole file
    assert doc.body.strip() == "正文第一行"
    assert doc.body_line == 5
    assert split_front_matter("# 没有字段\n") is None


def test_problem_prints_path_line_field_message_fix():
    problem = Problem("stories/letters/x.md", 5, "consent", "应为true 或 false。", "请改正。")
    assert str(problem) == "stories/letters/x.md:5: 字段 consent：应为true 或 false。 修改：请改正。"
    assert (
        str(Problem("stories/foo.md", 0, None, "故事要放在栏目文件夹里。"))
        == "stories/foo.md: 故事要放在栏目文件夹里。"
    )


def test_report_counts_problems_and_files_and_sorts_them():
    problems = [Problem("b.md", 2, None, "二"), Problem("a.md", 9, None, "一"), Problem("a.md", 1, None, "三")]
    report = format_report(problems)
    assert report.splitlines()[0] == "内容检查发现 3 个问题（2 个文件），请逐条修改后再试："
    err = ContentError(problems + [Problem("a.md", 1, None, "三")])  # duplicates collapse
    assert [f"{p.path}:{p.line}" for p in err.problems] == ["a.md:1", "a.md:9", "b.md:2"]


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_schema_is_derived_from_the_contract(key):
    collection = COLLECTIONS[key]
    schema = story_schema(collection, {"unit_types": ["village"], "townships": ["lingyang"], "eras": ["qing"]})
    assert set(schema["properties"]) == {f.name for f in collection.all_fields}
    assert set(schema["required"]) >= {f.name for f in collection.all_fields if f.required}
    assert ("sources" in schema["required"]) == collection.sources_required
    for f in collection.all_fields:
        if f.ref:
            assert (
                schema["properties"][f.name]["enum"]
                == {"unit_types": ["village"], "townships": ["lingyang"], "eras": ["qing"]}[f.ref]
            )


def test_contract_declares_the_issue_s_fields():
    """The names editors and tools depend on (issue 2): fields may be added, never renamed."""
    common = {f.name for f in COMMON_FIELDS}
    assert common >= {
        "title",
        "summary",
        "tags",
        "cover",
        "cover_alt",
        "featured",
        "date",
        "draft",
        "unverified",
        "sources",
    }
    assert {f.name for f in SOURCE_FIELDS} >= {"title", "author", "publisher", "year", "url", "page"}
    names = {key: {f.name for f in c.fields} for key, c in COLLECTIONS.items()}
    assert names["officials"] >= {"name", "era", "born", "died", "office", "township"}
    assert names["letters"] >= {"author", "relation", "written", "township", "consent"}
    assert names["units"] >= {"unit", "unit_type", "township", "demonstration", "year", "highlights"}
    required = {key: {f.name for f in c.all_fields if f.required} for key, c in COLLECTIONS.items()}
    assert required == {
        "officials": {"title", "summary", "name", "era"},
        "letters": {"title", "summary", "author"},
        "units": {"title", "summary", "unit", "unit_type"},
    }


def test_editor_tables_list_every_field():
    for name in ("common", "sources", *COLLECTIONS):
        table = editor_docs.tables_for(name)
        fields = {"common": COMMON_FIELDS, "sources": SOURCE_FIELDS}.get(name) or COLLECTIONS[name].fields
        for f in fields:
            assert f"| `{f.name}` | {f.label} |" in table
    expanded = editor_docs.expand_placeholders("前\n<!-- qinglian:fields letters -->\n后")
    assert "`consent`" in expanded and "<!--" not in expanded

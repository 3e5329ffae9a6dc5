"""hooks/new.py and stories/_templates/: new-story files generated from the contract."""

from __future__ import annotations

import re

import pytest
from check import main as check_main
from new import main as new_main

from conftest import REPO, copy_fixture_project
from qinglian.content.contract import COLLECTIONS
from qinglian.content.scaffold import templates


def test_committed_templates_are_the_generated_ones():
    for rel, text in templates().items():
        path = REPO / rel
        assert path.is_file(), f"{rel} missing: run python hooks/new.py --templates"
        assert path.read_text(encoding="utf-8") == text, f"{rel} is stale: run python hooks/new.py --templates"
    assert sorted(p.name for p in (REPO / "stories" / "_templates").glob("*.md")) == sorted(
        f"{key}.md" for key in COLLECTIONS
    )


@pytest.mark.parametrize("key", sorted(COLLECTIONS))
def test_template_lists_and_explains_every_field(key):
    text = templates()[f"stories/_templates/{key}.md"]
    for f in COLLECTIONS[key].all_fields:
        line = re.search(rf"^(?:# )?{f.name}:", text, re.M)
        assert line, f"{f.name} missing from the {key} template"
        before = text[: line.start()].rstrip("\n").split("\n")
        assert any(f.help in row for row in before[-4:]), f"{f.name} has no explanation above it"


def test_new_story_gets_a_unique_pinyin_slug_and_passes_once_filled(tmp_path, capsys):
    root = copy_fixture_project(tmp_path)
    assert new_main(["letters", "测试家书第1篇", "--root", str(root)]) == 0
    first = root / "stories" / "letters" / "ce-shi-jia-shu-di-1-pian.md"
    assert first.is_file()
    assert "已创建 stories/letters/ce-shi-jia-shu-di-1-pian.md" in capsys.readouterr().out

    # the same title again, or an existing slug in another collection: never overwritten
    assert new_main(["units", "测试家书第1篇", "--root", str(root)]) == 0
    assert (root / "stories" / "units" / "ce-shi-jia-shu-di-1-pian-2.md").is_file()
    assert new_main(["units", "测试", "--slug", "yuan-renyuan", "--root", str(root)]) == 1
    assert "已有文件 stories/officials/yuan-renyuan.md" in capsys.readouterr().err

    # unfilled: the check names the required fields, with their lines
    assert check_main([str(root)]) == 1
    out = capsys.readouterr().out
    assert "stories/letters/ce-shi-jia-shu-di-1-pian.md:" in out and "字段 summary" in out and "字段 author" in out

    # filled in as an editor would: uncomment consent, fill the blanks
    text = first.read_text(encoding="utf-8")
    text = text.replace("summary: \n", "summary: 测试摘要。\n").replace("author: \n", "author: 测试写信人\n")
    text = text.replace("# consent: true", "consent: true").replace("<!--", "测试正文第1篇。\n\n<!--")
    first.write_text(text, encoding="utf-8")
    (root / "stories" / "units" / "ce-shi-jia-shu-di-1-pian-2.md").unlink()
    assert check_main([str(root)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["poems", "测试"], "没有“poems”这个栏目"),
        (["letters"], "请在栏目后面写上故事标题"),
        (["letters", "测试", "--slug", "Bad Slug"], "只能用小写字母"),
    ],
)
def test_new_story_mistakes_are_explained(tmp_path, capsys, argv, message):
    assert new_main([*argv, "--root", str(tmp_path)]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "title, slug",
    [
        ("测试：全角冒号", "ce-shi-quan-jiao-mao-hao"),
        ("测试: 半角冒号", "ce-shi-ban-jiao-mao-hao"),
        ("[测试]", "ce-shi"),
        ("测试 #1", "ce-shi-1"),
        ("yes", "yes"),
        ("123", "123"),
        ("测试家书2023", "ce-shi-jia-shu-2023"),
        ('"测试"引号', "ce-shi-yin-hao"),
        ("测试绿色", "ce-shi-lv-se"),
    ],
)
def test_any_title_is_written_as_the_same_text(tmp_path, title, slug):
    """Titles that YAML would read as something else (a boolean, a number, a list, a comment) are quoted."""
    from qinglian.content.yamlfile import split_front_matter

    path = tmp_path / "stories" / "letters"
    assert new_main(["letters", title, "--root", str(tmp_path)]) == 0
    written = path / f"{slug}.md"
    assert split_front_matter(written.read_text(encoding="utf-8")).meta.data["title"] == title

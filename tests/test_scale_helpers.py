"""What the build-speed work relies on: the fast YAML path changes nothing an editor sees, and the
benchmark's synthetic stories are valid, obviously synthetic and spread over every collection."""

from __future__ import annotations

import pytest

from conftest import REPO, copy_project
from qinglian.content.load import load_content
from qinglian.content.yamlfile import FRONT_MATTER, YamlError, _FastLoader, _Loader, _parse, parse_yaml
from synthetic import write_stories


def _yaml_sources():
    for path in sorted((REPO / "stories").glob("*/*.md")):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if match:
            yield path.name, match.group(1)
    for path in sorted((REPO / "data").glob("*.yml")):
        yield path.name, path.read_text(encoding="utf-8")


def test_libyaml_is_used_and_reads_every_file_like_the_python_parser():
    assert _FastLoader is not None, "PyYAML without libyaml: front matter parsing is ~6x slower"
    sources = list(_yaml_sources())
    assert len(sources) >= 10
    for name, text in sources:
        slow, fast = _parse(_Loader, text, 1), parse_yaml(text, 1)
        assert (fast.data, fast.lines) == (slow.data, slow.lines), name


@pytest.mark.parametrize(
    "text",
    [
        "title: 测试\n\tsummary: 用了 Tab\n",
        "title: 测试：a: b\n",
        "tags: [家风\nsummary: 缺右括号\n",
        "title: @开头\n",
    ],
)
def test_bad_yaml_gives_the_same_located_message_as_before(text):
    with pytest.raises(YamlError) as python:
        _parse(_Loader, text, 1)
    with pytest.raises(YamlError) as used:
        parse_yaml(text, 1)
    assert (used.value.line, used.value.message) == (python.value.line, python.value.message)
    assert used.value.message.startswith("YAML 格式错误")


def test_synthetic_stories_are_valid_and_obviously_synthetic(tmp_path):
    root = copy_project(tmp_path)
    paths = write_stories(root, 40, seed=3)
    assert len(paths) == 40
    assert {p.parent.name for p in paths} == {"officials", "letters", "units"}
    content, problems = load_content(root)
    assert problems == []
    synthetic = [s for s in content.stories if s.slug.startswith("ceshi-")]
    assert len(synthetic) == 40
    for story in synthetic:
        assert story.title.startswith("测试故事第") and story.title.endswith("篇")
        assert "虚构文本" in story.body
        assert 300 <= len(story.body) <= 3300
    assert write_stories(copy_project(tmp_path / "again"), 40, seed=3)[0].read_text(encoding="utf-8") == paths[
        0
    ].read_text(encoding="utf-8")  # same seed, same files

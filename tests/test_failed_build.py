"""A broken story or a strict-mode warning fails the build with a located Chinese message, no traceback,
and leaves the last good site exactly as it was. Also the editors' fast check, `python hooks/check.py`.

One copy of the project (module fixture) is built twice successfully into the same site folder (the
second build swaps in over the first); each test then breaks one thing, builds again into the same
folder, and puts the file back.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_output, build_site, copy_fixture_project, site_files

pytestmark = pytest.mark.slow

STORY = "stories/units/xiangshi-moshi.md"
LETTER = "stories/letters/zhuge-liang-jiezishu.md"


@contextlib.contextmanager
def changed(root: Path, rel: str, old: str, new: str):
    path = root / rel
    original = path.read_text(encoding="utf-8")
    assert old in original, f"{old!r} not in {rel}"
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.site = root / "site"

    def build(self) -> subprocess.CompletedProcess:
        return build_site(self.root / "mkdocs.yml", self.site, cwd=self.root)

    def check(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(self.root / "hooks" / "check.py"), *args],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    project = Project(copy_fixture_project(tmp_path_factory.mktemp("failed-build") / "project"))
    first = project.build()
    assert first.returncode == 0, build_output(first)
    # a second good build swaps in over the first one
    with changed(project.root, STORY, "title: 象市镇：", "title: 测试改名·象市镇："):
        second = project.build()
        assert second.returncode == 0, build_output(second)
    return project


def assert_site_intact(project: Project, before: dict[str, str]) -> None:
    assert project.site.is_dir()
    assert site_files(project.site) == before, "the previous site was changed by a failed build"
    leftovers = [p.name for p in project.site.parent.iterdir() if p.name.startswith("site.") and p.name != "site.lock"]
    assert not leftovers, "a failed build left its half-built staging folder behind"


def assert_clean_failure(proc: subprocess.CompletedProcess) -> str:
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, build_output(proc)
    assert "Traceback" not in output, output
    return output


def test_a_good_rebuild_replaces_the_site(project):
    page = (project.site / "units/xiangshi-moshi/index.html").read_text(encoding="utf-8")
    assert "测试改名·象市镇：" in page
    assert (project.site / "index.html").is_file()
    assert sorted(p.name for p in project.site.parent.iterdir() if p.name.startswith("site")) == ["site", "site.lock"]


def test_invalid_yaml_fails_and_keeps_the_previous_site(project):
    before = site_files(project.site)
    with changed(project.root, LETTER, "author: 诸葛亮", "author: 诸葛亮\n\trelation: 父亲"):
        proc = project.build()
    output = assert_clean_failure(proc)
    assert f"{LETTER}:5: YAML 格式错误：用了 Tab 缩进" in output
    assert "修改：" in output
    assert_site_intact(project, before)


def test_unknown_unit_type_fails_and_keeps_the_previous_site(project):
    before = site_files(project.site)
    with changed(project.root, STORY, "unit_type: village", "unit_type: vilage"):
        proc = project.build()
    output = assert_clean_failure(proc)
    assert f"{STORY}:5: 字段 unit_type：“vilage”不是已登记的单元类型。 修改：是不是“village”？" in output
    assert_site_intact(project, before)


def test_every_problem_of_every_file_in_one_failed_build(project):
    before = site_files(project.site)
    with (
        changed(project.root, STORY, "unit_type: village", "unit_type: vilage"),
        changed(project.root, LETTER, "author: 诸葛亮", "author: 诸葛亮\nconsent: 是"),
        changed(project.root, "data/townships.yml", "kind: 土家族乡}", "kind: 苗族乡}"),
    ):
        proc = project.build()
    output = assert_clean_failure(proc)
    assert f"{STORY}:5: 字段 unit_type" in output
    assert f"{LETTER}:5: 字段 consent：应为true 或 false，现在是文字“是”" in output
    assert "data/townships.yml:" in output and "苗族乡" in output
    assert "内容检查发现 3 个问题（3 个文件）" in output  # and no false alarms about the townships in use
    assert_site_intact(project, before)


def test_a_strict_mode_warning_fails_and_keeps_the_previous_site(project):
    before = site_files(project.site)
    with changed(project.root, "docs/campaign.md", "## 数字一览", "[测试坏链接](no-such-page.md)\n\n## 数字一览"):
        proc = project.build()
    output = assert_clean_failure(proc)
    assert "no-such-page.md" in output
    assert "上一次成功构建" in output  # the hook says the old site was kept
    assert_site_intact(project, before)


def test_a_hand_written_page_on_a_generated_address_fails_and_keeps_the_site(project):
    before = site_files(project.site)
    page = project.root / "docs" / "tags" / "index.md"
    page.parent.mkdir()
    page.write_text("# 测试\n", encoding="utf-8")
    try:
        proc = project.build()
    finally:
        page.unlink()
        page.parent.rmdir()
    output = assert_clean_failure(proc)
    assert "docs/tags/index.md: 这个地址由生成器使用" in output
    assert_site_intact(project, before)


def test_check_command_reports_problems_without_a_traceback(project):
    with (
        changed(project.root, STORY, "unit_type: village", "unit_type: vilage"),
        changed(project.root, LETTER, "author: 诸葛亮", "author: 诸葛亮\n\trelation: 父亲"),
    ):
        proc = project.check(str(project.root))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    assert f"{STORY}:5: 字段 unit_type" in output
    assert f"{LETTER}:5: YAML 格式错误" in output
    assert "内容检查发现 2 个问题（2 个文件）" in output


def test_check_command_passes_on_good_content(project):
    proc = project.check(str(project.root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "检查通过" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_check_command_on_a_folder_without_content(tmp_path, project):
    proc = project.check(str(tmp_path))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert "Traceback" not in output
    assert "data/site.yml: 缺少数据文件" in output

"""An editor's everyday changes never turn CI red: in a copy of the project made without ../shared (as a
plain GitHub checkout is), one story is added, one retitled and one removed; the content check, the strict
build and the suite's content-independent test files still pass there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_STORIES, REPO, TESTS, build_output, build_site, copy_project
from contentkit import MINIMAL, front_matter
from qinglian.content.load import load_content

# The test files that read or build the real content (or used to count it); run inside the copy.
SUITE = ("tests/test_lint.py", "tests/test_build.py", "tests/test_real_site.py", "tests/test_reading_build.py")


def _edit_like_an_editor(root: Path) -> dict[str, str]:
    """Add a letter, retitle one story, remove another; return what was done (urls and the new title)."""
    content, problems = load_content(root)
    assert problems == [] and len(content.stories) >= 2
    every_text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "stories").rglob("*.md"))
    every_text += "\n".join(p.read_text(encoding="utf-8") for p in (root / "docs").rglob("*.md"))
    every_text += "\n".join(p.read_text(encoding="utf-8") for p in (root / "data").glob("*.yml"))  # quotes name stories
    # a story no other file names can go without breaking a link
    removable = [s for s in content.stories if every_text.count(s.slug) <= 1]
    assert removable, "every story is linked from elsewhere"
    removed = removable[-1]
    retitled = next(s for s in content.stories if s is not removed)
    removed.path.unlink()

    path = retitled.path
    text = path.read_text(encoding="utf-8")
    new_title = f"测试改名：{retitled.title}"
    assert f"title: {retitled.title}\n" in text
    path.write_text(text.replace(f"title: {retitled.title}\n", f"title: {new_title}\n", 1), encoding="utf-8")

    letter = dict(MINIMAL["letters"], title="测试新家书：给孩子的一封信")
    (root / "stories" / "letters" / "ce-shi-xin-jia-shu.md").write_text(
        front_matter(letter) + "\n孩子：\n\n做人要清白。\n", encoding="utf-8"
    )
    return {
        "removed": removed.url,
        "retitled": retitled.url,
        "new_title": new_title,
        "added": "letters/ce-shi-xin-jia-shu/",
    }


@pytest.fixture(scope="module")
def edited_copy(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = copy_project(
        tmp_path_factory.mktemp("independent") / "project", extra=("tests", "tools", "bench", "pyproject.toml")
    )
    assert not any((parent / "shared").exists() for parent in root.parents), "the copy must not see ../shared"
    return root, _edit_like_an_editor(root)


def test_check_passes_after_adding_retitling_and_removing(edited_copy):
    root, _done = edited_copy
    proc = subprocess.run([sys.executable, "hooks/check.py"], cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    count = len(load_content(root, include_drafts=True)[0].stories)
    assert f"检查通过：{count} 篇故事" in proc.stdout


@pytest.mark.slow
def test_strict_build_shows_the_changes(edited_copy):
    root, done = edited_copy
    site = root / "site"
    proc = build_site(root / "mkdocs.yml", site, cwd=root)
    assert proc.returncode == 0, build_output(proc)
    assert (site / done["added"] / "index.html").is_file()
    assert not (site / done["removed"]).exists()
    assert done["new_title"] in (site / done["retitled"] / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_suites_content_independent_parts_pass_in_the_copy(edited_copy):
    root, _done = edited_copy
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser", *SUITE],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "error" not in proc.stdout.splitlines()[-1]


def test_no_test_names_a_real_story_that_is_not_a_fixture():
    """Tests name stories of tests/fixtures/stories/ only: a slug or title of any other real story in a test
    file would fail that test when an editor renames or removes the story."""
    fixtures = {p.stem for p in FIXTURE_STORIES.glob("*/*.md")}
    content, _ = load_content(REPO, include_drafts=True)
    names = {s.slug for s in content.stories if s.slug not in fixtures}
    names |= {s.title for s in content.stories if s.slug not in fixtures and len(s.title) >= 6}
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(TESTS.glob("*.py"))}
    named = {(name, file) for name in names for file, text in sources.items() if name in text}
    assert named == set()

"""Builds take a lock and swap the new site in atomically (hooks/qinglian/build/publish.py).

Two builds into one folder both end cleanly; a build killed at any moment leaves the old site or the new one,
never none; a full disk, a read-only folder or a build that waits too long for another ends in a located
Chinese message, no traceback.
"""

from __future__ import annotations

import fcntl
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import build_output, build_site, copy_project, site_files

pytestmark = pytest.mark.slow

TITLE_OLD, TITLE_NEW = "title: 象市镇：", "title: 测试改名·象市镇："
STORY = "stories/units/xiangshi-moshi.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("safety") / "project")
    first = build_site(root / "mkdocs.yml", root / "site", cwd=root)
    assert first.returncode == 0, build_output(first)
    return root


def _start(root: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("site.") and p.name != "site.lock")


def _title_in_site(root: Path) -> str:
    home = (root / "site" / "units" / "xiangshi-moshi" / "index.html").read_text(encoding="utf-8")
    return "new" if "测试改名" in home else "old"


def _retitle(root: Path, new: bool) -> None:
    path = root / STORY
    text = path.read_text(encoding="utf-8")
    old, wanted = (TITLE_OLD, TITLE_NEW) if new else (TITLE_NEW, TITLE_OLD)
    path.write_text(text.replace(old, wanted, 1), encoding="utf-8")


def test_two_builds_at_once_both_end_cleanly_and_the_site_never_misses_its_home_page(project):
    builds = [_start(project), _start(project)]
    missing = 0
    while any(b.poll() is None for b in builds):
        missing += not (project / "site" / "index.html").is_file()
        time.sleep(0.005)
    outputs = [b.communicate() for b in builds]
    for build, (out, err) in zip(builds, outputs):
        assert build.returncode == 0, out + err
        assert "Traceback" not in out + err
    assert missing == 0, "site/index.html was missing while two builds ran"
    assert any("另一个构建" in err for _, err in outputs), "the second build did not wait for the first"
    assert _leftovers(project) == []


@pytest.mark.parametrize("point, expected", [("before-swap", "old"), ("after-swap", "new")])
def test_a_build_killed_in_the_swap_leaves_a_whole_site(project, point, expected):
    _retitle(project, new=True)
    try:
        build = _start(project, QINGLIAN_TEST_PAUSE=f"{point}:60")
        for line in build.stderr:
            if f"qinglian-pause:{point}" in line:
                break
        else:
            pytest.fail(f"the build never reached {point}: {build.communicate()}")
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert (project / "site" / "index.html").is_file()
        assert _title_in_site(project) == expected
    finally:
        _retitle(project, new=False)
    after = build_site(project / "mkdocs.yml", project / "site", cwd=project)  # the next build cleans up
    assert after.returncode == 0, build_output(after)
    assert _title_in_site(project) == "old"
    assert _leftovers(project) == []


def test_builds_killed_at_random_moments_never_leave_the_site_missing(project):
    rng = random.Random(int(os.environ.get("QINGLIAN_KILL_SEED", "12")))
    started = time.monotonic()
    probe = _start(project)
    probe.communicate()
    duration = time.monotonic() - started
    for _ in range(6):
        build = _start(project)
        time.sleep(rng.uniform(0.3, duration))
        build.send_signal(signal.SIGKILL)
        build.communicate()
        assert (project / "site" / "index.html").is_file()
    final = build_site(project / "mkdocs.yml", project / "site", cwd=project)
    assert final.returncode == 0, build_output(final)
    assert _leftovers(project) == []


def test_a_second_build_that_waits_too_long_stops_with_a_chinese_message(project):
    before = site_files(project / "site")
    with open(project / "site.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build holds the site
        build = _start(project, QINGLIAN_LOCK_WAIT="1")
        out, err = build.communicate(timeout=120)
    assert build.returncode != 0
    assert "Traceback" not in out + err
    assert "另一个构建" in err and "等那个构建结束后再运行" in err, err
    assert site_files(project / "site") == before
    assert _leftovers(project) == []


def test_a_full_disk_during_the_build_is_a_located_message_and_the_old_site_stays(project):
    before = site_files(project / "site")

    def small_disk():  # writes beyond 20 KB fail as they would on a full disk (EFBIG instead of ENOSPC)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        preexec_fn=small_disk,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Traceback" not in output, output
    assert "构建失败：写入" in output and "上一次成功构建的网站保留在" in output, output
    assert site_files(project / "site") == before
    assert _leftovers(project) == []


def test_a_read_only_site_folder_is_a_chinese_message_without_traceback(project, tmp_path):
    parent = tmp_path / "readonly"
    parent.mkdir()
    if os.geteuid() == 0:  # root ignores permission bits; an immutable folder refuses root too
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(parent)]).returncode:
            pytest.skip("running as root without chattr +i: cannot make a folder read-only")
        undo = ["chattr", "-i", str(parent)]
    else:
        parent.chmod(0o555)
        undo = ["chmod", "755", str(parent)]
    try:
        proc = build_site(project / "mkdocs.yml", parent / "site", cwd=project)
    finally:
        subprocess.run(undo)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Traceback" not in output, output
    assert "构建失败" in output and str(parent) in output, output
    assert not (parent / "site").exists()


def test_a_site_left_aside_by_a_killed_two_rename_swap_is_put_back(tmp_path):
    """Where the system has no atomic exchange, the swap takes two renames; the next build restores the old
    site if a kill fell between them."""
    from qinglian.build.publish import Publication

    aside = tmp_path / "site.previous-4242"
    aside.mkdir()
    (aside / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / "site.building-4243").mkdir()
    publication = Publication.begin(tmp_path / "site")
    try:
        assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
        assert _leftovers(tmp_path) == [publication.staging.name]
    finally:
        publication.abandon()
    assert _leftovers(tmp_path) == []

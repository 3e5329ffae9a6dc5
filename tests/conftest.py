"""Shared fixtures and helpers for the whole test suite.

- ``REPO``: the repository root. pyproject.toml's pytest ``pythonpath`` puts ``hooks/`` (the generator,
  ``import qinglian``) and ``tools/`` (helpers shared with bench/: ``synthetic``, ``browser_support``) on
  sys.path; tests never import bench/.
- ``build_site(config_file, site_dir, cwd)``: one ``mkdocs build --strict``.
- ``copy_project(tmp_path)``: a throw-away copy of the project to break, with the real stories (tools/synthetic.py).
- ``copy_fixture_project(tmp_path)``: the same with the fixture stories of ``tests/fixtures/stories/`` in
  place of the real ones. Tests that name a story (its title, slug, panel, search words) use these: the
  real stories change as editors work, and a new or retitled story must never fail a test.
- ``built_site`` (session): the fixture project's site, built once per session.
- ``real_site`` (session): the repository's own site, for checks that hold for any valid content
  (it builds strict, its links resolve, its pages pass axe).
- ``site_server`` (session): base URL of ``built_site`` served on 127.0.0.1.
- ``serve_dir(path)``: the same server for any folder (e.g. the kiosk edition).
- ``browser`` (session), ``page``, ``phone_page``: headless Debian Chromium.
- ``record_requests(page)``: every request URL the page makes.

Groups (markers registered in pyproject.toml), given to every test here: ``browser`` (uses a browser
fixture or starts Chromium itself), ``build`` (runs MkDocs: marked ``slow``, uses a built site, calls a
build itself or through a fixture of its module, or its module says ``pytestmark = pytest.mark.build``),
``unit`` (everything else). So
``pytest -m unit`` runs in seconds, ``-m "not browser"`` runs without Chromium.
"""

from __future__ import annotations

import ast
import atexit
import functools
import hashlib
import inspect
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    external_requests,
    record_requests,
    serve_dir,
)
from synthetic import copy_project  # one copy of the project, for tests and benchmarks alike

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent

__all__ = [
    "REPO",
    "TESTS",
    "build_site",
    "copy_project",
    "copy_fixture_project",
    "keep_quotes_of_present_stories",
    "fixture_project_root",
    "FIXTURE_STORIES",
    "serve_dir",
    "record_requests",
    "external_requests",
    "in_ci",
]

# Stories frozen for the tests (copies of the first real stories, with their sources): the tests that name a
# story, a title or a count read these, never stories/.
FIXTURE_STORIES = TESTS / "fixtures" / "stories"
# The Material whose markup the page passes (outputs/editions.py, outputs/search.py, outputs/offline.py) and the
# copied partials were written against; test_editions.py fails on any other, naming what to re-check.
MATERIAL_VERSION = "9.8.1"

BROWSER_FIXTURES = {"browser", "page", "phone_page"}
BUILD_FIXTURES = {"built_site", "real_site", "site_server", "big_site", "kiosk_site"}  # session/module builds
# A test whose own code starts Chromium or MkDocs (rather than through a fixture).
_STARTS_BROWSER = ("CHROMIUM",)
_STARTS_BUILD = ("build_site(", "build_kiosk(", '"mkdocs"', "'mkdocs'")


@functools.cache
def _fixtures_starting(module, words: tuple[str, ...]) -> frozenset[str]:
    """Names of the fixtures defined in `module` whose own code contains one of `words`."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return frozenset()
    found = set()
    for node in ast.walk(ast.parse(source)):
        is_fixture = isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list)
        if is_fixture and any(word in (ast.get_source_segment(source, node) or "") for word in words):
            found.add(node.name)
    return frozenset(found)


def _group(item) -> str:
    fixtures = set(getattr(item, "fixturenames", ()))  # the whole closure, fixtures of fixtures included
    try:
        source = inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        source = ""
    module = getattr(item, "module", None)
    if (
        BROWSER_FIXTURES & fixtures
        or any(word in source for word in _STARTS_BROWSER)
        or fixtures & _fixtures_starting(module, _STARTS_BROWSER)
    ):
        return "browser"
    if (
        BUILD_FIXTURES & fixtures
        or item.get_closest_marker("slow")
        or item.get_closest_marker("build")
        or any(word in source for word in _STARTS_BUILD)
        or fixtures & _fixtures_starting(module, _STARTS_BUILD)
    ):
        return "build"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items) -> None:
    """Every test gets exactly one group: browser, build or unit (see the module docstring)."""
    for item in items:
        item.add_marker(getattr(pytest.mark, _group(item)))


def in_ci() -> bool:
    """True when running under CI (the CI variable is set and not false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# --------------------------------------------------------------------- build


def copy_fixture_project(dest: str | Path) -> Path:
    """copy_project(dest) with every collection folder of stories/ replaced by tests/fixtures/stories/
    (stories/_templates stays: it is the editors' tool, not content)."""
    root = copy_project(Path(dest))
    for folder in (root / "stories").iterdir():
        if folder.is_dir() and not folder.name.startswith("_"):
            shutil.rmtree(folder)
    for folder in FIXTURE_STORIES.iterdir():
        shutil.copytree(folder, root / "stories" / folder.name)
    keep_quotes_of_present_stories(root)
    return root


def keep_quotes_of_present_stories(root: Path) -> None:
    """data/site.yml quotes lines of real stories (the build checks each against its story's text): keep those
    the project's stories hold word for word, so a copy with other stories builds whatever the real quotes are."""
    import yaml

    path = root / "data" / "site.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    quotes = data.get("quotes") if isinstance(data, dict) else None
    if not isinstance(quotes, list):
        return

    def held(quote) -> bool:
        story = root / "stories" / f"{quote.get('story', '')}.md"
        return story.is_file() and str(quote.get("text", "")) in story.read_text(encoding="utf-8")

    kept = [q for q in quotes if isinstance(q, dict) and held(q)]
    if kept != quotes:
        data["quotes"] = kept
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@functools.cache
def fixture_project_root() -> Path:
    """One copy_fixture_project per test session, made on first use, removed at exit. Test modules that
    parametrize over the fixture stories load them from here at collection time."""
    tmp = Path(tempfile.mkdtemp(prefix="qinglian-fixture-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    return copy_fixture_project(tmp / "project")


def build_site(
    config_file: str | Path,
    site_dir: str | Path,
    cwd: str | Path,
    timeout: float = 900,
) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict -f CONFIG -d SITE`` in ``cwd`` with this
    interpreter; return the CompletedProcess (text stdout/stderr captured).
    It never raises on a failed build: check ``returncode``."""
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(config_file),
        "-d",
        str(site_dir),
    ]
    return subprocess.run(
        cmd,
        cwd=str(cwd),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        # Material's end-of-life banner would open every failure message.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def site_files(site: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file of a built site (path -> hash of its bytes), except those under the folders in `skip`."""
    return {
        rel: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not (rel := p.relative_to(site).as_posix()).startswith(tuple(f + "/" for f in skip))
    }


def build_output(proc: subprocess.CompletedProcess) -> str:
    """stdout + stderr of a build, for failure messages."""
    return f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"


def _build_or_fail(root: Path, site: Path) -> Path:
    proc = build_site(root / "mkdocs.yml", site, cwd=root)
    if proc.returncode != 0:
        pytest.fail(
            f"mkdocs build --strict of {root} failed (exit {proc.returncode})\n{build_output(proc)}",
            pytrace=False,
        )
    return site


@pytest.fixture(scope="session")
def fixture_project() -> Path:
    """The session's copy of the project with the fixture stories (fixture_project_root); do not change it."""
    return fixture_project_root()


@pytest.fixture(scope="session")
def built_site(fixture_project: Path) -> Path:
    """The fixture project's site, built once per session: what the tests that name stories read."""
    return _build_or_fail(fixture_project, fixture_project / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site with its real stories, built once per session. Tests of it hold for any
    valid content: they never name or count the stories."""
    return _build_or_fail(REPO, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """Base URL ``http://127.0.0.1:PORT/`` of the built site."""
    with serve_dir(built_site) as base_url:
        yield base_url


# ------------------------------------------------------------------- browser


def _no_browser(reason: str):
    if in_ci():
        pytest.fail(
            f"{reason}\nIn CI a missing browser is a failure, not a skip: "
            f"`make test` (make system-deps) must install Debian's chromium.",
            pytrace=False,
        )
    pytest.skip(f"{reason} (run `make system-deps`)")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; never downloads a browser."""
    if not os.access(CHROMIUM, os.X_OK):
        _no_browser(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - requirements-test.txt has it
        _no_browser(f"Playwright for Python is not installed: {exc}")

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        pw.stop()
        _no_browser(f"could not launch {CHROMIUM}: {exc}")
    try:
        yield browser
    finally:
        try:
            browser.close()
        finally:
            pw.stop()


@pytest.fixture
def page(browser):
    """A desktop page: locale zh-CN, 1280x900."""
    # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval(), which every page's meta
    # Content-Security-Policy forbids. The policy itself is tested with contexts of their own
    # (test_deploy.py, test_hostile_render.py).
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A phone page: locale zh-CN, 360x740 at 2x, mobile with touch."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,  # as in `page`
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()

"""Publishing: the Content-Security-Policy in deploy/ is one the built site satisfies, the nginx caching
rules match the real asset names, and the GitHub files are valid."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from browser_support import serve_dir
from conftest import REPO

sys.path.insert(0, str(REPO / "deploy"))
import csp  # noqa: E402

NGINX = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_committed_csp_allows_every_inline_script_of_the_site(built_site):
    policy = csp.committed_policy()
    code = csp.inline_code(built_site)
    assert code["scripts"], "Material's inline scripts were not found: the scan is broken"
    missing = {h: page for h, page in code["scripts"].items() if h not in policy}
    assert not missing, (
        f"inline scripts not allowed by deploy/security-headers.conf: {missing}; run python deploy/csp.py site/ --write"
    )
    assert not code["handlers"], f"inline event handlers cannot be allowed by a CSP: {code['handlers']}"
    assert "<style>" not in code["styles"]
    assert all(h in policy for h in code["styles"])
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


@pytest.fixture
def page(browser):
    """A desktop page that enforces the pages' CSP (conftest's `page` bypasses it for wait_for_function)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def serve_with_csp(path: Path, policy: str):
    """serve_dir with the Content-Security-Policy header nginx sends."""
    return serve_dir(path, headers={"Content-Security-Policy": policy})


WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile));
"""


def _visit(page, url: str) -> tuple[list[str], str]:
    page.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp"), page.evaluate("typeof window.__md_scope")


def test_pages_work_under_the_committed_csp(page, built_site):
    with serve_with_csp(built_site, csp.committed_policy()) as base:
        for path in ("", "officials/yuan-renyuan/", "letters/zhuge-liang-jiezishu/", "tags/", "contributing/"):
            violations, scope = _visit(page, base + path)
            assert violations == [], f"/{path}: {violations}"
            assert scope == "object", f"/{path}: Material's inline script did not run"
        # searching loads the search code and index (a worker or WebAssembly) under the same policy
        page.goto(base)
        page.locator("input.md-search__input").first.click()
        page.keyboard.type("袁任远")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__csp") == []


def test_csp_check_would_notice_a_missing_hash(page, built_site):
    strict = re.sub(r"'sha256-[^']+'", "", csp.committed_policy())
    with serve_with_csp(built_site, strict) as base:
        violations, scope = _visit(page, base + "officials/yuan-renyuan/")
    assert violations and scope == "undefined"


def _location_regex(marker: str) -> re.Pattern:
    match = re.search(rf'location ~\*? "([^"]*{re.escape(marker)}[^"]*)"', NGINX)
    assert match, marker
    return re.compile(match.group(1), re.I if "~*" in match.group(0) else 0)


def test_nginx_long_caching_matches_hashed_assets_only(built_site):
    hashed = _location_regex(r"[0-9a-f]{8,}")
    assets = ["/" + p.relative_to(built_site).as_posix() for p in (built_site / "assets").rglob("*") if p.is_file()]
    long_cached = {a for a in assets if hashed.search(a)}
    names = {re.sub(r"\.[0-9a-f]{8,}\.", ".HASH.", a) for a in long_cached}
    assert {
        "/assets/javascripts/bundle.HASH.min.js",
        "/assets/stylesheets/main.HASH.min.css",
        "/assets/javascripts/workers/search.HASH.min.js",
    } <= names
    # files whose names do not change when their content does are never cached for a year
    for name in (
        "/assets/stylesheets/qinglian.css",
        "/assets/favicon.svg",
        "/assets/javascripts/lunr/min/lunr.zh.min.js",
    ):
        assert name in assets and name not in long_cached
    pagefind = _location_regex("pf_fragment")
    assert pagefind.search("/pagefind/fragment/zh_1a2b3c.pf_fragment")
    assert not pagefind.search("/pagefind/pagefind-entry.json") and not pagefind.search("/pagefind/pagefind.js")
    assert "include snippets/qinglian-security-headers.conf;" in NGINX
    assert re.search(r"^\s*gzip on;", NGINX, re.M)


def test_github_files_are_valid():
    pr = yaml.safe_load((REPO / ".github/workflows/pr.yml").read_text(encoding="utf-8"))
    steps = " ".join(str(s.get("run", s.get("uses", ""))) for s in pr["jobs"]["check"]["steps"])
    for needed in ("make check", "make build", "make test", "actions/upload-artifact"):
        assert needed in steps
    deploy = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    build = deploy["jobs"]["build"]["steps"]
    env = next(s["env"] for s in build if s.get("run") == "make build")
    assert {"SITE_URL", "REPO_URL"} <= set(env)
    for form in ("family-letter.yml", "report-error.yml"):
        data = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE" / form).read_text(encoding="utf-8"))
        assert data["name"] and data["description"] and data["body"]
        assert all(item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"} for item in data["body"])
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "make check"


def test_scope_script_hashes_are_known_for_deeper_pages(built_site):
    """A mirror one level deeper (e.g. /zh-hant/) needs Material's scope script at a new depth: its hash is
    derived from the home page's script and is exactly the script a deeper page really has."""

    def scope_script(path: Path) -> str:
        parser = csp._Inline()
        parser.feed(path.read_text(encoding="utf-8"))
        return next(s for s in parser.scripts if s.startswith("__md_scope="))

    home = scope_script(built_site / "index.html")
    story = scope_script(built_site / "officials" / "yuan-renyuan" / "index.html")
    assert home != story
    assert story in csp.depth_variants(home)
    deeper = story.replace('new URL("../.."', 'new URL("../../.."', 1)
    assert deeper in csp.depth_variants(home) and csp.sha256(deeper) in csp.committed_policy()

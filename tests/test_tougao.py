"""The 投稿 page (/tougao/): a family letter filled in on a phone becomes a story file that `make check` accepts,
checked in the browser with the checker's rules and messages; the 纠错 / 提供线索 link of every story page; the
township list from data/; nothing of it on the kiosk.

The site is a copy of the project with the fixture stories and an e-mail address for submissions in
data/site.yml (the real one names none yet), built once for this module."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from browser_support import serve_dir
from conftest import build_output, build_site, copy_fixture_project
from contentkit import check
from qinglian.content.load import load_content
from qinglian.content.private_data import find, normalise
from qinglian.site.submission import VECTORS
from qinglian.site.ui import TOUGAO_UI

MAILBOX = "tougao@example.org"
VECTOR_CASES = json.loads(VECTORS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_fixture_project(tmp_path_factory.mktemp("tougao") / "project")
    site_yml = root / "data" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + f"submission_email: {MAILBOX}\n", encoding="utf-8")
    (root / "data" / "townships.yml").write_text(
        (root / "data" / "townships.yml").read_text(encoding="utf-8") + "ceshi: {name: 测试乡, kind: 乡}\n",
        encoding="utf-8",
    )
    proc = build_site(root / "mkdocs.yml", root / "site", cwd=root)
    assert proc.returncode == 0, build_output(proc)
    return root


@pytest.fixture(scope="module")
def base(project):
    with serve_dir(project / "site") as url:
        yield url


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# ---- without a browser -----------------------------------------------------------------------------


def test_township_options_come_from_data(project):
    content, _ = load_content(project)
    options = _soup(project / "site" / "tougao" / "index.html").select("select#ql-township option")
    assert [(o["value"], o.get_text()) for o in options[1:]] == [
        (key, t["name"]) for key, t in content.data.townships.items() if not t.get("successors")
    ]  # today's townships, in the file's order: a former one (with successors) is not offered
    assert len(options) - 1 == content.data.current_township_count
    assert ("ceshi", "测试乡") in [(o["value"], o.get_text()) for o in options]  # added to data/ by this test
    assert options[0]["value"] == ""  # and it may be left out


def test_every_story_page_links_to_the_correction_form(project):
    content, _ = load_content(project)
    for story in content.stories:
        page = _soup(project / "site" / story.url / "index.html")
        link = page.select_one(".ql-feedback a")
        assert link is not None, story.url
        target = urlsplit(link["href"])
        assert target.path == "../../tougao/"
        query = parse_qs(target.query)
        assert query == {"about": [story.url], "title": [story.title]}
        assert "github" not in link["href"]


def test_the_page_is_in_the_readers_menu_and_the_guide_is_not(project):
    home = _soup(project / "site" / "index.html")
    tabs = [a.get_text(strip=True) for a in home.select("nav.md-tabs a")]
    assert "投稿" in tabs
    assert not any("编辑指南" in t or "参与投稿" in t for t in tabs)
    footer = [a["href"] for a in home.select("footer a")]
    assert "tougao/" in footer and "contributing/" in footer


def test_the_kiosk_neither_shows_nor_links_the_page(project, tmp_path):
    site = tmp_path / "kiosk"
    proc = build_site(project / "kiosk.yml", site, cwd=project)
    assert proc.returncode == 0, build_output(proc)
    pages = list(site.rglob("*.html"))
    assert not (site / "tougao").exists() and not (site / "contributing").exists()
    linking = [
        p.relative_to(site).as_posix()
        for p in pages
        if "tougao/" in (text := p.read_text(encoding="utf-8")) or "contributing/" in text
    ]
    assert linking == []
    assert not any('class="ql-feedback"' in p.read_text(encoding="utf-8") for p in pages)  # no 纠错 link
    assert "tougao" not in json.dumps(sorted(p.name for p in (site / "pagefind").rglob("*")))  # not searchable


# ---- in the browser --------------------------------------------------------------------------------


LETTER = {
    "title": "测试家书：给孩子的一封信",
    "summary": "测试摘要：父亲写给在外读书的孩子。",
    "author": "测试写信人",
    "relation": "父亲写给儿子",
}
BODY = "孩子：\n\n你离家读书已经一年了,家里一切都好。\n做人要清白，花钱要节俭。\n\n父亲"


def _fill(page, base: str, body: str = BODY, consent: bool = True, **fields) -> None:
    page.goto(base + "tougao/")
    for name, value in {**LETTER, **fields}.items():
        page.fill(f"[name={name}]", value)
    page.select_option("#ql-township", "ceshi")
    page.fill("#ql-body", body)
    page.fill("#ql-note", "测试：原信还在家里。")
    page.fill("#ql-contact-name", "测试联系人")
    page.fill("#ql-contact", "13912345678")
    if consent:
        page.check("#ql-consent")
    page.click("[data-ql-submit]")


def _checker_problems(tmp_path: Path, text: str) -> list:
    """What `make check` finds in this letter (Problem objects, in a copy of the project)."""
    root = copy_fixture_project(tmp_path / "check")
    (root / "stories" / "letters" / "ce-shi-tou-gao.md").write_text(text, encoding="utf-8")
    return load_content(root, include_drafts=True)[1]


def test_every_vector_in_the_browser_as_in_the_checker(page, base):
    """The page's port finds what content/private_data.py finds in every shared vector: the same kinds, masks
    and lines, in the same order."""
    page.goto(base + "tougao/")
    texts = [case["text"] for case in VECTOR_CASES]
    found = page.evaluate(
        "texts => texts.map(t => window.qinglianTougao.privateData(t).map(h => [h.kind, h.masked, h.line]))", texts
    )
    wrong = []
    for case, browser in zip(VECTOR_CASES, found):
        plain = normalise(case["text"])
        python = [[f.kind, f.masked, plain.count("\n", 0, f.start)] for f in find(case["text"])]
        if browser != python or [k for k, _m, _l in browser][:1] != ([case["kind"]] if case["kind"] else []):
            wrong.append((case["why"], case["text"], browser, python))
    assert wrong == []
    assert len(VECTOR_CASES) >= 100


def test_a_valid_letter_becomes_a_file_the_checker_accepts(phone_page, base, project, tmp_path):
    _fill(phone_page, base)
    phone_page.wait_for_selector("[data-ql-result]:not([hidden])")
    with phone_page.expect_download() as info:
        phone_page.click("[data-ql-download]")
    download = info.value
    assert re.fullmatch(r"tougao-\d{8}-\d{4}\.md", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text == phone_page.input_value("[data-ql-file]")

    root = copy_fixture_project(tmp_path / "accepted")
    townships = root / "data" / "townships.yml"
    townships.write_text(townships.read_text(encoding="utf-8") + "ceshi: {name: 测试乡, kind: 乡}\n", encoding="utf-8")
    (root / "stories" / "letters" / "ce-shi-jia-shu.md").write_text(text, encoding="utf-8")
    content, problems = check(root)
    assert problems == []
    story = next(s for s in content.stories if s.slug == "ce-shi-jia-shu")
    assert {k: story.meta.get(k) for k in LETTER} == LETTER
    assert story.meta["township"] == "ceshi" and story.meta["consent"] is True
    assert "你离家读书已经一年了，家里一切都好。" in story.body  # the half-width comma made full-width
    assert story.body.count("\n\n") >= 3  # one paragraph per line
    # the contact details and the note go to the editors, never into the file
    assert "13912345678" not in text and "测试联系人" not in text and "原信还在" not in text
    note = phone_page.input_value("[data-ql-editor-note]")
    assert "13912345678" in note and "测试联系人" in note and "原信还在" in note
    mail = urlsplit(phone_page.get_attribute("[data-ql-mail]", "href"))
    assert mail.scheme == "mailto" and mail.path == MAILBOX
    mail_query = parse_qs(mail.query)
    assert LETTER["title"] in mail_query["subject"][0]
    assert "13912345678" in mail_query["body"][0] and LETTER["title"] in mail_query["body"][0]
    # copied in one tap: the note for the editors and the file
    phone_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    assert phone_page.inner_text("[data-ql-copy]") == TOUGAO_UI["copy_button"]
    phone_page.click("[data-ql-copy]")
    phone_page.wait_for_selector(
        "[data-ql-copy-status]:not(:empty)"
    )  # (a string predicate is eval: the CSP refuses it)
    assert phone_page.inner_text("[data-ql-copy-status]") == TOUGAO_UI["copied"]
    assert phone_page.evaluate("navigator.clipboard.readText()") == note + "\n\n" + text


def test_private_data_shows_the_checkers_message_and_no_file(phone_page, base, project, tmp_path):
    body = "孩子：\n\n有事打电话 13812345678 给我。"
    _fill(phone_page, base, body=body)
    errors = phone_page.locator("[data-ql-error-list]").inner_text()
    assert phone_page.locator("[data-ql-result]").is_hidden()
    # the same letter as a file: what `make check` says about it
    text = "---\ntitle: 测试\nsummary: 测试。\nauthor: 测试\nconsent: true\n---\n\n" + body.replace("\n", "\n\n") + "\n"
    problems = _checker_problems(tmp_path, text)
    assert len(problems) == 1 and problems[0].message.startswith("疑似手机号码“138****5678”")
    assert problems[0].message in errors
    assert "第 2 段" in errors
    assert phone_page.get_attribute("#ql-body", "aria-invalid") == "true"


def test_a_missing_field_shows_the_checkers_message(phone_page, base, project, tmp_path):
    _fill(phone_page, base, title="   ")
    errors = phone_page.locator("[data-ql-error-list]").inner_text()
    text = "---\nsummary: 测试。\nauthor: 测试\nconsent: true\n---\n\n正文。\n"
    problem = next(p for p in _checker_problems(tmp_path, text) if p.field == "title")
    assert problem.message.startswith("缺少必填字段") and problem.message in errors
    assert phone_page.locator("[data-ql-result]").is_hidden()


def test_no_consent_no_file(phone_page, base):
    _fill(phone_page, base, consent=False)
    assert phone_page.locator("[data-ql-result]").is_hidden()
    assert phone_page.locator("[data-ql-error-field=consent]").count() == 1
    assert phone_page.input_value("[data-ql-file]") == ""
    assert phone_page.get_attribute("[data-ql-download]", "href") in ("", None)
    phone_page.check("#ql-consent")  # ticked: the file comes
    phone_page.click("[data-ql-submit]")
    phone_page.wait_for_selector("[data-ql-result]:not([hidden])")
    assert phone_page.input_value("[data-ql-file]").startswith("---\n")


def test_correction_link_of_a_story_prefills_the_page(page, base, project):
    content, _ = load_content(project)
    story = content.stories[0]
    page.goto(base + story.url)
    page.click(".ql-feedback a")
    page.wait_for_url(re.compile(r".*/tougao/\?about="))
    assert page.locator("[data-ql-about]").inner_text() == story.title
    assert page.locator("#ql-title").is_hidden() and page.locator("#ql-consent").is_hidden()
    page.click("[data-ql-submit]")  # nothing written yet
    assert page.locator("[data-ql-error-field=note]").count() == 1
    page.fill("#ql-note", "测试：第二段的年份应为1925年。")
    page.fill("#ql-contact", "测试联系方式")
    page.click("[data-ql-submit]")
    page.wait_for_selector("[data-ql-result]:not([hidden])")
    assert page.inner_text("#ql-result-title") == TOUGAO_UI["correction_result_title"]
    assert page.locator("[data-ql-download]").is_hidden() and page.locator("[data-ql-file]").is_hidden()
    note = page.input_value("[data-ql-editor-note]")
    assert story.title in note and f"/{story.url}" in note and "1925年" in note and "测试联系方式" in note
    mail = parse_qs(urlsplit(page.get_attribute("[data-ql-mail]", "href")).query)
    assert story.title in mail["subject"][0]
    assert unquote(page.url).endswith(f"title={story.title}")


def test_the_page_works_under_the_committed_csp(page, project):
    """No inline script or handler, no eval: the 投稿 page runs under the policy nginx sends."""
    from test_deploy import WATCH, csp, serve_with_csp

    with serve_with_csp(project / "site", csp.committed_policy()) as csp_base:
        page.add_init_script(WATCH)
        _fill(page, csp_base)
        page.wait_for_selector("[data-ql-result]:not([hidden])")
        with page.expect_download() as info:
            page.click("[data-ql-download]")
        assert Path(info.value.path()).read_text(encoding="utf-8").startswith("---\n")
        assert page.evaluate("window.__csp") == []

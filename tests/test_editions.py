"""The 繁體 mirror's reading of Material's markup, pinned to the Material version it was written against.

hooks/qinglian/outputs/editions.py and offline.py post-process what Material's templates write: its JSON
configuration, the inline script that sets `__md_scope`, and the CDN addresses in its JavaScript bundle.
These tests read those parts from the installed Material, so an upgrade that changes them fails here
first, with the place to look.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

import material

from conftest import MATERIAL_VERSION
from qinglian.outputs import editions, offline

THEME = Path(material.__file__).parent / "templates"

SITE = "https://example.org/qinglian/"
PAGES = {"index.html", "letters/index.html", "letters/x/index.html"}


def _page() -> str:
    """A story page as Material and our templates write it (the parts the mirror edits, and some it keeps)."""
    scope = (THEME / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    scope = scope.replace("{{ config.extra.scope | d(base_url) }}", "../..")
    config = {"base": "../..", "search": "../../assets/javascripts/workers/search.min.js", "version": None}
    return (
        '<!doctype html><html lang="zh-Hans" class="no-js"><head>'
        f'<meta property="og:url" content="{SITE}letters/x/">'
        '<link rel="stylesheet" href="../../assets/stylesheets/main.css">'
        f"{scope}</head><body>"
        '<a class="ql-switch__link" href="../../zh-hant/letters/x/" hreflang="zh-Hant" lang="zh-Hant" '
        'data-ql-set="hant" title="以繁体字显示">繁体</a>'
        '<nav class="md-tabs"><a href="../" class="md-tabs__link">清廉家书</a></nav>'
        '<article><p>头发 <img src="../../assets/images/a.png" alt="图"></p>'
        '<video controls poster="../../assets/videos/p.png" src="../../assets/videos/v.mp4"></video>'
        '<p>代码里写 href="../" 的文字不是链接</p></article>'
        '<aside class="ql-share"><span class="ql-qr" data-ql-qr="' + SITE + 'letters/x/"></span>'
        '<p><a class="ql-share__url" href="' + SITE + 'letters/x/">' + SITE + "letters/x/</a></p></aside>"
        f'<script id="__config" type="application/json">{json.dumps(config)}</script>'
        "</body></html>"
    )


def test_the_installed_material_is_the_one_the_page_passes_were_written_for():
    installed = importlib.metadata.version("mkdocs-material")
    assert installed == MATERIAL_VERSION, (
        f"mkdocs-material {installed}, not {MATERIAL_VERSION}: re-check outputs/editions.py, outputs/search.py "
        "(index_page), outputs/offline.py and the partials copied from Material, then MATERIAL_VERSION in conftest.py"
    )


def test_material_still_writes_what_the_mirror_reads():
    base = (THEME / "base.html").read_text(encoding="utf-8")
    assert '<script id="__config" type="application/json">' in base
    scope = (THEME / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    assert editions._SCOPE.search(scope.replace("{{ config.extra.scope | d(base_url) }}", "..")), (
        "Material's __md_scope script changed: update editions._SCOPE"
    )


def test_the_mirror_moves_assets_one_folder_up_and_keeps_page_links():
    out = editions.mirror_page(_page(), "letters/x/index.html", PAGES, SITE)
    assert '<html lang="zh-Hant" class="no-js">' in out
    assert 'href="../../../assets/stylesheets/main.css"' in out and 'src="../../../assets/images/a.png"' in out
    assert 'poster="../../../assets/videos/p.png"' in out and 'src="../../../assets/videos/v.mp4"' in out
    assert '<a href="../" class="md-tabs__link">清廉家書</a>' in out  # a page: the mirror's own
    assert "頭髮" in out and '代碼裡寫 href="../" 的文字不是鏈接' in out  # text that reads like a link stays
    assert '__md_scope=new URL("../../..",location)' in out
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', out)[1])
    assert config["base"] == "../../.." and config["search"].startswith("../../../assets/")


def test_the_mirror_names_its_own_address_and_links_back_to_simplified():
    out = editions.mirror_page(_page(), "letters/x/index.html", PAGES, SITE)
    mirror = f"{SITE}zh-hant/letters/x/"
    assert f'<meta property="og:url" content="{mirror}">' in out
    assert f'data-ql-qr="{mirror}"' in out and f'<a class="ql-share__url" href="{mirror}">{mirror}</a>' in out
    switch = re.search(r"<a [^>]*data-ql-set=[^>]*>[^<]*</a>", out)[0]
    assert 'href="../../../letters/x/"' in switch and 'data-ql-set="hans"' in switch
    assert "zh-hant/letters/x/" not in switch


def test_material_bundle_addresses_are_the_ones_offline_replaces():
    bundles = list((THEME / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    text = bundles[0].read_text(encoding="utf-8")
    found = set(re.findall(r'"(https://unpkg\.com/[^"]+)"', text))
    assert found == set(offline.LOCAL_COPIES), "Material's CDN addresses changed: update offline.LOCAL_COPIES"


def test_offline_leaves_no_cdn_address_in_the_bundle(tmp_path):
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    bundle = next((THEME / "assets" / "javascripts").glob("bundle.*.min.js"))
    (tmp_path / "assets" / "javascripts" / bundle.name).write_bytes(bundle.read_bytes())
    assert offline.localise_theme_scripts(tmp_path) == [bundle.name]
    text = (tmp_path / "assets" / "javascripts" / bundle.name).read_text(encoding="utf-8")
    assert (
        "unpkg.com" not in text
        and 'new URL("assets/javascripts/vendor/resize-observer-polyfill.js",__md_scope)' in text
    )

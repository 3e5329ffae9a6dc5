"""Drawn title cards (hooks/qinglian/site/covers.py) and the sourced quotations of the home page and kiosk
(pages.published_quotes). Stories here are made up in the test, not read from stories/."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from qinglian.content.contract import COLLECTIONS
from qinglian.content.load import Story
from qinglian.site import covers
from qinglian.site.pages import published_quotes


def _story(collection="letters", slug="ce-shi", title="测试《家书》", body="正文第一句。正文第二句。", **meta) -> Story:
    return Story(
        COLLECTIONS[collection],
        slug,
        Path(f"/x/{slug}.md"),
        f"stories/{collection}/{slug}.md",
        {"title": title, **meta},
        body,
        1,
    )


def test_svg_card_escapes_the_title_and_is_deterministic():
    story = _story(title='<script>&"廉"</script>')
    svg = covers.svg(story)
    root = ET.fromstring(svg)  # well-formed: the title cannot break out of its <text>
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert '<script>&"廉"</script>' in texts  # shown as written
    assert covers.svg(_story(title='<script>&"廉"</script>')) == svg  # the same card on every build
    assert covers.svg(_story(slug="ling-yi-pian", title='<script>&"廉"</script>')) != svg  # the slug moves the pattern


def test_card_band_names_the_collection_as_the_contract_declares_it():
    story = _story("letters")
    renamed = dataclasses.replace(story, collection=dataclasses.replace(story.collection, name="新栏目名"))
    assert COLLECTIONS["letters"].name in covers.svg(story) and "新栏目名" in covers.svg(renamed)
    assert covers.layout(renamed) != covers.layout(story)  # the PNG cache key: a renamed collection is redrawn


def test_cards_differ_by_collection_and_unit_type():
    letter, official = covers.svg(_story("letters")), covers.svg(_story("officials"))
    assert covers.BAND["letters"] in letter and covers.BAND["officials"] in official
    scenic = covers.layout(_story("units", unit_type="scenic"))
    organ = covers.layout(_story("units", unit_type="organ"))
    assert scenic.pattern != organ.pattern


def test_long_titles_wrap_into_at_most_three_lines_between_band_and_seal():
    layout = covers.layout(_story(title="很长的标题" * 20))
    assert 1 <= len(layout.title_lines) <= 3 and layout.title_lines[-1].endswith("…")
    for title in ("短题", "测试人《测试信》（节选）：测试标题较长的一行文字", "很长的标题" * 20):
        lay = covers.layout(_story(title=title))
        first_top = lay.title_top - lay.title_size  # the top of the first line's glyphs, at most
        last_baseline = lay.title_top + (len(lay.title_lines) - 1) * round(lay.title_size * 1.3)
        assert first_top >= covers.BAND_H and last_baseline + lay.title_size * 0.15 <= 456, title  # 456: the seal
    assert covers.layout(_story(title="短题")).title_size > layout.title_size


def test_png_share_card_is_small_and_the_right_size():
    from PIL import Image

    data = covers.png(_story(title="曾国藩《谕纪鸿》：但愿为读书明理之君子"))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert len(data) < 100_000


def test_paths_are_site_relative_and_an_own_cover_wins():
    drawn = _story("units", slug="a-b")
    assert covers.cover_png_path(drawn) == "assets/covers/units/a-b.png"
    assert covers.card_cover(drawn) == "assets/covers/units/a-b.svg"
    own = _story(cover="assets/images/x.jpg")
    assert covers.cover_png_path(own) == covers.card_cover(own) == "assets/images/x.jpg"
    files = covers.cover_files([drawn, own])
    assert set(files) == {"assets/covers/units/a-b.svg", "assets/covers/units/a-b.png"}


def test_png_cache_is_reused(tmp_path):
    story = _story()
    first = covers.cover_files([story], tmp_path)
    assert len(list(tmp_path.glob("*.png"))) == 1
    assert covers.cover_files([story], tmp_path) == first


def _content(stories, quotes):
    return SimpleNamespace(stories=stories, data=SimpleNamespace(site={"quotes": quotes}))


def test_a_quote_must_be_in_its_story():
    story = _story(body="## 原文\n\n> 静以修身，\n> 俭以养德。\n")
    found, problems = published_quotes(_content([story], [{"story": "letters/ce-shi", "text": "静以修身，俭以养德。"}]))
    assert problems == [] and found[0]["story"] is story
    _found, problems = published_quotes(
        _content([story], [{"story": "letters/ce-shi", "text": "清廉传家，世代相守。"}])  # not in the story
    )
    assert len(problems) == 1 and "不在故事" in str(problems[0]) and "data/site.yml" in str(problems[0])
    _found, problems = published_quotes(_content([story], [{"story": "letters/mei-you", "text": "静以修身"}]))
    assert "找不到已发布的故事" in str(problems[0])


def test_missing_font_names_the_debian_package(monkeypatch):
    monkeypatch.setattr(covers.shutil, "which", lambda _name: None)  # no fontconfig, so no font found
    covers.serif_font_file.cache_clear()
    try:
        with pytest.raises(Exception) as err:
            covers.serif_font_file()
        assert covers.FONT_PACKAGE in str(err.value) and "apt-get install" in str(err.value)
    finally:
        covers.serif_font_file.cache_clear()


def test_no_line_of_a_title_starts_with_closing_punctuation():
    for title in ("测试人《测试信》（节选）：测试标题较长的一行文字", "一二三四五六七八九十一二：”三四五六"):
        for size in (96, 84, 72):
            lines = covers._wrap(title, (covers.WIDTH - 2 * covers.MARGIN) / size)
            assert "".join(lines) == title
            assert not any(line[0] in covers.CLOSING for line in lines[1:]), lines

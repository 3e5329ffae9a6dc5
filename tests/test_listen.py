"""Listening to a story: 朗读 with the device's Chinese voice (a stubbed speechSynthesis in headless Chromium,
which has no voices of its own) and recorded voices (audio + audio_transcript) with their player."""

from __future__ import annotations

import re

import pytest

from conftest import build_output, build_site, copy_fixture_project
from qinglian.content.contract import AUDIO_MAX_KB
from qinglian.content.load import load_content
from visitors_support import AUDIO_FILE, AUDIO_PAGE, AUDIO_STORY, add_audio, story_to_read

STORY = story_to_read().url

# A speechSynthesis that "speaks" each utterance in 40 ms and records, for each, its text, rate and voice and
# which sentence the page highlighted meanwhile. Its voices arrive late, through voiceschanged, as on phones.
SPEECH_STUB = """
(() => {
  const voices = %s;
  const listeners = [];
  let current = null, ready = false;
  window.spoken = [];
  const synth = {
    getVoices: () => (ready ? voices : []),
    addEventListener: (type, fn) => { if (type === 'voiceschanged') listeners.push(fn); },
    removeEventListener: (type, fn) => { const i = listeners.indexOf(fn); if (i >= 0) listeners.splice(i, 1); },
    get speaking() { return !!current; },
    cancel() { const u = current; current = null; if (u && u.onerror) u.onerror({error: 'interrupted'}); },
    pause() {}, resume() {},
    speak(u) {
      current = u;
      const marked = [...document.querySelectorAll('.ql-sentence--reading')].map(s => s.textContent).join('');
      window.spoken.push({text: u.text, rate: u.rate, lang: u.lang, voice: u.voice && u.voice.name, marked});
      setTimeout(() => { if (current === u) { current = null; u.onend && u.onend({}); } }, window.speakMs || 40);
    },
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.rate = 1; };
  setTimeout(() => { ready = true; listeners.slice().forEach(fn => fn()); }, 200);
})();
"""
CHINESE = '[{"name": "English", "lang": "en-US"}, {"name": "婷婷", "lang": "zh-CN"}, {"name": "美嘉", "lang": "zh_TW"}]'
# Edge lists voices of Microsoft's online service beside the installed ones: using them would send the text away.
ONLY_ONLINE_CHINESE = (
    '[{"name": "Xiaoxiao Online", "lang": "zh-CN", "localService": false}, {"name": "E", "lang": "en-US"}]'
)
NO_CHINESE = '[{"name": "English", "lang": "en-US"}, {"name": "Deutsch", "lang": "de-DE"}]'


def _page(browser, voices: str):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 800}, has_touch=True, bypass_csp=True
    )
    context.add_init_script(SPEECH_STUB % voices)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    return context, page


def _body_text(page) -> str:
    return page.eval_on_selector(".ql-story__body", "el => el.textContent")


def test_read_aloud_speaks_sentence_by_sentence_with_the_chinese_voice(browser, site_server):
    context, page = _page(browser, CHINESE)
    try:
        page.goto(site_server + STORY)
        before = _body_text(page)
        play = page.locator("[data-ql-read-aloud] button[data-ql-read-aloud-play]")
        play.wait_for(timeout=5_000)
        assert play.inner_text().strip().endswith("朗读")
        assert page.locator("[data-ql-read-aloud] [data-ql-rate]").count() >= 3  # speed steps
        play.tap()
        page.wait_for_function("window.spoken.length >= 4", timeout=5_000)
        assert play.get_attribute("aria-pressed") == "true" and "暂停" in play.inner_text()
        play.tap()  # pause
        page.wait_for_timeout(200)
        spoken = page.evaluate("window.spoken")
        assert all(s["voice"] == "婷婷" and s["lang"] == "zh-CN" for s in spoken)
        for item in spoken:  # one sentence each, ending where the text ends a sentence, highlighted while spoken
            assert item["marked"] == item["text"], item
            assert re.search(r"[。！？；…!?;][”’」』）)]*$", item["text"].strip()) or item["text"] in before
        assert len({s["text"] for s in spoken}) == len(spoken)  # the highlight moved on with each sentence
        assert _body_text(page) == before  # marking the sentences changed no text
        assert page.locator(".ql-sentence--reading").count() == 0  # paused: nothing highlighted
        assert "继续" in play.inner_text()
        count = len(spoken)
        page.wait_for_timeout(300)
        assert len(page.evaluate("window.spoken")) == count  # pause stopped the reading

        # Slower speed, then resume where it stopped.
        page.locator("[data-ql-read-aloud] [data-ql-rate='0.75']").tap()
        play.tap()
        page.wait_for_function(f"window.spoken.length > {count}")
        resumed = page.evaluate(f"window.spoken[{count}]")
        assert resumed["rate"] == 0.75 and resumed["text"] == spoken[-1]["text"]
        # It reads on to the end of the story, across paragraphs, and the highlight goes at the end.
        page.wait_for_function(
            "!document.querySelector('[data-ql-read-aloud-play]').matches('[aria-pressed=true]')", timeout=20_000
        )
        texts = "".join(s["text"] for s in page.evaluate("window.spoken")[count:])
        last_paragraph = page.eval_on_selector_all(".ql-story__body p", "ps => ps[ps.length - 1].textContent.trim()")
        first_paragraph = page.eval_on_selector(".ql-story__body p", "p => p.textContent.trim()")
        assert last_paragraph[-6:] in texts
        assert first_paragraph[:6] in "".join(s["text"] for s in spoken)
        assert page.errors == []
    finally:
        context.close()


def test_read_aloud_stops_when_the_reader_leaves(browser, site_server):
    context, page = _page(browser, CHINESE)
    try:
        page.goto(site_server + STORY)
        page.evaluate("window.speakMs = 400")
        page.locator("[data-ql-read-aloud-play]").tap()
        page.wait_for_function("window.spoken.length >= 1")
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # still visible: goes on
        page.evaluate(
            "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
            "document.dispatchEvent(new Event('visibilitychange'))"
        )
        assert page.evaluate("speechSynthesis.speaking") is False
        assert page.get_attribute("[data-ql-read-aloud-play]", "aria-pressed") == "false"
    finally:
        context.close()


def test_traditional_page_reads_aloud_in_traditional_words(browser, site_server):
    context, page = _page(browser, CHINESE)
    try:
        page.goto(site_server + "zh-hant/" + STORY)
        play = page.locator("[data-ql-read-aloud-play]")
        play.wait_for(timeout=5_000)
        assert "朗讀" in play.inner_text() and page.locator("text=語速").count() == 1
        play.tap()
        page.wait_for_function("window.spoken.length >= 1")
        assert page.evaluate("window.spoken[0].voice") == "美嘉"  # the Taiwan voice for the Traditional page
    finally:
        context.close()


@pytest.mark.parametrize("voices", [NO_CHINESE, ONLY_ONLINE_CHINESE], ids=["no-chinese", "only-online-chinese"])
def test_without_a_chinese_voice_there_is_no_button(browser, site_server, voices):
    context, page = _page(browser, voices)
    try:
        page.goto(site_server + STORY)
        page.wait_for_timeout(3_000)  # the voices arrive after 200 ms; the script waits up to 2.5 s for them
        assert page.locator("[data-ql-read-aloud] button").count() == 0
        assert page.locator("[data-ql-read-aloud]").is_hidden()
        assert page.locator(".ql-sentence").count() == 0
    finally:
        context.close()


# ---- recorded voices: audio + audio_transcript ---------------------------------------------------------------


def _problems(project) -> list:
    return load_content(project)[1]


def test_audio_needs_a_transcript_an_existing_small_file_under_assets(tmp_path):
    project = copy_fixture_project(tmp_path / "p")
    add_audio(project, transcript=None)
    problems = _problems(project)
    assert [(p.path, p.line, p.field) for p in problems] == [(AUDIO_STORY, 2, "audio_transcript")], problems
    assert "录音文字稿" in problems[0].message and "audio_transcript:" in problems[0].fix

    add_audio(copy_fixture_project(tmp_path / "q"), size=AUDIO_MAX_KB * 1024 + 1)
    problems = _problems(tmp_path / "q")
    assert len(problems) == 1 and problems[0].field == "audio" and problems[0].line == 2, problems
    assert f"超过 {AUDIO_MAX_KB} KB" in problems[0].message

    add_audio(copy_fixture_project(tmp_path / "r"))
    (tmp_path / "r" / "docs" / AUDIO_FILE).unlink()
    problems = _problems(tmp_path / "r")
    assert [p.field for p in problems] == ["audio"] and "找不到录音" in problems[0].message
    assert "docs/assets/audio/" in problems[0].fix


@pytest.mark.parametrize("value", ["assets/audio/a.wav", "../secret.mp3", "audio/a.mp3", "https://example.org/a.mp3"])
def test_audio_must_be_a_local_mp3_m4a_ogg_or_opus_under_assets(tmp_path, value):
    project = copy_fixture_project(tmp_path / "p")
    story = add_audio(project)
    story.write_text(story.read_text(encoding="utf-8").replace(AUDIO_FILE, value), encoding="utf-8")
    problems = [p for p in _problems(project) if p.field == "audio"]
    assert problems and problems[0].line == 2 and problems[0].path == AUDIO_STORY
    assert "MP3、M4A、OGG 或 Opus" in problems[0].message, problems


def test_every_collection_declares_audio_and_its_transcript():
    from qinglian.content.contract import COLLECTIONS, DEPENDENT_REQUIRED

    for collection in COLLECTIONS.values():
        assert collection.field("audio") and collection.field("audio_transcript"), collection.key
    assert DEPENDENT_REQUIRED["audio"] == ["audio_transcript"]


@pytest.fixture(scope="module")
def audio_site(tmp_path_factory):
    """The public site of a project copy whose AUDIO_STORY has a recorded voice."""
    root = tmp_path_factory.mktemp("audio")
    project = copy_fixture_project(root / "p")
    add_audio(project, transcript="第一句<b>录音</b>文字。\n第二句录音文字。")
    proc = build_site(project / "mkdocs.yml", root / "site", cwd=project)
    assert proc.returncode == 0, build_output(proc)
    return root / "site"


def test_story_page_has_a_player_that_loads_nothing_until_played_and_the_transcript(audio_site):
    page = (audio_site / AUDIO_PAGE / "index.html").read_text(encoding="utf-8")
    player = re.search(r"<audio[^>]*>", page).group(0)
    assert 'preload="none"' in player and "controls" in player and "autoplay" not in player
    assert 'src="../../assets/audio/test-reading.mp3"' in player
    assert "<p>第一句&lt;b&gt;录音&lt;/b&gt;文字。</p><p>第二句录音文字。</p>" in page  # text, not markup
    assert (audio_site / AUDIO_FILE).is_file()
    hant = (audio_site / "zh-hant" / AUDIO_PAGE / "index.html").read_text(encoding="utf-8")
    assert "錄音文字稿" in hant and 'src="../../../assets/audio/test-reading.mp3"' in hant
    other = (audio_site / STORY / "index.html").read_text(encoding="utf-8")
    assert "<audio" not in other

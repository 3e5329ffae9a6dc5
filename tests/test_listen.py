"""Listening to a story: 朗读 with the device's Chinese voice (a stubbed speechSynthesis in headless Chromium,
which has no voices of its own) and recorded voices (audio + audio_transcript) with their player."""

from __future__ import annotations

import re

import pytest

from browser_support import serve_dir
from conftest import build_output, build_site, copy_project
from qinglian.content.contract import AUDIO_MAX_KB
from qinglian.content.load import load_content

STORY = "letters/zhuge-liang-jiezishu/"

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
NO_CHINESE = '[{"name": "English", "lang": "en-US"}, {"name": "Deutsch", "lang": "de-DE"}]'


def _page(browser, voices: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800}, has_touch=True)
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
        page.wait_for_function("!document.querySelector('[data-ql-read-aloud-play]').matches('[aria-pressed=true]')",
                               timeout=20_000)
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
        page.evaluate("Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
                      "document.dispatchEvent(new Event('visibilitychange'))")
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


def test_without_a_chinese_voice_there_is_no_button(browser, site_server):
    context, page = _page(browser, NO_CHINESE)
    try:
        page.goto(site_server + STORY)
        page.wait_for_timeout(3_000)  # the voices arrive after 200 ms; the script waits up to 2.5 s for them
        assert page.locator("[data-ql-read-aloud] button").count() == 0
        assert page.locator("[data-ql-read-aloud]").is_hidden()
        assert page.locator(".ql-sentence").count() == 0
    finally:
        context.close()

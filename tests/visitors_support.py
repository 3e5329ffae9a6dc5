"""Helpers shared by the visitors' tests (test_listen.py, test_kiosk_care.py, test_usage.py, test_accessibility.py):
stories chosen from the fixture stories by what a test needs (never by name), and a project copy with a
recorded voice added to one story."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from conftest import fixture_project_root

# The first letter (by file name) gets the recorded voice in the tests' project copies.
# chosen among the fixture stories (tests/fixtures/stories/), the ones the session's site and copies are built from
_ROOT = fixture_project_root()
AUDIO_STORY = sorted((_ROOT / "stories" / "letters").glob("*.md"))[0].relative_to(_ROOT).as_posix()
AUDIO_PAGE = AUDIO_STORY.removeprefix("stories/").removesuffix(".md") + "/"
AUDIO_FILE = "assets/audio/test-reading.mp3"
TRANSCRIPT = "第一句录音文字。\n第二句录音文字。"


@lru_cache(maxsize=1)
def stories() -> tuple:
    """The fixture project's published stories (what built_site and copy_fixture_project hold), by address."""
    from qinglian.content.load import load_content

    content, problems = load_content(_ROOT)
    assert not problems, problems
    return tuple(sorted((s for s in content.stories if not s.meta.get("draft")), key=lambda s: s.url))


def story_to_read():
    """A story of several paragraphs (朗读 goes on from one to the next), other than the one given a recording."""
    return next(s for s in stories() if s.body.count("\n\n") >= 4 and s.url != AUDIO_PAGE)


def two_stories():
    """Two stories of different collections, for 收藏 and 带走."""
    first = story_to_read()
    return first, next(s for s in stories() if s.collection.key != first.collection.key)


def add_audio(project: Path, size: int = 2048, transcript: str | None = TRANSCRIPT) -> Path:
    """Give AUDIO_STORY a recorded voice of `size` bytes (zeros: no test plays it) and, unless None, a transcript."""
    audio = project / "docs" / AUDIO_FILE
    audio.parent.mkdir(parents=True, exist_ok=True)
    audio.write_bytes(b"\0" * size)
    story = project / AUDIO_STORY
    fields = f"audio: {AUDIO_FILE}\n"
    if transcript is not None:
        fields += "audio_transcript: |\n" + "".join(f"  {line}\n" for line in transcript.splitlines())
    story.write_text(story.read_text(encoding="utf-8").replace("---\n", "---\n" + fields, 1), encoding="utf-8")
    return story

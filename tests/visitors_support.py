"""Helpers shared by the visitors' tests (test_listen.py, test_kiosk_care.py, test_usage.py): a project copy with a
recorded voice added to one story."""

from __future__ import annotations

from pathlib import Path

AUDIO_STORY = "stories/letters/bao-zheng-jiaxun.md"
AUDIO_FILE = "assets/audio/test-reading.mp3"
TRANSCRIPT = "第一句录音文字。\n第二句录音文字。"


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

"""Atom feeds of the newest stories: one for the whole site and one per collection.

An entry's date is the story's `date` field (its publication date) when it has one, otherwise the
time its file last changed in git (one `git log` for the whole stories/ folder), otherwise the
file's modification time. Nothing is invented: a story without a date is dated by its file.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

from qinglian.content.contract import COLLECTIONS
from qinglian.content.load import Content, Story
from qinglian.site.ui import UI

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50  # entries per feed
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def feed_path(key: str) -> str:
    return f"feeds/{key}.xml"


def git_dates(root: Path, folders: tuple[str, ...] = ("stories",)) -> dict[str, datetime.datetime]:
    """Repository-relative path -> time of the last commit that touched it, for files under `folders`
    (empty outside git)."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=%x00%cI", "--name-only", "--", *folders],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, datetime.datetime] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = datetime.datetime.fromisoformat(line[1:])
        elif line.strip() and current is not None:
            dates.setdefault(line.strip(), current)  # git log is newest first: keep the first seen
    return dates


def story_time(story: Story, dates: dict[str, datetime.datetime]) -> datetime.datetime:
    value = story.meta.get("date")
    if value:
        day = datetime.date.fromisoformat(str(value))
        return datetime.datetime(day.year, day.month, day.day, tzinfo=CHINA)
    if story.rel in dates:
        return dates[story.rel]
    return datetime.datetime.fromtimestamp(story.path.stat().st_mtime, tz=datetime.UTC).replace(microsecond=0)


def newest(stories: list[Story], dates: dict[str, datetime.datetime]) -> list[tuple[Story, datetime.datetime]]:
    dated = [(story, story_time(story, dates)) for story in stories]
    dated.sort(key=lambda item: (item[1], item[0].sort_date, item[0].slug), reverse=True)
    return dated[:LIMIT]


def atom(key: str, title: str, entries: list[tuple[Story, datetime.datetime]], site_url: str) -> bytes:
    base = site_url if site_url.endswith("/") else site_url + "/"
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})

    def sub(parent, tag, text=None, **attrs):
        attrs = {name: _xml_text(value) for name, value in attrs.items()}
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_text(text)
        return element

    sub(feed, "id", base + feed_path(key))
    sub(feed, "title", title)
    sub(feed, "subtitle", COLLECTIONS[key].description if key in COLLECTIONS else UI["feed_subtitle"])
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + feed_path(key))
    sub(feed, "link", rel="alternate", type="text/html", href=base + (f"{key}/" if key in COLLECTIONS else ""))
    updated = max((when for _s, when in entries), default=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    sub(feed, "updated", updated.isoformat())
    author = sub(feed, "author")
    sub(author, "name", UI["page_title_suffix"])
    for story, when in entries:
        entry = sub(feed, "entry")
        url = base + story.url
        sub(entry, "id", url)
        sub(entry, "title", story.title)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "updated", when.isoformat())
        sub(entry, "summary", story.meta.get("summary", ""))
        sub(entry, "category", term=story.collection.key, label=story.collection.name)
        for tag in story.tags:
            sub(entry, "category", term=tag)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


# Characters XML 1.0 forbids even escaped: ElementTree would write them and every feed reader would refuse the feed.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value) -> str:
    """Front-matter text for the feed: ElementTree escapes markup; the characters XML cannot hold are dropped."""
    return _XML_ILLEGAL.sub("", str(value))


def feed_files(content: Content, site_url: str) -> dict[str, bytes]:
    """feeds/all.xml and feeds/<collection>.xml."""
    dates = git_dates(content.root)
    out = {}
    for key, title in UI["feeds"]:
        stories = content.stories if key == "all" else content.collection(key)
        out[feed_path(key)] = atom(key, title, newest(stories, dates), site_url)
    return out

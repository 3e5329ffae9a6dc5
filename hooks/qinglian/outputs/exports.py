"""Every story's metadata as CSV and JSON, downloadable from the site like a digital collection.

The columns come from the content contract (contract.py): the common fields, then each collection's
own fields in declaration order, so a field added there appears here without a second list.
"""

from __future__ import annotations

import csv
import datetime
import io
import json

from qinglian.content.contract import COLLECTIONS, COMMON_FIELDS, SOURCE_FIELDS, Field
from qinglian.content.load import Story

CSV_PATH = "export/stories.csv"
JSON_PATH = "export/stories.json"
FIXED = ("collection", "collection_name", "slug", "url")  # columns that are not front-matter fields
LIST_SEPARATOR = "；"


def fields() -> list[Field]:
    """Every front-matter field once, in contract order (common fields first)."""
    seen: dict[str, Field] = {f.name: f for f in COMMON_FIELDS}
    for collection in COLLECTIONS.values():
        for f in collection.fields:
            seen.setdefault(f.name, f)
    return list(seen.values())


def columns() -> list[str]:
    return [*FIXED, *(f.name for f in fields())]


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record(story: Story, site_url: str) -> dict:
    """One story as a flat record: fixed columns, then every contract field (None when not set)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    out = {
        "collection": story.collection.key,
        "collection_name": story.collection.name,
        "slug": story.slug,
        "url": base + story.url,
    }
    for f in fields():
        out[f.name] = _plain(story.meta.get(f.name))
    return out


def source_text(source: dict) -> str:
    """A source in one line, in the contract's order of source fields: 《书名》，作者，出版者，1923，卷五，https://…"""
    return "，".join(str(source[f.name]) for f in SOURCE_FIELDS if source.get(f.name) not in (None, ""))


# OWASP's rule for CSV injection: a cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return,
# and their full-width forms, which some spreadsheets accept too) starts with a single quote, shown as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_text(text: str) -> str:
    """A CSV cell that a spreadsheet shows as the text it is, never runs."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)  # -221 (a year BC) is a number, not a formula
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(source_text(v) if isinstance(v, dict) else str(v) for v in value)
    return spreadsheet_text(str(value))


def stories_csv(stories: list[Story], site_url: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_text(name) for name in columns()])
    for story in stories:
        row = record(story, site_url)
        writer.writerow([_cell(row[name]) for name in columns()])
    return buffer.getvalue().encode("utf-8-sig")


def stories_json(stories: list[Story], site_url: str) -> bytes:
    labels = {f.name: f.label for f in fields()}
    payload = {
        "columns": [{"name": name, "label": labels.get(name, name)} for name in columns()],
        "count": len(stories),
        "stories": [record(story, site_url) for story in stories],
    }
    # plain data: strings stay strings (no formula prefix, no HTML), so a program reading it gets what was written
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def export_files(stories: list[Story], site_url: str) -> dict[str, bytes]:
    return {CSV_PATH: stories_csv(stories, site_url), JSON_PATH: stories_json(stories, site_url)}

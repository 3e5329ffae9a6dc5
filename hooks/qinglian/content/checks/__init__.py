"""Every check of the content, one module per kind of check; load.py reads the files and calls these.

- schema.py: each field's type and value against the contract's JSON Schema, and fields it does not declare
- rules.py: rules across fields, a story's (consent or sources, 繁體 exceptions, born and died) and the data/ files'
- text.py: private data (private_data.py is the detector), paste damage, mixed scripts
- addresses.py: `sources[].url` and the links of the body (urls.py says what an address may be)
- media.py: every file a story refers to (media fields, body images and video posters): path, existence, size
- duplicates.py: one file name, title or text in two stories
- layout.py: links, pipes and bad names in the content folders; stray files and bad file names under stories/

Reading itself refuses a file that is too large or not YAML (yamlfile.py); the hand-written pages' placeholders
are editor_docs.py's, and links between built pages build/links.py's.
"""

from __future__ import annotations

from pathlib import Path

from qinglian.content import private_data
from qinglian.content.checks.addresses import check_addresses
from qinglian.content.checks.duplicates import check_duplicates
from qinglian.content.checks.layout import check_links, check_slug, check_stray_files
from qinglian.content.checks.media import check_media
from qinglian.content.checks.rules import check_data_rules, check_story_rules
from qinglian.content.checks.schema import check_schema, describe_story_field, unknown_fields
from qinglian.content.checks.text import check_text, private_in_values, story_lines
from qinglian.content.contract import DATA_SCHEMAS, Collection, story_schema
from qinglian.content.problems import Problem
from qinglian.content.yamlfile import Parsed


def check_story(
    root: Path, rel: str, parsed: Parsed, body: str, body_line: int, collection: Collection, keys: dict
) -> list[Problem]:
    """Every check of one story whose front matter is a mapping; `keys`: the data/ keys it may use."""
    problems = unknown_fields(parsed, collection, rel)
    problems += check_schema(story_schema(collection, keys), parsed, rel, describe_story_field(collection))
    problems += check_story_rules(parsed, collection, rel)
    lines = story_lines(parsed, body, body_line)
    problems += check_text(rel, parsed, body, body_line, lines)
    problems += check_addresses(rel, parsed, lines)
    problems += check_media(root, rel, parsed, lines, collection)
    return problems


def check_data_file(name: str, parsed: Parsed, rel: str) -> tuple[bool, list[Problem]]:
    """(whether its keys can be used, its problems) for data/<name>."""
    problems = check_schema(DATA_SCHEMAS[name], parsed, rel, lambda _path: None)
    if problems:
        return False, problems
    # township descriptions and sources are published too; the 投稿 page's address is public by design
    public = parsed.data.get("submission_email") if name == "site.yml" else None
    allowed = {private_data.key(public)} if isinstance(public, str) else set()
    problems = private_in_values(rel, parsed, allowed)
    if problems:
        return False, problems
    return True, check_data_rules(name, parsed, rel)


__all__ = [
    "check_story",
    "check_data_file",
    "check_duplicates",
    "check_links",
    "check_slug",
    "check_stray_files",
]

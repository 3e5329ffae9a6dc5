"""The content model: data/ metadata and the stories under stories/<collection>/<slug>.md.

`load_content(root)` reads everything, runs the checks on it (content/checks/, one module per kind of check)
and returns the model together with every problem found, so that one run reports all mistakes in all files at
once. This module only reads files and calls the checks.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from qinglian.content import checks, editor_docs
from qinglian.content.checks import media
from qinglian.content.contract import COLLECTIONS, DATA_SCHEMAS, LIMITS, REFS, Collection
from qinglian.content.problems import Problem, shown
from qinglian.content.yamlfile import Parsed, YamlError, parse_yaml, read_text, split_front_matter


@dataclass
class SiteData:
    unit_types: dict[str, dict] = field(default_factory=dict)  # key -> {name, description}, in file order
    townships: dict[str, dict] = field(default_factory=dict)  # key -> {name, kind, description, successors…}
    eras: list[dict] = field(default_factory=list)  # [{key, name, start, end}] in time order
    site: dict = field(default_factory=dict)  # campaign figures and settings
    hant_phrases: dict[str, str] = field(default_factory=dict)  # 简体 → 繁體 exceptions for every page
    broken: set[str] = field(default_factory=set)  # refs (REFS keys) whose data file has problems

    @property
    def keys(self) -> dict[str, list[str]]:
        """Allowed keys per data file; a broken file is left out, so its stories are not flagged falsely."""
        keys = {
            "unit_types": list(self.unit_types),
            "townships": list(self.townships),
            "eras": [era["key"] for era in self.eras],
        }
        return {ref: values for ref, values in keys.items() if ref not in self.broken}

    @property
    def current_township_count(self) -> int:
        """Today's township-level units: a former township (one with successors) is not counted."""
        return sum(1 for info in self.townships.values() if not info.get("successors"))

    def era(self, key: str) -> dict | None:
        return next((e for e in self.eras if e["key"] == key), None)


@dataclass(eq=False)
class Story:
    collection: Collection
    slug: str
    path: Path  # absolute path of the Markdown file
    rel: str  # repository-relative path, for messages and edit links
    meta: dict
    body: str
    body_line: int
    related: list[Story] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.collection.key}/{self.slug}/"

    @property
    def src_uri(self) -> str:
        return f"{self.collection.key}/{self.slug}.md"

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def tags(self) -> list[str]:
        return self.meta.get("tags") or []

    @property
    def sort_date(self) -> str:
        """Newest first in listings: the story's date, else the written/year field, else empty."""
        for key in ("date", "written", "year"):
            value = self.meta.get(key)
            if value:
                return str(value)
        return ""

    def __repr__(self) -> str:
        return f"<Story {self.rel}>"


@dataclass
class Content:
    root: Path
    data: SiteData
    stories: list[Story]  # published stories (drafts left out), sorted by collection then slug

    def collection(self, key: str) -> list[Story]:
        return [s for s in self.stories if s.collection.key == key]


def load_content(root: Path, include_drafts: bool = False, cache: dict | None = None) -> tuple[Content, list[Problem]]:
    """`cache`: a dict kept between calls (e.g. by `mkdocs serve`); unchanged story files are not read again."""
    root = Path(root)
    problems = _guarded("stories", lambda: checks.check_links(root))  # first: nothing behind a link is read
    data, found = load_data(root)
    problems += found
    stories: list[Story] = []
    files = [
        (path, collection)
        for collection in COLLECTIONS.values()
        for path in _story_files(root / "stories" / collection.key)
    ]
    for story, found in _load_stories(root, files, data, cache):
        problems += found
        if story:
            stories.append(story)
    problems += _guarded("stories", lambda: checks.check_stray_files(root))
    problems += _guarded("docs", lambda: editor_docs.check_placeholders(root))
    # drafts too: publishing one later must not break the build
    problems += _guarded("stories", lambda: checks.check_duplicates(stories))
    if not include_drafts:
        stories = [s for s in stories if not s.meta.get("draft")]
    return Content(root, data, stories), list(dict.fromkeys(problems))  # a link is found twice: once is enough


def _story_files(folder: Path) -> list[Path]:
    if folder.is_symlink() or folder.parent.is_symlink() or not folder.is_dir():
        return []  # a linked folder is reported by check_links; nothing in it is read
    return sorted(folder.glob("*.md"), key=lambda p: p.name)


def _guarded(rel: str, check) -> list[Problem]:
    """Run one check; an unexpected failure becomes a message instead of hiding every other problem."""
    try:
        return check()
    except Exception as err:  # noqa: BLE001 — any failure on hostile input is reported, never a traceback
        return [unexpected(rel, err)]


def unexpected(rel: str, err: BaseException) -> Problem:
    return Problem(
        rel,
        0,
        None,
        f"检查这个文件时出错（{type(err).__name__}：{shown(err)[:200]}），其余文件照常检查。",
        "对照模板检查这个文件的格式；改不好时，把这条消息转给网站维护者。",
    )


def _load_stories(root: Path, files: list[tuple[Path, Collection]], data: SiteData, cache: dict | None):
    """load_story for each (path, collection), in order; with `cache`, files unchanged since the last call are
    not read again (see _cache_key). Only stories without problems whose check reads no other file are
    remembered (a cover, a video, an image in the body: checks.media.refers_to_files)."""
    results: list = [None] * len(files)
    data_keys = repr(data.keys)
    keys = [_cache_key(path, collection, data_keys) if cache is not None else None for path, collection in files]
    todo = []
    for i, (path, _) in enumerate(files):
        hit = cache.get(str(path)) if cache is not None else None
        if hit and hit[0] == keys[i]:
            results[i] = (hit[1], [])
        else:
            todo.append(i)
    for i, (story, problems) in zip(todo, _load_many(root, [files[i] for i in todo], data)):
        results[i] = (story, problems)
        if cache is None:
            continue
        if story and not problems and not media.refers_to_files(story.meta, story.body, story.collection):
            cache[str(files[i][0])] = (keys[i], story)
        else:
            cache.pop(str(files[i][0]), None)
    return results


def _cache_key(path: Path, collection: Collection, data_keys: str) -> tuple:
    """What a story's check depends on: the file (path, size, modification time) and the data/ keys."""
    try:
        stat = path.lstat()  # a link is refused when it is read, never followed here
    except OSError:  # gone since the folder was listed: read (and reported) again
        return (str(path), None)
    return (str(path), collection.key, stat.st_mtime_ns, stat.st_size, data_keys)


def _load_many(root: Path, files: list[tuple[Path, Collection]], data: SiteData) -> list:
    return [load_story(root, path, collection, data) for path, collection in files]


def load_data(root: Path) -> tuple[SiteData, list[Problem]]:
    data, problems = SiteData(), []
    ref_of = {path.removeprefix("data/"): ref for ref, (path, _) in REFS.items()}
    for name in DATA_SCHEMAS:
        rel = f"data/{name}"
        if name in ref_of:
            data.broken.add(ref_of[name])  # until it has been read and checked
        try:
            loaded, found = _load_data_file(root, rel, name, data)
        except Exception as err:  # noqa: BLE001 — one broken file must not hide the others' problems
            loaded, found = False, [unexpected(rel, err)]
        problems += found
        if loaded:
            data.broken.discard(ref_of.get(name))
    return data, problems


def _load_data_file(root: Path, rel: str, name: str, data: SiteData) -> tuple[bool, list[Problem]]:
    """(whether its keys can be used, its problems)"""
    path = root / rel
    if not os.path.lexists(path):
        return False, [Problem(rel, 0, None, "缺少数据文件。", f"请创建 {rel}。")]
    parsed, problems = _read_yaml(path, rel)
    if parsed is None:
        return False, problems
    usable, problems = checks.check_data_file(name, parsed, rel)
    if not usable:
        return False, problems
    if name == "unit-types.yml":
        data.unit_types = parsed.data
    elif name == "townships.yml":
        data.townships = parsed.data
    elif name == "eras.yml":
        data.eras = parsed.data
    elif name == "hant-phrases.yml":
        data.hant_phrases = parsed.data or {}
    else:
        data.site = parsed.data
    return True, problems


def _read_yaml(path: Path, rel: str) -> tuple[Parsed | None, list[Problem]]:
    text, problems = read_text(path, rel, "data_file_bytes")
    if text is None:
        return None, problems
    try:
        return parse_yaml(text), []
    except YamlError as err:
        return None, [err.problem(rel)]


def load_story(root: Path, path: Path, collection: Collection, data: SiteData) -> tuple[Story | None, list[Problem]]:
    """One story and its problems; whatever goes wrong reading it becomes a message about this file."""
    rel = path.relative_to(root).as_posix()
    try:
        return _load_story(root, path, rel, collection, data)
    except Exception as err:  # noqa: BLE001 — hostile input must never end the check for the other files
        return None, [unexpected(rel, err)]


def _load_story(
    root: Path, path: Path, rel: str, collection: Collection, data: SiteData
) -> tuple[Story | None, list[Problem]]:
    slug = path.stem
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    problems += checks.check_slug(rel, slug)
    try:
        doc = split_front_matter(text)
    except YamlError as err:
        return None, problems + [err.problem(rel)]
    if doc is None:
        return None, problems + [
            Problem(
                rel,
                1,
                None,
                "文件开头没有 front matter（两行 --- 之间的字段）。",
                "从 stories/_templates/ 复制模板，或运行 python hooks/new.py。",
            )
        ]
    parsed = doc.meta
    if not isinstance(parsed.data, dict):
        return None, problems + [Problem(rel, 2, None, "front matter 应为“字段: 值”的列表。", "参照模板填写。")]
    if len(doc.body) > LIMITS["body_chars"].value:
        limit = LIMITS["body_chars"]
        return None, problems + [Problem(rel, doc.body_line, None, limit.message(len(doc.body)), limit.fix)]
    problems += checks.check_story(root, rel, parsed, doc.body, doc.body_line, collection, data.keys)
    if problems:
        return None, problems
    return Story(collection, slug, path, rel, parsed.data, doc.body, doc.body_line), []


def check_story_text(text: str, collection: Collection, data: SiteData) -> list[Problem]:
    """The checker's problems for a story that is not a file in stories/ yet (the 投稿 page's messages, an
    import before it is written), reported as stories/<collection>/check.md."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stories" / collection.key / "check.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        return load_story(Path(tmp), path, collection, data)[1]


__all__ = ["Content", "SiteData", "Story", "load_content", "load_data", "load_story", "REFS"]

"""The content model: data/ metadata and the stories under stories/<collection>/<slug>.md.

`load_content(root)` reads everything, checks it against the contract and returns the model together
with every problem found, so that one run reports all mistakes in all files at once.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from qinglian.content import editor_docs, hant, lint, private_data
from qinglian.content.contract import (
    AUDIO_MAX_KB,
    COLLECTIONS,
    DATA_SCHEMAS,
    FILE_KINDS,
    LIMITS,
    REFS,
    SLUG_PATTERN,
    Collection,
    story_schema,
)
from qinglian.content.problems import Problem, shown
from qinglian.content.validate import check_schema, describe_story_field, unknown_fields
from qinglian.content.yamlfile import (
    Parsed,
    YamlError,
    not_a_file,
    outside_link,
    parse_yaml,
    read_text,
    split_front_matter,
)

_SLUG = re.compile(SLUG_PATTERN)


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
    problems = _guarded("stories", lambda: check_links(root))  # first: nothing behind a link is read
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
    problems += _guarded("stories", lambda: _check_stray_files(root))
    problems += _guarded("docs", lambda: editor_docs.check_placeholders(root))
    # drafts too: publishing one later must not break the build
    problems += _guarded("stories", lambda: _check_duplicates(stories) + lint.check_duplicates(stories))
    if not include_drafts:
        stories = [s for s in stories if not s.meta.get("draft")]
    return Content(root, data, stories), list(dict.fromkeys(problems))  # a link is found twice: once is enough


def _story_files(folder: Path) -> list[Path]:
    if folder.is_symlink() or folder.parent.is_symlink() or not folder.is_dir():
        return []  # a linked folder is reported by check_links; nothing in it is read
    return sorted(folder.glob("*.md"), key=lambda p: p.name)


# Where MkDocs and the hooks read files from: nothing under them may be a symbolic link.
CHECKED_FOLDERS = ("stories", "docs", "data")


def check_links(root: Path) -> list[Problem]:
    """Symbolic links, pipes or devices, and names with control characters or bytes that are not UTF-8, under
    stories/, docs/ and data/ and those folders themselves, found without following any link.

    A link to /etc/passwd or .git/config named like an image would be copied into the site by MkDocs; the
    check runs before MkDocs collects a single file."""
    problems = []
    for name in CHECKED_FOLDERS:
        top = root / name
        if top.is_symlink():
            problems.append(outside_link(top, name))
            continue
        folders = [top] if top.is_dir() else []
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    path = Path(entry.path)
                    if _BAD_NAME.search(entry.name):  # MkDocs would make it a URL and print it
                        problems.append(_bad_name(path.relative_to(root).as_posix()))
                    if entry.is_symlink():
                        problems.append(outside_link(path, path.relative_to(root).as_posix()))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(path)
                    elif not entry.is_file(follow_symlinks=False):  # a pipe or device: copying it would hang
                        problems.append(not_a_file(path.relative_to(root).as_posix()))
    return problems


# control characters, bidi controls and the bytes of a name that is not UTF-8 (os.fsdecode's lone surrogates)
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _bad_name(rel: str) -> Problem:
    return Problem(
        rel,
        0,
        None,
        "文件名里有控制字符，或不是 UTF-8 编码（网址和消息里都显示不出来）。",
        "用小写拼音、数字和连字符重新命名这个文件。",
    )


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
    not read again (see _cache_key). Only stories without problems and without a cover are remembered: a
    cover's check depends on another file."""
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
        if story and not problems and not story.meta.get("cover"):
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
    for name, schema in DATA_SCHEMAS.items():
        rel = f"data/{name}"
        if name in ref_of:
            data.broken.add(ref_of[name])  # until it has been read and checked
        try:
            loaded, found = _load_data_file(root, rel, name, schema, data)
        except Exception as err:  # noqa: BLE001 — one broken file must not hide the others' problems
            loaded, found = False, [unexpected(rel, err)]
        problems += found
        if loaded:
            data.broken.discard(ref_of.get(name))
    return data, problems


def _load_data_file(root: Path, rel: str, name: str, schema: dict, data: SiteData) -> tuple[bool, list[Problem]]:
    """(whether its keys can be used, its problems)"""
    path = root / rel
    if not os.path.lexists(path):
        return False, [Problem(rel, 0, None, "缺少数据文件。", f"请创建 {rel}。")]
    parsed, problems = _read_yaml(path, rel)
    if parsed is None:
        return False, problems
    problems = check_schema(schema, parsed, rel, lambda _path: None)
    if problems:
        return False, problems
    # township descriptions and sources are published too; the 投稿 page's address is public by design
    public = parsed.data.get("submission_email") if name == "site.yml" else None
    allowed = {private_data.key(public)} if isinstance(public, str) else set()
    problems = lint.private_in_values(rel, parsed, allowed)
    if problems:
        return False, problems
    if name == "unit-types.yml":
        data.unit_types = parsed.data
    elif name == "townships.yml":
        data.townships = parsed.data
        return True, _check_successors(parsed, rel)
    elif name == "eras.yml":
        data.eras = parsed.data
        return True, _check_eras(parsed, rel)
    elif name == "hant-phrases.yml":
        data.hant_phrases = parsed.data or {}
        return True, _check_phrases(parsed, rel, ())
    else:
        data.site = parsed.data
    return True, []


def _read_yaml(path: Path, rel: str) -> tuple[Parsed | None, list[Problem]]:
    text, problems = read_text(path, rel, "data_file_bytes")
    if text is None:
        return None, problems
    try:
        return parse_yaml(text), []
    except YamlError as err:
        return None, [err.problem(rel)]


def _check_successors(parsed: Parsed, rel: str) -> list[Problem]:
    """A former township names today's townships that replaced it: each must exist and be current."""
    problems, townships = [], parsed.data
    for key, info in townships.items():
        for index, successor in enumerate(info.get("successors", [])):
            target = townships.get(successor)
            if target is None:
                why = f"{rel} 里没有“{successor}”这个乡镇（街道）。"
            elif successor == key or target.get("successors"):
                why = f"“{successor}”本身是已撤销的乡镇，不能作为撤并后的乡镇（街道）。"
            else:
                continue
            line = parsed.line_of((key, "successors", index))
            problems.append(Problem(rel, line, "successors", why, "写撤并后现有乡镇（街道）的键。"))
    return problems


def _check_phrases(parsed: Parsed, rel: str, at: tuple) -> list[Problem]:
    """A 繁體 exception table (data/hant-phrases.yml, or a story's `hant` field at `at`)."""
    table = parsed.data
    for key in at:
        table = table.get(key) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        return []
    return [
        Problem(
            rel,
            parsed.line_of((*at, key)),
            at[0] if at else None,
            f"“{key}: {table[key]}”两边字数不同。",
            "繁體写法只改字形，不增删字：两边写成同样多的字。",
        )
        for key in hant.mismatched_phrases(table)
    ]


def _check_eras(parsed: Parsed, rel: str) -> list[Problem]:
    problems, seen, previous = [], set(), None
    for index, era in enumerate(parsed.data):
        line = parsed.line_of((index,))
        if era["key"] in seen:
            problems.append(Problem(rel, line, "key", f"时代键“{era['key']}”重复。", "每个时代用不同的键。"))
        seen.add(era["key"])
        if era["end"] is not None and era["end"] < era["start"]:
            problems.append(Problem(rel, line, "end", "结束年份早于开始年份。", "检查 start 和 end。"))
        if previous is not None and era["start"] < previous:
            problems.append(Problem(rel, line, "start", "时代没有按时间先后排列。", "按开始年份从早到晚排列。"))
        previous = era["start"]
    return problems


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
    if not _SLUG.fullmatch(slug):
        problems.append(
            Problem(
                rel,
                0,
                None,
                f"文件名“{slug}”不能作网址：只能用小写字母、数字和连字符。",
                "用标题的拼音命名，如 yuan-renyuan.md。",
            )
        )
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
    problems += unknown_fields(parsed, collection, rel)
    problems += check_schema(story_schema(collection, data.keys), parsed, rel, describe_story_field(collection))
    problems += _check_rules(root, parsed, collection, rel)
    problems += lint.lint_story(root, rel, parsed, doc.body, doc.body_line, collection)
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


def _check_rules(root: Path, parsed: Parsed, collection: Collection, rel: str) -> list[Problem]:
    """Rules that are not about one field's type."""
    meta, problems = parsed.data, []
    consent = meta.get("consent")
    if (
        collection.consent_or_sources and consent in (None, False) and not meta.get("sources")
    ):  # other values: a type error
        problems.append(
            Problem(
                rel,
                parsed.line_of(("consent",)),
                "consent",
                "家书需要 consent: true（今人来信，写信人同意公开）或 sources（历史家书的出处）。",
                "今人来信加 `consent: true`；历史家书加 `sources:` 并写明出处。",
            )
        )
    problems += _check_phrases(parsed, rel, ("hant",))
    docs = Path(os.path.normpath(root / "docs"))
    for f in collection.all_fields:  # cover, video, video_poster, video_captions: the file must exist inside docs/
        value = meta.get(f.name)
        if f.kind not in FILE_KINDS or not isinstance(value, str) or not value.strip():
            continue
        path = Path(os.path.normpath(docs / value))
        if docs not in path.parents or not path.is_file():  # also refuses /abs and ../ paths outside docs/
            folder = {"video": "assets/videos/", "audio": "assets/audio/"}.get(f.name.split("_")[0], "assets/images/")
            problems.append(
                Problem(
                    rel,
                    parsed.line_of((f.name,)),
                    f.name,
                    f"找不到{FILE_KINDS[f.kind]} docs/{value}。",
                    f"把文件放到 docs/{folder} 下，并检查文件名大小写。",
                )
            )
        elif f.kind == "audio" and path.stat().st_size > AUDIO_MAX_KB * 1024:  # readers are often on mobile data
            problems.append(
                Problem(
                    rel,
                    parsed.line_of((f.name,)),
                    f.name,
                    f"录音 docs/{value} 有 {path.stat().st_size // 1024} KB，超过 {AUDIO_MAX_KB} KB 的上限。",
                    f"剪短，或转成单声道 64 kbit/s 的 MP3（约每分钟 470 KB），使它小于 {AUDIO_MAX_KB} KB。",
                )
            )
    born, died = meta.get("born"), meta.get("died")
    if isinstance(born, int) and isinstance(died, int) and not isinstance(born, bool) and died < born:
        problems.append(Problem(rel, parsed.line_of(("died",)), "died", f"卒年 {died} 早于生年 {born}。", "检查年份。"))
    return problems


def _check_stray_files(root: Path) -> list[Problem]:
    """Files under stories/ that would silently not be published."""
    problems = []
    stories = root / "stories"
    for path in sorted(stories.rglob("*"), key=lambda p: p.parts) if stories.is_dir() else ():  # = Path order, faster
        rel = path.relative_to(root).as_posix()
        parts = path.relative_to(stories).parts
        if path.is_dir() or parts[0].startswith((".", "_")) or path.name.startswith("."):
            continue  # templates and README live in _templates/, dot files are tooling
        if len(parts) == 1:
            if path.suffix.lower() != ".md" or path.name.lower() != "readme.md":
                problems.append(
                    Problem(rel, 0, None, "故事要放在栏目文件夹里。", f"移到 stories/{'|'.join(COLLECTIONS)}/ 之一。")
                )
        elif parts[0] not in COLLECTIONS:
            problems.append(
                Problem(rel, 0, None, f"没有“{parts[0]}”这个栏目。", f"栏目只有：{'、'.join(COLLECTIONS)}。")
            )
        elif len(parts) > 2 or path.suffix != ".md":
            problems.append(
                Problem(
                    rel,
                    0,
                    None,
                    "这里只放 .md 故事文件，不会发布。",
                    "图片放到 docs/assets/images/；故事文件用 .md 结尾（小写）。",
                )
            )
    return problems


def _check_duplicates(stories: list[Story]) -> list[Problem]:
    problems = []
    by_slug: dict[str, Story] = {}
    for story in stories:
        first = by_slug.setdefault(story.slug, story)
        if first is not story:  # one slug in two collections makes search results and links ambiguous
            problems.append(Problem(story.rel, 0, None, f"文件名与 {first.rel} 重复。", "给其中一篇换一个文件名。"))
    return problems


__all__ = ["Content", "SiteData", "Story", "load_content", "load_data", "load_story", "REFS"]

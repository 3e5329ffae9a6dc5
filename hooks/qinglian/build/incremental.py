"""Which generated pages changed since the previous build: what makes `mkdocs serve --dirty` correct.

MkDocs' dirty mode re-renders a page only when its own source file is newer than its output. A story page
also shows other stories (related cards), its terms and the data files, and a browse page shows all its
stories' cards, so a file's time is not enough. Here every planned page gets a fingerprint of everything
its template receives — the page's context, followed into the stories, terms and taxonomies it holds — and a
page is re-rendered when its fingerprint differs from the previous build's. Anything else that every page
depends on (data/, templates, hooks, mkdocs.yml) goes into a site-wide fingerprint: when it changes, every
page is rebuilt. Hand-written pages (home, campaign, …) read the whole catalog and are always rebuilt.

Nothing here depends on MkDocs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from qinglian.content.load import Story
from qinglian.site.catalog import Taxonomy, Term
from qinglian.site.pages import SitePlan

# Folders and files (relative to the project) whose change means: rebuild every page.
SITE_WIDE = ("data", "docs/overrides", "hooks", "mkdocs.yml")


def site_fingerprint(root: Path, extra: str = "") -> str:
    """Size and modification time of every file that shapes all pages, plus `extra` (e.g. the config)."""
    digest = hashlib.blake2b(extra.encode(), digest_size=16)
    for name in SITE_WIDE:
        path = Path(root) / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                stat = file.stat()
                digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class _Fingerprinter:
    def __init__(self) -> None:
        self._cards: dict[int, str] = {}  # id(story, term, taxonomy) -> its digest, computed once per build

    def card(self, story: Story) -> str:
        found = self._cards.get(id(story))
        if found is None:
            found = self._cards[id(story)] = _digest([story.src_uri, story.meta])
        return found

    def _once(self, obj, describe) -> str:
        found = self._cards.get(id(obj))
        if found is None:
            found = self._cards[id(obj)] = _digest(describe(obj))
        return found

    def story_page(self, story: Story) -> list:
        """A story's own page: its whole file, its related stories' cards (and their order)."""
        return ["story", story.src_uri, story.meta, story.body, [self.card(r) for r in story.related]]

    def value(self, value, top: bool = False):
        if isinstance(value, Story):
            return self.story_page(value) if top else self.card(value)
        if isinstance(value, Term):  # digested once per build: many pages hold the same term
            return self._once(
                value,
                lambda t: [
                    "term",
                    t.src_uri,
                    t.name,
                    t.description,
                    t.info,
                    t.taxonomy.key,
                    t.taxonomy.name,
                    [self.card(s) for s in t.stories],
                ],
            )
        if isinstance(value, Taxonomy):
            return self._once(
                value, lambda x: ["taxonomy", x.key, x.name, x.description, [self.value(t) for t in x.terms.values()]]
            )
        if isinstance(value, dict):
            return {str(k): self.value(v, top) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return repr(value)  # e.g. a Collection: frozen, its repr is its content
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        return f"{type(value).__name__}@{id(value)}"  # unknown: never equal twice, so always rebuilt


def page_fingerprints(plan: SitePlan) -> dict[str, str]:
    """src_uri -> digest of everything the page's template is given, for every planned page."""
    fp = _Fingerprinter()
    return {
        uri: _digest([page.template, page.title, fp.value(page.context, top=True)]) for uri, page in plan.pages.items()
    }


def changed_pages(previous: dict[str, str] | None, current: dict[str, str]) -> set[str]:
    """Pages to re-render: new ones and those whose fingerprint changed. All of them without a previous build."""
    if previous is None:
        return set(current)
    return {uri for uri, digest in current.items() if previous.get(uri) != digest}


def _digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclasses.dataclass
class DirtyState:
    """What one `mkdocs serve --dirty` process remembers between its builds."""

    fingerprints: dict[str, str] | None = None  # of the last build that wrote its pages
    dests: dict[str, str] = dataclasses.field(default_factory=dict)  # src_uri -> output file, to remove deleted pages
    pending: tuple | None = None


def mark_pages(files, plan: SitePlan, root: Path, state: DirtyState) -> tuple[int, int]:
    """Before a dirty build: set `is_modified()` of every page in `files` (MkDocs' Files) to whether it must be
    re-rendered, and delete the output of planned pages that no longer exist. Returns (rebuilt, pages)."""
    import os

    current = page_fingerprints(plan)
    current["<site>"] = site_fingerprint(root)
    previous = state.fingerprints
    if previous is not None and previous.get("<site>") != current["<site>"]:
        previous = None  # data, templates, hooks or mkdocs.yml changed: rebuild everything
    changed = changed_pages(previous, current)
    for uri in set(state.dests) - set(plan.pages):  # a story or term that is gone: its page must not linger
        output = Path(state.dests.pop(uri))
        if output.is_file():
            output.unlink()
    rebuilt = pages = 0
    for file in files.documentation_pages():
        pages += 1
        if file.src_uri in plan.pages:
            state.dests[file.src_uri] = file.abs_dest_path
            modified = file.src_uri in changed or not os.path.isfile(file.abs_dest_path)
        else:
            modified = True  # hand-written pages (home, campaign, …) may show anything from the catalog
        file.is_modified = lambda m=modified: m
        rebuilt += modified
    state.pending = (current,)
    return rebuilt, pages


def build_done(state: DirtyState) -> None:
    """After the pages were written: they now match the fingerprints computed before the build."""
    if state.pending:
        state.fingerprints = state.pending[0]
        state.pending = None


def template_cache():
    """A Jinja bytecode cache kept in memory for the life of `mkdocs serve`.

    MkDocs makes a new Jinja environment for every rebuild, so every template (Material's ~50 included) was
    compiled again on each edit. Jinja checks the source's checksum before using cached code, so an edited
    template is compiled afresh.
    """
    from jinja2 import BytecodeCache

    class MemoryBytecodeCache(BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket) -> None:
            code = self.store.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    return MemoryBytecodeCache()


class _DropDirtyWarning:
    """MkDocs warns on every dirty build that links may be inaccurate; with the fingerprints they are not."""

    def filter(self, record) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def quiet_dirty_warning(logger_name: str = "mkdocs.commands.build") -> None:
    import logging

    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, _DropDirtyWarning) for f in logger.filters):
        logger.addFilter(_DropDirtyWarning())

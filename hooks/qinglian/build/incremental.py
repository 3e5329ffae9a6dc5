"""Which generated pages changed since the previous build: what makes `mkdocs serve --dirty` correct.

MkDocs' dirty mode re-renders a page only when its own source file is newer than its output. A story page
also shows other stories (related cards), its terms and the data files, and a browse page shows all its
stories' cards, so a file's time is not enough. Here every planned page gets a fingerprint of everything
its template receives — the page's context, followed into the stories, terms and taxonomies it holds — and a
page is re-rendered when its fingerprint differs from the previous build's. Anything else that every page
depends on (data/, templates, hooks, mkdocs.yml) goes into a site-wide fingerprint: when it changes, every
page is rebuilt. Hand-written pages (home, campaign, …) read the whole catalog and are always rebuilt.

Nothing here imports MkDocs; the hooks use only public MkDocs API with it: File.generated, and MkDocs' own
--dirty rule (DirtyState says how).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import tempfile
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
    """What one `mkdocs serve --dirty` process remembers between its builds.

    MkDocs' own --dirty rule decides what is re-rendered: a page is rendered again when its source file is
    newer than its output (File.is_modified). Each planned page is therefore backed by a source file of its
    own in `folder` (File.generated with abs_src_path, the public way to back a generated page by a file),
    and that file is rewritten exactly when the page's fingerprint changes.
    """

    folder: Path = dataclasses.field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="qinglian-dirty-")))
    fingerprints: dict[str, str] | None = None  # of the last build that wrote its pages
    dests: dict[str, str] = dataclasses.field(default_factory=dict)  # src_uri -> output file, to remove deleted pages
    pending: dict[str, str] | None = None

    def build_done(self) -> None:
        """After the pages were written: they now match the fingerprints computed before the build."""
        if self.pending is not None:
            self.fingerprints, self.pending = self.pending, None

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def page_sources(plan: SitePlan, root: Path, state: DirtyState) -> dict[str, Path]:
    """Before a dirty build: src_uri -> the source file backing each planned page (in `state.folder`), rewritten
    when the page's fingerprint changed; the output of planned pages that no longer exist is deleted. The hooks
    give MkDocs these files (File.generated with abs_src_path) and record each page's output in `state.dests`."""
    current = page_fingerprints(plan)
    current["<site>"] = site_fingerprint(root)
    previous = state.fingerprints
    if previous is not None and previous.get("<site>") != current["<site>"]:
        previous = None  # data, templates, hooks or mkdocs.yml changed: rebuild everything
    changed = changed_pages(previous, current)
    for uri in set(state.dests) - set(plan.pages):  # a story or term that is gone: its page must not linger
        for gone in (Path(state.dests.pop(uri)), state.folder / uri):
            gone.unlink(missing_ok=True)
    sources = {}
    for uri, page in plan.pages.items():
        source = sources[uri] = state.folder / uri
        if uri in changed or not source.is_file():
            source.parent.mkdir(parents=True, exist_ok=True)
            text = page.source.read_text(encoding="utf-8") if page.source else page.markdown()
            source.write_text(text, encoding="utf-8")
    state.pending = current
    return sources


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

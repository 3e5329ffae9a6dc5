"""Browsing structure derived from the content: taxonomies, their terms, and related stories.

Everything here is computed once per build in time linear in the number of stories (related stories
look only at a bounded window of each shared term), so output and work per story stay flat as the
archive grows.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from qinglian.chinese import slugify
from qinglian.content.load import Content, Story
from qinglian.site.ui import UI

RELATED_COUNT = 5
RELATED_WINDOW = 40  # neighbours examined per shared term: keeps related-story work O(n)


@dataclass(eq=False)
class Term:
    taxonomy: "Taxonomy"
    key: str
    name: str
    description: str = ""
    info: dict = field(default_factory=dict)  # the term's own data (e.g. an era's start and end)
    stories: list[Story] = field(default_factory=list)
    successors: list["Term"] = field(default_factory=list)  # a former township: the townships it became

    @property
    def url(self) -> str:
        return f"{self.taxonomy.key}/{self.key}/"

    @property
    def src_uri(self) -> str:
        return f"{self.taxonomy.key}/{self.key}.md"


@dataclass(eq=False)
class Taxonomy:
    key: str  # URL folder
    name: str  # 单元类型
    field: str  # front-matter field that assigns stories to terms
    description: str
    terms: dict[str, Term] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"{self.key}/"

    @property
    def src_uri(self) -> str:
        return f"{self.key}/index.md"

    def add(self, key: str, name: str, **kwargs) -> Term:
        term = self.terms[key] = Term(self, key, name, **kwargs)
        return term


@dataclass
class Catalog:
    content: Content
    taxonomies: dict[str, Taxonomy]
    by_collection: dict[str, list[Story]]

    def terms_of(self, story: Story) -> list[Term]:
        """The browse pages a story appears on, in taxonomy order."""
        found = []
        for taxonomy in self.taxonomies.values():
            values = story.meta.get(taxonomy.field)
            for value in values if isinstance(values, list) else [values]:
                key = self._tag_keys.get(value, value) if taxonomy.field == "tags" else value
                if key in taxonomy.terms and taxonomy.terms[key] not in found:  # a tag written twice counts once
                    found.append(taxonomy.terms[key])
        return found

    _tag_keys: dict[str, str] = field(default_factory=dict)

    def local_groups(self, collection: str) -> list[StoryGroup]:
        """A collection's stories in two groups, so nothing implies a Cili connection that does not exist:
        those tied to the county (a township of it, or a family's consent to publish a letter) first, then
        the national classics published from their sources. Each group keeps the collection's order."""
        stories = self.by_collection.get(collection, [])
        local = [s for s in stories if s.meta.get("township") or s.meta.get("consent") is True]
        return [
            StoryGroup("cili", UI[f"{collection}_cili"], UI[f"{collection}_cili_lead"], local),
            StoryGroup(
                "classical",
                UI[f"{collection}_classical"],
                UI[f"{collection}_classical_lead"],
                [s for s in stories if s not in local],
            ),
        ]


@dataclass
class StoryGroup:
    key: str
    name: str
    lead: str
    stories: list[Story]


def build_catalog(content: Content) -> Catalog:
    data = content.data
    words = UI["taxonomies"]  # key -> (name, description)
    unit_types = Taxonomy("unit-types", words["unit-types"][0], "unit_type", words["unit-types"][1])
    for key, info in data.unit_types.items():
        unit_types.add(key, info["name"], description=info.get("description", ""), info=info)
    name, description = words["townships"]
    townships = Taxonomy("townships", name, "township", description % data.current_township_count)
    for key, info in data.townships.items():
        townships.add(key, info["name"], description=info.get("description", ""), info=info)
    for term in townships.terms.values():
        term.successors = [townships.terms[key] for key in term.info.get("successors", [])]
    eras = Taxonomy("eras", words["eras"][0], "era", words["eras"][1])
    for era in data.eras:
        eras.add(era["key"], era["name"], info=era)
    tags = Taxonomy("tags", words["tags"][0], "tags", words["tags"][1])
    tag_keys = _tag_keys(tag for story in content.stories for tag in story.tags)
    for tag, key in sorted(tag_keys.items(), key=lambda item: item[1]):
        tags.add(key, tag)

    catalog = Catalog(content, {t.key: t for t in (unit_types, townships, eras, tags)}, {}, tag_keys)
    ordered = sorted(content.stories, key=lambda s: (s.sort_date, s.slug), reverse=True)  # newest first
    for story in ordered:
        catalog.by_collection.setdefault(story.collection.key, []).append(story)
        for term in catalog.terms_of(story):
            term.stories.append(story)
    for key in ("officials",):  # timelines read oldest first
        if key in catalog.by_collection:
            catalog.by_collection[key].sort(key=lambda s: (s.meta.get("born") is None, s.meta.get("born") or 0, s.slug))
    for term in eras.terms.values():
        term.stories.sort(key=lambda s: (s.meta.get("born") is None, s.meta.get("born") or 0, s.slug))
    _link_related_memo(catalog, ordered)
    return catalog


def _tag_keys(tags) -> dict[str, str]:
    """A URL key for each tag: its pinyin, made unique with a numeric suffix."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for tag in sorted(set(tags)):
        base = slugify(tag) or "tag"
        key, n = base, 2
        while key in used:
            key, n = f"{base}-{n}", n + 1
        keys[tag] = key
        used.add(key)
    return keys


_last_related: dict = {"key": None, "related": None}  # the previous build's answer (kept while `mkdocs serve` runs)


def _link_related_memo(catalog: Catalog, ordered: list[Story]) -> None:
    """_link_related, reused when nothing it reads changed since the previous catalog in this process.

    It reads only the story order, each story's terms (in order) and each term's stories (in order), so an
    edit to a story's text, or to anything else that does not move stories between terms, keeps the answer.
    """
    terms = [t for taxonomy in catalog.taxonomies.values() for t in taxonomy.terms.values()]
    key = (
        tuple(s.src_uri for s in ordered),
        tuple(tuple(t.src_uri for t in catalog.terms_of(s)) for s in ordered),
        tuple((t.src_uri, tuple(s.src_uri for s in t.stories)) for t in terms),
    )
    if key == _last_related["key"]:
        by_uri = {s.src_uri: s for s in ordered}
        for story in ordered:
            story.related = [by_uri[uri] for uri in _last_related["related"][story.src_uri]]
        return
    _link_related(catalog, ordered)
    _last_related["key"] = key
    _last_related["related"] = {s.src_uri: [r.src_uri for r in s.related] for s in ordered}


def _link_related(catalog: Catalog, ordered: list[Story]) -> None:
    """Related stories: those sharing the most terms, weighted; ties go to the nearest in date."""
    weights = {"tags": 2, "unit-types": 2, "townships": 1, "eras": 1}
    position = {story: index for index, story in enumerate(ordered)}  # stories hash by identity
    index_in_term: dict[int, dict[Story, int]] = {}  # id(term) -> story -> index, built once per term
    half = RELATED_WINDOW // 2
    for story in ordered:
        scores: dict[Story, int] = {}  # in the order candidates were first met: that order breaks ties
        get = scores.get
        for term in catalog.terms_of(story):
            members = term.stories
            if len(members) > RELATED_WINDOW:  # a large term: only the story's nearest neighbours in it
                indexes = index_in_term.get(id(term))
                if indexes is None:
                    indexes = index_in_term[id(term)] = {s: i for i, s in enumerate(members)}
                middle = indexes[story]
                members = members[max(0, middle - half) : middle + half + 1]
            weight = weights[term.taxonomy.key]
            for other in members:
                scores[other] = get(other, 0) + weight
        scores.pop(story, None)
        here = position[story]
        candidates = list(scores)
        # the n smallest of (-score, distance, first met): sorted(...)[:n] without sorting every candidate
        best = heapq.nsmallest(
            RELATED_COUNT, [(-score, abs(position[other] - here), i) for i, (other, score) in enumerate(scores.items())]
        )
        story.related = [candidates[i] for _, _, i in best]

"""The pages the generator adds to the site, each with its template and its context.

A page kind is one template under docs/overrides/ (story.html, collection.html, taxonomy.html,
term.html, home.html, townships.html, timeline.html, dashboard.html, ledger.html). Nothing here depends on MkDocs: the hooks turn `SitePlan.pages` into
MkDocs files and hand `context_for(src_uri)` to the templates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qinglian.site import charts, seo, submission

from qinglian.outputs import exports

from qinglian.outputs import feeds
from qinglian.site.catalog import Catalog, build_catalog
from qinglian.site.ledger import build_ledger
from qinglian.content.load import Content, Story, load_content
from qinglian.content.contract import COLLECTIONS, SUMMARY_MAX
from qinglian.content.problems import ContentError
from qinglian.site.ui import UI


@dataclass
class PlannedPage:
    src_uri: str  # where the page pretends to live in docs/
    template: str
    title: str
    context: dict = field(default_factory=dict)
    source: Path | None = None  # a story's own file; None for pages generated from the catalog

    def markdown(self) -> str:
        """Front matter of a generated page: its title and template (the body comes from the template)."""
        return f"---\ntitle: {json.dumps(self.title, ensure_ascii=False)}\ntemplate: {self.template}\n---\n"


@dataclass
class SitePlan:
    content: Content
    catalog: Catalog
    pages: dict[str, PlannedPage]
    handwritten: dict[str, dict] = field(default_factory=dict)  # extra context of hand-written pages (the home)

    def context_for(self, src_uri: str) -> dict:
        page = self.pages.get(src_uri)
        return page.context if page else self.handwritten.get(src_uri, {})

    def story(self, src_uri: str) -> Story | None:
        return self.context_for(src_uri).get("story")

    def generated_files(self, site_url: str | None) -> dict[str, bytes]:
        """Downloads, feeds, robots.txt and scripts (not pages): the metadata export, the Atom feeds, the crawlers'
        note and the 投稿 page's rules."""
        robots = {"robots.txt": seo.robots_txt(site_url)}
        site_url = site_url or "/"
        return {
            **exports.export_files(self.content.stories, site_url),
            **feeds.feed_files(self.content, site_url),
            **robots,
            **submission.rules_files(self.content.data),
        }


def plan_site(root: Path, cache: dict | None = None) -> SitePlan:
    """Load and check all content, then plan every generated page. Raises ContentError on any problem.

    `cache` (optional, kept by the caller between plans) spares re-reading unchanged story files.
    """
    content, problems = load_content(root, cache=cache)
    if problems:
        raise ContentError(problems)
    catalog = build_catalog(content)
    pages: dict[str, PlannedPage] = {}

    def add(page: PlannedPage) -> None:
        pages[page.src_uri] = page

    for story in content.stories:
        add(PlannedPage(story.src_uri, "story.html", story.title, {"story": story, "terms": catalog.terms_of(story)},
                        source=story.path))
    for key, collection in COLLECTIONS.items():
        stories = catalog.by_collection.get(key, [])
        add(PlannedPage(f"{key}/index.md", "collection.html", collection.name,
                        {"collection": collection, "stories": stories}))
    for taxonomy in catalog.taxonomies.values():
        if taxonomy.key == "townships":  # the township view: every township with what it has
            add(PlannedPage(taxonomy.src_uri, "townships.html", taxonomy.name,
                            {"taxonomy": taxonomy, "rows": charts.township_rows(catalog)}))
        else:
            add(PlannedPage(taxonomy.src_uri, "taxonomy.html", taxonomy.name, {"taxonomy": taxonomy}))
        for term in taxonomy.terms.values():
            add(PlannedPage(term.src_uri, "term.html", f"{term.name} · {taxonomy.name}", {"term": term}))
    add(PlannedPage("timeline.md", "timeline.html", UI["timeline"], {"timeline": charts.timeline(catalog)}))
    progress, ledger = charts.campaign(catalog), build_ledger(catalog)
    add(
        PlannedPage(
            "dashboard.md",
            "dashboard.html",
            UI["dashboard"],
            {"campaign": progress, "downloads": DOWNLOADS, "ledger": ledger},
        )
    )
    add(PlannedPage("verification.md", "ledger.html", UI["ledger"], {"ledger": ledger}))
    handwritten = {"index.md": {"campaign": progress}, "tougao.md": {"summary_max": SUMMARY_MAX}}
    return SitePlan(content, catalog, pages, handwritten)


# What the dashboard offers for download: (path in the site, label).
DOWNLOADS = ((exports.CSV_PATH, UI["download_csv"]), (exports.JSON_PATH, UI["download_json"]),
             *((feeds.feed_path(key), UI["feed_link"] % title) for key, title in UI["feeds"]))

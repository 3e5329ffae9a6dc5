"""The pages the generator adds to the site, each with its template and its context.

A page kind is one template under docs/overrides/ (story.html, collection.html, taxonomy.html,
term.html, home.html, townships.html, timeline.html, dashboard.html, ledger.html). Nothing here depends on MkDocs: the hooks turn `SitePlan.pages` into
MkDocs files and hand `context_for(src_uri)` to the templates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qinglian.site import charts, covers, seo, submission

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
    root: Path | None = None  # the project folder (the drawn covers' cache lives in it)
    quotes: list[dict] = field(default_factory=list)  # data/site.yml `quotes`, each checked against its story

    def context_for(self, src_uri: str) -> dict:
        page = self.pages.get(src_uri)
        return page.context if page else self.handwritten.get(src_uri, {})

    def story(self, src_uri: str) -> Story | None:
        return self.context_for(src_uri).get("story")

    def generated_files(self, site_url: str | None) -> dict[str, bytes]:
        """Downloads, feeds, robots.txt, drawn covers and scripts (not pages): the metadata export, the Atom feeds,
        the crawlers' note, the stories' title cards and the 投稿 page's rules."""
        robots = {"robots.txt": seo.robots_txt(site_url)}
        site_url = site_url or "/"
        cache = self.root / COVER_CACHE if self.root else None
        return {
            **exports.export_files(self.content.stories, site_url),
            **feeds.feed_files(self.content, site_url),
            **robots,
            **covers.cover_files(self.content.stories, cache),
            **submission.rules_files(self.content.data),
        }


def plan_site(root: Path, cache: dict | None = None) -> SitePlan:
    """Load and check all content, then plan every generated page. Raises ContentError on any problem.

    `cache` (optional, kept by the caller between plans) spares re-reading unchanged story files.
    """
    content, problems = load_content(root, cache=cache)
    if problems:
        raise ContentError(problems)
    if any(covers.needs_cover(story) for story in content.stories):
        covers.serif_font_file()  # ContentError naming the Debian font package when there is none
    quotes, problems = published_quotes(content)
    if problems:
        raise ContentError(problems)
    catalog = build_catalog(content)
    pages: dict[str, PlannedPage] = {}

    def add(page: PlannedPage) -> None:
        pages[page.src_uri] = page

    for story in content.stories:
        add(
            PlannedPage(
                story.src_uri,
                "story.html",
                story.title,
                {"story": story, "terms": catalog.terms_of(story)},
                source=story.path,
            )
        )
    for key, collection in COLLECTIONS.items():
        stories = catalog.by_collection.get(key, [])
        add(
            PlannedPage(
                f"{key}/index.md", "collection.html", collection.name, {"collection": collection, "stories": stories}
            )
        )
    for taxonomy in catalog.taxonomies.values():
        if taxonomy.key == "townships":  # the township view: every township with what it has
            add(
                PlannedPage(
                    taxonomy.src_uri,
                    "townships.html",
                    taxonomy.name,
                    {"taxonomy": taxonomy, "rows": charts.township_rows(catalog)},
                )
            )
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
    home = {"campaign": progress, "quotes": quotes}
    handwritten = {"index.md": home, "tougao.md": {"summary_max": SUMMARY_MAX}}
    return SitePlan(content, catalog, pages, handwritten, root=root, quotes=quotes)


COVER_CACHE = ".cache/covers"  # drawn PNG covers by what they show (git-ignored): rebuilds redraw only changes


# What the dashboard offers for download: (path in the site, label).
DOWNLOADS = (
    (exports.CSV_PATH, UI["download_csv"]),
    (exports.JSON_PATH, UI["download_json"]),
    *((feeds.feed_path(key), UI["feed_link"] % title) for key, title in UI["feeds"]),
)


SITE_YML = "data/site.yml"


def published_quotes(content: Content) -> tuple[list[dict], list]:
    """data/site.yml `quotes`: [{text, story}] for the home page and the kiosk, and a problem for each quote
    whose story is not published or whose text is not, character for character, in that story's text.

    Quotations must never be invented: the check compares without spaces and Markdown quote marks (">")."""
    from qinglian.content.problems import Problem

    by_key = {f"{s.collection.key}/{s.slug}": s for s in content.stories}
    found, problems = [], []
    for index, item in enumerate(content.data.site.get("quotes") or []):
        key, text = str(item["story"]).strip().strip("/"), str(item["text"]).strip()
        key = key[:-3] if key.endswith(".md") else key
        story = by_key.get(key) or by_key.get(key.removeprefix("stories/"))
        where = f"quotes[{index}]"
        if story is None:
            problems.append(
                Problem(
                    SITE_YML,
                    0,
                    f"{where}.story",
                    f"找不到已发布的故事“{item['story']}”。",
                    "写“栏目/文件名”，例如 letters/zhuge-liang-jiezishu，且该故事不是草稿。",
                )
            )
        elif _plain(text) not in _plain(story.body):
            problems.append(
                Problem(
                    SITE_YML,
                    0,
                    f"{where}.text",
                    f"引文“{text}”不在故事 {story.rel} 的正文里。",
                    "从正文逐字复制引文（标点也要一致），不要改写或编写引文。",
                )
            )
        else:
            found.append({"text": text, "story": story})
    return found, problems


def _plain(text: str) -> str:
    return (
        "".join(line.lstrip().removeprefix(">").strip() for line in text.splitlines())
        .replace(" ", "")
        .replace("\u3000", "")
    )

"""What search engines and share cards read: description, share image, JSON-LD, language alternates, sitemap, robots.

Templates ask `ql_seo.page_head()` (main.html's site_meta block, partials/ql-head.html) for one page's
signals and `ql_seo.sitemap_xml(pages)` (docs/overrides/sitemap.xml) for the sitemap; the plan's generated
files include robots.txt. Pages are rendered in Simplified characters; the 繁體 mirror
(hooks/qinglian/outputs/editions.py) converts them, sets lang and og:locale, and calls `mirror_jsonld` for
the JSON-LD's language and addresses.

Nothing here depends on MkDocs.
"""

from __future__ import annotations

import datetime
import json
import struct
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree as ET

from jinja2 import pass_context
from markupsafe import Markup

from qinglian.content.load import Story
from qinglian.content.urls import safe_media_path
from qinglian.outputs import feeds
from qinglian.site import covers
from qinglian.site.ui import UI

HANS, HANT = "zh-Hans", "zh-Hant"
OG_LOCALE = {HANS: "zh_CN", HANT: "zh_TW"}
MIRROR = "zh-hant"  # the folder of the 繁體 mirror (editions.PREFIX; not imported: editions imports this module)
# The site-wide share card, drawn (the site name on paper, a seal-red rule; `make share-card`), for every
# page without a picture of its own. 1200×630: the 1.91:1 of Open Graph cards; the name sits in the middle
# so that a square thumbnail cut from it still shows it.
SHARE_CARD = "assets/images/share/qinglian.png"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SCHEMA = "https://schema.org"
# Feeds named in every page's <head> (autodiscovery): the whole site's, plus a collection's on its pages.
SITE_FEED = "all"
# Share thumbnails want a picture of at least 300×300 (WeChat's long-standing rule for a page's picture); a
# smaller cover is not offered, the card is.
MIN_SIDE = 300


# ---- pictures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareImage:
    path: str  # site-relative, e.g. assets/images/share/qinglian.png
    width: int
    height: int
    mime: str
    alt: str


def raster_info(path: Path) -> tuple[str, int, int] | None:
    """(MIME type, width, height) of a PNG or JPEG file, read from its header; None for anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(32)
            if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
                width, height = struct.unpack(">II", head[16:24])
                return "image/png", width, height
            if head[:2] != b"\xff\xd8":
                return None
            f.seek(2)
            while True:  # JPEG: walk the segments to the first frame header (SOFn)
                marker = f.read(2)
                if len(marker) < 2 or marker[0] != 0xFF:
                    return None
                if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7:
                    continue
                (length,) = struct.unpack(">H", f.read(2))
                if marker[1] in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                    height, width = struct.unpack(">xHH", f.read(5))
                    return "image/jpeg", width, height
                f.seek(length - 2, 1)
    except OSError:
        return None


def drawn_cover(story: Story) -> str | None:
    """The story's drawn title card (PNG, site-relative; hooks/qinglian/site/covers.py) when it has no cover."""
    return covers.cover_png_path(story) if covers.needs_cover(story) else None


# ---- dates ---------------------------------------------------------------------------------


def story_dates(story: Story, git: dict[str, datetime.datetime]) -> tuple[datetime.date, datetime.date]:
    """(published, modified): published is the story's `date` field, else the last change of its file (git,
    else the file's time: the feeds' rule); modified is the later of that and the file's last commit."""
    published = feeds.story_time(story, git).date()
    last = git.get(story.rel)
    return published, max(published, last.date()) if last else published


# ---- JSON in a <script> --------------------------------------------------------------------


def script_json(data) -> Markup:
    """JSON for a <script type="application/ld+json"> element: characters kept as they are (the 繁體 mirror
    converts them like the rest of the page), and <, >, & written as \\u escapes, as Jinja's |tojson does, so
    no text (a title reading "</script><script>…") can end the element. Markup: autoescape leaves it alone."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def mirror_jsonld(raw: str, mirror_url) -> str:
    """The 繁體 mirror's JSON-LD: its language, and addresses of pages (`url`, `@id`, `urlTemplate`) in the mirror.
    `mirror_url(url)` returns the mirror's address of a page address, or the address unchanged."""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "inLanguage" and value == HANS:
                value = HANT
            elif key in ("url", "@id", "urlTemplate") and isinstance(value, str):
                value = mirror_url(value)
            else:
                value = walk(value)
            out[key] = value
        return out

    return str(script_json(walk(data)))


# ---- one page ------------------------------------------------------------------------------


@dataclass
class Head:
    """Everything ql-head.html writes for one page."""

    title: str
    description: str
    kind: str  # og:type
    url: str | None  # the page's absolute address (None without site_url)
    image: ShareImage | None
    image_url: str | None
    lang: str = HANS
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, absolute address)
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (title, site-relative path)
    jsonld: list[Markup] = field(default_factory=list)

    @property
    def og_locale(self) -> str:
        return OG_LOCALE[self.lang]


class Signals:
    """One per build (the hooks' on_env): the plan, the site's address and its files' dates."""

    def __init__(self, plan, config):
        self.plan = plan
        self.site_name = config.get("site_name") or ""
        self.site_description = config.get("site_description") or ""
        self.base = base_url(config.get("site_url"))
        self.docs_dir = Path(config["docs_dir"])
        extra = config.get("extra") or {}
        self.mirrored = not extra.get("kiosk")  # the kiosk has no 繁體 mirror (outputs/editions.py)
        self._last: tuple = (object(), None)  # (page, its Head); the 404 page has page None
        self._rasters: dict[str, tuple[str, int, int] | None] = {}

    @cached_property
    def git(self) -> dict[str, datetime.datetime]:
        return feeds.git_dates(self.plan.content.root, ("stories", "docs", "data"))

    def absolute(self, path: str) -> str | None:
        return self.base + path if self.base else None

    # -- description and picture

    def description(self, page, story=None, collection=None, term=None, taxonomy=None) -> str:
        if story:
            return story.meta.get("summary") or self.site_description
        if collection:
            return collection.description
        if term:  # a unit type's or a township's own description (data/), else what the page lists
            if term.description:
                return term.description
            return UI["term_description"] % (term.taxonomy.name, term.name, len(term.stories))
        if taxonomy:
            return taxonomy.description
        meta = getattr(page, "meta", None) or {}
        return meta.get("description") or self.site_description

    def share_image(self, story: Story | None) -> ShareImage | None:
        candidates = []
        if story:
            if safe_media_path(story.meta.get("cover")):  # a file under assets/, as the check requires
                candidates.append((story.meta["cover"], story.meta.get("cover_alt") or story.title))
            if drawn := drawn_cover(story):
                if drawn not in self._rasters:  # drawn at build time, not a file in docs/: the drawing's size
                    drawing = ("image/png", covers.WIDTH, covers.HEIGHT) if drawn == covers.cover_png_path(story) else None
                    self._rasters[drawn] = raster_info(self.docs_dir / drawn) or drawing
                candidates.append((drawn, story.title))
        candidates.append((SHARE_CARD, self.site_name))
        for path, alt in candidates:
            if path not in self._rasters:  # the card is on most pages: its header is read once per build
                self._rasters[path] = raster_info(self.docs_dir / path)
            info = self._rasters[path]
            if info and min(info[1], info[2]) >= MIN_SIDE:
                return ShareImage(path, info[1], info[2], info[0], alt)
        return None

    # -- the <head> of one page

    @pass_context
    def page_head(self, context) -> Head:
        """The page's Head, from the template's context (its page and the plan's story/collection/term/taxonomy);
        computed once per page, though <head> asks twice (Material's site_meta block and ql-head.html)."""
        page = context.get("page")
        if self._last[0] is not page:
            parts = {key: context.get(key) for key in ("story", "collection", "term", "taxonomy")}
            self._last = (page, self.head(page, **parts))
        return self._last[1]

    def head(self, page, story=None, collection=None, term=None, taxonomy=None) -> Head:
        url = getattr(page, "url", "") or ""
        title = story.title if story else self._page_title(page)
        image = self.share_image(story)
        head = Head(
            title=title,
            description=self.description(page, story, collection, term, taxonomy),
            kind="article" if story else "website",
            url=self.absolute(url) if self.base and not url.endswith("404.html") else None,
            image=image,
            image_url=self.absolute(image.path) if image else None,
        )
        if self.base and self.mirrored and head.url:  # hreflang wants absolute addresses
            head.alternates = [(HANS, head.url), (HANT, self.base + MIRROR + "/" + url), ("x-default", head.url)]
        head.feeds = self._feeds(story, collection)
        head.jsonld = [script_json(self.website_jsonld())] if getattr(page, "is_homepage", False) else []
        if story:
            head.jsonld.append(script_json(self.story_jsonld(story, head)))
        return head

    def _page_title(self, page) -> str:
        if getattr(page, "is_homepage", False) or not getattr(page, "title", None):
            return self.site_name
        return page.title

    def _feeds(self, story, collection) -> list[tuple[str, str]]:
        titles = dict(UI["feeds"])
        keys = [SITE_FEED]
        key = story.collection.key if story else collection.key if collection else None
        if key in titles:
            keys.append(key)
        return [(titles[k], feeds.feed_path(k)) for k in keys]

    # -- structured data (schema.org)

    def website_jsonld(self) -> dict:
        data = {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": self.site_name,
            "description": self.site_description,
            "inLanguage": HANS,
        }
        if self.base:
            data["@id"] = self.base + "#website"
            data["url"] = self.base
            data["potentialAction"] = {  # the header search box opens with ?q= (assets/javascripts/search.js)
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": self.base + "?q={search_term_string}"},
                "query-input": "required name=search_term_string",
            }
        return data

    def story_jsonld(self, story: Story, head: Head) -> dict:
        meta = story.meta
        historical = story.collection.key == "letters" and not meta.get("consent")
        published, modified = story_dates(story, self.git)
        data = {
            "@context": SCHEMA,
            "@type": "CreativeWork" if historical else "Article",
            "headline": story.title,
            "name": story.title,
            "description": meta.get("summary", ""),
            "inLanguage": HANS,
            "datePublished": published.isoformat(),
            "dateModified": modified.isoformat(),
            "keywords": list(story.tags),
            "isPartOf": [
                {"@type": "CollectionPage", "name": story.collection.name, "description": story.collection.description},
                {"@type": "WebSite", "name": self.site_name},
            ],
        }
        if head.url:
            data["url"] = data["mainEntityOfPage"] = head.url
            data["isPartOf"][0]["url"] = self.base + story.collection.key + "/"
            data["isPartOf"][1].update({"@id": self.base + "#website", "url": self.base})
        if head.image_url:
            data["image"] = {
                "@type": "ImageObject",
                "url": head.image_url,
                "width": head.image.width,
                "height": head.image.height,
            }
        if about := self._about(story):
            data["about"] = about
        if story.collection.key == "letters" and meta.get("author"):
            data["author"] = {"@type": "Person", "name": meta["author"]}
        if meta.get("written"):
            data["dateCreated"] = str(meta["written"])
        if citations := [self._citation(source) for source in meta.get("sources") or []]:
            data["citation"] = citations
        return data

    def _about(self, story: Story) -> dict | None:
        meta = story.meta
        if story.collection.key == "officials" and meta.get("name"):
            person = {"@type": "Person", "name": meta["name"]}
            if meta.get("born") is not None:
                person["birthDate"] = str(meta["born"])
            if meta.get("died") is not None:
                person["deathDate"] = str(meta["died"])
            if meta.get("office"):
                person["jobTitle"] = meta["office"]
            return person
        if story.collection.key == "units" and meta.get("unit"):
            unit = {"@type": "Organization", "name": meta["unit"]}
            township = self.plan.content.data.townships.get(meta.get("township") or "")
            if township:
                unit["location"] = {"@type": "Place", "name": township["name"]}
            return unit
        return None

    @staticmethod
    def _citation(source: dict) -> dict:
        cited = {"@type": "CreativeWork", "name": source.get("title", "")}
        if source.get("author"):
            cited["author"] = {"@type": "Person", "name": source["author"]}
        if source.get("publisher"):
            cited["publisher"] = {"@type": "Organization", "name": source["publisher"]}
        if source.get("year"):
            cited["datePublished"] = str(source["year"])
        if source.get("url"):
            cited["url"] = source["url"]
        return cited

    # -- the sitemap

    def lastmod(self, src_uri: str) -> datetime.date | None:
        """A page's content date: a story's modified date; for a list, its newest story (a browse list also
        the last change of data/, which names its terms); for a hand-written page, its file's last commit."""
        context = self.plan.context_for(src_uri)
        if story := context.get("story"):
            return story_dates(story, self.git)[1]
        if collection := context.get("collection"):
            return self._newest(self.plan.catalog.by_collection.get(collection.key, []))
        if term := context.get("term"):
            return self._newest(term.stories, self._data_date)
        if taxonomy := context.get("taxonomy"):
            return self._newest([s for t in taxonomy.terms.values() for s in t.stories], self._data_date)
        if src_uri in self.plan.pages:  # timeline, dashboard: computed from every story
            return self._newest(self.plan.content.stories, self._data_date)
        own = self.git.get(f"docs/{src_uri}")  # a hand-written page under docs/ (the home lists stories too)
        stories = self.plan.content.stories if src_uri == "index.md" else []
        return self._newest(stories, own.date() if own else None)

    @cached_property
    def _data_date(self) -> datetime.date | None:
        return max((when.date() for path, when in self.git.items() if path.startswith("data/")), default=None)

    def _newest(self, stories, *others: datetime.date | None) -> datetime.date | None:
        dates = [story_dates(s, self.git)[1] for s in stories] + [d for d in others if d]
        return max(dates, default=None)

    def sitemap_xml(self, files) -> Markup:
        """The sitemap: every page of both editions, each with its content date and its 简/繁 alternates."""
        ET.register_namespace("", SITEMAP_NS)
        ET.register_namespace("xhtml", XHTML_NS)
        urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
        for file in files:
            page = file.page
            if page is None or not self.base or page.url.endswith("404.html"):
                continue
            url = page.url
            when = self.lastmod(file.src_uri)
            editions = [(HANS, self.base + url)]
            if self.mirrored:
                editions.append((HANT, self.base + MIRROR + "/" + url))
            for _lang, loc in editions:
                entry = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
                ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = loc
                if when:
                    ET.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = when.isoformat()
                if len(editions) > 1:
                    for lang, href in [*editions, ("x-default", editions[0][1])]:
                        ET.SubElement(entry, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=lang, href=href)
        ET.indent(urlset)
        return Markup(ET.tostring(urlset, encoding="unicode"))


def base_url(site_url: str | None) -> str | None:
    if not site_url:
        return None
    return site_url if site_url.endswith("/") else site_url + "/"


def robots_txt(site_url: str | None) -> bytes:
    """Every page may be crawled; the sitemap is named when the site has an address (sitemaps want it absolute)."""
    lines = ["User-agent: *", "Allow: /"]
    if base := base_url(site_url):
        lines.append(f"Sitemap: {base}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")

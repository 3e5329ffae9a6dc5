"""The exhibition kiosk edition (kiosk.yml, `extra.kiosk: true`): what differs from the public site.

Plain Python, importable without MkDocs. The hooks call it only when the kiosk edition is built:
- `nav_without` gives it the public menu less the pages kiosk.yml excludes;
- `home_template` swaps the home page's template for the kiosk home screen of big tiles;
- `page_context` adds the home tiles, the attract-loop slides and, on story pages, the QR code of the
  story's public address (generated at build time, so the kiosk needs no network and no script for it);
- `rewrite_external_links` turns every link that would leave the kiosk into a QR trigger: the link loses
  its href (nothing can navigate even if a script fails) and its QR code is put beside it in a <template>.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from qinglian.content.contract import COLLECTIONS
from qinglian.site import covers
from qinglian.site.address import site_base
from qinglian.site.charts import demonstrations
from qinglian.site.qr import qr_svg
from qinglian.site.ui import KIOSK_UI as UI

ATTRACT_MAX = 20  # slides in the attract loop: quotations from stories, video showcases (else featured stories)
HOME_SRC_URI = "index.md"


def enabled(config) -> bool:
    """Whether this build is the kiosk edition (kiosk.yml sets extra.kiosk: true)."""
    extra = config.get("extra") if hasattr(config, "get") else None
    return bool(extra and extra.get("kiosk"))


def public_site(config) -> str | None:
    """The public site's address (kiosk.yml: extra.public_url, from SITE_URL). The kiosk's own site_url is its
    local root, so that its 404 page and absolute links work wherever the public site lives."""
    return (config.get("extra") or {}).get("public_url") or None


def nav_without(nav: list, excluded) -> list:
    """The public menu less the pages this edition excludes (`excluded(path)`: kiosk.yml's exclude_docs), so
    the kiosk's menu is never a second copy to keep in step. A section left empty goes too."""
    kept = []
    for entry in nav or []:
        title, target = next(iter(entry.items())) if isinstance(entry, dict) else (None, entry)
        if isinstance(target, list):
            target = nav_without(target, excluded)
            if not target:
                continue
        elif isinstance(target, str) and "://" not in target and excluded(target):
            continue
        kept.append({title: target} if title is not None else target)
    return kept


def home_template(src_uri: str) -> str | None:
    """The kiosk home screen replaces the public home page; other pages keep their template."""
    return "kiosk-home.html" if src_uri == HOME_SRC_URI else None


def page_context(plan, src_uri: str, public_site_url: str | None) -> dict:
    """Context every kiosk page gets, plus the home tiles on the home page and a QR code on story pages."""
    context: dict = {"kiosk": {}}  # templates test `kiosk is defined` (the 404 page has no page context)
    if src_uri == HOME_SRC_URI:
        context["kiosk"].update(home_tiles(plan.catalog), attract=attract_slides(plan.content.stories, plan.quotes))
    story = plan.story(src_uri)
    url = public_url(public_site_url, story.url) if story else None
    if url:
        context["kiosk"]["story_qr"] = {"url": url, "svg": qr_svg(url, f"{UI['qr_continue']}：{story.title}")}
    context["kiosk"]["care"] = care_settings(plan.content.data.site, public_site_url)
    if story:
        context["kiosk"]["story_key"] = f"{story.collection.key}/{story.slug}"
    return context


TAKE_HOME_PAGE = "collection/"  # the public site's page that lists a visitor's 收藏 (docs/collection.md)
STILL_THERE_SECONDS = 20


def care_settings(site: dict, public_site_url: str | None) -> dict:
    """What kiosk.js needs beyond the bar (data/site.yml `kiosk`): the still-there countdown, opening hours, the
    staff PIN's salted hash, and where 带走 leads (None without a public address: then no 收藏 at all)."""
    kiosk = site.get("kiosk") or {}
    idle = site.get("idle_seconds") or 90
    hours = None
    if kiosk.get("opens") is not None and kiosk.get("closes") is not None:
        opens, closes = clock_time(kiosk["opens"]), clock_time(kiosk["closes"])
        days = sorted(set(kiosk.get("open_days") or range(1, 8)))
        hours = {
            "opens": opens,
            "closes": closes,
            "days": days,
            "text": UI["closed_hours"].format(open=opens, close=closes),
            "daysText": UI["closed_days"].format(days="、".join(UI["weekdays"][d - 1] for d in days))
            if len(days) < 7
            else "",
        }
    pin = kiosk.get("staff_pin_sha256")
    return {
        "stillThereSeconds": min(kiosk.get("still_there_seconds") or STILL_THERE_SECONDS, max(3, idle // 2)),
        "takeHome": public_url(public_site_url, TAKE_HOME_PAGE),
        "hours": hours,
        "staffPin": dict(zip(("salt", "sha256"), pin.split("$"), strict=True)) if pin else None,
        "ui": {key: UI[key] for key in CARE_WORDS},
    }


CARE_WORDS = ("still_there_hint", "text_steps", "text_size", "save", "saved", "take_home_hint", "staff_wrong")


def clock_time(value) -> str:
    """ "09:00" stays; 540 (YAML's reading of an unquoted 9:00 as minutes) becomes "09:00"."""
    if isinstance(value, int):
        return f"{value // 60:02d}:{value % 60:02d}"
    return str(value)


def public_url(site_url: str | None, path: str) -> str | None:
    """The address of `path` on the public site, for a visitor's phone; None if the build has no public address.

    A QR code of an empty or local address (SITE_URL unset, or this computer's 127.0.0.1) would open nothing on
    a visitor's phone, so the kiosk shows none (see `missing_public_address`).
    """
    base = (site_url or "").strip()
    if not base or _is_local(base):
        return None
    return site_base(base) + path.lstrip("/")


def missing_public_address(site_url: str | None) -> str | None:
    """What the build log says when story pages get no QR code because the public address is unknown."""
    if public_url(site_url, "") is not None:
        return None
    problem = f"公开网站的地址 SITE_URL={site_url} 是本机地址" if site_url else "没有设置公开网站的地址（SITE_URL）"
    return (
        f"展厅版：{problem}，手机扫了也打不开，所以故事页不显示“{UI['qr_continue']}”二维码。"
        "修改：构建时设置正式网址，例如 SITE_URL=https://（正式网址）/ make kiosk。"
    )


def _is_local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return (
        not host
        or host in ("localhost", "0.0.0.0", "::")
        or host.endswith(".localhost")
        or host.startswith("127.")
        or host == "::1"
    )


def home_tiles(catalog) -> dict:
    """The tiles of the home screen: two collections, the ten units with counts, 示范点 progress."""
    collections = [
        {"name": COLLECTIONS[key].name, "url": f"{key}/", "count": len(catalog.by_collection.get(key, []))}
        for key in ("officials", "letters")
    ]
    units = [
        {"key": term.key, "name": term.name, "url": term.url, "count": len(term.stories)}
        for term in catalog.taxonomies["unit-types"].terms.values()
    ]
    campaign = catalog.content.data.site.get("campaign", {})
    target = campaign.get("demonstration_target") or 0
    done = len(demonstrations(catalog.by_collection.get("units", [])))
    percent = min(100, round(100 * done / target)) if target else 0
    demonstration = {
        "done": done,
        "target": target,
        "percent": percent,
        "unverified": bool(campaign.get("demonstration_target_unverified")),
    }
    return {"collections": collections, "units": units, "demonstration": demonstration}


def attract_slides(stories, quotes=()) -> list[dict]:
    """The attract loop: stories with a video, then quotations from published stories (data/site.yml `quotes`,
    each checked against its story); with neither, the featured stories (every story when none is featured)."""
    chosen = [s for s in stories if s.meta.get("video")]
    if not quotes and not chosen:
        chosen = [s for s in stories if s.meta.get("featured")] or list(stories)
    chosen.sort(key=lambda s: (s.sort_date, s.slug), reverse=True)  # newest first, then videos, then featured
    chosen.sort(key=lambda s: (not s.meta.get("video"), not s.meta.get("featured")))
    slides = []
    for story in chosen[:ATTRACT_MAX]:
        meta = story.meta
        slides.append(
            {
                "url": story.url,
                "collection": story.collection.name,
                "title": meta["title"],
                "summary": meta.get("summary", ""),
                "cover": meta.get("cover"),
                "cover_alt": meta.get("cover_alt", ""),
                "drawn_cover": None if meta.get("cover") else covers.cover_svg_path(story),
                "video": meta.get("video"),
                "video_poster": meta.get("video_poster"),
                "video_captions": meta.get("video_captions"),
                "unverified": bool(meta.get("unverified")),
            }
        )
    slides += [
        {
            "quote": item["text"],
            "url": item["story"].url,
            "collection": item["story"].collection.name,
            "title": item["story"].title,
            "unverified": bool(item["story"].meta.get("unverified")),
        }
        for item in quotes
    ]
    return slides[:ATTRACT_MAX]


# ---- external links -> QR codes --------------------------------------------------------------

_EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
_LEAVING_ATTRIBUTES = ("href", "target", "rel", "download")  # what could still take the visitor away


def is_external(href: str) -> bool:
    """A link that would leave the kiosk: any absolute address (the kiosk's own pages are relative)."""
    href = href.strip()
    if href.startswith("//"):
        return True
    scheme = urlsplit(href).scheme.lower()
    return scheme in _EXTERNAL_SCHEMES


def rewrite_external_links(page_html: str) -> str:
    """Replace each external <a href> by a QR trigger and add one <template> with the QR code per address,
    straight into <body> (kiosk.js accepts no other). The page is edited as a tree (selectolax's lexbor
    parser); a page without such links is returned as it is."""
    tree = LexborHTMLParser(page_html)
    codes: dict[str, str] = {}
    for link in tree.css("a[href]"):
        url = link.attrs.get("href") or ""
        if not is_external(url):
            continue
        ident = codes.setdefault(url, f"kiosk-qr-{len(codes)}")
        for name in _LEAVING_ATTRIBUTES:
            if name in link.attrs:
                del link.attrs[name]
        link.attrs["class"] = " ".join([*(link.attrs.get("class") or "").split(), "kiosk-ext"])
        for name, value in (("role", "button"), ("tabindex", "0"), ("data-kiosk-qr", ident), ("data-kiosk-url", url)):
            link.attrs[name] = value
    if not codes or tree.body is None:
        return page_html
    for url, ident in codes.items():
        tree.body.insert_child(LexborHTMLParser(f'<body><template id="{ident}"></template>').css_first("template"))
        tree.body.last_child.inner_html = qr_svg(url, UI["qr_external"] + "：" + url)
    return tree.html or page_html

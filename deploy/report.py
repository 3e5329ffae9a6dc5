#!/usr/bin/env python3
"""Most-read stories and searches that found nothing, from the public site's nginx access log.

    python deploy/report.py /var/log/nginx/qinglian.access.log
    python deploy/report.py access.log access.log.1 --top 20

Reads any nginx log format whose line contains the request ("GET /path HTTP/1.1") followed by the status, such as
deploy/nginx.conf's `qinglian` format (which leaves out the reader's address) and nginx's default `combined`.
Story pages count when they were served (200/304); /_nohit?q=… lines are the searches that found nothing
(assets/javascripts/search.js sends them). Addresses, if a log has them, are never read. gzip'd rotated logs
(access.log.2.gz) are read as well. Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

REQUEST = re.compile(r'"(GET|HEAD|POST) (\S+) HTTP/[0-9.]+" (\d{3})')  # sendBeacon POSTs
# /officials/x/ and its 繁體 mirror /zh-hant/officials/x/, under whatever folder the site is published in
STORY = re.compile(r"(?:^|/)(?:zh-hant/)?(officials|letters|units)/([a-z0-9-]+)/(?:index\.html)?$")
NOHIT = re.compile(r"(?:^|/)_nohit$")


def summarise(lines) -> tuple[Counter, Counter]:
    """(story key -> views, query -> searches without a result)."""
    views, nohits = Counter(), Counter()
    for line in lines:
        match = REQUEST.search(line)
        if not match:
            continue
        method, target, status = match[1], match[2], match[3]
        parts = urlsplit(target)
        path = unquote(parts.path)
        if NOHIT.search(path):
            query = " ".join((parse_qs(parts.query).get("q") or [""])[0].split())
            if query:
                nohits[query] += 1
        elif method != "POST" and status in ("200", "304") and (story := STORY.search(path)):
            views[f"{story[1]}/{story[2]}"] += 1
    return views, nohits


def read_lines(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        yield from f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="公开网站的访问统计：最常读的故事和没有结果的搜索。")
    parser.add_argument("logs", nargs="+", help="nginx 访问日志（可以多个，含 .gz）")
    parser.add_argument("--top", type=int, default=10, help="每张表列几行（默认 10）")
    args = parser.parse_args(argv)
    views, nohits = Counter(), Counter()
    for name in args.logs:
        path = Path(name)
        if not path.is_file():
            print(f"找不到日志文件 {path}。", file=sys.stderr)
            return 2
        more_views, more_nohits = summarise(read_lines(path))
        views.update(more_views)
        nohits.update(more_nohits)
    print(f"故事页被阅读 {sum(views.values())} 次；没有结果的搜索 {sum(nohits.values())} 次。")
    print(f"\n最常读的故事（前 {args.top}）：")
    for key, n in views.most_common(args.top) or [("（还没有）", "")]:
        print(f"  {n:>5}  {key}")
    print(f"\n没有结果的搜索（前 {args.top}）：")
    for query, n in nohits.most_common(args.top) or [("（没有）", "")]:
        print(f"  {n:>5}  {query}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What visitors read and looked for at the exhibition kiosk, from the counts kiosk/start.py keeps.

    python kiosk/report.py                       # kiosk-usage.csv beside site-kiosk/, every day in it
    python kiosk/report.py --days 30             # the last 30 days
    python kiosk/report.py D:\\kiosk-usage.csv --top 20

The CSV holds only per-day totals (date, event, item, count): page views, 收藏, searches and searches that found
nothing. Standard library only, like the launcher.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CSV = ROOT / "kiosk-usage.csv"
STORY_PATH = re.compile(r"^/(officials|letters|units)/([a-z0-9-]+)/(?:index\.html)?$")


def read_counts(path: Path, since: datetime.date | None = None) -> dict[str, Counter]:
    """event -> Counter(item -> count), summed over the days kept (from `since` on)."""
    totals: dict[str, Counter] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            try:
                day, count = datetime.date.fromisoformat(row["date"]), int(row["count"])
            except (KeyError, ValueError):
                continue
            if since and day < since:
                continue
            totals.setdefault(row["event"], Counter())[row["item"]] += count
    return totals


def story_titles(site: Path) -> dict[str, str]:
    """'letters/x' -> title, from the built site's story index (export/stories.json), when it is there."""
    try:
        index = json.loads((site / "export" / "stories.json").read_text(encoding="utf-8"))
        return {f"{s['collection']}/{s['slug']}": s["title"] for s in index["stories"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def story_key(path: str) -> str | None:
    match = STORY_PATH.match(path)
    return f"{match[1]}/{match[2]}" if match else None


def report(totals: dict[str, Counter], titles: dict[str, str], top: int = 10) -> str:
    views = Counter()
    for path, count in totals.get("view", Counter()).items():
        key = story_key(path)
        if key:
            views[key] += count
    saves = totals.get("save", Counter())
    searches, nohits = totals.get("search", Counter()), totals.get("nohit", Counter())
    lines = [
        f"页面浏览 {sum(totals.get('view', Counter()).values())} 次，其中故事页 {sum(views.values())} 次；"
        f"收藏 {sum(saves.values())} 次；搜索 {sum(searches.values()) + sum(nohits.values())} 次，"
        f"其中没有结果 {sum(nohits.values())} 次。",
        "",
        f"最常读的故事（前 {top}）：",
    ]
    lines += [f"  {n:>5}  {titles.get(key, key)}（{key}）" for key, n in views.most_common(top)] or ["  （还没有）"]
    lines += ["", f"最常收藏的故事（前 {top}）："]
    lines += [f"  {n:>5}  {titles.get(key, key)}（{key}）" for key, n in saves.most_common(top)] or ["  （还没有）"]
    lines += ["", f"没有结果的搜索（前 {top}，拼音）："]
    lines += [f"  {n:>5}  {query}" for query, n in nohits.most_common(top)] or ["  （没有）"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="展厅触摸屏的使用统计：最常读的故事和没有结果的搜索。")
    parser.add_argument("csv", nargs="?", default=str(DEFAULT_CSV), help="统计文件（默认 kiosk-usage.csv）")
    parser.add_argument("--days", type=int, help="只看最近几天")
    parser.add_argument("--top", type=int, default=10, help="每张表列几行（默认 10）")
    parser.add_argument("--site", default=str(ROOT / "site-kiosk"), help="展厅版网站文件夹（用来显示故事标题）")
    args = parser.parse_args(argv)
    path = Path(args.csv)
    if not path.is_file():
        print(f"找不到统计文件 {path}：展厅版运行（python kiosk/start.py）后才会有。", file=sys.stderr)
        return 2
    since = datetime.date.today() - datetime.timedelta(days=args.days - 1) if args.days else None
    print(report(read_counts(path, since), story_titles(Path(args.site)), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

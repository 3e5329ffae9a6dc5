"""Campaign figures counted from the content, and charts drawn as inline SVG at build time.

No charting library and no script: each chart is a small <svg> string whose numbers also go into an
HTML table next to it (the table is what screen readers and printouts rely on). Colours come from
CSS classes (qinglian.css), so the high-contrast mode recolours the charts too.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass, field

from qinglian.site.catalog import Catalog
from qinglian.site.ui import UI

ROW = 30  # px per bar (viewBox units)
LABEL_W = 130
BAR_W = 240
WIDTH = LABEL_W + BAR_W + 60


@dataclass
class Chart:
    key: str  # id on the page
    title: str
    rows: list[tuple[str, int]]  # (label, value), in display order
    unit: str = "篇"
    note: str = ""
    header: tuple[str, str] = ("", UI["count"])  # table column headings
    svg: str = field(default="", repr=False)

    @property
    def total(self) -> int:
        return sum(value for _label, value in self.rows)


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(chart: Chart) -> str:
    """Horizontal bars, one per row with something in it, the value written after each bar; the rows without
    any are named in one line under the bars (the table beside the chart lists every row)."""
    rows = [(label, value) for label, value in chart.rows if value]
    empty = [label for label, value in chart.rows if not value]
    top = max((value for _l, value in rows), default=0) or 1
    height = ROW * len(rows) + 10 + (ROW if empty else 0)
    summary = "；".join(f"{label} {value}{chart.unit}" for label, value in rows)
    if empty:
        summary += f"；{UI['chart_none'] % len(empty)}"
    parts = [f'<svg class="ql-svg" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{_esc(chart.title)}：{_esc(summary)}" xmlns="http://www.w3.org/2000/svg">']
    if empty:
        parts.append(f'<text class="ql-svg__note" x="0" y="{ROW * len(rows) + 28}">{_esc(UI["chart_none"] % len(empty))}</text>')
    for index, (label, value) in enumerate(rows):
        y = 5 + index * ROW
        width = round(BAR_W * value / top, 1)
        parts.append(
            f'<text class="ql-svg__label" x="{LABEL_W - 8}" y="{y + 20}" text-anchor="end">{_esc(label)}</text>'
            f'<rect class="ql-svg__track" x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="{ROW - 10}" rx="3"/>'
            + (f'<rect class="ql-svg__bar" x="{LABEL_W}" y="{y + 4}" width="{width}" height="{ROW - 10}" rx="3"/>'
               if value else "")
            + f'<text class="ql-svg__value" x="{LABEL_W + width + 6}" y="{y + 20}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def progress_svg(done: int, target: int, label: str) -> str:
    """One bar: how far `done` is towards `target`."""
    share = min(done / target, 1.0) if target else 0.0
    width = 600
    text = f"{label}：{done} / {target}"
    return (f'<svg class="ql-svg ql-svg--progress" viewBox="0 0 {width} 44" role="img" aria-label="{_esc(text)}" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<rect class="ql-svg__track" x="0" y="4" width="{width}" height="24" rx="12"/>'
            + (f'<rect class="ql-svg__bar" x="0" y="4" width="{round(width * share, 1)}" height="24" rx="12"/>'
               if done else "")
            + f'<text class="ql-svg__value" x="0" y="42">{done}</text>'
            f'<text class="ql-svg__value" x="{width}" y="42" text-anchor="end">{target}</text></svg>')


def _year_of(story) -> int | None:
    for key in ("written", "date", "year"):
        value = story.meta.get(key)
        if isinstance(value, bool) or value in (None, ""):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.year
        text = str(value)
        if text[:4].isdigit():
            return int(text[:4])
    return None


@dataclass
class Campaign:
    demonstrations: list  # stories with demonstration: true
    target: int
    target_unverified: bool
    progress_svg: str
    charts: list[Chart]


def campaign(catalog: Catalog) -> Campaign:
    """Everything the dashboard shows, counted from the published content."""
    content = catalog.content
    site = content.data.site.get("campaign", {})
    target = int(site.get("demonstration_target", 0))
    demos = [s for s in catalog.by_collection.get("units", []) if s.meta.get("demonstration") is True]

    units = catalog.taxonomies["unit-types"]
    per_type = Chart("per-unit-type", UI["per_unit_type"], [(t.name, len(t.stories)) for t in units.terms.values()],
                     header=(UI["unit_type"], UI["count"]))
    townships = catalog.taxonomies["townships"]
    per_township = Chart("per-township", UI["per_township"],
                         [(t.name, len(t.stories)) for t in shown_townships(catalog)],
                         header=(UI["township"], UI["count"]))
    years: dict[int | None, int] = {}
    for story in catalog.by_collection.get("letters", []):
        year = _year_of(story)
        years[year] = years.get(year, 0) + 1
    from qinglian.site.ui import year as year_label

    letter_rows = [(year_label(y), n) for y, n in sorted((y, n) for y, n in years.items() if y is not None)]
    if None in years:
        letter_rows.append((UI["year_unknown"], years[None]))
    per_year = Chart("letters-per-year", UI["letters_per_year"], letter_rows, unit="封",
                     header=(UI["year"], UI["count"]))
    charts = [per_type, per_township, per_year]
    for chart in charts:
        chart.svg = bar_chart(chart)
    return Campaign(demos, target, bool(site.get("demonstration_target_unverified")),
                    progress_svg(len(demos), target, UI["demonstration_progress"]), charts)


@dataclass
class TownshipRow:
    term: object  # the township's Term (name, url)
    kind: str
    units: int
    demonstrations: int
    letters: int
    officials: int

    @property
    def total(self) -> int:
        return self.units + self.letters + self.officials


def shown_townships(catalog: Catalog) -> list:
    """Townships in data/townships.yml order; a former one only while a story still names it."""
    return [t for t in catalog.taxonomies["townships"].terms.values() if t.stories or not t.successors]


def township_rows(catalog: Catalog) -> list[TownshipRow]:
    """Today's townships (and former ones that stories still name), with what each has."""
    rows = []
    for term in shown_townships(catalog):
        by = {key: [s for s in term.stories if s.collection.key == key] for key in ("units", "letters", "officials")}
        rows.append(TownshipRow(term, term.info.get("kind", ""), len(by["units"]),
                                sum(1 for s in by["units"] if s.meta.get("demonstration") is True),
                                len(by["letters"]), len(by["officials"])))
    return rows


@dataclass
class TimelineEra:
    term: object  # the era's Term
    people: list[dict]  # {story, left, width}: CSS percentages of the life span within the era


def timeline(catalog: Catalog, now: int | None = None) -> list[TimelineEra]:
    """Eras in time order, each official placed by birth and death inside their era's span (as % for CSS)."""
    now = now or datetime.date.today().year
    out = []
    for term in catalog.taxonomies["eras"].terms.values():
        start, end = term.info["start"], term.info.get("end") or now
        span = max(end - start, 1)
        people = []
        for story in term.stories:
            born, died = story.meta.get("born"), story.meta.get("died")
            left = min(max(((born if born is not None else start) - start) / span, 0), 1)
            right = min(max(((died if died is not None else (born if born is not None else start)) - start) / span,
                            left), 1)
            people.append({"story": story, "left": round(100 * left, 1), "width": round(100 * max(right - left, .02), 1)})
        out.append(TimelineEra(term, people))
    return out

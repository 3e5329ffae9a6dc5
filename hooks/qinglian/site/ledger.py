"""The public verification ledger (核实台账): every fact the site publishes with fewer than two sources.

A story marked `unverified: true`, a township of data/townships.yml marked the same and the campaign's
target figure (`demonstration_target_unverified` in data/site.yml) each become an entry: what it rests on
(its sources, and the editor's `unverified_basis`) and what would settle it (`unverified_needs`). Readers
who hold evidence are led to the contribution page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qinglian.site.catalog import Catalog
from qinglian.site.ui import UI


@dataclass
class LedgerEntry:
    kind: str  # what is unverified: 故事, 乡镇, 数据
    title: str
    url: str | None  # the page where readers meet the fact (site-relative)
    basis: str  # what it rests on, in the editors' words ("" when they said nothing more than the sources)
    needs: str  # what would settle it
    sources: list[dict] = field(default_factory=list)


@dataclass
class Ledger:
    entries: list[LedgerEntry]
    verified: int  # published stories not marked unverified
    stories: int  # all published stories

    @property
    def verified_percent(self) -> int:
        return round(100 * self.verified / self.stories) if self.stories else 0


def build_ledger(catalog: Catalog) -> Ledger:
    content, entries = catalog.content, []
    for story in sorted(content.stories, key=lambda s: (s.collection.key, s.slug)):
        if story.meta.get("unverified"):
            entries.append(
                LedgerEntry(
                    story.collection.name,
                    story.title,
                    story.url,
                    story.meta.get("unverified_basis", ""),
                    story.meta.get("unverified_needs") or UI["ledger_needs_default"],
                    story.meta.get("sources") or [],
                )
            )
    for term in catalog.taxonomies["townships"].terms.values():
        if term.info.get("unverified"):
            entries.append(
                LedgerEntry(UI["township"], term.name, term.url, "", UI["ledger_needs_default"], term.info.get("sources", []))
            )
    campaign = content.data.site.get("campaign", {})
    if campaign.get("demonstration_target_unverified"):
        source = campaign.get("source")
        entries.append(
            LedgerEntry(
                UI["ledger_kind_data"],
                UI["ledger_target"] % campaign.get("demonstration_target", ""),
                "dashboard/",
                "",
                UI["ledger_needs_default"],
                [source] if source else [],
            )
        )
    unverified = sum(1 for s in content.stories if s.meta.get("unverified"))
    return Ledger(entries, len(content.stories) - unverified, len(content.stories))

"""Rules across fields, beyond one field's type: a story's (consent or sources, its 繁體 exceptions, born before
died) and the data/ files' (successors that exist, eras in order, exception tables of equal lengths)."""

from __future__ import annotations

from qinglian.content import hant
from qinglian.content.contract import Collection
from qinglian.content.problems import Problem
from qinglian.content.yamlfile import Parsed


def check_story_rules(parsed: Parsed, collection: Collection, rel: str) -> list[Problem]:
    """Rules that are not about one field's type."""
    meta, problems = parsed.data, []
    consent = meta.get("consent")
    if (
        collection.consent_or_sources and consent in (None, False) and not meta.get("sources")
    ):  # other values: a type error
        problems.append(
            Problem(
                rel,
                parsed.line_of(("consent",)),
                "consent",
                "家书需要 consent: true（今人来信，写信人同意公开）或 sources（历史家书的出处）。",
                "今人来信加 `consent: true`；历史家书加 `sources:` 并写明出处。",
            )
        )
    problems += check_phrases(parsed, rel, ("hant",))
    born, died = meta.get("born"), meta.get("died")
    if isinstance(born, int) and isinstance(died, int) and not isinstance(born, bool) and died < born:
        problems.append(Problem(rel, parsed.line_of(("died",)), "died", f"卒年 {died} 早于生年 {born}。", "检查年份。"))
    return problems


def check_data_rules(name: str, parsed: Parsed, rel: str) -> list[Problem]:
    """The rules of one data/ file (by its name) whose schema check passed."""
    if name == "townships.yml":
        return check_successors(parsed, rel)
    if name == "eras.yml":
        return check_eras(parsed, rel)
    if name == "hant-phrases.yml":
        return check_phrases(parsed, rel, ())
    return []


def check_successors(parsed: Parsed, rel: str) -> list[Problem]:
    """A former township names today's townships that replaced it: each must exist and be current."""
    problems, townships = [], parsed.data
    for key, info in townships.items():
        for index, successor in enumerate(info.get("successors", [])):
            target = townships.get(successor)
            if target is None:
                why = f"{rel} 里没有“{successor}”这个乡镇（街道）。"
            elif successor == key or target.get("successors"):
                why = f"“{successor}”本身是已撤销的乡镇，不能作为撤并后的乡镇（街道）。"
            else:
                continue
            line = parsed.line_of((key, "successors", index))
            problems.append(Problem(rel, line, "successors", why, "写撤并后现有乡镇（街道）的键。"))
    return problems


def check_phrases(parsed: Parsed, rel: str, at: tuple) -> list[Problem]:
    """A 繁體 exception table (data/hant-phrases.yml, or a story's `hant` field at `at`)."""
    table = parsed.data
    for key in at:
        table = table.get(key) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        return []
    return [
        Problem(
            rel,
            parsed.line_of((*at, key)),
            at[0] if at else None,
            f"“{key}: {table[key]}”两边字数不同。",
            "繁體写法只改字形，不增删字：两边写成同样多的字。",
        )
        for key in hant.mismatched_phrases(table)
    ]


def check_eras(parsed: Parsed, rel: str) -> list[Problem]:
    problems, seen, previous = [], set(), None
    for index, era in enumerate(parsed.data):
        line = parsed.line_of((index,))
        if era["key"] in seen:
            problems.append(Problem(rel, line, "key", f"时代键“{era['key']}”重复。", "每个时代用不同的键。"))
        seen.add(era["key"])
        if era["end"] is not None and era["end"] < era["start"]:
            problems.append(Problem(rel, line, "end", "结束年份早于开始年份。", "检查 start 和 end。"))
        if previous is not None and era["start"] < previous:
            problems.append(Problem(rel, line, "start", "时代没有按时间先后排列。", "按开始年份从早到晚排列。"))
        previous = era["start"]
    return problems

"""Simplified → Traditional conversion for the 繁體 edition, with the project's exceptions.

OpenCC converts phrase by phrase, but some Simplified characters stand for several Traditional ones, and
classical Chinese uses them in senses modern text does not: first-person 余 is not 餘, 云 “said” is not 雲.
Editors fix such readings in two places, both plain YAML:

- `data/hant-phrases.yml`: the project's phrase table (简体短语: 繁體写法), used on every page;
- a story's own `hant` field, used on that story's page only (and winning over the project's table).

`review()` lists, for a story marked `classical: true`, every character that OpenCC could render in more
than one way, with its context and the rendering chosen, so that an editor confirms each in review.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources import files

# s2tw: OpenCC's phrase table (头发→頭髮, 发现→發現, 干部→幹部) with the glyphs most Traditional readers know
# (為 not 爲, 群眾 not 羣衆, 裡), and no regional vocabulary swaps (s2twp would turn 信息 into 資訊 and 软件
# into 軟體), so quotations of historical letters keep their words.
OPENCC_CONFIG = "s2tw"
CONTEXT = 6  # characters shown on each side of an ambiguous character in the review
# The characters worth an editor's look in a classical text: each has several Traditional forms in OpenCC's
# table AND a sense in classical Chinese that modern phrases mislead the conversion about (余 “I” → 餘,
# 云 “said” → 雲, 后 “empress” → 後, 干 “shield” → 幹…). OpenCC's table lists 294 such characters; most of
# their alternatives are rare variants (家: 傢), and listing all of them would bury these.
CLASSICAL_TRAPS = "余云后发干里面只台系叶谷松冲准几于征历复范钟丑斗尽获须苏欲郁周涂朴舍游御术采折致制借才表"


@functools.cache
def converter():
    """The OpenCC converter (the C++ binding), created once per process."""
    import opencc

    return opencc.OpenCC(OPENCC_CONFIG)


@functools.cache
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


def to_traditional(text: str, phrases: dict[str, str] | None = None) -> str:
    """`text` in Traditional characters; each phrase of `phrases` found in it is written as the table says."""
    if not phrases:
        return converter().convert(text)
    out, pos = [], 0
    for match in _phrase_pattern(tuple(phrases)).finditer(text):
        out += [converter().convert(text[pos : match.start()]), phrases[match.group()]]
        pos = match.end()
    out.append(converter().convert(text[pos:]))
    return "".join(out)


def mismatched_phrases(phrases: dict) -> list[str]:
    """The entries of a phrase table whose 繁體 writing does not have as many characters as the 简体 phrase:
    an exception changes how characters are written, never the text (and the review reads by position)."""
    return [key for key, value in phrases.items() if isinstance(value, str) and len(str(key)) != len(value)]


@functools.cache
def ambiguous_characters() -> frozenset[str]:
    """The classical traps that OpenCC's character table really gives several Traditional forms (干: 幹 乾 干)."""
    table = (files("opencc_purepy") / "dicts" / "STCharacters.txt").read_text(encoding="utf-8")
    found = set()
    for line in table.splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and len(values.split()) > 1:
            found.add(key)
    return frozenset(found & set(CLASSICAL_TRAPS))


@dataclass(frozen=True)
class Reading:
    line: int  # 1-based line in the story file
    char: str  # the Simplified character
    rendering: str  # what the 繁體 page shows for it
    context: str  # the text around it, Simplified, with the character in 【】

    def __str__(self) -> str:
        return f"{self.line}: {self.context} → {self.char}→{self.rendering}"


REVIEWED_FIELDS = ("title:", "summary:")  # front-matter lines shown on the 繁體 page as text


def review_story(text: str, body_line: int, phrases: dict[str, str] | None = None) -> list[Reading]:
    """`review()` of a story file's text: its title and summary lines, then its body (from line `body_line`)."""
    lines = text.splitlines()
    head = [line if line.startswith(REVIEWED_FIELDS) else "" for line in lines[: body_line - 1]]
    return review("\n".join(head + lines[body_line - 1 :]), 1, phrases)


def review(body: str, first_line: int, phrases: dict[str, str] | None = None) -> list[Reading]:
    """Every ambiguous character of `body` (which starts on line `first_line` of its file) and its rendering."""
    ambiguous = ambiguous_characters()
    readings = []
    for number, line in enumerate(body.splitlines(), first_line):
        spots = [i for i, char in enumerate(line) if char in ambiguous]
        if not spots:
            continue
        converted = to_traditional(line, phrases)
        for i in spots:
            if len(converted) == len(line):  # OpenCC's s2tw keeps the length of a line: read the character off it
                rendering = converted[i]
            else:  # a phrase table entry of another length: convert the character in its context
                start = max(0, i - CONTEXT)
                window = to_traditional(line[start : i + CONTEXT + 1], phrases)
                rendering = window[i - start] if len(window) == len(line[start : i + CONTEXT + 1]) else "?"
            context = line[max(0, i - CONTEXT) : i] + f"【{line[i]}】" + line[i + 1 : i + 1 + CONTEXT]
            readings.append(Reading(number, line[i], rendering, context))
    return readings

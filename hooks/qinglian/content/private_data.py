"""Private data in text that will be published: mobile numbers, resident IDs, bank cards, e-mail addresses.

The one set of rules for the editors' check (checks/text.py), for masking numbers in every message (problems.py)
and, through the shared test vectors in private_data_vectors.json, for the browser-side check. The regular
expressions use only syntax that Python's `re` and JavaScript's RegExp (with the `u` flag) read alike.

How a text is scanned, in order (a port to JavaScript follows the same steps):

1. `normalise`: HTML comments dropped, tags reduced to their attribute values, %XX and &#…; decoded, NFKC
   (full-width digits and ＠ become ASCII), e-mail obfuscations ((at), [at], 艾特, (dot), 点 …) rewritten,
   invisible characters and Markdown markup (* ` ~ \\ [ ]) dropped, runs of Chinese digits read as digits.
   The number of line breaks never changes, so a finding's line is counted in the normalised text.
2. E-mail addresses: `EMAIL`.
3. Numbers: `DIGIT_RUN` finds digits joined by at most four separators (spaces, line breaks, dots,
   underscores, hyphens, middle dots and their variants). The run is split into its digit groups and every
   sequence of whole consecutive groups is tried, first to last: 18 characters with a valid check digit and
   birth date is a resident ID; 16-19 digits starting with one of `CARD_FIRST_DIGITS` (not an ISBN's 978/979)
   with a valid Luhn digit is a bank card;
   11 digits starting 1[3-9] (after an optional 86 / 0086) is a mobile number, unless it is an amount
   (`AMOUNT_BEFORE` / `AMOUNT_AFTER`) or follows a decimal point. Groups are never split, so a number inside a
   longer one is not a phone. `RULES` holds the patterns and constants for a port.
"""

from __future__ import annotations

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass

KINDS = {"phone": "手机号码", "resident_id": "身份证号", "email": "电子邮箱", "bank_card": "银行卡号"}

# ---- normalising -----------------------------------------------------------------------------

# what may stand between the digits of one number: spaces and line breaks, dots, underscores, hyphens and dashes,
# middle dots (full-width forms become these through NFKC)
SEPARATORS = r"\s._\-\u00b7\u2010-\u2015\u2022\u2027\u2212\u2219\u22c5\u30fb\ufe58\ufe63"
COMMENT = re.compile(r"<!--[\s\S]*?(?:-->|$)")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*((?:\s[^<>]*)?)/?>")
PERCENT = re.compile(r"%([2-7][0-9A-Fa-f])")
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# "name (at) example (dot) com", "name艾特qq点com", "name # qq.com": rewritten only where a domain follows
DOT_WORD = re.compile(r"(?<=[A-Za-z0-9])\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\sdot\s|点|\s\.\s)\s*(?=[A-Za-z])", re.I)
AT_WORD = re.compile(
    r"(?<=[A-Za-z0-9._%+-])\s*(?:@|\(at\)|\[at\]|\{at\}|<at>|\sat\s|艾特|#)\s*"
    r"(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
    re.I,
)
# dropped: Markdown emphasis, code and link brackets, backslash escapes, and invisible characters
MARKUP = re.compile(
    r"[*`~\\\[\]\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
CHINESE_DIGITS = {"〇": "0", "零": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5"}
CHINESE_DIGITS |= {"六": "6", "七": "7", "八": "8", "九": "9"}
_CHINESE_DIGIT = "[" + "".join(CHINESE_DIGITS) + "]"
# seven or more: 一九四九年 is a year, 一三九一二三四五六七八 a number
CHINESE_RUN = re.compile(rf"{_CHINESE_DIGIT}(?:[{SEPARATORS}]{{0,4}}{_CHINESE_DIGIT}){{6,}}")


def _keep_lines(match: re.Match) -> str:
    return "\n" * match.group().count("\n")


def _entity(match: re.Match) -> str:
    return html.unescape(match.group()).replace("\n", " ").replace("\r", " ")


def normalise(text: str) -> str:
    """The text as a reader sees it, for scanning; it has exactly as many line breaks as `text`."""
    if "<" in text:
        text = COMMENT.sub(_keep_lines, text)
        text = TAG.sub(lambda m: f" {m.group(1)} " if m.group(1).strip() else _keep_lines(m), text)
    if "%" in text:
        text = PERCENT.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "&" in text:
        text = ENTITY.sub(_entity, text)
    text = unicodedata.normalize("NFKC", text)
    text = DOT_WORD.sub(".", text)
    text = AT_WORD.sub("@", text)
    text = MARKUP.sub("", text)
    return CHINESE_RUN.sub(lambda m: "".join(CHINESE_DIGITS.get(c, c) for c in m.group()), text)


# ---- finding ---------------------------------------------------------------------------------

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
DIGIT_RUN = re.compile(rf"[0-9](?:[{SEPARATORS}]{{0,4}}[0-9])*(?:[Xx](?![A-Za-z0-9]))?")
GROUP = re.compile(r"[0-9]+[Xx]?")
AMOUNT_BEFORE = re.compile(r"(?:[¥$]|人民币)\s*$")
AMOUNT_AFTER = re.compile(r"^(?:[.,][0-9]+)?\s*(?:元|万|亿|块|美元|圆|角)")
CARD_FIRST_DIGITS = "345689"  # UnionPay 62, Visa 4, Mastercard 5, Amex 3, 9558… (years start with 1 or 2)
NOT_CARD_PREFIXES = ("978", "979")  # ISBN-13: a list of ISBNs must not join into a "card"
DECIMAL_BEFORE = re.compile(r"[0-9][.,]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ANY_DIGITS = re.compile(r"\d|[\u2460-\u24ff\u2776-\u2793]|&#|%3")
_MAYBE_EMAIL = re.compile(r"[@＠#]|&|%40|at|艾特", re.I)


@dataclass(frozen=True)
class Finding:
    kind: str  # a KINDS key
    value: str  # the digits (a mobile without +86) or the address, as compared with allow_numbers
    start: int  # where it is in the normalised text
    end: int

    @property
    def masked(self) -> str:
        return mask(self.value)


def valid_resident_id(number: str) -> bool:
    """An 18-character resident ID: ISO 7064 MOD 11-2 check digit and a real birth date."""
    number = number.upper()
    if not re.fullmatch(r"\d{17}[0-9X]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    if ID_CHECK[total % 11] != number[17]:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= datetime.date.today().year


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char)
        if index % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask(value: str) -> str:
    """Enough to find the number in the file, not enough to publish it again in a CI log."""
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    return f"{digits[:3]}****{digits[-4:]}"


def key(value: str) -> str:
    """How a number or address is compared with the allow list: digits and address characters, lower case."""
    return re.sub(r"[^0-9a-z@.]", "", normalise(str(value)).lower())


def might_hold(text: str) -> bool:
    """A quick test on the raw text: False when nothing in it can be private data (most short values)."""
    return len(_ANY_DIGITS.findall(text)) >= 11 or bool(CHINESE_RUN.search(text)) or bool(_MAYBE_EMAIL.search(text))


def find(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """Every piece of private data in `text` (any Markdown, HTML or plain text), allowed numbers excepted."""
    if not might_hold(text):
        return []
    return find_normalised(normalise(text), allowed)


def find_normalised(plain: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    found = []
    if "@" in plain:
        found += [Finding("email", m.group(), m.start(), m.end()) for m in EMAIL.finditer(plain)]
    for run in DIGIT_RUN.finditer(plain):
        if sum(c.isdigit() for c in run.group()) >= 11:
            found += _numbers(plain, run)
    return sorted((f for f in found if key(f.value) not in allowed), key=lambda f: f.start)


# Lengths worth a closer look: a mobile (11, 13 with 86, 15 with 0086), a card (16-19), an ID (18).
_LENGTHS = frozenset({11, 13, 15, 16, 17, 18, 19})


def _numbers(plain: str, run: re.Match) -> list[Finding]:
    groups = [(m.start(), m.end()) for m in GROUP.finditer(run.group())]
    digits = re.sub(r"[^0-9X]", "", run.group().upper())
    offsets = [0]  # where each group starts in `digits`
    for start, end in groups:
        offsets.append(offsets[-1] + end - start)
    found, first = [], 0
    while first < len(groups):
        taken = None
        for last in range(first, len(groups)):
            total = offsets[last + 1] - offsets[first]
            if total > 19:
                break
            if total not in _LENGTHS:
                continue
            joined = digits[offsets[first] : offsets[last + 1]]
            kind = _kind(joined)
            start, end = run.start() + groups[first][0], run.start() + groups[last][1]
            if kind and kind != "resident_id" and _in_amount(plain[max(start - 8, 0) : start], plain[end : end + 16]):
                kind = None
            if kind:
                taken = (Finding(kind, joined[-11:] if kind == "phone" else joined, start, end), last)
                if kind == "resident_id":
                    break
        if taken:
            found.append(taken[0])
            first = taken[1] + 1
        else:
            first += 1
    return found


def _kind(digits: str) -> str | None:
    """What a number is by its digits alone (cheap tests first: most long runs are tables of years)."""
    if len(digits) == 18 and digits[6:8] in ("19", "20") and valid_resident_id(digits):
        return "resident_id"
    if "X" in digits:
        return None
    if 16 <= len(digits) <= 19 and digits[0] in CARD_FIRST_DIGITS and not digits.startswith(NOT_CARD_PREFIXES):
        return "bank_card" if luhn_valid(digits) else None
    national = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    national = national[4:] if len(national) == 15 and national.startswith("0086") else national
    if len(national) == 11 and national[0] == "1" and national[1] in "3456789":
        return "phone"
    return None


def _in_amount(before: str, after: str) -> bool:
    """Digits after a decimal point, after ¥ or before 元: an amount, not a number to call or pay into."""
    return bool(DECIMAL_BEFORE.search(before) or AMOUNT_BEFORE.search(before) or AMOUNT_AFTER.match(after))


def mask_all(text: str) -> str:
    """`text` with every piece of private data masked: for messages, which must not publish it again.

    The rest of the text stays as written where the finding maps back to it; otherwise the normalised text
    is masked (a message never keeps what `find` finds)."""
    if not might_hold(text):
        return text
    plain = normalise(text)
    findings = find_normalised(plain)
    if not findings:
        return text
    # each finding's span in `text`: the shortest prefix that normalises past its start, the longest suffix that
    # normalises to what follows it
    spans = [(_first_after(text, f.start) - 1, _last_before(text, len(plain) - f.end), f.masked) for f in findings]
    masked, previous = text, len(text)
    for start, end, shown in reversed(spans):
        if not 0 <= start < end <= previous:
            break
        masked, previous = masked[:start] + shown + masked[end:], start
    else:
        if not {f.value for f in findings} & {g.value for g in find(masked)}:
            return masked
    for f in reversed(findings):
        plain = plain[: f.start] + f.masked + plain[f.end :]
    return plain


def _first_after(text: str, offset: int) -> int:
    low, high = 0, len(text)
    while low < high:
        middle = (low + high) // 2
        if len(normalise(text[:middle])) > offset:
            high = middle
        else:
            low = middle + 1
    return low


def _last_before(text: str, tail: int) -> int:
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(normalise(text[middle:])) >= tail:
            low = middle
        else:
            high = middle - 1
    return low


RULES = {
    "email": EMAIL.pattern,
    "digit_run": DIGIT_RUN.pattern,
    "group": GROUP.pattern,
    "amount_before": AMOUNT_BEFORE.pattern,
    "amount_after": AMOUNT_AFTER.pattern,
    "card_first_digits": CARD_FIRST_DIGITS,
    "not_card_prefixes": NOT_CARD_PREFIXES,
    "decimal_before": DECIMAL_BEFORE.pattern,
    "id_weights": ID_WEIGHTS,
    "id_check": ID_CHECK,
}

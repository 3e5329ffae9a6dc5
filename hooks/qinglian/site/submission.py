"""The 投稿 page (docs/tougao.md): what its script needs to check a family letter as `make check` does.

The page's script (docs/assets/javascripts/tougao.js) runs in the reader's browser, with no server. At build
time it gets one generated file, `RULES_JS`, holding

- the JSON Schema of a letter's front matter (contract.story_schema, with the townships of data/),
- the checker's own messages for each way a form field can fail, and for each kind of private data:
  produced by running the checker (load.check_story_text) on sample letters and putting placeholders where the
  samples' values were, so the page shows what `make check` prints and follows it when it changes.

- the private-data rules of content/private_data.py: its patterns, as the Python `re` sources and flags, and its
  constants. tougao.js ports the steps (normalise, then find) and runs them with these very patterns;
  content/private_data_vectors.json is the one table of cases both must pass (tests/test_tougao.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from qinglian.content import private_data
from qinglian.content.contract import COLLECTIONS, story_schema
from qinglian.content.load import SiteData, check_story_text
from qinglian.content.problems import Problem
from qinglian.site.ui import TOUGAO_UI

RULES_JS = "assets/javascripts/tougao-rules.js"
VECTORS = Path(__file__).resolve().parent.parent / "content" / "private_data_vectors.json"

COLLECTION = COLLECTIONS["letters"]
# The front-matter fields the form asks for, in the order the story file lists them; consent is the tick box.
FORM_FIELDS = ("title", "summary", "author", "relation", "township")
# A sample of each kind of private data (the kind codes of private_data_vectors.json).
PRIVATE_SAMPLES = {
    "phone": "13812345678",
    "resident_id": "11010519491231002X",
    "email": "zhang.san@example.com",
    "bank_card": "6222000000000009",
}
# The private-data patterns a port needs, by the names tougao.js uses.
_PRIVATE_PATTERNS = {
    "comment": private_data.COMMENT,
    "tag": private_data.TAG,
    "percent": private_data.PERCENT,
    "entity": private_data.ENTITY,
    "dot_word": private_data.DOT_WORD,
    "at_word": private_data.AT_WORD,
    "markup": private_data.MARKUP,
    "chinese_run": private_data.CHINESE_RUN,
    "email": private_data.EMAIL,
    "digit_run": private_data.DIGIT_RUN,
    "group": private_data.GROUP,
    "amount_before": private_data.AMOUNT_BEFORE,
    "amount_after": private_data.AMOUNT_AFTER,
    "decimal_before": private_data.DECIMAL_BEFORE,
    "any_digits": private_data._ANY_DIGITS,  # might_hold's quick test: the same shortcut, the same answers
    "maybe_email": private_data._MAYBE_EMAIL,
}


def private_rules() -> dict:
    """content/private_data.py's patterns (source and flags for JavaScript's RegExp with the u flag: Python's
    Unicode \\d is \\p{Nd} there) and constants."""
    patterns = {
        name: {
            "source": pattern.pattern.replace("\\d", "\\p{Nd}"),
            "flags": "iu" if pattern.flags & re.IGNORECASE else "u",
        }
        for name, pattern in _PRIVATE_PATTERNS.items()
    }
    return {
        "patterns": patterns,
        "chinese_digits": private_data.CHINESE_DIGITS,
        "card_first_digits": private_data.CARD_FIRST_DIGITS,
        "not_card_prefixes": list(private_data.NOT_CARD_PREFIXES),
        "id_weights": list(private_data.ID_WEIGHTS),
        "id_check": private_data.ID_CHECK,
        "lengths": sorted(private_data._LENGTHS),
    }


_SAMPLE = {"title": "样例标题", "summary": "样例摘要。", "author": "样例写信人", "consent": True}
_NOT_A_KEY = "zzzz-not-a-key"


def browser_rules(data: SiteData) -> dict:
    """Everything tougao.js checks with: the schema, the checker's messages, the private-data kinds."""
    schema = story_schema(COLLECTION, data.keys)
    fields = {}
    for name in FORM_FIELDS:
        f = COLLECTION.field(name)
        messages = {}
        if name in schema["required"]:
            messages["required"] = _message_for(data, {k: v for k, v in _SAMPLE.items() if k != name}, name)
        if f.max_length:
            too_long = "字" * (f.max_length + 1)
            messages["maxLength"] = _message_for(data, {**_SAMPLE, name: too_long}, name).replace(
                str(f.max_length + 1), "{n}", 1
            )
        if f.ref:
            messages["enum"] = _message_for(data, {**_SAMPLE, name: _NOT_A_KEY}, name).replace(_NOT_A_KEY, "{value}")
        fields[name] = {"label": f.label, "messages": messages}
    private = {}
    for code, sample in PRIVATE_SAMPLES.items():
        problem = _check(data, {**_SAMPLE}, body=f"样例{sample}。")[0]
        kind = re.match(r"疑似(.+?)“", problem.message).group(1)
        private[code] = {"name": kind, "message": re.sub(r"“[^”]*”", "“{masked}”", problem.message, count=1)}
    consent = next(
        p for p in _check(data, {k: v for k, v in _SAMPLE.items() if k != "consent"}) if p.field == "consent"
    )
    return {
        "schema": schema,
        "fields": fields,
        "order": [*FORM_FIELDS, "consent"],
        "consent": consent.message,
        "private": private,
        "private_rules": private_rules(),
        "say": TOUGAO_UI["script"],
    }


def rules_files(data: SiteData) -> dict[str, bytes]:
    """{RULES_JS: the script that hands browser_rules to tougao.js}."""
    text = json.dumps(browser_rules(data), ensure_ascii=False, sort_keys=True)
    script = f"// Generated at build time by hooks/qinglian/site/submission.py. Do not edit.\nwindow.qinglianTougaoRules = {text};\n"
    return {RULES_JS: script.encode("utf-8")}


def _message_for(data: SiteData, meta: dict, name: str) -> str:
    return next(p.message for p in _check(data, meta) if p.field == name)


def _check(data: SiteData, meta: dict, body: str = "样例正文。") -> list[Problem]:
    """The checker's problems for one letter with this front matter (written as JSON, which is YAML) and body."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return check_story_text(f"---\n{lines}---\n\n{body}\n", COLLECTION, data)

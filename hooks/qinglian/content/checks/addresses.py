"""The addresses of a story a reader may follow: `sources[].url` and the links of its body.

What an address may be is urls.py's (the one implementation, also behind the template filters); this module
finds a story's addresses and reports the refused ones, located. Media paths are media.py's.
"""

from __future__ import annotations

from qinglian.content.problems import Problem
from qinglian.content.urls import body_addresses, body_url_problem, url_problem
from qinglian.content.yamlfile import Parsed


def check_addresses(rel: str, parsed: Parsed, lines) -> list[Problem]:
    """`lines`: the story's text lines (text.story_lines); the body's are searched for links."""
    body = [(number, text) for number, name, text in lines if name is None]
    return source_url_problems(rel, parsed) + body_url_problems(rel, body)


def body_url_problems(rel: str, lines) -> list[Problem]:
    """Every address in the body (`lines`: (line number, text), code already blanked) that is not a link."""
    problems = []
    for number, text in lines:
        for address in body_addresses(text):
            why = body_url_problem(address)
            if why:
                fix = "写完整的网页地址（https:// 开头），或删掉这个链接。"
                problems.append(Problem(rel, number, None, why, fix))
    return problems


def source_url_problems(rel: str, parsed: Parsed) -> list[Problem]:
    """Every `sources[].url` of one story that may not reach an href, located."""
    meta = parsed.data if isinstance(parsed.data, dict) else {}
    problems = []
    sources = meta.get("sources")
    for index, source in enumerate(sources if isinstance(sources, list) else []):
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str) and (why := url_problem(url)):
            field = f"sources[{index}].url"
            fix = "从浏览器地址栏完整复制网址（以 https:// 开头，不带引号和空格）。"
            problems.append(Problem(rel, parsed.line_of(("sources", index, "url")), field, why, fix))
    return problems

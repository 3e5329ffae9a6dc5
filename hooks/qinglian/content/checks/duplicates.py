"""Stories that are the same story twice, in any collections: one file name, one title, or one text."""

from __future__ import annotations

import hashlib
import re

from qinglian.content.problems import Problem


def check_duplicates(stories) -> list[Problem]:
    """The same file name (drafts too: publishing one later must not break the build), title or text (published
    stories only) in two stories, in any collections."""
    problems = []
    slugs: dict[str, object] = {}
    titles: dict[str, object] = {}
    bodies: dict[str, object] = {}
    for story in stories:
        first = slugs.setdefault(story.slug, story)
        if first is not story:  # one slug in two collections makes search results and links ambiguous
            problems.append(Problem(story.rel, 0, None, f"文件名与 {first.rel} 重复。", "给其中一篇换一个文件名。"))
        if story.meta.get("draft"):
            continue  # a draft may be the next version of a published story; it is compared once published
        title = re.sub(r"\s+", "", story.title)
        first = titles.setdefault(title, story)
        if first is not story:
            problems.append(
                Problem(
                    story.rel,
                    _title_line(story),
                    "title",
                    f"标题与 {first.rel} 相同。",
                    "同一篇故事只保留一个文件；不同的故事请换一个能区分的标题。",
                )
            )
        text = re.sub(r"\s+", "", story.body)
        if len(text) < 20:
            continue  # an empty or one-line body is not a copy of anything
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        first = bodies.setdefault(digest, story)
        if first is not story:
            problems.append(
                Problem(
                    story.rel,
                    story.body_line,
                    None,
                    f"正文与 {first.rel} 完全相同（同一篇故事放了两次）。",
                    "删掉其中一个文件；需要两个网址时，只保留一篇并在另一处链接过去。",
                )
            )
    return problems


def _title_line(story) -> int:
    try:
        for number, line in enumerate(story.path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("title:"):
                return number
    except OSError:
        pass
    return 1

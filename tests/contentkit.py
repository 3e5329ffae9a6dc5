"""Small synthetic projects for the loader, validation and catalog tests.

A project is the repository's real data/ files plus stories written by the test, in a temp folder.
Story text is written line by line so tests know the line of every field. All titles are obviously
synthetic (测试故事…); nothing here is site content.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO
from qinglian.content.load import load_content

# The smallest valid front matter of each collection, in the order the lines are written
# (line 1 is `---`, so the first field is on line 2).
MINIMAL: dict[str, dict[str, object]] = {
    "officials": {
        "title": "测试故事：清官",
        "summary": "测试摘要。",
        "name": "测试人物",
        "era": "qing",
        "sources": [{"title": "测试资料"}],
    },
    "letters": {"title": "测试故事：家书", "summary": "测试摘要。", "author": "测试写信人", "consent": True},
    "units": {"title": "测试故事：单元", "summary": "测试摘要。", "unit": "测试单位", "unit_type": "village"},
}


def make_project(root: Path) -> Path:
    """A project folder with the real data/ and an empty docs/ and stories/<collection>/."""
    root = Path(root)
    shutil.copytree(REPO / "data", root / "data")
    (root / "docs").mkdir()
    for key in MINIMAL:
        (root / "stories" / key).mkdir(parents=True)
    return root


def yaml_value(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            lines = []
            for item in value:
                first = True
                for k, v in item.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {yaml_value(v)}")
                    first = False
            return "\n" + "\n".join(lines)
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return str(value)


def front_matter(fields: dict[str, object]) -> str:
    return "---\n" + "".join(f"{k}: {yaml_value(v)}\n" for k, v in fields.items()) + "---\n"


def story_fields(collection: str, drop: tuple[str, ...] = (), **changes) -> dict[str, object]:
    """MINIMAL[collection] with `changes` (a value of None removes the field) and `drop` removed."""
    fields = dict(MINIMAL[collection])
    for key, value in changes.items():
        fields[key] = value
    return {k: v for k, v in fields.items() if v is not None and k not in drop}


def write_story(
    root: Path, collection: str, slug: str, fields: dict | None = None, body: str = "测试正文。\n", **changes
) -> str:
    """Write stories/<collection>/<slug>.md; return its repository-relative path.

    Without an explicit title the story gets its own, 测试故事（<slug>）: two stories with one title are
    an editor's mistake the checks may report."""
    if fields is None and "title" not in changes:
        changes["title"] = f"测试故事（{slug}）"
    fields = story_fields(collection, **changes) if fields is None else fields
    rel = f"stories/{collection}/{slug}.md"
    path = Path(root) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front_matter(fields) + "\n" + body, encoding="utf-8")
    return rel


def write_raw(root: Path, rel: str, text: str | bytes) -> str:
    path = Path(root) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return rel


def check(root: Path, include_drafts: bool = True):
    """load_content → (content, problems as the printed lines)."""
    content, problems = load_content(Path(root), include_drafts=include_drafts)
    return content, [str(p) for p in problems]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of `text` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")

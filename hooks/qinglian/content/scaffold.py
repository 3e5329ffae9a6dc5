"""New-story files and the templates in stories/_templates/, both generated from the contract.

Every field of the collection is written with a comment saying what it means (from contract.py):
required fields as `name: ` for the editor to fill in, optional ones commented out with an example,
so a template never drifts from the checks. `python hooks/new.py` writes one story;
`python hooks/new.py --templates` rewrites stories/_templates/ (a test asserts they are up to date).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from qinglian.chinese import slugify
from qinglian.content.contract import COLLECTIONS, SOURCE_FIELDS, Collection, Field

TEMPLATES_DIR = "stories/_templates"
SLUG_MAX = 48


def _comment(f: Field, collection: Collection) -> list[str]:
    required = f.required or (f.name == "sources" and collection.sources_required)
    flags = "必填" if required else "可选"
    lines = [f"# {f.label}（{flags}）：{f.help}", f"#   格式：{f.expected}。"]
    if f.name == "sources" and collection.consent_or_sources:
        lines.append("#   今人来信写 consent: true；历史家书写 sources。两者至少有一个。")
    if f.name == "sources":
        subs = "；".join(f"{s.name} {s.label}" + ("（必填）" if s.required else "") for s in SOURCE_FIELDS)
        lines.append(f"#   每条可写：{subs}。")
    return lines


def _value_lines(f: Field, collection: Collection, title: str, values: dict | None = None) -> list[str]:
    required = f.required or (f.name == "sources" and collection.sources_required)
    if f.name == "title":
        return [f"title: {_yaml_text(title)}" if title else "title: "]
    if values and f.name in values:  # known already (an imported letter's writer, township, consent)
        return [f"{f.name}: {_yaml_value(values[f.name])}"]
    example = f.example.strip("\n")
    if f.kind == "sources":
        body = [f"{f.name}:", *[line for line in example.split("\n") if line.strip()]]
        if required:  # an example left in place must not pass the check as a real source
            return [f"#   例如：{' '.join(line.strip() for line in body[1:])}", f"{f.name}:", "  - title: "]
        return [f"# {line}" for line in body]
    if required:
        return [f"{f.name}: "]
    return [f"# {f.name}: {example}"]


def _yaml_text(text: str) -> str:
    """A title as a YAML value: quoted only when YAML would read it as something else (yes, 123, [x], a: b)."""
    try:
        plain = yaml.safe_load(f"t: {text}")
    except yaml.YAMLError:
        plain = None
    if isinstance(plain, dict) and plain.get("t") == text and "#" not in text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_value(value) -> str:
    if isinstance(value, str):
        return _yaml_text(value)
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip().removesuffix("...").strip()


def render(collection: Collection, title: str = "", values: dict | None = None, body: str | None = None) -> str:
    """The text of a new story file of `collection`; every field explained by a comment.

    `values` fills fields already known (hooks/import.py); `body` replaces the note on where the text goes."""
    lines = [
        "---",
        f"# {collection.name}：{collection.description}",
        "# 每个字段上面的注释说明怎么填。“可选”的字段用不到就保持注释（行首的 #）；要用时删掉 # 和后面的空格。",
        "",
    ]
    common = [f for f in collection.all_fields if f not in collection.fields]
    for f in common[:2] + list(collection.fields) + common[2:]:  # title and summary, then the collection's own
        lines += _comment(f, collection)
        lines += _value_lines(f, collection, title, values)
        lines.append("")
    if body is not None:
        lines[-1:] = ["---", "", body.rstrip("\n"), ""]
        return "\n".join(lines)
    lines[-1:] = [
        "---",
        "",
        "<!-- 正文从这里开始，写在两行 --- 下面。不要再写一级标题（# 标题）：页面标题来自上面的 title。",
        "     小标题用 ## ；引用原文用 > ；图片写 ![图片内容说明](/assets/images/文件名.jpg) 。"
        "写完运行 python hooks/check.py 检查。这段说明可以删掉。 -->",
        "",
    ]
    return "\n".join(lines)


def templates() -> dict[str, str]:
    """stories/_templates/<collection>.md -> its text."""
    return {f"{TEMPLATES_DIR}/{key}.md": render(collection) for key, collection in COLLECTIONS.items()}


def write_templates(root: Path) -> list[str]:
    written = []
    for rel, text in templates().items():
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(rel)
    return written


def new_slug(root: Path, title: str) -> str:
    """A file name from the title's pinyin, unique across every collection (URLs and search stay unambiguous)."""
    base = slugify(title)[:SLUG_MAX].strip("-")
    if "-" in base and len(slugify(title)) > SLUG_MAX:
        base = base.rsplit("-", 1)[0]  # do not cut a syllable in half
    base = base or "story"
    taken = {p.stem for p in (Path(root) / "stories").glob("*/*.md")}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def new_story(root: Path, collection_key: str, title: str, slug: str | None = None) -> Path:
    collection = COLLECTIONS[collection_key]
    slug = slug or new_slug(root, title)
    path = Path(root) / "stories" / collection.key / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite an existing story
        out.write(render(collection, title))
    return path


__all__ = ["render", "templates", "write_templates", "new_slug", "new_story", "TEMPLATES_DIR"]

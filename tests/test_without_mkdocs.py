"""The content model, validation and page plan work without MkDocs.

MkDocs 1.x ends with 1.6.1 and Material reaches end of life in 2027; a move to another generator (ProperDocs,
Zensical, docs/dev/zensical.md) keeps everything in hooks/qinglian/ only if that package never needs MkDocs.
The check runs in a fresh interpreter in which `import mkdocs` (and ProperDocs' alias of it) fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

from conftest import REPO

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys
    from pathlib import Path

    class NoMkDocs(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("mkdocs", "properdocs", "material"):
                raise ImportError(f"blocked for this test: {name}")
            return None

    sys.meta_path.insert(0, NoMkDocs())
    sys.path.insert(0, "hooks")
    import importlib, pkgutil
    import qinglian.content, qinglian.site
    for package in (qinglian.content, qinglian.site):  # every module of the content and page-plan stages
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    from qinglian.site.pages import plan_site

    plan = plan_site(Path("."))
    print(json.dumps({
        "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "properdocs", "material")),
        "stories": [s.src_uri for s in plan.content.stories],
        "pages": {uri: page.template for uri, page in plan.pages.items()},
        "related": {s.src_uri: [r.src_uri for r in s.related] for s in plan.content.stories},
    }))
    """
)


def test_plan_the_real_site_without_mkdocs():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"qinglian needs MkDocs somewhere:\n{proc.stderr}"
    result = json.loads(proc.stdout)
    assert result["loaded"] == []

    stories = sorted(  # every published story of the repository, none lost
        p.relative_to(REPO / "stories").as_posix()
        for folder in ("officials", "letters", "units")
        for p in (REPO / "stories" / folder).glob("*.md")
        if not re.search(r"^draft:\s*true\s*$", p.read_text(encoding="utf-8"), re.M)
    )
    assert stories
    assert sorted(result["stories"]) == stories
    pages = result["pages"]
    for uri in stories:
        assert pages[uri] == "story.html"
    for index in ("officials/index.md", "letters/index.md", "units/index.md"):
        assert pages[index] == "collection.html"
    for taxonomy in ("unit-types", "eras", "tags"):
        assert pages[f"{taxonomy}/index.md"] == "taxonomy.html"
    assert pages["townships/index.md"] == "townships.html"  # the township view: what each township has
    assert sum(1 for t in pages.values() if t == "term.html") >= 10 + 1  # ten unit types and the townships
    assert any(result["related"].values()), "no story has related stories"

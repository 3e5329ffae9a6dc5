"""The site builds unchanged with ProperDocs, the maintained drop-in fork of MkDocs 1.x.

MkDocs 1.6.1 is the last 1.x release and 2.0 drops plugins and hooks; ProperDocs continues 1.x. It is
installed in its own venv (.venv-properdocs, created once and reused: requirements.txt + properdocs from
requirements-properdocs.txt) so it never replaces mkdocs in the main venv. ProperDocs redirects every
`mkdocs.*` import (Material's and our hooks') to `properdocs.*`, reads mkdocs.yml when given with -f,
and the result must be the same site, byte for byte, apart from the generator <meta> tag.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, build_output

VENV = REPO / ".venv-properdocs"
REQUIREMENTS = REPO / "requirements-properdocs.txt"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')

pytestmark = pytest.mark.slow


def _stamp() -> str:
    text = b"".join((REPO / name).read_bytes() for name in ("requirements.txt", "requirements-properdocs.txt"))
    return hashlib.sha256(text).hexdigest()


@pytest.fixture(scope="session")
def properdocs_venv() -> Path:
    """.venv-properdocs with requirements-properdocs.txt installed; rebuilt when the requirements change."""
    stamp = VENV / ".installed"
    python = VENV / "bin" / "python"
    if stamp.is_file() and stamp.read_text() == _stamp() and python.exists():
        return VENV
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(VENV)],
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(REQUIREMENTS)],
    ]
    for cmd in steps:
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            pytest.fail(f"creating {VENV.name} failed: {' '.join(cmd)}\n{build_output(proc)}", pytrace=False)
    stamp.write_text(_stamp())
    return VENV


def _normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)  # the gzip header carries a timestamp
    if path.suffix == ".html":
        data = GENERATOR.sub(b"", data)
    return data


UNORDERED = re.compile(r"^pagefind/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$")


def _files(site: Path) -> set[str]:
    return {rel for p in site.rglob("*") if p.is_file() if not UNORDERED.match(rel := p.relative_to(site).as_posix())}


def _unordered(site: Path) -> int:
    return sum(1 for p in site.rglob("*") if p.is_file() and UNORDERED.match(p.relative_to(site).as_posix()))


def test_properdocs_builds_the_same_site(properdocs_venv, real_site, tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run(
        [
            str(properdocs_venv / "bin" / "properdocs"),
            "build",
            "--strict",
            "-f",
            str(REPO / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    assert proc.returncode == 0, f"properdocs build --strict failed\n{build_output(proc)}"
    assert "ProperDocs" in (site / "index.html").read_text(encoding="utf-8"), "the site was not built by ProperDocs"

    ours = _files(site)
    theirs = _files(real_site)
    # Pagefind writes its filter and meta files in an order that differs from run to run (two MkDocs builds
    # differ there too), so those are compared by count; every page fragment and index chunk must be identical.
    assert _unordered(site) == _unordered(real_site)
    assert ours == theirs, (
        f"only with ProperDocs: {sorted(ours - theirs)[:10]}; only with MkDocs: {sorted(theirs - ours)[:10]}"
    )
    different = [rel for rel in sorted(ours) if _normalised(site / rel) != _normalised(real_site / rel)]
    assert not different, f"pages that differ between ProperDocs and MkDocs: {different[:10]}"

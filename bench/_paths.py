"""Bench scripts run from a checkout (`python bench/x.py`): the generator (hooks/) and the helpers they share with
the tests (tools/: the synthetic project, the browser) go on sys.path here, once. bench/ never imports tests/."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(REPO / "hooks"), str(REPO / "tools")) if p not in sys.path]

"""The Content-Security-Policy of the built site (command line). The policy itself lives in
hooks/qinglian/outputs/csp.py with its hashes in csp-hashes.json: the nginx header (security-headers.conf)
and every page's <meta http-equiv="Content-Security-Policy"> are both rendered from there.

    python deploy/csp.py site/            # print the policy the built site needs
    python deploy/csp.py site/ --write    # store its hashes and rewrite deploy/security-headers.conf
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from qinglian.outputs.csp import (  # noqa: E402
    HEADER_ONLY,
    HEADERS,
    _Inline,
    committed_policy,
    depth_variants,
    hashes_for,
    inline_code,
    main,
    meta_policy,
    policy,
    policy_for,
    sha256,
)

__all__ = [
    "HEADER_ONLY",
    "HEADERS",
    "_Inline",
    "committed_policy",
    "depth_variants",
    "hashes_for",
    "inline_code",
    "main",
    "meta_policy",
    "policy",
    "policy_for",
    "sha256",
]

if __name__ == "__main__":
    sys.exit(main())

"""A process that stays after `pykyll build --incremental`, so the next one starts warm.

`client` hands a build to it, `server` is the process, `snapshot` the site it reads ahead,
`protocol` what the two say to each other. This module only answers, without importing
anything, whether a command may involve one at all: every `pykyll` command asks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def disabled(env: Mapping[str, str]) -> bool:
    """`PYKYLL_RESIDENT=0` turns resident builds off; so does a CI service (`CI` set)."""
    setting = env.get("PYKYLL_RESIDENT", "").strip().lower()
    return setting in ("0", "off", "no", "false") or bool(env.get("CI"))


def serves(argv: list[str]) -> bool:
    """Whether a resident may run this command: `build --incremental`, nothing that
    watches or measures."""
    if not argv or argv[0] not in ("build", "b"):
        return False
    if "--incremental" not in argv and "-I" not in argv:
        return False
    return not any(a in ("--watch", "-w", "--profile", "--help", "-h") for a in argv)


def involved(argv: list[str]) -> bool:
    """Whether this command may be run by, or leave behind, a resident process."""
    return os.name == "posix" and serves(argv) and not disabled(os.environ)

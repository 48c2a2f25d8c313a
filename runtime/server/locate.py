"""Where a running server for an SLM_HOME announces itself, and whether that process is alive.

One answer for the quick client (slm.cli.quick_ask) and the full one (slm.server.state); standard
library only, since the quick `slm ask` path imports it before anything else.
"""
from __future__ import annotations

import os

STATE_NAME = "server.json"  # under SLM_HOME


def alive(pid: object) -> bool:
    """True for a running process of this user; False for none, another user's, or a pid that is no pid."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError, OverflowError, ValueError, OSError):
        return False  # PermissionError: another user's process, alive but not ours to use
    return True

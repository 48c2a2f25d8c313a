"""Processes a plugin worker leaves behind: finding and ending them.

A worker makes itself a child subreaper (Linux): anything a plugin forks, even a
daemon that detaches with setsid(), stays a descendant of the worker instead of
escaping to init, so it can be found and killed. Cheap check first (one waitpid
call), the /proc walk (psutil) only when something is really left.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to this process (False where the OS has no such thing)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def kill_descendants(pid: int) -> int:
    """SIGKILL every living descendant of ``pid``; returns how many there were."""
    import psutil

    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return 0
    for proc in procs:
        try:
            proc.send_signal(signal.SIGKILL)
        except psutil.Error:
            pass
    return len(procs)


def reap_children() -> int:
    """In a subreaper: collect finished children, kill (and collect) any still running.

    Returns the number that were still running: processes the caller's code left behind.
    """
    if not _running_children():
        return 0
    left = kill_descendants(os.getpid())
    for _ in range(left + 100):  # killed ones die at once; their children came to us and died too
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    return max(left, 1)


def _running_children() -> bool:
    """Reap the finished children; True when some are still running."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False  # no children at all
        if pid == 0:
            return True

"""Small, cheap readers for sysfs attribute files.

Every energy source reads through a ``reader(path) -> str`` callable so tests
can inject failures the kernel produces (EACCES on a root-only file) even when
the test runs as root, where ``chmod 000`` would not stop the read.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable

Reader = Callable[[str], str]


def read_sysfs(path: str) -> str:
    """Read a small sysfs attribute: one open/read/close, no Python file object.

    Sysfs attributes are regular files; anything else (a FIFO, a device) put in a
    configured root is refused without waiting on it (O_NONBLOCK).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL, "not a regular file", path)
        return os.read(fd, 128).decode("ascii", "replace")
    finally:
        os.close(fd)


def read_int(reader: Reader, path: str) -> int:
    """Read an integer attribute; ValueError when the content is not an integer."""
    return int(reader(path).strip())


def read_opt(reader: Reader, path: str) -> str | None:
    """Read a text attribute, None if it is missing or unreadable."""
    try:
        return reader(path).strip()
    except (OSError, UnicodeError):
        return None


def read_opt_int(reader: Reader, path: str) -> int | None:
    text = read_opt(reader, path)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None

"""Write a file so that readers see the old content or the new, never half of it.

The content goes to a temporary file in the same folder, which then replaces the target
(``os.replace``) or, for a file that must be made only once, is linked to it (``os.link``:
the first writer wins). Each write gets its own temporary name (process, thread and a
counter), so two threads or processes writing the same file at once cannot write into
one temporary file — a name made from the pid alone could be.
"""
from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

_counter = itertools.count()


def _temporary(path: Path, mode: int) -> tuple[Path, int]:
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{next(_counter)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue  # left by a crashed process that had this pid: take the next name


def write_atomic(path: str | os.PathLike, data: bytes | str, *, mode: int = 0o644, replace: bool = True) -> bool:
    """Write ``data`` (str as UTF-8) to ``path`` atomically; the folder must exist.

    ``mode`` is the new file's permission (less the umask). With ``replace=False`` an existing
    file is kept: returns False when another writer made it first. OSError propagates, and the
    temporary file is removed whatever happens.
    """
    path = Path(path)
    blob = data.encode("utf-8") if isinstance(data, str) else data
    tmp, fd = _temporary(path, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        if not replace or os.path.lexists(tmp):
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass

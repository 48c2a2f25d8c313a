"""`slm queue repair`: move a damaged offline queue aside and keep every request that can be read.

A queue file can be damaged by a disk fault, a crash of the file system, or a stray write.
Repair never deletes it: the file (with its -wal/-shm companions) is renamed to
``queue.db.damaged-<time>``, a fresh queue takes its place, and the requests that can still
be read from the damaged copy are copied over one by one, with their ids, so ``slm queue
show ID`` keeps working for them. A healthy queue is left alone.
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from slm.offload.queue import OfflineQueue

_COMPANIONS = ("-wal", "-shm")
_COLUMNS = ("seq", "idem_key", "created", "updated", "plugin", "permission", "reason", "preview", "body",
            "redaction", "status", "attempts", "result", "model", "usage", "error", "sent_at")


def healthy(path: Path) -> bool:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and \
                db.execute("SELECT COUNT(*) FROM requests").fetchone() is not None
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False


def repair(path: Path) -> dict:
    """Repair the queue at ``path``; what was done, as a dict for the CLI and --json."""
    path = Path(path)
    if not path.exists():
        return {"status": "absent", "path": str(path)}
    if healthy(path):
        return {"status": "healthy", "path": str(path)}
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(path, aside)
    for suffix in _COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    kept, unreadable = _copy_readable(aside, path)
    return {"status": "repaired", "path": str(path), "moved_to": str(aside), "kept": kept, "unreadable": unreadable}


def _copy_readable(damaged: Path, fresh: Path) -> tuple[int, int]:
    with OfflineQueue(fresh):  # creates the new, empty queue with its schema
        pass
    try:
        src = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return 0, 0
    dst = sqlite3.connect(str(fresh))
    kept = unreadable = 0
    try:
        for seq in _seqs(src):
            try:
                row = src.execute(f"SELECT {', '.join(_COLUMNS)} FROM requests WHERE seq = ?", (seq,)).fetchone()
            except sqlite3.DatabaseError:
                unreadable += 1
                continue
            if row is None:
                continue
            try:
                with dst:
                    dst.execute(f"INSERT INTO requests ({', '.join(_COLUMNS)}) VALUES "
                                f"({', '.join('?' * len(_COLUMNS))})", row)
                kept += 1
            except sqlite3.DatabaseError:  # a row whose values the schema refuses: damaged too
                unreadable += 1
    finally:
        src.close()
        dst.close()
    return kept, unreadable


def _seqs(src: sqlite3.Connection) -> list[int]:
    """The ids to try: from the table itself when it can be scanned, else 1..the last id handed out."""
    try:
        return [r[0] for r in src.execute("SELECT seq FROM requests ORDER BY seq")]
    except sqlite3.DatabaseError:
        pass
    for query in ("SELECT seq FROM sqlite_sequence WHERE name = 'requests'", "SELECT MAX(seq) FROM requests"):
        try:
            row = src.execute(query).fetchone()
            if row and row[0]:
                return list(range(1, int(row[0]) + 1))
        except sqlite3.DatabaseError:
            continue
    return []

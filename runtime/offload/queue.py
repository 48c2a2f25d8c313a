"""The offline queue: requests that need the cloud while the cloud is unreachable.

SQLite at ``settings.data_dir/queue.db`` in WAL mode with ``synchronous=FULL``,
so every committed change is fsync'd before the call returns: a request the
user was told is queued survives a power cut or a kill -9.

Exactly-once delivery across a kill -9 at any point works like this:

1. each request gets an idempotency key (uuid4) when it is first created — the
   same key as the live attempt that failed, if there was one;
2. ``sync`` marks a row ``sending`` in its own committed transaction *before*
   the HTTP request, sends ``Idempotency-Key: <key>``, and marks it ``sent``
   (with the answer) in another transaction after the answer arrives;
3. a row found in ``sending`` on the next sync was possibly delivered: it is
   re-sent with the same key, never with a new one.

So the client side never loses a request and never creates a second one. The
request is *processed* once only if the server honours Idempotency-Key (answers
a repeated key from its cache, as OpenAI-style gateways and our test proxy do);
a server that ignores the header may run a request that was in flight at the
moment of the crash twice. Nothing on the client can close that gap.

Only one sync runs at a time (a file lock next to the database, released by
the OS if the process dies), so a ``sending`` row is never one another live
process is still working on. The public status is pending|sent|failed
(``sending`` shows as pending: it has not been confirmed).
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from slm.errors import CloudAuthError, CloudError, CloudUnreachableError, QueueError

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,   -- the id users see; never reused
    idem_key   TEXT NOT NULL UNIQUE,
    created    REAL NOT NULL,
    updated    REAL NOT NULL,
    plugin     TEXT,
    permission TEXT NOT NULL DEFAULT 'allowed',
    reason     TEXT,
    preview    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,                        -- JSON: messages as sent (redacted), max_tokens, temperature
    redaction  TEXT,                                 -- JSON placeholder -> original; stays on the device
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    result     TEXT,                                 -- answer, restored
    model      TEXT,
    usage      TEXT,
    error      TEXT,
    sent_at    REAL
);
CREATE INDEX IF NOT EXISTS requests_status ON requests(status, seq);
"""
PREVIEW_CHARS = 60


@dataclass
class QueuedRequest:
    id: str
    idem_key: str
    status: str          # pending | sent | failed (sending is reported as pending)
    created: float
    plugin: str | None
    preview: str
    reason: str | None = None
    messages: list[dict] = field(default_factory=list)
    max_tokens: int | None = None
    temperature: float | None = None
    stream: bool = False
    redaction: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    result: str | None = None
    model: str | None = None
    usage: dict | None = None
    error: str | None = None
    sent_at: float | None = None
    raw_status: str = "pending"

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "created": _iso(self.created), "plugin": self.plugin,
                "preview": self.preview}

    def detail(self) -> dict[str, Any]:
        from slm.offload.redact import Redactor

        return {**self.summary(), "reason": self.reason, "attempts": self.attempts,
                "prompt": Redactor(self.redaction).restore(_last_user_text(self.messages)), "answer": self.result,
                "model": self.model, "usage": self.usage, "error": self.error,
                "sent_at": _iso(self.sent_at) if self.sent_at else None}


@dataclass
class SyncReport:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    error: str | None = None     # why sync stopped early (cloud unreachable, auth)

    def to_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "failed": self.failed, "pending": self.pending, "error": self.error}


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _last_user_text(messages: list[dict]) -> str:
    return str(next((m.get("content") for m in reversed(messages) if m.get("role") == "user"), "") or "")


def _preview(messages: list[dict], redaction: dict[str, str] | None) -> str:
    from slm.offload.redact import Redactor

    text = " ".join(Redactor(redaction).restore(_last_user_text(messages)).split())
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS - 1] + "…"


def damaged_queue(path: Path, exc: Exception) -> QueueError:
    return QueueError(f"the offline queue {path} is damaged ({exc})",
                      hint="move it aside with `slm queue repair` (it keeps every request that can still be read)")


class OfflineQueue:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise damaged_queue(self.path, exc) from None
        except OSError as exc:
            raise QueueError(f"cannot create the offline queue at {self.path}: {exc.strerror}") from None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """A damaged database (not a lock, not a constraint) is one line with the fix, wherever it shows."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError:  # locked / I/O (OperationalError), integrity: not damage
                raise
            raise damaged_queue(self.path, exc) from None

    @classmethod
    def from_settings(cls, settings) -> "OfflineQueue":
        return cls(settings.data_dir / "queue.db")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "OfflineQueue":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front; COMMIT is fsync'd (synchronous=FULL).
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- adding and reading --------------------------------------------------------
    def add(self, messages: list[dict], *, plugin: str | None = None, permission: str = "allowed",
            reason: str | None = None, max_tokens: int | None = None, temperature: float | None = None,
            redaction: dict[str, str] | None = None, idem_key: str | None = None, stream: bool = False) -> str:
        """Store a request (messages exactly as they will be sent); returns its id once it is on disk.

        ``stream`` and ``idem_key`` repeat a failed live attempt exactly: a server that honours
        Idempotency-Key may reject (or answer from its cache in the other format) a repeated
        key whose request differs.
        """
        with self._guard():
            body = json.dumps({"messages": messages, "max_tokens": max_tokens, "temperature": temperature,
                               "stream": bool(stream)})
            import uuid  # here: every slm ask imports this module, few queue anything (_uuid: ~10 ms)

            now = time.time()
            with self._tx() as db:
                cur = db.execute(
                    "INSERT INTO requests (idem_key, created, updated, plugin, permission, reason, preview, body,"
                    " redaction, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                    (idem_key or str(uuid.uuid4()), now, now, plugin, permission, reason,
                     _preview(messages, redaction), body, json.dumps(redaction) if redaction else None))
            return str(cur.lastrowid)

    def list(self, status: str | None = None) -> list[QueuedRequest]:
        with self._guard():
            rows = self._db.execute("SELECT * FROM requests ORDER BY seq").fetchall()
            items = [self._item(r) for r in rows]
            return [i for i in items if status is None or i.status == status]

    def get(self, qid: str) -> QueuedRequest:
        with self._guard():
            row = self._db.execute("SELECT * FROM requests WHERE seq = ?", (self._seq(qid),)).fetchone()
            if row is None:
                raise QueueError(f"no queued request with id {qid!r} (see: slm queue list)")
            return self._item(row)

    def drop(self, qid: str) -> None:
        with self._guard():
            with self._tx() as db:
                cur = db.execute("DELETE FROM requests WHERE seq = ?", (self._seq(qid),))
            if cur.rowcount == 0:
                raise QueueError(f"no queued request with id {qid!r} (see: slm queue list)")

    def counts(self) -> dict[str, int]:
        with self._guard():
            out = {"pending": 0, "sent": 0, "failed": 0}
            for row in self._db.execute("SELECT status, COUNT(*) AS n FROM requests GROUP BY status"):
                key = "pending" if row["status"] == "sending" else row["status"]
                out[key] += row["n"]
            return out

        # --- sending ---------------------------------------------------------------------
    def sync(self, client, *, on_item: Callable[[QueuedRequest], None] | None = None,
             limit: int | None = None) -> SyncReport:
        """Send pending (and interrupted 'sending') requests in order; store each answer.

        Stops at the first unreachable/unavailable or auth error (order is kept; the
        rest stays pending). A request the cloud rejects for good (other 4xx) is
        marked failed and sync goes on.
        """
        with self._guard():
            from filelock import FileLock, Timeout

            lock = FileLock(str(self.path) + ".sync.lock")
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise QueueError("another `slm queue sync` is running; try again when it finishes") from None
            try:
                return self._sync_locked(client, on_item, limit)
            finally:
                lock.release()

    def _sync_locked(self, client, on_item, limit) -> SyncReport:
        from slm.offload.redact import Redactor

        report = SyncReport()
        rows = self._db.execute("SELECT seq FROM requests WHERE status IN ('pending', 'sending') ORDER BY seq").fetchall()
        todo = [str(r["seq"]) for r in rows]
        for n, qid in enumerate(todo):
            if report.error or (limit is not None and n >= limit):
                report.pending.append(qid)
                continue
            with self._tx() as db:  # committed (fsync'd) before anything leaves the device
                cur = db.execute("UPDATE requests SET status = 'sending', attempts = attempts + 1, updated = ?"
                                 " WHERE seq = ? AND status IN ('pending', 'sending')", (time.time(), int(qid)))
            if cur.rowcount == 0:  # dropped meanwhile
                continue
            item = self.get(qid)
            try:
                answer = _send(client, item)
            except (CloudUnreachableError, CloudAuthError) as exc:  # unreachable includes 429/5xx after retries
                # back to pending with the same key: it may have arrived, the key makes a re-send safe
                self._set_status(qid, "pending", error=exc.one_line())
                report.error = exc.one_line()
                report.pending.append(qid)
                continue
            except CloudError as exc:  # rejected for good (400, 404, bad answer)
                self._set_status(qid, "failed", error=exc.one_line())
                report.failed.append(qid)
                if on_item:
                    on_item(self.get(qid))
                continue
            text = Redactor(item.redaction).restore(answer.text)
            usage = {"prompt_tokens": answer.usage.prompt_tokens, "completion_tokens": answer.usage.completion_tokens}
            now = time.time()
            with self._tx() as db:
                db.execute("UPDATE requests SET status = 'sent', result = ?, model = ?, usage = ?, error = NULL,"
                           " sent_at = ?, updated = ? WHERE seq = ?",
                           (text, answer.model, json.dumps(usage), now, now, int(qid)))
            report.sent.append(qid)
            if on_item:
                on_item(self.get(qid))
        return report

    def _set_status(self, qid: str, status: str, *, error: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE requests SET status = ?, error = ?, updated = ? WHERE seq = ?",
                       (status, error, time.time(), int(qid)))

    # --- helpers -------------------------------------------------------------------
    @staticmethod
    def _seq(qid: str) -> int:
        text = str(qid).strip().lstrip("#")
        if not text.isdigit() or len(text) > 18:
            raise QueueError(f"bad queue id {str(qid)!r}: expected a number from `slm queue list`")
        return int(text)

    @staticmethod
    def _item(row: sqlite3.Row) -> QueuedRequest:
        body = json.loads(row["body"])
        raw = row["status"]
        return QueuedRequest(
            id=str(row["seq"]), idem_key=row["idem_key"], status="pending" if raw == "sending" else raw,
            created=row["created"], plugin=row["plugin"], preview=row["preview"], reason=row["reason"],
            messages=body.get("messages") or [], max_tokens=body.get("max_tokens"),
            temperature=body.get("temperature"), stream=bool(body.get("stream")),
            redaction=json.loads(row["redaction"]) if row["redaction"] else {},
            attempts=row["attempts"], result=row["result"], model=row["model"],
            usage=json.loads(row["usage"]) if row["usage"] else None, error=row["error"], sent_at=row["sent_at"],
            raw_status=raw)


def _send(client, item: QueuedRequest):
    """Send exactly the request the live attempt sent (same body, same key)."""
    kwargs = dict(max_tokens=item.max_tokens, temperature=item.temperature, idempotency_key=item.idem_key)
    if not item.stream:
        return client.chat(item.messages, **kwargs)
    from slm.offload.cloud import CloudAnswer

    stream = client.chat_stream(item.messages, **kwargs)
    text = "".join(stream)
    return CloudAnswer(text=text, usage=stream.usage, model=stream.model, finish_reason=stream.finish_reason)

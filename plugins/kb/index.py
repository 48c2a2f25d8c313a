"""The local document index: passages and their terms in SQLite, ranked with BM25 in Python.

One SQLite file per index (``<data_dir>/index.sqlite3``). Every change runs in one
transaction, so an interrupted ``kb add`` leaves the previous index intact.
Re-adding is incremental: a file whose mtime and size are unchanged is not read;
one whose bytes hash the same is only re-stamped; a changed file has its passages
replaced; files that vanished are dropped with ``prune``/``remove``.
No network, no model: this module is pure standard library.
"""
from __future__ import annotations

import hashlib
import math
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from slm.errors import KbError, UsageError

from .documents import (
    MAX_FILE_BYTES,
    Skipped,
    chunk,
    find_files,
    is_markdown,
    read_capped,
    read_text,
)
from .paths import INDEX_FILE, kb_dir
from .terms import passage_counts, query_terms

SCHEMA_VERSION = 1
# Bump when terms.counts changes what a text's terms are (e.g. 2: "PX-150", "px 150" and "px150"
# are one term). An index whose postings an older tokenizer made is rebuilt from its stored
# passages when opened, so it finds what today's query terms ask for without `slm kb add`.
TERMS_VERSION = "3"  # 3: a heading's acronym ("Dead on arrival": "doa") is one of its terms
K1, B = 1.2, 0.75  # the usual BM25 constants
MAX_K = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, encoding TEXT NOT NULL, indexed_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL,
    length INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS passages_by_file ON passages(file_id);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL, passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    tf INTEGER NOT NULL, PRIMARY KEY (term, passage_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS postings_by_passage ON postings(passage_id);
"""


@dataclass
class Hit:
    rank: int
    path: str
    start_line: int
    end_line: int
    heading: str
    text: str
    score: float

    @property
    def citation(self) -> str:
        return f"{self.path}:{self.start_line}"

    def to_dict(self) -> dict:
        return {**asdict(self), "citation": self.citation, "score": round(self.score, 4)}


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}: not indexed
    notes: list[dict] = field(default_factory=list)  # {"path", "note"}: indexed, but worth knowing
    passages: int = 0  # passages written by this run

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed, {len(self.skipped)} skipped; {self.passages} passages indexed")


@dataclass
class FileEntry:
    path: str
    size: int
    passages: int
    sha256: str
    encoding: str
    indexed_at: float
    present: bool

    def to_dict(self) -> dict:
        return asdict(self)


class KbIndex:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.path = self.root / INDEX_FILE

    @classmethod
    def for_settings(cls, settings) -> KbIndex:
        return cls(kb_dir(settings.data_dir))

    # --- connection ----------------------------------------------------------------
    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if not self.path.exists() and not create:
            return None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                with conn:
                    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise KbError(f"the kb index at {self.path} has schema {row[0]}, this slm reads {SCHEMA_VERSION}",
                              hint="remove the file and add the documents again")
            terms = conn.execute("SELECT value FROM meta WHERE key = 'terms'").fetchone()
            if terms is None or terms[0] != TERMS_VERSION:
                _retokenize(conn)
            return conn
        except sqlite3.DatabaseError as exc:
            raise KbError(f"the kb index at {self.path} cannot be opened: {exc}",
                          hint="remove the file and add the documents again") from None
        except OSError as exc:
            raise KbError(f"cannot create the kb index at {self.path}: {exc.strerror}") from None

    # --- adding and removing -----------------------------------------------------------
    def add(self, paths: list[Path | str], *, prune: bool = False) -> AddReport:
        """Index files and folders; with ``prune``, drop indexed files under them that vanished."""
        _refuse_blank(paths)
        targets = [Path(p).expanduser() for p in paths]
        if not targets:
            raise UsageError("kb add needs at least one file or folder")
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise KbError(f"no such file or folder: {', '.join(missing)}")
        files, skipped = find_files(targets)
        report = AddReport(skipped=[{"path": str(s.path), "reason": s.reason} for s in skipped])
        conn = self._connect(create=True)
        try:
            with conn:  # one transaction: all or nothing
                for path in files:
                    self._add_file(conn, path, report)
                if prune:
                    report.removed += _drop_under(conn, [p.resolve() for p in targets], only_missing=True)
        finally:
            conn.close()
        return report

    def _add_file(self, conn: sqlite3.Connection, path: Path, report: AddReport) -> None:
        key = str(path)
        try:
            stat = path.stat()
        except OSError as exc:
            report.skipped.append({"path": key, "reason": f"cannot read ({exc.strerror})"})
            return
        row = conn.execute("SELECT id, mtime_ns, size, sha256 FROM files WHERE path = ?", (key,)).fetchone()
        if row and row[1] == stat.st_mtime_ns and row[2] == stat.st_size:
            report.unchanged.append(key)
            return
        if stat.st_size > MAX_FILE_BYTES:
            report.skipped.append({"path": key, "reason": f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"})
            return
        try:
            data = read_capped(path, MAX_FILE_BYTES)
        except OSError as exc:
            report.skipped.append({"path": key, "reason": f"cannot read ({exc.strerror})"})
            return
        if data is None:
            report.skipped.append({"path": key, "reason": f"not a regular file of at most "
                                                          f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"})
            return
        sha = hashlib.sha256(data).hexdigest()
        if row and row[3] == sha:  # touched, not changed
            conn.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE id = ?", (stat.st_mtime_ns, stat.st_size, row[0]))
            report.unchanged.append(key)
            return
        text, encoding = read_text(data)
        if text is None:
            report.skipped.append({"path": key, "reason": encoding})
            if row:  # it was text once; it is not any more
                conn.execute("DELETE FROM files WHERE id = ?", (row[0],))
                report.removed.append(key)
            return
        if row:
            conn.execute("DELETE FROM files WHERE id = ?", (row[0],))
        file_id = conn.execute(
            "INSERT INTO files (path, mtime_ns, size, sha256, encoding, indexed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, stat.st_mtime_ns, stat.st_size, sha, encoding, time.time())).lastrowid
        for passage in chunk(text, markdown=is_markdown(path)):
            tf = passage_counts(passage.heading, passage.text)
            passage_id = conn.execute(
                "INSERT INTO passages (file_id, start_line, end_line, heading, text, length) VALUES (?, ?, ?, ?, ?, ?)",
                (file_id, passage.start_line, passage.end_line, passage.heading, passage.text,
                 sum(tf.values()))).lastrowid
            conn.executemany("INSERT INTO postings (term, passage_id, tf) VALUES (?, ?, ?)",
                             [(term, passage_id, n) for term, n in tf.items()])
            report.passages += 1
        (report.updated if row else report.added).append(key)
        if encoding not in ("utf-8", "utf-16"):
            report.notes.append({"path": key, "note": f"not UTF-8, read as {encoding}"})

    def remove(self, paths: list[Path | str]) -> list[str]:
        """Drop files (or everything under folders) from the index; the files themselves are untouched."""
        if not paths:
            raise UsageError("kb rm needs at least one file or folder")
        _refuse_blank(paths)
        conn = self._connect(create=False)
        if conn is None:
            return []
        try:
            with conn:
                return _drop_under(conn, [Path(p).expanduser().resolve() for p in paths], only_missing=False)
        finally:
            conn.close()

    # --- reading -----------------------------------------------------------------------
    def files(self) -> list[FileEntry]:
        conn = self._connect(create=False)
        if conn is None:
            return []
        try:
            rows = conn.execute(
                "SELECT f.path, f.size, COUNT(p.id), f.sha256, f.encoding, f.indexed_at FROM files f "
                "LEFT JOIN passages p ON p.file_id = f.id GROUP BY f.id ORDER BY f.path").fetchall()
        finally:
            conn.close()
        return [FileEntry(path, size, n, sha, enc, at, Path(path).is_file()) for path, size, n, sha, enc, at in rows]

    def is_empty(self) -> bool:
        conn = self._connect(create=False)
        if conn is None:
            return True
        try:
            return conn.execute("SELECT 1 FROM passages LIMIT 1").fetchone() is None
        finally:
            conn.close()

    def search(self, query: str, k: int = 5, *, weights: Mapping[str, float] | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query`` by BM25 (ties: earlier file, earlier line). ``weights``:
        query term -> share of its weight it counts at (the words around what a question asks,
        gate.aside_weights); a term not in it counts fully."""
        if not isinstance(query, str) or not query.strip():
            raise UsageError("the search query is empty", hint="slm kb search WORDS...")
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise UsageError(f"-k must be between 1 and {MAX_K}")
        wanted = query_terms(query)
        if not wanted:  # only punctuation: nothing to rank by
            return []
        conn = self._connect(create=False)
        if conn is None:
            return []
        try:
            total, length_sum = conn.execute("SELECT COUNT(*), COALESCE(SUM(length), 0) FROM passages").fetchone()
            if total == 0:
                return []
            avg_len = max(length_sum / total, 1.0)
            scores: dict[int, float] = {}
            for asked in wanted:
                term = asked
                rows = _postings(conn, term)
                if not rows:  # "mech" for "mechanical", "warrenty" for "warranty": the index's own word
                    term = _nearest_term(conn, asked)
                    rows = _postings(conn, term) if term else []
                if not rows:
                    continue
                idf = math.log(1 + (total - len(rows) + 0.5) / (len(rows) + 0.5))
                idf *= (weights or {}).get(asked, 1.0)
                for passage_id, tf, length in rows:
                    norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg_len))
                    scores[passage_id] = scores.get(passage_id, 0.0) + idf * norm
            if not scores:
                return []
            best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
            hits = []
            for rank, (passage_id, score) in enumerate(best, 1):
                path, start, end, heading, text = conn.execute(
                    "SELECT f.path, s.start_line, s.end_line, s.heading, s.text FROM passages s "
                    "JOIN files f ON f.id = s.file_id WHERE s.id = ?", (passage_id,)).fetchone()
                hits.append(Hit(rank, path, start, end, heading, text, score))
            return hits
        finally:
            conn.close()


    def has_code_prefix(self, letters: str) -> bool:
        """Whether an indexed code starts with ``letters`` and then a digit ("px" of px300)."""
        if not letters.isalpha():  # before connecting: an early return must not leave a connection open
            return False
        conn = self._connect(create=False)
        if conn is None:
            return False
        try:
            return conn.execute("SELECT 1 FROM postings WHERE term >= ? AND term < ? AND term GLOB ? LIMIT 1",
                                (letters, letters + "\U0010ffff", f"{letters}[0-9]*")).fetchone() is not None
        finally:
            conn.close()

    def has_prefix(self, prefix: str) -> bool:
        """Whether an indexed term starts with ``prefix`` ("trans" of "transmittance")."""
        if not prefix:
            return False
        conn = self._connect(create=False)
        if conn is None:
            return False
        try:
            return conn.execute("SELECT 1 FROM postings WHERE term >= ? AND term < ? LIMIT 1",
                                (prefix, prefix + "\U0010ffff")).fetchone() is not None
        finally:
            conn.close()

    def passages_with(self, term: str, limit: int = 50) -> list[tuple[str, str]]:
        """(heading, text) of the passages that have the indexed ``term`` (at most ``limit``)."""
        conn = self._connect(create=False)
        if conn is None:
            return []
        try:
            return conn.execute("SELECT s.heading, s.text FROM postings p JOIN passages s ON s.id = p.passage_id "
                                "WHERE p.term = ? ORDER BY s.id LIMIT ?", (term, limit)).fetchall()
        finally:
            conn.close()

    def document_frequencies(self, words: list[str]) -> tuple[int, dict[str, tuple[str, int]]]:
        """(passages in the index, query word -> (the index word it stands for, passages that have it)).
        A word the index lacks stands for its nearest index word ("mech" -> "mechanical", as ``search``
        reads it); a word with no such word is left out: the corpus knows nothing about it."""
        conn = self._connect(create=False)
        if conn is None:
            return 0, {}
        try:
            total = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
            out: dict[str, tuple[str, int]] = {}
            for word in dict.fromkeys(words):
                term = word
                df = conn.execute("SELECT COUNT(*) FROM postings WHERE term = ?", (term,)).fetchone()[0]
                if not df:
                    term = _nearest_term(conn, word) or ""
                    df = conn.execute("SELECT COUNT(*) FROM postings WHERE term = ?", (term,)).fetchone()[0] if term else 0
                if df:
                    out[word] = (term, df)
            return total, out
        finally:
            conn.close()

    def term_stats(self) -> tuple[str, dict[int, tuple[int, str, str]], list[tuple[str, int, int]]] | None:
        """Everything in-memory BM25 needs, for the router's kb stage (slm.plugins.kb.routing):
        (fingerprint of the indexed files, passage id -> (length, citation, heading), (term,
        passage id, tf) rows), or None when there is no index file."""
        conn = self._connect(create=False)
        if conn is None:
            return None
        try:
            files = conn.execute("SELECT path, sha256 FROM files ORDER BY path").fetchall()
            passages = {pid: (length, f"{path}:{start}", heading) for pid, length, path, start, heading in conn.execute(
                "SELECT s.id, s.length, f.path, s.start_line, s.heading FROM passages s "
                "JOIN files f ON f.id = s.file_id")}
            rows = conn.execute("SELECT term, passage_id, tf FROM postings").fetchall()
        finally:
            conn.close()
        blob = "\n".join(f"{path}\t{sha}" for path, sha in files) + f"\nschema {SCHEMA_VERSION} terms {TERMS_VERSION}"
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16], passages, rows


def _retokenize(conn: sqlite3.Connection) -> None:
    """Rebuild every posting (and passage length) from the stored passage text with today's
    tokenizer, in one transaction: a reader never sees half-old, half-new terms."""
    with conn:
        conn.execute("DELETE FROM postings")
        for passage_id, heading, text in conn.execute("SELECT id, heading, text FROM passages").fetchall():
            tf = passage_counts(heading, text)
            conn.execute("UPDATE passages SET length = ? WHERE id = ?", (sum(tf.values()), passage_id))
            conn.executemany("INSERT INTO postings (term, passage_id, tf) VALUES (?, ?, ?)",
                             [(term, passage_id, n) for term, n in tf.items()])
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('terms', ?)", (TERMS_VERSION,))


def _postings(conn: sqlite3.Connection, term: str) -> list[tuple[int, int, int]]:
    return conn.execute("SELECT p.passage_id, p.tf, s.length FROM postings p JOIN passages s ON s.id = p.passage_id "
                        "WHERE p.term = ?", (term,)).fetchall()


def _nearest_term(conn: sqlite3.Connection, term: str) -> str | None:
    """The indexed word a query word not in the index stands for: the commonest word it starts
    ("mech" -> "mechanical", at least 3 letters), else one within a slip ("warrenty" -> "warranty",
    at least 5 letters, same first two letters, 85 % alike). None when neither is there."""
    if len(term) < 3 or not term.isalpha():
        return None
    rows = conn.execute("SELECT term, COUNT(*) FROM postings WHERE term >= ? AND term < ? GROUP BY term",
                        (term[:2], term[:2] + "\U0010ffff")).fetchall()
    prefixed = [(n, t) for t, n in rows if t.startswith(term)]
    if prefixed:
        return max(prefixed)[1]
    if len(term) < 5:
        return None
    from difflib import SequenceMatcher

    close = [(SequenceMatcher(None, term, t).ratio(), n, t) for t, n in rows if abs(len(t) - len(term)) <= 2]
    close = [c for c in close if c[0] >= 0.85]
    return max(close)[2] if close else None


def _drop_under(conn: sqlite3.Connection, roots: list[Path], *, only_missing: bool) -> list[str]:
    """Delete the indexed files at or under ``roots`` (with ``only_missing``, those gone from disk); their paths."""
    dropped: list[str] = []
    for row_id, stored in conn.execute("SELECT id, path FROM files").fetchall():
        path = Path(stored)
        if any(_under(path, r) for r in roots) and not (only_missing and path.is_file()):
            conn.execute("DELETE FROM files WHERE id = ?", (row_id,))
            dropped.append(stored)
    return dropped


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _refuse_blank(paths) -> None:
    # Path("") is the current folder: an empty string must not mean "everything here".
    if any(isinstance(p, str) and not p.strip() for p in paths):
        raise UsageError("an empty path (give a file or folder)")


__all__ = ["AddReport", "FileEntry", "Hit", "KbIndex", "Skipped", "kb_dir"]

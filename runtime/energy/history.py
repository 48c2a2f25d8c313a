"""Per-request energy, kept in SQLite under SLM_HOME (``data/energy.sqlite``).

One row per answered request: when, plugin, model, where it ran, joules, tokens
(prompt and output apart), CO2 and how the joules were obtained. ``slm energy``
sums it (slm.energy.report); the offload policy asks ``joules_per_token(model)``
to predict what a local answer will cost: total joules / total tokens over the
model's most recent requests (a ratio of sums, so one tiny request does not
dominate).

The history is bounded: each write also drops rows older than
``settings.energy_keep_days`` (SQLite reuses the freed pages, so the file stops
growing). Older files gain the newer columns on first open (``plugin``,
``prompt_tokens``, ``completion_tokens`` stay NULL on their old rows).
"""
from __future__ import annotations

import math
import sqlite3
import time
from pathlib import Path
from typing import Any

from slm.errors import EnergyError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS energy (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    model TEXT NOT NULL,
    where_ TEXT NOT NULL,
    joules REAL NOT NULL,
    tokens INTEGER NOT NULL,
    co2_g REAL,
    method TEXT,
    source TEXT
);
CREATE INDEX IF NOT EXISTS energy_model ON energy(model, id);
"""
# Columns added after the first release: (name, SQL type), added in place to older files.
_ADDED_COLUMNS = (("plugin", "TEXT"), ("prompt_tokens", "INTEGER"), ("completion_tokens", "INTEGER"))
_TS_INDEX = "CREATE INDEX IF NOT EXISTS energy_ts ON energy(ts)"
RECENT = 50  # requests per model used for joules per token
DAY_S = 86400.0


class EnergyHistory:
    def __init__(self, settings: Any = None, *, path: Path | None = None, keep_days: int | None = None):
        if path is None:
            path = Path(settings.data_dir) / "energy.sqlite"
        self.path = Path(path)
        if keep_days is None:
            keep_days = getattr(settings, "energy_keep_days", 0) if settings is not None else 0
        self.keep_days = int(keep_days)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise EnergyError(f"cannot open the energy history {self.path}: {exc}") from None
        try:
            conn.executescript(_SCHEMA)
            have = {row[1] for row in conn.execute("PRAGMA table_info(energy)")}
            for name, kind in _ADDED_COLUMNS:
                if name not in have:
                    try:
                        conn.execute(f"ALTER TABLE energy ADD COLUMN {name} {kind}")
                    except sqlite3.OperationalError as exc:  # another process added it first
                        if "duplicate column" not in str(exc):
                            raise
            conn.execute(_TS_INDEX)
            return conn
        except sqlite3.Error as exc:
            conn.close()
            raise self._damaged(exc) from None

    def _damaged(self, exc: sqlite3.Error) -> EnergyError:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return EnergyError(f"the energy history {self.path} is damaged ({exc})",
                               hint="move it aside, or start a new one with `slm energy --reset`")
        return EnergyError(f"cannot use the energy history {self.path}: {exc}")

    def record(self, model: str | None, joules: float, tokens: int, where: str, *, co2_g: float | None = None,
               method: str | None = None, source: str | None = None, plugin: str | None = None,
               prompt_tokens: int | None = None, completion_tokens: int | None = None) -> None:
        """Keep one request's energy (``model`` None: a plugin answered without one, e.g. calc).

        Raises EnergyError for bad values or a broken database. Also drops rows past keep_days.
        """
        if model is not None and (not model or not isinstance(model, str)):
            raise EnergyError("energy history: a model name must be text (or None)")
        if not isinstance(joules, (int, float)) or not math.isfinite(joules) or joules < 0:
            raise EnergyError(f"energy history: joules must be a finite number >= 0, got {joules!r}")
        for what, count in (("tokens", tokens), ("prompt tokens", prompt_tokens),
                            ("completion tokens", completion_tokens)):
            if count is None and what != "tokens":
                continue
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise EnergyError(f"energy history: {what} must be an integer >= 0, got {count!r}")
        now = time.time()
        conn = self._connect()
        try:
            with conn:
                conn.execute(
                    "INSERT INTO energy (ts, model, where_, joules, tokens, co2_g, method, source, plugin, "
                    "prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (now, model or "", str(where), float(joules), tokens, co2_g, method, source, plugin,
                     prompt_tokens, completion_tokens))
                if self.keep_days > 0:
                    conn.execute("DELETE FROM energy WHERE ts < ?", (now - self.keep_days * DAY_S,))
        except sqlite3.Error as exc:
            raise EnergyError(f"cannot write the energy history {self.path}: {exc}") from None
        finally:
            conn.close()

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Rows of a read-only query over the ``energy`` table; [] without a history file."""
        if not self.path.exists():
            return []
        conn = self._connect()
        try:
            return conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise self._damaged(exc) from None
        finally:
            conn.close()

    def joules_per_token(self, model: str, *, where: str | None = None) -> float | None:
        """Joules per token over the model's recent requests; None without history."""
        query = "SELECT joules, tokens FROM energy WHERE model = ? AND tokens > 0"
        args: list[Any] = [model]
        if where is not None:
            query += " AND where_ = ?"
            args.append(where)
        rows = self.query(query + " ORDER BY id DESC LIMIT ?", (*args, RECENT))
        tokens = sum(r[1] for r in rows)
        return sum(r[0] for r in rows) / tokens if tokens else None

    def totals(self, model: str | None = None) -> dict[str, Any]:
        """{"requests", "joules", "co2_g", "tokens"} over all (or one model's) requests."""
        query = "SELECT COUNT(*), COALESCE(SUM(joules),0), COALESCE(SUM(co2_g),0), COALESCE(SUM(tokens),0) FROM energy"
        rows = self.query(query + (" WHERE model = ?" if model else ""), (model,) if model else ())
        row = rows[0] if rows else (0, 0.0, 0.0, 0)
        return {"requests": row[0], "joules": row[1], "co2_g": row[2], "tokens": row[3]}

    def reset(self) -> dict[str, Any]:
        """Empty the history. A damaged file is moved aside (kept, not deleted) and a new one starts.

        Returns {"removed": rows removed or None, "moved_to": path of the damaged file or None}.
        """
        if not self.path.exists():
            return {"removed": 0, "moved_to": None}
        try:
            conn = self._connect()
        except EnergyError:
            aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                self.path.replace(aside)
            except OSError as exc:
                raise EnergyError(f"cannot move the damaged energy history {self.path} aside: {exc}") from None
            return {"removed": None, "moved_to": str(aside)}
        try:
            with conn:
                removed = conn.execute("DELETE FROM energy").rowcount
            conn.execute("VACUUM")  # give the space back: a reset is when the user wants it
        except sqlite3.Error as exc:
            raise EnergyError(f"cannot reset the energy history {self.path}: {exc}") from None
        finally:
            conn.close()
        return {"removed": removed, "moved_to": None}

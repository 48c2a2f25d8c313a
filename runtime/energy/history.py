"""Per-request energy totals, kept in SQLite under SLM_HOME.

The request log reads the totals for reporting; the offload policy asks
``joules_per_token(model)`` to predict what a local answer will cost. The
prediction is total joules / total tokens over the model's most recent
requests (a ratio of sums, so one tiny request does not dominate).
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
RECENT = 50  # requests per model used for joules per token


class EnergyHistory:
    def __init__(self, settings: Any = None, *, path: Path | None = None):
        if path is None:
            path = Path(settings.data_dir) / "energy.sqlite"
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.executescript(_SCHEMA)
            return conn
        except (OSError, sqlite3.Error) as exc:
            raise EnergyError(f"cannot open the energy history {self.path}: {exc}") from None

    def record(self, model: str, joules: float, tokens: int, where: str, *, co2_g: float | None = None,
               method: str | None = None, source: str | None = None) -> None:
        """Keep one request's energy. Raises EnergyError for bad values or a broken database."""
        if not model or not isinstance(model, str):
            raise EnergyError("energy history: a model name is required")
        if not isinstance(joules, (int, float)) or not math.isfinite(joules) or joules < 0:
            raise EnergyError(f"energy history: joules must be a finite number >= 0, got {joules!r}")
        if not isinstance(tokens, int) or isinstance(tokens, bool) or tokens < 0:
            raise EnergyError(f"energy history: tokens must be an integer >= 0, got {tokens!r}")
        conn = self._connect()
        try:
            with conn:
                conn.execute(
                    "INSERT INTO energy (ts, model, where_, joules, tokens, co2_g, method, source) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (time.time(), model, str(where), float(joules), tokens, co2_g, method, source))
        except sqlite3.Error as exc:
            raise EnergyError(f"cannot write the energy history {self.path}: {exc}") from None
        finally:
            conn.close()

    def joules_per_token(self, model: str, *, where: str | None = None) -> float | None:
        """Joules per token over the model's recent requests; None without history."""
        if not self.path.exists():
            return None
        conn = self._connect()
        try:
            query = "SELECT joules, tokens FROM energy WHERE model = ? AND tokens > 0"
            args: list[Any] = [model]
            if where is not None:
                query += " AND where_ = ?"
                args.append(where)
            rows = conn.execute(query + " ORDER BY id DESC LIMIT ?", (*args, RECENT)).fetchall()
        except sqlite3.Error as exc:
            raise EnergyError(f"cannot read the energy history {self.path}: {exc}") from None
        finally:
            conn.close()
        tokens = sum(r[1] for r in rows)
        return sum(r[0] for r in rows) / tokens if tokens else None

    def totals(self, model: str | None = None) -> dict[str, Any]:
        """{"requests", "joules", "co2_g", "tokens"} over all (or one model's) requests."""
        if not self.path.exists():
            return {"requests": 0, "joules": 0.0, "co2_g": 0.0, "tokens": 0}
        conn = self._connect()
        try:
            query = "SELECT COUNT(*), COALESCE(SUM(joules),0), COALESCE(SUM(co2_g),0), COALESCE(SUM(tokens),0) FROM energy"
            row = conn.execute(query + (" WHERE model = ?" if model else ""), (model,) if model else ()).fetchone()
        except sqlite3.Error as exc:
            raise EnergyError(f"cannot read the energy history {self.path}: {exc}") from None
        finally:
            conn.close()
        return {"requests": row[0], "joules": row[1], "co2_g": row[2], "tokens": row[3]}

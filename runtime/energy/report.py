"""What ``slm energy`` reports: sums over the energy history, grouped, and the counterfactual.

    report = build_report(EnergyHistory(settings), since=parse_since("7d"), by=("plugin",),
                          reference=load_reference(settings))
    metrics_totals(history)   # per source/method counters, for a server's /metrics

Everything comes from the one history (slm.energy.history): one SQLite pass
per grouping (where, which also gives the totals, then each --by), each
summing every figure at once, so a 10,000-request history costs a few tens of ms.

The counterfactual is an estimate and says so: the output tokens of the
requests that have them, at a reference model's published GPU joules per output
token (a low-high range), times a PUE, with the reference's grid intensity for
CO2 (slm.energy.references). Offloaded requests carry their local joules as
measured plus their remote energy at the same reference range; never zero.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from slm.energy.history import EnergyHistory
from slm.energy.references import Reference
from slm.errors import SlmError, UsageError

GROUPINGS = ("plugin", "model", "where", "day")
_FILL_DAYS_MAX = 366  # --by day fills empty days between the first and last, up to a year

# One indexed-or-scanned pass per grouping; the figures of Sums, in its field order.
_SUMS_SQL = """
SELECT {key}, COUNT(*), SUM(joules), SUM(COALESCE(co2_g, 0)), SUM(tokens),
       SUM(COALESCE(prompt_tokens, 0)), SUM(COALESCE(completion_tokens, 0)),
       SUM(CASE WHEN tokens > 0 THEN joules ELSE 0 END),
       SUM(completion_tokens > 0), SUM(CASE WHEN completion_tokens > 0 THEN joules ELSE 0 END),
       SUM(CASE WHEN completion_tokens > 0 THEN COALESCE(co2_g, 0) ELSE 0 END),
       SUM(completion_tokens IS NULL AND tokens > 0),
       SUM(CASE WHEN completion_tokens IS NULL AND tokens > 0 THEN tokens ELSE 0 END),
       SUM(CASE WHEN completion_tokens IS NULL AND tokens > 0 THEN joules ELSE 0 END),
       SUM(method LIKE 'measured%'), SUM(CASE WHEN method LIKE 'measured%' THEN joules ELSE 0 END),
       SUM(method = 'estimated'), MIN(ts), MAX(ts)
FROM energy {window} GROUP BY 1
"""
_KEYS = {"where": "where_", "plugin": "plugin", "model": "NULLIF(model, '')",
         "day": "date(ts, 'unixepoch', 'localtime')"}


@dataclass
class Sums:
    """Additive figures of a set of requests (one cell, a group, or all)."""

    requests: int = 0
    joules: float = 0.0
    co2_g: float = 0.0
    tokens: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    joules_with_tokens: float = 0.0     # joules of the requests that counted tokens (for J/token)
    split_requests: int = 0             # requests with output tokens > 0 (the comparison's set)
    split_joules: float = 0.0
    split_co2_g: float = 0.0
    unsplit_requests: int = 0           # older rows: tokens recorded without the prompt/output split
    unsplit_tokens: int = 0
    unsplit_joules: float = 0.0
    measured_requests: int = 0
    measured_joules: float = 0.0
    estimated_requests: int = 0

    def add(self, other: Sums) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def figures(self) -> dict[str, Any]:
        """The figures of this set, ratios included (None where there is nothing to divide by)."""
        out: dict[str, Any] = {
            "requests": self.requests, "tokens": self.tokens, "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens, "joules": self.joules, "co2_g": self.co2_g,
            "j_per_answer": self.joules / self.requests if self.requests else None,
            "j_per_token": self.joules_with_tokens / self.tokens if self.tokens else None,
            "j_per_output_token": (self.split_joules / self.completion_tokens) if self.completion_tokens else None,
            "measured_requests": self.measured_requests, "estimated_requests": self.estimated_requests,
            "measured_share": (self.measured_joules / self.joules) if self.joules > 0 else None,
        }
        return out


def parse_since(text: str | None, *, now: float | None = None) -> float | None:
    """Start of the window as a UNIX time; None for all history.

    Accepts a duration (``90m``, ``24h``, ``7d``, ``2w``), a date (``2026-11-30``, local
    midnight) or a date and time (``2026-11-30T08:00``), or ``all``. UsageError otherwise.
    """
    if text is None or text.strip().lower() in ("", "all"):
        return None
    now = time.time() if now is None else now
    raw = text.strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([smhdw])", raw.lower())
    if match:
        amount = float(match.group(1))
        if amount <= 0:
            raise UsageError(f"--since {raw!r}: the duration must be more than 0")
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}[match.group(2)]
        return now - amount * unit
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"--since {raw!r} is neither a duration (90m, 24h, 7d, 2w) nor a date "
                         "(2026-11-30 or 2026-11-30T08:00); or give 'all'") from None
    if when.tzinfo is None:
        when = when.astimezone()  # a local time, as the days of the report are local days
    start = when.timestamp()
    if start > now:
        raise UsageError(f"--since {raw!r} is in the future")
    return start


def _sums_by(history: EnergyHistory, grouping: str, since: float | None) -> dict[Any, tuple[Sums, float, float]]:
    """{key: (Sums, first ts, last ts)} for one grouping of the requests since ``since``."""
    # Without a window a plain scan beats walking the ts index row by row (2-3x on 10k rows).
    window = "WHERE ts >= ?" if since is not None else ""
    out = {}
    for row in history.query(_SUMS_SQL.format(key=_KEYS[grouping], window=window),
                             (since,) if since is not None else ()):
        key, first, last = row[0], row[-2], row[-1]
        out[key] = (Sums(*(v or 0 for v in row[1:-2])), first, last)
    return out


def _grouped(history: EnergyHistory, by: str, since: float | None, reference: Reference,
             where: dict[Any, tuple[Sums, float, float]]) -> list[dict[str, Any]]:
    found = where if by == "where" else _sums_by(history, by, since)
    groups: dict[Any, Sums] = {key: sums for key, (sums, _, _) in found.items()}
    if by == "day" and groups:
        first = dt.date.fromisoformat(min(groups))
        last = dt.date.fromisoformat(max(groups))
        if (last - first).days < _FILL_DAYS_MAX:  # an empty day is a bar of zero, not a gap in the chart
            for n in range((last - first).days + 1):
                groups.setdefault((first + dt.timedelta(days=n)).isoformat(), Sums())
        keys = sorted(groups)
    else:  # costliest first
        keys = sorted(groups, key=lambda k: (-groups[k].joules, str(k)))
    rows = []
    for key in keys:
        row = {"key": key, **groups[key].figures()}
        if by == "where" and key == "cloud":
            row["remote"] = _remote(groups[key], reference)
        rows.append(row)
    return rows


def _remote(cloud: Sums, reference: Reference) -> dict[str, Any]:
    """The remote energy of offloaded requests at the reference range (an estimate, never zero).

    Older rows without the output split count all their tokens as output: an over-estimate
    of the remote side, which works against slm in the comparison, not for it.
    """
    tokens = cloud.completion_tokens + cloud.unsplit_tokens
    low, high = reference.joules(tokens)
    return {"estimate": True, "requests": cloud.requests, "output_tokens": tokens,
            "j_low": low, "j_high": high,
            "co2_g_low": reference.co2_g(low), "co2_g_high": reference.co2_g(high),
            "unsplit_requests": cloud.unsplit_requests}


def _comparison(where: dict[str, Sums], reference: Reference, delivered: Sums) -> dict[str, Any]:
    """Everything answered with output tokens, as if sent to the reference, against what it cost here.

    ``delivered``: queued requests the cloud has answered since (their tokens come from the
    offline queue; their local joules are those of the queued rows, all counted here).
    """
    local, cloud, queued = Sums(), Sums(), Sums()
    no_tokens = unsplit_local = 0
    for place, s in where.items():
        if place == "cloud":
            cloud.add(s)
        elif place == "queued":
            queued.add(s)
        else:
            local.add(s)
            unsplit_local += s.unsplit_requests
            no_tokens += s.requests - s.split_requests - s.unsplit_requests
    offloaded = Sums()
    offloaded.add(cloud)
    offloaded.add(delivered)
    out_tokens = local.completion_tokens + offloaded.completion_tokens + offloaded.unsplit_tokens
    ref_low, ref_high = reference.joules(out_tokens)
    remote = _remote(offloaded, reference)
    # offloaded requests' local joules (redaction, network, queueing) count here in full
    here_local = local.split_joules + cloud.joules + queued.joules
    here_low, here_high = here_local + remote["j_low"], here_local + remote["j_high"]
    here_co2_local = local.split_co2_g + cloud.co2_g + queued.co2_g
    return {
        "estimate": True,
        "reference": reference.describe(),
        "requests": local.split_requests + offloaded.requests,
        "output_tokens": out_tokens,
        "reference_j_low": ref_low, "reference_j_high": ref_high,
        "reference_co2_g_low": reference.co2_g(ref_low), "reference_co2_g_high": reference.co2_g(ref_high),
        "here_local_j": here_local,
        "here_j_low": here_low, "here_j_high": here_high,
        "here_co2_g_low": here_co2_local + remote["co2_g_low"], "here_co2_g_high": here_co2_local + remote["co2_g_high"],
        "saved_j_low": ref_low - here_low, "saved_j_high": ref_high - here_high,
        "ratio_low": (ref_low / here_low) if here_low > 0 else None,
        "ratio_high": (ref_high / here_high) if here_high > 0 else None,
        "left_out": {"requests_without_output_tokens": no_tokens, "older_rows_without_split": unsplit_local,
                     "queued": max(queued.requests - delivered.requests, 0)},
    }


def delivered_from_queue(queue_path: Path, since: float | None) -> Sums:
    """Queued requests the cloud answered later (``slm queue sync``): their count and tokens.

    Read from the offline queue, which keeps each answer's usage; nothing is opened or
    created when there is no queue file. A damaged queue is an error of its own (QueueError).
    """
    if not queue_path.exists():
        return Sums()
    from slm.offload.queue import OfflineQueue

    out = Sums()
    with OfflineQueue(queue_path) as queue:
        for item in queue.list("sent"):
            if since is not None and (item.sent_at or 0) < since:
                continue
            usage = item.usage or {}
            p, c = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
            out.add(Sums(requests=1, tokens=p + c, prompt_tokens=p, completion_tokens=c,
                         split_requests=1 if c > 0 else 0))
    return out


def energy_report(settings: Any, *, reference: Reference, since: float | None = None,
                  by: tuple[str, ...] = ()) -> dict[str, Any]:
    """The report for this device's settings: its energy history plus the offline queue's answers."""
    history = EnergyHistory(settings)
    cutoff = since
    if history.keep_days > 0:  # answers older than the history's own rows are not counted either
        kept = time.time() - history.keep_days * 86400
        cutoff = kept if since is None else max(since, kept)
    warnings = []
    try:
        delivered = delivered_from_queue(Path(settings.data_dir) / "queue.db", cutoff)
    except SlmError as exc:  # a damaged queue must not hide the energy figures
        delivered = Sums()
        warnings.append(f"queued requests answered later are not counted: {exc.one_line()}")
    report = build_report(history, reference=reference, since=since, by=by, delivered=delivered)
    report["warnings"] += warnings
    return report


def build_report(history: EnergyHistory, *, reference: Reference, since: float | None = None,
                 by: tuple[str, ...] = (), now: float | None = None, delivered: Sums | None = None) -> dict[str, Any]:
    """The whole report as plain data (what ``--json`` prints and the text/HTML renderers read)."""
    for grouping in by:
        if grouping not in GROUPINGS:
            raise UsageError(f"cannot group by {grouping!r} (choose from {', '.join(GROUPINGS)})")
    now = time.time() if now is None else now
    delivered = delivered or Sums()
    found = _sums_by(history, "where", since)  # every request has a where: these add up to the totals
    where = {key: sums for key, (sums, _, _) in found.items()}
    total = Sums()
    for sums in where.values():
        total.add(sums)
    stamp = _iso
    report: dict[str, Any] = {
        "period": {"since": stamp(since), "until": stamp(now),
                   "first": stamp(min((first for _, first, _ in found.values()), default=None)),
                   "last": stamp(max((last for _, _, last in found.values()), default=None)),
                   "keep_days": history.keep_days},
        "history": {"path": str(history.path),
                    "bytes": history.path.stat().st_size if history.path.exists() else 0},
        "totals": total.figures(),
        "where": {key: sums.figures() for key, sums in sorted(where.items())},
        "offloaded": None,
        "groups": {grouping: _grouped(history, grouping, since, reference, found) for grouping in by},
        "comparison": _comparison(where, reference, delivered) if total.requests else None,
        "warnings": [],
    }
    if "cloud" in where or delivered.requests:
        cloud = where.get("cloud", Sums())
        report["offloaded"] = {"requests": cloud.requests, "local_joules": cloud.joules,
                               "remote": _remote(cloud, reference),
                               "delivered_later": {"requests": delivered.requests,
                                                   "output_tokens": delivered.completion_tokens,
                                                   "remote": _remote(delivered, reference)}}
    return report


def metrics_totals(history: EnergyHistory) -> list[dict[str, Any]]:
    """All-history counters per (source, method, where), for a server's ``/metrics``.

    Counters only grow between resets and retention drops: a scraper should treat a
    decrease as a reset, as Prometheus does for any counter.
    """
    rows = history.query("SELECT COALESCE(source, ''), COALESCE(method, ''), where_, COUNT(*), "
                         "SUM(joules), SUM(tokens), SUM(COALESCE(co2_g, 0)) FROM energy GROUP BY 1, 2, 3 "
                         "ORDER BY 1, 2, 3")
    return [{"source": s or None, "method": m or None, "where": w, "requests": n, "joules": j, "tokens": t,
             "co2_g": c} for s, m, w, n, j, t, c in rows]


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")

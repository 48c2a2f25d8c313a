"""GET /metrics: Prometheus text exposition (format 0.0.4).

Counters live in this process (requests by endpoint and status, tokens);
gauges are read when scraped (queue depth, busy slots, loaded models); joules
and CO2 come from the energy history, so they cover every request on this
device, served here or not. The format is a few lines of text, so it is
written here rather than adding a metrics library to the runtime.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.tokens: Counter[str] = Counter()

    def count_request(self, endpoint: str, status: int) -> None:
        with self._lock:
            self.requests[(endpoint, status)] += 1

    def count_tokens(self, result: Any) -> None:
        with self._lock:
            self.tokens["prompt"] += result.usage.prompt_tokens
            self.tokens["completion"] += result.usage.completion_tokens

    def render(self, *, lanes: dict[str, dict[str, int]], loaded: list[dict[str, Any]],
               energy: Iterable[dict[str, Any]]) -> str:
        out: list[str] = []

        def family(name: str, kind: str, text: str, samples: Iterable[tuple[dict[str, Any], float]]) -> None:
            out.append(f"# HELP {name} {text}")
            out.append(f"# TYPE {name} {kind}")
            for labels, value in samples:
                out.append(f"{name}{_labels(labels)} {_number(value)}")

        with self._lock:
            requests = sorted(self.requests.items())
            tokens = sorted(self.tokens.items())
        family("slm_requests_total", "counter", "HTTP requests served, by endpoint and status.",
               [({"endpoint": e, "status": s}, n) for (e, s), n in requests])
        family("slm_tokens_total", "counter", "Tokens of answered chat requests, by kind.",
               [({"kind": k}, n) for k, n in tokens])
        family("slm_queue_depth", "gauge", "Requests waiting for a slot, by lane.",
               [({"lane": name}, lane["waiting"]) for name, lane in sorted(lanes.items())])
        family("slm_slots_busy", "gauge", "Slots computing an answer now, by lane.",
               [({"lane": name}, lane["busy"]) for name, lane in sorted(lanes.items())])
        family("slm_loaded_models", "gauge", "Models loaded in this server.", [({}, len(loaded))])
        family("slm_loaded_model_bytes", "gauge", "RAM each loaded model is counted for.",
               [({"model": str(m["path"].name)}, m["ram_bytes"]) for m in loaded])
        rows = list(energy)
        family("slm_energy_joules_total", "counter", "Joules spent on this device per energy source and method.",
               [({"source": r["source"] or "unknown", "method": r["method"] or "unknown", "where": r["where"]},
                 r["joules"] or 0.0) for r in rows])
        family("slm_energy_co2_grams_total", "counter", "Grams of CO2e of those joules.",
               [({"source": r["source"] or "unknown", "method": r["method"] or "unknown", "where": r["where"]},
                 r["co2_g"] or 0.0) for r in rows])
        family("slm_energy_requests_total", "counter", "Requests in the energy history.",
               [({"source": r["source"] or "unknown", "method": r["method"] or "unknown", "where": r["where"]},
                 r["requests"]) for r in rows])
        return "\n".join(out) + "\n"


def _labels(labels: dict[str, Any]) -> str:
    if not labels:
        return ""
    parts = []
    for key, value in labels.items():
        text = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
        parts.append(f'{key}="{text}"')
    return "{" + ",".join(parts) + "}"


def _number(value: float) -> str:
    return repr(float(value)) if isinstance(value, float) else str(int(value))

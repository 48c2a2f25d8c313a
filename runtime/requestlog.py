"""Append-only request log (JSON lines under SLM_HOME/logs).

One line per request: where it ran and why, plugin, model, tokens, timings,
energy. Prompts and answers are CRM data, so the log keeps only their length
and a short hash — enough to correlate, nothing to leak.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from slm.result import AskResult

LOG_NAME = "requests.jsonl"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def entry_for(prompt: str, result: AskResult, *, decision_log: str | None = None) -> dict[str, Any]:
    return {
        "ts": time.time(),
        "prompt_sha": fingerprint(prompt),
        "prompt_chars": len(prompt),
        "plugin": result.plugin,
        "model": result.model,
        "where": result.where,
        "offload_reason": result.offload_reason,
        "decision": decision_log,
        "route": result.route.get("plugin") if result.route else None,
        "usage": {"prompt_tokens": result.usage.prompt_tokens,
                  "completion_tokens": result.usage.completion_tokens},
        "timings": {"load_ms": result.timings.load_ms, "ttft_ms": result.timings.ttft_ms,
                    "total_ms": result.timings.total_ms},
        "energy": result.energy,
        "queue_id": result.queue_id,
    }


def append(logs_dir: Path, entry: dict[str, Any]) -> None:
    """Best effort: a full disk or read-only home must not fail the request."""
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        # O_APPEND keeps concurrent writers' lines whole (each write < PIPE_BUF-ish size).
        fd = os.open(logs_dir / LOG_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8", "surrogatepass"))
        finally:
            os.close(fd)
    except OSError:
        pass


def read(logs_dir: Path) -> list[dict[str, Any]]:
    path = logs_dir / LOG_NAME
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a torn last line after a crash is skipped, not fatal
    return out

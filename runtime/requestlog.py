"""Append-only request log (JSON lines under SLM_HOME/logs).

One line per request: where it ran and why, plugin, model, tokens, timings,
energy. Prompts and answers are CRM data, so the log keeps only their length
and a short keyed hash (``prompt_hmac``) — enough to correlate requests on this
device, nothing to leak. The key is random per SLM_HOME (``logs/.log-key``,
mode 0600): a plain hash of a short prompt could be confirmed by anyone who
reads the log and guesses the prompt; a keyed one cannot without the key.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from pathlib import Path
from typing import Any

from slm.atomic_file import write_atomic
from slm.result import AskResult

LOG_NAME = "requests.jsonl"
KEY_NAME = ".log-key"


def log_key(logs_dir: Path) -> bytes | None:
    """This home's log key, made on first use; None when it can neither be read nor written."""
    path = logs_dir / KEY_NAME
    try:
        key = path.read_bytes()
        if len(key) >= 16:
            return key
    except OSError:
        pass
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        # first writer wins; a racing process reads the winner's key
        # os.urandom is what secrets.token_bytes returns, without importing random at every start-up
        write_atomic(path, os.urandom(32), mode=0o600, replace=False)
        key = path.read_bytes()
        return key if len(key) >= 16 else None
    except OSError:
        return None


def keyed_fingerprint(text: str, key: bytes | None) -> str | None:
    """A short HMAC-SHA256 of ``text``; None without a key (never an unkeyed hash)."""
    if not key:
        return None
    return hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:16]


def entry_for(prompt: str, result: AskResult, *, decision_log: str | None = None,
              key: bytes | None = None) -> dict[str, Any]:
    return {
        "ts": time.time(),
        "prompt_hmac": keyed_fingerprint(prompt, key),
        "prompt_chars": len(prompt),
        "plugin": result.plugin,
        "model": result.model,
        "adapters": result.adapters or None,
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
        "redaction": result.redaction,
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

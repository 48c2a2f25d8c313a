"""Manifest records: what a sound one looks like, and what a damaged one becomes.

A record is the store's memory of one file (path, size, format, hashes, names, provenance).
The manifest is a file on disk that a crash, a hand edit or an old pack import may have
damaged; ``sanitized`` makes sure no such record crashes a listing or names a file outside
the store. Open ``model_store.py`` for how records are used.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any


def key_hash(key: str) -> str:
    """A short stable name for a record's key (lock files, placeholders)."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


_RECORD_FIELDS: dict[str, tuple[type, ...]] = {
    "path": (str,), "size": (int,), "repo": (str,), "file": (str,), "format": (str,),
    "sha256": (str, type(None)), "names": (list,), "mtime_ns": (int, type(None)),
}


def _damage(rec: Any) -> str | None:
    """Why a manifest record cannot be trusted, or None when it is sound."""
    if not isinstance(rec, dict):
        return "it is not a table"
    for field_name, types in _RECORD_FIELDS.items():
        value = rec.get(field_name)
        if field_name in ("sha256", "mtime_ns", "names") and field_name not in rec:
            continue
        if not isinstance(value, types) or isinstance(value, bool):
            return f"its {field_name} is not a {'/'.join(t.__name__ for t in types if t is not type(None))}"
    path = Path(rec["path"])
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return "its path leads outside the model store"
    if rec["size"] < 0:
        return "its size is negative"
    if rec["format"] not in ("gguf", "onnx"):
        return f"its format {rec['format']!r} is unknown"
    if rec.get("sha256") is not None and not re.fullmatch(r"[0-9a-f]{64}", rec["sha256"]):
        return "its sha256 is not 64 hex digits"
    if not all(isinstance(n, str) for n in rec.get("names", [])):
        return "its names are not a list of names"
    return None


def sanitized(key: str, rec: Any) -> dict:
    """A sound record as it is; a damaged one as a record that says so and points at nothing.

    A damaged entry is listed (status "damaged", with the reason) and can be removed with
    `slm models rm`; it never crashes a listing and never names a file outside the store.
    """
    why = _damage(rec)
    if why is None:
        return rec
    return {"repo": "?", "file": "?", "format": "gguf", "path": f"hub/.damaged/{key_hash(key)}", "size": 0,
            "sha256": None, "names": [], "status": "damaged", "reason": f"its manifest entry is damaged: {why}"}


def names_of(rec: dict) -> list[str]:
    """A record's names; a damaged record's non-list is no names (never a string's letters)."""
    names = rec.get("names")
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def checked_against(rec: dict) -> str | None:
    """What vouches for a stored file; None: nothing does. Records written before slm kept
    this field say nothing about it, so they count as unverified rather than be trusted."""
    value = rec.get("checked_against")
    return value if isinstance(value, str) and value else None


def kind_of(rec: dict) -> str:
    """"adapter" for a LoRA adapter's record, else "model" (records from before slm knew adapters)."""
    return "adapter" if rec.get("kind") == "adapter" else "model"

"""LoRA adapter references: how a request, a plugin or the command line names adapters.

An adapter is named like a model (catalog name, ORG/REPO/FILE, imported name or a
path to a .gguf) plus a scale (default 1.0; 0 switches it off). ``slm ask --adapter
NAME[:SCALE]``, ``Runtime.ask(adapters=[...])`` and plugin.toml's ``model = {base = ...,
adapter = ..., scale = ...}`` all end up as a tuple of AdapterRef. This module only
parses; slm.api resolves the names to files and slm.backends.lora applies them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slm.errors import UsageError

MAX_ADAPTERS = 8  # stacked on one request; more is a mistake, not a use
MAX_SCALE = 16.0


@dataclass(frozen=True)
class AdapterRef:
    name: str
    scale: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"adapter": self.name, "scale": self.scale}

    def __str__(self) -> str:
        return self.name if self.scale == 1.0 else f"{self.name}:{self.scale:g}"


def check_scale(scale: Any, what: str) -> float:
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) \
            or not -MAX_SCALE <= scale <= MAX_SCALE:
        raise UsageError(f"{what}: the scale must be a number between {-MAX_SCALE:g} and {MAX_SCALE:g}, got {scale!r}")
    return float(scale)


def parse_spec(text: str) -> AdapterRef:
    """``NAME[:SCALE]``. A name may itself hold ':' (a catalog variant), so only a number after
    the last ':' is a scale."""
    if not isinstance(text, str) or not text.strip():
        raise UsageError("an adapter name is needed (got an empty one)")
    text = text.strip()
    name, sep, tail = text.rpartition(":")
    if sep and name.strip():
        try:
            scale = float(tail)
        except ValueError:
            return AdapterRef(text)
        return AdapterRef(name.strip(), check_scale(scale, f"adapter {name.strip()}"))
    return AdapterRef(text)


def to_refs(value: Any) -> tuple[AdapterRef, ...]:
    """Normalise what the API takes: None, a spec string, an AdapterRef, a (name, scale) pair,
    a {"adapter"/"name": ..., "scale": ...} table, or a list of those."""
    if value is None:
        return ()
    if isinstance(value, (str, AdapterRef, Mapping)) or (isinstance(value, tuple) and len(value) == 2
                                                         and isinstance(value[1], (int, float))):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise UsageError("adapters must be a list of adapter names (NAME or NAME:SCALE)")
    refs = []
    for item in value:
        if isinstance(item, AdapterRef):
            refs.append(AdapterRef(item.name, check_scale(item.scale, f"adapter {item.name}")))
        elif isinstance(item, str):
            refs.append(parse_spec(item))
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and item[0].strip():
            refs.append(AdapterRef(item[0].strip(), check_scale(item[1], f"adapter {item[0]}")))
        elif isinstance(item, Mapping):
            refs.append(from_table(item, "adapter"))
        else:
            raise UsageError(f"not an adapter: {item!r} (expected NAME, NAME:SCALE or (NAME, SCALE))")
    if len(refs) > MAX_ADAPTERS:
        raise UsageError(f"at most {MAX_ADAPTERS} adapters can be stacked on one request, got {len(refs)}")
    names = [r.name for r in refs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"adapter {twice[0]} is given twice; give it once, with the scale you want")
    return tuple(refs)


def from_table(table: Mapping[str, Any], what: str) -> AdapterRef:
    """{name|adapter = "...", scale = 1.0} (plugin.toml's ``adapters = [...]`` entries)."""
    unknown = set(table) - {"name", "adapter", "scale"}
    if unknown:
        raise UsageError(f"{what}: unknown key(s) {', '.join(sorted(unknown))} (expected adapter and scale)")
    name = table.get("adapter", table.get("name"))
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"{what}: 'adapter' must be a non-empty string")
    return AdapterRef(name.strip(), check_scale(table.get("scale", 1.0), f"{what} {name.strip()}"))

"""Reading and checking a plugin's static metadata (``plugin.toml``).

This module never imports plugin code: the metadata is plain TOML next to the
plugin's module, so listing plugins and training the router stay safe and fast
however many plugins are installed.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from slm.plugins.sdk import (
    OFFLOAD_CHOICES,
    SENSITIVITY_CHOICES,
    Permissions,
    PluginInfo,
)
from slm.toml_parser import toml_parser

MAX_TIMEOUT_S = 86_400.0  # a day: anything longer is not a time limit

METADATA_FILE = "plugin.toml"
MIN_EXAMPLES, MAX_EXAMPLES = 10, 50
# Plugin names appear on the command line, in folder names and in logs.
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
NAME_RULE = "2-32 characters: lowercase letters, digits, '-' or '_', starting with a letter"
_NO_MODEL = {"", "none", "null"}
_KNOWN_KEYS = {"name", "version", "description", "examples", "model", "permissions",
               "sensitivity", "timeout_s", "accepts"}
# "module:function" of the plugin's route check (sdk.AcceptsCheck)
ACCEPTS_RE = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")


class MetadataError(ValueError):
    """plugin.toml is missing, not TOML, or breaks a rule; the message says which."""


def valid_name(name: str) -> bool:
    return bool(NAME_RE.match(name))


def read_plugin_toml(root: Path, *, entry_point: str = "", distribution: str | None = None) -> PluginInfo:
    """Parse ``root/plugin.toml`` into a PluginInfo, or raise MetadataError (one line)."""
    path = Path(root) / METADATA_FILE
    tomllib = toml_parser()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MetadataError(f"no {METADATA_FILE} in {root}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{path} is not valid TOML: {' '.join(str(exc).split())}") from None
    except OSError as exc:
        raise MetadataError(f"cannot read {path}: {exc.strerror}") from None
    return parse_metadata(raw, root=Path(root), entry_point=entry_point, distribution=distribution)


def parse_metadata(raw: Mapping[str, Any], *, root: Path | None = None, entry_point: str = "",
                   distribution: str | None = None) -> PluginInfo:
    where = f"{METADATA_FILE}" if root is None else str(Path(root) / METADATA_FILE)

    def fail(message: str) -> MetadataError:
        return MetadataError(f"{where}: {message}")

    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))}")
    name = _text(raw, "name", fail)
    if not valid_name(name):
        raise fail(f"bad name {name!r} ({NAME_RULE})")
    version = _text(raw, "version", fail)
    description = _text(raw, "description", fail)

    examples = raw.get("examples")
    if examples is None and isinstance(raw.get("permissions"), Mapping) and "examples" in raw["permissions"]:
        raise fail("examples must come before the [permissions] table, not inside it")
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise fail("'examples' must be a list of strings")
    examples = [" ".join(e.split()) for e in examples]
    if any(not e for e in examples):
        raise fail("'examples' has an empty entry")
    if not MIN_EXAMPLES <= len(set(examples)) <= MAX_EXAMPLES:
        raise fail(f"needs {MIN_EXAMPLES}-{MAX_EXAMPLES} distinct examples, has {len(set(examples))}")

    model, adapters = _model_field(raw.get("model", "none"), fail)

    perms = raw.get("permissions", {})
    if not isinstance(perms, Mapping):
        raise fail("[permissions] must be a table")
    extra = set(perms) - {"network", "offload"}
    misplaced = sorted(extra & _KNOWN_KEYS)
    if misplaced:  # a TOML classic: keys written after [permissions] belong to that table
        raise fail(f"{', '.join(misplaced)} must come before the [permissions] table, not inside it")
    if extra:
        raise fail(f"unknown permission(s) {', '.join(sorted(extra))}")
    network = perms.get("network", False)
    if not isinstance(network, bool):
        raise fail("permissions.network must be true or false")
    offload = perms.get("offload", "allowed")
    if offload not in OFFLOAD_CHOICES:
        raise fail(f"permissions.offload must be one of {', '.join(OFFLOAD_CHOICES)}, got {offload!r}")

    sensitivity = raw.get("sensitivity", "internal")
    if sensitivity not in SENSITIVITY_CHOICES:
        raise fail(f"sensitivity must be one of {', '.join(SENSITIVITY_CHOICES)}, got {sensitivity!r}")

    timeout = raw.get("timeout_s")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not math.isfinite(timeout) or not 0 < timeout <= MAX_TIMEOUT_S):
        # nan, inf or 1e308 would switch the limit off (or overflow the wait): a limit must be one
        raise fail(f"timeout_s must be a number of seconds above 0 and at most {MAX_TIMEOUT_S:g}")

    accepts = raw.get("accepts", "")
    if not isinstance(accepts, str) or (accepts.strip() and not ACCEPTS_RE.match(accepts.strip())):
        raise fail("'accepts' must name a function as \"module:function\" (it gets the prompt, "
                   "returns true when the plugin can answer it)")

    return PluginInfo(
        name=name, version=version, description=" ".join(description.split()),
        examples=tuple(dict.fromkeys(examples)), model=model,
        permissions=Permissions(network=network, offload=offload), sensitivity=sensitivity,
        timeout_s=float(timeout) if timeout is not None else None, accepts=accepts.strip(),
        entry_point=entry_point, distribution=distribution, root=root, adapters=adapters,
    )


def _model_field(model: Any, fail) -> tuple[str | None, tuple]:
    """``model``: a string (catalog name, ORG/REPO/FILE, "none"), or a table naming a base and
    the LoRA adapter(s) applied to it: {base = "...", adapter = "...", scale = 1.0} or
    {base = "...", adapters = ["NAME", {adapter = "NAME", scale = 0.5}, ...]}."""
    if isinstance(model, str):
        return (None if model.strip().lower() in _NO_MODEL else model.strip()), ()
    if not isinstance(model, Mapping):
        raise fail("'model' must be a string (a catalog name, ORG/REPO/FILE, or \"none\") or a table "
                   "{base = ..., adapter = ..., scale = ...}")
    from slm.adapters import MAX_ADAPTERS, AdapterRef, check_scale, from_table
    from slm.errors import UsageError

    unknown = set(model) - {"base", "adapter", "adapters", "scale"}
    if unknown:
        raise fail(f"model: unknown key(s) {', '.join(sorted(unknown))} (expected base, adapter(s), scale)")
    base = model.get("base")
    if not isinstance(base, str) or not base.strip() or base.strip().lower() in _NO_MODEL:
        raise fail("model.base must name the base model the adapter applies to")
    if "adapter" in model and "adapters" in model:
        raise fail("model: give adapter (one) or adapters (a list), not both")
    try:
        if "adapter" in model:
            name = model["adapter"]
            if not isinstance(name, str) or not name.strip():
                raise fail("model.adapter must name a LoRA adapter (catalog name, ORG/REPO/FILE.gguf or a path)")
            refs: list = [AdapterRef(name.strip(), check_scale(model.get("scale", 1.0), "model.scale"))]
        elif "adapters" in model:
            if "scale" in model:
                raise fail("model.scale goes with model.adapter; give each of model.adapters its own scale")
            items = model["adapters"]
            if not isinstance(items, list) or not items:
                raise fail("model.adapters must be a non-empty list of adapter names or {adapter, scale} tables")
            refs = []
            for item in items:
                if isinstance(item, str) and item.strip():
                    refs.append(AdapterRef(item.strip()))
                elif isinstance(item, Mapping):
                    refs.append(from_table(item, "model.adapters entry"))
                else:
                    raise fail("model.adapters entries must be adapter names or {adapter, scale} tables")
        else:
            raise fail("model: a table form names an adapter (or adapters) for its base; "
                       "for the base alone write model = \"NAME\"")
    except UsageError as exc:
        raise fail(exc.message) from None
    if len(refs) > MAX_ADAPTERS:
        raise fail(f"model.adapters: at most {MAX_ADAPTERS} adapters can be stacked")
    if len({r.name for r in refs}) != len(refs):
        raise fail("model.adapters: an adapter is listed twice")
    return base.strip(), tuple(refs)


def _text(raw: Mapping[str, Any], key: str, fail) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"'{key}' must be a non-empty string")
    return value.strip()


def info_to_dict(info: PluginInfo, *, examples: bool = True) -> dict[str, Any]:
    """JSON-ready form used by `slm plugins list/info --json`."""
    out: dict[str, Any] = {
        "name": info.name,
        "version": info.version,
        "description": info.description,
        "model": info.model,
        "adapters": [a.to_dict() for a in info.adapters],
        "permissions": {"network": info.permissions.network, "offload": info.permissions.offload},
        "sensitivity": info.sensitivity,
        "timeout_s": info.timeout_s,
        "accepts": info.accepts or None,
        "entry_point": info.entry_point,
        "distribution": info.distribution,
        "root": str(info.root) if info.root else None,
    }
    if examples:
        out["examples"] = list(info.examples)
    else:
        out["n_examples"] = len(info.examples)
    return out

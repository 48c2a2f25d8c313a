"""Which installed plugins declare which stored LoRA adapters (and on which base).

The store lists an adapter with the base(s) it is declared for and keeps `slm models rm`
from deleting an adapter a plugin still needs (unless --force). Plugins are read from
their plugin.toml through discovery: no plugin code is imported.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from slm.errors import ModelInUseError
from slm.store.records import names_of

if TYPE_CHECKING:
    from slm.plugins.sdk import PluginInfo
    from slm.store.model_store import ModelStore


def declarations(plugins: Iterable["PluginInfo"] | None = None) -> list[tuple[str, str | None, str]]:
    """(plugin, base, adapter name) for every adapter a usable plugin declares."""
    if plugins is None:
        from slm.host.discovery import discover

        plugins = [d.info for d in discover() if d.problem is None]
    return [(info.name, info.model, ref.name) for info in plugins for ref in info.adapters]


def names(store: "ModelStore", key: str, rec: dict) -> set[str]:
    """Every name a stored record answers to: its key, its names, its file's path."""
    return {key, *names_of(rec), str(store.root / rec["path"])}


def _declares(store: "ModelStore", adapter: str, known: set[str]) -> bool:
    if adapter in known:
        return True
    try:
        return str(Path(adapter).expanduser().resolve()) in known
    except OSError:
        return False


def users(store: "ModelStore", key: str, rec: dict, plugins=None) -> list[tuple[str, str | None]]:
    """(plugin, base) of each plugin that declares the stored adapter ``key``."""
    known = names(store, key, rec)
    return [(plugin, base) for plugin, base, adapter in declarations(plugins) if _declares(store, adapter, known)]


def refuse_if_declared(store: "ModelStore", name: str, records: list, plugins=None) -> None:
    found = sorted({plugin for key, rec, _v in records for plugin, _base in users(store, key, rec, plugins)})
    if found:
        raise ModelInUseError(f"adapter {name} is declared by plugin(s) {', '.join(found)}; it was not removed",
                              hint=f"uninstall or change those plugins first, or run: slm models rm --force {name}")


def memory_plan(store: "ModelStore", plugins=None) -> list[dict]:
    """RAM the installed adapter plugins need, per base: the base once plus each adapter's
    size (what slm's model cache holds), beside one merged full copy per plugin."""
    by_base: dict[str, dict] = {}
    for plugin, base, adapter in declarations(plugins):
        if not base:
            continue
        entry = by_base.setdefault(base, {"base": base, "plugins": [], "adapters": {}})
        if plugin not in entry["plugins"]:
            entry["plugins"].append(plugin)
        entry["adapters"].setdefault(adapter, None)
    plan = []
    for base, entry in sorted(by_base.items()):
        base_bytes = _ram_if_present(store, base)
        adapters = [{"adapter": name, "size_bytes": _ram_if_present(store, name)} for name in entry["adapters"]]
        known = [a["size_bytes"] for a in adapters if a["size_bytes"] is not None]
        complete = base_bytes is not None and len(known) == len(adapters)
        plan.append({"base": base, "base_bytes": base_bytes, "plugins": entry["plugins"], "adapters": adapters,
                     "total_bytes": base_bytes + sum(known) if complete else None,
                     "separate_copies_bytes": base_bytes * len(entry["plugins"]) if base_bytes is not None else None})
    return plan


def _ram_if_present(store: "ModelStore", name: str) -> int | None:
    from slm.errors import SlmError

    try:
        if not store.is_present(name):
            return None
        return store.resolve_local(name).ram_bytes
    except SlmError:
        return None

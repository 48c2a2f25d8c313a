"""Listing the store: catalog entries and stored files as rows, and one model's facts.

Rows say whether a file is a LoRA adapter and which base installed plugins (or its
catalog entry) apply it to. Used through ModelStore.list / ModelStore.info.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slm.store.catalog import CatalogEntry, ModelRef
from slm.store.records import checked_against, kind_of

if TYPE_CHECKING:
    from slm.store.model_store import ModelStore


def list_models(store: "ModelStore", *, present_only: bool = False) -> list[dict]:
    """Catalog entries (present or not) and every stored file no entry claims."""
    manifest = store.read_manifest()
    rows: list[dict] = []
    claimed: set[str] = set()
    for entry in store.catalog:
        ref = ModelRef(name=entry.name, kind="catalog", entry=entry)
        records = store._records_for(ref, manifest)
        claimed.update(k for k, _r, _v in records)
        if records:
            key, rec, v = records[0]
            rows.append(_row(store, entry.name, "catalog", rec, v.quant if v else rec.get("quant"), entry))
        elif not present_only:
            rows.append({"name": entry.name, "kind": "catalog", "present": False, "status": "absent",
                         "format": entry.format, "variant": None, "size_bytes": None, "path": None,
                         "sha256": None, "verified": None, "checked_against": None,
                         "description": entry.description, "adapter": entry.base is not None, "base": entry.base})
    for key, rec in sorted(manifest.items()):
        if key not in claimed:
            rows.append(_row(store, key, "hub", rec, rec.get("quant"), None))
    return rows


def _row(store: "ModelStore", name: str, kind: str, rec: dict, quant: str | None, entry: CatalogEntry | None) -> dict:
    path = store.root / rec["path"]
    status = rec.get("status", "ok")
    if status == "ok" and not path.is_file():
        status = "missing"
    return {"name": name, "kind": kind, "present": status == "ok", "status": status, "format": rec.get("format"),
            "variant": quant, "size_bytes": rec.get("size"), "path": str(path), "sha256": rec.get("sha256"),
            "verified": checked_against(rec) is not None, "checked_against": checked_against(rec),
            "description": entry.description if entry else "", "adapter": kind_of(rec) == "adapter",
            "base": (entry.base if entry else None) or declared_base(store, name, rec)}


def declared_base(store: "ModelStore", key: str, rec: dict) -> str | None:
    """The base(s) installed plugins apply a stored adapter to ("a, b"), None for a model."""
    if kind_of(rec) != "adapter":
        return None
    from slm.store.adapter_use import users

    bases = sorted({base for _plugin, base in users(store, key, rec, store._plugins) if base})
    return ", ".join(bases) or None


def model_info(store: "ModelStore", name: str) -> dict:
    """What the catalog says about ``name`` and what of it is on this device."""
    ref = store._ref(name)
    out: dict[str, Any] = {"name": name, "kind": ref.kind}
    if ref.kind == "path":
        out["local"] = store._path_model(ref).to_dict()
        return out
    if ref.entry is not None:
        out["catalog"] = ref.entry.to_dict()
    if ref.hub is not None:
        out["hub"] = {"repo": ref.hub.repo, "file": ref.hub.file, "revision": ref.hub.revision}
    records = store._records_for(ref, store.read_manifest())
    out["present"] = store.is_present(name)
    out["local"] = [dict(rec, key=key, path=str(store.root / rec["path"])) for key, rec, _v in records]
    bases = {(ref.entry.base if ref.entry else None) or declared_base(store, key, rec) for key, rec, _v in records}
    out["base"] = ", ".join(sorted(b for b in bases if b)) or None
    return out

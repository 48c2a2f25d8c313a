"""``slm models import FILE.gguf [--name NAME]``: register a model file from this device in the store.

The file is copied into the store while it is hashed (the copy is what gets
checked, so a file that changes during the copy cannot slip through), checked as
a GGUF, and recorded like a pulled file. When its sha256 is the one a catalog
variant publishes, it lands where ``slm models pull`` would put that variant, so
the catalog name works at once (``smollm2-135m-instruct``). Any other file is
stored under ``local/<sha256 prefix>/<file name>`` and named ``NAME`` (default:
the file's stem in lower case); that name then works everywhere a model name does
(``--model``, ``[plugins.notes] model``, ``[inference] general_model``).
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from slm.errors import CorruptModelError, UsageError
from slm.store.catalog import HubFile, Variant

if TYPE_CHECKING:  # pragma: no cover
    from slm.store.model_store import ModelStore

_CHUNK = 8 * 1024 * 1024
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def default_name(path: Path) -> str:
    """``SmolLM2-135M-Instruct.Q4_1.gguf`` -> ``smollm2-135m-instruct.q4_1``."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    return stem or "imported-model"


def _catalog_variant(store: ModelStore, sha256: str) -> tuple[str, Variant] | None:
    for entry in store.catalog:
        for variant in entry.variants:
            if variant.sha256 == sha256 and variant.hub.format == "gguf":
                return entry.name, variant
    return None


def import_gguf(store: ModelStore, path: Path, name: str | None = None) -> dict:
    """Hash, check and store ``path``; returns {name, source, sha256, size, path, catalog, already_present}."""
    from slm.store.gguf_check import GGUF_MAGIC, check_model_file
    from slm.store.hub import check_disk

    path = Path(path)
    if name is not None:
        name = name.strip()
        if not _NAME.match(name):
            raise UsageError(f"bad model name {name!r}",
                             hint="use lower-case letters, digits, '.', '-' and '_' (at most 100)")
    if not path.is_file():
        raise UsageError(f"no model file at {path}")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if magic != GGUF_MAGIC:
        raise CorruptModelError(f"{path.name} is not a GGUF model file", hint="slm models import takes a .gguf or a .slmpack")
    size = path.stat().st_size
    store.partial_dir.mkdir(parents=True, exist_ok=True)
    check_disk(store.partial_dir, size, store._disk_free)
    tmp = store.partial_dir / f"import-{os.getpid()}-{path.name[:80]}.part"
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        info = check_model_file(tmp, "gguf")
        known = _catalog_variant(store, sha)
        if known is not None:
            catalog_name, variant = known
            hub, quant = variant.hub, variant.quant
            names = sorted({catalog_name, *([name] if name else [])})
        else:
            catalog_name, quant = None, None
            hub = HubFile(f"local/{sha[:12]}", path.name if path.suffix.lower() == ".gguf" else f"{path.name}.gguf")
            names = [name or default_name(path)]
        _refuse_taken_names(store, names, hub.spec)
        with store.lock(hub.spec):
            present = store.read_manifest().get(hub.spec)
            already = bool(present and present.get("sha256") == sha and store.is_present(hub.spec))
            if already:
                store.add_record(hub.spec, {**present, "names": names})
                record = store.read_manifest()[hub.spec]
            else:
                record = store.install(hub, tmp, revision=hub.revision, sha256=sha, size=size, names=names,
                                       quant=quant, source="import", imported_from=str(path.resolve()),
                                       context_length=info.context_length if info else None)
        return {"name": names[0] if not catalog_name else catalog_name, "names": record.get("names", names),
                "source": hub.spec, "sha256": sha, "size_bytes": size, "path": str(store.root / record["path"]),
                "catalog": catalog_name, "already_present": already}
    finally:
        tmp.unlink(missing_ok=True)


def _refuse_taken_names(store: ModelStore, names: list[str], key: str) -> None:
    """A name must mean one file: refuse one that already names another stored model."""
    for other_key, rec in store.read_manifest().items():
        if other_key == key:
            continue
        taken = set(names) & set(rec.get("names", ()))
        if taken:
            which = min(taken)
            raise UsageError(f"the name {which!r} already names {other_key}",
                             hint=f"pick another with --name, or first: slm models rm {which}")

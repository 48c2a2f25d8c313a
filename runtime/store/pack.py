"""Offline model packs: carry models to devices with no network.

A pack is one uncompressed tar (model files do not compress; tar streams and
is readable everywhere) holding ``slm-pack.json`` first — format, version and,
per model, its names, source, size and sha256 — then the model files under
``models/<sha256>/<file name>``.

Import verifies every file's size and sha256 (and the GGUF structure) into
temporary files first and installs only when all of them passed, so a bad or
truncated pack leaves nothing half-installed. Member names are never used as
paths on disk (no path traversal).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

from slm.errors import CorruptModelError, PackError, SlmError

if TYPE_CHECKING:
    from slm.store.model_store import ModelStore

PACK_FORMAT = "slm-model-pack"
PACK_VERSION = 1
MANIFEST_NAME = "slm-pack.json"
_CHUNK = 8 * 1024 * 1024


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile while hashing it, so export re-verifies what it packs."""

    def __init__(self, fh):
        self.fh, self.digest, self.count = fh, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        self.count += len(data)
        return data


def export_pack(store: "ModelStore", names: list[str], out: Path, *, progress: bool = False) -> dict:
    """Write the named (present, verified) models into one pack at ``out``."""
    if not names:
        raise PackError("name at least one model to export")
    chosen: dict[str, dict] = {}
    for name in names:
        local = store.resolve_local(name)  # raises if absent or corrupt
        if local.source is None:
            raise PackError(f"{name} is a file outside the model store; pull or import it before exporting")
        rec = store.read_manifest()[local.source]
        entry = chosen.setdefault(local.source, {
            "source": local.source, "repo": rec.get("repo"), "file": rec.get("file"), "revision": rec.get("revision"),
            "commit": rec.get("commit"), "format": local.format, "size": local.size_bytes, "sha256": local.sha256,
            "checked_against": local.checked_against,
            "quant": local.variant, "context_length": rec.get("context_length"), "names": set(rec.get("names", [])),
            "path": local.path,
        })
        if store.catalog.get(name.partition(":")[0]) is not None:
            entry["names"].add(name.partition(":")[0])
    models = []
    for entry in chosen.values():
        entry["member"] = f"models/{entry['sha256']}/{Path(entry['file']).name}"
        entry["names"] = sorted(entry["names"])
        models.append(entry)
    manifest = {"format": PACK_FORMAT, "version": PACK_VERSION,
                "models": [{k: v for k, v in m.items() if k != "path"} for m in models]}
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for m in models:
                info = tarfile.TarInfo(m["member"])
                info.size = m["size"]
                with open(m["path"], "rb") as fh:
                    reader = _HashingReader(fh)
                    tar.addfile(info, reader)
                if reader.count != m["size"] or reader.digest.hexdigest() != m["sha256"]:
                    raise CorruptModelError(f"{m['source']} changed on disk since it was verified",
                                            hint="run: slm models verify")
        os.replace(tmp, out)
    except OSError as exc:  # unwritable folder, disk full, a folder named like the pack: the user's to fix
        _unlink_quietly(tmp)
        raise PackError(f"cannot write the pack {out}: {exc.strerror or exc}", hint="pick another -o path") from None
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return {"pack": str(out), "size_bytes": out.stat().st_size,
            "models": [{"source": m["source"], "names": m["names"], "sha256": m["sha256"], "size_bytes": m["size"]}
                       for m in models]}


def _read_manifest(tar: tarfile.TarFile) -> dict:
    member = tar.next()
    if member is None or member.name != MANIFEST_NAME or not member.isfile():
        raise PackError(f"not an slm model pack (no {MANIFEST_NAME} at its start)")
    fh = tar.extractfile(member)
    assert fh is not None
    try:
        manifest = json.loads(fh.read(1 << 22))
    except ValueError as exc:
        raise PackError(f"the pack's {MANIFEST_NAME} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != PACK_FORMAT:
        raise PackError("not an slm model pack (wrong format field)")
    if manifest.get("version") != PACK_VERSION:
        raise PackError(f"pack version {manifest.get('version')!r} is not supported (this slm reads {PACK_VERSION})")
    models = manifest.get("models")
    if not isinstance(models, list) or not models:
        raise PackError("the pack lists no models")
    from slm.store.catalog import SHA256_HEX, parse_spec

    for m in models:
        if not isinstance(m, dict) or not isinstance(m.get("sha256"), str) or not SHA256_HEX.match(m["sha256"]):
            raise PackError("the pack's manifest has an entry without a valid sha256")
        if not isinstance(m.get("size"), int) or m["size"] < 0 or not isinstance(m.get("member"), str):
            raise PackError(f"the pack's entry for {m.get('source')!r} lacks its size or member name")
        hub = parse_spec(str(m.get("source", "")))
        if hub is None or m.get("format") != hub.format:
            raise PackError(f"the pack's entry {m.get('source')!r} is not an ORG/REPO/FILE model file")
        names = m.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise PackError(f"the pack's entry for {m['source']!r} has names that are not a list of names")
        if m.get("checked_against") is not None and not isinstance(m["checked_against"], str):
            raise PackError(f"the pack's entry for {m['source']!r} has a damaged checked_against field")
    return manifest


def _check_claims(store: "ModelStore", m: dict, require_verified: bool | None) -> None:
    """A pack entry may not take a pinned catalog name with other bytes, nor bring unverified ones."""
    for name in m.get("names", []):
        entry = store.catalog.get(name)
        pinned = {v.sha256 for v in entry.variants if v.sha256} if entry else set()
        if pinned and m["sha256"] not in pinned:
            raise PackError(f"the pack's {m['source']} claims the catalog name {name}, whose catalog entry pins "
                            f"other bytes (sha256 {sorted(pinned)[0][:12]}…); nothing was imported")
    if not m.get("checked_against") and require_verified is not False:
        raise PackError(f"the pack's {m['source']} was never checked against a published hash (unverified where "
                        "it was pulled); nothing was imported",
                        hint="to import it anyway: SLM_REQUIRE_VERIFIED=0 slm models import PACK")


def import_pack(store: "ModelStore", pack: Path) -> dict:
    """Verify every model in ``pack`` and install them all, or install nothing (PackError)."""
    from slm.store.catalog import parse_spec
    from slm.store.gguf_check import check_model_file
    from slm.store.hub import check_disk

    if not pack.is_file():
        raise PackError(f"no pack at {pack}")
    staged: list[tuple[dict, Path]] = []
    skipped: list[str] = []
    store.partial_dir.mkdir(parents=True, exist_ok=True)
    try:
        try:
            with tarfile.open(pack, "r:") as tar:
                manifest = _read_manifest(tar)
                wanted = {m["member"]: m for m in manifest["models"]}
                for m in wanted.values():
                    _check_claims(store, m, store.settings.require_verified)
                present = store.read_manifest()
                check_disk(store.partial_dir, sum(m["size"] for m in wanted.values()
                                                  if present.get(m["source"], {}).get("sha256") != m["sha256"]),
                           store._disk_free)
                for member in tar:
                    m = wanted.pop(member.name, None)
                    if m is None:
                        continue
                    if not member.isfile() or member.size != m["size"]:
                        raise PackError(f"{m['source']} in the pack has the wrong size or type")
                    rec = present.get(m["source"])
                    if rec and rec.get("sha256") == m["sha256"] and store.is_present(m["source"]):
                        skipped.append(m["source"])
                        continue
                    tmp = store.partial_dir / f"import-{m['sha256'][:32]}.{os.getpid()}.part"
                    staged.append((m, tmp))
                    src = tar.extractfile(member)
                    assert src is not None
                    digest, count = hashlib.sha256(), 0
                    with open(tmp, "wb") as fh:
                        while chunk := src.read(_CHUNK):
                            digest.update(chunk)
                            count += len(chunk)
                            fh.write(chunk)
                        fh.flush()
                        os.fsync(fh.fileno())
                    if count != m["size"] or digest.hexdigest() != m["sha256"]:
                        raise PackError(f"{m['source']} in the pack fails its sha256 check; nothing was imported")
                    try:
                        m["_info"] = check_model_file(tmp, m["format"])
                    except CorruptModelError as exc:
                        raise PackError(f"{m['source']} in the pack is not a sound model file ({exc.message})") from None
                if wanted:
                    missing = ", ".join(sorted(m["source"] for m in wanted.values()))
                    raise PackError(f"the pack is incomplete: {missing} missing; nothing was imported")
        except (tarfile.TarError, EOFError) as exc:
            raise PackError(f"{pack.name} is not a readable pack ({exc}); nothing was imported") from None
        except OSError as exc:
            if isinstance(exc, SlmError):
                raise
            raise PackError(f"cannot read {pack}: {exc.strerror or exc}; nothing was imported") from None
        # Everything verified: install.
        imported = []
        for m, tmp in staged:
            hub = parse_spec(m["source"])
            assert hub is not None
            info = m.get("_info")
            with store.lock(hub.spec):
                store.install(hub, tmp, revision=m.get("revision") or hub.revision, commit=m.get("commit"),
                              sha256=m["sha256"], size=m["size"], names=sorted(str(n) for n in m.get("names") or []),
                              quant=m.get("quant"), source="pack", checked_against=m.get("checked_against"),
                              context_length=(info.context_length if info else None) or m.get("context_length"))
            imported.append(m["source"])
        staged.clear()
        return {"pack": str(pack), "imported": imported, "skipped": skipped}
    finally:
        for _m, tmp in staged:
            tmp.unlink(missing_ok=True)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # its folder may not exist or be writable: nothing was left there then

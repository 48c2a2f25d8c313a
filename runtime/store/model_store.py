"""The model store: which models are on this device, pulling, verifying, removing.

Layout under ``settings.models_dir``::

    manifest.json               every stored file: sha256 (verified), size, mtime, names, status
    hub/ORG/REPO/FILE           the model files (a file only lands here after verification)
    .partial/KEY.part           downloads in progress (resumable)
    .locks/KEY.lock             one lock per model file: concurrent pulls wait, never interleave

``resolve_local`` never touches the network and never hashes gigabytes on the
hot path: a file whose size and mtime match its manifest record was verified
when it arrived (or by ``verify``); a file that changed since is re-hashed
before use, and a corrupt one raises CorruptModelError instead of reaching
llama.cpp.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from slm.atomic_file import write_atomic
from slm.config import Settings
from slm.errors import (
    CorruptModelError,
    ModelError,
    ModelNotPresentError,
    UnknownModelError,
    UsageError,
)
from slm.store.catalog import (
    Catalog,
    CatalogEntry,
    HubFile,
    ModelRef,
    Variant,
    format_of,
    load_catalog,
    resolve_name,
)
from slm.store.records import checked_against, key_hash, kind_of, names_of, sanitized

MANIFEST_VERSION = 1
_MiB = 1024 * 1024


@dataclass
class LocalModel:
    name: str  # the name the user gave (catalog name, ORG/REPO/FILE, or a path)
    path: Path  # the model file on disk (verified)
    format: str  # "gguf" | "onnx"
    size_bytes: int
    ram_bytes: int | None  # RAM needed to run it (catalog, or estimated from size)
    context_length: int | None  # from the catalog / GGUF metadata if known
    sha256: str | None = None  # verified hash (None for a path outside the store)
    variant: str | None = None  # catalog variant (quant) when the name is a catalog name
    source: str | None = None  # ORG/REPO/FILE for stored models, None for paths
    # what vouches for the bytes (see hub.Fetched.checked_against); None: unverified or a plain path
    checked_against: str | None = None
    kind: str = "model"  # GGUF general.type: "model", or "adapter" (a LoRA adapter, applied to a base)

    @property
    def unverified(self) -> bool:
        """A stored file that no published hash vouches for (a plain path is neither)."""
        return self.source is not None and self.checked_against is None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path)
        data["verified"] = not self.unverified if self.source is not None else None
        return data


def estimate_ram(size_bytes: int, fmt: str) -> int:
    """RAM to run a model when the catalog does not say: weights + KV cache/buffers (rough, errs high)."""
    if fmt == "gguf":
        return int(size_bytes * 1.15) + 128 * _MiB
    return int(size_bytes * 1.5) + 64 * _MiB


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class ModelStore:
    def __init__(self, settings: Settings, *, catalog: Catalog | None = None,
                 memory: Callable[[], tuple[int, int]] | None = None,
                 disk_free: Callable[[Path], int] | None = None, plugins: Any = None):
        self.settings = settings
        self._plugins = plugins  # PluginInfos declaring adapters (None: the installed plugins)
        self.root = Path(settings.models_dir)
        self._catalog = catalog
        self._memory = memory  # () -> (total, available) bytes; slm.device.memory by default
        self._disk_free = disk_free  # path -> free bytes; shutil.disk_usage by default (tests inject)

    # --- basics ---------------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog(home=self.settings.home)
        return self._catalog

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def partial_dir(self) -> Path:
        return self.root / ".partial"

    def file_path(self, hub: HubFile) -> Path:
        return self.root / "hub" / hub.repo / hub.file

    def lock(self, key: str):
        from filelock import FileLock

        (self.root / ".locks").mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.root / ".locks" / f"{key_hash(key)}.lock"))

    def read_manifest(self) -> dict[str, dict]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise CorruptModelError(f"the model store manifest {self.manifest_path} is unreadable ({exc})",
                                    hint="move it away and pull or import the models again") from None
        models = data.get("models") if isinstance(data, dict) else None
        if not isinstance(models, dict):
            return {}
        return {str(key): sanitized(str(key), rec) for key, rec in models.items()}

    def update_manifest(self, change: Callable[[dict[str, dict]], None]) -> dict[str, dict]:
        """Read-modify-write the manifest under its lock; written atomically (temp file + rename)."""
        from filelock import FileLock

        self.root.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.root / ".manifest.lock")):
            models = self.read_manifest()
            change(models)
            write_atomic(self.manifest_path,
                         json.dumps({"version": MANIFEST_VERSION, "models": models}, indent=1, sort_keys=True))
        return models

    # --- lookup -----------------------------------------------------------------
    def _ref(self, name: str) -> ModelRef:
        try:
            return resolve_name(self.catalog, name)
        except UnknownModelError:
            # A name this device's catalog lacks, but a stored model carries (imported from a pack).
            if isinstance(name, str) and any(name.strip() in r.get("names", ()) for r in self.read_manifest().values()):
                return ModelRef(name=name.strip(), kind="stored")
            raise

    def _records_for(self, ref: ModelRef, manifest: dict[str, dict]) -> list[tuple[str, dict, Variant | None]]:
        """Stored records that satisfy ``ref``, best first."""
        found: list[tuple[str, dict, Variant | None]] = []
        if ref.kind == "catalog":
            assert ref.entry is not None
            # A catalog entry that pins hashes names those bytes and no others, whatever a
            # pack or an import claims: a record under its hub path or carrying its name
            # must have one of the pinned hashes.
            pinned = {v.sha256 for v in ref.entry.variants if v.sha256}
            for v in ref.candidates:
                rec = manifest.get(v.hub.spec)
                if rec is not None and (v.sha256 is None or rec.get("sha256") == v.sha256):
                    found.append((v.hub.spec, rec, v))
            if not found and ref.forced is None:  # e.g. imported from a pack made with another catalog
                found += [(k, r, None) for k, r in manifest.items() if ref.name in names_of(r)
                          and (not pinned or r.get("sha256") in pinned)]
        elif ref.kind == "stored":
            found += [(k, r, None) for k, r in manifest.items() if ref.name in names_of(r)]
        elif ref.kind == "spec":
            assert ref.hub is not None
            rec = manifest.get(ref.hub.spec)
            if rec is not None:
                found.append((ref.hub.spec, rec, None))
        return found

    def _local(self, ref: ModelRef, key: str, rec: dict, variant: Variant | None) -> LocalModel:
        fmt = rec.get("format") or format_of(key) or "gguf"
        size = int(rec["size"])
        ram = variant.ram_bytes if variant and variant.ram_bytes else size if kind_of(rec) == "adapter" \
            else estimate_ram(size, fmt)
        ctx = (ref.entry.context_length if ref.entry and ref.entry.context_length else None) or rec.get("context_length")
        return LocalModel(name=ref.name, path=self.root / rec["path"], format=fmt, size_bytes=size, ram_bytes=ram,
                          context_length=ctx, sha256=rec.get("sha256"),
                          variant=variant.quant if variant else rec.get("quant"), source=key,
                          checked_against=checked_against(rec), kind=kind_of(rec))

    def _check_record(self, key: str, rec: dict, name: str) -> None:
        """Raise if the stored file is missing or not the verified bytes. Re-hashes only a file that changed."""
        path = self.root / rec["path"]
        if rec.get("status") == "damaged":
            raise CorruptModelError(f"model {name}: {rec.get('reason')}", hint=f"run: slm models rm {name}")
        if rec.get("status") == "corrupt":
            raise CorruptModelError(f"model {name} ({path.name}) is corrupt: {rec.get('reason') or 'hash mismatch'}",
                                    hint=f"run: slm models rm {name} && slm models pull {name}")
        try:
            st = path.stat()
        except FileNotFoundError:
            raise ModelNotPresentError(f"model {name} is not on this device (its file {path} is gone)",
                                       hint=f"run: slm models pull {name}") from None
        if st.st_size != rec["size"]:
            reason = f"size {st.st_size} bytes, expected {rec['size']}"
            self._mark(key, "corrupt", reason)
            raise CorruptModelError(f"model {name} ({path.name}) is corrupt: {reason}",
                                    hint=f"run: slm models rm {name} && slm models pull {name}")
        if st.st_mtime_ns != rec.get("mtime_ns"):
            status, reason = self._verify_file(path, rec)
            self._mark(key, status, reason, mtime_ns=st.st_mtime_ns)
            if status != "ok":
                raise CorruptModelError(f"model {name} ({path.name}) is corrupt: {reason}",
                                        hint=f"run: slm models rm {name} && slm models pull {name}")

    def _verify_file(self, path: Path, rec: dict) -> tuple[str, str | None]:
        from slm.store.gguf_check import check_model_file
        from slm.store.hub import file_sha256

        if not path.exists():
            return "missing", "the file is gone"
        size = path.stat().st_size
        if size != rec["size"]:
            return "corrupt", f"size {size} bytes, expected {rec['size']}"
        sha = file_sha256(path)
        if rec.get("sha256") and sha != rec["sha256"]:
            return "corrupt", f"sha256 {sha[:12]}… does not match the verified {rec['sha256'][:12]}…"
        try:
            check_model_file(path, rec.get("format") or "gguf")
            if kind_of(rec) == "adapter":
                from slm.store.adapter_check import check_adapter

                check_adapter(path)
        except ModelError as exc:  # CorruptModelError, or an adapter file that is no longer one
            return "corrupt", exc.message
        return "ok", None

    def _mark(self, key: str, status: str, reason: str | None, **extra: Any) -> None:
        def change(models: dict[str, dict]) -> None:
            if key in models:
                models[key].update(status=status, reason=reason, **extra)
        self.update_manifest(change)

    def _path_model(self, ref: ModelRef) -> LocalModel:
        from slm.store.gguf_check import CheckCache, check_model_file

        assert ref.path is not None
        fmt = format_of(ref.path.name) or "gguf"
        info = check_model_file(ref.path, fmt, cache=CheckCache(self.settings.cache_dir / "model_checks.json"))
        size = ref.path.stat().st_size
        kind = info.kind if info else "model"
        return LocalModel(name=ref.name, path=ref.path, format=fmt, size_bytes=size,
                          ram_bytes=size if kind == "adapter" else estimate_ram(size, fmt),
                          context_length=info.context_length if info else None, kind=kind)

    # --- the interface ----------------------------------------------------------------
    def resolve_local(self, name: str) -> LocalModel:
        """The verified local file for ``name``. Never touches the network."""
        ref = self._ref(name)
        if ref.kind == "path":
            return self._path_model(ref)
        records = self._records_for(ref, self.read_manifest())
        if not records:
            raise ModelNotPresentError(f"model {name} is not on this device", hint=f"run: slm models pull {name}")
        first_error: Exception | None = None
        for key, rec, variant in records:  # best present variant that is sound
            try:
                self._check_record(key, rec, name)
            except (CorruptModelError, ModelNotPresentError) as exc:
                first_error = first_error or exc
                continue
            return self._local(ref, key, rec, variant)  # _check_record only touches status/mtime, not what _local reads
        assert first_error is not None
        raise first_error

    def is_present(self, name: str) -> bool:
        """A sound copy is on this device (cheap: no hashing, no network)."""
        try:
            ref = self._ref(name)
        except UnknownModelError:
            return False
        if ref.kind == "path":
            return True
        for _key, rec, _v in self._records_for(ref, self.read_manifest()):
            path = self.root / rec["path"]
            if rec.get("status", "ok") == "ok" and path.is_file() and path.stat().st_size == rec["size"]:
                return True
        return False

    def choose_variant(self, entry: CatalogEntry) -> Variant:
        """The best variant whose RAM need fits the RAM available now (else the smallest one)."""
        if self._memory is None:
            from slm.device import memory as device_memory

            self._memory = device_memory
        _total, available = self._memory()

        def need(v: Variant) -> int:
            return v.ram_bytes or estimate_ram(v.size_bytes or 0, entry.format)

        for v in entry.variants:
            if need(v) <= available:
                return v
        return min(entry.variants, key=need)

    def pull(self, name: str, *, progress: bool = True) -> LocalModel:
        """Make ``name`` present: a no-op (and no network) when it already is; else download and verify."""
        from slm.store import hub as hubmod
        from slm.store.gguf_check import check_model_file

        ref = self._ref(name)
        if ref.kind == "path":
            return self._path_model(ref)
        try:
            return self.resolve_local(name)
        except (ModelNotPresentError, CorruptModelError):
            pass
        if ref.kind == "stored":  # known only from the manifest: nothing to download it from
            return self.resolve_local(name)
        if ref.kind == "catalog":
            assert ref.entry is not None
            variant: Variant | None = ref.forced or self.choose_variant(ref.entry)
            hub, expected = variant.hub, variant.sha256
        else:
            assert ref.hub is not None
            variant, hub, expected = None, ref.hub, None
        with self._locked(hub.spec, name, progress):
            manifest = self.read_manifest()
            rec = manifest.get(hub.spec)
            if rec is not None:  # pulled by someone else while we waited, or corrupt: check / replace
                try:
                    self._check_record(hub.spec, rec, name)
                    return self._local(ref, hub.spec, rec, variant)
                except (CorruptModelError, ModelNotPresentError):
                    self._forget(hub.spec)
            if self.settings.hf_offline:
                raise hubmod.offline_error(name, self.settings)
            remote = hubmod.fetch_metadata(self.settings, hub, name)
            fetched = hubmod.fetch(self.settings, remote, self.partial_dir, name=name, expected_sha256=expected,
                                   progress=progress, disk_free=self._disk_free)
            try:
                info = check_model_file(fetched.part, hub.format)
            except CorruptModelError:
                fetched.part.unlink(missing_ok=True)
                raise
            record = self.install(hub, fetched.part, revision=hub.revision, commit=remote.commit,
                                  sha256=fetched.sha256, size=fetched.size, checked_against=fetched.checked_against,
                                  names=[ref.entry.name] if ref.entry else [], quant=variant.quant if variant else None,
                                  context_length=info.context_length if info else None, source="hub")
            return self._local(ref, hub.spec, record, variant)

    def install(self, hub: HubFile, verified: Path, **fields: Any) -> dict:
        """Move ``verified`` bytes (hashed and checked by the caller, who holds ``hub``'s lock) into
        place and record them in the manifest; ``fields`` are the record's provenance (sha256, size,
        names, source, ...). Pull and pack import both land files this way."""
        final = self.file_path(hub)
        final.parent.mkdir(parents=True, exist_ok=True)
        if "kind" not in fields and hub.format == "gguf":  # an adapter is listed, removed and packed as one
            from slm.store.gguf_check import check_gguf

            fields["kind"] = check_gguf(verified).kind
        os.replace(verified, final)
        record = {"repo": hub.repo, "file": hub.file, "format": hub.format, "path": str(final.relative_to(self.root)),
                  "mtime_ns": final.stat().st_mtime_ns, "status": "ok", "reason": None, "added": _now(), **fields}
        self.add_record(hub.spec, record)
        return record

    def add_record(self, key: str, record: dict) -> None:
        def change(models: dict[str, dict]) -> None:
            old = models.get(key)
            if old:
                record["names"] = sorted(set(record.get("names", [])) | set(old.get("names", [])))
            models[key] = record
        self.update_manifest(change)

    def _forget(self, key: str) -> None:
        self.update_manifest(lambda models: models.pop(key, None))

    @contextmanager
    def _locked(self, key: str, name: str, progress: bool) -> Iterator[None]:
        """Hold ``key``'s file lock; say so when another pull holds it and we wait."""
        from filelock import Timeout

        lock = self.lock(key)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if progress:
                print(f"waiting for another pull of {name} to finish…", file=sys.stderr)
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    # --- listing and housekeeping ---------------------------------------------------
    def list(self, *, present_only: bool = False) -> list[dict]:
        from slm.store.listing import list_models

        return list_models(self, present_only=present_only)

    def info(self, name: str) -> dict:
        from slm.store.listing import model_info

        return model_info(self, name)
    def rm(self, name: str, *, force: bool = False) -> list[str]:
        """Delete the stored file(s) for ``name``; returns their paths. An adapter a plugin
        declares is kept (ModelInUseError) unless ``force``."""
        ref = self._ref(name)
        if ref.kind == "path":
            raise UsageError(f"{name} is a file outside the model store; slm does not delete it")
        records = self._records_for(ref, self.read_manifest())
        if not records:
            raise ModelNotPresentError(f"model {name} is not on this device")
        if not force:
            from slm.store.adapter_use import refuse_if_declared

            refuse_if_declared(self, name, records, self._plugins)
        from slm.store.hub import drop_partials

        removed = []
        for key, rec, _v in records:
            with self.lock(key):
                path = self.root / rec["path"]
                path.unlink(missing_ok=True)
                drop_partials(self.partial_dir, HubFile(rec["repo"], rec["file"]))
                self._forget(key)
                removed.append(str(path))
                self._prune_dirs(path.parent)
        return removed

    def _prune_dirs(self, folder: Path) -> None:
        hub_root = self.root / "hub"
        while folder != hub_root and hub_root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def verify(self, names: list[str] | None = None) -> list[dict]:
        """Re-hash stored files (all, or those of ``names``); records and returns each one's status."""
        manifest = self.read_manifest()
        targets: list[tuple[str, str, dict]] = []
        if names:
            for name in names:
                ref = self._ref(name)
                if ref.kind == "path":
                    raise UsageError(f"{name} is a file outside the model store; nothing recorded to verify it against")
                records = self._records_for(ref, manifest)
                if not records:
                    raise ModelNotPresentError(f"model {name} is not on this device", hint=f"run: slm models pull {name}")
                targets += [(name, key, rec) for key, rec, _v in records]
        else:
            for key, rec in sorted(manifest.items()):
                targets.append(((rec.get("names") or [key])[0], key, rec))
        results = []
        for label, key, rec in targets:
            path = self.root / rec["path"]
            if rec.get("status") == "damaged":  # nothing trustworthy to check the file against
                results.append({"name": label, "source": key, "path": str(path), "status": "damaged",
                                "reason": rec.get("reason"), "sha256": None})
                continue
            status, reason = self._verify_file(path, rec)
            extra = {"mtime_ns": path.stat().st_mtime_ns} if path.exists() else {}
            self._mark(key, status, reason, verified=_now(), **extra)
            results.append({"name": label, "source": key, "path": str(path), "status": status, "reason": reason,
                            "sha256": rec.get("sha256")})
        return results

    # --- offline packs (slm.store.pack does the work) ----------------------------------------
    def export_pack(self, names: list[str], out: Path, *, progress: bool = False) -> dict:
        from slm.store.pack import export_pack

        return export_pack(self, names, Path(out), progress=progress)

    def import_pack(self, pack: Path) -> dict:
        from slm.store.pack import import_pack

        return import_pack(self, Path(pack))

    def import_gguf(self, path: Path, name: str | None = None) -> dict:
        """Register a local .gguf file (hashed, checked, copied in); see slm.store.local_import."""
        from slm.store.local_import import import_gguf

        return import_gguf(self, Path(path), name)

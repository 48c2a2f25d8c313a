"""The model catalog and model names.

A model is named one of three ways, everywhere a model name is accepted:

* a catalog name (``qwen2.5-0.5b-instruct``), optionally with a variant
  (``qwen2.5-0.5b-instruct:q4_k_m``); the catalog ships as ``slm/models/catalog.toml``
  and ``$SLM_HOME/catalog.toml`` may add or override entries;
* a hub file ``ORG/REPO/FILE`` (FILE may contain folders, e.g. ``onnx/model.onnx``),
  optionally pinned as ``ORG/REPO/FILE@REVISION``;
* a filesystem path to a ``.gguf`` / ``.onnx`` file.

This module only parses and validates; it never touches the network or the store.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from slm.errors import ConfigError, UnknownModelError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMATS = ("gguf", "onnx")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")  # a sha256 as catalogs, hubs (LFS etag) and packs write it
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_REPO_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_MB = 1_000_000


def format_of(filename: str) -> str | None:
    suffix = Path(filename).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


@dataclass(frozen=True)
class HubFile:
    """One file in a hub repository."""

    repo: str  # ORG/REPO
    file: str  # path inside the repo
    revision: str = "main"

    @property
    def spec(self) -> str:
        """The store key and user-facing name: ORG/REPO/FILE (revision left out)."""
        return f"{self.repo}/{self.file}"

    @property
    def format(self) -> str:
        return format_of(self.file) or "unknown"


@dataclass(frozen=True)
class Variant:
    quant: str
    hub: HubFile
    sha256: str | None = None
    size_mb: float | None = None
    ram_mb: int | None = None

    @property
    def size_bytes(self) -> int | None:
        return int(self.size_mb * _MB) if self.size_mb is not None else None

    @property
    def ram_bytes(self) -> int | None:
        return int(self.ram_mb * _MB) if self.ram_mb is not None else None

    def to_dict(self) -> dict:
        return {"quant": self.quant, "repo": self.hub.repo, "file": self.hub.file, "revision": self.hub.revision,
                "sha256": self.sha256, "size_bytes": self.size_bytes, "ram_bytes": self.ram_bytes}


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    format: str
    variants: tuple[Variant, ...]
    description: str = ""
    family: str | None = None
    params: str | None = None
    context_length: int | None = None
    license: str | None = None
    tags: tuple[str, ...] = ()
    base: str | None = None  # set for a LoRA adapter entry: the base model its files apply to

    def variant(self, quant: str) -> Variant:
        for v in self.variants:
            if v.quant.lower() == quant.lower():
                return v
        known = ", ".join(v.quant for v in self.variants)
        raise UnknownModelError(f"model {self.name} has no variant {quant!r}", hint=f"variants: {known}")

    def to_dict(self) -> dict:
        return {"name": self.name, "format": self.format, "description": self.description, "family": self.family,
                "params": self.params, "context_length": self.context_length, "license": self.license,
                "tags": list(self.tags), "base": self.base, "variants": [v.to_dict() for v in self.variants]}


@dataclass
class Catalog:
    entries: dict[str, CatalogEntry] = field(default_factory=dict)

    def get(self, name: str) -> CatalogEntry | None:
        return self.entries.get(name.lower())

    def __iter__(self):
        return iter(self.entries.values())


def builtin_catalog_path() -> Path:
    import slm.models

    return Path(slm.models.__file__).resolve().parent / "catalog.toml"


def load_catalog(paths: Iterable[Path] | None = None, *, home: Path | None = None) -> Catalog:
    """The built-in catalog, then ``home/catalog.toml`` (if any); later entries override earlier ones."""
    if paths is None:
        paths = [builtin_catalog_path()]
        if home is not None and (Path(home) / "catalog.toml").is_file():
            paths.append(Path(home) / "catalog.toml")
    catalog = Catalog()
    for path in paths:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read model catalog {path}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"model catalog {path} is not valid TOML: {exc}") from None
        models = data.get("models", {})
        if not isinstance(models, dict):
            raise ConfigError(f"model catalog {path}: [models] must be a table")
        for name, raw in models.items():
            entry = _parse_entry(name, raw, path)
            catalog.entries[entry.name] = entry
    return catalog


def _parse_entry(name: str, raw: object, path: Path) -> CatalogEntry:
    where = f"model catalog {path}, entry {name!r}"
    if not _NAME.match(name):
        raise ConfigError(f"{where}: names are lower-case letters, digits, '.', '-' and '_'")
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    fmt = raw.get("format")
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: format must be one of {', '.join(FORMATS)}")
    raw_variants = raw.get("variants")
    if not isinstance(raw_variants, list) or not raw_variants:
        raise ConfigError(f"{where}: needs at least one [[variants]] table")
    variants = []
    for i, v in enumerate(raw_variants):
        vwhere = f"{where}, variant {i + 1}"
        if not isinstance(v, dict):
            raise ConfigError(f"{vwhere}: must be a table")
        for key in ("quant", "repo", "file"):
            if not isinstance(v.get(key), str) or not v[key].strip():
                raise ConfigError(f"{vwhere}: '{key}' is required (a string)")
        hub = parse_spec(f"{v['repo']}/{v['file']}")
        if hub is None or hub.repo != v["repo"]:
            raise ConfigError(f"{vwhere}: repo must be ORG/REPO and file a .gguf/.onnx path")
        if hub.format != fmt:
            raise ConfigError(f"{vwhere}: file {v['file']} is not a {fmt} file")
        sha = v.get("sha256")
        if sha is not None and (not isinstance(sha, str) or not SHA256_HEX.match(sha)):
            raise ConfigError(f"{vwhere}: sha256 must be 64 lower-case hex digits")
        revision = v.get("revision", "main")
        if sha is not None and "revision" not in v:
            raise ConfigError(f"{vwhere}: a sha256 needs the pinned revision it was published for")
        for key in ("size_mb", "ram_mb"):
            if key in v and (not isinstance(v[key], (int, float)) or isinstance(v[key], bool) or v[key] <= 0):
                raise ConfigError(f"{vwhere}: {key} must be a positive number")
        variants.append(Variant(quant=v["quant"], hub=HubFile(hub.repo, hub.file, str(revision)), sha256=sha,
                                size_mb=v.get("size_mb"), ram_mb=v.get("ram_mb")))
    quants = [v.quant.lower() for v in variants]
    if len(set(quants)) != len(quants):
        raise ConfigError(f"{where}: variant quants must be unique")
    ctx = raw.get("context_length")
    if ctx is not None and (not isinstance(ctx, int) or ctx <= 0):
        raise ConfigError(f"{where}: context_length must be a positive integer")
    base = raw.get("base")
    if base is not None and (not isinstance(base, str) or not base.strip() or fmt != "gguf"):
        raise ConfigError(f"{where}: base (for a LoRA adapter entry) must name its base GGUF model")
    return CatalogEntry(name=name, format=fmt, variants=tuple(variants), description=str(raw.get("description", "")),
                        family=raw.get("family"), params=raw.get("params"), context_length=ctx,
                        license=raw.get("license"), tags=tuple(raw.get("tags", ())),
                        base=base.strip() if base else None)


def parse_spec(text: str) -> HubFile | None:
    """``ORG/REPO/FILE[@REVISION]`` -> HubFile, or None when ``text`` is not of that shape."""
    text = text.strip()
    revision = "main"
    if "@" in text:
        text, _, revision = text.rpartition("@")
        if not revision or "/" in revision and not revision.startswith("refs/"):
            return None
    parts = text.split("/")
    if len(parts) < 3 or any(not p for p in parts):
        return None
    org, repo, rest = parts[0], parts[1], parts[2:]
    if not _REPO_PART.match(org) or not _REPO_PART.match(repo) or any(p in (".", "..") for p in rest):
        return None
    filename = "/".join(rest)
    if format_of(filename) is None:
        return None
    return HubFile(f"{org}/{repo}", filename, revision)


@dataclass(frozen=True)
class ModelRef:
    """What a model name means: a catalog entry (maybe one forced variant), a hub file, or a path."""

    name: str
    kind: str  # "catalog" | "spec" | "path" | "stored" (a name only the store's manifest knows)
    entry: CatalogEntry | None = None
    forced: Variant | None = None
    hub: HubFile | None = None
    path: Path | None = None

    @property
    def candidates(self) -> list[Variant]:
        """Variants that satisfy this name, in order of preference."""
        if self.kind == "catalog":
            assert self.entry is not None
            return [self.forced] if self.forced else list(self.entry.variants)
        return []


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", "./", "../", "~", ".\\")) or "\\" in name


def resolve_name(catalog: Catalog, name: str) -> ModelRef:
    """Classify a model name. Raises UnknownModelError for anything that is not a model."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownModelError("a model name is needed")
    name = name.strip()
    path = Path(name).expanduser()
    if _looks_like_path(name) or (path.is_file() and format_of(name)):
        if not format_of(name):
            raise UnknownModelError(f"{name} is not a model file", hint="slm runs .gguf and .onnx files")
        if not path.is_file():
            raise UnknownModelError(f"no model file at {name}")
        return ModelRef(name=name, kind="path", path=path)
    base, _, quant = name.partition(":")
    entry = catalog.get(base)
    if entry is not None:
        return ModelRef(name=name, kind="catalog", entry=entry, forced=entry.variant(quant) if quant else None)
    hub = parse_spec(name)
    if hub is not None:
        return ModelRef(name=name, kind="spec", hub=hub)
    if name.count("/") >= 2 and not format_of(name.split("@")[0]):
        raise UnknownModelError(f"{name} is not a model file", hint="slm pulls .gguf and .onnx files: ORG/REPO/FILE.gguf")
    raise UnknownModelError(f"unknown model {name!r}",
                            hint="use a catalog name (slm models list), ORG/REPO/FILE or a path to a .gguf/.onnx file")

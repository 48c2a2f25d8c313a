"""Check a LoRA adapter GGUF, and that it fits the base model it is applied to, before
llama.cpp sees it.

An adapter GGUF (as llama.cpp's ``convert_lora_to_gguf.py`` writes it) says
``general.type = "adapter"``, ``adapter.type = "lora"``, carries ``adapter.lora.alpha``
and the base's ``general.architecture``, and holds a pair of tensors per adapted
weight: ``W.lora_a`` (ggml dims ``[n_in, rank]``) and ``W.lora_b`` (``[rank, n_out]``)
for a base weight ``W`` of dims ``[n_in, n_out]``; the token embedding ``[n_embd, n_vocab]``
is a lookup, so its pair is ``lora_a [rank, n_vocab]``, ``lora_b [rank, n_embd]``. llama.cpp refuses a
mismatch with a log line and a NULL, or worse with a file it reads past the end of;
here each problem is one typed error that names the tensor.

A pair (adapter, base) that passed is remembered in the store's verdict cache
(``CheckCache``) keyed by both files' identities, so a plugin's adapter is walked once.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from slm.errors import AdapterMismatchError, CorruptAdapterError, CorruptModelError, NotAnAdapterError
from slm.store.gguf_check import CheckCache, GGUFHeader, read_header

ALPHA_KEY = "adapter.lora.alpha"
TYPE_KEY = "adapter.type"
_SUFFIX_A, _SUFFIX_B = ".lora_a", ".lora_b"
_EMBEDDING = "token_embd.weight"  # llama.cpp applies its LoRA transposed (a lookup, not a matmul)


@dataclass(frozen=True)
class AdapterInfo:
    path: Path
    architecture: str | None
    alpha: float | None
    rank: int
    targets: dict  # base tensor name -> ((lora_a dims), (lora_b dims))
    size_bytes: int

    def to_dict(self) -> dict:
        return {"path": str(self.path), "architecture": self.architecture, "alpha": self.alpha, "rank": self.rank,
                "tensors": len(self.targets), "size_bytes": self.size_bytes}


def _header(path: Path, keys: tuple[str, ...] = ()) -> GGUFHeader:
    try:
        return read_header(path, keys)
    except CorruptModelError as exc:
        raise CorruptAdapterError(exc.message, hint=exc.hint) from None


def check_adapter(path: Path) -> AdapterInfo:
    """The adapter's facts; a typed one-line error when the file is not a sound LoRA adapter."""
    path = Path(path)
    head = _header(path, (TYPE_KEY, ALPHA_KEY))
    if head.info.kind != "adapter":
        raise NotAnAdapterError(f"{path.name} is not a LoRA adapter (its general.type is {head.info.kind!r})",
                                hint="a model file is used with --model, an adapter with --adapter")
    kind = head.metadata.get(TYPE_KEY)
    if kind != "lora":
        raise NotAnAdapterError(f"{path.name} is a {kind or 'untyped'} adapter, not a LoRA adapter "
                                f"(adapter.type must be 'lora')")
    alpha = head.metadata.get(ALPHA_KEY)
    if alpha is not None and (isinstance(alpha, bool) or not isinstance(alpha, (int, float))
                              or not math.isfinite(alpha)):
        raise NotAnAdapterError(f"{path.name}: {ALPHA_KEY} is not a finite number")
    targets: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for name, (dims, _type) in head.tensors.items():
        if name.endswith(_SUFFIX_A):
            base = name[: -len(_SUFFIX_A)]
            other = head.tensors.get(base + _SUFFIX_B)
            if other is None:
                raise CorruptAdapterError(f"{path.name}: {name} has no matching {base + _SUFFIX_B}")
            targets[base] = (dims, other[0])
        elif name.endswith(_SUFFIX_B):
            if name[: -len(_SUFFIX_B)] + _SUFFIX_A not in head.tensors:
                raise CorruptAdapterError(f"{path.name}: {name} has no matching {name[:-len(_SUFFIX_B)] + _SUFFIX_A}")
        else:
            raise NotAnAdapterError(f"{path.name}: tensor {name[:60]!r} is not a LoRA tensor (.lora_a/.lora_b)")
    if not targets:
        raise NotAnAdapterError(f"{path.name} holds no LoRA tensors")
    ranks = set()
    for base, (a, b) in targets.items():
        if len(a) != 2 or len(b) != 2:
            raise CorruptAdapterError(f"{path.name}: {base} LoRA tensors are not matrices")
        rank = a[0] if base == _EMBEDDING else a[1]
        if b[0] != rank:
            raise CorruptAdapterError(f"{path.name}: {base}.lora_a and .lora_b disagree on the rank "
                                      f"(dims {list(a)} and {list(b)})")
        ranks.add(rank)
    return AdapterInfo(path=path, architecture=head.info.architecture, alpha=float(alpha) if alpha is not None else None,
                       rank=max(ranks), targets=targets, size_bytes=head.info.file_size)


def _fits(base_dims: tuple[int, ...], a: tuple[int, ...], b: tuple[int, ...], name: str) -> bool:
    if len(base_dims) != 2:
        return False
    n_in, n_out = base_dims
    if name == _EMBEDDING:
        return b[1] == n_in and a[1] == n_out
    return a[0] == n_in and b[1] == n_out


def check_fits(adapter: AdapterInfo, base: Path, *, base_label: str | None = None) -> None:
    """AdapterMismatchError (one line) unless every adapted tensor exists in ``base`` with its shape."""
    base = Path(base)
    label = base_label or base.name
    head = read_header(base)
    if head.info.kind == "adapter":
        raise AdapterMismatchError(f"{label} is itself an adapter; an adapter applies to a base model")
    if adapter.architecture != head.info.architecture:
        raise AdapterMismatchError(
            f"adapter {adapter.path.name} is for {adapter.architecture or 'an unnamed'} models, "
            f"but {label} is {head.info.architecture or 'of no named architecture'}",
            hint="use the adapter with the base it was trained on")
    for name, (a, b) in adapter.targets.items():
        found = head.tensors.get(name)
        if found is None:
            raise AdapterMismatchError(f"adapter {adapter.path.name} adapts {name}, which {label} does not have",
                                       hint="use the adapter with the base it was trained on")
        if not _fits(found[0], a, b, name):
            raise AdapterMismatchError(
                f"adapter {adapter.path.name} does not fit {label}: {name} is {list(found[0])} in the base, "
                f"the adapter's lora_a/lora_b are {list(a)}/{list(b)}",
                hint="use the adapter with the base it was trained on")


def check_adapter_for(adapter: Path, base: Path, *, cache: CheckCache | None = None,
                      base_label: str | None = None) -> AdapterInfo:
    """check_adapter + check_fits; with ``cache``, an unchanged pair that passed is not walked again
    (the AdapterInfo it returns then has no ``targets``)."""
    try:
        key = f"lora:{CheckCache.key(adapter)}|{CheckCache.key(base)}" if cache is not None else None
    except OSError:
        key = None  # the checks below give the one-line error for a missing file
    known = cache.get_raw(key) if cache is not None and key is not None else None
    if known is not None:
        try:
            return AdapterInfo(path=Path(adapter), architecture=known["architecture"], alpha=known["alpha"],
                               rank=int(known["rank"]), targets={}, size_bytes=int(known["size_bytes"]))
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry is no verdict
    info = check_adapter(adapter)
    check_fits(info, base, base_label=base_label)
    if cache is not None and key is not None:
        cache.put_raw(key, {"architecture": info.architecture, "alpha": info.alpha, "rank": info.rank,
                            "size_bytes": info.size_bytes})
    return info

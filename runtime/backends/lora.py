"""LoRA adapters on a loaded llama.cpp base model: loaded once, selected per request.

One base model stays in memory (mmap on); each adapter file is loaded into it once
with ``llama_adapter_lora_init`` and kept until the base is freed. A request names
its adapter set (files and scales); before generating, on the context the request
holds alone (slm.backends.contexts: one request on a context at a time), ``select`` puts that set on it
with ``llama_set_adapters_lora`` and, when it differs from the set the context's KV
cache was evaluated under, drops the cached tokens: a request never reuses tokens
evaluated under another adapter (the failure of llama.cpp issue #26207, where the
server's prompt cache ignores its per-request ``lora`` field). What it drops is kept
per set (slm.backends.prompt_cache) and put back only when the context switches to
that same set again, so A, B, A does not evaluate A's prompt twice.

An adapter at scale 0 contributes nothing, so it is left out of the set, and not even
loaded for it: the request runs on the bare base and may reuse the base's cached prompt.

Memory: a changed set makes llama.cpp re-reserve its compute graph at the next decode
(three worst-case graphs built in temporary heap memory), and loading an adapter reads
its file through temporary buffers. glibc keeps such freed memory in the process (in
the middle of the heap, where its automatic trimming never reaches): measured on
SmolLM2-135M with 4 rank-8 adapters, 2-6 MiB of RSS per switch. Once no switch has
happened for ``TRIM_AFTER_IDLE_S``, ``release_freed_memory`` hands it back (~0.2 ms,
in a timer thread, never on a request's path). Not at once: the next switch's reservation would have to
fault those pages in again (~900 page faults, ~1 ms), so a burst of switches reuses
them and only an idle process gives them back.

Those temporaries are 1-4 MiB blocks (sized by the graph's node budget, which llama.cpp
raises by 720 nodes for every adapter loaded into the model, active or not). glibc serves
blocks that large from their own mappings until a freed mapped block raises its mmap
threshold (up to 32 MiB), and llama.cpp's model load frees such blocks: from then on the
temporaries come from the heap and leave holes there that trimming cannot hand back
(fragments under a page, live blocks around them). So the first adapter load fixes the
threshold at ``MMAP_THRESHOLD`` (``keep_large_blocks_apart``): measured with raw llama.cpp
calls on SmolLM2-135M, 4 adapters each used once left 5.5 MiB more than loading them alone,
1.8 MiB with the threshold fixed (packaging/bench/bench_lora.py); through slm, 4 adapters
asked in turn held 1.2 MiB less after 4 switches and 2.4 MiB less after 40 (n=3 each,
fresh processes, alternating; both also creep, as the bare base does). The price: each switch
faults its temporaries' fresh pages in (with 4 adapters loaded, ~750 minor page faults
per switching request instead of ~80, about 1 ms); memory held for good was judged the
dearer of the two on a device. It is a process-wide setting (glibc has no other): blocks
of 1 MiB and more then cost a mmap and a munmap each, as before glibc's first adjustment;
what llama.cpp and llama-cpp-python allocate per token (a vocabulary's logits, its
sampler's reused candidates buffer) stays under it or is kept.
"""
from __future__ import annotations

import ctypes
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slm.backends.prompt_cache import SetPromptCache
from slm.errors import AdapterError, BackendError
from slm.file_identity import FileIdentity, file_identity


@dataclass(frozen=True)
class Adapter:
    """One adapter of a request: the file and its scale (``name`` labels it in errors and logs)."""

    path: Path
    scale: float = 1.0
    name: str | None = None
    # (adapter, base) file identities slm.api.Runtime checked this adapter against: the
    # backend does not walk the two files again while both are still those versions
    checked: tuple[FileIdentity, FileIdentity] | None = None


@dataclass(frozen=True)
class _Loaded:
    handle: Any  # llama_adapter_lora_p
    size_bytes: int
    name: str
    path: Path


_malloc_trim: Any = None
MMAP_THRESHOLD = 1 << 20  # a switch's temporaries are 1-4 MiB; per-token blocks are smaller
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h
_threshold_fixed = False


def keep_large_blocks_apart() -> bool:
    """Fix glibc's mmap threshold at ``MMAP_THRESHOLD`` (once per process; see the module's
    docstring): blocks that large get their own mapping, handed back when freed. False where
    the C library has no ``mallopt`` (musl, macOS, Windows)."""
    global _threshold_fixed
    if _threshold_fixed:
        return True
    try:
        mallopt = ctypes.CDLL(None).mallopt
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    except (AttributeError, OSError, TypeError):
        return False
    _threshold_fixed = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    return _threshold_fixed


def release_freed_memory() -> bool:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim(0)``); False where
    the C library has no such call (musl, macOS, Windows): there, nothing to do."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL(None).malloc_trim
            _malloc_trim.argtypes, _malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
        except (AttributeError, OSError, TypeError):
            _malloc_trim = False
    if not _malloc_trim:
        return False
    _malloc_trim(0)
    return True


TRIM_AFTER_IDLE_S = 1.0
_trim_timer: threading.Timer | None = None
_trim_lock = threading.Lock()


def release_freed_memory_when_idle() -> None:
    """Trim once ``TRIM_AFTER_IDLE_S`` have passed with no further call (each call restarts the wait)."""
    global _trim_timer
    with _trim_lock:
        if _trim_timer is not None:
            _trim_timer.cancel()
        _trim_timer = threading.Timer(TRIM_AFTER_IDLE_S, release_freed_memory)
        _trim_timer.daemon = True  # never holds the process open
        _trim_timer.start()


def trim_scheduled() -> bool:
    """A trim is waiting for its idle time (tests and benchmarks wait for it)."""
    timer = _trim_timer
    return timer is not None and timer.is_alive()


def file_key(path: Path) -> FileIdentity:
    """The adapter file's identity (slm.file_identity): a replaced file loads afresh."""
    try:
        return file_identity(path)
    except OSError as exc:
        raise AdapterError(f"adapter file {path} cannot be read: {exc.strerror or exc}") from None


class AdapterSlots:
    """The adapters loaded into one base model, and which set its context holds now."""

    def __init__(self, llm: Any, llama_cpp: Any, base_path: Path):  # ``llm``: the context it selects on
        self._llm = llm
        self._llama_cpp = llama_cpp
        self._base_path = Path(base_path)
        self._loaded: dict[FileIdentity, _Loaded] = {}
        self._load_lock = threading.Lock()
        self._freed = False
        self.active: tuple = ()  # the set on the context (and that its KV cache was evaluated under)
        self.trim_pending = False  # a switch left llama.cpp's freed temporaries in the heap
        self.prompts = SetPromptCache(llama_cpp)  # each set's evaluated prompt, kept across switches

    # --- loading (at request time, before any piece) --------------------------------
    def prepare(self, adapters: Sequence[Adapter] | None) -> tuple:
        """The request's set as ((file key, scale), ...), loading adapters not loaded yet.

        Raises a typed AdapterError (not an adapter, damaged, made for another base)
        before llama.cpp ever sees a bad file.
        """
        chosen = []
        for adapter in adapters or ():
            if adapter.scale == 0.0:  # contributes nothing: the base's set, and nothing to load for it
                continue
            key = file_key(adapter.path)
            if key not in self._loaded:
                self._load(adapter, key)
            chosen.append((key, float(adapter.scale)))
        return tuple(chosen)

    def _load(self, adapter: Adapter, key: FileIdentity) -> None:
        from slm.store.adapter_check import check_adapter_for

        with self._load_lock:
            if key in self._loaded:
                return
            if self._freed:
                raise BackendError(f"model {self._base_path.name} was unloaded")
            label = adapter.name or adapter.path.name
            if adapter.checked is None or adapter.checked != (key, self._base_key()):
                check_adapter_for(adapter.path, self._base_path)
            keep_large_blocks_apart()
            model = self._llm._model.model
            handle = self._llama_cpp.llama_adapter_lora_init(model, str(adapter.path).encode("utf-8"))
            if not handle:
                raise AdapterError(f"llama.cpp could not load adapter {label} onto {self._base_path.name}",
                                   hint="check it with: slm models verify")
            # counted by its file's size: llama.cpp holds its tensors (all the file but a few KiB of header)
            self._loaded[key] = _Loaded(handle=handle, size_bytes=key[3], name=label, path=Path(adapter.path))
        release_freed_memory_when_idle()  # the file was read through temporary buffers

    def _base_key(self) -> FileIdentity | None:
        try:
            return file_identity(self._base_path)
        except OSError:
            return None  # a base that cannot be read matches no earlier check

    # --- selecting (on a context the request holds alone) --------------------------------------
    def select(self, chosen: tuple) -> None:
        """Put ``chosen`` (from ``prepare``) on the context; forget KV evaluated under another set."""
        if chosen == self.active:
            return
        lib = self._llama_cpp
        n = len(chosen)
        handles = (lib.llama_adapter_lora_p_ctypes * max(n, 1))(*[self._loaded[k].handle for k, _s in chosen])
        scales = (ctypes.c_float * max(n, 1))(*[s for _k, s in chosen])
        incoming = self.prompts.take(chosen)  # what was evaluated under exactly the new set, if anything
        if self.active is not None:  # None: a switch failed, what the context holds is under no known set
            self.prompts.save(self._llm, self.active)
        # Forget first: should the switch fail, no later request may trust the old tokens.
        self._llm.reset()
        self.active = None  # type: ignore[assignment]
        if lib.llama_set_adapters_lora(self._llm._ctx.ctx, handles if n else None, n, scales if n else None):
            raise BackendError(f"llama.cpp could not switch adapters on {self._base_path.name}")
        self.active = chosen
        self.prompts.restore(self._llm, incoming)
        self.trim_pending = True  # the next decode re-reserves the graph

    def after_request(self) -> None:
        """At the end of a request (its context still held): what its switch freed goes back once idle.
        Scheduled here, not in ``select``: starting the timer's thread stays out of the time to first token."""
        if self.trim_pending:
            self.trim_pending = False
            release_freed_memory_when_idle()

    # --- several contexts on one base (parallel slots, slm.backends.contexts) ----------------
    def on_context(self, llm: Any) -> AdapterSlots:
        """The same loaded adapters, selected on another context of this base (``llm``): that context
        has its own set and its own saved prompts; loading and freeing stay with this one."""
        other = AdapterSlots(llm, self._llama_cpp, self._base_path)
        other._loaded, other._load_lock = self._loaded, self._load_lock  # one handle per adapter
        return other

    def context_renewed(self) -> None:
        """The backend gave this context a new, larger one on the same model (the handles stay good):
        it holds no tokens and no adapter set, and the prompts saved from the old one are dropped."""
        self.active = ()
        self.prompts.clear()

    # --- facts and freeing ----------------------------------------------------------------
    @property
    def size_bytes(self) -> int:
        return sum(a.size_bytes for a in list(self._loaded.values()))  # a copy: another thread may be loading

    def loaded(self) -> list[dict]:
        return [{"adapter": a.name, "size_bytes": a.size_bytes} for a in list(self._loaded.values())]

    def free(self) -> None:
        """Take the adapters off the context and free them (before the base model is freed)."""
        lib = self._llama_cpp
        with self._load_lock:
            self._freed = True
            if self._loaded:
                ctx = getattr(getattr(self._llm, "_ctx", None), "ctx", None)
                if ctx is not None:
                    lib.llama_set_adapters_lora(ctx, None, 0, None)
                for adapter in self._loaded.values():
                    lib.llama_adapter_lora_free(adapter.handle)
            self._loaded.clear()
            self.active = ()
            self.prompts.clear()


"""Loaded models stay in this process for reuse.

Loading a GGUF costs from milliseconds (mmap, page cache warm) to seconds;
the Python API and the server must not pay it per request. The cache keeps at
most ``settings.max_loaded_models`` models (least recently used goes first)
and unloads a model nobody used for ``settings.model_idle_timeout_s`` seconds
(<= 0 keeps models until the cache closes). A model that is computing when it
is evicted is freed when its request ends. Thread-safe.

The server adds what Ollama users rely on: a keep-alive per model
(``keep_alive``: seconds after its last request; 0 unloads once it is free,
< 0 keeps it; one reaper thread unloads them on time), a RAM budget
(``settings.max_loaded_ram_mb``) that the loaded models share, least recently
used evicted first, and parallel slots (``settings.num_parallel``): a GGUF
serves that many requests at once, one llama.cpp context each on one copy of
the weights (slm.backends.contexts). The budget counts a model's weights once,
each LoRA adapter loaded into it by its size, and each context beyond the first
by its KV cache; a context that would not fit is not made (its request waits).
"""
from __future__ import annotations

import os
import threading
import time
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from slm.backends.base import Backend, load_backend
from slm.errors import BackendError
from slm.file_identity import file_identity

_Key = tuple[int, int, int, int, str]  # st_dev, st_ino, mtime_ns, size, format


class ModelCache:
    def __init__(self, settings: Any, *, threads: int | None = None,
                 loader: Callable[..., Backend] = load_backend):
        self.max_loaded = max(1, int(settings.max_loaded_models))
        self.idle_timeout_s = float(settings.model_idle_timeout_s)
        self.n_ctx = int(settings.n_ctx)
        self._extra_buffers_setting = getattr(settings, "llama_extra_buffers", "auto")
        self._threads = threads or settings.threads
        self.parallel = max(1, int(getattr(settings, "num_parallel", 1) or 1))
        self._loader = loader
        budget = getattr(settings, "max_loaded_ram_mb", None)
        self.max_loaded_bytes = int(budget) << 20 if budget else None
        self._entries: OrderedDict[_Key, Backend] = OrderedDict()
        self._bytes: dict[_Key, int] = {}  # RAM each loaded model is counted for
        self._keep: dict[_Key, float] = {}  # per-model keep-alive (seconds; < 0 forever)
        self._loading: dict[_Key, threading.Lock] = {}
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._reaper: threading.Thread | None = None
        self._closed = False

    @property
    def threads(self) -> int:
        if not self._threads:
            from slm.device import cpu_threads

            self._threads = cpu_threads()
        return int(self._threads)

    # --- lookup -----------------------------------------------------------------------
    def get(self, local: Any) -> Backend:
        """The loaded backend for ``local`` (a slm.store.model_store.LocalModel), loading it if needed."""
        return self.get_timed(local)[0]

    def get_timed(self, local: Any, *, ctx_need: int | None = None) -> tuple[Backend, float]:
        """(backend, milliseconds spent loading it for this call: 0.0 when it was loaded already).

        ``ctx_need``: the context the request needs (context_size.chat_need); a GGUF loaded for it
        gets that much KV cache (n_ctx stays the most it can grow to), else all of n_ctx."""
        key, path = _key(local)
        with self._lock:
            if self._closed:
                raise BackendError("the model cache is closed")
            backend = self._hit(key)
            if backend is not None:
                return backend, 0.0
            load_lock = self._loading.setdefault(key, threading.Lock())
        with load_lock:  # one load per model, other models keep serving meanwhile
            with self._lock:
                backend = self._hit(key)
                if backend is not None:
                    return backend, 0.0
            started = time.perf_counter()
            n_ctx = self.n_ctx
            context_length = getattr(local, "context_length", None)
            if context_length:
                n_ctx = min(n_ctx, int(context_length))  # no KV cache beyond what the model was trained for
            load_options = {"threads": self.threads, "n_ctx": n_ctx}
            if key[4] == "gguf":
                from slm.device import llama_extra_buffers

                load_options["extra_buffers"] = llama_extra_buffers(self._extra_buffers_setting)
                if ctx_need:
                    load_options["ctx_need"] = int(ctx_need)
                if self.parallel > 1:
                    load_options["parallel"] = self.parallel
            backend = self._loader(path, key[4], **load_options)
            load_ms = (time.perf_counter() - started) * 1000.0
            with self._lock:
                self._loading.pop(key, None)
                if self._closed:
                    backend.close()
                    raise BackendError("the model cache is closed")
                self._entries[key] = backend
                self._bytes[key] = int(getattr(local, "ram_bytes", None) or key[3])
                pool = getattr(backend, "contexts", None)
                if pool is not None and self.max_loaded_bytes is not None:
                    ref = weakref.ref(self)  # the backend must not keep the cache alive
                    pool.room_for = lambda nbytes, key=key: bool((cache := ref()) and cache._room_for(key, nbytes))
                evicted = []
                while len(self._entries) > self.max_loaded or (
                        self.max_loaded_bytes is not None and len(self._entries) > 1
                        and sum(self._counted(k) for k in self._entries) > self.max_loaded_bytes):
                    old_key, old = self._entries.popitem(last=False)
                    self._forget(old_key)
                    evicted.append(old)
                if not self._kept_forever(key):
                    self._start_reaper()
            for old in evicted:
                old.close()
            return backend, load_ms

    def _hit(self, key: _Key) -> Backend | None:
        backend = self._entries.get(key)
        if backend is None:
            return None
        if backend.closed:
            del self._entries[key]
            self._forget(key)
            return None
        self._entries.move_to_end(key)
        backend.last_used = time.monotonic()
        return backend

    def is_loaded(self, local: Any) -> bool:
        """Whether this model file (a LocalModel or a path) is loaded now; no load, no hashing."""
        try:
            key, _path = _key(local)
        except BackendError:
            return False  # gone or unreadable: certainly not loaded as it is now
        with self._lock:
            backend = self._entries.get(key)
            return backend is not None and not backend.closed

    def loaded(self) -> list[Path]:
        """Paths of the models loaded now, least recently used first."""
        with self._lock:
            return [b.path for b in self._entries.values() if not b.closed]

    def has_keep_alive_overrides(self) -> bool:
        """Whether any loaded model has a keep-alive of its own (set by a request)."""
        return bool(self._keep)

    def keep_alive(self, local: Any, seconds: float | None) -> None:
        """Keep ``local``'s model this long after its last use (None: the cache's idle timeout;
        0: unload as soon as it is free; < 0: until the cache closes). No effect if it is not loaded."""
        try:
            key, _path = _key(local)
        except BackendError:
            return
        with self._lock:
            if key not in self._entries:
                return
            if seconds is None:
                self._keep.pop(key, None)
            else:
                self._keep[key] = float(seconds)
                if seconds >= 0:
                    self._start_reaper()  # 0: unloaded now if free, else by the reaper once it is
        if seconds == 0:
            self.evict_idle()

    def status(self, now: float | None = None) -> list[dict[str, Any]]:
        """The loaded models, most recently used first: path, ram_bytes, busy, keep_alive_s
        (the setting), expires_in_s (None: kept until the cache closes)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            rows = []
            for key, backend in reversed(self._entries.items()):
                if backend.closed:
                    continue
                keep = self._timeout(key)
                forever = self._kept_forever(key)
                pool = getattr(backend, "contexts", None)
                rows.append({"path": backend.path, "ram_bytes": self._counted(key), "busy": backend.busy,
                             "contexts": len(pool.contexts) if pool else 1,
                             "slots_busy": pool.busy if pool else int(backend.busy),
                             "adapters": _adapters_of(backend),
                             "keep_alive_s": -1.0 if forever else keep,
                             "expires_in_s": None if forever else max(0.0, keep - (now - backend.last_used))})
            return rows

    def _counted(self, key: _Key) -> int:  # called with self._lock held
        # a base counts once, plus each LoRA adapter loaded into it by its size (issue 16),
        # plus the KV cache of each context beyond the first (parallel slots)
        backend = self._entries.get(key)
        slots = getattr(backend, "adapters", None)
        pool = getattr(backend, "contexts", None)
        return (self._bytes.get(key, key[3]) + int(getattr(slots, "size_bytes", 0) or 0)
                + (pool.extra_bytes if pool is not None else 0))

    def _room_for(self, key: _Key, nbytes: int) -> bool:
        """Whether model ``key`` may take ``nbytes`` more (another context): idle models, least recently
        used first, are unloaded to make room; False when it still does not fit."""
        evicted = []
        with self._lock:
            if self.max_loaded_bytes is None:
                return True
            while sum(self._counted(k) for k in self._entries) + nbytes > self.max_loaded_bytes:
                idle = next((k for k, b in self._entries.items() if k != key and not b.busy), None)
                if idle is None:
                    break
                evicted.append(self._entries.pop(idle))
                self._forget(idle)
            fits = sum(self._counted(k) for k in self._entries) + nbytes <= self.max_loaded_bytes
        for old in evicted:
            old.close()
        return fits

    def _timeout(self, key: _Key) -> float:
        return self._keep.get(key, self.idle_timeout_s)

    def _kept_forever(self, key: _Key) -> bool:
        # a keep-alive < 0 keeps; so does an idle timeout <= 0 (the cache's own meaning of 0)
        timeout = self._timeout(key)
        return timeout < 0 or (timeout == 0 and key not in self._keep)

    def _forget(self, key: _Key) -> None:  # called with self._lock held
        self._bytes.pop(key, None)
        self._keep.pop(key, None)

    # --- unloading ----------------------------------------------------------------------
    def unload(self, path: str | Path) -> bool:
        """Unload the model loaded from this file (by any path to it)."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        with self._lock:
            keys = [k for k in self._entries if k[:2] == (st.st_dev, st.st_ino)]
            backends = [self._entries.pop(k) for k in keys]
            for k in keys:
                self._forget(k)
        for backend in backends:
            backend.close()
        return bool(backends)

    def evict_idle(self, now: float | None = None) -> int:
        """Unload models idle longer than their keep-alive (the idle timeout unless set); returns how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            idle = []
            for k, b in self._entries.items():
                if self._kept_forever(k):
                    continue
                if not b.busy and now - b.last_used >= self._timeout(k):
                    idle.append(k)
            backends = [self._entries.pop(k) for k in idle]
            for k in idle:
                self._forget(k)
        for backend in backends:
            backend.close()
        return len(backends)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            backends = list(self._entries.values())
            self._entries.clear()
            self._bytes.clear()
            self._keep.clear()
            self._wake.notify_all()
        for backend in backends:
            backend.close()

    def __enter__(self) -> "ModelCache":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- the idle reaper --------------------------------------------------------------
    def _start_reaper(self) -> None:  # called with self._lock held
        """One reaper thread unloads models when their keep-alive runs out; told of a change, it
        looks again at once (a shorter keep-alive, another model loaded)."""
        if self._reaper is None:
            self._reaper = threading.Thread(target=_reap, args=(weakref.ref(self),), name="slm-model-reaper",
                                            daemon=True)
            self._reaper.start()
        else:
            self._wake.notify_all()

    def _next_expiry_s(self, now: float) -> float | None:  # called with self._lock held
        """Seconds until the next model may be due to go (None: no model ever is)."""
        soonest = None
        for key, backend in self._entries.items():
            if self._kept_forever(key):
                continue
            timeout = self._timeout(key)
            # busy: its time starts when it is free, at the earliest ``timeout`` from now
            left = max(timeout, REAP_BUSY_S) if backend.busy else backend.last_used + timeout - now
            soonest = left if soonest is None else min(soonest, left)
        return None if soonest is None else max(soonest, 0.01)


REAP_BUSY_S = 0.25  # how often a model with keep-alive 0 that was busy is looked at again


def _reap(ref: "weakref.ref[ModelCache]") -> None:
    # Sleeps until the next model is due (or it is told of a change); holds the cache only
    # weakly between rounds, so a dropped cache is collected.
    while True:
        cache = ref()
        if cache is None:
            return
        with cache._lock:
            if cache._closed:
                return
            wait = cache._next_expiry_s(time.monotonic())
            cache._wake.wait(60.0 if wait is None else min(wait, 60.0))
            if cache._closed:
                return
        cache.evict_idle()
        with cache._lock:
            if not cache._entries:
                cache._reaper = None  # the next load starts a new one
                return
        del cache


def _adapters_of(backend: Any) -> list[dict]:
    slots = getattr(backend, "adapters", None)
    loaded = getattr(slots, "loaded", None)
    return loaded() if callable(loaded) else []


def _key(local: Any) -> tuple[_Key, Path]:
    # The file's identity (slm.file_identity): two paths to one file share a load, and a
    # replaced file loads afresh.
    path = Path(getattr(local, "path", local))
    fmt = getattr(local, "format", None) or _format_of(path)
    try:
        return (*file_identity(path), fmt), path
    except FileNotFoundError:
        raise BackendError(f"model file not found: {path}") from None
    except OSError as exc:
        raise BackendError(f"cannot read model file {path}: {exc.strerror or exc}") from None


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".gguf", ".onnx"):
        return suffix[1:]
    raise BackendError(f"cannot tell the model format of {path.name} (expected a .gguf or .onnx file)")

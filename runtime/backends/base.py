"""The one small interface both inference backends implement.

A backend is a model loaded in this process. Text models (llama.cpp) chat and
count tokens; tensor models (onnxruntime) report their signature and run.
Callers ask for what they need and get a typed BackendError when the loaded
model cannot do it, so the pipeline never looks at which library is behind it.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Iterator, Mapping

from slm.errors import BackendError
from slm.result import Timings, Usage


@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str  # numpy name: "float32", "int64", ...
    shape: tuple[int | str | None, ...]  # str/None: a dimension fixed only at run time

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "shape": list(self.shape)}


@dataclass(frozen=True)
class Signature:
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"inputs": [t.to_dict() for t in self.inputs], "outputs": [t.to_dict() for t in self.outputs]}


class ChatStream:
    """One chat completion. Iterate to receive text pieces as they are generated.

    Once the pieces are exhausted: ``.text`` (the whole answer), ``.usage``,
    ``.timings`` (load_ms, ttft_ms, total_ms), ``.model``, ``.finish_reason``
    ("stop" or "length"). Reading ``.text`` early drains the stream first.
    Leaving the loop early (break) stops generating and frees the model.
    """

    def __init__(self, pieces: Iterator[str], *, model: str | None = None, load_ms: float = 0.0,
                 started: float | None = None):
        # ``pieces`` yields text and returns (finish_reason, prompt_tokens, completion_tokens).
        # It must not hold a reference to this object: that cycle would keep an
        # abandoned generation (and the model's lock) alive until the cyclic GC.
        self.model = model
        self.usage = Usage()
        self.timings = Timings(load_ms=load_ms)
        self.finish_reason: str | None = None
        self.done = False
        # time.perf_counter() when the request began (before any model load)
        self.started = time.perf_counter() if started is None else started
        self._text: str | None = None
        self._pieces: list[str] = []
        self._source = pieces

    def __iter__(self) -> Iterator[str]:
        source = self._source
        pieces = self._pieces
        try:
            while True:
                try:
                    piece = next(source)
                except StopIteration as end:
                    if end.value is not None:
                        self._finish(*end.value)
                    return
                if self.timings.ttft_ms is None:
                    self.timings.ttft_ms = (time.perf_counter() - self.started) * 1000.0
                pieces.append(piece)
                yield piece
        finally:
            source.close()  # abandoned early: stop generating, free the model now

    @property
    def text(self) -> str:
        if not self.done:
            for _ in self:
                pass
        if self._text is None:
            self._text = "".join(self._pieces)
        return self._text

    def close(self) -> None:
        """Stop generating (the model is free for the next request)."""
        self._source.close()  # type: ignore[attr-defined]

    def _finish(self, reason: str, prompt_tokens: int, completion_tokens: int) -> None:
        self.finish_reason = reason
        self.usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
        self.timings.total_ms = (time.perf_counter() - self.started) * 1000.0
        self.done = True


class Backend:
    """A model loaded by one inference library. Subclasses override what they can do."""

    format: ClassVar[str] = ""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.load_ms = 0.0
        self.last_used = time.monotonic()
        # Held while the model computes: a loaded model serves one request at a time.
        self._busy = threading.Lock()
        self._owner: int | None = None  # thread that took the lock, to catch a same-thread deadlock
        self._closed = False
        self._close_pending = False

    # --- text models --------------------------------------------------------------
    def chat(self, messages: list[dict[str, str]], *, max_tokens: int = 256, temperature: float = 0.2,
             stop: list[str] | None = None, seed: int | None = None,
             json_schema: Mapping[str, Any] | None = None, model: str | None = None,
             load_ms: float = 0.0, started: float | None = None, repeat_penalty: float = 1.0,
             top_p: float | None = None) -> ChatStream:
        raise BackendError(f"{self.path.name} is a {self.format} model; it cannot chat")

    def count_tokens(self, text: str) -> int:
        raise BackendError(f"{self.path.name} is a {self.format} model; it has no tokenizer")

    @property
    def n_ctx(self) -> int:
        raise BackendError(f"{self.path.name} is a {self.format} model; it has no text context")

    # --- tensor models ------------------------------------------------------------
    def signature(self) -> Signature:
        raise BackendError(f"{self.path.name} is a {self.format} model; it has no tensor signature")

    def run(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        raise BackendError(f"{self.path.name} is a {self.format} model; it cannot run tensors")

    # --- life cycle ---------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy.locked()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Free the model. If a request is running, it is freed when that request ends."""
        if self._closed:
            return
        if not self._busy.acquire(blocking=False):
            self._close_pending = True
            return
        try:
            self._free()
            self._closed = True
        finally:
            self._busy.release()

    def _acquire(self) -> None:
        me = threading.get_ident()
        if not self._busy.acquire(blocking=False):
            if self._owner == me:  # waiting would wait for ourselves forever
                raise BackendError(f"model {self.path.name} is still busy with an unfinished answer in this thread",
                                   hint="read that stream to the end or close() it first")
            self._busy.acquire()
        self._owner = me
        if self._closed:
            self._owner = None
            self._busy.release()
            raise BackendError(f"model {self.path.name} was unloaded")

    def _release(self) -> None:
        self.last_used = time.monotonic()
        if self._close_pending and not self._closed:
            self._free()
            self._closed = True
        self._owner = None
        self._busy.release()

    def _free(self) -> None:  # release the library's resources
        pass


def load_backend(path: str | Path, format: str, *, threads: int, n_ctx: int, extra_buffers: bool = True,
                 ctx_need: int | None = None, parallel: int = 1) -> Backend:
    """Load ``path`` with the backend for ``format`` ("gguf" or "onnx"); ``ctx_need``, ``parallel``: see LlamaBackend."""
    if format == "gguf":
        from slm.backends.llama import LlamaBackend

        return LlamaBackend(Path(path), threads=threads, n_ctx=n_ctx, extra_buffers=extra_buffers,
                            ctx_need=ctx_need, parallel=parallel)
    if format == "onnx":
        from slm.backends.onnx import OnnxBackend

        return OnnxBackend(Path(path), threads=threads)
    raise BackendError(f"no backend for model format {format!r} (expected gguf or onnx)")

"""The parallel slots of one loaded GGUF: one copy of the weights, one llama.cpp context per slot.

llama.cpp lets several contexts share one ``llama_model``: the weights (mmap'd) are loaded
once, and each context holds only its own KV cache and compute buffers. Each slot here is
such a context, wrapped as a ``llama_cpp.Llama`` of its own (the first is the Llama that
loaded the model; the others share its model object and its tokenizer), so each keeps its
own token history for prefix reuse, its own adapter set and its own saved prompts
(slm.backends.lora): a request never reuses tokens evaluated under another adapter, and two
requests never run on one context at once. llama.cpp's own server batches its slots' tokens
into one context instead; separate contexts keep llama-cpp-python's sampler, grammar and
prefix matching per request unchanged, and on a CPU the weights are read from the same
page-cache copy by both.

A context beyond the first is made only when a request finds every context busy (up to
``SLM_NUM_PARALLEL``), sized to that request like the first (slm.backends.context_size),
and only when the memory budget has room for its KV cache (``room_for`` asks the model
cache; without room the request waits for a context to come free).

Threads: the slots share the device's cores. llama.cpp's worker threads spin at each
operation's barrier, so two contexts computing with all cores each would fight for them
(2 x 2 threads on 2 cores run slower than one request alone). Each context therefore computes
with ``threads // busy`` threads (at least 1), rebalanced at every token: a request alone
has every core, two at once on 2 cores get one each, and the one left running gets both
back at its next token.
"""
from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Callable, Sequence
from typing import Any

from slm.errors import BackendError


def room_always(_nbytes: int) -> bool:
    return True  # no budget: a context always fits


class Context:
    """One slot: a llama.cpp context on the shared model, with its own adapter set."""

    def __init__(self, llm: Any, adapters: Any, index: int):
        self.llm = llm
        self.adapters = adapters  # slm.backends.lora.AdapterSlots of this context
        self.index = index
        self.owner: int | None = None  # the thread generating on it now
        self.threads = 0  # threads it computes with (0: not set by the pool yet)
        self._piece_buf = ctypes.create_string_buffer(64)
        self.allocated = 0
        self.measure()

    def measure(self) -> None:
        """Note the tokens this context holds at most (read from llama.cpp now, not after it is freed).
        llama.cpp pads a small context up (to 256) but llama-cpp-python keeps its token buffer at
        the size asked for; a prompt longer than that buffer crashes numpy."""
        self.allocated = min(int(self.llm.n_ctx()), len(self.llm.input_ids))

    def piece(self, lib: Any, vocab: Any, token: int) -> bytes:
        """The bytes of one token (a buffer per context: slots detokenize at the same time)."""
        buf = self._piece_buf
        n = lib.llama_token_to_piece(vocab, token, buf, len(buf), 0, False)
        if n < 0:  # buffer too small: -n is the size needed
            buf = self._piece_buf = ctypes.create_string_buffer(-n)
            n = lib.llama_token_to_piece(vocab, token, buf, len(buf), 0, False)
        return buf.raw[:n]


class ContextPool:
    """The contexts of one model; ``acquire`` one per request, ``release`` it when the request ends."""

    def __init__(self, first: Context, *, slots: int, threads: int, llama_cpp: Any,
                 sizes: Callable[[int], int]):
        self._lib = llama_cpp
        self._contexts = [first]
        self.slots = max(1, int(slots))
        self.threads = max(1, int(threads))
        self._sizes = sizes  # tokens -> the context size to allocate for them
        self._kv_per_token = kv_bytes_per_token(first.llm, llama_cpp)
        self._first_n = first.allocated  # the first context at load: in the model's own estimate
        self.room_for: Callable[[int], bool] = room_always  # set by the model cache that holds the model
        self.busy = 0  # contexts in use (read without the lock: a gauge)
        self.waiting = 0  # requests waiting for a context to come free (a gauge)
        self._making = 0  # contexts being made outside the lock
        self._cond = threading.Condition()
        self.closed = False
        self._close_pending = False
        self._free_later: Callable[[], None] | None = None  # close()'s ``free``, while it waits

    # --- facts ----------------------------------------------------------------------------
    @property
    def contexts(self) -> list[Context]:
        return list(self._contexts)

    @property
    def making(self) -> int:
        """Contexts being made right now, outside the lock (a gauge)."""
        return self._making

    def kv_bytes(self, n_ctx: int) -> int:
        """The KV cache of an ``n_ctx``-token context of this model (f16 keys and values, llama.cpp's default)."""
        return n_ctx * self._kv_per_token

    @property
    def extra_bytes(self) -> int:
        """The KV caches beyond the model's own estimate (the weights are counted once, elsewhere): what
        the first context grew by since the load, and every context beyond it."""
        first, *others = self._contexts
        return self.kv_bytes(max(0, first.allocated - self._first_n)) + sum(self.kv_bytes(c.allocated) for c in others)

    # --- taking and giving back -----------------------------------------------------------
    def acquire(self, chosen: tuple, tokens: Sequence[int], need: int, *, may_add: bool = True) -> Context:
        """A free context for a request under adapter set ``chosen`` with prompt ``tokens`` (``need``
        tokens in all): the free one that already holds the most of it under that set, else a new
        one while fewer than ``slots`` exist and the budget has room, else the first to come free."""
        me = threading.get_ident()
        with self._cond:
            while True:
                if self.closed:
                    raise BackendError("the model was unloaded")
                free = [c for c in self._contexts if c.owner is None]
                if free:
                    best = max(free, key=lambda c: (c.adapters.active == chosen, _shared_prefix(c.llm, tokens)))
                    return self._take(best, me)
                if may_add and len(self._contexts) + self._making < self.slots:
                    self._making += 1
                    break
                if any(c.owner == me for c in self._contexts):  # waiting would wait for ourselves forever
                    raise BackendError("this model is still busy with an unfinished answer in this thread",
                                       hint="read that stream to the end or close() it first")
                self.waiting += 1
                try:
                    self._cond.wait()
                finally:
                    self.waiting -= 1
        return self._add(me, chosen, tokens, need)

    def _take(self, context: Context, me: int) -> Context:  # called with the lock held
        context.owner = me
        self.busy += 1
        return context

    def _add(self, me: int, chosen: tuple, tokens: Sequence[int], need: int) -> Context:
        """Make a context for this request (outside the lock: allocating takes milliseconds), or,
        when the budget has no room or llama.cpp cannot, wait for a busy one instead (the next
        request to find them all busy asks the budget again: another model may have gone)."""
        n_ctx = self._sizes(need)
        made = None
        try:
            if self.room_for(self.kv_bytes(n_ctx)):
                made = self._open(n_ctx)
        except BackendError:
            made = None
        with self._cond:
            self._making -= 1
            if made is not None and not self.closed:
                made.index = len(self._contexts)  # under the lock: two contexts made at once differ
                self._contexts.append(made)
                return self._take(made, me)
            free = self._last_out()
        if made is not None:
            close_context(made.llm)  # the model was unloaded meanwhile: acquire raises
        if free is not None:
            free()  # an unload waited for this context to be made (on the model it would free)
        return self.acquire(chosen, tokens, need, may_add=False)

    def _open(self, n_ctx: int) -> Context:
        first = self._contexts[0]
        llm = sibling_of(first.llm, n_ctx)
        return Context(llm, first.adapters.on_context(llm), len(self._contexts))

    def _last_out(self) -> Callable[[], None] | None:  # called with the lock held
        """close()'s ``free`` when an unload waited and nothing uses or is making a context any more."""
        if self._close_pending and not self.closed and self.busy == 0 and self._making == 0:
            self.closed = True
            self._cond.notify_all()
            free, self._free_later = self._free_later, None
            return free
        return None

    def balance(self, context: Context) -> None:
        """Give ``context`` its share of the threads for the next token (cheap: it usually has it)."""
        want = max(1, self.threads // max(1, self.busy))
        if context.threads != want:
            self._lib.llama_set_n_threads(context.llm._ctx.ctx, want, want)
            context.threads = want

    def release(self, context: Context, free: Callable[[], None]) -> None:
        """The request on ``context`` ended; ``free`` frees the model when an unload waited for it."""
        with self._cond:
            context.owner = None
            self.busy -= 1
            self._cond.notify_all()
            last = self._last_out() is not None
        if last:
            free()

    def resize(self, context: Context, n_ctx: int) -> None:
        """Give ``context`` an ``n_ctx``-token context (a longer request); the model stays loaded, so the
        adapters loaded into it stay good; the context starts empty, under no adapter set. The RAM
        budget is asked for the KV cache it grows by (idle models may be unloaded to make room)."""
        grows = self.kv_bytes(n_ctx) - self.kv_bytes(context.allocated)
        if grows > 0 and not self.room_for(grows):
            raise BackendError(f"this request needs a {n_ctx}-token context ({grows >> 20} MiB more), "
                               "more than the RAM budget has room for",
                               hint="raise SLM_MAX_LOADED_RAM_MB, or send a shorter prompt or max_tokens")
        renew_context(context.llm, n_ctx)
        context.measure()
        context.threads = 0
        context.adapters.context_renewed()

    def close(self, free: Callable[[], None]) -> bool:
        """Unload now (True) or, while a request runs, when the last one ends (False)."""
        with self._cond:
            if self.closed:
                return True
            if self.busy or self._making:  # a context being made is on this model: free it after
                self._close_pending = True
                self._free_later = free
                return False
            self.closed = True
            self._cond.notify_all()
        free()
        return True

    def close_extra(self) -> None:
        """Free the contexts beyond the first (before the model: a context is freed before its model)."""
        for context in self._contexts[1:]:
            close_context(context.llm)
        del self._contexts[1:]


# --- llama-cpp-python's Llama with another context on the same model ----------------------
def sibling_of(llm: Any, n_ctx: int) -> Any:
    """A Llama on ``llm``'s model (not loaded again) with a context of its own of ``n_ctx`` tokens.

    A Llama's per-context parts (context, batch, token history, sampler state) are made anew;
    the rest (model, tokenizer, metadata, chat handlers, settings) is shared. ``copy.copy``
    would not do: a Llama pickles by loading its model again.
    """
    view = object.__new__(type(llm))
    view.__dict__.update(llm.__dict__)
    view._stack = contextlib.ExitStack()  # closing the sibling must not close the shared model
    view.context_params = type(llm.context_params).from_buffer_copy(llm.context_params)
    view._lora_adapter = None
    view.cache = None
    _give_context(view, n_ctx)
    return view


def renew_context(llm: Any, n_ctx: int) -> None:
    """Replace ``llm``'s context with an empty one of ``n_ctx`` tokens on the same model."""
    old_ctx, old_batch = llm._ctx, llm._batch
    _give_context(llm, n_ctx)  # raises before anything changes
    old_batch.close()
    old_ctx.close()


def close_context(llm: Any) -> None:
    llm._batch.close()
    llm._ctx.close()


def _give_context(llm: Any, n_ctx: int) -> None:
    import llama_cpp._internals as internals
    import numpy as np

    params = type(llm.context_params).from_buffer_copy(llm.context_params)
    n_batch = min(n_ctx, max(int(llm.n_batch), int(params.n_batch), 512))
    params.n_ctx, params.n_batch, params.n_ubatch = n_ctx, n_batch, min(n_batch, int(params.n_ubatch) or n_batch)
    try:
        ctx = internals.LlamaContext(model=llm._model, params=params, verbose=False)
    except ValueError as exc:  # llama.cpp could not allocate it
        raise BackendError(f"llama.cpp could not make a {n_ctx}-token context ({exc})") from None
    batch = internals.LlamaBatch(n_tokens=n_batch, embd=0, n_seq_max=n_ctx, verbose=False)
    llm._ctx, llm._batch, llm.context_params = ctx, batch, params
    llm.n_batch, llm._n_ctx = n_batch, int(ctx.n_ctx())
    llm.n_tokens, llm._requires_eval, llm._sampler = 0, True, None
    llm._candidates = internals.LlamaTokenDataArray(n_vocab=llm._n_vocab)
    llm.input_ids = np.ndarray((n_ctx,), dtype=np.intc)
    llm.scores = np.ndarray((n_ctx if llm._logits_all else n_batch, llm._n_vocab), dtype=np.single)
    llm._mirostat_mu = ctypes.c_float(10.0)


def kv_bytes_per_token(llm: Any, lib: Any) -> int:
    """Bytes of KV cache one token takes in this model: keys and values of every layer, f16."""
    model = llm._model.model
    n_head = max(1, int(lib.llama_model_n_head(model)))
    n_head_kv = int(lib.llama_model_n_head_kv(model)) or n_head
    arch = llm.metadata.get("general.architecture", "")
    key = int(llm.metadata.get(f"{arch}.attention.key_length") or int(lib.llama_model_n_embd(model)) // n_head)
    value = int(llm.metadata.get(f"{arch}.attention.value_length") or key)
    return int(lib.llama_model_n_layer(model)) * n_head_kv * (key + value) * 2


def _shared_prefix(llm: Any, tokens: Sequence[int]) -> int:
    """How many of ``tokens`` the context already holds, from the start (what it need not evaluate)."""
    n = min(int(llm.n_tokens), len(tokens))
    held = llm.input_ids
    for i in range(n):
        if held[i] != tokens[i]:
            return i
    return n

"""The evaluated prompt of each adapter set, kept when the context switches to another set.

One llama.cpp context serves every adapter set on a base, so a switch must forget the
tokens the context holds (they were evaluated under the old set). Without more, the
alternation A, B, A evaluates A's prompt prefix twice. Here, at a switch, the context's
sequence state (its KV cells, through ``llama_state_seq_get_data``) and the tokens behind
it are saved under the exact set they were evaluated under ((file key, scale), ...), and
put back only when the context switches to that same set again: tokens evaluated under
one set are never reused under another. llama-cpp-python's prefix matching then reuses
as much of the restored prompt as the new request shares, and always evaluates at least
its last token again (fresh logits).

Bounded: at most ``MAX_SETS`` saved sets and ``MAX_BYTES`` in all, least recently saved
dropped first; a state larger than the budget is not kept.
"""
from __future__ import annotations

import ctypes
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

MAX_SETS = 4
MAX_BYTES = 16 * 2 ** 20  # ~1.2 MiB per 40-token prompt on SmolLM2-135M; a few long ones
SEQ = 0  # llama-cpp-python's Llama evaluates everything in sequence 0


@dataclass(frozen=True)
class _Saved:
    tokens: tuple[int, ...]
    state: Any  # ctypes c_uint8 array
    size: int


class SetPromptCache:
    """Saved prompt states of one context, keyed by adapter set; used under its busy lock only."""

    def __init__(self, llama_cpp: Any):
        self._lib = llama_cpp
        self._saved: OrderedDict[tuple, _Saved] = OrderedDict()
        self.restored_tokens = 0  # tokens put back so far (facts for tests and benchmarks)

    @property
    def size_bytes(self) -> int:
        return sum(s.size for s in self._saved.values())

    def save(self, llm: Any, key: tuple) -> None:
        """Keep what ``llm``'s context holds, evaluated under ``key``, before it switches away."""
        n = int(llm.n_tokens)
        self._saved.pop(key, None)
        if n <= 1:  # nothing a later request could reuse (the last token is always evaluated again)
            return
        ctx = llm._ctx.ctx
        size = int(self._lib.llama_state_seq_get_size(ctx, SEQ))
        if not 0 < size <= MAX_BYTES:
            return
        state = (ctypes.c_uint8 * size)()
        if int(self._lib.llama_state_seq_get_data(ctx, state, size, SEQ)) != size:
            return
        self._saved[key] = _Saved(tokens=tuple(int(t) for t in llm.input_ids[:n]), state=state, size=size)
        while len(self._saved) > MAX_SETS or self.size_bytes > MAX_BYTES:
            self._saved.popitem(last=False)

    def take(self, key: tuple) -> _Saved | None:
        """Take ``key``'s saved prompt out (before the outgoing set's is saved, which could evict it);
        the context will hold it, and it is saved again at the next switch."""
        return self._saved.pop(key, None)

    def restore(self, llm: Any, saved: _Saved | None) -> bool:
        """Put a prompt ``take`` gave back into ``llm``'s context, just switched to its set."""
        if saved is None:
            return False
        ctx = llm._ctx.ctx
        self._lib.llama_memory_seq_rm(self._lib.llama_get_memory(ctx), SEQ, -1, -1)
        n = len(saved.tokens)
        if n > len(llm.input_ids) or int(self._lib.llama_state_seq_set_data(ctx, saved.state, saved.size, SEQ)) == 0:
            self._lib.llama_memory_seq_rm(self._lib.llama_get_memory(ctx), SEQ, -1, -1)
            llm.reset()
            return False
        llm.input_ids[:n] = saved.tokens
        llm.n_tokens = n
        llm._requires_eval = True  # the logits are not this state's: evaluate the last token again
        self.restored_tokens += n
        return True

    def clear(self) -> None:
        self._saved.clear()

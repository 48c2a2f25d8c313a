"""How much llama.cpp context (KV cache) a chat gets: what the request needs, not a fixed size.

The KV cache is allocated, and cleared, for the whole context when a model loads: with a
fixed 4096 a 60-token question to SmolLM2-135M paid ~80 MB more peak RSS and a slower
first answer than with 512 (packaging/bench/bench_n_ctx.py). So a model is loaded with a
context sized to its first request, rounded up to ``STEP`` tokens and capped by the
setting (``n_ctx``, SLM_N_CTX: now the most a request can use) and the model's own
training context; a later request that needs more gets a larger context on the same
loaded model (slm.backends.contexts).

The need is bounded before the prompt is tokenized (the tokenizer comes with the model):
a llama.cpp token covers at least one byte of text, a chat template adds a few tokens a
message (role markers, a default system prompt: ``TEMPLATE_SLACK`` is generous), and the
answer takes at most max_tokens.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

STEP = 512  # contexts come in multiples of this many tokens
TEMPLATE_SLACK = 64  # tokens a chat template may add per message, and once more for the reply's header


def chat_need(messages: Iterable[Mapping], max_tokens: int) -> int:
    """An upper bound on the context tokens a chat takes: prompt and answer."""
    count = 0
    size = 0
    for m in messages:
        count += 1
        content = m.get("content") if isinstance(m, Mapping) else None
        size += len(content.encode("utf-8", errors="replace")) if isinstance(content, str) else 0
    return size + TEMPLATE_SLACK * (count + 1) + max(int(max_tokens), 0)


def sized(need: int, cap: int) -> int:
    """``need`` rounded up to a multiple of STEP, at most ``cap`` (0: no cap known yet)."""
    rounded = max(STEP, -(-int(need) // STEP) * STEP)
    return min(rounded, cap) if cap > 0 else rounded

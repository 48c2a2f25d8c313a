"""LoRA adapters for the tiny test base, and the reference they are judged against.

``lora_set``: the tiny base (tiny.gguf), adapters A and B (random rank-8 pairs on the
attention weights, written with the ``gguf`` package the way convert_lora_to_gguf.py
lays them out) and a set of bad ones (wrong architecture, shapes of another base,
truncated, not an adapter). ``reference(base, adapter, scale, ...)`` is what
llama-cpp-python itself answers with the adapter fixed at load time
(``Llama(lora_path=..., lora_scale=...)``) through its own chat API: the answer slm
must give, token for token, when it switches adapters per request.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tinymodels import make_lora_gguf, make_tiny_gguf

PROMPT = [{"role": "user", "content": "hello the world"}]
SEED = 7
MAX_TOKENS = 16


@dataclass(frozen=True)
class LoraSet:
    base: Path
    a: Path
    b: Path
    wrong_arch: Path
    wrong_shape: Path
    truncated: Path
    not_adapter: Path


@pytest.fixture(scope="session")
def lora_set(tmp_path_factory) -> LoraSet:
    d = tmp_path_factory.mktemp("lora")
    base = make_tiny_gguf(d / "tiny.gguf")
    other = make_tiny_gguf(d / "other-shape.gguf", n_embd=32, n_ff=64)
    a = make_lora_gguf(d / "a.gguf", base, seed=1)
    truncated = d / "truncated.gguf"
    truncated.write_bytes(a.read_bytes()[: a.stat().st_size // 2])
    return LoraSet(base=base, a=a, b=make_lora_gguf(d / "b.gguf", base, seed=2),
                   wrong_arch=make_lora_gguf(d / "qwen-lora.gguf", base, seed=3, architecture="qwen2"),
                   wrong_shape=make_lora_gguf(d / "other-lora.gguf", other, seed=4),
                   truncated=truncated, not_adapter=other)


def reference(base: Path, adapter: Path | None = None, scale: float = 1.0, *, messages=PROMPT,
              max_tokens: int = MAX_TOKENS, seed: int = SEED, n_ctx: int = 512) -> str:
    """llama-cpp-python's own greedy answer with ``adapter`` applied at load time."""
    llm = raw_llama(base, n_ctx=n_ctx, seed=seed, lora_path=str(adapter) if adapter else None, lora_scale=scale)
    try:
        out = llm.create_chat_completion(messages, temperature=0.0, max_tokens=max_tokens, seed=seed)
    finally:
        llm.close()
    return out["choices"][0]["message"]["content"]


def raw_llama(base: Path, **options):
    """llama-cpp-python's Llama, loaded with the buffer types slm's backend uses on this CPU
    (llama.cpp's AMX matmul crashes on Q4 models: slm.device.llama_extra_buffers)."""
    import llama_cpp

    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    options = {"n_ctx": 512, "n_threads": 1, "n_threads_batch": 1, "verbose": False, **options}
    with model_params(extra_buffers=llama_extra_buffers("auto")):
        return llama_cpp.Llama(str(base), **options)


def same_text(ours: str, theirs: str) -> bool:
    """llama-cpp-python drops a cut-off UTF-8 byte where slm writes U+FFFD; otherwise equal."""
    return ours.replace("\ufffd", "") == theirs.replace("\ufffd", "")

"""LoRA adapters on a real small base: SmolLM2-135M-Instruct Q4_1 (tests/real_model.py).

Two random rank-8 adapters are written with the ``gguf`` package from the base's own
header shapes (attention q/k/v/output of all 30 layers). With a fixed seed and greedy
decoding each request must give llama-cpp-python's load-time ``Llama(lora_path=...)``
answer, through the alternating A, B, none, A sequence; scale 0 must give the base's.
Off CI, with no package index and no cached copy of the model, these tests skip.
"""
from __future__ import annotations

import os

import pytest

from lora_fixtures import reference, same_text
from real_model import RealModelUnavailable, real_model_file
from tinymodels import make_lora_gguf

PROMPT = [{"role": "user", "content": "What is the capital of France?"}]
TOKENS = 10


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    try:
        base = real_model_file()
    except RealModelUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"the real test model is not available here: {exc}")
    d = tmp_path_factory.mktemp("real_lora")
    a = make_lora_gguf(d / "smollm2-a.gguf", base, seed=1, strength=0.5)
    b = make_lora_gguf(d / "smollm2-b.gguf", base, seed=2, strength=0.5)
    refs = {name: reference(base, path, messages=PROMPT, max_tokens=TOKENS)
            for name, path in (("none", None), ("a", a), ("b", b))}
    return base, {"a": a, "b": b}, refs


def test_real_adapters_switch_per_request_and_match_the_load_time_reference(real):
    from slm.api import Runtime

    base, adapters, refs = real
    assert len(set(refs.values())) == 3, refs  # each adapter changes the greedy answer
    with Runtime(threads=1) as rt:
        for name in ("a", "b", "none", "a"):
            chosen = [str(adapters[name])] if name in adapters else None
            text = rt.local_chat(str(base), PROMPT, max_tokens=TOKENS, temperature=0.0, seed=7,
                                 adapters=chosen).text
            assert same_text(text, refs[name]), (name, text, refs[name])
        assert rt.backend(str(base)).adapters.prompts.restored_tokens > 0  # the last A got A's own prompt back
        off = rt.local_chat(str(base), PROMPT, max_tokens=TOKENS, temperature=0.0, seed=7,
                            adapters=[(str(adapters["a"]), 0.0)]).text
        assert same_text(off, refs["none"])
        (row,) = rt.models.status()  # the base once, each adapter by its size; the scale-0 one not loaded
        assert row["ram_bytes"] == rt.resolve_model(str(base)).ram_bytes + sum(p.stat().st_size
                                                                               for p in adapters.values())

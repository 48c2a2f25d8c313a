"""A prompt cache per adapter set: A, B, A does not evaluate A's prompt again, and tokens
evaluated under one set are never reused under another.

How many prompt tokens each request evaluated is read from llama.cpp's own counters
(``llama_perf_context``: ``n_p_eval`` counts the tokens of multi-token decodes), and every
answer is checked against llama-cpp-python's load-time ``Llama(lora_path=...)`` reference.
"""
from __future__ import annotations

import llama_cpp
import pytest
from lora_fixtures import MAX_TOKENS, PROMPT, SEED, lora_set, reference, same_text  # noqa: F401 - fixture
from slm.api import Runtime
from slm.backends import prompt_cache


@pytest.fixture(scope="module")
def refs(lora_set):  # noqa: F811
    s = lora_set
    return {"none": reference(s.base), "a": reference(s.base, s.a), "b": reference(s.base, s.b),
            "a/2": reference(s.base, s.a, 0.5)}


def ask(rt, s, name):
    """(answer, prompt tokens, prompt tokens llama.cpp evaluated for it)."""
    adapters = {"none": None, "a": [str(s.a)], "b": [str(s.b)], "a/2": [(str(s.a), 0.5)]}[name]
    backend = rt.models.loaded() and rt.backend(str(s.base))
    before = llama_cpp.llama_perf_context(backend.llm._ctx.ctx).n_p_eval if backend else 0
    stream = rt.local_chat(str(s.base), PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED, adapters=adapters)
    text = stream.text
    after = llama_cpp.llama_perf_context(rt.backend(str(s.base)).llm._ctx.ctx).n_p_eval
    return text, stream.usage.prompt_tokens, after - before


def test_each_set_gets_its_own_prompt_back_and_never_another_sets(lora_set, refs):  # noqa: F811
    with Runtime(threads=1) as rt:
        for step, name in enumerate(["a", "b", "none", "a/2", "a", "b", "none", "a/2", "b", "a"]):
            text, prompt_tokens, evaluated = ask(rt, lora_set, name)
            assert same_text(text, refs[name]), (step, name)
            if step < 4:  # the first time under each set: the whole prompt, nothing from another set
                assert evaluated >= prompt_tokens - 1, (step, name, evaluated, prompt_tokens)
            else:  # the set's own prompt came back: only its last token is evaluated again (one-token decode)
                assert evaluated == 0, (step, name, evaluated)
        slots = rt.backend(str(lora_set.base)).adapters
        assert slots.prompts.restored_tokens > 0


def test_the_cache_is_bounded_and_an_evicted_set_evaluates_its_prompt_again(lora_set, refs, monkeypatch):  # noqa: F811
    monkeypatch.setattr(prompt_cache, "MAX_SETS", 1)
    with Runtime(threads=1) as rt:
        for name in ("a", "b", "none"):  # saved at each switch: a, then b (a dropped)
            assert same_text(ask(rt, lora_set, name)[0], refs[name])
        slots = rt.backend(str(lora_set.base)).adapters
        assert len(slots.prompts._saved) == 1
        text, prompt_tokens, evaluated = ask(rt, lora_set, "a")
        assert same_text(text, refs["a"]) and evaluated >= prompt_tokens - 1
        text, _tokens, evaluated = ask(rt, lora_set, "none")  # the bare base's prompt was the one kept
        assert same_text(text, refs["none"]) and evaluated == 0


def test_a_state_over_the_budget_is_not_kept(lora_set, refs, monkeypatch):  # noqa: F811
    monkeypatch.setattr(prompt_cache, "MAX_BYTES", 1024)
    with Runtime(threads=1) as rt:
        for name in ("a", "b", "a"):
            text, prompt_tokens, evaluated = ask(rt, lora_set, name)
            assert same_text(text, refs[name]) and evaluated >= prompt_tokens - 1
        assert rt.backend(str(lora_set.base)).adapters.prompts.size_bytes == 0

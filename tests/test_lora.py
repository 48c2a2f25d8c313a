"""LoRA adapters on the llama.cpp backend: one base loaded once, adapters switched per request.

Every answer is checked against llama-cpp-python's own load-time ``Llama(lora_path=...)``
answer (lora_fixtures.reference), including the alternating A, B, none, A sequence that
catches a prompt cache reused across adapters (llama.cpp issue #26207).
"""
from __future__ import annotations

import subprocess
import sys

import gguf
import pytest
from conftest import run_at_once, subprocess_env
from lora_fixtures import (  # noqa: F401 - fixture
    MAX_TOKENS,
    PROMPT,
    SEED,
    lora_set,
    raw_llama,
    reference,
    same_text,
)
from slm.api import Runtime
from slm.errors import (
    AdapterError,
    AdapterMismatchError,
    CorruptAdapterError,
    ModelNotPresentError,
    NotAnAdapterError,
    UnknownModelError,
    UsageError,
)
from slm.store.adapter_check import check_adapter, check_adapter_for
from slm.store.gguf_check import CheckCache


@pytest.fixture(scope="module")
def refs(lora_set):
    s = lora_set
    return {"none": reference(s.base), "a": reference(s.base, s.a), "b": reference(s.base, s.b),
            "a/2": reference(s.base, s.a, 0.5)}


@pytest.fixture
def rt():
    runtime = Runtime(threads=1)
    yield runtime
    runtime.close()


def chat(rt, s, adapters=None):
    return rt.local_chat(str(s.base), PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED,
                         adapters=adapters)


def test_the_writer_lays_an_adapter_out_as_llama_cpp_expects(lora_set):
    reader = gguf.GGUFReader(str(lora_set.a))  # an independent reader, not slm's header parser
    fields = {name: reader.fields[name] for name in ("general.type", "adapter.type", "adapter.lora.alpha",
                                                     "general.architecture")}
    text = {k: bytes(f.parts[f.data[0]]).decode() for k, f in fields.items() if k != "adapter.lora.alpha"}
    assert text == {"general.type": "adapter", "adapter.type": "lora", "general.architecture": "llama"}
    assert float(fields["adapter.lora.alpha"].parts[-1][0]) == 8.0
    names = {t.name: list(t.shape) for t in reader.tensors}  # ggml order: ne0 first
    assert names["blk.0.attn_q.weight.lora_a"] == [64, 8] and names["blk.0.attn_q.weight.lora_b"] == [8, 64]
    assert len(names) == 2 * 2 * 4  # 2 layers x q/k/v/output x (a, b)
    info = check_adapter(lora_set.a)
    assert (info.architecture, info.alpha, info.rank, len(info.targets)) == ("llama", 8.0, 8, 8)


def test_each_adapter_answers_as_llama_cpp_python_does_with_it_fixed_at_load(rt, lora_set, refs):
    assert len({refs["none"], refs["a"], refs["b"], refs["a/2"]}) == 4  # the adapters change the answer
    stream = chat(rt, lora_set, [str(lora_set.a)])
    assert same_text(stream.text, refs["a"])
    assert stream.adapters == [{"adapter": str(lora_set.a), "scale": 1.0}]
    assert same_text(chat(rt, lora_set, [(str(lora_set.a), 0.5)]).text, refs["a/2"])


def test_alternating_adapters_never_reuse_another_adapters_prompt_cache(rt, lora_set, refs):
    sequence = ["a", "b", "none", "a", "a", "none", "b", "b", "a"]
    for name in sequence:
        adapters = None if name == "none" else [str(getattr(lora_set, name))]
        answer = chat(rt, lora_set, adapters).text
        assert same_text(answer, refs[name]), f"request under {name} got another adapter's answer"
    assert len(rt.models.loaded()) == 1  # one base in memory the whole time
    backend = rt.backend(str(lora_set.base))
    assert sorted(a["adapter"] for a in backend.adapters.loaded()) == sorted([str(lora_set.a), str(lora_set.b)])


def test_scale_zero_is_the_base_and_reuses_its_cache(rt, lora_set, refs):
    assert same_text(chat(rt, lora_set, [f"{lora_set.a}:0"]).text, refs["none"])
    assert same_text(chat(rt, lora_set, [(str(lora_set.a), 0.0), (str(lora_set.b), 0.0)]).text, refs["none"])
    # it equals the base, so it is not even loaded: no llama.cpp buffer, no graph nodes, no RAM counted
    assert rt.backend(str(lora_set.base)).adapters.loaded() == []
    (row,) = rt.models.status()
    assert row["adapters"] == [] and row["ram_bytes"] == rt.resolve_model(str(lora_set.base)).ram_bytes


def test_stacked_adapters_equal_llama_cpp_with_both(rt, lora_set):
    import llama_cpp

    # llama-cpp-python's Llama takes one lora_path: stack the second on its context by hand.
    llm = raw_llama(lora_set.base, seed=SEED, lora_path=str(lora_set.a))
    try:
        b = llama_cpp.llama_adapter_lora_init(llm._model.model, str(lora_set.b).encode())
        handles = (llama_cpp.llama_adapter_lora_p_ctypes * 2)(llm._lora_adapter, b)
        scales = (llama_cpp.ctypes.c_float * 2)(1.0, 0.5)
        assert llama_cpp.llama_set_adapters_lora(llm._ctx.ctx, handles, 2, scales) == 0
        want = llm.create_chat_completion(PROMPT, temperature=0.0, max_tokens=MAX_TOKENS, seed=SEED)
        llama_cpp.llama_set_adapters_lora(llm._ctx.ctx, None, 0, None)
        llama_cpp.llama_adapter_lora_free(b)
    finally:
        llm.close()
    got = chat(rt, lora_set, [str(lora_set.a), f"{lora_set.b}:0.5"]).text
    assert same_text(got, want["choices"][0]["message"]["content"])


@pytest.mark.parametrize("which, error, words", [
    ("wrong_arch", AdapterMismatchError, r"is for qwen2 models, but \S*tiny.gguf is llama"),
    ("wrong_shape", AdapterMismatchError, r"does not fit \S*tiny.gguf: blk.0.attn_q.weight is \[64, 64\] in the base"),
    ("truncated", CorruptAdapterError, "is truncated"),
    ("not_adapter", NotAnAdapterError, "is not a LoRA adapter"),
])
def test_a_bad_adapter_is_one_typed_line_and_the_rest_keeps_working(rt, lora_set, refs, which, error, words):
    with pytest.raises(error, match=words) as caught:
        chat(rt, lora_set, [str(getattr(lora_set, which))])
    assert "\n" not in caught.value.one_line()
    # the base and a good adapter still answer, on the same loaded base
    assert same_text(chat(rt, lora_set).text, refs["none"])
    assert same_text(chat(rt, lora_set, [str(lora_set.a)]).text, refs["a"])


def test_missing_adapter_missing_base_and_no_base(rt, lora_set, tmp_path):
    with pytest.raises(UnknownModelError, match="no model file at"):
        chat(rt, lora_set, [str(tmp_path / "gone.gguf")])
    with pytest.raises(ModelNotPresentError, match="adapter someorg/loras/legal.gguf is not on this device"):
        chat(rt, lora_set, ["someorg/loras/legal.gguf"])
    with pytest.raises(UsageError, match="an adapter needs a base model"):
        rt.ask("hello", adapters=[str(lora_set.a)])
    with pytest.raises(ModelNotPresentError, match="model qwen2.5-0.5b-instruct is not on this device"):
        rt.ask("hello", model="qwen2.5-0.5b-instruct", adapters=[str(lora_set.a)], local_only=True)
    with pytest.raises(AdapterError, match="is a LoRA adapter, not a model"):
        rt.local_chat(str(lora_set.a), PROMPT)
    with pytest.raises(UsageError, match="scale must be a number"):
        chat(rt, lora_set, [(str(lora_set.a), float("nan"))])


def test_the_pair_check_is_cached_per_file_identity(lora_set, tmp_path):
    cache = CheckCache(tmp_path / "checks.json")
    first = check_adapter_for(lora_set.a, lora_set.base, cache=cache)
    assert len(cache._load()) == 1 and first.rank == 8
    again = check_adapter_for(lora_set.a, lora_set.base, cache=cache)
    assert (again.architecture, again.rank, again.size_bytes) == (first.architecture, first.rank, first.size_bytes)
    with pytest.raises(AdapterMismatchError):  # a failing pair is never cached
        check_adapter_for(lora_set.wrong_arch, lora_set.base, cache=cache)
    assert len(cache._load()) == 1


def test_an_adapter_is_walked_once_on_its_first_load(rt, lora_set, tmp_path, monkeypatch):
    """The runtime checks an adapter against its base; the backend loading it does not walk the
    two files again (it did: every first load read both GGUF headers twice)."""
    from slm.store import adapter_check
    from tinymodels import make_lora_gguf

    walked = []
    real_check = adapter_check.check_adapter
    monkeypatch.setattr(adapter_check, "check_adapter", lambda path: walked.append(path) or real_check(path))
    fresh = make_lora_gguf(tmp_path / "fresh.gguf", lora_set.base, seed=9)  # in no verdict cache yet
    chat(rt, lora_set, [str(fresh)])
    assert walked == [fresh]
    # a backend asked directly (no runtime check) still checks before llama.cpp sees the file
    backend = rt.backend(str(lora_set.base))
    from slm.backends.lora import Adapter

    with pytest.raises(AdapterMismatchError):
        backend.chat(PROMPT, max_tokens=2, adapters=[Adapter(lora_set.wrong_arch)])


def test_memory_counts_the_base_once_and_each_adapter(rt, lora_set):
    chat(rt, lora_set, [str(lora_set.a)])
    chat(rt, lora_set, [str(lora_set.b)])
    chat(rt, lora_set, [str(lora_set.a), str(lora_set.b)])
    backend = rt.backend(str(lora_set.base))
    sizes = sorted([lora_set.a.stat().st_size, lora_set.b.stat().st_size])
    # one count, the one slm ps and the RAM budget use: the base's RAM once, each adapter by its size
    (row,) = rt.models.status()
    assert row["ram_bytes"] == rt.resolve_model(str(lora_set.base)).ram_bytes + sum(sizes)
    assert sorted(a["size_bytes"] for a in row["adapters"]) == sizes
    backend.close()  # adapters are freed with their base: no crash, nothing left
    assert backend.adapters.loaded() == [] and backend.closed


def test_two_threads_on_two_adapters_get_their_own_answers(lora_set, refs):
    with Runtime(threads=1) as rt:
        results: dict[str, list[str]] = {"a": [], "b": []}

        def work(name):
            for _ in range(4):
                results[name].append(chat(rt, lora_set, [str(getattr(lora_set, name))]).text)

        errors = run_at_once(work, ["a", "b"])
        assert not errors, errors
        for name in ("a", "b"):
            assert len(results[name]) == 4 and all(same_text(r, refs[name]) for r in results[name])


def cli(*args):
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], env=subprocess_env(),
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_ask_with_adapters_and_bad_ones(lora_set, refs):
    import json

    run = cli("ask", "--json", "--model", str(lora_set.base), "--adapter", f"{lora_set.a}:0.5",
              "--temperature", "0", "--seed", str(SEED), "--max-tokens", str(MAX_TOKENS), "hello the world")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["adapters"] == [{"adapter": f"{lora_set.a}", "scale": 0.5}] and same_text(out["text"], refs["a/2"])
    for bad, words in ((lora_set.wrong_arch, "is for qwen2 models"), (lora_set.truncated, "is truncated"),
                       (lora_set.not_adapter, "is not a LoRA adapter"), (lora_set.wrong_shape, "does not fit")):
        run = cli("ask", "--model", str(lora_set.base), "--adapter", str(bad), "hello")
        assert run.returncode == 1 and run.stderr.startswith("error: ") and words in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    run = cli("ask", "--adapter", str(lora_set.a), "hello")
    assert run.returncode == 2 and "needs a base model" in run.stderr
    run = cli("ask", "--model", "qwen2.5-0.5b-instruct", "--adapter", str(lora_set.a), "hello")  # base absent
    assert run.returncode == 1 and "is not on this device" in run.stderr and "Traceback" not in run.stderr


def test_an_adapter_survives_the_context_growing_for_a_longer_prompt(tmp_path):
    # The llama backend sizes its context to the request and gives a longer one a larger context:
    # the adapter must still apply there (the new context starts under no adapter set).
    from tinymodels import make_lora_gguf, make_tiny_gguf

    base = make_tiny_gguf(tmp_path / "long-ctx.gguf", n_ctx=4096, seed=5)
    a = make_lora_gguf(tmp_path / "a.gguf", base, seed=1)
    long = [{"role": "user", "content": " ".join(["hello the world"] * 300)}]
    with Runtime(threads=1) as rt:
        short = rt.local_chat(str(base), PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED, adapters=[str(a)])
        assert same_text(short.text, reference(base, a))
        backend = rt.backend(str(base))
        small = backend.allocated_ctx
        grown = rt.local_chat(str(base), long, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED, adapters=[str(a)])
        assert same_text(grown.text, reference(base, a, messages=long, n_ctx=4096))
        assert rt.backend(str(base)) is backend and backend.allocated_ctx > small
        bare = rt.local_chat(str(base), long, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED)
        assert same_text(bare.text, reference(base, messages=long, n_ctx=4096))
        assert [x["adapter"] for x in backend.adapters.loaded()] == [str(a)]


def test_a_longer_prompt_grows_the_context_not_the_model(tmp_path):
    # A longer request gets a larger context on the same llama_model: the weights are not loaded
    # again and the adapters loaded into them keep their handles (no reload, nothing to refuse).
    from tinymodels import make_lora_gguf, make_tiny_gguf

    base = make_tiny_gguf(tmp_path / "long-ctx.gguf", n_ctx=4096, seed=5)
    a = make_lora_gguf(tmp_path / "a.gguf", base, seed=1)
    long = [{"role": "user", "content": " ".join(["hello the world"] * 300)}]
    with Runtime(threads=1) as rt:
        short = rt.local_chat(str(base), PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED, adapters=[str(a)])
        assert same_text(short.text, reference(base, a))
        backend = rt.backend(str(base))
        model, handles = backend.llm._model.model, [x.handle for x in backend.adapters._loaded.values()]
        small = backend.allocated_ctx
        grown = rt.local_chat(str(base), long, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED, adapters=[str(a)])
        assert same_text(grown.text, reference(base, a, messages=long, n_ctx=4096))
        assert backend.allocated_ctx > small and backend.llm._model.model == model
        assert [x.handle for x in backend.adapters._loaded.values()] == handles

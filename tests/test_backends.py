"""The inference backends on real (tiny) models: llama.cpp chat and onnxruntime tensors."""
from __future__ import annotations

import json
import os
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import run_at_once
from slm import device
from slm.backends.base import load_backend
from slm.backends.cache import ModelCache
from slm.backends.llama import LlamaBackend, _stop_prefix_len
from slm.backends.onnx import OnnxBackend, pick_providers
from slm.config import load_settings
from slm.errors import (
    BackendError,
    ContextOverflowError,
    CorruptModelError,
    ModelInputError,
    UsageError,
)
from tinymodels import make_tiny_gguf, tiny_onnx_weights

pytest_plugins = ("model_fixtures",)

HELLO = [{"role": "user", "content": "hello there"}]


@pytest.fixture(scope="module")
def gguf_path(tiny_gguf):
    return tiny_gguf  # the session's shared tiny model (tests/model_fixtures.py), built once


@pytest.fixture(scope="module")
def llama(gguf_path):
    backend = LlamaBackend(gguf_path, threads=1, n_ctx=512)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def onnx_path(tiny_onnx):
    return tiny_onnx  # the session's shared tiny model (tests/model_fixtures.py)


def _local(path, fmt="gguf", context_length=None):
    return SimpleNamespace(name=path.name, path=path, format=fmt, size_bytes=path.stat().st_size,
                           ram_bytes=None, context_length=context_length)


# --- device --------------------------------------------------------------------------
def test_device_threads_and_memory():
    threads = device.cpu_threads()
    assert 1 <= threads <= (os.cpu_count() or 1)
    total, available = device.memory()
    assert total > 0 and 0 < available <= total


def test_cpu_flags_and_the_amx_rule(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 amx_tile amx_int8 avx512f\n\nprocessor\t: 1\n")
    flags = device.cpu_flags.__wrapped__(str(info))
    assert {"amx_int8", "avx2"} <= flags and "processor" not in flags
    assert device.cpu_flags.__wrapped__(str(tmp_path / "absent")) == frozenset()
    assert device.llama_extra_buffers("auto", flags) is False  # llama.cpp #20824: AMX matmul crashes
    assert device.llama_extra_buffers("auto", frozenset({"avx2", "avx512f"})) is True
    assert device.llama_extra_buffers("on", flags) is True and device.llama_extra_buffers("off", frozenset()) is False


def test_extra_buffers_off_reaches_llama_cpp_and_changes_no_answer(gguf_path, llama):
    import llama_cpp.llama_cpp as bindings

    plain = LlamaBackend(gguf_path, threads=1, n_ctx=512, extra_buffers=False)
    try:
        assert plain.llm.model_params.use_extra_bufts is False and llama.llm.model_params.use_extra_bufts is True
        assert bindings.llama_model_default_params().use_extra_bufts is True  # the defaults are restored
        ask = dict(max_tokens=12, seed=3, temperature=0.0)
        assert plain.chat(HELLO, **ask).text == llama.chat(HELLO, **ask).text
    finally:
        plain.close()


def test_the_cache_applies_the_extra_buffers_setting(gguf_path, tmp_path):
    for setting, expected in (("off", False), ("on", True)):
        cache = ModelCache(load_settings(env={"SLM_LLAMA_EXTRA_BUFFERS": setting}, home=tmp_path))
        try:
            assert cache.get(_local(gguf_path)).llm.model_params.use_extra_bufts is expected
        finally:
            cache.close()


# --- llama.cpp -----------------------------------------------------------------------
def test_chat_streams_pieces_and_reports_usage(llama):
    stream = llama.chat(HELLO, max_tokens=16, seed=1, temperature=0.8, model="tiny")
    assert not stream.done
    pieces = []
    for piece in stream:
        if not pieces:
            assert not stream.done  # the first piece arrives before generation ends
        pieces.append(piece)
    assert len(pieces) > 1 and stream.done
    assert stream.text == "".join(pieces)
    assert stream.finish_reason == "length" and stream.usage.completion_tokens == 16
    template = "<|im_start|>user\nhello there<|im_end|>\n<|im_start|>assistant\n"
    assert stream.usage.prompt_tokens == len(llama.llm.tokenize(template.encode(), add_bos=False, special=True))
    assert stream.model == "tiny"
    assert 0 < stream.timings.ttft_ms <= stream.timings.total_ms


def test_text_drains_an_unread_stream(llama):
    stream = llama.chat(HELLO, max_tokens=5, seed=2)
    assert stream.usage.completion_tokens == 0
    assert stream.text and stream.usage.completion_tokens == 5


def test_matches_llama_cpp_python_token_for_token(llama):
    for seed in (3, 4):
        ours = llama.chat(HELLO, max_tokens=24, seed=seed, temperature=0.9)
        text = ours.text
        raw = llama.llm.create_chat_completion(HELLO, max_tokens=24, seed=seed, temperature=0.9)
        assert ours.usage.prompt_tokens == raw["usage"]["prompt_tokens"]
        assert ours.usage.completion_tokens == raw["usage"]["completion_tokens"]
        # llama-cpp-python drops undecodable bytes; we show them as U+FFFD
        assert text.replace("\ufffd", "") == raw["choices"][0]["message"]["content"]


def test_seed_makes_answers_repeatable(llama):
    a = llama.chat(HELLO, max_tokens=20, seed=11, temperature=1.0).text
    b = llama.chat(HELLO, max_tokens=20, seed=11, temperature=1.0).text
    others = {llama.chat(HELLO, max_tokens=20, seed=s, temperature=1.0).text for s in (12, 13, 14)}
    assert a == b
    assert others - {a}  # other seeds give other answers


def test_temperature_zero_is_greedy(llama):
    answers = {llama.chat(HELLO, max_tokens=12, seed=s, temperature=0.0).text for s in (1, 2, 3)}
    assert len(answers) == 1


def test_max_tokens_bounds_the_answer(llama):
    for n in (1, 3, 7):
        stream = llama.chat(HELLO, max_tokens=n, seed=5, temperature=1.0)
        stream.text
        assert stream.usage.completion_tokens <= n
        if stream.finish_reason == "length":
            assert stream.usage.completion_tokens == n


def test_stop_sequence_cuts_the_answer(llama):
    full = llama.chat(HELLO, max_tokens=40, seed=21, temperature=1.0).text
    words = [w for w in full.split() if "\ufffd" not in w and len(w) >= 2]
    assert words, full
    stop = words[len(words) // 2]
    cut = llama.chat(HELLO, max_tokens=40, seed=21, temperature=1.0, stop=[stop, "never-appears-xyz"])
    pieces = list(cut)
    assert cut.finish_reason == "stop"
    assert cut.text == "".join(pieces) == full[:full.index(stop)]
    assert stop not in cut.text
    assert cut.usage.completion_tokens < 40


def test_stop_prefix_is_held_back():
    assert _stop_prefix_len("abc ##", ["###"]) == 2
    assert _stop_prefix_len("abc", ["###"]) == 0
    assert _stop_prefix_len("xaa", ["aab"]) == 2


def test_json_schema_output_validates(llama):
    import jsonschema  # a test extra: missing is a failure, not a skip
    schema = {"type": "object",
              "properties": {"ok": {"type": "boolean"}, "kind": {"enum": ["invoice", "email"]},
                             "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 3}},
              "required": ["ok", "kind", "tags"], "additionalProperties": False}
    for seed in (1, 2, 3):
        stream = llama.chat(HELLO, max_tokens=200, seed=seed, temperature=1.0, json_schema=schema)
        value = json.loads(stream.text)
        jsonschema.validate(value, schema)
        assert stream.finish_reason == "stop"


def test_bad_requests_are_usage_errors(llama):
    with pytest.raises(UsageError):
        llama.chat([], max_tokens=4)
    with pytest.raises(UsageError):
        llama.chat([{"role": "user"}], max_tokens=4)
    with pytest.raises(UsageError):
        llama.chat(HELLO, max_tokens=0)
    with pytest.raises(UsageError):
        llama.chat(HELLO, temperature=-1)
    with pytest.raises(UsageError):
        llama.chat(HELLO, stop=[3])
    with pytest.raises(UsageError):
        llama.chat(HELLO, json_schema={"type": "object", "properties": {"a": {"$ref": "#/nowhere"}}})
    with pytest.raises(UsageError):
        llama.chat(HELLO, json_schema="not a schema")


def test_context_overflow_is_typed(llama):
    long_prompt = " ".join(["customer invoice total"] * 400)  # > 512 tokens
    with pytest.raises(ContextOverflowError, match="512"):
        llama.chat([{"role": "user", "content": long_prompt}], max_tokens=4)
    assert llama.count_tokens(long_prompt) > 512
    # the model still works afterwards
    assert llama.chat(HELLO, max_tokens=3, seed=1).text


def test_count_tokens_and_context(llama):
    assert llama.count_tokens("hello world") == 2
    assert llama.count_tokens("") == 0
    assert llama.n_ctx == 512


def test_llama_cannot_run_tensors(llama):
    with pytest.raises(BackendError, match="cannot run"):
        llama.run({"input": [[1, 2, 3, 4]]})


def test_threads_follow_settings_or_device(gguf_path, tmp_path):
    cache = ModelCache(load_settings(env={}, home=tmp_path))
    backend = cache.get(_local(gguf_path))
    assert backend.llm.n_threads == device.cpu_threads() == cache.threads
    cache.close()
    cache = ModelCache(load_settings(env={}, home=tmp_path, threads=1))
    assert cache.get(_local(gguf_path)).llm.n_threads == 1
    cache.close()


def test_loading_prints_nothing(gguf_path, capfd):
    backend = LlamaBackend(gguf_path, threads=1, n_ctx=2048)  # beyond the trained 512: llama.cpp warns
    backend.chat(HELLO, max_tokens=2, seed=1).text
    backend.close()
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_corrupt_and_missing_gguf_are_typed(gguf_path, tmp_path):
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(gguf_path.read_bytes()[:20_000])
    with pytest.raises(CorruptModelError):
        LlamaBackend(truncated, threads=1, n_ctx=256)
    not_gguf = tmp_path / "text.gguf"
    not_gguf.write_text("hello, I am not a model\n")
    with pytest.raises(CorruptModelError, match="not a GGUF"):
        LlamaBackend(not_gguf, threads=1, n_ctx=256)
    with pytest.raises(BackendError, match="not found"):
        LlamaBackend(tmp_path / "missing.gguf", threads=1, n_ctx=256)


# --- the cache -----------------------------------------------------------------------------
def test_cache_reuses_loaded_models(gguf_path, tmp_path):
    with ModelCache(load_settings(env={}, home=tmp_path, threads=1)) as cache:
        first, load_ms = cache.get_timed(_local(gguf_path, context_length=512))
        again, again_ms = cache.get_timed(_local(gguf_path))
        assert first is again and load_ms > 0 and again_ms == 0.0
        assert first.n_ctx == 512  # capped at the model's trained context
        assert cache.loaded() == [gguf_path]
    assert first.closed and cache.loaded() == []
    with pytest.raises(BackendError, match="closed"):
        cache.get(_local(gguf_path))


def test_cache_reloads_a_replaced_file(tmp_path):
    path = make_tiny_gguf(tmp_path / "m.gguf", seed=1)
    with ModelCache(load_settings(env={}, home=tmp_path, threads=1)) as cache:
        first = cache.get(_local(path))
        make_tiny_gguf(tmp_path / "m.gguf", seed=2, n_layer=1)
        second = cache.get(_local(path))
        assert second is not first


def test_cache_is_lru_bounded(tmp_path):
    a = make_tiny_gguf(tmp_path / "a.gguf", seed=1)
    b = make_tiny_gguf(tmp_path / "b.gguf", seed=2)
    with ModelCache(load_settings(env={}, home=tmp_path, threads=1, max_loaded_models=1)) as cache:
        first = cache.get(_local(a))
        second = cache.get(_local(b))
        assert first.closed and not second.closed
        assert cache.loaded() == [b]


def test_cache_unloads_idle_models(gguf_path, tmp_path):
    settings = load_settings(env={}, home=tmp_path, threads=1, model_idle_timeout_s=0.2)
    with ModelCache(settings) as cache:
        backend = cache.get(_local(gguf_path))
        deadline = time.monotonic() + 5
        while not backend.closed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.loaded() == [] and backend.closed
        assert not cache.get(_local(gguf_path)).closed  # loads again on demand


def test_a_busy_model_is_not_unloaded_mid_answer(gguf_path, tmp_path):
    settings = load_settings(env={}, home=tmp_path, threads=1, model_idle_timeout_s=1000)
    with ModelCache(settings) as cache:
        backend = cache.get(_local(gguf_path))
        stream = backend.chat(HELLO, max_tokens=30, seed=1)
        it = iter(stream)
        next(it)
        assert cache.evict_idle(now=time.monotonic() + 10_000) == 0  # busy: kept
        backend.close()  # deferred while generating
        assert not backend.closed
        rest = list(it)
        assert stream.done and backend.closed
        assert stream.usage.completion_tokens == 30 and rest


def test_cache_is_thread_safe(gguf_path, tmp_path):
    results, errors = [], []
    with ModelCache(load_settings(env={}, home=tmp_path, threads=1)) as cache:
        def work(seed):
            try:
                backend = cache.get(_local(gguf_path))
                results.append((backend, backend.chat(HELLO, max_tokens=8, seed=seed).text))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors
    assert len(results) == 4 and len({id(b) for b, _ in results}) == 1  # loaded once


# --- onnxruntime ----------------------------------------------------------------------------
def test_onnx_signature_and_run(onnx_path):
    backend = load_backend(onnx_path, "onnx", threads=1, n_ctx=0)
    assert isinstance(backend, OnnxBackend)
    assert backend.signature().to_dict() == {
        "inputs": [{"name": "input", "dtype": "float32", "shape": ["N", 4]}],
        "outputs": [{"name": "output", "dtype": "float32", "shape": ["N", 2]}],
    }
    assert "CPUExecutionProvider" in backend.providers
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    w, b = tiny_onnx_weights()
    np.testing.assert_allclose(backend.run({"input": x})["output"], x @ w + b, rtol=1e-5)
    np.testing.assert_allclose(backend.run([[1, 2, 3, 4]])["output"], np.array([[1, 2, 3, 4]]) @ w + b, rtol=1e-5)
    backend.close()


def test_onnx_bad_inputs_are_typed(onnx_path):
    backend = OnnxBackend(onnx_path, threads=1)
    with pytest.raises(ModelInputError, match=r"shape \[\?, 4\]"):
        backend.run({"input": np.zeros((2, 3), dtype=np.float32)})
    with pytest.raises(ModelInputError, match="shape"):
        backend.run({"input": np.zeros(4, dtype=np.float32)})
    with pytest.raises(ModelInputError, match="missing input"):
        backend.run({"x": np.zeros((1, 4), dtype=np.float32)})
    with pytest.raises(ModelInputError, match="float32"):
        backend.run({"input": [["a", "b", "c", "d"]]})
    with pytest.raises(BackendError, match="cannot chat"):
        backend.chat(HELLO)
    assert backend.run({"input": np.ones((1, 4))})["output"].shape == (1, 2)  # still fine after errors


def test_onnx_corrupt_file_is_typed(onnx_path, tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(onnx_path.read_bytes()[:40])
    with pytest.raises(CorruptModelError):
        OnnxBackend(bad, threads=1)


def test_provider_choice():
    assert pick_providers(["CPUExecutionProvider"]) == ["CPUExecutionProvider"]
    assert pick_providers(["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]) == [
        "CUDAExecutionProvider", "CPUExecutionProvider"]
    assert pick_providers([]) == ["CPUExecutionProvider"]


def test_unknown_format_is_typed(tmp_path):
    with pytest.raises(BackendError, match="format"):
        load_backend(tmp_path / "x.bin", "safetensors", threads=1, n_ctx=0)


def test_leaving_a_stream_early_frees_the_model(llama):
    for piece in llama.chat(HELLO, max_tokens=30, seed=1):
        break
    assert not llama.busy
    stream = llama.chat(HELLO, max_tokens=30, seed=1)
    next(iter(stream))
    stream.close()
    assert not llama.busy
    assert llama.chat(HELLO, max_tokens=3, seed=1).text


def test_a_second_answer_in_the_same_thread_fails_instead_of_hanging(llama):
    first = iter(llama.chat(HELLO, max_tokens=30, seed=1))
    next(first)
    with pytest.raises(BackendError, match="busy"):
        llama.chat(HELLO, max_tokens=3, seed=1).text
    rest = "".join(first)  # the first answer is unharmed
    assert rest and not llama.busy


def test_cache_shares_one_load_across_paths_and_unloads(gguf_path, tmp_path):
    link = tmp_path / "link.gguf"
    link.symlink_to(gguf_path)
    with ModelCache(load_settings(env={}, home=tmp_path, threads=1)) as cache:
        assert cache.get(_local(gguf_path)) is cache.get(_local(link))
        assert cache.unload(link) and cache.loaded() == []
        assert not cache.unload(tmp_path / "never-loaded.gguf")


def test_models_loading_at_once_in_threads_leave_llama_cpp_unpatched(tmp_path):
    # Found by the server's load test: a load that read llama-cpp-python's formatter class while
    # another thread's load had swapped it for a stand-in "restored" the stand-in for good.
    from llama_cpp import llama_chat_format

    real = llama_chat_format.Jinja2ChatFormatter
    paths = [make_tiny_gguf(tmp_path / f"m{i}.gguf", seed=i) for i in range(4)]
    def load_and_chat(path):
        for _ in range(3):
            backend = LlamaBackend(path, threads=1, n_ctx=256)
            assert backend.chat([{"role": "user", "content": "hi"}], max_tokens=2, seed=1).text is not None
            backend.close()

    failures = run_at_once(load_and_chat, paths)
    assert not failures, failures
    assert llama_chat_format.Jinja2ChatFormatter is real


# --- context sized to the request ------------------------------------------------------------
def test_context_is_sized_to_the_request_and_grows_for_a_longer_one(tmp_path):
    from slm.api import Runtime

    path = make_tiny_gguf(tmp_path / "long-ctx.gguf", n_ctx=4096, seed=3)
    long_prompt = [{"role": "user", "content": " ".join(["hello there"] * 400)}]
    with Runtime(load_settings(env={}, home=tmp_path / "home", threads=1, n_ctx=4096)) as rt:
        short = rt.local_chat(str(path), HELLO, max_tokens=8, seed=5)
        short_text = "".join(short)
        backend = rt.backend(str(path))
        assert backend.n_ctx == 4096 and backend.allocated_ctx == 512  # 4096 can be used, 512 is allocated
        grown = rt.local_chat(str(path), long_prompt, max_tokens=16, seed=5)
        grown_text = "".join(grown)
        assert rt.backend(str(path)) is backend  # the same cached backend, reloaded with more context
        assert grown.usage.prompt_tokens + 16 <= backend.allocated_ctx < 4096
        again = "".join(rt.local_chat(str(path), HELLO, max_tokens=8, seed=5))
    fixed = LlamaBackend(path, threads=1, n_ctx=4096)  # no need given: all of n_ctx, as before
    try:
        assert fixed.allocated_ctx == 4096
        assert "".join(fixed.chat(HELLO, max_tokens=8, seed=5)) == short_text == again
        assert "".join(fixed.chat(long_prompt, max_tokens=16, seed=5)) == grown_text
    finally:
        fixed.close()


@pytest.mark.parametrize("words", [1, 7, 60, 300])
def test_the_need_bound_holds_the_tokenized_prompt(llama, words):
    from slm.backends.chat_template import render
    from slm.backends.context_size import TEMPLATE_SLACK, chat_need

    text = " ".join(["hello", "there", "ñ", "€5", "<|im_start|>", "x"] * words)[: 7 * words]
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": text}]
    formatted = render(llama._formatter, messages)
    tokens = llama.llm.tokenize(formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True)
    assert len(tokens) <= chat_need(messages, 0) - TEMPLATE_SLACK  # with a template's slack to spare

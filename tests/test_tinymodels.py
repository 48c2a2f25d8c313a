"""The tiny test models are real: llama.cpp and onnxruntime load and run them."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tinymodels import CHATML_TEMPLATE, make_tiny_gguf, make_tiny_onnx, tiny_onnx_weights


@pytest.fixture(scope="module")
def gguf_path(tmp_path_factory):
    return make_tiny_gguf(tmp_path_factory.mktemp("tm") / "tiny.gguf")


@pytest.fixture(scope="module")
def llm(gguf_path):
    import llama_cpp

    model = llama_cpp.Llama(str(gguf_path), n_ctx=512, n_threads=1, verbose=False)
    yield model
    model.close()


def test_gguf_is_small_deterministic_and_seeded(tmp_path, gguf_path):
    assert gguf_path.stat().st_size < 2_000_000
    again = make_tiny_gguf(tmp_path / "again.gguf")
    other = make_tiny_gguf(tmp_path / "other.gguf", seed=1)
    assert again.read_bytes() == gguf_path.read_bytes()
    assert other.read_bytes() != gguf_path.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically


def test_gguf_metadata_has_tokenizer_and_template(gguf_path):
    import gguf

    reader = gguf.GGUFReader(str(gguf_path))
    fields = reader.fields
    assert bytes(fields["general.architecture"].parts[-1]).decode() == "llama"
    assert bytes(fields["tokenizer.ggml.model"].parts[-1]).decode() == "llama"
    assert bytes(fields["tokenizer.chat_template"].parts[-1]).decode() == CHATML_TEMPLATE
    n_tokens = len(fields["tokenizer.ggml.tokens"].data)
    assert 600 < n_tokens < 3000
    assert reader.get_tensor(0).name == "token_embd.weight"


def test_template_can_be_left_out(tmp_path):
    import gguf

    path = make_tiny_gguf(tmp_path / "nt.gguf", chat_template=None, vocab=["alpha", "beta"])
    fields = gguf.GGUFReader(str(path)).fields
    assert "tokenizer.chat_template" not in fields
    assert len(fields["tokenizer.ggml.tokens"].data) < 500


def test_bad_shape_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        make_tiny_gguf(tmp_path / "bad.gguf", n_embd=30, n_head=4)
    assert not (tmp_path / "bad.gguf").exists()


def test_general_writer_makes_f16_grouped_query_models_llama_cpp_runs(tmp_path):
    """write_llama_gguf with the benchmark's options (F16, n_head_kv < n_head, rope base 1e6)."""
    import gguf
    import llama_cpp

    from slm.testing.tinymodels import tiny_vocab, write_llama_gguf

    tokens, scores, types = tiny_vocab()
    rng = np.random.default_rng(0)
    path = write_llama_gguf(tmp_path / "gqa.gguf", tokens=tokens, scores=scores, types=types,
                            weight=lambda rows, cols: rng.standard_normal((rows, cols)) * 0.5 / np.sqrt(cols),
                            n_layer=1, n_embd=64, n_head=4, n_head_kv=2, n_ff=128, n_ctx=256, f16=True,
                            rope_freq_base=1_000_000.0, name="gqa")
    reader = gguf.GGUFReader(str(path))
    tensors = {t.name: t for t in reader.tensors}
    assert tensors["blk.0.attn_q.weight"].tensor_type == gguf.GGMLQuantizationType.F16
    assert tensors["blk.0.attn_norm.weight"].tensor_type == gguf.GGMLQuantizationType.F32
    assert list(tensors["blk.0.attn_k.weight"].shape) == [64, 32]  # gguf lists (cols, rows): 2 KV heads of 16
    assert int(reader.fields["llama.attention.head_count_kv"].parts[-1][0]) == 2
    model = llama_cpp.Llama(str(path), n_ctx=256, n_threads=1, verbose=False)
    try:
        assert float(model.metadata["llama.rope.freq_base"]) == 1_000_000.0
        out = model.create_completion("the", max_tokens=3, temperature=0.0)
        assert out["usage"]["completion_tokens"] >= 1
    finally:
        model.close()
    with pytest.raises(ValueError):
        write_llama_gguf(tmp_path / "bad.gguf", tokens=tokens, scores=scores, types=types, weight=lambda r, c: None,
                         n_layer=1, n_embd=64, n_head=4, n_head_kv=3, n_ff=128, n_ctx=256)
    assert not list(tmp_path.glob("*bad.gguf*"))


def test_llama_cpp_tokenizes_words_and_any_text(llm):
    assert len(llm.tokenize(b"hello world", add_bos=False)) == 2  # whole-word pieces
    text = "Zürich: 3 × ☕ — ok"  # falls back to bytes, still round-trips
    tokens = llm.tokenize(text.encode(), add_bos=False)
    assert llm.detokenize(tokens).decode().strip() == text
    # the chat template's control tokens are single tokens
    assert len(llm.tokenize(b"<|im_start|>", add_bos=False, special=True)) == 1


def test_llama_cpp_chat_uses_the_template_and_generates(llm):
    assert llm.chat_format == "chat_template.default"
    out = llm.create_chat_completion([{"role": "user", "content": "hello"}], max_tokens=12, seed=7)
    assert out["usage"]["completion_tokens"] > 0
    assert out["usage"]["prompt_tokens"] == len(
        llm.tokenize(b"<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n", add_bos=False, special=True))
    again = llm.create_chat_completion([{"role": "user", "content": "hello"}], max_tokens=12, seed=7)
    assert again["choices"][0]["message"]["content"] == out["choices"][0]["message"]["content"]


def test_llama_cpp_json_schema_grammar(llm):
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}, "kind": {"enum": ["a", "b"]}},
              "required": ["ok", "kind"], "additionalProperties": False}
    out = llm.create_chat_completion([{"role": "user", "content": "answer"}], max_tokens=64, seed=1,
                                     response_format={"type": "json_object", "schema": schema})
    data = json.loads(out["choices"][0]["message"]["content"])
    assert isinstance(data["ok"], bool) and data["kind"] in ("a", "b")


def test_onnx_runs_and_computes_affine_map(tmp_path):
    import onnxruntime as ort

    path = make_tiny_onnx(tmp_path / "tiny.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input"]
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    (y,) = session.run(None, {"input": x})
    w, b = tiny_onnx_weights()
    np.testing.assert_allclose(y, x @ w + b, rtol=1e-5)
    assert make_tiny_onnx(tmp_path / "again.onnx").read_bytes() == path.read_bytes()

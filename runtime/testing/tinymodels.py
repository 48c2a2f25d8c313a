"""Tiny real models for tests: a random-weight llama GGUF and a small ONNX graph.

Part of the package so plugin authors' tests (``slm.testing.tiny_gguf``) work
without slm's own tests folder. Needs the ``gguf`` and ``onnx`` packages.

``make_tiny_gguf`` writes a llama-architecture GGUF with the ``gguf`` package:
random weights, a real SentencePiece ("llama") tokenizer section (control tokens,
the 256 byte-fallback tokens so any text tokenizes, a few hundred scored word
pieces) and a ChatML-like ``tokenizer.chat_template``. llama.cpp loads it in
milliseconds and generates with it (chat completion, streaming, JSON-schema
grammars). Its text is gibberish: use it to test structure, never prose.
It lays the file out with ``write_llama_gguf``, which also builds the
benchmarks' larger, shape-realistic models (F16, grouped-query attention).

``make_lora_gguf`` writes a LoRA adapter for any llama.cpp base GGUF, laid out the way
llama.cpp's ``convert_lora_to_gguf.py`` writes one (``general.type = adapter``,
``adapter.type = lora``, ``adapter.lora.alpha``, ``blk.N.attn_q.weight.lora_a/lora_b``),
with random low-rank weights sized from the base's own header: the tiny model's, or
a real one's (SmolLM2 in the tests and benchmarks).

``make_tiny_onnx`` writes ``y = x @ W + b`` (float [N,4] -> [N,2]) with
``onnx.helper``.

Both are deterministic for given arguments (same seed -> same bytes).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# Common English words and sub-word pieces, so ordinary prompts do not fall back
# to single bytes everywhere (keeps token counts realistic-ish).
COMMON_WORDS = (
    "the of and to a in is it you that he was for on are with as I his they be at one have "
    "this from or had by not word but what some we can out other were all there when up use "
    "your how said an each she which do their time if will way about many then them write "
    "would like so these her long make thing see him two has look more day could go come did "
    "number sound no most people my over know water than call first who may down side been now "
    "find any new work part take get place made live where after back little only round man "
    "year came show every good me give our under name very through just form sentence great "
    "think say help low line differ turn cause much mean before move right boy old too same "
    "tell does set three want air well also play small end put home read hand port large spell "
    "add even land here must big high such follow act why ask men change went light kind off "
    "need house picture try us again animal point mother world near build self earth father "
    "email note notes meeting customer order price total tax discount summary action item date "
    "company phone invoice question answer model local cloud energy yes true false null hello "
    "pre re un"
).split()
SUFFIXES = "ing ed er ly es tion al ment ness able s".split()
PUNCTUATION = list(",.:;!?'\"{}[]()-_/+*=<>#@&%$\\|~`")
DIGITS = list("0123456789")
LETTERS = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

SPACE = "\u2581"  # SentencePiece's word-boundary marker
# llama.cpp token types
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, BYTE = 1, 2, 3, 4, 6

UNK_ID, BOS_ID, EOS_ID, IM_START_ID, IM_END_ID = 0, 1, 2, 3, 4


def tiny_vocab(words: Sequence[str] | None = None) -> tuple[list[str], list[float], list[int]]:
    """(tokens, scores, types) of the tiny SentencePiece vocabulary."""
    tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    types = [UNKNOWN, CONTROL, CONTROL, CONTROL, CONTROL]
    scores = [0.0] * len(tokens)
    for b in range(256):
        tokens.append(f"<0x{b:02X}>")
        types.append(BYTE)
        scores.append(0.0)
    seen = set(tokens)
    pieces: list[str] = [SPACE]
    # SentencePiece only merges neighbours whose concatenation is a token, so a
    # word is reachable as one token only if all its prefixes are tokens too.
    for w in (COMMON_WORDS if words is None else list(words)):
        word = SPACE + w
        pieces += [word[:n] for n in range(2, len(word) + 1)]
    for suffix in SUFFIXES:
        pieces += [suffix[:n] for n in range(2, len(suffix) + 1)]
    pieces += [SPACE + c for c in LETTERS + DIGITS + PUNCTUATION] + LETTERS + DIGITS + PUNCTUATION
    for piece in pieces:
        if piece in seen:
            continue
        seen.add(piece)
        tokens.append(piece)
        types.append(NORMAL)
        # SentencePiece merges toward the highest-scoring piece: longer wins.
        scores.append(-100.0 + len(piece))
    return tokens, scores, types


def write_llama_gguf(path: str | os.PathLike, *, tokens: Sequence[str], scores: Sequence[float],
                     types: Sequence[int], weight: Callable[[int, int], "np.ndarray"], n_layer: int,
                     n_embd: int, n_head: int, n_ff: int, n_ctx: int, n_head_kv: int | None = None,
                     f16: bool = False, rope_freq_base: float = 10000.0, rms_eps: float = 1e-5,
                     name: str = "slm-tiny", chat_template: str | None = CHATML_TEMPLATE) -> Path:
    """Write a llama-architecture GGUF to ``path`` (atomically) and return the path.

    The one place slm lays out a llama GGUF (tests' tiny models, the benchmark's
    0.5B-shaped one). ``tokens``/``scores``/``types`` are a SentencePiece vocabulary
    with ``tiny_vocab``'s control ids (<unk> 0, <s> 1, <|im_end|> 4 ends a turn).
    ``weight(rows, cols)`` gives each 2-D matrix (called in file order, so a seeded
    generator gives the same bytes every time); matrices are stored F16 when
    ``f16`` is set, else F32, norms always F32. ``n_head_kv`` < ``n_head`` makes
    grouped-query attention (default: ``n_head``). ``chat_template=None`` leaves
    the template out of the metadata.
    """
    import gguf
    import numpy as np

    n_head_kv = n_head if n_head_kv is None else n_head_kv
    if n_embd % n_head or n_head % n_head_kv:
        raise ValueError("n_embd must be a multiple of n_head, and n_head a multiple of n_head_kv")
    head_dim = n_embd // n_head
    n_kv = n_head_kv * head_dim
    matrix_dtype = np.float16 if f16 else np.float32
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def matrix(rows: int, cols: int) -> "np.ndarray":
        return weight(rows, cols).astype(matrix_dtype, copy=False)

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    writer = gguf.GGUFWriter(str(tmp), "llama")
    writer.add_name(name)
    writer.add_context_length(n_ctx)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head_kv)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(rope_freq_base)
    writer.add_layer_norm_rms_eps(rms_eps)
    writer.add_vocab_size(len(tokens))
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if f16 else gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(list(tokens))
    writer.add_token_scores(list(scores))
    writer.add_token_types(list(types))
    writer.add_bos_token_id(BOS_ID)
    writer.add_eos_token_id(IM_END_ID)  # <|im_end|> ends an assistant turn, like ChatML models
    writer.add_unk_token_id(UNK_ID)
    writer.add_add_bos_token(False)
    writer.add_add_eos_token(False)
    if chat_template is not None:
        writer.add_chat_template(chat_template)

    n_vocab = len(tokens)
    ones = np.ones(n_embd, dtype=np.float32)
    writer.add_tensor("token_embd.weight", matrix(n_vocab, n_embd))
    writer.add_tensor("output_norm.weight", ones)
    writer.add_tensor("output.weight", matrix(n_vocab, n_embd))
    for i in range(n_layer):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", ones)
        writer.add_tensor(f"blk.{i}.attn_q.weight", matrix(n_embd, n_embd))
        writer.add_tensor(f"blk.{i}.attn_k.weight", matrix(n_kv, n_embd))
        writer.add_tensor(f"blk.{i}.attn_v.weight", matrix(n_kv, n_embd))
        writer.add_tensor(f"blk.{i}.attn_output.weight", matrix(n_embd, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", ones)
        writer.add_tensor(f"blk.{i}.ffn_gate.weight", matrix(n_ff, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_up.weight", matrix(n_ff, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_down.weight", matrix(n_embd, n_ff))
    return _write_out(writer, tmp, path)


def _write_out(writer, tmp: Path, path: Path) -> Path:
    """Write a GGUFWriter's file to ``tmp``, then move it to ``path``."""
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    try:
        os.replace(tmp, path)  # never leave a half-written model where a test looks for it
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return path


def make_tiny_gguf(path: str | os.PathLike, *, n_layer: int = 2, n_embd: int = 64, n_head: int = 4,
                   n_ff: int = 128, n_ctx: int = 512, seed: int = 0,
                   chat_template: str | None = CHATML_TEMPLATE, vocab: Sequence[str] | None = None,
                   name: str = "slm-tiny") -> Path:
    """Write a random-weight tiny llama GGUF (F32) to ``path`` (atomically) and return the path.

    ``vocab`` replaces the built-in word list (byte and control tokens are always
    there). ``chat_template=None`` leaves the template out of the metadata.
    """
    import numpy as np

    if n_embd % n_head:
        raise ValueError("n_embd must be a multiple of n_head")
    tokens, scores, types = tiny_vocab(vocab)
    rng = np.random.default_rng(seed)

    def weight(rows: int, cols: int) -> "np.ndarray":
        return (rng.standard_normal((rows, cols)) * 0.5 / np.sqrt(cols)).astype(np.float32)

    return write_llama_gguf(path, tokens=tokens, scores=scores, types=types, weight=weight, n_layer=n_layer,
                            n_embd=n_embd, n_head=n_head, n_ff=n_ff, n_ctx=n_ctx, name=name,
                            chat_template=chat_template)


LORA_TARGETS = ("attn_q", "attn_k", "attn_v", "attn_output")


def write_lora_gguf(path: str | os.PathLike, *, architecture: str, pairs: dict, alpha: float | None,
                    name: str = "slm-lora", adapter_type: str = "lora") -> Path:
    """Write an adapter GGUF (atomically): ``pairs`` maps a base tensor name to its (lora_a, lora_b)
    numpy arrays, shaped (rank, n_in) and (n_out, rank) (numpy order: ggml's dims reversed)."""
    import gguf

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    writer = gguf.GGUFWriter(str(tmp), architecture)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_name(name)
    writer.add_string(gguf.Keys.Adapter.TYPE, adapter_type)
    if alpha is not None:
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    for base, (a, b) in pairs.items():
        writer.add_tensor(f"{base}.lora_a", a)
        writer.add_tensor(f"{base}.lora_b", b)
    return _write_out(writer, tmp, path)


def make_lora_gguf(path: str | os.PathLike, base: str | os.PathLike, *, rank: int = 8, alpha: float | None = None,
                   seed: int = 0, strength: float = 1.0, targets: Sequence[str] = LORA_TARGETS,
                   layers: Sequence[int] | None = None, architecture: str | None = None,
                   name: str | None = None) -> Path:
    """A random rank-``rank`` LoRA adapter for the base GGUF ``base`` (shapes from its header).

    ``targets`` are the per-layer weights adapted (``blk.N.<target>.weight``) in ``layers``
    (default: all). The update is ``scale * alpha / rank * B @ A``; with the default alpha
    (= rank) and ``strength`` 1 its entries are about as large as a random base weight's,
    enough to change greedy output. ``architecture`` overrides the base's (to test a
    mismatch). Deterministic for given arguments.
    """
    import numpy as np

    from slm.store.gguf_check import read_header

    head = read_header(Path(base))
    arch = architecture or head.info.architecture or "llama"
    rng = np.random.default_rng(seed)
    pairs = {}
    for tensor, (dims, _type) in head.tensors.items():
        parts = tensor.split(".")
        if len(parts) != 4 or parts[0] != "blk" or parts[2] not in targets or parts[3] != "weight":
            continue
        if layers is not None and int(parts[1]) not in layers:
            continue
        n_in, n_out = dims
        a = (rng.standard_normal((rank, n_in)) / np.sqrt(n_in)).astype(np.float32)
        b = (rng.standard_normal((n_out, rank)) * strength / np.sqrt(rank)).astype(np.float32)
        pairs[tensor] = (a, b)
    if not pairs:
        raise ValueError(f"{base} has none of the tensors {', '.join(targets)} to adapt")
    return write_lora_gguf(path, architecture=arch, pairs=pairs, alpha=float(rank) if alpha is None else alpha,
                           name=name or f"slm-lora-{seed}")


def make_tiny_onnx(path: str | os.PathLike, *, seed: int = 0) -> Path:
    """Write ``output = input @ W + b`` (input float32 [N,4], output float32 [N,2])."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((4, 2)).astype(np.float32)
    b = rng.standard_normal(2).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["input", "W"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["output"])],
        "slm_tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", 2])],
        initializer=[numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="slm-tests")
    model.ir_version = 8  # readable by any onnxruntime >= 1.10
    onnx.checker.check_model(model)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(model.SerializeToString())
    os.replace(tmp, path)
    return path


def tiny_onnx_weights(seed: int = 0):
    """The (W, b) that ``make_tiny_onnx(seed=seed)`` stores, to check outputs against."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return rng.standard_normal((4, 2)).astype(np.float32), rng.standard_normal(2).astype(np.float32)

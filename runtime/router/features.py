"""Text -> sparse feature vector for the router.

Runs in Python on every prompt, so it is written for speed: one regex pass,
string slicing and dict look-ups, no hashing library. Features:

* word unigrams and bigrams (with a start marker, so "what ..." openings count),
* character n-grams inside word boundaries (" wor", "ord "), which carry
  misspellings, inflections and unseen compounds,

read from the prompt's *instruction* only (shape.py: the text before the colon,
newline or quote that starts a pasted payload; a short prompt is all instruction),
weighted by sublinear tf x idf and L2-normalised per block (words, chars), so
the two blocks weigh the same whatever the prompt length. N-grams that are not
in the vocabulary are dropped from the vector but still count in its norm: a
prompt made of unfamiliar text gets a short vector, hence flat scores, which is
what makes "none of the plugins" easy to say.

The payload, when there is one, adds only its shape (shape.py: length, digit
density, e-mail addresses, amounts, dates, line structure) as a third block
scaled by ``shape_weight``: pasted numbers say nothing about calc, so they must
not weigh like the words that say what to do.

Optionally (``static_vectors``), a dense block: the prompt's unit-length static
vector (static_vectors.py), scaled by ``static_weight``, which carries meaning
the examples' own words do not ("reservation" near "booking"). Its D rows come
last in the vocabulary and are never pruned; the ONNX model takes them as their
own input.

The vocabulary (n-gram string -> row of the weight matrix) lives in the
sidecar JSON; the numeric work happens in the ONNX model.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
from slm.router.shape import SHAPE_FEATURES, shape_features, split_prompt

if TYPE_CHECKING:
    from slm.router.static_vectors import StaticVectors

# Bump when the way text becomes features changes: cached models keyed on it retrain.
FEATURIZER_VERSION = 9  # 6: instruction / payload split, payload shape block; 7: an ask after a paste;
# 8: the instruction found wherever it sits (instruction.py); 9: marked asks, quoted lines, sign-offs

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_WORD_MARK = "\x01"  # prefixes word features; control characters never survive normalisation
_BIGRAM_MARK = "\x02"
_START = "\x03"
_SKIP_MARK = "\x04"
_DENSE_MARK = "\x05"  # the static-vector rows' names in the vocabulary


@dataclass(frozen=True)
class FeaturizerConfig:
    max_chars: int = 2000  # prompts are routed on their opening; a 1 MB paste costs the same as 2 kB
    char_min: int = 2
    char_max: int = 5
    max_word_chars: int = 24  # longer "words" (hashes, base64) add char n-grams from their start only
    word_weight: float = 1.0  # block scales after per-block L2 normalisation
    char_weight: float = 1.0
    digits_to_zero: bool = True  # "5 km" and "7 km" share features
    min_df: int = 1
    skip_bigrams: bool = False  # (w[i], w[i+2]) pairs: "how ... say", "set ... alarm"
    static_vectors: str = ""  # "" = no dense block; a bundled file name or a path (static_vectors.py)
    static_weight: float = 1.0  # the dense block's scale (the n-gram blocks have norm 1 each)
    split_instruction: bool = True  # n-grams of the instruction only, the payload as shape features
    shape_weight: float = 0.5  # the payload-shape block's scale

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FeaturizerConfig:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


def normalize(text: str, max_chars: int, digits_to_zero: bool) -> str:
    if not isinstance(text, str):
        text = str(text)
    text = text[:max_chars]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    if digits_to_zero:
        text = _DIGIT.sub("0", text)
    return text


def word_grams(words: Sequence[str], skip: bool = False) -> list[str]:
    feats = [_WORD_MARK + w for w in words]
    if words:
        prev = _START
        for w in words:
            feats.append(_BIGRAM_MARK + prev + " " + w)
            prev = w
        if skip:
            feats.extend([_SKIP_MARK + a + " " + b for a, b in zip(words, words[2:])])
    return feats


def char_grams(words: Sequence[str], lo: int, hi: int, max_word: int) -> list[str]:
    padded = [" " + w[:max_word] + " " for w in words]
    # one comprehension (no per-word function calls): this is the hot loop of routing
    return [p[i:i + n] for p in padded for n in range(lo, hi + 1) for i in range(len(p) - n + 1)]


class Featurizer:
    """Maps text to (row indices, values) against a fitted vocabulary."""

    def __init__(self, config: FeaturizerConfig, vocab: dict[str, int], idf: np.ndarray,
                 n_word: int, unknown_idf: tuple[float, float], static: StaticVectors | None = None):
        self.config = config
        self.vocab = vocab
        self.idf = np.asarray(idf, dtype=np.float32)
        # rows [0, n_word) are word features, then char features, then the static block's rows
        self.n_word = n_word
        self.unknown_idf = unknown_idf  # idf an unseen (word, char) n-gram counts with in the norm
        self.static = static
        self.n_dense = static.dims if static is not None else 0
        self.dense_rows = np.arange(len(vocab) - self.n_dense, len(vocab), dtype=np.int64)
        # rows [n_char_end, dense) are the payload-shape features
        self.n_char_end = len(vocab) - self.n_dense - sum(1 for n in SHAPE_FEATURES if n in vocab)
        self._char_rows: dict[str, tuple[list[int], int]] = {}  # word -> (known rows, unknown count)

    # -- fitting -------------------------------------------------------------------
    @classmethod
    def fit(cls, texts: Iterable[str], config: FeaturizerConfig | None = None) -> Featurizer:
        config = config or FeaturizerConfig()
        word_df: Counter = Counter()
        char_df: Counter = Counter()
        n_docs = 0
        for text in texts:
            words = _words(instruction_of(text, config), config)
            word_df.update(set(word_grams(words, config.skip_bigrams)))
            char_df.update(set(char_grams(words, config.char_min, config.char_max, config.max_word_chars)))
            n_docs += 1
        words_kept = sorted(f for f, c in word_df.items() if c >= config.min_df)
        chars_kept = sorted(f for f, c in char_df.items() if c >= config.min_df)
        static = load_static_vectors(config)
        dense = [f"{_DENSE_MARK}{j}" for j in range(static.dims)] if static is not None else []
        shapes = list(SHAPE_FEATURES) if config.split_instruction else []
        vocab = {f: i for i, f in enumerate(words_kept + chars_kept + shapes + dense)}
        dfs = np.array([word_df[f] for f in words_kept] + [char_df[f] for f in chars_kept], dtype=np.float64)
        idf = np.log((1.0 + n_docs) / (1.0 + dfs)) + 1.0
        # shape and dense rows: no idf, kept for row alignment
        idf = np.concatenate([idf, np.ones(len(shapes) + len(dense))])
        unknown = math.log(1.0 + n_docs) + 1.0
        return cls(config, vocab, idf.astype(np.float32), len(words_kept), (unknown, unknown), static)

    # -- transforming ----------------------------------------------------------------
    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted int64 row indices, float32 values) of one prompt; empty arrays if nothing known.

        Vectorised: dict look-ups in list comprehensions, then one numpy pass.
        Each occurrence of an unknown n-gram counts once in its block's norm.
        """
        rows, vals, dense = self.features_one(text)
        if dense is None or not dense.any():
            return rows, vals
        return np.concatenate([rows, self.dense_rows]), np.concatenate([vals, dense])

    def features_one(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(n-gram rows, their values, the dense block's D values or None): what the ONNX model
        takes (it multiplies the dense block instead of gathering its rows)."""
        cfg = self.config
        if cfg.split_instruction:
            instruction, payload, where = split_prompt(text[:cfg.max_chars] if isinstance(text, str) else str(text))
            rows, vals = self._ngrams(instruction)
            if payload:
                rows, vals = self._with_shape(rows, vals, shape_features(payload, where))
        else:
            instruction = text[:cfg.max_chars]
            rows, vals = self._ngrams(instruction)
        if self.static is None:
            return rows, vals, None
        dense = self.static.vector(instruction)
        if self.config.static_weight != 1.0:
            dense = dense * np.float32(self.config.static_weight)
        return rows, vals, dense

    def _with_shape(self, rows: np.ndarray, vals: np.ndarray, names: list[str]):
        """The shape block appended: its rows sit after every n-gram row, so the order stays sorted."""
        get = self.vocab.get
        found = sorted(i for i in (get(n, -1) for n in names) if i >= 0)
        if not found:
            return rows, vals
        value = np.float32(self.config.shape_weight / math.sqrt(len(names)))
        return (np.concatenate([rows, np.array(found, dtype=np.int64)]),
                np.concatenate([vals, np.full(len(found), value, dtype=np.float32)]))

    def _ngrams(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        cfg = self.config
        words = _words(text, cfg)
        if not words:
            return _EMPTY_IDX, _EMPTY_VAL
        get = self.vocab.get
        ids_w = [get(g, -1) for g in word_grams(words, cfg.skip_bigrams)]
        unknown_w = ids_w.count(-1)
        # a word's character n-grams depend on the word alone: their rows are looked up once
        # per word and kept (most words of a prompt were seen before: ~15 us of ~0.2 ms saved)
        ids_c: list[int] = []
        unknown_c = 0
        cache = self._char_rows
        for word in words:
            hit = cache.get(word)
            if hit is None:
                found = [get(g, -1) for g in char_grams((word,), cfg.char_min, cfg.char_max, cfg.max_word_chars)]
                known = [i for i in found if i >= 0]
                hit = (known, len(found) - len(known))
                if len(cache) >= _CHAR_CACHE_WORDS:  # bounded: a stream of new words cannot grow it
                    cache.clear()
                cache[word] = hit
            ids_c += hit[0]
            unknown_c += hit[1]
        ids_w += ids_c
        # unique rows and their counts by sorting (fewer numpy calls than np.unique: at ~0.1 ms
        # a prompt, each call counts)
        ids = np.array(ids_w, dtype=np.int64)
        ids.sort()
        ids = ids[unknown_w:]  # the unknown words' -1 sort first (unknown char n-grams are left out)
        n = ids.size
        if n == 0:
            return _EMPTY_IDX, _EMPTY_VAL
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(ids[1:], ids[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        rows = ids[starts]
        vals = self.idf[rows]  # a copy: scaled in place below
        if len(rows) < n:  # repeated n-grams: sublinear tf
            vals *= (1.0 + np.log(np.diff(np.append(starts, n)))).astype(np.float32)
        k = int(np.searchsorted(rows, self.n_word))  # rows are sorted: word rows come first
        words_v, chars_v = vals[:k], vals[k:]
        norm_w = math.sqrt(float(np.dot(words_v, words_v)) + unknown_w * self.unknown_idf[0] ** 2)
        norm_c = math.sqrt(float(np.dot(chars_v, chars_v)) + unknown_c * self.unknown_idf[1] ** 2)
        words_v *= cfg.word_weight / norm_w if norm_w else 0.0
        chars_v *= cfg.char_weight / norm_c if norm_c else 0.0
        return rows, vals

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """Many prompts at once (training): the n-grams sparse, the static block as a dense matrix
        (the same values transform_one gives; BLAS multiplies it far faster than the gather)."""
        indptr = [0]
        idx_parts, val_parts = [], []
        dense = np.zeros((len(texts), self.n_dense), dtype=np.float32) if self.n_dense else None
        for i, text in enumerate(texts):
            rows, vals, vector = self.features_one(text)
            idx_parts.append(rows)
            val_parts.append(vals)
            indptr.append(indptr[-1] + len(rows))
            if dense is not None:
                dense[i] = vector
        indices = np.concatenate(idx_parts) if idx_parts else _EMPTY_IDX
        data = np.concatenate(val_parts) if val_parts else _EMPTY_VAL
        return SparseRows(np.array(indptr, dtype=np.int64), indices, data, len(self.vocab), dense)

    @property
    def n_features(self) -> int:
        return len(self.vocab)

    # -- persistence -----------------------------------------------------------------
    def restrict(self, keep: np.ndarray) -> Featurizer:
        """A featurizer over only the rows in ``keep`` (sorted), renumbered 0..len(keep)-1.

        Dropped n-grams still count in the norm (with their own idf), so the
        values of kept features do not change.
        """
        keep = np.union1d(np.asarray(keep, dtype=np.int64), self.dense_rows)  # the dense block stays whole
        by_row = {row: gram for gram, row in self.vocab.items()}
        vocab = {by_row[int(old)]: new for new, old in enumerate(keep)}
        n_word = int(np.searchsorted(keep, self.n_word))
        # an n-gram dropped here is "unknown" at run time: its idf in the norm is the
        # mean of the dropped ones, close enough (they are the rare, high-idf ones)
        dropped = np.setdiff1d(np.arange(len(self.idf)), keep)
        dw = dropped[dropped < self.n_word]
        dc = dropped[(dropped >= self.n_word) & (dropped < self.n_char_end)]
        unknown = (_mean_or(self.idf[dw], self.unknown_idf[0]), _mean_or(self.idf[dc], self.unknown_idf[1]))
        return Featurizer(self.config, vocab, self.idf[keep], n_word, unknown, self.static)

    def to_dict(self) -> dict:
        grams = [""] * len(self.vocab)
        for gram, row in self.vocab.items():
            grams[row] = gram
        return {"version": FEATURIZER_VERSION, "config": self.config.to_dict(), "n_word": self.n_word,
                "unknown_idf": list(self.unknown_idf), "grams": grams,
                "idf": [round(float(v), 4) for v in self.idf],
                "static_sha256": self.static.sha256 if self.static is not None else None}

    @classmethod
    def from_dict(cls, data: dict) -> Featurizer:
        grams = data["grams"]
        vocab = dict(zip(grams, range(len(grams))))  # ~20k grams: 3x faster than a comprehension
        unknown = tuple(float(v) for v in data["unknown_idf"])
        config = FeaturizerConfig.from_dict(data["config"])
        # the exact vectors it was trained with, or StaticVectorsError (the router then retrains)
        static = load_static_vectors(config, data.get("static_sha256"))
        return cls(config, vocab, np.array(data["idf"], dtype=np.float32),
                   int(data["n_word"]), (unknown[0], unknown[1]), static)


def load_static_vectors(config: FeaturizerConfig, sha256: str | None = None) -> StaticVectors | None:
    """The config's static vectors, None when it uses none; StaticVectorsError when the file is
    missing, damaged or (with ``sha256``) not the one a router was trained with."""
    if not config.static_vectors:
        return None
    from slm.router import static_vectors

    return static_vectors.load(config.static_vectors, sha256)


def instruction_of(text: str, config: FeaturizerConfig) -> str:
    """The part of ``text`` whose n-grams the featurizer reads."""
    text = text if isinstance(text, str) else str(text)
    return split_prompt(text[:config.max_chars])[0] if config.split_instruction else text


def _mean_or(values: np.ndarray, default: float) -> float:
    return float(values.mean()) if len(values) else float(default)


def _words(text: str, cfg: FeaturizerConfig) -> list[str]:
    return _WORD.findall(normalize(text, cfg.max_chars, cfg.digits_to_zero))


_EMPTY_IDX = np.zeros(0, dtype=np.int64)
_EMPTY_VAL = np.zeros(0, dtype=np.float32)
_GATHER_ELEMENTS = 1 << 21  # ~8 MB of float32 per chunk of SparseRows.dot
# products with at most this many columns (logistic regression: one per route) are one weighted
# bincount per column, ~3x faster than gather + reduceat (built-ins: 130k values x 6 classes)
_NARROW = 16
_CHAR_CACHE_WORDS = 10_000  # ~340 B a word (CLINC150, 5,550 words: 1.9 MB): at most ~3.5 MB


@dataclass
class SparseRows:
    """A CSR matrix (rows = prompts) with the two products training needs, numpy only.

    ``dense`` (n_rows, k), when given, holds the last k columns as a dense block
    (the static vectors): the CSR part never indexes them.
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_cols: int
    dense: np.ndarray | None = None

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @property
    def n_dense(self) -> int:
        return 0 if self.dense is None else self.dense.shape[1]

    def take(self, rows: np.ndarray) -> SparseRows:
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        gather = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        dense = None if self.dense is None else self.dense[rows]
        return SparseRows(indptr, self.indices[gather], self.data[gather], self.n_cols, dense)

    def row_ids(self) -> np.ndarray:
        """The row of each stored value (computed once: training asks for it every iteration)."""
        cached = getattr(self, "_row_ids", None)
        if cached is None:
            cached = self._row_ids = np.repeat(np.arange(self.n_rows), np.diff(self.indptr))
        return cached

    def dot(self, w: np.ndarray, chunk: int | None = None) -> np.ndarray:
        """X @ w for a dense (n_cols, k) w, in row chunks whose gathered block holds about
        ``_GATHER_ELEMENTS`` numbers: small enough for the cache with many routes, few enough
        chunks that Python's per-chunk overhead stays negligible with few (the transposed
        matrix of training has one row per feature: tens of thousands of short rows)."""
        if chunk is None and w.shape[1] <= _NARROW:
            out = _scatter_products(self.row_ids(), self.indices, self.data, w, self.n_rows)
            if self.dense is not None:
                out += self.dense @ w[self.n_cols - self.n_dense:]
            return out
        out = np.zeros((self.n_rows, w.shape[1]), dtype=w.dtype)
        indptr, indices, data = self.indptr, self.indices, self.data
        if chunk is None:
            per_row = max(1.0, len(indices) / max(1, self.n_rows)) * w.shape[1]
            chunk = max(64, int(_GATHER_ELEMENTS / per_row))
        for lo in range(0, self.n_rows, chunk):
            hi = min(lo + chunk, self.n_rows)
            a, b = indptr[lo], indptr[hi]
            if a == b:
                continue
            prod = w[indices[a:b]]
            prod *= data[a:b, None]
            lengths = np.diff(indptr[lo:hi + 1])
            nonempty = lengths > 0
            sums = np.add.reduceat(prod, (indptr[lo:hi] - a)[nonempty], axis=0)
            if nonempty.all():
                out[lo:hi] = sums
            else:
                out[lo:hi][nonempty] = sums
        if self.dense is not None:
            out += self.dense @ w[self.n_cols - self.n_dense:]
        return out

    def tdot(self, g: np.ndarray) -> np.ndarray:
        """X.T @ g for a dense (n_rows, k) g (through the transposed matrix, built once, for a wide g)."""
        if g.shape[1] <= _NARROW:
            out = _scatter_products(self.indices, self.row_ids(), self.data, g, self.n_cols)
        else:
            out = self.transposed().dot(g)
        if self.dense is not None:
            out[self.n_cols - self.n_dense:] += self.dense.T @ g
        return out

    def transposed(self) -> SparseRows:
        """The CSR part transposed (the dense block is left out: tdot adds it)."""
        cached = getattr(self, "_transposed", None)
        if cached is None:
            order = np.argsort(self.indices, kind="stable")
            counts = np.bincount(self.indices, minlength=self.n_cols)
            col_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            cached = SparseRows(col_ptr, self.row_ids()[order], self.data[order], self.n_rows)
            self._transposed = cached
        return cached


def _scatter_products(into: np.ndarray, source: np.ndarray, data: np.ndarray, m: np.ndarray,
                      size: int) -> np.ndarray:
    """out[into[j], k] += data[j] * m[source[j], k] for every stored value j and column k of m:
    one weighted np.bincount per column (numpy's fastest scatter-add; it sums in float64)."""
    out = np.empty((size, m.shape[1]), dtype=m.dtype)
    columns = np.ascontiguousarray(m.T)
    for k in range(m.shape[1]):
        out[:, k] = np.bincount(into, weights=data * columns[k][source], minlength=size)
    return out

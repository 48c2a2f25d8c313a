"""Static vectors for the router: WordPiece, the distillation tool, the dense feature block."""
from __future__ import annotations

import importlib.util
import json
import shutil
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
from slm.errors import RouterError
from slm.router import static_vectors
from slm.router.features import Featurizer, FeaturizerConfig
from slm.router.static_vectors import StaticVectors, StaticVectorsError
from slm.router.wordpiece import WordPiece

from tests.router_fixtures import make_router

ROOT = Path(__file__).resolve().parents[1]

SPECIALS = ["[PAD]", "[unused0]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ["the", "a", "my", "what", "is", "weather", "rain", "play", "music", "song", "cook", "recipe",
         "un", "##believ", "##able", "book", "##ing", "cafe", "'", "s", "?", "0", "hello", "world", "jazz"]


def _load_tool():
    spec = importlib.util.spec_from_file_location("make_static_vectors",
                                                  ROOT / "packaging" / "tools" / "make_static_vectors.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def make_tiny_encoder(folder: Path, hidden: int = 16, layers: int = 2, heads: int = 2, seed: int = 0) -> Path:
    """A random-weight BERT in the layout the tool reads (config, safetensors, tokenizer.json)."""
    rng = np.random.default_rng(seed)
    vocab = {t: i for i, t in enumerate(SPECIALS + WORDS)}
    inner = hidden * 2

    def mat(*shape):
        return rng.normal(0, 0.2, size=shape).astype(np.float32)

    t = {"embeddings.word_embeddings.weight": mat(len(vocab), hidden),
         "embeddings.position_embeddings.weight": mat(16, hidden),
         "embeddings.token_type_embeddings.weight": mat(2, hidden),
         "embeddings.LayerNorm.weight": np.ones(hidden), "embeddings.LayerNorm.bias": np.zeros(hidden)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, shape in (("attention.self.query", (hidden, hidden)), ("attention.self.key", (hidden, hidden)),
                            ("attention.self.value", (hidden, hidden)), ("attention.output.dense", (hidden, hidden)),
                            ("intermediate.dense", (inner, hidden)), ("output.dense", (hidden, inner))):
            t[p + name + ".weight"] = mat(*shape)
            t[p + name + ".bias"] = mat(shape[0])
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + name + ".weight"] = np.ones(hidden)
            t[p + name + ".bias"] = np.zeros(hidden)
    folder.mkdir(parents=True, exist_ok=True)
    _write_safetensors(folder / "model.safetensors", t)
    (folder / "config.json").write_text(json.dumps({
        "_name_or_path": "tiny-random-bert", "num_hidden_layers": layers, "num_attention_heads": heads,
        "hidden_size": hidden, "layer_norm_eps": 1e-12}))
    (folder / "tokenizer.json").write_text(json.dumps({"model": {"type": "WordPiece", "vocab": vocab}}))
    return folder


@pytest.fixture(scope="module")
def tiny_vectors(tmp_path_factory) -> Path:
    folder = make_tiny_encoder(tmp_path_factory.mktemp("encoder") / "tiny")
    out = folder.parent / "vectors.npz"
    assert _load_tool().main([str(folder), "-o", str(out), "--dims", "8", "--subspaces", "0"]) == 0
    return out


# --- WordPiece ------------------------------------------------------------------------------
def test_wordpiece_splits_like_bert():
    wp = WordPiece({t: i for i, t in enumerate(SPECIALS + WORDS)})
    ids = {t: i for i, t in enumerate(SPECIALS + WORDS)}
    assert wp.words("What's the Café?") == ["what", "'", "s", "the", "cafe", "?"]
    assert wp.ids("unbelievable") == [ids["un"], ids["##believ"], ids["##able"]]
    assert wp.ids("booking") == [ids["book"], ids["##ing"]]
    assert wp.ids("zzz") == [ids["[UNK]"]]  # no full cover: the whole word is unknown
    assert wp.ids("a" * 101) == [ids["[UNK]"]]
    assert wp.words("snake_case") == ["snake", "_", "case"]
    assert wp.ids("") == []


# --- the tool and the file ------------------------------------------------------------------
def test_tool_writes_a_file_the_runtime_reads(tiny_vectors):
    vec = StaticVectors.read(tiny_vectors)
    assert vec.dims == 8
    assert "[unused0]" not in vec.tokens and "weather" in vec.tokens
    assert vec.meta["source"] == "tiny-random-bert" and vec.meta["dims"] == 8
    v = vec.vector("what is the weather")
    assert v.shape == (8,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    assert not vec.vector("").any() and not vec.vector("zzz qqq").any()  # only [UNK]: no vector
    np.testing.assert_array_equal(vec.vector("what zzz"), vec.vector("what"))  # [UNK] carries no vector
    # case and unknown punctuation do not change the vector
    np.testing.assert_allclose(vec.vector("the weather"), vec.vector("The WEATHER!"), atol=1e-6)


def test_tool_is_deterministic_and_dims_change_the_file(tiny_vectors, tmp_path):
    tool = _load_tool()
    folder = make_tiny_encoder(tmp_path / "tiny")
    again = tmp_path / "again.npz"
    assert tool.main([str(folder), "-o", str(again), "--dims", "8", "--subspaces", "0"]) == 0
    a, b = StaticVectors.read(tiny_vectors), StaticVectors.read(again)
    np.testing.assert_array_equal(a.vector("play jazz music"), b.vector("play jazz music"))
    other = tmp_path / "four.npz"
    assert tool.main([str(folder), "-o", str(other), "--dims", "4", "--subspaces", "0"]) == 0
    assert StaticVectors.read(other).dims == 4


def test_product_quantised_file_gives_the_same_vectors_smaller(tiny_vectors, tmp_path):
    tool = _load_tool()
    folder = make_tiny_encoder(tmp_path / "tiny")
    pq = tmp_path / "pq.npz"
    assert tool.main([str(folder), "-o", str(pq), "--dims", "8", "--subspaces", "4", "--name", "acme/tiny"]) == 0
    a, b = StaticVectors.read(tiny_vectors), StaticVectors.read(pq)
    assert (a.encoding, b.encoding) == ("int8", "pq4x256") and b.dims == 8
    assert b.meta["source"] == "acme/tiny" and a.meta["source"] == "tiny-random-bert"
    # fewer tokens than centroids: every sub-vector is its own centroid, so only the int8
    # rounding of the other file (and float16 codebooks) tells them apart
    for text in ("play jazz music", "what is the weather", "unbelievable booking"):
        assert float(np.dot(a.vector(text), b.vector(text))) > 0.999
    assert not b.vector("zzz qqq").any()
    # the k-means step itself: 2 clear clusters are found, deterministic for a seed
    points = np.concatenate([np.zeros((20, 2)), np.ones((20, 2)) * 5]).astype(np.float32)
    centroids, assign = tool.kmeans(points, 2, seed=3)
    assert sorted(np.round(centroids[:, 0]).tolist()) == [0.0, 5.0] and len(set(assign[:20])) == 1
    # bad: sub-spaces that do not divide the dims (one line, exit 1), codes past the codebook
    assert tool.main([str(folder), "-o", str(tmp_path / "x.npz"), "--dims", "8", "--subspaces", "3"]) == 1
    # the defaults (384 dims, 32 sub-spaces) on a 16-wide encoder: refused before it runs
    assert tool.main([str(folder), "-o", str(tmp_path / "y.npz")]) == 1
    assert not (tmp_path / "x.npz").exists() and not (tmp_path / "y.npz").exists()
    arrays = dict(np.load(pq))
    arrays["codes"] = arrays["codes"].copy()
    arrays["codes"][0, 0] = 255
    arrays["codebooks"] = arrays["codebooks"][:, :10]
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    with pytest.raises(StaticVectorsError, match="do not match"):
        StaticVectors.read(bad)


def test_tool_refuses_a_folder_without_a_model(tmp_path, capsys):
    assert _load_tool().main([str(tmp_path), "-o", str(tmp_path / "x.npz")]) == 1
    assert "not found" in capsys.readouterr().err


def test_damaged_or_missing_files_are_typed_errors(tiny_vectors, tmp_path):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(tiny_vectors.read_bytes()[:200])
    with pytest.raises(StaticVectorsError):
        StaticVectors.read(broken)
    with pytest.raises(StaticVectorsError, match="not found"):
        static_vectors.load(str(tmp_path / "absent.npz"))
    with pytest.raises(StaticVectorsError, match="changed since"):
        static_vectors.load(str(tiny_vectors), sha256="0" * 64)


def test_bundled_vectors_carry_meaning():
    vec = static_vectors.load()
    assert vec.dims >= 64 and len(vec.tokens) > 25_000
    assert "MiniLM" in vec.meta["source"]

    def cos(a, b):
        return float(np.dot(vec.vector(a), vec.vector(b)))

    # no shared word, same meaning: closer than a same-shaped sentence about something else
    assert cos("cancel my reservation", "call off my booking") > cos("cancel my reservation", "what is the weather")
    assert cos("play some music", "put on a song") > cos("play some music", "transfer money to savings")
    assert cos("how much is 15% of 200", "what is twenty percent of eighty") > cos(
        "how much is 15% of 200", "write an email to my boss")


# --- the dense block in the featurizer and the router ---------------------------------------
def test_dense_block_rows_come_last_and_survive_restrict(tiny_vectors):
    cfg = FeaturizerConfig(static_vectors=str(tiny_vectors), static_weight=0.5)
    texts = ["what is the weather", "play jazz music", "cook a recipe"]
    fz = Featurizer.fit(texts, cfg)
    assert fz.n_dense == 8
    rows, vals = fz.transform_one("what is the weather")
    assert list(rows[-8:]) == list(range(fz.n_features - 8, fz.n_features))
    assert abs(float(np.linalg.norm(vals[-8:])) - 0.5) < 1e-5  # unit vector x static_weight
    # words the n-grams never saw still get the dense block (meaning without shared words)
    rows, _ = fz.transform_one("hello world")
    assert len(rows) >= 8 and rows[-1] == fz.n_features - 1
    small = fz.restrict(np.array([0, 1]))
    assert small.n_dense == 8 and small.n_features == 10
    np.testing.assert_allclose(small.transform_one("what is the weather")[1][-8:],
                               fz.transform_one("what is the weather")[1][-8:])
    again = Featurizer.from_dict(json.loads(json.dumps(fz.to_dict())))
    np.testing.assert_allclose(again.transform_one("play jazz")[1], fz.transform_one("play jazz")[1])


def test_batch_transform_keeps_the_dense_block_apart_and_agrees_with_one_by_one(tiny_vectors):
    from slm.router.mlp import fit_mlp

    cfg = FeaturizerConfig(static_vectors=str(tiny_vectors), static_weight=0.7)
    texts = ["what is the weather", "play jazz music", "", "hello world", "cook a recipe", "zzz qqq"]
    fz = Featurizer.fit(texts[:2] + texts[4:5], cfg)
    x = fz.transform(texts)
    assert x.dense.shape == (6, 8) and (x.indices < fz.n_features - 8).all()  # CSR never holds them
    # the same matrix, written out row by row from transform_one
    full = np.zeros((6, fz.n_features), dtype=np.float32)
    for i, t in enumerate(texts):
        rows, vals = fz.transform_one(t)
        full[i, rows] = vals
    rng = np.random.default_rng(0)
    w = rng.standard_normal((fz.n_features, 5)).astype(np.float32)
    g = rng.standard_normal((6, 5)).astype(np.float32)
    np.testing.assert_allclose(x.dot(w), full @ w, atol=1e-4)
    np.testing.assert_allclose(x.tdot(g), full.T @ g, atol=1e-4)
    part = x.take(np.array([3, 0]))
    np.testing.assert_allclose(part.dot(w), full[[3, 0]] @ w, atol=1e-4)
    # the network trains its dense rows too (they are every prompt's first-layer input)
    labels = np.array([0, 1, 2, 0, 2, 2])
    start = fit_mlp(x, labels, 3, hidden=4, epochs=1, lr=0.0, seed=0)
    trained = fit_mlp(x, labels, 3, hidden=4, epochs=5, lr=1e-2, seed=0)
    assert not np.allclose(trained.w1[-8:], start.w1[-8:])


def test_router_with_static_vectors_routes_and_retrains_when_the_file_changes(tiny_vectors, tmp_path):
    from slm.router.trainer import TrainConfig

    local = tmp_path / "vectors.npz"
    shutil.copy(tiny_vectors, local)
    config = TrainConfig(featurizer=FeaturizerConfig(static_vectors=str(local)))
    router = make_router(tmp_path / "home", config=config)
    report = router.train()
    assert not report.cached and report.features > 8
    assert router.route("will it rain this weekend in rome").plugin == "weather"
    assert make_router(tmp_path / "home", config=config).train().cached  # a new process loads it
    key = router.cache_key()
    # a different vectors file (an slm upgrade): a new key, and the old sidecar no longer loads
    folder = make_tiny_encoder(tmp_path / "other", seed=1)
    _load_tool().main([str(folder), "-o", str(local), "--dims", "8", "--subspaces", "0"])
    assert router.cache_key() != key  # the replaced file is read again, no restart needed
    fresh = make_router(tmp_path / "home", config=config)
    assert not fresh.train().cached
    with pytest.raises(StaticVectorsError):
        Featurizer.from_dict(json.loads((Path(report.path) / "router.json").read_text())["featurizer"])


def test_missing_or_damaged_vectors_file_is_a_one_line_router_error(tmp_path):
    from slm.router.trainer import TrainConfig

    config = TrainConfig(featurizer=FeaturizerConfig(static_vectors=str(tmp_path / "gone.npz")))
    router = make_router(tmp_path / "home", config=config)
    with pytest.raises(RouterError, match="static vectors not found"):
        router.route("play some jazz")
    with pytest.raises(RouterError, match="static vectors not found"):
        router.info()
    (tmp_path / "gone.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RouterError, match="cannot read static vectors") as err:
        router.route("play some jazz")
    assert "\n" not in str(err.value)

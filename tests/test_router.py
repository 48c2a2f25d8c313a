"""Router: training, routing, none, thresholds, caching and retraining, ONNX in a fresh process."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from router_fixtures import NEGATIVES, ROUTES, make_host, make_router
from slm.router import RouteDecision, Router
from slm.router.features import Featurizer, FeaturizerConfig
from slm.router.model import MODEL_FILE, SIDECAR_FILE


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    home = tmp_path_factory.mktemp("router_home")
    router = make_router(home)
    report = router.train()
    return home, router, report


def test_routes_unseen_prompts_to_the_right_plugin(trained):
    _, router, _ = trained
    cases = {
        "is it going to rain in berlin on sunday": "weather",
        "play something by the beatles": "music",
        "how do i make a mushroom risotto": "recipes",
        "what will the temperature be tomorrow morning": "weather",
    }
    decisions = router.route_many(list(cases))
    assert [d.plugin for d in decisions] == list(cases.values())
    for d in decisions:
        assert set(d.scores) == set(ROUTES)
        assert 0.0 <= d.confidence <= 1.0
        assert d.confidence == pytest.approx(d.scores[d.plugin])
        assert d.margin > 0


def test_out_of_scope_prompts_route_to_none(trained):
    _, router, _ = trained
    for prompt in ["who discovered penicillin", "write a limerick about a cat", "what is the capital of peru"]:
        decision = router.route(prompt)
        assert decision.plugin is None, (prompt, decision)
        assert decision.to_dict()["plugin"] is None


def test_route_and_route_many_agree(trained):
    _, router, _ = trained
    prompts = ["play jazz", "weather in rome", "hello", "", "recipe for soup"] * 3
    one_by_one = [router.route(p) for p in prompts]
    batched = router.route_many(prompts)
    for a, b in zip(one_by_one, batched):
        assert a.plugin == b.plugin
        assert a.confidence == pytest.approx(b.confidence, abs=1e-5)


def test_to_dict_shape(trained):
    _, router, _ = trained
    data = router.route("play some jazz").to_dict()
    assert set(data) == {"plugin", "confidence", "scores", "margin"}
    json.dumps(data)  # serialisable
    assert data["plugin"] == "music"


def test_report_and_thresholds_are_persisted(trained):
    home, router, report = trained
    assert report.routes == sorted(ROUTES) and not report.cached
    assert report.examples == sum(len(v) for v in ROUTES.values())
    assert report.negatives == len(NEGATIVES)
    assert set(report.thresholds) == set(ROUTES)
    assert all(0.0 <= t <= 1.0 for t in report.thresholds.values())
    folder = router.cache_root / router.cache_key()
    side = json.loads((folder / SIDECAR_FILE).read_text())
    assert side["thresholds"] == pytest.approx(report.thresholds)
    assert side["routes"] == report.routes
    # a second router over the same plugins loads the same model: same thresholds, same answers
    again = make_router(home)
    loaded = again.train()
    assert loaded.cached and loaded.thresholds == pytest.approx(report.thresholds)
    for prompt in ["play jazz", "will it snow", "who is the president"]:
        assert again.route(prompt).to_dict() == router.route(prompt).to_dict()


def test_thresholds_decide(tmp_path):
    """Raising a route's threshold above its score turns the answer into none."""
    router = make_router(tmp_path)
    router.train()
    decision = router.route("play some jazz")
    assert decision.plugin == "music"
    model = router._model
    model.thresholds[model.routes.index("music")] = min(1.0, decision.confidence + 1e-3)
    assert router.route("play some jazz").plugin is None


def test_no_retrain_when_unchanged_and_retrain_when_examples_change(tmp_path):
    first = make_router(tmp_path)
    r1 = first.train()
    folder = first.cache_root / first.cache_key()
    mtime = (folder / MODEL_FILE).stat().st_mtime_ns
    second = make_router(tmp_path)
    r2 = second.train()
    assert r2.cached and r2.fingerprint == r1.fingerprint
    assert (folder / MODEL_FILE).stat().st_mtime_ns == mtime  # nothing rewritten
    changed = {**ROUTES, "music": ROUTES["music"] + ["play the radio station bbc one"]}
    third = make_router(tmp_path, changed)
    r3 = third.train()
    assert not r3.cached and r3.fingerprint != r1.fingerprint
    # a new plugin appears: retrained with the new route
    more = {**ROUTES, "timer": ["set a timer for ten minutes", "start a five minute timer", "timer for 20 minutes",
                                "countdown of three minutes", "set a kitchen timer", "how long is left on my timer"]}
    fourth = make_router(tmp_path, more)
    r4 = fourth.train()
    assert not r4.cached and "timer" in r4.routes
    assert fourth.route("set a timer for 15 minutes").plugin == "timer"


def test_route_trains_lazily_and_force_retrains(tmp_path):
    router = make_router(tmp_path)
    assert router.info()["trained"] is False
    assert router.route("play some jazz").plugin == "music"  # trained on first use
    assert router.info()["trained"] is True
    forced = router.train(force=True)
    assert not forced.cached


def test_disabled_plugin_leaves_the_routes(tmp_path):
    from router_fixtures import make_infos
    from slm.config import load_settings
    from slm.host.host import PluginHost

    settings = load_settings(env={"SLM_DISABLED_PLUGINS": "music"}, home=tmp_path)
    host = PluginHost(settings, plugins=make_infos())
    router = Router(settings, examples_provider=host, negatives=NEGATIVES)
    assert router.train().routes == ["recipes", "weather"]
    assert router.route("play some jazz").plugin != "music"


def test_no_routes_means_none_for_everything(tmp_path):
    router = make_router(tmp_path, {})
    report = router.train()
    assert report.routes == []
    decision = router.route("play some jazz")
    assert decision == RouteDecision(None, 1.0, {}, 0.0)


def test_damaged_cache_is_retrained(tmp_path):
    router = make_router(tmp_path)
    router.train()
    folder = router.cache_root / router.cache_key()
    (folder / MODEL_FILE).write_bytes(b"not an onnx model")
    again = make_router(tmp_path)
    report = again.train()
    assert not report.cached
    assert again.route("play some jazz").plugin == "music"


def test_onnx_artifact_loads_in_a_fresh_process(trained):
    _, router, _ = trained
    folder = router.cache_root / router.cache_key()
    prompts = ["play some jazz", "weather in oslo", "hello there"]
    expected = router._model.probs(prompts)
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from slm.router.model import RouterModel\n"
        "m = RouterModel.load(Path(sys.argv[1]))\n"
        "print(json.dumps(m.probs(json.loads(sys.argv[2])).tolist()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder), json.dumps(prompts)],
                         capture_output=True, text=True, timeout=120, check=True)
    assert np.allclose(np.array(json.loads(out.stdout)), expected, atol=1e-6)
    # plain onnx + onnxruntime can read it too (no slm code)
    import onnx

    onnx.checker.check_model(onnx.load(str(folder / MODEL_FILE)))


def test_int8_graph_matches_float_weights():
    from slm.router.onnx_model import build_model, open_session

    rng = np.random.default_rng(1)
    w = rng.normal(size=(50, 4)).astype(np.float32)
    b = rng.normal(size=4).astype(np.float32)
    session = open_session(build_model(w, b, temperature=2.0))
    rows = np.array([3, 7, 49], dtype=np.int64)
    coef = rng.random((2, 3)).astype(np.float32)
    probs = session.run(["probs"], {"rows": rows, "coef": coef})[0]
    logits = (coef @ w[rows] + b) / 2.0
    ref = np.exp(logits - logits.max(1, keepdims=True))
    ref /= ref.sum(1, keepdims=True)
    assert np.allclose(probs, ref, atol=2e-2)
    assert (probs.argmax(1) == ref.argmax(1)).all()
    # the padding row (index F) is all zero: an empty prompt scores the bias alone
    pad = session.run(["logits"], {"rows": np.array([50], dtype=np.int64), "coef": np.ones((1, 1), np.float32)})[0]
    assert np.allclose(pad[0], b, atol=1e-6)


@pytest.mark.parametrize("cols", [4, 5])  # an odd count leaves the last byte half empty
def test_int4_graph_matches_its_quantised_weights_exactly_and_halves_the_file(cols):
    from slm.router.onnx_model import build_mlp_model, build_model, open_session, quantize_rows

    rng = np.random.default_rng(3)
    w = rng.normal(size=(400, cols)).astype(np.float32)
    b = rng.normal(size=cols).astype(np.float32)
    q, scale = quantize_rows(w, 4)
    assert q.min() >= -7 and q.max() <= 7
    dequant = q * scale[:, None]
    rows = np.array([0, 3, 7, 399], dtype=np.int64)
    coef = rng.random((2, 4)).astype(np.float32)
    model8, model4 = build_model(w, b, temperature=1.0), build_model(w, b, temperature=1.0, bits=4)
    logits = open_session(model4).run(["logits"], {"rows": rows, "coef": coef})[0]
    np.testing.assert_allclose(logits, coef @ dequant[rows] + b, rtol=1e-5, atol=1e-5)
    import onnx
    from onnx import numpy_helper

    stored = {i.name: numpy_helper.to_array(i) for i in onnx.load_from_string(model4).graph.initializer}
    assert "W" not in stored and stored["W_packed"].shape == (401, (cols + 1) // 2)  # 2 per byte
    assert len(model4) < len(model8)
    pad = open_session(model4).run(["logits"], {"rows": np.array([400], dtype=np.int64),
                                               "coef": np.ones((1, 1), np.float32)})[0]
    np.testing.assert_allclose(pad[0], b, atol=1e-6)
    # the network and the ensemble take the same storage
    w1 = rng.normal(size=(400, 6)).astype(np.float32)
    w2 = rng.normal(size=(6, cols)).astype(np.float32)
    q1, s1 = quantize_rows(w1, 4)
    session = open_session(build_mlp_model(w1, np.zeros(6), w2, b, 1.0, linear=(w, np.zeros(cols)), bits=4))
    expected = np.maximum(coef @ (q1 * s1[:, None])[rows], 0) @ w2.astype(np.float16).astype(np.float32) \
        + coef @ dequant[rows] + b
    np.testing.assert_allclose(session.run(["logits"], {"rows": rows, "coef": coef})[0], expected,
                               rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="8 or 4"):
        quantize_rows(w, 2)


@pytest.mark.parametrize("bits", [8, 4])
def test_dense_block_is_its_own_input_and_matches_gathering_its_rows(bits):
    from slm.router.onnx_model import build_mlp_model, open_session, quantize_rows

    rng = np.random.default_rng(4)
    n_sparse, n_dense = 30, 6
    w1 = rng.normal(size=(n_sparse + n_dense, 8)).astype(np.float32)
    w2 = rng.normal(size=(8, 3)).astype(np.float32)
    wl = rng.normal(size=(n_sparse + n_dense, 3)).astype(np.float32)
    b = rng.normal(size=3).astype(np.float32)

    def dq(w):
        q, sc = quantize_rows(w, bits)
        return q * sc[:, None]

    # as the training side sees it: the dense values are columns n_sparse.. of one long row
    rows = np.array([2, 9, 29], dtype=np.int64)
    coef = rng.random((2, 3)).astype(np.float32)
    dense = rng.normal(size=(2, n_dense)).astype(np.float32)
    full = np.zeros((2, n_sparse + n_dense), dtype=np.float32)
    full[:, rows] = coef
    full[:, n_sparse:] = dense
    w1q = np.vstack([dq(w1[:n_sparse]), dq(w1[n_sparse:])])
    wlq = np.vstack([dq(wl[:n_sparse]), dq(wl[n_sparse:])])
    expected = np.maximum(full @ w1q, 0) @ w2.astype(np.float16).astype(np.float32) + full @ wlq + b
    session = open_session(build_mlp_model(w1, np.zeros(8), w2, b, 1.0, linear=(wl, np.zeros(3)),
                                           bits=bits, n_dense=n_dense))
    assert [i.name for i in session.get_inputs()] == ["rows", "coef", "dense"]
    logits = session.run(["logits"], {"rows": rows, "coef": coef, "dense": dense})[0]
    np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)
    # an empty prompt: the padding row (now index n_sparse) and a zero dense block score the bias
    pad = session.run(["logits"], {"rows": np.array([n_sparse], dtype=np.int64), "coef": np.ones((1, 1), np.float32),
                                   "dense": np.zeros((1, n_dense), np.float32)})[0]
    np.testing.assert_allclose(pad[0], b, atol=1e-5)


def test_featurizer_word_cache_changes_nothing_and_stays_bounded(monkeypatch):
    from slm.router import features
    from slm.router.features import Featurizer, FeaturizerConfig

    def reference(fz, text):  # the definition, written out: every n-gram looked up, no cache
        cfg = fz.config
        words = features._words(text, cfg)
        grams = [(g, True) for g in features.word_grams(words, cfg.skip_bigrams)]
        grams += [(g, False) for g in features.char_grams(words, cfg.char_min, cfg.char_max, cfg.max_word_chars)]
        counts, unknown = {}, {True: 0, False: 0}
        for g, is_word in grams:
            row = fz.vocab.get(g)
            if row is None:
                unknown[is_word] += 1
            else:
                counts[row] = counts.get(row, 0) + 1
        rows = np.array(sorted(counts), dtype=np.int64)
        vals = np.array([fz.idf[r] * (1 + np.log(counts[r])) for r in rows], dtype=np.float64)
        is_word = rows < fz.n_word
        for block, words_block, unk_idf, weight in ((is_word, True, fz.unknown_idf[0], cfg.word_weight),
                                                    (~is_word, False, fz.unknown_idf[1], cfg.char_weight)):
            norm = np.sqrt((vals[block] ** 2).sum() + unknown[words_block] * unk_idf ** 2)
            vals[block] *= weight / norm if norm else 0.0
        return rows, vals

    texts = ["play some jazz music", "what is the weather in rome", "set a timer for 5 minutes"]
    fz = Featurizer.fit(texts, FeaturizerConfig())
    probes = texts + ["jazz jazz jazz", "weather rome zzzqqq", "", "music for the timer", "rome rome romez"]
    for _ in range(2):  # cold, then every word cached: the definition's rows and values both times
        for t in probes:
            rows, vals = fz.transform_one(t)
            want_rows, want_vals = reference(fz, t)
            assert (rows == want_rows).all() and np.allclose(vals, want_vals, atol=1e-6), t
    monkeypatch.setattr(features, "_CHAR_CACHE_WORDS", 3)
    fz.transform_one("alpha beta gamma delta epsilon zeta")  # a stream of new words
    assert len(fz._char_rows) <= 3
    rows, vals = fz.transform_one(probes[4])
    assert (rows == reference(fz, probes[4])[0]).all() and np.allclose(vals, reference(fz, probes[4])[1], atol=1e-6)


def test_featurizer_unknown_ngrams_shrink_the_vector():
    fz = Featurizer.fit(["play some jazz", "weather in paris"], FeaturizerConfig())
    rows, vals = fz.transform_one("play some jazz")
    assert np.sqrt((vals ** 2).sum()) == pytest.approx(np.sqrt(2.0), rel=1e-5)  # two L2-normalised blocks
    _, vals_mixed = fz.transform_one("play some xylophonic zzyzx")
    assert np.sqrt((vals_mixed ** 2).sum()) < 1.2
    rows_none, _ = fz.transform_one("QQQ kkk")  # no n-gram of these occurs in the fitted texts
    assert len(rows_none) == 0
    assert fz.transform_one("")[0].size == 0
    restored = Featurizer.from_dict(json.loads(json.dumps(fz.to_dict())))
    r2, v2 = restored.transform_one("play some jazz")
    assert (r2 == rows).all() and np.allclose(v2, vals, atol=1e-3)


def test_logreg_learns_and_temperature_is_recovered():
    from slm.router.calibrate import fit_temperature, route_thresholds
    from slm.router.features import SparseRows
    from slm.router.linear import fit_logreg

    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=300)
    indices = np.stack([y, 3 + rng.integers(0, 5, size=300)], axis=1).ravel()
    x = SparseRows(np.arange(0, 601, 2), indices, np.ones(600, dtype=np.float32), 8)
    model = fit_logreg(x, y, 3, l2=1e-4, max_iter=100)
    assert (model.logits(x).argmax(1) == y).mean() == 1.0
    # dense check of the sparse products
    dense = np.zeros((300, 8), dtype=np.float32)
    dense[np.repeat(np.arange(300), 2), indices] = 1.0
    g = rng.random((300, 3)).astype(np.float32)
    assert np.allclose(x.tdot(g), dense.T @ g, atol=1e-4)
    assert np.allclose(x.dot(model.weights), dense @ model.weights, atol=1e-4)
    # labels drawn from softmax(z / 2): the fitted temperature is near 2
    z = rng.normal(scale=4.0, size=(4000, 3))
    p = np.exp(z / 2.0)
    p /= p.sum(1, keepdims=True)
    labels = np.array([rng.choice(3, p=row) for row in p])
    assert fit_temperature(z, labels) == pytest.approx(2.0, rel=0.15)
    # thresholds: route 0 prompts scored 0.9 are right, "none" prompts scored 0.4 must be refused
    probs = np.array([[0.9, 0.05, 0.05]] * 10 + [[0.4, 0.3, 0.3]] * 10)
    labels = np.array([0] * 10 + [2] * 10)
    thresholds, global_t = route_thresholds(probs, labels, 2, shrink=0.0)
    assert 0.4 < thresholds[0] <= 0.9 and 0.4 < global_t <= 0.9


def test_a_running_router_notices_changed_examples(tmp_path, monkeypatch):
    """Within one process the fingerprint is re-read (every RECHECK_S seconds) and a change retrains."""
    import slm.router.router as router_module

    class Provider:  # the two methods Router uses, with examples that change while it runs
        def __init__(self):
            self.routes = {k: list(v) for k, v in ROUTES.items()}

        def route_examples(self):
            return self.routes

        def examples_fingerprint(self):
            return str(hash(json.dumps(self.routes, sort_keys=True)))

    provider = Provider()
    router = Router(make_host(tmp_path).settings, examples_provider=provider, negatives=NEGATIVES)
    assert router.route("set a timer for 15 minutes").plugin != "timer"
    provider.routes["timer"] = ["set a timer for ten minutes", "start a five minute timer", "timer for 20 minutes",
                                "countdown of three minutes", "set a kitchen timer", "cancel my timer"]
    monkeypatch.setattr(router_module, "RECHECK_S", 0.0)
    assert router.route("set a timer for 15 minutes").plugin == "timer"
    assert router.last_report is not None and not router.last_report.cached


def test_size_budget_keeps_the_most_useful_rows(tmp_path):
    from slm.router.trainer import TrainConfig

    from slm.router import static_vectors

    dims = static_vectors.load().dims  # the static block's rows are never pruned
    # 3 routes + none: 4 weights of 4 bits (2 bytes) and a float32 scale a row
    small = TrainConfig(max_matrix_bytes=6 * (300 + dims))
    router = make_router(tmp_path, config=small)
    report = router.train()
    assert dims < report.features <= 300 + dims
    # a budget below the static block itself: the block stays whole, with one n-gram row
    tiny = make_router(tmp_path / "tiny", config=TrainConfig(max_matrix_bytes=10)).train()
    assert tiny.features == dims + 1
    full = make_router(tmp_path / "full").train()
    assert full.features > report.features
    assert report.artifact_bytes < full.artifact_bytes
    assert router.route("play some jazz").plugin == "music"
    assert router.route("will it rain tomorrow").plugin == "weather"


def test_mlp_graph_matches_numpy_with_and_without_a_linear_part():
    from slm.router.onnx_model import build_mlp_model, open_session

    rng = np.random.default_rng(2)
    w1 = rng.normal(size=(40, 8)).astype(np.float32)
    b1 = rng.normal(size=8).astype(np.float32)
    w2 = rng.normal(size=(8, 4)).astype(np.float32)
    b2 = rng.normal(size=4).astype(np.float32)
    wl = rng.normal(size=(40, 4)).astype(np.float32)
    bl = rng.normal(size=4).astype(np.float32)
    rows = np.array([1, 5, 39], dtype=np.int64)
    coef = rng.random((3, 3)).astype(np.float32)
    mlp_logits = np.maximum(coef @ w1[rows] + b1, 0) @ w2 + b2
    for linear, expected in ((None, mlp_logits), ((wl, bl), mlp_logits + coef @ wl[rows] + bl)):
        session = open_session(build_mlp_model(w1, b1, w2, b2, temperature=1.5, linear=linear))
        logits, probs = session.run(["logits", "probs"], {"rows": rows, "coef": coef})
        assert np.allclose(logits, expected, atol=0.1 * np.abs(expected).max())
        assert (logits.argmax(1) == expected.argmax(1)).all()
        ref = np.exp((expected - expected.max(1, keepdims=True)) / 1.5)
        assert np.allclose(probs, ref / ref.sum(1, keepdims=True), atol=3e-2)
        # the padding row is all zero: an empty prompt scores relu(b1) @ W2 + bias alone
        pad = session.run(["logits"], {"rows": np.array([40], dtype=np.int64), "coef": np.ones((1, 1), np.float32)})[0]
        assert np.allclose(pad[0], np.maximum(b1, 0) @ w2 + b2 + (0 if linear is None else bl), atol=2e-2)


def test_mlp_learns_an_interaction_the_linear_model_cannot():
    """XOR of two features: no linear model separates it, one hidden layer does."""
    from slm.router.features import SparseRows
    from slm.router.linear import fit_logreg
    from slm.router.mlp import fit_mlp

    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 2, size=400), rng.integers(0, 2, size=400)
    y = a ^ b
    indices = np.stack([a, 2 + b, 4 + rng.integers(0, 4, size=400)], axis=1).ravel()  # + a noise feature
    x = SparseRows(np.arange(0, 1201, 3), indices, np.ones(1200, dtype=np.float32), 8)
    mlp = fit_mlp(x, y, 2, hidden=16, epochs=60, lr=1e-2, dropout=0.0, input_dropout=0.0, batch=32)
    assert (mlp.logits(x).argmax(1) == y).mean() == 1.0
    linear = fit_logreg(x, y, 2, l2=1e-4, max_iter=100)
    assert (linear.logits(x).argmax(1) == y).mean() < 0.8
    # early stopping keeps the best held-out epoch, and restrict() keeps the rows asked for
    held = fit_mlp(x, y, 2, hidden=16, epochs=5, lr=1e-2, valid=(x, y))
    assert 1 <= held.epochs <= 5
    assert held.restrict(np.array([0, 3])).w1.shape == (2, 16)


@pytest.mark.parametrize("kind", ["mlp", "ensemble"])
def test_mlp_and_ensemble_routers_route_and_reload(tmp_path, kind):
    from slm.router.trainer import TrainConfig

    config = TrainConfig(model=kind, hidden=32, epochs=30, folds=3)
    router = make_router(tmp_path, config=config)
    report = router.train()
    assert report.features > 0
    cases = {"is it going to rain in berlin on sunday": "weather", "play something by the beatles": "music",
             "how do i make a mushroom risotto": "recipes", "who discovered penicillin": None}
    assert [d.plugin for d in router.route_many(list(cases))] == list(cases.values())
    sidecar = json.loads(next(router.cache_root.glob("*/" + SIDECAR_FILE)).read_text(encoding="utf-8"))
    assert sidecar["model"] == kind
    assert all(t >= sidecar["confidence_floor"] for t in sidecar["thresholds"].values())
    again = make_router(tmp_path, config=config)
    assert again.train().cached
    assert [d.plugin for d in again.route_many(list(cases))] == list(cases.values())


def test_auto_model_and_confidence_floor():
    from slm.router.trainer import TrainConfig, _model_kind, confidence_floor

    config = TrainConfig(mlp_min_examples=5)
    assert _model_kind(config, np.array([0] * 5 + [1] * 4 + [2] * 50), 2) == "linear"
    assert _model_kind(config, np.array([0] * 5 + [1] * 5 + [2]), 2) == "mlp"
    assert _model_kind(TrainConfig(model="linear", mlp_min_examples=0), np.array([0, 1]), 1) == "linear"
    # 100 prompts, all routed right, with confidence spread evenly over 0.5 .. 1.0:
    # the floor under which 5 % of them fall is near 0.52
    top = np.linspace(0.01, 1.0, 100)
    probs = np.stack([top, 1 - top, np.zeros(100)], axis=1)
    labels = np.where(top >= 0.5, 0, 1)
    floor = confidence_floor(probs, labels, 0.05)
    assert 0.5 < floor < 0.56
    assert confidence_floor(probs, labels, 0.0) == 0.0
    assert confidence_floor(probs, np.full(100, 2), 0.05) == 0.0  # no in-scope prompts: no floor


def test_unknown_model_kind_is_a_clear_error(tmp_path):
    from slm.errors import RouterError
    from slm.router.trainer import TrainConfig

    with pytest.raises(RouterError, match="unknown router model 'bogus'"):
        make_router(tmp_path, config=TrainConfig(model="bogus")).train()
    with pytest.raises(RouterError, match="weight_bits must be 8 or 4"):
        make_router(tmp_path, config=TrainConfig(weight_bits=3)).train()


def test_min_none_recall_tightens_thresholds_until_held_out_recall_is_reached():
    from slm.router.trainer import TrainConfig, train_router

    heldout = [("will it hail tomorrow", "weather"), ("play some blues", "music"), ("how do i bake bread", "recipes"),
               ("who invented the telephone", None), ("write a poem about the sea", None),
               ("what is the speed of light", None), ("how do i tie a tie", None), ("good morning", None),
               ("recipe for chicken curry", None)]  # held out as "none" though it reads like a recipes example
    base = {"threshold_none_weight": 0.01, "threshold_shrink": 0.0}
    loose = train_router(ROUTES, NEGATIVES, heldout=heldout, config=TrainConfig(**base))
    strict = train_router(ROUTES, NEGATIVES, heldout=heldout, config=TrainConfig(**base, min_none_recall=1.0))
    assert loose.heldout["none_recall"] < 1.0
    assert strict.heldout["none_recall"] == 1.0
    assert strict.sidecar["threshold_none_weight"] > loose.sidecar["threshold_none_weight"]
    assert all(strict.sidecar["thresholds"][r] >= loose.sidecar["thresholds"][r] - 1e-9 for r in ROUTES)
    assert strict.sidecar["confidence_floor"] == 0.0  # a held-out set was given: no cross-validated floor

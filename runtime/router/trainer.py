"""Training a router from route examples and out-of-scope prompts, numpy only.

Steps: fit the featurizer; fit the model (logistic regression, the
one-hidden-layer network of mlp.py, or both averaged; "auto" takes the network
once every route has enough examples); keep the most useful feature rows if the
weights would pass the size budget (then refit on those rows); get held-out
predictions (the caller's held-out set, or k-fold cross-validation over the
examples); fit the temperature, the per-route thresholds and, when
cross-validated, a confidence floor on them; export to ONNX with 8- or 4-bit weights.
"""
from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from slm.router.augment import bundled_payloads, with_details, with_payloads
from slm.router.calibrate import fit_temperature, route_thresholds
from slm.router.features import FEATURIZER_VERSION, Featurizer, normalize
from slm.router.linear import balanced_weights, fit_logreg, softmax
from slm.router.mlp import fit_mlp
from slm.router.train_config import (  # noqa: F401 - their home before train_config.py
    MODELS,
    TRAINER_VERSION,
    TrainConfig,
    bundled_negatives,
    negatives_fingerprint,
    trainer_data,
)


@dataclass
class TrainedRouter:
    onnx_bytes: bytes
    sidecar: dict
    seconds: float
    heldout: dict


def train_router(examples: dict[str, list[str]], negatives: Sequence[str], *,
                 heldout: Sequence[tuple[str, str | None]] | None = None,
                 config: TrainConfig | None = None, fingerprint: str = "",
                 payloads: Sequence[str] | None = None) -> TrainedRouter:
    from threadpoolctl import threadpool_limits

    # one BLAS thread: training multiplies small matrices (the built-ins: 1,065 x 384 by 384 x 6)
    # thousands of times, where OpenBLAS's thread hand-offs cost more than the arithmetic
    # (a logistic-regression fit 3.2 s -> 1.2 s on 2 busy cores)
    with threadpool_limits(1, user_api="blas"):
        return _train_router(examples, negatives, heldout=heldout, config=config, fingerprint=fingerprint,
                             payloads=payloads)


def _train_router(examples, negatives, *, heldout, config, fingerprint, payloads) -> TrainedRouter:
    from slm.router.onnx_model import build_mlp_model, build_model

    config = config or TrainConfig()
    if config.weight_bits not in (4, 8):  # before minutes of training, not at the export after them
        raise ValueError(f"weight_bits must be 8 or 4, not {config.weight_bits!r}")
    start = time.perf_counter()
    routes = sorted(name for name, texts in examples.items() if any(t.strip() for t in texts))
    if not routes:
        raise ValueError("no routes with examples to train on")
    texts, labels, groups = _dataset(examples, routes, negatives, config,
                                     bundled_payloads() if payloads is None else payloads)
    n_classes = len(routes) + 1
    featurizer = Featurizer.fit(texts, config.featurizer)
    x = featurizer.transform(texts)
    weights = _sample_weights(labels, n_classes, config)

    source = groups == np.arange(len(groups))  # declared prompts, not the ones made with payloads
    kind = _model_kind(config, labels[source], len(routes))
    if kind not in MODELS[1:]:
        raise ValueError(f"unknown router model {config.model!r} (one of {', '.join(MODELS)})")
    h_labels = h_x = None
    if heldout:
        h_labels = np.array([len(routes) if r is None or r not in routes else routes.index(r)
                             for _, r in heldout])
        h_x = featurizer.transform([t for t, _ in heldout])
    valid = (h_x, h_labels) if heldout else None

    linear = mlp = None
    if kind in ("linear", "ensemble"):
        linear = _fit(x, labels, n_classes, weights, config)
    if kind in ("mlp", "ensemble"):
        mlp = _fit_mlp(x, labels, n_classes, weights, config, valid=valid)
    # fit the size budget: keep the rows that matter most, refit on them (warm start)
    row_bytes = sum((cols * config.weight_bits + 7) // 8 + 4  # + a float32 scale per row
                    for cols, used in ((n_classes, linear), (config.hidden, mlp)) if used is not None)
    # the dense block stays whole, whatever the budget; the n-gram rows get the rest (at least one)
    n_gram_rows = featurizer.n_features - featurizer.n_dense
    max_gram_rows = max(1, config.max_matrix_bytes // row_bytes - 1 - featurizer.n_dense)
    if n_gram_rows > max_gram_rows:
        top = np.argsort(-_row_importance(linear, mlp)[:n_gram_rows])[:max_gram_rows]
        keep = np.concatenate([np.sort(top), featurizer.dense_rows])  # the dense rows come last
        featurizer = featurizer.restrict(keep)
        x = featurizer.transform(texts)
        if heldout:
            h_x = featurizer.transform([t for t, _ in heldout])
            valid = (h_x, h_labels)
        if linear is not None:
            linear = _fit(x, labels, n_classes, weights, config, init=(linear.weights[keep], linear.bias))
        if mlp is not None:
            mlp = _fit_mlp(x, labels, n_classes, weights, config, valid=valid, init=mlp.restrict(keep),
                           epochs=max(1, config.epochs // 3))

    # held-out predictions (of the final model, or k-fold) -> temperatures and thresholds
    if heldout:
        parts = [m.logits(h_x) for m in (linear, mlp) if m is not None]
    else:
        parts = _cross_val_logits(x, labels, groups, n_classes, weights, config,
                                  linear if linear is not None else None, mlp is not None)
        h_labels = labels
    # an ensemble averages the two models' calibrated logits
    part_t = [fit_temperature(p, h_labels) for p in parts]
    h_logits = sum(p / t for p, t in zip(parts, part_t)) / len(parts)
    temperature = fit_temperature(h_logits, h_labels)
    h_probs = softmax(h_logits / temperature)
    thresholds, global_t, none_weight = fit_thresholds(h_probs, h_labels, len(routes), config)
    # with no held-out set, the thresholds come from cross-validation against the bundled
    # out-of-scope corpus, which is easier to tell apart than real prompts that fit no route;
    # the floor keeps them from landing near zero (a caller's held-out set has real ones)
    floor = 0.0 if heldout else confidence_floor(h_probs, h_labels, config.floor_inscope_loss)
    thresholds = np.maximum(thresholds, floor)
    # each part's own temperature and its share of the average fold into its output weights
    scales = [1.0 / (len(parts) * t) for t in part_t]
    lin_part = None if linear is None else (linear.weights * scales[0], linear.bias * scales[0])
    if mlp is None:
        onnx_bytes = build_model(*lin_part, temperature, bits=config.weight_bits, n_dense=featurizer.n_dense)
    else:
        onnx_bytes = build_mlp_model(mlp.w1, mlp.b1, mlp.w2 * scales[-1], mlp.b2 * scales[-1],
                                     temperature, linear=lin_part, bits=config.weight_bits,
                                     n_dense=featurizer.n_dense)
    seconds = time.perf_counter() - start
    stats = decision_stats(h_probs, h_labels, thresholds)
    sidecar = {
        "format": 1,
        "routes": routes,
        "thresholds": {r: float(t) for r, t in zip(routes, thresholds)},
        "global_threshold": global_t,
        "confidence_floor": float(floor),
        "threshold_none_weight": none_weight,
        "model": kind,
        "temperature": temperature,
        "featurizer": featurizer.to_dict(),
        "fingerprint": fingerprint,
        "featurizer_version": FEATURIZER_VERSION,
        "trainer_version": TRAINER_VERSION,
        "train": {"config": config.to_dict(), "examples": int((labels[source] < len(routes)).sum()),
                  "negatives": int((labels[source] == len(routes)).sum()), "with_payloads": int((~source).sum()), "seconds": round(seconds, 3),
                  "iterations": linear.iterations if linear is not None else mlp.epochs, "heldout": stats,
                  "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    return TrainedRouter(onnx_bytes, sidecar, seconds, stats)


def fit_thresholds(probs: np.ndarray, labels: np.ndarray, n_routes: int, config: TrainConfig,
                   min_none_recall: float | None = None) -> tuple[np.ndarray, float, float]:
    """Per-route thresholds on held-out probabilities, with none recall weighed up until the
    held-out recall reaches ``min_none_recall`` (default: the config's).
    Returns (thresholds, global threshold, the none weight used)."""
    target = config.min_none_recall if min_none_recall is None else min_none_recall
    none_weight = config.threshold_none_weight
    while True:
        thresholds, global_t = route_thresholds(probs, labels, n_routes, shrink=config.threshold_shrink,
                                                none_weight=none_weight)
        recall = decision_stats(probs, labels, thresholds)["none_recall"]
        if recall is None or recall >= target or none_weight > 100:
            return thresholds, global_t, none_weight
        none_weight *= config.threshold_step


def _dataset(examples, routes, negatives, config, payloads):
    """(texts, labels, groups): the examples, the negatives, then the same with payloads
    (augment.py); a prompt made from an example shares its group, so cross-validation
    never trains on a prompt's twin."""
    cfg = config.featurizer
    texts, labels, seen = [], [], set()
    for i, route in enumerate(routes):
        for t in examples[route]:
            if t.strip():
                texts.append(t)
                labels.append(i)
                seen.add(normalize(t, cfg.max_chars, cfg.digits_to_zero).strip())
    n_examples = len(texts)
    for t in negatives:  # a negative that is also some route's example would teach a contradiction
        if t.strip() and normalize(t, cfg.max_chars, cfg.digits_to_zero).strip() not in seen:
            texts.append(t)
            labels.append(len(routes))
    groups = list(range(len(texts)))
    if cfg.split_instruction:  # without the split a payload's words are features: nothing to teach
        for lo, hi, share in ((0, n_examples, config.payload_share),
                              (n_examples, len(groups), config.negative_payload_share)):
            made = with_payloads(texts[lo:hi], payloads, share, config.seed + lo)
            made += with_details(texts[lo:hi], payloads, share * config.detail_share, config.seed + lo)
            for src, text in made:
                texts.append(text)
                labels.append(labels[lo + src])
                groups.append(lo + src)
    return texts, np.array(labels, dtype=np.int64), np.array(groups, dtype=np.int64)


def _sample_weights(labels, n_classes, config):
    w = balanced_weights(labels, n_classes)
    w[labels == n_classes - 1] *= config.none_weight
    return w


def _fit(x, labels, n_classes, weights, config, init=None):
    return fit_logreg(x, labels, n_classes, sample_weight=weights, l2=config.l2,
                      max_iter=config.max_iter, tol=config.tol, init=init)


def _model_kind(config, labels, n_routes):
    if config.model != "auto":
        return config.model
    counts = np.bincount(labels, minlength=n_routes + 1)[:n_routes]
    return "mlp" if counts.min() >= config.mlp_min_examples else "linear"


def _fit_mlp(x, labels, n_classes, weights, config, valid=None, init=None, epochs=None):
    return fit_mlp(x, labels, n_classes, sample_weight=weights, hidden=config.hidden,
                   epochs=epochs or config.epochs, lr=config.learning_rate, batch=config.batch,
                   dropout=config.dropout, input_dropout=config.input_dropout, seed=config.seed,
                   init=init, valid=valid)


def _row_importance(linear, mlp) -> np.ndarray:
    """How much each feature row matters, each model's share normalised to mean 1."""
    scores = []
    if linear is not None:
        scores.append(np.abs(linear.weights).max(axis=1))
    if mlp is not None:
        scores.append(np.sqrt((mlp.w1 * mlp.w1).sum(axis=1)))
    return sum(s / max(float(s.mean()), 1e-12) for s in scores)


def confidence_floor(probs: np.ndarray, labels: np.ndarray, max_loss: float) -> float:
    """The held-out confidence below which only ``max_loss`` of the correctly routed in-scope
    prompts fall: a route threshold under it would accept prompts the model is guessing at
    (thresholds fitted on few held-out prompts can land near zero)."""
    none = probs.shape[1] - 1
    inscope = labels < none
    if max_loss <= 0 or not inscope.any():
        return 0.0
    route_p = probs[inscope, :none]
    pred = route_p.argmax(axis=1)
    right = pred == labels[inscope]
    if not right.any():
        return 0.0
    top = route_p[np.arange(len(pred)), pred][right]
    return float(np.quantile(top, max_loss))


def _cross_val_logits(x, labels, groups, n_classes, weights, config, linear=None, with_mlp=False):
    """Out-of-fold logits from stratified k-fold over groups (each fold trained without its
    prompts and their augmented twins), one array per model. The linear folds start from
    the full model's weights (``linear``): the loss is convex, so they reach the same
    optimum in fewer iterations — except for the rows of n-grams that only the held-out
    prompts have: no data gradient reaches them in the fold and the L2 pull is tiny, so
    started from the full model they would keep what those very prompts taught it (a
    fold stopped after one iteration scored its prompts with the full model). Their
    optimum is zero, so they start there."""
    with_linear = linear is not None
    rng = np.random.default_rng(config.seed)
    fold_of = np.zeros(len(labels), dtype=np.int64)
    heads = np.flatnonzero(groups == np.arange(len(groups)))  # one prompt per group: its source
    counts = np.bincount(labels[heads], minlength=n_classes)
    k = int(max(2, min(config.folds, counts[counts > 0].min())))
    for c in range(n_classes):
        members = heads[labels[heads] == c]
        rng.shuffle(members)
        fold_of[members] = np.arange(len(members)) % k
    fold_of = fold_of[groups]
    n_models = int(with_linear) + int(with_mlp)
    logits = [np.zeros((len(labels), n_classes), dtype=np.float32) for _ in range(n_models)]

    def fold(f: int) -> None:
        test, train = np.flatnonzero(fold_of == f), np.flatnonzero(fold_of != f)
        x_train, x_test = x.take(train), x.take(test)
        at = 0
        if with_linear:
            seen = np.bincount(x_train.indices, minlength=x.n_cols) > 0
            seen[x.n_cols - x.n_dense:] = True  # the dense rows: every prompt has them
            model = _fit(x_train, labels[train], n_classes, weights[train], config,
                         init=(np.where(seen[:, None], linear.weights, 0.0), linear.bias))
            logits[at][test] = model.logits(x_test)
            at += 1
        if with_mlp:
            logits[at][test] = _fit_mlp(x_train, labels[train], n_classes, weights[train], config).logits(x_test)

    # The folds are independent and numpy releases the GIL in the sparse products that are
    # most of their time: one thread per core (two cores: the folds take ~0.6 of the time).
    # Each fold writes only its own rows, so the result is the same as one after the other.
    workers = max(1, min(k, os.cpu_count() or 1))
    if workers == 1:
        for f in range(k):
            fold(f)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers, thread_name_prefix="slm-router-fold") as pool:
            list(pool.map(fold, range(k)))
    return logits


def decision_stats(probs: np.ndarray, labels: np.ndarray, thresholds: np.ndarray) -> dict:
    """Accuracy on in-scope prompts and none recall (fractions, 4 places) of the decisions the
    thresholds make from ``probs`` (last column "none"); ``labels`` are route indices, the
    route count meaning none."""
    none = probs.shape[1] - 1
    route_p = probs[:, :none]
    pred = route_p.argmax(axis=1)
    top = route_p[np.arange(len(labels)), pred]
    accept = top >= thresholds[pred]
    final = np.where(accept, pred, none)
    inscope = labels < none
    return {"prompts": len(labels),
            "accuracy": round(float((final[inscope] == labels[inscope]).mean()), 4) if inscope.any() else None,
            "none_recall": round(float((final[~inscope] == none).mean()), 4) if (~inscope).any() else None}

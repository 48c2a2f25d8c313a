"""Training a router from route examples and out-of-scope prompts, numpy only.

Steps: fit the featurizer; get held-out predictions (the caller's held-out set,
or k-fold cross-validation over the examples); fit the temperature and the
per-route thresholds on them; fit the final model on everything; keep the most
useful feature rows if the weight matrix would pass the size budget (then
refit on those rows); export to ONNX with int8 weights.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources

import numpy as np
from slm.router.calibrate import fit_temperature, route_thresholds
from slm.router.features import (
    FEATURIZER_VERSION,
    Featurizer,
    FeaturizerConfig,
    normalize,
)
from slm.router.linear import balanced_weights, fit_logreg, softmax

TRAINER_VERSION = 1


@dataclass
class TrainConfig:
    featurizer: FeaturizerConfig = field(default_factory=FeaturizerConfig)
    l2: float = 3e-6
    max_iter: int = 200
    tol: float = 1e-6
    folds: int = 5
    none_weight: float = 0.3  # the "none" class's total weight relative to one route's
    threshold_none_weight: float = 1.0  # none recall vs in-scope accuracy when picking thresholds
    threshold_shrink: float = 20.0
    max_matrix_bytes: int = 2_400_000  # int8 weight matrix budget (keeps the artifact <= 3 MB)
    seed: int = 0

    def to_dict(self) -> dict:
        out = asdict(self)
        out["featurizer"] = self.featurizer.to_dict()
        return out


@dataclass
class TrainedRouter:
    onnx_bytes: bytes
    sidecar: dict
    seconds: float
    heldout: dict


def bundled_negatives() -> list[str]:
    text = resources.files("slm.router").joinpath("data/out_of_scope.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def negatives_fingerprint(negatives: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(negatives).encode("utf-8")).hexdigest()[:12]


def train_router(examples: dict[str, list[str]], negatives: Sequence[str], *,
                 heldout: Sequence[tuple[str, str | None]] | None = None,
                 config: TrainConfig | None = None, fingerprint: str = "") -> TrainedRouter:
    from slm.router.onnx_model import build_model

    config = config or TrainConfig()
    start = time.perf_counter()
    routes = sorted(name for name, texts in examples.items() if any(t.strip() for t in texts))
    if not routes:
        raise ValueError("no routes with examples to train on")
    texts, labels = _dataset(examples, routes, negatives, config)
    n_classes = len(routes) + 1
    featurizer = Featurizer.fit(texts, config.featurizer)
    x = featurizer.transform(texts)
    weights = _sample_weights(labels, n_classes, config)

    model = _fit(x, labels, n_classes, weights, config)
    # fit the size budget: keep the rows that matter most, refit on them (warm start)
    max_rows = max(1, config.max_matrix_bytes // n_classes - 1)
    if featurizer.n_features > max_rows:
        keep = np.sort(np.argsort(-np.abs(model.weights).max(axis=1))[:max_rows])
        featurizer = featurizer.restrict(keep)
        x = featurizer.transform(texts)
        model = _fit(x, labels, n_classes, weights, config, init=(model.weights[keep], model.bias))

    # held-out predictions (of the final model, or k-fold) -> temperature and thresholds
    if heldout:
        h_labels = np.array([len(routes) if r is None or r not in routes else routes.index(r)
                             for _, r in heldout])
        h_logits = model.logits(featurizer.transform([t for t, _ in heldout]))
    else:
        h_logits, h_labels = _cross_val_logits(x, labels, n_classes, weights, config)
    temperature = fit_temperature(h_logits, h_labels)
    h_probs = softmax(h_logits / temperature)
    thresholds, global_t = route_thresholds(h_probs, h_labels, len(routes), shrink=config.threshold_shrink,
                                            none_weight=config.threshold_none_weight)
    onnx_bytes = build_model(model.weights, model.bias, temperature)
    seconds = time.perf_counter() - start
    stats = _heldout_stats(h_probs, h_labels, thresholds)
    sidecar = {
        "format": 1,
        "routes": routes,
        "thresholds": {r: float(t) for r, t in zip(routes, thresholds)},
        "global_threshold": global_t,
        "temperature": temperature,
        "featurizer": featurizer.to_dict(),
        "fingerprint": fingerprint,
        "featurizer_version": FEATURIZER_VERSION,
        "trainer_version": TRAINER_VERSION,
        "train": {"config": config.to_dict(), "examples": int((labels < len(routes)).sum()),
                  "negatives": int((labels == len(routes)).sum()), "seconds": round(seconds, 3),
                  "iterations": model.iterations, "heldout": stats,
                  "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    return TrainedRouter(onnx_bytes, sidecar, seconds, stats)


def _dataset(examples, routes, negatives, config):
    cfg = config.featurizer
    texts, labels, seen = [], [], set()
    for i, route in enumerate(routes):
        for t in examples[route]:
            if t.strip():
                texts.append(t)
                labels.append(i)
                seen.add(normalize(t, cfg.max_chars, cfg.digits_to_zero).strip())
    for t in negatives:  # a negative that is also some route's example would teach a contradiction
        if t.strip() and normalize(t, cfg.max_chars, cfg.digits_to_zero).strip() not in seen:
            texts.append(t)
            labels.append(len(routes))
    return texts, np.array(labels, dtype=np.int64)


def _sample_weights(labels, n_classes, config):
    w = balanced_weights(labels, n_classes)
    w[labels == n_classes - 1] *= config.none_weight
    return w


def _fit(x, labels, n_classes, weights, config, init=None):
    return fit_logreg(x, labels, n_classes, sample_weight=weights, l2=config.l2,
                      max_iter=config.max_iter, tol=config.tol, init=init)


def _cross_val_logits(x, labels, n_classes, weights, config):
    """Out-of-fold logits from stratified k-fold (each fold trained without its prompts)."""
    rng = np.random.default_rng(config.seed)
    fold_of = np.zeros(len(labels), dtype=np.int64)
    counts = np.bincount(labels, minlength=n_classes)
    k = int(max(2, min(config.folds, counts[counts > 0].min())))
    for c in range(n_classes):
        members = np.flatnonzero(labels == c)
        rng.shuffle(members)
        fold_of[members] = np.arange(len(members)) % k
    logits = np.zeros((len(labels), n_classes), dtype=np.float32)
    for f in range(k):
        test, train = np.flatnonzero(fold_of == f), np.flatnonzero(fold_of != f)
        model = _fit(x.take(train), labels[train], n_classes, weights[train], config)
        logits[test] = model.logits(x.take(test))
    return logits, labels


def _heldout_stats(probs, labels, thresholds):
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

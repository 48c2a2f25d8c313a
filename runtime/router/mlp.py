"""A one-hidden-layer network over the sparse n-gram features, trained in numpy.

    hidden = relu(x @ W1 + b1)      x: the featurizer's tf-idf row (sparse)
    logits = hidden @ W2 + b2

The first layer is an "embedding bag": a prompt only touches the rows of W1
for its n-grams, so the forward pass is a gather + weighted sum and the
gradient of W1 is a scatter onto those rows. Trained with Adam (lazy, per
touched row, for W1), minibatches, dropout on the input features and on the
hidden units. Where the linear model weighs each n-gram for each route on its
own, the hidden layer learns combinations ("set" + "alarm" but not "set" +
"table"), which is worth about a point of accuracy on many routes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from slm.router.features import SparseRows
from slm.router.linear import softmax


@dataclass
class MlpModel:
    w1: np.ndarray  # (n_features, hidden) float32
    b1: np.ndarray  # (hidden,)
    w2: np.ndarray  # (hidden, n_classes)
    b2: np.ndarray  # (n_classes,)
    epochs: int
    loss: float

    def logits(self, x: SparseRows) -> np.ndarray:
        h = x.dot(self.w1) + self.b1
        np.maximum(h, 0.0, out=h)
        return h @ self.w2 + self.b2

    def restrict(self, keep: np.ndarray) -> MlpModel:
        return MlpModel(self.w1[keep].copy(), self.b1, self.w2, self.b2, self.epochs, self.loss)


def fit_mlp(x: SparseRows, y: np.ndarray, n_classes: int, *, sample_weight: np.ndarray | None = None,
            hidden: int = 128, epochs: int = 10, lr: float = 2e-3, batch: int = 64, dropout: float = 0.5,
            input_dropout: float = 0.3, seed: int = 0, init: MlpModel | None = None,
            valid: tuple[SparseRows, np.ndarray] | None = None) -> MlpModel:
    """Minibatch Adam on weighted cross-entropy. With ``valid`` (x, labels), the epoch with the best
    held-out accuracy is kept (early stopping); without it, the last epoch."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y, dtype=np.int64)
    n, d = x.n_rows, x.n_cols
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    s = (s / s.mean()).astype(np.float32)
    if init is not None:
        w1, b1, w2, b2 = (p.astype(np.float32, copy=True) for p in (init.w1, init.b1, init.w2, init.b2))
    else:
        # tf-idf rows have norm ~ sqrt(2) (two blocks): small rows keep the first hidden layer tame
        w1 = (rng.standard_normal((d, hidden)) * 0.1).astype(np.float32)
        b1 = np.zeros(hidden, dtype=np.float32)
        w2 = (rng.standard_normal((hidden, n_classes)) * np.sqrt(2.0 / hidden)).astype(np.float32)
        b2 = np.zeros(n_classes, dtype=np.float32)
    dense = [b1, w2, b2]
    m1, v1 = np.zeros_like(w1), np.zeros_like(w1)
    m_dense = [np.zeros_like(p) for p in dense]
    v_dense = [np.zeros_like(p) for p in dense]
    step = 0
    best: tuple[float, MlpModel] | None = None
    loss = 0.0
    epoch = 0
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        total = 0.0
        for lo in range(0, n, batch):
            idx = order[lo:lo + batch]
            xb, yb, sb = x.take(idx), y[idx], s[idx]
            if input_dropout:
                keep = rng.random(xb.data.size) >= input_dropout
                xb.data = xb.data * keep.astype(np.float32) / np.float32(1.0 - input_dropout)
                if xb.dense is not None:
                    keep = rng.random(xb.dense.shape) >= input_dropout
                    xb.dense = xb.dense * keep.astype(np.float32) / np.float32(1.0 - input_dropout)
            pre = xb.dot(w1) + b1
            h = np.maximum(pre, 0.0)
            if dropout:
                mask = (rng.random(h.shape) >= dropout).astype(np.float32) / np.float32(1.0 - dropout)
                h *= mask
            p = softmax(h @ w2 + b2)
            rows = np.arange(len(idx))
            total += float(-(np.log(p[rows, yb] + 1e-12) * sb).sum())
            p[rows, yb] -= 1.0
            g = p * (sb / len(idx))[:, None]
            dh = g @ w2.T
            if dropout:
                dh *= mask
            dh *= pre > 0
            grads = [dh.sum(axis=0), h.T @ g, g.sum(axis=0)]
            # scatter onto the touched rows of W1: sort the batch's feature ids, sum runs
            prod = dh[xb.row_ids()] * xb.data[:, None]
            by_row = np.argsort(xb.indices, kind="stable")
            ids = xb.indices[by_row]
            if ids.size == 0 and xb.dense is None:
                continue
            starts = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]])) if ids.size else ids
            touched = ids[starts]
            g1 = np.add.reduceat(prod[by_row], starts, axis=0) if ids.size else prod
            if xb.dense is not None:  # the dense block's rows: every prompt touches them
                touched = np.concatenate([touched, np.arange(d - xb.n_dense, d)])
                g1 = np.concatenate([g1, xb.dense.T @ dh])
            step += 1
            rate = lr * np.sqrt(1.0 - _BETA2 ** step) / (1.0 - _BETA1 ** step)  # bias-corrected
            m_r, v_r = m1[touched], v1[touched]  # copies: written back after the update
            w1[touched] -= _adam_step(m_r, v_r, g1, rate)
            m1[touched], v1[touched] = m_r, v_r
            for param, grad, m, v in zip(dense, grads, m_dense, v_dense):
                param -= _adam_step(m, v, grad, rate)
        loss = total / n
        if valid is not None:
            model = MlpModel(w1, b1, w2, b2, epoch, loss)
            acc = heldout_accuracy(model.logits(valid[0]), valid[1])
            if best is None or acc > best[0]:
                best = (acc, MlpModel(w1.copy(), b1.copy(), w2.copy(), b2.copy(), epoch, loss))
    if best is not None:
        return best[1]
    return MlpModel(w1, b1, w2, b2, epoch, loss)


_BETA1, _BETA2, _EPS = 0.9, 0.999, 1e-8  # Adam's usual constants


def _adam_step(m: np.ndarray, v: np.ndarray, grad: np.ndarray, rate: float) -> np.ndarray:
    """Update Adam's moment estimates ``m``, ``v`` in place; returns the step to subtract."""
    m *= _BETA1
    m += (1.0 - _BETA1) * grad
    v *= _BETA2
    v += (1.0 - _BETA2) * grad * grad
    return rate * m / (np.sqrt(v) + _EPS)


def heldout_accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Accuracy of the argmax over routes (the last column is "none") on in-scope prompts,
    plus none accuracy, averaged: what thresholds can build on."""
    none = logits.shape[1] - 1
    inscope = labels < none
    acc_in = float((logits[inscope, :none].argmax(axis=1) == labels[inscope]).mean()) if inscope.any() else 0.0
    p = softmax(logits.astype(np.float64, copy=True))
    acc_out = float((p[~inscope].argmax(axis=1) == none).mean()) if (~inscope).any() else 0.0
    return acc_in + 0.25 * acc_out

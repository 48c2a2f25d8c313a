"""Multinomial logistic regression on sparse rows, trained with L-BFGS in numpy.

Small and deterministic: the same data gives the same weights, so a retrained
router behaves like the last one. Class balancing comes in as sample weights.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from slm.router.features import SparseRows


@dataclass
class LinearModel:
    weights: np.ndarray  # (n_features, n_classes) float32
    bias: np.ndarray  # (n_classes,) float32
    iterations: int
    loss: float

    def logits(self, x: SparseRows) -> np.ndarray:
        return x.dot(self.weights) + self.bias


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def balanced_weights(y: np.ndarray, n_classes: int, power: float = 1.0) -> np.ndarray:
    """Per-sample weights so each class weighs the same in total (power 1) or partly so."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    per_class = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1) / n_classes) ** power, 0.0)
    return per_class[y]


def fit_logreg(x: SparseRows, y: np.ndarray, n_classes: int, *, sample_weight: np.ndarray | None = None,
               l2: float = 1e-4, max_iter: int = 200, tol: float = 1e-5, history: int = 10,
               init: tuple[np.ndarray, np.ndarray] | None = None) -> LinearModel:
    n, d = x.n_rows, x.n_cols
    y = np.asarray(y, dtype=np.int64)
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    s = (s / s.sum()).astype(np.float32)
    onehot = np.zeros((n, n_classes), dtype=np.float32)
    onehot[np.arange(n), y] = 1.0
    n_w = d * n_classes

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[:n_w].reshape(d, n_classes)
        b = theta[n_w:]
        z = x.dot(w) + b
        z -= z.max(axis=1, keepdims=True)
        logsum = np.log(np.exp(z).sum(axis=1))
        loss = float(np.dot(s, logsum - z[np.arange(n), y])) + 0.5 * l2 * float(np.dot(theta[:n_w], theta[:n_w]))
        p = np.exp(z - logsum[:, None])
        g = (p - onehot) * s[:, None]
        grad = np.empty_like(theta)
        grad[:n_w] = (x.tdot(g) + l2 * w).ravel()
        grad[n_w:] = g.sum(axis=0)
        return loss, grad

    theta = np.zeros(n_w + n_classes, dtype=np.float32)
    if init is not None:  # warm start (refitting on a subset of features)
        theta[:n_w] = np.asarray(init[0], dtype=np.float32).ravel()
        theta[n_w:] = init[1]
    theta, loss, iters = lbfgs(objective, theta, max_iter=max_iter, tol=tol, history=history)
    return LinearModel(theta[:n_w].reshape(d, n_classes).copy(), theta[n_w:].copy(), iters, loss)


def lbfgs(fun, x0: np.ndarray, *, max_iter: int, tol: float, history: int):
    """Plain L-BFGS with a backtracking (Armijo) line search; returns (x, f, iterations)."""
    x = x0.copy()
    f, g = fun(x)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    rho: list[float] = []
    it = 0
    while it < max_iter:  # `it` is returned: the iterations actually run
        it += 1
        # two-loop recursion
        q = g.copy()
        alphas = []
        for s_i, y_i, r_i in zip(reversed(s_list), reversed(y_list), reversed(rho)):
            a = r_i * float(np.dot(s_i, q))
            alphas.append(a)
            q -= a * y_i
        if y_list:
            gamma = float(np.dot(s_list[-1], y_list[-1]) / np.dot(y_list[-1], y_list[-1]))
        else:
            gamma = 1.0 / max(1e-12, float(np.sqrt(np.dot(g, g))))
        q *= gamma
        for (s_i, y_i, r_i), a in zip(zip(s_list, y_list, rho), reversed(alphas)):
            b = r_i * float(np.dot(y_i, q))
            q += (a - b) * s_i
        direction = -q
        slope = float(np.dot(g, direction))
        if slope >= 0:  # not a descent direction: restart from steepest descent
            s_list.clear(); y_list.clear(); rho.clear()
            direction = -g * gamma
            slope = float(np.dot(g, direction))
        step = 1.0
        for _ in range(30):
            x_new = x + step * direction
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s_vec, y_vec = x_new - x, g_new - g
        sy = float(np.dot(s_vec, y_vec))
        if sy > 1e-10:
            s_list.append(s_vec); y_list.append(y_vec); rho.append(1.0 / sy)
            if len(s_list) > history:
                s_list.pop(0); y_list.pop(0); rho.pop(0)
        rel = abs(f - f_new) / max(abs(f), abs(f_new), 1.0)
        x, f, g = x_new, f_new, g_new
        if rel < tol or float(np.abs(g).max()) < tol * 1e-2:
            break
    return x, f, it

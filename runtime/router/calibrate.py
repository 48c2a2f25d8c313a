"""Temperature scaling and per-route thresholds, both fitted on held-out predictions."""
from __future__ import annotations

import numpy as np
from slm.router.linear import softmax


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T minimising held-out negative log-likelihood of softmax(logits / T)."""
    if len(labels) == 0:
        return 1.0
    rows = np.arange(len(labels))

    def nll(t: float) -> float:
        p = softmax(logits / t)
        return float(-np.log(np.maximum(p[rows, labels], 1e-12)).mean())

    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 41))
    losses = [nll(t) for t in grid]
    best = int(np.argmin(losses))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    for _ in range(20):  # golden-section refinement around the best grid point
        m1, m2 = lo + 0.382 * (hi - lo), lo + 0.618 * (hi - lo)
        if nll(m1) < nll(m2):
            hi = m2
        else:
            lo = m1
    return float((lo + hi) / 2)


def route_thresholds(probs: np.ndarray, labels: np.ndarray, n_routes: int, *,
                     shrink: float = 20.0, none_weight: float = 1.0) -> tuple[np.ndarray, float]:
    """Per-route confidence thresholds that maximise balanced held-out accuracy.

    A prompt goes to its best route r when p[r] >= t[r] (the "none" column only
    lowers p[r]; it does not veto on its own).
    Objective: mean in-scope accuracy + none_weight x none recall. It splits by
    predicted route exactly, so each route's threshold is optimised on the
    held-out prompts predicted as that route, then shrunk towards the global
    threshold (``shrink`` pseudo-prompts) so a route with few held-out prompts
    does not get a noisy threshold. Returns (thresholds, global threshold).
    """
    none = n_routes
    route_p = probs[:, :none]
    pred = route_p.argmax(axis=1) if n_routes else np.zeros(len(labels), dtype=int)
    top = route_p[np.arange(len(labels)), pred] if n_routes else np.zeros(len(labels))
    is_none = labels == none
    n_in, n_out = max(1, int((~is_none).sum())), max(1, int(is_none.sum()))
    # what accepting each prompt is worth: +1/n_in if it is correct, -w/n_out if it should be none
    gain = np.where(is_none, -none_weight / n_out, np.where(pred == labels, 1.0 / n_in, 0.0))

    def best_threshold(mask: np.ndarray) -> tuple[float, int]:
        if not mask.any():
            return 0.0, 0
        p, g = top[mask], gain[mask]
        order = np.argsort(-p)
        p, g = p[order], g[order]
        cum = np.cumsum(g)  # accept the k most confident: value cum[k-1]
        k = int(np.argmax(np.concatenate([[0.0], cum])))
        if k == 0:
            return float(min(1.0, p[0] + 1e-4)), int(mask.sum())
        # halfway between the last accepted and the first rejected score
        t = p[k - 1] if k == len(p) else (p[k - 1] + p[k]) / 2
        return float(t), int(mask.sum())

    global_t, _ = best_threshold(np.ones(len(labels), dtype=bool)) if len(labels) else (0.5, 0)
    thresholds = np.full(n_routes, global_t)
    for r in range(n_routes):
        t_r, n_r = best_threshold(pred == r)
        if n_r:
            thresholds[r] = (n_r * t_r + shrink * global_t) / (n_r + shrink)
    return thresholds, global_t

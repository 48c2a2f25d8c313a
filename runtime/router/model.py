"""A trained router on disk (model.onnx + router.json) and running it.

The sidecar JSON holds route names, per-route thresholds, the temperature, the
featurizer (vocabulary, idf, settings) and the training fingerprint.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from slm.router.decision import RouteDecision
from slm.router.features import Featurizer

MODEL_FILE = "model.onnx"
SIDECAR_FILE = "router.json"
BATCH = 64  # prompts per onnxruntime call in route_many


class RouterModel:
    def __init__(self, onnx_bytes: bytes, sidecar: dict):
        from slm.router.onnx_model import open_session

        self.sidecar = sidecar
        self.routes: list[str] = list(sidecar["routes"])
        self.thresholds = np.array([sidecar["thresholds"][r] for r in self.routes], dtype=np.float64)
        self.featurizer = Featurizer.from_dict(sidecar["featurizer"])
        self.n_dense = self.featurizer.n_dense  # the static block: its own graph input
        self.padding_row = self.featurizer.n_features - self.n_dense  # the all-zero row after the n-grams
        self.onnx_bytes = onnx_bytes
        self.session = open_session(onnx_bytes)
        self._pad_rows = np.array([self.padding_row], dtype=np.int64)
        self._pad_coef = np.zeros((1, 1), dtype=np.float32)

    # --- persistence ------------------------------------------------------------------
    def save(self, folder: Path) -> int:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MODEL_FILE).write_bytes(self.onnx_bytes)
        text = json.dumps(self.sidecar, ensure_ascii=False, separators=(",", ":"))
        (folder / SIDECAR_FILE).write_text(text, encoding="utf-8")
        return artifact_bytes(folder)

    @classmethod
    def load(cls, folder: Path) -> RouterModel:
        sidecar = json.loads((folder / SIDECAR_FILE).read_text(encoding="utf-8"))
        return cls((folder / MODEL_FILE).read_bytes(), sidecar)

    # --- inference ----------------------------------------------------------------------
    def probs_one(self, prompt: str) -> np.ndarray:
        rows, vals, dense = self.featurizer.features_one(prompt)
        if len(rows) == 0:
            rows, coef = self._pad_rows, self._pad_coef
        else:
            coef = vals.reshape(1, -1)
        feeds = {"rows": rows, "coef": coef}
        if self.n_dense:
            feeds["dense"] = dense.reshape(1, -1)
        return self.session.run(["probs"], feeds)[0][0]

    def probs(self, prompts: Sequence[str]) -> np.ndarray:
        """(B, routes + 1) calibrated probabilities; the last column is "none"."""
        out = []
        for lo in range(0, len(prompts), BATCH):
            chunk = prompts[lo:lo + BATCH]
            feats = [self.featurizer.features_one(p) for p in chunk]
            all_rows = np.concatenate([r for r, _, _ in feats] + [self._pad_rows])
            rows, inverse = np.unique(all_rows, return_inverse=True)
            coef = np.zeros((len(chunk), len(rows)), dtype=np.float32)
            at = 0
            for i, (r, v, _) in enumerate(feats):
                coef[i, inverse[at:at + len(r)]] = v
                at += len(r)
            feeds = {"rows": rows, "coef": coef}
            if self.n_dense:
                feeds["dense"] = np.stack([d for _, _, d in feats]).astype(np.float32, copy=False)
            out.append(self.session.run(["probs"], feeds)[0])
        if not out:
            return np.zeros((0, len(self.routes) + 1), dtype=np.float32)
        return np.concatenate(out)

    def decide(self, probs: np.ndarray) -> RouteDecision:
        route_p = probs[:-1]
        scores = dict(zip(self.routes, route_p.tolist()))  # tolist: Python floats in one step
        if len(route_p) == 0:
            return RouteDecision(None, 1.0, scores, 0.0)
        best = int(route_p.argmax())
        top = float(route_p[best])
        runner_up = float(np.partition(route_p, -2)[-2]) if len(route_p) > 1 else float(probs[-1])
        margin = top - runner_up
        if top >= self.thresholds[best]:
            return RouteDecision(self.routes[best], top, scores, margin)
        # "none": the probability that the best route is not the right one
        return RouteDecision(None, 1.0 - top, scores, margin)


def artifact_bytes(folder: Path) -> int:
    return sum((folder / name).stat().st_size for name in (MODEL_FILE, SIDECAR_FILE)
               if (folder / name).exists())

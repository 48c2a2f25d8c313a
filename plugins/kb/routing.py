"""kb-aware routing: the router's second stage (slm.router.decision.SecondStage) for kb.

Two parts. Training: the router adds route examples made from the indexed documents
(``TermScorer.example_prompts``: section headings and each passage's most distinctive
words), so the model learns the vocabulary of the user's own documents as kb; the index
fingerprint is part of the router's cache key, so ``slm kb add`` retrains it on next use
(a few seconds). Routing: the stage below.

The router's model knows kb by its examples' words ("docs", "manual", "policy"). A
question about the user's own products ("how often do I change the AquaPure cartridge")
has none of them, so the model says none and the general model would answer it without
the documents. This stage asks the index itself: BM25 of the prompt's instruction over
the indexed passages, in memory. A prompt no plugin took goes to kb when its best
passage scores at least the index's threshold; a weaker match leaves it with the general
model and says so in the route info ("note"), so the user can ask kb explicitly.

The threshold belongs to the index: ``calibrate`` scores the router's bundled
out-of-scope prompts (questions no one's documents answer) against these documents and
takes a high quantile of their scores, so on any index only a small share of such prompts
would be taken for document questions. ``slm kb add``/``rm`` calibrate at once (the
result is kept in ``routing.json`` beside the index); an index changed some other way is
recalibrated on first use. An empty or absent index never sends a prompt to kb (the
model's own kb decisions stand: the plugin then says the knowledge base is empty).
"""
from __future__ import annotations

import json
import logging
import math
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .paths import INDEX_FILE, kb_dir
from .terms import query_terms

if TYPE_CHECKING:
    from .index import KbIndex

log = logging.getLogger("slm.plugins.kb")
ROUTING_FILE = "routing.json"
CALIBRATION_VERSION = 1
# share of out-of-scope prompts the threshold lets through on this index; with the weak-match
# note under it (chosen on the dev half of the CRM routing set, packaging/bench)
NEGATIVE_QUANTILE = 0.99
WEAK_QUANTILE = 0.90
OTHER_ROUTE_CAP = 0.5
# a match between the weak and the routing threshold goes to kb when the model agrees: kb is its
# likeliest route and has at least this probability (dev routing sets: of the prompts left to the
# stage, 6 more right in 409; below 0.2 it took more out-of-scope prompts than kb questions)
AGREE_P = 0.2
MIN_THRESHOLD = 4.0  # BM25 points: a tiny index must not route on one shared common word
RECHECK_S = 1.0  # how often the stage looks at the index file's modification time
EXAMPLES = 60  # kb route examples made from the documents (TermScorer.example_prompts)
_HEADING_NUMBER = re.compile(r"^\s*[\d.]+\s*|[()#*_`]")


class TermScorer:
    """BM25 over an index's passages in memory (the same formula as KbIndex.search)."""

    def __init__(self, fingerprint: str, passages: dict[int, tuple], rows: list[tuple[str, int, int]]):
        from .index import K1, B  # the same BM25 constants as KbIndex.search

        self.fingerprint = fingerprint
        ids = sorted(passages)
        self.citations = [passages[i][1] for i in ids]
        self.headings = [passages[i][2] if len(passages[i]) > 2 else "" for i in ids]
        at = {pid: j for j, pid in enumerate(ids)}
        lengths = np.array([passages[i][0] for i in ids], dtype=np.float64)
        self.n = len(ids)
        avg = max(float(lengths.mean()), 1.0) if self.n else 1.0
        by_term: dict[str, tuple[list[int], list[float]]] = {}
        for term, pid, tf in rows:
            j = at.get(pid)
            if j is None:
                continue
            cols, tfs = by_term.setdefault(term, ([], []))
            cols.append(j)
            tfs.append(tf)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (cols, tfs) in by_term.items():
            cols_a, tf_a = np.array(cols, dtype=np.int64), np.array(tfs, dtype=np.float64)
            idf = math.log(1 + (self.n - len(cols) + 0.5) / (len(cols) + 0.5))
            weight = idf * tf_a * (K1 + 1) / (tf_a + K1 * (1 - B + B * lengths[cols_a] / avg))
            self.postings[term] = (cols_a, weight.astype(np.float32))

    @classmethod
    def load(cls, index: KbIndex) -> TermScorer | None:
        stats = index.term_stats()
        if stats is None or not stats[1]:
            return None
        return cls(*stats)

    def example_prompts(self, limit: int = EXAMPLES) -> list[str]:
        """Route examples for kb made from these documents: each passage's section heading and
        its two most distinctive words ("mileage travel expense policy mileag commut"). The
        router trains on them, so questions in the documents' own vocabulary go to kb."""
        salient: dict[int, list[tuple[float, str]]] = {}
        for term, (cols, weight) in self.postings.items():
            if len(term) < 3 or not term.isalpha():
                continue
            for j, w in zip(cols.tolist(), weight.tolist()):
                salient.setdefault(j, []).append((w, term))
        out: list[str] = []
        for j in range(self.n):
            parts = [p.strip() for p in self.headings[j].split(">") if p.strip()]
            section = _HEADING_NUMBER.sub("", parts[-1]) if parts else ""
            title = " ".join(_HEADING_NUMBER.sub("", parts[0]).split()[:4]) if len(parts) > 1 else ""
            words = [t for _w, t in sorted(salient.get(j, []), reverse=True)[:2]]
            text = " ".join(x for x in (section, title, *words) if x).lower()
            if len(text.split()) >= 2:
                out.append(text)
        out = list(dict.fromkeys(out))
        if len(out) > limit:  # evenly over the documents
            out = [out[int(i * len(out) / limit)] for i in range(limit)]
        return out

    def best(self, text: str) -> tuple[float, str | None]:
        """(top BM25 score, citation of the best passage) for ``text``."""
        found = [self.postings[t] for t in query_terms(text) if t in self.postings] if text.strip() else []
        if not found:
            return 0.0, None
        if len(found) == 1:
            scores = found[0][1]
            j = int(scores.argmax())
            return float(scores[j]), self.citations[int(found[0][0][j])]
        # one scatter-add for all the terms (a term's passages are distinct: the same sums as
        # adding term by term, in far fewer numpy calls)
        scores = np.bincount(np.concatenate([c for c, _ in found]), np.concatenate([w for _, w in found]),
                             minlength=self.n)
        j = int(scores.argmax())
        return float(scores[j]), self.citations[j]


def calibration_prompts() -> list[str]:
    """Prompts no user's documents answer: the router's bundled out-of-scope corpus."""
    from slm.router import translations
    from slm.router.trainer import bundled_negatives

    return bundled_negatives() + translations.negatives()


def calibrate(index: KbIndex, scorer: TermScorer | None = None, prompts: list[str] | None = None) -> dict | None:
    """Fit this index's routing thresholds and keep them in routing.json; None when it is empty."""
    scorer = scorer if scorer is not None else TermScorer.load(index)
    path = index.root / ROUTING_FILE
    if scorer is None:
        try:
            path.unlink()
        except OSError:
            pass
        return None
    prompts = calibration_prompts() if prompts is None else prompts
    scores = np.array([scorer.best(_instruction(p))[0] for p in prompts], dtype=np.float64)
    threshold = max(MIN_THRESHOLD, float(np.quantile(scores, NEGATIVE_QUANTILE))) if len(scores) else MIN_THRESHOLD
    weak = min(threshold, max(MIN_THRESHOLD / 2, float(np.quantile(scores, WEAK_QUANTILE)))) if len(scores) else threshold
    record = {"version": CALIBRATION_VERSION, "fingerprint": scorer.fingerprint, "passages": scorer.n,
              "threshold": round(threshold, 4), "weak": round(weak, 4), "prompts": len(prompts),
              "quantile": NEGATIVE_QUANTILE, "calibrated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # a read-only data folder: route with it in memory
        log.warning("kb routing calibration not saved to %s: %s", path, exc.strerror)
    return record


class KbRouteStage:
    """SecondStage: sends prompts no plugin took to kb when the user's documents match them."""

    def __init__(self, root: Path, *, route: str = "kb"):
        self.root = Path(root)
        self._index: KbIndex | None = None
        self.route = route
        self._checked = float("-inf")
        self._stat: tuple[int, int] | None = None
        self._scorer: TermScorer | None = None
        self._calibration: dict | None = None

    @property
    def index(self) -> KbIndex:
        if self._index is None:  # sqlite3 only once there is an index to read
            from .index import KbIndex

            self._index = KbIndex(self.root)
        return self._index

    @classmethod
    def for_settings(cls, settings) -> KbRouteStage:
        return cls(kb_dir(settings.data_dir))

    # --- state -------------------------------------------------------------------------
    def _current(self) -> tuple[TermScorer | None, dict | None]:
        now = time.monotonic()
        if now - self._checked < RECHECK_S:
            return self._scorer, self._calibration
        self._checked = now
        try:
            st = os.stat(self.root / INDEX_FILE)
            stat = (st.st_mtime_ns, st.st_size)
        except OSError:
            stat = None
        if stat != self._stat:
            self._stat = stat
            self._scorer, self._calibration = self._load() if stat is not None else (None, None)
        return self._scorer, self._calibration

    def _load(self) -> tuple[TermScorer | None, dict | None]:
        try:
            scorer = TermScorer.load(self.index)
        except Exception as exc:  # noqa: BLE001 - a damaged index must not break routing
            log.warning("kb routing disabled: %s", getattr(exc, "message", exc))
            return None, None
        if scorer is None:
            return None, None
        try:
            saved = json.loads((self.index.root / ROUTING_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = None
        if not isinstance(saved, dict) or saved.get("fingerprint") != scorer.fingerprint \
                or saved.get("version") != CALIBRATION_VERSION:
            saved = calibrate(self.index, scorer)  # changed since `slm kb add` calibrated it
        return scorer, saved

    def route_examples(self) -> dict[str, list[str]]:
        """Extra route examples: kb's, made from the indexed documents (none when it is empty)."""
        scorer, _calibration = self._current()
        return {self.route: scorer.example_prompts()} if scorer is not None else {}

    def fingerprint(self) -> str:
        scorer, calibration = self._current()
        if scorer is None or calibration is None:
            return ""
        return f"kb:{scorer.fingerprint}:{calibration['threshold']}"

    def info(self) -> dict:
        scorer, calibration = self._current()
        if scorer is None or calibration is None:
            return {"passages": 0, "routes_to_kb": False}
        return {"passages": scorer.n, "threshold": calibration["threshold"], "weak": calibration["weak"],
                "calibrated_on": calibration["prompts"], "calibrated_at": calibration.get("calibrated_at"),
                "index_fingerprint": scorer.fingerprint}

    # --- SecondStage ---------------------------------------------------------------------
    def refine(self, prompt: str, first, routes: list[str]):
        if self.route not in routes or first.plugin is not None:
            return first  # a plugin took it (kb itself included): nothing to add
        scorer, calibration = self._current()
        if scorer is None or calibration is None:
            return first
        score, citation = scorer.best(_instruction(prompt))
        declined = first.info.get("declined", ())  # routes whose own check said no do not compete
        other = max((p for r, p in first.scores.items() if r != self.route and r not in declined), default=0.0)
        kb_p = first.scores.get(self.route, 0.0)
        match = {"score": round(score, 3), "threshold": calibration["threshold"], "best": citation}
        # a prompt the model leans to another plugin for (an e-mail about a policy) is an action,
        # not a question about the documents
        strong = score >= calibration["threshold"] and other < OTHER_ROUTE_CAP
        agreed = score >= calibration["weak"] and kb_p >= AGREE_P and kb_p >= other
        if strong or agreed:
            from slm.router.decision import RouteDecision

            # how far past the threshold, as a rough confidence: 0.5 at it, towards 1 above
            confidence = max(kb_p, 1.0 - 0.5 * calibration["threshold"] / score)
            return RouteDecision(self.route, confidence, first.scores, first.margin,
                                 info={**first.info, "kb": {**match, "routed": True}})
        if score >= calibration["weak"]:
            first.info.update(kb=match, note=(f"your documents match this prompt weakly (best: {citation}, "
                                              f"score {score:.1f} of the {calibration['threshold']:.1f} that routes "
                                              f"to kb); to answer from them: slm ask --plugin kb ..."))
        return first


def _instruction(prompt: str) -> str:
    from slm.router.shape import split_prompt

    return split_prompt(prompt[:2000])[0]

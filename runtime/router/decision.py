"""What the router answers (RouteDecision) and what training reports (TrainReport)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol


@dataclass
class RouteDecision:
    plugin: str | None  # None: no plugin fits this prompt
    confidence: float  # calibrated probability that the decision is right
    scores: dict[str, float]  # calibrated probability per route
    margin: float  # best route's score minus the runner-up's
    # why, when more than the scores decided: "language" (not English), "declined" (plugins
    # whose accepts check said no), "kb" (the knowledge-base match), "note" (for the user)
    info: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"plugin": self.plugin, "confidence": round(float(self.confidence), 4),
               "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
               "margin": round(float(self.margin), 4)}
        out.update(self.info)
        return out


@dataclass
class TrainReport:
    routes: list[str]
    examples: int  # declared examples across routes
    negatives: int  # out-of-scope prompts used for the "none" class
    seconds: float
    thresholds: dict[str, float]
    temperature: float
    fingerprint: str
    cached: bool = False  # loaded an existing model, nothing trained
    artifact_bytes: int = 0
    features: int = 0
    heldout: dict = field(default_factory=dict)  # accuracy / none_recall on held-out data
    path: str = ""

    def to_dict(self) -> dict:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        out["temperature"] = round(self.temperature, 4)
        out["thresholds"] = {k: round(v, 4) for k, v in self.thresholds.items()}
        return out


class ExamplesProvider(Protocol):
    """Where routes come from: the plugin host, or anything shaped like it."""

    def route_examples(self) -> dict[str, list[str]]: ...

    def examples_fingerprint(self) -> str: ...


class SecondStage(Protocol):
    """Optional refinement after the linear router (e.g. an ONNX sentence encoder).

    It sees the prompt and the first decision and returns a decision of the same
    shape, so ``Router.route`` keeps its interface whatever stage answers.
    """

    def refine(self, prompt: str, first: RouteDecision, routes: list[str]) -> RouteDecision: ...

    # optional: def fingerprint(self) -> str, what the stage decides from (e.g. the kb index);
    # it is part of the router's cache key

"""The typed result of one request, shared by the API, the CLI and the log."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class Timings:
    load_ms: float = 0.0
    ttft_ms: float | None = None
    total_ms: float = 0.0


@dataclass
class AskResult:
    text: str
    model: str | None
    where: str = "local"  # "local" | "cloud" | "queued"
    usage: Usage = field(default_factory=Usage)
    timings: Timings = field(default_factory=Timings)
    plugin: str | None = None
    data: Any = None  # a plugin's structured output
    route: dict[str, Any] | None = None  # router decision (plugin, confidence, scores, margin)
    energy: dict[str, Any] | None = None  # joules, co2_g, method, source
    offload_reason: str | None = None
    queue_id: str | None = None
    redaction: str | None = None  # for requests that left the device: "applied (N values)" or "raw"
    adapters: list[dict[str, Any]] | None = None  # LoRA adapters applied to the model: [{adapter, scale}]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

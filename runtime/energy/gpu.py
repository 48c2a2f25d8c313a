"""What every GPU energy source (NVML, amdsmi) provides to the meter."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceProbe:
    """Outcome of probing one power source: usable or not, and why."""

    name: str
    available: bool
    reason: str | None = None
    fix: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class GpuProbe(SourceProbe):
    """A GPU source's probe, with the devices it can measure."""

    gpus: list[GpuDevice] = field(default_factory=list)


@dataclass
class GpuDevice:
    index: int
    name: str
    memory_bytes: int | None = None
    mode: str = "energy"  # "energy": sample() is a cumulative counter in J; "power": watts now

    source = "gpu"

    def sample(self) -> float:  # pragma: no cover - implemented by each source
        raise NotImplementedError

    def users(self) -> set[int]:  # pragma: no cover
        raise NotImplementedError

    def joules(self, before: float, after: float, seconds: float) -> float | None:
        if self.mode == "energy":
            delta = after - before
            return delta if delta >= 0 else None  # counter reset (driver reload): unusable
        return max((before + after) / 2, 0.0) * seconds

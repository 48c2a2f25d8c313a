"""The energy of one request, and its one-line rendering for plain output."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EnergyReading:
    joules: float
    co2_g: float
    method: str   # "measured" (whole device) | "measured+attributed" (this process's share) | "estimated"
    source: str   # "rapl", "battery" or "cpu-time", then "+nvml"/"+amdsmi" when a GPU was counted
    duration_s: float = 0.0
    cpu_s: float = 0.0
    reasons: tuple[str, ...] = field(default=(), compare=False)  # fallbacks and exclusions, one line each

    def to_dict(self) -> dict[str, Any]:
        """The ``"energy"`` object of ``slm ask --json`` and the request log."""
        return {"joules": round(self.joules, 6), "co2_g": round(self.co2_g, 6),
                "method": self.method, "source": self.source}


def _si(value: float, unit: str) -> str:
    if value == 0:
        return f"0 {unit}"
    for scale, prefix in ((1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m"), (1e-6, "µ")):
        if abs(value) >= scale or scale == 1e-6:
            return f"{value / scale:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"  # pragma: no cover


def format_si(value: float, unit: str) -> str:
    """A figure with 3 significant digits and an SI prefix: ``format_si(1530, "g")`` -> ``1.53 kg``."""
    return _si(float(value), unit)


def format_joules(joules: float, *, estimated: bool = False) -> str:
    """A short energy figure with 3 significant digits (never "0.0 J" for a few mJ)."""
    return ("~" if estimated else "") + _si(float(joules), "J")


def cost_line(energy: EnergyReading | Mapping[str, Any] | None) -> str:
    """One short line for the plain output of ``slm ask``, e.g.
    ``energy: 12.4 J, 1.64 g CO2e (measured+attributed, rapl)``; estimates say so."""
    if energy is None:
        return "energy: not measured"
    data = energy.to_dict() if isinstance(energy, EnergyReading) else dict(energy)
    joules, co2 = float(data["joules"]), float(data["co2_g"])
    approx = "~" if data["method"] == "estimated" else ""
    return (f"energy: {approx}{_si(joules, 'J')}, {approx}{_si(co2, 'g')} CO2e "
            f"({data['method']}, {data['source']})")

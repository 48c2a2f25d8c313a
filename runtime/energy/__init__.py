"""slm.energy: per-request joules and CO2, labelled honestly.

Open ``meter.py`` first (EnergyMeter picks the sources: RAPL, NVML, battery, or the
CPU-time estimate); ``history.py`` keeps past requests, ``doctor.py`` explains the choice;
``report.py`` sums the history for ``slm energy`` (``references.py`` + ``data/`` hold the
large-model figures of its estimate, ``render.py`` its text and HTML).

    meter = EnergyMeter(settings)          # sources chosen once
    window = meter.begin()                 # or begin(per_thread=True)
    reading = window.end()                 # EnergyReading(joules, co2_g, method, source)
    power_status(settings)                 # PowerStatus(on_battery, percent)
    EnergyHistory(settings).record(...) / .joules_per_token(model)
    build_report(history, reference=load_reference()) / metrics_totals(history)
"""
from __future__ import annotations

import importlib
from typing import Any

# Names load on first use, so `slm energy` (history + report) does not pay for the meter's
# psutil and GPU probes.
_EXPORTS = {
    "EnergyHistory": "slm.energy.history",
    "EnergyMeter": "slm.energy.meter",
    "EnergyReading": "slm.energy.reading",
    "EnergyWindow": "slm.energy.meter",
    "PowerStatus": "slm.energy.battery",
    "cost_line": "slm.energy.reading",
    "format_joules": "slm.energy.reading",
    "power_status": "slm.energy.meter",
}
__all__ = [
    "EnergyHistory", "EnergyMeter", "EnergyReading", "EnergyWindow", "PowerStatus",
    "cost_line", "format_joules", "power_status",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'slm.energy' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)

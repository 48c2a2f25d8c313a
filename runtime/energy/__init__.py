"""slm.energy: per-request joules and CO2, labelled honestly.

Open ``meter.py`` first (EnergyMeter picks the sources: RAPL, NVML, battery, or the
CPU-time estimate); ``history.py`` keeps past requests, ``doctor.py`` explains the choice.

    meter = EnergyMeter(settings)          # sources chosen once
    window = meter.begin()                 # or begin(per_thread=True)
    reading = window.end()                 # EnergyReading(joules, co2_g, method, source)
    power_status(settings)                 # PowerStatus(on_battery, percent)
    EnergyHistory(settings).record(...) / .joules_per_token(model)
"""
from slm.energy.battery import PowerStatus
from slm.energy.history import EnergyHistory
from slm.energy.meter import EnergyMeter, EnergyWindow, power_status
from slm.energy.reading import EnergyReading, cost_line, format_joules

__all__ = [
           "EnergyHistory",
           "EnergyMeter",
           "EnergyReading",
           "EnergyWindow",
           "PowerStatus",
           "cost_line",
           "format_joules",
           "power_status",
]

"""slm.energy: per-request joules and CO2, labelled honestly.

    meter = EnergyMeter(settings)          # sources chosen once
    window = meter.begin()                 # or begin(per_thread=True)
    reading = window.end()                 # EnergyReading(joules, co2_g, method, source)
    power_status(settings)                 # PowerStatus(on_battery, percent)
    EnergyHistory(settings).record(...) / .joules_per_token(model)
"""
from slm.energy.battery import PowerStatus
from slm.energy.history import EnergyHistory
from slm.energy.meter import EnergyMeter, EnergyWindow, power_status
from slm.energy.reading import EnergyReading, cost_line

__all__ = ["EnergyMeter", "EnergyWindow", "EnergyReading", "EnergyHistory", "PowerStatus",
           "power_status", "cost_line"]

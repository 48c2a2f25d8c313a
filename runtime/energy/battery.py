"""Battery and mains state from the power_supply sysfs class (and psutil).

``/sys/class/power_supply/BAT0`` holds ``type`` (Battery), ``status``
(Discharging/Charging/Full/Not charging), ``capacity`` (%), and either
``energy_now`` (uWh) + ``power_now`` (uW) or ``charge_now`` (uAh) +
``voltage_now`` (uV) + ``current_now`` (uA). ``AC``/``ADP1`` (type Mains/USB)
has ``online``. Peripheral batteries (``scope`` = Device: mice, headsets) are
ignored. Where the directory does not exist (macOS, Windows) psutil's
``sensors_battery()`` gives percent and plugged state, but no energy.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slm.energy.sysfs import Reader, read_opt, read_opt_int, read_sysfs

_UWH_TO_J = 3.6e-3  # 1 uWh = 3.6 mJ


@dataclass(frozen=True)
class PowerStatus:
    on_battery: bool | None      # None: unknown (no battery information)
    percent: float | None        # battery charge, None if no battery


@dataclass(frozen=True)
class BatterySample:
    energy_j: float | None       # stored energy now (sum over batteries)
    power_w: float | None        # instantaneous discharge power
    discharging: bool


def _default_sensors_battery() -> Any:
    import psutil

    fn = getattr(psutil, "sensors_battery", None)
    return fn() if fn else None


class PowerSupplies:
    """The batteries and mains adapters under one power_supply root."""

    def __init__(self, root: Path, *, reader: Reader = read_sysfs,
                 sensors_battery: Callable[[], Any] | None = None):
        self.root = Path(root)
        self._reader = reader
        self._sensors_battery = sensors_battery or _default_sensors_battery  # psutil; tests pass a fake
        self.batteries: list[str] = []
        self.mains: list[str] = []
        self.exists = self.root.is_dir()
        if self.exists:
            for entry in sorted(self.root.iterdir()):
                kind = read_opt(reader, str(entry / "type"))
                if kind == "Battery":
                    if read_opt(reader, str(entry / "scope")) == "Device":
                        continue
                    if read_opt(reader, str(entry / "present")) == "0":
                        continue
                    self.batteries.append(str(entry))
                elif kind in ("Mains", "USB", "USB_C", "USB_PD"):
                    self.mains.append(str(entry))

    # --- status for the offload policy ------------------------------------
    def status(self) -> PowerStatus:
        if not self.exists:
            info = self._sensors_battery()
            if info is None:
                return PowerStatus(None, None)
            plugged = getattr(info, "power_plugged", None)
            return PowerStatus(None if plugged is None else not plugged, float(info.percent))
        reader = self._reader
        percents = [read_opt_int(reader, f"{b}/capacity") for b in self.batteries]
        percents = [p for p in percents if p is not None]
        percent = sum(percents) / len(percents) if percents else None
        online = [read_opt(reader, f"{m}/online") for m in self.mains]
        if any(o == "1" for o in online):
            return PowerStatus(False, percent)
        if not self.batteries:
            return PowerStatus(False if online else None, None)
        statuses = [read_opt(reader, f"{b}/status") for b in self.batteries]
        if any(s == "Discharging" for s in statuses):
            return PowerStatus(True, percent)
        if online or any(s in ("Charging", "Full", "Not charging") for s in statuses):
            return PowerStatus(False, percent)
        return PowerStatus(None, percent)

    # --- measurement -------------------------------------------------------
    def sample(self) -> BatterySample:
        """Stored energy and discharge power, summed over the system batteries."""
        reader = self._reader
        energy: float | None = 0.0
        power: float | None = 0.0
        discharging = False
        for b in self.batteries:
            if read_opt(reader, f"{b}/status") == "Discharging":
                discharging = True
            e_uwh = read_opt_int(reader, f"{b}/energy_now")
            volt = read_opt_int(reader, f"{b}/voltage_now")
            if e_uwh is None:
                charge = read_opt_int(reader, f"{b}/charge_now")
                e_uwh = charge * volt / 1e6 if charge is not None and volt else None
            p_uw = read_opt_int(reader, f"{b}/power_now")
            if p_uw is None:
                cur = read_opt_int(reader, f"{b}/current_now")
                p_uw = abs(cur) * volt / 1e6 if cur is not None and volt else None
            energy = None if energy is None or e_uwh is None else energy + e_uwh * _UWH_TO_J
            power = None if power is None or p_uw is None else power + abs(p_uw) / 1e6
        if not self.batteries:
            energy = power = None
        return BatterySample(energy, power, discharging)

    def can_measure(self) -> tuple[bool, str | None]:
        """Whether the battery can measure energy now, else why not."""
        if not self.exists:
            return False, f"no power_supply directory at {self.root}"
        if not self.batteries:
            return False, "no system battery (desktop, server or virtual machine)"
        s = self.sample()
        if s.energy_j is None and s.power_w is None:
            return False, "the battery reports neither energy_now/charge_now nor power_now"
        if not s.discharging:
            return False, "on mains power: the battery only measures the system while discharging"
        return True, None


def battery_joules(before: BatterySample, after: BatterySample, seconds: float) -> tuple[float | None, str | None]:
    """Energy drawn from the battery between two samples.

    The stored-energy counter updates every few seconds, so a short window often
    sees no change; then the average of the two power readings times the time is
    used. Never a silent zero: (None, reason) when neither works.
    """
    if not (before.discharging and after.discharging):
        return None, "mains power was connected during the request"
    if before.energy_j is not None and after.energy_j is not None:
        drop = before.energy_j - after.energy_j
        if drop > 0:
            return drop, None
    if before.power_w is not None and after.power_w is not None:
        return (before.power_w + after.power_w) / 2 * seconds, None
    return None, "the battery counter did not change during the request and no power reading exists"

"""EnergyMeter: choose the power sources once, then measure request windows.

A window reads counters at ``begin()`` and ``end()``. CPU energy comes from
RAPL (or, on battery without RAPL, from the battery), attributed to this
process (or to the calling thread with ``per_thread=True``, for requests that
share the process) by its share of the system's busy CPU time over the window.
Without a measured source it is CPU time x watts per busy thread, labelled
``estimated``. A GPU's whole-device delta is added only when this process is
its only user. Any failure falls back to the estimate with the reason kept in
``EnergyReading.reasons``; nothing here raises during a request.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from slm.energy import amdsmi as amd_source
from slm.energy import nvml as nvml_source
from slm.energy import rapl
from slm.energy.battery import BatterySample, PowerStatus, PowerSupplies, battery_joules
from slm.energy.carbon import co2_grams, grid_intensity
from slm.energy.estimate import (
    ThreadClock,
    estimate_joules,
    process_cpu_seconds,
    system_busy_seconds,
    watts_per_thread,
)
from slm.energy.gpu import GpuDevice, SourceProbe
from slm.energy.reading import EnergyReading
from slm.energy.sysfs import Reader, read_sysfs

_WHOLE = 0.999  # a share this close to 1 means the whole-device delta was reported as is


class EnergyMeter:
    """Pick sources once (a few ms; NVML init where an NVIDIA driver exists); begin/end are cheap."""

    def __init__(self, settings: Any, *, reader: Reader = read_sysfs, gpus: bool = True,
                 nvml: Any = None, amdsmi: Any = None,
                 sensors_battery: Callable[[], Any] | None = None):
        # Bad settings fail here, once, as a one-line ConfigError.
        self.g_per_kwh = grid_intensity(settings.grid_intensity)
        self.watts_per_thread = watts_per_thread(settings.cpu_watts_per_thread)
        self._pid = os.getpid()

        self.rapl_status = rapl.discover(settings.powercap_root, reader=reader)
        self._rapl = rapl.RaplCounter(self.rapl_status.domains, reader=reader) if self.rapl_status.available else None

        self.supplies = PowerSupplies(settings.power_supply_root, reader=reader, sensors_battery=sensors_battery)
        self._battery = self.supplies if self.supplies.batteries else None

        self.gpu_probes: list[SourceProbe] = []
        self._gpus: list[GpuDevice] = []
        if gpus:
            for probe in (nvml_source.probe(nvml), amd_source.probe(amdsmi)):
                self.gpu_probes.append(probe)
                self._gpus.extend(probe.gpus)

    # --- description, for doctor and logs ---------------------------------------
    @property
    def cpu_source(self) -> str:
        """The CPU source a window will use if nothing changes: rapl, battery or cpu-time."""
        if self._rapl is not None:
            return "rapl"
        if self._battery is not None and self.supplies.can_measure()[0]:
            return "battery"
        return "cpu-time"

    def sources(self) -> list[SourceProbe]:
        """Every power source with available/unavailable, the reason and the fix."""
        s = self.rapl_status
        out = [SourceProbe("rapl", s.available, s.reason, s.fix, list(s.notes))]
        ok, why = self.supplies.can_measure()
        out.append(SourceProbe("battery", ok, why,
                               None if ok or not self.supplies.batteries else "unplug to measure from the battery"))
        out.extend(self.gpu_probes)
        out.append(SourceProbe("cpu-time", True, None, None,
                               [(f"estimate: CPU time x {self.watts_per_thread:g} W per busy thread "
                                 "(set SLM_CPU_WATTS_PER_THREAD)")]))
        return out

    @property
    def gpus(self) -> list[GpuDevice]:
        return list(self._gpus)

    def power_status(self) -> PowerStatus:
        return self.supplies.status()

    def begin(self, *, per_thread: bool = False) -> EnergyWindow:
        """Open a measurement window (per_thread: count only the calling thread's CPU time)."""
        return EnergyWindow(self, per_thread)

    def reading(self, joules: float, method: str, source: str, *, duration_s: float = 0.0,
                cpu_s: float = 0.0, reasons: tuple[str, ...] = ()) -> EnergyReading:
        return EnergyReading(joules, co2_grams(joules, self.g_per_kwh), method, source,
                             duration_s, cpu_s, reasons)


class EnergyWindow:
    __slots__ = (
        "_bat0",
        "_gpu0",
        "_meter",
        "_notes",
        "_proc0",
        "_rapl0",
        "_result",
        "_sys0",
        "_t0",
        "_thr0",
        "_thread",
    )

    def __init__(self, meter: EnergyMeter, per_thread: bool):
        self._meter = meter
        self._notes: list[str] = []
        self._result: EnergyReading | None = None
        self._thread = ThreadClock() if per_thread else None
        self._rapl0 = self._bat0 = self._sys0 = None
        self._gpu0: list[tuple[GpuDevice, float, set[int]]] = []
        self._t0 = time.perf_counter()
        self._proc0 = process_cpu_seconds()
        self._thr0 = self._thread.seconds() if self._thread is not None else None
        if meter._rapl is not None:
            try:
                self._rapl0 = meter._rapl.snapshot()
            except (OSError, ValueError) as exc:
                self._notes.append(f"RAPL read failed at start: {exc}")
        elif meter._battery is not None:
            sample = meter._battery.sample()
            if sample.discharging:
                self._bat0 = sample
            else:
                self._notes.append("battery not discharging (on mains power): estimate used")
        if self._rapl0 is not None or self._bat0 is not None:
            self._sys0 = system_busy_seconds()
        for gpu in meter._gpus:
            try:
                self._gpu0.append((gpu, gpu.sample(), gpu.users()))
            except Exception as exc:  # noqa: BLE001 - a GPU error must not break the request
                self._notes.append(f"{gpu.source} {gpu.name}: read failed at start: {exc}")

    def end(self) -> EnergyReading:
        """Close the window; calling it again returns the same reading."""
        if self._result is not None:
            return self._result
        meter = self._meter
        rapl1 = bat1 = None
        if self._rapl0 is not None:
            try:
                rapl1 = meter._rapl.snapshot()
            except (OSError, ValueError) as exc:
                self._notes.append(f"RAPL read failed at end: {exc}")
        if self._bat0 is not None:
            bat1 = meter._battery.sample()
        sys1 = system_busy_seconds() if self._sys0 is not None else None
        gpu1 = []
        for gpu, before, users0 in self._gpu0:
            try:
                gpu1.append((gpu, before, gpu.sample(), users0 | gpu.users()))
            except Exception as exc:  # noqa: BLE001
                self._notes.append(f"{gpu.source} {gpu.name}: read failed at end: {exc}")
        proc1 = process_cpu_seconds()
        seconds = time.perf_counter() - self._t0

        cpu_s = proc1 - self._proc0
        if self._thread is not None:
            try:
                cpu_s = self._thread.seconds() - self._thr0
            except OSError as exc:
                self._notes.append(f"thread CPU time unavailable ({exc}): whole-process time used")
        cpu_s = max(cpu_s, 0.0)

        cpu_j, method, source = self._cpu_part(rapl1, bat1, sys1, cpu_s, seconds)
        methods = [method]
        sources = [source]
        total = cpu_j
        for gpu, before, after, users in gpu1:
            j = gpu.joules(before, after, seconds)
            label = f"{gpu.source} {gpu.name}"
            if j is None:
                self._notes.append(f"{label}: energy counter went backwards (driver reset), not counted")
            elif meter._pid not in users:
                if j > 0 and users:
                    self._notes.append(f"{label}: used by other processes only, not counted")
            elif users != {meter._pid}:
                others = ", ".join(str(p) for p in sorted(users - {meter._pid}))
                self._notes.append(f"{label}: shared with other processes ({others}); its energy "
                                   "cannot be attributed, not counted")
            else:
                total += j
                methods.append("measured")
                if gpu.source not in sources:
                    sources.append(gpu.source)
        final_method = ("estimated" if "estimated" in methods
                        else "measured+attributed" if "measured+attributed" in methods else "measured")
        self._result = meter.reading(total, final_method, "+".join(sources), duration_s=seconds,
                                     cpu_s=cpu_s, reasons=tuple(self._notes))
        return self._result

    def _cpu_part(self, rapl1: Any, bat1: BatterySample | None, sys1: float | None,
                  cpu_s: float, seconds: float) -> tuple[float, str, str]:
        meter = self._meter
        measured: float | None = None
        source = "cpu-time"
        if self._rapl0 is not None and rapl1 is not None:
            measured, why = meter._rapl.joules(self._rapl0, rapl1)
            source = "rapl"
            if why:
                self._notes.append(why + ": estimate used")
        elif self._bat0 is not None and bat1 is not None:
            measured, why = battery_joules(self._bat0, bat1, seconds)
            source = "battery"
            if why:
                self._notes.append(why + ": estimate used")
        if measured is not None:
            implausible = _implausible(source, measured, seconds, cpu_s)
            if implausible:
                self._notes.append(implausible + ": estimate used")
                measured = None
        if measured is not None and sys1 is not None:
            busy = max(sys1 - self._sys0, 0.0)
            share = cpu_s / max(busy, cpu_s) if cpu_s > 0 else 0.0
            method = "measured" if share >= _WHOLE else "measured+attributed"
            return measured * share, method, source
        if meter._rapl is None and meter.rapl_status.reason:
            self._notes.append(f"RAPL unavailable ({meter.rapl_status.reason}): estimate used")
        return estimate_joules(cpu_s, meter.watts_per_thread), "estimated", "cpu-time"


# No CPU package or laptop battery delivers this; a reading above it is a broken counter.
MAX_PLAUSIBLE_WATTS = 10_000.0
# CPU time this process must have used before a counter that did not move is called frozen.
FROZEN_AFTER_CPU_S = 0.05


def _implausible(source: str, joules: float, seconds: float, cpu_s: float) -> str | None:
    """Why a measured reading cannot be physical (then the estimate is used), or None."""
    if joules < 0:
        return f"{source} gave {joules:.3g} J, a negative energy"
    if seconds > 0 and joules / seconds > MAX_PLAUSIBLE_WATTS:
        return (f"{source} gave {joules / seconds:,.0f} W over {seconds:.3g} s, beyond any "
                f"{MAX_PLAUSIBLE_WATTS:,.0f} W a device draws")
    if joules == 0 and cpu_s >= FROZEN_AFTER_CPU_S:
        return f"{source} counter did not move while this request used {cpu_s * 1000:.0f} ms of CPU (frozen)"
    return None


def power_status(settings: Any, *, reader: Reader = read_sysfs,
                 sensors_battery: Callable[[], Any] | None = None) -> PowerStatus:
    """Battery state for the offload policy: on_battery (None if unknown) and percent."""
    return PowerSupplies(settings.power_supply_root, reader=reader, sensors_battery=sensors_battery).status()

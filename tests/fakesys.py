"""Fake sysfs trees (powercap, power_supply) and a fake pynvml module for energy tests.

The powercap tree mirrors the kernel's: zones live nested under
``devices/virtual/powercap/<control type>/`` and ``class/powercap`` holds a flat
list of symlinks to every zone, subzones included.

Unreadable counters: tests run as root here, and ``chmod 000`` does not stop
root, so a chmod-based test would pass for the wrong reason (or be skipped).
``denying_reader`` is the honest substitute: it raises exactly what
``open()`` raises for a root-only 0400 ``energy_uj`` as a normal user
(PermissionError, EACCES) at the one point where slm reads sysfs.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path
from types import SimpleNamespace

from slm.energy.sysfs import read_sysfs

MAX_RANGE = 262143328850  # a real max_energy_range_uj value (Intel client parts)


class FakePowercap:
    def __init__(self, base: Path):
        self.base = Path(base)
        self.root = self.base / "class" / "powercap"       # what SLM_POWERCAP_ROOT points at
        self.devices = self.base / "devices" / "virtual" / "powercap"
        self.root.mkdir(parents=True, exist_ok=True)
        self.zones: dict[str, Path] = {}

    def zone(self, zone: str, name: str, energy_uj: int = 1_000_000, max_range: int | None = MAX_RANGE) -> Path:
        ctype, _, index = zone.partition(":")
        parts = index.split(":")
        parent = self.devices / ctype
        parent.mkdir(parents=True, exist_ok=True)
        (self.root / ctype).exists() or (self.root / ctype).symlink_to(parent)
        for depth in range(1, len(parts)):  # nested zones live inside their parent's directory
            parent = parent / f"{ctype}:{':'.join(parts[:depth])}"
        path = parent / zone
        path.mkdir(parents=True, exist_ok=True)
        (path / "name").write_text(name + "\n")
        (path / "energy_uj").write_text(f"{energy_uj}\n")
        if max_range is not None:
            (path / "max_energy_range_uj").write_text(f"{max_range}\n")
        (path / "enabled").write_text("1\n")
        link = self.root / zone
        if not link.exists():
            link.symlink_to(path)
        self.zones[zone] = path
        return path

    def set(self, zone: str, energy_uj: int) -> None:
        (self.zones[zone] / "energy_uj").write_text(f"{energy_uj}\n")

    def add(self, zone: str, delta_uj: int) -> None:
        path = self.zones[zone] / "energy_uj"
        self.set(zone, int(path.read_text()) + delta_uj)

    def path(self, zone: str, attr: str = "energy_uj") -> str:
        return str(self.root / zone / attr)


def intel_single(base: Path) -> FakePowercap:
    pc = FakePowercap(base)
    pc.zone("intel-rapl:0", "package-0", 5_000_000)
    pc.zone("intel-rapl:0:0", "core", 3_000_000)
    pc.zone("intel-rapl:0:1", "uncore", 500_000)
    return pc


def intel_dual(base: Path) -> FakePowercap:
    pc = FakePowercap(base)
    for socket in (0, 1):
        pc.zone(f"intel-rapl:{socket}", f"package-{socket}", 10_000_000 * (socket + 1))
        pc.zone(f"intel-rapl:{socket}:0", "dram", 1_000_000)
    return pc


def amd(base: Path) -> FakePowercap:
    """AMD Zen through the same RAPL driver: package zone plus per-core subzones."""
    pc = FakePowercap(base)
    pc.zone("intel-rapl:0", "package-0", 7_000_000, max_range=65712999613)
    pc.zone("intel-rapl:0:0", "core", 2_000_000, max_range=65712999613)
    return pc


def laptop_nested(base: Path) -> FakePowercap:
    """psys contains package-0 which contains core/uncore; plus an MMIO mirror of package-0."""
    pc = intel_single(base)
    pc.zone("intel-rapl:0:2", "dram", 200_000)
    pc.zone("intel-rapl:1", "psys", 90_000_000)
    pc.zone("intel-rapl-mmio:0", "package-0", 5_000_000)
    return pc


class FakePowerSupply:
    def __init__(self, base: Path):
        self.root = Path(base) / "power_supply"
        self.root.mkdir(parents=True, exist_ok=True)

    def _write(self, name: str, **attrs) -> Path:
        d = self.root / name
        d.mkdir(exist_ok=True)
        for key, value in attrs.items():
            if value is not None:
                (d / key).write_text(f"{value}\n")
        return d

    def battery(self, name="BAT0", *, status="Discharging", capacity=80, energy_now=40_000_000,
                power_now=10_000_000, charge_now=None, voltage_now=None, current_now=None, scope=None):
        return self._write(name, type="Battery", present=1, status=status, capacity=capacity,
                           energy_now=energy_now, power_now=power_now, charge_now=charge_now,
                           voltage_now=voltage_now, current_now=current_now, scope=scope)

    def mains(self, name="AC", online=1):
        return self._write(name, type="Mains", online=online)

    def set(self, name: str, **attrs) -> None:
        self._write(name, **attrs)


def denying_reader(*denied: str, error: int = errno.EACCES):
    """A sysfs reader that fails like the kernel does for the given paths."""
    denied_set = {os.path.realpath(p) for p in denied} | set(denied)

    def reader(path: str) -> str:
        if path in denied_set or os.path.realpath(path) in denied_set:
            raise PermissionError(error, os.strerror(error), path) if error == errno.EACCES \
                else OSError(error, os.strerror(error), path)
        return read_sysfs(path)

    return reader


# --- a fake pynvml at the module boundary ------------------------------------------
class FakeNVMLError(Exception):
    def __init__(self, value: int):
        super().__init__({3: "Not Supported", 9: "Driver Not Loaded", 12: "NVML Shared Library Not Found"}
                         .get(value, f"NVML error {value}"))
        self.value = value


class FakeGpu:
    def __init__(self, name="NVIDIA H100", energy_mj: int | None = 1_000_000, power_mw: int | None = 300_000,
                 pids=(), total_memory=80 * 2**30):
        self.name, self.energy_mj, self.power_mw = name, energy_mj, power_mw
        self.pids = list(pids)
        self.total_memory = total_memory


class FakeNvml:
    """The subset of pynvml slm uses, with the same names and error shape."""

    NVMLError = FakeNVMLError

    def __init__(self, gpus=(), init_error: int | None = None):
        self.gpus = list(gpus)
        self.init_error = init_error
        self.calls: list[str] = []

    def nvmlInit(self):
        self.calls.append("init")
        if self.init_error is not None:
            raise FakeNVMLError(self.init_error)

    def nvmlDeviceGetCount(self):
        return len(self.gpus)

    def nvmlDeviceGetHandleByIndex(self, i):
        return self.gpus[i]

    def nvmlDeviceGetName(self, h):
        return h.name

    def nvmlDeviceGetMemoryInfo(self, h):
        return SimpleNamespace(total=h.total_memory, used=0, free=h.total_memory)

    def nvmlDeviceGetTotalEnergyConsumption(self, h):
        if h.energy_mj is None:
            raise FakeNVMLError(3)
        return h.energy_mj

    def nvmlDeviceGetPowerUsage(self, h):
        if h.power_mw is None:
            raise FakeNVMLError(3)
        return h.power_mw

    def nvmlDeviceGetComputeRunningProcesses(self, h):
        return [SimpleNamespace(pid=p, usedGpuMemory=0) for p in h.pids]

    def nvmlDeviceGetGraphicsRunningProcesses(self, h):
        return []

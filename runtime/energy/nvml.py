"""NVIDIA GPUs through NVML (nvidia-ml-py, the optional ``nvidia`` extra).

Volta and newer GPUs have a total energy counter (mJ since driver load,
``nvmlDeviceGetTotalEnergyConsumption``); older ones only report power (mW),
so their energy is the average of the power at the window's two ends times its
length. The GPU delta is whole-device: it is attributed to a request only when
this process is the GPU's only user (``nvmlDeviceGetComputeRunningProcesses``).

All access goes through a pynvml-like module object so tests can pass a fake
one at exactly that boundary.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from typing import Any

from slm.energy.gpu import GpuDevice, GpuProbe

# NVML return codes (nvml.h); compared by value so a fake module needs only NVMLError.value.
NOT_SUPPORTED = 3
NO_PERMISSION = 4
DRIVER_NOT_LOADED = 9
LIBRARY_NOT_FOUND = 12
FUNCTION_NOT_FOUND = 13


# The library pynvml's nvmlInit() dlopens on Linux (Windows and others: left to pynvml).
NVML_LIBRARY = "libnvidia-ml.so.1"


def _nvml_library_missing(name: str = NVML_LIBRARY) -> bool:
    """True when NVML's shared library surely cannot be loaded.

    Importing pynvml costs tens of ms on every EnergyMeter; on the common
    no-NVIDIA-driver machine the same dlopen nvmlInit() would do answers first.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        ctypes.CDLL(name)
    except OSError:
        return True
    return False


def _import_pynvml() -> Any:
    import pynvml

    return pynvml


def _code(exc: BaseException) -> int | None:
    return getattr(exc, "value", None)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass
class NvmlGpu(GpuDevice):
    handle: Any = None
    nvml: Any = None
    mode: str = "energy"  # "energy" (counter) | "power" (sampling)

    source = "nvml"

    def sample(self) -> float:
        if self.mode == "energy":
            return self.nvml.nvmlDeviceGetTotalEnergyConsumption(self.handle) / 1000.0  # mJ -> J
        return self.nvml.nvmlDeviceGetPowerUsage(self.handle) / 1000.0  # mW -> W

    def users(self) -> set[int]:
        pids: set[int] = set()
        for getter in ("nvmlDeviceGetComputeRunningProcesses", "nvmlDeviceGetGraphicsRunningProcesses"):
            fn = getattr(self.nvml, getter, None)
            if fn is None:
                continue
            try:
                pids.update(int(p.pid) for p in fn(self.handle))
            except Exception as exc:
                if _code(exc) == NOT_SUPPORTED and getter.endswith("GraphicsRunningProcesses"):
                    continue
                raise
        return pids


def _init_failure(code: int | None, exc: BaseException | None = None) -> GpuProbe:
    """Why nvmlInit() failed, in words, with the fix."""
    if code == LIBRARY_NOT_FOUND:
        return GpuProbe("nvml", False, f"no NVML library ({NVML_LIBRARY} not found): no NVIDIA driver installed",
                        "install the NVIDIA driver if this machine has an NVIDIA GPU; otherwise nothing to do")
    if code == DRIVER_NOT_LOADED:
        return GpuProbe("nvml", False, "the NVIDIA driver is not loaded",
                        "load it (sudo modprobe nvidia) and check that nvidia-smi works")
    if code == NO_PERMISSION:
        return GpuProbe("nvml", False, "NVML: permission denied opening the GPU devices",
                        "add your user to the group that owns /dev/nvidia* (often 'video')")
    return GpuProbe("nvml", False, f"NVML failed to initialise: {exc}", "check that nvidia-smi works")


def probe(nvml: Any = None) -> GpuProbe:
    """Initialise NVML and list the GPUs it can measure, with reasons for the rest."""
    if nvml is None:
        not_installed = GpuProbe("nvml", False, "nvidia-ml-py is not installed",
                                 "pip install 'slm-runtime[nvidia]' (only useful with an NVIDIA GPU)")
        if importlib.util.find_spec("pynvml") is None:
            return not_installed
        if _nvml_library_missing():  # what nvmlInit() would report, without importing pynvml
            return _init_failure(LIBRARY_NOT_FOUND)
        try:
            nvml = _import_pynvml()
        except ImportError:
            return not_installed
    try:
        nvml.nvmlInit()
    except Exception as exc:  # noqa: BLE001 - NVMLError subclasses
        return _init_failure(_code(exc), exc)
    try:
        count = nvml.nvmlDeviceGetCount()
    except Exception as exc:  # noqa: BLE001
        return GpuProbe("nvml", False, f"NVML cannot count GPUs: {exc}")
    if count == 0:
        return GpuProbe("nvml", False, "NVML works but reports no NVIDIA GPU")
    result = GpuProbe("nvml", True)
    unsupported: list[str] = []
    for index in range(count):
        handle = nvml.nvmlDeviceGetHandleByIndex(index)
        try:
            name = _text(nvml.nvmlDeviceGetName(handle))
        except Exception:  # noqa: BLE001
            name = f"GPU {index}"
        try:
            memory = int(nvml.nvmlDeviceGetMemoryInfo(handle).total)
        except Exception:  # noqa: BLE001
            memory = None
        mode = None
        for candidate, fn in (("energy", "nvmlDeviceGetTotalEnergyConsumption"), ("power", "nvmlDeviceGetPowerUsage")):
            try:
                getattr(nvml, fn)(handle)
                mode = candidate
                break
            except Exception as exc:  # noqa: BLE001
                if _code(exc) not in (NOT_SUPPORTED, FUNCTION_NOT_FOUND):
                    unsupported.append(f"{name}: {exc}")
                    break
        if mode is None:
            if not unsupported or not unsupported[-1].startswith(name):
                unsupported.append(f"{name}: reports neither an energy counter nor power (unsupported GPU)")
            continue
        result.gpus.append(NvmlGpu(index=index, name=name, memory_bytes=memory, handle=handle, nvml=nvml, mode=mode))
    if unsupported:
        result.notes.extend(unsupported)
    if not result.gpus:
        result.available = False
        result.reason = "; ".join(unsupported) or "no measurable NVIDIA GPU"
    return result

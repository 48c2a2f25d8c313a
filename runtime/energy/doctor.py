"""The device report behind ``slm doctor``: CPU, RAM, accelerators and the
backends they enable, and every power source with the reason it is or is not
usable and what to do about it. Heavy imports (llama_cpp, onnxruntime) happen
only inside the functions that need them.
"""
from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Any

import psutil
from slm.energy.carbon import WORLD_AVERAGE_G_PER_KWH
from slm.energy.meter import EnergyMeter


def _cpuinfo(path: Path = Path("/proc/cpuinfo")) -> tuple[str | None, bool]:
    """(model name, hypervisor flag) from /proc/cpuinfo."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return None, False
    model, vm = None, False
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key in ("model name", "Model", "Hardware") and model is None:
            model = value.strip() or None
        elif key in ("flags", "Features") and " hypervisor" in f" {value}":
            vm = True
    return model, vm


def cpu_report(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, Any]:
    model, vm = _cpuinfo(cpuinfo)
    if model is None:
        model = platform.processor() or platform.machine() or None
    return {"model": model, "arch": platform.machine(), "cores": psutil.cpu_count(logical=False),
            "threads": psutil.cpu_count(logical=True), "virtual_machine": vm}


def ram_report() -> dict[str, Any]:
    vm = psutil.virtual_memory()
    return {"total_bytes": int(vm.total), "available_bytes": int(vm.available)}


def _llama_offload() -> tuple[bool | None, str | None]:
    try:
        import llama_cpp
    except Exception as exc:  # noqa: BLE001 - a broken native build must still give a report
        return None, f"llama-cpp-python cannot be imported: {exc}"
    try:
        return bool(llama_cpp.llama_supports_gpu_offload()), None
    except Exception as exc:  # noqa: BLE001
        return None, f"llama.cpp did not answer supports_gpu_offload: {exc}"


def _onnx_providers() -> tuple[list[str], str | None]:
    try:
        import onnxruntime
    except Exception as exc:  # noqa: BLE001
        return [], f"onnxruntime cannot be imported: {exc}"
    return list(onnxruntime.get_available_providers()), None


def accelerator_report(meter: EnergyMeter) -> dict[str, Any]:
    gpus = [{"vendor": "nvidia" if g.source == "nvml" else "amd", "index": g.index, "name": g.name,
             "memory_bytes": g.memory_bytes, "energy": "counter" if g.mode == "energy" else "power sampling"}
            for g in meter.gpus]
    apple = sys.platform == "darwin" and platform.machine() == "arm64"
    offload, llama_error = _llama_offload()
    if offload is None:
        llama = {"backend": None, "note": llama_error}
    elif offload:
        backend = "Metal" if sys.platform == "darwin" else (
            "CUDA" if any(g["vendor"] == "nvidia" for g in gpus) else
            "ROCm/HIP" if any(g["vendor"] == "amd" for g in gpus) else "GPU (this build's backend)")
        llama = {"backend": backend, "gpu_offload": True, "note": None}
    else:
        note = None
        if gpus:
            kind = "-DGGML_CUDA=on" if any(g["vendor"] == "nvidia" for g in gpus) else "-DGGML_HIP=on"
            note = (f"a GPU is present but this llama-cpp-python build is CPU only: reinstall with "
                    f"CMAKE_ARGS=\"{kind}\" pip install --force-reinstall --no-cache-dir llama-cpp-python")
        elif apple:
            note = "reinstall llama-cpp-python with CMAKE_ARGS=\"-DGGML_METAL=on\""
        llama = {"backend": "CPU", "gpu_offload": False, "note": note}
    providers, onnx_error = _onnx_providers()
    return {"gpus": gpus, "apple_silicon": apple, "llama_cpp": llama,
            "onnxruntime": {"providers": providers, "note": onnx_error}}


def power_report(meter: EnergyMeter, *, virtual_machine: bool = False) -> list[dict[str, Any]]:
    out = []
    for probe in meter.sources():
        reason, fix = probe.reason, probe.fix
        if probe.name == "rapl" and not probe.available and virtual_machine and "Permission" not in (reason or ""):
            reason = f"{reason}; this is a virtual machine, and hypervisors do not expose RAPL"
            fix = "nothing to do inside the VM: slm uses the CPU-time estimate"
        out.append({"name": probe.name, "available": probe.available, "reason": reason, "fix": fix,
                    "notes": list(probe.notes)})
    return out


def device_report(settings: Any, *, meter: EnergyMeter | None = None,
                  cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, Any]:
    """Everything ``slm doctor`` shows, as plain data (the --json output)."""
    meter = meter or EnergyMeter(settings)
    cpu = cpu_report(cpuinfo)
    status = meter.power_status()
    return {
        "platform": {"system": platform.system(), "release": platform.release(), "python": platform.python_version(),
                     "pid": os.getpid()},
        "cpu": cpu,
        "ram": ram_report(),
        "accelerators": accelerator_report(meter),
        "power_sources": power_report(meter, virtual_machine=cpu["virtual_machine"]),
        "energy": {"cpu_source": meter.cpu_source,
                   "method": "estimated" if meter.cpu_source == "cpu-time" else "measured+attributed",
                   "cpu_watts_per_thread": meter.watts_per_thread,
                   "grid_intensity_g_per_kwh": meter.g_per_kwh,
                   "grid_intensity_setting": str(settings.grid_intensity),
                   "grid_intensity_is_default": meter.g_per_kwh == WORLD_AVERAGE_G_PER_KWH},
        "power": {"on_battery": status.on_battery, "battery_percent": status.percent},
    }

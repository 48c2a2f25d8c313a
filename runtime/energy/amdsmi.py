"""AMD GPUs through the amdsmi Python package (ROCm), when it is importable.

``amdsmi_get_energy_count`` returns an accumulated counter and its resolution
in microjoules (key ``energy_accumulator``, ``power`` in older releases);
process lists come from ``amdsmi_get_gpu_process_list``. Everything goes
through a module object so tests can pass a fake one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slm.energy.gpu import GpuDevice, GpuProbe


def _import_amdsmi() -> Any:
    import amdsmi

    return amdsmi


@dataclass
class AmdGpu(GpuDevice):
    handle: Any = None
    smi: Any = None

    source = "amdsmi"

    def sample(self) -> float:
        info = self.smi.amdsmi_get_energy_count(self.handle)
        counter = info.get("energy_accumulator", info.get("power"))
        return float(counter) * float(info.get("counter_resolution", 1.0)) / 1e6  # uJ -> J

    def users(self) -> set[int]:
        pids: set[int] = set()
        for proc in self.smi.amdsmi_get_gpu_process_list(self.handle) or []:
            if isinstance(proc, dict):
                info = proc
            else:  # older releases return handles to look up
                info = self.smi.amdsmi_get_gpu_process_info(self.handle, proc)
            pid = info.get("pid") if isinstance(info, dict) else None
            if pid is not None:
                pids.add(int(pid))
        return pids


def probe(smi: Any = None) -> GpuProbe:
    if smi is None:
        try:
            smi = _import_amdsmi()
        except ImportError:
            return GpuProbe("amdsmi", False, "amdsmi is not installed (it ships with ROCm)",
                            "only for AMD GPUs: install ROCm and its amdsmi Python package")
        except Exception as exc:  # noqa: BLE001 - amdsmi raises at import when librocm is missing
            return GpuProbe("amdsmi", False, f"amdsmi cannot load: {exc}", "check the ROCm installation")
    try:
        smi.amdsmi_init()
        handles = list(smi.amdsmi_get_processor_handles())
    except Exception as exc:  # noqa: BLE001 - AmdSmiException
        return GpuProbe("amdsmi", False, f"amdsmi failed to initialise: {exc}",
                        "check that the amdgpu driver is loaded and amd-smi works")
    if not handles:
        return GpuProbe("amdsmi", False, "amdsmi reports no AMD GPU")
    result = GpuProbe("amdsmi", True)
    for index, handle in enumerate(handles):
        try:
            name = str(smi.amdsmi_get_gpu_asic_info(handle).get("market_name") or f"AMD GPU {index}")
        except Exception:  # noqa: BLE001
            name = f"AMD GPU {index}"
        gpu = AmdGpu(index=index, name=name, handle=handle, smi=smi)
        try:
            gpu.sample()
        except Exception as exc:  # noqa: BLE001
            result.notes.append(f"{name}: no energy counter ({exc}), unsupported GPU")
            continue
        result.gpus.append(gpu)
    if not result.gpus:
        result.available = False
        result.reason = "; ".join(result.notes) or "no measurable AMD GPU"
    return result

"""Facts about this device that inference needs: CPU threads, memory, CPU features.

llama.cpp decodes fastest with one thread per *physical* core (hyper-threads
share the core's vector units and mostly add contention), limited to the cores
this process may run on (cgroups / taskset).
"""
from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def cpu_threads() -> int:
    """Threads to run inference with: physical cores this process may use, at least 1."""
    import psutil

    logical = os.cpu_count() or 1
    physical = psutil.cpu_count(logical=False) or logical
    try:
        allowed = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        allowed = logical
    # With an affinity mask smaller than the machine, assume the same share of
    # hyper-threads as the whole machine has.
    share = physical * allowed // logical if allowed < logical else physical
    return max(1, min(physical, allowed, share or 1))


def memory() -> tuple[int, int]:
    """(total_bytes, available_bytes) of RAM, as the OS reports them right now."""
    import psutil

    vm = psutil.virtual_memory()
    return int(vm.total), int(vm.available)


@lru_cache(maxsize=1)
def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU feature flags the kernel reports (empty where there is no /proc/cpuinfo)."""
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def llama_extra_buffers(setting: str, flags: frozenset[str] | None = None) -> bool:
    """Whether llama.cpp may put weights in its extra (repacked, AMX) buffer types.

    They speed up some quantized matmuls, but llama.cpp's AMX matmul crashes the
    process on AMX CPUs (Sapphire Rapids and later; llama.cpp issue #20824, seen
    here with SmolLM2 Q4_1), so "auto" turns them off where the CPU has AMX.
    """
    if setting in ("on", "off"):
        return setting == "on"
    flags = cpu_flags() if flags is None else flags
    return not flags & {"amx_int8", "amx_tile", "amx_bf16"}

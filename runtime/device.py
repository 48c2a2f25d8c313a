"""Facts about this device that inference needs: CPU threads and memory.

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

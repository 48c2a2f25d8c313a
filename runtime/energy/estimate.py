"""The fallback: CPU time x watts per busy thread, always labelled an estimate.

CPU time comes from the kernel's per-process / per-thread accounting (the same
counters psutil reports), read through ``time.process_time`` and per-thread CPU
clocks because they have nanosecond resolution; psutil's ``cpu_times`` values
tick at 10 ms, too coarse for a sub-second request. System-wide busy time (for
attribution of measured energy) comes from ``psutil.cpu_times()``.
"""
from __future__ import annotations

import math
import os
import threading
import time

from slm.errors import ConfigError

_SETTING = "SLM_CPU_WATTS_PER_THREAD / energy.cpu_watts_per_thread"
_MAX_WATTS_PER_THREAD = 500.0  # no CPU thread draws this: a typo


def watts_per_thread(value: float) -> float:
    """Validate the configured watts per busy thread; ConfigError (one line) if bad."""
    try:
        watts = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"bad value for {_SETTING}: {value!r} (expected watts, e.g. 7.5)") from None
    if not math.isfinite(watts) or watts <= 0 or watts > _MAX_WATTS_PER_THREAD:
        raise ConfigError(f"bad value for {_SETTING}: {value!r} (expected more than 0 and at most "
                          f"{_MAX_WATTS_PER_THREAD:g} watts per busy thread)")
    return watts


_worker_cpu = [0.0]  # CPU seconds of plugin worker processes (slm.host.worker), which live on unreaped
_worker_cpu_lock = threading.Lock()  # the server's request threads add to it at once


def add_worker_cpu(seconds: float) -> None:
    """Count CPU time a plugin worker spent on this process's requests."""
    if seconds > 0:
        with _worker_cpu_lock:
            _worker_cpu[0] += seconds


def process_cpu_seconds() -> float:
    """This process's CPU time plus that of its reaped children and of its plugin workers."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system + _worker_cpu[0]


def system_busy_seconds() -> float:
    """CPU time all CPUs spent busy (not idle, not waiting for I/O), system-wide."""
    import psutil  # here: a request measured by CPU time alone (no RAPL, no battery) never needs it (~15 ms)

    t = psutil.cpu_times()
    total = sum(t)
    # On Linux guest time is already included in user/nice time.
    total -= getattr(t, "guest", 0.0) + getattr(t, "guest_nice", 0.0)
    return total - t.idle - getattr(t, "iowait", 0.0)


class ThreadClock:
    """CPU time of one thread, readable from any thread while it lives."""

    __slots__ = ("_clock", "_ident")

    def __init__(self) -> None:
        self._ident = threading.get_ident()
        self._clock = None
        getter = getattr(time, "pthread_getcpuclockid", None)
        if getter is not None:
            try:
                self._clock = getter(self._ident)
            except OSError:
                self._clock = None

    def seconds(self) -> float:
        if self._clock is not None:
            return time.clock_gettime(self._clock)  # OSError once the thread has exited
        if threading.get_ident() != self._ident:
            raise OSError("per-thread CPU time can only be read from the thread that began the window")
        return time.thread_time()


def estimate_joules(cpu_seconds: float, watts: float) -> float:
    return max(cpu_seconds, 0.0) * watts

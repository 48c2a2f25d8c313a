"""Overhead of one tracked energy window (begin + end), in process CPU time.

Target: <= 0.2 ms CPU per window. Measured over many windows with
time.process_time around begin()/end(); prints median and p95 per path:
a fake RAPL tree (one and two packages, attributed: two psutil.cpu_times reads)
and the estimate-only path (no RAPL), plus per-thread windows.

    python packaging/bench/bench_energy.py [--windows 3000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))  # fakesys: the fake sysfs trees the tests use

import fakesys
from slm.config import load_settings
from slm.energy import EnergyMeter

TARGET_MS = 0.2


def settings(tmp: Path, powercap: Path):
    return load_settings(env={"SLM_HOME": str(tmp / "home"), "SLM_POWERCAP_ROOT": str(powercap),
                              "SLM_POWER_SUPPLY_ROOT": str(tmp / "no_power_supply")})


def measure(meter: EnergyMeter, windows: int, per_thread: bool = False) -> tuple[float, float, str]:
    for _ in range(50):  # warm up
        meter.begin(per_thread=per_thread).end()
    costs = []
    clock = time.process_time
    for _ in range(windows):
        c0 = clock()
        reading = meter.begin(per_thread=per_thread).end()
        costs.append(clock() - c0)
    costs.sort()
    return statistics.median(costs) * 1e3, costs[int(len(costs) * 0.95)] * 1e3, f"{reading.method}/{reading.source}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--windows", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        single = fakesys.intel_single(tmp / "single")
        dual = fakesys.intel_dual(tmp / "dual")
        paths = [
            ("fake RAPL, 1 package", EnergyMeter(settings(tmp, single.root), gpus=False), False),
            ("fake RAPL, 2 packages", EnergyMeter(settings(tmp, dual.root), gpus=False), False),
            ("fake RAPL, per-thread", EnergyMeter(settings(tmp, single.root), gpus=False), True),
            ("estimate only", EnergyMeter(settings(tmp, tmp / "absent"), gpus=False), False),
            ("estimate only, per-thread", EnergyMeter(settings(tmp, tmp / "absent"), gpus=False), True),
        ]
        print(f"energy window overhead, {args.windows} windows each, process CPU time per begin+end")
        print(f"{'path':28s} {'median ms':>10s} {'p95 ms':>8s} {'p95/target':>11s}  reading")
        for name, meter, per_thread in paths:
            med, p95, label = measure(meter, args.windows, per_thread)
            print(f"{name:28s} {med:10.4f} {p95:8.4f} {p95 / TARGET_MS:10.2f}x  {label}")
        print(f"target: <= {TARGET_MS} ms CPU per window")


if __name__ == "__main__":
    main()

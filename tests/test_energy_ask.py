"""`slm ask` carries the energy of the request (wired by the ask pipeline).

Runs the real CLI in a subprocess with SLM_POWERCAP_ROOT pointing at a fake
RAPL tree (measured) and at an empty one (estimated).
"""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys

import fakesys
import pytest
from conftest import subprocess_env



def ask(*args, **env):
    cmd = [sys.executable, "-m", "slm.cli.main", "ask", "--plugin", "calc", "15% of 200", *args]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120, env=subprocess_env(**env))


def check_energy(energy, methods, source):
    assert set(energy) == {"joules", "co2_g", "method", "source"}
    assert energy["method"] in methods
    assert energy["source"].split("+")[0] == source
    assert math.isfinite(energy["joules"]) and energy["joules"] >= 0
    assert energy["co2_g"] == pytest.approx(energy["joules"] / 3.6e6 * 475, abs=2e-6)  # default world average


def test_ask_json_energy_measured_with_rapl(tmp_path):
    import threading

    pc = fakesys.intel_single(tmp_path)
    stop = threading.Event()

    counter = pc.zones["intel-rapl:0"] / "energy_uj"
    staged = counter.with_name("energy_uj.tmp")

    def climb():  # the package draws ~50 W while the request runs, as a real counter would move
        value = 5_000_000
        while not stop.wait(0.001):
            value += 50_000
            staged.write_text(f"{value}\n")
            os.replace(staged, counter)  # whole values only: a reader never sees a half-written file

    mover = threading.Thread(target=climb, daemon=True)
    mover.start()
    try:
        proc = ask("--json", SLM_POWERCAP_ROOT=str(pc.root))
    finally:
        stop.set()
        mover.join()
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "30" in str(out.get("text", out))
    check_energy(out["energy"], ("measured", "measured+attributed"), "rapl")
    assert out["energy"]["joules"] > 0  # a counter that never moved would be "frozen", not measured 0 J


def test_a_frozen_rapl_counter_is_not_measured_zero(tmp_path):
    pc = fakesys.intel_single(tmp_path)  # nothing moves the counter
    proc = ask("--json", SLM_POWERCAP_ROOT=str(pc.root), SLM_LOG_LEVEL="info")
    assert proc.returncode == 0, proc.stderr
    energy = json.loads(proc.stdout)["energy"]
    assert energy["method"] == "estimated" and energy["joules"] > 0


def test_ask_json_energy_estimated_without_rapl():
    proc = ask("--json")  # conftest points SLM_POWERCAP_ROOT at an empty tree
    assert proc.returncode == 0, proc.stderr
    energy = json.loads(proc.stdout)["energy"]
    check_energy(energy, ("estimated",), "cpu-time")
    assert energy["joules"] > 0  # an estimate is never a silent zero


_JOULES = re.compile(r"(\d+(?:\.\d+)?) ?([kmµ]?)J\b")


def test_ask_plain_prints_one_cost_line():
    proc = ask()
    assert proc.returncode == 0, proc.stderr
    # The answer goes to stdout (pipe-friendly); the cost line follows it on stderr.
    assert not _JOULES.search(proc.stdout), proc.stdout
    lines = [line for line in proc.stderr.splitlines() if _JOULES.search(line)]
    assert len(lines) == 1, proc.stderr
    # the estimate is a few mJ: the line must show it (e.g. "~7.2 mJ"), not round it to "0.0 J"
    assert float(_JOULES.search(lines[0]).group(1)) > 0, lines[0]

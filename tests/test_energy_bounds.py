"""Energy counters that lie: negative, absurd, frozen, a FIFO, an empty root setting.

A reading outside physical bounds is never reported as measured: the request falls back to the
CPU-time estimate and the reading's reasons say why.
"""
from __future__ import annotations

import os
import time

import fakesys
import pytest

from slm.config import load_settings
from slm.energy import EnergyMeter
from slm.errors import ConfigError


def meter_for(tmp_path, pc) -> EnergyMeter:
    env = {"SLM_HOME": str(tmp_path / "home"), "SLM_POWERCAP_ROOT": str(pc.root),
           "SLM_POWER_SUPPLY_ROOT": str(tmp_path / "no-supplies")}
    return EnergyMeter(load_settings(env=env), gpus=False)


def burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def window(meter, pc, *, to: int | None, cpu_s: float = 0.1, wall_s: float = 0.0):
    w = meter.begin()
    burn(cpu_s)
    time.sleep(wall_s)
    if to is not None:
        pc.set("intel-rapl:0", to)
    return w.end()


def test_a_normal_counter_is_measured(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    reading = window(meter_for(tmp_path, pc), pc, to=5_000_000 + 2_000_000)  # 2 J in ~0.1 s: 20 W
    assert reading.method.startswith("measured") and reading.source == "rapl" and reading.joules > 0


@pytest.mark.parametrize("jump_j", [10_000, 10**9])
def test_an_absurd_jump_falls_back_to_the_estimate(tmp_path, jump_j):
    pc = fakesys.intel_single(tmp_path)
    reading = window(meter_for(tmp_path, pc), pc, to=5_000_000 + jump_j * 1_000_000)
    # past the counter's own range it is a failed read; within it, beyond any plausible power
    assert reading.method == "estimated" and any("beyond any" in r or "outside 0.." in r for r in reading.reasons)


def test_a_frozen_counter_while_the_cpu_works_falls_back(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    reading = window(meter_for(tmp_path, pc), pc, to=None, cpu_s=0.12)
    assert reading.method == "estimated" and any("frozen" in r for r in reading.reasons)
    assert reading.joules > 0


def test_an_idle_short_request_with_an_unmoved_counter_is_still_measured(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    reading = window(meter_for(tmp_path, pc), pc, to=None, cpu_s=0.0)
    assert reading.method.startswith("measured") and reading.joules == 0


@pytest.mark.parametrize("value", ["-5", "99999999999999999999999"])
def test_a_negative_or_out_of_range_counter_value_is_a_failed_read(tmp_path, value):
    pc = fakesys.intel_single(tmp_path)
    meter = meter_for(tmp_path, pc)
    w = meter.begin()
    (pc.zones["intel-rapl:0"] / "energy_uj").write_text(value + "\n")
    reading = w.end()
    assert reading.method == "estimated" and any("outside 0.." in r for r in reading.reasons)


def test_a_fifo_as_energy_uj_is_refused_without_blocking(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    counter = pc.zones["intel-rapl:0"] / "energy_uj"
    counter.unlink()
    os.mkfifo(counter)
    started = time.monotonic()
    meter = meter_for(tmp_path, pc)
    assert not meter.rapl_status.available and "not a file" in meter.rapl_status.reason
    assert meter.begin().end().method == "estimated" and time.monotonic() - started < 5


@pytest.mark.parametrize("var", ["SLM_POWERCAP_ROOT", "SLM_POWER_SUPPLY_ROOT"])
@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_root_setting_is_an_error_not_the_current_directory(tmp_path, var, value):
    with pytest.raises(ConfigError, match=var):
        load_settings(env={"SLM_HOME": str(tmp_path), var: value})

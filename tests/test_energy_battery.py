"""Battery / mains state and battery-based measurement against a fake power_supply tree."""
from __future__ import annotations

import time
from types import SimpleNamespace

import fakesys
import pytest
from slm.config import load_settings
from slm.energy import EnergyMeter, power_status


def settings_for(tmp_path, ps_root):
    return load_settings(env={"SLM_HOME": str(tmp_path / "home"), "SLM_POWERCAP_ROOT": str(tmp_path / "nopowercap"),
                              "SLM_POWER_SUPPLY_ROOT": str(ps_root)})


def burn(seconds=0.02):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@pytest.mark.parametrize("status,capacity,mains,expected", [
    ("Discharging", 37, 0, (True, 37.0)),  # unplugged laptop
    ("Charging", 55, 1, (False, 55.0)),  # plugged in
])
def test_battery_status_and_percent(tmp_path, status, capacity, mains, expected):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status=status, capacity=capacity)
    ps.mains(online=mains)
    got = power_status(settings_for(tmp_path, ps.root))
    assert (got.on_battery, got.percent) == expected


def test_desktop_without_battery(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.mains(online=1)
    status = power_status(settings_for(tmp_path, ps.root))
    assert (status.on_battery, status.percent) == (False, None)


def test_peripheral_battery_ignored(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery("hidpp_battery_0", status="Discharging", capacity=5, scope="Device")
    ps.mains(online=1)
    status = power_status(settings_for(tmp_path, ps.root))
    assert (status.on_battery, status.percent) == (False, None)


def test_psutil_used_where_no_sysfs(tmp_path):
    s = settings_for(tmp_path, tmp_path / "absent")
    status = power_status(s, sensors_battery=lambda: SimpleNamespace(percent=64, power_plugged=False, secsleft=100))
    assert (status.on_battery, status.percent) == (True, 64.0)
    assert power_status(s, sensors_battery=lambda: None).on_battery is None


def test_measures_from_energy_now_drop_while_discharging(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Discharging", energy_now=40_000_000, power_now=None)
    meter = EnergyMeter(settings_for(tmp_path, ps.root), gpus=False)
    assert meter.cpu_source == "battery"
    w = meter.begin()
    burn()
    ps.set("BAT0", energy_now=40_000_000 - 1000)  # 1000 uWh = 3.6 J drawn
    r = w.end()
    assert r.source == "battery" and r.method in ("measured", "measured+attributed")
    assert 0 < r.joules <= 3.6 + 1e-9


def test_power_now_used_when_counter_does_not_move(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Discharging", energy_now=40_000_000, power_now=12_000_000)  # 12 W
    meter = EnergyMeter(settings_for(tmp_path, ps.root), gpus=False)
    w = meter.begin()
    burn()
    r = w.end()
    assert r.source == "battery"
    assert 0 < r.joules <= 12.0 * r.duration_s + 1e-9


def test_charge_and_voltage_batteries(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Discharging", energy_now=None, power_now=None, charge_now=4_000_000,
               voltage_now=12_000_000, current_now=1_000_000)
    meter = EnergyMeter(settings_for(tmp_path, ps.root), gpus=False)
    w = meter.begin()
    burn()
    ps.set("BAT0", charge_now=4_000_000 - 100)  # 100 uAh x 12 V = 1200 uWh = 4.32 J
    r = w.end()
    assert r.source == "battery" and 0 < r.joules <= 4.32 + 1e-9


def test_on_mains_battery_cannot_measure_estimate_used(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Charging")
    ps.mains(online=1)
    meter = EnergyMeter(settings_for(tmp_path, ps.root), gpus=False)
    ok, why = meter.supplies.can_measure()
    assert not ok and "mains" in why
    w = meter.begin()
    burn()
    r = w.end()
    assert (r.method, r.source) == ("estimated", "cpu-time") and r.joules > 0
    assert any("mains" in why for why in r.reasons)


def test_plugged_in_during_request_falls_back(tmp_path):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Discharging")
    meter = EnergyMeter(settings_for(tmp_path, ps.root), gpus=False)
    w = meter.begin()
    burn()
    ps.set("BAT0", status="Charging")
    r = w.end()
    assert r.method == "estimated" and any("mains power was connected" in why for why in r.reasons)


@pytest.mark.parametrize("status,expected", [("Full", False), ("Not charging", False)])
def test_full_or_not_charging_is_not_on_battery(tmp_path, status, expected):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status=status, capacity=100)
    assert power_status(settings_for(tmp_path, ps.root)).on_battery is expected


def test_garbage_battery_attributes_fall_back_to_estimate(tmp_path):
    """Unparsable sysfs values (buggy firmware) never raise: unknown percent, estimate used."""
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Discharging", capacity="n/a", energy_now="garbage", power_now="-")
    status = power_status(settings_for(tmp_path, ps.root))
    assert (status.on_battery, status.percent) == (True, None)
    meter = EnergyMeter(settings_for(tmp_path, ps.root), gpus=False)
    ok, why = meter.supplies.can_measure()
    assert not ok and "neither" in why
    assert meter.cpu_source == "cpu-time"
    r = meter.begin().end()
    assert (r.method, r.source) == ("estimated", "cpu-time")

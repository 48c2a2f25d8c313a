"""RAPL powercap discovery and measurement against fake sysfs trees."""
from __future__ import annotations

import collections
import os

import fakesys
import psutil
import pytest
from slm.config import load_settings
from slm.energy import EnergyMeter
from slm.energy.rapl import discover


def settings_for(tmp_path, powercap_root, **env):
    base = {"SLM_HOME": str(tmp_path / "home"), "SLM_POWERCAP_ROOT": str(powercap_root),
            "SLM_POWER_SUPPLY_ROOT": str(tmp_path / "no_power_supply")}
    base.update(env)
    return load_settings(env=base)


def meter_for(tmp_path, pc, **kw):
    return EnergyMeter(settings_for(tmp_path, pc.root), gpus=False, **kw)


def burn(seconds=0.02):
    end = time_cpu() + seconds
    x = 0
    while time_cpu() < end:
        x += 1
    return x


def time_cpu():
    import time
    return time.process_time()


_CpuTimes = collections.namedtuple("scputimes", "user nice system idle iowait irq softirq steal guest guest_nice")


@pytest.fixture
def busy_system(monkeypatch):
    """The system-wide /proc/stat boundary (psutil.cpu_times) under the test's control:
    each call advances busy time by `step` seconds, so shares are exact."""
    state = {"busy": 1000.0, "step": 100.0}

    def cpu_times(percpu=False):
        state["busy"] += state["step"]
        return _CpuTimes(state["busy"], 0, 0, 5000.0, 0, 0, 0, 0, 0, 0)

    monkeypatch.setattr(psutil, "cpu_times", cpu_times)
    return state


# --- discovery -------------------------------------------------------------------------
def test_intel_single_socket_reads_package_only(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    status = discover(pc.root)
    assert status.available
    assert [(d.zone, d.name) for d in status.domains] == [("intel-rapl:0", "package-0")]
    assert status.domains[0].max_range_uj == fakesys.MAX_RANGE


def test_dual_socket_sums_both_packages(tmp_path, busy_system):
    pc = fakesys.intel_dual(tmp_path)
    meter = meter_for(tmp_path, pc)
    assert [d.name for d in meter.rapl_status.domains] == ["package-0", "package-1"]
    busy_system["step"] = 0.0  # nothing else busy: the whole delta is ours
    w = meter.begin()
    burn()
    pc.add("intel-rapl:0", 3_000_000)
    pc.add("intel-rapl:1", 4_000_000)
    pc.add("intel-rapl:0:0", 9_000_000)  # dram subzone: inside the package, must not be added
    r = w.end()
    assert r.joules == pytest.approx(7.0)
    assert (r.method, r.source) == ("measured", "rapl")


def test_amd_zen_layout(tmp_path, busy_system):
    pc = fakesys.amd(tmp_path)
    busy_system["step"] = 0.0
    meter = meter_for(tmp_path, pc)
    assert [d.name for d in meter.rapl_status.domains] == ["package-0"]
    w = meter.begin()
    burn()
    pc.add("intel-rapl:0", 1_500_000)
    assert w.end().joules == pytest.approx(1.5)


def test_amd_rapl_prefix_accepted(tmp_path):
    pc = fakesys.FakePowercap(tmp_path)
    pc.zone("amd-rapl:0", "package-0")
    assert [d.zone for d in discover(pc.root).domains] == ["amd-rapl:0"]


def test_nested_domains_and_mmio_mirror_not_double_counted(tmp_path, busy_system):
    pc = fakesys.laptop_nested(tmp_path)
    status = discover(pc.root)
    assert [d.zone for d in status.domains] == ["intel-rapl:0"]
    assert any("mirrors intel-rapl:0" in n for n in status.notes)
    assert any("psys zone ignored" in n for n in status.notes)
    busy_system["step"] = 0.0
    meter = meter_for(tmp_path, pc)
    w = meter.begin()
    burn()
    for zone, delta in [("intel-rapl:0", 2_000_000), ("intel-rapl:0:0", 1_500_000), ("intel-rapl:0:1", 300_000),
                        ("intel-rapl:1", 6_000_000), ("intel-rapl-mmio:0", 2_000_000)]:
        pc.add(zone, delta)
    assert w.end().joules == pytest.approx(2.0)


def test_psys_used_only_without_packages(tmp_path):
    pc = fakesys.FakePowercap(tmp_path)
    pc.zone("intel-rapl:0", "psys")
    pc.zone("intel-rapl:0:0", "core")
    assert [d.name for d in discover(pc.root).domains] == ["psys"]


def test_same_name_per_die_duplicates_counted_once(tmp_path):
    pc = fakesys.FakePowercap(tmp_path)
    pc.zone("intel-rapl:0", "package-0")
    pc.zone("intel-rapl:1", "package-0")  # duplicate entry for the same package
    pc.zone("intel-rapl:2", "package-1")
    status = discover(pc.root)
    assert [d.zone for d in status.domains] == ["intel-rapl:0", "intel-rapl:2"]


def test_no_powercap_root_and_empty_root(tmp_path):
    missing = discover(tmp_path / "absent")
    assert not missing.available and "no powercap directory" in missing.reason
    (tmp_path / "empty").mkdir()
    empty = discover(tmp_path / "empty")
    assert not empty.available and "no RAPL zones" in empty.reason


# --- wrap-around -------------------------------------------------------------------------
def test_wrap_in_window_corrected_with_max_range(tmp_path, busy_system):
    pc = fakesys.intel_single(tmp_path)
    pc.set("intel-rapl:0", fakesys.MAX_RANGE - 1_000_000)
    busy_system["step"] = 0.0
    meter = meter_for(tmp_path, pc)
    w = meter.begin()
    burn()
    pc.set("intel-rapl:0", 2_000_000)  # wrapped: 1 J before the top, 2 J after zero
    r = w.end()
    assert r.joules == pytest.approx(3.0)
    assert r.source == "rapl"


@pytest.mark.parametrize("how", ["missing", "denied"])
def test_unreadable_max_range(tmp_path, busy_system, how):
    pc = fakesys.intel_single(tmp_path)
    reader = None
    if how == "missing":
        os.remove(pc.path("intel-rapl:0", "max_energy_range_uj"))
    else:
        reader = fakesys.denying_reader(pc.path("intel-rapl:0", "max_energy_range_uj"))
    meter = meter_for(tmp_path, pc, **({"reader": reader} if reader else {}))
    assert meter.rapl_status.available
    assert meter.rapl_status.domains[0].max_range_uj is None
    assert any("max_energy_range_uj unreadable" in n for n in meter.rapl_status.notes)
    busy_system["step"] = 0.0
    # no wrap: still measured
    w = meter.begin()
    burn()
    pc.add("intel-rapl:0", 1_000_000)
    assert (w.end().joules, w.end().source) == (pytest.approx(1.0), "rapl")
    # a wrap cannot be corrected: falls back to the estimate, reason recorded, never negative
    w = meter.begin()
    burn()
    pc.set("intel-rapl:0", 10)
    r = w.end()
    assert (r.method, r.source) == ("estimated", "cpu-time")
    assert r.joules == pytest.approx(r.cpu_s * meter.watts_per_thread) and r.joules > 0
    assert any("wrapped" in why for why in r.reasons)


# --- unreadable energy_uj ---------------------------------------------------------------
def test_energy_uj_permission_denied_explained_and_falls_back(tmp_path):
    pc = fakesys.intel_dual(tmp_path)
    reader = fakesys.denying_reader(pc.path("intel-rapl:1"))  # one socket unreadable: no partial sums
    meter = meter_for(tmp_path, pc, reader=reader)
    status = meter.rapl_status
    assert not status.available and status.permission_denied
    assert "readable only by root" in status.reason
    assert "chmod a+r" in status.fix and "/etc/udev/rules.d/" in status.fix and "usermod -aG powercap" in status.fix
    w = meter.begin()
    burn()
    r = w.end()
    assert (r.method, r.source) == ("estimated", "cpu-time")
    assert r.joules > 0  # never a silent zero
    assert any("Permission denied" in why for why in r.reasons)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes; the injected reader covers this case")
def test_energy_uj_chmod_000_as_normal_user(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    os.chmod(pc.zones["intel-rapl:0"] / "energy_uj", 0)
    status = discover(pc.root)
    assert not status.available and status.permission_denied


def test_energy_uj_not_a_file(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    path = pc.zones["intel-rapl:0"] / "energy_uj"
    path.unlink()
    path.mkdir()
    status = discover(pc.root)
    assert not status.available and not status.permission_denied
    assert "not a file" in status.reason


def test_energy_uj_garbage(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    pc.zones["intel-rapl:0"].joinpath("energy_uj").write_text("n/a\n")
    status = discover(pc.root)
    assert not status.available and "integer" in status.reason


def test_counter_vanishing_mid_request_falls_back(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    meter = meter_for(tmp_path, pc)
    w = meter.begin()
    burn()
    os.remove(pc.zones["intel-rapl:0"] / "energy_uj")
    r = w.end()
    assert r.method == "estimated" and any("RAPL read failed at end" in why for why in r.reasons)


# --- attribution ------------------------------------------------------------------------
def test_attribution_by_process_share_of_busy_cpu(tmp_path, busy_system):
    pc = fakesys.intel_single(tmp_path)
    meter = meter_for(tmp_path, pc)
    busy_system["step"] = 1000.0  # the system was far busier than this process
    w = meter.begin()
    burn(0.03)
    pc.add("intel-rapl:0", 50_000_000)  # 50 J whole package
    r = w.end()
    assert r.method == "measured+attributed"
    assert r.cpu_s > 0.02
    assert r.joules == pytest.approx(50.0 * r.cpu_s / 1000.0)


def test_attribution_against_real_proc_stat_is_bounded(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    meter = meter_for(tmp_path, pc)
    w = meter.begin()
    burn(0.03)
    pc.add("intel-rapl:0", 10_000_000)
    r = w.end()
    assert r.method in ("measured", "measured+attributed") and r.source == "rapl"
    assert 0 < r.joules <= 10.0 + 1e-9

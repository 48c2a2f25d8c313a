"""Estimate path, per-thread windows, carbon, bad settings, history, cost line, doctor."""
from __future__ import annotations

import json
import sqlite3
import threading
import time

import fakesys
import pytest
from slm.cli.main import main
from slm.config import load_settings
from slm.energy import EnergyHistory, EnergyMeter, EnergyReading, cost_line
from slm.energy.carbon import COUNTRY_G_PER_KWH, grid_intensity
from slm.energy.doctor import device_report
from slm.errors import ConfigError, EnergyError


def settings_for(tmp_path, **env):
    base = {"SLM_HOME": str(tmp_path / "home"), "SLM_POWERCAP_ROOT": str(tmp_path / "nopowercap"),
            "SLM_POWER_SUPPLY_ROOT": str(tmp_path / "nops")}
    base.update(env)
    return load_settings(env=base)


def burn(seconds):
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


# --- estimate -------------------------------------------------------------------------------
def test_estimate_is_cpu_time_times_watts_and_labelled(tmp_path):
    meter = EnergyMeter(settings_for(tmp_path, SLM_CPU_WATTS_PER_THREAD="10"), gpus=False)
    w = meter.begin()
    burn(0.03)
    r = w.end()
    assert (r.method, r.source) == ("estimated", "cpu-time")
    assert r.cpu_s >= 0.03
    assert r.joules == pytest.approx(r.cpu_s * 10.0)
    assert r.co2_g == pytest.approx(r.joules / 3.6e6 * 475)
    assert any("RAPL unavailable" in why for why in r.reasons)
    assert r.to_dict().keys() == {"joules", "co2_g", "method", "source"}
    assert w.end() is r  # end is idempotent


def test_per_thread_window_excludes_other_threads(tmp_path):
    meter = EnergyMeter(settings_for(tmp_path), gpus=False)
    mine = meter.begin(per_thread=True)
    whole = meter.begin()
    worker = threading.Thread(target=burn, args=(0.06,))
    worker.start()
    worker.join()
    r_thread, r_process = mine.end(), whole.end()
    assert r_process.cpu_s >= 0.06
    assert r_thread.cpu_s < 0.03
    assert r_thread.joules < r_process.joules


def test_per_thread_window_can_end_on_another_thread(tmp_path):
    meter = EnergyMeter(settings_for(tmp_path), gpus=False)
    box, go, done = {}, threading.Event(), threading.Event()

    def request():
        box["w"] = meter.begin(per_thread=True)
        burn(0.04)
        go.set()
        done.wait(5)

    t = threading.Thread(target=request)
    t.start()
    go.wait(5)
    r = box["w"].end()  # the request thread is alive but its window is closed from here
    done.set()
    t.join()
    assert r.cpu_s >= 0.04 and r.method == "estimated"


# --- carbon --------------------------------------------------------------------------------
def test_grid_intensity_by_value_and_country(tmp_path):
    assert grid_intensity("475") == 475.0
    assert grid_intensity("fr") == COUNTRY_G_PER_KWH["FR"]
    assert grid_intensity(" 120.5 ") == 120.5
    assert grid_intensity(None) == 475.0
    meter = EnergyMeter(settings_for(tmp_path, SLM_GRID_INTENSITY="SE"), gpus=False)
    r = meter.reading(3.6e6, "estimated", "cpu-time")  # 1 kWh
    assert r.co2_g == pytest.approx(COUNTRY_G_PER_KWH["SE"])


@pytest.mark.parametrize("env,words", [
    ({"SLM_GRID_INTENSITY": "Atlantis"}, "neither a number"),
    ({"SLM_GRID_INTENSITY": "-5"}, "expected 0 to"),
    ({"SLM_GRID_INTENSITY": "nan"}, "expected 0 to"),
    ({"SLM_CPU_WATTS_PER_THREAD": "-3"}, "more than 0"),
    ({"SLM_CPU_WATTS_PER_THREAD": "0"}, "more than 0"),
])
def test_bad_settings_are_one_line_config_errors(tmp_path, env, words):
    with pytest.raises(ConfigError) as err:
        EnergyMeter(settings_for(tmp_path, **env), gpus=False)
    line = err.value.one_line()
    assert words in line and "\n" not in line
    assert next(iter(env)) in line


def test_bad_settings_from_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SLM_GRID_INTENSITY", "ZZ")
    assert main(["doctor"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: bad value for SLM_GRID_INTENSITY") and err.count("\n") == 1


# --- history --------------------------------------------------------------------------------
def test_history_joules_per_token(tmp_path):
    hist = EnergyHistory(settings_for(tmp_path))
    assert hist.joules_per_token("qwen") is None
    hist.record("qwen", 10.0, 100, "local", co2_g=0.001, method="measured+attributed", source="rapl")
    hist.record("qwen", 30.0, 100, "local")
    hist.record("qwen", 5.0, 0, "local")        # no tokens: kept, but not in the per-token figure
    hist.record("gpt-cloud", 1.0, 1000, "cloud")
    assert hist.joules_per_token("qwen") == pytest.approx(0.2)
    assert hist.joules_per_token("qwen", where="cloud") is None
    assert hist.joules_per_token("gpt-cloud") == pytest.approx(0.001)
    totals = hist.totals()
    assert totals["requests"] == 4 and totals["joules"] == pytest.approx(46.0) and totals["tokens"] == 1200
    # kept under SLM_HOME, in SQLite
    path = tmp_path / "home" / "data" / "energy.sqlite"
    assert path.is_file()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM energy").fetchone()[0] == 4


@pytest.mark.parametrize("args", [("", 1.0, 1, "local"), ("m", -1.0, 1, "local"), ("m", float("nan"), 1, "local"),
                                  ("m", 1.0, -2, "local"), ("m", 1.0, 1.5, "local")])
def test_history_rejects_bad_values(tmp_path, args):
    hist = EnergyHistory(settings_for(tmp_path))
    with pytest.raises(EnergyError):
        hist.record(*args)
    assert hist.totals()["requests"] == 0


def test_history_corrupt_database_is_one_line_error(tmp_path):
    s = settings_for(tmp_path)
    s.data_dir.mkdir(parents=True)
    (s.data_dir / "energy.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(EnergyError) as err:
        EnergyHistory(s).record("m", 1.0, 1, "local")
    assert "energy history" in err.value.one_line()


# --- cost line ------------------------------------------------------------------------------
def test_cost_line():
    measured = EnergyReading(12.4, 0.0016, "measured+attributed", "rapl")
    assert cost_line(measured) == "energy: 12.4 J, 1.6 mg CO2e (measured+attributed, rapl)"
    assert cost_line({"joules": 0.25, "co2_g": 3.3e-5, "method": "estimated", "source": "cpu-time"}) == \
        "energy: ~250 mJ, ~33 µg CO2e (estimated, cpu-time)"
    assert cost_line(None) == "energy: not measured"


# --- doctor ---------------------------------------------------------------------------------
def test_doctor_json_with_fake_rapl(tmp_path, monkeypatch, capsys):
    pc = fakesys.intel_dual(tmp_path)
    monkeypatch.setenv("SLM_POWERCAP_ROOT", str(pc.root))
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cpu"]["threads"] >= 1 and report["ram"]["total_bytes"] > 0
    sources = {s["name"]: s for s in report["power_sources"]}
    assert set(sources) == {"rapl", "battery", "nvml", "amdsmi", "cpu-time"}
    assert sources["rapl"]["available"] and sources["cpu-time"]["available"]
    assert report["energy"]["cpu_source"] == "rapl"
    assert report["accelerators"]["llama_cpp"]["backend"] in ("CPU", "CUDA", "Metal", "ROCm/HIP",
                                                                "GPU (this build's backend)")
    assert "CPUExecutionProvider" in report["accelerators"]["onnxruntime"]["providers"]


def test_doctor_explains_permission_and_vm(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    s = settings_for(tmp_path, SLM_POWERCAP_ROOT=str(pc.root))
    meter = EnergyMeter(s, reader=fakesys.denying_reader(pc.path("intel-rapl:0")), gpus=False)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: Test CPU\nflags\t\t: fpu hypervisor sse\n")
    report = device_report(s, meter=meter, cpuinfo=cpuinfo)
    rapl = next(p for p in report["power_sources"] if p["name"] == "rapl")
    assert not rapl["available"] and "Permission denied" in rapl["reason"] and "udev" in rapl["fix"]
    assert report["cpu"]["model"] == "Test CPU" and report["cpu"]["virtual_machine"] is True
    assert report["energy"]["method"] == "estimated"
    # without RAPL in a VM, doctor says why
    vm = device_report(s.with_(powercap_root=tmp_path / "none"), cpuinfo=cpuinfo)
    rapl = next(p for p in vm["power_sources"] if p["name"] == "rapl")
    assert "virtual machine" in rapl["reason"]


def test_doctor_plain_output(tmp_path, monkeypatch, capsys):
    ps = fakesys.FakePowerSupply(tmp_path)
    ps.battery(status="Discharging", capacity=42)
    monkeypatch.setenv("SLM_POWER_SUPPLY_ROOT", str(ps.root))
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "Power sources:" in out and "rapl: unavailable" in out and "cpu-time: available" in out
    assert "battery: available" in out and "Power: on battery, 42%" in out

"""GPU energy: NVML absent, NVML faked at the pynvml boundary, amdsmi faked.

No GPU is lent to this task, so the real-NVML comparison is not run here; the
fake implements the pynvml functions slm calls with the same names, units
(mJ, mW) and error shape (NVMLError with .value).
"""
from __future__ import annotations

import os
import sys
import time

import fakesys
import pytest
from slm.config import load_settings
from slm.energy import EnergyMeter
from slm.energy import amdsmi as amd_source
from slm.energy import nvml as nvml_source


def settings_for(tmp_path, powercap_root=None):
    return load_settings(env={"SLM_HOME": str(tmp_path / "home"),
                              "SLM_POWERCAP_ROOT": str(powercap_root or tmp_path / "nopowercap"),
                              "SLM_POWER_SUPPLY_ROOT": str(tmp_path / "nops")})


def burn(seconds=0.01):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_nvml_package_absent(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", None)  # `import pynvml` raises ImportError
    probe = nvml_source.probe()
    assert not probe.available and "nvidia-ml-py is not installed" in probe.reason
    assert "slm-runtime[nvidia]" in probe.fix
    meter = EnergyMeter(settings_for(tmp_path))
    assert meter.gpus == []
    r = meter.begin().end()
    assert r.source == "cpu-time"


def test_nvml_library_absent_with_real_pynvml():
    import pynvml  # nvidia-ml-py is a test extra: its absence is a failure, not a skip
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError_LibraryNotFound:
        pass
    else:  # pragma: no cover - only on a machine with an NVIDIA driver
        pynvml.nvmlShutdown()
        pytest.skip("NVML library present on this machine")
    probe = nvml_source.probe()
    assert not probe.available and "libnvidia-ml.so.1" in probe.reason


def test_no_nvml_library_answers_without_importing_pynvml(monkeypatch):
    import pynvml  # noqa: F401 - a test extra; the test removes it from sys.modules below
    if not nvml_source._nvml_library_missing():  # pragma: no cover - machine with an NVIDIA driver
        pytest.skip("NVML library present on this machine")
    monkeypatch.delitem(sys.modules, "pynvml")  # restored afterwards
    probe = nvml_source.probe()
    assert not probe.available and "libnvidia-ml.so.1" in probe.reason and probe.fix
    assert "pynvml" not in sys.modules  # the cheap check answered; no import on the no-GPU path


def test_nvml_library_check_finds_a_loadable_library():
    if not sys.platform.startswith("linux"):  # pragma: no cover
        pytest.skip("the library check is Linux-only")
    assert nvml_source._nvml_library_missing("libnvidia-ml-absent.so.1")
    assert not nvml_source._nvml_library_missing("libc.so.6")  # a library every Linux has


@pytest.mark.parametrize("code,words", [(9, "not loaded"), (12, "no NVIDIA driver")])
def test_nvml_init_errors_explained(code, words):
    probe = nvml_source.probe(fakesys.FakeNvml(init_error=code))
    assert not probe.available and words in probe.reason and probe.fix


def test_volta_energy_counter_counted_when_sole_user(tmp_path):
    gpu = fakesys.FakeGpu(energy_mj=5_000_000, pids=[os.getpid()])
    fake = fakesys.FakeNvml([gpu])
    meter = EnergyMeter(settings_for(tmp_path), nvml=fake, amdsmi=_NoAmd())
    assert [(g.name, g.mode) for g in meter.gpus] == [("NVIDIA H100", "energy")]
    w = meter.begin()
    burn()
    gpu.energy_mj += 7_500  # 7.5 J
    r = w.end()
    cpu_j = r.cpu_s * meter.watts_per_thread
    assert r.joules == pytest.approx(cpu_j + 7.5)
    assert (r.method, r.source) == ("estimated", "cpu-time+nvml")  # labelled at its weakest part


def test_gpu_with_rapl_is_measured(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    gpu = fakesys.FakeGpu(energy_mj=1_000, pids=[os.getpid()])
    meter = EnergyMeter(settings_for(tmp_path, pc.root), nvml=fakesys.FakeNvml([gpu]), amdsmi=_NoAmd())
    w = meter.begin()
    gpu.energy_mj += 2_000
    r = w.end()
    assert r.source == "rapl+nvml" and r.method in ("measured", "measured+attributed")
    assert r.joules == pytest.approx(2.0)  # package counter did not move


def test_pre_volta_power_sampling(tmp_path):
    pc = fakesys.intel_single(tmp_path)
    gpu = fakesys.FakeGpu(name="Tesla P100", energy_mj=None, power_mw=150_000, pids=[os.getpid()])
    meter = EnergyMeter(settings_for(tmp_path, pc.root), nvml=fakesys.FakeNvml([gpu]), amdsmi=_NoAmd())
    assert meter.gpus[0].mode == "power"
    w = meter.begin()
    time.sleep(0.05)
    gpu.power_mw = 250_000
    r = w.end()
    assert r.joules == pytest.approx(200.0 * r.duration_s)  # mean of 150 W and 250 W
    assert r.source == "rapl+nvml"


def test_gpu_without_energy_or_power_is_unsupported():
    gpu = fakesys.FakeGpu(name="GeForce 8800", energy_mj=None, power_mw=None)
    probe = nvml_source.probe(fakesys.FakeNvml([gpu]))
    assert not probe.available and "unsupported GPU" in probe.reason


def test_shared_gpu_not_attributed(tmp_path):
    gpu = fakesys.FakeGpu(pids=[os.getpid(), 424242])
    meter = EnergyMeter(settings_for(tmp_path), nvml=fakesys.FakeNvml([gpu]), amdsmi=_NoAmd())
    w = meter.begin()
    gpu.energy_mj += 100_000
    r = w.end()
    assert r.source == "cpu-time"
    assert r.joules < 100.0
    assert any("shared with other processes (424242)" in why for why in r.reasons)


def test_gpu_used_only_by_others_not_counted(tmp_path):
    gpu = fakesys.FakeGpu(pids=[424242])
    meter = EnergyMeter(settings_for(tmp_path), nvml=fakesys.FakeNvml([gpu]), amdsmi=_NoAmd())
    w = meter.begin()
    gpu.energy_mj += 100_000
    r = w.end()
    assert r.source == "cpu-time" and any("other processes only" in why for why in r.reasons)


def test_gpu_error_mid_request_does_not_break_it(tmp_path):
    gpu = fakesys.FakeGpu(pids=[os.getpid()])
    meter = EnergyMeter(settings_for(tmp_path), nvml=fakesys.FakeNvml([gpu]), amdsmi=_NoAmd())
    w = meter.begin()
    gpu.energy_mj = None  # the driver starts failing
    r = w.end()
    assert r.source == "cpu-time" and any("read failed at end" in why for why in r.reasons)


# --- amdsmi ----------------------------------------------------------------------------------
class _NoAmd:
    def amdsmi_init(self):
        raise RuntimeError("no amdgpu")


class FakeAmdSmi:
    def __init__(self, counter=1000, pids=()):
        self.counter, self.pids = counter, list(pids)

    def amdsmi_init(self):
        pass

    def amdsmi_get_processor_handles(self):
        return ["gpu0"]

    def amdsmi_get_gpu_asic_info(self, h):
        return {"market_name": "AMD Instinct MI300X"}

    def amdsmi_get_energy_count(self, h):
        return {"energy_accumulator": self.counter, "counter_resolution": 15.3, "timestamp": 0}

    def amdsmi_get_gpu_process_list(self, h):
        return [{"pid": p, "name": "x"} for p in self.pids]


def test_amdsmi_absent(monkeypatch):
    monkeypatch.setitem(sys.modules, "amdsmi", None)
    probe = amd_source.probe()
    assert not probe.available and "amdsmi is not installed" in probe.reason


def test_amdsmi_counter_counted_when_sole_user(tmp_path):
    smi = FakeAmdSmi(counter=10_000, pids=[os.getpid()])
    pc = fakesys.intel_single(tmp_path)
    meter = EnergyMeter(settings_for(tmp_path, pc.root), nvml=fakesys.FakeNvml([]), amdsmi=smi)
    assert [g.name for g in meter.gpus] == ["AMD Instinct MI300X"]
    w = meter.begin()
    smi.counter += 100_000  # x 15.3 uJ = 1.53 J
    r = w.end()
    assert r.source == "rapl+amdsmi" and r.joules == pytest.approx(1.53)

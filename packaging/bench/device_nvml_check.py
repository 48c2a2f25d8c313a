"""Check slm's NVML energy reading against NVML itself on a real NVIDIA GPU (run via device_nvml_check.sh).

Windows idle, then under a CUDA load (hand-written PTX spin kernel through libcuda/ctypes, no torch).
Per window: slm's joules (the NvmlGpu the EnergyMeter probed: sample()/joules()), the meter's own
reading (GPU attributed to this process?), NVML's energy counter read directly, and NVML power sampled
every 50 ms and integrated. One line per failure, JSON at the end (also $OUT/nvml_check.json), cap ~60 s.
"""
import ctypes
import itertools
import json
import os
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

T_START = time.monotonic()
HARD_CAP_S = 60.0
WINDOW_S = 8.0
RESULT = {"pid": os.getpid(), "python": sys.version.split()[0], "windows": {}, "errors": []}


def fail(what, exc):
    RESULT["errors"].append(f"{what}: {type(exc).__name__}: {exc}".replace("\n", " ")[:400])
    print(RESULT["errors"][-1], flush=True)


def dump():
    text = json.dumps(RESULT, indent=1, sort_keys=True, default=str)
    print("=== JSON ===\n" + text, flush=True)
    if os.environ.get("OUT"):
        try:
            Path(os.environ["OUT"], "nvml_check.json").write_text(text + "\n")
        except OSError as exc:
            print(f"cannot write $OUT/nvml_check.json: {exc}")


def watchdog():  # a thread, so it fires even while the main thread is stuck in a C call
    time.sleep(max(HARD_CAP_S - (time.monotonic() - T_START), 1))
    fail("watchdog", TimeoutError(f"hard cap {HARD_CAP_S:g}s reached: aborted"))
    dump()
    os._exit(3)


# --- GPU load: PTX spin kernel, JIT-compiled by the driver --------------------------------
# Four independent FMA chains per thread (x = x*0.999999 + 0.001, bounded), iteration count
# from a parameter, result stored so the loop cannot be optimised away.
PTX = r"""
.version 7.0
.target sm_75
.address_size 64
.visible .entry spin(.param .u64 spin_out, .param .u32 spin_iters)
{
	.reg .pred %p<2>; .reg .b32 %r<8>; .reg .f32 %f<10>; .reg .b64 %rd<5>;
	ld.param.u64 %rd1, [spin_out]; ld.param.u32 %r1, [spin_iters];
	mov.u32 %r2, %ctaid.x; mov.u32 %r3, %ntid.x; mov.u32 %r4, %tid.x; mad.lo.s32 %r5, %r2, %r3, %r4;
	cvt.rn.f32.u32 %f1, %r5; mov.f32 %f2, 0f3F800000; mov.f32 %f3, 0f40000000; mov.f32 %f4, 0f40400000;
	mov.f32 %f8, 0f3F7FFFEF; mov.f32 %f9, 0f3A83126F; mov.u32 %r6, 0;
$L_loop:
	fma.rn.f32 %f1, %f1, %f8, %f9; fma.rn.f32 %f2, %f2, %f8, %f9;
	fma.rn.f32 %f3, %f3, %f8, %f9; fma.rn.f32 %f4, %f4, %f8, %f9;
	add.s32 %r6, %r6, 1; setp.lt.u32 %p1, %r6, %r1; @%p1 bra $L_loop;
	add.f32 %f5, %f1, %f2; add.f32 %f6, %f3, %f4; add.f32 %f7, %f5, %f6;
	cvta.to.global.u64 %rd2, %rd1; mul.wide.u32 %rd3, %r5, 4; add.s64 %rd4, %rd2, %rd3;
	st.global.f32 [%rd4], %f7;
	ret;
}
"""
GRID, BLOCK = 4096, 256


class CudaLoad:
    """Primary context on device 0, the spin kernel, and a thread that keeps launching it."""

    def __init__(self):
        self.cu = ctypes.CDLL("libcuda.so.1")
        self.cu.cuLaunchKernel.argtypes = [ctypes.c_void_p] + [ctypes.c_uint] * 7 + [ctypes.c_void_p] * 3
        self.call("cuInit", 0)
        dev, self.ctx = ctypes.c_int(), ctypes.c_void_p()
        self.call("cuDeviceGet", ctypes.byref(dev), 0)
        self.call("cuDevicePrimaryCtxRetain", ctypes.byref(self.ctx), dev)
        self.call("cuCtxSetCurrent", self.ctx)
        log = ctypes.create_string_buffer(4096)
        opts = (ctypes.c_int * 2)(5, 6)  # CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES
        vals = (ctypes.c_void_p * 2)(ctypes.cast(log, ctypes.c_void_p).value, len(log))
        mod, self.fn, self.buf = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_uint64()
        try:
            self.call("cuModuleLoadDataEx", ctypes.byref(mod), ctypes.c_char_p(PTX.encode()), 2, opts, vals)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; JIT log: {log.value.decode(errors='replace').strip()}") from None
        self.call("cuModuleGetFunction", ctypes.byref(self.fn), mod, b"spin")
        self.call("cuMemAlloc_v2", ctypes.byref(self.buf), ctypes.c_size_t(GRID * BLOCK * 4))
        self.iters, self.launches, self.stop, self.thread, self.error = 20000, 0, threading.Event(), None, None
        self.launch(), self.launch()  # warm-up
        self.launch_s = self.launch()
        self.iters = int(min(max(self.iters * 0.1 / max(self.launch_s, 1e-6), 1000), 50_000_000))
        self.launch_s = self.launch()  # ~0.1 s per launch from here on

    def call(self, name, *args):
        rc = getattr(self.cu, name)(*args)
        if rc != 0:
            msg = ctypes.c_char_p()
            self.cu.cuGetErrorString(rc, ctypes.byref(msg))
            raise RuntimeError(f"{name} failed: CUDA error {rc} ({(msg.value or b'?').decode()})")

    def launch(self):
        out, iters = ctypes.c_uint64(self.buf.value), ctypes.c_uint32(self.iters)
        params = (ctypes.c_void_p * 2)(ctypes.addressof(out), ctypes.addressof(iters))
        t = time.perf_counter()
        self.call("cuLaunchKernel", self.fn, GRID, 1, 1, BLOCK, 1, 1, 0, None, params, None)
        self.call("cuCtxSynchronize")
        self.launches += 1
        return time.perf_counter() - t

    def _loop(self):
        try:
            self.call("cuCtxSetCurrent", self.ctx)  # the context is per thread
            while not self.stop.is_set():
                self.launch()
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            self.error = f"{type(exc).__name__}: {exc}"

    def start(self):
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()


# --- measurement ---------------------------------------------------------------------------
def power_w(nvml, handle, instant):
    if instant:  # NVML_FI_DEV_POWER_INSTANT (drivers >= 535): not the 1 s average GetPowerUsage gives
        fv = nvml.nvmlDeviceGetFieldValues(handle, [nvml.NVML_FI_DEV_POWER_INSTANT])[0]
        if fv.nvmlReturn != 0:
            raise RuntimeError(f"field value error {fv.nvmlReturn}")
        return fv.value.uiVal / 1000.0
    return nvml.nvmlDeviceGetPowerUsage(handle) / 1000.0


def integrate(samples):
    """Trapezoid over (t, W) samples, returned as mean watts and span."""
    if len(samples) < 2:
        return None, 0.0
    area = sum((t1 - t0) * (w0 + w1) / 2 for (t0, w0), (t1, w1) in itertools.pairwise(samples))
    span = samples[-1][0] - samples[0][0]
    return area / span, span


def safe(what, fn, default=None):
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - e.g. no energy counter before Volta
        fail(what, exc)
        return default


def read_counter_j(nvml, gpu):  # mJ -> J
    return safe(f"GPU{gpu.index} energy counter", lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(gpu.handle) / 1000.0)


def users_of(gpu):
    return safe(f"GPU{gpu.index} users()", lambda: sorted(gpu.users()), [])


def smi_query():
    q = "power.draw,utilization.gpu,pstate,clocks.sm,temperature.gpu"
    try:
        return subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"], capture_output=True,
                              text=True, timeout=8, check=False).stdout.strip()
    except Exception as exc:  # noqa: BLE001
        return f"nvidia-smi failed: {exc}"


def window(name, meter, cpu_meter, nvml, gpus, instant):
    stop, samples = threading.Event(), {g.index: ([], []) for g in gpus}

    def sampler():
        while not stop.is_set():
            for g in gpus:
                for kind, lst in zip((False, True), samples[g.index]):
                    if kind and not instant.get(g.index):
                        continue
                    try:
                        lst.append((time.perf_counter(), power_w(nvml, g.handle, kind)))
                    except Exception:  # noqa: BLE001, S110 - a missed sample only widens the gap
                        pass
            stop.wait(0.05)

    threading.Thread(target=sampler, daemon=True).start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    c0 = {g.index: read_counter_j(nvml, g) for g in gpus}
    s0 = {g.index: g.sample() for g in gpus}
    u0 = {g.index: users_of(g) for g in gpus}
    win, cpu_win = meter.begin(), cpu_meter.begin()  # twin window without GPUs: its CPU part alone
    time.sleep(WINDOW_S / 2)
    smi = smi_query()
    time.sleep(WINDOW_S / 2)
    reading, cpu_reading = win.end(), cpu_win.end()
    s1 = {g.index: g.sample() for g in gpus}
    c1 = {g.index: read_counter_j(nvml, g) for g in gpus}
    seconds = time.perf_counter() - t0
    time.sleep(0.2)
    stop.set()
    res = {"seconds": round(seconds, 3), "nvidia_smi_mid": smi,
           "meter": {"joules": reading.joules, "method": reading.method, "source": reading.source,
                     "gpu_part_j": reading.joules - cpu_reading.joules,
                     "gpu_attributed": "nvml" in reading.source.split("+"), "reasons": list(reading.reasons)},
           "gpus": {}}
    for g in gpus:
        slm_j = g.joules(s0[g.index], s1[g.index], seconds)
        counter_j = c1[g.index] - c0[g.index] if c0[g.index] is not None and c1[g.index] is not None else None
        avg_w, span = integrate(samples[g.index][0])
        inst_w, _ = integrate(samples[g.index][1])
        int_j = avg_w * seconds if avg_w is not None else None
        res["gpus"][g.index] = {
            "name": g.name, "mode": g.mode, "users_at_start": u0[g.index], "users_at_end": users_of(g),
            "slm_j": slm_j, "nvml_counter_j": counter_j, "power_integrated_j": int_j,
            "power_instant_integrated_j": inst_w * seconds if inst_w is not None else None,
            "mean_power_w": avg_w, "power_samples": len(samples[g.index][0]), "sampled_span_s": round(span, 3),
            "ratio_slm_to_counter": slm_j / counter_j if slm_j is not None and counter_j else None,
            "ratio_slm_to_integrated": slm_j / int_j if slm_j is not None and int_j else None}
        print(f"[{name}] GPU{g.index}: " + ", ".join(f"{k}={v}" for k, v in res["gpus"][g.index].items()))
    users = set().union(*(set(r["users_at_start"]) | set(r["users_at_end"]) for r in res["gpus"].values()))
    res["attribution"] = ("this process is the only GPU user" if users == {os.getpid()}
                          else "no GPU user listed" if not users
                          else f"shared with {sorted(users - {os.getpid()})}" if os.getpid() in users
                          else f"NVML lists {sorted(users)} but not our pid {os.getpid()}: likely a container "
                               "PID namespace (NVML reports host PIDs), so slm cannot attribute")
    print(f"[{name}] attribution: {res['attribution']}\n[{name}] meter: {res['meter']}\n[{name}] nvidia-smi mid: {smi}")
    RESULT["windows"][name] = res


def main():
    threading.Thread(target=watchdog, daemon=True).start()
    try:
        import slm.energy.nvml as nvml_source
        from slm.energy import EnergyMeter
    except Exception as exc:  # noqa: BLE001
        fail(f"cannot import slm.energy (slm needs Python >= 3.10; this is {sys.version.split()[0]})", exc)
        return 1
    RESULT["slm_path"] = str(Path(nvml_source.__file__).parent)
    settings = types.SimpleNamespace(grid_intensity="475", cpu_watts_per_thread=7.5,  # config.py defaults
                                     powercap_root=Path("/sys/class/powercap"),
                                     power_supply_root=Path("/sys/class/power_supply"))
    t = time.perf_counter()
    meter = EnergyMeter(settings)  # the probe the runtime runs: nvml.probe(None), amdsmi.probe(None)
    RESULT["meter_init_s"] = round(time.perf_counter() - t, 3)
    cpu_meter = EnergyMeter(settings, gpus=False)
    RESULT["sources"] = [f"{p.name}: available={p.available} reason={p.reason} fix={p.fix} notes={p.notes}"
                      for p in meter.sources()]
    print("source " + "\nsource ".join(RESULT["sources"]))
    gpus = [g for g in meter.gpus if g.source == "nvml"]
    if not gpus:
        probe = next((p for p in meter.gpu_probes if p.name == "nvml"), None)
        print(f"NVML unavailable: {probe.reason if probe else 'no nvml probe'}")
        RESULT["nvml"] = "unavailable"
        return 0
    nvml = gpus[0].nvml
    instant = {}
    for g in gpus:
        print(f"GPU{g.index} {g.name}: mode={g.mode} memory={g.memory_bytes}")
        instant[g.index] = safe(f"GPU{g.index} instant power field unavailable (only 1 s averaged power)",
                                lambda g=g: power_w(nvml, g.handle, True) is not None, False)
    load = None
    try:
        load = CudaLoad()  # before the idle window, so this process holds a context in both windows
        RESULT["load"] = {"iters": load.iters, "launch_s": round(load.launch_s, 4), "grid": GRID, "block": BLOCK}
        print(f"CUDA load ready: {load.iters} iterations per launch, {load.launch_s * 1000:.1f} ms per launch")
    except Exception as exc:  # noqa: BLE001
        fail("GPU load cannot start (idle window only)", exc)
    for name in ("idle", "load") if load else ("idle",):
        try:
            if name == "load":
                load.start()
                time.sleep(0.5)  # let clocks and power settle under load
            window(name, meter, cpu_meter, nvml, gpus, instant)
        except Exception as exc:  # noqa: BLE001
            fail(f"{name} window failed", exc)
    if load:
        load.stop.set()
        load.thread.join(5)
        RESULT["load"].update(launches=load.launches, thread_error=load.error)
        if load.error:
            print(f"load thread failed: {load.error}")
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        fail("unexpected failure", exc)
        code = 1
    RESULT["elapsed_s"] = round(time.monotonic() - T_START, 2)
    dump()
    os._exit(code)  # do not wait on daemon threads stuck in a driver call

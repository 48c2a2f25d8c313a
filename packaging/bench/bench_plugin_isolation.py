"""What running a third-party plugin in a worker process costs per request (target: <= 2 ms added).

    python packaging/bench/bench_plugin_isolation.py [--runs 200] [--model TINY.gguf] [--json]

One process, one SLM_HOME, the same plugin packages (written to a temporary folder)
behind two PluginHosts: ``plugin_isolation = "off"`` (in slm's process, as built-ins run)
and the default (a warm worker process per plugin). Requests alternate between the two,
the order flipped every pair, each timed with perf_counter around ``host.run``. Reported
per plugin: in-process and worker times and the per-pair difference (added ms), each as
min / median / max. The plugins:

  echo      returns at once: the bare cost of a request (2 messages)
  stream20  emits 20 pieces: the cost of each ctx.emit crossing the socket
  calc      the built-in calculator's code, run as a third-party plugin: a real answer
  generate  ctx.generate(max_tokens=8, stream=True) on the tiny GGUF: a model call served
            by the parent's runtime (the worker holds no model)

Also printed: the cold start of a worker (interpreter + import, paid once per plugin and
process, e.g. by each one-shot `slm ask`), and the plain, independent floor: one pickle
round trip over a socket pair to a bare Python subprocess, nothing of slm's involved.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PLUGINS = {
    "echo": "class P(Plugin):\n    def handle(self, request, ctx):\n        return Result(text=request.prompt)\n",
    "stream20": ("class P(Plugin):\n    def handle(self, request, ctx):\n        for i in range(20):\n"
                 "            ctx.emit(f'{i} ')\n        return Result(text='done')\n"),
    "calc": "from slm.plugins.calc import plugin as _builtin\nP = type(_builtin)\n",
    "generate": ("class P(Plugin):\n    def handle(self, request, ctx):\n"
                 "        return Result(text=ctx.generate(request.prompt, max_tokens=8, seed=1, stream=True))\n"),
}
PROMPTS = {"echo": "hello", "stream20": "go", "calc": "what is 15% of 1240 plus 12", "generate": "hi"}
_ECHO = textwrap.dedent("""
    import pickle, socket, sys
    s = socket.socket(fileno=int(sys.argv[1]))
    f = s.makefile("rwb", buffering=0)
    while True:
        n = f.read(4)
        if not n:
            break
        data = f.read(int.from_bytes(n, "big"))
        msg = pickle.loads(data)
        out = pickle.dumps(("done", msg[1], "null", 0.0))
        f.write(len(out).to_bytes(4, "big") + out)
""")


def write_plugins(root: Path, model: str | None) -> list:
    from slm.host.meta import read_plugin_toml

    infos = []
    for name, code in PLUGINS.items():
        folder = root / f"bench_{name}"
        folder.mkdir()
        (folder / "__init__.py").write_text("from slm.plugins.sdk import Plugin, Result\n" + code + "plugin = P()\n")
        examples = ", ".join(json.dumps(f"{name} example {i}") for i in range(10))
        model_line = f'model = {json.dumps(model)}\n' if name == "generate" and model else 'model = "none"\n'
        (folder / "plugin.toml").write_text(f'name = "{name}"\nversion = "1.0"\ndescription = "bench"\n'
                                            f"{model_line}examples = [{examples}]\n")
        infos.append(read_plugin_toml(folder, entry_point=f"bench_{name}:plugin"))
    return infos


def mmm(values: list[float], unit: float = 1000.0) -> dict:
    return {"min": round(min(values) * unit, 3), "median": round(statistics.median(values) * unit, 3),
            "max": round(max(values) * unit, 3)}


def timed(host, name: str) -> float:
    from slm.plugins.sdk import Request

    t = time.perf_counter()
    host.run(name, Request(PROMPTS[name]), emit=lambda _piece: None)
    return time.perf_counter() - t


def plain_round_trip(runs: int) -> list[float]:
    """Pickle round trips over a socket pair to a bare subprocess that echoes a 'done' reply."""
    mine, theirs = socket.socketpair()
    proc = subprocess.Popen([sys.executable, "-c", _ECHO, str(theirs.fileno())], pass_fds=(theirs.fileno(),))
    theirs.close()
    f = mine.makefile("rwb", buffering=0)
    facts = {"name": "echo", "model": None, "config": {}, "data_dir": "/tmp/x", "log_level": 30}
    out = []
    for _ in range(runs + 5):
        t = time.perf_counter()
        data = pickle.dumps(("run", "hello", {}, facts))
        f.write(len(data).to_bytes(4, "big") + data)
        n = int.from_bytes(f.read(4), "big")
        pickle.loads(f.read(n))
        out.append(time.perf_counter() - t)
    f.close()
    mine.close()
    proc.wait(timeout=10)
    return out[5:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200, help="alternating pairs per plugin (generate: a tenth)")
    ap.add_argument("--model", help="the tiny GGUF for 'generate' (default: slm.testing.tiny_gguf())")
    ap.add_argument("--cold", type=int, default=5, help="fresh workers started to time the cold start")
    ap.add_argument("--only", nargs="*", choices=sorted(PLUGINS), help="these plugins only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from slm.api import Runtime
    from slm.config import load_settings
    from slm.host.host import PluginHost
    from slm.testing import tiny_gguf

    model = args.model or str(tiny_gguf())
    work = Path(tempfile.mkdtemp(prefix="slm-bench-isolation-"))
    (work / "pkgs").mkdir()
    sys.path.insert(0, str(work / "pkgs"))
    infos = write_plugins(work / "pkgs", model)
    settings = load_settings(env={}, home=work / "home")
    report: dict = {"load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(), "plugins": {}}
    with Runtime(settings) as runtime:
        inproc = PluginHost(settings.with_(plugin_isolation="off"), runtime, plugins=infos)
        isolated = PluginHost(settings, runtime, plugins=infos)
        for name in args.only or PLUGINS:
            runs = max(10, args.runs // 10) if name == "generate" else args.runs
            for _ in range(3):  # warm: imports, the worker's start, the model's load
                timed(inproc, name), timed(isolated, name)
            a, b = [], []
            for i in range(runs):
                if i % 2 == 0:
                    a.append(timed(inproc, name))
                    b.append(timed(isolated, name))
                else:
                    b.append(timed(isolated, name))
                    a.append(timed(inproc, name))
            added = [y - x for x, y in zip(a, b)]
            report["plugins"][name] = {"runs": runs, "in_process_ms": mmm(a), "worker_ms": mmm(b),
                                       "added_ms": mmm(added),
                                       "ratio_median": round(statistics.median(b) / statistics.median(a), 2)}
        isolated.close()
        cold = []
        for _ in range(args.cold):
            fresh = PluginHost(settings, runtime, plugins=infos)
            cold.append(timed(fresh, "echo"))
            fresh.close()
        report["cold_start_ms"] = mmm(cold)
    report["plain_round_trip_us"] = mmm(plain_round_trip(args.runs), unit=1e6)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"load average {report['load_average']} on {report['cpus']} CPUs")
    print(f"{'plugin':10} {'runs':>5}  {'in-process ms (min/med/max)':>30}  {'worker ms (min/med/max)':>28}  "
          f"{'added ms (min/med/max)':>26}  ratio")
    for name, row in report["plugins"].items():
        cells = ["/".join(f"{row[k][s]:.3f}" for s in ("min", "median", "max"))
                 for k in ("in_process_ms", "worker_ms", "added_ms")]
        print(f"{name:10} {row['runs']:>5}  {cells[0]:>30}  {cells[1]:>28}  {cells[2]:>26}  {row['ratio_median']:.2f}")
    c, p = report["cold_start_ms"], report["plain_round_trip_us"]
    print(f"worker cold start (first request of a plugin in a process): min {c['min']:.1f} median {c['median']:.1f} "
          f"max {c['max']:.1f} ms")
    print(f"plain floor, one pickle round trip to a bare subprocess: min {p['min']:.1f} median {p['median']:.1f} "
          f"max {p['max']:.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

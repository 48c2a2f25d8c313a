"""`slm serve` vs `python -m llama_cpp.server`, side by side in one run, same GGUF and threads.

Both servers run as subprocesses on loopback with the same model file(s), n_ctx and
thread count; every measurement alternates between them request by request, so a
change in the machine's load hits both alike. Figures (min/median/max over rounds):

  1. single client, streamed, temperature 0: decode tokens/s (content chunks after the
     first / time from first to last chunk) and TTFT; the slm/llama ratio per round;
  2. 8 and 32 concurrent clients (non-streamed, N tokens each): total tokens/s and
     p50/p95 request latency of slm serve with SLM_NUM_PARALLEL=1, of slm serve with
     SLM_NUM_PARALLEL=2 (two contexts on one copy of the weights) and of llama_cpp.server
     (one sequence at a time), the three alternating round by round (each round in a
     rotated order), with per-round ratios; its independent check: two raw `llama_cpp.Llama`
     decoding in two threads vs one alone (what two contexts can give on this machine);
  3. two models alternating request by request (two files, one alias each): slm keeps
     both loaded; llama_cpp.server reloads on every switch -> per-request latency;
  4. `slm ask` through the warm server vs in-process (`--no-server`, a cold process
     each time): wall time of a routed calc prompt and of a 32-token answer.

The plain independent check: a raw `llama_cpp.Llama` in this process decodes the same
prompt; its tokens/s is printed beside the servers' (both must be in its range).

    python packaging/bench/bench_server.py [--model GGUF] [--threads 2] [--rounds 5] [--quick]

llama_cpp.server runs with llama.cpp's extra weight buffers set as slm sets them (see
LLAMA_SERVER_LAUNCHER: the stock server segfaults on AMX CPUs). Without --model the real SmolLM2-135M-Instruct Q4_1 (tests/real_model.py) is used.
Targets: decode tokens/s ratio >= 0.99, TTFT overhead <= 5 ms, `slm ask` calc through
the server <= 60 ms. `uptime` load average is printed at the start and the end.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
N_CTX = 2048
PROMPT = "Write a short paragraph about why field technicians should log every visit."
CALC = "what is 15% of 80"


# `python -m llama_cpp.server`, with llama.cpp's repacked/AMX weight buffers set as slm sets them
# ("auto": off on CPUs with AMX, where llama.cpp's AMX matmul segfaults: issue #20824). Without
# this the stock server crashes on such a CPU at its second request; with it both load alike.
LLAMA_SERVER_LAUNCHER = """
import runpy, sys
import llama_cpp.llama_cpp as bindings
from slm.device import llama_extra_buffers
extra = llama_extra_buffers("auto")
default = bindings.llama_model_default_params
def params():
    p = default()
    if not extra and hasattr(p, "use_extra_bufts"):
        p.use_extra_bufts = False
    return p
bindings.llama_model_default_params = params
sys.argv = ["llama_cpp.server", "--config_file", sys.argv[1]]
runpy.run_module("llama_cpp.server", run_name="__main__")
"""


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def spread(values: list[float], fmt: str = "{:.3f}") -> str:
    if not values:
        return "n/a"
    return (f"{fmt.format(statistics.median(values))} (min {fmt.format(min(values))}, "
            f"max {fmt.format(max(values))}, n={len(values)})")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=30):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


# --- the two servers -------------------------------------------------------------------------
def start_slm(home: Path, threads: int, parallel: int = 1) -> tuple[subprocess.Popen, str, dict]:
    from server_fixtures import start_server

    srv = start_server(home, SLM_THREADS=str(threads), SLM_N_CTX=str(N_CTX), SLM_MAX_LOADED_MODELS="4",
                       SLM_KEEP_ALIVE="-1", SLM_NUM_PARALLEL=str(parallel))
    return srv, srv.url, srv.env


def start_llama(models: dict[str, Path], threads: int, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    config = {"host": "127.0.0.1", "port": port,
              "models": [{"model": str(path), "model_alias": alias, "n_ctx": N_CTX, "n_threads": threads,
                          "n_threads_batch": threads, "verbose": False} for alias, path in models.items()]}
    config_file = folder / "llama_server.json"
    config_file.write_text(json.dumps(config))
    with open(folder / "llama_server.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-c", LLAMA_SERVER_LAUNCHER, str(config_file)],
                                stdout=log, stderr=subprocess.STDOUT)
    wait_http(f"http://127.0.0.1:{port}/v1/models", proc)
    return proc, f"http://127.0.0.1:{port}"


# --- measurements ----------------------------------------------------------------------------
def stream_once(url: str, model: str, max_tokens: int) -> tuple[float, float, int]:
    """(ttft_s, decode tokens/s, content chunks) of one streamed request."""
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": max_tokens,
                       "temperature": 0, "seed": 1, "stream": True}).encode()
    request = urllib.request.Request(url + "/v1/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    first = last = None
    chunks = 0
    with urllib.request.urlopen(request, timeout=600) as response:
        for raw in response:
            line = raw.strip()
            if not line.startswith(b"data: ") or line == b"data: [DONE]":
                continue
            data = json.loads(line[6:])
            choices = data.get("choices") or []
            if choices and choices[0].get("delta", {}).get("content"):
                now = time.perf_counter()
                first = first or now
                last = now
                chunks += 1
    ttft = (first or time.perf_counter()) - started
    rate = (chunks - 1) / (last - first) if chunks > 1 and last > first else 0.0
    return ttft, rate, chunks


def complete_once(url: str, model: str, max_tokens: int, content: str = PROMPT) -> tuple[float, int]:
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": content}], "max_tokens": max_tokens,
                       "temperature": 0, "seed": 1}).encode()
    request = urllib.request.Request(url + "/v1/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=900) as response:
        data = json.loads(response.read())
    return time.perf_counter() - started, int(data["usage"]["completion_tokens"])


def concurrent_round(url: str, model: str, clients: int, per_client: int, max_tokens: int) -> tuple[float, list]:
    def client(_i: int) -> list[tuple[float, int]]:
        return [complete_once(url, model, max_tokens, f"{PROMPT} (client {_i} request {j})")
                for j in range(per_client)]

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = [r for rs in pool.map(client, range(clients)) for r in rs]
    wall = time.perf_counter() - started
    return sum(tokens for _s, tokens in results) / wall, [s for s, _t in results]


def raw_llama_rate(path: Path, threads: int, max_tokens: int) -> float:
    import llama_cpp
    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    with model_params(extra_buffers=llama_extra_buffers("auto")):
        llm = llama_cpp.Llama(str(path), n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, verbose=False)
    try:
        stream = llm.create_chat_completion([{"role": "user", "content": PROMPT}], max_tokens=max_tokens,
                                            temperature=0, seed=1, stream=True)
        first = last = None
        chunks = 0
        for part in stream:
            if part["choices"][0]["delta"].get("content"):
                now = time.perf_counter()
                first = first or now
                last = now
                chunks += 1
        return (chunks - 1) / (last - first) if chunks > 1 else 0.0
    finally:
        llm.close()


# The installed console script, as a user runs it (its entry point is slm.cli.launch:run).
SLM_SCRIPT = [str(Path(sys.executable).with_name("slm"))] if Path(sys.executable).with_name("slm").exists() \
    else [sys.executable, "-m", "slm.cli.launch"]


def process_wall(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    wall = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed: {proc.stderr}")
    return wall


def slm_ask_wall(env: dict, args: list[str], no_server: bool) -> float:
    started = time.perf_counter()
    proc = subprocess.run([*SLM_SCRIPT, "ask", *args, *(["--no-server"] if no_server else [])],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    wall = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"slm ask failed: {proc.stderr}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="GGUF to serve (default: the real SmolLM2-135M test model)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", default="8,32", help="part 2's numbers of concurrent clients")
    parser.add_argument("--concurrent-rounds", type=int,
                        help="rounds of part 2, each server once a round (default 3; 1 with --quick)")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and clients (a smoke run)")
    parser.add_argument("--parts", default="1,2,3,4", help="which measurements to run, e.g. 1,4")
    args = parser.parse_args()
    parts = {int(p) for p in args.parts.split(",") if p.strip()}
    if args.model is None:
        from real_model import real_model_file

        args.model = real_model_file()
    rounds = 2 if args.quick else args.rounds
    print(f"bench_server: {args.model.name}, threads {args.threads}, n_ctx {N_CTX}; load average at start: "
          f"{load_average()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench_server_"))
    second = work / f"second-{args.model.name}"
    shutil.copyfile(args.model, second)  # a second model file: same cost, its own load
    home = work / "slm_home"
    slm_proc, slm_url, env = start_slm(home, args.threads)
    llama_proc, llama_url = start_llama({"a": args.model, "b": second}, args.threads, work)
    slm_a, slm_b = str(args.model), str(second)
    try:
        # warm both (model loaded, first-request costs paid)
        stream_once(slm_url, slm_a, 4)
        stream_once(llama_url, "a", 4)
        if 1 in parts:
            single_client(slm_url, slm_a, llama_url, args, rounds)
        if 2 in parts:
            parallel_proc, parallel_url, _env = start_slm(work / "slm_home_parallel", args.threads, parallel=2)
            try:
                stream_once(parallel_url, slm_a, 4)
                concurrent_clients({"slm P=1": (slm_url, slm_a), "slm P=2": (parallel_url, slm_a),
                                    "llama_cpp.server": (llama_url, "a")}, args)
            finally:
                parallel_proc.stop()
        if 3 in parts:
            two_models(slm_url, slm_a, slm_b, llama_url, args)
        if 4 in parts:
            slm_ask(env, slm_a, rounds)
    finally:
        slm_proc.stop()
        llama_proc.terminate()
        llama_proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at the end: {load_average()}")


def single_client(slm_url: str, slm_a: str, llama_url: str, args, rounds: int) -> None:
    print("\n1. single client, streamed, temperature 0, "
          f"{args.max_tokens} tokens (alternating, {rounds} rounds)")
    ratios, ttft_diff, rates = [], [], {"slm": [], "llama": []}
    ttfts = {"slm": [], "llama": []}
    for _ in range(rounds):
        s_ttft, s_rate, _n = stream_once(slm_url, slm_a, args.max_tokens)
        l_ttft, l_rate, _n = stream_once(llama_url, "a", args.max_tokens)
        rates["slm"].append(s_rate)
        rates["llama"].append(l_rate)
        ttfts["slm"].append(s_ttft * 1000)
        ttfts["llama"].append(l_ttft * 1000)
        ratios.append(s_rate / l_rate if l_rate else 0.0)
        ttft_diff.append((s_ttft - l_ttft) * 1000)
    raw = raw_llama_rate(args.model, args.threads, args.max_tokens)
    print(f"   decode tokens/s  slm serve {spread(rates['slm'], '{:.1f}')}")
    print(f"                    llama_cpp.server {spread(rates['llama'], '{:.1f}')}")
    print(f"                    raw Llama in this process (independent check): {raw:.1f}")
    print(f"   ratio slm/llama  {spread(ratios)}  (target >= 0.99)")
    print(f"   TTFT ms          slm {spread(ttfts['slm'], '{:.1f}')}; llama {spread(ttfts['llama'], '{:.1f}')}")
    print(f"   TTFT slm - llama {spread(ttft_diff, '{:+.1f}')} ms  (target <= 5 ms)")
    decode, ttft = statistics.median(ratios), statistics.median(ttft_diff)
    print(f"   verdict: decode ratio median {decode:.3f} (>= 0.99: {'met' if decode >= 0.99 else 'missed'}); "
          f"TTFT overhead median {ttft:+.1f} ms (<= 5 ms: {'met' if ttft <= 5 else 'missed'})")


def concurrent_clients(servers: dict[str, tuple[str, str]], args) -> None:
    tokens = 16 if args.quick else 32
    rounds = args.concurrent_rounds or (1 if args.quick else 3)
    names = list(servers)
    for clients in [int(c) for c in args.clients.split(",") if c.strip()]:
        per = 1 if args.quick else 2
        print(f"\n2. {clients} concurrent clients x {per} requests, {tokens} tokens each "
              f"({rounds} rounds, the servers alternating in a rotated order; load {load_average()})", flush=True)
        rate = {n: [] for n in names}
        p50 = {n: [] for n in names}
        p95 = {n: [] for n in names}
        for r in range(rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                url, model = servers[name]
                total, latencies = concurrent_round(url, model, clients, per, tokens)
                rate[name].append(total)
                p50[name].append(statistics.median(latencies))
                p95[name].append(pct(latencies, 0.95))
        for name in names:
            print(f"   {name:<17} total tokens/s {spread(rate[name], '{:.1f}')}")
            print(f"   {'':<17} latency p50 {spread(p50[name], '{:.2f}')} s; p95 {spread(p95[name], '{:.2f}')} s")
        for a, b in (("slm P=1", "llama_cpp.server"), ("slm P=2", "llama_cpp.server"), ("slm P=2", "slm P=1")):
            ratios = [x / y for x, y in zip(rate[a], rate[b]) if y]
            lat = [x / y for x, y in zip(p95[a], p95[b]) if y]
            print(f"   ratio {a} / {b}: tokens/s {spread(ratios)}; p95 latency {spread(lat)}")
    print(f"   independent check, two raw llama_cpp.Llama on {args.threads} cores, total tokens/s "
          f"2 threads at once / 1 alone: {raw_pair_ratio(args.model, args.threads, tokens * 4):.2f}", flush=True)


def raw_pair_ratio(path: Path, threads: int, max_tokens: int) -> float:
    """What two contexts decoding at once give on this machine, outside slm: two Llama objects
    (each its own load, 1 thread each when they share the cores) vs one alone with every thread."""
    import threading

    import llama_cpp
    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    def load(n_threads: int):
        with model_params(extra_buffers=llama_extra_buffers("auto")):
            return llama_cpp.Llama(str(path), n_ctx=N_CTX, n_threads=n_threads, n_threads_batch=n_threads,
                                   verbose=False)

    def decode(llm, out: list) -> None:
        result = llm.create_chat_completion([{"role": "user", "content": PROMPT}], max_tokens=max_tokens,
                                            temperature=0, seed=1)
        out.append(result["usage"]["completion_tokens"])

    alone = load(threads)
    pair = [load(max(1, threads // 2)) for _ in range(2)]
    try:
        for llm in (alone, *pair):
            decode(llm, [])  # the prompt evaluated once: every measured run reuses it alike
        rates = []
        for _ in range(3):  # alternating, best of three each (the machine is shared)
            out: list = []
            started = time.perf_counter()
            decode(alone, out)
            one = sum(out) / (time.perf_counter() - started)
            out = []
            started = time.perf_counter()
            workers = [threading.Thread(target=decode, args=(llm, out)) for llm in pair]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            rates.append((sum(out) / (time.perf_counter() - started)) / one)
        return statistics.median(rates)
    finally:
        for llm in (alone, *pair):
            llm.close()


def two_models(slm_url: str, slm_a: str, slm_b: str, llama_url: str, args) -> None:
    print("\n3. two models alternating request by request (8 tokens each)")
    lat = {"slm": [], "llama": []}
    for i in range(4 if args.quick else 8):
        lat["slm"].append(complete_once(slm_url, slm_a if i % 2 == 0 else slm_b, 8)[0] * 1000)
        lat["llama"].append(complete_once(llama_url, "a" if i % 2 == 0 else "b", 8)[0] * 1000)
    ps = json.loads(urllib.request.urlopen(slm_url + "/slm/v1/ps", timeout=30).read())
    print(f"   slm serve         per request {spread(lat['slm'][2:], '{:.0f}')} ms; loaded now: "
          f"{sorted(m['name'] for m in ps['models'])}")
    print(f"   llama_cpp.server  per request {spread(lat['llama'][2:], '{:.0f}')} ms (reloads on each switch)")


def slm_ask(env: dict, slm_a: str, rounds: int) -> None:
    print("\n4. `slm ask`: warm server vs in-process (a cold process each time)")
    for label, ask_args in (("routed calc prompt", [CALC]),
                            ("32-token answer", ["Name three fruits.", "-m", slm_a, "--max-tokens", "32",
                                                 "--temperature", "0", "--seed", "1"])):
        via, local, floor = [], [], []
        for _ in range(rounds):
            floor.append(process_wall([sys.executable, "-c", "pass"], env) * 1000)
            via.append(slm_ask_wall(env, ask_args, no_server=False) * 1000)
            local.append(slm_ask_wall(env, ask_args, no_server=True) * 1000)
        print(f"   {label:<19} server {spread(via, '{:.0f}')} ms; in-process {spread(local, '{:.0f}')} ms; "
              f"ratio {statistics.median(local) / statistics.median(via):.1f}x; "
              f"`python -c pass` {spread(floor, '{:.0f}')} ms")
        if label.startswith("routed"):
            verdict = "met" if statistics.median(via) <= 60 else "missed"
            print(f"   verdict: slm ask calc through the server median {statistics.median(via):.0f} ms "
                  f"(target <= 60 ms): {verdict}")


if __name__ == "__main__":
    main()

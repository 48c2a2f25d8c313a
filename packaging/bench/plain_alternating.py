"""The plain, independent check of bench_ask.py: raw llama-cpp-python vs slm, nothing clever.

    python packaging/bench/plain_alternating.py MODEL.gguf [--runs 8] [--max-tokens 32] [--threads 1]

One process loads the file twice (a raw ``llama_cpp.Llama`` and ``slm.Runtime``), then
alternates one request each, N times: the same chat, seed and sampling, the KV prefix
cleared before every run. Each run is timed with perf_counter from the call to the last
piece. It prints every run and the per-pair ratio raw_time / slm_time (> 1: slm faster).
No probes, no CPU clocks, no model of anything: if bench_ask.py says more than this
shows, bench_ask.py is wrong.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time

SYSTEM = "You are a concise assistant for a small business."
PROMPT = ("Summarise this customer email in two sentences and list the action items: Hello team, the invoice "
          "for order 4471 shows the wrong tax rate and the discount we agreed on in the meeting last week is "
          "missing. Please send a corrected invoice before Friday and call me if anything is unclear.")


def model_run_args(description: str) -> argparse.ArgumentParser:
    """MODEL, --runs, --max-tokens, --threads: what the model benchmarks beside this one take too."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("model")
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--max-tokens", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    return ap


def main() -> None:
    ap = model_run_args(__doc__.splitlines()[0])
    ap.add_argument("--n-ctx", type=int, default=2048)
    args = ap.parse_args()

    import llama_cpp

    from slm.api import Runtime
    from slm.config import load_settings

    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": PROMPT}]
    from slm.backends.llama import model_params
    from slm.device import llama_extra_buffers

    with model_params(extra_buffers=llama_extra_buffers("auto")):  # as slm loads it (llama.cpp #20824)
        raw = llama_cpp.Llama(args.model, n_ctx=args.n_ctx, n_threads=args.threads, n_threads_batch=args.threads,
                              verbose=False)
    rt = Runtime(load_settings(env={}, home=tempfile.mkdtemp(prefix="slm-plain-"), threads=args.threads,
                               n_ctx=args.n_ctx))
    slm_llm = rt.backend(args.model).llm

    def run_raw() -> tuple[float, int]:
        raw.reset()
        t = time.perf_counter()
        n = sum(1 for chunk in raw.create_chat_completion(messages, stream=True, max_tokens=args.max_tokens, seed=42,
                                                           temperature=0.2)
                if chunk["choices"][0]["delta"].get("content"))
        return time.perf_counter() - t, n

    def run_slm() -> tuple[float, int]:
        slm_llm.reset()
        t = time.perf_counter()
        stream = rt.ask_stream(PROMPT, model=args.model, system=SYSTEM, max_tokens=args.max_tokens, seed=42,
                               temperature=0.2)
        for _ in stream:
            pass
        return time.perf_counter() - t, stream.result.usage.completion_tokens

    run_raw(), run_slm()  # warm-up
    ratios = []
    for i in range(args.runs):
        pair = (run_raw(), run_slm()) if i % 2 == 0 else tuple(reversed((run_slm(), run_raw())))
        (t_raw, n_raw), (t_slm, n_slm) = pair
        ratios.append(t_raw / t_slm)
        print(f"run {i + 1}: raw {t_raw * 1000:7.1f} ms ({n_raw} pieces)   slm {t_slm * 1000:7.1f} ms "
              f"({n_slm} tokens)   raw/slm {t_raw / t_slm:.3f}")
    print(f"raw/slm time ratio over {len(ratios)} pairs: min {min(ratios):.3f} median {statistics.median(ratios):.3f} "
          f"max {max(ratios):.3f}  (> 1: slm faster)")
    rt.close()
    raw.close()


if __name__ == "__main__":
    main()

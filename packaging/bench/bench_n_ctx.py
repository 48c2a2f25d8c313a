"""Context size end to end: `slm ask --model FILE` with a fixed n_ctx vs one sized to the request.

    python packaging/bench/bench_n_ctx.py MODEL.gguf [--runs 8] [--max-tokens 32] [--sizes 4096,512]

Separate processes, alternating (A B B A ...), the same prompt, seed and threads; each run
is timed from launch to exit and to its first answer byte, and its peak RSS (VmHWM,
polled) is read. A request of this size (a ~60-token prompt + max_tokens) fits 512, so
that is what a context sized to the request (rounded up) gives it. Per size: wall,
first byte, peak RSS (min/median/max); per pair: the ratio to the first size.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ask import PROMPT, SYSTEM, _measure  # the same outside measurement
from plain_alternating import model_run_args

SLM = str(Path(sys.executable).parent / "slm")


def main() -> None:
    ap = model_run_args(__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="4096,512", help="n_ctx values to compare; the first is the reference")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    home = tempfile.mkdtemp(prefix="slm-nctx-")
    cmd = [SLM, "ask", PROMPT, "--model", args.model, "--system", SYSTEM, "--max-tokens", str(args.max_tokens),
           "--seed", "42", "--temperature", "0.2"]
    envs = {n: dict(os.environ, SLM_HOME=home, SLM_THREADS=str(args.threads), SLM_N_CTX=str(n)) for n in sizes}
    for n in sizes:  # warm-up: page cache, .pyc files
        _measure(cmd, envs[n])
    results: dict[int, list[dict]] = {n: [] for n in sizes}
    load0 = os.getloadavg()[0]
    for i in range(args.runs):
        for n in (sizes if i % 2 == 0 else sizes[::-1]):
            results[n].append(_measure(cmd, envs[n]))
    print(f"{Path(args.model).name}, {args.runs} runs per size alternating, threads {args.threads}, "
          f"max_tokens {args.max_tokens}; load avg {load0:.2f} -> {os.getloadavg()[0]:.2f}")

    def spread(values, fmt="{:.3f}"):
        return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))

    print(f"{'n_ctx':>6}  {'wall s min/med/max':>24}  {'1st byte s':>24}  {'peak RSS MB':>24}")
    for n, rs in results.items():
        print(f"{n:>6}  {spread([r['wall_s'] for r in rs]):>24}  {spread([r['first_byte_s'] for r in rs]):>24}  "
              f"{spread([r['rss_mb'] for r in rs], '{:.1f}'):>24}")
    ref = sizes[0]
    for n in sizes[1:]:
        for label, key in (("wall", "wall_s"), ("1st byte", "first_byte_s"), ("peak RSS", "rss_mb")):
            ratios = [a[key] / b[key] for a, b in zip(results[n], results[ref])]
            print(f"  n_ctx {n} / {ref} {label:<9} pair ratio min {min(ratios):.3f} median "
                  f"{statistics.median(ratios):.3f} max {max(ratios):.3f}")


if __name__ == "__main__":
    main()

"""Context size end to end: `slm ask --model FILE` with a fixed n_ctx vs one sized to the request.

    python packaging/bench/bench_n_ctx.py MODEL.gguf [--runs 8] [--max-tokens 32] [--sizes 4096,512]
    python packaging/bench/bench_n_ctx.py MODEL.gguf --baseline main --sizes 4096   # before / after

Separate processes, alternating (A B B A ...), the same prompt, seed and threads; each run
is timed from launch to exit and to its first answer byte, and its peak RSS (VmHWM,
polled) is read. A request of this size (a ~60-token prompt + max_tokens) fits 512, so
that is what a context sized to the request (rounded up) gives it. Per size: wall,
first byte, peak RSS (min/median/max); per pair: the ratio to the first size.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ask import PROMPT, SYSTEM, _measure  # the same outside measurement
from bench_startup import baseline_env
from plain_alternating import model_run_args

SLM = str(Path(sys.executable).parent / "slm")


def main() -> None:
    ap = model_run_args(__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="4096,512", help="n_ctx values to compare; the first is the reference")
    ap.add_argument("--baseline", metavar="REF", help="instead: this tree against REF's code (e.g. main), both with "
                                                      "the first of --sizes")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="slm-nctx-"))
    cmd = [SLM, "ask", PROMPT, "--model", args.model, "--system", SYSTEM, "--max-tokens", str(args.max_tokens),
           "--seed", "42", "--temperature", "0.2"]

    def env(n: int, extra: dict[str, str] | None = None) -> dict[str, str]:
        out = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        return dict(out, **(extra or {}), SLM_HOME=str(work / "home"), SLM_THREADS=str(args.threads), SLM_N_CTX=str(n))

    if args.baseline:
        envs = {f"{args.baseline} n_ctx {sizes[0]}": env(sizes[0], baseline_env(args.baseline, work / "baseline")),
                f"this tree n_ctx {sizes[0]}": env(sizes[0])}
    else:
        envs = {f"n_ctx {n}": env(n) for n in sizes}
    names = list(envs)
    for name in names:  # warm-up: page cache, .pyc files
        _measure(cmd, envs[name])
    results: dict[str, list[dict]] = {name: [] for name in names}
    load0 = os.getloadavg()[0]
    for i in range(args.runs):
        for name in (names if i % 2 == 0 else names[::-1]):
            results[name].append(_measure(cmd, envs[name]))
    print(f"{Path(args.model).name}, {args.runs} runs each alternating, threads {args.threads}, "
          f"max_tokens {args.max_tokens}; load avg {load0:.2f} -> {os.getloadavg()[0]:.2f}")

    def spread(values, fmt="{:.3f}"):
        return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))

    print(f"{'variant':<22}  {'wall s min/med/max':>24}  {'1st byte s':>24}  {'peak RSS MB':>24}")
    for name, rs in results.items():
        print(f"{name:<22}  {spread([r['wall_s'] for r in rs]):>24}  {spread([r['first_byte_s'] for r in rs]):>24}  "
              f"{spread([r['rss_mb'] for r in rs], '{:.1f}'):>24}")
    ref = names[0]
    for name in names[1:]:
        for label, key in (("wall", "wall_s"), ("1st byte", "first_byte_s"), ("peak RSS", "rss_mb")):
            ratios = [a[key] / b[key] for a, b in zip(results[name], results[ref])]
            print(f"  {name} / {ref} {label:<9} pair ratio min {min(ratios):.3f} median "
                  f"{statistics.median(ratios):.3f} max {max(ratios):.3f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

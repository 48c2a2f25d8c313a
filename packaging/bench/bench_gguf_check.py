"""How long the GGUF structural check takes before a model file is used.

    python packaging/bench/bench_gguf_check.py [--model FILE.gguf ...] [--runs 15] [--baseline-rev REV]

For each file, side by side in one run (alternating, so load drifts hit all alike):
* ``before``: the check as it was at ``--baseline-rev`` (read from git: a per-string walk),
* ``walk``:   today's check with no cache (a process's first sight of the file),
* ``cached``: today's check through the store's verdict cache (every later process),
* ``gguf-py``: gguf's own GGUFReader opening the file, an independent reference.
Files: SmolLM2-135M (49k vocab, if found), and generated 32k- and 151k-token vocabularies
(the 151k one with 151k merges, shaped like Qwen2.5's). Targets: cached <= 1 ms, the first
check of the 151k file <= 20 ms. A vocabulary of 20,000 strings or more is skipped with numpy
(gguf_check.skip_strings_bulk); numpy is already imported here (by gguf), as it is in every
process that then loads the model (llama_cpp imports it), so its import is in no figure.
``--baseline-rev HEAD~N`` compares with any earlier check.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SMOLLM2 = Path.home() / ".cache" / "slm-testdata" / "SmolLM2-135M-Instruct.Q4_1.gguf"


def write_vocab_gguf(path: Path, n_tokens: int, merges: int) -> Path:
    import numpy as np
    from gguf import GGUFWriter

    writer = GGUFWriter(str(path), "qwen2")
    writer.add_context_length(32768)
    writer.add_token_list([f"\u0120tok{i}" for i in range(n_tokens)])
    writer.add_token_types([1] * n_tokens)
    if merges:
        writer.add_token_merges([f"\u0120t{i} ok{i}" for i in range(merges)])
    writer.add_tensor("token_embd.weight", np.zeros((n_tokens, 8), dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def baseline_module(rev: str):
    for old_path in ("runtime/gguf_check.py", "runtime/store/gguf_check.py"):
        try:
            source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{old_path}"], check=True,
                                    capture_output=True, text=True).stdout
            break
        except subprocess.CalledProcessError:
            continue
    else:
        return None
    spec = importlib.util.spec_from_loader("gguf_check_before", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    exec(compile(source, f"{rev}:gguf_check.py", "exec"), module.__dict__)
    return module


def ms(samples: list[float]) -> str:
    return f"{min(samples):8.2f} {statistics.median(samples):8.2f} {max(samples):8.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", type=Path, default=[])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--baseline-rev", default="4d3f6af")
    ap.add_argument("--skip-reference", action="store_true",
                    help="leave gguf-py's reader out (seconds a run on a busy machine)")
    ap.add_argument("--generated-only", action="store_true", help="only the generated 32k and 151k files")
    args = ap.parse_args()

    from gguf import GGUFReader

    from slm.store.gguf_check import CheckCache, check_gguf, check_model_file

    before = baseline_module(args.baseline_rev)
    tmp = Path(tempfile.mkdtemp(prefix="slm-bench-gguf-"))
    files = [] if args.generated_only else list(args.model) or ([SMOLLM2] if SMOLLM2.exists() else [])
    files += [write_vocab_gguf(tmp / "vocab32k.gguf", 32_000, 0),
              write_vocab_gguf(tmp / "vocab151k.gguf", 151_646, 151_387)]
    cache = CheckCache(tmp / "model_checks.json")
    print(f"runs {args.runs}; baseline {args.baseline_rev}{'' if before else ' (not found in git: skipped)'}")
    print(f"{'file':<34} {'variant':<8} {'min ms':>8} {'median':>8} {'max':>8}  ratio to before (min/med/max)")
    for path in files:
        variants = {"walk": lambda p=path: check_gguf(p),
                    "cached": lambda p=path: check_model_file(p, "gguf", cache=cache),
                    "gguf-py": lambda p=path: GGUFReader(str(p), "r")}
        if args.skip_reference:
            del variants["gguf-py"]
        if before:
            variants = {"before": lambda p=path: before.check_gguf(p), **variants}
        assert check_gguf(path) == check_model_file(path, "gguf", cache=cache)  # warms the cache and the page cache
        times: dict[str, list[float]] = {k: [] for k in variants}
        for _ in range(args.runs):
            for name, fn in variants.items():
                t = time.perf_counter()
                fn()
                times[name].append((time.perf_counter() - t) * 1000)
        for name, samples in times.items():
            ratio = ""
            if before and name != "before":
                r = sorted(b / s for b, s in zip(times["before"], samples))
                ratio = f"  {r[0]:.1f}x / {statistics.median(r):.1f}x / {r[-1]:.1f}x faster"
            print(f"{path.name[:34]:<34} {name:<8} {ms(samples)}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

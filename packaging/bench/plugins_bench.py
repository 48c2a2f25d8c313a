"""How plugin count affects start-up: `slm --help` and `slm plugins list` with the
built-ins only vs. with N extra installed plugins, side by side in one run.

Extra plugins are real distributions on the path (a dist-info folder with an
entry point, a package with plugin.toml and a module that would take 0.5 s to
import, so any accidental import shows up in the figures).

    python packaging/bench/plugins_bench.py [--plugins 50] [--runs 5]

Targets: `slm --help` <= 0.1 s and unchanged by plugins; `slm plugins list`
grows only with plugin.toml reads (no plugin imports).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SLM = str(Path(sys.executable).parent / "slm")


def make_plugins(root: Path, count: int) -> None:
    for i in range(count):
        name, module = f"bench-{i}", f"bench_plugin_{i}"
        pkg = root / module
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("import time\ntime.sleep(0.5)  # an import would show\nplugin = None\n")
        examples = ", ".join(f'"bench {i} example {j}"' for j in range(12))
        (pkg / "plugin.toml").write_text(
            f'name = "{name}"\nversion = "1.0"\ndescription = "bench plugin {i}"\nmodel = "none"\n'
            f"examples = [{examples}]\n")
        dist = root / f"bench_plugin_{i}-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: bench-plugin-{i}\nVersion: 1.0\n")
        (dist / "entry_points.txt").write_text(f"[slm.plugins]\n{name} = {module}:plugin\n")


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(argv, env=env, capture_output=True, text=True)
        samples.append(time.perf_counter() - started)
        if out.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {out.stderr.strip()}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugins", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "site"
        make_plugins(extra, args.plugins)
        base_env = {**os.environ, "SLM_HOME": str(Path(tmp) / "home")}
        with_env = {**base_env, "PYTHONPATH": str(extra)}
        print(f"{'command':<22} {'built-ins':>10} {f'+{args.plugins} plugins':>14} {'ratio':>7}")
        for argv in ([SLM, "--help"], [SLM, "plugins", "list"], [SLM, "plugins", "list", "--json"]):
            a = timed(argv, base_env, args.runs)
            b = timed(argv, with_env, args.runs)
            print(f"{' '.join(argv[1:]):<22} {a:>9.3f}s {b:>13.3f}s {b / a:>6.2f}x")


if __name__ == "__main__":
    main()

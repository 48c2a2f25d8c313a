"""Cold start-up of the CLI against the interpreter's floor, side by side in one run.

    python packaging/bench/bench_startup.py [--runs 15] [--train-runs 3] [--baseline REF]

Each round runs, in a rotating order (so drift hits every variant alike), one fresh
process of each:

  floor      python -c "import numpy, onnxruntime"   (what routing cannot avoid)
  ask        slm ask "add 8.25% sales tax to 1299"   (calc, no model, warm SLM_HOME)
  route      slm route "add 8.25% sales tax to 1299"
  help       slm --help

and reports per variant wall min/median/max and, per round, the ratio to that
round's floor (min/median/max). Targets: ask <= 1.5x, route <= 1.3x the floor,
--help <= 0.1 s.

Then the first run on a fresh SLM_HOME (the router trains, unless slm ships the model for these
plugins), and the training itself forced in a fresh process: `slm route PROMPT`
wall time and CPU time (roughly what the wall would be on an idle machine), the
training seconds the router recorded, and whether the one-line
"training the router ..." notice was printed (target: training <= 2 s).

``--baseline REF`` (e.g. main) extracts that commit with ``git archive`` into a
temporary folder and runs its code through the same interpreter and packages
(PYTHONPATH points at a folder whose ``slm`` package links to the extracted tree,
which the editable install's finder comes after), so before and after alternate
within the same rounds.

Start-up is measured as a user gets it: PYTHONDONTWRITEBYTECODE is removed from
the children's environment (with it set, every run recompiles every module,
~120 ms here) and a warm-up run writes the .pyc files first.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "add 8.25% sales tax to 1299"
# slm's packages and the source folders that hold them (pyproject.toml's package-dir)
PACKAGE_DIRS = {"cli": "cli", "plugins": "plugins", "models": "models"}


def _shim(tree: Path, into: Path) -> Path:
    """A folder with an ``slm`` package made of links into ``tree`` (runtime/ is slm, cli/ is
    slm.cli, ...), to put first on PYTHONPATH."""
    pkg = into / "slm"
    pkg.mkdir(parents=True)
    for entry in (tree / "runtime").iterdir():
        if entry.name != "__pycache__":
            (pkg / entry.name).symlink_to(entry)
    for name, folder in PACKAGE_DIRS.items():
        (pkg / name).symlink_to(tree / folder)
    return into


def baseline_env(ref: str, work: Path) -> dict[str, str]:
    tree = work / "tree"
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return {"PYTHONPATH": str(_shim(tree, work / "shim"))}


FORCED_TRAINING = """
import time, pathlib
from slm.config import load_settings
from slm.router import Router
router = Router(load_settings())
router.prebuilt_dir = pathlib.Path("/nonexistent")  # never the shipped model (older code: ignored)
router.cache_key(), router._examples()  # fingerprints, imports, static vectors: not the training
started = time.perf_counter()
router.train(force=True)
print(time.perf_counter() - started)
"""


def _env(extra: dict[str, str], home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env.update(extra, SLM_HOME=str(home))
    return env


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({out.returncode}): {out.stderr.strip()[-400:]}")
    return wall, out


def _spread(values: list[float], unit: str = "", scale: float = 1.0, places: int = 3) -> str:
    v = [x * scale for x in values]
    return f"{min(v):.{places}f}{unit} / {statistics.median(v):.{places}f}{unit} / {max(v):.{places}f}{unit}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--train-runs", type=int, default=3, help="first runs on a fresh SLM_HOME (0: skip)")
    ap.add_argument("--baseline", metavar="REF", help="also time this git ref's code (e.g. main)")
    args = ap.parse_args()

    py = sys.executable
    slm_cli = [str(Path(py).parent / "slm")]  # the console script, as a user runs it
    work = Path(tempfile.mkdtemp(prefix="slm-startup-"))
    try:
        checkouts = {"": {}}
        if args.baseline:
            checkouts[f"{args.baseline}:"] = baseline_env(args.baseline, work / "baseline")
        homes = {label: work / f"home{i}" for i, label in enumerate(checkouts)}
        variants: dict[str, tuple[list[str], dict[str, str]]] = {
            "floor": ([py, "-c", "import numpy, onnxruntime"], _env({}, homes[""]))}
        for label, extra in checkouts.items():
            env = _env(extra, homes[label])
            variants[f"{label}ask"] = (slm_cli + ["ask", PROMPT], env)
            variants[f"{label}route"] = (slm_cli + ["route", PROMPT], env)
            variants[f"{label}help"] = (slm_cli + ["--help"], env)
        for argv, env in variants.values():  # warm-up: trains the router, writes .pyc files
            _run(argv, env)
        where = {label: _run([py, "-c", "import slm; print(slm.__file__)"], _env(extra, homes[label]))[1].stdout.strip()
                 for label, extra in checkouts.items()}
        names = list(variants)
        times: dict[str, list[float]] = {n: [] for n in names}
        load0 = os.getloadavg()
        for i in range(args.runs):
            k = i % len(names)
            for name in names[k:] + names[:k]:
                times[name].append(_run(*variants[name])[0])
        load1 = os.getloadavg()

        print(f"start-up, {args.runs} rounds, rotating order; load avg {load0[0]:.2f} -> {load1[0]:.2f} "
              f"(5 min {load1[1]:.2f}), {os.cpu_count()} CPUs")
        for label, path in where.items():
            print(f"  {label or 'this checkout:'} slm from {path}")
        print(f"\n{'variant':<22}{'wall s min / median / max':>30}{'ratio to floor min / median / max':>38}")
        floor = times["floor"]
        for name in names:
            ratios = [a / b for a, b in zip(times[name], floor)]
            print(f"{name:<22}{_spread(times[name]):>30}{_spread(ratios, 'x', places=2):>38}")
        checks = []
        for label in checkouts:
            for name, target in (("ask", 1.5), ("route", 1.3)):
                med = statistics.median(a / b for a, b in zip(times[label + name], floor))
                checks.append((f"{label}{name} / floor (median of pairs)", f"{med:.2f}x", f"<= {target}x",
                               "ok" if med <= target else "MISSED"))
            med = statistics.median(times[label + "help"])
            checks.append((f"{label}--help wall (median)", f"{med:.3f} s", "<= 0.1 s", "ok" if med <= 0.1 else "MISSED"))

        if args.train_runs:
            print(f"\nfirst run on a fresh SLM_HOME (trains the router), {args.train_runs} rounds alternating")
            first: dict[str, list[tuple[float, float, bool]]] = {label: [] for label in checkouts}
            for i in range(args.train_runs):
                for label in (list(checkouts) if i % 2 == 0 else list(checkouts)[::-1]):
                    home = work / f"fresh-{i}-{len(first[label])}-{label.strip(':') or 'this'}"
                    env = _env(checkouts[label], home)
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    wall, out = _run(slm_cli + ["route", PROMPT], env)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                    sidecar = next((home / "cache" / "router").glob("*/router.json"), None)
                    seconds = json.loads(sidecar.read_text())["train"]["seconds"] if sidecar else float("nan")
                    # the training itself, forced and without any shipped model, in a fresh process
                    _w, trained = _run([py, "-c", FORCED_TRAINING], _env(checkouts[label], home / "forced"))
                    first[label].append((wall, seconds, "training the router" in out.stderr, cpu,
                                         float(trained.stdout.split()[-1])))
                    shutil.rmtree(home, ignore_errors=True)
            print(f"{'':<16}{'first route wall s':>24}{'its CPU s':>24}{'router.json seconds':>24}"
                  f"{'forced training s':>24}  notice")
            for label, rows in first.items():
                print(f"{label or 'this checkout':<16}{_spread([r[0] for r in rows], places=2):>24}"
                      f"{_spread([r[3] for r in rows], places=2):>24}"
                      f"{_spread([r[1] for r in rows], places=2):>24}"
                      f"{_spread([r[4] for r in rows], places=2):>24}  {sum(r[2] for r in rows)}/{len(rows)}")
                med = statistics.median(r[0] for r in rows)
                checks.append((f"{label}first route on a fresh home (median)", f"{med:.2f} s", "<= 2 s",
                               "ok" if med <= 2 else "MISSED"))
                med = statistics.median(r[4] for r in rows)
                checks.append((f"{label}router training itself (median)", f"{med:.2f} s", "<= 2 s",
                               "ok" if med <= 2 else "MISSED"))
            print("  (router.json seconds: what the loaded model recorded; a shipped model records its build's."
                  " forced: Router.train(force=True) with no shipped model, wall s)")
            print(f"  load avg now {os.getloadavg()[0]:.2f}")

        print(f"\n{'check':<44}{'measured':>10}  {'target':<10}result")
        for label, value, target, verdict in checks:
            print(f"{label:<44}{value:>10}  {target:<10}{verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

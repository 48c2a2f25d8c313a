"""calc on plain-speech business questions: right / wrong / refused, beside the baseline parser, in one run.

The question set (packaging/bench/data/calc_devset.jsonl) was written independently of the
parser, with answers computed with Decimal; each row says "answer" (a figure and a tolerance)
or "refuse" (nothing computable: a figure or rate is missing, a word is unknown). Rows are
split "dev" (tuned on) and "heldout" (never tuned on: report that one).

Scoring, per row:
  * expect answer: right when |result - answer| <= tolerance, wrong when another figure comes
    back, refused when calc declines (a refusal is not wrong, but it is not right either);
  * expect refuse: right when calc declines, wrong when it answers anything.

The baseline is the calc package as it is at a git ref (default: main), extracted into a temp
folder and imported beside the current one. Import time of both is measured the same way
(`python -X importtime`, N runs alternating, min/median/max).

    python packaging/bench/bench_calc.py [--baseline main] [--list dev] [--import-runs 11]

Targets (issue 13): heldout >= 95 % right, 0 wrong; refusals counted apart.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).with_name("data") / "calc_devset.jsonl"
TARGET_RIGHT, TARGET_WRONG = 0.95, 0


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extract_baseline(ref: str, into: Path) -> str:
    """The calc package at ``ref`` as an importable package named calc_baseline under ``into``."""
    pkg = into / "calc_baseline"
    pkg.mkdir(parents=True)
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", f"{ref}:plugins/calc"],
                           check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        if name.endswith((".py", ".toml")):
            blob = subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:plugins/calc/{name}"],
                                  check=True, capture_output=True).stdout
            (pkg / name).write_bytes(blob)
    return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", ref], check=True, capture_output=True,
                          text=True).stdout.strip()


def score(solve, rows: list[dict]) -> list[dict]:
    """One outcome per row: right / wrong / refused, with what came back."""
    out = []
    for row in rows:
        start = time.perf_counter()
        data = solve(row["prompt"]).data
        elapsed = time.perf_counter() - start
        got = data.get("result")
        if row["expect"] == "refuse":
            outcome = "right" if got is None else "wrong"
        elif got is None:
            outcome = "refused"
        else:
            try:
                ok = abs(Decimal(got) - Decimal(row["answer"])) <= Decimal(row.get("tolerance") or "0")
            except InvalidOperation:
                ok = False
            outcome = "right" if ok else "wrong"
        out.append({"id": row["id"], "split": row["split"], "outcome": outcome, "got": got,
                    "error": data.get("error"), "seconds": elapsed, "row": row})
    return out


def summary(outcomes: list[dict], split: str) -> dict:
    rows = [o for o in outcomes if o["split"] == split]
    n = len(rows)
    counts = {k: sum(o["outcome"] == k for o in rows) for k in ("right", "wrong", "refused")}
    return {"n": n, **counts, "right_pct": 100 * counts["right"] / n if n else 0.0}


def import_times(python: str, runs: int, baseline_dir: Path) -> dict[str, list[float]]:
    """Cumulative import time (ms) of each package, from python -X importtime, runs alternating."""
    times: dict[str, list[float]] = {"baseline": [], "now": []}
    env_now = dict(os.environ)
    env_base = dict(os.environ, PYTHONPATH=os.pathsep.join([str(baseline_dir), env_now.get("PYTHONPATH", "")]))
    for _ in range(runs):
        for name, module, env in (("baseline", "calc_baseline", env_base), ("now", "slm.plugins.calc", env_now)):
            err = subprocess.run([python, "-X", "importtime", "-c", f"import {module}"], capture_output=True,
                                 text=True, env=env, check=True).stderr
            line = [ln for ln in err.splitlines() if ln.rstrip().endswith(f"| {module}")][-1]
            times[name].append(int(line.split("|")[1]) / 1000)
    return times


def _mmm(values: list[float]) -> str:
    return f"min {min(values):.1f} / median {statistics.median(values):.1f} / max {max(values):.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--baseline", default="main", help="git ref of the baseline calc (default: main)")
    parser.add_argument("--list", choices=["dev", "heldout", "none"], default="none",
                        help="list the rows that were not right in this split")
    parser.add_argument("--import-runs", type=int, default=11, help="import-time runs per package (0: skip)")
    parser.add_argument("--json", type=Path, help="write the outcomes here")
    args = parser.parse_args(argv)

    rows = load_rows(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        rev = extract_baseline(args.baseline, Path(tmp))
        sys.path.insert(0, tmp)
        baseline = importlib.import_module("calc_baseline")
        from slm.plugins import calc as current

        results = {"baseline": score(baseline.solve, rows), "now": score(current.solve, rows)}
        times = import_times(sys.executable, args.import_runs, Path(tmp)) if args.import_runs else None

    print(f"calc question set: {args.data.name}, {len(rows)} rows; baseline = calc at {args.baseline} ({rev})")
    print(f"{'split':8} {'parser':9} {'n':>4} {'right':>6} {'wrong':>6} {'refused':>8} {'right %':>8}")
    failed = False
    for split in ("dev", "heldout"):
        for name in ("baseline", "now"):
            s = summary(results[name], split)
            print(f"{split:8} {name:9} {s['n']:4} {s['right']:6} {s['wrong']:6} {s['refused']:8} {s['right_pct']:7.1f}%")
            if split == "heldout" and name == "now":
                failed = s["right_pct"] < 100 * TARGET_RIGHT or s["wrong"] > TARGET_WRONG
    per_prompt = [o["seconds"] * 1000 for o in results["now"]]
    print(f"time per prompt (now, ms): {_mmm(per_prompt)}")
    if times:
        ratios = [n / b for n, b in zip(times["now"], times["baseline"])]
        print(f"import time, cumulative ms ({len(times['now'])} runs, alternating; load {os.getloadavg()[0]:.2f}):")
        print(f"  baseline {_mmm(times['baseline'])}")
        print(f"  now      {_mmm(times['now'])}")
        print(f"  now/baseline {_mmm(ratios)}")
    print(f"targets: heldout right >= {100 * TARGET_RIGHT:.0f}%, wrong = {TARGET_WRONG}: {'MISSED' if failed else 'met'}")
    if args.list != "none":
        for name in ("now",):
            for o in results[name]:
                if o["split"] == args.list and o["outcome"] != "right":
                    r = o["row"]
                    print(f"  {o['outcome']:7} {r['id']} {r['prompt']!r} expect {r['expect']} {r['answer']} "
                          f"got {o['got']} {('(' + o['error'] + ')') if o['error'] else ''}")
    if args.json:
        args.json.write_text(json.dumps({k: [{x: o[x] for x in ("id", "split", "outcome", "got", "error")}
                                             for o in v] for k, v in results.items()}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

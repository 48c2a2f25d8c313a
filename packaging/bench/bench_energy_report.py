"""Time to report `slm energy` on a 10,000-request history; its file size; a sample output.

Target: <= 0.3 s for `slm energy` on 10,000 requests.

The history is built in a temporary SLM_HOME: the first --through-record rows
go through EnergyHistory.record (the pipeline's own write path, ~15 ms each on
a disk that syncs), the rest in one transaction into the table that
EnergyHistory created (same columns, same values). Rows are spread over 30
days with a mix like a field device's: calc answers without a model, local
model plugins, offloaded and queued requests, measured and estimated joules.

Timed side by side in one run, min / median / max over --runs:
  * in process: build_report + render_text (what the CLI does after start-up);
  * the CLI end to end: `python -m slm.cli.main energy --by plugin` (and --json,
    --html), beside `python -m slm.cli.main --version` (interpreter + click start-up),
    so the report's own share is the difference.

    python packaging/bench/bench_energy_report.py [--requests 10000] [--runs 15]
"""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from slm.config import load_settings
from slm.energy.history import EnergyHistory
from slm.energy.references import load_reference
from slm.energy.render import render_text
from slm.energy.report import build_report

TARGET_S = 0.3
_PLUGINS = (("email", "qwen2.5-0.5b-instruct"), ("notes", "qwen2.5-0.5b-instruct"),
            ("extract", "smollm2-135m-instruct"), ("kb", "smollm2-135m-instruct"))


def synthetic_row(rng: random.Random, ts: float) -> tuple:
    """(ts, model, where, joules, tokens, co2_g, method, source, plugin, prompt, completion)."""
    kind = rng.random()
    method, source = (("measured+attributed", "rapl") if rng.random() < 0.6 else ("estimated", "cpu-time"))
    if kind < 0.35:  # calc: no model, a few mJ
        j = rng.uniform(0.002, 0.05)
        return (ts, "", "local", j, 0, j / 3.6e6 * 475, method, source, "calc", 0, 0)
    if kind < 0.80:
        plugin, model = rng.choice(_PLUGINS)
        p, c = rng.randint(30, 600), rng.randint(8, 250)
        j = c * rng.uniform(0.15, 0.6) + p * 0.01
        return (ts, model, "local", j, p + c, j / 3.6e6 * 475, method, source, plugin, p, c)
    if kind < 0.95:  # offloaded: local joules of redaction and the HTTP round trip
        p, c = rng.randint(30, 600), rng.randint(8, 400)
        j = rng.uniform(0.05, 0.4)
        return (ts, "gpt-4o-mini", "cloud", j, p + c, j / 3.6e6 * 475, "estimated", "cpu-time",
                rng.choice((None, "email")), p, c)
    j = rng.uniform(0.02, 0.1)
    return (ts, "", "queued", j, 0, j / 3.6e6 * 475, "estimated", "cpu-time", "email", 0, 0)


def build_history(home: Path, requests: int, through_record: int, seed: int = 17) -> tuple[EnergyHistory, float]:
    settings = load_settings(env={"SLM_HOME": str(home)})
    history = EnergyHistory(settings)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    n_record = max(1, min(through_record, requests))  # the first write creates the table
    for _ in range(n_record):
        (_, model, where, j, tok, co2, method, source, plugin, p, c) = synthetic_row(rng, 0.0)
        history.record(model or None, j, tok, where, co2_g=co2, method=method, source=source, plugin=plugin,
                       prompt_tokens=p, completion_tokens=c)
    per_record = (time.perf_counter() - t0) / max(n_record, 1)
    now = time.time()
    rest = [synthetic_row(rng, now - rng.uniform(0, 30 * 86400)) for _ in range(requests - n_record)]
    conn = sqlite3.connect(history.path)
    with conn:
        conn.executemany("INSERT INTO energy (ts, model, where_, joules, tokens, co2_g, method, source, plugin, "
                         "prompt_tokens, completion_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rest)
    conn.close()
    return history, per_record


def spread(values: list[float]) -> str:
    return f"min {min(values) * 1e3:.1f} / median {statistics.median(values) * 1e3:.1f} / max {max(values) * 1e3:.1f} ms"


def time_in_process(history: EnergyHistory, runs: int) -> list[float]:
    ref = load_reference()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        render_text(build_report(history, reference=ref, by=("plugin",)))
        out.append(time.perf_counter() - t)
    return out


def time_cli(args: list[str], env: dict, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "slm.cli.main", *args], env=env, capture_output=True,
                              text=True, check=False)
        out.append(time.perf_counter() - t)
        if proc.returncode != 0:
            raise SystemExit(f"slm {' '.join(args)} failed: {proc.stderr.strip()}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--through-record", type=int, default=200)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        history, per_record = build_history(home, args.requests, args.through_record)
        size = history.path.stat().st_size
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLM_")} | {"SLM_HOME": str(home)}

        in_proc = time_in_process(history, args.runs)
        # Interleaved, so machine load drifts over all of them alike.
        cli_text, cli_json, cli_html, cli_version = [], [], [], []
        for _ in range(args.runs):
            cli_version += time_cli(["--version"], env, 1)
            cli_text += time_cli(["energy", "--by", "plugin"], env, 1)
            cli_json += time_cli(["energy", "--json", "--by", "day"], env, 1)
            cli_html += time_cli(["energy", "--html", "-o", str(Path(tmp) / "r.html")], env, 1)
        sample = subprocess.run([sys.executable, "-m", "slm.cli.main", "energy", "--by", "plugin"], env=env,
                                capture_output=True, text=True, check=True).stdout

    median_text = statistics.median(cli_text)
    print(f"history: {args.requests:,} requests ({args.through_record:,} through EnergyHistory.record at "
          f"{per_record * 1e3:.1f} ms each, the rest in one transaction), {size:,} bytes "
          f"({size / args.requests:.0f} bytes/request)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; runs: {args.runs}")
    print(f"in process  build_report + render_text     {spread(in_proc)}")
    print(f"CLI         slm --version (start-up only)  {spread(cli_version)}")
    print(f"CLI         slm energy --by plugin         {spread(cli_text)}")
    print(f"CLI         slm energy --json --by day     {spread(cli_json)}")
    print(f"CLI         slm energy --html -o FILE      {spread(cli_html)}")
    print(f"ratio slm energy / slm --version (medians): {median_text / statistics.median(cli_version):.2f}")
    verdict = "met" if median_text <= TARGET_S else "MISSED"
    print(f"target: slm energy <= {TARGET_S} s on {args.requests:,} requests: median {median_text:.3f} s, {verdict}")
    print("\nsample output:\n" + sample)


if __name__ == "__main__":
    main()

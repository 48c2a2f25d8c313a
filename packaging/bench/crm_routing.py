"""The CRM routing set for bench_router.py: field-staff prompts, a kb corpus beside them.

packaging/bench/data/crm_routing/routing.jsonl was written independently of the
plugins' examples and of this router (by another author, as field staff type: payloads
with numbers, typos, five languages and a few unsupported ones, questions about the
invented company's documents in kb_corpus/). Rows carry ``split``: "dev" (what the
router's choices were tuned on) and "heldout" (reported, never tuned on).

Both routers are scored in the same run on the same prompts, each in a fresh SLM_HOME
with kb_corpus indexed: this tree's, and a baseline git ref's (default: main), whose
code is exported with ``git archive`` and run in a subprocess.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "packaging" / "bench" / "data" / "crm_routing"
LABELS = ("calc", "notes", "email", "extract", "kb", None)

# run by the baseline's own Python code: train its router, index the corpus, route the prompts
_BASELINE_SCRIPT = r'''
import json, sys, tempfile, time
from pathlib import Path
from slm.config import load_settings
from slm.host.host import PluginHost
from slm.router import Router
from slm.plugins.kb.index import KbIndex, kb_dir
prompts = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
home = Path(tempfile.mkdtemp())
settings = load_settings(env={}, home=home)
KbIndex(kb_dir(settings.data_dir)).add([sys.argv[2]])
router = Router(settings, examples_provider=PluginHost(settings))
t0, c0 = time.perf_counter(), time.process_time()
report = router.train(force=True)
train_s, train_cpu = time.perf_counter() - t0, time.process_time() - c0
out = [d.to_dict() for d in router.route_many(prompts)]
sys.path.insert(0, sys.argv[3])
from bench_router import latency
import slm
print(json.dumps({"decisions": out, "train_s": train_s, "train_cpu_s": train_cpu,
                  "artifact_bytes": report.artifact_bytes, "latency": latency(router.route, prompts),
                  "code": slm.__file__}))
'''


def load_rows(split: str | None = None, path: Path = DATA / "routing.jsonl") -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def score(predicted: list[str | None], gold: list[str | None]) -> dict:
    """Accuracy over every prompt, in-scope accuracy, none recall, per-route recall/precision,
    and the confusion pairs (gold -> predicted)."""
    pairs = list(zip(gold, predicted))
    n_in = sum(1 for g, _ in pairs if g is not None)
    n_none = len(pairs) - n_in
    out = {"prompts": len(pairs),
           "accuracy": round(100 * sum(g == p for g, p in pairs) / len(pairs), 2) if pairs else None,
           "in_scope_accuracy": round(100 * sum(g == p for g, p in pairs if g is not None) / n_in, 2) if n_in else None,
           "none_recall": round(100 * sum(p is None for g, p in pairs if g is None) / n_none, 2) if n_none else None,
           "per_route": {}}
    for label in LABELS:
        gold_n = sum(1 for g, _ in pairs if g == label)
        pred_n = sum(1 for _, p in pairs if p == label)
        hit = sum(1 for g, p in pairs if g == p == label)
        out["per_route"][str(label)] = {
            "recall": round(100 * hit / gold_n, 1) if gold_n else None,
            "precision": round(100 * hit / pred_n, 1) if pred_n else None, "gold": gold_n, "predicted": pred_n}
    confusion = Counter(f"{g}->{p}" for g, p in pairs if g != p)
    out["confusion"] = dict(confusion.most_common())
    return out


def by_tag(predicted: list[str | None], rows: list[dict]) -> dict:
    """Accuracy per tag (payload, numbers, nonenglish, ...)."""
    tags = sorted({t for r in rows for t in r.get("tags", [])})
    out = {}
    for tag in tags:
        idx = [i for i, r in enumerate(rows) if tag in r.get("tags", [])]
        out[tag] = (round(100 * sum(predicted[i] == rows[i]["plugin"] for i in idx) / len(idx), 1), len(idx))
    return out


def route_here(prompts: list[str], corpus: Path, config=None, home: Path | None = None):
    """(router, decisions, train seconds): this tree's router in a fresh home (``home``, else a new
    temporary folder) with ``corpus`` indexed the way `slm kb add` does it (index, then calibrate)."""
    from slm.config import load_settings
    from slm.host.host import PluginHost
    from slm.plugins.kb.index import KbIndex, kb_dir
    from slm.plugins.kb.routing import calibrate
    from slm.router import Router
    from slm.router.trainer import TrainConfig

    home = Path(home) if home is not None else Path(tempfile.mkdtemp(prefix="slm-bench-"))
    settings = load_settings(env={}, home=home)
    index = KbIndex(kb_dir(settings.data_dir))
    index.add([corpus])
    calibrate(index)
    router = Router(settings, examples_provider=PluginHost(settings), config=config or TrainConfig())
    t0 = time.perf_counter()
    report = router.train(force=True)
    train_s = time.perf_counter() - t0
    return router, report, router.route_many(prompts), train_s


def route_baseline(ref: str, prompts: list[str], corpus: Path, *, clinc: Path | None = None) -> dict:
    """The router of git ``ref`` (its own code, exported) on the same prompts, in a subprocess;
    with ``clinc``, also ``ref``'s own CLINC150 benchmark (its bench_router.py --json)."""
    with tempfile.TemporaryDirectory(prefix="slm-baseline-") as tmp:
        tmp = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref],
                                 check=True, capture_output=True).stdout
        src = tmp / "src"
        src.mkdir()
        tar_path = tmp / "src.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(src)
        # the installed package's layout (pyproject's package-dir): slm = runtime/, slm.cli = cli/, ...
        pkg = tmp / "path" / "slm"
        shutil.copytree(src / "runtime", pkg)
        for sub, folder in (("cli", "cli"), ("plugins", "plugins"), ("models", "models")):
            shutil.rmtree(pkg / sub, ignore_errors=True)
            shutil.copytree(src / folder, pkg / sub)
        (tmp / "prompts.json").write_text(json.dumps(prompts), encoding="utf-8")
        (tmp / "run.py").write_text(_BASELINE_SCRIPT, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(tmp / "path")}
        bench = src / "packaging" / "bench"
        done = subprocess.run([sys.executable, str(tmp / "run.py"), str(tmp / "prompts.json"), str(corpus),
                               str(bench)], capture_output=True, text=True, env=env, cwd=tmp)
        if done.returncode != 0:
            raise SystemExit(f"error: the baseline ({ref}) failed: {done.stderr.strip()[-800:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if not result["code"].startswith(str(tmp)):
            raise SystemExit(f"error: the baseline ran this tree's code ({result['code']}), not {ref}'s")
        if clinc is not None:
            # --no-baseline: the exported tree has no git history to take a baseline of its own from
            done = subprocess.run([sys.executable, str(bench / "bench_router.py"), "--json", "--no-baseline",
                                   "--clinc", str(clinc)],
                                  capture_output=True, text=True, env=env, cwd=src)
            if done.returncode != 0:
                raise SystemExit(f"error: the baseline's CLINC150 run failed: {done.stderr.strip()[-800:]}")
            result["clinc150"] = json.loads(done.stdout[done.stdout.index("{"):])["clinc150"]
        return result

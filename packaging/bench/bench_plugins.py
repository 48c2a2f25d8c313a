"""The CRM plugins (notes, email, extract, kb) on a real small model, beside the same model prompted naively.

Data: packaging/bench/data/crm/ (written by independent authors; see its README). Reports
on the "heldout" split by default (tune on "dev" only). Model: SmolLM2-135M-Instruct Q4_1
(fetched by tests/real_model.py, imported into a throw-away SLM_HOME through
``slm models import``'s path), 2 threads. Per plugin, for slm and for the baseline (raw
llama-cpp-python ``create_chat_completion`` with the user's prompt, nothing else):

  * failed requests (an error, or for the baseline extract: no JSON);
  * invented facts: numbers, date words and proper names in the output that the input
    lacks (crm_scoring.invented_facts: the benchmark's own counter, not the plugins' filter);
  * notes: time of each note beside its word count (target: a 400-word note <= 15 s);
  * email: subject + body present, no repeated sentence, right mode (target 100 %);
  * extract: field precision / recall overall and per field (target P >= 0.95, R >= 0.85,
    people and companies R >= 0.8); action items matched;
  * kb: answer accuracy (target >= 85 %) and citation precision (cited passages that contain
    the answer, target >= 95 %); the baseline is given the same top passages;
  * seconds per request (min / median / max, timed here with perf_counter; slm's own
    total_ms beside it) and joules per request (slm's energy meter for both sides).

    python packaging/bench/bench_plugins.py [--split heldout|dev|all] [--plugins notes,email,extract,kb]
                                            [--limit N] [--threads 2] [--no-baseline] [--json OUT]

The CPU may be shared: `uptime` load averages are printed before and after.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "crm"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "tests"))

import crm_scoring as score

PLUGINS = ("notes", "email", "extract", "kb")
BASELINE_MAX_TOKENS = 256  # the naive answers run to the limit; 256 keeps the run under an hour on a shared CPU


ITEMS = DATA  # where NAME.jsonl are read from (--items); the kb corpus stays DATA / "kb_corpus"


def load(name: str, split: str) -> list[dict]:
    rows = [json.loads(line) for line in (ITEMS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split == "all" or r["split"] == split]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def stats(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


class Slm:
    """Requests through slm's real pipeline (Runtime.ask with the plugin named), local only."""

    def __init__(self, home: Path, model: str, threads: int):
        from slm.api import Runtime
        from slm.config import load_settings

        (home / "config.toml").write_text("".join(f'[plugins.{p}]\nmodel = "{model}"\n' for p in PLUGINS),
                                          encoding="utf-8")
        env = {"SLM_HOME": str(home), "SLM_THREADS": str(threads), "SLM_OFFLOAD": "0"}
        self.runtime = Runtime(load_settings(env=env))

    def ask(self, plugin: str, prompt: str) -> dict:
        started = time.perf_counter()
        try:
            result = self.runtime.ask(prompt, plugin=plugin, local_only=True)
        except Exception as exc:  # noqa: BLE001 - a failed request is a figure here, not a crash
            return {"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - started}
        return {"text": result.text, "data": result.data, "seconds": time.perf_counter() - started,
                "total_ms": result.timings.total_ms, "joules": (result.energy or {}).get("joules")}


class Naive:
    """The same model through raw llama-cpp-python: the user's prompt as the only message."""

    def __init__(self, path: Path, threads: int, meter):
        import llama_cpp

        from slm.backends.llama import model_params
        from slm.device import llama_extra_buffers

        # the same AMX workaround slm applies on this CPU (llama.cpp #20824)
        with model_params(extra_buffers=llama_extra_buffers("auto")):
            self.llm = llama_cpp.Llama(str(path), n_ctx=4096, n_threads=threads, n_threads_batch=threads,
                                       verbose=False, seed=0)
        self.meter = meter

    def ask(self, prompt: str) -> dict:
        window = self.meter.begin()
        started = time.perf_counter()
        try:
            out = self.llm.create_chat_completion([{"role": "user", "content": prompt}],
                                                  max_tokens=BASELINE_MAX_TOKENS, seed=0)
            text = out["choices"][0]["message"]["content"] or ""
        except Exception as exc:  # noqa: BLE001 - a failed request is a figure here, not a crash
            return {"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - started}
        seconds = time.perf_counter() - started
        return {"text": text, "seconds": seconds, "joules": window.end().joules}


def invented(rows: list[dict], outs: list[dict], source_key: str = "prompt") -> tuple[int, int]:
    total = items = 0
    for row, out in zip(rows, outs):
        if "error" in out:
            continue
        found = score.invented_facts(out["text"], row[source_key])
        total += len(found)
        items += bool(found)
        out["invented"] = found
    return total, items


def report_common(name: str, side: str, outs: list[dict]) -> dict:
    failed = sum(1 for o in outs if "error" in o)
    secs = [o["seconds"] for o in outs if "error" not in o]
    joules = [o["joules"] for o in outs if o.get("joules") is not None]
    own = [o["total_ms"] / 1000 for o in outs if o.get("total_ms")]
    return {"plugin": name, "side": side, "requests": len(outs), "failed": failed,
            "seconds_min_med_max": stats(secs), "runtime_total_s_median": round(statistics.median(own), 2) if own else None,
            "joules_median": round(statistics.median(joules), 1) if joules else None}


def bench_notes(rows, slm, naive):
    out = {}
    for side, run in (("slm", lambda r: slm.ask("notes", r["prompt"])), ("baseline", lambda r: naive.ask(r["prompt"]))):
        if run is None or (side == "baseline" and naive is None):
            continue
        outs = [run(r) for r in rows]
        rep = report_common("notes", side, outs)
        rep["invented_facts"], rep["items_with_invented"] = invented(rows, outs)
        words = [len(r["notes"].split()) for r in rows]
        long = [(w, o["seconds"]) for w, o in zip(words, outs) if w >= 350 and "error" not in o]
        rep["notes_350_words_plus_s"] = stats([s for _w, s in long])
        rep["longest_note"] = max(zip(words, [o.get("seconds", 0) for o in outs])) if rows else None
        if side == "slm":
            rep["extractive_summaries"] = sum(1 for o in outs if (o.get("data") or {}).get("summary_source") == "extractive")
        out[side] = (rep, outs)
    return out


def _email_ok(text: str, data: dict | None, row: dict) -> dict:
    subject = (data or {}).get("subject") if data else None
    body = (data or {}).get("body") if data else None
    if data is None:  # baseline: a "Subject:" line and text after it
        m = re.search(r"(?im)^\s*\**subject\**\s*:\s*(.+)$", text)
        subject = m.group(1).strip() if m else None
        body = text[m.end():].strip() if m else text.strip()
    has_both = bool(subject and subject.strip()) and len(score.sentences(body or "")) >= 1
    repeated = score.repeated_sentence(body or "")
    mode = (data or {}).get("mode")
    return {"subject_and_body": has_both, "repeated": repeated, "mode_ok": mode == row["mode"] if data else None,
            "mentions": sum(1 for m in row["gold"]["must_mention"] if m.lower() in (text or "").lower()),
            "must_mention": len(row["gold"]["must_mention"])}


def bench_email(rows, slm, naive):
    out = {}
    for side in ("slm", "baseline"):
        if side == "baseline" and naive is None:
            continue
        outs = [slm.ask("email", r["prompt"]) if side == "slm" else naive.ask(r["prompt"]) for r in rows]
        rep = report_common("email", side, outs)
        rep["invented_facts"], rep["items_with_invented"] = invented(rows, outs)
        checks = [_email_ok(o["text"], o.get("data") if side == "slm" else None, r) if "error" not in o else None
                  for r, o in zip(rows, outs)]
        good = [c for c in checks if c]
        rep["subject_and_body"] = f"{sum(c['subject_and_body'] for c in good)}/{len(rows)}"
        rep["no_repeated_sentence"] = f"{sum(not c['repeated'] for c in good)}/{len(rows)}"
        rep["right_mode"] = f"{sum(bool(c['mode_ok']) for c in good)}/{len(rows)}" if side == "slm" else "n/a"
        rep["all_three"] = (f"{sum(c['subject_and_body'] and not c['repeated'] and bool(c['mode_ok']) for c in good)}"
                            f"/{len(rows)}") if side == "slm" else "n/a"
        rep["must_mention_kept"] = f"{sum(c['mentions'] for c in good)}/{sum(c['must_mention'] for c in good)}"
        if side == "slm":
            rep["model_bodies"] = sum(1 for o in outs if (o.get("data") or {}).get("body_source") == "model")
        out[side] = (rep, outs)
    return out


def _json_in(text: str) -> dict | None:
    m = re.search(r"\{.*\}", text or "", re.DOTALL)
    if not m:
        return None
    try:
        value = json.loads(m.group())
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _baseline_fields(value: dict) -> dict:
    """A naive answer's JSON, read generously: any key naming a field, any list or string under it."""
    out: dict = {f: [] for f in score.EXTRACT_FIELDS}
    for key, v in value.items():
        k = key.lower()
        field = next((f for f in score.EXTRACT_FIELDS if f.rstrip("s").split("_")[0] in k), None)
        if field is None:
            continue
        items = v if isinstance(v, list) else [v]
        for item in items:
            if field == "people":
                name = item.get("name") if isinstance(item, dict) else item
                if isinstance(name, str):
                    out["people"].append({"name": name})
            elif isinstance(item, str):
                out[field].append(item)
            elif isinstance(item, dict):
                out[field] += [x for x in item.values() if isinstance(x, str)]
    return out


def bench_extract(rows, slm, naive):
    out = {}
    for side in ("slm", "baseline"):
        if side == "baseline" and naive is None:
            continue
        outs = []
        for r in rows:
            if side == "slm":
                o = slm.ask("extract", r["prompt"])
            else:
                o = naive.ask(r["prompt"] + "\n\nReturn the fields as JSON.")
                if "error" not in o:
                    value = _json_in(o["text"])
                    if value is None:
                        o["error"] = "no JSON in the answer"
                    else:
                        o["data"] = _baseline_fields(value)
            outs.append(o)
        rep = report_common("extract", side, outs)
        tot = {f: [0, 0, 0] for f in score.EXTRACT_FIELDS}
        acts = [0, 0]
        for r, o in zip(rows, outs):
            data = o.get("data") if "error" not in o else None
            sc = score.score_extract(data or {}, r["gold"])
            for f, (a, b, c) in sc.items():
                tot[f][0] += a
                tot[f][1] += b
                tot[f][2] += c
            hit, n = score.action_recall((data or {}).get("action_items", []), r["gold"]["action_items"])
            acts[0] += hit
            acts[1] += n
        A = sum(t[0] for t in tot.values())
        B = sum(t[1] for t in tot.values())
        C = sum(t[2] for t in tot.values())
        rep["precision"], rep["recall"] = round(A / max(B, 1), 3), round(A / max(C, 1), 3)
        rep["per_field"] = {f: f"P {t[0] / max(t[1], 1):.2f} R {t[0] / max(t[2], 1):.2f} ({t[0]}/{t[1]}/{t[2]})"
                            for f, t in tot.items()}
        rep["action_items_matched"] = f"{acts[0]}/{acts[1]}"
        out[side] = (rep, outs)
    return out


def _passage_text(source: dict) -> str:
    lines = (DATA / "kb_corpus" / Path(source["path"]).name).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[source["start_line"] - 1:source["end_line"]])


def bench_kb(rows, slm, naive):
    from slm.plugins.kb.index import KbIndex

    index = KbIndex.for_settings(slm.runtime.settings)
    index.add([DATA / "kb_corpus"])
    out = {}
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in sorted((DATA / "kb_corpus").glob("*.md")))
    for side in ("slm", "baseline"):
        if side == "baseline" and naive is None:
            continue
        outs = []
        for r in rows:
            if side == "slm":
                o = slm.ask("kb", r["prompt"])
                if "error" not in o:
                    o["answer"] = (o["data"] or {}).get("answer") or ""
                    o["not_found"] = (o["data"] or {}).get("mode") == "not_found"
                    # facts are checked in the answer (its [n] citations are not facts), not in the Sources listing
                    o["text"] = re.sub(r"\[\d{1,2}\]", "", o["answer"])
            else:
                hits = index.search(r["prompt"], 4)
                blocks = "\n\n".join(f"[{i}] {h.text}" for i, h in enumerate(hits, 1))
                o = naive.ask(f"{blocks}\n\n{r['prompt']}")
                if "error" not in o:
                    o["answer"] = o["text"]
                    o["not_found"] = bool(re.search(r"(?i)\b(?:do(?:es)? not (?:say|mention|contain|specify)|"
                                                    r"no information|not (?:mentioned|specified|provided))", o["text"]))
            outs.append(o)
        rep = report_common("kb", side, outs)
        correct = cited = cited_ok = 0
        for r, o in zip(rows, outs):
            if "error" in o:
                continue
            if r["answerable"]:
                o["correct"] = all(a.lower() in o["answer"].lower() for a in r["answer_contains"])
            else:
                o["correct"] = o["not_found"]
            correct += o["correct"]
            for s in (o.get("data") or {}).get("sources", []) if side == "slm" else []:
                cited += 1
                text = _passage_text(s).lower()
                cited_ok += bool(r["answerable"]) and all(a.lower() in text for a in r["answer_contains"])
        rep["accuracy"] = f"{correct}/{len(rows)} ({correct / max(len(rows), 1):.0%})"
        rep["citation_precision"] = f"{cited_ok}/{cited} ({cited_ok / max(cited, 1):.0%})" if side == "slm" else "n/a (no citations)"
        rep["invented_facts"], rep["items_with_invented"] = invented(
            [{"prompt": r["prompt"] + "\n" + corpus} for r in rows], outs)
        out[side] = (rep, outs)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="heldout", choices=("heldout", "dev", "all"))
    ap.add_argument("--plugins", default=",".join(PLUGINS))
    ap.add_argument("--limit", type=int, default=0, help="at most N items per plugin (0: all)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json", type=Path, help="write every answer and figure here")
    ap.add_argument("--items", type=Path, default=DATA,
                    help="folder of NAME.jsonl item files (e.g. data/fresh_heldout; their kb questions are "
                         "over data/crm/kb_corpus)")
    args = ap.parse_args(argv)
    global ITEMS
    ITEMS = args.items
    from real_model import import_real_model, real_model_file

    print(f"load average before: {loadavg()}  (threads {args.threads}, split {args.split})", flush=True)
    home = Path(tempfile.mkdtemp(prefix="slm-bench-plugins-"))
    model = import_real_model(home)
    slm = Slm(home, model, args.threads)
    naive = None if args.no_baseline else Naive(real_model_file(), args.threads, slm.runtime.energy_meter)
    benches = {"notes": bench_notes, "email": bench_email, "extract": bench_extract, "kb": bench_kb}
    report: dict = {"load_before": loadavg(), "split": args.split, "threads": args.threads, "plugins": {}}
    for name in [p.strip() for p in args.plugins.split(",") if p.strip()]:
        rows = load(name, args.split)
        rows = rows[:args.limit] if args.limit else rows
        started = time.perf_counter()
        results = benches[name](rows, slm, naive)
        print(f"\n== {name}: {len(rows)} items ({time.perf_counter() - started:.0f} s, load {loadavg()})", flush=True)
        report["plugins"][name] = {}
        for side, (rep, outs) in results.items():
            print(f"  [{side}] " + "  ".join(f"{k}={v}" for k, v in rep.items() if k not in ("plugin", "side",
                                                                                         "per_field")), flush=True)
            if "per_field" in rep:
                for f, v in rep["per_field"].items():
                    print(f"      {f:18} {v}")
            report["plugins"][name][side] = {"figures": rep, "answers": [
                {k: v for k, v in o.items() if k in ("text", "error", "seconds", "invented", "correct")}
                | {"id": r["id"]} for r, o in zip(rows, outs)]}
    report["load_after"] = loadavg()
    print(f"\nload average after: {loadavg()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    slm.runtime.close()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # both sides: spinning threads starve on a shared CPU
    sys.exit(main())

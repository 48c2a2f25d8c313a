#!/usr/bin/env python3
"""Validate the hand-written item lists and write routing.jsonl, calc.jsonl,
kb.jsonl into the parent folder.  Nothing is written if any check fails.
Standard library only; output is deterministic."""
import ast
import json
import math
import os
import random
import re
import sys
from collections import Counter
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
OUTDIR = os.path.dirname(HERE)
sys.path.insert(0, HERE)

CORPUS_A = "/work/main/packaging/bench/data/crm_routing/kb_corpus"
CORPUS_B = "/work/main/packaging/bench/data/crm/kb_corpus"

import routing_calc_notes as rcn          # noqa: E402
import routing_email_extract as ree       # noqa: E402
import routing_kb_null as rkn             # noqa: E402
import calc_items                         # noqa: E402
import kb_items                           # noqa: E402

ERRORS = []
WARN = []


def err(msg):
    ERRORS.append(msg)


def load_corpus(d):
    out = {}
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".md"):
            with open(os.path.join(d, fn), encoding="utf-8") as f:
                out[fn] = f.read()
    return out


A = load_corpus(CORPUS_A)
B = load_corpus(CORPUS_B)

LANGS = {"en", "es", "fr", "de", "pt", "it", "nl"}
MANUAL_TAGS = {"payload", "instr_start", "instr_end", "instr_mid", "hard",
               "typos", "sms", "other_brand"}
INSTR = ("instr_start", "instr_end", "instr_mid")
KB_FORBIDDEN = re.compile(r"\b(manuals?|docs?|documentation|polic(y|ies))\b", re.I)
SHORT_MAX = 40
LONG_MIN = 500

# --------------------------------------------------------------- routing
def build_routing():
    raw = []
    for src in (rcn.CALC, rcn.NOTES, ree.EMAIL, ree.EXTRACT, rkn.KB, rkn.NULL):
        for ent in src:
            raw.append(ent)
    rows = []
    seen = set()
    for i, ent in enumerate(raw):
        plugin, lang, tags, prompt = ent[0], ent[1], ent[2], ent[3]
        ev = ent[4] if len(ent) > 4 else None
        label = None if plugin == "null" else plugin
        prompt = prompt.strip("\n")
        if prompt in seen:
            err(f"routing duplicate prompt: {prompt[:60]!r}")
        seen.add(prompt)
        if lang not in LANGS:
            err(f"routing bad lang {lang}: {prompt[:40]!r}")
        mt = set(tags.split())
        # 'short'/'long'/'numbers'/'non_en' are computed, never hand-set
        mt -= {"short", "long", "numbers", "non_en"}
        bad = mt - MANUAL_TAGS
        if bad:
            err(f"routing unknown tags {bad}: {prompt[:40]!r}")
        t = set(mt)
        if re.search(r"\d", prompt):
            t.add("numbers")
        if lang != "en":
            t.add("non_en")
        if len(prompt) <= SHORT_MAX:
            t.add("short")
        if len(prompt) >= LONG_MIN:
            t.add("long")
        n_instr = sum(1 for x in INSTR if x in t)
        if "payload" in t and n_instr != 1:
            err(f"payload row needs exactly one instr_* tag: {prompt[:50]!r}")
        if "payload" not in t and n_instr:
            err(f"instr_* without payload: {prompt[:50]!r}")
        if "payload" in t and "\n" not in prompt:
            err(f"payload row without pasted block: {prompt[:50]!r}")
        if plugin == "kb":
            if ev is None:
                err(f"kb row without evidence: {prompt[:50]!r}")
            else:
                doc, snip = ev
                if doc not in A:
                    err(f"kb doc missing {doc}")
                elif snip not in A[doc]:
                    err(f"kb evidence not verbatim in {doc}: {snip!r}")
            if KB_FORBIDDEN.search(prompt):
                err(f"kb prompt uses forbidden word: {prompt[:60]!r}")
        elif ev is not None:
            err("evidence on non-kb row")
        rows.append({"prompt": prompt, "plugin": label, "lang": lang,
                     "split": "heldout", "tags": sorted(t),
                     "_ev": ev})
    # deterministic shuffle so labels are interleaved
    random.Random(20261202).shuffle(rows)
    for i, r in enumerate(rows, 1):
        r["id"] = f"r{i:04d}"
    # ---- counts
    lab = Counter(r["plugin"] for r in rows)
    for p in ("calc", "notes", "email", "extract", "kb", None):
        if lab[p] != 50:
            err(f"routing label {p}: {lab[p]} rows, want 50")
    tc = Counter(t for r in rows for t in r["tags"])
    if len(rows) != 300:
        err(f"routing rows {len(rows)} != 300")
    if tc["payload"] < 170:
        err(f"payload rows {tc['payload']} < 170")
    if not 80 <= tc["instr_end"] <= 90:
        err(f"instr_end {tc['instr_end']} not ~85")
    if not 22 <= tc["instr_mid"] <= 28:
        err(f"instr_mid {tc['instr_mid']} not ~25")
    if not 50 <= tc["hard"] <= 60:
        err(f"hard {tc['hard']} not ~55")
    if not 38 <= tc["non_en"] <= 52:
        err(f"non_en {tc['non_en']} not ~15%")
    return rows, lab, tc


# --------------------------------------------------------------- calc
class FracEval:
    """Evaluate an arithmetic expression exactly; every numeric literal is
    rebuilt as Fraction(<its source text>)."""
    FUNCS = {"ceil": lambda x: Fraction(math.ceil(x)),
             "floor": lambda x: Fraction(math.floor(x))}

    def __init__(self, src):
        self.src = src
        self.literals = []

    def run(self):
        tree = ast.parse(self.src, mode="eval")
        return self.ev(tree.body)

    def ev(self, n):
        if isinstance(n, ast.Constant):
            if isinstance(n.value, bool) or not isinstance(n.value, (int, float)):
                raise ValueError("non-numeric constant")
            txt = ast.get_source_segment(self.src, n)
            self.literals.append(txt)
            return Fraction(txt)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = self.ev(n.operand)
            return -v if isinstance(n.op, ast.USub) else v
        if isinstance(n, ast.BinOp):
            a, b = self.ev(n.left), self.ev(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            if isinstance(n.op, ast.Div):
                return a / b
            if isinstance(n.op, ast.Pow):
                if b.denominator != 1:
                    raise ValueError("non-integer exponent")
                return a ** int(b)
            raise ValueError(f"operator {type(n.op).__name__}")
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) \
                and n.func.id in self.FUNCS and len(n.args) == 1 and not n.keywords:
            return self.FUNCS[n.func.id](self.ev(n.args[0]))
        raise ValueError(f"node {type(n).__name__} not allowed")


def round_half_up(q, dp):
    scale = Fraction(10) ** dp
    x = q * scale
    sign = -1 if x < 0 else 1
    ax = abs(x)
    fl = math.floor(ax)
    if ax - fl == Fraction(1, 2):
        raise ValueError("exact rounding tie - ambiguous")
    r = fl + (1 if ax - fl > Fraction(1, 2) else 0)
    r *= sign
    if dp == 0:
        return str(r)
    s = "-" if r < 0 else ""
    r = abs(r)
    return f"{s}{r // 10**dp}.{r % 10**dp:0{dp}d}"


TOL = {0: "0.5", 1: "0.1", 2: "0.01", 3: "0.001"}
USD_MARK = re.compile(r"\$|usd|dollar|bucks", re.I)


def build_calc():
    rows = []
    seen = set()
    for it in calc_items.ITEMS:
        kind, lang = it[0], it[1]
        if lang not in LANGS:
            err(f"calc bad lang {lang}")
        if kind == "A":
            _, _, unit, dp, expr, prompt, tags = it
            fe = FracEval(expr)
            try:
                val = fe.run()
                ans = round_half_up(val, dp)
            except Exception as e:  # noqa: BLE001
                err(f"calc expr {expr!r}: {e}")
                continue
            if unit == "USD" and not USD_MARK.search(prompt):
                unit = ""          # currency not stated in prompt -> no unit
            row = {"prompt": prompt, "answer": ans, "expect": "answer",
                   "tolerance": TOL[dp], "unit": unit or None, "lang": lang,
                   "split": "heldout", "working": f"expr: {expr}",
                   "tags": tags}
        elif kind == "R":
            _, _, why, prompt, tags = it
            row = {"prompt": prompt, "answer": None, "expect": "refuse",
                   "tolerance": None, "unit": None, "lang": lang,
                   "split": "heldout", "working": f"refuse: {why}",
                   "tags": tags}
        else:
            err(f"calc bad kind {kind}")
            continue
        if not prompt.strip():
            err("calc empty prompt")
        if prompt in seen:
            err(f"calc duplicate prompt {prompt!r}")
        seen.add(prompt)
        t = set(row["tags"].split())
        if re.search(r"\d", prompt):
            t.add("numbers")
        if lang != "en":
            t.add("non_en")
        if len(prompt) <= SHORT_MAX:
            t.add("short")
        t.add(row["expect"])
        row["tags"] = sorted(t)
        rows.append(row)
    for i, r in enumerate(rows, 1):
        r["id"] = f"c{i:03d}"
    c = Counter(r["expect"] for r in rows)
    if len(rows) != 160:
        err(f"calc rows {len(rows)} != 160")
    if c["refuse"] != 25:
        err(f"calc refusals {c['refuse']} != 25")
    ne = sum(1 for r in rows if r["lang"] != "en")
    if not 20 <= ne <= 30:
        err(f"calc non_en {ne} not ~15%")
    return rows


# --------------------------------------------------------------- kb
def build_kb():
    rows = []
    seen = set()
    for it in kb_items.ITEMS:
        prompt, doc, evid, contains = it
        if prompt in seen:
            err(f"kb duplicate {prompt!r}")
        seen.add(prompt)
        if KB_FORBIDDEN.search(prompt):
            err(f"kb.jsonl prompt uses forbidden word: {prompt!r}")
        answerable = doc is not None
        if answerable:
            if doc not in B:
                err(f"kb doc not in corpus B: {doc}")
                continue
            if evid not in B[doc]:
                err(f"kb evidence not verbatim in {doc}: {evid!r}")
            if not contains:
                err(f"kb answerable without answer_contains: {prompt!r}")
            for s in contains:
                if s not in evid:
                    err(f"kb answer_contains {s!r} not in evidence {evid!r}")
        else:
            if evid is not None or contains:
                err(f"kb unanswerable with evidence: {prompt!r}")
        rows.append({"prompt": prompt, "split": "heldout",
                     "answerable": answerable, "answer_contains": list(contains),
                     "doc": doc, "evidence": evid})
    prompts = {r["prompt"] for r in rows}
    for p, lg in kb_items.NON_EN.items():
        if p not in prompts or lg not in LANGS:
            err(f"kb NON_EN entry does not match an item: {p!r}")
    for r in rows:
        r["_lang"] = kb_items.NON_EN.get(r["prompt"], "en")
    for i, r in enumerate(rows, 1):
        r["id"] = f"k{i:02d}"
    c = Counter(r["answerable"] for r in rows)
    if len(rows) != 60:
        err(f"kb rows {len(rows)} != 60")
    if not 45 <= c[True] <= 50:
        err(f"kb answerable {c[True]} not ~48")
    return rows


def write_jsonl(path, rows, keys):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + "\n")


def fmt(d):
    return ", ".join(f"{k}: {v}" for k, v in d.items())


def write_readme(s, routing, calc, kb):
    rl = s["routing_labels"]
    per_label_tags = {}
    for r in routing:
        lab = str(r["plugin"])
        c = per_label_tags.setdefault(lab, Counter())
        for t in r["tags"]:
            c[t] += 1
    lines = []
    lines.append("# fresh5 - independent held-out evaluation sets for slm")
    lines.append("")
    lines.append("Written by hand for this set. **The author read only the two knowledge-base corpora** "
                 "(`packaging/bench/data/crm_routing/kb_corpus/*.md` = corpus A, Norvale; "
                 "`packaging/bench/data/crm/kb_corpus/*.md` = corpus B, Brightwater) and no code, tests, "
                 "plugin files or other data sets of the project.")
    lines.append("")
    lines.append("All rows carry `\"split\": \"heldout\"`. Files are JSON lines, UTF-8, `ensure_ascii=False`.")
    lines.append("Rebuild with `python3 src/build.py` (standard library only); it validates everything and "
                 "writes nothing if any check fails. Output is deterministic.")
    lines.append("")
    lines.append("## routing.jsonl (300 rows)")
    lines.append("")
    lines.append("Fields: `id`, `prompt`, `plugin` (calc/notes/email/extract/kb or null), `lang`, `split`, `tags`.")
    lines.append("The user's instruction decides the label, never the pasted payload.")
    lines.append("")
    lines.append("- per label: " + fmt({("null" if k == "None" else k): v for k, v in rl.items()}))
    lines.append("- per language: " + fmt(s["routing_langs"]))
    lines.append("- per tag: " + fmt(s["routing_tags"]))
    lines.append("")
    lines.append("| label | payload | instr_start | instr_end | instr_mid | hard | non_en | numbers | short | long |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for lab in ("calc", "notes", "email", "extract", "kb", "None"):
        c = per_label_tags[lab]
        lines.append(f"| {'null' if lab == 'None' else lab} | " + " | ".join(
            str(c[t]) for t in ("payload", "instr_start", "instr_end", "instr_mid", "hard",
                                "non_en", "numbers", "short", "long")) + " |")
    lines.append("")
    lines.append("Tags: `payload` = pasted text (email, notes, quote, invoice...); exactly one of "
                 "`instr_start`/`instr_end`/`instr_mid` on each payload row says where the instruction sits; "
                 "`hard` = deliberately confusable; `other_brand` = asks about another maker's product; "
                 "`typos`, `sms` = hand-marked style. Computed tags: `numbers` (prompt has a digit), "
                 "`non_en` (lang != en), `short` (<= 40 chars), `long` (>= 500 chars).")
    lines.append("")
    lines.append("kb rows ask only about facts present in corpus A and never use the words "
                 "manual/docs/documentation/policy (checked). The verbatim evidence snippet for each kb row is "
                 "kept outside routing.jsonl in `src/routing_kb_evidence.json` (id -> doc, evidence) and is "
                 "checked to occur in the document.")
    lines.append("")
    lines.append("## calc.jsonl (160 rows)")
    lines.append("")
    lines.append("Fields: `id`, `prompt`, `answer` (string or null), `expect` (answer/refuse), `tolerance`, "
                 "`unit`, `lang`, `split`, `working`, `tags`.")
    lines.append("")
    lines.append("- expect: " + fmt(s["calc_expect"]))
    lines.append("- per language: " + fmt(s["calc_langs"]))
    lines.append("- per tag: " + fmt(s["calc_tags"]))
    lines.append("")
    lines.append("Every answer is computed by build.py from the `expr:` in `working`: the expression is parsed "
                 "with `ast`, every numeric literal is rebuilt as `fractions.Fraction(<its source text>)`, the "
                 "value is computed exactly (+ - * / integer powers, ceil, floor) and rounded half-up to the "
                 "item's number of decimals; exact rounding ties are rejected as ambiguous. No answer is typed "
                 "by hand. `tolerance` is 0.01 for 2 decimals, 0.1 for 1 decimal, 0.5 for whole numbers. "
                 "`unit` is null when the prompt states no currency/unit. Refusal rows give the reason in "
                 "`working` (`refuse: ...`): missing rate/quantity/value, live market or FX data, advice or "
                 "opinion, forecasts.")
    lines.append("")
    lines.append("## kb.jsonl (60 rows, corpus B)")
    lines.append("")
    lines.append("Fields: `id`, `prompt`, `split`, `answerable`, `answer_contains`, `doc`, `evidence`.")
    lines.append("")
    lines.append("- answerable: " + fmt(s["kb_answerable"]))
    lines.append("- per language: " + fmt(s["kb_langs"]))
    lines.append("- per doc: " + fmt(s["kb_docs"]))
    lines.append("")
    lines.append("Each `evidence` string is checked to occur verbatim in its document, and each "
                 "`answer_contains` string to occur in the evidence. Unanswerable rows sound related but ask "
                 "for something corpus B does not state (doc/evidence null, answer_contains []).")
    lines.append("")
    lines.append("## src/")
    lines.append("")
    lines.append("- `routing_calc_notes.py`, `routing_email_extract.py`, `routing_kb_null.py` - routing items")
    lines.append("- `calc_items.py` - calc items (expressions and refusals)")
    lines.append("- `kb_items.py` - corpus B questions with evidence")
    lines.append("- `build.py` - validation + writer; also writes `summary.json` and `routing_kb_evidence.json`")
    with open(os.path.join(OUTDIR, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    routing, lab, tc = build_routing()
    calc = build_calc()
    kb = build_kb()
    if ERRORS:
        print("VALIDATION FAILED - nothing written", file=sys.stderr)
        for e in ERRORS:
            print("  -", e, file=sys.stderr)
        sys.exit(1)
    write_jsonl(os.path.join(OUTDIR, "routing.jsonl"), routing,
                ["id", "prompt", "plugin", "lang", "split", "tags"])
    write_jsonl(os.path.join(OUTDIR, "calc.jsonl"), calc,
                ["id", "prompt", "answer", "expect", "tolerance", "unit",
                 "lang", "split", "working", "tags"])
    write_jsonl(os.path.join(OUTDIR, "kb.jsonl"), kb,
                ["id", "prompt", "split", "answerable", "answer_contains",
                 "doc", "evidence"])
    # evidence for routing kb rows is kept out of routing.jsonl, in a side file
    with open(os.path.join(HERE, "routing_kb_evidence.json"), "w",
              encoding="utf-8", newline="\n") as f:
        ev = {r["id"]: {"doc": r["_ev"][0], "evidence": r["_ev"][1]}
              for r in routing if r["plugin"] == "kb"}
        json.dump(dict(sorted(ev.items())), f, ensure_ascii=False, indent=1)
        f.write("\n")
    # summary
    summ = {
        "routing_labels": {str(k): v for k, v in sorted(lab.items(), key=lambda x: str(x[0]))},
        "routing_tags": dict(sorted(tc.items())),
        "routing_langs": dict(sorted(Counter(r["lang"] for r in routing).items())),
        "calc_expect": dict(Counter(r["expect"] for r in calc)),
        "calc_langs": dict(sorted(Counter(r["lang"] for r in calc).items())),
        "calc_tags": dict(sorted(Counter(t for r in calc for t in r["tags"]).items())),
        "kb_answerable": {str(k): v for k, v in Counter(r["answerable"] for r in kb).items()},
        "kb_docs": dict(sorted(Counter(str(r["doc"]) for r in kb).items())),
    }
    with open(os.path.join(HERE, "summary.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(summ, f, ensure_ascii=False, indent=1)
        f.write("\n")
    summ["kb_langs"] = dict(sorted(Counter(r["_lang"] for r in kb).items()))
    write_readme(summ, routing, calc, kb)
    print(json.dumps(summ, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

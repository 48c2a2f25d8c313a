#!/usr/bin/env python3
"""Build the fresh4 held-out evaluation sets for slm.

Every item is written by hand below. Running this script validates all items
and (re)writes, deterministically:

  routing.jsonl  300 rows, 50 per label (calc, notes, email, extract, kb, null)
  calc.jsonl     160 rows (answer + refuse), answers computed exactly
  kb.jsonl        60 rows over kb corpus B, strings checked verbatim

Usage:  python3 build.py            (from any directory)
Env:    KB_CORPUS_A / KB_CORPUS_B   override the kb corpus folders
"""
import json
import os
import sys
from collections import Counter

from collect import CALC, CORPUS_A, CORPUS_B, ERRORS, ExactEval, HERE, KB, LANGS, MANUAL_TAGS, ROUTING, err, float_eval, fmt_answer, norm_prompt, routing_tags, stable_key
import calc_items, kb_items, routing_items  # noqa: E401,F401 - importing them collects the items

# ===========================================================================
# VALIDATION + OUTPUT
# ===========================================================================
def read_corpus(folder):
    docs = {}
    if not os.path.isdir(folder):
        err("corpus folder missing: %s" % folder)
        return docs
    for fn in sorted(os.listdir(folder)):
        if fn.endswith(".md"):
            with open(os.path.join(folder, fn), encoding="utf-8") as f:
                docs[fn] = f.read()
    return docs


def build_routing(corpus_a):
    labels = ["calc", "notes", "email", "extract", "kb", None]
    cnt = Counter(it["plugin"] for it in ROUTING)
    if len(ROUTING) != 300:
        err("routing: %d rows, want 300" % len(ROUTING))
    for lab in labels:
        if cnt[lab] != 50:
            err("routing: label %r has %d rows, want 50" % (lab, cnt[lab]))
    rows = []
    end_by_label = Counter()
    for it in ROUTING:
        p = it["prompt"]
        if p != p.strip() or not p:
            err("routing: prompt has outer whitespace/empty: %r" % p[:40])
        if it["lang"] not in LANGS:
            err("routing: bad lang %r" % it["lang"])
        bad = set(it["manual"]) - MANUAL_TAGS
        if bad:
            err("routing: unknown tags %s in %r" % (bad, p[:40]))
        pos = [t for t in it["manual"] if t.startswith("instr_")]
        if "payload" in it["manual"]:
            if len(pos) != 1:
                err("routing: payload row needs exactly one instr_* tag: %r" % p[:50])
            if "\n" not in p and len(p) < 60:
                err("routing: payload row looks too small: %r" % p[:50])
        elif pos:
            err("routing: instr_* tag without payload: %r" % p[:50])
        if "instr_end" in it["manual"]:
            end_by_label[it["plugin"]] += 1
        if it["plugin"] == "kb":
            if not it["src"]:
                err("routing: kb row without source snippet: %r" % p[:50])
            else:
                fn, snip = it["src"]
                if fn not in corpus_a:
                    err("routing: kb source doc missing %s" % fn)
                elif snip not in corpus_a[fn]:
                    err("routing: kb snippet not verbatim in %s: %r" % (fn, snip))
            low = p.lower()
            if any(w in low for w in ("manual", "docs", "policy")):
                err("routing: kb prompt uses manual/docs/policy: %r" % p[:50])
        elif it["src"]:
            err("routing: non-kb row with src: %r" % p[:50])
        if it["plugin"] is None and "other_brand" in it["manual"]:
            pass
        rows.append({"prompt": p, "plugin": it["plugin"], "lang": it["lang"],
                     "split": "heldout", "tags": routing_tags(it)})
    n_end = sum(end_by_label.values())
    if n_end < 60:
        err("routing: only %d instr_end payload rows, want >= 60" % n_end)
    for lab in labels:
        if end_by_label[lab] < 5:
            err("routing: label %r has only %d instr_end rows" % (lab, end_by_label[lab]))
    non_en = sum(1 for r in rows if r["lang"] != "en")
    if not (0.12 <= non_en / 300.0 <= 0.20):
        err("routing: non-English share %.1f%% outside 12-20%%" % (100.0 * non_en / 300))
    for lg in LANGS - {"en"}:
        if not any(r["lang"] == lg for r in rows):
            err("routing: language %s unused" % lg)
    rows.sort(key=lambda r: stable_key(r["prompt"]))
    out = []
    for i, r in enumerate(rows, 1):
        out.append(dict([("id", "r%04d" % i)] + list(r.items())))
    return out, end_by_label


def build_calc():
    rows = []
    for it in CALC:
        p = it["prompt"]
        if it["lang"] not in LANGS:
            err("calc: bad lang %r" % it["lang"])
        tags = list(it["tags"])
        if it["lang"] != "en" and "non_en" not in tags:
            tags.append("non_en")
        if it["expect"] == "answer":
            expr = it["expr"]
            try:
                exact = ExactEval(expr).run()
            except Exception as e:  # noqa
                err("calc: cannot evaluate %r: %s" % (expr, e))
                continue
            try:
                fl = float(float_eval(expr))
            except Exception as e:  # noqa
                err("calc: float eval failed %r: %s" % (expr, e))
                continue
            ex_f = float(exact)
            denom = max(abs(ex_f), 1e-12)
            if abs(fl - ex_f) / denom > 1e-6 and not (ex_f == 0 and abs(fl) < 1e-9):
                err("calc: float/exact mismatch %r: %r vs %r" % (expr, fl, ex_f))
            tol = it["tol"] or "0.01"
            if ("conversion" in tags) != (tol == "0.05"):
                err("calc: tolerance/conversion tag mismatch: %r" % p)
            if not it["unit"]:
                err("calc: empty unit: %r" % p)
            ans = fmt_answer(exact)
            # near a rounding boundary? (exact value within 1e-9 of x.xx5)
            frac3 = abs(exact) * 1000 % 10
            if exact.denominator > 1000 and abs(float(frac3) - 5) < 1e-6:
                err("calc: answer sits on a rounding boundary: %r" % expr)
            rows.append({"prompt": p, "answer": ans, "expect": "answer",
                         "tolerance": tol, "unit": it["unit"],
                         "lang": it["lang"], "split": "heldout",
                         "working": "expr: " + expr, "tags": tags})
        else:
            if not it["reason"]:
                err("calc: refuse row without reason: %r" % p)
            if "refuse" not in tags:
                tags.insert(0, "refuse")
            rows.append({"prompt": p, "answer": None, "expect": "refuse",
                         "tolerance": None, "unit": None, "lang": it["lang"],
                         "split": "heldout",
                         "working": "refuse: " + it["reason"], "tags": tags})
    n_ans = sum(1 for r in rows if r["expect"] == "answer")
    n_ref = sum(1 for r in rows if r["expect"] == "refuse")
    if len(rows) != 160:
        err("calc: %d rows, want 160" % len(rows))
    if n_ref != 25 or n_ans != 135:
        err("calc: %d answer / %d refuse, want 135 / 25" % (n_ans, n_ref))
    rows.sort(key=lambda r: stable_key(r["prompt"]))
    out = []
    for i, r in enumerate(rows, 1):
        out.append(dict([("id", "c%03d" % i)] + list(r.items())))
    return out


def build_kb(corpus_b):
    rows = []
    per_doc = Counter()
    alltext = "\n".join(corpus_b.values())
    for it in KB:
        p = it["prompt"]
        if it["answerable"]:
            doc = it["doc"]
            if doc not in corpus_b:
                err("kb: unknown doc %r" % doc)
                continue
            text = corpus_b[doc]
            per_doc[doc] += 1
            if not it["answer_contains"]:
                err("kb: answerable row without answer_contains: %r" % p)
            if it["evidence"] not in text:
                err("kb: evidence not verbatim in %s: %r" % (doc, it["evidence"]))
            for s in it["answer_contains"]:
                if s not in text:
                    err("kb: answer_contains %r not in %s" % (s, doc))
                if s not in it["evidence"]:
                    err("kb: answer_contains %r not inside its evidence" % s)
        else:
            for s in it.get("absent", []):
                if s.lower() in alltext.lower():
                    err("kb: 'absent' string %r occurs in corpus B (%r)" % (s, p))
        rows.append({"prompt": p, "split": "heldout",
                     "answerable": it["answerable"],
                     "answer_contains": it["answer_contains"],
                     "doc": it["doc"], "evidence": it["evidence"]})
    if len(rows) != 60:
        err("kb: %d rows, want 60" % len(rows))
    n_ans = sum(1 for r in rows if r["answerable"])
    if n_ans != 48:
        err("kb: %d answerable, want 48" % n_ans)
    for doc in corpus_b:
        if per_doc[doc] < 3:
            err("kb: doc %s has only %d answerable rows" % (doc, per_doc[doc]))
    if len(corpus_b) != 12:
        err("kb: corpus B has %d docs, want 12" % len(corpus_b))
    rows.sort(key=lambda r: stable_key(r["prompt"]))
    out = []
    for i, r in enumerate(rows, 1):
        out.append(dict([("id", "k%02d" % i)] + list(r.items())))
    return out, per_doc


def write_jsonl(name, rows):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def main():
    corpus_a = read_corpus(CORPUS_A)
    corpus_b = read_corpus(CORPUS_B)
    routing, end_by_label = build_routing(corpus_a)
    calc = build_calc()
    kb, per_doc = build_kb(corpus_b)

    # no duplicate prompts within or across the three files
    seen = {}
    for fname, rows in (("routing", routing), ("calc", calc), ("kb", kb)):
        for r in rows:
            k = norm_prompt(r["prompt"])
            if k in seen:
                err("duplicate prompt (%s / %s): %r" % (seen[k], fname, r["prompt"][:60]))
            seen[k] = fname

    if "--dump-calc" in sys.argv:
        for r in calc:
            print("%s | %-9s | %-8s | %s | %s" % (r["id"], r["answer"], r["unit"],
                                                r["prompt"].replace("\n", " / "), r["working"]))

    if ERRORS:
        print("VALIDATION FAILED (%d problems):" % len(ERRORS))
        for e in ERRORS:
            print("  - " + e)
        sys.exit(1)

    write_jsonl("routing.jsonl", routing)
    write_jsonl("calc.jsonl", calc)
    write_jsonl("kb.jsonl", kb)

    lab = Counter(str(r["plugin"]) for r in routing)
    print("routing.jsonl: %d rows  labels=%s" % (len(routing), dict(sorted(lab.items()))))
    print("  langs=%s" % dict(sorted(Counter(r["lang"] for r in routing).items())))
    tagc = Counter(t for r in routing for t in r["tags"])
    print("  tags=%s" % dict(sorted(tagc.items())))
    print("  instr_end by label=%s (total %d)" % (
        {str(k): v for k, v in sorted(end_by_label.items(), key=lambda x: str(x[0]))},
        sum(end_by_label.values())))
    ce = Counter(r["expect"] for r in calc)
    print("calc.jsonl: %d rows  expect=%s  langs=%s" % (
        len(calc), dict(ce), dict(sorted(Counter(r["lang"] for r in calc).items()))))
    print("kb.jsonl: %d rows  answerable=%d  unanswerable=%d" % (
        len(kb), sum(r["answerable"] for r in kb), sum(not r["answerable"] for r in kb)))
    print("  answerable per doc=%s" % dict(sorted(per_doc.items())))
    print("VALIDATION PASSED")


if __name__ == "__main__":
    main()

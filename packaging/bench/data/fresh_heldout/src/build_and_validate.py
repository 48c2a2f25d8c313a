#!/usr/bin/env python3
"""Fresh held-out sets: extract_fresh.jsonl (xf01-xf40) and kb_fresh.jsonl (kf01-kf40).
Items live in extract_items.py and kb_items.py; this script checks them and writes both files
next to itself after all checks pass. Run: python3 build_and_validate.py"""

# =====================================================================================
# Build and validate
# =====================================================================================
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_items import ITEMS  # noqa: E402
from kb_items import KB  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CRM = os.path.join(HERE, "..", "..", "crm")
CORPUS = os.path.join(CRM, "kb_corpus")
FIELDS = ["people", "companies", "emails", "phones", "addresses", "dates", "amounts", "order_numbers",
          "invoice_numbers", "serial_numbers", "reference_numbers", "action_items"]
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
errors = []


def err(msg):
    errors.append(msg)


def build_extract():
    out = []
    for it in ITEMS:
        out.append({"id": it["id"], "prompt": it["instr"] + "\n\n" + it["text"], "text": it["text"],
                    "split": "heldout", "gold": it["gold"]})
    return out


def build_kb():
    out = []
    for id_, prompt, doc, ev, ac in KB:
        out.append({"id": id_, "prompt": prompt, "split": "heldout", "answerable": doc is not None,
                    "answer_contains": ac, "doc": doc, "evidence": ev})
    return out


def check_extract(rows):
    ids = [r["id"] for r in rows]
    if ids != ["xf%02d" % i for i in range(1, 41)]:
        err("extract ids not xf01..xf40 in order")
    try:
        old = [json.loads(l) for l in open(os.path.join(CRM, "extract.jsonl"))]
    except OSError:
        old = []
    old_texts = {o["text"] for o in old}
    for r in rows:
        i, text, g = r["id"], r["text"], r["gold"]
        if r["prompt"] != r["prompt"].strip() or not r["prompt"].endswith(text):
            err(f"{i}: prompt must end with text")
        if text in old_texts:
            err(f"{i}: text duplicates an existing item")
        n = len(text.split())
        if not 30 <= n <= 300:
            err(f"{i}: text has {n} words (30-300)")
        if list(g.keys()) != FIELDS:
            err(f"{i}: gold keys {list(g.keys())}")
        for f in FIELDS:
            vals = g[f]
            if f != "people" and len(set(vals)) != len(vals):
                err(f"{i}: duplicate in {f}")
            if f in ("people", "action_items"):
                continue
            for v in vals:
                if not isinstance(v, str) or not v or v not in text:
                    err(f"{i}: {f} value not verbatim in text: {v!r}")
        names = [p["name"] for p in g["people"]]
        if len(set(names)) != len(names):
            err(f"{i}: duplicate person")
        for p in g["people"]:
            if set(p) != {"name", "title", "company"}:
                err(f"{i}: person keys {p}")
            for k in ("name", "title", "company"):
                v = p[k]
                if v is None and k != "name":
                    continue
                if not v or v not in text:
                    err(f"{i}: person {k} not verbatim: {v!r}")
            if p["company"] is not None and p["company"] not in g["companies"]:
                err(f"{i}: person company not in companies: {p['company']!r}")
            for hon in ("Dr. ", "Herr ", "M. ", "Mme ", "Sr. ", "Prof. ", "Mr ", "Ms. ", "Dipl.-Ing. "):
                if p["name"].startswith(hon):
                    err(f"{i}: honorific in name {p['name']!r}")
        found = set(m.rstrip(".") for m in EMAIL_RE.findall(text))
        if found != set(g["emails"]):
            err(f"{i}: emails in text {sorted(found)} != gold {sorted(g['emails'])}")
        for a in g["action_items"]:
            if not isinstance(a, str) or not a.strip():
                err(f"{i}: empty action item")
    nonperson = sum(1 for r in rows if not r["gold"]["people"])
    return nonperson


def check_kb(rows):
    ids = [r["id"] for r in rows]
    if ids != ["kf%02d" % i for i in range(1, 41)]:
        err("kb ids not kf01..kf40 in order")
    try:
        old_prompts = {json.loads(l)["prompt"].strip().lower() for l in open(os.path.join(CRM, "kb.jsonl"))}
    except OSError:
        old_prompts = set()
    docs = {f: open(os.path.join(CORPUS, f), encoding="utf-8").read() for f in os.listdir(CORPUS)}
    seen = set()
    for r in rows:
        i = r["id"]
        p = r["prompt"].strip().lower()
        if p in old_prompts:
            err(f"{i}: prompt duplicates an existing kb prompt")
        if p in seen:
            err(f"{i}: duplicate prompt")
        seen.add(p)
        if r["answerable"]:
            if r["doc"] not in docs:
                err(f"{i}: doc {r['doc']!r} not in corpus")
                continue
            ev = r["evidence"]
            if not ev or ev not in docs[r["doc"]]:
                err(f"{i}: evidence not verbatim in {r['doc']}: {ev!r}")
            if not r["answer_contains"]:
                err(f"{i}: answerable but no answer_contains")
            for a in r["answer_contains"]:
                if not a or a not in (ev or ""):
                    err(f"{i}: answer_contains {a!r} not in evidence")
        else:
            if r["answer_contains"] != [] or r["doc"] is not None or r["evidence"] is not None:
                err(f"{i}: unanswerable item must have [], null, null")
    return sum(1 for r in rows if not r["answerable"])


def main():
    ex = build_extract()
    kb = build_kb()
    nonperson = check_extract(ex)
    unans = check_kb(kb)
    if len(ex) != 40 or len(kb) != 40:
        err(f"counts: extract {len(ex)} kb {len(kb)}")
    if errors:
        print("\n".join(errors))
        print(f"FAILED: {len(errors)} problem(s)")
        sys.exit(1)
    with open(os.path.join(HERE, "extract_fresh.jsonl"), "w", encoding="utf-8") as f:
        for r in ex:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "kb_fresh.jsonl"), "w", encoding="utf-8") as f:
        for r in kb:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    docs = {}
    for r in kb:
        docs[r["doc"]] = docs.get(r["doc"], 0) + 1
    print(f"OK: extract_fresh.jsonl {len(ex)} items ({nonperson} with no person); "
          f"kb_fresh.jsonl {len(kb)} items ({len(kb) - unans} answerable, {unans} unanswerable)")
    print("kb per doc:", dict(sorted(docs.items(), key=lambda kv: str(kv[0]))))


if __name__ == "__main__":
    main()

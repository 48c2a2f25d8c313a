#!/usr/bin/env python3
"""Build the fresh3 routing (240 rows) and calc (160 rows) eval sets.

Author: independent subagent with a fresh context (did not read project code).
All items are written by hand in routing_items.py and calc_items.py. Calc answers are computed from the `expr`
with fractions.Fraction (exact), rounded half-up to 2 dp, trailing zeros
stripped, and cross-checked against a plain float evaluation.

Run:  python3 build_routing_calc.py
"""
import ast
import json
import math
import os
import random
from collections import Counter
from fractions import Fraction

from calc_items import CALC_ITEMS
from routing_items import ROUTING

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ["calc", "notes", "email", "extract", "kb", None]
LANGS = {"en", "es", "fr", "de", "pt", "it", "nl"}
POS_TAGS = {"instr_start", "instr_end", "instr_mid"}


# ---------------------------------------------------------------------------
# Exact evaluation
# ---------------------------------------------------------------------------
def eval_fraction(expr):
    tree = ast.parse(expr, mode="eval")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            # use the literal text, so 0.15 becomes exactly 15/100
            return Fraction(ast.get_source_segment(expr, node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            l, r = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return l + r
            if isinstance(node.op, ast.Sub):
                return l - r
            if isinstance(node.op, ast.Mult):
                return l * r
            if isinstance(node.op, ast.Div):
                return l / r
            if isinstance(node.op, ast.Pow):
                assert r.denominator == 1, "only integer exponents"
                return l ** int(r)
            raise ValueError("op %r" % node.op)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [ev(a) for a in node.args]
            name = node.func.id
            if name == "Fraction":
                return Fraction(*args) if len(args) == 1 else args[0] / args[1]
            if name == "ceil":
                return Fraction(math.ceil(args[0]))
            if name == "floor":
                return Fraction(math.floor(args[0]))
            raise ValueError("func %s" % name)
        raise ValueError("node %s" % ast.dump(node))

    return ev(tree)


def eval_float(expr):
    ns = {"Fraction": lambda a, b=1: a / b, "ceil": math.ceil, "floor": math.floor,
          "__builtins__": {}}
    return float(eval(expr, ns))


def fmt_half_up(fr):
    sign = -1 if fr < 0 else 1
    cents = math.floor(abs(fr) * 100 + Fraction(1, 2))
    s = "%d.%02d" % (cents // 100, cents % 100)
    s = s.rstrip("0").rstrip(".")
    if sign < 0 and s != "0":
        s = "-" + s
    return s


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
def auto_tags(prompt, lang, tags):
    t = list(tags)
    if len(prompt.split()) <= 5:
        t.append("short")
    if len(prompt) > 300 or prompt.count("\n") >= 4:
        t.append("long")
    if "\n" in prompt:
        t.append("multiline")
    if lang != "en":
        t.append("non_en")
    out = []
    for x in t:
        if x and x not in out:
            out.append(x)
    return out


def build_routing():
    rows = []
    for label, items in ROUTING:
        for prompt, lang, tags in items:
            tl = tags.split()
            rows.append({"prompt": prompt, "plugin": label, "lang": lang,
                         "split": "heldout", "tags": auto_tags(prompt, lang, tl)})
    rng = random.Random(20240603)
    rng.shuffle(rows)
    out = []
    for i, r in enumerate(rows, 1):
        out.append({"id": "r%04d" % i, **r})
    return out


def build_calc():
    out = []
    rng = random.Random(77)
    items = list(CALC_ITEMS)
    rng.shuffle(items)
    for i, it in enumerate(items, 1):
        row = {"id": "c%03d" % i, "prompt": it["prompt"]}
        if it["expect"] == "answer":
            fr = eval_fraction(it["expr"])
            fl = eval_float(it["expr"])
            assert abs(float(fr) - fl) <= 1e-6 * max(1.0, abs(fl)), (it, fr, fl)
            ans = fmt_half_up(fr)
            # float cross-check of the rounded value too
            assert abs(float(ans) - fl) <= 0.005 + 1e-9, (it, ans, fl)
            tol = "0.05" if "conversion" in it["tags"] else "0.01"
            row.update({"answer": ans, "expect": "answer", "tolerance": tol,
                        "unit": it["unit"], "lang": it["lang"], "split": "heldout",
                        "working": "expr: " + it["expr"],
                        "tags": auto_tags(it["prompt"], it["lang"], it["tags"])})
        else:
            row.update({"answer": None, "expect": "refuse", "tolerance": None,
                        "unit": None, "lang": it["lang"], "split": "heldout",
                        "working": "refuse: " + it["reason"],
                        "tags": auto_tags(it["prompt"], it["lang"], it["tags"])})
        out.append(row)
    return out


def validate(routing, calc):
    # routing
    assert len(routing) == 240, len(routing)
    c = Counter(r["plugin"] for r in routing)
    for lab in LABELS:
        assert c[lab] == 40, (lab, c[lab])
    ids = [r["id"] for r in routing]
    assert len(set(ids)) == 240 and ids == ["r%04d" % i for i in range(1, 241)]
    prompts = [r["prompt"].strip().lower() for r in routing]
    dup = [p for p, n in Counter(prompts).items() if n > 1]
    assert not dup, dup
    for r in routing:
        assert r["plugin"] in LABELS
        assert r["lang"] in LANGS, r
        assert r["prompt"].strip() == r["prompt"] and r["prompt"]
        if "payload" in r["tags"]:
            assert len(POS_TAGS & set(r["tags"])) == 1, r
    non_en = sum(r["lang"] != "en" for r in routing)
    assert 0.12 <= non_en / 240 <= 0.18, non_en
    # calc
    assert len(calc) == 160, len(calc)
    ce = Counter(r["expect"] for r in calc)
    assert ce["answer"] == 135 and ce["refuse"] == 25, ce
    cids = [r["id"] for r in calc]
    assert cids == ["c%03d" % i for i in range(1, 161)]
    cp = [r["prompt"].strip().lower() for r in calc]
    dup = [p for p, n in Counter(cp).items() if n > 1]
    assert not dup, dup
    for r in calc:
        assert r["lang"] in LANGS
        if r["expect"] == "answer":
            assert r["answer"] is not None and r["working"].startswith("expr: ")
            float(r["answer"])
            assert not (("." in r["answer"]) and r["answer"].endswith("0")), r
        else:
            assert r["answer"] is None
    cn = sum(r["lang"] != "en" for r in calc)
    assert 18 <= cn <= 26, cn
    return c, ce, non_en, cn


def main():
    routing = build_routing()
    calc = build_calc()
    c, ce, non_en, cn = validate(routing, calc)
    with open(os.path.join(HERE, "routing.jsonl"), "w", encoding="utf-8") as f:
        for r in routing:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "calc.jsonl"), "w", encoding="utf-8") as f:
        for r in calc:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("routing:", len(routing), {str(k): v for k, v in c.items()},
          "langs:", dict(Counter(r["lang"] for r in routing)), "non_en:", non_en)
    print("routing by label x lang:")
    for lab in LABELS:
        print("  ", str(lab), dict(Counter(r["lang"] for r in routing if r["plugin"] == lab)))
    print("calc:", len(calc), dict(ce), "langs:", dict(Counter(r["lang"] for r in calc)),
          "non_en:", cn)
    print("calc units:", dict(Counter(r["unit"] for r in calc)))
    print("VALIDATION PASSED")


if __name__ == "__main__":
    main()

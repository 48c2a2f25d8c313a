"""Shared pieces of the fresh4 build: the item collectors (R, A, X, K, U), the exact
evaluator for calc answers, and the checks' error list. The items themselves are in
routing_items.py, calc_items.py and kb_items.py; build.py validates them and writes the files."""
import ast
import hashlib
import math
import os
import re
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_A = os.environ.get(
    "KB_CORPUS_A", "/work/main/packaging/bench/data/crm_routing/kb_corpus")
CORPUS_B = os.environ.get(
    "KB_CORPUS_B", "/work/main/packaging/bench/data/crm/kb_corpus")

LANGS = {"en", "es", "fr", "de", "pt", "it", "nl"}
ERRORS = []


def err(msg):
    ERRORS.append(msg)


def stable_key(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def norm_prompt(s):
    return re.sub(r"\s+", " ", s.strip().lower())


# ---------------------------------------------------------------------------
# routing helpers
# ---------------------------------------------------------------------------
ROUTING = []
MANUAL_TAGS = {"payload", "instr_start", "instr_end", "instr_mid", "hard",
               "typos", "sms", "other_brand", "numbers", "short"}
TAG_ORDER = ["payload", "instr_start", "instr_end", "instr_mid", "numbers",
             "hard", "typos", "sms", "other_brand", "short", "long", "non_en"]
NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|hundred|thousand|half|quarter)\b", re.I)


def R(plugin, lang, tags, prompt, src=None):
    """plugin: label or None; tags: space separated manual tags;
    src: (corpus A file, verbatim snippet) for kb rows."""
    ROUTING.append({"plugin": plugin, "lang": lang, "manual": tags.split(),
                    "prompt": prompt, "src": src})


def routing_tags(item):
    t = set(item["manual"])
    p = item["prompt"]
    if re.search(r"\d", p):
        t.add("numbers")
    if "payload" not in t and len(p.split()) <= 5:
        t.add("short")
    if len(p) >= 500:
        t.add("long")
    if item["lang"] != "en":
        t.add("non_en")
    return [x for x in TAG_ORDER if x in t]


# ---------------------------------------------------------------------------
# calc helpers: exact Fraction evaluator + float cross-check
# ---------------------------------------------------------------------------
CALC = []


def A(prompt, expr, unit, tags, lang="en", tol=None):
    CALC.append({"prompt": prompt, "expr": expr, "unit": unit,
                 "tags": tags.split(), "lang": lang, "expect": "answer",
                 "tol": tol})


def X(prompt, reason, tags="", lang="en"):
    CALC.append({"prompt": prompt, "reason": reason, "tags": tags.split(),
                 "lang": lang, "expect": "refuse"})


def _nth_root_exact(fr, n):
    """exact n-th root of a non-negative Fraction, or None"""
    if fr < 0:
        return None
    out = []
    for v in (fr.numerator, fr.denominator):
        r = round(v ** (1.0 / n))
        hit = None
        for c in (r - 1, r, r + 1):
            if c >= 0 and c ** n == v:
                hit = c
        if hit is None:
            return None
        out.append(hit)
    return Fraction(out[0], out[1])


class ExactEval:
    FUNCS = {"ceil", "floor"}

    def __init__(self, src):
        self.src = src

    def run(self):
        tree = ast.parse(self.src, mode="eval")
        return self.ev(tree.body)

    def ev(self, n):
        if isinstance(n, ast.Constant):
            if isinstance(n.value, bool) or not isinstance(n.value, (int, float)):
                raise ValueError("bad constant")
            text = ast.get_source_segment(self.src, n)
            return Fraction(text)
        if isinstance(n, ast.UnaryOp):
            v = self.ev(n.operand)
            if isinstance(n.op, ast.USub):
                return -v
            if isinstance(n.op, ast.UAdd):
                return v
            raise ValueError("bad unary op")
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
                if b.denominator == 1:
                    return a ** int(b)
                root = _nth_root_exact(a, b.denominator)
                if root is None:
                    raise ValueError("inexact root %s ** %s" % (a, b))
                return root ** b.numerator
            raise ValueError("bad bin op")
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) \
                and n.func.id in self.FUNCS and len(n.args) == 1 \
                and not n.keywords:
            v = self.ev(n.args[0])
            return Fraction(math.ceil(v) if n.func.id == "ceil" else math.floor(v))
        raise ValueError("disallowed syntax: %s" % ast.dump(n))


def float_eval(src):
    return eval(compile(ast.parse(src, mode="eval"), "<expr>", "eval"),
                {"__builtins__": {}}, {"ceil": math.ceil, "floor": math.floor})


def round_half_up_2dp(fr):
    sign = -1 if fr < 0 else 1
    q = math.floor(abs(fr) * 100 + Fraction(1, 2))
    return sign * Fraction(q, 100)


def fmt_answer(fr):
    r = round_half_up_2dp(fr)
    neg = r < 0
    cents = abs(r.numerator * 100 // r.denominator)
    whole, frac = divmod(cents, 100)
    s = str(whole)
    if frac:
        s += ("." + "%02d" % frac).rstrip("0")
    return ("-" + s) if neg and cents else s


# ---------------------------------------------------------------------------
# kb helpers
# ---------------------------------------------------------------------------
KB = []


def K(prompt, doc, contains, evidence):
    KB.append({"prompt": prompt, "answerable": True, "doc": doc,
               "answer_contains": contains, "evidence": evidence})


def U(prompt, why, absent=()):
    """absent: strings that must NOT occur anywhere in corpus B"""
    KB.append({"prompt": prompt, "answerable": False, "doc": None,
               "answer_contains": [], "evidence": None, "why": why,
               "absent": list(absent)})

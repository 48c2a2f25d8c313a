"""Scoring for the CRM plugin benchmark (bench_plugins.py), kept apart from the plugins' own checks.

The invented-fact counter here is written independently of ``slm.plugins.faithful``
(which the plugins use to filter their model's sentences): a benchmark must not grade
the plugins with their own filter. Its rule is the issue's: a number, a date word or a
proper name in the output that the input does not contain (case-insensitive).
"""
from __future__ import annotations

import re
import unicodedata

_MONTHS_DAYS = set("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
# Words a sentence or an e-mail may start with, capitalised, without being a name. The list
# is the benchmark's own (not the plugins'): function words, greetings, sign-offs, and
# the common verbs and nouns business prose opens with.
_ORDINARY = set("""a about after again all also an and any are as at be because before best but by can
could dear do does during each even every for from get good great had has have he hello her here hi his
how however i if in into is it its just keep kind kindly last let like looking many may me more most my
new next no not now of on once one only or our out over per please possible recap regards regarding
same see she should since sincerely so some soon sorry subject summary than thank thanks that the their
them then there these they this those to today total unfortunately up update us we well were what when
where which while who why will with would yes yet you your yours key points action items risks notes
note summary owner due task tasks next steps visit meeting call customer team order quote price pricing
product products service delivery shipping shipment invoice payment contract install installation
following hope looking glad happy great just quick follow-up followup attached enclosed best warm cheers
sources source answer extractive passages documents passage according here's overall additionally
finally first second also then meanwhile currently both either neither perhaps maybe certainly""".split())
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(text.split())


def _num_forms(raw: str) -> set[str]:
    plain = raw.replace(",", "")
    forms = {raw, plain}
    try:
        forms.add(str(float(plain)).rstrip("0").rstrip("."))
        forms.add(str(int(float(plain))))
    except ValueError:
        pass
    return forms


def invented_facts(output: str, source: str) -> list[str]:
    """Numbers, month/weekday names and capitalised non-ordinary words of ``output`` absent from ``source``."""
    src = _fold(source)
    src_numbers: set[str] = set()
    for m in _NUM.finditer(source):
        src_numbers |= _num_forms(m.group())
        src_numbers |= {p for p in re.split(r"[.,]", m.group()) if p}
    src_words = set(_WORD.findall(src))
    out: list[str] = []
    for m in _NUM.finditer(output):
        if not (_num_forms(m.group()) & src_numbers):
            out.append(m.group())
    for m in _WORD.finditer(output):
        word = m.group()
        low = _fold(word).strip("'-")
        if low.endswith("'s"):
            low = low[:-2]
        if not low or low in src_words or low.rstrip("s") in src_words or low in src:
            continue
        if low in _MONTHS_DAYS:
            out.append(word)
        elif word[:1].isupper() and low not in _ORDINARY:
            out.append(word)
    return out


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.strip().split()) >= 3]


def repeated_sentence(text: str) -> bool:
    seen: set[str] = set()
    for s in sentences(text):
        key = " ".join(_WORD.findall(_fold(s)))
        if key in seen:
            return True
        seen.add(key)
    return False


# --- extract -------------------------------------------------------------------------
EXTRACT_FIELDS = ("people", "companies", "emails", "phones", "addresses", "dates", "amounts",
                  "order_numbers", "invoice_numbers", "serial_numbers", "reference_numbers")


def _key(field: str, value: str) -> str:
    text = _fold(str(value))
    if field == "phones":
        return re.sub(r"\D", "", text)
    return re.sub(r"[^\w@.%$€£+/-]+", " ", text).strip(" .")


def extract_values(field: str, data: dict) -> set[str]:
    items = data.get(field) or []
    if field == "people":
        return {_key(field, p.get("name") or "") for p in items if isinstance(p, dict) and p.get("name")}
    if field in ("dates", "amounts"):
        return {_key(field, v["text"] if isinstance(v, dict) else v) for v in items if v}
    return {_key(field, v) for v in items if isinstance(v, str) and v}


def score_extract(pred: dict, gold: dict) -> dict[str, tuple[int, int, int]]:
    """field -> (true positives, predicted, gold)."""
    out = {}
    for field in EXTRACT_FIELDS:
        p, g = extract_values(field, pred), extract_values(field, gold)
        out[field] = (len(p & g), len(p), len(g))
    return out


def action_recall(pred_items: list, gold_items: list[str]) -> tuple[int, int]:
    """Gold action items matched by a predicted one sharing at least half of the gold's content words."""
    def content(text: str) -> set[str]:
        return {w for w in _WORD.findall(_fold(text)) if len(w) > 3 and w not in _ORDINARY}
    preds = [content(i["task"] if isinstance(i, dict) else str(i)) for i in pred_items or []]
    hit = 0
    for g in gold_items:
        gw = content(g)
        if gw and any(len(gw & p) / len(gw) >= 0.5 for p in preds):
            hit += 1
    return hit, len(gold_items)

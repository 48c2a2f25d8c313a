"""Quote lines and expense claims -> a sum of line items, every word accounted for.

What people paste or type when they price a job:

    total pls: 2 x AP-40 @ 640 / 6 x APC-40-05 @ 42 / 1 x AW-1 @ 19
    inv lines: HM-300 x1 1,299.50 ; HM-300-K x2 74.90 ; freight 35 -> total?
    3 laptops 899 each, 3 docks 179 each, 1 setup fee 150. total b4 tax
    claim: 4 nights hotel at 89, meals 35/day for 4 days, 410 km at 0.25
    2 techs 6 hrs each at 65/h  |  90 mins at 110 per hour  |  round trip, 75 km each way @ 0.42/km

Each item is read from the kinds of its tokens (a figure, a product code, a label word, a time
or distance unit, "at"/"@", "x", "each", "per X"/"/X", "for", "qty ... unit ...") against a few
item shapes. Product codes ("hm-300", "uv80") are labels, never figures. A price per a unit
must match the quantity's unit (minutes are converted to hours; "per km" on a count of hours is
refused); "2 techs 6 hrs at 65/h" (6 hours each, or in all?) needs "each". An item that fits no
shape, any word that changes the math (vocab) and any percentage other than one closing
discount ("..., total then minus 5%") make the whole reading None: the other readers' reasons
stand. The reader runs after the others, so it only answers what they refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .numbers import (
    AMOUNT_UNSIGNED,
    NUMBER,
    Amount,
    CalcError,
    as_operand,
    parse_amount,
    rx,
)
from .report import Calculation
from .spoken import FEES
from .units import canonical
from .vocab import HARMLESS, is_code, why_risky

# a time or distance a price can be per: units.py's unit -> (unit, how many of the unit one of it is)
_PRICED = {"h": ("hour", Decimal(1)), "min": ("hour", None),  # minutes: x / 60, kept exact
           "day": ("day", Decimal(1)), "km": ("km", Decimal(1)), "mi": ("mile", Decimal(1))}


def priced_unit(word: str) -> tuple[str, Decimal | None] | None:
    """The time or distance ``word`` names, by units.py's spellings ("hrs", "kilometres"); a night is no unit there."""
    if word in ("night", "nights"):
        return "night", Decimal(1)
    try:
        return _PRICED.get(canonical(word))
    except CalcError:
        return None
_HEADER = (r"^(?:(?:can|could)\s+(?:u|you)\s+)?(?:add\s+(?:up|these(?:\s+up)?|this(?:\s+up)?)|sum(?:\s+(?:this|these|up))?|"
           r"total(?:\s+of\s+(?:this|the)(?:\s+(?:quote|invoice|order|list))?)?|(?:quote|invoice|inv|order)(?:\s+lines)?|"
           r"items|lines|claim|expenses?|devis)(?:\s+(?:please|pls|plz))?\s*[:?]?\s+")
_ASK = (r"\s*(?:[,.—]|->|→)?\s*(?:what(?:'s|s|\s+is)?\s+)?(?:the\s+)?(?:(?:grand\s+)?total|quote|sum)"
        r"(?P<pre>\s+(?:pre-tax|before\s+tax|ex\s+tax|excl(?:uding)?\s+tax))?$")
_TAX = (rf"\s*(?:[,—]|->)?\s*(?:then\s+)?(?:add|plus|\+|with)\s+(?P<t>{NUMBER})%\s+(?:(?:sales|hotel|city|state|room|local)\s+)?"
        rf"(?:tax|vat|gst|hst)(?:\s+on\s+top)?$")
_DISCOUNT = rf"\s*(?:[,—]|->)?\s*(?:(?:the\s+)?total\s+)?(?:then\s+)?(?:(?:minus|less)\s+(?P<p>{NUMBER})%(?:\s+(?:off|discount))?|(?P<q>{NUMBER})%\s+off)$"
_TOKEN = (rf"(?P<code>[a-z]+\d[a-z0-9]*(?:-[a-z0-9]+)*|[a-z]+(?:-[a-z0-9]+)+)|(?P<num>(?i:{AMOUNT_UNSIGNED}))(?P<pct>\s?%)?|"
          r"(?P<word>[a-z][a-z']*)|(?P<op>->|→|[@×/,;+:—>?()-]|\.(?=\s|$)|à)")
# fee words name an item of the sum ("freight 35", "1 setup fee 150"); a tip or deposit may be a share or be taken off
_FEES = FEES - {"tip", "deposit"}
_SEPARATORS = frozenset([",", ";", "+", "plus", "and", "—", "->", "→", ".", ">"])
# the shapes of an item, over one letter per token (see _kind): N figure, C code, L label word,
# U unit of the quantity, R per-unit of the price ("/hr", "an hour"), D per diem, A at/@, X x, E each,
# F for, Q qty, P unit (price), W each way
_LAB = "[LC]*"
SHAPES = [
    ("count_at", rf"{_LAB}(?P<q>N)X?{_LAB}A(?P<p>N)E?"),  # 2 x AP-40 @ 640, cl-5 1 @ 890, 3 hm-300 at 2,180 each
    ("count_at", r"[LC]+X(?P<q>N)A(?P<p>N)E?"),  # belt b-52 x 4 @ 18.25
    ("count_at", r"(?P<q>N)X[LC]*(?P<p>N)"),  # 1x install kit 45, 3x 28.00
    ("count_at", r"[LC]+X(?P<q>N)(?P<p>N)"),  # hm-300 x1 1,299.50
    ("count_at", r"[LCU]+Q(?P<q>N)P(?P<p>N)"),  # ap-40 pump qty 2 unit 349.00
    ("count_at", r"(?P<q>N)[LC]+(?P<p>N)E"),  # 3 laptops 899 each
    ("one_at", r"(?P<q>N)[LC]+(?P<p>N)"),  # 1 setup fee 150 (one of it: no doubt what the price is for)
    ("fee", r"[LC]+(?P<p>N)"),  # freight 35, ap-80 1150
    ("fee", r"(?P<p>N)F[LC]+"),  # 1,200 for the tank
    ("money_fee", r"(?P<p>N)[LC]+"),  # $180 commissioning visit, 85 freight (a sign or a fee word says it is money)
    ("timed", rf"{_LAB}(?P<q>N)(?P<u>U)(?P<d>D)?{_LAB}(?P<w>W)?[AX](?P<p>N)(?P<r>[RD])?"),  # 3 nights at 149, 90 mins at 110 per hour
    ("timed", rf"{_LAB}(?P<p>N)(?P<r>[RD])[FX](?P<q>N)(?P<u>U)"),  # meals 35/day for 4 days, 55 per diem x 4 days
    ("timed", r"(?P<r>D)(?P<p>N)X(?P<q>N)(?P<u>U)"),  # per diem 42.50 x 5 days
    ("crew", r"(?P<n>N)[LC]+[XF]?(?P<q>N)(?P<u>U)E[AX](?P<p>N)(?P<r>R)?"),  # 2 techs 6 hrs each at 65/h
    ("crew", r"(?P<n>N)[LC]+A(?P<p>N)(?P<r>R)F(?P<q>N)(?P<u>U)E"),  # 3 techs at 55 an hour for 7.5 hours each
]


@dataclass
class _Tok:
    kind: str
    text: str
    amount: Amount | None = None


class _NotQuote(Exception):
    """This is not a quote or claim the reader can account for in full."""


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    for m in rx(_TOKEN).finditer(text):
        if text[pos:m.start()].strip():
            raise _NotQuote  # a character no token covers
        pos = m.end()
        if m["code"]:
            code = m["code"]
            if rx(r"x\d+(?:\.\d+)?").fullmatch(code):  # "x2": times two
                toks += [_Tok("X", "x"), _Tok("N", code[1:], amount=Amount(Decimal(code[1:])))]
            elif not any(ch.isdigit() for ch in code) and any(why_risky(part) for part in code.split("-")):
                toks.append(_Tok("risky", code))  # "pre-tax", "add-on": a math word, not a product code
            elif any(ch.isdigit() for ch in code) and not is_code(code):
                raise _NotQuote  # "usd500" (an amount), "m3" (a unit): not a label
            else:
                toks.append(_Tok("C", code))
        elif m["num"]:
            if m["pct"]:
                raise _NotQuote  # a percentage inside the items: not a sum of lines
            try:
                toks.append(_Tok("N", m["num"], amount=parse_amount(m["num"])))
            except CalcError:
                raise _NotQuote from None
        elif m["word"]:
            toks.append(_Tok("word", m["word"]))
        else:
            toks.append(_Tok("op", m["op"]))
    if text[pos:].strip():
        raise _NotQuote
    return toks


def _kind(toks: list[_Tok], i: int) -> str:
    """The letter of token i in the item shapes ('' : a harmless word, dropped; '?' : nothing an item holds)."""
    t = toks[i]
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    if t.kind in ("N", "C", "X"):
        return t.kind
    word = t.text
    if word in ("x", "×"):
        return "X"
    if word in ("at", "@", "à"):
        return "A"
    if word in ("each", "ea", "apiece"):
        return "E"
    if word == "for":
        return "F"
    if word in ("qty", "quantity"):
        return "Q"
    if word == "unit" and i >= 2 and toks[i - 2].text in ("qty", "quantity"):
        return "P"
    if word in ("per", "a", "an", "/") and priced_unit(nxt):
        return ">"  # opens a per-unit (R): folded with the unit below
    if priced_unit(word):
        return "R" if i and toks[i - 1].text in ("per", "a", "an", "/") else "U"
    if word == "perdiem":
        return "D"
    if word == "eachway":
        return "W"
    if t.kind == "word" and word in HARMLESS and word not in ("of", "in", "on", "to", "by", "with", "from", "as",
                                                               "into", "onto", "a", "an", "up", "out"):
        return ""
    if t.kind == "word" and (word in _FEES or not why_risky(word)) and word not in HARMLESS:
        return "L"
    return "?"


def _segments(toks: list[_Tok]) -> list[list[_Tok]]:
    bullets = bool(toks) and toks[0].text == "-"
    segs: list[list[_Tok]] = [[]]
    for i, t in enumerate(toks):
        if t.text in _SEPARATORS or (t.text == "-" and bullets) or (t.text == "/" and (
                i + 1 >= len(toks) or not priced_unit(toks[i + 1].text))):
            segs.append([])
            continue
        segs[-1].append(t)
        prev = [x.text for x in segs[-1][-3:]]
        # "... @ 640 6 x ..." (the line breaks were lost): an item ends after its price
        if t.kind == "N" and len(prev) >= 2 and prev[-2] in ("@", "at", "à", "unit") and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt.kind in ("N", "C") or (nxt.kind == "word" and _kind(toks, i + 1) == "L"):
                segs.append([])
    return [s for s in segs if s]


def _term(seg: list[_Tok], round_trip: bool) -> str:
    letters, kept = [], []
    for i in range(len(seg)):
        k = _kind(seg, i)
        if k == "?":
            raise _NotQuote
        if k and k != ">":
            letters.append(k)
            kept.append(seg[i])
    sig = "".join(letters)
    if not sig or set(sig) <= {"L", "C"}:
        return ""  # a heading or only words
    for shape, pattern in SHAPES:
        m = rx(pattern).fullmatch(sig)
        if m:
            break
    else:
        raise _NotQuote
    got = {g: kept[m.start(g)] for g in ("q", "p", "u", "r", "n", "w", "d") if m.groupdict().get(g)}
    price = got["p"].amount
    if shape == "money_fee" and price.currency is None and kept[-1].text not in _FEES:
        raise _NotQuote  # "180 boxes" is a count; "180 freight", "180 commissioning fee" a fee (money)
    factors = [] if shape in ("fee", "money_fee") else [got["q"].amount.value]
    if shape == "one_at" and factors != [1]:
        raise _NotQuote  # "3 docks 179": 179 each or for the three?
    if shape == "crew":
        factors.insert(0, got["n"].amount.value)
    if "w" in got:
        if not round_trip:
            raise _NotQuote
        factors.insert(0, Decimal(2))
    body = " * ".join(_show(f) for f in factors)
    if "u" in got:
        unit, _ = priced_unit(got["u"].text)
        per = ("day", None) if got.get("r") is not None and got["r"].text == "perdiem" else (
            priced_unit(got["r"].text) if "r" in got else None)
        if "d" in got and (unit != "day" or (per is not None and per[0] != "day")):
            raise _NotQuote  # "3 nights per diem"
        if per is not None and per[0] != unit:
            raise _NotQuote  # "3 nights at 0.30/km"
        if priced_unit(got["u"].text)[1] is None and per is not None:
            body += " / 60"  # minutes at a price per hour
        elif priced_unit(got["u"].text)[1] is None:
            raise _NotQuote  # "90 mins at 110": per minute or per hour?
    elif "r" in got:
        raise _NotQuote  # a price per hour on a count of things
    price_text = as_operand(price)
    return f"({body} * {price_text})" if body else f"({price_text})"


def _show(value: Decimal) -> str:
    return format(value, "f")


def read(text: str) -> Calculation | None:
    """The total of the quote lines or claim items in ``text``, with the working; None when it is not one."""
    text, headed = rx(_HEADER).subn("", text, count=1)
    text = re.sub(r"\bper\s+diem\b", "perdiem", text)
    text = re.sub(r"\bafter[\s-]hours\b", "afterhours", text)  # a rate's name, not "after" a change
    # "hourly rate 142.50 for 1.75 hours": the rate's name says what it is per
    text = rx(rf"\b(?:(?P<per>hourly|daily)\s+rate|rate\s+per\s+(?P<per2>hour|day))\s+(?:of\s+|is\s+)?"
              rf"(?P<p>[$€£]?{NUMBER}[$€£]?)").sub(
        lambda m: f"{m['p']} per {'hour' if 'hour' in (m['per'] or m['per2']) else 'day'}", text)
    round_trip = bool(rx(r"\bround\s+trip\b").search(text)) and " each way" in text
    if round_trip:
        text = re.sub(r"\s*\bround\s+trip\b\s*,?\s*", " ", text).replace(" each way", " eachway").strip()
    per = rx(r"\d/([a-z]+)").search(text)
    if per and not priced_unit(per[1]):
        return None  # "3/bottle": a price per something the items do not count (not a line break)
    ask = rx(_ASK).search(text)  # "..., plus 14% hotel tax, total": the question after a closing tax
    if ask and ask.start() and rx(_TAX).search(text[:ask.start()]):
        text, headed = text[:ask.start()], True
    tax = rx(_TAX).search(text)  # "..., then add 7.5% tax": on the sum, after any closing discount
    if tax:
        text = text[:tax.start()]
    discount = None
    m = rx(_DISCOUNT).search(text)
    if m:
        discount = m["p"] or m["q"]
        text = text[:m.start()]
    m = rx(_ASK).search(text)
    if m:
        text, headed = text[:m.start()], headed or m.start() > 0
    try:
        toks = _tokens(text.strip())
        terms = [t for t in (_term(seg, round_trip) for seg in _segments(toks)) if t]
    except _NotQuote:
        return None
    if not headed and all(t.kind in ("N", "X") or t.text in ("x", "×", *_SEPARATORS) for t in toks):
        return None  # "1,450 x 12": bare arithmetic is the evaluator's (a plain number, not money)
    if not terms or (len(terms) == 1 and " * " not in terms[0]):
        return None  # one figure is not a sum
    expression = " + ".join(terms)
    if discount is not None:
        expression = f"({expression}) - {discount}%"
    if tax:
        expression = f"({expression}) + {tax['t']}%"
    from .phrases import evaluated

    return evaluated(expression, kind="line_items", as_money=True)

"""How many packs a need takes, said as a need and a pack size: "need 130 sensors, they come in packs
of 12, how many packs" -> 11; "350 m of cable, rolls are 50m, how many rolls" -> 7 (a part pack is
still a pack). (sharing.containers reads the other order: "how many boxes of 24 for 500".)

The question names the pack ("how many rolls"); the pack size is the figure tied to that word
("packs of 12", "6m lengths", "rolls are 50m", "one box covers 1.44 m2"), and the need is the one
other figure. Both in units (m, l, kg ...): the units must measure the same thing and the need is
converted to the pack's unit; a unit on one side only, or two different things counted ("130
sensors" in "packs of 12 filters"), is refused. Every other word goes through the vocabulary.
"""
from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal

from .business import unit_price as biz_unit_price
from .conversions import unit_of
from .numbers import (
    AMOUNT_UNSIGNED,
    NUMBER,
    CalcError,
    parse_amount,
    parse_number,
    rx,
    show,
)
from .report import Calculation
from .spoken import singular
from .units import convert, dimension
from .vocab import leftover_check, why_risky

_ASK = (r"\s*,?\s*how\s+many\s+(?P<box>[a-z]+)(?:\s+(?:do|will|would|should|shall)\s+(?:i|we|you|they)\s+"
        r"(?:need(?:\s+to\s+(?:order|buy|get))?|order|buy|get))?$")
_FIG = rf"(?<![\w.,-])(?P<n>{NUMBER})\s?(?P<u>[a-z][a-z0-9]*)?"


def read(text: str) -> Calculation | None:
    ask = rx(_ASK).search(text)
    if not ask or ask.start() == 0:
        return None
    box, body = ask["box"], text[:ask.start()]
    if why_risky(box) or unit_of(box):
        return None  # "how many months", "how many litres": not packs
    figs = list(rx(_FIG).finditer(body))
    if len(figs) != 2:
        return None
    b = rf"(?:{re.escape(box)}|{re.escape(singular(box))})"
    size_at = None
    packed_as = (rf"\b(?:one\s+|a\s+|each\s+)?{b}\s+(?:of|holding|containing)\s+$",  # packs of 12
                 (rf"\b(?:one\s+|a\s+|each\s+)?{b}(?:\s+of\s+[a-z]+)?\s+(?:is|are|hold|holds|contain|contains|"
                  rf"cover|covers|take|takes|fit|fits)\s+$"))  # rolls are 50m, one box of tiles covers 1.44 m2
    for pattern in packed_as:
        for i, f in enumerate(figs):
            if rx(pattern).search(body[:f.start()]):
                size_at = (i, f.start() - len(rx(pattern).search(body[:f.start()]).group()), f.end())
    for i, f in enumerate(figs):  # 6m lengths, 2.5 l jugs
        if size_at is None and rx(rf"\s+{b}\b").match(body, f.end()):
            size_at = (i, f.start(), rx(rf"\s+{b}\b").match(body, f.end()).end())
    if size_at is None:
        return None
    size_fig, need_fig = figs[size_at[0]], figs[1 - size_at[0]]
    if any(f["u"] and why_risky(f["u"]) and not unit_of(f["u"]) for f in figs):
        return None  # "need 130 twice": the word after a figure is its noun or unit, never a multiplier
    size, need = parse_number(size_fig["n"]), parse_number(need_fig["n"])
    size_word = size_fig["u"] if size_fig["u"] and not rx(rf"{b}").fullmatch(size_fig["u"]) else None
    su, nu = unit_of(size_word), unit_of(need_fig["u"])
    if (su is None) != (nu is None):
        return None  # "rolls are 50m" for "350 cable": a length against a count
    steps = []
    if su is not None:
        if dimension(su) != dimension(nu):
            return None
        if su != nu:
            need, conv = convert(need, nu, su)
            steps += conv
    elif size_word and need_fig["u"] and singular(size_word) != singular(need_fig["u"]):
        return None  # packs of 12 filters for 130 sensors
    if size <= 0:
        raise CalcError("a pack must hold something")
    consumed = {box, singular(box), "one", "each"}
    rest = body[:size_at[1]] + " " + body[size_at[2]:need_fig.start()] + " " + body[need_fig.end():] \
        if need_fig.start() > size_at[2] else body[:need_fig.start()] + " " + body[need_fig.end():size_at[1]] + " " \
        + body[size_at[2]:]
    leftover_check(rest, consumed=frozenset(consumed), labels=True)
    exact = need / size
    packs = exact.to_integral_value(rounding=ROUND_CEILING)
    steps.append(f"{show(need)} ÷ {show(size)} = {show(exact)}" + (
        f" → {show(packs)} {box} (rounded up: a part-full one is still needed)" if packs != exact else ""))
    return Calculation("containers", f"{show(packs)} {box}", packs, steps, unit=box, exact=exact)


# "unit price:", "price per litre if", "cost per unit if" (first) / ", cost per litre", "how much per 100" (last)
def _per(n: str) -> str:  # what the price is asked per: a word, or a count and maybe its noun ("per 100")
    return rf"(?:(?P<per{n}>[a-z]+)|(?P<many{n}>\d+)(?:\s+(?!(?:if|when|for|of|with)\b)(?P<mper{n}>[a-z]+))?)"


_ASK_FIRST = (rf"^(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:unit\s+(?:price|cost)|(?:price|cost)\s+(?:per|a)\s+{_per(1)}|"
              rf"per[\s-]unit\s+(?:price|cost))\s*(?::|,|if|when|for|of|with)?\s+")
_ASK_LAST = (rf"\s*,?\s*(?:(?:what(?:'s|s|\s+is)?|how\s+much)(?:\s+is\s+(?:it|that|this))?\s+)?(?:the\s+)?"
             rf"(?:unit\s+(?:price|cost)|(?:price|cost)\s+(?:per|a)\s+{_per(2)}|(?:price|cost)\s+each|per\s+{_per(3)})$")
_PRICE_CUE = r"(?:\bfor|\bis|\bcosts?|\bcosting|\bat|@|\bsells?\s+for)\s+$"
_ANY_ONE = frozenset(["unit", "units", "item", "items", "piece", "pieces", "one", "each", "pc", "pcs", "ea"])


def _fits(per: str, word: str | None) -> bool:
    if word is None:
        return False
    if singular(per) == singular(word):
        return True
    a, b = unit_of(per), unit_of(word)
    return a is not None and a == b


def unit_price(text: str) -> Calculation | None:
    """'price per litre if a 20 l drum is 86 bucks' -> 4.30; '1000 sheets for 8.90 how much per 100' -> 0.89.

    Two figures: the price (a currency, or the figure after 'for'/'is'/'costs', or the bare one beside a
    measured one) and the pack (its unit or noun must be what the question is per, unless it asks
    per unit or item)."""
    ask = rx(_ASK_FIRST).search(text) or rx(_ASK_LAST).search(text)
    if not ask:
        return None
    body = text[ask.end():] if ask.start() == 0 else text[:ask.start()]
    if ask.start() and rx(r"^\s+per\s+\d").match(ask.group()) and rx(rf"{NUMBER}$").search(body):
        return None  # "3 at 20 per 2": the price's own unit (20 a pair), not a question ("..., per 2?")
    got = {k.rstrip("123"): v for k, v in ask.groupdict().items() if v}
    per = got.get("per") or got.get("mper")
    many = Decimal(got["many"]) if "many" in got else None
    figs = list(rx(rf"(?<![\w.,-])(?P<a>{AMOUNT_UNSIGNED})(?:\s?(?P<u>[a-z][a-z0-9]*))?").finditer(body))
    if len(figs) != 2 or (many is not None and many <= 0):
        return None
    amounts = [parse_amount(f["a"]) for f in figs]
    marked = [i for i, a in enumerate(amounts) if a.currency]
    cued = [i for i, f in enumerate(figs) if rx(_PRICE_CUE).search(body[:f.start()])]
    measured = [i for i, f in enumerate(figs) if f["u"] and f["u"] not in ("for", "is", "costs", "cost", "and")]
    if len(marked) == 1:
        p = marked[0]
    elif not marked and len(cued) == 1:
        p = cued[0]
    elif not marked and len(measured) == 1:
        p = 1 - measured[0]
    else:
        return None
    size_fig = figs[1 - p]
    if amounts[1 - p].currency:
        return None
    size_word = size_fig["u"] if (1 - p) in measured else None
    if size_word and why_risky(size_word) and not unit_of(size_word):
        return None  # "3 dozen cost 36": per piece or per dozen?
    if per is not None and per not in _ANY_ONE and not _fits(per, size_word):
        return None  # "cost per litre" of "a box of 24"
    size = amounts[1 - p].value
    if size <= 0:
        raise CalcError("a pack must hold something")
    spans = sorted([(size_fig.start(), size_fig.end() if size_word else size_fig.end("a")),
                    (figs[p].start(), figs[p].end("a"))])  # a word after the price is not consumed: "30 each"
    rest = body[:spans[0][0]] + " " + body[spans[0][1]:spans[1][0]] + " " + body[spans[1][1]:]
    leftover_check(rest, consumed=frozenset(["for", "is", "costs", "cost", "costing", "sells", "sell"]), labels=True)
    if many is None:
        return biz_unit_price(amounts[p], size)
    from .phrases import evaluated

    return evaluated(f"{show(amounts[p].value)} / {show(size)} * {show(many)}", as_money=True)

"""Sharing and comparing: splits between people (with someone paying half or double), ratio splits,
how many boxes a quantity needs, which offer is cheaper per unit, the price of one out of a pack,
and averages or totals of labelled figures ("mon 420, tue 385.50, ...").

Each reader takes the words it understands out of the text and sends what is left through the
same checks as everything else (the plain-speech reader or labels.bind), so nothing is skipped.
"""
from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise

from . import business as biz
from . import speech
from .conversions import unit_of
from .labels import bind, figures, first_reading
from .normalise import NUMBER_WORDS, rx
from .numbers import (
    AMOUNT,
    NUMBER,
    Amount,
    CalcError,
    money,
    parse_amount,
    parse_number,
    rounding_note,
    show,
    show_money,
)
from .report import Calculation
from .vocab import Unaccounted, check_container, leftover_check

_N = rf"(?:\d+|{'|'.join(NUMBER_WORDS)})"
_PEOPLE = (rf"(?:split|shared?|divided?|spread)?\s*(?:it\s+|up\s+)?(?:between|among|amongst|across|into|with|for)\s+"
           rf"(?P<n1>{_N})(?![\d.,])(?:\s+(?:ways?|people|persons|of\s+us|of\s+them|friends|guys|drivers|colleagues|staff|"
           rf"members|reps|shares|parts|(?!(?:but|and|or|with|where|while|so|each|if|per|plus|minus)\b)[a-z]+)\b)?|\b(?P<n2>{_N})\s+(?:ways?|of\s+us)\b|\b(?P<n3>{_N})\s+people\b|"
           rf"\bby\s+(?P<n4>{_N})\s+(?:people|persons|ways)\b")
_ODD_SHARE = (r"(?:,\s*)?(?:but|and|with|where|while)?\s*(?P<k>one|1|two|2)\s+(?:of\s+(?:them|us)\s+|person\s+|people\s+|"
              r"[a-z]+\s+)?(?:only\s+)?(?:pays?|gets?|takes?|owes?)\s+(?P<f>half|double|twice|a\s+third|a\s+quarter)"
              r"(?:\s+(?:a\s+share|share|as\s+much|the\s+amount))?")
_FACTOR = {"half": Decimal("0.5"), "double": Decimal(2), "twice": Decimal(2), "a third": Decimal(1) / 3,
           "a quarter": Decimal("0.25")}
_ASK_SHARE = (r"(?:,\s*)?(?:(?:so\s+)?(?:how\s+much|what)(?:'s|s)?\s+(?:does|do|is|would|will)?\s*(?:a\s+|one\s+|each\s+)?"
              r"(?:full\s+)?(?:share|person|one|each(?:\s+person)?)?\s*(?:cost|pay|owe|get|be)?(?:\s+each)?|"
              r"per\s+(?:person|head|share)|each)\s*$")


def split(text: str) -> Calculation | None:
    """'4 of us split a 96 cab and a 180 hotel, per person', '147.60 plus a 15% tip, split between 7 of us'."""
    if not rx(r"\b(?:split|share|shared|spread|between|among|amongst|per\s+person|per\s+head|each\s+pay)\b")\
            .search(text):
        return None  # "divided by 8" is division, not shares
    people = list(rx(_PEOPLE).finditer(text))
    if len(people) != 1:
        return None
    m = people[0]
    if rx(r"\b(?:per|a|each)\s+(?:person|head|share)\b|\beach\b").search(text[:m.start()]):
        # "5 per person for 12 people": the figure is one share already, not the total to split
        raise Unaccounted("the amount is per person already; say the total to split, or 'for 12 people at 5 each'")
    noun = rx(r"^(?:[a-z]+\s+)*?\d+\s+(?:of\s+)?([a-z]+)$").match(m.group().strip())
    asked_per = re.search(r"\bper\s+([a-z]+)\s*$", text)
    if noun and noun[1] not in ("us", "them") and not (asked_per and speech.singular(asked_per[1]) ==
                                                        speech.singular(noun[1])):
        leftover_check(noun[1], labels=True)  # "between 5 people", not "between 5 twice"; "across 6 months ... per month" is fine
    n = m["n1"] or m["n2"] or m["n3"] or m["n4"]
    ways = Decimal(NUMBER_WORDS.get(n, n))
    rest = text[:m.start()] + " " + text[m.end():]
    note = None
    odd = rx(_ODD_SHARE).search(rest)
    if odd:
        k = Decimal(1 if odd["k"] in ("one", "1") else 2)
        factor = _FACTOR[" ".join(odd["f"].split())]
        shares = ways - k + k * factor
        note = f"{show(ways)} people, {show(k)} paying {odd['f']} a share: {show(ways - k)} + {show(k)} × " \
               f"{show(factor)} = {show(shares)} shares"
        rest = rest[:odd.start()] + " " + rest[odd.end():]
    else:
        shares = ways
    if asked_per and noun and speech.singular(asked_per[1]) == speech.singular(noun[1]):
        rest = re.sub(r"(?:,\s*)?(?:(?:how\s+much|what(?:'s|s)?)(?:\s+is\s+(?:that|it))?\s+)?per\s+[a-z]+\s*$", " ", rest)
    rest = rx(_ASK_SHARE).sub(" ", rest.strip(" ,"))
    rest = re.sub(r"\b(?:we\s+need\s+to\s+|need\s+to\s+|to\s+)?(?:split|share|shared|divide|divided|spread)"
                  r"(?:\s+(?:evenly|equally))?\b", " ", rest)
    rest = re.sub(r"(?:\s+(?:to|and))+\s*$", "", re.sub(r"\s+", " ", rest).strip(" ,")).strip(" ,")
    total = speech.read(rest, single=True) if re.search(r"[a-z]", rest) else None
    if total is None:
        try:
            total_amount = parse_amount(rest)
        except CalcError:
            raise Unaccounted("I can't tell what is being split") from None
        value, steps, cur = total_amount.value, [], total_amount.currency
    else:
        value, steps, cur = total.exact if total.exact is not None else total.result, list(total.steps), total.currency
    if shares <= 0:
        raise CalcError("a split needs at least one share")
    if not odd and shares == shares.to_integral_value() and not steps:
        return biz.split(Amount(value, cur), shares)
    exact = value / shares
    share = money(exact)
    if note:
        steps.append(note)
    rnote = rounding_note(exact, share, "cents")
    steps.append(f"{show(value)} ÷ {show(shares)} = {show_money(share, cur)}" + (f" ({rnote})" if rnote else ""))
    return Calculation("split", f"One share: {show_money(share, cur)}", share, steps, currency=cur, exact=exact,
                       extra={"shares": shares})


def ratio(text: str) -> Calculation | None:
    """'divide 7,500 in the ratio 2 to 3, whats the bigger share'."""
    m = rx(rf"^(?:divide|split|share)\s+(?P<total>{AMOUNT})\s+(?:in|by|into)?\s*(?:a\s+|the\s+)?ratio\s+(?:of\s+)?"
           rf"(?P<parts>{NUMBER}(?:\s*(?::|to|and|,)\s*{NUMBER})+)(?P<rest>.*)$").match(text) or \
        rx(rf"^(?:(?:divide|split|share)\s+(?P<total>{AMOUNT})|(?P<total2>{AMOUNT})\s+(?:split|divided|shared))\s+"
           rf"(?:in\s+|by\s+|as\s+)?(?P<parts>{NUMBER}(?:\s*/\s*{NUMBER})+)(?P<rest>.*)$").match(text)  # 60/40
    if not m:
        return None
    parts = [parse_number(p) for p in re.findall(NUMBER, m["parts"])]
    ask = rx(r"\b(?P<w>bigger|biggest|larger|largest|smaller|smallest|first|second|third)\b").search(m["rest"])
    if not ask:
        raise Unaccounted("say which share you want, as in 'the bigger share'")
    leftover_check(m["rest"].replace(ask.group(), " "), consumed=frozenset({"share", "part", "portion"}), labels=True)
    which = ask["w"]
    index = {"first": 0, "second": 1, "third": 2}.get(which)
    part = (max(parts) if which.startswith(("big", "larg")) else min(parts)) if index is None else parts[index] \
        if index < len(parts) else None
    if part is None:
        raise Unaccounted(f"there is no {which} part in this ratio")
    total = parse_amount(m["total"] or m.groupdict().get("total2"))
    whole = sum(parts, Decimal(0))
    exact = total.value * part / whole
    share = money(exact)
    steps = [f"parts: {' + '.join(show(p) for p in parts)} = {show(whole)}",
             f"{show(total.value)} × {show(part)} ÷ {show(whole)} = {show_money(share, total.currency)}"]
    return Calculation("ratio_share", f"The {which} share: {show_money(share, total.currency)}", share, steps,
                       currency=total.currency, exact=exact)


def containers(text: str) -> Calculation | None:
    """'how many boxes of 24 do i need for 500 units' -> 21 (a part box is still a box)."""
    m = rx(rf"^how\s+many\s+(?P<box>[a-z]+)\s+(?:of|holding|with)\s+(?P<size>{NUMBER})(?:\s+(?P<inner>[a-z]+))?\s+(?:do|will|would|"
           rf"does)?\s*(?:i|we|you|they)?\s*(?:need|take|it\s+take)\s+(?:for|to\s+(?:hold|fit|pack|ship|carry|store))\s+"
           rf"(?P<qty>{NUMBER})(?:\s+(?P<noun>[a-z]+))?$").match(text)
    if m and m["box"]:
        leftover_check(m["box"], labels=True)
    if not m:
        return None
    for slot in ("noun", "inner"):
        if m[slot] and not (slot == "inner" and m[slot] in ("do", "will", "would", "does")):
            leftover_check(m[slot], labels=True)
    size, qty = parse_number(m["size"]), parse_number(m["qty"])
    if size <= 0:
        raise CalcError("a box must hold something")
    exact = qty / size
    boxes = exact.to_integral_value(rounding=ROUND_CEILING)
    steps = [f"{show(qty)} ÷ {show(size)} = {show(exact)}" + (f" → {show(boxes)} {m['box']} (rounded up: a part-full "
                                                                f"one is still needed)" if boxes != exact else "")]
    return Calculation("containers", f"{show(boxes)} {m['box']}", boxes, steps, unit=m["box"], exact=exact)


# "12 for 8.99": a pack at a price ("12 at 8.99" is 8.99 each everywhere else in calc, so it is no offer here)
_OFFER = rf"(?P<q>{NUMBER})\s*(?P<u>[a-z]+)?\s+for\s+(?P<p>{AMOUNT})"


def cheaper(text: str) -> Calculation | None:
    """'12 for 8.99 or 24 for 16.49, whats the cheaper price per can' -> the lower unit price."""
    ask = rx(r"\b(?P<w>cheaper|cheapest|better\s+deal|best\s+deal|better\s+value|best\s+value|lower|lowest|"
             r"dearer|more\s+expensive|most\s+expensive|higher|highest)\b").search(text)
    if not ask or not rx(r"\b(?:or|vs|versus)\b").search(text):
        return None
    offers = list(rx(_OFFER).finditer(text))
    if len(offers) < 2:
        return None
    units = {o["u"] for o in offers}
    if len(units) > 1:
        raise Unaccounted("the offers are in different units")
    rest = text
    for o in reversed(offers):
        rest = rest[:o.start()] + " " + rest[o.end():]
    questions = list(rx(rf"\b{re.escape(ask.group())}(?:\s+(?:price|one|deal|value))?(?:\s+(?:per|a)\s+"
                        rf"(?P<noun>[a-z]+))?(?:\s+(?:price|one))?").finditer(rest))  # "the cheaper price per can"
    for question in reversed(questions):
        if question["noun"] and not any(u and speech.singular(u) == speech.singular(question["noun"]) for u in units):
            leftover_check(question["noun"], labels=True)  # "cheaper per litre" of offers in litres is the question itself
        rest = rest[:question.start()] + " " + rest[question.end():]
    leftover_check(rest, consumed=frozenset({"or", "vs", "versus", "price", "deal", "value", "one", "which"}), labels=True)
    rows = []
    for o in offers:
        q, p = parse_number(o["q"]), parse_amount(o["p"])
        if q <= 0:
            raise CalcError("a quantity must be above 0")
        rows.append((p.value / q, q, p))
    high = ask["w"] in ("dearer", "more expensive", "most expensive", "higher", "highest")
    best = max(rows, key=lambda r: r[0]) if high else min(rows, key=lambda r: r[0])
    cur = best[2].currency
    steps = [f"{show_money(p.value, p.currency)} ÷ {show(q)} = {show(unit)} each" for unit, q, p in rows]
    shown = money(best[0])
    steps.append(f"{'highest' if high else 'lowest'}: {show(best[0])} → {show_money(shown, cur)} per unit")
    return Calculation("unit_price", f"{'Dearer' if high else 'Cheaper'} per unit: {show_money(shown, cur)} "
                       f"({show(best[1])} for {show_money(best[2].value, cur)})", shown, steps, currency=cur,
                       exact=best[0])


def pack(text: str) -> Calculation | None:
    """'pack of 6 for 9.00 how much each', 'case of 12 at 54, price per unit', 'box of 500 screws 32.50, cost
    for 120 screws'."""
    m = rx(rf"^(?:a\s+)?(?P<pack>[a-z]+)\s+of\s+(?P<n>{NUMBER})(?:\s+(?P<items>[a-z]+))?\s*,?\s*(?:for|at|costs?|is|"
           rf"=|:)?\s*(?P<price>{AMOUNT})\s*,?\s*(?P<ask>.*)$").match(text)
    if not m:
        return None
    for word in (m["pack"], m["items"] or ""):
        leftover_check(word, labels=True)
    n, price = parse_number(m["n"]), parse_amount(m["price"])
    if n <= 0:
        raise CalcError("a pack must hold something")
    ask = m["ask"].strip()
    qty = rx(rf"^(?:what(?:'s|s)?\s+(?:is\s+)?|how\s+much\s+(?:is\s+|are\s+|for\s+)?)?(?:cost|price)?\s*(?:for|of)?\s*"
             rf"(?P<q>{NUMBER})(?:\s+(?P<u>[a-z]+))?$").match(ask)
    each = rx(r"^(?:(?:what(?:'s|s)?|how\s+much)(?:\s+is|\s+are)?\s+)?(?:price|cost)?\s*(?:per\s+(?:unit|item|piece|one|"
              r"[a-z]+)|each|for\s+one|unit\s+price|a\s+piece)(?:\s+price)?$|^how\s+much\s+each$").match(ask)
    if qty:
        if qty["u"] and m["items"] and speech.singular(qty["u"]) != speech.singular(m["items"]):
            raise Unaccounted(f"the pack holds {m['items']}, not {qty['u']}")
        q = parse_number(qty["q"])
        exact = price.value / n * q
        steps = [f"{show(price.value)} ÷ {show(n)} × {show(q)} = {show(exact)}"]
        shown = money(exact)
        return Calculation("unit_price", f"{show(q)} cost {show_money(shown, price.currency)}", shown, steps,
                           currency=price.currency, exact=exact)
    if each:
        per = re.search(r"per\s+([a-z]+)", ask)
        if per and per[1] not in ("unit", "item", "piece", "one") and not (
                m["items"] and speech.singular(per[1]) == speech.singular(m["items"])):
            raise Unaccounted(f"the pack holds {m['items'] or 'units'}, not {per[1]}s")
        return biz.unit_price(price, n)
    return None


def per_each(text: str) -> Calculation | None:
    """'paying 650 for 5 nights, whats that per night', 'if 12 cost 30, how much is one'."""
    m = rx(rf"^(?:[a-z']+\s+){{0,3}}?(?:(?P<total>{AMOUNT})\s+(?:for|over)\s+(?P<n>{NUMBER})(?:\s+(?P<noun>[a-z]+)"
           rf"(?:\s+of\s+(?P<stuff>[a-z]+))?)?|"
           rf"(?P<n2>{NUMBER})(?:\s+(?P<noun2>[a-z]+))?\s+(?:cost|costs|is|are|come\s+to|for)\s+(?P<total2>{AMOUNT}))"
           rf"\s*,?\s*(?:(?:so\s+)?(?:what(?:'s|s)?|how\s+much)(?:\s+(?:is|does|do|would|will))?(?:\s+(?:that|it|this))?"
           rf"(?:\s+(?:cost|come\s+to|be))?\s+)?(?P<ask>per\s+[a-z]+|a\s+[a-z]+|each|one|for\s+one|apiece)$").match(text)
    if not m:
        return None
    total = parse_amount(m["total"] or m["total2"])
    n = parse_number(m["n"] or m["n2"])
    noun = m["noun"] or m["noun2"]
    lead = text[:m.start("total") if m["total"] else m.start("n2")]
    leftover_check(lead, labels=True)
    ask = m["ask"].split()[-1]
    if ask not in ("each", "one", "apiece", "unit", "item", "piece"):
        if not noun or speech.singular(ask) != speech.singular(noun):
            raise Unaccounted(f"the question is per {ask}, but the count is of {noun or 'units'}")
    elif noun:
        leftover_check(noun, labels=True)
    if m["stuff"]:  # "75 metres of cable": what is measured, by a unit or a container calc knows
        check_container(noun)
        leftover_check(m["stuff"], labels=True)
    return biz.unit_price(total, n)


def listed(text: str) -> Calculation | None:
    """'average sale this week: mon 420, tue 385.50, ...', 'average of 2.5 kg, 3.1 kg and 4.3 kg per bag'."""
    m = rx(r"\b(?P<w>average|mean|avg|total|sum)\b").search(text)
    if not m:
        return None
    figs = figures(text)
    if len(figs) < 2 or any(f.percent for f in figs):
        return None
    average = m["w"] in ("average", "mean", "avg")
    head = rx(r"^\s*[a-z]+(?:\s+[a-z]+)?\s*:").match(text[figs[0].end:])
    if head and len(figs) > 2:  # "average of 4 deals: 12k, 8k, 15k, 9k": the first figure counts the rest
        if figs[0].amount.value != len(figs) - 1:
            raise Unaccounted(f"{figs[0].text} {head.group().strip(' :')}, but {len(figs) - 1} figures follow")
        text = text[:figs[0].start] + " " * (head.end() + figs[0].end - figs[0].start) + text[figs[0].end + head.end():]
        figs = figs[1:]
    units = set()
    spans = []
    for f in figs:
        after = rx(r"^\s*([a-z]+)").match(text[f.end:])
        unit = after[1] if after else None
        if unit and unit_of(unit):
            units.add(unit_of(unit))
            spans.append((f.start, f.end + after.end()))
        else:
            units.add(None)
            spans.append((f.start, f.end))
    if len(units) > 1:
        raise Unaccounted("the figures are in different units")
    for (_a, end), (start, _b) in pairwise(spans):  # only separators and labels between the figures
        between = text[end:start]
        if not rx(r"^\s*,?\s*(?:(?:and|plus|&|\+|then)\s+)?(?:[a-z]+\s*){0,2}:?\s*$").match(between) or \
                rx(r"\b(?:at|for|of|x|by|per|each|on|times|over|from|to|in)\b").search(between):
            return None
    blanked = "".join(" " if any(a <= i < b for a, b in spans) else ch for i, ch in enumerate(text))
    words = frozenset({"average", "mean", "avg", "total", "sum", "of", "and", "sale", "sales", "per"})
    leftover_check(blanked, consumed=words, allow=frozenset({"rate"}) if average else frozenset(), labels=True)
    return biz.total([f.amount for f in figs], average=average)


def read(text: str) -> Calculation | None:
    return first_reading((ratio, containers, cheaper, pack, per_each, split, listed), text)


__all__ = ["bind", "read"]

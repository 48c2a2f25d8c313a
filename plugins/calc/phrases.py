"""A prompt -> a calculation: the readers in turn, each checked over every word it did not read.

``calculate`` is the entry point (the router's ``accepts`` calls it too: CalcError means "not
computable"). Readers, in order: a currency at a given rate (exchange), formula frames (frames),
before/after frames (changes), the phrase rules below (full-match regular expressions whose free
label slots go through vocab), sharing frames (sharing), the loose price reader (keywords), plain
speech (speech), the fallbacks (quotes, packs, fuel, sequence, taxes), last the evaluator (expr).
A reader that matches but leaves a figure or a math-changing word unexplained raises
Unaccounted and the next one tries; when none reads the whole prompt the user gets the
reason, never a guess. The rounding asked for is applied to the exact value at the end.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache

from . import business as biz
from . import changes, exchange, fallbacks, frames, sharing, speech
from .conversions import converted
from .expr import evaluate
from .foreign import foreign_number_word
from .keywords import loose_price
from .normalise import TAIL, read_prompt, rx
from .numbers import (
    AMOUNT,
    NUMBER,
    CalcError,
    money,
    parse_amount,
    parse_number,
    rounding_note,
    show,
    show_money,
    tidy,
)
from .report import Calculation, apply_rounding, as_asked
from .units import canonical, convert, dimension
from .vocab import Unaccounted, leftover_check


def A(name: str) -> str:  # an amount with optional currency
    return rf"(?P<{name}>{AMOUNT})"


def P(name: str) -> str:  # a percentage
    return rf"(?P<{name}>-?{NUMBER})\s?%"


TAX = r"(?P<label>(?:sales\s+)?(?:tax|vat|gst|hst|pst))"
_UNIT_WORDS = r"[a-z°'\"][a-z°'\". ^0-9]*?"
_FREE = iter(range(10**6))


def F(pattern: str, allow: str = "") -> str:
    """A free slot of a rule (label words it does not interpret): checked against the vocabulary after a match.

    ``allow``: kinds of word that cannot change this rule's result ("rate", "unit", "multiplier").
    """
    return rf"(?P<_f{next(_FREE)}_{allow.replace(',', '_')}>{pattern})"


def check_free(m: re.Match) -> None:
    """Every free slot of a matched rule holds no figure and no word that changes the math."""
    for name, value in m.groupdict().items():
        if name.startswith("_f") and value:
            allow = frozenset(name.split("_")[2:])
            leftover_check(value, allow=allow, labels=True)


# --- builders ----------------------------------------------------------------------
def _pct(m: re.Match, name: str = "p") -> Decimal:
    return parse_number(m[name].lstrip("-")) * (-1 if m[name].startswith("-") else 1)


def _conversion(m: re.Match) -> Calculation | None:
    if rx(r"\s\d").search(m["src"]):
        return None  # "5 foot 11 in cm": a figure inside the unit words (conversions.read reads heights)
    try:
        src, dst = canonical(m["src"]), canonical(m["dst"])
    except CalcError:
        if m.group(0).startswith("convert") or _known(m["dst"]) or _known(m["src"]):
            raise
        return None
    return converted(parse_amount(m["v"]).value, src, dst)


def _compound(m: re.Match) -> Calculation | None:
    """'6 ft 2 in to cm', "5'10\" in cm", '1 lb 4 oz in grams': two parts of one quantity."""
    if not (_known(m["u1"]) and _known(m["u2"])):
        return None
    u1, u2, dst = canonical(m["u1"]), canonical(m["u2"]), canonical(m["dst"])
    v1, v2 = parse_number(m["v1"]), parse_number(m["v2"])
    part, _ = convert(v2, u2, u1)  # raises when the parts are different kinds of quantity
    calc = converted(v1 + part, u1, dst)
    calc.headline = f"{show(v1)} {u1} {show(v2)} {u2} = {show(calc.result)} {dst}"
    calc.steps.insert(0, f"{show(v1)} {u1} + {show(v2)} {u2} = {show(v1 + part)} {u1}")
    return calc


def _known(word: str) -> bool:
    try:
        canonical(word)
        return True
    except CalcError:
        return False


# why a discount is given: a name that does not change it
_WHY = r"(?:volume|trade|bulk|loyalty|member|members|cash|seasonal|promo|promotional|staff|intro|introductory|launch)"


def _modifiers(text: str) -> list[biz.Modifier]:
    """' with 20% off, plus 8% tax' -> [discount 20, tax 8]. CalcError on anything left over."""
    mods: list[biz.Modifier] = []
    rest = text.strip()
    joiner = r"(?:(?:,|\band\b|\bthen\b|\bwith\b|\bless\b|\bminus\b|\bplus\b|\bafter\b|\badd\b|\+|-)\s*)*"
    patterns = [
        (rx(rf"^{joiner}(?P<ps>{NUMBER}%(?:\s*(?:,|and|then|plus|\+)\s*{NUMBER}%)*)\s*(?:{_WHY}\s+)?"
                    rf"(?:off|discount)\b"), "discount"),
        # "less 8% volume", ", customer gets 8% off": a discount said with who gets it or why
        (rx(rf"^(?:,\s*)?(?:less|minus)\s+(?P<ps>{NUMBER}%)\s+{_WHY}\b(?:\s+(?:off|discount))?"), "discount"),
        (rx(rf"^(?:,\s*)?(?:and\s+)?(?:the\s+)?(?:customer|client|they|buyer)\s+gets?\s+(?:an?\s+)?(?P<ps>{NUMBER}%)\s*"
            rf"(?:{_WHY}\s+)?(?:off|discount)\b"), "discount"),
        (rx(rf"^{joiner}(?:a\s+)?discount\s+of\s+(?P<ps>{NUMBER}%)"), "discount"),
        (rx(rf"^{joiner}(?P<ps>{NUMBER}%)\s*{TAX}"), "tax"),
        (rx(rf"^{joiner}{TAX}\s*(?:of|at|@)?\s*(?P<ps>{NUMBER}%)"), "tax"),
        (rx(rf"^{joiner}(?:a\s+|an\s+)?(?P<amt>{AMOUNT})\s*(?P<label>off|rebate|discount|credit|deduction)\b"),
         "discount_amount"),
        (rx(rf"^{joiner}(?P<ps>{NUMBER}%)\s*(?P<label>surcharge|fee|overtime|premium|uplift|service\s+charge|"
                    rf"shipping|tip|gratuity|markup)\b"), "surcharge"),
    ]
    while rest:
        for pattern, kind in patterns:
            m = pattern.match(rest)
            if m:
                break
        else:
            raise Unaccounted(f"I don't understand {rest!r} here")
        said = rx(r"\b(?:less|minus)\b|-").search(rest[:m.start("ps")] if "ps" in m.re.groupindex else "")
        if said and kind in ("tax", "surcharge"):  # "540 less 8% tax": the tax taken out, never added
            raise Unaccounted(f"'{said.group()}' takes away, but a {kind} adds; say 'plus' or 'excluding'")
        if kind == "discount_amount":
            amount = parse_amount(m["amt"])
            label = "" if m["label"] == "off" else m["label"]
            mods.append(biz.Modifier(kind, amount.value, label, currency=amount.currency))
        else:
            label = biz.tax_label(m["label"]) if kind == "tax" else (m["label"] if kind == "surcharge" else "")
            for p in re.findall(NUMBER, m["ps"]):
                mods.append(biz.Modifier(kind, parse_number(p), label))
        rest = rest[m.end():].strip()
    return mods


def _priced(m: re.Match) -> Calculation | None:
    if not re.search(r"\boff\b|discount|\b(?:tax|vat|gst|hst|pst)\b", m["mods"]):
        return None  # "1,299 minus 15%" is arithmetic, left to the evaluator
    try:
        mods = _modifiers(m["mods"])
    except CalcError:
        return None  # the looser reading (keywords.loose_price) may still understand it
    return biz.price_with(parse_amount(m["base"]), mods)


def _discounts_first(m: re.Match) -> Calculation | None:
    rates = [biz.Modifier("discount", parse_number(p)) for p in re.findall(NUMBER, m["ps"])]
    try:
        mods = _modifiers(m["mods"] or "")
    except CalcError:
        return None  # e.g. a trailing ", what's the final": tried again without it
    return biz.price_with(parse_amount(m["base"]), rates + mods)


def _tax_first(m: re.Match) -> Calculation:
    mod = biz.Modifier("tax", _pct(m), biz.tax_label(m["label"]))
    return biz.price_with(parse_amount(m["base"]), [mod])


def _line(m: re.Match) -> Calculation:
    """'8 hours at $95 an hour': a price per something must be per what the quantity counts."""
    qty = parse_number(m["qty"])
    price = parse_amount(m["price"])
    noun, per = (m["noun"] or "").split(), m["per"]
    steps: list[str] = []
    if per and per not in ("unit", "item", "piece", "each", "one"):
        if not noun or speech.singular(noun[-1]) != speech.singular(per):
            # "340 km at 0.62 per mile": the quantity in the price's unit, for lengths, weights and volumes
            # only ("8 hours at 95 a day" is a day rate for a working day, not a third of one)
            kinds = {dimension(canonical(w)) if _known(w) else None for w in (noun[-1] if noun else "", per)}
            if len(kinds) != 1 or not kinds <= {"length", "mass", "volume"}:
                raise Unaccounted(f"the price is per {per}, but the quantity is {m['qty']} {' '.join(noun) or 'units'}")
            qty, steps = convert(qty, canonical(noun[-1]), canonical(per))
        leftover_check(" ".join(noun[:-1]), labels=True)
    else:
        leftover_check(" ".join(noun), labels=True)
    calc = biz.price_with(price, _modifiers(m["mods"] or ""), quantity=qty, unit_price=price)
    calc.steps[:0] = steps
    return calc


def _split(m: re.Match) -> Calculation:
    return biz.split(parse_amount(m["total"]), parse_number(m["n"]))


def _unit_price(m: re.Match) -> Calculation:
    a, b = parse_amount(m["x"]), parse_amount(m["y"])
    if a.currency and not b.currency:
        return biz.unit_price(a, b.value)
    if b.currency and not a.currency:
        return biz.unit_price(b, a.value)
    noun = re.match(r"\s+([a-z]+)", m.string[m.end("y"):])
    if noun and noun[1] not in ("each", "unit", "price", "per", "apiece", "cost", "a"):
        return biz.unit_price(a, b.value)  # "3.2k for 40 units": the figure counting things is the quantity
    raise CalcError("which figure is the price and which the quantity? Mark the price with a currency, "
                    "as in '$30 for 12'")


def _per_unit(m: re.Match) -> Calculation:
    """'if 25 kg costs 87.50': the wording fixes which figure is the quantity."""
    qty, total = parse_amount(m["qty"]), parse_amount(m["total"])
    if qty.currency:
        raise CalcError("the quantity cannot be a money amount")
    per, noun = m.groupdict().get("per"), m.groupdict().get("qnoun")
    if noun and per and per not in ("unit", "item", "piece"):  # "cost per kilo if 40 kg costs 130": kilo = kg
        if not (_known(per) and _known(noun) and canonical(per) == canonical(noun)) and \
                speech.singular(per) != speech.singular(noun):
            raise Unaccounted(f"the question is per {per}, but the quantity is {m['qty']} {noun}")
    elif noun:
        leftover_check(noun, labels=True)
    elif per and (_known(per) or per in _PERIODS):  # "cost per litre if a box of 24 is 30": not 30 / 24
        raise Unaccounted(f"the question is per {per}, but the quantity is {m['qty']} with no unit")
    return biz.unit_price(total, qty.value)


_PERIODS = {"monthly": ("month", 12), "month": ("month", 12), "quarterly": ("quarter", 4), "quarter": ("quarter", 4),
            "weekly": ("week", 52), "week": ("week", 52), "daily": ("day", 365), "day": ("day", 365)}


def _per_period(m: re.Match) -> Calculation:
    """An annual amount per month/quarter/week/day (a year of 12 months, 4 quarters, 52 weeks, 365 days)."""
    name, per_year = _PERIODS[m["period"]]
    return biz.unit_price(parse_amount(m["total"]), Decimal(per_year), kind="per_period",
                          label=f"Per {name} (a year has {per_year})")


def _list(m: re.Match, average: bool = False) -> Calculation:
    items = [parse_amount(x.group()) for x in re.finditer(AMOUNT, m["items"])]
    return biz.total(items, average=average)


def _tax_included(m: re.Match, want: str) -> Calculation:
    return biz.tax_remove(parse_amount(m["base"]), _pct(m), biz.tax_label(m["label"]), want)


def _adjust(m: re.Match) -> Calculation:
    up = m["dir"] in ("increase", "increased", "raise", "raised", "add", "plus", "up", "grow", "grown", "+")
    return biz.percent_adjust(parse_amount(m["base"]), _pct(m), up)


def _expression(text: str, single_ok: bool = False) -> Calculation:
    expr = text
    for pattern, repl in _WORD_OPS:
        expr = rx(pattern).sub(repl, expr)
    try:
        return evaluated(expr, single_ok=single_ok)
    except CalcError as exc:
        if "unknown word" in str(exc) or "unexpected" in str(exc):
            for cue, example in _HINTS:
                if re.search(cue, text):
                    raise CalcError(f"I couldn't read this as a {example[0]} question; try for example "
                                    f"'{example[1]}' ({exc})") from None
        raise


def evaluated(expr: str, kind: str = "expression", as_money: bool = False, single_ok: bool = False) -> Calculation:
    """``expr`` through the safe evaluator, as a Calculation: money to cents, plain numbers to 10 places.

    ``as_money``: the figures are prices even without a currency sign (line items at a price).
    ``single_ok``: one figure is a fine answer (it is then rounded, or split).
    """
    result = evaluate(expr)
    if not result.steps and not single_ok:
        raise CalcError("there is nothing to work out in a single figure")
    if result.currency or as_money:
        shown = money(result.value)
        note = rounding_note(result.value, shown, "cents")
        answer = show_money(shown, result.currency)
    else:
        shown = tidy(result.value)
        note = rounding_note(result.value, shown, "10 decimal places")
        answer = show(shown)
    steps = list(result.steps)
    if note:
        steps.append(f"{answer} ({note})")
    headline = f"Total: {answer} (read as {_readable(expr)})" if kind == "line_items" else f"{expr} = {answer}"
    return Calculation(kind, headline, shown, steps, currency=result.currency, exact=result.value)


def _readable(expr: str) -> str:
    """'(12 * 30 * 1.10) - 5% + 25' -> '12 × 30 × 1.10 − 5% + 25': how the words were read, for the user to check."""
    return expr.replace(" * ", " × ").replace(" / ", " ÷ ").replace(" - ", " − ").replace("(", "").replace(")", "")


# what an unreadable prompt seems to be about -> an example that works
_HINTS = [
    (r"\bsplit\b|\bshare\b|\bways\b", ("split", "split $1,234 across 3")),
    (r"\bmargin\b|\bmark\s*up\b|\bprofit\b", ("margin", "margin on cost 80 price 120")),
    (r"\bconvert\b|\bhow\s+many\b", ("unit conversion", "convert 5 miles to km")),
    (r"\btax\b|\bvat\b|\bgst\b", ("tax", "add 8.25% sales tax to 1299")),
    (r"\boff\b|\bdiscount", ("discount", "20% then 10% off $450")),
    (r"\bunit\s+price\b|\bper\s+(?:unit|item|piece)\b", ("unit price", "unit price $30 for 12")),
    (r"\btotal\b|\bsum\b|\baverage\b", ("total", "total of 12.50, 8.99 and 4.25")),
]
_N = rf"(?:{NUMBER}|\([^()]*\))"
_WORD_OPS = [
    (rf"\bsquare\s+root\s+of\s+({_N})", r"sqrt(\1)"),
    (rf"\bcube\s+root\s+of\s+({_N})", r"cbrt(\1)"),
    (rf"({_N})\s+squared\b", r"\1^2"),
    (rf"({_N})\s+cubed\b", r"\1^3"),
    (r"\s*\b(?:to\s+(?:the\s+)?power(?:\s+of)?|raised\s+to(?:\s+(?:the\s+)?power\s+of)?|power\s+of)\s+", " ^ "),
    (rf"^multiply\s+({_N})\s+(?:by|and|with)\s+({_N})$", r"\1 * \2"),
    (rf"^divide\s+({_N})\s+by\s+({_N})$", r"\1 / \2"),
    (rf"^(?:add|sum)\s+({_N})\s+(?:and|to|plus)\s+({_N})$", r"\1 + \2"),
    (rf"^subtract\s+({_N})\s+from\s+({_N})$", r"\2 - \1"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    (r"\b(?:times|multiplied\s+by)\b", "*"),
    (r"\b(?:divided\s+by|over)\b", "/"),
    (r"(?<=[\d)%])\s*x\s*(?=[\d($€£¥₹.])", " * "),
]

# labels before a percentage change ("year over year growth from"): the same per month or per year
_LEAD_A = F(r"(?:[a-z'-]+\s+){0,4}", "rate_unit_multiplier")
_LEAD_B = F(r"(?:[a-z']+\s+){0,4}", "rate_unit_multiplier")
# free slots (label words) used in the rules below
_SLOT1 = F(r'[a-z ]+:\s*')
_SLOT2 = F(r'(?:[a-z]+\s+){0,3}')
_SLOT3 = F(r'(?:[a-z]+\s+){0,2}?')
_SLOT4 = F(r'(?:[a-z]+\s+){0,2}?')
_SLOT5 = F(r'(?:a|an|per)\s+[a-z]+', 'rate')
Rule = tuple[re.Pattern, Callable[[re.Match], "Calculation | None"]]
_RULE_TABLE: list[tuple[str, Callable]] = [
    # conversions
    ((rf"(?:convert\s+)?(?P<v1>{NUMBER})\s?(?P<u1>[a-z'\"]+)\s*(?:and\s+)?(?P<v2>{NUMBER})\s?(?P<u2>[a-z'\"]+)\s+"
      rf"(?:to|in|into|as)\s+(?P<dst>{_UNIT_WORDS})"), _compound),
    (rf"(?:convert\s+)?(?P<v>-?{NUMBER})\s?(?P<src>{_UNIT_WORDS})\s+(?:to|in|into|as)\s+(?P<dst>{_UNIT_WORDS})",
     _conversion),
    (rf"how\s+many\s+(?P<dst>{_UNIT_WORDS})\s+(?:are\s+)?(?:in|is|make)\s+(?P<v>-?{NUMBER})\s?(?P<src>{_UNIT_WORDS})",
     _conversion),
    (rf"(?P<src>[a-z°][a-z° ]*?)\s+(?:to|in|into)\s+(?P<dst>[a-z°][a-z° ]*?):?\s+(?P<v>-?{NUMBER})", _conversion),
    # percentages
    (rf"{P('p')}\s+of\s+{A('base')}", lambda m: biz.percent_of(_pct(m), parse_amount(m["base"]))),
    (rf"{A('part')}\s+(?:is\s+)?(?:as\s+a\s+|what\s+)(?:%|percentage)\s+of\s+{A('whole')}",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    (rf"{A('part')}\s+out\s+of\s+{A('whole')}\s*,?\s*(?:as\s+an?|in|is\s+what|what)\s+(?:%|percentage)",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    (rf"what\s+(?:%|percentage)\s+(?:is|of)\s+{A('part')}\s+(?:of|out\s+of)\s+{A('whole')}",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    (rf"what\s+(?:%|percentage)\s+of\s+{A('whole')}\s+is\s+{A('part')}",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    ((rf"(?:%|percentage|percent)\s*(?:change|increase|decrease|difference|growth|drop)\s+(?:from\s+|between\s+)?"
      rf"{A('old')}\s+(?:to|and)\s+{A('new')}"),
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    ((rf"{_LEAD_A}(?:change|increase|decrease|growth|drop|decline|rise|uplift)\s+from\s+{A('old')}\s+to\s+"
      rf"{A('new')}(?:\s+in\s+%|\s+as\s+a\s+%)?"),
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    ((rf"from\s+{A('old')}\s+to\s+{A('new')}\s+(?:is\s+)?(?:what|how\s+much)\s+(?:%|percentage)"
      rf"(?:\s+(?:change|increase|decrease))?"),
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    ((rf"{_LEAD_B}(?:went|grew|rose|fell|dropped|changed|increased|decreased|moved|is\s+up|is\s+down)\s+"
      rf"(?:from\s+)?{A('old')}\s+to\s+{A('new')}\s*,?\s*(?:(?:by\s+)?(?:what|how\s+much)(?:'s|\s+is)?\s+)?"
      rf"(?:%|percentage)(?:\s+(?:change|increase|decrease|growth|drop|rise|cheaper|dearer|lower|higher))?"),
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    ((rf"(?:%\s+)?(?:difference|change)\s+(?:between|from)\s+{A('old')}\s+(?:and|to)\s+{A('new')}\s+"
      rf"(?:as\s+a|in)\s+%"), lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    # tax included in a price
    ((rf"(?:price|amount|net|subtotal)\s+(?:before|without|excluding|ex)\s+(?:tax|vat|gst)\s+(?:if|when|of|for|from)?\s*"
      rf"(?:total|gross|price|it)?\s*(?:was|is|of|came\s+to)?\s*{A('base')}\s+(?:with|including|incl|at|inc)\s+{P('p')}"
      rf"(?:\s+{TAX})?"), lambda m: _tax_included(m, "net")),
    (rf"(?:remove|extract|back\s+out|take\s+out|strip|deduct|exclude)\s+{P('p')}\s+{TAX}\s+from\s+{A('base')}",
     lambda m: _tax_included(m, "net")),
    ((rf"(?:net|pre-tax|ex-vat|price\s+before\s+tax|price\s+without\s+{TAX})\s*(?:price\s+)?(?:of|from|for)?\s*"
      rf"{A('base')}\s+(?:including|incl|inc|inclusive\s+of|with)\.?\s+{P('p')}(?:\s+(?:tax|vat|gst|hst|pst))?"),
     lambda m: _tax_included(m, "net")),
    (rf"{A('base')}\s+(?:including|incl|inc|inclusive\s+of)\.?\s+{P('p')}\s+{TAX}(?:\s+included)?",
     lambda m: _tax_included(m, "net")),
    (rf"(?:how\s+much\s+)?{TAX}\s+(?:is\s+)?(?:included\s+)?in\s+{A('base')}\s+(?:at|@)\s+{P('p')}",
     lambda m: _tax_included(m, "tax")),
    # tax and discounts added to a price
    (rf"add\s+{P('p')}\s+{TAX}\s+(?:to|on(?:\s+top\s+of)?)\s+{A('base')}", _tax_first),
    (rf"{P('p')}\s+{TAX}\s+on\s+{A('base')}", _tax_first),
    (rf"{TAX}\s+on\s+{A('base')}\s+(?:at|@)\s+{P('p')}", _tax_first),
    ((rf"(?:take\s+|apply\s+)?(?P<ps>{NUMBER}%(?:\s*off)?(?:\s*(?:,|and|then|plus|\+)\s*{NUMBER}%(?:\s*off)?)*)"
      rf"\s*(?:off|discount)\s+"
      rf"(?:on\s+|of\s+|from\s+)?{A('base')}(?P<mods>.*)"), _discounts_first),
    (rf"discount\s+{A('base')}\s+by\s+(?P<ps>{NUMBER}%(?:\s*(?:,|and|then|plus|\+)\s*{NUMBER}%)*)(?P<mods>.*)",
     _discounts_first),
    (rf"(?P<dir>increase|raise|decrease|reduce|lower|cut|add)\s+{A('base')}\s+by\s+{P('p')}", _adjust),
    (rf"{A('base')}\s+(?P<dir>increased|decreased|reduced|raised|up|down|grown)\s+(?:by\s+)?{P('p')}", _adjust),
    (rf"add\s+{P('p')}\s+to\s+{A('base')}", lambda m: biz.percent_adjust(parse_amount(m["base"]), _pct(m), True)),
    # quantities, splits, unit prices, totals
    ((rf"{_SLOT1}?(?P<qty>{NUMBER})\s*(?:x\s*|×\s*)?(?:(?P<noun>[a-z][a-z\s-]*?)\s+)?(?:at|@)\s*"
      rf"{A('price')}(?:\s*(?:each|apiece|a\s+piece|(?:per\s+|/\s?|an?\s+)(?P<per>[a-z]+)))?(?P<mods>.*)"), _line),
    ((rf"(?:split|share|divide)\s+(?:up\s+)?{A('total')}\s+{_SLOT2}(?:across|between|among|amongst|into|over|in|with)\s+"
      rf"(?P<n>-?{NUMBER})(?:\s+(?:ways?|people|persons|parts|equal\s+parts|shares|accounts|{F('[a-z]+')}))?"), _split),
    ((rf"(?:split|share)\s+(?:up\s+)?{A('total')}\s+"
      rf"(?P<n>-?{NUMBER})(?:\s+(?:ways?|people|persons|parts|equal\s+parts|shares|accounts|{F('[a-z]+')}))?"), _split),
    ((rf"(?:unit\s+price|price\s+per\s+(?:unit|item|piece|each)|cost\s+per\s+(?:unit|item|piece)|per[\s-]unit"
      rf"(?:\s+price|\s+cost)?)\s*(?:of|for|:|,)?\s*{A('x')}\s*(?:{F('[a-z]+')}\s+)?(?:for|per)\s+{A('y')}(?:\s+{F('[a-z]+')})?"),
     _unit_price),
    ((rf"(?:unit\s+price|price\s+per\s+(?:unit|item|piece|each)|cost\s+per\s+(?:unit|item|piece))\s+(?:if|when|for)\s+"
      rf"(?:an?\s+)?{_SLOT3}(?:of\s+)?{A('x')}(?:\s+{F('[a-z]+')})?\s+(?:costs?|is|are|for|at|sells?\s+for)\s+{A('y')}"),
     _unit_price),
    ((rf"(?:unit\s+price|(?:price|cost)\s+each|(?:price|cost)\s+per\s+(?P<per>[a-z]+))\s+(?:if|when|for|with)\s+(?:an?\s+)?{_SLOT4}(?:of\s+)?"
      rf"(?P<qty>{NUMBER})(?:\s+(?P<qnoun>[a-z]+))?\s+(?:costs?|costing|is|are|for|at|sells?\s+for|sold\s+for)\s+{A('total')}"
      rf"(?:\s+{_SLOT5})?"), _per_unit),
    ((rf"(?:{F('[a-z]+')}\s+)?per\s+(?:head|person|rep|seat|user|employee|member|unit|item)\s+(?:of\s+|for\s+|on\s+)?"
      rf"{A('total')}\s+(?:across|among|between|for|over|with|by)\s+(?P<qty>{NUMBER})(?:\s+{F('[a-z]+')})?"), _per_unit),
    ((rf"(?P<period>monthly|quarterly|weekly|daily)\s+(?:{F('[a-z]+')}\s+)?(?:of|for|on)\s+(?:an?\s+)?{A('total')}"
      rf"\s+(?:annual|yearly|per\s+year|a\s+year)(?:\s+{F('[a-z]+')})?"), _per_period),  # the year said
    (rf"{A('total')}\s+(?:a|per)\s+year\s+(?:is\s+)?(?:how\s+much\s+)?(?:per|a)\s+(?P<period>month|quarter|week|day)",
     _per_period),
    ((rf"{A('x')}\s*(?:{F('[a-z]+')}\s+)?for\s+{A('y')}(?:\s+{F('[a-z]+')})?\s*,?\s*(?:unit\s+price|price\s+per\s+(?:unit|item|piece)"
      rf"|per\s+(?:unit|item|piece)|each)"), _unit_price),
    (rf"(?:total|sum|add\s+up|add\s+together|add\s+(?:these|them|those|this)\s+up|tot\s+up)\s*(?:of\s+)?:?\s*(?P<items>{AMOUNT}(?:\s*(?:,|\+|and|plus)\s*{AMOUNT})+)",
     _list),
    (rf"(?:average|mean|avg)\s*(?:of\s+)?:?\s*(?P<items>{AMOUNT}(?:\s*(?:,|\+|and|plus)\s*{AMOUNT})+)",
     lambda m: _list(m, average=True)),
    # a price followed by discounts and/or tax: "$200 with 20% then 10% off", "1299 plus 8.25% tax"
    ((rf"{A('base')}(?![\d.,%])\s*(?P<mods>(?:,|with|less|minus|then|and|after|plus|\+|-|\s)*(?:{NUMBER}%|{AMOUNT}\s*off|"
      rf"{TAX.replace('?P<label>', '?:')}|(?:a\s+)?discount).*)"), _priced),
]


@cache
def _rules() -> list[Rule]:
    return [(rx(p), f) for p, f in _RULE_TABLE]


def calculate(prompt: str) -> Calculation:
    """The calculation a prompt asks for, with its working; CalcError when it cannot be read for sure.

    Readers are tried in turn. One that matches but leaves a figure or a math-changing word
    unexplained (Unaccounted) lets the next one try; any other CalcError (a domain problem such
    as a zero divisor) is the answer. When nothing reads the whole prompt, the first
    Unaccounted reason is given, else the arithmetic evaluator's.
    """
    text, rounding, question = read_prompt(prompt)
    if not text:
        raise CalcError("nothing to calculate")
    if (word := foreign_number_word(prompt)) is not None:
        raise CalcError(f"I can't read '{word}' as a number yet; please write it in figures")
    unaccounted: list[Unaccounted] = []
    for reader in (exchange.read, frames.read, changes.read, _by_rules, sharing.read,
                   lambda t: loose_price(t, question=question), speech.read, *fallbacks.readers(question)):
        try:
            calc = reader(text)
        except Unaccounted as exc:
            unaccounted.append(exc)
            continue
        if calc is not None:
            try:
                calc = as_asked(calc, text, question)
            except Unaccounted as exc:
                unaccounted.append(exc)
                continue
            return apply_rounding(calc, rounding) if rounding else calc
    try:  # one figure is worth answering only when it is rounded to a number of places ("$5 rounded": nothing)
        calc = _expression(text, single_ok=rounding is not None and rounding.places is not None)
    except CalcError as exc:
        if unaccounted and "unknown word" in str(exc):
            raise unaccounted[0] from None
        raise
    return apply_rounding(calc, rounding) if rounding else calc


_NAMES = {"tax_remove": frozenset({"net", "before", "without", "excluding", "ex"}),
          "discount": frozenset({"after", "final", "discounted"}), "tax_add": frozenset({"after", "final", "gross"})}


def _by_rules(text: str) -> Calculation | None:
    """The first phrase rule that matches the whole text (or the text without a restated question at its end)."""
    tail = rx(TAIL).search(text)
    candidates = [(text, "")] + ([(text[:tail.start()], tail.group())] if tail and tail.start() else [])
    first_unaccounted = None
    for candidate, rest in candidates:
        for pattern, build in _rules():
            m = pattern.fullmatch(candidate)
            if not m:
                continue
            try:
                check_free(m)
                result = build(m)
                if result is not None:  # a restated question may name what the result is: ", whats net"
                    leftover_check(rest, consumed=_NAMES.get(result.kind, frozenset()), labels=True)
            except Unaccounted as exc:
                first_unaccounted = first_unaccounted or exc
                continue
            if result is not None:
                return result
    if first_unaccounted:
        raise first_unaccounted
    return None

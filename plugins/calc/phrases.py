"""Natural phrasing -> a calculation. Rules are tried in order; the first that matches wins.

Each rule is a full-match regular expression over the normalised prompt plus a
builder. A builder may return None ("not mine after all") to let later rules try.
Anything no rule claims goes to the arithmetic evaluator; if that fails too the
user gets the reason, never a guess.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from . import business as biz
from .expr import evaluate
from .numbers import (AMOUNT, NUMBER, CalcError, guard_input, money, parse_amount, parse_number,
                      rounding_note, show, show_money, tidy)
from .report import Calculation
from .units import canonical, convert


def A(name: str) -> str:  # an amount with optional currency
    return rf"(?P<{name}>{AMOUNT})"


def P(name: str) -> str:  # a percentage
    return rf"(?P<{name}>-?{NUMBER})\s?%"


TAX = r"(?P<label>(?:sales\s+)?(?:tax|vat|gst|hst|pst))"
_FILLERS = re.compile(
    r"^(?:(?:please|hey|ok|so|and|can you|could you|would you|tell me|show me|help me|i need to|i want to|"
    r"calculate|calc|compute|work out|figure out|find|what is|what's|whats|what are|how much is|how much are|"
    r"how much|give me|quick)\b[\s,:]*)+")
_UNIT_WORDS = r"[a-z°'\"][a-z°'\". ^0-9]*?"


def normalise(text: str) -> str:
    text = guard_input(text).lower()
    text = text.replace("−", "-").replace("–", "-").replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"[?!.\s=]+$", "", text)
    text = _FILLERS.sub("", text).strip()
    text = re.sub(r"(\d)\s*(?:percent|per cent|pct)\b", r"\1%", text)
    text = re.sub(r"\b(?:percent|per cent|pct)\b", "%", text)
    text = _SCALE_RE.sub(_scale, text)
    text = re.sub(r"(\d)\s+%", r"\1%", text)
    text = re.sub(r"\bthe\b\s*", "", text).strip()
    return text


_SCALES = {"thousand": 3, "million": 6, "mn": 6, "billion": 9, "bn": 9}
_SCALE_RE = re.compile(rf"(?<![\d.,])({NUMBER})\s*({'|'.join(_SCALES)})\b")


def _scale(m: re.Match) -> str:
    """'1.2 million' -> '1200000' (exact: scaleb shifts the decimal point)."""
    return format(parse_number(m[1]).scaleb(_SCALES[m[2]]).normalize(), "f")


# --- builders ----------------------------------------------------------------------
def _pct(m: re.Match, name: str = "p") -> Decimal:
    return parse_number(m[name].lstrip("-")) * (-1 if m[name].startswith("-") else 1)


def _conversion(m: re.Match) -> Calculation | None:
    try:
        src, dst = canonical(m["src"]), canonical(m["dst"])
    except CalcError:
        if m.group(0).startswith("convert") or _known(m["dst"]) or _known(m["src"]):
            raise
        return None
    value = parse_amount(m["v"]).value
    exact, steps = convert(value, src, dst)
    shown = tidy(exact, Decimal("0.0001"))
    note = rounding_note(exact, shown, "4 decimal places")
    if note:
        steps[-1] += f" ({note})"
    return Calculation("convert", f"{show(value)} {src} = {show(shown)} {dst}", shown, steps, unit=dst,
                       extra={"from_unit": src, "value": value})


def _known(word: str) -> bool:
    try:
        canonical(word)
        return True
    except CalcError:
        return False


def _modifiers(text: str) -> list[biz.Modifier]:
    """' with 20% off, plus 8% tax' -> [discount 20, tax 8]. CalcError on anything left over."""
    mods: list[biz.Modifier] = []
    rest = text.strip()
    joiner = r"(?:(?:,|\band\b|\bthen\b|\bwith\b|\bless\b|\bminus\b|\bplus\b|\bafter\b|\badd\b|\+|-)\s*)*"
    patterns = [
        (re.compile(rf"^{joiner}(?P<ps>{NUMBER}%(?:\s*(?:,|and|then|plus|\+)\s*{NUMBER}%)*)\s*"
                    rf"(?:off|discount)\b"), "discount"),
        (re.compile(rf"^{joiner}(?:a\s+)?discount\s+of\s+(?P<ps>{NUMBER}%)"), "discount"),
        (re.compile(rf"^{joiner}(?P<ps>{NUMBER}%)\s*{TAX}"), "tax"),
        (re.compile(rf"^{joiner}{TAX}\s*(?:of|at|@)?\s*(?P<ps>{NUMBER}%)"), "tax"),
        (re.compile(rf"^{joiner}(?P<amt>{AMOUNT})\s*off\b"), "discount_amount"),
    ]
    while rest:
        for pattern, kind in patterns:
            m = pattern.match(rest)
            if m:
                break
        else:
            raise CalcError(f"I don't understand {rest!r} here")
        if kind == "discount_amount":
            amount = parse_amount(m["amt"])
            mods.append(biz.Modifier(kind, amount.value, currency=amount.currency))
        else:
            label = _tax_label(m["label"]) if kind == "tax" else ""
            for p in re.findall(NUMBER, m["ps"]):
                mods.append(biz.Modifier(kind, parse_number(p), label))
        rest = rest[m.end():].strip()
    return mods


def _tax_label(word: str | None) -> str:
    word = " ".join((word or "tax").split())
    return word.upper() if word in ("vat", "gst", "hst", "pst") else word


def _priced(m: re.Match) -> Calculation | None:
    if not re.search(r"\boff\b|discount|\b(?:tax|vat|gst|hst|pst)\b", m["mods"]):
        return None  # "1,299 minus 15%" is arithmetic, left to the evaluator
    return biz.price_with(parse_amount(m["base"]), _modifiers(m["mods"]))


def _discounts_first(m: re.Match) -> Calculation:
    rates = [biz.Modifier("discount", parse_number(p)) for p in re.findall(NUMBER, m["ps"])]
    return biz.price_with(parse_amount(m["base"]), rates + _modifiers(m["mods"] or ""))


def _tax_first(m: re.Match) -> Calculation:
    mod = biz.Modifier("tax", _pct(m), _tax_label(m["label"]))
    return biz.price_with(parse_amount(m["base"]), [mod])


def _line(m: re.Match) -> Calculation:
    qty = parse_number(m["qty"])
    price = parse_amount(m["price"])
    return biz.price_with(price, _modifiers(m["mods"] or ""), quantity=qty, unit_price=price)


def _split(m: re.Match) -> Calculation:
    return biz.split(parse_amount(m["total"]), parse_number(m["n"]))


def _unit_price(m: re.Match) -> Calculation:
    a, b = parse_amount(m["x"]), parse_amount(m["y"])
    if a.currency and not b.currency:
        return biz.unit_price(a, b.value)
    if b.currency and not a.currency:
        return biz.unit_price(b, a.value)
    raise CalcError("which figure is the price and which the quantity? Mark the price with a currency, "
                    "as in '$30 for 12'")


def _list(m: re.Match, average: bool = False) -> Calculation:
    items = [parse_amount(x.group()) for x in re.finditer(AMOUNT, m["items"])]
    return biz.total(items, average=average)


_COST = rf"(?:cost(?:\s+price)?|costs|bought(?:\s+(?:at|for))?|buy(?:ing)?\s+price|purchase\s+price|paid)"
_PRICE = rf"(?:sell(?:ing)?\s+price|sale\s+price|price|sells?(?:\s+(?:at|for))?|sold(?:\s+(?:at|for))?|selling\s+at|revenue)"
_SEP = r"\s*(?:of|is|=|:|at|for|was)?\s*"


def _margin_like(text: str) -> Calculation | None:
    """Margin/markup questions in any word order, with labelled figures; ambiguity is refused."""
    want = ("markup" if re.search(r"\bmark[\s-]?ups?\b|\bmarked\s+up\b", text)
            else "margin" if re.search(r"\bmargins?\b", text)
            else "profit" if re.search(r"\bprofit\b", text) else None)
    if want is None:
        return None
    cost = re.search(rf"\b{_COST}{_SEP}{A('v')}", text)
    price = re.search(rf"\b{_PRICE}{_SEP}{A('v')}", text)
    rate = (re.search(rf"{P('p')}\s*(?:gross\s+|profit\s+)?(?:margin|mark[\s-]?up)", text)
            or re.search(rf"(?:margin|mark[\s-]?up|marked\s+up)\s*(?:of|by|at|=|:)?\s*{P('p')}", text)
            or (want == "markup" and re.search(rf"\bby\s+{P('p')}", text)))
    if cost and price and not rate:
        return biz.margin(parse_amount(cost["v"]), parse_amount(price["v"]), want)
    if rate and want in ("margin", "markup") and not (cost and price):
        base = parse_amount(cost["v"]) if cost else None
        if base is None:  # "mark up 80 by 25%", "80 with a 40% margin"
            bare = re.search(rf"(?:mark\s*up|^){_SEP}{A('v')}(?!\s*%)", text)
            if bare is None or price:
                raise CalcError("say which figure is the cost, as in 'price for cost 80 with 40% margin'")
            base = parse_amount(bare["v"])
        rate_value = _pct(rate)
        return biz.price_from_markup(base, rate_value) if want == "markup" else biz.price_from_margin(base, rate_value)
    raise CalcError(f"for a {want} I need the cost and the price labelled, as in 'margin on cost 80 price 120'")


def _tax_included(m: re.Match, want: str) -> Calculation:
    return biz.tax_remove(parse_amount(m["base"]), _pct(m), _tax_label(m["label"]), want)


def _adjust(m: re.Match) -> Calculation:
    up = m["dir"] in ("increase", "increased", "raise", "raised", "add", "plus", "up", "grow", "grown", "+")
    return biz.percent_adjust(parse_amount(m["base"]), _pct(m), up)


def _expression(text: str) -> Calculation:
    expr = text
    for pattern, repl in _WORD_OPS:
        expr = pattern.sub(repl, expr)
    result = evaluate(expr)
    if result.currency:
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
    return Calculation("expression", f"{expr} = {answer}", shown, steps, currency=result.currency)


_N = rf"(?:{NUMBER}|\([^()]*\))"
_WORD_OPS = [
    (re.compile(rf"\bsquare\s+root\s+of\s+({_N})"), r"sqrt(\1)"),
    (re.compile(rf"\bcube\s+root\s+of\s+({_N})"), r"cbrt(\1)"),
    (re.compile(rf"({_N})\s+squared\b"), r"\1^2"),
    (re.compile(rf"({_N})\s+cubed\b"), r"\1^3"),
    (re.compile(r"\s*\b(?:to\s+(?:the\s+)?power(?:\s+of)?|raised\s+to(?:\s+(?:the\s+)?power\s+of)?|power\s+of)\s+"), " ^ "),
    (re.compile(r"\bplus\b"), "+"),
    (re.compile(r"\bminus\b"), "-"),
    (re.compile(r"\b(?:times|multiplied\s+by)\b"), "*"),
    (re.compile(r"\b(?:divided\s+by|over)\b"), "/"),
    (re.compile(r"(?<=[\d)%])\s*x\s*(?=[\d($€£¥₹.])"), " * "),
]

Rule = tuple[re.Pattern, Callable[[re.Match], "Calculation | None"]]
_RULES: list[Rule] = [(re.compile(p), f) for p, f in [
    # conversions
    (rf"(?:convert\s+)?(?P<v>-?{NUMBER})\s?(?P<src>{_UNIT_WORDS})\s+(?:to|in|into|as)\s+(?P<dst>{_UNIT_WORDS})",
     _conversion),
    (rf"how\s+many\s+(?P<dst>{_UNIT_WORDS})\s+(?:are\s+)?(?:in|is|make)\s+(?P<v>-?{NUMBER})\s?(?P<src>{_UNIT_WORDS})",
     _conversion),
    # percentages
    (rf"{P('p')}\s+of\s+{A('base')}", lambda m: biz.percent_of(_pct(m), parse_amount(m["base"]))),
    (rf"{A('part')}\s+(?:is\s+)?(?:as\s+a\s+|what\s+)(?:%|percentage)\s+of\s+{A('whole')}",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    (rf"what\s+(?:%|percentage)\s+(?:is|of)\s+{A('part')}\s+(?:of|out\s+of)\s+{A('whole')}",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    (rf"what\s+(?:%|percentage)\s+of\s+{A('whole')}\s+is\s+{A('part')}",
     lambda m: biz.percent_ratio(parse_amount(m["part"]), parse_amount(m["whole"]))),
    (rf"(?:%|percentage|percent)\s*(?:change|increase|decrease|difference|growth|drop)\s+(?:from\s+|between\s+)?"
     rf"{A('old')}\s+(?:to|and)\s+{A('new')}",
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    (rf"(?:change|increase|decrease|growth|drop)\s+from\s+{A('old')}\s+to\s+{A('new')}(?:\s+in\s+%|\s+as\s+a\s+%)",
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    (rf"from\s+{A('old')}\s+to\s+{A('new')}\s+(?:is\s+)?(?:what|how\s+much)\s+(?:%|percentage)"
     rf"(?:\s+(?:change|increase|decrease))?",
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    (rf"(?:[a-z']+\s+){{0,4}}(?:went|grew|rose|fell|dropped|changed|increased|decreased|moved|is\s+up|is\s+down)\s+"
     rf"from\s+{A('old')}\s+to\s+{A('new')}\s*,?\s*(?:(?:by\s+)?(?:what|how\s+much)(?:'s|\s+is)?\s+)?"
     rf"(?:%|percentage)(?:\s+(?:change|increase|decrease|growth|drop|rise))?",
     lambda m: biz.percent_change(parse_amount(m["old"]), parse_amount(m["new"]))),
    # tax included in a price
    (rf"(?:remove|extract|back\s+out|take\s+out|strip|deduct|exclude)\s+{P('p')}\s+{TAX}\s+from\s+{A('base')}",
     lambda m: _tax_included(m, "net")),
    (rf"(?:net|pre-tax|ex-vat|price\s+before\s+tax|price\s+without\s+{TAX})\s*(?:price\s+)?(?:of|from|for)?\s*"
     rf"{A('base')}\s+(?:including|incl|inc|inclusive\s+of|with)\.?\s+{P('p')}(?:\s+(?:tax|vat|gst|hst|pst))?",
     lambda m: _tax_included(m, "net")),
    (rf"{A('base')}\s+(?:including|incl|inc|inclusive\s+of)\.?\s+{P('p')}\s+{TAX}(?:\s+included)?",
     lambda m: _tax_included(m, "net")),
    (rf"(?:how\s+much\s+)?{TAX}\s+(?:is\s+)?(?:included\s+)?in\s+{A('base')}\s+(?:at|@)\s+{P('p')}",
     lambda m: _tax_included(m, "tax")),
    # tax and discounts added to a price
    (rf"add\s+{P('p')}\s+{TAX}\s+(?:to|on)\s+{A('base')}", _tax_first),
    (rf"{P('p')}\s+{TAX}\s+on\s+{A('base')}", _tax_first),
    (rf"{TAX}\s+on\s+{A('base')}\s+(?:at|@)\s+{P('p')}", _tax_first),
    (rf"(?:take\s+|apply\s+)?(?P<ps>{NUMBER}%(?:\s*(?:,|and|then|plus|\+)\s*{NUMBER}%)*)\s*(?:off|discount)\s+"
     rf"(?:on\s+|of\s+|from\s+)?{A('base')}(?P<mods>.*)", _discounts_first),
    (rf"discount\s+{A('base')}\s+by\s+(?P<ps>{NUMBER}%(?:\s*(?:,|and|then|plus|\+)\s*{NUMBER}%)*)(?P<mods>.*)",
     _discounts_first),
    (rf"(?P<dir>increase|raise|decrease|reduce|lower|cut|add)\s+{A('base')}\s+by\s+{P('p')}", _adjust),
    (rf"{A('base')}\s+(?P<dir>increased|decreased|reduced|raised|up|down|grown)\s+(?:by\s+)?{P('p')}", _adjust),
    (rf"add\s+{P('p')}\s+to\s+{A('base')}", lambda m: biz.percent_adjust(parse_amount(m["base"]), _pct(m), True)),
    # quantities, splits, unit prices, totals
    (rf"(?:[a-z ]+:\s*)?(?P<qty>{NUMBER})\s*(?:x\s*|×\s*)?(?:[a-z][a-z\s-]*?\s+)?(?:at|@)\s*{A('price')}"
     rf"(?:\s*(?:each|apiece|a\s+piece|per\s+[a-z]+|/\s?[a-z]+|a\s+[a-z]+))?(?P<mods>.*)", _line),
    (rf"(?:split|share|divide)\s+(?:up\s+)?{A('total')}\s+(?:[a-z]+\s+){{0,3}}(?:across|between|among|amongst|into|over|in|by)\s+"
     rf"(?P<n>-?{NUMBER})(?:\s+(?:ways?|people|persons|parts|equal\s+parts|shares|accounts|[a-z]+))?", _split),
    (rf"(?:split|share)\s+(?:up\s+)?{A('total')}\s+"
     rf"(?P<n>-?{NUMBER})(?:\s+(?:ways?|people|persons|parts|equal\s+parts|shares|accounts|[a-z]+))?", _split),
    (rf"(?:unit\s+price|price\s+per\s+(?:unit|item|piece|each)|cost\s+per\s+(?:unit|item|piece)|per[\s-]unit"
     rf"(?:\s+price|\s+cost)?)\s*(?:of|for|:|,)?\s*{A('x')}\s*(?:[a-z]+\s+)?(?:for|per)\s+{A('y')}(?:\s+[a-z]+)?",
     _unit_price),
    (rf"(?:unit\s+price|price\s+per\s+(?:unit|item|piece|each)|cost\s+per\s+(?:unit|item|piece))\s+(?:if|when|for)\s+"
     rf"(?:an?\s+)?(?:[a-z]+\s+){{0,2}}?(?:of\s+)?{A('x')}(?:\s+[a-z]+)?\s+(?:costs?|is|are|for|at|sells?\s+for)\s+{A('y')}",
     _unit_price),
    (rf"{A('x')}\s*(?:[a-z]+\s+)?for\s+{A('y')}(?:\s+[a-z]+)?\s*,?\s*(?:unit\s+price|price\s+per\s+(?:unit|item|piece)"
     rf"|per\s+(?:unit|item|piece)|each)", _unit_price),
    (rf"(?:total|sum|add\s+up|add\s+together|tot\s+up)\s*(?:of\s+)?:?\s*(?P<items>{AMOUNT}(?:\s*(?:,|\+|and|plus)\s*{AMOUNT})+)",
     _list),
    (rf"(?:average|mean|avg)\s*(?:of\s+)?:?\s*(?P<items>{AMOUNT}(?:\s*(?:,|\+|and|plus)\s*{AMOUNT})+)",
     lambda m: _list(m, average=True)),
    # a price followed by discounts and/or tax: "$200 with 20% then 10% off", "1299 plus 8.25% tax"
    (rf"{A('base')}\s*(?P<mods>(?:,|with|less|minus|then|and|after|plus|\+|-|\s)*(?:{NUMBER}%|{AMOUNT}\s*off|"
     rf"{TAX.replace('?P<label>', '?:')}|(?:a\s+)?discount).*)", _priced),
]]


def calculate(prompt: str) -> Calculation:
    text = normalise(prompt)
    if not text:
        raise CalcError("nothing to calculate")
    margin = _margin_like(text)  # before the price rules: "80 with 40% margin" is not a discount
    if margin is not None:
        return margin
    for pattern, build in _RULES:
        m = pattern.fullmatch(text)
        if m:
            result = build(m)
            if result is not None:
                return result
    return _expression(text)

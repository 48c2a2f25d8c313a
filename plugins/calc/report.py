"""A finished calculation and how it is shown: the answer line, the working, the structured data; the rounding
and the figure the question asks for (the tax, the saving, a decrease as a decrease)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from slm.plugins.sdk import Result

from .numbers import CalcError, plain, round_to, rx, show
from .vocab import Unaccounted

EXAMPLES = ("what is 15% of 240", "add 8.25% sales tax to 1299", "3 licenses at $1,199 with 20% off",
            "split $1,234 across 3")  # shown after an error


@dataclass
class Calculation:
    kind: str  # percent_of, tax_add, discount, split, convert, expression, ...
    headline: str  # the answer as one line, e.g. "Total with 8.25% tax: 1,406.17"
    result: Decimal  # the value as shown (already rounded)
    steps: list[str]
    currency: str | None = None
    unit: str | None = None  # "%", "km", ... (None for money and plain numbers)
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific figures (Decimals allowed)
    exact: Decimal | None = None  # the value before its display rounding, where that differs (for "rounded to N")

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "result": plain(self.result), "steps": list(self.steps)}
        if self.currency is not None or self.kind in MONEY_KINDS:
            data["currency"] = self.currency
        if self.unit is not None:
            data["unit"] = self.unit
        for key, value in self.extra.items():
            data[key] = _jsonable(value)
        return data

    def to_result(self) -> Result:
        lines = [self.headline]
        if self.steps:
            lines += ["", "Working:"] + [f"  {i}. {step}" for i, step in enumerate(self.steps, 1)]
        return Result(text="\n".join(lines), data=self.to_data())


MONEY_KINDS = {"tax_add", "tax_remove", "tax_included", "tax_amount", "percent_part", "discount", "line_total", "split",
               "unit_price", "per_period", "price_from_margin", "price_from_markup", "margin"}


def apply_rounding(calc: Calculation, rounding) -> Calculation:
    """The rounding the user asked for ("rounded to 1 decimal", "to the nearest dollar"), from the exact value.

    Rounding an already-rounded figure again could be off by one in the last place, so a result
    whose exact value is unknown is only re-rounded when it is money (the cents are the figure).
    """
    money_like = calc.currency is not None or calc.kind in MONEY_KINDS
    if rounding.places is None:  # plain "rounded": fine for money (cents), not a number of places otherwise
        if money_like:
            return calc
        raise CalcError("say to how many decimal places, as in 'rounded to 2 decimals'")
    exact = calc.exact if calc.exact is not None else calc.result
    if calc.exact is None and not money_like and -exact.as_tuple().exponent > rounding.places:
        raise CalcError("this result is already rounded, so rounding it again could be off; ask without the rounding")
    if calc.exact is None and money_like and rounding.places > 2:
        return calc  # invoice money is exact to the cent
    mode = {"half_up": ROUND_HALF_UP, "up": ROUND_CEILING, "down": ROUND_FLOOR}[rounding.mode]
    value = round_to(exact, Decimal(1).scaleb(-rounding.places), rounding=mode)
    how = {"half_up": "half up", "up": "up", "down": "down"}[rounding.mode]
    places = (f"{rounding.places} decimal place{'s' if rounding.places != 1 else ''}" if rounding.places >= 0
              else f"the nearest {10 ** -rounding.places:,}")
    calc.steps.append(f"{show(exact)} rounded {how} to {places} = {plain(value)}")
    calc.headline += f"; rounded {how} to {places}: {plain(value)}"
    calc.result = value
    calc.exact = exact
    calc.extra["rounded"] = rounding.text
    return calc


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def error_result(reason: str) -> Result:
    """Unparseable, ambiguous or impossible input: say why, never guess."""
    text = (f"I can't calculate that: {reason}.\n"
            f"Try for example: {'; '.join(repr(e) for e in EXAMPLES)}.")
    return Result(text=text, data={"kind": "error", "error": reason})


# the words of a move down or up, for every reader that reads a direction (changes.py too)
DOWN_WORDS = "decrease|decreased|drop|dropped|decline|declined|down|fall|fell|less|lower|off|discount|reduction|cut|" \
             "lost|cheaper"
UP_WORDS = "increase|increased|up|rise|rose|growth|grew|more|higher|gain|uplift|dearer|pricier"
_DOWN, _UP = rf"\b(?:{DOWN_WORDS})\b", rf"\b(?:{UP_WORDS})\b"
# a verb that tells what the figures did ("sales dropped 86k to 71.5k, %"): it describes the data, it
# does not ask for the size of the drop, so the change keeps its sign unless the question asks "by what %"
_DESCRIBES_DOWN = r"\b(?:dropped|fell|declined|decreased|lost|shrank|slipped|(?:went|came|is|was|are|were)\s+down)\b"
_BY_HOW_MUCH = r"\bby\s+what\b|\bhow\s+much\b"

# the answer asked for as a percentage ("whats the total discount in %", "% change", "what % is that"): the
# readers leave such a "%" as the question (vocab.leftover_check), so the answer must be a percentage
ASKS_IN_PERCENT = r"(?<![\d%])%"  # a "%" with no figure before it
_CURRENCY_NAMES = {"$": r"(?<!r)\$|\b(?:usd|dollars?|bucks)\b", "€": r"€|\b(?:eur|euros?)\b", "£": r"£|\b(?:gbp|quid)\b",
                   "¥": r"¥|\b(?:jpy|yen)\b", "₹": r"₹|\b(?:inr|rupees?)\b", "CAD": r"\bcad\b", "AUD": r"\baud\b",
                   "CHF": r"\bchf\b|\bfrancs?\b", "NZD": r"\bnzd\b", "SEK": r"\bsek\b", "NOK": r"\bnok\b",
                   "DKK": r"\bdkk\b", "MXN": r"\bmxn\b|\bpesos?\b", "BRL": r"\bbrl\b|\br\$|\breais\b"}


def currencies_named(text: str) -> set[str]:
    """The currencies a prompt names, by sign, code or word ("pounds" is left out: a weight too)."""
    return {sign for sign, pattern in _CURRENCY_NAMES.items() if rx(pattern).search(text)}


TAX_WORD = r"(?:sales\s+)?(?:tax|vat|gst|hst|pst)"
# The question asks for the tax amount itself: one pattern for every reader (keywords, taxes, as_asked).
# "what's the tax rate/included price/total" asks for something else; "pre-tax amount" is the net.
ASKS_TAX = (rf"\b(?:what(?:'s|s|\s+is)?|how\s+much)\s+(?:of\s+(?:that|it|this)\s+)?(?:is\s+|was\s+)?"
            rf"(?:actually\s+|really\s+|just\s+)?(?:the\s+)?{TAX_WORD}\b(?!\s+(?:included|inclusive|incl|price|total|rate))|"
            rf"(?<![-\w])(?<!pre\s)(?<!before\s){TAX_WORD}\s+(?:amount|only|part|portion|component)\b|"
            rf"\bjust\s+(?:the\s+)?{TAX_WORD}\b")


ASKS_SAVING = r"\b(?:save|saves|saving|savings)\b|\b(?:what(?:'s|s|\s+is)?|how\s+much)\s+(?:is\s+|was\s+)?(?:the\s+)?" \
               r"discount\b(?!\s+(?:price|total|cost))|\bhow\s+much\s+(?:(?:is|was)\s+)?(?:(?:that|it|this)\s+)?off\b|" \
               r"\bdiscount\s+amount\b"


# a question about the figure before a change ("paid 85 after 15% off, what was list price"): only the
# before-the-change reader answers it (phrases.calculate)
ASKS_ORIGINAL = (r"\b(?:list|full|regular|sticker|original|undiscounted)\s+price\b|\boriginal(?:ly)?\b|"
                 r"\bpre-?discount\b|\bbefore\s+(?:the\s+)?(?:discount|markdown|increase|rise)\b|"
                 r"\bwhat\s+(?:was|is|were)\s+(?:the\s+|it\s+)?(?:list|full|regular|sticker)\b")
# A price per unit asked for: a total of the same figures ("box of 24 for 98.40" read as 24 x 98.40,
# "1,000 units cost 2,340" as 1,000 + 2,340) answers another question, so it is refused.
ASKS_PER_UNIT = (r"\bunit\s+(?:price|cost)\b|\b(?:price|cost)\s+(?:per|a|an|for\s+(?:one|each))\s+(?:unit|item|piece|one)\b|"
                 r"\bper[\s-]unit\b|\bcost\s+each\b")
TOTAL_KINDS = frozenset({"total", "line_items", "line_total"})
# "percent difference between A and B" has no agreed base (A, B or their mean): refused, not guessed.
ASKS_PERCENT_DIFFERENCE = r"(?:\bpercent(?:age)?|%|\bpct)\s+difference\b|\bdifference\s+in\s+(?:percent\b|%)"
# "what's 7% tax on 1,250" asks for the tax; "what is 12.5% discount on 1,280" for the discount. Said
# with a total ("total with 7% tax on ...", "7% tax on 1,250, what do they pay") it is the total; with
# no question and no total ("tax 7% on 1,250") it could be either, and is refused.
_PART_ON = (r"(?:\d%\s+(?:sales\s+)?(?P<tax>tax|vat|gst|hst|pst)|\b(?:sales\s+)?(?P<tax2>tax|vat|gst|hst|pst)\s+(?:at\s+)?[\d.]+%)"
            r"\s+(?:on|of|for|[a-z]+(?=\s+[$€£]?\d))\b|"  # any one word before the figure: "21% btw op 890"
            r"\d%\s+(?P<off>discount|rebate|markdown)\s+(?:on|of|for)\b")
_TOTAL_CUE = (r"\b(?:total|totals|with|plus|add|adding|added|incl|including|gross|final|altogether|grand|pay|pays|"
              r"paid|price|cost|costs|charge|bill|invoice|after|net|new|left|comes?\s+to|all\s+in|each|at|items?)\b")
_ASKED = r"^\s*(?:so\s+)?(?:what(?:'s|s|\s+is|\s+would\s+be)|how\s+much\s+(?:is|would\s+be))\b"


def _part_on(calc: Calculation, text: str, question: str) -> Calculation:
    m = rx(_PART_ON).search(text)
    if not m or calc.kind not in ("tax_add", "line_total", "line_items", "discount"):
        return calc
    key = "tax" if m["tax"] or m["tax2"] else "discount"
    if rx(_TOTAL_CUE).search(text[:m.start()] + " " + text[m.end():]):
        return calc
    if key == "discount" and not rx(_ASKED).search(question):
        return calc  # "10% discount on 250": the price after it, as a discount is usually said
    if not rx(_ASKED).search(question) or key not in calc.extra:
        raise Unaccounted(f"say whether you want the {key} or the price with it, as in 'what's the {key}' or 'total "
                          f"with'")
    figure = calc.extra[key]
    calc.steps.append(f"{'tax' if key == 'tax' else 'discount'} asked for: {show(figure)}")
    return Calculation(f"{key}_amount", f"{'Tax' if key == 'tax' else 'Discount'}: {show(figure)}", figure, calc.steps,
                       currency=calc.currency, extra=calc.extra)


def as_asked(calc: Calculation, text: str, question: str = "") -> Calculation:
    """The figure the question asks for, when the calculation produced it on the way; Unaccounted
    when the reading answers another question than the one asked.

    'whats the vat on 250 at 20%' asks for the tax, not the total with tax; 'how much do they
    save' for the discount; 'percent decrease from 1,250 to 1,100' is 12, not -12.
    """
    calc = _figure_asked(calc, text, question or text)
    if calc.kind != "convert_currency" and len(currencies_named(text)) > 1:
        # "€1,000 at 10% off, in dollars", "$100 plus €50": no rate was given to bring them together
        raise Unaccounted("the question names two currencies; give the exchange rate, as in '100 usd to eur at 0.92'")
    if calc.unit != "%" and rx(ASKS_IN_PERCENT).search(text):
        raise Unaccounted("this asks for a percentage, and what I worked out is not one")
    if rx(ASKS_ORIGINAL).search(text) and calc.kind != "before_change" and calc.unit != "%":
        # "paid 85 after 15% off, what was list price": not 72.25
        raise Unaccounted("this asks for the figure before the change, as in 'after 15% off it's 85, what was it before'")
    if calc.kind in TOTAL_KINDS and rx(ASKS_PER_UNIT).search(text):
        raise Unaccounted("this asks for a price per unit, as in 'box of 24 for 98.40, price per unit'")
    if calc.kind in ("percent_change", "percent_ratio") and len(_periods_named(text)) > 1:
        # "was 75 a month now 60 a week": a change is the same per month or per year only when both are
        raise Unaccounted("the figures are for different periods; put both in the same one")
    if calc.kind == "percent_change" and rx(ASKS_PERCENT_DIFFERENCE).search(text):
        raise Unaccounted("a percent difference has no agreed base; ask for the percent change from one figure "
                          "to the other")
    return calc


def _figure_asked(calc: Calculation, text: str, question: str) -> Calculation:
    calc = _part_on(calc, text, question)
    if calc.kind in ("tax_add", "line_total", "discount", "tax_remove") and (
            rx(ASKS_TAX).search(question) or rx(ASKS_SAVING).search(question)):
        key = "tax" if rx(ASKS_TAX).search(question) else "discount"
        if key not in calc.extra:
            raise Unaccounted(f"I can't tell the {key} amount here")
        figure = calc.extra[key]
        calc.steps.append(f"{'tax' if key == 'tax' else 'saving'} asked for: {show(figure)}")
        return Calculation(f"{key}_amount", f"{'Tax' if key == 'tax' else 'Saving'}: {show(figure)}", figure,
                           calc.steps, currency=calc.currency, extra=calc.extra)
    if calc.kind != "percent_change":
        return calc
    down, up = rx(_DOWN).search(text), rx(_UP).search(text)
    if down and not up and calc.result < 0 and not _asks_the_drop(text):
        return calc  # "sales dropped 86k to 71.5k, %": the change, signed as it is
    if down and not up and calc.result < 0:
        calc.result, calc.exact = -calc.result, -calc.exact
        calc.headline += f"; asked as a decrease: {show(calc.result)}%"
        calc.steps.append(f"a decrease of {show(calc.result)}%")
    elif down and not up and calc.result > 0:
        raise CalcError(f"that is an increase of {show(calc.result)}%, not a decrease")
    elif up and not down and calc.result < 0:
        raise CalcError(f"that is a decrease of {show(-calc.result)}%, not an increase")
    return calc


def _asks_the_drop(text: str) -> bool:
    """Whether a down word asks for the size of the fall ("percent decrease", "how much cheaper", "what %
    down", "dropped ... by what %"), not only says what the figures did ("sales dropped 86k to 71.5k, %")."""
    describing = [m.span() for m in rx(_DESCRIBES_DOWN).finditer(text)]
    asking = [m for m in rx(_DOWN).finditer(text) if not any(a <= m.start() < b for a, b in describing)]
    return bool(asking) or (bool(describing) and bool(rx(_BY_HOW_MUCH).search(text)))


_PERIOD_WORDS = {"hour": "hour", "hourly": "hour", "hr": "hour", "day": "day", "daily": "day", "week": "week",
                 "weekly": "week", "wk": "week", "month": "month", "monthly": "month", "quarter": "quarter",
                 "quarterly": "quarter", "q": "quarter", "year": "year", "yearly": "year", "annual": "year",
                 "annually": "year", "yr": "year"}


def _periods_named(text: str) -> set[str]:
    """The periods a prompt names ("a month", "weekly", "per year"), each once."""
    return {_PERIOD_WORDS[w.rstrip("s")] for w in rx(r"\b[a-z]+\b").findall(text) if w.rstrip("s") in _PERIOD_WORDS}

"""A price and the changes made to it in turn: "list 899 minus 50 off then 10% off" -> 764.10.

    knock 40 bucks off 385 and then 5% off that         -> (385 − 40) − 5%
    take 15% off 2,000 first then add 20% vat on the discounted price -> (2,000 − 15%) + 20%
    list 780, 12% off, then 7% sales tax added on the net. final?     -> (780 − 12%) + 7%

Each step applies to the figure the step before left (that is what "then", "on that", "on the
net" say). A step is an amount off, a percentage off, or a tax added; anything else, a step
that is not one of these, or a single step (the other readers' work) gives None.
"""
from __future__ import annotations

from .numbers import AMOUNT, NUMBER, CalcError, as_operand, parse_amount, rx
from .report import Calculation

_TAX = r"(?:sales\s+)?(?:tax|vat|gst|hst|pst)"
_AMT = rf"(?P<amt>{AMOUNT})"
_PCT = rf"(?P<pct>{NUMBER})%"
_STEPS = [  # (pattern, sign, is it a percentage)
    (rf"(?:minus|less|take\s+off|knock\s+off|take|knock)\s+{_AMT}(?![\d.,]|\s?%)(?:\s+off)?", "-", False),
    (rf"{_AMT}\s+off", "-", False),
    (rf"(?:(?:another|an\s+extra|a\s+further|extra)\s+)?{_PCT}\s+(?:off|discount)", "-", True),
    (rf"(?:minus|less)\s+(?:(?:another|an\s+extra|a\s+further)\s+)?{_PCT}(?:\s+(?:off|discount))?", "-", True),
    (rf"(?:add|plus|with)\s+{_PCT}\s+{_TAX}(?:\s+added)?", "+", True),
    (rf"{_PCT}\s+{_TAX}\s+added", "+", True),
    # a fee after the tax: "then 10 delivery on top", "then 85 shipping (not taxed)": added untaxed, as said
    ((rf"(?:(?:plus|add|\+)\s+)?{_AMT}(?![\d.,]|\s?%)\s+(?:delivery|shipping|freight|postage|handling)"
     rf"(?:\s+on\s+top)?(?:\s*\((?:not\s+taxed|untaxed|no\s+tax)\))?"), "+", False),
]
# what says "to the figure so far": consumed after a step
_ON_IT = (r"(?:\s+(?:first|that|on\s+top|off\s+(?:that|it)|on\s+(?:(?:the\s+)?goods|that|it|(?:the\s+)?(?:discounted|net|new|reduced)"
          r"(?:\s+(?:price|amount|figure|total))?)))*")
_JOIN = r"\s*(?:,|;|\.)?\s*(?:and\s+)?(?:then\s+|after\s+that\s+)?"
_OPEN = (rf"^(?:(?:list|price|list\s+price|it's|its|was|start\s+with|order|subtotal|goods)\s+)?{_AMT}")
_FIRST = rf"^(?:take|knock)\s+(?P<off>{AMOUNT}|{NUMBER}%)\s+off\s+(?P<base>{AMOUNT})"
_ASK = (r"\s*[,.]?\s*(?:(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:final|total|final\s+price|new\s+price)|"
        r"what(?:'s|s|\s+is)?|how\s+much(?:\s+is\s+(?:it|that))?|what\s+do\s+(?:they|we|i)\s+pay)?$")


# discounts said before the price they apply to: "stack 15% and then 10% on 1,150", "i give 10% and then another
# 5% off on top on $4,350", "discount of 10% and then 5% on 2000€"
_GIVEN = (rf"^(?:(?:i|we)\s+(?:give|take|do|offer)\s+|(?:stack(?:ed)?|apply|take|give|discounts?(?:\s+of)?)\s+)"
          rf"(?P<p1>{NUMBER})%(?:\s+(?:off|discount))?\s*,?\s+(?:and\s+)?then\s+(?:(?:another|an\s+extra|extra)\s+)?"
          rf"(?P<p2>{NUMBER})%(?:\s+(?:off|discount))?(?:\s+on\s+top)?\s+(?:on|off|of|from)\s+{_AMT}")
# the combined discount of two in turn, with no price: "total discount % if you take 20% then 10% off"
_COMBINED = (rf"^(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:total|combined|effective|overall|real)\s+discount(?:\s*%|\s+in\s+%)?"
             rf"\s+(?:if|when)\s+(?:you|we|i)\s+(?:take|give|apply|stack)\s+(?P<p1>{NUMBER})%(?:\s+off)?\s+(?:and\s+)?"
             rf"then\s+(?:(?:another|an\s+extra|extra)\s+)?(?P<p2>{NUMBER})%\s+off$")


# one discount taken N times in turn, with no price: "3 x 10% stacked, whats the total discount in %" -> 27.1
_REPEATED = (rf"^(?P<n>[2-9])\s*(?:x|×|times)\s*(?P<p>{NUMBER})%(?:\s+(?:off|discount))?\s+(?:stacked|in\s+turn|"
             rf"one\s+after\s+(?:the\s+)?other|compounded)(?:\s*,?\s*(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?"
             rf"(?:total|combined|effective|overall|real)\s+discount(?:\s*%|\s+in\s+%)?)?$")


def read(text: str) -> Calculation | None:
    repeated = rx(_REPEATED).match(text)
    if repeated:
        from .phrases import evaluated

        n, p = int(repeated["n"]), repeated["p"]
        calc = evaluated(f"100 - 100 * {' * '.join([f'(100 - {p}) / 100'] * n)}", kind="combined_discount")
        calc.unit = "%"  # the discount of the steps together, as a rate
        return calc
    combined = rx(_COMBINED).match(text)
    if combined:
        from .phrases import evaluated

        p1, p2 = combined["p1"], combined["p2"]
        calc = evaluated(f"100 - (100 - {p1}) * (100 - {p2}) / 100", kind="combined_discount")
        calc.unit = "%"  # a rate, not money: what "total discount %" asks for
        return calc
    given = rx(_GIVEN).match(text)
    if given:  # the same steps with the price first: "$4,350 less 10% then 5% off, whats final"
        return read(f"{given['amt']} less {given['p1']}% then {given['p2']}% off{text[given.end():]}")
    steps: list[str] = []
    first = rx(_FIRST).match(text)
    if first:
        base = parse_amount(first["base"])
        off = first["off"]
        steps.append(f"{off[:-1]}%" if off.endswith("%") else _plain(off))
        signs = ["-"]
        pos = first.end()
    else:
        m = rx(_OPEN).match(text)
        if not m:
            return None
        base, signs, pos = parse_amount(m["amt"]), [], m.end()
    ask = rx(_ASK).search(text, pos)
    end = ask.start() if ask else len(text)
    pos = _skip(text, pos, rx(_ON_IT))
    while pos < end:
        j = rx(_JOIN).match(text, pos)
        pos = j.end() if j else pos
        for pattern, sign, percent in _STEPS:
            m = rx(pattern).match(text, pos)
            if m and m.end() <= end:
                steps.append(f"{m['pct']}%" if percent else _plain(m["amt"]))
                signs.append(sign)
                pos = _skip(text, m.end(), rx(_ON_IT))
                break
        else:
            return None
    if len(steps) < 2 or text[pos:end].strip(" ,."):
        return None
    expression = as_operand(base)
    for sign, step in zip(signs, steps):
        expression = f"({expression} {sign} {step})"
    from .phrases import evaluated

    try:
        return evaluated(expression, kind="line_items", as_money=True)
    except CalcError:
        return None


def _skip(text: str, pos: int, pattern) -> int:
    m = pattern.match(text, pos)
    return m.end() if m else pos


def _plain(amount: str) -> str:
    return as_operand(parse_amount(amount))

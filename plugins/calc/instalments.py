"""A total shared out: a bill with a tip split between people, a price paid in equal interest-free instalments.

    bill is 240, plus 20 tip, 5 of us, each?                      -> 52.00   ((240 + 20) ÷ 5)
    splitting £97.50 between three of us plus 10% tip on top      -> 35.75   (97.50 × 1.10 ÷ 3)
    divide 14,250 over 12 monthly payments                        -> 1,187.50
    tractor 45k, 9k down, rest over 48 months at 0%, monthly?     -> 750.00  ((45,000 − 9,000) ÷ 48)

Exactly one total, at most one tip (a percentage or an amount) or one down payment, and one count
of people or payments. Instalments must be said to carry no interest ("interest free", "no
interest", "at 0%") or to be a plain division ("divide", "split", "spread"): with interest they
are a loan (frames.loan_payment). Every other word goes through the vocabulary check.
"""
from __future__ import annotations

from decimal import Decimal

from . import business as biz
from .numbers import AMOUNT, NUMBER, Amount, parse_amount, parse_number, rx, show_money
from .report import Calculation
from .vocab import leftover_check

_PEOPLE = (r"\b(?:split|share|divide)(?:\s+(?:it|that|this|the\s+bill))?\s+(?P<n1>\d+)\s+ways\b|"
           r"\b(?:between|among|amongst)\s+(?P<n2>\d+)(?:\s+(?:of\s+us|people|persons|ways))?\b|"
           r"(?<![\d.,])(?P<n3>\d+)\s+of\s+us\b")
_PAYMENTS = (r"\b(?:over|in|into|across)\s+(?P<n>\d+)\s+(?:equal\s+)?(?:monthly\s+|weekly\s+)?"
             r"(?:payments|instalments|installments|months)\b")
_NO_INTEREST = r"\binterest[\s-]free\b|\b(?:with\s+)?no\s+interest\b|\b(?:at\s+)?0\s?%(?:\s+interest)?"
_PLAIN_SPLIT = r"^(?:divide|split|spread)\b|\bspread\s+(?:it\s+)?over\b"
_ASK = (r"\s*[,.]?\s*(?:(?:so\s+)?(?:what(?:'s|s|\s+is)|how\s+much)\s+(?:is\s+)?)?(?:(?:the\s+)?(?:each|per\s+person|"
        r"per\s+head|a\s+head)(?:\s+(?:pays?|payment|share|one))?|(?:the\s+)?monthly(?:\s+payment)?|each\s+payment)$")
_TIP = (rf"(?:,\s*)?(?:\b(?:plus|and|with|\+)\s+)?(?:an?\s+)?(?:(?P<p>{NUMBER})%|(?P<a>{AMOUNT}))\s+(?:tip|gratuity)"
        rf"(?:\s+on\s+top)?\b")
_DOWN = rf"(?:,\s*)?(?P<d>{AMOUNT})\s+(?:down|deposit)(?:\s*,?\s*(?:the\s+)?rest)?\b"


def read(text: str) -> Calculation | None:
    people, payments = rx(_PEOPLE).search(text), rx(_PAYMENTS).search(text)
    if bool(people) == bool(payments):
        return None
    count = people or payments
    n = Decimal(next(g for g in count.groups() if g))
    rest = text[:count.start()] + " " + text[count.end():]
    if payments:
        free = rx(_NO_INTEREST).search(rest)
        if not free and not rx(_PLAIN_SPLIT).search(text):
            return None  # instalments with interest are a loan
        if free:
            rest = rest[:free.start()] + " " + rest[free.end():]
    ask = rx(_ASK).search(rest.strip())
    rest = rest.strip()[:ask.start()] if ask else rest
    tip, down = rx(_TIP).search(rest), rx(_DOWN).search(rest) if payments else None
    for m in (tip, down):
        if m:
            rest = rest.replace(m.group(), " ", 1)
    totals = list(rx(rf"(?<![\w.,%])(?P<t>{AMOUNT})(?![\w%])").finditer(rest))
    if len(totals) != 1:
        return None
    leftover_check(rest[:totals[0].start()] + " " + rest[totals[0].end():],
                   consumed=frozenset(["bill", "splitting", "split", "divide", "spread", "share", "it", "over",
                                       "rest", "is", "was", "total", "we", "want", "pays", "the"]
                                      + (["finance", "financed", "financing"] if payments else [])), labels=True)
    total = parse_amount(totals[0]["t"])
    steps: list[str] = []
    if tip and tip["p"]:
        part = biz.percent_part(parse_number(tip["p"]), total, "tip", add_to_total=True)
        steps += part.steps
        total = Amount(part.extra["total"], total.currency)
    elif tip or down:
        extra = parse_amount((tip or down)["a" if tip else "d"])
        sign = 1 if tip else -1
        value = total.value + sign * extra.value
        steps.append(f"{'tip' if tip else 'down payment'}: {show_money(total.value, total.currency)} "
                     f"{'+' if tip else '−'} {show_money(extra.value, extra.currency)} = {show_money(value, total.currency)}")
        total = Amount(value, total.currency)
    shared = biz.split(total, n)
    shared.steps[:0] = steps
    return shared

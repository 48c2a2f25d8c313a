"""A currency conversion at a rate the user gives: calc knows no exchange rates and never looks one up.

    convert 1,500 usd to eur at 0.92            -> 1,380.00 EUR  (a rate quoted as EUR per USD)
    eur 2.340,00 into usd, rate 1 eur = 1.08 usd -> 2,527.20 USD
    how many eur is 1000 usd if 1 eur = 1.10 usd -> 909.09 EUR   (the rate the other way: divided)

A bare rate ("at 0.92") is read the way rates are quoted for "A to B": units of B for one A. A
rate written "1 X = R Y" must name the two currencies of the question, either way round. With
no rate, or a rate for other currencies, the reading is refused.
"""
from __future__ import annotations

from .numbers import (
    CODES,
    NUMBER,
    SYMBOLS,
    WORDS,
    Amount,
    CalcError,
    money,
    parse_amount,
    parse_number,
    rx,
    show,
    show_money,
)
from .report import Calculation

# the currency words parse_amount knows (numbers.WORDS), the codes and symbols, and a few names only a
# conversion uses ("sterling", "yen": an amount is not written "40 yen" often enough to parse it)
_NAMES = {**WORDS, "sterling": "GBP", "yen": "JPY", "rupees": "INR", **{c.lower(): c for c in CODES}, **SYMBOLS}
_CUR = r"(?:" + "|".join(sorted((k for k in _NAMES if k.isalpha()), key=len, reverse=True)) + r")\b"
_MONEY = rf"(?P<amount>(?:[$€£¥₹]\s?|{_CUR}\s?)?{NUMBER}(?:\s?{_CUR}|[$€£¥₹])?)"
_RATE = (rf"(?:\s*,?\s*(?:at|@|if|with|where|using|and)?\s*(?:an?\s+)?(?:exchange\s+)?(?:rate(?:\s+of|\s+is|:)?\s*)?"
         rf"(?:(?:1|one)\s+(?P<a>{_CUR}|[$€£¥₹])\s*(?:=|is|equals|to)\s*(?P<r1>{NUMBER})\s*(?P<b>{_CUR}|[$€£¥₹])|"
         rf"(?P<r2>{NUMBER})))$")
_FORMS = [
    rf"^(?:convert\s+)?{_MONEY}\s+(?:to|into|in|as)\s+(?P<to>{_CUR}){_RATE}",
    rf"^how\s+many\s+(?P<to>{_CUR})\s+(?:is|are|for|in|do\s+i\s+get\s+for)\s+{_MONEY}{_RATE}",
]


def _code(word: str) -> str:
    return _NAMES[word.strip().lower()]


def read(text: str) -> Calculation | None:
    for form in _FORMS:
        m = rx(form).match(text)
        if m:
            break
    else:
        return None
    try:
        amount = parse_amount(m["amount"])
    except CalcError:
        return None
    if amount.currency is None:
        return None  # "1,500 to eur": from what?
    source, target = amount.currency, _code(m["to"])
    if source == target:
        return None
    if m["r2"]:
        rate, a, b = parse_number(m["r2"]), source, target
    else:
        rate, a, b = parse_number(m["r1"]), _code(m["a"]), _code(m["b"])
    if rate <= 0:
        raise CalcError("an exchange rate must be above 0")
    if (a, b) == (source, target):
        exact, step = amount.value * rate, f"{_shown(amount)} × {show(rate)} = {show(amount.value * rate)} {target}"
    elif (a, b) == (target, source):
        exact, step = amount.value / rate, f"{_shown(amount)} ÷ {show(rate)} = {show(amount.value / rate)} {target}"
    else:
        raise CalcError(f"the rate is for {a} and {b}, but the question converts {source} to {target}")
    result = money(exact)
    steps = [f"rate: 1 {a} = {show(rate)} {b}", step]
    return Calculation("convert_currency", f"{_shown(amount)} = {show_money(result, target)}", result, steps,
                       currency=target, exact=exact)


def _shown(a: Amount) -> str:
    return show_money(a.value, a.currency)

"""Exact numbers for calc: the Decimal context, limits, amounts with currency, rounding, display.

Money is rounded ROUND_HALF_UP to cents (the way invoices round), percentages to
two places, unit conversions to four places and plain arithmetic to ten; every
rounding that changes a value is reported so the working can say so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import cache

from slm.plugins.sdk import compile_pattern

# Well past any business figure, far below what would make Decimal slow.
MAX_ABS = Decimal("1e100")
MAX_EXPONENT = 1000
MAX_INPUT_CHARS = 500

CENTS = Decimal("0.01")
PERCENT_PLACES = Decimal("0.01")
UNIT_PLACES = Decimal("0.0001")
PLAIN_PLACES = Decimal("1e-10")

# prec 50 keeps 1/3 * 3 and friends exact after the final rounding.
_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999,
                   traps=[InvalidOperation, DivisionByZero, Overflow])


@cache
def rx(pattern: str) -> re.Pattern:
    """A compiled pattern, compiled once on first use (importing calc compiles nothing)."""
    return compile_pattern(pattern)


class CalcError(ValueError):
    """The input cannot be calculated; the message is shown to the user as is."""


def decimal_context():
    return localcontext(_CONTEXT)


def check(value: Decimal) -> Decimal:
    """Reject results too large to be a business number (and NaN/inf, which cannot occur)."""
    if not value.is_finite() or abs(value) >= MAX_ABS:
        raise CalcError("the result is too large (limit 1e100)")
    return value


# --- currencies ---------------------------------------------------------------------
SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CODES = ("USD", "EUR", "GBP", "JPY", "INR", "CAD", "AUD", "CHF", "NZD", "SEK", "NOK", "DKK", "MXN")
CODE_SYMBOL = {code: sym for sym, code in SYMBOLS.items()}
WORDS = {"dollar": "USD", "dollars": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR"}

# One number as people type it: 1,234.56 (strict groups of three), 1234.5, .5, 12
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SYMBOL = "[" + re.escape("".join(SYMBOLS)) + "]"
_CODE = r"(?:" + "|".join(CODES) + "|" + "|".join(WORDS) + r")\b"
# An amount: optional sign, optional symbol or leading code, the number, optional trailing code.
_TRAIL = rf"(?:\s?{_CODE}|{_SYMBOL})"  # "40 EUR", "49.99€"
AMOUNT_UNSIGNED = rf"(?:{_SYMBOL}\s?|(?:{'|'.join(CODES)})\s?)?{NUMBER}{_TRAIL}?"
AMOUNT = rf"-?\s?(?:{_SYMBOL}\s?|(?:{'|'.join(CODES)})\s?)?-?{NUMBER}{_TRAIL}?"
_AMOUNT_PARTS = (
    rf"(?i)^(?P<neg1>-)?\s?(?:(?P<sym>{_SYMBOL})\s?|(?P<lead>{'|'.join(CODES)})\s?)?(?P<neg2>-)?"
    rf"(?P<num>{NUMBER})(?:\s?(?P<code>{_CODE})|(?P<tsym>{_SYMBOL}))?$")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None = None


def parse_number(text: str) -> Decimal:
    text = text.strip()
    if not rx(NUMBER).fullmatch(text):
        raise CalcError(f"{text!r} is not a number")
    value = Decimal(text.replace(",", ""))
    if abs(value) >= MAX_ABS:
        raise CalcError(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is too large (limit 1e100)")
    return value


def parse_amount(text: str) -> Amount:
    """'$1,199' -> Amount(1199, 'USD'); '12.5' -> Amount(12.5, None); '-40 EUR' -> Amount(-40, 'EUR')."""
    match = rx(_AMOUNT_PARTS).match(text.strip())
    if not match:
        raise CalcError(f"{text.strip()!r} is not an amount")
    value = parse_number(match["num"])
    if match["neg1"] or match["neg2"]:
        value = -value
    currency = None
    if match["sym"] or match["tsym"]:
        if match["sym"] and match["tsym"]:
            raise CalcError(f"{text.strip()!r} has two currency symbols")
        currency = SYMBOLS[match["sym"] or match["tsym"]]
    code = (match["lead"] or match["code"] or "").lower()
    if code:
        coded = WORDS.get(code, code.upper())
        if currency and coded != currency:
            raise CalcError(f"{text.strip()!r} names two currencies")
        currency = coded
    return Amount(value, currency)


def same_currency(*currencies: str | None) -> str | None:
    named = {c for c in currencies if c}
    if len(named) > 1:
        raise CalcError(f"mixed currencies ({', '.join(sorted(named))}); convert them first")
    return named.pop() if named else None


# --- rounding -------------------------------------------------------------------------
def round_to(value: Decimal, places: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    if value.adjusted() - places.as_tuple().exponent >= _CONTEXT.prec:
        return value  # so large that the places are beyond the precision: nothing to round
    with decimal_context():
        return value.quantize(places, rounding=rounding)


def tidy(value: Decimal, places: Decimal = PLAIN_PLACES) -> Decimal:
    """Round to at most ``places`` and drop trailing zeros (12.50 -> 12.5, 3.0 -> 3, -0 -> 0)."""
    rounded = round_to(value, places)
    if rounded == 0:
        return Decimal(0)
    with decimal_context():  # normalize() rounds to the context's precision: use ours, not the default 28
        return rounded.normalize()  # may be 1.2E+3: display always goes through plain(), which writes 1200


def money(value: Decimal) -> Decimal:
    rounded = round_to(value, CENTS)
    return Decimal("0.00") if rounded == 0 else rounded


def rounding_note(exact: Decimal, shown: Decimal, what: str) -> str | None:
    """' (rounded half up to cents from 107.1675)' when rounding changed the value."""
    if exact == shown:
        return None
    long = tidy(exact, Decimal("1e-12"))
    return f"rounded half up to {what} from {grouped(long)}{'…' if long != exact else ''}"


# --- display ----------------------------------------------------------------------------
def plain(value: Decimal) -> str:
    """A machine-friendly string: no grouping, no exponent."""
    if value == 0:
        value = value.copy_abs()  # never print -0
    return format(value, "f")


def as_operand(a: Amount) -> str:
    """An amount written the way the evaluator reads it back: '$1299.5', '40 CHF', '12'."""
    sym = CODE_SYMBOL.get(a.currency or "", "")
    return f"{sym}{plain(a.value)}" if sym or a.currency is None else f"{plain(a.value)} {a.currency}"


def grouped(value: Decimal) -> str:
    text = plain(value)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}"
    return sign + whole + (f".{frac}" if frac else "")


def show_money(value: Decimal, currency: str | None) -> str:
    return with_currency(grouped(money(value)), currency)


def with_currency(text: str, currency: str | None) -> str:
    """'-1,234.50' + USD -> '-$1,234.50'; a code without a symbol trails: '40 CHF'."""
    if currency is None:
        return text
    symbol = CODE_SYMBOL.get(currency)
    if symbol:
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
    return f"{text} {currency}"


def show(value: Decimal) -> str:
    """A plain number for the working (up to ten places, grouped)."""
    return grouped(tidy(value))


def show_percent(value: Decimal) -> str:
    return f"{grouped(tidy(value, PERCENT_PLACES))}%"


def guard_input(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise CalcError("nothing to calculate")
    if len(text) > MAX_INPUT_CHARS:
        raise CalcError(f"the input is too long ({len(text)} characters, limit {MAX_INPUT_CHARS})")
    return text.strip()

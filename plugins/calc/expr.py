"""A safe arithmetic evaluator: own tokenizer and recursive-descent parser over Decimal.

No eval, no exec, no ast: the only things an input can do are the operators and the
three functions below, on numbers with an optional currency. Every operation is
recorded as a step of the working.

Grammar (lowest to highest precedence)::

    expr    := term (('+' | '-') term)*        a ± b%  means  a ± (a × b/100), as on a calculator
    term    := unary (('*' | '/' | 'of') unary)*   'of' only after a percentage or a fraction: 3/8 of 2000
    unary   := ('-' | '+') unary | power       so -2^2 = -4
    power   := postfix ('^' unary)?            right-associative: 2^3^2 = 2^9
    postfix := primary '%'?
    primary := AMOUNT | '(' expr ')' | FUNC '(' expr ')'
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow

from .numbers import (
    AMOUNT_UNSIGNED,
    MAX_EXPONENT,
    Amount,
    CalcError,
    check,
    decimal_context,
    grouped,
    parse_amount,
    rx,
    same_currency,
    show,
    with_currency,
)

FUNCTIONS = ("sqrt", "cbrt", "abs")
MAX_DEPTH = 60
_OPS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "·": "*", "/": "/", "÷": "/", "^": "^",
        "(": "(", ")": ")", "%": "%"}
_AMOUNT_RE = f"(?i:{AMOUNT_UNSIGNED})"  # signs are the unary operator's job
_WORD_RE = r"(?i:[a-z_][a-z0-9_]*)"


@dataclass(frozen=True)
class Token:
    kind: str  # "num" | "op" | "func" | "of" | "end"
    text: str
    pos: int
    amount: Amount | None = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if text.startswith("**", i):
            tokens.append(Token("op", "^", i))
            i += 2
            continue
        match = rx(_AMOUNT_RE).match(text, i)
        if match and (match.group().strip()[0] in "$€£¥₹.0123456789" or _leads_with_code(match.group())):
            tokens.append(Token("num", match.group().strip(), i, parse_amount(match.group())))
            i = match.end()
            continue
        if ch in _OPS:
            tokens.append(Token("op", _OPS[ch], i))
            i += 1
            continue
        word = rx(_WORD_RE).match(text, i)
        if word:
            name = word.group().lower()
            if name in FUNCTIONS:
                tokens.append(Token("func", name, i))
            elif name == "of":
                tokens.append(Token("of", name, i))
            else:
                raise CalcError(f"unknown word {word.group()!r} in the expression")
            i = word.end()
            continue
        raise CalcError(f"unexpected character {ch!r} at position {i + 1}")
    tokens.append(Token("end", "", len(text)))
    return tokens


def _leads_with_code(text: str) -> bool:
    return bool(rx(r"[A-Za-z]{3}\s?\d").match(text.strip()))


@dataclass
class Val:
    value: Decimal
    currency: str | None = None
    percent: bool = False  # a bare "15%" literal (value already divided by 100)
    fraction: bool = False  # a plain a/b, so "3/8 of 2000" reads as a fraction of


@dataclass
class Evaluation:
    value: Decimal
    currency: str | None
    steps: list[str] = field(default_factory=list)


def evaluate(text: str) -> Evaluation:
    parser = _Parser(tokenize(text))
    with decimal_context():
        try:
            result = parser.expr()
            if parser.peek.kind != "end":
                tok = parser.peek
                raise CalcError(f"unexpected {tok.text!r} at position {tok.pos + 1}")
        except DivisionByZero:
            raise CalcError("division by zero") from None
        except Overflow:
            raise CalcError("the result is too large (limit 1e100)") from None
        except InvalidOperation:
            raise CalcError("the operation is undefined (for example 0/0 or a root of a negative number)") from None
    return Evaluation(result.value, result.currency, parser.steps)


def show_val(v: Val) -> str:
    if v.percent:
        return f"{show(v.value * 100)}%"
    return with_currency(show(v.value), v.currency)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.steps: list[str] = []

    @property
    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _is(self, *ops: str) -> bool:
        return self.peek.kind == "op" and self.peek.text in ops

    def _enter(self) -> None:
        """One level deeper (a parenthesis or a unary sign); caps nesting far below Python's recursion limit."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CalcError(f"the expression nests too deeply (limit {MAX_DEPTH})")

    def _step(self, left: Val, op: str, right: Val, result: Val) -> Val:
        check(result.value)
        self.steps.append(f"{show_val(left)} {op} {show_val(right)} = {show_val(result)}")
        return result

    def expr(self) -> Val:
        self._enter()
        left = self.term()
        while self._is("+", "-"):
            op = self.take().text
            right = self.term()
            currency = same_currency(left.currency, right.currency)
            if right.percent and not left.percent:  # 200 + 15% -> 200 × 1.15
                change = left.value * right.value
                value = left.value + change if op == "+" else left.value - change
            else:
                value = left.value + right.value if op == "+" else left.value - right.value
            left = self._step(left, op, right, Val(value, currency, left.percent and right.percent))
        self.depth -= 1
        return left

    def term(self) -> Val:
        left = self.unary()
        while self._is("*", "/") or self.peek.kind == "of":
            tok = self.take()
            if tok.kind == "of" and not (left.percent or left.fraction):
                raise CalcError("'of' only follows a percentage or a fraction, as in 15% of 240 or 3/8 of 2000")
            right = self.unary()
            if tok.text == "/":
                if right.value == 0:
                    raise CalcError("division by zero")
                currency = None if (left.currency and right.currency) else (left.currency or right.currency)
                if left.currency and right.currency:
                    same_currency(left.currency, right.currency)
                plain = not (left.currency or right.currency or left.percent or right.percent)
                left = self._step(left, "÷", right, Val(left.value / right.value, currency, fraction=plain))
            else:
                if left.currency and right.currency:
                    raise CalcError("cannot multiply two money amounts")
                op = "of" if tok.kind == "of" else "×"
                left = self._step(left, op, right, Val(left.value * right.value, left.currency or right.currency))
        return left

    def unary(self) -> Val:
        if self._is("-", "+"):
            op = self.take().text
            self._enter()
            inner = self.unary()
            self.depth -= 1
            return Val(-inner.value if op == "-" else inner.value, inner.currency, inner.percent)
        return self.power()

    def power(self) -> Val:
        base = self.postfix()
        if not self._is("^"):
            return base
        self.take()
        exponent = self.unary()
        if exponent.currency:
            raise CalcError("an exponent cannot be a money amount")
        result = Val(raise_power(base.value, exponent.value), base.currency)
        return self._step(base, "^", exponent, result)

    def postfix(self) -> Val:
        value = self.primary()
        if self._is("%"):
            self.take()
            if value.percent:
                raise CalcError("a percentage of a percentage is ambiguous")
            return Val(value.value / 100, value.currency, True)
        return value

    def primary(self) -> Val:
        tok = self.take()
        if tok.kind == "num":
            return Val(tok.amount.value, tok.amount.currency)
        if tok.kind == "op" and tok.text == "(":
            inner = self.expr()
            self._close(tok)
            return Val(inner.value, inner.currency, inner.percent)
        if tok.kind == "func":
            if not self._is("("):
                raise CalcError(f"{tok.text} needs parentheses, as in {tok.text}(16)")
            open_tok = self.take()
            arg = self.expr()
            self._close(open_tok)
            result = Val(apply_function(tok.text, arg.value), arg.currency)
            check(result.value)
            self.steps.append(f"{tok.text}({show_val(arg)}) = {show_val(result)}")
            return result
        if tok.kind == "end":
            raise CalcError("the expression ends too early")
        raise CalcError(f"unexpected {tok.text!r} at position {tok.pos + 1}")

    def _close(self, open_tok: Token) -> None:
        if not self._is(")"):
            raise CalcError(f"the parenthesis at position {open_tok.pos + 1} is not closed")
        self.take()


def raise_power(base: Decimal, exponent: Decimal) -> Decimal:
    if abs(exponent) > MAX_EXPONENT:
        raise CalcError(f"the exponent {grouped(exponent)} is too large (limit {MAX_EXPONENT})")
    if base == 0 and exponent < 0:
        raise CalcError("division by zero (zero to a negative power)")
    if base < 0 and exponent != exponent.to_integral_value():
        raise CalcError("a fractional power of a negative number is not a real number")
    if base not in (0, 1, -1):
        magnitude = float(exponent) * math.log10(abs(float(base))) if abs(base) < Decimal("1e300") else math.inf
        if magnitude >= 100:
            raise CalcError("the result is too large (limit 1e100)")
    if exponent == exponent.to_integral_value():
        return base ** int(exponent)
    return nth_exact(base ** exponent, exponent)


def apply_function(name: str, x: Decimal) -> Decimal:
    if name == "abs":
        return abs(x)
    if name == "sqrt":
        if x < 0:
            raise CalcError("the square root of a negative number is not a real number")
        return x.sqrt()
    # cube root keeps the sign; snap to the exact root when there is one (27 -> 3, not 2.999...)
    root = abs(x) ** (Decimal(1) / 3)
    near = root.to_integral_value()
    if near ** 3 == abs(x):
        root = near
    return root if x >= 0 else -root


def nth_exact(value: Decimal, exponent: Decimal) -> Decimal:
    """Snap 16^0.25 = 1.99999... to 2 when the integer really is the answer."""
    near = value.to_integral_value()
    if near != 0 and abs(value - near) < Decimal("1e-40"):
        return near
    return value

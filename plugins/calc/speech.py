"""Plain speech -> an arithmetic expression, token by token, every token accounted for.

"12 crates of 30 bottles at 1.10 a bottle, 5% off the whole thing, plus 25 delivery" becomes
``12 × 30 × 1.10 − 5% + 25`` and goes to the evaluator, which shows the working. The reader
knows a small grammar of line items:

    items    := item (join item | modifier | fee)*
    item     := chain [price] [period]  |  amount [period]
    chain    := count nouns (("of"|"x"|"with"|"containing"|"for") count nouns ["each"])*
    price    := ("at"|"@"|"for") amount [("each"|"a"/"an"/"per"/"/" noun)]
    period   := ("a"|"per"|"/"|"every") period-word ["for" (a|N) period-word]

A price "per bottle" binds to the level of the chain whose noun is bottles (crates of 30
bottles at 1.10 a bottle is 12 × 30 × 1.10; at 30 a crate it is 12 × 30); a price per a noun
the chain does not name (12 boxes at 3 per dozen) is refused. Nouns beside counts are labels;
any other word must be harmless (vocab.HARMLESS) or the reading is refused (Unaccounted).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .normalise import rx
from .numbers import AMOUNT_UNSIGNED, NUMBER, Amount, parse_amount, show
from .report import Calculation
from .vocab import HARMLESS, Unaccounted, why_risky

_TOKEN = rf"(?P<fig>(?i:{AMOUNT_UNSIGNED})\s?%?)|(?P<word>[a-z][a-z'-]*)|(?P<op>[-+*/×x(),:;@?])"
_COUNT_WORDS = {"a dozen": 12, "one dozen": 12, "half a dozen": 6, "a couple": 2, "a couple of": 2, "a pair of": 2,
                "a pair": 2, "a hundred": 100, "a single": 1}
_STRUCTURE = frozenset("of x with containing holding for at each a an per every and plus minus less then more "
                       "off on in to by from".split())
# a period and how many of the smaller fit in the larger; pairs not listed (weeks in a month) are ambiguous
_PERIOD = {"hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "day": "day", "days": "day",
           "week": "week", "weeks": "week", "wk": "week", "month": "month", "months": "month", "mo": "month",
           "quarter": "quarter", "quarters": "quarter", "year": "year", "years": "year", "yr": "year",
           "annum": "year"}
_FITS = {("month", "year"): 12, ("week", "year"): 52, ("day", "year"): 365, ("quarter", "year"): 4,
         ("month", "quarter"): 3, ("day", "week"): 7}
_FEES = frozenset("shipping delivery handling postage freight fee fees parts materials tip setup install "
                  "installation labour labor service booking deposit".split())
_GENERIC = frozenset("unit units item items piece pieces one each".split())


@dataclass
class Tok:
    kind: str  # fig | word | op
    text: str
    amount: Amount | None = None
    percent: bool = False


@dataclass
class Level:
    count: Decimal
    nouns: list[str] = field(default_factory=list)


def tokenize(text: str) -> list[Tok]:
    for phrase, value in sorted(_COUNT_WORDS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"\b{phrase}\b", f" {value} ", text)
    text = re.sub(rf"(?<![\d.,])({NUMBER})\s+dozen\b", r"\1 dozen of 12", text)  # 2 dozen = 2 dozens of 12
    toks = []
    for m in rx(_TOKEN).finditer(text):
        if m["fig"]:
            raw = m["fig"].strip()
            pct = raw.endswith("%")
            toks.append(Tok("fig", raw, parse_amount(raw.rstrip("%").strip()), pct))
        elif m["word"]:
            toks.append(Tok("word", m["word"]))
        elif m["op"] in ("x", "×", "*"):
            toks.append(Tok("op", "*"))
        else:
            toks.append(Tok("op", m["op"]))
    return toks


def singular(word: str) -> str:
    word = {"hrs": "hr", "hr": "hour", "lbs": "lb", "pcs": "pc", "boxes": "box", "glasses": "glass"}.get(word, word)
    return word[:-1] if word.endswith("s") and len(word) > 3 and not word.endswith("ss") else word


class _Reader:
    def __init__(self, toks: list[Tok]):
        self.toks, self.i = toks, 0
        self.expr: list[str] = []  # pieces of the expression
        self.items = 0

    # --- token helpers
    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def word(self, *words: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "word" and t.text in words

    def op(self, *ops: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == "op" and t.text in ops

    def fig(self, k: int = 0, percent: bool | None = False) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "fig" and (percent is None or t.percent == percent)

    def skip_harmless(self) -> None:
        while self.peek() and (self.op(",", ":", ";", "?") or (self.peek().kind == "word" and self._harmless())):
            self.i += 1

    def _harmless(self) -> bool:
        w = self.peek().text
        return w in HARMLESS and w not in _STRUCTURE and not why_risky(w)

    # --- grammar
    def nouns(self) -> list[str]:
        out = []
        while len(out) < 3 and self.peek() and self.peek().kind == "word":
            w = self.peek().text
            if w in _STRUCTURE or (w in HARMLESS and w not in _GENERIC) or why_risky(w) in ("operation", "multiplier"):
                if w == "of" and out and self.peek(1) and self.peek(1).kind == "word" and not self.word("each", k=1):
                    self.i += 1  # "gallons of paint": a noun phrase, not a level
                    continue
                break
            out.append(w)
            self.i += 1
        return out

    def chain(self) -> list[Level] | None:
        if not self.fig() or self.peek().amount.currency:
            return None
        levels = [Level(self.peek().amount.value)]
        self.i += 1
        levels[-1].nouns = self.nouns()
        while True:
            if self.word("each") and len(levels) > 1:
                self.i += 1
                continue
            joiner = self.word("of", "with", "containing", "holding", "for") or self.op("*")
            if not self.op("*") and not levels[-1].nouns:
                joiner = False  # "2 of 3" is not "2 crates of 3"
            if joiner and self.fig(1) and not self.peek(1).amount.currency:
                nouns_follow = self.peek(2) is not None and self.peek(2).kind == "word" and \
                    self.peek(2).text not in _STRUCTURE
                if self.word("for") and not nouns_follow:
                    return levels  # "6 for 9.00": a price
                self.i += 1
                levels.append(Level(self.peek().amount.value))
                self.i += 1
                levels[-1].nouns = self.nouns()
                continue
            return levels

    def price(self, levels: list[Level]) -> tuple[Amount, int] | None:
        """The price and how many chain levels it covers (2 of 'crates of 30 bottles' = per bottle)."""
        if not (self.word("at", "for") or self.op("@")) or not self.fig(1):
            return None
        self.i += 1
        price = self.peek().amount
        self.i += 1
        per = None
        if self.word("each", "apiece", "ea"):
            self.i += 1
        elif (self.word("a", "an", "per", "every") or self.op("/")) and self.peek(1) and self.peek(1).kind == "word":
            per = self.peek(1).text
            self.i += 2
        if per is None or per in _GENERIC:
            return price, len(levels)
        for depth in range(len(levels), 0, -1):
            if any(singular(n) == singular(per) for n in levels[depth - 1].nouns):
                return price, depth
        if per in _PERIOD and not any(n for lv in levels for n in lv.nouns):
            self.i -= 2  # "40 at 65 a month": a rate, read by period()
            return price, len(levels)
        raise Unaccounted(f"the price is per {per}, but I can't tell how many {per}s that is")

    def period(self) -> Decimal | None:
        """'a month for a year' -> 12; None when no period follows. A rate with no duration is refused."""
        if not ((self.word("a", "an", "per", "every", "each") or self.op("/")) and self.peek(1)
                and self.peek(1).kind == "word" and self.peek(1).text in _PERIOD):
            return None
        unit = _PERIOD[self.peek(1).text]
        self.i += 2
        if self.word("for", "over") and (self.word("a", "one", k=1) or self.fig(1)) and self.peek(2) \
                and self.peek(2).kind == "word" and self.peek(2).text in _PERIOD:
            n = Decimal(1) if self.peek(1).kind == "word" else self.peek(1).amount.value
            span = _PERIOD[self.peek(2).text]
            self.i += 3
            fits = Decimal(1) if span == unit else _FITS.get((unit, span))
            if fits is None:
                raise Unaccounted(f"I can't tell how many {unit}s are in a {span}")
            return n * fits
        raise Unaccounted(f"the amount is per {unit}; say for how long, as in 'for a year'")

    def item(self) -> bool:
        start = self.i
        levels = self.chain()
        if levels is not None:
            bound = self.price(levels)
            counts = [lv.count for lv in levels[: bound[1] if bound else len(levels)]]
            if bound is None and len(levels) == 1 and not levels[0].nouns and self.word("more"):
                return False
            factors = [show(c) for c in counts] + ([_amount(bound[0])] if bound else [])
            times = self.period()
            if times is not None:
                factors.append(show(times))
            self._add(" * ".join(factors))
            self.last = levels
            return True
        if self.fig() and self.peek().amount.currency is not None or self.fig():
            amount = self.peek().amount
            self.i += 1
            factors = [_amount(amount)]
            times = self.period()
            if times is not None:
                factors.append(show(times))
            self._add(" * ".join(factors))
            self.nouns()
            return True
        self.i = start
        return False

    def _add(self, term: str) -> None:
        self.expr.append(f"({term})" if self.expr else f"({term})")
        self.items += 1

    def read(self) -> str:
        self.skip_harmless()
        if not self.item():
            return ""  # does not start with a figure: not line-item speech
        while self.peek():
            self.skip_harmless()
            if not self.peek():
                break
            if self.modifier():
                continue
            if self.word("and", "plus") or self.op("+"):
                self.i += 1
                self.skip_harmless()
                if self.more():
                    continue
                if self.modifier(joined=True):
                    continue
                if self.item():
                    self.expr[-1] = "+ " + self.expr[-1]
                    continue
            if self.word("minus") or self.op("-"):
                self.i += 1
                if self.fig() and self.item():
                    self.expr[-1] = "- " + self.expr[-1]
                    continue
            t = self.peek()
            raise Unaccounted(f"I don't know what {t.text!r} does here")
        return " ".join(self.expr)

    def more(self) -> bool:
        """'and 2 more at 40' (a new line like the last) or 'and 2 more crates' (the last line's count grows)."""
        if not (self.fig() and self.word("more", k=1)):
            return False
        n = self.peek().amount.value
        self.i += 2
        nouns = self.nouns()
        bound = self.price(self.last) if self.word("at", "for") or self.op("@") else None
        if bound is not None:
            self._add(f"{show(n)} * {_amount(bound[0])}")
            self.expr[-1] = "+ " + self.expr[-1]
            return True
        depth = next((d for d, lv in enumerate(self.last) if any(singular(a) == singular(b) for a in lv.nouns
                                                                for b in nouns)), 0 if not nouns else None)
        if depth is None:
            raise Unaccounted(f"I can't tell what the {show(n)} more are")
        raise Unaccounted("adding to an earlier count is not supported yet")

    def modifier(self, joined: bool = False) -> bool:
        """'5% off (the whole thing)', 'plus 8% tax', 'less 5% discount', 'plus 25 delivery'."""
        start = self.i
        if not joined and (self.word("with", "less", "minus", "and", "then", "after", "plus", "add") or self.op("+", "-")):
            sign_word = self.peek().text
            self.i += 1
            self.skip_harmless()
        else:
            sign_word = "+"
        if self.fig(percent=True):
            p = self.peek().amount
            self.i += 1
            if self.word("off", "discount") or sign_word in ("less", "minus", "-"):
                if self.word("off", "discount"):
                    self.i += 1
                self.expr.append(f"- {show(p.value)}%")
            elif self.word("tax", "vat", "gst", "hst", "pst", "tip", "gratuity", "surcharge", "fee", "markup") or (
                    self.word("sales") and self.word("tax", k=1)):
                self.i += 2 if self.word("sales") else 1
                self.expr.append(f"+ {show(p.value)}%")
            else:
                self.i = start
                return False
            if self.word("on", "of", "to") and self.word("whole", "everything", "all", "total", "lot", k=1):
                self.i += 2
                self.nouns()
            return True
        if sign_word in ("plus", "+", "add", "and") and self.fig() and self.peek(1) and \
                self.peek(1).kind == "word" and (self.peek(1).text in _FEES or (
                self.peek(1).text in ("in", "for") and self.peek(2) and self.peek(2).text in _FEES)):
            amount = self.peek().amount
            self.i += 2 if self.peek(1).text in _FEES else 3
            self.expr.append(f"+ {_amount(amount)}")
            return True
        self.i = start
        return False


def _amount(a: Amount) -> str:
    from .numbers import CODE_SYMBOL, plain

    sym = CODE_SYMBOL.get(a.currency or "", "")
    return f"{sym}{plain(a.value)}" if sym or a.currency is None else f"{plain(a.value)} {a.currency}"


def read(text: str) -> Calculation | None:
    """The expression plain speech asks for, evaluated with its working; None when it is not line-item speech."""
    toks = tokenize(text)
    figs = [t for t in toks if t.kind == "fig"]
    words = [t.text for t in toks if t.kind == "word"]
    if not figs or not words:
        return None  # a bare expression is the evaluator's; no figures is no calculation
    expression = _Reader(toks).read()
    if not expression:
        return None
    from .phrases import evaluated

    return evaluated(expression, kind="line_items")

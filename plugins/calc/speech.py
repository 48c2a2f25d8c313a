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
from .numbers import Amount, as_operand, show
from .report import Calculation
from .spoken import (
    ADJ_PERIOD,
    FEES,
    FITS,
    FUNCTION,
    GENERIC,
    PERIOD,
    SCALES,
    STRUCTURE,
    Tok,
    Unreadable,
    singular,
    tokenize,
)
from .vocab import (
    HARMLESS,
    Unaccounted,
    abbreviates_risky,
    check_container,
    leftover_check,
    why_risky,
)


@dataclass
class Level:
    count: Decimal
    nouns: list[str] = field(default_factory=list)
    dozens: bool = False
    joiner: str = ""  # how it joins the level above: "of" (inside it) or "for" (for each of them)
    counted: bool = False


@dataclass
class Item:
    """One line: counts × price × periods, or an amount; ``sign`` is how it joins the running total."""
    levels: list[Level]
    price: Amount | None = None
    depth: int = 0  # how many levels the price covers
    times: tuple[Decimal, Decimal] | None = None  # × a ÷ b: "a month for a year" (12, 1), "a year, per month" (1, 12)
    amount: Amount | None = None
    labelled: bool = False  # an amount with a word after it ("500 bonus")
    scale: str = ""  # "2 * " / " / 2": half of, double
    sign: str = ""

    def render(self) -> str:
        if self.amount is not None:
            factors = [as_operand(self.amount)]
        else:
            factors = [show(lv.count) for lv in self.levels[: self.depth or len(self.levels)]]
            factors += [as_operand(self.price)] if self.price is not None else []
        body = " * ".join(factors)
        if self.times is not None:
            mul, div = self.times
            body += (f" * {show(mul)}" if mul != 1 else "") + (f" / {show(div)}" if div != 1 else "")
        body = f"({body})"
        body = f"{self.scale}{body}" if self.scale.endswith(" ") else f"{body}{self.scale}"
        return f"{self.sign} {body}".strip()


class _Reader:
    def __init__(self, toks: list[Tok], target: tuple[str, Decimal] | None = None, fits: dict | None = None):
        self.toks, self.i = toks, 0
        self.parts: list[Item | str] = []  # items and modifiers, in order
        self.pre: list[str] = []  # modifiers said before the items ("total with 7% tax on 3 items at 24.99")
        # the period the question asks for and how many of it ("whats that per month", "over 2 years")
        self.target, self.count = target or (None, Decimal(1))
        self.fits = fits or FITS
        self.money = False  # a price, fee, tax or discount: the result is money (to the cent)
        self.levies: set[str] = set()  # "tax", "tip": both said leaves the tip's base open (before or after tax)

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

    def op_at(self, k: int, *ops: str) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "op" and t.text in ops

    def fig(self, k: int = 0, percent: bool | None = False) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "fig" and (percent is None or t.percent == percent)

    def skip_harmless(self) -> None:
        while self.peek() and (self.op(",", ":", ";", "?") or (self.peek().kind == "word" and self._harmless())):
            self.i += 1

    def _harmless(self) -> bool:
        w = self.peek().text
        return w in HARMLESS and w not in STRUCTURE and not why_risky(w)

    # --- grammar
    def nouns(self, rates: bool = True) -> list[str]:
        """Label words after a figure ('crates', 'us gallons of paint'); ``rates``: 'hours' may count."""
        out = []
        while len(out) < 3 and self.peek() and self.peek().kind == "word":
            w = self.peek().text
            if w in ("us", "uk", "imperial", "fluid", "cubic", "square", "sq") and self.peek(1) \
                    and self.peek(1).kind == "word":
                out.append(w)  # "us gallons", "sq ft": one noun
                self.i += 1
                continue
            if w in STRUCTURE or w in FUNCTION or why_risky(w) in ("operation", "multiplier") \
                    or abbreviates_risky(w) or (not rates and why_risky(w) in ("rate", "unit")) or w in ADJ_PERIOD:
                if w == "of" and out and self.peek(1) and self.peek(1).kind == "word" and not self.word("each", k=1):
                    check_container(out[-1])  # "3 zorks of widgets at 2 each": is 2 per zork or per widget?
                    self.i += 1  # "gallons of paint": a noun phrase, not a level
                    continue
                break
            out.append(w)
            self.i += 1
        return out

    def chain(self) -> list[Level] | None:
        if not self.fig() or self.peek().amount.currency:
            return None
        levels = [Level(self.peek().amount.value, dozens=self.peek().dozens, counted=self.peek().counted)]
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
                    self.peek(2).text not in STRUCTURE
                if self.word("for") and not nouns_follow:
                    return levels  # "6 for 9.00": a price
                joined_by = self.peek().text
                self.i += 1
                levels.append(Level(self.peek().amount.value, dozens=self.peek().dozens, joiner=joined_by))
                self.i += 1
                levels[-1].nouns = self.nouns()
                continue
            return levels

    def price(self, levels: list[Level]) -> tuple[Amount, int] | None:
        """The price and how many chain levels it covers (2 of 'crates of 30 bottles' = per bottle)."""
        times_money = self.op("*") and self.fig(1) and self.peek(1).amount.currency  # "3 x 465 €": 3 at 465 €
        if not (self.word("at", "for") or self.op("@") or times_money) or not self.fig(1):
            return None
        self.i += 1
        price = self.peek().amount
        self.i += 1
        self.money = True
        per = None
        explicit = False
        if self.word("each", "apiece", "ea"):
            self.i += 1
            explicit = len(levels) == 1
        elif (self.word("a", "an", "per", "every") or self.op("/")) and self.peek(1) and self.peek(1).kind == "word":
            per = self.peek(1).text
            self.i += 2
            if per in ("sq", "square", "us", "uk", "cubic") and self.peek() and self.peek().kind == "word":
                per += " " + self.peek().text  # "per sq ft"
                self.i += 1
        if per is None or per in GENERIC:
            if per in GENERIC:  # "per item", "per unit": the innermost thing counted
                explicit = True
            if per is None and any(n in ("min", "mins", "minute", "minutes") for n in levels[-1].nouns):
                raise Unaccounted("is the price per minute or per hour? say 'per hour' or 'a minute'")
            if (len(levels) > 1 and not explicit) or (levels[0].dozens and not explicit):
                raise Unaccounted("I can't tell which count the price is for; say 'a bottle', 'per crate' or 'each'")
            return price, len(levels)
        if per == "dozen" and levels[-1].dozens and len(levels) == 1:
            levels[0] = Level(levels[0].count / 12, ["dozen"])
            return price, 1
        for depth in range(len(levels), 0, -1):
            nouns = levels[depth - 1].nouns
            if any(singular(n) == singular(per) for n in nouns) or " ".join(nouns) == per:
                if any(lv.joiner == "for" for lv in levels[depth:]):
                    raise Unaccounted("a price per the outer count leaves the inner 'for ...' count unexplained")
                return price, depth
        if per in PERIOD and not any(n for lv in levels for n in lv.nouns):
            self.i -= 2  # "40 at 65 a month": a rate, read by period()
            return price, len(levels)
        raise Unaccounted(f"the price is per {per}, but I can't tell how many {per}s that is")

    def period(self, unit: str | None = None) -> tuple[Decimal, Decimal] | None:
        """'a month for a year' -> 12; None when no period follows. A rate with no duration is refused.

        ``unit``: the period an adjective already gave ("annual license 1,499").
        """
        if unit is None:
            if not ((self.word("a", "an", "per", "every", "each") or self.op("/")) and self.peek(1)
                    and self.peek(1).kind == "word" and self.peek(1).text in PERIOD):
                return None
            unit = PERIOD[self.peek(1).text]
            self.i += 2
        if (self.word("for", "over") or self.op("*")) and (self.word("a", "one", k=1) or self.fig(1)) and self.peek(2) \
                and self.peek(2).kind == "word" and self.peek(2).text in PERIOD:
            n = Decimal(1) if self.peek(1).kind == "word" else self.peek(1).amount.value
            span = PERIOD[self.peek(2).text]
            self.i += 3
            mul, div = self._fits(unit, span)
            return n * mul, div
        if self.target:
            target, self.target = self.target, None
            mul, div = self._fits(unit, target)
            return mul * self.count, div
        raise Unaccounted(f"the amount is per {unit}; say for how long, as in 'for a year'")

    def _fits(self, unit: str, span: str) -> tuple[Decimal, Decimal]:
        """How many ``unit`` fit in a ``span``, as a multiplier and a divisor (kept exact: 52 weeks ÷ 12 months)."""
        if unit == span:
            return Decimal(1), Decimal(1)
        if (unit, span) in self.fits:
            return self.fits[(unit, span)]
        if (span, unit) in self.fits:
            mul, div = self.fits[(span, unit)]
            return div, mul
        raise Unaccounted(f"I can't tell how many {unit}s are in a {span}")

    def item(self) -> Item | None:
        start = self.i
        article = self.word("a", "an") and self.fig(1)
        if article:
            self.i += 1  # "a 96 cab", "a 500 bonus": one thing, its figure an amount
        scale = ""
        if self.peek() and self.peek().kind == "word" and self.peek().text in SCALES:
            scale = SCALES[self.peek().text]  # "half of 2,380", "double 375.50"
            self.i += 1 + (1 if self.word("of", k=1) else 0)
        adjective = None
        if self.peek() and self.peek().kind == "word" and self.peek().text in ADJ_PERIOD:
            adjective = ADJ_PERIOD[self.peek().text]  # "annual license 1,499", "quarterly fee 600"
            self.i += 1
            while self.peek() and self.peek().kind == "word" and (self.peek().text in FEES or not why_risky(
                    self.peek().text)) and self.peek().text not in STRUCTURE and self.i - start < 4:
                self.i += 1
            if self.word("of", "is", "at"):
                self.i += 1
        if not adjective:
            levels = self.chain()
            if levels is not None:
                bound = self.price(levels)
                if bound is None and len(levels) == 1 and not levels[0].nouns and self.word("more"):
                    self.i = start
                    return None
                item = Item(levels, bound[0] if bound else None, bound[1] if bound else 0, scale=scale,
                            labelled=bool(article))
                item.times = self.period()
                return item
        if self.fig():
            item = Item([], amount=self.peek().amount, scale=scale)
            self.i += 1
            item.times = self.period(adjective)
            item.labelled = bool(self.nouns(rates=False))  # "1,299 weekly" is a rate, not a label
            return item
        self.i = start
        return None

    def read(self) -> str:
        self.skip_harmless()
        while self.word("with", "plus", "add", "including", "tax", "vat", "gst") or self.fig(percent=True):
            at = self.i
            if self.word("tax", "vat", "gst") and self.fig(1, percent=True):  # "tax 10% on 3 items at 20"
                self.parts.append(f"+ {show(self.peek(1).amount.value)}%")
                self.money = True
                self.i += 2
                if not self.word("on", "for", "to", "of"):
                    self.i = at
                    self.parts.pop()
                    break
                self.pre.append(self.parts.pop())
                self.i += 1
                continue
            if not self.modifier() or not self.word("on", "for", "to", "of"):
                self.i = at
                break
            self.pre.append(self.parts.pop())
            self.i += 1
            self.skip_harmless()
        if self.word("for", "of", "on") and self.fig(1):
            self.i += 1
        if self.peek() and self.peek().kind == "word" and self.op_at(1, ":") and self.fig(2):
            label = self.peek().text  # "hours: 30 at 42/hr": a heading that names what is counted
            self.i += 2
            after = self.peek(1)
            if label not in HARMLESS and not (after and after.kind == "word" and after.text not in STRUCTURE):
                self.toks.insert(self.i + 1, Tok("word", label))
        first = self.item()
        if first is None:  # a label before the first figure: "lunch for the crew came to 147.60"
            lead = next((j for j in range(self.i, len(self.toks)) if self.toks[j].kind == "fig"), None)
            words = self.toks[self.i:lead] if lead is not None else []
            if not words or any(t.kind != "word" and t.text not in (",", ":") for t in words):
                return ""  # does not start with a figure: not line-item speech
            said = [t.text for t in words if t.kind == "word"]
            if len(said) >= 2 and said[-1] == "of" and said[-2] not in HARMLESS:
                # "a box of 12 for 30": one box at 30, or 12 at 30 each? The box is a count, not a label
                raise Unaccounted(f"is the price for the {said[-2]} or for each? Say 'per {said[-2]}' or 'each'")
            leftover_check(" ".join(t.text for t in words), labels=True)
            self.i = lead - 1 if self.word("a", "an", k=lead - 1 - self.i) else lead
            first = self.item()
            if first is None:
                return ""
        self.parts.append(first)
        while self.peek():
            self.skip_harmless()
            if not self.peek():
                break
            if self.modifier():
                continue
            if self.word("and", "plus") or self.op("+"):
                joiner = self.peek().text
                self.i += 1
                self.skip_harmless()
                if self.more() or self.modifier(joined=joiner):
                    continue
                item = self.item()
                if item is not None:
                    if self.money and item.price is None and item.levels and item.levels[0].counted:
                        raise Unaccounted("a count without a price added to a price: say what it costs")
                    self._not_bare_after_priced(item)
                    item.sign = "+"
                    self.parts.append(item)
                    continue
            if self.word("minus") or self.op("-"):
                self.i += 1
                item = self.item() if self.fig() else None
                if item is not None:
                    self._not_bare_after_priced(item)
                    item.sign = "-"
                    self.parts.append(item)
                    continue
            t = self.peek()
            if t is None:
                raise Unaccounted("the question ends before the figure it needs")
            raise Unaccounted(f"I don't know what {t.text!r} does here")
        if self.target:
            raise Unaccounted(f"I can't tell what to work out per {self.target}")
        return " ".join(p.render() if isinstance(p, Item) else p for p in self.parts + self.pre)

    def _not_bare_after_priced(self, item: Item) -> None:
        """'12 chairs at 45 each minus 2' (2 chairs or 2 in money?), '... plus 2 tables' (no price): after
        priced items, a figure joined with no price is refused unless a currency, an article ('a 500
        bonus') or a fee word ('25 delivery') says it is money."""
        nouns = [n for lv in item.levels for n in lv.nouns]
        money = item.labelled or (nouns and set(nouns) <= FEES) or (item.amount and item.amount.currency)
        if item.price is None and not item.scale and not money and any(
                isinstance(p, Item) and p.price is not None for p in self.parts):
            raise Unaccounted("is the figure after 'plus'/'minus' a count or money? Say what it costs, or "
                              "mark the money, as in 'minus $2'")

    def more(self) -> bool:
        """'and 2 more at 40' (a new line like the last) or 'and 2 more crates' (the last line's count grows)."""
        if not (self.fig() and self.word("more", k=1)):
            return False
        n = self.peek().amount.value
        self.i += 2
        nouns = self.nouns()
        last = next((p for p in reversed(self.parts) if isinstance(p, Item) and p.levels), None)
        if last is None:
            raise Unaccounted(f"I can't tell what the {show(n)} more are")
        bound = self.price(last.levels) if self.word("at", "for") or self.op("@") else None
        if bound is not None:
            self.parts.append(Item([Level(n, nouns)], bound[0], 1, sign="+"))
            return True
        if not nouns:
            depth = 0
        else:
            depth = next((d for d, lv in enumerate(last.levels)
                          if any(singular(a) == singular(b) for a in lv.nouns for b in nouns)), None)
        if depth is None or last.price is None and len(last.levels) > 1:
            raise Unaccounted(f"I can't tell what the {show(n)} more are")
        last.levels[depth] = Level(last.levels[depth].count + n, last.levels[depth].nouns)
        return True

    def modifier(self, joined: str = "") -> bool:
        """'5% off (the whole thing)', 'plus 8% tax', 'less 5% discount', 'plus 25 delivery'."""
        start = self.i
        if not joined and (self.word("with", "less", "minus", "and", "then", "after", "plus", "add") or self.op("+", "-")):
            sign_word = self.peek().text
            self.i += 1
            if sign_word == "then" and (self.word("add", "plus", "less", "minus", "with") or self.op("+", "-")):
                sign_word = self.peek().text  # "then add 10%"
                self.i += 1
            self.skip_harmless()
        else:
            sign_word = joined  # "" when no word said how the percentage joins
        if self.fig(percent=True):
            p = self.peek().amount
            self.i += 1
            if self.word("off", "discount") or sign_word in ("less", "minus", "-"):
                if self.word("off", "discount"):
                    self.i += 1
                self.parts.append(f"- {show(p.value)}%")
                self.money = True
            elif self.word("tax", "vat", "gst", "hst", "pst", "tip", "gratuity", "surcharge", "fee", "markup",
                           "service") or (
                    self.word("sales") and self.word("tax", k=1)):
                levy = "tip" if self.word("tip", "gratuity") else "tax" if not self.word("surcharge", "fee", "markup",
                                                                                       "service") else ""
                self.levies |= {levy} - {""}
                if self.levies == {"tip", "tax"}:
                    raise Unaccounted("say whether the tip is on the price before tax or after it")
                self.i += 2 if self.word("sales") else 1
                self.parts.append(f"+ {show(p.value)}%")
                self.money = True
            elif sign_word in ("plus", "+", "add"):
                self.parts.append(f"+ {show(p.value)}%")  # "plus 50%": a calculator's percentage
            else:
                self.i = start
                return False
            if self.word("on", "of", "to") and self.word("whole", "everything", "all", "total", "lot", k=1):
                self.i += 1
            if self.word("whole", "everything", "all", "total", "lot"):
                self.i += 1
                self.nouns()
            return True
        if sign_word in ("", "plus", "+", "and") and self.peek() and self.peek().text in FEES - {"tip", "deposit"} and (
                self.fig(1) or (self.word("is", "of", "at", k=1) and self.fig(2))):  # ", delivery is 85"
            self.i += 1 if self.fig(1) else 2
            self.parts.append(f"+ {as_operand(self.peek().amount)}")
            self.i += 1
            self.money = True
            return True
        if sign_word in ("plus", "+", "add", "and") and self.fig() and self.peek(1) and \
                self.peek(1).kind == "word" and (self.peek(1).text in FEES or (
                self.peek(1).text in ("in", "for") and self.peek(2) and self.peek(2).text in FEES)):
            amount = self.peek().amount
            self.i += 2 if self.peek(1).text in FEES else 3
            self.parts.append(f"+ {as_operand(amount)}")
            self.money = True
            return True
        self.i = start
        return False


_ASKED_PERIOD = (r"(?:,\s*)?(?:(?:what(?:'s|s)?|how\s+much)(?:\s+(?:is|does|would|will))?(?:\s+(?:that|it|this|be))*\s+)?"
                 r"(?:(?:total\s+)?(?:cost|price|total|spend)\s+)?"  # "cost for the year" ("the" is dropped)
                 r"(?:(?:per|a|each|every|for(?:\s+a)?|in(?:\s+a)?|over(?:\s+a)?)\s+(?P<p>year|month|week|day|quarter)|"
                 r"(?:for|over|in)\s+(?P<n>\d+)\s+(?P<pn>year|month|week|day|quarter)s|"  # "how much over 2 years"
                 r"(?P<adj>annually|yearly|monthly|weekly|quarterly|daily))"
                 r"(?:\s+(?:roughly|approx|approximately|about|then|please))*\s*$")
_ASSUME = r",?\s*(?:assume|assuming|with|at)\s+(?P<n>\d+)\s+weeks?\s+(?:a|per|in\s+a)\s+year\b"


def _question(text: str) -> tuple[str, tuple[str, Decimal] | None, dict]:
    """The text without a trailing 'whats that per month', the period asked, and the period table to use."""
    fits = dict(FITS)
    assume = rx(_ASSUME).search(text)
    if assume:
        weeks = Decimal(assume["n"])
        fits[("week", "year")] = (weeks, Decimal(1))
        fits[("week", "month")] = (weeks, Decimal(12))  # stated by the user: weeks in a year over 12 months
        text = (text[:assume.start()] + text[assume.end():]).strip(" ,")
    m = rx(_ASKED_PERIOD).search(text)
    if not m or m.start() == 0:
        return text, None, fits
    target = m["p"] or m["pn"] or ADJ_PERIOD[m["adj"]]
    return text[:m.start()].strip(" ,"), (target, Decimal(m["n"] or 1)), fits


def read(text: str, *, single: bool = False) -> Calculation | None:
    """The expression plain speech asks for, evaluated with its working; None when it is not line-item speech."""
    try:
        toks = tokenize(text)
    except Unreadable:
        return None  # a "%" or "=" the speech tokens do not cover: this reader cannot account for it
    figs = [t for t in toks if t.kind == "fig"]
    words = [t.text for t in toks if t.kind == "word"]
    if not figs or not words:
        return None  # a bare expression is the evaluator's; no figures is no calculation
    text, target, fits = _question(text)
    try:
        reader = _Reader(tokenize(text), target, fits)
    except Unreadable:
        return None
    expression = reader.read()
    if not expression or (not single and not re.search(r"[-+*/%]", expression)):
        return None  # one figure with words around it is not a calculation ("apply the promo to 320")
    from .phrases import evaluated

    return evaluated(expression, kind="line_items", as_money=reader.money, single_ok=single)

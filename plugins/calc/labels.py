"""Figures bound to the words beside them: the slot-filling that formula readers (frames) share.

"fixed 8,500 sell 40 variable 22.50" -> {fixed: 8500, price: 40, variable: 22.50}. A label
binds a figure when it sits right before it ("cost 60", "cost of 60", "sells for 4.50") or,
failing that, right after it ("30% margin", "480 in parts"). Every figure must be bound and
every word the binding did not use goes through the vocabulary check, so a frame never
answers with a figure or a word it did not account for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .normalise import rx
from .numbers import AMOUNT, NUMBER, Amount, parse_amount, parse_number
from .vocab import Unaccounted, leftover_check

_FIGURE = rf"(?<![\w.,])(?=[-$€£¥₹\d.a-z])(?:(?P<pct>-?{NUMBER})\s?%|(?P<amt>(?i:{AMOUNT})))"
_JOIN = r"(?:\s*(?:of|is|was|are|were|at|=|:|for|to|by|on|in|costs?|about|around|roughly|just|only|we|i|they|did|" \
        r"made|had|got|did)\b)*\s*"


@dataclass(frozen=True)
class Label:
    slot: str
    kind: str  # "pct" | "amt" (a plain number or money)
    before: str = ""  # regex of the words right before the figure
    after: str = ""  # regex of the words right after the figure


@dataclass
class Figure:
    start: int
    end: int
    text: str
    percent: bool
    amount: Amount  # for a percentage, the rate (15% -> 15)


@dataclass
class Bound:
    slots: dict[str, list[Figure]] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)  # text the binding used
    spare_filled: set[str] = field(default_factory=set)  # slots filled by a figure no label claimed

    def one(self, slot: str) -> Amount | None:
        figures = self.slots.get(slot, [])
        if len(figures) > 1:
            raise Unaccounted(f"two figures could be the {slot.replace('_', ' ')}: "
                              f"{', '.join(f.text for f in figures)}")
        return figures[0].amount if figures else None

    def value(self, slot: str) -> Decimal | None:
        amount = self.one(slot)
        return None if amount is None else amount.value


def figures(text: str) -> list[Figure]:
    out = []
    for m in rx(_FIGURE).finditer(text):
        if m["pct"]:
            out.append(Figure(m.start(), m.end(), m.group().strip(), True, Amount(parse_number(m["pct"].lstrip("-"))
                                                                                 * (-1 if m["pct"].startswith("-") else 1))))
        else:
            raw = m.group()
            lead = len(raw) - len(raw.lstrip())
            out.append(Figure(m.start() + lead, m.end(), raw.strip(), False, parse_amount(raw)))
    return out


def bind(text: str, labels: list[Label], *, words: frozenset[str] = frozenset(),
         allow: frozenset[str] = frozenset(), spare: list[str] = ()) -> Bound:
    """Bind every figure of ``text`` to a slot; Unaccounted when a figure or a math-changing word is left.

    ``words``: words the frame interprets itself (its trigger and question words).
    ``spare``: slots that take a figure no label claimed (in order), e.g. the principal of
    "5000 at 4% compounded yearly".
    """
    bound = Bound()
    used: list[tuple[int, int]] = []
    figs = figures(text)
    # A label between two figures belongs to the one that has no other: in "14,300 profit on 52,000
    # revenue", "profit" labels 14,300 (which has nothing before it), so 52,000 is the revenue.
    first = [f for f in figs if _before(text, f, labels, used) is None]
    claimed = {id(f) for f in first if _claim(_after_unless_named(text, f, labels, used), f, bound, used)}
    pending = []
    for fig in figs:  # the label right before a figure
        if id(fig) in claimed:
            continue
        if not _claim(_before(text, fig, labels, used), fig, bound, used):
            pending.append(fig)
    leftover = [fig for fig in pending  # then the label right after it
                if not _claim(_after_unless_named(text, fig, labels, used), fig, bound, used)]
    for fig in leftover:  # a figure no label claimed fills the first free spare slot of its kind
        slot = next((s for s in spare if s.endswith("%") == fig.percent and s.rstrip("%") not in bound.slots), None)
        if slot is None:
            raise Unaccounted(f"I can't tell what {fig.text!r} is here, so I won't guess")
        bound.slots[slot.rstrip("%")] = [fig]
        bound.spare_filled.add(slot.rstrip("%"))
        used.append((fig.start, fig.end))
    rest = _blank(text, used)
    leftover_check(rest, consumed=words, allow=allow, labels=True)
    bound.spans = used
    return bound


def first_reading(readers, text: str):
    """The first reader's calculation; a reader that is triggered but cannot account for everything
    (Unaccounted) lets the next try, and its reason is raised when none reads the text."""
    first: Unaccounted | None = None
    for reader in readers:
        try:
            calc = reader(text)
        except Unaccounted as exc:
            first = first or exc
            continue
        if calc is not None:
            return calc
    if first:
        raise first
    return None


def _kind(fig: Figure) -> str:
    return "pct" if fig.percent else "amt"


def _before(text: str, fig: Figure, labels: list[Label], used) -> tuple[Label, int, int] | None:
    head = text[:fig.start]
    for label in labels:
        if label.before and label.kind == _kind(fig):
            m = rx(rf"(?:^|\b)(?:{label.before}){_JOIN}$").search(head)
            if m and not _overlaps((m.start(), m.end()), used):
                return label, m.start(), m.end()
    return None


def _after(text: str, fig: Figure, labels: list[Label], used) -> tuple[Label, int, int] | None:
    tail = text[fig.end:]
    for label in labels:
        if label.after and label.kind == _kind(fig):
            m = rx(rf"^\s*(?:{label.after})\b").match(tail)
            if m and not _overlaps((fig.end + m.start(), fig.end + m.end()), used):
                return label, fig.end, fig.end + m.end()
    return None


def _after_unless_named(text: str, fig: Figure, labels: list[Label], used) -> tuple[Label, int, int] | None:
    """The label after ``fig``, unless a label of the other kind names it first: in "cost 62.40 margin 35
    price", 35 is no price (the margin without its % sign, or a margin in money?), so it is refused."""
    found = _after(text, fig, labels, used)
    if found is not None and not fig.percent:  # a "%" says what its figure is
        head = text[:fig.start]
        for label in labels:
            named = rx(rf"(?:^|\b)(?:{label.before}){_JOIN}$").search(head) if label.before else None
            if named and label.kind != _kind(fig) and label.slot != found[0].slot and \
                    not _overlaps((named.start(), named.end()), used):
                raise Unaccounted(f"is {fig.text} the {label.slot.replace('_', ' ')} or the "
                                  f"{found[0].slot.replace('_', ' ')}? Write a % sign or a label for it")
    return found


def _claim(found, fig: Figure, bound: Bound, used: list) -> bool:
    if found is None:
        return False
    label, start, end = found
    bound.slots.setdefault(label.slot, []).append(fig)
    used += [(start, end), (fig.start, fig.end)]
    return True


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return re.sub(r"\s+", " ", "".join(chars))

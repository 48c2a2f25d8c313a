"""The readers tried after the plain-speech reader, in order: each reads one kind of question whole
(quote lines and claims, pack counts, unit prices, fuel, a price changed in turn, a tax figure, a unit
conversion the phrase rules did not read, a total shared out with a tip or in instalments) and
gives None for anything else, so they only answer what the readers before them refused."""
from __future__ import annotations

from collections.abc import Callable

from . import conversions, fuel, instalments, packs, quotes, sequence, taxes
from .report import Calculation


def readers(question: str) -> tuple[Callable[[str], Calculation | None], ...]:
    """``question``: the prompt as typed (lower case, in English), for the readers that need the asking words."""
    return (quotes.read, packs.read, packs.unit_price, fuel.read, sequence.read, lambda t: taxes.read(t, question),
            conversions.read, instalments.read)

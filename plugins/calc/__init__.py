"""Built-in plugin: calc. Business arithmetic with no model, exact to the cent, with the working shown.

Module map: ``phrases`` (open first: ``calculate`` and the order of the readers), ``vocab``
(what a word can do to the arithmetic; every reading is checked against it), ``normalise``
(lower case, typos, European figures, rounding requests), ``frames``/``changes``/``sharing``
(formula questions read as labelled figures, bound by ``labels``), ``speech``/``spoken``
(plain-speech line items), ``keywords`` (loose price phrasing), ``fallbacks`` (the readers tried
last: ``quotes`` quote lines and claims, ``packs`` pack counts and unit prices, ``fuel``,
``sequence`` a price changed in turn, ``taxes``), ``exchange`` (currency at a given rate), ``expr`` (safe evaluator),
``numbers`` (Decimal context, amounts, display), ``units``, ``business`` (the formulas),
``report`` (the Calculation, rounding, the figure asked for, the Result).
"""
from __future__ import annotations

import re

from slm.plugins.sdk import Plugin, Request, Result, instruction

from .numbers import CalcError

# The readers (phrases and the modules under it, ~35 ms to import, more to compile on first
# use) load when a prompt is calculated: the router's accepts check below answers most prompts
# from one pattern, and `slm route` should not pay for the parser.


def __getattr__(name: str):
    if name == "calculate":
        from .phrases import calculate

        return calculate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CalcPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from .phrases import calculate
        from .report import error_result

        try:
            return calculate(request.prompt).to_result()
        except CalcError as exc:
            return error_result(str(exc))
        except RecursionError:  # belt and braces: the parser caps nesting well below this
            return error_result("the expression nests too deeply")


# a quantity in what the user asked: a free-standing numeral (not part of a code such as
# "hm-300", "e21" or "x200"), a percent sign, or a number word (the languages routed)
_QUANTITY = re.compile(
    r"(?<![\w.-])\d+(?:[.,]\d+)*(?![\w-])|%|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen|half|"
    r"twice|triple|quarter|percent|diez|cien|mil|dix|cent|zehn|hundert|tausend|dez|cem|dobro|doble|"
    r"doppelt|double|moitié|mitad|metade|hälfte|prozent|porcentaje|pourcentage|percentagem)\b",
    re.IGNORECASE)


def accepts(prompt: str) -> bool:
    """plugin.toml ``accepts``: can calc answer this prompt? The router routed it here; calc
    says no when nothing it could compute is in what the user asked: no quantity in the
    instruction (the numbers were in a pasted payload, or only in product codes: "extract
    the amount from: ...$12,450", "how heavy is the hm-300") and the parser cannot read the
    whole prompt either. Cheap first: the parser runs only when the quick look finds nothing."""
    if not isinstance(prompt, str) or not prompt.strip():
        return False
    if _QUANTITY.search(instruction(prompt)):
        return True
    from .phrases import calculate

    try:
        calculate(prompt)
        return True
    except (CalcError, RecursionError):
        return False


def solve(prompt: str) -> Result:
    """The calculation for ``prompt`` without a runtime (for scripts and tests)."""
    return CalcPlugin().handle(Request(prompt), None)


plugin = CalcPlugin()

__all__ = ["CalcError", "CalcPlugin", "accepts", "calculate", "plugin", "solve"]

"""Built-in plugin: calc. Business arithmetic with no model, exact to the cent, with the working shown.

Module map: ``phrases`` (open first: ``calculate`` and the order of the readers), ``vocab``
(what a word can do to the arithmetic; every reading is checked against it), ``normalise``
(lower case, typos, European figures, rounding requests), ``frames``/``changes``/``sharing``
(formula questions read as labelled figures, bound by ``labels``), ``speech``/``spoken``
(plain-speech line items), ``keywords`` (loose price phrasing), ``expr`` (safe evaluator),
``numbers`` (Decimal context, amounts, display), ``units``, ``business`` (the formulas),
``report`` (the Calculation, rounding, the figure asked for, the Result).
"""
from __future__ import annotations

from slm.plugins.sdk import Plugin, Request, Result

from .numbers import CalcError
from .phrases import calculate
from .report import error_result


class CalcPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        try:
            return calculate(request.prompt).to_result()
        except CalcError as exc:
            return error_result(str(exc))
        except RecursionError:  # belt and braces: the parser caps nesting well below this
            return error_result("the expression nests too deeply")


def solve(prompt: str) -> Result:
    """The calculation for ``prompt`` without a runtime (for scripts and tests)."""
    return CalcPlugin().handle(Request(prompt), None)


plugin = CalcPlugin()

__all__ = ["CalcError", "CalcPlugin", "calculate", "plugin", "solve"]

"""Built-in plugin: calc. Business arithmetic with no model, exact to the cent, with the working shown.

Module map: ``numbers`` (Decimal context, amounts, rounding, display), ``expr`` (safe
tokenizer + recursive-descent evaluator), ``units`` (conversions), ``business``
(percentages, discounts, tax, margins, splits, ...), ``phrases`` (natural phrasing ->
calculation), ``report`` (the Calculation and how it becomes a Result).
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

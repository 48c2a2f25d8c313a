"""A finished calculation and how it is shown: the answer line, the working, the structured data."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from slm.plugins.sdk import Result

from .numbers import plain

EXAMPLES = ("what is 15% of 240", "add 8.25% sales tax to 1299", "3 licenses at $1,199 with 20% off",
            "split $1,234 across 3")  # shown after an error


@dataclass
class Calculation:
    kind: str  # percent_of, tax_add, discount, split, convert, expression, ...
    headline: str  # the answer as one line, e.g. "Total with 8.25% tax: 1,406.17"
    result: Decimal  # the value as shown (already rounded)
    steps: list[str]
    currency: str | None = None
    unit: str | None = None  # "%", "km", ... (None for money and plain numbers)
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific figures (Decimals allowed)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "result": plain(self.result), "steps": list(self.steps)}
        if self.currency is not None or self.kind in MONEY_KINDS:
            data["currency"] = self.currency
        if self.unit is not None:
            data["unit"] = self.unit
        for key, value in self.extra.items():
            data[key] = _jsonable(value)
        return data

    def to_result(self) -> Result:
        lines = [self.headline]
        if self.steps:
            lines += ["", "Working:"] + [f"  {i}. {step}" for i, step in enumerate(self.steps, 1)]
        return Result(text="\n".join(lines), data=self.to_data())


MONEY_KINDS = {"tax_add", "tax_remove", "tax_included", "tax_amount", "percent_part", "discount", "line_total", "split",
               "unit_price", "per_period", "price_from_margin", "price_from_markup", "margin"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def error_result(reason: str) -> Result:
    """Unparseable, ambiguous or impossible input: say why, never guess."""
    text = (f"I can't calculate that: {reason}.\n"
            f"Try for example: {'; '.join(repr(e) for e in EXAMPLES)}.")
    return Result(text=text, data={"kind": "error", "error": reason})

"""Business calculations on exact Decimals, each returning a Calculation with its working.

Rounding conventions (stated in the working whenever they change a figure):
  * money rounds ROUND_HALF_UP to cents; a tax is computed on the rounded subtotal,
    rounded itself, then added, as on an invoice;
  * chained discounts compound on the unrounded running price; only the subtotal rounds;
  * a split hands out whole cents, the leftover cents going to the first shares, so the
    shares always add up to the total;
  * percentages show two decimal places.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from .numbers import (
    CENTS,
    PERCENT_PLACES,
    Amount,
    CalcError,
    check,
    decimal_context,
    money,
    rounding_note,
    same_currency,
    show,
    show_money,
    show_percent,
    tidy,
)
from .report import Calculation

HUNDRED = Decimal(100)
MAX_SPLIT = 1_000_000
MAX_LISTED_SHARES = 20


@dataclass(frozen=True)
class Modifier:
    kind: str  # "discount" (percent), "surcharge" (percent), "discount_amount" (money), "tax" (percent)
    value: Decimal
    label: str = ""  # "sales tax", "VAT", "overtime", "rebate", ...
    currency: str | None = None


def _num(value: Decimal, currency: str | None, as_money: bool) -> str:
    return show_money(value, currency) if as_money else show(value)


def _m(value: Decimal, currency: str | None) -> str:
    """A running money figure: as money when it is whole cents, else exact (rounding comes later)."""
    return show_money(value, currency) if money(value) == value else show(value)


def _rounded(exact: Decimal, as_money: bool) -> tuple[Decimal, str | None]:
    if as_money:
        shown = money(exact)
        return shown, rounding_note(exact, shown, "cents")
    shown = tidy(exact)
    return shown, rounding_note(exact, shown, "10 decimal places")


def _with_note(step: str, note: str | None) -> str:
    return f"{step} ({note})" if note else step


def percent_of(rate: Decimal, base: Amount) -> Calculation:
    with decimal_context():
        exact = check(base.value * rate / HUNDRED)
    as_money = base.currency is not None
    shown, note = _rounded(exact, as_money)
    cur = base.currency
    steps = [_with_note(f"{show(base.value)} × {show(rate)} ÷ 100 = {_num(shown, cur, as_money)}", note)]
    return Calculation("percent_of", f"{show(rate)}% of {_num(base.value, cur, as_money)} = {_num(shown, cur, as_money)}",
                       shown, steps, currency=cur, exact=exact)


def percent_ratio(part: Amount, whole: Amount) -> Calculation:
    same_currency(part.currency, whole.currency)
    if whole.value == 0:
        raise CalcError("division by zero (a percentage of 0)")
    with decimal_context():
        exact = check(part.value / whole.value * HUNDRED)
    shown = tidy(exact, PERCENT_PLACES)
    step = _with_note(f"{show(part.value)} ÷ {show(whole.value)} × 100 = {show_percent(shown)}",
                      rounding_note(exact, shown, "2 decimal places"))
    return Calculation("percent_ratio", f"{show(part.value)} is {show_percent(shown)} of {show(whole.value)}",
                       shown, [step], unit="%", exact=exact)


def percent_change(old: Amount, new: Amount) -> Calculation:
    same_currency(old.currency, new.currency)
    if old.value == 0:
        raise CalcError("a percentage change from 0 is undefined (division by zero)")
    with decimal_context():
        diff = new.value - old.value
        exact = check(diff / abs(old.value) * HUNDRED)
    shown = tidy(exact, PERCENT_PLACES)
    word = "increase" if shown > 0 else "decrease" if shown < 0 else "no change"
    steps = [f"difference: {show(new.value)} − {show(old.value)} = {show(diff)}",
             _with_note(f"{show(diff)} ÷ {show(abs(old.value))} × 100 = {show_percent(shown)}",
                        rounding_note(exact, shown, "2 decimal places"))]
    headline = f"Change from {show(old.value)} to {show(new.value)}: {'+' if shown > 0 else ''}{show_percent(shown)} ({word})"
    return Calculation("percent_change", headline, shown, steps, unit="%", extra={"difference": diff}, exact=exact)


def percent_adjust(base: Amount, rate: Decimal, up: bool) -> Calculation:
    with decimal_context():
        change = check(base.value * rate / HUNDRED)
        exact = check(base.value + change if up else base.value - change)
    as_money = base.currency is not None
    shown, note = _rounded(exact, as_money)
    sign = "+" if up else "−"
    cur = base.currency
    steps = [f"{show(rate)}% of {show(base.value)} = {show(change)}",
             _with_note(f"{show(base.value)} {sign} {show(change)} = {_num(shown, cur, as_money)}", note)]
    verb = "increased" if up else "decreased"
    return Calculation("percent_adjust", f"{_num(base.value, cur, as_money)} {verb} by {show(rate)}% = "
                       f"{_num(shown, cur, as_money)}", shown, steps, currency=cur, extra={"change": change},
                       exact=exact)


def price_with(base: Amount, modifiers: list[Modifier], *, quantity: Decimal | None = None,
               unit_price: Amount | None = None, want: str = "total") -> Calculation:
    """Line total, then discounts and surcharges in the order given (compounding), then tax, as money.

    ``want="tax"`` answers with the tax amount instead of the total (both are in the data).
    """
    currency = same_currency(base.currency, *(m.currency for m in modifiers))
    if any(m.kind == "tax" for m in modifiers) and any(m.label in ("tip", "gratuity") for m in modifiers):
        from .vocab import Unaccounted

        # "3 at 24.99 plus 8% tax plus 15% tip": a tip on the price before tax or on the taxed total?
        raise Unaccounted("say whether the tip is on the price before tax or after it")
    steps: list[str] = []
    extra: dict = {}
    with decimal_context():
        running = base.value
        if quantity is not None and unit_price is not None:
            running = check(quantity * unit_price.value)
            steps.append(f"{show(quantity)} × {_m(unit_price.value, currency)} = {_m(running, currency)}")
            extra["quantity"], extra["unit_price"] = quantity, unit_price.value
        start = running
        changes = [m for m in modifiers if m.kind != "tax"]
        taxes = [m for m in modifiers if m.kind == "tax"]
        for m in changes:
            running = _apply(m, running, currency, steps)
        discounts = [m for m in changes if m.kind.startswith("discount")]
        if discounts and len(discounts) == len(changes):
            if start != 0 and len(discounts) > 1:
                effective = tidy((start - running) / start * HUNDRED, PERCENT_PLACES)
                steps.append(f"effective discount: {show_percent(effective)}")
                extra["effective_discount_percent"] = effective
            extra["discount"] = money(start - running)
        subtotal = money(running)
        if subtotal != running:
            steps.append(f"subtotal {show(running)} → {show_money(subtotal, currency)} (rounded half up to cents)")
        total = subtotal
        tax_total = Decimal(0)
        for m in taxes:
            if m.value < 0:
                raise CalcError("a tax rate cannot be negative")
            exact_tax = check(subtotal * m.value / HUNDRED)
            tax = money(exact_tax)
            steps.append(_with_note(f"{m.label or 'tax'} {show(m.value)}%: {_m(subtotal, currency)} × {show(m.value)}% = "
                                    f"{show_money(tax, currency)}", rounding_note(exact_tax, tax, "cents")))
            tax_total += tax
        if taxes:
            total = money(subtotal + tax_total)
            steps.append(f"total: {show_money(subtotal, currency)} + {show_money(tax_total, currency)} = "
                         f"{show_money(total, currency)}")
            extra["subtotal"], extra["tax"], extra["total"] = subtotal, money(tax_total), total
    check(total)
    if want == "tax":
        if not taxes:
            raise CalcError("there is no tax rate to work out a tax amount")
        tax_total = money(tax_total)
        label = " and ".join(f"{show(m.value)}% {m.label or 'tax'}" for m in taxes)
        return Calculation("tax_amount", f"{label} on {show_money(subtotal, currency)}: {show_money(tax_total, currency)}"
                           f" (total {show_money(total, currency)})", tax_total, steps, currency=currency, extra=extra)
    if quantity is None and taxes and not changes:
        kind, label = "tax_add", "Total with " + " and ".join(f"{show(m.value)}% {m.label or 'tax'}" for m in taxes)
    elif quantity is None and discounts and len(discounts) == len(changes) and not taxes:
        off = " then ".join(f"{show(m.value)}%" if m.kind == "discount" else show_money(m.value, currency)
                            for m in discounts)
        kind, label = "discount", f"Price after {off} off"
    else:
        kind, label = "line_total", "Total"
    headline = f"{label}: {show_money(total, currency)}"
    if taxes:
        headline += f" ({' + '.join(m.label or 'tax' for m in taxes)} {show_money(tax_total, currency)})"
    return Calculation(kind, headline, total, steps, currency=currency, extra=extra)


def _apply(m: Modifier, running: Decimal, currency: str | None, steps: list[str]) -> Decimal:
    """One discount or surcharge on the running (unrounded) price."""
    if m.kind == "discount":
        if not 0 <= m.value <= 100:
            raise CalcError(f"a discount of {show(m.value)}% is not between 0% and 100%")
        after = check(running * (HUNDRED - m.value) / HUNDRED)
        steps.append(f"{show(m.value)}% off: {_m(running, currency)} × {show(HUNDRED - m.value)}% = {_m(after, currency)}")
    elif m.kind == "surcharge":
        if m.value < 0:
            raise CalcError(f"a {m.label or 'surcharge'} of {show(m.value)}% cannot be negative")
        after = check(running * (HUNDRED + m.value) / HUNDRED)
        steps.append(f"{m.label or 'surcharge'} +{show(m.value)}%: {_m(running, currency)} × {show(HUNDRED + m.value)}% = "
                     f"{_m(after, currency)}")
    else:  # discount_amount
        after = check(running - m.value)
        if after < 0:
            raise CalcError(f"a {m.label or 'discount'} of {show_money(m.value, currency)} is more than the price")
        steps.append(f"{show_money(m.value, currency)} {m.label or 'off'}: {_m(running, currency)} − "
                     f"{show_money(m.value, currency)} = {_m(after, currency)}")
    return after


def percent_part(rate: Decimal, base: Amount, label: str, *, add_to_total: bool) -> Calculation:
    """A commission, tip or deposit: a percentage of an amount, as money (a tip also shows the total)."""
    with decimal_context():
        exact = check(base.value * rate / HUNDRED)
    part = money(exact)
    cur = base.currency
    steps = [_with_note(f"{label}: {_m(base.value, cur)} × {show(rate)}% = {show_money(part, cur)}",
                        rounding_note(exact, part, "cents"))]
    extra: dict = {"rate": rate, "base": base.value}
    headline = f"{label.capitalize()} at {show(rate)}% of {show_money(base.value, cur)}: {show_money(part, cur)}"
    if add_to_total:
        total = money(base.value + part)
        steps.append(f"total: {_m(base.value, cur)} + {show_money(part, cur)} = {show_money(total, cur)}")
        extra["total"] = total
        headline += f" (total {show_money(total, cur)})"
    return Calculation("percent_part", headline, part, steps, currency=cur, extra=extra)


def tax_label(word: str | None) -> str:
    """The levy's name for the working: 'vat' -> 'VAT', 'sales  tax' -> 'sales tax', none -> 'tax'."""
    word = " ".join((word or "tax").split())
    return word.upper() if word in ("vat", "gst", "hst", "pst") else word


def tax_remove(gross: Amount, rate: Decimal, label: str, want: str = "net") -> Calculation:
    if rate < 0:
        raise CalcError("a tax rate cannot be negative")
    with decimal_context():
        exact_net = check(gross.value * HUNDRED / (HUNDRED + rate))
    net = money(exact_net)
    tax = money(gross.value - net)
    cur = gross.currency
    steps = [_with_note(f"net = {show(gross.value)} ÷ {show((HUNDRED + rate) / HUNDRED)} = {show_money(net, cur)}",
                        rounding_note(exact_net, net, "cents")),
             f"{label}: {show_money(gross.value, cur)} − {show_money(net, cur)} = {show_money(tax, cur)}"]
    extra = {"net": net, "tax": tax, "gross": money(gross.value), "rate": rate}
    if want == "tax":
        return Calculation("tax_included", f"{label} included in {show_money(gross.value, cur)} at {show(rate)}%: "
                           f"{show_money(tax, cur)}", tax, steps, currency=cur, extra=extra)
    return Calculation("tax_remove", f"Net of {show(rate)}% {label}: {show_money(net, cur)} ({label} "
                       f"{show_money(tax, cur)})", net, steps, currency=cur, extra=extra)


def margin(cost: Amount, price: Amount, want: str = "margin") -> Calculation:
    cur = same_currency(cost.currency, price.currency)
    with decimal_context():
        profit = price.value - cost.value
        steps = [f"profit: {show_money(price.value, cur)} − {show_money(cost.value, cur)} = {show_money(profit, cur)}"]
        margin_pct = markup_pct = None
        if price.value != 0:
            exact = profit / price.value * HUNDRED
            margin_pct = tidy(exact, PERCENT_PLACES)
            steps.append(_with_note(f"margin: {show(profit)} ÷ {show(price.value)} × 100 = {show_percent(margin_pct)}",
                                    rounding_note(exact, margin_pct, "2 decimal places")))
        if cost.value != 0:
            exact = profit / cost.value * HUNDRED
            markup_pct = tidy(exact, PERCENT_PLACES)
            steps.append(_with_note(f"markup: {show(profit)} ÷ {show(cost.value)} × 100 = {show_percent(markup_pct)}",
                                    rounding_note(exact, markup_pct, "2 decimal places")))
    extra = {"profit": money(profit), "margin_percent": margin_pct, "markup_percent": markup_pct}
    if want == "markup":
        if markup_pct is None:
            raise CalcError("a markup on a cost of 0 is undefined (division by zero)")
        return Calculation("markup", f"Markup: {show_percent(markup_pct)} (profit {show_money(profit, cur)})",
                           markup_pct, steps, unit="%", currency=cur, extra=extra)
    if want == "profit":
        return Calculation("profit", f"Profit: {show_money(profit, cur)}", money(profit), steps, currency=cur,
                           extra=extra)
    if margin_pct is None:
        raise CalcError("a margin on a price of 0 is undefined (division by zero)")
    return Calculation("margin", f"Margin: {show_percent(margin_pct)} (profit {show_money(profit, cur)})",
                       margin_pct, steps, unit="%", currency=cur, extra=extra)


def price_from_margin(cost: Amount, rate: Decimal) -> Calculation:
    if rate >= 100:
        raise CalcError("a margin must be below 100% (the price would be infinite)")
    with decimal_context():
        exact = check(cost.value / ((HUNDRED - rate) / HUNDRED))
    price = money(exact)
    cur = cost.currency
    steps = [_with_note(f"price = cost ÷ (1 − margin) = {show(cost.value)} ÷ {show((HUNDRED - rate) / HUNDRED)} = "
                        f"{show_money(price, cur)}", rounding_note(exact, price, "cents")),
             f"profit: {show_money(price, cur)} − {show_money(cost.value, cur)} = {show_money(price - cost.value, cur)}"]
    return Calculation("price_from_margin", f"Price for a {show(rate)}% margin: {show_money(price, cur)}", price, steps,
                       currency=cur, extra={"profit": money(price - cost.value)})


def price_from_markup(cost: Amount, rate: Decimal) -> Calculation:
    with decimal_context():
        exact = check(cost.value * (HUNDRED + rate) / HUNDRED)
    price = money(exact)
    cur = cost.currency
    steps = [_with_note(f"price = cost × (1 + markup) = {show(cost.value)} × {show((HUNDRED + rate) / HUNDRED)} = "
                        f"{show_money(price, cur)}", rounding_note(exact, price, "cents"))]
    return Calculation("price_from_markup", f"Price with a {show(rate)}% markup: {show_money(price, cur)}", price,
                       steps, currency=cur, extra={"profit": money(price - cost.value)})


def split(total: Amount, ways: Decimal) -> Calculation:
    if ways != ways.to_integral_value() or ways <= 0:
        raise CalcError(f"a split needs a whole, positive number of ways, not {show(ways)}")
    if ways > MAX_SPLIT:
        raise CalcError(f"a split into more than {MAX_SPLIT:,} ways is not supported")
    n = int(ways)
    cur = total.currency
    with decimal_context():
        whole = money(total.value)
        exact_share = whole / n
        share = money(exact_share)
        # whole cents per share, rounded toward zero; the leftover cents go one each to the first shares
        sign = -1 if whole < 0 else 1
        base = (abs(whole) / n).quantize(CENTS, rounding=ROUND_DOWN)
        leftover = int((abs(whole) - base * n) / CENTS)
    shares = [sign * (base + CENTS)] * leftover + [sign * base] * (n - leftover)
    steps = [_with_note(f"{show_money(whole, cur)} ÷ {n} = {show_money(share, cur)}",
                        rounding_note(exact_share, share, "cents"))]
    if leftover:
        steps.append(f"in whole cents: {leftover} share(s) of {show_money(shares[0], cur)} and "
                     f"{n - leftover} of {show_money(shares[-1], cur)} add up to {show_money(whole, cur)}")
    extra = {"ways": n, "total": whole}
    if n <= MAX_LISTED_SHARES:
        extra["shares"] = shares
    headline = f"{show_money(whole, cur)} split {n} ways: {show_money(share, cur)} each"
    if leftover:
        headline += " (shares differ by a cent so they add up exactly)"
    return Calculation("split", headline, share, steps, currency=cur, extra=extra, exact=exact_share)


def unit_price(total: Amount, quantity: Decimal, *, kind: str = "unit_price", label: str = "Unit price") -> Calculation:
    """``total`` ÷ ``quantity`` as money; ``kind``/``label`` name it ("per_period", "Per month (a year has 12)")."""
    if quantity <= 0:
        raise CalcError("a unit price needs a quantity above 0")
    with decimal_context():
        exact = total.value / quantity
    price = money(exact)
    cur = total.currency
    steps = [_with_note(f"{show_money(total.value, cur)} ÷ {show(quantity)} = {show_money(price, cur)}",
                        rounding_note(exact, price, "cents"))]
    return Calculation(kind, f"{label}: {show_money(price, cur)}", price, steps, currency=cur,
                       extra={"exact": tidy(exact), "quantity": quantity}, exact=exact)


def total(items: list[Amount], average: bool = False) -> Calculation:
    cur = same_currency(*(a.currency for a in items))
    with decimal_context():
        value = check(sum((a.value for a in items), Decimal(0)))
        steps = [f"{' + '.join(show(a.value) for a in items)} = {show(value)}"]
        if average:
            exact = value / len(items)
            shown, note = _rounded(exact, cur is not None)
            steps.append(_with_note(f"{show(value)} ÷ {len(items)} = {_num(shown, cur, cur is not None)}", note))
            return Calculation("average", f"Average: {_num(shown, cur, cur is not None)}", shown, steps, currency=cur,
                               extra={"count": len(items), "sum": value}, exact=exact)
    shown, _ = _rounded(value, cur is not None)
    return Calculation("total", f"Total: {_num(shown, cur, cur is not None)}", shown, steps, currency=cur,
                       extra={"count": len(items)}, exact=value)

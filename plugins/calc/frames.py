"""Formula questions read as labelled figures: margin/markup/profit, break-even, interest, loan payments,
the price before a percentage change.

Each frame has a trigger (words that name the formula), labels that bind figures to its
slots (labels.bind: every figure bound, every other word checked), and a solver that says
which formula it used. A frame that is triggered but cannot bind everything raises
Unaccounted, so a later reader may still try and the user learns what was unclear.
"""
from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal

from . import business as biz
from .labels import Bound, Label, bind, first_reading
from .normalise import rx
from .numbers import (
    Amount,
    CalcError,
    check,
    decimal_context,
    money,
    rounding_note,
    same_currency,
    show,
    show_money,
    tidy,
)
from .report import Calculation
from .vocab import Unaccounted

HUNDRED = Decimal(100)
_COST = r"cost\s+of\s+(?:goods(?:\s+sold)?|sales)|cogs|cost(?:s|\s+price)?(?:\s+(?:us|me|them|him|her))?|unit\s+cost|charges?\s+(?:us|me)|supplier\s+charges?|pay(?:ing)?|bought(?:\s+(?!(?:double|twice|half|each|per|a|an|dozen|" \
        r"pair|couple)\b)[a-z]+)?\s+(?:at|for)|buy(?:ing)?(?:\s+price)?|" \
        r"purchased?(?:\s+price)?|paid|on\s+cost"
_PRICE = r"sell(?:s|ing)?(?:\s+(?:it|them))?(?:\s+price)?|sale\s+price|price|sold|revenue|to\s+get\s+to|to|charges?|sales?(?:\s+of)?"


def _margin_labels() -> list[Label]:
    return [Label("margin", "pct", r"margin|gross\s+margin", r"(?:gross\s+|profit\s+)?margin"),
            Label("markup", "pct", r"mark[\s-]?up|marked\s+up(?:\s+by)?|by", r"mark[\s-]?up"),
            Label("cost", "amt", rf"{_COST}|mark[\s-]?up(?:\s+on)?|from", r"(?:unit\s+)?cost"),
            Label("price", "amt", _PRICE, r"(?:sell(?:ing)?\s+)?price|(?:in\s+)?(?:revenue|sales?|turnover)"),
            Label("profit", "amt", r"profit", r"profit")]


_MARGIN_WORDS = frozenset([
    "margin", "margins", "gross", "markup", "mark", "up", "marked", "profit", "cost", "costs", "price", "sell",
    "sells", "selling", "sale", "sold", "buy", "bought", "buying", "purchase", "purchased", "paid", "revenue",
    "want", "should", "be", "need", "get", "new", "same", "keep", "what", "whats", "percentage", "percent",
])


def _asked(text: str, words: list[str]) -> str | None:
    """Which quantity the question asks for: the one named after 'what/how much/whats', or named with no figure."""
    m = rx(rf"\b(?:what(?:'s|s)?|how\s+much|calculate|find|get|new)\s+(?:\w+\s+){{0,3}}?({'|'.join(words)})\b").search(text)
    if m:
        return m[1]
    m = rx(rf"\b({'|'.join(words)})\s*(?:%|percentage)?\s*$").search(text)
    return m[1] if m else None


_NAMED = {"margin": r"\bmargins?\b", "markup": r"\bmark[\s-]?ups?\b", "profit": r"\bprofits?\b",
          "price": r"\bprices?\b", "cost": r"\bcosts?\b"}


def margin(text: str) -> Calculation | None:
    if not rx(r"\b(?:margin|mark[\s-]?up|marked\s+up|profit)s?\b").search(text):
        return None
    text = rx(r",?\s*\bnot\s+(?:a\s+)?(?:mark[\s-]?up|margin)\b").sub(" ", text)  # "a 20% margin not markup"
    text = rx(r",?\s*\b(?:and\s+)?i\s+mean\s+(?:the\s+)?(?=margin|mark[\s-]?up)").sub(" ", text)  # "i mean margin"
    # "(markup on cost)", "(margin on the selling price)": each one's own definition, a note that changes nothing
    # ("markup on price" would be a margin by another name: left, and refused)
    text = rx(r"\(\s*(?:(?:mark[\s-]?up\s+)?(?:on|of)\s+cost|(?:margin\s+)?(?:on|of)\s+(?:selling\s+price|sales?|"
              r"(?:sell(?:ing)?\s+)?price|revenue))\s*\)").sub(" ", text)
    text = rx(r"\b(mark[\s-]?up)\s+(?:of\s+)?(\d[\d.]*%)\s+on\s+(?=[$€£]?\d)").sub(r"\1 \2 on cost ", text)  # a markup is on cost
    if rx(r"\bmark[\s-]?up\s+on\s+(?:the\s+)?(?:sell(?:ing)?\s+)?(?:price|sales?)\b(?!\s*[$€£]?\d)").search(text):
        raise Unaccounted("a markup on the price is a margin by another name: say 'margin' or 'markup on cost'")
    # "buy 40 at 3.25 and sell them at 5 each": the quantity, then per-unit cost and price
    quantity = None
    q = rx(r"\b(?P<verb>buy|bought|sell|sold|selling|make|made)\s+(?P<q>\d[\d,]*)\s+(?:(?:units?|items?|pieces?|"
           r"of\s+them|them)\s+)?(?=at\b|@|for\s+[$€£¥₹]?\d[\d,.]*\s+(?:each|apiece|a\s+unit|per\s+unit)\b)").search(text)
    # ("bought 40 for 130" is 40 for 130 in all, or 130 each? "sold 18 for 200 units"? neither is read as a quantity)
    q2 = None if q else rx(r"(?<![\w.,])(?P<q>\d[\d,]*)\s+(?:units?|items?|pieces?)\s+(?P<verb>sold|bought)\s+(?=at\b|@)").search(text)
    q = q or q2  # "12 units sold at 89": the count said first
    if q:
        quantity = Decimal(q["q"].replace(",", ""))
        text = text[:q.start()] + q["verb"] + " " + text[q.end():]
        # "total margin in dollars" on a count is the money made: the profit
        text = rx(r"\b(?:total\s+)?(?:gross\s+)?margin\s+in\s+(?:dollars|euros|pounds|\$|€|£)").sub("profit", text)
    text = rx(r"\b(?:each(?:\s+one)?|apiece|per\s+(?:unit|item|piece)|a\s+(?:unit|piece))\b").sub(" ", text)
    text = rx(r"\b(?:this|last|that)\s+(?:year|quarter|month|week)\b").sub(" ", text)  # when, not how often
    named = {"mark up": "markup", "markup": "markup", "mark-up": "markup", "margin": "margin", "profit": "profit",
             "price": "price", "cost": "cost"}
    first_ask = _asked(text, ["margin", "mark[\\s-]?up", "profit", "price", "cost"])
    first_ask = named.get(first_ask.replace("-", " ") if first_ask else "", None)
    spare = {"cost": ["price"], "price": ["cost"]}.get(first_ask, [])  # "if a 60 item has a 25% margin, whats the cost"
    try:
        b = bind(text, _margin_labels(), words=_MARGIN_WORDS, spare=spare)
    except Unaccounted as exc:
        raise Unaccounted(f"{exc}; for a margin or markup I need the cost and the price labelled, as in "
                          f"'margin on cost 80 price 120'") from None
    k = {slot: b.one(slot) for slot in ("cost", "price", "margin", "markup", "profit")}
    names = {"mark up": "markup", "markup": "markup", "mark-up": "markup", "margin": "margin", "profit": "profit",
             "price": "price", "cost": "cost"}
    asked = _asked(text, ["margin", "mark[\\s-]?up", "profit", "price", "cost"])
    asked = names.get(asked.replace("-", " ") if asked else "", None)
    if asked is None or k.get(asked) is not None:  # "margin on cost 80 price 120": the named thing with no figure
        missing = [s for s in ("margin", "markup", "profit", "price", "cost")
                   if k[s] is None and re.search(_NAMED[s], text)]
        asked = missing[0] if len(missing) == 1 else None
        if asked is None and k["cost"] is not None and k["price"] is None and (k["margin"] or k["markup"]):
            asked = "price"  # "mark up 45 by 30%": a cost and a rate ask for the price
    if asked is None:
        raise Unaccounted("say what you want: the margin, the markup, the profit, the price or the cost")
    calc = solve_margin(asked, k)
    if quantity is not None:
        if asked != "profit":
            raise Unaccounted(f"a quantity ({show(quantity)}) only makes sense for a total profit")
        total = calc.result * quantity if calc.exact is None else calc.exact * quantity
        calc.steps.append(f"{show(quantity)} units × {show(calc.exact or calc.result)} = {show(money(total))}")
        calc = Calculation("profit", f"Total profit: {show_money(money(total), calc.currency)}", money(total),
                           calc.steps, currency=calc.currency, exact=total)
    return calc


def solve_margin(asked: str, k: dict) -> Calculation:
    """Cost, price, margin % and markup % are tied by price = cost × (1 + markup) = cost ÷ (1 − margin)."""
    cost, price, m, u = k["cost"], k["price"], k["margin"], k["markup"]
    profit = k.get("profit")
    if profit is not None and (cost is None) != (price is None):  # two of cost, price, profit give the third
        if price is not None:
            cost = Amount(price.value - profit.value, price.currency)
        else:
            price = Amount(cost.value + profit.value, cost.currency)
    cur = same_currency(*(a.currency for a in (cost, price) if a))
    steps: list[str] = []
    with decimal_context():
        if m is not None and m.value >= 100:
            raise CalcError("a margin must be below 100% (the price would be infinite)")
        if cost is not None and price is not None and asked in ("margin", "markup", "profit"):
            return biz.margin(cost, price, asked)
        if m is not None and u is not None:
            raise Unaccounted("both a margin and a markup are given; I need only one")
        if asked in ("margin", "markup") and cost is None and price is None:
            if asked == "markup" and m is not None:
                exact = m.value / (HUNDRED - m.value) * HUNDRED
                steps.append(f"markup = margin ÷ (1 − margin) = {show(m.value)}% ÷ {show(HUNDRED - m.value)}%")
            elif asked == "margin" and u is not None:
                exact = u.value / (HUNDRED + u.value) * HUNDRED
                steps.append(f"margin = markup ÷ (1 + markup) = {show(u.value)}% ÷ {show(HUNDRED + u.value)}%")
            else:
                raise Unaccounted(f"for the {asked} I need a cost and a price, or the other percentage")
            shown = tidy(exact, Decimal("0.01"))
            steps.append(f"= {show(shown)}%" + (f" ({rounding_note(exact, shown, '2 decimal places')})"
                                                if exact != shown else ""))
            return Calculation(asked, f"{asked.capitalize()}: {show(shown)}%", shown, steps, unit="%", exact=exact)
        if cost is not None and (m is not None or u is not None):
            if asked == "price":
                return biz.price_from_markup(cost, u.value) if u is not None else biz.price_from_margin(cost, m.value)
            if asked == "profit":
                price_exact = cost.value * (1 + u.value / HUNDRED) if u is not None else cost.value / (1 - m.value / HUNDRED)
                profit = price_exact - cost.value
                steps.append(f"price = {show(price_exact)}; profit = price − cost = {show(profit)}")
                return _money("profit", "Profit", profit, cur, steps)
        if price is not None and (m is not None or u is not None):
            cost_exact = price.value * (1 - m.value / HUNDRED) if m is not None else price.value / (1 + u.value / HUNDRED)
            how = (f"cost = price × (1 − margin) = {show(price.value)} × {show(HUNDRED - m.value)}%" if m is not None
                   else f"cost = price ÷ (1 + markup) = {show(price.value)} ÷ {show(HUNDRED + u.value)}%")
            steps.append(f"{how} = {show(cost_exact)}")
            if asked == "cost":
                return _money("cost", "Cost", cost_exact, cur, steps)
            if asked == "profit":
                steps.append(f"profit = price − cost = {show(price.value)} − {show(cost_exact)}")
                return _money("profit", "Profit", price.value - cost_exact, cur, steps)
    raise Unaccounted(f"I can't work out the {asked} from these figures; give the cost and the price, or one of "
                      f"them and a margin or markup")


def _money(kind: str, label: str, exact: Decimal, cur: str | None, steps: list[str]) -> Calculation:
    shown = money(check(exact))
    note = rounding_note(exact, shown, "cents")
    steps.append(f"{label.lower()}: {show_money(shown, cur)}" + (f" ({note})" if note else ""))
    return Calculation(kind, f"{label}: {show_money(shown, cur)}", shown, steps, currency=cur, exact=exact)


# --- break-even ------------------------------------------------------------------------------
def break_even(text: str) -> Calculation | None:
    if not rx(r"\bbreak[\s-]?even\b").search(text):
        return None
    text = rx(r"\b(?:per|a)\s+unit\b|/\s?unit\b|\beach\b").sub(" ", text)  # contribution, price and cost are per unit
    labels = [Label("fixed", "amt", r"fixed(?:\s+costs?)?|overheads?|rent", r"(?:in\s+)?(?:other\s+)?fixed(?:\s+costs?)?"
                    r"|(?:in\s+)?overheads?|rent"),
              Label("variable", "amt", r"(?:variable|var)(?:\s+costs?)?(?:\s+per\s+unit)?|costs?\s+(?:us\s+)?|unit\s+cost",
                    r"(?:variable\s+)?(?:costs?\s+)?(?:per\s+unit|to\s+make|variable)"),
              Label("price", "amt", r"sells?(?:\s+(?:each\s+|a\s+)?(?:unit|one|item))?(?:\s+for|\s+at)?|price|selling\s+price|"
                    r"sell\s+price", r"(?:selling\s+)?price"),
              Label("margin_rate", "pct", r"contribution\s+margin(?:\s+ratio)?(?:\s+of|\s+is)?|cm\s+ratio",
                    r"contribution\s+margin(?:\s+ratio)?"),
              Label("contribution", "amt", r"contribution(?:\s+margin)?|profit\s+per\s+unit|margin\s+per\s+unit|"
                    r"(?:i|we)\s+(?:make|clear|net)",
                    r"(?:profit|contribution|margin)(?:\s+per\s+unit)?")]
    words = frozenset([
        "break", "even", "units", "unit", "many", "how", "cups", "sales", "sell", "sells", "need", "needed",
        "to", "make", "other", "fixed", "costs", "variable", "contribution", "profit", "margin", "plus", "and",
        "whole",  # the units are rounded up to whole ones anyway
    ])
    b = bind(_periods_of_fixed_costs(text), labels, words=words)
    fixed = b.slots.get("fixed", [])
    if not fixed:
        raise Unaccounted("for a break-even I need the fixed costs")
    contribution = b.one("contribution")
    price, variable = b.one("price"), b.one("variable")
    with decimal_context():
        total_fixed = sum((f.amount.value for f in fixed), Decimal(0))
        steps = [f"fixed costs: {' + '.join(show(f.amount.value) for f in fixed)} = {show(total_fixed)}"] \
            if len(fixed) > 1 else [f"fixed costs: {show(total_fixed)}"]
        rate = b.one("margin_rate")
        if rate is not None:  # a contribution margin ratio gives the break-even revenue, never a count of units
            if contribution is not None or price is not None or variable is not None or rate.value <= 0:
                raise Unaccounted("give the contribution margin ratio alone, or the price and the variable cost")
            revenue = total_fixed * HUNDRED / rate.value
            steps.append(f"{show(total_fixed)} ÷ {show(rate.value)}% = {show(revenue)}")
            return _money("break_even_revenue", "Break-even revenue", revenue, fixed[0].amount.currency, steps)
        if contribution is None:
            if price is None or variable is None:
                raise Unaccounted("for a break-even I need the price and the variable cost per unit "
                                  "(or the profit per unit)")
            per_unit = price.value - variable.value
            steps.append(f"contribution per unit: {show(price.value)} − {show(variable.value)} = {show(per_unit)}")
        else:
            per_unit = contribution.value
        if per_unit <= 0:
            raise CalcError("each unit loses money, so there is no break-even point")
        exact = total_fixed / per_unit
    units = exact.to_integral_value(rounding=ROUND_CEILING)
    if rx(r"\b(?:revenue|turnover|takings|sales\s+value|in\s+(?:dollars|euros|pounds|sales))\b").search(text):
        # the question asks for the money at the break-even point, not the units
        if price is None:
            raise Unaccounted("for the break-even revenue I need the selling price")
        steps.append(f"{show(total_fixed)} ÷ {show(per_unit)} = {show(exact)} units")
        with decimal_context():
            revenue = exact * price.value
        steps.append(f"revenue: {show(exact)} units × {show(price.value)} = {show(revenue)}")
        return _money("break_even_revenue", "Break-even revenue", revenue, price.currency, steps)
    steps.append(f"{show(total_fixed)} ÷ {show(per_unit)} = {show(exact)} units"
                 + (f" → {show(units)} whole units (rounded up: a part unit is not sold)" if units != exact else ""))
    return Calculation("break_even", f"Break-even: {show(units)} units", units, steps, unit="units",
                       extra={"exact": tidy(exact)})


def _periods_of_fixed_costs(text: str) -> str:
    """'rent 2,000 a month ... how many cups a month': one period, said right after a fixed cost or the count
    asked for, is the period of the answer; those mentions are taken out (any other period word stays and is refused)."""
    periods = list(re.finditer(r"\b(?:a|per|each|every)\s+(month|week|year|day|quarter)\b", text))
    if len({p[1] for p in periods}) != 1:
        return text
    fixed = r"(?:fixed(?:\s+costs?)?|rent|overheads?)(?:\s+(?:are|is|of))?(?:\s+(?:about|around|roughly))?\s+[$€£]?\d[\d,.]*\s*$"
    asked = r"(?:how\s+many\s+\w+|units|cups|sales|customers)\s*$"
    if not all(re.search(fixed, text[:p.start()]) or re.search(asked, text[:p.start()]) for p in periods):
        return text
    for p in reversed(periods):
        text = text[:p.start()] + " " + text[p.end():]
    return text


# --- interest and loans -------------------------------------------------------------------------
_FREQUENCY = {"annually": 1, "yearly": 1, "annual": 1, "year": 1, "semiannually": 2, "semi-annually": 2,
              "half-yearly": 2, "quarterly": 4, "quarter": 4, "monthly": 12, "month": 12, "daily": 365, "day": 365}
# "4% a year", "3.2% p.a.": the rate is yearly, which the formulas already assume
_RATE_PER_YEAR = r"%\s*(?:a\s+year|per\s+year|per\s+annum|p\.?\s?a\.?|annually|yearly|annual(?:\s+interest)?|apr)\b"
_TERM = r"(?:(?:for|over|after|in)\s+)?(?P<n>\d+(?:\.\d+)?)\s+(?P<unit>years?|yrs?|months?|mos?)\b"
# "growing 4% a year", "rises 3% per year": a yearly growth compounds
_GROWS = r"\b(?:grows?|growing|grew|rising|rises|rise|increas(?:es|ing|e)|goes\s+up|go\s+up)\s+(?:by\s+)?[\d.]+%\s+(?:a|per)\s+year\b"


def interest(text: str) -> Calculation | None:
    text = rx(r"\b(?:what\s+)?(?:do|will|would|does)\s+(?:i|we|you|they|it)\s+end\s+up\s+(?:with|at)\b").sub("end", text)
    compound = rx(rf"\bcompound(?:ed|ing)?\b|{_GROWS}").search(text)
    simple = rx(r"\bsimple\b").search(text)
    if not (compound or simple) or rx(r"\bpayments?\b|\bapr\b|\bloan\b").search(text):
        return None
    terms = list(rx(_TERM).finditer(text))
    if not terms:
        raise Unaccounted("for interest I need the term, as in 'for 3 years'")
    if len(terms) > 1:  # "2 years salary ... for 4 years": which is the term?
        raise Unaccounted(f"two terms are given ({', '.join(t.group() for t in terms)}); say one")
    term = terms[0]
    years = Decimal(term["n"]) / (12 if term["unit"].startswith("mo") else 1)
    freq_word = rx(r"\bcompound(?:ed|ing)?\s+(annually|yearly|semi-?annually|half-yearly|quarterly|monthly|daily)\b|"
                   r"\b(annually|yearly|quarterly|monthly|daily)\s+compound").search(text)
    rest = text[:term.start()] + " " + text[term.end():]
    if freq_word:
        rest = rest.replace(freq_word.group(), " compounded ")
    labels = [Label("principal", "amt", r"deposit|invest(?:ed)?|put|principal|on|of|balance|savings?")]
    rest = rx(_RATE_PER_YEAR).sub("%", rest)
    words = frozenset([
        "compound", "compounded", "compounding", "interest", "simple", "grows", "grow", "growing", "grew", "rising",
        "rises", "rise", "increases", "increasing", "increase", "goes", "go", "up", "by", "rate", "at", "how",
        "much", "end", "final", "amount", "balance", "worth", "earn", "earned", "on", "top", "total", "be",
        "will", "deposit", "invest", "put", "in",
    ])
    b = bind(rest, labels, words=words, spare=["principal", "rate%"])
    principal, rate = b.one("principal"), b.one("rate")
    if principal is None or rate is None:
        raise Unaccounted("for interest I need the amount and the rate")
    wants_interest = bool(rx(r"\binterest\b.*\b(?:earn|after|on\s+top|how\s+much|total)\b|\bhow\s+much\s+interest\b|"
                             r"\binterest\s+(?:after|earned|on)\b|\bearn\b").search(text))
    with decimal_context():
        if simple and not compound:
            exact = principal.value * rate.value / HUNDRED * years
            steps = [f"simple interest = {show(principal.value)} × {show(rate.value)}% × {show(years)} years"]
            return _money("interest", "Interest", exact, principal.currency, steps)
        k = _FREQUENCY[(freq_word[1] or freq_word[2]).replace("-", "")] if freq_word else 1
        periods = years * k
        if periods != periods.to_integral_value():
            raise Unaccounted("the term is not a whole number of compounding periods")
        final = check(principal.value * (1 + rate.value / HUNDRED / k) ** int(periods))
        steps = [f"{show(principal.value)} × (1 + {show(rate.value)}% ÷ {k}) ^ {show(periods)} = {show(final)}"]
        if wants_interest:
            steps.append(f"interest = {show(final)} − {show(principal.value)}")
            return _money("interest", "Interest", final - principal.value, principal.currency, steps)
        return _money("compound", "Amount at the end", final, principal.currency, steps)


def loan_payment(text: str) -> Calculation | None:
    if not rx(r"\bpayments?\b|\bapr\b|\bloan\b|\bmortgage\b").search(text):
        return None
    term = rx(r"(?:over|for|in)\s+(?P<n>\d+)\s+(?:equal\s+)?(?:monthly\s+)?(?:months?|mos?|payments?|installments?)|"
              r"(?P<y>\d+)\s+years?").search(text)
    if not term:
        return None
    n = int(term["n"]) if term["n"] else int(term["y"]) * 12
    if n <= 0 or n > 1200:
        raise CalcError("the number of payments must be between 1 and 1200")
    rest = text[:term.start()] + " " + text[term.end():]
    no_interest = rx(r"\bno\s+interest\b|\binterest[\s-]free\b|\b0%\s+interest\b").search(rest)
    if no_interest:
        rest = rest.replace(no_interest.group(), " ")
    rest = rx(r"\bcompounded\s+monthly\b").sub(" ", rx(_RATE_PER_YEAR).sub("%", rest))
    labels = [Label("principal", "amt", r"pay|borrow(?:ed)?|loan(?:\s+of)?|for|on|principal|finance|financing"),
              Label("rate", "pct", r"at|apr|rate", r"(?:apr|annual(?:\s+interest)?|interest|a\s+year|per\s+year|p\.?a\.?)")]
    words = frozenset([
        "monthly", "payment", "payments", "equal", "installments", "loan", "customer", "wants", "pay", "off",
        "what", "whats", "is", "the", "rate", "borrow", "finance", "financed", "financing", "over", "spread",
        "split", "lease", "leased", "leasing", "if",
    ])
    b = bind(rest, labels, words=words, spare=["principal", "rate%"])
    principal, rate = b.one("principal"), b.one("rate")
    if principal is None:
        raise Unaccounted("for a payment I need the amount")
    cur = principal.currency
    with decimal_context():
        if rate is None or rate.value == 0:
            if rate is None and not no_interest and rx(r"\binterest|\bapr\b|\bloan|\bmortgage|\bfinanc|\bborrow|"
                                                        r"\blease").search(text):
                # "monthly payment on a 20k loan over 3 years": a loan has a rate unless it says none
                raise Unaccounted("for a loan payment I need the interest rate (or 'no interest')")
            steps = [f"{show(principal.value)} ÷ {n} payments"]
            return _money("payment", "Payment", principal.value / n, cur, steps)
        r = rate.value / HUNDRED / 12
        exact = principal.value * r / (1 - (1 + r) ** -n)
        steps = [f"monthly rate r = {show(rate.value)}% ÷ 12 = {show(tidy(r, Decimal('1e-10')))}",
                 f"payment = P × r ÷ (1 − (1 + r)^−n) = {show(principal.value)} × r ÷ (1 − (1 + r)^−{n})"]
        return _money("payment", "Monthly payment", exact, cur, steps)


# --- the figure before a percentage change -----------------------------------------------------
def before_change(text: str) -> Calculation | None:
    if not rx(r"\b(?:original(?:ly)?|before|used\s+to\s+be|was\s+it|pre-?discount|to\s+start\s+with|"
              r"(?:list|full|regular|sticker)\s+price|what\s+was\s+(?:the\s+)?list)\b").search(text):
        return None
    m = rx(r"\bafter\s+(?:going\s+)?(?:a\s+)?(?P<p>[\d.]+)%\s*(?P<dir>off|discount|up|increase|rise|down|decrease|"
           r"drop|cut|markup|mark\s*up)\b|\bafter\s+(?:going\s+)?(?P<dir2>up|down)\s+(?:by\s+)?(?P<p2>[\d.]+)%").search(text)
    if not m:
        return _before_discounts(text)
    p = Decimal(m["p"] or m["p2"])
    direction = m["dir"] or m["dir2"]
    down = direction in ("off", "discount", "down", "decrease", "drop", "cut")
    rest = text[:m.start()] + " " + text[m.end():]
    words = frozenset([
        "original", "originally", "before", "was", "were", "it", "its", "it's", "what", "whats", "price",
        "sale", "now", "used", "to", "be", "start", "with", "pre", "discount", "pre-discount", "after", "if",
        "paid", "pay", "list", "full", "regular", "sticker", "got", "we", "i", "they",
    ])
    b = bind(rest, [], words=words, spare=["now"])
    now = b.one("now")
    if now is None:
        raise Unaccounted("I need the figure after the change")
    factor = (HUNDRED - p) / HUNDRED if down else (HUNDRED + p) / HUNDRED
    if factor <= 0:
        raise CalcError("a discount of 100% or more leaves nothing to work back from")
    with decimal_context():
        exact = now.value / factor
    steps = [f"before = after ÷ {'(1 − ' if down else '(1 + '}{show(p)}%) = {show(now.value)} ÷ {show(factor)}"]
    return _money("before_change", "Before the change", exact, now.currency, steps)


def _before_discounts(text: str) -> Calculation | None:
    """'got 10% off then 5% off that, paid 342, list price': the price paid after discounts in turn, worked back."""
    offs = list(rx(r"(?<![\w.])(?P<p>\d+(?:\.\d+)?)%\s*(?:off|discount)\b(?:\s+(?:that|on\s+top))?").finditer(text))
    if not offs or not rx(r"\bpaid\b|\bpay\b").search(text):
        return None
    rest = text
    for off in reversed(offs):
        rest = rest[:off.start()] + " " + rest[off.end():]
    words = frozenset(["got", "we", "i", "they", "then", "and", "paid", "pay", "list", "price", "what", "whats", "was",
                       "original", "originally", "before", "full", "regular", "sticker", "it", "its", "it's"])
    now = bind(rest, [], words=words, spare=["now"]).one("now")
    if now is None:
        raise Unaccounted("I need the price paid after the discounts")
    rates = [Decimal(o["p"]) for o in offs]
    factor = Decimal(1)
    for r in rates:
        factor *= (HUNDRED - r) / HUNDRED
    if factor <= 0:
        raise CalcError("a discount of 100% or more leaves nothing to work back from")
    with decimal_context():
        exact = now.value / factor
    chain = " × ".join(f"(1 − {show(r)}%)" for r in rates)
    steps = [f"paid = list × {chain} = list × {show(factor)}",
             f"list = {show(now.value)} ÷ {show(factor)}"]
    return _money("before_change", "Before the discounts", exact, now.currency, steps)


def read(text: str) -> Calculation | None:
    """The first frame the text triggers that reads it whole (None: no frame is triggered)."""
    return first_reading((break_even, loan_payment, interest, before_change, margin), text)


__all__ = ["Bound", "read"]

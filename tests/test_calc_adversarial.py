"""calc attacked with the words it might ignore: every prompt here has a word that changes the math ("per",
"each", "a dozen", "net of", "excluding", "before tax", "a month for 2 years", "off" beside "of", two
currencies, a percent of a percent, a unit calc does not know). calc must give the right figure or
refuse; a wrong figure fails. The right figure is the expression beside each prompt, evaluated here with
Fraction (written from the words, not from calc's output); None: the prompt must be refused.

The six regressions of fresh_heldout4 (each once answered wrong) come first; then a grammar of quote
lines whose answers are computed here, independently of calc, with multipliers and filler put in.
"""
from __future__ import annotations

import ast
import operator
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slm.plugins.calc import CalcError, calculate, solve

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def exact(expr: str) -> Fraction:
    """The value of a plain arithmetic expression (+ - * / and brackets), exactly."""
    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.Constant):
            return Fraction(str(node.value))
        raise ValueError(expr)

    return ev(ast.parse(expr, mode="eval"))


def outcome(prompt: str, expr: str | None, tolerance: str = "0.01") -> str:
    data = solve(prompt).data
    if "result" not in data or data.get("kind") == "error":
        return "refused"
    if expr is None:
        return f"wrong: answered {data['result']}, must refuse"
    got, want = Fraction(Decimal(data["result"])), exact(expr)
    return "right" if abs(got - want) <= Fraction(tolerance) else f"wrong: {data['result']} is not {float(want)}"


# --- the six wrong answers of fresh_heldout4, fixed as mechanisms --------------------------------
REGRESSIONS = [
    ("230 miles at 45p", "230 * 0.45"),  # "45p" is pence: once 45, the "p" dropped as a label
    ("21% btw op €2.150, totaal?", "2150 * 1.21"),  # "2.150," is 2150 (once 2.15: the comma stopped the regrouping)
    ("3 x 10% stacked, whats the total discount in %", "100 - 100 * 0.9 * 0.9 * 0.9"),  # once 3 × 10% off 3
    ("sales dropped 86k to 71.5k, %", "(71500 - 86000) / 86000 * 100"),  # "dropped" says what the data did
    ("3 450 € HT avec TVA à 20 %, ça fait combien TTC", "3450 * 1.2"),  # HT labels the amount (once 3450 / 1.2)
    ("just the tax pls, 6.5% of 18,430", "18430 * 0.065"),  # the tax asked for (once the total 19,627.95)
]


@pytest.mark.parametrize("prompt,expr", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_fresh4_regressions_are_right_or_refused(prompt, expr):
    assert outcome(prompt, expr) in ("right", "refused")


def test_fresh4_regressions_mostly_answered():
    # refusing everything would pass the test above: five of the six are answerable for sure
    assert sum(outcome(p, e) == "right" for p, e in REGRESSIONS) >= 5


@pytest.mark.parametrize("prompt", ["12 at 45zk each", "230 miles at 45q", "$12 plus 45p", "€1.2345 x 3",
                                    "€2.150,505 plus 21% vat", "4 boxes at 3 x 12", "3 x 10% zorked", "1080p times 2",
                                    "12 crates at 3/bottle"])
def test_a_suffix_sign_or_figure_calc_cannot_read_is_refused(prompt):
    assert outcome(prompt, None) == "refused"


def test_a_describing_verb_keeps_the_sign_and_a_question_about_the_drop_does_not():
    assert outcome("sales dropped 86k to 71.5k, %", "(71500 - 86000) / 86000 * 100") == "right"
    assert outcome("sales dropped from 48,200 to 42,900, by what %", "(48200 - 42900) / 48200 * 100") == "right"
    assert outcome("percent decrease from 1,250 to 1,100", "12") == "right"
    assert outcome("sales dropped from 100 to 120, %", None) == "refused"  # the data contradicts the verb


def test_the_tax_asked_for_is_one_pattern_everywhere():
    from slm.plugins.calc import keywords, report, taxes

    assert keywords.ASKS_TAX is report.ASKS_TAX and taxes._ASKS["tax"] is report.ASKS_TAX
    for asked in ("just the tax pls", "how much is the vat", "what's the gst", "tax amount?", "how much of that is tax"):
        assert report.rx(report.ASKS_TAX).search(asked), asked
    for other in ("whats the pre-tax amount", "what's the tax rate", "what's the vat inclusive price"):
        assert not report.rx(report.ASKS_TAX).search(other), other


# --- adversarial prompts: a word that changes the math ----------------------------------------------
ADVERSARIAL = [
    # per / each / a dozen
    ("12 boxes at 3 per dozen", None),  # a dozen boxes or a dozen in a box?
    ("a dozen pens at 1.50 each", "12 * 1.50"),
    ("2 dozen at 4 a dozen", "2 * 4"),
    ("3 dozen eggs at 0.25 each", "36 * 0.25"),
    ("a gross of pens at 0.10 each", "144 * 0.10"),  # gross = 144 here, not a gross price
    ("a score of eggs at 0.20 each", "20 * 0.20"),
    ("3 pairs of socks at 4 a sock", "6 * 4"),
    ("12 boxes of 24 at 0.50 a box", "12 * 0.50"),
    ("a box of 12 for 30", None),  # the box at 30, or 12 at 30 each? (was 360)
    ("a box of 12 for 30 and 3 loose at 3 each", None),  # (was 369)
    ("10 boxes of 12 at 0.50 per item", "120 * 0.50"),
    ("8 hours at 95 a day", None),  # a day rate on hours
    ("12 crates at 3 per bottle", None),  # bottles per crate unknown
    ("5 furlongs at 2 per mile", None),
    ("2 techs 6 hrs at 65/h", None),  # 6 hours each or in all?
    # a month, for years
    ("450 per month for 2 years, total", "450 * 24"),
    ("450 a month for 2 years", "450 * 24"),
    ("1,200 a year per month", "1200 / 12"),
    ("300 a week for a year", "300 * 52"),
    ("15% of 200 per month for 6 months", "0.15 * 200 * 6"),
    ("was 75 a month now 60 a week, % change", None),  # 75 a month against 260 a month (was -20)
    ("was 75 a month now 60 a month, % change", "-20"),
    # off vs of
    ("20% of 80", "16"),
    ("20% off 80", "64"),
    ("what's 20% off of 80", "64"),
    ("20% off 80 then 10% off", "80 * 0.8 * 0.9"),
    ("20% of 80 plus tax", None),  # 16 plus a tax with no rate (was 96: 80 with 20% tax)
    ("15% of 240 less 10%", "0.15 * 240 * 0.9"),  # (was 183.60: 240 less 15% less 10%)
    ("15% off 240 of which 10% is tax", None),  # the tax is inside (was 224.40: added on top)
    ("1000 at 5% off then 5% on", "1000 * 0.95 * 1.05"),  # one "off" for two rates (was 902.50)
    ("5% off then 2% early pay on 23,618.40", "23618.40 * 0.95 * 0.98"),
    # net of / excluding / before tax
    ("540 including 8% tax, what is it before tax", "500"),
    ("customer paid 1,130 incl 13% hst whats the pre tax", "1000"),
    ("1,200 incl 20% vat, price excluding vat", "1000"),
    ("net 1,250 add vat at 21%, gross?", "1250 * 1.21"),
    ("500 ex vat, what's it inc 20% vat", "600"),
    ("1,250 ex vat, how much vat at 20%", "250"),
    ("what's 250 inc vat at 20%", None),  # 250 plus VAT, or 250 that holds it?
    ("how much vat is in 594 at 20%", "99"),
    ("what is 540 less 8% tax", None),  # the tax taken out of 540, never added (was 583.20)
    ("540 minus 8% vat", None),
    ("540 after 8% tax, before tax", "500"),
    ("540 excluding 8% tax, with tax", "540 * 1.08"),
    ("10% of 360 inc vat", None),  # 36 of a VAT-inclusive price, or the net at 10% VAT (327.27)?
    ("20% of 1,200 including vat", None),
    ("net 30 on a 1,000 invoice", None),  # payment terms, not arithmetic
    ("what's 1,200 net of 20% vat", None),  # 1,200 before the VAT (1,440 with it) or the VAT taken out (1,000)?
    ("1,000 net of 20% vat", None),
    ("net of 595 incl 19%", "500"),  # "incl" says 595 holds the tax: the net of it
    ("split 900 between 3 people and me", None),  # four people, or three? never 300 with "me" skipped
    ("split 900 between 4 of us", "225"),
    ("dividir 100 entre 4 y yo", None),  # 4 and me (was 25)
    ("diviser 100 € entre 4 personnes et moi", None),
    ("split 1,200 among 4, each adds 20 tip", "1200 / 4 + 20"),  # each adds it (was 305: one tip of 20 shared)
    ("bill is 240, plus 20 tip, 5 of us, each?", "(240 + 20) / 5"),
    # two currencies
    ("$100 plus €50", None),
    ("£20 + $15", None),
    ("€1,000 at 10% off, in dollars", None),
    ("100 usd to eur", None),  # no rate given
    ("100 aud at 10% off in usd", None),
    ("quanto fica 1.200 reais com 10% de desconto", "1080"),  # one currency, named by its word
    # a percent of a percent, percents stacked
    ("30% of 50% of 200", "30"),
    ("10% of 20%", "0.02"),  # 0.1 × 0.2 (2%)
    ("20% then 10% off 450", "450 * 0.8 * 0.9"),
    ("up 10% then down 10% from 500", "495"),
    ("whats the total discount % if you take 20% then 10% off", "28"),
    ("2 x 20% off stacked", "100 - 100 * 0.8 * 0.8"),
    ("increase 200 by 10% twice", "242"),
    ("how much is 3 at 24.99 plus 8% tax plus 15% tip", None),  # the tip on the price or the taxed total?
    ("100 with 8% tax and 15% tip", None),
    ("3 at 20 plus 10% tip", "66"),
    ("12 at 3 vs 10 at 3.50, which is cheaper", None),  # which, not how much: never 71 (a total of both)
    ("12 for 8.99 or 24 for 16.49, whats the cheaper price per can", "16.49 / 24"),
    ("we did 312 service calls vs 260 last quarter, whats the increase in percent", "20"),
    # multipliers and operators said in words
    ("double 45", "90"),
    ("half of 20% of 300", "30"),
    ("1,000 minus 15% plus 15%", "1000 * 0.85 * 1.15"),
    ("split 120 between 4 but I pay double", None),
    ("5% less than 200", "190"),
    ("5% more than 200", "210"),
    ("40 units at 18.75 each less 5 units returned", "35 * 18.75"),
    ("12 chairs at 45 each minus 2", None),  # 2 chairs (450) or 2 in money (538)?
    ("12 chairs at 45 each minus 2 chairs", "10 * 45"),  # never 540 - 2
    ("12 chairs at 45 each plus 2 tables", None),  # the tables have no price (was 540 + 2)
    ("12 chairs at 45 each minus $2", "540 - 2"),
    ("13 weeks at 385 a week plus a 500 bonus", "13 * 385 + 500"),
    ("3 at 20 per 2", "3 * 20 / 2"),  # 20 a pair (was 20 / 3 × 2, read as "how much for 2")
    ("5 miles there and back in km", "2 * 5 * 1.609344"),  # (was 8.05: "there and back" skipped)
    ("round trip, 75 km each way @ 0.42/km", "2 * 75 * 0.42"),
    ("cost 62.40 margin 35 price", None),  # 35 is the margin with no % sign, not the price (was -78.29)
    ("cost 62.40 margin 35% price", "62.40 / 0.65"),
    # units calc does not know, or cannot match
    ("12 zorks at 3 each", "36"),
    ("3 zorks of widgets at 2 each", None),
    ("2 kg at 3 per 100g", "60"),
    ("price per kg if 5 lb costs 20", "20 / (5 * 0.45359237)"),
    ("12 bushels at 3 per kg", None),
    ("5 hours at 60 an hour plus 2 hours overtime at time and a half", "300 + 2 * 90"),
]


@pytest.mark.parametrize("prompt,expr", ADVERSARIAL, ids=[a[0] for a in ADVERSARIAL])
def test_a_word_that_changes_the_math_is_never_ignored(prompt, expr):
    result = outcome(prompt, expr)
    assert result in ("right", "refused"), f"{prompt!r}: {result}"


def test_the_adversarial_set_is_not_all_refused():
    answerable = [(p, e) for p, e in ADVERSARIAL if e is not None]
    assert len(ADVERSARIAL) >= 40
    right = sum(outcome(p, e) == "right" for p, e in answerable)
    assert right >= len(answerable) // 2, right  # calc reads most of them; the others it refuses, never guesses


# --- a grammar of quote lines, answered independently ----------------------------------------------
_NOUNS = st.sampled_from(["", "chairs ", "licenses ", "boxes ", "units "])
# (words after the count, what they multiply the count by): multipliers calc must apply or refuse on
_MULTIPLIERS = st.sampled_from([("", 1), ("dozen ", 12), ("pairs of ", 2)])
_FILLER = st.sampled_from(["", "pls ", "quick one: ", "hey can you work out "])


def _cents(value: Fraction) -> Fraction:
    """Half up to cents, the way invoices round (Python's round() rounds half to even)."""
    return Fraction(int(value * 100 + Fraction(1, 2)), 100)


@st.composite
def quote_lines(draw):
    qty = draw(st.integers(1, 40))
    mult_words, mult = draw(_MULTIPLIERS)
    noun = draw(_NOUNS)
    if mult_words == "pairs of " and not noun:
        noun = "socks "
    price = Decimal(draw(st.integers(1, 50_000))) / 100
    # what the price is per: each thing, or the group the multiplier names ("at 3 a dozen": 3 for 12)
    per_words, per = draw(st.sampled_from([("", 1), (" each", 1)] + (
        [(" a dozen", 12), (" per dozen", 12)] if mult == 12 else [(" a pair", 2)] if mult == 2 else [])))
    period_words, months = draw(st.sampled_from([("", 1), (" a month for 2 years", 24), (" a month for 6 months", 6)]))
    sign = draw(st.sampled_from(["", "$"]))
    discount = draw(st.sampled_from([None, 5, 10, 12.5, 20]))
    tax = draw(st.sampled_from([None, 7, 8.25, 20]))
    prompt = f"{draw(_FILLER)}{qty} {mult_words}{noun}at {sign}{price}{per_words}{period_words}"
    subtotal = Fraction(qty * mult, per) * Fraction(price) * months
    if discount is not None:
        prompt += f" with {discount}% off"
        subtotal *= 1 - Fraction(str(discount)) / 100
    if tax is not None:
        prompt += f" plus {tax}% tax"
        subtotal = _cents(subtotal) * (1 + Fraction(str(tax)) / 100)  # tax on the subtotal in cents, as invoiced
    return prompt, subtotal


@settings(max_examples=400, deadline=None)
@given(quote_lines())
def test_quote_lines_with_multipliers_are_right_or_refused(case):
    """Replaces "any mix of calc words gets an answer or a reason", which could not see a wrong answer:
    each prompt's figure is computed here from the words, and calc's must match it or be a refusal."""
    prompt, want = case
    data = solve(prompt).data
    if data.get("kind") == "error":
        return
    # two cents: readers round the subtotal or only the total (a cent either way), never more
    assert abs(Fraction(Decimal(data["result"])) - want) <= Fraction("0.02"), (prompt, data["result"], float(want))


def test_quote_lines_grammar_is_answered_in_plain_cases():
    # the grammar's plainest forms are read (the property above would pass on a calc that refuses all)
    assert outcome("3 chairs at $45 each with 10% off plus 8.25% tax", "121.50 * 1.0825") == "right"  # 135 × 0.9
    assert outcome("2 dozen boxes at 1.25 each", "24 * 1.25") == "right"


@pytest.mark.parametrize("prompt, word", [
    ("tres bombas a 749,90 € con un 10% de descuento, total?", "tres"),  # answered one pump's price
    ("zwölf Dichtungssätze à 89 € netto, brutto mit 19 % MwSt?", "zwölf"),  # answered one set's
    ("quatre filtres à 120 €, total TTC à 20 %", "quatre"),
    ("drie filters van 75 euro plus 21% btw", "drie"),
])
def test_a_number_written_in_words_in_another_language_is_refused_not_skipped(prompt, word):
    with pytest.raises(CalcError, match=f"'{word}'"):
        calculate(prompt)


@pytest.mark.parametrize("prompt", ["o total dos 3 itens a 10 cada", "un 10% de descuento sobre 200",
                                    "once more: 12 at 3.50", "ein rabatt von 10% auf 200"])
def test_everyday_words_that_are_also_numbers_elsewhere_are_not_taken_for_numbers(prompt):
    from slm.plugins.calc.foreign import foreign_number_word

    assert foreign_number_word(prompt) is None

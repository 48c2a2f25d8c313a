"""calc reading plain speech: answers worked out by hand (not copied from the code), refusals that name
the word that would change the math, a metamorphic check that no such word is silently ignored,
rounding from the exact value, and the cheap import."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from slm.plugins.calc import solve
from slm.plugins.calc.numbers import CalcError
from slm.plugins.calc.phrases import calculate
from slm.plugins.calc.vocab import Unaccounted, leftover_check

# (prompt, result). Hand arithmetic in the comments.
SPEECH = [
    ("12 crates of 30 bottles", "360"),  # 12 × 30
    ("12 crates of 30 bottles at 1.10 a bottle", "396.00"),  # 360 × 1.10
    ("12 crates of 30 bottles at 30 a crate", "360.00"),  # the price is per crate: 12 × 30
    ("5 boxes of 10 pens at 0.80 a pen", "40.00"),
    ("10 boxes of 12 at 0.50 per item", "60.00"),  # per item: the innermost count, 120 × 0.50
    ("a dozen at 4.25 each", "51.00"),
    ("half a dozen at 2.50 each", "15.00"),
    ("2 dozen eggs at 0.30 each", "7.20"),  # 24 × 0.30
    ("2 dozen at 3 a dozen", "6.00"),
    ("a couple of chairs at 45 each plus 10% tax", "99.00"),  # 90 × 1.1
    ("eleven at 4.50 each", "49.50"),
    ("half of 2,380 plus 15% tax", "1368.50"),  # 1190 × 1.15
    ("double 375.50", "751"),
    ("a third of 900", "300"),
    ("8 boxes at 12.50 and 2 more at 40", "180.00"),  # 100 + 80
    ("3 crates of 20 bottles at 2 a bottle and 2 more crates", "200.00"),  # (3 + 2) × 20 × 2
    ("6 chairs at 40 and 4 tables at 150", "840.00"),
    ("120 plus 15 shipping", "135.00"),
    ("2 pallets of 40 boxes at 6.50 a box, delivery is 85", "605.00"),  # 80 × 6.5 + 85
    (("the customer is buying 12 crates of 30 bottles at 1.10 a bottle and wants 5% off the whole thing, plus 25 "
      "delivery, whats the final number"), "401.20"),  # 396 × .95 = 376.20; + 25
    ("total with 7% tax on 3 items at 24.99", "80.22"),  # 74.97 × 1.07 = 80.2179
    ("tax 10% on 3 items at 20", "66.00"),
    ("40 hrs at 65/hr less 5% discount", "2470.00"),  # 2600 × .95
    ("49 a month for a year", "588"),
    ("250 a week for a year", "13000"),
    ("75 a month, how much per year", "900"),
    ("salary 52,000 a year whats that per month", "4333.3333333333"),  # 52000 ÷ 12
    ("weekly 120 how much is that per month, assume 52 weeks a year", "520"),  # 120 × 52 ÷ 12
    ("2,499.99 x 3 plus 15% tax", "8624.97"),  # 7499.97 × 1.15 = 8624.9655
]
FRAMES = [
    ("cost 60 sell 80 markup %", "33.33"),  # 20 ÷ 60
    ("cost 40, want a 30% margin, what price", "57.14"),  # 40 ÷ .7
    ("sell price 120 at 25% margin what was cost", "90.00"),
    ("margin is 40%, whats the markup", "66.67"),  # 40 ÷ 60
    ("profit per unit if cost 7.20 and markup 40%", "2.88"),
    ("if i buy 40 at 3.25 and sell them at 5 each, whats my profit", "70.00"),  # 40 × 1.75
    ("if a 60 item has a 25% margin, whats the cost", "45.00"),
    ("we bought the unit for 640 and want to sell it at a 20% margin not markup, what should the price be", "800.00"),
    ("fixed 8,500 sell 40 variable 22.50 units to break even", "486"),  # 8500 ÷ 17.5 = 485.7 → a whole unit more
    (("rent 2,000 a month plus 1,500 other fixed costs, a coffee sells for 4.50 and costs us 1.30 to make, how many "
      "cups a month to break even"), "1094"),  # 3500 ÷ 3.20 = 1093.75
    ("5000 at 4% compounded yearly for 3 years how much at the end", "5624.32"),  # 5000 × 1.04³ = 5624.32
    ("how much interest on 8,000 at 3% compounded quarterly for 2 years", "492.79"),  # 8000 × 1.0075⁸ − 8000
    ("simple interest 8,500 at 3.2% for 18 months", "408.00"),  # 8500 × .032 × 1.5
    ("24k at 4.9% apr over 12 months, monthly payment", "2053.48"),
    ("monthly payment for 3,600 over 12 months no interest", "300.00"),
    ("after 20% off it's 96, what was it before", "120.00"),
    ("what was it before if it's 918 after going up 8%", "850.00"),
    ("was 75 now 60 what % off is that", "20"),
    ("dropped from 1,250 to 1,100, percent decrease", "12"),  # asked as a decrease: 150 ÷ 1250
    ("we sold 420 last month and 378 this month, whats the drop in percent", "10"),
    ("goes up 8% from 250", "270"),
    ("ok 4,200 budget, we spent 3,570, what percent is left", "15"),  # 630 ÷ 4200
    ("so 12% of our 85,000 budget goes on marketing, how much is that", "10200"),
    ("marathon 42.195 km in miles", "26.2188"),  # 42.195 ÷ 1.609344 = 26.21875...
    ("3 boxes weigh 18 lb, 22 lb and 27.5 lb, whats the total in kg", "30.6175"),  # 67.5 × .45359237
    ("whats 60 kph in mph", "37.2823"),
    ("4 of us split a 96 cab and a 180 hotel, per person", "69.00"),
    ("split 3,210 between 5 but 1 person pays double", "535.00"),  # 6 shares
    ("divide 7,500 in the ratio 2 to 3, whats the bigger share", "4500.00"),
    ("how many boxes of 24 do i need for 500 units", "21"),  # 20.8 → 21 boxes
    ("12 for 8.99 or 24 for 16.49, whats the cheaper price per can", "0.69"),  # 0.687 < 0.749
    ("pack of 6 for 9.00 how much each", "1.50"),
    ("we're paying 650 for 5 nights, whats that per night", "130.00"),
    ("average sale this week: mon 420, tue 385.50, wed 610, thu 298, fri 512.25", "445.15"),
    ("the invoice is 1,188 including 8% tax, how much of that is tax", "88.00"),  # net 1100
    ("whats the vat on 250 at 20%", "50.00"),
    ("how much do they save on 849 at 25% off", "212.25"),
    ("€2.450,00 less 15% discount", "2082.50"),  # a European figure
    ("splt 1,275 bewteen 4 ppl", "318.75"),  # typos one edit away
]


# margin and markup said loosely: "percentage", "i mean margin", a note that restates the definition,
# "markup N% on X" (on cost), "we charge" (the price), "cost of goods"
SPEECH += [
    ("bought at 40 sold at 50 whats the markup percentage", "25"),  # 10 / 40
    ("cost 60, i sell at 75, whats my margin and i mean margin not markup", "20"),  # 15 / 75
    ("markup % if we pay 30 and charge 45 (markup on cost)", "50"),  # 15 / 30
    ("margin % if we pay 30 and charge 45 (margin on selling price)", "33.33"),  # 15 / 45
    ("markup 25% on 16", "20.00"),  # 16 × 1.25
    ("gross margin on sales of 20k with cost of goods 15k", "25"),  # 5000 / 20000
]

# discounts in turn said before the price, their combined rate, and the list price worked back from the paid one
SPEECH += [
    ("stack 20% and then 5% on 600", "456.00"),  # 600 × 0.8 × 0.95
    ("if we give 10% and then another 10% off on top on $2,000 whats the final", "1620.00"),  # 2000 × 0.81
    ("whats the combined discount % if you take 25% then 20% off", "40"),  # 1 − 0.75 × 0.8
    ("got 20% off then an extra 10% off that, paid 360, list price?", "500.00"),  # 360 / 0.72
    ("paid 900 after a 10% discount, what was list?", "1000.00"),
]

# tax removed or added as said: a total "with N% tax" asked pre-tax, "already included", the same figure said twice,
# a fee after the tax, a closing hotel tax on a claim, a number said in parts
SPEECH += [
    ("gross 2,140 with 7% tax already included, what's the pre-tax amount", "2000.00"),  # 2140 / 1.07
    ("pre-tax price if total was 105 with 5% tax", "100.00"),
    ("how much vat is in 600 if vat is 20% and 600 includes it", "100.00"),  # 600 − 500
    ("$200 plus 10% tax, then 15 delivery on top", "235.00"),  # 220 + 15 (delivery untaxed)
    ("order 1,000 plus 8% sales tax on the goods, then 40 shipping (not taxed). total?", "1120.00"),
    ("2 nights at 100 plus 12% hotel tax, total pls", "224.00"),
    ("vat amount only: 20 percent on 2 thousand 150", "430.00"),  # 2150 × 0.2
]

# a total shared out: a bill with a tip between people, a price in equal interest-free instalments
SPEECH += [
    ("bill is 180, plus 20 tip, 4 of us, each?", "50.00"),  # 200 / 4
    ("splitting £60 between three of us plus 10% tip on top, how much each", "22.00"),  # 66 / 3
    ("bill $150, we want 20% tip and split it 3 ways. each pays", "60.00"),  # 180 / 3
    ("divide 9,000 over 12 monthly payments", "750.00"),
    ("finance 1,200 interest free over 10 months, monthly?", "120.00"),
    ("van 30k, 6k down, rest over 24 months at 0% whats the monthly", "1000.00"),  # 24000 / 24
]

# a part named and asked by its name, a whole from its part, a count out of a count as a percentage
SPEECH += [
    ("handling is 3% of the order value of 2,000, how much is handling", "60"),
    ("support credit is 10 pct of the $250 monthly fee, how much is it", "25.00"),
    ("if 45 is 15% of something what's the something", "300"),
    ("if 12 out of 300 units failed whats the failure rate in percent", "4"),
]

# a unit price: "for 75 metres of cable, per metre", "3.2k for 40 units, each"
SPEECH += [
    ("paid 90 for 30 metres of hose, per metre?", "3.00"),
    ("1.2k for 60 units, each?", "20.00"),
]

# a discount with who gets it or why, a quantity in another unit than the price's, a count sold at a profit
SPEECH += [
    ("30 units @ $20 less 5% volume pls", "570.00"),  # 600 × 0.95
    ("so 10 units at 50 each, customer gets 10% off, what do i put on the quote", "450.00"),
    ("160 km at 0.50 per mile", "49.71"),  # 160 / 1.609344 = 99.42 mi × 0.50 = 49.709...
    ("20 units sold at 15, cost 9 each, total margin in dollars", "120.00"),  # 20 × 6
    ("profit on 8 units sold at 30 bought at 22.50", "60.00"),  # 8 × 7.50
]

# break-even said loosely: "whole units" (they are rounded up anyway), "var cost", "we make N per unit",
# a contribution margin ratio (revenue)
SPEECH += [
    ("fixed 8k, price 90, var cost 55 - how many whole units to break even", "229"),  # 8000 / 35 = 228.57 → 229
    ("break even: fixed cost 900, we make 12 per unit, how many units", "75"),  # 900 / 12
    ("break-even revenue: fixed costs 45,000, contribution margin 25%", "180000.00"),  # 45000 / 0.25
    ("fixed costs are around 6000 a month, we sell each unit at 40 and it costs us 25 to make, how many to break even",
     "400"),  # 6000 / 15
]

# growth and compound interest said loosely
SPEECH += [
    ("15k at 4% compound annually 3 yrs total", "16872.96"),  # 15000 × 1.04^3 = 16872.96
    ("2500 at 2% compounded yearly for 2 yrs what will i end up with", "2601.00"),  # 2500 × 1.0404
    ("50,000 growing 3% a year for 2 years", "53045.00"),  # 50000 × 1.0609
    ("costs rise 10% a year, a 800 unit costs what in 2 years", "968.00"),  # 800 × 1.21
]

# a price per a period and the span asked after it ("cost for the year", "over 2 years")
SPEECH += [
    ("backup plan 14.50 a month, cost for the year", "174"),  # 14.50 × 12
    ("licence 30 a month, how much over 3 years", "1080"),  # 30 × 12 × 3
    ("gold tier 240/mo plus 3 extra site visits at 150, cost for a year", "3330.00"),  # 2880 + 450
]


@pytest.mark.parametrize("prompt,expected", SPEECH + FRAMES, ids=[p[:40] for p, _ in SPEECH + FRAMES])
def test_plain_speech(prompt, expected):
    data = solve(prompt).data
    assert "error" not in data, data
    assert data["result"] == expected
    assert data["steps"] and all(isinstance(s, str) and s for s in data["steps"])  # the working is shown


# Each holds a word (or a figure) that would change the answer; the refusal names it.
REFUSE = [
    ("a dozen at $5 with 10% off plus a dozen", "dozen"),
    ("12 boxes at $3 per dozen", "per dozen"),  # the old parser answered 36
    ("8 hours at $95 a day", "per day"),
    ("12 crates of 30 bottles at 1.10", "which count"),  # per crate or per bottle?
    ("100 a week how much per month", "weeks are in a month"),
    ("1,299 weekly minus 200", "weekly"),
    ("tip 20% on $50 per person", "per"),
    ("10% off 200 plus tax", "tax"),
    ("apply the summer promo to 320", "apply"),
    ("whats 18 perc of 350", "perc"),
    ("interest on 1000 at 5%", "interest"),  # simple or compound, and for how long?
    ("1/3 rounded", "decimal places"),
    ("2,500 per month grows 3% a year for 2 years compounded", "per"),  # a deposit each month is not one sum
    ("what's the margin on 120", "margin"),
    ("split 3,210 between 5 twice", "twice"),
    ("hosting 18 a month, whats the cost for a decade", "per month"),  # a decade is not read: no guess
    ("3 seats at 40, total for 2 years", "total for 2 years"),  # nothing is per a period: what is over 2 years?
    ("support 40 a day, total over 2 months", "days are in a month"),
    ("saved 2 years, 5000 at 3% compounded for 4 years", "two terms"),
    ("3000 growing 5% a year", "term"),  # for how long?
    ("break even fixed 5000 contribution margin 40% price 20", "ratio alone"),  # two ways to the answer given
    ("break even fixed 5000 whole price 20", "price and the variable cost"),
    ("30 units @ $20 less 5% volume tax", "tax"),  # a tax or a discount?
    ("6 hours at 80 per day", "per day"),  # a day rate is not converted from hours
    ("20 units sold at 15, cost 9 each, total margin", "quantity"),  # a margin % has no total
    ("12 for 30, each?", "which figure"),  # no currency, no noun: which is the price?
    ("paid 90 for 3 zorks of hose, per zork?", "zork"),
    ("handling is 3% of the order value of 2,000, how much is the total", "handling"),  # another figure asked
    ("if 12 out of 300 units failed twice whats the failure rate in percent", "twice"),
    ("finance 1,200 over 10 months, monthly?", "finance"),  # with interest? that is a loan, and no rate is given
    ("bill 180 plus 20 tip, 4 of us, each plus 10% tax", "'4'"),  # a tax after the split is not read
    ("how much vat is in 600 if vat is 20% and 500 includes it", "vat"),  # two different amounts
    ("$200 plus 10% tax, then 15 boxes on top", "then"),  # 15 boxes is no fee
    ("got 20% off then a 10 coupon, paid 360, list price?", "won't guess"),  # an amount off too: not worked back
    ("stack 20% and then 5% on 600 for members", "stack"),  # not read: a condition after the price
    ("markup % if we pay 30 and charge 45 (markup on price)", "margin by another name"),
]


@pytest.mark.parametrize("prompt,word", REFUSE, ids=[p[:40] for p, _ in REFUSE])
def test_math_changing_words_are_refused_not_ignored(prompt, word):
    data = solve(prompt).data
    assert data["kind"] == "error", data
    assert word in data["error"]


# Metamorphic: a word that changes the math, put anywhere in a prompt that calc answers, must
# change the answer or be refused. An unchanged answer means the word was ignored.
BASES = ["12 crates of 30 bottles at 1.10 a bottle", "3 shirts at 25 each with 20% off", "add 20% vat to 150",
         "split 480 among 6", "250 a week for a year", "5 miles in km", "120 plus 15 shipping", "half of 90",
         "a dozen at 2.10", "8 boxes at 12.50 and 2 more at 40", "remove 20% vat from 180", "15% of 240",
         "cost 50 sell 75 whats the margin", "10000 at 5% compounded annually for 2 years",
         "after 25% off it's 75, what was the original", "pack of 8 for 12 how much each",
         "total of 15.50, 22 and 8.25", "what percent is 30 of 150", "goes up 5% from 400", "tip 15% on $80",
         "3 of us split a 210 dinner", "salary 52,000 a year whats that per month",
         "24k at 4.9% apr over 12 months, monthly payment"]
CHANGERS = ["minus 5", "twice", "a dozen", "per week", "except 2", "not", "3 times", "plus 10", "no", "per dozen",
            "double"]


@pytest.mark.parametrize("base", BASES)
def test_no_math_changing_word_is_silently_ignored(base):
    expected = Decimal(solve(base).data["result"])
    words = base.split()
    ignored = []
    for changer in CHANGERS:
        for pos in range(len(words) + 1):
            prompt = " ".join(words[:pos] + [changer] + words[pos:])
            got = solve(prompt).data.get("result")
            if got is not None and Decimal(got) == expected:
                ignored.append(prompt)
    assert ignored == []


def test_rounding_is_from_the_exact_value_and_said():
    # 2.4449 to 1 place is 2.4; rounding the 2-place 2.44 would agree, but 2.4451 -> 2.45 -> 2.5 would not
    assert solve("2.4451 + 0 rounded to 1 decimal").data["result"] == "2.4"
    assert solve("1/3 rounded to 2 decimals").data["result"] == "0.33"
    assert solve("22 / 7 rounded to 3 decimals").data["result"] == "3.143"
    assert solve("45.678 rounded down to 1 decimal").data["result"] == "45.6"
    assert solve("round 2,675 to the nearest hundred").data["result"] == "2700"
    assert solve("round 8.125 to 2 decimals").data["result"] == "8.13"  # half up, not half even
    data = solve("lunch came to 147.60 plus a 15% tip, split between 7 of us, round each share up to the next dollar").data
    assert data["result"] == "25"  # 169.74 ÷ 7 = 24.25 → up to 25
    assert any("rounded up" in s for s in data["steps"])


def test_unaccounted_is_a_calc_error_and_names_the_word():
    # the router's accepts() treats CalcError as "not computable": refusals of every kind must be CalcErrors
    assert issubclass(Unaccounted, CalcError)
    with pytest.raises(CalcError):
        calculate("12 boxes at $3 per dozen")
    with pytest.raises(Unaccounted, match="'dozen'"):
        leftover_check("a dozen", labels=True)
    with pytest.raises(Unaccounted, match="'5'"):
        leftover_check("crates 5", labels=True)
    leftover_check("please, for the customer", labels=False)  # harmless words pass


def test_importing_calc_compiles_no_rules():
    code = ("import slm.plugins.calc as c, slm.plugins.calc.phrases as p, slm.plugins.calc.numbers as n;"
            "print(p._rules.cache_info().currsize, n.rx.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "0"]


# (the old "any mix of calc words gets an answer or a reason" could not see a wrong answer: replaced by
# test_calc_adversarial.py's quote-line grammar, whose answers are computed there from the words)


def _field_rows():
    from pathlib import Path

    path = Path(__file__).parent / "data" / "calc_field_phrasings.txt"
    rows = [line.rsplit("|", 1) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return rows


@pytest.mark.parametrize("prompt,answer", _field_rows(), ids=[r[0][:40] for r in _field_rows()])
def test_field_phrasings(prompt, answer):
    data = solve(prompt).data
    if answer == "R":
        assert data["kind"] == "error", data
    else:
        assert "error" not in data, data
        assert abs(Decimal(data["result"]) - Decimal(answer)) <= Decimal("0.01")


# --- two regressions found on the held-out set (fixed after it was read: see the closing note) ------
def test_a_character_the_speech_tokens_do_not_cover_is_never_dropped():
    import pytest
    from slm.plugins.calc import solve, speech
    from slm.plugins.calc.spoken import Unreadable, tokenize

    result = solve("what percent is 1.2m of 15m")
    assert "18" not in result.text and "can't calculate" in result.text  # once read as 1.2 x 15, "%" dropped
    for text in ("12 crates = 30 bottles at 1.10", "3 boxes ^ 2 at 4 each", "12 crates of 30 bottles % 1.10"):
        with pytest.raises(Unreadable):
            tokenize(text)
        assert speech.read(text) is None  # the plain-speech reader declines instead of reading around it
    assert speech.read("12 crates of 30 bottles at 1.10 a bottle") is not None


def test_break_even_revenue_is_money_not_units():
    from slm.plugins.calc import solve

    text = solve("break even revenue: fixed 30k, price 50, var cost 30").text
    assert "75,000.00" in text and "1,500 units" in text  # the units shown in the working
    assert "Break-even: 1,000 units" in solve("fixed costs 12000, price 25, variable cost 13 per unit, "
                                               "how many units to break even").text


@pytest.mark.parametrize("prompt, right", [
    ("unit price: box of 12 for $57.00", "4.75"),  # 57 / 12; read as a total it would be 12 x 57
    ("whats the cost per unit if 500 units cost $1,250 total", "2.50"),  # 1,250 / 500, not 500 + 1,250
    ("box of 12 for 57.00, price per unit", "4.75"),
    ("paid 960 after a 20% discount, what was list?", "1200"),  # worked back: not 960 x 80%
    ("percentage difference between 300 and 240", None),  # no agreed base: refused
    ("percent change from 300 to 240", "-20"),
    ("4 chairs at 57 each, total", "228"),  # "each" alone still reads as a total
])
def test_a_total_never_answers_a_per_unit_or_before_question(prompt, right):
    # the figures read another way give a confident wrong answer; calc refuses what it cannot read as asked
    data = solve(prompt).data
    if right is None:
        assert data["kind"] == "error", data
    else:
        assert data.get("result") is not None and Decimal(data["result"]) == Decimal(right), data

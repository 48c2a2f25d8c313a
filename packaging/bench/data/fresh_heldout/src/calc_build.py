#!/usr/bin/env python3
"""Build calc_fresh.jsonl: held-out eval set for the calc plugin.

Every answer is computed here from a Python arithmetic expression evaluated
exactly with fractions.Fraction (no floats), then rounded half-up to 2 dp.
Conversion factors are exact definitions:
  1 mile = 1.609344 km, 1 lb = 0.45359237 kg, 1 US gal = 3.785411784 L,
  1 ft = 0.3048 m, F = C*9/5 + 32.
"Gallons" always means US gallons (the company is US based).
"""
import ast, json, math, operator, os
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "calc_fresh.jsonl")
UNITS = {"money", "percent", "number", "count", "km", "miles", "kg", "lb",
         "celsius", "fahrenheit", "litres", "gallons", "cm", "feet", "metres"}
CONVERT_UNITS = {"km", "miles", "kg", "lb", "celsius", "fahrenheit", "litres",
                 "gallons", "cm", "feet", "metres"}

_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow}
_FUN = {"ceil": lambda x: Fraction(math.ceil(x)), "floor": lambda x: Fraction(math.floor(x))}


def feval(expr):
    """Exact evaluation of +,-,*,/,** (integer exponents), ceil(), floor()."""
    def ev(n):
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)):
            return Fraction(str(n.value))
        if isinstance(n, ast.BinOp) and type(n.op) in _BIN:
            l, r = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Pow):
                assert r.denominator == 1, "integer exponents only"
                r = int(r)
            return _BIN[type(n.op)](l, r)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            return -ev(n.operand)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _FUN:
            return _FUN[n.func.id](ev(n.args[0]))
        raise ValueError("unsupported syntax in %r" % expr)
    return ev(ast.parse(expr, mode="eval"))


def fmt(fr):
    d = (Decimal(fr.numerator) / Decimal(fr.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# (prompt, expr, unit, tags, note)       -> expect answer
# (prompt, None, unit, tags, reason)     -> expect refuse
A = []
def q(prompt, expr, unit, tags, note=""):
    A.append((prompt, expr, unit, tags, note))
def r(prompt, reason, unit="number", tags=()):
    A.append((prompt, None, unit, list(tags) + ["refuse"], reason))

# ---------- discounts ----------
q("hey quick one, 15% off 1,299.00 whats the price", "1299*(1-0.15)", "money", ["discount", "thousands"])
q("can u do 2.5k minus 8 pct", "2500*(1-0.08)", "money", ["discount", "k"], "2.5k less 8%")
q("twelve hundred less fifteen percent?", "1200*(1-0.15)", "money", ["discount", "words"])
q("if i give 10% and then another 5% off on top on $4,350 whats the final", "4350*0.90*0.95", "money", ["discount", "stacked"], "sequential discounts")
q("how much is 22 pct off 2520", "2520*(1-0.22)", "money", ["discount"])
q("order of 12 cl-5 at $890 each, 8% volume disc on the line, total?", "12*890*(1-0.08)", "money", ["discount", "list"])
q("24 units @ $34 less 8% volume pls", "24*34*(1-0.08)", "money", ["discount"])
q("if i sell 8 at 2180 with 5% off whats the discount amount in $", "8*2180*0.05", "money", ["discount"], "discount amount, not net price")
q("paid 1,800 after a 25% discount, what was list?", "1800/(1-0.25)", "money", ["discount", "reverse"])
q("what % discount is 5120 down to 4608", "(5120-4608)/5120*100", "percent", ["discount", "percent"])
q("quote was 3,760 customer pays 3,400 what pct off is that", "(3760-3400)/3760*100", "percent", ["discount", "percent", "thousands"])
q("how much do i save buying a box of 4 at $98 vs 4 singles at $28 each", "4*28-98", "money", ["unitprice"])
q("wats 15 prcnt of 80", "80*0.15", "number", ["percent", "typo"])
q("take 15% off 2,000 first then add 20% vat on the discounted price", "2000*(1-0.15)*1.20", "money", ["discount", "vat", "stacked"])
q("list 780, 12% off, then 7% sales tax added on the net. final?", "780*(1-0.12)*1.07", "money", ["discount", "tax", "stacked"])
q("custmer wants 7.5 percent off 3,2k whats he pay", "3200*(1-0.075)", "money", ["discount", "typo", "k"])
q("knock 40 bucks off 385 and then 5% off that", "(385-40)*0.95", "money", ["discount", "stacked"])
q("disc of eighteen percent on nine hundred and fifty dollars = ?", "950*(1-0.18)", "money", ["discount", "words"])

# ---------- VAT / sales tax ----------
q("net 840 plus 20% vat = ?", "840*1.20", "money", ["vat"])
q("price is €1.190,00 incl 19% mwst, whats the net", "1190/1.19", "money", ["vat", "european", "reverse"])
q("sales tax 8.25% added to $1,150, what's the total", "1150*1.0825", "money", ["tax", "thousands"])
q("how much tax is inside $107 if the 7% tax is already included", "107-107/1.07", "money", ["tax", "reverse"])
q("price ex gst 480, gst 10%, inc price?", "480*1.10", "money", ["vat"])
q("add 20% vat on top of £1,245.83, gross?", "1245.83*1.20", "money", ["vat", "gbp"])
q("£1495 is vat inclusive at 20%, take the vat out pls", "1495/1.20", "money", ["vat", "reverse", "gbp"])
q("vat amount only: 20 percent on 3 thousand 450", "3450*0.20", "money", ["vat", "words"])
q("invoice subtotal $6,718.00, add 6.5% sales tax, grand total?", "6718*1.065", "money", ["tax", "thousands"])
q("hey whats 13% hst on 2 hundred twenty", "220*0.13", "money", ["tax", "words"], "tax amount")

# ---------- margin / markup ----------
q("sold for 450 cost me 300 what's my margin %", "(450-300)/450*100", "percent", ["margin"], "gross margin on selling price")
q("markup % if i buy at 300 and sell at 450", "(450-300)/300*100", "percent", ["markup"], "markup on cost")
q("i want 35% margin on a part that costs $62, what do i sell it for", "62/(1-0.35)", "money", ["margin"])
q("gross margin % on a 2790 sale, cost 1950", "(2790-1950)/2790*100", "percent", ["margin"])
q("profit on 14 units sold at 42 bought at 27.50", "14*(42-27.50)", "money", ["margin"])
q("cost 1.240,00 €, i want a 25% markup on cost, sell price?", "1240*1.25", "money", ["markup", "european"])
q("buy price 89 sell price 138 — markup on cost in percent?", "(138-89)/89*100", "percent", ["markup"])
q("whats the margin if cost is 2.18k and we sell at 2.79k (margin on sell price)", "(2790-2180)/2790*100", "percent", ["margin", "k"])
q("need to sell at 40 pct markup, my cost is 19.00. price?", "19*1.40", "money", ["markup"])
q("i bought 50 sensors for 1,200 total and sell them at 34 each, total profit?", "50*34-1200", "money", ["margin", "thousands"])

# ---------- percent / percent change ----------
q("whats twelve percent of a grand", "1000*0.12", "money", ["percent", "words"])
q("last yr 48k this yr 53.5k, % change?", "(53500-48000)/48000*100", "percent", ["percentchange", "k"])
q("price went from $19 to $21, how much % up", "(21-19)/19*100", "percent", ["percentchange"])
q("down from 890 to 845.50 whats the percent drop", "(890-845.50)/890*100", "percent", ["percentchange"])
q("whats 17.5% of 640", "640*0.175", "number", ["percent"])
q("if 30 is 12% of something what's the something", "30/0.12", "number", ["percent", "reverse"])
q("what percent is 45 of 360", "45/360*100", "percent", ["percent"])
q("increase 465 by 4.5 percent", "465*1.045", "money", ["percent"])
q("revenue 1.2m in 2023 and 1.38m in 2024, growth pct?", "(1380000-1200000)/1200000*100", "percent", ["percentchange"])
q("how much is 13.5% commission on 22,400", "22400*0.135", "money", ["percent", "commission"])
q("whats 9 pct of 12.5k", "12500*0.09", "money", ["percent", "k"])
q("commission is 3% on the first 10k and 5% on the rest, sale was 16k. my commission?", "10000*0.03+6000*0.05", "money", ["percent", "commission", "k"])
q("we did 312 service calls vs 260 last quarter, whats the increase in percent", "(312-260)/260*100", "percent", ["percentchange"])
q("costs dropped from 7,450 to 6,900. by what %", "(7450-6900)/7450*100", "percent", ["percentchange", "thousands"])
q("what is 3/8 of 2,400", "2400*3/8", "number", ["fraction"])
q("half of 3,455", "3455/2", "number", ["fraction"])
q("1/3 of 1000 rounded to cents", "1000/3", "money", ["fraction"])
q("three grand split 60/40, whats the bigger share", "3000*0.60", "money", ["split", "words"])
q("40% glycol in a 200 l system, how many litres of glycol", "200*0.40", "litres", ["percent"])
q("service credit is 5 pct of the $189 monthly fee, how much is it", "189*0.05", "money", ["percent"])

# ---------- splitting / tips ----------
q("split 186.40 dinner bill 4 ways", "186.40/4", "money", ["split"])
q("splitting £97.50 between three of us plus 10% tip on top, how much each", "97.50*1.10/3", "money", ["split", "tip", "gbp"])
q("tip 18% on $64.20, how much is the tip", "64.20*0.18", "money", ["tip"])
q("lunch was 143,80 € for 5 ppl, per person?", "143.80/5", "money", ["split", "european"])
q("bill $212, we want 20% tip and split it 4 ways. each pays", "212*1.20/4", "money", ["split", "tip"])

# ---------- unit prices / quantities ----------
q("unit price: box of 24 for $98.40", "98.40/24", "money", ["unitprice"])
q("price per litre if a 20 l drum is 86 bucks", "86/20", "money", ["unitprice"])
q("cost per unit if 1,000 units cost $2,340 total", "2340/1000", "money", ["unitprice"])
q("how many boxes of 4 cartridges do i need for 18 cartridges", "ceil(18/4)", "count", ["count"], "round up to whole boxes")
q("we need 350 m of cable, rolls are 50m, how many rolls", "ceil(350/50)", "count", ["count"])
q("need 130 sensors, they come in packs of 12, how many packs do i order", "ceil(130/12)", "count", ["count"], "round up")
q("6 cases of 12 bottles at 3.49 per bottle", "6*12*3.49", "money", ["list"])
q("break even: fixed cost 1200, i make 15 per unit, how many units to break even", "1200/15", "count", ["breakeven"])
q("drove 420 km and used 35 litres, km per litre?", "420/35", "number", ["unitprice"])
q("fuel 48.7 l at 1.79 €/l, cost?", "48.7*1.79", "money", ["unitprice", "eur"])
q("hey can u do 1499 * 7", "1499*7", "number", ["multiply"])
q("avg of 1200, 950, 1430 and 1010", "(1200+950+1430+1010)/4", "number", ["average"])
q("how many days is 16,000 hours", "16000/24", "number", ["time"])
q("cartridge good for 120,000 litres, site uses 9,500 l a month, how many months does it last", "120000/9500", "number", ["time"])
q("24 m3/h is how many litres per minute", "24*1000/60", "number", ["rate"])

# ---------- labour / services / expenses ----------
q("three and a half hours at 95 an hour", "3.5*95", "money", ["labor", "words"])
q("after hours 142.50/hr for 2.5 hrs plus the $180 commissioning visit, total", "142.50*2.5+180", "money", ["labor", "list"])
q("mileage 212 miles at 0.62 per mile", "212*0.62", "money", ["mileage"])
q("2 techs x 6.5 hours each x $95", "2*6.5*95", "money", ["labor"])
q("hotel 3 nights at 149 plus 55 per diem x 4 days", "3*149+55*4", "money", ["expenses", "list"])
q("what's 2 and a quarter hours at 142.50", "2.25*142.50", "money", ["labor", "words"])
q("travel: site is 95 miles each way, first 40 miles each way free, then 1.10/mile. round trip charge?", "(95-40)*2*1.10", "money", ["mileage"])
q("gold contract 189 a month, whats that for a year", "189*12", "money", ["multiply"])
q("quarterly invoice for 3 sites on silver at 119/month each", "3*119*3", "money", ["multiply"])
q("15 dollars an hour for 37.5 hrs a week times 4 weeks", "15*37.5*4", "money", ["labor"])
q("interest: 10k at 6% simple for 3 years, how much interest", "10000*0.06*3", "money", ["interest", "k"])
q("5000 at 4% compounded yearly for 2 yrs what do i end up with", "5000*1.04**2", "money", ["interest"])
q("monthly payment if 3,600 split over 12 months no interest", "3600/12", "money", ["split"])
q("2,790 usd to eur at a rate of 0.92", "2790*0.92", "money", ["fx"])

# ---------- pasted lists ----------
q("total pls:\n2 x AP-40 @ 640\n6 x APC-40-05 @ 42\n1 x AW-1 @ 19", "2*640+6*42+1*19", "money", ["list", "paste"])
q("cust wants 3 hm-300 at $2,180 ea and 2 seal kits at 89 ea, total?", "3*2180+2*89", "money", ["list"])
q("hey can u add these up 129.99 + 49.5 + 12.75 + 8", "129.99+49.5+12.75+8", "number", ["list"])
q("1.299,00 € + 349,90 € + 89,00 €", "1299+349.90+89", "money", ["list", "european"])
q("ap-80 1150, uv80 720, 2 lamps at 96 each — total?", "1150+720+2*96", "money", ["list"])
q("double check this: 4 x 465 + 6 x 34 + 48", "4*465+6*34+48", "number", ["list"])
q("sum of todays expenses\nparking 14.00\ntolls 6.75\nlunch 19.40\nfuel 62.18", "14+6.75+19.40+62.18", "money", ["list", "paste"])
q("quote lines:\nCL-5  1 @ 890.00\nCL-X8 2 @ 210.00\nTS-10 10 @ 34.00\nTS-OUT 1 @ 48.00\nwhat's the total before tax", "890+2*210+10*34+48", "money", ["list", "paste"])
q("items: 3x 28.00, 2x 55.00, 1x 96.00 — total then minus 5%", "(3*28+2*55+96)*0.95", "money", ["list", "discount"])

# ---------- conversions ----------
q("120 km in miles", "120/1.609344", "miles", ["convert"])
q("how many km is 65 miles", "65*1.609344", "km", ["convert"])
q("whats 23 kg in lbs", "23/0.45359237", "lb", ["convert"])
q("41 kilo pump, how much in pounds?", "41/0.45359237", "lb", ["convert"])
q("180 lb to kg", "180*0.45359237", "kg", ["convert"])
q("convert 72f to c", "(72-32)*5/9", "celsius", ["convert", "temperature"])
q("-10 °C in fahrenheit", "-10*9/5+32", "fahrenheit", ["convert", "temperature"])
q("110 celsius is what in f", "110*9/5+32", "fahrenheit", ["convert", "temperature"])
q("200 litres to us gallons", "200/3.785411784", "gallons", ["convert"])
q("how many litres in 55 gallons (us)", "55*3.785411784", "litres", ["convert"])
q("6 feet in cm", "6*30.48", "cm", ["convert"])
q("300 mm in feet", "0.3/0.3048", "feet", ["convert"])
q("how many metres is 150 feet of pipe", "150*0.3048", "metres", ["convert"])
q("convert 5 miles to km", "5*1.609344", "km", ["convert"])
q("10,000 litres how many gallons US", "10000/3.785411784", "gallons", ["convert", "thousands"])
q("hm-550 is 41 kg, 3 of them on the pallet, total in lbs?", "3*41/0.45359237", "lb", ["convert"])
q("temp 95c whats that in fahrenheit", "95*9/5+32", "fahrenheit", ["convert", "temperature"])
q("0 f in c", "(0-32)*5/9", "celsius", ["convert", "temperature"])
q("its 350 miles to erie, whats that in km", "350*1.609344", "km", ["convert"])
q("how many feet is 2.4 metres", "2.4/0.3048", "feet", ["convert"])
q("five foot eleven in cm", "(5*12+11)*2.54", "cm", ["convert", "words"])

# ---------- non-English ----------
q("cuánto es el 21% de iva sobre 1.450 euros? solo el iva", "1450*0.21", "money", ["nonenglish", "vat", "es"])
q("prix HT 2 350 €, TVA 20 %, combien TTC ?", "2350*1.20", "money", ["nonenglish", "vat", "fr"])
q("wie viel sind 7 prozent von 380 euro", "380*0.07", "money", ["nonenglish", "percent", "de"])
q("quanto fica 1.200 reais com 10% de desconto", "1200*0.90", "money", ["nonenglish", "discount", "pt"])
q("suma pls: 3 filtros a 42, 2 llaves a 19 y 1 lámpara a 96", "3*42+2*19+96", "money", ["nonenglish", "list", "es"])
q("combien fait 4 350 € avec 15 % de remise", "4350*0.85", "money", ["nonenglish", "discount", "fr"])
q("umrechnen bitte: 25 meilen in km", "25*1.609344", "km", ["nonenglish", "convert", "de"])
q("converter 30 graus celsius para fahrenheit", "30*9/5+32", "fahrenheit", ["nonenglish", "convert", "pt"])
q("netto 2.180,00 € + 19 % MwSt, was ist brutto?", "2180*1.19", "money", ["nonenglish", "vat", "european", "de"])
q("si compro a 60 y vendo a 85, cuál es el margen sobre el precio de venta en %", "(85-60)/85*100", "percent", ["nonenglish", "margin", "es"])
q("partager 245,60 € entre 4 personnes", "245.60/4", "money", ["nonenglish", "split", "fr"])
q("quantos kg são 150 libras", "150*0.45359237", "kg", ["nonenglish", "convert", "pt"])

# ---------- must refuse ----------
r("whats 15% off the price they quoted us last week", "base price not given", "money", ["missing"])
r("what's the best price i can offer for 10 pumps", "pricing advice/judgement, not arithmetic", "money", ["advice"])
r("add vat to 1,200", "VAT rate not given (varies by country)", "money", ["missing", "vat"])
r("how much is twelve percent of banana", "'banana' is not a number", "money", ["nonnumber"])
r("convert 30 blorps to km", "'blorps' is not a unit", "km", ["nonsenseunit"])
r("split the bill 4 ways", "bill amount missing", "money", ["missing", "split"])
r("what margin should i put on filters", "business advice, not computable", "percent", ["advice"])
r("is 4,350 a good price for a 3 kw pump", "opinion, not arithmetic", "money", ["advice"])
r("1.240 x 3", "ambiguous decimal separator: 1.240 could be 1240 or 1.24", "number", ["ambiguous", "european"])
r("convert 1500 eur to usd", "no exchange rate given; rates change", "money", ["missing", "fx"])
r("percent difference between 2520 and 2180?", "ambiguous base: relative to 2520, 2180 or their mean", "percent", ["ambiguous"])
r("how many pumps fit in my van", "van and pump dimensions unknown", "count", ["missing"])
r("what's the price after the discount", "no price or discount given", "money", ["missing"])
r("20% of what?", "no base quantity", "number", ["missing"])
r("how long does it take to drive 120 miles", "speed not given", "number", ["missing"])
r("calculate the tax on 800", "tax rate not given", "money", ["missing", "tax"])
r("cuánto es el descuento?", "no numbers at all", "money", ["missing", "nonenglish", "es"])
r("combien coûte la livraison pour 3 colis ?", "shipping rate unknown; not arithmetic from given data", "money", ["missing", "nonenglish", "fr"])
r("whats 5 kg in litres", "mass to volume needs a density; not a unit conversion", "litres", ["nonsenseunit"])
r("convert 12 feet to kg", "length cannot be converted to mass", "kg", ["nonsenseunit"])
r("whats my margin on a 450 sale", "cost not given", "percent", ["missing", "margin"])
r("ok now divide it by 3", "no value to divide (refers to missing context)", "number", ["missing"])
r("the customer paid 2,000 including tax, how much tax was that", "tax rate not given", "money", ["missing", "tax"])


def main():
    rows, seen = [], set()
    for i, (prompt, expr, unit, tags, note) in enumerate(A, 1):
        assert unit in UNITS, unit
        assert prompt not in seen, "duplicate prompt: " + prompt
        seen.add(prompt)
        rid = "f%03d" % i
        if expr is None:
            row = dict(id=rid, prompt=prompt, answer=None, expect="refuse", tolerance="0.01",
                       unit=unit, split="heldout", working="REFUSE: " + note, tags=sorted(set(tags)))
        else:
            val = fmt(feval(expr))
            tol = "0.05" if unit in CONVERT_UNITS else "0.01"
            working = (note + "; " if note else "") + "expr: %s = %s" % (expr, val)
            row = dict(id=rid, prompt=prompt, answer=val, expect="answer", tolerance=tol,
                       unit=unit, split="heldout", working=working, tags=sorted(set(tags)))
            # self-check: answer equals eval(expr) rounded (exact and float)
            assert row["answer"] == fmt(feval(expr))
            fl = eval(expr, {"__builtins__": {}}, {"ceil": math.ceil, "floor": math.floor})
            assert abs(float(row["answer"]) - fl) <= 0.005 + 1e-9, (rid, expr, fl, row["answer"])
        rows.append(row)
    with open(OUT, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_ans = sum(r_["expect"] == "answer" for r_ in rows)
    print("wrote %d rows to %s (answer=%d refuse=%d)" % (len(rows), OUT, n_ans, len(rows) - n_ans))


if __name__ == "__main__":
    main()

"""The fresh3 calc items, written by hand by the independent author (see README-routing-calc.md).

build_routing_calc.py computes each answer from its expr and writes calc.jsonl.
"""

# ---------------------------------------------------------------------------
# CALC ITEMS
# A(prompt, expr, unit, tags, lang)  -> expect "answer"
# R(prompt, reason, tags, lang)      -> expect "refuse"
# Conventions: margin = on selling price, markup = on cost; stacked discounts
# applied one after another; US gallons (3.785411784 L); 1 mile = 1.609344 km;
# 1 lb = 0.45359237 kg; 1 psi = 6894.757293168 Pa; "how many boxes" = ceil.
# ---------------------------------------------------------------------------
CALC_ITEMS = []
GAL = "3.785411784"
MI = "1.609344"
LB = "0.45359237"
PSI = "6894.757293168"


def A(prompt, expr, unit, tags, lang="en"):
    CALC_ITEMS.append(dict(prompt=prompt, expr=expr, unit=unit, tags=tags.split(), lang=lang, expect="answer"))


def R(prompt, reason, tags, lang="en"):
    CALC_ITEMS.append(dict(prompt=prompt, reason=reason, unit=None, tags=("refuse " + tags).split(), lang=lang, expect="refuse"))


# --- discounts
A("20% off 2,180 whats the price", "2180*(1-0.20)", "money", "discount")
A("a quarter off two fifty", "250*(1-(1/4))", "money", "discount words")
A("10% off then another 5% off on top, list is 4,350. final?", "4350*(1-0.10)*(1-0.05)", "money", "discount stacked")
A("HM-300VS list 2790, customer gets 8% volume discount, net price each?", "2790*(1-0.08)", "money", "discount")
A("how much do they save with 12% off 5,120", "5120*0.12", "money", "discount")
A("discount from 1,460 down to 1,314 is what percent", "(1460-1314)/1460*100", "percent", "discount")
A("7.5% off 890 = ?", "890*(1-0.075)", "money", "discount")
A("take 22% off 2,520 for the distributor", "2520*(1-0.22)", "money", "discount")
A("stack 15% and then 10% on 1,150 pls", "1150*(1-0.15)*(1-0.10)", "money", "discount stacked")
A("30 cartridges at 42 each with 5% off, total", "30*42*(1-0.05)", "money", "discount quote_lines")
A("quote was 14,200, they want it at 13k, what % off is that", "(14200-13000)/14200*100", "percent", "discount")
# --- VAT / sales tax
A("add 20% vat to 1,240", "1240*1.20", "money", "vat")
A("1,548 incl 20% vat, what's the net", "1548/1.20", "money", "vat removed")
A("8.25% sales tax on top of 12,480, total?", "12480*(1+0.0825)", "money", "vat")
A("how much vat is included in 595 at 19%", "595-595/1.19", "money", "vat removed")
A("price 2,790 plus 7% tax", "2790*1.07", "money", "vat")
A("gross 3,195 with 6.5% tax already included, what's the pre-tax amount", "3195/1.065", "money", "vat removed")
A("just the tax amount pls: 6% on 465", "465*0.06", "money", "vat")
A("order 2,340 plus 6% sales tax on the goods, then 85 shipping (not taxed). total?", "2340*1.06+85", "money", "vat shipping")
# --- margin / markup
A("cost 3,100 sell 4,350 margin on selling price %?", "(4350-3100)/4350*100", "percent", "margin")
A("markup on cost: cost 62 sell 89", "(89-62)/62*100", "percent", "markup")
A("want a 30% margin (on the sell price) with a 1,400 cost, what do i sell at", "1400/(1-0.30)", "money", "margin")
A("cost 850, 40% markup on cost, selling price", "850*(1+0.40)", "money", "markup")
A("12 units sold at 89, cost 55 each, total margin in dollars", "12*(89-55)", "money", "margin")
A("what markup on cost do i need to get a 25% margin on selling price", "25/(100-25)*100", "percent", "markup margin")
A("we buy at 1,090 and sell at 1,460, margin % (on sell)?", "(1460-1090)/1460*100", "percent", "margin")
A("if our margin is 35% of the price and the price is 2,180, what's our cost", "2180*(1-0.35)", "money", "margin")
A("markup % if we pay 24.50 and charge 42 (markup on cost)", "(42-24.5)/24.5*100", "percent", "markup")
# --- quote lines
A("PX-500 x2 @ 1240, PX-200 x3 @ 385, total?", "2*1240+3*385", "money", "quote_lines codes")
A("HM-300VS x3 @ 2790 + AP-80 x1 @ 1150 + CL-5 x2 @ 890", "3*2790+1*1150+2*890", "money", "quote_lines codes")
A("4 x AP-40 at 640, 8 x APC-40-05 at 42, 1 AW-1 at 19, plus 65 shipping", "4*640+8*42+19+65", "money", "quote_lines codes shipping")
A("quote: 2 HM-550 @ 4350 each, option -W +260 on each, shipping 180. total?", "2*(4350+260)+180", "money", "quote_lines codes shipping")
A("10 TS-10 at 34 less 8%, plus 1 CL-5 at 890, whats the total", "10*34*(1-0.08)+890", "money", "quote_lines codes discount")
A("line 1 SK-300 x6 @ 89, line 2 BK-300 x2 @ 112, then add 7.5% tax", "(6*89+2*112)*1.075", "money", "quote_lines codes vat")
A("3 CL-3 @ 465 and 12 TS-10 @ 34, 5% off everything", "(3*465+12*34)*(1-0.05)", "money", "quote_lines codes discount")
A("UVL-40 x 5 @ 96.00\nAPC-40-01 x 10 @ 55.00\nAP-UV80 x 1 @ 720.00\nsubtotal?", "5*96+10*55+720", "money", "quote_lines codes multiline")
A("25 boxes APC-20-05/4 at 98 a box less 12%", "25*98*(1-0.12)", "money", "quote_lines codes discount")
A("2 techs 3.5h each at 95/h plus the 180 commissioning fee", "2*3.5*95+180", "money", "quote_lines duration")
A("ok so 6 HM-300S at 2520, the customer gets 10% off the pumps only, plus 6 SK-300 seal kits at 89 with no discount, plus 250 freight, whats the grand total", "6*2520*(1-0.10)+6*89+250", "money", "quote_lines codes discount shipping long")
# --- shipping / freight
A("freight is 4% of the order value of 11,300, how much is freight", "11300*0.04", "money", "shipping")
# --- per unit
A("25 pcs cost 1,050, whats the unit price", "1050/25", "money", "unit_price")
A("box of 4 for 98, per cartridge?", "98/4", "money", "unit_price")
A("3.2k for 40 units, each?", "3200/40", "money", "unit_price words")
# --- splits
A("split 1,870 between 3 sites", "1870/3", "money", "split")
A("dinner 312.60 split 4 ways", "312.6/4", "money", "split")
A("split 9,600 60/40, how much is the bigger share", "9600*0.60", "money", "split")
A("divide 14,250 over 12 monthly payments", "14250/12", "money", "split")
A("three and a half grand split 4 ways", "3500/4", "money", "split words")
# --- percent change
A("118k last q to 131k this q, percent change?", "(131000-118000)/118000*100", "percent", "pct_change words")
A("sales dropped from 48,200 to 42,900, by what %", "(48200-42900)/48200*100", "percent", "pct_change")
A("price went from 2,050 to 2,180, increase in %?", "(2180-2050)/2050*100", "percent", "pct_change")
A("percent change 890 -> 845", "(845-890)/890*100", "percent", "pct_change negative")
# --- percent of
A("18% of 4,350", "4350*0.18", "money", "pct_of")
A("what percent is 340 of 2,720", "340/2720*100", "percent", "pct_of")
A("7 and a half percent of a grand", "1000*0.075", "money", "pct_of words")
A("0.5% of 1.2 million", "1200000*0.005", "money", "pct_of words")
A("commission is 3.5% on 48,900, how much do i get", "48900*0.035", "money", "pct_of")
A("service credit is 5% of the 189 monthly fee per miss, we missed 3 — total credit", "189*0.05*3", "money", "pct_of")
A("restocking fee 25% on a 1,150 return, what's the refund", "1150*(1-0.25)", "money", "pct_of")
# --- compound growth
A("20,000 growing 4% a year for 5 years", "20000*(1+0.04)**5", "money", "compound")
A("monthly fee 189 now, what is it after two yearly increases of 3%", "189*(1.03)**2", "money", "compound")
A("revenue 250k, grows 12% a year, what in 3 years", "250000*(1.12)**3", "money", "compound words")
A("prices go up 5% a year, a 1,240 pump costs what in 2 years", "1240*(1.05)**2", "money", "compound")
# --- break-even
A("fixed 12k, price 640, var cost 410 — how many whole units to break even", "ceil(12000/(640-410))", "count", "break_even words")
A("break-even revenue: fixed costs 36,000, contribution margin 30%", "36000/0.30", "money", "break_even")
A("van costs 450/month, each service call nets 75, how many calls a month to cover it", "ceil(450/75)", "count", "break_even")
A("demo unit cost 2,790, we make 310 profit per unit sold, how many sales to pay it back (whole units)", "ceil(2790/310)", "count", "break_even")
# --- durations x rates
A("1h45m at 85/h", "(1+(45/60))*85", "money", "duration")
A("2 hrs 20 min at 60 an hour", "(2+(20/60))*60", "money", "duration")
A("45 min at 142.50/h", "(45/60)*142.5", "money", "duration")
A("3h15 + 1h50 at 95/h", "(3+(15/60)+1+(50/60))*95", "money", "duration")
A("from 8:40 to 11:10 at 95 per hour", "(150/60)*95", "money", "duration")
A("90 minutes labour at 95 plus seal kit 89", "(90/60)*95+89", "money", "duration quote_lines")
A("4.5h after hours at 142.50 + travel 121", "4.5*142.5+121", "money", "duration")
# --- mileage
A("212 miles at 0.62", "212*0.62", "money", "mileage")
A("round trip, 86 miles each way at 0.62 per mile", "2*86*0.62", "money", "mileage")
A("odometer 48,312 at start, 48,587 at the end, at 0.62/mi", "(48587-48312)*0.62", "money", "mileage")
A("travel charge: site is 95 miles from the hub, first 40 miles each way free, then 1.10/mile, round trip", "(95-40)*2*1.10", "money", "mileage")
A("340 km at 0.62 per mile", f"340/{MI}*0.62", "money", "mileage conversion_money")
A("drove 128 mi but my commute is 22 mi, claim the difference at 0.62", "(128-22)*0.62", "money", "mileage")
# --- per diem / expenses
A("per diem 55 x 4 days minus 12 for 2 breakfasts", "55*4-12*2", "money", "per_diem")
A("3 nights hotel at 165 plus 4 days per diem at 55", "3*165+4*55", "money", "per_diem")
A("client dinner for 4 at 75 a head max, what's the cap", "4*75", "money", "per_diem")
# --- conversions (tolerance 0.05)
A("85 F in celsius", "(85-32)*(5/9)", "celsius", "conversion temperature")
A("60 c to f", "60*(9/5)+32", "fahrenheit", "conversion temperature")
A("41 kg in lbs", f"41/{LB}", "lb", "conversion mass")
A("120 miles to km", f"120*{MI}", "km", "conversion distance")
A("250 km in miles", f"250/{MI}", "miles", "conversion distance")
A("500 US gallons to litres", f"500*{GAL}", "litres", "conversion volume")
A("40 L/min in US gallons per minute", f"40/{GAL}", "gpm", "conversion flow")
A("24 m3/h to gpm (US)", f"24*1000/60/{GAL}", "gpm", "conversion flow")
A("10 bar to psi", f"10*100000/{PSI}", "psi", "conversion pressure")
A("-10 °C in F", "-10*(9/5)+32", "fahrenheit", "conversion temperature")
A("3/4 inch in mm", "(3/4)*25.4", "mm", "conversion distance")
A("116 psi in bar", f"116*{PSI}/100000", "bar", "conversion pressure")
# --- tips
A("tip 15% on 86.40", "86.4*0.15", "money", "tip")
A("bill 142.80, add 18% tip, total", "142.8*1.18", "money", "tip")
A("20% tip on 64.25, round to 2 decimals", "64.25*0.20", "money", "tip rounding")
A("57.50 plus 20% tip, split 3 ways", "57.5*1.20/3", "money", "tip split")
# --- rounding / words / misc
A("round 1,234.5678 to 2 decimals", "1234.5678", "number", "rounding")
A("a dozen at 34 each", "12*34", "money", "words")
A("half of 2.5k plus 10%", "2500/2*1.10", "money", "words")
A("a grand minus 15%", "1000*(1-0.15)", "money", "words discount")
A("two dozen APC-40-05 at 42", "24*42", "money", "words codes")
A("1.5k + 2.25k + 900", "1500+2250+900", "money", "words")
A("4350*0.88", "4350*0.88", "number", "bare_expr")
A("average of 1240, 1460 and 2180", "(1240+1460+2180)/3", "money", "average")
A("silver is 119/mo, plus 2 extra PM visits at 180, cost for a year?", "119*12+2*180", "money", "misc")
A("simple interest 1.5% per month on an overdue 4,812.50 for 2 months", "4812.5*0.015*2", "money", "interest")
A("weighted price: 60% of units at 1240 and 40% at 1460", "0.6*1240+0.4*1460", "money", "average")
# --- boxes / round up
A("how many boxes of 4 do i need for 37 cartridges", "ceil((37/4))", "count", "boxes")
A("pallet takes 12 pumps, i need to ship 50, how many pallets", "ceil((50/12))", "count", "boxes")
A("3 sites, 2 AP-40 housings each, cartridge every 12 months, how many cartridges for 2 years", "3*2*2", "count", "boxes")
A("sensor cable comes in 50 m rolls, need 4 runs of 35 m, how many rolls if i can't join cable", "4*ceil((35/50))", "count", "boxes")
# --- non-English (European number formats)
A("¿cuánto es un 15% de descuento sobre 1.299,00 €?", "1299*(1-0.15)", "money", "discount eu_format", "es")
A("IVA del 21% incluido en 1.815 €, ¿cuál es la base?", "1815/1.21", "money", "vat removed eu_format", "es")
A("3 bombas a 2.180 € cada una más 21% de IVA", "3*2180*1.21", "money", "quote_lines vat eu_format", "es")
A("¿cuántas millas son 150 km?", f"150/{MI}", "miles", "conversion distance", "es")
A("combien font 1 240 € moins 12 % ?", "1240*(1-0.12)", "money", "discount", "fr")
A("prix HT si le TTC est de 1 788 € avec TVA 20 %", "1788/1.20", "money", "vat removed", "fr")
A("2 h 30 à 95 € de l'heure, ça fait combien ?", "2.5*95", "money", "duration", "fr")
A("pourboire de 15 % sur 64,80 €", "64.8*0.15", "money", "tip eu_format", "fr")
A("3 x 465 € plus 19 % MwSt, wie viel?", "3*465*1.19", "money", "quote_lines vat", "de")
A("Marge in % (vom VK) wenn EK 410 € und VK 640 €", "(640-410)/640*100", "percent", "margin", "de")
A("120 km zu 0,30 € pro km", "120*0.30", "money", "mileage eu_format", "de")
A("Stundensatz 142,50 € für 1 h 45 min", "142.5*(1+(45/60))", "money", "duration eu_format", "de")
A("quanto fica 12 x 89 com 10% de desconto?", "12*89*(1-0.10)", "money", "discount", "pt")
A("dividir R$ 2.750,00 entre 5 pessoas", "2750/5", "money", "split eu_format", "pt")
A("80 °F em Celsius?", "(80-32)*(5/9)", "celsius", "conversion temperature", "pt")
A("quanto fa 2.180 meno il 12%?", "2180*(1-0.12)", "money", "discount eu_format", "it")
A("IVA 22% su 1.150 euro, totale?", "1150*1.22", "money", "vat eu_format", "it")
A("ricarico del 40% su un costo di 850 €, prezzo di vendita?", "850*1.40", "money", "markup", "it")
A("wat is 21% btw op 890 euro", "890*0.21", "money", "vat", "nl")
A("totaal: 4 x AP-40 à € 640,00 en verzendkosten € 45", "4*640+45", "money", "quote_lines shipping eu_format codes", "nl")
A("50 liter in gallons (US)?", f"50/{GAL}", "gallons", "conversion volume", "nl")

# --- refuse rows (25)
R("add vat to 1,200", "missing VAT rate", "missing_rate")
R("whats 15% off", "missing base amount", "missing_base")
R("whats the total of the quote above", "refers to missing context", "missing_context")
R("add 10% to that", "refers to missing context", "missing_context")
R("should i give them 20% off or hold at 10?", "advice, not a calculation", "advice")
R("convert 30 psi to dollars", "nonsense unit conversion", "nonsense_units")
R("how many kg is 3 metres", "nonsense unit conversion", "nonsense_units")
R("split the bill pls", "missing amount and number of people", "missing_base")
R("whats my margin on the HM-300", "missing cost and selling price", "missing_base")
R("what will copper cost next quarter, work it out", "forecast, not computable", "advice")
R("calculate the discount", "missing base and rate", "missing_base missing_rate")
R("is a 28% margin good for pumps?", "advice, not a calculation", "advice")
R("whats 12 percent of it", "refers to missing context", "missing_context")
R("how much tax on 2,400", "missing tax rate", "missing_rate")
R("mileage for yesterday's trip?", "missing distance (and context)", "missing_context")
R("convert 40 degrees", "ambiguous direction/unit", "ambiguous")
R("1h45m how much", "missing hourly rate", "missing_rate")
R("percent change?", "no numbers given", "missing_base")
R("markup or margin on 640, which one should i quote", "ambiguous / advice, no cost given", "ambiguous advice")
R("how many boxes do i need for 37", "missing box size", "missing_base")
R("whats 45 litres in kilowatts", "nonsense unit conversion", "nonsense_units")
R("divide the total by the number of sites", "refers to missing context", "missing_context")
R("¿cuánto es con el IVA?", "missing amount and rate", "missing_context", "es")
R("calcule la remise sur le devis d'hier", "refers to missing context", "missing_context", "fr")
R("wie viel Rabatt sollte ich dem Kunden geben?", "advice, not a calculation", "advice", "de")

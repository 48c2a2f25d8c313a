#!/usr/bin/env python3
"""Build the fresh3 routing (240 rows) and calc (160 rows) eval sets.

Author: independent subagent with a fresh context (did not read project code).
All items are written by hand below. Calc answers are computed from the `expr`
with fractions.Fraction (exact), rounded half-up to 2 dp, trailing zeros
stripped, and cross-checked against a plain float evaluation.

Run:  python3 build_routing_calc.py
"""
import ast
import json
import math
import os
import random
from collections import Counter
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ["calc", "notes", "email", "extract", "kb", None]
LANGS = {"en", "es", "fr", "de", "pt", "it", "nl"}
POS_TAGS = {"instr_start", "instr_end", "instr_mid"}

# ---------------------------------------------------------------------------
# ROUTING ITEMS: (prompt, lang, "space separated tags")
# tags: payload = pasted text; instr_start/instr_end/instr_mid = where the
# instruction sits relative to the payload; hard = deliberately confusable;
# numbers = lots of digits/money in a non-calc prompt; few_digits = calc with
# (almost) no digits; other_brand = mentions competitors' products;
# typos, filler, words (numbers written as words).
# Auto tags added later: short, long, multiline, non_en.
# ---------------------------------------------------------------------------

CALC = [
    ("a quarter off two fifty", "en", "few_digits words hard"),
    ("hey whats 18% of 4,350", "en", "filler"),
    ("HM-300VS x3 @ 2790\nAP-80 x1 @ 1150\nCL-5 x2 @ 890\nwhats the total", "en", "payload instr_end hard numbers"),
    ("1h45m at 95/h?", "en", "duration"),
    ("if i sell the HM-550 at 4,350 and it costs us 3,100 whats my margin on the sell price", "en", "margin"),
    ("cost 62 sell 89 markup % on cost", "en", "markup"),
    ("pls add 8.25% sales tax on top of 12,480", "en", "filler"),
    ("price is 1,548 incl 20% vat, whats it without", "en", "vat"),
    ("split 1870 evenly between 3 sites pls", "en", "split"),
    ("um so the round trip to the Erie site was 212 miles, at 0.62 a mile how much do i get back", "en", "filler hard mileage"),
    ("per diem 55 x 4 days, minus 12 each for the 2 days breakfast was included = ?", "en", "hard per_diem"),
    ("convert 24 m3/h into US gallons per minute", "en", "conversion"),
    ("85F in C", "en", "conversion"),
    ("3 dozen cartridges at 42 ea, total?", "en", "words"),
    ("half of 2.5k plus 10 percent", "en", "few_digits words"),
    ("percent change from 118k last quarter to 131k this quarter", "en", "pct_change"),
    ("how many boxes of 4 do i need for 37 cartridges", "en", "boxes"),
    ("15% tip on 86.40", "en", "tip"),
    ("break even qty: fixed costs 12k, price 640, variable cost 410 per unit", "en", "break_even"),
    ("4% a year compounded on 20,000 for 5 yrs, what do we end up with", "en", "compound"),
    ("10 then another 5 percent off 2180, final price?", "en", "discount"),
    ("ok so the customer at Maple Ridge wants 12 of the TS-10 sensors and i told them 34 each, they want the volume break which i think is 8% at 10-24, dont need you to check that, just work out 12 x 34 less 8% so i can put it in the quote", "en", "hard filler"),
    ("whats seven and a half percent of a grand", "en", "few_digits words"),
    ("2 techs x 3.5 hrs x 142.50 — how much", "en", "duration"),
    ("round 1234.5678 to 2 decimals", "en", "rounding"),
    ("labour on ticket 20417 was 2h40m, can you work out what that costs at 95/h, it's for Harbor View", "en", "duration instr_mid hard"),
    ("25 pcs came to 1,050 total, whats that per piece", "en", "unit_price"),
    ("41kg to lbs", "en", "conversion"),
    ("need 15% of 640 then add 45 shipping", "en", "shipping"),
    ("4350*0.88", "en", "bare_expr"),
    ("¿cuánto es el 21% de IVA sobre 3.450,00 €?", "es", "vat eu_format"),
    ("combien ça fait 15 % de remise sur 1 240 € ?", "fr", "discount"),
    ("was kostet 3 x 465 € plus 19 % MwSt?", "de", "vat"),
    ("quanto fica 12 x 89 reais com 10% de desconto?", "pt", "discount"),
    ("quanto fa 2.180 meno il 12%?", "it", "discount eu_format"),
    ("hoeveel is 21% btw op 890 euro", "nl", "vat"),
    ("quote was 14,200 and they want it down to 13k, what % off do i need to give", "en", "hard"),
    ("sixty bucks an hour for 2 hrs 20 min, what do i bill", "en", "words duration"),
    ("quote lines:\nAP-40 x4 @ 640\nAPC-40-05 x8 @ 42\nAW-1 x1 @ 19\nshipping 65\nadd it all up", "en", "payload instr_end hard numbers"),
    ("hey can u work out what 1,299 is after 15% off and then 7% tax added", "en", "filler"),
]

NOTES = [
    ("tldr pls: visited Greenfield Elementary, HM-300 booster threw E01 3x this wk, inlet pressure only 0.3 bar, told facilities (Ron, 555-0143) to check the break tank float valve. quoted SK-300 seal kit $89 + 2.5h labour. follow up fri", "en", "payload instr_start numbers hard"),
    ("summarise my call notes:\n- spoke w/ Dana Whitfield, Ridgeway Clinic\n- 2x AP-40 filters, cartridges last changed 14 months ago (!)\n- dP gauge reading 0.9 bar on unit 2\n- she wants pricing for Silver ($119/mo) vs Bronze ($59/mo)\n- decision by end of month, CFO has to sign", "en", "payload instr_start numbers"),
    ("Visit 03/12 Lakeside Foods. Plant room hot, ~38C. HM-550 NV-2318-04472 E03 twice since jan. fan cover half blocked by pallets. cleared it, ran 40 min no fault. current 5.8A (nameplate 6.0). recommend moving pallets permanently + -W option on the spare. customer ok with a quote up to 5k.\n\ncan you condense that into 3 bullets", "en", "payload instr_end numbers hard"),
    ("key takeaways from this pls -> met w/ procurement at Brookside Hospital, they're tendering 14 pumps over 2 phases, phase 1 Q3 (6x HM-300S), phase 2 next yr. competitor quoted ~9% under us. they care more about 24/7 hotline than price. need Gold SLA pricing in the bid.", "en", "payload instr_start numbers"),
    ("gist?\n\ntalked to Mr Okafor again. still unhappy w/ the CL-5 app pairing, 3rd call this month. wifi in plant room is weak (1 bar). suggested a repeater or going wired modbus tcp. he'll ask his IT guy. no sale lost yet but he mentioned maybe switching vendors", "en", "payload instr_start"),
    ("ok so long day, started at the school in Fairhaven, booster set is fine, replaced 2 cartridges APC-40-05 and logged meter 118,400 L, then went to Hill St apartments where the super said the pump is 'screaming', turned out air in the system, vented it, no code, then last stop the dairy, they want a quote for 3 HM-550VS (5,120 each) plus install, talked to Greg the plant mgr, he needs it before the inspection on the 28th. anyway can you sum all that up for my weekly report to the manager", "en", "payload instr_end numbers filler"),
    ("recap these notes from the tradeshow booth: 23 leads scanned, 5 hot (Acme Hotels, Pinecrest School District, ClearSpring Bottling, Dr. Patel's clinic group, Riverside Mall), most asked about UV (AP-UV80) and softeners, 2 distributors asked about the 22% deal", "en", "payload instr_start numbers"),
    ("boil this down for me:\nCustomer: Harbor View Condos\nIssue: no hot water in block C\nFound: zone valve relay R3 stuck, pump fine\nAction: swapped relay, tested 30 min\nParts: none\nTime on site: 1h50\nNext: CL-3 is on fw 2.3, needs update to 2.4.1 next visit", "en", "payload instr_start"),
    ("what are the main points here - 'Meeting w/ Sarah Lin (ops dir, Coastal Brewing). Current softener undersized, 2 regen cycles/day. Looking at 2x AP-80 + UV for the new line, budget approx $8-10k. Timeline: install before Oct 1. Wants a site survey next week, Tue or Wed am.'", "en", "payload instr_start numbers"),
    ("short version pls:\n[call 11:20] Jorge from Delta Irrigation rang re order #4471 - 6 HM-150, delivered 5, 1 missing. carrier says it was signed for. he wants the replacement shipped tmrw, not happy. promised callback by 3pm.", "en", "payload instr_start"),
    ("Harbor View follow-up visit. Relay R3 ok since swap. Updated CL-3 fw 2.3 -> 2.4.1, took ~3 min, no issues. Installer code was still 4711!! changed it and logged in CRM. Customer asked about upgrading to CL-5 for the app, sent brochure.\n\nsummarize", "en", "payload instr_end hard"),
    ("can u give me a quick summary of the visit notes below\n\nSite: Oakwood Senior Living. HM-300VS x2 installed 2022. Unit A runs constant pressure 3.0 bar, unit B on prop pressure (someone changed it). E07 logged 4 times on B, sensor cable chafed near bracket. Re-routed cable, set B back to constant pressure. Recommend replacing sensor at next PM. Customer signed report.", "en", "payload instr_start numbers"),
    ("notes from todays call w/ Priya (Summit Labs), 40 mins:\n- their RO pre-filter is a competitor unit, wants to switch to AP-40\n- flow approx 35 L/min\n- asked about the 1 micron option\n- sending sample water report\nsummarise for crm", "en", "payload instr_end"),
    ("tl;dr of this back and forth? basically Frank said the 3 pumps can ship the 15th, then finance said PO 88213 isnt approved yet, then Frank said they'd hold, then the customer (Lina) said the PO was approved yesterday and resent it, amount $13,080", "en", "payload instr_start numbers hard"),
    ("replaced UVL-40 lamp on AP-UV80 at Bayside Dental, hours 9,340, cleaned quartz sleeve (v dirty), E22 cleared, told receptionist water is ok again, next lamp due in 12 months. condense my visit notes into 2 lines", "en", "payload instr_end numbers"),
    ("pls summarise: customer complained bill too high - invoice 2291 showed 4.5h after-hours labor at 142.50 = 641.25 plus travel 121. tech says job took 4h. i said i'd check timesheets. she's a gold customer so labour should be included?? need to check", "en", "payload instr_start numbers hard"),
    ("3 sites visited, 2 quotes sent (Q-1182 $6,240, Q-1183 $2,905), 1 complaint logged, mileage 187 - sum up pls", "en", "payload instr_end numbers hard"),
    ("give me the highlights of these notes from the distributor meeting: AquaFlow Supply (distributor, Dayton). Sold 41 AP-20 + 16 AP-40 last qtr. Want co-op marketing $, asked for 25% instead of 22% - told them no, standard is 22. Their tech team needs CL-5 training, 6 people. Next review in Jan.", "en", "payload instr_start numbers"),
    ("key points?\nPhone call w/ Tom @ Westfield Pool & Spa. Thinking about replacing their old Pentair pump w/ an HM-300. Concerned about noise (pool is next to offices). I said 62 dB at 1 m. Asked for references. Will send 2 case studies.", "en", "payload instr_start other_brand hard"),
    ("make a summary of what happened on site today for the customer file: arrived 9:10, pump HM-150 seized (E09), limescale after 3 month standstill, motor unit needs replacing since its an HM-150, gave quote 1 motor unit + 1.5h labour, customer to approve by email, left 11:40", "en", "payload instr_start numbers"),
    ("whats the bottom line from these notes? Bayside Dental want to cancel Bronze, say they never use it. reminded them 60 days notice before renewal (renews 1 Sept). offered 1 free filter service if they stay. they'll think about it.", "en", "payload instr_start hard"),
    ("summary for my boss, keep it short:\nQ3 visits 64, new contracts 7 (4 Silver, 2 Gold, 1 Bronze), lost 2 to competitor on price, avg quote value 7.8k, pipeline 212k", "en", "payload instr_start numbers hard"),
    ("wrap these call notes up into a few sentences\n\nKaren (Pinecrest facilities) called, PO 55120 for 4x AP-40 placed 3 wks ago, no delivery yet. checked - stuck in warehouse, missing AW-1 wrench. splitting shipment, housings go today, wrench next wk. she was fine with that.", "en", "payload instr_start numbers"),
    ("can you summarize my notes? wrote them in a hurry lol\n\ncust: riverside mall. 2 hm300 + 1 ap80. pmp 2 noisy, no err. prob air. vented. ap80 dp 0.6 ok. they want quote gold sla 3 sites. mngr = paula. call back nxt wk", "en", "payload instr_start typos"),
    ("Commissioning - Pinecrest HS new booster set\n2x HM-300VS, const pressure, setpoint 3.0 -> 3.4 bar per customer\nrotation ok, current 6.9A / 7.0A\ncert installer: me, record uploaded to partner portal same day\nCL-5 wired, fw 3.1.0, installer code changed\n\nrecap plz", "en", "payload instr_end numbers"),
    ("I need a summary of these notes for the handover to Kev, he's taking over the account: Coastal Brewing, contact Sarah Lin, 2x AP-80 + AP-UV80 quoted at $3,020, site survey done 12 Sep, plant room tight on space (150 mm under bowls is just about ok), decision expected end of Oct.", "en", "payload instr_start numbers"),
    ("bullet point summary of this:\nCall w/ Raj (Coastal Brewing maintenance). UV lamp hours at 8,700. He asked if he can push it to 10k. Told him no, replace at 9k / 12 months. Will order UVL-40 ($96) on their PO. Quartz sleeve last cleaned in March.", "en", "payload instr_start numbers hard"),
    ("turn these rough notes into a short recap paragraph: cust happy w/ install, minor leak at union fixed, 2 spare cartridges left on site, next PM in 6 mo, invoice to go to accounts@hillcrestdairy.com", "en", "payload instr_start"),
    ("Site visit Stadium Ice Rink. 3x HM-550 on glycol loop, glycol tested 38%. pump 3 bearing noise, hours 19,600 -> BK-550 due at 20k anyway. quoted BK-550 x1 ($165) + SK-550 x1 ($138) + 3h labour. ops mgr Dave OK'd verbally, PO to follow.\n\none line summary pls", "en", "payload instr_end numbers hard"),
    ("tl;dr\n\nLong call with Mrs Alvarez (Hill St Apartments board). They had 4 no-heat calls this winter. 3 of them turned out to be the zone valve relays, 1 was the pump (E04 - undervoltage, their electrician fixed the feed). She wants to know if a service contract would have covered it. I explained Silver covers 50% of labour on corrective visits. She'll bring it to the board meeting on the 9th.", "en", "payload instr_start numbers hard"),
    ("digest these site notes for me\nfilter room flooded last week, AP-20 bowl cracked (someone used a pipe wrench), replaced bowl, gave them an AW-1, cust will pay for bowl, no warranty (damage)", "en", "payload instr_start hard"),
    ("Lakeside Foods mtg: they want to standardise on VS pumps across 3 plants, ~18 units - summarize this for me, focus on what the customer wants - pricing that beats the 12% volume tier, delivery in 2 batches (Mar, Jun), a loan pump during changeover, and one monthly invoice for all sites.", "en", "payload instr_mid numbers"),
    ("so i met the new facilities guy at Greenfield, Mark, nice guy, ex-navy, he's replacing Ron who retired. he doesn't know much about the booster yet, i walked him through the E01 history and the float valve fix. can you give me a 2-3 line summary of that for the crm? he also wants the manual pdfs emailed.", "en", "payload instr_mid hard"),
    ("summarise in one sentence: visited 2 sites, no issues, 140 miles driven, lunch with the RSM", "en", "payload instr_start numbers"),
    ("resume estas notas de la visita: cliente Hotel Mirasol, 2 bombas HM-300, una con fuga en el sello, presupuesto SK-300 89 $ + 2,5 h de mano de obra, quieren respuesta el lunes", "es", "payload instr_start numbers"),
    ("fais-moi un résumé de ces notes d'appel : M. Girard (Laiterie du Val), alarme E21 sur le AP-80, cartouches changées il y a 8 mois, veut un contrat Silver, rappeler jeudi", "fr", "payload instr_start"),
    ("kannst du die Notizen kurz zusammenfassen? Besuch bei Stadtwerke Kleve, 3x HM-550 laufen, eine mit Lagergeräusch, BK-550 angeboten (165 $), Kunde will Angebot bis Freitag", "de", "payload instr_start numbers"),
    ("faz um resumo dessas anotações: visita na Padaria Boa Massa, filtro AP-20 entupido, cartucho trocado, cliente quer contrato Bronze, ligar semana que vem", "pt", "payload instr_start"),
    ("sig. Bianchi, condominio via Roma 12, il CL-5 non si collega all'app, wifi debole, proposto cavo modbus, richiama martedì. riassumi questi appunti per favore", "it", "payload instr_end"),
    ("vat deze bezoeknotities samen: klant Van Dijk Kwekerij, UV-lamp na 11.000 uur nog niet vervangen, E22 actief, nieuwe UVL-40 besteld, klant geïnformeerd dat het water niet gedesinfecteerd is", "nl", "payload instr_start numbers"),
]

EMAIL = [
    ("draft an email to Mike at Lakeside confirming the install on tue 14th, 2x HM-150 @ 1,240, tech arrives 8am", "en", "numbers hard"),
    ("reply to this for me, say we'll ship next week:\n\n'Hi, we ordered 4 AP-40 housings on PO 55120 three weeks ago and still nothing. We were told 5 business days. Please advise ASAP. - Karen, Pinecrest Facilities'", "en", "payload instr_start numbers"),
    ("you still havent paid invoice INV-20931 ($4,812.50), its 45 days overdue, pay now or we stop service\n\nmake this more polite", "en", "payload instr_end numbers"),
    ("shorten this msg pls: Hi John, just wanted to reach out and touch base regarding the quote we sent over last week for the three HM-300VS pumps and the CL-5 controller, I was wondering if you had a chance to look at it and whether you had any questions at all or anything I could help with, the total was $10,260 and it's valid until the 30th. Thanks so much, Ana", "en", "payload instr_start numbers"),
    ("fix the grammar: hi mr patel, we has received you're order for 12 TS-10 sensor and they will shipped on monday, the total are 408 dollar", "en", "payload instr_start numbers hard"),
    ("write an out of office reply, im off 12-19 aug, for urgent stuff call the service hotline +1 800 555 0199 or email service@norvale-pc.com", "en", "numbers"),
    ("sms to customer: tech running 30 min late, eta 10:45", "en", "sms"),
    ("rewrite in a firmer tone:\nHey, just checking if maybe you could possibly look at the overdue invoice when you get a chance? No worries if not!", "en", "payload instr_start"),
    ("write a follow up email after yesterday's demo at Coastal Brewing, quote Q-2291 total $18,450, valid 30 days, offer a site survey", "en", "numbers"),
    ("can u draft a reply saying yes we can do the 22nd at 9 - their msg: 'Could your tech come on the 21st or 22nd? Morning preferred. Gate code 4471.'", "en", "payload instr_start numbers"),
    ("Dear Sir, your pump is defective and we want our money back. It was installed 3 months ago. Serial NV-2402-11873. Regards, H. Mueller\n\nhelp me write a calm reply, tell him we need to open an RMA first", "en", "payload instr_end hard"),
    ("polish this before i send it to the RSM: need approval for 14% on quote Q-1190, customer is Brookside Hospital, 6 HM-300S, competitor is 9% under us", "en", "payload instr_start numbers hard"),
    ("tone it down a bit pls: 'This is the THIRD time your staff ran our pump dry. Seal damage is NOT covered. You will be billed $89 for the kit plus labour.'", "en", "payload instr_start hard"),
    ("make it sound less salesy: Don't miss out!!! Our amazing AP-UV80 UV module is the BEST on the market and it's only $720!!!", "en", "payload instr_start"),
    ("write a thank you email to Greg at Hillcrest Dairy for the order of 3 HM-550VS", "en", ""),
    ("email to finance asking why my expense claim from march (hotel 2 nights $330, mileage 412 mi) hasn't been paid yet", "en", "numbers hard"),
    ("quick text to Dana: quote sent, check your inbox, call me if any q's", "en", "sms"),
    ("draft an email to the customer explaining the HM-300 list price going from 2,050 to 2,180 from jan 15, with the 30 days notice", "en", "numbers hard"),
    ("reply declining their request for 25% off as a distributor, politely, we stay at 22%", "en", "numbers hard"),
    ("write a short email introducing myself as their new account manager, replacing Kevin", "en", ""),
    ("make this email more professional:\nyo Lina, got the PO 88213 ($13,080) thx, pumps ship the 15th, holler if anything", "en", "payload instr_start numbers"),
    ("can you reword this so it's clearer? 'The unit that is the one that was replaced last time which is the AP-80 needs the cartridge that is the 1 micron one not the 5 changed.'", "en", "payload instr_start"),
    ("'Your technician was supposed to be here at 8. It is now 11:30 and nobody has called. This is unacceptable.' <- draft a reply to that, apologise and offer a call tomorrow. fyi they're on Gold ($189 a month) and the site is Oakwood", "en", "payload instr_mid numbers"),
    ("write an apology email, our tech missed the P1 on-site window at Oakwood yesterday, they'll get the service credit on the next invoice", "en", "hard"),
    ("Hi team, reminder that all expense claims for Q2 must be in by Friday 5th. Late ones won't be paid.\n\nmake this friendlier", "en", "payload instr_end"),
    ("write an email to the customer summarising today's visit: replaced seal SK-300, 2.5h on site, tested 30 min, all good, invoice to follow", "en", "hard numbers"),
    ("compose a message to Tom at Westfield Pool with the 2 case studies attached, mention noise is 62 dB at 1 m", "en", "numbers"),
    ("reply to: 'can you send me the price for 10 CL-X8 modules?' - say 210 each, 8% volume discount for 10+, so 1,932 total", "en", "payload instr_start numbers hard"),
    ("set up an out of office msg: at the trade show in Chicago mon-wed, limited access to email, back thursday", "en", "ooo"),
    ("shorten to under 160 chars for an sms: Hello Mrs. Alvarez, this is Ben from Norvale. Your technician appointment is confirmed for Thursday between 1 and 3 pm. Please make sure the plant room is accessible.", "en", "payload instr_start sms"),
    ("Thank you for you're busness, the quoat is atached, pleese sign and retrun by the 30th -- correct the spelling", "en", "payload instr_end"),
    ("write a cold email to a facilities manager at a school district about our booster pumps, keep it under 120 words", "en", "numbers"),
    ("can you write a reply in french to this customer saying the part ships tomorrow: 'Bonjour, où en est ma commande de cartouches ? Merci, M. Girard'", "en", "payload instr_start hard"),
    ("um can you make this sound nicer before i send it to the customer 'your filter is clogged because you never changed it. 14 months. thats on you.'", "en", "payload instr_start filler"),
    ("escribe un correo al cliente confirmando la visita del técnico el jueves a las 9, pedido 4471", "es", "numbers"),
    ("rédige un mail de relance pour le devis D-2291 de 18 450 €, envoyé il y a 2 semaines", "fr", "numbers hard"),
    ("schreib eine kurze Mail an Herrn Vogel: die Pumpe kommt am Montag, Lieferschein anbei", "de", ""),
    ("escreve um email educado pro cliente pedindo o pagamento da fatura 3310 de R$ 4.200", "pt", "numbers"),
    ("il tecnico arriverà domani alle 10, porta il kit SK-300. scrivi una risposta gentile al cliente con queste info", "it", "instr_end"),
    ("schrijf een mailtje naar Pieter dat de offerte klaarstaat, totaal € 6.540, geldig 30 dagen", "nl", "numbers hard"),
]

EXTRACT = [
    ("pull the contact details from this signature:\n\nDana Whitfield | Facilities Manager\nRidgeway Clinic Group\nT: (614) 555-0182  M: (614) 555-0937\ndana.whitfield@ridgewayclinic.org\n1200 Linden Ave, Columbus OH 43211", "en", "payload instr_start numbers"),
    ("extract the PO number, amount and delivery date:\n'Please find attached PO 88213 for 3x HM-300 at $2,180 = $6,540 + freight $180, total $6,720. Required delivery by 15 March.'", "en", "payload instr_start numbers hard"),
    ("spoke to Dana, she wants the Silver vs Bronze comparison by Wed. Ron will check the float valve himself. I need to order an SK-300 for Greenfield and call Lina about the PO before Friday. Also Kev owes me the CL-5 config backup.\n\nwhat are the todos", "en", "payload instr_end hard"),
    ("make a table (sku, qty, unit price) from this:\n2 x HM-550VS at 5,120\n1 x Option -W 260\n6 x SK-550 @ 138\n4 x TS-OUT 48 each", "en", "payload instr_start numbers hard"),
    ("'Hi, pls call me back on 07700 900123 after 2pm, or the office 01632 960455. Thanks, Gareth' whats the phone number in this email?", "en", "payload instr_end numbers"),
    ("grab all names + companies mentioned:\nMet Sarah Lin (Coastal Brewing) and her colleague Raj Mehta, then a call w/ Tom Becker from Westfield Pool & Spa, and Priya Nair at Summit Labs emailed about AP-40s.", "en", "payload instr_start"),
    ("get me the follow-up tasks from the call below\n\n[call w/ Jorge, Delta Irrigation] 1 of 6 HM-150 missing from delivery 4471. I need to file a carrier claim, ship a replacement tomorrow, and call him back by 3pm. He also wants a copy of the POD.", "en", "payload instr_start numbers hard"),
    ("find all the dates in this: install booked 14 Oct, commissioning record due within 30 days so by 13 Nov, first PM visit April 2025, contract renewal 1 Sept", "en", "payload instr_start numbers"),
    ("parse this order into line items w/ qty and price: 'we'd like 10 APC-40-01 cartridges, 2 AW-1 wrenches, and one AP-UV80 module, same prices as last time (55, 19, 720)'", "en", "payload instr_start numbers hard"),
    ("replaced seal on NV-2318-04472, checked NV-2320-05511 (ok), NV-2402-11873 has E07 again. which serial numbers are in these notes?", "en", "payload instr_end numbers"),
    ("extract name, email, company, phone as json:\n\nFrom: Lina Okoro <l.okoro@summitlabs.com>\nSummit Labs Inc. | Procurement\nDirect +1 513 555 0114", "en", "payload instr_start"),
    ("Invoice 2291: after-hours labour 4.5h x 142.50 = 641.25, travel 121.00, seal kit SK-300 89.00, total 851.25\n\npull out the amounts and what each one is for", "en", "payload instr_end numbers hard"),
    ("who needs to do what? from: 'Kev - update CL-3 firmware at Harbor View. Ana - send Gold quote to Brookside by Thu. Me - book hotel for the Erie trip. Finance to approve Lina's credit note.'", "en", "payload instr_start hard"),
    ("from this email get the customer's address and the RMA number: 'Returning the failed HM-300 under RMA-2024-00381, please collect from Bayside Dental, 45 Harbor Rd, Erie PA 16507, dock door 2.'", "en", "payload instr_start numbers"),
    ("Ticket #20417 opened 02/11 by Oakwood Senior Living -- can u pull out the key fields (customer, site, asset, error code, date) -- Building B plant room, HM-300VS NV-2207-03391, showing E07 since this morning, drive at 70%", "en", "payload instr_mid numbers hard"),
    ("put these into a table with name, role, phone:\nRon Diaz - facilities - 555-0143\nKaren Bell, purchasing, 555 0199 ext 12\nDr. Amir Haddad (owner) 555-0177", "en", "payload instr_start numbers"),
    ("list every product code mentioned in this quote request: 'Looking for pricing on HM-300S x2, the matching SK-300 seal kits, one CL-3, and 6 TS-10 sensors. Also do you still do the APC-40-01?'", "en", "payload instr_start"),
    ("todo list from my notes pls\n- riverside mall: quote gold sla for 3 sites\n- call paula nxt wk\n- order 2 APC-40-05 for the ap80\n- ask kev re noisy pump 2", "en", "payload instr_start"),
    ("what are the deadlines in this? 'Quote valid until 30 Nov. Please return signed by 15 Nov so we can hit the 2 Dec delivery. Payment terms net 30.'", "en", "payload instr_start numbers"),
    ("extract the line items and totals into a table:\nINV-20931\nHM-150S   1  1,460.00  1,460.00\nCAP-16    2     22.00     44.00\nLabour  2.5h    95.00    237.50\nTOTAL                 1,741.50", "en", "payload instr_start numbers hard"),
    ("get the email addresses out of this cc list: Paula Reyes <preyes@riversidemall.com>; accounts@hillcrestdairy.com; 'Greg H' greg.h@hillcrestdairy.com; service@norvale-pc.com", "en", "payload instr_start"),
    ("pull action items + owners + due dates:\nMtg 3/4 w/ Brookside. Agreed: we send revised bid (me, by 3/8). They share the site drawings (Anil, Fri). Joint site walk 3/12 (both). Legal review of SLA terms (their legal, end of month).", "en", "payload instr_start numbers"),
    ("i need the contact info from this business card text: JORGE SALAZAR / Operations Lead / DELTA IRRIGATION LLC / cell 956-555-0128 / jsalazar@deltairrig.com / 2200 Ranch Rd 14, McAllen TX", "en", "payload instr_start numbers"),
    ("identify the PO numbers and invoice numbers in the text below\n\nhi, PO 55120 was paid against INV-20877 but PO 55190 still shows open, and INV-20931 looks like a duplicate of INV-20902?", "en", "payload instr_start numbers"),
    ("who was at the meeting and which company are they from? 'Present: S. Lin (Coastal Brewing), R. Mehta (Coastal Brewing), A. Costa (Norvale), P. Nair (Summit Labs, observer)'", "en", "payload instr_start"),
    ("Talked to Mrs Alvarez. She needs the contract comparison before the board meeting on the 9th, I have to check if the E04 visit can be credited, and Ben should schedule the relay check for block C.\n\nextract follow ups", "en", "payload instr_end"),
    ("copy out just the quantities and part numbers: 'pls send 3 of the SK-550, one BK-550, and 12 of the APC-20-05/4 boxes, bill to PO 7781'", "en", "payload instr_start numbers hard"),
    ("turn this into CRM fields (name / company / phone / email / interest / budget): met Paula Reyes from Riverside Mall at the booth, 614-555-0166, preyes@riversidemall.com, interested in Gold SLA for 3 sites, budget around $600/mo", "en", "payload instr_start numbers hard"),
    ("Meeting w/ Sarah Lin (ops dir, Coastal Brewing). Softener undersized. Looking at 2x AP-80 + UV, budget approx $8-10k, install before Oct 1.\n\nwhat's the customer's budget and timeline according to this", "en", "payload instr_end numbers hard"),
    ("list all error codes and which unit they came from: 'pump 1 (NV-2318-04472) logged E01 twice, pump 2 had E03 once, the CL-5 showed E21 and E16 this morning'", "en", "payload instr_start hard"),
    ("scrape the meter readings and dates from this log:\n12/01 AP-40 meter 84,210 L\n03/04 AP-40 meter 101,950 L\n06/02 AP-40 meter 119,880 L - cartridge changed", "en", "payload instr_start numbers"),
    ("extract contact name, phone and preferred visit time: 'This is Ron at Greenfield, 555-0143, best to come Tuesday mornings before 10 when the gym is empty.'", "en", "payload instr_start numbers"),
    ("pull the amounts out of this: deposit 2,000 paid 3/3, balance 4,720 due on delivery, late fee 1.5%/month", "en", "payload instr_start numbers hard"),
    ("ok here's my brain dump from the week, monday was brookside where anil promised the drawings, tuesday i was in erie and forgot to log mileage, weds the dairy wants the quote revised to 2 pumps not 3 and greg wants it by monday, thurs kev asked me to cover his visit at oakwood on the 20th. can you extract the action items from all that", "en", "payload instr_end filler"),
    ("saca los datos de contacto de esta firma: Ing. Laura Gómez, Aguas del Norte S.A., tel. +34 612 345 678, laura.gomez@aguasdelnorte.es", "es", "payload instr_start numbers"),
    ("extrais le numéro de commande et le montant : « Veuillez trouver ci-joint le bon de commande BC-7781 pour 2 AP-80, montant total 2 300 € HT »", "fr", "payload instr_start numbers hard"),
    ("zieh mir bitte die Aufgaben aus diesen Notizen raus: Angebot an Stadtwerke bis Fr, BK-550 bestellen, Termin mit Hr. Vogel vereinbaren", "de", "payload instr_start"),
    ("João Silva (11) 98765-4321, Marta Reis (21) 99876-5432, escritório (11) 3456-7890 - extrai os nomes e telefones", "pt", "payload instr_end numbers"),
    ("estrai le voci dell'ordine in una tabella: 3 HM-300 a 2.180, 1 CL-5 a 890, 6 TS-10 a 34", "it", "payload instr_start numbers hard"),
    ("haal de actiepunten uit deze notities: offerte sturen naar Van Dijk, UVL-40 bestellen, klant terugbellen donderdag", "nl", "payload instr_start"),
]

KB = [
    ("max head on the HM-300?", "en", ""),
    ("customer texted me 'pump flashing E04 again, 3rd time this week' - what does E04 mean and what should i check - its the HM-300 230V version", "en", "payload instr_mid numbers hard"),
    ("hotel cap in chicago?", "en", ""),
    ("list price of the HM-550VS", "en", ""),
    ("can the regular HM-150 go on drinking water", "en", ""),
    ("how much per diem do we get for overnight trips", "en", ""),
    ("how long is the warranty on an AP-80 housing", "en", ""),
    ("restocking fee if they opened the box but never used it", "en", ""),
    ("gold contract - how fast do we have to be on site", "en", ""),
    ("how often should the AP-20 cartridge be swapped", "en", ""),
    ("default installer code on climalink", "en", ""),
    ("how do i factory reset a CL-5", "en", ""),
    ("what breaker for an HM-300 on 400v three phase", "en", "numbers"),
    ("torque for the DN50 flange bolts", "en", ""),
    ("can i lift an HM-550 by myself", "en", ""),
    ("whats the max discount i can give without getting approval", "en", ""),
    ("how much off do registered distributors get", "en", ""),
    ("whats the mileage rate if i use my own car", "en", ""),
    ("modbus settings cl-3 default", "en", ""),
    ("customer's CL-5 is showing E21, what do i tell them", "en", ""),
    ("is 45% glycol ok in an HM-300?", "en", "numbers hard"),
    ("how much time should i book for a mechanical seal replacement", "en", ""),
    ("min inlet pressure for the 550", "en", ""),
    ("do we get reimbursed for parking tickets", "en", ""),
    ("what service credit does the customer get if we miss the on-site time", "en", ""),
    ("how much notice to cancel a service contract", "en", ""),
    ("after hours labour rate?", "en", ""),
    ("when does a pump get 36 months warranty instead of 24", "en", "numbers"),
    ("customer had 3 E01s within an hour and now the pump won't start, what now", "en", "numbers hard"),
    ("pump led blinks 4 times, whats wrong", "en", "hard"),
    ("um quick q, whats the longest sensor cable i can run on a CL-5 and does it need to be shielded", "en", "filler"),
    ("customer wants 12 TS-10 sensors, which volume discount tier is that", "en", "numbers hard"),
    ("do i need RSM sign-off for 13% off a quote", "en", "numbers hard"),
    ("so i'm at a site, the customer has an older AP-40 and the gauge is reading about 0.85 bar, they say cartridges were changed 7 months ago, is that already past the point where we change it or can it wait till the 12 month mark", "en", "numbers hard filler"),
    ("¿cuál es el precio de lista del CL-5?", "es", ""),
    ("que veut dire le code E14 sur le ClimaLink ?", "fr", ""),
    ("wie lange ist die Garantie auf die UVL-40 Lampen?", "de", ""),
    ("qual a pressão máxima de trabalho do AP-20?", "pt", ""),
    ("ogni quanto va cambiata la batteria dell'orologio del CL-3?", "it", ""),
    ("binnen hoeveel dagen moet ik mijn onkosten indienen na een reis?", "nl", ""),
]

NULL = [
    ("translate to spanish: your pump will arrive on tuesday between 8 and 10", "en", "translation numbers hard"),
    ("hows your day going", "en", "chitchat"),
    ("weather in erie pa tomorrow?", "en", "weather"),
    ("remind me to call dana at 3pm", "en", "reminder"),
    ("what time is it in lisbon rn", "en", "time"),
    ("write a python script that reads a csv of quotes and sums column C", "en", "coding hard"),
    ("price of copper per lb today", "en", "live_data hard"),
    ("grundfos magna3 40-120 max head?", "en", "other_brand hard numbers"),
    ("is the culligan HE softener better than a kinetico for a 4 person house", "en", "other_brand"),
    ("whats the warranty on a Pentair IntelliFlo VSF", "en", "other_brand hard"),
    ("xylem stock price", "en", "live_data"),
    ("usd to eur exchange rate right now", "en", "live_data hard"),
    ("any tips for negotiating with a tough procurement guy", "en", "advice"),
    ("how should i handle a customer who yells at me on the phone", "en", "advice"),
    ("tell me a joke", "en", "chitchat"),
    ("set a timer for 20 min", "en", "reminder numbers"),
    ("good lunch spots near lexington ky", "en", "local"),
    ("translate 'the seal kit is on backorder' into german", "en", "translation hard"),
    ("who won the bengals game last night", "en", "live_data"),
    ("excel formula to sum column B if column A = HM-300", "en", "coding hard"),
    ("sql to get all orders over 5000 from last month", "en", "coding numbers hard"),
    ("Watts RO system blinking code 3, what does it mean", "en", "other_brand hard numbers"),
    ("thanks!", "en", "chitchat"),
    ("ok cool", "en", "chitchat"),
    ("what can you do", "en", "chitchat"),
    ("wake me up at 6:15", "en", "reminder numbers"),
    ("what's in the news today", "en", "live_data"),
    ("how do i get better at cold calling", "en", "advice"),
    ("should we hire another rep for the ohio territory or not, revenue there is like 1.2M", "en", "advice numbers hard"),
    ("translate this email to french:\n'Dear Mr Girard, the AP-80 cartridges (2 x APC-40-05, $84) will ship tomorrow. Regards, Ana'", "en", "translation payload instr_start numbers hard"),
    ("what does 'fuera de servicio' mean", "en", "translation"),
    ("EcoWater softener regen settings for 30 grains hardness", "en", "other_brand numbers hard"),
    ("how much does a Culligan Hi-Flo 22 cost", "en", "other_brand hard numbers"),
    ("traffic on I-71 to columbus right now", "en", "live_data"),
    ("¿qué tiempo hace mañana en Madrid?", "es", "weather"),
    ("raconte-moi une blague", "fr", "chitchat"),
    ("wie spät ist es gerade in Berlin?", "de", "time"),
    ("me lembra de ligar pro cliente às 15h", "pt", "reminder numbers"),
    ("come stai oggi?", "it", "chitchat"),
    ("wat is de koers van de euro vandaag", "nl", "live_data"),
]

ROUTING = [("calc", CALC), ("notes", NOTES), ("email", EMAIL),
           ("extract", EXTRACT), ("kb", KB), (None, NULL)]

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


# ---------------------------------------------------------------------------
# Exact evaluation
# ---------------------------------------------------------------------------
def eval_fraction(expr):
    tree = ast.parse(expr, mode="eval")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            # use the literal text, so 0.15 becomes exactly 15/100
            return Fraction(ast.get_source_segment(expr, node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            l, r = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return l + r
            if isinstance(node.op, ast.Sub):
                return l - r
            if isinstance(node.op, ast.Mult):
                return l * r
            if isinstance(node.op, ast.Div):
                return l / r
            if isinstance(node.op, ast.Pow):
                assert r.denominator == 1, "only integer exponents"
                return l ** int(r)
            raise ValueError("op %r" % node.op)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [ev(a) for a in node.args]
            name = node.func.id
            if name == "Fraction":
                return Fraction(*args) if len(args) == 1 else args[0] / args[1]
            if name == "ceil":
                return Fraction(math.ceil(args[0]))
            if name == "floor":
                return Fraction(math.floor(args[0]))
            raise ValueError("func %s" % name)
        raise ValueError("node %s" % ast.dump(node))

    return ev(tree)


def eval_float(expr):
    ns = {"Fraction": lambda a, b=1: a / b, "ceil": math.ceil, "floor": math.floor,
          "__builtins__": {}}
    return float(eval(expr, ns))


def fmt_half_up(fr):
    sign = -1 if fr < 0 else 1
    cents = math.floor(abs(fr) * 100 + Fraction(1, 2))
    s = "%d.%02d" % (cents // 100, cents % 100)
    s = s.rstrip("0").rstrip(".")
    if sign < 0 and s != "0":
        s = "-" + s
    return s


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
def auto_tags(prompt, lang, tags):
    t = list(tags)
    if len(prompt.split()) <= 5:
        t.append("short")
    if len(prompt) > 300 or prompt.count("\n") >= 4:
        t.append("long")
    if "\n" in prompt:
        t.append("multiline")
    if lang != "en":
        t.append("non_en")
    out = []
    for x in t:
        if x and x not in out:
            out.append(x)
    return out


def build_routing():
    rows = []
    for label, items in ROUTING:
        for prompt, lang, tags in items:
            tl = tags.split()
            rows.append({"prompt": prompt, "plugin": label, "lang": lang,
                         "split": "heldout", "tags": auto_tags(prompt, lang, tl)})
    rng = random.Random(20240603)
    rng.shuffle(rows)
    out = []
    for i, r in enumerate(rows, 1):
        out.append({"id": "r%04d" % i, **r})
    return out


def build_calc():
    out = []
    rng = random.Random(77)
    items = list(CALC_ITEMS)
    rng.shuffle(items)
    for i, it in enumerate(items, 1):
        row = {"id": "c%03d" % i, "prompt": it["prompt"]}
        if it["expect"] == "answer":
            fr = eval_fraction(it["expr"])
            fl = eval_float(it["expr"])
            assert abs(float(fr) - fl) <= 1e-6 * max(1.0, abs(fl)), (it, fr, fl)
            ans = fmt_half_up(fr)
            # float cross-check of the rounded value too
            assert abs(float(ans) - fl) <= 0.005 + 1e-9, (it, ans, fl)
            tol = "0.05" if "conversion" in it["tags"] else "0.01"
            row.update({"answer": ans, "expect": "answer", "tolerance": tol,
                        "unit": it["unit"], "lang": it["lang"], "split": "heldout",
                        "working": "expr: " + it["expr"],
                        "tags": auto_tags(it["prompt"], it["lang"], it["tags"])})
        else:
            row.update({"answer": None, "expect": "refuse", "tolerance": None,
                        "unit": None, "lang": it["lang"], "split": "heldout",
                        "working": "refuse: " + it["reason"],
                        "tags": auto_tags(it["prompt"], it["lang"], it["tags"])})
        out.append(row)
    return out


def validate(routing, calc):
    # routing
    assert len(routing) == 240, len(routing)
    c = Counter(r["plugin"] for r in routing)
    for lab in LABELS:
        assert c[lab] == 40, (lab, c[lab])
    ids = [r["id"] for r in routing]
    assert len(set(ids)) == 240 and ids == ["r%04d" % i for i in range(1, 241)]
    prompts = [r["prompt"].strip().lower() for r in routing]
    dup = [p for p, n in Counter(prompts).items() if n > 1]
    assert not dup, dup
    for r in routing:
        assert r["plugin"] in LABELS
        assert r["lang"] in LANGS, r
        assert r["prompt"].strip() == r["prompt"] and r["prompt"]
        if "payload" in r["tags"]:
            assert len(POS_TAGS & set(r["tags"])) == 1, r
    non_en = sum(r["lang"] != "en" for r in routing)
    assert 0.12 <= non_en / 240 <= 0.18, non_en
    # calc
    assert len(calc) == 160, len(calc)
    ce = Counter(r["expect"] for r in calc)
    assert ce["answer"] == 135 and ce["refuse"] == 25, ce
    cids = [r["id"] for r in calc]
    assert cids == ["c%03d" % i for i in range(1, 161)]
    cp = [r["prompt"].strip().lower() for r in calc]
    dup = [p for p, n in Counter(cp).items() if n > 1]
    assert not dup, dup
    for r in calc:
        assert r["lang"] in LANGS
        if r["expect"] == "answer":
            assert r["answer"] is not None and r["working"].startswith("expr: ")
            float(r["answer"])
            assert not (("." in r["answer"]) and r["answer"].endswith("0")), r
        else:
            assert r["answer"] is None
    cn = sum(r["lang"] != "en" for r in calc)
    assert 18 <= cn <= 26, cn
    return c, ce, non_en, cn


def main():
    routing = build_routing()
    calc = build_calc()
    c, ce, non_en, cn = validate(routing, calc)
    with open(os.path.join(HERE, "routing.jsonl"), "w", encoding="utf-8") as f:
        for r in routing:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "calc.jsonl"), "w", encoding="utf-8") as f:
        for r in calc:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("routing:", len(routing), {str(k): v for k, v in c.items()},
          "langs:", dict(Counter(r["lang"] for r in routing)), "non_en:", non_en)
    print("routing by label x lang:")
    for lab in LABELS:
        print("  ", str(lab), dict(Counter(r["lang"] for r in routing if r["plugin"] == lab)))
    print("calc:", len(calc), dict(ce), "langs:", dict(Counter(r["lang"] for r in calc)),
          "non_en:", cn)
    print("calc units:", dict(Counter(r["unit"] for r in calc)))
    print("VALIDATION PASSED")


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Hand-written routing prompts: calc and notes.
# Each entry: (plugin, lang, manual_tags, prompt)
# manual tags: payload, instr_start/instr_end/instr_mid, hard, typos, sms, other_brand
# auto tags (added by build.py): numbers, non_en, short, long

CALC = [
("calc", "en", "", "hey can u do 18% vat on 2,340.50 pls"),
("calc", "en", "typos", "whats 12 crates of 30 botles at 0.85 a botle"),
("calc", "en", "payload instr_end", """INV-20931  Lakeside Dental
HM-150S x1 ............ 1,460.00
SK-150 x2 ............... 128.00
labour 3.5h @95 ......... 332.50
travel 22mi @1.10 ........ 24.20
total?"""),
("calc", "en", "sms", "cust wants 3 pmts, quote is 4,875 + 7% tax, how much each pmt"),
("calc", "en", "hard payload instr_end", """expenses wk 14:
mon hotel 148.20
mon dinner 41.75 (incl tip)
tue parking 12
tue lunch 18.40
wed fuel 63.09
can u add these up, need the number for the expenses tab"""),
("calc", "en", "short", "1480 minus 12%?"),
("calc", "en", "", "if i sell the AP-80 at 1150 and it costs us 790, whats the margin %"),
("calc", "en", "hard", "markup not margin pls: cost 640 sell 905, markup %?"),
("calc", "en", "typos", "convrt 65 psi to bar quick"),
("calc", "en", "", "212 miles round trip to the brewery at 62 cents a mile, what do i claim"),
("calc", "en", "", "customer paid 1,278.40 incl 8.25% sales tax, whats the pre-tax amount"),
("calc", "en", "hard sms", "need to email the quote in a sec but first: 3 x 2180 less 5% + 260 shipping = ?"),
("calc", "en", "short", "85f in celsius?"),
("calc", "en", "payload instr_start", """split this lunch 4 ways pls, tip 18% on top:
2x burger 16.50
1x salad 12.00
1x fish taco 14.75
4 iced tea 3.25 ea"""),
("calc", "en", "hard", "usd to eur at 0.9213, convert 14,250 dollars"),
("calc", "en", "", "tech was on site 07:45 to 13:10, 95/hr, what's the labour charge"),
("calc", "en", "hard payload instr_end", """Hi Mark,
Thanks for the visit. We'd like 6x TS-10 sensors at $34 and 1x CL-5 at $890, plus your 5% contract discount.
Regards, Jen (Facilities, Oakridge Clinic)

dont draft anything yet just tell me the total after her 5%"""),
("calc", "en", "sms", "2 boxes of 4 cartridges @98 + 3 singles @28, tot?"),
("calc", "en", "typos", "10,000 at 4.5% compounded anually for 3 yrs, wat do i end up with"),
("calc", "en", "hard payload instr_mid", """Quote Q-24-1187
HM-550VS  1 x 5,120.00
Option -W 1 x   260.00
>> whats 15% off this whole thing? <<
CL-5      1 x   890.00 (not incl in discount, customer knows)"""),
("calc", "en", "payload instr_end long", """PO 77812 - Harbor View Hotel
Line 1  AP-40 housing          qty 4   unit 640.00
Line 2  APC-40-05 cartridge    qty 24  unit 42.00
Line 3  APC-40-01 cartridge    qty 12  unit 55.00
Line 4  AW-1 bowl wrench       qty 2   unit 19.00
Line 5  commissioning visit    qty 1   unit 180.00
Freight: free (over 2500)
Terms: net 30, 2/10
Ship to: 1400 Shoreline Dr, Dock B, attn Carlos Mendez 555-0143
Notes: deliver tues-thurs only, call before
--
whats the sum of the lines, and then whats it if they pay in 10 days and take the 2%"""),
("calc", "en", "typos sms", "omw to site, 38km to miles?"),
("calc", "en", "hard", "calendar says the job is 3 visits of 1.5 hrs plus 45 min each for 2 extra pumps per visit - how many hours total is that"),
("calc", "es", "non_en", "oye cuánto es 2.450,00 € más IVA del 21%?"),
("calc", "fr", "", "prix HT 3 250 €, TVA 20 %, ça fait combien TTC ?"),
("calc", "fr", "payload instr_end", """Facture 2024-0412
Pompe HM-300 ........ 2 180,00
Kit joint SK-300 ....    89,00
Main d'oeuvre 2h ....   190,00
--
tu peux me calculer le total TTC à 20% stp"""),
("calc", "de", "", "was sind 17 % rabatt auf 4.350 euro? und was bleibt übrig"),
("calc", "de", "typos", "1240 netto plus 19% mwst, brutto bitte"),
("calc", "pt", "", "quanto dá 15% de desconto em R$ 8.900?"),
("calc", "it", "", "ciao, 230 km a 0,35 € al km quanto fa?"),
("calc", "en", "hard payload instr_end", """From: j.ortiz@valleyfoods.com
Subject: pricing
Can you confirm the price for 25 x APC-40-05? we have a 12% volume agreement.

not replying yet, just need the math: 25 x 42 less 12%"""),
("calc", "en", "sms", "40 mi free each way then 1.10/mi, site is 67 mi away, travel charge rt?"),
("calc", "en", "payload instr_start typos", """can u add the hours and times 95 pls
mon 6.5
tue 7.25
wed 8
thu 5.75"""),
("calc", "en", "payload instr_start", """whats the total with 8.25% tax on this:
AP-40 x2 640
AW-1 x1 19
APC-40-05 x6 42"""),
("calc", "en", "payload instr_start typos", """avg per nigth?
hotel folio: 12/3 158.40, 13/3 158.40, 14/3 171.20"""),
("calc", "en", "payload instr_mid", """Expenses trip #4471
hotel 2n 330.00
-- how much over the 300 advance am i? total minus 300 --
meals 96.50
parking 24.00"""),
("calc", "en", "payload instr_mid", """PO-9981 lines:
4 x TS-10 @34
<< need the total for these 2 lines + 5% parts discount >>
1 x TS-OUT @48"""),
("calc", "en", "payload instr_start", """split evenly between 3 sites pls:
Gold contract annual 2,268.00
extra visit 180.00"""),
("calc", "en", "payload instr_start", """convert these to bar, 14.5 psi per bar:
suction 8 psi
discharge 62 psi"""),
("calc", "en", "payload instr_start sms", """end minus start x 0.62 is what i claim, calc it:
odo start 48,120
odo end 48,377"""),
("calc", "en", "payload instr_end", """Quote Q-24-1302
2x HM-150 @1240
1x CAP-16 @22
-- whats that with 10% off the pumps only"""),
("calc", "en", "payload instr_start", """how much is the 50% deposit on this:
special flange config HM-550 4,350 + option -W 260"""),
("calc", "en", "payload instr_mid", """Timesheet
Mon 07:30-16:00
[total hours x 95 pls]
Tue 08:00-12:45"""),
("calc", "en", "hard payload instr_start", """karen's email below, don't reply, just do the math - whats 14% off the total:
'hi raj, 12 x HM-300VS at 2,790 list, what's the best you can do?'"""),
("calc", "en", "payload instr_start", """add 18% tip and split by 5:
Table 12 - 2 pizza 19.00, 3 pasta 16.50, 5 soda 2.75"""),
("calc", "en", "payload instr_start", """how many litres since last visit?
meter reading last visit 1,084,330 L
meter reading today 1,204,330 L"""),
("calc", "en", "payload instr_start", """what % over budget is this:
budget 12,000
actual 13,380"""),
("calc", "en", "payload instr_mid", """Invoice INV-20944
subtotal 1,120.00
--- tax is 8.25% on the subtotal, grand total incl the shipping line? ---
shipping 18.00 (not taxed)"""),
("calc", "en", "payload instr_start", """total kg on the pallet?
2 x HM-300 22.8 kg
3 x AP-40 6.4 kg
pallet 25 kg"""),
("calc", "en", "payload instr_mid", """Chicago trip:
flight 412.60
(sum everything pls, need it for finance)
hotel 2 nights 219.00/night
taxi 46.30"""),
]

NOTES = [
("notes", "en", "payload instr_end", """visit lakeside dental 3/14 - spoke w/ dr patel + office mgr tina. AP-20 cartridge overdue (last chg sept). bowl cloudy, algae?? its near window. recommended move to shaded spot or AP-40 stainless. tina worried about cost, will ask dr. also E21 none bc no CL-5. follow up next wk
^ recap pls"""),
("notes", "en", "payload instr_start", """summarise this for the account file:
met Greg (plant eng) and Sue (purchasing) at Valley Foods. HM-550 on line 2 noisy, cavitation likely, inlet pressure 0.6 bar measured. they want a quote for a VS upgrade + maybe 2nd pump as backup. budget approved Q3. Sue wants everything in one PO. Greg mentioned competitor quote 8% cheaper but no local service."""),
("notes", "en", "payload instr_end sms", """mtg w/ fac mgr @ oakridge - 2 CL-3s old fw 2.1, want app ctrl -> need CL-5. 4 zones rn, might add 1. asked abt gold vs silver. sent brochure. nxt: quote by fri
tldr?"""),
("notes", "en", "short", "recap my last visit notes pls"),
("notes", "en", "payload instr_end typos", """- arived 8:10, pump room locked, waited 20min for janitor
- HM-300 #NV-2231-01187 seal weeping, replaced w SK-300
- running curent 7.0A ok
- custmer (Bill) asked about loan pump next time, told him thats gold only
- left 11:30
can u make this into a short summry"""),
("notes", "en", "payload instr_start long", """Give me the key points from this call log, 3-4 bullets max.

Call 10:02 - Rachel Kim, Brookfield Schools district office. Says booster pump at Hillcrest Elementary tripped twice this week, kids had no water pressure in 2nd floor bathrooms Tuesday morning. Custodian reset it both times. Pump is HM-300 installed 2022 by a third-party contractor (not certified installer i think). They are on Silver. She wants someone out before Monday. I told her P1 since no water supply in part of the building, on-site within 2 business days for silver. She asked if we can also look at the Jefferson Middle pump while there, its making a clicking noise. She also asked about upgrading to Gold, wants pricing in writing. Her direct line is 555-0178, cell after 4pm. She mentioned the district board meets on the 21st and they approve contracts then."""),
("notes", "en", "hard payload instr_end", """Notes - Riverside Brewery 05/02
Attendees: Tom Hale (owner), Priya (brewmaster), me
- existing AP-40 x2 on CIP line, cartridges changed every 4 months, dp gauge at 0.9 bar today
- interested in AP-80 with bypass so they dont stop production
- asked if UV module makes sense for rinse water
- wants price by end of month, decision in june
---
condense this into 3 lines, not an email, just for my own crm log"""),
("notes", "en", "payload instr_mid", """visit 1 - Harbor View Hotel: filter room flooded last week, AP-40 bowl cracked (pipe wrench used by their maint guy). replaced bowl + O-ring.
^^ pls summarise both visits below in a couple of lines each ^^
visit 2 - Marina Club: CL-5 showing E16, outdoor sensor cable cut by landscapers. spliced temp, need new TS-OUT. customer ok w/ charge."""),
("notes", "en", "typos", "sumarize todays 3 site visits from my notes, the ones i typed this morning"),
("notes", "en", "payload instr_end", """Demo at Greenway Clinic went well. Dr. Alvarez liked the Connect app, asked about BACnet for their BMS (Johnson). Facilities lead Omar skeptical about Wi-Fi security. They run 4 zones now, 5 after the new wing opens in Sept. Procurement needs 3 quotes. Our price for CL-5 + 5 TS-10 ok per Omar. Next: send security info, call Omar on 6/12.

gimme the gist"""),
("notes", "en", "payload instr_end", """- AP-80 at dairy, dp 0.85 bar, E21 on CL-5, changed both APC-40-05
- meter 1,204,330 L
- UV lamp 8,700 h, recommend replacing at next visit
- customer signature ok
whats the short version of this, like 1-2 sentences"""),
("notes", "en", "sms", "pls recap the meeting notes i pasted yday for mercer plumbing"),
("notes", "en", "payload instr_start", """bullet point summary of this pls:
Spoke to Linda from Eastgate Apartments by phone. 3 buildings, each with HM-150 circulators, all about 8 years old. Two have bearing noise. She wants to know replacement vs repair costs. HM-150 has no bearing kit so its a motor unit swap. She will get board approval in July. Asked to be called after 2pm."""),
("notes", "en", "payload instr_end typos", """Visit summry needed
site: St Marys Care Home
issue: no heat in east wing zone 3
found: zone valve relay stuck on CL-3, relay counter 104,000
fix: temp reset, recomend replace controller (E18)
cust: Mrs Okafor ok w/ quote
^^ make that more readable as a recap"""),
("notes", "en", "hard payload instr_start", """write up a summary of this for my manager (just the summary, i'll paste it into teams myself):
Lost the Westfield deal. They went with ClearLine because 12% cheaper and they bundled install. Our quote was Q-24-0931 at 18,400. Contact Dave said service was not a factor for them. Lessons: need to offer install bundle earlier."""),
("notes", "en", "payload instr_end long", """Site: Northgate Community Pool
Date: 14 Aug
Present: Ray (maintenance), Angela (council facilities), me

Ray showed us the plant room. Two HM-550 pumps, one on standby. Duty pump running 6.4A (nameplate 6.0A, slightly high, within 10%). Standby pump has not been run in months - recommended weekly changeover. Seal on standby looks dry and cracked, suggest SK-550 before it's needed. Ambient in plant room 43C in the afternoon, close to limit (45C for HM-550). Angela asked about a ventilation fan - not our scope, suggested their HVAC contractor. They have no service contract. Angela interested in Silver, needs it in next year's budget (approved Nov). Ray wants the seal done this month anyway, will raise a PO. Noise is high in the room, reminded Ray about hearing protection over 85 dB.

can u pull this together into a short recap with next steps"""),
("notes", "en", "", "can you sum up what happened on the Kessler account visits this quarter from the notes"),
("notes", "en", "payload instr_end", """Q: how many units
A: 3 now, 3 more next yr
Q: timeline
A: install before heating season (oct)
Q: decision maker
A: CFO Mike Brennan, signs off >10k
Q: competitor
A: none yet
recap of the discovery call pls"""),
("notes", "en", "short sms", "tl;dr my visit notes pls"),
("notes", "en", "payload instr_start", """sum this up in 2 sentences:
Commissioning at Pine Ridge School done. HM-300VS set to constant pressure 3.2 bar. CL-5 paired with Connect app, installer code changed from 4711 and logged. Customer trained (Jim, 30 min)."""),
("notes", "en", "payload instr_end", """Visit notes 22/3 Blue Lake Resort
- 2 x AP-UV80 lamps at 9,400 h, both replaced (UVL-40)
- quartz sleeves cleaned
- E22 cleared
- owner Frank wants a price for a 3rd unit for the spa building

dont write an email to frank, just recap what i did today"""),
("notes", "en", "payload instr_end typos", """talked to maria @ cityview offices re: the e12 alarms. modbus lost every few hours. checked wiring, A/B swapped on last device + no 120ohm termination. fixed both. no alarms for 2h after. shes happy, wants silver quote
summarise?"""),
("notes", "en", "payload instr_mid", """Morning: Elmwood Library - CL-3 firmware updated 2.3 -> 2.4.1, battery replaced.
[recap all of this for my weekly report, keep it short]
Afternoon: Crestview Gym - HM-150 E09 blocked rotor after winter standstill, cleaned impeller, runs fine. Told them to run it monthly."""),
("notes", "en", "", "what were the main takeaways from the notes i took at the trade show? summarise"),
("notes", "en", "payload instr_end", """Attendees: me, Luis (RSM), Karen Wu (Procurement, Metro Hospital), Dan (Engineering)
- Metro wants 12 HM-300VS across 3 buildings
- Karen asked for 15% off; Luis said he'd check w/ director (>15% needs director)
- Dan concerned about lead times, needs delivery before Nov 1
- Karen needs quote valid 60 days, standard is 30
- agreed follow up call Thursday 10am
summarise the mtg"""),
("notes", "en", "typos", "make a quick recap of the service visit notes from yesterdy at riverside"),
("notes", "en", "payload instr_start hard", """short recap pls, the customer asked for 'an email with the summary' but i want to read the summary myself first:
HM-550VS E07 pressure sensor fault, sensor cable chewed (rodents). Replaced cable, signal 12 mA. Drive was running fixed 70% speed since Friday."""),
("notes", "es", "non_en payload instr_end", """visita a Hotel Sol Playa: bomba HM-300 con ruido, cavitación, presión de entrada 0,4 bar. Recomendé revisar el depósito. El cliente (Jorge) quiere presupuesto para un HM-300VS. Seguimiento el lunes.
hazme un resumen corto porfa"""),
("notes", "es", "payload instr_start", """resúmeme estas notas en 3 puntos:
reunión con Clínica Dental Norte. Tienen AP-20, quieren pasar a AP-40. Preguntaron por garantía de 5 años de la carcasa. Presupuesto aprobado para septiembre. Contacto: Lucía Ramos."""),
("notes", "fr", "payload instr_end", """RDV chez Boulangerie Martin - le filtre AP-20 n'a pas été changé depuis 9 mois, cartouche marron. Changée sur place. M. Martin veut un contrat Bronze. Rappel dans 2 semaines.
tu peux me faire un résumé rapide ?"""),
("notes", "fr", "", "fais-moi un récap des notes de ma visite d'hier chez Leclerc"),
("notes", "de", "payload instr_end typos", """Besuch bei Stadtwerke Nord: HM-550 läuft, aber Lagergeräusch. Betriebsstunden 19.800, Lagertausch bei 20.000 fällig. BK-550 bestelen. Ansprechpartner Hr. Vogel, will Angebot bis Freitag.
bitte kurz zusammenfassen"""),
("notes", "de", "", "fass mir bitte die Notizen vom Kundentermin heute zusammen, nur die wichtigsten Punkte"),
("notes", "pt", "payload instr_end", """visita na Padaria Central: filtro AP-40 com pressão diferencial 0,8 bar, troquei o cartucho APC-40-05. O dono (Sr. Almeida) pediu orçamento de contrato Silver. Voltar em 6 meses.
faz um resumo disso"""),
("notes", "it", "payload instr_start", """riassumi queste note per il crm:
cliente Hotel Belvedere, pompa HM-150 rumorosa, cuscinetti. Niente kit cuscinetti per HM-150, serve unità motore. Il sig. Ricci vuole preventivo entro giovedì."""),
("notes", "nl", "payload instr_end", """bezoek bij Zwembad De Vijver: 2x HM-550, duty pomp 6,3 A. Standby al maanden niet gedraaid. Klant wil Silver contract, budget in november.
kun je dit kort samenvatten?"""),
("notes", "en", "payload instr_end", """call w/ Jim @ Cedar Farms - interested in AP-80 + UV for well water, asked about iron levels, i said we'd test. site 140mi from Erie hub. he's on no contract. wants pricing before harvest (sept)
->> summary pls"""),
("notes", "en", "hard payload instr_end", """Total hrs on site: 4.5
Parts: SK-300 x1, TS-10 x2
Issue: E14 zone 2 + E15 zone 4
Both sensors replaced, readings ok (10.1k / 9.9k at ~25C)
Cust: Helen, signed
-- don't add anything up, just a short recap of the visit"""),
("notes", "en", "payload instr_start", """turn this into a tidy recap for the opportunity record:
kickoff w/ Summit Logistics - 2 warehouses, HVAC zones via CL-5 x 4, BACnet to their Siemens BMS. PM is Nadia Farouk. Install window: weeks 32-34. Risk: electrician availability."""),
("notes", "en", "typos sms", "recap the notse from my 2pm w/ acme pls thx"),
("notes", "en", "payload instr_end long", """Visit log – Greenfield Dairy – 9 Sep
08:30 arrival, signed in at gate, PPE check
08:45 walked the CIP room with Pete (maintenance lead). AP-80 #2 showing dp 0.82 bar, E21 active on CL-5 since last night.
09:10 bypass opened, both APC-40-01 changed. O-ring swollen - someone used petroleum grease. Replaced O-ring, used food-grade silicone.
09:50 AP-UV80 lamp hours 6,200, sleeve dirty, cleaned.
10:20 Pete asked about switching to 5 micron cartridges to make them last longer - explained trade-off, he'll ask QA.
10:40 HM-300 on the same line: current 7.5A (nameplate 7.2A) ok. Slight vibration, bearings at ~15k h.
11:15 Pete signed, left site.
Follow-ups: quote BK-300 for next visit; send Pete grease info sheet; ask QA re 5 micron.
^ give me the short version"""),
("notes", "en", "payload instr_end", """ok so basically the CL-5 at the school keeps dropping wifi, IT guy (Ben) says its their new firewall, we agreed to move it to ethernet / modbus TCP next tuesday. principal wants confirmation. no charge since silver.
summarize that"""),
("notes", "en", "", "recap of everything discussed in the meeting with Nordic Foods yesterday, from my notes"),
("notes", "en", "payload instr_start", """quick summary of these 3 notes pls:
1) Pinecrest: filter done, next in 6m
2) Oakhaven: CL-3 E12, loose RS-485, fixed
3) Millbrook: quote requested for HM-300S (potable)"""),
("notes", "en", "payload instr_end", """Meeting w/ procurement at Delta Foods. They want the todo list from our side too, but for now:
- discussed 3-year frame agreement
- they want distributor pricing (we said no, they're end customer)
- pilot site: Plant 4
just summarise the meeting, i'll pull out the action items later"""),
("notes", "en", "payload instr_end", """notes from tues:
riverside - pump ok
cedar - waiting on PO
metro - karen on vacation til 15th
hillcrest - pump tripped again!! escalate
what's the summary"""),
("notes", "en", "payload instr_mid", """Pinecrest visit: filter changed, dp 0.3 after
-- summarise this + the next one for my log --
Oakhaven visit: CL-3 reset, E12 gone after tightening RS-485 terminals"""),
("notes", "en", "payload instr_mid", """08:00 call w/ Karen (Metro) - PO delayed, board meets 21st
[recap pls, short]
11:30 call w/ Dan - crane booked 28 Oct, needs delivery 25th latest"""),
("notes", "en", "payload instr_start typos", """giv me a 2 line recap of this:
Customer: Cedar Farms
Issue: tech no-show tues, Helen upset. Rebooked fri 8am, waived travel."""),
("notes", "en", "payload instr_start", """summarise in one para:
Frank at Blue Lake wants 3rd UV unit for spa, budget ok, needs install before june long weekend, prefers same tech (Mike). Asked about Gold vs Silver again."""),
]

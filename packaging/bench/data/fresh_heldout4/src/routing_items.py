"""The hand-written items of routing.jsonl (collected by collect.py; build.py validates and writes them)."""
from collect import R

# ===========================================================================
# ROUTING ITEMS
# ===========================================================================

# ---------------------------------------------------------------- calc (50)
R("calc", "en", "", "quick q whats 18% off 3,460 and then another 5% on top")
R("calc", "en", "typos", "margin if i by at 412 and sell at 689?")
R("calc", "en", "", "markup pls cost 1180 sold for 1740")
R("calc", "en", "", "add 7.25% sales tax to 12,480.50")
R("calc", "en", "", "customer paid $1,548 incl 20% vat how much of that is vat")
R("calc", "en", "hard", "212 miles at .62 a mile =")
R("calc", "en", "", "how many 4 packs do i need for 58 cartridges")
R("calc", "en", "", "split 1365 four ways")
R("calc", "en", "", "% change 48,200 -> 53,900")
R("calc", "en", "", "45 psi in bar?")
R("calc", "en", "", "how many km is 318 mi")
R("calc", "en", "hard", "per diem 3 days @ 55 minus 12 for the 2 days breakfast was included, total?")
R("calc", "en", "", "sqrt of 1764")
R("calc", "en", "", "2^12")
R("calc", "en", "", "25k at 4.2% compounded yearly, what is it after 3 yrs")
R("calc", "en", "", "24 cartridges cost me 1,008 whats that each")
R("calc", "en", "typos", "hrs workd 7:40 to 16:15 minus 45 min lunch")
R("calc", "en", "numbers", "twelve hundred fifty times three plus four hundred and twenty")
R("calc", "nl", "", "wat is 17 procent van 2.480 euro")
R("calc", "es", "", "cuanto es el iva del 21% sobre 3.250 € y el total?")
R("calc", "fr", "", "ça fait combien 3 x 1 240 € moins 8 % de remise")
R("calc", "de", "", "19 % mwst auf 4.380 € draufrechnen bitte")
R("calc", "pt", "", "quanto fica 1.890 reais com 12% de desconto")
R("calc", "it", "", "quanto fa 1.150 euro più iva al 22%")
R("calc", "en", "typos", "brake even - fixed costs 18k, 145 contribution per unit, how many untis do i need to sell")
R("calc", "en", "hard", "2,180 each x 10 units less 8% then less another 2%, line total?")
R("calc", "en", "hard", "convert 1,240 usd to eur at 0.92")
R("calc", "en", "", "if i need 35% margin and cost is 650 what do i sell at")

R("calc", "en", "payload instr_end", """HM-300VS x2 @ 2,790
AP-80 x1 @ 1,150
AP-UV80 x1 @ 720
SK-300 x4 @ 89
labour 3.5h @ 95

total?""")
R("calc", "en", "payload instr_start", """add these up pls
1,240.00
465.00
34.00 x 6
freight 85.00""")
R("calc", "en", "payload instr_end hard", """hotel 3 nts 149.00 / 152.00 / 149.00
parking 24.00
tolls 6.75
lunch 18.40
mileage 187 mi @ 0.62

whats my total for the trip""")
R("calc", "en", "payload instr_end hard", """Hi Mark,

thanks for the offer Q-2027-0412. The FX-500 at $14,900 is above what we budgeted. If you can do 12% we can sign this week.

Regards
Tom Becker | Facilities Manager | Riverside Brewing Co.
(555) 201-4478

what does 12% off come to""")
R("calc", "en", "payload instr_end sms", """odo out 48,212 back 48,517
next day out 48,517 back 48,803

total miles x 0.67?""")
R("calc", "en", "payload instr_end", """Subtotal      3,420.00
Sales tax       282.15
Total         3,702.15

what tax % is that""")
R("calc", "en", "payload instr_mid", """order from greenvale hotel
BW-F40 x 48 @ 22.00
BW-F60 x 24 @ 31.00
>> whats the avg price per cartridge across both lines <<
ship flat 85, deliver to loading dock B, attn lucy""")
R("calc", "en", "payload instr_start", """need the margin % on each of these
PX-150 cost 845 sell 1,290
PX-300 cost 1,610 sell 2,480
PX-500 cost 2,905 sell 4,150""")
R("calc", "en", "payload instr_end", """last qtr 126 units
this qtr 149 units

% increase?""")
R("calc", "en", "payload instr_end typos sms", """tech hrs this wk
mon 7.5
tue 8.25
wed 6.75
thu 9
fri 4.5

sum it n times 95/hr""")
R("calc", "en", "payload instr_start", """split this evenly between the 3 sites pls, they want one cost centre each

INVOICE INV-2024-31877            Date 04/02/2024     Terms Net 30
Customer: Summit Living LLC, 88 Harbor Way, Erie PA 16507   Acct C-100482
Sites: NV-OH-01 (Oakridge), NV-KY-02 (Maple Grove), NV-PA-03 (Bayfront)
----------------------------------------------------------------
HM-300VS      1 @ 2,790.00      2,790.00
AP-80         1 @ 1,150.00      1,150.00
AP-UV80       1 @   720.00        720.00
CL-5          2 @   890.00      1,780.00
TS-10        12 @    34.00        408.00
Commissioning 3 @   180.00        540.00
Labor      14.5 h @  95.00      1,377.50
Travel (after first 40 mi)        -19.90 credit applied
----------------------------------------------------------------
TOTAL DUE                       8,745.60
Remit to: Norvale Pumps & Controls, Fairhaven OH""")
R("calc", "de", "payload instr_end", """Angebot AN-2024-118
HM-150   2 Stk  à 1.240,00 €
AP-40    1 Stk  à   640,00 €
Montage  4 Std  à    95,00 €

was ist die summe netto und mit 19% mwst?""")
R("calc", "en", "payload instr_mid", "customer has 3 sites using 420 L/day, 1,150 L/day and 980 L/day - what's that for a 30 day month all together? - they want the quote by fri, contact jenna 555-0143")
R("calc", "en", "payload instr_start", "total weight in kg? 3 pallets for the harbor towers delivery: 412 lb, 388 lb, 506 lb (BOL 55-20931)")
R("calc", "en", "payload instr_end hard", """Plus contract     1,150 / yr
Premium contract  2,900 / yr

how much more is premium per month""")
R("calc", "en", "payload instr_end hard", """From: Dana Whitfield <dwhitfield@lakeshorefoods.com>
Sent: Tue 10:14
Subject: cartridges

Hi, we'll need about 130 of the BW-F40 cartridges over the year. I understand they ship in cases of 24?

Dana

how many cases is that""")
R("calc", "en", "payload instr_end", """mon 212 km
tue 88 km
wed 340 km
thu 156 km

in miles?""")
R("calc", "es", "payload instr_start", """calcula el total con 21% de iva:
FX-300   1 ud    8.750,00 €
BW-F40  12 uds      22,00 €""")
R("calc", "fr", "payload instr_end", """Devis D-5521
PX-300 x 2 : 2 480 € pièce
VFD x 2 : 890 € pièce

ça fait combien avec 5 % de remise ?""")
R("calc", "en", "payload instr_end", """visit 1 arr 08:10 dep 10:25
visit 2 arr 11:05 dep 13:50
visit 3 arr 14:30 dep 16:05

how long was i on site in total""")
R("calc", "en", "payload instr_mid sms", "po 77812 from raj - APC-40-05 qty 36 @ 42.00 less 5% consumables disc - line total? - he also wants ship date confirmed, will call him back 2moro")
R("calc", "en", "payload instr_end", """revenue 18,430
cogs 11,980

margin and markup %""")

# --------------------------------------------------------------- notes (50)
R("notes", "en", "", "recap my notes from the riverside brewing visit this morning")
R("notes", "en", "", "tl;dr of yesterday's meeting notes w/ the lakeshore foods team pls")
R("notes", "en", "typos", "summarise my last 3 vist notes for the weekly reprot")
R("notes", "en", "", "key points from todays call notes, keep it short")
R("notes", "en", "typos", "can u sum up my notes frm the greenvale hotel site survey")
R("notes", "de", "", "fass meine besuchsnotizen von heute kurz zusammen")
R("notes", "es", "", "hazme un resumen de las notas de la reunión de ayer con medina")
R("notes", "en", "", "quick summary of the notes i took at the school boiler room")
R("notes", "en", "", "gist of my call notes with jorge? need it before the 2pm")
R("notes", "en", "", "summarize notes")

R("notes", "en", "payload instr_end", """visit greenvale hotel 14/3
- met lucy tran (facilities mgr)
- boiler rm: HM-300 noisy, prob bearing, ~19k hrs
- E01 twice last week acc to lucy, they vented it themselves
- want quote 2nd pump + AP-40 filter for the laundry line
- budget sign-off end of april
- send quote by fri, revisit after

recap pls""")
R("notes", "en", "payload instr_end sms", """call w/ jorge medina 10:40
hes unhappy w/ response time on last ticket (took 3 days)
silver contract, thinking of going gold if we can guarantee next day
also asked abt loan pump for the hm-300 while seal kit is on order
i said id check w/ service mgr

tl;dr""")
R("notes", "en", "payload instr_start", """summarise this for the crm pls:
Meeting Lakeshore Foods 09:00-10:15, attendees Dana Whitfield (ops), Raj Patel (purchasing), me
- current filtration is 8 yrs old, frequent cartridge changes
- interest in AP-80 twin w/ UV module for line 2
- Raj needs 3 quotes for anything >10k
- pilot not possible before june shutdown
- next step: site survey 2nd week of may""")
R("notes", "en", "payload instr_start", "key points from these notes: school district visit, northside elementary. booster pump HM-550 failed over weekend, P1 ticket opened by janitor. arrived 11:20, pump locked out on E01 - suction valve was closed after contractor work. reopened, vented, reset, running fine at 3.1 bar. recommended non-return valve replacement (sticking). principal wants written report.")
R("notes", "en", "payload instr_mid", """notes from trade show day 2 (Columbus, hall B, stand 214)
- 14 leads scanned, 4 hot: Clearwater Dairy (wants AP-80 + UV, 2 sites), Miller Creamery (pump replacement, 6x HM-300), Lakeview Inn (filtration for laundry), St. Mary's Hospital (potable booster, asked about S variants)
- lots of q's about UV, esp. lamp life and what happens when the lamp fails
- 2 people asked if CL-3 works with the app (no)

can you boil this down to 3-4 bullets for my manager

- competitor booth next to us had a 'free install' offer, several visitors asked if we match it
- need more brochures for AP series, ran out by 2pm, also no price sheets left
- Alan dropped by at 3, wants hot leads in crm by friday
- day 3 tomorrow, i'm on the stand 8-12, Joe takes the afternoon""")
R("notes", "en", "payload instr_end hard", """Jenna Ortiz called 08:55 re invoice INV-20931, says they were charged the after-hours rate ($142.50) for a visit that started at 17:30. She has PO 44871 and wants a credit. Told her I'd look into it with billing. Also mentioned their CL-5 shows E16 since the storm. Callback number 614-555-0187.

short summary of the call pls""")
R("notes", "en", "payload instr_end", """Site survey - Hilltop Clinic
Plant room in basement, no floor drain (!)
2x old circulators, unknown brand, ~15 yrs
Potable water booster needed -> S variant only
Power: 400V 3ph available
Access: narrow stairs, HM-550 would need 2 people
Contact: Dr. Amir Haddad, practice mgr Sue Lin
Decision after board meeting 22 May

what are the main takeaways""")
R("notes", "en", "payload instr_start hard", "bullet point summary of the call pls, i'll paste it into the opp: spoke to Raj at lakeshore, he got the quote, price ok but they want 60 days payment instead of 30. also asking if cartridges can be delivered monthly. he'll push it to his director this week. follow up on tue.")
R("notes", "es", "payload instr_end", """visita hotel costa azul
- hablé con el jefe de mantenimiento, sr. ramírez
- bomba HM-150 con fuga en el sello
- quieren presupuesto para contrato silver
- volver en 2 semanas

resumen porfa""")
R("notes", "fr", "payload instr_start", "fais-moi un résumé de ces notes : réunion avec M. Lefèvre (Fromagerie des Alpes), ils veulent remplacer 2 pompes, budget validé en septembre, inquiet pour les délais de livraison, demande une démo du CL-5.")
R("notes", "de", "payload instr_end", """Termin Stadtwerke 10:00
Herr Krause + Frau Yilmaz
- 3 HM-300 im Heizkreis, eine macht Geräusche
- wollen Wartungsvertrag ab Juli
- Angebot bis 15.6.

kurz zusammenfassen bitte""")
R("notes", "it", "payload instr_start", "riassumi questi appunti: visita caseificio rossi, parlato con la sig.ra bianchi. filtro AP-40 intasato, cartuccia mai cambiata da 14 mesi. consigliato contratto di manutenzione. vogliono un'offerta per AP-80 con UV.")
R("notes", "pt", "payload instr_end", """reunião com a construtora lima
- 40 apartamentos, sistema de pressurização
- interessados na HM-300VS
- pedem visita técnica na próxima semana
- decisão até fim do mês

resume isso pra mim""")
R("notes", "nl", "payload instr_end", """bezoek bakkerij de vries
- pomp HM-150 loopt droog, E01 meerdere keren
- watertoevoer te laag
- offerte voor booster gevraagd

kun je dit samenvatten""")
R("notes", "en", "payload instr_start", """tldr this pls

[Call notes 3/11 - Pete Morrison, Morrison Farms]
irrigation booster keeps tripping, thermal (E03) on hot afternoons. pump is in a tin shed, no ventilation, fan cover up against the wall. told him it needs 300mm clearance and some shade/vent. he'll move it this weekend. if it still trips he'll call the hotline. no order for now but he asked abt a second filter.""")
R("notes", "en", "payload instr_end", """Minutes – Quarterly account review, Lakeshore Foods
Date: 18 April, 14:00–15:30, Lakeshore HQ conf room B
Present: Dana Whitfield (Ops Director), Raj Patel (Purchasing), Kim Osei (Maintenance lead), me, Alan (our RSM, by phone)
1. Service performance: 7 tickets last quarter, 2 were P1 (both line 2 booster). Response met in all cases; one on-site attendance was late by half a day because of the storm.
2. Equipment: line 2 filtration still on the old non-Norvale housings, Kim wants AP-80 with UV. Line 1 pumps (HM-300 x3) running ok, pump 3 at 15,800 h, seal due soon.
3. Commercial: Raj asked for a price hold on cartridges for 12 months. Alan said he'd look into it, no promise.
4. Contract: currently Silver, Dana considering Gold from July.
AOB: Kim leaving in June, replacement not named yet.

can you give me the key points""")
R("notes", "en", "payload instr_start hard", """write up a short summary of my visit notes (just for me, not for the customer):
arrived 13:10, caretaker let me in
HM-300 #2 seal weeping, 16,900 h -> seal kit SK-300 needed
AP-40 dp gauge at 0.5 bar, fine
CL-3 still on 4711, changed code
left 14:45""")
R("notes", "en", "payload instr_mid", """ok so notes from the call: customer = Westbrook Hospital, contact Nora Fields, 2 AP-80 units, one showing E21 constantly.
--> summarise this in a couple lines <--
they changed cartridges 3 wks ago. suspect construction upstream. she wants someone on site this week, gold contract.""")
R("notes", "en", "payload instr_end", """met w/ Ken (Ridgeview School Dist.) re summer works
- replace 4 circulators across 2 schools
- they want everything done in july/aug
- need certified installer for 36mo warranty
- ken out of office 1-15 july

sum up in 2 lines""")
R("notes", "en", "payload instr_start", """recap:
customer says pump loud since tuesday, checked, air in system, vented, fine now. also swapped AP-20 cartridge (overdue, 9 months). told them 6 month interval. signed off 15:40.""")
R("notes", "en", "payload instr_end typos", """visti notes - oakridge apts
boiler rm 2, hm300vs runing at 100% constantly
setpoint was changd to 5.5 bar by someone??
reset to 3.0, drive now modulating
customer wants tranining for caretaker

sumarise pls""")
R("notes", "en", "payload instr_start", """give me the gist, no fluff:
09:10 arrived, caretaker not there, waited 25 min
09:35 access to plant room
- CL-3 controller on firmware 2.2, updated to 2.4.1
- zone 2 sensor open circuit (E14), cable chewed (rodents?), replaced TS-10
- installer code still 4711!! changed, recorded in crm
11:00 left""")
R("notes", "en", "payload instr_mid", """Notes 12 Apr, Bayview Marina
Attendees: harbour master (Glen), me
---
please condense these into key points
---
They want a booster for the new wash-down station. Saltwater exposure, asked if stainless is needed. Budget around 6k. Would like install before the season (June 1). Glen prefers email, not calls.""")
R("notes", "en", "payload instr_end hard", """call summary needed -
spoke w/ Sue Lin at Hilltop. board approved budget. they want HM-300S x2 and AP-40. asked for install dates in june, prefers mornings. wants a copy of the warranty terms.

write the summary""")
R("notes", "en", "payload instr_start hard", """summarize these meeting notes before i send anything to the customer:
Pricing review w/ RSM
- Lakeshore deal at 13% total disc, needs RSM approval -> approved
- Riverside 12% ask: approved at 11%
- Morrison farms: no discount, small order
- all quotes to go out by thu""")
R("notes", "en", "payload instr_end hard", """Weekly call notes – Oakridge Apartments (mgmt co. Summit Living)
spoke with property mgr Beth Cole
- tenants complaining about low pressure top floors evenings
- checked remotely: VS pump hitting max speed 18:00-21:00
- suggested raising setpoint or 2nd pump
- she needs it in writing for the owner

summarise for me first, i'll do the email later""")
R("notes", "en", "payload instr_start", """key takeaways from my notes:
visit 1 - riverside: pump fine, seal check ok
visit 2 - greenvale: AP-40 dp 0.9 bar, swapped cartridge
visit 3 - hilltop: survey done, quote pending
visit 4 - no show, customer not on site""")
R("notes", "en", "payload instr_mid sms hard", """notes from the phone: tom becker riverside, wants fx quote revised w/ 12% - told him max 10 w/o approval.
^ shorten to 1 line for crm
he'll wait till mon""")
R("notes", "en", "payload instr_end", """Service visit 2024-05-08 / Site: Maple Grove Senior Living / Tech: A. Novak
Work: annual PM on 2x HM-300 and 1x AP-80
Findings: pump 1 bearing noise, 21,400 h. pump 2 ok. AP-80 dp 0.6 bar, cartridges changed anyway (12 mo). UV lamp replaced (UVL-40).
Recommendations: BK-300 bearing kit for pump 1, quote to follow.
Customer signature: M. Ortega

what's the short version""")
R("notes", "en", "payload instr_start", "sum up the main points, bullets: joint call w/ distributor (Apex Supply, Carla) - they want to stock CL-5 and TS-10, asked about promo stacking, asked about 22% + volume. explained no stacking. they'll send forecast by end of month.")
R("notes", "en", "payload instr_end", """Voice memo transcript: ok so i'm just leaving the bakery, um, the owner wants to know if the filter can be upgraded, they're getting sediment in the proofer, um i think AP-40 with the 1 micron cartridge, also their pump is old, not ours, and he asked about financing which i said i'd check

summarise that voice memo""")
R("notes", "en", "payload instr_start", """notes -> summary pls
Sat emergency call-out, Northside Elem. P1. booster HM-550 E06 phase loss. blown fuse on L2. electrician replaced fuse, pump ok. 2.5h on site after hours.""")
R("notes", "en", "payload instr_end", """Kickoff meeting - Project Harbor Towers
GC: Mason Building Group (site mgr Luis Ortega)
Scope: 6x HM-550VS boosters, 3x AP-80 + UV, CL-5 per tower
Schedule: rough-in Aug, commissioning Nov
Risks: long lead on VS drives, access via one freight elevator
Open items: submittals due 6/30, power confirmation from electrical sub

highlights?""")
R("notes", "en", "payload instr_mid", """here's what i wrote during the visit

water softener (not ours) upstream, AP-20 bowl cloudy with algae - it's in direct sun by the window

can u turn that into a quick recap

customer will build a cover instead of moving it. cartridge replaced.""")
R("notes", "en", "payload instr_end hard", """Mtg w/ finance re Lakeshore overdue invoices
INV-20877 $4,210 60 days
INV-20931 $1,980 45 days
agreed: I call Dana first, then finance sends reminder

recap the meeting""")
R("notes", "en", "payload instr_start sms", "tl;dr: customer ok w/ price, wants delivery before 1 june, will send PO next wk, wants install same wk")
R("notes", "en", "payload instr_mid", "Call 1 (Glen, Bayview): wants stainless quote. Call 2 (Ken, Ridgeview): july install confirmed. <- summarize both calls briefly -> Call 3 (Sue, Hilltop): no answer, left vm.")
R("notes", "en", "payload instr_end", """notes:
- arrived 7:50
- HM-150 replaced motor unit (bearing noise, lifetime bearings)
- tested, current 4.0A ok
- customer asked for service contract prices

summary""")
R("notes", "en", "payload instr_start", "quick recap of this meeting for the team chat: weekly service mtg - 3 open P1s, 2 overdue PMs (Maple Grove, Oakridge), new tech starts monday, van 4 in the shop till thu")
R("notes", "en", "payload instr_end", """visit notes riverside 2/5
contact tom becker
quoted fx-500, he's comparing w/ clearflow
concerned about lead time 6 wks
might do pilot first

what did we agree? short""")

# --------------------------------------------------------------- email (50)
R("email", "en", "", "write an email to lucy at greenvale confirming the service visit tue 9am")
R("email", "en", "", "out of office for 12-16 aug, urgent stuff call the hotline")
R("email", "en", "sms", "sms to customer running 20 min late sorry")
R("email", "en", "", "draft email asking riverside brewing for the PO so we can order the FX-500")
R("email", "en", "", "follow up email to a trade show lead, dairy, met them at the booth tues")
R("email", "en", "", "polite email chasing invoice INV-20931 its 45 days overdue")
R("email", "en", "", "email to customer saying the seal kit SK-300 arrives thursday and ill install friday")
R("email", "en", "sms", "text msg to jorge: tech will be there btwn 1 and 3")
R("email", "es", "", "escribe un correo al cliente para confirmar la visita del jueves a las 10")
R("email", "de", "", "schreib eine mail an herrn krause dass das ersatzteil nächste woche kommt")
R("email", "fr", "", "rédige un mail pour relancer M. Lefèvre sur le devis D-5521")
R("email", "pt", "", "escreve um email para a construtora lima agradecendo a reunião de hoje")
R("email", "it", "", "scrivi una mail alla sig.ra bianchi per proporre un contratto di manutenzione")
R("email", "nl", "", "schrijf een korte mail naar meneer de vries dat de offerte morgen komt")
R("email", "en", "typos", "write a thank you emial after todays demo at hiltop clinic")
R("email", "en", "typos", "email to all my custmers about the new service hotline hours")
R("email", "en", "", "need a short apology email, missed the appt this morning, van broke down")
R("email", "en", "", "compose an email introducing myself as the new account manager for northside")

R("email", "en", "payload instr_end hard", """greenvale 14/3
- HM-300 noisy, bearing likely
- E01 twice last wk, they vented
- quote 2nd pump + AP-40
- budget end of april

write an email to lucy summarising the visit""")
R("email", "en", "payload instr_start", """reply to this, say we can be there thursday morning:

Hi, our pump in the boiler room stopped again this morning, code E01 on the display. Can someone come out this week? Thanks, Beth Cole, Summit Living, 555-0192""")
R("email", "en", "payload instr_end", """hey tom, so the price is what it is, cant go lower than 10% w/o my boss, let me know

make this more professional""")
R("email", "en", "payload instr_end", """Hi Ken,

I wanted to reach out to you regarding the upcoming summer works at the two Ridgeview schools, because I know that timing is really important for you and for the district, and I also wanted to make sure that we are all on the same page about what needs to happen before July. As we discussed, we will be replacing four circulators in total across the two schools, and in order to qualify for the 36-month warranty the installation will be carried out by a certified installer. I also wanted to mention that you are out of the office from the 1st to the 15th of July, so we would need someone else on site as a contact during that period, if that is possible. Please let me know who that could be at your earliest convenience.

Kind regards,
Sam

shorten this to 3 sentences""")
R("email", "en", "payload instr_start typos", "fix the grammar: Dear Mr Haddad, thank you for you're time yesterday, as discuss we will sent the quote for the two pumps untill friday. Best regards")
R("email", "en", "payload instr_end hard", """Bonjour,

Suite à notre échange téléphonique, pourriez-vous me confirmer la date de la démonstration du CL-5 ? Nous serions disponibles le 12 ou le 14 juin.

Cordialement,
Paul Lefèvre
Fromagerie des Alpes

reply in french, say the demo is confirmed for the 12th""")
R("email", "en", "payload instr_start hard", """turn these notes into a follow up email to the customer:
- visited oakridge apts boiler rm 2
- VS pump setpoint had been changed to 5.5 bar, reset to 3.0
- pump now modulating normally
- caretaker training offered, date tbc""")
R("email", "en", "payload instr_mid", """customer wrote:
> We still haven't received the credit note for RMA-2024-00381, it's been 3 weeks since you picked up the pump.

write a reply apologising and say finance will issue it within 10 business days

> Regards, Nora Fields, Westbrook Hospital""")
R("email", "en", "payload instr_end", """This is the THIRD time this month our booster has failed and nobody from your company has called me back. We are a school. We have 600 kids and no water pressure on the second floor. I want someone here today.
Ken Alvarez, Ridgeview School District

answer this, apologise, offer a visit wed am""")
R("email", "en", "payload instr_start", "rewrite less salesy: Don't miss out!!! Our AMAZING HydroMax pumps are the BEST on the market and you'll be CRAZY not to upgrade today. Call me now and I'll make you the deal of a lifetime!!!")
R("email", "en", "payload instr_end sms", """running late, traffic on i-71, eta 10:40, sorry

make this into a text for the customer""")
R("email", "en", "payload instr_start", "change the tone to friendlier: Mr. Patel, per our contract the price is fixed until 31 December. Further requests will not be considered.")
R("email", "de", "payload instr_end", """Sehr geehrter Herr Weber,

können Sie uns nächste Woche einen Termin für die Wartung der drei HM-300 anbieten? Am besten Montag oder Dienstag vormittag.

Mit freundlichen Grüßen
Klaus Krause, Stadtwerke Bergheim

antworte bitte freundlich auf deutsch, termin am montag 8 uhr passt""")
R("email", "es", "payload instr_end", """Buenos días,

la bomba HM-150 del hotel sigue perdiendo agua por el sello. ¿Pueden enviar a alguien mañana?

Saludos,
Luis Ramírez
Hotel Costa Azul

contesta que sí, que mandamos el técnico mañana por la mañana""")
R("email", "en", "payload instr_start", """reply to dana, tell her cases are 24 and we can do monthly deliveries:

From: Dana Whitfield <dwhitfield@lakeshorefoods.com>
Hi, how many cartridges come in a case, and can you split the annual order into monthly shipments? Thanks, Dana""")
R("email", "en", "payload instr_end hard", """From: Raj Patel
Subject: RE: Quote Q-2027-0388

We can go ahead if you give us 15% off the whole order. Please confirm today.

draft a reply saying i need RSM approval for anything over 10%, ill come back by thursday""")
R("email", "en", "payload instr_mid", """Hi Glen,

Thanks for the chat today.

[finish this email for me - mention the stainless HM-300S quote by friday and that the june 1 deadline is doable]

Best,
Sam""")
R("email", "en", "payload instr_end", """Hi, I am out of the office and not back until the 16 of august, for urgent things you can maybe call the hotline or something, I will look at emails when I am back, bye

fix this ooo, sounds weird""")
R("email", "en", "payload instr_start", "shorten: Dear valued customer, I am writing to you today in order to inform you that, due to a number of factors that are beyond our control, including but not limited to supplier delays, the delivery of your HM-550VS booster pump (order SO-88213) will unfortunately be delayed by approximately two weeks. We sincerely apologise for any inconvenience this may cause you and your team. Please be assured that we are doing everything within our power to expedite the shipment, and that as soon as we receive a confirmed dispatch date from our warehouse we will contact you immediately in order to arrange a suitable installation date with your facilities team. In the meantime, if your existing pump should fail, please do not hesitate to contact our service hotline on +1 800 555 0199, where our team will be happy to discuss temporary solutions with you. Thank you very much for your patience and understanding. Kind regards, Sam Reid, Account Manager")
R("email", "en", "payload instr_end hard", """Hi Sam, can you send me the warranty terms for the pump you installed in March? The seal is leaking. – Beth

write back and say ill attach the warranty doc, and ask her for the serial number off the nameplate""")
R("email", "en", "payload instr_start short", """reply: no problem, see you at 2

> can we move tomorrow's meeting to 2pm instead of 11? – Ken""")
R("email", "en", "payload instr_end hard", """Lakeshore mtg 18/4
- AP-80 + UV for line 2, quote by 30/4
- price hold on cartridges: no promise, Alan checking
- Gold contract from July under consideration

email to dana and raj recapping what we agreed""")
R("email", "en", "payload instr_start", "make this email sound less angry before i send it: Jenna, I already told you twice that the after-hours rate applies after 17:00. It's in the contract you signed. I'm not going to keep explaining this.")
R("email", "pt", "payload instr_end", """Bom dia, a bomba que vocês instalaram semana passada já parou duas vezes. Estamos muito insatisfeitos. – Carlos Lima, Construtora Lima

responde em português, pede desculpa e diz que o técnico vai amanhã às 9h""")
R("email", "en", "payload instr_mid", """draft email to the GC
subject: submittals harbor towers
--
say submittals for the 6 HM-550VS will be in by 6/30 and ask for the electrical confirmation
--
contact luis ortega lortega@masonbuild.com""")
R("email", "en", "payload instr_end sms", """customer txt: "r u coming today or not??"

reply sms, yes eta 15 min""")
R("email", "en", "payload instr_start", "polish this before i send to the director: hi, wanted to flag lakeshore is at 13% disc total, RSM ok'd it, but they now want 60 day terms which is outside what i can do. can you advise? thx")
R("email", "en", "payload instr_end hard", """Hi Sam,
Can you confirm the technician will bring the new seal kit on Friday? Also, will the water be off during the repair?
Thanks, Luis

reply to this in spanish""")
R("email", "en", "payload instr_start other_brand hard", """write a reply, decline politely, we don't service other brands:

Hello, we have 3 Grundfos pumps and a Culligan softener in the basement, can your technician service them under our Gold contract? Thanks, Nora""")
R("email", "it", "payload instr_end", """Buongiorno, avete novità sull'offerta per il filtro AP-80 con UV? Grazie, Giulia Bianchi – Caseificio Rossi

rispondi in italiano che il preventivo arriva venerdì""")
R("email", "en", "payload instr_start", "make it shorter: Hi Pete, just following up on our conversation last week regarding the second filter for the irrigation line. As discussed, the AP-40 would be a good fit, and I can put together a quote whenever you're ready. Let me know if you have any questions at all, happy to help. Thanks, Sam")
R("email", "en", "payload instr_mid typos", """Hi Beth, thanks for you patience. We has changed the setpoint back to 3.0 bar and the pump are working normal now.

^^ proofread that pls, and this bit too:

Also the caretaker training will be on the 14th, let me known if it suit.""")

# ------------------------------------------------------------- extract (50)
R("extract", "en", "payload instr_end", """Thanks again for coming out on Tuesday.

Tom Becker
Facilities Manager
Riverside Brewing Co.
2210 Mill Race Rd, Dayton OH 45402
T (555) 201-4478 | M (555) 201-9903
tbecker@riversidebrewing.com

get me his details for the contact card""")
R("extract", "en", "payload instr_end", """Hi Sam, please loop in our new maintenance lead Kim Osei (kosei@lakeshorefoods.com, 614-555-0175) on the AP-80 project. For anything commercial keep Raj Patel in copy, his direct line is 614-555-0142. I'm away 3-7 June, Amy Chen (614-555-0110) covers for me. – Dana

which people and numbers are in this""")
R("extract", "en", "payload instr_start", "pull name, title, company, phone, email out of this: Hi, this is Nora Fields, facilities coordinator at Westbrook Hospital, you can reach me on 614-555-0123 or nfields@westbrookhealth.org")
R("extract", "en", "payload instr_start short", """whats the PO number in here

Please find attached our purchase order PO-44871 for 2x HM-300S and 1x AP-40, delivery to 455 Oak St, Springfield. Invoice to accounts@hilltopclinic.org.""")
R("extract", "en", "payload instr_start hard", """list the action items:
Lakeshore review 18/4
- Sam to send AP-80 + UV quote by 30/4
- Alan to check cartridge price hold with finance
- Dana to confirm Gold contract decision by 15/6
- Kim to share line 2 drawings""")
R("extract", "en", "payload instr_end hard", """weekly service mtg
- 3 open P1s (Northside, Westbrook, Oakridge)
- Maple Grove PM overdue -> Ana to book this week
- Oakridge PM overdue -> Sam to call Beth
- van 4 in shop till thu, Joe to pick up
- new tech starts monday, Ana does induction

what are the todos from this and who owns them""")
R("extract", "en", "payload instr_start typos", "extrct serials: pump 1 NV-2318-04472, pump 2 NV-2321-00918, filter no serial visible, controller CL5-220415-0071")
R("extract", "en", "payload instr_start hard", """any dates in this i need to put in the crm?

Hi Sam, the board meets on 22 May, so we'll decide after that. If approved we'd want installation in the week of 10 June, and the old pumps need to stay until 30 June for the insurance inspection. – Sue""")
R("extract", "en", "payload instr_end", """INVOICE INV-2024-31877
Bill to: Summit Living LLC, 88 Harbor Way, Erie PA 16507
Date: 04/02/2024   Terms: Net 30
HM-300VS  1 @ 2,790.00
Labor     3 h @ 95.00
Total due: USD 3,075.00   Due date: 05/02/2024

invoice number, total and due date pls""")
R("extract", "en", "payload instr_start", """grab the RMA and serial from this email

Hi, the pump is packed and ready for collection. RMA-2024-00381 is written on the box. Nameplate serial NV-2319-01187, installed 14 March 2023. Best, Nora""")
R("extract", "en", "payload instr_mid", """Dear Sam, thank you for the quote. We would like the delivery to go to our second site, not the head office.
-> pull out the address and contact name <-
Delivery address: Lakeshore Foods Plant 2, 1400 Industrial Pkwy, Columbus OH 43219. Contact on site: Kim Osei, 614-555-0175. Regards, Raj""")
R("extract", "en", "payload instr_end", """MASON BUILDING GROUP
Luis Ortega
Site Manager – Harbor Towers
M +1 312 555 0148
lortega@masonbuild.com
900 W Lake St, Chicago IL 60607

add as contact - fields pls""")
R("extract", "de", "payload instr_start", "zieh mir bitte alle telefonnummern und e-mails aus dem text: Bei Rückfragen erreichen Sie mich unter 02271 555 310 oder k.krause@stadtwerke-bergheim.de, meine Kollegin Frau Yilmaz unter 02271 555 318, a.yilmaz@stadtwerke-bergheim.de.")
R("extract", "es", "payload instr_end", """Hola, soy Luis Ramírez, jefe de mantenimiento del Hotel Costa Azul (Av. del Mar 45, Málaga). Mi móvil es +34 612 555 847 y el correo lramirez@hotelcostaazul.es.

sácame nombre, cargo, empresa y teléfono de esto""")
R("extract", "fr", "payload instr_start", "extrais les dates et montants de ce mail : Bonjour, nous confirmons la commande du 3 juin pour 2 pompes à 2 480 € chacune. L'acompte de 1 500 € sera versé le 10 juin, le solde à la livraison prévue le 28 juin. Cordialement, Paul Lefèvre")
R("extract", "it", "payload instr_end", """Buongiorno, confermiamo l'ordine n. 2024/118: 2 filtri AP-80, 4 cartucce APC-40-01 e 1 modulo AP-UV80. Il vecchio ordine n. 2024/097 è annullato. Grazie, Giulia Bianchi

estrai i numeri d'ordine e le quantità""")
R("extract", "pt", "payload instr_start", "tira os dados de contato desse email: Olá, aqui é a Mariana Costa, compradora da Construtora Lima. Meu telefone é (11) 95555-3321 e o email mariana.costa@construtoralima.com.br. Endereço: Rua Augusta 1200, São Paulo.")
R("extract", "nl", "payload instr_end", """Beste Sam, bel gerust Jan de Vries (eigenaar) op 06 5555 1234 of zijn dochter Eva op 06 5555 9876 als hij niet opneemt. Groet, Bakkerij de Vries

haal de namen en telefoonnummers eruit""")
R("extract", "en", "payload instr_start hard", "follow-ups from this call pls: spoke to Pete Morrison, he'll move the pump out of the shed this weekend, I need to send him AP-40 pricing by Wednesday, and he wants a call back next Monday to confirm the trips have stopped.")
R("extract", "en", "payload instr_end sms", """VM 1 08:02 - Beth Cole, Summit Living, pump noisy again, 555-0192
VM 2 09:15 - wrong number
VM 3 10:40 - Raj Patel, wants revised quote, 614-555-0142
VM 4 11:05 - Ken Alvarez (Ridgeview), confirm july dates, 555-0177 ext 12

who do i need to call back + numbers""")
R("extract", "en", "payload instr_start", """from this email get the delivery address and requested date:

Please deliver the two HM-550VS units to Harbor Towers, Loading Bay 3, 1201 S Harbor Dr, Chicago IL 60605, no earlier than 12 August. Call Luis 30 min before arrival.""")
R("extract", "en", "payload instr_mid", """---------- Forwarded message ----------
From: Accounts Payable <accounts@hilltopclinic.org>
Date: Mon, 6 May 2024 at 09:12
Subject: RE: Payment reminder
Hello, we paid invoice INV-2024-30412 ($5,040.00) on 2 May by ACH against PO-44871, confirmation no. ACH-88120. We have not received INV-2024-30598 at all, please resend it to this address. Regards, Debbie Harlow, Accounts Payable, Hilltop Clinic, 937-555-0170
(need the PO, the invoice no and the amounts from this thread)
---------- Original message ----------
From: Norvale Billing <billing@norvale-pc.com>
Date: Wed, 1 May 2024 at 16:40
Subject: Payment reminder
Dear customer, our records show the following open items: INV-2024-30412, amount due $5,040.00 (due 30 April), and INV-2024-30598, amount due $640.00 (due 15 May). Please disregard this message if payment has already been made.""")
R("extract", "en", "payload instr_start", "parse this sig: Carla Mendes | Purchasing Manager | Apex Supply Inc. | M: +1 (614) 555-0166 | carla.mendes@apexsupply.com | 3300 Trade Center Dr, Columbus OH 43228")
R("extract", "en", "payload instr_end", """From: Luis Ortega <lortega@masonbuild.com>
To: Sam Reid <sreid@norvale-pc.com>
Cc: Priya Nair <pnair@masonbuild.com>; Dev Shah <dshah@harborelectric.com>; Maria Gomez <mgomez@harbortowers-owner.com>
Subject: RE: RE: Harbor Towers – pump submittals

Sam, thanks. Priya is our project engineer and will review the submittals; Dev (Harbor Electric) will confirm the 400 V supply for the booster rooms by 6/28. Maria represents the owner and needs copies of all warranty documents at handover. Please also add our site office, siteoffice@masonbuild.com, for delivery notices.

Luis Ortega
Site Manager, Mason Building Group
+1 312 555 0148

pull out every name + company + email so i can add them""")
R("extract", "en", "payload instr_start hard", "what did the customer commit to in this email and by when? – Hi Sam, we'll send the signed PO by Friday 14 June and make the 50% prepayment for the custom flanges within a week of that. Our electrician will have the 400 V supply ready by 1 July. – Sue Lin, Hilltop Clinic")
R("extract", "en", "payload instr_start", "get the amounts from this: deposit received $2,000 on 3/4, balance $3,620 due on delivery, late fee $25 if paid after 30 days, credit note CN-2211 for $180 applied.")
R("extract", "en", "payload instr_end", """Hi, we'd like a quote for the following please:
- 3 x HM-300S
- 2 x AP-40 housings with 1 micron cartridges (6 spare cartridges)
- 1 x CL-5 with 5 zone sensors
Delivery to our Springfield site by end of July. Thanks, Sue

what products and qtys are they asking for""")
R("extract", "en", "payload instr_start hard", """extract the people and their roles from these meeting notes:
Kickoff Harbor Towers. Luis Ortega (site mgr, Mason) chaired. Priya Nair (project engineer) reviewing submittals. Dev Shah from Harbor Electric on power. Me and Alan (RSM) for Norvale.""")
R("extract", "en", "payload instr_end sms", """txt from customer: "hey its mike from bayview, new # is 555 0182 ext 4, but email glen not me for orders glen@bayviewmarina.com"

save those""")
R("extract", "en", "payload instr_start", "pull the order number, sku and qty: Order SO-88213 confirmed: 1 x HM-550VS, 1 x SK-550, 2 x BK-550, 1 x Option -W. Ship date 24 June.")
R("extract", "en", "payload instr_end", """Service report 2024-05-08, Maple Grove Senior Living
Pump 1 HM-300 NV-2208-11734: 21,400 h, current 7.0 A
Pump 2 HM-300 NV-2208-11735: 21,380 h, current 7.1 A
AP-80: meter 412,880 L, dp 0.6 bar
Parts used: 2 x APC-40-05, 1 x UVL-40

log the part numbers used and the meter readings""")
R("extract", "en", "payload instr_start", """todo list from this pls:
visit hilltop - quote HM-300S x2 + AP-40, send warranty terms to Sue, book install mornings in june, check if 400V is ready""")
R("extract", "en", "payload instr_mid", """Hi Sam,

Quick update: our new facilities manager is Rosa Delgado (rdelgado@greenvalehotels.com, 555-0139), she starts 1 July. Lucy leaves on 28 June.

^^^ need the contact details + the dates mentioned ^^^

Kind regards, Lucy Tran, Greenvale Hotel""")
R("extract", "en", "payload instr_start", "who's the decision maker in this and how do i reach them: Thanks for the demo. I'm positive but the final call is with our COO, Michael Grant, mgrant@westbrookhealth.org, 614-555-0101. He's back from leave on the 17th. – Nora")
R("extract", "en", "payload instr_end", """Hello, we have paid invoice INV-2024-29980 in full last Friday, 1,872.40 USD by bank transfer, reference WB-7731. Please stop sending reminders. Westbrook Hospital Accounts Payable

what's the invoice # and how much do they say they paid""")
R("extract", "en", "payload instr_start", "extract company, address, vat id and phone from this footer: Fromagerie des Alpes SARL · 12 Rue du Lac, 74000 Annecy · TVA FR 42 512 345 678 · +33 4 50 12 34 56")
R("extract", "en", "payload instr_end hard", """Hi Sam, the HM-150 you installed on 14 March 2023 (nameplate says NV-2311-02958) started leaking at the shaft last week and now it trips after a few minutes. We haven't changed anything. – Beth, Summit Living

just the serial, install date and failure description for the claim form""")
R("extract", "en", "payload instr_start", "pull out dates, times, and who's coming: Site meeting Harbor Towers Tue 18 June 07:30 at the site office. Attending: Luis Ortega, Priya Nair, Dev Shah, Sam Reid. Follow-up call Thu 20 June 15:00.")
R("extract", "en", "payload instr_mid", """visit notes greenvale: HM-300 bearing noise, 19k h. AP-40 ok.
// pls extract action items w/ owner + due //
sam: quote 2nd pump by fri. lucy: confirm budget end of april. service: book bearing job after PO.""")
R("extract", "en", "payload instr_end", """From: Dana Whitfield <dwhitfield@lakeshorefoods.com>
To: Sam Reid <sreid@norvale-pc.com>; Raj Patel <rpatel@lakeshorefoods.com>
Cc: Kim Osei <kosei@lakeshorefoods.com>; Alan Brooks <abrooks@norvale-pc.com>
Subject: Line 2 filtration

All, please see attached drawings. Meeting moved to Thursday.

list everyone on this email w/ their email addresses""")
R("extract", "en", "payload instr_start typos", "get me teh po, ship-to and contact from this: PO 77812 / Ship to: Patel Distribution, Dock 4, 700 Logistics Blvd, Columbus OH 43217 / Attn: Raj Patel 614-555-0142")
R("extract", "en", "payload instr_end", """Estimado Sam, le escribo de parte de Aguas del Norte S.A. Soy Carmen Ruiz, directora de compras. Mi teléfono es +52 81 5555 2040 y mi correo cruiz@aguasdelnorte.mx. Oficina: Av. Constitución 300, Monterrey.

get the contact details out, it's in spanish""")
R("extract", "en", "payload instr_start hard", "extract all the amounts and what they're for: hotel 149 x 3, parking 24, tolls 6.75, dinner w/ client 212.40 (4 ppl), mileage 187 mi")
R("extract", "en", "payload instr_end", """Hi Nora, thanks for your time. As promised I'll send the revised quote for the two AP-80 by Wednesday, and I'll check with service whether we can do the cartridge swap on Saturday. I'll also ask our RSM about the loan unit. Speak Friday. Sam

any follow ups i promised in this?""")
R("extract", "en", "payload instr_start short", "number from this pls: call dr haddad back on 937 555 0164 after 3")
R("extract", "en", "payload instr_end hard", """Microsoft Teams meeting
Harbor Towers – submittal review
Wednesday, 26 June 2024, 10:00–11:00 (Central Time)
Location: Mason Building Group site office, 1201 S Harbor Dr, Chicago / Teams link below
Organizer: Priya Nair

just pull the date, time and location, dont book anything""")
R("extract", "en", "payload instr_start", "extract the follow-up tasks and due dates: 1) send CL-5 brochure to Carla (Mon) 2) confirm distributor price list with Alan (Wed) 3) call Apex back about forecast (end of month)")
R("extract", "en", "payload instr_mid sms", """pasted from whatsapp:
[10:02] Carla Apex: hey can u ship 20 TS-10 and 4 CL-5 next week
[10:05] me: sure, any TS-OUT?
--- pull the quantities and skus she wants ---
[10:07] Carla Apex: yes 4 TS-OUT and 2 CL-X8 pls""")
R("extract", "en", "payload instr_start", """crm fields from this lead form pls:
Name: Olivia Grant
Company: Brightside Dental Group (6 clinics)
Phone: 513-555-0194
Email: ogrant@brightsidedental.com
Interest: filtration + service contract
Best time: mornings""")
R("extract", "en", "payload instr_end", """Dear Norvale service, our account no. is C-100482. Regarding ticket #SR-55129, the technician did not show up today. Please call me on 555-0192. Beth Cole

whats the customer's account number and the ticket ref""")

# ------------------------------------------------------------------ kb (50)
HM = "01_hydromax_hm_series_manual.md"
AP = "02_aquapure_filter_manual.md"
CL = "03_climalink_controller_manual.md"
PL = "04_price_list_2024.md"
WR = "05_warranty_and_returns_policy.md"
SI = "06_service_intervals.md"
EC = "07_error_codes_troubleshooting.md"
SL = "08_service_level_agreement.md"
TE = "09_travel_and_expense_policy.md"
HS = "10_installation_and_safety_handbook.md"

R("kb", "en", "", "max head on the hm-550?", (HM, "| Maximum head | 32 m | 48 m | 62 m |"))
R("kb", "en", "", "can we use an hm-300 on drinking water or does it have to be the S", (HM, "are the only HydroMax models approved for potable (drinking) water"))
R("kb", "en", "typos", "whats the highest glycol % alowed in the hydromax pumps", (HM, "up to 40 % glycol"))
R("kb", "en", "", "how much space do i need to leave around the motor fan", (HM, "around the motor fan cover for cooling air and service access"))
R("kb", "en", "sms", "pump locked out after E01 3x, how do i reset it", (EC, "switch power off for at least 30 seconds to reset"))
R("kb", "en", "", "factory setpoint on the VS models?", (HM, "The factory default setpoint is **3.0 bar**"))
R("kb", "en", "", "which seal kit fits an hm-300vs", (HM, "| SK-300 | Mechanical seal kit | HM-300, HM-300S, HM-300VS |"))
R("kb", "en", "typos", "how often dose the cartrige on the ap-20 need changing", (AP, "replace the cartridge every **6 months or after 40,000 litres**"))
R("kb", "en", "", "at what diff pressure do i swap the ap-40 cartridge", (AP, "or earlier when the differential pressure reaches **0.8 bar**"))
R("kb", "en", "", "does the cl-3 do wifi / work with the app", (CL, "The CL-3 has **no Wi-Fi**"))
R("kb", "en", "", "default installer code on climalink?", (CL, "The factory default code is **4711**"))
R("kb", "en", "", "how do i factory reset a cl-5", (CL, "Hold **MENU + DOWN for 10 seconds**"))
R("kb", "en", "", "sensor cable run is 80 m, what cable do i need", (CL, "use shielded twisted pair with the shield earthed at the controller end only"))
R("kb", "en", "", "list price hm-550vs", (PL, "| HM-550VS | HydroMax pump 3.0 kW, variable speed | $5,120 |"))
R("kb", "en", "", "volume discount if they order 12 of the same pump", (PL, "| 10–24 | 8 % |"))
R("kb", "en", "hard", "how much can i discount before i need rsm sign off", (PL, "Up to **10 %** total discount off list"))
R("kb", "en", "", "distributor pricing - what % off list do they get", (PL, "receive a fixed **22 %** off list on all hardware"))
R("kb", "en", "typos", "is the spring swtich promo still vaild in june", (PL, "Valid **March 1 to May 31, 2024**"))
R("kb", "en", "", "free freight over what order value", (PL, "on orders over **$2,500**"))
R("kb", "en", "", "after hours labour rate", (PL, "$142.50 per hour"))
R("kb", "en", "", "warranty on hydromax pumps how long", (WR, "24 months from installation, but no more than 30 months from the ship date"))
R("kb", "en", "", "how does a customer get the 36 month pump warranty", (WR, "extended to **36 months**"))
R("kb", "en", "hard", "is labour covered on a warranty repair at 18 months", (WR, "covered during the **first 12 months** only"))
R("kb", "en", "hard", "how long should i book in the calendar for a seal swap", (SI, "| Mechanical seal replacement | 2.5 hours |"))
R("kb", "en", "", "what does E22 mean", (EC, "UV lamp failure or low UV output"))
R("kb", "en", "", "cl-5 showing E12 whats that", (EC, "Modbus communication lost for more than 60 seconds"))
R("kb", "en", "", "gold contract phone response time", (SL, "within 2 hours, any time"))
R("kb", "en", "", "mileage rate personal car 2024", (TE, "reimbursed at **$0.62 per mile**"))
R("kb", "en", "", "hotel cap in chicago per night", (TE, "**$220 per night** in Chicago"))
R("kb", "en", "", "what breaker for hm-300 single phase", (HS, "| HM-300 (230 V single-phase) | 16 A, type C |"))
R("kb", "en", "typos", "torqe for dn50 flange bolts", (HS, "tighten in a cross pattern to **80 Nm**"))
R("kb", "en", "hard", "whats the email address for service", (SL, "service@norvale-pc.com"))
R("kb", "en", "", "working alone saturday, how often do i need to check in", (HS, "**every 2 hours**"))
R("kb", "es", "", "en cuántos días tiene que avisar el cliente si la bomba llega y no funciona (DOA)?", (WR, "reported within **7 days of delivery**"))
R("kb", "es", "", "cuál es el caudal máximo de la HM-300", (HM, "| Maximum flow | 6 m³/h | 12 m³/h | 24 m³/h |"))
R("kb", "fr", "", "combien de temps attendre avant d'ouvrir le capot du variateur sur une pompe VS ?", (HS, "wait at least **5 minutes** before opening the drive cover"))
R("kb", "de", "", "wie schwer ist die HM-550, darf ich die allein tragen?", (HS, "The **HM-550 weighs 41 kg**"))
R("kb", "pt", "", "qual é o prazo para devolver a peça depois de abrir a RMA", (WR, "Ship the part back within **15 days**"))
R("kb", "it", "", "ogni quanto si cambia la lampada UV dell'AP-UV80?", (AP, "Lamp life: **9,000 hours (about 12 months)**"))
R("kb", "nl", "", "wat is de vorstbeveiligingstemperatuur op de CL-5", (CL, "holds all zones at **7 °C**"))

R("kb", "en", "payload instr_end hard", """From: Beth Cole <bcole@summitliving.com>
Sent: Monday 07:48
Subject: Pump problem again - Oakridge boiler room 2

Hi Sam,
Our pump (HM-300VS, serial NV-2319-01187) shows E07 on the little display since the weekend and is running slower than normal. The tenants on the top floors say the pressure is a bit low in the mornings but it's not completely gone. The caretaker said an electrician was in the room on Friday working on the lighting, not sure if that's related. Is it broken? Do we need a new pump? We are on the Silver contract I think.
Thanks,
Beth Cole | Property Manager | Summit Living | 555-0192

what speed does it run at with E07 and what do i check""", (EC, "The drive runs at fixed 70 % speed while E07 is active"))
R("kb", "en", "payload instr_end hard", """customer email: "We'd like to run the HM-300 loop with 50% propylene glycol for the new freezer room, is that OK?"

is that allowed?""", (HM, "up to 40 % glycol (ethylene or propylene)"))
R("kb", "en", "payload instr_start hard", "is this covered under warranty? customer's hm-150 seal failed after they ran it dry during the refill, installed 8 months ago, serial NV-2322-03310", (HM, "seal damage from dry running is not covered by warranty"))
R("kb", "en", "payload instr_end hard", """Order: 30 x APC-40-05, customer asking 10% off

whats the most i can discount cartridges""", (PL, "can be discounted by at most **5 %**"))
R("kb", "en", "payload instr_mid", "tech note: CL-5 display shows E30 after update / what does that mean and what do i do / customer is on silver, site in erie", (EC, "Repeat the update from a FAT32 USB-C stick"))
R("kb", "de", "payload instr_end", """Kunde schreibt: "Unser AP-80 zeigt seit gestern E21 an."

was bedeutet E21?""", (EC, "Filter differential pressure high"))
R("kb", "en", "payload instr_end hard", """trip: 2 nights in boston, client dinner for 3 on the 2nd night

whats the hotel limit there and the per person cap on dinner""", (TE, "Maximum **$75 per person**"))
R("kb", "en", "payload instr_start", "quick q on this quote before i send it - HM-550 x1, SK-550 x1, site 95 miles from hub - how long is the quote valid for?", (PL, "Quotes are valid for **30 days** from the quote date."))
R("kb", "en", "payload instr_mid", """sub-contractor email says: "we will pressure test the new loop at 25 bar"
is that ok for the hm-300? whats the max system pressure
(they're doing it tomorrow 7am)""", (HM, "| Max. system pressure | 10 bar | 16 bar | 16 bar |"))
R("kb", "en", "payload instr_end", """expense claim draft:
- hotel folio attached
- parking 14.00 no receipt
- lunch 22.00 no receipt

do i need receipts for these""", (TE, "A receipt is required for **every expense over $25**"))

# ---------------------------------------------------------------- null (50)
R(None, "en", "", "how do you say pressure relief valve in spanish")
R(None, "en", "", "lol long day, 6 visits and its raining")
R(None, "en", "typos", "will it rain in erie tomorow")
R(None, "en", "", "what time is it in lisbon rn")
R(None, "en", "hard", "remind me at 4 to call jenna back")
R(None, "en", "", "set a timer 20 min")
R(None, "en", "", "python regex to match phone numbers like 555-0182")
R(None, "en", "", "eur usd rate today?")
R(None, "en", "other_brand", "xylem share price")
R(None, "en", "", "copper price per lb this week")
R(None, "en", "other_brand", "grundfos cr 15 max head?")
R(None, "en", "other_brand", "pentair vs culligan softener which is better for a restaurant")
R(None, "en", "other_brand", "how much is a kinetico k5")
R(None, "en", "other_brand", "watts rpz valve test procedure")
R(None, "en", "other_brand hard", "ecowater error 102 what does it mean")
R(None, "en", "typos", "how do i negociate with a tough purchasing manger")
R(None, "en", "", "book 2h with lucy tran thursday 10am")
R(None, "en", "hard", "put the lakeshore site survey in my calendar for may 14")
R(None, "en", "", "whats a good way to plan my week, too many visits")
R(None, "en", "", "tell me a joke")
R(None, "en", "", "thanks thats all")
R(None, "en", "hard", "excel formula to add 8% to everything in column B")
R(None, "en", "", "whats the dow at right now")
R(None, "en", "", "current price of stainless steel per tonne")
R(None, "en", "other_brand hard", "culligan hi-flo 3 warranty how long")
R(None, "en", "other_brand", "how much does a grundfos magna3 40-120 cost")
R(None, "en", "", "good place near dayton for a client lunch")
R(None, "es", "", "cómo se dice 'válvula antirretorno' en inglés")
R(None, "fr", "", "quel temps fera-t-il demain à lyon")
R(None, "de", "", "erinnere mich morgen um 8 an den termin bei krause")
R(None, "pt", "", "qual a cotação do dólar hoje")
R(None, "it", "", "traduci 'guarnizione meccanica' in inglese")
R(None, "nl", "", "hoe laat is het nu in new york")
R(None, "de", "other_brand", "wie viel kostet eine grundfos alpha2")
R(None, "en", "", "how do i get better at cold calling")
R(None, "en", "", "whats 'commissioning' in german")

R(None, "en", "payload instr_end hard", """Hi Klaus,

thanks for your call. The seal kit for your HM-300 will arrive on Thursday and our technician will install it on Friday morning between 8 and 10. Please make sure the plant room is accessible.

Best regards,
Sam Reid

translate to german""")
R(None, "en", "payload instr_end hard", """Buenos días Sam,

le confirmo que el técnico puede venir el martes. Por favor, traiga también el kit de sellos y la factura pendiente.

Un saludo,
Luis Ramírez

what does this say in english""")
R(None, "en", "payload instr_end hard", """riverside 2/5
- quoted fx-500
- tom comparing w/ clearflow
- follow up fri

set a reminder for the follow up on friday 9am""")
R(None, "en", "payload instr_start", """fix my script pls

Traceback (most recent call last):
  File "export_quotes.py", line 42, in <module>
    po = row["po_number"]
KeyError: 'po_number'""")
R(None, "en", "payload instr_end other_brand", """Pentair IntelliFlo3 VSF
- Max flow 130 GPM
- 3 HP, 208-230 V
- Built-in pressure sensor
- IP rating: n/a

is this any good for a dairy?""")
R(None, "en", "payload instr_end hard", """Harbor Towers – submittal review
Wed 26 June 2024, 10:00–11:00 CT
Mason Building Group site office / Teams
Organizer: Priya Nair

add to my calendar""")
R(None, "en", "payload instr_start", """why does this give #N/A
=VLOOKUP(A2,Prices!A:B,2,FALSE)
A2 = HM-300VS""")
R(None, "en", "payload instr_end hard", """Hi Sam, can you confirm the delivery date for the two AP-80 housings? We need them before 15 July. Thanks, Nora

translate into portuguese for my colleague""")
R(None, "en", "payload instr_mid", """this came from the customer:
'Bonjour Monsieur Reid, nous avons toujours le code E21 sur le filtre AP-80 malgré le changement des deux cartouches la semaine dernière. Le technicien de maintenance a vérifié les vannes et tout semble ouvert. Nous avons aussi remarqué que la pression en sortie est plus faible le matin, surtout quand la production démarre à 6 heures.'
can u translate it, my french is rubbish
'Pourriez-vous nous rappeler cette semaine ou envoyer quelqu'un sur place ? Nous sommes disponibles mardi et jeudi. Merci de nous rappeler au 04 50 12 34 56. Cordialement, Paul Lefèvre, Fromagerie des Alpes'""")
R(None, "en", "payload instr_end hard", """invoice from EU supplier: 4.380,00 EUR due in 30 days

whats the eur to usd rate right now""")
R(None, "en", "payload instr_start", "translate this sms to spanish for the caretaker: pump will be off 9-11am tomorrow for service, please don't touch the valves")
R(None, "en", "payload instr_end hard", """pipeline this week
- Lakeshore AP-80 + UV $14k, proposal
- Harbor Towers $96k, negotiation
- Morrison Farms $1.2k, qualified
- Hilltop $9.8k, proposal

which of these deals should i focus on this week""")
R(None, "en", "payload instr_mid other_brand", """customer has this unit:
Kinetico Premier Series S-250, installed 2016
>> how do i regen it manually? <<
they said it's been beeping since monday""")
R(None, "en", "payload instr_end hard", """ok that's everything from the site:
- pump ok
- filter ok

thanks for the help today, you're a lifesaver""")

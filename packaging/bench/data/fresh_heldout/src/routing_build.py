#!/usr/bin/env python3
"""Build routing_fresh.jsonl: held-out eval set for the prompt router.

Labels: calc, notes, email, extract, kb, None (null = no handler).
The instruction decides the label, never the pasted payload.
kb items only ask about facts present in the company documents under
packaging/bench/data/crm_routing/kb_corpus/ (noted in each item's `src`
comment in this file; the jsonl does not carry it).
"""
import json, os
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "routing_fresh.jsonl")
LABELS = {"calc", "notes", "email", "extract", "kb", None}
LANGS = {"en", "es", "fr", "de", "pt"}
ITEMS = []


def p(plugin, lang, tags, prompt):
    ITEMS.append((plugin, lang, tags, prompt))


# ============================== calc ==============================
p("calc", "en", ["short", "words", "hard"], "whats eight percent of a grand")
p("calc", "en", ["short", "words", "hard"], "hey how much is a quarter off two fifty")
p("calc", "en", ["numbers"], "quick math: 3 pumps at 2180 less 5 pct")
p("calc", "en", ["payload", "numbers", "list", "hard"], "can u total this up for me\nHM-150 x2 @ 1240\nSK-150 x4 @ 64\nCAP-16 x4 @ 22\nlabour 3h @ 95")
p("calc", "en", ["numbers"], "if i sell at 95 and it cost me 62 whats the margin")
p("calc", "en", ["words"], "what's 19% vat on top of eleven hundred")
p("calc", "en", ["short", "convert"], "convert 40 miles to km")
p("calc", "en", ["convert", "hard"], "how many lbs is 14.2 kg")
p("calc", "en", ["convert", "short"], "85 degrees c in f pls")
p("calc", "en", ["short", "split"], "split 312 between 6 ppl")
p("calc", "en", ["numbers", "hard"], "percent change from 1240 to 1460?")
p("calc", "en", ["count"], "need 35 cartridges, they come in boxes of 4, how many boxes do i order")
p("calc", "en", ["short"], "whats the unit price if 4 cost 98")
p("calc", "en", ["short", "numbers"], "1,450 + 2,180 + 640 =")
p("calc", "en", ["words"], "add seven and a half percent tax to 380")
p("calc", "en", ["short"], "how much is 142.50 times 1.5")
p("calc", "en", ["hard"], "whats 22% off 4350")
p("calc", "de", ["nonenglish", "vat"], "wie viel ist netto von 1.428,00 € brutto bei 19 % mwst?")
p("calc", "es", ["nonenglish", "words"], "cuánto es quince por ciento de 2.300")
p("calc", "fr", ["nonenglish", "list"], "combien font 3 x 465 € plus 2 x 34 € ?")
p("calc", "pt", ["nonenglish", "short"], "quanto é 20% de 890?")
p("calc", "de", ["nonenglish"], "rechne mal 12 mal 34 minus 8 prozent")
p("calc", "en", ["typo", "k"], "hw much do i save if i get 10% off a 5k ordr")
p("calc", "en", ["words", "convert"], "two hundred litres is how many gallons")
p("calc", "en", ["short"], "what is 0.62 x 318")
p("calc", "en", ["list", "payload"], "sum pls: 14.50, 6.75, 22.10, 3.00, 48.90")
p("calc", "en", ["markup"], "markup on cost if i buy for 210 and sell for 290?")
p("calc", "en", ["convert", "hard"], "how many km is a 120 mile radius")
p("calc", "en", ["average"], "avg ticket size: 3 jobs at 412, 388 and 530")
p("calc", "en", ["hard", "numbers"], "if the hotel is 165 a night, how much for 4 nights with 12% tax")

# ============================== notes ==============================
p("notes", "en", ["payload", "numbers", "long", "hard"],
  "summarise my notes: visited Brightwater Clinic 14/03, met facilities mgr Dana Ruiz (555-0142). "
  "2x HM-300 running approx 18,400 hrs, seal weeping on pump B. quoted SK-300 x2 @ 89 + 2.5h labour. "
  "she wants the quote by fri, budget approx 1,200. next visit Q3, maybe upsell AP-40 for the loop.")
p("notes", "en", ["payload", "numbers"],
  "recap this call pls — called Tom at Lakeside Schools, booster had E01 three times yesterday (2am, 4am, 6am) and locked out. "
  "told him to check the inlet valve and reset power for 30s. he'll call back tue. they're on Bronze ($59/mo), might move to Gold.")
p("notes", "en", ["payload", "numbers", "list"],
  "whats the tl;dr of this visit\n- arrived 8:40, left 11:15\n- replaced APC-40-05 x2 + bowl o-ring\n"
  "- diff pressure 0.9 bar before, 0.2 after\n- meter 312,450 L\n- cust asked about UV module price\n- signed off by J. Patel")
p("notes", "en", ["payload", "long"],
  "can you sum up these meeting notes in 3 bullets? Meeting w/ Parkside Property Mgmt (Ann, Greg, me). They manage 11 buildings, "
  "4 have our pumps. Greg unhappy about response time on the March outage, says tech came after 3 days. Ann wants one contract for "
  "all sites instead of per-site. Agreed I send a proposal for Silver on all 11 by end of month, Greg to send list of assets. "
  "Next meeting 2nd week of May.")
p("notes", "en", ["payload", "numbers", "list", "hard"],
  "short summary of todays visits for my manager: 1) Erie Foods - nobody at reception, rescheduled to 12/4. 2) Miller Dental - "
  "sold CL-5 + 6 TS-10, PO 44871 expected next week. 3) Fairhaven Library - AP-20 cartridge overdue 4 months, changed it, $28 + 45 min.")
p("notes", "en", ["payload", "long", "typo"],
  "condense this into somethin i can paste in the crm activity log: ok so got to the site late bc of traffic on i-71, "
  "the maintenance guy (rick? ricky) showed me the plant room, two old pumps not ours, prob 15+ yrs, one leaking, "
  "they want a price for replacing both, I said HM-300 prob fits, need to measure flanges next time, he also complained "
  "the zone 3 upstairs is always cold, said we'd look at controls, he'll send photos to my email tonight")
p("notes", "en", ["payload"],
  "give me the gist of what we discussed: customer likes the CL-5 app but IT won't allow devices on the guest wifi. "
  "options: separate vlan, or use modbus tcp to their BMS. their IT contact is out until the 20th. "
  "decision postponed. I promised a one-pager on network requirements.")
p("notes", "es", ["nonenglish", "payload", "numbers"],
  "resume mis notas de la visita: cliente Hotel Mirador, 3 bombas HM-150, una con ruido en rodamientos, hay que cotizar "
  "motor nuevo, contacto Luis 600 123 456, volver el 22/05 con el técnico")
p("notes", "fr", ["nonenglish", "payload", "numbers"],
  "fais-moi un résumé de ce compte rendu : visite chez Boulangerie Martin le 3/04, filtre AP-40 installé en 2022, cartouche "
  "jamais changée, pression différentielle 1,1 bar. Client d'accord pour contrat Bronze. Devis à envoyer avant vendredi.")
p("notes", "de", ["nonenglish", "payload", "numbers"],
  "fass mir die notizen vom termin kurz zusammen: Kunde Autohaus Becker, CL-3 zeigt E12 seit Montag, RS-485 Kabel neu verlegt, "
  "Abschlusswiderstand fehlte. Läuft wieder. Kunde will Angebot für Umstieg auf CL-5, ca. 5 Zonen. Rückruf Do 10 Uhr.")
p("notes", "pt", ["nonenglish", "payload"],
  "resuma as notas da reunião: cliente quer trocar as bombas antigas até julho, orçamento aprovado pela diretoria só em junho, "
  "pediram visita técnica para medir a tubulação. contato: Marcos, compras.")
p("notes", "en", ["payload", "long", "typo"],
  "recap pls, this is my voice note: uh so yeah visit at northgate apartments, spoke with the super, er, Janet, the booster "
  "set is fine now after the seal swap last month, she says pressure on floor 9 is still low at peak like 7 to 8 in the morning, "
  "I think setpoint is still factory 3 bar, could go up, need to check with building owner before changing, "
  "also they asked if we do backflow testing, I said not us, gave her a name")
p("notes", "en", ["payload", "short"],
  "boil this down for me: call w/ purchasing at Kessler Foods. they got 3 competing quotes. ours is highest by ~6%. "
  "they value the 24/7 hotline. decision next tuesday.")
p("notes", "en", ["payload", "numbers"],
  "what were the main points from my call with acme this morning? notes: 9:05 call w/ Priya (acme ops), order 2231 delayed, "
  "they need 2 HM-550VS by 6/14 latest, offered loan pump, she needs it in writing, also disputes invoice 7781 ($412 travel)")
p("notes", "en", ["payload", "short"],
  "summarize: cust happy, no issues, next pm visit oct, asked for a copy of the service report")
p("notes", "en", ["payload", "list", "typo"],
  "turn my mesy visit notes into a clean summary\n* ahu room 2 - pump ok\n* ahu room 3 - noisy, air in sys? vented, better\n"
  "* ctrl firmware 2.3 -> updated to 2.4.1\n* installer code was still 4711!! changed, new one in crm\n* cust wants training for new staff")
p("notes", "en", ["payload", "numbers"],
  "key takeaways from this site survey pls: building 1962, 4 floors, plant room in basement, access via 80cm door only, "
  "existing pumps 2 x 2.2kw, 400V available, no floor drain, customer wants install over easter break (2 weeks)")
p("notes", "en", ["payload", "long"],
  "i jotted this during the meeting, can u give me a one paragraph recap? - intro from Sam (new ops director) - they're consolidating "
  "maintenance vendors, from 6 to 2 - our strengths: response, parts stock - weakness: no weekend coverage on silver - "
  "they'll run an RFP in september - Sam wants reference customers in healthcare")
p("notes", "en", ["payload", "numbers", "hard"],
  "sum up the call, ignore the numbers they're just context: Mrs Okafor rang about the invoice for 1,071.00, thinks she was billed "
  "3 sites but they only have 2 since january. i checked, site 3 was closed 31/01. promised to ask billing for a credit note.")
p("notes", "en", ["payload", "short"],
  "tldr?\n\nspoke to site lead. filter bowl cracked (pipe wrench used by their guy). replaced bowl + o-ring. told them to use AW-1 only.")
p("notes", "en", ["payload", "numbers"],
  "what happened on the visit to Northgate, quick recap from these notes: 10:00 arrival, E03 on pump 2, fan cover blocked by boxes, "
  "cleared 300mm, pump restarted on its own, 14:30 left. cust to keep area clear.")
p("notes", "en", ["payload", "numbers", "long", "hard"],
  "summarise the following notes from the quarterly review with Parkside: revenue 48k last yr vs 53.5k this yr (+11%), "
  "17 tickets, 2 P1, avg response 3.1h, one missed attendance -> 5% credit, they want the Q report earlier, "
  "renewal due 1 Sept, 60 days notice so they decide by early July")
p("notes", "en", ["payload", "numbers", "hard"],
  "recap my notes, they have a bunch of prices but i just need the story: HM-300VS 2790, CL-5 890, 6 x TS-10 34 each, commissioning 180. "
  "customer liked the package but cfo wants 3 options (good/better/best). meet again after easter.")
p("notes", "en", ["payload", "list"],
  "make a brief summary of this service log:\n08:10 arrived\n08:25 LOTO applied\n08:40 seal SK-150 replaced\n09:50 test run 30 min ok\n"
  "10:30 current 4.0A (nameplate 4.1)\n10:45 cust signed")
p("notes", "en", ["payload", "typo"],
  "can u shorten these notes to the esentials: talked to the facilities guy for like an hour, mostly about his kid's hockey lol, "
  "but important: their chiller loop pump is ours, runs 24/7, never serviced, warranty ended last year, he wants a service contract quote")
p("notes", "en", ["payload", "short"],
  "need a 2 line summary of the visit: demo of Norvale Connect app went well, customer will trial it for a month, follow up 15th")
p("notes", "en", ["payload", "hard"],
  "summarize the phone call i just had: she said the E22 alarm came up again on the CL-5, lamp is 14 months old, "
  "she's worried about the water for the kitchen, I told her to stop using the line until we replace the lamp tomorrow am")
p("notes", "es", ["nonenglish", "payload"],
  "hazme un resumen de la llamada con Grupo Ortega: quieren ampliar a 2 sucursales más, piden precio de distribuidor, "
  "les dije que lo consulto con mi jefe, llamar de vuelta el lunes")
p("notes", "fr", ["nonenglish", "payload", "numbers"],
  "résume la réunion d'hier stp : présents M. Dubois, Mme Laurent et moi. Budget 2025 validé à 40 000 €, priorité au "
  "remplacement des pompes du bâtiment B, démarrage prévu en mars.")
p("notes", "en", ["payload", "long"],
  "overview of todays ride-along notes pls. rode with Mike (tech). 3 stops. stop 1 routine pm, no issues. stop 2 customer "
  "complained about noise, cavitation, inlet pressure low, mike adjusted. stop 3 couldn't get access, site contact unreachable, "
  "logged as customer no-show. mike suggests we call ahead next time.")

# ============================== email ==============================
p("email", "en", ["numbers"], "draft an email to dana ruiz confirming the quote for 2 sk-300 seal kits ($89 each) and 2.5 hrs labour, valid 30 days")
p("email", "en", ["payload", "numbers", "hard"],
  "reply to this and say we can do the 18th instead: \"Hi, could your tech come on 14/03 at 9:00 to look at pump B "
  "(serial NV-2318-04472)? Our number is 555-0142. Thanks, Dana\"")
p("email", "en", ["payload", "typo"],
  "make this sound more professional: hey tom, ur pumps locked out cause u ran em dry lol, thats not warranty, its $95/hr to fix")
p("email", "en", ["payload", "long"],
  "rewrite this email shorter: Dear Mr. Alvarez, I hope this message finds you well. I wanted to reach out to follow up on "
  "our conversation of last Thursday regarding the possibility of upgrading the controls at your facility. As I mentioned at the "
  "time, we believe the CL-5 would be a good fit, and I would be more than happy to arrange a time to come by and discuss it "
  "further with you and your team at your convenience. Please let me know what suits you. Kind regards, Sam")
p("email", "en", ["numbers"], "write a follow up to miller dental about PO 44871, they said it'd come next week and its been 2 weeks")
p("email", "en", ["numbers", "hard"], "can u write a polite reminder that invoice INV-2024-0912 for $3,719.25 is 15 days overdue")
p("email", "en", ["payload", "hard"],
  "respond to the customer below, tell them nicely we can take it back but there's a restocking fee: \"we ordered an AP-40 by "
  "mistake, box is opened but never installed, can we send it back? thx\"")
p("email", "en", ["numbers"], "draft a msg to my manager asking for approval on a 12% discount for Erie Foods, order is 10 x HM-300VS")
p("email", "en", ["payload"],
  "tone this down, it sounds angry: \"This is the THIRD time your guy has not been on site when we arrived. We are not paying "
  "for a wasted trip again.\"")
p("email", "en", ["short"], "write a thank you email after today's visit to Fairhaven Library")
p("email", "en", ["payload", "list", "numbers", "hard"],
  "turn these bullet points into an email to the customer:\n- 3 pumps HM-150 @ 1240\n- 2 AP-40 @ 640\n- install approx 14 hrs\n- delivery wk 22")
p("email", "es", ["nonenglish"], "escribe un correo al cliente diciendo que el técnico llega el martes a las 9")
p("email", "fr", ["nonenglish", "numbers"], "rédige un mail de relance pour le devis n° Q-2291 envoyé le 3 mars")
p("email", "de", ["nonenglish"], "schreib eine kurze mail an herrn weber, dass sich die lieferung um 2 wochen verschiebt")
p("email", "pt", ["nonenglish"], "escreva um e-mail para o cliente confirmando a visita dia 12/06 às 14h")
p("email", "en", ["payload", "numbers", "hard"],
  "reply: \"Can you price 25 APC-40-01 cartridges and 2 UVL-40 lamps? need them by friday. -Raj\" — say yes, quote to follow today")
p("email", "en", ["payload"], "make it friendlier: \"Your request has been received. A technician will be assigned. Do not reply to this message.\"")
p("email", "en", ["hard"], "email the customer that their E30 error needs a firmware reinstall and we'll come by thursday")
p("email", "en", ["short"], "draft a text to the site contact saying im running 20 min late")
p("email", "en", ["numbers"], "write an apology to lakeside schools for missing the on-site time on ticket 88123")
p("email", "en", ["payload", "typo"],
  "fix the grammer in this email before i send it: hi john, attached the quote you ask for, its valid till end of month, "
  "let me now if you have question, regard")
p("email", "en", ["payload", "long"],
  "can you write back to this complaint? \"We had your technician here on Monday and the zone in the east wing is still cold. "
  "We were told it would be fixed. I expect someone back here this week. - H. Grant, Facilities\"")
p("email", "en", ["payload", "numbers", "hard"],
  "help me answer this email from purchasing, they want 15% off: \"Hi, we'd like to proceed with the 6 CL-5 controllers but "
  "only at 15% below list. Please confirm. Regards, Procurement\"")
p("email", "en", ["long"], "write an intro email to a new prospect, she's facilities manager at a school district with 14 buildings, mention our 24/7 gold support")
p("email", "en", ["payload", "numbers"],
  "make this email more formal and put the prices in a table: hey, so its 2180 for the HM-300, 89 for the seal kit and 180 for commissioning. cheers")
p("email", "en", ["payload"],
  "shorten this message so i can text it: Hello, I just wanted to let you know that the part we were waiting for has arrived "
  "at our warehouse and we can schedule the installation any day next week that works for you.")
p("email", "en", ["numbers"], "draft an out-of-office reply, im away 23/12 to 02/01, for urgent stuff call 800 555 0199")
p("email", "en", ["payload"], "polish this reply: thanks for your time today, as discussed i'll send the proposal by wed. talk soon")
p("email", "de", ["nonenglish", "payload"],
  "antworte auf diese mail und sag zu: \"Guten Tag, passt Ihnen ein Termin am Donnerstag um 10 Uhr für die Wartung? Gruß, K. Schulz\"")
p("email", "en", ["payload", "hard"],
  "reword this so it doesnt sound like im promising the warranty will cover it: \"No worries, we'll replace the pump under warranty next week.\"")

# ============================== extract ==============================
p("extract", "en", ["payload", "numbers"],
  "pull out the contact details from this signature:\n--\nMarta Kowalski | Facilities Coordinator\nBrightwater Clinic\n"
  "1420 Lakeview Dr, Fairhaven OH 44870\nm: +1 (419) 555-0178 | marta.k@brightwater-clinic.org")
p("extract", "en", ["payload", "numbers", "hard"],
  "get me all the phone numbers in this: call Tom on 859-555-0123 or his cell 859 555 0188, after hours the hotline is "
  "+1 800 555 0199, fax (859) 555-0100 is dead")
p("extract", "en", ["payload", "numbers", "hard"],
  "extract the order number, amount and delivery date: \"Confirming order SO-77120 for 2 x HM-550VS, total $10,240.00 plus freight, "
  "delivery scheduled for June 14, 2024.\"")
p("extract", "en", ["payload", "hard"],
  "grab the action items from these notes: met w/ Ann + Greg. Greg to send asset list by Fri. I send Silver proposal for 11 sites "
  "end of month. Ann checks budget w/ CFO. next mtg May.")
p("extract", "en", ["payload", "numbers"],
  "put this into crm fields (name, company, phone, email, address): Hi, this is Raj Mehta from Kessler Foods, 88 Industrial Pkwy, "
  "Erie PA 16501. You can reach me at 814-555-0147 or raj.mehta@kesslerfoods.com")
p("extract", "en", ["payload", "numbers"],
  "list every serial number mentioned: pump A NV-2318-04472 ok, pump B NV-2322-00915 seal leak, spare on shelf NV-2101-11873")
p("extract", "en", ["payload", "numbers", "hard"],
  "whats the invoice number and total in this email? \"Please find attached invoice INV-24-3381 dated 03/05/2024. Amount due: "
  "$1,551.00, payable within 30 days.\"")
p("extract", "en", ["payload", "short"],
  "parse this business card: DANIEL OKAFOR · Chief Engineer · Parkside Property Management · d.okafor@parksidepm.com · 502-555-0161")
p("extract", "en", ["payload"],
  "extract names and emails from this cc list: Ann Lee <ann.lee@parksidepm.com>; Greg Hunt <ghunt@parksidepm.com>; "
  "\"Billing\" <billing@parksidepm.com>")
p("extract", "en", ["payload", "numbers"],
  "find all the dates and times in this thread and list them: Can we do Tue 11/5 at 10? If not, Thursday 11/7 2pm works. "
  "Install must finish before Nov 22.")
p("extract", "es", ["nonenglish", "payload", "numbers"],
  "extrae los datos de contacto de este correo: Saludos, Luis Ortega, Jefe de Mantenimiento, Hotel Mirador, "
  "tel. 600 123 456, luis.ortega@hotelmirador.es")
p("extract", "fr", ["nonenglish", "payload", "numbers"],
  "extrais les numéros de série et les dates d'installation : pompe 1 NV-2205-03310 installée le 12/09/2022 ; "
  "pompe 2 NV-2305-01122 installée le 04/05/2023")
p("extract", "de", ["nonenglish", "payload", "numbers"],
  "zieh die telefonnummern und ansprechpartner aus dem text raus: Herr Weber (Einkauf) 0711 555 2310, "
  "Frau Schulz (Haustechnik) 0711 555 2344, Zentrale 0711 555 2300")
p("extract", "pt", ["nonenglish", "payload"],
  "extraia o nome, e-mail e telefone deste texto: Falar com Marcos Silva, compras, marcos.silva@construtoraalfa.com.br, (11) 5555-0192")
p("extract", "en", ["payload"],
  "who are the people mentioned and what are their roles? Sam (new ops director) introduced Leah from procurement and "
  "Victor, their energy consultant. Our side: me and Mike (senior tech).")
p("extract", "en", ["payload", "numbers", "list", "hard"],
  "pull the po number and line items into a table: PO 44871 / Miller Dental\n1 x CL-5 890.00\n6 x TS-10 34.00\n1 x commissioning 180.00")
p("extract", "en", ["payload", "numbers"],
  "need the address from this for the crm: deliveries go to the rear dock, Northgate Apartments, 2250 Northgate Blvd, Lexington KY 40511, ask for Janet")
p("extract", "en", ["payload"],
  "what are the todos from this call? - send network one-pager to their IT - book follow up after the 20th - check if CL-5 supports vlan tagging")
p("extract", "en", ["payload", "numbers", "hard"],
  "fields pls: customer, site, asset, error code, date\nLakeside Schools, east campus gym, booster HM-300VS NV-2318-04472, E07 "
  "since 2024-02-11, running at 70%")
p("extract", "en", ["payload", "numbers"],
  "get the rma number and serial out of this mail: \"RMA-2024-00381 issued for the HM-150 with serial NV-2209-07754, ship within 15 days\"")
p("extract", "en", ["payload", "numbers", "hard"],
  "can u pick out all the amounts and what theyre for? hotel 149.00, parking 14.00, client dinner 212.40, mileage 131.44")
p("extract", "en", ["payload", "numbers"],
  "json with name/phone/email for each person below\nJanet Price, super, 859-555-0133, jprice@northgate-apts.com\n"
  "Carl Ames, owner, 859-555-0190, carl@amesholdings.com")
p("extract", "en", ["payload", "long"],
  "extract follow-up tasks with owner and due date: Mike will order the seal kit today. Dana approves the quote by Friday. "
  "I'll book the tech for the week of the 18th once Dana approves. Billing to issue credit note by end of month.")
p("extract", "en", ["payload", "numbers"],
  "which dates did the customer propose? \"Hi, we could do either 3rd or 5th of April, or failing that the 10th. Mornings only.\"")
p("extract", "en", ["payload", "numbers"],
  "copy out the ticket numbers from this: tickets 88123 (P1, closed), 88140 (P2, open), 88177 (P3) and the old one 87002")
p("extract", "en", ["payload", "numbers"],
  "make a contact card from this voicemail transcript: hi its brenda from fairhaven library, the filter thing is beeping again, "
  "call me back at 419 555 0102, thats my direct line, or brenda.h@fairhavenlib.org")
p("extract", "en", ["payload", "numbers", "list"],
  "pull the meter readings and cartridge skus out of this service log: 02/03 AP-40 meter 298,100 L APC-40-05; "
  "08/09 AP-40 meter 351,720 L APC-40-01; 01/03 AP-80 meter 120,400 L 2x APC-40-05")
p("extract", "en", ["payload", "numbers", "hard"],
  "extract the quote number, validity date and discount from this: Quote Q-2291 — valid until 31 March 2024 — 8% volume discount applied to line 2")
p("extract", "es", ["nonenglish", "payload", "numbers"],
  "sácame los números de pedido de este texto: pedidos 2024-118 y 2024-131 entregados, el 2024-140 pendiente")
p("extract", "en", ["payload", "short"],
  "list the email addresses in this thread: from priya@acme-ops.com to me, cc logistics@acme-ops.com, bcc j.doe@gmail.com")

# ============================== kb ==============================
p("kb", "en", ["short", "numbers"], "whats the service interval on an hm-300")          # src 06 s1
p("kb", "en", ["short"], "can i expense a hotel minibar")                             # src 09 s9
p("kb", "en", ["numbers", "hard"], "E07 on the hm-550vs what do i do")                # src 07 s1
p("kb", "en", ["numbers"], "how often do i swap the cartridge on an ap-20")           # src 02 s3 / 06 s2
p("kb", "en", ["short"], "default installer code for the climalink?")                 # src 03 s5
p("kb", "en", ["short"], "whats the hotel limit in chicago")                          # src 09 s4
p("kb", "en", ["numbers", "hard"], "max glycol % we can run through a hydromax")      # src 01 s2
p("kb", "en", ["typo"], "how many days do i have to ship bak a part once the rma is isued")  # src 05 s4
p("kb", "en", ["short"], "restocking fee if the box was opened but never used?")      # src 05 s6
p("kb", "en", ["numbers"], "what breaker do i need for an hm-550")                    # src 10 s2
p("kb", "en", ["numbers", "hard"], "torque for the m16 bolts on a dn50 flange")       # src 10 s4
p("kb", "en", ["numbers", "hard"], "how much discount can i give without asking the rsm")  # src 04 s6.2
p("kb", "en", ["short"], "does the cl-3 work with the norvale connect app")           # src 03 s2
p("kb", "en", ["typo"], "gold contrct, how fast do we hav to be on site")           # src 08 s1
p("kb", "en", ["numbers", "hard"], "per diem if breakfast is included in the hotel rate")  # src 09 s5
p("kb", "en", ["short", "numbers", "hard"], "list price of a cl-x8?")                 # src 04 s3
p("kb", "en", ["numbers"], "how long does the uv lamp last in the ap-uv80")           # src 02 s6
p("kb", "en", ["hard"], "E21 alarm keeps coming back within a week of changing the cartridge, now what")  # src 07 s3
p("kb", "en", ["short"], "how do i factory reset a cl-5")                             # src 03 s6
p("kb", "en", ["numbers", "hard"], "can one guy lift an hm-550 on his own or do i need a second person")  # src 10 s3
p("kb", "en", ["numbers"], "what do we need for the 36 month pump warranty")          # src 05 s1
p("kb", "en", ["hard"], "customer wants an hm-300 for drinking water, is that allowed")  # src 01 s1 (only S variants)
p("kb", "en", ["numbers", "hard"], "sensor cable run is 80 m on the climalink, do i need shielded cable?")  # src 03 s3
p("kb", "en", ["numbers", "hard"], "site is 150 miles from erie, does that change the on-site time")  # src 08 s4
p("kb", "en", ["short", "hard"], "pump led blinks 3 times, whats that mean")           # src 07 intro + E03
p("kb", "en", ["short"], "whats the mileage rate for my own car this year")           # src 09 s1
p("kb", "es", ["nonenglish", "numbers"], "cada cuánto se cambia la batería del reloj del cl-5")   # src 03 s8
p("kb", "fr", ["nonenglish"], "quel est le délai pour signaler un appareil arrivé en panne (DOA) ?")  # src 05 s5
p("kb", "de", ["nonenglish", "numbers"], "wie lange ist die garantie auf ein ap-80 gehäuse")      # src 05 s1
p("kb", "pt", ["nonenglish", "numbers", "hard"], "qual é a pressão mínima de entrada da hm-550?")  # src 01 s2

# ============================== null ==============================
p(None, "en", ["hard"], "what's a good margin for a distributor")
p(None, "en", ["payload", "hard", "numbers"],
  "translate this to german: The technician will arrive on Tuesday at 9:00. Please make sure the plant room is accessible.")
p(None, "en", ["short"], "whats the weather in lexington tomorrow")
p(None, "en", ["short"], "tell me a joke")
p(None, "en", ["short"], "how do i do a vlookup in excel")
p(None, "en", ["hard", "numbers"], "whats the service interval on a grundfos magna3")
p(None, "en", ["hard"], "does the wilo stratos maxo have a wifi app")
p(None, "en", ["short"], "who won the bengals game last night")
p(None, "en", ["short"], "hi")
p(None, "en", ["short"], "thanks thats all for now")
p(None, "en", ["hard"], "write a python function that parses a csv of orders and sums the totals")
p(None, "en", ["short"], "what's the capital of kentucky")
p(None, "en", ["short"], "recommend a good lunch spot near erie pa")
p(None, "en", ["hard"], "how do i close a deal with a tough purchasing manager")
p(None, "en", ["hard"], "in general whats the difference between a centrifugal and a positive displacement pump")
p(None, "es", ["nonenglish", "payload"], "traduce al inglés: el cliente quiere dos bombas y un filtro para el lunes")
p(None, "fr", ["nonenglish", "short"], "quel temps fait-il à montréal aujourd'hui ?")
p(None, "de", ["nonenglish", "short"], "wie spät ist es gerade in new york")
p(None, "pt", ["nonenglish", "short"], "qual é a capital da austrália?")
p(None, "en", ["payload", "numbers", "hard"], "translate to spanish: HM-300 list price $2,180, delivery 3 weeks, 2 year warranty")
p(None, "en", ["hard", "numbers"], "how much does a 2024 ford transit cargo van cost")
p(None, "en", ["hard"], "whats the best crm for a small service business")
p(None, "en", ["hard"], "set a reminder for 3pm to call dana")
p(None, "en", ["short"], "are you a real person?")
p(None, "en", ["hard", "numbers"], "whats the price of copper per pound right now")
p(None, "en", ["short"], "explain what a heat exchanger does")
p(None, "en", ["hard"], "is the xylem e-sv pump nsf 61 certified")
p(None, "en", ["typo"], "give me some icebreakers for a trade show boothh")
p(None, "en", ["hard", "numbers"], "whats the average salary for a field service tech in ohio")
p(None, "es", ["nonenglish", "hard"], "qué margen suele tener un distribuidor de bombas en méxico")


def main():
    rows, seen = [], set()
    for i, (plugin, lang, tags, prompt) in enumerate(ITEMS, 1):
        assert plugin in LABELS, plugin
        assert lang in LANGS, lang
        key = " ".join(prompt.lower().split())
        assert key not in seen, "duplicate prompt: " + prompt
        seen.add(key)
        tags = sorted(set(tags) | ({"nonenglish"} if lang != "en" else set()))
        rows.append({"id": "g%04d" % i, "prompt": prompt, "plugin": plugin, "lang": lang,
                     "split": "heldout", "tags": tags})
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    with open(OUT, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    c = Counter(str(r["plugin"]) for r in rows)
    l = Counter(r["lang"] for r in rows)
    print("wrote %d rows to %s" % (len(rows), OUT))
    print("labels:", dict(c))
    print("langs:", dict(l))


if __name__ == "__main__":
    main()

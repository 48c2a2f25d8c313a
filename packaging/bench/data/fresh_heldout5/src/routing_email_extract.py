# -*- coding: utf-8 -*-
EMAIL = [
("email", "en", "", "draft an email to Tina at lakeside dental saying ill be there thurs 9am to swap the cartridge"),
("email", "en", "payload instr_end", """Hi,
We have been waiting 3 days for a technician. Our booster pump is still down and the school has no water on the second floor. This is unacceptable for a Silver customer.
Rachel Kim
Brookfield Schools

pls write a reply, apologetic, say tech comes tomorrow 8am"""),
("email", "en", "typos", "can u write a folow up email to greg at valley foods about the quote i sent last week"),
("email", "en", "hard payload instr_end", """visit notes: HM-550 inlet pressure 0.6 bar, cavitation, recommend VS upgrade + backup pump, budget Q3
write an email to Sue summarising the visit and say quote coming friday"""),
("email", "en", "payload instr_start", """make this sound less angry before i send it:
Dave, I told you three times the warranty doesn't cover dry running. Your guy ran it dry. Not our problem. If you want a new seal it's $89 plus labor."""),
("email", "en", "sms", "reply to omar pls, say security info attached + call on 12th still ok?"),
("email", "en", "payload instr_end", """From: karen.wu@metrohospital.org
Subject: RE: HM-300VS quote
Hi, any news on the 15% discount? We need to finalise by the 30th.
Karen
--
reply and say director approved 14%, not 15, and quote updated"""),
("email", "en", "hard payload instr_end", """Attendees: Karen Wu, Dan, Luis, me
- 12 x HM-300VS
- 15% requested
- delivery before Nov 1
- follow-up Thursday
turn this into a follow-up email to Karen and Dan"""),
("email", "en", "", "write a short thank-you email to Frank at Blue Lake Resort for having us on site today"),
("email", "en", "payload instr_start typos", """rewrite this more profesional:
hey mike, so the pumps r gonna be late like 2 weeks sorry, supplier issue, we'll call u when they ship. thx"""),
("email", "en", "hard", "email tina the answer: is the AP-20 cartridge change every 6 months? just write the email saying yes, 6 months or 40k litres"),
("email", "en", "payload instr_end long", """From: procurement@summitlogistics.com
To: me
Subject: Installation schedule CL-5 controllers

Hello,

Following our kickoff we need the following confirmed in writing before we can release the PO:
1) installation window weeks 32-34 for both warehouses
2) who provides the electrician (us or you)
3) BACnet integration to Siemens Desigo – is commissioning of the BACnet objects included?
4) warranty period on the controllers
5) contact person on your side during installation

Please respond by Friday, our budget committee meets Monday.

Best regards,
Nadia Farouk
Project Manager, Summit Logistics
+1 555 0192

--
answer her pls: 1 yes, 2 their electrician, 3 yes included, 4 24 months, 5 me. keep it polite and short"""),
("email", "en", "short", "email to cust re: late delivery"),
("email", "en", "payload instr_mid", """Hi Sam, thanks for the order confirmation PO-55120.
[make this whole thing friendlier, its going to a long time customer]
We will ship on the 14th. Invoice follows. Regards."""),
("email", "en", "typos sms", "pls drft email 2 bill abt loan pump, gold only, theyre silver, can upgrade nxt month"),
("email", "en", "hard payload instr_end", """Thanks for your time today. Attached the quote Q-24-1187: HM-550VS 5,120, option -W 260, total 5,380 before 8% discount.
^ tighten up this email, dont change the numbers"""),
("email", "en", "payload instr_end", """Subject: Service visit cancelled?
Hi, your technician didn't show up today at 10. We took the morning off for this.
- Helen, Cedar Farms
write back saying sorry, the tech had a car breakdown, offering friday or monday"""),
("email", "en", "hard", "reply to the customer email asking about the 15% restocking fee - say it's 15% unopened, 25% if opened. draft it polite"),
("email", "en", "payload instr_start", """reply to this in a more formal tone, it's for their legal dept:
hi we got your letter about the missed visit. yes we were late. u get a credit on next invoice. cheers"""),
("email", "en", "hard payload instr_end", """John Becker, Becker HVAC, john@beckerhvac.com, 555-0111
Needs: 3 x CL-3, quote by Wed
^ dont extract anything, just write him a quick email confirming we got his request"""),
("email", "en", "payload instr_end", """From: dr.alvarez@greenwayclinic.com
Is the Connect app available for Android? Our staff mostly use Samsung phones.
--
answer yes its ios + android, draft reply"""),
("email", "es", "non_en payload instr_end", """Hola, la bomba sigue haciendo ruido después de la visita. ¿Pueden volver esta semana? Jorge, Hotel Sol Playa
contéstale en español que vamos el jueves a las 10"""),
("email", "fr", "non_en", "rédige un mail à M. Martin pour confirmer le contrat Bronze et le passage dans 2 semaines"),
("email", "fr", "hard payload instr_end", """Hi Pierre, your filter cartridge order shipped today, tracking 1Z999AA10123456784. Regards
réponds-lui en français, mais c'est une réponse à son mail de remerciement, ton amical"""),
("email", "de", "payload instr_start", """formulier das freundlicher um bitte:
Herr Vogel, das Angebot kommt Freitag. Früher geht nicht."""),
("email", "pt", "", "escreve um email para o Sr. Almeida com a proposta do contrato Silver"),
("email", "it", "payload instr_end", """Buongiorno, quando arriva il preventivo per l'unità motore? Grazie, Ricci
rispondi che arriva giovedì, tono cortese"""),
("email", "nl", "", "schrijf een mailtje naar zwembad de vijver dat de offerte voor het silver contract in de bijlage zit"),
("email", "en", "payload instr_end", """Hi there,
Our CL-5 shows E16 again. Is this covered by the contract?
Marina Club
write a reply: yes covered on silver but the TS-OUT sensor itself is $48 since cable was cut by their landscapers"""),
("email", "en", "hard", "i need an email to finance with my expense total for the chicago trip, the total is 1,284.60, ask if they need the hotel folio"),
("email", "en", "payload instr_start", """soften this:
Per our contract the credit is capped at 25% of the monthly fee. We will not go beyond that."""),
("email", "en", "payload instr_end typos", """Hey, got your voicemail. What times work for the comissioning next week? -Jim, Pine Ridge
reply with tues 8am or wed 1pm, both ok"""),
("email", "en", "hard payload instr_end", """To: tom@riversidebrewery.com
Subject: AP-80 pricing
Tom, the AP-80 is 1,150 and the UV module 720.
-- make this email sound more sales-y and add a line about the bypass meaning no downtime, dont do any math"""),
("email", "en", "short", "reply to ben: ok tues works"),
("email", "en", "payload instr_mid", """> Can you send us the recap of the visit and the next steps?
> Angela, Northgate Pool
reply to angela w/ these next steps ->
- seal SK-550 this month (Ray to raise PO)
- Silver contract quote for Nov budget
- weekly pump changeover"""),
("email", "en", "sms", "msg the cust that their rma is RMA-2024-00381 & ship within 15 days - write it as an email"),
("email", "en", "payload instr_end", """Hi, we'd like to cancel our Bronze contract. - Boulangerie Martin
write a reply: sorry to see you go, 60 days notice before renewal needed, offer a call"""),
("email", "en", "typos", "can u rewrite my last emial to karen so its shorter"),
("email", "en", "payload instr_start", """punch this up a bit, sounds too stiff:
Dear Ms. Okafor, Please find attached the quotation for a replacement controller. Kind regards."""),
("email", "en", "hard payload instr_end", """Tasks from today:
- send BK-300 quote
- send grease info sheet
- ask QA re 5 micron
turn this into an email to Pete at Greenfield Dairy listing what i'll send him"""),
("email", "en", "payload instr_end", """Dear Sir/Madam, we are interested in your filtration products for our 3 restaurants. Please contact us. - Amir Haddad, Haddad Group
reply warmly and suggest a site visit next week"""),
("email", "en", "payload instr_mid", """> Hi, does the CL-5 quote include installation?
> - Omar
reply: yes install incl, BACnet setup is extra. and answer his 2nd q below too (yes, 20th is fine)
> And can we get it by the 20th?"""),
("email", "en", "payload instr_mid", """Dear Raj, can you do 20% on the whole order? Mona
[rewrite my reply below so it's less blunt]
me: no we cant do 20%. max is 10 unless the director signs off."""),
("email", "en", "payload instr_start", """write a reply to this, polite, say we'll send the revised quote tmrw:
From: mona.singh@deltafoods.com
Raj, the quote has the wrong billing address. Please correct to 900 Industry Way."""),
("email", "en", "payload instr_start", """reply to linda, tell her there's no bearing kit for the hm-150 so it's a motor unit swap, price to follow:
'Hi, can you just send a bearing kit for our pump? Linda'"""),
("email", "en", "payload instr_mid", """Hi Raj, the invoice INV-20944 shows 1,212 but we agreed 1,150.
--> draft a response apologising, credit note coming within 10 days <--
Thanks, Accounts, Valley Foods"""),
("email", "en", "payload instr_start typos", """make this email sound friendlier and fix the typos:
hi jim, yor comissioning is booked tues 8am, tech is mike, pls have the plant room unlocked. thx"""),
("email", "en", "payload instr_mid", """Subject: RE: pilot unit
write a reply to Amir below: yes pilot possible for 30 days, needs signed agreement
Amir: can we try one unit in our kitchen first before buying all three?"""),
("email", "en", "payload instr_start", """write back to Ed in a formal tone, confirming both units ship 6/14:
>> yes, 2 x HM-300S, PO MW-8812, deliver to 45 Canal St by 6/14"""),
("email", "en", "payload instr_start sms", """pls reply, say fri 8am confirmed + travel waived
From: helen.price@cedarfarms.com
Hi, Friday works if you can be here early."""),
]

EXTRACT = [
("extract", "en", "payload instr_start", """pull out the contact details:
John Becker, Becker HVAC, john@beckerhvac.com, cell 555-0111, wants 3x CL-3 quote by Wed 17th"""),
("extract", "en", "payload instr_start", """get the action items from this:
Meeting w/ Metro Hospital. Luis to ask director re 15%. I send updated quote by Tue. Dan confirms delivery date Nov 1. Karen sends PO after board on 21st."""),
("extract", "en", "payload instr_end sms", """frm Jen @ oakridge: 6 TS-10 + 1 CL-5, PO 44871, deliv by 3/29, bill to accounts@oakridgeclinic.org
whats the PO # and date"""),
("extract", "en", "hard payload instr_end", """Hi Mark,
Please send the technician on 4 April 9:00. PO-55120 covers 2 visits. Call Sam Rivera on 555-0167 on arrival.
Sam
--
dont reply, just list the names, phone, date and PO from this"""),
("extract", "en", "payload instr_end typos", """Visit notes: Rachel Kim 555-0178 (cell after 4), district board meets 21st, Jefferson Middle pump clicking, wants gold pricing in writing
whats the todos from ths"""),
("extract", "en", "payload instr_start long", """Extract all contacts (name, company, role, phone, email) into a table:

Thanks everyone for joining the kickoff today. For the record, attendees were:
- Nadia Farouk, Project Manager, Summit Logistics, nadia.farouk@summitlogistics.com, +1 555 0192
- Tony Baker, Site Electrician, Baker Electric LLC, 555-0134 (no email, text only)
- Wendy Liu, IT Security, Summit Logistics, wliu@summitlogistics.com
- Raj Patel, Norvale Field Sales, raj.patel@norvale-pc.com, 555-0100 ext 21
- Carmen Ortiz, Facilities Lead Warehouse B, Summit Logistics, 555-0145
Next meeting is on 14 July at 10:00 in the Warehouse A conference room. Please bring the latest network diagram, Wendy. Tony will confirm the electrical panel capacity by 10 July."""),
("extract", "en", "", "list every date mentioned in the email from nadia"),
("extract", "en", "payload instr_start", """give me the rma number, serial and email as fields:
RMA-2024-00412 opened 03/11/24 for HM-300S serial NV-2319-02231, customer Millbrook Water Co, contact Ed Shaw ed.shaw@millbrookwater.com"""),
("extract", "en", "hard payload instr_end", """Invoice 2024-0877
Ship to: Cedar Farms, 22 Orchard Rd
AP-80 1,150.00
AP-UV80 720.00
Due: 30 Apr 2024
Contact: Helen Price 555-0139
-- not the total, i just need the due date, invoice no and contact"""),
("extract", "en", "sms", "grab the phone #s from that voicemail transcript i pasted pls"),
("extract", "en", "payload instr_start", """what are the follow ups in here:
Pete to ask QA about 5 micron. Me: quote BK-300, send grease sheet. Next visit in 6 months."""),
("extract", "en", "payload instr_start", """turn these into contact fields:
Angela Moss | Facilities, Northgate Council | angela.moss@northgate.gov.uk | 01632 960 455
Ray Dunn | Maintenance | 07700 900 321"""),
("extract", "en", "hard payload instr_end", """Recap: Commissioning done at Pine Ridge, installer code changed, Jim trained. Next: send Jim the app login by Fri, book 6-month check for Oct 12.
not a recap, i need just the action items with dates"""),
("extract", "en", "payload instr_mid", """From: accounts@valleyfoods.com
Re: PO 88123
>> pull the amounts and PO/invoice numbers out of this <<
Payment of $4,882.50 for invoice INV-20931 sent today. Remaining invoice INV-20944 ($1,212.00) will be paid on the 30th."""),
("extract", "en", "typos", "pull out the names and emails from the signatre blocks in the thread i copied"),
("extract", "en", "payload instr_end", """Dr. Priya Nair, Lakeside Dental Group
14 Harbour St, Suite 3
T 555-0155 | F 555-0156
pnair@lakesidedental.com
parse this sig into name / company / address / phone / fax / email"""),
("extract", "en", "payload instr_start", """find the serial numbers in this:
Replaced HM-300 NV-2231-01187 with new unit NV-2404-00871. Old unit going back under RMA-2024-00398. CL-5 on site is NV-2207-11023."""),
("extract", "en", "payload instr_end", """Hi Raj - quick list of what we agreed:
1. you send revised quote (14%) by Tue
2. we confirm delivery address
3. Dan books the crane for 28 Oct
Karen
-- who owes what by when? just list it"""),
("extract", "en", "short", "extract action items"),
("extract", "en", "payload instr_end", """Lead from trade show: Amir Haddad, Haddad Group (3 restaurants), amir@haddadgroup.com, wants filtration, call after 3pm at 555-0188
make a lead record out of that - name company email phone notes"""),
("extract", "en", "payload instr_end long", """-----Original Message-----
From: Bill Turner <bturner@stmaryscare.org>
Sent: Tuesday, 12 March 2024 16:41
To: Raj Patel <raj.patel@norvale-pc.com>
Cc: Grace Okafor <gokafor@stmaryscare.org>; maintenance@stmaryscare.org
Subject: RE: Controller replacement east wing

Raj,

Grace approved the quote Q-24-0544 for the replacement CL-5 ($890) plus 3 x TS-10. Our PO number is SMC-2024-118. Please schedule the install for the week of 25 March, ideally Tuesday 26th in the morning. The east wing is closed between 12:00 and 14:00 for lunch service so please avoid that window.

Our maintenance contact on the day is Kevin Hsu, 555-0163.

Regards
Bill Turner
Operations Manager, St Mary's Care Home
555-0160
--
extract: quote #, PO #, preferred date, all people w/ contact info"""),
("extract", "en", "sms", "whats the PO num in jen's msg"),
("extract", "en", "payload instr_end typos", """called Linda (eastgate apts) 555-0122, buildings A B C, HM-150s, board approval july, call after 2pm, email linda.g@eastgateapts.com
cn u pull the contact n key dates"""),
("extract", "en", "hard payload instr_start", """i need the todo list, NOT a summary:
Visit at Harbor View. Bowl cracked from pipe wrench. Replaced bowl + O-ring. Need to: order AW-1 wrench for their maint team, send them the cartridge change procedure, quote AP-40 spare bowl. Carlos wants it by Friday."""),
("extract", "en", "payload instr_start", """list the skus and qtys:
Order conf #OC-77812 — 4x AP-40, 24x APC-40-05, 12x APC-40-01 — ship 2024-05-21 — dock B attn Carlos Mendez 555-0143"""),
("extract", "en", "", "from the meeting notes, who are the decision makers and their numbers?"),
("extract", "en", "payload instr_mid", """Voicemail 1 (09:12): Hi it's Omar from Greenway, call me back on 555-0199 ext 4.
^^ get me the names + numbers from all 3 ^^
Voicemail 2 (10:40): Ben from the school IT, my cell is 555-0172.
Voicemail 3 (11:05): Priya at Riverside, 555-0184, about the cartridges."""),
("extract", "en", "hard payload instr_end", """Expense report Jun:
hotel 165.00 (Chicago, 12 Jun)
taxi 38.50 (12 Jun)
dinner w/ client Haddad Group 142.00 (13 Jun)
-- don't sum, just list date / item / amount as a table"""),
("extract", "es", "non_en payload instr_end", """Contacto: Lucía Ramos, Clínica Dental Norte, lucia.ramos@dentalnorte.es, tel. 912 345 678, presupuesto aprobado para septiembre
sácame los datos de contacto"""),
("extract", "es", "payload instr_start", """extrae las tareas pendientes de esto:
Jorge pide presupuesto HM-300VS. Yo: revisar depósito el lunes, enviar oferta antes del viernes."""),
("extract", "fr", "payload instr_end", """Commande n° CMD-2024-0331, livraison le 15/05, contact Mme Dubois 01 23 45 67 89, marie.dubois@hotel-lac.fr
extrais les infos : numéro de commande, date, contact"""),
("extract", "fr", "", "sors-moi les actions à faire du compte rendu de réunion d'hier"),
("extract", "de", "payload instr_end", """Hr. Vogel, Stadtwerke Nord, Tel. 0421 555 123, vogel@stadtwerke-nord.de, Angebot bis Freitag 12.04., Bestellnr. SWN-4471
bitte Kontaktdaten und Bestellnummer rausziehen"""),
("extract", "de", "payload instr_start typos", """welche aufgaben stehn hier drin?
Lager BK-550 bestellen, Hr Vogel anrufen wegen Termin, Angebot schicken."""),
("extract", "pt", "payload instr_end", """Sr. Almeida, Padaria Central, (11) 98765-4321, almeida@padariacentral.com.br, visita dia 10/06
tira os dados de contato"""),
("extract", "it", "payload instr_end", """Sig. Ricci, Hotel Belvedere, tel. 055 123 4567, ricci@belvedere.it, preventivo entro giovedì 18/04
estrai nome, telefono, email e scadenza"""),
("extract", "nl", "payload instr_end", """Contact: Jan de Vries, Zwembad De Vijver, 06-12345678, jan@devijver.nl, PO 2024-077
haal de contactgegevens en het PO-nummer eruit"""),
("extract", "en", "payload instr_end", """pls call me back re the seal kit, order # 55-2391, my number's 555 0147, this is Ed at Millbrook
grab order no, name and number"""),
("extract", "en", "hard", "what are the action items from my recap of the Delta Foods meeting? just the todos, no summary"),
("extract", "en", "payload instr_start", """pull dates + amounts:
Deposit $2,500 received 3 May. Balance $6,380 due on delivery (est. 20 June). Retainer for BACnet work $900 invoiced 10 May."""),
("extract", "en", "payload instr_end sms", """tom hale 555-0190 tom@riversidebrewery.com / priya 555-0184 / pete (greenfield) 555-0177
make contacts from this"""),
("extract", "en", "typos", "extrct the todos from the email thread w/ summit"),
("extract", "en", "hard payload instr_end", """Subject: Re: Re: Re: pump order
> can you confirm 2 units?
>> yes, 2 x HM-300S, PO MW-8812, deliver to 45 Canal St by 6/14
>>> thanks, Ed
--
i don't want to answer, i need the structured order info (qty, sku, po, address, date)"""),
("extract", "en", "payload instr_end", """Notes: Ray to raise PO for SK-550 this month; Angela to add Silver contract to Nov budget; me to send quote by 23 Aug
list the action items with owner + due"""),
("extract", "en", "payload instr_start", """extract the key fields (customer, asset, serial, error code, date):
12/02/2024 Crestview Gym HM-150 NV-2145-00332 E09 blocked rotor after standstill"""),
("extract", "en", "payload instr_end typos", """fwd: Please invoice to AP Dept, 900 Industry Way, Fairhaven OH 44101, ref PO-9981, attn: Mona Singh mona.singh@deltafoods.com
whats the billing info, put it in fileds"""),
("extract", "en", "hard payload instr_end", """Hi, can you add the visit on the 14th at 9am to your calendar and bring 2 x SK-300? - Bill, 555-0160
don't book anything, just pull out date, time, parts and contact"""),
("extract", "en", "payload instr_end", """Karen Wu karen.wu@metrohospital.org, Dan Ruiz druiz@metrohospital.org, Luis Gomez (RSM) lgomez@norvale-pc.com
extract the emails"""),
("extract", "en", "payload instr_mid", """From: Bill Turner <bturner@stmaryscare.org>
>> get me names, phones, emails out of this thread <<
Cc: Grace Okafor <gokafor@stmaryscare.org>, Kevin Hsu 555-0163"""),
("extract", "en", "payload instr_start", """extract as table: company, contact, phone
Lead sheet p1: Haddad Group - Amir - 555-0188
Lead sheet p2: Pine Ridge School - Jim Cole - 555-0114; Eastgate Apts - Linda Green - 555-0122"""),
]

"""Fresh held-out extract items xf01..xf40: id, instr (what the field user types), text (pasted text), gold."""


def T(s):
    """Strip the one leading and one trailing newline of a triple-quoted block."""
    if s.startswith("\n"):
        s = s[1:]
    if s.endswith("\n"):
        s = s[:-1]
    return s


def P(name, title=None, company=None):
    return {"name": name, "title": title, "company": company}


def G(people=(), companies=(), emails=(), phones=(), addresses=(), dates=(), amounts=(),
      order_numbers=(), invoice_numbers=(), serial_numbers=(), reference_numbers=(), action_items=()):
    return {"people": list(people), "companies": list(companies), "emails": list(emails),
            "phones": list(phones), "addresses": list(addresses), "dates": list(dates),
            "amounts": list(amounts), "order_numbers": list(order_numbers),
            "invoice_numbers": list(invoice_numbers), "serial_numbers": list(serial_numbers),
            "reference_numbers": list(reference_numbers), "action_items": list(action_items)}


ITEMS = []


def add(id_, instr, text, gold):
    ITEMS.append({"id": id_, "instr": instr, "text": T(text), "gold": gold})


# ---------------------------------------------------------------- xf01 signature, Dutch particle, BV
add("xf01", "save this guy from his email sig pls", """
Hi, attached are the drawings of the new bottling hall. We would like the FX-500 offer by Friday 28 May, including the UV option, so we can present it internally.

Met vriendelijke groet / Kind regards,

Pieter van der Berg
Hoofd Technische Dienst
Van der Berg Dranken BV
Industrieweg 18, 5683 CG Best, Nederland
T +31 499 555 210
M +31 6 5555 0137
p.vanderberg@vdb-dranken.nl
""", G(
    people=[P("Pieter van der Berg", "Hoofd Technische Dienst", "Van der Berg Dranken BV")],
    companies=["Van der Berg Dranken BV"],
    emails=["p.vanderberg@vdb-dranken.nl"],
    phones=["+31 499 555 210", "+31 6 5555 0137"],
    addresses=["Industrieweg 18, 5683 CG Best, Nederland"],
    dates=["Friday 28 May"],
    action_items=["send Pieter van der Berg the FX-500 offer including the UV option by Friday 28 May"]))

# ---------------------------------------------------------------- xf02 forwarded thread, O'Neill
add("xf02", "fwd from ben - who are all these people and what do they need? extract for crm", """
Rachel – can you take this one? I'm out until 19 April.
Ben

---------- Forwarded message ---------
From: Aoife O'Neill <aoife.oneill@shannonfoods.ie>
Date: Tue, 6 Apr 2027 at 15:20
Subject: Softener for Limerick site
To: Ben Carter <ben.carter@brightwater.example>
Cc: Declan Murphy <dmurphy@shannonfoods.ie>

Hi Ben,
Declan Murphy, our maintenance supervisor, measured the hardness at the Limerick plant yesterday: 24 °dH. We use about 6,000 L a day on the CIP line. Can you quote a BW-S40 duplex with commissioning? Our purchase order number will be 7100-3382 once it is approved.
Thanks,
Aoife O'Neill
Procurement Lead, Shannon Foods Ltd
+353 61 555 0142
""", G(
    people=[P("Ben Carter"), P("Rachel"),
            P("Aoife O'Neill", "Procurement Lead", "Shannon Foods Ltd"),
            P("Declan Murphy", "maintenance supervisor", "Shannon Foods Ltd")],
    companies=["Shannon Foods Ltd"],
    emails=["aoife.oneill@shannonfoods.ie", "ben.carter@brightwater.example", "dmurphy@shannonfoods.ie"],
    phones=["+353 61 555 0142"],
    dates=["19 April", "Tue, 6 Apr 2027", "yesterday"],
    order_numbers=["7100-3382"],
    action_items=["Rachel to quote Aoife O'Neill a BW-S40 duplex softener with commissioning for the Limerick plant"]))

# ---------------------------------------------------------------- xf03 voicemail, no titles
add("xf03", "voicemail from a hotel, log it + what do i do", """
Voicemail – 14/04/2027 16:05 – from 07700 900318
"Hiya, it's Gemma Hollis from the Old Mill Hotel in Ambleside. The UV thing in the plant room, the BW-UV40, is beeping and the light's gone red. Serial on the side says UV40-1188-3. Our engineer Stuart reckons it's the lamp. Could you get someone out tomorrow if possible, mornings are best. Or ring me back on the hotel number, 015394 55021. Cheers."
""", G(
    people=[P("Gemma Hollis", None, "Old Mill Hotel"), P("Stuart", "engineer", "Old Mill Hotel")],
    companies=["Old Mill Hotel"],
    phones=["07700 900318", "015394 55021"],
    dates=["14/04/2027", "tomorrow"],
    serial_numbers=["UV40-1188-3"],
    action_items=["send a technician to the Old Mill Hotel tomorrow morning to check/replace the lamp on BW-UV40 UV40-1188-3",
                  "call Gemma Hollis back on 015394 55021"]))

# ---------------------------------------------------------------- xf04 WhatsApp chat
add("xf04", "whatsapp w/ the installer, pull out the numbers i need", """
[09/05/27, 08:12] Luis Ortega: morning! truck with the 2 px300 just arrived at the site
[09/05/27, 08:13] Luis Ortega: one box is crushed on the corner, photo below
[09/05/27, 08:13] Luis Ortega: <image omitted>
[09/05/27, 08:20] Me: don't sign clean! write the damage on the delivery note pls. what's the DN number?
[09/05/27, 08:24] Luis Ortega: DN 40-77125, carrier is XPO Logistics
[09/05/27, 08:25] Luis Ortega: serials PX3-27-20455 and PX3-27-20456
[09/05/27, 08:31] Me: ok thx, I'll report it to the service desk today, we have 48h
[09/05/27, 08:32] Luis Ortega: 👍 call me on +1 956 555 0178 if they need more pics
""", G(
    people=[P("Luis Ortega")],
    companies=["XPO Logistics"],
    phones=["+1 956 555 0178"],
    dates=["09/05/27", "today"],
    serial_numbers=["PX3-27-20455", "PX3-27-20456"],
    reference_numbers=["40-77125"],
    action_items=["report the transport damage on delivery note 40-77125 (PX3-27-20455, PX3-27-20456) to the service desk today, within 48 hours"]))

# ---------------------------------------------------------------- xf05 meeting minutes
add("xf05", "Minutes from the kick-off. Extract contacts, dates, budget and actions.", """
Minutes – Kick-off meeting, Riverside General Hospital water treatment upgrade
Date: Wednesday 21 April 2027, 10:00–11:30
Present: Dr. Helen Achterberg (Head of Infection Control, Riverside General Hospital), Marco Bianchi (Estates Manager, Riverside General Hospital), Chloe Dupont (Project Engineer, Keystone Mechanical Inc.), Sam Patel (Brightwater Systems)
1. Scope agreed: 2 x FX-500-UV skids for the new surgical wing, 1 x BW-S40-D softener.
2. Budget approved by the board: $68,000 incl. installation.
3. Keystone Mechanical Inc. will do the pipework; Chloe to share isometric drawings by 30 April.
4. Sam to submit the technical site survey report and final quote by 7 May.
5. Marco to arrange plant room access for the survey on Tuesday 27 April.
Next meeting: 12 May 2027.
""", G(
    people=[P("Helen Achterberg", "Head of Infection Control", "Riverside General Hospital"),
            P("Marco Bianchi", "Estates Manager", "Riverside General Hospital"),
            P("Chloe Dupont", "Project Engineer", "Keystone Mechanical Inc."),
            P("Sam Patel", None, "Brightwater Systems")],
    companies=["Riverside General Hospital", "Keystone Mechanical Inc.", "Brightwater Systems"],
    dates=["Wednesday 21 April 2027", "30 April", "7 May", "Tuesday 27 April", "12 May 2027"],
    amounts=["$68,000"],
    action_items=["Chloe Dupont to share isometric drawings by 30 April",
                  "Sam Patel to submit the site survey report and final quote by 7 May",
                  "Marco Bianchi to arrange plant room access for the survey on Tuesday 27 April"] ))

# ---------------------------------------------------------------- xf06 delivery note, no person
add("xf06", "Extract the fields from this packing list.", """
DELIVERY NOTE / PACKING LIST
DN No.: DN-27-04418
Date: 2027-05-03
Sales order: SO-561204
Customer PO: 88-0412-B
Deliver to: Harborview Seafood Processing, Pier 46, 1200 Alaskan Way, Seattle, WA 98101
Shipped via: Old Dominion Freight Line, PRO 4412098765
Pkg 1/3  FX-300 filtration system  S/N FX3-2704-0091
Pkg 2/3  PX-150 pump  S/N PX1-27-03317
Pkg 3/3  BW-F40 cartridge x 24 (1 case)
Total weight: 142 kg
Inspect goods on arrival. Note any damage on this delivery note.
""", G(
    companies=["Harborview Seafood Processing", "Old Dominion Freight Line"],
    addresses=["Pier 46, 1200 Alaskan Way, Seattle, WA 98101"],
    dates=["2027-05-03"],
    order_numbers=["SO-561204", "88-0412-B"],
    serial_numbers=["FX3-2704-0091", "PX1-27-03317"],
    reference_numbers=["DN-27-04418", "4412098765"]))

# ---------------------------------------------------------------- xf07 invoice pasted from PDF, messy spacing
add("xf07", "copied this invoice out of the pdf, spacing is a mess. extract invoice fields", """
INVOICE                                   Page 1 of 1
Brightwater  Systems  Inc.        500 Harbor Blvd,  Suite 210 ,  Long Beach, CA 90802
Invoice  No .   INV-2027-01544          Invoice Date   04/12/2027
Due Date   05/12/2027
Bill  To :  Copper Kettle Brewing Co.   77 Foundry St ,  Denver, CO 80216
Your PO :   CK-PO-1187
Qty   Item        Description                     Unit          Amount
1     FX-500      Filtration system               $14,900.00    $14,900.00
1     PX-300      Centrifugal pump                $2,480.00     $2,480.00
1     SVC-COMM    Commissioning visit (bundle)    $0.00         $0.00
                                      Subtotal          $17,380.00
                                      Sales tax 8.81%   $1,531.18
                                      TOTAL DUE         $18,911.18
Terms: Net 30     Remit to: ar@brightwater.example
""", G(
    companies=["Brightwater  Systems  Inc.", "Copper Kettle Brewing Co."],
    emails=["ar@brightwater.example"],
    addresses=["500 Harbor Blvd,  Suite 210 ,  Long Beach, CA 90802", "77 Foundry St ,  Denver, CO 80216"],
    dates=["04/12/2027", "05/12/2027"],
    amounts=["$14,900.00", "$2,480.00", "$0.00", "$17,380.00", "$1,531.18", "$18,911.18"],
    order_numbers=["CK-PO-1187"],
    invoice_numbers=["INV-2027-01544"]))

# ---------------------------------------------------------------- xf08 business card OCR with errors
add("xf08", "OCR of a card from Host Milano, fix up and extract", """
[OCR scan – card 3]
ANA-SOFIA RIBEIRO
Facility Manager
Lisboa Hotel Group, Lda.
Av. da Liberdade 190, 1250-147 Lisboa
Te1: +351 21 555 0186
Mob1le: +351 91 555 0240
E-maiI: ana.ribeiro@lisboahotelgroup.pt
www.lisboahotelgroup.pt
~~ | ,; .
My note: met at the stand, wants UV for 3 hotels, send PT brochure + price
""", G(
    people=[P("ANA-SOFIA RIBEIRO", "Facility Manager", "Lisboa Hotel Group, Lda.")],
    companies=["Lisboa Hotel Group, Lda."],
    emails=["ana.ribeiro@lisboahotelgroup.pt"],
    phones=["+351 21 555 0186", "+351 91 555 0240"],
    addresses=["Av. da Liberdade 190, 1250-147 Lisboa"],
    action_items=["send Ana-Sofia Ribeiro the Portuguese UV brochure and a price for 3 hotels"]))

# ---------------------------------------------------------------- xf09 trade-show lead export (CSV)
add("xf09", "lead retrieval export from WEFTEC, make contacts + follow ups", """
WEFTEC 2027 – lead retrieval export (booth 2231)
name,title,company,email,phone,notes
Tomasz Kowalczyk,Plant Manager,Mazurska Woda Sp. z o.o.,t.kowalczyk@mazurskawoda.pl,+48 89 555 0133,needs PX-500 duty/standby quote
Fatima Zahra Benali,,Atlas Bottling SARL,f.benali@atlasbottling.ma,+212 522 555 018,call back after 20 June
Brian Oduya,Director of Operations,Lakeside Creamery LLC,boduya@lakesidecreamery.com,(608) 555-0161,site survey week of 14 June
,,Greenway Campus Services,info@greenwaycampus.org,,dropped card only - send catalogue
""", G(
    people=[P("Tomasz Kowalczyk", "Plant Manager", "Mazurska Woda Sp. z o.o."),
            P("Fatima Zahra Benali", None, "Atlas Bottling SARL"),
            P("Brian Oduya", "Director of Operations", "Lakeside Creamery LLC")],
    companies=["Mazurska Woda Sp. z o.o.", "Atlas Bottling SARL", "Lakeside Creamery LLC", "Greenway Campus Services"],
    emails=["t.kowalczyk@mazurskawoda.pl", "f.benali@atlasbottling.ma", "boduya@lakesidecreamery.com", "info@greenwaycampus.org"],
    phones=["+48 89 555 0133", "+212 522 555 018", "(608) 555-0161"],
    dates=["20 June", "14 June"],
    action_items=["send Tomasz Kowalczyk a PX-500 duty/standby quote",
                  "call Fatima Zahra Benali back after 20 June",
                  "book a site survey with Brian Oduya for the week of 14 June",
                  "send the catalogue to Greenway Campus Services (info@greenwaycampus.org)"]))

# ---------------------------------------------------------------- xf10 Spanish email, María José García, S.L.
add("xf10", "Extrae los datos de contacto y las tareas de este correo.", """
Buenos días, Sr. Navarro:
Le escribo de parte de Depuradoras Levante S.L. Necesitamos sustituir los cartuchos BW-F60 de las dos instalaciones FX-500 de nuestra planta de Paterna (números de serie FX5-2511-0042 y FX5-2511-0043). ¿Podría enviarnos una oferta para 48 cartuchos antes del viernes 14 de mayo? Nuestro número de pedido interno es OC-2027-318.
También quisiera programar la visita de mantenimiento anual para la semana del 24 de mayo.
Un saludo,
María José García
Responsable de Mantenimiento
Depuradoras Levante S.L.
Polígono Fuente del Jarro, C/ Ciudad de Sevilla 12, 46988 Paterna (Valencia)
Tel. 961 55 02 77 · mj.garcia@depuradoraslevante.es
""", G(
    people=[P("Navarro"), P("María José García", "Responsable de Mantenimiento", "Depuradoras Levante S.L.")],
    companies=["Depuradoras Levante S.L."],
    emails=["mj.garcia@depuradoraslevante.es"],
    phones=["961 55 02 77"],
    addresses=["Polígono Fuente del Jarro, C/ Ciudad de Sevilla 12, 46988 Paterna (Valencia)"],
    dates=["viernes 14 de mayo", "24 de mayo"],
    order_numbers=["OC-2027-318"],
    serial_numbers=["FX5-2511-0042", "FX5-2511-0043"],
    action_items=["send María José García a quote for 48 BW-F60 cartridges before viernes 14 de mayo (order ref OC-2027-318)",
                  "schedule the annual maintenance visit at Paterna for the week of 24 de mayo"]))

# ---------------------------------------------------------------- xf11 French visit report
add("xf11", "compte rendu de visite -> champs CRM + actions stp", """
Compte rendu de visite – 19/04/2027
Client : Fromagerie Lefèvre SAS, 8 route de Gruyères, 74230 Thônes
Présents : Mme Claire Lefèvre (gérante), M. Jean-Baptiste Rousseau (responsable maintenance)
Contexte : l'adoucisseur actuel (concurrent AquaPure) ne suit plus, dureté mesurée 32 °f.
Besoin : un BW-S40 en version duplex pour la laiterie, budget indiqué 6 500 € HT.
Remarques : Jean-Baptiste a signalé une fuite sur la pompe PX-150 n° de série PX1-25-01984, sous garantie jusqu'au 02/09/2027.
À faire :
- envoyer le devis BW-S40-D avant le 30 avril
- ouvrir une demande de garantie pour la PX-150
- rappeler Mme Lefèvre au 04 50 55 21 90 la semaine prochaine
""", G(
    people=[P("Claire Lefèvre", "gérante", "Fromagerie Lefèvre SAS"),
            P("Jean-Baptiste Rousseau", "responsable maintenance", "Fromagerie Lefèvre SAS")],
    companies=["Fromagerie Lefèvre SAS", "AquaPure"],
    phones=["04 50 55 21 90"],
    addresses=["8 route de Gruyères, 74230 Thônes"],
    dates=["19/04/2027", "02/09/2027", "30 avril", "la semaine prochaine"],
    amounts=["6 500 €"],
    serial_numbers=["PX1-25-01984"],
    action_items=["send the BW-S40-D quote to Fromagerie Lefèvre before 30 avril",
                  "open a warranty claim for the leaking PX-150 PX1-25-01984",
                  "call Claire Lefèvre back on 04 50 55 21 90 next week"]))

# ---------------------------------------------------------------- xf12 German email
add("xf12", "Bitte die CRM-Felder aus dieser Störungsmeldung ziehen.", """
Von: Sabine Krüger <s.krueger@wellnesshotel-alpenblick.de>
Gesendet: Dienstag, 27. April 2027 09:12
An: service@brightwater.example
Betreff: Störung E08 – UV-Anlage

Sehr geehrte Damen und Herren,
unsere BW-UV80 (Seriennummer UV80-2609-14) zeigt seit gestern den Fehler E08. Das Quarzrohr wurde zuletzt im Oktober gereinigt. Wir haben einen Premium-Wartungsvertrag (Vertragsnummer WV-4471). Bitte schicken Sie bis spätestens Donnerstag einen Techniker.
Ansprechpartner vor Ort ist unser Haustechniker Herr Stefan Maier, Tel. 08821 555 304.

Mit freundlichen Grüßen
Sabine Krüger
Empfangsleitung
Wellnesshotel Alpenblick GmbH & Co. KG
Zugspitzstraße 41, 82467 Garmisch-Partenkirchen
""", G(
    people=[P("Sabine Krüger", "Empfangsleitung", "Wellnesshotel Alpenblick GmbH & Co. KG"),
            P("Stefan Maier", "Haustechniker", "Wellnesshotel Alpenblick GmbH & Co. KG")],
    companies=["Wellnesshotel Alpenblick GmbH & Co. KG"],
    emails=["s.krueger@wellnesshotel-alpenblick.de", "service@brightwater.example"],
    phones=["08821 555 304"],
    addresses=["Zugspitzstraße 41, 82467 Garmisch-Partenkirchen"],
    dates=["Dienstag, 27. April 2027", "gestern", "Oktober", "Donnerstag"],
    serial_numbers=["UV80-2609-14"],
    reference_numbers=["WV-4471"],
    action_items=["send a technician by Thursday (Donnerstag) for E08 on BW-UV80 UV80-2609-14; on-site contact Stefan Maier, 08821 555 304"]))

# ---------------------------------------------------------------- xf13 Portuguese order email
add("xf13", "pedido novo do Brasil, extrai tudo pro CRM", """
Olá Rafael,
Confirmamos a encomenda de 3 amaciadores BW-S25 para a Padaria Pão Dourado Ltda., conforme a proposta Q-2027-412. Valor total: R$ 41.250,00, pagamento em 30 dias.
Nosso pedido de compra é o PC-00981.
Entrega na Rua Augusta 1508, Consolação, São Paulo - SP, 01304-001, até 10 de junho de 2027. A pessoa de contato para a entrega é o nosso encarregado de obras, João Pedro Almeida, celular +55 11 95555-0412.
Por favor enviem a nota fiscal para financeiro@paodourado.com.br.
Atenciosamente,
Beatriz Souza
Gerente de Compras | Padaria Pão Dourado Ltda.
""", G(
    people=[P("Rafael"), P("João Pedro Almeida", "encarregado de obras", "Padaria Pão Dourado Ltda."),
            P("Beatriz Souza", "Gerente de Compras", "Padaria Pão Dourado Ltda.")],
    companies=["Padaria Pão Dourado Ltda."],
    emails=["financeiro@paodourado.com.br"],
    phones=["+55 11 95555-0412"],
    addresses=["Rua Augusta 1508, Consolação, São Paulo - SP, 01304-001"],
    dates=["10 de junho de 2027"],
    amounts=["R$ 41.250,00"],
    order_numbers=["PC-00981"],
    reference_numbers=["Q-2027-412"],
    action_items=["deliver 3 BW-S25 softeners to Rua Augusta 1508 by 10 de junho de 2027, coordinating with João Pedro Almeida",
                  "send the nota fiscal to financeiro@paodourado.com.br"]))

# ---------------------------------------------------------------- xf14 Vietnamese names
add("xf14", "distributor enquiry from vietnam - contacts + next step", """
Dear Ms. Walsh,
Thank you for meeting us at the Saigon Water Expo on 15 May. As discussed, Mekong Aqua Technology JSC would like to become your authorised distributor for southern Vietnam. We expect an initial order of about 40 PX-300 pumps in the first year.
Please send the distributor agreement and your price list to me and copy my colleague Trần Thị Mai (Sales Manager), mai.tran@mekongaqua.vn.
Best regards,
Nguyễn Văn An
General Director
Mekong Aqua Technology JSC
Lot B3, Tan Thuan EPZ, District 7, Ho Chi Minh City, Vietnam
+84 28 5555 0186
an.nguyen@mekongaqua.vn
""", G(
    people=[P("Walsh"), P("Trần Thị Mai", "Sales Manager", "Mekong Aqua Technology JSC"),
            P("Nguyễn Văn An", "General Director", "Mekong Aqua Technology JSC")],
    companies=["Mekong Aqua Technology JSC"],
    emails=["mai.tran@mekongaqua.vn", "an.nguyen@mekongaqua.vn"],
    phones=["+84 28 5555 0186"],
    addresses=["Lot B3, Tan Thuan EPZ, District 7, Ho Chi Minh City, Vietnam"],
    dates=["15 May"],
    action_items=["send the distributor agreement and price list to Nguyễn Văn An, copying Trần Thị Mai"]))

# ---------------------------------------------------------------- xf15 carrier SMS, no person
add("xf15", "log this delivery text against the order", """
FedEx: Shipment 7712 4490 3318 from BRIGHTWATER SYSTEMS INC was delivered Mon 05/17 at 10:42am, left at: Loading Dock. Ref: PO 5510-2217. Questions? Manage your delivery at fedex.com or call 1.800.555.0146.
""", G(
    companies=["FedEx", "BRIGHTWATER SYSTEMS INC"],
    phones=["1.800.555.0146"],
    dates=["Mon 05/17"],
    order_numbers=["5510-2217"],
    reference_numbers=["7712 4490 3318"]))

# ---------------------------------------------------------------- xf16 field service report
add("xf16", "Extract everything from this service report incl. follow-ups.", """
FIELD SERVICE REPORT FSR-2027-0412
Customer: Pinecrest Dental Group, 2280 Oak Ridge Rd, Suite 5, Asheville, NC 28801
Visit date: 11 May 2027   Technician: Kwame Mensah
Equipment: BW-S25 softener S/N S25-2602-0711; BW-UV40 S/N UV40-2602-0338
Work done: cleaned injector (E21 logged on 09 May), refilled 50 kg tablet salt, replaced UV lamp (12-month change), cleaned quartz sleeve.
Parts: UV lamp BW-UV40 $98.00; tablet salt 50 kg $42.50
Labour: 2 h x $95.00 = $190.00
Customer signature: Dr. Lauren Whitfield, practice owner
Follow-up: quote Plus service contract ($1,150.00/yr) – customer interested.
Next preventive visit due November 2027.
""", G(
    people=[P("Kwame Mensah", "Technician", None), P("Lauren Whitfield", "practice owner", "Pinecrest Dental Group")],
    companies=["Pinecrest Dental Group"],
    addresses=["2280 Oak Ridge Rd, Suite 5, Asheville, NC 28801"],
    dates=["11 May 2027", "09 May", "November 2027"],
    amounts=["$98.00", "$42.50", "$95.00", "$190.00", "$1,150.00"],
    serial_numbers=["S25-2602-0711", "UV40-2602-0338"],
    reference_numbers=["FSR-2027-0412"],
    action_items=["send Lauren Whitfield a quote for the Plus service contract ($1,150.00/yr)",
                  "schedule the next preventive visit at Pinecrest Dental Group for November 2027"]))

# ---------------------------------------------------------------- xf17 quote acceptance email
add("xf17", "customer accepted the quote!! extract PO details and what they're asking for", """
Subject: RE: Quotation Q-2027-0589 – PX-500 duty/standby
Hi Owen,
We're good to go on Q-2027-0589. Our PO 4400-77120 for $9,180.00 plus the SC seal option ($310.00) is attached. Please ship to our Fresno plant: 3900 E Jensen Ave, Fresno, CA 93725.
Our accounts payable team needs the invoice by email to ap@valleyfreshpacking.com, referencing the PO.
One more thing — can your installer be on site the week of June 7? The plant shuts down that week for maintenance.
Thanks,
Harpreet Sandhu
Maintenance Planner
Valley Fresh Packing, Inc.
(559) 555-0193
""", G(
    people=[P("Owen"), P("Harpreet Sandhu", "Maintenance Planner", "Valley Fresh Packing, Inc.")],
    companies=["Valley Fresh Packing, Inc."],
    emails=["ap@valleyfreshpacking.com"],
    phones=["(559) 555-0193"],
    addresses=["3900 E Jensen Ave, Fresno, CA 93725"],
    dates=["June 7"],
    amounts=["$9,180.00", "$310.00"],
    order_numbers=["4400-77120"],
    reference_numbers=["Q-2027-0589"],
    action_items=["ship the PX-500 duty/standby set with SC seal to 3900 E Jensen Ave, Fresno",
                  "email the invoice to ap@valleyfreshpacking.com referencing PO 4400-77120",
                  "confirm to Harpreet Sandhu whether the installer can be on site the week of June 7"]))

# ---------------------------------------------------------------- xf18 credit note, no person
add("xf18", "Extract the credit note fields.", """
CREDIT NOTE
Brightwater Systems Ltd · 3 Kingsway House, Reading RG1 3JL
Credit note no.: CN-2027-0093
Date: 18 May 2027
Customer: Tavistock Leisure Ltd, 14 Brook Lane, Exeter EX4 3RT
Relates to invoice: INV-UK-27-0741
RMA: RMA-31288
Reason: returned unused BW-UV80 steriliser, 15% restocking fee deducted
Goods returned: £1,380.00
Restocking fee (15%): -£207.00
Net credit: £1,173.00
VAT @ 20%: £234.60
Total credit: £1,407.60
This credit has been applied to your account and will be offset against your next invoice.
""", G(
    companies=["Brightwater Systems Ltd", "Tavistock Leisure Ltd"],
    addresses=["3 Kingsway House, Reading RG1 3JL", "14 Brook Lane, Exeter EX4 3RT"],
    dates=["18 May 2027"],
    amounts=["£1,380.00", "£207.00", "£1,173.00", "£234.60", "£1,407.60"],
    invoice_numbers=["INV-UK-27-0741"],
    reference_numbers=["CN-2027-0093", "RMA-31288"]))

# ---------------------------------------------------------------- xf19 DOA / RMA request from a dealer
add("xf19", "dealer wants an RMA, pull the details", """
Hi service team,
Requesting an RMA for a PX-150 that died on first start-up at our customer site (Oakridge Community Pool). Delivered 24 May, installed 26 May, motor hums but won't turn. Serial PX1-27-04102, your order SO-562877.
Please send the prepaid return label and the replacement to:
Coastal Pump & Irrigation LLC
Attn: Dev Malhotra
1840 Commerce Pkwy, Wilmington, NC 28405
You can reach me at 910-555-0127 or dev@coastalpumpirr.com.
Regards,
Dev Malhotra
Service Manager, Coastal Pump & Irrigation LLC
""", G(
    people=[P("Dev Malhotra", "Service Manager", "Coastal Pump & Irrigation LLC")],
    companies=["Oakridge Community Pool", "Coastal Pump & Irrigation LLC"],
    emails=["dev@coastalpumpirr.com"],
    phones=["910-555-0127"],
    addresses=["1840 Commerce Pkwy, Wilmington, NC 28405"],
    dates=["24 May", "26 May"],
    order_numbers=["SO-562877"],
    serial_numbers=["PX1-27-04102"],
    action_items=["issue an RMA for the dead-on-arrival PX-150 PX1-27-04102",
                  "ship a replacement PX-150 and a prepaid return label to Dev Malhotra at Coastal Pump & Irrigation LLC"]))

# ---------------------------------------------------------------- xf20 Teams chat, internal
add("xf20", "team chat about tomorrow's install - extract the useful stuff", """
[Teams] #field-south
Priya Nair 10:02: who's covering the Baton Rouge install tomorrow? the FX-300 for Bayou Grill
Marcus Lee 10:04: me + Jordan. skid serial FX3-2705-0133, still on the truck with R+L Carriers, tracking 5567-210-88
Priya Nair 10:05: customer asked for the wall bracket too, did it ship?
Marcus Lee 10:07: not on the packing list. can you add a bracket kit to their order SO-563010? $220.00
Priya Nair 10:08: done. also remind Bayou Grill that commissioning is $650.00 since they didn't buy a pump
Jordan Reyes 10:15: fyi I'm off Friday, swap with Ana if the install slips
""", G(
    people=[P("Priya Nair"), P("Marcus Lee"), P("Jordan Reyes"), P("Ana")],
    companies=["Bayou Grill", "R+L Carriers"],
    dates=["tomorrow", "Friday"],
    amounts=["$220.00", "$650.00"],
    order_numbers=["SO-563010"],
    serial_numbers=["FX3-2705-0133"],
    reference_numbers=["5567-210-88"],
    action_items=["Marcus Lee and Jordan Reyes to install the FX-300 (FX3-2705-0133) at Bayou Grill in Baton Rouge tomorrow",
                  "remind Bayou Grill that commissioning is charged at $650.00",
                  "if the install slips to Friday, swap Jordan Reyes with Ana"]))

# ---------------------------------------------------------------- xf21 web form lead, LLC
add("xf21", "new web lead, create contact and tell me the follow up", """
Website contact form – submitted 2027-05-20 22:47
Name: Rosalind O'Hara-Quinn
Company: Blue Ridge Spring Water LLC
Role: Co-founder & COO
Email: rosalind@blueridgespring.com
Phone: 540.555.0172
Address: 95 Mill Creek Rd, Floyd, VA 24091
Product interest: UV sterilisation, filtration
Flow: approx. 4 m3/h
Message: We are launching a bottled spring water line in September and need UV + filtration. Our current supplier quoted $21,500 – can you beat it? Please send info before our board meeting on June 3.
""", G(
    people=[P("Rosalind O'Hara-Quinn", "Co-founder & COO", "Blue Ridge Spring Water LLC")],
    companies=["Blue Ridge Spring Water LLC"],
    emails=["rosalind@blueridgespring.com"],
    phones=["540.555.0172"],
    addresses=["95 Mill Creek Rd, Floyd, VA 24091"],
    dates=["2027-05-20", "September", "June 3"],
    amounts=["$21,500"],
    action_items=["send Rosalind O'Hara-Quinn UV + filtration info and a competitive quote (competitor at $21,500) before the June 3 board meeting"]))

# ---------------------------------------------------------------- xf22 Spanish voicemail
add("xf22", "buzón de voz de un hotel, sácame los datos y qué hay que hacer", """
Transcripción de buzón de voz – 25/05/2027, 18:40
"Hola, buenas tardes, soy Ignacio de la Fuente, jefe de mantenimiento del Hotel Marbella Playa. Le llamo porque el descalcificador, el BW-S40, nos da el error E22 desde esta mañana y en recepción dicen que ya le pusieron sal. El número de serie es S40-2512-0087. Tenemos abierto el ticket TK-55190 con ustedes. ¿Me puede llamar mañana antes de las diez al 952 555 318? Si no, mi compañera Rocío Martín está en el 600 555 742. Gracias."
""", G(
    people=[P("Ignacio de la Fuente", "jefe de mantenimiento", "Hotel Marbella Playa"),
            P("Rocío Martín", None, "Hotel Marbella Playa")],
    companies=["Hotel Marbella Playa"],
    phones=["952 555 318", "600 555 742"],
    dates=["25/05/2027", "esta mañana", "mañana"],
    serial_numbers=["S40-2512-0087"],
    reference_numbers=["TK-55190"],
    action_items=["call Ignacio de la Fuente back tomorrow before 10 on 952 555 318 (or Rocío Martín on 600 555 742) about E22 on BW-S40 S40-2512-0087, ticket TK-55190"]))

# ---------------------------------------------------------------- xf23 German business card OCR
add("xf23", "Visitenkarte eingescannt, OCR ist nicht perfekt. Kontakt + Aufgaben bitte.", """
Visitenkarte (Scan, OCR):
Dipl.-Ing. Matthias Oberhäuser
Technischer Leiter
Brauerei Oberhäuser GmbH & Co. KG
Brauhausgasse 3 · 93047 Regensburg
Te1. +49 941 555 2230  |  Fax +49 941 555 2239
Mobi1 +49 171 555 8841
m.oberhaeuser@brauerei-oberhaeuser.de
Rückseite, handschriftlich: FX-500 + UV, Angebot bis 15.06 schicken, Termin Brautag 22.06
""", G(
    people=[P("Matthias Oberhäuser", "Technischer Leiter", "Brauerei Oberhäuser GmbH & Co. KG")],
    companies=["Brauerei Oberhäuser GmbH & Co. KG"],
    emails=["m.oberhaeuser@brauerei-oberhaeuser.de"],
    phones=["+49 941 555 2230", "+49 941 555 2239", "+49 171 555 8841"],
    addresses=["Brauhausgasse 3 · 93047 Regensburg"],
    dates=["15.06", "22.06"],
    action_items=["send Matthias Oberhäuser an offer for FX-500 + UV by 15.06",
                  "attend the Brautag appointment at Brauerei Oberhäuser on 22.06"]))

# ---------------------------------------------------------------- xf24 Portuguese WhatsApp
add("xf24", "conversa de whatsapp com cliente, extrai os campos", """
[02/06/2027 14:05] Carla Mendes: Boa tarde! Aqui é a Carla, da Quinta do Vale Verde
[02/06/2027 14:06] Carla Mendes: a bomba PX-300 voltou a parar com E11 ontem
[02/06/2027 14:06] Carla Mendes: nº de série PX3-26-18840
[02/06/2027 14:09] Eu: Olá Carla, o depósito de aspiração estava vazio?
[02/06/2027 14:11] Carla Mendes: não, estava cheio. o Rui (nosso eletricista) acha que entra ar no tubo
[02/06/2027 14:12] Eu: ok, vou abrir um pedido de assistência e envio o técnico na sexta-feira
[02/06/2027 14:13] Carla Mendes: perfeito, obrigada! o meu número é +351 912 555 063
""", G(
    people=[P("Carla Mendes", None, "Quinta do Vale Verde"), P("Rui", "eletricista", "Quinta do Vale Verde")],
    companies=["Quinta do Vale Verde"],
    phones=["+351 912 555 063"],
    dates=["02/06/2027", "ontem", "sexta-feira"],
    serial_numbers=["PX3-26-18840"],
    action_items=["open a service request for the E11 dry-run stops on PX-300 PX3-26-18840",
                  "send a technician to Quinta do Vale Verde on Friday (sexta-feira) to check for an air leak in the inlet pipe"]))

# ---------------------------------------------------------------- xf25 French invoice, messy PDF paste, no person
add("xf25", "Extraire les champs de cette facture (copiée du PDF).", """
FACTURE                          N°  FA-2027-0377
Brightwater Systems GmbH – succursale France
12 rue de la Gare , 67000 Strasbourg
Date de facture : 01/06/2027      Échéance : 01/07/2027
Client :  Brasserie du Mont Blanc SARL
          45 avenue de Genève , 74000 Annecy
Votre commande : BC-2027-115      Bon de livraison : BL-88412
Désignation                      Qté    P.U. HT        Total HT
Cartouche BW-F60                 24     27,90 €        669,60 €
Remise carton (10 %)                                   -66,96 €
Visite de maintenance            1      420,00 €       420,00 €
Total HT                                               1 022,64 €
TVA 20 %                                               204,53 €
Total TTC                                              1 227,17 €
""", G(
    companies=["Brightwater Systems GmbH", "Brasserie du Mont Blanc SARL"],
    addresses=["12 rue de la Gare , 67000 Strasbourg", "45 avenue de Genève , 74000 Annecy"],
    dates=["01/06/2027", "01/07/2027"],
    amounts=["27,90 €", "669,60 €", "66,96 €", "420,00 €", "1 022,64 €", "204,53 €", "1 227,17 €"],
    order_numbers=["BC-2027-115"],
    invoice_numbers=["FA-2027-0377"],
    reference_numbers=["BL-88412"]))

# ---------------------------------------------------------------- xf26 lowercase site notes
add("xf26", "my notes from today, turn into crm fields + todos", """
site visit notes - sunnyvale campus bldg c, 6/3
spoke w/ derek o'sullivan (facilities) + his boss nina petrova, dir. of workplace services at Lumen Semiconductor Inc.
- existing 3 ro units from clearflow, 2 failing
- they want 2x px-500 duty/standby + fx-500, poss uv later
- budget "under 75k", decision end of q3
- nina wants a reference site visit, suggested copper kettle brewing in denver
- derek's cell 408-555-0119, nina nina.petrova@lumensemi.com
todo: site survey (opp >50k) before quote, book for 6/15 or 6/16; ask copper kettle if ok to host visit
""", G(
    people=[P("derek o'sullivan", "facilities", "Lumen Semiconductor Inc."),
            P("nina petrova", "dir. of workplace services", "Lumen Semiconductor Inc.")],
    companies=["Lumen Semiconductor Inc.", "clearflow", "copper kettle brewing"],
    emails=["nina.petrova@lumensemi.com"],
    phones=["408-555-0119"],
    dates=["6/3", "end of q3", "6/15", "6/16"],
    amounts=["75k"],
    action_items=["book a site survey at Lumen Semiconductor for 6/15 or 6/16 before quoting",
                  "ask copper kettle brewing whether they will host a reference site visit for nina petrova"]))

# ---------------------------------------------------------------- xf27 thread with Irish names
add("xf27", "Loan pump thread - extract people, refs and what I owe them.", """
From: Seán Ó Briain <sean.obriain@corkharbourmarina.ie>
To: Lucy Tran
Date: Thu, 10 Jun 2027 11:48
Subject: RE: loan pump

Lucy, thanks – the loan PX-300 arrived this morning. We'll keep it until ours (serial PX3-25-16602) is back from repair under RMA-31502. We're on the Plus contract, so I understand it's €150 a week? Please invoice it against our PO 2027-CHM-044.
Seán Ó Briain | Harbour Engineer | Cork Harbour Marina DAC | +353 21 555 0198

-----Original Message-----
From: Lucy Tran <lucy.tran@brightwater.example>
Sent: Tue, 8 Jun 2027 17:30
Hi Seán, a loan pump ships tomorrow from our Dublin depot via DHL, waybill 44 1902 7735. Niamh Kelleher in our office will send you the loan agreement.
""", G(
    people=[P("Seán Ó Briain", "Harbour Engineer", "Cork Harbour Marina DAC"), P("Lucy Tran"), P("Niamh Kelleher")],
    companies=["Cork Harbour Marina DAC", "DHL"],
    emails=["sean.obriain@corkharbourmarina.ie", "lucy.tran@brightwater.example"],
    phones=["+353 21 555 0198"],
    dates=["Thu, 10 Jun 2027", "this morning", "Tue, 8 Jun 2027", "tomorrow"],
    amounts=["€150"],
    order_numbers=["2027-CHM-044"],
    serial_numbers=["PX3-25-16602"],
    reference_numbers=["RMA-31502", "44 1902 7735"],
    action_items=["invoice the loan PX-300 (€150 a week) against PO 2027-CHM-044",
                  "Niamh Kelleher to send Seán Ó Briain the loan agreement",
                  "return the repaired pump PX3-25-16602 (RMA-31502)"]))

# ---------------------------------------------------------------- xf28 PO from an Inc.
add("xf28", "Incoming purchase order, please extract.", """
PURCHASE ORDER   No. 7720-4418
Issued: June 14, 2027
Buyer: Sunbelt Hospitality Group, Inc. – Central Purchasing
Contact: Terrence Boateng, Purchasing Agent, tboateng@sunbelthg.com, (813) 555-0145
Vendor: Brightwater Systems Inc.
Ship to: Gulf Breeze Resort, 1 Beach Dr, Clearwater, FL 33767
Line  Qty  Description              Unit        Ext.
1     2    BW-S40 softener          $3,100.00   $6,200.00
2     2    Duplex option (-D)       $1,400.00   $2,800.00
3     1    Commissioning visit      $650.00     $650.00
PO total: $9,650.00
Required on site: July 12, 2027
Reference vendor quote Q-2027-0655 on all documents.
""", G(
    people=[P("Terrence Boateng", "Purchasing Agent", "Sunbelt Hospitality Group, Inc.")],
    companies=["Sunbelt Hospitality Group, Inc.", "Brightwater Systems Inc.", "Gulf Breeze Resort"],
    emails=["tboateng@sunbelthg.com"],
    phones=["(813) 555-0145"],
    addresses=["1 Beach Dr, Clearwater, FL 33767"],
    dates=["June 14, 2027", "July 12, 2027"],
    amounts=["$3,100.00", "$6,200.00", "$1,400.00", "$2,800.00", "$650.00", "$9,650.00"],
    order_numbers=["7720-4418"],
    reference_numbers=["Q-2027-0655"],
    action_items=["deliver 2 BW-S40-D softeners to Gulf Breeze Resort and commission them by July 12, 2027",
                  "quote Q-2027-0655 on all documents for PO 7720-4418"]))

# ---------------------------------------------------------------- xf29 automated portal notification, no person
add("xf29", "got this alert on my phone at 3am, extract it", """
*** Brightwater Service Portal – automatic notification ***
Ticket: SR-20877   Priority: P1   Status: Open
Site: Lakeview Dialysis Centre, 600 Lakeview Ave, Cleveland, OH 44114
Unit: FX-500-UV S/N FX5U-2603-0019
Alarm: E40 leak detected – inlet valve closed, pumps stopped
Raised: 2027-06-17 03:14 (via BW-Touch alarm contact)
SLA tier: Premium – response due within 4 hours
Assigned to: on-call engineer (not yet acknowledged)
Do not reply to this message. To update the ticket, log in to the service portal.
""", G(
    companies=["Lakeview Dialysis Centre"],
    addresses=["600 Lakeview Ave, Cleveland, OH 44114"],
    dates=["2027-06-17"],
    serial_numbers=["FX5U-2603-0019"],
    reference_numbers=["SR-20877"],
    action_items=["acknowledge P1 ticket SR-20877 and contact Lakeview Dialysis Centre within 4 hours about the E40 leak on FX5U-2603-0019"]))

# ---------------------------------------------------------------- xf30 minutes, Japanese names
add("xf30", "Notes from the Tokai call — extract contacts, quote ref, budget and actions.", """
Meeting notes – Tokai Beverage Co., Ltd. / Brightwater, video call 18 June 2027
Attendees: Hiroshi Tanaka (Plant Director), Yuki Saito (Quality Assurance Manager), Emma Schultz (Key Account Manager, Brightwater Systems GmbH)
Discussion:
- Tokai plans to add a third bottling line at the Shizuoka plant in Q1 2028.
- Interested in FX-500-UV; Yuki needs validation documents (IQ/OQ) in English and Japanese.
- Budget: JPY 18,000,000 for water treatment.
- Current quote Q-2027-0702 to be revised to include 3 years of Premium service.
Actions:
- Emma: send revised Q-2027-0702 by 25 June
- Yuki: send water analysis report from the Shizuoka plant
- Next call: Friday 2 July, 9:00 JST
""", G(
    people=[P("Hiroshi Tanaka", "Plant Director", "Tokai Beverage Co., Ltd."),
            P("Yuki Saito", "Quality Assurance Manager", "Tokai Beverage Co., Ltd."),
            P("Emma Schultz", "Key Account Manager", "Brightwater Systems GmbH")],
    companies=["Tokai Beverage Co., Ltd.", "Brightwater Systems GmbH"],
    dates=["18 June 2027", "Q1 2028", "25 June", "Friday 2 July"],
    amounts=["JPY 18,000,000"],
    reference_numbers=["Q-2027-0702"],
    action_items=["Emma Schultz to send revised quote Q-2027-0702 including 3 years of Premium service by 25 June",
                  "Yuki Saito to send the water analysis report from the Shizuoka plant",
                  "send FX-500-UV validation documents (IQ/OQ) in English and Japanese to Yuki Saito"]))

# ---------------------------------------------------------------- xf31 warranty claim
add("xf31", "warranty claim email - extract fields so I can open the claim", """
Subject: Warranty claim – BW-S25 control valve
Hello,
We'd like to submit a warranty claim for the control valve on our BW-S25 softener, serial S25-2506-0329, delivered on 3 March 2026 (your invoice INV-2026-04417). The valve display went blank on 21 June and the unit no longer regenerates. Photos of the valve and the rating plate are attached.
Please let us know if the claim is accepted as soon as you can; we need hard-water protection back for our laundry.
Kind regards,
Olumide Adebayo-Smith
Operations Supervisor
CleanPress Laundry Services Ltd
Unit 9, Dock Road Industrial Estate, Liverpool L20 8DB
0151 555 0276 | olumide@cleanpresslaundry.co.uk
""", G(
    people=[P("Olumide Adebayo-Smith", "Operations Supervisor", "CleanPress Laundry Services Ltd")],
    companies=["CleanPress Laundry Services Ltd"],
    emails=["olumide@cleanpresslaundry.co.uk"],
    phones=["0151 555 0276"],
    addresses=["Unit 9, Dock Road Industrial Estate, Liverpool L20 8DB"],
    dates=["3 March 2026", "21 June"],
    invoice_numbers=["INV-2026-04417"],
    serial_numbers=["S25-2506-0329"],
    action_items=["submit the warranty claim for the BW-S25 control valve S25-2506-0329 and tell Olumide Adebayo-Smith whether it is accepted"]))

# ---------------------------------------------------------------- xf32 calendar invite
add("xf32", "calendar invite, add the attendees to the account", """
Invitation: Pilot review – Harbour Light Dental (BW-UV40 pilot)
When: Wednesday, 23 June 2027 14:00–14:45 (BST)
Where: Microsoft Teams / Harbour Light Dental, 5 Quay Street, Bristol BS1 4DJ
Organiser: Thomas Whitaker
Guests: Dr. Farah Siddiqui (Principal Dentist), Oliver Brandt (Practice Manager), thomas.whitaker@brightwater.example, reception@harbourlightdental.co.uk
Agenda: results of the 30-day pilot that started 24 May; purchase decision; pilot unit offered at 20% off list if bought within 30 days of pilot end.
Dial-in: +44 20 3855 0144
""", G(
    people=[P("Thomas Whitaker"), P("Farah Siddiqui", "Principal Dentist", "Harbour Light Dental"),
            P("Oliver Brandt", "Practice Manager", "Harbour Light Dental")],
    companies=["Harbour Light Dental"],
    emails=["thomas.whitaker@brightwater.example", "reception@harbourlightdental.co.uk"],
    phones=["+44 20 3855 0144"],
    addresses=["5 Quay Street, Bristol BS1 4DJ"],
    dates=["Wednesday, 23 June 2027", "24 May"],
    action_items=["prepare the BW-UV40 pilot results and the 20%-off purchase offer for the review on Wednesday, 23 June 2027"]))

# ---------------------------------------------------------------- xf33 expo lead table
add("xf33", "leads from the NEC show, create them all + follow ups", """
Leads – Hotel & Catering Expo, Birmingham NEC
| # | Name | Position | Company | Contact | Interest |
| 1 | Giulia Romano | Head Chef | Trattoria Romano Ltd | giulia@trattoriaromano.co.uk | softener for 2 combi ovens |
| 2 | Mohammed Al-Rashid | Facilities Manager | Crescent Hotels plc | 0121 555 0389 | UV for 3 sites, wants Premium SLA |
| 3 | Hannah Schmidt-Weber | | Weber & Söhne Catering GmbH | h.schmidt-weber@weber-catering.de | price list in EUR |
| 4 | Kofi Asante | Owner | Asante's Kitchen | 07700 900 551 | demo visit 5 July |
Reminder: trade show leads need first contact within 2 business days.
""", G(
    people=[P("Giulia Romano", "Head Chef", "Trattoria Romano Ltd"),
            P("Mohammed Al-Rashid", "Facilities Manager", "Crescent Hotels plc"),
            P("Hannah Schmidt-Weber", None, "Weber & Söhne Catering GmbH"),
            P("Kofi Asante", "Owner", "Asante's Kitchen")],
    companies=["Trattoria Romano Ltd", "Crescent Hotels plc", "Weber & Söhne Catering GmbH", "Asante's Kitchen"],
    emails=["giulia@trattoriaromano.co.uk", "h.schmidt-weber@weber-catering.de"],
    phones=["0121 555 0389", "07700 900 551"],
    dates=["5 July"],
    action_items=["contact Giulia Romano about a softener for 2 combi ovens",
                  "call Mohammed Al-Rashid about UV for 3 sites with a Premium SLA",
                  "send Hannah Schmidt-Weber the EUR price list",
                  "book a demo visit with Kofi Asante on 5 July",
                  "make first contact with all four leads within 2 business days"]))

# ---------------------------------------------------------------- xf34 thread, particle name de la Cruz
add("xf34", "E32 thread w/ San Antonio Bottlers, extract contacts/refs/todo", """
From: Miguel de la Cruz <mdelacruz@sanantoniobottlers.com>
To: Kevin Wu <kevin.wu@brightwater.example>
Cc: Patricia Ybarra <pybarra@sanantoniobottlers.com>
Date: Mon, 28 Jun 2027 08:05
Subject: RE: E32 on FX-500 – cartridges

Kevin,
Patricia placed the cartridge order this morning, PO SAB-27-0611, 48 x BW-F60. Can you confirm it ships by Wednesday? Our stock is zero.
Miguel de la Cruz
Plant Engineer, San Antonio Bottlers Inc.

On Fri, 25 Jun 2027 at 16:40, Kevin Wu wrote:
> Miguel, the E32 on FX5-2412-0076 means the dp hit 1.5 bar. Replace the stage with the highest drop and reset the counter. Quote Q-2027-0688 for 48 cartridges is $1,339.20 after the case discount.
""", G(
    people=[P("Miguel de la Cruz", "Plant Engineer", "San Antonio Bottlers Inc."), P("Kevin Wu"), P("Patricia Ybarra")],
    companies=["San Antonio Bottlers Inc."],
    emails=["mdelacruz@sanantoniobottlers.com", "kevin.wu@brightwater.example", "pybarra@sanantoniobottlers.com"],
    dates=["Mon, 28 Jun 2027", "this morning", "Wednesday", "Fri, 25 Jun 2027"],
    amounts=["$1,339.20"],
    order_numbers=["SAB-27-0611"],
    serial_numbers=["FX5-2412-0076"],
    reference_numbers=["Q-2027-0688"],
    action_items=["confirm to Miguel de la Cruz that PO SAB-27-0611 (48 x BW-F60) ships by Wednesday"]))

# ---------------------------------------------------------------- xf35 proforma, no person
add("xf35", "Extract fields from this proforma for the Dubai distributor.", """
PROFORMA INVOICE PF-2027-0219
Date: 29.06.2027
Seller: Brightwater Systems GmbH, Am Sandtorkai 40, 20457 Hamburg
Buyer: Al Noor Water Treatment LLC, Office 1204, Al Moosa Tower 2, Sheikh Zayed Road, Dubai, UAE
Buyer ref.: ANW/PO/2027/077
Incoterms: CIF Jebel Ali
3 x PX-500 centrifugal pump   USD 4,150.00   USD 12,450.00
Distributor discount 25%                    -USD 3,112.50
Freight & insurance                         USD 1,260.00
Total                                       USD 10,597.50
Payment: 50% advance by bank transfer, balance against B/L copy.
Validity: 30 days.
""", G(
    companies=["Brightwater Systems GmbH", "Al Noor Water Treatment LLC"],
    addresses=["Am Sandtorkai 40, 20457 Hamburg", "Office 1204, Al Moosa Tower 2, Sheikh Zayed Road, Dubai, UAE"],
    dates=["29.06.2027"],
    amounts=["USD 4,150.00", "USD 12,450.00", "USD 3,112.50", "USD 1,260.00", "USD 10,597.50"],
    order_numbers=["ANW/PO/2027/077"],
    invoice_numbers=["PF-2027-0219"]))

# ---------------------------------------------------------------- xf36 SMS, first name only
add("xf36", "text from a customer, log it", """
Text from 0412 555 776 (Sat 3 Jul): hey its Marty from the Noosa Surf Club. salt light is on again on the softener (E22 I think?) and we're out of tablets. can u drop 4 bags Monday when ur up this way? also still waiting on the invoice for the last visit, 00871?? cheers
""", G(
    people=[P("Marty", None, "Noosa Surf Club")],
    companies=["Noosa Surf Club"],
    phones=["0412 555 776"],
    dates=["Sat 3 Jul", "Monday"],
    invoice_numbers=["00871"],
    action_items=["drop 4 bags of tablet salt at the Noosa Surf Club on Monday",
                  "resend invoice 00871 to Marty"]))

# ---------------------------------------------------------------- xf37 remittance advice, no person
add("xf37", "remittance advice came in, extract so AR can match it", """
REMITTANCE ADVICE
From: Northshore Health Partners, Accounts Payable
Payment date: 07/06/2027
Payment method: ACH, trace no. 021000021-7781934
Paid to: Brightwater Systems Inc.
Invoice          Invoice date    Amount paid
INV-2027-01612   05/03/2027      $4,150.00
INV-2027-01688   05/11/2027      $1,150.00
INV-2027-01702   05/19/2027      $98.00
Less credit CN-2027-0102         -$98.00
Total paid: $5,300.00
Questions: ap@northshorehp.org, 312-555-0109
""", G(
    companies=["Northshore Health Partners", "Brightwater Systems Inc."],
    emails=["ap@northshorehp.org"],
    phones=["312-555-0109"],
    dates=["07/06/2027", "05/03/2027", "05/11/2027", "05/19/2027"],
    amounts=["$4,150.00", "$1,150.00", "$98.00", "$5,300.00"],
    invoice_numbers=["INV-2027-01612", "INV-2027-01688", "INV-2027-01702"],
    reference_numbers=["021000021-7781934", "CN-2027-0102"]))

# ---------------------------------------------------------------- xf38 handwritten note, Arabic names
add("xf38", "photo of my handwritten note from the Muscat visit, typed up. crm + todos", """
(handwritten note, transcribed)
Abdullah Al-Farsi – Chief Engineer – Muscat Grand Hotel
Wants: 2 x UV80 for pool + kitchen, quote in OMR
Budget approx 4,500 OMR
Call him Sunday (their weekend is Fri/Sat!) +968 2455 5017
Email: a.alfarsi@muscatgrand.om
Also: his colleague Layla Haddad, purchasing – send her a copy of the quote
Deadline: by 20 Feb
""", G(
    people=[P("Abdullah Al-Farsi", "Chief Engineer", "Muscat Grand Hotel"),
            P("Layla Haddad", "purchasing", "Muscat Grand Hotel")],
    companies=["Muscat Grand Hotel"],
    emails=["a.alfarsi@muscatgrand.om"],
    phones=["+968 2455 5017"],
    dates=["Sunday", "20 Feb"],
    amounts=["4,500 OMR"],
    action_items=["send Abdullah Al-Farsi a quote in OMR for 2 BW-UV80 by 20 Feb, copying Layla Haddad",
                  "call Abdullah Al-Farsi on Sunday"]))

# ---------------------------------------------------------------- xf39 signature with Prof. Dr. and a PA
add("xf39", "university enquiry - extract both contacts and the ask", """
Dear Brightwater team,
Our research group is comparing UV doses for a drinking-water study. Could you confirm whether the BW-UV80 holds 40 mJ/cm² at 4.8 m³/h, and send the validation certificate? We would like to order one unit for the pilot hall before 30 July.

Best wishes,
Prof. Dr. Ingrid Halvorsen
Head of Water Engineering Laboratory
Nordic Institute of Technology
Høgskoleringen 7, 7034 Trondheim, Norway
+47 73 55 50 21
ingrid.halvorsen@nit.example.no

PA: Lars Eriksen, lars.eriksen@nit.example.no
""", G(
    people=[P("Ingrid Halvorsen", "Head of Water Engineering Laboratory", "Nordic Institute of Technology"),
            P("Lars Eriksen", "PA", "Nordic Institute of Technology")],
    companies=["Nordic Institute of Technology"],
    emails=["ingrid.halvorsen@nit.example.no", "lars.eriksen@nit.example.no"],
    phones=["+47 73 55 50 21"],
    addresses=["Høgskoleringen 7, 7034 Trondheim, Norway"],
    dates=["30 July"],
    action_items=["confirm to Ingrid Halvorsen that the BW-UV80 delivers 40 mJ/cm² at 4.8 m³/h and send the validation certificate",
                  "quote one BW-UV80 so it can be ordered before 30 July"]))

# ---------------------------------------------------------------- xf40 Korean + Indian names, internal email
add("xf40", "email from rahul re hanbit - extract people and actions", """
Hi Anjali,
Following today's call with Kim Min-jun (Procurement Director, Hanbit Foods Co., Ltd.) and his engineer Park Ji-woo, here is where we are:
- Hanbit wants 12 FX-300 skids for their Busan and Daegu kitchens.
- At 12 units the price list gives 8% off; Min-jun asked for 12%. That needs RSM approval – can you sign off?
- They need delivery before 1 September 2027 and quotes in KRW as well as USD.
- Value at list: $105,000.00
Next call is Thursday 15 July at 09:00 KST.
Thanks,
Rahul Venkataraman
Key Account Manager, APAC
Brightwater Systems Inc.
+65 6555 0193
""", G(
    people=[P("Anjali"), P("Kim Min-jun", "Procurement Director", "Hanbit Foods Co., Ltd."),
            P("Park Ji-woo", "engineer", "Hanbit Foods Co., Ltd."),
            P("Rahul Venkataraman", "Key Account Manager, APAC", "Brightwater Systems Inc.")],
    companies=["Hanbit Foods Co., Ltd.", "Brightwater Systems Inc."],
    phones=["+65 6555 0193"],
    dates=["today", "1 September 2027", "Thursday 15 July"],
    amounts=["$105,000.00"],
    action_items=["Anjali to approve (or not) the 12% discount on 12 FX-300 skids for Hanbit Foods",
                  "send Hanbit Foods quotes in KRW and USD",
                  "deliver the 12 FX-300 skids before 1 September 2027"]))

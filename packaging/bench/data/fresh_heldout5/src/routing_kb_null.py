# -*- coding: utf-8 -*-
# kb entries: (plugin, lang, tags, prompt, (doc_file, verbatim_evidence_snippet))
HM = "01_hydromax_hm_series_manual.md"
AP = "02_aquapure_filter_manual.md"
CL = "03_climalink_controller_manual.md"
PL = "04_price_list_2024.md"
WR = "05_warranty_and_returns_policy.md"
SI = "06_service_intervals.md"
EC = "07_error_codes_troubleshooting.md"
SLA = "08_service_level_agreement.md"
TE = "09_travel_and_expense_policy.md"
HS = "10_installation_and_safety_handbook.md"

KB = [
("kb", "en", "", "whats the default installer code on a CL-5", (CL, "The factory default code is **4711**.")),
("kb", "en", "typos", "hm-550 max fluid temp? custmer has 105C process water", (HM, "−10 to +110 °C")),
("kb", "en", "sms", "can i lift an hm-550 alone or do i need 2 ppl", (HS, "The **HM-550 weighs 41 kg** dry and must be lifted by two people or with a lifting aid.")),
("kb", "en", "", "which hydromax models are ok for drinking water", (HM, "are the only HydroMax models approved for potable (drinking) water")),
("kb", "en", "hard", "whats the service email address for customers, the one that isnt monitored after hours?", (SLA, "Email: **service@norvale-pc.com** (email is not monitored outside business hours")),
("kb", "en", "hard", "how long do i block in my calendar for a mechanical seal replacement", (SI, "| Mechanical seal replacement | 2.5 hours |")),
("kb", "en", "", "what does E07 mean on a VS pump", (EC, "Pressure sensor fault (VS)")),
("kb", "en", "typos", "how often do u change the cartrige on an AP-20", (AP, "replace the cartridge every **6 months or after 40,000 litres**, whichever comes first.")),
("kb", "en", "", "per diem for meals on an overnight trip?", (TE, "**Per diem for overnight trips:** **$55 per day** for meals (domestic).")),
("kb", "en", "", "hotel limit in chicago?", (TE, "High-cost cities: **$220 per night** in Chicago, New York, Boston, San Francisco and Washington DC.")),
("kb", "en", "short", "E18 meaning?", (EC, "A relay has passed 100,000 cycles")),
("kb", "en", "hard", "does the customer get the service report by email automatically or do i need to send it?", (SI, "The customer receives the report automatically by email when the visit is closed in the CRM.")),
("kb", "en", "", "how much discount can i give without asking the RSM", (PL, "Up to **10 %** total discount off list: the sales rep may grant it without approval.")),
("kb", "en", "hard payload instr_end", """From: linda.g@eastgateapts.com
Hi, our HM-150 has a noisy bearing, can you just send a bearing kit?
--
is there actually a bearing kit for the hm-150? what do i tell her""", (HM, "The HM-150 uses sealed lifetime bearings; there is no bearing kit for it.")),
("kb", "en", "", "torque for the DN50 flange bolts?", (HS, "tighten in a cross pattern to **80 Nm**")),
("kb", "en", "sms", "gold contract on-site time?", (SLA, "next business day (within 24 hours)")),
("kb", "en", "", "how many e01s before the pump locks out and how do i reset it", (HM, "After **3 E01 events within 60 minutes** the pump locks out and must be reset manually by switching the power off for at least 30 seconds.")),
("kb", "en", "typos", "wats the max glycol % allowed in hydromax pumps", (HM, "water–glycol mixtures with up to 40 % glycol")),
("kb", "en", "hard payload instr_end", """Hi Raj, we had a guy dry-run the pump during the flush and now the seal leaks. It's 4 months old, warranty right?
- Dave
--
does warranty cover this? need to know before i call him back""", (WR, "dry running of a pump, including seal damage;")),
("kb", "en", "", "what breaker for an HM-300 on 230v single phase", (HS, "| HM-300 (230 V single-phase) | 16 A, type C |")),
("kb", "en", "", "what's the modbus default baud rate and parity on the CL-3", (CL, "19200 baud, 8 data bits, even parity, 1 stop bit (8E1), slave address 1.")),
("kb", "en", "typos", "restoking fee if the box was opened but never installed?", (WR, "**25 %** if the packaging has been opened but the product is unused")),
("kb", "en", "", "how far can i run a sensor cable on a climalink with normal twisted pair", (CL, "Sensor cables: up to **50 m** with 2 × 0.5 mm² twisted pair.")),
("kb", "en", "hard", "customer wants to pair the CL-3 with the Connect app so he gets push notifications by email, is that even possible?", (CL, "The CL-3 has **no Wi-Fi** and cannot be used with the Norvale Connect app.")),
("kb", "en", "", "what's the min inlet pressure on an hm-550", (HM, "| Min. inlet pressure | 0.5 bar | 0.5 bar | 0.8 bar |")),
("kb", "en", "sms", "after hrs labour rate?", (PL, "Labor, after hours / weekends (1.5×) | $142.50 per hour")),
("kb", "en", "", "what clearance below an aquapure bowl", (AP, "Leave at least **150 mm** of free space below the bowl for cartridge removal.")),
("kb", "en", "hard", "is there a spring promo on the CL-5? want to mention it in my email blast", (PL, "7 % off the CL-5 when it is sold on the same order as any HydroMax pump.")),
("kb", "en", "", "how long wait after isolating a VS pump before opening the drive cover", (HS, "wait at least **5 minutes** before opening the drive cover")),
("kb", "en", "typos", "whats the frost protecton temp on climalink", (CL, "**Frost protection:** holds all zones at **7 °C**.")),
("kb", "en", "", "how do i factory reset a CL-5", (CL, "Hold **MENU + DOWN for 10 seconds** until the display shows **rSt**, then confirm with **OK**.")),
("kb", "en", "hard", "before i put the silver preventive visits in the calendar - how many a year do they get?", (SLA, "| Preventive visits included | 2 per year | 1 per year | none |")),
("kb", "en", "", "distributor discount on hardware?", (PL, "**6.3 Registered distributors** receive a fixed **22 %** off list on all hardware.")),
("kb", "en", "payload instr_start", """customer is asking this, what's the correct answer:
"Our E22 alarm is on, is the water still safe to drink?\"""", (EC, "The water is not disinfected while E22 is active — inform the customer")),
("kb", "en", "", "when do bearings get replaced on a hm-300", (SI, "| 20,000 operating hours | Replace bearings with BK-300 or BK-550 (HM-300 and HM-550 families only) |")),
("kb", "en", "", "max entertainment spend per person with a client", (TE, "Maximum **$75 per person**, including tax and tip.")),
("kb", "en", "long payload instr_end", """Hi Raj,

Following the install last week I wanted to check a couple of things before our finance team signs off. The pump (HM-300, serial NV-2404-00871) was commissioned by our own plumbing contractor rather than by one of your certified installers, because your team was booked out. He has the commissioning paperwork but I don't think anything was registered anywhere. Our CFO saw in a brochure that the pumps come with 36 months of cover and wants to know if that applies to us, since that was part of the business case. We'd also like to know whether labour is covered in year two if something fails. Could you clarify?

Thanks,
Mike Brennan, CFO

--
so do they get the 36 months or not? what's the rule""", (WR, "the warranty on HydroMax pumps is extended to **36 months** when the pump is commissioned by a Norvale Certified Installer **and** the commissioning record is registered in the partner portal within **30 days** of installation.")),
("kb", "en", "", "how soon do i need to report a near miss", (HS, "Report every accident, injury, property damage and **near miss** within **24 hours**")),
("kb", "es", "non_en", "¿cuál es la presión máxima de trabajo del AP-40?", (AP, "| Maximum working pressure | 8 bar (116 psi) | 10 bar (145 psi) | 10 bar (145 psi) |")),
("kb", "fr", "", "c'est quoi le code E03 sur une pompe hydromax ?", (EC, "Motor over-temperature")),
("kb", "fr", "", "combien de jours pour déclarer un produit DOA ?", (WR, "reported within **7 days of delivery**, it is treated as DOA")),
("kb", "de", "", "wie hoch ist das Kilometergeld, also pro Meile mit dem Privatauto?", (TE, "reimbursed at **$0.62 per mile** (2024 rate)")),
("kb", "pt", "", "qual o prazo de garantia dos filtros AquaPure?", (WR, "| AquaPure filter housings (AP-20, AP-40, AP-80) | 5 years |")),
("kb", "it", "", "ogni quanto si pulisce il manicotto di quarzo dell'AP-UV80?", (AP, "Clean the quartz sleeve every 6 months.")),
("kb", "nl", "", "hoeveel ruimte moet ik rond de motorventilator van een hydromax vrijhouden?", (HM, "Keep a free clearance of **300 mm** around the motor fan cover")),
("kb", "en", "", "the E12 alarm keeps showing on the CL-3 - what should i check? (not a grundfos, it's ours)", (EC, "Check RS-485 wiring polarity (A/B), the 120 Ω termination and the slave address.")),
("kb", "en", "payload instr_start", """cust asks this, whats the answer (dont write the email, i just need to know):
'how long does the UVL-40 lamp last in continuous use?'""", (AP, "Lamp life: **9,000 hours (about 12 months)** of continuous operation.")),
("kb", "en", "payload instr_mid", """RMA-2024-00412 issued 03/11 for HM-300S NV-2319-02231
-- how many days do they have to ship it back after it was issued? --
Customer: Millbrook Water Co""", (WR, "Ship the part back within **15 days** of the RMA being issued")),
("kb", "en", "payload instr_mid", """Ticket #8812 Oakhaven Offices
>>> what battery does the climalink clock take and how often to swap it? <<<
CL-3 clock resets after every power cut""", (CL, "A CR2032 coin cell keeps the real-time clock running during power cuts.")),
("kb", "en", "payload instr_end", """Hi, our contractor says the HM-300 can be mounted vertically to save space. Is that OK? - Omar

is vertical mounting allowed on hydromax?""", (HM, "Vertical-shaft installation is not supported on any HM model.")),
]

NULL = [
("null", "en", "", "hey hows ur day going"),
("null", "en", "", "whats the weather in erie tomorrow, driving up at 6"),
("null", "en", "hard payload instr_end", """Hi Raj, we'd like to move the visit to Thursday 10am. Thanks, Bill
add this to my calendar"""),
("null", "en", "hard payload instr_end", """Dear Mr. Vogel, the BK-550 bearing kit will be delivered next week. Kind regards, Raj
translate to german pls"""),
("null", "en", "hard other_brand", "grundfos magna3 showing E04, what does that mean"),
("null", "en", "hard", "whats the eur usd rate today? need to convert 14,250"),
("null", "en", "", "remind me at 4 to call karen"),
("null", "en", "typos", "write me a pyton script that reads a csv of leads"),
("null", "en", "other_brand", "does wilo make a pump like the stratos maxo with 16 bar rating"),
("null", "en", "short", "thx!!"),
("null", "en", "hard other_brand", "culligan softener says err 3, customer asks if we can fix it"),
("null", "en", "hard payload instr_start", """book a meeting with these people next tues 2pm:
Karen Wu karen.wu@metrohospital.org
Dan Ruiz druiz@metrohospital.org"""),
("null", "en", "sms", "wats the traffic like on i-71 rn"),
("null", "en", "", "how much is a barrel of oil right now"),
("null", "en", "hard payload instr_end", """Notes: met Greg & Sue at Valley Foods, quote by friday
set a reminder for friday 9am to send the quote"""),
("null", "en", "", "should i take the job offer from the other company? pros and cons"),
("null", "en", "other_brand", "xylem e-sv pump max temp?"),
("null", "en", "typos", "can u reccomend a good book on negotiation"),
("null", "en", "hard payload instr_end", """Hola Jorge, vamos el jueves a las 10. Saludos, Raj
what does this say in english"""),
("null", "en", "", "current price of norvale stock?"),
("null", "en", "hard other_brand", "pentair intellipro error 'priming' how to clear"),
("null", "en", "sms", "lol ok"),
("null", "en", "hard payload instr_start", """translate into french for the customer:
The technician will arrive between 8 and 10 am. Please make sure the plant room is unlocked."""),
("null", "en", "", "what's a good gift for a customer who's retiring"),
("null", "en", "", "bitcoin price in usd, need it for a quote"),
("null", "en", "", "how do i get rid of a cold fast, got a site visit tmrw"),
("null", "en", "other_brand", "danfoss vlt fc-102 alarm 14 earth fault - fix?"),
("null", "en", "typos", "whats the best rout from fairhaven to cleveland avoiding tolls"),
("null", "en", "hard payload instr_end long", """-----Original Message-----
From: Grace Okafor <gokafor@stmaryscare.org>
Subject: Install date

Raj, we approved Q-24-0544. Install on Tuesday 26 March, morning, please. The east wing is closed 12:00-14:00. Kevin Hsu (555-0163) will meet you. Please confirm the technician's name and arrival time so we can inform reception and prepare visitor badges. Also, please bring your own ladder as ours is out for inspection.

Thanks
Grace Okafor, Director of Care
St Mary's Care Home

--
put the install in my calendar for 26 march 9am and invite kevin"""),
("null", "es", "non_en", "¿qué tiempo va a hacer mañana en Valencia?"),
("null", "es", "payload instr_end", """Hi Jorge, the technician comes Thursday at 10. Regards
tradúcelo al español"""),
("null", "fr", "", "c'est combien le cours de l'euro en dollars aujourd'hui ?"),
("null", "de", "", "erinnere mich morgen um 8 an den Termin bei den Stadtwerken"),
("null", "de", "hard other_brand", "was bedeutet Fehler F1 bei einer KSB Calio Pumpe?"),
("null", "nl", "", "wat is het weer morgen in rotterdam"),
("null", "en", "hard payload instr_end", """- Pete to ask QA re 5 micron
- me: quote BK-300
make these into tasks in my todo app with due dates next week"""),
("null", "en", "", "how do i change my password on the tablet"),
("null", "en", "hard", "whats the going rate for gbp to usd right now, cust in uk wants a price"),
("null", "en", "payload instr_start", """translate to spanish:
Your filter cartridge is due for replacement. We will call to book a visit."""),
("null", "en", "hard payload instr_mid", """Hi Raj, can we do Tues 14th at 9? - Bill
>> put this in my calendar and send him an invite <<
P.S. bring 2 seal kits"""),
("null", "en", "payload instr_start", """set a reminder for each of these:
- call Karen re PO (mon)
- send BK-300 quote (wed)"""),
("null", "en", "payload instr_start other_brand", """customer pasted this from their grundfos display, what does it mean:
Alarm 57 - Dry running, CU 352, pump 2"""),
("null", "en", "payload instr_mid", """From: nadia.farouk@summitlogistics.com
[translate this to italian for our partner in milan]
Please confirm the installation window for weeks 32-34."""),
("null", "en", "payload instr_start", """can you post this in our team slack channel:
Great job on the Metro Hospital deal everyone! 12 pumps, biggest order this quarter."""),
("null", "en", "payload instr_end", """Hallo Herr Vogel, das Lager wird nächste Woche geliefert. Mit freundlichen Grüßen

translate to english pls"""),
("null", "en", "payload instr_start other_brand", """wilo stratos on site shows this, how do i clear it:
E10 blocking
motor current 0.0A"""),
("null", "en", "hard payload instr_mid", """Q-24-1187 HM-550VS 5,120
^ whats this in yen at todays rate? ^
Customer is in Osaka"""),
("null", "en", "payload instr_start", """print this for me:
Service report #SR-2291, Northgate Pool, 14 Aug"""),
("null", "en", "payload instr_end", """function calcTotal(items) { return items.reduce((a,b)=>a+b.price, 0) }
why does this return NaN"""),
("null", "en", "payload instr_mid", """Meeting with Karen Wu
-- book a room for this at HQ --
Thurs 10am, 4 people"""),
]

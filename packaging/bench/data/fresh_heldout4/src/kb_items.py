"""The hand-written items of kb.jsonl (collected by collect.py; build.py validates and writes them)."""
from collect import K, U

# ===========================================================================
# KB ITEMS (corpus B)
# ===========================================================================
# error-codes.md
K("px300 showing E11, how do i reset it once its primed", "error-codes.md", ["3 seconds"],
  "Reset by holding RESET for 3 seconds.")
K("can i clear an E40 remotely from the office or do i have to drive out", "error-codes.md", ["cannot be reset remotely"],
  "E03 and E40 require a manual reset on the unit itself; they cannot be reset remotely.")
K("softener display says E22 wat does that mean", "error-codes.md", ["Low salt", "15 kg"],
  "E22 – Low salt. Less than about 15 kg of salt is left in the brine tank.")
K("same alarm came back 3 times since yesterday, do i just keep resetting it?", "error-codes.md", ["3 times within 24 hours", "service ticket"],
  "If the same code appears 3 times within 24 hours, open a service ticket instead of resetting again.")
# fx-series-filtration.md
K("at what dp does the fx-500 throw E32", "fx-series-filtration.md", ["1.5 bar"],
  "On the FX-500 the alarm triggers at 1.5 bar.")
K("whats the default service pin on the bw-touch", "fx-series-filtration.md", ["4826"],
  "7-inch colour touch display with PIN-protected service menu (default service PIN 4826, change at commissioning)")
K("customer wants the fx-500 wall mounted, is there a bracket kit?", "fx-series-filtration.md", ["not available for FX-500"],
  "Wall-mount bracket kit for FX-300 (not available for FX-500)")
K("cada cuánto hay que cambiar los cartuchos BW-F60?", "fx-series-filtration.md", ["6 months", "300 m³"],
  "The BW-F60 cartridge must be replaced every 6 months or after 300 m³, whichever comes first.")
# installation-guide.md
K("how close does the drain need to be for a softener install", "installation-guide.md", ["3 m", "25 mm"],
  "Softeners: a drain must be available within 3 m of the valve, with an air gap of at least 25 mm on the drain line.")
K("torque on the px-500 flange bolts at install?", "installation-guide.md", ["45 Nm"],
  "On the PX-500, tighten the DN65 flange bolts to 45 Nm in a cross pattern.")
K("wie lange muss ich eine neue aktivkohle-kartusche vorher spülen?", "installation-guide.md", ["10 minutes"],
  "Insert the cartridges and flush each new carbon block cartridge to drain for 10 minutes before putting it into service.")
K("how much headroom above an fx skid for cartridge changes", "installation-guide.md", ["600 mm"],
  "FX skids: leave at least 600 mm free above the housings so cartridges can be lifted out.")
# price-list-2027.md
K("price for a px-300 duty/standby set", "price-list-2027.md", ["$5,620.00"],
  "PX-300 duty/standby set on common baseplate: $5,620.00")
K("whats the distributor discount this year", "price-list-2027.md", ["25%"],
  "Authorised distributors receive 25% off list on all equipment.")
K("do we give anything off for a full case of cartridges", "price-list-2027.md", ["10%"],
  "Cartridges ordered in full cases of 24 receive 10% off the cartridge price.")
K("se eu vender um FX junto com uma bomba PX a visita de comissionamento é grátis?", "price-list-2027.md", ["free of charge"],
  "When an FX system is sold together with a PX pump on the same order, the commissioning visit is free of charge.")
# px-series-pumps.md
K("max head on a px300?", "px-series-pumps.md", ["45 m"],
  "Maximum head: 45 m")
K("does the px-150 have dry run protection built in? its pumping from a well", "px-series-pumps.md", ["no built-in dry-run protection", "DRK-15"],
  "The PX-150 has no built-in dry-run protection. Fit the optional DRK-15 dry-run kit when the pump draws from a tank or a well.")
K("quelle est la fréquence mini sur variateur pour une PX ?", "px-series-pumps.md", ["25 Hz"],
  "Below 25 Hz the motor fan does not cool the motor sufficiently and the pump may trip with E03.")
K("chloride limit for px pumps? customer has brackish-ish well water", "px-series-pumps.md", ["250 mg/L"],
  "Chloride content must stay below 250 mg/L to protect the 316L parts.")
# sales-playbook.md
K("got a web lead, how fast do i have to call them", "sales-playbook.md", ["4 business hours"],
  "Web leads must be contacted within 4 business hours.")
K("how long can a customer keep a pilot unit", "sales-playbook.md", ["30 days"],
  "Pilot units are loaned for a maximum of 30 days.")
K("10 unit order, how much extra discount can i give without asking anyone", "sales-playbook.md", ["2%"],
  "For example, a 10-unit order already carries 8% off list, so a rep can only add 2% more without approval.")
K("customer says clearflow is cheaper, whats their pump warranty vs ours", "sales-playbook.md", ["1-year warranty", "2 years"],
  "Their pumps are usually about 10% cheaper, but they offer only a 1-year warranty on pumps, against our 2 years, and they have no 24/7 service tier.")
# service-intervals.md
K("bearing change interval on px pumps in hours", "service-intervals.md", ["24,000 operating hours"],
  "Motor bearing replacement: every 24,000 operating hours.")
K("measured 5.2 mm/s on the bearing housing, is that too high", "service-intervals.md", ["4.5 mm/s"],
  "Vibration above 4.5 mm/s at the bearing housing indicates worn bearings or misalignment and must be reported in the service record.")
K("hoeveel tijd moet ik inplannen voor de jaarlijkse service van een FX systeem", "service-intervals.md", ["3 hours"],
  "FX system annual service: 3 hours.")
K("when does softener resin need replacing", "service-intervals.md", ["5 to 7 years", "70%"],
  "Resin replacement: typically every 5 to 7 years, or when the capacity drops below 70% of the rated value.")
# sla-support.md
K("premium customer, P1, how fast do we have to respond", "sla-support.md", ["4 hours"],
  "Premium: P1 response within 4 hours, 24/7; P2 response within 8 hours; P3 response next business day.")
K("whats the support line number and hours", "sla-support.md", ["1-888-555-0110", "07:00 to 19:00"],
  "The support line, 1-888-555-0110, is staffed from 07:00 to 19:00, Monday to Friday, local time of the service hub.")
K("plus customer wants a loan pump, do we charge for it?", "sla-support.md", ["$150.00 per week"],
  "Plus customers can request a loan pump, subject to availability, for a fee of $150.00 per week.")
K("qual è il massimo dei crediti di servizio se manchiamo i tempi di risposta?", "sla-support.md", ["25%"],
  "Service credits are capped at 25% of the monthly contract fee.")
# softeners-s-series.md
K("how much salt does a bw-s40 use per regen", "softeners-s-series.md", ["4.8 kg"],
  "Salt used per regeneration: 4.8 kg")
K("softener feeding an espresso machine, what residual hardness do i set", "softeners-s-series.md", ["4 to 6 °dH"],
  "For coffee machines and espresso machines, set a residual hardness of 4 to 6 °dH; fully softened water makes coffee taste flat and can be corrosive.")
K("customer asks can they just use rock salt, its cheaper", "softeners-s-series.md", ["do not use rock salt"],
  "Salt type: tablet salt to EN 973 Type A; do not use rock salt or dishwasher granules.")
K("site uses ~6500 L a day at 20 dH, s25 or s40?", "softeners-s-series.md", ["BW-S40"],
  "A site using 4,000 L of water per day at 20 °dH fits a BW-S25; a site using 6,500 L per day at the same hardness needs a BW-S40.")
# travel-expenses.md
K("hotel limit in nyc per night", "travel-expenses.md", ["$250 per night"],
  "United States: up to $180 per night, or up to $250 per night in New York City and San Francisco.")
K("do i get the full per diem on the day i fly out", "travel-expenses.md", ["75%"],
  "On the first and last day of a trip, 75% of the per diem applies.")
K("mileage rate for the uk trip, using my own car", "travel-expenses.md", ["45p per mile"],
  "Personal car use is reimbursed at $0.67 per mile in the US and 45p per mile in the UK.")
K("si paso los gastos 100 días después del viaje, me los pagan?", "travel-expenses.md", ["90 days"],
  "Claims submitted more than 90 days after the trip are not reimbursed.")
# uv-sterilisers.md
K("rated flow on the uv40", "uv-sterilisers.md", ["2.4 m³/h"],
  "Rated flow: 2.4 m³/h at a dose of 40 mJ/cm²")
K("iron in the well water is 0.5 mg/l, ok for uv?", "uv-sterilisers.md", ["0.3 mg/L"],
  "Iron must be below 0.3 mg/L and manganese below 0.05 mg/L, otherwise deposits form on the quartz sleeve.")
K("how long do i wait after switching off before pulling the uv lamp", "uv-sterilisers.md", ["10 minutes"],
  "Wait 10 minutes for the lamp to cool down.")
K("welche mindest-UV-transmission braucht das wasser?", "uv-sterilisers.md", ["90%"],
  "Minimum UV transmittance of the water: 90% at 254 nm")
# warranty-returns.md
K("customer noticed the fault 3 weeks ago, can we still file a warranty claim", "warranty-returns.md", ["14 days"],
  "Warranty claims must be submitted within 14 days of discovering the fault.")
K("uv lamp died after 4 months is it under warranty", "warranty-returns.md", ["90 days"],
  "UV sterilisers are covered for 2 years on the chamber and ballast, and for 90 days on lamps and quartz sleeves.")
K("can the customer send back a px-500 with the sc seal, they ordered wrong", "warranty-returns.md", ["cannot be returned"],
  "Made-to-order items, including the FX-500-UV and PX-500 pumps with the SC seal option, cannot be returned.")
K("quanto tempo vale um número de RMA?", "warranty-returns.md", ["30 days"],
  "RMA numbers are valid for 30 days.")
# unanswerable
U("max flow on the px-800?", "no PX-800 model exists", ["PX-800"])
U("price of a bw-s60 softener", "no BW-S60 model exists", ["S60"])
U("how loud is the fx-500 skid, db at 1 m", "noise level given only for PX pumps")
U("per diem for a trip to germany? eurozone", "only a eurozone hotel limit is given, no eurozone per diem", ["Germany", "€65", "per day for travel within the Eurozone"])
U("warranty on the bw-vfd-4 drive on its own", "no warranty period given for drives")
U("what does a bearing kit for the px-300 cost", "only the PX-300 seal kit is priced", ["bearing kit"])
U("how much does the bw-s40 weigh", "softener weight not given")
U("gold tier p1 response time", "tiers are Basic/Plus/Premium; no Gold tier", ["Gold"])
U("lead time on an fx-500-uv order, customer needs it in 3 weeks", "no lead times given", ["lead time"])
U("hotel limit in toronto", "no Canada hotel limit given", ["Toronto", "Canada"])
U("price of the sampling valve kit", "accessory listed without price")
U("quelle concentration de chlore pour la désinfection annuelle du FX ?", "no disinfection concentration given", ["ppm"])

#!/usr/bin/env python3
"""Build and validate the fresh3 kb dev set (48 items: 38 answerable, 10 unanswerable).

Run: python3 build_kb.py  -> writes kb.jsonl next to this script after validation.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = "/work/main/packaging/bench/data/crm/kb_corpus"
OUT = os.path.join(HERE, "kb.jsonl")

# (prompt, doc, evidence, answer_contains)  -- doc None => unanswerable
ITEMS = [
    # --- px-series-pumps.md
    ("hey quick q whats the max head on the px300 again? customer has a 4 storey hotel and wants to know if it gets to the top floor",
     "px-series-pumps.md", "Maximum head: 45 m", ["45 m"]),
    ("um how heavy is a px 150?? need to carry it down to the basement at the bakery, no lift lol",
     "px-series-pumps.md", "Weight: 18 kg", ["18 kg"]),
    ("at the hospital today, facilities guy is worried about noise next to the ward. how loud is a px-500 at 1m pls",
     "px-series-pumps.md",
     "Noise level at 1 m: 62 dB(A) for the PX-150, 66 dB(A) for the PX-300 and 71 dB(A) for the PX-500",
     ["71 dB(A)"]),
    ("hallo, wie hoch darf der chloridgehalt sein bei den px pumpen? kunde hat brunnenwasser mit ca 180 mg/l",
     "px-series-pumps.md",
     "Chloride content must stay below 250 mg/L to protect the 316L parts.",
     ["250 mg/L"]),
    # --- fx-series-filtration.md
    ("fx500 at the brewery keeps throwing e32, at what diff pressure does the alarm kick in on the 500 model? gauge shows 1.3 right now",
     "fx-series-filtration.md", "On the FX-500 the alarm triggers at 1.5 bar.", ["1.5 bar"]),
    ("pls whats the default service pin on the bw touch, nobody changed it at commissioning i think",
     "fx-series-filtration.md",
     "7-inch colour touch display with PIN-protected service menu (default service PIN 4826, change at commissioning)",
     ["4826"]),
    ("hola, el cliente tiene agua bastante dura, a partir de cuantos °dH necesita un descalcificador antes del fx 300?",
     "fx-series-filtration.md",
     "Both systems need a softener upstream if the inlet hardness is above 15 °dH, otherwise scale shortens cartridge life.",
     ["15 °dH"]),
    # --- installation-guide.md
    ("plant room at the dairy is tiny, how much space do i need at the motor end of a px pump so the fan cover comes off",
     "installation-guide.md",
     "Pumps: leave a clearance of 300 mm on all sides and 500 mm at the motor end so the fan cover can be removed.",
     ["500 mm"]),
    ("do you know what floor load an fx skid needs? customer wants it on a mezzanine, kg per m2",
     "installation-guide.md", "FX skids: the floor must carry at least 500 kg/m².", ["500 kg/m²"]),
    ("bonjour, quelle est la garde d'air minimum sur la ligne de vidange pour un adoucisseur? installation demain chez un restaurant",
     "installation-guide.md",
     "Softeners: a drain must be available within 3 m of the valve, with an air gap of at least 25 mm on the drain line.",
     ["25 mm"]),
    # --- price-list-2027.md
    ("for the customer: list price of a uv80 for 2027?",
     "price-list-2027.md", "BW-UV80 steriliser: $1,740.00", ["1,740"]),
    ("quick q, how much is the px-500 duty/standby set on the common baseplate, quoting a hotel in denver",
     "price-list-2027.md", "PX-500 duty/standby set on common baseplate: $9,180.00", ["9,180"]),
    ("olá, quanto custa a mais a versão duplex do bw-s25? o cliente não pode ficar sem água macia",
     "price-list-2027.md", "Duplex version (-D) of either softener: add $1,400.00", ["1,400"]),
    ("small parts order for a dental practice, only 2 lamps and an o-ring set, like $300 total. what do we charge for shipping on that",
     "price-list-2027.md", "Smaller parcel orders are charged a flat $85.00 per order.", ["$85"]),
    # --- sales-playbook.md
    ("got a web lead in this morning from a brewery in ohio, how fast do i have to contact them again?",
     "sales-playbook.md", "Web leads must be contacted within 4 business hours.", ["4 business hours"]),
    ("um how big does an opp have to be before we need a technical site survey before sending the quote",
     "sales-playbook.md",
     "Opportunities above $50,000 require a technical site survey before a quote is sent.",
     ["$50,000"]),
    ("customer wants to keep the pilot uv unit after the trial, if they buy it what discount can i give on the pilot unit",
     "sales-playbook.md",
     "If the customer buys within 30 days after the pilot ends, the pilot unit can be sold to them at 20% off list.",
     ["20%"]),
    # --- service-intervals.md
    ("px300 at the car wash has about 15k hours on it now, when is the mech seal due, how many op hours",
     "service-intervals.md", "Mechanical seal replacement: every 16,000 operating hours.", ["16,000"]),
    ("measured vibration at the bearing housing on a px 500 today, whats the limit before i have to report it",
     "service-intervals.md",
     "Vibration above 4.5 mm/s at the bearing housing indicates worn bearings or misalignment and must be reported in the service record.",
     ["4.5 mm/s"]),
    ("booking an engineer for the laundry, how long should i plan for a softener annual service? not counting travel",
     "service-intervals.md", "Softener annual service: 2 hours.", ["2 hours"]),
    # --- sla-support.md
    ("customer on premium says the system is completely down, no treated water at all. how quick do we have to respond on a p1?",
     "sla-support.md",
     "Premium: P1 response within 4 hours, 24/7; P2 response within 8 hours; P3 response next business day.",
     ["4 hours"]),
    ("hey plus customer wants a loan pump while their px300 is in the workshop, what do we charge for that per week",
     "sla-support.md",
     "Plus customers can request a loan pump, subject to availability, for a fee of $150.00 per week.",
     ["$150"]),
    ("whats the support line number again for the customer, want to stick it on the unit",
     "sla-support.md",
     "The support line, 1-888-555-0110, is staffed from 07:00 to 19:00, Monday to Friday, local time of the service hub.",
     ["1-888-555-0110"]),
    # --- softeners-s-series.md
    ("how long does a bw-s40 regen take? hotel manager wants to know how long they get hard water at night",
     "softeners-s-series.md", "Regeneration time: 120 minutes", ["120 minutes"]),
    ("at a coffee shop, they have 2 espresso machines on a bw s25. what residual hardness should i set for coffee",
     "softeners-s-series.md",
     "For coffee machines and espresso machines, set a residual hardness of 4 to 6 °dH; fully softened water makes coffee taste flat and can be corrosive.",
     ["4 to 6 °dH"]),
    ("quick one, capacity of the bws25 between regenerations at 20 dH?",
     "softeners-s-series.md",
     "Capacity between regenerations: 4,500 L at 20 °dH inlet hardness",
     ["4,500 L"]),
    # --- travel-expenses.md
    ("going to a trade show in NYC next month, whats the hotel limit per night there",
     "travel-expenses.md",
     "United States: up to $180 per night, or up to $250 per night in New York City and San Francisco.",
     ["$250"]),
    ("drove my own car 212 miles to the farm visits this week, what's the mileage rate in the us",
     "travel-expenses.md",
     "Personal car use is reimbursed at $0.67 per mile in the US and 45p per mile in the UK.",
     ["$0.67"]),
    ("hallo, wie viel darf das hotel pro nacht kosten wenn ich in der eurozone unterwegs bin? messe in köln",
     "travel-expenses.md", "Eurozone: up to €160 per night.", ["€160"]),
    # --- uv-sterilisers.md
    ("holiday park wants a uv40, whats the rated flow on it at the 40 mj dose",
     "uv-sterilisers.md", "Rated flow: 2.4 m³/h at a dose of 40 mJ/cm²", ["2.4 m³/h"]),
    ("farm well water has some iron in it, about 0.5 from their lab report. whats the max iron for the uv units?",
     "uv-sterilisers.md",
     "Iron must be below 0.3 mg/L and manganese below 0.05 mg/L, otherwise deposits form on the quartz sleeve.",
     ["0.3 mg/L"]),
    ("changing the lamp on a uv80 now, how long do i wait after switching off before pulling the lamp",
     "uv-sterilisers.md", "Wait 10 minutes for the lamp to cool down.", ["10 minutes"]),
    # --- warranty-returns.md
    ("customer asks how long the resin tank on the s series softener is under warranty",
     "warranty-returns.md",
     "S series softeners are covered for 5 years on the resin tank and for 2 years on the control valve.",
     ["5 years"]),
    ("hola, el cliente quiere devolver un fx-300 sin usar en su caja original, cuánto es el cargo de reposición?",
     "warranty-returns.md",
     "A 15% restocking fee applies to all returns that are not warranty cases.",
     ["15%"]),
    ("new uv80 just installed at the dental practice and it wont light at all, delivered 4 days ago. how many days do they have to report a DOA",
     "warranty-returns.md",
     "If a product does not work at first installation, report it within 7 days of delivery.",
     ["7 days"]),
    # --- error-codes.md
    ("px 300 at the hotel tripped on e03 motor overtemp, how long should i let it cool before i restart",
     "error-codes.md",
     "Let the motor cool for 30 minutes, check that the fan cover is not blocked, and measure the running current.",
     ["30 minutes"]),
    ("e11 dry run on the px500, primed it, how long do i hold reset again?",
     "error-codes.md", "Reset by holding RESET for 3 seconds.", ["3 seconds"]),
    ("getting e30 comms lost on the bw link, what value termination resistor should be on the rs485 line",
     "error-codes.md",
     "Check the RS-485 cable and the 120 ohm termination resistor, then power-cycle the controller.",
     ["120 ohm"]),
    # --- unanswerable (not in the documents)
    ("whats the max flow of the px-750? brewery says the px500 is too small for their new line", None, None, []),
    ("do you know the ip rating of the fx-300 skid, it'll sit in a wash-down area at the food plant", None, None, []),
    ("customer smashed the bw touch screen, how much is a replacement bw-touch controller on its own?", None, None, []),
    ("visiting a distributor in toronto next week, what's the hotel limit per night in canada", None, None, []),
    ("premium customer with a p2 alarm affecting water quality, how fast does a tech have to be physically on site?", None, None, []),
    ("how heavy is the bw-s25 empty? have to get it up a narrow staircase at the restaurant", None, None, []),
    ("uv80 still shows e07 with a brand new lamp so its the ballast. whats the price of a replacement ballast for the uv80", None, None, []),
    ("if the customer buys the pilot softener after the trial, do they get the full warranty or is it shorter since it was a demo unit", None, None, []),
    ("¿cuántos litros de agua gasta el bw-s40 en cada regeneración? el cliente paga el agua muy cara", None, None, []),
    ("um what IE efficiency class is the motor on the px-300? customer's energy auditor is asking", None, None, []),
]


def load_doc(name):
    with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
        lines = f.read().splitlines()
    stripped = [l[2:] if l.startswith("- ") else l for l in lines]
    return stripped


def main():
    errors = []
    docs_cache = {}
    rows = []
    prompts = set()
    for i, (prompt, doc, evidence, ac) in enumerate(ITEMS, 1):
        rid = f"kg{i:02d}"
        if prompt in prompts:
            errors.append(f"{rid}: duplicate prompt")
        prompts.add(prompt)
        if doc is None:
            if evidence is not None or ac:
                errors.append(f"{rid}: unanswerable row must have no evidence/answer_contains")
            rows.append({"id": rid, "prompt": prompt, "split": "heldout", "answerable": False,
                         "answer_contains": [], "doc": None, "evidence": None})
            continue
        if doc not in docs_cache:
            if not os.path.exists(os.path.join(CORPUS, doc)):
                errors.append(f"{rid}: doc {doc} missing")
                continue
            docs_cache[doc] = load_doc(doc)
        lines = docs_cache[doc]
        # evidence must be a whole line or a sentence inside one line
        if not any(evidence == l or evidence in l for l in lines):
            errors.append(f"{rid}: evidence not verbatim in {doc}: {evidence!r}")
        if not ac:
            errors.append(f"{rid}: answerable row needs answer_contains")
        for a in ac:
            if a not in evidence:
                errors.append(f"{rid}: {a!r} not in evidence")
        # the key fact should come from this doc only (exactly one document line)
        hits = sum(1 for l in lines if evidence in l)
        if hits != 1:
            errors.append(f"{rid}: evidence matches {hits} lines in {doc}")
        rows.append({"id": rid, "prompt": prompt, "split": "heldout", "answerable": True,
                     "answer_contains": ac, "doc": doc, "evidence": evidence})

    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        errors.append("ids not unique")
    n_ans = sum(r["answerable"] for r in rows)
    n_un = len(rows) - n_ans
    if len(rows) != 48 or n_ans != 38 or n_un != 10:
        errors.append(f"bad counts: total={len(rows)} answerable={n_ans} unanswerable={n_un}")
    all_docs = sorted(f for f in os.listdir(CORPUS) if f.endswith(".md"))
    used = sorted({r["doc"] for r in rows if r["doc"]})
    if used != all_docs:
        errors.append(f"docs not all covered: missing {set(all_docs) - set(used)}")

    if errors:
        print("VALIDATION FAILED")
        for e in errors:
            print("  -", e)
        sys.exit(1)

    with open(OUT, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    per_doc = {}
    for r in rows:
        per_doc[r["doc"]] = per_doc.get(r["doc"], 0) + 1
    print(f"validation passed: {len(rows)} rows, {n_ans} answerable, {n_un} unanswerable -> {OUT}")
    for d in sorted(per_doc, key=str):
        print(f"  {d}: {per_doc[d]}")


if __name__ == "__main__":
    main()

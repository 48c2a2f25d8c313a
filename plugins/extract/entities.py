"""People, companies, titles and addresses found without a model, where the text's layout states them.

Signatures, business cards, lead forms and letterheads say who is who by their layout
("Name / Title | Company", "Name: ...", "Maria Santos (Operations Manager)"); company
names carry legal suffixes (Ltd, GmbH, S.A., Inc.); addresses carry postcodes and street
words. What layout and suffixes cannot tell (a company named only in prose, a person
mentioned in passing) is what the model is asked for. Every value is a span of the text.
"""
from __future__ import annotations

import re

from .names import FULL_NAME

_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’&.-]*"
_ROLE_PREFIX = re.compile(r"^(?:(?:competitor|customer|supplier|consignee|vendor|carrier|client|shipper|buyer|seller|"
                          r"bill to|ship to|sold to|invoice to|deliver to|from|to|at|für|para|pour|cliente|kunde|"
                          r"lieferant|empfänger|proveedor|fournisseur)\b\s*:?\s*)+", re.IGNORECASE)
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+)?"
_PERSON = rf"{_NAME_WORD}(?:\s+(?:van|von|de|del|da|di|le|la|du)\s+)?(?:\s+{_NAME_WORD}){{1,2}}"
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Herr|Frau|M|Mme|Sr|Sra|Dña|Don)\.?\s+")
_SUFFIX = (r"(?:S\.A\. de C\.V\.|S\. de R\.L\.(?: de C\.V\.)?|S\.A\.S\.|Sp\. z o\.o\.|s\.r\.o\.|Pvt\.? Ltd\.?|Sdn\.? Bhd\.?|"
           r"Ltda\.?|e\.V\.|GbR|OHG|UG|Kft\.?|ApS|ASA|Bhd|JSC|"
           r"Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|Corporation|GmbH(?:\s*&\s*Co\.\s*KG)?|AG|KG|S\.A\.|SA|S\.L\.|"
           r"SARL|S\.A\.R\.L\.|SAS|S\.p\.A\.|SpA|srl|S\.r\.l\.|B\.V\.|N\.V\.|A/S|Oy|KK|K\.K\.|plc|PLC|"
           r"Co-op|Co\.|Company|Group|Holdings|Pty\.? Ltd\.?|LLP|LP)")
_COMPANY = re.compile(rf"(?<![\w-])((?:{_CAP}|de|del|du|la|le|des|of|and|&|für)(?:[ \t]+(?:{_CAP}|de|del|du|la|le|des|of|and|&|für|der|den|van|von|y|e|et))*?"
                      rf"[ \t]+{_SUFFIX})(?![\w])")
_LABEL = re.compile(r"^\s*(?P<label>name|nombre|nom|contact|kontakt|ansprechpartner|company|empresa|société|societe|"
                    r"firma|unternehmen|organi[sz]ation|account|customer|client|cliente|kunde|job title|title|position|"
                    r"role|cargo|puesto|fonction|poste|titel|funktion|carrier|consignee|supplier|vendor|spedition|transportista|"
                    r"transporteur|address|dirección|direccion|adresse|anschrift)"
                    r"\s*:\s*(?P<value>[^\n]+?)\s*$", re.IGNORECASE | re.MULTILINE)
_LABEL_KIND = {"name": "name", "nombre": "name", "nom": "name", "contact": "name", "kontakt": "name",
               "ansprechpartner": "name", "company": "company", "empresa": "company", "société": "company",
               "societe": "company", "firma": "company", "unternehmen": "company", "organisation": "company",
               "organization": "company", "account": "company", "customer": "company", "client": "company",
               "cliente": "company", "kunde": "company", "carrier": "company",
               "consignee": "company", "supplier": "company", "vendor": "company", "spedition": "company",
               "transportista": "company", "transporteur": "company", "address": "address", "dirección": "address",
               "direccion": "address", "adresse": "address", "anschrift": "address"}
_TITLE_WORDS = re.compile(
    r"\b(?:manager|director|lead|head|officer|engineer|buyer|owner|president|chief|ceo|cfo|coo|cto|vp|coordinator|"
    r"supervisor|technician|specialist|analyst|consultant|partner|founder|assistant|administrator|purchasing|"
    r"procurement|operations|facilities|maintenance|sales|account|gerente|jefa?|directora?|responsable|acheteuse?|"
    r"directeur|directrice|leiter(?:in)?|geschäftsführer(?:in)?|einkauf|braumeister(?:in)?|ingenieur|técnico|"
    r"comprador[a]?|encargad[oa]|team|support|care|desk|service|department|office)\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(?:\d{5}|\d{4}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]{2}\s\d{5}(?:-\d{4})?)\b")
_STREET = re.compile(r"(?:straße|strasse|str\.|\bstreet|\bst\b|\broad\b|\brd\b|\bavenue\b|\bave\b|\blane\b|\bway\b|"
                     r"\bdrive\b|\bboulevard\b|\bblvd\b|\brue\b|\bcalle\b|\bavenida\b|\bcarretera\b|\bplaza\b|platz\b|weg\b|"
                     r"allee\b|gasse\b|kai\b|\bunit\b|\bsuite\b|\bhouse\b|\bpark\b|\bdock\b|\bfloor\b|\bbuilding\b)", re.IGNORECASE)


def _clean_person(name: str) -> str:
    return _HONORIFIC.sub("", " ".join(name.split())).strip(" ,.;:")


def label_records(text: str) -> list[dict[str, str]]:
    """"Label: value" fields grouped per record: one line of "A: x | B: y" segments, or consecutive lines
    (a blank line or a second name starts the next record). {kind: value}, kind "title" for role labels."""
    records: list[dict[str, str]] = [{}]
    for line in text.splitlines():
        segments = re.split(r"\s+[|¦]\s+|\t+", line)
        fields = [m for m in (_LABEL.match(seg) for seg in segments) if m]
        if not fields:
            if not line.strip() and records[-1]:
                records.append({})
            continue
        if len(fields) > 1 and records[-1]:
            records.append({})
        for m in fields:
            kind = _LABEL_KIND.get(m.group("label").lower(), "title")
            if kind in records[-1] and kind == "name":
                records.append({})
            records[-1].setdefault(kind, m.group("value").strip())
    return [r for r in records if r]


def companies(text: str) -> list[str]:
    found: dict[str, None] = {}
    for labels in label_records(text):
        if labels.get("company"):
            found.setdefault(re.split(r",|\s+[–—]\s+", labels["company"])[0].strip(" ,;"), None)
    for m in _COMPANY.finditer(text):
        value = re.sub(r"^(?:(?:de|del|du|la|le|des|of|and|&|für)\s+)+", "", m.group(1)).strip()
        value = _ROLE_PREFIX.sub("", value)
        # "Pieter van der Berg of Van der Berg B.V.": the person before "of/from/at" is not the company
        value = re.sub(rf"^{FULL_NAME}\s+(?:of|from|at|de|bei|von|chez|aus)\s+", "", value)
        if len(value.split()) >= 2:
            found.setdefault(value, None)
    from .names import companies_by_context, people_by_context

    for value in companies_by_context(text, people_by_context(text)):
        if not any(value in k or k in value for k in found):
            found.setdefault(value, None)
    return list(found)


def addresses(text: str) -> list[str]:
    out: list[str] = []
    for m in _LABEL.finditer(text):
        if _LABEL_KIND.get(m.group("label").lower()) == "address":
            out.append(m.group("value").strip(" ,;"))
    for raw in text.splitlines():
        line = raw.strip().strip(",;")
        line = re.sub(r"^[A-ZÀ-Þa-z][\w /-]{0,24}:\s*", "", line)  # "Ship to:", "Consignee:", "Lieferadresse:"
        for company in companies(line):  # "Orion Ltd, Unit 4, Riverside Park, ...": the address follows the name
            if line.startswith(company):
                line = line[len(company):].lstrip(" ,")
        if not line or len(line) > 120 or any(line in a or a in line for a in out):
            continue
        if _POSTCODE.search(line) and _STREET.search(line) and re.search(r"\d", line) and "@" not in line \
                and not re.search(r"(?:tel|phone|fax|mobil|direct)\b", line, re.IGNORECASE):
            out.append(line)
    return out


def people(text: str) -> list[dict]:
    """[{name, title, company}] stated by layout: labels, signature blocks, "Name (Title)", "Name, Title"."""
    found: dict[str, dict] = {}

    def add(name: str, title: str | None = None, company: str | None = None) -> None:
        name = _clean_person(name)
        if len(name.split()) < 1 or not re.match(rf"^{_NAME_WORD}", name) or _TITLE_WORDS.search(name):
            return
        person = found.setdefault(name, {"name": name, "title": None, "company": None})
        person["title"] = person["title"] or (title.strip(" ,;|") if title else None)
        person["company"] = person["company"] or (company.strip(" ,;|") if company else None)

    for labels in label_records(text):
        if "name" in labels and re.match(rf"^(?:{_HONORIFIC.pattern[1:]})?{_PERSON}$", labels["name"]):
            title = labels.get("title") if re.search(r"[^\W\d_]", labels.get("title") or "") else None
            add(labels["name"], title, labels.get("company"))
    known = companies(text)
    lines = [ln.strip() for ln in text.splitlines()]
    for i, line in enumerate(lines):
        m = re.match(rf"^(?:(?:Dr|Mr|Mrs|Ms|Prof|Herr|Frau)\.?\s+)?({_PERSON})\s*$", line)
        if not m:
            continue
        following = [ln for ln in lines[i + 1:i + 3] if ln]
        title = company = None
        for nxt in following:
            parts = [p.strip() for p in re.split(r"\s*[|,–—]\s*|\s+-\s+", nxt) if p.strip()]
            for part in parts:
                if part in known and company is None:
                    company = part
                elif _TITLE_WORDS.search(part) and title is None and len(part.split()) <= 5 and part not in known:
                    title = part
        if title or company or (i > 0 and re.match(r"^(?:best|kind|warm)?\s*(?:regards|thanks|cheers|saludos|"
                                                   r"cordialement|grüße|gruss|atentamente)\b", lines[i - 1], re.IGNORECASE)):
            add(m.group(1), title, company)
    for m in re.finditer(rf"((?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?{_PERSON})\s*\(([^)]{{2,40}})\)", text):
        if _TITLE_WORDS.search(m.group(2)):
            add(m.group(1), m.group(2))
    for m in re.finditer(rf"((?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?{_PERSON}),\s+([^,\n]{{2,40}}?)(?:,|\s+(?:at|bei|de|chez)\s+)"
                         rf"\s*([^,\n]{{2,60}}?)(?=[,.\n]|$)", text):
        if _TITLE_WORDS.search(m.group(2)):
            company = m.group(3).strip() if m.group(3).strip() in known else None
            add(m.group(1), m.group(2), company)
    from .names import people_by_context

    for name in people_by_context(text):  # greetings, sign-offs, headers, "with X", "X (phone)", ...
        have = [k.casefold() for k in found]
        if name.casefold() not in have and not any(name.casefold() in k.split() for k in have) \
                and not any(name in c for c in known):  # "Kältetechnik Berger" of "Kältetechnik Berger GmbH"
            add(name)
    for person in found.values():  # one company in the text: everyone named by layout works there
        if person["company"] is None and person["title"] and len(known) == 1:
            person["company"] = known[0]
    return list(found.values())


# --- dates the numeric/English finders miss: weekdays, relative days, other languages -----------
_DAY_NAMES = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
              "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|lundi|mardi|mercredi|jeudi|"
              "vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag")
_MONTH_NAMES = ("january|february|march|april|june|july|august|september|october|november|december|"
                "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
                "janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
                "januar|februar|märz|maerz|mai|juni|juli|oktober|dezember")
_ABBREVIATED_DAYS = {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
_EXTRA_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?:(?:next|this|coming|nächsten|próximo)\s+)?(?:{_DAY_NAMES})\.?(?:,?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th|\.)?"
    rf"(?:\s+(?:de\s+)?(?:{_MONTH_NAMES})(?:\s+(?:de\s+)?\d{{4}})?)?)?(?:\s+(?:morning|afternoon|matin|soir))?"
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH_NAMES})(?:\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:tomorrow|today|tonight|demain(?:\s+matin)?|mañana|aujourd'hui|hoy|heute)"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)(?:\s+of\s+(?:{_MONTH_NAMES}))?"
    rf"|(?:KW|CW|week)\s*\d{{1,2}}"
    rf"|\d{{1,2}}\.\d{{1,2}}\.?(?!\d)"
    rf"|\d{{1,2}}/\d{{1,2}}(?![/\d])"
    rf"|(?:in|en|im|à|by|until|before)\s+(?:{_MONTH_NAMES})"
    rf")(?![\w/-])", re.IGNORECASE)


def extra_dates(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(value, start, end) of dates outside ``taken`` spans; a weekday right before a taken date joins it."""
    out = []
    for m in _EXTRA_DATE.finditer(text):
        start, end = m.span()
        value = m.group()
        lead = re.match(r"(?:in|en|im|à|by|until|before)\s+", value, re.IGNORECASE)
        if lead and not re.match(r"(?:in|en|im|à)\s", value, re.IGNORECASE):
            continue  # "by Friday" is caught by the weekday branch; "by April": only the month
        if lead:
            start, value = start + lead.end(), value[lead.end():]
        if any(s <= start < e or s < end <= e for s, e in taken):
            continue
        if value.lower() in _ABBREVIATED_DAYS and not value[:1].isupper():
            continue  # "mon" is French for "my", "sat" a verb: only "Mon", "Sat" are days
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.?", value) and re.search(r"[€$£]\s*$|\d[.,]$", text[:start]):
            continue  # an amount, not a date
        value = value.strip()
        if value.endswith(".") and len(value.split()[-1]) > 4:
            value = value[:-1]  # the sentence's full stop, not an abbreviation ("Tues.")
        out.append((value, start, start + len(value)))
    return out


# --- reference numbers the keyword finders miss: codes with letters, digits and dashes -----------
_CODE = re.compile(r"(?<![\w/-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z]|\d{3,}-\d)[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,8}){1,4}(?![\w/-])")
_KIND_WORDS = [
    ("order", r"\b(?:order|orden|pedido|commande|bestellung|auftrag\w*|po|purchase|bon de commande|your ref)\b"),
    ("invoice", r"\b(?:invoice|factura|facture|rechnung)\b"),
    ("serial", r"\b(?:serial|s/n|sn|serie|série|seriennummer|numéro de série|número de serie)\b"),
]


def extra_ids(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end) for product-code-like ids outside ``taken``; kind from the words before it."""
    out = []
    for m in _CODE.finditer(text):
        start, end = m.span()
        if any(s <= start < e or s < end <= e for s, e in taken):
            continue
        value = m.group()
        if re.fullmatch(r"\d{1,4}-\d{1,4}", value) or re.fullmatch(r"[A-Z]{1,3}-\d{1,3}", value):
            continue  # ranges ("2-3"), model names ("TR-5", "RO-4") are not references
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, start - 40):start].lower()
        kind = next((k for k, pattern in _KIND_WORDS if re.search(pattern, before)), "other")
        if kind == "other" and not re.search(r"(?:ref|no|nr|n°|nº|#|number|núm|case|ticket|rma|tracking|quote|"
                                             r"cotización|devis|angebot|note|credit|lieferschein|bon|albarán)\W*\s*$",
                                             before):
            continue  # a product or model code in prose
        out.append((kind, value, start, end))
    return out

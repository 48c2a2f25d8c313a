"""What the model is asked for, and how its answer is checked against the text.

The model fills ``GENERATION_SCHEMA`` under llama.cpp's JSON-schema grammar
(every string and list is bounded, so a finished answer always fits in the
token budget). ``reconcile`` then turns that answer into the published
``OUTPUT_SCHEMA`` shape: model values that cannot be found in the source text
move to ``unverified``; deterministic hits (emails, phones, amounts, dates,
ids) the model missed are added.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from slm.plugins.structured import plain_text

from . import patterns


def _strings(max_items: int, max_len: int) -> dict[str, Any]:
    return {"type": "array", "maxItems": max_items, "items": plain_text(max_len)}


def _object(props: dict[str, int]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(props),
        "properties": {k: plain_text(n) for k, n in props.items()},
    }


LIST_FIELDS = ("companies", "emails", "phones", "addresses", "dates", "amounts",
               "order_numbers", "invoice_numbers", "serial_numbers")
GENERATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["people", *LIST_FIELDS, "action_items"],
    "properties": {
        "people": {"type": "array", "maxItems": 6, "items": _object({"name": 60, "title": 60, "company": 60})},
        "companies": _strings(6, 60),
        "emails": _strings(6, 60),
        "phones": _strings(6, 30),
        "addresses": _strings(4, 120),
        "dates": _strings(6, 30),
        "amounts": _strings(6, 30),
        "order_numbers": _strings(4, 30),
        "invoice_numbers": _strings(4, 30),
        "serial_numbers": _strings(4, 30),
        "action_items": {"type": "array", "maxItems": 6, "items": _object({"owner": 40, "task": 120, "due": 30})},
    },
}


@lru_cache(maxsize=1)
def output_schema() -> dict[str, Any]:
    """The published schema (plugins/extract/schema.json)."""
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w@.+-]+", " ", s.casefold()).split())


def _clean(value: Any) -> str:
    return " ".join(str(value).split()).strip(" ,;:") if value is not None else ""


class _Reconciler:
    def __init__(self, text: str):
        self.text = text
        self.norm_text = f" {_norm(text)} "
        self.unverified: list[dict[str, str]] = []
        self.emails = patterns.find_emails(text)
        from . import entities

        amounts, dates = patterns.find_amounts(text), patterns.find_dates(text)
        self.ids = patterns.find_ids_typed(text)
        taken = [(s, e) for _v, s, e in amounts + dates] + [(s, e) for _k, _v, s, e in self.ids]
        self.ids += entities.extra_ids(text, taken + [(s, e) for _v, s, e in self.emails])
        # weekdays, relative days and other languages; a weekday just before a found date joins it
        extra = entities.extra_dates(text, [(s, e) for _v, s, e in amounts] + [(s, e) for _k, _v, s, e in self.ids])
        joined = []
        for value, start, end in dates:
            before = [x for x in extra if x[2] <= start and re.fullmatch(r"[,\s]*", text[x[2]:start] or "")
                      and x[2] >= start - 3]
            if before:
                extra.remove(before[0])
                value, start = text[before[0][1]:end], before[0][1]
            joined.append((value, start, end))
        extra = [x for x in extra if not any(s <= x[1] < e for _v, s, e in joined)]
        dates = sorted(joined + extra, key=lambda d: d[1])
        self.phones = patterns.find_phones(text, not_phones=amounts + dates + [(v, s, e) for _, v, s, e in self.ids])
        self.amounts = [v for v, _, _ in amounts]
        self.dates = [v for v, _, _ in dates]
        self.date_keys = {patterns.parse_date(v) for v in self.dates} - {None}

    def in_text(self, value: str) -> bool:
        n = _norm(value)
        return bool(n) and f" {n} " in self.norm_text or (len(n) > 3 and n in self.norm_text)

    def proper_in_text(self, value: str) -> bool:
        """Found in the text written as a proper noun (capitalised or with digits), not as common words.

        Stops a model's stray common word ("the", "house") counting as a name or company
        just because the word occurs somewhere in the text.
        """
        if not self.in_text(value) or not re.search(r"[^\W\d_]", value):
            return False
        words = [re.escape(w) for w in re.findall(r"[\w@.&'-]+", value)]
        if not words:
            return False
        pattern = re.compile(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", re.IGNORECASE)
        return any(m.group()[:1].isupper() or m.group()[:1].isdigit() for m in pattern.finditer(self.text))

    def flag(self, field: str, value: str) -> None:
        if value and {"field": field, "value": value} not in self.unverified:
            self.unverified.append({"field": field, "value": value})

    def plain(self, field: str, values: list[Any]) -> list[str]:
        """Companies, addresses: kept only when the text contains them as proper nouns."""
        out: list[str] = []
        for raw in values:
            value = _clean(raw)
            if not value:
                continue
            if self.proper_in_text(value):
                _add(out, value)
            else:
                self.flag(field, value)
        return out

    def matched(self, field: str, values: list[Any], found: list[str], key) -> list[str]:
        """Typed values: kept (as the text wrote them) when a deterministic hit agrees."""
        keys = {key(v): v for v in found if key(v)}
        out: list[str] = []
        for raw in values:
            value = _clean(raw)
            if not value:
                continue
            k = key(value)
            if k and k in keys:
                _add(out, keys[k])
            elif self.in_text(value) and (k or field not in ("emails", "phones")):
                _add(out, value)
            else:
                self.flag(field, value)
        have = {key(o) or o.casefold() for o in out}
        for v in found:  # deterministic hits the model missed
            k = key(v) or v.casefold()
            if k not in have:
                have.add(k)
                out.append(v)
        return out


def _add(out: list[str], value: str) -> None:
    if value.casefold() not in (o.casefold() for o in out):
        out.append(value)


def _phone_key(v: str) -> str | None:
    digits = patterns.normalize_phone(v).lstrip("+")
    return digits[-7:] if len(digits) >= 7 else None


def _date_key(v: str) -> str | None:
    return patterns.parse_date(v)


def _amount_key(v: str) -> str | None:
    parsed = patterns.parse_amount(v)
    return f"{parsed[0]} {parsed[1].normalize()}" if parsed else None


def _id_key(v: str) -> str | None:
    return patterns.normalize_id(v) or None


def reconcile(answer: dict[str, Any], text: str) -> dict[str, Any]:
    """Model answer (GENERATION_SCHEMA) + source text -> published output (OUTPUT_SCHEMA)."""
    r = _Reconciler(text)
    people = []
    for p in answer.get("people", []):
        name = _clean(p.get("name"))
        if not name:
            continue
        if not r.proper_in_text(name):
            r.flag("people", name)
            continue
        person = {"name": name, "title": None, "company": None}
        for key in ("title", "company"):
            value = _clean(p.get(key))
            check = r.proper_in_text if key == "company" else r.in_text
            if value and re.search(r"[^\W\d_]{2}", value) and check(value):
                person[key] = value
            elif value:
                r.flag(f"people.{key}", value)
        if all(q["name"].casefold() != name.casefold() for q in people):
            people.append(person)

    out: dict[str, Any] = {"people": people}
    out["companies"] = r.plain("companies", answer.get("companies", []))
    for person in people:  # a person's company is a company too
        if person["company"]:
            _add(out["companies"], person["company"])
    out["emails"] = r.matched("emails", answer.get("emails", []), [v for v, _, _ in r.emails], lambda v: v.casefold() if "@" in v else None)
    out["phones"] = r.matched("phones", answer.get("phones", []), [v for v, _, _ in r.phones], _phone_key)
    out["addresses"] = r.plain("addresses", answer.get("addresses", []))
    dates = r.matched("dates", answer.get("dates", []), r.dates, _date_key)
    out["dates"] = [{"text": d, "iso": patterns.parse_date(d)} for d in dates]
    amounts = r.matched("amounts", answer.get("amounts", []), r.amounts, _amount_key)
    out["amounts"] = []
    for a in amounts:
        parsed = patterns.parse_amount(a)
        out["amounts"].append({"text": a, "currency": parsed[0] if parsed else None,
                               "value": format(parsed[1], "f") if parsed else None})
    by_kind: dict[str, list[str]] = {}
    for kind, value, _, _ in r.ids:
        by_kind.setdefault(kind, []).append(value)
    for field, kind in (("order_numbers", "order"), ("invoice_numbers", "invoice"), ("serial_numbers", "serial")):
        out[field] = r.matched(field, answer.get(field, []), by_kind.get(kind, []), _id_key)
    model_ids = {_id_key(v) for f in ("order_numbers", "invoice_numbers", "serial_numbers") for v in out[f]}
    out["reference_numbers"] = [v for v in by_kind.get("other", []) if _id_key(v) not in model_ids]

    out["action_items"] = []
    for item in answer.get("action_items", []):
        task = _clean(item.get("task"))
        if not task:
            continue
        owner, due = _clean(item.get("owner")) or None, _clean(item.get("due")) or None
        if owner and not r.in_text(owner):
            r.flag("action_items.owner", owner)
            owner = None
        if due and not (r.in_text(due) or _date_key(due) in r.date_keys):
            r.flag("action_items.due", due)
            due = None
        out["action_items"].append({"owner": owner, "task": task, "due": due})
    out["unverified"] = r.unverified
    return out


def render(data: dict[str, Any]) -> str:
    """A short human-readable listing of the extracted fields."""
    lines: list[str] = []
    for p in data["people"]:
        extra = ", ".join(x for x in (p["title"], p["company"]) if x)
        lines.append(f"Person: {p['name']}" + (f" ({extra})" if extra else ""))
    labels = [("companies", "Companies"), ("emails", "Emails"), ("phones", "Phones"),
              ("addresses", "Addresses"), ("order_numbers", "Orders"), ("invoice_numbers", "Invoices"),
              ("serial_numbers", "Serial numbers"), ("reference_numbers", "References")]
    for key, label in labels:
        if data[key]:
            lines.append(f"{label}: " + "; ".join(data[key]))
    if data["dates"]:
        lines.append("Dates: " + "; ".join(d["text"] + (f" ({d['iso']})" if d["iso"] else "") for d in data["dates"]))
    if data["amounts"]:
        lines.append("Amounts: " + "; ".join(a["text"] for a in data["amounts"]))
    for item in data["action_items"]:
        who = f"{item['owner']}: " if item["owner"] else ""
        due = f" (due {item['due']})" if item["due"] else ""
        lines.append(f"Action: {who}{item['task']}{due}")
    if data["unverified"]:
        lines.append(f"({len(data['unverified'])} model value(s) not found in the text were left out)")
    return "\n".join(lines) if lines else "No CRM fields found."


def deterministic_answer(text: str) -> dict[str, Any]:
    """What layout and patterns state, in the model's answer shape (reconcile checks and completes it)."""
    from . import entities

    return {"people": [{k: v or "" for k, v in p.items()} for p in entities.people(text)],
            "companies": entities.companies(text), "addresses": entities.addresses(text)}


def merge_answers(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` plus what ``extra`` adds: new people (and titles/companies ``base`` lacks), new list values."""
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in base.items()}
    people = {p["name"].casefold(): dict(p) for p in out.get("people", [])}
    for p in extra.get("people", []):
        name = _clean(p.get("name"))
        if not name:
            continue
        have = people.get(name.casefold())
        if have is None:
            people[name.casefold()] = {"name": name, "title": _clean(p.get("title")), "company": _clean(p.get("company"))}
        else:
            for key in ("title", "company"):
                have[key] = have.get(key) or _clean(p.get(key))
    out["people"] = list(people.values())
    for key, values in extra.items():
        if key != "people" and isinstance(values, list):
            merged = out.setdefault(key, [])
            for v in values:
                if v not in merged:
                    merged.append(v)
    return out


def deterministic(text: str) -> dict[str, Any]:
    """The whole extraction without a model (published output shape)."""
    return reconcile(deterministic_answer(text), text)


def action_items(text: str) -> list[dict[str, Any]]:
    """Action items stated in the text (the notes plugin's finder): [{owner, task, due}]."""
    from slm.plugins.notes.facts import find_facts

    return [a.to_dict() for a in find_facts(text).action_items]


_FOREIGN_FUNCTION_WORDS = frozenset(["el", "la", "los", "las", "lo", "un", "una", "y", "o", "de", "del", "al", "en", "con", "por", "para", "que", "es", "su", "sus", "le", "les", "du", "des", "et", "ou", "au", "aux", "il", "elle", "nous", "vous", "ce", "cette", "der", "die", "das", "den", "dem", "des", "ein", "eine", "und", "oder", "von", "vom", "zu", "zum", "zur", "im", "am", "ist", "mit", "für", "auf", "bei", "aus", "nach", "buenas", "hola", "gracias", "saludos", "atentamente", "bonjour", "merci", "cordialement", "hallo", "gesendet", "datum", "betreff", "ihre", "unsere", "sehr", "geehrte", "geehrter"])
_LEADING_WORDS = frozenset(["the", "a", "an", "this", "that", "these", "those", "our", "your", "my", "his", "her", "their", "hi", "hello", "hey", "dear", "thanks", "thank", "best", "kind", "from", "to", "with", "at", "for", "and", "or", "of", "in", "on", "by", "per", "via", "re", "fw", "fwd", "subject"])
_COMPANY_WORDS = frozenset(["systems", "system", "foods", "food", "bottling", "brewing", "brewery", "hotels", "hotel", "hotelera", "supply", "supplies", "services", "service", "solutions", "logistics", "engineering", "farms", "farm", "dairy", "electrical", "electric", "technologies", "technology", "industries", "partners", "labs", "laboratories", "pharma", "water", "waters", "works", "group", "holdings", "bank", "motors", "energy", "solar", "medical", "health", "clinic", "hospital", "distribution", "distributors", "trading", "imports", "exports", "manufacturing", "fluid", "fluids"])
_SINGLE_NAME_CONTEXT = (r"(?:^|\n)\s*(?:hi|hello|hey|dear|hola|bonjour|hallo|buenos días|buenas tardes|"
                        r"ask|call|tell|cc|with|and|from|by)?\s*{name}\s*[,!]"
                        r"|(?:thanks|regards|cheers|best|gracias|saludos|merci|cordialement|grüße)[^\n]{{0,12}}\n\s*{name}\s*(?:\n|$)"
                        r"|\b(?:hi|hello|hey|dear|hola|bonjour|hallo|ask|call|tell|cc|with|thanks|merci|gracias)\s+{name}\b")


def plausible_names(answer: dict[str, Any], text: str) -> dict[str, Any]:
    """The model's people and companies that can be names here. A person: capitalised words written so
    in the text, none a common word, month, title or function word, not a company; a lone first name
    only where the text addresses or signs with it. A company: a legal suffix, or a name written
    CamelCase or in capitals, or several capitalised words the text puts after "at/from/with". Nothing
    that holds a digit, a person's name, or sits inside an address. reconcile() checks the rest."""
    from slm.plugins.common_words import COMMON_WORDS
    from slm.plugins.faithful import MONTHS, WEEKDAYS

    from . import entities

    r = _Reconciler(text)
    skip = COMMON_WORDS | set(MONTHS) | set(WEEKDAYS) | _FOREIGN_FUNCTION_WORDS
    layout_people = {p["name"].casefold() for p in entities.people(text)}
    addresses = " ".join(entities.addresses(text)).casefold()

    def company_like(name: str) -> bool:
        words = name.split()
        if re.search(rf"(?:^|\s){entities._SUFFIX}$", name) or (len(words) > 1 and words[-1].casefold() in _COMPANY_WORDS):
            return True
        if len(words) == 1:
            w = words[0]
            return len(w) >= 3 and (w.isupper() or bool(re.search(r"[a-z][A-Z]", w)))
        context = re.search(rf"\b(?:at|from|with|for|of|bei|von|de|chez|para)\s+{re.escape(name)}\b", text)
        return bool(context)

    companies = []
    for c in (_clean(c) for c in answer.get("companies", [])):
        if not c or not r.proper_in_text(c) or any(ch.isdigit() for ch in c) or c.casefold() in layout_people:
            continue
        if c.casefold() in addresses or any(w.casefold() in skip for w in c.split()[:1]) or not company_like(c):
            continue
        companies.append(c)
    known = {c.casefold() for c in companies} | {c.casefold() for c in entities.companies(text)}
    people = []
    for p in answer.get("people", []):
        name = _clean(p.get("name"))
        parts = name.split()
        if not parts or not r.proper_in_text(name) or name.casefold() in known or any(ch.isdigit() for ch in name):
            continue
        if any(not re.match(r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+$", w) for w in parts) or parts[-1].casefold() in skip \
                or parts[0].casefold() in _LEADING_WORDS or parts[0].casefold() in _FOREIGN_FUNCTION_WORDS:
            continue  # "Will Chen" is a name though "will" is a word; "Quick Update", "The Invoice" are not
        if entities._TITLE_WORDS.search(name) or re.search(rf"(?:^|\s){entities._SUFFIX}$", name) \
                or parts[-1].casefold() in _COMPANY_WORDS \
                or name.casefold() in addresses or len(parts) > 3:
            continue
        if len(parts) == 1 and (len(name) < 3 or not re.search(_SINGLE_NAME_CONTEXT.format(name=re.escape(name)),
                                                               text, re.IGNORECASE)):
            continue
        people.append({"name": name, "title": "", "company": ""})
    companies = [c for c in companies if c.casefold() not in {p["name"].casefold() for p in people}]
    return {"people": people, "companies": companies}

"""People and companies named by context, without a model: what a salesperson's mail says around a name.

A name is a span of the text that the words around it mark as a person: a greeting
("Hi Mark,", "Hola Carlos:", "Sehr geehrte Frau Keller"), a sign-off ("Thanks,\\nAna",
"Thanks, Owen"), an e-mail header ("From: Grace Liu <...>"), a contact in brackets
("Neil Faulkner (neil@..., 07700 900123)"), a role before it ("our QA head Irene Park",
"their CFO, Rachel Kim"), an introduction ("this is Will Parker from Hadley Farms"), an
honorific ("M. Julien Moreau"), a person's verb ("Sam Lee has to ..."), a name someone is
met, called or written to ("with Will Chen and Hope Adeyemi"), being addressed ("Mike, can
you ..."), or an e-mail address that spells it ("rosa.mendez@" for "Rosa"). A company is
marked by "at / from / chez / bei" before a run of capitalised words carrying a
business word (Foods, Systems, Laiterie, Hotelera), or is a parcel carrier. Each
candidate must still look like a name: capitalised name words, none a common word,
month, title or business word. The cue words cover English, Spanish, French and German.
"""
from __future__ import annotations

import re

NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿß]+(?:-[A-ZÀ-ÖØ-Þa-zà-öø-ÿ][a-zà-öø-ÿß]+)?"
_PARTICLE = r"(?:van der|van den|van de|von der|de la|de los|van|von|de|del|da|di|du|dos|das|ter|le|la|bin|al)"
FULL_NAME = rf"{NAME_WORD}(?:\s+{_PARTICLE})?(?:[ \t]+{NAME_WORD}){{1,2}}"
ANY_NAME = rf"{NAME_WORD}(?:(?:\s+{_PARTICLE})?[ \t]+{NAME_WORD}){{0,2}}"
HONORIFIC = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Dña|Dott|Ing)\.?|M\."
_NOT_NAMES = frozenset("""team all everyone everybody there folks guys sir madam colleagues friends both again
customer customers client support care sales service services accounts billing office reception desk hr it
admin info here gentlemen ladies señor señora monsieur madame messieurs mesdames herren damen""".split())
_BUSINESS_WORDS = frozenset("""systems system foods food bottling brewing brewery breweries hotels hotel hotelera
supply supplies services solutions logistics engineering farms farm dairy dairies electrical electric
technologies technology industries industrial partners labs laboratories laboratorios pharma pharmaceuticals water
waters works group holdings bank motors energy solar medical health clinic clinics hospital hospitals distribution
distributors trading imports exports manufacturing fluid fluids shipping freight transport transportes logística
logistica construction constructions builders plumbing heating cooling hvac mechanical automation controls
instruments equipment machinery machines tools metals steel plastics chemicals chemical packaging printing
foods agro agri agricultural farming growers vineyards winery wines bodega bodegas cervecería cervecera aguas
laiterie fromagerie brasserie boulangerie société compagnie industrie industries entreprise établissements
gmbh getränke brauerei molkerei werke technik maschinenbau handel gruppe stadtwerke hotels resorts resort
restaurants restaurant catering cafe bakery bakeries market markets stores store retail wholesale consulting
capital ventures insurance properties estates realty airlines airways rail railways telecom networks software
digital media studios school schools university college institute academy council authority municipality
utilities utility co-op cooperative cooperativa coopérative robotics centre center centro zentrum
distribuidora distribuidor industrias grupo comercial constructora ingeniería servicios alimentos
installaties techniek bouw""".split())
_CARRIERS = ("DHL", "UPS", "FedEx", "TNT", "DPD", "GLS", "USPS", "Hermes", "DB Schenker", "Kuehne+Nagel",
             "Kuehne + Nagel", "Maersk", "Royal Mail", "Parcelforce", "Chronopost", "Colissimo", "Correos", "SEUR",
             "MRW", "Purolator", "Canada Post", "Australia Post", "PostNL", "Bpost", "Geodis", "XPO", "DSV",
             "Yodel", "Evri", "Aramex", "Poste Italiane", "BRT", "Nacex", "Estafeta")
_GREETING = (r"hi|hello|hey|hiya|dear|morning|good morning|good afternoon|good evening|hola|buenos días|buenas tardes|"
             r"buenas|estimad[oa]s?|querid[oa]|bonjour|bonsoir|salut|cher|chère|hallo|liebe[rs]?|sehr geehrte[rs]?|"
             r"guten (?:tag|morgen)|moin|servus|ciao|buongiorno|gentile|olá|oi|hej|hoi|beste|goedemorgen")
_SIGN_OFF = (r"thanks|thank you|many thanks|thx|best|best regards|kind regards|warm regards|regards|cheers|sincerely|"
             r"yours(?: sincerely| truly)?|talk soon|br|saludos(?: cordiales)?|un saludo|atentamente|gracias|muchas gracias|"
             r"cordialement|bien à vous|bien cordialement|merci|amitiés|grüße|viele grüße|beste grüße|"
             r"mit freundlichen grüßen|mfg|lg|danke|cumprimentos|obrigad[oa]|distinti saluti|grazie|met vriendelijke groet")
_HEADER = re.compile(r"(?im)^[ \t>]*(?:from|to|cc|bcc|reply-to|sender|de|para|à|a|von|an|envoyé par|enviado por)"
                     r"[ \t]*:[ \t]*(?P<value>[^\n]+)$")
_INTRO = re.compile(rf"(?i:\b(?:this is|(?:voicemail|message|call|note|mail) from|(?:mensaje(?: de voz)?|llamada|"
                    rf"correo|appel|message(?: vocal)?|anruf|nachricht|rückruf) (?:de|von)|it'?s|my name is|i am|i'm|soy|me llamo|le habla|habla|je suis|c'est|"
                    rf"ici|hier ist|ich bin|mein name ist))\s+(?P<name>{ANY_NAME})")
_ROLE = (r"CEO|CFO|COO|CTO|CIO|VP|MD|head|manager|director|buyer|engineer|lead|owner|president|contact|colleague|"
         r"boss|rep|representative|technician|accountant|controller|assistant|coordinator|supervisor|officer|"
         r"chemist|foreman|superintendent|planner|gerente|directora?|jef[ea]|responsable|directeur|directrice|"
         r"acheteur|acheteuse|leiter(?:in)?|geschäftsführer(?:in)?|einkäufer(?:in)?|kolleg(?:e|in)|compañer[oa]|"
         r"collègue|contacto|ansprechpartner(?:in)?|technicien(?:ne)?|ingénieur|commercial|técnic[oa]|ingenier[oa]|"
         r"vendedora?|colega|techniker(?:in)?|ingenieur(?:in)?|berater(?:in)?|contractor|installer|consultant|"
         r"electrician|plumber|driver|architect|counterpart")
_ROLE_BEFORE = re.compile(rf"\b(?i:{_ROLE})\b,?[ \t]+(?P<name>{FULL_NAME})")
_OWN_ROLE = re.compile(rf"\b(?i:our|their|his|her|your|my|su|sus|nuestr[oa]|notre|leur|son|sa|unser(?:e|em|en)?|"
                       rf"ihr(?:e|em|en)?|sein(?:e|em|en)?)[ \t]+(?:[\w-]+[ \t]+)?(?i:{_ROLE}),?[ \t]+(?P<name>{NAME_WORD})\b")
_PERSON_AT = re.compile(rf"(?P<name>{FULL_NAME})[ \t]+(?:from|at|of|with|de|chez|bei|von|aus|del)[ \t]+"
                        rf"(?:the[ \t]+)?[A-ZÀ-ÖØ-Þ]")
_CONTACT_AFTER = re.compile(rf"(?P<name>{FULL_NAME})[ \t]*(?:\((?=[^)\n]*(?:@|\d{{3}}))|<[^>\n]*@)")
_PERSON_VERB = re.compile(rf"(?P<name>{FULL_NAME})[ \t]+(?:has|had|is|was|will|would|said|says|asked|asks|wants|"
                          rf"needs|called|calls|confirmed|mentioned|approved|agreed|sent|requested|told|wrote|"
                          rf"emailed|replied|signed|prefers|can|could|should|may|might|promised|expects|thinks|"
                          rf"dijo|pidió|quiere|necesita|confirmó|a dit|demande|veut|a confirmé|sagte|möchte|"
                          rf"braucht|hat|ist)\b")
_MET = re.compile(rf"\b(?i:with|and|y|et|und|to|cc|by|ask|call|tell|contact|met|meet|meeting|spoke to|spoke with|"
                  rf"talked to|email|ping|introduce|per|for|attn|attention|con|avec|mit)[ \t]+(?P<name>{FULL_NAME})")
_APPOSITION = re.compile(rf"(?P<name>{FULL_NAME}),[ \t]+(?i:our|their|the|his|her|its|your|my|nuestr[oa]|su|notre|leur|"
                         rf"unser(?:e|er)?|ihr(?:e|er)?)[ \t]+[\w-]+")
_LIST_LABEL = re.compile(r"(?im)^[ \t]*(?:attendees|participants|present|people|contacts|asistentes|participantes|"
                         r"participants|présents|teilnehmer|anwesend)[ \t]*:[ \t]*(?P<value>[^\n]+)$")
_VOCATIVE = re.compile(rf"(?:^|[.:!?\n][ \t]*)(?P<name>{NAME_WORD}),[ \t]+(?i:can|could|would|will|please|pls|"
                       rf"let|our|we|you|i|thanks|do|are|did|just|quick|podrías|puedes|por favor|pourrais|"
                       rf"peux|merci|kannst|könntest|bitte)\b", re.MULTILINE)
_AT_COMPANY = re.compile(rf"\b(?i:at|from|of|chez|bei|von|de|del|da|für|para|pour|with|con|avec|mit|for)[ \t]+(?:the[ \t]+)?"
                         rf"(?P<company>(?:[A-ZÀ-ÖØ-Þ][\w'’&+-]*)(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’&+-]*|de|del|du|des|"
                         rf"la|le|of|and|&|für)){{0,4}})")
_STRONG_AT = {"chez", "bei"}


_PARTICLE_WORDS = frozenset("van der den de la los von del da di du dos das ter le bin al".split())


def _words(name: str) -> list[str]:
    return [w for w in name.split() if w not in _PARTICLE_WORDS]


def looks_like_person(name: str, skip: frozenset[str], single: bool = False) -> bool:
    """Name words only, the surname not a common word, the first not a function word; no business word."""
    from .entities import _TITLE_WORDS

    from .entities import _SUFFIX

    words = _words(name)
    if re.search(rf"(?:^|\s){_SUFFIX}$", name):
        return False
    if not words or (len(words) == 1 and not single) or len(words) > 3:
        return False
    low = [w.casefold() for w in words]
    if any(w in _BUSINESS_WORDS or w in _NOT_NAMES for w in low) or _TITLE_WORDS.search(name):
        return False
    if len(words) == 1:
        return len(words[0]) >= 3 and low[0] not in skip
    return low[-1] not in skip and not any(w in skip and w not in _FIRST_NAMES_THAT_ARE_WORDS for w in low[:-1])


# first names that are also English words: a capitalised one before a surname is still a name ("Will Chen")
_FIRST_NAMES_THAT_ARE_WORDS = frozenset("""will hope grace mark bill art faith joy rose rich frank sue pat
may june april dawn rob ray victor max amber ivy lily daisy bob jack jean chance dean earl guy""".split())


def skip_words() -> frozenset[str]:
    from slm.plugins.common_words import COMMON_WORDS
    from slm.plugins.faithful import MONTHS, WEEKDAYS

    from .fields import _FOREIGN_FUNCTION_WORDS, _LEADING_WORDS

    return frozenset(COMMON_WORDS | set(MONTHS) | set(WEEKDAYS) | _FOREIGN_FUNCTION_WORDS | _LEADING_WORDS)


def _email_tokens(text: str) -> set[str]:
    out: set[str] = set()
    for local in re.findall(r"([\w.+-]+)@[\w-]+(?:\.[\w-]+)+", text):
        out |= {t for t in re.split(r"[._+-]", local.casefold()) if len(t) >= 3}
    return out


def _role_like(value: str) -> bool:
    from .entities import _TITLE_WORDS

    return bool(_TITLE_WORDS.search(value)) and len(value.split()) <= 5


def people_by_context(text: str) -> list[str]:
    """Person names the context marks (see the module docstring), in order of first mention."""
    skip = skip_words()
    found: list[tuple[int, str, bool]] = []  # (position, name, single names allowed)

    def add(m: re.Match, group: str = "name", single: bool = False) -> None:
        name = re.sub(rf"^(?:{HONORIFIC})\s+", "", m.group(group).strip())
        if looks_like_person(name, skip, single=single):
            found.append((m.start(group), name, single))

    for m in re.finditer(rf"(?im)^[ \t]*(?:{_GREETING})[ \t]+(?:(?:{HONORIFIC})[ \t]+)?(?P<name>{ANY_NAME})"
                         rf"(?:[ \t]+(?:and|y|et|und|&)[ \t]+(?P<second>{ANY_NAME}))?[ \t]*(?:[,:!;\n]|$)", text):
        add(m, single=True)
        if m.group("second"):
            add(m, "second", single=True)
    for m in re.finditer(rf"(?im)^[ \t]*(?:{_SIGN_OFF})[ \t]*[,.!–-]*[ \t]*\n+[ \t]*[-–—]?[ \t]*(?P<name>{ANY_NAME})"
                         rf"[ \t]*(?=$|[,|/])", text):
        add(m, single=True)
    for m in re.finditer(rf"(?im)(?:^|[.!][ \t]+)(?:{_SIGN_OFF})[ \t]*[,–-][ \t]*(?P<name>{ANY_NAME})[ \t]*[.!]?[ \t]*$", text):
        add(m, single=True)
    for h in _HEADER.finditer(text):
        value = h.group("value")
        if re.match(r"[ \t]*[\"'][^\"',]*,", value):
            continue  # "Osei, Kwame" <...>: surname first, not a span to copy as the name
        first = re.match(rf"[ \t]*[\"']?(?:(?:{HONORIFIC})[ \t]+)?(?P<name>{ANY_NAME})[\"']?[ \t]*(?=<|,|;|$|\()", value)
        if first and looks_like_person(first.group("name"), skip, single=bool(re.search(r"<[^>]*@", value))):
            found.append((h.start("value") + first.start("name"), first.group("name"), True))
        for other in re.finditer(rf"[;,][ \t]*[\"']?(?P<name>{FULL_NAME})[\"']?[ \t]*<[^>]*@", value):
            if looks_like_person(other.group("name"), skip):
                found.append((h.start("value") + other.start("name"), other.group("name"), False))
    for m in re.finditer(rf"(?im)(?:^|[.!][ \t]+)(?:{_SIGN_OFF})[ \t]+(?P<name>{NAME_WORD})[ \t]*[.!]?[ \t]*$", text):
        add(m, single=True)
    for m in _LIST_LABEL.finditer(text):
        for part in re.finditer(rf"(?:^|[,;/]|\band\b)[ \t]*(?P<name>{ANY_NAME})[ \t]*(?=[,;/(]|\band\b|$)",
                                m.group("value")):
            if looks_like_person(part.group("name"), skip):
                found.append((m.start("value") + part.start("name"), part.group("name"), False))
    lines = text.splitlines()
    offset = 0
    for i, line in enumerate(lines):  # a name alone on a line, an e-mail or phone line right below: a signature
        m = re.fullmatch(rf"[ \t]*(?P<name>{FULL_NAME})[ \t]*", line)
        below = " ".join(lines[i + 1:i + 3])
        if m and (re.search(r"@[\w-]+\.", below) or re.search(r"(?:\+|\()?\d[\d ()./-]{6,}\d", below)):
            if looks_like_person(m.group("name"), skip):
                found.append((offset + m.start("name"), m.group("name"), False))
        offset += len(line) + 1
    for m in _OWN_ROLE.finditer(text):
        add(m, single=True)
    for pattern in (_INTRO, _ROLE_BEFORE, _CONTACT_AFTER, _PERSON_VERB, _MET, _APPOSITION, _PERSON_AT):
        for m in pattern.finditer(text):
            add(m)
    for m in re.finditer(rf"(?<![\w.])(?:{HONORIFIC})[ \t]+(?P<name>{ANY_NAME})", text):
        add(m, single=True)
    for m in _VOCATIVE.finditer(text):
        add(m, single=True)
    tokens = _email_tokens(text)
    if tokens:
        for m in re.finditer(rf"(?<![\w@.])(?P<name>{ANY_NAME})(?![\w@])", text):
            words = [w.casefold() for w in _words(m.group("name"))]
            if text[max(m.start() - 1, 0)] in "\"'" and re.match(r",", text[m.end():]):
                continue  # "Osei, Kwame" <kwame.osei@...>: a surname-first display name
            if words and (words[0] in tokens or (len(words) > 1 and words[-1] in tokens)):
                add(m, single=len(words) == 1)
    return _dedupe(found)


def _dedupe(found: list[tuple[int, str, bool]]) -> list[str]:
    names: list[str] = []
    for _pos, name, _single in sorted(found):
        if name.casefold() not in (n.casefold() for n in names):
            names.append(name)
    full = [n for n in names if len(n.split()) > 1]
    # a first name alone is the same person as a full name that starts (or ends) with it
    return [n for n in names if len(n.split()) > 1 or not any(f.split()[0] == n or f.split()[-1] == n for f in full)]


def companies_by_context(text: str, people: list[str]) -> list[str]:
    """Companies after "at / from / chez / bei ..." that carry a business word (or follow chez/bei), and carriers."""
    skip = skip_words()
    names = {p.casefold() for p in people}
    out: list[str] = []
    for m in _AT_COMPANY.finditer(text):
        run = m.group("company").strip()
        run = re.sub(r"(?:[ \t]+(?:de|del|du|des|la|le|of|and|&|für))+$", "", run)
        words = run.split()
        lead = m.group().split()[0].casefold()
        if not words or run.casefold() in names or any(w.casefold() in names for w in words[:1] if len(words) == 1):
            continue
        if words[0].casefold() in skip:
            continue
        business = any(w.casefold().strip(".,") in _BUSINESS_WORDS for w in words)
        if len(words) >= 2 and (business or (lead in _STRONG_AT and not re.fullmatch(FULL_NAME, run))):
            if run not in out:
                out.append(run)
    for h in _HEADER.finditer(text):  # "From: Tom Hale, Field Service Engineer, Brightwater Systems"
        parts = [p.strip() for p in h.group("value").split(",")]
        if len(parts) == 3 and parts[0].casefold() in names and _role_like(parts[1]) and \
                re.fullmatch(r"[A-ZÀ-ÖØ-Þ][\w'’&+.-]*(?:[ \t]+[\w'’&+.-]+){0,4}", parts[2]) and parts[2] not in out:
            out.append(parts[2])
    for value in companies_in_domains(text, names, skip):
        if not any(value in o or o in value for o in out):
            out.append(value)
    for carrier in _CARRIERS:
        if re.search(rf"(?<![\w-]){re.escape(carrier)}(?![\w-])", text) and carrier not in out:
            out.append(carrier)
    return out


_MAIL_PROVIDERS = frozenset("""gmail googlemail outlook hotmail live msn yahoo ymail aol icloud me mac gmx web
proton protonmail mail email orange free wanadoo laposte libero t-online yandex qq example""".split())


def _domain_labels(text: str) -> set[str]:
    out: set[str] = set()
    for host in re.findall(r"(?:@|\bwww\.|https?://)([\w-]+(?:\.[\w-]+)+)", text, re.IGNORECASE):
        labels = host.casefold().split(".")
        for label in labels[:-1] if len(labels) > 1 else labels:
            if label not in _MAIL_PROVIDERS and label not in ("www", "co", "com", "mail") and len(label) >= 4:
                out.add(re.sub(r"[^a-z0-9]", "", label))
    return out


def companies_in_domains(text: str, people: set[str], skip: frozenset[str]) -> list[str]:
    """A capitalised run the text's web or mail domain spells ("Nordhavn Shipping" for nordhavn-shipping.dk,
    "Contoso" for contoso.com): the name the company gave its own domain. Not a person's name."""
    labels = _domain_labels(text)
    out: list[str] = []
    if not labels:
        return out
    for m in re.finditer(r"(?<![\w@.-])[A-ZÀ-ÖØ-Þ][\w'’&+-]*(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’&+-]*|de|del|du|of|&|and))*", text):
        words = m.group().split()
        while words and (words[0].casefold() in skip or words[0].casefold() in ("de", "del", "du", "of", "&", "and")):
            words = words[1:]
        while words and words[-1].casefold() in ("de", "del", "du", "of", "&", "and"):
            words = words[:-1]
        run = " ".join(words)
        if not run or run.casefold() in people or any(run.casefold() in p.split() for p in people):
            continue
        key = re.sub(r"[^a-z0-9]", "", run.casefold())
        if len(key) < 4 or any(ch.isdigit() for ch in key):
            continue
        spelled = any(key == label or (len(key) >= 6 and key in label) or
                      (len(words) > 1 and len(label) >= 6 and (key.startswith(label) or key.endswith(label)))
                      for label in labels)
        if spelled and (len(words) > 1 or words[0][1:].islower() or words[0].isupper() or re.search(r"[a-z][A-Z]", words[0])):
            if run not in out:
                out.append(run)
    return out

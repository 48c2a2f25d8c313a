"""What kind of answer a question wants, and what it asks about that the documents may not cover.

Product documents answer "what is the maximum ..." with "up to 10 %", "how often ..." with
"every 6 months", "what do I check" with an instruction ("Check the injector ..."), and
illustrate rules with examples ("For example, ...") that are not the rule. ``weight`` scales
a sentence's score by these cues. ``missing_scope`` finds a currency or a country the question
asks about that no passage names ("per diem for Japan" over US and UK rates; "in euros" over a
dollar price list): the documents do not say, however close the nearest sentence looks.
"""
from __future__ import annotations

import re

_MAX_Q = re.compile(r"\b(?:max(?:imum)?|most|highest|largest|upper limit|cap|how (?:much|many|long) can)\b", re.I)
_MAX_A = re.compile(r"\b(?:up to|at most|no more than|not (?:more than|exceed)|maximum|max\.?|a maximum of|"
                    r"limited to|capped at)\b", re.I)
_MIN_Q = re.compile(r"\b(?:min(?:imum)?|least|lowest|smallest)\b", re.I)
_MIN_A = re.compile(r"\b(?:at least|minimum|min\.?|no less than|not less than|a minimum of)\b", re.I)
_OFTEN_Q = re.compile(r"\b(?:how often|interval|frequency|schedule|when is (?:\w+ ){1,4}due|when (?:do|should|must) (?:we|i|you) (?:replace|"
                      r"service|change|calibrate))\b", re.I)
_OFTEN_A = re.compile(r"\b(?:every|each|once|twice|annual(?:ly)?|yearly|monthly|weekly|daily|quarterly|per (?:year|"
                      r"month|week|day))\b", re.I)
_FIX_Q = re.compile(r"\b(?:what (?:do|should|can) (?:i|we|you) (?:check|do|try|look at)|how (?:do|can|to) (?:i |we |you )?"
                    r"(?:fix|clear|reset|solve|resolve|troubleshoot)|troubleshoot\w*|what to (?:check|do))\b", re.I)
_IMPERATIVE = re.compile(r"^(?:check|clean|replace|refill|reset|make sure|ensure|inspect|verify|contact|call|"
                         r"power-cycle|restart|tighten|flush|open|close|remove|drain|descale|top up|confirm|measure|"
                         r"test|adjust|re-?torque|press|switch|turn|disconnect|reconnect|update|send|return)\b", re.I)
# "how do i reset it" is answered by the sentence that says how to reset: "Reset by holding RESET for 3 seconds",
# "To reset, ...", "can be reset by pressing ..." (the question's own verb, with the means)
_HOW_TO = re.compile(r"\bhow (?:do|can|should|would|must|shall) (?:i|we|you|they|one) (\w+)|\bhow to (\w+)", re.I)
_VAGUE_VERBS = frozenset(["do", "get", "know", "go", "make", "say", "tell", "handle", "deal"])
_EXAMPLE = re.compile(r"^(?:for example|for instance|e\.g\.|example:|say,)", re.I)


# The unit a question's answer is given in: (what the question says, a figure in that unit). "how quick do
# we respond" wants "within 4 hours", not "Priority 1 (P1): ..."; "how heavy" wants "18 kg".
_UNIT_KINDS = [
    (re.compile(r"\bhow (?:long|quick(?:ly)?|soon|many (?:\w+ )?(?:seconds|minutes|hours|days|weeks|months|years))\b|"
                r"\bwhen\b.*\bdue\b|\b(?:interval|deadline|lead time|response time)\b", re.IGNORECASE),
     re.compile(r"\d[\d.,]*\s*(?:(?:business|working|operating|calendar) )?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b|"
                r"\bnext (?:business|working) day\b", re.IGNORECASE)),
    (re.compile(r"\bhow heavy\b|\bweigh", re.IGNORECASE), re.compile(r"\d\s*(?:kg|g|t|lbs?|tonnes?)\b", re.IGNORECASE)),
    (re.compile(r"\bhow (?:loud|noisy)\b|\bnoise\b|\bdb\b", re.IGNORECASE), re.compile(r"\d\s*db", re.IGNORECASE)),
    (re.compile(r"\bpressure\b|\bbar\b|\bpsi\b", re.IGNORECASE), re.compile(r"\d\s*(?:bar|psi|kpa|mpa)\b", re.IGNORECASE)),
    (re.compile(r"\bflow\b", re.IGNORECASE), re.compile(r"\d\s*(?:l/min|l/h|m³/h|m3/h|gpm)", re.IGNORECASE)),
    (re.compile(r"\bfrequency\b|\bhz\b", re.IGNORECASE), re.compile(r"\d\s*hz\b", re.IGNORECASE)),
    (re.compile(r"\btemperature\b|\bhow (?:hot|cold|warm)\b|°[cf]\b", re.IGNORECASE), re.compile(r"\d\s*°\s*[cf]\b", re.IGNORECASE)),
    (re.compile(r"\bhow (?:far|wide|tall|deep|high|big)\b|\b(?:clearance|distance|gap|height|width|depth|length)\b|"
                r"\bhow much (?:space|room)\b", re.IGNORECASE), re.compile(r"\d\s*(?:mm|cm|m|km|in|ft)\b", re.IGNORECASE)),
]
# a question about money, and an amount as a document writes it (the one pair every money check reads)
_MONEY_Q = re.compile(r"\b(?:price|prices|cost|costs|charge|charges|fee|fees|pay|paid|how much|rate|budget|quote|cuesta|"
                      r"cuánto|precio|prix|coûte|combien|preis|kostet|prezzo|costa|preço|custa)\b|[€$£¥₹]")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?(?:USD|EUR|GBP|p)\b|\d\s?% of (?:the )?(?:\w+ )?(?:list )?price", re.IGNORECASE)
# Questions that can only be answered with a value of one kind: "how long / how soon / how fast" a duration,
# "how heavy" a weight, "how loud" a noise level, "what does X cost" an amount of money. A sentence without
# one ("Priority 2 (P2): ..." for "how fast must a tech be on site") does not answer them.
_NEEDS = [
    (re.compile(r"\bhow (?:long|quick(?:ly)?|soon|fast)\b|\bhow many (?:seconds|minutes|hours|days|weeks|months|years)\b",
                re.IGNORECASE), _UNIT_KINDS[0][1]),
    (re.compile(r"\bhow heavy\b", re.IGNORECASE), _UNIT_KINDS[1][1]),
    (re.compile(r"\bhow (?:loud|noisy)\b", re.IGNORECASE), _UNIT_KINDS[2][1]),
    (re.compile(r"\b(?:how much (?:is|are|does|do|for|would)(?! (?:space|room|water|time)\b)|price of|cost of|"
                r"what do (?:we|i|you) charge|how much do (?:we|i|you) charge|what (?:does|do|would|will|did) (?:[\w-]+ ){1,8}cost)\b",
                re.IGNORECASE), _MONEY),
]


def talks_money(query: str) -> bool:
    """The question is about a price, cost, fee or rate, in any of the languages above ("cuánto cuesta")."""
    return bool(_MONEY_Q.search(query.casefold()))


def states_money(sentence: str) -> bool:
    """The sentence gives an amount of money ("$145.00", "120 EUR", "15% of the list price")."""
    return bool(_MONEY.search(sentence))


_AMOUNT = re.compile(r"[$€£¥]\s?\d[\d.,]*|\d[\d.,]*\s?(?:USD|EUR|GBP|p)\b", re.IGNORECASE)
_FIGURE = re.compile(r"(?<![\w-])\d")  # a number, not the digits of a code (BW-VFD-4)


def only_money(sentence: str) -> bool:
    """Every figure of the sentence is an amount of money (a price-list line: "BW-VFD-4 drive: $890.00")."""
    return states_money(sentence) and not _FIGURE.search(_AMOUNT.sub(" ", sentence))


def asks_price(query: str) -> bool:
    return bool(_NEEDS[-1][0].search(query))


def gives_value_asked(query: str, text: str) -> bool:
    """``text`` gives a value of each kind ``query`` can only be answered with (True when it needs none)."""
    return all(gives.search(text) for asks, gives in _NEEDS if asks.search(query))


def asks_unit(query: str) -> bool:
    """The question asks for a value in a unit other than money (a duration, a weight, a pressure ...)."""
    return any(asks.search(query) for asks, _gives in _UNIT_KINDS)


def in_unit_asked(query: str, sentence: str) -> bool:
    """``sentence`` gives a figure in the unit ``query`` asks for (a duration for "how long", kg for "how heavy")."""
    return any(asks.search(query) and gives.search(sentence) for asks, gives in _UNIT_KINDS)


_WITHOUT = re.compile(r"\b(?:without|w/o|except|excluding|sans|sin|sem|ohne|senza)\s+(?:(?:a|an|the|any|his|her|my|their)\s+)?"
                      r"(\w+)", re.I)


def excluded(query: str) -> list[str]:
    """The words a question rules out ("max discount without approval": a sentence about approval
    answers another question), as the query's own words."""
    return [m.group(1) for m in _WITHOUT.finditer(query)]


def weight(query: str, sentence: str) -> float:
    """How much more (or less) ``sentence`` looks like the kind of answer ``query`` wants."""
    w = 1.0
    if _MAX_Q.search(query) and _MAX_A.search(sentence):
        w *= 1.3
    if _MIN_Q.search(query) and _MIN_A.search(sentence):
        w *= 1.3
    if _OFTEN_Q.search(query) and _OFTEN_A.search(sentence):
        w *= 1.3
    if _FIX_Q.search(query) and _IMPERATIVE.search(sentence.lstrip("-*• ")):
        w *= 1.5
    if _says_how(query, sentence):
        w *= 1.5
    if _EXAMPLE.search(sentence.lstrip("-*• ")):
        w *= 0.6  # an illustration of a rule is not the rule
    return w


def _says_how(query: str, sentence: str) -> bool:
    """The sentence says how to do what a "how do i VERB" question asks: it starts with the verb ("Reset by
    holding ...", "To reset, ...") or gives the means right after it ("can be reset by pressing ...")."""
    m = _HOW_TO.search(query)
    verb = (m.group(1) or m.group(2)).lower() if m else ""
    if len(verb) < 3 or verb in _VAGUE_VERBS:
        return False
    stem = re.escape(verb[:-1] if verb.endswith("e") else verb)
    low = sentence.lstrip("-*• ").lower()
    return re.match(rf"(?:to )?{stem}\w*\b", low) is not None or re.search(rf"\b{stem}\w* (?:by|with|using)\b", low) is not None


# a currency: the words a question uses, and how a document writes it
_CURRENCIES = {
    "euro": r"€|\beur\b|\beuros?\b", "dollar": r"\$|\busd\b|\bdollars?\b", "pound": r"£|\bgbp\b|\bpounds?\b|\d\s?p\b",
    "yen": r"¥|\bjpy\b|\byen\b", "franc": r"\bchf\b|\bfrancs?\b", "krona": r"\bsek\b|\bnok\b|\bdkk\b|\bkron[ae]r?\b",
    "rupee": r"₹|\binr\b|\brupees?\b", "yuan": r"\bcny\b|\brmb\b|\byuan\b|元", "peso": r"\bmxn\b|\bpesos?\b",
    "real": r"\bbrl\b|r\$|\breais\b", "zloty": r"\bpln\b|\bzł|\bzloty\b", "dirham": r"\baed\b|\bdirhams?\b",
}
_CURRENCY_WORDS = {"euro": "euro", "euros": "euro", "eur": "euro", "€": "euro", "dollar": "dollar", "dollars": "dollar",
                   "usd": "dollar", "pound": "pound", "pounds": "pound", "gbp": "pound", "sterling": "pound",
                   "yen": "yen", "jpy": "yen", "franc": "franc", "francs": "franc", "chf": "franc", "krona": "krona",
                   "kronor": "krona", "krone": "krona", "sek": "krona", "nok": "krona", "dkk": "krona", "rupee": "rupee",
                   "rupees": "rupee", "inr": "rupee", "yuan": "yuan", "rmb": "yuan", "cny": "yuan", "peso": "peso",
                   "pesos": "peso", "mxn": "peso", "reais": "real", "brl": "real", "zloty": "zloty", "pln": "zloty",
                   "dirham": "dirham", "dirhams": "dirham", "aed": "dirham"}
# countries and regions, each with the ways a document may name it (a euro-area country is in the "Eurozone")
_EURO_AREA = r"eurozone|euro area|euro zone|europe|\beu\b"
_PLACES_UK = r"\bu\.?k\.?\b|united kingdom|britain"
_PLACES = {
    "us": r"\bu\.?s\.?a?\b|united states|america", "usa": r"\bu\.?s\.?a?\b|united states|america",
    "america": r"\bu\.?s\.?a?\b|united states|america", "uk": r"\bu\.?k\.?\b|united kingdom|britain|england",
    "britain": r"\bu\.?k\.?\b|united kingdom|britain", "england": r"\bu\.?k\.?\b|united kingdom|england",
    "canada": "canad", "mexico": "mexic", "brazil": "brazil|brasil", "argentina": "argentin", "chile": "chile",
    "germany": "german|deutschland|" + _EURO_AREA, "france": "france|french|" + _EURO_AREA,
    "spain": "spain|spanish|españa|" + _EURO_AREA, "italy": "ital|" + _EURO_AREA, "portugal": "portug|" + _EURO_AREA,
    "netherlands": "netherlands|dutch|holland|" + _EURO_AREA, "belgium": "belgi|" + _EURO_AREA,
    "switzerland": "swiss|switzerland", "austria": "austria|" + _EURO_AREA, "poland": "poland|polish",
    "sweden": "swed", "norway": "norw", "denmark": "denmark|danish", "finland": "finland|finnish|" + _EURO_AREA,
    "ireland": "ireland|irish|" + _EURO_AREA, "scotland": "scotland|scottish|" + _PLACES_UK, "wales": "wales|welsh|" + _PLACES_UK,
    "europe": "europe|\\beu\\b", "eu": "europe|\\beu\\b", "asia": "asia", "africa": "africa", "australia": "australia",
    "japan": "japan", "china": "china|chinese", "india": "india", "korea": "korea", "singapore": "singapore",
    "dubai": "dubai|\\buae\\b|emirates", "uae": "dubai|\\buae\\b|emirates", "turkey": "turkey|türkiye",
    "russia": "russia", "israel": "israel", "egypt": "egypt", "nigeria": "nigeria", "kenya": "kenya",
    "south africa": "south africa", "new zealand": "new zealand", "thailand": "thailand", "vietnam": "vietnam",
    "indonesia": "indonesia", "philippines": "philippines", "malaysia": "malaysia", "saudi": "saudi",
}


# cities field staff travel to or sell in, by the country a document's rates and rules name instead
_CITIES = {
    "new york": "us", "nyc": "us", "chicago": "us", "boston": "us", "houston": "us", "dallas": "us", "atlanta": "us",
    "miami": "us", "seattle": "us", "denver": "us", "san francisco": "us", "los angeles": "us", "washington": "us",
    "toronto": "canada", "montreal": "canada", "vancouver": "canada", "calgary": "canada", "ottawa": "canada",
    "london": "uk", "manchester": "uk", "birmingham": "uk", "leeds": "uk", "liverpool": "uk", "bristol": "uk",
    "edinburgh": "scotland", "glasgow": "scotland", "cardiff": "wales", "dublin": "ireland",
    "paris": "france", "lyon": "france", "marseille": "france", "berlin": "germany", "munich": "germany",
    "münchen": "germany", "hamburg": "germany", "frankfurt": "germany", "cologne": "germany", "köln": "germany",
    "madrid": "spain", "barcelona": "spain", "valencia": "spain", "seville": "spain", "sevilla": "spain",
    "rome": "italy", "roma": "italy", "milan": "italy", "milano": "italy", "lisbon": "portugal", "lisboa": "portugal",
    "porto": "portugal", "amsterdam": "netherlands", "rotterdam": "netherlands", "brussels": "belgium",
    "vienna": "austria", "wien": "austria", "zurich": "switzerland", "zürich": "switzerland", "geneva": "switzerland",
    "warsaw": "poland", "stockholm": "sweden", "oslo": "norway", "copenhagen": "denmark", "helsinki": "finland",
    "tokyo": "japan", "osaka": "japan", "beijing": "china", "shanghai": "china", "shenzhen": "china",
    "mumbai": "india", "delhi": "india", "bangalore": "india", "seoul": "korea", "sydney": "australia",
    "melbourne": "australia", "abu dhabi": "uae", "riyadh": "saudi", "istanbul": "turkey", "cairo": "egypt",
    "lagos": "nigeria", "nairobi": "kenya", "johannesburg": "south africa", "cape town": "south africa",
    "mexico city": "mexico", "são paulo": "brazil", "sao paulo": "brazil", "rio": "brazil", "buenos aires": "argentina",
    "santiago": "chile", "bangkok": "thailand", "jakarta": "indonesia", "manila": "philippines",
    "kuala lumpur": "malaysia", "auckland": "new zealand", "tel aviv": "israel",
}


def _places(query: str, *, story: bool = False) -> list[tuple[str, str]]:
    """(as the question names it, a pattern for how a document names it) of each country, region or city the
    question asks about; with ``story``, also those of its story ("how much is the px-500, quoting a hotel
    in denver": no scope the documents must have, but a line that names Denver is still the better one)."""
    from .gate import clauses, story_clauses

    told = [] if story else story_clauses(query)
    if told:
        query = " ".join(c for c in clauses(query) if c not in told)
    q = query.casefold()
    out = []
    for place, pattern in _PLACES.items():
        if not word_in(place, q):
            continue
        if place == "us" and not re.search(r"\b(?:in|for|within|to|the) (?:the )?us\b", q):
            continue  # "us" is mostly the pronoun
        if place == "eu" and not re.search(r"\bEU\b", query) and not re.search(r"\b(?:in|for|within|to|the) eu\b", q):
            continue  # Portuguese "eu" is "I"
        out.append((place, pattern))
    out += [(city, f"{re.escape(city)}|{_PLACES[country]}") for city, country in _CITIES.items() if word_in(city, q)]
    return out


def names_place(query: str) -> bool:
    return bool(_places(query, story=True))


def in_place_asked(query: str, sentence: str) -> bool:
    """``sentence`` names a place the question names, in its story too ("staying in manchester, how much for
    the hotel": the UK line; "Eurozone: up to €160 per night" for Paris)."""
    low = sentence.casefold()
    return any(re.search(pattern, low) for _place, pattern in _places(query, story=True))


def missing_scope(query: str, passages: list[str]) -> list[str]:
    """Currencies, countries and cities the question names that no passage names (in any of their spellings;
    a city by its country: Toronto is missing from rates for the US, the UK and the Eurozone)."""
    q = query.casefold()
    text = " ".join(passages).casefold()
    missing = []
    money = talks_money(q)
    for word in re.findall(r"[a-z]+|[€$£¥₹]", q):
        currency = _CURRENCY_WORDS.get(word)
        if not currency or not (money or re.search(rf"(?:\d|\b(?:in|en|em|per|into|to))\s*{re.escape(word)}\b", q)):
            continue  # "el peso en seco" (the dry weight) names no currency
        if not re.search(_CURRENCIES[currency], text) and word not in missing:
            missing.append(word)
    for place, pattern in _places(query):
        if not re.search(pattern, text) and place not in missing:
            missing.append(place)
    return missing


def word_in(word: str, text: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None

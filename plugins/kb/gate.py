"""Whether the documents can answer a question at all: "the documents do not say", judged on evidence.

Field staff write questions the way they talk ("um whats the hotel limit if im going to paris",
"cuánto cuesta la lampara de repuesto del uv80?", "px 500 full load amps? sizing the breaker").
Counting every question word that no top passage has calls most of those unanswerable. The
evidence used instead, from the index itself:

* a product code the question names (PX-800, bw-s60, hx-200) that no passage has is absence —
  however the code is written; a quantity ("60k", "7hrs", "20dh", "m3") is not a product code;
* a word the corpus does not contain at all ("breaker", "dairy", "cuesta", a typo too far from any
  index word) tells nothing either way: the documents may say it in other words or another language;
* a word the corpus does contain, but no top passage (with its headings) does, is evidence of
  absence in proportion to how informative it is (its IDF over the index); when the question names a
  product, a word found only in passages about other products ("noise level" of the PX pumps asked
  of the FX-500) is not found for it;
* chat filler and the function words of a few languages are no evidence at all; the story around what is
  asked (``aside_weights``) is weak evidence, and however long it is, at most half of what the passages cover;
* a product series ("S series") is a product like a code;
* a name the question gives a thing of a kind the documents name by name ("gold tier" where they have
  "the Basic tier"), and the thing an English "what X" question asks when no index word starts like X
  ("which adhesive"), are absence outright.

The question is refused when the absent part outweighs what the passages do cover, or when nothing
the question asks about is in the documents.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .terms import STOP_WORDS, codes, fold, passage_counts, terms

# Words that say nothing about what is asked: chat filler, and the function words of the languages field
# staff write in besides English (Spanish, French, German, Italian, Portuguese, Dutch). Folded like terms.
_FILLER_WORDS = """
hey hi hello um uh umm hmm ok okay pls plz please thanks thx ty q quick question sorry btw fyi asap lol
im ive id dont doesnt cant wont isnt u ur r ya yeah yes gonna wanna gotta got get getting going go
know think wondering wonder tell mean just really actually still ever never anything something else
again one like way lot bit kind sort also maybe someone somebody guy guys folks team anyone
take takes took find found buy bought make put keep let look fit fits well only off often soon out away under
limit limits cap allowed able whole ask asks asked asking want wants wanted
el la los las un una unos unas de del al y o en con por para que qué se su sus es son lo le les me mi
si no como cómo cuál cual cuánto cuanto cuánta cuanta cuántos cuantos cuándo cuando dónde donde hay
tiene tienen puedo puede podemos debo hacer damos dar está están este esta esto ese esa muy más
le la les des du un une et ou en dans pour par sur avec que qui quoi quel quelle quels quelles est sont
ce cet cette ces il elle ils elles on nous vous je tu mon ma mes son sa ses au aux ne pas plus faut
combien comment où y a-t-il peut peux dois doit
der die das den dem des ein eine einer eines einen und oder mit für von vom zum zur im am an auf aus
bei nach ist sind wie was wer wo wann welche welcher welches gibt es ich wir sie er man kann können
muss müssen soll hat haben noch auch nicht kein keine lautet bitte hoch viel
il lo gli le un uno una di da del della per con su che cosa quale quanto quanti come è sono c'è
o os as um uma do da dos das em no na por com qual quanto é são tem eu você voce nós ele ela eles elas posso pode
podemos preciso tenho meu minha
de het een en van voor met op aan wat welke hoe is zijn er
"""
FILLER = frozenset(fold(w) for w in _FILLER_WORDS.split())
# Units written after a figure: a quantity ("60k", "7hrs", "m3"), never a product code.
_UNITS = frozenset(["m", "mm", "cm", "km", "l", "ml", "kg", "g", "t", "kw", "w", "v", "a", "h", "hr", "hrs", "s", "min", "bar",
                    "psi", "dh", "nm", "hz", "db", "ft", "in", "lb", "lbs", "gpm", "k", "x"])
ABSENT_SHARE = 0.4  # the absent words' share of the question's informative weight (IDF) that refuses it
# The one weight of a word that says around what is asked, not what: the story ("..., sizing the breaker"),
# filler and particles ("um", "under warranty", "drive out"). Retrieval
# (KbIndex.search), this gate and the extractive answer all count such a word at this share of its weight.
ASIDE_WEIGHT = 0.2


@dataclass
class Verdict:
    missing: list[str] = field(default_factory=list)  # what no passage says, as the question wrote it; [] = answerable
    absent_share: float = 0.0
    known: int = 0  # informative words the corpus has
    known_words: list[str] = field(default_factory=list)  # those words: what an extractive answer must cover
    absent: list = field(default_factory=list)  # (word, idf) the corpus has but no passage (for it) does
    present: list = field(default_factory=list)


def product_codes(text: str) -> list[tuple[str, str]]:
    """The model and part codes of ``text`` (px-500, bw-s40, e21, uv80), not its quantities: a code that
    starts with a digit ("60k", "7hrs", "20dh") or is a unit with a power ("m3", "mm2") is a number."""
    out = []
    for raw, key in codes(text):
        letters = re.match(r"[a-z]+", key)
        if not letters or (letters.group() in _UNITS and len(key) - len(letters.group()) <= 1):
            continue
        out.append((raw, key))
    return out


# Idioms whose words mean something else in product documents ("per head": each person, not a pump's head).
_IDIOMS = re.compile(r"\b(?:per (?:head|person|pop)|a head|right now|at the moment|by any chance|in general)\b", re.I)


def informative(query: str, generic: set[str]) -> list[str]:
    """The question's words that could say what it asks about: no filler, no generic question word,
    no plain number (a figure the user gives: "150 km", "6500 l a day")."""
    names = kind_names(query)
    return [t for t in dict.fromkeys(terms(_IDIOMS.sub(" ", query))) if t not in generic and (t not in FILLER or t in names)
            and not t.isdigit() and len(t) > 1]


def kind_names(query: str) -> frozenset[str]:
    """Words right before a kind of thing ("plus contract", "plus tier", "plus customers"): a name, even when
    another language's filler is spelled the same (French "plus")."""
    words = re.findall(r"[^\W\d_]+", query.lower())
    return frozenset(t for name, kind in zip(words, words[1:]) if fold(kind) in _KINDS | {"customer"}
                     for t in terms(name))


def judge(query: str, passages: list[tuple[str, str]], index, generic: set[str]) -> Verdict:
    """``passages``: (heading, text) of the top hits. ``index``: the KbIndex they come from."""
    from .answer import matches

    asked_products = {key for _raw, key in product_codes(query)} | series(query)
    asked = {key for _raw, key in product_codes(query)}
    parts = {t for raw, _key in product_codes(query) for t in terms(raw)}  # "bw", "s25" of "bw s25"
    words = [w for w in informative(query, generic) if w not in parts or w in asked]
    total, frequencies = index.document_frequencies(words)
    # a word that stands for a filler or generic index word ("oft" -> "often") says nothing either
    known = {w: frequencies[w] for w in words if w in frequencies
             and frequencies[w][0] not in FILLER and frequencies[w][0] not in generic}
    aside = aside_weights(query)
    unknown = [w for w in words if w not in frequencies]
    unnamed = _unknown_names(query, unknown, index) or _unknown_asked(query, unknown, index)
    if unnamed:  # "gold tier" where the documents' tiers are Basic, Plus and Premium
        return Verdict(missing=unnamed, absent_share=1.0, known=len(known), known_words=list(known))
    if words and not known:  # nothing the question asks about is anywhere in the documents
        return Verdict(missing=[as_written(query, w) for w in words[:4]], absent_share=1.0)
    bags = []
    for heading, text in passages:
        bag = set(passage_counts(heading, text))  # with its headings' acronyms, as the index has it
        # a passage about other products does not say anything about the one asked for; what it is about is
        # what its heading and first line name ("PX-300", "PX Series ... > Operating conditions"): a policy
        # passage that names two products as exceptions ("... the FX-500-UV cannot be returned") is about all
        top = f"{heading}\n{text.splitlines()[0] if text else ''}"
        named = {key for _raw, key in product_codes(top)} | series(top)
        bags.append((bag, not asked_products or not named or any(_same_product(a, n) for a in asked_products
                                                                   for n in named)))
    absent, present = [], []
    for word, (term, df) in known.items():
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        if term != word and len(term) > len(word) + 1:  # read as a longer index word ("mech" -> "mechanical",
            # "seco" -> "second"): a guess; "weigh" -> "weight" is the same word
            idf *= 0.5
        if word not in asked:  # "..., sizing the breaker": why they ask, not what
            idf *= aside.get(word, 1.0)
        if word in asked:
            covered = any(matches(word, bag) or matches(term, bag) for bag, _ in bags)
        else:
            covered = any(speaks and (matches(word, bag) or matches(term, bag)) for bag, speaks in bags)
        (present if covered else absent).append((word, idf))
    # the story the passages lack ("was at the bakery, the oven floor is packed, the owner runs a hotel")
    # is weak evidence however long it is: at most half what the passages do cover
    told = sum(w for t, w in absent if t in aside and t not in asked)
    against = sum(w for t, w in absent) - told + min(told, 0.5 * sum(w for _t, w in present))
    weight = against + sum(w for _t, w in present)
    share = against / weight if weight else 0.0
    missing = [as_written(query, t) for t, _w in absent] if share >= ABSENT_SHARE else []
    # what an extractive answer must cover: the words of the clause that asks (the story's need not be in it)
    wanted = [w for w in known if w not in aside or w in asked] or list(known)
    return Verdict(missing=missing, absent_share=round(share, 3), known=len(known), known_words=wanted,
                   absent=absent, present=present)


# clause ends; " or " before a verb that asks starts the other alternative ("can i clear it remotely or do i
# have to drive out": what is asked is the first; the second is what the asker fears)
_CLAUSE = re.compile(r"([?,;:]|\s[-–—]\s|\.\s|!|\sor\s(?=(?:do|does|did|should|must|can|could|will|would|is|are|"
                     r"have|has|need|shall)\s))")
_WH = re.compile(r"\b(?:what|whats|how|which|when|where|who|why|qu[eé]|cu[aá]l\w*|cu[aá]nt\w*|c[oó]mo|d[oó]nde|quel\w*|"
                 r"combien|comment|wie|welche\w*|wann|quale|quanto|quanta|qual)\b", re.IGNORECASE)
# verbs that may ask ("is it", "can we"); German "was" is here, not above: English "was at the bakery" tells
_ASKS = re.compile(r"\b(?:is|are|can|do|does|should|must|any|gibt|est-ce|was)\b", re.IGNORECASE)

_BACK_REFERENCE = re.compile(r"\b(?:it|that|this|these|those|them|one)\b", re.IGNORECASE)


# "if" in the languages field staff write: the clause it opens is the case the asker is in, not what is asked
_CONDITION = re.compile(r"\s(if|si|se|wenn|falls)\s", re.IGNORECASE)
_CONDITION_WORDS = frozenset(["if", "si", "se", "wenn", "falls"])
_CONDITION_AFTER = 3  # words before the "if": "cuánto se paga" ("se" is also Spanish's "itself") is one clause


def _pieces(query: str) -> list[tuple[str, str]]:
    """(clause, what ends it) of ``query``: split at punctuation, at " or " before a verb that asks, and at an
    "if" that follows a clause of its own."""
    parts = _CLAUSE.split(query)
    out = []
    for text, end in ((parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)):
        m = _CONDITION.search(text)
        if m and len(text[:m.start()].split()) >= _CONDITION_AFTER:
            out += [(text[:m.start()], m.group(1).lower()), (text[m.end():], end)]
        else:
            out.append((text, end))
    return [(text, end) for text, end in out if text.strip()]


def asking_clauses(query: str) -> set[int]:
    """Indexes (in ``clauses(query)``) of the clauses that ask: those that end with "?" or have a question
    word; else the first with a verb that asks ("is", "can"); else the first. "customer on premium says the
    system is down, no treated water. how quick do we respond on a p1?" asks in its last clause only. Of two
    alternatives ("can i clear it remotely or do i have to drive out") the first asks; the clause an "if" opens
    ("what's the max credit if we miss response times") does not."""
    pieces = _pieces(query)
    asking = {i for i, (text, end) in enumerate(pieces) if end == "?" or _WH.search(text)}
    for i, (_text, end) in enumerate(pieces[:-1]):
        if (end.strip() == "or" or end in _CONDITION_WORDS) and i + 1 in asking:
            asking = (asking - {i + 1}) | {i}
    if not asking:
        asking = {next((i for i, (text, _end) in enumerate(pieces) if _ASKS.search(text)), 0)}
    return asking


def clauses(query: str) -> list[str]:
    return [text for text, _end in _pieces(query)]


def context_clauses(query: str) -> list[str]:
    """The parts of a question that say why it is asked, not what ("px 500 full load amps? sizing the
    breaker"): the clauses that do not ask (``asking_clauses``). None when what asks points back at them
    ("measured vibration on a px 500 today, whats the limit before i report it": the vibration is asked),
    or when they name less than two things the question could be about."""
    parts = clauses(query)
    if len(parts) < 2:
        return []
    from .answer import GENERIC

    asking = asking_clauses(query)
    if any(_BACK_REFERENCE.search(parts[i]) for i in asking):
        return []
    if len(informative(" ".join(parts[i] for i in asking), GENERIC)) < 2:
        return []  # "customer orders by the full case of 24, do they get anything off": the rest says what
    return [c for i, c in enumerate(parts) if i not in asking]


def story_clauses(query: str) -> list[str]:
    """The context clauses but those an "if" opens: "quoting a hotel in denver" is the story, "if im going to
    paris" the case the answer is for (its place is the scope asked about)."""
    pieces = _pieces(query)
    conditions = {pieces[i + 1][0] for i in range(len(pieces) - 1) if pieces[i][1] in _CONDITION_WORDS}
    return [c for c in context_clauses(query) if c not in conditions]


@lru_cache(maxsize=32)  # one question asks it three times: retrieval, the gate and the extractive answer
def aside_terms(query: str) -> frozenset[str]:
    """Terms only the context clauses have: what the question says around what it asks. A product code
    is never aside ("..., while their px300 is in the workshop": the answer is about the px300)."""
    aside = context_clauses(query)
    if not aside:
        return frozenset()
    named = {t for raw, key in product_codes(query) for t in (key, *terms(raw))}
    asked = set(terms(" ".join(c for c in clauses(query) if c not in aside)))
    return frozenset(set(terms(" ".join(aside))) - asked - named)


# Nouns for a kind of thing the documents name one by one ("the Basic tier", "Premium plan", "BW-VFD-4 drive")
_KINDS = frozenset(fold(w) for w in """tier tiers plan plans package packages level levels grade grades edition
editions version versions model models series option options contract contracts membership programme program
class bundle bundles kit kits""".split())


# "what / which" right before the thing asked for ("which adhesive", "what's the nightly limit"). English only:
# a question in another language often names the thing in a word the glossary lacks ("durée de vie")
_WHICH = re.compile(r"\b(?:what|which|whats|what's)\s+(?:(?:is|are|the|a|an)\s+)*([^\W\d_]{4,})", re.IGNORECASE)
_OF = frozenset(["of", "for", "on", "in", "at", "to", "from"])
_STEM = 5  # letters an index word shares with the word asked for to stand for it ("transmission": "transmittance")


def _unknown_asked(query: str, unknown: list[str], index) -> list[str]:
    """The thing an English "what X" question asks for, when no index word is near X or starts like it
    ("which adhesive do i use": no passage names an adhesive). X is the noun the words after "what" end in
    ("what's the nightly limit": the limit). A glossary word stands for its English."""
    from .glossary import is_glossary_word

    m = _WHICH.search(query)
    if not m:
        return []
    following = re.findall(r"[^\W\d_]+", query[m.start(1):].lower())[:4]
    head = following[0]
    for after in following[1:]:
        if after in _OF or after in STOP_WORDS:
            break
        head = after  # "nightly limit": "nightly" says which limit
    if (len(head) < 4 or head in FILLER or is_glossary_word(head) or not any(t in unknown for t in terms(head))
            or index.has_prefix(head[:_STEM])):
        return []
    return [head]


def _unknown_names(query: str, unknown: list[str], index) -> list[str]:
    """The names the question gives a thing of a kind the documents name by name ("gold tier" where they have
    "the Basic tier"; "Titan series") and do not have anywhere: that thing is not in them. ``unknown``: the
    question's terms the index lacks (no index word is near them either). A word of the glossary is a foreign
    word beside its English ("versão version"), not a name."""
    if not unknown:
        return []
    from .glossary import is_glossary_word

    words = re.findall(r"[^\W\d_]+", query.lower())
    out = []
    for name, kind in zip(words, words[1:]):
        if (fold(kind) not in _KINDS or not any(t in unknown for t in terms(name)) or is_glossary_word(name)
                or name.endswith(("est", "er"))):
            continue  # "cheapest model", "bigger plan": not a name
        named = re.compile(rf"(?<![.!?:]\s)(?<!^)\b[A-Z][\w-]*[ -]{re.escape(kind)}\b", re.MULTILINE)
        if any(named.search(text) for _heading, text in index.passages_with(fold(kind))):
            out.append(name)
    return out


@lru_cache(maxsize=32)
def aside_weights(query: str) -> dict[str, float]:
    """Query term -> ``ASIDE_WEIGHT`` for each word that says around what is asked (``aside_terms``, filler
    such as "under" or "out"); terms not in it count fully. Retrieval, the gate and the extractive answer read
    these same weights. Shared between callers: do not change it. (The unit of a figure the asker gives is
    not aside: "stored 8 months" is asked against "stored for more than 6 months".)"""
    named = {t for raw, key in product_codes(query) for t in (key, *terms(raw))}
    weak = set(aside_terms(query)) | ({t for t in terms(query) if t in FILLER} - kind_names(query))
    return {t: ASIDE_WEIGHT for t in weak - named}


_SERIES = re.compile(r"(?<![\w-])([a-z]{1,3})[ -]?series\b", re.IGNORECASE)


def series(text: str) -> set[str]:
    """The product series ``text`` names ("S series softeners", "the PX Series"), as keys ("series:s")."""
    return {f"series:{m.group(1).lower()}" for m in _SERIES.finditer(text)
            if m.group(1).lower() not in STOP_WORDS and m.group(1).lower() not in FILLER}


def _same_product(asked: str, named: str) -> bool:
    """"uv80" is the BW-UV80, "fx500uv" a variant of the FX-500: one key inside the other, at its end or start.
    A series is its models: "series:px" is the PX-300, "series:s" the BW-S25 (its letters, then a number)."""
    if asked.startswith("series:") != named.startswith("series:"):
        letters, code = (asked, named) if asked.startswith("series:") else (named, asked)
        return re.fullmatch(rf"[a-z]*?{re.escape(letters[7:])}\d\w*", code) is not None
    return asked == named or named.endswith(asked) or asked.startswith(named) or named.startswith(asked)


def as_written(query: str, term: str) -> str:
    """The question's own word for a folded term ("noise" for "nois")."""
    return next((w for w in re.findall(r"\w+", query.lower()) if term in terms(w)), term)

"""The model's one job in kb: phrase the answer the extractive step already found, keeping its values.

The answer's facts come from one deterministic step (``answer.extractive``: the passage
sentence that best answers the question). A small model given several passages picks the
wrong line, drops a unit or mixes two products' figures; given one sentence it only has to
say it as an answer ("The PX-300's maximum head is 45 m."). Its sentence is kept only when
it states the sentence's key values exactly as written (``key_values``: "71 dB(A)" for the
PX-500 out of a line giving all three models' noise levels) and nothing the sentence lacks
(``answer.supported``); otherwise the extracted sentence itself is the answer.
"""
from __future__ import annotations

import re

from slm.plugins.common_words import COMMON_WORDS

from .terms import code_key, codes, terms

# A value as a document writes it: an amount (currency sign, number, a range "4 to 6", a phone number
# "1-888-555-0110") and the unit after it ("45 m", "71 dB(A)", "2.4 m³/h", "16,000", "$1,740.00", "15%").
_NUM = r"(?:[$€£¥]\s?)?\d(?:[\d.,]*\d)?(?:-\d+)*(?::\d\d)?"
_UNIT = r"(?:\s?%|\s?°\s?[A-Za-z]+|\s?[A-Za-zµΩ][A-Za-z0-9µΩ²³/()]*)"
_VALUE = re.compile(rf"(?<![\w-]){_NUM}(?:\s?(?:to|–|-)\s?{_NUM})?(?P<unit>{_UNIT})?")
_UNIT_WORDS = frozenset(["seconds", "second", "secs", "sec", "minutes", "minute", "mins", "min", "hours",
                         "hour", "hrs", "hr", "h", "days", "day", "weeks", "week", "months", "month",
                         "years", "year", "kg", "g", "t", "lb", "lbs", "m", "mm", "cm", "km", "l", "ml",
                         "bar", "psi", "kw", "w", "v", "a", "hz", "db", "ohm", "ohms", "nm", "rpm", "units",
                         "unit", "pieces", "per", "cent", "percent"])
_SEGMENT = re.compile(r"[;,]\s+|\s+and\s+(?=(?:\S+\s+){0,2}\d)")


def _value(m: re.Match) -> str:
    """The value as written; its unit only when the word after the number is a unit ("45 m", not "45 Nm at")."""
    text = m.group()
    unit = m.group("unit")
    if unit:
        word = unit.strip()
        is_unit = (word.casefold() in _UNIT_WORDS or not word.isalpha() or
                   len(word) <= 3 and word.casefold() not in COMMON_WORDS)
        if not is_unit:
            text = text[: len(text) - len(unit)]
    return text.rstrip(".,")


def values(text: str) -> list[str]:
    """The values of ``text`` as written, in order ("Maximum head: 45 m" -> ["45 m"])."""
    return [v for v in (_value(m) for m in _VALUE.finditer(text)) if any(ch.isdigit() for ch in v)]


def key_values(sentence: str, query: str) -> list[str]:
    """The values of ``sentence`` that answer ``query``: all of them when it has one part; else those of
    the part (split at ";", "," or "and") that names most of what the question asks, codes first
    ("... 66 dB(A) for the PX-300 and 71 dB(A) for the PX-500" asked of the px-500: ["71 dB(A)"])."""
    found = values(sentence)
    if len(found) <= 1:
        return found
    asked_codes = {key for _raw, key in codes(query)}
    if not asked_codes:  # no model or code to tell its part from the others: "5 to 7 years, or ... below 70%"
        return found
    asked = set(terms(query))
    best: tuple[float, list[str]] | None = None
    for part in _SEGMENT.split(sentence):
        got = values(part)
        if not got:
            continue
        named = {key for _raw, key in codes(part)}
        score = 3 * len(asked_codes & named) + len(asked & set(terms(part)))
        if best is None or score > best[0]:
            best = (score, got)
        elif score == best[0]:
            best = (score, best[1] + got)  # no part stands out: the answer must keep them all
    return best[1] if best else found


def key_codes(sentence: str, query: str) -> list[str]:
    """The product and part codes of ``sentence`` an answer must keep ("Fit the optional DRK-15 dry-run kit"
    asked of the PX-150): all but the asked code's own series (the PX-300 beside the PX-500 asked is another
    model's value, which the key values' part already leaves out)."""
    asked = {key for _raw, key in codes(query)}
    series = {re.match(r"[a-z]*", key).group() for key in asked}
    return list(dict.fromkeys(raw for raw, key in codes(sentence.lower())
                              if key not in asked and re.match(r"[a-z]*", key).group() not in series))


def keeps_values(answer: str, sentence: str, query: str) -> bool:
    """The model's ``answer`` states each key value of ``sentence`` exactly as the sentence writes it, and
    each code it must keep however it is written ("drk15" for "DRK-15")."""
    flat = " ".join(answer.split()).casefold()
    said = {key for _raw, key in codes(flat)}
    return (all(" ".join(v.split()).casefold() in flat for v in key_values(sentence, query))
            and all(code_key(raw) in said for raw in key_codes(sentence, query)))


# Negation: a phrasing must say "not" where the sentence does, and only there ("cannot be returned" phrased
# "Yes, the customer can send it back" keeps every word that matters and says the opposite).
_NEGATION = re.compile(r"\b(?:not|no|never|none|nor|cannot|without|neither|nothing|n't)\b|n't\b|\bunable\b", re.I)
_YES = re.compile(r"^\W*yes\b", re.I)
_NO = re.compile(r"^\W*no\b", re.I)


def same_polarity(phrased: str, found: str) -> bool:
    """The phrasing denies what the sentence denies and affirms what it affirms."""
    negated = bool(_NEGATION.search(found))
    if _YES.match(phrased) and negated or _NO.match(phrased) and not negated:
        return False
    return bool(_NEGATION.search(_NO.sub("", phrased, count=1))) == negated


def checked_phrasing(text: str, found: str, source: str, query: str) -> tuple[str | None, list[dict]]:
    """(the model's phrasing of ``found`` without citations, or None; why it was dropped). ``source``:
    the text the model was given (``found`` under its heading). Kept only when every fact of it is in
    ``source`` (``answer.supported``) and it keeps ``found``'s key values as written."""
    from slm.plugins.faithful import cut_loop

    from .answer import CITE, supported

    said = CITE.sub("", cut_loop(text.strip())).strip()
    phrased, _cited, dropped = supported(said, [source], query, name_codes=False)
    if phrased is None:
        return None, dropped
    phrased = re.sub(r"\s+(?=[.,;:!?])", "", CITE.sub("", phrased)).strip()  # "16 bar [1]." -> "16 bar."
    if not same_polarity(phrased, found):
        return None, [*dropped, {"sentence": phrased, "reason": "says the opposite of the passage"}]
    if not keeps_values(phrased, found, query):
        said = {key for _raw, key in codes(phrased.lower())}
        missing = [v for v in key_values(found, query) if " ".join(v.split()).casefold() not in phrased.casefold()]
        missing += [raw for raw in key_codes(found, query) if code_key(raw) not in said]
        return None, [*dropped, {"sentence": phrased, "reason": "does not keep " + ", ".join(missing) + " as written"}]
    return phrased, dropped

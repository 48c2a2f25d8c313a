"""Check what a model wrote against the text it was given: no invented numbers, dates or names.

Small models write fluent sentences with facts that are not in their input (a
quantity, a weekday, a person). The built-in plugins keep a model sentence only
when every fact-like token in it can be found in the source text:

* numbers (``12``, ``$12,400``, ``15%``, ``3.5``) must occur in the source as numbers;
  number words (``twelve``) must occur as words;
* month and weekday names and relative dates (``tomorrow``, ``next week``) must occur;
* e-mail addresses and URLs must occur;
* a capitalised word must occur in the source (any case), unless it is an ordinary
  English word (``Thanks``, ``Please``, ``We``): then it is a sentence start, not a name.

``unsupported(sentence)`` lists the offending tokens (empty: the sentence is safe).
``Checker.keep(text)`` splits a text into sentences and keeps the safe, non-repeated
ones. Deliberately conservative: dropping a true sentence costs a little prose, keeping
an invented fact costs the user's trust.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .common_words import COMMON_WORDS

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]
RELATIVE = ["today", "tomorrow", "tonight", "yesterday", "weekend", "eow", "eod", "eom", "asap", "noon", "midnight", "morning", "afternoon", "evening", "week", "month", "quarter", "year", "weeks", "months", "days"]
NUMBER_WORDS = ["zero", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "dozen", "half", "double", "twice", "triple", "quarter", "first", "second", "third", "fourth", "fifth"]
_DATE_WORDS = set(MONTHS) | set(WEEKDAYS)
_FACT_WORDS = set(NUMBER_WORDS) | {"today", "tomorrow", "tonight", "yesterday", "asap", "eod", "eow", "eom"}

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._%'’&+/-]*[A-Za-z0-9%]|[A-Za-z0-9]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_EMAIL_OR_URL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|www\.\S+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_PLACEHOLDER = re.compile(r"\[[^\]]{1,40}\]|\{[^}]{1,40}\}|<[^>]{1,40}>|\bX{2,}\b|_{3,}")


def normalise_number(raw: str) -> str:
    """``12,400`` -> ``12400``, ``3.50`` -> ``3.5``, ``07`` -> ``7``: one spelling per value."""
    text = raw.replace(",", "")
    if text.count(".") > 1:  # 1.2.3: a version or a date, compare as written
        return raw
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        text = f"{int(whole or 0)}.{frac}" if frac else str(int(whole or 0))
    else:
        text = str(int(text))
    return text


def split_sentences(text: str) -> list[str]:
    """Sentences and lines (a bullet or a short line is its own sentence), stripped, blanks dropped."""
    out = []
    for piece in _SENTENCE_END.split(text or ""):
        piece = piece.strip().lstrip("-*•").strip()
        if piece:
            out.append(piece)
    return out


def words(text: str) -> list[str]:
    return [w.strip("'’.-/") for w in _TOKEN.findall(text or "") if w.strip("'’.-/")]


def sentence_key(sentence: str) -> str:
    """Sentences that differ only in case, spacing or punctuation share a key."""
    return " ".join(w.casefold() for w in words(sentence))


@dataclass
class Checker:
    """Facts of one source text, for checking many generated sentences against it."""

    source: str
    numbers: set[str] = field(init=False)
    lower_words: set[str] = field(init=False)
    lower_text: str = field(init=False)

    def __post_init__(self) -> None:
        self.numbers = set()
        for m in _NUMBER.finditer(self.source):
            self.numbers.add(normalise_number(m.group()))
            for part in re.split(r"[.,]", m.group()):  # "3.5" also vouches for "3"; "1,200" for nothing more
                if part and "," not in m.group():
                    self.numbers.add(normalise_number(part))
        self.lower_words = {w.casefold() for w in words(self.source)}
        for w in list(self.lower_words):  # possessives and plurals: "Dana's" vouches for "Dana"
            for suffix in ("'s", "’s", "s"):
                if w.endswith(suffix) and len(w) > len(suffix) + 1:
                    self.lower_words.add(w[: -len(suffix)])
        self.lower_text = " ".join(self.source.casefold().split())

    def unsupported(self, sentence: str) -> list[str]:
        """Fact-like tokens of ``sentence`` that the source does not contain."""
        bad: list[str] = []
        for m in _EMAIL_OR_URL.finditer(sentence):
            if m.group().casefold().rstrip(".,;") not in self.lower_text:
                bad.append(m.group())
        rest = _EMAIL_OR_URL.sub(" ", sentence)
        for m in _NUMBER.finditer(rest):
            if normalise_number(m.group()) not in self.numbers:
                bad.append(m.group())
        tokens = words(rest)
        for i, token in enumerate(tokens):
            low = token.casefold()
            if any(ch.isdigit() for ch in token):
                continue  # numbers were checked above
            base = low[:-2] if low.endswith(("'s", "’s")) else low
            if base in self.lower_words or low in self.lower_words:
                continue
            if base in _DATE_WORDS or base in _FACT_WORDS or token[:1].isupper() and base not in COMMON_WORDS or token.isupper() and len(token) > 1 and base not in COMMON_WORDS:
                bad.append(token)
        return bad

    def is_safe(self, sentence: str) -> bool:
        return not self.unsupported(sentence) and not _PLACEHOLDER.search(sentence)

    def grounding(self, sentence: str) -> float:
        """Share of the sentence's content words (not common words, 4+ letters) found in the source."""
        content = [w.casefold() for w in words(sentence) if len(w) >= 4 and w.casefold() not in COMMON_WORDS]
        if not content:
            return 1.0
        return sum(1 for w in content if w in self.lower_words or w.rstrip("s") in self.lower_words) / len(content)

    def keep(self, text: str, *, seen: set[str] | None = None,
             min_grounding: float = 0.0) -> tuple[list[str], list[dict]]:
        """(safe sentences in order without repeats, dropped [{sentence, reason}]).

        ``min_grounding`` > 0 also drops sentences most of whose content words the source
        lacks (a model telling its own story around the facts).
        """
        seen = set() if seen is None else seen
        kept, dropped = [], []
        for sentence in split_sentences(text):
            key = sentence_key(sentence)
            if not key:
                continue
            if key in seen:
                dropped.append({"sentence": sentence, "reason": "repeated"})
                continue
            bad = self.unsupported(sentence)
            if bad:
                dropped.append({"sentence": sentence, "reason": "not in the input: " + ", ".join(dict.fromkeys(bad))})
                continue
            if _PLACEHOLDER.search(sentence):
                dropped.append({"sentence": sentence, "reason": "placeholder"})
                continue
            if min_grounding and self.grounding(sentence) < min_grounding:
                dropped.append({"sentence": sentence, "reason": "mostly not from the input"})
                continue
            seen.add(key)
            kept.append(sentence)
        return kept, dropped


def cut_loop(text: str, n: int = 6) -> str:
    """Cut ``text`` where a run of ``n`` words starts repeating (small models loop)."""
    tokens = list(re.finditer(r"\S+", text))
    seen: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - n + 1):
        gram = tuple(t.group().casefold() for t in tokens[i:i + n])
        if gram in seen:
            return text[: tokens[i].start()].rstrip()
        seen[gram] = i
    return text


def echoes(sentence: str, instruction: str, threshold: float = 0.7) -> bool:
    """True when ``sentence`` mostly repeats the user's instruction back (a small model's habit)."""
    a, b = set(sentence_key(sentence).split()), set(sentence_key(instruction).split())
    if len(a) < 3 or not b:
        return False
    return len(a & b) / len(a) >= threshold

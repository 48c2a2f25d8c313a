"""Numbers written out in words, as figures: "twenty five percent of 80" -> "25 percent of 80".

"a hundred and fifty", "twelve hundred", "three thousand four hundred", "two point five",
"twenty-five". Only a run that reads as one number is rewritten: "twenty twenty five" (a year?
two numbers?) is left as words, and the readers refuse a word they cannot use. A lone "one"
stays a word ("which one"), and so does "a" unless a scale follows ("a hundred", "a thousand").
A number before a fraction word ("three quarters", "two thirds") is left to the readers that know
fractions.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .numbers import rx

_UNITS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {w: 10 * i for i, w in enumerate(["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]) if i >= 2}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", *_SCALES], key=len, reverse=True))
# a run of number words, joined by spaces, hyphens or "and"; "a" may open it before a scale;
# "point" and single digits may end it
_RUN = (rf"\b(?:an?\s+(?=(?:hundred|thousand|million)\b))?(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*"
        rf"(?:\s+point(?:\s+(?:{'|'.join(_UNITS)}))+)?\b")


def _value(words: list[str]) -> Decimal | None:
    """The number the words say, or None when they are not one number."""
    total, current, last = 0, 0, None  # last: "unit" | "teen" | "tens" | "hundred" | "scale"
    scale_seen = 10**12
    for w in words:
        if w in ("a", "an"):
            if last is not None:
                return None
            current, last = 1, "a"
        elif w in _UNITS:
            v = _UNITS[w]
            if last in ("unit", "teen") or (last == "tens" and v >= 10) or last == "a":
                return None
            current += v
            last = "teen" if v >= 10 else "unit"
        elif w in _TENS:
            if last in ("unit", "teen", "tens") or last == "a" or current % 100 >= 10:
                return None
            current += _TENS[w]
            last = "tens"
        elif w == "hundred":
            if last in ("hundred", None) or current >= 100 or current == 0 and last != "a":
                return None
            current *= 100
            last = "hundred"
        elif w in _SCALES:
            s = _SCALES[w]
            if last in (None, "scale") or s >= scale_seen or current == 0:
                return None
            total += current * s
            current, last, scale_seen = 0, "scale", s
        else:
            return None
    return Decimal(total + current)


def spelled_numbers(text: str) -> str:
    """``text`` (lower case) with each written-out number that reads as one number in figures."""
    if not rx(rf"\b(?:{_WORD})\b").search(text):
        return text

    def figure(m: re.Match) -> str:
        run = m.group()
        whole, _, point = run.partition(" point ")
        words = [w for w in re.split(r"[\s-]+", whole) if w and w != "and"]
        if words == ["one"] and not point:
            return run  # "which one", "one of them": a pronoun as often as a number
        if rx(r"\s*(?:halves|half|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?)\b").match(text, m.end()):
            return run  # "three quarters", "two thirds": fractions, read where they are known
        value = _value(words)
        if value is None:
            return run
        if point:
            digits = "".join(str(_UNITS[w]) for w in point.split())
            if any(int(d) > 9 for d in digits) or len(digits) != len(point.split()):
                return run
            return f"{value}.{digits}"
        return str(value)

    return rx(_RUN).sub(figure, text)


_FRACTION = {"a half": "5", "one half": "5", "a quarter": "25", "one quarter": "25", "three quarters": "75"}


def _hours(m: re.Match) -> str:
    minutes = int(m["m"])
    if minutes >= 60:
        return m.group()
    if minutes * 100 % 60:  # 2h20m is 2.333... hours: as minutes it stays exact (the readers turn them into hours)
        return f"{int(m['h']) * 60 + minutes} minutes"
    return f"{Decimal(m['h']) + Decimal(minutes) / 60} hours"


def _clock_span(m: re.Match) -> str:
    """'from 8:40 to 11:10' -> '150 minutes' (the same day: an end before the start is left as said)."""
    start, end = int(m["h1"]) * 60 + int(m["m1"]), int(m["h2"]) * 60 + int(m["m2"])
    if int(m["h1"]) > 24 or int(m["h2"]) > 24 or end <= start:
        return m.group()
    return f"{end - start} minutes"


def spoken_amounts(text: str) -> str:
    """Amounts said the way people say them, as figures (after spelled_numbers).

    "a grand" is 1,000 and "3 grand" 3,000 (not "a grand total"); "2 and a half" is 2.5, "3 and a
    quarter" 3.25, "1 and three quarters" 1.75; "1h45m" / "1 hr 45 mins" / "2h30" is 1.75 / 2.5 hours
    (a split that is not exact in hundredths is left alone). "double check this:" opens a question;
    it does not double anything.
    """
    text = rx(r"^(?:(?:can|could)\s+(?:u|you)\s+)?double[\s-]check(?:\s+(?:this|these|that|my\s+maths?))?\s*:?\s*").sub("", text)
    # fractions first: '3 and a half grand' is 3,500
    text = rx(r"(?<![\d.,])(\d+)\s+and\s+(a\s+half|one\s+half|a\s+quarter|one\s+quarter|three\s+quarters)\b").sub(
        lambda m: f"{m[1]}.{_FRACTION[' '.join(m[2].split())]}", text)
    text = rx(r"\ba\s+grand\s+and\s+a\s+half\b").sub("1500", text)
    text = rx(r"\ba\s+grand\b(?!\s+total)").sub("1000", text)
    text = rx(r"(?<![\d.,])(\d+(?:\.\d+)?)\s+grand\b(?!\s+total)").sub(
        lambda m: format((Decimal(m[1]) * 1000).normalize(), "f"), text)
    text = rx(r"(?<![\d.,])(?P<h>\d+)\s?(?:h|hrs?|hours?)\s?(?P<m>\d{1,2})\s?(?:m|mins?|minutes?)\b").sub(_hours, text)
    text = rx(r"(?<![\d.,])(?P<h>\d+)h(?P<m>\d{2})\b").sub(_hours, text)
    # "2 h 30 at 95": minutes after the hours with no unit, only where a price or the end follows
    text = rx(r"(?<![\d.,])(?P<h>\d+)\s(?:h|hrs?)\s(?P<m>[0-5]\d)(?=\s*(?:$|,|\+|@|at\b|à\b|for\b))").sub(_hours, text)
    text = rx(r"(?<![\d.,])(?P<n>\d+(?:\.\d+)?)h\b(?![/\d])").sub(lambda m: f"{m['n']} hours", text)  # "3.5h each"
    return rx(r"\bfrom\s+(?P<h1>\d{1,2}):(?P<m1>[0-5]\d)\s+(?:to|till|until|-)\s+(?P<h2>\d{1,2}):(?P<m2>[0-5]\d)\b").sub(
        _clock_span, text)


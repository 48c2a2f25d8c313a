"""The prompt as the readers see it: lower case, one spacing, scales and percent words written out,
polite openings dropped, and a rounding request ("rounded to 2 decimals") taken out and kept.

Patterns are compiled on first use (``rx``), so importing calc stays cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .numbers import NUMBER, CalcError, guard_input, parse_number


@cache
def rx(pattern: str) -> re.Pattern:
    """A compiled pattern, compiled once on first use."""
    return re.compile(pattern)


# Openings that ask for a calculation without saying which; they never change the arithmetic.
_FILLERS = (r"^(?:(?:please|pls|plz|hey|hi|hello|ok|okay|so|and|quick\s+one|quick\s+q(?:uestion)?|quick|"
            r"can\s+you|could\s+you|would\s+you|can\s+u|could\s+u|pls|kindly|tell\s+me|show\s+me|help\s+me|"
            r"i\s+need\s+to\s+know|i\s+need\s+to|i\s+need|i\s+want\s+to\s+know|i\s+want\s+to|need\s+to\s+know|"
            r"need|wondering|calculate|calc|compute|work\s+out|figure\s+out|find|what\s+is|what's|whats|what\s+are|"
            r"how\s+much\s+is|how\s+much\s+are|how\s+much|give\s+me|if|volume\s+of|length\s+of|weight\s+of|"
            r"mass\s+of|distance\s+of)\b[\s,:]*)+")
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]) if i >= 2}
_FRACTION_WORDS = {"a quarter": "25%", "a half": "50%", "half": "50%", "three quarters": "75%"}
_SCALES = {"thousand": 3, "million": 6, "mn": 6, "billion": 9, "bn": 9}
_PLACE_WORDS = {"zero": 0, "no": 0, "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# what "to the nearest X" means in decimal places (a whole dollar is 0 places; "nearest 10" is -1)
_NEAREST = {"cent": 2, "cents": 2, "penny": 2, "pennies": 2, "hundredth": 2, "tenth": 1, "thousandth": 3,
            "dollar": 0, "dollars": 0, "euro": 0, "euros": 0, "pound": 0, "pounds": 0, "whole": 0, "unit": 0,
            "integer": 0, "whole number": 0, "whole dollar": 0, "whole dollars": 0, "whole euro": 0, "buck": 0,
            "ten": -1, "10": -1, "hundred": -2, "100": -2, "thousand": -3, "1000": -3, "1,000": -3}
_ROUNDING = (r"(?:,|;|\band\b|\s)*(?:please\s+)?(?P<verb>round(?:ed)?|rnd)(?:\s+(?:it|that|this|answer|result))?"
             r"(?:\s+(?P<dir>up|down|off))?(?:\s+to)?(?:\s+the)?(?:\s+nearest)?"
             r"(?:\s+(?P<n>\d+|zero|no|one|a|two|three|four|five|six)\s*(?:decimal\s+places?|decimals?|dp|places?|"
             r"digits?(?:\s+after\s+(?:point|decimal))?)|\s+(?P<near>" + "|".join(
                 sorted(map(re.escape, _NEAREST), key=len, reverse=True)) + r"))?(?:\s+please)?")
# "... to 2 decimal places" with no verb
_PLACES_ONLY = (r"(?:,|\s)*(?:to|in|at)\s+(?P<n>\d+|one|two|three|four)\s*(?:decimal\s+places?|decimals?|dp)"
                r"(?:\s+please)?")


_LY = {"year": "yearly", "month": "monthly", "quarter": "quarterly", "week": "weekly"}


@dataclass(frozen=True)
class Rounding:
    places: int | None  # decimal places; negative for tens, hundreds; None: the result's own rounding
    mode: str  # "half_up" | "up" | "down"
    text: str  # as asked, for the working


def _rounding_of(m: re.Match) -> Rounding | None:
    if m.groupdict().get("near"):
        places = _NEAREST[" ".join(m["near"].split())]
    elif m["n"]:
        places = int(m["n"]) if m["n"].isdigit() else _PLACE_WORDS[m["n"]]
        if places > 10:
            raise CalcError("I round to at most 10 decimal places")
    elif m.groupdict().get("verb"):
        places = None  # "rounded": each result's own rounding (cents for money)
    else:
        return None
    direction = m.groupdict().get("dir")
    mode = {"up": "up", "down": "down"}.get(direction or "", "half_up")
    return Rounding(places, mode, " ".join(m.group().strip(" ,;").split()))


def take_rounding(text: str) -> tuple[str, Rounding | None]:
    """The text without its rounding request, and the request (at the end, or at the start: 'round 10/3 to 2 dp')."""
    for pattern in (rf"{_ROUNDING}$", rf"{_PLACES_ONLY}$"):
        m = rx(pattern).search(text)
        if m and m.group().strip():
            rounding = _rounding_of(m)
            if rounding is not None:
                return text[:m.start()].strip(" ,;"), rounding
    m = rx(rf"^round(?:\s+up|\s+down)?\s+(?P<body>.+?)\s+to\s+(?:nearest\s+)?"
           rf"(?:(?P<n>\d+|one|two|three|four)\s*(?:decimal\s+places?|decimals?|dp|places?)|"
           rf"(?P<near>cent|whole\s+number|dollar|integer))$").match(text)
    if m:
        head = text[:m.start("body")]
        near = m["near"]
        places = _NEAREST[" ".join(near.split())] if near else (int(m["n"]) if m["n"].isdigit()
                                                                 else _PLACE_WORDS[m["n"]])
        mode = "up" if " up" in head else "down" if " down" in head else "half_up"
        return m["body"], Rounding(places, mode, " ".join(text[m.end("body"):].split()))
    return text, None


def normalise(text: str) -> tuple[str, Rounding | None]:
    """The prompt in the readers' form, and the rounding it asks for (None: each result's own rounding)."""
    text = guard_input(text)
    text = re.sub(r"(?<![\w.,])(\d+(?:\.\d+)?)\s?(M|MM|B|bn)\b",  # "1.8M", "2B": case tells them from metres
                  lambda m: m[1] + {"M": " million", "MM": " million", "B": " billion", "bn": " billion"}[m[2]], text)
    text = text.lower()
    text = text.replace("−", "-").replace("–", "-").replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"[?!.\s=]+$", "", text)
    text = re.sub(r"\b(?:thanks|thank\s+you|thx|ty|cheers|pls|please|plz)\s*[!.]*$", "", text).strip(" ,")
    text = re.sub(r"[?!.\s=]+$", "", text)
    text, rounding = take_rounding(text)
    text = rx(_FILLERS).sub("", text).strip()
    text = re.sub(r"\b(year|month|quarter|week)[\s-]+(?:over|on)[\s-]+\1\b", lambda m: _LY[m[1]], text)
    text = re.sub(r"\byoy\b", "yearly", text)
    if not re.search(r"\d\s?k\s+(?:to|in|into)\s", text):  # "250k" is thousands unless it is kelvin
        text = re.sub(rf"(?<![\d.,])({NUMBER})k\b", r"\1 thousand", text)
    text = re.sub(r"(\d)\s*(?:percent|per cent|pct)\b", r"\1%", text)
    text = re.sub(r"\b(?:percent|per cent|pct)\b", "%", text)
    text = rx(rf"(?<![\d.,])({NUMBER})\s*({'|'.join(_SCALES)})\b").sub(_scale, text)
    text = re.sub(r"(\d)\s+%", r"\1%", text)
    text = re.sub(r"\bthe\b\s*", "", text).strip()
    text = re.sub(r"\b(?:another|an\s+additional|additional|a\s+further|further|an\s+extra)\s+(?=\d)", "", text)
    text = re.sub(rf"\b({'|'.join(NUMBER_WORDS)})\s+(ways|people|persons|parts|shares|reps|months|equal)\b",
                  lambda m: f"{NUMBER_WORDS[m[1]]} {m[2]}", text)
    text = re.sub(rf"\bby\s+({'|'.join(_FRACTION_WORDS)})$", lambda m: f"by {_FRACTION_WORDS[m[1]]}", text)
    return text, rounding


def _scale(m: re.Match) -> str:
    """'1.2 million' -> '1200000' (exact: scaleb shifts the decimal point)."""
    return format(parse_number(m[1]).scaleb(_SCALES[m[2]]).normalize(), "f")


# ", what's the final" / ", what do they pay": the question restated after the figures (no digits in it)
TAIL = r"\s*,?\s*(?:(?:so\s+)?what(?:'s|\s+is|\s+do|\s+does|\s+will)?|how\s+much)\b(?!.*\d)[^,]*$"

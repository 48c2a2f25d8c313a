"""The prompt as the readers see it: lower case, one spacing, scales and percent words written out,
polite openings dropped, and a rounding request ("rounded to 2 decimals") taken out and kept.

Patterns are compiled on first use (``rx``), so importing calc stays cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .foreign import is_foreign, to_english
from .numbers import NUMBER, CalcError, guard_input, parse_number, rx
from .spelled import spelled_numbers, spoken_amounts
from .vocab import PRODUCT_CODE

# words that make a lower-case "2.4m" millions rather than metres
_MONEY_CONTEXT = (r"[$€£¥₹]|\b(?:revenue|budget|sales|spent|spend|profit|turnover|income|deal|contract|loan|price|"
                  r"cost|costs|funding|raise|raised|valuation|salary|payroll|usd|eur|gbp|dollars?|euros?)\b")


# Openings that ask for a calculation without saying which; they never change the arithmetic.
_FILLERS = (r"^(?:(?:please|pls|plz|hey|hi|hello|ok|okay|so|and|quick\s+one|quick\s+q(?:uestion)?|quick|"
            r"(?:can|could|would)\s+(?:you|u)(?:\s+(?:please|pls|just|quickly))?(?:\s+do)?|pls|kindly|tell\s+me|show\s+me|help\s+me|"
            r"i\s+need\s+to\s+know|i\s+need\s+to|i\s+need|i\s+want\s+to\s+know|i\s+want\s+to|need\s+to\s+know|"
            r"need|wondering|calculate|calc|compute|work\s+out|figure\s+out|find|what\s+is|what's|whats|what\s+are|what(?=\s+\d)|"
            r"how\s+much\s+is|how\s+much\s+are|how\s+much|give\s+me|if|volume\s+of|length\s+of|weight\s+of|"
            r"mass\s+of|distance\s+of)\b[\s,:]*)+")
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ]) if i >= 2}
_FRACTION_WORDS = {"a quarter": "25%", "a half": "50%", "half": "50%", "three quarters": "75%"}
_SCALES = {"thousand": 3, "million": 6, "mn": 6, "billion": 9, "bn": 9}
_PLACE_WORDS = {"zero": 0, "no": 0, "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# what "to the nearest X" means in decimal places (a whole dollar is 0 places; "nearest 10" is -1)
_NEAREST = {"cent": 2, "cents": 2, "penny": 2, "pennies": 2, "hundredth": 2, "tenth": 1, "thousandth": 3,
            "dollar": 0, "dollars": 0, "euro": 0, "euros": 0, "pound": 0, "pounds": 0, "whole": 0, "unit": 0,
            "integer": 0, "whole number": 0, "whole dollar": 0, "whole dollars": 0, "whole euro": 0, "buck": 0,
            "ten": -1, "10": -1, "hundred": -2, "100": -2, "thousand": -3, "1000": -3, "1,000": -3}
_NEAR_WORDS = "|".join(sorted(map(re.escape, _NEAREST), key=len, reverse=True))
_ROUNDING = (r"(?:,|;|\band\b|\s)*(?:please\s+)?(?P<verb>round(?:ed)?|rnd)"
             r"(?:\s+(?:it|that|this|answer|result|each\s+share|each\s+one|each|share|per\s+person|total))?"
             r"(?:\s+(?P<dir>up|down|off))?(?:\s+to)?(?:\s+the)?(?:\s+(?P<nearest>nearest|next))?"
             r"(?:\s+(?P<n>\d+|zero|no|one|a|two|three|four|five|six)\s*(?:decimal\s+places?|decimals?|dp|places?|"
             r"digits?(?:\s+after\s+(?:point|decimal))?)|\s+(?P<near>" + _NEAR_WORDS + r"))?(?:\s+please)?")
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
    direction = m.groupdict().get("dir") or ("up" if m.groupdict().get("nearest") == "next" else "")
    mode = {"up": "up", "down": "down"}.get(direction, "half_up")
    return Rounding(places, mode, " ".join(m.group().strip(" ,;").split()))


def take_rounding(text: str) -> tuple[str, Rounding | None]:
    """The text without its rounding request, and the request (at the end, or at the start: 'round 10/3 to 2 dp')."""
    for pattern in (rf"{_ROUNDING}$", rf"{_PLACES_ONLY}$"):
        m = rx(pattern).search(text)
        if m and m.group().strip():
            rounding = _rounding_of(m)
            if rounding is not None:
                return text[:m.start()].strip(" ,;"), rounding
    m = rx(rf"^round(?:\s+up|\s+down)?\s+(?P<body>.+?)\s+to\s+(?:the\s+)?(?:nearest\s+|next\s+)?"
           rf"(?:(?P<n>\d+|one|two|three|four)\s*(?:decimal\s+places?|decimals?|dp|places?)|"
           rf"(?P<near>{_NEAR_WORDS}))$").match(text)
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
    text, rounding, _ = read_prompt(text)
    return text, rounding


def read_prompt(prompt: str) -> tuple[str, Rounding | None, str]:
    """``normalise``'s two, and the question as typed (lower case, in English) for the readers that need
    the asking words. The language is detected once for both."""
    text = guard_input(prompt)
    text = re.sub(r"(?<![\w.,])(\d+(?:\.\d+)?)\s?(M|MM|B|bn)\b",  # "1.8M", "2B": case tells them from metres
                  lambda m: m[1] + {"M": " million", "MM": " million", "B": " billion", "bn": " billion"}[m[2]], text)
    text = text.lower()
    text = text.replace("−", "-").replace("–", "-").replace("’", "'")
    foreign = is_foreign(text)
    if "€" in text or foreign:  # "1.000 €", "2.450 euros": a dot before three digits groups thousands
        # "€2.150, totaal?": a comma after the figure ends it (only ",5" would make it a decimal)
        text = re.sub(r"(?<![\d.,])([1-9]\d{0,2})((?:\.\d{3})+)(?!\d|,\d|\.\d)",
                      lambda m: m[1] + m[2].replace(".", ""), text)
        _no_dotted_figure_left(text)
    else:
        _unambiguous_separators(text)
    text = to_english(text, foreign)  # "15% de descuento sobre 200" -> "15% discount on 200"
    text = re.sub(r"\s+", " ", text).strip()
    # the question as typed, for the readers that need the asking words ("how much tax", "net"): taken
    # here, in English and with its figures as read, before the rewriting below (one translation a prompt)
    question = text
    text = text.replace("¿", "").replace("¡", "").strip()
    text = decimal_commas(text)
    text = spelled_numbers(text)  # "twenty five percent of eighty" -> "25 percent of 80"
    text = spoken_amounts(text)  # "a grand", "2 and a half", "1h45m"
    text = re.sub(r"\bkm\s*/\s*h(?:r|our)?\b", "kph", text)
    text = re.sub(r"\bmi(?:les)?\s*/\s*h(?:r|our)?\b", "mph", text)
    text = re.sub(r"\bw/\s*", "with ", text)
    # "1 240 €", "12 500,50 €": thousands grouped with spaces (French, and the others' typography), only
    # where a euro sign or word closes the figure ("3 100 €" could otherwise be 3 items at 100)
    text = re.sub(r"(?<![\d.,])([1-9]\d{0,2})((?:[ \u00a0\u202f]\d{3})+)(?=(?:[.,]\d{1,2})?\s?(?:€|eur\b|euros?\b))",
                  lambda m: m[1] + re.sub(r"\s", "", m[2]), text)
    text = re.sub(r"(\d)\s+([€$£¥₹])(?![\d.])", r"\1\2", text)  # "1.234,80 €"
    if rx(_MONEY_CONTEXT).search(text) and not rx(r"\b(?:to|in|into)\s+(?:km|cm|mm|ft|feet|miles?|metres?|meters?)\b").search(text):
        text = re.sub(r"(?<![\w.,])(\d+(?:\.\d+)?)m\b", r"\1 million", text)  # "revenue was 2.4m"
    # "line 2 bk-300 x2 @ 112": the line's number is a label beside a product code, not a count
    text = rx(rf"\b(?:line|item|pos|position)\s+\d+\s*[:.)]?\s+(?={PRODUCT_CODE})").sub("", text)
    text = fix_typos(text)
    text = re.sub(r"\b(?:pre\s+tax|pretax|b4\s+tax|before\s+taxes)\b", "pre-tax", text)
    text = re.sub(r"[?!.\s=]+$", "", text)
    text = re.sub(r"\b(?:thanks|thank\s+you|thx|ty|cheers|pls|please|plz)\s*[!.]*$", "", text).strip(" ,")
    text = re.sub(r"[?!.\s=]+$", "", text)
    text, rounding = take_rounding(text)
    if rounding is not None:
        text = re.sub(r"^(?:round(?:ed)?|rnd)(?:\s+(?:up|down|off))?\s+(?=\S)", "", text)  # "round 8.125 [to 2 dp]"
    text = rx(_FILLERS).sub("", text).strip()
    text = re.sub(r"\s+(?:is|are|equals?|comes?\s+to|would\s+be|will\s+be|for\s+me|for\s+us)$", "", text)
    text = re.sub(r"\ba\s+(?=\d+(?:\.\d+)?%)", "", text)  # "less a 12% discount"
    text = re.sub(r"\bmark\s+(?:it|them|that|this)\s+up\b", "mark up", text)
    text = re.sub(r"\b(year|month|quarter|week)[\s-]+(?:over|on)[\s-]+\1\b", lambda m: _LY[m[1]], text)
    text = re.sub(r"\byoy\b", "yearly", text)
    text = re.sub(r"(\d%?)\s*(?:->|→|=>)\s*(?=[$€£¥₹]?\d)", r"\1 to ", text)  # "890 -> 845", "2.10 → 1.89"
    if not re.search(r"\d\s?k\s+(?:to|in|into)\s+(?:°|deg|c\b|f\b|celsius|fahrenheit)", text):  # "250k": thousands, not kelvin
        text = re.sub(rf"(?<![\w.,-])({NUMBER})k\b", r"\1 thousand", text)  # not a code's "px-5k"
    text = re.sub(r"(\d)\s*(?:percent|per cent|pct)\b", r"\1%", text)
    text = re.sub(r"\b(?:percent|per cent|pct)\b", "%", text)
    # "3 thousand 450", "2 hundred 20": one number said in parts (the smaller part under the scale)
    text = re.sub(r"(?<![\w.,-])(\d{1,3})\s+thousand\s+(\d{1,3})(?![\d.,]|\s*(?:thousand|hundred|million|%))",
                  lambda m: str(int(m[1]) * 1000 + int(m[2])), text)
    text = re.sub(r"(?<![\w.,-])(\d)\s+hundred\s+(\d{1,2})(?![\d.,]|\s*(?:thousand|hundred|million|%))",
                  lambda m: str(int(m[1]) * 100 + int(m[2])), text)
    text = rx(rf"(?<![\d.,])({NUMBER})\s*({'|'.join(_SCALES)})\b").sub(_scale, text)
    text = re.sub(r"(\d)\s+%", r"\1%", text)
    text = glued_suffixes(text)
    text = re.sub(r"\bthe\b\s*", "", text).strip()
    text = re.sub(r"\b(?:another|an\s+additional|additional|a\s+further|further|an\s+extra)\s+(?=\d)", "", text)
    # "plus 2 extra visits at 180": after "plus" the word adds nothing ("2 more crates" is left: more of what came before)
    text = re.sub(r"\b(plus|\+)\s+(\d+)\s+(?:extra|additional)\s+(?=[a-z])", r"\1 \2 ", text)
    text = re.sub(rf"\b({'|'.join(NUMBER_WORDS)})\s+(ways|people|persons|parts|shares|reps|months|equal)\b",
                  lambda m: f"{NUMBER_WORDS[m[1]]} {m[2]}", text)
    text = re.sub(rf"\bby\s+({'|'.join(_FRACTION_WORDS)})$", lambda m: f"by {_FRACTION_WORDS[m[1]]}", text)
    return text, rounding, question


def _no_dotted_figure_left(text: str) -> None:
    """After the euro regrouping: a 'd.ddd' still there beside a currency ("€1.250.5", "1.2500 €") reads
    two ways (a decimal, or thousands written the European way), so it is refused, not guessed."""
    m = re.search(r"(?<![\d.,])\d+\.\d{3,}(?!\d|,\d{1,2}(?![\d.,]))", text)  # "2.150,50": decimal_commas reads it
    if m and re.search(r"[$€£¥₹]\s?$", text[:m.start()]) or m and re.match(r"\s?(?:[$€£¥₹]|eur\b|euros?\b)",
                                                                       text[m.end():]):
        raise CalcError(f"is {m.group()} a decimal or thousands written the European way? Write it without "
                        f"the dot, or with a decimal comma")


# letters glued to a figure that keep their meaning for the readers: times ("3x"), ordinals, clock times,
# pieces, currency codes; units and rate words ("12kg", "40hrs", "12mo") are checked by why they matter
_GLUE_KNOWN = frozenset(["x", "st", "nd", "rd", "th", "am", "pm", "pc", "pcs", "usd", "eur", "gbp", "euro", "euros",
                         "dollar", "dollars", "bucks", "thousand", "million", "billion", "ish"])
_TEMPERATURE_CONTEXT = r"°|\b(?:f|fahrenheit|celsius|centigrade|temp|temperature|degrees?|deg)\b"


def glued_suffixes(text: str) -> str:
    """A letter glued to a figure ("45p", "99c", "12zk") is never dropped as a label: pence and cents
    become the amount they are where that is certain (45p -> £0.45 with no other currency about; 99c ->
    0.99 in a money question that is no temperature), units and rate words stay for the readers, and any
    other suffix is refused (CalcError) rather than read around. Pence and cents need a price said
    about them ("at", "each", "per", a money word): "1080p" in a spec sheet is no money."""
    from .units import canonical
    from .vocab import why_risky

    def currencies() -> set[str]:
        found = set(re.findall(r"[$€£¥₹]", text))
        for code, sign in (("usd|dollars?|bucks", "$"), ("eur|euros?", "€"), ("gbp|pounds?\s+sterling|quid", "£")):
            if re.search(rf"\b(?:{code})\b", text):
                found.add(sign)
        return found

    def one(m: re.Match) -> str:
        figure, suffix = m[1], m[2]
        priced = rx(_MONEY_CONTEXT + r"|\bat\b|@|\beach\b|\bper\b").search(text)
        if suffix == "p" and currencies() <= {"£"} and priced:
            return "£" + format(parse_number(figure).scaleb(-2).normalize(), "f")
        if suffix == "c" and not rx(_TEMPERATURE_CONTEXT).search(text):
            signs = currencies() - {"£"}
            if len(signs) <= 1 and priced:
                return "".join(signs) + format(parse_number(figure).scaleb(-2).normalize(), "f")
        if suffix in _GLUE_KNOWN or why_risky(suffix):
            return m.group()
        try:
            canonical(suffix)
            return m.group()  # "12kg", "5km", "100c" (a temperature)
        except CalcError:
            pass
        raise CalcError(f"I don't know what '{suffix}' after {figure} means; write it out, as in '{figure} {suffix}...'")

    return re.sub(r"(?<![\w.,$€£¥₹-])(\d+(?:\.\d+)?)([a-z]+)\b", one, text)


def _unambiguous_separators(text: str) -> None:
    """Refuse figures that read two ways: '1.250' (1.25, or 1,250 written the European way: nobody
    writes a decimal with a trailing zero like that) and a prompt that mixes '3,500' with '1,5'."""
    m = re.search(r"(?<![\d.,$£¥₹])[1-9]\d{0,2}\.\d\d0(?![\d.,%])", text)
    if m:
        raise CalcError(f"is {m.group()} a decimal or {m.group().replace('.', ',')} written the European way? "
                        f"Write it as {m.group().replace('.', ',')} or {m.group().rstrip('0')}")
    if re.search(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])", text) and \
            re.search(r"(?<![\d.,])\d+,\d{1,2}(?![\d,.])(?!\s*,\s*\d)", text):
        raise CalcError("the figures mix comma styles ('3,500' and '1,5'); write the decimals with a point")


def decimal_commas(text: str) -> str:
    """European figures where they cannot be English: '1.234,80' -> 1234.80, '12,5%' -> 12.5%, '2,5 kg' -> 2.5 kg.

    '1,250' stays one thousand two hundred and fifty (a comma before three digits is a
    thousands separator in English); lists written '2,5,7' are left alone.
    """
    text = re.sub(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+),(\d{1,2})(?![\d,.])",
                  lambda m: m[1].replace(".", "") + "." + m[2], text)
    return re.sub(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,.])(?!\s*,\s*\d+,\d)", r"\1.\2", text)


# words people mistype in calc questions -> the word (found by one edit: a letter missing, extra, wrong
# or two letters swapped); only words of five letters or more are targets, so short labels stay as typed
_TARGETS = [
    "total", "split", "between", "among", "margin", "markup", "variable", "month", "months", "monthly",
    "interest", "percent", "percentage", "people", "average", "discount", "quarter", "quarterly", "weekly",
    "yearly", "annual", "annually", "compounded", "payment", "payments", "divide", "double", "dozen",
    "shipping", "delivery", "thousand", "million", "hundred", "decimal", "decimals", "rounded", "nearest",
    "profit", "price", "break", "minus", "subtract", "multiply", "divided", "times", "equal", "equally",
    "include", "including", "excluding", "without", "convert", "litres", "liters", "gallons", "pounds",
    "ounces", "inches", "kilograms", "kilometres", "kilometers", "miles", "celsius", "fahrenheit", "years",
    "balance",
]
_ABBREVIATIONS = {"whts": "whats", "wats": "whats", "wat": "what", "ppl": "people", "hwo": "how", "teh": "the", "waht": "what", "brake": "break", "tho": "though",
                  "tot": "total", "pct": "percent", "precent": "percent", "prcnt": "percent", "yr": "year",
                  "yrs": "years", "mth": "month", "mths": "months", "wk": "week", "wks": "weeks", "ea": "each",
                  "qty": "quantity", "amt": "amount", "avg": "average", "incl.": "incl", "inc": "incl", "inclusive": "incl",
                  "disc": "discount", "tva": "vat", "mwst": "vat", "iva": "vat", "btw": "vat", "ttc": "incl", "ht": "net"}


# real words one letter from a target: "paying early" is no "yearly", "nearly 500" no yearly 500
_REAL_WORDS = frozenset(["early", "nearly", "dearly", "clearly", "totally", "prices", "spice", "twine", "doubles"])


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@cache
def _correct(word: str) -> str:
    if word in _ABBREVIATIONS:
        return _ABBREVIATIONS[word]
    from .vocab import HARMLESS, why_risky

    if len(word) < 4 or word in HARMLESS or why_risky(word) or word in _TARGETS or word in _REAL_WORDS:
        return word
    # a letter changed in a short word is often another real word ("tiles" is not "times"): only 6+ letters
    near = [t for t in _TARGETS if _one_edit(word, t) and (len(t) != len(word) or len(word) >= 6
                                                           or sorted(t) == sorted(word))]
    missing = [t for t in near if len(t) == len(word) + 1]  # a letter left out is the commonest slip
    near = missing or near
    return near[0] if len(near) == 1 else word


def fix_typos(text: str) -> str:
    return re.sub(r"[a-z]+", lambda m: _correct(m.group()), text)


def _scale(m: re.Match) -> str:
    """'1.2 million' -> '1200000' (exact: scaleb shifts the decimal point)."""
    return format(parse_number(m[1]).scaleb(_SCALES[m[2]]).normalize(), "f")


# ", what's the final" / ", what do they pay": the question restated after the figures (no digits in it)
TAIL = r"\s*,?\s*(?:(?:so\s+)?what(?:'s|\s+is|\s+do|\s+does|\s+will)?|how\s+much)\b(?!.*\d)[^,]*$"

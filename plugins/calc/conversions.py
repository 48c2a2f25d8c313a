"""Unit conversions as people type them, beyond the phrase rules' "5 miles to km":

    3/4 inch in mm                         -> 19.05      (a fraction of a unit)
    10,000 litres how many gallons us      -> 2,641.7205 (the question after the figure)
    roughly how many km is a 350 mile drive, rounded to the nearest km -> 563
    24 m3/h to gpm (us)                    -> 105.6688   (flow rates: units.py converts both parts)
    five foot eleven in cm                 -> 180.34     (feet and a bare number: inches)
    ¿cuántas millas son 150 km? / umrechnen bitte: 25 meilen in km / 80 °f em celsius

Both units must be ones units.py knows, of the same kind; one label word may follow the figure
("a 350 mile drive", "55 gal drum") and goes through the vocabulary check like every word left
over. A "(us)" note only confirms the default US measure; "(uk)"/"(imperial)" in a note is
refused here (say "imperial gallons"). The reader is tried last, so it answers only what the
others refused.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .normalise import Rounding
from .numbers import (
    NUMBER,
    UNIT_PLACES,
    CalcError,
    parse_number,
    rounding_note,
    rx,
    show,
    tidy,
)
from .report import Calculation, apply_rounding
from .units import canonical, convert
from .vocab import Unaccounted, leftover_check

_VALUE = rf"(?P<v>-?{NUMBER}(?:\s?/\s?\d+)?)"
_UNIT = r"[a-zà-ÿ°³][a-zà-ÿ°³0-9/ .]*?"
_HOW_MANY = r"(?:how\s+many|cuántos|cuántas|cuantos|cuantas|quantos|quantas|combien\s+de|wie\s+viele?)"
_TO = r"(?:to|in|into|as|em|en|para|nach)"
_OPENER = (r"^(?:¿\s*)?(?:(?:convert|convertir|converter|converta|convierte|convertis|umrechnen|rechne)\b"
           r"(?:\s+(?:please|pls|bitte|por\s+favor|s'il\s+vous\s+plaît))?\s*:?\s*)?")
_LEAD = r"(?:(?:roughly|about|approximately|approx|around)\s+)?"
_FORMS = [  # each with and without a label word after the source unit ("a 350 mile drive")
    rf"{_LEAD}{_VALUE}\s?(?P<src>{_UNIT}){{label}}\s+{_TO}\s+(?P<dst>{_UNIT})",
    rf"{_LEAD}{_VALUE}\s?(?P<src>{_UNIT}){{label}}\s*,?\s+(?:is\s+|are\s+|=\s*)?{_HOW_MANY}\s+(?P<dst>{_UNIT})",
    (rf"{_LEAD}{_HOW_MANY}\s+(?P<dst>{_UNIT})\s+(?:is|are|in|make|son|sind|font|fait)\s+(?:an?\s+)?{_VALUE}\s?"
     rf"(?P<src>{_UNIT}){{label}}"),
]
_LABELS = ("", r"\s+(?P<label>[a-z]+)")
# "5 foot 11 in cm": feet then a bare number of inches
_HEIGHT = rf"{_LEAD}(?P<ft>{NUMBER})\s?(?:ft|foot|feet|')\s*(?P<inch>{NUMBER})\s+{_TO}\s+(?P<dst>{_UNIT})"
_NOTE = r"\s*\((?P<q>us|uk|imperial)(?:\s+[a-z]+)?\)"
_NEAREST = r"\s*,?\s*(?:and\s+)?round(?:ed)?\s+(?:to\s+)?(?:the\s+)?nearest\s+(?P<near>[a-z]+)$"


def converted(value: Decimal, src: str, dst: str, *, shown_value: str | None = None) -> Calculation:
    """``value`` in ``src`` as ``dst`` (canonical units), to four places, with the working."""
    exact, steps = convert(value, src, dst)
    shown = tidy(exact, UNIT_PLACES)
    note = rounding_note(exact, shown, "4 decimal places")
    if note:
        steps[-1] += f" ({note})"
    return Calculation("convert", f"{shown_value or show(value)} {src} = {show(shown)} {dst}", shown, steps, unit=dst,
                       extra={"from_unit": src, "value": value}, exact=exact)


def unit_of(words: str | None) -> str | None:
    """The canonical unit ``words`` name ("gallons us" too), or None."""
    if not words:
        return None
    words = words.strip(" .")
    if words.endswith(" us"):  # "gallons us"
        words = "us " + words[:-3]
    try:
        return canonical(words)
    except CalcError:
        return None


def _value(text: str) -> tuple[Decimal, str]:
    top, _, bottom = text.replace(" ", "").partition("/")
    if not bottom:
        return parse_number(top), show(parse_number(top))
    if int(bottom) == 0:
        raise CalcError("a fraction cannot have 0 under the line")
    return parse_number(top) / int(bottom), f"{top}/{bottom}"


def read(text: str) -> Calculation | None:
    opener = rx(_OPENER).match(text)
    said_convert = bool(opener and opener.group().strip(" ¿"))
    body = text[opener.end():] if opener else text
    note = rx(_NOTE).search(body)
    if note:
        if note["q"] != "us":
            return None  # "(uk)": which of the two units is British? Said beside the unit, it is read
        body = (body[:note.start()] + body[note.end():]).strip()
    nearest = rx(_NEAREST).search(body)
    if nearest:
        body = body[:nearest.start()]
    if said_convert:
        body = re.sub(r"\s+for\s+(?=[a-z°])", " to ", body)  # "converter 30 graus celsius para fahrenheit"
    calc = _height(body) or _plain(body)
    if calc is None or not nearest:
        return calc
    if unit_of(nearest["near"]) != calc.unit:  # "to the nearest cm" of an answer in km: not whole units
        raise Unaccounted(f"rounded to the nearest {nearest['near']}, but the answer is in {calc.unit}")
    return apply_rounding(calc, Rounding(0, "half_up", f"to the nearest {nearest['near']}"))


def _height(body: str) -> Calculation | None:
    m = rx(_HEIGHT).fullmatch(body)
    dst = unit_of(m["dst"]) if m else None
    if dst is None:
        return None
    feet, inches = parse_number(m["ft"]), parse_number(m["inch"])
    calc = converted(feet * 12 + inches, "in", dst, shown_value=f"{show(feet)} ft {show(inches)}")
    calc.steps.insert(0, f"{show(feet)} ft {show(inches)} in = {show(feet)} × 12 + {show(inches)} = "
                         f"{show(feet * 12 + inches)} in")
    return calc


def _plain(body: str) -> Calculation | None:
    for form in (f.replace("{label}", label) for f in _FORMS for label in _LABELS):
        m = rx(form).fullmatch(body)
        if not m:
            continue
        src, dst = unit_of(m["src"]), unit_of(m["dst"])
        if src is None or dst is None:
            continue
        if m.groupdict().get("label"):
            if unit_of(m["label"]):
                continue  # "5 ft 2 in": a second unit, not a label
            leftover_check(m["label"], labels=True)
        value, shown = _value(m["v"])
        calc = converted(value, src, dst, shown_value=shown)
        if "/" in shown:
            calc.steps.insert(0, f"{shown} = {show(value)}")
        return calc
    return None

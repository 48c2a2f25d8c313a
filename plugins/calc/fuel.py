"""Fuel economy: a distance and the fuel it took, or a consumption, read as the figure asked for.

    drove 540 km used 45 litres, km per litre?   -> 12
    412 miles on 14.2 gallons whats the mpg      -> 29.01
    l/100km if 38 l for 475 km                   -> 8
    trip 320 km at 7.5 l/100km how many litres   -> 24
    fuel cost for 600 km at 8 l/100km and 1.65 per litre -> 79.20
    32 miles per us gallon, how many litres per 100 km   -> 7.35

Everything is worked in km and litres and shown. A gallon is the US gallon only when the
user says "us" (or the figures are already miles and gallons, so no gallon is converted);
"imperial"/"uk" says the British one; a gallon to convert with neither said is refused (a UK
mpg is 20 % more than a US one). Words the reading did not use go through the vocabulary.
"""
from __future__ import annotations

from decimal import Decimal

from .numbers import (
    NUMBER,
    Amount,
    CalcError,
    money,
    parse_amount,
    parse_number,
    rx,
    show,
    show_money,
)
from .report import Calculation
from .units import IMPERIAL_GALLON, MILE_KM, US_GALLON
from .vocab import leftover_check

_DIST = r"(?P<dist>km|kms|kilomet(?:re|er)s?|miles?|mi)\b"
_VOL = r"(?P<vol>(?:us\s+|imp(?:erial)?\s+|uk\s+)?gallons?|gal|litres?|liters?|l)\b"
_RATE = (r"(?P<rate>l\s?/\s?100\s?km|lit(?:re|er)s?\s+per\s+100\s?km|mpg|km\s?/\s?l|km\s+per\s+lit(?:re|er)|kpl|"
         r"miles?\s+per\s+(?:us\s+|imp(?:erial)?\s+|uk\s+)?gallon)\b")
_MEASURE = rf"(?<![\w.,])(?P<n>{NUMBER})\s?(?:{_RATE}|{_DIST}|{_VOL})"
_ASKS = {  # what is asked -> its canonical name
    r"(?:in\s+)?(?:lit(?:re|er)s?\s+per\s+100\s?km|l\s?/\s?100\s?km)": "l100",
    r"(?:the\s+)?mpg|miles\s+per\s+(?:us\s+|imp(?:erial)?\s+|uk\s+)?gallon": "mpg",
    r"km\s+per\s+lit(?:re|er)|km\s?/\s?l|kpl": "kpl",
    r"how\s+many\s+(?:lit(?:re|er)s|l)": "litres",
    r"how\s+many\s+(?:us\s+|imp(?:erial)?\s+|uk\s+)?gallons": "gallons",
    r"(?:the\s+)?(?:fuel|petrol|diesel|gas)\s+cost|cost\s+of\s+(?:the\s+)?(?:fuel|petrol|diesel|gas)": "cost",
}
_PRICE = rf"(?:and|at|,)?\s*(?P<price>[$€£]?\s?{NUMBER}[$€£]?)\s*(?:per|a|/)\s*lit(?:re|er)\b"
_FILLER = frozenset(["drove", "drive", "driven", "used", "use", "uses", "took", "trip", "journey", "car", "van", "truck",
                     "does", "do", "fuel", "petrol", "diesel", "gas", "on", "if", "for", "at", "is", "that", "what",
                     "whats", "what's", "in", "and", "cost", "how", "much", "many", "the", "a", "my", "it", "gets"])


def _gallon(text: str) -> Decimal | None:
    if rx(r"\b(?:imp(?:erial)?|uk)\b").search(text):
        return IMPERIAL_GALLON
    # "us" says US gallons only beside a gallon, or as "in us mpg": "give us the mpg" is a pronoun
    # (and reads "us mpg" once the filler is gone)
    return US_GALLON if rx(r"\bus\s+(?:gallons?|gal)\b|\b(?:in|to|as)\s+us\s+mpg\b|\bmpg\s*\(us\)").search(text) else None


def read(text: str) -> Calculation | None:
    asked, ask_span = None, None
    for pattern, name in _ASKS.items():
        for m in rx(rf"(?:^|\b|,\s*)(?:what(?:'s|s|\s+is)\s+(?:that\s+)?(?:in\s+)?|whats\s+)?(?:{pattern})(?:\s+is\s+that)?").finditer(text):
            if not rx(rf"{NUMBER}\s?$").search(text[:m.start()].rstrip()):  # "7.5 l/100km" is a figure, not the ask
                asked, ask_span = name, (m.start(), m.end())
        if asked:
            break
    if asked is None:
        return None
    rest = text[:ask_span[0]] + " " + text[ask_span[1]:]
    price = None
    pm = rx(_PRICE).search(rest)
    if pm:
        price = parse_amount(pm["price"].replace(" ", ""))
        rest = rest[:pm.start()] + " " + rest[pm.end():]
    dist = vol = rate = None
    spans = []
    for m in rx(_MEASURE).finditer(rest):
        value = parse_number(m["n"])
        slot = "rate" if m["rate"] else "dist" if m["dist"] else "vol"
        if {"rate": rate, "dist": dist, "vol": vol}[slot] is not None:
            return None  # two distances: which one?
        if slot == "rate":
            rate = (value, m["rate"])
        elif slot == "dist":
            dist = (value, m["dist"])
        else:
            vol = (value, m["vol"])
        spans.append((m.start(), m.end()))
    left = rest
    for a, b in reversed(spans):
        left = left[:a] + " " + left[b:]
    leftover_check(left, consumed=_FILLER | {"us", "imperial", "imp", "uk", "l", "per", "100"}, labels=True)
    if rx(NUMBER).search(left):
        return None
    return _solve(asked, dist, vol, rate, price, text)


def _solve(asked, dist, vol, rate, price: Amount | None, text: str) -> Calculation | None:
    steps: list[str] = []
    gallon = _gallon(text)
    if (price is not None) != (asked == "cost"):
        return None  # a price per litre with no cost asked, or a cost with no price

    def km(d) -> Decimal:
        value, unit = d
        if unit.startswith("mi"):
            steps.append(f"{show(value)} miles × {show(MILE_KM)} = {show(value * MILE_KM)} km")
            return value * MILE_KM
        return value

    def litres(v) -> Decimal:
        value, unit = v
        if "gal" in unit:
            g = IMPERIAL_GALLON if rx(r"imp|uk").search(unit) else US_GALLON if unit.startswith("us") else gallon
            if g is None:
                raise CalcError("US or imperial gallons? They differ by 20%; say 'us gallons' or 'imperial gallons'")
            steps.append(f"{show(value)} gal × {show(g)} = {show(value * g)} l")
            return value * g
        return value

    def kpl_of(r) -> Decimal:  # a consumption as km per litre
        value, unit = r
        if value <= 0:
            raise CalcError("a fuel consumption must be above 0")
        if "100" in unit:
            return Decimal(100) / value
        if unit.startswith("km") or unit == "kpl":
            return value
        g = IMPERIAL_GALLON if rx(r"imp|uk").search(unit) else US_GALLON if "us" in unit else gallon
        if g is None:
            raise CalcError("US or imperial mpg? They differ by 20%; say 'miles per us gallon' or 'imperial'")
        steps.append(f"{show(value)} mpg = {show(value)} × {show(MILE_KM)} ÷ {show(g)} = {show(value * MILE_KM / g)} km per litre")
        return value * MILE_KM / g

    if asked == "mpg" and dist and vol and rate is None and dist[1].startswith("mi") and "gal" in vol[1]:
        value = dist[0] / vol[0]  # miles and gallons already: no gallon to choose
        steps.append(f"{show(dist[0])} miles ÷ {show(vol[0])} gallons = {show(value)} mpg")
        return _result("fuel_economy", value, "mpg", steps)
    if dist and vol and rate is None:
        k, li = km(dist), litres(vol)
        if k <= 0 or li <= 0:
            raise CalcError("a distance and the fuel it took must both be above 0")
        kpl = k / li
        steps.append(f"{show(k)} km ÷ {show(li)} l = {show(kpl)} km per litre")
    elif rate and not vol and not (dist and asked not in ("litres", "gallons", "cost")):
        kpl = kpl_of(rate)
        if dist:
            k = km(dist)
            if "100" in rate[1]:
                fuel = k * rate[0] / 100
                steps.append(f"{show(k)} km × {show(rate[0])} l ÷ 100 km = {show(fuel)} l")
            else:
                fuel = k / kpl
                steps.append(f"{show(k)} km ÷ {show(kpl)} km per litre = {show(fuel)} l")
            if price is not None:
                cost = fuel * price.value
                steps.append(f"{show(fuel)} l × {show_money(price.value, price.currency)} = "
                             f"{show_money(money(cost), price.currency)}")
                return Calculation("fuel_cost", f"Fuel cost: {show_money(money(cost), price.currency)}", money(cost),
                                   steps, currency=price.currency, exact=cost)
            if asked == "gallons":
                if gallon is None:
                    raise CalcError("US or imperial gallons? say 'how many us gallons'")
                steps.append(f"{show(fuel)} l ÷ {show(gallon)} = {show(fuel / gallon)} gal")
                return _result("fuel", fuel / gallon, "gal", steps)
            return _result("fuel", fuel, "l", steps)
    else:
        return None
    if asked in ("litres", "gallons", "cost"):
        return None
    if asked == "kpl":
        return _result("fuel_economy", kpl, "km per litre", steps)
    if asked == "l100":
        steps.append(f"100 ÷ {show(kpl)} = {show(Decimal(100) / kpl)} l/100km")
        return _result("fuel_economy", Decimal(100) / kpl, "l/100km", steps)
    if gallon is None:
        raise CalcError("US or imperial mpg? They differ by 20%; say 'us' or 'imperial'")
    mpg = kpl * gallon / MILE_KM
    steps.append(f"{show(kpl)} km per litre × {show(gallon)} ÷ {show(MILE_KM)} = {show(mpg)} mpg")
    return _result("fuel_economy", mpg, "mpg", steps)


def _result(kind: str, value: Decimal, unit: str, steps: list[str]) -> Calculation:
    from .numbers import tidy

    shown = tidy(value)
    return Calculation(kind, f"{show(shown)} {unit}", shown, steps, unit=unit, exact=value)

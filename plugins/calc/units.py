"""Unit conversion with exact factors (the international yard and pound, US and imperial volumes).

Each unit maps to (dimension, factor to the base unit: metre, kilogram or litre).
US customary volumes are the default for gallon/quart/pint/cup/fl oz, as on most
US price sheets; say "imperial gallon" or "uk pint" for the British ones. A word
that names two different units ("ton") is refused instead of guessed.
"""
from __future__ import annotations

from decimal import Decimal as D

from .numbers import CalcError, show

# the factors other readers use too (fuel: miles and gallons), named once here
MILE_KM = D("1.609344")
US_GALLON = D("3.785411784")
IMPERIAL_GALLON = D("4.54609")
_LENGTH = {
    "mm": D("0.001"), "cm": D("0.01"), "m": D(1), "km": D(1000),
    "in": D("0.0254"), "ft": D("0.3048"), "yd": D("0.9144"), "mi": MILE_KM * 1000, "nmi": D(1852),
}
_MASS = {
    "mg": D("0.000001"), "g": D("0.001"), "kg": D(1), "t": D(1000),
    "oz": D("0.028349523125"), "lb": D("0.45359237"), "st": D("6.35029318"),
    "short ton": D("907.18474"), "long ton": D("1016.0469088"),
}
_VOLUME = {
    "ml": D("0.001"), "cl": D("0.01"), "dl": D("0.1"), "l": D(1), "m3": D(1000), "cm3": D("0.001"),
    "gal": US_GALLON, "qt": US_GALLON / 4, "pt": US_GALLON / 8, "cup": US_GALLON / 16,
    "floz": US_GALLON / 128, "tbsp": US_GALLON / 256, "tsp": US_GALLON / 768,
    "imp gal": IMPERIAL_GALLON, "imp qt": IMPERIAL_GALLON / 4, "imp pt": IMPERIAL_GALLON / 8,
    "imp floz": IMPERIAL_GALLON / 160, "ft3": D("28.316846592"), "in3": D("0.016387064"),
}
_SPEED = {"km/h": D(1), "mph": MILE_KM, "m/s": D("3.6"), "kn": D("1.852")}  # in km/h
# durations of fixed length only: a month or a year is not a fixed number of days
_TIME = {"s": D(1), "min": D(60), "h": D(3600), "day": D(86400), "week": D(604800)}
# in pascals; a psi is a pound-force (lb × standard gravity 9.80665) per square inch, exactly
_PRESSURE = {"pa": D(1), "kpa": D(1000), "mpa": D(1000000), "mbar": D(100), "bar": D(100000), "atm": D(101325),
             "psi": D("0.45359237") * D("9.80665") / (D("0.0254") * D("0.0254"))}
_DIMENSIONS = {"length": _LENGTH, "mass": _MASS, "volume": _VOLUME, "speed": _SPEED, "time": _TIME,
               "pressure": _PRESSURE}
_UNITS = frozenset(u for table in _DIMENSIONS.values() for u in table)

# spoken and written names -> canonical unit
_ALIASES = {
    "millimeter": "mm", "millimetre": "mm", "centimeter": "cm", "centimetre": "cm",
    "meter": "m", "metre": "m", "kilometer": "km", "kilometre": "km", "kms": "km",
    "inch": "in", "inches": "in", '"': "in", "foot": "ft", "feet": "ft", "'": "ft",
    "yard": "yd", "yards": "yd", "yds": "yd", "mile": "mi", "miles": "mi",
    "nautical mile": "nmi", "nautical miles": "nmi",
    "milligram": "mg", "gram": "g", "grams": "g", "gr": "g", "kilogram": "kg", "kilo": "kg", "kilos": "kg",
    "kgs": "kg", "tonne": "t", "tonnes": "t", "metric ton": "t", "metric tons": "t",
    "ounce": "oz", "ounces": "oz", "pound": "lb", "pounds": "lb", "lbs": "lb",
    "stone": "st", "stones": "st", "short tons": "short ton", "us ton": "short ton", "us tons": "short ton",
    "long tons": "long ton", "uk ton": "long ton", "uk tons": "long ton",
    "milliliter": "ml", "millilitre": "ml", "centiliter": "cl", "centilitre": "cl",
    "deciliter": "dl", "decilitre": "dl", "liter": "l", "litre": "l", "ltr": "l",
    "cubic meter": "m3", "cubic metre": "m3", "m^3": "m3", "cubic centimeter": "cm3", "cc": "cm3",
    "cubic foot": "ft3", "cubic feet": "ft3", "cu ft": "ft3", "cubic inch": "in3", "cubic inches": "in3",
    "gallon": "gal", "gallons": "gal", "us gallon": "gal", "us gallons": "gal", "quart": "qt", "quarts": "qt",
    "pint": "pt", "pints": "pt", "cups": "cup", "fluid ounce": "floz", "fluid ounces": "floz",
    "fl oz": "floz", "fl. oz": "floz", "tablespoon": "tbsp", "tablespoons": "tbsp",
    "teaspoon": "tsp", "teaspoons": "tsp",
    "imperial gallon": "imp gal", "imperial gallons": "imp gal", "uk gallon": "imp gal", "uk gallons": "imp gal",
    "imperial quart": "imp qt", "uk quart": "imp qt", "imperial pint": "imp pt", "imperial pints": "imp pt",
    "uk pint": "imp pt", "uk pints": "imp pt", "imperial fluid ounce": "imp floz", "uk fl oz": "imp floz",
    "kph": "km/h", "kmh": "km/h", "kmph": "km/h", "km per hour": "km/h", "kilometres per hour": "km/h",
    "kilometers per hour": "km/h", "miles per hour": "mph", "knot": "kn", "knots": "kn",
    "second": "s", "seconds": "s", "sec": "s", "secs": "s", "minute": "min", "minutes": "min", "mins": "min",
    "hour": "h", "hours": "h", "hr": "h", "hrs": "h", "days": "day", "weeks": "week", "wk": "week", "wks": "week",
    "pascal": "pa", "pascals": "pa", "kilopascal": "kpa", "kilopascals": "kpa", "megapascal": "mpa", "bars": "bar",
    "millibar": "mbar", "millibars": "mbar", "atmosphere": "atm", "atmospheres": "atm",
    # flow rates (a volume per a time: see _rate)
    "gpm": "gal/min", "lpm": "l/min", "cfm": "ft3/min",
    # Spanish, French, German and Portuguese names (the languages calc reads)
    "millas": "mi", "milla": "mi", "milhas": "mi", "milha": "mi", "meilen": "mi", "meile": "mi",
    "kilómetros": "km", "kilometros": "km", "quilômetros": "km", "quilómetros": "km", "quilometros": "km",
    "metros": "m", "mètres": "m", "centímetros": "cm", "centimetros": "cm", "pulgadas": "in", "polegadas": "in",
    "pouces": "in", "zoll": "in", "pies": "ft", "pés": "ft", "pieds": "ft", "fuß": "ft",
    "libras": "lb", "libra": "lb", "livres": "lb", "pfund": "lb", "gramos": "g", "gramas": "g",
    "litros": "l", "litro": "l", "galones": "gal", "galón": "gal", "galon": "gal", "galões": "gal", "galão": "gal",
}
# "grados celsius", "graus fahrenheit": degrees in the other languages
_DEGREES = ("degrees ", "degree ", "grados ", "grado ", "graus ", "grau ", "degrés ", "grad ")
_AMBIGUOUS = {
    "ton": "'ton' could be a metric tonne (1000 kg), a US short ton or a UK long ton: say which",
    "tons": "'tons' could be metric tonnes (1000 kg), US short tons or UK long tons: say which",
}
_TEMPERATURES = {"c": "°C", "celsius": "°C", "°c": "°C", "f": "°F", "fahrenheit": "°F", "°f": "°F",
                 "k": "K", "kelvin": "K"}


def canonical(word: str) -> str:
    """The canonical unit for a user's word, or CalcError naming the problem."""
    key = " ".join(word.lower().replace("-", " ").replace("³", "3").split()).rstrip(".")
    if key in _AMBIGUOUS:
        raise CalcError(_AMBIGUOUS[key])
    for prefix in _DEGREES:
        key = key.removeprefix(prefix)
    if key in _TEMPERATURES:
        return _TEMPERATURES[key]
    if key.startswith("us ") and key[3:]:  # "us gallons", "us gpm": the US measure is the default one
        unit = canonical(key[3:])
        if not unit.startswith("imp "):
            return unit
    key = _ALIASES.get(key, key)
    if key not in _UNITS and ("/" in key or " per " in key):
        return _rate(key, word)
    if key not in _UNITS and key.endswith("s"):  # "liters", "cms" -> singular
        key = _ALIASES.get(key[:-1], key[:-1])
    if key not in _UNITS:
        raise CalcError(f"unknown unit {word.strip()!r}")
    return key


def _rate(key: str, word: str) -> str:
    """'m3/h', 'litres per minute', 'us gallons per minute' -> 'm3/h', 'l/min', 'gal/min': a volume or a
    length per a fixed time (a flow rate). Anything else per anything is no unit."""
    top, _, bottom = key.partition("/") if "/" in key else key.partition(" per ")
    try:
        num, den = canonical(top), canonical(bottom)
    except CalcError:
        raise CalcError(f"unknown unit {word.strip()!r}") from None
    if dimension(num) not in ("volume", "length", "mass") or dimension(den) != "time":
        raise CalcError(f"unknown unit {word.strip()!r}")
    return f"{num}/{den}"


def _rate_dimension(unit: str) -> str:
    num, den = unit.split("/")
    return f"{dimension(num)}/{dimension(den)}"


def _convert_rate(value: D, from_unit: str, to_unit: str) -> tuple[D, list[str]]:
    """A rate's two parts converted in turn, exactly: 150 l/min = 150 ÷ 1000 m3 × 60 per h."""
    (n1, d1), (n2, d2) = from_unit.split("/"), to_unit.split("/")
    top, bottom = _DIMENSIONS[dimension(n1)], _DIMENSIONS[dimension(d1)]
    result = value * top[n1] * bottom[d2] / (top[n2] * bottom[d1])  # one division: 150 l/min = 9 m3/h exactly
    steps, shown = [], show(value)
    if n1 != n2:
        steps.append(f"1 {n1} = {show(top[n1] / top[n2])} {n2}")
        shown += "".join(f" {op} {show(f)}" for op, f in (("×", top[n1]), ("÷", top[n2])) if f != 1)
    if d1 != d2:
        steps.append(f"1 {d1} = {show(bottom[d1] / bottom[d2])} {d2}")
        shown += "".join(f" {op} {show(f)}" for op, f in (("×", bottom[d2]), ("÷", bottom[d1])) if f != 1)
    steps.append(f"{shown} = {show(result)} {to_unit}")
    return result, steps


def dimension(unit: str) -> str:
    if unit in ("°C", "°F", "K"):
        return "temperature"
    if "/" in unit and unit not in _SPEED:
        return _rate_dimension(unit)
    for name, table in _DIMENSIONS.items():
        if unit in table:
            return name
    raise CalcError(f"unknown unit {unit!r}")


def convert(value: D, from_unit: str, to_unit: str) -> tuple[D, list[str]]:
    """Exact conversion (Decimal) and the working."""
    a, b = dimension(from_unit), dimension(to_unit)
    if a != b:
        raise CalcError(f"cannot convert {a} ({from_unit}) to {b} ({to_unit})")
    if a == "temperature":
        return _temperature(value, from_unit, to_unit)
    if "/" in a:  # a flow rate
        return _convert_rate(value, from_unit, to_unit)
    table = _DIMENSIONS[a]
    base = {"length": "m", "mass": "kg", "volume": "l", "speed": "km/h", "time": "s", "pressure": "pa"}[a]
    to_base, from_base = table[from_unit], table[to_unit]
    result = value * to_base / from_base
    steps = []
    if from_unit != base:
        steps.append(f"1 {from_unit} = {show(to_base)} {base}")
    if to_unit != base:
        steps.append(f"1 {to_unit} = {show(from_base)} {base}")
    if from_unit == base:
        steps.append(f"{show(value)} {from_unit} ÷ {show(from_base)} = {show(result)} {to_unit}")
    elif to_unit == base:
        steps.append(f"{show(value)} {from_unit} × {show(to_base)} = {show(result)} {to_unit}")
    else:
        steps.append(f"{show(value)} × {show(to_base)} ÷ {show(from_base)} = {show(result)} {to_unit}")
    return result, steps


def _temperature(value: D, from_unit: str, to_unit: str) -> tuple[D, list[str]]:
    celsius = {"°C": value, "°F": (value - 32) * 5 / 9, "K": value - D("273.15")}[from_unit]
    result = {"°C": celsius, "°F": celsius * 9 / 5 + 32, "K": celsius + D("273.15")}[to_unit]
    formulas = {("°F", "°C"): "(°F − 32) × 5/9", ("°C", "°F"): "°C × 9/5 + 32", ("K", "°C"): "K − 273.15",
                ("°C", "K"): "°C + 273.15", ("°F", "K"): "(°F − 32) × 5/9 + 273.15",
                ("K", "°F"): "(K − 273.15) × 9/5 + 32"}
    formula = formulas.get((from_unit, to_unit), "unchanged")
    return result, [f"{to_unit} = {formula}", f"{show(value)} {from_unit} = {show(result)} {to_unit}"]


def unit_words() -> set[str]:
    """Every single word that names a unit (for the vocabulary: a unit changes the math)."""
    names = set(_UNITS) | set(_ALIASES) | set(_TEMPERATURES) | set(_AMBIGUOUS)
    words = {w for name in names for w in name.replace(".", " ").replace("/", " ").split() if w.isalpha()}
    words |= {w + "s" for w in set(words) if len(w) > 2 and not w.endswith("s")}
    return words - {"in", "us", "uk", "imperial", "fluid", "cubic", "metric", "short", "long", "nautical", "degrees",
                    "per", "hour", "h", "s"}

"""calc unit conversions as typed: flow rates, pressure, fractions, heights, the question after the figure,
"(us)" notes, the other languages' unit names, and "rounded to the nearest <unit>". Answers worked by hand
from the exact factors (1 in = 25.4 mm, 1 mi = 1.609344 km, 1 US gal = 3.785411784 l,
1 psi = 0.45359237 × 9.80665 / 0.0254² Pa); the near misses must still refuse."""
from __future__ import annotations

from decimal import Decimal

import pytest
from slm.plugins.calc import solve
from slm.plugins.calc.units import canonical, convert

ANSWERS = [
    ("5/8 inch in mm", "15.875"),  # 0.625 × 25.4
    ("1/2 mile to km", "0.8047"),  # 0.5 × 1.609344 = 0.804672
    ("6 bar to psi", "87.0226"),  # 600000 / 6894.757293168 = 87.02264...
    ("58 psi in bar", "3.999"),  # 58 × 6894.757293168 / 100000 = 3.99895...
    ("2 atm in kpa", "202.65"),
    ("30 m3/h to l/min", "500"),  # 30000 l / 60 min
    ("90 l/min in m³/h", "5.4"),  # 90 × 60 / 1000
    ("18 m3/h is how many litres per minute", "300"),
    ("10 gpm in l/min", "37.8541"),  # 10 × 3.785411784
    ("20 litres per minute to us gallons per minute", "5.2834"),  # 20 / 3.785411784 = 5.28344...
    ("4,000 litres how many gallons us", "1056.6882"),  # 4000 / 3.785411784 = 1056.68820...
    ("200 litres in gallons (us)", "52.8344"),
    ("20 gal tank how many litres", "75.7082"),  # 20 × 3.785411784 = 75.70823568
    ("how many km is a 120 mile trip, rounded to the nearest km", "193"),  # 193.12128
    ("roughly how many miles is 42 km", "26.0976"),  # 42 / 1.609344 = 26.09759...
    ("six foot two in cm", "187.96"),  # 74 in × 2.54
    ("5 ft 4 to cm", "162.56"),  # 64 × 2.54
    ("¿cuántos kilómetros son 26 millas?", "41.8429"),  # 26 × 1.609344 = 41.842944
    ("quantas libras são 5 kg", "11.0231"),  # 5 / 0.45359237 = 11.02311...
    ("rechne bitte: 12 meilen in km", "19.3121"),  # 19.312128
    ("convertir 20 grados celsius en fahrenheit", "68"),
    ("212 °F em celsius", "100"),
    ("converter 100 graus fahrenheit para celsius", "37.7778"),
    ("convert 26 mles to km", "41.8429"),  # the typo is a letter left out of "miles"
]


@pytest.mark.parametrize(("prompt", "expected"), ANSWERS)
def test_conversions_typed_loosely(prompt, expected):
    data = solve(prompt).data
    assert data.get("error") is None, (prompt, data)
    assert Decimal(data["result"]) == Decimal(expected), (prompt, data["result"])
    assert data["steps"], prompt  # the factors are shown


REFUSED = [
    "6 bar to km",  # pressure is no length
    "30 m3/h to kg",  # a flow is no mass
    "20 zorks in litres",  # an unknown unit
    "200 litres in gallons (uk)",  # British gallons said only in a note: not read here
    "how many km is a 120 mile trip, rounded to the nearest cm",  # the answer is in km, not whole cm
    "5/0 inch in mm",  # no fraction has 0 under the line
    "3 dozen litres per hour in gallons",  # a word that would change the figure
    "price per km in miles",  # no figure
]


@pytest.mark.parametrize("prompt", REFUSED)
def test_conversions_refused(prompt):
    data = solve(prompt).data
    assert data.get("result") is None, (prompt, data)
    assert data.get("error"), prompt


def test_flow_rates_convert_both_parts_exactly():
    value, steps = convert(Decimal(150), canonical("l/min"), canonical("m³/h"))
    assert value == Decimal(9)  # one division at the end: no 8.999...
    assert canonical("us gallons per minute") == canonical("gpm") == "gal/min"
    assert any("1 h" in s or "1 min" in s for s in steps)


def test_a_rate_of_a_non_unit_is_no_unit():
    from slm.plugins.calc.numbers import CalcError

    for word in ("price per km", "kg/bar", "km/zork"):
        with pytest.raises(CalcError):
            canonical(word)

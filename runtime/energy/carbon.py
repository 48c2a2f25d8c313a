"""Grid carbon intensity: grams of CO2-equivalent per kWh of electricity.

``settings.grid_intensity`` is either a number (gCO2e/kWh) or an ISO 3166-1
alpha-2 country code looked up in the small table below. The default is the
world average, 475 gCO2e/kWh (IEA). Country figures are rounded yearly averages
of electricity generation (Ember / Our World in Data, 2022-2023); they are
coarse by nature: set a number for your grid or supplier when you know it.
"""
from __future__ import annotations

import math

from slm.errors import ConfigError

WORLD_AVERAGE_G_PER_KWH = 475.0
_MAX_G_PER_KWH = 2000.0  # above any real grid (coal is ~1000): a typo, not a grid

COUNTRY_G_PER_KWH: dict[str, float] = {
    "AT": 85, "AU": 550, "BE": 140, "BR": 100, "CA": 170, "CH": 35, "CN": 580, "CZ": 450,
    "DE": 380, "DK": 150, "ES": 175, "FI": 80, "FR": 55, "GB": 240, "IE": 285, "IN": 710,
    "ID": 675, "IT": 330, "JP": 485, "KR": 430, "MX": 425, "NL": 270, "NO": 30, "NZ": 110,
    "PL": 660, "PT": 165, "RU": 440, "SE": 40, "SG": 470, "US": 370, "ZA": 710,
}
_SETTING = "SLM_GRID_INTENSITY / energy.grid_intensity"


def grid_intensity(value: str | float | None) -> float:
    """gCO2e/kWh for a setting value; ConfigError (one line) for a bad one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return WORLD_AVERAGE_G_PER_KWH
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        if text.upper() in ("WORLD", "WORLD-AVERAGE"):
            return WORLD_AVERAGE_G_PER_KWH
        try:
            number = float(text)
        except ValueError:
            code = text.upper()
            if code in COUNTRY_G_PER_KWH:
                return float(COUNTRY_G_PER_KWH[code])
            raise ConfigError(
                f"bad value for {_SETTING}: {text!r} is neither a number of gCO2e/kWh nor a known "
                f"country code (known: {', '.join(sorted(COUNTRY_G_PER_KWH))}); set a number, e.g. 475"
            ) from None
    if not math.isfinite(number) or number < 0 or number > _MAX_G_PER_KWH:
        raise ConfigError(f"bad value for {_SETTING}: {value!r} (expected 0 to {_MAX_G_PER_KWH:g} gCO2e/kWh)")
    return number


def co2_grams(joules: float, g_per_kwh: float) -> float:
    return joules / 3.6e6 * g_per_kwh

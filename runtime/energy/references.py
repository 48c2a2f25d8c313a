"""Reference models for the counterfactual of ``slm energy``, read from one data file.

``data/reference_models.toml`` holds each model's published GPU joules per output
token (a low-high range), what the figure rests on, and the PUE and grid
intensity applied on top, with their citations. The file ships with slm; an
update is an edit there, not in code.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slm.errors import ConfigError, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA_FILE = Path(__file__).parent / "data" / "reference_models.toml"  # package data, installed as a file


@dataclass(frozen=True)
class Reference:
    name: str
    label: str
    j_per_output_token_low: float
    j_per_output_token_high: float
    source: str
    source_url: str
    rests_on: str
    pue: float
    pue_source: str
    grid_g_per_kwh: float
    grid_source: str

    def joules(self, output_tokens: int) -> tuple[float, float]:
        """Facility joules (GPU figure x PUE) for this many output tokens, low and high."""
        return (output_tokens * self.j_per_output_token_low * self.pue,
                output_tokens * self.j_per_output_token_high * self.pue)

    def co2_g(self, joules: float) -> float:
        return joules / 3.6e6 * self.grid_g_per_kwh

    def assumptions(self) -> list[str]:
        return [
            (f"{self.j_per_output_token_low:g}-{self.j_per_output_token_high:g} J per output token "
            f"(GPU only) x PUE {self.pue:g}, applied to output tokens only"),
            f"CO2 at {self.grid_g_per_kwh:g} gCO2e/kWh for the data centre",
            ("excludes the server's CPU, memory and network, and the network to it: the large "
            "model's energy is if anything higher"),
            "same output tokens as answered here: a large model may answer longer or shorter",
        ]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label,
                "j_per_output_token_low": self.j_per_output_token_low,
                "j_per_output_token_high": self.j_per_output_token_high,
                "pue": self.pue, "grid_g_per_kwh": self.grid_g_per_kwh,
                "source": self.source, "source_url": self.source_url, "rests_on": self.rests_on,
                "pue_source": self.pue_source, "grid_source": self.grid_source,
                "assumptions": self.assumptions()}


def _number(table: dict, key: str, where: str, *, low: float = 0.0) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= low:
        raise ConfigError(f"reference data {where}: {key} must be a number above {low:g}, got {value!r}")
    return float(value)


def load_references(path: Path | None = None) -> tuple[str, dict[str, Reference]]:
    """(default name, {name: Reference}) from the data file; ConfigError if it is malformed."""
    try:
        text = Path(path or DATA_FILE).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the reference data {path or DATA_FILE}: {exc}") from None
    common = data.get("assumptions", {})
    pue = _number(common, "pue", "[assumptions]", low=0.999)
    grid = _number(common, "grid_g_per_kwh", "[assumptions]")
    models: dict[str, Reference] = {}
    for name, entry in (data.get("models") or {}).items():
        where = f"[models.{name!r}]"
        low = _number(entry, "j_per_output_token_low", where)
        high = _number(entry, "j_per_output_token_high", where)
        if high < low:
            raise ConfigError(f"reference data {where}: the high figure {high:g} is below the low one {low:g}")
        models[name] = Reference(
            name=name, label=str(entry.get("label", name)), j_per_output_token_low=low,
            j_per_output_token_high=high, source=str(entry.get("source", "")),
            source_url=str(entry.get("source_url", "")), rests_on=" ".join(str(entry.get("rests_on", "")).split()),
            pue=float(entry.get("pue", pue)), pue_source=" ".join(str(common.get("pue_source", "")).split()),
            grid_g_per_kwh=grid, grid_source=str(common.get("grid_source", "")))
        if not models[name].source:
            raise ConfigError(f"reference data {where}: every figure needs its source")
    default = data.get("default")
    if default not in models:
        raise ConfigError(f"reference data: the default {default!r} is not one of its models")
    return default, models


def load_reference(name: str | None = None, *, settings: Any = None, path: Path | None = None) -> Reference:
    """The reference by name, else ``settings.energy_reference``, else the file's default.

    An unknown name is a UsageError that lists the known ones.
    """
    default, models = load_references(path)
    configured = getattr(settings, "energy_reference", None) if settings is not None else None
    chosen = name or configured or default
    if chosen not in models:
        known = ", ".join(sorted(models))
        if name is None:  # it came from the settings: a config problem, not a usage one
            raise ConfigError(f"bad value for SLM_ENERGY_REFERENCE / energy.reference_model: {chosen!r} "
                              f"(known: {known})")
        raise UsageError(f"unknown reference model {chosen!r} (known: {known})")
    return models[chosen]

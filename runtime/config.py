"""The one place that reads configuration.

Every setting slm has is declared in ``_SPECS`` below: its environment variable,
its key in ``$SLM_HOME/config.toml`` and its default. Environment beats the
file, the file beats the default. No other module reads ``os.environ``; they
take a ``Settings`` value (or parts of it) as arguments. That keeps tests
simple (build a Settings, pass it) and makes the full list of knobs greppable.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from slm.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected a boolean, got {value!r}")


def _opt_str(value: Any) -> str | None:
    text = str(value).strip()
    return text or None


def _opt_int(value: Any) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    return int(value)


def _opt_float(value: Any) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    return float(value)


@dataclass(frozen=True)
class _Spec:
    env: str | None
    key: str | None  # dotted path in config.toml
    parse: Callable[[Any], Any]


# field name -> where it comes from. Keep in step with Settings below.
_SPECS: dict[str, _Spec] = {
    # hub (huggingface_hub's own variable names and meanings)
    "hf_endpoint": _Spec("HF_ENDPOINT", "hub.endpoint", str),
    "hf_token": _Spec("HF_TOKEN", "hub.token", _opt_str),
    "hf_offline": _Spec("HF_HUB_OFFLINE", "hub.offline", _bool),
    # inference
    "threads": _Spec("SLM_THREADS", "inference.threads", _opt_int),
    "n_ctx": _Spec("SLM_N_CTX", "inference.n_ctx", int),
    "model_idle_timeout_s": _Spec("SLM_MODEL_IDLE_TIMEOUT", "inference.idle_timeout_s", float),
    "max_loaded_models": _Spec("SLM_MAX_LOADED_MODELS", "inference.max_loaded_models", int),
    "general_model": _Spec("SLM_GENERAL_MODEL", "inference.general_model", _opt_str),
    # plugins / router
    "plugin_timeout_s": _Spec("SLM_PLUGIN_TIMEOUT", "plugins.timeout_s", float),
    "disabled_plugins": _Spec("SLM_DISABLED_PLUGINS", "plugins.disabled",
                              lambda v: tuple(p.strip() for p in (v.split(",") if isinstance(v, str) else v) if p.strip())),
    # energy
    "powercap_root": _Spec("SLM_POWERCAP_ROOT", "energy.powercap_root", Path),
    "power_supply_root": _Spec("SLM_POWER_SUPPLY_ROOT", "energy.power_supply_root", Path),
    "cpu_watts_per_thread": _Spec("SLM_CPU_WATTS_PER_THREAD", "energy.cpu_watts_per_thread", float),
    "grid_intensity": _Spec("SLM_GRID_INTENSITY", "energy.grid_intensity", str),
    # offload policy
    "battery_min_percent": _Spec("SLM_BATTERY_MIN_PERCENT", "offload.battery_min_percent", float),
    "energy_budget_j": _Spec("SLM_ENERGY_BUDGET_J", "offload.energy_budget_j", _opt_float),
    "offload_enabled": _Spec("SLM_OFFLOAD", "offload.enabled", _bool),
    # cloud (OpenAI-compatible)
    "cloud_base_url": _Spec("SLM_CLOUD_BASE_URL", "cloud.base_url", _opt_str),
    "cloud_api_key": _Spec("SLM_CLOUD_API_KEY", "cloud.api_key", _opt_str),
    "cloud_model": _Spec("SLM_CLOUD_MODEL", "cloud.model", _opt_str),
    "cloud_timeout_s": _Spec("SLM_CLOUD_TIMEOUT", "cloud.timeout_s", float),
    "cloud_max_retries": _Spec("SLM_CLOUD_MAX_RETRIES", "cloud.max_retries", int),
    # misc
    "log_level": _Spec("SLM_LOG_LEVEL", "log.level", str),
}


@dataclass(frozen=True)
class Settings:
    home: Path
    config_file: Path
    hf_endpoint: str = "https://huggingface.co"
    hf_token: str | None = None
    hf_offline: bool = False
    threads: int | None = None  # None: derived from the device
    n_ctx: int = 4096
    model_idle_timeout_s: float = 300.0
    max_loaded_models: int = 2
    general_model: str | None = None
    plugin_timeout_s: float = 120.0
    disabled_plugins: tuple[str, ...] = ()
    powercap_root: Path = Path("/sys/class/powercap")
    power_supply_root: Path = Path("/sys/class/power_supply")
    cpu_watts_per_thread: float = 7.5
    grid_intensity: str = "475"  # gCO2e/kWh, or an ISO country code
    battery_min_percent: float = 20.0
    energy_budget_j: float | None = None
    offload_enabled: bool = True
    cloud_base_url: str | None = None
    cloud_api_key: str | None = field(default=None, repr=False)  # never printed
    cloud_model: str | None = None
    cloud_timeout_s: float = 60.0
    cloud_max_retries: int = 3
    log_level: str = "warning"
    # raw [plugins.<name>] tables from the config file, for plugin config
    plugin_config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    # --- derived locations under SLM_HOME ---------------------------------
    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


def default_home(env: Mapping[str, str]) -> Path:
    if env.get("SLM_HOME"):
        return Path(env["SLM_HOME"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("slm", appauthor=False))


def _dig(table: Mapping[str, Any], dotted: str) -> Any:
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


_MISSING = object()


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build Settings from defaults < config file < environment < overrides."""
    env = os.environ if env is None else env
    home = Path(overrides.pop("home")) if "home" in overrides else default_home(env)
    config_file = Path(env.get("SLM_CONFIG") or home / "config.toml")
    file_values: dict[str, Any] = {}
    if config_file.is_file():
        try:
            file_values = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {config_file} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"cannot read config file {config_file}: {exc.strerror}") from None

    values: dict[str, Any] = {}
    for name, spec in _SPECS.items():
        raw, origin = _MISSING, ""
        if spec.key:
            raw, origin = _dig(file_values, spec.key), f"{spec.key} in {config_file}"
        if spec.env and spec.env in env:
            raw, origin = env[spec.env], spec.env
        if raw is _MISSING:
            continue
        try:
            values[name] = spec.parse(raw)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"bad value for {origin}: {raw!r} ({exc})") from None
    plugins = file_values.get("plugins", {})
    values["plugin_config"] = {k: v for k, v in plugins.items() if isinstance(v, Mapping)}
    values.update(overrides)
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return Settings(home=home, config_file=config_file, **values)


def setting_sources() -> dict[str, tuple[str | None, str | None]]:
    """(env var, config key) per setting, for `slm doctor` and docs."""
    return {name: (s.env, s.key) for name, s in _SPECS.items()}

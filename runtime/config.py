"""The one place that reads configuration.

Every setting slm has is declared in ``_SPECS`` below: its environment variable,
its key in ``$SLM_HOME/config.toml`` and its default. Environment beats the
file, the file beats the default. No other module reads ``os.environ``; they
take a ``Settings`` value (or parts of it) as arguments. That keeps tests
simple (build a Settings, pass it) and makes the full list of knobs greppable.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from slm import settings_inputs
from slm.errors import ConfigError
from slm.toml_parser import toml_parser

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


def _folder(value: Any) -> Path:
    # Path("") is the current directory: an empty setting must not silently mean "here".
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise ValueError("expected a folder path, not an empty value")
    return Path(str(value).strip()).expanduser()


def _opt_bool(value: Any) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _bool(value)


def _opt_str(value: Any) -> str | None:
    text = str(value).strip()
    return text or None


# Range-checked parsers: a value that parses but makes no sense (a negative
# timeout, zero loaded models, a NaN) must fail here, with the setting's name,
# not later as a crash, a silent misbehaviour or a quarantined plugin.
def _int_from(low: int, *, high: int | None = None, optional: bool = False, empty: str = "") -> Callable[[Any], Any]:
    bound = f"at least {low}" + (f" and at most {high}" if high is not None else "")

    def parse(value: Any) -> int | None:
        if optional and (value is None or str(value).strip() == ""):
            return None
        if isinstance(value, (bool, float)):
            raise ValueError(f"expected a whole number {bound}{empty}")
        number = int(str(value).strip())
        if number < low or (high is not None and number > high):
            raise ValueError(f"expected a whole number {bound}{empty}")
        return number
    return parse


def _float_in(low: float, high: float = math.inf, *, low_open: bool = False, optional: bool = False,
              unit: str = "") -> Callable[[Any], Any]:
    def parse(value: Any) -> float | None:
        if optional and (value is None or str(value).strip() == ""):
            return None
        if isinstance(value, bool):
            raise ValueError("expected a number")
        number = float(str(value).strip())
        too_low = number <= low if low_open else number < low
        if not math.isfinite(number) or too_low or number > high:
            bound = f"more than {low:g}" if low_open else f"at least {low:g}"
            if math.isfinite(high):
                bound += f" and at most {high:g}"
            raise ValueError(f"expected a number {bound}{unit}")
        return number
    return parse


def _http_url(value: Any, *, optional: bool = False) -> str | None:
    text = str(value).strip()
    if optional and not text:
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an http:// or https:// URL such as https://host[:port]/path")
    return text


def parse_duration(value: Any) -> float:
    """Ollama's keep_alive: seconds, or a duration such as "5m", "1h", "30s"; 0 unloads at once, < 0 keeps."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 300, 5m, 1h, 0 or -1")
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", str(value))
    if not m:
        raise ValueError("expected a duration such as 300, 5m, 1h, 0 or -1")
    number = float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]
    if number < 0:
        return -1.0
    if number > 365 * 86400:
        raise ValueError("expected a duration of at most a year (or -1: keep loaded)")
    return number


def _name_list(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(p, str) for p in items):
        raise ValueError("expected names separated by commas, or a list of strings")
    return tuple(p.strip() for p in items if p.strip())


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return text
    return parse


_LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


_log_level = _choice(*_LOG_LEVELS)


@dataclass(frozen=True)
class _Spec:
    env: str | None
    key: str | None  # dotted path in config.toml
    parse: Callable[[Any], Any]


# field name -> where it comes from. Keep in step with Settings below.
_SPECS: dict[str, _Spec] = {
    # hub (huggingface_hub's own variable names and meanings)
    # empty means the default, as huggingface_hub reads it
    "hf_endpoint": _Spec("HF_ENDPOINT", "hub.endpoint",
                         lambda v: _http_url(v, optional=True) or "https://huggingface.co"),
    "hf_token": _Spec("HF_TOKEN", "hub.token", _opt_str),
    "hf_offline": _Spec("HF_HUB_OFFLINE", "hub.offline", _bool),
    "require_verified": _Spec("SLM_REQUIRE_VERIFIED", "hub.require_verified", _opt_bool),
    # inference
    "threads": _Spec("SLM_THREADS", "inference.threads",
                     _int_from(1, high=1024, optional=True, empty=" (or empty: one per physical core)")),
    "n_ctx": _Spec("SLM_N_CTX", "inference.n_ctx", _int_from(0, high=1 << 20, empty=" (0: the model's own context)")),
    "model_idle_timeout_s": _Spec("SLM_MODEL_IDLE_TIMEOUT", "inference.idle_timeout_s", _float_in(0, unit=" seconds")),
    "max_loaded_models": _Spec("SLM_MAX_LOADED_MODELS", "inference.max_loaded_models", _int_from(1, high=64)),
    "llama_extra_buffers": _Spec("SLM_LLAMA_EXTRA_BUFFERS", "inference.llama_extra_buffers", _choice("auto", "on", "off")),
    "general_model": _Spec("SLM_GENERAL_MODEL", "inference.general_model", _opt_str),
    "max_loaded_ram_mb": _Spec("SLM_MAX_LOADED_RAM_MB", "inference.max_loaded_ram_mb",
                               _int_from(1, high=1 << 24, optional=True, empty=" (or empty: no limit but the count)")),
    # `slm serve` (Ollama's names where they fit)
    "server_host": _Spec("SLM_SERVER_HOST", "server.host", lambda v: _opt_str(v) or "127.0.0.1"),
    "server_port": _Spec("SLM_SERVER_PORT", "server.port", _int_from(1, high=65535)),
    "server_token": _Spec("SLM_SERVER_TOKEN", "server.token", _opt_str),
    "server_cors_origins": _Spec("SLM_SERVER_CORS_ORIGINS", "server.cors_origins", _name_list),
    "keep_alive_s": _Spec("SLM_KEEP_ALIVE", "server.keep_alive", parse_duration),
    "num_parallel": _Spec("SLM_NUM_PARALLEL", "server.num_parallel", _int_from(1, high=64)),
    "max_queue": _Spec("SLM_MAX_QUEUE", "server.max_queue", _int_from(0, high=100000)),
    "use_server": _Spec("SLM_USE_SERVER", "server.use", _bool),
    # plugins / router
    "plugin_timeout_s": _Spec("SLM_PLUGIN_TIMEOUT", "plugins.timeout_s", _float_in(0, low_open=True, unit=" seconds")),
    "disabled_plugins": _Spec("SLM_DISABLED_PLUGINS", "plugins.disabled", _name_list),
    # where third-party plugins run: "third-party" (default: in a worker process each, built-ins
    # in slm's own), "all" (built-ins too), "off" (everything in slm's process, for debugging)
    "plugin_isolation": _Spec("SLM_PLUGIN_ISOLATION", "plugins.isolation", _choice("third-party", "all", "off")),
    "plugin_memory_mb": _Spec("SLM_PLUGIN_MEMORY_MB", "plugins.memory_mb",
                              _int_from(0, high=1 << 24, empty=" (0: no limit)")),
    # energy
    "powercap_root": _Spec("SLM_POWERCAP_ROOT", "energy.powercap_root", _folder),
    "power_supply_root": _Spec("SLM_POWER_SUPPLY_ROOT", "energy.power_supply_root", _folder),
    "cpu_watts_per_thread": _Spec("SLM_CPU_WATTS_PER_THREAD", "energy.cpu_watts_per_thread", float),
    "grid_intensity": _Spec("SLM_GRID_INTENSITY", "energy.grid_intensity", str),
    "energy_keep_days": _Spec("SLM_ENERGY_KEEP_DAYS", "energy.keep_days",
                              _int_from(0, empty=" (0: keep the energy history forever)")),
    "energy_reference": _Spec("SLM_ENERGY_REFERENCE", "energy.reference_model", _opt_str),
    # offload policy
    "battery_min_percent": _Spec("SLM_BATTERY_MIN_PERCENT", "offload.battery_min_percent",
                                 _float_in(0, 100, unit=" percent")),
    "energy_budget_j": _Spec("SLM_ENERGY_BUDGET_J", "offload.energy_budget_j",
                             _float_in(0, low_open=True, optional=True, unit=" joules (or empty: no budget)")),
    "offload_enabled": _Spec("SLM_OFFLOAD", "offload.enabled", _bool),
    # cloud (OpenAI-compatible)
    "cloud_base_url": _Spec("SLM_CLOUD_BASE_URL", "cloud.base_url", lambda v: _http_url(v, optional=True)),
    "cloud_api_key": _Spec("SLM_CLOUD_API_KEY", "cloud.api_key", _opt_str),
    "cloud_model": _Spec("SLM_CLOUD_MODEL", "cloud.model", _opt_str),
    "cloud_timeout_s": _Spec("SLM_CLOUD_TIMEOUT", "cloud.timeout_s", _float_in(0, low_open=True, unit=" seconds")),
    "cloud_max_retries": _Spec("SLM_CLOUD_MAX_RETRIES", "cloud.max_retries", _int_from(0, high=20)),
    "cloud_max_total_s": _Spec("SLM_CLOUD_MAX_TOTAL_S", "cloud.max_total_s",
                               _float_in(0, 86400, low_open=True, unit=" seconds")),
    "cloud_max_response_bytes": _Spec("SLM_CLOUD_MAX_RESPONSE_BYTES", "cloud.max_response_bytes", _int_from(1024)),
    # misc
    "log_level": _Spec("SLM_LOG_LEVEL", "log.level", _log_level),
}


@dataclass(frozen=True)
class Settings:
    home: Path
    config_file: Path
    hf_endpoint: str = "https://huggingface.co"
    hf_token: str | None = None
    hf_offline: bool = False
    # None: pulls may install a file the hub published no hash for (said so as "unverified"),
    # pack imports may not; True: neither may; False: both may.
    require_verified: bool | None = None
    threads: int | None = None  # None: derived from the device
    n_ctx: int = 4096  # the most context a request can use; each load allocates what its request needs
    model_idle_timeout_s: float = 300.0
    max_loaded_models: int = 2
    # llama.cpp's repacked/AMX weight buffers; "auto": off on CPUs with AMX (llama.cpp #20824 crashes there)
    llama_extra_buffers: str = "auto"
    general_model: str | None = None
    # RAM the loaded models may take together (MB, catalog ram_mb or file size); LRU goes first
    max_loaded_ram_mb: int | None = None
    server_host: str = "127.0.0.1"
    server_port: int = 8765
    server_token: str | None = field(default=None, repr=False)  # never printed
    server_cors_origins: tuple[str, ...] = ()  # empty: no CORS headers (browsers get no access)
    keep_alive_s: float = 300.0  # how long `slm serve` keeps a model after its last request; -1 forever
    num_parallel: int = 1  # requests one loaded model serves at once (one llama.cpp context each)
    max_queue: int = 512  # requests waiting per model beyond the busy slots; more get 503
    use_server: bool = True  # `slm ask`/`slm route` go through a running `slm serve` for this SLM_HOME
    plugin_timeout_s: float = 120.0
    disabled_plugins: tuple[str, ...] = ()
    plugin_isolation: str = "third-party"
    plugin_memory_mb: int = 4096  # address space of a plugin worker process (RLIMIT_AS); 0: no limit
    powercap_root: Path = Path("/sys/class/powercap")
    power_supply_root: Path = Path("/sys/class/power_supply")
    cpu_watts_per_thread: float = 7.5
    grid_intensity: str = "475"  # gCO2e/kWh, or an ISO country code
    energy_keep_days: int = 90  # rows older than this leave the energy history; 0 keeps all
    energy_reference: str | None = None  # reference model of `slm energy` (None: the data file's default)
    battery_min_percent: float = 20.0
    energy_budget_j: float | None = None
    offload_enabled: bool = True
    cloud_base_url: str | None = None
    cloud_api_key: str | None = field(default=None, repr=False)  # never printed
    cloud_model: str | None = None
    cloud_timeout_s: float = 60.0
    cloud_max_retries: int = 3
    cloud_max_total_s: float = 600.0  # one whole answer, however slowly its bytes come
    cloud_max_response_bytes: int = 16 << 20
    log_level: str = "warning"
    # raw [plugins.<name>] tables from the config file, for plugin config
    plugin_config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # plugin name -> the model it should use: SLM_PLUGIN_<NAME>_MODEL beats [plugins.<name>] model
    plugin_models: Mapping[str, str] = field(default_factory=dict)
    # setting (or "plugins.<name>.model") -> where its value came from, for `slm config show`
    origins: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # slm.settings_inputs' digest of what these settings were built from (None: built with overrides)
    inputs_digest: str | None = field(default=None, repr=False, compare=False)

    def plugin_model(self, plugin: str) -> str | None:
        """The model the user chose for ``plugin`` (None: the one its plugin.toml declares)."""
        found = self.plugin_models.get(plugin)
        return found if found is not None else self.plugin_models.get(re.sub(r"[^a-z0-9]+", "_", plugin.lower()))

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

    def with_(self, **changes: Any) -> Settings:
        # changed settings are no longer what the environment and file say: no digest of them
        return replace(self, inputs_digest=None, **changes) if changes else self


def default_home(env: Mapping[str, str]) -> Path:
    return Path(settings_inputs.home_dir(env))


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
    overridden = bool(overrides)
    home = Path(overrides.pop("home")) if "home" in overrides else default_home(env)
    if home.exists() and not home.is_dir():
        raise ConfigError(f"SLM_HOME {home} is not a folder", hint="point SLM_HOME at a folder slm may write to")
    config_file = Path(settings_inputs.config_path(env, str(home)))
    if env.get("SLM_CONFIG") and not config_file.is_file():
        # an explicit config file that is not there would silently mean "all defaults"
        what = "is a folder" if config_file.is_dir() else "does not exist"
        raise ConfigError(f"SLM_CONFIG {config_file} {what}", hint="point it at a TOML file or unset it")
    file_values: dict[str, Any] = {}
    config_bytes: bytes | None = None
    if config_file.exists():
        tomllib = toml_parser()
        try:
            config_bytes = config_file.read_bytes()
            file_values = tomllib.loads(config_bytes.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {config_file} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"cannot read config file {config_file}: {exc.strerror}") from None

    warned = _warn_about_unknown_keys(file_values, config_file)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {
        "home": "argument" if "home" in overrides else "SLM_HOME" if env.get("SLM_HOME") else "default",
        "config_file": "SLM_CONFIG" if env.get("SLM_CONFIG") else "default",
    }
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
        origins[name] = origin
    plugins = file_values.get("plugins", {})
    if not isinstance(plugins, Mapping):
        raise ConfigError(f"bad value for plugins in {config_file}: expected a table ([plugins])")
    values["plugin_config"] = {k: v for k, v in plugins.items() if isinstance(v, Mapping)}
    values["plugin_models"] = _plugin_models(values["plugin_config"], env, config_file, origins)
    origins.update({name: "argument" for name in overrides if name != "home"})
    values.update(overrides)
    values["origins"] = origins
    # What a quick client may compare with a server's: not when arguments override the inputs, nor
    # when loading warns (the quick path loads nothing, so it could not print the warning).
    if not overridden and not warned:
        values["inputs_digest"] = settings_inputs.digest(env, str(home), config_bytes)
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return Settings(home=home, config_file=config_file, **values)


_warned: set[tuple[str, str]] = set()


def _warn_about_unknown_keys(file_values: Mapping[str, Any], config_file: Path) -> bool:
    """One warning per key that slm does not know (a typo would otherwise be ignored in silence)
    and per table written as a plain value; [plugins.*] tables belong to the plugins."""
    import logging

    known = {spec.key for spec in _SPECS.values() if spec.key}
    sections = {key.split(".")[0] for key in known}
    problems: list[str] = []
    for top, value in file_values.items():
        if top == "plugins":
            if isinstance(value, Mapping):
                # [plugins] holds slm's own plugin settings (timeout_s, ...) beside each plugin's table
                problems += [f"plugins.{name} should be a table ([plugins.{name}])"
                             for name, table in value.items()
                             if not isinstance(table, Mapping) and f"plugins.{name}" not in known]
            continue
        if top not in sections:
            problems.append(f"unknown section or setting {top!r}")
        elif not isinstance(value, Mapping):
            problems.append(f"{top} should be a table ([{top}])")
        else:
            problems += [f"unknown setting {top}.{key}" for key in value if f"{top}.{key}" not in known]
    for problem in problems:
        if (str(config_file), problem) not in _warned:
            _warned.add((str(config_file), problem))
            logging.getLogger("slm.config").warning("warning: %s: %s (ignored)", config_file, problem)
    return bool(problems)


_PLUGIN_MODEL_ENV = re.compile(r"^SLM_PLUGIN_([A-Z0-9_]+)_MODEL$")


def plugin_model_env(plugin: str) -> str:
    """The environment variable that picks ``plugin``'s model: acme-quotes -> SLM_PLUGIN_ACME_QUOTES_MODEL."""
    return f"SLM_PLUGIN_{re.sub(r'[^A-Z0-9]+', '_', plugin.upper()).strip('_')}_MODEL"


def _plugin_models(tables: Mapping[str, Mapping[str, Any]], env: Mapping[str, str], config_file: Path,
                   origins: dict[str, str]) -> dict[str, str]:
    """[plugins.<name>] model = "..." from the file, then SLM_PLUGIN_<NAME>_MODEL from the environment.

    An environment variable names the plugin in upper case with '_' for any other
    character, so it is matched against the plugins the file names and kept under
    its lower-case form otherwise (acme_quotes also matches a plugin acme-quotes:
    ``Settings.plugin_model`` looks both up).
    """
    out: dict[str, str] = {}
    for plugin, table in tables.items():
        if "model" not in table:
            continue
        where = f"plugins.{plugin}.model in {config_file}"
        value = table["model"]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"bad value for {where}: {value!r} (expected a model name, ORG/REPO/FILE or a path)")
        out[plugin], origins[f"plugins.{plugin}.model"] = value.strip(), where
    by_env = {plugin_model_env(p): p for p in tables}
    for var, value in env.items():
        m = _PLUGIN_MODEL_ENV.match(var)
        if not m:
            continue
        plugin = by_env.get(var) or m.group(1).lower()
        text = str(value).strip()
        if not text:  # set but empty: the plugin's own model, as for the other settings
            out.pop(plugin, None)
            origins.pop(f"plugins.{plugin}.model", None)
            continue
        out[plugin], origins[f"plugins.{plugin}.model"] = text, var
    return out


def setting_sources() -> dict[str, tuple[str | None, str | None]]:
    """(env var, config key) per setting, for `slm doctor` and docs."""
    return {name: (s.env, s.key) for name, s in _SPECS.items()}


_SECRETS = {"hf_token", "cloud_api_key", "server_token"}


def describe(settings: Settings) -> list[dict[str, Any]]:
    """Every setting with its value and where the value came from, for `slm config show`.

    Rows: {name, value, origin, env, key}; origin is "default", an environment
    variable, "KEY in FILE" or "argument". Secrets show as "(set)", never their value.
    """
    rows: list[dict[str, Any]] = [
        {"name": "home", "value": str(settings.home), "origin": settings.origins.get("home", "default"),
         "env": "SLM_HOME", "key": None},
        {"name": "config_file", "value": str(settings.config_file),
         "origin": settings.origins.get("config_file", "default"), "env": "SLM_CONFIG", "key": None},
    ]
    for name, spec in _SPECS.items():
        value = getattr(settings, name)
        if name in _SECRETS and value is not None:
            value = "(set)"
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        rows.append({"name": name, "value": value, "origin": settings.origins.get(name, "default"),
                     "env": spec.env, "key": spec.key})
    for plugin, model in sorted(settings.plugin_models.items()):
        rows.append({"name": f"plugins.{plugin}.model", "value": model,
                     "origin": settings.origins.get(f"plugins.{plugin}.model", "default"),
                     "env": plugin_model_env(plugin), "key": f"plugins.{plugin}.model"})
    return rows

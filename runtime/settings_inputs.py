"""Everything ``slm.config.load_settings`` reads, as one digest: the environment and the config file's bytes.

Two processes whose digests are equal build equal Settings. The running server
records its digest in its state file; the quick `slm ask PROMPT` client
(slm.cli.quick_ask) compares its own against it and, when they are equal, can
send the request without loading settings at all (~100 ms of imports it would
otherwise pay before the first byte). A different digest proves nothing: the
full client then loads its settings and compares the answer-shaping fingerprint.

Kept apart from slm.config, standard library only, so computing it is cheap.
slm.config resolves SLM_HOME and the config file's path through this module, so
the two can never disagree on where they are.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

try:  # the builtin module: hashlib's import loads OpenSSL (~4 ms) which this path does not need
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b

# Environment variables that can change a Settings value: slm's own, the hub's, and
# what platformdirs reads for the default SLM_HOME.
_PREFIXES = ("SLM_", "HF_", "XDG_")
_NAMES = ("HOME",)
# Where and how the server serves, not what it answers (slm.server.state._SERVING's variables;
# a test keeps the two in step). A client without these in its shell may still take the quick path.
SERVING_ENV = frozenset({
    "SLM_SERVER_HOST", "SLM_SERVER_PORT", "SLM_SERVER_TOKEN", "SLM_SERVER_CORS_ORIGINS", "SLM_KEEP_ALIVE",
    "SLM_NUM_PARALLEL", "SLM_MAX_QUEUE", "SLM_MODEL_IDLE_TIMEOUT", "SLM_MAX_LOADED_MODELS",
    "SLM_MAX_LOADED_RAM_MB"})


def home_dir(env: Mapping[str, str]) -> str:
    """SLM_HOME, or the platform's data folder for slm."""
    if env.get("SLM_HOME"):
        return os.path.expanduser(env["SLM_HOME"])
    import platformdirs

    return platformdirs.user_data_dir("slm", appauthor=False)


def config_path(env: Mapping[str, str], home: str) -> str:
    return env.get("SLM_CONFIG") or os.path.join(home, "config.toml")


def digest(env: Mapping[str, str], home: str, config_bytes: bytes | None) -> str:
    """The digest of the inputs; ``config_bytes`` None when there is no config file."""
    h = blake2b(digest_size=16)
    for name in sorted(env):
        if (name.startswith(_PREFIXES) or name in _NAMES) and name not in SERVING_ENV:
            h.update(b"e" + _b(name) + b"\0" + _b(env[name]) + b"\0")
    h.update(b"h" + _b(home) + b"\0")
    h.update(b"c-" if config_bytes is None else b"c+" + config_bytes)
    return h.hexdigest()


def current(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(home, digest) for this process's environment, or None when the config file cannot be read
    (then the full path reports it)."""
    env = os.environ if env is None else env
    home = home_dir(env)
    try:
        with open(config_path(env, home), "rb") as fh:
            config_bytes: bytes | None = fh.read()
    except FileNotFoundError:
        if env.get("SLM_CONFIG"):
            return None  # an explicit config file that is not there is an error, said by load_settings
        config_bytes = None
    except OSError:
        return None
    return home, digest(env, home, config_bytes)


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")

"""Shared test setup.

Every test runs with its own SLM_HOME so nothing touches the user's real
store, and with HF_ENDPOINT pointing at a closed loopback port so a test that
forgets to start the local hub server fails fast instead of reaching out.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

_ISOLATED_VARS = [
    "SLM_CONFIG", "SLM_THREADS", "SLM_GENERAL_MODEL", "SLM_CLOUD_BASE_URL", "SLM_CLOUD_API_KEY",
    "SLM_CLOUD_MODEL", "SLM_POWERCAP_ROOT", "SLM_POWER_SUPPLY_ROOT", "SLM_GRID_INTENSITY",
    "SLM_DISABLED_PLUGINS", "SLM_ENERGY_BUDGET_J", "SLM_BATTERY_MIN_PERCENT", "HF_TOKEN",
    "HF_HUB_OFFLINE", "SLM_DEBUG",
]


@pytest.fixture(autouse=True)
def slm_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("slm_home")
    monkeypatch.setenv("SLM_HOME", str(home))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    for name in _ISOLATED_VARS:
        monkeypatch.delenv(name, raising=False)
    # Fake, empty sensor roots by default so tests never depend on this host's sysfs.
    empty = home / "_nosys"
    (empty / "powercap").mkdir(parents=True)
    (empty / "power_supply").mkdir(parents=True)
    monkeypatch.setenv("SLM_POWERCAP_ROOT", str(empty / "powercap"))
    monkeypatch.setenv("SLM_POWER_SUPPLY_ROOT", str(empty / "power_supply"))
    return home


def subprocess_env(**extra: str) -> dict[str, str]:
    """The current (isolated) environment for `slm` subprocesses, plus extras."""
    env = dict(os.environ)
    env.update(extra)
    return env

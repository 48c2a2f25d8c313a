"""Shared test setup.

Every test runs with its own SLM_HOME so nothing touches the user's real
store, and with HF_ENDPOINT pointing at a closed loopback port so a test that
forgets to start the local hub server fails fast instead of reaching out.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

# Every SLM_* setting of the developer's shell is dropped (a hand-kept list misses new
# settings such as SLM_N_CTX or SLM_OFFLOAD), plus the hub variables that change pulls.
_ISOLATED_HUB_VARS = ["HF_TOKEN", "HF_HUB_OFFLINE"]


@pytest.fixture(autouse=True)
def slm_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("slm_home")
    monkeypatch.setenv("SLM_HOME", str(home))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    for name in [n for n in os.environ if n.startswith("SLM_") and n != "SLM_HOME"] + _ISOLATED_HUB_VARS:
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


_TRAINING_NOTICE = re.compile(r"^training the router for \d+ plugins?…\n", re.MULTILINE)


def without_training_notice(stderr: str) -> str:
    """stderr without the one-line notice a first run (a fresh SLM_HOME) prints while the
    router trains, so a test can say the rest of it is one error line, whichever test ran first."""
    return _TRAINING_NOTICE.sub("", stderr, count=1)

"""Shared test setup.

Every test runs with its own SLM_HOME so nothing touches the user's real
store, and with HF_ENDPOINT pointing at a closed loopback port so a test that
forgets to start the local hub server fails fast instead of reaching out.
"""
from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def run_at_once(work: Callable[[Any], None], args: list, *, timeout: float = 120.0) -> list[BaseException]:
    """Run ``work(arg)`` for each arg in its own thread, all released together (a barrier), and
    return what they raised; a thread still running after ``timeout`` seconds counts as a failure."""
    barrier = threading.Barrier(len(args))
    errors: list[BaseException] = []

    def run(arg):
        try:
            barrier.wait()
            work(arg)
        except BaseException as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,), daemon=True) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    errors += [TimeoutError(f"a thread still runs after {timeout} s") for t in threads if t.is_alive()]
    return errors

"""`slm ask --plugin NAME PROMPT`: runs the chosen plugin directly (no routing) through
PluginHost.run; `--json` carries "plugin" and the plugin's structured "data"."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import subprocess_env

SLM = str(Path(sys.executable).parent / "slm")


def slm(*argv):
    return subprocess.run([SLM, *argv], capture_output=True, text=True, env=subprocess_env(), timeout=120)


def test_ask_plugin_calc_json():
    out = slm("ask", "--plugin", "calc", "add 8.25% sales tax to 1299", "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["plugin"] == "calc"
    assert answer["data"]["kind"] == "tax_add" and answer["data"]["total"] == "1406.17"
    assert answer["model"] is None  # calc needs no model
    assert "1406.17" in answer["text"].replace(",", "")  # 1299 * 1.0825 = 1406.1675
    assert answer["where"] == "local"


def test_ask_plugin_calc_text():
    out = slm("ask", "--plugin", "calc", "3 licenses at $1,199 with 20% off")
    assert out.returncode == 0, out.stderr
    assert "2877.60" in out.stdout.replace(",", "")  # 3 * 1199 * 0.8


def test_ask_unknown_plugin_is_one_line():
    out = slm("ask", "--plugin", "no-such-plugin", "hello")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith("error: no plugin named 'no-such-plugin'") and out.stderr.count("\n") == 1

"""The quick `slm route PROMPT` (slm.cli.quick_route): routed before click is imported.

It may only be faster: the same stdout, stderr and exit status as the `route` command
(`--no-server` takes the full CLI, in the same process kind), and every other form
(options, stdin, a blank prompt) goes to the full CLI.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

LAUNCH = [sys.executable, "-X", "importtime", "-m", "slm.cli.launch"]


def run(home, *args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SLM_")}
    proc = subprocess.run([*LAUNCH, *args], capture_output=True, text=True, timeout=300, check=False,
                          env={**environ, "SLM_HOME": str(home), **env})
    lines = proc.stderr.splitlines()
    imported = {line.rsplit("|", 1)[1].strip() for line in lines if line.startswith("import time:")}
    stderr = [line for line in lines if not line.startswith("import time:")]
    return proc.returncode, proc.stdout, stderr, "click" in imported


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("quick_route_home")
    assert run(home, "route", "warm up")[0] == 0  # the router (shipped or trained) is in place
    return home


@pytest.mark.parametrize("prompt", ["add 8.25% sales tax to 1299", "¿cuál es la capital de Francia?",
                                    "summarise this email: hi Bob, the meeting moved to 3pm", "zzz"])
def test_the_plain_form_skips_click_and_prints_what_the_command_prints(home, prompt):
    code, out, err, with_click = run(home, "route", prompt)
    assert not with_click, "the plain form went through click"
    full = run(home, "route", prompt, "--no-server")  # an option: the full CLI
    assert full[3]
    assert (code, out, err) == full[:3]
    assert code == 0 and out.strip()


@pytest.mark.parametrize("args", [["route", "hi", "--json"], ["route", "-"], ["route", "  "], ["route"]])
def test_other_forms_go_to_the_full_cli(home, args):
    assert run(home, *args)[3]


def test_a_user_fixable_error_is_the_clis_line_and_status(home, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("bad = [\n")
    quick = run(home, "route", "hello", SLM_CONFIG=str(config))
    full = run(home, "route", "hello", "--no-server", SLM_CONFIG=str(config))
    assert not quick[3] and full[3]
    assert quick[:3] == full[:3]
    assert quick[0] == 1 and quick[2][-1].startswith("error: ") and "Traceback" not in quick[1] + "".join(quick[2])

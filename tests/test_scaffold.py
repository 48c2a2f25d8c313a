"""A real third-party plugin, end to end: scaffolded by `slm plugins new`, pip-installed
(``pip install --target`` into a temporary folder put on the path, never into the shared
venv), found through its entry point, listed, run, and its broken variants (import error,
raising, running past its time limit) quarantined while everything else keeps working."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import subprocess_env
from slm.config import load_settings
from slm.errors import PluginBrokenError
from slm.host.host import PluginHost
from slm.plugins.sdk import Request

SLM = str(Path(sys.executable).parent / "slm")
BROKEN = {
    "acme-noimport": "failed to import ModuleNotFoundError: No module named 'acme_missing_dependency'",
    "acme-raises": "raised RuntimeError: acme exploded",
    "acme-slow": "ran past its time limit of 1 s",
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"template changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    """Scaffold four plugins with the real CLI, break three, pip-install all into one folder."""
    work = tmp_path_factory.mktemp("thirdparty")
    env = subprocess_env(SLM_HOME=str(work / "home"))
    projects = {}
    for name in ["acme-echo", "acme-badmeta", *BROKEN]:
        dest = work / "src" / name
        out = subprocess.run([SLM, "plugins", "new", name, "--dir", str(dest)], capture_output=True,
                             text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        projects[name] = dest
    mod = lambda name: projects[name] / f"slm_plugin_{name.replace('-', '_')}"
    _edit(mod("acme-noimport") / "__init__.py", "from __future__ import annotations\n",
          "from __future__ import annotations\nimport acme_missing_dependency\n")
    _edit(mod("acme-raises") / "__init__.py", "        text = request.prompt.strip()\n",
          "        raise RuntimeError('acme exploded')\n")
    _edit(mod("acme-slow") / "__init__.py", "        text = request.prompt.strip()\n",
          "        import time\n        time.sleep(20)\n        text = request.prompt.strip()\n")
    _edit(mod("acme-slow") / "plugin.toml", "# timeout_s = 120", "timeout_s = 1")
    _edit(mod("acme-badmeta") / "plugin.toml", 'sensitivity = "internal"', 'sensitivity = "top-secret"')
    # The good plugin goes in a folder of its own: the broken copies share its examples,
    # and its own routing test must not compete with its clones.
    good, broken = work / "site-good", work / "site-broken"
    for target, names in ((good, ["acme-echo"]), (broken, [n for n in projects if n != "acme-echo"])):
        out = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                              "--no-index", "--target", str(target), *(str(projects[n]) for n in names)],
                             capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
    return {"good": good, "broken": broken, "projects": projects}


@pytest.fixture
def on_path(installed, monkeypatch):
    for folder in (installed["broken"], installed["good"]):
        monkeypatch.syspath_prepend(str(folder))
    # for `slm` subprocesses
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(installed["good"]), str(installed["broken"])]))
    return installed


def slm(*argv, timeout=60):
    return subprocess.run([SLM, *argv], capture_output=True, text=True, env=subprocess_env(), timeout=timeout)


def test_installed_plugins_are_listed_from_their_entry_points(on_path):
    out = slm("plugins", "list", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert {"acme-echo", *BROKEN, "calc", "notes"} <= set(rows)
    echo = rows["acme-echo"]
    assert echo["status"] == "ok" and echo["distribution"] == "slm-plugin-acme-echo"
    assert echo["entry_point"] == "slm_plugin_acme_echo:plugin" and echo["n_examples"] >= 10
    assert Path(echo["root"]) == on_path["good"] / "slm_plugin_acme_echo"
    # listing never imports plugin code, so the plugin that cannot import is not broken yet
    assert rows["acme-noimport"]["status"] == "ok"
    bad = rows["acme-badmeta"]
    assert bad["status"] == "broken" and "sensitivity must be one of" in bad["reason"]
    assert "acme-badmeta: broken:" in slm("plugins", "list").stdout
    info = json.loads(slm("plugins", "info", "acme-echo", "--json").stdout)
    assert info["version"] == "0.1.0" and len(info["examples"]) == echo["n_examples"]


def test_listing_and_routing_data_import_no_plugin_code(on_path):
    code = ("import json, sys\nfrom slm.config import load_settings\nfrom slm.host.host import PluginHost\n"
            "h = PluginHost(load_settings())\nex = h.route_examples()\n"
            "print(json.dumps({'names': sorted(ex), 'mods': [m for m in sys.modules if m.startswith('slm_plugin')]}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), timeout=60)
    seen = json.loads(out.stdout)
    assert {"acme-echo", *BROKEN} <= set(seen["names"]) and seen["mods"] == []


def test_the_installed_plugin_runs(on_path):
    host = PluginHost(load_settings())
    run = host.run("acme-echo", Request("   "))  # the template's no-model path
    assert run.result.text == "Nothing to translate." and run.result.data == {"words": 0}
    assert host.status()["acme-echo"] is None
    with pytest.raises(PluginBrokenError, match="plugin acme-badmeta cannot be used: .*sensitivity"):
        host.run("acme-badmeta", Request("x"))
    assert "acme-badmeta" not in host.route_examples()


def test_broken_plugins_are_quarantined_and_the_rest_keeps_working(on_path):
    host = PluginHost(load_settings())
    for name, phrase in BROKEN.items():
        started = time.monotonic()
        with pytest.raises(PluginBrokenError) as err:
            host.run(name, Request("translate to French: hello"))
        assert phrase in err.value.one_line(), err.value.one_line()
        assert time.monotonic() - started < 10
    assert host.run("acme-echo", Request(" ")).result.data == {"words": 0}

    out = slm("plugins", "list", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    for name, phrase in BROKEN.items():
        assert rows[name]["status"] == "broken" and phrase in rows[name]["reason"]
    assert rows["acme-echo"]["status"] == "ok" and rows["calc"]["status"] == "ok"
    text = slm("plugins", "list").stdout
    assert "acme-raises: broken: raised RuntimeError: acme exploded" in text
    assert set(PluginHost(load_settings()).route_examples()).isdisjoint(BROKEN)

    # upgrading (here: the installed files change) gives the plugin another chance
    installed_module = on_path["broken"] / "slm_plugin_acme_raises" / "__init__.py"
    installed_module.write_text(installed_module.read_text() + "\n# 0.1.1\n")
    assert PluginHost(load_settings()).status()["acme-raises"] is None
    out = slm("plugins", "reset", "acme-slow")
    assert out.stdout.strip() == "cleared: acme-slow"


def test_ask_with_a_broken_plugin_is_one_line_error(on_path):
    # `slm ask --plugin NAME` goes through PluginHost.run (wired by the ask pipeline)
    out = slm("ask", "--plugin", "acme-raises", "translate to French: hello", timeout=120)
    assert out.returncode == 1 and out.stderr.startswith("error: plugin acme-raises")
    assert "acme exploded" in out.stderr and out.stderr.count("\n") == 1
    out = slm("ask", "--plugin", "acme-raises", "again", timeout=120)
    assert out.returncode == 1 and "broken" in out.stderr and out.stderr.count("\n") == 1


def test_the_scaffolded_tests_pass_with_the_test_kit(on_path):
    project = on_path["projects"]["acme-echo"]
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                          str(project / "tests")], capture_output=True, text=True, cwd=project,
                         env=subprocess_env(PYTHONPATH=str(on_path["good"])), timeout=240)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert " passed" in out.stdout and " failed" not in out.stdout

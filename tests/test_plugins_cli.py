"""`slm plugins list|info|new|reset` in-process through the real CLI entry point."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import subprocess_env
from slm.cli.main import main
from slm.config import load_settings
from slm.host.host import PluginHost
from slm.host.meta import read_plugin_toml

BUILTINS = {"calc", "notes", "email", "extract", "kb"}


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_builtins(capsys):
    code, out, err = cli(capsys, "plugins", "list")
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split()[:5] == ["NAME", "VERSION", "STATUS", "MODEL", "OFFLOAD"]
    assert BUILTINS <= {row.split()[0].rstrip(":") for row in rows}


def test_list_json(capsys):
    code, out, _ = cli(capsys, "plugins", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert code == 0 and BUILTINS <= set(rows)
    for name in BUILTINS:
        row = rows[name]
        assert row["distribution"] == "slm-runtime" and row["entry_point"] == f"slm.plugins.{name}:plugin"
        assert row["status"] == "ok" and row["reason"] is None  # a fresh install: every built-in works
        assert row["permissions"]["offload"] in ("allowed", "redact", "allowed-raw", "never")


def test_a_quarantined_plugin_is_listed_as_broken_with_its_reason(capsys):
    host = PluginHost(load_settings())
    host.quarantine.add(host.get_info("email"), "raised RuntimeError: kaput (at x.py:1)")
    code, out, _ = cli(capsys, "plugins", "list", "--json")
    row = {r["name"]: r for r in json.loads(out)}["email"]
    assert code == 0 and row["status"] == "broken" and row["reason"] == "raised RuntimeError: kaput (at x.py:1)"
    code, out, _ = cli(capsys, "plugins", "list")
    assert "email: broken: raised RuntimeError: kaput (at x.py:1)" in out
    code, out, _ = cli(capsys, "plugins", "info", "email")
    assert "status:       broken: raised RuntimeError: kaput" in out
    assert cli(capsys, "plugins", "reset", "email")[1].strip() == "cleared: email"
    row = {r["name"]: r for r in json.loads(cli(capsys, "plugins", "list", "--json")[1])}["email"]
    assert "kaput" not in (row["reason"] or "")
    assert cli(capsys, "plugins", "reset")[1].strip() == "nothing to clear"


def test_disabled_plugins_are_shown_as_disabled(capsys, monkeypatch):
    monkeypatch.setenv("SLM_DISABLED_PLUGINS", "kb")
    rows = {r["name"]: r for r in json.loads(cli(capsys, "plugins", "list", "--json")[1])}
    assert rows["kb"]["status"] == "disabled" and rows["calc"]["status"] == "ok"


def test_info(capsys):
    code, out, _ = cli(capsys, "plugins", "info", "extract", "--json")
    data = json.loads(out)
    assert code == 0 and data["name"] == "extract" and isinstance(data["examples"], list)
    assert data["timeout_s"] > 0 and data["data_dir"] == str(load_settings().data_dir / "plugins" / "extract")
    code, out, _ = cli(capsys, "plugins", "info", "extract")
    assert code == 0 and out.startswith("name:         extract") and "examples (" in out


@pytest.mark.parametrize("argv", [["plugins", "info", "nope"], ["plugins", "info", "nope", "--json"],
                                  ["plugins", "reset", "nope"]])
def test_unknown_plugin_is_one_line(capsys, argv):
    code, out, err = cli(capsys, *argv)
    assert code == 1 and out == "" and err.startswith("error: no plugin named 'nope'") and err.count("\n") == 1


@pytest.mark.parametrize("name", ["Bad", "1abc", "a", "x" * 33, "a b", "../x", "my.plugin", "_x", "x/y"])
def test_new_rejects_bad_names(capsys, tmp_path, name):
    code, out, err = cli(capsys, "plugins", "new", name, "--dir", str(tmp_path / "p"))
    assert code == 2 and err.startswith("error: bad plugin name") and err.count("\n") == 1
    assert not (tmp_path / "p").exists()


def test_new_refuses_an_existing_folder_or_an_installed_name(capsys, tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine")
    code, _, err = cli(capsys, "plugins", "new", "fresh", "--dir", str(tmp_path / "p"))
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    assert (tmp_path / "p" / "keep.txt").read_text() == "mine" and len(list((tmp_path / "p").iterdir())) == 1
    code, _, err = cli(capsys, "plugins", "new", "calc", "--dir", str(tmp_path / "q"))
    assert code == 2 and "already installed" in err and not (tmp_path / "q").exists()


def test_new_writes_a_complete_package(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "plugins", "new", "price-check")
    assert code == 0, err
    root = tmp_path / "slm-plugin-price-check"
    assert f"created plugin price-check in {root}" in out
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == ["README.md", "pyproject.toml", "slm_plugin_price_check/__init__.py",
                     "slm_plugin_price_check/plugin.toml", "tests/test_slm_plugin_price_check.py"]
    info = read_plugin_toml(root / "slm_plugin_price_check")
    assert info.name == "price-check" and 10 <= len(info.examples) <= 50
    pyproject = (root / "pyproject.toml").read_text()
    assert '[project.entry-points."slm.plugins"]\nprice-check = "slm_plugin_price_check:plugin"' in pyproject
    assert 'name = "slm-plugin-price-check"' in pyproject
    for path in root.rglob("*"):
        if path.is_file():
            assert "__NAME__" not in path.read_text() and "__MODULE__" not in path.read_text()
    compile((root / "slm_plugin_price_check/__init__.py").read_text(), "plugin", "exec")
    compile((root / "tests/test_slm_plugin_price_check.py").read_text(), "test", "exec")
    # an empty existing folder is fine
    (tmp_path / "empty").mkdir()
    assert cli(capsys, "plugins", "new", "other", "--dir", str(tmp_path / "empty"))[0] == 0


def test_help_does_not_load_plugins():
    code = ("import sys\nfrom slm.cli.main import main\nrc = main(['--help'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('slm.plugin', 'slm.cli.plugins', 'importlib.metadata'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), timeout=60)
    assert out.returncode == 0 and out.stdout.strip().splitlines()[-1] == "[]"

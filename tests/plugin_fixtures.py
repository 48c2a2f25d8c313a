"""Helpers for the plugin host tests: write real plugin packages to a folder.

A plugin written here is a real package (plugin.toml + __init__.py defining
``plugin``) that the real PluginHost imports and runs; only its registration
differs from an installed one (the host is given its PluginInfo instead of
finding an entry point). tests/test_scaffold.py covers real entry points.
"""
from __future__ import annotations

import itertools
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from slm.host.meta import read_plugin_toml
from slm.plugins.sdk import PluginInfo

_counter = itertools.count()


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table, e.g. model = {base = ..., adapter = ...}
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def plugin_toml(name: str, *, examples: list[str] | None = None, permissions: dict | None = None, **meta: Any) -> str:
    fields = {"name": name, "version": "1.0.0", "description": f"test plugin {name}", "model": "none"}
    fields.update(meta)
    fields["examples"] = examples if examples is not None else [f"{name} request number {i}" for i in range(12)]
    lines = [f"{key} = {toml_value(value)}" for key, value in fields.items() if value is not None]
    if permissions:
        lines.append("[permissions]")
        lines += [f"{key} = {toml_value(value)}" for key, value in permissions.items()]
    return "\n".join(lines) + "\n"


def write_plugin(root: Path, name: str, code: str, **meta: Any) -> PluginInfo:
    """Write package ``<root>/<module>`` for plugin ``name``; ``root`` must be on sys.path."""
    module = f"tplug_{name.replace('-', '_')}_{next(_counter)}"
    folder = Path(root) / module
    folder.mkdir(parents=True)
    header = "from slm.plugins.sdk import LocalAnswerFailed, Plugin, Request, Result\n"
    (folder / "__init__.py").write_text(header + textwrap.dedent(code), encoding="utf-8")
    (folder / "plugin.toml").write_text(plugin_toml(name, **meta), encoding="utf-8")
    return read_plugin_toml(folder, entry_point=f"{module}:plugin")


def register_plugin(root: Path, info: PluginInfo, dist: str | None = None) -> str:
    """Make ``info`` an installed third-party plugin for any Python with ``root`` on its path:
    a ``<dist>-1.0.dist-info`` folder with an ``slm.plugins`` entry point, as pip would write."""
    dist = dist or f"tplug-{info.name}"
    meta = Path(root) / f"{dist.replace('-', '_')}-1.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (meta / "entry_points.txt").write_text(f"[slm.plugins]\n{info.name} = {info.entry_point}\n", encoding="utf-8")
    return dist


@pytest.fixture
def pdir(tmp_path, monkeypatch):
    """A folder on sys.path to write plugin packages into."""
    root = tmp_path / "pkgs"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    return root

"""`slm plugins`: list, inspect, scaffold and un-quarantine plugins.

Only parses arguments and prints; slm.host does the work. Nothing here
imports plugin code: listing reads each plugin's plugin.toml.
"""
from __future__ import annotations

from pathlib import Path

import click

from slm.cli.output import echo_json, echo_table
from slm.cli.params import NonEmptyPath


def _host():
    from slm.config import load_settings
    from slm.host.host import PluginHost

    return PluginHost(load_settings())


def _state(host, name: str) -> tuple[str, str | None]:
    reason = host.problem(name)
    if reason:
        return "broken", reason
    return ("ok" if host.is_enabled(name) else "disabled"), None


@click.group("plugins")
def plugins():
    """List, inspect and scaffold plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool):
    """Installed plugins, their model, permissions and health."""
    from slm.host.meta import info_to_dict

    host = _host()
    rows = []
    for info in host.infos():
        state, reason = _state(host, info.name)
        rows.append({**info_to_dict(info, examples=False), "model": host.model_for(info),
                     "declared_model": info.model, "status": state, "reason": reason})
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no plugins installed")
        return
    table = [("NAME", "VERSION", "STATUS", "MODEL", "OFFLOAD", "DESCRIPTION")]
    for r in rows:
        model = r["model"] or "-"
        if r["adapters"]:  # an adapter plugin: its base plus the adapter(s)
            model += " + " + ", ".join(a["adapter"].rsplit("/", 1)[-1] for a in r["adapters"])
        table.append((r["name"], r["version"], r["status"], model,
                      r["permissions"]["offload"], _short(r["description"], 60)))
    echo_table(table)
    for r in rows:
        if r["reason"]:
            click.echo(f"{r['name']}: broken: {r['reason']}")


@plugins.command("info")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(name: str, as_json: bool):
    """Everything slm knows about one plugin, without running it."""
    from slm.host.context import plugin_data_dir
    from slm.host.meta import info_to_dict

    host = _host()
    meta = host.get_info(name)
    state, reason = _state(host, name)
    data = {**info_to_dict(meta), "model": host.model_for(meta), "declared_model": meta.model,
            "status": state, "reason": reason,
            "timeout_s": host.timeout_for(meta),
            "config": dict(host.settings.plugin_config.get(name, {})),
            "data_dir": str(plugin_data_dir(host.settings, name))}
    if as_json:
        echo_json(data)
        return
    perms = data["permissions"]
    lines = [
        ("name", data["name"]), ("version", data["version"]),
        ("status", state + (f": {reason}" if reason else "")),
        ("description", data["description"] or "-"), ("model", data["model"] or "none"),
        *([("adapters", ", ".join(f"{a['adapter']} (scale {a['scale']:g})" for a in data["adapters"]))]
          if data["adapters"] else []),
        ("permissions", f"network={'yes' if perms['network'] else 'no'} offload={perms['offload']}"),
        ("sensitivity", data["sensitivity"]), ("time limit", f"{data['timeout_s']:g} s"),
        ("entry point", data["entry_point"] or "-"), ("package", data["distribution"] or "-"),
        ("folder", data["root"] or "-"), ("data folder", data["data_dir"]),
    ]
    for key, value in lines:
        click.echo(f"{key + ':':<13} {value}")
    click.echo(f"examples ({len(data['examples'])}):")
    for example in data["examples"]:
        click.echo(f"  - {example}")


@plugins.command("new")
@click.argument("name")
@click.option("--dir", "dest", type=NonEmptyPath(path_type=Path), default=None,
              help="Folder to create (default: ./slm-plugin-NAME).")
def new(name: str, dest: Path | None):
    """Scaffold a complete, installable plugin package."""
    from slm.host.discovery import discover
    from slm.host.scaffold import scaffold

    created = scaffold(name, dest, taken=[d.name for d in discover()])
    click.echo(f"created plugin {name} in {created}")
    click.echo("next:")
    click.echo(f"  cd {created}")
    click.echo("  pip install -e '.[test]'")
    click.echo("  pytest")
    click.echo(f"  slm plugins info {name}")


@plugins.command("reset")
@click.argument("name", required=False)
def reset(name: str | None):
    """Let a quarantined plugin run again (all of them without NAME)."""
    host = _host()
    if name is not None:
        host.get_info(name)  # unknown name: one-line error
    cleared = host.quarantine.clear(name)
    click.echo(f"cleared: {', '.join(cleared)}" if cleared else "nothing to clear")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."

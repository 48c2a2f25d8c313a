"""`slm config show [--json]`: every setting, its value, and where that value came from."""
from __future__ import annotations

import click
from slm.cli.output import echo_json, echo_table


@click.group("config")
def config():
    """Show slm's settings (config.toml, environment variables, defaults)."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(as_json: bool) -> None:
    """Print every setting with its value and where it came from (default, environment, config file)."""
    from slm.config import describe, load_settings

    rows = describe(load_settings())
    if as_json:
        echo_json(rows)
        return
    table = [("SETTING", "VALUE", "FROM", "ENV / KEY")]
    for r in rows:
        value = "-" if r["value"] is None else ",".join(r["value"]) if isinstance(r["value"], list) else str(r["value"])
        where = " / ".join(x for x in (r["env"], r["key"]) if x)
        table.append((r["name"], value, r["origin"], where))
    echo_table(table)

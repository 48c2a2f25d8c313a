"""`slm energy`: what the requests on this device cost, and what a large model would have.

Only parses arguments and prints; slm.energy.report builds the figures,
slm.energy.render lays them out.
"""
from __future__ import annotations

import click
from slm.cli.output import echo_json
from slm.cli.params import NonEmptyPath

_BY = ("plugin", "model", "where", "day")


@click.command("energy")
@click.option("--since", metavar="WHEN", default=None,
              help="Only requests since then: a duration (90m, 24h, 7d, 2w), a date (2026-11-30) or 'all' (default).")
@click.option("--by", "by", type=click.Choice(_BY), multiple=True,
              help="Group by plugin, model, where (local/cloud/queued) or day; repeat for several.")
@click.option("--reference", metavar="NAME", default=None,
              help="Reference model of the comparison (from reference_models.toml; --references lists them).")
@click.option("--references", "list_references", is_flag=True, help="List the reference models and their sources.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--html", "as_html", is_flag=True, help="Write a self-contained HTML page (with -o, or to stdout).")
@click.option("-o", "--output", type=NonEmptyPath(dir_okay=False, writable=True), default=None,
              help="File for --html.")
@click.option("--reset", is_flag=True, help="Delete the energy history (asks first).")
@click.option("--yes", "-y", is_flag=True, help="With --reset: do not ask (for scripts).")
def energy(since, by, reference, list_references, as_json, as_html, output, reset, yes):
    """Energy of past requests: totals, J/answer by plugin or model, and an estimate against a large model."""
    from slm.config import load_settings
    from slm.energy.history import EnergyHistory
    from slm.errors import UsageError

    if output and not as_html:
        raise UsageError("-o/--output is for --html (the text and JSON reports go to stdout)")
    if as_json and as_html:
        raise UsageError("--json and --html each make a whole report; pick one")
    settings = load_settings()
    if reset:
        if since or by or reference or as_json or as_html or list_references:
            raise UsageError("--reset takes no other option than --yes")
        _reset(EnergyHistory(settings), yes)
        return
    if yes:
        raise UsageError("--yes only goes with --reset")
    from slm.energy.references import load_reference, load_references

    if list_references:
        default, models = load_references()
        rows = [m.describe() | {"default": name == default} for name, m in models.items()]
        if as_json:
            echo_json(rows)
            return
        for row in rows:
            click.echo(f"{row['name']}{' (default)' if row['default'] else ''}: {row['label']}, "
                       f"{row['j_per_output_token_low']:g}-{row['j_per_output_token_high']:g} J per output token "
                       f"- {row['source']}")
        return
    from slm.energy.report import energy_report, parse_since

    # The page always shows a chart by day and by plugin unless asked for other groups.
    groups = tuple(dict.fromkeys(by)) or (("day", "plugin") if as_html else ())
    report = energy_report(settings, since=parse_since(since), by=groups,
                           reference=load_reference(reference, settings=settings))
    if as_json:
        echo_json(report)
    elif as_html:
        from slm.energy.render import render_html

        page = render_html(report)
        if output:
            _write(output, page)
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(page)
    else:
        from slm.energy.render import render_text

        click.echo(render_text(report))


def _reset(history, yes: bool) -> None:
    from slm.errors import UsageError

    if not yes:
        try:
            ok = click.confirm(f"delete every record of the energy history {history.path}?", default=False)
        except click.exceptions.Abort:  # no answer (stdin closed): nothing is deleted
            raise UsageError("not reset: no answer to the confirmation (pass --yes in scripts)") from None
        if not ok:
            click.echo("not reset", err=True)
            return
    done = history.reset()
    if done["moved_to"]:
        click.echo(f"the damaged energy history was moved to {done['moved_to']}; a new one starts")
    else:
        click.echo(f"energy history reset: {done['removed']:,} records deleted")


def _write(path: str, text: str) -> None:
    from slm.errors import SlmError

    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise SlmError(f"cannot write {path}: {exc.strerror or exc}") from None

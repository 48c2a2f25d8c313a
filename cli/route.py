"""`slm route` (which plugin would take a prompt) and `slm router` (train / inspect).

Only parses arguments and prints; slm.router does the work. Heavy imports
(numpy, onnxruntime) happen inside the commands.
"""
from __future__ import annotations

import json
import sys

import click
from slm.cli.output import echo_json
from slm.cli.route_text import describe as _human
from slm.cli.route_text import route_many as _route_many
from slm.cli.route_text import router_for as _router
from slm.errors import SlmError, UsageError


def _read_prompts(path: str) -> list[str]:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except FileNotFoundError:
        raise SlmError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise SlmError(f"{path} is a directory, expected a text file with one prompt per line") from None
    except OSError as exc:
        raise SlmError(f"cannot read {path}: {exc.strerror}") from None
    text = data.decode("utf-8", errors="replace")
    return text.splitlines()


@click.command("route")
@click.argument("prompt", required=False)
@click.option("--file", "file_", metavar="FILE", help="Route every line of FILE ('-' for stdin), in order.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per line with --file).")
@click.option("--no-server", is_flag=True, help="Route in this process even when `slm serve` runs.")
def route(prompt: str | None, file_: str | None, as_json: bool, no_server: bool):
    """Show which plugin the router picks for PROMPT (or none)."""
    if prompt is not None and file_ is not None:
        raise UsageError("give either a PROMPT or --file FILE, not both")
    if file_ is None:
        from slm.cli.params import read_prompt

        prompts = [read_prompt(prompt, command="slm route")]
    else:
        prompts = _read_prompts(file_)
    decisions = _route_many(prompts, use_server=not no_server) if prompts else []
    out = click.get_text_stream("stdout")
    for decision in decisions:
        out.write((json.dumps(decision.to_dict(), ensure_ascii=False) if as_json else _human(decision)) + "\n")
    out.flush()


@click.group("router")
def router():
    """Train or inspect the on-device router."""


@router.command("train")
@click.option("--json", "as_json", is_flag=True, help="Print the training report as JSON.")
def train(as_json: bool):
    """Retrain the router now from the installed plugins' examples."""
    report = _router().train(force=True)
    data = report.to_dict()
    if as_json:
        echo_json(data)
        return
    if not data["routes"]:
        click.echo("no plugin declares route examples: every prompt routes to none")
        return
    click.echo(f"trained {len(data['routes'])} routes on {data['examples']} examples + "
               f"{data['negatives']} out-of-scope prompts in {data['seconds']:.2f} s "
               f"({data['artifact_bytes'] / 1024:.0f} KiB)")
    held = data.get("heldout") or {}
    if held.get("accuracy") is not None:
        click.echo(f"held-out (cross-validation): accuracy {held['accuracy']:.3f}, "
                   f"none recall {held['none_recall']:.3f}")
    for name, threshold in data["thresholds"].items():
        click.echo(f"  {name:<20} threshold {threshold:.3f}")


@router.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(as_json: bool):
    """Where the router model is, what it routes to and whether it is trained."""
    data = _router().info()
    if as_json:
        echo_json(data)
        return
    state = "trained" if data["trained"] else "not trained yet (trains on first use, or: slm router train)"
    click.echo(f"router {data['key']}: {state}")
    click.echo(f"  path: {data['path']}")
    click.echo(f"  routes: {', '.join(data['routes']) or 'none'}")
    if "static_vectors" in data:
        sv = data["static_vectors"]
        click.echo(f"  static vectors: {sv['source']}, {sv['tokens']} tokens x {sv['dims']} dims "
                   f"({sv['encoding']}, {sv['file_bytes'] / 1024:.0f} KiB), weight {sv['weight']} "
                   f"(sha256 {sv['sha256']})")
    kb = data.get("kb_stage")
    if kb and kb.get("passages"):
        click.echo(f"  kb: {kb['passages']} passages; prompts matching them at >= {kb['threshold']:.1f} go to kb "
                   f"(calibrated on {kb['calibrated_on']} out-of-scope prompts, {kb.get('calibrated_at')})")
    if data["trained"]:
        click.echo(f"  size: {data['artifact_bytes'] / 1024:.0f} KiB, features: {data['features']}, "
                   f"trained {data.get('trained_at')} in {data.get('seconds')} s")
        for name, threshold in data["thresholds"].items():
            click.echo(f"  {name:<20} threshold {threshold:.3f}")

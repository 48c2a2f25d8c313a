"""`slm serve` (the local OpenAI-compatible server) and `slm ps` (what it has loaded).

Only parses arguments and prints; slm.server does the work.
"""
from __future__ import annotations

import click
from slm.cli.output import echo_json, echo_table


@click.command("serve")
@click.option("--host", metavar="ADDR", help="Address to listen on (default 127.0.0.1, SLM_SERVER_HOST). Any "
                                              "address but loopback needs a token.")
@click.option("--port", type=click.IntRange(0, 65535), metavar="PORT",
              help="Port (default 8765, SLM_SERVER_PORT; 0 picks a free one).")
@click.option("--token", metavar="TOKEN", help="Require Authorization: Bearer TOKEN (SLM_SERVER_TOKEN). Off "
                                                "loopback one is generated and printed when none is given.")
def serve(host, port, token):
    """Serve an OpenAI-compatible API for this SLM_HOME until stopped (Ctrl-C or SIGTERM).

    model "slm" (or "auto") routes each prompt through the plugins; "slm/NAME" runs one plugin;
    an installed model name runs that model. `slm ask` uses the server while it runs.
    """
    from slm.config import load_settings
    from slm.server.runner import serve as run_server

    settings = load_settings()

    def listening(at):
        click.echo(f"slm serve: {at.url}/v1 (SLM_HOME {settings.home}; stop with Ctrl-C)", err=True)
        if at.token_generated:
            click.echo(f"token (shown once; clients send Authorization: Bearer <token>): {at.token}", err=True)

    run_server(settings, host=host, port=port, token=token, on_listening=listening)


@click.command("ps")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def ps(as_json):
    """List the models the running server has loaded: size, keep-alive left, slots busy."""
    from slm.config import load_settings
    from slm.server.client import find

    client = find(load_settings(), strict=False)
    if client is None:
        from slm.errors import SlmError

        raise SlmError("no slm server runs for this SLM_HOME", hint="start one with: slm serve")
    data = client.ps()
    if as_json:
        echo_json(data)
        return
    if not data["models"]:
        click.echo("no models loaded")
        return
    rows = [("NAME", "SIZE", "UNTIL", "SLOTS")]
    for m in data["models"]:
        until = "forever" if m["expires_in_s"] is None else _duration(m["expires_in_s"])
        adapters = m.get("adapters") or []
        name = m["name"] + (f" + {len(adapters)} adapter" + ("s" if len(adapters) > 1 else "") if adapters else "")
        rows.append((name, f"{m['ram_bytes'] / 1e6:.0f} MB", until,
                     f"{m['busy']}/{m['slots']} busy" + (f", {m['waiting']} waiting" if m["waiting"] else "")
                     + (f", {m['contexts']} contexts" if m.get("contexts", 1) > 1 else "")))
    echo_table(rows)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"

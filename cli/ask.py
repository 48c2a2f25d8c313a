"""`slm ask`: answer a prompt and print the answer and what it cost.

Only parses arguments and prints; slm.Runtime (the Python API) does the work.
"""
from __future__ import annotations

import json

import click
from slm.cli.cost import cost_line
from slm.cli.local_server import running_server
from slm.cli.params import read_prompt


@click.command("ask")
@click.argument("prompt", required=False)
@click.option("--model", "-m", metavar="NAME",
              help="Use this local model (catalog name, ORG/REPO/FILE, imported name or path). Without --plugin "
                   "the prompt is not routed: the bare model answers it. With --plugin, that plugin uses it.")
@click.option("--plugin", "-p", metavar="NAME", help="Send the prompt to this plugin instead of routing it.")
@click.option("--adapter", "adapters", multiple=True, metavar="ADAPTER",
              help="ADAPTER[:SCALE]: apply this LoRA adapter (catalog name, ORG/REPO/FILE.gguf, imported name "
                   "or path; scale default 1, 0 switches it off) to the --model base, for this request "
                   "(repeatable: stacked). With --plugin it replaces the plugin's own adapters.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of streaming text.")
@click.option("--system", metavar="TEXT", help="System prompt.")
@click.option("--max-tokens", type=click.IntRange(min=1), metavar="N", help="Most tokens to generate.")
@click.option("--temperature", type=click.FloatRange(0.0, 2.0), metavar="T", help="Sampling temperature (0-2).")
@click.option("--seed", type=int, metavar="N", help="Sampling seed, for repeatable answers.")
@click.option("--stop", multiple=True, metavar="TEXT", help="Stop when the answer contains TEXT (repeatable).")
@click.option("--local-only", is_flag=True, help="Never send this request to the cloud.")
@click.option("--cloud", is_flag=True, help="Send this request to the cloud model.")
@click.option("--no-server", is_flag=True, help="Answer in this process even when `slm serve` runs for this SLM_HOME.")
def ask(prompt, model, plugin, adapters, as_json, system, max_tokens, temperature, seed, stop, local_only, cloud, no_server):
    """Answer PROMPT (read from stdin when PROMPT is - or omitted and stdin is piped).

    The router picks a plugin unless --plugin names one; --model alone skips routing and
    asks that model directly. A plugin's model is set with [plugins.NAME] model in
    config.toml or SLM_PLUGIN_<NAME>_MODEL (see: slm config show). While `slm serve` runs for
    this SLM_HOME the request goes there (models stay loaded); the output is the same.
    """
    # Option checks beyond click's (e.g. --local-only with --cloud) are the pipeline's: one owner for CLI and API.
    prompt = read_prompt(prompt, command="slm ask")
    options = dict(model=model, plugin=plugin, system=system, max_tokens=max_tokens, temperature=temperature,
                   seed=seed, stop=list(stop) or None, local_only=local_only, cloud=cloud,
                   adapters=list(adapters) or None)
    settings, server = (None, None) if no_server else running_server(options)
    if server is not None:
        from slm.server.client import ServerUnavailable

        try:
            _answer(server, prompt, options, as_json)
            return
        except ServerUnavailable:
            pass  # it stopped between the state file and the request: answer here
    from slm.api import Runtime

    with Runtime(settings) as runtime:  # the settings running_server loaded, not read a second time
        _answer(runtime, prompt, options, as_json)


def _answer(runner, prompt: str, options: dict, as_json: bool) -> None:
    # ``runner``: slm.Runtime or slm.server.client.Client; both answer ask/ask_stream alike
    if as_json:
        click.echo(json.dumps(runner.ask(prompt, **options).to_dict(), ensure_ascii=False))
        return
    stream = runner.ask_stream(prompt, **options)
    out = click.get_text_stream("stdout")
    last = ""
    for piece in stream:
        out.write(piece)
        out.flush()
        last = piece or last
    if not last.endswith("\n"):
        out.write("\n")
        out.flush()
    click.echo(cost_line(stream.result), err=True)

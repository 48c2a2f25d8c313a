"""Entry point of the ``slm`` command.

Sub-commands load lazily from the table below so ``slm --help`` and
``slm --version`` import nothing heavy. Every SlmError becomes one line on
stderr with its exit code (1 user-fixable, 2 usage); nothing prints a traceback
unless SLM_DEBUG is set.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from slm.version import __version__

# name -> "module:attribute", one CLI module per concern.
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("slm.cli.ask:ask", "Ask a question: route it, run the plugin or model, print the answer and its cost."),
    "models": ("slm.cli.models:models", "List, pull, inspect, verify, remove, export and import models."),
    "plugins": ("slm.cli.plugins:plugins", "List, inspect and scaffold plugins."),
    "route": ("slm.cli.route:route", "Show which plugin the router picks for a prompt."),
    "router": ("slm.cli.route:router", "Train or inspect the on-device router."),
    "kb": ("slm.cli.kb:kb", "Index local documents and search them."),
    "config": ("slm.cli.config:config", "Show every setting, its value and where it came from."),
    "doctor": ("slm.cli.doctor:doctor", "Check this device: CPU, RAM, accelerators, power sources."),
    "queue": ("slm.cli.queue:queue", "The offline queue of requests waiting for the cloud."),
    "serve": ("slm.cli.serve:serve", "Serve an OpenAI-compatible API on this device (models stay loaded)."),
    "ps": ("slm.cli.serve:ps", "List the models the running server has loaded."),
    "energy": ("slm.cli.energy:energy", "Energy of past requests by plugin, model or day; an estimate against a large model."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        target, _ = COMMANDS[name]
        _notices_to_stderr()
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # command not built yet
                return None
            raise
        return getattr(module, attr)

    def format_commands(self, ctx, formatter):
        # Short help comes from the table so `slm --help` imports no sub-command.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _notices_to_stderr() -> None:
    """The runtime's one-line notices ("training the router ...", logger slm.notice) go to stderr
    as they are, while a command runs (not for --help: logging is not imported there)."""
    import logging

    class Stderr(logging.Handler):  # click resolves stderr per call (tests swap it)
        def emit(self, record):
            click.echo(record.getMessage(), err=True)

    logger = logging.getLogger("slm.notice")
    if not logger.handlers:
        logger.addHandler(Stderr())
        logger.setLevel(logging.INFO)
        logger.propagate = False


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="slm")
def cli():
    """slm: small domain models on this device, a tiny router in front, the cloud only when needed."""


def main(argv: list[str] | None = None) -> int:
    from slm.errors import SlmError

    try:
        cli.main(args=argv, prog_name="slm", standalone_mode=False)
        return 0
    except SlmError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        return _exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        return _exit(exc.exit_code)
    except click.UsageError as exc:
        if isinstance(exc, click.exceptions.NoArgsIsHelpError) or exc.ctx is None:
            exc.show()  # a bare group (`slm models`): its help is the useful answer
        else:  # one line like every other error, with where to read more
            click.echo(f"error: {' '.join(exc.format_message().split())} (see: {exc.ctx.command_path} --help)",
                       err=True)
        return _exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return _exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return _exit(130)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return _exit(130)
    except BrokenPipeError:
        return _exit(0)
    except SystemExit:
        from click.utils import PacifyFlushWrapper

        # click answers EPIPE (`slm models list | head -1`) with sys.exit(1) after wrapping
        # stdout; the reader simply stopped reading, which is not a failure.
        if isinstance(sys.stdout, PacifyFlushWrapper):
            return _exit(0)
        raise
    except OSError as exc:
        from slm.errors import from_os_error

        fixable = from_os_error(exc)
        if fixable is None or os.environ.get("SLM_DEBUG"):
            return _internal(exc)
        click.echo(f"error: {fixable.one_line()}", err=True)
        return _exit(fixable.exit_code)
    except Exception as exc:  # last line of defence: one line, never a traceback
        return _internal(exc)


def _internal(exc: Exception) -> int:
    if os.environ.get("SLM_DEBUG"):
        raise exc
    click.echo(f"error: internal error: {type(exc).__name__}: {exc} (set SLM_DEBUG=1 for details)", err=True)
    return _exit(1)


def _exit(code: int | None) -> int:
    return int(code or 0)


def run() -> None:  # `python -m slm.cli.main`: the console script's path (slm.cli.launch), quick ask included
    from slm.cli.launch import run as launch

    launch()


if __name__ == "__main__":
    run()

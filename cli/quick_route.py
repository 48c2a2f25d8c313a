"""`slm route PROMPT` before click loads: the plain form, answered with the command's own code.

click's import is ~20-40 ms of CPU, as much as everything else `slm route` adds to numpy and
onnxruntime. This path takes only `slm route PROMPT` (no option, a prompt that is not `-` or
an option, not blank); every other form returns None before anything runs and the full CLI
parses it. It routes and prints with cli/route_text.py, which the `route` command uses too, so
the output and a user-fixable error's line and exit status are the CLI's. Any other
exception also returns None: routing only reads (a model it had to train is cached by then),
so the full CLI runs the same request again and reports it exactly as it always does.
"""
from __future__ import annotations

import logging
import sys


def answer(argv: list[str]) -> int | None:
    """The exit status of `slm route PROMPT` routed here, or None: the full CLI takes it."""
    if len(argv) != 2 or argv[0] != "route" or argv[1].startswith("-") or not argv[1].strip():
        return None
    from slm.cli.route_text import describe, route_many
    from slm.errors import SlmError

    _notices_to_stderr()
    try:
        decisions = route_many([argv[1]], use_server=True)
    except SlmError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code  # 1, or 2 for a usage error: never 0 for an error
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the full CLI runs it again and reports it its own way
        return None
    try:
        sys.stdout.write("".join(describe(d) + "\n" for d in decisions))
        sys.stdout.flush()
    except BrokenPipeError:
        return 0  # the reader stopped reading: not a failure (as the full CLI)
    except Exception:  # noqa: BLE001 - e.g. a stdout that cannot encode it: one write, nothing written yet
        return None
    return 0


def _notices_to_stderr() -> None:
    """The runtime's one-line notices ("training the router ...") on stderr, as the full CLI
    prints them (slm.cli.main._notices_to_stderr, which goes through click)."""

    class Stderr(logging.Handler):
        def emit(self, record):
            print(record.getMessage(), file=sys.stderr)

    logger = logging.getLogger("slm.notice")
    if not logger.handlers:
        logger.addHandler(Stderr())
        logger.setLevel(logging.INFO)
        logger.propagate = False

"""The ``slm`` console script: the quick `slm ask PROMPT` through a running server, the quick
`slm route PROMPT` (no click), else the full CLI.

Imports nothing but slm.cli.quick_ask until it knows the full CLI is needed, so a
request a running server can take costs the interpreter's start and one socket.
"""
from __future__ import annotations

import sys


def run() -> None:
    from slm.cli.quick_ask import answer

    code = answer(sys.argv[1:])
    if code is None:
        from slm.cli.quick_route import answer as route_answer

        code = route_answer(sys.argv[1:])
    if code is None:
        from slm.cli.main import main

        code = main()
    sys.exit(code)


if __name__ == "__main__":
    run()

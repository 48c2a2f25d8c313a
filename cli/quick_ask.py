"""`slm ask PROMPT` through a running `slm serve`, before click, the settings or any runtime module load.

The full CLI spends ~0.1 s importing click, slm.config and http.client before it
sends a request the server answers in a few milliseconds. This path takes only
the plain form (`slm ask PROMPT`, no options), and only when the server's state
file carries the same slm.settings_inputs digest as this process (same
environment, same config file bytes: the same settings). Then it posts the
prompt over a loopback socket and prints what the server renders with the CLI's
own code: the answer to stdout, the cost or error line to stderr, the same exit
status. In every other case ``answer`` returns None before sending anything and
the full CLI runs, so the quick path can only be faster, never different.

Plain HTTP/1.0 on purpose: the server then ends the streamed answer by closing
the connection, so reading needs no chunked decoding and no http.client.
"""
from __future__ import annotations

import json
import os
import sys

CONNECT_TIMEOUT_S = 2.0


def answer(argv: list[str]) -> int | None:
    """The exit status of `slm ask PROMPT` answered by the server, or None: the full CLI takes it."""
    if len(argv) != 2 or argv[0] != "ask" or argv[1].startswith("-") or not argv[1].strip():
        return None  # options, stdin, an empty prompt: click parses and reports them
    server = _matching_server()
    if server is None:
        return None
    response = _post(server, {"prompt": argv[1], "options": {}, "cli": True})
    if response is None:
        return None
    return _print(response)


def _matching_server() -> dict | None:
    from slm import settings_inputs
    from slm.server.locate import STATE_NAME, alive

    mine = settings_inputs.current()
    if mine is None:
        return None
    home, digest = mine
    try:
        with open(os.path.join(home, STATE_NAME), encoding="utf-8") as fh:
            state = json.load(fh)
        if state.get("inputs") != digest or not alive(state.get("pid")):
            return None
        url = str(state["url"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    hostport = url.partition("//")[2]
    host, _, port = hostport.rpartition(":")
    try:
        return {"host": host.strip("[]"), "port": int(port), "token": state.get("token")}
    except ValueError:
        return None


def _post(server: dict, body: dict):
    """The response body as a binary file once the server answered 200, or None (nothing was run)."""
    import socket

    data = json.dumps(body).encode("utf-8")
    head = ["POST /slm/v1/ask HTTP/1.0", f"Host: {server['host']}:{server['port']}",
            "Content-Type: application/json", f"Content-Length: {len(data)}"]
    if server["token"]:
        head.append(f"Authorization: Bearer {server['token']}")
    try:
        sock = socket.create_connection((server["host"], server["port"]), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        return None  # it stopped since it wrote the state file: the full CLI answers in-process
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
        sock.settimeout(None)  # an answer may take long; connecting may not
        response = sock.makefile("rb")
        status = response.readline().split(None, 2)
        if len(status) < 2 or status[1] != b"200":
            raise OSError("not answered")  # 401, 503 ...: the full client says exactly why
        while response.readline() not in (b"\r\n", b"\n", b""):
            pass  # headers: the body is NDJSON until the server closes the connection
    except OSError:
        sock.close()
        return None
    sock.close()  # the file keeps the connection open until it is closed
    return response


def _print(response) -> int:
    out, last = sys.stdout, ""
    try:
        with response:
            for raw in response:
                event = json.loads(raw)
                if "piece" in event:
                    out.write(event["piece"])
                    out.flush()
                    last = event["piece"] or last
                elif "result" in event:
                    if not last.endswith("\n"):
                        out.write("\n")
                        out.flush()
                    sys.stderr.write(event["cost_line"] + "\n")
                    return 0
                elif "error" in event:
                    sys.stderr.write(event["line"] + "\n")
                    return int(event["exit_code"])
    except KeyboardInterrupt:  # closing the connection cancels the generation in the server
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:  # the reader stopped reading (`slm ask … | head -1`): not a failure
        _quiet_stdout()
        return 0
    except (OSError, ValueError, KeyError, TypeError):
        pass
    sys.stderr.write("error: the slm server ended the answer early (was it stopped?)\n")
    return 1


def _quiet_stdout() -> None:
    # Python flushes stdout again at exit; with the pipe gone that would print a traceback
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

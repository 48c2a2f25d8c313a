"""The plugin worker process: runs one third-party plugin for the host (see slm.host.worker).

Started as ``python -u -m slm.host.worker_main SOCKET_FD LIFELINE_FD``. Its stdout and
stderr are a pipe the parent drains into the plugin's log file, so nothing a plugin
prints reaches slm's own output. It imports the plugin under a memory limit
(RLIMIT_AS), then answers requests one at a time: the plugin's ``ctx`` here is a
proxy whose model calls, token counts and ONNX sessions are served by the parent's
real context (models are loaded once, in the parent, and their use is accounted
there). Every exception of the plugin, SystemExit and KeyboardInterrupt included,
is reported, never fatal; a crash of the process itself is seen by the parent as the
end of the socket. When the parent goes away (the lifeline pipe closes) the worker
kills whatever the plugin forked and exits.
"""
from __future__ import annotations

import logging
import os
import resource
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from typing import Any

from slm.host import proctree
from slm.host.protocol import (
    Channel,
    as_result,
    decode_error,
    dumps,
    encode_error,
    load_handler,
    loads,
    resolve_object,
)
from slm.plugins.sdk import Request


class RemoteContext:
    """The ``ctx`` a plugin gets in a worker (slm.plugins.sdk.Context), served by the parent."""

    def __init__(self, conn: Channel, facts: Mapping[str, Any]):
        self._conn = conn
        self.name = facts["name"]
        self.model = facts["model"]
        self.config: Mapping[str, Any] = MappingProxyType(dict(facts["config"]))
        self.data_dir = Path(facts["data_dir"])
        self._sessions: dict[str | None, RemoteSession] = {}
        # one message (or call and its reply) at a time, should the plugin use threads; after
        # handle() returns, a thread it left behind can no longer write into the next request
        self._lock = threading.RLock()
        self.closed = False
        self.logger = _forwarding_logger(self, facts["log_level"])

    def _send(self, message: tuple) -> None:
        if self.closed:
            raise RuntimeError(f"plugin {self.name}: its request has ended")
        self._conn.send_bytes(dumps(message))

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._send(("call", name, args, kwargs))
            reply = loads(self._conn.recv_bytes())
        if reply[0] == "raise":
            raise decode_error(reply[1], builtins=True)
        return reply[1]

    @property
    def has_model(self) -> bool:
        return self._call("has_model")

    @property
    def n_ctx(self) -> int:
        return self._call("n_ctx")

    def count_tokens(self, text: str) -> int:
        return self._call("count_tokens", text)

    def generate(self, prompt: str | None = None, **params: Any) -> str:
        return self._call("generate", prompt, **params)

    def generate_json(self, schema: Mapping[str, Any], prompt: str | None = None, **params: Any) -> Any:
        if not isinstance(schema, Mapping):
            raise TypeError("generate_json needs a JSON schema (a dict)")
        return self._call("generate_json", dict(schema), prompt, **params)

    def onnx_session(self, model: str | None = None) -> RemoteSession:
        if model not in self._sessions:
            handle, inputs, outputs = self._call("onnx_open", model)
            self._sessions[model] = RemoteSession(self, handle, inputs, outputs)
        return self._sessions[model]

    def emit(self, text: str) -> None:
        if text:
            with self._lock:
                self._send(("emit", text if isinstance(text, str) else str(text)))


class RemoteSession:
    """An onnxruntime session living in the parent: ``run`` sends the inputs there."""

    def __init__(self, ctx: RemoteContext, handle: int, inputs: list, outputs: list):
        self._ctx, self._handle = ctx, handle
        self._inputs = [SimpleNamespace(name=n, shape=s, type=t) for n, s, t in inputs]
        self._outputs = [SimpleNamespace(name=n, shape=s, type=t) for n, s, t in outputs]

    def get_inputs(self) -> list:
        return list(self._inputs)

    def get_outputs(self) -> list:
        return list(self._outputs)

    def run(self, output_names, input_feed, run_options=None) -> list:
        return self._ctx._call("onnx_run", self._handle, output_names, dict(input_feed))


class _Forward(logging.Handler):
    def __init__(self, ctx: RemoteContext):
        super().__init__()
        self._ctx = ctx

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with self._ctx._lock:
                self._ctx._send(("log", record.levelno, record.getMessage()))
        except Exception:  # noqa: BLE001, S110 - a log line must never break the request
            pass


def _forwarding_logger(ctx: RemoteContext, level: int) -> logging.Logger:
    logger = logging.getLogger(f"slm.plugins.{ctx.name}")
    logger.handlers[:] = [_Forward(ctx)]
    logger.setLevel(level)
    logger.propagate = False
    return logger


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _prepare(sys_path: list[str], memory_bytes: int) -> None:
    """Before any of the plugin's code runs: the parent's import path, the memory limit."""
    sys.path[:0] = [p for p in sys_path if p not in sys.path]
    if memory_bytes > 0 and resource.getrlimit(resource.RLIMIT_AS)[0] != memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _load(entry_point: str, sys_path: list[str], memory_bytes: int) -> Any:
    _prepare(sys_path, memory_bytes)
    return load_handler(entry_point)


def _accepts(checks: dict[str, Any], spec: str, prompt: str, sys_path: list[str], memory_bytes: int) -> tuple:
    """The plugin's route check (plugin.toml ``accepts``) on ``prompt``; only its module is imported."""
    try:
        if spec not in checks:
            _prepare(sys_path, memory_bytes)
            check = resolve_object(spec)
            if not callable(check):
                raise TypeError(f"accepts {spec} is not a function")
            checks[spec] = check
    except BaseException as exc:  # noqa: BLE001 - reported; routing goes on without the check
        return ("check_failed", "load", encode_error(exc))
    try:
        return ("accepted", bool(checks[spec](prompt)))
    except BaseException as exc:  # noqa: BLE001
        return ("check_failed", "call", encode_error(exc))


def _handle(conn: Channel, handler: Any, prompt: str, options: dict, facts: dict) -> tuple:
    cpu0 = _cpu_seconds()
    ctx = RemoteContext(conn, facts)
    try:
        value = handler.handle(Request(prompt=prompt, options=options), ctx)
        result, detail = as_result(value)
        reply: tuple = ("done", result.text, detail) if result is not None else ("bad", detail)
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are the plugin's faults too
        reply = ("error", encode_error(exc))
    with ctx._lock:
        ctx.closed = True
    left = proctree.reap_children()
    if left:
        plural = "es" if left > 1 else ""
        reply = ("bad", f"left {left} child process{plural} running after handle() returned (killed)")
    return (*reply, _cpu_seconds() - cpu0)


def _lifeline(fd: int) -> None:
    """Block until the parent's end of the pipe closes (it exited, or closed this worker)."""
    try:
        while os.read(fd, 64):
            pass
    except OSError:
        pass
    proctree.kill_descendants(os.getpid())
    os._exit(0)


def main(argv: list[str]) -> None:
    conn = Channel(int(argv[1]))
    proctree.become_subreaper()
    threading.Thread(target=_lifeline, args=(int(argv[2]),), name="slm-lifeline", daemon=True).start()
    conn.send_bytes(dumps(("hello", os.getpid())))
    handler = None
    checks: dict[str, Any] = {}
    while True:
        try:
            message = loads(conn.recv_bytes())
        except (EOFError, OSError):
            break
        kind = message[0]
        try:
            if kind == "load":
                handler = _load(*message[1:])
                reply: tuple = ("loaded",)
            elif kind == "run" and handler is not None:
                reply = _handle(conn, handler, *message[1:])
            elif kind == "accepts":
                reply = _accepts(checks, *message[1:])
            else:
                break  # "exit", or a parent that lost its way
        except BaseException as exc:  # noqa: BLE001 - an import that fails in any way is reported
            reply = ("error", encode_error(exc), 0.0)
        try:
            conn.send_bytes(dumps(reply))
        except (OSError, ValueError):
            break
    proctree.kill_descendants(os.getpid())
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)

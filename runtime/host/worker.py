"""Running third-party plugins in worker processes, so a plugin cannot take slm down.

Built-ins run in slm's process (settings.plugin_isolation = "third-party", the
default); "all" sends them to workers too, "off" runs everything in-process. A
worker is a Python subprocess (slm.host.worker_main) that imports one plugin under a
memory limit and stays warm between requests (WorkerPool keeps up to MAX_IDLE per
plugin), so a request costs a few messages over a socket pair, not a process start.

What the worker contains: the plugin's output (its stdout and stderr are drained into
``$SLM_HOME/logs/plugins/NAME.log``, at most LOG_CAP_BYTES a worker, never into slm's
output), its memory (RLIMIT_AS), its crashes (a segfault, os._exit, a kill: the socket
ends and the exit status says how), and its children (the worker is a subreaper: what a
plugin forks is killed with it). What stays in the parent: the models. ``ctx`` in the
worker is a proxy and every model call is served here by the real PluginContext, which
also keeps the books (tokens, timings, the model that answered); the worker's own CPU
time is added to the energy estimate.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slm.errors import PluginError
from slm.host.protocol import (
    MAX_MESSAGE_BYTES,
    UNSENDABLE,
    Channel,
    RemoteFailure,
    WorkerGone,
    decode_error,
    dumps,
    encode_error,
    loads_from_worker,
)
from slm.plugins.sdk import PluginInfo, Request, Result

log = logging.getLogger("slm.plugins")
START_LIMIT_S = 60.0  # the interpreter's own start, which does not count against the plugin's limit
ACCEPTS_LIMIT_S = 10.0  # a route check (its first call imports its module); meant to take well under 1 ms
MAX_IDLE = 2  # warm workers kept per plugin (more only while requests to it overlap)
LOG_CAP_BYTES = 1 << 20
_POLL_S = 0.25  # how often a waiting parent checks that the worker is still alive
_MiB = 1 << 20


class Misbehaved(Exception):
    """The plugin broke a rule the worker checks (a result that is not one, children left behind)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Worker:
    """One worker process for one plugin."""

    def __init__(self, info: PluginInfo, log_path: Path | None, memory_mb: int):
        self.info, self.log_path, self.memory_mb = info, log_path, memory_mb
        self.proc: subprocess.Popen | None = None
        self.conn: Channel | None = None
        self.loaded = False
        self.cpu_s = 0.0  # CPU time its requests used, for the energy estimate
        self._lifeline: int | None = None
        self._killed = False
        self._kill_lock = threading.Lock()

    # --- life --------------------------------------------------------------------
    def start(self) -> None:
        if self.proc is not None:
            return
        mine, theirs = socket.socketpair()
        life_r, life_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-u", "-m", "slm.host.worker_main", str(theirs.fileno()), str(life_r)],
                pass_fds=(theirs.fileno(), life_r), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
        except OSError as exc:
            mine.close()
            os.close(life_w)
            raise PluginError(f"cannot start a worker process for plugin {self.info.name}: {exc}") from None
        finally:
            theirs.close()
            os.close(life_r)
        self.conn, self._lifeline = Channel(mine.detach()), life_w
        threading.Thread(target=_drain, args=(self.proc.stdout, self.log_path), daemon=True,
                         name=f"slm-worker-output-{self.info.name}").start()
        try:
            hello = self._recv(START_LIMIT_S)
        except WorkerGone as exc:
            self.close()
            raise PluginError(f"the worker process for plugin {self.info.name} did not start: {exc.reason}",
                              hint=self._output_hint()) from None
        if hello[0] != "hello":
            self.close()
            raise PluginError(f"the worker process for plugin {self.info.name} did not start")

    def load(self, sys_path: list[str]) -> None:
        """Import the plugin (raises what its import raised, as RemoteFailure)."""
        if self.loaded:
            return
        self._send(("load", self.info.entry_point, sys_path, self.memory_mb * _MiB))
        reply = self._recv()
        if reply[0] == "error":
            raise decode_error(reply[1], builtins=False)
        self.loaded = True

    @property
    def alive(self) -> bool:
        return not self._killed and self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """End the worker's process and everything it started; safe from any thread (time limit,
        cancel, Ctrl-C). A thread waiting on the worker then sees its socket end."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
            if self.proc is not None and self.proc.poll() is None:
                from slm.host.proctree import kill_descendants

                kill_descendants(self.proc.pid)
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)  # its session: what it started before setsid
                except OSError:
                    pass
                kill_descendants(self.proc.pid)
            if self._lifeline is not None:  # the worker's own watch: it exits when this end closes
                os.close(self._lifeline)
                self._lifeline = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def close(self) -> None:
        """kill() and let go of the connection: only by the thread that uses the worker (or the pool,
        for an idle one), never while another thread may be reading from it. Idempotent."""
        self.kill()
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # --- one request -------------------------------------------------------------
    def run(self, request: Request, ctx) -> dict[str, Any]:
        """Serve one request: the plugin's ctx calls are answered with ``ctx`` (the real context).

        Returns the host's outcome: {"value": Result} or {"error": exception}.
        """
        facts = {"name": ctx.name, "model": ctx.model, "config": dict(ctx.config),
                 "data_dir": str(ctx.data_dir), "log_level": ctx.logger.getEffectiveLevel()}
        try:
            self._send(("run", request.prompt, dict(request.options or {}), facts))
        except UNSENDABLE as exc:  # pickle refused an option value
            raise PluginError(f"plugin {self.info.name}: a request option cannot be sent to its worker "
                              f"({exc})") from None
        sessions: list[Any] = []
        while True:
            message = self._recv()
            kind = message[0]
            if kind == "emit":
                ctx.emit(str(message[1]))
            elif kind == "log":
                ctx.logger.log(int(message[1]), "%s", message[2])
            elif kind == "call":
                self._answer(ctx, sessions, *message[1:])
            elif kind in ("done", "error", "bad"):
                self.cpu_s += float(message[-1])
                if kind == "done":
                    import json

                    return {"value": Result(text=str(message[1]), data=json.loads(message[2]))}
                if kind == "bad":
                    return {"error": Misbehaved(str(message[1]))}
                return {"error": decode_error(message[1], builtins=False)}
            else:
                raise WorkerGone(f"sent an unknown message {kind!r}")

    def _answer(self, ctx, sessions: list[Any], name: str, args: tuple, kwargs: dict) -> None:
        try:
            if name in ("has_model", "n_ctx"):
                value: Any = getattr(ctx, name)
            elif name in ("count_tokens", "generate", "generate_json"):
                value = getattr(ctx, name)(*args, **kwargs)
            elif name == "onnx_open":
                session = ctx.onnx_session(*args)
                sessions.append(session)
                value = (len(sessions) - 1, _io(session.get_inputs()), _io(session.get_outputs()))
            elif name == "onnx_run":
                handle, names, feed = args
                value = sessions[handle].run(names, feed)
            else:
                raise PluginError(f"plugin {self.info.name}: ctx has no {name!r}")
            reply = ("reply", value)
        except Exception as exc:  # noqa: BLE001 - it belongs to the plugin, which may catch it
            reply = ("raise", encode_error(exc))
        try:
            self._send(reply)
        except UNSENDABLE as exc:  # an unpicklable answer
            self._send(("raise", encode_error(TypeError(f"ctx.{name} returned what cannot be sent: {exc}"))))

    def accepts(self, spec: str, prompt: str, sys_path: list[str]) -> tuple:
        """The reply to one route check: ("accepted", bool) or ("check_failed", phase, error)."""
        self._send(("accepts", spec, prompt, sys_path, self.memory_mb * _MiB))
        reply = self._recv(ACCEPTS_LIMIT_S)
        if reply[0] not in ("accepted", "check_failed"):
            raise WorkerGone(f"answered a route check with {reply[0]!r}")
        return reply

    # --- wire --------------------------------------------------------------------
    def _send(self, message: tuple) -> None:
        data = dumps(message)
        try:
            self.conn.send_bytes(data)
        except OSError:
            raise WorkerGone(self._death()) from None

    def _recv(self, limit: float | None = None) -> tuple:
        deadline = None if limit is None else time.monotonic() + limit
        try:
            while not self.conn.poll(_POLL_S):
                if self.proc.poll() is not None:
                    raise WorkerGone(self._death())
                if deadline is not None and time.monotonic() > deadline:
                    raise WorkerGone(f"no answer within {limit:g} s")
            data = self.conn.recv_bytes(MAX_MESSAGE_BYTES)
        except (EOFError, OSError) as exc:
            too_big = isinstance(exc, OSError) and "too long" in str(exc)
            raise WorkerGone(f"sent a message over {MAX_MESSAGE_BYTES // _MiB} MiB" if too_big
                             else self._death()) from None
        message = loads_from_worker(data)
        if not isinstance(message, tuple) or not message or not isinstance(message[0], str):
            raise WorkerGone("sent a message that is not one")
        return message

    def _death(self) -> str:
        """How the worker ended, in a few words ("crashed with SIGSEGV", "exited with code 3")."""
        if self._killed:
            return "was stopped"
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.close()
            return "closed its connection to slm"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            if -code == signal.SIGKILL and self.memory_mb:
                return f"was killed ({name}; out of memory?)"
            return f"crashed with {name}"
        return f"ended its process (exit code {code})"

    def _output_hint(self) -> str | None:
        return output_hint(self.log_path)


def plugin_log_path(settings: Any, name: str) -> Path:
    """Where an isolated plugin's worker writes what it prints."""
    return Path(settings.logs_dir) / "plugins" / f"{name}.log"


def output_hint(log_path: Path | None) -> str | None:
    """"its output is in …" when the plugin printed something there; None otherwise (or when the
    log went away meanwhile: the hint must never replace the error it belongs to)."""
    try:
        if log_path is not None and log_path.stat().st_size > 0:
            return f"its output is in {log_path}"
    except OSError:
        pass
    return None


def _io(args: list) -> list[tuple]:
    return [(str(a.name), list(a.shape) if a.shape is not None else None, str(a.type)) for a in args]


def _drain(stream, path: Path | None) -> None:
    """Copy a worker's output into its log file, at most LOG_CAP_BYTES; the rest is dropped."""
    out = None
    written = 0
    try:
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if path.exists() and path.stat().st_size > LOG_CAP_BYTES:
                    os.replace(path, path.with_suffix(".log.1"))
                out = open(path, "ab")  # noqa: SIM115 - kept open for the worker's life
            except OSError as exc:
                log.warning("cannot write plugin output to %s: %s (dropped)", path, exc)
        while True:
            chunk = stream.read1(65536)
            if not chunk:
                break
            if out is not None and written < LOG_CAP_BYTES:
                piece = chunk[: LOG_CAP_BYTES - written]
                out.write(piece)
                out.flush()
                written += len(piece)
    except (OSError, ValueError):
        pass
    finally:
        if out is not None:
            out.close()
        stream.close()


class WorkerPool:
    """Warm workers, per plugin; thread-safe. ``close`` ends them all."""

    def __init__(self, settings):
        self.settings = settings
        self._idle: dict[str, list[Worker]] = {}
        self._lock = threading.Lock()

    def acquire(self, info: PluginInfo) -> Worker:
        with self._lock:
            idle = self._idle.get(info.name, [])
            while idle:
                worker = idle.pop()
                if worker.alive and worker.info.entry_point == info.entry_point:
                    return worker
                worker.close()
        return Worker(info, plugin_log_path(self.settings, info.name), self.settings.plugin_memory_mb)

    def release(self, worker: Worker) -> None:
        with self._lock:
            idle = self._idle.setdefault(worker.info.name, [])
            if worker.alive and len(idle) < MAX_IDLE:
                idle.append(worker)
                return
        worker.close()

    def accepts(self, info: PluginInfo, prompt: str) -> tuple[bool, str | None]:
        """(the plugin's accepts check on ``prompt``, None) in a worker, or (True, what went wrong)."""
        worker = self.acquire(info)
        try:
            worker.start()
            reply = worker.accepts(info.accepts, prompt, list(sys.path))
        except (WorkerGone, PluginError) as exc:
            worker.close()
            return True, f"its accepts check {getattr(exc, 'reason', None) or exc}"
        self.release(worker)
        if reply[0] == "accepted":
            return bool(reply[1]), None
        error = decode_error(reply[2], builtins=False)
        what = f"{error.type_name}: {error.message}" if isinstance(error, RemoteFailure) else repr(error)
        if reply[1] == "load":
            return True, f"cannot load its accepts check {info.accepts} ({what})"
        return True, f"its accepts check raised {what}"

    def forget(self, name: str) -> None:
        """End the warm workers of plugin ``name`` (after it is quarantined: a fixed one re-imports)."""
        with self._lock:
            idle = self._idle.pop(name, [])
        for worker in idle:
            worker.close()

    def close(self) -> None:
        with self._lock:
            idle = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for worker in idle:
            worker.close()


class IsolatedCall:
    """One request to a plugin in a worker: the body of the host's plugin thread.

    ``ready`` is set once the worker's interpreter is up (its start does not count
    against the plugin's time limit; importing the plugin does). ``stop`` kills the
    worker from any thread (time limit, cancel, Ctrl-C).
    """

    def __init__(self, pool: WorkerPool, info: PluginInfo, request: Request, ctx,
                 on_cpu: Callable[[float], None] | None = None):
        self.pool, self.info, self.request, self.ctx = pool, info, request, ctx
        self.ready = threading.Event()
        self.phase = "start"
        self._on_cpu = on_cpu
        self._worker: Worker | None = None
        self._stopped = False
        self._lock = threading.Lock()

    def __call__(self) -> dict[str, Any]:
        worker = self.pool.acquire(self.info)
        with self._lock:
            self._worker = worker
            stopped = self._stopped
        if stopped:
            worker.close()
            return {"error": WorkerGone("was stopped")}
        cpu0 = worker.cpu_s
        try:
            worker.start()
            self.ready.set()
            self.phase = "import"
            worker.load(list(sys.path))
            self.phase = "handle"
            outcome = worker.run(self.request, self.ctx)
        except (WorkerGone, RemoteFailure) as exc:
            worker.close()
            return {"error": exc}
        except BaseException:
            worker.close()
            raise
        finally:
            self.ready.set()
            if self._on_cpu is not None and worker.cpu_s > cpu0:
                self._on_cpu(worker.cpu_s - cpu0)
        error = outcome.get("error")
        if error is None or not isinstance(error, (RemoteFailure, Misbehaved)):
            self.pool.release(worker)  # a good answer, or a typed error: the worker is fine
        else:
            worker.close()  # its module state is suspect, and it is about to be quarantined
        return outcome

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            worker = self._worker
        if worker is not None:
            worker.kill()  # the request's own thread sees the socket end and closes the connection

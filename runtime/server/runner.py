"""Start `slm serve` on uvicorn: bind, write the state file, serve, clean up.

Loopback only unless asked: any other address needs a token (given, from
SLM_SERVER_TOKEN, or generated here and printed once). The socket is bound
before the state file is written, so a client that reads the file and
connects waits in the listen backlog until the app is ready instead of
failing. uvicorn handles SIGTERM/SIGINT gracefully: it stops accepting,
lets every in-flight request (queued ones included) finish, then the
lifespan closes the runtime and the state file is removed.
"""
from __future__ import annotations

import contextlib
import errno
import ipaddress
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slm.errors import ConfigError, SlmError


@dataclass
class Listening:
    url: str
    host: str
    port: int
    token: str | None
    token_generated: bool


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def choose_token(host: str, token: str | None) -> tuple[str | None, bool]:
    """(token, generated): a token is required off loopback; on loopback only when one is given."""
    if token:
        if len(token) < 16:
            raise ConfigError("the server token is too short (at least 16 characters)",
                              hint="or leave it unset off loopback to have one generated")
        return token, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(32), True


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        hint = "another server listens there; pick another --port" if exc.errno == errno.EADDRINUSE else None
        raise SlmError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", hint=hint) from None
    sock.listen(2048)
    return sock


def serve(settings: Any, *, host: str | None = None, port: int | None = None, token: str | None = None,
          on_listening: Callable[[Listening], None] | None = None) -> None:
    """Serve until SIGTERM/SIGINT. ``on_listening`` is told the address (and a generated token) once bound."""
    import uvicorn
    from slm.server import state
    from slm.server.app import Server

    host = host or settings.server_host
    port = settings.server_port if port is None else port
    token, generated = choose_token(host, token or settings.server_token)
    server = Server(settings, token=token)
    sock = bind(host, port)
    port = sock.getsockname()[1]
    try:
        state.write(settings.home, host=host, port=port, token=token, settings=settings)
        if on_listening is not None:
            shown = f"[{host}]" if ":" in host else host
            on_listening(Listening(f"http://{shown}:{port}", host, port, token, generated))
        config = uvicorn.Config(server.app(), log_level=_uvicorn_level(settings.log_level), access_log=False,
                                lifespan="on", timeout_keep_alive=30, limit_concurrency=None,
                                timeout_graceful_shutdown=None)
        _graceful_server_class()(config).run(sockets=[sock])
    finally:
        state.remove(settings.home)
        sock.close()


def _graceful_server_class():
    import uvicorn

    class GracefulServer(uvicorn.Server):
        """uvicorn's server, but a SIGTERM that stopped it gracefully is an ordinary exit (status 0).

        uvicorn raises the caught signal again once it has shut down, so the process would end
        "killed by SIGTERM" after finishing every request; a service manager reads that as a crash.
        """

        @contextlib.contextmanager
        def capture_signals(self):
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            kept = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in kept.items():
                    signal.signal(sig, handler)

    return GracefulServer


def _uvicorn_level(level: str) -> str:
    return level if level in ("debug", "info", "warning", "error", "critical") else "warning"

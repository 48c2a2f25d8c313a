"""The client `slm ask`, `slm route` and `slm ps` use when a server runs for this SLM_HOME.

Light on purpose (stdlib http.client, no starlette, no numpy): a warm request
through the server must cost less than the in-process imports it replaces. http.client
(with email and ssl, ~20 ms) loads only once a server was found: `slm route` with none
running never pays for it.
``find()`` reads the state file (slm.server.state); a missing file, a dead
process, a refused connection or different answer-shaping settings all mean
"no server" and the caller runs in-process as before.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import http.client

from slm import errors
from slm.server import state

CONNECT_TIMEOUT_S = 2.0


class ServerUnavailable(Exception):
    """The server went away before it took the request: run in-process instead."""


def find(settings: Any, *, strict: bool = True) -> Client | None:
    """The client for this SLM_HOME's running server, or None. ``strict``: only a server whose
    answer-shaping settings match ours (so its answers are the ones in-process would give)."""
    info = state.read(settings.home)
    if info is None:
        return None
    if strict and info.fingerprint != state.fingerprint(settings):
        return None
    return Client(info.url, token=info.token)


def names_files_here(options: dict[str, Any], settings: Any = None) -> bool:
    """Whether the request, or a model setting (``[plugins.X] model``, ``general_model``), names a
    model or adapter by a relative path to a file here: the server resolves names in its own working
    directory, so such a request is answered in-process."""
    from slm.adapters import to_refs
    from slm.errors import UsageError

    names = [options.get("model")]
    try:
        names += [ref.name for ref in to_refs(options.get("adapters") or [])]
    except UsageError:
        return True  # in-process reports it exactly
    return any(relative_file(n) for n in names) or (settings is not None and settings_name_files(settings))


def settings_name_files(settings: Any) -> bool:
    """Whether a model setting names a file by a path relative to this process's directory."""
    return any(relative_file(n) for n in [settings.general_model, *settings.plugin_models.values()])


def relative_file(name: Any) -> bool:
    import os

    return isinstance(name, str) and bool(name) and not os.path.isabs(name) and os.path.exists(name)


class Client:
    def __init__(self, url: str, *, token: str | None = None, timeout_s: float | None = None):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token
        self.timeout_s = timeout_s

    def _request(self, method: str, path: str, body: Any = None) -> http.client.HTTPResponse:
        import http.client

        conn = http.client.HTTPConnection(self.host, self.port, timeout=CONNECT_TIMEOUT_S)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            conn.connect()
            conn.sock.settimeout(self.timeout_s)  # an answer may take long; connecting may not
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = conn.getresponse()
        except (ConnectionError, TimeoutError, OSError) as exc:
            conn.close()
            raise ServerUnavailable(str(exc)) from None
        if response.status >= 400:
            try:
                error = json.loads(response.read()).get("error") or {}
            except (ValueError, AttributeError):
                error = {}
            finally:
                conn.close()
            if response.status == 401:
                raise errors.ConfigError("the slm server refused the request: " + error.get("message", "401"))
            raise errors.SlmError(f"the slm server answered {response.status}: {error.get('message', '')}")
        return response

    # --- slm ask ------------------------------------------------------------------------
    def ask_stream(self, prompt: str, **options: Any) -> RemoteStream:
        response = self._request("POST", "/slm/v1/ask", {"prompt": prompt, "options": options})
        return RemoteStream(response)

    def ask(self, prompt: str, **options: Any):
        stream = self.ask_stream(prompt, **options)
        for _ in stream:
            pass
        return stream.result

    # --- slm route / ps -----------------------------------------------------------------
    def route_many(self, prompts: list[str]) -> list[Any]:
        from slm.router.decision import RouteDecision

        data = json.loads(self._request("POST", "/slm/v1/route", {"prompts": prompts}).read())
        if "error" in data:
            raise rebuild_error(data["error"])
        out = []
        for d in data["decisions"]:
            core = {k: d.pop(k) for k in ("plugin", "confidence", "scores", "margin")}
            out.append(RouteDecision(**core, info=d))
        return out

    def ps(self) -> dict[str, Any]:
        return json.loads(self._request("GET", "/slm/v1/ps").read())


class RemoteStream:
    """Like slm.api.AskStream: iterate for text pieces, then read ``.result`` (an AskResult)."""

    def __init__(self, response: http.client.HTTPResponse):
        self._response = response
        self.result = None

    def __iter__(self) -> Iterator[str]:
        from slm.result import AskResult, Timings, Usage

        try:
            for raw in self._response:
                event = json.loads(raw)
                if "piece" in event:
                    yield event["piece"]
                elif "result" in event:
                    data = event["result"]
                    data["usage"] = Usage(**data["usage"])
                    data["timings"] = Timings(**data["timings"])
                    self.result = AskResult(**data)
                elif "error" in event:
                    raise rebuild_error(event["error"])
        finally:
            self._response.close()
        if self.result is None:
            raise errors.SlmError("the slm server ended the answer early (was it stopped?)")


def rebuild_error(error: dict[str, Any]) -> errors.SlmError:
    """The typed error the server's runtime raised, as the in-process path would raise it."""
    cls = getattr(errors, str(error.get("class")), None)
    if not (isinstance(cls, type) and issubclass(cls, errors.SlmError)):
        cls = errors.SlmError
    return cls(str(error.get("message", "")), hint=error.get("hint"))

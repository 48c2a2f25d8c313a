"""The Starlette application behind `slm serve`.

One ``Server`` per process owns one ``slm.Runtime`` (so models stay loaded
between requests), the scheduler (slots and queues) and the counters. Routes:

    POST /v1/chat/completions   OpenAI chat (stream or not), slm's pipeline behind it
    GET  /v1/models[/{id}]      the pipeline ("slm"), one entry per plugin ("slm/<name>"), installed models
    POST /v1/embeddings         the catalog's ONNX sentence encoder
    GET  /health, GET /metrics  liveness, Prometheus text
    POST /slm/v1/ask, /slm/v1/route, GET /slm/v1/ps   what `slm ask`, `slm route`, `slm ps` send

Every error is OpenAI's shape. With a token set, each request but /health needs
``Authorization: Bearer <token>``.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from typing import Any

from slm import errors
from slm.server import native
from slm.server.chat import ChatHandler
from slm.server.metrics import CONTENT_TYPE, Metrics
from slm.server.protocol import ApiError, from_slm_error
from slm.server.scheduler import Scheduler
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

log = logging.getLogger("slm.server")

MAX_BODY_BYTES = 8 << 20  # a request body beyond this is refused (413) before it is parsed
_ENDPOINTS = ("/v1/chat/completions", "/v1/models", "/v1/embeddings", "/health", "/metrics",
              "/slm/v1/ask", "/slm/v1/route", "/slm/v1/ps")


class Server:
    def __init__(self, settings: Any, *, token: str | None = None):
        from slm.api import Runtime

        keep = settings.keep_alive_s
        # The cache's idle timeout is the default keep-alive (its 0 means "keep": -1 here).
        self.settings = settings.with_(model_idle_timeout_s=keep if keep > 0 else 0.0)
        self.token = token
        self.runtime = Runtime(self.settings)
        self.scheduler = Scheduler(num_parallel=settings.num_parallel, max_queue=settings.max_queue)
        self.metrics = Metrics()
        self.started = time.time()

    # --- life cycle -------------------------------------------------------------------
    def warm(self) -> None:
        """Make the shared parts now, in one thread, so concurrent first requests never race to build them."""
        rt = self.runtime
        _ = rt.plugins.infos(), rt.router, rt.energy_meter, rt.energy_history, rt.models, rt.store
        try:
            rt.router.route("warm up")
        except errors.SlmError as exc:  # a broken router must not keep the server from serving models
            log.warning("router not ready: %s", exc.one_line())

    async def startup(self) -> None:
        await asyncio.to_thread(self.warm)  # models past their keep-alive: the model cache's reaper unloads them

    async def shutdown(self) -> None:
        await asyncio.to_thread(self.runtime.close)

    def after_answer(self, local: Any, result: Any, keep_alive_s: float | None) -> None:
        """Apply the request's keep-alive to the model that answered (runs in the worker thread)."""
        keep = self.settings.keep_alive_s if keep_alive_s is None else keep_alive_s
        default = keep == self.settings.keep_alive_s and keep != 0
        if default and not self.runtime.models.has_keep_alive_overrides():
            return  # the cache's own idle timeout already says so
        # a request without keep_alive puts its model back on the default (as Ollama does), so an
        # earlier request's -1 does not keep it loaded for ever
        seconds = None if default else keep
        if local is None and result is not None and result.where == "local" and result.model:
            try:
                local = self.runtime.resolve_model(str(result.model))
            except errors.SlmError:
                return
        if local is not None:
            self.runtime.models.keep_alive(local, seconds)

    # --- request helpers ----------------------------------------------------------------
    async def read_json(self, request: Request) -> Any:
        size, chunks = 0, []
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise ApiError(413, f"the request body is larger than {MAX_BODY_BYTES >> 20} MB",
                               code="request_too_large")
            chunks.append(chunk)
        try:
            return json.loads(b"".join(chunks))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"the request body is not valid JSON: {exc}", code="invalid_json") from None

    def app(self) -> Starlette:
        routes = [
            Route("/v1/chat/completions", ChatHandler(self).handle, methods=["POST"]),
            Route("/v1/models", self.models, methods=["GET"]),
            Route("/v1/models/{model_id:path}", self.model, methods=["GET"]),
            Route("/v1/embeddings", self.embeddings, methods=["POST"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/metrics", self.prometheus, methods=["GET"]),
            *native.routes(self),
        ]
        middleware = [Middleware(Guard, token=self.token, metrics=self.metrics)]
        if self.settings.server_cors_origins:
            from starlette.middleware.cors import CORSMiddleware

            middleware.append(Middleware(CORSMiddleware, allow_origins=list(self.settings.server_cors_origins),
                                         allow_methods=["GET", "POST"], allow_headers=["Authorization",
                                                                                      "Content-Type"]))
        handlers = {ApiError: _api_error, errors.SlmError: _slm_error, HTTPException: _http_error,
                    Exception: _internal_error}
        return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=self.lifespan)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette):
        await self.startup()
        try:
            yield
        finally:
            await self.shutdown()

    # --- routes -----------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        loaded = self.runtime.models.status()
        return JSONResponse({"status": "ok", "uptime_s": round(time.time() - self.started, 1),
                             "loaded_models": len(loaded), "queue_depth": self.scheduler.queue_depth()})

    async def prometheus(self, request: Request) -> Response:
        from slm.energy.report import metrics_totals

        energy = await asyncio.to_thread(metrics_totals, self.runtime.energy_history)
        text = self.metrics.render(lanes=self.scheduler.snapshot(), loaded=self.runtime.models.status(),
                                   energy=energy)
        return PlainTextResponse(text, media_type=CONTENT_TYPE)

    def model_list(self) -> list[dict[str, Any]]:
        created = int(self.started)
        rows = [{"id": "slm", "object": "model", "created": created, "owned_by": "slm",
                 "slm": {"kind": "pipeline", "description": "routes each prompt to a plugin (alias: auto)"}}]
        for info in sorted(self.runtime.plugins.infos(), key=lambda i: i.name):
            rows.append({"id": f"slm/{info.name}", "object": "model", "created": created, "owned_by": "slm",
                         "slm": {"kind": "plugin", "description": info.description,
                                 "model": self.runtime.plugins.model_for(info)}})
        for row in self.runtime.store.list(present_only=True):
            rows.append({"id": row["name"], "object": "model", "created": created, "owned_by": "local",
                         "slm": {"kind": "model", "format": row["format"], "variant": row["variant"],
                                 "size_bytes": row["size_bytes"]}})
        return rows

    async def models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": await asyncio.to_thread(self.model_list)})

    async def model(self, request: Request) -> Response:
        wanted = request.path_params["model_id"]
        for row in await asyncio.to_thread(self.model_list):
            if row["id"] == wanted or (wanted == "auto" and row["id"] == "slm"):
                return JSONResponse(row)
        try:  # ORG/REPO/FILE or a path that is installed but not listed by name
            local = await asyncio.to_thread(self.runtime.resolve_model, wanted)
        except errors.ModelError:
            raise ApiError(404, f"the model {wanted!r} does not exist here", param="model",
                           code="model_not_found") from None
        return JSONResponse({"id": wanted, "object": "model", "created": int(self.started), "owned_by": "local",
                             "slm": {"kind": "model", "format": local.format, "size_bytes": local.size_bytes}})

    async def embeddings(self, request: Request) -> Response:
        from slm.server.embeddings import embed_request

        body = await self.read_json(request)
        return JSONResponse(await asyncio.to_thread(embed_request, self.runtime, body))


class Guard:
    """Token check (when one is set) and the request counters, around every HTTP request."""

    def __init__(self, app: Any, *, token: str | None, metrics: Metrics):
        self.app, self.token, self.metrics = app, token, metrics
        self.expected = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        endpoint = next((e for e in _ENDPOINTS if path == e or path.startswith(e + "/")), "other")
        status = [500]

        async def counted(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            if self.expected is not None and path != "/health" and scope.get("method") != "OPTIONS":
                given = dict(scope.get("headers") or []).get(b"authorization", b"")
                if not hmac.compare_digest(given, self.expected):
                    error = ApiError(401, "a valid API key is needed: send Authorization: Bearer <token>",
                                     code="invalid_api_key")
                    await (await _api_error(None, error))(scope, receive, counted)
                    return
            await self.app(scope, receive, counted)
        finally:
            self.metrics.count_request(endpoint, status[0])


async def _api_error(request: Request | None, exc: ApiError) -> Response:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _slm_error(request: Request, exc: errors.SlmError) -> Response:
    return await _api_error(request, from_slm_error(exc))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    kind = "not_found" if exc.status_code == 404 else "method_not_allowed" if exc.status_code == 405 else None
    message = f"no such endpoint: {request.method} {request.url.path}" if kind else str(exc.detail)
    return await _api_error(request, ApiError(exc.status_code, message, code=kind))


async def _internal_error(request: Request, exc: Exception) -> Response:
    # the detail (paths, internals) goes to the server's log, not to a client that may be remote
    log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__, exc)
    return await _api_error(request, ApiError(500, f"internal error ({type(exc).__name__}); the server's log has "
                                              "the detail", type="server_error", code="internal_error"))

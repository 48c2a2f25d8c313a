"""slm's own endpoints, for `slm ask`, `slm route` and `slm ps` (slm.server.client).

``POST /slm/v1/ask`` takes exactly ``Runtime.ask_stream``'s options and answers
NDJSON: ``{"piece": text}`` lines, then ``{"result": AskResult}`` or
``{"error": {class, message, hint}}`` — the typed error the in-process path
would raise, so the CLI prints the same line and exits with the same code.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from slm import errors
from slm.server.admission import admit, lane_for, model_lane
from slm.server.generation import Generation
from slm.server.protocol import bad
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

ASK_OPTIONS = {"model", "plugin", "system", "max_tokens", "temperature", "seed", "stop", "json_schema",
               "local_only", "cloud", "adapters"}


def routes(server: Any) -> list[Route]:
    async def ask(request: Request) -> Response:
        body = await server.read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("prompt"), str):
            raise bad("expected {\"prompt\": text, ...options}", "prompt")
        options = body.get("options") or {}
        if not isinstance(options, dict) or set(options) - ASK_OPTIONS:
            raise bad(f"options are {', '.join(sorted(ASK_OPTIONS))}", "options")
        # a model the runtime cannot resolve is reported by the pipeline exactly as in-process
        choice = lane_for(server.runtime, options.get("model") if not options.get("plugin") else None)
        slot, gone = await admit(server.scheduler, choice.lane, request)  # a client that leaves gives up its place
        gone.cancel()
        # the server's keep-alive applies to what `slm ask` loads too (0: unloaded once it is free)
        generation = Generation(lambda: server.runtime.ask_stream(body["prompt"], **options), slot,
                                on_end=lambda result: server.after_answer(None, result, None)).begin()
        return StreamingResponse(_ndjson(request, generation, server, cli=body.get("cli") is True),
                                 media_type="application/x-ndjson")

    async def route(request: Request) -> Response:
        body = await server.read_json(request)
        prompts = body.get("prompts") if isinstance(body, dict) else None
        if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
            raise bad("expected {\"prompts\": [text, ...]}", "prompts")
        try:
            decisions = await asyncio.to_thread(server.runtime.router.route_many, prompts) if prompts else []
        except errors.SlmError as exc:
            return JSONResponse({"error": error_dict(exc)})
        return JSONResponse({"decisions": [d.to_dict() for d in decisions]})

    async def ps(request: Request) -> Response:
        lanes = server.scheduler.snapshot()
        rows = []
        for row in server.runtime.models.status():
            lane = lanes.get(model_lane(row["path"]), {"slots": server.scheduler.num_parallel, "busy": 0,
                                                      "waiting": 0})
            # busy: the requests generating on it now (the pipeline's plugins use it outside its lane too)
            rows.append({"name": row["path"].name, "path": str(row["path"]), "ram_bytes": row["ram_bytes"],
                         "keep_alive_s": row["keep_alive_s"], "expires_in_s": row["expires_in_s"],
                         "slots": lane["slots"], "busy": max(lane["busy"], row["slots_busy"]),
                         "contexts": row["contexts"], "generating": row["slots_busy"],
                         "waiting": lane["waiting"], "adapters": row.get("adapters", [])})
        return JSONResponse({"models": rows, "lanes": lanes})

    return [Route("/slm/v1/ask", ask, methods=["POST"]), Route("/slm/v1/route", route, methods=["POST"]),
            Route("/slm/v1/ps", ps, methods=["GET"])]


def error_dict(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, errors.SlmError):
        return {"class": type(exc).__name__, "message": exc.message, "hint": exc.hint}
    return {"class": "SlmError", "message": f"internal error in the server: {type(exc).__name__}: {exc}",
            "hint": None}


async def _ndjson(request: Request, generation: Generation, server: Any, *, cli: bool) -> AsyncIterator[str]:
    """``cli``: the quick client (slm.cli.quick_ask) asked for the lines `slm ask` prints, rendered here
    by the CLI's own code, so it needs neither the errors module nor the energy formatting."""
    def line(data: dict) -> str:
        return json.dumps(data, ensure_ascii=False) + "\n"

    def error(exc: BaseException) -> str:
        data = {"error": error_dict(exc)}
        if cli:
            typed = exc if isinstance(exc, errors.SlmError) else errors.SlmError(data["error"]["message"])
            data.update(line=f"error: {typed.one_line()}", exit_code=typed.exit_code)
        return line(data)

    try:
        kind, value = await generation.first()
        if kind == "error":
            yield error(value)
            return
        if kind == "piece":
            yield line({"piece": value})
        try:
            async for piece in generation.rest():
                yield line({"piece": piece})
        except Exception as exc:  # noqa: BLE001 - the CLI shows it as the in-process path would
            yield error(exc)
            return
        server.metrics.count_tokens(generation.result)
        done = {"result": generation.result.to_dict()}
        if cli:
            from slm.cli.cost import cost_line

            done["cost_line"] = cost_line(generation.result)
        yield line(done)
    finally:
        generation.cancel()

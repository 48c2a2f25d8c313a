"""POST /v1/chat/completions: one OpenAI chat request through slm's pipeline.

``model`` picks the path: "slm"/"auto" routes the last user message (route ->
plugin -> local, cloud or queue), "slm/<plugin>" runs that plugin, any other
name runs that model on the whole conversation. Every answer (and the last
chunk of a stream) carries what slm knows in an ``slm`` object; OpenAI
clients ignore it.
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from slm import errors
from slm.api import DEFAULT_MAX_TOKENS
from slm.server.admission import admit, lane_for
from slm.server.generation import Generation
from slm.server.protocol import ApiError, ChatRequest, from_slm_error, parse_chat
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def slm_extension(result: Any) -> dict[str, Any]:
    """What slm knows about an answer beyond OpenAI's fields (the AskResult less text and usage)."""
    data = result.to_dict()
    for key in ("text", "usage"):
        data.pop(key, None)
    return data


def usage_of(result: Any) -> dict[str, int]:
    u = result.usage
    return {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
            "total_tokens": u.prompt_tokens + u.completion_tokens}


def finish_reason(req: ChatRequest, result: Any) -> str:
    # The model stops at its end-of-turn, a stop string or the token limit; only the last is "length".
    limit = req.max_tokens or DEFAULT_MAX_TOKENS
    return "length" if result.usage.completion_tokens >= limit else "stop"


class ChatHandler:
    def __init__(self, server: Any):
        self.server = server  # slm.server.app.Server: runtime, scheduler, metrics, settings

    async def handle(self, request: Request) -> Response:
        body = await self.server.read_json(request)
        req = parse_chat(body)
        choice = lane_for(self.server.runtime, req.target.name if req.target.kind == "model" else None)
        if choice.error is not None and not (isinstance(choice.error, errors.ModelNotPresentError)
                                             and self.server.settings.cloud_base_url and not req.local_only):
            raise choice.error  # only a model that is absent may still be sent to the cloud by the pipeline
        local = choice.local
        slot, gone = await admit(self.server.scheduler, choice.lane, request)
        streaming = False  # once the stream owns ``gone``, it cancels it
        try:
            runtime = self.server.runtime
            generation = Generation(lambda: runtime.ask_stream(req.prompt, **req.ask_options()), slot,
                                    on_end=lambda result: self.server.after_answer(local, result, req.keep_alive_s))
            generation.begin()
            gone.add_done_callback(lambda _f: generation.cancel())  # the client left: stop generating
            kind, value = await generation.first()
            if kind == "error":  # before any piece: a plain HTTP error with the right status
                raise _api_error(value)
            ident, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
            if req.stream:
                streaming = True
                return StreamingResponse(self._events(req, generation, kind, value, ident, created, gone),
                                         media_type="text/event-stream", headers=SSE_HEADERS)
            pieces = [value] if kind == "piece" else []
            try:
                async for piece in generation.rest():
                    pieces.append(piece)
            except asyncio.CancelledError:  # the client left: stop, and let the cancellation go on
                generation.cancel()
                raise
            except Exception as exc:  # noqa: BLE001 - any failure mid-answer becomes the HTTP error
                generation.cancel()
                raise _api_error(exc) from None
        finally:
            if not streaming:
                gone.cancel()
        result = generation.result
        self.server.metrics.count_tokens(result)
        return JSONResponse({
            "id": ident, "object": "chat.completion", "created": created, "model": req.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": result.text},
                         "finish_reason": finish_reason(req, result), "logprobs": None}],
            "usage": usage_of(result), "system_fingerprint": None, "slm": slm_extension(result),
        })

    async def _events(self, req: ChatRequest, generation: Generation, kind: str, value: Any, ident: str,
                      created: int, gone: asyncio.Future) -> AsyncIterator[str]:
        def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
            data = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": req.model,
                    "system_fingerprint": None,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
            return f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"

        try:
            yield chunk({"role": "assistant", "content": ""})
            if kind == "piece":
                yield chunk({"content": value})
            try:
                async for piece in generation.rest():
                    yield chunk({"content": piece})
            except BaseException as exc:
                if isinstance(exc, asyncio.CancelledError):
                    raise
                err = _api_error(exc)
                yield f"data: {json.dumps(err.body(), ensure_ascii=False)}\n\n"
                return
            result = generation.result
            self.server.metrics.count_tokens(result)
            final: dict[str, Any] = {"slm": slm_extension(result)}
            if req.include_usage:
                final["usage"] = None  # OpenAI: usage only in the extra chunk that follows
            yield chunk({}, finish_reason(req, result), **final)
            if req.include_usage:
                data = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": req.model,
                        "system_fingerprint": None, "choices": [], "usage": usage_of(result)}
                yield f"data: {json.dumps(data)}\n\n"
            yield "data: [DONE]\n\n"
        finally:
            generation.cancel()  # no-op when it finished; stops it when the client left mid-answer
            gone.cancel()


def _api_error(exc: BaseException) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, errors.SlmError):
        return from_slm_error(exc)
    return ApiError(500, f"internal error: {type(exc).__name__}: {exc}", type="server_error")

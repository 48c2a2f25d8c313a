"""Which lane a request waits in, and its wait for a slot there: one path for every endpoint.

`POST /v1/chat/completions` and slm's own `POST /slm/v1/ask` both send a request that names a
model to that model's lane (its parallel slots) and everything else to the pipeline lane; both
give up their place when the client leaves while they wait.
"""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

from slm import errors
from slm.server.protocol import ApiError
from slm.server.scheduler import PIPELINE_LANE, Slot
from starlette.requests import Request


@dataclass(frozen=True)
class LaneChoice:
    lane: str
    local: Any = None  # the slm.store LocalModel the request names, when it is here
    error: errors.SlmError | None = None  # why the model it names could not be resolved


def lane_for(runtime: Any, model: str | None) -> LaneChoice:
    """The lane for a request that names ``model`` (None: the pipeline's). A model that cannot be
    resolved still gets a lane of its own name; the caller decides whether ``error`` stops it here."""
    if not model:
        return LaneChoice(PIPELINE_LANE)
    try:
        local = runtime.resolve_model(model)
    except errors.SlmError as exc:
        return LaneChoice(f"model:{model}", None, exc)
    return LaneChoice(model_lane(local.path), local)


def model_lane(path: Any) -> str:
    """The lane of the model file at ``path``: a catalog name, an absolute path and a symlink to one
    file share one lane, as they share one load (else each would get num_parallel slots on it)."""
    return f"model:{os.path.realpath(path)}"


async def admit(scheduler: Any, lane: str, request: Request) -> tuple[Slot, asyncio.Future]:
    """(a slot in ``lane``, a future done when the client disconnects). A client that leaves while it
    waits gives up its place (499); the caller cancels the future once it no longer watches."""
    gone = asyncio.ensure_future(disconnected(request))
    try:
        return await queued(scheduler, lane, gone), gone
    except BaseException:
        gone.cancel()
        raise


async def disconnected(request: Request) -> None:
    """Returns when the client closes the connection (the body has been read by then)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def queued(scheduler: Any, lane: str, gone: asyncio.Future) -> Slot:
    """A slot in ``lane``; a client that leaves while waiting gives up its place in the queue."""
    waiting = asyncio.ensure_future(scheduler.acquire(lane))
    await asyncio.wait({waiting, gone}, return_when=asyncio.FIRST_COMPLETED)
    if waiting.done():
        return waiting.result()
    waiting.cancel()
    try:
        slot = await waiting  # handed a slot in the same instant: pass it on
    except asyncio.CancelledError:
        raise ApiError(499, "the client closed the connection", code="client_closed") from None
    slot.hand_on()
    raise ApiError(499, "the client closed the connection", code="client_closed")

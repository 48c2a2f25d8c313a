"""One request's answer, computed in a worker thread and read on the event loop.

llama.cpp and the plugins block, so each admitted request runs in its own
thread and hands its pieces to the loop through an asyncio queue. ``cancel()``
(the client went away) stops it at the next piece: leaving the answer's
iterator closes the model's generation, which frees the model. The request's
slot is released when the thread ends, not when the HTTP exchange does, so
the next request in line never waits behind a generation nobody reads.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from slm.server.protocol import ApiError
from slm.server.scheduler import Slot

log = logging.getLogger("slm.server")

_PIECE, _DONE, _ERROR = "piece", "done", "error"


class Generation:
    def __init__(self, start: Callable[[], Any], slot: Slot, *, on_end: Callable[[Any], None] | None = None):
        # ``start()`` returns an AskStream (iterate: pieces; then .result); it runs in the thread.
        # ``on_end(result or None)`` runs in the thread when the answer ends, before the slot is freed.
        self._start = start
        self._slot = slot
        self._on_end = on_end
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue = asyncio.Queue()
        self._cancelled = threading.Event()
        self.result: Any = None
        self.finished = False
        self._thread = threading.Thread(target=self._work, name="slm-generation", daemon=True)

    def begin(self) -> Generation:
        try:
            self._thread.start()
        except RuntimeError:  # no thread to be had: the slot was never used, and must not stay taken
            self._slot.hand_on()
            raise ApiError(503, "the server cannot start another request now; try again shortly", type="server_error",
                           code="server_busy", headers={"Retry-After": "1"}) from None
        return self

    def cancel(self) -> None:
        self._cancelled.set()

    def _put(self, item: tuple[str, Any]) -> None:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # loop closed: nobody reads any more
            self._cancelled.set()

    def _work(self) -> None:
        result = None
        last: tuple[str, Any] = (_ERROR, ApiError(499, "the client closed the connection", code="client_closed"))
        try:
            stream = self._start()
            pieces = iter(stream)
            try:
                for piece in pieces:
                    if self._cancelled.is_set():
                        break
                    if piece:
                        self._put((_PIECE, piece))
            finally:
                pieces.close()  # a cancelled answer stops generating here and frees the model
            if not self._cancelled.is_set():
                result = stream.result
                last = (_DONE, result)
        except BaseException as exc:  # noqa: BLE001 - handed to the loop, which turns it into an HTTP error
            last = (_ERROR, exc)
        finally:
            if self._on_end is not None:
                try:
                    self._on_end(result)
                except Exception as exc:  # noqa: BLE001 - bookkeeping must never keep the slot taken
                    log.warning("keep-alive not applied: %s", exc)
            # The slot is freed before the last event is handed over (the loop runs both in this
            # order): a client that sends its next request on reading the answer finds it free.
            self._slot.release_threadsafe(self._loop)
            self._put(last)  # whoever still waits learns how it ended (never waits forever)

    async def first(self) -> tuple[str, Any]:
        """The first event: ("piece", text), ("done", result) or ("error", exc)."""
        return await self._next()

    async def _next(self) -> tuple[str, Any]:
        kind, value = await self._queue.get()
        if kind == _DONE:
            self.result, self.finished = value, True
        return kind, value

    async def rest(self) -> AsyncIterator[str]:
        """The pieces after ``first()``; raises the worker's error; sets ``.result`` at the end."""
        while not self.finished:
            kind, value = await self._next()
            if kind == _ERROR:
                raise value
            if kind == _PIECE:
                yield value

"""One plugin request in flight (Job) and the stream of pieces a caller iterates (PluginStream).

PluginHost starts and finishes jobs (host.py); this module holds what a running request is
and how its pieces reach the caller within its time limit.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slm.host.context import PluginContext
from slm.plugins.sdk import PluginInfo, Request

if TYPE_CHECKING:
    from slm.host.host import PluginHost, PluginRun
    from slm.host.worker import IsolatedCall


@dataclass
class Job:
    """One plugin request in flight: its thread, its time limit and, when isolated, its worker call."""

    info: PluginInfo
    ctx: PluginContext
    worker: threading.Thread
    outcome: dict[str, Any]
    limit: float
    started: float  # time.monotonic()
    call: IsolatedCall | None = None  # the request's worker process, for isolated plugins

    def wait_ready(self) -> None:
        """Until the plugin's code can start (a worker's interpreter is up): the limit counts from then."""
        if self.call is not None:
            from slm.host.worker import START_LIMIT_S

            self.call.ready.wait(START_LIMIT_S + 5)
            self.started = time.monotonic()

    def cancel(self) -> None:
        self.ctx.cancel()
        if self.call is not None:
            self.call.stop()


DONE = object()  # what the job's done callback puts after its last piece


class PluginStream:
    """Iterate for the pieces a plugin emits; then ``.run`` is the PluginRun.

    Errors (broken plugin, time limit, LocalAnswerFailedError, model errors)
    are raised from the iteration, after any pieces already streamed. Leaving
    the loop early cancels the plugin's request.
    """

    def __init__(self, host: PluginHost, name: str, request: Request):
        self._host, self._name, self._request = host, name, request
        self.run: PluginRun | None = None

    def __iter__(self) -> Iterator[str]:
        pieces: queue.SimpleQueue = queue.SimpleQueue()
        job = self._host._start(self._name, self._request, pieces.put, done=lambda: pieces.put(DONE))
        finished = False
        try:
            job.wait_ready()
            deadline = job.started + job.limit
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    item = pieces.get(timeout=remaining)
                except queue.Empty:
                    break
                if item is DONE:
                    job.worker.join(max(0.0, deadline - time.monotonic()))
                    break
                yield item
            finished = True
            self.run = self._host._finish(job)
        finally:
            if not finished:  # the consumer stopped early, or Ctrl-C
                job.cancel()

"""Slots and a bounded FIFO queue per lane (one lane per model, one for the pipeline).

A model lane has ``SLM_NUM_PARALLEL`` slots (default 1), as many as the loaded
model has contexts to generate on at once (slm.backends.contexts), and requests
beyond them wait in arrival order. A lane holds at most ``SLM_MAX_QUEUE`` waiting requests;
the next one is refused at once with 503 and a Retry-After estimated from the
lane's recent request times (of requests that ran: a slot handed on by a client
that left before it started is not one), instead of piling up unbounded. Everything here
runs on the server's event loop (no locks); a slot is released from a worker
thread through ``loop.call_soon_threadsafe``.
"""
from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from dataclasses import dataclass, field

from slm.server.protocol import ApiError

PIPELINE_LANE = "slm"  # routed and plugin requests: routing and model-free plugins are CPU-cheap
PIPELINE_SLOTS = 4  # a plugin that uses a model still waits for that model inside the backend


@dataclass
class Lane:
    name: str
    slots: int
    busy: int = 0
    waiting: deque = field(default_factory=deque)  # futures, first come first served
    served: int = 0
    recent_s: deque = field(default_factory=lambda: deque(maxlen=32))  # durations of finished requests


class QueueFull(ApiError):
    def __init__(self, lane: str, retry_after_s: int):
        super().__init__(503, f"the queue for {lane} is full; retry in {retry_after_s} s",
                         type="server_error", code="queue_full", headers={"Retry-After": str(retry_after_s)})


class Slot:
    """One admitted request. ``release()`` (it ran) or ``hand_on()`` (it never started) exactly once;
    from another thread, ``release_threadsafe``."""

    def __init__(self, scheduler: Scheduler, lane: Lane):
        self._scheduler, self.lane, self.started = scheduler, lane, time.monotonic()
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._scheduler._release(self.lane, time.monotonic() - self.started)

    def hand_on(self) -> None:
        """Pass the slot on unused: its (zero) time says nothing of how long the lane's requests take."""
        if not self._released:
            self._released = True
            self._scheduler._release(self.lane, None)

    def release_threadsafe(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            loop.call_soon_threadsafe(self.release)
        except RuntimeError:  # the loop is closed: the server is gone, nothing waits any more
            pass


class Scheduler:
    def __init__(self, *, num_parallel: int, max_queue: int):
        self.num_parallel = max(1, int(num_parallel))
        self.max_queue = max(0, int(max_queue))
        self.lanes: dict[str, Lane] = {}

    def lane(self, name: str) -> Lane:
        lane = self.lanes.get(name)
        if lane is None:
            slots = max(PIPELINE_SLOTS, self.num_parallel) if name == PIPELINE_LANE else self.num_parallel
            lane = self.lanes[name] = Lane(name, slots)
        return lane

    async def acquire(self, name: str) -> Slot:
        """A slot in lane ``name``: at once if one is free, else after the requests before it."""
        lane = self.lane(name)
        if lane.busy < lane.slots and not lane.waiting:
            lane.busy += 1
            return Slot(self, lane)
        if len(lane.waiting) >= self.max_queue:
            raise QueueFull(name, self.retry_after_s(lane))
        ticket = asyncio.get_running_loop().create_future()
        lane.waiting.append(ticket)
        try:
            await ticket
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():
                self._release(lane, None)  # handed a slot just as the client left: pass it on
            elif ticket in lane.waiting:
                lane.waiting.remove(ticket)
            raise
        return Slot(self, lane)

    def _release(self, lane: Lane, seconds: float | None) -> None:
        """Free a slot (``seconds``: how long its request ran; None: it never ran) for the next in line."""
        if seconds is not None:
            lane.served += 1
            lane.recent_s.append(seconds)
        while lane.waiting:
            ticket = lane.waiting.popleft()
            if not ticket.done():
                ticket.set_result(None)  # the slot passes straight to the next in line
                return
        lane.busy -= 1

    def retry_after_s(self, lane: Lane) -> int:
        typical = sorted(lane.recent_s)[len(lane.recent_s) // 2] if lane.recent_s else 1.0
        return max(1, math.ceil(typical * (len(lane.waiting) + lane.busy) / lane.slots))

    # --- what /metrics and `slm ps` show -------------------------------------------------
    def queue_depth(self) -> int:
        return sum(len(lane.waiting) for lane in self.lanes.values())

    def snapshot(self) -> dict[str, dict[str, int]]:
        return {name: {"slots": lane.slots, "busy": lane.busy, "waiting": len(lane.waiting), "served": lane.served}
                for name, lane in self.lanes.items()}

"""Offloader: send one request to the cloud, or queue it when the cloud is unreachable.

The policy (``slm.offload.policy.decide``) has already said "cloud"; this
applies the plugin's permission (every request that leaves has the PII slm
recognises replaced by placeholders and the originals put back in the answer,
unless the permission is ``allowed-raw``; ``never`` → refused, whatever the
caller thinks), streams the
answer through ``emit`` and, when the cloud cannot be reached, stores the
request in the offline queue with the idempotency key of the failed attempt
(so a request that did arrive is not run twice when the queue is synced).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterator

from slm.errors import CloudUnreachableError, OffloadRefusedError, UsageError
from slm.result import Usage

log = logging.getLogger("slm.offload")


@dataclass
class OffloadOutcome:
    where: str                       # "cloud" | "queued"
    text: str
    usage: Usage = field(default_factory=Usage)
    model: str | None = None         # the cloud model that answered
    queue_id: str | None = None
    redacted: int = 0                # how many distinct values were replaced by placeholders
    redaction: str = "applied"       # "applied" (placeholders out) | "raw" (allowed-raw: sent verbatim)


class Offloader:
    def __init__(self, settings, *, client=None, queue=None):
        self.settings = settings
        self._client = client
        self._queue = queue

    @property
    def client(self):
        if self._client is None:
            from slm.offload.cloud import CloudClient

            self._client = CloudClient.from_settings(self.settings)
        return self._client

    @property
    def queue(self):
        if self._queue is None:
            from slm.offload.queue import OfflineQueue

            self._queue = OfflineQueue.from_settings(self.settings)
        return self._queue

    def close(self) -> None:
        if self._queue is not None:
            self._queue.close()
            self._queue = None

    def __enter__(self) -> "Offloader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, messages: list[dict], *, plugin: str | None, permission: str, reason: str,
             emit: Callable[[str], None], max_tokens: int | None = None,
             temperature: float | None = None, stream: bool = True) -> OffloadOutcome:
        """Send (streaming pieces to ``emit``) or queue; see OffloadStream for a pull-style variant."""
        pieces = self.stream(messages, plugin=plugin, permission=permission, reason=reason,
                             max_tokens=max_tokens, temperature=temperature, stream=stream)
        for piece in pieces:
            emit(piece)
        return pieces.outcome

    def stream(self, messages: list[dict], *, plugin: str | None, permission: str, reason: str,
               max_tokens: int | None = None, temperature: float | None = None,
               stream: bool = True) -> "OffloadStream":
        """Iterate for the (restored) answer pieces; ``.outcome`` is set once exhausted.

        Refusals (``never``, no cloud configured, bad permission) raise here, before iteration.
        Nothing is yielded for a queued request; ``.outcome.text`` then says it is queued.
        """
        if permission == "never":
            raise OffloadRefusedError(f"plugin {plugin!r} never sends data to the cloud")
        if permission not in ("allowed", "redact", "allowed-raw"):
            raise UsageError(f"unknown offload permission {permission!r}")
        client = self.client  # raises OffloadError when no cloud is configured
        return OffloadStream(self._pieces(client, messages, plugin, permission, reason, max_tokens,
                                          temperature, stream))

    def _pieces(self, client, messages, plugin, permission, reason, max_tokens, temperature,
                stream) -> Iterator[str | OffloadOutcome]:
        from slm.offload.redact import Redactor

        redactor = Redactor()
        raw = permission == "allowed-raw"
        outgoing = [dict(m) for m in messages] if raw else redactor.redact_messages(messages)
        redaction = "raw" if raw else "applied"
        import uuid  # here: every slm ask imports this module, few send anything (_uuid: ~10 ms)

        key = str(uuid.uuid4())
        log.info("offload: sending to %s (plugin=%s, reason=%s, %d value(s) redacted)",
                 client.shown_url(), plugin, reason, len(redactor.mapping))
        shown = ""
        try:
            if stream:
                restorer = redactor.stream_restorer()
                answer = client.chat_stream(outgoing, max_tokens=max_tokens, temperature=temperature,
                                            idempotency_key=key)
                for piece in answer:
                    out = restorer.feed(piece)
                    if out:
                        shown += out
                        yield out
                tail = restorer.flush()
                if tail:
                    shown += tail
                    yield tail
                yield OffloadOutcome("cloud", shown, answer.usage, answer.model, None, len(redactor.mapping), redaction)
                return
            answer = client.chat(outgoing, max_tokens=max_tokens, temperature=temperature, idempotency_key=key)
            text = redactor.restore(answer.text)
            yield text
            yield OffloadOutcome("cloud", text, answer.usage, answer.model, None, len(redactor.mapping), redaction)
        except CloudUnreachableError as exc:
            # Same key as the failed attempt: if it did reach the server, sync gets the cached answer.
            qid = self.queue.add(outgoing, plugin=plugin, permission=permission, reason=reason,
                                 max_tokens=max_tokens, temperature=temperature,
                                 redaction=dict(redactor.mapping) or None, idem_key=key, stream=stream)
            log.info("offload: cloud unreachable (%s); queued as %s", exc.one_line(), qid)
            partial = " (the partial answer above is incomplete)" if shown else ""
            text = (f"The cloud is unreachable ({exc.one_line()}). Your request is queued as #{qid}{partial}; "
                    f"run `slm queue sync` when online, then `slm queue show {qid}`.")
            yield OffloadOutcome("queued", text, Usage(), None, qid, len(redactor.mapping), redaction)


class OffloadStream:
    """Text pieces of a cloud answer; ``outcome`` (OffloadOutcome) once the iteration is done."""

    def __init__(self, items: Iterator[str | OffloadOutcome]):
        self._items = items
        self.outcome: OffloadOutcome | None = None

    def __iter__(self) -> Iterator[str]:
        for item in self._items:
            if isinstance(item, OffloadOutcome):
                self.outcome = item
            else:
                yield item

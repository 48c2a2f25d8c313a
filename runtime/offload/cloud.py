"""A small OpenAI-compatible chat-completions client (standard library only).

POST {base_url}/chat/completions, plain or streamed (server-sent events).
Bounded retries with exponential backoff and jitter on 429 and 5xx (honouring
Retry-After), typed errors for everything else:

    401/403              CloudAuthError
    404                  CloudNotFoundError (endpoint or model)
    429/5xx, exhausted   CloudUnavailableError (a CloudUnreachableError: queue it)
    refused/DNS/timeout  CloudUnreachableError
    other 4xx / garbage  CloudError

The API key goes into the Authorization header and nowhere else: not into
reprs, log records or error messages (server error text is scrubbed of it,
and URLs lose any user:password part before they are shown).

A misbehaving server cannot exhaust the device: an answer (plain or streamed) is
read up to ``max_response_bytes`` and for at most ``max_total_s`` in all, an SSE
line is at most ``_MAX_LINE`` bytes; past a bound the request fails as a
CloudError (the server answered, wrongly: not queued, not retried).

Every request may carry an ``Idempotency-Key`` header; the offline queue uses
it so a request re-sent after a crash is answered from the server's cache
instead of being run twice (that needs the server to honour the key).
"""
from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from slm.errors import (CloudAuthError, CloudError, CloudNotFoundError, CloudUnavailableError,
                        CloudUnreachableError, OffloadError)
from slm.result import Usage

log = logging.getLogger("slm.offload.cloud")

_MAX_LINE = 1 << 20  # one SSE line; a chat chunk is a few hundred bytes
_READ_CHUNK = 1 << 16

KEYRING_SERVICE = "slm"
KEYRING_USERNAME = "cloud_api_key"


def keyring_api_key() -> str | None:
    """The key stored with `keyring set slm cloud_api_key`, if keyring is installed and has one."""
    try:
        import keyring  # optional dependency (slm-runtime[keyring])
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME) or None
    except Exception:  # no usable backend, locked keychain...: behave as if unset
        return None


@dataclass
class CloudAnswer:
    text: str
    usage: Usage
    model: str | None
    finish_reason: str | None = None


class CloudStream:
    """Iterate for text pieces; afterwards .text, .usage, .model, .finish_reason are set."""

    def __init__(self, pieces: Callable[["CloudStream"], Iterator[str]]):
        self._pieces = pieces(self)  # the source fills in this stream's fields as it goes
        self.text = ""
        self.usage = Usage()
        self.model: str | None = None
        self.finish_reason: str | None = None
        self.usage_reported = False  # the server sent a usage event (else usage counts chunks)

    def __iter__(self) -> Iterator[str]:
        for piece in self._pieces:
            self.text += piece
            yield piece


@dataclass
class CloudClient:
    base_url: str
    api_key: str | None = field(default=None, repr=False)
    model: str | None = None
    timeout_s: float = 60.0
    max_retries: int = 3
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    max_retry_after_s: float = 30.0   # a longer Retry-After gives up (the queue retries later)
    max_total_s: float = 600.0  # reading one whole answer, however the bytes trickle in
    max_response_bytes: int = 16 << 20
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_settings(cls, settings, **overrides: Any) -> "CloudClient":
        if not settings.cloud_base_url:
            raise OffloadError("no cloud is configured", hint="set SLM_CLOUD_BASE_URL (and SLM_CLOUD_MODEL)")
        key = settings.cloud_api_key or keyring_api_key()
        kwargs: dict[str, Any] = dict(base_url=settings.cloud_base_url, api_key=key, model=settings.cloud_model,
                                      timeout_s=settings.cloud_timeout_s, max_retries=settings.cloud_max_retries,
                                      max_total_s=settings.cloud_max_total_s,
                                      max_response_bytes=settings.cloud_max_response_bytes)
        kwargs.update(overrides)
        return cls(**kwargs)

    def __post_init__(self) -> None:
        try:
            parts = urlsplit(self.base_url.rstrip("/"))
            port = parts.port
        except ValueError:
            parts, port = None, None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            shown = (parts.scheme + "://" + (parts.hostname or "") + parts.path) if parts else "?"
            raise OffloadError(f"bad cloud base URL {shown!r}: expected http(s)://host[:port]/path")
        self._scheme, self._host, self._port = parts.scheme, parts.hostname, port
        self._base_path = (parts.path or "").rstrip("/")
        self._path = self._base_path + "/chat/completions"

    # --- public API -----------------------------------------------------------
    def chat(self, messages: list[dict], *, max_tokens: int | None = None, temperature: float | None = None,
             idempotency_key: str | None = None, extra: dict | None = None) -> CloudAnswer:
        body = self._body(messages, max_tokens, temperature, extra, stream=False)
        deadline = time.monotonic() + self.max_total_s
        resp, conn = self._request(body, idempotency_key, stream=False)
        try:
            raw = self._read_bounded(resp, deadline)
        except (socket.timeout, TimeoutError):
            raise CloudUnreachableError(f"cloud answer stalled for {self.timeout_s:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise CloudUnreachableError(f"cloud connection lost while reading the answer: {self._scrub(str(exc))}") from None
        finally:
            conn.close()
        try:
            data = json.loads(raw)
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise CloudError(f"cloud answered something that is not a chat completion: "
                             f"{self._scrub(raw[:120].decode('utf-8', 'replace'))!r}") from None
        return CloudAnswer(text=text, usage=_usage(data.get("usage")), model=data.get("model") or self.model,
                           finish_reason=choice.get("finish_reason"))

    def chat_stream(self, messages: list[dict], *, max_tokens: int | None = None, temperature: float | None = None,
                    idempotency_key: str | None = None, extra: dict | None = None) -> CloudStream:
        """Connects (with retries) before returning, so connection errors raise here, not mid-iteration."""
        body = self._body(messages, max_tokens, temperature, extra, stream=True)
        resp, conn = self._request(body, idempotency_key, stream=True)
        return CloudStream(lambda stream: self._sse_pieces(resp, conn, stream))

    def __repr__(self) -> str:  # the key never appears
        return f"CloudClient(base_url={self.shown_url()!r}, model={self.model!r}, key={'set' if self.api_key else 'unset'})"

    # --- internals --------------------------------------------------------------
    def _body(self, messages, max_tokens, temperature, extra, *, stream: bool) -> bytes:
        body: dict[str, Any] = {"messages": messages, "stream": stream}
        if self.model:
            body["model"] = self.model
        if max_tokens is not None:
            body["max_tokens"] = int(max_tokens)
        if temperature is not None:
            body["temperature"] = float(temperature)
        if stream:
            body["stream_options"] = {"include_usage": True}
        if extra:
            body.update(extra)
        return json.dumps(body).encode("utf-8")

    def _headers(self, idempotency_key: str | None, stream: bool) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream" if stream else "application/json",
                   "User-Agent": "slm-offload"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def _connect(self) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout_s,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout_s)

    def _request(self, body: bytes, idempotency_key: str | None, *, stream: bool):
        headers = self._headers(idempotency_key, stream)
        attempt = 0
        while True:
            conn = self._connect()
            try:
                conn.request("POST", self._path, body=body, headers=headers)
                resp = conn.getresponse()
            except (socket.timeout, TimeoutError):
                conn.close()
                raise CloudUnreachableError(f"cloud at {self.shown_url()} timed out after {self.timeout_s:g} s") from None
            except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError) as exc:
                conn.close()
                # the server dropped us mid-request: safe to retry (same idempotency key)
                if attempt >= self.max_retries:
                    raise CloudUnreachableError(f"cloud at {self.shown_url()} dropped the connection "
                                                f"({type(exc).__name__})") from None
                attempt += 1
                self._backoff(attempt, None, f"connection dropped ({type(exc).__name__})")
                continue
            except (OSError, http.client.HTTPException) as exc:  # refused, DNS, unreachable network
                conn.close()
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
                raise CloudUnreachableError(f"cannot reach the cloud at {self.shown_url()}: {self._scrub(str(why))}") from None
            if resp.status < 300:
                return resp, conn
            detail = self._error_detail(resp)
            conn.close()
            status = resp.status
            if status in (401, 403):
                raise CloudAuthError(f"cloud rejected the API key (HTTP {status}){detail}",
                                     hint="check SLM_CLOUD_API_KEY or the keyring entry slm/cloud_api_key")
            if status == 404:
                raise CloudNotFoundError(f"cloud endpoint or model not found (HTTP 404 for "
                                         f"{self.shown_url()}/chat/completions, model {self.model!r})"
                                         f"{detail}", hint="check SLM_CLOUD_BASE_URL and SLM_CLOUD_MODEL")
            if status == 429 or status >= 500:
                retry_after = _retry_after(resp.getheader("Retry-After"))
                if attempt >= self.max_retries or (retry_after is not None and retry_after > self.max_retry_after_s):
                    raise CloudUnavailableError(f"cloud busy or failing: HTTP {status} after {attempt + 1} "
                                                f"attempt(s){detail}")
                attempt += 1
                self._backoff(attempt, retry_after, f"HTTP {status}")
                continue
            raise CloudError(f"cloud refused the request: HTTP {status}{detail}")

    def _read_bounded(self, resp, deadline: float) -> bytes:
        declared = resp.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
            raise CloudError(f"cloud answer is {int(declared):,} bytes, more than the "
                             f"{self.max_response_bytes:,} allowed (SLM_CLOUD_MAX_RESPONSE_BYTES)")
        chunks, size = [], 0
        # read1: whatever has arrived (read(n) would wait for n bytes from a trickling server)
        while chunk := resp.read1(_READ_CHUNK):
            size += len(chunk)
            self._check_bounds(size, deadline)
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_bounds(self, size: int, deadline: float) -> None:
        if size > self.max_response_bytes:
            raise CloudError(f"cloud answer passed {self.max_response_bytes:,} bytes; it was cut off "
                             "(SLM_CLOUD_MAX_RESPONSE_BYTES)")
        if time.monotonic() > deadline:
            raise CloudError(f"cloud answer took longer than {self.max_total_s:g} s in all; it was cut off "
                             "(SLM_CLOUD_MAX_TOTAL_S)")

    def _backoff(self, attempt: int, retry_after: float | None, why: str) -> None:
        if retry_after is not None:
            delay = retry_after
        else:  # exponential with full jitter, so many clients do not retry in lockstep
            delay = random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1)))
        log.info("cloud %s: retry %d/%d in %.2f s", why, attempt, self.max_retries, delay)
        self.sleep(delay)

    def _lines(self, resp) -> Iterator[bytes]:
        """The stream's lines (each with its newline; a last unterminated one without), bounded.

        Reads with read1, whatever has arrived, so a server that trickles bytes without a
        newline still meets the total-time bound (readline would wait for the newline).
        """
        deadline, size, pending = time.monotonic() + self.max_total_s, 0, b""
        while True:
            try:
                chunk = resp.read1(_READ_CHUNK)
            except (socket.timeout, TimeoutError):
                raise CloudUnreachableError(f"cloud stream stalled for {self.timeout_s:g} s") from None
            except (OSError, http.client.HTTPException) as exc:
                raise CloudUnreachableError(f"cloud stream broke: {type(exc).__name__}") from None
            if not chunk:
                if pending:
                    yield pending
                return
            size += len(chunk)
            pending += chunk
            *whole, pending = pending.split(b"\n")
            for line in whole:
                yield line + b"\n"
            if len(pending) > _MAX_LINE:
                raise CloudError(f"cloud stream sent a line of more than {_MAX_LINE:,} bytes")
            self._check_bounds(size, deadline)

    def _sse_pieces(self, resp, conn, stream: CloudStream) -> Iterator[str]:
        try:
            data_lines: list[str] = []
            lines = self._lines(resp)
            while True:
                line = next(lines, b"")
                if not line:
                    # an event without its closing blank line: use it only if it is whole
                    # (a cut-off event means the connection broke)
                    payload = "\n".join(data_lines)
                    if data_lines and not _sse_done(payload, stream) and _is_json(payload):
                        yield from self._sse_event(payload, stream)
                    if stream.finish_reason is None:
                        raise CloudUnreachableError("cloud stream ended before the answer was complete")
                    return
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                if text.startswith("data:"):
                    data_lines.append(text[5:].lstrip(" "))
                    continue
                if text == "" and data_lines:
                    payload, data_lines = "\n".join(data_lines), []
                    if _sse_done(payload, stream):
                        return
                    yield from self._sse_event(payload, stream)
                # comments (":"), "event:", "id:" lines carry nothing we need
        finally:
            conn.close()

    def _sse_event(self, payload: str, stream: CloudStream) -> Iterator[str]:
        try:
            event = json.loads(payload)
        except ValueError:
            raise CloudError(f"cloud stream sent a bad event: {self._scrub(payload[:120])!r}") from None
        if not isinstance(event, dict):
            raise CloudError("cloud stream sent a bad event (not an object)")
        if event.get("error"):
            err = event["error"]
            msg = err.get("message") if isinstance(err, dict) else str(err)
            raise CloudError(f"cloud stream error: {self._scrub(str(msg))[:200]}")
        stream.model = event.get("model") or stream.model or self.model
        if event.get("usage"):
            stream.usage = _usage(event["usage"])
            stream.usage_reported = True
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            piece = delta.get("content")
            if piece:
                if not stream.usage_reported:
                    # Servers that ignore stream_options.include_usage (llama.cpp's) send one
                    # token per chunk: count chunks until a real usage event replaces the count.
                    stream.usage.completion_tokens += 1
                yield piece
            if choice.get("finish_reason"):
                stream.finish_reason = choice["finish_reason"]

    def _error_detail(self, resp) -> str:
        try:
            raw = resp.read(2048)
        except (OSError, http.client.HTTPException):
            return ""
        text = raw.decode("utf-8", "replace")
        try:
            data = json.loads(text)
            err = data.get("error", data) if isinstance(data, dict) else data
            text = err.get("message", "") if isinstance(err, dict) else str(err)
        except ValueError:
            pass
        text = " ".join(self._scrub(str(text)).split())[:200]
        return f": {text}" if text else ""

    def _scrub(self, text: str) -> str:
        if self.api_key and self.api_key in text:
            text = text.replace(self.api_key, "***")
        return text

    def shown_url(self) -> str:
        """The base URL without any user:password part."""
        netloc = self._host + (f":{self._port}" if self._port else "")
        return f"{self._scheme}://{netloc}{self._base_path}"


def _sse_done(payload: str, stream: CloudStream) -> bool:
    """True (and the stream marked finished) for the ``[DONE]`` sentinel event."""
    if payload.strip() != "[DONE]":
        return False
    stream.finish_reason = stream.finish_reason or "stop"
    return True


def _is_json(payload: str) -> bool:
    try:
        json.loads(payload)
    except ValueError:
        return False
    return True


def _usage(raw: Any) -> Usage:
    if not isinstance(raw, dict):
        return Usage()
    try:
        return Usage(prompt_tokens=int(raw.get("prompt_tokens") or 0),
                     completion_tokens=int(raw.get("completion_tokens") or 0))
    except (TypeError, ValueError):
        return Usage()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())

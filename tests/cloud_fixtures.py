"""The test "cloud": llama_cpp.server on loopback with a recording proxy in front.

``cloud_server`` (session): a tiny generated GGUF served by
``python -m llama_cpp.server`` on 127.0.0.1; yields its base URL (".../v1").

``RecordingProxy``: a small HTTP proxy in front of it that

* records every request it receives (path, headers, parsed JSON body), so a
  test checks what actually left the device (redaction, Idempotency-Key, key);
* honours ``Idempotency-Key`` like an OpenAI-style gateway: the first request
  with a key is forwarded upstream and its full response cached; a repeat is
  answered from the cache and NOT forwarded (``upstream`` counts forwards per key);
* can inject failures (``fail_next``: 429/500/401... with headers), require an
  API key (``require_key``), delay, stop/start to play "cloud down", call a
  ``hook(stage, key)`` at "received" (before forwarding; returning "drop"
  hangs up without processing), "processed" (upstream answered and cached,
  before replying) and "replied", for kill -9 tests;
* can merge fields into the forwarded body (``inject``: e.g. a llama.cpp
  ``grammar`` so the random-weight model writes a given text) — the recorded
  body is the one the client sent, before injection;
* ``canned=True`` answers from a tiny OpenAI-shaped response instead of
  forwarding: only for the 1,000-request volume test, where llama_cpp.server
  (one request at a time, ~10-30 ms each plus HTTP) would dominate the run time.
"""
from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 90.0, proc: subprocess.Popen | None = None) -> None:
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            conn.request("GET", parts.path or "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


@pytest.fixture(scope="session")
def cloud_model_path(tmp_path_factory) -> Path:
    from tinymodels import make_tiny_gguf

    return make_tiny_gguf(tmp_path_factory.mktemp("cloud_model") / "cloud-tiny.gguf", seed=7)


@pytest.fixture(scope="session")
def cloud_server(cloud_model_path, tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("cloud_log") / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(cloud_model_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "512", "--n_threads", "1", "--model_alias", "tiny-cloud"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", proc=proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class RecordingProxy:
    def __init__(self, upstream: str | None = None, *, canned: bool = False):
        self.upstream = urlsplit(upstream) if upstream else None
        self.canned = canned
        self.port = free_port()
        self.requests: list[dict] = []          # what arrived: path, headers, body
        self.upstream_calls: Counter = Counter()  # idempotency key (or "-") -> forwards upstream
        self.arrivals: Counter = Counter()        # idempotency key -> requests received
        self.fail_next: list[tuple[int, dict]] = []  # (status, headers) answered before forwarding
        self.require_key: str | None = None
        self.inject: dict = {}
        self.delay_s = 0.0
        self.truncate: int | None = None          # reply with only the first N bytes, then hang up
        self.hook = None                          # hook(stage, key) at "received" / "processed"
        self._cache: dict[str, tuple[int, str, bytes]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- lifecycle -----------------------------------------------------------------
    def start(self) -> "RecordingProxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_POST(self):
                proxy._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Cloud down: nothing listens on the port any more (connection refused)."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def bodies(self) -> list[dict]:
        return [r["body"] for r in self.requests]

    # --- request handling -------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        key = h.headers.get("Idempotency-Key")
        with self._lock:
            self.requests.append({"path": h.path, "headers": dict(h.headers.items()), "body": body})
            self.arrivals[key or "-"] += 1
            failure = self.fail_next.pop(0) if self.fail_next else None
        if self.require_key is not None and h.headers.get("Authorization") != f"Bearer {self.require_key}":
            return self._reply(h, 401, "application/json",
                               json.dumps({"error": {"message": "Incorrect API key provided"}}).encode())
        if failure:
            status, headers = failure
            return self._reply(h, status, "application/json",
                               json.dumps({"error": {"message": f"injected {status}"}}).encode(), headers)
        if self.hook and self.hook("received", key) == "drop":
            return  # hang up without processing (the handler closes the connection)
        if self.delay_s:
            time.sleep(self.delay_s)
        with self._lock:
            cached = self._cache.get(key) if key else None
        if cached is None:
            cached = self._answer(h.path, body)
            with self._lock:
                self.upstream_calls[key or "-"] += 1
                if key and cached[0] < 300:
                    self._cache[key] = cached
            if self.hook:
                self.hook("processed", key)
        if self.truncate is not None:
            status, ctype, payload = cached
            return self._reply(h, status, ctype, payload[:self.truncate], {"Connection": "close"}, length=False)
        self._reply(h, *cached)
        if self.hook:
            self.hook("replied", key)

    def _answer(self, path: str, body) -> tuple[int, str, bytes]:
        if self.canned or self.upstream is None:
            return 200, "application/json", json.dumps(_canned(body)).encode()
        forwarded = dict(body or {})
        forwarded.update(self.inject)
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        try:
            conn.request("POST", path, body=json.dumps(forwarded), headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type") or "application/json", resp.read()
        finally:
            conn.close()

    @staticmethod
    def _reply(h, status: int, ctype: str, payload: bytes, headers: dict | None = None, length: bool = True) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            if length:
                h.send_header("Content-Length", str(len(payload)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(payload)
            h.wfile.flush()
        except OSError:  # the client died (kill -9 tests): nothing to do
            pass


def _canned(body) -> dict:
    messages = (body or {}).get("messages") or [{}]
    prompt = str(messages[-1].get("content", ""))
    return {"id": f"chatcmpl-{uuid.uuid4().hex[:8]}", "object": "chat.completion", "created": int(time.time()),
            "model": "canned", "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": f"answer to: {prompt}"}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6}}


@pytest.fixture
def proxy(cloud_server):
    p = RecordingProxy(cloud_server).start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture
def canned_proxy():
    p = RecordingProxy(canned=True).start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture
def dead_url() -> str:
    """A loopback URL nothing listens on (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/v1"

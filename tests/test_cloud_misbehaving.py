"""A cloud that misbehaves on purpose: huge bodies, endless streams, endless lines, trickles, wrong shapes.

Each case must end in bounded time and memory with one typed error: CloudError (the server answered,
wrongly: not queued, not retried) — never a hang, never the whole body in memory.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import pytest

from slm.errors import CloudError, CloudUnreachableError
from slm.offload.cloud import CloudClient

HELLO = [{"role": "user", "content": "hello"}]
CHUNK = json.dumps({"choices": [{"delta": {"content": "a"}, "finish_reason": None}]})


class Misbehaving:
    """Serves POST /v1/chat/completions in one bad way, named by ``mode``; stops by itself."""

    def __init__(self, mode: str, *, run_for_s: float = 20.0):
        self.mode, self.run_for_s, self.sent = mode, run_for_s, 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    server.serve(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def write(self, h, data: bytes) -> None:
        h.wfile.write(data)
        h.wfile.flush()
        self.sent += len(data)

    def serve(self, h) -> None:
        stop = time.monotonic() + self.run_for_s  # bounded: the test server ends on its own
        mode = self.mode
        if mode == "declared-huge":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(3 << 30))
            h.end_headers()
            while time.monotonic() < stop:
                self.write(h, b" " * 65536)
        elif mode == "undeclared-huge":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.end_headers()
            h.wfile.write(b'{"choices": [{"message": {"content": "')
            while time.monotonic() < stop:
                self.write(h, b"a" * 65536)
        elif mode == "wrong-shape":
            body = json.dumps({"id": "x", "object": "chat.completion", "result": "no choices here"}).encode()
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            self.write(h, body)
        elif mode == "trickle":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.end_headers()
            while time.monotonic() < stop:
                self.write(h, b" ")
                time.sleep(0.05)
        else:  # streamed modes
            h.send_response(200)
            h.send_header("Content-Type", "text/event-stream")
            h.end_headers()
            while time.monotonic() < stop:
                if mode == "endless-stream":
                    self.write(h, f"data: {CHUNK}\n\n".encode())
                elif mode == "endless-junk-events":
                    self.write(h, b'data: {"object": "ping"}\n\n')
                elif mode == "endless-line":
                    self.write(h, b"data: " + b"x" * 65536)
                elif mode == "stream-trickle":
                    self.write(h, b"x")
                    time.sleep(0.05)
                time.sleep(0.001)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def bad_cloud(request):
    server = Misbehaving(request.param)
    yield server
    server.stop()


def client(url: str, **kw) -> CloudClient:
    kw.setdefault("max_response_bytes", 1 << 20)
    kw.setdefault("max_total_s", 3.0)
    return CloudClient(base_url=url, model="m", timeout_s=5, max_retries=0, **kw)


@pytest.mark.parametrize("bad_cloud,needle", [
    ("declared-huge", "more than the 1,048,576 allowed"),
    ("undeclared-huge", "passed 1,048,576 bytes"),
    ("trickle", "longer than 3 s"),
    ("wrong-shape", "not a chat completion"),
], indirect=["bad_cloud"])
def test_plain_answers_are_bounded(bad_cloud, needle):
    rss_before = psutil.Process().memory_info().rss
    started = time.monotonic()
    with pytest.raises(CloudError, match=needle) as err:
        client(bad_cloud.url).chat(HELLO)
    assert not isinstance(err.value, CloudUnreachableError)  # answered wrongly: not queued for a retry
    assert time.monotonic() - started < 10
    assert psutil.Process().memory_info().rss - rss_before < 64 << 20


@pytest.mark.parametrize("bad_cloud,needle", [
    ("endless-stream", "passed 1,048,576 bytes|longer than 3 s"),
    ("endless-junk-events", "passed 1,048,576 bytes|longer than 3 s"),
    ("endless-line", "line of more than"),
    ("stream-trickle", "longer than 3 s"),
], indirect=["bad_cloud"])
def test_streams_are_bounded(bad_cloud, needle):
    started = time.monotonic()
    stream = client(bad_cloud.url).chat_stream(HELLO)
    with pytest.raises(CloudError, match=needle) as err:
        for _ in stream:
            pass
    assert not isinstance(err.value, CloudUnreachableError)
    assert time.monotonic() - started < 10 and len(stream.text) <= 1 << 20


def test_the_bounds_are_settings_with_checked_ranges(tmp_path):
    from slm.config import load_settings
    from slm.errors import ConfigError

    s = load_settings(env={"SLM_CLOUD_BASE_URL": "http://127.0.0.1:9/v1", "SLM_CLOUD_MAX_TOTAL_S": "12",
                           "SLM_CLOUD_MAX_RESPONSE_BYTES": "4096"}, home=tmp_path)
    c = CloudClient.from_settings(s)
    assert c.max_total_s == 12.0 and c.max_response_bytes == 4096
    for var, value in (("SLM_CLOUD_MAX_TOTAL_S", "nan"), ("SLM_CLOUD_MAX_TOTAL_S", "0"),
                       ("SLM_CLOUD_MAX_TOTAL_S", "inf"), ("SLM_CLOUD_MAX_RESPONSE_BYTES", "-5"),
                       ("SLM_CLOUD_MAX_RESPONSE_BYTES", "1e9")):
        with pytest.raises(ConfigError, match=var):
            load_settings(env={var: value}, home=tmp_path)

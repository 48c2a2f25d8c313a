"""Offload path costs, side by side with the bare minimum each step could cost.

  1. policy: ``decide()`` per call (µs);
  2. redaction: redact + restore of a ~1 KB CRM prompt (µs) vs the prompt's own size;
  3. cloud client: ``CloudClient.chat`` vs a bare ``http.client`` POST of the same
     body to the same loopback server answering a canned completion -> ratio;
  4. offline queue: enqueue (fsync'd) ms/request and sync requests/s against that server.

    python packaging/bench/bench_offload.py [--requests 300]

No targets in the issue for these; the figures show the offload machinery is
small next to a real cloud round trip (client ratio ~1 vs bare http.client;
redaction about 1 ms per KB of prompt, most of it the phone finder's look-alike checks).
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CANNED = json.dumps({"id": "x", "object": "chat.completion", "model": "canned",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": "ok [EMAIL_1]"}}],
                     "usage": {"prompt_tokens": 3, "completion_tokens": 2}}).encode()
PROMPT = ("Hi team, please call Jane Doe at +1 (415) 555-0134 or mail jane.doe@acme.com about invoice INV-2024-0042. "
          "She paid with card 4111 1111 1111 1111 and ships to 1600 Pennsylvania Ave NW, Washington, DC 20500. "
          "Refund to IBAN DE89 3704 0044 0532 0130 00, account number 12345678. ") * 3


class Canned(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(CANNED)))
        self.end_headers()
        self.wfile.write(CANNED)


def per_call(fn, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    from slm.config import load_settings
    from slm.offload.cloud import CloudClient
    from slm.offload.policy import OffloadFacts, decide
    from slm.offload.queue import OfflineQueue
    from slm.offload.redact import Redactor

    server = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    url = f"http://127.0.0.1:{port}/v1"
    settings = load_settings(env={"SLM_HOME": tempfile.mkdtemp(), "SLM_CLOUD_BASE_URL": url})

    facts = OffloadFacts(plugin="notes", permission="redact", model_present=False)
    print(f"policy decide():            {per_call(lambda: decide(facts, settings), 20000) * 1e6:8.1f} µs/call")

    def redact_restore():
        r = Redactor()
        r.restore(r.redact(PROMPT))
    print(f"redact+restore ({len(PROMPT)} chars): {per_call(redact_restore, 200) * 1e6:8.1f} µs/prompt")

    messages = [{"role": "user", "content": "hello"}]
    body = json.dumps({"messages": messages, "stream": False}).encode()

    def raw():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("POST", "/v1/chat/completions", body=body, headers={"Content-Type": "application/json"})
        json.loads(c.getresponse().read())
        c.close()

    client = CloudClient.from_settings(settings)
    ours = lambda: client.chat(messages)  # noqa: E731
    raws, slms = [], []
    for _ in range(5):  # alternate to share the noise
        raws.append(per_call(raw, args.requests // 5))
        slms.append(per_call(ours, args.requests // 5))
    r, s = statistics.median(raws), statistics.median(slms)
    print(f"cloud chat round trip:      raw {r * 1e3:6.2f} ms   slm {s * 1e3:6.2f} ms   ratio {s / r:5.2f}")

    with tempfile.TemporaryDirectory() as d:
        q = OfflineQueue(Path(d) / "queue.db")
        t = time.perf_counter()
        for i in range(args.requests):
            q.add([{"role": "user", "content": f"item {i}"}], plugin="email")
        add = (time.perf_counter() - t) / args.requests
        t = time.perf_counter()
        report = q.sync(client)
        sync = time.perf_counter() - t
        q.close()
    assert len(report.sent) == args.requests
    print(f"queue enqueue (fsync'd):    {add * 1e3:8.2f} ms/request")
    print(f"queue sync:                 {args.requests / sync:8.1f} requests/s "
          f"({sync / args.requests * 1e3:.2f} ms each: 2 fsync'd commits + 1 round trip of {s * 1e3:.2f} ms)")
    server.shutdown()


if __name__ == "__main__":
    main()

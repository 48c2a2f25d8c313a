"""Bad requests, auth, a full queue and a client that leaves mid-stream, against a real `slm serve`.

Every refusal has OpenAI's error shape and the right status, and the server
keeps serving afterwards.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import openai
import pytest
import requests
from server_fixtures import start_server
from tinymodels import make_tiny_gguf


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return str(make_tiny_gguf(tmp_path_factory.mktemp("bad_models") / "tiny.gguf", n_ctx=8192))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("bad_home"), SLM_MAX_QUEUE="0")  # no waiting: busy means 503
    yield srv
    assert srv.stop() == 0, srv.output()


def post(server, body, *, raw: bytes | None = None, headers=None, path="/v1/chat/completions"):
    data = raw if raw is not None else json.dumps(body).encode()
    return requests.post(server.url + path, data=data, headers={"Content-Type": "application/json", **(headers or {})},
                         timeout=120)


def assert_error(response, status, *, param=None, code=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}, body
    assert body["error"]["message"] and "\n" not in body["error"]["message"]
    if param is not None:
        assert body["error"]["param"] == param, body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def still_serving(server, tiny):
    r = post(server, {"model": tiny, "messages": [{"role": "user", "content": "ok?"}], "max_tokens": 2})
    assert r.status_code == 200, r.text
    assert r.json()["usage"]["completion_tokens"] == 2


def test_malformed_bodies(server, tiny):
    assert_error(post(server, None, raw=b"{not json"), 400, code="invalid_json")
    assert_error(post(server, None, raw=b"\xff\xfe\x00garbage"), 400, code="invalid_json")
    assert_error(post(server, None, raw=b"[1, 2]"), 400)
    assert_error(post(server, None, raw=b""), 400, code="invalid_json")
    still_serving(server, tiny)


@pytest.mark.parametrize("body, param", [
    ({"messages": [{"role": "user", "content": "hi"}]}, "model"),
    ({"model": "slm", "messages": []}, "messages"),
    ({"model": "slm", "messages": "hello"}, "messages"),
    ({"model": "slm", "messages": [{"role": "wizard", "content": "hi"}]}, "messages[0].role"),
    ({"model": "slm", "messages": [{"role": "user", "content": 42}]}, "messages[0].content"),
    ({"model": "slm", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
     "messages[0].content"),
    ({"model": "slm", "messages": [{"role": "assistant", "content": "hi"}]}, "messages[0].role"),
    ({"model": "slm", "messages": [{"role": "user", "content": "   "}]}, "messages[0].content"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}, "temperature"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "temperature": 7}, "temperature"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "top_p": 0}, "top_p"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "max_tokens": -1}, "max_tokens"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "max_tokens": True}, "max_tokens"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "seed": 1.5}, "seed"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "stop": [1]}, "stop"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}, "stream"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "keep_alive": "soon"}, "keep_alive"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "xml"}},
     "response_format.type"),
    ({"model": "slm", "messages": [{"role": "user", "content": "hi"}], "slm": {"teleport": True}}, "slm.teleport"),
])
def test_wrong_types_and_values_are_400_naming_the_field(server, body, param):
    assert_error(post(server, body), 400, param=param)


@pytest.mark.parametrize("extra, param", [
    ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools"),
    ({"n": 2}, "n"), ({"logprobs": True}, "logprobs"), ({"presence_penalty": 0.5}, "presence_penalty"),
    ({"frobnicate": 1}, "frobnicate"),
])
def test_unsupported_fields_are_400_not_500(server, tiny, extra, param):
    body = {"model": tiny, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2, **extra}
    error = assert_error(post(server, body), 400, param=param)
    assert error["code"] in ("unsupported_parameter", "unsupported_value")


def test_neutral_values_of_unsupported_fields_are_accepted(server, tiny):
    body = {"model": tiny, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2, "n": 1,
            "presence_penalty": 0, "logprobs": False, "user": "someone"}
    assert post(server, body).status_code == 200


def test_unknown_model_and_plugin_are_404_model_not_found(server):
    client = server.client()
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.body["code"] == "model_not_found"
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="slm/no-such-plugin", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="acme/repo/file.gguf", messages=[{"role": "user", "content": "hi"}])


def test_a_1mb_message_is_context_length_exceeded(server, tiny):
    huge = "word " * (1 << 18)  # 1.25 MB of text
    error = assert_error(post(server, {"model": tiny, "messages": [{"role": "user", "content": huge}]}), 400,
                         code="context_length_exceeded")
    assert "tokens" in error["message"]
    still_serving(server, tiny)


def test_a_body_over_the_limit_is_413(server, tiny):
    assert_error(post(server, None, raw=b'{"model": "slm", "messages": "' + b"x" * (9 << 20) + b'"}'), 413)
    still_serving(server, tiny)


def test_unknown_endpoint_and_method(server):
    assert_error(requests.get(server.url + "/v1/nothing", timeout=30), 404, code="not_found")
    assert_error(requests.get(server.url + "/v1/chat/completions", timeout=30), 405)


def test_busy_model_with_no_queue_is_503_with_retry_after_and_a_disconnect_frees_it(server, tiny):
    client = server.client()
    short = [{"role": "user", "content": "count"}]
    started = time.perf_counter()
    client.chat.completions.create(model=tiny, messages=short, max_tokens=32, seed=1)
    per_token_s = (time.perf_counter() - started) / 32
    stream = client.chat.completions.create(model=tiny, messages=short, max_tokens=8000, seed=1, stream=True)
    next(iter(stream))  # generating now, the model's one slot is taken
    busy = post(server, {"model": tiny, "messages": short, "max_tokens": 2})
    assert_error(busy, 503, code="queue_full")
    assert int(busy.headers["Retry-After"]) >= 1
    # another name for the same file is the same model: its one slot is taken too (no hidden wait)
    alias = Path(tiny).with_name("alias.gguf")
    if not alias.exists():
        alias.symlink_to(tiny)
    assert_error(post(server, {"model": str(alias), "messages": short, "max_tokens": 2}), 503, code="queue_full")
    assert post(server, {"model": "slm", "messages": [{"role": "user", "content": "2+2"}]}).status_code == 200
    left = time.perf_counter()
    stream.close()  # the client goes away mid-answer
    deadline = left + 30
    while time.perf_counter() < deadline:
        if post(server, {"model": tiny, "messages": short, "max_tokens": 2}).status_code == 200:
            break
        time.sleep(0.05)
    freed_after = time.perf_counter() - left
    assert freed_after < 30
    # the abandoned answer had ~8000 tokens to go: it was stopped, not finished
    assert freed_after < 8000 * per_token_s / 4, (freed_after, per_token_s)


def test_a_raw_socket_that_drops_mid_stream_frees_the_slot(server, tiny):
    body = json.dumps({"model": tiny, "messages": [{"role": "user", "content": "go"}], "max_tokens": 8000,
                       "stream": True}).encode()
    host, port = server.url.rsplit("/", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    assert b"200" in sock.recv(4096).split(b"\r\n", 1)[0]
    sock.close()
    ok = threading.Event()

    def retry():
        for _ in range(600):
            if post(server, {"model": tiny, "messages": [{"role": "user", "content": "x"}], "max_tokens": 1}
                    ).status_code == 200:
                ok.set()
                return
            time.sleep(0.05)

    worker = threading.Thread(target=retry)
    worker.start()
    worker.join(60)
    assert ok.is_set()


def test_token_required_off_loopback_and_when_given(tmp_path, tiny):
    srv = start_server(tmp_path / "auth_home", "--host", "0.0.0.0")
    try:
        assert srv.token and len(srv.token) >= 32
        assert "token (shown once" in srv.output() and srv.token in srv.output()
        url = srv.url
        assert_error(requests.get(url + "/v1/models", timeout=30), 401, code="invalid_api_key")
        assert_error(requests.get(url + "/v1/models", headers={"Authorization": "Bearer wrong"}, timeout=30), 401)
        assert_error(requests.get(url + "/v1/models", headers={"Authorization": srv.token}, timeout=30), 401)
        assert requests.get(url + "/health", timeout=30).status_code == 200  # probes need no token
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=srv.base_url, api_key="nope", max_retries=0).models.list()
        answer = srv.client().chat.completions.create(model="slm", messages=[{"role": "user", "content": "2+2"}])
        assert "4" in answer.choices[0].message.content
    finally:
        assert srv.stop() == 0
    given = start_server(tmp_path / "given_home", "--token", "a-long-enough-secret-token")
    try:
        assert given.token == "a-long-enough-secret-token"
        assert_error(requests.get(given.url + "/v1/models", timeout=30), 401)
        assert requests.get(given.url + "/v1/models", timeout=30,
                            headers={"Authorization": "Bearer a-long-enough-secret-token"}).status_code == 200
    finally:
        assert given.stop() == 0


def raw_request(server, body: dict) -> socket.socket:
    data = json.dumps(body).encode()
    host, port = server.url.rsplit("/", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
    return sock


def lane_state(server, tiny) -> dict:
    lanes = requests.get(server.url + "/slm/v1/ps", timeout=30).json()["lanes"]
    return next((v for k, v in lanes.items() if k.endswith(tiny)), {"busy": 0, "waiting": 0})


def wait_for(check, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_non_streamed_request_whose_client_leaves_stops_generating(server, tiny):
    sock = raw_request(server, {"model": tiny, "messages": [{"role": "user", "content": "go"}], "max_tokens": 8000})
    assert wait_for(lambda: lane_state(server, tiny)["busy"] == 1)
    sock.close()
    assert wait_for(lambda: lane_state(server, tiny)["busy"] == 0)
    still_serving(server, tiny)

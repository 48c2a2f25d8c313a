"""`slm ask`, `slm route`, `slm ps` through a running server; keep-alive; graceful SIGTERM."""
from __future__ import annotations

import json
import subprocess
import threading
import time

import pytest
import requests
from server_fixtures import SLM, cost_shape, served_count, start_server
from tinymodels import make_tiny_gguf


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli_models")
    return str(make_tiny_gguf(folder / "one.gguf", seed=1)), str(make_tiny_gguf(folder / "two.gguf", seed=2))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("cli_home"))
    yield srv
    assert srv.stop() == 0, srv.output()


def slm(server, *args, input=None, **env):
    return subprocess.run([*SLM, *map(str, args)], input=input, capture_output=True, text=True, timeout=120,
                          env={**server.env, **env}, check=False)


@pytest.mark.parametrize("args", [
    ["what is 15% of 80"],
    ["what is 15% of 80", "--json"],
    ["-", "--plugin", "calc"],
    ["hello", "--model", "{one}", "--max-tokens", "6", "--seed", "3"],
    ["hello", "--model", "{one}", "--max-tokens", "5", "--seed", "3", "--json"],
    ["hello", "--model", "no-such-model"],
    ["   "],
])
def test_ask_through_the_server_prints_what_in_process_prints(server, models, args):
    args = [a.replace("{one}", models[0]) for a in args]
    stdin = "12 * 12\n" if "-" in args else None
    before = served_count(server)
    via = slm(server, "ask", *args, input=stdin)
    went_through = served_count(server) - before
    local = slm(server, "ask", *args, "--no-server", input=stdin)
    assert served_count(server) - before == went_through  # --no-server never reached the server
    assert via.returncode == local.returncode
    if "--json" in args:
        a, b = json.loads(via.stdout), json.loads(local.stdout)
        for d in (a, b):
            d.pop("timings"), d.pop("energy")
        assert a == b
    else:
        assert via.stdout == local.stdout
        assert [cost_shape(x) for x in via.stderr.splitlines()] == [cost_shape(x) for x in local.stderr.splitlines()]
    if via.returncode == 0 or "no-such-model" in args:
        assert went_through == 1  # the answer (or the typed error) came from the server
    if via.returncode:
        assert via.stderr.startswith("error: ") and "Traceback" not in via.stderr


def test_ask_with_an_adapter_through_the_server_and_relative_files_in_process(server, models, tmp_path):
    from tinymodels import make_lora_gguf

    adapter = make_lora_gguf(tmp_path / "tone.gguf", models[0], seed=1)
    args = ["hello", "--model", models[0], "--adapter", f"{adapter}:0.5", "--max-tokens", "6", "--seed", "3"]
    assert slm(server, "ask", "hello", "--model", models[0], "--max-tokens", "2").returncode == 0

    def row():
        return next(m for m in requests.get(server.url + "/slm/v1/ps", timeout=30).json()["models"]
                    if m["path"] == models[0])

    bare = row()
    before = served_count(server)
    via = slm(server, "ask", *args, "--json")
    assert via.returncode == 0, via.stderr
    assert served_count(server) - before == 1  # an absolute adapter path goes to the server
    # the base counts once; the adapter loaded into it adds its own size (slm ps shows both)
    with_adapter = row()
    assert [a["adapter"] for a in with_adapter["adapters"]] == [str(adapter)] and bare["adapters"] == []
    assert with_adapter["ram_bytes"] == bare["ram_bytes"] + with_adapter["adapters"][0]["size_bytes"]
    assert "one.gguf + 1 adapter" in slm(server, "ps").stdout
    local = slm(server, "ask", *args, "--json", "--no-server")
    a, b = json.loads(via.stdout), json.loads(local.stdout)
    for d in (a, b):
        d.pop("timings"), d.pop("energy")
    assert a == b and a["adapters"] == [{"adapter": str(adapter), "scale": 0.5}]
    # a file named relative to the caller's directory would be looked up in the server's: in-process
    before = served_count(server)
    rel = subprocess.run([*SLM, "ask", "hello", "--model", models[0], "--adapter", "tone.gguf:0.5", "--max-tokens", "6",
                          "--seed", "3", "--json"], capture_output=True, text=True, timeout=120,
                         env=server.env, cwd=tmp_path, check=False)
    assert rel.returncode == 0, rel.stderr
    assert served_count(server) - before == 0
    assert json.loads(rel.stdout)["text"] == a["text"]


def test_route_through_the_server_is_the_same(server):
    for extra in ([], ["--json"]):
        via = slm(server, "route", "what is 15% of 80", *extra)
        local = slm(server, "route", "what is 15% of 80", *extra, "--no-server")
        assert via.returncode == local.returncode == 0 and via.stdout == local.stdout
    lines = "recap my visit notes\nwhat is 3 + 4\nwrite an email to Ana\n"
    via = slm(server, "route", "--file", "-", "--json", input=lines)
    local = slm(server, "route", "--file", "-", "--json", "--no-server", input=lines)
    assert via.stdout == local.stdout and len(via.stdout.splitlines()) == 3


def test_a_client_with_other_settings_answers_in_process(server, models):
    before = served_count(server)
    proc = slm(server, "ask", "what is 15% of 80", SLM_PLUGIN_NOTES_MODEL="other-model")
    assert proc.returncode == 0 and served_count(server) == before
    proc = slm(server, "ask", "what is 15% of 80", SLM_USE_SERVER="0")
    assert proc.returncode == 0 and served_count(server) == before


def test_ps_lists_loaded_models_and_keep_alive(server, models):
    client = server.client()
    one, two = models
    client.chat.completions.create(model=one, messages=[{"role": "user", "content": "a"}], max_tokens=1)
    client.chat.completions.create(model=two, messages=[{"role": "user", "content": "b"}], max_tokens=1,
                                   extra_body={"keep_alive": -1})
    proc = slm(server, "ps")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()[1:]}
    assert "forever" in rows["two.gguf"] and "min" in rows["one.gguf"] and "0/1 busy" in rows["one.gguf"]
    data = json.loads(slm(server, "ps", "--json").stdout)
    by_name = {m["name"]: m for m in data["models"]}
    assert by_name["two.gguf"]["expires_in_s"] is None and 0 < by_name["one.gguf"]["expires_in_s"] <= 300
    # keep_alive 0: unloaded as soon as the answer is done
    client.chat.completions.create(model=one, messages=[{"role": "user", "content": "a"}], max_tokens=1,
                                   extra_body={"keep_alive": 0})
    names = {m["name"] for m in json.loads(slm(server, "ps", "--json").stdout)["models"]}
    assert names == {"two.gguf"}
    # a short keep-alive expires on its own
    client.chat.completions.create(model=one, messages=[{"role": "user", "content": "a"}], max_tokens=1,
                                   extra_body={"keep_alive": "1s"})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        names = {m["name"] for m in json.loads(slm(server, "ps", "--json").stdout)["models"]}
        if names == {"two.gguf"}:
            break
        time.sleep(0.3)
    assert names == {"two.gguf"}
    # a request without keep_alive puts "two" back on the default: -1 does not stick for ever
    client.chat.completions.create(model=two, messages=[{"role": "user", "content": "b"}], max_tokens=1)
    by_name = {m["name"]: m for m in json.loads(slm(server, "ps", "--json").stdout)["models"]}
    assert by_name["two.gguf"]["expires_in_s"] is not None and 0 < by_name["two.gguf"]["expires_in_s"] <= 300


def test_two_models_stay_loaded_within_the_ram_budget(tmp_path, models):
    one, two = models
    srv = start_server(tmp_path / "budget_home", SLM_MAX_LOADED_MODELS="4")
    try:
        client = srv.client()
        for model in (one, two, one, two):
            answer = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}],
                                                    max_tokens=1)
        assert answer.model_extra["slm"]["timings"]["load_ms"] == 0.0  # no reload when alternating
        loaded = requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["models"]
        assert {m["name"] for m in loaded} == {"one.gguf", "two.gguf"}
        one_bytes = loaded[0]["ram_bytes"]
    finally:
        assert srv.stop() == 0
    # a budget that holds one of them: the least recently used goes
    srv = start_server(tmp_path / "small_budget_home", SLM_MAX_LOADED_MODELS="4",
                       SLM_MAX_LOADED_RAM_MB=str(int(one_bytes * 1.5) >> 20))
    try:
        client = srv.client()
        for model in (one, two):
            client.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}], max_tokens=1)
        loaded = requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["models"]
        assert [m["name"] for m in loaded] == ["two.gguf"]
    finally:
        assert srv.stop() == 0


def test_sigterm_finishes_in_flight_and_queued_requests_then_exits_0(tmp_path, models):
    one, _two = models
    srv = start_server(tmp_path / "term_home")
    client = srv.client()
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            stream = client.chat.completions.create(model=one, messages=[{"role": "user", "content": "go"}],
                                                    max_tokens=40, seed=i, stream=True)
            chunks = list(stream)
            assert chunks[-1].choices[0].finish_reason == "length"
            results[i] = "".join(c.choices[0].delta.content or "" for c in chunks)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(3)]  # one running, two queued
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lanes = requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["lanes"]
        if sum(lane["busy"] + lane["waiting"] for lane in lanes.values()) == 3:
            break
        time.sleep(0.02)
    assert srv.stop(timeout=120) == 0, srv.output()
    for t in threads:
        t.join(60)
    assert not errors and len(results) == 3
    assert not (srv.home / "server.json").exists()
    # with the server gone, slm ask answers in-process
    proc = slm(srv, "ask", "what is 15% of 80")
    assert proc.returncode == 0 and proc.stdout.startswith("15% of 80 = 12")


def test_a_client_that_leaves_the_queue_gives_up_its_place(tmp_path):
    import socket

    # The holder must keep its slot while the test looks: 400 tokens of the 512-token model
    # take 0.2 s and fit in the socket buffers, so it could finish before the queue is read.
    # 20000 tokens take many seconds, and the test closes the holder once done with it.
    long = str(make_tiny_gguf(tmp_path / "long.gguf", n_ctx=32768, seed=3))
    srv = start_server(tmp_path / "queue_home")
    try:
        holder = srv.client().chat.completions.create(model=long, messages=[{"role": "user", "content": "go"}],
                                                      max_tokens=20000, stream=True)
        next(iter(holder))
        data = json.dumps({"model": long, "messages": [{"role": "user", "content": "x"}], "max_tokens": 2}).encode()
        host, port = srv.url.rsplit("/", 1)[1].split(":")
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)

        def waiting() -> int:
            lanes = requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["lanes"]
            return sum(lane["waiting"] for lane in lanes.values())

        deadline = time.monotonic() + 30
        while waiting() != 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting() == 1
        sock.close()
        deadline = time.monotonic() + 30
        while waiting() != 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting() == 0
        holder.close()
    finally:
        assert srv.stop() == 0


def test_keep_alive_0_unloads_what_slm_ask_loaded(tmp_path, models):
    srv = start_server(tmp_path / "home", SLM_KEEP_ALIVE="0")
    try:
        before = served_count(srv)
        proc = slm(srv, "ask", "hello", "--model", models[0], "--max-tokens", "2")
        assert proc.returncode == 0, proc.stderr
        assert served_count(srv) == before + 1  # it went through the server
        deadline = time.monotonic() + 10
        while requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["models"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["models"] == []
    finally:
        assert srv.stop() == 0, srv.output()

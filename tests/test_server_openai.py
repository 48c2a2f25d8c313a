"""`slm serve` driven by the official openai client, on a tiny generated GGUF.

One real server (a subprocess on a free loopback port) serves the module; the
client talks to it exactly as an app would.
"""
from __future__ import annotations

import json

import jsonschema
import openai
import pytest
import requests
from server_fixtures import start_server
from slm import requestlog
from slm.config import load_settings
from slm.energy import EnergyHistory
from tinymodels import make_tiny_gguf

SLM_KEYS = {"model", "where", "timings", "plugin", "data", "route", "energy", "offload_reason", "queue_id",
            "redaction", "adapters"}
SCHEMA = {"type": "object", "properties": {"color": {"enum": ["red", "green", "blue"]}, "ok": {"type": "boolean"}},
          "required": ["color", "ok"], "additionalProperties": False}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return str(make_tiny_gguf(tmp_path_factory.mktemp("server_models") / "tiny.gguf", n_ctx=2048))


@pytest.fixture(scope="module")
def server(tmp_path_factory, tiny):
    srv = start_server(tmp_path_factory.mktemp("server_home"))
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.fixture(scope="module")
def client(server):
    return server.client()


def test_chat_answers_with_usage_and_the_slm_object(client, tiny):
    answer = client.chat.completions.create(model=tiny, messages=[{"role": "user", "content": "hello there"}],
                                            max_tokens=6, seed=4, temperature=0.5)
    choice = answer.choices[0]
    assert answer.object == "chat.completion" and answer.id.startswith("chatcmpl-")
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason == "length"
    assert answer.usage.completion_tokens == 6 and answer.usage.prompt_tokens > 0
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + 6
    ext = answer.model_extra["slm"]
    assert set(ext) == SLM_KEYS
    assert ext["where"] == "local" and ext["model"] == tiny and ext["plugin"] is None
    assert ext["energy"]["joules"] > 0
    again = client.chat.completions.create(model=tiny, messages=[{"role": "user", "content": "hello there"}],
                                           max_tokens=6, seed=4, temperature=0.5)
    assert again.choices[0].message.content == choice.message.content  # the seed reaches the sampler


def test_max_completion_tokens_stop_and_conversation(client, tiny):
    history = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"},
               {"role": "assistant", "content": "hello"}, {"role": "user", "content": "more please"}]
    full = client.chat.completions.create(model=tiny, messages=history, max_completion_tokens=12, seed=9)
    single = client.chat.completions.create(model=tiny, messages=history[-1:], max_completion_tokens=12, seed=9)
    assert full.usage.prompt_tokens > single.usage.prompt_tokens  # the whole conversation reached the model
    text = full.choices[0].message.content
    words = [w for w in text.split() if len(w) > 2 and "\ufffd" not in w]
    stop = words[len(words) // 2]
    cut = client.chat.completions.create(model=tiny, messages=history, max_completion_tokens=12, seed=9, stop=[stop])
    assert cut.choices[0].message.content == text[:text.index(stop)]
    assert cut.choices[0].finish_reason == "stop"


def test_stream_matches_the_plain_answer_and_ends_with_usage(client, tiny):
    messages = [{"role": "user", "content": "tell me something"}]
    plain = client.chat.completions.create(model=tiny, messages=messages, max_tokens=10, seed=2)
    chunks = list(client.chat.completions.create(model=tiny, messages=messages, max_tokens=10, seed=2, stream=True,
                                                 stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason]
    assert len(finals) == 1 and finals[0].choices[0].finish_reason == "length"
    assert set(finals[0].model_extra["slm"]) == SLM_KEYS
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 10
    assert chunks[-1].usage.prompt_tokens == plain.usage.prompt_tokens
    no_usage = list(client.chat.completions.create(model=tiny, messages=messages, max_tokens=3, stream=True))
    assert all(c.usage is None for c in no_usage) and no_usage[-1].choices[0].finish_reason


def test_json_schema_answer_is_valid_against_its_schema(client, tiny):
    for seed in (1, 2, 3):
        answer = client.chat.completions.create(
            model=tiny, messages=[{"role": "user", "content": "pick a color"}], max_tokens=48, seed=seed,
            response_format={"type": "json_schema", "json_schema": {"name": "pick", "schema": SCHEMA}})
        jsonschema.validate(json.loads(answer.choices[0].message.content), SCHEMA)
    obj = client.chat.completions.create(model=tiny, messages=[{"role": "user", "content": "json please"}],
                                         max_tokens=64, seed=5, response_format={"type": "json_object"})
    text = obj.choices[0].message.content
    assert text.lstrip().startswith("{")
    if obj.choices[0].finish_reason == "stop":  # a random model may run out of tokens mid-object
        assert isinstance(json.loads(text), dict)


def test_pipeline_routes_through_model_slm(client):
    answer = client.chat.completions.create(model="slm", messages=[{"role": "user", "content": "what is 15% of 80"}])
    assert answer.choices[0].message.content.startswith("15% of 80 = 12")
    ext = answer.model_extra["slm"]
    assert ext["plugin"] == "calc" and ext["route"]["plugin"] == "calc" and ext["where"] == "local"
    assert ext["data"]["result"] == "12"
    auto = client.chat.completions.create(model="auto", messages=[{"role": "user", "content": "what is 15% of 80"}])
    assert auto.model_extra["slm"]["plugin"] == "calc"
    direct = client.chat.completions.create(model="slm/calc", messages=[{"role": "user", "content": "12 * 12"}])
    assert direct.choices[0].message.content.startswith("12 * 12 = 144\n")
    assert direct.model_extra["slm"]["route"] is None and direct.model_extra["slm"]["plugin"] == "calc"
    streamed = list(client.chat.completions.create(model="slm", stream=True,
                                                   messages=[{"role": "user", "content": "what is 15% of 80"}]))
    assert "".join(c.choices[0].delta.content or "" for c in streamed).startswith("15% of 80 = 12")


def test_models_list_and_retrieve(client, tiny):
    ids = [m.id for m in client.models.list()]
    assert ids[0] == "slm"
    assert {"slm/calc", "slm/notes", "slm/email", "slm/extract", "slm/kb"} <= set(ids)
    assert client.models.retrieve("slm/calc").id == "slm/calc"
    assert client.models.retrieve(tiny).id == tiny  # a path: resolvable, so it exists here
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("no-such-model")
    assert caught.value.body["code"] == "model_not_found"


def test_every_answer_is_logged_and_metered(server, client, tiny):
    settings = load_settings(env={"SLM_HOME": str(server.home)})
    before = len(requestlog.read(settings.logs_dir))
    rows_before = EnergyHistory(settings).query("SELECT COUNT(*) FROM energy")[0][0]
    client.chat.completions.create(model=tiny, messages=[{"role": "user", "content": "x"}], max_tokens=2)
    list(client.chat.completions.create(model="slm", messages=[{"role": "user", "content": "2+2"}], stream=True))
    assert len(requestlog.read(settings.logs_dir)) == before + 2
    assert EnergyHistory(settings).query("SELECT COUNT(*) FROM energy")[0][0] == rows_before + 2
    metrics = requests.get(server.url + "/metrics", timeout=30).text
    assert 'slm_requests_total{endpoint="/v1/chat/completions",status="200"}' in metrics
    assert "slm_energy_joules_total{" in metrics and "slm_loaded_models 1" in metrics
    completion = [line for line in metrics.splitlines() if line.startswith('slm_tokens_total{kind="completion"}')]
    assert completion and int(completion[0].split()[-1]) >= 2
    health = requests.get(server.url + "/health", timeout=30).json()
    assert health["status"] == "ok" and health["loaded_models"] == 1

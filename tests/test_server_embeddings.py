"""POST /v1/embeddings: absent encoder -> 404 naming the pull; pulled encoder -> normalised vectors.

The encoder is a small random ONNX graph with all-MiniLM-L6-v2's signature
(input_ids, attention_mask, token_type_ids -> last_hidden_state), pulled through
the real store path (`slm models pull all-minilm-l6-v2`) from the local
hub-compatible server, so the server finds it exactly where a user's would be.
"""
from __future__ import annotations

import base64
import subprocess

import numpy as np
import openai
import pytest
import requests
from hubserver import HubServer
from server_fixtures import SLM, server_env, start_server
from slm.server.embeddings import WordPieceIds

DIMS = 16


def tiny_encoder(path, seed=0):
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    words = rng.standard_normal((30522, DIMS)).astype(np.float32)
    types = rng.standard_normal((2, DIMS)).astype(np.float32)
    nodes = [helper.make_node("Gather", ["W", "input_ids"], ["w"]),
             helper.make_node("Gather", ["T", "token_type_ids"], ["t"]),
             helper.make_node("Add", ["w", "t"], ["wt"]),
             helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
             helper.make_node("Unsqueeze", ["m", "axis"], ["m3"]),
             helper.make_node("Mul", ["wt", "m3"], ["last_hidden_state"])]
    ints = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "tokens"])
            for n in ("input_ids", "attention_mask", "token_type_ids")]
    graph = helper.make_graph(nodes, "tiny_encoder", ints,
                              [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                                             ["batch", "tokens", DIMS])],
                              initializer=[numpy_helper.from_array(words, "W"), numpy_helper.from_array(types, "T"),
                                           numpy_helper.from_array(np.array([2], dtype=np.int64), "axis")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path.write_bytes(model.SerializeToString())
    return words + types[0]


def expected(words, text):
    ids = WordPieceIds().encode(text)
    v = words[ids].mean(axis=0)
    return v / np.linalg.norm(v)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("encoder")
    words = tiny_encoder(folder / "model.onnx")
    home = tmp_path_factory.mktemp("embed_home")
    hub = HubServer()
    hub.add_file("sentence-transformers/all-MiniLM-L6-v2", "onnx/model.onnx", (folder / "model.onnx").read_bytes())
    hub.start()
    try:
        srv = start_server(home)  # started before the pull: the server sees a model installed later
        pulled = subprocess.run([*SLM, "models", "pull", "all-minilm-l6-v2"], capture_output=True, text=True,
                                timeout=300, env=server_env(home, HF_ENDPOINT=hub.url), check=False)
    finally:
        hub.stop()
    yield srv, words, pulled
    assert srv.stop() == 0, srv.output()


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("bare_home"))
    yield srv
    assert srv.stop() == 0


def test_absent_encoder_is_404_naming_the_pull(bare):
    with pytest.raises(openai.NotFoundError) as caught:
        bare.client().embeddings.create(model="all-minilm-l6-v2", input="hello")
    assert "slm models pull all-minilm-l6-v2" in caught.value.body["message"]
    assert caught.value.body["code"] == "model_not_found"


def test_embeddings_are_the_encoders_mean_pooled_vectors(server):
    srv, words, pulled = server
    assert pulled.returncode == 0, pulled.stderr
    texts = ["The cooler at Northfield Dairy is broken", "hello"]
    answer = srv.client().embeddings.create(model="all-minilm-l6-v2", input=texts, encoding_format="float")
    assert [d.index for d in answer.data] == [0, 1]
    for text, item in zip(texts, answer.data):
        got = np.array(item.embedding, dtype=np.float32)
        assert got.shape == (DIMS,) and abs(np.linalg.norm(got) - 1) < 1e-5
        np.testing.assert_allclose(got, expected(words, text), atol=1e-5)
    assert answer.usage.prompt_tokens == sum(len(WordPieceIds().encode(t)) for t in texts)
    raw = requests.post(srv.url + "/v1/embeddings", json={"model": "all-minilm-l6-v2", "input": "hello",
                                                           "encoding_format": "base64"}, timeout=60).json()
    decoded = np.frombuffer(base64.b64decode(raw["data"][0]["embedding"]), dtype=np.float32)
    np.testing.assert_allclose(decoded, answer.data[1].embedding, atol=1e-6)


@pytest.mark.parametrize("body, status", [
    ({"model": "all-minilm-l6-v2", "input": []}, 400),
    ({"model": "all-minilm-l6-v2", "input": [1, 2, 3]}, 400),
    ({"model": "all-minilm-l6-v2", "input": ""}, 400),
    ({"model": "all-minilm-l6-v2", "input": "x", "dimensions": 8}, 400),
    ({"input": "x"}, 400),
])
def test_bad_embedding_requests(server, body, status):
    srv = server[0]
    r = requests.post(srv.url + "/v1/embeddings", json=body, timeout=60)
    assert r.status_code == status and set(r.json()["error"]) == {"message", "type", "param", "code"}


def test_the_token_ids_are_bert_base_uncased(server):
    ids = WordPieceIds()
    # fixed points of bert-base-uncased's vocabulary (the encoder's own ids)
    assert ids.encode("") == [101, 102]
    assert ids.encode("!")[1] == 999 and ids.encode("the")[1] == 1996 and ids.encode("hello")[1] == 7592

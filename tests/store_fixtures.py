"""Fixtures for the model store tests: ``from store_fixtures import *`` in a test module.

* ``hub``: a HubServer on 127.0.0.1 with HF_ENDPOINT pointing at it (through
  the environment, as a user would set it; config.py reads it).
* ``small_gguf`` / ``big_gguf``: real GGUFs from tinymodels (written once per
  session). ``big_gguf`` is > 10 MiB: huggingface_hub writes downloads in 10 MiB
  chunks, so resume tests need a file that spans more than one.
* ``store``: a ModelStore over the test's SLM_HOME with the current settings.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hubserver import HubServer
from tinymodels import make_tiny_gguf, make_tiny_onnx

SMALL_SPEC = "test-org/Tiny-GGUF/tiny-q8_0.gguf"
BIG_SPEC = "test-org/Big-GGUF/big-f32.gguf"
ONNX_SPEC = "test-org/Tiny-ONNX/onnx/model.onnx"
CHUNK = 10 * 1024 * 1024  # huggingface_hub.constants.DOWNLOAD_CHUNK_SIZE


@pytest.fixture(scope="session")
def small_gguf(tmp_path_factory) -> Path:
    return make_tiny_gguf(tmp_path_factory.mktemp("store_models") / "small.gguf")


@pytest.fixture(scope="session")
def big_gguf(tmp_path_factory) -> Path:
    path = make_tiny_gguf(tmp_path_factory.mktemp("store_models") / "big.gguf", n_layer=4, n_embd=256, n_head=4,
                          n_ff=1024, name="slm-big")
    assert path.stat().st_size > 1.5 * CHUNK
    return path


@pytest.fixture(scope="session")
def small_onnx(tmp_path_factory) -> Path:
    return make_tiny_onnx(tmp_path_factory.mktemp("store_models") / "model.onnx")


def split(spec: str) -> tuple[str, str]:
    org, repo, filename = spec.split("/", 2)
    return f"{org}/{repo}", filename


@pytest.fixture
def hub(monkeypatch, small_gguf, big_gguf, small_onnx):
    server = HubServer()
    server.add_file(*split(SMALL_SPEC), small_gguf.read_bytes())
    server.add_file(*split(BIG_SPEC), big_gguf.read_bytes())
    server.add_file(*split(ONNX_SPEC), small_onnx.read_bytes())
    server.start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    yield server
    server.stop()


def make_store(**kwargs):
    from slm.config import load_settings
    from slm.store.model_store import ModelStore

    return ModelStore(load_settings(), **kwargs)


@pytest.fixture
def store(hub):
    return make_store()


def write_user_catalog(home: Path, text: str) -> None:
    (home / "catalog.toml").write_text(text, encoding="utf-8")


def write_tiny_chat_catalog(home: Path, spec: str = SMALL_SPEC, *, extra: str = "") -> None:
    """A user catalog with one model, ``tiny-chat``, whose only variant (q8_0) is ``spec``.

    ``extra`` adds lines to the variant (e.g. a revision and sha256).
    """
    repo, filename = split(spec)
    write_user_catalog(home, f"""
[models.tiny-chat]
format = "gguf"
[[models.tiny-chat.variants]]
quant = "q8_0"
repo = "{repo}"
file = "{filename}"
{extra}""")

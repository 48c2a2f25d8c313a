"""Session-scoped tiny models for tests: ``from model_fixtures import tiny_gguf, tiny_onnx``.

Import the fixtures into a test module (or a conftest) to use them. Each model
is written once per test session; tests must not modify the files.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tinymodels import make_tiny_gguf, make_tiny_onnx


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    return make_tiny_gguf(tmp_path_factory.mktemp("tiny_models") / "tiny.gguf")


@pytest.fixture(scope="session")
def tiny_onnx(tmp_path_factory) -> Path:
    return make_tiny_onnx(tmp_path_factory.mktemp("tiny_models") / "tiny.onnx")

"""Fixtures for the notes/email/extract plugin tests: ``from crm_plugin_fixtures import crm_model, run``.

The plugins run through the real PluginHost (``slm.testing.run_plugin``, the
same path as ``slm ask --plugin``) on a tiny random-weight GGUF. Its text is
gibberish that keeps writing until a string or list bound: so the model gets a
4096-token context and the plugins a generous answer budget, and the tests
assert structure (schemas, keys, chunk counts, retries), never prose.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tinymodels import make_tiny_gguf

ANSWER_TOKENS = 1800  # gibberish fills bounded schemas up to ~1200 tokens


@pytest.fixture(scope="session")
def crm_model(tmp_path_factory) -> Path:
    return make_tiny_gguf(tmp_path_factory.mktemp("crm_models") / "crm-tiny.gguf", n_ctx=4096, seed=3)


def run(plugin: str, prompt: str, model: Path, home: Path, *, config: dict[str, Any] | None = None,
        options: dict[str, Any] | None = None, emit=None):
    from slm import testing

    return testing.run_plugin(plugin, prompt, model=model, home=home, options=options, emit=emit,
                              config={"max_tokens": ANSWER_TOKENS, **(config or {})})

"""Fixtures for the notes/email/extract plugin tests: ``from crm_plugin_fixtures import crm_model, run``.

The plugins run through the real PluginHost (``slm.testing.run_plugin``, the
same path as ``slm ask --plugin``) on a tiny random-weight GGUF. Its text is
gibberish that keeps writing until a string or list bound: so the model gets an
8192-token context and the plugins a generous answer budget, and the tests
assert structure (schemas, keys, chunk counts, retries), never prose.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tinymodels import make_tiny_gguf

ANSWER_TOKENS = 4000  # gibberish often fills bounded schemas to ~1200 tokens; leave room for the worst case
CONTEXT = 8192


@pytest.fixture(scope="session")
def crm_model(tmp_path_factory) -> Path:
    return make_tiny_gguf(tmp_path_factory.mktemp("crm_models") / "crm-tiny.gguf", n_ctx=CONTEXT, seed=3)


def run(plugin: str, prompt: str, model: Path, home: Path, *, config: dict[str, Any] | None = None,
        options: dict[str, Any] | None = None, emit=None, **settings_overrides: Any):
    """One request through the real PluginHost, the built-in found by its entry point."""
    from slm import testing
    from slm.api import Runtime
    from slm.host.host import PluginHost
    from slm.plugins.sdk import Request

    settings_overrides.setdefault("n_ctx", CONTEXT)
    settings = testing.settings_for(home, config={"max_tokens": ANSWER_TOKENS, **(config or {})}, plugin=plugin,
                                    plugin_timeout_s=300.0, **settings_overrides)
    with Runtime(settings) as runtime:
        return PluginHost(settings, runtime).run(plugin, Request(prompt, {"model": str(model), **(options or {})}),
                                                 emit=emit or (lambda _t: None))


def check_metadata(name: str, home: Path) -> None:
    """The built-in is discovered through its entry point, healthy, and declares what CRM data needs."""
    from slm import testing
    from slm.host.host import PluginHost

    host = PluginHost(testing.settings_for(home))
    info = host.get_info(name)
    assert host.status()[name] is None
    assert info.entry_point == f"slm.plugins.{name}:plugin"
    assert info.permissions.offload == "redact" and info.permissions.network is False
    assert info.sensitivity == "confidential"
    assert info.model and 10 <= len(info.examples) <= 50
    assert name in host.route_examples()

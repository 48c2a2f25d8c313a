"""Offload paths the README promises, each driven end to end with a cloud configured.

The "cloud" is llama_cpp.server behind the recording proxy (tests/cloud_fixtures.py): what the
tests check is what actually reached it.
"""
from __future__ import annotations

import pytest

import slm
from slm.config import load_settings
from slm.energy import EnergyHistory

pytest_plugins = ("cloud_fixtures", "model_fixtures")


@pytest.fixture
def cloud(proxy, monkeypatch):
    monkeypatch.setenv("SLM_CLOUD_BASE_URL", proxy.url)
    monkeypatch.setenv("SLM_CLOUD_MODEL", "tiny-cloud")
    return proxy


def _seed_history(model: str, joules_per_token: float) -> None:
    history = EnergyHistory(load_settings())
    for _ in range(5):
        history.record(model, joules_per_token * 100, 100, "local", method="measured", source="rapl")


def test_predicted_energy_over_budget_goes_to_the_cloud(cloud, tiny_gguf, monkeypatch):
    model = str(tiny_gguf)
    _seed_history(model, joules_per_token=5.0)  # 5 J a token: a 16-token answer is predicted at 80 J
    monkeypatch.setenv("SLM_ENERGY_BUDGET_J", "10")
    with slm.Runtime() as rt:
        result = rt.ask("write me a short line of text", model=model, max_tokens=16)
    assert result.where == "cloud" and "predicted energy" in result.offload_reason
    assert "write me a short line" in str(cloud.requests[-1]["body"])


def test_within_budget_stays_local(cloud, tiny_gguf, monkeypatch):
    model = str(tiny_gguf)
    _seed_history(model, joules_per_token=0.001)
    monkeypatch.setenv("SLM_ENERGY_BUDGET_J", "10")
    with slm.Runtime() as rt:
        result = rt.ask("write me a short line of text", model=model, max_tokens=16)
    assert result.where == "local" and cloud.requests == []


def test_a_prompt_over_the_models_context_goes_to_the_cloud_redacted(cloud, tiny_gguf, monkeypatch):
    # ~120 tokens: over a 64-token local context, inside the test cloud's 512
    long_prompt = "please summarise: " + "the pump failed again " * 10 + " contact jane.doe@acme.com"
    monkeypatch.setenv("SLM_N_CTX", "64")
    with slm.Runtime() as rt:
        result = rt.ask(long_prompt, model=str(tiny_gguf), max_tokens=8)
    assert result.where == "cloud" and "holds 64" in result.offload_reason
    wire = str(cloud.requests[-1]["body"])
    assert "jane.doe@acme.com" not in wire and "[EMAIL_1]" in wire and result.redaction.startswith("applied")


def test_a_config_file_value_takes_effect_and_the_environment_overrides_it(cloud, tiny_gguf, slm_home,
                                                                             monkeypatch):
    model = str(tiny_gguf)
    _seed_history(model, joules_per_token=5.0)
    (slm_home / "config.toml").write_text("[offload]\nenergy_budget_j = 10\n")
    assert load_settings().energy_budget_j == 10
    with slm.Runtime() as rt:
        assert rt.ask("write me a short line of text", model=model, max_tokens=16).where == "cloud"
    monkeypatch.setenv("SLM_ENERGY_BUDGET_J", "1000000")  # the environment beats the file
    assert load_settings().energy_budget_j == 1_000_000
    before = len(cloud.requests)
    with slm.Runtime() as rt:
        assert rt.ask("write me a short line of text", model=model, max_tokens=16).where == "local"
    assert len(cloud.requests) == before

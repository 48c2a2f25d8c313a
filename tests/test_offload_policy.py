"""The local/cloud policy: each rule fires on its condition, and only when allowed."""
from __future__ import annotations

import logging

import pytest
from slm.config import load_settings
from slm.errors import OffloadRefusedError, UsageError
from slm.offload.policy import OffloadFacts, decide

CLOUD = {"SLM_CLOUD_BASE_URL": "http://127.0.0.1:9/v1"}


def settings(**env):
    return load_settings(env={"SLM_HOME": "/nonexistent-slm-home", **CLOUD, **env})


def facts(**kw) -> OffloadFacts:
    base = dict(plugin="notes", permission="allowed", routed_none=False, general_model_present=True,
                model_present=True, prompt_tokens=100, n_ctx=2048, expected_output_tokens=256,
                free_memory_bytes=8_000_000_000, model_memory_bytes=1_000_000_000, on_battery=False,
                battery_percent=90.0, predicted_joules=5.0, local_failure=None, local_only=False, force_cloud=False)
    base.update(kw)
    return OffloadFacts(**base)


def test_local_when_nothing_argues_for_the_cloud(caplog):
    caplog.set_level(logging.INFO, logger="slm.offload")
    d = decide(facts(), settings(SLM_ENERGY_BUDGET_J="100"))
    assert (d.where, d.reason) == ("local", None)
    assert "device can answer" in d.log and d.log in caplog.text


# each rule: (facts that trigger it, rule name, words the reason must contain)
RULES = [
    (dict(routed_none=True, general_model_present=False, plugin=None), "no_plugin", "no plugin fits"),
    (dict(model_present=False), "model_missing", "not on this device"),
    (dict(prompt_tokens=1900, n_ctx=2048, expected_output_tokens=256), "context", "exceeds the local context"),
    (dict(free_memory_bytes=500_000_000, model_memory_bytes=1_000_000_000), "memory", "not enough free memory"),
    (dict(on_battery=True, battery_percent=12.0), "battery", "on battery at 12%"),
    (dict(predicted_joules=250.0), "energy", "exceeds the budget"),
    (dict(local_failure="extract JSON did not validate"), "local_failure", "did not validate"),
]


@pytest.mark.parametrize("kw,rule,words", RULES, ids=[r[1] for r in RULES])
def test_each_rule_offloads_on_its_condition(kw, rule, words):
    s = settings(SLM_ENERGY_BUDGET_J="100", SLM_BATTERY_MIN_PERCENT="20")
    d = decide(facts(**kw), s)
    assert d.where == "cloud" and d.rule == rule
    assert words in d.reason and rule in d.log


@pytest.mark.parametrize("kw", [
    dict(routed_none=True, general_model_present=True),          # a general model can answer
    dict(prompt_tokens=1700, n_ctx=2048, expected_output_tokens=256),  # fits exactly enough
    dict(free_memory_bytes=1_000_000_000, model_memory_bytes=1_000_000_000),
    dict(on_battery=True, battery_percent=25.0),                 # above the threshold
    dict(on_battery=False, battery_percent=5.0),                 # plugged in
    dict(predicted_joules=99.0),
    dict(model_present=None, prompt_tokens=None, free_memory_bytes=None, on_battery=None, predicted_joules=None),
])
def test_near_misses_stay_local(kw):
    d = decide(facts(**kw), settings(SLM_ENERGY_BUDGET_J="100", SLM_BATTERY_MIN_PERCENT="20"))
    assert d.where == "local", d.log


def test_energy_rule_needs_a_budget():
    assert decide(facts(predicted_joules=1e6), settings()).where == "local"


def test_local_only_refuses_when_the_device_cannot_answer():
    with pytest.raises(OffloadRefusedError) as err:
        decide(facts(model_present=False, local_only=True), settings())
    line = err.value.one_line()
    assert "cannot answer" in line and "--local-only" in line and "\n" not in line


def test_local_only_keeps_soft_rules_local_and_says_why():
    d = decide(facts(on_battery=True, battery_percent=5.0, local_only=True), settings())
    assert d.where == "local" and d.rule == "battery" and "--local-only" in d.log


def test_force_cloud_offloads_even_when_local_could_answer():
    d = decide(facts(force_cloud=True), settings())
    assert (d.where, d.rule) == ("cloud", "forced") and "--cloud" in d.reason


@pytest.mark.parametrize("kw", [dict(force_cloud=True), dict(model_present=False)])
def test_never_plugins_are_refused_when_the_cloud_is_needed(kw):
    with pytest.raises(OffloadRefusedError, match="never sends data to the cloud"):
        decide(facts(permission="never", **kw), settings())


def test_never_plugins_stay_local_on_soft_rules():
    d = decide(facts(permission="never", on_battery=True, battery_percent=1.0), settings())
    assert (d.where, d.rule) == ("local", "battery") and "never sends data" in d.log


def test_redact_permission_still_offloads():
    d = decide(facts(permission="redact", model_present=False), settings())
    assert d.where == "cloud" and "redacted" in d.log


def test_no_cloud_configured_refuses_hard_rules():
    s = load_settings(env={"SLM_HOME": "/nonexistent-slm-home"})
    with pytest.raises(OffloadRefusedError, match="no cloud is configured"):
        decide(facts(model_present=False), s)
    with pytest.raises(OffloadRefusedError, match="no cloud is configured"):
        decide(facts(force_cloud=True), s)
    # --cloud overrides offload.enabled = false, so the missing cloud is what the user must fix
    off = load_settings(env={"SLM_HOME": "/nonexistent-slm-home", "SLM_OFFLOAD": "0"})
    with pytest.raises(OffloadRefusedError, match="--cloud refused: no cloud is configured"):
        decide(facts(force_cloud=True), off)


def test_offload_disabled_in_config_but_cloud_flag_wins():
    s = settings(SLM_OFFLOAD="0")
    with pytest.raises(OffloadRefusedError, match="offload is disabled"):
        decide(facts(model_present=False), s)
    assert decide(facts(force_cloud=True), s).where == "cloud"


def test_contradictory_flags_and_bad_permission_are_usage_errors():
    with pytest.raises(UsageError):
        decide(facts(force_cloud=True, local_only=True), settings())
    with pytest.raises(UsageError):
        decide(facts(permission="sometimes"), settings())


def test_battery_rule_from_the_energy_power_status(tmp_path):
    """Real battery reading through a fake power_supply sysfs tree (helper E's power_status)."""
    from slm.energy import power_status  # a rename must fail here, not skip
    bat = tmp_path / "power_supply" / "BAT0"
    bat.mkdir(parents=True)
    (bat / "type").write_text("Battery\n")
    (bat / "status").write_text("Discharging\n")
    (bat / "capacity").write_text("9\n")
    ac = tmp_path / "power_supply" / "AC"
    ac.mkdir()
    (ac / "type").write_text("Mains\n")
    (ac / "online").write_text("0\n")
    s = settings(SLM_POWER_SUPPLY_ROOT=str(tmp_path / "power_supply"), SLM_BATTERY_MIN_PERCENT="20")
    status = power_status(s)
    d = decide(facts(on_battery=status.on_battery, battery_percent=status.percent), s)
    assert (d.where, d.rule) == ("cloud", "battery")

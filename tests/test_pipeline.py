"""The request pipeline end to end (slm.pipeline via slm.Runtime and `slm ask`):
routing, the general model, the policy acting on real (fake-root) sensor
readings and on local failures, the request log and the energy history.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import subprocess_env, without_training_notice
from fakesys import FakePowerSupply

import slm
from slm import errors, requestlog
from slm.config import load_settings

pytest_plugins = ("cloud_fixtures", "model_fixtures")

NONE_ROUTED = "zqxj vbnmk plokiu wertyq"
NOTES_PROMPT = ("summarise these visit notes: met Dana Reyes at Acme, she wants a quote for 40 seats "
                "by Friday; risk: budget freeze next quarter")


def slm_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True,
                          env=subprocess_env(**(env or {})), timeout=180)


def cloud_env(url: str) -> dict:
    return {"SLM_CLOUD_BASE_URL": url, "SLM_CLOUD_MODEL": "tiny-cloud", "SLM_CLOUD_API_KEY": "sk-pipe-secret"}


def test_unrouted_ask_goes_through_the_router_to_calc():
    with slm.Runtime() as rt:
        result = rt.ask("what is 15% of 240")
    assert result.route is not None and result.route["plugin"] == "calc"
    assert set(result.route) >= {"plugin", "confidence", "scores", "margin"}
    assert result.plugin == "calc" and result.where == "local" and result.model is None
    assert result.data["result"] == "36"
    assert result.energy["joules"] > 0 and result.energy["method"] in ("measured", "measured+attributed", "estimated")
    assert result.timings.ttft_ms is not None and result.timings.ttft_ms <= result.timings.total_ms


def test_stream_yields_pieces_and_then_the_result():
    with slm.Runtime() as rt:
        stream = rt.ask_stream("add 8.25% sales tax to 1299", plugin="calc")
        assert stream.result is None
        text = "".join(stream)
    assert stream.result is not None and stream.result.text == text and "1,406.17" in text


def test_none_routed_prompt_uses_the_general_model_when_installed(tiny_gguf, monkeypatch):
    monkeypatch.setenv("SLM_GENERAL_MODEL", str(tiny_gguf))
    with slm.Runtime() as rt:
        result = rt.ask(NONE_ROUTED, max_tokens=4, seed=1)
    assert result.route["plugin"] is None and result.plugin is None
    assert result.where == "local" and result.model == str(tiny_gguf) and result.offload_reason is None
    assert result.usage.completion_tokens > 0


def test_none_routed_prompt_with_nothing_to_answer_it_is_one_clear_line():
    r = slm_cli("ask", NONE_ROUTED)
    assert r.returncode == 1 and r.stdout == ""
    err = without_training_notice(r.stderr)
    assert err.startswith("error: ") and err.count("\n") == 1 and "no plugin fits" in err and "general_model" in err


def test_absent_plugin_model_says_how_to_get_it():
    r = slm_cli("ask", "--plugin", "notes", NOTES_PROMPT)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert "slm models pull qwen2.5-0.5b-instruct" in r.stderr and "Traceback" not in r.stderr


def test_absent_plugin_model_is_offloaded_redacted_when_a_cloud_is_configured(proxy):
    r = slm_cli("ask", "--plugin", "notes", "--json", "--max-tokens", "8",
                NOTES_PROMPT + " call her on +1 415 555 0134", env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["where"] == "cloud" and out["plugin"] == "notes"
    assert "not on this device" in out["offload_reason"]
    wire = json.dumps(proxy.bodies())
    assert "415 555 0134" not in wire and "Dana Reyes" in wire  # notes is a `redact` plugin


def test_low_battery_offloads_through_the_fake_power_supply(tiny_gguf, tmp_path, proxy, monkeypatch):
    supply = FakePowerSupply(tmp_path)
    supply.battery(status="Discharging", capacity=7)
    env = dict(cloud_env(proxy.url), SLM_POWER_SUPPLY_ROOT=str(supply.root), SLM_BATTERY_MIN_PERCENT="20")
    r = slm_cli("ask", "--model", str(tiny_gguf), "--json", "--max-tokens", "4", "hello there", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["where"] == "cloud" and "battery" in out["offload_reason"]
    # the same request on mains power stays on the device
    supply.set("BAT0", status="Charging", capacity=7)
    supply.mains(online=1)
    r = slm_cli("ask", "--model", str(tiny_gguf), "--json", "--max-tokens", "4", "hello there", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["where"] == "local"


def test_low_battery_with_local_only_stays_local(tiny_gguf, tmp_path, monkeypatch):
    supply = FakePowerSupply(tmp_path)
    supply.battery(status="Discharging", capacity=3)
    monkeypatch.setenv("SLM_POWER_SUPPLY_ROOT", str(supply.root))
    with slm.Runtime() as rt:
        result = rt.ask("hello", model=str(tiny_gguf), max_tokens=4, local_only=True)
    assert result.where == "local"


def test_request_log_and_energy_history(tiny_gguf):
    secret = "the Acme renewal is 48,000 EUR"
    with slm.Runtime() as rt:
        rt.ask(secret, model=str(tiny_gguf), max_tokens=4, seed=2)
        rt.ask("15% of 240", plugin="calc")
        jpt = rt.energy_history.joules_per_token(str(tiny_gguf))
    settings = load_settings()
    entries = requestlog.read(settings.logs_dir)
    assert [e["plugin"] for e in entries] == [None, "calc"]
    assert entries[0]["model"] == str(tiny_gguf) and entries[0]["where"] == "local"
    assert entries[0]["decision"].startswith("offload: local")
    assert entries[0]["usage"]["completion_tokens"] > 0 and entries[0]["energy"]["joules"] > 0
    raw = (settings.logs_dir / requestlog.LOG_NAME).read_text()
    assert secret not in raw and "Acme" not in raw  # prompts never reach the log
    assert jpt is not None and jpt > 0


def test_the_log_hash_is_keyed_per_home_and_cannot_be_confirmed_by_guessing(tiny_gguf, tmp_path):
    import hashlib
    import os
    import stat

    guess = "ok"  # short prompts are the ones a plain hash gives away
    with slm.Runtime() as rt:
        rt.ask(guess, model=str(tiny_gguf), max_tokens=2, seed=1)
        rt.ask(guess, model=str(tiny_gguf), max_tokens=2, seed=1)
    logs = load_settings().logs_dir
    first, second = requestlog.read(logs)
    assert first["prompt_hmac"] == second["prompt_hmac"]  # still correlates on this device
    raw = (logs / requestlog.LOG_NAME).read_text()
    assert hashlib.sha256(guess.encode()).hexdigest()[:16] not in raw and "prompt_sha" not in raw
    key_file = logs / requestlog.KEY_NAME
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600 and len(key_file.read_bytes()) == 32
    # another home, another key: the same prompt does not match across devices
    other = tmp_path / "other-logs"
    assert requestlog.keyed_fingerprint(guess, requestlog.log_key(other)) != first["prompt_hmac"]
    assert requestlog.log_key(logs) == key_file.read_bytes()  # the key is stable once made
    assert requestlog.keyed_fingerprint(guess, None) is None  # no key: no hash at all, never a plain one


def test_a_read_only_log_folder_gives_no_key_and_no_failure(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    assert requestlog.log_key(blocked / "logs") is None


def test_torn_log_line_is_skipped(tmp_path):
    (tmp_path / requestlog.LOG_NAME).write_text('{"plugin": "calc"}\n{"plugin": "no')
    assert requestlog.read(tmp_path) == [{"plugin": "calc"}]


@pytest.mark.parametrize("prompt,options,needle", [
    ("", {}, "empty"),
    ("   \n", {}, "empty"),
    (42, {}, "text"),
    ("hi", {"local_only": True, "cloud": True}, "contradict"),
    ("hi", {"max_tokens": 0}, "max tokens"),
    ("hi", {"temperature": 3.5}, "temperature"),
])
def test_bad_requests_are_usage_errors(prompt, options, needle):
    with slm.Runtime() as rt, pytest.raises(errors.UsageError, match=needle):
        rt.ask(prompt, **options)


def test_unknown_plugin_is_a_typed_error():
    with slm.Runtime() as rt, pytest.raises(errors.PluginNotFoundError):
        rt.ask("hi", plugin="no-such-plugin")


def test_memory_rule_applies_only_to_a_model_that_still_has_to_load(tiny_gguf, monkeypatch):
    from slm import device

    with slm.Runtime() as rt:
        rt.ask("hi", model=str(tiny_gguf), max_tokens=2, seed=1)  # loads it
        monkeypatch.setattr(device, "memory", lambda: (1 << 30, 1))  # the OS reports 1 byte free
        # Loaded already: its RAM is taken, nothing to load, so it answers here.
        result = rt.ask("hi", model=str(tiny_gguf), max_tokens=2, seed=1)
        assert result.where == "local" and result.offload_reason is None
        # Unloaded: loading it needs memory the device lacks, and there is no cloud to send it to.
        assert rt.models.unload(tiny_gguf)
        assert not rt.models.is_loaded(rt.resolve_model(str(tiny_gguf)))
        with pytest.raises(errors.SlmError, match="memory"):
            rt.ask("hi", model=str(tiny_gguf), max_tokens=2, seed=1)

"""`slm ask` end to end with the offload policy: --cloud, --local-only, a none-routed prompt, cloud down.

The "cloud" is llama_cpp.server with a tiny GGUF behind the recording proxy
(tests/cloud_fixtures.py). No local general model is installed, so a prompt no
plugin fits can only be answered by the cloud.
"""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import subprocess_env, without_training_notice

pytest_plugins = ("cloud_fixtures",)  # the llama_cpp.server "cloud" and the recording proxy


NONE_ROUTED = "zqxj vbnmk plokiu wertyq"  # nothing any plugin's examples look like


def slm(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True,
                          env=subprocess_env(**(env or {})), timeout=timeout)


def cloud_env(url: str) -> dict:
    return {"SLM_CLOUD_BASE_URL": url, "SLM_CLOUD_MODEL": "tiny-cloud", "SLM_CLOUD_API_KEY": "sk-e2e-secret"}


def test_cloud_flag_forces_offload(proxy):
    r = slm("ask", "--cloud", "--json", "--max-tokens", "8", "what is the capital of France", env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["where"] == "cloud" and out["offload_reason"] and "--cloud" in out["offload_reason"]
    assert out["text"] and out["usage"]["completion_tokens"] > 0
    assert len(proxy.requests) == 1
    assert "capital of France" in json.dumps(proxy.requests[0]["body"])
    assert "sk-e2e-secret" not in r.stdout + r.stderr


def test_cloud_flag_streams_text(proxy):
    r = slm("ask", "--cloud", "--max-tokens", "8", "what is the capital of France", env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() and "cloud" in r.stderr
    assert proxy.requests[0]["body"]["stream"] is True


def test_none_routed_prompt_without_general_model_goes_to_the_cloud(proxy):
    r = slm("ask", "--json", "--max-tokens", "8", NONE_ROUTED, env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["where"] == "cloud" and "no plugin fits" in out["offload_reason"]
    assert len(proxy.requests) == 1


def test_local_only_refuses_with_one_line(proxy):
    r = slm("ask", "--local-only", "--json", NONE_ROUTED, env=cloud_env(proxy.url))
    assert r.returncode == 1 and r.stdout == ""
    err = without_training_notice(r.stderr)
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "cannot answer" in err and "--local-only" in err
    assert proxy.requests == []


def test_redact_plugin_prompt_is_redacted_on_the_wire(proxy):
    r = slm("ask", "--cloud", "--json", "--plugin", "email", "--max-tokens", "8",
            "reply to jane.doe@acme.com and call +1 (415) 555-0134", env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    wire = json.dumps(proxy.bodies())
    assert "jane.doe@acme.com" not in wire and "555-0134" not in wire and "[EMAIL_1]" in wire


def test_cloud_down_queues_then_sync_delivers_once(proxy):
    env = cloud_env(proxy.url)
    proxy.stop()
    r = slm("ask", "--cloud", "--json", "--max-tokens", "8", "what is the capital of France", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["where"] == "queued" and out["queue_id"] and out["offload_reason"]
    rows = json.loads(slm("queue", "list", "--json").stdout)
    assert [row["id"] for row in rows] == [out["queue_id"]] and rows[0]["status"] == "pending"
    proxy.start()
    r = slm("queue", "sync", env=env)
    assert r.returncode == 0, r.stderr
    assert len(proxy.upstream_calls) == 1 and set(proxy.upstream_calls.values()) == {1}
    detail = json.loads(slm("queue", "show", out["queue_id"], "--json").stdout)
    assert detail["status"] == "sent" and detail["answer"]


PII = "draft a short note to jane.doe@acme.com, card 4111 1111 1111 1111, phone +1 (415) 555-0134"


def _log_entries(home) -> list[dict]:
    path = home / "logs" / "requests.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_cloud_flag_with_no_plugin_is_redacted_and_the_log_says_so(proxy, slm_home):
    # -m with a name no device has: no plugin, no local model, and --cloud sends it anyway
    r = slm("ask", "--cloud", "--json", "--max-tokens", "4", "-m", "org/none/absent.gguf", PII, env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    wire = json.dumps(proxy.requests[-1]["body"])
    assert "jane.doe@acme.com" not in wire and "4111 1111 1111 1111" not in wire and "555-0134" not in wire
    out = json.loads(r.stdout)
    assert out["where"] == "cloud" and out["redaction"].startswith("applied")
    assert _log_entries(slm_home)[-1]["redaction"].startswith("applied")


def test_the_user_may_send_one_plugin_raw_and_the_log_says_so(proxy, slm_home):
    (slm_home / "config.toml").write_text('[plugins.email]\noffload = "allowed-raw"\n')
    r = slm("ask", "--cloud", "--json", "--plugin", "email", "--max-tokens", "4", PII, env=cloud_env(proxy.url))
    assert r.returncode == 0, r.stderr
    assert "jane.doe@acme.com" in json.dumps(proxy.requests[-1]["body"])
    assert json.loads(r.stdout)["redaction"] == "raw" and _log_entries(slm_home)[-1]["redaction"] == "raw"


def test_a_bad_offload_choice_in_config_is_one_line(proxy, slm_home):
    (slm_home / "config.toml").write_text('[plugins.email]\noffload = "yes please"\n')
    r = slm("ask", "--cloud", "--plugin", "email", "--max-tokens", "4", PII, env=cloud_env(proxy.url))
    assert r.returncode != 0 and r.stderr.count("\n") == 1 and "offload must be one of" in r.stderr
    assert proxy.requests == []

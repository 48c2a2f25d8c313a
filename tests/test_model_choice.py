"""Choosing models a user can find: [plugins.NAME] model / SLM_PLUGIN_<NAME>_MODEL, slm config show,
slm models import FILE.gguf, and slow model-bound plugins failing locally instead of being quarantined."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from conftest import subprocess_env
from plugin_fixtures import pdir, write_plugin  # noqa: F401 - pdir is a fixture
from slm.config import describe, load_settings, plugin_model_env
from slm.errors import ConfigError, CorruptModelError, UsageError



def cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], env=subprocess_env(**env),
                          capture_output=True, text=True, timeout=120, check=False)


def test_plugin_model_from_file_then_environment(tmp_path):
    (tmp_path / "config.toml").write_text('[plugins.notes]\nmodel = "smollm2-135m-instruct"\n'
                                          '[plugins.acme-quotes]\nmodel = "a.gguf"\n', encoding="utf-8")
    settings = load_settings(env={}, home=tmp_path)
    assert settings.plugin_model("notes") == "smollm2-135m-instruct" and settings.plugin_model("email") is None
    assert settings.origins["plugins.notes.model"].startswith("plugins.notes.model in ")
    env = {"SLM_PLUGIN_NOTES_MODEL": "qwen2.5-0.5b-instruct", "SLM_PLUGIN_ACME_QUOTES_MODEL": "b.gguf",
           "SLM_PLUGIN_EMAIL_MODEL": "tiny"}
    settings = load_settings(env=env, home=tmp_path)
    assert settings.plugin_model("notes") == "qwen2.5-0.5b-instruct"
    assert settings.plugin_model("acme-quotes") == "b.gguf" and settings.plugin_model("email") == "tiny"
    assert settings.origins["plugins.notes.model"] == "SLM_PLUGIN_NOTES_MODEL"
    assert plugin_model_env("acme-quotes") == "SLM_PLUGIN_ACME_QUOTES_MODEL"
    # set but empty: back to the plugin's own model
    assert load_settings(env={"SLM_PLUGIN_NOTES_MODEL": " "}, home=tmp_path).plugin_model("notes") is None


def test_a_bad_plugin_model_is_a_config_error(tmp_path):
    (tmp_path / "config.toml").write_text("[plugins.notes]\nmodel = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"plugins.notes.model in .*: 3 \(expected a model name"):
        load_settings(env={}, home=tmp_path)


def test_the_host_and_the_pipeline_use_the_chosen_model(tmp_path, pdir):
    from slm.host.host import PluginHost
    from slm.plugins.sdk import Request

    code = "class P(Plugin):\n    def handle(self, r, ctx):\n        return Result(text=str(ctx.model))\nplugin = P()\n"
    info = write_plugin(pdir, "echo", code, model="declared-model")
    free = write_plugin(pdir, "free", code, model=None)
    settings = load_settings(env={"SLM_PLUGIN_ECHO_MODEL": "chosen", "SLM_PLUGIN_FREE_MODEL": "x"}, home=tmp_path)
    host = PluginHost(settings, plugins=[info, free])
    assert host.run("echo", Request("hi")).result.text == "chosen"
    assert host.run("echo", Request("hi", {"model": "asked"})).result.text == "asked"
    assert host.model_for(free) is None  # a model-free plugin is not given one by config


def test_config_show_lists_every_setting_with_its_origin(tmp_path):
    (tmp_path / "config.toml").write_text("[inference]\nthreads = 2\n[plugins.kb]\nmodel = \"m\"\n", encoding="utf-8")
    env = {"SLM_HOME": str(tmp_path), "SLM_CLOUD_API_KEY": "sekrit-value", "SLM_N_CTX": "2048"}
    rows = {r["name"]: r for r in describe(load_settings(env=env))}
    assert rows["threads"]["value"] == 2 and rows["threads"]["origin"].startswith("inference.threads in ")
    assert rows["n_ctx"]["origin"] == "SLM_N_CTX" and rows["log_level"]["origin"] == "default"
    assert rows["cloud_api_key"]["value"] == "(set)"
    assert rows["plugins.kb.model"]["value"] == "m" and rows["plugins.kb.model"]["env"] == "SLM_PLUGIN_KB_MODEL"
    proc = cli("config", "show", "--json", SLM_HOME=str(tmp_path), SLM_CLOUD_API_KEY="sekrit-value")
    assert proc.returncode == 0, proc.stderr
    shown = {r["name"]: r for r in json.loads(proc.stdout)}
    assert set(shown) >= {"threads", "general_model", "plugin_timeout_s", "plugins.kb.model", "home"}
    text = cli("config", "show", SLM_HOME=str(tmp_path), SLM_CLOUD_API_KEY="sekrit-value").stdout
    assert "sekrit" not in text and "sekrit" not in proc.stdout
    assert "general_model" in text and "SLM_GENERAL_MODEL / inference.general_model" in text


def test_models_import_registers_a_local_gguf(tmp_path):
    from slm import testing
    from slm.store.model_store import ModelStore

    tiny = testing.tiny_gguf()
    store = ModelStore(load_settings(env={}, home=tmp_path))
    result = store.import_gguf(tiny, "field-tiny")
    assert result["name"] == "field-tiny" and result["catalog"] is None and not result["already_present"]
    local = store.resolve_local("field-tiny")
    assert local.sha256 == result["sha256"] and local.path.read_bytes() == tiny.read_bytes()
    assert local.path != tiny  # a copy in the store: the original may move
    assert store.import_gguf(tiny, "field-tiny")["already_present"]
    with pytest.raises(UsageError, match="already names"):
        store.import_gguf(testing.tiny_gguf(tmp_path / "other.gguf", seed=7), "field-tiny")
    with pytest.raises(UsageError, match="bad model name"):
        store.import_gguf(tiny, "Bad Name")
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model at all")
    with pytest.raises(CorruptModelError, match="not a GGUF model file"):
        store.import_gguf(junk)
    assert not list(store.partial_dir.glob("*.part"))  # nothing half-written left behind


def test_models_import_cli(tmp_path):
    from slm import testing

    tiny = testing.tiny_gguf()
    proc = cli("models", "import", str(tiny), "--name", "t1", "--json", SLM_HOME=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["name"] == "t1"
    listed = cli("models", "list", "--present", "--json", SLM_HOME=str(tmp_path))
    assert any(r["path"].endswith(tiny.name) for r in json.loads(listed.stdout))
    bad = cli("models", "import", str(tmp_path / "pack.slmpack"), "--name", "x", SLM_HOME=str(tmp_path))
    assert bad.returncode == 2 and bad.stderr.startswith("error: --name applies to a .gguf file")
    missing = cli("models", "import", str(tmp_path / "gone.gguf"), SLM_HOME=str(tmp_path))
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_ask_help_says_model_alone_skips_routing():
    out = " ".join(cli("ask", "--help").stdout.split())  # click wraps the help to the options' column
    assert "Without --plugin" in out and "bare model answers" in out


SLOW_MODEL_PLUGIN = """
import time
class P(Plugin):
    def handle(self, request, ctx):
        for _ in range(50):
            ctx.generate("hello", max_tokens=2)
            time.sleep(0.05)
        return Result(text="done")
plugin = P()
"""


def test_a_slow_model_bound_plugin_fails_locally_and_is_not_quarantined(tmp_path, pdir):
    from slm import testing
    from slm.errors import LocalAnswerFailedError
    from slm.host.host import PluginHost
    from slm.plugins.sdk import Request

    info = write_plugin(pdir, "slowmodel", SLOW_MODEL_PLUGIN, timeout_s=0.5)
    host = PluginHost(testing.settings_for(tmp_path), plugins=[info])
    started = time.monotonic()
    with pytest.raises(LocalAnswerFailedError, match=r"did not finish within 0.5 s") as caught:
        host.run("slowmodel", Request("x", {"model": str(testing.tiny_gguf())}))
    assert time.monotonic() - started < 10
    assert "timeout_s" in (caught.value.hint or "")
    assert host.status()["slowmodel"] is None  # still healthy: slow here, not broken


def test_time_limit_scales_with_the_measured_speed(tmp_path, pdir):
    from slm import testing
    from slm.host.host import REFERENCE_TOKENS_PER_S, PluginHost

    info = write_plugin(pdir, "scaled", "plugin = None\n", timeout_s=10)
    host = PluginHost(testing.settings_for(tmp_path), plugins=[info])
    assert host.timeout_for(info, "m") == 10.0  # nothing measured yet
    host._tokens_per_s["m"] = REFERENCE_TOKENS_PER_S / 4
    assert host.timeout_for(info, "m") == 40.0
    host._tokens_per_s["m"] = REFERENCE_TOKENS_PER_S / 1000
    assert host.timeout_for(info, "m") == 100.0  # at most tenfold
    host._tokens_per_s["m"] = REFERENCE_TOKENS_PER_S * 5
    assert host.timeout_for(info, "m") == 10.0  # never shorter than asked
    user = PluginHost(testing.settings_for(tmp_path, plugin="scaled", config={"timeout_s": 3}), plugins=[info])
    user._tokens_per_s["m"] = 1.0
    assert user.timeout_for(info, "m") == 3.0  # the user's own limit is kept as set

"""A demanding first user: bad settings, bad arguments, bad bytes.

Every case must end in one line `error: ...` on stderr and exit 1 (user-fixable)
or 2 (usage): never a traceback, never `internal error:`, never damaged state
(a quarantined built-in plugin, an index of the whole current folder).
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import subprocess_env
from slm.cli.main import main
from slm.config import load_settings
from slm.errors import ConfigError

pytest_plugins = ("model_fixtures",)

SLM = [sys.executable, "-m", "slm.cli.main"]


@pytest.fixture(scope="module")
def tiny(tiny_gguf):
    return str(tiny_gguf)  # the session's shared tiny model (tests/model_fixtures.py), built once


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "internal error" not in err and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], err


# --- settings: values that parse but make no sense fail at load, naming the setting -------
@pytest.mark.parametrize("var,value", [
    ("SLM_THREADS", "-3"), ("SLM_THREADS", "0"), ("SLM_THREADS", "abc"),
    ("SLM_N_CTX", "-1"), ("SLM_MAX_LOADED_MODELS", "0"), ("SLM_MODEL_IDLE_TIMEOUT", "nan"),
    ("SLM_MODEL_IDLE_TIMEOUT", "-1"), ("SLM_PLUGIN_TIMEOUT", "0"), ("SLM_PLUGIN_TIMEOUT", "-1"),
    ("SLM_PLUGIN_TIMEOUT", "inf"), ("SLM_CLOUD_TIMEOUT", "-1"), ("SLM_CLOUD_TIMEOUT", "0"),
    ("SLM_CLOUD_MAX_RETRIES", "-1"), ("SLM_BATTERY_MIN_PERCENT", "200"), ("SLM_BATTERY_MIN_PERCENT", "-1"),
    ("SLM_ENERGY_BUDGET_J", "-1"), ("SLM_ENERGY_BUDGET_J", "0"), ("SLM_LOG_LEVEL", "loud"),
    ("SLM_CLOUD_BASE_URL", "not-a-url"), ("SLM_CLOUD_BASE_URL", "ftp://host/v1"), ("HF_ENDPOINT", "not-a-url"),
    ("HF_ENDPOINT", "http://host:99999"), ("SLM_PLUGIN_ISOLATION", "sometimes"), ("SLM_PLUGIN_MEMORY_MB", "-1"),
    ("SLM_PLUGIN_MEMORY_MB", "1.5"), ("SLM_PLUGIN_MEMORY_MB", "99999999999"),
])
def test_nonsense_setting_is_a_config_error_naming_it(slm_home, var, value):
    with pytest.raises(ConfigError, match=f"bad value for {var}: {value!r}"):
        load_settings(env={"SLM_HOME": str(slm_home), var: value})


@pytest.mark.parametrize("var,value,field,expected", [
    ("SLM_THREADS", "", "threads", None), ("SLM_THREADS", "4", "threads", 4),
    ("SLM_N_CTX", "0", "n_ctx", 0), ("SLM_ENERGY_BUDGET_J", "", "energy_budget_j", None),
    ("SLM_LOG_LEVEL", "DEBUG", "log_level", "debug"), ("SLM_CLOUD_BASE_URL", "", "cloud_base_url", None),
    ("SLM_CLOUD_BASE_URL", "http://127.0.0.1:8080/v1", "cloud_base_url", "http://127.0.0.1:8080/v1"),
    ("SLM_PLUGIN_TIMEOUT", "0.5", "plugin_timeout_s", 0.5),
    ("HF_ENDPOINT", "", "hf_endpoint", "https://huggingface.co"), ("SLM_CLOUD_MAX_RETRIES", "0", "cloud_max_retries", 0),
    ("SLM_PLUGIN_ISOLATION", "ALL", "plugin_isolation", "all"), ("SLM_PLUGIN_MEMORY_MB", "0", "plugin_memory_mb", 0),
])
def test_sensible_settings_still_load(slm_home, var, value, field, expected):
    assert getattr(load_settings(env={"SLM_HOME": str(slm_home), var: value}), field) == expected


@pytest.mark.parametrize("toml,needle", [
    ('plugins = "x"\n', "expected a table ([plugins])"),
    ("[plugins]\ndisabled = [1, 2]\n", "bad value for plugins.disabled"),
    ("[inference]\nthreads = true\n", "bad value for inference.threads"),
    ("[cloud]\ntimeout_s = -5\n", "bad value for cloud.timeout_s"),
])
def test_bad_config_file_values_are_one_line(capsys, slm_home, toml, needle):
    (slm_home / "config.toml").write_text(toml)
    code, out, err = run(capsys, "plugins", "list")
    assert code == 1
    assert_one_line_error(err, needle)


def test_zero_plugin_timeout_does_not_quarantine_calc(capsys, monkeypatch):
    monkeypatch.setenv("SLM_PLUGIN_TIMEOUT", "0")
    code, out, err = run(capsys, "ask", "--plugin", "calc", "15% of 240")
    assert code == 1
    assert_one_line_error(err, "SLM_PLUGIN_TIMEOUT")
    monkeypatch.delenv("SLM_PLUGIN_TIMEOUT")
    code, out, err = run(capsys, "ask", "--plugin", "calc", "15% of 240")
    assert code == 0 and "= 36" in out, err


@pytest.mark.parametrize("args", [("route", "hi"), ("router", "train"), ("ask", "15% of 240"), ("models", "list")])
def test_slm_home_that_is_a_file(capsys, monkeypatch, tmp_path, args):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("SLM_HOME", str(home))
    code, out, err = run(capsys, *args)
    assert code == 1
    assert_one_line_error(err, "is not a folder")
    assert home.read_text() == "not a folder"


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_explicit_slm_config_must_be_a_file(capsys, monkeypatch, tmp_path, kind):
    path = tmp_path / "cfg.toml"
    if kind == "folder":
        path.mkdir()
    monkeypatch.setenv("SLM_CONFIG", str(path))
    code, out, err = run(capsys, "queue", "list")
    assert code == 1
    assert_one_line_error(err, "SLM_CONFIG", "is a folder" if kind == "folder" else "does not exist")


# --- arguments ------------------------------------------------------------------------------
@pytest.mark.parametrize("args,needle", [
    (("ask", "a", "b"), "unexpected extra argument"),
    (("models", "pull"), "Missing argument"),
    (("nosuch",), "No such command"),
    (("ask", "--max-tokens", "x", "hi"), "--max-tokens"),
    (("--bogus",), "No such option"),
    (("kb", "search", "x", "-k", "abc"), "'-k'"),
])
def test_click_usage_errors_are_one_line_with_a_pointer_to_help(capsys, args, needle):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert_one_line_error(err, needle, "--help")


@pytest.mark.parametrize("args", [
    ("kb", "add", ""), ("kb", "rm", " "), ("kb", "add", "docs", ""), ("models", "import", ""),
    ("models", "export", "x", "-o", ""), ("plugins", "new", "zzq", "--dir", ""),
])
def test_an_empty_path_is_refused_not_taken_as_the_current_folder(capsys, monkeypatch, tmp_path, args):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "secret.md").write_text("# Secret\nthe current folder must not be indexed\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args)
    assert code == 2
    assert_one_line_error(err, "an empty path")
    code, out, err = run(capsys, "kb", "list", "--json")
    assert code == 0 and out.strip() == "[]"


def test_empty_plugin_name_says_plugin(capsys):
    code, out, err = run(capsys, "ask", "--plugin", "", "hi")
    assert code == 2
    assert_one_line_error(err, "a plugin name is needed")


@pytest.mark.parametrize("data", [b"caf\xe9 15% of 240", bytes(range(256)) * 4])
def test_non_utf8_stdin_is_a_usage_error(data):
    proc = subprocess.run([*SLM, "ask", "-"], input=data, capture_output=True, env=subprocess_env(), timeout=60)
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr.decode(), "not UTF-8 text")


def test_utf8_stdin_with_a_bom_still_works():
    proc = subprocess.run([*SLM, "ask", "-"], input="\ufeff15% of 240".encode(), capture_output=True,
                          env=subprocess_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b"= 36" in proc.stdout


def test_non_utf8_argv_prompt_is_a_usage_error(capsys, tiny):
    # bytes that are not UTF-8 reach Python's argv as lone surrogates
    code, out, err = run(capsys, "ask", "-m", tiny, "caf\udce9", "--max-tokens", "2")
    assert code == 2
    assert_one_line_error(err, "not valid UTF-8")


# --- models -----------------------------------------------------------------------------------
def test_prompt_longer_than_a_tiny_context_is_a_context_error(capsys, monkeypatch, tiny):
    # llama.cpp pads n_ctx up to 256 but llama-cpp-python's token buffer keeps the size asked for
    monkeypatch.setenv("SLM_N_CTX", "32")
    code, out, err = run(capsys, "ask", "-m", tiny, "hello there how are you " * 20, "--max-tokens", "4")
    assert code == 1
    assert_one_line_error(err, "tokens but tiny.gguf holds 32")


def test_truncated_header_message_says_why(capsys, tmp_path, tiny):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(open(tiny, "rb").read()[:1000])
    code, out, err = run(capsys, "ask", "-m", cut, "hi")
    assert code == 1
    assert_one_line_error(err, "cut.gguf is truncated (its GGUF header ends early)")


def test_closed_stdout_is_not_a_failure(tiny):
    proc = subprocess.Popen([*SLM, "ask", "-m", tiny, "hi", "--max-tokens", "300", "--seed", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
    proc.stdout.read(3)
    proc.stdout.close()  # like `| head -c 3`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "error" not in err


# --- plugins: bad plugin config and failing answers -------------------------------------------
def test_bad_plugin_config_is_a_config_error_not_a_quarantine(capsys, slm_home, tiny):
    (slm_home / "config.toml").write_text('[plugins.notes]\nmax_tokens = "lots"\n')
    code, out, err = run(capsys, "ask", "--plugin", "notes", "-m", tiny, "met Dana at Acme")
    assert code == 1
    assert_one_line_error(err, "[plugins.notes] max_tokens", "'lots'")
    code, out, err = run(capsys, "plugins", "list")
    assert code == 0 and "broken" not in out


def test_max_tokens_flag_reaches_the_notes_plugin(capsys, tiny):
    import json

    notes = "met Dana at Acme, quote by Friday"
    # the tiny model holds 512 tokens: a 480-token answer leaves no room for the notes, and the
    # error names the flag's value, so the flag (not the plugin's default) is what the plugin used
    code, out, err = run(capsys, "ask", "--plugin", "notes", "-m", tiny, notes, "--max-tokens", "480")
    assert code == 1 and out == ""
    assert_one_line_error(err, "leaves no room for notes after a 480-token answer")
    # 60 fits: a recap of these notes, and no model call wrote more than 60 tokens
    code, out, err = run(capsys, "ask", "--plugin", "notes", "-m", tiny, notes, "--max-tokens", "60", "--json")
    assert code == 0 and err == "", err
    answer = json.loads(out)
    assert answer["plugin"] == "notes" and answer["where"] == "local"
    assert answer["text"].startswith("Recap") and "met Dana at Acme" in answer["data"]["summary"]
    calls = answer["data"]["model_calls"]
    assert calls >= 1 and 0 < answer["usage"]["completion_tokens"] <= 60 * calls, answer["usage"]


def test_an_unusable_model_answer_still_answers_with_a_note_and_no_retry_chatter(slm_home, tiny):
    (slm_home / "config.toml").write_text("[plugins.extract]\nmax_tokens = 6\n")  # the model can name no one
    proc = subprocess.run([*SLM, "ask", "--plugin", "extract", "-m", tiny, "Dana Smith, dana@acme.com"],
                          capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Emails: dana@acme.com" in proc.stdout and "(note: the model named no one" in proc.stdout
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("— local · extract")  # only the cost line


# --- the README tour on a fresh device -------------------------------------------------------
def test_sync_of_an_empty_queue_needs_no_cloud(capsys):
    code, out, err = run(capsys, "queue", "sync")
    assert code == 0 and out.strip() == "sent 0, failed 0, pending 0: nothing to sync", err
    code, out, err = run(capsys, "queue", "sync", "--json")
    assert code == 0 and '"pending": []' in out

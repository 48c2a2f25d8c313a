"""Every numeric setting has a checked range; unknown keys and wrong-typed tables are named, not ignored."""
from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from conftest import subprocess_env
from slm.config import load_settings
from slm.errors import ConfigError
from slm.host.meta import MetadataError, parse_metadata


@pytest.mark.parametrize("var,value", [
    ("SLM_THREADS", "100000"), ("SLM_THREADS", "0"), ("SLM_THREADS", "1.5"),
    ("SLM_N_CTX", "999999999"), ("SLM_N_CTX", "-1"),
    ("SLM_MAX_LOADED_MODELS", "1000"), ("SLM_CLOUD_MAX_RETRIES", "1000000"),
    ("SLM_PLUGIN_TIMEOUT", "nan"), ("SLM_PLUGIN_TIMEOUT", "inf"), ("SLM_MODEL_IDLE_TIMEOUT", "-3"),
])
def test_out_of_range_numbers_are_one_line_naming_the_setting(tmp_path, var, value):
    with pytest.raises(ConfigError, match=var) as err:
        load_settings(env={"SLM_HOME": str(tmp_path), var: value})
    assert "\n" not in err.value.one_line()


def test_the_same_checks_apply_to_the_config_file(tmp_path):
    (tmp_path / "config.toml").write_text("[inference]\nthreads = 100000\n")
    with pytest.raises(ConfigError, match="inference.threads"):
        load_settings(env={"SLM_HOME": str(tmp_path)})


@pytest.mark.parametrize("timeout", ["nan", "inf", "1e308", "-1", "0", "true", '"10"'])
def test_plugin_toml_time_limits_must_be_real_limits(timeout):
    raw = {"name": "pp", "version": "1", "description": "d", "model": "none",
           "examples": [f"example {i}" for i in range(12)]}
    import tomllib

    raw["timeout_s"] = tomllib.loads(f"t = {timeout}")["t"]
    with pytest.raises(MetadataError, match="timeout_s"):
        parse_metadata(raw)


def test_a_real_time_limit_is_kept():
    raw = {"name": "pp", "version": "1", "description": "d", "model": "none", "timeout_s": 30,
           "examples": [f"example {i}" for i in range(12)]}
    assert parse_metadata(raw).timeout_s == 30.0


def test_unknown_keys_and_wrong_typed_tables_get_a_warning_naming_them(tmp_path, caplog):
    (tmp_path / "config.toml").write_text(
        "[inference]\nthreads = 2\nthreds = 4\n[offlode]\nenabled = true\n[plugins]\ncalc = 5\n"
        "[plugins.email]\ntone = 'warm'\n")
    caplog.set_level(logging.WARNING, logger="slm.config")
    settings = load_settings(env={"SLM_HOME": str(tmp_path)})
    assert settings.threads == 2
    text = caplog.text
    assert "inference.threds" in text and "'offlode'" in text and "plugins.calc should be a table" in text
    assert "plugins.email" not in text and "inference.threads" not in text  # known keys are not warned about


def test_the_warning_reaches_the_user_once_on_stderr(tmp_path):
    (tmp_path / "config.toml").write_text("[inference]\nthreds = 4\n")
    r = subprocess.run([sys.executable, "-m", "slm.cli.main", "ask", "--plugin", "calc", "15% of 240"],
                       capture_output=True, text=True, env=subprocess_env(SLM_HOME=str(tmp_path)), timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("unknown setting inference.threds") == 1

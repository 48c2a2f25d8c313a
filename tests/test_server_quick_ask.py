"""The quick `slm ask PROMPT` (slm.cli.quick_ask): through a running server without click or settings.

It may only ever be faster: the same stdout, stderr and exit status as the full
CLI, and it steps aside (the full CLI runs) whenever its inputs differ from the
server's, the request has options, or the server does not take the request.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from server_fixtures import cost_shape, start_server
from server_fixtures import served_count as served

from slm import settings_inputs
from slm.config import _SPECS, load_settings
from slm.server import state

LAUNCH = [sys.executable, "-X", "importtime", "-m", "slm.cli.launch"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("quick_home"))
    yield srv
    assert srv.stop() == 0, srv.output()


class Run:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.returncode, self.stdout = proc.returncode, proc.stdout
        # -X importtime writes "import time: ..." lines to stderr; keep the CLI's own lines apart
        lines = proc.stderr.splitlines()
        self.imported = {line.rsplit("|", 1)[1].strip() for line in lines if line.startswith("import time:")}
        self.stderr = [line for line in lines if not line.startswith("import time:")]

    @property
    def quick(self) -> bool:
        return "click" not in self.imported and "slm.config" not in self.imported


def slm(server, *args, cwd=None, **env) -> Run:
    return Run(subprocess.run([*LAUNCH, *args], capture_output=True, text=True, timeout=120, cwd=cwd,
                              env={**server.env, **env}, check=False))


@pytest.mark.parametrize("prompt", ["what is 15% of 80", "tell me a joke about pumps", "12 crates of 30 bottles"])
def test_the_quick_path_prints_what_in_process_prints(server, prompt):
    before = served(server)
    quick = slm(server, "ask", prompt)
    assert quick.quick, "the plain form went through click/settings"
    assert served(server) == before + 1  # the server answered it (or raised the typed error)
    local = slm(server, "ask", prompt, "--no-server")
    assert not local.quick
    assert (quick.returncode, quick.stdout) == (local.returncode, local.stdout)
    assert [cost_shape(x) for x in quick.stderr] == [cost_shape(x) for x in local.stderr]
    if quick.returncode:
        assert quick.stderr[-1].startswith("error: ") and "Traceback" not in "\n".join(quick.stderr)


def test_options_and_stdin_take_the_full_cli(server):
    for args, stdin in ((["ask", "what is 15% of 80", "--json"], None), (["ask", "-"], "2 + 2\n"),
                        (["ask", "   "], None), (["ask"], "3 * 3\n")):
        run = Run(subprocess.run([*LAUNCH, *args], input=stdin, capture_output=True, text=True, timeout=120,
                                 env=server.env, check=False))
        assert not run.quick, args
    assert json.loads(slm(server, "ask", "what is 15% of 80", "--json").stdout)["plugin"] == "calc"


def test_other_settings_step_aside_and_serving_settings_do_not(server):
    before = served(server)
    other = slm(server, "ask", "what is 15% of 80", SLM_PLUGIN_NOTES_MODEL="other-model")
    assert not other.quick and other.returncode == 0
    assert served(server) == before  # answer-shaping settings differ: the full CLI answered in-process
    off = slm(server, "ask", "what is 15% of 80", SLM_USE_SERVER="0")
    assert not off.quick and served(server) == before
    # where the server listens or how long it keeps models is not what it answers
    serving = slm(server, "ask", "what is 15% of 80", SLM_KEEP_ALIVE="1m", SLM_SERVER_PORT="1")
    assert serving.quick and serving.returncode == 0 and served(server) == before + 1


def test_a_changed_config_file_is_noticed(server):
    config = server.home / "config.toml"
    before = served(server)
    try:
        config.write_text('[plugins.notes]\nmodel = "other-model"\n', encoding="utf-8")
        run = slm(server, "ask", "what is 15% of 80")
        assert not run.quick and run.returncode == 0
        assert served(server) == before  # the server's settings are stale for this client: in-process
    finally:
        config.unlink()
    assert slm(server, "ask", "what is 15% of 80").quick


def test_a_stale_or_tampered_state_file_falls_back(server, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**server.env, "SLM_HOME": str(home)}
    data = json.loads((server.home / "server.json").read_text())
    data["inputs"] = settings_inputs.current(env)[1]
    # a dead process: the full CLI answers in-process (and finds no server either)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (home / "server.json").write_text(json.dumps({**data, "pid": int(dead.stdout)}))
    run = slm(server, "ask", "what is 15% of 80", SLM_HOME=str(home))
    assert not run.quick and run.returncode == 0 and "15% of 80 = 12" in run.stdout
    for junk in ("{", '{"inputs": 3}', json.dumps({**data, "url": "http://127.0.0.1:notaport"}),
                 json.dumps({**data, "pid": 2**70}), json.dumps({**data, "pid": "12"})):  # no pid os.kill takes
        (home / "server.json").write_text(junk)
        run = slm(server, "ask", "what is 15% of 80", SLM_HOME=str(home))
        assert run.returncode == 0 and "Traceback" not in "\n".join(run.stderr)


def test_a_token_server_is_asked_with_its_token(tmp_path):
    srv = start_server(tmp_path / "home", "--token", "s3cret-token-of-the-test")
    try:
        before = served(srv)
        run = slm(srv, "ask", "what is 15% of 80")
        assert run.quick and run.returncode == 0 and "15% of 80 = 12" in run.stdout
        assert served(srv) == before + 1
        path = srv.home / "server.json"
        original = path.read_text()
        try:  # the server answers 401 (the file's token is wrong): nothing ran, the full client says why
            path.write_text(json.dumps({**json.loads(original), "token": "wrong"}))
            run = slm(srv, "ask", "what is 15% of 80")
            assert not run.quick and run.returncode == 1 and served(srv) == before + 1
            assert run.stderr[-1].startswith("error: the slm server refused the request"), run.stderr
        finally:
            path.write_text(original)
    finally:
        assert srv.stop() == 0


# --- the digest itself -------------------------------------------------------------------------------

def test_the_digest_follows_every_input_that_changes_settings(tmp_path):
    env = {"SLM_HOME": str(tmp_path), "HOME": "/home/a", "PATH": "/bin"}
    home, base = settings_inputs.current(env)
    assert load_settings(env=env).inputs_digest == base
    assert settings_inputs.current({**env, "PATH": "/usr/bin"})[1] == base  # not an slm input
    for change in ({"SLM_THREADS": "2"}, {"HF_ENDPOINT": "http://x"}, {"SLM_CONFIG": str(tmp_path / "c.toml")},
                   {"SLM_HOME": str(tmp_path / "other")}):
        (tmp_path / "c.toml").write_text("")
        assert settings_inputs.current({**env, **change})[1] != base, change
    (tmp_path / "config.toml").write_text('[inference]\nn_ctx = 2048\n')
    changed = settings_inputs.current(env)[1]
    assert changed != base and load_settings(env=env).inputs_digest == changed
    for serving in settings_inputs.SERVING_ENV:
        assert settings_inputs.current({**env, serving: "1"})[1] == changed, serving


def test_no_digest_when_the_quick_path_could_not_say_the_same(tmp_path):
    env = {"SLM_HOME": str(tmp_path)}
    assert load_settings(env=env, threads=2).inputs_digest is None  # arguments override the inputs
    assert load_settings(env=env).with_(threads=2).inputs_digest is None
    (tmp_path / "config.toml").write_text('[inference]\nno_such_key = 1\n')
    assert load_settings(env=env).inputs_digest is None  # loading warns; the quick path would not
    assert settings_inputs.current({"SLM_HOME": str(tmp_path), "SLM_CONFIG": str(tmp_path / "missing")}) is None


def test_serving_env_is_the_state_files_serving_settings():
    serving = {_SPECS[name].env for name in state._SERVING if name in _SPECS and _SPECS[name].env}
    # use_server and log_level stay inputs: a client that opts out, or logs otherwise, takes the full CLI
    assert settings_inputs.SERVING_ENV == serving - {"SLM_USE_SERVER", "SLM_LOG_LEVEL"}


def test_a_model_setting_naming_a_relative_file_is_answered_where_the_file_is(tmp_path):
    # the server resolves "m.gguf" in its own directory: a client elsewhere with the same config
    # must not be answered from another file (no quick path, and the full client answers in-process)
    from tinymodels import make_tiny_gguf

    here = tmp_path / "client-dir"
    here.mkdir()
    make_tiny_gguf(here / "m.gguf", seed=4)
    srv = start_server(tmp_path / "home", SLM_PLUGIN_NOTES_MODEL="m.gguf")
    try:
        assert json.loads((srv.home / "server.json").read_text())["inputs"] is None
        before = served(srv)
        run = slm(srv, "ask", "what is 15% of 80", cwd=here)
        assert not run.quick and run.returncode == 0 and served(srv) == before  # answered in-process
        elsewhere = slm(srv, "ask", "what is 15% of 80", "--json", cwd=tmp_path)  # no m.gguf here: the server
        assert elsewhere.returncode == 0 and served(srv) == before + 1
    finally:
        assert srv.stop() == 0, srv.output()


def test_a_hub_or_catalog_model_setting_keeps_the_quick_path(tmp_path):
    from slm.server.state import _may_name_relative_files

    assert not _may_name_relative_files(load_settings(env={"SLM_PLUGIN_NOTES_MODEL": "smollm2-135m-instruct"},
                                                      home=tmp_path))
    assert _may_name_relative_files(load_settings(env={"SLM_GENERAL_MODEL": "models/m.gguf"}, home=tmp_path))
    assert not _may_name_relative_files(load_settings(env={"SLM_GENERAL_MODEL": str(tmp_path / "m.gguf")},
                                                      home=tmp_path))

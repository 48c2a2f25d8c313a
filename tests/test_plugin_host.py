"""PluginHost: metadata without importing code, isolation (import error, raise, time limit,
bad results), quarantine across runs, and the Context a plugin gets (config, data folder,
streaming, ONNX sessions, and generation on the tiny GGUF model)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import subprocess_env
from plugin_fixtures import pdir, plugin_toml, write_plugin  # noqa: F401 - pdir is a fixture
from slm.config import load_settings
from slm.errors import (
    LocalAnswerFailedError,
    ModelNotPresentError,
    PluginBrokenError,
    PluginError,
    PluginNotFoundError,
)
from slm.host.discovery import load_entry, locate_module_dir
from slm.host.host import PluginHost
from slm.host.meta import MetadataError, parse_metadata, read_plugin_toml
from slm.plugins.sdk import Request, Result

OK = """
class P(Plugin):
    calls = 0
    def handle(self, request, ctx):
        P.calls += 1
        ctx.emit("he")
        ctx.emit("llo")
        return Result(text="hello " + request.prompt, data={"n": P.calls, "config": dict(ctx.config),
                      "data_dir": str(ctx.data_dir), "model": ctx.model})
plugin = P()
"""


@pytest.fixture
def settings(slm_home):
    return load_settings()



def host_with(settings, *infos, runtime=None):
    return PluginHost(settings, runtime, plugins=list(infos))


# --- metadata ------------------------------------------------------------------------
def good_meta(**changes):
    meta = {"name": "demo", "version": "1.2.0", "description": "  A   demo ", "model": "none",
            "examples": [f"demo example {i}" for i in range(10)], "sensitivity": "public",
            "permissions": {"network": True, "offload": "redact"}, "timeout_s": 5}
    meta.update(changes)
    return {k: v for k, v in meta.items() if v is not None}


def test_metadata_parses_into_plugin_info():
    info = parse_metadata(good_meta())
    assert (info.name, info.version, info.description, info.model) == ("demo", "1.2.0", "A demo", None)
    assert info.permissions.network is True and info.permissions.offload == "redact"
    assert info.sensitivity == "public" and info.timeout_s == 5.0 and len(info.examples) == 10
    assert parse_metadata(good_meta(model="Qwen/Qwen2.5-0.5B-Instruct-GGUF/q4.gguf")).model.endswith("q4.gguf")
    defaults = parse_metadata(good_meta(permissions=None, sensitivity=None, timeout_s=None, model=None))
    assert defaults.permissions.offload == "allowed" and defaults.permissions.network is False
    assert defaults.sensitivity == "internal" and defaults.model is None and defaults.timeout_s is None


@pytest.mark.parametrize("changes, phrase", [
    ({"name": "Bad Name"}, "bad name"),
    ({"name": None}, "'name' must be a non-empty string"),
    ({"version": ""}, "'version'"),
    ({"examples": ["only one"] * 12}, "needs 10-50 distinct examples, has 1"),
    ({"examples": [f"e{i}" for i in range(51)]}, "has 51"),
    ({"examples": "not a list"}, "list of strings"),
    ({"examples": ["ok"] * 9 + [" "]}, "empty entry"),
    ({"model": 3}, "'model' must be a string"),
    ({"permissions": {"offload": "sometimes"}}, "permissions.offload must be one of allowed, redact, allowed-raw, never"),
    ({"permissions": {"network": "yes"}}, "permissions.network must be true or false"),
    ({"permissions": {"disk": True}}, "unknown permission"),
    ({"permissions": {"examples": ["x"]}, "examples": None}, "before the [permissions] table"),
    ({"sensitivity": "secret"}, "sensitivity must be one of"),
    ({"timeout_s": 0}, "timeout_s must be a number of seconds above 0"),
    ({"timeout_s": True}, "timeout_s must be a number of seconds above 0"),
    ({"colour": "blue"}, "unknown key(s) colour"),
])
def test_bad_metadata_is_one_clear_line(changes, phrase):
    with pytest.raises(MetadataError) as err:
        parse_metadata(good_meta(**changes))
    assert phrase in str(err.value) and "\n" not in str(err.value)


def test_unreadable_plugin_toml(tmp_path):
    with pytest.raises(MetadataError, match="no plugin.toml"):
        read_plugin_toml(tmp_path)
    (tmp_path / "plugin.toml").write_text("name = [unclosed", encoding="utf-8")
    with pytest.raises(MetadataError, match="not valid TOML"):
        read_plugin_toml(tmp_path)


# --- discovery without running code ------------------------------------------------------
def test_builtins_are_listed_without_importing_their_code():
    code = ("import json, sys\nfrom slm.config import load_settings\nfrom slm.host.host import PluginHost\n"
            "h = PluginHost(load_settings())\nnames = [i.name for i in h.infos()]\nh.route_examples()\n"
            "h.examples_fingerprint()\n"
            "print(json.dumps({'names': names, 'mods': sorted(m for m in sys.modules if m.startswith('slm.plugins.'))}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), timeout=60)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout)
    assert {"calc", "notes", "email", "extract", "kb"} <= set(seen["names"])
    assert seen["mods"] == ["slm.plugins.sdk"]  # the contract only, never a plugin


def test_module_folder_found_without_executing_the_package(tmp_path, monkeypatch):
    pkg = tmp_path / "boom_pkg"
    (pkg / "inner").mkdir(parents=True)
    (pkg / "__init__.py").write_text("raise RuntimeError('must not run')\n")
    (pkg / "inner" / "__init__.py").write_text("raise RuntimeError('must not run')\n")
    (pkg / "inner" / "plugin.toml").write_text(plugin_toml("boomer"))
    (pkg / "single.py").write_text("raise RuntimeError('must not run')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert locate_module_dir("boom_pkg.inner") == pkg / "inner"
    assert locate_module_dir("boom_pkg.single") == pkg
    assert locate_module_dir("boom_pkg.missing") is None
    assert locate_module_dir("no_such_top_level_pkg.x") is None
    found = load_entry("boomer", "boom_pkg.inner:plugin", "boom-dist")
    assert found.problem is None and found.info.root == pkg / "inner" and found.info.distribution == "boom-dist"
    assert "boom_pkg" not in sys.modules and "boom_pkg.inner" not in sys.modules


def test_entry_point_problems_are_reported_not_raised(tmp_path, monkeypatch):
    pkg = tmp_path / "mis_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "plugin.toml").write_text(plugin_toml("other-name"))
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "differs from name 'other-name'" in load_entry("mis", "mis_pkg:plugin", None).problem
    assert "cannot find module" in load_entry("gone", "gone_pkg_xyz:plugin", None).problem
    assert "module:attribute" in load_entry("noattr", "mis_pkg", None).problem
    assert "bad plugin name" in load_entry("Bad Name", "mis_pkg:plugin", None).problem


# --- running and isolation -----------------------------------------------------------------
def test_run_streams_and_returns_a_plugin_run(settings, pdir):
    settings = settings.with_(plugin_config={"greeter": {"style": "short"}})
    info = write_plugin(pdir, "greeter", OK)
    pieces = []
    run = host_with(settings, info).run("greeter", Request("bob"), emit=pieces.append)
    assert pieces == ["he", "llo"] and run.streamed is True
    assert run.result.text == "hello bob" and run.plugin == "greeter"
    assert run.result.data["config"] == {"style": "short"}
    assert run.result.data["data_dir"] == str(settings.data_dir / "plugins" / "greeter")
    assert (settings.data_dir / "plugins" / "greeter").is_dir()
    assert run.model is None and run.usage.completion_tokens == 0  # no model was used
    assert run.timings.ttft_ms is not None and run.timings.total_ms >= run.timings.ttft_ms


def test_request_model_option_reaches_the_context(settings, pdir):
    info = write_plugin(pdir, "greeter", OK, model="some/repo/file.gguf")
    host = host_with(settings, info)
    assert host.run("greeter", Request("x")).result.data["model"] == "some/repo/file.gguf"
    assert host.run("greeter", Request("x", options={"model": "/m/other.gguf"})).result.data["model"] == "/m/other.gguf"


def test_unknown_and_disabled_plugins(settings, pdir):
    info = write_plugin(pdir, "greeter", OK)
    with pytest.raises(PluginNotFoundError, match="no plugin named 'nope'"):
        host_with(settings, info).run("nope", Request("x"))
    off = host_with(settings.with_(disabled_plugins=("greeter",)), info)
    with pytest.raises(PluginError, match="disabled"):
        off.run("greeter", Request("x"))
    assert off.route_examples() == {} and off.status() == {"greeter": None}


@pytest.mark.parametrize("code, phrase", [
    ("import not_a_module_anywhere_xyz\nplugin = None\n", "failed to import ModuleNotFoundError"),
    ("def broken(:\n", "failed to import SyntaxError"),
    ("plugin = object()\n", "failed to import TypeError"),
    ("class P(Plugin):\n    def handle(self, request, ctx):\n        raise ValueError('boom ' * 3)\nplugin = P()\n",
     "raised ValueError: boom boom boom (at __init__.py:4)"),
    ("class P(Plugin):\n    def handle(self, request, ctx):\n        return 42\nplugin = P()\n",
     "handle() returned int, not slm.plugins.sdk.Result"),
    ("class P(Plugin):\n    def handle(self, request, ctx):\n        return Result(text='x', data={1, 2})\nplugin = P()\n",
     "Result.data is not JSON-serialisable"),
])
def test_a_broken_plugin_is_quarantined_and_the_others_keep_working(settings, pdir, code, phrase):
    bad = write_plugin(pdir, "bad", code)
    good = write_plugin(pdir, "greeter", OK)
    host = host_with(settings, bad, good)
    with pytest.raises(PluginBrokenError) as err:
        host.run("bad", Request("x"))
    assert phrase in err.value.one_line() and "quarantined" in err.value.one_line()
    assert "\n" not in err.value.one_line()
    # remembered by a fresh host (another process), shown by status, left out of routing
    again = host_with(load_settings(), bad, good)
    assert phrase in again.status()["bad"] and again.status()["greeter"] is None
    assert set(again.route_examples()) == {"greeter"}
    with pytest.raises(PluginBrokenError, match="is broken"):
        again.run("bad", Request("x"))
    assert again.run("greeter", Request("ann")).result.text == "hello ann"


def test_a_slow_plugin_is_stopped_at_its_time_limit(settings, pdir):
    slow = write_plugin(pdir, "slow", """
import time
class P(Plugin):
    def handle(self, request, ctx):
        for i in range(400):
            ctx.emit(f"{i} ")
            time.sleep(0.02)
        return Result(text="done")
plugin = P()
""", timeout_s=0.3)
    pieces = []
    started = time.monotonic()
    with pytest.raises(PluginBrokenError, match="ran past its time limit of 0.3 s"):
        host_with(settings, slow).run("slow", Request("x"), emit=pieces.append)
    assert time.monotonic() - started < 3
    count = len(pieces)
    assert count > 0
    time.sleep(0.2)
    assert len(pieces) == count  # nothing printed after the host gave up
    assert "time limit" in host_with(settings, slow).status()["slow"]


def test_local_answer_failed_and_model_errors_propagate_without_quarantine(settings, pdir):
    fails = write_plugin(pdir, "fails", """
class P(Plugin):
    def handle(self, request, ctx):
        raise LocalAnswerFailed("answer did not validate twice")
plugin = P()
""")
    absent = write_plugin(pdir, "absent", """
from slm.errors import ModelNotPresentError
class P(Plugin):
    def handle(self, request, ctx):
        raise ModelNotPresentError("model x is not on this device")
plugin = P()
""")
    host = host_with(settings, fails, absent)
    with pytest.raises(LocalAnswerFailedError, match="plugin fails: answer did not validate twice"):
        host.run("fails", Request("x"))
    with pytest.raises(ModelNotPresentError):
        host.run("absent", Request("x"))
    assert host.status() == {"fails": None, "absent": None}


def test_string_results_and_class_entry_points_are_accepted(settings, pdir):
    info = write_plugin(pdir, "plain", """
class P(Plugin):
    def handle(self, request, ctx):
        return request.prompt.upper()
plugin = P  # the class itself: the host makes the instance
""")
    run = host_with(settings, info).run("plain", Request("abc"))
    assert run.result == Result(text="ABC") and run.streamed is False


def test_quarantine_is_lifted_when_the_plugin_changes_or_is_reset(settings, pdir):
    bad = write_plugin(pdir, "bad", "class P(Plugin):\n    def handle(self, r, c):\n        raise KeyError('k')\nplugin = P()\n")
    host = host_with(settings, bad)
    with pytest.raises(PluginBrokenError):
        host.run("bad", Request("x"))
    assert host.status()["bad"]
    source = bad.root / "__init__.py"
    source.write_text(source.read_text() + "# fixed\n")
    assert host.status()["bad"] is None  # its files changed: it gets another chance
    with pytest.raises(PluginBrokenError):
        host.run("bad", Request("x"))  # (the module stays imported in this process: still raises)
    assert host.quarantine.clear("bad") == ["bad"] and host.status()["bad"] is None
    assert host.quarantine.clear("bad") == []


def test_a_damaged_quarantine_file_is_ignored(settings, pdir):
    info = write_plugin(pdir, "greeter", OK)
    path = settings.data_dir / "plugin_quarantine.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    host = host_with(settings, info)
    assert host.status() == {"greeter": None}
    assert host.run("greeter", Request("z")).result.text == "hello z"


def test_examples_fingerprint_tracks_examples_and_versions(settings, pdir):
    a = write_plugin(pdir, "alpha", OK)
    b = write_plugin(pdir, "beta", OK)
    fp = host_with(settings, a, b).examples_fingerprint()
    assert fp == host_with(settings, b, a).examples_fingerprint()
    changed = write_plugin(pdir, "beta", OK, examples=[f"other {i}" for i in range(10)])
    assert host_with(settings, a, changed).examples_fingerprint() != fp
    bumped = write_plugin(pdir, "beta", OK, version="2.0.0")
    assert host_with(settings, a, bumped).examples_fingerprint() != fp
    assert host_with(settings, a, b).route_examples()["alpha"] == list(a.examples)


def test_time_limit_precedence(settings, pdir):
    own = write_plugin(pdir, "own", OK, timeout_s=7)
    plain = write_plugin(pdir, "plain", OK)
    host = host_with(settings.with_(plugin_timeout_s=30.0, plugin_config={"own": {"timeout_s": 3}}), own, plain)
    assert host.timeout_for(own) == 3.0 and host.timeout_for(plain) == 30.0
    assert host_with(settings, own).timeout_for(own) == 7.0


def test_onnx_session_from_a_file_the_plugin_ships(settings, pdir):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper

    info = write_plugin(pdir, "scorer", """
import numpy as np
class P(Plugin):
    def handle(self, request, ctx):
        session = ctx.onnx_session("double.onnx")
        assert session is ctx.onnx_session("double.onnx")  # cached
        out = session.run(None, {"x": np.array([[1.5, 2.0]], dtype=np.float32)})[0]
        return Result(text="ok", data=out.tolist())
plugin = P()
""")
    graph = helper.make_graph([helper.make_node("Add", ["x", "x"], ["y"])], "double",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, info.root / "double.onnx")
    host = host_with(settings, info)
    run = host.run("scorer", Request("x"))
    assert np.allclose(run.result.data, [[3.0, 4.0]])
    # made by the runtime's model cache (its providers, threads, idle unloading), not on the side
    assert [p.resolve() for p in host.runtime.models.loaded()] == [(info.root / "double.onnx").resolve()]


# --- the context on a real model (tiny GGUF through the runtime's local chat) ----------------
GEN = """
import json
SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"],
          "additionalProperties": False}
class P(Plugin):
    def handle(self, request, ctx):
        out = {"has_model": ctx.has_model, "n_ctx": ctx.n_ctx, "tokens": ctx.count_tokens("hello there")}
        out["text"] = ctx.generate(request.prompt, system="be brief", max_tokens=8, seed=1, stream=True)
        # room for the whole grammar ({"n": at most 16 digits}): always valid JSON
        out["json"] = ctx.generate_json(SCHEMA, "give n", max_tokens=64, seed=1)
        try:  # cut off after 2 tokens: never valid JSON
            out["cut"] = ctx.generate_json(SCHEMA, "give n", max_tokens=2, seed=1)
        except ValueError as exc:
            out["json_error"] = str(exc)
        return Result(text=out["text"], data=out)
plugin = P()
"""


def test_context_generates_with_the_tiny_model(settings, pdir, tmp_path):
    from slm.api import Runtime
    from slm.testing import tiny_gguf

    model = tiny_gguf()
    info = write_plugin(pdir, "gen", GEN, model=str(model))
    pieces = []
    with Runtime(settings) as runtime:
        run = host_with(settings, info, runtime=runtime).run("gen", Request("hi"), emit=pieces.append)
    data = run.result.data
    assert data["has_model"] is True and data["n_ctx"] > 0 and data["tokens"] > 0
    assert "".join(pieces) == data["text"] and 0 < run.usage.completion_tokens <= 8 + 64 + 2
    assert isinstance(data["json"]["n"], int) and set(data["json"]) == {"n"}
    assert "cut" not in data and "not valid JSON" in data["json_error"]
    assert run.model is not None and run.usage.prompt_tokens > 0
    assert run.timings.ttft_ms is not None


def test_context_without_the_model_present(settings, pdir):
    info = write_plugin(pdir, "gen", """
class P(Plugin):
    def handle(self, request, ctx):
        if not ctx.has_model:
            return Result(text="no model", data=None)
        return Result(text=ctx.generate(request.prompt))
plugin = P()
""", model=str(settings.home / "absent.gguf"))
    assert host_with(settings, info).run("gen", Request("hi")).result.text == "no model"


# --- streaming in the caller's thread (for the ask pipeline's generator) -------------------
def test_stream_yields_pieces_then_the_run(settings, pdir):
    info = write_plugin(pdir, "greeter", OK)
    stream = host_with(settings, info).stream("greeter", Request("eve"))
    assert stream.run is None
    assert list(stream) == ["he", "llo"]
    assert stream.run.result.text == "hello eve" and stream.run.streamed


def test_stream_raises_after_the_pieces_it_got(settings, pdir):
    info = write_plugin(pdir, "halfway", """
class P(Plugin):
    def handle(self, request, ctx):
        ctx.emit("part ")
        raise LocalAnswerFailed("second half did not validate")
plugin = P()
""")
    got = []
    with pytest.raises(LocalAnswerFailedError, match="second half"):
        for piece in host_with(settings, info).stream("halfway", Request("x")):
            got.append(piece)
    assert got == ["part "]


def test_stream_time_limit_and_early_exit(settings, pdir):
    code = """
import time
class P(Plugin):
    def handle(self, request, ctx):
        P.last_ctx = ctx
        for i in range(300):
            ctx.emit(f"{i} ")
            time.sleep(0.02)
        return Result(text="done")
plugin = P()
"""
    slow = write_plugin(pdir, "slow", code, timeout_s=0.3)
    started = time.monotonic()
    with pytest.raises(PluginBrokenError, match="time limit"):
        for _ in host_with(settings, slow).stream("slow", Request("x")):
            pass
    assert time.monotonic() - started < 3
    patient = write_plugin(pdir, "patient", code, timeout_s=30)
    # in slm's process (isolation off, as for built-ins): the request's context is cancelled
    host = host_with(settings.with_(plugin_isolation="off"), patient)
    stream = host.stream("patient", Request("x"))
    pieces = iter(stream)
    assert next(pieces) == "0 "
    pieces.close()  # the consumer leaves early: the plugin's request is cancelled, not quarantined
    ctx = sys.modules[patient.entry_point.split(":")[0]].P.last_ctx
    assert ctx._cancelled.is_set() and host.status()["patient"] is None


def test_stream_early_exit_stops_the_worker_without_quarantine(settings, pdir):
    import psutil

    patient = write_plugin(pdir, "patient", """
import os, time
class P(Plugin):
    def handle(self, request, ctx):
        ctx.emit(f"{os.getpid()}")
        for i in range(300):
            ctx.emit(f" {i}")
            time.sleep(0.02)
        return Result(text="done")
plugin = P()
""", timeout_s=30)
    host = host_with(settings, patient)
    pieces = iter(host.stream("patient", Request("x")))
    pid = int(next(pieces))
    assert pid != os.getpid() and psutil.pid_exists(pid)  # a worker process ran it
    pieces.close()
    assert not psutil.pid_exists(pid)  # killed (and reaped) when the consumer left
    assert host.status()["patient"] is None
    again = iter(host.stream("patient", Request("x")))
    assert int(next(again)) not in (pid, os.getpid())  # a fresh worker
    again.close()


# --- the test kit (slm.testing) -----------------------------------------------------------
def test_kit_runs_a_plugin_folder_with_config_and_its_own_home(pdir, tmp_path):
    from slm import testing

    info = write_plugin(pdir, "greeter", OK)
    pieces = []
    run = testing.run_plugin(info.root, "kim", config={"style": "long"}, home=tmp_path / "h", emit=pieces.append)
    assert run.result.text == "hello kim" and pieces == ["he", "llo"]
    assert run.result.data["config"] == {"style": "long"}
    assert run.result.data["data_dir"] == str(tmp_path / "h" / "data" / "plugins" / "greeter")
    assert testing.load_info(info.root).examples == info.examples
    with pytest.raises(PluginNotFoundError, match="no plugin.toml"):
        testing.load_info(tmp_path)


def test_kit_reports_broken_plugins_as_slm_errors(pdir, tmp_path):
    from slm import testing

    info = write_plugin(pdir, "bad", "class P(Plugin):\n    def handle(self, r, c):\n        raise OSError('disk')\nplugin = P()\n")
    with pytest.raises(PluginBrokenError, match="raised OSError: disk"):
        testing.run_plugin(info.root, "x", home=tmp_path)
    slow = write_plugin(pdir, "slow", "import time\nclass P(Plugin):\n    def handle(self, r, c):\n"
                                      "        time.sleep(5)\nplugin = P()\n")
    with pytest.raises(PluginBrokenError, match="time limit of 0.2 s"):
        testing.run_plugin(slow.root, "x", home=tmp_path, timeout_s=0.2)


def test_kit_tiny_model_is_built_once_and_loads(tmp_path):
    from slm import testing

    first = testing.tiny_gguf()
    assert first == testing.tiny_gguf() and first.stat().st_size > 10_000
    other = testing.tiny_gguf(tmp_path / "mine.gguf", seed=5)
    assert other == tmp_path / "mine.gguf" and other.read_bytes()[:4] == b"GGUF"
    assert other.read_bytes() != first.read_bytes()


WEATHER = [
    "what's the weather forecast for Paris tomorrow", "will it rain in Leeds this afternoon",
    "how cold will it be in Oslo tonight", "is it going to snow in Denver on Saturday",
    "weather outlook for the site visit in Madrid next week", "do I need an umbrella in Dublin today",
    "temperature forecast for Chicago on Monday", "is there a storm warning for the coast tonight",
    "how windy will it be in Aberdeen tomorrow", "will the roads be icy in Munich tomorrow morning",
    "sunny or cloudy in Lisbon this weekend", "what's the chance of rain in Seattle on Thursday",
]


def test_kit_routing_check_with_the_real_router(pdir, tmp_path):
    from slm import testing

    info = write_plugin(pdir, "weather", OK, examples=WEATHER)
    held_out = ["will it rain in Berlin on Friday", "weather forecast for Rome tomorrow",
                "how hot will it be in Seville this afternoon"]
    report = testing.assert_routes(info.root, held_out, home=tmp_path / "a", min_accuracy=0.6)
    assert report.total == 3 and report.correct >= 2
    # prompts that belong to other plugins must not count as this plugin's
    with pytest.raises(AssertionError, match=r"0/2 prompts for weather routed to it") as err:
        testing.assert_routes(info.root, ["add 8.25% sales tax to 1299", "3 licenses at $1,199 with 20% off"],
                              home=tmp_path / "b")
    assert "'add 8.25% sales tax to 1299' ->" in str(err.value)


def test_a_package_with_damaged_entry_points_does_not_break_discovery(tmp_path, monkeypatch):
    from slm.host.discovery import discover

    # importlib.metadata.entry_points() itself raises TypeError on this file
    for dist, entry_points in (("aaa-damaged", "[slm.plugins]\ngarbage-without-equals\n"),
                               ("zzz-fine", "[slm.plugins]\nfine-one = fine_pkg:plugin\n")):
        info = tmp_path / f"{dist.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(entry_points)
    (tmp_path / "fine_pkg").mkdir()
    (tmp_path / "fine_pkg" / "__init__.py").write_text("plugin = None\n")
    (tmp_path / "fine_pkg" / "plugin.toml").write_text(plugin_toml("fine-one"))
    monkeypatch.syspath_prepend(str(tmp_path))
    found = {d.name: d for d in discover()}
    assert found["fine-one"].problem is None and found["fine-one"].info.distribution == "zzz-fine"
    assert {"calc", "notes"} <= set(found)

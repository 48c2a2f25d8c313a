"""Third-party plugins run in a worker process: what a misbehaving one can no longer do to slm.

Every plugin here is a real package written to a folder (tests/plugin_fixtures.py) and
run by the real PluginHost; the CLI cases register it with an entry point as pip would.
Each way of breaking out (os._exit, a segfault, an abort, sys.exit, KeyboardInterrupt,
printing, a forked child, a hang, a memory hog, a hostile message) must end in one line,
a quarantine, and a parent that goes on working.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import psutil
import pytest
from conftest import subprocess_env
from plugin_fixtures import pdir, register_plugin, write_plugin  # noqa: F401 - pdir is a fixture
from slm.config import load_settings
from slm.errors import PluginBrokenError
from slm.host.host import PluginHost
from slm.plugins.sdk import Request

GOOD = """
import os
class P(Plugin):
    def handle(self, request, ctx):
        return Result(text="fine " + request.prompt, data={"pid": os.getpid()})
plugin = P()
"""


def handling(body: str, prelude: str = "") -> str:
    """A plugin whose handle() runs ``body``."""
    return (f"import os, sys, time, signal, subprocess\n{prelude}\nclass P(Plugin):\n"
            f"    def handle(self, request, ctx):\n{textwrap.indent(textwrap.dedent(body), '        ')}\n"
            f"        return Result(text='returned')\nplugin = P()\n")


@pytest.fixture
def settings(slm_home):
    return load_settings()


def host_with(settings, *infos):
    return PluginHost(settings, plugins=list(infos))


def gone(pid: int, within: float = 5.0) -> bool:
    """The process ended (a zombie waiting for init counts as ended)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def assert_quarantined(settings, err, bad, good, phrase):
    line = err.value.one_line()
    assert phrase in line and "quarantined" in line and "\n" not in line, line
    assert "Traceback" not in line
    # the parent keeps working, and a fresh host (another process) remembers the quarantine
    again = host_with(load_settings(), bad, good)
    assert again.run("good", Request("still")).result.text == "fine still"
    assert phrase in again.status()["bad"] and again.status()["good"] is None
    with pytest.raises(PluginBrokenError, match="is broken"):
        again.run("bad", Request("x"))


CRASHES = [
    ("import os\nos._exit(3)\n", "ended its process (exit code 3) while importing"),
    ("import ctypes\nctypes.string_at(0)\n", "crashed with SIGSEGV while importing"),
    ("raise SystemExit(2)\n", "called sys.exit(2) while importing"),
    ("raise KeyboardInterrupt\n", "failed to import KeyboardInterrupt"),
    (handling("os._exit(0)"), "ended its process (exit code 0) in handle()"),
    (handling("import ctypes; ctypes.string_at(0)"), "crashed with SIGSEGV in handle()"),
    (handling("os.kill(os.getpid(), signal.SIGABRT)"), "crashed with SIGABRT in handle()"),
    (handling("os.kill(os.getpid(), signal.SIGKILL)"), "was killed (SIGKILL; out of memory?) in handle()"),
    (handling("sys.exit(4)"), "called sys.exit(4) in handle()"),
    (handling("raise KeyboardInterrupt"), "raised KeyboardInterrupt (at __init__.py:"),
    (handling("raise SystemExit"), "called sys.exit() in handle()"),
]


@pytest.mark.parametrize("code, phrase", CRASHES, ids=[p for _, p in CRASHES])
def test_a_crash_is_one_line_and_a_quarantine(settings, pdir, code, phrase):
    bad = write_plugin(pdir, "bad", code)
    good = write_plugin(pdir, "good", GOOD)
    host = host_with(settings, bad, good)
    with pytest.raises(PluginBrokenError) as err:
        host.run("bad", Request("x"))
    assert host.run("good", Request("after")).result.text == "fine after"  # the same host goes on
    assert_quarantined(settings, err, bad, good, phrase)


FORKERS = {
    "fork": """
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        (ctx.data_dir / "child").write_text(str(pid))
    """,
    "popen": """
        (ctx.data_dir / "child").write_text(str(subprocess.Popen(["sleep", "60"]).pid))
    """,
    # detaches: a new session, its parent gone at once (re-parented to the worker, not to init)
    "daemon": """
        code = ("import os, sys, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\n"
                "open(sys.argv[1], 'w').write(str(os.getpid()))\\ntime.sleep(60)")
        subprocess.Popen([sys.executable, "-c", code, str(ctx.data_dir / "child")], start_new_session=True).wait()
        for _ in range(200):
            if (ctx.data_dir / "child").exists() and (ctx.data_dir / "child").read_text():
                break
            time.sleep(0.025)
    """,
}


@pytest.mark.parametrize("how", sorted(FORKERS))
def test_a_child_left_behind_is_killed_and_the_plugin_quarantined(settings, pdir, how):
    bad = write_plugin(pdir, "bad", handling(FORKERS[how]))
    good = write_plugin(pdir, "good", GOOD)
    with pytest.raises(PluginBrokenError) as err:
        host_with(settings, bad, good).run("bad", Request("x"))
    child = int((settings.data_dir / "plugins" / "bad" / "child").read_text())
    assert gone(child), f"the plugin's child {child} outlived its request"
    assert_quarantined(settings, err, bad, good, "left 1 child process running after handle() returned (killed)")


def test_a_hang_is_killed_at_the_time_limit_with_what_it_started(settings, pdir):
    hang = write_plugin(pdir, "hang", handling("""
        child = subprocess.Popen(["sleep", "60"]).pid
        (ctx.data_dir / "pids").write_text(f"{os.getpid()} {child}")
        while True:  # never calls ctx again, so only a kill stops it
            pass
    """), timeout_s=1)
    started = time.monotonic()
    with pytest.raises(PluginBrokenError, match="ran past its time limit of 1 s"):
        host_with(settings, hang).run("hang", Request("x"))
    assert time.monotonic() - started < 10
    worker, child = map(int, (settings.data_dir / "plugins" / "hang" / "pids").read_text().split())
    assert worker != os.getpid() and gone(worker) and gone(child)


def test_memory_is_limited(settings, pdir):
    hog = write_plugin(pdir, "hog", handling("""
        ballast = bytearray(64 << 20)  # fits
        ballast = bytearray(1 << 30)  # does not
    """))
    host = host_with(settings.with_(plugin_memory_mb=384), hog)
    with pytest.raises(PluginBrokenError) as err:
        host.run("hog", Request("x"))
    line = err.value.one_line()
    assert "ran out of memory in handle()" in line and "its limit is 384 MiB" in line, line
    fits = write_plugin(pdir, "fits", handling("ballast = bytearray(64 << 20)"))
    assert host_with(settings.with_(plugin_memory_mb=384), fits).run("fits", Request("x")).result.text == "returned"


NOISY = """
import os, sys
print("NOISE-IMPORT-OUT")
class P(Plugin):
    def handle(self, request, ctx):
        print("NOISE-OUT")
        sys.stderr.write("NOISE-ERR\\n")
        os.write(1, b"NOISE-FD1\\n")
        os.write(2, b"NOISE-FD2\\n")
        ctx.logger.warning("a line for slm's log")
        return Result(text="quiet answer", data={"n": 1})
plugin = P()
"""


def test_output_is_captured_to_the_plugin_log_not_mixed_into_slms(settings, pdir, capfd, caplog):
    noisy = write_plugin(pdir, "noisy", NOISY)
    with caplog.at_level("WARNING", logger="slm.plugins.noisy"):
        run = host_with(settings, noisy).run("noisy", Request("x"))
    assert run.result.text == "quiet answer"
    out, err = capfd.readouterr()
    assert "NOISE" not in out and "NOISE" not in err
    assert [r.getMessage() for r in caplog.records if r.name == "slm.plugins.noisy"] == ["a line for slm's log"]
    logged = (settings.logs_dir / "plugins" / "noisy.log").read_text()
    for mark in ("NOISE-IMPORT-OUT", "NOISE-OUT", "NOISE-ERR", "NOISE-FD1", "NOISE-FD2"):
        assert mark in logged


def test_cli_json_stays_json_and_a_crash_is_one_line(pdir, slm_home):
    register_plugin(pdir, write_plugin(pdir, "noisy", NOISY))
    register_plugin(pdir, write_plugin(pdir, "crasher", handling("print('last words'); import ctypes; ctypes.string_at(0)")))
    env = subprocess_env(PYTHONPATH=os.pathsep.join([str(pdir), os.environ.get("PYTHONPATH", "")]))

    def slm(*args):
        return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True,
                              env=env, timeout=120, check=False)

    done = slm("ask", "--plugin", "noisy", "anything", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["text"] == "quiet answer"  # the whole of stdout is the JSON answer
    assert "NOISE" not in done.stdout + done.stderr
    crashed = slm("ask", "--plugin", "crasher", "anything")
    assert crashed.returncode == 1 and crashed.stdout == ""
    lines = crashed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: plugin crasher crashed with SIGSEGV in handle()"), lines
    log_file = slm_home / "logs" / "plugins" / "crasher.log"
    assert f"its output is in {log_file}" in lines[0] and "last words" in log_file.read_text()
    listing = slm("plugins", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    rows = {row["name"]: row for row in json.loads(listing.stdout)}
    assert "crashed with SIGSEGV" in json.dumps(rows["crasher"])
    assert slm("ask", "--plugin", "calc", "15% of 240").stdout.startswith("15% of 240 = 36\n")


def test_a_worker_and_its_children_end_with_slm(pdir, slm_home):
    hang = write_plugin(pdir, "hang", handling("""
        child = subprocess.Popen(["sleep", "60"]).pid
        (ctx.data_dir / "pids").write_text(f"{os.getpid()} {child}")
        time.sleep(60)
    """), timeout_s=120)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(pdir)!r})
        from slm.config import load_settings
        from slm.host.host import PluginHost
        from slm.host.meta import read_plugin_toml
        from slm.plugins.sdk import Request
        info = read_plugin_toml({str(hang.root)!r}, entry_point={hang.entry_point!r})
        PluginHost(load_settings(), plugins=[info]).run("hang", Request("x"))
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], env=subprocess_env())
    pids = slm_home / "data" / "plugins" / "hang" / "pids"
    try:
        for _ in range(600):
            if pids.exists() and pids.read_text():
                break
            time.sleep(0.05)
        worker, child = map(int, pids.read_text().split())
    finally:
        parent.kill()  # SIGKILL: no atexit, no finaliser runs in slm
        parent.wait()
    assert gone(worker) and gone(child)


def test_hostile_messages_build_nothing_in_slm(settings, pdir):
    marker = settings.home / "pwned"
    bad = write_plugin(pdir, "bad", handling(f"""
        import pickle
        class Evil:
            def __reduce__(self):
                return (os.system, ("touch {marker}",))
        ctx._conn.send_bytes(pickle.dumps(("emit", Evil())))
        time.sleep(5)
    """))
    good = write_plugin(pdir, "good", GOOD)
    with pytest.raises(PluginBrokenError) as err:
        host_with(settings, bad, good).run("bad", Request("x"))
    assert not marker.exists()
    assert_quarantined(settings, err, bad, good, "sent a message slm cannot read")


def test_the_worker_stays_warm_and_overlapping_requests_get_their_own(settings, pdir):
    info = write_plugin(pdir, "good", GOOD)
    host = host_with(settings, info)
    first = host.run("good", Request("a")).result.data["pid"]
    assert first != os.getpid()
    assert host.run("good", Request("b")).result.data["pid"] == first  # no new process per request
    slow = write_plugin(pdir, "slow", handling("time.sleep(0.5)\nreturn Result(text=str(os.getpid()))"))
    host = host_with(settings, slow)
    pids: list[str] = []
    threads = [threading.Thread(target=lambda: pids.append(host.run("slow", Request("x")).result.text))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(pids) == 2 and len(set(pids)) == 2
    host.close()
    assert all(gone(int(p)) for p in pids)


def test_ctx_calls_are_served_by_the_parents_model(settings, pdir):
    from slm.api import Runtime
    from slm.testing import tiny_gguf

    model = tiny_gguf()
    info = write_plugin(pdir, "gen", """
import os, sys
class P(Plugin):
    def handle(self, request, ctx):
        text = ctx.generate(request.prompt, max_tokens=4, seed=1, stream=True)
        ctx.logger.info("generated")
        return Result(text=text, data={"pid": os.getpid(), "tokens": ctx.count_tokens("hello there"),
                                       "n_ctx": ctx.n_ctx, "has_model": ctx.has_model,
                                       "llama_here": "llama_cpp" in sys.modules, "config": dict(ctx.config)})
plugin = P()
""", model=str(model))
    pieces: list[str] = []
    with Runtime(settings.with_(plugin_config={"gen": {"tone": "dry"}})) as runtime:
        host = PluginHost(runtime.settings, runtime, plugins=[info])
        run = host.run("gen", Request("hi"), emit=pieces.append)
        loaded = [p.resolve() for p in runtime.models.loaded()]
    data = run.result.data
    assert data["pid"] != os.getpid() and data["llama_here"] is False  # no model code in the worker
    assert loaded == [model.resolve()]  # the parent loaded it, once
    assert data["has_model"] is True and data["tokens"] > 0 and data["n_ctx"] > 0
    assert data["config"] == {"tone": "dry"}
    assert "".join(pieces) == run.result.text and run.streamed
    assert 0 < run.usage.completion_tokens <= 4 and run.model is not None  # the parent's books


def test_the_workers_cpu_time_joins_the_energy_estimate(settings, pdir):
    from slm.energy.estimate import process_cpu_seconds

    busy = write_plugin(pdir, "busy", handling("""
        started = time.process_time()
        while time.process_time() - started < 0.4:
            pass
    """))
    host = host_with(settings, busy)
    host.run("busy", Request("warm up"))  # the worker's start and import are not this request's
    total0, own0 = process_cpu_seconds(), time.process_time()
    host.run("busy", Request("x"))
    worker_s = (process_cpu_seconds() - total0) - (time.process_time() - own0)
    assert worker_s >= 0.35, worker_s


def test_isolation_setting(settings, pdir):
    info = write_plugin(pdir, "good", GOOD)
    off = host_with(settings.with_(plugin_isolation="off"), info)
    assert off.run("good", Request("x")).result.data["pid"] == os.getpid()
    everything = PluginHost(settings.with_(plugin_isolation="all"))
    builtin = PluginHost(settings)
    calc = everything.get_info("calc")
    assert everything.isolated(calc) and not builtin.isolated(calc)
    assert everything.run("calc", Request("15% of 240")).result.text == builtin.run("calc", Request("15% of 240")).result.text
    everything.close()


CHECKS = """
import os, sys
def accepts(prompt):
    if "crash" in prompt:
        os._exit(7)
    if "explode" in prompt:
        raise RuntimeError("boom")
    return "decline" not in prompt
"""


@pytest.mark.parametrize("trigger, logged", [
    ("crash", "its accepts check ended its process (exit code 7)"),
    ("explode", "its accepts check raised RuntimeError: boom"),
])
def test_accepts_checks_run_in_the_worker(settings, pdir, caplog, trigger, logged):
    (pdir / "tcheck_iso.py").write_text(CHECKS)
    info = write_plugin(pdir, "sums", GOOD, accepts="tcheck_iso:accepts")
    host = host_with(settings, info)
    assert host.accepts("sums", "15% of 240") is True and host.accepts("sums", "15% of 240, decline") is False
    assert "tcheck_iso" not in sys.modules  # the check's module ran in the worker only
    with caplog.at_level("WARNING", logger="slm.plugins"):
        assert host.accepts("sums", f"{trigger} 1") is True  # a failing check: the router's choice stands
    assert logged in caplog.text
    assert host.accepts("sums", "decline") is True  # skipped from now on
    assert host.run("sums", Request("x")).result.text == "fine x" and host.status()["sums"] is None


def test_an_option_that_cannot_cross_is_a_plain_error_not_a_quarantine(settings, pdir):
    from slm.errors import PluginError

    info = write_plugin(pdir, "good", GOOD)
    host = host_with(settings, info)
    with pytest.raises(PluginError, match="a request option cannot be sent to its worker") as err:
        host.run("good", Request("x", options={"callback": lambda: 1}))
    assert not isinstance(err.value, PluginBrokenError) and host.status()["good"] is None
    assert host.run("good", Request("y")).result.text == "fine y"

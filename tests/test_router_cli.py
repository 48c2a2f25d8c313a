"""`slm route` / `slm router` with the built-in plugins, and robustness to any input."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from router_fixtures import ROUTES, make_router
from slm.cli.main import main


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory):
    return tmp_path_factory.mktemp("router_cli_home")


@pytest.fixture
def home(shared_home, monkeypatch):
    monkeypatch.setenv("SLM_HOME", str(shared_home))  # one trained router for the whole module
    return shared_home


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_route_json_for_builtin_plugins(home, capsys):
    code, out, _ = run_cli(capsys, "route", "what is 15% of 240", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["plugin"] == "calc"
    assert set(data) >= {"plugin", "confidence", "scores"}
    assert 0.0 <= data["confidence"] <= 1.0
    assert "calc" in data["scores"] and "email" in data["scores"]
    code, out, _ = run_cli(capsys, "route", "who painted the mona lisa", "--json")
    assert json.loads(out)["plugin"] is None


def test_route_plain_output_is_one_short_line(home, capsys):
    code, out, _ = run_cli(capsys, "route", "draft an email to the customer about the late delivery")
    assert code == 0 and out.count("\n") == 1 and out.startswith("email")
    code, out, _ = run_cli(capsys, "route", "tell me a bedtime story")
    assert code == 0 and out.startswith("none")


def test_route_file_keeps_order_one_object_per_line(home, capsys, tmp_path):
    prompts = ["convert 5 miles to km", "", "hello there", "draft an email to bob about the invoice",
               "what is 2^10", "write a haiku about snow", "\u4f60\u597d", "summarise my notes from the site visit"]
    path = tmp_path / "prompts.txt"
    path.write_text("\n".join(prompts) + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "route", "--file", str(path), "--json")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(prompts)
    objs = [json.loads(line) for line in lines]
    # same answers as routing each prompt alone, in the same order
    singles = []
    for prompt in prompts:
        if prompt:
            _, single, _ = run_cli(capsys, "route", prompt, "--json")
            singles.append(json.loads(single)["plugin"])
        else:
            singles.append(None)
    assert [o["plugin"] for o in objs] == singles
    assert objs[0]["plugin"] == "calc" and objs[3]["plugin"] == "email" and objs[1]["plugin"] is None


def test_route_bad_inputs(home, capsys, tmp_path):
    code, out, err = run_cli(capsys, "route", "--file", str(tmp_path / "missing.txt"), "--json")
    assert code == 1 and out == "" and err.count("\n") == 1 and err.startswith("error:")
    code, _, err = run_cli(capsys, "route", "--file", str(tmp_path))
    assert code == 1 and err.startswith("error:") and err.count("\n") == 1
    # no PROMPT and nothing piped on stdin: a usage error (subprocess: pytest's stdin cannot be read)
    import subprocess
    import sys

    from conftest import subprocess_env

    proc = subprocess.run([sys.executable, "-m", "slm.cli.main", "route"], input=b"", capture_output=True,
                          env=subprocess_env(), timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith(b"error:")
    code, _, err = run_cli(capsys, "route", "a prompt", "--file", str(tmp_path / "x"))
    assert code == 2
    for blank in ("", "   "):  # an empty PROMPT argument is refused like an empty stdin
        code, out, err = run_cli(capsys, "route", blank, "--json")
        assert code == 2 and out == "" and err.startswith("error: the prompt is empty") and err.count("\n") == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, err = run_cli(capsys, "route", "--file", str(empty), "--json")
    assert code == 0 and out == "" and err == ""
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad bytes\nconvert 5 kg to lb\n")
    code, out, _ = run_cli(capsys, "route", "--file", str(binary), "--json")
    assert code == 0 and len(out.splitlines()) == 2


def test_router_train_and_info(home, capsys):
    code, out, _ = run_cli(capsys, "router", "train", "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report["routes"]) >= {"calc", "email", "extract", "notes"}
    assert report["examples"] > 50 and report["negatives"] > 300 and not report["cached"]
    assert set(report["thresholds"]) == set(report["routes"]) and report["seconds"] > 0
    assert report["artifact_bytes"] < 3_000_000
    code, out, _ = run_cli(capsys, "router", "info", "--json")
    info = json.loads(out)
    assert code == 0 and info["trained"] and info["thresholds"] == pytest.approx(report["thresholds"], abs=1e-4)
    from slm.router import static_vectors

    bundled = static_vectors.load()
    sv = info["static_vectors"]
    assert sv["dims"] == bundled.dims and "MiniLM" in sv["source"] and sv["encoding"] == bundled.encoding
    assert sv["file_bytes"] == static_vectors.resolve(static_vectors.BUNDLED).stat().st_size
    code, out, _ = run_cli(capsys, "router", "train")
    assert code == 0 and "trained" in out and "threshold" in out
    code, out, _ = run_cli(capsys, "router", "info")
    assert code == 0 and "trained" in out and "static vectors: sentence-transformers/all-MiniLM-L6-v2" in out


# --- robustness: any text gets an answer, never an exception --------------------------------
@pytest.fixture(scope="module")
def small_router(tmp_path_factory):
    router = make_router(tmp_path_factory.mktemp("router_props"))
    router.train()
    return router


def check(decision):
    assert decision.plugin is None or decision.plugin in ROUTES
    assert 0.0 <= decision.confidence <= 1.0 and math.isfinite(decision.margin)
    assert set(decision.scores) == set(ROUTES)
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in decision.scores.values())
    json.dumps(decision.to_dict())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gets_an_answer(small_router, text):
    check(small_router.route(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), max_size=12))
def test_route_many_matches_length_and_order(small_router, prompts):
    decisions = small_router.route_many(prompts)
    assert len(decisions) == len(prompts)
    for prompt, decision in zip(prompts, decisions):
        check(decision)
        assert decision.plugin == small_router.route(prompt).plugin


@pytest.mark.parametrize("prompt", [
    "", " ", "\x00\x01\x02\x1b[31m\x7f", "😀🎉🔥" * 50, "¿Qué tiempo hará mañana en Madrid?",
    "明天会下雨吗", "погода на завтра", "ﷺ \u202e\u200b\ufeff", "\U0010ffff",
    "play " * 200_000, "x" * 1_000_000, "a\u0301" * 1000,
])
def test_hostile_inputs(small_router, prompt):
    check(small_router.route(prompt))


def test_non_string_inputs(small_router):
    for prompt in [None, b"play some jazz", 12345]:
        check(small_router.route(prompt))
    assert small_router.route(b"play some jazz").plugin == "music"


def test_route_dash_reads_one_prompt_from_stdin(home):
    import subprocess
    import sys

    from conftest import subprocess_env

    def run(stdin: bytes, *args: str):
        return subprocess.run([sys.executable, "-m", "slm.cli.main", "route", *args], input=stdin,
                              capture_output=True, env=subprocess_env(), timeout=120)

    proc = run(b"what is 15% of 240\n", "-", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["plugin"] == "calc"
    proc = run(b"   \n", "-")
    assert proc.returncode == 2 and proc.stderr.decode().startswith("error: the prompt is empty")
    proc = run(b"", "a prompt", "--file", "-")
    assert proc.returncode == 2 and b"not both" in proc.stderr


def test_first_run_training_says_so_on_stderr_once(tmp_path, monkeypatch, capsys):
    from slm.router import router as router_module

    monkeypatch.setenv("SLM_HOME", str(tmp_path))
    monkeypatch.setattr(router_module, "NOTICE_AFTER_S", 0.0)  # any training counts as slow here
    monkeypatch.setattr(router_module, "PREBUILT_DIR", tmp_path / "no-shipped-router")  # so it trains
    from slm.config import load_settings
    from slm.host.host import PluginHost

    routed = len(PluginHost(load_settings()).route_examples())  # the built-ins that declare examples
    code, out, err = run_cli(capsys, "route", "what is 15% of 240")
    assert code == 0 and out.startswith("calc")
    assert err.strip() == f"training the router for {routed} plugins…"
    code, out, err = run_cli(capsys, "route", "what is 15% of 240")  # cached: nothing to announce
    assert code == 0 and out.startswith("calc") and err == ""


def test_a_first_run_with_the_built_ins_loads_the_shipped_router_silently(tmp_path, monkeypatch, capsys):
    from slm.router import router as router_module

    monkeypatch.setenv("SLM_HOME", str(tmp_path))
    monkeypatch.setattr(router_module, "NOTICE_AFTER_S", 0.0)
    code, out, err = run_cli(capsys, "route", "what is 15% of 240")
    assert code == 0 and out.startswith("calc") and err == ""  # nothing trained, nothing to announce
    (folder,) = (tmp_path / "cache" / "router").iterdir()
    assert (folder / "model.onnx").read_bytes() == (router_module.PREBUILT_DIR / "model.onnx").read_bytes()

"""`slm ask --model` and the Python API end to end on a tiny real model."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import slm
from slm.cli.main import cli, main
from slm.result import AskResult

pytest_plugins = ("model_fixtures",)

SLM = [sys.executable, "-m", "slm.cli.main"]
RESULT_KEYS = {"text", "model", "where", "usage", "timings", "plugin", "data", "route", "energy",
               "offload_reason", "queue_id", "redaction", "adapters"}


@pytest.fixture(scope="module")
def model(tiny_gguf):
    return tiny_gguf  # the session's shared tiny model (tests/model_fixtures.py), built once


def slm_run(*args, input=None, timeout=60):
    return subprocess.run([*SLM, *map(str, args)], input=input, capture_output=True, text=True, timeout=timeout)


def test_cli_streams_answer_and_cost_line(model):
    proc = slm_run("ask", "hello there", "--model", model, "--max-tokens", "8", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    cost = proc.stderr.strip().splitlines()[-1]
    assert cost.startswith("— local · tiny.gguf · ") and "+8 tokens" in cost


def test_cli_json_is_one_object_matching_the_api(model):
    proc = slm_run("ask", "hello there", "-m", model, "--max-tokens", "6", "--seed", "7", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # exactly one JSON document
    assert set(data) == RESULT_KEYS
    assert data["where"] == "local" and data["model"] == str(model)
    assert set(data["usage"]) == {"prompt_tokens", "completion_tokens"}
    assert data["usage"]["completion_tokens"] == 6 and data["usage"]["prompt_tokens"] > 0
    assert set(data["timings"]) == {"load_ms", "ttft_ms", "total_ms"}
    assert data["timings"]["load_ms"] > 0 and 0 < data["timings"]["ttft_ms"] <= data["timings"]["total_ms"]
    with slm.Runtime() as rt:
        same = rt.ask("hello there", model=str(model), max_tokens=6, seed=7)
    assert same.text == data["text"] and same.usage.prompt_tokens == data["usage"]["prompt_tokens"]


def test_cli_reads_prompt_from_stdin(model):
    dash = slm_run("ask", "-", "-m", model, "--max-tokens", "3", "--seed", "2", "--json", input="hello there\n")
    piped = slm_run("ask", "-m", model, "--max-tokens", "3", "--seed", "2", "--json", input="hello there")
    arg = slm_run("ask", "hello there", "-m", model, "--max-tokens", "3", "--seed", "2", "--json")
    assert dash.returncode == piped.returncode == arg.returncode == 0, dash.stderr + piped.stderr
    texts = {json.loads(p.stdout)["text"] for p in (dash, piped, arg)}
    assert len(texts) == 1
    assert json.loads(dash.stdout)["usage"] == json.loads(arg.stdout)["usage"]


def test_cli_options_reach_the_model(model):
    runner = CliRunner()
    base = ["ask", "hello there", "-m", str(model), "--seed", "3", "--max-tokens", "30", "--json"]
    full = json.loads(runner.invoke(cli, base, catch_exceptions=False).output)
    words = [w for w in full["text"].split() if "\ufffd" not in w and len(w) > 1]
    stop = words[len(words) // 2]
    cut = json.loads(runner.invoke(cli, base + ["--stop", stop, "--stop", "zzz-none"], catch_exceptions=False).output)
    assert cut["text"] == full["text"][:full["text"].index(stop)]
    system = json.loads(runner.invoke(cli, base + ["--system", "be brief"], catch_exceptions=False).output)
    assert system["usage"]["prompt_tokens"] > full["usage"]["prompt_tokens"]
    greedy = [json.loads(runner.invoke(cli, ["ask", "hi", "-m", str(model), "--temperature", "0", "--seed", str(s),
                                              "--max-tokens", "5", "--json"], catch_exceptions=False).output)["text"]
              for s in (1, 2)]
    assert greedy[0] == greedy[1]


def test_cli_plain_output_via_runner(model):
    result = CliRunner().invoke(cli, ["ask", "hello", "-m", str(model), "--max-tokens", "4", "--seed", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert "— local · tiny.gguf · " in result.output and "+4 tokens" in result.output


def test_python_api_ask_and_stream(model):
    with slm.Runtime() as rt:
        result = rt.ask("hello there", model=str(model), max_tokens=10, seed=4)
        assert isinstance(result, AskResult) and result.where == "local"
        assert result.usage.completion_tokens == 10 and result.timings.load_ms > 0
        stream = rt.ask_stream("hello there", model=str(model), max_tokens=10, seed=4)
        assert stream.result is None
        pieces = list(stream)
        assert len(pieces) > 1 and "".join(pieces) == stream.result.text == result.text
        assert stream.result.timings.load_ms == 0.0  # the model stayed loaded
        assert stream.result.timings.ttft_ms <= stream.result.timings.total_ms
        assert rt.count_tokens(str(model), "hello world") == 2
        assert rt.model_context(str(model)) > 0


def test_python_api_json_schema(model):
    schema = {"type": "object", "properties": {"done": {"type": "boolean"}}, "required": ["done"],
              "additionalProperties": False}
    with slm.Runtime() as rt:
        result = rt.ask("is it done?", model=str(model), max_tokens=50, seed=1, json_schema=schema)
    assert isinstance(json.loads(result.text)["done"], bool)


@pytest.mark.parametrize("content", [b"", b"GGUF\x03\x00\x00\x00", b"not a model at all\n" * 50, "truncate"])
def test_corrupt_gguf_is_one_line_exit_1(model, tmp_path, content):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(model.read_bytes()[:30_000] if content == "truncate" else content)
    proc = slm_run("ask", "hello", "-m", bad)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_missing_model_is_exit_1(tmp_path):
    proc = slm_run("ask", "hello", "-m", tmp_path / "nope.gguf")
    assert proc.returncode == 1 and proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, stdin, needle", [
    (["ask", "", "-m", "x.gguf"], None, "empty"),
    (["ask", "   ", "-m", "x.gguf"], None, "empty"),
    (["ask", "-", "-m", "x.gguf"], "", "empty"),
    (["ask", "hi", "-m", "x.gguf", "--cloud", "--local-only"], None, "contradict"),
    (["ask", "hi", "-m", "x.gguf", "--max-tokens", "0"], None, "--max-tokens"),
    (["ask", "hi", "-m", "x.gguf", "--temperature", "5"], None, "--temperature"),
])
def test_usage_errors_exit_2(args, stdin, needle):
    proc = slm_run(*args, input=stdin)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1 and needle in proc.stderr, proc.stderr


def test_no_prompt_and_a_terminal_is_a_usage_error(monkeypatch, capsys):
    import click

    class Tty:
        def isatty(self):
            return True

        def read(self):  # pragma: no cover - must not be reached
            raise AssertionError("read a terminal")

    monkeypatch.setattr(click, "get_text_stream", lambda name, *a, **k: Tty() if name == "stdin" else sys.stdout)
    assert main(["ask", "-m", "x.gguf"]) == 2
    assert "no prompt" in capsys.readouterr().err


def test_help_imports_nothing_heavy():
    code = ("import sys\nfrom slm.cli.main import main\n"
            "for argv in (['--help'], ['ask', '--help']):\n"
            "    assert main(argv) == 0\n"
            "heavy = [m for m in ('llama_cpp', 'onnxruntime', 'numpy') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--max-tokens" in proc.stdout and "--local-only" in proc.stdout


def test_too_long_prompt_is_one_line_exit_1(model):
    proc = slm_run("ask", " ".join(["customer invoice total"] * 400), "-m", model)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: the prompt is") and len(proc.stderr.strip().splitlines()) == 1


def test_runtime_serves_onnx_models_through_the_same_interface(tmp_path):
    import numpy as np

    from slm.errors import BackendError
    from tinymodels import make_tiny_onnx

    path = make_tiny_onnx(tmp_path / "tiny.onnx")
    with slm.Runtime() as rt:
        backend = rt.backend(str(path))
        assert backend is rt.backend(str(path))  # cached
        assert backend.signature().inputs[0].name == "input"
        assert backend.run({"input": np.ones((3, 4), dtype=np.float32)})["output"].shape == (3, 2)
        with pytest.raises(BackendError):
            rt.local_chat(str(path), [{"role": "user", "content": "hi"}])
        with pytest.raises(BackendError):
            rt.count_tokens(str(path), "hi")

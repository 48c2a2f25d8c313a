"""`slm models ...`: --json outputs and exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import subprocess_env
from store_fixtures import (ONNX_SPEC, SMALL_SPEC, big_gguf, hub, make_store, small_gguf,  # noqa: F401
                            small_onnx, store)
from slm.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args: str):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_pull_info_list_verify_rm_json(capsys, hub, small_gguf):
    pulled = run_json(capsys, "models", "pull", SMALL_SPEC)
    assert pulled["source"] == SMALL_SPEC and pulled["already_present"] is False
    assert pulled["size_bytes"] == small_gguf.stat().st_size and len(pulled["sha256"]) == 64
    again = run_json(capsys, "models", "pull", SMALL_SPEC)
    assert again["already_present"] is True and again["path"] == pulled["path"]

    both = run_json(capsys, "models", "pull", SMALL_SPEC, ONNX_SPEC)
    assert [m["format"] for m in both] == ["gguf", "onnx"]

    rows = run_json(capsys, "models", "list", "--present")
    assert {r["name"] for r in rows} == {SMALL_SPEC, ONNX_SPEC} and all(r["status"] == "ok" for r in rows)
    catalog_rows = run_json(capsys, "models", "list")
    assert {"qwen2.5-0.5b-instruct", "llama-3.2-1b-instruct"} <= {r["name"] for r in catalog_rows}

    info = run_json(capsys, "models", "info", SMALL_SPEC)
    assert info["present"] is True and info["local"][0]["sha256"] == pulled["sha256"]
    cat = run_json(capsys, "models", "info", "qwen2.5-0.5b-instruct")
    assert cat["present"] is False and cat["catalog"]["variants"][0]["repo"].endswith("GGUF")

    verified = run_json(capsys, "models", "verify")
    assert verified["ok"] is True and len(verified["models"]) == 2

    removed = run_json(capsys, "models", "rm", ONNX_SPEC)
    assert len(removed["removed"]) == 1
    assert [r["name"] for r in run_json(capsys, "models", "list", "--present")] == [SMALL_SPEC]


def test_verify_exits_1_on_a_corrupt_file(capsys, hub):
    local = make_store().pull(SMALL_SPEC, progress=False)
    data = bytearray(local.path.read_bytes())
    data[-10] ^= 0xFF
    local.path.write_bytes(bytes(data))
    code, out, err = run(capsys, "models", "verify", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False and report["models"][0]["status"] == "corrupt"
    assert err.startswith("error: 1 model file(s) failed verification") and err.count("\n") == 1


def test_export_import_json(capsys, hub, tmp_path, monkeypatch):
    run_json(capsys, "models", "pull", SMALL_SPEC)
    pack = tmp_path / "p.slmpack"
    exported = run_json(capsys, "models", "export", SMALL_SPEC, "-o", str(pack))
    assert exported["pack"] == str(pack) and exported["models"][0]["source"] == SMALL_SPEC
    monkeypatch.setenv("SLM_HOME", str(tmp_path / "device"))
    imported = run_json(capsys, "models", "import", str(pack))
    assert imported["imported"] == [SMALL_SPEC]
    assert run_json(capsys, "models", "info", SMALL_SPEC)["present"] is True


@pytest.mark.parametrize("args,code,message", [
    (("models", "pull", "no-such-model"), 1, "error: unknown model 'no-such-model'"),
    (("models", "info", "org/repo/readme.md"), 1, "is not a model file"),
    (("models", "rm", "qwen2.5-0.5b-instruct"), 1, "is not on this device"),
    (("models", "verify", "qwen2.5-0.5b-instruct"), 1, "slm models pull qwen2.5-0.5b-instruct"),
    (("models", "import", "/nonexistent.tar"), 1, "no pack at"),
    (("models", "pull"), 2, "Missing argument"),
    (("models", "export", "x"), 2, "Missing option"),
])
def test_bad_input_is_one_line_and_an_exit_code(capsys, args, code, message):
    got, out, err = run(capsys, *args)
    assert got == code and message in err
    assert "Traceback" not in err


def test_offline_absent_model_one_line(capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, out, err = run(capsys, "models", "pull", "qwen2.5-0.5b-instruct", "--json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "offline mode is on" in err and "slm models pull qwen2.5-0.5b-instruct" in err


def test_pull_shows_a_progress_bar_and_exit_status(hub):
    proc = subprocess.run([sys.executable, "-m", "slm.cli.main", "models", "pull", SMALL_SPEC],
                          env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "100%" in proc.stderr and "tiny-q8_0.gguf" in proc.stderr  # tqdm bar on stderr
    assert proc.stdout.startswith("pulled: " + SMALL_SPEC)
    proc = subprocess.run([sys.executable, "-m", "slm.cli.main", "models", "pull", "test-org/Tiny-GGUF/none.gguf"],
                          env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.startswith("error: none.gguf was not found")


def test_unreadable_store_manifest_is_one_line_and_kept(capsys, slm_home):
    from slm.config import load_settings

    manifest = load_settings().models_dir / "manifest.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text('{"version": 1, "models": {', encoding="utf-8")  # cut off mid-write by hand
    code, out, err = run(capsys, "models", "list")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "manifest" in err and "unreadable" in err and "Traceback" not in err
    assert manifest.read_text(encoding="utf-8") == '{"version": 1, "models": {'  # nothing overwritten


def test_unverified_files_are_said_unverified_in_pull_list_and_json(capsys, hub, monkeypatch):
    hub.faults.weak_etag = True
    code, out, err = run(capsys, "models", "pull", SMALL_SPEC)
    assert code == 0 and "unverified: the hub published no hash" in out, err
    code, out, _ = run(capsys, "models", "list", "--present")
    assert code == 0 and "ok (unverified)" in out
    rows = run_json(capsys, "models", "list", "--present")
    assert [r["verified"] for r in rows] == [False]
    monkeypatch.setenv("SLM_REQUIRE_VERIFIED", "1")
    run(capsys, "models", "rm", SMALL_SPEC)
    code, out, err = run(capsys, "models", "pull", SMALL_SPEC, "--quiet")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "SLM_REQUIRE_VERIFIED" in err
    assert "Traceback" not in err and make_store().list(present_only=True) == []


def test_a_verified_pull_says_what_checked_it(capsys, hub):
    code, out, _ = run(capsys, "models", "pull", SMALL_SPEC)
    assert code == 0 and "checked against the hub sha256" in out and "unverified" not in out

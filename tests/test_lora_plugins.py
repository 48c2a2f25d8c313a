"""Adapter plugins: plugin.toml's table form, the host and pipeline applying a plugin's adapter,
`slm plugins info`, the request log, and two adapter plugins asked at once."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import run_at_once, subprocess_env
from lora_fixtures import MAX_TOKENS, PROMPT, SEED, lora_set, reference, same_text  # noqa: F401 - fixture
from plugin_fixtures import pdir, plugin_toml, write_plugin  # noqa: F401 - pdir is a fixture
from slm.adapters import AdapterRef, parse_spec, to_refs
from slm.errors import UsageError
from slm.host.meta import MetadataError, info_to_dict, parse_metadata

EXAMPLES = [f"legal question number {i}" for i in range(12)]
# Answers with the plugin's model through ctx.generate, greedy, so it can be held to the reference.
CODE = """
class P(Plugin):
    def handle(self, request, ctx):
        return Result(text=ctx.generate(request.prompt, max_tokens=16, temperature=0.0, seed=7))
plugin = P()
"""


def meta(model):
    return parse_metadata({"name": "legal", "version": "1", "description": "d", "examples": EXAMPLES,
                           "model": model})


def test_plugin_toml_model_table_forms():
    one = meta({"base": "qwen2.5-0.5b-instruct", "adapter": "acme/loras/legal.gguf", "scale": 0.8})
    assert one.model == "qwen2.5-0.5b-instruct" and one.adapters == (AdapterRef("acme/loras/legal.gguf", 0.8),)
    many = meta({"base": "b", "adapters": ["x.gguf", {"adapter": "y.gguf", "scale": 0.5}]})
    assert many.adapters == (AdapterRef("x.gguf", 1.0), AdapterRef("y.gguf", 0.5))
    assert meta("plain-model").adapters == () and meta("plain-model").model == "plain-model"
    assert info_to_dict(one)["adapters"] == [{"adapter": "acme/loras/legal.gguf", "scale": 0.8}]


@pytest.mark.parametrize("model, words", [
    ({"adapter": "x.gguf"}, "model.base must name the base model"),
    ({"base": "none", "adapter": "x.gguf"}, "model.base must name the base model"),
    ({"base": "b"}, "a table form names an adapter"),
    ({"base": "b", "adapter": "x", "adapters": ["y"]}, "not both"),
    ({"base": "b", "adapter": ""}, "model.adapter must name a LoRA adapter"),
    ({"base": "b", "adapter": "x", "scale": "high"}, "scale must be a number"),
    ({"base": "b", "adapter": "x", "scale": float("inf")}, "scale must be a number"),
    ({"base": "b", "adapters": []}, "non-empty list"),
    ({"base": "b", "adapters": [3]}, "entries must be adapter names"),
    ({"base": "b", "adapters": [{"adapter": "x", "weight": 2}]}, "unknown key"),
    ({"base": "b", "adapters": ["x"], "scale": 1.0}, "give each of model.adapters its own scale"),
    ({"base": "b", "adapter": "x", "rank": 8}, "unknown key"),
    ({"base": "b", "adapters": [f"a{i}" for i in range(9)]}, "at most 8"),
    ({"base": "b", "adapters": ["a", {"adapter": "a", "scale": 0.5}]}, "listed twice"),
    (3, "'model' must be a string"),
])
def test_bad_model_tables_are_one_line_metadata_errors(model, words):
    with pytest.raises(MetadataError, match=words) as caught:
        meta(model)
    assert "\n" not in str(caught.value)


def test_adapter_specs():
    assert parse_spec("acme/loras/legal.gguf:0.5") == AdapterRef("acme/loras/legal.gguf", 0.5)
    assert parse_spec("legal-lora:q8_0") == AdapterRef("legal-lora:q8_0")  # a catalog variant, not a scale
    assert parse_spec("./a.gguf:-1") == AdapterRef("./a.gguf", -1.0)
    assert to_refs([("a.gguf", 2), {"adapter": "b.gguf"}]) == (AdapterRef("a.gguf", 2.0), AdapterRef("b.gguf"))
    for bad in ("", ["a:1e9"], [("a", True)], [None], "x:nan", ["a.gguf", "a.gguf:0.5"]):
        with pytest.raises(UsageError):
            to_refs(bad)


def test_a_plugins_adapter_is_applied_and_recorded(lora_set, pdir, tmp_path):
    from slm import requestlog
    from slm.api import Runtime

    legal = write_plugin(pdir, "legal", CODE, model={"base": str(lora_set.base), "adapter": str(lora_set.a)})
    plain = write_plugin(pdir, "plain", CODE, model=str(lora_set.base))
    with Runtime(threads=1) as rt:
        rt.plugins._fixed = [_found(legal), _found(plain)]
        result = rt.ask("hello the world", plugin="legal", local_only=True)
        assert same_text(result.text, reference(lora_set.base, lora_set.a, max_tokens=16, seed=7))
        assert result.model == str(lora_set.base) and result.adapters == [{"adapter": str(lora_set.a), "scale": 1.0}]
        bare = rt.ask("hello the world", plugin="plain", local_only=True)
        assert same_text(bare.text, reference(lora_set.base, max_tokens=16, seed=7)) and bare.adapters is None
        # the request's adapters replace the plugin's: an empty list runs the bare base
        override = rt.ask("hello the world", plugin="legal", adapters=[], local_only=True)
        assert same_text(override.text, bare.text) and override.adapters is None
        assert len(rt.models.loaded()) == 1  # both plugins share the one loaded base
        entries = requestlog.read(rt.settings.logs_dir)[-3:]
    assert [e["plugin"] for e in entries] == ["legal", "plain", "legal"]
    assert entries[0]["model"] == str(lora_set.base)
    assert entries[0]["adapters"] == [{"adapter": str(lora_set.a), "scale": 1.0}] and entries[1]["adapters"] is None


def test_an_adapter_for_a_model_free_plugin_is_refused(lora_set):
    from slm.api import Runtime

    with Runtime(threads=1) as rt, pytest.raises(UsageError, match="plugin calc uses no model"):
        rt.ask("15% of 240", plugin="calc", adapters=[str(lora_set.a)])


def test_a_plugin_with_a_bad_adapter_fails_alone(lora_set, pdir):
    from slm.api import Runtime
    from slm.errors import AdapterMismatchError

    broken = write_plugin(pdir, "broken", CODE, model={"base": str(lora_set.base), "adapter": str(lora_set.wrong_arch)})
    plain = write_plugin(pdir, "plain", CODE, model=str(lora_set.base))
    with Runtime(threads=1) as rt:
        rt.plugins._fixed = [_found(broken), _found(plain)]
        with pytest.raises(AdapterMismatchError, match="is for qwen2 models"):
            rt.ask("hello the world", plugin="broken", local_only=True)
        assert rt.plugins.quarantine.reason(broken) is None  # slm's typed error, not the plugin's bug
        assert same_text(rt.ask("hello the world", plugin="plain", local_only=True).text,
                         reference(lora_set.base, max_tokens=16, seed=7))


def test_two_adapter_plugins_asked_at_once_get_their_own_answers(lora_set, pdir):
    from slm.api import Runtime

    infos = [write_plugin(pdir, name, CODE, model={"base": str(lora_set.base), "adapter": str(path)})
             for name, path in (("legal-a", lora_set.a), ("legal-b", lora_set.b))]
    want = {"legal-a": reference(lora_set.base, lora_set.a, max_tokens=16, seed=7),
            "legal-b": reference(lora_set.base, lora_set.b, max_tokens=16, seed=7)}
    got: dict[str, list[str]] = {"legal-a": [], "legal-b": []}
    with Runtime(threads=1) as rt:
        rt.plugins._fixed = [_found(i) for i in infos]

        def work(name):
            for _ in range(3):
                got[name].append(rt.ask("hello the world", plugin=name, local_only=True).text)

        errors = run_at_once(work, list(want), timeout=180)
    assert not errors, errors
    for name in want:
        assert len(got[name]) == 3 and all(same_text(t, want[name]) for t in got[name]), (name, got[name])


def _found(info):
    from slm.host.discovery import Discovered

    return Discovered(info=info)


def test_plugins_info_shows_base_and_adapters(lora_set, tmp_path):
    module = "lora_legal_pkg"
    dist = tmp_path / "lora_legal-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lora-legal\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[slm.plugins]\nlegal = {module}:plugin\n")
    pkg = tmp_path / module
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from slm.plugins.sdk import Plugin, Result\n" + CODE)
    (pkg / "plugin.toml").write_text(plugin_toml("legal", examples=EXAMPLES, model={
        "base": "smollm2-135m-instruct", "adapters": [str(lora_set.a), {"adapter": str(lora_set.b), "scale": 0.5}]}))
    env = subprocess_env(PYTHONPATH=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "slm.cli.main", "plugins", "info", "legal", "--json"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["model"] == "smollm2-135m-instruct"
    assert data["adapters"] == [{"adapter": str(lora_set.a), "scale": 1.0}, {"adapter": str(lora_set.b), "scale": 0.5}]
    text = subprocess.run([sys.executable, "-m", "slm.cli.main", "plugins", "info", "legal"],
                          env=env, capture_output=True, text=True, timeout=120).stdout
    assert "model:        smollm2-135m-instruct" in text and f"{lora_set.b} (scale 0.5)" in text
    listing = subprocess.run([sys.executable, "-m", "slm.cli.main", "plugins", "list"],
                             env=env, capture_output=True, text=True, timeout=120).stdout
    row = next(line for line in listing.splitlines() if line.startswith("legal "))
    assert "smollm2-135m-instruct + a.gguf, b.gguf" in row

"""The store handles LoRA adapters like models: pull (from the local hub server), list (marked as
adapters, with their base), info, verify, rm (refused while a plugin declares it unless --force),
export/import in packs."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import subprocess_env
from hubserver import HubServer
from lora_fixtures import MAX_TOKENS, PROMPT, SEED, lora_set, reference, same_text  # noqa: F401 - fixture
from slm.adapters import AdapterRef
from slm.errors import ModelInUseError
from slm.plugins.sdk import PluginInfo

BASE_SPEC = "test-org/Tiny-GGUF/tiny.gguf"
ADAPTER_SPEC = "test-org/Tiny-LoRA/legal-lora.gguf"


@pytest.fixture
def hub(monkeypatch, lora_set):
    server = HubServer()
    server.add_file("test-org/Tiny-GGUF", "tiny.gguf", lora_set.base.read_bytes())
    server.add_file("test-org/Tiny-LoRA", "legal-lora.gguf", lora_set.a.read_bytes())
    server.add_file("test-org/Tiny-LoRA", "not-a-lora.gguf", lora_set.not_adapter.read_bytes())
    server.start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    yield server
    server.stop()


def legal_plugin() -> PluginInfo:
    return PluginInfo(name="legal", version="1", description="d", examples=(), model=BASE_SPEC,
                      adapters=(AdapterRef(ADAPTER_SPEC, 0.8),))


def store(**kwargs):
    from slm.config import load_settings
    from slm.store.model_store import ModelStore

    return ModelStore(load_settings(), **kwargs)


def test_pull_list_info_verify_and_use_a_pulled_adapter(hub, lora_set):
    s = store(plugins=[legal_plugin()])
    local = s.pull(ADAPTER_SPEC, progress=False)
    assert local.kind == "adapter" and local.ram_bytes == local.size_bytes == lora_set.a.stat().st_size
    s.pull(BASE_SPEC, progress=False)
    rows = {r["name"]: r for r in s.list(present_only=True)}
    assert rows[ADAPTER_SPEC]["adapter"] is True and rows[ADAPTER_SPEC]["base"] == BASE_SPEC
    assert rows[BASE_SPEC]["adapter"] is False and rows[BASE_SPEC]["base"] is None
    info = s.info(ADAPTER_SPEC)
    assert info["local"][0]["kind"] == "adapter" and info["base"] == BASE_SPEC
    assert [r["status"] for r in s.verify([ADAPTER_SPEC])] == ["ok"]
    # a stored adapter applies by its store name, on a stored base
    from slm.api import Runtime

    with Runtime(threads=1) as rt:
        text = rt.local_chat(BASE_SPEC, PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED,
                             adapters=[ADAPTER_SPEC]).text
    assert same_text(text, reference(lora_set.base, lora_set.a))


def test_verify_catches_an_adapter_file_changed_on_disk(hub, lora_set):
    s = store()
    local = s.pull(ADAPTER_SPEC, progress=False)
    local.path.write_bytes(lora_set.a.read_bytes()[:1000])
    (result,) = s.verify([ADAPTER_SPEC])
    assert result["status"] == "corrupt"


def test_rm_refuses_an_adapter_a_plugin_declares_unless_forced(hub):
    s = store(plugins=[legal_plugin()])
    local = s.pull(ADAPTER_SPEC, progress=False)
    with pytest.raises(ModelInUseError, match="declared by plugin\\(s\\) legal; it was not removed") as caught:
        s.rm(ADAPTER_SPEC)
    assert "--force" in caught.value.one_line() and local.path.is_file()
    assert s.rm(ADAPTER_SPEC, force=True) == [str(local.path)] and not local.path.exists()
    # an adapter no plugin declares goes without --force
    s.pull(ADAPTER_SPEC, progress=False)
    assert store(plugins=[]).rm(ADAPTER_SPEC)


def test_adapters_travel_in_packs(hub, tmp_path, lora_set):
    s = store()
    s.pull(ADAPTER_SPEC, progress=False)
    s.pull(BASE_SPEC, progress=False)
    pack = tmp_path / "field.slmpack"
    s.export_pack([BASE_SPEC, ADAPTER_SPEC], pack)
    s.rm(ADAPTER_SPEC, force=True)
    s.rm(BASE_SPEC)
    result = s.import_pack(pack)
    assert sorted(result["imported"]) == sorted([BASE_SPEC, ADAPTER_SPEC])
    rows = {r["name"]: r for r in s.list(present_only=True)}
    assert rows[ADAPTER_SPEC]["adapter"] is True and rows[BASE_SPEC]["adapter"] is False


def cli(*args):
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], env=subprocess_env(),
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_lists_adapters_and_refuses_a_non_adapter_as_one(hub):
    assert cli("models", "pull", "-q", ADAPTER_SPEC).returncode == 0
    listing = cli("models", "list", "--present")
    assert "adapter" in next(line for line in listing.stdout.splitlines() if ADAPTER_SPEC in line)
    rows = json.loads(cli("models", "list", "--present", "--json").stdout)
    assert [r["adapter"] for r in rows if r["name"] == ADAPTER_SPEC] == [True]
    assert cli("models", "pull", "-q", BASE_SPEC).returncode == 0
    assert cli("models", "pull", "-q", "test-org/Tiny-LoRA/not-a-lora.gguf").returncode == 0
    run = cli("ask", "--model", BASE_SPEC, "--adapter", "test-org/Tiny-LoRA/not-a-lora.gguf", "hi")
    assert run.returncode == 1 and "is not a LoRA adapter" in run.stderr and "Traceback" not in run.stderr
    run = cli("ask", "--model", ADAPTER_SPEC, "hi")
    assert run.returncode == 1 and "is a LoRA adapter, not a model" in run.stderr
    run = cli("models", "rm", "--force", ADAPTER_SPEC)
    assert run.returncode == 0 and "removed" in run.stdout


def test_memory_plan_counts_the_base_once_for_plugins_sharing_it(hub, lora_set):
    from slm.store.adapter_use import memory_plan

    second = PluginInfo(name="tone", version="1", description="d", examples=(), model=BASE_SPEC,
                        adapters=(AdapterRef(ADAPTER_SPEC, 0.3), AdapterRef("test-org/Tiny-LoRA/absent.gguf")))
    s = store(plugins=[legal_plugin(), second])
    (plan,) = memory_plan(s, [legal_plugin()])
    assert plan["base_bytes"] is None and plan["total_bytes"] is None  # nothing pulled yet: unknown, not 0
    s.pull(BASE_SPEC, progress=False)
    s.pull(ADAPTER_SPEC, progress=False)
    base_ram = s.resolve_local(BASE_SPEC).ram_bytes
    (plan,) = memory_plan(s, [legal_plugin()])
    assert plan["total_bytes"] == base_ram + lora_set.a.stat().st_size
    (plan,) = memory_plan(s, [legal_plugin(), second])
    assert plan["plugins"] == ["legal", "tone"] and plan["separate_copies_bytes"] == 2 * base_ram
    assert [a["size_bytes"] for a in plan["adapters"]] == [lora_set.a.stat().st_size, None]


def test_a_catalog_entry_can_be_an_adapter_for_a_base(hub, lora_set, slm_home):
    (slm_home / "catalog.toml").write_text(f"""
[models."tiny-base"]
format = "gguf"
[[models."tiny-base".variants]]
quant = "f32"
repo = "test-org/Tiny-GGUF"
file = "tiny.gguf"

[models."legal-lora"]
description = "legal tone for tiny-base"
format = "gguf"
base = "tiny-base"
[[models."legal-lora".variants]]
quant = "f32"
repo = "test-org/Tiny-LoRA"
file = "legal-lora.gguf"
""", encoding="utf-8")
    s = store(plugins=[])
    rows = {r["name"]: r for r in s.list()}
    assert rows["legal-lora"]["adapter"] is True and rows["legal-lora"]["base"] == "tiny-base"
    assert rows["legal-lora"]["present"] is False
    s.pull("legal-lora", progress=False)
    s.pull("tiny-base", progress=False)
    rows = {r["name"]: r for r in s.list(present_only=True)}
    assert rows["legal-lora"]["present"] and rows["legal-lora"]["base"] == "tiny-base"
    from slm.api import Runtime

    with Runtime(threads=1) as rt:
        result = rt.ask("hello the world", model="tiny-base", adapters=["legal-lora"], temperature=0.0,
                        seed=SEED, max_tokens=MAX_TOKENS, local_only=True)
    assert same_text(result.text, reference(lora_set.base, lora_set.a))
    assert result.adapters == [{"adapter": "legal-lora", "scale": 1.0}] and result.model == "tiny-base"

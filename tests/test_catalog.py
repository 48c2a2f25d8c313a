"""The shipped model catalog and model-name parsing."""
from __future__ import annotations

from pathlib import Path

import pytest

from slm.store.catalog import HubFile, load_catalog, parse_spec, resolve_name
from slm.errors import ConfigError, UnknownModelError


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_shipped_catalog_has_the_required_models(catalog):
    q05, q15, llama = (catalog.get(n) for n in ("qwen2.5-0.5b-instruct", "qwen2.5-1.5b-instruct",
                                                "llama-3.2-1b-instruct"))
    for entry in (q05, q15, llama):
        assert entry is not None and entry.format == "gguf"
        assert {v.quant for v in entry.variants} >= {"q4_k_m", "q8_0"}
        assert all(v.hub.file.endswith(".gguf") and v.size_mb and v.ram_mb for v in entry.variants)
        assert entry.context_length and entry.license
    assert q05.params.startswith("0.") and q15.params.startswith("1.5")
    onnx = [e for e in catalog if e.format == "onnx"]
    assert onnx and all(v.hub.file.endswith(".onnx") for e in onnx for v in e.variants)


def test_every_recorded_sha256_is_pinned_to_a_revision(catalog):
    pinned = [v for e in catalog for v in e.variants if v.sha256]
    assert pinned  # at least the ones published with their hash
    for v in pinned:
        assert len(v.sha256) == 64 and len(v.hub.revision) == 40 and v.hub.revision != "main"


def test_variants_are_in_preference_order_largest_first(catalog):
    for entry in catalog:
        rams = [v.ram_mb for v in entry.variants]
        assert rams == sorted(rams, reverse=True), entry.name


@pytest.mark.parametrize("text,expected", [
    ("Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
     HubFile("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf")),
    ("sentence-transformers/all-MiniLM-L6-v2/onnx/model.onnx",
     HubFile("sentence-transformers/all-MiniLM-L6-v2", "onnx/model.onnx")),
    ("org/repo/model.gguf@v1.2", HubFile("org/repo", "model.gguf", "v1.2")),
    ("org/repo/model.txt", None),
    ("org/model.gguf", None),
    ("org/repo/../x.gguf", None),
    ("org//x.gguf", None),
])
def test_parse_spec(text, expected):
    assert parse_spec(text) == expected


def test_resolve_name_kinds(catalog, tmp_path):
    ref = resolve_name(catalog, "qwen2.5-0.5b-instruct")
    assert ref.kind == "catalog" and [v.quant for v in ref.candidates] == ["q8_0", "q4_k_m"]
    forced = resolve_name(catalog, "qwen2.5-0.5b-instruct:Q4_K_M")
    assert [v.quant for v in forced.candidates] == ["q4_k_m"]
    assert resolve_name(catalog, "org/repo/file.gguf").kind == "spec"
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    assert resolve_name(catalog, str(model)).kind == "path"


@pytest.mark.parametrize("name,message", [
    ("no-such-model", "unknown model"),
    ("qwen2.5-0.5b-instruct:q9", "no variant"),
    ("org/repo/readme.md", "not a model file"),
    ("./missing.gguf", "no model file at"),
    ("/etc/hostname", "not a model file"),
    ("", "a model name is needed"),
])
def test_resolve_name_rejects(catalog, name, message):
    with pytest.raises(UnknownModelError, match=message):
        resolve_name(catalog, name)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[models.mine]
format = "gguf"
[[models.mine.variants]]
quant = "q4"
repo = "me/repo"
file = "m.gguf"
"""


@pytest.mark.parametrize("text,message", [
    (GOOD.replace('format = "gguf"', 'format = "bin"'), "format must be"),
    (GOOD.replace('file = "m.gguf"', 'file = "m.onnx"'), "is not a gguf file"),
    (GOOD + 'sha256 = "' + "a" * 64 + '"\n', "needs the pinned revision"),
    (GOOD + 'revision = "abc"\nsha256 = "xyz"\n', "64 lower-case hex"),
    (GOOD + "ram_mb = -1\n", "ram_mb must be a positive"),
    (GOOD.replace("[models.mine]", "[models.Mine]").replace("models.mine.", "models.Mine."), "names are lower-case"),
    ("[models.x]\nformat = 'gguf'\n", "at least one"),
    ("models = [", "not valid TOML"),
])
def test_bad_catalogs_are_config_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_catalog([_write(tmp_path / "c.toml", text)])


def test_user_catalog_in_slm_home_adds_entries(tmp_path):
    _write(tmp_path / "catalog.toml", GOOD)
    catalog = load_catalog(home=tmp_path)
    assert catalog.get("mine").variants[0].hub == HubFile("me/repo", "m.gguf")
    assert catalog.get("qwen2.5-0.5b-instruct") is not None  # built-ins stay

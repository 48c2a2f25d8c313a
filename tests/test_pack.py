"""Offline model packs: export on a connected device, import on one with no network."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from store_fixtures import (ONNX_SPEC, SMALL_SPEC, big_gguf, hub, make_store, small_gguf,  # noqa: F401
                            small_onnx, store, write_tiny_chat_catalog)
from slm.errors import CorruptModelError, DiskSpaceError, PackError


@pytest.fixture
def pack(store, tmp_path) -> Path:
    store.pull(SMALL_SPEC, progress=False)
    store.pull(ONNX_SPEC, progress=False)
    out = tmp_path / "field.slmpack"
    result = store.export_pack([SMALL_SPEC, ONNX_SPEC], out)
    assert result["pack"] == str(out) and len(result["models"]) == 2
    return out


@pytest.fixture
def device(monkeypatch, tmp_path, hub):
    """A second device: its own SLM_HOME, offline, and the hub unreachable."""
    monkeypatch.setenv("SLM_HOME", str(tmp_path / "device"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    hub.stop()
    return make_store()


def test_roundtrip_to_an_offline_device(pack, store, device, small_gguf):
    with tarfile.open(pack) as tar:
        names = tar.getnames()
    assert names[0] == "slm-pack.json" and len(names) == 3
    result = device.import_pack(pack)
    assert sorted(result["imported"]) == sorted([SMALL_SPEC, ONNX_SPEC]) and result["skipped"] == []
    local = device.resolve_local(SMALL_SPEC)
    assert local.path.read_bytes() == small_gguf.read_bytes()
    assert local.sha256 == store.resolve_local(SMALL_SPEC).sha256
    assert device.read_manifest()[SMALL_SPEC]["source"] == "pack"
    assert [r["status"] for r in device.verify()] == ["ok", "ok"]
    again = device.import_pack(pack)  # importing twice changes nothing
    assert again["imported"] == [] and sorted(again["skipped"]) == sorted([SMALL_SPEC, ONNX_SPEC])


def test_catalog_names_travel_with_the_pack(hub, slm_home, tmp_path, monkeypatch):
    write_tiny_chat_catalog(slm_home, SMALL_SPEC)
    store = make_store()
    store.pull("tiny-chat", progress=False)
    out = tmp_path / "p.tar"
    store.export_pack(["tiny-chat"], out)
    monkeypatch.setenv("SLM_HOME", str(tmp_path / "device"))  # this device's catalog lacks tiny-chat
    device = make_store()
    device.import_pack(out)
    assert device.resolve_local("tiny-chat").source == SMALL_SPEC


def _rewrite(pack: Path, out: Path, change) -> Path:
    """Copy a pack member by member, letting ``change(name, data) -> data`` alter contents."""
    with tarfile.open(pack) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for member in src:
            data = src.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def _installed(device) -> list[Path]:
    return [p for p in device.root.rglob("*") if p.is_file() and ".locks" not in p.parts
            and p.name not in ("manifest.json", ".manifest.lock")]


def test_tampered_model_is_rejected_and_nothing_installed(pack, device, tmp_path):
    def flip_in_gguf(name, data):
        if name.endswith(".gguf"):
            mid = len(data) // 2
            return data[:mid] + bytes([data[mid] ^ 1]) + data[mid + 1:]
        return data

    bad = _rewrite(pack, tmp_path / "bad.tar", flip_in_gguf)
    with pytest.raises(PackError, match="fails its sha256 check; nothing was imported"):
        device.import_pack(bad)
    assert _installed(device) == [] and device.read_manifest() == {}


def test_tampered_manifest_size_is_rejected(pack, device, tmp_path):
    def lie(name, data):
        if name == "slm-pack.json":
            manifest = json.loads(data)
            manifest["models"][0]["size"] += 1
            return json.dumps(manifest).encode()
        return data

    with pytest.raises(PackError, match="wrong size"):
        device.import_pack(_rewrite(pack, tmp_path / "lie.tar", lie))
    assert _installed(device) == []


def test_truncated_pack_installs_nothing(pack, device, tmp_path):
    data = pack.read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(data[: len(data) - 200_000])  # the last model's bytes end early
    with pytest.raises(PackError, match="nothing was imported"):
        device.import_pack(cut)
    assert _installed(device) == [] and device.read_manifest() == {}


@pytest.mark.parametrize("source", ["test-org/Tiny-GGUF/../../../escape.gguf", "/etc/escape.gguf",
                                    "test-org/Tiny-GGUF/tiny-q8_0.onnx"])
def test_manifest_source_must_be_a_hub_file_of_its_format(pack, device, tmp_path, source):
    """The source names the installed path: no traversal, and its suffix must match the format."""
    def retarget(name, data):
        if name == "slm-pack.json":
            manifest = json.loads(data)
            manifest["models"][0]["source"] = source
            return json.dumps(manifest).encode()
        return data

    with pytest.raises(PackError, match="is not an ORG/REPO/FILE model file"):
        device.import_pack(_rewrite(pack, tmp_path / "evil.tar", retarget))
    assert _installed(device) == [] and not (tmp_path / "escape.gguf").exists()


@pytest.mark.parametrize("content", [b"", b"hello world" * 100])
def test_not_a_pack(device, tmp_path, content):
    p = tmp_path / "x.tar"
    p.write_bytes(content)
    with pytest.raises(PackError):
        device.import_pack(p)
    with pytest.raises(PackError, match="no pack at"):
        device.import_pack(tmp_path / "missing.tar")


def test_import_checks_disk_space_first(pack, monkeypatch, tmp_path):
    monkeypatch.setenv("SLM_HOME", str(tmp_path / "device"))
    with pytest.raises(DiskSpaceError):
        make_store(disk_free=lambda path: 10).import_pack(pack)
    assert not list((tmp_path / "device").rglob("*.gguf"))


def test_export_refuses_a_changed_file(store, tmp_path):
    local = store.pull(SMALL_SPEC, progress=False)
    data = bytearray(local.path.read_bytes())
    data[len(data) // 2] ^= 1
    local.path.write_bytes(bytes(data))
    with pytest.raises(CorruptModelError):
        store.export_pack([SMALL_SPEC], tmp_path / "p.tar")
    assert not (tmp_path / "p.tar").exists()


def test_export_needs_present_models(store, tmp_path, small_gguf):
    with pytest.raises(PackError, match="outside the model store"):
        store.export_pack([str(small_gguf)], tmp_path / "p.tar")
    with pytest.raises(PackError, match="at least one"):
        store.export_pack([], tmp_path / "p.tar")


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_export_to_an_unwritable_place_is_a_pack_error(store, tmp_path, where):
    store.pull(SMALL_SPEC, progress=False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "field.slmpack" if where == "under-a-file" else Path("/proc/field.slmpack")
    with pytest.raises(PackError, match=f"cannot write the pack {out}"):
        store.export_pack([SMALL_SPEC], out)
    assert blocker.read_text() == "not a folder"


# --- what vouches for the bytes (issue 18: unverified files, pinned catalog names) -------------------
def _pull_unverified(hub, store):
    hub.faults.weak_etag = True
    local = store.pull(SMALL_SPEC, progress=False)
    hub.faults.weak_etag = False
    return local


def test_a_hub_that_publishes_no_hash_gives_an_unverified_file_and_says_so(hub, store):
    local = _pull_unverified(hub, store)
    assert local.unverified and local.to_dict()["verified"] is False and local.checked_against is None
    row = next(r for r in store.list(present_only=True) if r["name"] == SMALL_SPEC)
    assert row["verified"] is False and row["checked_against"] is None


def test_a_verified_pull_says_what_checked_it(store):
    local = store.pull(SMALL_SPEC, progress=False)
    assert not local.unverified and local.checked_against == "hub sha256" and local.to_dict()["verified"] is True


def test_require_verified_refuses_an_unverified_pull_and_keeps_nothing(hub, store, monkeypatch):
    from slm.errors import UnverifiedModelError

    monkeypatch.setenv("SLM_REQUIRE_VERIFIED", "1")
    hub.faults.weak_etag = True
    strict = make_store()
    with pytest.raises(UnverifiedModelError, match="no hash"):
        strict.pull(SMALL_SPEC, progress=False)
    assert not strict.is_present(SMALL_SPEC) and not any(strict.partial_dir.glob("*.part"))


def test_packs_refuse_unverified_models_unless_told(hub, store, tmp_path, monkeypatch):
    _pull_unverified(hub, store)
    out = tmp_path / "u.slmpack"
    store.export_pack([SMALL_SPEC], out)
    monkeypatch.setenv("SLM_HOME", str(tmp_path / "device"))
    with pytest.raises(PackError, match="never checked against a published hash") as err:
        make_store().import_pack(out)
    assert "SLM_REQUIRE_VERIFIED=0" in err.value.one_line() and make_store().read_manifest() == {}
    monkeypatch.setenv("SLM_REQUIRE_VERIFIED", "0")
    device = make_store()
    assert device.import_pack(out)["imported"] == [SMALL_SPEC]
    assert device.resolve_local(SMALL_SPEC).unverified  # still said, after the import


def _claim(pack: Path, out: Path, **fields) -> Path:
    def change(name, data):
        if name == "slm-pack.json":
            manifest = json.loads(data)
            manifest["models"][0].update(fields)
            return json.dumps(manifest).encode()
        return data
    return _rewrite(pack, out, change)


def test_a_pack_cannot_take_a_pinned_catalog_name_with_other_bytes(hub, store, slm_home, tmp_path, monkeypatch,
                                                                   big_gguf):
    import hashlib

    pinned = hashlib.sha256(big_gguf.read_bytes()).hexdigest()
    store.pull(SMALL_SPEC, progress=False)
    pack = tmp_path / "p.tar"
    store.export_pack([SMALL_SPEC], pack)
    monkeypatch.setenv("SLM_HOME", str(tmp_path / "device"))
    home = tmp_path / "device"
    home.mkdir()
    write_tiny_chat_catalog(home, "org/other/model.gguf", extra=f'revision = "{"a" * 40}"\nsha256 = "{pinned}"')
    for variant, names in (("list", ["tiny-chat"]), ("extra name", ["ok-name", "tiny-chat"])):
        claimed = _claim(pack, tmp_path / f"claim-{variant}.tar", names=names)
        with pytest.raises(PackError, match="claims the catalog name tiny-chat"):
            make_store().import_pack(claimed)
        assert make_store().read_manifest() == {}


def test_a_stored_record_with_a_pinned_name_but_other_bytes_never_resolves(hub, store, slm_home, big_gguf):
    import hashlib

    from slm.errors import ModelNotPresentError

    store.pull(SMALL_SPEC, progress=False)
    # as an older slm's import (or a hand edit) could have left it: the pinned name on the wrong file
    store.update_manifest(lambda models: models[SMALL_SPEC].update(names=["tiny-chat"]))
    pinned = hashlib.sha256(big_gguf.read_bytes()).hexdigest()
    write_tiny_chat_catalog(slm_home, "org/other/model.gguf", extra=f'revision = "{"a" * 40}"\nsha256 = "{pinned}"')
    with pytest.raises(ModelNotPresentError):
        make_store().resolve_local("tiny-chat")
    # the same record under a catalog entry that pins nothing still resolves by name
    write_tiny_chat_catalog(slm_home, "org/other/model.gguf")
    assert make_store().resolve_local("tiny-chat").source == SMALL_SPEC


@pytest.mark.parametrize("names", ["tiny-chat", [1, 2], [""], {"a": 1}])
def test_pack_names_must_be_a_list_of_names(pack, device, tmp_path, names):
    bad = _claim(pack, tmp_path / "bad.tar", names=names)
    with pytest.raises(PackError, match="names that are not a list"):
        device.import_pack(bad)
    assert device.read_manifest() == {}

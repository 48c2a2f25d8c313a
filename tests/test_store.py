"""ModelStore: resolving names locally, corrupt files, verify, rm, list, info."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from store_fixtures import (ONNX_SPEC, SMALL_SPEC, big_gguf, hub, make_store, small_gguf,  # noqa: F401
                            small_onnx, store)
from slm.errors import CorruptModelError, ModelNotPresentError, UnknownModelError, UsageError
from slm.store.gguf_check import check_gguf


def flip_byte(path: Path, offset: int) -> None:
    """Corrupt one byte in place (same size), as bit rot would; bump mtime like any write does."""
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0xFF]))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))


def test_absent_model_says_how_to_get_it(store):
    with pytest.raises(ModelNotPresentError) as err:
        store.resolve_local("qwen2.5-0.5b-instruct")
    assert "slm models pull qwen2.5-0.5b-instruct" in err.value.one_line()
    assert not store.is_present("qwen2.5-0.5b-instruct")
    with pytest.raises(UnknownModelError):
        store.resolve_local("nonsense")
    assert not store.is_present("nonsense")


def test_path_models_are_checked_before_use(store, small_gguf, small_onnx, tmp_path):
    local = store.resolve_local(str(small_gguf))
    assert local.path == small_gguf and local.format == "gguf" and local.context_length == 512
    assert local.sha256 is None and local.source is None and local.ram_bytes > local.size_bytes
    assert store.resolve_local(str(small_onnx)).format == "onnx"

    truncated = tmp_path / "cut.gguf"
    truncated.write_bytes(small_gguf.read_bytes()[:-4096])
    with pytest.raises(CorruptModelError, match="truncated"):
        store.resolve_local(str(truncated))
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a model at all" * 10)
    with pytest.raises(CorruptModelError, match="not a valid GGUF"):
        store.resolve_local(str(fake))
    fake_onnx = tmp_path / "fake.onnx"
    fake_onnx.write_bytes(b"GGUF....")
    with pytest.raises(CorruptModelError, match="not an ONNX model"):
        store.resolve_local(str(fake_onnx))


def test_gguf_header_check_finds_every_cut(small_gguf, tmp_path):
    data = small_gguf.read_bytes()
    info = check_gguf(small_gguf)
    assert info.data_end == len(data) and info.tensor_count > 0 and info.architecture == "llama"
    for cut in (3, 10, 100, info.data_offset - 1, info.data_offset + 10, len(data) - 1):
        p = tmp_path / f"cut{cut}.gguf"
        p.write_bytes(data[:cut])
        with pytest.raises(CorruptModelError):
            check_gguf(p)


def test_bit_rot_is_found_by_verify_and_blocks_use(store):
    local = store.pull(SMALL_SPEC, progress=False)
    assert [r["status"] for r in store.verify()] == ["ok"]
    flip_byte(local.path, local.size_bytes // 2)  # inside the tensor data: the header still parses
    results = store.verify([SMALL_SPEC])
    assert results[0]["status"] == "corrupt" and "sha256" in results[0]["reason"]
    with pytest.raises(CorruptModelError, match="corrupt") as err:
        store.resolve_local(SMALL_SPEC)
    assert "slm models pull" in err.value.one_line()
    assert not store.is_present(SMALL_SPEC)


def test_a_changed_file_is_rehashed_before_use(store):
    local = store.pull(SMALL_SPEC, progress=False)
    flip_byte(local.path, 5)  # without running verify: resolve_local notices the new mtime
    with pytest.raises(CorruptModelError, match="does not match the verified"):
        store.resolve_local(SMALL_SPEC)
    assert store.read_manifest()[SMALL_SPEC]["status"] == "corrupt"


def test_truncated_store_file_is_corrupt_and_pull_replaces_it(store, hub):
    local = store.pull(SMALL_SPEC, progress=False)
    with open(local.path, "r+b") as fh:
        fh.truncate(local.size_bytes - 1000)
    with pytest.raises(CorruptModelError, match="size"):
        store.resolve_local(SMALL_SPEC)
    assert store.verify()[0]["status"] == "corrupt"
    hub.reset_log()
    again = store.pull(SMALL_SPEC, progress=False)  # a corrupt copy is fetched again
    assert again.size_bytes == local.size_bytes and len(hub.downloads()) == 1
    assert store.resolve_local(SMALL_SPEC).sha256 == local.sha256


def test_missing_file_is_not_present(store):
    local = store.pull(SMALL_SPEC, progress=False)
    local.path.unlink()
    assert not store.is_present(SMALL_SPEC)
    with pytest.raises(ModelNotPresentError, match="gone"):
        store.resolve_local(SMALL_SPEC)
    assert store.verify()[0]["status"] == "missing"


def test_rm_list_info(store):
    store.pull(SMALL_SPEC, progress=False)
    store.pull(ONNX_SPEC, progress=False)
    rows = {r["name"]: r for r in store.list()}
    assert rows[SMALL_SPEC]["present"] and rows[SMALL_SPEC]["kind"] == "hub"
    assert rows["qwen2.5-0.5b-instruct"]["status"] == "absent"
    assert {r["name"] for r in store.list(present_only=True)} == {SMALL_SPEC, ONNX_SPEC}
    info = store.info(SMALL_SPEC)
    assert info["present"] and info["hub"]["repo"] == "test-org/Tiny-GGUF" and info["local"][0]["sha256"]
    assert store.info("qwen2.5-1.5b-instruct")["catalog"]["license"] == "apache-2.0"

    removed = store.rm(SMALL_SPEC)
    assert removed and not Path(removed[0]).exists()
    assert not (store.root / "hub" / "test-org" / "Tiny-GGUF").exists()  # empty folders pruned
    assert not store.is_present(SMALL_SPEC) and store.is_present(ONNX_SPEC)
    with pytest.raises(ModelNotPresentError):
        store.rm(SMALL_SPEC)


def test_rm_refuses_files_outside_the_store(store, small_gguf):
    with pytest.raises(UsageError):
        store.rm(str(small_gguf))
    assert small_gguf.exists()


def test_resolve_local_of_a_present_model_is_cheap(store, monkeypatch):
    store.pull(SMALL_SPEC, progress=False)
    import slm.store.hub

    def no_hashing(path):
        raise AssertionError("resolve_local re-hashed an unchanged file")

    monkeypatch.setattr(slm.store.hub, "file_sha256", no_hashing)
    for _ in range(3):
        assert make_store().resolve_local(SMALL_SPEC).sha256


# --- a damaged manifest entry (issue 18: listing never crashes, nothing outside the store is touched) ------
@pytest.mark.parametrize("damage", [
    {"size": {"a": 1}}, {"size": "12"}, {"size": -5}, {"path": 5}, {"path": "/etc/passwd"},
    {"path": "../../outside.gguf"}, {"names": "tiny-chat"}, {"names": [1, 2]}, {"sha256": "xyz"},
    {"format": "exe"}, {"repo": None},
])
def test_a_damaged_manifest_entry_is_listed_as_damaged_and_removable(store, damage, tmp_path):
    from slm.cli.main import main

    store.pull(SMALL_SPEC, progress=False)
    outside = tmp_path / "outside.gguf"
    outside.write_text("must survive")
    store.update_manifest(lambda models: models[SMALL_SPEC].update(damage))
    fresh = make_store()
    rows = {r["name"]: r for r in fresh.list(present_only=False)}
    assert rows[SMALL_SPEC]["status"] == "damaged" and rows[SMALL_SPEC]["present"] is False
    with pytest.raises(CorruptModelError, match="manifest entry is damaged"):
        fresh.resolve_local(SMALL_SPEC)
    assert main(["models", "list"]) == 0 and main(["models", "verify"]) != 0
    fresh.rm(SMALL_SPEC)
    assert SMALL_SPEC not in make_store().read_manifest() and outside.read_text() == "must survive"


def test_a_manifest_entry_that_is_not_a_table_is_damaged(store):
    store.pull(SMALL_SPEC, progress=False)
    store.update_manifest(lambda models: models.update({"org/x/y.gguf": "just a string"}))
    rows = {r["name"]: r for r in make_store().list()}
    assert rows["org/x/y.gguf"]["status"] == "damaged" and rows[SMALL_SPEC]["status"] == "ok"

"""The GGUF structural check: every cut and bogus length caught, the verdict cached per file state."""
from __future__ import annotations

import json
import os
import struct
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store_fixtures import big_gguf, hub, make_store, small_gguf, small_onnx  # noqa: F401
from slm.errors import CorruptModelError
from slm.store.gguf_check import CheckCache, check_gguf, check_model_file


def write_vocab_gguf(path: Path, n_tokens: int, *, merges: int = 0) -> Path:
    """A GGUF whose header is mostly a big string vocabulary (the expensive part to check)."""
    import numpy as np
    from gguf import GGUFWriter

    writer = GGUFWriter(str(path), "llama")
    writer.add_context_length(256)
    writer.add_token_list([f"tok{i}" for i in range(n_tokens)])
    if merges:
        writer.add_token_merges([f"t{i} k{i}" for i in range(merges)])
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_a_big_vocabulary_is_walked_and_every_cut_found(tmp_path):
    path = write_vocab_gguf(tmp_path / "vocab.gguf", 20_000, merges=5_000)
    data = path.read_bytes()
    info = check_gguf(path)
    assert info.data_end == len(data) and info.tensor_count == 1 and info.context_length == 256
    # cuts inside the token array, inside the merges, in the tensor infos, in the data
    for cut in (5_000, len(data) // 3, info.data_offset - 40, info.data_offset + 4, len(data) - 1):
        p = tmp_path / f"cut{cut}.gguf"
        p.write_bytes(data[:cut])
        with pytest.raises(CorruptModelError, match="truncated|not a valid GGUF"):
            check_gguf(p)


def test_a_bogus_string_length_in_the_vocabulary_fails_fast(tmp_path):
    path = write_vocab_gguf(tmp_path / "vocab.gguf", 1_000)
    data = bytearray(path.read_bytes())
    at = data.index(b"tok500") - 8  # the length prefix of token 500
    assert struct.unpack_from("<Q", data, at)[0] == 6
    data[at:at + 8] = struct.pack("<Q", 2**63)
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(bytes(data))
    with pytest.raises(CorruptModelError, match="truncated"):
        check_gguf(bad)


def _strings(values: list[bytes]) -> bytes:
    return b"".join(struct.pack("<Q", len(v)) + v for v in values)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.binary(min_size=1, max_size=24),  # ordinary tokens
                          st.binary(max_size=0),  # empty strings
                          st.binary(min_size=256, max_size=2000),  # long ones: length > one byte
                          st.builds(lambda a, n, b: a + b"\0" * n + b, st.binary(max_size=4),
                                    st.integers(7, 30), st.binary(max_size=4))),  # runs of zero bytes inside
                min_size=1, max_size=400),
       st.integers(0, 64), st.binary(max_size=64), st.data())
def test_the_bulk_skip_ends_exactly_where_the_walk_does(values, lead, tail, data):
    from slm.store import gguf_check

    buf = b"x" * lead + _strings(values) + tail
    count = data.draw(st.integers(1, len(values) + 2))  # more than there are: runs past the end
    try:
        walked = gguf_check._skip_strings_one_by_one(buf, lead, count)
    except gguf_check._Truncated:
        walked = None
    kept = gguf_check._WINDOW
    try:
        for window in (kept, 97, 16):  # small windows: runs cut at every kind of window end
            gguf_check._WINDOW = window
            bulk = gguf_check.skip_strings_bulk(buf, len(buf), lead, count)
            if walked is None or walked > len(buf):
                assert bulk > len(buf)  # truncated, both ways
            else:
                assert bulk == walked, window
    finally:
        gguf_check._WINDOW = kept


def test_a_151k_vocabulary_checks_the_same_in_bulk_and_one_by_one(tmp_path, monkeypatch):
    from slm.store import gguf_check

    path = write_vocab_gguf(tmp_path / "vocab.gguf", 151_646, merges=151_387)
    bulk = check_gguf(path)
    monkeypatch.setattr(gguf_check, "_BULK_MIN", 10**9)  # every array one string at a time
    assert check_gguf(path) == bulk and bulk.data_end == path.stat().st_size
    data = path.read_bytes()
    monkeypatch.undo()
    for cut in (len(data) // 4, len(data) // 2 + 3):  # inside the tokens, inside the merges
        p = tmp_path / f"cut{cut}.gguf"
        p.write_bytes(data[:cut])
        with pytest.raises(CorruptModelError, match="truncated"):
            check_gguf(p)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**9), st.integers(0, 255)), min_size=1, max_size=6))
def test_damaged_headers_only_ever_give_the_one_line_error(small_gguf, tmp_path, flips):
    data = bytearray(small_gguf.read_bytes())
    head = check_gguf(small_gguf).data_offset
    for at, value in flips:
        data[at % head] = value
    p = tmp_path / "flipped.gguf"
    p.write_bytes(bytes(data))
    try:
        check_gguf(p)
    except CorruptModelError as exc:
        assert "\n" not in exc.one_line()


def test_special_files_and_empty_files_are_refused(tmp_path):
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    with pytest.raises(CorruptModelError, match="empty"):
        check_gguf(empty)
    with pytest.raises(CorruptModelError, match="not a regular file"):
        check_gguf(tmp_path)
    fifo = tmp_path / "pipe.gguf"
    os.mkfifo(fifo)
    opener = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer end, so open() does not block
    try:
        with pytest.raises(CorruptModelError, match="not a regular file"):
            check_gguf(fifo)
    finally:
        os.close(opener)


def test_the_cache_answers_for_an_unchanged_file_and_only_for_it(small_gguf, tmp_path):
    cache = CheckCache(tmp_path / "checks.json")
    fresh = check_model_file(small_gguf, "gguf", cache=cache)
    assert fresh == check_gguf(small_gguf)
    key = CheckCache.key(small_gguf)
    assert cache.get(key) == fresh
    # The cache is what answers: a planted verdict for this exact file state is returned as is.
    planted = replace(fresh, name="planted-by-the-test")
    cache.put(key, planted)
    assert check_model_file(small_gguf, "gguf", cache=cache).name == "planted-by-the-test"
    # Any change to the file changes the key: the planted verdict no longer applies.
    copy = tmp_path / "copy.gguf"
    copy.write_bytes(small_gguf.read_bytes())
    assert check_model_file(copy, "gguf", cache=cache).name == fresh.name
    copy.write_bytes(copy.read_bytes()[:-100])
    with pytest.raises(CorruptModelError, match="truncated"):
        check_model_file(copy, "gguf", cache=cache)
    # A file rewritten in place with its old mtime restored is still walked again (ctime moved).
    st_before = copy.stat()
    copy.write_bytes(small_gguf.read_bytes())
    good_key = CheckCache.key(copy)
    cache.put(good_key, planted)
    copy.write_bytes(small_gguf.read_bytes()[:-100])
    os.utime(copy, ns=(st_before.st_atime_ns, os.stat(copy).st_mtime_ns))
    with pytest.raises(CorruptModelError):
        check_model_file(copy, "gguf", cache=cache)


def test_a_damaged_or_foreign_cache_is_no_verdict(small_gguf, tmp_path):
    path = tmp_path / "checks.json"
    for text in ("{not json", json.dumps([1, 2]), json.dumps({"version": 99, "entries": {}}),
                 json.dumps({"version": CheckCache.VERSION, "entries": {CheckCache.key(small_gguf): {"bogus": 1}}})):
        path.write_text(text)
        info = check_model_file(small_gguf, "gguf", cache=CheckCache(path))
        assert info == check_gguf(small_gguf)
    entries = json.loads(path.read_text())["entries"]
    assert CheckCache.key(small_gguf) in entries


def test_the_cache_stays_bounded(small_gguf, tmp_path):
    cache = CheckCache(tmp_path / "checks.json")
    info = check_gguf(small_gguf)
    for i in range(CheckCache.MAX_ENTRIES + 20):
        cache.put(f"k{i}", info)
    entries = json.loads(cache.path.read_text())["entries"]
    assert len(entries) == CheckCache.MAX_ENTRIES and "k0" not in entries and f"k{CheckCache.MAX_ENTRIES + 19}" in entries


def test_the_store_keeps_path_model_verdicts_under_slm_home(store_home_gguf):
    store, path = store_home_gguf
    local = store.resolve_local(str(path))
    cache_file = store.settings.cache_dir / "model_checks.json"
    assert json.loads(cache_file.read_text())["entries"][CheckCache.key(path)]["context_length"] == local.context_length
    path.write_bytes(path.read_bytes()[:-4096])
    with pytest.raises(CorruptModelError, match="truncated"):
        make_store().resolve_local(str(path))


@pytest.fixture
def store_home_gguf(hub, small_gguf, tmp_path):  # noqa: F811
    copy = tmp_path / "m.gguf"
    copy.write_bytes(small_gguf.read_bytes())
    return make_store(), copy

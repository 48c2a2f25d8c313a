"""slm.atomic_file: readers see the old content or the new, never half, even with writers racing."""
from __future__ import annotations

import os
import stat
import threading

import pytest
from slm.atomic_file import write_atomic


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_writes_replace_the_file_and_leave_nothing_behind(tmp_path):
    target = tmp_path / "state.json"
    assert write_atomic(target, "first")
    assert write_atomic(target, b"second")
    assert target.read_text() == "second"
    assert leftovers(tmp_path) == []


def test_threads_writing_one_file_at_once_never_mix_their_contents(tmp_path):
    # A temporary name made from the pid alone is shared by the threads of one process: two
    # of them wrote into one temporary file, and a reader could get a mix of both.
    target = tmp_path / "cache.json"
    blobs = [bytes([65 + n]) * 200_000 for n in range(8)]
    seen, errors = [], []

    def writer(blob):
        try:
            for _ in range(20):
                write_atomic(target, blob)
        except OSError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader():
        for _ in range(200):
            if target.exists():
                seen.append(target.read_bytes())

    threads = [threading.Thread(target=writer, args=(b,)) for b in blobs] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert seen and all(data in blobs for data in seen)  # whole contents only
    assert target.read_bytes() in blobs
    assert leftovers(tmp_path) == []


def test_without_replace_the_first_writer_wins(tmp_path):
    target = tmp_path / "key"
    assert write_atomic(target, b"one", replace=False)
    assert not write_atomic(target, b"two", replace=False)
    assert target.read_bytes() == b"one"
    assert leftovers(tmp_path) == []


def test_mode_is_the_new_files_permission(tmp_path):
    target = tmp_path / "secret"
    write_atomic(target, "token", mode=0o600)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_failed_write_raises_and_removes_its_temporary_file(tmp_path):
    target = tmp_path / "folder"
    target.mkdir()
    (target / "inside").write_text("x")  # os.replace cannot put a file over a non-empty folder
    with pytest.raises(OSError):
        write_atomic(target, "data")
    assert leftovers(tmp_path) == []
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing" / "file", "data")  # the folder must exist

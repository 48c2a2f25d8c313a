"""Faults a user can fix: a disk that fills mid-pull, a read-only SLM_HOME, a damaged queue.

Each gives one line naming the path and the fix, a non-zero exit, and loses nothing: the pull
resumes, the damaged queue is moved aside with what can be read kept.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import subprocess_env
from store_fixtures import SMALL_SPEC, big_gguf, hub, make_store, small_gguf, small_onnx  # noqa: F401
from slm.errors import DiskSpaceError, QueueError
from slm.offload.queue import OfflineQueue
from slm.offload.queue_repair import repair


def slm(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True,
                          env=subprocess_env(**env), timeout=120)


@pytest.fixture
def small_disk(tmp_path):
    """A 20 MB tmpfs: room for the pull check (file + margin), filled while the bytes arrive."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_that_fills_mid_pull_is_one_line_and_the_pull_then_completes(hub, small_gguf, small_disk, monkeypatch):
    monkeypatch.setenv("SLM_HOME", str(small_disk / "home"))
    store = make_store()
    hub.faults.throttle_s = 0.1  # slow enough to fill the disk while the bytes arrive
    filler = small_disk / "filler"
    failure: list[BaseException] = []

    def pull():
        try:
            store.pull(SMALL_SPEC, progress=False)
        except BaseException as exc:  # noqa: BLE001
            failure.append(exc)

    worker = threading.Thread(target=pull)
    worker.start()
    deadline = time.monotonic() + 30
    # huggingface_hub writes in 10 MB chunks: the bytes of this small file land in one write,
    # after the (throttled) transfer; filling the disk once the partial file exists makes it fail.
    while time.monotonic() < deadline and not any(store.partial_dir.glob("*.part")):
        time.sleep(0.01)
    with open(filler, "wb") as fh:  # take the rest of the disk
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    worker.join(60)
    assert failure and isinstance(failure[0], DiskSpaceError), failure
    line = failure[0].one_line()
    assert "disk filled up" in line and str(store.partial_dir) in line and "resumes" in line
    assert not store.is_present(SMALL_SPEC)  # nothing half-written was installed
    filler.unlink()
    hub.faults.throttle_s = 0.0
    local = store.pull(SMALL_SPEC, progress=False)  # after freeing space the same command completes
    assert local.path.read_bytes() == small_gguf.read_bytes()


def test_a_read_only_home_is_one_line_naming_it(small_disk, tmp_path):
    home = small_disk / "home"
    home.mkdir()
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    for args in (("ask", "--plugin", "calc", "15% of 240"), ("kb", "add", str(tmp_path)), ("queue", "list")):
        r = slm(*args, SLM_HOME=str(home))
        assert r.returncode == 1 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, (args, r.stderr)
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr
        assert "read-only" in r.stderr.lower() or "SLM_HOME" in r.stderr, r.stderr


def _queue_with(path: Path, n: int) -> list[str]:
    with OfflineQueue(path) as q:
        return [q.add([{"role": "user", "content": f"request number {i} " + "x" * 3000}]) for i in range(n)]


def test_a_garbage_queue_is_one_line_and_repair_moves_it_aside(slm_home):
    path = slm_home / "data" / "queue.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database at all" * 100)
    r = slm("queue", "list")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "slm queue repair" in r.stderr and str(path) in r.stderr
    r = slm("queue", "repair", "--json")
    assert r.returncode == 0, r.stderr
    done = json.loads(r.stdout)
    assert done["status"] == "repaired" and Path(done["moved_to"]).read_bytes().startswith(b"this is not")
    assert slm("queue", "list").returncode == 0


def test_repair_keeps_every_readable_request_with_its_id(tmp_path):
    path = tmp_path / "queue.db"
    ids = _queue_with(path, 30)
    data = bytearray(path.read_bytes())
    page = 4096
    for at in range(page * 5, page * 6):  # one page in the middle: some rows are lost, the rest must stay
        data[at] = 0xA5
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(QueueError, match="damaged"):
        with OfflineQueue(path) as q:
            q.list()
    done = repair(path)
    assert done["status"] == "repaired" and done["kept"] + done["unreadable"] <= 30 and done["kept"] > 0
    with OfflineQueue(path) as q:
        items = q.list()
    assert [i.id for i in items] == sorted((i.id for i in items), key=int) and all(i.id in ids for i in items)
    assert len(items) == done["kept"]
    with OfflineQueue(path) as q:
        assert q.add([{"role": "user", "content": "after repair"}]) not in {i.id for i in items}


def test_a_healthy_queue_is_left_alone(tmp_path):
    path = tmp_path / "queue.db"
    _queue_with(path, 3)
    before = path.read_bytes()
    assert repair(path)["status"] == "healthy" and path.read_bytes() == before
    assert list(tmp_path.glob("*.damaged-*")) == []

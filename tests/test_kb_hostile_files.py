"""`slm kb add` on folders that hold what a careless user or an attacker would put there.

Only regular files inside the folder (after every link is resolved) are read; links that
lead out, FIFOs, devices and sockets are skipped with a reason, never read, never hang.
"""
from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from slm.plugins.kb import documents
from slm.plugins.kb.index import KbIndex

SECRET = "root-password-hunter2 warranty"


@pytest.fixture()
def outside(tmp_path) -> Path:
    secret = tmp_path / "outside" / "credentials.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    return secret


@pytest.fixture()
def folder(tmp_path) -> Path:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "pump.md").write_text("# Pump\nThe warranty is two years.\n")
    return root


def _add(folder: Path, tmp_path: Path, timeout: float = 20.0):
    result: dict = {}

    def run():
        try:
            result["report"] = KbIndex(tmp_path / "kb").add([folder])
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            result["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), "kb add hung"
    if "error" in result:
        raise result["error"]
    return result["report"]


def _reasons(report) -> dict[str, str]:
    return {Path(s["path"]).name: s["reason"] for s in report.skipped}


@pytest.mark.parametrize("link_kind", ["file", "relative", "chain", "dir-file"])
def test_links_out_of_the_folder_are_skipped_and_never_shown(folder, outside, tmp_path, link_kind):
    if link_kind == "file":
        (folder / "notes.txt").symlink_to(outside)
    elif link_kind == "relative":
        (folder / "notes.txt").symlink_to(os.path.relpath(outside, folder))
    elif link_kind == "chain":  # a link to a link inside the folder that leads out
        (folder / "inner.txt").symlink_to(outside)
        (folder / "notes.txt").symlink_to(folder / "inner.txt")
    else:  # a link in a sub-folder, through ..
        (folder / "sub" / "notes.txt").symlink_to(Path("..") / ".." / "outside" / "credentials.txt")
    report = _add(folder, tmp_path)
    assert "notes.txt" in _reasons(report) and "outside" in _reasons(report)["notes.txt"]
    hits = KbIndex(tmp_path / "kb").search("hunter2 password", k=5)
    assert all("hunter2" not in h.text for h in hits)
    assert [Path(p).name for p in report.added] == ["pump.md"]


def test_a_link_that_stays_inside_the_folder_is_indexed_once(folder, tmp_path):
    (folder / "alias.md").symlink_to(folder / "pump.md")
    report = _add(folder, tmp_path)
    assert [Path(p).name for p in report.added] == ["pump.md"] and report.skipped == []


@pytest.mark.parametrize("special", ["fifo", "dev-zero", "dev-urandom", "socket"])
def test_special_files_are_skipped_without_reading(folder, tmp_path, special):
    name = folder / "big.txt"
    if special == "fifo":
        os.mkfifo(name)
    elif special == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(name))
    else:  # a link to a device: outside the folder, and not a regular file either
        name.symlink_to("/dev/zero" if special == "dev-zero" else "/dev/urandom")
    report = _add(folder, tmp_path, timeout=10)
    assert "big.txt" in _reasons(report)
    assert [Path(p).name for p in report.added] == ["pump.md"]


def test_a_named_special_file_is_refused_in_one_line(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    report = _add(fifo, tmp_path, timeout=10)
    assert _reasons(report) == {"pipe.md": "not a regular file"}


def test_the_size_cap_is_on_bytes_read(tmp_path, monkeypatch):
    path = tmp_path / "grows.txt"
    path.write_text("x" * 5000)
    assert documents.read_capped(path, 5000) == b"x" * 5000
    assert documents.read_capped(path, 4999) is None  # over the cap: refused, not truncated silently
    monkeypatch.setattr("slm.plugins.kb.index.MAX_FILE_BYTES", 1000)
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "big.md").write_text("word " * 400)
    report = _add(folder, tmp_path)
    assert "big.md" in _reasons(report) and report.added == []

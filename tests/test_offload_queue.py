"""The offline queue and `slm queue`: nothing lost, nothing sent twice, even across kill -9."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from conftest import subprocess_env
from slm.config import load_settings
from slm.errors import QueueError
from slm.offload.cloud import CloudClient
from slm.offload.queue import OfflineQueue

pytest_plugins = ("cloud_fixtures",)  # the llama_cpp.server "cloud" and the recording proxy


def slm(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True,
                          env=subprocess_env(**(env or {})), timeout=timeout)


def fill(home, n: int, *, prefix: str = "question", plugin: str | None = "notes") -> list[str]:
    with OfflineQueue.from_settings(load_settings(home=home)) as q:
        return [q.add([{"role": "user", "content": f"{prefix} {i}"}], plugin=plugin, reason="t", max_tokens=4)
                for i in range(n)]


def client(url: str) -> CloudClient:
    return CloudClient(base_url=url, model="tiny-cloud", backoff_base_s=0.01, max_retries=1)


# --- the CLI ---------------------------------------------------------------------------
def test_list_show_drop_json(slm_home):
    ids = fill(slm_home, 3)
    r = slm("queue", "list", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["id"] for row in rows] == ids
    assert set(rows[0]) == {"id", "status", "created", "plugin", "preview"}
    assert rows[0]["status"] == "pending" and rows[0]["plugin"] == "notes" and rows[0]["preview"] == "question 0"
    assert rows[0]["created"].endswith("Z")

    r = slm("queue", "show", ids[1], "--json")
    detail = json.loads(r.stdout)
    assert detail["prompt"] == "question 1" and detail["answer"] is None and detail["status"] == "pending"

    r = slm("queue", "drop", ids[1])
    assert r.returncode == 0 and f"dropped #{ids[1]}" in r.stdout
    assert [row["id"] for row in json.loads(slm("queue", "list", "--json").stdout)] == [ids[0], ids[2]]
    text = slm("queue", "list").stdout
    assert "question 2" in text and "question 1" not in text


@pytest.mark.parametrize("args", [("show", "999"), ("show", "abc"), ("drop", "999"), ("drop", "0"), ("show", "1 OR 1")])
def test_bad_or_unknown_id_is_one_line_exit_1(slm_home, args):
    fill(slm_home, 1)
    r = slm("queue", *args)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_empty_queue_and_corrupt_database(slm_home):
    assert slm("queue", "list").stdout.strip() == "the queue is empty"
    assert json.loads(slm("queue", "list", "--json").stdout) == []
    db = slm_home / "data" / "queue.db"
    db.write_bytes(b"this is not a sqlite database" * 100)
    r = slm("queue", "list")
    assert r.returncode == 1 and "is damaged" in r.stderr and "slm queue repair" in r.stderr and r.stderr.count("\n") == 1


def test_sync_without_cloud_configured_or_reachable(slm_home, dead_url):
    r = slm("queue", "sync", "--json")  # nothing queued: no cloud needed, not an error
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"sent": [], "failed": [], "pending": [], "error": None}
    fill(slm_home, 2)
    r = slm("queue", "sync")
    assert r.returncode == 1 and "no cloud is configured" in r.stderr
    r = slm("queue", "sync", "--json", env={"SLM_CLOUD_BASE_URL": dead_url})
    assert r.returncode == 1 and "cannot reach the cloud" in r.stderr and r.stderr.count("\n") == 1
    assert json.loads(r.stdout)["pending"] == ["1", "2"]
    assert [row["status"] for row in json.loads(slm("queue", "list", "--json").stdout)] == ["pending", "pending"]


# --- delivery ---------------------------------------------------------------------------
def test_sync_delivers_each_exactly_once_in_order(slm_home, proxy):
    ids = fill(slm_home, 4)
    env = {"SLM_CLOUD_BASE_URL": proxy.url, "SLM_CLOUD_MODEL": "tiny-cloud"}
    r = slm("queue", "sync", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"sent": ids, "failed": [], "pending": [], "error": None}
    assert [b["messages"][0]["content"] for b in proxy.bodies()] == [f"question {i}" for i in range(4)]
    keys = [req["headers"]["Idempotency-Key"] for req in proxy.requests]
    assert len(set(keys)) == 4 and all(proxy.upstream_calls[k] == 1 for k in keys)
    for qid in ids:
        detail = json.loads(slm("queue", "show", qid, "--json").stdout)
        assert detail["status"] == "sent" and detail["answer"] and detail["usage"]["completion_tokens"] > 0
    # a second sync sends nothing
    r = slm("queue", "sync", env=env)
    assert r.returncode == 0 and "sent 0" in r.stdout and len(proxy.requests) == 4


def test_sync_marks_rejected_requests_failed_and_goes_on(slm_home, canned_proxy):
    ids = fill(slm_home, 3)
    canned_proxy.fail_next = [(400, {})]
    with OfflineQueue.from_settings(load_settings(home=slm_home)) as q:
        report = q.sync(client(canned_proxy.url))
        assert report.failed == [ids[0]] and report.sent == ids[1:]
        assert q.get(ids[0]).status == "failed" and "HTTP 400" in q.get(ids[0]).error
        assert q.counts() == {"pending": 0, "sent": 2, "failed": 1}


def test_sync_stops_at_auth_error_keeping_order(slm_home, canned_proxy):
    fill(slm_home, 3)
    canned_proxy.require_key = "right"
    r = slm("queue", "sync", env={"SLM_CLOUD_BASE_URL": canned_proxy.url, "SLM_CLOUD_API_KEY": "wrong-secret-key"})
    assert r.returncode == 1 and "rejected the API key" in r.stderr and "wrong-secret-key" not in r.stderr + r.stdout
    assert len(canned_proxy.requests) == 1  # stopped at the first, the rest kept in order
    assert [row["status"] for row in json.loads(slm("queue", "list", "--json").stdout)] == ["pending"] * 3


def test_only_one_sync_at_a_time(slm_home, canned_proxy):
    fill(slm_home, 2)
    s = load_settings(home=slm_home)
    from filelock import FileLock

    with FileLock(str(s.data_dir / "queue.db") + ".sync.lock"):
        with OfflineQueue.from_settings(s) as q, pytest.raises(QueueError, match="another `slm queue sync`"):
            q.sync(client(canned_proxy.url))
    assert canned_proxy.requests == []


# --- kill -9 ------------------------------------------------------------------------------
def _kill_sync_at(slm_home, prox, stage: str, nth: int, env: dict) -> None:
    """Run `slm queue sync` and SIGKILL it when the nth request reaches `stage` at the proxy."""
    seen = {"n": 0}
    killed = threading.Event()
    procs: list[subprocess.Popen] = []

    def hook(at: str, key):
        if at == "received":
            seen["n"] += 1
        if at == stage and seen["n"] == nth and not killed.is_set():
            # set before the kill: the test thread wakes the moment the process dies
            killed.set()
            os.kill(procs[0].pid, signal.SIGKILL)
            procs[0].wait(10)
            if stage == "received":
                return "drop"  # the client died before the server did anything
        return None

    prox.hook = hook  # in place before the process can send anything: no request goes uncounted
    proc = subprocess.Popen([sys.executable, "-m", "slm.cli.main", "queue", "sync"], env=subprocess_env(**env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    procs.append(proc)
    _, err = proc.communicate(timeout=60)
    prox.hook = None
    assert killed.is_set() and proc.returncode == -signal.SIGKILL, (proc.returncode, seen, err[-500:])


@pytest.mark.parametrize("stage", ["received", "processed", "replied"])
def test_kill_9_mid_sync_then_sync_again_is_exactly_once(slm_home, proxy, stage):
    ids = fill(slm_home, 5)
    env = {"SLM_CLOUD_BASE_URL": proxy.url, "SLM_CLOUD_MODEL": "tiny-cloud"}
    _kill_sync_at(slm_home, proxy, stage, 3, env)
    with OfflineQueue.from_settings(load_settings(home=slm_home)) as q:
        raw = [i.raw_status for i in q.list()]
    # the first two are done; the third was in flight (or just answered) when the process died
    assert raw[:2] == ["sent", "sent"] and raw[4] == "pending"
    assert raw[2] in ("sending", "sent")
    # after "replied" the dying process may already have marked the 4th as sending, otherwise untouched
    assert raw[3] == "pending" or (stage == "replied" and raw[3] == "sending")
    r = slm("queue", "sync", "--json", env=env)
    assert r.returncode == 0, r.stderr
    rows = json.loads(slm("queue", "list", "--json").stdout)
    assert [row["status"] for row in rows] == ["sent"] * 5 and [row["id"] for row in rows] == ids
    keys = {req["headers"]["Idempotency-Key"] for req in proxy.requests}
    assert len(keys) == 5
    assert all(proxy.upstream_calls[k] == 1 for k in keys), proxy.upstream_calls  # processed exactly once
    assert sum(proxy.upstream_calls.values()) == 5
    if stage == "processed":  # re-sent with the same key and answered from the cache
        assert sum(proxy.arrivals.values()) == 6
    with OfflineQueue.from_settings(load_settings(home=slm_home)) as q:
        assert all(q.get(i).result for i in ids)


def test_kill_9_at_random_moments_loses_nothing_and_repeats_nothing(slm_home, canned_proxy):
    ids = fill(slm_home, 30)
    canned_proxy.delay_s = 0.01
    env = {"SLM_CLOUD_BASE_URL": canned_proxy.url}
    import random

    rng = random.Random(11)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "slm.cli.main", "queue", "sync"], env=subprocess_env(**env),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = len(canned_proxy.requests)
        deadline = time.monotonic() + 30
        while len(canned_proxy.requests) < start + 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        proc.kill()
        proc.wait(10)
    r = slm("queue", "sync", env=env)
    assert r.returncode == 0, r.stderr
    with OfflineQueue.from_settings(load_settings(home=slm_home)) as q:
        items = q.list()
    assert [i.id for i in items] == ids and all(i.status == "sent" for i in items)
    assert [i.result for i in items] == [f"answer to: question {n}" for n in range(30)]
    assert len(canned_proxy.upstream_calls) == 30 and set(canned_proxy.upstream_calls.values()) == {1}


# --- volume ------------------------------------------------------------------------------
def test_thousand_queued_requests_none_lost(slm_home, canned_proxy):
    # The canned proxy answers directly (no llama_cpp.server): 1,000 real model calls would
    # dominate the run; the queue, the client and the HTTP path are all real.
    s = load_settings(home=slm_home)
    with OfflineQueue.from_settings(s) as q:
        ids = [q.add([{"role": "user", "content": f"item {i}"}], plugin="email", max_tokens=4) for i in range(1000)]
    assert len(set(ids)) == 1000
    # a fresh connection (another process would see the same) finds every one
    with OfflineQueue.from_settings(s) as q:
        assert q.counts() == {"pending": 1000, "sent": 0, "failed": 0}
        report = q.sync(client(canned_proxy.url))
        assert report.sent == ids and not report.failed and not report.pending
        items = q.list()
    assert [i.result for i in items] == [f"answer to: item {n}" for n in range(1000)]
    assert [b["messages"][0]["content"] for b in canned_proxy.bodies()] == [f"item {n}" for n in range(1000)]
    assert len(canned_proxy.upstream_calls) == 1000 and set(canned_proxy.upstream_calls.values()) == {1}


def test_database_settings_are_durable(slm_home):
    fill(slm_home, 1)
    db = sqlite3.connect(str(slm_home / "data" / "queue.db"))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    q = OfflineQueue.from_settings(load_settings(home=slm_home))
    assert q._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    q.close()

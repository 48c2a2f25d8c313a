"""Pulls through huggingface_hub against a local hub-compatible server (tests/hubserver.py)."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import subprocess_env
from store_fixtures import (BIG_SPEC, CHUNK, ONNX_SPEC, SMALL_SPEC, big_gguf, hub, make_store, small_gguf,  # noqa: F401
                            small_onnx, split, store, write_tiny_chat_catalog, write_user_catalog)
from slm.errors import (DiskSpaceError, HashMismatchError, ModelNotPresentError, OfflineError, RemoteNotFoundError)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(store) -> list[Path]:
    """Files in the store other than the manifest and locks (partials, model files)."""
    return [p for p in store.root.rglob("*") if p.is_file() and ".locks" not in p.parts
            and p.name not in ("manifest.json", ".manifest.lock")]


def test_fresh_pull_verifies_and_the_model_loads(store, hub, small_gguf):
    local = store.pull(SMALL_SPEC, progress=False)
    assert local.path.read_bytes() == small_gguf.read_bytes()
    assert local.sha256 == hub.sha256(*split(SMALL_SPEC)) == sha(small_gguf)
    assert local.format == "gguf" and local.size_bytes == small_gguf.stat().st_size
    assert local.context_length == 512  # from the GGUF metadata
    assert [r.method for r in hub.requests] == ["HEAD", "GET"], hub.requests  # metadata, then bytes from the "CDN"
    assert hub.requests[1].path.startswith("/_cdn/")
    assert store.is_present(SMALL_SPEC)
    assert store.read_manifest()[SMALL_SPEC]["commit"] == hub.commits[split(SMALL_SPEC)[0]]

    from slm.api import Runtime

    with Runtime() as rt:  # the pulled file really runs, by its ORG/REPO/FILE name
        chat = rt.local_chat(SMALL_SPEC, [{"role": "user", "content": "hi"}], max_tokens=3, seed=1)
        pieces = list(chat)
    assert chat.usage.completion_tokens >= 1 and "".join(pieces) == chat.text


def test_onnx_pull(store, hub, small_onnx):
    local = store.pull(ONNX_SPEC, progress=False)
    assert local.format == "onnx" and local.path.name == "model.onnx"
    assert local.path.read_bytes() == small_onnx.read_bytes()


def test_present_model_makes_zero_requests(store, hub, monkeypatch):
    store.pull(SMALL_SPEC, progress=False)
    hub.reset_log()
    for _ in range(2):  # HF_HUB_OFFLINE is unset: still nothing reaches the server
        assert store.pull(SMALL_SPEC, progress=False).sha256
        assert store.resolve_local(SMALL_SPEC).path.is_file()
    assert hub.requests == []
    hub.stop()  # even with the hub gone, and offline on, a present model resolves
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert make_store().resolve_local(SMALL_SPEC).size_bytes > 0
    assert make_store().pull(SMALL_SPEC, progress=False).size_bytes > 0


def test_resume_after_the_server_cuts_mid_file(store, hub, big_gguf):
    hub.faults.cut_after = CHUNK + 1024 * 1024  # one full 10 MiB chunk reaches the disk, then the line drops
    local = store.pull(BIG_SPEC, progress=False)
    assert local.sha256 == sha(big_gguf)
    gets = hub.downloads()
    assert len(gets) == 2
    assert gets[0].range is None and gets[0].sent == CHUNK + 1024 * 1024
    # huggingface_hub's retry asked only for the missing bytes, and only those moved
    assert gets[1].range == f"bytes={CHUNK}-"
    assert gets[1].sent == big_gguf.stat().st_size - CHUNK
    assert leftovers(store) == [local.path]


PULL_SCRIPT = textwrap.dedent("""
    import sys
    from slm.config import load_settings
    from slm.store.model_store import ModelStore
    ModelStore(load_settings()).pull(sys.argv[1], progress=False)
""")


def test_resume_after_kill_9_moves_only_missing_bytes(store, hub, big_gguf, slm_home):
    hub.faults.stall_after = CHUNK + 512 * 1024
    proc = subprocess.Popen([sys.executable, "-c", PULL_SCRIPT, BIG_SPEC], env=subprocess_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    partial = store.partial_dir
    deadline = time.time() + 30
    while time.time() < deadline:
        parts = list(partial.glob("*.part")) if partial.exists() else []
        if parts and parts[0].stat().st_size >= CHUNK:
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail(f"the pull never wrote its first chunk: {proc.communicate()}")
    os.kill(proc.pid, signal.SIGKILL)  # kill -9 mid-pull: no cleanup code runs
    proc.wait(10)
    hub.faults.release.set()
    hub.faults.stall_after = None
    assert not store.is_present(BIG_SPEC)
    have = parts[0].stat().st_size
    assert have == CHUNK

    hub.reset_log()
    local = store.pull(BIG_SPEC, progress=False)
    assert local.sha256 == sha(big_gguf)
    (get,) = hub.downloads()
    assert get.range == f"bytes={have}-"
    assert get.sent == big_gguf.stat().st_size - have
    assert not list(partial.glob("*.part"))


def test_hash_mismatch_is_never_usable(store, hub):
    hub.faults.wrong_bytes = True
    with pytest.raises(HashMismatchError, match="failed verification"):
        store.pull(SMALL_SPEC, progress=False)
    assert not store.is_present(SMALL_SPEC)
    with pytest.raises(ModelNotPresentError):
        store.resolve_local(SMALL_SPEC)
    assert leftovers(store) == []  # bad bytes are not kept for a resume either
    hub.faults.wrong_bytes = False
    assert store.pull(SMALL_SPEC, progress=False).sha256 == hub.sha256(*split(SMALL_SPEC))


def test_catalog_sha256_is_checked_before_downloading(hub, slm_home):
    write_tiny_chat_catalog(slm_home, SMALL_SPEC, extra=f'revision = "main"\nsha256 = "{"0" * 64}"\n')
    store = make_store()
    with pytest.raises(HashMismatchError, match="not the file the catalog lists"):
        store.pull("tiny-chat", progress=False)
    assert hub.downloads() == []


def test_404s_are_remote_not_found(store, hub):
    with pytest.raises(RemoteNotFoundError, match="nothing.gguf was not found in test-org/Tiny-GGUF"):
        store.pull("test-org/Tiny-GGUF/nothing.gguf", progress=False)
    with pytest.raises(RemoteNotFoundError, match="repository no-org/none was not found"):
        store.pull("no-org/none/x.gguf", progress=False)
    with pytest.raises(RemoteNotFoundError, match="revision v9"):
        store.pull(SMALL_SPEC + "@v9", progress=False)


def test_server_down_is_offline_error_with_how_to(store, hub):
    hub.stop()
    with pytest.raises(OfflineError) as err:
        store.pull(SMALL_SPEC, progress=False)
    line = err.value.one_line()
    assert "cannot be reached" in line and f"slm models pull {SMALL_SPEC}" in line and "\n" not in line


def test_offline_mode_sends_nothing(hub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(OfflineError, match="offline mode is on"):
        make_store().pull(SMALL_SPEC, progress=False)
    assert hub.requests == []


def test_disk_full_is_checked_first(hub):
    store = make_store(disk_free=lambda path: 1000)
    with pytest.raises(DiskSpaceError, match="not enough free disk space"):
        store.pull(BIG_SPEC, progress=False)
    assert [r.method for r in hub.requests] == ["HEAD"]  # the size came from HEAD; no bytes moved
    assert leftovers(store) == []


def test_concurrent_pulls_of_one_model_give_one_intact_file(store, hub, big_gguf):
    hub.faults.throttle_s = 0.01  # ~6 MB/s: the two pulls overlap
    cmd = [sys.executable, "-m", "slm.cli.main", "models", "pull", BIG_SPEC, "--json"]
    procs = [subprocess.Popen(cmd, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert len(hub.downloads()) == 1  # the second waited on the lock, then found the model present
    local = store.resolve_local(BIG_SPEC)
    assert sha(local.path) == sha(big_gguf)
    assert not list(store.partial_dir.glob("*.part"))


def test_catalog_pull_picks_the_variant_that_fits_ram(hub, slm_home):
    repo_s, file_s = split(SMALL_SPEC)
    repo_b, file_b = split(BIG_SPEC)
    write_user_catalog(slm_home, f"""
[models.tiny-chat]
format = "gguf"
context_length = 512
[[models.tiny-chat.variants]]
quant = "f32"
repo = "{repo_b}"
file = "{file_b}"
ram_mb = 4000
[[models.tiny-chat.variants]]
quant = "q8_0"
repo = "{repo_s}"
file = "{file_s}"
ram_mb = 100
""")
    gib = 1 << 30
    small_device = make_store(memory=lambda: (2 * gib, 1 * gib))
    local = small_device.pull("tiny-chat", progress=False)
    assert local.variant == "q8_0" and local.source == SMALL_SPEC and local.ram_bytes == 100_000_000
    assert make_store().resolve_local("tiny-chat").variant == "q8_0"  # any present variant satisfies the name

    big_device = make_store(memory=lambda: (64 * gib, 32 * gib))
    assert big_device.choose_variant(big_device.catalog.get("tiny-chat")).quant == "f32"
    forced = big_device.pull("tiny-chat:f32", progress=False)
    assert forced.source == BIG_SPEC and forced.variant == "f32"


def test_token_goes_to_the_hub_but_not_to_the_cdn(hub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_secret_for_tests")
    make_store().pull(SMALL_SPEC, progress=False)
    head, get = hub.requests
    assert head.auth is True and get.path.startswith("/_cdn/") and get.auth is False


@pytest.mark.parametrize("location,token_sent", [
    ("http://127.0.0.1:{port}/_cdn/{sha}", True),  # the hub's own origin: the token may go
    ("http://localhost:{port}/_cdn/{sha}", False),  # another host
    ("http://127.0.0.1:{port}@localhost:{port}/_cdn/{sha}", False),  # starts with the endpoint's text
    ("http://LOCALHOST:{port}/_cdn/{sha}", False),
])
def test_the_token_follows_a_redirect_only_to_the_hubs_own_origin(small_gguf, monkeypatch, location, token_sent):
    from hubserver import HubServer

    from store_fixtures import split

    monkeypatch.setenv("HF_TOKEN", "hf_secret_for_tests")
    with HubServer(cdn_location=location) as server:
        repo, file = split(SMALL_SPEC)
        server.add_file(repo, file, small_gguf.read_bytes())
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        make_store().pull(SMALL_SPEC, progress=False)
        downloads = server.downloads()
    assert downloads and all(d.path.startswith("/_cdn/") for d in downloads)
    assert all((d.authorization == "Bearer hf_secret_for_tests") is token_sent for d in downloads)


def test_the_token_does_not_follow_a_redirect_to_a_port_that_merely_extends_the_endpoint(small_gguf, monkeypatch):
    """Hub on port P, its "CDN" on port P*10+1: http://127.0.0.1:P1/... starts with http://127.0.0.1:P."""
    import errno

    from hubserver import HubServer

    from store_fixtures import split

    monkeypatch.setenv("HF_TOKEN", "hf_secret_for_tests")
    data = small_gguf.read_bytes()
    repo, file = split(SMALL_SPEC)
    for port in range(5001, 6500, 37):  # P*10+1 must stay a valid port
        hub_server = HubServer(cdn_location="http://127.0.0.1:{port}1/_cdn/{sha}", port=port)
        cdn = HubServer(port=port * 10 + 1)
        try:
            hub_server.start()
            cdn.start()
        except OSError as exc:
            hub_server.stop()
            cdn.stop()
            if exc.errno == errno.EADDRINUSE:
                continue
            raise
        break
    else:
        pytest.fail("no free pair of ports")
    try:
        hub_server.add_file(repo, file, data)
        cdn.add_file(repo, file, data)
        monkeypatch.setenv("HF_ENDPOINT", hub_server.url)
        make_store().pull(SMALL_SPEC, progress=False)
        assert hub_server.log("HEAD")[0].authorization == "Bearer hf_secret_for_tests"
        downloads = cdn.downloads()
        assert downloads and all(d.authorization is None for d in downloads)
    finally:
        hub_server.stop()
        cdn.stop()


@pytest.mark.parametrize("url,endpoint,same", [
    ("https://huggingface.co/x", "https://huggingface.co", True),
    ("https://huggingface.co:443/x", "https://huggingface.co/", True),
    ("https://HuggingFace.co/x", "https://huggingface.co", True),
    ("https://huggingface.co.evil.tld/x", "https://huggingface.co", False),
    ("https://huggingface.co@evil.tld/x", "https://huggingface.co", False),
    ("https://user@huggingface.co/x", "https://huggingface.co", False),
    ("https://huggingface.co:444/x", "https://huggingface.co", False),
    ("http://huggingface.co/x", "https://huggingface.co", False),
    ("https://cdn-lfs.huggingface.co/x", "https://huggingface.co", False),
    ("https://huggingface.co:bad/x", "https://huggingface.co", False),
    ("//huggingface.co/x", "https://huggingface.co", False),
])
def test_same_origin_is_scheme_host_and_port(url, endpoint, same):
    from slm.store.hub import same_origin

    assert same_origin(url, endpoint) is same


def test_hub_server_error_is_a_download_error(store, hub):
    from slm.errors import DownloadError

    hub.faults.fail_status = 500
    with pytest.raises(DownloadError, match="HTTP 500"):
        store.pull(SMALL_SPEC, progress=False)
    assert not store.is_present(SMALL_SPEC)


def test_a_partial_of_an_older_file_version_is_dropped(store, hub, small_gguf):
    store.partial_dir.mkdir(parents=True)
    from slm.store.catalog import parse_spec
    from slm.store.hub import partial_prefix

    stale = store.partial_dir / f"{partial_prefix(parse_spec(SMALL_SPEC))}.0123456789abcdef.part"
    stale.write_bytes(b"bytes of an older version")
    assert store.pull(SMALL_SPEC, progress=False).path.read_bytes() == small_gguf.read_bytes()
    assert not stale.exists() and hub.downloads()[0].range is None


def test_hubserver_runs_as_a_subprocess(small_gguf, monkeypatch):
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("hubserver.py")),
                               f"{SMALL_SPEC}={small_gguf}"], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("READY http://127.0.0.1:")
        monkeypatch.setenv("HF_ENDPOINT", line.split()[1])
        assert make_store().pull(SMALL_SPEC, progress=False).sha256 == sha(small_gguf)
    finally:
        server.kill()
        server.wait(10)


@pytest.mark.parametrize("size", ["-5", "-1"])
def test_a_hub_sending_an_impossible_size_is_one_line_and_nothing_lands(store, hub, size):
    from slm.errors import DownloadError

    hub.faults.linked_size = size
    with pytest.raises(DownloadError, match="impossible size"):
        store.pull(SMALL_SPEC, progress=False)
    assert not store.is_present(SMALL_SPEC) and not any(store.partial_dir.glob("*.part"))

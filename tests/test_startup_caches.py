"""What a warm start-up skips, and that it never skips a change: the plugin discovery record
(slm.host.discovery_cache), the router's remembered model key (Router.model_key) and the
decoded static vectors (slm.router.static_vectors). Each is checked against the work it
replaces, and each input it is keyed on is changed to see the work done again."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from plugin_fixtures import pdir, plugin_toml, register_plugin, write_plugin  # noqa: F401 - fixture
from router_fixtures import ROUTES, make_host, make_infos
from slm.config import load_settings
from slm.host import discovery_cache
from slm.host import host as host_module
from slm.host.discovery import discover
from slm.host.host import PluginHost
from slm.router import Router, static_vectors
from slm.router import router as router_module
from slm.router.trainer import TrainConfig

CODE = "class P(Plugin):\n    def handle(self, request, ctx):\n        return Result('ok')\nplugin = P()\n"


def settle(root: Path, seconds_ago: float) -> None:
    """Date every file and folder under ``root`` (and root) ``seconds_ago``: older than the
    racy window, and a different stamp from any earlier settle()."""
    when = time.time() - seconds_ago
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when))


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    """The tests date what they change themselves (settle); a folder on sys.path that something
    else touched a moment ago (pytest's own, in a full run) must not stop the record."""
    monkeypatch.setattr(discovery_cache, "RACY_NS", 0)


@pytest.fixture
def counted(monkeypatch):
    """How often the real entry-point discovery runs."""
    calls = []
    real = host_module.discover

    def discover(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(host_module, "discover", discover)
    return calls


@pytest.fixture
def installed(pdir, tmp_path):  # noqa: F811 - the fixture above
    info = write_plugin(pdir, "acme-tally", CODE)
    register_plugin(pdir, info)
    settle(pdir, 60)
    return pdir, info, load_settings(env={}, home=tmp_path / "home")


def names(settings) -> dict[str, list[str]]:
    return PluginHost(settings).route_examples()


def test_an_unchanged_install_reuses_the_discovery_record(installed, counted):
    _root, _info, settings = installed
    first = names(settings)
    assert "acme-tally" in first and "calc" in first and len(counted) == 1
    assert list((settings.cache_dir).glob(f"{discovery_cache.FILE_PREFIX}*.json"))
    again = PluginHost(settings)
    assert again.route_examples() == first and len(counted) == 1  # read back, not discovered
    assert again.get_info("acme-tally") == {d.name: d.info for d in discover()}["acme-tally"]


def test_an_edited_plugin_toml_is_read_again(installed, counted):
    _root, info, settings = installed
    names(settings)
    toml = Path(info.root) / "plugin.toml"
    toml.write_text(plugin_toml("acme-tally", examples=[f"tally item {i}" for i in range(12)]), encoding="utf-8")
    settle(Path(info.root), 30)
    assert names(settings)["acme-tally"][0] == "tally item 0" and len(counted) == 2


def test_an_installed_and_a_removed_plugin_are_seen(installed, counted):
    root, _info, settings = installed
    names(settings)
    other = write_plugin(root, "acme-other", CODE)
    dist = register_plugin(root, other)
    settle(root, 30)
    assert "acme-other" in names(settings) and len(counted) == 2
    for path in sorted((root / f"{dist.replace('-', '_')}-1.0.dist-info").iterdir()):
        path.unlink()
    (root / f"{dist.replace('-', '_')}-1.0.dist-info").rmdir()
    settle(root, 20)
    assert "acme-other" not in names(settings) and len(counted) == 3


def test_an_entry_point_rewritten_in_place_is_seen(installed, counted):
    root, _info, settings = installed
    other = write_plugin(root, "acme-renamed", CODE)  # its package is there before: the folder is unchanged
    settle(root, 60)
    names(settings)
    entry = next(root.glob("*.dist-info")) / "entry_points.txt"
    entry.write_text(f"[slm.plugins]\nacme-renamed = {other.entry_point}\n", encoding="utf-8")
    settle(entry.parent, 30)
    found = names(settings)
    assert "acme-renamed" in found and "acme-tally" not in found and len(counted) == 2


def test_an_edited_discovery_module_discovers_again(installed, counted, monkeypatch, tmp_path):
    # an editable install: slm's own meta.py changes, no plugin file does; the records it made are stale
    _root, _info, settings = installed
    code = tmp_path / "host-code"
    code.mkdir()
    for name in discovery_cache._PARSERS:
        shutil.copyfile(Path(discovery_cache.__file__).with_name(name), code / name)
    settle(code, 60)
    monkeypatch.setattr(discovery_cache, "PARSER_DIR", str(code))
    names(settings)
    names(settings)
    assert len(counted) == 1
    (code / "meta.py").write_text((code / "meta.py").read_text() + "\n# edited\n")
    settle(code, 30)
    names(settings)
    assert len(counted) == 2


def test_a_just_changed_install_is_not_recorded(installed, counted, monkeypatch):
    root, _info, settings = installed
    monkeypatch.setattr(discovery_cache, "RACY_NS", 2_000_000_000)
    os.utime(root)  # modified now: within the file system's timestamp granularity of a next change
    names(settings)
    names(settings)
    assert len(counted) == 2
    assert not list(settings.cache_dir.glob(f"{discovery_cache.FILE_PREFIX}*.json"))


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"stamp": 1}', b"\x00\xff" * 50])
def test_a_damaged_record_is_ignored(installed, counted, damage):
    _root, _info, settings = installed
    first = names(settings)
    record = next(settings.cache_dir.glob(f"{discovery_cache.FILE_PREFIX}*.json"))
    record.write_bytes(damage)
    assert names(settings) == first and len(counted) == 2


def test_a_record_with_other_plugins_is_not_believed(installed, counted):
    _root, _info, settings = installed
    first = names(settings)
    record = next(settings.cache_dir.glob(f"{discovery_cache.FILE_PREFIX}*.json"))
    data = json.loads(record.read_text(encoding="utf-8"))
    data["files"] = {name: [0, 0, 0, 0] for name in data["files"]}  # a plugin.toml that is not the file
    record.write_text(json.dumps(data), encoding="utf-8")
    assert names(settings) == first and len(counted) == 2


# --- the router's model key --------------------------------------------------------------

@pytest.fixture
def computed(monkeypatch):
    calls = []
    real = Router._compute_key

    def compute(self, *args):
        calls.append(1)
        return real(self, *args)

    monkeypatch.setattr(Router, "_compute_key", compute)
    return calls


def router_for(home: Path, routes=ROUTES, env=None, **kwargs) -> Router:
    settings = load_settings(env=env or {}, home=home)
    return Router(settings, examples_provider=PluginHost(settings, plugins=make_infos(routes)), **kwargs)


def test_the_remembered_key_is_the_computed_key(tmp_path, computed):
    first = router_for(tmp_path)
    key = first.cache_key()
    assert (first.cache_root.parent / router_module.KEYS_FILE).is_file()
    again = router_for(tmp_path)
    assert again.cache_key() == key and len(computed) == 1
    stage = again.second_stage.fingerprint() if again.second_stage is not None else ""
    assert again._compute_key(again.provider.examples_fingerprint(), stage) == key


def test_changed_examples_change_the_key(tmp_path, computed):
    key = router_for(tmp_path).cache_key()
    routes = {**ROUTES, "music": ROUTES["music"][:-1] + ["play something by nina simone"]}
    assert router_for(tmp_path, routes).cache_key() != key and len(computed) == 2
    assert router_for(tmp_path).cache_key() == key  # and back


def test_a_disabled_plugin_and_a_router_setting_change_the_key(tmp_path, computed):
    key = router_for(tmp_path).cache_key()
    assert router_for(tmp_path, env={"SLM_DISABLED_PLUGINS": "music"}).cache_key() != key
    assert router_for(tmp_path, config=TrainConfig(l2=1e-5)).cache_key() != key
    assert len(computed) == 3


def test_given_negatives_are_never_remembered(tmp_path, computed):
    settings = load_settings(env={}, home=tmp_path)
    host = make_host(tmp_path)
    first = Router(settings, examples_provider=host, negatives=["hello there", "who won the cup"]).cache_key()
    other = Router(settings, examples_provider=host, negatives=["hello there", "who won the game"]).cache_key()
    assert first != other and len(computed) == 2


def test_a_damaged_keys_file_is_recomputed(tmp_path, computed):
    key = router_for(tmp_path).cache_key()
    for damage in (b"", b"[1, 2", b'{"stamp": [], "key": 7}'):
        next(tmp_path.rglob(router_module.KEYS_FILE)).write_bytes(damage)
        assert router_for(tmp_path).cache_key() == key
    assert len(computed) == 4


# --- the decoded static vectors --------------------------------------------------------------

def test_the_decoded_copy_gives_the_same_vectors(tmp_path, monkeypatch):
    path = static_vectors.resolve(static_vectors.BUNDLED)
    st = path.stat()
    stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    static_vectors.use_cache(tmp_path)
    try:
        fresh = static_vectors.StaticVectors.read(path, stamp)  # decodes the .npz, keeps the copy
        assert (tmp_path / static_vectors.CACHE_FILE).is_file()
        monkeypatch.setattr(static_vectors.np, "load", lambda *a, **k: pytest.fail("the .npz was decoded again"))
        copy = static_vectors.StaticVectors.read(path, stamp)
        monkeypatch.undo()
        assert copy.sha256 == fresh.sha256 and copy.tokens == fresh.tokens and copy.dims == fresh.dims
        for text in ("add 8.25% sales tax to 1299", "résumé the meeting notes", "", "zzzzqqq"):
            assert np.array_equal(copy.vector(text), fresh.vector(text))
        # another file (or the same file changed) does not use this copy
        moved = static_vectors.StaticVectors.read(path, (*stamp[:3], stamp[3] + 1))
        assert moved.sha256 == fresh.sha256
        (tmp_path / static_vectors.CACHE_FILE).write_bytes(b"\x00garbage")
        assert static_vectors.StaticVectors.read(path, stamp).sha256 == fresh.sha256
    finally:
        static_vectors.use_cache(None)

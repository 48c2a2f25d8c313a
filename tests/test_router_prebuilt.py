"""The router slm ships for its built-in plugins (runtime/router/data/builtin/).

A first run with only the built-ins, no documents and default settings loads it
instead of training while the user waits. It must be current (trained from
today's examples, corpus, featurizer and trainer: else rebuild it with
`python packaging/tools/build_router.py`), route like a router trained here, and
never stand in for any other set of inputs.
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from slm.config import load_settings
from slm.router import Router
from slm.router.model import MODEL_FILE, SIDECAR_FILE
from slm.router.router import PREBUILT_DIR
from slm.router.trainer import TrainConfig

DEVSET = Path(__file__).parent / "data" / "router_devset.jsonl"


def fresh(home: Path, **kw) -> Router:
    return Router(load_settings(env={}, home=home), **kw)


def test_the_shipped_router_is_current(tmp_path):
    shipped = json.loads((PREBUILT_DIR / SIDECAR_FILE).read_text(encoding="utf-8"))
    assert shipped["fingerprint"] == fresh(tmp_path).cache_key(), \
        "the shipped router is stale: run `python packaging/tools/build_router.py` and commit the result"


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    shipped = fresh(tmp_path_factory.mktemp("shipped"))
    report = shipped.train()
    trained = fresh(tmp_path_factory.mktemp("trained"))
    trained.prebuilt_dir = tmp_path_factory.mktemp("nothing-shipped")
    return shipped, report, trained, trained.train()


def test_a_first_run_loads_it_and_routes_like_a_router_trained_here(both):
    shipped, report, trained, trained_report = both
    assert report.cached and not trained_report.cached  # one loaded, the other trained
    assert (Path(report.path) / MODEL_FILE).read_bytes() == (PREBUILT_DIR / MODEL_FILE).read_bytes()
    rows = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    prompts = [r["prompt"] for r in rows]
    a, b = shipped.route_many(prompts), trained.route_many(prompts)
    same = sum(x.plugin == y.plugin for x, y in zip(a, b))
    # training is seeded: here it gives the same model; another CPU's float rounding may move a
    # prompt that sits on a threshold, never more
    assert same >= len(prompts) - 2, [(p, x.plugin, y.plugin) for p, x, y in zip(prompts, a, b) if x.plugin != y.plugin]
    assert max(abs(x.confidence - y.confidence) for x, y in zip(a, b)) < 0.05


def test_other_inputs_never_take_it(tmp_path):
    other = fresh(tmp_path, config=TrainConfig(l2=1e-5))  # another training setting: another model
    assert other.cache_key() != json.loads((PREBUILT_DIR / SIDECAR_FILE).read_text())["fingerprint"]
    assert not other.train().cached


def test_a_damaged_shipped_router_is_trained_afresh(tmp_path, caplog):
    damaged = tmp_path / "shipped"
    shutil.copytree(PREBUILT_DIR, damaged)
    (damaged / MODEL_FILE).write_bytes((damaged / MODEL_FILE).read_bytes()[:1000])  # truncated
    router = fresh(tmp_path / "home")
    router.prebuilt_dir = damaged
    with caplog.at_level(logging.WARNING, logger="slm.router"):
        report = router.train()
    assert not report.cached and "shipped router" in caplog.text
    assert router.route("what is 15% of 240").plugin == "calc"

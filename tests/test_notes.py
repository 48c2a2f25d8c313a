"""notes plugin: chunking and merging exactly, and the plugin through the real PluginHost on the
tiny random-weight model (structure: recap keys, chunked map-reduce for long notes)."""
from __future__ import annotations

import logging

import crm_plugin_fixtures
import jsonschema
import pytest
from slm.plugins.notes import render
from slm.plugins.notes.chunking import split_to_fit

crm_model = crm_plugin_fixtures.crm_model  # the session fixture, used by name
run = crm_plugin_fixtures.run


def words(text: str) -> int:  # a stand-in tokenizer for the pure chunking tests: one token per word
    return len(text.split())


def test_short_text_is_one_chunk():
    assert split_to_fit("  met Bob. all good.  ", 50, words) == ["met Bob. all good."]
    assert split_to_fit("   ", 50, words) == []


def test_chunks_fit_cover_everything_and_prefer_paragraphs():
    paras = [f"Paragraph {i}. " + " ".join(f"w{i}_{j}" for j in range(30)) + "." for i in range(10)]
    text = "\n\n".join(paras)
    chunks = split_to_fit(text, 70, words)
    assert all(words(c) <= 70 for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())  # nothing lost, order kept
    assert len(chunks) == 5  # two 32-word paragraphs per chunk
    assert all(c.startswith("Paragraph") for c in chunks)


def test_sentences_then_words_then_characters():
    sentence_text = " ".join(f"Sentence {i} has five words." for i in range(20))
    chunks = split_to_fit(sentence_text, 12, words)
    assert all(words(c) <= 12 for c in chunks) and all(c.endswith(".") for c in chunks)
    long_word = "x" * 500
    chunks = split_to_fit(long_word, 10, lambda s: len(s) // 10 + 1)
    assert "".join(chunks) == long_word and all(len(c) // 10 + 1 <= 10 for c in chunks)
    with pytest.raises(ValueError):
        split_to_fit("abc", 0, words)


def test_facts_are_found_in_the_notes_without_a_model():
    from slm.plugins.notes.facts import extractive_summary, find_facts

    notes = ("Visit report - Acme Plumbing, 12 Feb 2027\n"
             "Met Dana Whitfield (facilities manager). RTU 3 is short cycling again. She wants a quote for "
             "replacing RTU 3 and RTU 4; I said $12,450 per unit, more than her budget.\n"
             "Competitor Coolair quoted 10% lower.\n"
             "Next steps:\n- Send revised quote with a repair option by Friday\n- Dana to get approval from Mike Ortega\n"
             "Her direct line is 555-0147.")
    facts = find_facts(notes)
    tasks = [a.task for a in facts.action_items]
    assert tasks == ["Send revised quote with a repair option by Friday", "Dana to get approval from Mike Ortega"]
    assert facts.action_items[0].due == "by Friday" and facts.action_items[1].owner == "Dana"
    assert facts.risks == ["Competitor Coolair quoted 10% lower."]
    assert "$12,450" in facts.amounts and "12 Feb 2027" in facts.dates
    summary = extractive_summary(facts)
    assert summary and all(s in notes for s in summary.split(". ") if s)  # the notes' own sentences


def test_render_labels_an_extractive_summary():
    data = {"summary": "first", "summary_source": "extractive", "key_points": ["A"], "risks": ["late"],
            "action_items": [{"owner": "Bo", "task": "Call", "due": None},
                             {"owner": None, "task": "Send quote", "due": "Fri"}]}
    text = render(data)
    assert text.splitlines()[:2] == ["Recap (extractive: the notes' own sentences)", "first"]
    assert "- Bo: Call" in text and "- Send quote (due Fri)" in text and "Risks" in text
    assert render({**data, "summary_source": "model"}).startswith("Recap\nfirst")


# --- the plugin through the real host on the tiny model -------------------------------------

SHORT = ("recap: met Gary at Northfield Dairy. chiller 3 leaking again. he wants a replacement quote "
         "by 30 May. a competitor visited last week. Sam to send the quote.")
KEYS = {"summary", "summary_source", "key_points", "action_items", "risks", "dates", "amounts", "chunks",
        "model_calls", "dropped"}


def check_recap(data, notes):
    from slm.plugins.faithful import Checker

    assert set(data) == KEYS
    jsonschema.validate({k: data[k] for k in ("key_points", "risks")},
                        {"type": "object", "properties": {k: {"type": "array", "items": {"type": "string"}}
                                                          for k in ("key_points", "risks")}})
    assert isinstance(data["summary"], str) and data["summary"].strip()
    assert data["summary_source"] in ("model", "extractive")
    assert Checker(notes).unsupported(data["summary"]) == []  # whatever the model wrote, nothing invented
    for item in data["action_items"]:
        assert set(item) == {"owner", "task", "due"} and item["task"].strip() and item["task"] in notes


def test_short_notes_one_call_per_try(crm_model, tmp_path):
    run_ = run("notes", SHORT, crm_model, tmp_path, config={"max_points": 3, "max_tokens": 60})
    data = run_.result.data
    check_recap(data, SHORT)
    assert data["chunks"] == 1 and 1 <= data["model_calls"] <= 2
    # gibberish from the random-weight model is never a faithful summary: the labelled extractive one
    assert data["summary_source"] == "extractive" and run_.result.text.startswith("Recap (extractive")
    assert data["action_items"] == [{"owner": "Sam", "task": "Sam to send the quote", "due": None}]


def test_long_notes_are_chunked_locally(crm_model, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="slm.plugins.notes")
    paragraph = ("Visit {i}: the customer said the water pump in the house needs a new part and asked for a "
                 "price. We will call back with the total and the order date.")
    notes = "\n\n".join(paragraph.format(i=i) for i in range(40))
    run_ = run("notes", notes, crm_model, tmp_path, n_ctx=1024, config={"max_tokens": 60, "max_points": 1,
                                                                         "attempts": 1})
    data = run_.result.data
    check_recap(data, notes)
    assert data["chunks"] >= 2 and data["model_calls"] == data["chunks"]
    assert any("split into" in r.getMessage() for r in caplog.records)
    assert len(data["key_points"]) <= 1 and len(data["action_items"]) <= 1


def test_an_absent_model_is_reported_not_papered_over(tmp_path):
    from slm.errors import ModelError

    with pytest.raises(ModelError):  # the offload policy (or `slm models pull`) answers an absent model
        run("notes", SHORT, tmp_path / "absent.gguf", tmp_path)


def test_context_too_small_for_any_notes_is_an_overflow(crm_model, tmp_path):
    from slm.errors import ContextOverflowError

    with pytest.raises(ContextOverflowError):
        run("notes", SHORT, crm_model, tmp_path, n_ctx=512, config={"max_tokens": 600})


def test_bad_max_points_is_a_config_error(crm_model, tmp_path):
    from slm.errors import ConfigError

    with pytest.raises(ConfigError, match=r"max_points in the config file: 50 \(expected a whole number from 1 to 12\)"):
        run("notes", SHORT, crm_model, tmp_path, config={"max_points": 50})
    with pytest.raises(ConfigError, match=r"chunk_tokens in the config file: 0 \(expected a whole number of at least 1\)"):
        run("notes", SHORT, crm_model, tmp_path, config={"chunk_tokens": 0})


def test_notes_metadata(tmp_path):
    from crm_plugin_fixtures import check_metadata

    check_metadata("notes", tmp_path)

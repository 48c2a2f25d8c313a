"""notes plugin: chunking and merging exactly, and the plugin through the real PluginHost on the
tiny random-weight model (structure: recap keys, chunked map-reduce for long notes)."""
from __future__ import annotations

import logging

import crm_plugin_fixtures
import jsonschema
import pytest
from slm.plugins.notes import RECAP_SCHEMA, _merge, render
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


def test_merge_dedupes_and_drops_blanks():
    part = {"summary": " first ", "key_points": ["A", "a", " "], "risks": ["late"],
            "action_items": [{"owner": "Bo", "task": "Call", "due": ""}, {"owner": "", "task": "  ", "due": ""}]}
    other = {"summary": "second", "key_points": ["B"], "risks": ["Late", "cost"],
             "action_items": [{"owner": "", "task": "call", "due": "Fri"}, {"owner": "", "task": "Send quote", "due": "Fri"}]}
    merged = _merge([part, other])
    assert merged == {"summary": "first", "key_points": ["A", "B"], "risks": ["late", "cost"],
                      "action_items": [{"owner": "Bo", "task": "Call", "due": None},
                                       {"owner": None, "task": "Send quote", "due": "Fri"}]}
    text = render({**merged, "chunks": 2})
    assert text.splitlines()[:2] == ["Recap", "first"]
    assert "- Bo: Call" in text and "- Send quote (due Fri)" in text and "Risks" in text


# --- the plugin through the real host on the tiny model -------------------------------------

SHORT = ("recap: met Gary at Northfield Dairy. chiller 3 leaking again. he wants a replacement quote "
         "by 30 May. a competitor visited last week. Sam to send the quote.")


def check_recap(data):
    assert set(data) == {"summary", "key_points", "action_items", "risks", "chunks"}
    jsonschema.validate({k: data[k] for k in ("key_points", "risks")},
                        {"type": "object", "properties": {k: {"type": "array", "items": {"type": "string"}}
                                                          for k in ("key_points", "risks")}})
    assert isinstance(data["summary"], str) and data["summary"].strip()
    for item in data["action_items"]:
        assert set(item) == {"owner", "task", "due"} and item["task"].strip()


def test_short_notes_one_call(crm_model, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="slm.plugins.notes")
    run_ = run("notes", SHORT, crm_model, tmp_path, config={"max_points": 3})
    check_recap(run_.result.data)
    assert run_.result.data["chunks"] == 1
    assert [r for r in caplog.records if "map call" in r.getMessage()] == []  # single call, no map-reduce
    assert run_.result.text.startswith("Recap\n")


def test_long_notes_are_chunked_locally(crm_model, tmp_path, caplog):
    # n_ctx 2048 less a 1200-token answer leaves ~700 tokens per call: these notes need 2-3 calls
    caplog.set_level(logging.DEBUG, logger="slm.plugins.notes")
    paragraph = ("Visit {i}: the customer said the water pump in the house needs a new part and asked for a "
                 "price. We will call back with the total and the order date.")
    notes = "\n\n".join(paragraph.format(i=i) for i in range(40))
    run_ = run("notes", notes, crm_model, tmp_path, n_ctx=2048, config={"max_tokens": 1200, "max_points": 1})
    data = run_.result.data
    check_recap(data)
    maps = [r.getMessage() for r in caplog.records if "map call" in r.getMessage()]
    assert data["chunks"] >= 2 and len(maps) == data["chunks"]
    assert maps[-1].endswith(f"{data['chunks']}/{data['chunks']}")
    assert any("split into" in r.getMessage() for r in caplog.records)
    assert len(data["key_points"]) <= data["chunks"]


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


def test_recap_schema_is_well_formed():
    jsonschema.Draft202012Validator.check_schema(RECAP_SCHEMA)


def test_notes_metadata(tmp_path):
    from crm_plugin_fixtures import check_metadata

    check_metadata("notes", tmp_path)

"""notes plugin: chunking and merging exactly, and the plugin through the real PluginHost on the
tiny random-weight model (structure: recap keys, chunked map-reduce for long notes)."""
from __future__ import annotations

import pytest

from slm.plugins.notes import _merge, render
from slm.plugins.notes.chunking import split_to_fit


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

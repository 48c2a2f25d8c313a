"""slm.pattern_cache: patterns rebuilt from the stored compiler output behave exactly as re.compile's."""
from __future__ import annotations

import re

import pytest
from slm import pattern_cache
from slm.plugins.calc import phrases

SAMPLES = ["add 8.25% sales tax to 1299", "$200 with 20% then 10% off", "split $1,234 across 3",
           "unit price $30 for 12", "total of 12.50, 8.99 and 4.25", "what is 15% of 240", "", "€1.234,50 plus 7% vat",
           "mark up 45 by 30%", "x" * 300]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A cache in tmp_path, as a new process would start it (nothing compiled, file not read)."""
    def restart(folder=tmp_path):
        monkeypatch.setattr(pattern_cache, "_compiled", {})
        monkeypatch.setattr(pattern_cache, "_parts", {})
        monkeypatch.setattr(pattern_cache, "_state", {"path": None, "loaded": False, "dirty": False})
        pattern_cache.use(folder)

    restart()
    yield restart
    pattern_cache.use(None)


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in SAMPLES:
        for op in ("fullmatch", "search"):
            ma, mb = getattr(a, op)(text), getattr(b, op)(text)
            assert (ma and (ma.span(), ma.groupdict(), ma.groups())) == (mb and (mb.span(), mb.groupdict(), mb.groups()))


def test_stored_patterns_match_exactly_what_re_compile_matches(fresh, tmp_path):
    patterns = [p for p, _ in phrases._RULE_TABLE] + [r"(?i)(?P<a>\d+)\s*%", r"^\w+$"]
    for p in patterns:
        _same(pattern_cache.compile(p), re.compile(p))
    pattern_cache.flush()
    stored = tmp_path / pattern_cache.FILE_NAME
    assert stored.is_file()
    fresh()  # the next process: every pattern comes from the file
    for p in patterns:
        _same(pattern_cache.compile(p), re.compile(p))
    assert pattern_cache._state["dirty"] is False  # nothing new to write
    assert len(pattern_cache._parts) == len(patterns)


def test_a_damaged_or_foreign_file_is_ignored_and_rewritten(fresh, tmp_path):
    p = r"(?P<n>\d+(?:\.\d+)?)\s*(?:km|mi)"
    pattern_cache.compile(p)
    pattern_cache.flush()
    stored = tmp_path / pattern_cache.FILE_NAME
    blob = bytearray(stored.read_bytes())
    blob[-5] ^= 0xFF  # one flipped byte: the checksum no longer matches
    stored.write_bytes(bytes(blob))
    fresh()
    _same(pattern_cache.compile(p), re.compile(p))
    assert pattern_cache._state["dirty"] is True  # compiled afresh, written again at exit
    pattern_cache.flush()
    fresh()
    pattern_cache.compile(p)
    assert pattern_cache._state["dirty"] is False  # the rewritten file was read
    stored.write_bytes(b"not a cache at all")
    fresh()
    _same(pattern_cache.compile(p), re.compile(p))


def test_stored_code_that_does_not_fit_is_compiled_afresh(fresh, tmp_path):
    p = r"(?P<x>a+)b"
    pattern_cache.compile(p)
    key = (p, 0)
    flags, code, groups, groupindex, indexgroup = pattern_cache._parts[key]
    pattern_cache._parts[key] = (flags, code[:3], groups, groupindex, indexgroup)  # truncated code
    pattern_cache.flush()
    fresh()
    _same(pattern_cache.compile(p), re.compile(p))


def test_bad_patterns_raise_re_error_and_nothing_is_kept_without_a_folder(fresh, tmp_path):
    with pytest.raises(re.error):
        pattern_cache.compile(r"(unclosed")
    fresh(None)
    pattern_cache.compile(r"\d+x")
    pattern_cache.flush()
    assert not (tmp_path / pattern_cache.FILE_NAME).exists()


def test_an_unwritable_cache_folder_is_not_an_error(fresh, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    fresh(blocker / "cache")
    _same(pattern_cache.compile(r"\bq\w+"), re.compile(r"\bq\w+"))
    pattern_cache.flush()  # cannot create the folder: silently compiled again next time

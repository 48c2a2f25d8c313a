"""kb plugin: chunking, the SQLite/BM25 index (incremental add, prune, rm), ranking, citations,
bad input, the `slm kb` CLI, and the plugin through the real PluginHost with and without a model."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from slm.config import load_settings
from slm.errors import KbError, UsageError
from slm.plugins.kb.documents import chunk, read_text
from slm.plugins.kb.index import KbIndex, kb_dir
from slm.plugins.sdk import Request

PUMP = """# Pump X200

The X200 is our standard circulation pump for small sites.

## Warranty

The X200 pump has a warranty period of 3 years from the date of installation.
Claims need the serial number and the installer's invoice.

## Maintenance

Replace the shaft seal every 12 months.

```
# not a heading: inside a code fence
reset --all
```
"""
ACME = "Customer Acme prefers calls on Tuesday mornings.\n\nInvoices and the billing contact: jo@acme.example.\n"
POLICY = "# Returns\n\nRefunds within 30 days. The warranty of every product is described in its manual.\n"


@pytest.fixture()
def docs(tmp_path) -> Path:
    root = tmp_path / "docs"
    (root / "customers").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "pump.md").write_text(PUMP, encoding="utf-8")
    (root / "customers" / "acme.txt").write_text(ACME, encoding="utf-8")
    (root / "policy.md").write_text(POLICY, encoding="utf-8")
    (root / ".git" / "secret.md").write_text("warranty warranty warranty", encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    return root


@pytest.fixture()
def index(tmp_path) -> KbIndex:
    return KbIndex(tmp_path / "kb")


def _bump(path: Path, text: str | None = None, *, seconds: int = 10) -> None:
    """Change a file (or only its mtime) in a way the index must notice even within one clock tick."""
    stat = path.stat()
    if text is not None:
        path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


# --- chunking ---------------------------------------------------------------------------
def test_markdown_chunks_follow_headings_with_line_numbers():
    passages = chunk(PUMP, markdown=True)
    assert [(p.heading, p.start_line, p.end_line) for p in passages] == [
        ("Pump X200", 1, 3), ("Pump X200 > Warranty", 5, 8), ("Pump X200 > Maintenance", 10, 17)]
    assert passages[1].text.splitlines()[1].startswith("The X200 pump has a warranty period")
    assert "# not a heading" in passages[2].text  # the fence kept it out of the headings


def test_plain_text_long_paragraphs_split_and_lines_kept():
    paras = [f"Paragraph {i} " + "word " * 120 for i in range(6)]
    passages = chunk("\n\n".join(paras), markdown=False)
    assert len(passages) >= 3 and all(len(p.text) <= 2000 for p in passages)
    assert passages[0].start_line == 1 and passages[-1].end_line == 11  # 6 paragraphs, 5 blank lines
    assert all(p.heading == "" for p in passages)


def test_read_text_encodings_and_binary():
    assert read_text("naïve".encode()) == ("naïve", "utf-8")
    assert read_text("crème brûlée".encode("cp1252")) == ("crème brûlée", "cp1252")
    assert read_text("ünïcode".encode("utf-16")) == ("ünïcode", "utf-16")
    assert read_text(b"\x89PNG\r\n\x1a\n\x00\x00")[0] is None


# --- index --------------------------------------------------------------------------------
def test_add_indexes_text_files_recursively_and_skips_binary_and_hidden(docs, index):
    report = index.add([docs])
    names = sorted(Path(p).name for p in report.added)
    assert names == ["acme.txt", "policy.md", "pump.md"]  # photo.jpg not a text suffix, .git hidden
    assert report.passages == 3 + 1 + 1  # short paragraphs under one heading share a passage
    explicit = index.add([docs / "photo.jpg"])
    assert explicit.skipped == [{"path": str((docs / "photo.jpg").resolve()), "reason": "binary file"}]
    assert [f.path.endswith("photo.jpg") for f in index.files()].count(True) == 0


@pytest.mark.parametrize("old_meta", ["no terms row", "terms 1"])
def test_an_index_made_by_an_older_tokenizer_is_rebuilt_when_opened(tmp_path, old_meta):
    import sqlite3

    from slm.plugins.kb.index import TERMS_VERSION

    root = tmp_path / "docs"
    root.mkdir()
    (root / "pumps.md").write_text("# PX-150\n\nThe PX-150 runs on 230 V single-phase.\n", encoding="utf-8")
    index = KbIndex(tmp_path / "kb")
    index.add([root])
    assert index.search("px150 voltage", k=1)[0].path.endswith("pumps.md")
    before = index.term_stats()[0]
    # an index an older tokenizer made: postings of its own terms only, and no (or an old) terms version
    conn = sqlite3.connect(index.path)
    with conn:
        conn.execute("DELETE FROM postings")
        conn.execute("INSERT INTO postings SELECT 'oldterm', id, 1 FROM passages")
        if old_meta == "no terms row":
            conn.execute("DELETE FROM meta WHERE key = 'terms'")
        else:
            conn.execute("UPDATE meta SET value = '1' WHERE key = 'terms'")
    conn.close()
    hits = KbIndex(tmp_path / "kb").search("px150 voltage", k=1)
    assert hits and hits[0].path.endswith("pumps.md") and "230 V" in hits[0].text
    conn = sqlite3.connect(index.path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'terms'").fetchone() == (TERMS_VERSION,)
    assert conn.execute("SELECT COUNT(*) FROM postings WHERE term = 'oldterm'").fetchone() == (0,)
    conn.close()
    assert index.term_stats()[0] == before  # same files, same tokenizer: the router's kb stage stays valid


def test_ranking_puts_the_passage_with_the_terms_first(docs, index):
    index.add([docs])
    hits = index.search("what is the warranty period for the X200?", k=3)
    assert hits[0].path == str((docs / "pump.md").resolve())
    assert (hits[0].start_line, hits[0].heading) == (5, "Pump X200 > Warranty")
    assert hits[0].citation == f"{hits[0].path}:5"
    assert [h.rank for h in hits] == [1, 2, 3] and hits[0].score > hits[1].score > 0
    billing = index.search("billing contact for Acme", k=1)[0]
    assert billing.path.endswith("acme.txt") and (billing.start_line, billing.end_line) == (1, 3)
    # a rare term outweighs a common one: "seal" occurs once, "warranty" in two files
    assert index.search("warranty seal", k=1)[0].heading == "Pump X200 > Maintenance"
    assert index.search("zebra quantum", k=3) == []
    assert index.search("?! -- ...", k=3) == []  # no words at all: no hits, no error


def test_re_add_is_incremental(docs, index):
    first = index.add([docs])
    assert len(first.added) == 3
    again = index.add([docs])
    assert (again.added, again.updated, again.passages) == ([], [], 0) and len(again.unchanged) == 3

    _bump(docs / "policy.md")  # touched, same bytes: hashed, not re-indexed
    touched = index.add([docs])
    assert touched.passages == 0 and len(touched.unchanged) == 3

    _bump(docs / "customers" / "acme.txt", "Acme moved their calls to Thursday afternoons.\n")
    changed = index.add([docs])
    assert [Path(p).name for p in changed.updated] == ["acme.txt"] and changed.passages == 1
    assert index.search("thursday", k=1)[0].path.endswith("acme.txt")
    assert index.search("tuesday mornings", k=5) == []  # the old passages are gone

    (docs / "policy.md").unlink()
    kept = index.add([docs])  # without --prune a vanished file stays listed (as missing)
    assert kept.removed == [] and [f.present for f in index.files() if f.path.endswith("policy.md")] == [False]
    pruned = index.add([docs], prune=True)
    assert [Path(p).name for p in pruned.removed] == ["policy.md"]
    assert sorted(Path(f.path).name for f in index.files()) == ["acme.txt", "pump.md"]
    assert not any(h.path.endswith("policy.md") for h in index.search("refunds", k=5))


def test_rm_removes_files_and_folders_from_the_index_only(docs, index):
    index.add([docs])
    removed = index.remove([docs / "customers"])
    assert [Path(p).name for p in removed] == ["acme.txt"]
    assert (docs / "customers" / "acme.txt").exists()
    assert index.search("billing", k=3) == []
    assert index.remove([docs / "nothing-here"]) == []
    assert index.remove([docs / "custom"]) == []  # a name prefix is not a folder: "customers" stays put
    assert index.remove([docs / "pump.md"]) == [str((docs / "pump.md").resolve())]
    assert sorted(Path(f.path).name for f in index.files()) == ["policy.md"]


def test_non_utf8_file_is_indexed_with_a_note(tmp_path, index):
    legacy = tmp_path / "menu.txt"
    legacy.write_bytes("Crème brûlée is served on Fridays.".encode("cp1252"))
    report = index.add([legacy])
    assert report.added == [str(legacy.resolve())]
    assert report.notes == [{"path": str(legacy.resolve()), "note": "not UTF-8, read as cp1252"}]
    assert index.search("crème", k=1)[0].text == "Crème brûlée is served on Fridays."


def test_bad_inputs(tmp_path, docs, index):
    with pytest.raises(KbError, match="no such file or folder") as missing:
        index.add([docs, tmp_path / "nope.md"])
    assert missing.value.exit_code == 1 and index.files() == []  # nothing half-done
    with pytest.raises(UsageError) as empty:
        index.search("   ")
    assert empty.value.exit_code == 2
    with pytest.raises(UsageError):
        index.search("warranty", k=0)
    assert index.search("warranty") == []  # no index yet: no hits, no error
    with pytest.raises(UsageError, match="empty path"):
        index.add([docs, "  "])  # "" would be the current folder: refused, not indexed
    with pytest.raises(UsageError, match="at least one"):
        index.remove([])
    assert index.files() == []
    corrupt = KbIndex(tmp_path / "corrupt")
    corrupt.root.mkdir()
    corrupt.path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KbError, match="cannot be opened"):
        corrupt.search("warranty")


# --- CLI ----------------------------------------------------------------------------------
def _slm(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True, check=False,
                          timeout=60, env=dict(os.environ))
    return proc.returncode, proc.stdout, proc.stderr


def test_cli_add_search_list_json_and_errors(docs, slm_home):
    code, out, err = _slm("kb", "add", str(docs), "--json")
    assert code == 0 and len(json.loads(out)["added"]) == 3
    code, out, _ = _slm("kb", "search", "warranty", "period", "--json", "-k", "2")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 2
    assert hits[0]["heading"] == "Pump X200 > Warranty" and hits[0]["citation"].endswith("pump.md:5")
    code, out, _ = _slm("kb", "search", "warranty", "period")
    assert code == 0 and out.splitlines()[0].startswith(f"[1] {(docs / 'pump.md').resolve()}:5-8 (Pump X200 > Warranty)")
    code, out, _ = _slm("kb", "list", "--json")
    assert code == 0 and sorted(Path(f["path"]).name for f in json.loads(out)) == ["acme.txt", "policy.md", "pump.md"]
    code, out, _ = _slm("kb", "rm", str(docs / "customers"), "--json")
    assert code == 0 and [Path(p).name for p in json.loads(out)["removed"]] == ["acme.txt"]
    code, out, err = _slm("kb", "search")
    assert code == 2 and err.strip() == "error: the search query is empty (slm kb search WORDS...)"
    code, out, err = _slm("kb", "search", "warranty", "-k", "0")
    assert code == 2 and err.strip() == "error: -k must be between 1 and 100"
    code, out, err = _slm("kb", "add", str(docs / "missing.md"))
    assert code == 1 and err.startswith("error: no such file or folder") and "Traceback" not in err
    # the CLI and the plugin share one index under SLM_HOME
    assert KbIndex(kb_dir(load_settings().data_dir)).path.is_file()


# --- the plugin ---------------------------------------------------------------------------
def _host_without_model():
    from slm.host.host import PluginHost

    settings = load_settings()
    info = PluginHost(settings).get_info("kb")
    return PluginHost(settings, plugins=[dataclasses.replace(info, model=None)]), settings


def test_plugin_metadata():
    from slm.host.host import PluginHost

    info = PluginHost(load_settings()).get_info("kb")
    assert info.permissions.offload == "redact" and info.sensitivity == "confidential"
    assert info.model and 10 <= len(info.examples) <= 50


def test_plugin_without_a_model_returns_cited_passages(docs):
    host, settings = _host_without_model()
    empty = host.run("kb", Request("how long is the warranty?"))
    assert "knowledge base is empty" in empty.result.text and empty.result.data["sources"] == []
    KbIndex.for_settings(settings).add([docs])
    run = host.run("kb", Request("how long is the X200 warranty?"))
    data = run.result.data
    assert run.model is None and data["mode"] == "passages"
    pump = str((docs / "pump.md").resolve())
    assert data["sources"][0]["citation"] == f"[1] {pump}:5"
    assert f"[1] {pump}:5-8 (Pump X200 > Warranty)" in run.result.text
    assert "warranty period of 3 years" in run.result.text
    none = host.run("kb", Request("zebra quantum"))
    assert none.result.data["mode"] == "not_found" and none.result.data["answer"] == "The documents do not say."
    # k from the request; a bad k falls back to the default (4) instead of breaking the plugin
    assert len(host.run("kb", Request("warranty", {"k": 1})).result.data["passage_sources"]) == 1
    for bad in ("lots", None, [2]):
        fallback = host.run("kb", Request("warranty pump seal refunds billing", {"k": bad})).result.data
        assert fallback["mode"] == "passages" and len(fallback["passage_sources"]) == 4
        assert len(fallback["sources"]) == 1  # the extractive answer cites the one passage it quotes


def test_plugin_declared_model_absent_falls_back_to_passages(docs):
    from slm.host.host import PluginHost

    settings = load_settings()
    KbIndex.for_settings(settings).add([docs])
    run = PluginHost(settings).run("kb", Request("billing contact for Acme"))
    assert run.result.data["mode"] == "passages"
    assert "is not on this device" in run.result.text.splitlines()[0]
    assert run.result.data["sources"][0]["path"].endswith("acme.txt")


def test_plugin_with_the_tiny_model_answers_and_cites(docs, slm_home):
    from slm import testing

    KbIndex(kb_dir(slm_home / "data")).add([docs])
    pieces: list[str] = []
    run = testing.run_plugin("kb", "what is the warranty period for the X200?", model=testing.tiny_gguf(),
                             home=slm_home, emit=pieces.append)
    data = run.result.data
    # the random-weight model's text cites nothing that supports it: the passages' own sentence answers
    assert data["mode"] == "extractive" and run.model and data["dropped"]
    assert "3 years" in data["answer"] and data["answer"].endswith("[1]")
    assert len(data["sources"]) == 1 and data["sources"][0]["citation"].endswith("pump.md:5")  # only the cited one
    sources = run.result.text.split("\n\nSources:\n", 1)[1].splitlines()
    assert sources[0].startswith("[1] ") and ":5-8" in sources[0]
    assert "".join(pieces).strip() == run.result.text.strip()  # streamed text is the whole answer


def test_a_question_about_what_the_documents_lack_is_not_answered(docs):
    host, settings = _host_without_model()
    KbIndex.for_settings(settings).add([docs])
    data = host.run("kb", Request("how long is the X900 warranty?")).result.data
    assert data["mode"] == "not_found" and data["sources"] == [] and "x900" in data["missing"]


def test_a_model_answer_must_cite_a_passage_that_supports_it():
    from slm.plugins.kb import answer

    passages = ["The X200 has a warranty period of 3 years from delivery.", "Refunds are paid within 14 days."]
    ok, cited, _ = answer.supported("The X200 warranty period is 3 years [1].", passages, "X200 warranty")
    assert ok and cited == [1]
    for bad in ("The X200 warranty period is 5 years [1].",  # a number the passage lacks
                "The X200 warranty period is 3 years [2].",  # cites a passage that does not say it
                "The X200 warranty period is 5 years.",  # cites nothing, and no passage says it
                "Refunds are paid within 14 days [2]."):  # supported, but not an answer to the question
        assert answer.supported(bad, passages, "X200 warranty")[0] is None, bad
    best = answer.extractive("X200 warranty period", passages)
    assert [(s.passage, s.text) for s in best] == [(1, passages[0])]


def test_an_uncited_sentence_is_cited_to_the_one_passage_that_supports_it():
    from slm.plugins.kb import answer

    passages = ["Refunds are paid within 14 days.", "The X200 has a warranty period of 3 years from delivery."]
    text, cited, _ = answer.supported("The X200 warranty period is 3 years.", passages, "X200 warranty")
    assert text == "The X200 warranty period is 3 years. [2]" and cited == [2]


@pytest.mark.parametrize("written", ["px150", "PX-150", "px 150", "Px150", "px-150s"])
def test_a_model_code_is_one_term_however_it_is_written(written):
    from slm.plugins.kb.terms import terms

    assert "px150" in terms(f"what is the max flow of the {written}")
    assert "px150" in terms("PX-150 pumps: maximum flow 150 L/min")


def test_search_finds_a_code_written_differently_and_words_by_prefix_or_slip(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pumps.md").write_text("# PX-150\n\nMaximum flow rate: 150 L/min.\n\n# PX-300\n\nMaximum flow rate: 300 "
                                   "L/min.\n", encoding="utf-8")
    (docs / "warranty.md").write_text("# Warranty\n\nLamps are covered for 90 days.\n\n# Seals\n\nMechanical seals "
                                      "are replaced every 16,000 hours.\n", encoding="utf-8")
    index = KbIndex(tmp_path / "kb")
    index.add([docs])
    assert "rate: 150" in index.search("px150 max flow", 1)[0].text
    assert "rate: 300" in index.search("flow of the px-300s", 1)[0].text
    assert "90 days" in index.search("warrenty on lamps", 1)[0].text  # a slip in a long word
    assert "16,000" in index.search("mech seal interval", 1)[0].text  # a prefix of the indexed word


def test_a_code_written_differently_is_not_missing_but_an_absent_one_is():
    from slm.plugins.kb.answer import missing_terms

    passages = ["PX-150 and PX-300 pumps, BW-S25 softener"]
    assert missing_terms("px150 flow? px 300? bw-s25s", passages) == []
    assert missing_terms("px-800 max flow", passages) == ["px-800"]


@pytest.mark.parametrize("question,missing", [
    ("per diem for a trip to japan?", ["japan"]),
    ("how much is premium support per site in euros", ["euros"]),
    ("per diem in the uk", []),
    ("price in dollars", []),
    ("can you send us the price", []),  # "us" the pronoun, not the country
])
def test_a_currency_or_country_no_passage_names_is_out_of_scope(question, missing):
    from slm.plugins.kb.questions import missing_scope

    passages = ["The meal per diem is $65 per day in the United States and £50 per day in the UK."]
    assert missing_scope(question, passages) == missing


def test_the_sentence_of_the_kind_asked_for_wins():
    from slm.plugins.kb import answer

    rules = ("## Discount authority\n\n- Sales reps may discount up to 10% off list.\n- Managers may approve up to "
             "15% off list.\n\nFor example, a 10-unit order already carries 8% off list, so a rep can only add 2% "
             "more without approval.")
    best = answer.extractive("whats the max discount i can give without approval", [rules])
    assert "10% off list" in best[0].text and not best[0].text.startswith("For example")
    codes = ("E21 – Brine draw failure. The softener did not draw brine. Check the injector for blockage.\n\n"
             "E22 – Low salt. Refill with tablet salt.")
    best = answer.extractive("softener showing e21 what do i check", [codes])
    assert "injector" in " ".join(s.text for s in best)

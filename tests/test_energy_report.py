"""`slm energy`: sums over the energy history the real pipeline wrote, the counterfactual, HTML, bad input.

History rows come from real requests: calc (with a fake RAPL tree whose counter
moves during the request: measured), the tiny generated GGUF (no RAPL:
estimated) and a cloud request against llama_cpp.server behind the recording
proxy (tests/cloud_fixtures.py). The expected figures are computed here from the
rows in SQLite and the reference data file, never copied from a run.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import fakesys
import pytest
import slm
import tomllib
from conftest import subprocess_env
from slm.config import load_settings
from slm.energy.history import EnergyHistory
from slm.energy.references import load_reference
from slm.energy.report import build_report, metrics_totals, parse_since
from slm.errors import UsageError

pytest_plugins = ("model_fixtures", "cloud_fixtures")

DATA = Path(slm.__file__).parent / "energy" / "data" / "reference_models.toml"


def slm_cli(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slm.cli.main", *args], capture_output=True, text=True, check=False,
                          input=input, env=subprocess_env(**(env or {})), timeout=120)


def history_path() -> Path:
    return load_settings().data_dir / "energy.sqlite"


def rows() -> list[dict]:
    conn = sqlite3.connect(history_path())
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM energy ORDER BY id")]
    finally:
        conn.close()


def reference_figures(name: str | None = None) -> tuple[float, float, float, float]:
    data = tomllib.loads(DATA.read_text())
    model = data["models"][name or data["default"]]
    return (model["j_per_output_token_low"], model["j_per_output_token_high"],
            data["assumptions"]["pue"], data["assumptions"]["grid_g_per_kwh"])


def one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr


# --- the real pipeline --------------------------------------------------------------------
def _calc_with_moving_rapl(tmp_path, monkeypatch, n: int) -> None:
    """calc answers while the fake package counter climbs: measured (attributed) joules above zero."""
    pc = fakesys.intel_single(tmp_path / "rapl")
    stop = threading.Event()

    counter = pc.zones["intel-rapl:0"] / "energy_uj"

    def climb():  # 50 mJ a tick, replaced whole so a reader never sees a half-written file
        value = int(counter.read_text())
        while not stop.is_set():
            value += 50_000
            staged = counter.with_name("energy_uj.new")
            staged.write_text(f"{value}\n")
            os.replace(staged, counter)
            time.sleep(0.001)
    bumper = threading.Thread(target=climb, daemon=True)
    bumper.start()
    try:
        with monkeypatch.context() as env:
            env.setenv("SLM_POWERCAP_ROOT", str(pc.root))
            with slm.Runtime() as rt:
                for _ in range(n):
                    assert rt.ask("15% of 240", plugin="calc").text.startswith("15% of 240 = 36")
    finally:
        stop.set()
        bumper.join()


@pytest.fixture
def pipeline_history(tiny_gguf, proxy, tmp_path, monkeypatch):
    _calc_with_moving_rapl(tmp_path, monkeypatch, 3)
    monkeypatch.setenv("SLM_CLOUD_BASE_URL", proxy.url)
    monkeypatch.setenv("SLM_CLOUD_MODEL", "tiny-cloud")
    with slm.Runtime() as rt:
        for seed in (1, 2):
            local = rt.ask("hello there", model=str(tiny_gguf), max_tokens=6, seed=seed)
            assert local.where == "local" and local.usage.completion_tokens > 0
        cloud = rt.ask("what is the capital of France", cloud=True, max_tokens=8)
        assert cloud.where == "cloud" and cloud.usage.completion_tokens > 0
    assert len(proxy.requests) == 1
    return rows()


def test_sums_match_the_rows_the_pipeline_wrote(pipeline_history):
    got = pipeline_history
    assert [r["where_"] for r in got] == ["local"] * 5 + ["cloud"]
    assert [r["plugin"] for r in got[:3]] == ["calc"] * 3 and got[0]["model"] == ""
    assert {r["method"] for r in got[:3]} <= {"measured", "measured+attributed"}
    assert sum(r["joules"] for r in got[:3]) > 0  # a short calc window may see no tick, three not
    assert all(r["joules"] > 0 for r in got[3:])  # the estimate is never a silent zero
    assert {r["method"] for r in got[3:]} == {"estimated"}

    proc = slm_cli("energy", "--json", "--by", "plugin", "--by", "model", "--by", "where")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    t = report["totals"]
    assert t["requests"] == len(got)
    assert t["joules"] == pytest.approx(sum(r["joules"] for r in got))
    assert t["co2_g"] == pytest.approx(sum(r["co2_g"] for r in got))
    assert t["tokens"] == sum(r["tokens"] for r in got)
    assert t["completion_tokens"] == sum(r["completion_tokens"] for r in got)
    assert t["j_per_answer"] == pytest.approx(t["joules"] / len(got))
    with_tokens = [r for r in got if r["tokens"]]
    assert t["j_per_token"] == pytest.approx(sum(r["joules"] for r in with_tokens) / sum(r["tokens"] for r in with_tokens))
    measured = sum(r["joules"] for r in got if r["method"].startswith("measured"))
    assert t["measured_share"] == pytest.approx(measured / t["joules"])
    assert t["measured_requests"] == 3 and t["estimated_requests"] == 3

    by_plugin = {g["key"]: g for g in report["groups"]["plugin"]}
    assert set(by_plugin) == {"calc", None}
    assert by_plugin["calc"]["requests"] == 3
    assert by_plugin["calc"]["joules"] == pytest.approx(sum(r["joules"] for r in got[:3]))
    by_where = {g["key"]: g for g in report["groups"]["where"]}
    assert by_where["cloud"]["requests"] == 1 and by_where["local"]["requests"] == 5

    # offloaded: its local joules as measured, its remote energy at the reference range, never zero
    low, high, pue, grid = reference_figures()
    cloud_row = got[-1]
    remote = report["offloaded"]["remote"]
    assert report["offloaded"]["local_joules"] == pytest.approx(cloud_row["joules"])
    assert remote["estimate"] is True and remote["j_low"] > 0
    assert remote["j_low"] == pytest.approx(cloud_row["completion_tokens"] * low * pue)
    assert remote["j_high"] == pytest.approx(cloud_row["completion_tokens"] * high * pue)
    assert by_where["cloud"]["remote"]["j_high"] == pytest.approx(remote["j_high"])

    # the counterfactual: every output token at the reference, against what it cost here
    c = report["comparison"]
    out_tokens = sum(r["completion_tokens"] for r in got)
    assert c["estimate"] is True and c["output_tokens"] == out_tokens and c["requests"] == 3
    assert c["reference_j_low"] == pytest.approx(out_tokens * low * pue)
    assert c["reference_j_high"] == pytest.approx(out_tokens * high * pue)
    assert c["reference_co2_g_high"] == pytest.approx(out_tokens * high * pue / 3.6e6 * grid)
    here = sum(r["joules"] for r in got[3:])
    assert c["here_j_low"] == pytest.approx(here + remote["j_low"])
    assert c["saved_j_high"] == pytest.approx(c["reference_j_high"] - c["here_j_high"])
    assert c["left_out"]["requests_without_output_tokens"] == 3  # the calc answers
    assert c["reference"]["pue"] == pue and "ML.ENERGY" in c["reference"]["source"]


def test_text_report_shows_the_figures_bars_and_source(pipeline_history):
    got = pipeline_history
    proc = slm_cli("energy", "--by", "plugin")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"requests   {len(got)}" in out or f"requests  {len(got)}" in out
    assert "calc" in out and "(no plugin)" in out
    assert "█" in out  # the bar chart
    assert "an estimate" in out and "ML.ENERGY" in out and "PUE" in out and "gCO2e/kWh" in out
    assert "remote" in out  # the offloaded request's remote side is shown


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: dict[str, dict] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids[attrs["id"]] = attrs

    def handle_data(self, data):
        self.text.append(data)


def test_html_page_is_self_contained_with_its_figures_and_source(pipeline_history, tmp_path):
    got = pipeline_history
    out = tmp_path / "report.html"
    proc = slm_cli("energy", "--html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    names = [tag for tag, _ in page.tags]
    assert "svg" in names and "rect" in names
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    assert not any(a.get("src") for _, a in page.tags)  # nothing loaded from anywhere
    assert int(page.ids["total-requests"]["data-value"]) == len(got)
    assert float(page.ids["total-joules"]["data-value"]) == pytest.approx(sum(r["joules"] for r in got))
    _low, high, pue, _ = reference_figures()
    out_tokens = sum(r["completion_tokens"] for r in got)
    assert float(page.ids["reference-range"]["data-high"]) == pytest.approx(out_tokens * high * pue)
    text = " ".join(page.text)
    assert "An estimate" in text and "ML.ENERGY" in text and f"PUE {pue:g}" in text
    assert "calc" in text  # the by-plugin chart and table


def test_queued_request_answered_later_counts_its_remote_side(proxy):
    from slm.offload.queue import OfflineQueue

    env = {"SLM_CLOUD_BASE_URL": proxy.url, "SLM_CLOUD_MODEL": "tiny-cloud"}
    proxy.stop()
    asked = slm_cli("ask", "--cloud", "--json", "--max-tokens", "8", "what is the capital of France", env=env)
    assert json.loads(asked.stdout)["where"] == "queued", asked.stderr
    [row] = rows()
    assert row["where_"] == "queued" and row["joules"] > 0  # queueing (redaction, the write) cost joules here
    before = json.loads(slm_cli("energy", "--json").stdout)
    assert before["comparison"]["left_out"]["queued"] == 1 and before["comparison"]["requests"] == 0
    proxy.start()
    assert slm_cli("queue", "sync", env=env).returncode == 0
    with OfflineQueue.from_settings(load_settings()) as queue:
        [sent] = queue.list("sent")
    out_tokens = sent.usage["completion_tokens"]
    assert out_tokens > 0
    after = json.loads(slm_cli("energy", "--json").stdout)
    low, high, pue, _ = reference_figures()
    later = after["offloaded"]["delivered_later"]
    assert later["requests"] == 1 and later["output_tokens"] == out_tokens
    assert later["remote"]["j_low"] == pytest.approx(out_tokens * low * pue)  # never zero once answered
    c = after["comparison"]
    assert c["left_out"]["queued"] == 0 and c["requests"] == 1
    assert c["here_j_high"] == pytest.approx(row["joules"] + out_tokens * high * pue)
    assert "queued ones sent later" in slm_cli("energy").stdout


# --- edge cases of the history ------------------------------------------------------------------
def test_empty_history_reports_zero_and_exits_0(tmp_path):
    text = slm_cli("energy")
    assert text.returncode == 0, text.stderr
    assert "no requests" in text.stdout
    data = json.loads(slm_cli("energy", "--json", "--by", "day").stdout)
    assert data["totals"]["requests"] == 0 and data["comparison"] is None and data["groups"]["day"] == []
    page = slm_cli("energy", "--html")
    assert page.returncode == 0 and 'id="empty"' in page.stdout


def test_history_with_only_estimates():
    with slm.Runtime() as rt:  # conftest's empty powercap tree: no RAPL, the CPU-time estimate
        for _ in range(2):
            rt.ask("15% of 200", plugin="calc")
    got = rows()
    assert [r["method"] for r in got] == ["estimated", "estimated"]
    report = json.loads(slm_cli("energy", "--json").stdout)
    assert report["totals"]["measured_share"] == 0.0 and report["totals"]["estimated_requests"] == 2
    assert report["totals"]["joules"] == pytest.approx(sum(r["joules"] for r in got)) and report["totals"]["joules"] > 0
    assert "0% of the joules" in slm_cli("energy").stdout


def test_corrupt_history_is_one_clear_line_and_ask_still_works():
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    garbage = b"this is not an sqlite file\x00\x01" * 64
    path.write_bytes(garbage)
    for args in (("energy",), ("energy", "--json"), ("energy", "--html")):
        err = one_line_error(slm_cli(*args), 1)
        assert "damaged" in err and str(path) in err and "--reset" in err
    asked = slm_cli("ask", "--plugin", "calc", "15% of 200")
    assert asked.returncode == 0 and "30" in asked.stdout, asked.stderr
    assert path.read_bytes() == garbage  # nothing overwrote the user's file
    reset = slm_cli("energy", "--reset", "--yes")
    assert reset.returncode == 0 and "moved to" in reset.stdout
    moved = list(path.parent.glob("energy.sqlite.damaged-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    assert slm_cli("energy").returncode == 0


def test_damaged_offline_queue_is_a_note_not_a_failure():
    EnergyHistory(load_settings()).record("m", 2.0, 5, "local", method="estimated", source="cpu-time",
                                          prompt_tokens=2, completion_tokens=3)
    (load_settings().data_dir / "queue.db").write_bytes(b"not a queue" * 100)
    proc = slm_cli("energy")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "note: queued requests answered later are not counted" in proc.stdout
    data = json.loads(slm_cli("energy", "--json").stdout)
    assert data["totals"]["requests"] == 1 and len(data["warnings"]) == 1


@pytest.mark.parametrize("args, needle", [
    (("--since", "garbage"), "--since"),
    (("--since", "0d"), "more than 0"),
    (("--since", "2999-01-01"), "future"),
    (("--by", "unknown"), "--by"),
    (("--reference", "gpt-9"), "unknown reference model"),
    (("-o", "x.html"), "--html"),
    (("--json", "--html"), "pick one"),
    (("--yes",), "--reset"),
    (("--reset", "--by", "day"), "--reset"),
])
def test_bad_flags_are_one_line_exit_2(args, needle):
    err = one_line_error(slm_cli("energy", *args), 2)
    assert needle in err


def test_bad_reference_setting_is_a_config_error():
    err = one_line_error(slm_cli("energy", env={"SLM_ENERGY_REFERENCE": "nope"}), 1)
    assert "SLM_ENERGY_REFERENCE" in err


def _seed(history: EnergyHistory, n: int) -> None:
    for i in range(n):
        history.record("m", 1.0 + i, 10, "local", co2_g=0.1, method="estimated", source="cpu-time",
                       plugin="notes", prompt_tokens=4, completion_tokens=6)


def test_reset_asks_and_keeps_rows_unless_confirmed():
    history = EnergyHistory(load_settings())
    _seed(history, 3)
    no = slm_cli("energy", "--reset", input="n\n")
    assert no.returncode == 0 and len(rows()) == 3
    closed = slm_cli("energy", "--reset", input="")
    one_line_error(closed, 2)
    assert len(rows()) == 3
    yes = slm_cli("energy", "--reset", input="y\n")
    assert yes.returncode == 0 and "3 records deleted" in yes.stdout and rows() == []
    _seed(history, 2)
    scripted = slm_cli("energy", "--reset", "--yes")
    assert scripted.returncode == 0 and rows() == []


def test_keep_days_drops_old_rows_on_write(tmp_path):
    history = EnergyHistory(path=tmp_path / "e.sqlite", keep_days=7)
    _seed(history, 3)
    conn = sqlite3.connect(history.path)
    with conn:
        conn.execute("UPDATE energy SET ts = ts - 8 * 86400 WHERE id <= 2")  # two rows now 8 days old
    conn.close()
    _seed(history, 1)
    assert history.totals()["requests"] == 2
    forever = EnergyHistory(path=tmp_path / "e.sqlite", keep_days=0)
    conn = sqlite3.connect(history.path)
    with conn:
        conn.execute("UPDATE energy SET ts = ts - 1000 * 86400")
    conn.close()
    _seed(forever, 1)
    assert forever.totals()["requests"] == 3


def test_keep_days_setting_reaches_the_history(monkeypatch):
    monkeypatch.setenv("SLM_ENERGY_KEEP_DAYS", "30")
    assert EnergyHistory(load_settings()).keep_days == 30
    monkeypatch.setenv("SLM_ENERGY_KEEP_DAYS", "-1")
    with pytest.raises(Exception, match="SLM_ENERGY_KEEP_DAYS"):
        load_settings()


def test_since_window_and_day_groups(tmp_path):
    history = EnergyHistory(path=tmp_path / "e.sqlite")
    _seed(history, 4)
    conn = sqlite3.connect(history.path)
    with conn:
        conn.execute("UPDATE energy SET ts = ts - 3 * 86400 WHERE id = 1")
    conn.close()
    ref = load_reference()
    recent = build_report(history, reference=ref, since=parse_since("1d"), by=("day",))
    assert recent["totals"]["requests"] == 3 and recent["totals"]["joules"] == pytest.approx(2 + 3 + 4)
    everything = build_report(history, reference=ref, by=("day",))
    days = everything["groups"]["day"]
    assert len(days) == 4 and [d["requests"] for d in days] == [1, 0, 0, 3]  # empty days are zero bars


def test_older_history_file_gains_columns_and_is_reported(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)  # the schema before this change: no plugin, no prompt/output split
    with conn:
        conn.executescript("CREATE TABLE energy (id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, "
                           "model TEXT NOT NULL, where_ TEXT NOT NULL, joules REAL NOT NULL, tokens INTEGER NOT NULL, "
                           "co2_g REAL, method TEXT, source TEXT);")
        conn.execute("INSERT INTO energy (ts, model, where_, joules, tokens, co2_g, method, source) "
                     "VALUES (?, 'm', 'local', 5.0, 50, 0.001, 'estimated', 'cpu-time')", (time.time(),))
        conn.execute("INSERT INTO energy (ts, model, where_, joules, tokens, co2_g, method, source) "
                     "VALUES (?, 'c', 'cloud', 0.5, 40, 0.0001, 'estimated', 'cpu-time')", (time.time(),))
    conn.close()
    history = EnergyHistory(path=path)
    ref = load_reference()
    report = build_report(history, reference=ref)
    assert report["totals"]["requests"] == 2 and report["totals"]["joules"] == pytest.approx(5.5)
    c = report["comparison"]
    # the old local row cannot be split: left out of the comparison, said so
    assert c["left_out"]["older_rows_without_split"] == 1
    # the old cloud row's remote side counts all its tokens as output: an over-estimate, never zero
    assert report["offloaded"]["remote"]["j_low"] == pytest.approx(40 * ref.j_per_output_token_low * ref.pue)
    history.record("m", 1.0, 3, "local", plugin="notes", prompt_tokens=1, completion_tokens=2)
    assert build_report(history, reference=ref)["totals"]["requests"] == 3


def test_html_escapes_names_from_the_history(tmp_path):
    history = EnergyHistory(path=tmp_path / "e.sqlite")
    history.record('<script>alert("x")</script>', 2.0, 5, "local", plugin="<img src=x onerror=alert(1)>",
                   method="estimated", source="cpu-time", prompt_tokens=2, completion_tokens=3)
    from slm.energy.render import render_html

    page = _Page()
    page.feed(render_html(build_report(history, reference=load_reference(), by=("plugin", "model"))))
    assert not any(tag in ("script", "img") for tag, _ in page.tags)
    assert '<script>alert("x")</script>' in " ".join(page.text)  # shown as text, not run


def test_other_reference_model_changes_the_estimate_only(tmp_path):
    history = EnergyHistory(path=tmp_path / "e.sqlite")
    _seed(history, 2)
    a = build_report(history, reference=load_reference())
    b = build_report(history, reference=load_reference("llama-3.1-8b-h100"))
    assert a["totals"] == b["totals"]
    low, _high, pue, _ = reference_figures("llama-3.1-8b-h100")
    assert b["comparison"]["reference_j_low"] == pytest.approx(12 * low * pue)
    assert b["comparison"]["reference"]["name"] == "llama-3.1-8b-h100"
    listed = slm_cli("energy", "--references")
    assert listed.returncode == 0 and "llama-3.1-8b-h100" in listed.stdout and "(default)" in listed.stdout


def test_metrics_totals_count_per_source(tmp_path):
    history = EnergyHistory(path=tmp_path / "e.sqlite")
    _seed(history, 2)
    history.record("m", 4.0, 8, "local", method="measured", source="rapl", plugin="notes",
                   prompt_tokens=4, completion_tokens=4)
    got = {(m["source"], m["method"]): m for m in metrics_totals(history)}
    assert got[("cpu-time", "estimated")]["requests"] == 2 and got[("cpu-time", "estimated")]["joules"] == pytest.approx(3.0)
    assert got[("rapl", "measured")]["joules"] == pytest.approx(4.0) and got[("rapl", "measured")]["tokens"] == 8


def test_parse_since():
    now = 1_800_000_000.0
    assert parse_since("7d", now=now) == now - 7 * 86400
    assert parse_since("90m", now=now) == now - 5400
    assert parse_since("2w", now=now) == now - 14 * 86400
    assert parse_since("all", now=now) is None and parse_since(None) is None
    assert parse_since("2026-11-30", now=now) < now
    for bad in ("7x", "d7", "-3d", "yesterday", "2026-13-01"):
        with pytest.raises(UsageError):
            parse_since(bad, now=now)

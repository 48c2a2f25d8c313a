"""Text and HTML renderings of an energy report (slm.energy.report.build_report's data).

The text is for a terminal: a summary, a table with unicode-block bars, the
comparison with its source. The HTML is one self-contained page: inline CSS and
SVG, no script, no external resource; every figure also sits in a
``data-value`` attribute so tools (and the tests) read the exact number.
"""
from __future__ import annotations

import html
from typing import Any

from slm.energy.reading import format_si

_EIGHTHS = " ▏▎▍▌▋▊▉█"
BAR_WIDTH = 24
_NONE = {"plugin": "(no plugin)", "model": "(no model)", "where": "-", "day": "-"}
_HEADING = {"plugin": "PLUGIN", "model": "MODEL", "where": "WHERE", "day": "DAY"}


def bar(value: float, largest: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighths of a character; any value above zero shows at least a sliver."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def _j(value: float | None, *, per: str = "") -> str:
    return "-" if value is None else format_si(value, "J") + per


def _g(value: float | None) -> str:
    return "-" if value is None else format_si(value, "g")


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def _range(low: float, high: float, unit: str) -> str:
    low, high = sorted((low, high))
    return f"{format_si(low, unit)} – {format_si(high, unit)}"


def _period(report: dict[str, Any]) -> str:
    p = report["period"]
    kept = f"history kept {p['keep_days']} days" if p["keep_days"] else "history kept forever"
    window = f"since {p['since'][:16].replace('T', ' ')}" if p["since"] else "all history"
    span = ""
    if p["first"]:
        span = f" · {p['first'][:16].replace('T', ' ')} → {p['last'][:16].replace('T', ' ')}"
    return f"{window} ({kept}){span}"


def _times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.0f}×"


def verdict(comparison: dict[str, Any]) -> str:
    """'1.25×–12× less energy here (2.1 kJ – 80 kJ saved)', or 'more', or a range that crosses even."""
    low, high = comparison["ratio_low"], comparison["ratio_high"]
    if low is None or high is None:
        return "nothing spent here to compare"
    saved = _range(comparison["saved_j_low"], comparison["saved_j_high"], "J")
    if low >= 1 and high >= 1:
        return f"{_times(low)}–{_times(high)} less energy here ({saved} saved)"
    if low < 1 and high < 1:
        extra = _range(-comparison["saved_j_high"], -comparison["saved_j_low"], "J")
        return f"{_times(1 / high)}–{_times(1 / low)} more energy here ({extra} more)"
    return f"between {_times(1 / low)} more and {_times(high)} less energy here ({saved} saved)"


def comparison_lines(comparison: dict[str, Any]) -> list[tuple[str, str]]:
    ref = comparison["reference"]
    left = comparison["left_out"]
    out = [("reference", (f"{ref['label']}: {ref['j_per_output_token_low']:g}–{ref['j_per_output_token_high']:g} J "
                         f"per output token (GPU only), PUE {ref['pue']:g}, {ref['grid_g_per_kwh']:g} gCO2e/kWh"))]
    if comparison["requests"]:
        remote_low = comparison["here_j_low"] - comparison["here_local_j"]
        remote_high = comparison["here_j_high"] - comparison["here_local_j"]
        out += [
            ("there", (f"{comparison['output_tokens']:,} output tokens of {comparison['requests']:,} requests: "
                      f"{_range(comparison['reference_j_low'], comparison['reference_j_high'], 'J')}, "
                      f"{_range(comparison['reference_co2_g_low'], comparison['reference_co2_g_high'], 'g')} CO2e")),
            ("here", f"{_j(comparison['here_local_j'])} on this device"
                     + (f" + {_range(remote_low, remote_high, 'J')} remote (offloaded, at the reference)"
                        if remote_high > 0 else "")),
            ("so", verdict(comparison)),
        ]
    else:
        out.append(("so", "nothing to compare: no request here produced output tokens"))
    skipped = []
    if left["requests_without_output_tokens"]:
        skipped.append(f"{left['requests_without_output_tokens']:,} answered without output tokens (no model, e.g. calc)")
    if left["older_rows_without_split"]:
        skipped.append(f"{left['older_rows_without_split']:,} older rows without the prompt/output split")
    if left["queued"]:
        skipped.append(f"{left['queued']:,} queued, not answered yet")
    if skipped:
        out.append(("left out", "; ".join(skipped) + " (their joules are in the totals above)"))
    out.append(("source", ref["source"] + (f" <{ref['source_url']}>" if ref["source_url"] else "")))
    out.append(("assumes", "; ".join(ref["assumptions"])))
    return out


def summary_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    t = report["totals"]
    where = report["where"]
    split = " · ".join(f"{k} {v['requests']:,}" for k, v in where.items())
    lines = [
        ("requests", f"{t['requests']:,}" + (f"  ({split})" if split else "")),
        ("tokens", f"{t['tokens']:,}  (prompt {t['prompt_tokens']:,} · output {t['completion_tokens']:,})"),
        ("energy", (f"{_j(t['joules'])} · {_j(t['j_per_answer'], per='/answer')} · {_j(t['j_per_token'], per='/token')}"
                   f" · {_j(t['j_per_output_token'], per='/output token')}")),
        ("CO2e", _g(t["co2_g"])),
        ("measured", (f"{_pct(t['measured_share'])} of the joules ({t['measured_requests']:,} requests measured, "
                     f"{t['estimated_requests']:,} estimated)")),
    ]
    off = report.get("offloaded")
    if off:
        lines.append(("offloaded", offloaded_text(off)))
    return lines


def offloaded_text(off: dict[str, Any]) -> str:
    r, later = off["remote"], off["delivered_later"]
    text = (f"{off['requests']:,} requests: {_j(off['local_joules'])} here (redaction, network) + "
            f"{_range(r['j_low'], r['j_high'], 'J')} remote (estimate at the reference model)")
    if later["requests"]:
        lr = later["remote"]
        text += (f"; {later['requests']:,} queued ones sent later: {_range(lr['j_low'], lr['j_high'], 'J')} remote "
                 "(estimate)")
    return text


def _kv(lines: list[tuple[str, str]], indent: str = "  ") -> list[str]:
    width = max((len(k) for k, _ in lines), default=0)
    return [f"{indent}{k.ljust(width)}  {v}" for k, v in lines]


def group_table(by: str, rows: list[dict[str, Any]]) -> list[str]:
    head = (_HEADING[by], "REQUESTS", "ENERGY", "J/ANSWER", "J/TOKEN", "CO2E", "MEASURED")
    table = [head] + [(str(r["key"]) if r["key"] is not None else _NONE[by], f"{r['requests']:,}", _j(r["joules"]),
                       _j(r["j_per_answer"]), _j(r["j_per_token"]), _g(r["co2_g"]), _pct(r["measured_share"]))
                      for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    largest = max((r["joules"] for r in rows), default=0.0)
    out = []
    for i, row in enumerate(table):
        cells = "  ".join(cell.ljust(w) for cell, w in zip(row, widths))
        chart = bar(rows[i - 1]["joules"], largest) if i and by in ("day", "plugin") else ""
        out.append(f"  {cells}  {chart}".rstrip())
    return out


def render_text(report: dict[str, Any]) -> str:
    lines = [f"slm energy · {_period(report)}"]
    warnings = [f"  note: {w}" for w in report.get("warnings", ())]
    if not report["totals"]["requests"]:
        lines.append("  no requests in the energy history" + (" for this period" if report["period"]["since"] else "")
                     + f" ({report['history']['path']})")
        return "\n".join(lines + warnings)
    lines += _kv(summary_lines(report))
    for by, rows in report["groups"].items():
        lines += ["", f"by {by}"] + group_table(by, rows)
    if report["comparison"]:
        lines += ["", "against a large model in a data centre (an estimate)"] + _kv(comparison_lines(report["comparison"]))
    return "\n".join(lines + ([""] + warnings if warnings else []))


# --- HTML ---------------------------------------------------------------------------------
_CSS = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse}
td,th{padding:.2rem .7rem;text-align:left;border-bottom:1px solid #e3e6ec}td.n{text-align:right}
.est{background:#fff7e0;border-left:4px solid #e0a800;padding:.6rem 1rem}.muted{color:#5b6475;font-size:.9rem}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: Any, shown: str, ident: str | None = None) -> str:
    attr = f' id="{_e(ident)}"' if ident else ""
    data = f' data-value="{_e(value)}"' if value is not None else ""
    return f"<td class=\"n\"{attr}{data}>{_e(shown)}</td>"


def _svg_bars(rows: list[tuple[str, float]], unit: str, title: str) -> str:
    """Horizontal bars, one per row, labelled; pure SVG, no script."""
    if not rows:
        return ""
    largest = max(v for _, v in rows) or 1.0
    label_w, bar_w, row_h = 170, 420, 22
    height = row_h * len(rows) + 10
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 110}" height="{height}" '
             f'aria-label="{_e(title)}"><title>{_e(title)}</title>')]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        w = max(1.0, value / largest * bar_w) if value > 0 else 0.0
        short = label if len(label) <= 26 else "…" + label[-25:]
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="#3b7dd8">'
                     f'<title>{_e(label)}: {_e(format_si(value, unit))}</title></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{_e(format_si(value, unit))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: dict[str, Any]) -> str:
    t = report["totals"]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>slm energy report</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>slm energy report</h1>", f'<p class="muted" id="period">{_e(_period(report))}</p>']
    out += [f'<p class="muted warning">Note: {_e(w)}</p>' for w in report.get("warnings", ())]
    if not t["requests"]:
        out.append('<p id="empty">No requests in the energy history for this period.</p></body></html>')
        return "\n".join(out)
    out.append('<h2>Totals</h2><table id="totals">')
    for key, label, value, shown in (
            ("requests", "requests", t["requests"], f"{t['requests']:,}"),
            ("tokens", "tokens (prompt + output)", t["tokens"], f"{t['tokens']:,}"),
            ("output_tokens", "output tokens", t["completion_tokens"], f"{t['completion_tokens']:,}"),
            ("joules", "energy", t["joules"], _j(t["joules"])),
            ("j_per_answer", "per answer", t["j_per_answer"], _j(t["j_per_answer"])),
            ("j_per_token", "per token", t["j_per_token"], _j(t["j_per_token"])),
            ("co2_g", "CO2e", t["co2_g"], _g(t["co2_g"])),
            ("measured_share", "measured", t["measured_share"], _pct(t["measured_share"]) + " of the joules")):
        out.append(f"<tr><th>{_e(label)}</th>{_cell(value, shown, 'total-' + key)}</tr>")
    out.append("</table>")
    off = report.get("offloaded")
    if off:
        r = off["remote"]
        out.append(f'<p id="offloaded" data-low="{r["j_low"]}" data-high="{r["j_high"]}">Offloaded: '
                   f'{_e(offloaded_text(off))}.</p>')
    for by, rows in report["groups"].items():
        out.append(f'<h2>By {_e(by)}</h2>')
        labels = [(str(r["key"]) if r["key"] is not None else _NONE[by], r["joules"]) for r in rows]
        out.append(_svg_bars(labels, "J", f"joules by {by}"))
        out.append(f'<table id="by-{_e(by)}"><tr><th>{_e(by)}</th><th>requests</th><th>energy</th><th>J/answer</th>'
                   "<th>J/token</th><th>CO2e</th><th>measured</th></tr>")
        for r, (label, _) in zip(rows, labels):
            count = f"{r['requests']:,}"
            out.append(f"<tr><td>{_e(label)}</td>{_cell(r['requests'], count)}"
                       f"{_cell(r['joules'], _j(r['joules']))}{_cell(r['j_per_answer'], _j(r['j_per_answer']))}"
                       f"{_cell(r['j_per_token'], _j(r['j_per_token']))}{_cell(r['co2_g'], _g(r['co2_g']))}"
                       f"{_cell(r['measured_share'], _pct(r['measured_share']))}</tr>")
        out.append("</table>")
    c = report["comparison"]
    if c:
        out.append('<h2>Against a large model in a data centre</h2><div class="est" id="comparison">'
                   "<p><strong>An estimate</strong>, not a measurement.</p>")
        out.append(_svg_bars([("here (low)", c["here_j_low"]), ("here (high)", c["here_j_high"]),
                              (f"{c['reference']['name']} (low)", c["reference_j_low"]),
                              (f"{c['reference']['name']} (high)", c["reference_j_high"])], "J",
                             "energy here against the reference model"))
        out.append(f'<p id="reference-range" data-low="{c["reference_j_low"]}" data-high="{c["reference_j_high"]}" '
                   f'data-here-low="{c["here_j_low"]}" data-here-high="{c["here_j_high"]}"></p><table>')
        for key, text in comparison_lines(c):
            ident = f' id="cmp-{_e(key.replace(" ", "-"))}"'
            out.append(f"<tr><th>{_e(key)}</th><td{ident}>{_e(text)}</td></tr>")
        out.append(f'</table><p class="muted" id="rests-on">What the figure rests on: {_e(c["reference"]["rests_on"])}</p>'
                   f'<p class="muted">PUE: {_e(c["reference"]["pue_source"])} Grid: {_e(c["reference"]["grid_source"])}</p></div>')
    out.append(f'<p class="muted">History: {_e(report["history"]["path"])} ({report["history"]["bytes"]:,} bytes). '
               "Made by slm energy.</p></body></html>")
    return "\n".join(out)

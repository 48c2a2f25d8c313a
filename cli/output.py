"""How the CLI prints: one JSON style and one table style for every command."""
from __future__ import annotations

import json
from typing import Any, Sequence

import click


def echo_json(data: Any) -> None:
    # Non-ASCII stays readable (names, passages are the user's own text); paths/dates print as text.
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def echo_table(rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell; the last column (a description) is not padded."""
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        click.echo(("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1]).rstrip())

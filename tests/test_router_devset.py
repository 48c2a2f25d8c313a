"""The router development set (tests/data/router_devset.jsonl) stays well-formed and separate
from the examples the built-in plugins declare (the router trains on those)."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

DEVSET = Path(__file__).parent / "data" / "router_devset.jsonl"
BUILTINS = ("calc", "notes", "email", "extract", "kb")
PLUGINS_DIR = Path(__file__).resolve().parents[1] / "plugins"


def rows() -> list[dict]:
    out = []
    for n, line in enumerate(DEVSET.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        assert set(row) == {"prompt", "plugin"}, f"line {n}"
        assert isinstance(row["prompt"], str) and row["prompt"].strip() == row["prompt"] and row["prompt"]
        assert row["plugin"] is None or row["plugin"] in BUILTINS, f"line {n}"
        out.append(row)
    return out


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def test_sizes_and_no_duplicates():
    data = rows()
    counts = Counter(r["plugin"] for r in data)
    for name in BUILTINS:
        assert counts[name] >= 60, name
    assert counts[None] >= 200
    prompts = [norm(r["prompt"]) for r in data]
    assert len(prompts) == len(set(prompts))


@pytest.mark.parametrize("name", BUILTINS)
def test_disjoint_from_declared_examples(name):
    from slm.host.meta import read_plugin_toml

    declared = {norm(e) for e in read_plugin_toml(PLUGINS_DIR / name).examples}
    assert declared.isdisjoint(norm(r["prompt"]) for r in rows())
    # not even near-copies: word overlap (Jaccard) with any declared example stays below 0.6
    words = [set(re.findall(r"\w+", e)) for e in declared]
    for row in rows():
        mine = set(re.findall(r"\w+", norm(row["prompt"])))
        worst = max(len(mine & w) / len(mine | w) for w in words)
        assert worst < 0.6, row["prompt"]

"""Training prompts that look like what people send: an instruction with a pasted payload.

Plugins declare short examples ("summarise my notes from the acme call"); people paste the
notes after them, full of numbers, e-mail addresses and dates. The featurizer reads the
instruction's words and only the payload's shape (shape.py); these prompts teach the
model that a payload's shape alone does not pick a route (the same payloads go with every
route and with the out-of-scope prompts), and they put long prompts into the
cross-validation the thresholds are fitted on. Deterministic: the same examples give the
same prompts.
"""
from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import numpy as np

# how an instruction and a payload are put together; "{i}" instruction, "{p}" payload
TEMPLATES = (
    "{i}: {p}",
    "{i}:\n{p}",
    "{i}\n\n{p}",
    "{i}\n{p}",
    '{i} "{p}"',
    "{i} - {p}",
    "{i} {p}",  # no separator: a long prompt keeps its first words
)
# the paste first, the ask after it (instruction.py finds it at the end)
AFTER = ("{p}\n\n{i}", "{p}\n{i}", "{p} - {i}", "{p}. {i}")
# the ask in the middle: after a quoted message, or between two parts of a paste
MIDDLE = ("'{p}' <- {i}. {q}", "{p} -- {i} -- {q}")
AFTER_SHARE = 0.3
MIDDLE_SHARE = 0.08
DETAIL_WORDS = 12  # a detail clause appended to a request: "..., 14 units at $250, due on the 3rd"


def bundled_payloads() -> list[str]:
    text = resources.files("slm.router").joinpath("data/payloads.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return [p.strip() for p in "\n".join(lines).split("\n---\n") if p.strip()]


def with_payloads(texts: Sequence[str], payloads: Sequence[str], share: float, seed: int) -> list[tuple[int, str]]:
    """(index of the source text, prompt) for ``share`` x len(texts) prompts, each a source
    text with a payload (share 1: one each; 0.5: every other one, picked at random): mostly
    before it, some after it (``AFTER_SHARE``), a few in its middle (``MIDDLE_SHARE``)."""
    if share <= 0 or not payloads or not texts:
        return []
    rng = np.random.default_rng(seed)
    count = round(share * len(texts))
    sources = np.concatenate([rng.permutation(len(texts)) for _ in range(int(np.ceil(share)))])[:count]
    out = []
    for src in sources:
        instruction = texts[int(src)].rstrip(" ?.!")
        payload = payloads[int(rng.integers(len(payloads)))]
        roll = rng.random()
        if roll < MIDDLE_SHARE:
            template = MIDDLE[int(rng.integers(len(MIDDLE)))]
            other = _clause(payloads[int(rng.integers(len(payloads)))], rng) or "thanks"
            out.append((int(src), template.format(i=instruction, p=_one_line(payload), q=other)))
            continue
        if roll < MIDDLE_SHARE + AFTER_SHARE:
            template = AFTER[int(rng.integers(len(AFTER)))]
            if template in ("{p} - {i}", "{p}. {i}"):
                payload = _one_line(payload)
        else:
            template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        out.append((int(src), template.format(i=instruction, p=payload)))
    return out


def with_details(texts: Sequence[str], payloads: Sequence[str], share: float, seed: int) -> list[tuple[int, str]]:
    """(index of the source text, prompt): a request with a clause of a paste's details after a
    comma ("draft an email to the customer about the delayed shipment, 40 units at $18.75 by
    Friday"): numbers and names in the request itself do not make it a calculation."""
    if share <= 0 or not payloads or not texts:
        return []
    rng = np.random.default_rng(seed + 1)
    count = round(share * len(texts))
    out = []
    for src in rng.permutation(len(texts))[:count]:
        clause = _clause(payloads[int(rng.integers(len(payloads)))], rng)
        if clause:
            out.append((int(src), f"{texts[int(src)].rstrip(' ?.!')}, {clause}"))
    return out


def _one_line(payload: str) -> str:
    return " ".join(payload.split())


def _clause(payload: str, rng: np.random.Generator) -> str:
    """A short run of a paste's words, starting at a random word (up to ``DETAIL_WORDS``)."""
    words = payload.split()
    if not words:
        return ""
    start = int(rng.integers(max(1, len(words) - 4)))
    return " ".join(words[start:start + int(rng.integers(4, DETAIL_WORDS + 1))]).strip(" ,.;:-")

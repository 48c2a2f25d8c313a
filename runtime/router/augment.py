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
from slm.router.shape import starts_message

# how an instruction and a payload are put together; "{i}" instruction, "{p}" payload
TEMPLATES = (
    "{i}: {p}",
    "{i}:\n{p}",
    "{i}\n\n{p}",
    "{i}\n{p}",
    '{i} "{p}"',
    "{i} - {p}",  # no separator the split knows: a long prompt keeps its first words
    "{i} {p}",
)
AFTER = "{p}\n\n{i}"  # a pasted message first, the instruction on the last line


def bundled_payloads() -> list[str]:
    text = resources.files("slm.router").joinpath("data/payloads.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return [p.strip() for p in "\n".join(lines).split("\n---\n") if p.strip()]


def with_payloads(texts: Sequence[str], payloads: Sequence[str], share: float, seed: int) -> list[tuple[int, str]]:
    """(index of the source text, prompt) for ``share`` x len(texts) prompts, each a source
    text with a payload (share 1: one each; 0.5: every other one, picked at random)."""
    if share <= 0 or not payloads or not texts:
        return []
    rng = np.random.default_rng(seed)
    count = int(round(share * len(texts)))
    sources = np.concatenate([rng.permutation(len(texts)) for _ in range(int(np.ceil(share)))])[:count]
    out = []
    for src in sources:
        instruction = texts[int(src)].rstrip(" ?.!")
        payload = payloads[int(rng.integers(len(payloads)))]
        if starts_message(payload) and rng.random() < 0.25:
            template = AFTER
        else:
            template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        out.append((int(src), template.format(i=instruction, p=payload)))
    return out

"""Split long notes into pieces that fit the model's context, on natural seams.

Seams in order of preference: blank lines (paragraphs), line breaks, sentence
ends, then words. Token counts come from the model's own tokenizer
(``count_tokens``), so a chunk is never larger than the budget it was cut for,
except for a single word longer than the budget (cut by characters).
"""
from __future__ import annotations

import re
from collections.abc import Callable

_SEAMS = [re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?;])\s+"), re.compile(r"\s+")]


def split_to_fit(text: str, budget: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Chunks of ``text``, each within ``budget`` tokens, in order, together covering all of it."""
    if budget < 1:
        raise ValueError("chunk budget must be at least one token")
    text = text.strip()
    if not text:
        return []
    if count_tokens(text) <= budget:
        return [text]
    return _pack(_pieces(text, budget, count_tokens, 0), budget, count_tokens)


def _pieces(text: str, budget: int, count_tokens, level: int) -> list[str]:
    """Break text into pieces each within budget, using the gentlest seam that works."""
    if count_tokens(text) <= budget:
        return [text]
    if level >= len(_SEAMS):
        return _cut_chars(text, budget, count_tokens)
    parts = [p.strip() for p in _SEAMS[level].split(text) if p.strip()]
    if len(parts) <= 1:
        return _pieces(text, budget, count_tokens, level + 1)
    out: list[str] = []
    for part in parts:
        out.extend(_pieces(part, budget, count_tokens, level + 1))
    return out


def _cut_chars(text: str, budget: int, count_tokens) -> list[str]:
    out, rest = [], text
    while rest:
        n = len(rest)
        while n > 1 and count_tokens(rest[:n]) > budget:
            n = max(1, n * budget // max(count_tokens(rest[:n]), 1) if n > 8 else n - 1)
        out.append(rest[:n])
        rest = rest[n:]
    return out


def _pack(pieces: list[str], budget: int, count_tokens) -> list[str]:
    """Greedily join consecutive pieces while the joined chunk stays within budget."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if current and count_tokens(candidate) > budget:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks

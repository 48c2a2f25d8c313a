"""Sampling for small models: greedy, a repeat penalty, budgets sized to the task, tighter retries.

A 135M-parameter model given a loose budget loops ("Thank you. Thank you. ...") or
wanders off its input; sampled retries (temperature > 0) make it invent more, not
less. So every built-in plugin call is greedy, with a repeat penalty, stop strings
and a ``max_tokens`` sized to what the task needs; a rejected answer is retried
greedily with a *tighter* budget and a stronger repeat penalty (the changed
sampling makes the greedy path differ), never a hotter one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

REPEAT_PENALTY = 1.15  # damps the last 64 tokens; higher starts to garble names and numbers
RETRY_PENALTY_STEP = 0.1
RETRY_TOKEN_FACTOR = 0.75  # each retry gets three quarters of the previous budget
STOPS = ["<|im_end|>", "<|endoftext|>", "\n\n\n"]


def require_model(ctx) -> None:
    """Raise the model's own typed error when it is not usable here (absent: how to pull it). The
    offload policy may then send the request to the cloud; the deterministic answers are for a model
    that is present but not faithful, not a substitute for one the user has not installed."""
    if not ctx.has_model:
        ctx.n_ctx  # noqa: B018 - resolving the model raises ModelNotPresentError / CorruptModelError


@dataclass(frozen=True)
class Attempt:
    number: int  # 0-based
    max_tokens: int
    repeat_penalty: float


def attempts(max_tokens: int, count: int, *, min_tokens: int = 24) -> list[Attempt]:
    """The greedy attempts for one task: the budget shrinks and the repeat penalty grows."""
    out, budget = [], max_tokens
    for i in range(max(1, count)):
        out.append(Attempt(i, max(min_tokens, int(budget)), round(REPEAT_PENALTY + RETRY_PENALTY_STEP * i, 3)))
        budget *= RETRY_TOKEN_FACTOR
    return out


def generate_checked(ctx, prompt: str, *, system: str, max_tokens: int, accept: Callable[[str], T | None],
                     tries: int = 2, stop: list[str] | None = None, **extra: Any) -> tuple[T | None, int]:
    """Greedy ``ctx.generate`` until ``accept(text)`` returns something (not None).

    Returns (accepted value or None, model calls made). Model errors (absent, context
    overflow, load failure) are not caught: the offload policy acts on them.
    """
    calls = 0
    for attempt in attempts(max_tokens, tries):
        calls += 1
        text = ctx.generate(prompt, system=system, max_tokens=attempt.max_tokens, temperature=0.0,
                            stop=[*STOPS, *(stop or [])], seed=attempt.number,
                            repeat_penalty=attempt.repeat_penalty, **extra)
        value = accept(text)
        if value is not None:
            return value, calls
        ctx.logger.info("%s: answer %d/%d rejected", ctx.name, attempt.number + 1, tries)
    return None, calls

"""The request pipeline: prompt -> router -> plugin -> local backend, or the
cloud / offline queue -> answer + energy + log.

For now only the direct-model path exists: ``model=`` given, the prompt (and
optional system prompt) go to that local model.
"""
from __future__ import annotations

import time
from typing import Any, Iterator

from slm import errors
from slm.result import AskResult, Timings


def ask_stream(runtime, prompt: str, *, model: str | None = None, plugin: str | None = None,
               system: str | None = None, max_tokens: int | None = None, temperature: float | None = None,
               seed: int | None = None, stop: list[str] | None = None, json_schema: dict | None = None,
               local_only: bool = False, cloud: bool = False):
    from slm.api import AskStream

    if not isinstance(prompt, str):
        raise errors.UsageError("the prompt must be text")
    if not prompt.strip():
        raise errors.UsageError("the prompt is empty")
    if local_only and cloud:
        raise errors.UsageError("--local-only and --cloud contradict each other; pick one")
    if max_tokens is not None and max_tokens < 1:
        raise errors.UsageError("max tokens must be at least 1")
    if temperature is not None and not 0.0 <= temperature <= 2.0:
        raise errors.UsageError("temperature must be between 0 and 2")
    if model is None or plugin is not None or cloud:
        raise errors.UsageError("this build answers only with a local model: pass --model NAME")
    box: dict[str, AskResult] = {}
    return AskStream(_chat_local(runtime, model, prompt, system, max_tokens, temperature, seed, stop,
                                 json_schema, box), lambda: box.get("result"))


def _chat_local(runtime, model, prompt, system, max_tokens, temperature, seed, stop, json_schema,
                box) -> Iterator[str]:
    started = time.perf_counter()
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    chat = runtime.local_chat(model, messages, max_tokens=max_tokens or 256,
                              temperature=0.2 if temperature is None else temperature,
                              stop=stop, seed=seed, json_schema=json_schema)
    yield from chat
    timings = Timings(load_ms=chat.timings.load_ms, ttft_ms=chat.timings.ttft_ms,
                      total_ms=(time.perf_counter() - started) * 1000.0)
    box["result"] = AskResult(text=chat.text, model=chat.model, where="local", usage=chat.usage, timings=timings)

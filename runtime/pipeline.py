"""The request pipeline, the spine of slm:

    prompt -> router -> plugin -> local backend, or (when the offload policy
    says so) the cloud or the offline queue -> answer + energy + log.

Runtime.ask/ask_stream delegate here. This module only orchestrates; each part
lives in its own module (slm.router, slm.host, slm.store, slm.backends,
slm.offload, slm.energy, slm.requestlog).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

from slm import errors, requestlog
from slm.api import DEFAULT_MAX_TOKENS, AskStream
from slm.result import AskResult, Timings, Usage

log = logging.getLogger("slm.pipeline")

# Local failures the offload policy may answer by sending the request to the cloud.
_OFFLOADABLE = (errors.ModelNotPresentError, errors.ContextOverflowError, errors.LocalAnswerFailedError)


@dataclass
class Options:
    model: str | None = None
    plugin: str | None = None
    system: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    stop: list[str] | None = None
    json_schema: dict | None = None
    local_only: bool = False
    cloud: bool = False
    adapters: Any = None  # normalised to a tuple of slm.adapters.AdapterRef by _validate
    messages: list[dict] | None = None  # a conversation for a model asked directly (the server's chats)
    top_p: float | None = None


def ask_stream(runtime, prompt: str, **options: Any) -> AskStream:
    opts = Options(**options)
    _validate(prompt, opts)  # before any piece: a bad request fails at the call, not mid-iteration
    return AskStream(_run(runtime, prompt, opts))


def _validate(prompt: Any, opts: Options) -> None:
    if not isinstance(prompt, str):
        raise errors.UsageError("the prompt must be text")
    if not prompt.strip():
        raise errors.UsageError("the prompt is empty")
    for what, text in (("prompt", prompt), ("system prompt", opts.system)):
        try:
            text.encode("utf-8") if isinstance(text, str) else None
        except UnicodeEncodeError as exc:  # lone surrogates: bytes that were not UTF-8 (e.g. from argv)
            raise errors.UsageError(f"the {what} is not valid UTF-8 text (at character {exc.start})",
                                    hint="convert it first, e.g. iconv -f latin1 -t utf-8") from None
    for what, name in (("plugin", opts.plugin), ("model", opts.model)):
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise errors.UsageError(f"a {what} name is needed (got an empty one)")
    if opts.local_only and opts.cloud:
        raise errors.UsageError("--local-only and --cloud contradict each other; pick one")
    if opts.max_tokens is not None and opts.max_tokens < 1:
        raise errors.UsageError("max tokens must be at least 1")
    if opts.temperature is not None and not 0.0 <= opts.temperature <= 2.0:
        raise errors.UsageError("temperature must be between 0 and 2")
    if opts.adapters is not None:
        from slm.adapters import to_refs

        opts.adapters = to_refs(opts.adapters)
        if opts.adapters and opts.model is None and opts.plugin is None:
            raise errors.UsageError("an adapter needs a base model to apply to",
                                    hint="name it with --model BASE (or send the prompt to a plugin with --plugin)")


def _run(runtime, prompt: str, opts: Options) -> Generator[str, None, AskResult]:
    started = time.perf_counter()
    window = runtime.energy_meter.begin()
    route = None
    plugin = opts.plugin
    if plugin is None and opts.model is None:
        decision = runtime.router.route(prompt)
        route = decision.to_dict()
        plugin = decision.plugin
    info = runtime.plugins.get_info(plugin) if plugin else None
    facts = _facts(runtime, opts, info, routed_none=route is not None and plugin is None)
    verdict = _decide(runtime, facts)
    outcome: dict[str, Any] = {}
    first: list[float] = []  # when the first piece left the pipeline (TTFT from the same start as total)
    if verdict.where == "local":
        try:
            yield from _first_marked(_run_local(runtime, prompt, opts, info, outcome), first)
        except _OFFLOADABLE as exc:
            # Local first: only now that the device has failed may the request leave it.
            facts.local_failure = exc.one_line()
            if isinstance(exc, errors.ModelNotPresentError):
                facts.model_present = False
            try:
                verdict = _decide(runtime, facts)
            except errors.OffloadRefusedError:
                raise exc from None  # the local reason carries the fix (e.g. `slm models pull ...`)
            if verdict.where == "local":
                raise
    if verdict.where == "cloud":
        yield from _first_marked(_run_cloud(runtime, prompt, opts, info, verdict, outcome), first)
    reading = window.end()
    where = outcome.get("where", verdict.where)
    timings = outcome.get("timings") or Timings()
    timings.total_ms = (time.perf_counter() - started) * 1000.0
    timings.ttft_ms = (first[0] - started) * 1000.0 if first else None
    result = AskResult(
        text=outcome["text"],
        model=outcome.get("model"),
        where=where,
        usage=outcome.get("usage") or Usage(),
        timings=timings,
        plugin=info.name if info else None,
        data=outcome.get("data"),
        route=route,
        energy=reading.to_dict(),
        offload_reason=verdict.reason if where != "local" else None,
        queue_id=outcome.get("queue_id"),
        redaction=outcome.get("redaction"),
        adapters=outcome.get("adapters") or None,
    )
    _record(runtime, prompt, result, verdict, reading)
    return result


def _first_marked(pieces: Iterator[str], first: list[float]) -> Iterator[str]:
    for piece in pieces:
        if not first and piece:
            first.append(time.perf_counter())
        yield piece


# --- facts and the decision -------------------------------------------------------
def _facts(runtime, opts: Options, info, *, routed_none: bool):
    from slm.offload.policy import OffloadFacts

    settings = runtime.settings
    model_name = runtime.plugins.model_for(info, opts.model) if info else opts.model
    general = settings.general_model
    general_present = bool(general) and runtime.store.is_present(general)
    if routed_none and general_present:
        model_name = general
    local = None
    if model_name:
        try:
            local = runtime.resolve_model(model_name)
        except errors.ModelError:
            local = None  # absent or corrupt: the local attempt reports it, then the policy decides
    power = runtime.energy_meter.power_status()
    expected_out = opts.max_tokens or DEFAULT_MAX_TOKENS
    jpt = None
    if local is not None:
        try:
            jpt = runtime.energy_history.joules_per_token(local.name)
        except errors.EnergyError:
            jpt = None  # a damaged history must not block a request
    return OffloadFacts(
        plugin=info.name if info else None,
        permission=offload_permission(info, runtime.settings),
        routed_none=routed_none,
        general_model_present=general_present,
        model_present=None,  # learnt from the local attempt: plugins like kb answer without their model
        prompt_tokens=None,  # the backend / plugin raise ContextOverflowError after their own chunking
        n_ctx=local.context_length if local else None,
        expected_output_tokens=expected_out,
        free_memory_bytes=_free_memory_to_load(runtime, local),
        model_memory_bytes=local.ram_bytes if local is not None else None,
        on_battery=power.on_battery,
        battery_percent=power.percent,
        predicted_joules=(jpt * expected_out) if jpt else None,
        local_only=opts.local_only,
        force_cloud=opts.cloud,
    )


def _free_memory_to_load(runtime, local) -> int | None:
    """Free RAM, when ``local`` still has to be loaded; None when there is nothing to load.

    A loaded model's RAM is already taken: comparing its size with what is left
    would offload a request the device is serving fine (and costs a /proc read).
    """
    if local is None or runtime.models.is_loaded(local):
        return None
    from slm import device

    return device.memory()[1]


def offload_permission(info, settings) -> str:
    from slm.offload.policy import offload_permission as permission

    return permission(info, settings)


def _decide(runtime, facts):
    from slm.offload.policy import decide

    return decide(facts, runtime.settings)


# --- local -----------------------------------------------------------------------------
def _messages(prompt: str, system: str | None) -> list[dict[str, str]]:
    msgs = [{"role": "system", "content": system}] if system else []
    msgs.append({"role": "user", "content": prompt})
    return msgs


def _run_local(runtime, prompt: str, opts: Options, info, outcome: dict) -> Iterator[str]:
    if info is not None:
        yield from _plugin_local(runtime, prompt, opts, info, outcome)
        return
    # A model by name, or the general model for a prompt no plugin fits.
    model = opts.model or runtime.settings.general_model
    stream = runtime.local_chat(model, opts.messages or _messages(prompt, opts.system), max_tokens=opts.max_tokens,
                                temperature=opts.temperature, stop=opts.stop, seed=opts.seed,
                                json_schema=opts.json_schema, top_p=opts.top_p, adapters=opts.adapters)
    yield from stream
    outcome.update(text=stream.text, model=stream.model, usage=stream.usage,
                   timings=stream.timings, where="local", adapters=getattr(stream, "adapters", None))


def _plugin_local(runtime, prompt: str, opts: Options, info, outcome: dict) -> Iterator[str]:
    from slm.plugins.sdk import Request

    options = {k: v for k, v in (("model", opts.model), ("max_tokens", opts.max_tokens),
                                 ("temperature", opts.temperature), ("seed", opts.seed),
                                 ("system", opts.system)) if v is not None}
    if opts.adapters is not None:
        options["adapters"] = opts.adapters
    stream = runtime.plugins.stream(info.name, Request(prompt=prompt, options=options))
    yield from stream
    run = stream.run
    if not run.streamed:
        yield run.result.text
    outcome.update(text=run.result.text, data=run.result.data, model=run.model,
                   usage=run.usage, timings=run.timings, where="local", adapters=run.adapters)


# --- cloud / queue -----------------------------------------------------------------------
def _run_cloud(runtime, prompt: str, opts: Options, info, verdict, outcome: dict) -> Iterator[str]:
    stream = runtime.offloader.stream(
        opts.messages or _messages(prompt, opts.system),
        plugin=info.name if info else None,
        permission=offload_permission(info, runtime.settings),
        reason=verdict.reason or "forced",
        max_tokens=opts.max_tokens, temperature=opts.temperature,
    )
    yield from stream
    sent = stream.outcome
    if sent.where == "queued":
        yield sent.text  # nothing was streamed: tell the user it is queued
    outcome.update(text=sent.text, model=sent.model, usage=sent.usage, where=sent.where,
                   queue_id=sent.queue_id, redaction=f"{sent.redaction} ({sent.redacted} values)"
                   if sent.redaction == "applied" else sent.redaction)


def _record(runtime, prompt: str, result: AskResult, verdict, reading) -> None:
    logs_dir = runtime.settings.logs_dir
    requestlog.append(logs_dir, requestlog.entry_for(prompt, result, decision_log=verdict.log,
                                                     key=requestlog.log_key(logs_dir)))
    # Every request spent local joules, also a model-less plugin's (calc) or one queued for the
    # cloud: all go into the history so `slm energy` sums what the device really spent.
    usage = result.usage
    try:
        runtime.energy_history.record(result.model or None, reading.joules,
                                      usage.prompt_tokens + usage.completion_tokens, result.where,
                                      co2_g=reading.co2_g, method=reading.method, source=reading.source,
                                      plugin=result.plugin, prompt_tokens=usage.prompt_tokens,
                                      completion_tokens=usage.completion_tokens)
    except errors.EnergyError as exc:
        log.warning("energy history not updated: %s", exc.one_line())

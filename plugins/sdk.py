"""The plugin contract. Everything a plugin author imports comes from here.

A plugin is a package with:
  * ``plugin.toml`` beside its module: static metadata (name, version,
    description, examples, model, permissions, sensitivity). slm reads it
    without importing the plugin's code, so listing plugins, training the
    router and ``slm --help`` never run third-party code.
  * an entry point in the ``slm.plugins`` group naming an object with a
    ``handle(request, ctx) -> Result`` method (usually a ``Plugin`` subclass).

Optionally, ``accepts = "module:function"`` in plugin.toml names a cheap, model-free
check ``function(prompt) -> bool`` (see ``AcceptsCheck``): when the router picks the
plugin, slm asks it first, and when it says False the runner-up route is tried (or
none). It runs on the routing path of every prompt routed to the plugin, so it must
take well under a millisecond, load no model and touch no network; an exception in it
is logged and counts as True (the router's choice stands).

Errors: raise ``LocalAnswerFailed`` when the local answer is unusable (the
runtime may offload it); slm's own typed errors (model not present, context
overflow) may pass through. Any other exception, or a run past the time limit,
quarantines the plugin until its files change. ``slm plugins new NAME`` writes
a working example; ``slm.testing`` runs one on a tiny model.

Where it runs: a third-party plugin runs in a worker process of its own (slm.host.worker),
kept warm between requests. ``ctx`` there is a proxy: its model calls are served by slm's
process (objects passed to and from ``ctx`` must be picklable: strings, numbers, lists,
dicts, numpy arrays for ONNX sessions). What the plugin prints goes to its log file
(``$SLM_HOME/logs/plugins/NAME.log``); leaving a child process running after ``handle``
returns, exiting the process or crashing it quarantines the plugin like an exception.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

# allowed / redact: may go to the cloud, with the PII slm recognises replaced by placeholders;
# allowed-raw: may go verbatim (the plugin or the user chose so explicitly); never: stays here.
OFFLOAD_CHOICES = ("allowed", "redact", "allowed-raw", "never")
SENSITIVITY_CHOICES = ("public", "internal", "confidential", "restricted")


class LocalAnswerFailed(Exception):
    """Raise from ``handle`` when the local answer failed validation after retries.

    The runtime turns it into ``slm.errors.LocalAnswerFailedError`` so the
    offload policy can send the request to the cloud (if the plugin allows).
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Permissions:
    network: bool = False  # may the plugin's own code use the network
    offload: str = "allowed"  # allowed | redact | allowed-raw | never (may its requests go to the cloud)


@dataclass(frozen=True)
class PluginInfo:
    """Static metadata, read from plugin.toml (never by importing code)."""

    name: str
    version: str
    description: str
    examples: tuple[str, ...]
    model: str | None  # catalog name, ORG/REPO/FILE, or None for model-free plugins
    permissions: Permissions = Permissions()
    sensitivity: str = "internal"
    timeout_s: float | None = None  # None: the runtime's default
    accepts: str = ""  # "module:function" of the plugin's route check, "" when it has none
    entry_point: str = ""  # "module:attr", filled in by discovery
    distribution: str | None = None  # the installed package that provides it
    root: Path | None = None  # folder holding plugin.toml
    # LoRA adapters applied to ``model`` (its base), from plugin.toml's table form
    # model = {base = ..., adapter = ..., scale = ...}: a tuple of slm.adapters.AdapterRef
    adapters: tuple = ()


# plugin.toml's ``accepts``: prompt -> can this plugin answer it (cheap, no model)
AcceptsCheck = Callable[[str], bool]


def instruction(prompt: str) -> str:
    """The part of ``prompt`` that says what to do, without a pasted payload: what the
    router reads ("extract the due date from: <invoice>" -> "extract the due date from").
    For ``accepts`` checks that should ignore numbers or words inside a paste."""
    from slm.router.shape import split_prompt

    return split_prompt(prompt)[0] if isinstance(prompt, str) else ""


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile``, with the compiled form kept under SLM_HOME/cache from one process to the
    next (slm.pattern_cache): for a plugin with many large patterns, whose compiling would
    otherwise cost each `slm ask` tens of milliseconds. The pattern behaves exactly as
    ``re.compile``'s."""
    from slm import pattern_cache

    return pattern_cache.compile(pattern, flags)


@dataclass
class Request:
    prompt: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    text: str
    data: Any = None  # structured output (JSON-serialisable)


class Context(Protocol):
    """What the runtime hands a plugin for one request."""

    name: str
    model: str | None  # the model this request uses: options["model"], else the declared one
    config: Mapping[str, Any]  # the [plugins.<name>] table of config.toml
    logger: logging.Logger
    data_dir: Path  # the plugin's private folder under SLM_HOME

    @property
    def has_model(self) -> bool:
        """True when the plugin's declared model is on the device and loadable."""

    @property
    def n_ctx(self) -> int:
        """Context window (tokens) of the plugin's model."""

    def count_tokens(self, text: str) -> int: ...

    def generate(
        self,
        prompt: str | None = None,
        *,
        messages: list[dict[str, str]] | None = None,
        system: str | None = None,
        max_tokens: int = 256,
        temperature: float = 0.2,
        stop: list[str] | None = None,
        seed: int | None = None,
        stream: bool = False,
        repeat_penalty: float | None = None,
    ) -> str:
        """Chat-complete with the plugin's model; with stream=True pieces also go to emit().

        repeat_penalty (1-2, default 1.0) damps recently used tokens: small models loop
        without it (slm.plugins.sampling has settings sized for them).
        """

    def generate_json(
        self,
        schema: Mapping[str, Any],
        prompt: str | None = None,
        *,
        messages: list[dict[str, str]] | None = None,
        system: str | None = None,
        max_tokens: int = 512,
        temperature: float = 0.0,
        seed: int | None = None,
        repeat_penalty: float | None = None,
    ) -> Any:
        """Grammar-constrained generation; returns the parsed JSON value.

        Raises ValueError when the answer is not valid JSON (cut off by
        max_tokens) or does not match the schema: retry, or raise
        LocalAnswerFailed.
        """

    def onnx_session(self, model: str | None = None) -> Any:
        """onnxruntime session for a model name, or a file path relative to the plugin's folder.

        It comes from the runtime's model cache (which unloads idle models): ask for it
        in each request rather than keeping it.
        """

    def emit(self, text: str) -> None:
        """Stream a piece of the answer to the user as it is produced."""


class Plugin:
    """Convenience base class; any object with ``handle`` works.

    To stream the answer, call ``ctx.emit`` or ``ctx.generate(..., stream=True)``.
    """

    def handle(self, request: Request, ctx: Context) -> Result:  # pragma: no cover
        raise NotImplementedError

"""The Python API: ``slm.Runtime``. The CLI is a thin layer over this.

Request pipeline: prompt -> router -> plugin -> local backend, or (when the
offload policy says so) the cloud or the offline queue -> answer + energy + log.
``ask``/``ask_stream`` hand the request to ``slm.pipeline``; the local-model
primitives (``local_chat``, ``count_tokens``, ``model_context``) live here,
next to the loaded-model cache they share.
"""
from __future__ import annotations

import time
from functools import cached_property
from typing import Any, Generator, Iterator

from slm.config import Settings, load_settings
from slm.result import AskResult


# Defaults for a local answer when the caller leaves max_tokens / temperature unset
# (the pipeline's offload policy predicts energy from the same token count).
DEFAULT_MAX_TOKENS = 256
DEFAULT_TEMPERATURE = 0.2


class AskStream:
    """Iterate to receive text pieces; ``.result`` holds the AskResult once done."""

    def __init__(self, pieces: Generator[str, None, AskResult]):
        # ``pieces`` yields the answer's text and returns the AskResult.
        self._pieces = pieces
        self.result: AskResult | None = None

    def __iter__(self) -> Iterator[str]:
        self.result = yield from self._pieces


class Runtime:
    """One runtime per process: it owns the loaded-model cache, plugins and router."""

    def __init__(self, settings: Settings | None = None, **overrides: Any):
        if settings is None:
            settings = load_settings(**overrides)
        elif overrides:
            settings = settings.with_(**overrides)
        self.settings = settings
        # name -> (file stat, LocalModel): a model resolved once is not re-checked until its file changes
        self._resolved: dict[str, tuple[tuple[int, int], Any]] = {}
        self._fitted: set[tuple] = set()  # (adapter, base) file identities that passed the fit check

    # --- local models -------------------------------------------------------
    @cached_property
    def models(self):
        from slm.backends.cache import ModelCache

        return ModelCache(self.settings)

    @cached_property
    def store(self):
        from slm.store.model_store import ModelStore

        return ModelStore(self.settings)

    # --- the other parts of the pipeline (each part is made on first use) -------
    @cached_property
    def plugins(self):
        from slm.host.host import PluginHost

        return PluginHost(self.settings, self)

    @cached_property
    def router(self):
        from slm.router import Router

        return Router(self.settings, examples_provider=self.plugins)

    @cached_property
    def energy_meter(self):
        from slm.energy import EnergyMeter

        return EnergyMeter(self.settings)

    @cached_property
    def energy_history(self):
        from slm.energy import EnergyHistory

        return EnergyHistory(self.settings)

    @cached_property
    def offloader(self):
        from slm.offload.service import Offloader

        return Offloader(self.settings)

    def resolve_model(self, model: str):
        """The slm.store.LocalModel for a name, ORG/REPO/FILE spec or path. Never touches the network."""
        from slm.errors import UsageError

        if not isinstance(model, str) or not model.strip():
            raise UsageError("a model name is needed")
        known = self._resolved.get(model)
        if known is not None and _stat_key(known[1].path) == known[0]:
            return known[1]
        local = self.store.resolve_local(model)
        self._resolved[model] = (_stat_key(local.path), local)
        return local

    def backend(self, model: str):
        """The loaded backend (slm.backends.base.Backend) for ``model``, loading it if needed."""
        return self.models.get(self.resolve_model(model))

    def resolve_adapters(self, adapters: Any, base) -> list:
        """slm.backends.lora.Adapter for each adapter named (NAME, NAME:SCALE, (NAME, SCALE), ...),
        each checked to be a LoRA adapter that fits ``base`` (a LocalModel). Never touches the network."""
        from slm.adapters import to_refs
        from slm.backends.lora import Adapter
        from slm.errors import (AdapterError, CorruptAdapterError, CorruptModelError, ModelNotPresentError,
                                NotAnAdapterError)
        from slm.store.adapter_check import check_adapter_for
        from slm.store.gguf_check import CheckCache
        from slm.file_identity import file_identity

        out = []
        for ref in to_refs(adapters):
            try:
                local = self.resolve_model(ref.name)
            except ModelNotPresentError as exc:
                raise ModelNotPresentError(f"adapter {ref.name} is not on this device",
                                           hint=exc.hint or f"run: slm models pull {ref.name}") from None
            except CorruptModelError as exc:
                if isinstance(exc, AdapterError):
                    raise
                raise CorruptAdapterError(exc.message, hint=exc.hint) from None
            if local.format != "gguf":
                raise NotAnAdapterError(f"{ref.name} is an {local.format} model, not a LoRA adapter (GGUF)")
            try:
                pair = (file_identity(local.path), file_identity(base.path))
            except OSError:
                pair = None
            if pair is None or pair not in self._fitted:  # checked once per process per unchanged pair
                check_adapter_for(local.path, base.path, base_label=base.name,
                                  cache=CheckCache(self.settings.cache_dir / "model_checks.json"))
                if pair is not None:
                    self._fitted.add(pair)
            # the backend loads it without walking both files again (while they are these versions)
            out.append(Adapter(path=local.path, scale=ref.scale, name=ref.name, checked=pair))
        return out

    def local_chat(self, model: str, messages: list[dict], *, max_tokens: int | None = DEFAULT_MAX_TOKENS,
                   temperature: float | None = DEFAULT_TEMPERATURE, stop: list[str] | None = None, seed: int | None = None,
                   json_schema: dict | None = None, repeat_penalty: float | None = None, top_p: float | None = None,
                   adapters: Any = None):
        """Chat with a local model; returns a slm.backends.base.ChatStream (iterate for pieces).

        Errors surface here, before any piece: unknown/absent/corrupt model,
        ContextOverflowError for a prompt the model's context cannot hold,
        UsageError for bad parameters, AdapterError for an adapter that is not one or
        does not fit the model. None means the default (256 tokens, 0.2).
        ``adapters``: LoRA adapters applied to ``model`` for this request only
        (NAME, NAME:SCALE, (NAME, SCALE) or a list of them); the stream's ``.adapters``
        says which.
        """
        from slm.backends.context_size import chat_need

        started = time.perf_counter()
        local = self.resolve_model(model)
        if getattr(local, "kind", "model") == "adapter":
            from slm.errors import AdapterError

            raise AdapterError(f"{model} is a LoRA adapter, not a model",
                               hint=f"apply it to its base: --model BASE --adapter {model}")
        chosen = self.resolve_adapters(adapters, local) if adapters else []
        max_tokens = DEFAULT_MAX_TOKENS if max_tokens is None else max_tokens
        need = chat_need(messages, max_tokens) if isinstance(messages, list) and isinstance(max_tokens, int) else None
        backend, load_ms = self.models.get_timed(local, ctx_need=need)
        stream = backend.chat(messages, max_tokens=max_tokens,
                              temperature=DEFAULT_TEMPERATURE if temperature is None else temperature,
                              stop=stop, seed=seed,
                              json_schema=json_schema, model=local.name, load_ms=load_ms, started=started,
                              **({"repeat_penalty": repeat_penalty} if repeat_penalty is not None else {}),
                              **({"top_p": top_p} if top_p is not None else {}),
                              **({"adapters": chosen} if chosen else {}))
        stream.adapters = [{"adapter": a.name, "scale": a.scale} for a in chosen]
        return stream

    def count_tokens(self, model: str, text: str) -> int:
        """Tokens ``text`` takes in ``model``'s own tokenizer."""
        return self.backend(model).count_tokens(text)

    def model_context(self, model: str) -> int:
        """The context size (n_ctx) ``model`` runs with here."""
        return self.backend(model).n_ctx

    # --- requests -----------------------------------------------------------
    def ask(self, prompt: str, **options: Any) -> AskResult:
        stream = self.ask_stream(prompt, **options)
        for _ in stream:
            pass
        assert stream.result is not None
        return stream.result

    def ask_stream(self, prompt: str, *, model: str | None = None, plugin: str | None = None,
                   system: str | None = None, max_tokens: int | None = None, temperature: float | None = None,
                   seed: int | None = None, stop: list[str] | None = None, json_schema: dict | None = None,
                   local_only: bool = False, cloud: bool = False, messages: list[dict] | None = None,
                   top_p: float | None = None, adapters: Any = None) -> AskStream:
        """Answer ``prompt``; iterate the stream for text pieces, then read ``.result``.

        ``messages``: the whole conversation for a model asked directly (``prompt`` is its last
        user turn, which routing and plugins read); ``top_p``: nucleus sampling for that model.
        ``adapters`` (with ``model`` or ``plugin``): LoRA adapters for this request, e.g.
        ``["ORG/REPO/legal.gguf", ("./tone.gguf", 0.5)]``; with a plugin they replace the
        adapters its plugin.toml declares. ``result.adapters`` lists what was applied.
        """
        from slm import pipeline

        return pipeline.ask_stream(self, prompt, model=model, plugin=plugin, system=system, max_tokens=max_tokens,
                                   temperature=temperature, seed=seed, stop=stop, json_schema=json_schema,
                                   local_only=local_only, cloud=cloud, messages=messages, top_p=top_p,
                                   adapters=adapters)

    def close(self) -> None:
        # Only what was made: cached_property keeps made parts in the instance dict.
        for part in ("models", "offloader"):
            if part in self.__dict__:
                self.__dict__[part].close()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _stat_key(path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return st.st_mtime_ns, st.st_size

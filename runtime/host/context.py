"""The Context a plugin receives for one request (implements slm.plugins.sdk.Context).

It gives the plugin its model through the runtime's local chat (so loading,
caching, thread counts and context limits are the runtime's business), its
config table, a logger, a private data folder and ``emit`` for streaming. It
also keeps the books for the host: tokens used, load time, time to first piece,
and which model answered. After the host gives up on a request (time limit) the
context is cancelled: further model calls raise and ``emit`` drops text, so a
runaway plugin thread stops at its next token instead of printing late.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

from slm.errors import BackendError, ModelError, PluginError, SlmError
from slm.plugins.sdk import PluginInfo
from slm.result import Usage


class PluginCancelled(Exception):
    """Raised inside a plugin's thread once the host has stopped waiting for it."""


class PluginContext:
    def __init__(self, info: PluginInfo, settings, runtime, *, model: str | None,
                 emit: Callable[[str], None], resolve: Callable[[str], Any],
                 load_backend: Callable[[Any], tuple[Any, float]] | None = None, adapters: tuple = ()):
        self.name = info.name
        self.info = info
        self.model = model  # the model this request uses: request option "model", else the declared one
        self.adapters = tuple(adapters)  # LoRA adapters (slm.adapters.AdapterRef) applied to it per call
        self.config: Mapping[str, Any] = MappingProxyType(dict(settings.plugin_config.get(info.name, {})))
        self.logger = logging.getLogger(f"slm.plugins.{info.name}")
        self.data_dir: Path = plugin_data_dir(settings, info.name)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._settings = settings
        self._runtime = runtime
        self._emit = emit
        self._resolve = resolve  # model name -> slm.store.LocalModel (no network)
        # LocalModel -> (loaded backend, load ms): the runtime's model cache, so ONNX sessions
        # share its providers, thread count, LRU limit and idle unloading
        self._load_backend = load_backend
        self._cancelled = threading.Event()
        self._has_model: bool | None = None
        # books kept for the host's PluginRun
        self.started = time.perf_counter()
        self.usage = Usage()
        self.load_ms = 0.0
        self.first_piece_ms: float | None = None  # first text emitted to the user
        self.first_token_ms: float | None = None  # first token from any model call
        self.model_used: str | None = None
        self.adapters_used: list | None = None
        self.emitted = False
        self.model_calls = 0  # model calls started: a plugin past its limit inside one is slow, not hung
        self.decode_s = 0.0  # seconds spent generating after the first token, for tokens/s
        self.decode_tokens = 0

    # --- model facts -----------------------------------------------------------
    @property
    def has_model(self) -> bool:
        if self._has_model is None:
            if not self.model:
                self._has_model = False
            else:
                try:
                    with _runtime_failures(self.model):
                        self._resolve(self.model)
                    self._has_model = True
                except ModelError:  # unknown, absent or corrupt: all mean "not usable here"
                    self._has_model = False
        return self._has_model

    @property
    def n_ctx(self) -> int:
        model = self._require_model()
        with _runtime_failures(model):
            return int(self._runtime.model_context(model))

    def count_tokens(self, text: str) -> int:
        model = self._require_model()
        with _runtime_failures(model):
            return int(self._runtime.count_tokens(model, text))

    # --- generation ------------------------------------------------------------
    def generate(self, prompt: str | None = None, *, messages: list[dict[str, str]] | None = None,
                 system: str | None = None, max_tokens: int = 256, temperature: float = 0.2,
                 stop: list[str] | None = None, seed: int | None = None, stream: bool = False,
                 repeat_penalty: float | None = None) -> str:
        return self._chat(prompt, messages, system, stream=stream, max_tokens=max_tokens,
                          temperature=temperature, stop=stop, seed=seed, repeat_penalty=repeat_penalty)

    def generate_json(self, schema: Mapping[str, Any], prompt: str | None = None, *,
                      messages: list[dict[str, str]] | None = None, system: str | None = None,
                      max_tokens: int = 512, temperature: float = 0.0, seed: int | None = None,
                      repeat_penalty: float | None = None) -> Any:
        """Schema-constrained generation; ValueError when the answer is not JSON or breaks the schema."""
        if not isinstance(schema, Mapping):
            raise TypeError("generate_json needs a JSON schema (a dict)")
        text = self._chat(prompt, messages, system, stream=False, max_tokens=max_tokens,
                          temperature=temperature, seed=seed, json_schema=dict(schema),
                          repeat_penalty=repeat_penalty)
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:  # usually cut off by max_tokens
            raise ValueError(f"the model's answer is not valid JSON ({exc.msg}; char {exc.pos})") from None
        problems = schema_errors(value, schema)
        if problems:
            raise ValueError(f"the model's answer does not match the schema ({problems[0]})")
        return value

    def onnx_session(self, model: str | None = None) -> Any:
        """The onnxruntime session for ``model`` (default: the plugin's), from the runtime's model cache.

        ``model`` may also be a path relative to the plugin's folder, for plugins
        that ship their own small ONNX model.
        """
        self._check_cancelled()
        name = model or self._require_model()
        root = Path(self.info.root) if self.info.root is not None else None
        if root is not None and not Path(name).is_absolute() and (root / name).is_file():
            name = str((root / name).resolve())
        with _runtime_failures(name):
            local = self._resolve(name)
        if local.format != "onnx":
            raise PluginError(f"plugin {self.name}: model {model or name} is {local.format}, not an ONNX model")
        if self._load_backend is None:
            raise PluginError(f"plugin {self.name}: no model runtime to load {model or name} with")
        with _runtime_failures(name):
            backend, load_ms = self._load_backend(local)
        self.load_ms += load_ms
        return backend.session

    def emit(self, text: str) -> None:
        if self._cancelled.is_set() or not text:
            return
        if self.first_piece_ms is None:
            self.first_piece_ms = self._elapsed_ms()
        self.emitted = True
        self._emit(text)

    # --- host side ---------------------------------------------------------------
    def cancel(self) -> None:
        self._cancelled.set()

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def _check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise PluginCancelled(f"plugin {self.name}: request cancelled")

    def _require_model(self) -> str:
        if not self.model:
            raise PluginError(f"plugin {self.name} declares no model",
                              hint="set model in its plugin.toml or pass one with the request")
        return self.model

    def _chat(self, prompt, messages, system, *, stream: bool, **params: Any) -> str:
        self._check_cancelled()
        model = self._require_model()
        chat_messages = build_messages(prompt, messages, system)
        params = {k: v for k, v in params.items() if v is not None}
        call_started = self._elapsed_ms()
        self.model_calls += 1
        pieces = []
        with _runtime_failures(model):
            if self.adapters:
                params["adapters"] = self.adapters
            chat = self._runtime.local_chat(model, chat_messages, **params)
            try:
                for piece in chat:
                    self._check_cancelled()
                    pieces.append(piece)
                    if stream:
                        self.emit(piece)
            except BaseException:
                if callable(getattr(chat, "close", None)):
                    chat.close()  # free the model for the next request
                raise
        self._account(chat, model, call_started)
        text = getattr(chat, "text", None)
        return text if isinstance(text, str) else "".join(pieces)

    def _account(self, chat, model: str, call_started_ms: float) -> None:
        usage = getattr(chat, "usage", None)
        if usage is not None:
            self.usage.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.usage.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
        timings = getattr(chat, "timings", None)
        try:
            generated = int(getattr(usage, "completion_tokens", 0) or 0)
            first, total = float(timings.ttft_ms), float(timings.total_ms)
        except (AttributeError, TypeError, ValueError):
            generated = 0
        if generated > 1 and total > first:
            self.decode_tokens += generated - 1
            self.decode_s += (total - first) / 1000.0
        if timings is not None:
            self.load_ms += float(getattr(timings, "load_ms", 0.0) or 0.0)
            ttft = getattr(timings, "ttft_ms", None)
            if self.first_token_ms is None and ttft is not None:
                self.first_token_ms = call_started_ms + float(ttft)
        self.model_used = getattr(chat, "model", None) or model
        used = getattr(chat, "adapters", None)
        self.adapters_used = list(used) if isinstance(used, list) and used else self.adapters_used


def plugin_data_dir(settings, name: str) -> Path:
    """The private folder of plugin ``name`` under SLM_HOME (ctx.data_dir)."""
    return settings.data_dir / "plugins" / name


@contextmanager
def _runtime_failures(model: str):
    """An unexpected error inside slm's model code is a backend failure, not the plugin's bug.

    Typed slm errors (model absent, context overflow, ...) pass unchanged; other
    exceptions become BackendError so the host neither blames nor quarantines
    the plugin for them.
    """
    try:
        yield
    except (SlmError, PluginCancelled):
        raise
    except Exception as exc:
        text = " ".join(str(exc).split())[:200]
        raise BackendError(f"local model {model} failed: {type(exc).__name__}: {text}") from exc


def build_messages(prompt: str | None, messages: list[dict[str, str]] | None,
                   system: str | None) -> list[dict[str, str]]:
    """Chat messages from the three ways a plugin can ask (prompt, messages, system)."""
    out = [dict(m) for m in (messages or [])]
    if system and not any(m.get("role") == "system" for m in out):
        out.insert(0, {"role": "system", "content": system})
    if prompt is not None:
        out.append({"role": "user", "content": prompt})
    if not any(m.get("role") == "user" for m in out):
        raise ValueError("generate needs a prompt or at least one user message")
    return out


def schema_errors(value: Any, schema: Mapping[str, Any]) -> list[str]:
    """Ways ``value`` breaks ``schema``: jsonschema when installed, else slm's small validator."""
    try:
        import jsonschema
    except ImportError:
        from slm.plugins.structured import errors

        return errors(value, schema)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}"
            for e in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path)))]

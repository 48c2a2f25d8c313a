"""The OpenAI wire format: validate a request body, shape every error.

A request is checked here completely before any work starts, so a bad one is a
400 in OpenAI's error shape (``{"error": {"message", "type", "param", "code"}}``)
naming the field, never a 500 and never a half-started answer. slm's own typed
errors map onto the statuses OpenAI clients already handle (404 model_not_found,
400 context_length_exceeded, 503 with Retry-After when the queue is full).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from slm import errors
from slm.config import parse_duration

PIPELINE_MODELS = ("slm", "auto")  # the whole pipeline: route -> plugin -> local / cloud / queue
PLUGIN_PREFIX = "slm/"  # "slm/<plugin>": one plugin
_ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
MAX_STOP = 4  # as OpenAI
# Fields OpenAI defines that slm accepts only at their neutral value (anything else is a 400, not ignored).
_NEUTRAL = {"n": (1,), "frequency_penalty": (0, 0.0), "presence_penalty": (0, 0.0), "logprobs": (False,),
            "parallel_tool_calls": (True, False), "tool_choice": ("none",), "service_tier": ("auto", "default")}
_IGNORED = {"user", "store", "metadata"}  # bookkeeping fields that do not change the answer
_KNOWN = {"model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature",
          "top_p", "seed", "stop", "response_format", "keep_alive", "slm"} | set(_NEUTRAL) | _IGNORED


class ApiError(Exception):
    """An HTTP error in OpenAI's shape."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def bad(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, message, param=param, code=code)


def from_slm_error(exc: errors.SlmError) -> ApiError:
    """The HTTP status and OpenAI error type for one of slm's typed errors."""
    text = exc.one_line()
    if isinstance(exc, (errors.UnknownModelError, errors.ModelNotPresentError, errors.PluginNotFoundError)):
        return ApiError(404, text, param="model", code="model_not_found")
    if isinstance(exc, errors.ContextOverflowError):
        return ApiError(400, text, param="messages", code="context_length_exceeded")
    if isinstance(exc, (errors.UsageError, errors.ModelInputError)):
        return ApiError(400, text)
    if isinstance(exc, errors.OffloadRefusedError):
        return ApiError(400, text, code="offload_refused")
    if isinstance(exc, (errors.CloudUnreachableError, errors.CloudAuthError, errors.CloudNotFoundError)):
        return ApiError(502, text, type="server_error", code="upstream_error")
    return ApiError(500, text, type="server_error", code=type(exc).__name__)


@dataclass
class Target:
    """What ``model`` names: the pipeline, one plugin, or one model."""

    kind: str  # "pipeline" | "plugin" | "model"
    name: str | None = None  # the plugin or model name

    @classmethod
    def parse(cls, model: Any) -> Target:
        if not isinstance(model, str) or not model.strip():
            raise bad("'model' must be a non-empty string: slm, slm/<plugin> or an installed model name", "model")
        model = model.strip()
        if model.lower() in PIPELINE_MODELS:
            return cls("pipeline")
        if model.startswith(PLUGIN_PREFIX) and model.count("/") == 1:
            plugin = model[len(PLUGIN_PREFIX):].strip()
            if not plugin:
                raise bad("'slm/' needs a plugin name, e.g. slm/calc", "model")
            return cls("plugin", plugin)
        return cls("model", model)


@dataclass
class ChatRequest:
    model: str
    target: Target
    messages: list[dict[str, str]]
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] | None = None
    json_schema: dict | None = None
    keep_alive_s: float | None = None
    local_only: bool = False
    cloud: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def prompt(self) -> str:
        """The last user turn: what the router and the plugins read."""
        return next(m["content"] for m in reversed(self.messages) if m["role"] == "user")

    @property
    def system(self) -> str | None:
        parts = [m["content"] for m in self.messages if m["role"] == "system"]
        return "\n\n".join(parts) if parts else None

    def ask_options(self) -> dict[str, Any]:
        """Keyword arguments for ``Runtime.ask_stream``."""
        options: dict[str, Any] = dict(max_tokens=self.max_tokens, temperature=self.temperature, seed=self.seed,
                                       stop=self.stop, json_schema=self.json_schema, local_only=self.local_only,
                                       cloud=self.cloud, top_p=self.top_p)
        if self.target.kind == "plugin":
            options["plugin"] = self.target.name
            options["system"] = self.system
        elif self.target.kind == "model":
            # the whole conversation goes to the model; the prompt is its last user turn
            options.update(model=self.target.name, messages=self.messages)
        else:
            options["system"] = self.system
        return options


def _number(body: dict, name: str, low: float, high: float, *, low_open: bool = False) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value > high or (value <= low if low_open else value < low):
        rng = f"more than {low:g}" if low_open else f"at least {low:g}"
        raise bad(f"'{name}' must be a number {rng} and at most {high:g}, got {value!r}", name)
    return float(value)


def _integer(body: dict, name: str, low: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low):
        raise bad(f"'{name}' must be an integer{f' of at least {low}' if low is not None else ''}, got {value!r}",
                  name)
    return value


def _content(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts: only text ones carry meaning for a text model
        texts = []
        for i, part in enumerate(value):
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                raise bad(f"{where}.content[{i}]: only text parts are supported (got {kind!r})",
                          f"{where}.content")
            texts.append(part["text"])
        return "".join(texts)
    raise bad(f"{where}.content must be a string or a list of text parts", f"{where}.content")


def _messages(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise bad("'messages' must be a non-empty array of {role, content} objects", "messages")
    out = []
    for i, message in enumerate(value):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise bad(f"{where} must be an object with 'role' and 'content'", where)
        role = message.get("role")
        if role not in _ROLES:
            raise bad(f"{where}.role must be one of system, developer, user, assistant (got {role!r})",
                      f"{where}.role")
        extra = set(message) - {"role", "content", "name"}
        if extra:
            raise bad(f"{where}: unsupported field(s) {', '.join(sorted(extra))} (tools are not supported)", where)
        out.append({"role": _ROLES[role], "content": _content(message.get("content"), where)})
    if out[-1]["role"] != "user":
        raise bad("the last message must be the user's", f"messages[{len(out) - 1}].role")
    if not out[-1]["content"].strip():
        raise bad("the last user message is empty", f"messages[{len(out) - 1}].content")
    return out


def _stop(value: Any) -> list[str] | None:
    if value is None:
        return None
    stops = [value] if isinstance(value, str) else value
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops) or len(stops) > MAX_STOP:
        raise bad(f"'stop' must be a string or an array of at most {MAX_STOP} strings", "stop")
    return [s for s in stops if s] or None


def _response_format(value: Any) -> dict | None:
    """The JSON schema the answer must follow (llama.cpp grammar), or None for plain text."""
    if value is None:
        return None
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "text":
        return None
    if kind == "json_object":
        return {"type": "object"}
    if kind == "json_schema":
        spec = value.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if not isinstance(schema, dict):
            raise bad("response_format.json_schema.schema must be a JSON schema object",
                      "response_format.json_schema.schema")
        return schema
    raise bad("response_format.type must be text, json_object or json_schema", "response_format.type")


def _extension(value: Any) -> dict[str, bool]:
    """slm's own request options, under "slm" (clients pass them as extra_body)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad("'slm' must be an object such as {\"local_only\": true}", "slm")
    unknown = set(value) - {"local_only", "cloud"}
    if unknown:
        first = min(unknown)
        raise bad(f"slm.{first} is not an slm option (local_only, cloud)", f"slm.{first}")
    out = {}
    for key in ("local_only", "cloud"):
        if key in value:
            if not isinstance(value[key], bool):
                raise bad(f"slm.{key} must be true or false", f"slm.{key}")
            out[key] = value[key]
    return out


def keep_alive(value: Any) -> float | None:
    """Ollama's keep_alive: seconds or a duration ("5m"); 0 unloads after the answer, -1 keeps."""
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise bad(f"'keep_alive' {exc}", "keep_alive") from None


def parse_chat(body: Any) -> ChatRequest:
    if not isinstance(body, dict):
        raise bad("the request body must be a JSON object")
    unknown = sorted(set(body) - _KNOWN)
    if unknown:
        raise bad(f"unsupported parameter: '{unknown[0]}'", unknown[0], "unsupported_parameter")
    for name, allowed in _NEUTRAL.items():
        if name in body and body[name] is not None and not any(
                body[name] == a and type(body[name]) is type(a) for a in allowed):
            raise bad(f"unsupported value for '{name}': {body[name]!r} (slm supports {allowed[0]!r})", name,
                      "unsupported_value")
    stream = body.get("stream", False)
    if stream is not None and not isinstance(stream, bool):
        raise bad("'stream' must be true or false", "stream")
    options = body.get("stream_options")
    if options is not None and (not isinstance(options, dict) or set(options) - {"include_usage"}
                                or not isinstance(options.get("include_usage", False), bool)):
        raise bad("'stream_options' supports only {\"include_usage\": true|false}", "stream_options")
    limits = [(n, _integer(body, n, 1)) for n in ("max_completion_tokens", "max_tokens")]
    given = [v for _n, v in limits if v is not None]
    if len(set(given)) > 1:
        raise bad("max_tokens and max_completion_tokens disagree; send one", "max_tokens")
    ext = _extension(body.get("slm"))
    model = body.get("model")
    return ChatRequest(
        model=model if isinstance(model, str) else "",
        target=Target.parse(model),
        messages=_messages(body.get("messages")),
        stream=bool(stream),
        include_usage=bool((options or {}).get("include_usage", False)),
        max_tokens=given[0] if given else None,
        temperature=_number(body, "temperature", 0.0, 2.0),
        top_p=_number(body, "top_p", 0.0, 1.0, low_open=True),
        seed=_integer(body, "seed"),
        stop=_stop(body.get("stop")),
        json_schema=_response_format(body.get("response_format")),
        keep_alive_s=keep_alive(body.get("keep_alive")),
        local_only=ext.get("local_only", False),
        cloud=ext.get("cloud", False),
    )

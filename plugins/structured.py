"""Structured answers for plugins: a tiny JSON-schema validator and a
generate-validate-retry loop around ``ctx.generate_json``.

jsonschema is a test-only dependency, so run time checks use ``errors`` here.
Supported keywords: type (one or a list), enum, properties, required,
additionalProperties (bool), items, minItems, maxItems, minLength, maxLength,
pattern, minimum. Anything else in a schema is ignored, which is why the
plugin tests also validate the same outputs with the real jsonschema package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from slm.plugins.sdk import LocalAnswerFailed

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(value: Any, schema: Mapping[str, Any], path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema``, as 'path: reason' lines ([] when valid)."""
    out: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        if not any(_TYPES[k](value) for k in kinds):
            return [f"{path}: expected {'|'.join(kinds)}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{path}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{path}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < schema.get("minimum", value):
        out.append(f"{path}: below {schema['minimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{path}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                out.extend(errors(item, schema["items"], f"{path}[{i}]"))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                out.append(f"{path}: missing {key!r}")
        for key, item in value.items():
            if key in props:
                out.extend(errors(item, props[key], f"{path}.{key}"))
            elif schema.get("additionalProperties", True) is False:
                out.append(f"{path}: unexpected key {key!r}")
    return out


def is_valid(value: Any, schema: Mapping[str, Any]) -> bool:
    return not errors(value, schema)


# Characters a plain_text string may hold: printable ASCII except '"' and '\\', and the
# letters, punctuation and currency signs of the common scripts (Latin incl. accents,
# Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Vietnamese, kana, CJK, Hangul).
TEXT_CHARS = (r'[ !#-\[\]-~\u00a0-\u024f\u0370-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f'
              r'\u1e00-\u1eff\u2010-\u2027\u2030-\u203a\u20a0-\u20bf\u2122\u3040-\u30ff\u4e00-\u9fff'
              r'\uac00-\ud7af]')


def plain_text(max_len: int, min_len: int = 0) -> dict[str, Any]:
    """A bounded one-line string schema that is safe for llama.cpp grammars.

    Why not just {"type": "string", "maxLength": n}: llama-cpp-python's string
    rule admits raw control characters and broken UTF-8 pieces (json.loads then
    rejects the answer, or the decoded length breaks maxLength), and a large
    maxLength makes llama.cpp's grammar parser abort the process (seen above
    ~1000). A ``pattern`` over an explicit character class avoids all three,
    and the decoded value matches the same pattern, so one schema both guides
    generation and validates the answer. Multi-line text is asked for as a
    list of such strings.
    """
    if not 0 <= min_len <= max_len <= 1000:
        raise ValueError("plain_text bounds must satisfy 0 <= min_len <= max_len <= 1000")
    return {"type": "string", "minLength": min_len, "maxLength": max_len,
            "pattern": f"^{TEXT_CHARS}{{{min_len},{max_len}}}$"}


Check = Callable[[Any], list[str]]


def int_setting(ctx, key: str, default: int, *, low: int = 1, high: int | None = None, request=None) -> int:
    """A whole-number knob in ``[low, high]``: the request's option (e.g. --max-tokens) first, then
    the plugin's ``[plugins.<name>]`` config table, then ``default``.

    A bad config value is the user's to fix (ConfigError, one line naming the key), not a
    plugin crash: a crash would quarantine the plugin over a typo in config.toml.
    """
    from slm.errors import ConfigError, UsageError

    options = getattr(request, "options", None) or {}
    if options.get(key) is not None:
        value, error, origin = options[key], UsageError, key
    else:
        value, error = ctx.config.get(key, default), ConfigError
        origin = f"[plugins.{ctx.name}] {key} in the config file"
    expected = f"a whole number of at least {low}" if high is None else f"a whole number from {low} to {high}"
    number = None
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        try:
            number = int(str(value).strip())
        except ValueError:
            pass
    if number is None or number < low or (high is not None and number > high):
        raise error(f"bad value for {origin}: {value!r} (expected {expected})")
    return number


def generate_valid(ctx, schema: Mapping[str, Any], prompt: str, *, system: str, max_tokens: int,
                   check: Check | None = None, attempts: int = 2, seed: int = 0) -> Any:
    """``ctx.generate_json`` until the answer validates (schema + ``check``), else LocalAnswerFailed.

    Every attempt is greedy (a sampled retry makes a small model invent more); a retry
    changes the path with a stronger repeat penalty instead (``slm.plugins.sampling``).
    The grammar bounds every string and list, so ``max_tokens`` is kept: cutting it
    would only cut the JSON off. Model-loading and context errors are not caught: they
    go up so the offload policy can act on them.
    """
    from slm.plugins.sampling import REPEAT_PENALTY, RETRY_PENALTY_STEP

    problems: list[str] = []
    for attempt in range(attempts):
        try:
            value = ctx.generate_json(schema, prompt, system=system, max_tokens=max_tokens, temperature=0.0,
                                      seed=seed + attempt,
                                      repeat_penalty=round(REPEAT_PENALTY - 0.05 + RETRY_PENALTY_STEP * attempt, 3))
        except ValueError as exc:  # truncated or unparsable JSON (json.JSONDecodeError is a ValueError)
            problems = [" ".join(str(exc).split())[:160]]
        else:
            problems = errors(value, schema) or (check(value) if check else [])
        if not problems:
            return value
        # info, not warning: the error raised below already tells the user the last reason in one line
        ctx.logger.info("%s: answer %d/%d rejected: %s", ctx.name, attempt + 1, attempts, problems[0])
    raise LocalAnswerFailed(f"the local model's answer failed validation {attempts} times ({problems[0]})")

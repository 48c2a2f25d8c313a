"""A GGUF whose chat template is broken or hostile: one line, bounded time and memory, nothing crashes.

Each template is written into a real tiny GGUF (``tokenizer.chat_template``) and loaded by the llama
backend, as a downloaded model would be.
"""
from __future__ import annotations

import time

import psutil
import pytest

from slm.backends.llama import LlamaBackend
from slm.errors import ChatTemplateError
from tinymodels import make_tiny_gguf

HELLO = [{"role": "user", "content": "hello there"}]
TAIL = "{% for m in messages %}{{ m['content'] }}{% endfor %}"

HOSTILE = {
    "nested loops": "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}" + TAIL,
    "doubling by ~": ("{% set ns = namespace(v='ab') %}{% for i in range(60) %}{% set ns.v = ns.v ~ ns.v %}"
                      "{% endfor %}{{ ns.v }}"),
    "repeat by *": "{{ 'x' * 1000000000 }}" + TAIL,
    "list repeat": "{% set l = [1, 2] * 999999999 %}" + TAIL,
    "huge power": "{{ 9 ** 999999999 }}" + TAIL,
    "huge centre": "{{ 'x' | center(1000000000) }}" + TAIL,
    "output flood": "{% for a in range(99999) %}{% for b in range(99999) %}xxxxxxxx{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "raises": "{{ raise_exception('this template refuses to run') }}",
    "range too big": "{% for i in range(10**9) %}{% endfor %}" + TAIL,
    "sandbox escape": "{{ ''.__class__.__mro__[1].__subclasses__() }}" + TAIL,
}


@pytest.fixture(scope="module")
def hostile_models(tmp_path_factory):
    root = tmp_path_factory.mktemp("templates")
    return {name: make_tiny_gguf(root / f"m{i}.gguf", chat_template=t) for i, (name, t) in enumerate(HOSTILE.items())}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_template_is_one_line_in_bounded_time_and_memory(hostile_models, name):
    rss_before = psutil.Process().memory_info().rss
    started = time.monotonic()
    with pytest.raises(ChatTemplateError) as err:
        backend = LlamaBackend(hostile_models[name], threads=1, n_ctx=256)
        try:
            backend.chat(HELLO, max_tokens=2)
        finally:
            backend.close()
    line = err.value.one_line()
    assert line.startswith("the model's chat template is broken") and "\n" not in line
    assert "SecurityError" not in line.split(":")[0]
    assert time.monotonic() - started < 15
    assert psutil.Process().memory_info().rss - rss_before < 600 << 20


def test_ordinary_arithmetic_still_works(tmp_path):
    path = make_tiny_gguf(tmp_path / "ok.gguf", chat_template="{{ (9 ** 9) ** 2 }} {{ '-' * 3 }} {{ 'ab' ~ 'cd' }}" + TAIL)
    backend = LlamaBackend(path, threads=1, n_ctx=256)
    try:
        from slm.backends.chat_template import render

        assert render(backend._formatter, HELLO).prompt == f"{(9 ** 9) ** 2} --- abcdhello there"
    finally:
        backend.close()


def test_a_template_that_does_not_parse_fails_at_load(tmp_path):
    path = make_tiny_gguf(tmp_path / "bad.gguf", chat_template="{% for m in messages %}{{ m['content'] }")
    with pytest.raises(ChatTemplateError, match="chat template is broken"):
        LlamaBackend(path, threads=1, n_ctx=256)


def test_a_normal_template_renders_as_llama_cpp_pythons_own(tiny_gguf):
    from llama_cpp import llama_chat_format

    backend = LlamaBackend(tiny_gguf, threads=1, n_ctx=256)
    try:
        template = backend.llm.metadata["tokenizer.chat_template"]
        theirs = llama_chat_format.Jinja2ChatFormatter(template=template, eos_token="", bos_token="")
        msgs = [{"role": "system", "content": "be brief " * 50}, *HELLO]
        from slm.backends.chat_template import render

        assert render(backend._formatter, msgs).prompt == theirs(messages=msgs).prompt
        assert backend.chat(HELLO, max_tokens=3, seed=1).text is not None
    finally:
        backend.close()


def test_the_trace_hook_of_the_caller_is_restored():
    import sys

    from slm.backends.chat_template import bounded

    seen = []

    def tracer(frame, event, arg):
        seen.append(event)
        return None

    sys.settrace(tracer)
    try:
        assert bounded(lambda: 41 + 1) == 42
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(None)


pytest_plugins = ("model_fixtures",)

"""A GGUF's chat template, rendered so that a hostile or broken one cannot take slm down.

The template comes from the model file: untrusted code. llama-cpp-python renders it in
Jinja's sandbox, which stops attribute tricks but not work: nested loops of range(99999)
run for hours, and ``{% set s = s ~ s %}`` or ``"a" * 10**9`` grow memory to gigabytes.
Here the sandbox also bounds

* arithmetic that makes big values (``*``, ``**`` on strings, lists and numbers),
* the time of one render (a trace function checks a deadline on the template's lines;
  Jinja templates compile to Python, so every loop iteration passes through it),
* the memory it may grow (resident size, read every few thousand lines) and the length
  of the prompt it produces,

and every failure (syntax, sandbox, bounds, a raise_exception in the template) is one
ChatTemplateError: "the model's chat template is broken: ...".
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any, Callable, TypeVar

from slm.errors import ChatTemplateError

T = TypeVar("T")

MAX_SECONDS = 2.0  # a real template renders in well under a millisecond
MAX_PROMPT_CHARS = 4 << 20
MAX_RSS_GROWTH = 256 << 20
MAX_VALUE_LEN = 1 << 20  # longest string or list one operator may make
MAX_DEPTH = 100  # nested template frames (macros, blocks); a real template needs a handful
TEMPLATE_FILENAME = "<template>"  # what Jinja names the code it compiles from a string


class _Bound(Exception):
    pass


def _rss() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def bounded(render: Callable[[], T], *, seconds: float = MAX_SECONDS, max_rss_growth: int = MAX_RSS_GROWTH) -> T:
    """``render()`` within a time and memory bound, or _Bound raised from inside it."""
    deadline = time.monotonic() + seconds
    start_rss = _rss()
    count = depth = 0

    def on_line(frame, event, arg):
        nonlocal count, depth
        if event == "return":
            depth -= 1
        elif event == "line":
            count += 1
            if count & 255 == 0:
                if time.monotonic() > deadline:
                    raise _Bound(f"rendering took longer than {seconds:g} s")
                if count & 4095 == 0 and start_rss is not None:
                    rss = _rss()
                    if rss is not None and rss - start_rss > max_rss_growth:
                        raise _Bound(f"rendering grew memory by more than {max_rss_growth >> 20} MB")
        return on_line

    def on_call(frame, event, arg):
        # Only the template's own code is watched: a gc callback or a __del__ that happens to
        # run meanwhile is not the template's, and must never see an exception from here.
        if frame.f_code.co_filename != TEMPLATE_FILENAME:
            return None
        # Stop a recursive macro long before Python's own limit: at that limit the unwinding
        # itself fails (generators closed without stack to run on), and the errors escape.
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            depth -= 1
            raise _Bound(f"it nests calls more than {MAX_DEPTH} deep")
        return on_line

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        return render()
    finally:
        sys.settrace(previous)


def _environment_class():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                    and right > 0 and max(left.bit_length(), 1) * right > 1 << 20:
                raise _Bound(f"the power {right!r} is too large")
            if operator == "*" and isinstance(right, int) and isinstance(left, (str, list, tuple)) \
                    and len(left) * right > MAX_VALUE_LEN:
                raise _Bound("a repeated value would be too long")
            if operator == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)) \
                    and len(right) * left > MAX_VALUE_LEN:
                raise _Bound("a repeated value would be too long")
            if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, type(left)) \
                    and len(left) + len(right) > MAX_VALUE_LEN:
                raise _Bound("a joined value would be too long")
            return super().call_binop(context, operator, left, right)

    return BoundedEnvironment


def _bounded_filter(fn):
    """A filter that refuses a huge number argument (center(10**9), indent(10**9), ...)
    and a huge result."""
    import functools

    @functools.wraps(fn)
    def bounded_filter(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE_LEN:
                raise _Bound(f"a filter was given the number {value}, too large")
        result = fn(*args, **kwargs)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_VALUE_LEN:
            raise _Bound("a filter made a value too long")
        return result

    return bounded_filter


def _bounded_join(seq) -> str:
    parts = [str(x) for x in seq]
    if sum(len(p) for p in parts) > MAX_VALUE_LEN:
        raise _Bound("a joined value would be too long")
    return "".join(parts)


def make_formatter(template: str, *, eos_token: str, bos_token: str, stop_token_ids: list[int]):
    """llama-cpp-python's Jinja2ChatFormatter, its template compiled in the bounded sandbox and
    every call bounded: calling it (or its ``to_chat_handler()``) never hangs or floods."""
    import jinja2
    from llama_cpp import llama_chat_format

    class BoundedFormatter(llama_chat_format.Jinja2ChatFormatter):
        def __call__(self, **kwargs):
            try:
                formatted = bounded(lambda: super(BoundedFormatter, self).__call__(**kwargs))
            except RecursionError:
                raise ChatTemplateError("the model's chat template is broken: it recurses too deeply") from None
            except ChatTemplateError:
                raise
            except Exception as exc:  # noqa: BLE001 - template code: anything it raises is the template's fault
                raise _broken(exc) from None
            if len(formatted.prompt) > MAX_PROMPT_CHARS:
                raise ChatTemplateError(f"the model's chat template is broken: it made a prompt of "
                                        f"{len(formatted.prompt):,} characters from these messages")
            return formatted

    try:
        # The class's own compile gets a placeholder: the template is compiled below, bounded.
        formatter = BoundedFormatter(template="", eos_token=eos_token, bos_token=bos_token,
                                     stop_token_ids=stop_token_ids)
        formatter.template = template
        # optimized=False: no constant folding, so nothing of the template runs at compile time
        # (folding would evaluate {{ 9 ** 999999999 }} before any bound applies).
        env = _environment_class()(loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True,
                                   optimized=False,
                                   extensions=[llama_chat_format.Jinja2ChatFormatter.IgnoreGenerationTags,
                                               jinja2.ext.loopcontrols])
        env.filters["tojson"] = formatter.tojson
        env.filters.update({name: _bounded_filter(f) for name, f in env.filters.items()})
        compiled = env.from_string(template)
        # ``a ~ b`` compiles to a call of str_join in the template's own namespace (no operator
        # hook reaches it): this template's copy checks the length it would make.
        compiled.root_render_func.__globals__["str_join"] = _bounded_join
        formatter._environment = compiled
    except Exception as exc:  # noqa: BLE001 - see BoundedFormatter
        raise _broken(exc) from None
    return formatter


def render(formatter, messages: list[dict[str, Any]]):
    """The (bounded) formatter's output for ``messages``; ChatTemplateError on any failure."""
    return formatter(messages=messages)


def _broken(exc: BaseException) -> ChatTemplateError:
    detail = " ".join(str(exc).split())[:160] or type(exc).__name__
    return ChatTemplateError(f"the model's chat template is broken: {detail}",
                             hint="use another build of the model, or report it to its publisher")

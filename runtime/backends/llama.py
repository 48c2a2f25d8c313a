"""llama.cpp backend (llama-cpp-python): GGUF text models.

Chat runs the model's own chat template (``tokenizer.chat_template`` from the
GGUF metadata, rendered the way llama-cpp-python renders it), then drives
``Llama.generate`` directly. That keeps llama-cpp-python's sampler, grammar
support and KV-cache prefix reuse, but skips its per-token re-detokenization
of the whole answer, and lets us count prompt and completion tokens while
streaming (its streaming API does not report usage).
"""
from __future__ import annotations

import codecs
import ctypes
import json
import random
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generator, Mapping

from slm.backends import context_size
from slm.backends.base import Backend, ChatStream
from slm.backends.chat_template import make_formatter
from slm.backends.chat_template import render as render_template
from slm.backends.contexts import Context, ContextPool
from slm.backends.lora import Adapter, AdapterSlots
from slm.errors import BackendError, ContextOverflowError, CorruptModelError, UsageError
from slm.store.gguf_check import GGUF_MAGIC

# Used when a GGUF carries no chat template (base models): ChatML, like llama.cpp's server.
FALLBACK_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# llama-cpp-python's create_chat_completion defaults, so answers match it token for token.
SAMPLING = {"top_k": 40, "top_p": 0.95, "min_p": 0.05, "typical_p": 1.0, "repeat_penalty": 1.0}
_MAX_CACHED_GRAMMARS = 32


_log_callback = None  # kept referenced: llama.cpp holds only the C pointer


def _silence_llama_log(llama_cpp: Any) -> None:
    """Send llama.cpp's own log (load chatter, context warnings) to Python logging at DEBUG.

    llama-cpp-python's callback still prints some lines with verbose=False.
    """
    global _log_callback
    if _log_callback is not None:
        return
    import logging

    logger = logging.getLogger("slm.llama_cpp")

    @llama_cpp.llama_log_callback
    def callback(level: int, text: bytes, user_data: Any) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(text.decode("utf-8", errors="replace").rstrip())

    _log_callback = callback
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


def check_gguf_file(path: Path) -> None:
    """Cheap sanity check before llama.cpp sees the file (the store does the thorough one)."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except FileNotFoundError:
        raise BackendError(f"model file not found: {path}") from None
    except OSError as exc:
        raise BackendError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    if magic != GGUF_MAGIC:
        raise CorruptModelError(f"{path} is not a GGUF model file", hint="re-download it or check the path")


_load_lock = threading.Lock()


class _TemplateNotCompiled:
    """Stands in for llama-cpp-python's Jinja2ChatFormatter while Llama() loads a model.

    Llama() compiles every chat template in the file's metadata with an unbounded Jinja
    environment, whose constant folding evaluates ``{{ 9 ** 9 ** 9 }}`` or
    ``{{ 'x' * 10**9 }}`` at compile time: a hostile template would hang or exhaust
    memory before slm could step in. slm renders the template itself
    (``slm.backends.chat_template``), so Llama()'s handlers are never used.
    """

    def __init__(self, **_kwargs):
        pass

    def to_chat_handler(self):
        def refuse(*_args, **_kwargs):
            raise BackendError("this model's chats are formatted by slm, not by llama-cpp-python's handlers")
        return refuse


@contextmanager
def model_params(*, extra_buffers: bool, compile_templates: bool = True):
    """What llama-cpp-python's Llama() takes no argument for, set while it loads a model.

    * ``use_extra_bufts``: Llama() starts from ``llama_model_default_params()``; while it
      runs, that function hands out defaults with the flag set as asked;
    * ``compile_templates=False``: the file's chat templates are not compiled by Llama()
      (see _TemplateNotCompiled); slm's backend renders them itself, bounded.
    The lock keeps two loads in different threads from seeing each other's patches.
    Benchmarks that load a raw Llama beside slm use it too, so both sides load alike.
    """
    import llama_cpp.llama as high_level
    import llama_cpp.llama_cpp as bindings

    with _load_lock:
        # read under the lock: read outside it, a concurrent load's patches would be taken for
        # the originals and "restored" for good (two models loading at once in the server)
        default = bindings.llama_model_default_params
        formatter = high_level.llama_chat_format.Jinja2ChatFormatter

        def params():
            p = default()
            if not extra_buffers and hasattr(p, "use_extra_bufts"):
                p.use_extra_bufts = False
            return p

        bindings.llama_model_default_params = params
        if not compile_templates:
            high_level.llama_chat_format.Jinja2ChatFormatter = _TemplateNotCompiled
        try:
            yield
        finally:
            bindings.llama_model_default_params = default
            high_level.llama_chat_format.Jinja2ChatFormatter = formatter


class LlamaBackend(Backend):
    format = "gguf"

    def __init__(self, path: Path, *, threads: int, n_ctx: int, extra_buffers: bool = True,
                 ctx_need: int | None = None, parallel: int = 1):
        """``n_ctx``: the most context a request may use (0: the model's own); ``ctx_need``: what the
        first request needs (context_size.chat_need), to allocate only that much for now;
        ``parallel``: how many requests may generate at once (one context each, slm.backends.contexts)."""
        super().__init__(path)
        check_gguf_file(self.path)
        import llama_cpp

        _silence_llama_log(llama_cpp)
        started = time.perf_counter()
        self.threads = threads
        self._llama_cpp = llama_cpp
        self._extra_buffers = extra_buffers
        self._max_ctx = int(n_ctx)
        self.llm = self._open(context_size.sized(ctx_need, self._max_ctx) if ctx_need else self._max_ctx)
        self.load_ms = (time.perf_counter() - started) * 1000.0
        self._grammars: dict[str, Any] = {}
        # LoRA adapters loaded into this base; the set on the first context (each context has its own)
        self.adapters = AdapterSlots(self.llm, llama_cpp, self.path)
        self.contexts = ContextPool(Context(self.llm, self.adapters, 0), slots=parallel, threads=threads,
                                    llama_cpp=llama_cpp,
                                    sizes=lambda need, cap=self.n_ctx: context_size.sized(need, cap))
        eos_id, bos_id = self.llm.token_eos(), self.llm.token_bos()
        template = self.llm.metadata.get("tokenizer.chat_template") or FALLBACK_TEMPLATE
        self.has_chat_template = "tokenizer.chat_template" in self.llm.metadata
        try:
            # under the load lock: another thread's load swaps llama-cpp-python's formatter class
            # for a stand-in while it runs (model_params), and ours must subclass the real one
            with _load_lock:
                self._formatter = make_formatter(
                    template,
                    eos_token=self.llm._model.token_get_text(eos_id) if eos_id != -1 else "",
                    bos_token=self.llm._model.token_get_text(bos_id) if bos_id != -1 else "",
                    stop_token_ids=[eos_id],
                )
        except BaseException:
            self.llm.close()  # a model whose template is broken is not kept loaded
            raise
        # llama-cpp-python's own chat API on this model renders through the bounded formatter too
        self.llm._chat_handlers["chat_template.default"] = self._formatter.to_chat_handler()

    def _open(self, n_ctx: int):
        """A llama_cpp.Llama over this file with an ``n_ctx``-token context (and its vocab set)."""
        try:
            with model_params(extra_buffers=self._extra_buffers, compile_templates=False):
                llm = self._llama_cpp.Llama(
                    str(self.path), n_ctx=n_ctx, n_threads=self.threads, n_threads_batch=self.threads,
                    use_mmap=True, verbose=False,  # verbose=False also routes llama.cpp's log to nowhere
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise CorruptModelError(f"llama.cpp could not load {self.path.name} ({exc})",
                                    hint="the file may be truncated or corrupt; run: slm models verify") from None
        self._vocab = llm._model.vocab
        return llm

    # --- facts ---------------------------------------------------------------------
    @property
    def n_ctx(self) -> int:
        """The most context a request can use (the setting, or the model's own): what is
        allocated now grows to it on demand (``allocated_ctx``)."""
        if self._max_ctx > 0:
            return self._max_ctx
        return int(self.llm._model.n_ctx_train()) or self.allocated_ctx

    @property
    def allocated_ctx(self) -> int:
        """The context allocated now (the largest of the slots' contexts)."""
        return max(c.allocated for c in self.contexts.contexts)

    def count_tokens(self, text: str) -> int:
        if not isinstance(text, str):
            raise UsageError("count_tokens needs text")
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # --- chat ------------------------------------------------------------------------
    def chat(self, messages: list[dict[str, str]], *, max_tokens: int = 256, temperature: float = 0.2,
             stop: list[str] | None = None, seed: int | None = None,
             json_schema: Mapping[str, Any] | None = None, model: str | None = None,
             load_ms: float = 0.0, started: float | None = None, repeat_penalty: float = 1.0,
             top_p: float | None = None, adapters: list[Adapter] | None = None) -> ChatStream:
        """Format and tokenize now (so a too-long prompt fails here), generate while iterated.

        ``repeat_penalty`` > 1 damps tokens seen in the last 64 (small models loop without it).
        ``adapters``: the LoRA adapters (and scales) this request runs under; each is
        checked against this base and loaded once, then switched per request.
        """
        started = time.perf_counter() if started is None else started
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
            raise UsageError(f"max_tokens must be a positive integer, got {max_tokens!r}")
        if not isinstance(temperature, (int, float)) or not 0.0 <= temperature <= 2.0:
            raise UsageError(f"temperature must be between 0 and 2, got {temperature!r}")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise UsageError(f"seed must be an integer, got {seed!r}")
        if not isinstance(repeat_penalty, (int, float)) or not 1.0 <= repeat_penalty <= 2.0:
            raise UsageError(f"repeat_penalty must be between 1 and 2, got {repeat_penalty!r}")
        if top_p is not None and (not isinstance(top_p, (int, float)) or isinstance(top_p, bool)
                                  or not 0.0 < top_p <= 1.0):
            raise UsageError(f"top_p must be more than 0 and at most 1, got {top_p!r}")
        stops = _check_stop(stop)
        adapter_set = self.adapters.prepare(adapters)
        grammar = self._grammar(json_schema) if json_schema is not None else None
        formatted = render_template(self._formatter, _check_messages(messages))
        tokens = self.llm.tokenize(formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special,
                                   special=True)
        extra = formatted.stop if isinstance(formatted.stop, list) else [formatted.stop] if formatted.stop else []
        stops += [s for s in extra if s and s not in stops]
        n_ctx = self.n_ctx
        if len(tokens) >= n_ctx:
            raise ContextOverflowError(
                f"the prompt is {len(tokens)} tokens but {self.path.name} holds {n_ctx}",
                hint="shorten the prompt or raise n_ctx (SLM_N_CTX)")
        limit = min(max_tokens, n_ctx - len(tokens))
        seed = random.getrandbits(32) if seed is None else seed & 0xFFFFFFFF
        sampling = {**SAMPLING, "repeat_penalty": float(repeat_penalty)}
        if top_p is not None:
            sampling["top_p"] = float(top_p)
        return ChatStream(self._generate(tokens, limit, float(temperature), stops, seed, grammar, sampling,
                                         adapter_set),
                          model=model or self.path.name, load_ms=load_ms, started=started)

    def _generate(self, tokens: list[int], limit: int, temperature: float, stops: list[str], seed: int,
                  grammar: Any, sampling: Mapping[str, Any],
                  adapter_set: tuple = ()) -> Generator[str, None, tuple[str, int, int]]:
        need = len(tokens) + limit
        pool = self.contexts
        context = pool.acquire(adapter_set, tokens, need)
        try:
            if need > context.allocated:  # more than this context holds: a larger one, same model
                pool.resize(context, context_size.sized(need, self.n_ctx))
            llm = context.llm
            context.adapters.select(adapter_set)  # and drops KV evaluated under another set
            lib = self._llama_cpp
            is_eog = lib.llama_vocab_is_eog
            vocab = self._vocab
            pool.balance(context)  # the prompt's evaluation too computes with this context's share
            decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
            llm.set_seed(seed)
            pending = ""  # decoded text not yet handed out (it may start a stop sequence)
            completion = 0
            finish = "length"
            cut_at_stop = False
            try:
                for token in llm.generate(tokens, temp=temperature, grammar=grammar, **sampling):
                    pool.balance(context)  # another slot started or ended: the next token's share
                    if is_eog(vocab, token):
                        finish = "stop"
                        break
                    completion += 1
                    pending += decoder.decode(context.piece(lib, vocab, token))
                    hold = 0
                    if stops:
                        cut = _find_stop(pending, stops)
                        if cut is not None:
                            pending = pending[:cut]
                            finish, cut_at_stop = "stop", True
                            break
                        hold = _stop_prefix_len(pending, stops)
                    if len(pending) > hold:
                        out, pending = pending[:len(pending) - hold], pending[len(pending) - hold:]
                        yield out
                    if completion >= limit:
                        break
            except RuntimeError as exc:  # llama_decode failures surface as RuntimeError
                raise BackendError(f"llama.cpp failed while generating with {self.path.name}: {exc}") from None
            if not cut_at_stop:  # flush a cut-off multi-byte character
                pending += decoder.decode(b"", final=True)
            if pending:
                yield pending
            return finish, len(tokens), completion
        finally:
            context.adapters.after_request()
            self.last_used = time.monotonic()
            pool.release(context, self._free_now)

    def _grammar(self, schema: Mapping[str, Any]) -> Any:
        """A llama.cpp grammar for a JSON schema (validated once, then cached)."""
        if not isinstance(schema, Mapping):
            raise UsageError("json_schema must be a JSON object (a dict)")
        try:
            key = json.dumps(schema, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"json_schema is not JSON-serialisable: {exc}") from None
        if key in self._grammars:
            return self._grammars[key]
        from llama_cpp.llama_grammar import LlamaGrammar

        try:
            grammar = LlamaGrammar.from_json_schema(key, verbose=False)
        except Exception as exc:  # the converter raises bare Exceptions on unsupported schemas
            raise UsageError(f"unsupported JSON schema: {exc}") from None
        # A grammar llama.cpp cannot parse would give a NULL sampler (and a crash); try it first.
        sampler = self._llama_cpp.llama_sampler_init_grammar(
            self._vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not sampler:
            raise UsageError("unsupported JSON schema: llama.cpp rejected the grammar made from it")
        self._llama_cpp.llama_sampler_free(sampler)
        if len(self._grammars) >= _MAX_CACHED_GRAMMARS:
            self._grammars.pop(next(iter(self._grammars)))
        self._grammars[key] = grammar
        return grammar

    # --- life cycle: the contexts, not the base class's one lock ------------------------------
    @property
    def busy(self) -> bool:  # a context being made counts: unloading now would free the model under it
        return self.contexts.busy > 0 or self.contexts.making > 0

    @property
    def closed(self) -> bool:
        return self.contexts.closed

    def close(self) -> None:
        """Free the model now, or when the last request on it ends."""
        self.contexts.close(self._free_now)

    def _free_now(self) -> None:
        self.contexts.close_extra()  # contexts before their model
        self.adapters.free()  # adapters go with their base, before it
        self.llm.close()


def _check_messages(messages: Any) -> list[dict[str, str]]:
    if not isinstance(messages, list) or not messages:
        raise UsageError("messages must be a non-empty list of {role, content} objects")
    for m in messages:
        if not isinstance(m, Mapping) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise UsageError("each message needs a string 'role' and a string 'content'")
    return messages


def _check_stop(stop: Any) -> list[str]:
    if stop is None:
        return []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, (list, tuple)) or not all(isinstance(s, str) for s in stop):
        raise UsageError("stop must be a string or a list of strings")
    return [s for s in stop if s]


def _find_stop(text: str, stops: list[str]) -> int | None:
    found = [i for i in (text.find(s) for s in stops) if i >= 0]
    return min(found) if found else None


def _stop_prefix_len(text: str, stops: list[str]) -> int:
    """Length of the longest end of ``text`` that could be the start of a stop sequence."""
    best = 0
    for s in stops:
        for n in range(min(len(s) - 1, len(text)), best, -1):
            if text.endswith(s[:n]):
                best = n
                break
    return best

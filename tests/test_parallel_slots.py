"""Parallel slots: several requests on one GGUF generate at once, one llama.cpp context each.

Overlap is shown by the runtime's own events, not by clocks: each request's stream is
held open after its first piece until every other request has produced one too, so with
real slots every stream is mid-answer at once (and the pool counts them busy), while a
single context would make the later requests wait for the first to end. The waits are
deadlock guards only. Every answer must be exactly its own greedy answer on a model that
runs one request at a time.
"""
from __future__ import annotations

import contextlib
import logging
import re
import threading

import pytest
from lora_fixtures import lora_set, same_text  # noqa: F401 - fixture
from slm.api import Runtime
from slm.backends.cache import ModelCache
from slm.backends.llama import LlamaBackend
from slm.config import load_settings
from slm.errors import BackendError
from tinymodels import make_tiny_gguf

PROMPTS = ["hello the world", "the cat and the dog", "a b c d e f", "world hello hello"]
GUARD_S = 60  # a deadlock guard: with real slots nothing waits anywhere near this long


@contextlib.contextmanager
def loaded(path, **options):
    backend = LlamaBackend(path, **options)
    try:
        yield backend
    finally:
        backend.close()


def _messages(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return make_tiny_gguf(tmp_path_factory.mktemp("parallel") / "p.gguf", n_ctx=2048, seed=11)


@pytest.fixture(scope="module")
def references(model):
    with loaded(model, threads=1, n_ctx=2048) as backend:
        return {p: backend.chat(_messages(p), max_tokens=40, temperature=0.0, seed=3).text for p in PROMPTS}


def _together(streams: dict, events: list, guard: float = GUARD_S) -> tuple[dict, dict]:
    """Read each stream in its own thread; a stream waits, after its first piece, until every
    stream has one, and again until every stream has counted the busy contexts (at most ``guard``
    s each). Returns (texts, busy contexts seen once all had started)."""
    started = {name: threading.Event() for name in streams}
    counted = {name: threading.Event() for name in streams}
    texts, seen, lock = {}, {}, threading.Lock()

    def read(name):
        pieces = iter(streams[name]["stream"])
        first = next(pieces)
        with lock:
            events.append(("first", name))
        started[name].set()
        for other in started.values():
            other.wait(guard)
        seen[name] = streams[name]["pool"].busy
        # no stream runs on to its end (freeing its context) before every reader has counted
        counted[name].set()
        for other in counted.values():
            other.wait(guard)
        rest = "".join(pieces)
        with lock:
            events.append(("end", name))
        texts[name] = first + rest

    threads = [threading.Thread(target=read, args=(n,)) for n in streams]
    for t in threads:
        t.start()
    for t in threads:
        t.join(GUARD_S * 2)
    return texts, seen


def _overlapped(events: list, names) -> bool:
    """Every request produced its first piece before any request ended (all were mid-answer at once)."""
    first_end = next(i for i, e in enumerate(events) if e[0] == "end")
    return all(("first", n) in events[:first_end] for n in names)


@pytest.mark.parametrize("parallel, count", [(2, 2), (3, 3)])
def test_requests_on_one_model_generate_at_once_each_with_its_own_answer(model, references, parallel, count):
    with loaded(model, threads=2, n_ctx=2048, parallel=parallel) as backend:
        prompts = PROMPTS[:count]
        streams = {p: {"stream": backend.chat(_messages(p), max_tokens=40, temperature=0.0, seed=3),
                       "pool": backend.contexts} for p in prompts}
        events: list = []
        texts, seen = _together(streams, events)
        assert _overlapped(events, prompts), events
        assert set(seen.values()) == {count}  # each saw every context busy at once
        assert all(same_text(texts[p], references[p]) for p in prompts)
        contexts = backend.contexts.contexts
        assert len(contexts) == count
        # one copy of the weights: every context is on the one llama_model of the first
        import llama_cpp

        models = {llama_cpp.llama_get_model(c.llm._ctx.ctx) for c in contexts}
        assert len(models) == 1 and all(c.llm._model is backend.llm._model for c in contexts)
        assert len({id(c.llm._ctx) for c in contexts}) == count  # a context (and KV cache) each
        assert backend.contexts.busy == 0


def test_more_requests_than_slots_wait_and_never_make_a_third_context(model, references):
    with loaded(model, threads=1, n_ctx=2048, parallel=2) as backend:
        texts, errors = {}, []

        def ask(p):
            try:
                texts[p] = backend.chat(_messages(p), max_tokens=40, temperature=0.0, seed=3).text
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=ask, args=(p,)) for p in PROMPTS * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join(GUARD_S * 2)
        assert not errors and all(same_text(texts[p], references[p]) for p in PROMPTS)
        assert len(backend.contexts.contexts) <= 2 and backend.contexts.busy == 0


def test_one_slot_behaves_as_before(model, references):
    with loaded(model, threads=1, n_ctx=2048) as backend:  # SLM_NUM_PARALLEL=1, the default
        held = iter(backend.chat(_messages(PROMPTS[0]), max_tokens=40, temperature=0.0, seed=3))
        next(held)
        with pytest.raises(BackendError, match="still busy"):  # the same thread would wait for itself
            next(iter(backend.chat(_messages(PROMPTS[1]), max_tokens=4, temperature=0.0)))
        held.close()
        events: list = []
        streams = {p: {"stream": backend.chat(_messages(p), max_tokens=40, temperature=0.0, seed=3),
                       "pool": backend.contexts} for p in PROMPTS[:2]}
        # the second cannot start before the first ends: the first reader's wait for it runs out
        texts, _seen = _together(streams, events, guard=0.5)
        assert not _overlapped(events, PROMPTS[:2])  # one after the other
        assert all(same_text(texts[p], references[p]) for p in PROMPTS[:2])
        assert len(backend.contexts.contexts) == 1



def test_each_slot_runs_its_own_adapter_set(lora_set):  # noqa: F811 - fixture
    from lora_fixtures import MAX_TOKENS, PROMPT, SEED, reference

    s = lora_set
    refs = {"none": reference(s.base), "a": reference(s.base, s.a), "b": reference(s.base, s.b)}
    files = {"none": None, "a": [str(s.a)], "b": [str(s.b)]}
    with Runtime(threads=1, num_parallel=2) as rt:
        for pair in [("a", "b"), ("b", "a"), ("none", "a"), ("b", "none"), ("a", "a"), ("none", "b")]:
            streams = {}
            for i, name in enumerate(pair):
                stream = rt.local_chat(str(s.base), PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED,
                                       adapters=files[name])
                streams[(i, name)] = {"stream": stream, "pool": rt.backend(str(s.base)).contexts}
            events: list = []
            texts, seen = _together(streams, events)
            assert _overlapped(events, streams) and set(seen.values()) == {2}, (pair, events)
            # tokens evaluated under one set were never reused under another, on either context
            assert all(same_text(texts[key], refs[key[1]]) for key in streams), pair
        backend = rt.backend(str(s.base))
        assert len(backend.contexts.contexts) == 2
        assert len(backend.adapters.loaded()) == 2  # each adapter loaded once, for both contexts


def test_a_closed_stream_frees_its_slot_for_the_next_request(model, references):
    with loaded(model, threads=1, n_ctx=2048, parallel=2) as backend:
        a = iter(backend.chat(_messages(PROMPTS[0]), max_tokens=40, temperature=0.0, seed=3))
        b = iter(backend.chat(_messages(PROMPTS[1]), max_tokens=40, temperature=0.0, seed=3))
        next(a), next(b)  # both mid-answer, in this one thread: two contexts
        assert backend.contexts.busy == 2
        with pytest.raises(BackendError, match="still busy"):  # no third slot; waiting would wait for itself
            next(iter(backend.chat(_messages(PROMPTS[2]), max_tokens=4, temperature=0.0)))
        a.close()  # the client went away
        assert backend.contexts.busy == 1
        c = backend.chat(_messages(PROMPTS[2]), max_tokens=40, temperature=0.0, seed=3).text
        assert same_text(c, references[PROMPTS[2]]) and len(backend.contexts.contexts) == 2
        b.close()
        assert backend.contexts.busy == 0 and not backend.busy


def _budget_cache(tmp_path, ram_mb: int) -> ModelCache:
    settings = load_settings(env={}, home=tmp_path, threads=1, num_parallel=2, max_loaded_models=4,
                             max_loaded_ram_mb=ram_mb)
    return ModelCache(settings)


def test_the_budget_counts_the_weights_once_and_each_extra_context_by_its_kv_cache(model, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="slm.llama_cpp")  # llama.cpp's own report of what it allocates
    with _budget_cache(tmp_path, 64) as cache:
        backend = cache.get(model)
        a = iter(backend.chat(_messages(PROMPTS[0]), max_tokens=40, temperature=0.0, seed=3))
        next(a)
        [alone] = cache.status()
        assert alone["ram_bytes"] == model.stat().st_size and alone["contexts"] == 1
        caplog.clear()
        b = iter(backend.chat(_messages(PROMPTS[1]), max_tokens=40, temperature=0.0, seed=3))
        next(b)
        [both] = cache.status()
        reported = [float(m) for m in re.findall(r"KV buffer size =\s*([\d.]+) MiB", caplog.text)]
        assert len(reported) == 1  # one more context was made, and only its KV cache is new
        assert both["contexts"] == 2 and both["slots_busy"] == 2
        assert both["ram_bytes"] - model.stat().st_size == backend.contexts.extra_bytes == int(reported[0] * 2**20)
        a.close(), b.close()


def test_a_context_the_budget_has_no_room_for_is_not_made_its_request_waits(model, references, tmp_path):
    # the tiny model (~0.9 MB) fits 1 MB, a second 512-token context (256 KiB of KV) does not
    with _budget_cache(tmp_path, 1) as cache:
        backend = cache.get(model)
        a = iter(backend.chat(_messages(PROMPTS[0]), max_tokens=40, temperature=0.0, seed=3))
        next(a)
        texts = {}
        later = threading.Thread(target=lambda: texts.update(b=backend.chat(
            _messages(PROMPTS[1]), max_tokens=40, temperature=0.0, seed=3).text))
        later.start()
        for _ in range(GUARD_S * 100):
            if backend.contexts.waiting:
                break
            threading.Event().wait(0.01)
        assert backend.contexts.waiting == 1 and "b" not in texts and len(backend.contexts.contexts) == 1
        a.close()
        later.join(GUARD_S)
        assert same_text(texts["b"], references[PROMPTS[1]]) and len(backend.contexts.contexts) == 1


def test_a_context_that_grows_for_a_longer_request_is_charged_to_the_budget(model, tmp_path):
    long_ask = {"max_tokens": 1400, "temperature": 0.0, "seed": 3}  # ~1500 tokens: more than the first 512
    with _budget_cache(tmp_path, 64) as cache:  # room: the growth is counted
        backend, _ms = cache.get_timed(model, ctx_need=100)  # loaded for a short request
        backend.chat(_messages(PROMPTS[0]), max_tokens=4, temperature=0.0)
        first = backend.contexts.contexts[0].allocated
        assert cache.status()[0]["ram_bytes"] == model.stat().st_size
        held = iter(backend.chat(_messages(PROMPTS[1]), **long_ask))
        next(held)
        grown = backend.contexts.contexts[0].allocated
        assert grown > first and backend.contexts.busy == 1
        assert cache.status()[0]["ram_bytes"] - model.stat().st_size == backend.contexts.kv_bytes(grown - first) > 0
        held.close()
    with _budget_cache(tmp_path, 1) as cache:  # the model fits 1 MB, its context grown does not
        backend, _ms = cache.get_timed(model, ctx_need=100)
        backend.chat(_messages(PROMPTS[0]), max_tokens=4, temperature=0.0)
        with pytest.raises(BackendError, match="RAM budget"):
            next(iter(backend.chat(_messages(PROMPTS[1]), **long_ask)))
        assert backend.contexts.busy == 0  # the refused request gave its context back
        assert same_text(backend.chat(_messages(PROMPTS[2]), max_tokens=4, temperature=0.0).text,
                         backend.chat(_messages(PROMPTS[2]), max_tokens=4, temperature=0.0).text)


def test_the_server_runs_two_streams_on_one_model_at_once_and_a_disconnect_frees_a_slot(tmp_path):
    import requests
    from server_fixtures import start_server

    # 20000 tokens take many seconds: both streams are still generating while the test looks
    long = str(make_tiny_gguf(tmp_path / "long.gguf", n_ctx=32768, seed=3))
    srv = start_server(tmp_path / "home", SLM_NUM_PARALLEL="2", SLM_THREADS="2")

    def row() -> dict:
        models = requests.get(srv.url + "/slm/v1/ps", timeout=30).json()["models"]
        return models[0] if models else {"generating": 0, "contexts": 0}

    def until(check) -> dict:
        for _ in range(GUARD_S * 20):
            seen = row()
            if check(seen):
                return seen
            threading.Event().wait(0.05)
        return row()

    streams = []
    try:
        client = srv.client()
        streams += [client.chat.completions.create(model=long, messages=_messages(p), max_tokens=20000, stream=True)
                    for p in PROMPTS[:2]]
        for s in streams:
            next(iter(s))
        both = until(lambda r: r["generating"] == 2)
        assert both["generating"] == 2 and both["contexts"] == 2 and both["busy"] == 2, both
        streams[0].close()  # the client leaves mid-answer: its generation stops, its slot is free
        one = until(lambda r: r["generating"] == 1)
        assert one["generating"] == 1, one
        quick = client.chat.completions.create(model=long, messages=_messages("hi"), max_tokens=3)
        assert quick.choices[0].message.content is not None and quick.usage.completion_tokens <= 3
        assert row()["contexts"] == 2  # the freed context served it: no third one
        streams[1].close()
        assert until(lambda r: r["generating"] == 0)["generating"] == 0
    finally:
        for s in streams:
            s.close()  # a failed check must not leave 20000-token answers for the graceful stop to wait for
        assert srv.stop() == 0


def test_an_unload_while_a_context_is_being_made_waits_for_it(model, references, monkeypatch):
    """close() while a request makes a second context (outside the pool's lock) must not free the
    model under it: the unload waits until that request ends, and its answer is still right."""
    import slm.backends.contexts as contexts

    making, go = threading.Event(), threading.Event()
    real = contexts.sibling_of

    def slow_sibling(llm, n_ctx):  # the real one, held at the moment the race opens
        making.set()
        assert go.wait(GUARD_S)
        return real(llm, n_ctx)

    monkeypatch.setattr(contexts, "sibling_of", slow_sibling)
    backend = LlamaBackend(model, threads=1, n_ctx=2048, parallel=2)
    try:
        a = iter(backend.chat(_messages(PROMPTS[0]), max_tokens=40, temperature=0.0, seed=3))
        next(a)  # context 0 taken
        texts: dict = {}
        worker = threading.Thread(target=lambda: texts.setdefault(
            "b", backend.chat(_messages(PROMPTS[1]), max_tokens=40, temperature=0.0, seed=3).text))
        worker.start()
        assert making.wait(GUARD_S)  # b is making context 1 on the model
        a.close()  # a's context is free: nothing is busy, one context is being made
        assert backend.busy
        backend.close()  # an unload now (keep_alive 0, eviction) must wait for b
        assert not backend.closed
        go.set()
        worker.join(GUARD_S)
        assert same_text(texts["b"], references[PROMPTS[1]])
        assert backend.closed  # freed once b ended
    finally:
        go.set()
        backend.close()

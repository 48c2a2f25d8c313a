"""The server's parts on their own: slots and FIFO queues, the keep-alive setting, the cache's keep-alive."""
from __future__ import annotations

import asyncio
import time

import pytest
from slm.backends.cache import ModelCache
from slm.config import load_settings
from slm.errors import ConfigError
from slm.server.protocol import ChatRequest, parse_chat
from slm.server.scheduler import PIPELINE_LANE, QueueFull, Scheduler
from tinymodels import make_tiny_gguf


def test_slots_are_handed_out_first_come_first_served():
    async def scenario():
        sched = Scheduler(num_parallel=1, max_queue=10)
        first = await sched.acquire("m")
        order = []

        async def wait(i):
            slot = await sched.acquire("m")
            order.append(i)
            await asyncio.sleep(0)
            slot.release()

        tasks = [asyncio.ensure_future(wait(i)) for i in range(5)]
        await asyncio.sleep(0.01)
        assert sched.snapshot()["m"] == {"slots": 1, "busy": 1, "waiting": 5, "served": 0}
        first.release()
        await asyncio.gather(*tasks)
        assert order == [0, 1, 2, 3, 4]
        assert sched.snapshot()["m"]["busy"] == 0 and sched.queue_depth() == 0

    asyncio.run(scenario())


def test_a_full_queue_refuses_with_retry_after_and_a_cancelled_waiter_leaves_it():
    async def scenario():
        sched = Scheduler(num_parallel=2, max_queue=1)
        a, b = await sched.acquire("m"), await sched.acquire("m")
        waiter = asyncio.ensure_future(sched.acquire("m"))
        await asyncio.sleep(0.01)
        with pytest.raises(QueueFull) as caught:
            await sched.acquire("m")
        assert caught.value.status == 503 and int(caught.value.headers["Retry-After"]) >= 1
        other = await sched.acquire("other")  # lanes are independent
        waiter.cancel()
        await asyncio.sleep(0.01)
        assert sched.snapshot()["m"]["waiting"] == 0
        late = asyncio.ensure_future(sched.acquire("m"))
        await asyncio.sleep(0.01)
        a.release()
        slot = await asyncio.wait_for(late, 1)  # the cancelled waiter did not swallow the slot
        for s in (b, slot, other):
            s.release()
        assert all(lane["busy"] == 0 for lane in sched.snapshot().values())

    asyncio.run(scenario())


def test_the_pipeline_lane_has_more_slots():
    sched = Scheduler(num_parallel=1, max_queue=0)
    assert sched.lane(PIPELINE_LANE).slots > sched.lane("model:x").slots == 1


@pytest.mark.parametrize("raw, seconds", [("300", 300), ("5m", 300), ("1h", 3600), ("30s", 30), ("0", 0),
                                          ("-1", -1), ("-5m", -1), ("1.5", 1.5)])
def test_keep_alive_setting(raw, seconds, tmp_path):
    assert load_settings(env={"SLM_KEEP_ALIVE": raw}, home=tmp_path).keep_alive_s == seconds


@pytest.mark.parametrize("raw", ["soon", "5 days", "", "1e9"])
def test_bad_keep_alive_setting_names_it(raw, tmp_path):
    with pytest.raises(ConfigError, match="SLM_KEEP_ALIVE"):
        load_settings(env={"SLM_KEEP_ALIVE": raw}, home=tmp_path)


@pytest.mark.parametrize("env", [{"SLM_NUM_PARALLEL": "0"}, {"SLM_MAX_QUEUE": "-1"}, {"SLM_SERVER_PORT": "70000"},
                                 {"SLM_MAX_LOADED_RAM_MB": "0"}])
def test_bad_server_settings(env, tmp_path):
    with pytest.raises(ConfigError, match=next(iter(env))):
        load_settings(env=env, home=tmp_path)


def test_parse_chat_maps_model_names_to_targets():
    msgs = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
    assert parse_chat({"model": "slm", "messages": msgs}).target.kind == "pipeline"
    assert parse_chat({"model": "AUTO", "messages": msgs}).target.kind == "pipeline"
    plugin = parse_chat({"model": "slm/calc", "messages": msgs})
    assert (plugin.target.kind, plugin.target.name) == ("plugin", "calc")
    assert plugin.ask_options()["plugin"] == "calc" and plugin.ask_options()["system"] == "s"
    model = parse_chat({"model": "org/repo/file.gguf", "messages": msgs, "max_completion_tokens": 5})
    assert model.target.kind == "model" and model.ask_options()["messages"] == msgs
    assert isinstance(model, ChatRequest) and model.max_tokens == 5 and model.prompt == "u"


def test_cache_keep_alive_zero_unloads_and_negative_keeps(tmp_path):
    path = make_tiny_gguf(tmp_path / "m.gguf")
    settings = load_settings(env={}, home=tmp_path, threads=1, model_idle_timeout_s=300)
    with ModelCache(settings) as cache:
        cache.get(path)
        [row] = cache.status()
        assert row["keep_alive_s"] == 300 and 299 < row["expires_in_s"] <= 300
        cache.keep_alive(path, -1)
        assert cache.status()[0]["expires_in_s"] is None
        assert cache.evict_idle(now=10**9) == 0  # kept however long it idles
        cache.keep_alive(path, 0)
        assert cache.status() == [] and not cache.is_loaded(path)


def test_cache_ram_budget_evicts_least_recently_used(tmp_path):
    a, b = make_tiny_gguf(tmp_path / "a.gguf", seed=1), make_tiny_gguf(tmp_path / "b.gguf", seed=2)
    size_mb = a.stat().st_size >> 20
    settings = load_settings(env={}, home=tmp_path, threads=1, max_loaded_models=8,
                             max_loaded_ram_mb=int(size_mb * 1.5) + 1)
    with ModelCache(settings) as cache:
        cache.get(a)
        cache.get(b)
        assert [r["path"].name for r in cache.status()] == ["b.gguf"]
    roomy = settings.with_(max_loaded_ram_mb=size_mb * 3 + 3)
    with ModelCache(roomy) as cache:
        cache.get(a)
        cache.get(b)
        assert {r["path"].name for r in cache.status()} == {"a.gguf", "b.gguf"}


def test_a_slot_handed_on_unused_does_not_count_as_a_request_in_retry_after():
    async def scenario():
        sched = Scheduler(num_parallel=1, max_queue=5)
        holder = await sched.acquire("m")
        holder.started -= 10  # it ran 10 s (set, not waited for)
        holder.release()
        lane = sched.lane("m")
        for _ in range(2):  # two clients handed a slot in the very instant they left
            busy = await sched.acquire("m")
            waiter = asyncio.ensure_future(sched.acquire("m"))
            await asyncio.sleep(0)
            busy.started -= 10
            busy.release()  # hands the slot to the waiter...
            waiter.cancel()  # ...which leaves before it runs
            with pytest.raises(asyncio.CancelledError):
                await waiter
        unused = await sched.acquire("m")
        unused.hand_on()  # queued() gives back a slot it got as its client left
        assert lane.busy == 0 and lane.served == 3 and min(lane.recent_s) >= 10
        await sched.acquire("m")
        lane.waiting.append(asyncio.get_running_loop().create_future())  # one in line
        # ~10 s each for the one running and the one waiting (with the 0 s hand-ons counted: 1 s)
        assert 20 <= sched.retry_after_s(lane) <= 21

    asyncio.run(scenario())


def test_the_reaper_unloads_a_model_at_a_keep_alive_shorter_than_its_round(tmp_path):
    path = make_tiny_gguf(tmp_path / "m.gguf")
    # the idle timeout sets the reaper's pace (minutes); a keep-alive of 0.2 s must not wait for it
    settings = load_settings(env={}, home=tmp_path, threads=1, model_idle_timeout_s=3600)
    with ModelCache(settings) as cache:
        cache.get(path)
        cache.keep_alive(path, 0.2)
        for _ in range(1000):  # a guard of 10 s: a reaper keeping the idle timeout's pace looks every 30 s
            if not cache.is_loaded(path):
                break
            time.sleep(0.01)
        assert not cache.is_loaded(path)


def test_keep_alive_zero_on_a_busy_model_unloads_it_once_free(tmp_path):
    path = make_tiny_gguf(tmp_path / "m.gguf")
    settings = load_settings(env={}, home=tmp_path, threads=1, model_idle_timeout_s=0)
    with ModelCache(settings) as cache:
        backend = cache.get(path)
        held = iter(backend.chat([{"role": "user", "content": "hi"}], max_tokens=30, temperature=0.0))
        next(held)
        cache.keep_alive(path, 0)
        assert cache.is_loaded(path)  # busy: it stays until its request ends
        held.close()
        for _ in range(3000):
            if not cache.is_loaded(path):
                break
            time.sleep(0.01)
        assert not cache.is_loaded(path)


def test_a_generation_that_cannot_start_its_thread_gives_its_slot_back():
    from slm.server.generation import Generation
    from slm.server.protocol import ApiError

    async def scenario():
        sched = Scheduler(num_parallel=1, max_queue=1)
        generation = Generation(lambda: iter(()), await sched.acquire("m"))

        def no_thread():
            raise RuntimeError("can't start new thread")

        generation._thread.start = no_thread  # what the OS says when it has no thread left
        with pytest.raises(ApiError) as caught:
            generation.begin()
        assert caught.value.status == 503 and caught.value.headers["Retry-After"] == "1"
        nxt = await asyncio.wait_for(sched.acquire("m"), 1)  # the slot came back: no wait
        nxt.release()
        assert sched.snapshot()["m"]["busy"] == 0

    asyncio.run(scenario())


def test_an_unexpected_error_is_openais_500_shape_and_keeps_its_detail_in_the_log(caplog):
    import json as _json

    from slm.server.app import _internal_error
    from starlette.requests import Request

    request = Request({"type": "http", "method": "POST", "path": "/v1/chat/completions", "headers": []})
    with caplog.at_level("ERROR", logger="slm.server"):
        response = asyncio.run(_internal_error(request, ValueError("/home/someone/secret.gguf is odd")))
    body = _json.loads(response.body)
    assert response.status_code == 500 and set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["type"] == "server_error" and "ValueError" in body["error"]["message"]
    assert "secret" not in body["error"]["message"] and "secret.gguf" in caplog.text

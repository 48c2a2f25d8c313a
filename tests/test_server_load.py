"""Load, bounded and on loopback only: 64 concurrent clients x 4 requests each.

Each client mixes streamed chat on two tiny models and routed calc prompts
through ``model: "slm"``. Every response must be complete (a finish reason,
usage, the slm object), none may fail, and the request log and the energy
history must hold exactly one entry per request.
"""
from __future__ import annotations

import concurrent.futures
import random
from decimal import Decimal

import pytest
from server_fixtures import start_server
from slm import requestlog
from slm.config import load_settings
from slm.energy import EnergyHistory
from tinymodels import make_tiny_gguf

CLIENTS, PER_CLIENT = 64, 4


@pytest.mark.slow
def test_64_clients_x_4_requests(tmp_path):
    one = str(make_tiny_gguf(tmp_path / "one.gguf", seed=1))
    two = str(make_tiny_gguf(tmp_path / "two.gguf", seed=2))
    srv = start_server(tmp_path / "load_home", SLM_MAX_LOADED_MODELS="2")
    try:
        client = srv.client(timeout=600)

        def one_client(i: int) -> list[str]:
            rng = random.Random(i)
            done = []
            for j in range(PER_CLIENT):
                kind = rng.choice(["one", "two", "calc"])
                if kind == "calc":
                    a, b = rng.randint(2, 99), rng.randint(2, 99)
                    answer = client.chat.completions.create(
                        model="slm", messages=[{"role": "user", "content": f"what is {a}% of {b * 10}"}])
                    assert answer.model_extra["slm"]["plugin"] == "calc"
                    assert Decimal(answer.model_extra["slm"]["data"]["result"]) == Decimal(a * b * 10) / 100
                else:
                    model = one if kind == "one" else two
                    chunks = list(client.chat.completions.create(
                        model=model, messages=[{"role": "user", "content": f"client {i} request {j}"}],
                        max_tokens=4, seed=i * 10 + j, stream=True, stream_options={"include_usage": True}))
                    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason]
                    assert len(finals) == 1 and finals[0].model_extra["slm"]["model"] == model
                    assert chunks[-1].usage.completion_tokens == 4
                done.append(kind)
            return done

        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(one_client, i) for i in range(CLIENTS)]
            kinds = [k for f in futures for k in f.result()]  # re-raises any client's failure
        assert len(kinds) == CLIENTS * PER_CLIENT and {"one", "two", "calc"} <= set(kinds)
        settings = load_settings(env={"SLM_HOME": str(srv.home)})
        log = requestlog.read(settings.logs_dir)
        assert len(log) == CLIENTS * PER_CLIENT
        assert sum(1 for e in log if e.get("plugin") == "calc") == kinds.count("calc")
        assert EnergyHistory(settings).query("SELECT COUNT(*) FROM energy")[0][0] == CLIENTS * PER_CLIENT
    finally:
        assert srv.stop(timeout=120) == 0, srv.output()

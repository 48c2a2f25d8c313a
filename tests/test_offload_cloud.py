"""Cloud client, redaction and Offloader against llama_cpp.server behind a recording proxy."""
from __future__ import annotations

import logging
import random

import pytest
from slm.config import load_settings
from slm.errors import (
    CloudAuthError,
    CloudError,
    CloudNotFoundError,
    CloudUnavailableError,
    CloudUnreachableError,
    OffloadError,
    OffloadRefusedError,
)
from slm.offload.cloud import CloudClient
from slm.offload.queue import OfflineQueue
from slm.offload.redact import Redactor, find_pii, iban_ok, luhn_ok
from slm.offload.service import Offloader

SECRET = "sk-test-0123456789abcdefSECRET"
HELLO = [{"role": "user", "content": "hello there"}]

pytest_plugins = ("cloud_fixtures",)  # the llama_cpp.server "cloud" and the recording proxy


def client_for(url: str, **kw) -> CloudClient:
    kw.setdefault("backoff_base_s", 0.01)
    kw.setdefault("timeout_s", 30)
    return CloudClient(base_url=url, api_key=kw.pop("api_key", SECRET), model="tiny-cloud", **kw)


# --- the client ------------------------------------------------------------------
def test_chat_non_streaming(proxy):
    answer = client_for(proxy.url).chat(HELLO, max_tokens=8, idempotency_key="k-1")
    assert answer.text and answer.usage.completion_tokens > 0 and answer.model
    sent = proxy.requests[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["body"]["messages"] == HELLO
    assert sent["body"]["stream"] is False and sent["body"]["max_tokens"] == 8
    assert sent["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert sent["headers"]["Idempotency-Key"] == "k-1"


def test_chat_streaming(proxy):
    # greedy: an unseeded sample of the random-weight model sometimes ends after one piece
    stream = client_for(proxy.url).chat_stream(HELLO, max_tokens=8, temperature=0.0)
    pieces = list(stream)
    assert len(pieces) >= 2 and "".join(pieces) == stream.text and stream.text
    assert stream.finish_reason in ("length", "stop")
    assert proxy.requests[-1]["body"]["stream"] is True


def test_streaming_straight_from_llama_cpp_server(cloud_server):
    """No proxy: the server's own chunked SSE, read piece by piece."""
    # Greedy: an unseeded sample depends on how many requests the session's server has
    # answered before (its RNG state) and sometimes stops after two pieces.
    stream = client_for(cloud_server).chat_stream(HELLO, max_tokens=12, temperature=0.0)
    pieces = list(stream)
    assert len(pieces) >= 3 and stream.text == "".join(pieces)
    assert stream.finish_reason in ("length", "stop")


def test_stream_cut_off_midway_is_unreachable_and_queued(proxy, tmp_path):
    args = dict(max_tokens=24, temperature=0.0)  # greedy: every call streams the same events
    full = list(client_for(proxy.url).chat_stream(HELLO, idempotency_key="probe", **args))
    payload = proxy._cache["probe"][2]
    assert len(full) >= 4
    cut = [i for i in range(len(payload)) if payload.startswith(b"\n\ndata:", i)][3] + 40
    proxy.truncate = cut  # a few whole SSE events, half of one, then the connection drops
    with pytest.raises(CloudUnreachableError, match="ended before the answer was complete"):
        list(client_for(proxy.url).chat_stream(HELLO, **args))
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url})
    got: list[str] = []
    out = Offloader(s).send(HELLO, plugin=None, permission="allowed", reason="t", emit=got.append, **args)
    assert out.where == "queued" and got and "partial answer above is incomplete" in out.text
    proxy.truncate = None
    with OfflineQueue.from_settings(s) as q:  # sync gets the whole answer, under the same key (cached)
        q.sync(client_for(proxy.url))
        assert q.get(out.queue_id).result
    assert proxy.upstream_calls[proxy.requests[-1]["headers"]["Idempotency-Key"]] == 1


HI_EVENTS = b'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: {"choices":[{"delta":{"content":" there"}}]}\n\n'


def test_stream_done_without_a_final_blank_line_is_complete(canned_proxy):
    """A server that closes right after `data: [DONE]` (no blank line) sent a whole answer."""
    canned_proxy._answer = lambda path, body: (200, "text/event-stream", HI_EVENTS + b"data: [DONE]")
    stream = client_for(canned_proxy.url).chat_stream(HELLO)
    assert list(stream) == ["Hi", " there"] and stream.finish_reason == "stop"
    assert stream.usage.completion_tokens == 2  # no usage event: one token per chunk


@pytest.mark.parametrize("bad,words", [
    (b'data: {"error": {"message": "model overloaded"}}\n\n', "cloud stream error: model overloaded"),
    (b"data: not json\n\n", "cloud stream sent a bad event"),
    (b"data: [1, 2]\n\n", "not an object"),
])
def test_stream_bad_events_are_cloud_errors(canned_proxy, bad, words):
    canned_proxy._answer = lambda path, body: (200, "text/event-stream", HI_EVENTS + bad + b"data: [DONE]\n\n")
    stream = client_for(canned_proxy.url).chat_stream(HELLO)
    with pytest.raises(CloudError, match=words) as err:
        list(stream)
    assert type(err.value) is CloudError  # rejected, not "unreachable": queueing would not help
    assert stream.text == "Hi there"


def test_retries_429_and_5xx_then_succeeds(proxy):
    proxy.fail_next = [(429, {"Retry-After": "0"}), (500, {}), (503, {})]
    slept: list[float] = []
    answer = client_for(proxy.url, max_retries=3, sleep=slept.append).chat(HELLO, max_tokens=4, idempotency_key="r")
    assert answer.text
    assert len(proxy.requests) == 4 and len(slept) == 3
    assert slept[0] == 0  # Retry-After honoured
    assert all(0 <= s <= 0.01 * 2 ** i for i, s in enumerate(slept[1:], start=1))  # capped exponential jitter
    assert {r["headers"]["Idempotency-Key"] for r in proxy.requests} == {"r"}


def test_retries_are_bounded(proxy):
    proxy.fail_next = [(500, {})] * 5
    with pytest.raises(CloudUnavailableError, match="HTTP 500 after 3 attempt"):
        client_for(proxy.url, max_retries=2, sleep=lambda s: None).chat(HELLO, max_tokens=4)
    assert len(proxy.requests) == 3


def test_long_retry_after_gives_up_at_once(proxy):
    proxy.fail_next = [(429, {"Retry-After": "3600"})]
    with pytest.raises(CloudUnavailableError):
        client_for(proxy.url, sleep=lambda s: pytest.fail("must not sleep an hour")).chat(HELLO)
    assert len(proxy.requests) == 1


def test_401_is_one_line_auth_error_without_the_key(proxy, caplog):
    caplog.set_level(logging.DEBUG)
    proxy.require_key = "the-right-key"
    client = client_for(proxy.url)
    with pytest.raises(CloudAuthError) as err:
        client.chat(HELLO)
    line = err.value.one_line()
    assert "401" in line and "\n" not in line
    assert SECRET not in line and SECRET not in repr(err.value) and SECRET not in str(err.value.args)
    assert SECRET not in repr(client) and SECRET not in caplog.text
    assert len(proxy.requests) == 1  # auth errors are not retried


def test_server_echoing_the_key_is_scrubbed(proxy):
    proxy.fail_next = [(400, {})]
    # make the proxy's error body contain the key, as some gateways do
    orig = proxy._reply

    def echo(h, status, ctype, payload, headers=None):
        if status == 400:
            payload = ('{"error": {"message": "bad key ' + SECRET + '"}}').encode()
        orig(h, status, ctype, payload, headers)
    proxy._reply = echo
    with pytest.raises(CloudError) as err:
        client_for(proxy.url).chat(HELLO)
    assert "400" in err.value.one_line() and SECRET not in err.value.one_line() and "***" in err.value.one_line()


def test_404_model_or_endpoint(cloud_server):
    with pytest.raises(CloudNotFoundError) as err:
        client_for(cloud_server.replace("/v1", "/nope")).chat(HELLO)
    assert "404" in err.value.one_line() and SECRET not in err.value.one_line()


def test_connection_refused_is_unreachable_fast(dead_url):
    url = dead_url
    with pytest.raises(CloudUnreachableError, match="cannot reach the cloud"):
        client_for(url, sleep=lambda s: pytest.fail("no retry on refused")).chat(HELLO)


def test_dns_failure_is_unreachable():
    with pytest.raises(CloudUnreachableError):
        client_for("http://no-such-host.invalid/v1").chat(HELLO)


def test_timeout_is_unreachable(proxy):
    proxy.delay_s = 1.5
    with pytest.raises(CloudUnreachableError, match="timed out"):
        client_for(proxy.url, timeout_s=0.3).chat(HELLO)


def test_credentials_in_url_are_not_shown(dead_url):
    c = CloudClient(base_url=dead_url.replace("http://", f"http://user:{SECRET}@"), api_key=None)
    assert SECRET not in repr(c)
    with pytest.raises(CloudUnreachableError) as err:
        c.chat(HELLO)
    assert SECRET not in err.value.one_line()


@pytest.mark.parametrize("url", ["not a url", "ftp://x/v1", "http://:80/v1", "http://h:port/v1"])
def test_bad_base_url(url):
    with pytest.raises(OffloadError, match="bad cloud base URL"):
        CloudClient(base_url=url)


def test_from_settings_requires_a_cloud_and_hides_the_key(tmp_path):
    with pytest.raises(OffloadError, match="no cloud is configured"):
        CloudClient.from_settings(load_settings(env={"SLM_HOME": str(tmp_path)}))
    s = load_settings(env={"SLM_HOME": str(tmp_path), "SLM_CLOUD_BASE_URL": "http://127.0.0.1:1/v1",
                           "SLM_CLOUD_API_KEY": SECRET, "SLM_CLOUD_MODEL": "m", "SLM_CLOUD_MAX_RETRIES": "5"})
    c = CloudClient.from_settings(s)
    assert (c.api_key, c.model, c.max_retries) == (SECRET, "m", 5)
    assert SECRET not in repr(c) and SECRET not in repr(s)


# --- redaction -------------------------------------------------------------------
PII_TEXT = ("Mail jane.doe@acme.com or call +1 (415) 555-0134. Card 4111 1111 1111 1111, "
            "IBAN DE89 3704 0044 0532 0130 00, account number 12345678. "
            "Ship to 1600 Pennsylvania Ave NW, Washington, DC 20500 or Hauptstraße 5.")
PII_VALUES = ["jane.doe@acme.com", "+1 (415) 555-0134", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
              "12345678", "1600 Pennsylvania Ave NW, Washington, DC 20500", "Hauptstraße 5"]


def test_finds_each_kind_and_checks_cards_and_ibans():
    kinds = {k: v for k, v, _, _ in find_pii(PII_TEXT)}
    assert set(kinds) == {"EMAIL", "PHONE", "CARD", "IBAN", "ACCOUNT", "ADDRESS"}
    assert sorted(v for _, v, _, _ in find_pii(PII_TEXT)) == sorted(PII_VALUES)
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")
    # look-alikes stay: a non-Luhn 16-digit number, a bad IBAN, an order number, a price, a date
    assert find_pii("ref 1234 5678 9012 3456, GB00 WEST 1234 5698 7654 32, order #4521, $1,299.00, 2024-05-12") == []


def test_redact_restore_round_trip_with_loose_placeholders():
    r = Redactor()
    red = r.redact(PII_TEXT + " Again: jane.doe@acme.com")
    assert not any(v in red for v in PII_VALUES)
    assert red.count("[EMAIL_1]") == 2  # same value, same placeholder
    assert r.restore(red) == PII_TEXT + " Again: jane.doe@acme.com"
    assert r.restore("to [email_1], [ Email 1 ], [EMAIL-1], EMAIL_1; [EMAIL_9] stays") == (
        "to jane.doe@acme.com, jane.doe@acme.com, jane.doe@acme.com, jane.doe@acme.com; [EMAIL_9] stays")


def test_stream_restorer_handles_any_chunk_boundaries():
    r = Redactor()
    r.redact(PII_TEXT)
    answer = "Hi [EMAIL_1], card [card 1], at ADDRESS_1 and [ Phone_1 ]. Done [x] E"
    rng = random.Random(3)
    for _ in range(300):
        sr, out, i = r.stream_restorer(), "", 0
        while i < len(answer):
            j = i + rng.randint(1, 5)
            out += sr.feed(answer[i:j])
            i = j
        out += sr.flush()
        assert out == r.restore(answer)
    assert "jane.doe@acme.com" in r.restore(answer) and "[x] E" in r.restore(answer)


# a grammar that makes the random-weight model write these exact words (placeholders in changed case/spacing)
GRAMMAR = 'root ::= "Reply to [email_1] and call [ PHONE 1 ] about card [CARD_1]."'


@pytest.mark.parametrize("stream", [False, True])
def test_redaction_on_the_wire_and_restored_in_the_answer(proxy, tmp_path, stream):
    proxy.inject = {"grammar": GRAMMAR}
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url, "SLM_CLOUD_MODEL": "tiny-cloud"})
    got: list[str] = []
    out = Offloader(s).send([{"role": "user", "content": PII_TEXT}], plugin="extract", permission="redact",
                            reason="test", emit=got.append, max_tokens=64, stream=stream)
    wire = proxy.requests[-1]
    wire_text = str(wire["body"])
    assert not any(v in wire_text for v in PII_VALUES)  # nothing personal reached the server
    assert "[EMAIL_1]" in wire_text and "[CARD_1]" in wire_text and "[ADDRESS_1]" in wire_text
    expected = "Reply to jane.doe@acme.com and call +1 (415) 555-0134 about card 4111 1111 1111 1111."
    assert out.where == "cloud" and out.text == expected and "".join(got) == expected
    assert out.redacted == len(PII_VALUES)
    if stream:
        assert len(got) > 3  # really streamed, placeholders split across pieces


@pytest.mark.parametrize("permission,plugin", [("allowed", "calc"), ("allowed", None), ("redact", "extract")])
def test_every_request_that_leaves_is_redacted(proxy, tmp_path, permission, plugin):
    """Redaction does not hang on a routing guess: "allowed" plugins and --cloud with no plugin too."""
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url})
    out = Offloader(s).send([{"role": "user", "content": PII_TEXT}], plugin=plugin, permission=permission,
                            reason="test", emit=lambda p: None, max_tokens=4)
    wire = proxy.requests[-1]["body"]["messages"][0]["content"]
    assert not any(v in wire for v in PII_VALUES) and "[CARD_1]" in wire
    assert out.redaction == "applied" and out.redacted == len(PII_VALUES)


def test_allowed_raw_is_sent_verbatim_and_says_so(proxy, tmp_path):
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url})
    out = Offloader(s).send([{"role": "user", "content": PII_TEXT}], plugin="calc", permission="allowed-raw",
                            reason="test", emit=lambda p: None, max_tokens=4)
    assert proxy.requests[-1]["body"]["messages"][0]["content"] == PII_TEXT
    assert out.redaction == "raw" and out.redacted == 0


def test_never_plugin_is_refused_before_any_request(proxy, tmp_path):
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url})
    with pytest.raises(OffloadRefusedError, match="never sends data"):
        Offloader(s).send(HELLO, plugin="diary", permission="never", reason="--cloud", emit=lambda p: None)
    assert proxy.requests == []


def test_key_never_in_logs(proxy, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    proxy.fail_next = [(500, {})]
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url, "SLM_CLOUD_API_KEY": SECRET})
    off = Offloader(s, client=CloudClient.from_settings(s, backoff_base_s=0.01))
    off.send(HELLO, plugin=None, permission="allowed", reason="t", emit=lambda p: None, max_tokens=4)
    assert proxy.requests[-1]["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert "retry 1/" in caplog.text and "offload: sending" in caplog.text
    assert SECRET not in caplog.text


# --- cloud down -> queued ----------------------------------------------------------
@pytest.mark.parametrize("stream", [False, True])
def test_cloud_down_queues_the_request(tmp_path, stream, dead_url):
    down = dead_url
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": down})
    got: list[str] = []
    out = Offloader(s).send([{"role": "user", "content": "Call jane.doe@acme.com today"}], plugin="email",
                            permission="redact", reason="model_missing", emit=got.append, max_tokens=8, stream=stream)
    assert out.where == "queued" and out.queue_id and f"#{out.queue_id}" in out.text and got == []
    with OfflineQueue.from_settings(s) as q:
        item = q.get(out.queue_id)
    assert item.status == "pending" and item.plugin == "email" and item.reason == "model_missing"
    assert item.messages[0]["content"] == "Call [EMAIL_1] today"  # stored as it will be sent
    assert item.preview == "Call jane.doe@acme.com today"          # shown locally restored


def test_proxy_stopped_then_back_delivers_queued_answer_restored(proxy, tmp_path):
    proxy.inject = {"grammar": 'root ::= "Sure, [Email_1]."'}
    s = load_settings(home=tmp_path, env={"SLM_CLOUD_BASE_URL": proxy.url})
    proxy.stop()
    out = Offloader(s).send([{"role": "user", "content": "write to bob@example.org"}], plugin="email",
                            permission="redact", reason="t", emit=lambda p: None, max_tokens=16)
    assert out.where == "queued" and proxy.requests == []
    proxy.start()
    with OfflineQueue.from_settings(s) as q:
        report = q.sync(client_for(proxy.url))
        item = q.get(out.queue_id)
    assert report.sent == [out.queue_id] and item.status == "sent"
    assert item.result == "Sure, bob@example.org."
    assert "bob@example.org" not in str(proxy.bodies())


def test_keyring_is_the_fallback_for_the_key(tmp_path, monkeypatch):
    """keyring is optional: when importable and holding slm/cloud_api_key, it supplies the key."""
    import sys
    import types

    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, user: "sk-from-keyring" if (service, user) == ("slm", "cloud_api_key") else None
    monkeypatch.setitem(sys.modules, "keyring", fake)
    env = {"SLM_CLOUD_BASE_URL": "http://127.0.0.1:1/v1"}
    assert CloudClient.from_settings(load_settings(home=tmp_path, env=env)).api_key == "sk-from-keyring"
    env["SLM_CLOUD_API_KEY"] = "sk-env"  # settings (env / config file) win over the keyring
    assert CloudClient.from_settings(load_settings(home=tmp_path, env=env)).api_key == "sk-env"

    def broken(service, user):
        raise RuntimeError("no keyring backend")
    fake.get_password = broken
    del env["SLM_CLOUD_API_KEY"]
    assert CloudClient.from_settings(load_settings(home=tmp_path, env=env)).api_key is None

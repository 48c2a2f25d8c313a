"""Freed C heap is handed back after an adapter switch, not kept by the process.

A changed adapter set makes llama.cpp re-reserve its compute graph at the next decode,
in temporary heap memory that glibc keeps after it is freed (2-6 MiB per switch on
SmolLM2-135M with 4 adapters: see packaging/bench/bench_lora.py). The backend trims the
heap once no switch has happened for a while (lora.TRIM_AFTER_IDLE_S; at once would
make the next switch fault the pages in again). Here the freed memory is made on
purpose (touched blocks below glibc's mmap threshold, pinned below a live block so
glibc's own trimming of the heap's top never reaches them) and the process's RSS is
read around requests: after a switch and the idle time it is handed back; after a
request on the unchanged set, or during a burst, it is not.
"""
from __future__ import annotations

import ctypes
import sys
import time

import pytest
from lora_fixtures import MAX_TOKENS, PROMPT, SEED, lora_set, reference, same_text  # noqa: F401 - fixture
from slm.api import Runtime
from slm.backends import lora

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc's malloc_trim")

BLOCK = 64 * 1024  # below glibc's default mmap threshold (128 KiB): served from the heap
N_BLOCKS = 400  # 25 MiB


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS:"))


def freed_heap_garbage() -> ctypes.c_void_p:
    """Leave ~25 MiB of touched, freed heap in the process; returns the block that pins it."""
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "malloc_trim"):
        pytest.skip("not glibc")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(BLOCK) for _ in range(N_BLOCKS)]
    for block in blocks:
        ctypes.memset(block, 1, BLOCK)
    pin = libc.malloc(1024)  # above the blocks: the heap's top stays in use
    for block in blocks:
        libc.free(block)
    return pin


def chat(rt, s, adapter):
    return rt.local_chat(str(s.base), PROMPT, max_tokens=MAX_TOKENS, temperature=0.0, seed=SEED,
                         adapters=[str(adapter)]).text


def settle(timeout: float = 10.0) -> None:
    """Wait until no trim is waiting for its idle time (it has run)."""
    deadline = time.monotonic() + timeout
    while lora.trim_scheduled():
        assert time.monotonic() < deadline, "the idle trim never ran"
        time.sleep(0.02)


def test_freed_heap_goes_back_once_idle_after_a_switch_not_on_an_unchanged_set(lora_set, monkeypatch):  # noqa: F811
    monkeypatch.setattr(lora, "TRIM_AFTER_IDLE_S", 0.5)
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    refs = {"a": reference(lora_set.base, lora_set.a), "b": reference(lora_set.base, lora_set.b)}
    with Runtime(threads=1) as rt:
        assert same_text(chat(rt, lora_set, lora_set.a), refs["a"])
        assert same_text(chat(rt, lora_set, lora_set.b), refs["b"])  # both loaded and used once
        settle()

        pin = freed_heap_garbage()
        held = rss_mib()
        assert same_text(chat(rt, lora_set, lora_set.b), refs["b"])  # the same set: nothing to give back
        assert not lora.trim_scheduled()
        time.sleep(0.7)
        kept = rss_mib()
        assert kept > held - 5, (held, kept)  # the garbage is still there

        assert same_text(chat(rt, lora_set, lora_set.a), refs["a"])  # a switch
        assert lora.trim_scheduled()
        burst = rss_mib()
        assert burst > kept - 5, (kept, burst)  # not at once: the next switch may reuse those pages
        settle()
        after = rss_mib()
        assert after < burst - 15, (burst, after)  # most of the ~25 MiB handed back once idle
        libc.free(pin)

"""Freed C heap is handed back after an adapter switch, not kept by the process.

A changed adapter set makes llama.cpp re-reserve its compute graph at the next decode,
in temporary heap memory that glibc keeps after it is freed (2-6 MiB per switch on
SmolLM2-135M with 4 adapters: see packaging/bench/bench_lora.py). The backend trims the
heap at the end of a request that switched. Here the freed memory is made on purpose
(touched blocks below glibc's mmap threshold, pinned below a live block so glibc's own
trimming of the heap's top never reaches them) and the process's RSS is read around a
request: a switch gives it back, a request on the unchanged set does not trim.
"""
from __future__ import annotations

import ctypes
import sys

import pytest
from lora_fixtures import MAX_TOKENS, PROMPT, SEED, lora_set, reference, same_text  # noqa: F401 - fixture
from slm.api import Runtime

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


def test_a_switch_hands_freed_heap_back_and_an_unchanged_set_does_not_trim(lora_set):  # noqa: F811
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    refs = {"a": reference(lora_set.base, lora_set.a), "b": reference(lora_set.base, lora_set.b)}
    with Runtime(threads=1) as rt:
        assert same_text(chat(rt, lora_set, lora_set.a), refs["a"])
        assert same_text(chat(rt, lora_set, lora_set.b), refs["b"])  # both loaded and used once

        pin = freed_heap_garbage()
        held = rss_mib()
        assert same_text(chat(rt, lora_set, lora_set.b), refs["b"])  # the same set: no switch
        kept = rss_mib()
        assert kept > held - 5, (held, kept)  # nothing trimmed: the garbage is still there

        assert same_text(chat(rt, lora_set, lora_set.a), refs["a"])  # a switch
        after = rss_mib()
        assert after < kept - 15, (kept, after)  # most of the ~25 MiB handed back
        assert not rt.backend(str(lora_set.base)).adapters.trim_pending
        libc.free(pin)

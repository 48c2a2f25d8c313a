"""Freed C heap is handed back after an adapter switch, not kept by the process.

A changed adapter set makes llama.cpp re-reserve its compute graph at the next decode,
in temporary heap memory that glibc keeps after it is freed (2-6 MiB per switch on
SmolLM2-135M with 4 adapters: see packaging/bench/bench_lora.py). The backend trims the
heap once no switch has happened for a while (lora.TRIM_AFTER_IDLE_S; at once would
make the next switch fault the pages in again). Here the freed memory is made on
purpose (touched blocks below glibc's mmap threshold, each kept apart from the next by a
live block, so they neither merge into one chunk that a large allocation of the
request could take nor reach the heap's top, which glibc trims by itself) and whether
those pages are still in memory is read with mincore(2) around requests: after a switch
and the idle time they are handed back; after a request on the unchanged set, or during a
burst, they are not. mincore counts only these pages, so the RSS the requests themselves
add or free cannot blur the reading.
"""
from __future__ import annotations

import ctypes
import errno
import os
import sys
import time

import pytest
from lora_fixtures import MAX_TOKENS, PROMPT, SEED, lora_set, reference, same_text  # noqa: F401 - fixture
from slm.api import Runtime
from slm.backends import lora

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc's malloc_trim")

BLOCK = 64 * 1024  # below glibc's default mmap threshold (128 KiB): served from the heap
N_BLOCKS = 300  # 19 MiB freed, as much kept live


PAGE = os.sysconf("SC_PAGE_SIZE")


class FreedHeap:
    """~19 MiB of touched heap blocks, freed, each followed by a live block that keeps it apart."""

    def __init__(self) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        if not hasattr(self.libc, "malloc_trim"):
            pytest.skip("not glibc")
        self.libc.malloc.restype, self.libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
        self.libc.free.argtypes = [ctypes.c_void_p]
        self.libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
        # Blocks in pairs, one after the other: the second of each pair stays live, so a freed
        # block cannot merge with the next one (small live blocks would not do: glibc serves
        # them from freed chunks elsewhere, not from the memory after the block).
        pairs = [(self.libc.malloc(BLOCK), self.libc.malloc(BLOCK)) for _ in range(N_BLOCKS)]
        self.blocks, self.pins = [first for first, _ in pairs], [second for _, second in pairs]
        for block in self.blocks:
            ctypes.memset(block, 1, BLOCK)
        for block in self.blocks:
            self.libc.free(block)

    def resident(self) -> float:
        """The share of the freed blocks' whole pages that are still in memory (a page glibc
        has unmapped, where the heap's top shrank, counts as handed back)."""
        in_memory = total = 0
        vec = ctypes.create_string_buffer(1)
        for block in self.blocks:
            first = -(-(block + 64) // PAGE) * PAGE  # past the chunk header glibc writes to
            for page in range(first, block + BLOCK - 64 - PAGE + 1, PAGE):
                total += 1
                if self.libc.mincore(page, PAGE, vec) == 0:
                    in_memory += vec.raw[0] & 1
                elif ctypes.get_errno() != errno.ENOMEM:
                    raise OSError(ctypes.get_errno(), "mincore")
        return in_memory / total

    def release(self) -> None:
        for pin in self.pins:
            self.libc.free(pin)


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
    refs = {"a": reference(lora_set.base, lora_set.a), "b": reference(lora_set.base, lora_set.b)}
    with Runtime(threads=1) as rt:
        assert same_text(chat(rt, lora_set, lora_set.a), refs["a"])
        assert same_text(chat(rt, lora_set, lora_set.b), refs["b"])  # both loaded and used once
        settle()

        garbage = FreedHeap()
        try:
            assert garbage.resident() > 0.95  # freed, but glibc keeps the pages
            assert same_text(chat(rt, lora_set, lora_set.b), refs["b"])  # the same set: nothing to give back
            assert not lora.trim_scheduled()
            time.sleep(0.7)
            assert garbage.resident() > 0.95, "trimmed after a request that changed nothing"

            assert same_text(chat(rt, lora_set, lora_set.a), refs["a"])  # a switch
            assert lora.trim_scheduled()
            assert garbage.resident() > 0.95, "trimmed at once: the next switch may reuse those pages"
            settle()
            # What the requests reused of the freed blocks stays in memory; the rest goes back.
            assert garbage.resident() < 0.5, "the idle trim after a switch handed nothing back"
        finally:
            garbage.release()


LARGE_BLOCK_PROBE = r"""
import ctypes, sys
from slm.api import Runtime

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.malloc_trim.argtypes = [ctypes.c_size_t]

def mapped_apart(size=24 << 20):
    # Whether a block of this size gets its own mapping (hblkhd counts the mapped blocks' bytes).
    # Large, and after a trim: no free chunk in the heap, nor its top, could serve it instead.
    libc.malloc_trim(0)
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(size)
    apart = libc.mallinfo2().hblkhd - before >= size
    libc.free(block)
    return apart

libc.free(libc.malloc(28 << 20))  # a freed mapped block raises glibc's threshold, as llama.cpp's loads do
assert not mapped_apart(), "glibc did not raise its threshold: the probe proves nothing here"
base, adapter = sys.argv[1:3]
with Runtime(threads=1) as rt:
    rt.local_chat(base, [{"role": "user", "content": "hi"}], max_tokens=2, temperature=0.0).text
    assert not mapped_apart()  # a bare base changes nothing
    rt.local_chat(base, [{"role": "user", "content": "hi"}], max_tokens=2, temperature=0.0, adapters=[adapter]).text
    assert mapped_apart(), "after an adapter load a large block still comes from the heap"
print("ok")
"""


def test_an_adapter_load_keeps_large_blocks_out_of_the_heap(lora_set):  # noqa: F811
    """A switch's 1-4 MiB graph temporaries get their own mappings (handed back when freed), not
    heap space that glibc's raised threshold would give them (slm.backends.lora: keep_large_blocks_apart).
    In a fresh process: the threshold is process-wide, and this one's was fixed by earlier tests."""
    import subprocess

    from conftest import subprocess_env

    if not hasattr(ctypes.CDLL(None), "mallinfo2"):
        pytest.skip("glibc older than 2.33 (no mallinfo2)")
    done = subprocess.run([sys.executable, "-c", LARGE_BLOCK_PROBE, str(lora_set.base), str(lora_set.a)],
                          capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]

"""The plain check beside bench_lora.py's memory figures: llama.cpp's own low-level calls, no slm.

Run by bench_lora.py in a fresh process per reading, with the same protocol as its slm
children (a JSON line per stage, then a wait for the parent's own /proc/PID/status read).
It loads the base with mmap (llama_model_load_from_file), makes a 512-token context as
slm's does, answers the same 4 prompts (4 tokens each, greedy) and reports the RSS added:

  raw-base      no adapters
  raw-4-idle    4 adapters loaded (llama_adapter_lora_init), never put on the context: their
                tensors alone (llama.cpp reads each file through a temporary buffer it frees)
  raw-4         4 adapters, prompt i under adapter i (llama_set_adapters_lora): each change
                makes llama.cpp re-reserve its compute graph at the next decode
  raw-4-fixed   raw-4 with glibc's mmap threshold fixed at the first adapter load, as slm does
                (slm.backends.lora.keep_large_blocks_apart, here with its own mallopt call)

Every variant hands the C heap's free pages back (malloc_trim) before its last reading, as
slm does once idle, so the figures compare what is held, not what glibc kept cached.

    python packaging/bench/lora_plain.py KIND BASE ADAPTER... (bench_lora.py runs it)
"""
from __future__ import annotations

import ctypes
import json
import sys
import time

from bench_lora import N_CTX, PROMPTS, own_memory

KINDS = ("raw-base", "raw-4-idle", "raw-4", "raw-4-fixed")
SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"  # SmolLM2's default
M_MMAP_THRESHOLD, THRESHOLD = -3, 1 << 20  # glibc's malloc.h; slm's value


def chatml(text: str) -> bytes:
    return (f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{text}<|im_end|>\n"
            "<|im_start|>assistant\n").encode()


def main(kind: str, base: str, adapters: list[str]) -> None:
    import llama_cpp as lib  # before the first reading: library code is not the model's memory

    quiet = lib.llama_log_callback(lambda level, text, data: None)  # kept referenced: llama.cpp holds it
    lib.llama_log_set(quiet, ctypes.c_void_p(0))
    lib.llama_backend_init()
    libc = ctypes.CDLL(None)

    def report(stage: str) -> None:
        print(json.dumps({"stage": stage, "kept_prompts": 0.0, **own_memory()}), flush=True)
        sys.stdin.readline()  # the parent reads /proc/PID/status now

    report("before")
    params = lib.llama_model_default_params()
    params.load_mode = lib.LLAMA_LOAD_MODE_MMAP
    model = lib.llama_model_load_from_file(base.encode(), params)
    cparams = lib.llama_context_default_params()
    cparams.n_ctx = cparams.n_batch = cparams.n_ubatch = N_CTX  # llama-cpp-python's n_batch 512, as slm runs it
    cparams.n_threads = cparams.n_threads_batch = 1
    cparams.flash_attn_type = lib.LLAMA_FLASH_ATTN_TYPE_DISABLED  # llama-cpp-python's default
    ctx = lib.llama_init_from_model(model, cparams)
    vocab = lib.llama_model_get_vocab(model)
    n_vocab = lib.llama_vocab_n_tokens(vocab)
    handles = []
    if kind != "raw-base":
        if kind == "raw-4-fixed":
            libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD)
        handles = [lib.llama_adapter_lora_init(model, path.encode()) for path in adapters]
        assert all(handles), "llama.cpp refused an adapter"
    tokens = (lib.llama_token * N_CTX)()
    for i, messages in enumerate(PROMPTS):
        if kind in ("raw-4", "raw-4-fixed"):
            chosen = (lib.llama_adapter_lora_p_ctypes * 1)(handles[i])
            assert lib.llama_set_adapters_lora(ctx, chosen, 1, (ctypes.c_float * 1)(1.0)) == 0
        lib.llama_memory_clear(lib.llama_get_memory(ctx), True)  # nothing evaluated before is reused
        prompt = chatml(messages[0]["content"])
        n = lib.llama_tokenize(vocab, prompt, len(prompt), tokens, N_CTX, True, True)
        assert lib.llama_decode(ctx, lib.llama_batch_get_one(tokens, n)) == 0
        for _ in range(3):  # 4 answer tokens, the last one sampled and not evaluated (as slm's max_tokens=4)
            logits = lib.llama_get_logits_ith(ctx, -1)
            token = (lib.llama_token * 1)(max(range(n_vocab), key=logits.__getitem__))
            assert lib.llama_decode(ctx, lib.llama_batch_get_one(token, 1)) == 0
    report("busy")
    time.sleep(1.5)  # every variant idles alike
    libc.malloc_trim(0)
    report("after")
    for handle in handles:
        lib.llama_adapter_lora_free(handle)
    lib.llama_free(ctx)
    lib.llama_model_free(model)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

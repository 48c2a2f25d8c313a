"""Tiny real models for slm's tests: ``from tinymodels import make_tiny_gguf, make_tiny_onnx``.

The generator lives in the package (``slm.testing.tinymodels``) so plugin authors'
tests (``slm.testing``) use the very same models; this module keeps the short
import name for slm's own tests.
"""
from slm.testing.tinymodels import (  # noqa: F401
    BOS_ID, CHATML_TEMPLATE, EOS_ID, IM_END_ID, IM_START_ID, UNK_ID, make_tiny_gguf, make_tiny_onnx,
    make_lora_gguf, tiny_onnx_weights, tiny_vocab, write_lora_gguf,
)

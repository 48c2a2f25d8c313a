"""slm.backends: models loaded in this process (llama.cpp for GGUF, onnxruntime for ONNX).

Open ``base.py`` first (the one interface both backends implement); ``llama.py`` and
``onnx.py`` implement it, ``cache.py`` keeps loaded models for reuse.
"""

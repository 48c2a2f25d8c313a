"""slm: an on-device small-model runtime.

Kept import-light on purpose: ``import slm`` must not pull in llama_cpp,
onnxruntime or numpy, so ``slm --help`` stays fast. Heavy names load lazily.
"""
from slm.version import __version__

__all__ = ["__version__", "Runtime", "AskResult", "errors"]


def __getattr__(name):  # PEP 562 lazy attributes
    if name in ("Runtime", "AskResult"):
        from slm import api

        return getattr(api, name)
    if name == "errors":
        import slm.errors as errors

        return errors
    raise AttributeError(f"module 'slm' has no attribute {name!r}")

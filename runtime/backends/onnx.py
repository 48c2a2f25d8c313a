"""onnxruntime backend: ONNX tensor models (classifiers, embedders, the router).

The execution provider is picked from what this onnxruntime build offers on
the device, best first, always ending with the CPU provider.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Mapping

from slm.backends.base import Backend, Signature, TensorSpec
from slm.errors import BackendError, CorruptModelError, ModelInputError

# Accelerated providers worth trying, best first; anything else needs set-up we don't do.
PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "CoreMLExecutionProvider", "DmlExecutionProvider",
                       "CPUExecutionProvider")

# onnxruntime type strings -> numpy dtype names
_DTYPES = {
    "tensor(float)": "float32", "tensor(double)": "float64", "tensor(float16)": "float16",
    "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(int16)": "int16", "tensor(int8)": "int8",
    "tensor(uint8)": "uint8", "tensor(uint16)": "uint16", "tensor(uint32)": "uint32",
    "tensor(uint64)": "uint64", "tensor(bool)": "bool", "tensor(string)": "object",
}


def pick_providers(available: list[str]) -> list[str]:
    """The providers to ask for, in onnxruntime's preference order."""
    picked = [p for p in PREFERRED_PROVIDERS if p in available]
    return picked if "CPUExecutionProvider" in picked else picked + ["CPUExecutionProvider"]


class OnnxBackend(Backend):
    format = "onnx"

    def __init__(self, path: Path, *, threads: int):
        super().__init__(path)
        import onnxruntime as ort

        if not self.path.is_file():
            raise BackendError(f"model file not found: {self.path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, int(threads))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: no provider chatter on stderr
        started = time.perf_counter()
        try:
            self.session = ort.InferenceSession(str(self.path), options,
                                                providers=pick_providers(ort.get_available_providers()))
        except Exception as exc:  # onnxruntime raises its own exception types for bad files
            raise CorruptModelError(f"onnxruntime could not load {self.path.name} ({_first_line(exc)})",
                                    hint="the file may be truncated or not an ONNX model") from None
        self.load_ms = (time.perf_counter() - started) * 1000.0
        self.providers = list(self.session.get_providers())
        self._signature = Signature(
            inputs=tuple(_spec(i) for i in self.session.get_inputs()),
            outputs=tuple(_spec(o) for o in self.session.get_outputs()),
        )

    def signature(self) -> Signature:
        return self._signature

    def run(self, inputs: Mapping[str, Any] | Any) -> dict[str, Any]:
        """Run the model; ``inputs`` maps input names to arrays (or is one array for a one-input model)."""
        import numpy as np

        specs = {s.name: s for s in self._signature.inputs}
        if not isinstance(inputs, Mapping):
            if len(specs) != 1:
                raise ModelInputError(f"{self.path.name} takes {len(specs)} inputs ({', '.join(specs)}); pass a dict")
            inputs = {next(iter(specs)): inputs}
        missing = [n for n in specs if n not in inputs]
        unknown = [n for n in inputs if n not in specs]
        if missing or unknown:
            raise ModelInputError(f"{self.path.name} inputs are {', '.join(specs)}"
                                  + (f"; missing {', '.join(missing)}" if missing else "")
                                  + (f"; unknown {', '.join(map(str, unknown))}" if unknown else ""))
        feed = {}
        for name, spec in specs.items():
            try:
                value = np.asarray(inputs[name], dtype=spec.dtype)
            except (TypeError, ValueError) as exc:
                raise ModelInputError(f"input {name} of {self.path.name} must be {spec.dtype}: {exc}") from None
            _check_shape(self.path.name, spec, value.shape)
            feed[name] = value
        self._acquire()
        try:
            outputs = self.session.run(None, feed)
        except Exception as exc:  # shape errors inside the graph, etc.
            raise ModelInputError(f"{self.path.name} rejected the input: {_first_line(exc)}") from None
        finally:
            self._release()
        return {spec.name: value for spec, value in zip(self._signature.outputs, outputs)}

    def _free(self) -> None:
        self.session = None  # onnxruntime frees the session with its last reference


def _first_line(exc: Exception) -> str:
    """onnxruntime's messages run to many lines; the first says what went wrong."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _spec(node: Any) -> TensorSpec:
    shape = tuple(d if isinstance(d, int) and d >= 0 else (d if isinstance(d, str) else None)
                  for d in (node.shape or ()))
    return TensorSpec(name=node.name, dtype=_DTYPES.get(node.type, node.type), shape=shape)


def _check_shape(model: str, spec: TensorSpec, shape: tuple[int, ...]) -> None:
    expected = "[" + ", ".join("?" if not isinstance(d, int) else str(d) for d in spec.shape) + "]"
    if len(shape) != len(spec.shape) or any(isinstance(d, int) and d != n for d, n in zip(spec.shape, shape)):
        raise ModelInputError(f"input {spec.name} of {model} must have shape {expected}, got {list(shape)}")

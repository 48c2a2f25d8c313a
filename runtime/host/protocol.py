"""What the host and a plugin worker process say to each other (slm.host.worker, worker_main).

Messages are tuples of plain values, pickled, framed by a 4-byte length (``Channel``)
over a socket pair (multiprocessing's Connection does the same, but importing it costs a
worker's start ~40 ms). The parent reads what
the worker sends with ``loads_from_worker``: an unpickler that builds only plain values
and numpy arrays (ONNX inputs), so nothing a plugin defines is ever constructed, or
run, in slm's own process. Exceptions cross as descriptions (``encode_error``); only
slm's typed errors and Python's built-in ones are rebuilt as themselves on the other
side, everything else arrives as a ``RemoteFailure`` carrying its type name, message and
the line it came from.

Parent -> worker: ("load", entry_point, sys_path, memory_bytes), ("run", prompt,
options, facts), ("reply", value) / ("raise", error) answering a ctx call,
("accepts", check, prompt, sys_path, memory_bytes), ("exit",).
Worker -> parent: ("hello", pid), ("loaded",), ("emit", text), ("log", level, text),
("call", name, args, kwargs), and one of ("done", text, data_json, cpu_s),
("error", error, cpu_s), ("bad", reason, cpu_s) to end a request; ("accepted", bool) or
("check_failed", "load" | "call", error) for an accepts check.
"""
from __future__ import annotations

import importlib
import io
import json
import os
import pickle
import select
from typing import Any

from slm.plugins.sdk import Result

# what pickle raises for a value it cannot send (a lambda, a lock, a socket, a deep structure)
UNSENDABLE = (TypeError, AttributeError, ValueError, pickle.PicklingError, RecursionError)
MAX_MESSAGE_BYTES = 256 << 20  # a worker sending more than this in one message has lost its way
_PLAIN = (str, int, float, bool, type(None), bytes)
# rebuilt as the real class on the other side (typed errors keep their meaning across)
_TYPED_MODULES = ("slm.errors", "slm.plugins.sdk", "slm.host.context")
_NUMPY_NAMES = {"_reconstruct", "ndarray", "dtype", "scalar", "_frombuffer"}
_SAFE_BUILTINS = {"set", "frozenset", "bytearray", "complex"}


class RemoteFailure(Exception):
    """An exception raised by plugin code in a worker, as its description (type, message, line)."""

    def __init__(self, type_name: str, message: str, origin: str = ""):
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name, self.message, self.origin = type_name, message, origin


class WorkerGone(Exception):
    """The worker process ended or broke the protocol; ``reason`` says how, in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Channel:
    """Length-framed messages over a socket's file descriptor (the API of multiprocessing's Connection)."""

    def __init__(self, fd: int):
        self._fd: int | None = fd

    def fileno(self) -> int:
        if self._fd is None:
            raise OSError("the channel is closed")
        return self._fd

    def send_bytes(self, data: bytes) -> None:
        view = memoryview(len(data).to_bytes(4, "big") + data)
        while view:
            view = view[os.write(self.fileno(), view):]

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        size = int.from_bytes(self._read(4), "big")
        if maxlength is not None and size > maxlength:
            raise OSError("message too long")
        return self._read(size)

    def poll(self, timeout: float) -> bool:
        return bool(select.select([self.fileno()], [], [], timeout)[0])

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def _read(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = os.read(self.fileno(), min(left, 1 << 20))
            if not chunk:
                raise EOFError("the other side closed the channel")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def dumps(message: tuple) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    """The worker's side: what the parent sends is trusted."""
    return pickle.loads(data)


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module == "numpy" or module.startswith("numpy.")) and name in _NUMPY_NAMES:
            return super().find_class(module, name)
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a plugin worker may not send {module}.{name} objects")


def loads_from_worker(data: bytes) -> Any:
    """The parent's side: plain values and numpy arrays only."""
    try:
        return _PlainUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # noqa: BLE001 - any damage in what a worker sent is its own fault
        raise WorkerGone(f"sent a message slm cannot read ({type(exc).__name__}: {exc})") from None


def origin(exc: BaseException) -> str:
    """' (at file.py:LINE)' of the innermost frame, to point plugin authors at the line."""
    import traceback  # only on a failure: it is a slow import for a worker's start

    if isinstance(exc, SyntaxError) and exc.filename:
        return f" (at {exc.filename.rsplit('/', 1)[-1]}:{exc.lineno})"
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {last.filename.rsplit('/', 1)[-1]}:{last.lineno})"


def _plain(value: Any) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return False


def encode_error(exc: BaseException) -> dict[str, Any]:
    cls = type(exc)
    out: dict[str, Any] = {"type": cls.__name__, "module": cls.__module__, "origin": origin(exc),
                           "message": " ".join(str(exc).split())}
    state = {k: v for k, v in vars(exc).items() if _plain(v)} if hasattr(exc, "__dict__") else {}
    if _plain(list(exc.args)):
        out["args"], out["state"] = list(exc.args), state
    return out


def decode_error(error: dict[str, Any], *, builtins: bool) -> BaseException:
    """The exception an encoded error stands for.

    slm's typed errors (and, with ``builtins``, Python's built-in exceptions) come back
    as themselves; anything else, or anything that cannot be rebuilt, as RemoteFailure.
    """
    module, name = str(error.get("module")), str(error.get("type"))
    if "args" in error and (module in _TYPED_MODULES or (builtins and module == "builtins")):
        try:
            cls = getattr(importlib.import_module(module), name)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                exc = cls.__new__(cls)
                exc.args = tuple(error["args"])
                if hasattr(exc, "__dict__"):
                    exc.__dict__.update(error.get("state") or {})
                return exc
        except (ImportError, AttributeError, TypeError):
            pass
    return RemoteFailure(name, str(error.get("message", "")), str(error.get("origin", "")))


def resolve_object(spec: str) -> Any:
    """The object "module:attr.path" names. This imports, i.e. runs, the module's code."""
    module_name, _, attr = spec.partition(":")
    obj: Any = importlib.import_module(module_name.strip())
    for part in attr.strip().split("."):
        obj = getattr(obj, part)
    return obj


def load_handler(entry_point: str) -> Any:
    """The object an entry point "module:attr" names, made an instance if it names a class;
    it must have handle(request, ctx)."""
    obj = resolve_object(entry_point)
    if isinstance(obj, type):  # an entry point may name the class instead of an instance
        obj = obj()
    if not callable(getattr(obj, "handle", None)):
        raise TypeError(f"{entry_point} has no handle(request, ctx) method")
    return obj


def as_result(value: Any) -> tuple[Result | None, str]:
    """(the plugin's answer as a Result, its data as JSON) or (None, why it is not an answer)."""
    if isinstance(value, str):
        value = Result(text=value)
    if not isinstance(value, Result):
        return None, f"handle() returned {type(value).__name__}, not slm.plugins.sdk.Result"
    if not isinstance(value.text, str):
        return None, f"Result.text is {type(value.text).__name__}, not str"
    try:
        return value, json.dumps(value.data)
    except (TypeError, ValueError, RecursionError) as exc:
        return None, f"Result.data is not JSON-serialisable ({exc})"

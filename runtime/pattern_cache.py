"""Compiled regular expressions kept from one process to the next.

Python compiles a pattern in pure Python (``re._parser`` then ``re._compiler``) the first
time a process uses it: calc's ~90 phrase patterns cost 70-90 ms of every `slm ask` that
reaches them, more than the arithmetic by far. What the compiler produces (the SRE code:
a list of ints, the group count and names) is plain data. This module keeps it in one
marshal file under ``SLM_HOME/cache`` and rebuilds the pattern from it with
``_sre.compile`` (what ``re.compile`` itself ends with), skipping parse and compile.

The file is keyed by the interpreter's exact version and the SRE engine's magic number
and checked by its sha256; ``_sre.compile`` validates the code it is given too. Anything
unexpected (another Python, a damaged file, a private API that moved) falls back to
``re.compile``: the cache can only make compiling faster, never change a pattern.

Without ``use(folder)`` (scripts, tests, a plugin imported on its own) nothing is stored.
New patterns are written once, at exit.
"""
from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
import threading
from pathlib import Path

try:  # the same steps re.compile takes, with their product kept (3.11+: re._parser / re._compiler)
    import _sre

    try:
        from re import _compiler as _sre_compiler
        from re import _parser as _sre_parser
    except ImportError:  # Python 3.10
        import sre_compile as _sre_compiler  # type: ignore[no-redef]
        import sre_parse as _sre_parser  # type: ignore[no-redef]
    _KEY = f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode()
except Exception:  # noqa: BLE001 - an interpreter without them: plain re.compile
    _sre = None
    _KEY = b""

FILE_NAME = "patterns.marshal"
_MAX_PATTERNS = 5000  # a bound on what one file holds (calc uses ~150)

_lock = threading.Lock()
_compiled: dict[tuple[str, int], re.Pattern] = {}
_parts: dict[tuple[str, int], tuple] = {}  # what the file holds (and will hold)
_state = {"path": None, "loaded": False, "dirty": False}


def use(folder: str | os.PathLike | None) -> None:
    """Keep compiled patterns in ``folder`` (None: stop keeping them)."""
    with _lock:
        path = None if folder is None else Path(folder) / FILE_NAME
        if path != _state["path"]:
            _state.update(path=path, loaded=False)


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # re.compile's drop-in
    """``re.compile(pattern, flags)``, from the stored compiler output when there is one."""
    key = (pattern, int(flags))
    hit = _compiled.get(key)
    if hit is not None:
        return hit
    with _lock:
        if _state["path"] is None or _sre is None or not isinstance(pattern, str):
            compiled = re.compile(pattern, flags)
        else:
            if not _state["loaded"]:
                _load()
            compiled = _from_parts(pattern, _parts.get(key))
            if compiled is None:
                parts = _compile_parts(pattern, int(flags))
                compiled = _from_parts(pattern, parts) if parts is not None else None
                if compiled is None:
                    compiled = re.compile(pattern, flags)
                elif len(_parts) < _MAX_PATTERNS:
                    _parts[key] = parts
                    _state["dirty"] = True
        _compiled[key] = compiled
        return compiled


def _compile_parts(pattern: str, flags: int) -> tuple | None:
    try:
        p = _sre_parser.parse(pattern, flags)
        code = _sre_compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        # plain ints (the compiler's opcodes are an int subclass, which marshal does not take)
        return (int(flags | p.state.flags), [int(c) for c in code], int(p.state.groups - 1),
                {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup))
    except Exception:  # noqa: BLE001 - a bad pattern: re.compile raises its own error
        return None


def _from_parts(pattern: str, parts: tuple | None) -> re.Pattern | None:
    if parts is None:
        return None
    try:
        flags, code, groups, groupindex, indexgroup = parts
        return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    except Exception:  # noqa: BLE001 - stored parts that no longer fit: compile afresh
        return None


def _load() -> None:
    _state["loaded"] = True
    path = _state["path"]
    try:
        blob = path.read_bytes()
    except OSError:
        return
    digest, key_len = blob[:32], int.from_bytes(blob[32:36], "little")
    body = blob[36:]
    if hashlib.sha256(body).digest() != digest or body[:key_len] != _KEY:
        return  # damaged, or written by another interpreter: rewritten at exit
    try:
        stored = marshal.loads(body[key_len:])
        for pattern, flags, parts in stored:
            _parts.setdefault((pattern, flags), tuple(parts))
    except Exception:  # noqa: BLE001 - unreadable: start empty
        _parts.clear()


def flush() -> None:
    """Write the patterns compiled since the file was read (at exit; atomic, best effort)."""
    with _lock:
        path = _state["path"]
        if not _state["dirty"] or path is None:
            return
        try:
            body = _KEY + marshal.dumps([(p, f, parts) for (p, f), parts in _parts.items()])
            blob = hashlib.sha256(body).digest() + len(_KEY).to_bytes(4, "little") + body
            from slm.atomic_file import write_atomic

            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, blob)
            _state["dirty"] = False
        except (OSError, ValueError):
            pass  # a read-only or full SLM_HOME: patterns are compiled again next time


atexit.register(flush)

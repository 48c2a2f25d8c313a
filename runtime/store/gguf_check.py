"""Validate model files without loading them, so a truncated or corrupt file
never reaches llama.cpp (which may crash or read garbage on one).

GGUF layout (v2/v3): magic ``GGUF``, uint32 version, uint64 tensor count,
uint64 metadata count, the metadata key/values, the tensor infos (name, dims,
ggml type, offset), padding to ``general.alignment``, then the tensor data.
We parse the whole header and check that every tensor's bytes lie inside the
file: a download cut short fails that check even when its header is intact.
The header is read through a memory map and vocabulary arrays are skipped by
their declared lengths, so a 150k-token vocabulary costs milliseconds; the
store keeps the verdict per (device, inode, size, mtime), see ``CheckCache``.
"""
from __future__ import annotations

import json
import mmap
import os
import stat
import struct
from dataclasses import asdict, dataclass
from pathlib import Path

from slm.atomic_file import write_atomic
from slm.errors import CorruptModelError

GGUF_MAGIC = b"GGUF"
_MAX_STRING = 1 << 26  # 64 MiB: no real key, value or tensor name is longer
_MAX_DIMS = 8
_MAX_COUNT = 1 << 40

# ggml type id -> (elements per block, bytes per block); the same table as gguf-py's GGML_QUANT_SIZES.
GGML_BLOCKS: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 40),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82),
    23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
    34: (256, 54), 35: (256, 66), 39: (32, 17), 40: (64, 36), 41: (128, 18),
}

# metadata value type -> struct format of a scalar (8 string, 9 array handled apart)
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_KEEP_KEYS_SUFFIX = (".context_length",)
_KEEP_KEYS = ("general.architecture", "general.alignment", "general.name", "general.file_type", "general.type")


@dataclass(frozen=True)
class GGUFInfo:
    version: int
    tensor_count: int
    kv_count: int
    architecture: str | None
    name: str | None
    context_length: int | None
    alignment: int
    data_offset: int  # where tensor data starts
    data_end: int  # end of the last tensor's bytes
    file_size: int
    kind: str = "model"  # general.type: "model", or "adapter" for a LoRA adapter (slm.store.adapter_check)


@dataclass(frozen=True)
class GGUFHeader:
    """A checked file's header in full: what adapter checks need beyond GGUFInfo."""

    info: GGUFInfo
    metadata: dict  # the kept keys' values
    tensors: dict  # name -> (dims in ggml order: ne0 first, ggml type id)


class _Truncated(Exception):
    pass


_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")
_STRUCTS = {fmt: struct.Struct(fmt) for fmt in set(_SCALARS.values())}


class _Reader:
    """Reads the header straight out of a memory map: only the pages it touches are read.

    Offsets are checked against the file size; running past the end raises _Truncated.
    """

    def __init__(self, buf, size: int):
        self.buf, self.size, self.pos = buf, size, 0

    def tell(self) -> int:
        return self.pos

    def read(self, n: int) -> bytes:
        end = self.pos + n
        if end > self.size:
            raise _Truncated()
        data = self.buf[self.pos:end]
        self.pos = end
        return data

    def skip(self, n: int) -> None:
        if self.pos + n > self.size:
            raise _Truncated()
        self.pos += n

    def unpack(self, fmt: str):
        return self.unpack_struct(_STRUCTS.get(fmt) or struct.Struct(fmt))

    def unpack_struct(self, st: struct.Struct):
        if self.pos + st.size > self.size:
            raise _Truncated()
        value = st.unpack_from(self.buf, self.pos)[0]
        self.pos += st.size
        return value

    def string(self) -> bytes:
        n = self.unpack_struct(_U64)
        if n > _MAX_STRING:
            raise ValueError(f"string length {n} is implausible")
        return self.read(n)

    def skip_strings(self, count: int) -> None:
        """Skip ``count`` length-prefixed strings (a vocabulary: 50k-150k of them).

        This loop is the whole cost of checking a big-vocabulary file, so it does the
        least per string: one unpack and an add. A bogus length needs no check of its
        own: it moves the position past the end, where the next unpack (or the final
        check) fails as truncated. Nothing is allocated from a length read off the file.
        """
        if count >= _BULK_MIN:
            pos = skip_strings_bulk(self.buf, self.size, self.pos, count)
        else:
            pos = _skip_strings_one_by_one(self.buf, self.pos, count)
        if pos > self.size:
            raise _Truncated()
        self.pos = pos


def _skip_strings_one_by_one(buf, pos: int, count: int) -> int:
    unpack_from = _U64.unpack_from
    try:
        for _ in range(count):
            pos += 8 + unpack_from(buf, pos)[0]
    except (struct.error, OverflowError):  # past the end, or past any file size at all
        raise _Truncated() from None
    return pos


_BULK_MIN = 20_000  # below this the loop above is faster than importing numpy
_WINDOW = 1 << 20


def skip_strings_bulk(buf, size: int, pos: int, count: int) -> int:
    """Where ``count`` length-prefixed strings starting at ``pos`` end: the same answer as the
    one-by-one walk (and the same _Truncated), in a few numpy passes per MiB instead of a
    Python step per string (a 151k-token vocabulary plus its 151k merges: ~65 ms -> a few).

    A vocabulary string is short, so its uint64 length is one byte and seven zero bytes.
    Per window: every offset whose next seven bytes are zero is a candidate start; the
    candidates' successors (offset + 8 + that byte) are compared with the next candidate
    all at once, and each run where they agree is one string after another. A run ends
    at a string of 256 bytes or more (taken one by one), at a candidate that is no string
    start (seven zeros inside a string: skipped by looking the true successor up), or at
    the window's end (the next window starts where the run stopped). Past the end of the
    file it returns a position past ``size``: it never raises, so no traceback keeps a view
    of the memory map alive while the map closes.
    """
    import numpy as np

    data = np.frombuffer(buf, dtype=np.uint8, count=size)
    done, first = 0, pos
    while done < count:
        if pos + 8 > size:
            return size + 1  # truncated: the caller raises (no frame here may outlive the map)
        # no window much past the strings' expected end: what follows them (tensor data, often
        # long runs of zeros) would be all candidates
        per_string = max(16.0, 1.25 * (pos - first) / done) if done else 64.0
        end = min(size, pos + min(_WINDOW, int((count - done) * per_string) + 4096))
        seg = data[pos:end]
        zero = seg == 0
        two = zero[:-1] & zero[1:]  # zero at i and i+1
        four = two[:-2] & two[2:]  # i..i+3
        seven = four[:-3] & four[3:]  # i..i+6: three passes instead of six
        cand = np.flatnonzero(seven[1:])  # offsets whose next seven bytes are zero; never the last 7
        after = cand + 8 + seg[cand]  # where the next string starts, if cand is a string start
        bad = np.flatnonzero(after[:-1] != cand[1:])  # a run can only continue from i to i+1 elsewhere
        at, here = 0, 0  # offset into seg of the current string; its index in cand
        while done < count:
            here = int(np.searchsorted(cand, at))
            if here == len(cand) or cand[here] != at:
                if at + 8 > len(seg) - 7 and end < size:
                    break  # too near the window's end to tell: the next window starts here
                length = _U64.unpack_from(buf, pos + at)[0] if pos + at + 8 <= size else None
                if length is None:
                    return size + 1  # truncated: the caller raises (no frame here may outlive the map)
                at += 8 + length  # a long (or bogus) string: this one alone, one by one
                done += 1
                if pos + at > size:
                    return size + 1  # truncated: the caller raises (no frame here may outlive the map)
                if at >= len(seg) - 7:
                    break
                continue
            stop = int(bad[np.searchsorted(bad, here)]) if len(bad) and bad[-1] >= here else len(cand) - 1
            run = stop - here + 1
            if done + run >= count:
                return pos + int(after[here + (count - done) - 1])
            done += run
            at = int(after[stop])
            if at >= len(seg) - 7:
                break
        pos += at
    return pos


def _value(r: _Reader, vtype: int, keep: bool):
    if vtype in _SCALARS:
        value = r.unpack(_SCALARS[vtype])
        return value if keep else None
    if vtype == _STRING:
        if keep:
            return r.string().decode("utf-8", errors="replace")
        r.skip_strings(1)
        return None
    if vtype == _ARRAY:
        etype, count = r.unpack_struct(_U32), r.unpack_struct(_U64)
        if count > _MAX_COUNT:
            raise ValueError(f"array length {count} is implausible")
        if etype in _SCALARS:
            r.skip(_STRUCTS[_SCALARS[etype]].size * count)
        elif etype == _STRING:
            r.skip_strings(count)
        elif etype == _ARRAY:
            for _ in range(count):
                _value(r, _ARRAY, False)
        else:
            raise ValueError(f"unknown array element type {etype}")
        return None
    raise ValueError(f"unknown metadata value type {vtype}")


def check_gguf(path: Path) -> GGUFInfo:
    """Parse and check a GGUF file; CorruptModelError (one clear line) if it is not sound."""
    return read_header(path).info


def read_header(path: Path, keys: tuple[str, ...] = ()) -> GGUFHeader:
    """check_gguf, also returning the metadata ``keys`` and every tensor's shape and type."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise CorruptModelError(f"{path} is not a regular file")
            size = st.st_size
            if size == 0:
                raise _Truncated("the file is empty")
            with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as buf:
                return _parse(_Reader(buf, size), size, keys)
        finally:
            os.close(fd)
    except _Truncated as exc:
        raise CorruptModelError(f"{path.name} is truncated ({str(exc) or 'its GGUF header ends early'})",
                                hint="pull it again or run: slm models verify") from None
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise CorruptModelError(f"{path.name} is not a valid GGUF file ({exc})",
                                hint="pull it again or run: slm models verify") from None
    except OSError as exc:
        raise CorruptModelError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse(r: _Reader, size: int, keys: tuple[str, ...] = ()) -> GGUFHeader:
    magic = r.read(4)
    if magic != GGUF_MAGIC:
        raise ValueError("no GGUF magic at the start of the file")
    version = r.unpack("<I")
    if version not in (2, 3):
        raise ValueError(f"unsupported GGUF version {version}")
    n_tensors, n_kv = r.unpack("<Q"), r.unpack("<Q")
    if n_tensors > _MAX_COUNT or n_kv > _MAX_COUNT:
        raise ValueError("implausible tensor or metadata count")
    kept: dict[str, object] = {}
    for _ in range(n_kv):
        key = r.string().decode("utf-8")
        vtype = r.unpack("<I")
        keep = key in _KEEP_KEYS or key.endswith(_KEEP_KEYS_SUFFIX) or key in keys
        value = _value(r, vtype, keep)
        if keep:
            kept[key] = value
    tensors = []
    for _ in range(n_tensors):
        name = r.string()
        n_dims = r.unpack("<I")
        if n_dims > _MAX_DIMS:
            raise ValueError(f"tensor {name[:40]!r} has {n_dims} dimensions")
        dims = [r.unpack("<Q") for _ in range(n_dims)]
        ggml_type, offset = r.unpack("<I"), r.unpack("<Q")
        tensors.append((name, dims, ggml_type, offset))
    alignment = kept.get("general.alignment", 32)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise ValueError(f"bad general.alignment {alignment!r}")
    header_end = r.tell()
    data_offset = -(-header_end // alignment) * alignment
    data_end = data_offset
    for name, dims, ggml_type, offset in tensors:
        if offset % alignment:
            raise ValueError(f"tensor {name[:40]!r} is not aligned")
        n_elements = 1
        for d in dims:
            n_elements *= d
        block = GGML_BLOCKS.get(ggml_type)
        # Unknown (newer) types: we can still check the tensor starts inside the file.
        nbytes = (n_elements // block[0]) * block[1] if block else 1
        data_end = max(data_end, data_offset + offset + nbytes)
    if data_end > size:
        raise _Truncated(f"its tensor data needs {data_end} bytes, the file has {size}")
    arch = kept.get("general.architecture")
    ctx = kept.get(f"{arch}.context_length") if isinstance(arch, str) else None
    name = kept.get("general.name")
    kind = kept.get("general.type")
    info = GGUFInfo(version=version, tensor_count=n_tensors, kv_count=n_kv,
                    architecture=arch if isinstance(arch, str) else None, name=name if isinstance(name, str) else None,
                    context_length=int(ctx) if isinstance(ctx, int) else None, alignment=alignment,
                    data_offset=data_offset, data_end=data_end, file_size=size,
                    kind=kind if isinstance(kind, str) and kind else "model")
    shapes = {n.decode("utf-8", errors="replace"): (tuple(dims), t) for n, dims, t, _off in tensors}
    return GGUFHeader(info=info, metadata=kept, tensors=shapes)


def check_onnx(path: Path) -> None:
    """Cheap sanity check of an ONNX file (a protobuf ModelProto) without importing onnx."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
    except OSError as exc:
        raise CorruptModelError(f"cannot read {path}: {exc.strerror or exc}") from None
    # ModelProto's first field is ir_version (field 1, varint): tag byte 0x08.
    if len(head) < 2 or head[0] != 0x08:
        raise CorruptModelError(f"{path.name} is not an ONNX model file", hint="pull it again or run: slm models verify")


class CheckCache:
    """Verdicts of past GGUF checks, so an unchanged file is walked once, not per process.

    Keyed by the file's (device, inode, size, mtime, ctime): any write, replacement or
    truncation changes the key, and ctime cannot be set back by a tool that restores
    mtime. Only passing verdicts are kept (a failing file raises every time). The file is
    small JSON under SLM_HOME/cache, bounded to ``MAX_ENTRIES``, written atomically; an
    unreadable or damaged cache is treated as empty, never as a verdict.
    """

    MAX_ENTRIES = 256
    VERSION = 2  # 2: GGUFInfo.kind (model / adapter)

    def __init__(self, path: Path):
        self.path = Path(path)

    @staticmethod
    def key(path: Path) -> str:
        st = os.stat(path)
        return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"

    def _load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> GGUFInfo | None:
        raw = self._load().get(key)
        if not isinstance(raw, dict):
            return None
        try:
            return GGUFInfo(**raw)
        except TypeError:  # written by another version of this class
            return None

    def get_raw(self, key: str) -> dict | None:
        """A verdict other checks keep here (slm.store.adapter_check: adapter-fits-base pairs)."""
        raw = self._load().get(key)
        return raw if isinstance(raw, dict) else None

    def put(self, key: str, info: GGUFInfo) -> None:
        self.put_raw(key, asdict(info))

    def put_raw(self, key: str, value: dict) -> None:
        entries = self._load()
        entries.pop(key, None)
        entries[key] = value
        while len(entries) > self.MAX_ENTRIES:  # dicts keep insertion order: oldest first
            entries.pop(next(iter(entries)))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps({"version": self.VERSION, "entries": entries}))
        except OSError:
            pass  # a read-only home only costs the next process another walk


def check_model_file(path: Path, fmt: str, *, cache: CheckCache | None = None) -> GGUFInfo | None:
    """Structural check for a model file of format ``fmt``; GGUFInfo for GGUF files.

    With ``cache``, a GGUF file unchanged since it last passed is not parsed again.
    """
    if fmt == "gguf":
        if cache is None:
            return check_gguf(path)
        try:
            key = CheckCache.key(path)
        except OSError:
            return check_gguf(path)  # raises the one-line error for a missing/unreadable file
        info = cache.get(key)
        if info is None:
            info = check_gguf(path)
            cache.put(key, info)
        return info
    if fmt == "onnx":
        check_onnx(path)
        return None
    raise CorruptModelError(f"{Path(path).name}: unknown model format {fmt!r}")

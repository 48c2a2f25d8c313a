"""Validate model files without loading them, so a truncated or corrupt file
never reaches llama.cpp (which may crash or read garbage on one).

GGUF layout (v2/v3): magic ``GGUF``, uint32 version, uint64 tensor count,
uint64 metadata count, the metadata key/values, the tensor infos (name, dims,
ggml type, offset), padding to ``general.alignment``, then the tensor data.
We parse the whole header and check that every tensor's bytes lie inside the
file: a download cut short fails that check even when its header is intact.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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
_KEEP_KEYS = ("general.architecture", "general.alignment", "general.name", "general.file_type")


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


class _Truncated(Exception):
    pass


class _Reader:
    def __init__(self, fh: BinaryIO, size: int):
        self.fh, self.size = fh, size

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise _Truncated()
        return data

    def skip(self, n: int) -> None:
        pos = self.fh.tell() + n
        if pos > self.size:
            raise _Truncated()
        self.fh.seek(pos)

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> bytes:
        n = self.unpack("<Q")
        if n > _MAX_STRING:
            raise ValueError(f"string length {n} is implausible")
        return self.read(n)

    def skip_string(self) -> None:
        n = self.unpack("<Q")
        if n > _MAX_STRING:
            raise ValueError(f"string length {n} is implausible")
        self.skip(n)


def _value(r: _Reader, vtype: int, keep: bool):
    if vtype in _SCALARS:
        value = r.unpack(_SCALARS[vtype])
        return value if keep else None
    if vtype == _STRING:
        if keep:
            return r.string().decode("utf-8", errors="replace")
        r.skip_string()
        return None
    if vtype == _ARRAY:
        etype, count = r.unpack("<I"), r.unpack("<Q")
        if count > _MAX_COUNT:
            raise ValueError(f"array length {count} is implausible")
        if etype in _SCALARS:
            r.skip(struct.calcsize(_SCALARS[etype]) * count)
        elif etype == _STRING:
            for _ in range(count):
                r.skip_string()
        elif etype == _ARRAY:
            for _ in range(count):
                _value(r, _ARRAY, False)
        else:
            raise ValueError(f"unknown array element type {etype}")
        return None
    raise ValueError(f"unknown metadata value type {vtype}")


def check_gguf(path: Path) -> GGUFInfo:
    """Parse and check a GGUF file; CorruptModelError (one clear line) if it is not sound."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            return _parse(_Reader(fh, size), size)
    except _Truncated as exc:
        raise CorruptModelError(f"{path.name} is truncated ({str(exc) or 'its GGUF header ends early'})",
                                hint="pull it again or run: slm models verify") from None
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise CorruptModelError(f"{path.name} is not a valid GGUF file ({exc})",
                                hint="pull it again or run: slm models verify") from None
    except OSError as exc:
        raise CorruptModelError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse(r: _Reader, size: int) -> GGUFInfo:
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
        keep = key in _KEEP_KEYS or key.endswith(_KEEP_KEYS_SUFFIX)
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
    header_end = r.fh.tell()
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
    return GGUFInfo(version=version, tensor_count=n_tensors, kv_count=n_kv,
                    architecture=arch if isinstance(arch, str) else None, name=name if isinstance(name, str) else None,
                    context_length=int(ctx) if isinstance(ctx, int) else None, alignment=alignment,
                    data_offset=data_offset, data_end=data_end, file_size=size)


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


def check_model_file(path: Path, fmt: str) -> GGUFInfo | None:
    """Structural check for a model file of format ``fmt``; GGUFInfo for GGUF files."""
    if fmt == "gguf":
        return check_gguf(path)
    if fmt == "onnx":
        check_onnx(path)
        return None
    raise CorruptModelError(f"{Path(path).name}: unknown model format {fmt!r}")

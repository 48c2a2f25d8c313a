"""Which file a path names, and which version of it: (device, inode, mtime, size).

Two paths to one file share an identity; a file replaced (new inode) or rewritten (new
mtime or size) gets a new one. One ``stat``, no ``realpath``. The model cache keys loaded
models by it, the LoRA backend its loaded adapters, the runtime the adapter/base pairs it
has checked. (The store's persistent verdict cache, slm.store.gguf_check.CheckCache, adds
the ctime: a tool that restores an mtime cannot set a ctime back.)
"""
from __future__ import annotations

import os
from pathlib import Path

FileIdentity = tuple[int, int, int, int]  # st_dev, st_ino, st_mtime_ns, st_size


def file_identity(path: str | Path) -> FileIdentity:
    """Raises OSError (each caller turns it into its own typed error)."""
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size

"""Remembering broken plugins across runs.

A plugin that failed to import, raised, or ran past its time limit is written
to a small JSON file under SLM_HOME with the reason and a fingerprint of its
version and files. `slm plugins list` shows it as broken, and it is not run or
routed to, until the fingerprint changes (the plugin was fixed, upgraded or
reinstalled) or the user clears it (`slm plugins reset NAME`).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from slm.atomic_file import write_atomic
from slm.plugins.sdk import PluginInfo

_MAX_FILES = 2000  # a plugin folder bigger than this is fingerprinted by its first files only


def fingerprint(info: PluginInfo) -> str:
    """Changes when the plugin's version or any file in its folder changes."""
    h = hashlib.sha256(f"{info.name}\0{info.version}\0{info.entry_point}".encode())
    if info.root is not None and Path(info.root).is_dir():
        count = 0
        for dirpath, dirnames, filenames in os.walk(info.root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for fname in sorted(filenames):
                if fname.endswith((".pyc", ".pyo")):
                    continue
                path = Path(dirpath) / fname
                try:
                    st = path.stat()
                except OSError:
                    continue
                h.update(f"{path.relative_to(info.root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
                count += 1
                if count >= _MAX_FILES:
                    return h.hexdigest()[:16]
    return h.hexdigest()[:16]


class Quarantine:
    def __init__(self, path: Path):
        self.path = Path(path)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # missing or damaged: nothing is quarantined (it is only a cache of failures)
        return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}

    def _write(self, data: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))  # readers never see half

    def _locked(self):
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock", timeout=10)

    def reason(self, info: PluginInfo) -> str | None:
        """The recorded failure, if it still applies to the plugin as installed now."""
        entry = self._read().get(info.name)
        if not entry:
            return None
        if entry.get("fingerprint") != fingerprint(info):
            return None  # the plugin changed since it failed: give it another chance
        return str(entry.get("reason") or "failed")

    def add(self, info: PluginInfo, reason: str) -> None:
        with self._locked():
            data = self._read()
            data[info.name] = {"reason": reason, "version": info.version, "fingerprint": fingerprint(info),
                               "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            self._write(data)

    def clear(self, name: str | None = None) -> list[str]:
        """Forget failures (of one plugin, or all); returns the names cleared."""
        if not self.path.exists():
            return []
        with self._locked():
            data = self._read()
            names = [n for n in data if name is None or n == name]
            for n in names:
                del data[n]
            if names:
                self._write(data)
            return sorted(names)

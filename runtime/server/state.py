"""The small file that says a server runs for this SLM_HOME: ``$SLM_HOME/server.json``.

`slm ask` finds the server through it (no port scan): the address, the token
(the file is private to the user, mode 0600), the server's pid, a fingerprint
of the settings that change answers, and the digest of what its settings were
built from (slm.settings_inputs), which the quick client compares. A client whose own settings
differ (another SLM_PLUGIN_*_MODEL in its shell, say) runs in-process instead,
so the server never answers with a configuration the caller did not ask for.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slm.atomic_file import write_atomic
from slm.server.locate import STATE_NAME, alive

# Settings that shape how the server serves, not what an answer says.
_SERVING = {"use_server", "server_host", "server_port", "server_token", "server_cors_origins", "keep_alive_s",
            "num_parallel", "max_queue", "model_idle_timeout_s", "max_loaded_models", "max_loaded_ram_mb",
            "log_level", "config_file"}


@dataclass(frozen=True)
class ServerInfo:
    url: str
    host: str
    port: int
    pid: int
    token: str | None
    fingerprint: str
    started: float
    version: str
    inputs: str | None = None  # slm.settings_inputs digest: a client with the same may skip loading settings


def state_path(home: Path) -> Path:
    return Path(home) / STATE_NAME


def fingerprint(settings: Any) -> str:
    from slm.config import describe

    rows = [(r["name"], r["value"]) for r in describe(settings) if r["name"] not in _SERVING]
    # secrets show as "(set)" in describe(); their values matter to answers only through the cloud
    rows += [("cloud_api_key", hashlib.sha256((settings.cloud_api_key or "").encode()).hexdigest())]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:32]


def write(home: Path, *, host: str, port: int, token: str | None, settings: Any) -> Path:
    from slm.version import __version__

    path = state_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    shown = f"[{host}]" if ":" in host else host
    connect = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else shown
    data = {"url": f"http://{connect}:{port}", "host": host, "port": port, "pid": os.getpid(), "token": token,
            "fingerprint": fingerprint(settings), "started": time.time(), "version": __version__,
            # a server its own settings say not to use offers no quick path (the full client decides)
            # nor one whose model settings name files relative to its directory: a client elsewhere
            # with the same config would be answered from other files (the full client checks its own)
            "inputs": settings.inputs_digest if settings.use_server and not _may_name_relative_files(settings) else None}
    write_atomic(path, json.dumps(data), mode=0o600)  # it holds the token
    return path


def _may_name_relative_files(settings: Any) -> bool:
    """Whether a model setting could be a path relative to some directory ("m.gguf", "models/x"):
    the quick client cannot tell without the settings, so such a server offers it no quick path
    (a hub name ORG/REPO/FILE.gguf loses it too; only speed is lost)."""
    names = [settings.general_model, *settings.plugin_models.values()]
    return any(isinstance(n, str) and not os.path.isabs(n) and ("/" in n or os.sep in n or n.endswith((".gguf", ".onnx")))
               for n in names)


def read(home: Path) -> ServerInfo | None:
    """The running server's facts, or None (no file, a damaged one, or its process is gone)."""
    try:
        data = json.loads(state_path(home).read_text(encoding="utf-8"))
        info = ServerInfo(url=str(data["url"]), host=str(data["host"]), port=int(data["port"]), pid=int(data["pid"]),
                          token=data.get("token"), fingerprint=str(data["fingerprint"]),
                          started=float(data["started"]), version=str(data["version"]),
                          inputs=data.get("inputs") if isinstance(data.get("inputs"), str) else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info if alive(info.pid) else None


def remove(home: Path) -> None:
    """Remove the file if this process wrote it (a newer server's file stays)."""
    path = state_path(home)
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError, AttributeError):
        pass

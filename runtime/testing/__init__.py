"""slm.testing: the test kit for plugin authors.

    from slm import testing

    run = testing.run_plugin("myplugin", "some prompt", model=testing.tiny_gguf(), home=tmp_path)
    assert run.result.data["..."] ...
    testing.assert_routes("myplugin", home=tmp_path)   # held-out examples route back to it

Everything runs on the device: ``tiny_gguf`` writes a small random-weight
model (the ``gguf`` package is needed), so a plugin's tests need no download.
A plugin is named by its installed name (entry point) or by the path of its
package folder (the folder holding plugin.toml and an ``__init__.py`` that
defines ``plugin``). The tiny-model writer beside this kit is ``tinymodels.py``.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slm.config import Settings, load_settings
from slm.errors import PluginBrokenError, PluginNotFoundError
from slm.host.host import PluginHost, PluginRun
from slm.host.meta import read_plugin_toml
from slm.plugins.sdk import PluginInfo, Request
from slm.testing.tinymodels import make_tiny_gguf, make_tiny_onnx

__all__ = [
    "RouterUnavailable",
    "RoutingReport",
    "assert_routes",
    "check_routing",
    "load_info",
    "make_tiny_gguf",
    "make_tiny_onnx",
    "run_plugin",
    "settings_for",
    "tiny_gguf",
]


class RouterUnavailable(RuntimeError):
    """This slm has no router (slm.router.Router), so routing cannot be checked."""


def tiny_gguf(path: str | os.PathLike | None = None, **options: Any) -> Path:
    """A tiny random-weight chat GGUF. Without ``path`` it is built once per machine and reused."""
    if path is not None:
        return make_tiny_gguf(path, **options)
    import slm.testing.tinymodels

    # keyed by the options and the generator's own source, so a changed generator never reuses a stale file
    source = Path(slm.testing.tinymodels.__file__).read_bytes()
    key = hashlib.sha256(json.dumps(options, sort_keys=True).encode() + source).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"slm-testing-{_uid()}" / f"tiny-{key}.gguf"
    if not target.is_file():
        make_tiny_gguf(target, **options)  # written to a temp name and renamed: safe with parallel tests
    return target


def settings_for(home: str | os.PathLike | None = None, *, config: Mapping[str, Any] | None = None,
                 plugin: str | None = None, **overrides: Any) -> Settings:
    """Settings for a test: a private SLM_HOME (a new temp folder if None), no user environment."""
    home = Path(home) if home is not None else Path(tempfile.mkdtemp(prefix="slm-test-home-"))
    settings = load_settings(env={}, home=home, **overrides)
    if config is not None and plugin is not None:
        settings = settings.with_(plugin_config={**settings.plugin_config, plugin: dict(config)})
    return settings


def load_info(plugin: str | os.PathLike) -> PluginInfo:
    """Metadata of an installed plugin (by name) or of a plugin package folder (by path)."""
    folder = _as_folder(plugin)
    if folder is not None:
        return read_plugin_toml(folder, entry_point=f"{folder.name}:plugin")
    # Metadata only: this host writes nothing, so a shared scratch home is fine.
    host = PluginHost(settings_for(Path(tempfile.gettempdir()) / f"slm-testing-{_uid()}" / "home"))
    info = host.get_info(str(plugin))
    problem = host.problem(info.name)  # bad metadata (nothing is quarantined in this home)
    if problem:
        raise PluginBrokenError(f"plugin {info.name} is broken: {problem}")
    return info


def run_plugin(plugin: str | os.PathLike, prompt: str, *, model: str | os.PathLike | None = None,
               options: Mapping[str, Any] | None = None, home: str | os.PathLike | None = None,
               config: Mapping[str, Any] | None = None, emit: Callable[[str], None] | None = None,
               timeout_s: float | None = None, runtime: Any = None) -> PluginRun:
    """Run one request through the real PluginHost (the same code path as ``slm ask --plugin``).

    ``model`` overrides the plugin's declared model (e.g. ``tiny_gguf()``);
    ``config`` is the plugin's [plugins.NAME] table. Errors are slm's own:
    PluginBrokenError for a plugin that raises or times out, ModelNotPresentError, ...
    """
    info = load_info(plugin)
    folder = _as_folder(plugin)
    if folder is not None and str(folder.parent) not in sys.path:
        sys.path.insert(0, str(folder.parent))  # so "<folder>:plugin" imports
    overrides = {"plugin_timeout_s": float(timeout_s)} if timeout_s else {}
    settings = settings_for(home, config=config, plugin=info.name, **overrides)
    request_options = dict(options or {})
    if model is not None:
        request_options["model"] = str(model)
    own_runtime = runtime is None
    if own_runtime:
        from slm.api import Runtime

        runtime = Runtime(settings)
    try:
        host = PluginHost(settings, runtime, plugins=[info])
        return host.run(info.name, Request(prompt=prompt, options=request_options), emit=emit or (lambda _t: None))
    finally:
        if own_runtime:
            runtime.close()


@dataclass
class RoutingReport:
    plugin: str
    total: int
    correct: int
    misrouted: list[tuple[str, str | None]] = field(default_factory=list)  # (prompt, plugin it went to)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def check_routing(plugin: str | os.PathLike, prompts: Sequence[str] | None = None, *,
                  home: str | os.PathLike | None = None, folds: int = 3) -> RoutingReport:
    """How many prompts the router sends to ``plugin``, among the other installed, healthy plugins.

    With ``prompts`` (a labelled set kept apart from plugin.toml's examples) the
    router is trained once on every plugin's examples and routes them. Without,
    a k-fold check: train without each fold of the plugin's own examples and
    route that fold (``folds`` trainings of a few seconds each).
    """
    try:
        from slm.router import Router
    except ImportError:
        raise RouterUnavailable("slm.router.Router is not available in this slm; cannot check routing") from None
    info = load_info(plugin)
    settings = settings_for(home)
    installed = PluginHost(settings)
    others = [installed.get_info(n) for n in installed.route_examples() if n != info.name]
    examples = list(info.examples)
    if prompts is not None:
        rounds = [(examples, [str(p) for p in prompts])]
    else:
        folds = max(2, min(folds, len(examples)))
        rounds = [([e for i, e in enumerate(examples) if i % folds != k], examples[k::folds]) for k in range(folds)]
    report = RoutingReport(plugin=info.name, total=0, correct=0)
    for train, held in rounds:
        # a host given exactly these plugins is the router's examples provider, as in slm itself
        trained_on = PluginHost(settings, plugins=[*others, replace(info, examples=tuple(train))])
        router = Router(settings, examples_provider=trained_on)
        for prompt, decision in zip(held, router.route_many(held)):
            report.total += 1
            if decision.plugin == info.name:
                report.correct += 1
            else:
                report.misrouted.append((prompt, decision.plugin))
    return report


def assert_routes(plugin: str | os.PathLike, prompts: Sequence[str] | None = None, *, min_accuracy: float = 0.8,
                  home: str | os.PathLike | None = None, folds: int = 3) -> RoutingReport:
    """Fail (AssertionError listing the misrouted prompts) when routing accuracy < ``min_accuracy``.

    Without a router in this slm, the check is skipped under pytest (with the
    reason) and raises RouterUnavailable elsewhere.
    """
    try:
        report = check_routing(plugin, prompts, home=home, folds=folds)
    except RouterUnavailable as exc:
        if "pytest" in sys.modules:
            import pytest

            pytest.skip(str(exc))
        raise
    if report.accuracy < min_accuracy:
        lines = "\n".join(f"  {p!r} -> {got}" for p, got in report.misrouted)
        raise AssertionError(f"{report.correct}/{report.total} prompts for {report.plugin} routed to it "
                             f"({report.accuracy:.0%} < {min_accuracy:.0%}); misrouted:\n{lines}")
    return report


def _as_folder(plugin: str | os.PathLike) -> Path | None:
    if isinstance(plugin, os.PathLike) or (isinstance(plugin, str) and (os.sep in plugin or plugin.startswith("."))):
        folder = Path(plugin)
        if not (folder / "plugin.toml").is_file():
            raise PluginNotFoundError(f"no plugin.toml in {folder}")
        return folder.resolve()
    return None


def _uid() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name available
        return "user"

"""PluginHost: discovers plugins, serves their metadata, and runs them in isolation.

Metadata comes from plugin.toml (``slm.host.discovery``) and never imports
plugin code. Code is imported only to run a plugin, from a thread with a time
limit: a built-in in this process, a third-party plugin in a worker process
(``slm.host.worker``: its output captured, its memory limited, killed at the
limit, its crash contained). A plugin that fails to import, raises (SystemExit
and KeyboardInterrupt too), crashes its worker, leaves processes behind,
returns something that is not a result, or runs past its limit is reported in one line
(PluginBrokenError) and quarantined (``slm.host.quarantine``); every other
plugin and the rest of slm keep working. Typed slm errors raised through the
plugin's model use (model not present, context overflow, ...) are not the
plugin's fault: they propagate unchanged so the offload policy can act, and so
does LocalAnswerFailed (as LocalAnswerFailedError).
"""
from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slm import pattern_cache
from slm.errors import (
    LocalAnswerFailedError,
    PluginBrokenError,
    PluginError,
    PluginNotFoundError,
    SlmError,
    UsageError,
)
from slm.host import discovery_cache
from slm.host.context import PluginCancelled, PluginContext
from slm.host.discovery import Discovered, discover
from slm.host.jobs import Job, PluginStream
from slm.host.protocol import (
    RemoteFailure,
    WorkerGone,
    as_result,
    load_handler,
    origin,
    resolve_object,
)
from slm.host.quarantine import Quarantine
from slm.plugins.sdk import LocalAnswerFailed, PluginInfo, Request, Result
from slm.result import Timings, Usage

log = logging.getLogger("slm.plugins")
_REASON_CHARS = 240
# The default time limit assumes a model that writes at least this many tokens a second; on a
# slower device (a measured rate below it) a model-bound plugin's limit grows in proportion.
REFERENCE_TOKENS_PER_S = 20.0
_MAX_SCALE = 10.0
_BUILTIN_PREFIX = "slm.plugins."


@dataclass
class PluginRun:
    result: Result
    model: str | None  # the model that actually answered (None: the plugin used none)
    adapters: list | None = None  # the LoRA adapters applied to it: [{adapter, scale}]
    usage: Usage = field(default_factory=Usage)
    timings: Timings = field(default_factory=Timings)  # load_ms, ttft_ms (first text out), total_ms
    plugin: str = ""
    streamed: bool = False  # the plugin already sent its answer through emit()


class PluginHost:
    def __init__(self, settings, runtime=None, *, plugins: Iterable[PluginInfo] | None = None):
        """``plugins``: use exactly these (the test kit, embedders) instead of entry-point discovery."""
        self.settings = settings
        self._runtime = runtime
        self._fixed = None if plugins is None else [Discovered(p) for p in plugins]
        self._found: dict[str, Discovered] | None = None
        self._handlers: dict[str, Any] = {}
        self._checks: dict[str, Any] = {}  # plugin name -> its loaded accepts function
        self._lock = threading.Lock()
        self.quarantine = Quarantine(settings.data_dir / "plugin_quarantine.json")
        pattern_cache.use(settings.cache_dir)  # plugins' compile_pattern keeps its work here
        self._tokens_per_s: dict[str, float] = {}  # model -> decode speed seen on this device
        self._workers: Any = None  # slm.host.worker.WorkerPool, made when a plugin first runs isolated
        self._workers_lock = threading.Lock()

    @property
    def _pool(self) -> Any:
        """The warm worker processes of isolated plugins. Made on first use: a process that runs
        only built-ins in-process does not import the worker machinery (subprocess, socket)."""
        if self._workers is None:
            with self._workers_lock:
                if self._workers is None:
                    from slm.host.worker import WorkerPool

                    self._workers = WorkerPool(self.settings)
                    weakref.finalize(self, self._workers.close)
        return self._workers

    def close(self) -> None:
        """End the plugin worker processes (they also end by themselves when this process does)."""
        if self._workers is not None:
            self._workers.close()

    def isolated(self, info: PluginInfo) -> bool:
        """Does ``info`` run in a worker process (settings.plugin_isolation)?"""
        mode = getattr(self.settings, "plugin_isolation", "third-party")
        return mode == "all" or (mode == "third-party" and not _is_builtin(info))

    # --- metadata (no plugin code runs) ------------------------------------------
    def _discovered(self) -> dict[str, Discovered]:
        if self._found is None:
            found = self._fixed if self._fixed is not None else self._discover()
            self._found = {d.name: d for d in found}
        return self._found

    def _discover(self) -> list[Discovered]:
        """Entry-point discovery, or its record from an earlier process when nothing it read
        has changed since (slm.host.discovery_cache)."""
        path = Path(self.settings.cache_dir) / discovery_cache.file_name()
        current = discovery_cache.stamp()
        found = discovery_cache.load(path, current, Discovered)
        if found is None:
            found = discover()
            discovery_cache.save(path, current, found)
        return found

    def refresh(self) -> None:
        """Forget cached discovery (after installing or removing plugins in-process)."""
        self._found = None
        self._handlers.clear()
        self._checks.clear()
        if self._workers is not None:
            self._workers.close()  # warm workers hold the code as it was imported

    def infos(self) -> list[PluginInfo]:
        return [d.info for d in self._discovered().values()]

    def get_info(self, name: str) -> PluginInfo:
        found = self._discovered().get(name)
        if found is None:
            known = ", ".join(self._discovered()) or "none installed"
            raise PluginNotFoundError(f"no plugin named {name!r}", hint=f"installed: {known}")
        return found.info

    def problem(self, name: str) -> str | None:
        """One-line reason the plugin is broken (bad metadata or quarantined), else None."""
        found = self._discovered().get(name)
        if found is None:
            return None
        return found.problem or self.quarantine.reason(found.info)

    def status(self) -> dict[str, str | None]:
        return {name: self.problem(name) for name in self._discovered()}

    def is_enabled(self, name: str) -> bool:
        return name not in self.settings.disabled_plugins

    def route_examples(self) -> dict[str, list[str]]:
        return {name: list(d.info.examples) for name, d in self._discovered().items()
                if self.is_enabled(name) and self.problem(name) is None}

    def examples_fingerprint(self) -> str:
        examples = self.route_examples()
        versions = {name: self._discovered()[name].info.version for name in examples}
        blob = json.dumps([[n, versions[n], examples[n]] for n in sorted(examples)], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    # --- route checks (plugin.toml ``accepts``) ----------------------------------------
    def accepts(self, name: str, prompt: str) -> bool:
        """The plugin's own check that it can answer ``prompt`` (True when it declares none).

        It imports only the check's module, not the plugin's handler (a third-party
        plugin's, in its worker process: the one its request then uses). A check that
        cannot be imported, raises, is not callable or crashes its worker is logged once
        and counts as True: the router's choice stands, and the plugin's own answer
        reports any real problem.
        """
        found = self._discovered().get(name)
        if found is None or not found.info.accepts:
            return True
        check = self._checks.get(name)
        if check is None:
            check = _IN_WORKER if self.isolated(found.info) else self._load_check(found.info)
            self._checks[name] = check
        if check is _NO_CHECK:
            return True
        if check is _IN_WORKER:
            verdict, problem = self._pool.accepts(found.info, prompt)
            if problem is not None:
                log.warning("plugin %s: %s; it is skipped", name, problem[:_REASON_CHARS])
                self._checks[name] = _NO_CHECK
            return verdict
        try:
            return bool(check(prompt))
        except Exception as exc:  # noqa: BLE001 - third-party code on the routing path
            log.warning("plugin %s: its accepts check raised %s: %s; it is skipped",
                        name, type(exc).__name__, " ".join(str(exc).split())[:_REASON_CHARS])
            self._checks[name] = _NO_CHECK
            return True

    def declares_accepts(self, name: str) -> bool:
        found = self._discovered().get(name)
        return found is not None and bool(found.info.accepts)

    def _load_check(self, info: PluginInfo):
        try:
            obj = resolve_object(info.accepts)
        except Exception as exc:  # noqa: BLE001 - a missing module is the plugin's problem, not routing's
            log.warning("plugin %s: cannot load its accepts check %s (%s: %s); it is skipped",
                        info.name, info.accepts, type(exc).__name__, exc)
            return _NO_CHECK
        if not callable(obj):
            log.warning("plugin %s: accepts %s is not a function; it is skipped", info.name, info.accepts)
            return _NO_CHECK
        return obj

    def model_for(self, info: PluginInfo, requested: str | None = None) -> str | None:
        """The model a request to ``info`` uses: the request's, else the user's choice for the
        plugin (``[plugins.NAME] model`` / ``SLM_PLUGIN_<NAME>_MODEL``), else its plugin.toml's.

        A model-free plugin (``model`` unset in plugin.toml) is given none by config either.
        """
        if requested:
            return requested
        if info.model is None:
            return None
        return self.settings.plugin_model(info.name) or info.model

    def adapters_for(self, info: PluginInfo, requested=None) -> tuple:
        """The LoRA adapters a request to ``info`` runs under: the request's (``adapters``
        option, even an empty list), else those its plugin.toml declares."""
        if requested is not None:
            from slm.adapters import to_refs

            return to_refs(requested)
        return tuple(info.adapters)

    def timeout_for(self, info: PluginInfo, model: str | None = None) -> float:
        """User's [plugins.NAME] timeout_s > the plugin's own timeout_s > settings.plugin_timeout_s.

        The plugin's own and the default limit are scaled to the device: when ``model``
        was seen writing fewer than REFERENCE_TOKENS_PER_S tokens a second here, the
        limit grows in proportion (at most tenfold). A limit the user set is kept as set.
        """
        user = self.settings.plugin_config.get(info.name, {}).get("timeout_s")
        try:
            if user is not None and float(user) > 0:
                return float(user)
        except (TypeError, ValueError):
            pass
        base = float(self.settings.plugin_timeout_s)
        try:
            if info.timeout_s is not None and float(info.timeout_s) > 0:
                base = float(info.timeout_s)
        except (TypeError, ValueError):
            pass
        speed = self._tokens_per_s.get(model) if model else None
        if speed:
            base *= min(_MAX_SCALE, max(1.0, REFERENCE_TOKENS_PER_S / speed))
        return base

    def tokens_per_s(self, model: str) -> float | None:
        """Decode speed of ``model`` measured on this device by earlier requests (None: not yet)."""
        return self._tokens_per_s.get(model)

    # --- running ---------------------------------------------------------------------
    @property
    def runtime(self):
        if self._runtime is None:
            from slm.api import Runtime

            self._runtime = Runtime(self.settings)
        return self._runtime

    def _load_backend(self, local):
        """(loaded backend, load ms) for a slm.store.LocalModel, from the runtime's model cache."""
        return self.runtime.models.get_timed(local)

    def _resolve_model(self, name: str):
        """slm.store.LocalModel for a model name/spec/path (the runtime's cached lookup, made on first use)."""
        return self.runtime.resolve_model(name)

    def run(self, name: str, request: Request, *, emit: Callable[[str], None] = lambda _t: None) -> PluginRun:
        """Run one request; text the plugin streams goes to ``emit`` (from the plugin's thread)."""
        job = self._start(name, request, emit)
        try:
            job.wait_ready()
            job.worker.join(job.limit)
        except BaseException:  # Ctrl-C while waiting: stop the plugin's model calls (and its worker), then go
            job.cancel()
            raise
        return self._finish(job)

    def stream(self, name: str, request: Request) -> PluginStream:
        """Like run(), as an iterator of text pieces in the caller's thread; ``.run`` once exhausted."""
        return PluginStream(self, name, request)

    def _start(self, name: str, request: Request, emit: Callable[[str], None],
               done: Callable[[], None] | None = None) -> Job:
        info = self.get_info(name)
        if not self.is_enabled(name):
            raise PluginError(f"plugin {name} is disabled", hint="see plugins.disabled / SLM_DISABLED_PLUGINS")
        found = self._discovered()[name]
        if found.problem:  # its metadata: nothing to reset, the package must be fixed
            raise PluginBrokenError(f"plugin {name} cannot be used: {found.problem}")
        quarantined = self.quarantine.reason(info)
        if quarantined:
            raise PluginBrokenError(f"plugin {name} is broken: {quarantined}", hint=_reset_hint(name))
        model = self.model_for(info, (request.options or {}).get("model"))
        if model is None and (request.options or {}).get("adapters"):
            raise UsageError(f"plugin {name} uses no model, so an adapter cannot apply to it")
        ctx = PluginContext(info, self.settings, self.runtime if model else self._runtime,
                            model=model, emit=emit, resolve=self._resolve_model,
                            load_backend=self._load_backend,
                            adapters=self.adapters_for(info, (request.options or {}).get("adapters")) if model else ())
        outcome: dict[str, Any] = {}
        call = None
        if self.isolated(info):
            from slm.host.worker import IsolatedCall

            call = IsolatedCall(self._pool, info, request, ctx, on_cpu=_count_worker_cpu)

        def work() -> None:
            phase = "import"
            try:
                if call is not None:
                    outcome.update(call())
                    phase = call.phase
                else:
                    handler = self._handler(info)
                    phase = "handle"
                    outcome["value"] = handler.handle(request, ctx)
            except BaseException as exc:  # noqa: BLE001 - reported in the caller's thread
                outcome["error"], phase = exc, (call.phase if call is not None else phase)
            finally:
                outcome["phase"] = phase
                if done is not None:
                    done()

        job = Job(info, ctx, threading.Thread(target=work, name=f"slm-plugin-{name}", daemon=True),
                   outcome, self.timeout_for(info, model), time.monotonic(), call)
        job.worker.start()
        return job

    def _finish(self, job: Job) -> PluginRun:
        info, ctx, outcome = job.info, job.ctx, job.outcome
        self._learn_speed(ctx)
        if job.worker.is_alive():
            job.cancel()  # a worker process is killed; a thread cannot be: its next model call or emit stops it
            if _is_builtin(info) or ctx.model_calls:
                # Slow, not broken: the device (or its model) is slower than the limit allows.
                # A local failure the offload policy may answer; quarantining a working plugin
                # would also retrain the router without it.
                speed = self._tokens_per_s.get(ctx.model) if ctx.model else None
                rate = f" (~{speed:.0f} tokens/s here)" if speed else ""
                raise LocalAnswerFailedError(
                    f"plugin {info.name}: the local answer did not finish within {job.limit:g} s{rate}",
                    hint=f"raise [plugins.{info.name}] timeout_s or SLM_PLUGIN_TIMEOUT, or use a smaller model")
            self._fail(info, f"ran past its time limit of {job.limit:g} s")
        if "error" in outcome:
            self._raise_for(info, outcome["error"], outcome["phase"])
        result, problem = as_result(outcome.get("value"))
        if result is None:
            self._fail(info, problem)
        ttft = ctx.first_piece_ms if ctx.first_piece_ms is not None else ctx.first_token_ms
        return PluginRun(result=result, model=ctx.model_used, adapters=ctx.adapters_used, usage=ctx.usage,
                         timings=Timings(load_ms=ctx.load_ms, ttft_ms=ttft, total_ms=ctx._elapsed_ms()),
                         plugin=info.name, streamed=ctx.emitted)

    def _learn_speed(self, ctx: PluginContext) -> None:
        if ctx.model and ctx.decode_tokens >= 8 and ctx.decode_s > 0:
            self._tokens_per_s[ctx.model] = ctx.decode_tokens / ctx.decode_s

    def _handler(self, info: PluginInfo) -> Any:
        with self._lock:
            if info.name in self._handlers:
                return self._handlers[info.name]
        obj = load_handler(info.entry_point)
        with self._lock:
            self._handlers[info.name] = obj
        return obj

    def _raise_for(self, info: PluginInfo, exc: BaseException, phase: str) -> None:
        if isinstance(exc, LocalAnswerFailed):
            raise LocalAnswerFailedError(f"plugin {info.name}: {exc.reason}") from None
        if isinstance(exc, SlmError):
            raise exc  # model absent, context overflow, ...: for the offload policy, not the plugin's fault
        # (KeyboardInterrupt here was raised by the plugin: Ctrl-C reaches the main thread, never its thread)
        if isinstance(exc, PluginCancelled):  # only after a timeout, which already raised
            self._fail(info, "was cancelled")
        worker = sys.modules.get("slm.host.worker")  # only a worker raises Misbehaved: loaded then
        if worker is not None and isinstance(exc, worker.Misbehaved):
            self._fail(info, exc.reason)
        during = "while importing" if phase in ("import", "start") else "in handle()"
        if isinstance(exc, WorkerGone):
            self._fail(info, f"{exc.reason} {during}")
        name, message, where = (exc.type_name, exc.message, exc.origin) if isinstance(exc, RemoteFailure) \
            else (type(exc).__name__, " ".join(str(exc).split()), origin(exc))
        if name == "SystemExit":
            self._fail(info, f"called sys.exit({message}) {during}{where}")
        if name == "MemoryError" and self.isolated(info) and self.settings.plugin_memory_mb:
            self._fail(info, f"ran out of memory {during}{where} (its limit is {self.settings.plugin_memory_mb} MiB: "
                             "plugins.memory_mb / SLM_PLUGIN_MEMORY_MB)")
        what = f"{name}: {message}" if message else name
        verb = "failed to import" if phase == "import" else "raised"
        self._fail(info, f"{verb} {what}{where}")

    def _fail(self, info: PluginInfo, reason: str) -> None:
        reason = reason if len(reason) <= _REASON_CHARS else reason[: _REASON_CHARS - 3] + "..."
        self._handlers.pop(info.name, None)
        if self._workers is not None:
            self._workers.forget(info.name)
        try:
            self.quarantine.add(info, reason)
        except OSError as exc:  # a read-only home must not hide the real problem
            log.warning("could not record quarantine of plugin %s: %s", info.name, exc)
        log.info("plugin %s quarantined: %s", info.name, reason)  # the raised error is the one line the user sees
        hint = _reset_hint(info.name)
        output = None
        if self.isolated(info):
            from slm.host.worker import output_hint, plugin_log_path

            output = output_hint(plugin_log_path(self.settings, info.name))
        if output:
            hint = f"{output}; {hint}"
        raise PluginBrokenError(f"plugin {info.name} {reason}; it is quarantined", hint=hint)


_NO_CHECK = object()  # a plugin whose accepts check could not be loaded or raised
_IN_WORKER = object()  # a third-party plugin's check: asked in its worker process


def _is_builtin(info: PluginInfo) -> bool:
    """slm's own plugins (slm.plugins.*): a slow answer from them is never a reason to quarantine."""
    return info.entry_point.strip().startswith(_BUILTIN_PREFIX)


def _count_worker_cpu(seconds: float) -> None:
    """A worker's CPU time belongs to this process's request in the energy estimate."""
    from slm.energy.estimate import add_worker_cpu

    add_worker_cpu(seconds)


def _reset_hint(name: str) -> str:
    return f"it runs again once it is fixed or upgraded, or after: slm plugins reset {name}"


__all__ = ["PluginHost", "PluginRun", "PluginStream"]

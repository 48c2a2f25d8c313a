"""Router: picks the plugin for a prompt, or says none fits.

The model is trained on this device from the installed plugins' declared
examples (plus translations of the built-ins', translations.py) and a bundled
out-of-scope corpus, and cached under ``settings.cache_dir/router/<model key>``
where the key hashes the plugins' examples (``examples_fingerprint()``), the
out-of-scope corpus and the featurizer and trainer versions. Any change to those
retrains on next use; an unchanged set loads the cached ONNX model. slm ships the
model for its built-in plugins (data/builtin/), so a first run with only those does
not train at all.

After the model, each decision goes through:

1. the language gate (language.py): a prompt whose instruction is in a language
   the router has no examples for routes to none, saying which language;
2. the chosen plugin's own ``accepts`` check, when plugin.toml declares one: when
   it declines, the runner-up is tried (scores renormalised without the declined
   routes, against the runner-up's own threshold), else none;
3. the second stage (by default kb's, slm.plugins.kb.routing: a prompt no plugin
   took goes to kb when the user's documents match it well). It also adds route
   examples made from the user's documents, and its fingerprint (the index's) is
   part of the cache key: adding documents retrains the router on next use.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from slm.errors import RouterError
from slm.router import instruction, language, static_vectors, translations
from slm.router.decision import (
    ExamplesProvider,
    RouteDecision,
    SecondStage,
    TrainReport,
)
from slm.router.features import FEATURIZER_VERSION, instruction_of, load_static_vectors
from slm.router.model import SIDECAR_FILE, RouterModel, artifact_bytes
from slm.router.static_vectors import StaticVectorsError
from slm.router.train_config import (
    TRAINER_VERSION,
    TrainConfig,
    bundled_negatives,
    negatives_fingerprint,
    trainer_data,
)

log = logging.getLogger("slm.router")
# one-line notices for whoever waits (the CLI prints this logger's records on stderr)
notices = logging.getLogger("slm.notice.router")
NOTICE_AFTER_S = 0.5  # training that takes longer than this is announced
_KEEP_OLD = 2  # older cached models kept besides the current one
# The router for the built-in plugins with default settings, trained when slm is built
# (packaging/tools/build_router.py; a test fails when it is stale): a first run loads it.
PREBUILT_DIR = Path(__file__).parent / "data" / "builtin"
RECHECK_S = 10.0  # how often a loaded router re-reads the plugins' fingerprint (it costs ~ms)
_DEFAULT_STAGE = object()  # Router(second_stage=...) not given: kb's stage
# the model key remembered with what it was computed from (model_key), in settings.cache_dir:
# the router folder holds only model folders
KEYS_FILE = "router-key.json"
_MEMO_LAYOUT = 1
_RACY_NS = 2_000_000_000  # a file changed this recently may change again with the same stat


class Router:
    def __init__(self, settings, examples_provider: ExamplesProvider | None = None, *,
                 negatives: Sequence[str] | None = None, config: TrainConfig | None = None,
                 second_stage: SecondStage | None = _DEFAULT_STAGE):  # type: ignore[assignment]
        self.settings = settings
        self._provider = examples_provider
        self._negatives = list(negatives) if negatives is not None else None
        self.config = config or TrainConfig()
        self._stage = second_stage
        self._model: RouterModel | None = None
        self._model_key: str | None = None
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self.last_report: TrainReport | None = None
        self.prebuilt_dir = PREBUILT_DIR
        static_vectors.use_cache(settings.cache_dir)  # the decoded vectors, kept from one process to the next

    # --- inputs ------------------------------------------------------------------------
    @property
    def provider(self) -> ExamplesProvider:
        if self._provider is None:
            from slm.host.host import PluginHost

            self._provider = PluginHost(self.settings)
        return self._provider

    @property
    def negatives(self) -> list[str]:
        if self._negatives is None:
            self._negatives = bundled_negatives() + translations.negatives()
        return self._negatives

    @property
    def second_stage(self) -> SecondStage | None:
        if self._stage is _DEFAULT_STAGE:
            from slm.plugins.kb.routing import KbRouteStage

            self._stage = KbRouteStage.for_settings(self.settings)
        return self._stage  # type: ignore[return-value]

    @property
    def cache_root(self) -> Path:
        return Path(self.settings.cache_dir) / "router"

    def model_key(self) -> str:
        """What the trained model depends on: its folder's name.

        Hashing the bundled out-of-scope corpus, the translations and the vectors file costs
        every process a few ms for inputs that change only with an slm upgrade, so the key is
        remembered (``router-key.json`` in the cache folder) beside the plugins' examples fingerprint, the second stage's,
        the settings' and the stat of those bundled files: any change recomputes it.
        """
        # the plugins' and the second stage's fingerprints: computed once, for the stamp and the key
        stage = getattr(self.second_stage, "fingerprint", None)
        examples, stage_print = self.provider.examples_fingerprint(), stage() if callable(stage) else ""
        memo = self._memo_stamp(examples, stage_print)
        if memo is not None:
            key = self._memo_lookup(memo)
            if key is not None:
                return key
        key = self._compute_key(examples, stage_print)
        if memo is not None:
            self._memo_store(memo, key)
        return key

    def _compute_key(self, examples: str, stage_print: str) -> str:
        parts = [examples, negatives_fingerprint(self.negatives), stage_print,
                 f"f{FEATURIZER_VERSION}", f"t{TRAINER_VERSION}", translations.fingerprint(), instruction.fingerprint(),
                 hashlib.sha256(repr(self.config.to_dict()).encode()).hexdigest()[:8]]
        vectors = self._static_vectors()
        if vectors is not None:  # a new vectors file (an slm upgrade) retrains
            parts.append(vectors.sha256[:12])
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]

    def _memo_stamp(self, examples: str, stage_print: str) -> list | None:
        """Everything _compute_key reads, cheaply; None when the negatives were given (not bundled)
        or a bundled file changed too recently for its stat to be trusted."""
        if self._negatives is not None:
            return None
        files = [trainer_data("out_of_scope.txt"), translations.data_path(), instruction.lexicon_path()]
        if self.config.featurizer.static_vectors:
            files.append(static_vectors.resolve(self.config.featurizer.static_vectors))
        stats = []
        for path in files:
            try:
                st = os.stat(path)
            except OSError:
                return None
            if st.st_mtime_ns > time.time_ns() - _RACY_NS:
                return None
            stats.append([str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns])
        return [_MEMO_LAYOUT, examples, stage_print, FEATURIZER_VERSION, TRAINER_VERSION,
                repr(self.config.to_dict()), stats]

    def _memo_lookup(self, memo: list) -> str | None:
        try:
            record = json.loads((self.cache_root.parent / KEYS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(record, dict) and record.get("stamp") == memo and isinstance(record.get("key"), str):
            return record["key"]
        return None

    def _memo_store(self, memo: list, key: str) -> None:
        path = self.cache_root.parent / KEYS_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{KEYS_FILE}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"stamp": memo, "key": key}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # unwritable: the next process computes the key again

    def cache_key(self) -> str:
        """The cached model's key (model_key)."""
        return self.model_key()

    def _examples(self) -> dict[str, list[str]]:
        """The plugins' examples, their translations, and the second stage's (kb's, made from the
        user's documents) for routes that exist."""
        examples = translations.with_translations(self.provider.route_examples())
        extra = getattr(self.second_stage, "route_examples", None)
        for name, texts in (extra() if callable(extra) else {}).items():
            if name in examples:
                examples[name] = examples[name] + list(texts)
        return examples

    def _static_vectors(self):
        """The featurizer's static vectors (None when it uses none); a bad file is a RouterError."""
        try:
            return load_static_vectors(self.config.featurizer)
        except StaticVectorsError as exc:
            raise RouterError(str(exc)) from None

    # --- training / loading --------------------------------------------------------------
    def train(self, force: bool = False) -> TrainReport:
        """Load the cached model for the current plugins, or train one (always when ``force``)."""
        with self._lock:
            return self._ensure(force=force)

    def _ensure(self, force: bool = False, *, fresh: bool = True) -> TrainReport:
        now = time.monotonic()
        if not force and not fresh and self._model_key is not None and now - self._checked_at < RECHECK_S:
            return self.last_report  # type: ignore[return-value]
        self._checked_at = now
        key = self.cache_key()
        folder = self.cache_root / key
        if not force and self._model is not None and self._model_key == key:
            return self.last_report  # type: ignore[return-value]
        examples = self._examples()
        examples = {name: [t for t in texts if isinstance(t, str) and t.strip()] for name, texts in examples.items()}
        examples = {name: texts for name, texts in examples.items() if texts}
        if not examples:
            self._model, self._model_key = None, key
            self.last_report = TrainReport([], 0, len(self.negatives), 0.0, {}, 1.0, key, cached=False)
            return self.last_report
        if not force and (folder / SIDECAR_FILE).is_file():
            try:
                model = RouterModel.load(folder)
                self._install(model, key, folder, cached=True)
                return self.last_report  # type: ignore[return-value]
            except Exception as exc:  # noqa: BLE001 - a damaged cache is retrained, not fatal
                log.warning("router cache %s unreadable (%s); retraining", folder, exc)
        if not force and self._from_prebuilt(key, folder):
            return self.last_report  # type: ignore[return-value]
        # a first run (or new plugins) trains here, while the user waits: say so when it takes a while
        plugins = f"{len(examples)} plugin{'s' if len(examples) != 1 else ''}"
        notice = threading.Timer(NOTICE_AFTER_S, notices.info, (f"training the router for {plugins}…",))
        notice.daemon = True
        notice.start()
        try:
            # imported only to train: a warm start-up never loads the trainer
            from slm.router.trainer import train_router

            trained = train_router(examples, self.negatives, config=self.config, fingerprint=key)
        except ValueError as exc:
            raise RouterError(f"cannot train the router: {exc}") from None
        finally:
            notice.cancel()
        model = RouterModel(trained.onnx_bytes, trained.sidecar)
        self._save(model, folder)
        self._install(model, key, folder, cached=False)
        return self.last_report  # type: ignore[return-value]

    def _from_prebuilt(self, key: str, folder: Path) -> bool:
        """Install the router shipped with slm when it was trained from exactly these inputs (the
        built-in plugins, no documents, default settings: a first run), instead of training it
        while the user waits. Any other set of plugins, documents or settings has another key."""
        try:
            sidecar = json.loads((self.prebuilt_dir / SIDECAR_FILE).read_text(encoding="utf-8"))
            if not isinstance(sidecar, dict) or sidecar.get("fingerprint") != key:
                return False
            model = RouterModel.load(self.prebuilt_dir)  # parses it all: a damaged file fails here
            self._save(model, folder)
            self._install(model, key, folder, cached=True)
        except FileNotFoundError:
            return False
        except Exception as exc:  # noqa: BLE001 - a damaged shipped model is trained afresh, not fatal
            log.warning("the shipped router in %s is unreadable (%s); training one", self.prebuilt_dir, exc)
            return False
        return True

    def _save(self, model: RouterModel, folder: Path) -> None:
        """Write to a temporary folder, then rename: a crash never leaves half a model."""
        import shutil  # here and in _prune: a warm start-up only reads
        import tempfile

        self.cache_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".train-", dir=self.cache_root))
        try:
            model.save(tmp)
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._prune(keep=folder)

    def _prune(self, keep: Path) -> None:
        import shutil

        others = [p for p in self.cache_root.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".")]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[_KEEP_OLD:]:
            shutil.rmtree(old, ignore_errors=True)

    def _install(self, model: RouterModel, key: str, folder: Path, *, cached: bool) -> None:
        self._model, self._model_key = model, key
        train = model.sidecar.get("train", {})
        self.last_report = TrainReport(
            routes=list(model.routes), examples=int(train.get("examples", 0)),
            negatives=int(train.get("negatives", 0)), seconds=float(train.get("seconds", 0.0)),
            thresholds=dict(model.sidecar["thresholds"]), temperature=float(model.sidecar["temperature"]),
            fingerprint=key, cached=cached, artifact_bytes=artifact_bytes(folder),
            features=model.featurizer.n_features, heldout=dict(train.get("heldout", {})), path=str(folder))

    # --- routing -------------------------------------------------------------------------
    def route(self, prompt: str) -> RouteDecision:
        return self.route_many([prompt])[0]

    def route_many(self, prompts: Sequence[str]) -> list[RouteDecision]:
        prompts = [_as_text(p) for p in prompts]
        with self._lock:
            self._ensure(fresh=False)
            model = self._model
        if model is None:  # no plugin offers routes: nothing can fit
            return [RouteDecision(None, 1.0, {}, 0.0) for _ in prompts]
        if len(prompts) == 1:
            decisions = [model.decide(model.probs_one(prompts[0]))]
        else:
            decisions = [model.decide(p) for p in model.probs(prompts)]
        return [self._after_model(p, d, model) for p, d in zip(prompts, decisions)]

    def _after_model(self, prompt: str, decision: RouteDecision, model: RouterModel) -> RouteDecision:
        lang = language.detect(instruction_of(prompt, model.featurizer.config))
        if lang is not None and lang not in language.SUPPORTED:
            decision = self._unsupported(prompt, decision, lang)
        else:
            decision = self._confirm(prompt, decision, model)
        stage = self.second_stage
        if stage is not None:
            decision = stage.refine(prompt, decision, list(model.routes))
        if lang is not None and lang != "en":
            decision.info.setdefault("language", lang)
        return decision

    def _unsupported(self, prompt: str, decision: RouteDecision, lang: str) -> RouteDecision:
        """A language with no examples: the model's n-grams would be guessing, so only a
        model-free confirmation routes it (a plugin's accepts check, then the kb stage's
        document match); else an honest none that names the language."""
        info = {"language": lang, "note": f"prompts in this language ({lang}) are routed only when a plugin's "
                                          f"own check or your documents confirm it; routed by the model: "
                                          f"{', '.join(language.SUPPORTED)}"}
        declares = getattr(self.provider, "declares_accepts", None)
        check = getattr(self.provider, "accepts", None)
        if callable(declares) and callable(check):
            for name, _p in sorted(decision.scores.items(), key=lambda kv: -kv[1]):
                if declares(name) and check(name, prompt):
                    return RouteDecision(name, decision.scores[name], decision.scores, decision.margin,
                                         info={**info, "confirmed_by": "accepts"})
        return RouteDecision(None, 1.0, decision.scores, decision.margin, info=info)

    def _confirm(self, prompt: str, decision: RouteDecision, model: RouterModel) -> RouteDecision:
        """Ask the chosen plugin's accepts check; when it declines, try the runner-up."""
        check = getattr(self.provider, "accepts", None)
        if decision.plugin is None or not callable(check) or check(decision.plugin, prompt):
            return decision
        declined = [decision.plugin]
        while True:
            left = 1.0 - sum(decision.scores[r] for r in declined)  # P(not a declined route)
            rest = [(p / left, r) for r, p in decision.scores.items() if r not in declined] if left > 1e-9 else []
            if not rest:
                break
            rest.sort(reverse=True)
            top, name = rest[0]
            if top < model.thresholds[model.routes.index(name)]:
                return RouteDecision(None, 1.0 - top, decision.scores, decision.margin, info={"declined": declined})
            if check(name, prompt):
                runner_up = rest[1][0] if len(rest) > 1 else 0.0
                return RouteDecision(name, top, decision.scores, top - runner_up, info={"declined": declined})
            declined.append(name)
        return RouteDecision(None, 1.0, decision.scores, decision.margin, info={"declined": declined})

    def info(self) -> dict:
        """What is cached for the current plugins (trains nothing)."""
        key = self.cache_key()
        folder = self.cache_root / key
        out = {"key": key, "path": str(folder), "trained": (folder / SIDECAR_FILE).is_file(),
               "routes": sorted(self.provider.route_examples()), "featurizer_version": FEATURIZER_VERSION,
               "trainer_version": TRAINER_VERSION, "negatives": len(self.negatives)}
        vec = self._static_vectors()
        if vec is not None:
            out["static_vectors"] = {"source": vec.meta.get("source"), "dims": vec.dims,
                                     "tokens": len(vec.tokens), "encoding": vec.encoding,
                                     "file_bytes": vec.file_bytes, "sha256": vec.sha256[:12],
                                     "weight": self.config.featurizer.static_weight}
        stage_info = getattr(self.second_stage, "info", None)
        if callable(stage_info):
            out["kb_stage"] = stage_info()
        if out["trained"]:
            side = json.loads((folder / SIDECAR_FILE).read_text(encoding="utf-8"))
            train = side.get("train", {})
            out.update(routes=side["routes"], thresholds=side["thresholds"], temperature=side["temperature"],
                       artifact_bytes=artifact_bytes(folder), features=len(side["featurizer"]["grams"]),
                       trained_at=train.get("trained_at"), seconds=train.get("seconds"),
                       heldout=train.get("heldout"))
        return out


def _as_text(prompt) -> str:
    if prompt is None:
        return ""
    if isinstance(prompt, bytes):
        return prompt.decode("utf-8", errors="replace")
    return prompt if isinstance(prompt, str) else str(prompt)

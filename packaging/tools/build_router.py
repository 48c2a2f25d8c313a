#!/usr/bin/env python3
"""Train the router for the built-in plugins and ship it: runtime/router/data/builtin/.

    python packaging/tools/build_router.py [--check]

A first `slm ask` on a fresh SLM_HOME with only the built-in plugins, no documents
and default settings would otherwise train this very model while the user waits
(~5 s on a 2-core machine). The router loads the shipped copy when its key (the
plugins' examples, the out-of-scope corpus, the featurizer, trainer and settings
that shape it) equals the one the shipped sidecar records; any other set trains as
before. Run this after changing any of those; tests/test_router_prebuilt.py fails
while the shipped model is stale. ``--check`` only says whether it is.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from slm.config import load_settings
from slm.router import Router, instruction
from slm.router.augment import bundled_payloads
from slm.router.model import MODEL_FILE, SIDECAR_FILE
from slm.router.router import PREBUILT_DIR


def fresh_router(home: Path) -> Router:
    # the environment a first run sees: no SLM_* settings, an empty SLM_HOME
    return Router(load_settings(env={}, home=home))


def lexicon_text(router: Router) -> str:
    """data/instruction_words.json's text, from the router's own training inputs: the built-in
    plugins' examples and their translations, the out-of-scope prompts (requests) against the
    bundled payloads (pasted text)."""
    requests = [t for texts in router._examples().values() for t in texts] + list(router.negatives)
    record = instruction.lexicon_record(requests, bundled_payloads())
    # one weight a line: a change reads as the words whose weights moved
    lines = [f"  {json.dumps(w, ensure_ascii=False)}: {v}" for w, v in record["weights"].items()]
    head = {k: v for k, v in record.items() if k != "weights"}
    return (json.dumps(head, ensure_ascii=False)[:-1] + ', "weights": {\n' + ",\n".join(lines) + "\n}}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the shipped router is current")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="slm-build-router-") as tmp:
        router = fresh_router(Path(tmp))
        # the instruction finder's word weights come first: the router's features depend on them
        lexicon = lexicon_text(router)
        lexicon_current = Path(instruction.lexicon_path()).read_text(encoding="utf-8") == lexicon \
            if Path(instruction.lexicon_path()).is_file() else False
        if args.check and not lexicon_current:
            print(f"shipped instruction word weights are stale ({instruction.lexicon_path()})")
            return 1
        if not lexicon_current:
            Path(instruction.lexicon_path()).write_text(lexicon, encoding="utf-8")
            instruction.lexicon.cache_clear()
            print(f"instruction word weights: {len(json.loads(lexicon)['weights'])} words -> {instruction.lexicon_path()}")
            router = fresh_router(Path(tmp))
        key = router.cache_key()
        shipped = PREBUILT_DIR / SIDECAR_FILE
        try:
            current = json.loads(shipped.read_text(encoding="utf-8")).get("fingerprint") == key
        except (OSError, ValueError, AttributeError):
            current = False
        if args.check:
            print(f"shipped router {'is current' if current else 'is stale'} (key {key})")
            return 0 if current else 1
        report = router.train(force=True)
        PREBUILT_DIR.mkdir(parents=True, exist_ok=True)
        for name in (MODEL_FILE, SIDECAR_FILE):
            shutil.copyfile(Path(report.path) / name, PREBUILT_DIR / name)
        print(f"shipped router: {len(report.routes)} routes, {report.examples} examples, key {key}, "
              f"{report.artifact_bytes / 1e6:.2f} MB, trained in {report.seconds:.1f} s -> {PREBUILT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

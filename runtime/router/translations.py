"""Spanish, French, German, Portuguese, Italian and Dutch training prompts for the built-in plugins' routes.

Each route's entry may also hold "en": more English phrasings of its kinds of request, the
short and pasted ways field staff ask ("tldr", "todos?", "who owns what, as a table"), past
the 50 examples a plugin.toml may declare.

The static vectors (static_vectors.py) and the plugins' examples are English: a Spanish
"resume mis notas de la reunión" shares almost no n-gram with "summarise my notes". The
router adds hand-written translations of the built-in plugins' kinds of request
(data/translations.json) to the routes they were written for, and translated out-of-scope
prompts to the bundled "none" prompts. A route gets them only when it declares at least
half of the English examples the file lists for it ("anchors"): a third-party plugin that
happens to be called "calc" is not taught another plugin's requests. Third-party plugins
route other languages through their own examples (plugin.toml may list examples in any
language).
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache

LANGUAGES = ("es", "fr", "de", "pt", "it", "nl")


def data_path() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "translations.json")


@lru_cache(maxsize=1)
def _data() -> dict:
    with open(data_path(), encoding="utf-8") as handle:
        text = handle.read()
    return json.loads(text)


def fingerprint() -> str:
    return hashlib.sha256(json.dumps(_data(), sort_keys=True).encode("utf-8")).hexdigest()[:12]


def with_translations(examples: dict[str, list[str]]) -> dict[str, list[str]]:
    """``examples`` plus the translated ones of each route they were written for."""
    out = {name: list(texts) for name, texts in examples.items()}
    for name, entry in _data()["routes"].items():
        declared = {" ".join(t.casefold().split()) for t in out.get(name, ())}
        anchors = entry["anchors"]
        if not declared or sum(" ".join(a.casefold().split()) in declared for a in anchors) * 2 < len(anchors):
            continue
        for lang in ("en", *LANGUAGES):  # "en": more of the ways field staff ask, past the 50 a plugin.toml holds
            out[name].extend(entry.get(lang, ()))
    return out


def negatives() -> list[str]:
    """Translated out-of-scope prompts (added to the bundled ones)."""
    return [t for lang in LANGUAGES for t in _data()["none"].get(lang, ())]

"""slm.store: which models are on this device and how they got here.

Open ``model_store.py`` first (ModelStore: resolve, pull, verify, remove, list);
``catalog.py`` names models, ``hub.py`` downloads them (resumable, sha256-checked),
``pack.py`` carries them offline, ``local_import.py`` takes a GGUF the user has,
``records.py`` checks manifest records, and ``gguf_check.py`` checks a file before any
backend opens it.
"""

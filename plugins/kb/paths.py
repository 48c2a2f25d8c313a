"""Where kb keeps its index: apart from index.py, so the router's kb stage can look for the
index file on every start-up without importing sqlite3 and the document readers."""
from __future__ import annotations

from pathlib import Path

INDEX_FILE = "index.sqlite3"


def kb_dir(data_dir: Path) -> Path:
    """The kb plugin's folder under settings.data_dir (the same one its plugin Context gets)."""
    return Path(data_dir) / "plugins" / "kb"

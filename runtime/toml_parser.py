"""The TOML parser, imported when a file is read rather than when a module that reads one loads.

Importing tomllib compiles a dozen regexes (~3 ms): every `slm` start-up paid it for config.py
and host/meta.py, though a warm start-up with no config file reads no TOML at all (plugins'
metadata comes from the discovery cache).
"""
from __future__ import annotations

import sys


def toml_parser():
    """tomllib (tomli before Python 3.11)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib

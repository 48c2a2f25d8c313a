"""Which running `slm serve` this command may use (none: it answers in-process); no click, so the
quick `slm route PROMPT` (cli/quick_route.py) shares it with `slm ask` and `slm route`."""
from __future__ import annotations

import os


def running_server(options: dict | None = None):
    """(settings, the client of a `slm serve` for this SLM_HOME with these settings or None). None:
    answer in-process, also for a request naming a model or adapter file by a path relative to this
    directory. The settings are returned so the in-process path need not load them again."""
    from slm.config import load_settings

    settings = load_settings()
    if not settings.use_server:
        return settings, None
    from slm.server.locate import STATE_NAME

    # no state file, no server: the client (hashlib, the state parser) is not imported for nothing
    if not os.path.exists(os.path.join(settings.home, STATE_NAME)):
        return settings, None
    from slm.server.client import find, names_files_here

    if names_files_here(options or {}, settings):
        return settings, None
    return settings, find(settings)

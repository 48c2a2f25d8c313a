"""slm.host: finding plugins and running them so a broken one cannot take slm down.

Open ``host.py`` first (PluginHost: list, run with a time limit, quarantine);
``discovery.py`` and ``meta.py`` find plugins and read their plugin.toml without
importing them, ``context.py`` is what a plugin receives per request,
``quarantine.py`` remembers broken plugins, ``scaffold.py`` writes new ones.
``worker.py`` runs third-party plugins in worker processes (``worker_main.py`` is the
worker's side, ``protocol.py`` what they say to each other, ``proctree.py`` what a
plugin forks).
"""

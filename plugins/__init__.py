"""slm.plugins: the plugin SDK (``slm.plugins.sdk``) and the built-in plugins.

Built-ins (calc, notes, email, extract, kb) are ordinary plugins: each is
registered through the ``slm.plugins`` entry-point group in pyproject.toml,
exactly as a third party's plugin is.
"""

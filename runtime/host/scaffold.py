"""`slm plugins new NAME`: write a complete, installable plugin package.

The files come from ``slm/plugins/templates/*.tmpl`` with ``__NAME__``-style
tokens replaced. The result installs with pip, registers its entry point, has
a valid plugin.toml with examples, and a test that passes using slm.testing.
"""
from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from slm.errors import UsageError
from slm.host.meta import NAME_RULE, read_plugin_toml, valid_name
from slm.version import __version__

# The model a new plugin declares; the author changes it in plugin.toml.
TEMPLATE_MODEL = "qwen2.5-0.5b-instruct"


def names_for(name: str) -> dict[str, str]:
    """The names a plugin called ``name`` gets: distribution, module, class."""
    snake = name.replace("-", "_")
    return {
        "__NAME__": name,
        "__DIST__": f"slm-plugin-{name.replace('_', '-')}",
        "__MODULE__": f"slm_plugin_{snake}",
        "__CLASS__": "".join(part.capitalize() for part in snake.split("_")) + "Plugin",
        "__DESCRIPTION__": f"{name}: translate short business texts on the device (a starting point; edit me).",
        "__MODEL__": TEMPLATE_MODEL,
        "__SLM_MIN__": ".".join(__version__.split(".")[:2]),
    }


def scaffold(name: str, dest: Path | None = None, *, taken: Iterable[str] = ()) -> Path:
    """Create the package for plugin ``name`` in ``dest`` (default ./slm-plugin-NAME); returns it."""
    if not valid_name(name):
        raise UsageError(f"bad plugin name {name!r}", hint=NAME_RULE)
    if name in set(taken):
        raise UsageError(f"a plugin named {name!r} is already installed", hint="choose another name")
    tokens = names_for(name)
    dest = Path(dest) if dest is not None else Path.cwd() / tokens["__DIST__"]
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{dest} already exists and is not an empty folder", hint="pick another --dir")
    module = tokens["__MODULE__"]
    files = {
        "pyproject.toml": "pyproject.toml.tmpl",
        "README.md": "README.md.tmpl",
        f"{module}/__init__.py": "plugin_module.py.tmpl",
        f"{module}/plugin.toml": "plugin.toml.tmpl",
        f"tests/test_{module}.py": "test_plugin.py.tmpl",
    }
    templates = resources.files("slm.plugins").joinpath("templates")
    rendered = {target: _render(templates.joinpath(source).read_text(encoding="utf-8"), tokens)
                for target, source in files.items()}
    try:
        for target, text in rendered.items():
            path = dest / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write to {dest}: {exc.strerror or exc}") from None
    read_plugin_toml(dest / module)  # the template must produce valid metadata; fail loudly if not
    return dest


def _render(text: str, tokens: dict[str, str]) -> str:
    for token, value in tokens.items():
        text = text.replace(token, value)
    return text

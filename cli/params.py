"""Click parameter types shared by the CLI modules (light: click only)."""
from __future__ import annotations

import click


class NonEmptyPath(click.Path):
    """click.Path that refuses an empty string.

    click turns ``""`` into ``Path("")``, which is the current folder: `slm kb add ""`
    would index (and `slm kb rm ""` unindex) everything under it.
    """

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path (give a file or folder)", param, ctx)
        return super().convert(value, param, ctx)

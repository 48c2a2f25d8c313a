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


def read_prompt(prompt: str | None, *, command: str) -> str:
    """PROMPT as given, or all of stdin for `-` (or none given and stdin piped)."""
    from slm.errors import UsageError

    if prompt is None or prompt == "-":
        stdin = click.get_text_stream("stdin")
        if prompt is None and stdin.isatty():
            raise UsageError(f"no prompt: give one as an argument or pipe it on stdin ({command} -)")
        binary = getattr(stdin, "buffer", None)
        if binary is None:
            return check_prompt(stdin.read().strip())
        data = binary.read()  # decoded here: the text layer would raise a bare UnicodeDecodeError
        try:
            prompt = data.decode("utf-8-sig").strip()
        except UnicodeDecodeError as exc:  # binary or another encoding: say so rather than guess
            raise UsageError(f"the prompt on stdin is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                             f"{exc.start})", hint="convert it first, e.g. iconv -f latin1 -t utf-8") from None
    return check_prompt(prompt)


def check_prompt(prompt: str) -> str:
    from slm.errors import UsageError

    if not prompt.strip():
        raise UsageError("the prompt is empty")
    return prompt

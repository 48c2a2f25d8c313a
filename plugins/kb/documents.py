"""Finding, reading and chunking local documents (Markdown and plain text) into passages.

A passage is a run of paragraphs under one heading, up to about TARGET_CHARS, with
the 1-based first and last line it spans so answers can cite ``path:line``.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
TARGET_CHARS = 900  # a passage grows paragraph by paragraph up to about this
MAX_CHARS = 2000  # a longer paragraph is cut at line boundaries
MAX_FILE_BYTES = 20 * 1024 * 1024  # bigger "text" files are almost always logs or dumps
_SNIFF_BYTES = 8192
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


@dataclass(frozen=True)
class Passage:
    start_line: int
    end_line: int
    heading: str  # "Install > Linux" ("" before the first heading)
    text: str


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def find_files(paths: list[Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to index under ``paths``: named files as they are, directories recursed for text files.

    Only regular files are taken (never a FIFO, a device or a socket: reading one hangs
    or never ends). In a folder, a file must still lie inside that folder once every
    link is resolved: a link to ~/.ssh/id_rsa or /etc/shadow is skipped with a note,
    since indexed passages are shown and may go to the cloud. Hidden files and
    folders (.git, .venv, ...) and symlinked directories are not entered. A file the
    user names on the command line is read where its link leads: they chose it.
    """
    found: dict[Path, None] = {}
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                        continue
                    entry = Path(dirpath) / name
                    target = entry.resolve()
                    if target != root and root not in target.parents:
                        skipped.append(Skipped(entry, f"a link that leads outside {path}"))
                    elif not _regular(target):
                        skipped.append(Skipped(entry, "not a regular file"))
                    else:
                        found[target] = None
        elif _regular(path):
            found[path.resolve()] = None
        else:
            skipped.append(Skipped(path, "not a regular file"))
    return list(found), skipped


def read_capped(path: Path, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a regular file; None when it holds more (checked on the
    bytes read, not on a size the file system reports) or is not a regular file (any more)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO swapped in must not block the open
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    return data if len(data) <= limit else None


def read_text(data: bytes) -> tuple[str | None, str]:
    """(text, encoding) or (None, reason) for binary data.

    UTF-8 (with or without BOM) first, then UTF-16 with a BOM, then cp1252 and
    finally latin-1, which decodes anything, so an odd legacy file is still indexed.
    """
    head = data[:_SNIFF_BYTES]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, "binary file (bad UTF-16)"
    if b"\x00" in head:
        return None, "binary file"
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:_SNIFF_BYTES] if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls > len(text[:_SNIFF_BYTES]) * 0.1:
            return None, "binary file"
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    return None, "binary file"  # pragma: no cover (latin-1 decodes anything)


def chunk(text: str, *, markdown: bool) -> list[Passage]:
    lines = text.splitlines()
    passages: list[Passage] = []
    headings: list[tuple[int, str]] = []  # (level, title) stack
    block: list[tuple[int, str]] = []  # (line number, text) of the passage being built
    para: list[tuple[int, str]] = []
    in_fence = False

    def section() -> str:
        return " > ".join(title for _, title in headings)

    def flush_para() -> None:
        nonlocal para
        if not para:
            return
        size = sum(len(t) + 1 for _, t in block)
        para_size = sum(len(t) + 1 for _, t in para)
        if block and size + para_size > TARGET_CHARS:
            flush_block()
        block.extend(para)
        para = []
        if sum(len(t) + 1 for _, t in block) > MAX_CHARS:
            flush_block()

    def flush_block() -> None:
        nonlocal block
        while block:
            taken, size = [], 0
            while block and (not taken or size + len(block[0][1]) + 1 <= MAX_CHARS):
                taken.append(block.pop(0))
                size += len(taken[-1][1]) + 1
            body = "\n".join(t for _, t in taken).strip()
            if body:
                passages.append(Passage(taken[0][0], taken[-1][0], section(), body))
        block = []

    for number, line in enumerate(lines, 1):
        if markdown and _FENCE.match(line):
            in_fence = not in_fence
            para.append((number, line))
            continue
        heading = _HEADING.match(line) if markdown and not in_fence else None
        if markdown and not in_fence and para and len(para) == 1 and _SETEXT.match(line) and para[0][1].strip():
            heading_text, level = para[0][1].strip(), 1 if line.strip().startswith("=") else 2
            para = []
            flush_block()
            headings[:] = [h for h in headings if h[0] < level] + [(level, heading_text)]
            block.append((number - 1, heading_text))
            continue
        if heading:
            flush_para()
            flush_block()
            level = len(heading.group(1))
            headings[:] = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
            block.append((number, heading.group(2)))  # the heading's words count for ranking
            continue
        if not line.strip() and not in_fence:
            flush_para()
            continue
        para.append((number, line.rstrip()))
    flush_para()
    flush_block()
    return [p for p in passages if not _heading_only(p)]


def _heading_only(passage: Passage) -> bool:
    """A heading straight followed by a sub-heading says nothing on its own."""
    return passage.start_line == passage.end_line and passage.text == passage.heading.rsplit(" > ", 1)[-1]


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES

"""`slm kb`: index local documents and search them.

Only parses arguments and prints; slm.plugins.kb.index does the work (pure
standard library, no model, no network). The index is the kb plugin's, under
SLM_HOME/data/plugins/kb, so `slm ask` answers from what `slm kb add` indexed.
"""
from __future__ import annotations

from pathlib import Path

import click

from slm.cli.output import echo_json
from slm.cli.params import NonEmptyPath


def _index():
    from slm.config import load_settings
    from slm.plugins.kb.index import KbIndex

    return KbIndex.for_settings(load_settings())


def _calibrate_routing(index) -> None:
    """The router sends document questions to kb above a score fitted to these documents."""
    from slm.plugins.kb.routing import calibrate

    calibrate(index)


@click.group("kb")
def kb():
    """Index local documents (Markdown, text) and search them."""


@kb.command("add")
@click.argument("paths", nargs=-1, required=True, type=NonEmptyPath(path_type=Path))
@click.option("--prune", is_flag=True, help="Also drop indexed files under PATHS that no longer exist.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def add(paths: tuple[Path, ...], prune: bool, as_json: bool):
    """Index files and folders (recursively); re-adding only re-reads what changed."""
    index = _index()
    report = index.add(list(paths), prune=prune)
    _calibrate_routing(index)
    if as_json:
        echo_json(report.to_dict())
        return
    for item in report.skipped:
        click.echo(f"note: skipped {item['path']}: {item['reason']}", err=True)
    for item in report.notes:
        click.echo(f"note: {item['path']}: {item['note']}", err=True)
    for path in report.removed:
        click.echo(f"removed {path}")
    click.echo(report.summary())


@kb.command("rm")
@click.argument("paths", nargs=-1, required=True, type=NonEmptyPath(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def rm(paths: tuple[Path, ...], as_json: bool):
    """Remove files, or everything under folders, from the index (the files are not touched)."""
    index = _index()
    removed = index.remove(list(paths))
    _calibrate_routing(index)
    if as_json:
        echo_json({"removed": removed})
        return
    for path in removed:
        click.echo(f"removed {path}")
    click.echo(f"{len(removed)} file(s) removed from the index")


@kb.command("search")
@click.argument("query", nargs=-1)
@click.option("-k", "k", type=int, default=5, show_default=True, help="How many passages.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(query: tuple[str, ...], k: int, as_json: bool):
    """The passages that best match QUERY (BM25), with file and line."""
    from slm.plugins.kb import source_line

    hits = _index().search(" ".join(query), k)
    if as_json:
        echo_json([h.to_dict() for h in hits])
        return
    if not hits:
        click.echo("no matching passages")
        return
    for hit in hits:
        click.echo(f"{source_line(hit, hit.rank)}  score {hit.score:.2f}")
        for line in hit.text.splitlines()[:6]:
            click.echo(f"    {line}")
        click.echo("")


@kb.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool):
    """Indexed files, their passages and whether they still exist."""
    files = _index().files()
    if as_json:
        echo_json([f.to_dict() for f in files])
        return
    if not files:
        click.echo("the knowledge base is empty (add documents with: slm kb add PATH)")
        return
    for f in files:
        state = "" if f.present else "  (missing: slm kb add --prune or slm kb rm)"
        click.echo(f"{f.passages:5d} passages  {f.size:9d} B  {f.path}{state}")
    click.echo(f"{len(files)} file(s), {sum(f.passages for f in files)} passages")

"""`slm models`: list, pull, info, rm, verify, export and import models.

Only parses arguments and prints; slm.store does the work. Every command has
--json. Errors are SlmErrors: slm.cli.main prints them as one line.
"""
from __future__ import annotations

from pathlib import Path

import click

from slm.cli.output import echo_json, echo_table
from slm.cli.params import NonEmptyPath


def _store():
    from slm.config import load_settings
    from slm.store.model_store import ModelStore

    return ModelStore(load_settings())


def _size(n) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


@click.group("models")
def models():
    """List, pull, inspect, verify, remove, export and import models."""


@models.command("list")
@click.option("--present", is_flag=True, help="Only models on this device.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(present: bool, as_json: bool):
    """Catalog models and the models on this device."""
    rows = _store().list(present_only=present)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no models on this device (see: slm models list)")
        return
    table = [("NAME", "STATUS", "FORMAT", "VARIANT", "SIZE", "DESCRIPTION")]
    for r in rows:
        status = r["status"] + (" (unverified)" if r["present"] and r.get("verified") is False else "")
        fmt = r["format"] or "-"
        if r.get("adapter"):
            fmt = f"adapter for {r['base']}" if r.get("base") else "adapter"
        table.append((r["name"], status, fmt, r["variant"] or "-", _size(r["size_bytes"]),
                      r["description"] or r.get("path") or ""))
    echo_table(table)


@models.command("pull")
@click.argument("names", nargs=-1, required=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (no progress bar).")
def pull(names: tuple[str, ...], quiet: bool, as_json: bool):
    """Download models (catalog NAME[:VARIANT], ORG/REPO/FILE[@REV]); present ones are left alone."""
    store = _store()
    out = []
    for name in names:
        already = store.is_present(name)
        local = store.pull(name, progress=not (quiet or as_json))
        row = {**local.to_dict(), "already_present": already}
        out.append(row)
        if not as_json:
            what = f"{name} ({local.variant})" if local.variant else name
            verb = "already present" if already else "pulled"
            checked = ("unverified: the hub published no hash to check it against" if local.unverified
                       else f"checked against the {local.checked_against}")
            click.echo(f"{verb}: {what}, {_size(local.size_bytes)}, sha256 {(local.sha256 or '-')[:12]} ({checked})"
                       f" -> {local.path}")
    if as_json:
        echo_json(out[0] if len(out) == 1 else out)


@models.command("info")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(name: str, as_json: bool):
    """Catalog facts and local state of one model."""
    data = _store().info(name)
    if as_json:
        echo_json(data)
        return
    click.echo(f"name: {data['name']} ({data['kind']})")
    cat = data.get("catalog")
    if cat:
        click.echo(f"description: {cat['description']}")
        click.echo(f"format: {cat['format']}  params: {cat['params'] or '-'}  context: {cat['context_length'] or '-'}"
                   f"  licence: {cat['license'] or '-'}")
        for v in cat["variants"]:
            click.echo(f"  variant {v['quant']}: {v['repo']}/{v['file']} ({_size(v['size_bytes'])}, "
                       f"RAM {_size(v['ram_bytes'])}){' sha256 ' + v['sha256'][:12] if v['sha256'] else ''}")
    if data.get("hub"):
        h = data["hub"]
        click.echo(f"hub: {h['repo']}/{h['file']} @ {h['revision']}")
    local = data.get("local")
    if isinstance(local, dict):
        click.echo(f"file: {local['path']} ({_size(local['size_bytes'])})")
    elif local:
        for rec in local:
            unverified = "" if rec.get("checked_against") else ", unverified"
            adapter = ", LoRA adapter" if rec.get("kind") == "adapter" else ""
            click.echo(f"on device: {rec['path']} ({_size(rec['size'])}, {rec.get('status')}{adapter}, "
                       f"sha256 {rec['sha256'][:12]}{unverified})")
        if data.get("base"):
            click.echo(f"adapter for: {data['base']}")
    else:
        click.echo(f"not on this device (run: slm models pull {name})")


@models.command("rm")
@click.argument("names", nargs=-1, required=True)
@click.option("--force", is_flag=True, help="Also remove an adapter that installed plugins declare.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def rm(names: tuple[str, ...], force: bool, as_json: bool):
    """Delete models (and LoRA adapters) from this device."""
    store = _store()
    removed = []
    for name in names:
        removed += store.rm(name, force=force)
    if as_json:
        echo_json({"removed": removed})
    else:
        for path in removed:
            click.echo(f"removed {path}")


@models.command("verify")
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def verify(names: tuple[str, ...], as_json: bool):
    """Re-hash model files; exit 1 if any is corrupt or missing."""
    results = _store().verify(list(names) or None)
    bad = [r for r in results if r["status"] != "ok"]
    if as_json:
        echo_json({"ok": not bad, "models": results})
    else:
        if not results:
            click.echo("no models on this device")
        for r in results:
            click.echo(f"{r['status']:8} {r['name']}" + (f": {r['reason']}" if r["reason"] else ""))
    if bad:
        from slm.errors import CorruptModelError

        names_bad = ", ".join(r["name"] for r in bad)
        raise CorruptModelError(f"{len(bad)} model file(s) failed verification: {names_bad}",
                                hint="pull them again: slm models rm NAME && slm models pull NAME")


@models.command("export")
@click.argument("names", nargs=-1, required=True)
@click.option("-o", "--output", "output", required=True, type=NonEmptyPath(dir_okay=False, path_type=Path),
              help="The pack file to write.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def export(names: tuple[str, ...], output: Path, as_json: bool):
    """Write models into one offline pack (a tar with a manifest and sha256 hashes)."""
    result = _store().export_pack(list(names), output)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"wrote {result['pack']} ({_size(result['size_bytes'])}, {len(result['models'])} model(s))")


@models.command("import")
@click.argument("file", type=NonEmptyPath(dir_okay=False, path_type=Path))
@click.option("--name", metavar="NAME", help="For a .gguf: the name to use it by (default: its file name).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def import_(file: Path, name: str | None, as_json: bool):
    """Install models from an offline pack (all or nothing), or register one local .gguf file.

    A .gguf is copied into the store, hashed and checked; a file a catalog entry
    publishes (same sha256) is then known by that catalog name, any other by NAME.
    """
    store = _store()
    if file.suffix.lower() == ".gguf":
        result = store.import_gguf(file, name)
        if as_json:
            echo_json(result)
            return
        verb = "already present" if result["already_present"] else "imported"
        click.echo(f"{verb}: {result['name']} ({_size(result['size_bytes'])}, sha256 {result['sha256'][:12]}) "
                   f"-> {result['path']}")
        return
    if name is not None:
        from slm.errors import UsageError

        raise UsageError("--name applies to a .gguf file; a pack keeps the names it was exported with")
    result = store.import_pack(file)
    if as_json:
        echo_json(result)
    else:
        for src in result["imported"]:
            click.echo(f"imported {src}")
        for src in result["skipped"]:
            click.echo(f"already present {src}")

"""`slm queue`: the offline queue of requests waiting for the cloud.

Only parses arguments and prints; slm.offload.queue does the work.
"""
from __future__ import annotations


import click

from slm.cli.output import echo_json, echo_table


def _queue(settings=None):
    from slm.config import load_settings
    from slm.offload.queue import OfflineQueue

    return OfflineQueue.from_settings(settings or load_settings())


@click.group("queue")
def queue():
    """The offline queue of requests waiting for the cloud."""


@queue.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), default=None, help="Only this status.")
def list_(as_json: bool, status: str | None):
    """Queued requests, oldest first."""
    with _queue() as q:
        rows = [item.summary() for item in q.list(status)]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("the queue is empty")
        return
    table = [("ID", "STATUS", "CREATED", "PLUGIN", "PREVIEW")]
    table += [(r["id"], r["status"], r["created"], r["plugin"] or "-", r["preview"]) for r in rows]
    echo_table(table)


@queue.command("sync")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sync(as_json: bool):
    """Send pending requests to the cloud in order and store the answers."""
    from slm.config import load_settings
    from slm.errors import CloudError
    from slm.offload.cloud import CloudClient
    from slm.offload.queue import SyncReport

    def show(item) -> None:
        if not as_json:
            click.echo(f"{item.status} #{item.id}" + (f": {item.error}" if item.error else ""))

    settings = load_settings()
    with _queue(settings) as q:
        if q.counts()["pending"] == 0:  # an empty queue needs no cloud: not an error on a device that has none
            if as_json:
                echo_json(SyncReport().to_dict())
            else:
                click.echo("sent 0, failed 0, pending 0: nothing to sync")
            return
        report = q.sync(CloudClient.from_settings(settings), on_item=show)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(f"sent {len(report.sent)}, failed {len(report.failed)}, pending {len(report.pending)}")
    if report.error:
        raise CloudError(f"sync stopped: {report.error}; {len(report.pending)} request(s) still pending")


@queue.command("show")
@click.argument("qid", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(qid: str, as_json: bool):
    """One queued request: its prompt, status and (once sent) its answer."""
    with _queue() as q:
        detail = q.get(qid).detail()
    if as_json:
        echo_json(detail)
        return
    for key in ("id", "status", "created", "plugin", "reason", "attempts", "model", "sent_at", "error"):
        if detail.get(key) is not None:
            click.echo(f"{key}: {detail[key]}")
    click.echo(f"prompt: {detail['prompt']}")
    if detail["answer"] is not None:
        click.echo("answer:")
        click.echo(detail["answer"])


@queue.command("drop")
@click.argument("qid", metavar="ID")
def drop(qid: str):
    """Remove a request from the queue (it will not be sent)."""
    with _queue() as q:
        q.drop(qid)
    click.echo(f"dropped #{qid.strip().lstrip('#')}")


@queue.command("repair")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def repair(as_json: bool):
    """Move a damaged queue aside and keep every request that can still be read."""
    from slm.config import load_settings
    from slm.offload.queue_repair import repair as repair_queue

    done = repair_queue(load_settings().data_dir / "queue.db")
    if as_json:
        echo_json(done)
    elif done["status"] == "repaired":
        click.echo(f"moved the damaged queue to {done['moved_to']}; kept {done['kept']} request(s), "
                   f"{done['unreadable']} unreadable; the queue is usable again")
    elif done["status"] == "healthy":
        click.echo(f"the queue at {done['path']} is healthy: nothing to repair")
    else:
        click.echo("there is no queue yet: nothing to repair")


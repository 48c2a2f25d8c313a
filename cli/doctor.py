"""`slm doctor [--json]`: what this device offers and how slm will measure energy."""
from __future__ import annotations


import click

from slm.cli.output import echo_json


def _gib(n: int | None) -> str:
    return "?" if n is None else f"{n / 2**30:.1f} GiB"


def _mib(n: int | None) -> str:
    return "? (not on this device)" if n is None else f"{n / 2**20:.1f} MiB"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def doctor(as_json: bool) -> None:
    """Check this device: CPU, RAM, accelerators, power sources."""
    from slm.config import load_settings
    from slm.energy.doctor import device_report

    from slm.store.adapter_use import memory_plan
    from slm.store.model_store import ModelStore

    settings = load_settings()
    report = device_report(settings)
    report["adapter_memory"] = memory_plan(ModelStore(settings))
    if as_json:
        echo_json(report)
        return
    cpu, ram, acc = report["cpu"], report["ram"], report["accelerators"]
    vm = " (virtual machine)" if cpu["virtual_machine"] else ""
    click.echo(f"CPU: {cpu['model'] or 'unknown'}{vm}, {cpu['cores']} cores, {cpu['threads']} threads")
    click.echo(f"RAM: {_gib(ram['total_bytes'])} total, {_gib(ram['available_bytes'])} available")
    if acc["gpus"]:
        for g in acc["gpus"]:
            click.echo(f"GPU {g['index']}: {g['name']} ({g['vendor']}, {_gib(g['memory_bytes'])}, energy by {g['energy']})")
    else:
        click.echo("GPU: none usable")
    llama = acc["llama_cpp"]
    click.echo(f"llama.cpp backend: {llama['backend'] or 'unavailable'}" + (f" ({llama['note']})" if llama.get("note") else ""))
    onnx = acc["onnxruntime"]
    click.echo(f"onnxruntime providers: {', '.join(onnx['providers']) or 'none'}"
               + (f" ({onnx['note']})" if onnx.get("note") else ""))
    click.echo("Power sources:")
    for src in report["power_sources"]:
        mark = "available" if src["available"] else "unavailable"
        click.echo(f"  {src['name']}: {mark}" + (f": {src['reason']}" if src["reason"] else ""))
        if src["fix"] and not src["available"]:
            click.echo(f"    fix: {src['fix']}")
    for plan in report["adapter_memory"]:
        n = len(plan["plugins"])
        sizes = ", ".join(f"{a['adapter']} {_mib(a['size_bytes'])}" for a in plan["adapters"])
        click.echo(f"Adapter plugins on {plan['base']} ({', '.join(plan['plugins'])}): base {_mib(plan['base_bytes'])}"
                   f" once + adapters ({sizes}) = {_mib(plan['total_bytes'])}"
                   f"; {n} separate full copies: {_mib(plan['separate_copies_bytes'])}")
    energy, power = report["energy"], report["power"]
    click.echo(f"Energy per request: {energy['method']} via {energy['cpu_source']}; "
               f"grid {energy['grid_intensity_g_per_kwh']:g} gCO2e/kWh")
    if power["on_battery"] is not None or power["battery_percent"] is not None:
        state = "on battery" if power["on_battery"] else "on mains power"
        pct = f", {power['battery_percent']:.0f}%" if power["battery_percent"] is not None else ""
        click.echo(f"Power: {state}{pct}")

"""The line `slm ask` prints on stderr after an answer: where it ran, model, tokens, time, energy.

No click here: the server renders the same line for the quick client (slm.cli.quick_ask),
so both paths print one thing from one piece of code.
"""
from __future__ import annotations

import os


def cost_line(result) -> str:
    """One short line: where it ran, which model, tokens, time (energy when measured)."""
    parts = [result.where]
    if result.plugin:
        parts.append(result.plugin)
    if result.model:
        model = str(result.model)
        model = os.path.basename(model) if os.sep in model and os.path.exists(model) else model
        for a in result.adapters or ():
            name = str(a["adapter"])
            name = os.path.basename(name) if os.sep in name else name
            model += f" + {name}" + (f":{a['scale']:g}" if a["scale"] != 1.0 else "")
        parts.append(model)
    usage = result.usage
    parts.append(f"{usage.prompt_tokens}+{usage.completion_tokens} tokens")
    parts.append(f"{result.timings.total_ms / 1000.0:.1f} s")
    if result.energy:
        from slm.energy.reading import cost_line as energy_cost

        parts.append(energy_cost(result.energy))
    if result.offload_reason:
        parts.append(f"offloaded: {result.offload_reason}")
    return "— " + " · ".join(parts)

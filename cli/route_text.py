"""What `slm route` does and prints, without click: shared by the command (cli/route.py) and the
quick `slm route PROMPT` (cli/quick_route.py), which runs before click is imported."""
from __future__ import annotations


def router_for(settings=None):
    from slm.config import load_settings
    from slm.router import Router

    return Router(settings if settings is not None else load_settings())


def route_many(prompts: list[str], *, use_server: bool) -> list:
    """Through a running `slm serve` for this SLM_HOME when there is one (its router is loaded)."""
    settings = None
    if use_server:
        from slm.cli.local_server import running_server

        settings, server = running_server()
        if server is not None:
            from slm.server.client import ServerUnavailable

            try:
                return server.route_many(prompts)
            except ServerUnavailable:
                pass
    return router_for(settings).route_many(prompts)


def describe(decision) -> str:
    info = decision.info
    extra = "".join(f"  [{k}: {', '.join(info[k]) if isinstance(info[k], list) else info[k]}]"
                    for k in ("language", "declined") if k in info)
    if "note" in info:
        extra += f"\n  note: {info['note']}"
    if decision.plugin is None:
        best = max(decision.scores.items(), key=lambda kv: kv[1], default=None)
        hint = f" (closest: {best[0]} {best[1]:.2f})" if best else ""
        return f"none: no plugin fits, confidence {decision.confidence:.2f}{hint}{extra}"
    return f"{decision.plugin}  confidence {decision.confidence:.2f}  margin {decision.margin:.2f}{extra}"

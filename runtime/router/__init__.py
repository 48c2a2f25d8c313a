"""slm.router: the tiny on-device model that picks a plugin for each prompt (or none)."""
from slm.router.decision import RouteDecision, SecondStage, TrainReport
from slm.router.router import Router

__all__ = ["RouteDecision", "Router", "SecondStage", "TrainReport"]

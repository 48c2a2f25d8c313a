"""slm.router: the tiny on-device model that picks a plugin for each prompt (or none).

Open ``router.py`` first (Router: route, train, cache); ``features.py`` turns a prompt
into numbers, ``trainer.py`` fits the model, ``onnx_model.py`` writes it as ONNX.
"""
from slm.router.decision import RouteDecision, SecondStage, TrainReport
from slm.router.router import Router

__all__ = ["RouteDecision", "Router", "SecondStage", "TrainReport"]

"""`slm serve`: a local OpenAI-compatible HTTP server on Starlette + uvicorn.

Modules, one concern each: app (the Starlette app and its routes), protocol
(OpenAI request validation and error shape), chat (/v1/chat/completions),
scheduler (slots and bounded FIFO queues), generation (a request's answer in a
worker thread), native (slm's own endpoints for the CLI), embeddings, metrics
(Prometheus text), state (the state file under SLM_HOME), runner (uvicorn),
client (what `slm ask` uses; stdlib only).
"""

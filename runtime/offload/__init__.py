"""slm.offload: what happens when the device should not answer a request itself.

Open ``policy.py`` first (decide: local or cloud, and why); ``service.py`` sends or
queues a request, ``redact.py`` takes PII out and puts it back, ``cloud.py`` is the
OpenAI-compatible client, ``queue.py`` the offline queue.
"""

"""Built-in plugin: email — draft, reply to, rewrite or re-tone a customer message.

The mode and tone are read from the prompt (``intent``) unless the request
options name them; the model fills {subject, paragraphs} under a JSON-schema grammar.
"""
from __future__ import annotations

from typing import Any

from slm.plugins.sdk import Plugin, Request, Result
from slm.plugins.structured import plain_text

from .intent import (
    MODES,
    TONES,
    detect_mode,
    detect_tone,
    original_subject,
    split_message,
)

EMAIL_SCHEMA: dict[str, Any] = {
    # The body comes as paragraphs: one-line strings keep the grammar safe (see
    # structured.plain_text) and the paragraph breaks survive.
    "type": "object",
    "additionalProperties": False,
    "required": ["subject", "paragraphs"],
    "properties": {
        "subject": plain_text(100, 1),
        "paragraphs": {"type": "array", "minItems": 1, "maxItems": 8, "items": plain_text(600, 1)},
    },
}
DEFAULT_MAX_TOKENS = 640

_TASKS = {
    "draft": "Write a new email to a customer as the user asks.",
    "reply": "Write the user's reply to the customer message below, answering its points.",
    "rewrite": "Rewrite the message below: keep its meaning and facts, improve clarity and correctness.",
    "tone": "Rewrite the message below in the requested tone; keep every fact, name, number and date.",
}


def system_prompt(mode: str, tone: str) -> str:
    return (f"You write emails for a field sales and service team. {_TASKS[mode]} "
            f"Tone: {tone}. Return a short subject line and the email as paragraphs: greeting, "
            "the message, sign-off. "
            "Never invent prices, dates or commitments that the user did not give.")


def _not_blank(value: dict[str, Any]) -> list[str]:
    problems = [] if value["subject"].strip() else ["subject is blank"]
    if not any(p.strip() for p in value["paragraphs"]):
        problems.append("body is blank")
    return problems


class EmailPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from slm.errors import UsageError
        from slm.plugins.structured import generate_valid, int_setting

        options = request.options
        mode = options.get("mode") or detect_mode(request.prompt)
        tone = options.get("tone") or detect_tone(request.prompt, mode)
        if mode not in MODES:
            raise UsageError(f"email: unknown mode {mode!r}", hint=f"one of {', '.join(MODES)}")
        if tone not in TONES:
            raise UsageError(f"email: unknown tone {tone!r}", hint=f"one of {', '.join(TONES)}")
        instruction, message = split_message(request.prompt) if mode != "draft" else (request.prompt, None)
        prompt = instruction if not message else f"{instruction}\n\nMessage:\n{message}"
        answer = generate_valid(ctx, EMAIL_SCHEMA, prompt, system=system_prompt(mode, tone),
                                max_tokens=int_setting(ctx, "max_tokens", DEFAULT_MAX_TOKENS, request=request),
                                check=_not_blank, attempts=int_setting(ctx, "attempts", 2))
        subject = " ".join(answer["subject"].split())
        body = "\n\n".join(" ".join(p.split()) for p in answer["paragraphs"] if p.strip())
        source_subject = original_subject(message) if message else None
        if mode == "reply" and source_subject and not subject.lower().startswith("re:"):
            subject = f"Re: {source_subject}"  # replies keep the thread's subject
        data = {"subject": subject, "body": body, "mode": mode, "tone": tone}
        return Result(text=f"Subject: {subject}\n\n{body}", data=data)


plugin = EmailPlugin()

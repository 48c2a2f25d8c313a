"""Built-in plugin: extract — CRM fields from free text into JSON that validates.

The model fills a bounded JSON-schema grammar; deterministic extractors
(``patterns``) cross-check it: model values not in the text are dropped into
``unverified``, emails/phones/amounts/dates/ids the model missed are added, and
the result must validate against the published ``schema.json``. An answer that
fails twice raises LocalAnswerFailed so the offload policy can decide.
"""
from __future__ import annotations

from slm.plugins.sdk import LocalAnswerFailed, Plugin, Request, Result

SYSTEM = (
    "You extract CRM fields from the user's text. Copy values exactly as written in the text; "
    "never invent values. people: name, job title and company of each person named. "
    "Use empty lists when a field does not occur. action_items: who does what by when."
)
DEFAULT_MAX_TOKENS = 768


class ExtractPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from slm.plugins.structured import errors, generate_valid, int_setting

        from . import fields

        text = str(request.options.get("text") or request.prompt)
        max_tokens = int_setting(ctx, "max_tokens", DEFAULT_MAX_TOKENS, request=request)
        answer = generate_valid(ctx, fields.GENERATION_SCHEMA, text, system=SYSTEM, max_tokens=max_tokens,
                                attempts=int_setting(ctx, "attempts", 2))
        data = fields.reconcile(answer, text)
        problems = errors(data, fields.output_schema())
        if problems:  # reconcile builds the output itself, so this is a bug guard, not a model check
            raise LocalAnswerFailed(f"extract: output does not match its schema ({problems[0]})")
        if data["unverified"]:
            ctx.logger.info("extract: %d model value(s) not found in the text", len(data["unverified"]))
        return Result(text=fields.render(data), data=data)


plugin = ExtractPlugin()

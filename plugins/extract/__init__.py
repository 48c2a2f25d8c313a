"""Built-in plugin: extract — CRM fields from free text into JSON that validates.

Deterministic finders go first (``patterns``: e-mails, phones, amounts, dates, ids;
``entities``: people, titles, companies and addresses stated by layout; action items
as the notes plugin finds them). The model is asked only for what they cannot find —
the people and companies named in prose — as two plain-text questions (a 135M model
answers those; under a JSON grammar with a worked example it copied the example). Every model value must be found in the text as a proper noun (``fields.reconcile``),
or it goes to ``unverified``. When the model fails, the deterministic fields are
returned with a note (``data.notes``) instead of failing the request.
"""
from __future__ import annotations

import re

from slm.plugins.sdk import LocalAnswerFailed, Plugin, Request, Result

SYSTEM = "You answer questions about a text. Copy names exactly as the text writes them. Never invent names."

QUESTIONS = {  # plain-text questions: a 135M model answers these; under a JSON grammar it copied the example
    "people": "Which people are named in this text? Answer with their names only, separated by commas.",
    "companies": "Which companies or organisations are named in this text? Answer with their names only, "
                 "separated by commas.",
}
DEFAULT_MAX_TOKENS = 48  # a list of up to ~8 names
MAX_MODEL_CHARS = 3000  # the model sees the first ~750 tokens; the finders read all of it
_CANDIDATE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’.&/-]*|de|del|du|van|von|der|&|of))*")


def names_in_answer(answer: str) -> list[str]:
    """Capitalised runs of the model's answer: the candidate names (checked against the text afterwards)."""
    return [m.group().strip(" .,&") for m in _CANDIDATE.finditer(answer) if m.group().strip(" .,&")]


class ExtractPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from slm.plugins.structured import errors, int_setting

        from . import fields

        text = str(request.options.get("text") or request.prompt)
        max_tokens = int_setting(ctx, "max_tokens", DEFAULT_MAX_TOKENS, request=request)
        attempts = int_setting(ctx, "attempts", 2)
        from slm.plugins.sampling import require_model

        require_model(ctx)
        answer = fields.deterministic_answer(text)
        notes: list[str] = []
        names = {key: self.ask(ctx, text, key, max_tokens, attempts) for key in QUESTIONS}
        found = fields.plausible_names({"people": [{"name": n} for n in names["people"] or []],
                                        "companies": names["companies"] or []}, text)
        answer = fields.merge_answers(answer, found)
        if names["people"] is None and names["companies"] is None:
            notes.append("the model named no one found in the text; people and companies come from "
                         "the text's layout only")
        data = fields.reconcile(answer, text)
        data["action_items"] = data["action_items"] or fields.action_items(text)
        problems = errors(data, fields.output_schema())
        if problems:  # reconcile builds the output itself, so this is a bug guard, not a model check
            raise LocalAnswerFailed(f"extract: output does not match its schema ({problems[0]})")
        if data["unverified"]:
            ctx.logger.info("extract: %d model value(s) not found in the text", len(data["unverified"]))
        result = dict(data)
        result["notes"] = notes
        return Result(text=fields.render(data) + "".join(f"\n(note: {n})" for n in notes), data=result)


    @staticmethod
    def ask(ctx, text: str, key: str, max_tokens: int, attempts: int) -> list[str] | None:
        """The model's names for ``key`` that occur in the text (None: none after ``attempts`` greedy tries)."""
        from slm.plugins.sampling import generate_checked

        from .fields import _Reconciler

        r = _Reconciler(text)

        def accept(answer: str) -> list[str] | None:
            names = [n for n in names_in_answer(answer) if r.proper_in_text(n)]
            return names or None

        names, _calls = generate_checked(ctx, f"{text[:MAX_MODEL_CHARS]}\n\n{QUESTIONS[key]}", system=SYSTEM,
                                         max_tokens=max_tokens, accept=accept, tries=attempts)
        return names


plugin = ExtractPlugin()

"""Built-in plugin: email — draft, reply to, rewrite or re-tone a customer message.

The mode and tone are read from the prompt (``intent``) unless the request options
name them. The e-mail is first built without a model from the user's own words
(``compose``): a draft or reply says what the instruction says, a rewrite keeps the
quoted message with the tone's wording. The model is then asked, in plain text, to
make that body read well; its sentences that add a fact (numbers, dates, names:
``slm.plugins.faithful``), repeat or mostly tell their own story are dropped, and the rest
is used only when it still keeps every fact of the deterministic body and as many "not"s. Otherwise the deterministic e-mail is sent, labelled
``body_source: "template"``.
"""
from __future__ import annotations

import re
from typing import Any

from slm.plugins.sdk import Plugin, Request, Result

from .intent import (
    MODES,
    TONES,
    detect_mode,
    detect_tone,
    original_subject,
    split_message,
)

# One polish: on the benchmark's 42 requests SmolLM2-135M's polish never kept every fact (it changed dates,
# numbers and product codes), and a second greedy try doubled the time for the same outcome.
DEFAULT_ATTEMPTS = 1
DEFAULT_MAX_TOKENS = 320  # the most a polished body may take; the real budget is sized to the draft
_TASKS = {
    "draft": "Rewrite this email so it reads naturally.",
    "reply": "Rewrite this reply so it reads naturally.",
    "rewrite": "Rewrite this email so it is clear and correct.",
    "tone": "Rewrite this email in a {tone} tone.",
}
SYSTEM = ("You edit e-mails for a field sales and service team. Keep every name, number, date and "
          "commitment exactly as written; add none. Write only the body: no greeting, no sign-off, no subject.")
MIN_GROUNDING = 0.6  # a kept sentence has >= 60 % of its content words in the request or the draft
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|unable|without|nor|none)\b|n['’]t\b", re.IGNORECASE)
_SHORTER = re.compile(r"\b(?:shorter|shorten|concise|too long|condense|trim|wall of text|brief)\b", re.IGNORECASE)


class EmailPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from slm.errors import UsageError
        from slm.plugins.structured import int_setting

        options = request.options
        mode = options.get("mode") or detect_mode(request.prompt)
        tone = options.get("tone") or detect_tone(request.prompt, mode)
        if mode not in MODES:
            raise UsageError(f"email: unknown mode {mode!r}", hint=f"one of {', '.join(MODES)}")
        if tone not in TONES:
            raise UsageError(f"email: unknown tone {tone!r}", hint=f"one of {', '.join(TONES)}")
        instruction, message = split_message(request.prompt)
        if mode == "draft":
            instruction, message = request.prompt, None
        from slm.plugins.sampling import require_model

        require_model(ctx)
        draft = self.template(mode, tone, instruction, message)
        max_tokens = int_setting(ctx, "max_tokens", DEFAULT_MAX_TOKENS, request=request)
        attempts = int_setting(ctx, "attempts", DEFAULT_ATTEMPTS)
        body, source, dropped = draft["body"], "template", []
        if draft["body"].strip():
            polished, dropped = self.polish(ctx, mode, tone, request.prompt, draft["body"], max_tokens, attempts)
            if polished:
                body, source = polished, "model"
        from .compose import assemble

        text_body = assemble(draft["greeting"], body.split("\n\n"), draft["signoff"], draft["signature"])
        data = {"subject": draft["subject"], "body": text_body, "mode": mode, "tone": tone,
                "body_source": source, "dropped": dropped}
        return Result(text=f"Subject: {draft['subject']}\n\n{text_body}", data=data)

    @staticmethod
    def template(mode: str, tone: str, instruction: str, message: str | None) -> dict[str, Any]:
        """The e-mail without a model: {subject, greeting, body, signoff, signature}."""
        from . import compose

        lang = compose.language(message or instruction)
        hello, bye, thanks = compose.WORDS[lang]
        if mode in ("draft", "reply"):
            name, signature = compose.recipient(instruction), None
            if message and not name:
                name = compose.sender_first_name(compose.parse_message(message)[2])
            points = compose.points(instruction)
            lead = [thanks] if mode == "reply" else []
            body = " ".join(lead + points) or (thanks + " I will get back to you shortly.")
            greeting = (compose.TONE_GREETING.get(tone, hello) if lang == "en" else hello).format(name=name) if name \
                else hello.replace(" {name}", "")
            signoff = compose.TONE_SIGNOFF.get(tone, bye) if lang == "en" else bye
            topic = compose.subject_from(points or [body])
            if mode == "reply":
                subject = f"Re: {original_subject(message) if message and original_subject(message) else topic}"
            else:
                subject = topic
            return {"subject": subject, "greeting": greeting, "body": body, "signoff": signoff, "signature": signature}
        name, paragraphs, signature = compose.parse_message(message or instruction)
        shorten = mode == "rewrite" and bool(_SHORTER.search(instruction)) or tone == "concise"
        paragraphs = [compose.retone(p, tone, shorten=shorten) for p in paragraphs if not p.lower().startswith("subject:")]
        paragraphs = [p for p in paragraphs if p]
        if mode == "tone" and lang == "en" and tone in compose.TONE_OPENING and paragraphs:
            paragraphs.insert(0, compose.TONE_OPENING[tone])
        first_line = (message or "").strip().splitlines()[0].strip() if (message or "").strip() else ""
        if mode == "rewrite" and name and compose._GREETING.match(first_line):
            greeting = first_line  # a rewrite keeps the writer's own greeting
        else:
            greeting = (compose.TONE_GREETING.get(tone, "Hi {name},") if lang == "en" else hello).format(name=name) \
                if name else ""
        signoff = compose.TONE_SIGNOFF.get(tone, bye) if lang == "en" else bye
        first = [s for p in paragraphs for s in p.split(". ")]
        subject = original_subject(message or "") or compose.subject_from(first)
        return {"subject": subject, "greeting": greeting, "body": "\n\n".join(paragraphs), "signoff": signoff,
                "signature": signature}

    @staticmethod
    def polish(ctx, mode: str, tone: str, prompt: str, body: str, max_tokens: int,
               attempts: int) -> tuple[str | None, list[dict]]:
        """The model's version of ``body`` when it keeps all of its facts and adds none, else None."""
        from slm.plugins.faithful import Checker, cut_loop, echoes
        from slm.plugins.sampling import generate_checked

        from .compose import _GREETING, _SIGNOFF

        allowed = Checker(f"{prompt}\n{body}")
        task = _TASKS[mode].format(tone=tone)
        budget = min(max_tokens, int(ctx.count_tokens(body) * 1.6) + 40)
        dropped: list[dict] = []

        def accept(text: str) -> str | None:
            text = cut_loop(text.strip())
            lines = [ln for ln in text.splitlines() if not (_GREETING.match(ln) or _SIGNOFF.match(ln))]
            text = "\n".join(lines).strip()
            # sentences with a fact the request lacks, repeats and the model's own story are dropped; what is
            # left is used only if it still carries every fact of the deterministic body and says no more "not"s
            kept, why = allowed.keep(text, min_grounding=MIN_GROUNDING)
            dropped.extend(why)
            kept = [s for s in kept if not echoes(s, task) and not echoes(s, prompt[:300], 0.9)]
            if not kept:
                return None
            out = " ".join(kept)
            missing = Checker(out).unsupported(body)
            if missing:
                dropped.append({"sentence": out[:200], "reason": "lost facts: " + ", ".join(dict.fromkeys(missing))})
                return None
            if len(_NEGATION.findall(out)) != len(_NEGATION.findall(body)):
                dropped.append({"sentence": out[:200], "reason": "a negation added or lost"})
                return None
            if not 0.5 <= len(out.split()) / max(1, len(body.split())) <= 2.0:
                dropped.append({"sentence": out[:200], "reason": "length changed too much"})
                return None
            return out

        polished, _calls = generate_checked(ctx, f"{task}\n\n{body}", system=SYSTEM, max_tokens=budget,
                                            accept=accept, tries=attempts)
        return polished, dropped


plugin = EmailPlugin()

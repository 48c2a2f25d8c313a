"""Built-in plugin: notes — recap of visit, meeting or call notes.

Action items (owners, due dates), risks, key points, dates and amounts are found
in the notes without a model (``facts``); the model writes only the prose summary,
and each of its sentences is checked against the notes (``slm.plugins.faithful``).
Without a model, or when no model sentence is faithful, the summary is extractive
and labelled so. Notes longer than the model's context are cut into chunks that
fit (``chunking``) and each chunk is summarised on its own.
"""
from __future__ import annotations

import re
from typing import Any

from slm.plugins.sdk import Plugin, Request, Result
from slm.plugins.structured import int_setting

SUMMARY_SYSTEM = ("You write a short, factual recap of a salesperson's visit, meeting or call notes. "
                  "Two or three sentences. Use only names, numbers and dates that are in the notes.")
DEFAULT_MAX_TOKENS = 120  # two or three sentences; more only lets a small model wander
OVERHEAD_TOKENS = 48  # chat-template wrapping and the instruction line
MAX_POINTS = 12  # the most [plugins.notes] max_points may ask for, per list
MERGED_LIMITS = {"key_points": 12, "action_items": 12, "risks": 8}  # the most any list shows
MIN_GROUNDING = 0.6  # a kept summary sentence has >= 60 % of its content words in the notes
MAX_SUMMARY_SENTENCES = 3
MIN_SUMMARY_WORDS = 10  # fewer faithful words than this: the extractive summary says more
_LABEL_LINE = re.compile(r"^[A-Z][\w'’ /&-]{0,30}:")  # "Attendees: ...", "Notes:" — a list, not a recap

class NotesPlugin(Plugin):
    """Facts first (``facts``: no model), then a model-written summary that is checked sentence by sentence.

    Action items (owner, due date), risks and key points are spans of the notes. The
    model is asked only for a two-or-three-sentence summary; a sentence with a number,
    date or name the notes lack, a repeat, or mostly words the notes lack is dropped
    (``data.dropped`` says which and why). When no sentence survives, the summary is
    the notes' most informative sentences, labelled
    ``summary_source: "extractive"``. Notes longer than the context are summarised
    chunk by chunk (each chunk checked against itself); the facts cover all of it.
    """

    def handle(self, request: Request, ctx) -> Result:
        from .chunking import split_to_fit
        from .facts import extractive_summary, find_facts

        notes = str(request.options.get("text") or request.prompt).strip()
        max_tokens = int_setting(ctx, "max_tokens", DEFAULT_MAX_TOKENS, request=request)
        attempts = int_setting(ctx, "attempts", 2)
        max_points = int_setting(ctx, "max_points", 6, high=MAX_POINTS)
        from slm.plugins.sampling import require_model

        require_model(ctx)
        facts = find_facts(notes, max_items=max_points)
        summary, dropped, source, chunks, calls = "", [], "extractive", 1, 0
        budget = self.input_budget(ctx, max_tokens)
        parts = split_to_fit(notes, budget, ctx.count_tokens) or [notes]
        chunks = len(parts)
        if chunks > 1:
            ctx.logger.info("notes: %d tokens of notes split into %d chunks of <= %d tokens",
                            ctx.count_tokens(notes), chunks, budget)
        kept: list[str] = []
        seen: set[str] = set()
        for i, part in enumerate(parts, 1):
            sentences, why, used = self.summarise(ctx, part, max_tokens, attempts, seen,
                                                  label=f" (part {i} of {chunks})" if chunks > 1 else "")
            kept += sentences
            dropped += why
            calls += used
        if kept:
            limit = MAX_SUMMARY_SENTENCES * (1 if chunks == 1 else 2)
            summary, source = " ".join(kept[:limit]), "model"
        if not summary:
            summary = extractive_summary(facts) or (facts.sentences[0] if facts.sentences else "")
        data = {
            "summary": summary,
            "summary_source": source,
            "key_points": facts.key_points,
            "action_items": [a.to_dict() for a in facts.action_items],
            "risks": facts.risks,
            "dates": facts.dates,
            "amounts": facts.amounts,
            "chunks": chunks,
            "model_calls": calls,
            "dropped": dropped,
        }
        for key, limit in MERGED_LIMITS.items():
            data[key] = data[key][:limit]
        return Result(text=render(data), data=data)

    @staticmethod
    def summarise(ctx, notes: str, max_tokens: int, attempts: int, seen: set[str],
                  label: str = "") -> tuple[list[str], list[dict], int]:
        """(faithful summary sentences, dropped sentences with reasons, model calls) for one chunk."""
        from slm.plugins.faithful import Checker, cut_loop, echoes, sentence_key
        from slm.plugins.sampling import generate_checked

        checker = Checker(notes)
        instruction = f"Write a two-sentence recap of these notes{label}."
        prompt = f"Notes:\n{notes}\n\n{instruction}"
        dropped: list[dict] = []

        def accept(text: str) -> list[str] | None:
            text = cut_loop(text.strip())
            text = re.sub(r"^(?:recap|summary|here is[^:]*)\s*:\s*", "", text, flags=re.IGNORECASE)
            kept, why = checker.keep(text, seen=set(seen), min_grounding=MIN_GROUNDING)
            for sentence in kept:
                if echoes(sentence, instruction) or len(sentence.split()) < 6 or _LABEL_LINE.match(sentence):
                    why.append({"sentence": sentence, "reason": "not a summary sentence"})
            kept = [s for s in kept if not any(d["sentence"] == s for d in why)]
            dropped.extend(why)
            if sum(len(s.split()) for s in kept) < MIN_SUMMARY_WORDS:
                return None
            return kept[:MAX_SUMMARY_SENTENCES]

        kept, calls = generate_checked(ctx, prompt, system=SUMMARY_SYSTEM, max_tokens=max_tokens,
                                       accept=accept, tries=attempts)
        for sentence in kept or []:
            seen.add(sentence_key(sentence))
        return kept or [], dropped, calls

    @staticmethod
    def input_budget(ctx, max_tokens: int) -> int:
        """Tokens of notes one call can take: the context less the answer, system prompt and wrapping."""
        budget = ctx.n_ctx - max_tokens - ctx.count_tokens(SUMMARY_SYSTEM) - OVERHEAD_TOKENS
        if ctx.config.get("chunk_tokens") is not None:  # 0 or "" is a mistake to report, not "unset"
            budget = min(budget, int_setting(ctx, "chunk_tokens", budget))
        if budget < 32:
            from slm.errors import ContextOverflowError

            raise ContextOverflowError(
                f"notes: the model's context ({ctx.n_ctx} tokens) leaves no room for notes "
                f"after a {max_tokens}-token answer")
        return budget


def render(data: dict[str, Any]) -> str:
    label = "" if data.get("summary_source", "model") == "model" else " (extractive: the notes' own sentences)"
    lines = [f"Recap{label}", data["summary"] or "(no summary)"]
    if data["key_points"]:
        lines += ["", "Key points"] + [f"- {p}" for p in data["key_points"]]
    if data["action_items"]:
        lines += ["", "Action items"]
        for item in data["action_items"]:
            owner = f"{item['owner']}: " if item["owner"] else ""
            due = f" (due {item['due']})" if item["due"] else ""
            lines.append(f"- {owner}{item['task']}{due}")
    if data["risks"]:
        lines += ["", "Risks"] + [f"- {r}" for r in data["risks"]]
    return "\n".join(lines)


plugin = NotesPlugin()

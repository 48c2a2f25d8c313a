"""Built-in plugin: notes — recap of visit, meeting or call notes.

One JSON-constrained call returns {summary, key_points, action_items, risks}.
Notes longer than the model's context are not offloaded: they are cut into
chunks that fit (``chunking``), each chunk is summarised (map), the lists are
merged and the partial summaries are summarised again (reduce).
"""
from __future__ import annotations

from typing import Any

from slm.plugins.sdk import Plugin, Request, Result
from slm.plugins.structured import int_setting, plain_text

SYSTEM = (
    "You turn a field worker's visit, meeting or call notes into a recap. "
    "summary: two or three sentences. key_points: the facts that matter. "
    "action_items: each follow-up with its owner and due date as written in the notes "
    "(empty string when not stated). risks: anything that could lose or delay the deal. "
    "Use only what the notes say."
)
REDUCE_SYSTEM = "Combine these partial summaries of one set of notes into one summary of two or three sentences."

RECAP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["summary", "key_points", "action_items", "risks"],
    "properties": {
        "summary": plain_text(500, 1),
        "key_points": {"type": "array", "maxItems": 6, "items": plain_text(140, 1)},
        "action_items": {
            "type": "array",
            "maxItems": 6,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["owner", "task", "due"],
                "properties": {
                    "owner": plain_text(40),
                    "task": plain_text(140, 1),
                    "due": plain_text(30),
                },
            },
        },
        "risks": {"type": "array", "maxItems": 5, "items": plain_text(140, 1)},
    },
}


def recap_schema(max_points: int) -> dict[str, Any]:
    """RECAP_SCHEMA with at most ``max_points`` entries per list ([plugins.notes] max_points, 1-12)."""
    props = dict(RECAP_SCHEMA["properties"])
    for key in ("key_points", "action_items", "risks"):
        props[key] = {**props[key], "maxItems": max_points}
    return {**RECAP_SCHEMA, "properties": props}


SUMMARY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["summary"],
    "properties": {"summary": plain_text(500, 1)},
}
DEFAULT_MAX_TOKENS = 768
OVERHEAD_TOKENS = 48  # chat-template wrapping and the "part i of n" line
MAX_POINTS = 12  # the most [plugins.notes] max_points may ask for, per list
MERGED_LIMITS = {"key_points": 12, "action_items": 12, "risks": 8}


def _not_blank(value: dict[str, Any]) -> list[str]:
    """Grammar allows whitespace-only strings; a recap made of blanks is not an answer."""
    if not value.get("summary", "").strip():
        return ["summary is blank"]
    return []


class NotesPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from slm.plugins.structured import generate_valid

        from .chunking import split_to_fit

        notes = str(request.options.get("text") or request.prompt)
        max_tokens = int_setting(ctx, "max_tokens", DEFAULT_MAX_TOKENS, request=request)
        attempts = int_setting(ctx, "attempts", 2)
        schema = recap_schema(int_setting(ctx, "max_points", 6, high=MAX_POINTS))
        budget = self.input_budget(ctx, max_tokens)
        chunks = split_to_fit(notes, budget, ctx.count_tokens) or [notes]
        if len(chunks) > 1:
            ctx.logger.info("notes: %d tokens of notes split into %d chunks of <= %d tokens",
                            ctx.count_tokens(notes), len(chunks), budget)

        partials = []
        for i, chunk in enumerate(chunks, 1):  # map
            prompt = chunk if len(chunks) == 1 else f"Notes, part {i} of {len(chunks)}:\n{chunk}"
            if len(chunks) > 1:
                ctx.logger.debug("notes: map call %d/%d", i, len(chunks))
            partials.append(generate_valid(ctx, schema, prompt, system=SYSTEM, max_tokens=max_tokens,
                                           check=_not_blank, attempts=attempts, seed=i))
        recap = _merge(partials)
        if len(partials) > 1:  # reduce
            recap["summary"] = self.reduce_summaries(ctx, [p["summary"] for p in partials], budget,
                                                     max_tokens, attempts)
        data = {**recap, "chunks": len(chunks)}
        return Result(text=render(data), data=data)

    @staticmethod
    def input_budget(ctx, max_tokens: int) -> int:
        """Tokens of notes one call can take: the context less the answer, system prompt and wrapping."""
        budget = ctx.n_ctx - max_tokens - ctx.count_tokens(SYSTEM) - OVERHEAD_TOKENS
        if ctx.config.get("chunk_tokens") is not None:  # 0 or "" is a mistake to report, not "unset"
            budget = min(budget, int_setting(ctx, "chunk_tokens", budget))
        if budget < 32:
            from slm.errors import ContextOverflowError

            raise ContextOverflowError(
                f"notes: the model's context ({ctx.n_ctx} tokens) leaves no room for notes "
                f"after a {max_tokens}-token answer")
        return budget

    @staticmethod
    def reduce_summaries(ctx, summaries: list[str], budget: int, max_tokens: int, attempts: int) -> str:
        """Summaries -> one summary; batches that fit the budget are reduced in rounds."""
        from slm.plugins.structured import generate_valid

        from .chunking import split_to_fit

        rounds = 0
        while True:
            batches = split_to_fit("\n\n".join(s.strip() for s in summaries if s.strip()), budget, ctx.count_tokens)
            if not batches:
                return ""
            rounds += 1
            summaries = []
            for batch in batches:
                answer = generate_valid(ctx, SUMMARY_SCHEMA, batch, system=REDUCE_SYSTEM, max_tokens=max_tokens,
                                        check=_not_blank, attempts=attempts, seed=100 + rounds)
                summaries.append(answer["summary"].strip())
            if len(summaries) == 1 or rounds >= 4:
                return " ".join(summaries)


def _merge(partials: list[dict[str, Any]]) -> dict[str, Any]:
    """Map results -> one recap: lists concatenated without repeats, blanks dropped."""
    merged: dict[str, Any] = {"summary": partials[0]["summary"].strip(), "key_points": [], "action_items": [], "risks": []}
    for part in partials:
        for key in ("key_points", "risks"):
            for item in part[key]:
                item = " ".join(item.split())
                if item and item.casefold() not in (x.casefold() for x in merged[key]):
                    merged[key].append(item)
        for item in part["action_items"]:
            clean = {k: " ".join(item[k].split()) or None for k in ("owner", "task", "due")}
            if clean["task"] and all(clean["task"].casefold() != x["task"].casefold() for x in merged["action_items"]):
                merged["action_items"].append(clean)
    for key, limit in MERGED_LIMITS.items():
        merged[key] = merged[key][:limit]
    return merged


def render(data: dict[str, Any]) -> str:
    lines = ["Recap", data["summary"] or "(no summary)"]
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

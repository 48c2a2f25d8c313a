"""Built-in plugin: kb. Answers from the user's own documents, citing the passages used.

The index lives in the plugin's data folder (``slm kb add PATH`` fills it; see
``slm.plugins.kb.index``). With the plugin's model on the device the answer is
written by the model from the top passages and cites them as ``[n]``; without a
model the best passages themselves are the answer, so kb works on any device.
"""
from __future__ import annotations

from slm.errors import SlmError
from slm.plugins.sdk import Plugin, Request, Result

from .index import Hit, KbIndex

DEFAULT_K = 4
ANSWER_TOKENS = 320
PROMPT_OVERHEAD_TOKENS = 160  # system prompt, chat template, the question
SYSTEM = ("You answer questions using only the numbered passages from the user's documents. "
          "Cite the passages you use with their numbers in square brackets, like [1]. "
          "If the passages do not contain the answer, say that the documents do not say.")


def source_line(hit: Hit, number: int) -> str:
    lines = f"{hit.start_line}" if hit.start_line == hit.end_line else f"{hit.start_line}-{hit.end_line}"
    heading = f" ({hit.heading})" if hit.heading else ""
    return f"[{number}] {hit.path}:{lines}{heading}"


def _source(hit: Hit, number: int) -> dict:
    return {"n": number, "path": hit.path, "start_line": hit.start_line, "end_line": hit.end_line,
            "heading": hit.heading, "citation": f"[{number}] {hit.citation}", "score": round(hit.score, 4)}


class KbPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        query = (request.prompt or "").strip()
        options = request.options or {}
        k = _clamp_k(options.get("k", ctx.config.get("k", DEFAULT_K)))
        index = KbIndex(ctx.data_dir)
        if not query:
            return Result("Ask a question about your documents.", {"mode": "empty", "sources": []})
        if index.is_empty():
            return Result("The knowledge base is empty. Add documents with: slm kb add PATH",
                          {"mode": "empty", "sources": []})
        hits = index.search(query, k)
        if not hits:
            return Result("No passage in your documents matches that question.", {"mode": "no_match", "sources": []})
        if ctx.has_model:
            return self._answer(query, hits, ctx)
        return self._passages(hits, ctx)

    def _answer(self, query: str, hits: list[Hit], ctx) -> Result:
        used = _fit(hits, query, ctx)
        blocks = [f"[{i}] {h.path}:{h.start_line}\n{text}" for i, (h, text) in enumerate(used, 1)]
        prompt = "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {query}"
        answer = ctx.generate(prompt, system=SYSTEM, max_tokens=ANSWER_TOKENS, temperature=0.1, stream=True).strip()
        sources = "\n\nSources:\n" + "\n".join(source_line(h, i) for i, (h, _t) in enumerate(used, 1))
        ctx.emit(sources)
        return Result(answer + sources, {"mode": "model", "answer": answer,
                                         "sources": [_source(h, i) for i, (h, _t) in enumerate(used, 1)]})

    def _passages(self, hits: list[Hit], ctx) -> Result:
        model = getattr(ctx, "model", None)
        why = f"the model {model} is not on this device" if model else "no model is configured for kb"
        parts = [f"No answer written ({why}); the best matching passages:"]
        for i, hit in enumerate(hits, 1):
            parts.append(f"{source_line(hit, i)}\n{_indent(hit.text)}")
        return Result("\n\n".join(parts), {"mode": "passages", "sources": [_source(h, i) for i, h in enumerate(hits, 1)],
                                           "passages": [h.text for h in hits]})


def _fit(hits: list[Hit], query: str, ctx) -> list[tuple[Hit, str]]:
    """As many top passages as the model's context holds; the first is cut to fit if it must."""
    try:
        budget = int(ctx.n_ctx) - ANSWER_TOKENS - PROMPT_OVERHEAD_TOKENS - ctx.count_tokens(query)
        count = ctx.count_tokens
    except Exception as exc:  # a context without a tokenizer: estimate four characters a token
        if isinstance(exc, SlmError):
            raise  # the model failed to load etc.: the runtime's offload policy decides
        budget = 2048 - ANSWER_TOKENS - PROMPT_OVERHEAD_TOKENS - len(query) // 4
        count = lambda text: len(text) // 4 + 1
    used: list[tuple[Hit, str]] = []
    for hit in hits:
        need = count(hit.text) + 12
        if need <= budget:
            used.append((hit, hit.text))
            budget -= need
        elif not used and budget > 32:
            used.append((hit, hit.text[: max(budget - 12, 1) * 3]))
            break
    return used or [(hits[0], hits[0].text[:400])]


def _clamp_k(value) -> int:
    """A bad k in the config or request must not break the plugin: fall back to the default."""
    try:
        return min(max(int(value), 1), 20)
    except (TypeError, ValueError):
        return DEFAULT_K


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


plugin = KbPlugin()

__all__ = ["KbIndex", "KbPlugin", "plugin"]

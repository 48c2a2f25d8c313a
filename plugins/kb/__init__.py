"""Built-in plugin: kb. Answers from the user's own documents, citing the passages used.

The index lives in the plugin's data folder (``slm kb add PATH`` fills it; see
``slm.plugins.kb.index``). With the plugin's model on the device the model writes
the answer from the top passages, citing them as ``[n]``; the answer is used only
when every sentence is supported by a passage it cites (``answer.supported``), and
Sources lists only the cited passages. Otherwise — no model, or an unsupported answer —
the best-matching sentences of the passages are the answer (``answer.extractive``),
labelled as such; a question whose distinctive words no passage contains is answered
"the documents do not say". Without a model the passages are listed as well.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from slm.errors import SlmError
from slm.plugins.sdk import Plugin, Request, Result

if TYPE_CHECKING:
    from .index import Hit

DEFAULT_K = 4
MIN_COVERAGE = 0.25  # an extractive answer carries at least a quarter of the question's content words
ANSWER_TOKENS = 120  # one or two cited sentences; more only lets a small model wander
PROMPT_OVERHEAD_TOKENS = 160  # system prompt, chat template, the question
SYSTEM = ("You answer questions using only the numbered passages from the user's documents. "
          "Answer in one or two sentences. End each sentence with the number of the passage it comes from "
          "in square brackets, like [1]. If the passages do not contain the answer, say that the documents do not say.")


def source_line(hit: Hit, number: int) -> str:
    lines = f"{hit.start_line}" if hit.start_line == hit.end_line else f"{hit.start_line}-{hit.end_line}"
    heading = f" ({hit.heading})" if hit.heading else ""
    return f"[{number}] {hit.path}:{lines}{heading}"


def _source(hit: Hit, number: int) -> dict:
    return {"n": number, "path": hit.path, "start_line": hit.start_line, "end_line": hit.end_line,
            "heading": hit.heading, "citation": f"[{number}] {hit.citation}", "score": round(hit.score, 4)}


class KbPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from .terms import join_spaced_codes

        query = join_spaced_codes((request.prompt or "").strip())  # "e 22" -> "e22"
        options = request.options or {}
        k = _clamp_k(options.get("k", ctx.config.get("k", DEFAULT_K)))
        from .index import KbIndex

        index = KbIndex(ctx.data_dir)
        if not query:
            return Result("Ask a question about your documents.", {"mode": "empty", "sources": []})
        if index.is_empty():
            return Result("The knowledge base is empty. Add documents with: slm kb add PATH",
                          {"mode": "empty", "sources": []})
        hits = index.search(query, k)
        from . import answer as answers

        if not hits:  # not one word of the question is in the documents
            return Result(f"{answers.NOT_FOUND} (no passage matches that question)",
                          {"mode": "not_found", "answer": answers.NOT_FOUND, "missing": [], "sources": []})
        from .gate import judge
        from .questions import missing_scope

        texts = [h.text for h in hits]
        missing = answers.missing_terms(query, texts) or missing_scope(query, texts)
        verdict = judge(query, [(h.heading, h.text) for h in hits], index, answers.GENERIC)
        missing = missing or verdict.missing  # the question's informative words, weighed by their rarity
        if missing:
            text = f"{answers.NOT_FOUND} (no passage mentions {', '.join(missing)})"
            return Result(text, {"mode": "not_found", "answer": answers.NOT_FOUND, "missing": missing, "sources": []})
        if ctx.has_model:
            return self._answer(query, hits, ctx, verdict.known_words)
        return self._passages(query, hits, ctx, verdict.known_words)

    def _answer(self, query: str, hits: list[Hit], ctx, wanted: list[str]) -> Result:
        from slm.plugins.sampling import generate_checked

        from . import answer as answers

        used = _fit(hits, query, ctx)
        texts = [t for _h, t in used]
        blocks = [f"[{i}] {text}" for i, text in enumerate(texts, 1)]
        prompt = "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {query}"
        dropped: list[dict] = []

        def accept(text: str):
            from slm.plugins.faithful import cut_loop

            found, cited, why = answers.supported(cut_loop(text.strip()), texts, query)
            dropped.extend(why)
            return (found, cited) if found else None

        accepted, _calls = generate_checked(ctx, prompt, system=SYSTEM, max_tokens=ANSWER_TOKENS, accept=accept,
                                            tries=_clamp_k(ctx.config.get("attempts", 1)))
        if accepted is None:
            result = self._extractive(query, [h for h, _t in used], texts, dropped, wanted,
                                      why="the model's answer was not supported by the passages")
            ctx.emit(result.text)
            return result
        text, cited = accepted
        sources = [(h, n) for n, (h, _t) in enumerate(used, 1) if n in cited]
        listing = "\n\nSources:\n" + "\n".join(source_line(h, n) for h, n in sources)
        ctx.emit(text + listing)
        return Result(text + listing, {"mode": "model", "answer": text, "dropped": dropped,
                                       "sources": [_source(h, n) for h, n in sources]})

    def _extractive(self, query: str, hits: list[Hit], texts: list[str], dropped: list[dict], wanted: list[str], *,
                    why: str) -> Result:
        from . import answer as answers

        sentences = answers.extractive(query, texts, headings=[h.heading or "" for h in hits],
                                       min_coverage=MIN_COVERAGE, wanted=wanted)
        if not sentences:
            return Result(answers.NOT_FOUND, {"mode": "not_found", "answer": answers.NOT_FOUND, "sources": []})
        text = answers.render_extractive(sentences)
        cited = list(dict.fromkeys(s.passage for s in sentences))
        listing = "\n\nSources:\n" + "\n".join(source_line(hits[n - 1], n) for n in cited)
        label = f"From your documents (extractive: {why}):\n"
        return Result(label + text + listing, {"mode": "extractive", "answer": text, "why": why, "dropped": dropped,
                                               "sources": [_source(hits[n - 1], n) for n in cited]})

    def _passages(self, query: str, hits: list[Hit], ctx, wanted: list[str]) -> Result:
        model = getattr(ctx, "model", None)
        why = f"the model {model} is not on this device" if model else "no model is configured for kb"
        result = self._extractive(query, hits, [h.text for h in hits], [], wanted, why=why)
        parts = [result.text, "The best matching passages:"]
        for i, hit in enumerate(hits, 1):
            parts.append(f"{source_line(hit, i)}\n{_indent(hit.text)}")
        data = {**result.data, "mode": "passages", "passages": [h.text for h in hits],
                "passage_sources": [_source(h, i) for i, h in enumerate(hits, 1)]}
        return Result("\n\n".join(parts), data)


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


def __getattr__(name: str):
    # KbIndex on first use: the router's kb stage imports this package on every start-up,
    # and the index brings sqlite3 and the document readers
    if name == "KbIndex":
        from .index import KbIndex

        return KbIndex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

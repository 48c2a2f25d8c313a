"""Built-in plugin: kb. Answers from the user's own documents, citing the passages used.

The index lives in the plugin's data folder (``slm kb add PATH`` fills it; see
``slm.plugins.kb.index``). The answer's facts are found deterministically: the
best-matching sentence of the top passages (``answer.extractive``, weighing what the
question asks above the story around it, ``gate.aside_weights``). With the plugin's model on
the device, the model is given only that sentence and asked to say it as an answer; its
sentence is used only when it keeps the sentence's values as written and adds no fact
(``phrasing``, ``answer.supported``). Otherwise the sentence itself is the answer, labelled
as extractive. Either way Sources lists the one passage the answer comes from. A question
the documents cannot answer (``gate.judge``, a product code no passage has) is answered
"the documents do not say". Without a model the passages are listed as well.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from slm.plugins.sdk import Plugin, Request, Result

if TYPE_CHECKING:
    from .index import Hit

DEFAULT_K = 4
MIN_COVERAGE = 0.25  # an extractive answer carries at least a quarter of the question's content words
ANSWER_TOKENS = 48  # one sentence that says the found line as an answer; more only lets a small model wander
PROMPT_CHARS = 1500  # the found sentences (two at most) fit any model's context with room to spare
SYSTEM = ("Answer the question in one short sentence, using only the text given. "
          "Copy every number and unit exactly as the text writes it.")


def source_line(hit: Hit, number: int) -> str:
    lines = f"{hit.start_line}" if hit.start_line == hit.end_line else f"{hit.start_line}-{hit.end_line}"
    heading = f" ({hit.heading})" if hit.heading else ""
    return f"[{number}] {hit.path}:{lines}{heading}"


def _source(hit: Hit, number: int) -> dict:
    return {"n": number, "path": hit.path, "start_line": hit.start_line, "end_line": hit.end_line,
            "heading": hit.heading, "citation": f"[{number}] {hit.citation}", "score": round(hit.score, 4)}


class KbPlugin(Plugin):
    def handle(self, request: Request, ctx) -> Result:
        from .index import KbIndex
        from .terms import join_spaced_codes, read_spaced_codes

        index = KbIndex(ctx.data_dir)
        # "e 22" -> "e22"; "px 150" -> "px150" but "ca 180 mg/l" stays two words (see read_spaced_codes)
        query = read_spaced_codes(join_spaced_codes((request.prompt or "").strip()), index.has_code_prefix)
        options = request.options or {}
        k = _clamp_k(options.get("k", ctx.config.get("k", DEFAULT_K)))
        if not query:
            return Result("Ask a question about your documents.", {"mode": "empty", "sources": []})
        if index.is_empty():
            return Result("The knowledge base is empty. Add documents with: slm kb add PATH",
                          {"mode": "empty", "sources": []})
        from .gate import aside_weights
        from .glossary import with_english

        question, query = query, with_english(query)  # the model is shown the question as asked
        # the words around what is asked ("..., delivered 4 days ago. how many days to report a DOA") count
        # less: they would rank the passages about the customer's story above the one that answers
        hits = index.search(query, k, weights=aside_weights(query))
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
            return self._answer(query, hits, ctx, verdict.known_words, question)
        return self._passages(query, hits, ctx, verdict.known_words)

    def _answer(self, query: str, hits: list[Hit], ctx, wanted: list[str], question: str) -> Result:
        """The extractive step finds the answer's sentence; the model only phrases that one sentence
        (``phrasing``), and its phrasing is kept only when it keeps the sentence's values and adds none.
        ``query``: the question with the glossary's English words (for matching); ``question``: as asked."""
        from slm.plugins.sampling import generate_checked

        from . import answer as answers
        from .phrasing import checked_phrasing

        texts = [h.text for h in hits]
        sentences = answers.extractive(query, texts, headings=[h.heading or "" for h in hits],
                                       min_coverage=MIN_COVERAGE, wanted=wanted)
        if not sentences:
            return Result(answers.NOT_FOUND, {"mode": "not_found", "answer": answers.NOT_FOUND, "sources": []})
        number = sentences[0].passage
        hit = hits[number - 1]
        label = (hit.heading or "").split(" > ")[-1].strip()
        found = " ".join(s.text for s in sentences)
        source = (f"{label}: {found}" if label else found)[:PROMPT_CHARS]
        prompt = f"Text: {source}\n\nQuestion: {question}"
        dropped: list[dict] = []

        def accept(text: str):
            phrased, why = checked_phrasing(text, found, source, query)
            dropped.extend(why)
            return phrased

        phrased, _calls = generate_checked(ctx, prompt, system=SYSTEM, max_tokens=ANSWER_TOKENS, accept=accept,
                                           tries=_clamp_k(ctx.config.get("attempts", 1)), stop=["\n"])
        if phrased is None:
            result = self._extractive(query, hits, texts, dropped, wanted, sentences=sentences,
                                      why="the model's answer was not supported by the passage")
            ctx.emit(result.text)
            return result
        text = f"{phrased} [{number}]"
        listing = "\n\nSources:\n" + source_line(hit, number)
        ctx.emit(text + listing)
        return Result(text + listing, {"mode": "model", "answer": text, "extracted": answers.render_extractive(sentences),
                                       "dropped": dropped, "sources": [_source(hit, number)]})

    def _extractive(self, query: str, hits: list[Hit], texts: list[str], dropped: list[dict], wanted: list[str], *,
                    why: str, sentences=None) -> Result:
        from . import answer as answers

        if sentences is None:
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

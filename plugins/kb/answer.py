"""Answers from passages: the extractive answer, and the check that a model's answer is supported.

The extractive answer is the passages' own best-matching sentences (query terms weighted
by how rare they are among the passages, a quantity preferred when the question asks for
one), each cited by its passage number. A question whose distinctive words no passage
contains ("IP rating", a model number the documents lack) is answered "the documents do
not say", not with the nearest sentence. A model's answer is used only when every
sentence cites a passage ``[n]`` that supports it (its numbers and names are in that
passage and most of its words are too); Sources then lists only the cited passages.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from slm.plugins.faithful import Checker, split_sentences

from . import questions
from .terms import STOP_WORDS, codes, fold, heading_acronyms, terms

CITE = re.compile(r"\[(\d{1,2})\]")
_QUANTITY_Q = re.compile(r"\b(?:how (?:much|many|long|fast|often|quick(?:ly)?|soon)|what (?:is|'s) the (?:price|cost|rate|fee)|"
                         r"max(?:imum)?|min(?:imum)?|rate|interval|deadline|limit|price|cost|fee|charge|discount|"
                         r"pressure|flow|temperature|length|duration|warrant\w*|per diem|days?|hours?|time)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d")
_FIGURE = re.compile(r"(?<![\w-])\d")  # a number, not the digits of a code (BW-F60)
# Question words that say what kind of thing is asked about, not which one: never "distinctive".
GENERIC = {fold(w) for w in ["what", "whats", "how", "long", "much", "many", "max", "maximum", "min", "minimum", "rate", "per", "according", "doc", "docs", "document", "documents", "manual", "guide", "policy", "check", "say", "says", "tell", "give", "need", "want", "customer", "customers", "our", "we", "us", "get", "use", "using", "show", "showing", "kick", "kicks", "pressure", "time", "interval", "vs", "versus", "ours", "theirs", "stuff", "thing", "things", "send", "sends", "sent", "back", "quick", "quickly", "fast", "long", "often"]}
NOT_FOUND = "The documents do not say."


@dataclass
class Sentence:
    passage: int  # 1-based passage number
    text: str
    score: float


def matches(term: str, found: set[str]) -> bool:
    """``term`` is in ``found``, as written, as a prefix ("max" ~ "maximum", "mile" ~ "mileage") or
    with a one-letter slip in a long word ("warrenty" ~ "warranty")."""
    if term in found:
        return True
    if len(term) >= 3 and any(len(f) >= 3 and (f.startswith(term) or term.startswith(f)) for f in found):
        return True
    if len(term) >= 6 and any(_stem_alike(term, f) for f in found):  # "respond" ~ "response"
        return True
    if len(term) >= 6:
        from difflib import SequenceMatcher

        return any(abs(len(f) - len(term)) <= 1 and SequenceMatcher(None, term, f).ratio() >= 0.85 for f in found)
    return False


def _stem_alike(a: str, b: str) -> bool:
    """One word's forms: at least six letters in common at the start, all but the last letter of the shorter."""
    shorter = min(len(a), len(b))
    if shorter < 6:
        return False
    same = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), shorter)
    return same >= 6 and same >= shorter - 1


def _weights(query: str, passages: list[str], headings: list[str] | None = None) -> dict[str, float]:
    """Query term -> idf over the passages (a term every passage has tells nothing). A heading's
    acronym counts as its passage's ("RMA" of "Return merchandise authorisation")."""
    n = len(passages)
    bags = [set(terms(p)) | set(heading_acronyms(h)) for p, h in zip(passages, headings or [""] * n)]
    out = {}
    for t in dict.fromkeys(terms(query)):
        df = sum(1 for b in bags if matches(t, b))
        out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
        if t in GENERIC:
            out[t] *= 0.3  # "max", "show", "check" say what kind of answer, not which one
    return out


def missing_terms(query: str, passages: list[str]) -> list[str]:
    """Model and part numbers of the query (px-800, uv80) that no passage contains: then the
    documents cannot answer it, however close the nearest passage looks. A code matches however
    it is written ("px150", "PX-150", "px 150", "px-150s")."""
    have = {key for passage in passages for _raw, key in codes(passage)}
    squashed = re.sub(r"[\s-]+", "", " ".join(passages).casefold())
    missing = []
    from .gate import product_codes

    for raw, key in product_codes(query):
        if raw in STOP_WORDS or key in have or key in squashed or raw in missing:
            continue
        missing.append(raw)
    return missing


def coverage(query: str, sentence: str, heading: str = "", wanted: list[str] | None = None) -> float:
    """Share of the query's content words (not generic question words; ``wanted`` when given: the
    words the documents know, see gate.judge) the sentence or its heading has."""
    wanted = wanted or [t for t in dict.fromkeys(terms(query)) if t not in GENERIC]
    if not wanted:
        return 1.0
    got = set(terms(f"{heading} {sentence}")) | set(heading_acronyms(heading))
    return sum(1 for t in wanted if matches(t, got)) / len(wanted)


def extractive(query: str, passages: list[str], *, limit: int = 2, headings: list[str] | None = None,
               min_coverage: float = 0.0, wanted: list[str] | None = None) -> list[Sentence]:
    """The passages' sentences that best answer ``query``, best first (at most ``limit``).

    A sentence also counts the words of its passage's heading at half weight ("### PX-300"
    over "- Maximum flow rate: 300 L/min"). ``min_coverage``: the best sentence must carry at
    least that share of the query's content words, else nothing is returned.
    """
    from .gate import aside_weights

    weights = _weights(query, passages, headings)
    aside = aside_weights(query)
    for t, share in aside.items():  # "e11 dry run on the px500, primed it, how long do i hold reset": not a dry-run line
        if t in weights:
            weights[t] *= share
    for word in questions.excluded(query):  # "without approval": approval is not what the answer is about
        for t in terms(word):
            weights[t] = 0.0
    # each code the question names (E21, PX-300, bw-uv40) is one unit, however many terms it splits into
    asked_codes = [(key, set(terms(raw))) for raw, key in dict(codes(query)).items()]
    code_terms = set().union(*(parts for _key, parts in asked_codes)) if asked_codes else set()
    asked_keys = {key for key, _parts in asked_codes}
    wants_quantity = bool(_QUANTITY_Q.search(query))
    talks_money = questions.talks_money(query)
    asks_unit = questions.asks_unit(query)
    places = questions.names_place(query)
    query_order = [t for t in terms(query) if t in weights]
    query_words = re.findall(r"[^\W\d_]+", query.lower())
    asked_words = {t for t, w in weights.items() if w > 0 and t not in GENERIC and t not in code_terms}
    headings = headings or [""] * len(passages)
    scored: list[Sentence] = []
    for i, passage in enumerate(passages, 1):
        heading = " ".join([headings[i - 1]] + [ln for ln in passage.splitlines() if ln.startswith("#")])
        head_terms = set(terms(heading)) | set(heading_acronyms(headings[i - 1]))
        paragraphs = [set(terms(p)) for p in passage.splitlines()]  # a passage keeps one paragraph or item a line
        for sentence in split_sentences(passage):
            if sentence.startswith("#") or len(sentence.split()) < 3:
                continue
            got = set(terms(sentence)) | _spelled_out(sentence, query_words)
            where = next((para for para in paragraphs if got <= para), set())
            score = sum(w if matches(t, got) else 0.5 * w if matches(t, head_terms) else 0.0
                        for t, w in weights.items() if t not in code_terms)
            score += 0.1 * sum(1 for t in weights if t not in code_terms and t not in aside and matches(t, got))
            for key, parts in asked_codes:
                # named in the sentence, its paragraph ("E21 - ... Check the injector") or the passage's heading
                # ("BW-UV40" over "Rated flow: 2.4 m³/h"): twice the weight of its rarest part
                bonus = 2 * max(0.5, max((weights.get(t, 0.0) for t in parts), default=0.0)) + 0.1
                if key in got or key in where or key in head_terms:  # named even where every passage names it
                    score += bonus + (0.2 if key in got else 0.0)  # the sentence itself naming it breaks a tie
            if places and questions.in_place_asked(query, sentence):
                score += 1.1  # a place asked is named like a code: "hotel limit in paris" is the Eurozone line
            # the question's words side by side in the sentence ("extended warranty") are its phrase
            order = terms(sentence)
            pairs = set(zip(order, order[1:]))
            score += sum(0.5 * (weights[a] + weights[b]) for a, b in zip(query_order, query_order[1:])
                         if (a, b) in pairs and a not in code_terms)
            score *= questions.weight(query, sentence)
            if _other_model(got, asked_keys):
                score *= 0.5  # "On the FX-300 the alarm triggers at 1.2 bar" asked of the FX-500
            if wants_quantity and _NUMBER.search(sentence):
                score *= 1.3
            if _states_value(sentence, asked_words, {key for key, _parts in asked_codes}):
                score *= 1.3  # "Mechanical seal replacement on a PX-300: 2.5 hours", "service PIN 4826"
            if talks_money and questions.states_money(sentence):
                score *= 1.5
            elif asks_unit and questions.only_money(sentence):
                score *= 0.6  # a price line answers what something costs, not "the minimum frequency on a drive"
            if questions.in_unit_asked(query, sentence):
                score *= 1.5
            score *= 1.0 - 0.05 * (i - 1)  # the retriever's order breaks near-ties
            if score > 0:
                scored.append(Sentence(i, sentence.strip(), score))
    sentences_of = {i: split_sentences(p) for i, p in enumerate(passages, 1)}
    scored.sort(key=lambda s: -s.score)
    best = scored[:1] + [s for s in scored[1:] if s.passage == scored[0].passage][:limit - 1]
    if best and min_coverage:
        together = " ".join(s.text for s in best)
        if coverage(query, together, headings[best[0].passage - 1], wanted) < min_coverage:
            return []
        about = _asked_about(query, wanted or list(weights), code_terms, passages)
        if about and coverage(query, together, headings[best[0].passage - 1], about) == 0:
            return []  # "warranty on the bw-vfd-4 drive" answered by the drive's rating: names the product, not what is asked
        if not questions.gives_value_asked(query, together):
            return []  # "how fast must a tech be on site" answered by a line with no duration: not an answer
        if questions.asks_price(query) and not _prices_the_thing_asked(best[0], weights, set(aside) | code_terms, headings):
            return []  # "price of a replacement ballast" answered by the lamp's price line
    if best and wants_quantity and _FIGURE.search(best[0].text):
        best = best[:1]  # the figure asked for is given: a second line only dilutes it
    if best and (len(best[0].text.split()) < 8 and not _FIGURE.search(best[0].text) or best[0].text.rstrip().endswith(":")):
        # a label ("E21 – Brine draw failure.") is answered by the sentence after it
        following = sentences_of[best[0].passage]
        at = following.index(best[0].text) if best[0].text in following else -1
        if 0 <= at < len(following) - 1 and not following[at + 1].startswith("#"):
            merged = f"{best[0].text} {following[at + 1]}"
            best = [Sentence(best[0].passage, merged, best[0].score)] + [s for s in best[1:] if s.text not in merged]
    if len(best) > 1 and (best[1].passage != best[0].passage or best[1].score < 0.6 * best[0].score):
        best = best[:1]  # a weak second sentence, or a second source, dilutes the answer and its citation
    return best


def _asked_about(query: str, wanted: list[str], code_terms: set[str], passages: list[str]) -> list[str]:
    """The words of ``wanted`` that say what is asked about a product the question names, not which product:
    no code, and not a noun the documents write right after that code ("drive" of "the BW-VFD-4 drive").
    [] when the question names no code (then every word says what is asked)."""
    if not code_terms:
        return []
    asked = {key for _raw, key in codes(query)}
    kinds: set[str] = set()  # the words (up to three) after the code, in the question and in a passage alike
    for text in passages:
        low = text.lower()
        for raw, key in codes(low):
            if key in asked:
                kinds |= {t for m in re.finditer(rf"(?<![\w-]){re.escape(raw)}((?:[\s-]+[^\W\d_]+){{1,3}})", low)
                          for t in terms(m.group(1))}
    low = query.lower()
    kinds &= {t for raw, _key in codes(low) for m in re.finditer(rf"(?<![\w-]){re.escape(raw)}((?:[\s-]+[^\W\d_]+){{1,3}})", low)
              for t in terms(m.group(1))}
    return [w for w in wanted if w not in code_terms and w not in asked and w not in kinds and w not in GENERIC
            and not w.isdigit()]


def _spelled_out(sentence: str, query_words: list[str]) -> set[str]:
    """The terms of the question's words whose initials the sentence writes as an acronym ("variable frequency
    drive" for "On VFD installations ..."), as if the sentence had them."""
    caps = set(re.findall(r"\b[A-Z]{2,5}\b", sentence))
    if not caps:
        return set()
    out: set[str] = set()
    for n in range(2, 6):
        for i in range(len(query_words) - n + 1):
            run = query_words[i:i + n]
            if "".join(w[0] for w in run).upper() in caps:
                out |= set(terms(" ".join(run)))
    return out


_PRICE_WORDS = re.compile(r"pric|cost|charg|fee|pay|much|list|quot|replacement|new|spare")


def _prices_the_thing_asked(sentence: Sentence, weights: dict[str, float], ignore: set[str], headings: list[str]) -> bool:
    """A price line names the thing whose price is asked: the question's rarest word among the passages
    (no code, no word of the story, no price word) is in the line or its passage's headings."""
    asked = [(w, t) for t, w in weights.items() if w > 0 and t not in ignore and t not in GENERIC
             and not _PRICE_WORDS.fullmatch(t) and not t.isdigit()]
    if not asked:
        return True
    thing = max(asked)[1]
    return matches(thing, set(terms(f"{headings[sentence.passage - 1]}\n{sentence.text}")))


def _other_model(sentence_terms: set[str], asked: set[str]) -> bool:
    """The sentence names another model of an asked one's series (fx300 for fx500) and not the asked one."""
    for key in asked:
        series = re.match(r"[a-z]+(?=\d)", key)
        if series and key not in sentence_terms and any(
                t != key and re.fullmatch(rf"{series.group()}\d\w*", t) for t in sentence_terms):
            return True
    return False


_LABEL = re.compile(r"^[-*•\s]*([^:]{2,80}):\s*(?=(?:\S+\s+){0,2}\S*\d)")


def _states_value(sentence: str, words: set[str], codes_asked: set[str]) -> bool:
    """The sentence gives a value (a figure, a code) for something the question asks about: a label
    with a question word or code before a colon ("Cartridge type: BW-F40"), or a word right before a figure."""
    label = _LABEL.match(sentence)
    if label:
        named = set(terms(label.group(1)))
        said = sum(1 for t in words if matches(t, named))
        if said >= min(2, len(words)) and (said or named & codes_asked):  # the label is what is asked about
            return True
    low = sentence.lower()
    return any(len(t) > 2 and re.search(rf"\b{re.escape(t)}\w*\s+\d", low) for t in words)


def render_extractive(sentences: list[Sentence]) -> str:
    return " ".join(f"{s.text.rstrip()} [{s.passage}]" for s in sentences)


def supported(answer: str, passages: list[str], query: str, *,
              name_codes: bool = True) -> tuple[str | None, list[int], list[dict]]:
    """(the answer if every sentence is supported by a passage it cites, cited numbers, dropped sentences).
    ``name_codes``: a code the question names must be in the answer or head its passage (off when the
    passage is the one sentence already chosen for that code)."""
    dropped: list[dict] = []
    cited: list[int] = []
    sentences = split_sentences(answer)
    if not sentences:
        return None, [], []
    query_terms = set(terms(query))
    on_topic = False
    out: list[str] = []
    for sentence in sentences:
        numbers = [int(n) for n in CITE.findall(sentence)]
        plain = CITE.sub("", sentence)
        if not numbers:  # a small model often forgets the [n]: the one passage that supports it all is the source
            numbers = _supporting(plain, passages)
            sentence = f"{sentence.rstrip()} [{numbers[0]}]" if numbers else sentence
        if not numbers or any(not 1 <= n <= len(passages) for n in numbers):
            dropped.append({"sentence": sentence, "reason": "cites no passage given"})
            return None, [], dropped
        source = "\n".join(passages[n - 1] for n in numbers)
        checker = Checker(source)
        bad = checker.unsupported(plain)
        if bad or checker.grounding(plain) < 0.7:
            reason = "not in the cited passage: " + ", ".join(bad) if bad else "mostly not from the cited passage"
            dropped.append({"sentence": sentence, "reason": reason})
            return None, [], dropped
        stray = _stray_figure(plain, [passages[n - 1] for n in numbers], query)
        if stray:
            dropped.append({"sentence": sentence, "reason": f"{stray} is from a line about something else"})
            return None, [], dropped
        on_topic = on_topic or bool(query_terms & set(terms(plain)))
        cited += [n for n in numbers if n not in cited]
        out.append(sentence)
    if not on_topic:
        dropped.append({"sentence": answer[:200], "reason": "does not answer the question"})
        return None, [], dropped
    if _QUANTITY_Q.search(query) and not _FIGURE.search(CITE.sub("", " ".join(out))) and any(
            _FIGURE.search(passages[n - 1]) for n in cited):
        # "how long / how much / max ..." answered without the figure its passage gives: the passage's line is better
        dropped.append({"sentence": answer[:200], "reason": "gives no figure"})
        return None, [], dropped
    # a code the question names (PX-500) must be in the answer or head its cited passage: else it is
    # another product's line ("300 L/min [1]" for the PX-500 out of a passage on the whole series)
    said = set(terms(" ".join(out) + " " + " ".join(passages[n - 1].splitlines()[0] for n in cited)))
    lost = [raw for raw, key in codes(query) if key not in said] if name_codes else []
    if lost:
        dropped.append({"sentence": answer[:200], "reason": "does not name " + ", ".join(lost)})
        return None, [], dropped
    return " ".join(out), cited, dropped


_FIGURES = re.compile(r"(?<![\w-])\d[\d.,]*\d|(?<![\w-])\d")


def _stray_figure(sentence: str, passages: list[str], query: str) -> str | None:
    """A figure of the answer that its passages give only in lines about none of the question's words
    ("the service PIN is 3 years old" from "Extended warranty (3 additional years)"); None if every
    figure comes from a line that names something the question asks about."""
    from .gate import FILLER

    wanted = [t for t in dict.fromkeys(terms(query)) if t not in GENERIC and t not in FILLER]
    if not wanted:
        return None
    for figure in _FIGURES.findall(sentence):
        lines = [ln for p in passages for ln in p.splitlines() if re.search(rf"(?<![\w.,]){re.escape(figure)}(?!\d)", ln)]
        if lines and not any(any(matches(t, set(terms(ln))) for t in wanted) for ln in lines):
            return figure
    return None


def _supporting(sentence: str, passages: list[str]) -> list[int]:
    """[n] of the passage that best supports every fact and most words of ``sentence``; [] if none does."""
    best: tuple[float, int] | None = None
    for n, passage in enumerate(passages, 1):
        checker = Checker(passage)
        if checker.unsupported(sentence):
            continue
        grounding = checker.grounding(sentence)
        if grounding >= 0.7 and (best is None or grounding > best[0]):
            best = (grounding, n)
    return [best[1]] if best else []

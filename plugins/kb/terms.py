"""Words for ranking: lower-cased, stop words dropped, a light plural/suffix folding.

Deliberately simple and language-light: field documents are short and full of part
numbers and names, which must survive as they are ("x200", "rs-485" -> "rs", "485").
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
STOP_WORDS = frozenset(["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "too", "up", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "about", "after", "again", "all", "also", "am", "any", "because", "before", "being", "both", "each", "few", "just", "more", "most", "much", "other", "over", "own", "same", "should", "some", "such", "very"])


def fold(word: str) -> str:
    """'warranties' -> 'warranty', 'pumps' -> 'pump', 'charging'/'charged'/'charges' -> 'charg'."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


# A model or part code: letters and digits, maybe joined by dashes ("PX-300", "px300", "bw-s25", "uv80"),
# or two or three letters and a number apart ("px 150"). People write one code many ways; its key is one.
_CODE = re.compile(r"(?<![\w-])(?=[a-z0-9-]*\d)(?=[a-z0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*(?![\w-])"
                   r"|(?<![\w-])[a-z]{2,3} \d{2,5}(?![\w-])")
_GLUED = re.compile(r"[a-z]+\d+[a-z]*|\d+[a-z]+")
_PARTS = re.compile(r"[a-z]+|\d+")
_HAS_DIGIT = re.compile(r"\d")


def code_key(code: str) -> str:
    """'PX-300', 'px300', 'px 300', 'px-300s' (a plural) -> 'px300'."""
    key = re.sub(r"[\s-]+", "", code.lower())
    return key[:-1] if re.search(r"\ds$", key) else key


_SPACED_CODE = re.compile(r"(?<![\w-])([b-hj-z]) (\d{2,3})(?![\w.,]?\d)", re.IGNORECASE)


def join_spaced_codes(question: str) -> str:
    """A one-letter code written apart in a question ("softner showing e 22") as the documents write it
    ("e22"); "a" and "i" are words. Questions only: a document's "E 22" stays as written."""
    return _SPACED_CODE.sub(r"\1\2", question)


_SPACED_PAIR = re.compile(r"(?<![\w-])([a-z]{2,3}) (\d{2,5})(?![\w-])", re.IGNORECASE)
_APART = "\u00a0"  # a no-break space: still a space to a reader and the model, but no code pattern spans it


def read_spaced_codes(question: str, is_code_prefix) -> str:
    """Two or three letters and a number apart ("px 150", "ca 180", "car 212") are a code only when the
    documents have codes that start with those letters (``is_code_prefix("px")``): those are joined
    ("px150"); the others ("ca 180 mg/l", "my car 212 miles") are kept apart, so no reader takes them for
    a product the documents lack."""
    def one(m: re.Match) -> str:
        letters, number = m.group(1), m.group(2)
        if letters.lower() in STOP_WORDS:
            return m.group()
        return f"{letters}{number}" if is_code_prefix(letters.lower()) else f"{letters}{_APART}{number}"

    return _SPACED_PAIR.sub(one, question)


def codes(text: str) -> list[tuple[str, str]]:
    """(as written, key) of every code in ``text``; a spaced pair only when the letters are no stop word."""
    out = []
    for m in _CODE.finditer(text.lower()):
        raw = m.group()
        if " " in raw and raw.split()[0] in STOP_WORDS:
            continue
        out.append((raw, code_key(raw)))
    return out


@lru_cache(maxsize=20_000)  # bounded; most words of a question come back (the router's kb stage runs on every prompt)
def _word_terms(word: str) -> tuple[str, tuple[str, ...]]:
    """A lower-cased word's folded form and, for a glued code ("px150"), its folded parts."""
    return fold(word), tuple(fold(p) for p in _PARTS.findall(word)) if _GLUED.fullmatch(word) else ()


def terms(text: str, *, keep_stop_words: bool = False) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    found = [_word_terms(w) for w in words]
    kept = [f for w, (f, _parts) in zip(words, found) if keep_stop_words or w not in STOP_WORDS]
    for _f, parts in found:  # "px150" also as "px" + "150", the way "PX-150" is split
        kept += parts
    if _HAS_DIGIT.search(text):  # a code ("PX-300") has a digit; most questions' words are plain
        kept += [key for _raw, key in codes(text) if key not in kept]
    return [w for w in kept if w and w != "_"]


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query; a query of only stop words keeps them ("who are we")."""
    found = terms(query) or terms(query, keep_stop_words=True)
    return list(dict.fromkeys(found))


def counts(text: str) -> Counter:
    return Counter(terms(text))


def heading_acronyms(heading: str) -> list[str]:
    """The initials of each heading of three to five words ("Dead on arrival" -> "doa", "Return
    merchandise authorisation" -> "rma"): field staff ask by the abbreviation the document spells out."""
    out = []
    for part in heading.split(" > "):
        words = _WORD.findall(part)
        if 3 <= len(words) <= 5 and all(w[0].isalpha() for w in words):
            out.append("".join(w[0] for w in words).lower())
    return out


def passage_counts(heading: str, text: str) -> Counter:
    """A passage's indexed terms: its heading's and its text's, and its headings' acronyms."""
    found = counts(f"{heading}\n{text}" if heading else text)
    found.update(a for a in heading_acronyms(heading) if a not in found)
    return found

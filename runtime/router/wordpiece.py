"""BERT-uncased WordPiece tokenization in plain Python, for the router's static vectors.

The static vectors (static_vectors.py) are indexed by the WordPiece vocabulary
of the sentence encoder they were distilled from, so prompts have to be cut
the way that encoder cuts them: lowercase, accents stripped, punctuation split
off, then greedy longest-match pieces ("unbelievable" -> "un", "##bel", ...).
A word with no full cover becomes [UNK], which carries no meaning and is
dropped by the caller. Matches the tokenizers library's BertPreTokenizer +
WordPiece on English text; CJK characters are not split one by one (they
rarely have vectors of their own anyway).

Words repeat a lot across prompts, so each word's pieces are cached.
"""
from __future__ import annotations

import re
import unicodedata

# words (letters and digits, "_" is punctuation to BERT) or one punctuation/symbol character
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)
_CACHE_MAX = 100_000


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


class WordPiece:
    def __init__(self, vocab: dict[str, int], *, unk: str = "[UNK]", max_word_chars: int = 100):
        self.vocab = vocab
        self.unk_id = vocab.get(unk, -1)
        self.max_word_chars = max_word_chars
        self._cache: dict[str, tuple[int, ...]] = {}

    def words(self, text: str) -> list[str]:
        """Lowercased, accent-free words and punctuation marks of ``text``."""
        return _TOKEN.findall(strip_accents(text.lower()))

    def word_ids(self, word: str) -> tuple[int, ...]:
        hit = self._cache.get(word)
        if hit is None:
            hit = self._pieces(word)
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()  # crude but bounded: a long-running server never grows without end
            self._cache[word] = hit
        return hit

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        for word in self.words(text):
            out.extend(self.word_ids(word))
        return out

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > self.max_word_chars:
            return (self.unk_id,)
        vocab, pieces, start = self.vocab, [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                found = vocab.get(word[start:end] if start == 0 else "##" + word[start:end])
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk_id,)
            pieces.append(found)
            start = end
        return tuple(pieces)

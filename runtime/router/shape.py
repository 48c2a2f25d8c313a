"""Splitting a prompt into its instruction and its payload, and the payload's shape.

Field staff paste: "extract the PO number and due date from: <an invoice with $12,450>",
"summarise my notes\n<a page with 40 units at 18.75>". A single bag of n-grams over the
whole prompt lets the pasted text outweigh the few words that say what to do, and a
payload full of digits pulls the prompt to calc. So the router reads the words of the
*instruction* only, and reduces the payload to a few shape features (its length, digit
density, whether it holds e-mail addresses, phone numbers, dates, amounts, greetings,
bullet lines, "key: value" lines). Which shapes go with which route is learnt from
training prompts built the same way (augment.py).

Where the instruction sits is instruction.py's job (first, last or in the middle of the
paste, by an instruction score over the prompt's pieces); a long prompt with no place a
paste could start keeps its first ``INSTRUCTION_WORDS`` words as the instruction (people
say what they want first); anything else is all instruction, no payload: a short prompt is
featurised exactly as before this split existed.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from slm.router.instruction import GREETING, HEADERS, SIGNOFF, find_instruction

INSTRUCTION_WORDS = 32
_WORD_SCAN_CHARS = 1600  # where the first INSTRUCTION_WORDS + 8 words are looked for
_SHAPE_CHARS = 400  # the shape regexes' share of a paste: 12 scans of 2,000 characters cost ~0.1 ms

_WORDS = re.compile(r"\S+")
# shape detectors, each cheap on <= max_chars of text
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d ().-]{6,}\d(?!\w)")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?(?:usd|eur|gbp|dollars?|euros?|k\b|m\b)", re.IGNORECASE)
_DATE = re.compile(
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    r"\b\d{1,2}(st|nd|rd|th)?\.? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week)\b", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s?%")
# a sign-off line inside the paste (instruction.SIGNOFF, at a line's start)
_SIGNOFF_LINE = re.compile(r"(?m)^" + SIGNOFF.pattern, re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s", re.MULTILINE)
_KEY_VALUE = re.compile(r"^\s*[A-Za-z][\w /#.-]{0,24}:\s*\S", re.MULTILINE)
_DIGIT = re.compile(r"\d")
_QUOTE_OPEN = re.compile(r"\s*['\"“«„]")

SHAPE_MARK = "\x06"  # the shape features' names in the router's vocabulary
SHAPE_FEATURES = tuple(SHAPE_MARK + name for name in (
    "any", "len0", "len1", "len2", "len3", "len4", "len5", "lines1", "lines2", "lines5",
    "digits0", "digits1", "digits2", "digits3", "email", "phone", "money", "date", "url", "percent",
    "greeting", "signoff", "bullets", "keyvalue", "first", "last", "mid", "quoted"))


@lru_cache(maxsize=64)  # one route splits the prompt 2-3 times (features, language, kb, a plugin's check)
def split_prompt(text: str) -> tuple[str, str, str]:
    """(instruction, payload, where the instruction was found: "all", "first", "last", "mid", "words")."""
    found = find_instruction(text)
    if found is not None:
        a, b = found
        where = "first" if not text[:a].strip() else "last" if not text[b:].strip() else "mid"
        payload = text[b:] if where == "first" else text[:a] if where == "last" else text[:a] + "\n" + text[b:]
        return text[a:b], payload, where
    words = _WORDS.findall(text, 0, _WORD_SCAN_CHARS)
    if len(words) > INSTRUCTION_WORDS + 8:
        cut = _nth_word_end(text, INSTRUCTION_WORDS)
        return text[:cut], text[cut:], "words"
    return text, "", "all"


def starts_message(text: str) -> bool:
    if GREETING.match(text):
        return True
    head = text[:16].split(":", 1)
    return len(head) == 2 and head[0].strip().lower() in HEADERS


def _nth_word_end(text: str, n: int) -> int:
    for i, m in enumerate(_WORDS.finditer(text)):
        if i == n - 1:
            return m.end()
    return len(text)


def shape_features(payload: str, where: str) -> list[str]:
    """The payload's shape as feature names (empty when there is no payload)."""
    if not payload.strip():
        return []
    n = len(payload)
    feats = [SHAPE_FEATURES[0], f"{SHAPE_MARK}len{min(5, max(0, int(math.log2(max(n, 1) / 32))))}"]
    lines = payload.count("\n") + 1
    feats.append(f"{SHAPE_MARK}lines{1 if lines == 1 else 2 if lines < 5 else 5}")
    head = payload[:_SHAPE_CHARS]  # the detectors read the paste's opening: it shows what it is
    digits = len(_DIGIT.findall(head)) / len(head)
    feats.append(f"{SHAPE_MARK}digits{0 if digits == 0 else 1 if digits < 0.03 else 2 if digits < 0.1 else 3}")
    # each detector only where the character it cannot match without is there: a plain note skips
    # the e-mail, phone, money, URL, percent and key-value scans (a third of the shape's time)
    lower = head.lower()
    for name, pattern, needs in (("email", _EMAIL, "@" in head), ("phone", _PHONE, digits > 0),
                                 ("money", _MONEY, digits > 0), ("date", _DATE, True),
                                 ("url", _URL, "http" in lower or "www." in lower), ("percent", _PERCENT, "%" in head),
                                 ("signoff", _SIGNOFF_LINE, True), ("bullets", _BULLET, True),
                                 ("keyvalue", _KEY_VALUE, ":" in head)):
        if needs and pattern.search(head):
            feats.append(SHAPE_MARK + name)
    if starts_message(payload):
        feats.append(SHAPE_MARK + "greeting")
    if where in ("first", "last", "mid"):
        feats.append(SHAPE_MARK + where)
    if _QUOTE_OPEN.match(payload):
        feats.append(SHAPE_MARK + "quoted")
    return feats

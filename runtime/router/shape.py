"""Splitting a prompt into its instruction and its payload, and the payload's shape.

Field staff paste: "extract the PO number and due date from: <an invoice with $12,450>",
"summarise my notes\n<a page with 40 units at 18.75>". A single bag of n-grams over the
whole prompt lets the pasted text outweigh the few words that say what to do, and a
payload full of digits pulls the prompt to calc. So the router reads the words of the
*instruction* only, and reduces the payload to a few shape features (its length, digit
density, whether it holds e-mail addresses, phone numbers, dates, amounts, greetings,
bullet lines, "key: value" lines). Which shapes go with which route is learnt from
training prompts built the same way (augment.py).

The split is a cheap, deterministic rule (routing runs it on every prompt):

* the text before the first colon, newline or opening quote is the instruction when what
  follows is long enough to be a paste (``PAYLOAD_MIN_CHARS`` or several lines);
* a paste that comes first ("Hi Tom, ...  Regards\\n\\nsummarise this") leaves its
  instruction on the last line: a short last line after a multi-line opening that starts
  like a message is the instruction;
* a long prompt with no separator keeps its first ``INSTRUCTION_WORDS`` words as the
  instruction (people say what they want first);
* anything else is all instruction, no payload: a short prompt is featurised exactly as
  before this split existed.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

# shorter text after a colon is part of the question ("split: 1,234 across 3"); 25-60 scored
# the same on the CRM routing set's dev half, 30 keeps "extract the due date: INV-2041 due 3/15" split
PAYLOAD_MIN_CHARS = 30
INSTRUCTION_WORDS = 32
_SCAN_CHARS = 400  # the instruction ends within the opening; later colons are the payload's own
_LAST_LINE_WORDS = 14
_AFTER_WORDS = 24  # an ask after a pasted paragraph ("write an email to the team with the action items ...")
_SHAPE_CHARS = 400  # the shape regexes' share of a paste: 12 scans of 2,000 characters cost ~0.1 ms

_SEP = re.compile(r"[:\n\"“”«»„]")
_WORDS = re.compile(r"\S+")
_GREETING = re.compile(
    r"\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|"
    r"hola|buenos días|bonjour|salut|hallo|guten tag|olá|ola|bom dia|estimad[oa]s?|cher|chère|"
    r"sehr geehrte[rn]?|prezad[oa])\b", re.IGNORECASE)
# a pasted message's header line ("From: ...", "Subject: ..."), in the languages routed like English
_HEADERS = frozenset(["from", "to", "subject", "re", "fwd", "fw", "cc", "date", "sent", "de", "para",
                      "asunto", "objet", "à", "betreff", "von", "an", "assunto"])

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
_SIGNOFF = re.compile(r"\b(regards|best|cheers|thanks|thank you|sincerely|saludos|cordialement|grüße|gruß|atenciosamente)\b[,!.]?\s*\n",
                      re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s", re.MULTILINE)
_KEY_VALUE = re.compile(r"^\s*[A-Za-z][\w /#.-]{0,24}:\s*\S", re.MULTILINE)
_DIGIT = re.compile(r"\d")

SHAPE_MARK = "\x06"  # the shape features' names in the router's vocabulary
SHAPE_FEATURES = tuple(SHAPE_MARK + name for name in (
    "any", "len0", "len1", "len2", "len3", "len4", "len5", "lines1", "lines2", "lines5",
    "digits0", "digits1", "digits2", "digits3", "email", "phone", "money", "date", "url", "percent",
    "greeting", "signoff", "bullets", "keyvalue", "first", "last", "quoted"))


@lru_cache(maxsize=64)  # one route splits the prompt 2-3 times (features, language, kb, a plugin's check)
def split_prompt(text: str) -> tuple[str, str, str]:
    """(instruction, payload, where the instruction was found: "all", "first", "last", "quoted", "words")."""
    after = _after_paste(text)
    if after is not None:
        return after
    m = _SEP.search(text, 0, _SCAN_CHARS)
    if m is not None:
        head, tail = text[:m.start()], text[m.end():]
        if _is_paste(tail):
            if head.strip() and not starts_message(head):
                return head, tail, ("quoted" if m.group() not in ":\n" else "first")
            last = _last_instruction(text)
            if last is not None:
                return last
            if head.strip():
                return head, tail, "first"
    words = _WORDS.findall(text, 0, 4 * _SCAN_CHARS)
    if len(words) > INSTRUCTION_WORDS + 8:
        cut = _nth_word_end(text, INSTRUCTION_WORDS)
        return text[:cut], text[cut:], "words"
    return text, "", "all"


def _is_paste(tail: str) -> bool:
    stripped = tail.strip()
    return len(stripped) >= PAYLOAD_MIN_CHARS or stripped.count("\n") >= 2


def _after_paste(text: str) -> tuple[str, str, str] | None:
    """Notes pasted first and the ask after a blank line: "call w/ rick, 11:05-11:40\nrick: 3 jobs ...
    \n\ncan u summarise that for me". The paste's first line runs straight into the next (an
    instruction before a paste ends with ":" or "?", is cut off by a blank line, or is a few words
    such as "tldr"); the last line is short. On two dev sets of field prompts this never took a
    payload's own last line for the instruction."""
    body = text.rstrip()
    cut = body.rfind("\n\n")
    if cut <= 0 or body.count("\n") < 3:
        return None
    last = body[cut + 2:]
    if "\n" in last.strip() or len(_WORDS.findall(last)) > _AFTER_WORDS:
        return None
    first_end = body.find("\n")
    first = body[:first_end].rstrip()
    if first.endswith((":", "?")) or not body[first_end + 1:].split("\n", 1)[0].strip() \
            or len(_WORDS.findall(first)) <= 4:
        return None
    return last.strip(), body[:cut], "last"


def _last_instruction(text: str) -> tuple[str, str, str] | None:
    """A short last line after a pasted message: "<message>\\n\\ncan you summarise this"."""
    body = text.rstrip()
    cut = body.rfind("\n")
    if cut <= 0:
        return None
    last = body[cut + 1:]
    if not last.strip() or len(_WORDS.findall(last)) > _LAST_LINE_WORDS or not starts_message(text):
        return None
    return last, body[:cut], "last"


def starts_message(text: str) -> bool:
    if _GREETING.match(text):
        return True
    m = _SEP.search(text, 0, 16)
    return m is not None and m.group() == ":" and text[:m.start()].strip().lower() in _HEADERS


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
    for name, pattern in (("email", _EMAIL), ("phone", _PHONE), ("money", _MONEY), ("date", _DATE),
                          ("url", _URL), ("percent", _PERCENT), ("signoff", _SIGNOFF),
                          ("bullets", _BULLET), ("keyvalue", _KEY_VALUE)):
        if pattern.search(head):
            feats.append(SHAPE_MARK + name)
    if starts_message(payload):
        feats.append(SHAPE_MARK + "greeting")
    if where in ("first", "last", "quoted"):
        feats.append(SHAPE_MARK + where)
    return feats

"""The words of plain speech as calc's speech reader sees them: tokens (figures, words, operators) and the
tables that say what a word counts ("a dozen" is 12, "hrs" is an hour, "annual" is per year).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .numbers import AMOUNT_UNSIGNED, NUMBER, Amount, parse_amount, parse_number, rx
from .vocab import PRODUCT_CODE, Unaccounted, is_code

_PLAIN = rf"(?P<fig>(?i:{AMOUNT_UNSIGNED})\s?%?)|(?P<word>[a-z][a-z'-]*)|(?P<op>[-+*/×x(),:;@?#])"
TOKEN = rf"(?P<code>{PRODUCT_CODE})|{_PLAIN}"
COUNT_WORDS = {"a dozen": 12, "one dozen": 12, "half a dozen": 6, "half dozen": 6, "a couple": 2, "a couple of": 2, "a pair of": 2,
                "a pair": 2, "a hundred": 100, "a single": 1}
STRUCTURE = frozenset([
    "of", "x", "with", "containing", "holding", "for", "at", "each", "a", "an", "per", "every", "and", "plus",
    "minus", "less", "then", "more", "off", "on", "in", "to", "by", "from",
])
# a period and how many of the smaller fit in the larger; pairs not listed (weeks in a month) are ambiguous
PERIOD = {"hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "day": "day", "days": "day",
           "week": "week", "weeks": "week", "wk": "week", "month": "month", "months": "month", "mo": "month",
           "quarter": "quarter", "quarters": "quarter", "year": "year", "years": "year", "yr": "year",
           "annum": "year"}
FITS = {pair: (Decimal(n), Decimal(1)) for pair, n in {
    ("month", "year"): 12, ("week", "year"): 52, ("day", "year"): 365, ("quarter", "year"): 4,
    ("month", "quarter"): 3, ("day", "week"): 7}.items()}
FEES = frozenset([
    "shipping", "delivery", "handling", "postage", "freight", "fee", "fees", "parts", "materials", "tip",
    "setup", "install", "installation", "labour", "labor", "service", "booking", "deposit",
])
GENERIC = frozenset([
    "unit", "units", "item", "items", "piece", "pieces", "one", "each",
])
# words that end a noun phrase ("12 crates is ...", "450 team dinner between ...")
FUNCTION = frozenset([
    "is", "are", "was", "were", "be", "been", "will", "would", "could", "can", "do", "does", "did", "have",
    "has", "had", "what", "whats", "what's", "how", "which", "who", "that", "this", "these", "those", "it",
    "its", "it's", "i", "we", "you", "they", "he", "she", "me", "us", "them", "my", "our", "your", "their",
    "the", "a", "an", "to", "of", "for", "at", "with", "on", "in", "by", "from", "as", "and", "or", "so",
    "then", "please", "thanks", "if", "but",
])
COUNTING_WORDS = {w: str(n) for n, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]) if n >= 2}


@dataclass
class Tok:
    kind: str  # fig | word | op
    text: str
    amount: Amount | None = None
    percent: bool = False
    dozens: bool = False  # "2 dozen" (24): a price may be per dozen or per piece
    counted: bool = False  # said as a count ("a dozen", "a couple"), not a figure


def tokenize(text: str) -> list[Tok]:
    for phrase, value in sorted(COUNT_WORDS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"\b{phrase}\b", f" {value}#ct ", text)
    text = re.sub(rf"\b({'|'.join(COUNTING_WORDS)})\b(?!\s+(?:of\s+(?:them|us)|percent|%))",
                  lambda m: COUNTING_WORDS[m[1]], text)  # "eleven at 4.50 each"; not "one" (a pronoun as often)
    text = re.sub(r"\ba\s+(third|quarter)\s+of\b", r"\1 of", text)  # "a quarter of 1,000" (not "1,200 a quarter")
    text = re.sub(rf"(?<![\d.,])({NUMBER})\s+dozen\b", lambda m: f"{parse_number(m[1]) * 12}#dz", text)
    return [t for t in _scan(text, TOKEN) if not (t.kind == "word" and t.text in ("dz", "ct"))]


def _scan(text: str, pattern: str) -> list[Tok]:
    toks: list[Tok] = []
    end = 0
    for m in rx(pattern).finditer(text):
        _nothing_skipped(text[end:m.start()])
        end = m.end()
        if m.groupdict().get("code"):
            toks += [Tok("word", m["code"])] if is_code(m["code"]) else _scan(m["code"], _PLAIN)
        elif m["fig"]:
            raw = m["fig"].strip()
            pct = raw.endswith("%")
            dozens = text.startswith("#dz", m.end("fig"))
            counted = dozens or text.startswith("#ct", m.end("fig"))
            toks.append(Tok("fig", raw, parse_amount(raw.rstrip("%").strip()), pct, dozens, counted))
        elif m["word"] == "x" and toks and toks[-1].kind == "fig":
            toks.append(Tok("op", "*"))  # "2,499.99 x 3"
        elif m["word"]:
            toks.append(Tok("word", m["word"]))
        elif m["op"] == "#":
            continue
        elif m["op"] in ("x", "×", "*"):
            toks.append(Tok("op", "*"))
        else:
            toks.append(Tok("op", m["op"]))
    _nothing_skipped(text[end:])
    return toks


_SKIPPABLE = frozenset(" \t\n.!'\"…")


class Unreadable(Unaccounted):
    """A character the tokens do not cover: plain-speech reading does not apply to this text."""


def _nothing_skipped(gap: str) -> None:
    """Every character is a token or harmless punctuation: a "%" or "=" the tokens do not cover
    could change the math, so the reading is refused rather than made without it."""
    for ch in gap:
        if ch not in _SKIPPABLE and not ch.isspace():
            raise Unreadable(f"I cannot read {ch!r} in this sentence")


def singular(word: str) -> str:
    """One spelling per noun or period: 'hrs' -> 'hour', 'boxes' -> 'box', 'bottles' -> 'bottle'."""
    if word in PERIOD:
        return PERIOD[word]
    word = {"lbs": "lb", "pcs": "pc", "boxes": "box", "glasses": "glass", "kgs": "kg"}.get(word, word)
    return word[:-1] if word.endswith("s") and len(word) > 3 and not word.endswith("ss") else word


# things that hold a known kind of content, so "N X of Y" is N of X whatever Y is ("3 boxes of screws at 12
# each" is 3 boxes); an unknown X ("3 zorks of widgets") may be a pack of any size, or a unit
CONTAINERS = frozenset(["box", "case", "crate", "pack", "packet", "pallet", "carton", "bag", "bottle", "can", "jar", "roll", "sheet", "set", "kit", "bundle", "tray", "tub", "bucket", "drum", "barrel", "sack", "tin", "tube", "reel", "spool", "bale", "load", "truckload", "bunch", "cup", "glass", "bowl", "piece", "slice", "loaf", "block", "bar", "stack", "skid", "container", "keg", "jug", "pot", "pail", "basket", "envelope", "ream", "coil", "batch", "lot", "shipment", "order", "delivery", "cartridge", "bin", "tote", "flat", "packet", "sleeve", "strip", "bolt", "length", "tank", "canister", "vial", "pouch", "parcel", "package", "lorry", "truck", "van", "hour", "day", "week", "month", "year", "night", "shift", "session", "licence", "license", "seat", "subscription", "user"])


def holds(word: str) -> bool:
    """Whether 'N <word> of ...' names a count of something known (a container, a unit, a period)."""
    from .vocab import why_risky

    return singular(word) in CONTAINERS or why_risky(word) in ("unit", "rate") or word in PERIOD


ADJ_PERIOD = {"annual": "year", "yearly": "year", "annually": "year", "monthly": "month", "weekly": "week",
               "quarterly": "quarter", "daily": "day"}
SCALES = {"half": " / 2", "third": " / 3", "quarter": " / 4", "double": "2 * ", "twice": "2 * ", "triple": "3 * ",
           "treble": "3 * "}

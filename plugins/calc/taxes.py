"""A tax rate and one amount, with the side the tax is on and the figure asked both said in words.

    gst 10% included in 330 how much gst                     -> 30     (330 × 10 ÷ 110)
    customer paid 1,130 incl 13% hst whats the pre tax       -> 1,000
    £1495 is vat inclusive at 20%, take the vat out          -> 1,245.83
    sales tax 6.5% on $2,340 total with tax                  -> 2,492.10

The amount is either gross (the tax "included", "incl", "inclusive", "inside" it) or net (tax
"on top", "added", "on" it); the question asks for the tax, the net or the gross. Exactly one
side and one question must be said, or the reading is None (what's 250 inc vat? is refused
elsewhere). A gross asked of a gross amount, or a net of a net one, asks nothing and is None.
"""
from __future__ import annotations

import re

from . import business as biz
from .keywords import net_label
from .numbers import AMOUNT, NUMBER, parse_amount, parse_number, rx
from .report import ASKS_TAX, Calculation
from .vocab import leftover_check

_T = r"(?:sales\s+)?(?:tax|vat|gst|hst|pst)"
_INCLUDED = r"\b(?:incl|included|including|includes|include|inclusive|inside|already\s+in)\b"
_ADDED = rf"\b(?:on\s+top|added|add|plus|excl|excluding)\b|%\s+(?:{_T}\s+)?on\b|\b{_T}\s+[\d.]+%\s+on\b"
_ASKS = {
    "tax": ASKS_TAX,
    "net": rf"\bpre[\s-]?tax\b|\bnet\b|\bex[\s-]?(?:vat|tax|gst)\b|\bbefore\s+{_T}\b|\btake\s+(?:the\s+)?{_T}\s+out\b|"
           rf"\bwithout\s+(?:the\s+)?{_T}\b",
    "gross": rf"\bgross\b|\b(?:total\s+)?with\s+(?:the\s+)?{_T}\b|\bfinal\b",
}
_WORDS = frozenset(["tax", "vat", "gst", "hst", "pst", "sales", "incl", "included", "including", "inclusive", "inside", "already", "on", "top", "added", "add", "plus", "excl", "excluding", "how", "much", "amount", "only", "pre-tax", "pre", "net", "ex", "before", "take", "out", "without", "gross", "total", "with", "final", "just", "part", "portion", "component", "customer", "paid", "is", "at", "of", "in", "the", "if", "what's", "whats", "what"])


def read(text: str, question: str = "") -> Calculation | None:
    question = question or text
    if not rx(rf"\b{_T}\b").search(text):
        return None
    pcts = list(rx(rf"(?<![\w.,])(?P<p>{NUMBER})\s?%").finditer(text))
    rest = rx(rf"(?<![\w.,])(?P<p>{NUMBER})\s?%").sub(" ", text)
    amounts = list(rx(rf"(?<![\w.,%])(?P<a>{AMOUNT})(?![\w%])").finditer(rest))
    if len(amounts) > 1 and len({parse_amount(a["a"]) for a in amounts}) == 1:  # "in 1,800 ... 1,800 includes it"
        rest = rest[:amounts[1].start()] + " " + rest[amounts[1].end():]
        amounts = amounts[:1]
    if len(pcts) != 1 or len(amounts) != 1:
        return None
    included, added = bool(rx(_INCLUDED).search(text)), bool(rx(_ADDED).search(text))
    # "net 1,250" / "3450€ net" (prix HT 1 250 €) labels the amount, it does not ask for the net: read in
    # the normalised text (the figure as read), and its words taken out of the question once
    label = net_label(text, amounts[0]["a"])
    if label:
        added = True
        said = " ".join(w for w in label.group().split() if not rx(r"[$€£]?\d").match(w))
        question = re.sub(rf"\b{re.escape(said)}\b", " ", question, count=1)
    asked = [k for k, pattern in _ASKS.items() if rx(pattern).search(question)]
    if len(asked) == 2 and included != added:  # "with vat 20%" beside "price net": the side said is not asked
        asked = [a for a in asked if a != ("gross" if included else "net")]
    if not included and not added and asked == ["net"] and rx(rf"\b(?:total|gross|paid)\b.*\bwith\s+[\d.]+%\s+{_T}\b").search(text):
        included = True  # "pre-tax price if total was 53.50 with 7% tax": a total with the tax in it
    if included == added or len(asked) != 1:
        return None
    asked = asked[0]
    if (included and asked == "gross") or (added and asked == "net"):
        return None  # the amount already is what is asked
    leftover_check(rest[:amounts[0].start()] + " " + rest[amounts[0].end():], consumed=_WORDS, labels=True)
    rate, amount = parse_number(pcts[0]["p"]), parse_amount(amounts[0]["a"])
    label = biz.tax_label(rx(rf"\b{_T}\b").search(text).group())
    if included:  # the same formula and working as "net of 595 incl 19%" (business.tax_remove)
        return biz.tax_remove(amount, rate, label, want=asked)
    return biz.price_with(amount, [biz.Modifier("tax", rate, label)], want="tax" if asked == "tax" else "total")

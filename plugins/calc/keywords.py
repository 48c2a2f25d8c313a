"""Loose phrasing of price questions: one amount and percentages labelled by the words next to them.

"if I give a 7% discount on $8,400 what do they pay", "tip 18% on $146.20",
"1299 less 15% then plus 8.25% tax". Used after the strict rules, and only when
every percentage has a label word within three words of it and there is exactly
one amount; otherwise it declines (returns None) instead of guessing.
"""
from __future__ import annotations

import re
from decimal import Decimal

from . import business as biz
from .numbers import AMOUNT, NUMBER, parse_amount, parse_number, rx, show
from .report import ASKS_SAVING, ASKS_TAX, Calculation
from .vocab import Unaccounted, leftover_check

# label word -> (category, display label). Multi-word labels are matched on joined neighbours.
_LABELS = {
    "off": ("discount", ""), "discount": ("discount", ""), "discounted": ("discount", ""), "less": ("discount", ""),
    "minus": ("discount", ""), "reduction": ("discount", ""), "markdown": ("discount", ""), "rebate": ("discount", ""),
    "early": ("discount", "early payment"),  # "2% early pay": an early-payment discount
    "tax": ("tax", "tax"), "vat": ("tax", "VAT"), "gst": ("tax", "GST"), "hst": ("tax", "HST"), "pst": ("tax", "PST"),
    "surcharge": ("surcharge", "surcharge"), "fee": ("surcharge", "fee"), "overtime": ("surcharge", "overtime"),
    "premium": ("surcharge", "premium"), "uplift": ("surcharge", "uplift"), "shipping": ("surcharge", "shipping"),
    "tip": ("tip", "tip"), "gratuity": ("tip", "gratuity"),
    "commission": ("part", "commission"), "deposit": ("part", "deposit"),
    "royalty": ("part", "royalty"), "bonus": ("part", "bonus"),
    "withholding": ("deduct", "withholding"), "withheld": ("deduct", "withholding"),
    "deduction": ("deduct", "deduction"), "deducted": ("deduct", "deduction"),
}
_PERCENT = (rf"(?<![\d.,])({NUMBER})%")
_WORDS = (r"[a-z]+")
_WINDOW = 3
_INCLUDED = (r"\b(?:(?:with|incl|including)\s+(?:[\d.]+%\s+)?(?:sales\s+)?(?:tax|vat|gst|hst|pst)(?:\s+(?:at\s+|of\s+)?[\d.]+%)?"
             r"\s+(?:is|was|=|comes\s+to|came\s+to)(?=\s+[$€£¥₹]?\d)|"  # "price with vat 21% is 1,210": 1,210 is gross
             r"before\s+(?:tax|vat|gst)|pre-tax|excluding\s+(?:tax|vat|gst)|ex\s+(?:tax|vat|gst)|"
                       r"(?:tax|vat|gst)\s+included|incl|including|inclusive|back\s+out|remove|net\s+of)\b")


def kinds_of(labelled: list) -> set[str]:
    return {k for k, _l, _v in labelled}
# words that join or introduce the labelled figures; what they mean is already in the labels
_JOINERS = frozenset([
    "plus", "+", "add", "added", "with", "then", "sales", "apply", "applied", "on", "at", "of", "give", "given",
])


def _label(words: list[str]) -> tuple[str, str, str] | None:
    for word in words:
        if word in _LABELS:
            return (*_LABELS[word], word)
    return None


_NET_WORDS = r"ex|excl|excluding|net|before|pre-tax|without"
_GROSS_WORDS = r"inc|incl|including|inclusive|included|gross|with"


_LEVY = r"(?:the\s+)?(?:sales\s+)?(?:tax|vat|gst|hst|pst)"


def net_label(text: str, amount: str) -> re.Match | None:
    """The words right beside ``amount`` that call it the price before tax: "net 1,250", "3450€ net",
    "1,250 ex vat", "500 excl. tax". None when there are none, or when gross words stand beside it too."""
    a = re.escape(amount)
    net = re.search(rf"\bnet\s+(?:price\s+|amount\s+)?(?:of\s+)?{a}|{a}\s*(?:net\b(?!\s+of\b)|pre-tax\b|"
                    rf"(?:ex|excl|excluding|before|without)\.?\s+{_LEVY}\b)", text)
    gross = re.search(rf"\bgross\s+(?:price\s+|amount\s+)?(?:of\s+)?{a}|{a}\s*(?:gross|incl|including|inclusive)\b",
                      text)
    return net if net and not gross else None


def says_net(text: str, amount: str) -> bool:
    """Whether the prompt calls the amount the price before tax: by the words beside it (net_label), else
    by the clause holding it ('500 ex vat, what's it inc 20% vat'); the other cue is then the question.
    No cue beside the amount and both kinds elsewhere is refused."""
    if net_label(text, amount):
        return True
    if re.search(r"\bnet\s+of\b", text) and not re.search(rf"{re.escape(amount)}\s*(?:gross|incl|including|inclusive)\b",
                                                         text):
        # "1,200 net of 20% vat": 1,200 before the VAT, or the VAT taken out of it? Only a gross word says
        raise Unaccounted("'net of' can mean the amount is before tax or the tax taken out of it; say 'plus' or 'incl'")
    clauses = re.split(r",|;|\bwhat(?:'s|s)?\b|\bhow\s+much\b", text)
    own = next((c for c in clauses if amount in c), text)
    net = re.search(rf"\b(?:{_NET_WORDS})\b", own)
    gross = re.search(rf"\b(?:{_GROSS_WORDS})\b", own)
    if net and not gross:
        return True
    if gross and not net:
        return False
    if re.search(rf"\b(?:{_NET_WORDS})\b", text) and re.search(rf"\b(?:{_GROSS_WORDS})\b", text):
        raise Unaccounted("I can't tell whether the amount is before or after tax")
    return False


def loose_price(text: str, question: str = "") -> Calculation | None:
    """``text`` is the normalised prompt; ``question`` the prompt as asked ("how much tax ..." is a tax amount).

    "N% of AMOUNT" is a share of the amount whatever label stands near: a reading that answers anything
    else ("20% of 80 plus tax" read as 80 with 20% tax, "15% of 240 less 10%" as two discounts) is refused."""
    calc = _loose_price(text, question or text)
    share = rx(rf"(?<![\d.,])({NUMBER})%\s+of\s+({AMOUNT})").search(text)
    if calc is not None and share is not None:
        part = parse_number(share[1]) * parse_amount(share[2]).value / 100
        if abs(calc.result - part) >= Decimal("0.005"):
            raise Unaccounted(f"'{share.group()}' is a share of {share[2].strip()}, and I can't tell what the other "
                              f"words do to it; please rephrase")
    return calc


def _loose_price(text: str, question: str) -> Calculation | None:
    if rx(r"\bof\s+which\b").search(text):
        return None  # "240 of which 10% is tax": a part inside the figure, which this reader never reads
    percents = list(rx(_PERCENT).finditer(text))
    if not percents:
        return None
    rest = rx(_PERCENT).sub(" ", text)
    amounts = [m.group().strip() for m in re.finditer(AMOUNT, rest)]
    if len(amounts) != 1:
        return None
    base = parse_amount(amounts[0])
    labelled: list[tuple[str, str, Decimal]] = []
    labelled_words: list[tuple[str, str, Decimal, str]] = []
    taken: set[int] = set()  # where the labels already used stand: "5% off then 5% on" has one "off"
    for i, m in enumerate(percents):
        # neighbours up to the next/previous percentage only, nearest word first on either side
        stop = percents[i + 1].start() if i + 1 < len(percents) else len(text)
        since = percents[i - 1].end() if i else 0
        after = list(rx(_WORDS).finditer(text, m.end(), stop))[:_WINDOW]
        before = list(reversed(list(rx(_WORDS).finditer(text, since, m.start()))))[:_WINDOW]
        nearest = [w for pair in zip(after + [None] * _WINDOW, before + [None] * _WINDOW) for w in pair
                   if w is not None and w.start() not in taken]
        found = _label([w.group() for w in nearest])
        if found is not None:
            taken.add(next(w.start() for w in nearest if w.group() == found[2]))
        if found is None and len(percents) == 1:  # "how much sales tax on a 1,640 order at 6.35%"
            everywhere = {(*_LABELS[w], w) for w in rx(_WORDS).findall(text) if w in _LABELS}
            found = everywhere.pop() if len({e[:2] for e in everywhere}) == 1 and everywhere else None
        if found is None:
            return None
        labelled.append((found[0], found[1], parse_number(m.group(1))))
        labelled_words.append((*labelled[-1], found[2]))
    # every other word must be harmless: "a dozen at $5 with 10% off" is not one amount with a discount
    rest = re.sub(r"\bafter\s+(?=(?:a\s+)?[\d.]+%)", " ", text)  # "the price after 15% off 899"
    rest = re.sub(AMOUNT, " ", rx(_PERCENT).sub(" ", rest), count=0)
    saving = rx(ASKS_SAVING).search(rest)
    if saving and kinds_of(labelled) == {"discount"}:
        rest = rest[:saving.start()] + " " + rest[saving.end():]
    for kind, _l, _v, word in labelled_words:  # each label is used once, where it stood: a second "tax" is a question
        # ... except a part asked for by name: "6.5% commission on 84,200, how much is the commission"
        rest = re.sub(rf"\b{re.escape(word)}\b", " ", rest, count=0 if kind in ("part", "tip") else 1)
    included = rx(_INCLUDED).search(text) if {k for k, _l, _v in labelled} == {"tax"} else None
    if included:  # "whats it without vat": the net, which is what an included tax gives
        rest = re.sub(r"\b(?:without|before|excluding|ex|net\s+of)\s+(?:the\s+)?(?:sales\s+)?(?:tax|vat|gst)\b", " ",
                      rest)
    elif {k for k, _l, _v in labelled} == {"tax"}:
        rest = re.sub(r"^\s*net\b", " ", rest)  # "net 1,250 add vat at 21%": the amount is before tax
    asked = rx(ASKS_TAX).search(rest)
    if asked:
        rest = rest[:asked.start()] + " " + rest[asked.end():]
    # an included tax asks for the net: "without vat", "before tax", "net of" all say the same
    extra = {w for inc in rx(_INCLUDED).finditer(text) for w in rx(_WORDS).findall(inc.group())}
    extra |= {"without", "before", "excluding", "ex", "net"} if included else set()
    if {k for k, _l, _v in labelled} != {"tax"}:
        extra = set()  # "excluding vat" is only read by the included-tax path
    if {k for k, _l, _v in labelled} == {"deduct"}:
        extra |= {"net", "after"}  # "net after 25% withholding"
    leftover_check(rest, consumed=frozenset(_JOINERS | extra | ({"in"} if included else set())), labels=True)
    kinds = {k for k, _l, _v in labelled}
    if kinds & {"tip", "part", "deduct"}:
        if len(labelled) != 1:
            return None
        kind, label, rate = labelled[0]
        if kind == "deduct":
            calc = biz.percent_adjust(base, rate, up=False)
            calc.extra["label"] = label
            return calc
        calc = biz.percent_part(rate, base, label, add_to_total=kind == "tip")
        if kind == "tip" and re.search(r"\b(?:plus|with|add|adding|including|incl|and|total)\b", question) \
                and not re.search(r"\b(?:what(?:'s|s|\s+is)?|how\s+much)\s+(?:is\s+)?(?:the\s+)?(?:tip|gratuity)\b",
                                  question):
            # "85.50 plus a 20% tip": the bill with the tip
            calc.steps.append(f"total asked for: {show(calc.extra['total'])}")
            calc.result = calc.extra["total"]
            calc.headline = f"Total with a {show(rate)}% {label}: {show(calc.result)} ({label} {show(calc.extra['total'] - base.value)})"
        return calc
    if kinds == {"tax"} and len(labelled) == 1 and rx(_INCLUDED).search(text):
        _k, label, rate = labelled[0]
        if rx(rf"{NUMBER}%\s+of\s+{re.escape(amounts[0])}").search(text):
            # "10% of 360 incl vat": a tenth of a price that holds the VAT, or VAT at 10% in it? Never guessed
            raise Unaccounted("is the percentage a share of the amount or the tax rate? Say 'vat at 10%'")
        if says_net(text, amounts[0]):  # "500 ex vat, what's it inc 20% vat": the figure is before tax
            return biz.price_with(base, [biz.Modifier("tax", rate, label)])
        asks_tax = rx(ASKS_TAX).search(question) and not re.search(
            r"\b(?:before|without|excluding|net|ex|pre-tax|pre\s+tax|pretax)\b", question)
        if not asks_tax and not re.search(r"\b(?:before|without|excluding|excl|net|ex|pre-tax)\b", question) \
                and re.match(r"(?:what(?:'s|s|\s+is)|how\s+much\s+is)\s+[$€£¥₹]?\d", question):
            # "what's 250 inc vat": 250 with VAT added (300) or 250 that already holds it (208.33)?
            raise Unaccounted("I can't tell whether the amount already includes the tax; say 'net of' or 'plus'")
        if not asks_tax and not re.search(r"\b(?:before|without|excluding|excl|net|ex|pre-tax|pre\s+tax|pretax|base|"
                                          r"back\s+out|remove|take\s+out)\b", question) and rx(r"\b(?:how\s+much|what)\b").search(question):
            raise Unaccounted("say whether you want the tax in it or the amount without it")
        return biz.tax_remove(base, rate, label, "tax" if asks_tax else "net")
    if kinds == {"discount"} and len(labelled) == 1 and rx(ASKS_SAVING).search(question):
        return biz.percent_part(labelled[0][2], base, "saving", add_to_total=False)
    modifiers = [biz.Modifier(kind, rate, label) for kind, label, rate in labelled]
    want = "tax" if kinds == {"tax"} and rx(ASKS_TAX).search(question) else "total"
    return biz.price_with(base, modifiers, want=want)

"""Cheap deterministic extractors for CRM text: emails, phones, amounts, dates, ids.

They cross-check the extract plugin's model output and are reused for PII
redaction before offload, so the API is deliberately plain: each ``find_*``
returns ``[(value, start, end), ...]`` in text order, where ``value`` is the
exact surface text ``text[start:end]``. ``parse_amount``/``parse_date``/
``normalize_phone``/``normalize_id`` turn a surface value into a comparable form.

Precision matters more than recall here: a false "hit" would be added to the
extraction (or redacted) for no reason, so each pattern rejects the usual
look-alikes (dates vs phones vs order numbers vs versions vs plain counts).
"""
from __future__ import annotations

import bisect
import re
from datetime import date
from decimal import Decimal, InvalidOperation

Match = tuple[str, int, int]


class SpanSet:
    """Non-overlapping [start, end) spans, sorted: overlap checks in O(log n), not O(n).

    Extractors run on whole documents (and on 1 MB prompts before redaction),
    so checking each candidate against every earlier hit would be quadratic.
    """

    def __init__(self, spans: list[tuple[int, int]] | None = None):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in sorted(spans or ()):
            if not self.overlaps(s, e):
                self.add(s, e)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:  # the span starting at or before us reaches into us
            return True
        return i < len(self._starts) and self._starts[i] < end  # the next span starts inside us

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

# --- emails -----------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]*[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])"
)


def find_emails(text: str) -> list[Match]:
    return [(m.group(), m.start(), m.end()) for m in _EMAIL.finditer(text) if ".." not in m.group()]


# --- ids: order / invoice / serial / other reference numbers ------------------
# keyword -> kind. Longest alternatives first so "purchase order" wins over "order".
_ID_KEYWORDS = [
    (r"purchase\s+order|p\.?\s?o\.?", "order"),
    (r"sales\s+order|order|ord|so", "order"),
    (r"invoice|inv", "invoice"),
    (r"serial|s/n|sn", "serial"),
    (r"ticket|case|quote|quotation|contract|rma|account|acct|ref|reference|tracking|asset|part|sku|model", "other"),
]
_KW_ALT = "|".join(f"(?P<k{i}>{pat})" for i, (pat, _) in enumerate(_ID_KEYWORDS))
# "Order #4521", "invoice no. INV-2024-0042", "S/N: XK7-22931", "PO 4500012345"
_ID_AFTER_KEYWORD = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_KW_ALT})(?:\s+(?:number|num|no\.?|nr\.?|id))?\s*(?:[:#]{{1,2}}\s*|\s+)"
    r"(?P<id>#?[A-Za-z0-9][A-Za-z0-9/_-]*[A-Za-z0-9]|#?\d)(?![A-Za-z0-9@])",
    re.IGNORECASE,
)
# Self-describing ids without a keyword: INV-2024-0042, PO-88123, SN-XK7-22931, RMA-551.
_PREFIXED_ID = re.compile(
    r"(?<![A-Za-z0-9-])(?P<prefix>INV|PO|SO|ORD|SN|RMA|QT|CASE|TKT|SKU)[-#](?P<rest>[A-Z0-9][A-Z0-9-]*[A-Z0-9]|[0-9])"
    r"(?![A-Za-z0-9])"
)
_PREFIX_KIND = {"INV": "invoice", "PO": "order", "SO": "order", "ORD": "order", "SN": "serial"}
# "#4521" standing alone is an order/ticket reference in CRM speak.
_HASH_ID = re.compile(r"(?<![\w&])#(?P<id>\d{3,}[A-Za-z0-9-]*)(?![\w])")
_NOT_AN_ID = {"number", "num", "no", "nr", "id", "is", "was", "for", "the", "and", "to", "of", "on", "in"}


def find_ids_typed(text: str) -> list[tuple[str, str, int, int]]:
    """[(kind, value, start, end)] with kind in order|invoice|serial|other."""
    found: dict[int, tuple[str, str, int, int]] = {}
    taken = SpanSet()
    for m in _ID_AFTER_KEYWORD.finditer(text):
        value = m.group("id").lstrip("#")
        if value.lower() in _NOT_AN_ID or not any(c.isdigit() for c in value):
            continue
        if re.fullmatch(r"\d{1,2}", value):  # "case 3", "order 2 units": counts, not ids
            continue
        kind = next(_ID_KEYWORDS[i][1] for i in range(len(_ID_KEYWORDS)) if m.group(f"k{i}"))
        start = m.end("id") - len(value)
        found[start] = (kind, value, start, m.end("id"))
        taken.add(start, m.end("id"))
    for m in _PREFIXED_ID.finditer(text):
        if not any(c.isdigit() for c in m.group("rest")):
            continue
        if taken.overlaps(m.start(), m.start() + 1):
            continue
        found[m.start()] = (_PREFIX_KIND.get(m.group("prefix"), "other"), m.group(), m.start(), m.end())
        taken.add(m.start(), m.end())
    for m in _HASH_ID.finditer(text):
        start = m.start("id")
        if taken.overlaps(start, start + 1):
            continue
        found[start] = ("other", m.group("id"), start, m.end("id"))
        taken.add(start, m.end("id"))
    return [found[k] for k in sorted(found)]


def find_ids(text: str) -> list[Match]:
    return [(v, s, e) for _, v, s, e in find_ids_typed(text)]


def normalize_id(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


# --- dates ------------------------------------------------------------------
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_ABBREVIATED = {k for k in _MONTHS if len(k) <= 4 and k not in ("may", "june", "july")}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_PATTERNS = [
    # 2024-05-12, 2024/05/12
    ("ymd", re.compile(r"(?<![\w./-])(?P<year>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\w/-]|\.\d)")),
    # 12.05.2024 (EU, dotted: always day first)
    ("dmy", re.compile(r"(?<![\w./-])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>\d{4}|\d{2})(?![\w/-]|\.\d)")),
    # 05/12/2024, 5/12/24, 12-05-2024 (US first; day first when the first part can't be a month)
    ("slash", re.compile(r"(?<![\w./-])(?P<a>\d{1,2})([/-])(?P<b>\d{1,2})\2(?P<year>\d{4}|\d{2})(?![\w/-]|\.\d)")),
    # May 12, 2024 / May 12th 2024 / May 12 (year optional)
    ("mdy", re.compile(rf"(?<![\w])(?:{_MON})\s+{_DAY}(?:,?\s+{_YEAR})?(?![\w:])", re.IGNORECASE)),
    # 12 May 2024 / 12th of May / 12 May
    ("dmy_name", re.compile(rf"(?<![\w]){_DAY}(?:\s+of)?\s+(?:{_MON})(?:,?\s+{_YEAR})?(?![\w])", re.IGNORECASE)),
]


def _two_digit_year(y: str) -> int:
    n = int(y)
    return n if len(y) == 4 else 2000 + n


def _date_parts(kind: str, m: re.Match) -> tuple[int | None, int, int] | None:
    g = m.groupdict()
    if kind == "ymd":
        return int(g["year"]), int(g["m"]), int(g["d"])
    if kind == "dmy":
        return _two_digit_year(g["year"]), int(g["m"]), int(g["d"])
    if kind == "slash":
        a, b = int(g["a"]), int(g["b"])
        month, day = (a, b) if a <= 12 else (b, a)
        return _two_digit_year(g["year"]), month, day
    year = int(g["year"]) if g.get("year") else None
    return year, _MONTHS[g["mon"].lower().rstrip(".")], int(g["day"])


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 allowed without a year
    except ValueError:
        return False
    return year is None or 1900 <= year <= 2100


def _date_matches(text: str) -> list[tuple[str, int, int, tuple[int | None, int, int]]]:
    taken = SpanSet()
    out = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            if kind == "mdy" and m.group("mon") == "may" and not m.group("year"):
                continue  # "may 3" is usually "may 3 people come": only capitalised May is a month
            parts = _date_parts(kind, m)
            if parts is None or not _valid(*parts):
                continue
            value, end = m.group(), m.end()
            if value.endswith(".") and value[:-1].split()[-1].lower() not in _ABBREVIATED:
                value, end = value[:-1], end - 1  # "on 5 June." : the full stop ends the sentence
            taken.add(m.start(), end)
            out.append((value, m.start(), end, parts))
    out.sort(key=lambda t: t[1])
    return out


def find_dates(text: str) -> list[Match]:
    return [(v, s, e) for v, s, e, _ in _date_matches(text)]


def parse_date(value: str) -> str | None:
    """ISO form of a date surface string: '2024-05-12', or '--05-12' when it has no year."""
    hits = _date_matches(value.strip())
    if len(hits) != 1 or hits[0][1] != 0 or hits[0][2] != len(value.strip()):
        return None
    year, month, day = hits[0][3]
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


# --- amounts ----------------------------------------------------------------
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "C$": "CAD",
            "A$": "AUD", "CHF": "CHF", "R$": "BRL", "kr": "SEK"}
_CODES = ("USD|EUR|GBP|JPY|INR|CAD|AUD|CHF|CNY|SEK|NOK|DKK|PLN|MXN|BRL|ZAR|NZD|SGD|HKD|AED")
_WORDS = {"dollars": "USD", "dollar": "USD", "bucks": "USD", "euros": "EUR", "euro": "EUR",
          "pounds": "GBP", "pound": "GBP", "rupees": "INR", "yen": "JPY", "francs": "CHF"}
# 1,299.00 | 1.299,00 | 1 299,00 | 1299 | 12.5
_NUM = r"(?P<num>\d{1,3}(?:[,.\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_SCALE = r"(?:\s?(?P<scale>k|K|m|M|mm|MM|bn|B|thousand|million|billion)(?![A-Za-z]))?"
_AMOUNT_PATTERNS = [
    # $1,299.00  €12.5k  US$ 400  CHF 1'200 (apostrophes not supported)
    re.compile(rf"(?<![\w$€£¥₹])(?P<sym>US\$|C\$|A\$|R\$|\$|€|£|¥|₹)\s?{_NUM}{_SCALE}(?![\d])"),
    # USD 1,299 / EUR 12.500,00
    re.compile(rf"(?<![\w])(?P<code>{_CODES})\s?{_NUM}{_SCALE}(?![\d])"),
    # 1,299 USD / 12.500,00 € / 450 dollars / 3 million euros
    re.compile(rf"(?<![\w.,$€£¥₹]){_NUM}{_SCALE}\s?(?:(?P<code2>{_CODES})(?![A-Za-z])|(?P<sym2>€|£|¥|₹|kr\b)|(?P<word>"
               + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b)"),
]
_SCALES = {"k": 1000, "thousand": 1000, "m": 10**6, "mm": 10**6, "million": 10**6, "bn": 10**9,
           "b": 10**9, "billion": 10**9}


def _amount_matches(text: str) -> list[tuple[str, int, int, str, Decimal]]:
    out: list[tuple[str, int, int, str, Decimal]] = []
    taken = SpanSet()
    for pattern in _AMOUNT_PATTERNS:
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            g = m.groupdict()
            currency = (_SYMBOLS.get(g.get("sym") or "") or g.get("code") or g.get("code2")
                        or _SYMBOLS.get((g.get("sym2") or "").strip()) or _WORDS.get((g.get("word") or "").lower()))
            value = _number(g["num"])
            if value is None or currency is None:
                continue
            if g.get("scale"):
                value *= _SCALES[g["scale"].lower()]
            out.append((m.group(), m.start(), m.end(), currency, value))
            taken.add(m.start(), m.end())
    out.sort(key=lambda t: t[1])
    return out


def _number(raw: str) -> Decimal | None:
    s = raw.replace("\u00a0", " ").replace(" ", "")
    if "," in s and "." in s:
        # the later separator is the decimal one: 1,299.00 vs 1.299,00
        s = s.replace(",", "") if s.rfind(".") > s.rfind(",") else s.replace(".", "").replace(",", ".")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        s = s.replace(",", "") if len(tail) == 3 else head.replace(",", "") + "." + tail
    elif s.count(".") > 1 or (s.count(".") == 1 and len(s.rpartition(".")[2]) == 3 and len(s) > 4):
        s = s.replace(".", "")  # 1.299.000 or 12.500 (EU thousands)
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[Match]:
    return [(v, s, e) for v, s, e, _, _ in _amount_matches(text)]


def parse_amount(value: str) -> tuple[str, Decimal] | None:
    """(ISO currency, Decimal) for an amount surface string, e.g. '$1,299.50' -> ('USD', 1299.50)."""
    hits = _amount_matches(value.strip())
    if len(hits) != 1:
        return None
    return hits[0][3], hits[0][4]


# --- phones -----------------------------------------------------------------
_PHONE = re.compile(
    r"(?<![\w+#$€£/.-])(?P<num>(?:(?:\+|00)\d{1,4}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,8}(?:[\s.-]\d{2,8}){1,5}"
    r"|(?:\+|00)?(?:\(\d{1,5}\)[\s.-]?)?\d{7,15})"
    r"(?P<ext>\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\w/-]|[.,]\d)",
    re.IGNORECASE,
)
_ID_CONTEXT = re.compile(
    r"(?:order|po|p\.o\.|invoice|inv|serial|s/n|sn|ticket|case|quote|account|acct|ref|no\.|number|#|sku|part|zip|postcode)"
    r"\s*[:#]?\s*$",
    re.IGNORECASE,
)


def find_phones(text: str, *, not_phones: list[Match] | None = None) -> list[Match]:
    """Phone numbers outside the text's dates, amounts and ids.

    ``not_phones``: those date/amount/id hits when the caller has already found them
    (find_all, the extract plugin), so they are not searched for twice.
    """
    if not_phones is None:
        not_phones = find_dates(text) + find_amounts(text) + find_ids(text)
    out: list[Match] = []
    blocked = SpanSet([(s, e) for _, s, e in not_phones])
    for m in _PHONE.finditer(text):
        value, start, end = m.group().rstrip(), m.start(), m.start() + len(m.group().rstrip())
        digits = re.sub(r"\D", "", m.group("num"))
        if not 7 <= len(digits) <= 15:
            continue
        if blocked.overlaps(start, end):
            continue
        if _ID_CONTEXT.search(text[max(0, start - 24):start]):
            continue
        num = m.group("num")
        if re.fullmatch(r"\d+(?:\.\d+)+", num) and not re.fullmatch(r"\d{3}\.\d{3}\.\d{4}", num):
            continue  # 1.2.3.4, version numbers and IPs
        if re.fullmatch(r"\d{1,4}(?: \d{3})+", num) and not num.startswith(("0", "+")):
            continue  # "1 250 000" is a count with thin spaces, not a phone
        if re.fullmatch(r"\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2\d{2,4}", num):
            continue  # shaped like a date, even an impossible one (2024-13-45)
        if re.fullmatch(r"[1-9][\d ]*", num) and not re.fullmatch(r"\d{3} ?\d{3} ?\d{4}", num):
            continue  # space-grouped digits with no +, 0 or brackets: counts and years, not phones
        if "(" in num and num.count("(") != num.count(")"):
            continue
        out.append((value, start, end))
    return out


def normalize_phone(value: str) -> str:
    """Digits only (a leading + kept), extension dropped: for comparing phone numbers."""
    core = re.split(r"(?i)\s*(?:x|ext\.?|extension)\s*\d", value)[0]
    digits = re.sub(r"\D", "", core)
    if core.strip().startswith("00"):
        digits = digits[2:]
        return "+" + digits
    return ("+" if core.strip().startswith("+") else "") + digits


def find_all(text: str) -> list[tuple[str, str, int, int]]:
    """Every hit as (kind, value, start, end), kinds email|phone|amount|date|id, no overlaps."""
    ids, dates, amounts = find_ids(text), find_dates(text), find_amounts(text)
    hits = ([("email", *h) for h in find_emails(text)] + [("id", *h) for h in ids]
            + [("date", *h) for h in dates] + [("amount", *h) for h in amounts]
            + [("phone", *h) for h in find_phones(text, not_phones=ids + dates + amounts)])
    kept: list[tuple[str, str, int, int]] = []
    taken = SpanSet()
    for hit in hits:  # earlier kinds win an overlap: emails contain digits, ids contain dates
        if not taken.overlaps(hit[2], hit[3]):
            kept.append(hit)
            taken.add(hit[2], hit[3])
    return sorted(kept, key=lambda h: h[2])

"""PII redaction for requests that leave the device, and restoration of the answer.

Before a ``redact`` plugin's prompt goes to the cloud, emails, phone numbers,
card numbers (Luhn-checked), IBANs (mod-97-checked), account numbers and
street addresses are replaced by placeholders such as ``[EMAIL_1]``; the same
value always gets the same placeholder within one request. The answer is
restored from the mapping, which never leaves the device. Models echo
placeholders loosely, so restoration accepts ``[email_1]``, ``[ EMAIL 1 ]``,
``[Email-1]`` and a bare ``EMAIL_1``; ``StreamRestorer`` does the same for a
streamed answer whose placeholders arrive split across chunks.

Emails and phones come from the extract plugin's deterministic extractors
(``slm.plugins.extract.patterns``), so one implementation serves extraction
and redaction; cards, IBANs, national ID numbers, account numbers and
addresses live here.

Text is normalised before matching and the match is mapped back: NFKC (full-width
digits and "＠" become ASCII), no-break and other spaces become " ", and
zero-width and other format characters are dropped. What is replaced is the
whole original span, hidden characters included, so "4111\u200b1111 ..." or a
full-width email never slips through as "not a card" / "not an email".
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

KINDS = ("EMAIL", "IBAN", "CARD", "IDNUM", "ACCOUNT", "ADDRESS", "PHONE")

# --- finders that patterns.py does not have ------------------------------------
# digits in groups split by up to two of space, dot or dash ("4111.1111.1111.1111", double spaces)
_CARD = re.compile(r"(?<![\w-])\d(?:[ .\-]{0,2}\d){12,18}(?![\w-])")
# any case, spaces or dashes between groups ("de89-3704-0044-0532-0130-00")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
# US SSN: AAA-GG-SSSS (never 000/666/9xx, 00, 0000), or nine digits right after "SSN"/"social security"
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])")
_SSN_LABELLED = re.compile(r"(?i:\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*)"
                           r"(?P<num>(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4})(?!\d)")
# an email whose local part is quoted ("john doe"@example.com): patterns.py finds the plain ones
_QUOTED_EMAIL = re.compile(r'"[^"\r\n@]{1,64}"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}')
_ACCOUNT = re.compile(
    r"(?i:\b(?:account|acct|a/c|bank\s+account|routing|sort\s+code)(?:\s+(?:number|num|no\.?|nr\.?|#))?"
    r"\s*[:#]?\s*)(?P<num>\d[\d -]{4,22}\d)(?![\w-])")
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|"
    "Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Crescent|Close|Row|Trail|Alley")
_ADDRESS = re.compile(
    r"(?<![\w-])\d{1,6}[A-Za-z]?(?:-\d{1,4})?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][A-Za-z'.-]*\s+){0,3}"
    rf"(?:{_STREET_TYPES})\b\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl)\.?\s*#?\s*[A-Za-z0-9-]+)?"
    r"(?:,\s*[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){0,2}(?:,\s*[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?)?)?")
# German-style "Hauptstraße 5", "Am Lindenweg 12a"
_ADDRESS_EU = re.compile(
    r"(?<![\w-])(?:[A-ZÄÖÜ][\wäöüß-]*\s+)?[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)"
    r"\s+\d{1,4}[a-z]?\b")


def luhn_ok(digits: str) -> bool:
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if double:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
        double = not double
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "").replace("-", "").upper()
    if not 15 <= len(s) <= 34:
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def find_cards(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1:
            out.append((m.group(), m.start(), m.end()))
    return out


def find_ibans(text: str) -> list[tuple[str, int, int]]:
    """IBANs that pass mod-97. A match may run on into the next words ("DE89 ... 00 thanks"
    reads as more groups), so its trailing groups are dropped one by one until it checks."""
    out = []
    for m in _IBAN.finditer(text):
        candidate = m.group()
        while len(candidate) >= 15:
            if iban_ok(candidate):
                out.append((candidate, m.start(), m.start() + len(candidate)))
                break
            cut = max(candidate.rfind(" "), candidate.rfind("-"))
            if cut <= 4:
                break
            candidate = candidate[:cut]
    return out


def find_national_ids(text: str) -> list[tuple[str, int, int]]:
    out = [(m.group(), m.start(), m.end()) for m in _SSN.finditer(text)]
    out += [(m.group("num"), m.start("num"), m.end("num")) for m in _SSN_LABELLED.finditer(text)]
    return out


def find_emails_all(text: str) -> list[tuple[str, int, int]]:
    from slm.plugins.extract.patterns import find_emails

    return [(m.group(), m.start(), m.end()) for m in _QUOTED_EMAIL.finditer(text)] + list(find_emails(text))


def find_accounts(text: str) -> list[tuple[str, int, int]]:
    return [(m.group("num"), m.start("num"), m.end("num")) for m in _ACCOUNT.finditer(text)
            if sum(c.isdigit() for c in m.group("num")) >= 6]


def find_addresses(text: str) -> list[tuple[str, int, int]]:
    out = [(m.group().rstrip(" ,"), m.start(), m.start() + len(m.group().rstrip(" ,")))
           for m in _ADDRESS.finditer(text)]
    out += [(m.group(), m.start(), m.end()) for m in _ADDRESS_EU.finditer(text)]
    return out


def normalise(text: str) -> tuple[str, list[int] | None]:
    """(text to match on, the original index of each of its characters; None: unchanged).

    Per character: format characters (zero-width space/joiners, word joiner, BOM, soft
    hyphen: Unicode category Cf) are dropped, any other space becomes " ", the rest is NFKC.
    """
    if text.isascii():
        return text, None  # the common case costs one scan
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
            index.append(i)
            continue
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        mapped = " " if category == "Zs" else unicodedata.normalize("NFKC", ch)
        out.append(mapped)
        index.extend([i] * len(mapped))
    return "".join(out), index


def find_pii(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end) in ``text`` without overlaps; earlier kinds in KINDS win an overlap.

    Matching runs on ``normalise(text)``; value and span are the original text's.
    """
    from slm.plugins.extract.patterns import SpanSet, find_phones

    finders = {"EMAIL": find_emails_all, "IBAN": find_ibans, "CARD": find_cards, "IDNUM": find_national_ids,
               "ACCOUNT": find_accounts, "ADDRESS": find_addresses, "PHONE": find_phones}
    norm, index = normalise(text)
    kept: list[tuple[str, str, int, int]] = []
    taken = SpanSet()  # O(log n) overlap checks: prompts may be 1 MB of CRM text
    for kind in KINDS:
        for _value, start, end in finders[kind](norm):
            if end <= start or taken.overlaps(start, end):
                continue
            taken.add(start, end)
            o_start, o_end = (start, end) if index is None else (index[start], index[end - 1] + 1)
            kept.append((kind, text[o_start:o_end], o_start, o_end))
    return sorted(kept, key=lambda h: h[2])


# --- placeholders --------------------------------------------------------------
_KIND_ALT = "|".join(KINDS)
# [EMAIL_1], [email 1], [ Email-1 ], and bare EMAIL_1 (underscore required when bare)
_PLACEHOLDER = re.compile(rf"\[\s*(?P<k1>{_KIND_ALT})\s*[_\- ]?\s*(?P<n1>\d+)\s*\]"
                          rf"|(?<![\w\[])(?P<k2>{_KIND_ALT})_(?P<n2>\d+)(?![\w\]])", re.IGNORECASE)
# a tail that could still grow into a placeholder
_OPEN_BRACKET_TAIL = re.compile(r"\[\s*[A-Za-z]{0,7}\s*[_\- ]?\s*\d*\s*$")
_BARE_TAIL = re.compile(r"(?<![\w\[])[A-Za-z]{1,7}(?:_\d*)?$")


class Redactor:
    """Redacts text and restores answers; one instance per request (its mapping)."""

    def __init__(self, mapping: dict[str, str] | None = None):
        self.mapping: dict[str, str] = dict(mapping or {})       # placeholder -> original
        self._by_value = {v: k for k, v in self.mapping.items()}
        self._counts: dict[str, int] = {}
        for ph in self.mapping:
            kind, n = ph.strip("[]").rsplit("_", 1)
            self._counts[kind] = max(self._counts.get(kind, 0), int(n))

    def redact(self, text: str) -> str:
        out, last = [], 0
        for kind, value, start, end in find_pii(text):
            out.append(text[last:start])
            out.append(self._placeholder(kind, value))
            last = end
        out.append(text[last:])
        return "".join(out)

    def redact_messages(self, messages: Iterable[dict]) -> list[dict]:
        redacted = []
        for msg in messages:
            msg = dict(msg)
            if isinstance(msg.get("content"), str):
                msg["content"] = self.redact(msg["content"])
            redacted.append(msg)
        return redacted

    def restore(self, text: str) -> str:
        if not self.mapping:
            return text

        def sub(m: re.Match) -> str:
            kind = (m.group("k1") or m.group("k2")).upper()
            n = int(m.group("n1") or m.group("n2"))
            return self.mapping.get(f"[{kind}_{n}]", m.group())

        return _PLACEHOLDER.sub(sub, text)

    def stream_restorer(self) -> "StreamRestorer":
        return StreamRestorer(self)

    def _placeholder(self, kind: str, value: str) -> str:
        if value in self._by_value:
            return self._by_value[value]
        n = self._counts.get(kind, 0) + 1
        self._counts[kind] = n
        ph = f"[{kind}_{n}]"
        self.mapping[ph] = value
        self._by_value[value] = ph
        return ph


class StreamRestorer:
    """feed() streamed pieces, get restored text back; a possible placeholder prefix is held until complete."""

    def __init__(self, redactor: Redactor):
        self.redactor = redactor
        self._held = ""

    def feed(self, piece: str) -> str:
        buf = self._held + piece
        if not self.redactor.mapping:
            self._held = ""
            return buf
        cut = self._hold_from(buf)
        self._held = buf[cut:]
        return self.redactor.restore(buf[:cut])

    def flush(self) -> str:
        buf, self._held = self._held, ""
        return self.redactor.restore(buf)

    @staticmethod
    def _hold_from(buf: str) -> int:
        i = buf.rfind("[")
        if i != -1 and "]" not in buf[i:] and len(buf) - i <= 24 and _OPEN_BRACKET_TAIL.fullmatch(buf, i):
            return i
        m = _BARE_TAIL.search(buf)
        if m:
            word = m.group().split("_")[0].upper()
            if ("_" in m.group() and word in KINDS) or ("_" not in m.group() and any(k.startswith(word) for k in KINDS)):
                return m.start()
        return len(buf)

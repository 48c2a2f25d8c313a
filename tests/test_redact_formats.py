"""Redaction of the formats people really paste: property tests that generate them.

Each generated value is written the way it turns up in CRM text (separators, case, no-break and
double spaces, full-width characters, zero-width characters inside), embedded in filler, and must
come out of ``Redactor.redact`` with nothing of it left — its digits and its letters gone — and
come back exactly from ``restore``.
"""
from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from slm.offload.redact import Redactor, find_pii, iban_ok, luhn_ok, normalise

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SPACES = [" ", "  ", "\u00a0", "\u202f", "\u2009"]
FILLER = st.sampled_from(["pls charge ", "ok so the details: ", "customer said ", "", "fyi -> "])


def luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError


def iban_for(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def sprinkle(value: str, rnd: random.Random, marks: list[str], rate: float = 0.25) -> str:
    """Insert invisible characters between the characters of ``value`` (never at its ends)."""
    out = [value[0]]
    for ch in value[1:]:
        if rnd.random() < rate:
            out.append(rnd.choice(marks))
        out.append(ch)
    return "".join(out)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def assert_gone_and_back(text: str, value: str, kind: str) -> None:
    r = Redactor()
    out = r.redact(text)
    assert f"[{kind}_1]" in out, (text, out)
    visible = normalise(value)[0]
    for run in re.findall(r"[0-9A-Za-z]{4,}", visible):  # no run of the value survives
        assert run not in normalise(out)[0], (text, out)
    assert r.restore(out) == text


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["4", "51", "37", "6011"]), st.integers(0, 10**15), st.sampled_from(SPACES + [".", "-", ". "]),
       FILLER, st.integers(0, 2**32), st.booleans())
def test_cards_in_any_separator(prefix, n, sep, filler, seed, hidden):
    body = (prefix + f"{n:015d}")[:15]
    number = luhn_complete(body)
    groups = [number[i:i + 4] for i in range(0, 16, 4)]
    value = sep.join(groups)
    if hidden:
        value = sprinkle(value, random.Random(seed), ZERO_WIDTH)
    assert_gone_and_back(f"{filler}card {value} exp 09/28", value, "CARD")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["DE", "GB", "FR", "NL", "ES"]), st.text("0123456789", min_size=18, max_size=18),
       st.sampled_from(["", " ", "-"]), st.sampled_from(["upper", "lower", "mixed"]), FILLER, st.integers(0, 2**32),
       st.booleans())
def test_ibans_in_any_case_and_separator(country, bban, sep, case, filler, seed, hidden):
    iban = iban_for(country, bban)
    assert iban_ok(iban)
    value = sep.join(iban[i:i + 4] for i in range(0, len(iban), 4))
    rnd = random.Random(seed)
    value = {"upper": value, "lower": value.lower(),
             "mixed": "".join(c.lower() if rnd.random() < 0.5 else c for c in value)}[case]
    if hidden:
        value = sprinkle(value, rnd, ZERO_WIDTH)
    assert_gone_and_back(f"{filler}iban {value} thanks", value, "IBAN")


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 899).filter(lambda a: a != 666), st.integers(1, 99), st.integers(1, 9999),
       st.sampled_from(["-", " ", "labelled"]), FILLER)
def test_us_social_security_numbers(area, group, serial, form, filler):
    digits = f"{area:03d}{group:02d}{serial:04d}"
    if form == "labelled":
        text, value = f"{filler}SSN: {digits} on file", digits
    else:
        value = form.join((digits[:3], digits[3:5], digits[5:]))
        text = f"{filler}her ssn is {value} ok"
    assert_gone_and_back(text, value, "IDNUM")


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[a-z]{2,8}(\.[a-z]{2,6})?", fullmatch=True), st.from_regex(r"[a-z]{3,9}", fullmatch=True),
       st.sampled_from(["com", "de", "co.uk"]), st.sampled_from(["plain", "full-width", "quoted", "hidden"]),
       FILLER, st.integers(0, 2**32))
def test_emails_full_width_quoted_or_with_hidden_characters(local, domain, tld, form, filler, seed):
    value = f"{local}@{domain}.{tld}"
    if form == "full-width":
        value = full_width(value)
    elif form == "quoted":
        value = f'"{local} {domain}"@{domain}.{tld}'
    elif form == "hidden":
        value = sprinkle(value, random.Random(seed), ZERO_WIDTH, rate=0.3)
    assert_gone_and_back(f"{filler}mail {value} asap", value, "EMAIL")


def test_not_everything_with_digits_is_redacted():
    text = "po 77-40215, 40 units at 18.75, invoice INV-2027-0311 due 2027-03-14, qty 1234567890123 nope"
    kinds = {k for k, *_ in find_pii(text)}
    assert "CARD" not in kinds and "IDNUM" not in kinds and "IBAN" not in kinds


def test_the_whole_original_span_is_replaced_hidden_characters_included():
    value = "4111\u200b 1111\u2060 1111 \u200d1111"
    text = f"card {value}!"
    (kind, found, start, end), = find_pii(text)
    assert kind == "CARD" and found == value and text[start:end] == value
    assert Redactor().redact(text) == "card [CARD_1]!"

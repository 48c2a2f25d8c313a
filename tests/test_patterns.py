"""Exact tests of the deterministic CRM extractors (slm.plugins.extract.patterns)."""
from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from slm.plugins.extract import patterns as p

VISIT = (
    "Visited Acme Corp on 2024-05-12. Met Dana Whitfield (VP Procurement), dana.whitfield@acme-corp.com, "
    "cell +1 (415) 555-0134, office 415.555.0199 ext. 22. They want 3 licenses at $1,199 each, "
    "total USD 3,597.00; the Berlin branch quoted 12.500,00 € and the UK team £450. "
    "Follow up by 06/14/2024; renewal 14.06.2025; kickoff May 3rd 2025. "
    "PO 4500012345, invoice no. INV-2024-0042, S/N: XK7-22931, order #88123."
)


def values(hits):
    return [v for v, _, _ in hits]


def test_spans_point_at_the_value():
    for finder in (p.find_emails, p.find_phones, p.find_amounts, p.find_dates, p.find_ids):
        for value, start, end in finder(VISIT):
            assert VISIT[start:end] == value


def test_visit_report_exactly():
    assert values(p.find_emails(VISIT)) == ["dana.whitfield@acme-corp.com"]
    assert values(p.find_phones(VISIT)) == ["+1 (415) 555-0134", "415.555.0199 ext. 22"]
    assert values(p.find_amounts(VISIT)) == ["$1,199", "USD 3,597.00", "12.500,00 €", "£450"]
    assert values(p.find_dates(VISIT)) == ["2024-05-12", "06/14/2024", "14.06.2025", "May 3rd 2025"]
    assert p.find_ids_typed(VISIT) == [
        ("order", "4500012345", VISIT.index("4500012345"), VISIT.index("4500012345") + 10),
        ("invoice", "INV-2024-0042", VISIT.index("INV-"), VISIT.index("INV-") + 13),
        ("serial", "XK7-22931", VISIT.index("XK7"), VISIT.index("XK7") + 9),
        ("order", "88123", VISIT.index("88123"), VISIT.index("88123") + 5),
    ]


@pytest.mark.parametrize("text,expected", [
    ("mail j.o'neil@x.io or sales+emea@big-co.co.uk.", ["j.o'neil@x.io", "sales+emea@big-co.co.uk"]),
    ("quoted 'bob@x.com' and <amy@y.org>", ["bob@x.com", "amy@y.org"]),
    ("Contact: KIM.LEE@Example.COM", ["KIM.LEE@Example.COM"]),
    ("user@localhost is not routable, nor a@b", []),
    ("two dots a..b@x.com", []),
    ("@handle on twitter, price 5@10", []),
])
def test_emails(text, expected):
    assert values(p.find_emails(text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("German office +49 30 1234567.", ["+49 30 1234567"]),
    ("Paris: tel. +33 1 42 68 53 00", ["+33 1 42 68 53 00"]),
    ("UK 020 7946 0958 or mobile 07700 900123", ["020 7946 0958", "07700 900123"]),
    ("call (415) 555-0134 now", ["(415) 555-0134"]),
    ("toll free 1-800-555-0199x12", ["1-800-555-0199x12"]),
    ("fax +1.212.555.0100", ["+1.212.555.0100"]),
    ("Tel 0044 20 7946 0958", ["0044 20 7946 0958"]),
    ("text me at 4155550134", ["4155550134"]),
    ("desk 415 555 0134", ["415 555 0134"]),
])
def test_phones(text, expected):
    assert values(p.find_phones(text)) == expected


@pytest.mark.parametrize("text", [
    "shipped 1 250 000 units in 2023 2024 and 2025",
    "PO 4500012345 and account 9876543210",       # ids, not phones
    "invoice #: 2024-0042",
    "IP 192.168.1.10 running v2.10.3",
    "card 4111 1111 1111 1111",                   # 16 digits: too long for a phone
    "meeting 2024-05-12, bad date 2024-13-45",
    "the price is $1,234,567.00",
    "zip 94107, room 101-205, score 2-1, open 9-5",
    "ratio 12/5, 3/4 cup, call at 10:30",
])
def test_phone_negatives(text):
    assert p.find_phones(text) == []


@pytest.mark.parametrize("text,expected", [
    ("3 licenses at $1,199 with 20% off", [("USD", Decimal(1199))]),
    ("budget 1.2M USD, $3 million and 50k euros", [("USD", Decimal(1200000)), ("USD", Decimal(3000000)),
                                                  ("EUR", Decimal(50000))]),
    ("EUR 12.500,00 vs 1 299,50 EUR", [("EUR", Decimal("12500.00")), ("EUR", Decimal("1299.50"))]),
    ("about 450 dollars or £99.99", [("USD", Decimal(450)), ("GBP", Decimal("99.99"))]),
    ("€ 7.5k deposit; CHF 200", [("EUR", Decimal(7500)), ("CHF", Decimal(200))]),
    ("₹50,000 and ¥12000", [("INR", Decimal(50000)), ("JPY", Decimal(12000))]),
])
def test_amounts_parse(text, expected):
    assert [p.parse_amount(v) for v in values(p.find_amounts(text))] == expected


@pytest.mark.parametrize("text", [
    "3 licenses, 20% off, 12.5 hours, 1,200 units",
    "version 1.2.3 released on build 4500",
    "we need 5 more seats",
])
def test_amount_negatives(text):
    assert p.find_amounts(text) == []


@pytest.mark.parametrize("text,expected", [
    ("on 2024-05-12 and 2024/06/01", ["2024-05-12", "2024-06-01"]),
    ("US style 05/12/2024 and 5/12/24", ["2024-05-12", "2024-05-12"]),
    ("EU style 14.06.2025 and 31/12/2024", ["2025-06-14", "2024-12-31"]),
    ("Jan. 5, 2025, March 3rd 2024 and 12 May 2024", ["2025-01-05", "2024-03-03", "2024-05-12"]),
    ("kickoff on the 12th of May, demo on 5 June.", ["--05-12", "--06-05"]),
    ("Feb 29 is fine without a year", ["--02-29"]),
])
def test_dates_iso(text, expected):
    assert [p.parse_date(v) for v in values(p.find_dates(text))] == expected


@pytest.mark.parametrize("text", [
    "bad dates 2024-13-45, 31.02.2024, Feb 30",
    "version 2.10.3 and 10.0.0.1",
    "call at 10:30, may 3 people come, 3/4 cup",
    "next Tuesday, tomorrow, end of month",  # relative dates are the model's job
])
def test_date_negatives(text):
    assert p.find_dates(text) == []


@pytest.mark.parametrize("text,expected", [
    ("purchase order 4500-778 and P.O. #99812", [("order", "4500-778"), ("order", "99812")]),
    ("Invoice #: 2024-0042 / inv INV-77", [("invoice", "2024-0042"), ("invoice", "INV-77")]),
    ("serial number SN-99812, s/n AB12CD", [("serial", "SN-99812"), ("serial", "AB12CD")]),
    ("ticket #5521 and case 00123991, RMA-551", [("other", "5521"), ("other", "00123991"), ("other", "RMA-551")]),
    ("see #4521 for details", [("other", "4521")]),
])
def test_ids(text, expected):
    assert [(k, v) for k, v, _, _ in p.find_ids_typed(text)] == expected


@pytest.mark.parametrize("text", [
    "order 2 boxes, case 3 of wine, in order to ship",
    "the invoice is late, the serial number is on the label",
    "ranked #1 in sales",
])
def test_id_negatives(text):
    assert p.find_ids(text) == []


def test_normalizers():
    assert p.normalize_phone("+1 (415) 555-0134 ext. 22") == "+14155550134"
    assert p.normalize_phone("0044 20 7946 0958") == "+442079460958"
    assert p.normalize_id("inv-2024/0042") == "INV20240042"
    assert p.parse_date("not a date") is None
    assert p.parse_amount("twelve dollars") is None


def test_find_all_has_no_overlaps_and_prefers_stronger_kinds():
    hits = p.find_all(VISIT + " Mail dana.5550134@acme.com.")
    spans = sorted((s, e) for _, _, s, e in hits)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert ("email", "dana.5550134@acme.com") in [(k, v) for k, v, _, _ in hits]
    assert {k for k, _, _, _ in hits} == {"email", "phone", "amount", "date", "id"}


def test_robust_on_odd_input():
    for text in ["", "\x00\x01", "🙂" * 100, "9" * 10_000, "$" * 1000, "1-" * 5000]:
        for finder in (p.find_emails, p.find_phones, p.find_amounts, p.find_dates, p.find_ids, p.find_all):
            finder(text)  # must not raise (and must return quickly: the pytest timeout guards)


@pytest.mark.timeout(60)  # a guard against quadratic overlap checks, not a speed target
def test_large_document_finds_every_repeat():
    one = p.find_all(VISIT + "\n")
    many = p.find_all((VISIT + "\n") * 1000)
    assert len(one) == 15 and len(many) == 15 * 1000
    assert [(k, v) for k, v, _, _ in many[-15:]] == [(k, v) for k, v, _, _ in one]


def test_phones_skip_other_kinds_whether_found_here_or_passed_in():
    text = VISIT + " Paid USD 0207946095 today."
    others = p.find_dates(text) + p.find_amounts(text) + p.find_ids(text)
    assert "0207946095" not in values(p.find_phones(text))  # an amount, not a phone
    assert p.find_phones(text, not_phones=others) == p.find_phones(text)
    assert "0207946095" in values(p.find_phones(text, not_phones=[]))  # the blocking is what keeps it out

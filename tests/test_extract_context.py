"""People and companies that the words around them mark (plugins/extract/names.py), without a model.

The texts are written for these tests (not taken from the benchmark): each case is one kind of
cue, in several languages, plus the near-misses that must not become names.
"""
from __future__ import annotations

import pytest
from slm.plugins.extract import entities

CASES = [
    ("greeting and sign-off", "Hi Mark,\nThe quote is attached.\nThanks,\nAna", {"Mark", "Ana"}, set()),
    ("sign-off on the same line", "Hola Carlos:\nTe confirmo la visita del lunes.\nSaludos, Marta", {"Carlos", "Marta"}, set()),
    ("formal German greeting", "Sehr geehrter Herr Vogel,\nvielen Dank.\nMit freundlichen Grüßen\nAnna Kowalski",
     {"Vogel", "Anna Kowalski"}, set()),
    ("e-mail headers", "From: Grace Liu <grace@meridianbrew.com>\nTo: Tom Hale\nSubject: install\n\nWorks for us.",
     {"Grace Liu", "Tom Hale"}, set()),
    ("header with title and company", "From: Tom Hale, Field Service Engineer, Brightwater Systems\nHi Grace, see below.",
     {"Tom Hale", "Grace"}, {"Brightwater Systems"}),
    ("contact in brackets, role before", "Please send it to Neil Faulkner (neil@fe.co.uk, 07700 900123). "
     "Our QA head Irene Park signs off; their CFO, Rachel Kim, approves.", {"Neil Faulkner", "Irene Park", "Rachel Kim"}, set()),
    ("met with, at a company", "Met with Priyanka Desai and Tomás Ortega at Valley Grain Cooperative today.",
     {"Priyanka Desai", "Tomás Ortega"}, {"Valley Grain Cooperative"}),
    ("introduction and French chez", "Appel de M. Julien Moreau, directeur technique chez Laiterie Normande.",
     {"Julien Moreau"}, {"Laiterie Normande"}),
    ("a person's verb, a vocative", "Sam Lee has to get sign-off first. Mike, can you chase it?", {"Sam Lee", "Mike"}, set()),
    ("attendees list", "Attendees: Sarah O'Neill, Raj Patel, Yuki Tanaka\nWe walked the plant.",
     {"Sarah O'Neill", "Raj Patel", "Yuki Tanaka"}, set()),
    ("name spelled by an e-mail, company by its domain", "Send the invoice to Rosa at rosa.mendez@costaazul.mx, "
     "Hotelera Costa Azul pays on receipt.", {"Rosa"}, {"Hotelera Costa Azul"}),
    ("particles and the company after them", "Spoke to the contractor, Pieter van der Berg of Van der Berg Installaties B.V.",
     {"Pieter van der Berg"}, {"Van der Berg Installaties B.V."}),
    ("carrier label and carrier name", "Carrier: DB Schenker\nShipped via FedEx Ground on Monday.", set(), {"DB Schenker", "FedEx"}),
    ("Latin American legal form", "Llamada de Mariana López, gerente de compras de Distribuidora El Sol S.A. de C.V.",
     {"Mariana López"}, {"Distribuidora El Sol S.A. de C.V."}),
    ("surname-first display name is not copied as a name", 'From: "Osei, Kwame" <kwame.osei@greenleaf.com>\n'
     "Please quote three filters.\nKwame", {"Kwame"}, set()),
]


@pytest.mark.parametrize("label,text,people,companies", CASES, ids=[c[0] for c in CASES])
def test_context_marks_people_and_companies(label, text, people, companies):
    assert {p["name"] for p in entities.people(text)} == people
    assert set(entities.companies(text)) == companies


NOT_NAMES = [
    "Hi team,\nThe pump is late.\nThanks,\nThe Brightwater Team",
    "Hello there, the New York office and the Riverside Park site are on hold until June.",
    "Bei Rückfragen erreichen Sie mich unter 089 4521 7730.",
    "Thanks, everyone!\nBest regards,\nCustomer Care",
    "We met with Crestline Foods and then drove to Leeds with Orion Ltd.",
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_teams_places_nouns_and_companies_are_not_people(text):
    assert entities.people(text) == []


def test_every_name_is_a_span_of_the_text():
    for _label, text, _people, _companies in CASES:
        for p in entities.people(text):
            assert p["name"] in text
        for c in entities.companies(text):
            assert c in text

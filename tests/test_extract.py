"""extract plugin: the reconcile step exactly, the tiny validator against jsonschema, and
the whole plugin through the real PluginHost on the tiny random-weight model (structure only)."""
from __future__ import annotations

import json

import crm_plugin_fixtures
import jsonschema
import pytest
from slm.plugins import structured
from slm.plugins.extract import fields

crm_model = crm_plugin_fixtures.crm_model  # the session fixture, used by name
run = crm_plugin_fixtures.run

TEXT = ("Met Dana Whitfield, VP Procurement at Acme Corp, dana@acme.com, +1 (415) 555-0134. "
        "Quote Q-77 for $12,400 due 2024-06-30. PO 4500012345. Invoice INV-2024-0042. "
        "Dana to send the signed PO by June 14, 2024.")
EMPTY_ANSWER = {"people": [], "companies": [], "emails": [], "phones": [], "addresses": [], "dates": [],
                "amounts": [], "order_numbers": [], "invoice_numbers": [], "serial_numbers": [], "action_items": []}


def test_generation_schema_is_bounded():
    """Every list and string has a bound, so a grammar-constrained answer always finishes."""
    def walk(schema):
        if schema.get("type") == "array":
            assert "maxItems" in schema
            walk(schema["items"])
        elif schema.get("type") == "object":
            for sub in schema["properties"].values():
                walk(sub)
        elif schema.get("type") == "string":
            assert "maxLength" in schema
    walk(fields.GENERATION_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(fields.GENERATION_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(fields.output_schema())


def test_reconcile_keeps_found_values_and_flags_invented_ones():
    answer = {**EMPTY_ANSWER,
              "people": [{"name": "Dana Whitfield", "title": "VP Procurement", "company": "Acme Corp"},
                         {"name": "Bob Ghost", "title": "", "company": ""}],
              "companies": ["Acme Corp", "Globex"], "emails": ["DANA@acme.com", "fake@nowhere.com"],
              "phones": ["415-555-0134"], "dates": ["June 30, 2024"], "amounts": ["12400 USD"],
              "order_numbers": ["4500012345"], "serial_numbers": ["ZZ-999"],
              "action_items": [{"owner": "Dana", "task": "send the signed PO", "due": "June 14, 2024"},
                               {"owner": "Zed", "task": "call", "due": "tomorrow"}]}
    data = fields.reconcile(answer, TEXT)
    jsonschema.validate(data, fields.output_schema())
    assert data["people"] == [{"name": "Dana Whitfield", "title": "VP Procurement", "company": "Acme Corp"}]
    assert data["companies"] == ["Acme Corp"]
    assert data["emails"] == ["dana@acme.com"]            # the text's spelling wins
    assert data["phones"] == ["+1 (415) 555-0134"]          # matched by digits
    assert data["dates"] == [{"text": "2024-06-30", "iso": "2024-06-30"},
                             {"text": "June 14, 2024", "iso": "2024-06-14"}]  # missed date added
    assert data["amounts"] == [{"text": "$12,400", "currency": "USD", "value": "12400"}]
    assert data["order_numbers"] == ["4500012345"]
    assert data["invoice_numbers"] == ["INV-2024-0042"]     # deterministic hit the model missed
    assert data["serial_numbers"] == []
    assert data["reference_numbers"] == ["Q-77"]
    assert data["action_items"] == [{"owner": "Dana", "task": "send the signed PO", "due": "June 14, 2024"},
                                    {"owner": None, "task": "call", "due": None}]
    assert {(u["field"], u["value"]) for u in data["unverified"]} == {
        ("people", "Bob Ghost"), ("companies", "Globex"), ("emails", "fake@nowhere.com"),
        ("serial_numbers", "ZZ-999"), ("action_items.owner", "Zed"), ("action_items.due", "tomorrow")}


def test_reconcile_of_an_empty_answer_is_the_deterministic_extraction():
    data = fields.reconcile(EMPTY_ANSWER, TEXT)
    jsonschema.validate(data, fields.output_schema())
    assert data["emails"] == ["dana@acme.com"] and data["phones"] == ["+1 (415) 555-0134"]
    assert [a["value"] for a in data["amounts"]] == ["12400"]
    assert [d["iso"] for d in data["dates"]] == ["2024-06-30", "2024-06-14"]
    assert data["order_numbers"] == ["4500012345"] and data["invoice_numbers"] == ["INV-2024-0042"]
    assert data["people"] == [] and data["unverified"] == []
    assert "dana@acme.com" in fields.render(data)


def test_reconcile_survives_gibberish():
    junk = {**EMPTY_ANSWER, "people": [{"name": "ЖЖ\u0000", "title": "🙂", "company": " "}],
            "emails": ["@@@"], "phones": ["12"], "dates": ["32/13/9999"], "amounts": ["$$"],
            "action_items": [{"owner": "", "task": "   ", "due": ""}]}
    data = fields.reconcile(junk, "nothing useful here")
    jsonschema.validate(data, fields.output_schema())
    assert data["people"] == [] and data["action_items"] == [] and data["phones"] == []
    assert fields.render(data).startswith("(") or fields.render(data) == "No CRM fields found."


def test_common_words_are_not_names_even_if_the_text_has_them():
    text = "the man at the house said ACME corp will order. Call Dana Whitfield."
    answer = {**EMPTY_ANSWER, "people": [{"name": "man", "title": "", "company": "the"},
                                         {"name": "dana whitfield", "title": "", "company": "Acme Corp"}],
              "companies": ["house", "ACME Corp"]}
    data = fields.reconcile(answer, text)
    assert data["people"] == [{"name": "dana whitfield", "title": None, "company": "Acme Corp"}]
    assert data["companies"] == ["ACME Corp"]
    assert {u["value"] for u in data["unverified"]} == {"man", "house"}


SCHEMA_CASES = [
    ({"a": "x"}, {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
    ({}, {"type": "object", "required": ["a"]}),
    ({"a": 1, "b": 2}, {"type": "object", "properties": {"a": {}}, "additionalProperties": False}),
    ([1, 2, 3], {"type": "array", "maxItems": 2}),
    ([], {"type": "array", "minItems": 1}),
    (["a", 3], {"type": "array", "items": {"type": "string"}}),
    ("", {"type": "string", "minLength": 1}),
    ("abcdef", {"type": "string", "maxLength": 3}),
    ("x1", {"type": "string", "pattern": "^[a-z]+$"}),
    (None, {"type": ["string", "null"]}),
    (True, {"type": "integer"}),
    (3, {"type": "number", "minimum": 5}),
    ("c", {"enum": ["a", "b"]}),
    (2.5, {"type": "integer"}),
]


@pytest.mark.parametrize("value,schema", SCHEMA_CASES)
def test_tiny_validator_agrees_with_jsonschema(value, schema):
    expected = jsonschema.Draft202012Validator(schema).is_valid(value)
    assert structured.is_valid(value, schema) == expected


def test_tiny_validator_on_outputs():
    good = fields.reconcile(EMPTY_ANSWER, TEXT)
    assert structured.errors(good, fields.output_schema()) == []
    bad = json.loads(json.dumps(good))
    bad["amounts"][0]["currency"] = "dollars"
    bad["extra"] = 1
    problems = structured.errors(bad, fields.output_schema())
    assert any("currency" in p for p in problems) and any("extra" in p for p in problems)


# --- the plugin through the real host on the tiny model -------------------------------------

SIGNATURE = ("Pull the contact details out of this: Thanks, Rachel Ortiz | Head of Facilities | Brightline Foods | "
             "rachel.o@brightline.com | +1 312-555-0177 | Invoice INV-2025-118 for $4,560.00 due 30 June 2025.")


def test_extract_on_tiny_model_validates_and_keeps_deterministic_fields(crm_model, tmp_path):
    result = run("extract", SIGNATURE, crm_model, tmp_path, config={"max_tokens": 48}).result
    data = result.data
    jsonschema.validate(data, fields.output_schema())
    assert data["emails"] == ["rachel.o@brightline.com"]
    assert data["phones"] == ["+1 312-555-0177"]
    assert data["invoice_numbers"] == ["INV-2025-118"]
    assert data["amounts"] == [{"text": "$4,560.00", "currency": "USD", "value": "4560.00"}]
    assert {"text": "30 June 2025", "iso": "2025-06-30"} in data["dates"]
    # gibberish the model wrote cannot be in the text: anything it kept must be found there
    for person in data["people"]:
        assert person["name"].casefold() in SIGNATURE.casefold()
    assert "rachel.o@brightline.com" in result.text


def test_when_the_model_names_no_one_the_deterministic_fields_come_back_with_a_note(crm_model, tmp_path, caplog):
    caplog.set_level("INFO", logger="slm.plugins.extract")
    data = run("extract", SIGNATURE, crm_model, tmp_path, config={"max_tokens": 6}).result.data
    jsonschema.validate(data, fields.output_schema())
    assert data["invoice_numbers"] == ["INV-2025-118"] and data["emails"] == ["rachel.o@brightline.com"]
    assert data["notes"] and "layout only" in data["notes"][0]
    rejected = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    assert len(rejected) == 4  # two greedy tries for people, two for companies


def test_extract_with_an_absent_model_reports_it(tmp_path):
    from slm.errors import ModelError

    with pytest.raises(ModelError):  # the offload policy (or `slm models pull`) answers an absent model
        run("extract", SIGNATURE, tmp_path / "missing.gguf", tmp_path)


def test_layout_finds_people_companies_addresses_and_foreign_dates():
    from slm.plugins.extract import entities

    card = ("Best regards,\nSam Lee\nSenior Buyer | Orion Ltd\nUnit 4, Riverside Park, Leeds LS11 5QT\n"
            "Wants a quote by vendredi 19 mars; call back next Tuesday. Ref CN-0071.")
    assert entities.people(card) == [{"name": "Sam Lee", "title": "Senior Buyer", "company": "Orion Ltd"}]
    assert entities.companies(card) == ["Orion Ltd"]
    assert entities.addresses(card) == ["Unit 4, Riverside Park, Leeds LS11 5QT"]
    data = fields.deterministic(card)
    assert {d["text"] for d in data["dates"]} == {"vendredi 19 mars", "next Tuesday"}
    assert data["reference_numbers"] == ["CN-0071"]
    assert fields.deterministic("Appelez le 06 12 34 56 78 pour mon devis.")["phones"] == ["06 12 34 56 78"]


def test_model_names_must_be_in_the_text_and_look_like_what_they_are():
    text = "Hi Mark,\nQuick update after the call with Will Chen at Crestline Foods. The Invoice is attached."
    found = fields.plausible_names({"people": [{"name": "Will Chen"}, {"name": "Mark"}, {"name": "Jo Park"},
                                               {"name": "Invoice"}, {"name": "Crestline Foods"}],
                                    "companies": ["Crestline Foods", "Acme Corp", "Quick"]}, text)
    assert [p["name"] for p in found["people"]] == ["Will Chen", "Mark"]
    assert found["companies"] == ["Crestline Foods"]


@pytest.mark.parametrize("config,options,error,message", [
    ({"max_tokens": "lots"}, None, "ConfigError", "[plugins.extract] max_tokens in the config file: 'lots'"),
    ({"max_tokens": True}, None, "ConfigError", "max_tokens in the config file: True"),
    ({"attempts": 0}, None, "ConfigError", "attempts in the config file: 0 (expected a whole number of at least 1)"),
    (None, {"max_tokens": "-5"}, "UsageError", "bad value for max_tokens: '-5'"),
])
def test_bad_settings_are_one_line_errors_before_any_model_loads(tmp_path, config, options, error, message):
    from slm import errors

    with pytest.raises(getattr(errors, error)) as caught:  # the model path does not exist: it is never opened
        run("extract", SIGNATURE, tmp_path / "missing.gguf", tmp_path, config=config, options=options)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_extract_metadata(tmp_path):
    from crm_plugin_fixtures import check_metadata

    check_metadata("extract", tmp_path)

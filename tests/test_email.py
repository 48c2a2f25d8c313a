"""email plugin: mode/tone detection exactly, and the plugin through the real PluginHost on the
tiny random-weight model (structure only)."""
from __future__ import annotations

import crm_plugin_fixtures
import pytest
from slm.plugins.email.intent import (
    MODES,
    TONES,
    detect_mode,
    detect_tone,
    original_subject,
    split_message,
)

crm_model = crm_plugin_fixtures.crm_model  # the session fixture, used by name
run = crm_plugin_fixtures.run


@pytest.mark.parametrize("prompt,mode,tone", [
    ("Reply to this: Hi, the delivery was late again and I'm really unhappy. Please fix it.", "reply", "empathetic"),
    ("Draft a follow-up email to Maria at Contoso about the pricing proposal", "draft", "professional"),
    ("Write an email to Bob: we need to reschedule the demo to Friday, keep it friendly", "draft", "friendly"),
    ("make this more formal: hey guys, cant make it tmrw, lets do thurs", "tone", "formal"),
    ("Rewrite this so it's clearer:\n\nWe was going to ship but the parts is delayed", "rewrite", "professional"),
    ('Can you make my email less pushy? "Hi Tom, I need your signature on the contract today."', "tone", "friendly"),
    ("Respond to the customer asking for a discount on 50 seats, be firm but polite", "reply", "firm"),
    ("proofread: Dear Mr Smith, thank you for you're order, it will be shipped on monday.", "rewrite", "professional"),
    ("tone down this message: This is the third time I've asked for the invoice. Send it now.", "tone", "friendly"),
    ("email the client to apologize for the missed call yesterday", "draft", "apologetic"),
    ("> Can you send the updated quote by Friday?\n> Thanks, Jen\nreply saying yes, by Thursday", "reply", "professional"),
    ("write a short, upbeat email announcing our new opening hours", "draft", "concise"),
    ("make it sound less formal: Dear Sir, we acknowledge receipt of your correspondence.", "tone", "casual"),
    ("write a persuasive email about upgrading to the premium plan", "draft", "persuasive"),
])
def test_mode_and_tone(prompt, mode, tone):
    assert detect_mode(prompt) == mode
    assert detect_tone(prompt, mode) == tone
    assert mode in MODES and tone in TONES


def test_reply_tone_ignores_the_customers_words():
    # "sorry" is the customer's, not an instruction to apologise
    prompt = "reply to this: Sorry to chase, but can we get the firm price by Monday?"
    assert detect_tone(prompt, detect_mode(prompt)) == "professional"


@pytest.mark.parametrize("prompt,instruction,message", [
    ("reply to this: Can you ship 20 more units next week?", "reply to this", "Can you ship 20 more units next week?"),
    ('rewrite "we cant do the install before the 5th sorry" politely', "rewrite  politely",
     "we cant do the install before the 5th sorry"),
    ("Reply please\n\nHi, is the quote still valid?", "Reply please", "Hi, is the quote still valid?"),
    ("reply saying we can meet at 10:30 tomorrow", "reply saying we can meet at 10:30 tomorrow", None),
    ("see https://example.com/x for the thread", "see https://example.com/x for the thread", None),
])
def test_split_message(prompt, instruction, message):
    assert split_message(prompt) == (instruction, message)


def test_original_subject():
    assert original_subject("Subject: RE: Late order #4521\nHi there") == "Late order #4521"
    assert original_subject("no subject line here") is None


# --- the plugin through the real host on the tiny model -------------------------------------


def test_reply_on_tiny_model(crm_model, tmp_path):
    prompt = "reply to this: Subject: Late order #4521\nHi, my order still hasn't arrived and I'm frustrated. What is going on?"
    run_ = run("email", prompt, crm_model, tmp_path)
    data = run_.result.data
    assert set(data) == {"subject", "body", "mode", "tone"}
    assert (data["mode"], data["tone"]) == ("reply", "empathetic")
    assert data["subject"] == "Re: Late order #4521"
    assert data["body"].strip() and "\x00" not in data["body"]
    assert run_.result.text == f"Subject: {data['subject']}\n\n{data['body']}"
    assert run_.usage.completion_tokens > 0


def test_options_override_detection_and_bad_options_are_usage_errors(crm_model, tmp_path):
    from slm.errors import UsageError

    data = run("email", "write to Ana about the demo", crm_model, tmp_path,
               options={"mode": "draft", "tone": "firm"}).result.data
    assert (data["mode"], data["tone"]) == ("draft", "firm") and data["subject"].strip()
    with pytest.raises(UsageError, match="unknown tone"):
        run("email", "write to Ana", crm_model, tmp_path, options={"tone": "sarcastic"})


def test_email_invalid_twice_raises_local_answer_failed(crm_model, tmp_path):
    from slm.errors import LocalAnswerFailedError

    with pytest.raises(LocalAnswerFailedError):
        run("email", "draft a note to Bo", crm_model, tmp_path, config={"max_tokens": 4})


def test_email_metadata(tmp_path):
    from crm_plugin_fixtures import check_metadata

    check_metadata("email", tmp_path)

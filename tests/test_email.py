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
    ("can you make this shorter, its way too long\n\nHi Dana, I just wanted to reach out about the quote.", "rewrite", "concise"),
    ("make this calmer, im furious\n\nThis is the THIRD time the order went out short!!", "tone", "calm"),
    ("make this more formal, its going to a law firm partner\n\nhey richard, need your sign off", "tone", "formal"),
    ("contesta este correo, dile que sí\n\nBuenas tardes, ¿pueden traer el equipo?", "reply", "professional"),
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


def test_instructions_become_sentences_without_a_model():
    from slm.plugins.email import EmailPlugin

    draft = EmailPlugin.template("draft", "apologetic", "draft an email to maria at northwind saying the 40 units "
                                 "ship on the 14th, sorry for the delay", None)
    assert draft["greeting"] == "Hi Maria,"
    assert draft["body"] == "The 40 units ship on the 14th. Sorry for the delay."
    assert draft["subject"] == "The 40 units ship on the 14th"
    reply = EmailPlugin.template("reply", "professional", "reply to this, tell her we can ship the 150 now, and offer "
                                 "the TR-5150 at $34", "Hi,\n\nCan you ship 400?\n\nThanks,\nEllen Ross")
    assert reply["greeting"] == "Hi Ellen,"
    assert reply["body"] == "Thank you for your message. We can ship the 150 now. We can offer the TR-5150 at $34."
    assert reply["subject"].startswith("Re: ")
    formal = EmailPlugin.template("tone", "formal", "make this more formal",
                                  "Dan,\n\nwe can't ship thurs. lmk if ok\n\nSteve")
    assert formal["greeting"] == "Dear Dan," and "We cannot ship thurs. Let me know if ok" in formal["body"]
    assert formal["signoff"] == "Kind regards," and formal["signature"] == "Steve"


REPLY = "reply to this: Subject: Late order #4521\nHi, my order still hasn't arrived and I'm frustrated. What is going on?"


def test_reply_on_tiny_model_keeps_the_thread_and_invents_nothing(crm_model, tmp_path):
    from slm.plugins.faithful import Checker

    run_ = run("email", REPLY, crm_model, tmp_path, config={"max_tokens": 80})
    data = run_.result.data
    assert set(data) == {"subject", "body", "mode", "tone", "body_source", "dropped"}
    assert (data["mode"], data["tone"]) == ("reply", "empathetic")
    assert data["subject"] == "Re: Late order #4521"
    # the random-weight model's gibberish never passes the fact check: the template body is sent, labelled
    assert data["body_source"] == "template" and data["dropped"]
    assert Checker(REPLY).unsupported(data["body"]) == [] and data["body"].strip()
    assert run_.result.text == f"Subject: {data['subject']}\n\n{data['body']}"
    assert run_.usage.completion_tokens > 0


def test_options_override_detection_and_bad_options_are_usage_errors(crm_model, tmp_path):
    from slm.errors import UsageError

    data = run("email", "write to Ana about the demo", crm_model, tmp_path,
               options={"mode": "draft", "tone": "firm"}, config={"max_tokens": 40}).result.data
    assert (data["mode"], data["tone"]) == ("draft", "firm") and data["subject"].strip()
    with pytest.raises(UsageError, match="unknown tone"):
        run("email", "write to Ana", crm_model, tmp_path, options={"tone": "sarcastic"})


def test_a_tiny_budget_still_answers_with_the_template(crm_model, tmp_path):
    data = run("email", "draft a note to Bo saying the demo moves to Friday", crm_model, tmp_path,
               config={"max_tokens": 4}).result.data
    assert data["body_source"] == "template" and "The demo moves to Friday." in data["body"]


def test_email_metadata(tmp_path):
    from crm_plugin_fixtures import check_metadata

    check_metadata("email", tmp_path)


@pytest.mark.parametrize("aside", [
    "dont promise a credit yet, i need to check w/ my boss",
    "don't mention the price increase",
    "do not say anything about the lawsuit",
    "never bring up the old invoice",
    "avoid talking about the delay",
])
def test_the_users_notes_to_self_never_reach_the_customer(aside):
    """Found on the held-out set: a private instruction was turned into a sentence of the reply."""
    from slm.plugins.email import compose

    said = " ".join(compose.points(f"pls reply to jim, apologize, say the crew comes tonight. {aside}"))
    assert "crew comes tonight" in said.lower()
    for word in ("credit", "boss", "price increase", "lawsuit", "old invoice", "delay"):
        assert word not in said.lower() or word in "crew comes tonight"


_FR = "Salut Marc,\nla pompe arrive mardi, on se voit là-bas.\nA+\nPaul"
_ES = "Hola Juan,\nla bomba llega el martes, nos vemos allí.\nSaludos\nPaula"
_DE = "Hallo Herr Weber,\ndie Pumpe kommt am Dienstag.\nGruß\nPaul"


@pytest.mark.parametrize("prompt,mode,tone,message", [
    (f"rends ce courriel plus formel\n\n{_FR}", "tone", "formal", _FR),
    (f"rends ce courriel plus formel :\n{_FR}", "tone", "formal", _FR),
    (f"rends ce courriel plus formel\n{_FR}", "tone", "formal", _FR),  # no blank line after the request
    (f"{_FR}\n\nrends ce courriel plus formel", "tone", "formal", _FR),  # the request after the message
    (f"peux-tu rendre ce mail plus chaleureux ?\n\n{_FR}", "tone", "friendly", _FR),
    (f"raccourcis ce message stp\n\n{_FR}", "rewrite", "concise", _FR),
    (f"réponds à ce mail, dis-lui que c'est bon pour mardi\n\n{_FR}", "reply", None, _FR),
    (f"haz este correo más formal\n\n{_ES}", "tone", "formal", _ES),
    (f"hazlo menos agresivo por favor:\n{_ES}", "tone", "calm", _ES),
    (f"acorta este correo\n\n{_ES}", "rewrite", "concise", _ES),
    (f"mach diese E-Mail freundlicher\n\n{_DE}", "tone", "friendly", _DE),
    (f"formuliere das förmlicher:\n{_DE}", "tone", "formal", _DE),
    (f"antworte auf diese Mail, sag ja\n\n{_DE}", "reply", None, _DE),
])
def test_requests_in_other_languages_are_split_from_the_message_and_read(prompt, mode, tone, message):
    from slm.plugins.email import intent

    instruction, quoted = intent.split_message(prompt)
    assert quoted == message and instruction and instruction not in message
    got = intent.detect_mode(prompt)
    assert got == mode
    if tone:
        assert intent.detect_tone(prompt, got) == tone

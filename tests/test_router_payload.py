"""Router, issue 13: instruction vs payload, plugins' accepts checks, languages, translations."""
from __future__ import annotations

import logging
import sys

import numpy as np
import pytest
from plugin_fixtures import write_plugin
from router_fixtures import NEGATIVES, ROUTES, make_host
from slm.config import load_settings
from slm.host.host import PluginHost
from slm.host.meta import MetadataError, parse_metadata
from slm.router import Router, language, translations
from slm.router.augment import bundled_payloads, with_payloads
from slm.router.features import Featurizer, FeaturizerConfig
from slm.router.instruction import find_instruction
from slm.router.shape import SHAPE_MARK, shape_features, split_prompt

NOTE_PAYLOAD = ("call w/ acme 3/4 - spoke to linda. contract 1,200 units/qtr at $18.75, wants 15% more "
                "from Q3. budget 48k. next step: send revised pricing by thu")
EMAIL_PAYLOAD = "Hi Tom,\n\nthanks for the call, 40 units at $18.75 each by Friday.\n\nBest regards,\nSarah"


# --- the split ----------------------------------------------------------------------------
@pytest.mark.parametrize("prompt, instruction, where", [
    (f"summarise my notes: {NOTE_PAYLOAD}", "summarise my notes", "first"),
    (f"reply to this\n{EMAIL_PAYLOAD}", "reply to this", "first"),
    (f'rewrite "{NOTE_PAYLOAD}"', "rewrite ", "first"),
    (f"{EMAIL_PAYLOAD}\n\ncan you summarise this", "can you summarise this", "last"),
    # the ask after notes that do not open like a message, wherever the paste ends
    (("site visit, cold store\ncompressor 2 tripping, condenser fins blocked\nwashed down, head pressure "
     "back to 14 bar\n\nrecap please"), "recap please", "last"),
    ("visited 3 sites, 2 quotes out (Q-17 $4,100, Q-18 $950), mileage 140 - sum this up for me",
     "sum this up for me", "last"),
    (("replaced the filter at the bakery, pressure back to 3 bar, next service in 6 months. condense "
     "these notes into one line"), "condense these notes into one line", "last"),
    (("Kunde Braun, 2 Standorte, Vertrag läuft am 30.06. aus, wollen ein Angebot für 3 Jahre - fasse das "
     "bitte kurz zusammen"), "fasse das bitte kurz zusammen", "last"),
    # "Mrs." and "tel." end no sentence
    (("Mrs. Alvarez called about the invoice. Dr. Kim wants the report by Friday, tel. 555-0101 - extract "
     "the names"), "extract the names", "last"),
    # in the middle: after a quoted message, before a remark
    (("'We still have no hot water and nobody called back since Monday.' <- write a reply to that, say sorry "
     "and offer a visit tomorrow. fyi they are on the premium plan"),
     "write a reply to that, say sorry and offer a visit tomorrow.", "mid"),
    # an ask the writer marked inside a paste of several lines
    (("site visit bakery\nproofer filter clogged, 2 cartridges swapped\n^^ turn that into a short recap for the crm\n"
      "next visit in 3 months, owner asked about a softener"), "^^ turn that into a short recap for the crm", "mid"),
    (("Hello team,\nthe pallet of 40 valves arrived damaged on Tuesday.\n[draft an apology and offer a replacement]\n"
      "Kind regards,\nMarta Lopez"), "[draft an apology and offer a replacement]", "mid"),
    # a colon before a quotation names it, the ask comes after it; a sign-off and the name under it are no ask
    ('the site manager says: "the booster trips twice a week since the new tank went in"\n\nwrite back that a tech '
     'comes on monday', "write back that a tech comes on monday", "last"),
    (("our new buyer is Ana Ruiz, ana.ruiz@example.com, from 3 March.\n\npull out her name and e-mail\n\n"
      "Best,\nOlga"), "pull out her name and e-mail", "mid"),
    # e-mail style quoted lines are the paste, the line between them the ask
    (("> can you send the 2 spare seals before friday?\n\nreply that they ship tomorrow\n\n> thanks, Piet"),
     "reply that they ship tomorrow", "mid"),
    # a question's own short context stays with it
    ("we quoted 9,400 and they came back with 8,650 - what percent off is that",
     "we quoted 9,400 and they came back with 8,650 - what percent off is that", "all"),
    ("split: 1,234 across 3", "split: 1,234 across 3", "all"),  # a short tail is part of the question
    ("what is 15% of 240", "what is 15% of 240", "all"),
])
def test_split_finds_the_instruction(prompt, instruction, where):
    got, payload, found = split_prompt(prompt)
    assert (got, found) == (instruction, where)
    if where == "mid":  # the paste around the ask
        assert payload == prompt.replace(got, "\n", 1)
    else:
        assert payload.strip() in prompt and (payload == "") == (where == "all")


def test_a_long_prompt_without_separator_keeps_its_first_words():
    prompt = "please summarise " + " ".join(f"word{i}" for i in range(80))
    instruction, payload, where = split_prompt(prompt)
    assert where == "words" and instruction.startswith("please summarise") and len(instruction.split()) == 32
    assert payload.split()[0] == "word30"


def test_shape_features_describe_the_payload():
    feats = set(shape_features(EMAIL_PAYLOAD, "first"))
    assert {SHAPE_MARK + n for n in ("any", "money", "greeting", "signoff", "date", "first")} <= feats
    assert shape_features("", "all") == [] and shape_features("   ", "all") == []
    assert SHAPE_MARK + "email" not in feats
    assert SHAPE_MARK + "email" in shape_features("write to jo@example.com or bob@example.org soon", "first")


def test_payload_numbers_change_no_ngram_feature():
    fz = Featurizer.fit(["summarise my notes", "what is 15% of 240", "play some jazz"], FeaturizerConfig())
    plain_rows, plain_vals, _ = fz.features_one("summarise my notes")
    rows, vals, _ = fz.features_one(f"summarise my notes: {NOTE_PAYLOAD}")
    shape_rows = [r for r in rows if r >= fz.n_char_end]
    assert shape_rows, "the payload adds shape rows"
    np.testing.assert_array_equal(rows[:len(plain_rows)], plain_rows)
    np.testing.assert_allclose(vals[:len(plain_vals)], plain_vals, rtol=1e-6)
    assert len(rows) == len(plain_rows) + len(shape_rows)
    # without the split (the old featurizer) the payload's n-grams are features
    old = Featurizer.fit(["summarise my notes", "what is 15% of 240"], FeaturizerConfig(split_instruction=False))
    assert len(old.features_one(f"summarise my notes: {NOTE_PAYLOAD}")[0]) > len(old.features_one("summarise my notes")[0])


def test_augmentation_is_deterministic_and_keeps_its_source():
    payloads = bundled_payloads()
    assert len(payloads) >= 30 and all(len(p) > 60 for p in payloads)
    texts = ["summarise my notes", "play some jazz", "what is 15% of 240"]
    a, b = with_payloads(texts, payloads, 1.0, seed=3), with_payloads(texts, payloads, 1.0, seed=3)
    assert a == b and sorted(src for src, _ in a) == [0, 1, 2]
    for src, text in a:
        assert texts[src] in text and len(text) > len(texts[src]) + 30
    assert with_payloads(texts, payloads, 0.0, seed=3) == [] and len(with_payloads(texts, payloads, 0.34, 1)) == 1


def test_the_split_finds_the_ask_before_after_and_inside_pastes():
    """The training prompts put the ask before, after and inside the bundled pastes: the split must
    read back the ask itself, not a piece of the paste, wherever it was put."""
    from slm.router.augment import AFTER, MIDDLE
    from slm.router.trainer import bundled_negatives

    asks = [t for t in bundled_negatives() if 3 <= len(t.split()) <= 10][:150]
    made = with_payloads(asks, bundled_payloads(), 1.0, seed=11)
    found = {"before": [], "after": [], "middle": []}
    for src, prompt in made:
        ask = asks[src].rstrip(" ?.!")
        if prompt.startswith(ask + " ") and prompt[len(ask) + 1] not in "\"-":
            continue  # "{i} {p}": no separator at all, nothing to find (the first words are read)
        where = ("middle" if prompt.find(ask) > 0 and not prompt.rstrip().endswith(ask)
                 else "after" if prompt.rstrip().endswith(ask) and not prompt.startswith(ask) else "before")
        found[where].append(split_prompt(prompt)[0].strip(" .") == ask)
    assert AFTER and MIDDLE and all(found.values()), {k: len(v) for k, v in found.items()}
    for where, hits in found.items():
        # inside a paste is the hardest place (12 of 14 here; before 81 of 81, after 40 of 43)
        assert sum(hits) >= (0.8 if where == "middle" else 0.9) * len(hits), (where, sum(hits), len(hits))


# --- routing prompts with payloads ------------------------------------------------------------
CALCISH = {**ROUTES, "sums": [
    "what is 15% of 240", "add 8% tax to 1299", "split 1,234 across 3", "12.5 + 7.5 times 3", "2 to the power 10",
    "average of 1,200, 950 and 1,430", "30 is what percent of 120", "increase 2,500 by 4%", "1,450 x 12",
    "square root of 1764", "total of 12.50, 8.99 and 4.25", "unit price 30 for 12"]}


@pytest.fixture(scope="module")
def sums_router(tmp_path_factory):
    home = tmp_path_factory.mktemp("payload_home")
    host = make_host(home, CALCISH)
    router = Router(host.settings, examples_provider=host, negatives=NEGATIVES)
    router.train()
    return router


def test_numbers_in_a_payload_do_not_pull_to_the_numbers_route(sums_router):
    invoice = "INVOICE 4471: 3 x 1,150.00 = 3,450.00, install 600.00, VAT 20% 810.00, total 4,860.00, due 13/10"
    prompts = {f"play some jazz: {invoice}": "music", f"recipe for chicken curry:\n{invoice}": "recipes",
               f"what's the weather tomorrow\n\n{invoice}": "weather", "what is 20% of 4,860": "sums"}
    assert [d.plugin for d in sums_router.route_many(list(prompts))] == list(prompts.values())


# --- accepts checks -------------------------------------------------------------------------
def test_plugin_toml_accepts_is_checked():
    base = {"name": "demo", "version": "1", "description": "d", "examples": [f"demo {i}" for i in range(10)]}
    assert parse_metadata({**base, "accepts": "demo_pkg.checks:accepts"}).accepts == "demo_pkg.checks:accepts"
    assert parse_metadata(base).accepts == ""
    for bad in ("not a reference", "module:", ":function", 3, "a b:c"):
        with pytest.raises(MetadataError, match="accepts"):
            parse_metadata({**base, "accepts": bad})


_ROUTE_CODE = '''
class P(Plugin):
    def handle(self, request, ctx):
        return Result("ok")
plugin = P()
'''


@pytest.fixture()
def checked_host(tmp_path, monkeypatch, caplog):
    """Real plugins on sys.path: 'sums', whose accepts check declines prompts that say "decline"
    (and raises on "explode"), and 'music' and 'recipes' without one."""
    monkeypatch.syspath_prepend(str(tmp_path))
    checks = tmp_path / "tcheck_sums.py"
    checks.write_text("CALLS = []\ndef accepts(prompt):\n    CALLS.append(prompt)\n"
                      "    if 'explode' in prompt:\n        raise RuntimeError('boom')\n"
                      "    return 'decline' not in prompt\n", encoding="utf-8")
    sums = write_plugin(tmp_path, "sums", _ROUTE_CODE, examples=CALCISH["sums"], accepts="tcheck_sums:accepts")
    music = write_plugin(tmp_path, "music", _ROUTE_CODE, examples=ROUTES["music"])
    recipes = write_plugin(tmp_path, "recipes", _ROUTE_CODE, examples=ROUTES["recipes"])
    # in slm's process, so the check's CALLS can be read here (tests/test_plugin_isolation.py
    # covers the same checks in a worker process)
    settings = load_settings(env={}, home=tmp_path / "home").with_(plugin_isolation="off")
    return PluginHost(settings, plugins=[sums, music, recipes]), sys.modules


def test_host_runs_the_declared_check_and_survives_a_broken_one(checked_host, caplog):
    host, _ = checked_host
    assert host.accepts("sums", "what is 15% of 240") is True
    assert host.accepts("sums", "what is 15% of 240, decline") is False
    assert host.accepts("music", "anything at all") is True  # no check declared
    with caplog.at_level(logging.WARNING, logger="slm.plugins"):
        assert host.accepts("sums", "explode 1") is True  # a raising check: the router's choice stands
    assert "accepts check raised RuntimeError" in caplog.text
    assert host.accepts("sums", "decline") is True  # skipped from now on, not re-run


def test_router_tries_the_runner_up_when_the_plugin_declines(checked_host):
    host, modules = checked_host
    router = Router(host.settings, examples_provider=host, negatives=NEGATIVES, second_stage=None)
    router.train()
    ok = router.route("what is 15% of 240")
    assert ok.plugin == "sums" and "declined" not in ok.info
    # the model picks sums, sums declines: none (nothing else is close)
    declined = router.route("what is 15% of 240 decline")
    assert declined.plugin is None and declined.info["declined"] == ["sums"]
    assert modules["tcheck_sums"].CALLS[-1] == "what is 15% of 240 decline"
    # the runner-up, renormalised without the declined route, against its own threshold
    from slm.router import RouteDecision

    model = router._model
    t_music = float(model.thresholds[model.routes.index("music")])
    share = min(0.99, t_music + 0.05) * 0.4  # music: just over its threshold once sums (0.6) is left out
    first = RouteDecision("sums", 0.6, {"sums": 0.6, "music": share, "recipes": 0.0}, 0.6 - share)
    taken = router._confirm("15% of 240 decline", first, model)
    assert taken.plugin == "music" and taken.info["declined"] == ["sums"]
    assert taken.confidence == pytest.approx(share / 0.4)
    low = RouteDecision("sums", 0.6, {"sums": 0.6, "music": (t_music - 0.05) * 0.4, "recipes": 0.0}, 0.1)
    assert router._confirm("15% of 240 decline", low, model).plugin is None


def test_a_missing_check_module_is_skipped(tmp_path, caplog):
    info = parse_metadata({"name": "ghost", "version": "1", "description": "d", "accepts": "no_such_module_x:f",
                           "examples": [f"ghost {i}" for i in range(10)]})
    host = PluginHost(load_settings(env={}, home=tmp_path), plugins=[info])
    with caplog.at_level(logging.WARNING, logger="slm.plugins"):
        assert host.accepts("ghost", "anything") is True
    assert "cannot load its accepts check" in caplog.text


def test_calc_accepts_needs_a_quantity_in_what_was_asked():
    from slm.plugins.calc import accepts

    for prompt in ("what is 15% of 240", "split $1,234 across 3", "twenty percent tip on eighty bucks",
                   "quote total: 40 units at 18.75 each less 5% discount plus 7% tax", "2^10"):
        assert accepts(prompt), prompt
    for prompt in ("extract the PO number, amount and due date from: PO-4471 total $12,450 due 3/4/2025",
                   "how heavy is the hm-300", "summarise my notes:\n" + NOTE_PAYLOAD, "", "   "):
        assert not accepts(prompt), prompt


# --- languages ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang", [
    ("what does our warranty policy say", "en"), ("resume mis notas de la reunión con acme", "es"),
    ("quel est le délai de garantie selon notre documentation", "fr"),
    ("fasse meine Notizen vom Kundentermin zusammen", "de"), ("qual é a política de reembolso", "pt"),
    ("qual è la politica di rimborso per gli abbonamenti", "it"), ("wat is het retourbeleid voor onze producten", "nl"),
    ("какая у нас гарантия", "ru"), ("保修期是多久", "zh"), ("CL-3の初期コードは", "ja"),
    ("meeting notes below, i need a recap w/ risks", "en"), ("price before tax if total incl 19% vat is 1,487.50", "en"),
    ("split $1,234 across 3", None), ("ok", None), ("", None),
])
def test_language_detection(text, lang):
    assert language.detect(text) == lang


def test_translations_go_only_to_the_routes_they_were_written_for():
    builtin = {"calc": ["what is 15% of 240", "add 8.25% sales tax to 1299", "split $1,234 across 3"],
               "music": ["play some jazz"] * 3}
    out = translations.with_translations(builtin)
    assert "cuánto es el 15% de 240" in out["calc"] and out["music"] == builtin["music"]
    stranger = translations.with_translations({"calc": ["my own calc example"] * 10})
    assert stranger["calc"] == ["my own calc example"] * 10  # a third-party "calc" is not taught ours
    assert len(translations.negatives()) >= 40 and translations.fingerprint()


@pytest.fixture(scope="module")
def builtin_router(tmp_path_factory):
    settings = load_settings(env={}, home=tmp_path_factory.mktemp("builtin_home"))
    router = Router(settings, examples_provider=PluginHost(settings))
    router.train()
    return router


def test_supported_languages_route_and_unsupported_ones_say_none(builtin_router):
    routed = {"resume mis notas de la reunión con el cliente y los próximos pasos": "notes",
              "écris un mail au client pour confirmer la livraison de jeudi": "email",
              "wie viel sind 15 % von 240": "calc", "extrai o email e o telefone da assinatura do cliente": "extract",
              "riassumi le note della riunione con il cliente di ieri": "notes",
              "vat de notities van het klantbezoek samen": "notes"}
    decisions = builtin_router.route_many(list(routed))
    assert [d.plugin for d in decisions] == list(routed.values())
    assert [d.info.get("language") for d in decisions] == ["es", "fr", "de", "pt", "it", "nl"]
    for prompt, lang in (("podsumuj notatki ze spotkania z klientem i napisz co dalej", "pl"),
                         ("bu müşteri ziyareti notlarını özetle ve listele", "tr"), ("какая у нас гарантия на насосы", "ru")):
        d = builtin_router.route(prompt)
        assert d.plugin is None and d.info["language"] == lang and lang in d.to_dict()["note"]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "---- ::: .... ---- !!!", "\"" * 200,
                                  "'an unclosed quote " + "x " * 60, "a" * 5000, "-\n" * 400])
def test_odd_prompts_split_without_error_and_lose_nothing(text):
    found = find_instruction(text)
    assert found is None or 0 <= found[0] < found[1] <= len(text)
    instruction, payload, where = split_prompt(text)
    assert where in ("first", "last", "mid", "words", "all")
    # every non-space character is in the instruction or the payload
    assert sorted((instruction + payload).replace("\n", "").replace(" ", "")) == sorted(text.replace("\n", "").replace(" ", ""))


def test_an_ask_across_the_edge_of_a_long_paste_is_still_found_or_left_whole():
    paste = "serial 4411-ZX pump ok, pressure 3.1 bar, " * 20
    text = paste[:290] + "\n\nsummarise these notes please\n\n" + paste[290:]
    found = find_instruction(text)
    assert found is None or text[found[0]:found[1]].strip()

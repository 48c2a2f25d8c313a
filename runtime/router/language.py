"""Which language a prompt's instruction is written in: cheap, model-free, honest about doubt.

The router routes English, Spanish, French, German, Portuguese, Italian and Dutch (translated examples,
translations.py). A prompt in another language would be routed on n-grams it was never
trained on, which is guessing; it goes to none instead, with the language it was taken
for in the route info. So this detector must be sure before it says "unsupported": a
prompt it cannot place (too short, mixed, names and numbers) is None, and routes as usual.

Method: the script of the letters (Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai,
Hangul, kana, Han), else counts of each language's common function words, which are
few, frequent and distinctive ("the/and/what", "el/los/qué", "le/les/quel", "der/und/ist",
"o/não/você", "il/gli/che", "het/een/niet", ...).
"""
from __future__ import annotations

import re

SUPPORTED = ("en", "es", "fr", "de", "pt", "it", "nl")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_FUNCTION_WORDS = {
    "en": "the and is are what how my to of for with this that please can you from in on it me do does "
          "our we about which when who why be have has was will an any there their your get give show "
          "if need want these those them they just like out up down all also before after than then "
          "much many more less per each every into over under below above between make write send",
    "es": "el los las del que por para con una es está cómo como qué cuál cuáles cuánto cuánta mis mi "
          "nuestro nuestra nuestros sobre según puedes favor hola gracias dime y en de la un lo al se su sus "
          "este esta esto hay son pero más muy tengo necesito quiero hazme dame escribe busca resume",
    "fr": "le les des du est une pour avec dans sur que qui quoi comment quel quelle quels mes mon ma notre "
          "nos selon pouvez peux merci bonjour et en de la un au aux ce cette il je vous sont pas plus très "
          "combien fais écris cherche résume donne moi",
    "de": "der die das und ist ein eine einen für mit von zu dem den wie was welche welcher meine mein "
          "unsere unser laut bitte kannst können sie ich nicht auf aus im bei nach über es sind wird auch "
          "noch wieviel wie viel schreib schreibe fasse zusammen such gib mir",
    "pt": "o os as do da dos das que para com uma um é está como qual quais quanto quanta meus minhas minha "
          "meu nosso nossa sobre segundo pode obrigado olá e em no na nos não mais muito você por pelo pela "
          "escreva resuma procure me diga",
    "it": "il lo gli della delle dello che per con una è come quale quanto miei mio mia nostro nostra "
          "secondo puoi grazie ciao e di del nel non più sono questo questa scrivi cerca riassumi dimmi",
    "nl": "de het een en van is dat voor met op niet wat hoe mijn onze volgens kun je bedankt hallo ik "
          "zijn naar ook maar wordt deze dit schrijf zoek samen",
    "sv": "och är att det som en ett för med på inte vad hur min mitt vår enligt kan du tack hej jag "
          "av till skriv sök sammanfatta",
    "da": "og er at det som en et for med på ikke hvad hvordan min mit vores ifølge kan du tak hej jeg "
          "af til skriv søg",
    "pl": "i w na z że jest to nie jak co mój moja nasz nasza według proszę dziękuję cześć się do dla "
          "czy napisz znajdź podsumuj",
    "tr": "ve bir bu için ile ne nasıl benim bizim göre lütfen teşekkürler merhaba mı mi değil da de "
          "yaz bul özetle",
    "id": "dan yang di ke dari untuk dengan ini itu apa bagaimana saya kami menurut tolong terima "
          "kasih halo tidak adalah tulis cari ringkas",
    "ro": "și este că pentru cu o un în pe ce cum meu mea nostru noastră conform vă rog mulțumesc "
          "bună nu sunt scrie caută rezumă",
}
_LANG_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _w in _words.split():
        _LANG_OF[_w] = _LANG_OF.get(_w, ()) + (_lang,)

# (first, last code point, language) of scripts that name their language (or its family)
_SCRIPTS = ((0x0370, 0x03FF, "el"), (0x0400, 0x04FF, "ru"), (0x0590, 0x05FF, "he"), (0x0600, 0x06FF, "ar"),
            (0x0900, 0x097F, "hi"), (0x0E00, 0x0E7F, "th"), (0x3040, 0x30FF, "ja"), (0xAC00, 0xD7AF, "ko"),
            (0x4E00, 0x9FFF, "zh"))
MIN_WORDS = 3  # fewer words than this: too little to tell


def detect(text: str) -> str | None:
    """An ISO 639-1 code, or None when the text does not say clearly."""
    if not isinstance(text, str) or not text:
        return None
    sample = text[:400]
    if not sample.isascii():
        script = _script(sample)
        if script is not None:
            return script
    # one-letter words ("a", "i", "o", "e", "y", "w") belong to too many languages to count;
    # accented ones ("é", "è", "à") are distinctive
    words = [w for w in _WORD.findall(sample.lower()) if len(w) > 1 or not w.isascii()]
    if len(words) < MIN_WORDS:
        return None
    counts: dict[str, int] = {}
    for w in words:
        for lang in _LANG_OF.get(w, ()):
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if counts.get("en", 0) >= n:
        return "en"  # a tie with English is English: "no" and "a" must not make Spanish of it
    if n < 2 or n < second * 1.5 or n < 0.2 * len(words):
        return None
    return best


def _script(sample: str) -> str | None:
    letters = [ord(c) for c in sample if c.isalpha()]
    if not letters:
        return None
    tally: dict[str, int] = {}
    for cp in letters:
        if cp < 0x0370:
            continue
        for lo, hi, lang in _SCRIPTS:
            if lo <= cp <= hi:
                tally[lang] = tally.get(lang, 0) + 1
                break
    if not tally:
        return None
    lang, n = max(tally.items(), key=lambda kv: kv[1])
    if n < 0.5 * len(letters):
        return None
    if lang == "zh" and tally.get("ja"):
        return "ja"  # kanji with kana
    if lang == "ru" and any(c in sample for c in "іїєґ"):
        return "uk"
    return lang

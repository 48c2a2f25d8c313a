"""Spanish, French, German and Portuguese calc questions in the words the English readers know.

Field staff ask "15% de descuento sobre 200", "combien font 20% de 150", "200 € netto zzgl. 19%
MwSt", "quanto é 10% de 50". A sentence is rewritten word by word into the English the readers
already read ("15% discount on 200"), and then goes through exactly the same checks: a word
that is not translated here is an unknown word, and a foreign function word left over (one that
could change the math, like "por": per, by or times) is refused, never taken as a label.

Only whole words are replaced, longest phrases first; the tables are small and written out so a
reviewer can see every rewrite. Compiled on first use, like every calc pattern.
"""
from __future__ import annotations

import re
from functools import cache

from .numbers import rx
from .vocab import Unaccounted

# phrases first (matched before single words): question openers and fixed expressions
_PHRASES = {
    # "how much is ..." (the English readers drop it as polite filler)
    "cuánto es": "what is", "cuanto es": "what is", "cuánto son": "what is", "cuanto son": "what is",
    "cuánto sale": "what is", "cuanto sale": "what is", "cuánto queda": "what is", "cuanto queda": "what is",
    "combien font": "what is", "combien fait": "what is", "combien ça fait": "what is", "ça fait combien": "what is",
    "c'est combien": "what is", "combien coûte": "what is", "combien coute": "what is",
    "was sind": "what is", "was ist": "what is", "wie viel sind": "what is", "wie viel ist": "what is",
    "wieviel sind": "what is", "wieviel ist": "what is", "wie viel macht": "what is", "wieviel macht": "what is",
    "was macht": "what is", "was kostet": "what is",
    "quanto é": "what is", "quanto e": "what is", "quanto são": "what is", "quanto sao": "what is",
    "combien ttc": "how much with vat", "combien ht": "how much net", "wie viel": "how much", "wieviel": "how much",
    "incluido en": "included in", "incluida en": "included in", "incluído em": "included in", "inclus dans": "included in",
    "incluse dans": "included in", "enthalten in": "included in",
    "cuál es": "what is", "cual es": "what is", "quel est": "what is", "quelle est": "what is", "qual é": "what is",
    "qual e": "what is", "qual o": "what is", "qual a": "what is", "wie hoch ist": "what is", "wie hoch sind": "what is",
    "quanto dá": "what is", "quanto da": "what is", "quanto fica": "what is", "quanto custa": "what is",
    # operations said in two words
    "dividido por": "divided by", "dividido entre": "divided by", "divisé par": "divided by",
    "divise par": "divided by", "geteilt durch": "divided by", "multiplicado por": "times",
    "multiplié par": "times", "multiplie par": "times",
    "por persona": "per person", "par personne": "per person", "pro person": "per person",
    "por pessoa": "per person", "al mes": "a month", "por mes": "a month", "par mois": "a month",
    "pro monat": "a month", "por mês": "a month", "por mes.": "a month", "al año": "a year", "por año": "a year",
    "par an": "a year", "pro jahr": "a year", "por ano": "a year", "cada uno": "each", "cada una": "each",
    "pro stück": "each", "la pièce": "each", "de l' heure": "an hour", "l' heure": "an hour", "par heure": "per hour",
    "por hora": "per hour", "pro stunde": "per hour", "die stunde": "an hour", "à hora": "an hour",
    "stundensatz": "hourly rate", "taux horaire": "hourly rate", "tarifa por hora": "hourly rate", "hors taxes": "net", "toutes taxes comprises": "incl",
    "sin iva": "without vat", "sans tva": "without vat", "ohne mwst": "without vat", "sem iva": "without vat",
    "iva incluido": "incl vat", "iva incluida": "incl vat", "tva comprise": "incl vat", "tva incluse": "incl vat",
    "inkl. mwst": "incl vat", "iva incluído": "incl vat",
}
# single words; "" drops a word that cannot change the arithmetic (articles)
_WORDS = {
    # of / on / for / with / without / and / is
    "de": "of", "del": "of", "von": "of", "vom": "of", "da": "of", "des": "of", "du": "of", "d'": "of",
    "al": "at", "base": "net", "sobre": "on", "sur": "on", "auf": "on", "para": "for", "pour": "for", "für": "for", "pra": "for",
    "en %": "in %", "em %": "in %", "en porcentaje": "in percent", "en pourcentage": "in percent",
    "precio de venta": "selling price", "prix de vente": "selling price", "preço de venda": "selling price",
    "verkaufspreis": "selling price", "einkaufspreis": "cost price", "prix d'achat": "cost price",
    "precio de compra": "cost price", "preço de compra": "cost price",
    "en total": "total", "en unidades": "in units", "punto de equilibrio": "break even",
    "seuil de rentabilité": "break even", "ponto de equilíbrio": "break even", "costos fijos": "fixed costs",
    "costes fijos": "fixed costs", "coûts fixes": "fixed costs", "custos fixos": "fixed costs",
    "costo variable": "variable cost", "coste variable": "variable cost", "coût variable": "variable cost",
    "custo variável": "variable cost", "combien de": "how many", "wie viele": "how many",
    "combien": "how much", "cuánto": "how much", "cuanto": "how much", "quanto": "how much",
    "comisión": "commission", "comision": "commission", "comissão": "commission", "aufschlag": "markup",
    "zinseszins": "compound interest", "zinsen": "interest", "interés": "interest", "intereses": "interest",
    "juros": "interest", "intérêts": "interest", "jährlich": "annually", "über": "over", "endbetrag": "final amount",
    "bajó": "fell", "subió": "rose", "baixou": "fell", "subiu": "rose", "cajas": "boxes", "caja": "box",
    "necesito": "need", "unidades": "units", "unidad": "unit", "unidade": "unit", "suma": "total",
    "cuántas": "how many", "cuántos": "how many", "cuantas": "how many", "cuantos": "how many",
    "quantos": "how many", "quantas": "how many", "ventas": "sales", "vendas": "sales", "umsatz": "sales",
    # multipliers: left untranslated they would pass as labels ("o dobro de 40 mais 5" is 85, not 45)
    "doble": "double", "dobro": "double", "doppelt": "double", "doppelte": "double", "le double": "double",
    "mitad": "half", "metade": "half", "moitié": "half", "hälfte": "half", "triple": "triple", "triplo": "triple",
    "dreifach": "triple", "tercio": "third", "terço": "third", "tiers": "third", "drittel": "third",
    "quilometragem": "mileage", "kilometraje": "mileage", "kilométrage": "mileage", "stück": "pieces", "stk": "pieces", "pièces": "pieces", "piezas": "pieces", "peças": "pieces",
    "luego": "then", "después": "then", "puis": "then", "ensuite": "then", "dann": "then", "danach": "then",
    "depois": "then", "si": "if", "wenn": "if", "compro": "buy", "compré": "bought", "vendo": "sell", "vendí": "sold", "venta": "sales",
    "vente": "sales", "venda": "sales", "achat": "purchase", "compra": "purchase", "ek": "cost", "vk": "selling price", "con": "with", "avec": "with", "mit": "with", "com": "with", "sin": "without", "sans": "without",
    "ohne": "without", "sem": "without", "y": "and", "et": "and", "und": "and",
    "es": "is", "est": "is", "ist": "is", "é": "is", "son": "is", "sind": "is", "são": "is",
    "el": "", "la": "", "los": "", "las": "", "le": "", "les": "", "l'": "", "der": "", "die": "", "das": "",
    "den": "", "dem": "", "os": "", "un": "", "una": "", "une": "", "ein": "", "eine": "", "einen": "", "um": "",
    "uma": "",
    # plus / minus / between / divide / times
    "más": "plus", "mas": "plus", "mais": "plus", "zzgl": "plus", "zuzüglich": "plus", "zuzueglich": "plus",
    "menos": "minus", "moins": "minus", "abzüglich": "minus", "abzgl": "minus", "weniger": "minus",
    "entre": "between", "zwischen": "between", "dividir": "divide", "divide": "divide", "diviser": "divide",
    "divisez": "divide", "teilen": "divide", "teile": "divide", "repartir": "split", "répartir": "split",
    "aufteilen": "split", "dividi": "divide", "mal": "times", "fois": "times", "vezes": "times",
    "prozent": "percent", "porcentaje": "percent", "pourcentage": "percent", "porcentagem": "percent",
    "por ciento": "percent", "pour cent": "percent", "por cento": "percent",
    # money words
    "descuento": "discount", "remise": "discount", "rabais": "discount", "réduction": "discount",
    "reduction": "discount", "rabatt": "discount", "nachlass": "discount", "desconto": "discount",
    "iva": "vat", "tva": "vat", "mwst": "vat", "ust": "vat", "mehrwertsteuer": "vat",
    "impuesto": "tax", "impuestos": "tax", "imposto": "tax", "impostos": "tax", "impôt": "tax", "taxe": "tax",
    "taxes": "tax", "steuer": "tax", "inkl": "incl", "inklusive": "incl", "incluido": "incl", "incluida": "incl",
    "incluye": "incl", "inclus": "incl", "incluse": "incl", "incluído": "incl", "incluida.": "incl",
    "compris": "incl", "ttc": "incl", "ht": "net", "netto": "net", "neto": "net", "brutto": "incl",
    "bruto": "incl", "precio": "price", "prix": "price", "preis": "price", "preço": "price", "preco": "price",
    "coste": "cost", "costo": "cost", "coût": "cost", "cout": "cost", "custo": "cost", "kosten": "cost",
    "margen": "margin", "marge": "margin", "margem": "margin", "gesamt": "total", "summe": "total",
    "personas": "people", "personnes": "people", "personen": "people", "pessoas": "people", "leute": "people",
    "cada": "each", "chacun": "each", "chacune": "each", "jeweils": "each",
    "propina": "tip", "pourboire": "tip", "trinkgeld": "tip", "gorjeta": "tip",
    "mes": "month", "mois": "month", "monat": "month", "mês": "month", "meses": "months", "monate": "months",
    "heures": "hours", "heure": "hour", "stunden": "hours", "stunde": "hour", "horas": "hours", "hora": "hour",
    "minutos": "minutes", "minuten": "minutes", "tage": "days", "tagen": "days", "jours": "days", "días": "days",
    "dias": "days",
    "año": "year", "jahr": "year", "ano": "year", "años": "years", "anos": "years", "ans": "years",
    "jahre": "years", "jahren": "years",
    # polite filler
    "por favor": "please", "bitte": "please", "s'il vous plaît": "please", "s'il te plaît": "please",
    "gracias": "thanks", "merci": "thanks", "danke": "thanks", "obrigado": "thanks", "obrigada": "thanks",
    "hola": "hi", "bonjour": "hi", "hallo": "hi", "olá": "hi", "ola": "hi",
    "calcula": "calculate", "calcule": "calculate", "calcular": "calculate", "berechne": "calculate",
    "berechnen": "calculate", "rechne": "calculate",
}
# left untranslated these could mean several operations ("por": per, by or times) or are question and
# function words that must not pass as an item's label ("cual es el iva de 100 al 21%" took "cual" and
# "al" for labels and added the VAT); a foreign sentence that still holds one after the rewrite is refused
AMBIGUOUS = frozenset(["por", "par", "pro", "je", "à", "au", "aux", "en", "em", "na", "ao", "que", "qui", "quoi", "cual", "cuál", "quel", "quelle", "welche", "welcher", "wie", "qual", "dame", "donne", "gib", "mir", "moi", "mi", "me"])
# English words and abbreviations that are also in the tables above: never a sign of another language
# ("base price", "pour the slab", "ht" for height, "3pm est", "los angeles", "el paso", "the un", "ask al")
_ENGLISH_TOO = {"de", "la", "le", "es", "son", "mal", "divide", "taxes", "des", "y", "et", "um", "da", "sin", "con",
                "com", "mas", "die", "den", "dem", "os", "ans", "reduction", "ust", "cada", "une", "ano", "base",
                "pour", "ht", "est", "el", "los", "las", "un", "al"}
# a word only these languages use: when one is present the sentence is foreign and is rewritten
_MARKERS = frozenset(set(_WORDS) - _ENGLISH_TOO
                     | {"geteilt", "durch", "dividido", "multiplicado", "divisé", "multiplié", "wieviel", "stück", "zu", "je",
                        "pièce", "comprises", "prozent", "porcentaje", "pourcentage", "zzgl", "inkl", "cuanto", "cuánto", "combien", "quanto"})


_LEVIES = "iva|tva|mwst|ust|impuesto|impuestos|imposto|impostos|taxe|taxes|steuer"
_PER_WHAT = ("km|kg|l|litro|litre|liter|metro|mètre|meter|m|hora|heure|stunde|h|mes|mês|mois|monat|día|dia|jour|tag|"
             "semana|semaine|woche|año|ano|an|jahr|unidad|unidade|unité|stück|pièce|pieza|peça|milla|meile|persona|"
             "personne|pessoa|person|noche|nuit|nacht|noite")
_OPENERS = (r"(?:cuánto|cuanto)\s+(?:es|son)|combien\s+(?:font|fait)|c'est\s+combien|was\s+(?:ist|sind)|"
            r"wie\s*viel\s+(?:ist|sind)|quanto\s+(?:é|e|são|sao|dá|da)")
_OFF = "descuento|remise|rabais|réduction|rabatt|nachlass|desconto|propina|pourboire|trinkgeld|gorjeta"


@cache
def _table() -> tuple[re.Pattern, dict[str, str]]:
    table = {**_WORDS, **_PHRASES}
    keys = sorted(table, key=len, reverse=True)
    pattern = rx(r"(?<![\w'])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w'])")
    return pattern, table


def is_foreign(text: str) -> bool:
    """Whether the lower-case ``text`` has a word only Spanish, French, German or Portuguese use."""
    if "cuánto" in text or "combien" in text or "wie viel" in text or "quanto" in text:
        return True
    return any(w in _MARKERS for w in re.findall(r"[a-zà-ÿ']+", text))


def to_english(text: str, foreign: bool | None = None) -> str:
    """The lower-case ``text`` with its Spanish/French/German/Portuguese words in English; English
    text is returned unchanged (a word such as "de" or "la" is rewritten only in a foreign sentence).
    ``foreign``: is_foreign(text) when the caller has asked already."""
    if not (is_foreign(text) if foreign is None else foreign):
        return text
    text = re.sub(r"\b([ld])'(?=\w)", r"\1' ", text)  # "l'iva", "d'escompte"
    # "el 21% de iva sobre 100" (the 21% VAT on 100) asks for the VAT; "100 más 21% de iva" adds it
    text = re.sub(rf"^(?:{_OPENERS})?\s*(?:el|le|la|die|der|o|a)\s+(\d[\d.,]*\s?%)\s+(?:(?:de|d'|da|der)\s+)?"
                  rf"({_LEVIES}|{_OFF})\b", r"how much \2 at \1", text)
    fig = r"[$€£]?\d[\d.,]*\s?[$€£]?"
    text = re.sub(rf"\b(?:de|desde|von)\s+({fig})\s+(?:a|à|para|hasta|auf|bis)\s+(?=[$€£]?\d)", r"from \1 to ", text)
    text = re.sub(r"\b(?:a|à|zu)\s+(?=[$€£]?\d)", "at ", text)  # "12 cajas a 4,50", "à 3 €", "zu 0,30 €"
    text = re.sub(rf"\bje\s+({fig})", r"at \1 each", text)  # "5 stück je 12,40 €"
    # "caja de 40 por 62 €", "por 6 meses": for a price or a span ("100 por 3" stays: per, by or times?)
    text = re.sub(r"\bpor\s+(?=[$€£]\s?\d|\d[\d.,]*\s?(?:€|\$|£|eur\b|euros?\b|(?:meses|mes|años|año|días|dias|semanas|horas)\b))",
                  "for ", text)
    # "por km", "pro stunde", "par mois", "ao mês": per a unit or a period
    text = re.sub(rf"\b(?:por|pro|par|ao|al)\s+(?=(?:{_PER_WHAT})\b)", "per ", text)
    text = re.sub(rf"(\d\s?%)\s+(?:de|d'|da|der)\s+(?=(?:{_LEVIES}|{_OFF})\b)", r"\1 ", text)  # "21% de iva"
    # "entre 4 y yo", "et moi", "und ich": one more in a count (vocab refuses "and myself" left unread)
    text = re.sub(r"\b(?:y|et|und|e)\s+(?:yo|moi|ich|eu|mí)\b", "and myself", text)
    text = re.sub(r"\b(?:y|et|und|e)\s+(?:nosotros|nosotras|nous|wir|nós)\b", "and ourselves", text)
    pattern, table = _table()
    out = pattern.sub(lambda m: table[m.group()], text)
    out = re.sub(r"\bincl(?:\s+incl\b)+", "incl", out)  # "brutto inkl."
    left = [w for w in re.findall(r"[a-zà-ÿ]+", out) if w in AMBIGUOUS]
    if left:
        raise Unaccounted(f"I can't tell what '{left[0]}' means here (per, by or times?); please rephrase")
    return re.sub(r"\s+", " ", out).strip()


# Numbers written in words in the other languages calc reads (es, fr, de, pt, it, nl). They are not
# turned into figures yet, and a reader that skips one as filler answers another question ("tres
# bombas a 749,90": one pump's price), so a prompt that has one is refused. Left out: the words that
# are also everyday words ("un"/"ein"/"um": a; "dos": of the, in Portuguese; "due"/"once"/"cent"/"six").
_FOREIGN_NUMBER_WORDS = frozenset("""
    tres cuatro cinco seis siete ocho nueve diez doce quince veinte treinta cuarenta cincuenta cien ciento mil
    deux trois quatre cinq sept huit neuf dix douze quinze vingt trente quarante cinquante mille
    zwei drei vier fünf funf sechs sieben acht neun zehn zwölf zwolf zwoelf zwanzig dreißig dreissig vierzig
    fünfzig hundert tausend
    dois duas três quatro sete oito nove dez doze vinte trinta quarenta cinquenta cem
    tre quattro cinque sette otto dieci dodici venti trenta quaranta cinquanta cento
    twee drie vijf zes zeven negen tien twaalf twintig dertig veertig vijftig honderd duizend
""".split())
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def foreign_number_word(text: str) -> str | None:
    """The first number written in words in another language that ``text`` holds, if any."""
    return next((w for w in _LETTER_RUNS.findall(text.lower()) if w in _FOREIGN_NUMBER_WORDS), None)

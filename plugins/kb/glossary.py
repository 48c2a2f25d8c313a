"""Field staff ask in their own language; product documents are mostly in English.

A question in Spanish, French, German, Portuguese or Italian shares almost no word with an English
passage ("cuánto cuesta la lámpara de repuesto" / "Replacement UV lamp: $145.00"), so BM25,
the gate and the extractive answer find nothing to go on. ``with_english`` puts the English
word a document would use beside each word of a small glossary of the words product and
service questions are made of (price, spare, pressure, softener, drain, warranty, return ...),
for ranking and matching only: the question itself is never rewritten for the user or the model.
A word not in the glossary is left alone; the gate treats a word the corpus lacks as no evidence.
"""
from __future__ import annotations

import re
import unicodedata

# folded (lower case, no accents) -> the English words a document uses for it
_WORDS = {
    # price, money, orders
    "cuesta": "price cost", "cuestan": "price cost", "precio": "price", "coste": "cost", "costo": "cost",
    "prix": "price", "coute": "price cost", "preis": "price", "kostet": "price cost", "kosten": "cost",
    "preco": "price", "custa": "price cost", "prezzo": "price", "descuento": "discount", "remise": "discount",
    "rabatt": "discount", "desconto": "discount", "sconto": "discount", "cargo": "fee charge", "frais": "fee",
    "gebuhr": "fee", "taxa": "fee", "envio": "shipping", "livraison": "delivery shipping", "versand": "shipping",
    "lieferung": "delivery", "entrega": "delivery", "pedido": "order", "commande": "order", "bestellung": "order",
    # parts and products
    "repuesto": "replacement spare", "recambio": "replacement spare", "rechange": "replacement spare",
    "ersatz": "replacement spare", "reposicao": "replacement", "lampara": "lamp", "lampe": "lamp",
    "lampada": "lamp", "bomba": "pump", "bombas": "pump", "pompe": "pump", "pumpe": "pump", "pumpen": "pump",
    "filtro": "filter cartridge", "filtre": "filter cartridge", "cartucho": "cartridge", "kartusche": "cartridge",
    "descalcificador": "softener", "adoucisseur": "softener", "enthartungsanlage": "softener",
    "entharter": "softener", "amaciador": "softener", "addolcitore": "softener", "sal": "salt", "sel": "salt",
    "salz": "salt", "junta": "seal", "joint": "seal", "dichtung": "seal", "vedacao": "seal", "sello": "seal",
    "controlador": "controller", "pantalla": "screen", "ecran": "screen",
    "versao": "version", "unidad": "unit", "unite": "unit", "einheit": "unit",
    "unidade": "unit", "piloto": "pilot", "pilote": "pilot", "prueba": "trial", "essai": "trial",
    # quantities and specs
    "presion": "pressure", "pression": "pressure", "druck": "pressure", "pressao": "pressure",
    "caudal": "flow", "debit": "flow", "durchfluss": "flow", "vazao": "flow", "peso": "weight",
    "poids": "weight", "gewicht": "weight", "ruido": "noise", "bruit": "noise", "larm": "noise",
    "temperatura": "temperature", "temperatur": "temperature", "dureza": "hardness", "durete": "hardness",
    "harte": "hardness", "agua": "water", "eau": "water",
    "wasser": "water", "cloruro": "chloride", "chlorure": "chloride", "chlorid": "chloride",
    "chloridgehalt": "chloride content", "hierro": "iron", "fer": "iron", "eisen": "iron",
    "maximo": "maximum", "maxima": "maximum", "minimo": "minimum",
    "minima": "minimum", "mindest": "minimum", "hoch": "high maximum", "garde": "gap", "aire": "air",
    "luft": "air", "vidange": "drain", "desague": "drain", "ablauf": "drain", "dreno": "drain",
    "ligne": "line", "linea": "line", "leitung": "line", "espacio": "space clearance", "espace": "space clearance",
    "abstand": "clearance distance", "litros": "litres", "liter": "litres",
    "regeneracion": "regeneration", "regenerierung": "regeneration",
    "capacidad": "capacity", "capacite": "capacity", "kapazitat": "capacity",
    # service, warranty, returns, travel
    "garantia": "warranty", "garantie": "warranty", "devolver": "return", "devolucion": "return",
    "retour": "return", "retourner": "return", "rucksendung": "return", "zuruckgeben": "return",
    "devolucao": "return", "reposicion": "restocking", "caja": "packaging box",
    "emballage": "packaging", "verpackung": "packaging", "mantenimiento": "service maintenance",
    "entretien": "service maintenance", "wartung": "service maintenance", "manutencao": "service maintenance",
    "intervalo": "interval", "intervalle": "interval", "cambiar": "replace change", "changer": "replace change",
    "wechseln": "replace change", "trocar": "replace change", "instalacion": "installation",
    "tecnico": "technician", "technicien": "technician", "techniker": "technician",
    "respuesta": "response", "reponse": "response", "reaktionszeit": "response time",
    "noche": "night", "nuit": "night", "nacht": "night", "noite": "night", "kilometraje": "mileage",
    "kilometrage": "mileage", "kilometergeld": "mileage", "comida": "meal", "repas": "meal", "essen": "meal",
    "dieta": "per diem", "viatico": "per diem", "tagegeld": "per diem",
    "eurozona": "eurozone", "zona": "zone",
}
_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def with_english(query: str) -> str:
    """``query`` with the English words of each glossary word beside it ("la lámpara de repuesto" ->
    "la lámpara lamp de repuesto replacement spare"); unchanged when it has none."""
    return _WORD.sub(lambda m: f"{m.group()} {_WORDS[f]}" if (f := _fold(m.group())) in _WORDS
                     else m.group(), query)

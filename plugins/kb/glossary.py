"""Field staff ask in their own language; product documents are mostly in English.

A question in Spanish, French, German, Portuguese or Italian shares almost no word with an English
passage ("cuánto cuesta la lámpara de repuesto" / "Replacement UV lamp: $145.00"), so BM25,
the gate and the extractive answer find nothing to go on. ``with_english`` puts the English
word a document would use beside each word of a small glossary of the words product and
service questions are made of (price, spare, pressure, softener, drain, warranty, return ...),
for ranking and matching only: the question itself is never rewritten for the user or the model.
A few phrases are read the same way ("wie lange": how long; colloquial "send back": return). A word not in
the glossary is left alone; the gate treats a word the corpus lacks as no evidence.
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
    # travel and expenses
    "gastos": "expenses claim", "gasto": "expense claim", "spesen": "expenses", "reisekosten": "travel expenses",
    "spese": "expenses", "despesas": "expenses", "viaje": "trip travel", "voyage": "trip travel",
    "reise": "trip travel", "viaggio": "trip travel", "viagem": "trip travel", "dias": "days", "jours": "days",
    "jour": "day", "tage": "days", "tagen": "days", "giorni": "days", "giorno": "day", "reembolso": "reimbursed refund",
    "reembolsan": "reimbursed", "remboursement": "reimbursed refund", "rembourse": "reimbursed", "erstattet": "reimbursed",
    "erstattung": "reimbursed refund", "rimborso": "reimbursed refund", "rimborsato": "reimbursed",
    "reembolsado": "reimbursed", "pagan": "paid reimbursed", "pagar": "pay paid", "paga": "pay paid",
    "payer": "pay paid", "paye": "paid", "bezahlt": "paid", "zahlen": "pay", "pagato": "paid", "pagare": "pay",
    "pago": "paid pay", "verpflegung": "meal", "pauschale": "per diem allowance", "ubernachtung": "hotel night",
    "nuitee": "hotel night", "vuelo": "flight", "vol": "flight", "flug": "flight", "volo": "flight", "voo": "flight",
    # selling and commissioning
    "vender": "sell sold", "vendo": "sell sold", "vendre": "sell sold", "verkaufen": "sell sold",
    "verkauft": "sold", "vendere": "sell sold", "gratis": "free of charge", "gratuito": "free of charge",
    "gratuita": "free of charge", "gratuit": "free of charge", "gratuite": "free of charge",
    "kostenlos": "free of charge", "visita": "visit", "visite": "visit", "besuch": "visit",
    "comissionamento": "commissioning", "inbetriebnahme": "commissioning", "junto": "together", "juntos": "together",
    "zusammen": "together", "insieme": "together", "contrato": "contract", "contrat": "contract",
    "vertrag": "contract", "contratto": "contract", "cliente": "customer", "kunde": "customer",
    "nivel": "level tier", "niveau": "level tier", "stufe": "level tier", "livello": "level tier",
    # service, credits, validity
    "servicio": "service", "servizio": "service", "servico": "service", "dienst": "service",
    "tiempo": "time", "temps": "time", "zeit": "time", "tempo": "time", "tempi": "time",
    "delai": "time", "plazo": "time", "frist": "time", "risposta": "response", "resposta": "response", "credito": "credit", "creditos": "credit", "crediti": "credit",
    "gutschrift": "credit", "manchiamo": "miss missed", "mancato": "missed", "valido": "valid", "valida": "valid",
    "valable": "valid", "gultig": "valid", "vale": "valid", "numero": "number", "nummer": "number",
    "garanzia": "warranty", "ano": "year", "anos": "years", "ans": "years", "annee": "year", "jahr": "year",
    "jahre": "years", "anno": "year", "anni": "years", "mes": "month", "meses": "months", "mois": "month months",
    "monat": "month", "monate": "months", "mese": "month", "mesi": "months", "semana": "week", "semaine": "week",
    "woche": "week", "settimana": "week", "horas": "hours", "heure": "hour", "heures": "hours",
    "stunde": "hour", "stunden": "hours", "errore": "error", "erro": "error", "fehler": "error",
    "codigo": "code", "codice": "code", "reiniciar": "reset", "resetear": "reset", "reinitialiser": "reset",
    "zurucksetzen": "reset", "ripristinare": "reset", "resettare": "reset", "anual": "annual", "annuel": "annual",
    "annuelle": "annual", "jahrlich": "annual", "annuale": "annual",
    # specs, parts, procedures
    "frecuencia": "frequency", "frequence": "frequency", "frequenz": "frequency", "frequenza": "frequency",
    "frequencia": "frequency", "variador": "variable frequency drive", "variateur": "variable frequency drive",
    "frequenzumrichter": "variable frequency drive", "umrichter": "drive", "inversor": "drive",
    "mini": "minimum", "maxi": "maximum", "massimo": "maximum", "massima": "maximum", "pompa": "pump",
    "enjuagar": "flush rinse", "rincer": "flush rinse", "spulen": "flush rinse", "sciacquare": "flush rinse",
    "enxaguar": "flush rinse", "carbon": "carbon", "charbon": "carbon", "aktivkohle": "carbon", "kohle": "carbon",
    "carbone": "carbon", "carvao": "carbon", "cloro": "chlorine", "chlore": "chlorine", "chlor": "chlorine",
    "desinfeccion": "disinfection", "desinfection": "disinfection", "desinfektion": "disinfection",
    "disinfezione": "disinfection", "desinfeccao": "disinfection", "neue": "new", "neu": "new", "nuevo": "new",
    "nueva": "new", "nouveau": "new", "nouvelle": "new", "nuovo": "new", "nuova": "new", "novo": "new", "nova": "new",
    "pressione": "pressure", "portata": "flow", "rumore": "noise", "entrada": "inlet", "entree": "inlet",
    "eingang": "inlet", "salida": "outlet", "sortie": "outlet", "moteur": "motor", "tuberia": "pipe",
    "tuyau": "pipe", "rohr": "pipe", "operacion": "operating", "operacao": "operating", "betrieb": "operating",
    "funzionamento": "operating", "esterilizador": "steriliser", "sterilisateur": "steriliser",
    "sterilisator": "steriliser", "sterilizzatore": "steriliser", "tanque": "tank", "reservoir": "tank",
    "behalter": "tank", "serbatoio": "tank", "salmuera": "brine", "saumure": "brine",
    "salamoia": "brine", "salmoura": "brine", "instalar": "install", "installer": "install",
    "installieren": "install", "installare": "install", "esperar": "wait", "attendre": "wait", "warten": "wait",
    "aspettare": "wait", "enfriar": "cool", "refroidir": "cool", "abkuhlen": "cool", "abgekuhlt": "cool",
    "raffreddare": "cool", "esfriar": "cool", "lebensdauer": "life", "durata": "life", "voltaje": "voltage",
    "spannung": "voltage", "tensione": "voltage", "tensao": "voltage", "potencia": "power", "puissance": "power",
    "leistung": "power", "potenza": "power", "materiau": "material",
    "recibo": "receipt", "recu": "receipt", "quittung": "receipt", "beleg": "receipt", "ricevuta": "receipt",
    "aprobacion": "approval", "approbation": "approval", "genehmigung": "approval", "approvazione": "approval",
    "aprovacao": "approval", "jefe": "manager", "responsable": "manager", "vorgesetzter": "manager",
    "prestamo": "loan", "pret": "loan", "leihpumpe": "loan pump", "prestito": "loan", "emprestimo": "loan",
    "alarma": "alarm", "alarme": "alarm", "allarme": "alarm", "calibracion": "calibration", "etalonnage": "calibration",
    "kalibrierung": "calibration", "calibrazione": "calibration", "calibracao": "calibration",
    "dimensiones": "dimensions", "abmessungen": "dimensions", "dimensioni": "dimensions", "dimensoes": "dimensions",
    "conexion": "connections", "raccordement": "connections", "anschluss": "connections", "attacco": "connections",
    "rodamiento": "bearing", "roulement": "bearing", "lager": "bearing", "cuscinetto": "bearing",
    "rolamento": "bearing", "vibracion": "vibration", "schwingung": "vibration", "vibrazione": "vibration",
    "vibracao": "vibration", "drehmoment": "torque", "coppia": "torque", "perno": "bolt", "boulon": "bolt",
    "schraube": "bolt", "bullone": "bolt", "presupuesto": "quote", "cotizacion": "quote", "devis": "quote",
    "angebot": "quote", "preventivo": "quote", "orcamento": "quote", "feria": "trade show", "messe": "trade show",
    "fiera": "trade show", "competencia": "competitor", "concurrent": "competitor", "wettbewerber": "competitor",
    "concorrente": "competitor", "barato": "cheaper", "billiger": "cheaper", "economico": "cheaper",
    "distribuidor": "distributor", "distributeur": "distributor", "handler": "distributor",
    "distributore": "distributor", "factura": "invoice", "facture": "invoice", "rechnung": "invoice",
    "fattura": "invoice", "fatura": "invoice", "avoir": "credit note", "efectivo": "cash", "especes": "cash",
    "contanti": "cash", "dinheiro": "cash", "incluido": "included", "inclus": "included", "inklusive": "included",
    "incluso": "included", "dano": "damage", "dommage": "damage", "schaden": "damage", "danno": "damage",
    "transporte": "transport", "trasporto": "transport", "transportschaden": "transport damage",
    "embalaje": "packaging", "imballaggio": "packaging", "embalagem": "packaging", "roto": "broken",
    "casse": "broken", "kaputt": "broken", "rotto": "broken", "quebrado": "broken", "fuga": "leak", "fuite": "leak",
    "leck": "leak", "perdita": "leak", "vazamento": "leak", "mercurio": "mercury", "mercure": "mercury",
    "quecksilber": "mercury", "eliminacion": "disposal", "elimination": "disposal", "entsorgung": "disposal",
    "smaltimento": "disposal", "descarte": "disposal", "resina": "resin", "resine": "resin", "harz": "resin",
    "sensore": "sensor", "capteur": "sensor", "fuhler": "sensor", "sonde": "sensor", "motore": "motor",
    "kilometro": "km", "kilometre": "km", "millas": "miles", "meilen": "miles", "coche": "car", "voiture": "car",
    "auto": "car", "carro": "car", "tren": "train", "zug": "train", "treno": "train", "comboio": "train",
    "alcool": "alcohol", "alkohol": "alcohol", "propina": "tip", "pourboire": "tip",
    "trinkgeld": "tip", "mancia": "tip", "gorjeta": "tip", "clientes": "customers", "kunden": "customers",
    "clienti": "customers", "prioridad": "priority", "priorite": "priority", "prioritat": "priority",
    "priorita": "priority", "prioridade": "priority", "horario": "hours", "horaires": "hours",
    "offnungszeiten": "hours", "orario": "hours", "telefono": "phone number", "telephone": "phone",
    "lampadina": "lamp", "bombilla": "lamp", "ampoule": "lamp", "manguera": "hose", "tuyau flexible": "hose",
    "schlauch": "hose", "egout": "drain",
    # English a document may say another way
    "voltage": "power supply", "amps": "current", "amperage": "current", "lifespan": "life", "lifetime": "life",
}
# Several words that ask one thing ("wie lange": how long) and colloquial English for a document's word
# ("send back": return): the English beside them lets the answer's checks read what kind of value is asked.
_PHRASES = {
    ("wie", "lange"): "how long", ("cuanto", "tiempo"): "how long", ("combien", "de", "temps"): "how long",
    ("quanto", "tempo"): "how long", ("how", "much", "time"): "how long", ("wie", "oft"): "how often",
    ("cada", "cuanto"): "how often", ("ogni", "quanto"): "how often", ("wie", "schwer"): "how heavy",
    ("wie", "laut"): "how loud", ("wie", "viel"): "how much", ("pro", "tag"): "per day", ("par", "jour"): "per day",
    ("por", "dia"): "per day", ("al", "giorno"): "per day", ("puesta", "en", "marcha"): "commissioning",
    ("mise", "en", "service"): "commissioning", ("messa", "in", "servizio"): "commissioning",
    ("duree", "de", "vie"): "life", ("vida", "util"): "life", ("vida", "utile"): "life",
    ("cuanta", "sal"): "how much salt", ("send", "back"): "return", ("sends", "back"): "return", ("sent", "back"): "return",
    ("sending", "back"): "return", ("take", "back"): "return", ("bring", "back"): "return",
    ("swap",): "replacement", ("swaps",): "replacement", ("swapping",): "replacement",
}
_LONGEST_PHRASE = max(len(p) for p in _PHRASES)
# A compound (German "Verpflegungspauschale", "Aktivkohlekartusche") is read by the glossary words it starts
# or ends with; only long words, and only glossary words of five letters or more, so no English word is split.
_COMPOUND_MIN, _PART_MIN = 10, 5
_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _english(folded: str) -> str | None:
    if folded in _WORDS:
        return _WORDS[folded]
    if len(folded) < _COMPOUND_MIN:
        return None
    parts = [k for k in _WORDS if len(k) >= _PART_MIN and folded != k and (folded.startswith(k) or folded.endswith(k))]
    return " ".join(dict.fromkeys(_WORDS[k] for k in parts)) or None


def is_glossary_word(word: str) -> bool:
    return _fold(word) in _WORDS


def with_english(query: str) -> str:
    """``query`` with the English words of each glossary word or phrase beside it ("la lámpara de repuesto" ->
    "la lámpara lamp de repuesto replacement spare"); unchanged when it has none."""
    words = list(_WORD.finditer(query))
    folded = [_fold(m.group()) for m in words]
    after: dict[int, str] = {}  # index of a word -> the English to put after it
    i = 0
    while i < len(words):
        for n in range(_LONGEST_PHRASE, 0, -1):
            phrase = tuple(folded[i:i + n])
            if len(phrase) == n and phrase in _PHRASES:
                after[i + n - 1] = _PHRASES[phrase]
                i += n
                break
        else:
            english = _english(folded[i])
            if english:
                after[i] = english
            i += 1
    out, at = [], 0
    for i, m in enumerate(words):
        if i in after:
            out += [query[at:m.end()], f" {after[i]}"]
            at = m.end()
    return "".join(out) + query[at:]

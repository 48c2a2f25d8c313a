"""Finding the instruction in a prompt, wherever it sits: first, last or in the middle.

Field staff paste text and say what they want before it ("summarise this: <notes>"),
after it ("<notes>\\n\\nrecap plz", "<notes> - sum up pls") or in the middle ("'<their
message>' <- draft a reply to that, fyi they're on Gold"). The router must read the
words that say what to do, not the pasted ones (shape.py reduces those to their shape).

The prompt is cut into *pieces* at the places a paste starts or ends: line breaks,
sentence ends, a colon before a space, a dash or arrow between spaces ("notes - sum up",
"<- draft a reply"), and quoted text is one piece of its own. Each piece gets an
*instruction score*: how much its words look like a request to an assistant rather than
pasted notes, e-mails or records, from a bundled table of word weights (naive-Bayes log
odds of a word in requests against pasted text, fitted by ``fit_lexicon`` on the router's
bundled data: the built-in plugins' examples, their translations and the out-of-scope
prompts against the pastes of payloads.txt, data/instruction_words.json), plus a few shape
priors (a greeting opens a message, a question mark ends a request, long pieces and
quoted ones are pastes, a request is more often first than last, an ask the writer marked
("^^ proofread that", ">> total? <<", "[finish this email]") is the ask, a sign-off is not). The best piece is the
instruction; the rest is the payload when it is long enough to be a paste, else the whole
prompt is the instruction (a short prompt is featurised exactly as it reads).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

LEXICON_FILE = "instruction_words.json"
LEXICON_VERSION = 1

# what the rest of the prompt needs to be a paste: shorter text around a colon is part of the
# question ("split: 1,234 across 3")
PAYLOAD_MIN_CHARS = 30
# a single line before the ask shorter than this is the question's own context, not a paste
# ("2/10 net 30 on a 7,845 invoice - how much do they pay early")
CONTEXT_MAX_CHARS = 60
_EDGE_CHARS = 300  # pieces are scored in the opening and the close; an instruction is never deep inside a paste
# (400, 300 and 250 chose the same pieces on the four dev routing sets; 300 cuts long prompts 20 % faster)

# where a paste starts or ends: a line break, a sentence end, ": " , a dash or arrow between spaces
# (the lookahead lets the engine skip every other character fast: 3-4x quicker on long pastes)
_BOUNDARY = re.compile(r"(?=[\n.!?:\-–—<=])(?:\n+|[.!?]\s+|:\s+|(?<=[ \t])(?:-{1,2}|–|—)\s+|(?<=[ \t])(?:<-+|-+>|=>|<=)\s*"
                       r"|(?:<-+|-+>)\s+)")
# quoted text (an e-mail, a message): one piece, never the instruction
_QUOTED = re.compile(r"(?<!\w)(['\"“«„])(?=\S)(.{20,}?)(?<=\S)(['\"”»])(?!\w)", re.DOTALL)
_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
# a pasted message's opening and close, in the languages routed (shape.py's "greeting" and
# "signoff" payload features read the same patterns)
GREETING = re.compile(
    r"\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|hola|buenos días|bonjour|salut|hallo|"
    r"guten tag|olá|ola|bom dia|estimad[oa]s?|cher|chère|sehr geehrte[rn]?|prezad[oa]|ciao|gentile|"
    r"buongiorno|beste|geachte)\b[ ,!]", re.IGNORECASE)
SIGNOFF = re.compile(r"\s*(regards|kind regards|best regards|best|cheers|thanks|many thanks|thank you|sincerely|"
                     r"saludos|un saludo|atentamente|cordialement|bien à vous|mit freundlichen grüßen|viele grüße|"
                     r"grüße|gruß|atenciosamente|abraços|cordiali saluti|distinti saluti|saluti|met vriendelijke groet|"
                     r"groeten)\b\s*(?:[,!.]|\n|$)", re.IGNORECASE)

# a pasted message's header lines ("From: ...", "Subject: ..."), in the languages routed
HEADERS = frozenset(["from", "to", "subject", "re", "fwd", "fw", "cc", "date", "sent", "de", "para", "asunto",
                     "objet", "à", "betreff", "von", "an", "assunto", "oggetto", "da", "onderwerp", "van", "aan"])

# an ask set off by the writer's own marks around or before it: "^^ proofread that", ">> total? <<",
# "// pls extract action items //", "[finish this email ...]", "(need the PO ... from this thread)",
# "-> pull out the address <-"; and a line quoted e-mail style ("> We still haven't ...") is a paste
# (a bracket that closes within a few characters is a time, a phone's area code or a list number:
# "[10:02] Carla", "(513) 555-0108")
_MARKED = re.compile(r"\s*(?:(\^+|>>+|//+|\*\*+)|[\[(](?![^\])]{0,12}[\])]))")
_ARROW_LINE = re.compile(r"\s*(?:-+>|=>|<-+)\s*")
_QUOTED_LINE = re.compile(r"\s*>(?!>)")

# shape priors, in the units of the word weights' mean (chosen on the dev routing sets)
FIRST_BONUS = 0.35  # people say what they want first more often than last
LAST_BONUS = 0.15
MID_PENALTY = 0.3
MARKED_BONUS = 1.0  # the writer marked this piece as the ask (see _MARKED): brackets around it
POINTED_BONUS = 2.0  # marks that point at it or at the paste ("^^", ">>", "//", "**"): a label
# before the paste ("notes from the phone: ...") reads like a request, the pointed-at ask outweighs it
SIGNOFF_PENALTY = 1.5  # "Kind regards, Lucy", "Best,\nSam": a pasted message's close
COLON_BONUS = 0.8  # "summarise this: <paste>": a first piece that ends in a colon announces a paste
BLANK_BONUS = 0.3  # "<paste>\n\nrecap plz": an ask set apart by an empty line
QUESTION_BONUS = 0.4
GREETING_PENALTY = 1.5
LONG_WORDS = 22  # a request is rarely longer; each word past it costs LONG_PENALTY
LONG_PENALTY = 0.05
SHORT_PENALTY = 0.3  # a single word ("notes", "Subject") is weak evidence either way
JOIN_WORDS = 16  # the most words an ask of two sentences has


def lexicon_path() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", LEXICON_FILE)  # no importlib.resources at start-up


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """The bundled word weights (word -> log odds of request over paste); empty when the file
    is missing or damaged (every piece then scores on its shape alone)."""
    try:
        with open(lexicon_path(), encoding="utf-8") as handle:
            data = json.load(handle)
        return {w: float(v) for w, v in data["weights"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def lexicon_record(requests: Iterable[str], pastes: Iterable[str]) -> dict:
    """What data/instruction_words.json holds (packaging/tools/build_router.py writes it)."""
    return {"_about": "word -> log odds of appearing in a request to slm rather than in pasted text "
                      "(instruction.py fit_lexicon; written by packaging/tools/build_router.py)",
            "version": LEXICON_VERSION, "weights": fit_lexicon(requests, pastes)}


def fingerprint() -> str:
    """The bundled word weights' hash: they decide which words the router reads, so they are part
    of its cache key."""
    return hashlib.sha256(json.dumps(lexicon(), sort_keys=True).encode("utf-8")).hexdigest()[:12]


def words_of(text: str) -> list[str]:
    return _WORD.findall(_DIGIT.sub("0", text.lower()))


def pieces(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, separator before, separator after) of the prompt's pieces, in order.
    Separators: "" (the prompt's start or end), "blank" (an empty line), "line", "sentence",
    "colon", "dash", "quote" (the piece is quoted text)."""
    spans: list[tuple[int, int, str, str]] = []
    at = 0
    for q in _QUOTED.finditer(text):
        spans.extend(_cut(text, at, q.start()))
        spans.append((q.start(), q.end(), "quote", "quote"))
        at = q.end()
    spans.extend(_cut(text, at, len(text)))
    # each piece's separators, from its neighbours' (a quote's neighbours see "quote")
    out = []
    for i, (a, b, before, after) in enumerate(spans):
        if i == 0:
            before = ""
        elif before == "?":
            before = spans[i - 1][3] if spans[i - 1][2] == "quote" else before
        if i == len(spans) - 1:
            after = ""
        out.append((a, b, "quote" if before == "?" else before, "quote" if after == "?" else after))
    return out


def _cut(text: str, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    out = []
    at, before = lo, "?"
    for m in _BOUNDARY.finditer(text, lo, hi):
        sep = m.group()
        end = m.start()
        if sep[0] in ".!?":
            end += 1  # the piece keeps its full stop or question mark
        if sep[0] == ":":
            kind = "colon"
        elif "\n" in sep:
            kind = "blank" if sep.count("\n") > 1 else "line"
        elif sep[0] in ".!?":
            # "Mrs. Alvarez", "tel. +34", "sig. Bianchi": a short word before the period is an abbreviation
            word = text[max(lo, end - 5):end - 1].split()[-1:] or [""]
            if len(word[0]) <= 3 and word[0].isalpha():
                continue
            kind = "sentence"
        else:
            kind = "dash"
        while end > at and text[end - 1] in " \t":
            end -= 1
        if text[at:end].strip():
            out.append((at, end, before, kind))
            before = kind
        elif out:
            before = kind
        at = m.end()
    if text[at:hi].strip():
        out.append((at, hi, before, "?"))
    elif out:
        a, b, bf, _ = out[-1]
        out[-1] = (a, b, bf, "?")
    return out


def piece_score(text: str, first: bool, last: bool, before: str, after: str,
                weights: dict[str, float], *, marked: float = 0.0, announces: bool = True) -> float:
    """How much ``text`` reads like the ask. ``marked``: the bonus for the writer's marks around it (_MARKED);
    ``announces``: a first piece ending in a colon announces a paste (not when what follows the
    colon is quoted: "customer wrote: '...'" names a quotation, the ask is elsewhere)."""
    if before == "quote" and after == "quote" and text[:1] in "'\"“«„":
        return -9.0
    words = words_of(text)
    if not words:
        return -9.0
    n = len(words)
    get = weights.get
    score = sum(get(w, 0.0) for w in words) / math.sqrt(n)
    if first:
        score += FIRST_BONUS + (COLON_BONUS if after == "colon" and announces else 0.0)
    if last:
        score += LAST_BONUS + (BLANK_BONUS if before == "blank" else 0.0)
    if text.rstrip().endswith("?"):
        score += QUESTION_BONUS
    score += marked
    if GREETING.match(text) or (n == 1 and after == "colon" and words[0] in HEADERS):
        score -= GREETING_PENALTY  # a pasted message's opening: "Hi Tom,", "From: ..."
    elif SIGNOFF.match(text):
        score -= SIGNOFF_PENALTY
    if n > LONG_WORDS:
        score -= LONG_PENALTY * (n - LONG_WORDS)
    if n == 1:
        score -= SHORT_PENALTY
    return score


def find_instruction(text: str) -> tuple[int, int] | None:
    """(start, end) of the piece that reads most like the instruction, or None when the
    prompt is one piece, or what is left beside the best piece is too short to be a paste."""
    if len(text) <= PAYLOAD_MIN_CHARS:  # no room for a paste beside a piece: most prompts, at no cost
        return None
    n = len(text)
    if n > 2 * _EDGE_CHARS:  # a long paste: only its opening and its close can hold the ask
        tail = n - _EDGE_CHARS
        spans = pieces(text[:_EDGE_CHARS])[:-1] + [(a + tail, b + tail, bf, af)
                                                   for a, b, bf, af in pieces(text[tail:])[1:]]
        if spans:
            spans[0] = spans[0][:2] + ("",) + spans[0][3:]
    else:
        spans = pieces(text)
    if len(spans) < 2:
        return None
    weights = lexicon()
    last_i = len(spans) - 1
    one_paragraph = "\n" not in text.strip()
    # quoted text: a quote piece, or a line quoted e-mail style ("> ..."); never the ask, but what
    # sits beside it may be
    quoted = [bf == "quote" and af == "quote" or (bf in ("line", "blank", "") and _QUOTED_LINE.match(text, a) is not None)
              for a, _b, bf, af in spans]
    best, best_score = 0, -math.inf
    for i, (a, b, before, after) in enumerate(spans):
        if quoted[i]:
            continue
        first, last = i == 0, i == last_i
        piece = text[a:b]
        mark = _MARKED.match(piece)
        # an arrow opening the line ("-> pull out the address <-"); one inside a line of notes says
        # what followed ("UV lamp 9,400h -> replaced")
        arrow = _ARROW_LINE.fullmatch(text, text.rfind("\n", 0, a) + 1, a) is not None
        pointed = mark is not None and mark.group(1) is not None
        marked = POINTED_BONUS if pointed else MARKED_BONUS if mark is not None or arrow else 0.0
        beside_quote = (i > 0 and quoted[i - 1]) or (i < last_i and quoted[i + 1])
        if not (first or last or marked or beside_quote or before == "quote" or after == "quote"
                or (before == "blank" and after == "blank")
                or (one_paragraph and (before in ("sentence", "dash") or after == "dash"))):
            # inside a paste of several lines ("parts used: ...", "Westside Brewing - 11/2 - Jake",
            # a sentence of a quoted e-mail) no piece is the ask: in the middle, it follows a quoted
            # message, is marked as the ask, is a paragraph of its own, or sits in a single
            # paragraph of notes, set off by a dash or a full stop
            continue
        announces = not (first and i < last_i and quoted[i + 1])
        s = piece_score(piece, first, last, before, after, weights, marked=marked, announces=announces)
        if not (first or last):
            s -= MID_PENALTY
        if (i > 0 and before in ("line", "blank") and len(words_of(piece)) <= 4
                and SIGNOFF.match(text[spans[i - 1][0]:spans[i - 1][1]])):
            s -= SIGNOFF_PENALTY  # the name on the line under a sign-off ("Best,\nSam")
        if s > best_score:
            best, best_score = i, s
    a, b = spans[best][:2]
    # an ask of two short sentences ("what are the next steps? just a list with dates"): the
    # neighbour joins when it reads like a request too
    for j, joins in ((best - 1, spans[best][2] == "sentence"), (best + 1, spans[best][3] == "sentence")):
        if joins and 0 <= j <= last_i:
            ja, jb = spans[j][:2]
            words = len(words_of(text[min(a, ja):max(b, jb)]))
            if words <= JOIN_WORDS and piece_score(text[ja:jb], False, False, "", "", weights) > 0:
                a, b = min(a, ja), max(b, jb)
    rest = text[:a] + text[b:]
    # context before a question ("dinner came to $1,384 for 5 - how much each") is part of it
    least = PAYLOAD_MIN_CHARS if best == 0 else CONTEXT_MAX_CHARS
    if len(rest.strip()) < least and rest.count("\n") < 2:
        return None
    return a, b


def fit_lexicon(requests: Iterable[str], pastes: Iterable[str], min_count: int = 2,
                clip: float = 3.0) -> dict[str, float]:
    """Word weights: smoothed log odds of a word appearing in a request against a piece of
    pasted text (each counted once per text); words seen fewer than ``min_count`` times, or
    whose weight is small, are left out (weight 0 at run time)."""
    req: Counter = Counter()
    paste: Counter = Counter()
    n_req = n_paste = 0
    for text in requests:
        req.update(set(words_of(text)))
        n_req += 1
    for text in pastes:
        for a, b, before, _after in pieces(text):
            if before != "quote":
                paste.update(set(words_of(text[a:b])))
                n_paste += 1
    out = {}
    for word in set(req) | set(paste):
        r, p = req[word], paste[word]
        if r + p < min_count:
            continue
        w = math.log((r + 0.5) / (n_req + 1)) - math.log((p + 0.5) / (n_paste + 1))
        w = max(-clip, min(clip, w))
        if abs(w) >= 0.25:
            out[word] = round(w, 3)
    return dict(sorted(out.items()))

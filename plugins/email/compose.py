"""The deterministic e-mail: greeting, body and sign-off built from the user's own words.

A draft or reply body is the user's instruction turned into sentences ("tell her we can
ship the 150 now, and offer the TR-5150 at $34" -> "We can ship the 150 now. We can offer
the TR-5150 at $34."); a rewrite or tone change starts from the quoted message itself,
with the tone's greeting, sign-off and wording. Every fact in it is the user's or the
quoted message's, so it is what the plugin sends when the model's version is not
faithful, and what the model is asked to polish.
"""
from __future__ import annotations

import re

_LEAD = re.compile(
    r"^\W*(?:(?:hey|hi|ok|okay|so|pls|please|can you|could you|would you|quickly|quick|help me)\W+)*"
    r"(?:draft|write|send|compose|prepare|do|reply|respond|answer|contesta\w*|responde\w*)\b(?:\s+(?:back|to this|to that))?"
    r"(?:\s+(?:a|an|the|my|este|el|ce)\b)?(?:\s+(?:quick|short|brief|nice|polite|follow[- ]up|intro(?:duction)?|thank[- ]you|new)\b)*"
    r"(?:\s+(?:e-?mail|note|message|reply|response|correo|mail)\b)?"
    r"(?:\s+(?:en español|in spanish|in english|en français|in french))?", re.IGNORECASE)
_TO = re.compile(r"^\s*(?:back\s+)?to\s+(?:my\s+(?:customer|client|contact|rep|buyer)\s+)?"
                 r"(?P<name>(?:dr\.?\s+|mr\.?\s+|mrs\.?\s+|ms\.?\s+)?[A-Za-z][\w'’-]*(?:\s+(?!at\b|from\b|about\b|re\b|saying\b|"
                 r"thanking\b|telling\b|to\b|and\b|that\b|letting\b|asking\b|regarding\b|with\b)[A-Za-z][\w'’-]*)?)"
                 r"(?:\s*,?\s*(?P<title>[a-z][\w ]{1,30}?)\s+at\s+|\s+(?:at|from)\s+)?", re.IGNORECASE)
_LINK = re.compile(r"^\s*(?:[,:;\-–—]+\s*|(?:saying|to say|that says|telling (?:him|her|them)|letting (?:him|her|them) know"
                   r"|about|regarding|re:?|that|and)\s+)+", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<=[.;!?])\s+|\s*;\s*|(?:,\s*|\s+and\s+)(?:and\s+)?(?=(?:tell|ask|offer|remind|let|mention|say|"
                     r"thank|sorry|apologi[sz]e|confirm|explain|note|attach|include|dile|pregúntale|dites|"
                     r"can (?:she|he|they)|be nice|keep it)\b)", re.IGNORECASE)
# Instructions about the e-mail, not content for it. A negative imperative ("don't promise a
# credit yet, I need to check with my boss") is always the user talking to the writer: its
# whole clause stays out of the message, it is never turned into a sentence to the customer.
_META = re.compile(r"^(?:be (?:nice|polite|friendly|firm|brief)|keep it|make it|don'?t|do not|never|avoid|"
                   r"no need to|sound|use a)\b", re.IGNORECASE)
_RULES = [  # (pattern at the start of a clause, replacement): the user's instruction -> a sentence to the customer
    (r"^(?:tell|let) (?:her|him|them) know (?:that )?", ""),
    (r"^(?:tell|inform) (?:her|him|them) (?:that )?", ""),
    (r"^(?:say|mention|explain|note) (?:that )?", ""),
    (r"^(?:dile|dígale|dites-lui|dis-lui) que ", ""),
    (r"^confirm (?:that )?", "I can confirm that "),
    (r"^ask (?:her|him|them) (?:if|whether) ", "Could you let me know if "),
    (r"^ask (?:her|him|them) (?:when|what|which|how|who|where) ", lambda m: "Could you let me know " + m.group()[len(m.group().split()[0]) + len(m.group().split()[1]) + 2:]),
    (r"^ask (?:her|him|them) (?:to )?", "Could you "),
    (r"^ask if ", "Could you let me know if "),
    (r"^(?:and )?can (?:she|he|they) ", "Could you "),
    (r"^remind (?:her|him|them) (?:that )?", "Just a reminder that "),
    (r"^offer (?:her|him|them )?", "We can offer "),
    (r"^attach(?:ing)? ", "I have attached "),
    (r"^thank(?:ing|s)? (?:her|him|them) for ", "Thank you for "),
    (r"^thanks for ", "Thank you for "),
    (r"^(?:say )?sorry (?:for|about) ", "Sorry for "),
    (r"^apologi[sz]e (?:for|about) ", "I apologise for "),
    (r"^(?:yes|yep|yeah)\b[,\s-]*", "Yes, "),
]
_PRONOUNS = [(r"\bher own\b", "your own"), (r"\b(?:she|he) (?:is|was|has|will|can|wants|needs|should)\b",
              lambda m: "you " + {"is": "are", "was": "were", "has": "have", "wants": "want", "needs": "need"}
              .get(m.group().split()[1], m.group().split()[1])),
             (r"\b(?:his|her|their) (?=[a-z])", "your "), (r"\b(?:him|her|them)\b", "you")]
_SHORTHAND = [(r"\bpls\b|\bplz\b", "please"), (r"\bthx\b|\bthnx\b", "thanks"), (r"\bmgr\b", "manager"),
              (r"\bthru\b", "through"), (r"\bw/o\b", "without"), (r"\bw/(?=\s)", "with"), (r"\bi\b", "I"),
              (r"\bim\b", "I'm"), (r"\bill\b(?= \w)", "I'll"), (r"\bive\b", "I've"), (r"\bdont\b", "don't"),
              (r"\bcant\b", "can't"), (r"\bwont\b", "won't"), (r"\bits\b(?= (?:a|the|going|been|not|ok|fine|ready))", "it's"),
              (r"\bu\b", "you"), (r"\bur\b", "your"), (r"\bb/c\b|\bbc\b", "because"), (r"\basap\b", "as soon as possible"),
              (r"\blmk\b", "let me know"), (r"\bhes\b", "he's"), (r"\bshes\b", "she's"), (r"\byrs\b", "years"),
              (r"\bpkg\b", "package"), (r"\bwks\b", "weeks"), (r"\bmo\b(?=[ .,])", "month")]
_CONTRACTIONS = [(r"\bcan't\b", "cannot"), (r"\bwon't\b", "will not"), (r"\bdon't\b", "do not"), (r"\bit's\b", "it is"),
                 (r"\bI'm\b", "I am"), (r"\bI'll\b", "I will"), (r"\bwe'll\b", "we will"), (r"\bwe're\b", "we are"),
                 (r"\bthat's\b", "that is"), (r"\bdidn't\b", "did not"), (r"\bisn't\b", "is not"),
                 (r"\bwasn't\b", "was not"), (r"\bhaven't\b", "have not"), (r"\blet's\b", "let us")]
_HEATED = [(r"!{2,}", "."), (r"\?{2,}", "?"), (r"\b(?:ridiculous|unacceptable|absurd|insane|pathetic)\b", "not what we expected"),
           (r"\bagain\b(?=[.!])", "once more"), (r"\bseriously\b,?\s*", ""), (r"\bfrankly\b,?\s*", ""),
           (r"\b(?:you|u) (?:always|never)\b", "we sometimes"), (r"\bmessed up\b", "had a problem with"),
           (r"\bscrewed up\b", "had a problem with"), (r"\bwhat were you thinking\b\??", "")]
_FILLER = [r"\bI just wanted to (?:reach out and |quickly )?", r"\bAs you know,?\s*", r"\bI know (?:that )?(?=we|you|the)",
           r"\bI also wanted to mention that\s*", r"\bbasically,?\s*", r"\bjust\s+(?=to |wanted)", r"\breally\s+",
           r"\bI wanted to let you know that\s*", r"\bplease do not hesitate to\s*", r"\bat the end of the day,?\s*"]
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon)|buenas tardes|buenos días|hola|bonjour)\b"
                       r"[^\n]{0,40}?,?\s*$|^\s*[A-Z][a-z]+,\s*$", re.IGNORECASE)
_SIGNOFF = re.compile(r"^\s*(?:thanks|thank you|many thanks|best|best regards|regards|kind regards|cheers|sincerely|"
                      r"talk soon|saludos|gracias|cordialement|merci)\b[^\n]{0,20}$", re.IGNORECASE)
_SPANISH = re.compile(r"\b(?:el|la|los|las|que|por|para|gracias|con|una|del|usted|podemos|semana)\b", re.IGNORECASE)
_FRENCH = re.compile(r"\b(?:le|la|les|des|que|pour|merci|avec|une|vous|nous|semaine|est)\b", re.IGNORECASE)

WORDS = {  # greeting, sign-off, thanks-for-your-message, by language
    "en": ("Hi {name},", "Best regards,", "Thank you for your message."),
    "es": ("Hola {name},", "Saludos,", "Gracias por su mensaje."),
    "fr": ("Bonjour {name},", "Cordialement,", "Merci pour votre message."),
}
TONE_GREETING = {"formal": "Dear {name},", "friendly": "Hi {name},", "casual": "Hey {name},",
                 "enthusiastic": "Hi {name},"}
TONE_OPENING = {"friendly": "I hope you're doing well!", "formal": "I hope this message finds you well.",
                "empathetic": "I understand how frustrating this has been.", "calm": "Thanks for bearing with me on this.",
                "enthusiastic": "Great to be in touch!"}
TONE_SIGNOFF = {"formal": "Kind regards,", "friendly": "Thanks so much,", "casual": "Cheers,", "apologetic": "With apologies,",
                "empathetic": "Best wishes,", "calm": "Thanks,", "enthusiastic": "Thanks so much,"}


def language(text: str) -> str:
    en = len(re.findall(r"\b(?:the|and|you|we|is|for|to|of|that|with)\b", text, re.IGNORECASE))
    es, fr = len(_SPANISH.findall(text)), len(_FRENCH.findall(text))
    if es > max(en, fr, 3):
        return "es"
    if fr > max(en, es, 3):
        return "fr"
    return "en"


def _apply(text: str, rules) -> str:
    for pattern, repl in rules:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def _sentence(clause: str) -> str:
    clause = " ".join(clause.split()).strip(" ,;-–—")
    if not clause:
        return ""
    clause = clause[0].upper() + clause[1:]
    return clause if clause.endswith((".", "!", "?")) else clause + "."


def recipient(instruction: str) -> str | None:
    """The name after "to" in "draft an email to maria at northwind ...", capitalised as a name."""
    rest = _LEAD.sub("", instruction, count=1)
    m = _TO.match(rest)
    if not m:
        return None
    name = re.sub(r"^(?:dr|mr|mrs|ms)\.?\s+", lambda t: t.group().strip().rstrip(".").capitalize() + ". ",
                  m.group("name"), flags=re.IGNORECASE)
    parts = name.split()
    if parts and parts[-1].lower() in ("at", "and", "about"):
        parts = parts[:-1]
    parts = [p if p[:1].isupper() else p.capitalize() for p in parts]
    if len(parts) > 1 and not parts[0].endswith("."):
        parts = parts[:1]  # "Hi Priya," not "Hi Priya Shah,"; "Dr. Kim" keeps the title
    return " ".join(parts) or None


def points(instruction: str) -> list[str]:
    """The instruction's content, clause by clause, as sentences to the customer."""
    rest = _LEAD.sub("", instruction, count=1)
    m = _TO.match(rest)
    if m and m.group("name"):
        rest = rest[m.end():]
        rest = re.sub(r"^[\w .&'’-]{0,60}?(?=,|\s+(?:saying|telling|letting|thanking|about|regarding|that|to say)\b)",
                      "", rest, count=1) if re.search(r",|\b(?:saying|telling|letting|thanking|about|regarding|that|to say)\b",
                                                       rest[:80]) else rest
    rest = _LINK.sub("", rest)
    rest = re.sub(r"\b(?:keep it (?:short|brief)|short pls|keep it friendly)\b[^.]*", "", rest, flags=re.IGNORECASE)
    out: list[str] = []
    for clause in _CLAUSE.split(rest):
        clause = _LINK.sub("", clause.strip())
        if len(clause.split()) < 2 or _META.match(clause):
            continue
        for pattern, repl in _RULES:
            new = re.sub(pattern, repl, clause, count=1, flags=re.IGNORECASE)
            if new != clause:
                clause = new
                break
        clause = _apply(_apply(clause, _SHORTHAND), _PRONOUNS)
        sentence = _sentence(clause)
        if sentence.startswith("Could you") and sentence.endswith("."):
            sentence = sentence[:-1] + "?"
        if sentence:
            out.append(sentence)
    return out


def parse_message(message: str) -> tuple[str | None, list[str], str | None]:
    """(greeting name, body paragraphs, signature block) of a quoted e-mail."""
    lines = [ln.rstrip() for ln in message.strip().splitlines()]
    name = None
    if lines and _GREETING.match(lines[0]):
        m = re.search(r"([A-Z][\w'’-]+)\s*[,!]?\s*$", lines[0])
        word = m.group(1) if m else None
        name = word if word and word.lower() not in ("hi", "hello", "hey", "dear", "tardes", "días", "hola", "bonjour") else None
        lines = lines[1:]
    signature = None
    for i in range(len(lines) - 1, -1, -1):
        if _SIGNOFF.match(lines[i]):
            signature = "\n".join(lines[i + 1:]).strip() or None
            lines = lines[:i]
            break
    else:  # no sign-off: a short trailing block of 1-4 short lines is the signature
        blocks = re.split(r"\n\s*\n", "\n".join(lines).strip())
        tail = blocks[-1].splitlines() if len(blocks) > 1 else []
        if tail and len(tail) <= 4 and all(len(t) < 60 for t in tail):
            signature = "\n".join(tail)
            lines = "\n\n".join(blocks[:-1]).splitlines()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", "\n".join(lines)) if p.strip()]
    return name, paragraphs, signature


def sender_first_name(signature: str | None) -> str | None:
    if not signature:
        return None
    first = signature.strip().splitlines()[0].strip()
    m = re.match(r"^(?:Dr\.?\s+)?([A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)?$", first)
    return m.group(1) if m else None


def retone(paragraph: str, tone: str, *, shorten: bool) -> str:
    """The quoted paragraph in ``tone``: formal expands contractions, calm cools heated words, shorten drops filler."""
    text = _apply(paragraph, _SHORTHAND) if tone in ("formal", "professional", "calm") else paragraph
    if tone == "formal":
        text = _apply(text, _CONTRACTIONS)
    if tone in ("calm", "friendly", "empathetic", "professional"):
        text = _apply(text, _HEATED)
        text = re.sub(r"\b([A-Z]{5,})\b", lambda m: m.group(1).lower(), text)  # SHOUTING, not acronyms
    if shorten:
        for pattern in _FILLER:
            text = re.sub(pattern, "", text)
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), " ".join(text.split()))
    return text.strip()


_TRAILING = {"the", "a", "an", "and", "or", "of", "to", "for", "with", "on", "at", "in", "by", "is", "are", "was",
             "that", "this", "your", "our", "my", "so", "but", "from", "about", "be", "will", "can", "we", "i"}


def subject_from(sentences: list[str], *, limit: int = 8) -> str:
    """A subject line from the first sentence that says something: its first ``limit`` words."""
    for sentence in sentences:
        plain = re.sub(r"\s*\([^)]*\)?", "", sentence)  # "(12 cases of ...)" is detail, not a subject
        words = re.sub(r"^(?:Hi|Hello|Dear|Thank you for your message|Yes)[ ,.]*", "", plain).split()
        if len(words) >= 3:
            words = words[:limit]
            while len(words) > 3 and words[-1].lower().strip(",") in _TRAILING:
                words.pop()
            text = " ".join(words).rstrip(".,;:!?(")
            return text[0].upper() + text[1:]
    return "Follow-up"


def assemble(greeting: str, body: list[str], signoff: str, signature: str | None = None) -> str:
    parts = [greeting, *body, signoff + (f"\n{signature}" if signature else "")]
    return "\n\n".join(p for p in parts if p)

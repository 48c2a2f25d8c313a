"""Read what the user wants from an email prompt: the mode, the tone, and the quoted message.

Plain keyword rules, no model: they run before any model is loaded and their
answer is shown to the user (``data.mode``, ``data.tone``), so they must be
predictable. Request options ``mode``/``tone`` override them.
"""
from __future__ import annotations

import re

MODES = ("draft", "reply", "rewrite", "tone")
TONES = ("professional", "formal", "friendly", "casual", "apologetic", "empathetic", "firm",
         "persuasive", "concise", "enthusiastic", "calm")

_TONE_WORDS = [  # (pattern, tone): first match in the prompt wins, so specific before general
    (r"less (?:formal|stiff|corporate|stuffy)|moins (?:formel|guindé|rigide)|menos (?:formal|rígido|serio)"
     r"|weniger (?:förmlich|steif|formell)|meno formale", "casual"),
    (r"less (?:casual|informal|chatty|sloppy)", "formal"),
    (r"less (?:pushy|aggressive|harsh|blunt|rude|cold|salesy|demanding)|tone (?:it |this )?down"
     r"|moins (?:sec|froid|brusque|dur)|menos (?:frío|seco|brusco|duro)|weniger (?:kalt|schroff|hart)", "friendly"),
    (r"less (?:wordy|long|rambling)", "concise"),
    ((r"calm(?:er)?|less (?:angry|heated|aggressive|hostile|emotional|snippy|snarky)|cool (?:it|this) down"
      r"|de-?escalat\w*|not (?:so )?(?:angry|mad)|calme|plus posé|moins (?:agressif|énervé|en colère|virulent)"
      r"|tranquil[oa]|calmad[oa]|menos (?:agresiv[oa]|enfadad[oa]|molest[oa])|ruhiger|sachlicher"
      r"|weniger (?:aggressiv|wütend|verärgert)|più calm[oa]|meno aggressiv[oa]"), "calm"),
    (r"more formal|formal(?:ly)?|plus formel(?:le)?|formel(?:le)?|más formal|förmlicher|formeller|più formale",
     "formal"),  # before "firm": "a law firm partner" is not a firmer tone
    (r"apolog\w*|sorry|regret\w*|make amends", "apologetic"),
    (r"empath\w*|compassion\w*|understanding|gentle|gentler|soft(?:er|en)?|kind(?:er)?|caring|sympath\w*", "empathetic"),
    (r"firm(?:er)?|assertive|stern|direct|strict|no-nonsense|stronger|forceful", "firm"),
    (r"persuasive|convincing|compelling|salesy|sell\w*|pitch", "persuasive"),
    (r"concise|shorter|short|brief(?:er)?|to the point|tight(?:er)?|trim|crisp|plus court(?:e)?|concis(?:e)?"
     r"|más cort[oa]|más breve|conciso|kürzer|knapper|più breve|più cort[oa]|raccourci\w*|acorta\w*|kürz\w*"
     r"|accorcia\w*", "concise"),
    (r"enthusiastic|excited|upbeat|energetic|cheerful|positive|exciting", "enthusiastic"),
    (r"casual|informal|relaxed|laid[- ]back|chatty", "casual"),
    (r"friendl(?:y|ier)|warm(?:er)?|personable|approachable|amical(?:e)?|chaleureux|chaleureuse|sympa|amable"
     r"|cordial|cálid[oa]|simpátic[oa]|freundlicher|netter|wärmer|herzlicher|amichevole|gentile|cordiale", "friendly"),
    (r"formal|polite|courteous|respectful|official|poli(?:e)?|courtois(?:e)?|respectueu(?:x|se)|educad[oa]"
     r"|respetuos[oa]|höflicher|höflich|respektvoller|cortese", "formal"),
    (r"professional", "professional"),
]
_TONE_RULES = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), t) for p, t in _TONE_WORDS]

_TONE_CHANGE = re.compile(
    r"\b(?:change|adjust|fix|switch|alter) (?:the|its|my|this) tone\b|\btone (?:it |this )?(?:down|up)\b"
    r"|\bmake (?:it|this|that|the (?:email|message|note|reply|text)|my (?:email|message|note|reply)) "
    r"(?:sound |a (?:bit|little|lot) |much |way |slightly )*(?:more|less|\w+er)\b"
    r"|\b(?:sound|sounds) (?:more|less)\b|\bsoften\b|\bin a (?:more |less )?\w+ tone\b|\bmore \w+ tone\b"
    # French, Spanish, German, Italian: "rends ce courriel plus formel", "hazlo más amable", "mach das freundlicher"
    r"|\b(?:rend[sre]?|rendez|rendre)[- ](?:le|la|les|ce|cet|cette|mon|ma)?\b.{0,30}\b(?:plus|moins)\b"
    r"|\b(?:ton|sur un ton) (?:plus|moins)\b|\b(?:haz(?:lo|la)?|hacer(?:lo|la)?|hágalo|ponlo|pon) .{0,30}\b(?:más|menos)\b"
    r"|\b(?:más|menos) (?:formal|amable|cordial|cálid[oa]|educad[oa]|tranquil[oa]|agresiv[oa]|frío|seco)\b"
    r"|\b(?:plus|moins) (?:formel(?:le)?|poli(?:e)?|amical(?:e)?|chaleureu(?:x|se)|calme|courtois(?:e)?|agressi(?:f|ve)|sec|froid)\b"
    r"|\b(?:mach|mache|machen|formulier\w*|schreib\w*) .{0,40}\b(?:freundlicher|förmlicher|höflicher|formeller"
    r"|ruhiger|sachlicher|netter|wärmer|weniger \w+)\b|\b(?:rendi|rendila|rendilo|fai) .{0,30}\b(?:più|meno)\b",
    re.IGNORECASE,
)
# Length and clarity are a rewrite, not a tone ("make this shorter" keeps the tone).
_SHORTEN = re.compile(r"\b(?:shorter|shorten|clearer|easier to read|more concise|too long|condense|trim (?:it|this)"
                      r"|cut (?:it|this) down|wall of text|tl;?dr|raccourci[rs]?|plus court(?:e)?|plus concis(?:e)?"
                      r"|trop long|acorta\w*|más cort[oa]|más breve|resume\w*|demasiado larg[oa]|kürz\w*|zu lang"
                      r"|accorcia\w*|più breve)\b", re.IGNORECASE)
_REWRITE = re.compile(
    r"\b(?:rewrite|re-write|rephrase|reword|polish|proofread|proof-read|clean (?:up|this up|it up)|tidy up|edit"
    r"|improve|fix (?:the |my |any )?(?:grammar|spelling|typos|wording)|shorten|tighten|make (?:it|this) (?:shorter|clearer|better)"
    r"|réécri[st]|réécrire|reformule[rz]?|corrige[rz]?|améliore[rz]?|reescrib\w*|reformula\w*|corrig\w*|mejora\w*"
    r"|überarbeite\w*|umschreiben|schreib\w* .{0,20}\bum|formulier\w* .{0,20}\bum|verbesser\w*|korrigier\w*"
    r"|riscrivi\w*|riformula\w*|correggi\w*|reescrev\w*)\b",
    re.IGNORECASE,
)
_REPLY = re.compile(
    r"\b(?:reply|replies|respond|response|responding|write back|answer (?:this|her|him|them|the|his|their)"
    r"|get back to|react to|contesta\w*|responde\w*|respóndele|réponds|répondre|répondez|antworte\w*"
    r"|beantworte\w*|rispondi\w*|responda\w*)\b",
    re.IGNORECASE,
)
_INSTRUCTION_START = re.compile(
    r"^\W*(?:(?:hey|hi|ok|okay|pls|please|can you|could you|help me)\W+)*(?:reply|respond|answer|write|draft|make|"
    r"rewrite|rephrase|reword|shorten|polish|clean|tidy|fix|edit|proofread|turn|change|tone|soften|contesta|responde|"
    r"réponds|réponde|escribe|redacta|i wrote|rends|rendez|réécris|reformule|raccourcis|corrige|écris|rédige|"
    r"peux-tu|pourrais-tu|pouvez-vous|haz|hazlo|reescribe|acorta|puedes|podrías|mejora|mach|schreib|formuliere|"
    r"kürze|antworte|verfasse|überarbeite|kannst du|könntest du|rendi|riscrivi|scrivi|rispondi|accorcia)", re.IGNORECASE)
# A tone word besides the length request ("shorter and friendlier"): then it is a tone change.
_TONE_RULES_ONLY = re.compile(r"\b(?:friendl\w+|warmer|formal|calm\w*|politer|kinder|softer|firmer|less angry|"
                              r"nicer|more (?:professional|polite|casual|friendly))\b", re.IGNORECASE)
_UPSET = re.compile(r"\b(?:complain\w*|angry|upset|frustrat\w*|furious|disappoint\w*|unhappy|escalat\w*)\b", re.IGNORECASE)


def detect_mode(prompt: str) -> str:
    instruction, _ = split_message(prompt)
    head = instruction or prompt[:300]
    if _SHORTEN.search(head) and not _TONE_RULES_ONLY.search(head):
        return "rewrite"
    if _TONE_CHANGE.search(head):
        return "tone"
    if _REWRITE.search(head):
        return "rewrite"
    if _REPLY.search(head):
        return "reply"
    return "draft"


def detect_tone(prompt: str, mode: str = "draft") -> str:
    instruction, _ = split_message(prompt)
    # a draft's whole prompt is instructions; elsewhere the quoted message's words are not the user's
    head = prompt if mode == "draft" else (instruction or prompt[:300])
    for rule, tone in _TONE_RULES:
        if rule.search(head):
            return tone
    if mode == "reply" and _UPSET.search(prompt):
        return "empathetic"  # answering a complaint: acknowledge before anything else
    return "professional"


_QUOTED = re.compile(r"[\"“](?P<q>[^\"”]{20,})[\"”]", re.DOTALL)
_COLON = re.compile(r"(?<!\d)(?<!https)(?<!http):(?!//)(?!\d)")


def split_message(prompt: str) -> tuple[str, str | None]:
    """(instruction, quoted message or None): 'reply to this: <message>', '"<message>"', '> lines'."""
    text = prompt.strip()
    quoted_lines = [ln[1:].strip() for ln in text.splitlines() if ln.lstrip().startswith(">")]
    if quoted_lines:
        rest = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith(">")).strip()
        return rest, "\n".join(quoted_lines)
    m = _COLON.search(text)
    if m and "\n" not in text[:m.start()] and m.start() <= 200 and len(text[m.end():].strip()) >= 15:
        instruction = text[:m.start()].strip()
        if not re.fullmatch(r"(?i)(?:subject|subj|objet|asunto|betreff|from|to|re|de|von|(?:dear|hi|hello|hey|bonjour|"
                            r"salut|hola|hallo|ciao|buongiorno|estimad[oa]|cher|chère|liebe[r]?)(?: [\w.-]+){0,3})",
                            instruction):
            return instruction, text[m.end():].strip()
    q = _QUOTED.search(text)
    if q:
        return (text[:q.start()] + text[q.end():]).strip(), q.group("q").strip()
    paragraphs = re.split(r"\n\s*\n", text)
    if len(paragraphs) >= 2 and len(paragraphs[-1]) <= 200 and _asks(paragraphs[-1]) and not _asks(paragraphs[0]):
        # the message first, the request after it ("<mail>\n\nrends ce courriel plus formel")
        return paragraphs[-1].strip(), "\n\n".join(paragraphs[:-1]).strip()
    parts = re.split(r"\n\s*\n", text, maxsplit=1)
    if len(parts) == 2 and (len(parts[0]) <= 200 or (len(parts[0]) <= 800 and _INSTRUCTION_START.match(parts[0]))):
        return parts[0].strip(), parts[1].strip()
    first, _, rest = text.partition("\n")
    if rest.strip() and len(first) <= 200 and len(rest.strip()) >= 15 and _INSTRUCTION_START.match(first):
        return first.strip(), rest.strip()  # the request on its own line, the message right below it
    return text, None


def _asks(paragraph: str) -> bool:
    """A short paragraph that is a request about the e-mail, not part of it."""
    p = paragraph.strip()
    return bool(_INSTRUCTION_START.match(p) or (len(p) <= 120 and (_TONE_CHANGE.search(p) or _SHORTEN.search(p)
                                                                    or _REWRITE.search(p))))


_SUBJECT = re.compile(r"^\s*(?:subject|subj)\s*:\s*(?P<s>.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def original_subject(message: str) -> str | None:
    m = _SUBJECT.search(message)
    if not m:
        return None
    return re.sub(r"(?i)^(?:re|fw|fwd)\s*:\s*", "", m.group("s")).strip() or None

"""What the notes state, found without a model: action items with owners and due dates,
amounts, dates, people, risks, and the most informative sentences.

Every value here is a span of the notes (or a sentence of them), so nothing in the
deterministic part of a recap can be invented. The model only writes the prose summary
from these facts (``slm.plugins.notes``), and its sentences are checked against the notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from slm.plugins.extract import patterns
from slm.plugins.faithful import WEEKDAYS, split_sentences, words

_ACTION_HEADER = re.compile(
    r"^\s*(?:next steps?|action items?|actions?|to[- ]?dos?|follow[- ]?ups?|todo|ai|tasks?|open items)\s*[:\-–]\s*",
    re.IGNORECASE)
_HEADER_ONLY = re.compile(
    r"^\s*(?:next steps?|action items?|actions?|to[- ]?dos?|follow[- ]?ups?|todo|tasks?|open items)\s*[:\-–]?\s*$",
    re.IGNORECASE)
_RISK_HEADER = re.compile(r"^\s*(?:risks?|concerns?|issues?|blockers?|watch[- ]outs?)\s*[:\-–]?\s*$", re.IGNORECASE)
_OTHER_HEADER = re.compile(r"^\s*[A-Z][\w /&-]{0,40}:\s*$")
_ACTION_VERBS = ("send|call|email|e-mail|follow up|follow-up|schedule|book|arrange|prepare|draft|share|confirm|check|"
                 "order|ship|deliver|update|review|ask|chase|set up|setup|organise|organize|get|find|"
                 "reply|respond|submit|sign|install|replace|fix|contact|loop in|escalate|provide|"
                 "finalise|finalize|complete|demo|ring|phone|remind|revise|raise|log|create|bring|"
                 "cancel|collect|pay|return|order|run|look into|investigate|agree")
_IMPERATIVE = re.compile(rf"^(?:please\s+)?(?:{_ACTION_VERBS})\b", re.IGNORECASE)
_MODAL = re.compile(
    rf"\b(?P<who>I|we|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*(?:'ll|\s+will|\s+to|\s+needs? to|\s+has to|\s+have to|"
    rf"\s+should|\s+must|\s+agreed to|\s+promised to|\s+offered to|\s+(?:is|am|are) going to|\s+owes?(?: us| them| me)?)"
    rf"\s+(?:also\s+|then\s+|now\s+)?(?:{_ACTION_VERBS}|look|get|come|go|talk|speak|take|make|put|try|sort|work|"
    rf"let|do|see|pass|give|hand|write|pull|push|bring)\b")
_NEED = re.compile(r"\b(?:need(?:s)? to|have to|must|follow up|action:|todo:|to do:|asked (?:me|us) to|"
                   r"wants? (?:me|us) to|remind(?:er)? to)\b", re.IGNORECASE)
_DUE = re.compile(
    r"\b(?:(?:by|before|until|due|on|next|this|end of(?: the)?|eo[dwm]|within|in)\s+)?"
    r"(?:(?:the\s+)?(?:end of (?:the )?)?(?:" + "|".join(WEEKDAYS) + r")\b(?:\s+(?:morning|afternoon|evening))?|"
    r"tomorrow|today|tonight|next week|this week|(?:the )?week of [\w/.-]+|end of (?:the )?(?:week|month|quarter|day)|eo[dwm]|asap|"
    r"(?:within|in)\s+\d+\s+(?:business\s+|working\s+)?(?:days?|weeks?|hours?))",
    re.IGNORECASE)
_RISK = re.compile(
    r"\b(?:risks?|risky|concern(?:s|ed)?|worr(?:y|ied|ies)|issues?|problems?|delay(?:s|ed)?|late|blocker|blocked|"
    r"competitor|competition|cheaper|undercut|price objection|too expensive|pushback|push back|hesitant|unsure|"
    r"not sure|doubt|budget (?:is )?(?:not approved|tight|frozen|freeze|cut|unclear|pending)|no budget|"
    r"not (?:yet )?approved|cancel\w*|churn|unhappy|frustrat\w*|complain\w*|angry|upset|threat\w*|"
    r"switch(?:ing)? to|lose|losing|lost|leak\w*|fail\w*|downtime|outage|shortage|backorder\w*|back-order\w*|"
    r"out of stock|lead time|penalt\w*|escalat\w*|dispute\w*|overdue|unpaid|warranty claim|recall|safety)\b",
    re.IGNORECASE)
TITLE_WORDS = frozenset(["manager", "director", "lead", "head", "officer", "engineer", "buyer", "owner", "president", "chief", "vice", "executive", "coordinator", "supervisor", "technician", "specialist", "analyst", "consultant", "partner", "founder", "ceo", "cfo", "coo", "cto", "vp", "assistant", "administrator", "admin", "operations", "facilities", "procurement", "purchasing", "maintenance", "sales", "service", "finance", "accounts", "senior", "junior", "principal", "regional", "plant", "site", "store", "general"])
_LABEL = re.compile(r"^[A-Z][\w'’ /&-]{0,30}:\s")
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Mx)\.?\s+")
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)?\b")


@dataclass
class ActionItem:
    task: str
    owner: str | None = None
    due: str | None = None

    def to_dict(self) -> dict:
        return {"owner": self.owner, "task": self.task, "due": self.due}


@dataclass
class NoteFacts:
    sentences: list[str]
    action_items: list[ActionItem] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


def _lines(text: str) -> list[tuple[str, str]]:
    """(section, sentence) pairs: the header a line sits under ('actions', 'risks' or '') and the sentence."""
    out: list[tuple[str, str]] = []
    section, bullets_seen = "", False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _HEADER_ONLY.match(line):
            section, bullets_seen = "actions", False
            continue
        if _RISK_HEADER.match(line):
            section, bullets_seen = "risks", False
            continue
        if _OTHER_HEADER.match(line):
            section = ""
            continue
        bullet = bool(re.match(r"^\s*(?:[-*•]|\d+[.)])\s+", raw))
        if section and not bullet and (bullets_seen or len(line) > 80):
            section = ""  # a plain line after a list ends the list
        bullets_seen = bullets_seen or bullet
        m = _ACTION_HEADER.match(line)
        if m and not _HEADER_ONLY.match(line):
            for part in re.split(r";\s*|\s+\d+[.)]\s+", line[m.end():]):
                if part.strip():
                    out.append(("actions", part.strip()))
            continue
        line = re.sub(r"^(?:[-*•]|\d+[.)])\s+", "", line)
        for sentence in split_sentences(line):
            out.append((section if bullet or section else "", sentence))
    return out


def _owner(sentence: str, people: list[str]) -> str | None:
    m = _MODAL.search(sentence)
    if m:
        who = m.group("who")
        if who.lower() in ("i", "we"):
            return who if who == "I" else "we"
        from slm.plugins.common_words import COMMON_WORDS

        first = who.split()[0]
        if first.casefold() in {p.split()[0].casefold() for p in people} or who in people \
                or (first[:1].isupper() and first.casefold() not in COMMON_WORDS | TITLE_WORDS):
            return who
    for name in people:  # "Dana to send ...": the name opens the sentence
        if sentence.startswith(name.split()[0] + " "):
            return name.split()[0] if sentence.startswith(name.split()[0] + " to ") else None
    return None


def _due(sentence: str) -> str | None:
    dates = patterns.find_dates(sentence)
    m = _DUE.search(sentence)
    if dates:
        value, start, _end = dates[0]
        prefix = re.search(r"(?:by|before|until|due|on)\s+$", sentence[:start], re.IGNORECASE)
        return (prefix.group() + value).strip() if prefix else value
    if m:
        return m.group().strip()
    return None


def _is_action(section: str, sentence: str) -> bool:
    if section == "actions":
        return True
    if section == "risks":
        return False
    return bool(_IMPERATIVE.match(sentence) or _MODAL.search(sentence) or _NEED.search(sentence))


def people_in(text: str) -> list[str]:
    """Capitalised one- or two-word runs that look like people's names (not sentence starts of common words)."""
    from slm.plugins.common_words import COMMON_WORDS
    from slm.plugins.faithful import MONTHS

    skip = set(COMMON_WORDS) | set(MONTHS) | set(WEEKDAYS) | TITLE_WORDS
    found: dict[str, None] = {}
    for m in _NAME_RUN.finditer(text):
        name = _HONORIFIC.sub("", m.group())
        parts = name.split()
        if any(p.casefold() in skip for p in parts):
            continue
        if len(parts) == 2:
            found.setdefault(name, None)
    return list(found)


def informative(sentence: str) -> float:
    """How many facts a sentence carries: numbers, dates, amounts, names, per its length."""
    tokens = words(sentence)
    if len(tokens) < 4 or (not sentence.rstrip().endswith((".", "!", "?")) and re.search(r" [–|-] ", sentence)):
        return 0.0  # fragments and title lines ("Visit report – Acme, 12 Feb") say little on their own
    score = 2.0 * len(patterns.find_amounts(sentence)) + 1.5 * len(patterns.find_dates(sentence))
    score += 1.0 * len(re.findall(r"\d+", sentence)) + 1.0 * len(re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+", sentence))
    score += 0.5 * bool(_RISK.search(sentence))
    score = score / (len(tokens) ** 0.5)
    return score * 0.4 if _LABEL.match(sentence) else score  # "Attendees: ..." lists, it does not tell


def find_facts(notes: str, *, max_items: int = 6) -> NoteFacts:
    pairs = _lines(notes)
    sentences = [s for _sec, s in pairs]
    people = people_in(notes)
    facts = NoteFacts(sentences=sentences, people=people)
    facts.dates = list(dict.fromkeys(v for v, _s, _e in patterns.find_dates(notes)))
    facts.amounts = list(dict.fromkeys(v for v, _s, _e in patterns.find_amounts(notes)))
    used: set[str] = set()
    for section, sentence in pairs:
        if len(facts.action_items) < max_items and _is_action(section, sentence) and len(words(sentence)) >= 2:
            facts.action_items.append(ActionItem(task=sentence.rstrip(". "), owner=_owner(sentence, people),
                                                 due=_due(sentence)))
            used.add(sentence)
        elif len(facts.risks) < max_items and (section == "risks" or _RISK.search(sentence)):
            facts.risks.append(sentence.rstrip(". ") if section == "risks" else sentence)
            used.add(sentence)
    ranked = sorted((s for s in sentences if s not in used), key=informative, reverse=True)
    top = {s for s in ranked[:max_items] if informative(s) > 0}
    facts.key_points = [s for s in sentences if s in top]
    return facts


def extractive_summary(facts: NoteFacts, *, sentences: int = 2) -> str:
    """The most informative sentences of the notes, in their order: a recap that cannot invent."""
    ranked = sorted(facts.sentences, key=informative, reverse=True)[:sentences]
    chosen = [s for s in facts.sentences if s in ranked]
    return " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in chosen)

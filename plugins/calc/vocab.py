"""What a word can do to the arithmetic: the vocabulary every calc reading is checked against.

A reading (a phrase rule, the loose price reader, the plain-speech reader) consumes
some of the prompt's tokens. Whatever it did not consume is checked here:

* a number or percentage left over is refused: a figure the answer did not use;
* a word that changes the math (a multiplier such as "dozen", a rate word such as
  "per"/"each"/"a month", a unit, an operator, a negation) is refused: the reading
  did not account for it, so its answer could be wrong;
* a harmless word (politeness, pronouns, question words, "total", "customer") passes;
* any other word passes only as a label right beside a number ("12 crates", "rent
  1,200"), and only when the caller allows labels there.

A refusal names the word, so the user can rephrase. A wrong answer is worse than a
refusal, so the lists err on the side of "changes the math".
"""
from __future__ import annotations

from functools import cache

from .numbers import NUMBER, CalcError, rx

# Never change a result: politeness, pronouns, verbs of asking, articles, question words.
HARMLESS = frozenset([
    "please", "pls", "plz", "kindly", "thanks", "thank", "thx", "ty", "cheers", "hey", "hi", "hello", "ok",
    "okay", "so", "um", "uh", "hmm", "just", "quick", "quickly", "real", "really", "mate", "guys", "team",
    "folks", "boss", "sir", "madam", "sorry", "again", "exactly", "actually", "basically", "simply", "roughly",
    "approx", "approximately", "about", "around", "i", "i'm", "im", "we", "we're", "you", "u", "your", "my",
    "our", "their", "his", "her", "its", "it", "it's", "its", "that", "that's", "this", "these", "those", "me",
    "us", "them", "he", "she", "they", "is", "are", "was", "were", "be", "been", "being", "am", "will", "would",
    "could", "can", "can't", "cant", "do", "does", "did", "done", "doing", "have", "has", "had", "should",
    "shall", "may", "might", "must", "what", "what's", "whats", "which", "how", "how's", "who", "whom", "whose",
    "where", "when", "why", "tell", "give", "show", "let", "let's", "lets", "calculate", "calc", "compute",
    "work", "working", "figure", "find", "get", "got", "getting", "need", "needed", "want", "wanted", "know",
    "like", "check", "confirm", "see", "say", "said", "help", "answer", "question", "quote", "quoted",
    "estimate", "estimated", "come", "comes", "came", "coming", "end", "ends", "ended", "up", "out", "the", "a",
    "an", "some", "any", "on", "in", "at", "for", "to", "of", "by", "with", "from", "as", "into", "onto", "is",
    "total", "totals", "overall", "altogether", "all", "together", "grand", "final", "amount", "amounts",
    "figure", "figures", "number", "numbers", "value", "sum", "cost", "costs", "price", "prices", "pay",
    "paying", "paid", "owe", "owed", "owes", "charge", "charged", "charges", "bill", "billed", "invoice",
    "invoices", "order", "orders", "result", "due", "spend", "spent", "spending", "bring", "brings", "make",
    "makes", "made", "customer", "customers", "client", "clients", "buyer", "buyers", "vendor", "supplier",
    "company", "office", "store", "shop", "account", "deal", "job", "project", "now", "today", "then", "there",
    "here", "also", "too", "well", "yes", "yeah", "right", "hmm", "if", "wants", "much", "many", "revenue",
    "takings", "turnover", "evenly", "equally", "even", "buy", "buys", "buying", "ordering", "ordered",
    "orders", "purchasing", "getting", "gets", "takes", "taking",
])

# Change a result when not accounted for. Values say why, for the refusal message.
_MULTIPLIERS = ("dozen dozens gross score pair pairs couple half halves halved third thirds quarter quarters fifth "
                "fifths tenth double doubled doubles twice triple tripled thrice quadruple quadrupled lakh lakhs crore "
                "crores hundred hundreds thousand thousands million millions billion billions trillion k mn bn "
                "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety single none")
_RATES = ("per each every apiece ea /ea hourly hour hours hr hrs daily day days nightly night nights weekly week weeks "
          "wk wks fortnight fortnightly biweekly bimonthly monthly month months mo mos quarterly yearly year years yr "
          "yrs annual annually annum semiannual semiannually decade minute minutes min mins second seconds")
_OPERATIONS = ("plus minus less more fewer extra additional another add adds added adding subtract subtracts subtracted "
               "deducts multiplies divides deduct "
               "deducted times multiply multiplied divide divided over split share shared among between across "
               "off discount discounted tax taxes vat gst hst pst tip tips gratuity fee fees shipping delivery "
               "handling postage freight surcharge commission deposit rebate credit refund refunded return returned "
               "after before net gross including included incl inclusive excluding excluded exclusive without "
               "except but not no minus free left remaining remain rest other difference change increase increased "
               "decrease decreased up down rise rose risen fall fell fallen drop dropped grow grew grown growth "
               "raise raised cut reduce reduced average mean avg percent percentage pct ratio rate margin markup "
               "profit loss interest compound compounded compounding round rounded rounding nearest decimal decimals "
               "place places cent cents whole squared cubed root power sqrt exponent break even first last only "
               "apply applied promo promotion coupon voucher markdown clearance penalty late "
               "previous next later earlier ago since until till instead either or unless "
               "balance outstanding owing remainder earn earns earned earning target goal quota "
               "loan loans mortgage mortgages lease leased leasing finance financed financing apr installment installments "
               # a comparison asks which, not how much: "12 at 3 vs 10 at 3.50, which is cheaper" is no total
               "vs versus cheaper cheapest dearer compare compared comparison")


@cache
def _risky() -> dict[str, str]:
    from .units import unit_words  # unit names change the math (12 inches at $3 a foot)

    risky = {w: "unit" for w in unit_words()}
    risky.update({w: "operation" for w in _OPERATIONS.split()})
    risky.update({w: "rate" for w in _RATES.split()})
    risky.update({w: "multiplier" for w in _MULTIPLIERS.split()})
    return risky


def abbreviates_risky(word: str) -> bool:
    """'perc' for percent, 'disc' for discount: a cut-off math word is not a noun."""
    return 3 <= len(word) <= 5 and any(r.startswith(word) and len(r) > len(word) + 1 for r in _risky() if len(r) >= 5)


_WHAT = {"unit": "a unit", "operation": "an operation", "rate": "a rate or period", "multiplier": "a multiplier"}


class Unaccounted(CalcError):
    """A reading left a figure or a math-changing word unexplained; another reading may still account for it."""


def why_risky(word: str) -> str | None:
    """The kind of change ``word`` could make ("unit", "operation", "rate", "multiplier"), or None."""
    return _risky().get(word)


# a product code ("sk-300", "apc-40-05/4", "hm-300vs", "uv80"): letters then a figure, one label word
PRODUCT_CODE = r"(?<![\w-])[a-z]+-?[a-z]*\d[a-z0-9]*(?:-[a-z0-9]+)*(?:/\d+)?(?![\w-])"


def is_code(word: str) -> bool:
    """A product code, not "x6" (times six), "usd500" (an amount) or a unit with a power ("m3", "km2")."""
    from .numbers import CODES
    from .units import canonical

    if rx(r"x\d+(?:\.\d+)?").fullmatch(word) or any(word.startswith(c.lower()) and word[len(c):].isdigit()
                                                      for c in CODES):
        return False
    try:
        canonical(word)
        return False
    except CalcError:
        return True


_PLAIN = (rf"(?P<num>[$€£¥₹]?\s?-?{NUMBER}\s?%?)|(?P<word>[a-z][a-z'/]*)|(?P<other>\S)")
_TOKEN = rf"(?P<code>{PRODUCT_CODE})|{_PLAIN}"


def _pieces(text: str):
    """The tokens of ``text``, a product code as one (a code-like word that is not one, "x6", in its parts)."""
    for m in rx(_TOKEN).finditer(text):
        if m["code"] and not is_code(m["code"]):
            yield from rx(_PLAIN).finditer(m["code"])
        else:
            yield m



def check_container(word: str) -> None:
    """'N <word> of <things>': raise Unaccounted unless calc knows what a <word> counts (a box, an hour:
    spoken.holds). "3 zorks of widgets at 2 each" could price a zork or a widget."""
    from .spoken import holds, singular

    if not holds(word):
        raise Unaccounted(f"I don't know what a '{singular(word)}' holds, so I can't tell what the figures are for")


# signs and letters that do arithmetic: never a label, so never skipped when a reading left them
_SIGNS = frozenset("×*+/^<>÷@")
_TIMES = frozenset(["x"])


# phrases of harmless-looking words that change a count or a distance
_PHRASES = (
    # "split 900 between 3 people and me": one more in the count, not a pronoun to skip
    (r"\b(?:and|plus|including|incl)\s+(?:me|myself|us|ourselves)\b|\+\s*(?:me|myself|us)\b", "adds to the count"),
    # "5 miles there and back": twice the distance
    (r"\bthere\s+and\s+back\b|\bround[\s-]trip\b|\breturn\s+(?:trip|journey)\b|\bboth\s+ways\b|\beach\s+way\b",
     "doubles a distance"),
)


def leftover_check(fragment: str, *, labels: bool, allow: frozenset[str] = frozenset(),
                   consumed: frozenset[str] = frozenset()) -> None:
    """Raise Unaccounted when ``fragment`` (text a reading did not consume) holds a figure or a math-changing word.

    ``labels`` (no default: each reader says which it means): unknown words pass as labels (a free
    slot of a rule sits beside a number); without it, only harmless words pass. ``allow``: kinds of change that cannot matter to
    this reading (a percentage change is the same per month or per year: "rate").
    ``consumed``: words (and signs: "+") the reading itself interpreted.
    """
    if labels:  # "zorks of widgets": a label that holds an unknown amount of something
        for m in rx(r"\b([a-z][a-z']*) of (?=[a-z])").finditer(fragment.lower()):
            if m[1] not in consumed and m[1] not in HARMLESS and not why_risky(m[1]):
                check_container(m[1])
    for pattern, why in _PHRASES:  # words that pass one by one but change the math together
        said = rx(pattern).search(fragment.lower())
        if said and not set(said.group().replace("+", " ").split()) <= consumed:
            raise Unaccounted(f"'{said.group()}' {why}, and I can't tell how here; please rephrase")
    for m in _pieces(fragment.lower()):
        if m.groupdict().get("code"):
            continue  # a label: "sk-300", not the figure 300
        if m["num"]:
            raise Unaccounted(f"I can't tell what {m['num'].strip()!r} does here, so I won't guess")
        word = m["word"]
        if word is None and m["other"] == "%":
            continue  # "% change", "in %": a percentage asked for (report.as_asked checks the answer is one)
        if word is None and m["other"] == "/" and rx(r"/[a-z]").match(m.string, m.start()):
            word = "per"  # "145/unit": per unit, checked as the rate word it is
        if word is None:  # "3 x 10%", "12 + tip": a sign the reading did not use
            if m["other"] in _SIGNS and m["other"] not in consumed:
                raise Unaccounted(f"I can't tell what {m['other']!r} does here, so I won't guess")
            continue
        word = word.strip("'/")
        if word in consumed:
            continue
        if word in _TIMES:
            raise Unaccounted(f"'{word}' multiplies, and I can't tell what here; please rephrase")
        kind = why_risky(word)
        if kind and kind not in allow:
            raise Unaccounted(f"'{word}' is {_WHAT[kind]} that would change the result, and I can't tell how here; "
                              f"please rephrase")
        if not kind and not labels and word not in HARMLESS:
            raise Unaccounted(f"I don't know what '{word}' means here")

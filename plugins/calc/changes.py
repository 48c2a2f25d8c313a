"""Before and after: percentage changes between labelled figures, a figure moved by a percentage,
the share of a budget used or left, and unit conversions with words around them.

Frames like those in frames.py: a trigger, labels that bind every figure, the vocabulary
check over every other word (labels.bind), then one formula with its working.
"""
from __future__ import annotations

import re
from decimal import Decimal

from . import business as biz
from .conversions import converted, unit_of
from .labels import Label, bind, figures, first_reading
from .normalise import rx
from .numbers import (
    AMOUNT,
    NUMBER,
    Amount,
    CalcError,
    parse_amount,
    parse_number,
    show,
    tidy,
)
from .report import DOWN_WORDS, UP_WORDS, Calculation
from .spoken import FEES
from .vocab import Unaccounted, leftover_check

_OLD = r"was|were|used\s+to\s+be|last\s+(?:year|month|week|quarter)|before|from|quote(?:d)?(?:\s+was)?|originally|" \
       r"list(?:\s+price)?|old(?:\s+price)?|previously|then"
_NEW = r"now|this\s+(?:year|month|week|quarter)|after|to|paid|today|new(?:\s+price)?|currently"
_DOWN, _UP = DOWN_WORDS, UP_WORDS  # the one list of move words (report.py applies the direction asked)


def percent_change(text: str) -> Calculation | None:
    """'was 75 now 60 what % off is that', 'last year 320 units this year 272 what % down'."""
    if not rx(r"%|\bpercent(?:age)?\b").search(text) or len(figures(text)) != 2 or \
            any(f.percent for f in figures(text)) or not rx(rf"\b(?:change|difference|{_DOWN}|{_UP})\b").search(text):
        return None
    labels = [Label("old", "amt", _OLD, r"last\s+(?:year|month|week|quarter)|before|previously|originally"),
              Label("new", "amt", _NEW, r"this\s+(?:year|month|week|quarter)|now|today")]
    words = frozenset(f"what how much is that it change difference effectively effective did they get we our "
                      f"sales units revenue price year month week quarter last this by but vs versus {_DOWN} {_UP}"
                      .replace("|", " ").replace("\\s+", " ").split())
    b = bind(text, labels, words=words, allow=frozenset({"rate"}), spare=["old", "new"])
    old, new = b.one("old"), b.one("new")
    if len(b.slots) < 2 or all(f in b.spare_filled for f in ("old", "new")):
        return None
    if old is None or new is None:
        raise Unaccounted("say which figure is before and which after, as in 'was 75 now 60'")
    return biz.percent_change(old, new)  # the direction asked is applied by report.as_asked


def percent_moved(text: str) -> Calculation | None:
    """'goes up 8% from 250', 'revenue was 2.4m grew 12%, new revenue', 'cost rose 6% from 82.50'."""
    m = rx(r"\b(?:goes|go|went|gone|is|was|will\s+go|grows?|grew|rises?|rose|falls?|fell|drops?|dropped|"
           r"increased?|decreased?|up|down)\s+(?:(?P<dir>up|down)\s+)?(?:by\s+)?(?P<p>-?[\d.]+)%").search(text)
    if not m or not rx(r"\bfrom\b|\bwas\b|\bis\b|\bof\b|\bat\b").search(text):
        return None
    verb = m.group().split()[0]
    direction = m["dir"] or verb
    up = bool(re.fullmatch(rf"(?:{_UP}|goes|go|went|gone|grows?|rises?|increased?)", direction))
    down = bool(re.fullmatch(rf"(?:{_DOWN}|falls?|drops?|decreased?)", direction))
    if up == down:
        return None
    rest = text[:m.start()] + " " + text[m.end():]
    labels = [Label("base", "amt", r"from|was|is|of|at|on|costs?|price")]
    words = frozenset([
        "from", "was", "is", "of", "at", "on", "new", "what", "whats", "will", "be", "it", "revenue", "sales",
        "price", "cost", "supplier", "rent", "after", "now",
    ])
    rest = rx(r"\b(?:next|this|last)\s+(?:year|month|quarter|week)\b").sub(" ", rest)  # when, not how often
    b = bind(rest, labels, words=words, spare=["base"])
    base = b.one("base")
    if base is None:
        raise Unaccounted("I need the figure the percentage moves")
    return biz.percent_adjust(base, Decimal(m["p"]), up)


def _two_periods(text: str) -> bool:
    return len(set(re.findall(r"\b(year|month|week|day|quarter)", text))) > 1


def budget_share(text: str) -> Calculation | None:
    """'4,200 budget, we spent 3,570, what percent is left', 'what percent of the 2.4m budget have we used'."""
    if not rx(r"%|\bpercent(?:age)?\b").search(text) or not rx(r"\b(?:budget|quota|target|goal|allowance)\b").search(text):
        return None
    labels = [Label("whole", "amt", r"budget|quota|target|goal|allowance|out\s+of|total",
                    r"budget|quota|target|goal|allowance|total"),
              Label("part", "amt", r"spent|used|sold|closed|achieved|done|hit|reached|made|booked|got|paid",
                    r"spent|used|sold|closed|so\s+far")]
    words = frozenset([
        "what", "how", "much", "is", "of", "have", "has", "we", "us", "our", "spent", "used", "left",
        "remaining", "remain", "rest", "budget", "quota", "target", "goal", "allowance", "so", "far", "sold",
        "closed", "achieved", "done", "hit", "reached", "made", "booked", "got", "paid", "that", "if",
    ])
    b = bind(text, labels, words=words)
    whole, part = b.one("whole"), b.one("part")
    if whole is None or part is None:
        raise Unaccounted("say which figure is the budget and which was used")
    if rx(r"\b(?:left|remaining|remain|rest)\b").search(text):
        if rx(r"\b(?:used|spent)\b.*\b(?:and|or)\b.*\b(?:left|remaining)\b").search(text):
            raise Unaccounted("used or left: say one")
        left = Amount(whole.value - part.value, part.currency)
        calc = biz.percent_ratio(left, whole)
        calc.steps.insert(0, f"left: {show(whole.value)} − {show(part.value)} = {show(left.value)}")
        return calc
    return biz.percent_ratio(part, whole)


_UNIT_PHRASE = r"[a-z°'\"][a-z°'\"]*(?:\s+[a-z]+)?"


def conversion(text: str) -> Calculation | None:
    """'marathon 42.195 km in miles', 'a pallet weighs 1,100 lbs whats that in kg', 'how many litres in a
    55 us gallon drum', '3 boxes weigh 18 lb, 22 lb and 27.5 lb, whats the total in kg'."""
    target = rx(rf"\b(?:in|to|into|as)\s+(?P<dst>{_UNIT_PHRASE})\s*$").search(text) or \
        rx(rf"\bhow\s+many\s+(?P<dst>{_UNIT_PHRASE}?)\s+(?:are\s+)?(?:in|is|make)\b").search(text)
    if not target:
        return None
    dst = unit_of(target["dst"])
    if dst is None:
        return None
    rest = text[:target.start()] + " " + text[target.end():]
    found = []
    for m in rx(rf"(?<![\w.,])(?P<v>-?\d[\d,]*(?:\.\d+)?|\.\d+)\s?(?P<u>{_UNIT_PHRASE})").finditer(rest):
        unit = unit_of(m["u"]) or unit_of(m["u"].split()[0])
        if unit is not None:
            found.append((m, unit))
    if not found:
        return None
    units = {u for _m, u in found}
    if len(units) != 1 or (len(found) > 1 and not rx(r"\b(?:total|altogether|combined|sum|weigh|weighs)\b").search(text)):
        raise Unaccounted("I can only convert one quantity (or a total of quantities in one unit)")
    src = units.pop()
    spans = []
    for m, unit in found:
        unit_words = m["u"] if unit_of(m["u"]) else m["u"].split()[0]
        spans.append((m.start(), m.start("u") + len(unit_words)))
    blanked = "".join(" " if any(a <= i < b for a, b in spans) else ch for i, ch in enumerate(rest))
    count = rx(r"^\D*?\b(\d+)\s+[a-z]+\s+(?:weigh|weighing|measure|measuring|of)\b").search(blanked)
    if count and len(found) > 1 and int(count[1]) == len(found):  # "3 boxes weigh 18 lb, 22 lb and 27.5 lb"
        blanked = blanked[:count.start(1)] + " " * len(count[1]) + blanked[count.end(1):]
    bind(blanked, [], words=frozenset([
        "how", "many", "what", "whats", "is", "that", "it", "total", "weigh", "weighs", "weight", "combined",
        "altogether", "a", "an", "in",
    ]))
    values = [Decimal(m["v"].replace(",", "")) for m, _u in found]
    value = sum(values, Decimal(0))
    calc = converted(value, src, dst)
    if len(values) > 1:
        calc.steps.insert(0, f"{' + '.join(show(v) for v in values)} = {show(value)} {src}")
    return calc


def percent_of(text: str) -> Calculation | None:
    """'so 12% of our 85,000 budget goes on marketing, how much is that': one percentage of one amount."""
    m = rx(r"(?P<p>-?\d[\d,]*(?:\.\d+)?)%\s+of\s+(?:(?:our|my|the|their|your|this|that|a|an)\s+)?").search(text)
    figs = figures(text)
    if not m or len(figs) != 2 or not figs[0].percent or figs[1].percent or figs[1].start != m.end():
        return None
    rest = text[:m.start()] + " " + text[m.end():figs[1].start] + " " + text[figs[1].end:]
    bind(rest, [], words=frozenset({"how", "much", "is", "that", "it", "goes", "go", "on", "spent", "what"}))
    return biz.percent_of(figs[0].amount.value, figs[1].amount)


_ASK_PART = r"\s*,?\s*(?:so\s+)?(?:how\s+much|what)(?:'s|\s+is|\s+are|\s+does\s+(?:it|that)\s+come\s+to)?\s+(?P<ask>.*)$"


def part_named(text: str) -> Calculation | None:
    """'freight is 4% of the order value of 11,300, how much is freight': the part is named, then asked for by
    that name (or "it"), so the name, whatever it is, changes nothing; the words about the whole are checked."""
    m = rx(rf"^(?P<name>[a-z][a-z ]{{0,30}}?)\s+(?:is|are|=)\s+(?P<p>{NUMBER})%\s+of\s+(?P<mid>(?:[a-z]+\s+){{0,4}}?)"
           rf"(?P<amt>{AMOUNT})(?P<after>(?:\s+[a-z]+){{0,2}}?){_ASK_PART}").match(text)
    if not m:
        return None
    name, ask = m["name"].split(), m["ask"].split()
    if ask not in (["it"], ["that"], ["it", "worth"]) and [w for w in ask if w != "the"] != \
            [w for w in name if w not in ("the", "our", "my")]:
        return None  # "tax is 8% of 200, how much is the total": another figure is asked
    # "of the $189 monthly fee": the whole's name (a fee, still monthly: so is the part)
    leftover_check(m["mid"] + " " + m["after"], allow=frozenset({"rate"}), consumed=FEES | {"order", "value"}, labels=True)
    return biz.percent_of(parse_number(m["p"]), parse_amount(m["amt"]))


def whole_from_part(text: str) -> Calculation | None:
    """'if 30 is 12% of something what's the something', '45 is 15% of what': the whole from a part."""
    m = rx(rf"^(?:if\s+)?(?P<amt>{AMOUNT})\s+is\s+(?P<p>{NUMBER})%\s+of\s+(?:what|something|a\s+number|which|x)"
           rf"(?:\s*,?\s*(?:what(?:'s|s|\s+is)\s+(?:something|it|that|number|x|whole))?)?$").match(text)
    if not m:
        return None
    part, rate = parse_amount(m["amt"]), parse_number(m["p"])
    if rate == 0:
        raise CalcError("nothing is 0% of a figure other than 0")
    exact = part.value * 100 / rate
    steps = [f"whole = part ÷ rate = {show(part.value)} ÷ {show(rate)}% = {show(exact)}"]
    shown = tidy(exact)
    return Calculation("percent_whole", f"{show(part.value)} is {show(rate)}% of {show(shown)}", shown, steps,
                       currency=part.currency, exact=exact)


def out_of_share(text: str) -> Calculation | None:
    """'if 18 out of 240 units came back faulty whats the return rate in percent': a count out of a count, as %."""
    m = rx(rf"(?<![\w.,])(?P<part>{NUMBER})\s+(?:out\s+of|of\s+the|of)\s+(?P<whole>{NUMBER})(?![\w.,%])").search(text)
    if not m or not rx(r"%|\bpercent(?:age)?\b|\brate\b").search(text) or len(figures(text)) != 2:
        return None
    rest = text[:m.start()] + " " + text[m.end():]
    rest = rx(r"\b(?:return|failure|defect|fault|reject|rejection|pass|success|hit|conversion|response|win|"
              r"error|churn)\s+rate\b").sub(" ", rest)  # the share's name
    leftover_check(rest.replace("%", " "), consumed=frozenset({"percent", "percentage", "rate", "as", "in", "a"}), labels=True)
    return biz.percent_ratio(Amount(parse_number(m["part"])), Amount(parse_number(m["whole"])))


def read(text: str) -> Calculation | None:
    return first_reading((budget_share, percent_change, percent_moved, conversion, percent_of, part_named,
                          whole_from_part, out_of_share), text)
"""Casualty figures in news English: "four civilians were killed", "killed 58 Pakistani soldiers",
"23 personnel had been killed and 29 wounded", "over 70 people killed and hundreds wounded".

A figure counts only when a number (digits or words) is tied to people (a noun from
``geodata/casualty_nouns.csv``, or none at all as in "70 killed") and to a verb of dying or injury.
So "20 outposts", "2,600-km", "196/6", "one million repatriated", "40-year-old" and "50 to 60
trucks" are no tolls. Vague quantities ("dozens", "several", "hundreds") are kept with their text
but carry no integer. Qualified figures ("at least 50", "more than 70", "50 to 60") give their
lower bound, as ACLED codes fatalities.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from text_to_num import text2num

from ._dates import find_dates
from .gazetteer import demonyms_in
from .settings import read_geodata_csv

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
).split()
_SCALES = ("hundred", "thousand")
_NUMWORD = rf"(?:{'|'.join(_UNITS + list(_SCALES))})"
_WORDNUM = rf"{_NUMWORD}(?:(?:\s+and\s+|[\s-]+){_NUMWORD})*"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
_QUAL = (
    r"(?:(?:at\s+least|more\s+than|over|nearly|almost|around|about|some|up\s+to|as\s+many\s+as|"
    r"an\s+estimated|roughly|approximately|a\s+total\s+of|another|at\s+most|fewer\s+than|less\s+than|"
    r"the\s+bodies\s+of)\s+)?"
)
_VAGUE = r"(?:dozens|scores|hundreds|thousands|several|many|numerous|a\s+number|a\s+few|multiple|countless)"
# A number not part of a unit, score, age, time or range of things: "2,600-km", "196/6",
# "40-year-old", "16:10".
_NUM = (
    rf"(?P<q>{_QUAL})(?:(?<![\d:.])(?P<n>{_DIGITS})|(?P<w>(?<![Nn]o\s)\b{_WORDNUM})|(?P<dozen>a\s+dozen|two\s+dozen|three\s+dozen)|(?P<both>\b[Bb]oth)|(?P<v>{_VAGUE}))"
    r"(?:\s+(?:to|or|-|–)\s+(?:\d+|" + _WORDNUM + r"))?"
    r"(?![\d/]|[.,]\d|[-–](?:year|km|kilomet|mile|metre|meter|member|strong|day|hour|point)|\s*(?:km|kilomet|miles?|%|per\s*cent|percent))"
)
_PRE = (
    r"(?:(?:were|was|have\s+been|had\s+been|has\s+been|had|have|has|are|is|got|reportedly|allegedly|also|later|all|"
    r"been|being|subsequently|either|now|since|believed|feared|thought|reported|confirmed|presumed)\s+){0,3}"
    # "were ambushed and killed", "were shot and wounded": a deed done to them before the toll's verb
    r"(?:(?!(?:kill|wound|injur|martyr|hurt))(?:shot|[a-z]{3,}ed)\s+and\s+)?"
)
#: The words that state a count's deaths or injuries ("were killed", "paid the supreme price"); the
#: events' screen for toll sentences is built on them.
TOLL_VERBS = (
    r"(?:killed|shot\s+dead|fatally\s+(?:wounded|injured|shot|hurt)|"
    r"succumbed(?:\s+to\s+(?:their|his|her|the)\s+(?:injuries|wounds))?|gunned\s+down|dead|died|dies|die|deaths?|slain|martyred|embraced\s+(?:martyrdom|shahadat)|"
    r"lost\s+(?:their|his|her)\s+lives?|laid\s+down\s+(?:their|his|her)\s+lives?|"
    # military press releases: "12 terrorists were neutralised", "one soldier paid the supreme price"
    r"neutrali[sz]ed|liquidated|eliminated|sent\s+to\s+hell|paid\s+the\s+(?:supreme|ultimate)\s+(?:price|sacrifice)|"
    r"(?:fallen|fell)\s+on\s+the\s+field\s+of\s+honou?r|"
    r"wounded|injured|hurt|injuries|(?:sustained|suffered|received)\s+(?:\w+\s+){0,2}?(?:injuries|wounds?))"
)
_DEAD = rf"(?P<verb>{TOLL_VERBS})"


#: The words that introduce one person of a list ("a woman and a man", "the driver and a medic",
#: "a woman and her daughter").
_ONE = r"(?:an?|one|the|his|her)"  # "a man and his teenage son"
_ONE_RE = re.compile(rf"\b{_ONE}\s+", re.IGNORECASE)
#: Nouns of people that are plural without a final "s".
_PLURALS = frozenset({"children", "people", "police", "personnel", "taliban", "army", "family", "troops"})


#: Words that end a run of modifiers before a noun of people.
_NOT_MODIFIER = r"(?:that|which|who|and|or|were|was|had|have|has|in|on|at|by|of|the|to|from)"


def _adjectives(most: int, comma: bool = False) -> str:
    """Up to ``most`` modifiers before a noun of people ("Pakistani", "innocent,", "70-year-old"),
    lazily."""
    sep = r",?\s+" if comma else r"\s+"
    return rf"(?:(?:(?!{_NOT_MODIFIER}\b)[^\W\d_][\w’'-]*|\d{{1,3}}-year-old){sep}){{0,{most}}}?"


@lru_cache(maxsize=1)
def _nouns() -> str:
    """Nouns of people (``casualty_nouns.csv``) and the plural words for a people
    (``demonyms.csv``: "13 Afghans were killed")."""
    words = []
    for row in read_geodata_csv("casualty_nouns.csv"):
        word = (row.get("word") or "").strip()
        if word:
            words.append(re.escape(word))
    for row in read_geodata_csv("demonyms.csv"):
        for word in (row.get("demonyms") or "").split("|"):
            word = word.strip()
            if len(word) > 3 and word.endswith("s") and word[0].isupper():
                words.append(re.escape(word))
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _singular_nouns() -> str:
    """The nouns of ``casualty_nouns.csv`` that name one person ("soldier", "youth")."""
    words = [(row.get("word") or "").strip() for row in read_geodata_csv("casualty_nouns.csv")]
    one = [
        re.escape(w)
        for w in words
        if w and not w.endswith(("s", "men")) and w.lower() not in _PLURALS  # "gunmen", "police"
    ]
    return "(?:" + "|".join(sorted(one, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    noun = _nouns()
    adj = _adjectives(3, comma=True)
    # "four civilians were killed", "23 personnel had been killed", "over 70 people killed"
    family = r"(?:\s+of\s+(?:a|the|one|their|his|her)\s+(?:family|household))?"
    # "one member of the border forces was killed": whose people, in up to four words
    whose = (
        r"(?:\s+of\s+(?:a|an|the|their|his|her|its)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+"
        r"(?=,?\s+(?:were|was|had|have|has|are|is)\b))?"
    )
    # ", including four children,", ", among them two women,": who the figure counts, told aside
    aside = r"(?:,\s+(?:including|among\s+them|most\s+of\s+them|mostly)\b[^,.;:]{1,80},)?"
    # "two gunmen who infiltrated from Lebanon were killed": who they were, told in a clause of
    # their own before a passive toll's verb (not "two men who attacked the post killed ...")
    rel = (
        r",?\s+who\s+(?:(?!kill|wound|injur|dead|die|martyr)[^,.;:]){1,80}?,?\s+"
        r"(?:were|was|had\s+been|have\s+been|has\s+been)\s+(?:also\s+)?"
    )
    a = re.compile(
        rf"\b{_NUM}(?:\s+of)?\s+(?:(?:the|their)\s+)?{adj}(?P<noun>{noun}(?:,?\s+(?:and\s+|or\s+)?{noun})*)\b{family}{whose}{aside}(?:{rel}|,?\s+{_PRE}){_DEAD}\b",
        re.IGNORECASE,
    )
    # "70 killed", "dozens dead", "29 wounded"
    b = re.compile(rf"\b{_NUM}\s+{_PRE}{_DEAD}\b", re.IGNORECASE)
    # "killed 58 Pakistani soldiers", "wounded 447 others", "leaving 12 people dead"
    # "killed four Armenian and three Azerbaijani soldiers": a group told by its people's word
    # alone, its noun the next group's (summed in :func:`find_figures`)
    elided = rf"(?:(?P<elided_n>{_DIGITS}|{_NUMWORD})\s+(?P<elided>(?-i:[A-Z])[\w’'-]+)\s+and\s+)?"
    c = re.compile(
        rf"\b(?P<verb>kill(?:ed|ing|s)?|martyr(?:ed|ing|s)|wound(?:ed|ing|s)?|injur(?:ed|ing|es)?|left|leaving|claimed\s+the\s+lives\s+of)\s+{elided}{_NUM}\s+(?:of\s+(?:their|its|his|her|the)\s+)?{adj}(?P<noun>{noun})\b(?:\s+(?P<state>dead|wounded|injured))?",
        re.IGNORECASE,
    )
    # "the death toll rose to 19", "a toll of 12 dead"
    d = re.compile(
        rf"\b(?P<verb>death\s+toll|toll|fatalities|casualties)\s+(?:[\w’'-]+\s+){{0,20}}?(?:to|at|of|reached|stood\s+at|stands\s+at)\s+{_NUM}",
        re.IGNORECASE,
    )
    # "and wounded hundreds", "killing 12 and injuring 30 more"
    e = re.compile(
        rf"\b(?P<verb>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s+{_NUM}(?:\s+(?:others|more))?"
        r"(?=\s*(?:[,.;:)]|$|and\b|in\b|during\b|on\b|at\b|while\b|with\b|when\b|as\b|after\b|before\b|across\b|along\b))",
        re.IGNORECASE,
    )
    # "no one was killed", "nobody was hurt", "no casualties were reported": a toll of zero
    f = re.compile(
        rf"\b(?P<zero>no\s+one|nobody|none|no\s+(?:{noun}|lives))\s+(?:of\s+(?:the|them)\s+)?"
        rf"(?:(?:in|at|inside)\s+(?:the\s+)?[^\W\d_]+\s+)?{_PRE}{_DEAD}\b"
        r"|\b(?P<zero2>no|(?:neither|no)\s+(?:side|country|party|army|of\s+the\s+(?:sides|two))\s+(?:is|was|has|have|had)\s+(?:been\s+)?report(?:ing|ed)(?:\s+any)?|"
        r"(?:did|do|does|has|have|had)\s+not\s+report(?:ed)?\s+any|without(?:\s+(?:causing|any|reported))*)\s+"
        r"(?P<verb2>casualties|deaths|fatalities|injuries|loss\s+of\s+(?:life|lives))\b",
        re.IGNORECASE,
    )
    # "a child was killed", "an officer was martyred", "a labourer, Abdul Bari, was killed": one
    named = r"(?:,\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3},)?"
    g = re.compile(
        rf"\b(?P<single>[Aa]n?|[Oo]ne)\s+{adj}(?P<noun>{noun}){named}\s+"
        # (no auxiliary before "embraced martyrdom": "a Frontier Corps sepoy embraced martyrdom")
        rf"(?:(?:was|has\s+been|had\s+been|got)\s+(?:also\s+|reportedly\s+)?|(?=(?:embraced|attained)\s)){_DEAD}\b"
    )
    # "two soldiers and a civilian were killed": the one person who closes a list of groups (the
    # groups before are added by :func:`_add_groups_before`)
    gl = re.compile(
        rf"(?P<listed>\band\s+)(?P<single>[Aa]n?|[Oo]ne)\s+{adj}(?P<noun>{noun}){named}\s+"
        rf"(?:were|have\s+been|had\s+been)\s+(?:also\s+|reportedly\s+)?{_DEAD}\b"
    )
    # "the FARDC soldier was killed": the one person a report has told of
    the = re.compile(
        rf"\b(?P<single>[Tt]he)\s+{adj}(?P<noun>{_singular_nouns()}){named}\s+"
        rf"(?:was|has\s+been|had\s+been|got)\s+(?:also\s+|reportedly\s+)?{_DEAD}\b"
    )
    # "BSF Sub-Inspector Mohammad Imteyaz was killed", "Sepoy Muhammad Tahir, 24, was martyred":
    # one person named after the word of their rank or trade
    titled = re.compile(
        rf"\b(?P<single>(?i:{_singular_nouns()}))\s+(?:[A-Z][\w.’'-]*\s+){{0,3}}[A-Z][\w.’'-]*"
        rf"(?:,\s+\d{{1,3}},)?\s+(?:was|has\s+been|had\s+been)\s+(?:also\s+|reportedly\s+)?{_DEAD}\b"
    )
    # a headline's or a ticker's "Youth killed in BSF firing", "11:15 | Sylhet: Soldier martyred":
    # one person
    hl = re.compile(
        rf"^(?P<prefix>(?:[^:|.!?]{{0,40}}[:|]\s*){{0,3}}\W*)(?P<single>{_singular_nouns()})\s+{_DEAD}\b"
        # not the killer of an object: "Soldier killed two intruders"
        r"(?!\s+(?:an?|the|his|her|their|its|one|two|three|four|five|six|seven|eight|nine|ten|several|"
        r"dozens|scores|at\s+least|more|\d)\b)",
        re.IGNORECASE,
    )
    # "killing a Kosovo police officer", "wounded an Indian soldier", "killing its driver": one
    j = re.compile(
        rf"\b(?P<verb>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s+(?:(?P<single>an?)\s+{adj}(?P<noun>{noun})"
        # "killing its driver", "wounding the shepherd": one person the report names by role
        rf"|(?P<single2>its|his|her|their|the)\s+{_adjectives(2)}(?P<noun2>{_singular_nouns()}))\b(?![’'-])",
        re.IGNORECASE,
    )
    # "a Bangladeshi woman and a Rohingya man were killed", "killing the driver and a paramedic":
    # people told of one by one (each item is checked to be one person in :func:`_list_size`)
    one = rf"{_ONE}\s+{_adjectives(3)}(?:{noun})"
    people = rf"(?P<list>{one}(?:\s*,\s*{one})*,?\s+and\s+{one})"
    m = re.compile(rf"\b{people}\s+{_PRE}{_DEAD}\b", re.IGNORECASE)
    n = re.compile(rf"\b(?P<verb>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s+{people}\b", re.IGNORECASE)
    # "taking the total to 20", "bringing the death toll to 31": a revised total
    r = re.compile(
        rf"\b(?:taking|bringing|raising|pushing|putting)\s+(?:the|its|their)\s+(?:overall\s+)?"
        rf"(?P<verb>death\s+toll|toll|total|tally|number\s+of\s+(?:the\s+)?(?:dead|deaths|fatalities))\s+to\s+{_NUM}",
        re.IGNORECASE,
    )
    # "the deaths of 12 soldiers", "the killing of three civilians"
    k = re.compile(
        rf"\b(?P<verb>deaths?|killings?)\s+of\s+{_NUM}(?:\s+{adj}(?P<noun>{noun}))?\b", re.IGNORECASE
    )
    # "killing a family of five"
    h = re.compile(
        rf"\b(?P<verb>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s+(?:an\s+entire\s+|a\s+|the\s+)family\s+of\s+{_NUM}",
        re.IGNORECASE,
    )
    return a, b, c, d, e, f, g, gl, the, titled, hl, h, k, j, m, n, r


@dataclass(slots=True)
class Figure:
    """One number tied to deaths or injuries."""

    kind: str  # killed | wounded
    value: int | None  # None when vague
    start: int
    end: int
    text: str
    #: "two more soldiers were killed", "also killed seven": added to a toll, not a total
    increment: bool = False
    #: "taking the total to 20", "the toll rose to 12": a total that replaces the report's lower ones
    revised: bool = False
    #: "nobody was hurt", "no casualties": no one killed or wounded (where no report gives a
    #: figure of the other kind)
    unharmed: bool = False


#: Words that make a figure an addition to a toll stated elsewhere.
_INCREMENT_BEFORE = re.compile(
    r"\b(?:another|also|additional|further|more)\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
_INCREMENT_AFTER = re.compile(r"^\s+(?:more|others\s+more|additional)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _group_re() -> re.Pattern[str]:
    """One more group of people after a figure: "... 11 civilians and three soldiers", "two
    soldiers and a civilian porter"."""
    noun = _nouns()
    adj = _adjectives(2)
    one = _singular_nouns()
    # "a woman and her two daughters": a group may be told as someone's own; "two soldiers and a
    # civilian porter": one person more
    own = r"(?:(?:her|his|their|its)\s+)?"
    return re.compile(
        rf"^\s*,?\s*(?:and|as\s+well\s+as|plus)\s+{own}"
        rf"(?:{_NUM}\s+{adj}(?:{noun})|(?P<single>(?:an?|one)\s+{adj}{one}))\b",
        re.IGNORECASE,
    )


_OWN_VERB_RE = re.compile(
    r"^(?:\s+of\s+(?:a|the|their|his|her|its)\s+[\w-]+)?"  # "two members of her family were injured"
    r"\s+(?:(?:were|was|had\s+been|have\s+been|are|is|also|now|had|have)\s+)*(?:wounded|injured|hurt|killed|dead|died|slain|"
    r"(?:sustained|suffered|received)\s+(?:[\w-]+\s+)?(?:injuries|wounds))\b",
    re.IGNORECASE,
)


#: A group of people with a verb of its own after it ("136,000 residents of Batken region were
#: evacuated", "2,000 families fled"): the subject of another clause, not more of the dead.
_OTHER_CLAUSE_RE = re.compile(
    r"^(?:\s+of\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+)?\s+(?:were|was|are|is|had|have|has|fled|left|crossed|"
    r"returned|arrived|remain(?:ed|s)?)\b",
    re.IGNORECASE,
)

#: A figure whose verb is told after its people ("three civilians were killed").
_ENDS_WITH_VERB_RE = re.compile(
    r"\b(?:killed|dead|died|wounded|injured|hurt|slain|martyred|injuries|deaths?)\s*$", re.IGNORECASE
)


def _add_groups(text: str, f: Figure) -> Figure:
    """A figure followed by more groups of people ("three women and three children"): their sum."""
    if f.value is None or _ENDS_WITH_VERB_RE.search(f.text):
        return f  # "100 people were killed and 100,000 more fled": the next group has its own verb
    total, end = f.value, f.end
    while m := _group_re().match(text[end:]):
        value = 1 if m["single"] else parse_number(m)
        rest = text[end + m.end() :]
        if value is None or _OWN_VERB_RE.match(rest) or _OTHER_CLAUSE_RE.match(rest):
            # "a child was killed and two others were injured": a figure of its own; "killed
            # around 100 people, and some 136,000 residents were evacuated": people of another verb
            break
        total += value
        end += m.end()
    if end == f.end:
        return f
    return Figure(f.kind, total, f.start, end, text[f.start : end].strip(), f.increment)


@lru_cache(maxsize=1)
def _group_before_re() -> re.Pattern[str]:
    """One more group of people before a figure whose verb follows it: "11 civilians and [three
    soldiers were killed]", "three members of the border force and [five civilians ...]"."""
    noun = _nouns()
    adj = _adjectives(2)
    # "three members of the Afghan border force and [five civilians were killed]"
    of = r"(?:\s+of\s+(?:the|a|an|their|its|his|her)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+)?"
    one = _singular_nouns()
    # "30 Nigerien and [two Nigerian soldiers died]": a people's word whose noun is the figure's
    elided = r"(?P<people>(?-i:[A-Z])[\w’'-]+)(?=\s+and\s)"
    return re.compile(
        rf"(?<![\w,])\s*(?:{_NUM}\s+(?:{adj}(?:{noun})|{elided})|(?P<single>\b(?:an?|one)\s+{adj}{one})){of}"
        r"\s*(?:,\s*and|,|and|as\s+well\s+as|plus)\s+"
        r"(?:(?:her|his|their|its)\s+)?$",  # "a woman and [her two children were killed]"
        re.IGNORECASE,
    )


def _add_groups_before(text: str, f: Figure, floor: int = 0) -> Figure:
    """Groups of people listed before a figure that its verb follows ("11 civilians and three
    soldiers were killed"): their sum. Nothing before ``floor`` (the figure before) is taken."""
    if f.value is None or not (
        re.match(rf"{_NUM}\s", f.text, re.IGNORECASE) or (f.value == 1 and _ONE_RE.match(f.text))
    ):
        return f
    total, start = f.value, f.start
    while m := _group_before_re().search(text[max(floor, start - 120) : start]):
        value = 1 if m["single"] else parse_number(m)
        if value is None or (m["people"] and not demonyms_in(m["people"])):
            break  # "4 Monday and ...": only a people's word stands for the figure's noun
        total += value
        start = max(floor, start - 120) + m.start()
        start += len(text[start:]) - len(text[start:].lstrip())
    if start == f.start:
        return f
    return Figure(f.kind, total, start, f.end, text[start : f.end].strip(), f.increment)


#: No single report's toll is larger: a bigger figure is a misreading (an id, a sum of money).
MAX_TOLL = 1_000_000


def parse_number(m: re.Match[str]) -> int | None:
    """The integer a number match states (lower bound of a range), None if vague or absurd."""
    if m["n"]:
        return _plain_number(m["n"])
    if m["dozen"]:
        first = m["dozen"].split()[0].lower()
        return 12 * {"a": 1, "two": 2, "three": 3}[first]
    if m["both"]:
        return 2  # "killing both men inside"
    if m["w"]:
        return _plain_number(m["w"])
    return None


def _plain_number(text: str) -> int | None:
    """The integer of a number written in digits or words ("12", "1,200", "twenty one"), None
    when it is none or above MAX_TOLL."""
    if text[0].isdigit():
        digits = text.replace(",", "")
        return int(digits) if len(digits) <= 7 and int(digits) <= MAX_TOLL else None
    try:
        value = int(text2num(re.sub(r"\s+", " ", text.lower()), "en"))
    except ValueError:
        return None
    return value if value <= MAX_TOLL else None


_INJURY_RE = re.compile(r"\b(?:wound|injur|hurt)", re.IGNORECASE)


def _kind(verb: str, state: str | None = None) -> str:
    """``wounded`` for a verb of injury ("injured", "sustained injuries"), else ``killed`` (also
    "fatally wounded", "succumbed to their injuries")."""
    if state is None and _DIED_OF_RE.match(verb):
        return "killed"
    return "wounded" if _INJURY_RE.search(state or verb) else "killed"


#: Words of injury that tell a death: "fatally wounded", "succumbed to their injuries".
_DIED_OF_RE = re.compile(r"(?:fatally|succumbed)\b", re.IGNORECASE)


#: A number restated in digits after its words: "Twelve (12) terrorists".
_RESTATED_RE = re.compile(rf"\b(?P<words>{_NUMWORD})(?P<digits>\s*\(\d{{1,7}}\))", re.IGNORECASE)


def _mask_dates(text: str) -> str:
    """The text with date phrases and numbers restated in digits blanked (same length), so
    "Oct. 12" is no figure and "Twelve (12) terrorists" is one."""

    for hit in find_dates(text):
        if hit.kind == "absolute":
            text = text[: hit.start] + " " * (hit.end - hit.start) + text[hit.end :]
            # the year of a month told without it ("in October" of "in October 2025 killed")
            if year := _YEAR_AFTER_RE.match(text, hit.end):
                text = text[: year.start()] + " " * (year.end() - year.start()) + text[year.end() :]
    text = _MONTH_YEAR_RE.sub(lambda m: " " * len(m.group(0)), text)  # "October 2025 killed"
    return _RESTATED_RE.sub(lambda m: m["words"] + " " * len(m["digits"]), text)


#: A year right after a date phrase.
_YEAR_AFTER_RE = re.compile(r"\s+(?:19|20)\d\d\b")
#: A month and its year, which no figure is ("clashes in October 2025 killed dozens").
_MONTH_YEAR_RE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?:19|20)\d\d\b"
)


#: Words of a figure that replaces a report's earlier, lower total.
_REVISED_RE = re.compile(
    r"^(?:taking|bringing|raising|pushing|putting)\b|\b(?:rises|rose|risen|climbs|climbed|increases|increased|jumps|jumped|mounts|mounted|grows|grew|revised|raised|updated)\s+(?:upwards?\s+)?to\b",
    re.IGNORECASE,
)
#: "... now says nine people were killed", "raised the death toll ... to 14": the words before a
#: revised figure.
_REVISED_BEFORE_RE = re.compile(
    r"\bnow\s+(?:says?|said|puts?|reports?|gives?)\s+(?:that\s+)?(?:the\s+)?$"
    r"|\b(?:raised|revised|updated|increased)\s+(?:the|its|their)\s+(?:overall\s+)?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _noun_only_re() -> re.Pattern[str]:
    return re.compile(rf"(?P<noun>{_nouns()})$", re.IGNORECASE)


def _list_size(words: str) -> int:
    """How many people a list told one by one counts ("a woman and a Rohingya man": 2), or 0
    when an item is a group ("the soldiers and a civilian")."""
    items = [w for w in _ONE_RE.split(words) if w.strip()]
    for item in items:
        m = _noun_only_re().search(item.strip().rstrip(",").removesuffix(" and").strip())
        if m is None:
            return 0
        noun = m["noun"].lower()
        if noun in _PLURALS or noun.endswith(("s", "men")):
            return 0
    return len(items)


def find_figures(text: str) -> list[Figure]:
    """Casualty figures in a sentence, in order (overlapping matches: the first, longest wins)."""
    found: list[Figure] = []
    # where a figure of one person closing a list starts: it counts only with counted groups
    # before it ("two soldiers and a civilian"; "the soldiers and a civilian" is no count)
    closing: set[int] = set()
    text = _mask_dates(text)
    for pattern in _patterns():
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if groups.get("single") or groups.get("single2"):
                verb = m["verb"]
                start = m.end("prefix") if groups.get("prefix") else m.start()  # a ticker's "11:15 |"
                start = m.end("listed") if groups.get("listed") else start
                found.append(Figure(_kind(verb), 1, start, m.end(), text[start : m.end()].strip()))
                if groups.get("listed"):
                    closing.add(start)
                continue
            if groups.get("zero") or groups.get("zero2"):
                verb = m["verb"] or m["verb2"]
                kind = _kind(verb)
                # "nobody was hurt", "no casualties" (not "no Cambodians were injured")
                generic = m["zero2"] or not re.match(r"no\s+(?!one\b)", m["zero"], re.IGNORECASE)
                unharmed = bool(generic) and (kind == "wounded" or verb.lower().startswith("casualt"))
                found.append(Figure(kind, 0, m.start(), m.end(), m.group(0).strip(), unharmed=unharmed))
                continue
            if groups.get("list"):
                size = _list_size(m["list"])
                if size:
                    kind = _kind(m["verb"], None)
                    found.append(Figure(kind, size, m.start(), m.end(), m.group(0).strip()))
                continue
            verb = m["verb"]
            state = m.groupdict().get("state")
            if verb.lower() in {"left", "leaving"} and not state:
                continue  # "left 20 soldiers stranded" is no toll
            if verb.lower() in {"casualties"}:
                kind = "killed"
            else:
                kind = _kind(verb, state)
            revised = (
                _REVISED_RE.search(m.group(0)) is not None
                or _REVISED_BEFORE_RE.search(text[max(0, m.start() - 40) : m.start()]) is not None
            )
            value = parse_number(m)
            if value is not None and groups.get("elided") and demonyms_in(m["elided"]):
                more = _plain_number(m["elided_n"])
                value = value + more if more is not None else value
            found.append(Figure(kind, value, m.start(), m.end(), m.group(0).strip(), revised=revised))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Figure] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        grouped = _add_groups_before(text, _add_groups(text, f), kept[-1].end if kept else 0)
        if f.start in closing and grouped.start == f.start:
            continue
        f = grouped
        if (
            _INCREMENT_BEFORE.search(text[max(0, f.start - 30) : f.start])
            or _INCREMENT_AFTER.match(text[f.end :])
            or re.search(r"\b(?:another|also|additional)\b|\bmore\b(?!\s+than)", f.text, re.IGNORECASE)
        ):
            f.increment = True
        kept.append(f)
    return kept


def find_casualties(text: str) -> list[dict[str, Any]]:
    """Casualty claims of a sentence: ``{"killed", "wounded", "text", "start", "end"}``.

    A killed figure and a wounded figure joined by "and" or a comma make one claim ("23 personnel
    had been killed and 29 wounded"). Vague figures give None with their words in ``text``.
    """
    claims: list[dict[str, Any]] = []
    for f in find_figures(text):
        joinable = (
            claims
            and claims[-1][f.kind] is None
            and not claims[-1]["_" + f.kind]
            and f.start - claims[-1]["end"] <= 12
            and re.fullmatch(r"[\s,]*(?:and|while|with)?[\s,]*", text[claims[-1]["end"] : f.start])
        )
        if joinable:
            claim = claims[-1]
            claim[f.kind] = f.value
            claim["_" + f.kind] = True
            claim["end"] = f.end
            claim["text"] = text[claim["start"] : f.end].strip()
            continue
        claim = {
            "killed": None,
            "wounded": None,
            "_killed": False,
            "_wounded": False,
            "text": f.text,
            "start": f.start,
            "end": f.end,
        }
        if f.increment:
            claim["increment"] = True
        if f.revised:
            claim["revised"] = True
        if f.unharmed:
            claim["unharmed"] = True
        claim[f.kind] = f.value
        claim["_" + f.kind] = True
        claims.append(claim)
    for claim in claims:
        claim.pop("_killed")
        claim.pop("_wounded")
    return claims


@lru_cache(maxsize=1)
def _part_re() -> re.Pattern[str]:
    """A figure and the people it counts: "11 civilians", "three Pakistani soldiers"."""
    adj = _adjectives(2)
    # ("three of its soldiers": the people a figure counts, told as whose they are)
    return re.compile(
        rf"{_NUM}\s+(?:of\s+(?:their|its|his|her)\s+)?{adj}(?P<noun>{_nouns()})\b", re.IGNORECASE
    )


def toll_parts(text: str) -> Counter[tuple[int, str]]:
    """The groups a claim's words count, as (figure, noun) ("11 civilians and three soldiers":
    (11, "civilian"), (3, "soldier")); figures with no noun of people are not counted."""
    parts: Counter[tuple[int, str]] = Counter()
    for m in _part_re().finditer(_mask_dates(text)):
        value = parse_number(m)
        if value is not None:
            parts[(value, m["noun"].lower().rstrip("s"))] += 1
    return parts


@lru_cache(maxsize=1)
def _peoples() -> frozenset[str]:
    """The words for a people, as :func:`toll_parts` keeps nouns ("afghan", "cambodian")."""
    return frozenset(
        word.strip().lower().rstrip("s")
        for row in read_geodata_csv("demonyms.csv")
        for word in (row.get("demonyms") or "").split("|")
        if word.strip()
    )


_Parts = tuple[tuple[tuple[int, str], int], ...]


@lru_cache(maxsize=65536)
def _parts_of(text: str) -> _Parts:
    """:func:`toll_parts` of a claim's words, as a sorted tuple (claims repeat across reports)."""
    return tuple(sorted(toll_parts(text).items()))


def _is_part(mine: _Parts, theirs: _Parts) -> bool:
    """A claim counting the groups ``mine`` counts some of the groups a claim counting ``theirs``
    does ("Kills 11 Civilians" beside "killed 11 civilians and three soldiers"), or one side's
    people of a larger toll of everyone ("two Cambodians had been killed" beside "killed at least
    six soldiers"): a part of that toll, not a rival figure for it."""
    if not mine or mine == theirs:
        return False
    counts = dict(theirs)
    if all(counts.get(k, 0) >= n for k, n in mine):
        return True
    # "one of its guards died" beside "one soldier and two border guards were killed": as many
    # as a group of a claim of several groups counts, or fewer (of one group alone, a smaller
    # figure is a rival one: "11 soldiers" beside "14 soldiers")
    most: dict[str, int] = {}
    for (value, noun), _c in theirs:
        most[noun] = max(most.get(noun, 0), value)
    if len(most) > 1 and all(value <= most.get(noun, 0) for (value, noun), _c in mine):
        return True
    peoples = _peoples()
    return all(noun in peoples for (_n, noun), _c in mine) and any(
        noun not in peoples for (_n, noun), _c in theirs
    )


@lru_cache(maxsize=1)
def _noun_re() -> re.Pattern[str]:
    return re.compile(rf"\b(?P<noun>{_nouns()})\b", re.IGNORECASE)


#: Nouns that say nothing of which people they count ("two others", "five people").
_ANY_PEOPLE = frozenset({"other", "people", "person", "individual"})


def _nouns_of(text: str) -> frozenset[str]:
    """The nouns of people a claim's words name, with or without a figure ("a policeman")."""
    nouns = {m["noun"].lower().rstrip("s") for m in _noun_re().finditer(text)}
    return frozenset(nouns - _ANY_PEOPLE)


def fold_increments(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims in the order a report states them, with each addition that counts other people
    than the total just before it added to that total ("killing 16 militants" then "one soldier
    also died": 17; "20 Indian soldiers were killed" then "four Chinese soldiers were also
    killed": 24). An addition of the same people ("two more soldiers") stays an addition: the
    report may be counting them again in a later total. Claims of other reports are never joined."""
    out: list[dict[str, Any]] = []
    for c in claims:
        last = out[-1] if out else None
        if (
            last is not None
            and c.get("increment")
            and not last.get("increment")
            and c.get("killed") is not None
            and last.get("killed") is not None
            and c.get("article") == last.get("article")
        ):
            mine, theirs = _nouns_of(c.get("text") or ""), _nouns_of(last.get("text") or "")
            my_people, their_people = (
                set(demonyms_in(c.get("text") or "")),
                set(demonyms_in(last.get("text") or "")),
            )
            if (mine and theirs and not mine & theirs) or (
                my_people and their_people and not my_people & their_people
            ):
                joined = dict(last)
                joined["killed"] = last["killed"] + c["killed"]
                if c.get("wounded") is not None:
                    joined["wounded"] = (last.get("wounded") or 0) + c["wounded"]
                joined["text"] = f"{last.get('text') or ''} … {c.get('text') or ''}"
                out[-1] = joined
                continue
        out.append(c)
    return out


def claim_parts(claim: Mapping[str, Any]) -> _Parts:
    """The groups a claim's words count, as a sorted tuple ((figure, noun), times)."""
    return _parts_of(claim.get("text") or "")


def parts_within(mine: _Parts, theirs: _Parts) -> bool:
    """Whether a claim counting ``theirs`` counts every group ``mine`` does (and ``mine`` some)."""
    counts = dict(theirs)
    return bool(mine) and all(counts.get(k, 0) >= n for k, n in mine)


@lru_cache(maxsize=1)
def _noun_sides() -> dict[str, str]:
    """Whose people each noun of people counts (``casualty_nouns.csv``: civilian, force, armed;
    any where the noun does not say), keyed as :func:`toll_parts` keeps nouns."""
    return {
        (row.get("word") or "").strip().lower().rstrip("s"): (row.get("side") or "any").strip()
        for row in read_geodata_csv("casualty_nouns.csv")
        if (row.get("word") or "").strip()
    }


@lru_cache(maxsize=65536)
def _sides_of(text: str) -> frozenset[str]:
    """The sides a claim counts ("16 militants": armed; "11 civilians and three soldiers":
    civilian and force); "any" when its words name no side ("70 people", "13 Afghans")."""
    sides = _noun_sides()
    named = {sides.get(noun, "any") for noun in _nouns_of(text)} - {"any"}
    return frozenset(named) or frozenset({"any"})


def _lowest_and_highest(stated: list[tuple[int, _Parts]]) -> tuple[int, int]:
    """Rival totals of one set of people (sorted): the lowest that is no part of a larger one
    (one person told of with an article, "a soldier was killed", is a part of any larger figure),
    and the highest."""
    high = stated[-1][0]
    for value, parts in stated:
        if value == 1 and not parts and high > 1:
            continue  # one person told of ("killed a soldier"): one of a larger toll of that side
        if not any(v > value and _is_part(parts, p) for v, p in stated):
            return value, high
    return stated[0][0], high


def _superseding(claims: Sequence[Mapping[str, Any]], kind: str) -> list[Mapping[str, Any]]:
    """The claims left when each report's revised total ("the toll rose to 12", "taking the total
    to 20") replaces that report's lower figures of the same people: a report that updates its
    count no longer claims the earlier one. Other reports' figures stay rivals."""
    revised = [c for c in claims if c.get("revised") and c.get(kind) is not None]
    if not revised:
        return list(claims)

    def replaced(c: Mapping[str, Any]) -> bool:
        if c.get("revised") or c.get(kind) is None:
            return False
        sides = _sides_of(c.get("text") or "")
        return any(
            r.get("article") == c.get("article")
            and r[kind] > c[kind]
            and ((theirs := _sides_of(r.get("text") or "")) == {"any"} or sides <= theirs)
            for r in revised
        )

    return [c for c in claims if not replaced(c)]


#: The sides whose separate totals of a strike are rival accounts of one set of dead: the side
#: struck counts civilians, the side striking counts militants ("killed eight civilians", "killed
#: at least 12 militants").
_STRIKE_RIVALS = frozenset({"civilian", "armed"})


def rival_sides(event_type: str) -> frozenset[str]:
    """The sides whose separate totals are rival accounts of the same dead, for events of
    ``event_type`` (:func:`toll_range`)."""
    return _STRIKE_RIVALS if event_type == "strike" else frozenset()


def toll_range(
    claims: Sequence[Mapping[str, Any]], kind: str, rivals: frozenset[str] = frozenset()
) -> tuple[int | None, int | None]:
    """(lowest, highest) credible figure of ``kind`` ("killed", "wounded") among claims, as ACLED
    codes fatalities: totals of the same people are alternatives (lowest and highest claim),
    leaving out a figure for some of the groups a larger claim counts; totals of different sides
    (civilians, a state's forces, an armed group: ``casualty_nouns.csv``) add up, unless a claim
    counts several of them or names no side, which makes them all one set of rivals, or they are
    ``rivals`` (:func:`rival_sides`: a strike's civilians and militants); additions
    ("two more killed") count only where no total is stated, summed; an event told with wounded
    and no dead killed none (ACLED codes its fatalities 0). Linear in the claims but for
    the parts left out (distinct figures and wordings are compared, lowest first, until one is no
    part of a larger one)."""
    current = _superseding(claims, kind)
    stated = sorted(
        {
            (c[kind], _parts_of(c.get("text") or ""), _sides_of(c.get("text") or ""))
            for c in current
            if c.get(kind) is not None and not c.get("increment")
        }
    )
    if stated:
        # sides joined by a claim that counts them together are one set of rivals
        groups: list[tuple[set[str], list[tuple[int, _Parts]]]] = []
        for value, parts, sides in stated:
            joined: tuple[set[str], list[tuple[int, _Parts]]] = (set(sides), [(value, parts)])
            for group in [
                g
                for g in groups
                if "any" in sides or "any" in g[0] or g[0] & sides or (sides & rivals and g[0] & rivals)
            ]:
                groups.remove(group)
                joined[0].update(group[0])
                joined[1].extend(group[1])
            groups.append(joined)
        ranges = [_lowest_and_highest(sorted(members)) for _sides, members in groups]
        return sum(low for low, _ in ranges), sum(high for _, high in ranges)
    adds = [c[kind] for c in claims if c.get(kind) is not None and c.get("increment")]
    if adds:
        return sum(adds), sum(adds)
    if any(c.get("unharmed") for c in claims):
        return 0, 0  # "nobody was hurt" and no figure of this kind: no one killed or wounded
    if kind == "killed" and any((c.get("wounded") or 0) > 0 for c in claims):
        return 0, 0  # "wounding two guards", and no death told: ACLED codes no fatality
    return None, None

"""Date phrases of news English, resolved against a publication date.

:func:`find_dates` returns every date phrase in a piece of text with what it means:

- absolute dates in the common forms: "October 9", "Oct. 19, 2025", "Oct 19, 2025", "19 October",
  "9 Oct", "on 12 October 2025", "2025-10-12", "Wednesday, October 29";
- months: "in October", "October 2025", "the October 2025 clashes" (month precision);
- relative dates resolved against the publication date: weekdays ("on Tuesday", "early
  Wednesday": the most recent such day on or before publication), "today", "yesterday", "last
  night", "two days ago", "this week", "earlier this month", "this month", "last month";
- references to another event ("hours before the talks collapsed"), left for the caller
  (:mod:`geomap.events`) to resolve against the date of that event;
- year-only phrases ("in 2021", "since 2021"), which mark history rather than date an event.

Years: a month-and-day date without a year takes the year of the publication date, or the previous
year when its month comes after the publication month. Without a publication date, relative phrases
stay unresolved (``value`` None); an absolute date without a year then takes its year from
``anchor`` (the latest full date the same story states, else the end of the latest month it
names with its year, if the caller passes one), else stays None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from text_to_num import text2num

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WD = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_RANGE = r"(?:\s*(?:-|–|—|/|and|to|or)\s*(?P<day2>(?:[12]\d|3[01]|0?[1-9]))(?:st|nd|rd|th)?)?"
_YEAR = r"(?:19|20)\d\d"

# "Wednesday, October 29, 2025", "Oct. 19, 2025", "October 9", "Oct 11-12", "November 18/2025"
_MDY_RE = re.compile(
    rf"\b(?:{_WD},?\s+)?(?P<mon>{_MON})\.?\s+(?P<day>{_DAY}){_RANGE}(?!\d|/(?!{_YEAR}\b)|:\d)"
    rf"(?:(?:,?\s+|/)(?P<year>{_YEAR})\b)?",
    re.IGNORECASE,
)
# "19 October", "9 Oct", "12 October 2025", "11-12 October", "the 9th of October"
_DMY_RE = re.compile(
    rf"\b(?:{_WD},?\s+)?(?P<day>{_DAY}){_RANGE}\s+(?:of\s+)?(?P<mon>{_MON})\b\.?(?:,?\s+(?P<year>{_YEAR})\b)?",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b")
# "18.03.2024", "18/03/2024", "03/18/2024": numbers with a four-digit year (day first unless the
# first number cannot be a day's month; slashes with both numbers under 13 say nothing for sure)
_NUMERIC_RE = re.compile(
    rf"(?<![\d./-])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[01]?\d)(?P=sep)(?P<year>{_YEAR})(?![\d./-]\d|\d)"
)
# "October 2025", "Oct 2025"
_MY_RE = re.compile(rf"\b(?P<mon>{_MON})\.?,?\s+(?P<year>{_YEAR})\b", re.IGNORECASE)
# A month name alone: capitalised, full (not May/March, which are also words) or after a preposition.
_M_RE = re.compile(
    r"\b(?:(?P<prep>[Ii]n|[Dd]uring|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id-?|[Tt]hrough(?:out)?|[Ss]ince\s+early|[Ll]ast|[Tt]his|[Oo]f|[Ee]arlier\s+in|[Ll]ater\s+in)\s+)?"
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_WEEKDAY_RE = re.compile(
    r"\b(?:(?P<last>last|past|this|previous|next|coming|this\s+coming)\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b(?P<poss>[’']s)?"
    # "Tuesday last week", "on Friday of this week": the weekday of that calendar week
    r"(?:,?\s+(?:of\s+)?(?P<week>last|this|next|the\s+previous|the\s+following)\s+week\b)?",
    re.IGNORECASE,
)
#: Weeks from the report's calendar week that a weekday's "last week", "next week" name.
_WEEK_SHIFT = {"last": -1, "the previous": -1, "this": 0, "next": 1, "the following": 1}
# A weekday the sentence tells in the future ("the ministers will meet on Saturday", "talks are due
# to resume on Monday"): the verb stands before it in its clause, and no past verb ("said", "was")
# or anchor ("after", "since") intervenes.
_FUTURE_BEFORE_RE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:due|set|expected|scheduled|slated|planned|going)\s+to"
    r"|plans?\s+to|to\s+be\s+held|(?:is|are)\s+to\s+(?:meet|resume|reopen|hold|be))\b"
    r"(?:(?!\b(?:said|told|was|were|had|after|since|following)\b)[^.;!?,])*$",
    re.IGNORECASE,
)
#: how far before a weekday its future verb may stand
FUTURE_REACH = 60
_NUMWORD = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|a\s+few|several)"
#: A time of day that stands for the report's day: the night or dawn it began with.
_DAWN = r"(?:(?:at|after|before|around|from)\s+(?:midnight|dawn|daybreak)|in\s+the\s+early\s+hours)"
#: A time of day that stands for the report's day, or the night before it ("before dawn",
#: "overnight"), when no day is named with it.
TIME_OF_DAY_RE = re.compile(rf"\b(?:{_DAWN}|overnight)\b", re.IGNORECASE)
_RELATIVE_RE = re.compile(
    r"\b(?:(?P<today>today|this\s+morning|this\s+afternoon|this\s+evening|tonight|earlier\s+today"
    # the night or dawn the report's day began with, when no other day is named with it
    rf"|{_DAWN}"
    r"(?!\s+(?:of|on|this|last|yesterday|today)\b|\s+\w+day\b))"
    r"|(?P<yesterday>yesterday|last\s+night|overnight)"
    rf"|(?P<ago>{_NUMWORD})\s+days?\s+ago"
    r"|(?P<day_before>the\s+day\s+before\s+yesterday)"
    r"|(?P<weekend>(?:over|at|during)\s+the\s+weekend|this\s+past\s+weekend|(?P<last_weekend>last|past)\s+weekend)"
    r"|(?P<this_week>(?:earlier\s+|later\s+)?this\s+week)"
    r"|(?P<last_week>last\s+week|the\s+past\s+week|the\s+previous\s+week)"
    r"|(?P<next_week>next\s+week|the\s+coming\s+week|in\s+the\s+coming\s+days)"
    r"|(?P<next_month>next\s+month|the\s+coming\s+month)"
    r"|(?P<this_month>(?:earlier|later)\s+this\s+month|this\s+month|earlier\s+in\s+the\s+month|at\s+the\s+start\s+of\s+the\s+month|(?:at\s+the\s+)?beginning\s+of\s+the\s+month)"
    r"|(?P<last_month>last\s+month|the\s+previous\s+month|the\s+past\s+month|late\s+last\s+month|early\s+last\s+month)"
    r"|(?P<this_year>this\s+year|earlier\s+this\s+year)"
    r"|(?P<last_year>last\s+year))\b",
    re.IGNORECASE,
)
_YEAR_ONLY_RE = re.compile(
    rf"\b(?:(?P<since>since|from)\s+(?:early\s+|late\s+|mid-?)?|(?:in|during|by|of)\s+(?:early\s+|late\s+|mid-?)?)(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)
# "hours before the talks collapsed", "just hours after the ceasefire", "shortly before the meeting"
_REF_RE = re.compile(
    r"\b(?:(?:just|only|mere|a\s+few|several|some|two|three|\d+)\s+)?(?:hours|minutes|moments|shortly|hours-?)\s+(?P<rel>before|after|ahead\s+of)\s+"
    # (not a time of day: "shortly before midnight")
    r"(?:the\s+)?(?!(?:midnight|noon|midday|dawn|dusk|daybreak|sunrise|sunset|nightfall|sundown)\b)"
    r"(?P<what>[\w’'-]+(?:\s+[\w’'-]+){0,3})",
    re.IGNORECASE,
)

# "the next day", "two days later", "the previous evening", "hours later": a day counted from the
# event the story told just before.
_SEQUEL_RE = re.compile(
    r"\b(?:the\s+(?P<next>next|following)\s+(?:day|morning|afternoon|evening|night)"
    r"|(?P<n>a|one|two|three|four|five|six|seven|\d)\s+(?:days?|nights?)\s+(?P<dir>later|earlier)"
    r"|the\s+(?P<prev>previous|preceding)\s+(?:day|morning|afternoon|evening|night)"
    r"|the\s+day\s+(?P<rel>after|before)(?=\s*[,.;]|\s*$)"
    r"|(?P<same>(?:hours|minutes|moments)\s+later|later\s+(?:that|the\s+same)\s+(?:day|night|evening|morning|afternoon)"
    r"|(?:on\s+)?the\s+same\s+(?:day|night|evening|morning|afternoon)"
    r"|(?<!\bof\s)(?<!\bon\s)(?<!\bfor\s)\bthat\s+(?:evening|night|morning|afternoon)(?!\s+(?:of|when|before|after)\b)))\b",
    re.IGNORECASE,
)


#: "on the 12th", "until the 3rd": a day of the month the story is telling of (the month of the
#: event it dated before, else of the report). Not "the 5th Battalion", "the 3rd round".
_DAY_OF_MONTH_RE = re.compile(
    r"\b(?:on|by|until|till|from|since)\s+the\s+(?P<dom>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
    r"(?=\s*(?:[,.;:)]|$|(?:and|when|after|before|as|but|while|following|amid|at|in|with)\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date phrase: where it is, what it says, and how it resolves.

    ``kind``: ``absolute`` (a calendar date or month), ``relative`` (resolved through the
    publication date), ``since`` (a starting bound, not an event's date), ``year`` (a year alone),
    ``ref`` (relative to another event: ``ref_what`` names it), ``sequel`` (days counted from
    the event the story told before: ``ref_rel`` is the signed count, "+1" for "the next
    day"), ``status`` (the time a count stands at: "as of 3 May"), ``history`` (a year well
    before publication). ``value`` is ``YYYY-MM-DD`` or
    ``YYYY-MM`` or None when it cannot be resolved.
    """

    start: int
    end: int
    text: str
    kind: str
    value: str | None
    precision: str | None
    ref_what: str | None = None
    ref_rel: str | None = None
    explicit_year: bool = False


def _fmt(d: date, precision: str) -> str:
    return d.isoformat() if precision == "day" else f"{d.year:04d}-{d.month:02d}"


def _month_num(name: str) -> int | None:
    return MONTHS.get(name.lower().rstrip("."))


def infer_year(
    month: int, ref: date | None, allow_next_month: bool = False, ahead_months: int = 0
) -> int | None:
    """The year of a month named without one: the reference year, or the previous year when the
    month comes after the reference month (one month later is allowed for plans; up to
    ``ahead_months`` later when the reference is only the latest date a story states, which it
    was written after)."""
    if ref is None:
        return None
    if month <= ref.month or month - ref.month <= ahead_months:
        return ref.year
    if allow_next_month and month == ref.month % 12 + 1 and month != 1:
        return ref.year
    if allow_next_month and ref.month == 12 and month == 1:
        return ref.year + 1
    return ref.year - 1


def most_recent_weekday(weekday: int, ref: date, strictly_before: bool = False) -> date:
    """The most recent day with ``weekday`` (0 = Monday) on or before ``ref``."""
    back = (ref.weekday() - weekday) % 7
    if strictly_before and back == 0:
        back = 7
    return ref - timedelta(days=back)


def _words_to_int(text: str) -> int | None:
    text = text.lower().strip()
    if text.isdigit():
        return int(text)
    if text == "a":
        return 1
    if text in {"a few", "several"}:
        return None
    try:
        return int(text2num(text, "en"))
    except ValueError:
        return None


@dataclass(slots=True)
class _DateContext:
    """What the date rules of one text read (its references) and write (the hits)."""

    text: str
    published: date | None
    day_ref: date | None  # the publication day, when it is known to the day
    year_ref: date | None  # the publication date, else the anchor: a year for month-and-day dates
    anchor: date | None
    allow_next_month: bool
    offset: int
    ahead_months: int = 0
    late_stamp: bool = True
    hits: list[DateHit] = field(default_factory=list)

    def add(self, m: re.Match[str], kind: str, value: str | None, precision: str | None, **kw: Any) -> None:
        self.hits.append(
            DateHit(m.start() + self.offset, m.end() + self.offset, m.group(0), kind, value, precision, **kw)
        )


def find_dates(
    text: str,
    published: date | None = None,
    published_precision: str | None = "day",
    anchor: date | None = None,
    allow_next_month: bool = False,
    offset: int = 0,
    ahead_months: int = 0,
    late_stamp: bool = True,
) -> list[DateHit]:
    """Every date phrase in ``text``, in order, longest match first where phrases overlap.

    ``published`` with ``published_precision`` ("day" or "month") resolves relative phrases;
    ``anchor`` only supplies a year to month-and-day dates when there is no publication date;
    ``ahead_months`` keeps months up to that many after ``published`` in its year (for a date
    inferred from the text, which the story was written after). With ``late_stamp``, a weekday
    the day after the report's is that next day (a story stamped late in the evening, behind the
    place it reports); a periodic digest, which tells of the days before it, passes False.
    Offsets are added to ``offset``. The rules of :data:`_DATE_RULES` find the phrases.
    """
    ctx = _DateContext(
        text,
        published,
        published if published is not None and published_precision == "day" else None,
        published if published is not None else anchor,
        anchor,
        allow_next_month,
        offset,
        ahead_months,
        late_stamp,
    )
    for rule in _DATE_RULES:
        rule(ctx)
    return [
        _since_when(h, text, offset)
        for h in _months_told_before(
            _range_years(_longest_first([_status_time(h, text, offset) for h in ctx.hits]), text, offset)
        )
    ]


#: The words between the two ends of a span of dates: "from 19 March to 1 July 2024".
_RANGE_GAP_RE = re.compile(r"[^\S\n]*(?:to|until|till|through|and|[-–—])[^\S\n]*", re.IGNORECASE)


def _range_years(hits: list[DateHit], text: str, offset: int) -> list[DateHit]:
    """A span of dates gives its start the year of its end ("from 19 March to 1 July 2024",
    "between 20 December and 5 January 2025": 2024-12-20), not the year before the report."""
    out = list(hits)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if not (
            a.kind == b.kind == "absolute"
            and b.explicit_year
            and not a.explicit_year
            and a.value
            and b.value
            and _RANGE_GAP_RE.fullmatch(text, a.end - offset, b.start - offset)
        ):
            continue
        year = int(b.value[:4]) - (1 if a.value[5:] > b.value[5:] else 0)
        out[i] = replace(a, value=f"{year:04d}{a.value[4:]}", explicit_year=True)
    return out


#: "as of 3 May", "as at Tuesday": the time a count or a situation stands at, not an event's.
_AS_OF_RE = re.compile(r"\bas\s+(?:of|at)\s+(?:the\s+(?:morning|evening|end)\s+of\s+)?$", re.IGNORECASE)


def _status_time(hit: DateHit, text: str, offset: int) -> DateHit:
    """A date after "as of" is the time a toll or a situation is reported at (kind ``status``)."""
    at = hit.start - offset
    if hit.kind in {"absolute", "relative"} and _AS_OF_RE.search(text, max(0, at - 40), at):
        return replace(hit, kind="status")
    return hit


#: ", when": a clause that tells what happened at the time just named.
_WHEN_AFTER_RE = re.compile(r",?\s*when\b", re.IGNORECASE)


def _since_when(hit: DateHit, text: str, offset: int) -> DateHit:
    """ "since April 2012, when forces occupied the oilfield": the start of the span is the day of
    what the when-clause tells (kind ``absolute``), not only a bound."""
    if hit.kind == "since" and hit.value is not None and _WHEN_AFTER_RE.match(text, hit.end - offset):
        return replace(hit, kind="absolute")
    return hit


def _no_month_word(name: str) -> bool:
    """ "may 12 people", "march on": a lower-case month name that is a verb."""
    return name[0].islower() and name.lower() in {"may", "mar", "march"}


#: A span of days this long or longer ("1-8 November") dates what it holds only to the month; a
#: night over two dates ("the night of October 11-12") is its first day.
SPAN_MONTH_DAYS: int = 2


def _full_dates(ctx: _DateContext) -> None:
    """Day and month, with or without a year: "Oct. 19, 2025", "19 October", "2025-10-19"."""
    for regex in (_ISO_RE, _MDY_RE, _DMY_RE):
        for m in regex.finditer(ctx.text):
            mon = int(m["mon"]) if m["mon"].isdigit() else _month_num(m["mon"])
            if mon is None:
                continue
            day = int(re.sub(r"\D", "", m["day"]))
            year = (
                int(m["year"])
                if m["year"]
                else infer_year(mon, ctx.year_ref, ctx.allow_next_month, ctx.ahead_months)
            )
            if (
                regex is _DMY_RE
                and not m["year"]
                and m["mon"].lower() in {"may", "mar"}
                and m["mon"][0].islower()
            ):
                continue
            if regex is _MDY_RE and _no_month_word(m["mon"]):
                continue  # "may 12 people" is no date
            value = None
            precision = "day"
            if year is not None:
                try:
                    value = date(year, mon, day).isoformat()
                except ValueError:
                    continue
                if m.groupdict().get("day2") and int(m["day2"]) - day >= SPAN_MONTH_DAYS:
                    # "between 1 and 8 November": days of a span, known only to the month
                    value, precision = value[:7], "month"
            ctx.add(m, "absolute", value, precision if value else None, explicit_year=bool(m["year"]))


def _numeric_dates(ctx: _DateContext) -> None:
    """ "18.03.2024" and "18/03/2024" (day first, as most of the world writes it), "03/18/2024"
    (month first, told by a day over 12); "03/04/2024" is left unread."""
    for m in _NUMERIC_RE.finditer(ctx.text):
        if (d := _numeric_date(m)) is not None:
            ctx.add(m, "absolute", d.isoformat(), "day", explicit_year=True)


def _numeric_date(m: re.Match[str]) -> date | None:
    """The date a :data:`_NUMERIC_RE` match states, or None when the order is unsure or no
    such day exists."""
    a, b = int(m["a"]), int(m["b"])
    if a > 12 or (m["sep"] == "." and b <= 12):
        day, mon = a, b
    elif b > 12:
        day, mon = b, a
    else:
        return None
    return day_in(int(m["year"]), mon, day)


def _month_years(ctx: _DateContext) -> None:
    """A month and a year: "October 2025"."""
    for m in _MY_RE.finditer(ctx.text):
        mon = _month_num(m["mon"])
        if mon is None or _no_month_word(m["mon"]):
            continue
        ctx.add(m, "absolute", f"{int(m['year']):04d}-{mon:02d}", "month", explicit_year=True)


def _months(ctx: _DateContext) -> None:
    """A month alone: "in October", "last October", "since October"."""
    year_ref = ctx.year_ref
    for m in _M_RE.finditer(ctx.text):
        name = m["mon"]
        if name in {"May", "March"} and not m["prep"]:
            continue
        mon = MONTHS[name.lower()]
        prep = (m["prep"] or "").lower()
        if prep == "last":
            # "last October": the most recent October strictly before publication
            year = None
            if year_ref is not None:
                year = year_ref.year if mon < year_ref.month else year_ref.year - 1
        else:
            year = infer_year(mon, year_ref, ctx.allow_next_month, ctx.ahead_months)
        kind = "since" if prep.startswith("since") else "absolute"
        ctx.add(m, kind, f"{year:04d}-{mon:02d}" if year else None, "month" if year else None)


#: "since" right before a date ("shut since Sunday", "since the 12th").
SINCE_BEFORE_RE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)


def _weekdays(ctx: _DateContext) -> None:
    """A weekday: the most recent one on or before the publication day ("last Friday": before);
    after a reference inferred from the text, the nearest one to it; one the sentence tells as
    to come ("next Monday", "will meet on Saturday"), the next one after the report's day."""
    day_ref = ctx.day_ref
    for m in _WEEKDAY_RE.finditer(ctx.text):
        wd = WEEKDAYS.index(m["wd"].lower())
        value = None
        if day_ref is not None:
            which = (m["last"] or "").lower()
            strictly = which in {"last", "past", "previous"}
            ahead = (wd - day_ref.weekday()) % 7
            if m["week"]:
                # "Tuesday last week": that weekday of the calendar week (Monday to Sunday) before
                week = _WEEK_SHIFT[" ".join(m["week"].lower().split())]
                value = (day_ref + timedelta(days=wd - day_ref.weekday() + 7 * week)).isoformat()
            elif which in {"next", "coming", "this coming"} or (
                not which
                and not m["poss"]
                and _FUTURE_BEFORE_RE.search(ctx.text, max(0, m.start() - FUTURE_REACH), m.start())
            ):
                # a day to come: the next such weekday after the report's
                value = (day_ref + timedelta(days=ahead or 7)).isoformat()
            elif not strictly and ctx.ahead_months and 0 < ahead < 7 - ahead:
                # a reference inferred from the text is the latest day it states, which the story
                # was told after: a weekday nearer after it than before is that later day
                value = (day_ref + timedelta(days=ahead)).isoformat()
            elif (
                not strictly
                and ctx.late_stamp
                and wd == (day_ref.weekday() + 1) % 7
                # "closed since Sunday": a span the report has seen go by, not a day after its stamp
                and not SINCE_BEFORE_RE.search(ctx.text, max(0, m.start() - 12), m.start())
            ):
                # The day after the stamp: a story filed late in the evening, in a time zone behind
                # the place it reports ("Seoul's military said Sunday", stamped Saturday 11:31 PM
                # in Washington) - not the same weekday six days before.
                value = (day_ref + timedelta(days=1)).isoformat()
            else:
                value = most_recent_weekday(wd, day_ref, strictly_before=strictly).isoformat()
        ctx.add(m, "relative", value, "day" if value else None)


def _relative_day(m: re.Match[str], day_ref: date) -> str | None:
    """The day a relative phrase names, given the publication day."""
    if m["today"]:
        return day_ref.isoformat()
    if m["yesterday"]:
        return (day_ref - timedelta(days=1)).isoformat()
    if m["day_before"]:
        return (day_ref - timedelta(days=2)).isoformat()
    if m["weekend"]:
        # Its Saturday (the eval's one-day tolerance covers the Sunday): the latest weekend on
        # or before the reference day, the one before that for "last weekend" said on a weekend.
        saturday = most_recent_weekday(5, day_ref)
        if m["last_weekend"] and day_ref.weekday() >= 5:
            saturday -= timedelta(days=7)
        return saturday.isoformat()
    if m["ago"]:
        n = _words_to_int(m["ago"])
        return (day_ref - timedelta(days=n)).isoformat() if n is not None else None
    return None


def _relative_month(m: re.Match[str], ctx: _DateContext) -> str | None:
    """The month a relative phrase names ("this week", "last month", "next week"), given the
    publication date."""
    published, day_ref = ctx.published, ctx.day_ref
    if m["this_week"] and published is not None:
        return _fmt(published, "month")
    if m["last_week"] and day_ref:
        return _fmt(day_ref - timedelta(days=7), "month")
    if m["next_week"] and day_ref:
        return _fmt(day_ref + timedelta(days=7), "month")  # (what is planned: "will meet next week")
    if m["next_month"] and published is not None:
        return _fmt(published.replace(day=28) + timedelta(days=7), "month")
    if m["this_month"] and published is not None:
        return _fmt(published, "month")
    if m["last_month"] and published is not None:
        return _fmt(published.replace(day=1) - timedelta(days=1), "month")
    return None


_DAY_GROUPS = ("today", "yesterday", "day_before", "weekend", "ago")


def _relatives(ctx: _DateContext) -> None:
    """ "today", "yesterday", "two days ago", "last weekend", "this month", "last year"..."""
    for m in _RELATIVE_RE.finditer(ctx.text):
        value, precision = None, None
        if any(m[g] for g in _DAY_GROUPS):
            if ctx.day_ref:
                value = _relative_day(m, ctx.day_ref)
                precision = "day" if value else None
        elif m["this_year"] or m["last_year"]:
            ctx.add(m, "year", None, None)
            continue
        else:
            value = _relative_month(m, ctx)
            precision = "month" if value else None
        ctx.add(m, "relative", value, precision)


def _years(ctx: _DateContext) -> None:
    """A year alone: history before the reference's year, "since 2021"."""
    ref = ctx.published or ctx.anchor
    for m in _YEAR_ONLY_RE.finditer(ctx.text):
        year = int(m["year"])
        kind = "since" if m["since"] else ("history" if ref and year < ref.year else "year")
        ctx.add(m, kind, None, None)


def _refs(ctx: _DateContext) -> None:
    """Times told by another event: "hours before the talks collapsed"."""
    for m in _REF_RE.finditer(ctx.text):
        ctx.add(m, "ref", None, None, ref_what=m["what"].lower(), ref_rel=m["rel"].lower())


def _sequels(ctx: _DateContext) -> None:
    """Days counted from the event told before: "the next day", "two days later"; a day of its
    month: "on the 12th"."""
    for m in _SEQUEL_RE.finditer(ctx.text):
        if m["same"]:
            days = 0  # "hours later", "the same night": the day of the event told before
        elif m["n"]:
            days = _words_to_int(m["n"]) or 0
            days = days if m["dir"].lower() == "later" else -days
            if not days:
                continue
        else:
            days = 1 if (m["next"] or (m["rel"] or "").lower() == "after") else -1
        ctx.add(m, "sequel", None, None, ref_rel=f"{days:+d}")
    for m in _DAY_OF_MONTH_RE.finditer(ctx.text):
        # "It was reopened on the 12th": that day of the month the story was telling of
        ctx.add(m, "sequel", None, None, ref_rel=f"dom{int(m['dom'])}")


#: A year named by its distance from the report's, right after a month or a day: "in May last
#: year", "on 3 March this year", "in December of last year".
_YEAR_WORDS_AFTER_RE = re.compile(r",?\s+(?:of\s+)?(?P<which>last|this|next)\s+year\b", re.IGNORECASE)
_YEAR_STEP = {"last": -1, "this": 0, "next": 1}


def _year_words(ctx: _DateContext) -> None:
    """A month or a day without a year, followed by "last year" or "this year": that year (the
    phrase is one date, not a month of the report's year beside a year of its own)."""
    if ctx.year_ref is None:
        return
    for k, h in enumerate(ctx.hits):
        if h.kind not in {"absolute", "since"} or h.explicit_year or h.value is None:
            continue
        m = _YEAR_WORDS_AFTER_RE.match(ctx.text, h.end - ctx.offset)
        if m is None:
            continue
        value = f"{ctx.year_ref.year + _YEAR_STEP[m['which'].lower()]:04d}{h.value[4:]}"
        if h.precision == "day" and not _valid_day(value):
            continue  # "February 29 last year" in a year without one
        ctx.hits[k] = replace(
            h, end=m.end() + ctx.offset, text=h.text + m.group(0), value=value, explicit_year=True
        )


#: "that month", "the same month": the month a text told last.
THAT_MONTH_RE = re.compile(r"\b(?:that|the\s+same)\s+month\b", re.IGNORECASE)


def _that_months(ctx: _DateContext) -> None:
    """ "that month", "the same month": a month whose value is the one told before it
    (:func:`_months_told_before`), else unknown here (the paragraph may tell it)."""
    for m in THAT_MONTH_RE.finditer(ctx.text):
        ctx.add(m, "absolute", None, None)


def _months_told_before(hits: list[DateHit]) -> list[DateHit]:
    """Each "that month" takes the month of the date phrase with a value told before it in the
    text ("in October 2025, a confrontation that ended with a ceasefire agreed that month")."""
    out: list[DateHit] = []
    for h in hits:
        if h.value is None and h.kind == "absolute" and THAT_MONTH_RE.fullmatch(h.text):
            told = next((o for o in reversed(out) if o.value and o.kind in {"absolute", "relative"}), None)
            if told is not None and told.value is not None:
                h = replace(h, value=told.value[:7], precision="month", explicit_year=True)
        out.append(h)
    return out


def _valid_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


#: The date rules, in order; each adds the phrases it finds to the context's hits.
_DATE_RULES: tuple[Callable[[_DateContext], None], ...] = (
    _full_dates,
    _numeric_dates,
    _month_years,
    _months,
    _year_words,
    _weekdays,
    _relatives,
    _years,
    _refs,
    _sequels,
    _that_months,
)


def _longest_first(hits: list[DateHit]) -> list[DateHit]:
    """Longest first where phrases overlap; "since" phrases keep their month, and "since
    February 21" is that day, as "since 21 February" reads. A day beats a month it overlaps ("the
    night of October 11-12" is 11 October, not "of October"), except after "in", where a number
    may follow the month ("In October 11 people died"); a month with its year beats the month
    alone ("in June 2020")."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[DateHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            last = kept[-1]
            if (
                h.kind == last.kind == "absolute"
                and h.explicit_year
                and not last.explicit_year
                and h.end > last.end
                and h.precision == last.precision
            ):
                # "in June" and "June 2020": the month of that year, with its preposition
                kept[-1] = replace(h, start=last.start, text=last.text[: h.start - last.start] + h.text)
                continue
            if (
                last.kind == "since"
                and h.kind == "absolute"
                and h.explicit_year
                and not last.explicit_year
                and h.end > last.end
                and h.precision == last.precision
            ):
                # "since October 2019": a starting bound in that year
                text = last.text[: h.start - last.start] + h.text
                kept[-1] = replace(last, end=h.end, text=text, value=h.value, explicit_year=True)
                continue
            if (
                h.kind == last.kind == "absolute"
                and h.precision == "day"
                and last.precision == "month"
                and not last.text.lower().startswith("in ")
            ):
                kept[-1] = h
            elif last.kind == "since" and h.kind == "absolute" and h.precision == "day" and h.end > last.end:
                # "since February 21": the day a state began (as "since 21 February"), not its month
                text = last.text[: h.start - last.start] + h.text
                kept[-1] = replace(h, kind="absolute", start=last.start, text=text)
            continue
        kept.append(h)
    return kept


#: A weekday with its day and month and no year: "Thursday, 11 January", "Thursday the 13th of
#: February", "Tuesday, Oct. 14".
_WEEKDAY_DATE_RE = re.compile(
    rf"\b(?P<wd>{_WD}),?\s+(?:the\s+)?(?:(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})|(?P<mon2>{_MON})\.?\s+(?P<day2>{_DAY}))\b"
    rf"(?!\.?,?\s+{_YEAR})",
    re.IGNORECASE,
)


def _weekday_dates(text: str) -> list[date]:
    """The days written as weekday, day and month, each in the one year the text names whose
    calendar puts that day on that weekday ("the first flare-up of 2024 ... Thursday, 11 January"),
    else in the first such year from the latest the text tells, at most
    :data:`WEEKDAY_YEAR_REACH` on ("rejected the 2016 peace deal ... broke off relations in 2019
    ... The fighting erupted Sunday, March 21": 2021)."""
    years = {int(y) for y in re.findall(rf"\b{_YEAR}\b", text)}
    latest: int | None = None
    out = []
    for m in _WEEKDAY_DATE_RE.finditer(text):
        if _told_ahead(text, m.start(), m.end()):
            continue
        mon = _month_num(m["mon"] or m["mon2"]) or 0
        day = int(re.sub(r"\D", "", m["day"] or m["day2"]))
        weekday = next(i for i, name in enumerate(WEEKDAYS) if name.startswith(m["wd"].lower()[:3]))
        fits = [d for d in (day_in(year, mon, day) for year in years) if d and d.weekday() == weekday]
        if not fits and years:
            latest = latest or latest_year_told(text)
            reach = range(latest, latest + WEEKDAY_YEAR_REACH + 1) if latest else range(0)
            fits = [d for d in (day_in(y, mon, day) for y in reach) if d and d.weekday() == weekday][:1]
        if len(fits) == 1:
            out.append(fits[0])
    return out


def day_in(year: int, month: int, day: int) -> date | None:
    """The day, or None where the calendar has none (30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


#: "until 13 December", "till Monday, 30 June": the end of a span, not a day the story has reached.
UNTIL_BEFORE_RE = re.compile(r"\b(?:until|till|untill)\s+(?:\w+day,?\s+)?$", re.IGNORECASE)


#: How far before a date the order it is the deadline of may stand ("ordered holders of Afghan
#: Citizen Cards to leave Islamabad and Rawalpindi by March 31").
DEADLINE_REACH = 120
#: A date set as a deadline: "the March 31 deadline", "a deadline of 1 November", "set 31 March
#: as the deadline".
_DEADLINE_AFTER_RE = re.compile(
    r"\s*(?:'s\s+|’s\s+|,?\s+as\s+(?:the|a|its)\s+(?:final\s+|new\s+)?)?(?:deadline|ultimatum|cut-?off\s+date)\b",
    re.IGNORECASE,
)
_DEADLINE_BEFORE_RE = re.compile(
    r"\b(?:deadline|ultimatum|cut-?off\s+date)\s+(?:of\s+|for\s+|set\s+for\s+|(?:(?:expires?|expired|expiring"
    r"|ends?|ended|ending|runs\s+out|ran\s+out)\s+)?(?:on\s+)?)?"
    r"(?:\w+day,?\s+)?$"
    # "ordered to leave Islamabad by March 31": what people must do by a day, not a day told of
    r"|\b(?:must|ordered|asked|told|given|urged|directed|had\s+to|have\s+to|has\s+to)\s+"
    r"(?:(?!\b(?:said|says|was|were|had|have|has|after|since|following)\b)[^.;!?])*\bby\s+(?:\w+day,?\s+)?$",
    re.IGNORECASE,
)


def deadline_at(text: str, start: int, end: int) -> bool:
    """Whether the date at ``start:end`` is a deadline set ("the March 31 deadline", "ordered to
    leave by 1 November"): a day to come when it was set, not a day an event took place."""
    return bool(
        _DEADLINE_AFTER_RE.match(text, end)
        or _DEADLINE_BEFORE_RE.search(text, max(0, start - DEADLINE_REACH), start)
    )


def _told_ahead(text: str, start: int, end: int | None = None) -> bool:
    """Whether the date at ``start`` (ending at ``end``, when known) is told as to come: after a
    future verb in its clause, after "until", or set as a deadline."""
    lo = max(0, start - FUTURE_REACH)
    return bool(
        _FUTURE_BEFORE_RE.search(text, lo, start)
        or UNTIL_BEFORE_RE.search(text, lo, start)
        or (end is not None and deadline_at(text, start, end))
    )


def latest_full_date(text: str) -> date | None:
    """The latest date with day, month and year written out in ``text``, or told by its weekday
    in a year the text names (:func:`_weekday_dates`): an anchor for years. A date the text
    tells as to come ("the committee will sit again on Thursday, 21 August") is none: the story
    was told before it."""
    best: date | None = max(_weekday_dates(text), default=None)
    for regex in (_ISO_RE, _MDY_RE, _DMY_RE):
        for m in regex.finditer(text):
            if not m["year"] or _told_ahead(text, m.start(), m.end()):
                continue
            mon = int(m["mon"]) if m["mon"].isdigit() else _month_num(m["mon"])
            if mon is None:
                continue
            d = day_in(int(m["year"]), mon, int(re.sub(r"\D", "", m["day"])))
            if d is None:
                continue
            best = d if best is None or d > best else best
    for m in _NUMERIC_RE.finditer(text):
        numeric = _numeric_date(m)
        if (
            numeric is not None
            and (best is None or numeric > best)
            and not _told_ahead(text, m.start(), m.end())
        ):
            best = numeric
    return best


#: A year written on its own ("since the Taliban returned to power in 2021"), not one of a figure
#: ("2021 troops" is rare, "2,600-km" is not a year).
_A_YEAR_RE = re.compile(rf"(?<![\d,.])\b(?P<year>{_YEAR})\b(?![\d,.]\d|-(?:km|mile|metre|meter)\b)")
#: A weekday the story names as one of its days ("said on Sunday", "late on Saturday"); "Sundays"
#: (a habit) is none.
_WEEKDAY_NAMED_RE = re.compile(rf"\b(?P<wd>{'|'.join(WEEKDAYS)})\b(?!s\b)", re.IGNORECASE)
#: How many years after the latest year a story names its filing day may fall, when the weekdays
#: it names are what tells the year (:func:`day_by_weekdays`).
WEEKDAY_YEAR_REACH: int = 12


def latest_year_told(text: str) -> int | None:
    """The latest year ``text`` writes as one the story has reached (not told as to come), or None."""
    years = [int(m["year"]) for m in _A_YEAR_RE.finditer(text) if not _told_ahead(text, m.start())]
    return max(years, default=None)


def day_by_weekdays(text: str, month: int, day: int, from_year: int) -> date | None:
    """Day ``day`` of ``month`` in the year, from ``from_year`` on, that its story's weekdays tell.

    A wire dateline gives its day with no year ("ISLAMABAD, Oct 12 (Reuters) - Pakistan said on
    Sunday ... overnight clashes ... launched late on Saturday"), and the story names the filing
    day's weekday and the days just before it. The year is the first, from the latest year the
    story writes (``from_year``) and at most :data:`WEEKDAY_YEAR_REACH` years on, whose calendar
    puts that day on a weekday the story names with all its other weekdays closest behind it (a
    report tells of the days before it); None when the story names no weekday or none fits.
    """
    named = {
        WEEKDAYS.index(m["wd"].lower())
        for m in _WEEKDAY_NAMED_RE.finditer(text)
        if not _told_ahead(text, m.start())
    }
    best: tuple[int, date] | None = None
    for year in range(from_year, from_year + WEEKDAY_YEAR_REACH + 1):
        filed = day_in(year, month, day)
        if filed is None or filed.weekday() not in named:
            continue
        behind = sum((filed.weekday() - wd) % 7 for wd in named)
        if best is None or behind < best[0]:
            best = (behind, filed)
    return best[1] if best is not None else None


def latest_day_ahead(text: str, anchor: date, ahead_months: int) -> date | None:
    """The latest day ``text`` writes with its month and no year ("Sunday night (March 8)") that
    falls after ``anchor`` in its year, at most ``ahead_months`` months on, and is not told as to
    come: a story dated only by the full dates it states was written after that day too."""
    best: date | None = None
    for regex in (_MDY_RE, _DMY_RE):
        for m in regex.finditer(text):
            if m["year"] or _told_ahead(text, m.start(), m.end()):
                continue
            mon = _month_num(m["mon"])
            if mon is None:
                continue
            d = day_in(anchor.year, mon, int(re.sub(r"\D", "", m["day"])))
            if d is None:
                continue
            months_on = (d.year - anchor.year) * 12 + d.month - anchor.month
            if d > anchor and months_on <= ahead_months and (best is None or d > best):
                best = d
    return best


def latest_month_end(text: str) -> date | None:
    """The last day of the latest month ``text`` names with its year ("July 2026"), or None."""
    best: tuple[int, int] | None = None
    for m in _MY_RE.finditer(text):
        if _told_ahead(text, m.start(), m.end()):
            continue  # "the terminal will open in March 2027": the story was told before it
        mon = _month_num(m["mon"])
        if mon is not None and (best is None or (int(m["year"]), mon) > best):
            best = (int(m["year"]), mon)
    if best is None:
        return None
    return date(best[0], best[1], calendar.monthrange(*best)[1])


#: A month with its year opening a sentence: "In December 2022 the town was hit directly.",
#: "Late October 2025: ...".
_OPENING_MONTH_RE = re.compile(
    rf"\W*(?:(?:in|during|by|from|through(?:out)?)\s+)?(?:(?:early|late|mid-?)\s*)?(?P<mon>{_MON})\.?,?\s+(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)


def opening_month(text: str) -> date | None:
    """The first day of the month with its year that opens ``text`` ("In December 2022 ..."): the
    time its paragraph goes on to tell of, or None."""
    m = _OPENING_MONTH_RE.match(text)
    mon = _month_num(m["mon"]) if m else None
    return date(int(m["year"]), mon, 1) if m and mon else None


#: A photo caption's date: a line that opens with "FILE" (an archive photo), or a full date that
#: closes a "Place, Country, Month D, YYYY." caption. It dates the picture, not the story.
_CAPTION_LINE_RE = re.compile(r"^\s*FILE\b.*$", re.MULTILINE)
_CAPTION_DATE_RE = re.compile(
    rf",\s+(?:{_MON}\.?\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+{_MON}\.?,?\s+{_YEAR})\.(?=\s*$|\s+[A-Z])", re.MULTILINE
)


#: "since the beginning of 2026", "so far in 2026", "in the first two months of 2026", "2026 so
#: far": the year the story is told in.
_TOLD_IN_YEAR_RE = re.compile(
    rf"\b(?:since\s+the\s+(?:beginning|start|turn)\s+of|so\s+far\s+in|(?:in|during|over)\s+the\s+first\s+"
    rf"(?:\w+\s+)?(?:months?|weeks?|days?|quarter|half)\s+of)\s+(?P<year>{_YEAR})\b|\b(?P<year2>{_YEAR})\s+so\s+far\b",
    re.IGNORECASE,
)


#: "two years after ... attacked army posts in Chitral in September 2023", "a year since the
#: 2024 clashes": the year the story is told in, that many years on.
_YEARS_ON_RE = re.compile(
    rf"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}})\s+years?\s+(?:after|since)\b"
    rf"[^.;]{{0,160}}?\b(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)


def told_in_year(text: str) -> date | None:
    """The first day of the latest year ``text`` speaks of as the one it is told in ("since the
    beginning of 2026", "two years after ... in September 2023": 2025), or None."""
    years = [int(m["year"] or m["year2"]) for m in _TOLD_IN_YEAR_RE.finditer(text)]
    for m in _YEARS_ON_RE.finditer(text):
        n = _words_to_int(m["n"])
        if n is not None:
            years.append(int(m["year"]) + n)
    return date(max(years), 1, 1) if years else None


def reference_date(text: str) -> date | None:
    """The latest full date a story states outside photo captions: the reference for its
    relative dates when it gives no publication date (the dates so found are "inferred")."""
    return story_dates(text)[1]


def story_dates(text: str) -> tuple[date | None, date | None]:
    """(the latest full date ``text`` states, the latest outside photo captions), in one pass:
    the anchor of years and the reference of relative dates of a story with no date line. With no
    full date, or none as late as the latest month it names with its year, the anchor is the end
    of that month, and there is no reference."""
    if not re.search(r"(?:19|20)\d\d", text):
        return None, None
    anchor = latest_full_date(text)
    month_end = latest_month_end(text)
    if anchor is None or (month_end is not None and month_end.replace(day=1) > anchor):
        # no full date, or only older ones ("On 5 May 2017 ... in October 2025"): the latest month
        # the text names with its year ("the border clashes of July 2026") still gives its days a
        # year ("On July 24"), though nothing relative
        return month_end, None
    blanked = _CAPTION_LINE_RE.sub(lambda m: " " * len(m.group(0)), text)
    blanked = _CAPTION_DATE_RE.sub(lambda m: " " * len(m.group(0)), blanked)
    return anchor, (anchor if blanked == text else latest_full_date(blanked))


def date_compatible(a: str | None, b: str | None, days: int = 1) -> bool:
    """Whether two event dates can be the same: days within ``days``, or the same month when
    either is only a month. None is handled by the caller (it means unknown)."""
    if a is None or b is None:
        return True
    if len(a) == 7 or len(b) == 7:
        return a[:7] == b[:7]
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= days

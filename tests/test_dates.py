"""Dates in news text (``geomap._dates``): numeric dates of tickers, bylines and press releases."""

from __future__ import annotations

from datetime import date

import pytest

from geomap._dates import (
    day_by_weekdays,
    deadline_at,
    find_dates,
    latest_day_ahead,
    latest_full_date,
    latest_year_told,
    told_in_year,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NEWS LINE — LIVE TICKER   Mon 18.03.2024", "2024-03-18"),  # day first with dots
        ("Issued on 05.04.2024 by the press office", "2024-04-05"),  # dots: day first
        ("Published 18/03/2024 09:15", "2024-03-18"),  # a day over 12 comes first
        ("Updated: 03/18/2024 10:00 AM", "2024-03-18"),  # a day over 12 comes second
    ],
)
def test_numeric_dates(text: str, value: str) -> None:
    assert [h.value for h in find_dates(text, None, None, None)] == [value]
    assert latest_full_date(text).isoformat() == value


@pytest.mark.parametrize(
    "text",
    [
        "Published 03/04/2024",  # slashes, both under 13: either order
        "They scored 196/6 in 50 overs",
        "version 1.18.03.2024 of the form",
        "On 31.02.2024 nothing happened",  # no such day
    ],
)
def test_no_numeric_date(text: str) -> None:
    assert find_dates(text, None, None, None) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The crossing closed at midnight, leaving the border shut.", "2023-11-30"),
        ("Gunmen attacked the post in the early hours, police said.", "2023-11-30"),
        ("Shelling began before dawn and lasted until noon.", "2023-11-30"),
        # another day named with it: that day, not the report's
        ("The crossing closed at midnight on Sunday.", "2023-11-26"),
        ("Gunmen attacked the post in the early hours of Monday.", "2023-11-27"),
    ],
)
def test_the_night_a_reports_day_began_with(text: str, value: str) -> None:
    from datetime import date

    hits = [h for h in find_dates(text, date(2023, 11, 30), "day", None) if h.precision == "day"]
    assert [h.value for h in hits] == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("In May last year, the government announced plans to reopen the crossing.", "2023-05"),
        ("In December of last year the talks failed.", "2023-12"),
        ("In March this year, shelling resumed.", "2024-03"),
        ("On 3 March last year, gunmen attacked the post.", "2023-03-03"),
        ("Talks are due to resume in February next year.", "2025-02"),
    ],
)
def test_a_month_or_day_with_last_year_or_this_year(text: str, value: str) -> None:
    from datetime import date

    hits = find_dates(text, date(2024, 5, 23), "day", None)
    assert [h.value for h in hits] == [value] and hits[0].explicit_year


def test_a_night_written_with_a_slash_is_its_first_day() -> None:
    from datetime import date

    hits = find_dates("On night 25/26 April 2025, security forces detected movement.", date(2025, 4, 26))
    assert [(h.value, h.precision) for h in hits] == [("2025-04-25", "day")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a weekday, a day and a month: the one year the text names that puts them together
        ("The first flare-up of 2024 began in the early hours of Thursday, 11 January.", "2024-01-11"),
        ("Good evening, this is Thursday the 13th of February; since the start of 2025 ...", "2025-02-13"),
        ("Troops clashed on Tuesday, Oct. 14, as in 2019 and again in 2025.", "2025-10-14"),
    ],
)
def test_a_weekday_dates_its_day_in_a_year_the_text_names(text: str, value: str) -> None:
    assert latest_full_date(text).isoformat() == value


def test_no_year_is_guessed_for_a_weekday_that_fits_two() -> None:
    assert latest_full_date("Monday, 11 January, as in 2016 and 2021.") is None  # both fit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # fits no year the text names: the first year from the latest it tells that fits
        ("Thursday, 11 January, in 2023.", "2024-01-11"),  # a Wednesday in 2023
        (
            "The group rejected the 2016 peace deal; the two countries broke off relations in 2019. "
            "The fighting erupted Sunday, March 21, around La Victoria.",
            "2021-03-21",
        ),
        # a year told as to come is no floor
        ("Fighting erupted on Sunday, March 21. Elections will be held in 2031.", None),
    ],
)
def test_a_weekday_that_fits_no_year_named_takes_the_first_after_them(text, value) -> None:
    got = latest_full_date(text)
    assert (got.isoformat() if got else None) == value


def test_after_an_inferred_reference_a_weekday_is_the_nearest_one() -> None:
    from datetime import date

    ref = date(2024, 1, 11)  # a Thursday, the latest day the text states
    (sat,) = find_dates("The bridge was closed on Saturday.", ref, "day", None, ahead_months=2)
    (mon,) = find_dates("Talks were held on Monday.", ref, "day", None, ahead_months=2)
    assert (sat.value, mon.value) == ("2024-01-13", "2024-01-08")
    # after a publication date, the most recent one on or before it
    (sat,) = find_dates("The bridge was closed on Saturday.", ref, "day", None)
    assert sat.value == "2024-01-06"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The two foreign ministers will meet in Doha on Saturday.", "2024-01-13"),
        ("Talks are due to resume on Monday, a mediator said.", "2024-01-15"),
        ("The crossing is to reopen on Thursday.", "2024-01-18"),  # the same weekday: a week on
        ("Delegations meet again next Tuesday.", "2024-01-16"),
        ("The army chiefs spoke on Saturday and will meet again in March.", "2024-01-06"),
        ("Islamabad said on Saturday it will respond.", "2024-01-06"),  # the telling is past
        ("It will respond to Saturday's attack, he said.", "2024-01-06"),  # a possessive: past
        ("Officials said they will reopen the road, which was shut on Monday.", "2024-01-08"),
        ("They will rebuild the post that was shelled on Monday.", "2024-01-08"),
    ],
)
def test_a_weekday_told_as_to_come_is_the_next_one(text: str, value: str) -> None:
    from datetime import date

    ref = date(2024, 1, 11)  # a Thursday, the report's day
    hits = [h for h in find_dates(text, ref, "day", None) if h.precision == "day"]
    assert [h.value for h in hits] == [value]


def test_with_no_full_date_the_latest_month_named_with_its_year_gives_days_their_year() -> None:
    from datetime import date

    from geomap._dates import story_dates

    text = "The border clashes of July 2026, and the truce of June 2026. On July 24 rockets hit a market."
    anchor, reference = story_dates(text)
    assert (anchor, reference) == (date(2026, 7, 31), None)
    days = [h.value for h in find_dates(text, None, None, anchor) if h.precision == "day"]
    assert days == ["2026-07-24"]
    assert story_dates("Clashes on July 24 killed eight.") == (None, None)


def test_a_date_told_as_to_come_is_no_latest_date_of_the_story() -> None:
    text = (
        "The crossing reopened on Tuesday, 19 August 2025. The joint committee will sit again "
        "in Moyo on Thursday, 21 August 2025, and the road stays shut until 30 August 2025."
    )
    assert latest_full_date(text).isoformat() == "2025-08-19"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The area has been contested since April 2012, when troops briefly held it.", "absolute"),
        ("The area has been contested since April 2012 and is patrolled by both sides.", "since"),
    ],
)
def test_since_a_month_when_dates_the_when_clause(text: str, kind: str) -> None:
    hits = find_dates(text, date(2026, 3, 4))
    assert [(h.value, h.kind) for h in hits] == [("2012-04", kind)]


@pytest.mark.parametrize(
    "text",
    [
        "The Torkham crossing has remained closed since February 21, traders said.",
        "The Torkham crossing has remained closed since 21 February, traders said.",
        "The Torkham crossing has remained closed since Feb. 21, traders said.",
    ],
)
def test_since_a_day_keeps_its_day_in_either_order(text: str) -> None:
    """ "since February 21" is that day (it was read as "since February"), as "since 21 February" is."""
    (hit,) = find_dates(text, date(2026, 3, 4))
    assert (hit.value, hit.precision) == ("2026-02-21", "day")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Since the beginning of 2026, 14 civilians have been killed.", 2026),
        ("In the first two months of 2026, attacks rose by a third.", 2026),
        ("Attacks in 2025 so far outnumber those of 2024.", 2025),
        ("The border has been closed since 2021.", None),  # a bound, not the year of telling
    ],
)
def test_the_year_a_story_is_told_in(text: str, year: int | None) -> None:
    got = told_in_year(text)
    assert (got.year if got else None) == year


def test_a_month_named_with_its_year_after_the_latest_full_date_is_the_anchor() -> None:
    """A feature recalls "5 May 2017" and goes on to "October 2025": days of October are of 2025,
    and nothing relative can be resolved; a month told as to come is no anchor."""
    from geomap._dates import story_dates

    text = "The first clash came on 5 May 2017. The worst came in October 2025. On 12 October the gate shut."
    anchor, reference = story_dates(text)
    assert (anchor, reference) == (date(2025, 10, 31), None)
    assert story_dates("The first clash came on 5 May 2017. A terminal will open in March 2027.") == (
        date(2017, 5, 5),
        date(2017, 5, 5),
    )


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("In December 2022 the town was hit directly.", date(2022, 12, 1)),
        ("Late October 2025: fighting closed the crossings.", date(2025, 10, 1)),
        ("The neighbours agreed in February 2021 to observe the truce.", None),  # no frame of its own
    ],
)
def test_a_month_with_its_year_opening_a_sentence(text: str, month: date | None) -> None:
    from geomap._dates import opening_month

    assert opening_month(text) == month


def test_a_month_day_slash_year_date_is_read():
    (hit,) = [h for h in find_dates("On November 18/2025 the army said", date(2025, 11, 20)) if h.value]
    assert hit.value == "2025-11-18"
    # a day range with a slash stays a range with no year
    (rng,) = find_dates("Oct 11/12 the army said", date(2025, 11, 20))
    assert rng.value == "2025-10-11"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Shells fell on Sunday night (March 8). Trade had resumed on February 23, 2026.", date(2026, 3, 8)),
        ("Talks will be held on 20 March. Trade had resumed on February 23, 2026.", None),  # to come
        ("Shelling on 9 December. Trade had resumed on February 23, 2026.", None),  # too far on
        ("Shelling on 2 February. Trade had resumed on February 23, 2026.", None),  # before it
    ],
)
def test_latest_day_ahead_of_the_anchor(text, expected):
    assert latest_day_ahead(text, date(2026, 2, 23), 3) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Delegations will meet in Doha next week.", "2026-04"),
        ("Talks will resume in the coming days.", "2026-04"),
        ("The commission meets next month.", "2026-05"),
        ("The commission met last week.", "2026-04"),
    ],
)
def test_the_month_of_a_week_or_month_to_come(text: str, value: str) -> None:
    (hit,) = find_dates(text, date(2026, 4, 12), "day", None)
    assert (hit.value, hit.precision) == (value, "month")


def test_next_week_at_a_months_end_is_in_the_next_month() -> None:
    (hit,) = find_dates("They will meet next week.", date(2026, 4, 28), "day", None)
    assert hit.value == "2026-05"


@pytest.mark.parametrize(
    "text, first",
    [
        ("closed last year, from 19 March to 1 July 2024, after clashes", "2024-03-19"),
        ("shut from March 19 until July 1, 2024", "2024-03-19"),
        ("closed between 20 December and 5 January 2025", "2024-12-20"),  # a span over a new year
        ("closed on 19 March and reopened on 1 July 2024", "2025-03-19"),  # two dates, no span
    ],
)
def test_a_span_of_dates_gives_its_start_the_year_of_its_end(text: str, first: str) -> None:
    hits = [h for h in find_dates(text, date(2025, 6, 7), "day") if h.kind == "absolute"]
    assert hits[0].value == first


def test_the_weekday_after_the_report_is_the_next_day_but_in_a_digest() -> None:
    # stamped Monday: "on Tuesday" is the next day (a story filed late, behind the place it
    # reports), but in a periodic digest the Tuesday of the week before its issue
    text = "Fighters attacked a post near Tera on Tuesday."
    (late,) = find_dates(text, date(2025, 3, 10), "day")
    (digest,) = find_dates(text, date(2025, 3, 10), "day", late_stamp=False)
    assert (late.value, digest.value) == ("2025-03-11", "2025-03-04")


def test_that_month_is_the_month_told_before_it() -> None:
    hits = find_dates(
        "They fought in October 2025, a clash that ended with a ceasefire agreed that month.",
        date(2026, 2, 19),
        "day",
    )
    assert [(h.text, h.value) for h in hits] == [("in October 2025", "2025-10"), ("that month", "2025-10")]
    # told in an earlier sentence: no value here (the paragraph's told time gives it)
    (alone,) = find_dates("A ceasefire was agreed in Doha that month.", date(2026, 2, 19), "day")
    assert alone.value is None


@pytest.mark.parametrize(
    "text, year",
    [
        ("The clash comes two years after militants attacked posts in Chitral in September 2023.", 2025),
        ("It is a year since the 2024 clashes at the crossing.", 2025),
        ("Since the beginning of 2026, the crossing has closed four times.", 2026),
    ],
)
def test_the_year_a_story_says_it_is_told_in(text: str, year: int) -> None:
    assert told_in_year(text) == date(year, 1, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The border was sealed on Tuesday last week.", "2026-08-11"),
        ("Talks are set for Friday of next week.", "2026-08-28"),
        ("The gate reopened on Monday this week.", "2026-08-17"),
    ],
)
def test_a_weekday_of_a_named_week_is_that_weeks(text, value):
    """A weekday with "last week", "this week" or "next week" is that weekday of that calendar
    week (reported on Monday 17 August 2026), not the nearest such day."""
    (hit,) = find_dates(text, date(2026, 8, 17))
    assert hit.value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the worst fighting since the Taliban returned to power in 2021", 2021),
        ("along the 2,600-km (1,600-mile) border, fenced in 2017 and 2018", 2018),
        ("clashes in 2019; a new fence will be finished in 2027", 2019),  # told as to come
        ("about 2,000 troops were sent to the frontier", None),
    ],
)
def test_latest_year_told(text, expected):
    assert latest_year_told(text) == expected


@pytest.mark.parametrize(
    ("text", "month_day", "from_year", "expected"),
    [
        # "said on Sunday" of clashes "late on Saturday": 12 October on a Sunday, from 2021 on
        (
            "Pakistan said on Sunday that clashes broke out late on Saturday.",
            (10, 12),
            2021,
            date(2025, 10, 12),
        ),
        # 12 October 2023 was a Thursday, but then "Saturday" would be five days before the report
        ("Officials said on Saturday that fighting began on Thursday.", (10, 12), 2021, date(2024, 10, 12)),
        ("Border guards exchanged fire on Friday, officials said.", (9, 16), 2021, date(2022, 9, 16)),
        ("Border guards exchanged fire, officials said.", (9, 16), 2021, None),  # no weekday
        ("Talks will resume on Monday.", (9, 16), 2021, None),  # a weekday to come tells nothing
        # no 29 February from 2021 to 2033 is a Friday
        ("Fighting broke out on Friday.", (2, 29), 2021, None),
    ],
)
def test_day_by_weekdays(text, month_day, from_year, expected):
    assert day_by_weekdays(text, *month_day, from_year) == expected


@pytest.mark.parametrize(
    ("text", "date_text", "expected"),
    [
        ("days before the March 31 deadline for card holders", "March 31", True),
        ("Pakistan has set 31 March as the deadline for them to go", "31 March", True),
        ("holders were ordered to leave Islamabad and Rawalpindi by March 31, 2025", "March 31, 2025", True),
        ("the ultimatum expires on 1 November", "1 November", True),
        ("By March 31, 2025, some 50,000 people had returned", "March 31, 2025", False),
        ("the crossing reopened on March 31, 2025", "March 31, 2025", False),
    ],
)
def test_deadline_at(text, date_text, expected):
    start = text.index(date_text)
    assert deadline_at(text, start, start + len(date_text)) is expected


def test_the_latest_full_date_is_not_a_deadline_set():
    text = (
        "Returnees crossed on Friday, 21 March 2025. Pakistan has ordered card holders to leave "
        "Islamabad and Rawalpindi by March 31, 2025."
    )
    assert latest_full_date(text) == date(2025, 3, 21)


def test_since_a_weekday_is_never_the_day_after_the_stamp():
    """A weekday right after the report's may be the next day for a story stamped late, but a span
    "since Sunday" is one the report has seen go by."""
    stamped = date(2025, 10, 18)  # a Saturday
    (since,) = find_dates("The crossing has remained closed since Sunday, traders said.", stamped)
    (on,) = find_dates("Seoul's military said Sunday that shots were fired.", stamped)
    assert (since.value, on.value) == ("2025-10-12", "2025-10-19")

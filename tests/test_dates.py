"""Dates in news text (``geomap._dates``): numeric dates of tickers, bylines and press releases."""

from __future__ import annotations

import pytest

from geomap._dates import find_dates, latest_full_date


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

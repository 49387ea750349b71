"""Events end to end on short news pieces written for these tests (not the seeds): typical wire and
newspaper phrasing of border incidents, and look-alike distractors that must give nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.articles import read_article
from geomap.events import extract_events
from geomap.incidents import merge_events
from geomap.geoparse import find_mentions

NEWS = Path(__file__).parent / "data" / "news"


def incidents(name: str):
    article = read_article(NEWS / name)
    return merge_events(extract_events(article, find_mentions(article)))


def test_border_roundup():
    got = {(i.event_type, i.place): i for i in incidents("border_roundup.txt")}
    assert set(got) == {("clash", "Mir Ali"), ("clash", "Kurram"), ("crossing", "Torkham"), ("displacement", "Chaman")}
    assert got[("clash", "Mir Ali")].killed == 5 and got[("clash", "Mir Ali")].date == "2025-11-17"
    assert got[("clash", "Kurram")].wounded == 2 and got[("clash", "Kurram")].date == "2025-11-16"
    assert got[("crossing", "Torkham")].sub_event_type == "crossing reopened"
    assert got[("crossing", "Torkham")].date == "2025-11-14"
    assert got[("displacement", "Chaman")].date == "2025-11-15"


def test_wire_story_strike_with_toll_and_planned_talks():
    got = {(i.event_type, i.place): i for i in incidents("wire_drone_strike.txt")}
    strike = got[("strike", "Barmal")]
    assert strike.sub_event_type == "air/drone strike" and strike.killed == 10
    talks = got[("negotiation", "Doha")]
    assert talks.planned and talks.sub_event_type == "talks planned"


@pytest.mark.parametrize(
    "name",
    [
        "distractor_cricket_clash.txt",  # "Pakistan will clash with Afghanistan" in the Asia Cup
        "distractor_visit_threat.txt",  # a planned visit, a press briefing, a threat of war
        "distractor_tourism_history.txt",  # tourism and a strike in 2001
        "distractor_flood.txt",  # four killed by floods: a toll, but no incident of violence
    ],
)
def test_distractors_give_no_incident(name):
    assert incidents(name) == []

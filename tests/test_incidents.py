"""Merging events into incidents: same type, place, compatible dates; sources, tolls, ids, order."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from geomap.incidents import incident_id, merge_events
from geomap.models import BORDER_LINE_PREFIX, Event, Place

ISTANBUL = Place("745044", "Istanbul", 41.014, 28.95, "city", "TR")
KABUL = Place("1138958", "Kabul", 34.528, 69.172, "city", "AF")
KABUL_AIRPORT = Place("x-kbl", "Kabul airport", 34.566, 69.212, "landmark", "AF")  # ~5 km away
CHAMAN = Place("1180295", "Chaman", 30.918, 66.453, "town", "PK")
SPIN_BOLDAK = Place("1127110", "Spin Boldak", 31.005, 66.395, "town", "AF")
BORDER = Place(BORDER_LINE_PREFIX + "AF-PK", "Afghanistan–Pakistan border", 32.5, 69.5, "line")


def ev(
    article,
    etype,
    place,
    when=None,
    published=date(2025, 10, 30),
    killed=None,
    claims=None,
    start=0,
    sub=None,
    geo=1,
    evidence=None,
    planned=False,
):
    prec = None if when is None else ("month" if len(when) == 7 else "day")
    e = Event(
        article,
        published,
        etype,
        sub
        or {
            "strike": "air/drone strike",
            "clash": "armed clash",
            "negotiation": "talks collapsed",
            "crossing": "crossing closed",
        }.get(etype, etype),
        place,
        geo,
        place.lon,
        place.lat,
        when,
        prec,
        killed=killed,
        claims=list(claims or []),
        evidence=evidence or f"{article} {etype} {when}",
        start=start,
        planned=planned,
    )
    return e


def test_merge_one_day_apart_across_articles():
    incs = merge_events(
        [ev("a", "negotiation", ISTANBUL, "2025-10-28"), ev("b", "negotiation", ISTANBUL, "2025-10-29")]
    )
    assert len(incs) == 1
    assert [s["article"] for s in incs[0].sources] == ["a", "b"]


def test_no_merge_two_weeks_apart_at_one_venue():
    incs = merge_events(
        [ev("a", "negotiation", ISTANBUL, "2025-10-28"), ev("b", "negotiation", ISTANBUL, "2025-11-08")]
    )
    assert len(incs) == 2


def test_no_merge_of_different_days_of_fighting():
    incs = merge_events(
        [
            ev("a", "clash", BORDER, "2025-11-06", geo=3),
            ev("a", "clash", BORDER, "2025-11-08", geo=3, start=50),
        ]
    )
    assert len(incs) == 2


def test_no_chain_of_days():
    incs = merge_events(
        [ev("a", "clash", BORDER, d, geo=3) for d in ("2025-10-10", "2025-10-11", "2025-10-12")]
    )
    assert len(incs) == 2


def test_month_joins_day_of_that_month_only():
    incs = merge_events(
        [
            ev("a", "clash", BORDER, "2025-10-12", geo=3),
            ev("b", "clash", BORDER, "2025-10", geo=3),
            ev("c", "clash", BORDER, "2025-11", geo=3),
        ]
    )
    assert len(incs) == 2
    oct_ = next(i for i in incs if i.date == "2025-10-12")
    assert oct_.date_precision == "day" and {s["article"] for s in oct_.sources} == {"a", "b"}


def test_different_type_or_place_stays_apart():
    incs = merge_events(
        [
            ev("a", "strike", KABUL, "2025-10-09"),
            ev("b", "clash", KABUL, "2025-10-09"),
            ev("c", "strike", ISTANBUL, "2025-10-09"),
        ]
    )
    assert len(incs) == 3


def test_within_25_km_merges_across_articles():
    incs = merge_events(
        [ev("a", "strike", KABUL, "2025-10-09"), ev("b", "strike", KABUL_AIRPORT, "2025-10-09")]
    )
    assert len(incs) == 1


def test_two_named_towns_in_one_article_stay_two_reports():
    incs = merge_events(
        [ev("a", "crossing", CHAMAN, None, start=10), ev("a", "crossing", SPIN_BOLDAK, None, start=90)]
    )
    assert len(incs) == 2


def _told(e, day):
    e.day_told = day
    return e


def test_an_incident_no_report_dates_to_the_day_takes_the_day_its_story_tells_it_in():
    (inc,) = merge_events([_told(ev("a", "displacement", CHAMAN, "2025-10"), "2025-10-15")])
    assert (inc.date, inc.date_precision) == ("2025-10-15", "day")


def test_a_day_told_never_outweighs_a_report_that_gives_the_day():
    """The event itself stays dated to the month, so it still joins an incident of another day
    of it, whose reported day wins."""
    (inc,) = merge_events(
        [
            _told(ev("a", "displacement", CHAMAN, "2025-10"), "2025-10-15"),
            ev("b", "displacement", CHAMAN, "2025-10-13"),
        ]
    )
    assert (inc.date, inc.date_precision) == ("2025-10-13", "day")


def test_reports_told_on_different_days_leave_the_month():
    (inc,) = merge_events(
        [
            _told(ev("a", "displacement", CHAMAN, "2025-10"), "2025-10-15"),
            _told(ev("b", "displacement", CHAMAN, "2025-10"), "2025-10-20"),
        ]
    )
    assert (inc.date, inc.date_precision) == ("2025-10", "month")


def test_undated_event_joins_nearest_in_its_article():
    incs = merge_events(
        [
            ev("a", "negotiation", ISTANBUL, "2025-10-28", start=0),
            ev("a", "negotiation", ISTANBUL, "2025-11-08", start=500),
            ev("a", "negotiation", ISTANBUL, None, start=520, evidence="the collapse of the Istanbul talks"),
        ]
    )
    assert len(incs) == 2
    nov = next(i for i in incs if i.date == "2025-11-08")
    assert len(nov.sources) == 2


def test_undated_event_across_articles_joins_latest_before_publication():
    incs = merge_events(
        [
            ev("a", "negotiation", ISTANBUL, "2025-10-28"),
            ev("b", "negotiation", ISTANBUL, "2025-11-08", published=date(2025, 11, 9)),
            ev("c", "negotiation", ISTANBUL, None, published=date(2025, 10, 30)),
        ]
    )
    oct_ = next(i for i in incs if i.date == "2025-10-28")
    assert {s["article"] for s in oct_.sources} == {"a", "c"}


def test_undated_without_publication_joins_only_a_unique_candidate():
    incs = merge_events(
        [
            ev("a", "negotiation", ISTANBUL, "2025-10-28"),
            ev("b", "negotiation", ISTANBUL, "2025-11-08"),
            ev("c", "negotiation", ISTANBUL, None, published=None),
        ]
    )
    assert len(incs) == 3
    incs = merge_events(
        [ev("a", "strike", KABUL, "2025-10-09"), ev("c", "strike", KABUL, None, published=None)]
    )
    assert len(incs) == 1 and incs[0].date == "2025-10-09"
    # two undated reports, neither published on a known day: nothing says they are one incident
    # (two undated clashes on one border may be years apart)
    incs = merge_events(
        [
            ev("a", "clash", CHAMAN, None, published=None),
            ev("b", "clash", CHAMAN, None, published=None),
            ev("c", "clash", CHAMAN, None, published=None),
        ]
    )
    assert len(incs) == 3


def test_killed_is_lowest_claim_and_claims_kept():
    c1 = {
        "killed": 58,
        "wounded": None,
        "text": "killed 58 Pakistani soldiers",
        "claimed_by": "Afghan Taliban",
        "article": "a",
    }
    c2 = {
        "killed": 23,
        "wounded": 29,
        "text": "23 personnel had been killed and 29 wounded",
        "claimed_by": "Pakistan military",
        "article": "b",
    }
    incs = merge_events(
        [
            ev("a", "clash", BORDER, "2025-10-12", killed=58, claims=[c1], geo=3),
            ev("b", "clash", BORDER, "2025-10-12", killed=23, claims=[c2], geo=3),
        ]
    )
    assert len(incs) == 1
    assert incs[0].killed == 23 and incs[0].wounded == 29
    assert {c["claimed_by"] for c in incs[0].claims} == {"Afghan Taliban", "Pakistan military"}


def test_most_precise_place_and_date():
    incs = merge_events(
        [
            ev("a", "strike", BORDER, "2025-10", geo=3),
            ev("b", "strike", BORDER, "2025-10-09", geo=3),
        ]
    )
    assert incs[0].date == "2025-10-09" and incs[0].date_precision == "day"


def test_of_reports_on_one_border_line_the_narrowest_gives_the_point():
    """One story puts "the border" at its own point for each sentence: the incident keeps the
    one a named place narrows down, whatever the order of the sentences."""
    import dataclasses

    wide = ev("a", "clash", BORDER, geo=3, start=0)
    wide.geo_uncertainty_km = 68.0
    narrow = ev("a", "clash", dataclasses.replace(BORDER, lat=33.58, lon=70.16), geo=3, start=200)
    narrow.lat, narrow.lon, narrow.geo_uncertainty_km = 33.58, 70.16, 25.0
    for events in ([wide, narrow], [narrow, wide]):
        (inc,) = merge_events(events)
        assert (inc.lat, inc.lon, inc.geo_uncertainty_km) == (33.58, 70.16, 25.0)


def test_stable_ids_and_order():
    events = [
        ev("b", "crossing", CHAMAN, None),
        ev("a", "strike", KABUL, "2025-10-09"),
        ev("a", "negotiation", ISTANBUL, "2025-10-28"),
        ev("c", "clash", BORDER, "2025-10-12", geo=3),
    ]
    first = merge_events(events)
    again = merge_events(list(reversed(events)))
    assert [i.id for i in first] == [i.id for i in again]
    assert [i.date for i in first] == ["2025-10-09", "2025-10-12", "2025-10-28", None]
    assert first[0].id == incident_id("strike", KABUL.place_id, "2025-10-09")
    assert len({i.id for i in first}) == len(first)


def test_ids_disambiguated_when_type_place_date_repeat():
    incs = merge_events(
        [
            ev("a", "crossing", CHAMAN, None, start=0, evidence="one"),
            ev("a", "crossing", SPIN_BOLDAK, None, start=50, evidence="two"),
            ev("b", "crossing", CHAMAN, None, published=None, evidence="three"),
        ]
    )
    assert len({i.id for i in incs}) == len(incs)


def test_properties_shape():
    inc = merge_events([ev("a", "strike", KABUL, "2025-10-09")])[0]
    props = inc.properties()
    assert props["event_type"] == "strike" and props["sources"][0] == {
        "article": "a",
        "published": "2025-10-30",
        "evidence": "a strike 2025-10-09",
        "url": None,
        "title": None,
        "outlet": None,
    }


def test_a_source_names_its_articles_address_title_and_outlet():
    """The contract's sources: each article's url, title and outlet, where it states them."""
    report = ev("a", "strike", KABUL, "2025-10-09")
    report.source = {
        "url": "https://example.org/2025/10/09/kabul",
        "title": "Strike on Kabul",
        "outlet": "Example",
    }
    (inc,) = merge_events([report, ev("b", "strike", KABUL, "2025-10-09")])
    by_article = {s["article"]: s for s in inc.properties()["sources"]}
    assert by_article["a"]["url"] == "https://example.org/2025/10/09/kabul"
    assert (by_article["a"]["title"], by_article["a"]["outlet"]) == ("Strike on Kabul", "Example")
    assert (by_article["b"]["url"], by_article["b"]["title"], by_article["b"]["outlet"]) == (None, None, None)


# --------------------------------------------------------------------------------------------
# the same merge on disk (extract of a corpus of any size)


def _corpus_events():
    from pathlib import Path

    from geomap.pipeline import run_articles
    from geomap.settings import SEEDS_DIR

    data = Path(__file__).parent / "data"
    _, events = run_articles([SEEDS_DIR, data / "news", data / "events"], keep_places=False)
    return events


def test_merge_on_disk_gives_exactly_the_incidents_of_merge_events(tmp_path):
    import dataclasses
    import random

    from geomap.incidents import MergeOnDisk

    events = _corpus_events()
    expected = [dataclasses.asdict(i) for i in merge_events(events)]
    assert len(expected) > 20
    # Articles arrive in any order (workers, a cluster): the result does not depend on it.
    by_article: dict[str, list] = {}
    for e in events:
        by_article.setdefault(e.article, []).append(e)
    names = sorted(by_article)
    random.Random(7).shuffle(names)
    with MergeOnDisk(folder=str(tmp_path)) as store:
        for name in names:
            store.add(by_article[name])
        got = [dataclasses.asdict(i) for i in store.incidents()]
        assert len(list(tmp_path.iterdir())) == 1  # one private working folder while merging
    assert got == expected
    assert list(tmp_path.iterdir()) == []  # removed afterwards


AFGHANISTAN = Place("1149361", "Afghanistan", 33.0, 65.0, "country", "AF")
TORKHAM = Place("x-tor", "Torkham", 34.10, 71.09, "crossing", "PK")
KABUL_CORNER = Place("x-corner", "Qarabagh", 34.728, 69.422, "town", "AF")  # in Kabul's box, 32 km away
TORKHAM_AF = Place("x-tor-af", "Torkham (Afghan side)", 34.11, 71.07, "crossing", "AF")  # ~2 km away

# Reports that exercise each rule of the merge across articles: a month among day-dated incidents
# (most sources win), undated reports with and without a publication date (one known to the month
# only), a country and a place inside it, a crossing closed and reopened, near points under other
# ids and a point in the box around a place but farther than MERGE_KM, an article's own reports, and
# an event whose date rules every incident out.
SCENARIOS = {
    "month among days": [
        ev("a", "clash", KABUL, "2025-10-05"),
        ev("b", "clash", KABUL, "2025-10-20"),
        ev("c", "clash", KABUL, "2025-10-20"),
        ev("d", "clash", KABUL_AIRPORT, "2025-10"),
        ev("e", "clash", KABUL, "2025-11"),
        ev("f", "clash", KABUL, "2025-10-08"),
    ],
    "undated": [
        ev("a", "negotiation", ISTANBUL, "2025-10-28"),
        ev("b", "negotiation", ISTANBUL, "2025-11-08"),
        ev("c", "negotiation", ISTANBUL, None, published=date(2025, 11, 9)),
        ev("d", "negotiation", ISTANBUL, None, published=date(2025, 11, 1)),
        ev("e", "negotiation", ISTANBUL, None, published=None),
        ev("f", "strike", KABUL, "2025-10-09"),
        ev("g", "strike", KABUL_AIRPORT, None, published=None),
        ev("h", "strike", KABUL, None, published=date(2025, 10, 1)),
        ev("i", "negotiation", ISTANBUL, None, published=date(2025, 11, 8)),
    ],
    "days at the edge": [
        ev("a", "strike", KABUL, "2025-10-11", start=0),
        ev("a", "strike", KABUL, "2025-10-11", start=50),
        ev("a", "strike", KABUL, "2025-10-12", start=90),
        ev("b", "strike", KABUL, "2025-10-11"),
        ev("c", "strike", KABUL, "2025-10-20"),
        ev("d", "strike", KABUL, "2025-10-13"),
        ev("e", "strike", KABUL_CORNER, "2025-10-12"),
    ],
    "country and place": [
        ev("a", "strike", AFGHANISTAN, "2025-10-09", geo=3),
        ev("b", "strike", KABUL, "2025-10-09"),
        ev("c", "strike", KABUL_AIRPORT, "2025-10-10"),
        ev("d", "strike", AFGHANISTAN, None, geo=3),
        ev("e", "strike", AFGHANISTAN, "2025-10", geo=3),
        ev("f", "strike", CHAMAN, "2025-10-09"),
        ev("g", "strike", KABUL, "2025-10-20"),
        ev("h", "strike", AFGHANISTAN, "2025-10-20", geo=3),
    ],
    "crossings": [
        ev("a", "crossing", TORKHAM, "2025-10-12"),
        ev("b", "crossing", TORKHAM_AF, "2025-10-12"),
        ev("c", "crossing", TORKHAM, "2025-10-12", sub="crossing reopened"),
        ev("d", "crossing", TORKHAM, None, sub="crossing reopened"),
        ev("e", "crossing", BORDER, "2025-10-13", geo=3),
        ev("f", "crossing", BORDER, None, geo=3),
    ],
    "own article and far dates": [
        ev("a", "clash", CHAMAN, "2025-10-12", start=0),
        ev("a", "clash", SPIN_BOLDAK, "2025-10-12", start=90),
        ev("b", "clash", SPIN_BOLDAK, "2025-10-13"),
        ev("c", "clash", CHAMAN, "2025-10-15"),
        ev("c", "clash", CHAMAN, "2025-10", start=40),
        ev("d", "clash", BORDER, "2025-10-12", geo=3),
    ],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_merge_on_disk_follows_every_rule_as_merge_events(name, tmp_path):
    import dataclasses

    from geomap.incidents import MergeOnDisk

    events = SCENARIOS[name]
    expected = [dataclasses.asdict(i) for i in merge_events(events)]
    with MergeOnDisk(folder=str(tmp_path)) as store:
        for article in sorted({e.article for e in events}, reverse=True):
            store.add([e for e in events if e.article == article])
        got = [dataclasses.asdict(i) for i in store.incidents()]
    assert got == expected
    assert len(expected) < len(events)  # the scenario merges something


def test_merge_on_disk_keeps_its_incidents_in_the_file(tmp_path):
    from geomap.incidents import MergeOnDisk

    events = SCENARIOS["country and place"]
    with MergeOnDisk(folder=str(tmp_path)) as store:
        store.add(events)
        n = sum(1 for _ in store.incidents())
        db = store._db
        assert db.execute("SELECT count(*) FROM groups").fetchone() == (n,)
        # every incident is found by its place id, its grid cell and its country
        for kind in "pcs":
            assert db.execute(
                "SELECT count(DISTINCT gid) FROM group_keys WHERE key LIKE ?", (f"{kind} %",)
            ).fetchone() == (n,)
        assert db.execute(
            "SELECT count(DISTINCT gid) FROM group_keys WHERE key = 'l strike AF'"
        ).fetchone() == (2,)


def test_wire_copies_corroborate_once():
    wire = "Pakistani and Afghan troops exchanged fire at Chaman on Sunday, officials said."
    one = merge_events([ev("a.txt", "clash", CHAMAN, "2025-10-12", evidence=wire)])
    copies = merge_events(
        [
            ev("a.txt", "clash", CHAMAN, "2025-10-12", evidence=wire),
            # the same wire story in another outlet, punctuation and case aside
            ev("b.txt", "clash", CHAMAN, "2025-10-12", evidence=wire.upper().replace(",", "")),
        ]
    )
    own_words = merge_events(
        [
            ev("a.txt", "clash", CHAMAN, "2025-10-12", evidence=wire),
            ev("c.txt", "clash", CHAMAN, "2025-10-12", evidence="Troops traded fire near Chaman on Sunday."),
        ]
    )
    assert len(copies) == len(own_words) == 1
    assert len(copies[0].sources) == 2  # both outlets are listed
    assert copies[0].confidence == one[0].confidence < own_words[0].confidence


def test_a_province_folds_into_a_place_of_its_own_only():
    """The lede's "strikes on Nabatieh" (the province) restate the strike at a town of that
    province, not one at a crossing of another province 55 km away."""
    nabatieh = Place("x-nab", "An Nabaţīyah", 33.38, 35.48, "province", "LB", "An Nabaţīyah")
    town = Place("x-nab-town", "Nabatîyé et Tahta", 33.378, 35.484, "city", "LB", "An Nabaţīyah")
    masnaa = Place("x-masnaa", "Masnaa–Jdeidet Yabous", 33.69, 36.07, "crossing", "LB", "Beqaa")
    apart = merge_events([ev("a", "strike", masnaa, geo=1), ev("a", "strike", nabatieh, geo=3, start=400)])
    assert sorted(i.place for i in apart) == ["An Nabaţīyah", "Masnaa–Jdeidet Yabous"]
    folded = merge_events([ev("a", "strike", town, geo=1), ev("a", "strike", nabatieh, geo=3, start=400)])
    assert [i.place for i in folded] == ["Nabatîyé et Tahta"]


def _lede_and_body(etype, lede, lede_when, body, body_when, lede_geo=3, body_geo=1):
    """The places of the incidents one article gives when its lede puts an event at ``lede`` and
    its body at ``body``: one place when the lede restates the body's event."""
    return sorted(
        i.place
        for i in merge_events(
            [
                ev("a", etype, lede, lede_when, geo=lede_geo),
                ev("a", etype, body, body_when, geo=body_geo, start=300),
            ]
        )
    )


def test_a_large_province_folds_into_a_town_of_its_own_however_far_its_centre():
    """The headline's "bridge to Texas" restates the fight at Laredo, 390 km from the state's
    centre; a town of another state keeps its own report."""
    texas = Place("x-tx", "Texas", 31.25, -99.25, "province", "US", "Texas")
    laredo = Place("x-laredo", "Laredo", 27.506, -99.507, "city", "US", "Texas")
    yuma = Place("x-yuma", "Yuma", 32.725, -114.624, "city", "US", "Arizona")
    assert _lede_and_body("clash", texas, "2025-03", laredo, "2025-03-16") == ["Laredo"]
    assert _lede_and_body("clash", texas, "2025-03", yuma, "2025-03-16") == ["Texas", "Yuma"]


def test_a_region_of_several_countries_folds_into_a_town_near_it():
    """The lede's "Iraq's Kurdistan region" (a region no one country holds) restates the drone
    strike at Amadiya; a strike 700 km away keeps its own report."""
    kurdistan = Place("x-kurd", "Kurdistan", 36.5, 44.0, "region", None)
    amadiya = Place("x-amadiya", "Amadiya", 37.092, 43.488, "village", "IQ", "Duhok")
    basra = Place("x-basra", "Basra", 30.508, 47.783, "city", "IQ", "Basra")
    assert _lede_and_body("strike", kurdistan, "2024-08-14", amadiya, "2024-08") == ["Amadiya"]
    assert _lede_and_body("strike", kurdistan, "2024-08-14", basra, "2024-08") == ["Basra", "Kurdistan"]


def test_a_district_restates_a_spot_near_its_point_in_its_own_province():
    """The lede's "Zhob district" and the body's "the Sambaza area of Zhob", 14 km apart: one
    clash; a spot as near in another province, or two districts, stay two reports."""
    zhob = Place("x-zhob", "Zhob District", 31.35, 69.30, "district", "PK", "Balochistan")
    sambaza = Place("x-sambaza", "Sambaza", 31.34, 69.45, "landmark", "PK", "Balochistan")
    other = Place("x-other", "Mir Ali", 31.40, 69.40, "landmark", "PK", "Khyber Pakhtunkhwa")
    musakhel = Place("x-musa", "Musakhel District", 31.40, 69.45, "district", "PK", "Balochistan")
    lede, body = (
        ev("a", "clash", zhob, "2025-08", geo=2),
        ev("a", "clash", sambaza, "2025-08-18", geo=2, start=300),
    )
    lede.geo_uncertainty_km, body.geo_uncertainty_km = 30.0, 2.0  # a district's extent, a spot's
    one = merge_events([lede, body])
    assert [i.place for i in one] == ["Sambaza"]
    for place in (other, musakhel):
        apart = _lede_and_body("clash", zhob, "2025-08", place, "2025-08-18", lede_geo=2, body_geo=2)
        assert len(apart) == 2, place.name


def test_a_district_restates_a_farther_spot_its_sentence_puts_in_the_district():
    """The headline's "Kurram" and the body's "the Kharlachi area of Kurram district", 34 km from
    the district's point: one clash, which the other side's account from Dand Patan (a district
    across the border, 3 km from the crossing) joins too. A district told deep in the body is no
    restatement of a spot as far away whose sentence names no district."""
    kurram = Place("x-kurram", "Kurram District", 33.75, 70.3, "district", "PK", "Khyber Pakhtunkhwa")
    kharlachi = Place("x-kh", "Kharlachi", 33.8022, 69.9338, "crossing", "PK", "Khyber Pakhtunkhwa")
    dand_patan = Place("x-dp", "Dand-e-Patan", 33.78, 69.95, "district", "AF", "Paktia")
    head = ev("a", "clash", kurram, "2026-03", geo=2, evidence="Afghan forces target Kurram border posts")
    body = ev(
        "a",
        "clash",
        kharlachi,
        "2026-03-16",
        start=133,
        evidence="posts in the Kharlachi area of Kurram district",
    )
    other_side = ev("a", "clash", dand_patan, "2026-03", geo=2, start=1900, evidence="wounded in Dand Patan")
    assert [(i.place, len(i.sources)) for i in merge_events([head, body, other_side])] == [("Kharlachi", 3)]
    # the headline restates the body's spot even where the body's sentence names no district
    body.evidence = "Afghan forces opened fire on posts in the Kharlachi area"
    assert [i.place for i in merge_events([head, body])] == ["Kharlachi"]
    # a district told deep in the body is no restatement of a spot as far away
    deep = dataclasses.replace(head, start=2000, evidence="shelling in Kurram district")
    later = dataclasses.replace(body, start=2600)
    assert sorted(i.place for i in merge_events([deep, later])) == ["Kharlachi", "Kurram District"]


def test_a_province_across_the_border_restates_the_crossing_beside_it():
    """Afghan officials' "clash in Nangarhar" and the clash at Torkham (which the tables put on
    the Pakistani side) are one; a province across another border, or far away, is not."""
    torkham = Place("x-torkham", "Torkham", 34.1147, 71.0847, "crossing", "PK", "Khyber Pakhtunkhwa")
    nangarhar = Place("x-ngr", "Nangarhar", 34.17, 70.62, "province", "AF", "Nangarhar")
    kandahar = Place("x-kdr", "Kandahar Province", 31.0, 65.75, "province", "AF", "Kandahar")
    assert _lede_and_body("clash", nangarhar, "2024-08", torkham, "2024-08-14") == ["Torkham"]
    assert _lede_and_body("clash", kandahar, "2024-08", torkham, "2024-08-14") == [
        "Kandahar Province",
        "Torkham",
    ]


def test_a_town_named_like_its_province_restates_a_spot_told_after_it_in_that_province():
    """The headline's "drone strike in Kandahar kills five" over the body's "Shorabak district of
    Kandahar province": one strike, at Shorabak. A town told after the spot, a toll of its own,
    another province's spot, or a town named like no area, stay two reports."""
    from geomap.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    kandahar = next(p for p in gaz.lookup("Kandahar") if p.kind == "city" and p.country == "AF")
    shorabak = next(p for p in gaz.lookup("Shorabak") if p.kind == "district")
    spin_boldak = Place("x-sb", "Spin Boldak", 31.005, 66.399, "town", "AF", kandahar.admin1)
    jalalabad = next(p for p in gaz.lookup("Jalalabad") if p.country == "AF")

    def incidents(head, body, head_killed=None, body_killed=5, head_start=0, body_start=300):
        return sorted(
            (i.place, i.geo_precision)
            for i in merge_events(
                [
                    ev("a", "strike", head, "2026-03-02", killed=head_killed, start=head_start),
                    ev("a", "strike", body, "2026-03-02", killed=body_killed, geo=2, start=body_start),
                ]
            )
        )

    assert incidents(kandahar, shorabak) == [("Shorabak", 2)]
    assert incidents(kandahar, shorabak, head_killed=5) == [("Shorabak", 2)]
    assert incidents(kandahar, spin_boldak) == [("Spin Boldak", 2)]
    assert len(incidents(kandahar, shorabak, head_killed=2)) == 2  # "two killed in Kandahar city"
    assert len(incidents(kandahar, shorabak, head_start=600)) == 2  # told after the spot's report
    assert len(incidents(kandahar, jalalabad)) == 2
    peshawar = next(p for p in gaz.lookup("Peshawar") if p.kind == "city")
    mardan = Place("x-mardan", "Mardan", 34.198, 72.045, "city", "PK", peshawar.admin1)
    assert len(incidents(peshawar, mardan)) == 2  # Khyber Pakhtunkhwa is no "Peshawar"


def test_a_country_is_no_bridge_between_two_towns_of_one_article():
    """ "Israel" restates the Safed strike; it does not make the Kiryat Shmona strike the same one."""
    safed = Place("x-safed", "Safed", 32.965, 35.496, "town", "IL")
    kiryat = Place("x-ks", "Qiryat Shmona", 33.207, 35.572, "town", "IL")
    israel = Place("294640", "Israel", 31.5, 34.75, "country", "IL")
    incs = merge_events(
        [
            ev("a", "strike", safed, "2024-02-14", killed=1),
            ev("a", "strike", israel, geo=3, start=100),
            ev("a", "strike", kiryat, start=200, killed=0),
        ]
    )
    assert sorted(i.place for i in incs) == ["Qiryat Shmona", "Safed"]


def test_places_on_two_sides_of_a_border_are_two_reports():
    nabatieh = Place("x-nab", "An Nabaţīyah", 33.38, 35.48, "province", "LB", "An Nabaţīyah")
    kiryat = Place("x-ks", "Qiryat Shmona", 33.207, 35.572, "town", "IL", "Northern District")
    incs = merge_events([ev("a", "strike", nabatieh, geo=3), ev("a", "strike", kiryat, start=200)])
    assert len(incs) == 2


def test_two_districts_of_one_article_are_two_reports():
    poonch = Place("x-poonch", "Punch", 33.77, 74.1, "district", "IN", "Jammu and Kashmir")
    rajouri = Place("x-rajouri", "Rājauri", 33.38, 74.3, "district", "IN", "Jammu and Kashmir")
    incs = merge_events([ev("a", "strike", poonch, geo=2), ev("a", "strike", rajouri, geo=2, start=300)])
    assert sorted(i.place for i in incs) == ["Punch", "Rājauri"]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_a_country_report_bridges_no_province_to_another_areas_crossing(order):
    lebanon = Place("272103", "Lebanon", 33.83, 35.83, "country", "LB")
    masnaa = Place("x-masnaa", "Masnaa–Jdeidet Yabous", 33.70, 35.92, "crossing", "LB", "Beqaa")
    nabatieh = Place("x-nab", "An Nabaţīyah", 33.31, 35.54, "province", "LB", "An Nabaţīyah")
    evs = [
        ev("a", "strike", lebanon, "2024-10-04", geo=3, start=0),
        ev("a", "strike", masnaa, "2024-10-04", start=100),
        ev("a", "strike", nabatieh, "2024-10-04", geo=3, start=200),
    ]
    incs = merge_events([evs[i] for i in order])
    assert sorted(i.place for i in incs) == ["An Nabaţīyah", "Masnaa–Jdeidet Yabous"]


def test_fighting_or_a_closing_at_a_crossing_and_at_its_town_is_one_but_a_reopening_is_apart():
    chaman = Place("x-chaman", "Chaman", 30.918, 66.453, "town", "PK")
    gate = Place("x-gate", "Chaman border crossing", 30.905, 66.43, "crossing", "PK")
    assert (
        len(
            merge_events(
                [ev("a", "clash", chaman, "2025-10-15"), ev("a", "clash", gate, "2025-10-15", start=300)]
            )
        )
        == 1
    )
    crossings = [ev("a", "crossing", chaman, "2025-10-15"), ev("a", "crossing", gate, "2025-10", start=300)]
    assert len(merge_events(crossings)) == 1  # the closing told at the town and at the crossing
    reopened = ev("a", "crossing", gate, "2025-10-15", start=600)
    reopened.sub_event_type = "crossing reopened"
    assert len(merge_events([*crossings, reopened])) == 2


def test_a_clash_told_from_both_sides_of_the_border_is_one():
    """Chaman's and Spin Boldak's accounts of one exchange of fire across the border are one clash."""
    chaman = Place("x-chaman", "Chaman", 30.918, 66.453, "town", "PK")
    boldak = Place("x-boldak", "Spin Boldak", 31.005, 66.395, "town", "AF")
    incs = merge_events(
        [ev("a", "clash", chaman, "2025-10-15"), ev("a", "clash", boldak, "2025-10-15", geo=2, start=300)]
    )
    assert len(incs) == 1
    # both towns named as such (a ticker's two accounts): still one clash, but two strikes
    for etype, n in (("clash", 1), ("strike", 2)):
        incs = merge_events(
            [ev("a", etype, chaman, "2025-10-15"), ev("a", etype, boldak, "2025-10-15", start=300)]
        )
        assert len(incs) == n


def test_a_crossing_and_its_town_closed_the_same_day_are_one_closing():
    gate = Place("gm:crossing:chaman", "Friendship Gate", 30.9, 66.45, "crossing", "PK")
    incs = merge_events(
        [
            ev("a", "crossing", CHAMAN, "2025-10-12", start=0),
            ev("a", "crossing", gate, "2025-10-12", start=300),
        ]
    )
    assert len(incs) == 1

"""Events end to end on short news pieces written for these tests (not the seeds): typical wire and
newspaper phrasing of border incidents, and look-alike distractors that must give nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geomap._parse import UNRELATED
from geomap.articles import article_from_text, read_article
from geomap.events import extract_events
from geomap.geoparse import find_mentions
from geomap.incidents import merge_events

NEWS = Path(__file__).parent / "data" / "news"


def incidents(name: str):
    article = read_article(NEWS / name)
    return merge_events(extract_events(article, find_mentions(article)))


def text_incidents(text: str, published: date = date(2025, 10, 10)):
    article = article_from_text("t.txt", text, published=published)
    return merge_events(extract_events(article, find_mentions(article)))


def typed_places(text: str, published: date = date(2026, 11, 4)) -> set[tuple[str, str, str]]:
    """(type, sub-type, place) of each incident of a text."""
    return {(i.event_type, i.sub_event_type, i.place) for i in text_incidents(text, published)}


def test_border_roundup():
    got = {(i.event_type, i.place): i for i in incidents("border_roundup.txt")}
    assert set(got) == {
        ("clash", "Mir Ali"),
        ("clash", "Kurram"),
        ("crossing", "Torkham"),
        ("displacement", "Chaman"),
    }
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
        "distractor_trade_figures.txt",  # trade statistics; "border closures in past years"
        # "attacked the stumps", "firing into the air", "will meet again"
        "distractor_cricket_celebration.txt",
    ],
)
def test_distractors_give_no_incident(name):
    assert incidents(name) == []


def test_byline_date_and_places_where_statements_were_made():
    # "Published October 12, 2025" dates the story; "officials in Quetta said" and "a statement
    # issued in Rawalpindi" name where people spoke, not where anything happened.
    got = {(i.event_type, i.place): i for i in incidents("byline_attribution.txt")}
    assert set(got) == {
        ("clash", "North Waziristan"),
        ("crossing", "Chaman border crossing"),
        ("strike", "Barmal"),
        ("displacement", "Torkham"),
    }
    assert (
        got[("clash", "North Waziristan")].date == "2025-10-11"
        # 12 soldiers killed, and eight attackers killed by the troops who responded
        and got[("clash", "North Waziristan")].killed == 20
    )
    # "remained closed for a third day on Friday": closed since Wednesday
    assert got[("crossing", "Chaman border crossing")].date == "2025-10-08"
    assert got[("strike", "Barmal")].date == "2025-10-09" and got[("strike", "Barmal")].killed == 5


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # a toll of zero is a figure, and "no one" negates no incident
        (
            "Two people were hurt and no one was killed in the blast in Kabul on Sunday.",
            ("strike", "Kabul", 0, 2),
        ),
        # a stated zero is the toll of the fight just told, for what it gives no figure of
        (
            "Pakistani forces fired mortar rounds into Khost on Friday night, wounding two children. "
            "No deaths were reported.",
            ("strike", "Khost", 0, 2),
        ),
        (
            "A rocket fired from Lebanon struck a building in Kiryat Shmona on Monday, causing heavy "
            "damage but no injuries.",
            ("strike", "Qiryat Shmona", 0, 0),
        ),
        (
            "Shells fell in the Karnah area of Kupwara overnight, damaging six houses. "
            "No loss of life has been reported.",
            ("strike", "Kupwara", 0, None),
        ),
        # a zero for one people is no zero for the fight
        (
            "Shells hit Chaman on Sunday, killing two soldiers. No civilians were hurt.",
            ("strike", "Chaman", 2, 0),
        ),
        # nobody hurt: nobody killed either
        ("Nobody was injured in the explosion in Jalalabad on Sunday.", ("strike", "Jalalabad", 0, 0)),
        # "cross-border shelling" is one incident, not a strike and a clash
        (
            "Afghanistan said cross-border shelling hit villages in Kunar on Saturday.",
            ("strike", "Kunar", None, None),
        ),
        # people forced from their villages are displaced
        (
            "Around 1,500 people were forced to leave their villages in Bajaur on Sunday.",
            ("displacement", "Bajaur", None, None),
        ),
        # officials of a district speak of what happened there (only a large city is a mere venue)
        (
            "Officials in Kurram said five people were killed in the shelling on Sunday.",
            ("strike", "Kurram", 5, None),
        ),
        # an appositive between the crossing and its verb
        (
            "The Torkham crossing, the main trade route between the two countries, was closed on Sunday.",
            ("crossing", "Torkham", None, None),
        ),
        # an attack repelled, an enemy engaged: a fight (an army's press release)
        (
            "Troops on Saturday repelled an attack by terrorists on their location in Gamboru, Borno State.",
            ("clash", "Gamboru", None, None),
        ),
        (
            "On Sunday the intruders were engaged by troops of the border force near Kupwara.",
            ("clash", "Kupwara", None, None),
        ),
        # a border bridge closed (named by the towns it joins)
        (
            "The Gamboru-Fotokol bridge was temporarily closed to civilian traffic on Saturday.",
            ("crossing", "Gamboru–Fotokol", None, None),
        ),
        # a fight told with no place of its own, right after a sentence that placed what it told
        (
            "On Sunday night forces detected a group of militants in the Sambaza area of Zhob district. "
            "Troops engaged and thwarted the infiltration attempt.",
            ("clash", "Sambaza", None, None),
        ),
        # a house struck, fire with mortars, positions taken under fire: strikes
        (
            "Five people were killed on Sunday when a house was struck in the Spera district of Khost.",
            ("strike", "Spērah", 5, None),
        ),
        (
            "On Sunday militants opened harassment fire with mortars towards the Karkamış border gate.",
            ("strike", "Karkamış–Jarabulus", None, None),
        ),
        (
            "On Sunday the positions were taken under effective fire north of Manbij.",
            ("strike", "north of Manbij", None, None),
        ),
    ],
)
def test_news_phrasing(sentence, expected):
    from geomap.gazetteer import normalize

    (inc,) = text_incidents(sentence)
    assert (inc.event_type, normalize(inc.place), inc.killed, inc.wounded) == (
        expected[0],
        normalize(expected[1]),
        *expected[2:],
    )


def test_a_soldier_s_home_in_his_biography_is_no_place_of_the_fight():

    article = article_from_text(
        "t.txt",
        "Two soldiers (age 31 years, resident of District Kohat) were killed in an exchange of fire "
        "on Sunday.",
        published=date(2025, 10, 10),
    )
    incidents = merge_events(extract_events(article, find_mentions(article)))
    assert incidents == [] or all(i.place != "Kohat" for i in incidents), incidents


@pytest.mark.parametrize(
    "sentence",
    [
        "No one was hurt in Bajaur on Sunday.",
        "Officials said there had been no shelling in Kurram on Sunday.",
        # a crossing opened or closed only as what talks, demands or hopes are about
        "Talks on reopening the Torkham crossing are expected to continue in the coming days.",
        "Pakistan remains open to talks to reopen the Torkham crossing, an official said on Monday.",
        "Traders demanded the reopening of the Chaman crossing on Monday.",
        # "close to the border" is near it, not a closing
        "Shepherds graze their flocks close to the border with Ethiopia in al-Fashaga.",
        # people counted as a population, travel, armed men hiding: no flight reported
        "Famine was confirmed on Monday in Zamzam camp for internally displaced people near El Fasher.",
        "About 2,500 people had crossed in both directions through Torkham by Friday evening.",
        "Pakistan says Baloch separatists find shelter in Iran.",
        # a crossing's daily hours are no closing
        "The gates at the Torkham crossing open at 8 am and close at 6 pm daily.",
        # travellers held up by a closure have fled nothing
        "Thousands of travellers were stranded at Torkham on Sunday.",
        # armed men fleeing are no displaced people
        "Troops pursued the fleeing terrorists towards the border town of Chaman on Sunday.",
        # struck, but by no one's arms
        "Lightning struck the old fort near Chaman on Sunday.",
        "The council closed the old bridge in Chaman for repairs on Sunday.",
    ],
)
def test_nothing_happened_is_no_incident(sentence):

    article = article_from_text("t.txt", sentence, published=date(2025, 10, 10))
    assert extract_events(article, find_mentions(article)) == []


def test_ceasefire_roundup_planned_meeting_returns_and_the_striking_side():
    got = {(i.event_type, i.place): i for i in incidents("ceasefire_roundup.txt")}
    assert got[("negotiation", "Doha")].sub_event_type == "ceasefire agreed"
    assert got[("negotiation", "Doha")].date == "2025-10-19"  # "Published On 19 Oct 2025", "on Sunday"
    meeting = got[("negotiation", "Istanbul")]  # "The two sides will meet again in Istanbul on October 25"
    assert meeting.planned and meeting.sub_event_type == "talks planned" and meeting.date == "2025-10-25"
    assert got[("strike", "Paktika")].killed == 10
    assert "Pakistan military" in got[("strike", "Paktika")].actors  # "Pakistani air strikes"
    assert got[("displacement", "Torkham")].sub_event_type == "refugees returning"  # "Afghans ... returning"


def test_afghan_side_report_dateline_with_agency():
    # "Kabul, Oct 12, 2025 (TOLOnews) –" dates the story, but is not the date of the operations
    # "late Saturday night" it reports; "operations against ... military posts" is an attack.
    article = read_article(NEWS / "afghan_side_report.txt")
    assert article.published.isoformat() == "2025-10-12"
    got = {(i.event_type, i.sub_event_type): i for i in incidents("afghan_side_report.txt")}
    attack = got[("clash", "attack on border post")]
    assert attack.date == "2025-10-11" and attack.wounded == 30
    shelling = got[("strike", "shelling/artillery")]
    assert (
        shelling.place.startswith("Spin Boldak") and shelling.date == "2025-10-12" and shelling.wounded == 4
    )


def test_news_page_in_html_with_a_named_gate():
    # A newspaper page: the publication date from its metadata, menus and "most popular" lists
    # dropped, and "the Friendship Gate remained closed": the gate is the crossing that closed.
    # The mortar shells that landed in Chaman, with no day of their own, are the exchange's: its
    # toll, not a second incident.
    got = {(i.event_type, i.sub_event_type): i for i in incidents("page_chaman_clash.html")}
    fight = got[("clash", "cross-border fire")]
    assert fight.date == "2025-10-14" and fight.wounded == 4  # "late on Tuesday night"
    closed = got[("crossing", "crossing closed")]
    assert closed.place == "Chaman border crossing" and closed.date == "2025-10-15"
    assert not any(i.event_type == "strike" for i in got.values())
    assert not any(i.place in {"Lahore", "Karachi", "Peshawar"} for i in got.values())


def _events(text: str):

    article = article_from_text("t.txt", text, published=date(2024, 5, 20))
    return extract_events(article, find_mentions(article))


@pytest.mark.parametrize(
    "text,pair,near,within_km",
    [
        # a named demarcation line is a border word of its own pair, placed where the story is
        (
            "Troops traded fire along the Line of Control on Sunday. Officials in Kupwara said "
            "two soldiers were hurt.",
            "IN-PK",
            (74.264, 34.031),  # Kupwara (GeoNames)
            40,
        ),
        (
            "Soldiers exchanged fire across the Blue Line on Sunday. Residents of Kfar Kila said "
            "two houses were hit.",
            "IL-LB",
            (35.58, 33.28),  # Kfar Kila
            25,
        ),
    ],
)
def test_a_named_line_puts_the_event_on_its_border_near_the_story(text, pair, near, within_km):
    from geomap.distance import haversine_km
    from geomap.models import BORDER_LINE_PREFIX

    (ev,) = [e for e in _events(text) if e.event_type in ("clash", "strike")]
    assert ev.border == pair and ev.place.place_id == BORDER_LINE_PREFIX + pair and ev.geo_precision == 3
    assert haversine_km(ev.lat, ev.lon, near[1], near[0]) <= within_km


@pytest.mark.parametrize(
    "text,pair,extent",
    [
        # nothing else in the story: the line's own extent (half its length), not a pin
        ("Troops traded fire along the Line of Control on Sunday.", "IN-PK", 370),
        # a line with no extent of its own: half the border's length, at most 500 km
        ("Guards exchanged fire across the Durand Line on Sunday.", "AF-PK", 500),
    ],
)
def test_a_named_line_alone_is_known_only_to_its_length(text, pair, extent):
    (ev,) = _events(text)
    assert ev.border == pair and ev.geo_uncertainty_km == extent


@pytest.mark.parametrize(
    "text",
    [
        # a battle of a civil war far from every border: no border incident
        "Rebels and government forces fought for control of Kisangani on Monday, killing 14 people.",
        "Tribal fighting near Dodoma killed three herders on Sunday, police said.",
        # a clash at country level that nothing ties to a border says nothing of one
        "Eighteen soldiers who fought in Iraq were tested for the virus, the ministry said.",
        # a building or a plane cleared is no flight from violence (even on a border)
        "The hospital in Peshawar was evacuated on Sunday after a fire broke out.",
        "Hundreds of people were evacuated from a school in Quetta after a gas leak on Sunday.",
        # a meeting with nothing of talks about it
        "Police said the meeting on Friday had been held at a hotel in Kandahar.",
        # a fair at a border town that closed
        "Traders showed off livestock at a cross-border trade fair that closed in Chaman on Sunday.",
        "The three-day border trade fair closed in Chaman on Sunday.",
    ],
)
def test_internal_and_everyday_events_are_no_border_incidents(text):
    assert _events(text) == []


@pytest.mark.parametrize(
    "text,etype",
    [
        # far from the border, but the sentence names both neighbours' forces
        ("Rwandan troops clashed with Congolese forces in Kisangani on Monday.", "clash"),
        # near a border: kept with no word of it
        ("Fighting near Ta Muen Thom killed two soldiers on Sunday.", "clash"),
        # people crossing a border, far from it
        ("Thousands of refugees fled the fighting in Kisangani on Monday.", "displacement"),
        # villagers leaving their homes near a border are displaced
        ("Villagers were evacuated from their homes near Ta Muen Thom on Sunday.", "displacement"),
        # a meeting of two sides' envoys is talks
        ("A meeting of the two countries' envoys was held in Doha on Sunday.", "negotiation"),
    ],
)
def test_border_incidents_stay(text, etype):
    assert [e.event_type for e in _events(text)] == [etype]


@pytest.mark.parametrize(
    "text,name,point,uncertainty",
    [
        # a distance and a bearing move the point, and the bearing's spread widens its extent
        (
            "A roadside bomb exploded 55 km west of Peshawar on Sunday, killing two soldiers.",
            "55 km west of Peshawar",
            (70.98, 34.01),
            (40, 50),
        ),
        (
            "Shells landed 10 miles (16 km) south-east of Kandahar on Monday.",
            "16 km southeast of Kandah",
            (65.83, 31.51),
            (10, 20),
        ),
        # a bearing alone: the named point, known only to a day's reach around it
        (
            "Soldiers exchanged fire briefly on Thursday in a town north of Goma, the capital of North Kivu.",
            "north of Goma",
            (29.23, -1.67),
            (30, 45),
        ),
    ],
)
def test_a_place_given_by_bearing_and_distance(text, name, point, uncertainty):
    from geomap.distance import haversine_km

    (ev,) = _events(text)
    assert ev.place.name.startswith(name) and ev.geo_precision == 2
    assert haversine_km(ev.lat, ev.lon, point[1], point[0]) < 2
    assert uncertainty[0] <= ev.geo_uncertainty_km <= uncertainty[1]


@pytest.mark.parametrize(
    "text,name",
    [
        ("Turkish jets struck targets in the Sinjar region, west of Mosul, on Sunday.", "Sinjar"),
        ("Troops clashed near Tsorona, 30 km south of Asmara, on Sunday.", "Tsorona"),
        ("Shells fell on the Hermel district, north-east of Baalbek, on Sunday.", "El Hermel"),
        ("Mortar rounds hit Sinjar, a district west of Mosul, on Sunday.", "Sinjar"),
    ],
)
def test_a_bearing_in_apposition_describes_the_place_before_it(text, name):
    """ "The Sinjar region, west of Mosul": the event is at Sinjar; Mosul only says where Sinjar
    lies, so the event is neither at Mosul nor moved from it."""
    from geomap.gazetteer import normalize

    (ev,) = _events(text)
    assert normalize(ev.place.name) == normalize(name)


def test_a_place_named_plainly_is_not_moved():
    (ev,) = _events("A roadside bomb exploded in Peshawar on Sunday, killing two soldiers.")
    assert ev.place.name == "Peshawar" and ev.geo_precision == 1


@pytest.mark.parametrize(
    "text,pair,near",
    [
        # the stretch of the border between two named areas on its two sides
        (
            "Fighting erupted on Sunday along the border area dividing Pakistan's Kurram district "
            "from Afghanistan's Paktia province.",
            "AF-PK",
            (70.0, 33.8),
        ),
        (
            "Troops clashed on the border between Cambodia's Oddar Meanchey province and Thailand's "
            "Surin province on Monday.",
            "KH-TH",
            (103.6, 14.4),
        ),
    ],
)
def test_a_border_between_two_named_areas(text, pair, near):
    from geomap.distance import haversine_km
    from geomap.models import BORDER_LINE_PREFIX

    (ev,) = _events(text)
    assert ev.place.place_id == BORDER_LINE_PREFIX + pair
    assert haversine_km(ev.lat, ev.lon, near[1], near[0]) < 60
    assert ev.geo_uncertainty_km >= 25


def test_an_area_alone_stays_the_place():
    (ev,) = _events("Fighting erupted on Sunday in Pakistan's Kurram district, officials said.")
    assert ev.place.name.startswith("Kurram")


def test_talks_with_no_venue_are_where_the_host_filed_from():
    """A story filed from a third country that the sentence names as host or mediator: its
    city is the venue; that country is no side of the border, and the flight is on both sides."""
    got = {(i.event_type, i.place, i.border) for i in incidents("mediated_ceasefire.txt")}
    assert got == {
        ("negotiation", "Kuala Lumpur", "KH-TH"),
        ("displacement", "Cambodia–Thailand border", "KH-TH"),
        ("clash", "Cambodia–Thailand border", "KH-TH"),  # the week of fighting
    }
    got = {(i.event_type, i.place, i.date) for i in incidents("signed_in_a_third_capital.txt")}
    assert got == {("negotiation", "Washington", "2025-04-04")}


def test_a_dateline_abroad_alone_is_no_venue_of_talks():
    """Filed from Geneva, but the sentence names no Swiss host: the ceasefire has no venue there."""
    got = {(i.event_type, i.place) for i in incidents("ceasefire_filed_abroad.txt")}
    assert ("negotiation", "Cambodia–Thailand border") in got
    assert not any(place == "Geneva" for _t, place in got)


@pytest.mark.parametrize(
    "text,place",
    [
        # the part of a country facing the story's border is that border
        (
            "Israeli artillery shelled Hezbollah positions in southern Lebanon on Friday, the army said.",
            "Israel–Lebanon border",
        ),
        (
            "Hezbollah fired rockets from Lebanon at northern Israel on Friday, the Israeli army said.",
            "Israel–Lebanon border",
        ),
        # the part facing away from it stays the country
        ("Israeli jets struck Hezbollah depots in northern Lebanon on Friday, the army said.", "Lebanon"),
    ],
)
def test_the_part_of_a_country_facing_the_border_is_the_border(text, place):
    (ev,) = _events(text)
    assert ev.place.name == place


@pytest.mark.parametrize(
    "text",
    [
        "Hotspots in southern Sudan are experiencing a lull in the fighting, aid workers said on Monday.",
        "Elders on both sides of the border called on Sunday for an end to the shelling.",
        "Residents of Chaman enjoyed a brief respite from the shelling on Tuesday.",
    ],
)
def test_a_pause_in_the_fighting_is_no_fighting(text):
    assert [e for e in _events(text) if e.event_type in ("clash", "strike")] == []


def test_this_border_town_is_where_a_dateline_with_no_date_filed_the_story():
    text = (
        "AKCAKALE, Turkey (AP) — A Syrian mortar attack killed five civilians in this border town "
        "on Wednesday, officials said."
    )
    (ev,) = _events(text)
    assert ev.place.name == "Akçakale" and ev.killed == 5 and ev.date == "2024-05-15"


def test_an_event_months_before_the_report_is_recalled_with_its_own_month():
    # background told with what and where is an event of its own time (the evaluation rules
    # annotate it), never of the report's
    text = (
        "In February, gunfire from across the border wounded two people near the town of Kilis. "
        "On Sunday, gunfire from across the border wounded three people near Kilis."
    )
    assert [(e.event_type, e.date, e.wounded) for e in _events(text)] == [
        ("clash", "2024-02", 2),
        ("clash", "2024-05-19", 3),
    ]


def test_a_war_of_past_years_is_history():
    text = "The two countries fought a border war from 1998 to 2000 that killed an estimated 80,000 people."
    assert _events(text) == []


@pytest.mark.parametrize(
    "text,kind",
    [
        # guns that fire are shelling, not an exchange of fire
        ("Turkish artillery units opened fire on Syrian positions near Tal Abyad on Wednesday.", "strike"),
        ("Tanks fired on the town of Kilis on Sunday night, residents said.", "strike"),
        # armed men storming a camp or a village: an armed attack
        ("Suspected militants stormed a quarry camp near Mandera on Tuesday, killing 36 workers.", "clash"),
    ],
)
def test_who_fires_says_the_kind_of_violence(text, kind):
    assert [e.event_type for e in _events(text)] == [kind]


@pytest.mark.parametrize(
    "text,etype",
    [
        # the words outlets use for fights without guns and for talks between field commanders
        ("Troops scuffled with sticks and clubs near Tawang on Friday.", "clash"),
        ("Indian and Chinese soldiers came to blows near Tawang on Friday.", "clash"),
        ("Indian and Chinese troops brawled near Tawang on Friday, leaving dozens injured.", "clash"),
        ("A melee broke out near Tawang on Friday, injuring soldiers on both sides.", "clash"),
        ("About 300 residents of Tawang temporarily relocated to Bomdila on Friday.", "displacement"),
        ("Chinese troops violated the ceasefire near Tawang on Friday, the army said.", "clash"),
        ("An attempt by militants to cross near Tawang was foiled on Friday, officials said.", "clash"),
        ("Infiltration bid foiled near Tawang on Friday", "clash"),
        ("Freight trains stopped running through the Torkham crossing at noon on Friday.", "crossing"),
        ("Officials organised the temporary relocation of residents of Tawang on Friday.", "displacement"),
        ("The local commanders held a flag meeting in Tawang on Sunday.", "negotiation"),
        # a crossing described before the verb: "the X crossing near Y, Z's main link, was shut"
        ("The Milak crossing near Zaranj, Nimroz's main link to Iran, was shut on Sunday.", "crossing"),
        ("Lorries loaded with flour were left queuing at Torkham on Sunday.", "crossing"),
        ("The jets dropped bombs on a road near Preah Vihear temple on Thursday.", "strike"),
        ("Thai forces launched new attacks with heavy artillery near Ta Krabei temple on Friday.", "strike"),
        (
            "More than 100,000 people in Surin province had moved to temporary shelters on Friday.",
            "displacement",
        ),
        (
            "The administration moved around 240 families living close to the zero line in Ghumdhum to "
            "safer places on Monday.",
            "displacement",
        ),
        ("A frontier post in Bajaur came under attack from across the border on Sunday.", "clash"),
        ("Afghan posts facing Angoor Adda had been destroyed on Sunday, officials said.", "clash"),
        ("Intense firing was heard in Kurram district on Sunday.", "clash"),
        ("The violent face-off took place on Monday night in the Galwan Valley.", "clash"),
        ("Traffic began moving again on Wednesday through the Kyzyl-Bel border checkpoint.", "crossing"),
        (
            "The two sides' representatives met at a meeting of the Joint Border Commission (JBC), held on "
            "Thursday in Torkham.",
            "negotiation",
        ),
        ("On the night of Thursday, May 9, two loud explosions shook central Kabul.", "strike"),
        ("Explosions rocked Peshawar on Sunday.", "strike"),
        # a translated state-media item's phrasing
        ("The artillery of the Armed Forces targeted enemy positions at Al-Fashaga on Tuesday.", "strike"),
        ("Armed Forces pound positions of Ethiopian army at Al-Fashaga", "strike"),
        # "since Saturday night" is a time, not a clause of cause: the place after it is the event's
        ("Heavy fighting has been going on since Saturday night across the border from Ghumdhum.", "clash"),
        # an agreement to stop the fighting is a ceasefire; leaders meeting over a border dispute
        ("Both leaders agreed on Friday to end the fighting in Batken.", "negotiation"),
        (
            "Presidents Japarov and Rakhmon, attending a summit of the Shanghai Cooperation Organisation in "
            "Samarkand, met on Friday and agreed to stop the fighting.",
            "negotiation",
        ),
        (
            "A joint jirga of tribal elders from both sides met Afghan officials at Torkham on Sunday "
            "over the border dispute.",
            "negotiation",
        ),
        # a call between the two sides
        (
            "On Friday, Pakistan's foreign minister spoke by phone with his Iranian counterpart, and they "
            "agreed to de-escalate tensions.",
            "negotiation",
        ),
        ("The force came under attack near Angoor Adda in South Waziristan late on Tuesday.", "clash"),
        (
            "A new truce took effect on Friday, after Kyrgyz President Sadyr Japarov and Tajik President "
            "Emomali Rahmon held a telephone conversation and agreed to stabilise the situation.",
            "negotiation",
        ),
        # a warning's clause of time tells what was done when it was said
        (
            "President Abinader had warned on Monday, when he ordered the total closure of the Dajabón "
            "crossing, that he would seal the entire frontier.",
            "crossing",
        ),
        ("Thai authorities halted cargo traffic across the Mae Sot–Myawaddy bridge on Saturday.", "crossing"),
        ("The Torkham border post has been non-operational since Sunday, officials said.", "crossing"),
        ("North Korea fires projectile toward frontline army unit in Yeoncheon on Thursday.", "strike"),
        ("The North fired twice toward Yeoncheon on Thursday.", "clash"),
        # talks before the reopening are not what reopened it
        ("Pakistan reopened the Torkham crossing on Monday after talks.", "crossing"),
        ("The talks failed and Pakistan closed the Chaman crossing on Monday.", "crossing"),
        # an international bridge is a crossing; a bridge closed for repairs is none
        (
            "Venezuela on Monday closed the Jose Antonio Paez international bridge, officials said.",
            "crossing",
        ),
        ("The Simon Bolivar international bridge was closed on Monday.", "crossing"),
        # a country or an army striking what forces hold
        ("Pakistan struck hideouts in Khost on Monday, officials said.", "strike"),
        ("Turkey bombed PKK positions near Zakho on Sunday.", "strike"),
        ("Warplanes later struck militant hideouts near Chaman on Monday.", "strike"),
        # a joint mechanism or council meets as delegations do
        ("The Incident Prevention and Response Mechanism (IPRM) met in Gori on Friday.", "negotiation"),
        (
            "The Binational Border Commission (COMBIFRON) Ecuador–Colombia will hold its next session in "
            "Ipiales on Thursday.",
            "negotiation",
        ),
        # fighting that sends or drives people across: flight; a named bridge opened to traffic
        (
            "The crackdown sent about 5,000 people across the border into Chaman on Monday.",
            "displacement",
        ),
        ("The shelling drove tens of thousands of people into Chaman on Monday.", "displacement"),
        ("On Monday the Hairatan bridge opened to traffic again.", "crossing"),
        # a timeline's present tense; talks named by their venue after "at"
        ("31 July 2022 - Police close Torkham for the night after shots are fired.", "crossing"),
        ("18 March 2023 - At talks in Doha, the two sides accept an annex.", "negotiation"),
        ("Pakistani warplanes killed nine militants in Khost on Monday, officials said.", "strike"),
        (
            "Border guards pushed in at least 57 people through the Chaman frontier on Wednesday.",
            "displacement",
        ),
        ("Another 25 were pushed in through the Chaman frontier on Wednesday.", "displacement"),
        ("On Monday rebels overran the last army base on the edge of Chaman.", "clash"),
        ("On Monday some 3,000 people waded or ferried across the river into Chaman.", "displacement"),
        ("After the Torkham crossing's busiest week, officials shut the bridge on Monday.", "crossing"),
        ("The truce that the two countries signed in Doha on Monday has held.", "negotiation"),
        ("On Monday Pakistan struck what it called militant hideouts in villages around Khost.", "strike"),
    ],
)
def test_more_outlets_words_for_events(text, etype):
    assert [e.event_type for e in _events(text)] == [etype]


def test_an_event_a_span_of_time_is_counted_from_is_not_reported_again():
    """ "Two days after the clash": the time of the flag meeting, not a second clash."""
    evs = _events("The commanders held a flag meeting in Tawang on Sunday, two days after the clash.")
    assert [(e.event_type, e.date) for e in evs] == [("negotiation", "2024-05-19")]


def test_a_fight_dated_in_one_sentence_and_placed_in_the_next_is_one_dated_fight():
    text = (
        "On the morning of last Saturday the argument turned into a gunfight. Iranian border "
        "guards and Taliban fighters exchanged fire for hours near Zaranj."
    )
    assert [(e.event_type, e.place.name, e.date) for e in _events(text)] == [
        ("clash", "Zaranj", "2024-05-18")
    ]
    # told after it, not placed: the fight the sentence places is dated too
    text = (
        "The argument turned into a gunfight last Saturday. Iranian border guards and Taliban "
        "fighters exchanged fire for hours near Zaranj."
    )
    assert [e.date for e in _events(text)] == ["2024-05-18"]
    # only the very next sentence: another paragraph breaks the thread
    text = (
        "The argument turned into a gunfight last Saturday. Flour prices rose sharply.\n\nIranian "
        "border guards and Taliban fighters exchanged fire for hours near Zaranj."
    )
    assert [e.date for e in _events(text)] == ["2024-05"]


def test_the_next_day_counts_from_the_event_told_before():
    evs = _events("Guards exchanged fire near Zaranj on Saturday. The Milak crossing was shut the next day.")
    assert [(e.event_type, e.date) for e in evs] == [("clash", "2024-05-18"), ("crossing", "2024-05-19")]
    evs = _events("Guards exchanged fire near Zaranj on Saturday. Hours later, jets struck Zaranj again.")
    assert [e.date for e in evs] == ["2024-05-18", "2024-05-18"]
    # with no dated event before it, "the next day" dates nothing
    (ev,) = _events("The Milak crossing was shut the next day.")
    assert ev.date == "2024-05"


def test_a_day_of_the_month_is_in_the_month_the_story_tells_of():
    # published 2024-05-20: "the 12th" after an event of 3 April is 12 April, not 12 May
    evs = _events(
        "The Chaman crossing was closed on April 3. The crossing was reopened on the 12th, after talks."
    )
    assert [(e.event_type, e.date) for e in evs][-1] == ("crossing", "2024-04-12")
    # with nothing dated before it: the report's month, or the month before for a later day
    (ev,) = _events("The Chaman crossing was reopened on the 12th, officials said.")
    assert ev.date == "2024-05-12"
    (ev,) = _events("The Chaman crossing was reopened on the 25th, officials said.")
    assert ev.date == "2024-04-25"


def test_a_date_opening_a_sentence_frames_the_rest_of_its_paragraph():
    text = (
        "On 16 May the situation escalated sharply. Border guards of both countries exchanged "
        "fire near Vorukh.\n\nBorder guards of both countries exchanged fire near Isfara."
    )
    evs = _events(text)
    assert [(e.place.name, e.date) for e in evs] == [("Vorukh", "2024-05-16"), ("Isfara", "2024-05")]


def test_a_date_inside_a_sentence_frames_nothing():
    text = "The talks that ended on 16 May failed. Border guards exchanged fire near Vorukh."
    assert [e.date for e in _events(text) if e.event_type == "clash"] == ["2024-05"]


def test_as_of_dates_a_count_not_an_event():
    from geomap._dates import find_dates

    hits = find_dates("Flash Update No. 2 (as of 3 May 2024); talks on 1 May", date(2024, 5, 20))
    assert [(h.text, h.kind) for h in hits] == [("3 May 2024", "status"), ("1 May", "absolute")]


@pytest.mark.parametrize(
    "text",
    [
        "A general strike hit the port of Karachi on Monday.",
        "Teachers in Peshawar went on a nationwide strike on Monday.",
        "Transporters called a strike in Quetta on Monday over fuel prices.",
        "A detained activist in Kabul began a hunger strike on Monday.",
        # diplomats expelled are no people deported
        "Thailand expelled the Cambodian ambassador from Bangkok on Wednesday.",
        "Islamabad expelled two Afghan diplomats and their families on Monday.",
        # the wounded flown to a hospital are patients, not people fleeing
        "All six were evacuated by an army aircraft to Georgetown on Monday.",
        "The wounded were evacuated to a hospital in Peshawar on Monday.",
        # events spoken of in general, a business deal, a parliament's session
        "Traders in Chaman say every closure of the crossing costs them days of income.",
        "Pakistan's state gas company signed a new supply agreement with Iran in Quetta on Tuesday.",
        "Afghanistan's parliament is due to meet in Kabul on Monday to discuss the budget.",
        # a batsman's counter-attack in a match at the border
        "In Landi Kotal the opener launched a fierce counter-attack, hitting six sixes in a 38-ball 71.",
        # fans of a friendship cup streaming across a bridge
        "Kakarbhitta hosts border friendship cup as fans stream across Mechi bridge",
        # a reopening foreseen is none yet
        "Traders expect the Chaman crossing to reopen on Friday morning.",
        # a live page's invitation to follow it reports nothing
        "Follow our live coverage of the clashes on the northern Bekaa border between Lebanon and Syria.",
        # a speaker reached by phone holds no talks
        "In Beledhawo, an officer who spoke by phone said the border was tense on Tuesday.",
        # militants trying to cross are infiltrators, no people fleeing
        "Troops intercepted a group trying to cross into Zhob district from Afghanistan on Wednesday.",
        # people crossing for a festival or to see relatives travel, they flee nothing
        "Many families from Raxaul crossed over to take part in the rituals with relatives in Birgunj.",
        "Hundreds of villagers crossed into Wagah on Sunday for the Baisakhi festival.",
        # traffic that went on as usual is no halt, though trucks queued
        "Cargo movement through Torkham continued normally on Monday, although trucks queued for hours.",
    ],
)
def test_a_labour_strike_or_an_expelled_envoy_is_no_incident(text):
    assert _events(text) == []


@pytest.mark.parametrize(
    "text,place",
    [
        # a demonym before "strike", words between the strike and its verb
        (
            "An Israeli strike before dawn hit the road near the Masnaa border post on Friday.",
            "Masnaa–Jdeidet Yabous",
        ),
        ("A Turkish strike on Sinjar killed two fighters on Friday.", "Sinjar"),
    ],
)
def test_strikes_named_by_who_struck(text, place):
    from geomap.gazetteer import normalize

    assert [normalize(e.place.name) for e in _events(text)] == [normalize(place)]


def test_the_place_completing_the_event_word_is_its_own():
    """ "Strikes on southern Lebanon" are not at the Israeli town the sentence's first clause names."""
    text = (
        "A rocket fired from Lebanon slammed into a military base in the northern Israeli city of "
        "Safed on Wednesday, killing a soldier, and Israeli retaliatory strikes on southern Lebanon "
        "killed at least 10 civilians."
    )
    evs = _events(text)
    assert sorted(e.place.name for e in evs) == ["Israel–Lebanon border", "Safed"]
    (safed,) = [e for e in evs if e.place.name == "Safed"]
    assert safed.killed == 1


def test_a_live_pages_stamped_entries_tell_of_the_pages_day():
    text = (
        "LIVE | Shelling along the Line of Control\n\n"
        "09:10 IST\nOfficials in Poonch say three civilians have been killed as shells landed in "
        "residential areas of Poonch town.\n\n"
        "11:50 IST\nIn Uri, a woman was killed and two members of her family were injured when a "
        "shell hit their vehicle.\n\n"
        "Shells also landed in Kupwara, officials said."
    )
    from geomap.gazetteer import normalize

    got = {normalize(e.place.name): e for e in _events(text)}
    assert got["punch"].date == got["uri"].date == "2024-05-20"  # the page's day
    # an entry with no stamp, on a page whose events are all of one day: that day
    assert got["kupwara"].date == "2024-05-20"
    assert (got["uri"].killed, got["uri"].wounded) == (1, 2)  # not 1 + 2 killed


def test_a_stamp_with_seconds_opens_an_entry_and_a_long_stamped_line_is_read_at_once():
    """A live page's stamp may give seconds ("15:09:31 The Observatory says ..."); and a line that
    opens with a stamp and runs on in words is an entry, not a stamp line, told at once (the words
    once made the stamp-line pattern try every way of cutting them into zone abbreviations)."""
    from geomap.events import _STAMPED_ENTRY_RE, _TIMESTAMP_LINE_RE

    assert _STAMPED_ENTRY_RE.match("15:09:31 The UK-based Syrian Observatory for Human Rights says")
    assert _TIMESTAMP_LINE_RE.search("11:09:02") and _TIMESTAMP_LINE_RE.search("7.45pm BST")
    assert _TIMESTAMP_LINE_RE.search("10:30 a.m. (GMT+3)") and _TIMESTAMP_LINE_RE.search("14:50 local time")
    line = (
        "11:10 Deputy Prime Minister Besir Atalay has told reporters in Ankara that Syria has "
        "admitted responsibility and apologised through the United Nations in New York."
    )
    assert _TIMESTAMP_LINE_RE.search(line) is None  # (the old pattern did not end in hours)


@pytest.mark.parametrize(
    "sentence,killed",
    [
        ("Updated figure: 15 civilians, including four children, have now been killed in Poonch.", 15),
        ("Eleven people, among them two women, were killed in the shelling.", 11),
        # the next group has a verb of its own: not 100 + 100,000 killed
        (
            "Around 100 people were killed and more than 100,000 people on the Kyrgyz side were evacuated.",
            100,
        ),
    ],
)
def test_who_a_toll_counts_told_aside(sentence, killed):
    from geomap.events import _sentence_claims

    assert [c["killed"] for c in _sentence_claims(sentence, "a")] == [killed]


def test_an_event_reported_somewhere_happened_there():
    """ "Firing was reported in Bajaur": the passive speech word reports the event seen there,
    unlike "officials in Kabul reported fighting"."""
    (ev,) = _events("Intense firing had also been reported in Bajaur district on Sunday.")
    assert (ev.place.name, ev.place.kind) == ("Bajaur", "district")


def test_an_event_a_report_names_as_its_object_happened_where_it_says():
    """ "The army reports exchanges of fire at X": X is where the fire was exchanged."""
    (ev,) = _events(
        "The army reports exchanges of fire at Prasat Ta Kwai, about 10km east of Ta Muen Thom, on Thursday."
    )
    assert ev.event_type == "clash" and "Ta K" in ev.place.name
    # where the speaker is stays no place of the event
    assert _events("Officials in Kabul on Sunday reported fighting.") == []


def test_a_time_of_day_is_no_event_to_date_by():
    from geomap._dates import find_dates

    assert not [h for h in find_dates("shortly before midnight", date(2024, 5, 20)) if h.kind == "ref"]
    assert [h.kind for h in find_dates("hours before the talks", date(2024, 5, 20))] == ["ref"]


@pytest.mark.parametrize(
    "text,etype,place",
    [
        (
            "Delegations led by the two defence ministers met in the Qatari capital on 18 May.",
            "negotiation",
            "Doha",
        ),
        ("A suicide bomber struck in the Afghan capital on Sunday, killing six.", "strike", "Kabul"),
    ],
)
def test_a_capital_named_by_its_people(text, etype, place):
    assert [(e.event_type, e.place.name) for e in _events(text)] == [(etype, place)]


def test_a_crossing_closed_under_its_apposition():
    """The parser takes "the main pedestrian link" for the subject: still a crossing closed."""
    evs = _events(
        "The Petite Barrière crossing, the main pedestrian link between the two towns, was closed on "
        "Monday afternoon as shells fell nearby, an immigration official said."
    )
    assert ("crossing", "Petite Barrière") in [(e.event_type, e.place.name) for e in evs]


def test_a_summit_is_talks_and_lifted_closures_reopen():

    text = (
        "On Feb. 24, at an extraordinary summit in Abuja, leaders lifted the sanctions on Niger over the "
        "coup. Benin lifted the closure of the Malanville crossing on Monday."
    )
    art = article_from_text("t.txt", text, published=date(2024, 3, 20))
    got = [(e.event_type, e.sub_event_type, e.place.name) for e in extract_events(art, find_mentions(art))]
    assert ("negotiation", "talks held", "Abuja") in got
    assert [g for g in got if g[0] == "crossing"] == [("crossing", "crossing reopened", "Malanville–Gaya")]
    # a summit of business leaders settles no conflict
    assert _events("Leaders met at a business summit in Dubai on Monday to discuss investment.") == []


@pytest.mark.parametrize(
    "text,sub",
    [
        ("Pakistan closed Torkham on Monday after border guards exchanged fire.", "crossing closed"),
        ("Authorities reopened Chaman on Monday, and trucks began crossing.", "crossing reopened"),
    ],
)
def test_a_crossing_closed_or_reopened_by_its_name(text, sub):
    assert (sub, "crossing") in [(e.sub_event_type, e.event_type) for e in _events(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Authorities closed Peshawar's schools amid border tensions on Monday.",
        "Police closed Kabul airport on Monday after a border alert.",
        "The government closed Peshawar University on Monday amid border tensions.",
    ],
)
def test_a_named_thing_closed_is_no_crossing(text):
    assert [e for e in _events(text) if e.event_type == "crossing"] == []


def test_named_crossings_that_stay_shut():
    evs = _events("Traders count losses as Torkham, Chaman stay shut for ninth day")
    assert sorted((e.event_type, e.place.kind) for e in evs) == [("crossing", "crossing")] * 2
    (ev,) = _events(
        "Authorities suspended all movement at Torkham on the morning of May 12, hours after Afghan "
        "forces attacked Pakistani posts."
    )
    assert (ev.event_type, ev.place.name, ev.date) == ("crossing", "Torkham", "2024-05-12")


@pytest.mark.parametrize(
    "text",
    [
        "Schools remain closed in Peshawar on Monday as traders protest.",
        "Villages along the border remain empty and schools closed.",
    ],
)
def test_what_stays_closed_must_be_a_crossing(text):
    assert [e for e in _events(text) if e.event_type == "crossing"] == []


def test_families_leaving_border_villages_and_where_they_head_for():
    text = (
        "Hundreds of families have left border villages in Dand-e-Patan district since Monday night, "
        "heading for relatives in Gardez; they say shelling from across the Durand Line damaged a school."
    )
    got = {e.event_type: e for e in _events(text)}
    assert got["displacement"].place.name.startswith("Dand")  # not "the border" of "border villages"
    assert got["strike"].place.name != "Gardez"  # where people fled to is not where shells fell


def test_a_when_clause_takes_the_time_before_it():
    """ "Most seriously in September 2022, when 140,000 people fled": a flight of 2022, recalled
    with its own month (never the report's)."""
    evs = _events(
        "The worst fighting came in September 2022, when 140,000 people fled their homes in Batken."
    )
    assert [e.date for e in evs if e.event_type == "displacement"] == ["2022-09"]


def test_the_border_where_the_sentence_places_it():
    """ "Chaman's deputy commissioner said the two sides exchanged fire across the border": on the
    border near Chaman, not at the middle of the places the whole story names."""
    from geomap.distance import haversine_km

    text = (
        "Fighting was reported near Torkham on Sunday.\n\nChaman's deputy commissioner said the two "
        "sides exchanged fire across the border on Monday."
    )
    (ev,) = [e for e in _events(text) if e.date == "2024-05-20"]
    assert ev.place.name == "Afghanistan–Pakistan border"
    assert haversine_km(ev.lat, ev.lon, 30.918, 66.453) < 30  # Chaman


def test_talks_are_where_they_are_held_not_where_the_delegation_came_from():
    (ev,) = _events(
        "On Friday, a government committee headed by a provincial minister travelled from Quetta and "
        "held talks with the protest leaders in Chaman."
    )
    assert (ev.event_type, ev.place.name) == ("negotiation", "Chaman")


def test_a_sentence_opened_by_a_recalled_date_is_that_time_s():
    text = (
        "In May 2017, a row over a census team working in two border villages near Chaman led to a "
        "clash between Pakistani and Afghan forces."
    )
    assert [(e.event_type, e.date) for e in _events(text)] == [("clash", "2017-05")]


def test_the_crossing_a_story_is_about():
    """After the headline names Torkham, "their main border crossing" and "the crossing" are Torkham,
    not a point of the whole border."""
    text = (
        "Pakistan, Afghanistan reopen Torkham crossing after standoff\n\n"
        "Pakistan and Afghanistan reopened their main border crossing on Friday, nine days after border "
        "guards traded fire, officials said. The crossing was shut on May 6, when Pakistani border "
        "guards objected to a new post on the frontier."
    )
    places = {(e.sub_event_type, e.place.name) for e in _events(text) if e.event_type == "crossing"}
    assert places == {("crossing reopened", "Torkham"), ("crossing closed", "Torkham")}


def test_a_place_named_in_an_organisations_name_is_no_venue():
    (ev,) = _events(
        "Presidents Japarov and Rakhmon, attending a summit of the Shanghai Cooperation Organisation in "
        "Samarkand, met on Friday and agreed to stop the fighting."
    )
    assert ev.place.name == "Samarkand"


def test_a_call_to_stop_the_fighting_is_no_fighting():
    assert _events("The UN called on both sides on Friday to stop the fighting in Batken.") == []


def test_a_story_of_one_days_events_dates_what_it_tells_with_no_time():
    text = (
        "Shelling hit Jermuk on Sunday, the defence ministry said.\n\n"
        "Residents of Sotk have been moved to safer places, officials said."
    )
    got = {e.place.name: e for e in _events(text)}
    assert got["Sotk"].date == got["Jermuk"].date == "2024-05-19"


def test_talks_planned_after_the_report_date_no_story_day():
    # the one day-dated event is a meeting to come: it is no day of what the story told undated
    text = (
        "Border closed for the referendum\n\n"
        "The border commission will hold its next session in Ipiales on Thursday, 23 May.\n\n"
        "Residents of Sotk have been moved to safer places, officials said."
    )
    got = {e.place.name: e for e in _events(text)}
    assert got["Ipiales"].event_type == "negotiation" and got["Ipiales"].date == "2024-05-23"
    assert got["Sotk"].date == "2024-05"


@pytest.mark.parametrize(
    "text, day",
    [
        (
            "The first closure, for her, was August 2015. On 19 August, gunmen ambushed an army patrol "
            "near Chaman, wounding three soldiers.",
            "2015-08-19",
        ),
        (
            "The worst year was 2015. On 19 August that year, gunmen ambushed an army patrol near Chaman.",
            "2015-08-19",
        ),
        (
            "Trade collapsed in 2011. On 3 May of the same year, gunmen ambushed a patrol near Chaman.",
            "2011-05-03",
        ),
        ("The worst fighting came in October 2022. Talks were held in Doha that month.", "2022-10"),
        # a month that bounds a state is no time the paragraph goes on to tell
        (
            "Relations have soured since the dispute began in March 2011. On 19 August, gunmen ambushed "
            "an army patrol near Chaman.",
            "2023-08-19",
        ),
    ],
)
def test_a_day_in_the_year_the_paragraph_tells(text, day):
    (ev,) = _events(text)
    assert ev.date == day


@pytest.mark.parametrize(
    "title, day",
    [
        ("Border Weekly | Issue 12", "2024-05-14"),  # a digest: the Tuesday of the week before
        ("Armenia: latest", "2024-05-21"),  # a story stamped Monday: the next day
    ],
)
def test_a_digest_tells_of_the_days_before_its_issue(title, day):
    text = f"{title}\n\nShelling hit Jermuk on Tuesday, the defence ministry said."
    (ev,) = _events(text)
    assert ev.date == day


def test_where_a_unit_is_based_is_no_place_of_its_fire():
    (ev,) = _events("On Monday soldiers of the Peshawar-based battalion opened fire at Torkham.")
    assert ev.place.name == "Torkham"
    assert all(
        e.place.name != "Peshawar" for e in _events("On Monday the Peshawar-based battalion opened fire.")
    )


def test_a_fight_told_as_it_began_is_an_incident_and_its_flight_shares_its_place_and_day():
    text = (
        "The guesthouse owner keeps a ledger of every family who slept on her floor.\n\n"
        "They were fleeing fighting that erupted on 3 May between two rival factions for control "
        "of Spin Boldak and its border gate."
    )
    got = {e.event_type: e for e in _events(text)}
    assert got["clash"].date == got["displacement"].date == "2024-05-03"
    assert got["clash"].place.place_id == got["displacement"].place.place_id


def test_a_yearless_dateline_in_the_year_the_story_counts_to():
    text = (
        "PESHAWAR, Pakistan, Sept 5 (Reuters) - Pakistani and Afghan forces fought near Arandu in "
        "Chitral on Thursday, officials said.\n\nThe clash comes two years after militants attacked "
        "army posts in Chitral in September 2023."
    )
    article = article_from_text("t.txt", text, published=None)
    dates = {e.date for e in extract_events(article, find_mentions(article)) if e.event_type == "clash"}
    assert "2025-09-04" in dates


def test_where_forces_push_on_to_is_no_place_of_their_fight():
    (ev,) = _events(
        "On Monday the army retook Kurram, the rebels' stronghold, before pushing north towards Parachinar."
    )
    assert ev.event_type == "clash" and ev.place.name == "Kurram"


def test_the_venue_of_talks_is_no_battlefield():
    text = (
        "Pakistani and Afghan forces traded fire near Chaman on Tuesday. The fighting is the first "
        "breach of a ceasefire brokered by Qatar in Doha on Oct. 19, which ended a week of clashes "
        "along the border."
    )
    places = {(e.event_type, e.place.name) for e in _events(text)}
    assert ("negotiation", "Doha") in places and ("clash", "Doha") not in places


def test_an_ambiguous_numeric_byline_is_read_by_the_dates_the_text_states():
    # 08/07/2024 is 8 July or 7 August: the week "1 to 7 July 2024" decides for 8 July
    text = (
        "Week in review\n\nPublished: 08/07/2024\n\nOur roundup covering 1 to 7 July 2024.\n\n"
        "Turkish warplanes bombed positions near Zakho on Saturday, officials said."
    )
    article = article_from_text("t.txt", text, published=None)
    (ev,) = extract_events(article, find_mentions(article))
    assert ev.date == "2024-07-06"


def test_a_story_of_several_days_leaves_an_untimed_event_to_its_month():
    text = (
        "Shelling hit Jermuk on Sunday, the defence ministry said. Talks were held in Moscow on "
        "Thursday.\n\nResidents of Sotk have been moved to safer places, officials said."
    )
    got = {e.place.name: e for e in _events(text)}
    assert got["Sotk"].date == "2024-05"


def test_a_call_with_no_venue_lies_between_the_two_sides():
    from geomap.models import BORDER_LINE_PREFIX

    (ev,) = _events(
        "On Friday, Pakistan's foreign minister spoke by phone with his Iranian counterpart about the "
        "border tensions."
    )
    assert (ev.sub_event_type, ev.place.place_id, ev.geo_precision) == (
        "talks by telephone",
        BORDER_LINE_PREFIX + "IR-PK",
        3,
    )


def test_a_flag_meeting_with_no_venue_is_held_at_the_border():
    from geomap.models import BORDER_LINE_PREFIX

    (ev,) = _events("Indian and Chinese commanders held a flag meeting on Sunday.")
    assert (ev.event_type, ev.place.place_id) == ("negotiation", BORDER_LINE_PREFIX + "CN-IN")


def test_an_event_near_the_crossing_is_at_the_crossing_the_story_is_about():
    text = (
        "The Torkham border crossing remained closed on Monday.\n\n"
        "This morning, Pakistani and Afghan border forces exchanged fire near the crossing. "
        "A flag meeting between border officials was held this afternoon at the zero point."
    )
    got = {e.event_type: e for e in _events(text)}
    assert got["clash"].place.name == got["negotiation"].place.name == got["crossing"].place.name
    assert got["clash"].place.kind == "crossing"


def test_the_crossing_is_the_one_the_story_names_even_later():
    text = (
        "PESHAWAR, Pakistan (AP) — Pakistan and Afghanistan reopened their main border crossing on Friday, "
        "officials said.\n\nThe Torkham crossing, the busiest trade route between the neighbours, was "
        "busy with trucks on Friday."
    )
    (ev,) = [e for e in _events(text) if e.event_type == "crossing"]
    assert ev.place.name == "Torkham"


def test_a_fight_at_a_short_list_of_places_is_one_at_each_a_long_list_is_a_round_up():
    evs = _events(
        "Security sources report Afghan forces opening fire on posts in Bajaur, Dir and Chitral on Sunday."
    )
    assert sorted(e.place.name for e in evs) == ["Bajaur", "Chitral", "Dir"]
    # a place and its area is no list
    (ev,) = _events("Afghan forces opened fire on a post near Landi Kotal, Khyber, on Sunday.")
    assert ev.place.name == "Landi Kotal"
    evs = _events(
        "Russian troops shelled Sumy Oblast on Sunday, hitting Krasnopillia, Myropillia, Khotin, "
        "Yunakivka and Bilopillia."
    )
    assert len(evs) == 1


def test_an_exchange_of_fire_reported_from_a_place_happened_there():
    (ev,) = _events(
        "Exchange of fire now also reported from the Kharlachi area of Kurram, according to officials."
    )
    assert ev.event_type == "clash" and ev.place.kind != "border"


def test_fire_exchanged_there_is_at_the_place_named_before_on_the_sentences_one_day():
    evs = _events(
        "Earlier on Wednesday, the Torkham crossing in Khyber district was closed for all traffic after "
        "Pakistani and Afghan border guards exchanged fire there."
    )
    got = {e.event_type: e for e in evs}
    assert got["clash"].place.name == got["crossing"].place.name == "Torkham"
    assert got["clash"].date == got["crossing"].date == "2024-05-15"


def test_a_meeting_at_the_zero_point_is_at_the_crossing_not_at_the_speakers_office():
    text = (
        "Shelling hit the Chaman crossing on Sunday.\n\n"
        "An official of the Kandahar administration said the situation had calmed after border officials "
        "of the two sides held a meeting at the zero point in the evening."
    )
    (ev,) = [e for e in _events(text) if e.event_type == "negotiation"]
    assert ev.place.kind == "crossing" and "Chaman" in ev.place.name


def test_a_strike_near_the_bridge_is_at_the_storys_crossing():
    text = (
        "Fighting broke out around the Mae Sot–Myawaddy Friendship Bridge on Saturday.\n\n"
        "It followed air strikes by military jets on rebel positions near the bridge late on Friday."
    )
    (ev,) = [e for e in _events(text) if e.event_type == "strike"]
    assert ev.place.kind == "crossing" and ev.date == "2024-05-17"


def test_a_tickers_entries_opening_with_their_time_tell_of_the_pages_day():
    text = (
        "NEWS CRAWL LOG\n\n"
        "15:58 ▶ [BREAKING] NORTH KOREA FIRES PROJECTILE TOWARD ARMY UNIT IN YEONCHEON\n\n"
        "16:40 ▶ Residents of Yeoncheon moved to underground shelters."
    )
    assert {e.date for e in _events(text)} == {"2024-05-20"}


@pytest.mark.parametrize("stamp", ["12:20 (GMT+5)", "09:05 (UTC+03:00)", "14:40 IST", "7.15pm"])
def test_a_live_pages_time_stamp_dates_its_whole_entry(stamp):
    # the stamp's line stands over the entry's headline and its paragraphs
    text = (
        "Border tensions live\n\n"
        f"{stamp}\n\n"
        "Crossing closed\n\n"
        "Customs officials say the Torkham crossing has been closed to all traffic.\n\n"
        "Around 150 trucks are waiting on the Pakistani side, traders said."
    )
    events = _events(text)
    assert events and {e.date for e in events} == {"2024-05-20"}, [(e.event_type, e.date) for e in events]


@pytest.mark.parametrize(
    "text",
    [
        "Afghan officials in Paktika's Barmal district confirmed the fighting.",
        "Officials in Peshawar denied the attack.",
        "Police officers in Quetta confirmed the shelling.",
    ],
)
def test_a_place_of_those_who_confirm_a_known_event_is_not_its_place(text):
    from geomap._parse import parse

    tree = parse(text)
    word = next(w for w in ("fighting", "attack", "shelling") if w in text)
    place = next(w for w in ("Barmal", "Peshawar", "Quetta") if w in text)
    i, j = text.index(word), text.index(place)
    assert tree.distance((i, i + len(word)), (j, j + len(place))) == UNRELATED


def test_a_place_of_those_who_report_a_new_event_stays_its_place():
    from geomap._parse import parse

    text = "Residents in Chaman reported heavy shelling overnight."
    tree = parse(text)
    i, j = text.index("shelling"), text.index("Chaman")
    assert tree.distance((i, i + 8), (j, j + 6)) < UNRELATED


@pytest.mark.parametrize(
    "text",
    [
        # named in the plural, then listed between dashes, in brackets, after a colon or "at"
        "Finland shut the four busiest crossings in the south-east - Vaalimaa, Nuijamaa, Imatra and "
        "Niirala - at midnight on 17-18 November.",
        "Pakistan closed all crossings (Torkham, Chaman and Ghulam Khan) on Sunday.",
        "Pakistan closed two crossings: Torkham and Chaman on Sunday.",
        "Pakistan closed the crossings at Torkham and Chaman on Sunday.",
        # a phrase between the plural and the list
        "Islamabad shut its two busiest border crossings with Afghanistan, at Torkham and Chaman, on Sunday.",
        # items with words of their own, naming towns on the way
        "Pakistan shut its two main crossings with Afghanistan - Torkham, on the highway between Peshawar "
        "and Jalalabad, and Chaman in Balochistan province - on Sunday morning, officials said.",
        "Pakistan closed both crossings (Torkham, on the road from Peshawar, as well as Chaman) on Sunday.",
        # between commas, as the object or as the subject
        "Pakistan closed its two main crossings with Afghanistan, Torkham in the northwest and Chaman in "
        "the southwest, on Sunday morning, leaving hundreds of trucks stranded.",
        "Both main crossings, Torkham and Chaman, were closed on Sunday, leaving trucks stranded.",
    ],
)
def test_crossings_listed_after_their_plural_are_each_closed(text):
    evs = [e for e in _events(text) if e.event_type == "crossing"]
    names = [
        n
        for n in ("Vaalimaa", "Nuijamaa", "Imatra", "Niirala", "Torkham", "Chaman", "Ghulam Khan")
        if n in text
    ]
    assert len(evs) == len(names), [(e.place.name, e.date) for e in evs]
    assert all(e.place.kind == "crossing" for e in evs) and len({e.date for e in evs}) == 1
    for name in names:
        assert any(name in e.place.name for e in evs), name


@pytest.mark.parametrize(
    "text, place",
    [
        (
            "Militants stormed a police camp in Lafey, Mandera County, on Tuesday night, killing two "
            "officers.",
            "Lafey",
        ),
        ("Gunmen attacked an army camp in Chaman on Sunday, killing three soldiers.", "Chaman"),
    ],
)
def test_a_forces_camp_is_where_the_attack_was(text, place):
    (ev,) = [e for e in _events(text) if e.event_type == "clash"]
    assert ev.place.name == place


def test_the_toll_of_an_event_told_after_the_last_is_not_the_last_ones():
    # the air strike has no place the gazetteer knows; its 12 dead are not the clash's
    text = (
        "On Tuesday, the defence ministry said four soldiers were killed in a clash with militants "
        "near Chaman.\n\n"
        'The ministry said warplanes later struck "terrorist targets" in the mountains overnight, '
        "killing 12 militants."
    )
    clashes = [e for e in _events(text) if e.event_type == "clash"]
    assert [e.killed for e in clashes] == [4]


@pytest.mark.parametrize(
    "text",
    [
        "Warplanes later struck militant hideouts near Chaman, officials said.",
        "Jets again bombed positions near Chaman on Monday.",
    ],
)
def test_aircraft_striking_with_an_adverb_between(text):
    assert [e.event_type for e in _events(text)] == ["strike"]


@pytest.mark.parametrize(
    "head",
    [
        "In another engagement on 16 May",
        "In a separate attack late on 16 May",
        "During a second raid on 16 May",
    ],
)
def test_a_sentence_opening_another_episode_with_its_day_frames_its_paragraph(head):
    text = (
        f"{head}, security forces conducted an operation in the Datta Khel area of North Waziristan. "
        "Troops engaged the militants' hideout, and after an intense exchange of fire six militants "
        "were killed."
    )
    evs = [e for e in _events(text) if e.event_type == "clash"]
    assert evs and {e.date for e in evs} == {"2024-05-16"}, [(e.date, e.place.name) for e in evs]


def test_trucks_waiting_at_a_town_near_the_crossing_closed_are_its_queue():
    text = (
        "Customs officials say the Torkham crossing has been closed to all traffic. "
        "Around 150 trucks are waiting on the Pakistani side, in Landi Kotal, traders said."
    )
    evs = [e for e in _events(text) if e.event_type == "crossing"]
    assert evs and {e.place.name for e in evs} == {"Torkham"}, [(e.place.name, e.sub_event_type) for e in evs]


def test_a_crossing_described_by_its_distance_from_a_provincial_capital_is_closed_near_it():
    text = (
        "The crossing, some 60 kilometers (37 miles) west of the provincial capital Peshawar, was "
        "closed on Nov. 2."
    )
    (ev,) = [e for e in _events(text) if e.event_type == "crossing"]
    # 60 km west of Peshawar: beside Torkham, not at the city
    assert ev.place.name == "60 km west of Peshawar" and abs(ev.lon - 70.93) < 0.05


def test_a_fight_named_as_told_with_no_place_of_its_own_is_the_last_fight():
    text = (
        "Border guards of the two countries traded fire near Torkham late on Friday.\n\n"
        "One Pakistani soldier was killed and three Afghan border guards were injured in the clash, "
        "officials from both sides said."
    )
    (inc,) = [i for i in merge_events(_events(text)) if i.event_type == "clash"]
    assert (inc.place, inc.killed, inc.wounded) == ("Torkham", 1, 3)


def test_the_day_a_toll_was_told_does_not_keep_it_from_the_fight_named_as_told():
    text = (
        "Syrian artillery struck the Lebanese border town of Qasr on Sunday night.\n\n"
        "Lebanon's health ministry said on Monday evening that seven people had been killed in the "
        "shelling."
    )
    evs = [e for e in _events(text) if e.event_type == "strike"]
    assert [(e.place.name, e.killed) for e in evs] == [("Al Qaşr", 7)]


def test_a_fight_named_as_told_after_a_place_told_since_is_not_the_last_fight():
    text = (
        "Seven soldiers were killed when militants attacked a post in Mir Ali on Saturday.\n\n"
        "In a separate incident, troops intercepted militants near the Ghulam Khan border crossing late "
        "on Friday. Two infiltrators were killed in the exchange of fire."
    )
    mir_ali = [i for i in merge_events(_events(text)) if i.place == "Mir Ali"]
    assert [i.killed for i in mir_ali] == [7]


@pytest.mark.parametrize(
    "text, actor",
    [
        ("Hezbollah fired rockets at Metula on Sunday, wounding two people.", "Hezbollah"),
        (
            "Jaish al-Adl gunmen attacked a border post near Saravan on Sunday, killing four guards.",
            "Jaish al-Adl",
        ),
        ("M23 rebels shelled Rutshuru on Sunday, killing three civilians.", "M23"),
    ],
)
def test_an_armed_group_named_is_an_actor_of_the_event(text, actor):
    events = _events(text)
    assert events and actor in events[0].actors, [(e.event_type, e.place, e.actors) for e in events]


def test_a_crossing_suspended_and_resumed_in_one_sentence_is_two_reports():
    evs = _events(
        "Movement through the Ghulam Khan crossing point (Khost province) was suspended by the "
        "authorities on 12 May, citing security operations, and resumed on 16 May."
    )
    assert [(e.sub_event_type, e.date) for e in evs] == [
        ("crossing closed", "2024-05-12"),
        ("crossing reopened", "2024-05-16"),
    ]
    # closed since one day, reopened on another: one report, the reopening
    (ev,) = _events("The Torkham crossing, closed since Monday, was reopened on Friday.")
    assert ev.sub_event_type == "crossing reopened"


def test_counts_through_two_places_are_two_flows():
    evs = _events(
        "Between 1 and 19 May, 41,320 people crossed back into Afghanistan through Torkham "
        "(Nangarhar province) and 24,830 through Spin Boldak (Kandahar province)."
    )
    assert sorted(e.place.name for e in evs if e.event_type == "displacement") == ["Spin Boldak", "Torkham"]


def test_the_day_a_source_spoke_gives_way_to_the_event_s_own_day():
    # published Monday 2024-05-20: "told AFP on Sunday" is when sources spoke, "late Friday" when
    # the attack happened; the lede and the body are one attack, of Friday
    evs = _events(
        "Gunmen killed six soldiers in an attack on an army post near Malanville, sources told AFP "
        "on Sunday. The assault on the post near Malanville took place late Friday."
    )
    (inc,) = merge_events(evs)
    assert inc.date == "2024-05-17" and inc.killed == 6


def test_a_river_named_for_a_fight_puts_it_on_the_story_s_border():
    # the Niger river is hundreds of kilometres long: the fight is on the Benin-Niger border (which
    # the river draws there), not at a point in the middle of the river's course in Mali
    (ev,) = _events(
        "Gunmen attacked an army post on the banks of the Niger river on Sunday, near the border "
        "between Benin and Niger."
    )
    assert ev.border == "BJ-NE" and ev.place.name.startswith("Benin–Niger border")


def test_people_fleeing_into_a_country_arrive_at_the_border_town_the_story_is_filed_from():
    evs = _events(
        "ARAUCA, Colombia, May 20 (Reuters) - More than 2,300 people have fled across the river into "
        "Colombia since Sunday to escape fighting in Venezuela's Apure state, officials said."
    )
    (flight,) = [e for e in evs if e.event_type == "displacement"]
    assert flight.place.name == "Arauca" and flight.place.kind in {"city", "town"}


def test_a_story_without_a_date_line_goes_on_past_its_last_full_date():
    text = (
        "On February 21, 2025, Pakistan closed the Torkham crossing after a dispute over a new post. "
        "Talks failed, and on the night of March 3 the two sides exchanged fire near Torkham. "
        "The crossing finally reopened on March 21."
    )
    article = article_from_text("t.txt", text, published=None)
    got = [(e.event_type, e.date) for e in extract_events(article, find_mentions(article))]
    assert ("clash", "2025-03-03") in got and ("crossing", "2025-03-21") in got, got


def test_a_closure_counted_in_days_began_that_many_days_before():
    # published Monday 2024-05-20: the fifth day on Monday, so closed since Thursday the 16th
    (ev,) = _events("The Torkham crossing remained closed for the fifth consecutive day on Monday.")
    assert (ev.sub_event_type, ev.date) == ("crossing closed", "2024-05-16")


def test_all_crossings_closed_is_the_whole_border_s_closing():
    # no crossing named: on the border's line, which the map reports on every crossing of it
    (ev,) = _events("Thailand closed all land crossings with Cambodia on Sunday.")
    assert (ev.sub_event_type, ev.border, ev.date) == ("crossing closed", "KH-TH", "2024-05-19")
    assert ev.place.name.startswith("Cambodia–Thailand border")


@pytest.mark.parametrize(
    "sentence, place",
    [
        # a place that opens the sentence before the officials who speak there
        (
            "In Kabul, a spokesman for the defence ministry claimed that Pakistani forces started "
            "the firing and that three civilians had been wounded in Dand Patan.",
            "Dand-e-Patan",
        ),
        ("In Islamabad, the army claimed that Indian shelling had killed 26 civilians in Kotli.", "Kotli"),
        # a place that opens the sentence as where it happened
        ("In Kotli, Indian shelling killed 26 civilians, officials said.", "Kotli"),
        ("In Kabul, residents said two civilians were wounded by gunfire.", "Kabul"),
    ],
)
def test_a_fronted_place_of_speakers_is_not_the_tolls(sentence, place):
    text = (
        "Pakistani and Afghan troops exchanged fire at Torkham on Thursday. "
        + " ".join(["Traders were worried."] * 4)
        + " "
        + sentence
    )
    assert place in {i.place for i in text_incidents(text)}


def test_a_closing_the_fighting_prompts_is_a_closing_of_its_day():
    """ "prompting the administration to suspend all traffic through the crossing on Tuesday":
    the crossing closed on Tuesday (a decision "to close" is not yet a closing)."""
    text = (
        "PARACHINAR: Afghan forces opened fire on Pakistani posts near Kharlachi late on Monday "
        "night, prompting the district administration to suspend all traffic through the Kharlachi "
        "border crossing on Tuesday morning, official sources said."
    )
    crossings = [i for i in text_incidents(text, date(2026, 3, 17)) if i.event_type == "crossing"]
    assert [(i.place, i.date) for i in crossings] == [("Kharlachi", "2026-03-17")]
    decided = "The government decided on Tuesday to close the Kharlachi crossing for two weeks."
    assert not [i for i in text_incidents(decided, date(2026, 3, 17)) if i.event_type == "crossing"]


@pytest.mark.parametrize(
    "sentence, day",
    [
        ("Authorities closed the Torkham crossing on Monday until 30 August, officials said.", "2025-08-18"),
        # the day it ends is no day of the closing
        ("Authorities closed the Torkham crossing until 30 August, officials said.", "2025-08"),
    ],
)
def test_the_day_a_closing_lasts_until_is_not_its_day(sentence, day):
    incs = text_incidents(sentence, date(2025, 8, 19))
    closing = next(i for i in incs if i.sub_event_type == "crossing closed")
    assert closing.date == day
    # a reopening on the last day, after the report's, is only planned
    assert all(i.planned and i.date == "2025-08-30" for i in incs if i is not closing)


def test_a_timeline_of_dated_bullets():
    """A factbox's bullets in the present tense: each bullet's day dates the sentences after it;
    a crossing named by its town "reopens for" people; officials "meet in" a city; a strike "near
    the Palestinian terminal" is at the story's crossing."""
    text = (
        "FACTBOX - Rafah crossing: closures and reopenings\n\n"
        "The Rafah crossing between Egypt and Gaza is the only way out for most people.\n\n"
        "* May 7, 2024 – Israeli forces take control of the Palestinian side of the crossing. "
        "The crossing shuts.\n\n"
        "* Feb. 2, 2026 – After months of closure, Rafah reopens for the limited movement of people.\n\n"
        "* March 14, 2026 – An Israeli air strike near the Palestinian terminal kills two police officers. "
        "The crossing is shut for three days.\n\n"
        "* Oct. 29, 2026 – Egyptian, Israeli and U.S. officials meet in Cairo to discuss the crossing.\n"
    )
    got = {(i.event_type, i.sub_event_type, i.date) for i in text_incidents(text, date(2026, 11, 2))}
    assert {
        ("crossing", "crossing closed", "2024-05-07"),
        ("crossing", "crossing reopened", "2026-02-02"),
        ("strike", "air/drone strike", "2026-03-14"),
        ("crossing", "crossing closed", "2026-03-14"),
        ("negotiation", "talks held", "2026-10-29"),
    } <= got


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials from both countries will meet in Cairo to discuss the crossing.",
        "The two sides are to meet in Cairo next week.",
        "Kabul reopened for business.",
    ],
)
def test_planned_meetings_and_other_reopenings_are_no_incident(sentence):
    """(a meeting to come is at most planned talks)"""
    assert all(i.planned for i in text_incidents(sentence, date(2026, 11, 2)))


def test_a_toll_after_an_unplaced_fight_of_another_day_is_not_the_last_fights():
    """The toll told right after a recalled attack the text cannot place is that attack's: the
    14 March shelling keeps its own toll (none dead)."""
    text = (
        "On 14 March, a mortar shell fired from Myanmar landed in a paddy field in Ghumdhum, "
        "Bandarban district, wounding two Bangladeshi farmers.\n\n"
        "These events echo the attack of 5 August 2024, when drones and artillery struck families "
        "waiting on the shore. The organisation verified at least 39 deaths."
    )
    (inc,) = [i for i in text_incidents(text, date(2026, 3, 30)) if i.date == "2026-03-14"]
    assert (inc.killed or 0, inc.wounded) == (0, 2)


def test_a_paragraph_told_in_order_carries_its_year():
    """ "The crisis began on May 5, 2020 ... Six weeks later, on the night of June 15, ...": the
    clash of June 15, 2020; "It was the first deadly clash on the border since 1975" only says
    what that clash was."""
    text = (
        "The modern crisis began on May 5, 2020, when troops brawled on the north bank of Pangong Tso. "
        "Six weeks later, on the night of June 15, soldiers fought with clubs and stones in the "
        "Galwan Valley. Twenty Indian soldiers died. It was the first deadly clash on the border since 1975."
    )
    clashes = [
        (i.date, i.place, i.killed) for i in text_incidents(text, date(2026, 6, 9)) if i.event_type == "clash"
    ]
    assert clashes == [("2020-05-05", "Pangong Tso", None), ("2020-06-15", "Galwan Valley", 20)]


@pytest.mark.parametrize(
    "told, day",
    [
        # a day more than six months after the stated date is not told in its year
        ("The talks collapsed on January 5, 2020.", "2025-09-15"),
        # a year stated in the report's own year carries nothing
        ("The talks collapsed on May 5, 2026.", "2025-09-15"),
    ],
)
def test_a_year_is_carried_only_to_the_days_that_follow_it(told, day):
    text = told + " Troops fought in the Galwan Valley on September 15, officials said."
    (inc,) = [i for i in text_incidents(text, date(2026, 6, 9)) if i.event_type == "clash"]
    assert inc.date == day


def test_a_cue_of_one_coordinated_clause_is_not_the_next_ones():
    """ "closed the crossing ..., citing the risk of attacks, and reopened it on Saturday": the
    risk is why it closed, the reopening happened."""
    text = (
        "Guatemalan authorities closed the La Mesilla–Ciudad Cuauhtémoc border crossing on Thursday, citing "
        "the risk of armed groups using the highway, and reopened it at 8 a.m. on Saturday."
    )
    got = sorted((i.sub_event_type, i.date) for i in text_incidents(text, date(2026, 7, 13)))
    assert got == [("crossing closed", "2026-07-09"), ("crossing reopened", "2026-07-11")]


def test_people_told_not_to_travel_to_the_crossing_are_no_returnees():
    """ "the crossing" is a noun there, not people crossing."""
    text = (
        "Their commissioner at Torkham said Pakistan had not honoured its commitments, and advised "
        "Afghans not to travel to the crossing."
    )
    assert [i for i in text_incidents(text, date(2023, 2, 21)) if i.event_type == "displacement"] == []


def test_trains_stopped_in_a_town_close_no_crossing():
    text = "Trains stopped running through Peshawar on Friday, railway officials said."
    assert [i for i in text_incidents(text, date(2026, 8, 11)) if i.event_type == "crossing"] == []


def test_army_chiefs_on_the_hotline_hold_talks_on_their_line():
    """Talks by hotline with no venue sit on the border of the two sides."""
    text = (
        "The two armies' Directors General of Military Operations spoke on the hotline on Tuesday "
        "and agreed to maintain peace along the Line of Control."
    )
    (talks,) = [i for i in text_incidents(text, date(2026, 8, 20)) if i.event_type == "negotiation"]
    assert (talks.sub_event_type, talks.date, talks.place) == (
        "talks by telephone",
        "2026-08-18",
        "India–Pakistan border",
    )


@pytest.mark.parametrize(
    ("sentence", "venue", "day"),
    [
        (
            "Thai and Cambodian defence ministers are expected to meet in Kuala Lumpur on Monday "
            "to discuss the ceasefire, officials said.",
            "Kuala Lumpur",
            "2026-11-09",
        ),
        (
            "The two army chiefs will meet in Doha on Saturday for talks on the border dispute.",
            "Doha",
            "2026-11-07",
        ),
    ],
)
def test_officials_who_will_meet_hold_planned_talks_on_the_day_to_come(sentence, venue, day):
    """Ministers, chiefs or officials who "will meet" or "are expected to meet" in a city, in a
    sentence about the border, plan talks there; the weekday is the next one, not the last."""
    (talks,) = text_incidents(sentence, date(2026, 11, 2))
    assert (talks.event_type, talks.place, talks.date, talks.planned) == ("negotiation", venue, day, True)


def test_ministers_who_will_meet_on_trade_plan_no_border_talks():
    sentence = "The region's trade ministers will meet in Jakarta on Monday to discuss tariffs."
    assert text_incidents(sentence, date(2026, 11, 2)) == []


_TEMPLE_STORY = (
    "Thai and Cambodian soldiers exchanged fire near the Preah Vihear temple on Sunday, killing "
    "two Cambodian soldiers, officials said.\n\n"
    "A spokeswoman for Cambodia's defence ministry said Thai artillery had shelled positions near "
    "the temple {when}."
)


def test_a_landmark_called_by_its_noun_and_one_sides_shelling_of_the_fight():
    """ "Near the temple" is the Preah Vihear temple the story named, and the other side's account
    of the exchange (its artillery shelled positions there) is the same incident."""
    (fight,) = text_incidents(_TEMPLE_STORY.format(when="for an hour"), date(2025, 7, 14))
    assert (fight.event_type, fight.place, fight.date, fight.killed) == (
        "clash",
        "Preah Vihear Temple",
        "2025-07-13",
        2,
    )


def test_shelling_of_the_same_spot_on_another_day_is_another_incident():
    got = {
        (i.event_type, i.place, i.date)
        for i in text_incidents(_TEMPLE_STORY.format(when="on Thursday"), date(2025, 7, 14))
    }
    assert got == {
        ("clash", "Preah Vihear Temple", "2025-07-13"),
        ("strike", "Preah Vihear Temple", "2025-07-10"),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # planned talks: a body "due", "scheduled" or "expected" to meet or convene, in a venue
        (
            "The joint boundary commission is scheduled to meet in Peshawar on Thursday to review "
            "security along the border.",
            ("negotiation", "talks planned", "Peshawar"),
        ),
        (
            "The truce monitoring committee will convene in Jalalabad next week, a diplomat said.",
            ("negotiation", "talks planned", "Jalālābād"),
        ),
        (
            "A delegation of tribal elders is due to travel to Torkham on Sunday to meet border "
            "officials from the other side.",
            ("negotiation", "talks planned", "Torkham"),
        ),
        # talks held: during a meeting in a city; a jirga meeting; a deal signed in a city;
        # a minister who flew to a capital for talks; a long meeting subject; two adjectives
        (
            "Both governments agreed, during a meeting in Quetta, to reopen the border market.",
            ("negotiation", "talks held", "Quetta"),
        ),
        (
            "A 30-member jirga of elders from both sides has been meeting in Landi Kotal since "
            "morning to defuse the border row.",
            ("negotiation", "talks held", "Landi Kotal"),
        ),
        (
            "The border accord signed in Tashkent last month ended years of disputes.",
            ("negotiation", "talks held", "Tashkent"),
        ),
        (
            "The foreign minister flew to Kabul on Monday for talks on the border tensions.",
            ("negotiation", "talks held", "Kabul"),
        ),
        (
            "A meeting between district officials and border guards of the two countries was held "
            "in Chaman on Monday.",
            ("negotiation", "talks held", "Chaman"),
        ),
        (
            "Customs officers of the two border services held a rare technical meeting in Torkham on Monday.",
            ("negotiation", "talks held", "Torkham"),
        ),
        # talks collapsed
        (
            "Talks in Doha on the border truce ended on Monday without agreement.",
            ("negotiation", "talks collapsed", "Doha"),
        ),
        # armed attacks
        (
            "Militants carried out a large-scale attack on Wana on Monday, police said.",
            ("clash", "armed attack", "Wana"),
        ),
        (
            "A farmer was shot dead by border guards outside Chaman on Monday night.",
            ("clash", "armed attack", "Chaman"),
        ),
        (
            "Gunmen attacked an army position near Angoor Adda on Monday.",
            ("clash", "attack on border post", "Angoor Adda"),
        ),
        # a drone that dropped explosives
        (
            "A drone dropped explosives on a police vehicle in Bannu on Monday.",
            ("strike", "air/drone strike", "Bannu"),
        ),
        # movement of people and goods suspended across a bridge
        (
            "Authorities suspended movement of people and goods across the Friendship Bridge at "
            "Hairatan on Monday.",
            ("crossing", "crossing closed", "Hairatan"),
        ),
        # a bridge linking two towns, shut
        (
            "The bridge linking Dajabón and Ouanaminthe was shut for four hours on Monday.",
            ("crossing", "crossing closed", None),
        ),
        # people displaced or pushed back
        (
            "Dozens of families from the border villages moved to relatives in Parachinar on Monday.",
            ("displacement", "people fled", "Parachinar"),
        ),
        (
            "Border guards pushed back 40 migrants at Taftan on Monday.",
            ("displacement", "deportation", "Taftan"),
        ),
        (
            "Iranian officials handed over 120 Pakistani nationals at Taftan on Monday.",
            ("displacement", "deportation", "Taftan"),
        ),
        (
            "Thousands of women and children, many of them wounded, crossed from Sudan into Adré "
            "on Monday, aid workers said.",
            ("displacement", "people fled", "Adré"),
        ),
    ],
)
def test_more_phrasings_of_talks_attacks_closings_and_flight(sentence, expected):
    got = typed_places(sentence)
    if expected[2] is None:
        assert any(g[:2] == expected[:2] for g in got), got
    else:
        assert expected in got, got


def test_a_crossing_shut_by_a_storm_is_shut_but_a_storm_moves_no_one():
    text = (
        "The Torkham crossing was closed to traffic for 20 hours on Monday because of a severe "
        "dust storm.\n\nFloods forced 2,000 families from their villages near Chaman on Monday."
    )
    got = typed_places(text)
    assert got == {("crossing", "crossing closed", "Torkham")}


def test_a_paragraph_told_in_a_past_year_keeps_that_year_for_its_months():
    """ "That July" and "the end of December" are months of the year the paragraph is telling,
    not of the report's; "reopening it" reopens the crossing the sentence names."""
    text = (
        "On 14 March 2019, guards pulled the gates aside at the Ghulam Khan crossing, reopening it "
        "after a decade. The move followed the peace accord the two ministers signed in Kabul "
        "that January. By the end of June, the crossing had been closed again."
    )
    got = {(i.event_type, i.sub_event_type, i.date) for i in text_incidents(text, date(2026, 11, 4))}
    assert {
        ("crossing", "crossing reopened", "2019-03-14"),
        ("negotiation", "talks held", "2019-01"),
        ("crossing", "crossing closed", "2019-06"),
    } <= got, got


def test_an_accord_that_ended_the_fighting_is_no_fight():
    text = "The accord of December 2000 ended the fighting along the Kurram border."
    assert not [i for i in text_incidents(text, date(2026, 11, 4)) if i.event_type == "clash"]


def test_talks_planned_for_a_weekday_are_on_the_next_one_and_a_ceasefire_in_a_third_country():
    text = (
        "Thai officials said the two army commanders were due to meet Monday at the Chong Chom "
        "checkpoint to try to calm the situation."
    )
    (talks,) = text_incidents(text, date(2026, 2, 13))  # a Friday
    assert (talks.sub_event_type, talks.date, talks.planned) == ("talks planned", "2026-02-16", True)
    text = (
        "Thailand and Cambodia traded accusations on Friday. Five days of clashes along their "
        "frontier ended last year when a ceasefire was agreed in Malaysia on July 28."
    )
    got = {(i.sub_event_type, i.place) for i in text_incidents(text, date(2026, 2, 13))}
    assert ("ceasefire agreed", "Kuala Lumpur") in got, got


def test_an_adjective_between_near_the_and_a_landmark_keeps_the_landmark():
    text = "Thai and Cambodian soldiers clashed near the ancient Ta Muen Thom temple on Thursday."
    (fight,) = text_incidents(text, date(2026, 2, 13))
    assert fight.place == "Ta Muen Thom"


def test_armed_men_who_crossed_are_no_people_displaced():
    text = "Troops exchanged fire on Monday with armed men who crossed from Afghanistan near Chaman."
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2026, 11, 4))}
    assert got == {("clash", "Chaman")}, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # military statements: terrorists "neutralised"; a "gun duel"
        (
            "Security forces neutralised four terrorists in an operation near Mir Ali on Monday.",
            ("clash", "armed clash", "Mir Ali"),
        ),
        (
            "Customs officers engaged smugglers in a gun duel near Chaman on Monday.",
            ("clash", "armed clash", "Chaman"),
        ),
        # an attack, a shooting "took place"; "an attack on" with a toll
        (
            "The shooting took place on Monday near Landi Kotal, police said.",
            ("clash", "armed clash", "Landi Kotal"),
        ),
        (
            "Police said six villagers were killed in an attack on Monday in Bannu.",
            ("clash", "armed clash", "Bannu"),
        ),
        # shot dead, passive; fire from the other side that killed
        (
            "A farmer was shot dead and his son wounded by border guards near Chaman on Monday.",
            ("clash", "armed attack", "Chaman"),
        ),
        (
            "Afghan fire killed two Pakistani soldiers near Angoor Adda on Monday.",
            ("clash", "cross-border fire", "Angoor Adda"),
        ),
        # present tense of a timeline
        (
            "3 November 2026 - Militants from across the border attack a police post in Bajaur.",
            ("clash", "attack on border post", "Bajaur"),
        ),
        # a meeting scheduled for a day; talks between ministers in a city
        (
            "A meeting between the district authorities of the two border areas is scheduled for "
            "Friday in Landi Kotal.",
            ("negotiation", "talks planned", "Landi Kotal"),
        ),
        (
            "Pakistan and Afghanistan reopened the Torkham border on Tuesday. It followed a "
            "meeting in Tashkent on Monday between the two foreign ministers.",
            ("negotiation", "talks held", "Tashkent"),
        ),
        (
            "Border representatives of the two countries met in Torkham on Monday for a regular meeting.",
            ("negotiation", "talks held", "Torkham"),
        ),
        # trade through a crossing resumed; the crossing's ferry suspended; people sent back
        (
            "Border trade between the two countries through Torkham resumed on Monday.",
            ("crossing", "crossing reopened", "Torkham"),
        ),
        (
            "About 300 Afghans held in detention were sent back across the Torkham border on Monday.",
            ("displacement", "deportation", "Torkham"),
        ),
    ],
)
def test_statement_timeline_and_agency_phrasings(sentence, expected):
    got = typed_places(sentence)
    assert expected in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "He suffered a heart attack on Monday in Kabul.",
        "The minister's attack on the government in Islamabad was fierce.",
    ],
)
def test_attacks_that_are_no_violence(sentence):
    assert text_incidents(sentence, date(2026, 11, 4)) == []


def test_the_shooting_a_later_sentence_dates_is_the_fight_just_told():
    """A transcript with no date line: its latest date (not the meeting to come) is the reference;
    "the shooting took place on Sunday, 17 August" dates the lede's exchange of fire, and "their
    side of the crossing" reopened on its own day."""
    text = (
        "PRESENTER: Three people are reported dead tonight after soldiers from Pakistan and "
        "Afghanistan exchanged fire on the border near Angoor Adda.\n\n"
        "PRESENTER: The shooting took place on Sunday, 17 August, near a village in the hills.\n\n"
        "PRESENTER: Trucks are moving again at Torkham after Afghan authorities reopened their "
        "side of the crossing on Tuesday, 19 August. The border committee will sit again on "
        "Thursday, 21 August 2025."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert {("clash", "2025-08-17"), ("crossing", "2025-08-19")} <= got, got


def test_families_moved_into_a_town_and_a_meeting_that_will_be_held():
    text = (
        "About 300 families from villages along the border have moved into Parachinar since the "
        "morning, the deputy commissioner said. A second flag meeting will be held at the "
        "Kharlachi crossing on Saturday."
    )
    got = {(i.event_type, i.sub_event_type, i.planned) for i in text_incidents(text, date(2026, 1, 22))}
    assert ("displacement", "people fled", False) in got, got
    assert ("negotiation", "talks planned", True) in got, got


def test_the_hospital_the_wounded_died_in_is_not_where_the_toll_was_taken():
    text = "Two more soldiers died of their wounds on Monday at the military hospital in Peshawar."
    assert not [i for i in text_incidents(text, date(2026, 1, 22)) if i.place == "Peshawar"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Pakistani and Afghan forces have been trading fire near Angoor Adda since Monday.",
            ("clash", "cross-border fire", "Angoor Adda"),
        ),
        (
            "3 November 2026 – Pakistani jets strike hideouts in Barmal.",
            ("strike", "air/drone strike", "Barmal"),
        ),
        (
            "3 November 2026 – Talks in Doha on the border truce end without an agreement.",
            ("negotiation", "talks collapsed", "Doha"),
        ),
        (
            "3 November 2026 – Families begin leaving Bajaur for safer towns.",
            ("displacement", "people fled", "Bajaur"),
        ),
        (
            "Small-arms fire resumed near the Torkham crossing on Monday evening.",
            ("clash", "armed clash", "Torkham"),
        ),
        (
            "By Monday afternoon about 60 families had left for relatives in Parachinar.",
            ("displacement", "people fled", "Parachinar"),
        ),
        (
            "Islamabad sealed the frontier at Chaman on 3 November 2026.",
            ("crossing", "crossing closed", "Chaman"),
        ),
        (
            "On Monday Afghan officials lifted the barrier at Torkham to passenger traffic.",
            ("crossing", "crossing reopened", "Torkham"),
        ),
        (
            "On Monday customs officials suspended truck movements through Torkham.",
            ("crossing", "crossing closed", "Torkham"),
        ),
        (
            "3 November 2026: Torkham reopens after the border talks.",
            ("crossing", "crossing reopened", "Torkham"),
        ),
        (
            "3 November 2026: traffic resumes at the Chaman border crossing.",
            ("crossing", "crossing reopened", "Chaman border crossing"),
        ),
        (
            "On Monday militants overran the Ghulam Khan crossing.",
            ("clash", "attack on border post", "Ghulam Khan"),
        ),
    ],
)
def test_timeline_present_tense_and_more_crossing_phrasings(sentence, expected):
    got = typed_places(sentence)
    assert expected in got, got


def test_a_capital_that_sealed_the_frontier_acts_and_is_not_where_it_was_sealed():
    text = "Kabul sealed the frontier at Torkham on Monday after the clashes."
    places = {i.place for i in text_incidents(text, date(2026, 11, 4)) if i.event_type == "crossing"}
    assert "Kabul" not in places and places, places


def test_talks_brokered_by_two_mediators_are_at_neither_capital_and_habitual_attacks_are_none():
    text = (
        'The talks in Istanbul collapsed on Friday. "The dialogue failed," the minister said on '
        "Friday following four days of negotiations brokered by Qatar and Turkey. He said the "
        "Pakistani Taliban, which has carried out several attacks against Pakistan, was to blame."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2025, 11, 8))}
    assert ("negotiation", "Doha") not in got and ("negotiation", "Istanbul") in got, got
    assert not [g for g in got if g[0] == "clash"], got


def test_a_yearless_wire_dateline_is_filed_after_all_the_story_tells():
    """ "Feb 19 (Reuters)" in a story whose latest full date is in October 2025: filed on 19
    February 2026, so "late on Wednesday" is 18 February 2026, not a day of October 2025."""
    text = (
        "Forces clash at Angoor Adda\n\n"
        "PESHAWAR, Pakistan, Feb 19 (Reuters) - Pakistani and Afghan forces exchanged fire near "
        "the Angoor Adda crossing late on Wednesday, officials said.\n\n"
        "A ceasefire was agreed at talks in Doha on Oct. 19, 2025."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert ("clash", "2026-02-18") in got and ("negotiation", "2025-10-19") in got, got


def test_a_yearless_dateline_after_a_capital_and_a_full_stop_takes_the_year_the_story_is_told_in():
    """ "QUETTA. Jan 22 (Interfax) -": the full stop after the place ends no sentence, and with no
    full date the year comes from "since the beginning of 2026"; "on Wednesday" is 21 January."""
    text = (
        "Civilian killed in shelling of Chaman\n\n"
        "QUETTA. Jan 22 (Interfax) - One civilian was killed when Afghan forces shelled Chaman on "
        "Wednesday evening, officials said.\n\n"
        "Since the beginning of 2026, 14 civilians have been killed in the district, they said."
    )
    got = [(i.event_type, i.date, i.place, i.killed) for i in text_incidents(text, None)]
    assert got == [("strike", "2026-01-21", "Chaman", 1)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Torkham crossing was shut to regular traffic on Monday.",
            ("crossing", "crossing closed", "Torkham"),
        ),
        (
            "Representatives of the two border services held a working meeting at Torkham on Monday.",
            ("negotiation", "talks held", "Torkham"),
        ),
        (
            "The border committee is scheduled to hold its next meeting in Peshawar on Wednesday.",
            ("negotiation", "talks planned", "Peshawar"),
        ),
        (
            "A truce brokered by Qatar took effect at Torkham on Monday after the border clashes.",
            ("negotiation", "ceasefire agreed", "Torkham"),
        ),
        (
            "The offensive that the militants launched on Monday near Mir Ali displaced thousands.",
            ("clash", "armed clash", "Mir Ali"),
        ),
        (
            "Torkham reopened on Monday following a meeting of local border officials from both "
            "sides at Landi Kotal.",
            ("negotiation", "talks held", "Landi Kotal"),
        ),
        ("3 November 2026 - Gunmen kill nine labourers in Turbat.", ("clash", "armed attack", "Turbat")),
        (
            "3 November 2026 - The foreign minister holds talks in Islamabad on the border.",
            ("negotiation", "talks held", "Islamabad"),
        ),
        (
            "On Monday thousands of people were leaving the camps near Chaman.",
            ("displacement", "people fled", "Chaman"),
        ),
        (
            "Officials suspended northbound traffic at Torkham for two hours on Monday.",
            ("crossing", "crossing closed", "Torkham"),
        ),
        (
            "Guards reported rounds fired from the Afghan side near Angoor Adda on Monday.",
            ("clash", "cross-border fire", "Angoor Adda"),
        ),
    ],
)
def test_factbox_statement_and_press_release_phrasings(sentence, expected):
    got = typed_places(sentence)
    assert expected in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "Q&A: Why Pakistan keeps shutting the Torkham border, and what comes next",
        "Why did Pakistan close the Torkham crossing on Monday?",
        "Will the ceasefire agreed in Doha hold?",
    ],
)
def test_a_question_reports_no_incident(sentence):
    assert text_incidents(sentence, date(2026, 11, 4)) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Militants seized Angoor Adda, on the Afghan border, in June 2024.",
            ("clash", "2024-06", "Angoor Adda"),
        ),
        (
            "Government forces recaptured Spin Boldak from the rebels in March 2025.",
            ("clash", "2025-03", "Spin Boldak"),
        ),
        (
            "The district has been contested since April 2012, when militants seized Spin Boldak "
            "before withdrawing.",
            ("clash", "2012-04", "Spin Boldak"),
        ),
    ],
)
def test_a_town_taken_by_force_is_a_fight(sentence, expected):
    got = {(i.event_type, i.date, i.place) for i in text_incidents(sentence, date(2026, 11, 4))}
    assert expected in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "Soldiers captured Afghan smugglers near Chaman on Monday.",  # people, not a place, taken
        "Customs officers seized Pakistani rupees worth millions in Chaman on Monday.",
    ],
)
def test_people_or_goods_seized_are_no_fight(sentence):
    assert not any(i.event_type == "clash" for i in text_incidents(sentence, date(2026, 11, 4)))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # a town at a known crossing, the passive subject of the closing, stands for the crossing
            "Chaman was closed to pedestrians on 2 November, and reopened on the morning of 4 November.",
            {("crossing closed", "2026-11-02", "Chaman"), ("crossing reopened", "2026-11-04", "Chaman")},
        ),
        (
            "Torkham was shut to returnees for about 20 hours on 2 November because of a dust storm, "
            "and reopened on 3 November.",
            {("crossing closed", "2026-11-02", "Torkham"), ("crossing reopened", "2026-11-03", "Torkham")},
        ),
    ],
)
def test_a_crossing_town_closed_and_reopened_in_one_sentence(sentence, expected):
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(sentence, date(2026, 11, 4))}
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a timeline's present tense: forces moving into a town take it
        (
            "12 May 2024 – Pakistani troops backed by armour move into Angoor Adda.",
            ("clash", "armed clash", "Angoor Adda"),
        ),
        # a treaty's signing names its venue after a comma; a declaration is signed
        (
            "The Doha Agreement, signed in the Qatari capital, ended the fighting.",
            ("negotiation", "talks held", "Doha"),
        ),
        (
            "The two governments signed a joint declaration in Doha on Monday ending the dispute.",
            ("negotiation", "talks held", "Doha"),
        ),
        (
            "Pakistan and Afghanistan reached an agreement on border patrols at Torkham on Monday.",
            ("negotiation", "talks held", "Torkham"),
        ),
        # a communique's "welcomes the convening of"
        (
            "Welcomes the convening of the joint border commission in Kabul on 3 November 2026;",
            ("negotiation", "talks held", "Kabul"),
        ),
        (
            "A Pakistani delegation will travel to Kabul on Thursday to discuss the border.",
            ("negotiation", "talks planned", "Kabul"),
        ),
        # a Kenyan daily: a vehicle on a roadside device; a military statement's kill count
        (
            "Two soldiers were wounded when their vehicle ran over an improvised explosive device near "
            "Chaman on Monday.",
            ("strike", "bombing/explosion", "Chaman"),
        ),
        (
            "A drone dropped an explosive device on a truck near Torkham on Monday.",
            ("strike", "air/drone strike", "Torkham"),
        ),
        (
            "On Monday, the army said troops had killed five militants during a search operation near "
            "Ghulam Khan.",
            ("clash", "armed clash", "Ghulam Khan"),
        ),
        # a defence ministry's formula; a village fired towards
        (
            "On Monday, units of the Afghan forces stationed near Angoor Adda subjected to fire the "
            "positions of Pakistani units.",
            ("clash", "cross-border fire", "Angoor Adda"),
        ),
        (
            "Pakistani guards fired small arms towards Spin Boldak on Monday, officials said.",
            ("clash", "cross-border fire", "Spin Boldak"),
        ),
        (
            "On Monday night the Taliban attacked Chaman with artillery and drones, officials said.",
            ("strike", "shelling/artillery", "Chaman"),
        ),
        (
            "Four days of artillery duels near Chaman killed at least 16 soldiers in July 2024.",
            ("clash", "armed clash", "Chaman"),
        ),
        # river traffic; people through a crossing; people handed back
        (
            "Pakistan suspended river traffic at Chaman on Monday.",
            ("crossing", "crossing closed", "Chaman"),
        ),
        (
            "Afghan officials in Torkham said about 8,000 people came through the crossing on Monday.",
            ("displacement", "refugees returning", "Torkham"),
        ),
        (
            "Iranian officials returned 140 people to Islam Qala on Monday.",
            ("displacement", "deportation", "Islam Qala"),
        ),
        (
            "Between 1 and 8 November, an estimated 1,850 people (around 480 families) arrived in Chaman.",
            ("displacement", "refugees returning", "Chaman"),
        ),
    ],
)
def test_communique_timeline_and_daily_phrasings(sentence, expected):
    got = typed_places(sentence)
    assert expected in got, got


def test_a_tally_since_the_start_of_the_year_is_no_toll_of_the_last_strike():
    text = (
        "A drone attack damaged a power substation in Chaman overnight. There were no casualties.\n\n"
        "Since the beginning of 2026, 14 civilians have been killed and 96 injured in the district, "
        "officials said."
    )
    (strike,) = text_incidents(text, date(2026, 1, 22))
    assert (strike.killed, strike.wounded) == (0, 0)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # a daily's lede: the strike came the day before the calm
            "An uneasy calm prevailed along the border in Kurram on Tuesday, a day after Pakistani jets "
            "struck hideouts near Khost.",
            {("strike", "2026-11-02")},
        ),
        (
            "Pakistan closed the Torkham crossing on Thursday, two days after clashes near Chaman killed "
            "four soldiers.",
            {("crossing", "2026-11-05"), ("clash", "2026-11-03")},
        ),
        (  # the clause after "a week after" ends before the event word: the shooting's own day
            "She recalled the shooting on 3 November 2026, a week after the reopening, when guards opened "
            "fire on smugglers near Chaman.",
            {("clash", "2026-11-03")},
        ),
    ],
)
def test_a_day_after_dates_the_event_before(sentence, expected):
    got = {(i.event_type, i.date) for i in text_incidents(sentence, date(2026, 11, 6))}
    assert expected <= got, got


def test_an_undated_feature_dates_days_by_the_latest_month_and_the_paragraph_frame():
    """A feature with no date line: its one full date is of 2017, but it goes on to October 2025;
    "On 11 December" follows "In December 2022" in its paragraph."""
    text = (
        "A border town counts the cost\n\n"
        "The first came on 5 May 2017, when Afghan border police opened fire near Chaman.\n\n"
        "In December 2022 the town was hit directly. On 11 December, Afghan forces fired mortar "
        "shells into Chaman, killing six civilians.\n\n"
        "The worst came in October 2025. Pakistan closed all crossings with Afghanistan on 12 October."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert {("strike", "2022-12-11"), ("crossing", "2025-10-12")} <= got, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # live pages and wires on talks to come
        (
            "Delegations from Islamabad and Kabul have agreed to meet in Doha on Sunday to restore calm.",
            ("negotiation", "talks planned", "Doha"),
        ),
        ("Qatar says talks set for Doha on Sunday.", ("negotiation", "talks planned", "Doha")),
        (
            "The regional border committee would meet its Afghan counterpart in Chaman on Friday.",
            ("negotiation", "talks planned", "Chaman"),
        ),
        (
            "Turkey said it had invited delegations from both countries to talks in Istanbul next week.",
            ("negotiation", "talks planned", "Istanbul"),
        ),
        (
            "The commission's next meeting in Torkham, scheduled for Feb. 25, will review the closure.",
            ("negotiation", "talks planned", "Torkham"),
        ),
        # "agreeing to a ceasefire": the venue is the ceasefire's, the year the sentence's
        (
            "The neighbours fought their worst border battles in October 2025 before agreeing to a "
            "ceasefire in Doha on October 19.",
            ("negotiation", "ceasefire agreed", "Doha"),
        ),
        # an ISPR-style interception; a UN-style burst of fire; drone fire
        (
            "Security forces intercepted a group of militants trying to cross into the Sambaza area of "
            "Zhob district on Thursday night.",
            ("clash", "armed clash", "Sambaza"),
        ),
        (
            "On Saturday afternoon, soldiers positioned near Chaman fired several bursts from a machine gun "
            "towards a patrol.",
            ("clash", "cross-border fire", "Chaman"),
        ),
        (
            "Three people were killed on Monday by Pakistani drone fire in the Barmal district of Paktika.",
            ("strike", "air/drone strike", "Barmal"),
        ),
        # bandits who have killed; an attack by armed men on; forces entering a city
        (
            "Bandits suspected to have crossed from Afghanistan have killed at least seven people in Chaman.",
            ("clash", "armed attack", "Chaman"),
        ),
        (
            "At least nine soldiers were killed on Thursday in an attack by armed men on a military "
            "position in Chaman.",
            ("clash", "armed clash", "Chaman"),
        ),
        (
            "On Wednesday, the aggressor forces entered the city of Chaman.",
            ("clash", "armed clash", "Chaman"),
        ),
        # shelters, a village left, a people's name crossing through a gate
        (
            "Residents of two villages near Chaman have been moved to a temporary shelter at the district "
            "office.",
            ("displacement", "people fled", "Chaman"),
        ),
        (
            "Since Sunday, around 30 families have left the village again and rented flats in Chaman.",
            ("displacement", "people fled", "Chaman"),
        ),
        (
            "Yesterday alone, 1,520 Afghans crossed through the Torkham border gate.",
            ("displacement", "refugees returning", "Torkham"),
        ),
        (
            "Dozens of families from the border villages have left for Parachinar with whatever they "
            "could carry.",
            ("displacement", "people fled", "Parachinar"),
        ),
        (
            "Venezuelan authorities closed the Francisco de Paula Santander bridge between Ureña and Cúcuta "
            "on Monday.",
            ("crossing", "crossing closed", "Francisco de Paula Santander Bridge"),
        ),
        (
            "Thailand shut the Aranyaprathet crossing to traders and tourists on Monday.",
            ("crossing", "crossing closed", "Aranyaprathet–Poipet"),
        ),
        (
            "Dozens of families had left overnight for the homes of relatives in Jamrud, residents said.",
            ("displacement", "people fled", "Jamrud"),
        ),
        (
            "About forty families from villages on the riverbank have moved in with relatives in Khorog.",
            ("displacement", "people fled", "Khorugh"),
        ),
        (
            "Kampala will host a meeting of the Uganda-DRC joint permanent commission on Friday to discuss "
            "the border.",
            ("negotiation", "talks planned", "Kampala"),
        ),
        (
            "A meeting of the Nigeria-Benin joint border security committee was scheduled to hold in "
            "Cotonou on Friday.",
            ("negotiation", "talks planned", "Cotonou"),
        ),
        (
            # people who crossed a border are counted where they crossed into (as the agencies that
            # register them are), not at the town they fled
            "The fighting forced more than 2,000 residents of Beledhawo, most of them women and children, "
            "to cross into Mandera on Tuesday evening.",
            ("displacement", "people fled", "Mandera"),
        ),
        (
            "Turkey's interior minister says more than 7,600 Syrians have gone back through the border "
            "gates at Akcakale since Monday.",
            ("displacement", "refugees returning", "Akçakale"),
        ),
        (
            "As Kurdish fighters drove IS out of Tal Abyad, more than 20,000 people poured through the gate "
            "into Akcakale on Monday.",
            ("displacement", "people fled", "Akçakale"),
        ),
    ],
)
def test_live_page_wire_and_un_phrasings(sentence, expected):
    got = typed_places(sentence, date(2026, 11, 5))
    assert expected in got, got


def test_a_month_with_its_year_gives_its_year_to_a_day_later_in_the_sentence():
    got = text_incidents(
        "The neighbours fought their worst border battles in October 2025 before agreeing to a "
        "ceasefire in Doha on October 19.",
        date(2026, 11, 5),
    )
    assert ("negotiation", "2025-10-19") in {(i.event_type, i.date) for i in got}


def test_where_the_wounded_were_taken_is_not_where_they_were_hit():
    text = (
        "Iraqi border guards killed two smugglers in a clash near the Rabia border crossing late "
        "Sunday, officials said.\n\n"
        "A local source said one border guard was also wounded in the exchange of fire and taken to a "
        "hospital in Mosul."
    )
    got = [(i.event_type, i.place, i.killed, i.wounded) for i in text_incidents(text, date(2025, 6, 24))]
    assert got == [("clash", "Rabia–Yarubiyah", 2, 1)]


def test_an_ambiguous_byline_date_still_gives_the_story_its_year():
    """ "Published 11/02/2026" may be 11 February or 2 November: the days the story tells without
    a year are of 2026 (not of the 2024 ceasefire it recalls), and its weekdays stay unresolved."""
    text = (
        "Families leave Kfar Kila again\n\nPublished 11/02/2026, 13:40\n\n"
        "The Israeli army blew up dozens of homes in the weeks after the Nov. 27, 2024 ceasefire.\n\n"
        "On Wednesday morning, an Israeli drone dropped a grenade near an excavator in Kfar Kila, "
        "lightly wounding its operator.\n\n"
        "The ceasefire committee is expected to meet in Naqoura on Feb. 25 to discuss the strikes."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert ("negotiation", "2026-02-25") in got and ("strike", None) in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "According to a tally based on ministry statements, more than 330 people have been killed by "
        "Israeli strikes in Lebanon since the ceasefire came into effect.",
        "Since the beginning of 2026, drone strikes have killed 14 civilians in the district.",
        "Over the past six months, Pakistan has closed the Torkham crossing three times.",
        "So far this year, shelling across the Line of Control has forced 4,000 villagers from Uri.",
    ],
)
def test_a_tally_of_a_period_reports_no_incident(sentence):
    assert text_incidents(sentence, date(2026, 2, 11)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Pakistani shelling hit Kupwara on Monday, the heaviest since the ceasefire of 2021.",
        "The crossing at Chaman reopened on Monday for the first time since the war began.",
    ],
)
def test_a_first_or_worst_since_compares_it_counts_nothing(sentence):
    assert len(text_incidents(sentence, date(2026, 2, 11))) == 1


@pytest.mark.parametrize(
    "text",
    [
        "On 6 September 2023, Torkham was closed after a row over a new post; it reopened on 15 September.",
        "The Torkham crossing was closed on 6 September 2023. It was reopened on 15 September after talks.",
    ],
)
def test_a_crossing_told_as_it_is_the_crossing_just_told(text):
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2025, 3, 25))}
    assert ("crossing reopened", "2023-09-15", "Torkham") in got, got


def test_it_is_no_crossing_when_no_crossing_was_just_told():
    text = (
        "The Torkham crossing was closed on Saturday.\n\n"
        "A school in Landi Kotal was damaged by the rain. It reopened on Monday."
    )
    assert {i.sub_event_type for i in text_incidents(text, date(2025, 3, 25))} == {"crossing closed"}


def test_an_opening_date_times_what_comes_before_the_next_date():
    text = (
        "On 6 September 2023, Torkham was closed after Pakistani and Afghan border forces exchanged "
        "fire over a new post; it reopened on 15 September."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 3, 25))}
    assert ("clash", "2023-09-06") in got, got


def test_the_crossing_is_the_one_its_own_sentence_names():
    text = (
        "Between 1 and 10 March, 86,400 Afghans returned from Iran through the Islam Qala and Milak "
        "border points.\n\n"
        "Islam Qala was closed to all traffic on 9 March after an exchange of fire between border "
        "forces near the crossing."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2026, 3, 12))}
    assert ("clash", "Milak–Zaranj") not in got, got


def test_a_crossing_shut_with_each_new_crisis_is_a_habit():
    text = "The Chaman gate is likely to stay a pressure point, opened and shut with each new crisis."
    assert text_incidents(text, date(2025, 11, 3)) == []


def test_a_ceasefire_a_calm_is_counted_from_is_still_agreed():
    text = (
        "The fragile calm on the border since the ceasefire agreed in Doha on 19 October was tested "
        "again last night."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2025, 11, 3))}
    assert ("negotiation", "Doha") in got, got


def test_the_day_an_incident_took_place_dates_the_fight_just_told():
    text = (
        "Indian and Chinese soldiers were injured in a face-off at Yangtse in Arunachal Pradesh's "
        "Tawang sector last week, the Indian Army said on Monday.\n\n"
        "The incident took place on Friday, December 9, when troops of the People's Liberation "
        "Army contacted the LAC in the sector."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2022, 12, 13))}
    assert got == {("clash", "2022-12-09")}, got


def test_a_time_of_day_does_not_redate_the_fight_just_told():
    text = (
        "BANGUI, March 14, 2026 (AFP) - At least nine Central African soldiers were killed on Thursday "
        "in an attack by armed men on a military position in Birao, a town close to the borders with "
        "Chad and Sudan, a security source told AFP on Saturday.\n\n"
        '"The assailants came in several pick-ups at dawn and attacked the FACA (Central African '
        "Armed Forces) position at the entrance of the town. The fighting lasted nearly three hours,"
        '" said the source.'
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert got == {("clash", "2026-03-12")}, got


def test_a_fight_of_a_past_year_named_after_it_is_recalled():
    text = (
        "Soldiers clashed at Yangtse on Friday, the first such clash since the deadly Galwan Valley "
        "skirmish of 2020."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2022, 12, 13))}
    assert ("clash", "Galwan Valley") not in got, got


def test_a_date_in_the_title_is_the_day_told_of_not_one_told_after():
    text = (
        "Transcript: Ministry of National Defence weekly press briefing, Ankara, 15 August 2024\n\n"
        "QUESTION: Officials in Duhok say a drone strike on Sunday hit a car on the road outside "
        "Amedi and killed two civilians from the Kani Masi area. What is your response?"
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert got == {("strike", "2024-08-11")}, got


def test_talks_the_story_told_the_fighting_of_need_no_border_word():
    text = (
        "Pakistani and Afghan border forces exchanged fire at Torkham late on Monday night.\n\n"
        "A jirga of tribal elders from both sides was expected to meet at Torkham on Thursday."
    )
    got = {(i.event_type, i.sub_event_type, i.date) for i in text_incidents(text, date(2025, 3, 4))}
    assert ("negotiation", "talks planned", "2025-03-06") in got, got


def test_a_meeting_with_no_subject_of_conflict_in_a_quiet_story_is_none():
    text = "Chilean and Bolivian consular officials are scheduled to meet in Oruro on 24 March."
    assert text_incidents(text, date(2026, 3, 12)) == []


def test_talks_held_before_more_were_agreed_keep_their_own_day():
    text = (
        "Pakistani and Afghan border forces exchanged fire at Torkham late on Monday night.\n\n"
        "A grand jirga of tribal elders from both sides met at Torkham on Sunday and agreed to hold "
        "another round of talks."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 3, 4))}
    assert ("negotiation", "2025-03-02") in got, got


def test_people_who_fled_a_place_the_gazetteer_lacks_are_placed_where_they_went():
    text = "Local officials said dozens of families fled Qasr for Hermel after the shelling on Monday."
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2025, 3, 18))}
    assert ("displacement", "El Hermel") in got, got


def test_a_meeting_place_is_not_where_people_went():
    text = (
        "On 6 March, a technical meeting between Herat authorities and Iranian border officials "
        "was held in Taybad to discuss the pace of deportations."
    )
    assert "displacement" not in {i.event_type for i in text_incidents(text, date(2026, 3, 12))}


def test_migrant_workers_who_returned_through_a_crossing_are_returns():
    text = (
        "Cambodian officials said more than 2,000 migrant workers had returned from Thailand "
        "through Poipet since Tuesday."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2026, 2, 12))}
    assert ("displacement", "Paoy Paet") in got, got


@pytest.mark.parametrize(
    "text",
    [
        "Four khwarij were neutralised near Ghulam Khan, while three injured khwarij fled across the border.",
        "The wounded have been evacuated and are receiving care in Gao.",
        "He was evacuated to the Rosa Duarte provincial hospital in Comendador on Thursday.",
        "Latvia has tightened rules for crossing into Russia at Terehova.",
        "Families strolled between the stalls at Penjwen and children queued for ice cream.",
    ],
)
def test_no_flight_of_people(text):
    assert "displacement" not in {i.event_type for i in text_incidents(text, date(2026, 1, 14))}


def test_one_sides_undated_shelling_across_the_gate_is_the_fight():
    text = (
        "March 5, 2026 10:26 AM GMT+5\n\n"
        "QUETTA, Pakistan, March 5 (Reuters) - Pakistani and Afghan Taliban forces exchanged heavy "
        "fire overnight at the Chaman border crossing, killing at least nine people, officials said "
        "on Thursday.\n\n"
        "Zabihullah Mujahid, the spokesman for the Taliban administration in Kabul, said on X that "
        "four civilians were killed and 11 wounded in Spin Boldak when Pakistani shells struck "
        "residential areas.\n\n"
        "The Friendship Gate was closed to trade and pedestrians early on Thursday."
    )
    got = [(i.event_type, i.place) for i in text_incidents(text, None) if i.event_type != "crossing"]
    assert got == [("clash", "Chaman border crossing")], got


def test_one_sides_undated_shelling_in_the_district_of_the_fight_is_the_fight():
    """Residents of the district's main town tell of shells near their villages, with no day
    of their own, in a story of the exchange of fire in that district: one incident."""
    text = (
        "Pakistani troops and Afghan Taliban fighters exchanged heavy fire in Kurram district on "
        "Tuesday night, security officials said on Wednesday. Residents of Parachinar said several "
        "mortar shells landed near villages close to the border."
    )
    got = [(i.event_type, i.place) for i in text_incidents(text, date(2025, 10, 15))]
    assert len(got) == 1 and got[0][0] == "clash" and got[0][1] in ("Kurram", "Parachinar"), got


def test_guns_that_open_fire_shell():
    text = (
        "Turkish guns opened fire on Wednesday, hitting positions around the Syrian town of Tel Abyad, "
        "across the border from Akcakale."
    )
    assert {i.event_type for i in text_incidents(text, date(2012, 10, 5))} == {"strike"}


@pytest.mark.parametrize(
    "line, expected",
    [
        ("21 May 2011 – Sudanese troops and tanks seize Abyei town.", ("clash", "2011-05-21")),
        (
            "27 September 2012 – The two presidents sign a package of cooperation agreements in Addis "
            "Ababa, but Abyei is left unresolved.",
            ("negotiation", "2012-09-27"),
        ),
    ],
)
def test_a_timeline_tells_in_the_present(line, expected):
    text = f"Abyei: a timeline\n\nUpdated: Thu 12 Feb 2026 09:40 GMT\n\n{line}"
    assert expected in {(i.event_type, i.date) for i in text_incidents(text, None)}


def test_people_who_flee_with_no_place_flee_the_fight_just_told():
    text = (
        "Abyei: a timeline\n\nUpdated: Thu 12 Feb 2026 09:40 GMT\n\n"
        "21 May 2011 – Sudanese troops and tanks seize Abyei town. More than 100,000 people flee "
        "south, many to Agok and to Turalei in Twic county."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, None)}
    assert ("displacement", "Abyei") in got, got


def test_a_bridge_linking_two_border_towns_is_their_crossing():
    text = (
        "Cameroonian authorities closed the bridge over the El Beid river linking Gamboru and Fotokol "
        "on Thursday morning. The bridge reopened at noon today, but only to pedestrians."
    )
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2026, 3, 13))}
    assert got == {
        ("crossing closed", "2026-03-12", "Gamboru–Fotokol"),
        ("crossing reopened", "2026-03-13", "Gamboru–Fotokol"),
    }, got


def test_a_bridge_closed_for_repairs_in_a_town_is_no_crossing():
    assert (
        text_incidents(
            "The mayor closed the bridge over the river in Gamboru for repairs.", date(2026, 3, 13)
        )
        == []
    )


def test_a_closure_told_again_is_at_the_crossing_just_told():
    text = (
        "Thai and Lao officials closed the Chong Mek-Vang Tao border checkpoint to all traffic on "
        "Friday. The closure came a week after the governors of Ubon Ratchathani and Champasak met "
        "in Pakse and agreed to step up joint patrols."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2026, 3, 28))}
    assert ("crossing", "Pakse") not in got, got


def test_helicopters_that_strike_are_a_strike():
    text = "Our helicopters also struck a group of terrorists on Wednesday morning in the bush near Banki."
    assert {i.event_type for i in text_incidents(text, date(2025, 11, 28))} == {"strike"}


def test_a_corridor_suspended_and_reopened_is_a_crossing():
    text = (
        "The Kartarpur corridor: a timeline\n\nPublished 13 March 2026\n\n"
        "16 March 2020 — India suspends travel through the Kartarpur corridor as Covid-19 spreads.\n\n"
        "17 November 2021 — The corridor reopens to pilgrims."
    )
    got = {(i.sub_event_type, i.date) for i in text_incidents(text, None)}
    assert got == {("crossing closed", "2020-03-16"), ("crossing reopened", "2021-11-17")}, got


def test_an_assault_driven_back_is_a_fight():
    text = (
        "A Russian assault group of about 15 soldiers tried to cross into Sumy region near the village "
        "of Velyka Pysarivka before dawn and was driven back."
    )
    assert {i.event_type for i in text_incidents(text, date(2025, 3, 13))} == {"clash"}


def test_the_reopening_that_followed_talks_is_no_second_reopening():
    text = (
        "Pakistan reopened the Torkham border crossing with Afghanistan to cargo traffic on February 5.\n\n"
        "The reopening followed talks between border commanders and customs officials from both sides "
        "at Torkham on February 3, officials in Landi Kotal said."
    )
    got = sorted((i.event_type, i.date) for i in text_incidents(text, date(2026, 2, 6)))
    assert got == [("crossing", "2026-02-05"), ("negotiation", "2026-02-03")], got


@pytest.mark.parametrize(
    "line, expected",
    [
        ("3 June 2024 – Border guards open fire on smugglers near Taftan.", "clash"),
        ("3 June 2024 – Pakistani troops seal the crossings at Torkham and Chaman.", "crossing"),
        ("3 June 2024 – Israel strikes Hezbollah positions near Bint Jbeil.", "strike"),
        ("3 June 2024 – Hundreds of families leave their villages near Bajaur.", "displacement"),
        ("3 June 2024 – Gunmen fight police near Zubin Potok.", "clash"),
        ("3 June 2024 – Both sides announce a 48-hour ceasefire at Doha.", "negotiation"),
        ("3 June 2024 – Talks in Doha produce a deal on the border crossings.", "negotiation"),
    ],
)
def test_a_timeline_or_headline_tells_in_the_present(line, expected):
    text = f"The border: a timeline\n\nUpdated: Thu 12 Feb 2026 09:40 GMT\n\n{line}"
    assert (expected, "2024-06-03") in {(i.event_type, i.date) for i in text_incidents(text, None)}


def test_a_headline_strike_hits_its_own_place_not_the_next_clauses():
    text = (
        "Drone strike hits Heglig oil facility, South Sudan sends delegation to Port Sudan\n\n"
        "The facility was still burning on Tuesday."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2026, 1, 20))}
    assert ("strike", "Heglig") in got and ("strike", "Port Sudan") not in got, got


def test_a_crossing_that_will_reopen_only_on_a_condition_is_none_but_one_set_for_a_day_is():
    text = (
        "Officials said the crossing at Torkham will reopen only when guarantees are given. "
        "The Chaman crossing will reopen for trade from Monday, officials said."
    )
    got = {(i.sub_event_type, i.place) for i in text_incidents(text, date(2025, 10, 20))}
    assert got == {("crossing reopened", "Chaman border crossing")}, got


def test_the_crossing_after_an_event_at_its_town_is_that_towns_crossing():
    text = (
        "11 December 2022 – Afghan forces fire mortar shells into Chaman, killing six civilians. "
        "The crossing is closed for several days.\n\n"
        "15 December 2022 – A second exchange of fire near the gate wounds 15 people."
    )
    got = {(i.event_type, i.date, i.place) for i in text_incidents(text, date(2023, 1, 10))}
    assert ("crossing", "2022-12-11", "Chaman border crossing") in got, got
    assert ("clash", "2022-12-15", "Chaman border crossing") in got, got


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a paragraph opened with its day: a time of day in it is of that day
            "Two years on, the valley is quiet.\n\nOn 14 May 2023 the village woke to gunfire. About "
            "30 armed men ambushed a police patrol near Zubin Potok before dawn, killing one officer.",
            ("clash", "2023-05-14"),
        ),
        (  # a sentence opened with its day: the night before it, not the report's
            "The timeline\n\n12 October 2025 – Pakistan closes its crossings with Afghanistan after "
            "overnight attacks on border posts near Kurram.",
            ("clash", "2025-10-12"),
        ),
    ],
)
def test_a_time_of_day_is_of_the_day_told_not_the_report(text, expected):
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 11, 20))}
    assert expected in got, got


def test_a_fight_told_again_with_no_place_or_day_of_its_own_is_the_fight_just_told():
    text = (
        "PARACHINAR: Two soldiers were killed when Afghan forces opened fire on Pakistani posts in the "
        "Kharlachi area of Kurram district late on Tuesday night, officials said.\n\n"
        "According to security sources, the Afghan side resorted to heavy firing at around 11pm, "
        "targeting posts near the Pak-Afghan border.\n\n"
        "One of the injured succumbed to his wounds at the Combined Military Hospital Parachinar on "
        "Wednesday afternoon, raising the death toll to three."
    )
    got = text_incidents(text, date(2026, 1, 22))
    assert [(i.event_type, i.place, i.date) for i in got] == [("clash", "Kharlachi", "2026-01-20")], got
    assert got[0].killed == 3


def test_a_fight_told_in_a_separate_incident_is_not_the_fight_just_told():
    text = (
        "Two soldiers were killed when Afghan forces opened fire on Pakistani posts in the Kharlachi "
        "area of Kurram district late on Tuesday night.\n\n"
        "In a separate incident, militants opened fire on a checkpoint near the border."
    )
    article = article_from_text("t.txt", text, published=date(2026, 1, 22))
    places = [ev.place.name for ev in extract_events(article, find_mentions(article))]
    assert places[0] == "Kharlachi" and places[1] != "Kharlachi", places


def test_pressing_for_a_reopening_is_none():
    text = (
        "Elders will meet Afghan officials at Kharlachi on Saturday to press for the reopening of the "
        "crossing, which was closed after the firing."
    )
    got = {i.sub_event_type for i in text_incidents(text, date(2026, 1, 22))}
    assert "crossing reopened" not in got, got


def test_a_headline_told_more_finely_in_the_body_is_one_incident():
    text = (
        "Troops in Nakhchivan fire on Armenian border village, one hurt\n\n"
        "YEREVAN, Armenia - Armenia's Defence Ministry said on Wednesday that Azerbaijani troops in "
        "the exclave opened fire on the village of Yeraskh, wounding a farmer."
    )
    got = [(i.event_type, i.place) for i in text_incidents(text, date(2026, 3, 12))]
    assert got == [("clash", "Yeraskh")], got


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Last month hundreds of villagers left Tirah during an operation against militants.",
            "displacement",
        ),
        (
            "Border guards pushed 30 people, among them eight children, into Bangladesh near Teknaf.",
            "displacement",
        ),
        (
            "The move followed talks in Kabul on Monday between the two countries' trade ministers.",
            "negotiation",
        ),
        (
            "It came after three rounds of talks between elders and border officials, the last held "
            "at the Torkham zero point on Monday.",
            "negotiation",
        ),
        ("The two border committees will meet in Torkham on Thursday to discuss the clashes.", "negotiation"),
    ],
)
def test_flight_pushbacks_and_talks_told_plainly(sentence, expected):
    got = {i.event_type for i in text_incidents(sentence, date(2026, 3, 12))}
    assert expected in got, got


def test_a_yearless_dateline_files_the_story_after_the_latest_month_it_names_with_its_year():
    text = (
        "QUETTA, Pakistan, Feb 3 (Reuters) - Pakistan closed the Chaman border crossing on Tuesday "
        "after an exchange of fire with Afghan border guards, officials said.\n\n"
        "The crossing had reopened only last month after the fighting of November 2025."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert ("crossing", "2026-02-03") in got, got


def test_forces_that_traded_fire_of_several_arms_fought_and_the_other_sides_shelling_is_that_fight():
    text = (
        "Pakistan closed the Chaman crossing on Wednesday, hours after its troops and Afghan border "
        "guards traded machine-gun and mortar fire near the crossing for much of Tuesday night.\n\n"
        "An Afghan spokesman said one border guard was killed when a mortar round hit a post on the "
        "Afghan side of the crossing."
    )
    got = [(i.event_type, i.date, i.place, i.killed) for i in text_incidents(text, date(2026, 1, 14))]
    assert ("clash", "2026-01-13", "Chaman border crossing", 1) in got, got
    assert not any(t == "strike" for t, *_ in got), got


def test_a_crossing_told_as_it_before_its_words_and_one_reopened_to_cars():
    text = (
        "The Kharlachi border crossing was busy again on Monday. It had been closed to all movement "
        "since 12 October, when fighting broke out along the border.\n\n"
        "Timeline\n27 February 2026 - Torkham reopens to cars"
    )
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2026, 3, 2))}
    assert ("crossing closed", "2025-10-12", "Kharlachi") in got, got
    assert ("crossing reopened", "2026-02-27", "Torkham") in got, got


def test_the_day_a_communique_bears_is_not_the_day_it_tells_and_its_wounded_evacuated_are_patients():
    text = (
        "Six soldiers were killed when a patrol was ambushed on Monday near Ayorou, the defence "
        "ministry said in a communiqué dated 21 January 2026. One border guard was hurt and was "
        "evacuated to King Abdullah bin Hussein Military Hospital in Mafraq."
    )
    got = [(i.event_type, i.date) for i in text_incidents(text, None)]
    assert got == [("clash", "2026-01-19")], got


def test_a_story_dated_by_its_text_is_read_from_the_latest_day_it_states_even_without_its_year():
    text = (
        "Shells hit Chaman villages\n\n"
        "CHAMAN: Three people were killed when mortar shells landed in Killi Luqman on Sunday night "
        "(March 8), officials said. Afghan forces opened fire on Pakistani posts near the Chaman "
        "crossing and the exchange went on till the early hours of Monday.\n\n"
        "The crossing had reopened for trade only on February 23, 2026."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, None)}
    assert ("clash", "2026-03-09") in got and ("clash", "2026-02-23") not in got, got


def test_a_terminal_that_reopened_after_a_closure_reopened_and_a_suspension_since_a_month_began_then():
    text = (
        "Trade through the Angoor Adda crossing was suspended again on Friday. The terminal had "
        "reopened only on 2 May after a four-month closure.\n\n"
        "Cross-border trade at Chakothi in the Jhelum valley has been suspended since April 2019."
    )
    got = {(i.sub_event_type, i.date) for i in text_incidents(text, date(2025, 6, 21))}
    assert ("crossing reopened", "2025-05-02") in got, got
    assert ("crossing closed", "2019-04") in got, got
    assert ("crossing closed", "2025-05-02") not in got, got


def test_clashes_since_a_month_are_not_dated_by_it():
    got = {
        i.date
        for i in text_incidents("Clashes have continued near Chaman since April 2019.", date(2025, 6, 21))
    }
    assert "2019-04" not in got, got


def test_an_ambush_on_the_road_between_two_towns_is_one_incident():
    text = "Gunmen ambushed a bus on the road between Mandera and Elwak on Sunday, killing six people."
    got = [(i.event_type, i.killed) for i in text_incidents(text, date(2025, 9, 9))]
    assert got == [("clash", 6)], got


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Iran on Monday handed 35 Afghans back to the Taliban authorities at the Milak crossing.",
            ("displacement", "deportation"),
        ),
        (
            "More than 900 Syrians returned home voluntarily through Cilvegözü on Sunday.",
            ("displacement", "refugees returning"),
        ),
        (
            "The joint border committee held a meeting on Saturday at the Wagah crossing.",
            ("negotiation", "talks held"),
        ),
        (
            "The deputy commissioner chaired a meeting in Chaman with elders from both communities.",
            ("negotiation", "talks held"),
        ),
    ],
)
def test_handovers_returns_and_meetings_held(sentence, expected):
    got = {(i.event_type, i.sub_event_type) for i in text_incidents(sentence, date(2026, 3, 12))}
    assert expected in got, got


def test_a_meeting_held_on_anything_else_is_none():
    text = "The deputy commissioner chaired a meeting in Chaman on preparations for the polio campaign."
    assert text_incidents(text, date(2026, 3, 12)) == []


def test_fire_heard_elsewhere_from_the_exchange_and_one_sides_shelling_are_the_fight_told():
    text = (
        "Pakistani and Afghan forces fought a gunbattle at Chaman overnight, officials said on "
        "Wednesday. Two soldiers were killed when Afghan forces opened fire on a post overlooking "
        "the border gate late on Tuesday.\n\n"
        "An Afghan official said two border guards were killed when Pakistani mortar rounds "
        "struck shops near the customs terminal.\n\n"
        "Residents of Spin Boldak said heavy firing went on until dawn and that one stray shell "
        "from the exchange landed in an orchard."
    )
    got = {(i.event_type, i.date, i.place) for i in text_incidents(text, date(2026, 1, 14))}
    assert ("clash", "2026-01-13", "Chaman border crossing") in got, got
    assert all(d == "2026-01-13" for t, d, p in got), got
    assert not any(p == "Spin Boldak" for t, d, p in got), got


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Ghulam Khan, about 30 km from Miranshah, reopened only in March 2025 after being shut "
            "for five months.",
            ("crossing reopened", "2025-03"),
        ),
        (
            "12 July 2024 - A ceasefire takes hold along the Kyrgyzstan-Tajikistan border.",
            ("ceasefire agreed", "2024-07-12"),
        ),
        (
            "3 June 2024: Afghan forces fire artillery and mortars into Chaman.",
            ("shelling/artillery", "2024-06-03"),
        ),
        ("2 May 2024 - The two foreign ministers hold talks in Tashkent.", ("talks held", "2024-05-02")),
        (
            "Pakistan said it struck three Afghan military targets including a base opposite "
            "Angoor Adda on 5 March 2025.",
            ("strike", "2025-03-05"),
        ),
        (
            "About 40 families from villages near the border moved to a school in Chaman.",
            ("people fled", None),
        ),
    ],
)
def test_timeline_entries_and_plain_reports_in_several_forms(sentence, expected):
    got = {(i.sub_event_type, i.date) for i in text_incidents(sentence, date(2025, 11, 19))}
    sub, day = expected
    assert any(s == sub and (day is None or d == day) for s, d in got), got


def test_an_invitation_to_a_meeting_is_planned_talks():
    text = "The EU invited the negotiators of both sides to an emergency meeting in Brussels on Tuesday."
    got = [(i.sub_event_type, i.place, i.date) for i in text_incidents(text, date(2026, 6, 14))]
    assert got == [("talks planned", "Brussels", "2026-06-16")], got


def test_children_sent_to_school_and_people_who_cross_daily_are_no_events():
    text = (
        "Families in Chaman sent their children back to school on Monday. Thousands of people "
        "cross the border at Torkham every day."
    )
    assert text_incidents(text, date(2026, 3, 3)) == []


def test_a_timeline_entrys_following_day_counts_from_the_entrys_day_and_each_crossing_is_its_own():
    text = (
        "Timeline\n\n"
        "14 March 2021 - Talks in Brussels end without a deal.\n\n"
        "2 June 2022 - Protesters set fire to the customs sheds at Qamar Din Karez. Troops sealed "
        "the Torkham crossing the following day.\n\n"
        "5 June 2022 - Chaman reopens to trade.\n\n"
        "6 June 2022 - Torkham reopens to trade, four days after it was shut."
    )
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2022, 6, 10))}
    assert ("crossing closed", "2022-06-03", "Torkham") in got, got
    assert ("crossing reopened", "2022-06-05", "Chaman") in got, got
    assert ("crossing reopened", "2022-06-06", "Torkham") in got, got


def test_a_crossing_shut_by_it_with_traffic_from_a_country_is_the_crossing_and_blockades_lifted_reopen():
    text = (
        "Torkham reopened to traffic from Afghanistan on Wednesday, ten days after it was shut.\n\n"
        "The blockades at the Chaman crossing were lifted on Thursday."
    )
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2025, 10, 24))}
    assert ("crossing closed", "2025-10-12", "Torkham") in got, got
    assert not any(p == "Afghanistan" for s, d, p in got), got
    assert ("crossing reopened", "2025-10-23", "Chaman border crossing") in got, got


def test_deportees_who_lived_somewhere_for_decades_were_deported_now_through_the_crossing():
    text = (
        "The Chaman crossing remained shut to trade on Sunday. Pakistan deported 900 Afghans "
        "through the crossing on Saturday, most of them families who had lived in Quetta for "
        "decades.\n\n"
        "A steady stream of families were leaving Spin Boldak for Kandahar city on Sunday."
    )
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2026, 4, 12))}
    assert ("deportation", "2026-04-11", "Chaman border crossing") in got, got
    assert ("people fled", "2026-04-12", "Spin Boldak") in got, got


def test_movement_of_people_through_a_crossing_suspended_is_a_closure_not_a_flight():
    text = "Movement of people through the Torkham crossing has been suspended until further notice."
    got = {i.event_type for i in text_incidents(text, date(2025, 11, 19))}
    assert got == {"crossing"}, got


def test_an_artillery_attack_is_shelling():
    text = "An artillery attack on Kharlachi village killed three people on Sunday, officials said."
    got = {(i.event_type, i.sub_event_type, i.killed) for i in text_incidents(text, date(2025, 11, 19))}
    assert ("strike", "shelling/artillery", 3) in got, got


def test_a_county_named_alone_is_its_namesake_town_for_an_event_when_the_story_names_the_town():
    text = (
        "Residents of Mandera town spent a sleepless night as fighting raged across the border, "
        "officials in Mandera County said on Sunday.\n\n"
        "More than 2,000 people streamed into Mandera on Saturday as the shooting intensified."
    )
    got = [(i.event_type, i.place, round(i.lat, 1)) for i in text_incidents(text, date(2025, 11, 16))]
    assert ("displacement", "Mandera", 3.9) in got, got


def test_it_reopened_after_a_sentence_naming_the_gate_at_a_crossing_town():
    """ "Behind me is the gate that leads to Tal Abyad. It was reopened yesterday": the sentence
    before named the crossing by its word and its town."""
    text = (
        "Our correspondent is in Akcakale. Behind me is the gate that leads to Tal Abyad, on the Syrian "
        "side. It was reopened yesterday for Syrians who want to return."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2024, 12, 17))}
    assert ("crossing", "Akçakale–Tell Abyad") in got, got


def test_a_fight_that_forced_people_to_flee_has_the_flights_date():
    """ "In March 2021, clashes around La Victoria forced 5,000 people to cross into Arauquita": the
    date the parse gives the flight is the fight's too."""
    text = (
        "In March 2021, clashes between the Venezuelan army and FARC dissidents around La Victoria "
        "forced some 5,000 people to cross into Arauquita."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 5, 15))}
    assert ("clash", "2021-03") in got and ("displacement", "2021-03") in got, got


def test_a_toll_said_a_day_later_is_the_toll_of_the_attack_told_before():
    """ "The commander said yesterday that two villagers were killed in the attack": the day of the
    saying is no day of a second attack."""
    text = (
        "Armed men crossed the river and attacked Mahurunga village in Mtwara Rural District on "
        "Wednesday night. The regional police commander said yesterday that two villagers were "
        "killed and three others injured in the attack."
    )
    got = [(i.event_type, i.date, i.killed) for i in text_incidents(text, date(2025, 8, 9))]
    assert got == [("clash", "2025-08-06", 2)], got


def test_an_event_in_an_unknown_area_of_a_named_province_is_in_the_province():
    """ "near Pundanhar, in Cabo Delgado's Palma district": neither the village nor the district
    is known (no Palma of Majorca), the province that holds them is."""
    text = (
        "Mozambican and Rwandan forces clashed with insurgents near Pundanhar, in Cabo Delgado's "
        "Palma district, on Monday."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2025, 8, 9))}
    assert got == {("clash", "Cabo Delgado")}, got


def test_a_closing_after_a_fight_dates_the_fight_and_a_reopening_tried_is_none():
    text = "Torkham was last closed for nine days in September 2023 after border guards exchanged fire there."
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 3, 4))}
    assert got == {("crossing", "2023-09"), ("clash", "2023-09")}, got
    # elders meeting "to try to reopen the crossing" hold talks; the crossing is not reopened
    text = "A jirga of elders is due to meet officials at Torkham on Thursday to try to reopen the crossing."
    got = {i.event_type for i in text_incidents(text, date(2026, 3, 3))}
    assert got == {"negotiation"}, got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an event told as what something came years after, and told elsewhere, is none here
        (
            "A quarrel over water turned deadly on the border, little more than a year after the two "
            "countries signed a treaty.",
            set(),
        ),
        # ... unless the sentence dates it itself
        (
            "The strike came two years after the shelling of a resort at Parakh, near Zakho, on 20 July "
            "2022, which killed nine tourists.",
            {("strike", "2022-07-20")},
        ),
    ],
)
def test_an_event_years_before_another_is_its_own_only_with_its_own_date(text, expected):
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2024, 8, 1))}
    assert got == expected, got


def test_shooting_that_broke_out_is_a_clash():
    text = (
        "Tajik officials say one man was killed and three people were injured when shooting broke out "
        "late on Monday near the Tajik exclave of Vorukh."
    )
    got = [(i.event_type, i.date, i.killed) for i in text_incidents(text, date(2026, 5, 19))]
    assert got == [("clash", "2026-05-18", 1)], got


def test_a_place_after_while_and_a_new_subject_is_another_propositions():
    """ "..., while Hezbollah said it launched drones at a post near Metula": Metula is where the
    drones went, not where the strike before "while" fell."""
    text = (
        "An Israeli airstrike on a house in the border village of Aita al-Shaab killed two people on "
        "Thursday, while Hezbollah said it launched explosive drones at an Israeli military post near "
        "Metula."
    )
    got = {(e.event_type, e.place.name, e.killed) for e in _events(text)}
    assert ("strike", "Metula", 2) not in got and ("strike", "Israel–Lebanon border", 2) in got, got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pakistan says 23 soldiers killed in border clashes\n\n"
            "ISLAMABAD, Oct 12 (Reuters) - Pakistan said on Sunday that 23 of its soldiers were killed "
            "in clashes with Afghan forces along the border near Angoor Adda late on Saturday, the worst "
            "fighting since the Taliban returned to power in 2021.",
            ("clash", "2025-10-11"),
        ),
        (
            "Kyrgyz, Tajik guards trade fire\n\n"
            "BISHKEK, Sept 16 (AP) — Kyrgyz and Tajik border guards exchanged fire near Batken on "
            "Friday, a year after the clashes of 2021, officials said.",
            ("clash", "2022-09-16"),
        ),
        (
            # no weekday: the year cannot be told, and nothing is dated
            "SRINAGAR, India, May 7 (Reuters) - Pakistani troops shelled villages in Poonch, killing "
            "three people, police said, citing figures they have kept since 2019.",
            ("strike", None),
        ),
    ],
)
def test_a_yearless_dateline_takes_the_year_its_weekdays_tell(text, expected):
    """A wire dateline with no year in a story that states no full date: the year, from the latest
    the story writes, whose calendar puts the dateline's day on the weekday the story tells."""
    got = [(i.event_type, i.date) for i in text_incidents(text, None)]
    assert got == [expected]


@pytest.mark.parametrize(
    ("toll", "expected"),
    [
        ("The military says 23 soldiers were martyred in those clashes.", {"clash": 23, "strike": None}),
        (
            "Four civilians were killed in the air strike, hospital officials said.",
            {"clash": None, "strike": 4},
        ),
        ("Officials said four people were killed.", {"clash": None, "strike": 4}),  # the last told
    ],
)
def test_a_toll_sentence_goes_to_the_fight_it_names(toll, expected):
    """A toll told after a sentence with a clash and then a strike is the toll of the one it
    names by its noun ("in those clashes"); naming none, of the last told."""
    text = (
        "Afghan forces attacked Pakistani posts along the border on October 11, two days after a "
        f"Pakistani air strike in Kabul. {toll}"
    )
    got = {i.event_type: i.killed for i in text_incidents(text, date(2025, 10, 15))}
    assert got == expected


@pytest.mark.parametrize(
    "call",
    [
        "held telephone talks on Tuesday over the situation on the border",
        "held talks by video link on Tuesday about the tension on the border",
        "spoke twice by telephone on Tuesday about the tension on the border",
    ],
)
def test_talks_held_over_a_line_sit_between_the_two_sides(call):
    """Talks told as held by telephone or video, not only as "spoke by phone", have no venue: the
    border of the two sides, not no place at all."""
    text = (
        "Fighting erupted near Mandera on Monday between Somali troops and Jubaland forces. "
        f"Kenyan President Uhuru Kenyatta and his Somali counterpart {call}."
    )
    got = {(i.event_type, i.place) for i in text_incidents(text, date(2020, 3, 4))}
    assert ("negotiation", "Kenya–Somalia border") in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "The crossing, the most direct route from eastern Chad into West Darfur, had been closed "
        "since 22 February 2024.",
        "The crossing, which links Adre to West Darfur's capital, had been shut since 22 February 2024.",
    ],
)
def test_the_crossing_whose_route_names_a_province_is_the_crossing_told(sentence):
    """ "The crossing" opening a sentence is the crossing the story told; a province its route
    leads to is no place of the closing."""
    text = (
        "The Adre crossing point between Chad and Sudan reopened for humanitarian cargo on 15 August "
        f"2024, after nearly six months of closure. {sentence}"
    )
    got = {(i.sub_event_type, i.date, i.place) for i in text_incidents(text, date(2024, 8, 20))}
    assert ("crossing closed", "2024-02-22", "Adré crossing") in got, got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # a village the gazetteer lacks, in a story that names places near the border
            "Militants clash with troops on Ethiopia–Somalia border\n\n"
            "Al-Shabaab fighters crossed from Somalia near Dolo Ado and Ferfer on Wednesday. Ethiopian "
            "troops fought them near the border villages of Aato and Yeed on Thursday, killing 20.",
            [("clash", "Ethiopia–Somalia border", 20)],
        ),
        (
            "Shelling hits Lebanese border villages\n\n"
            "Israeli artillery shelled the outskirts of Marjayoun and Naqoura on Sunday. On Thursday, "
            "Israeli drones struck the village of Dhayra, killing two people.",
            [("strike", "Israel–Lebanon border", 2)],
        ),
    ],
)
def test_an_event_at_a_place_the_gazetteer_lacks_sits_on_the_storys_border(text, expected):
    """An event told at a place the gazetteer lacks ("near the border villages of Aato and Yeed")
    with no other place of its own: on the story's border, near the places it names there, not
    lost."""
    got = [(i.event_type, i.place, i.killed) for i in text_incidents(text, date(2024, 7, 26))]
    assert all(e in got for e in expected), got


def test_talks_at_a_place_the_gazetteer_lacks_are_not_put_on_the_border():
    """A meeting's venue may lie far from the border: a name the gazetteer lacks gives it none."""
    text = (
        "Troops clash near Mandera\n\n"
        "Kenyan and Somali troops exchanged fire near Mandera on Monday. Commanders of both "
        "sides held talks in the village of Hargeele on Tuesday and agreed to pull back."
    )
    got = [(i.event_type, i.place) for i in text_incidents(text, date(2024, 7, 23))]
    assert ("clash", "Mandera") in got and ("negotiation", "Kenya–Somalia border") not in got, got


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        (
            "The strikes came as Pakistan's special envoy, Mohammad Sadiq, was in Kabul for talks with "
            "Taliban officials on Tuesday.",
            "Kabul",
        ),
        (
            "Tajikistan's foreign minister flew to Dushanbe for border talks with his Kyrgyz counterpart "
            "on Tuesday.",
            "Dushanbe",
        ),
        (
            "On Tuesday, a Malian delegation was received in Nouakchott by President Mohamed Ould "
            "Ghazouani to discuss the border incidents.",
            "Nouakchott",
        ),
        ("The 16th round was held in Kunming on Tuesday to discuss the disputed border.", "Kunming"),
    ],
)
def test_talks_told_by_a_visit_a_reception_or_a_numbered_round(sentence, place):
    """Talks told by a visit "for talks", a delegation "received in" a capital, or a round by its
    number ("the 16th round"), at the place named."""
    got = {(i.event_type, i.place) for i in text_incidents(sentence, date(2024, 12, 26))}
    assert ("negotiation", place) in {(t, p.split(" ")[0]) for t, p in got}, got


def test_an_event_at_a_place_the_gazetteer_lacks_sits_by_the_sentences_own_places():
    """On a long border, the point for a place the gazetteer lacks is the one nearest the places
    its own sentence names there (Zokhawthar), not the middle of all the story names (Moreh lies
    250 km north)."""
    from geomap.distance import haversine_km

    text = (
        "Refugees cross into Mizoram\n\n"
        "Traders in Moreh said the crossing to Tamu stayed open on Monday. Myanmar Air Force jets "
        "bombed Khawmawi on Monday, killing one civilian, villagers who fled to Zokhawthar said."
    )
    strikes = [i for i in text_incidents(text, date(2023, 11, 14)) if i.event_type == "strike"]
    assert len(strikes) == 1 and strikes[0].place == "India–Myanmar border", strikes
    assert haversine_km(strikes[0].lat, strikes[0].lon, 23.37, 93.39) < 15


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "A joint summit of the two regional blocs held in Dar es Salaam on Saturday called for an "
            "immediate ceasefire.",
            ("talks held", "Dar es Salaam"),
        ),
        (
            "Chad's defence minister arrived in the capital, Niamey, on Sunday for talks with President "
            "Mahamadou Issoufou on sending troops to the border.",
            ("talks held", "Niamey"),
        ),
        (
            "Arab foreign ministers meeting in Amman on Sunday agreed on a joint effort to curb smuggling "
            "across the border.",
            ("talks held", "Amman"),
        ),
        (
            "The peace accord signed in Asmara on Sunday formally ended the state of war.",
            ("talks held", "Asmara"),
        ),
        (
            "The two armies recommitted to a ceasefire along the Line of Control on Sunday.",
            ("ceasefire agreed", None),
        ),
    ],
)
def test_talks_told_by_a_summit_a_visit_a_meeting_or_a_signing(sentence, expected):
    """Talks told as a summit "held in" a city, a visit "for talks with", officials "meeting in"
    a city, an accord "signed in" one, or a ceasefire "recommitted to"."""
    got = {(i.sub_event_type, i.place) for i in text_incidents(sentence, date(2024, 6, 11))}
    sub, place = expected
    assert any(s == sub and (place is None or p == place) for s, p in got), got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            # the cabinet is the source ("the Cabinet's press service said"), not a meeting at home
            "Government delegations of the two countries are holding talks in Batken today to discuss "
            "the border, the Cabinet's press service said.",
            ("talks held", "Batken"),
        ),
        (
            "On Monday, a Beninese delegation led by two former presidents met Niger's leader, General "
            "Abdourahamane Tiani, in Niamey.",
            ("talks held", "Niamey"),
        ),
        (
            "On Monday, elders and security officials of both towns met in Mandera and agreed to a local "
            "cessation of hostilities.",
            ("ceasefire agreed", "Mandera"),
        ),
        (
            "Tensions remain high despite the declaration signed by the leaders of Ethiopia and Somalia "
            "in Ankara on Monday.",
            ("talks held", "Ankara"),
        ),
    ],
)
def test_talks_told_by_whom_they_met_or_what_they_agreed(sentence, expected):
    """A delegation that "met" someone "in" a city, a "cessation of hostilities" agreed, an accord
    signed by a long list of signatories in a city; a cabinet that is a source is no meeting."""
    got = {(i.sub_event_type, i.place) for i in text_incidents(sentence, date(2024, 6, 11))}
    assert expected in got, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the place people fled, not where they found shelter
        (
            "Hundreds of people from Uri town moved to relatives' homes in Srinagar after the shelling, "
            "officials said.",
            "Uri",
        ),
        (
            "Dozens of families fled villages near Chaman for Quetta on Tuesday, a local official said.",
            "Chaman",
        ),
        (
            "Residents of Parachinar shifted to Peshawar and other towns as mortar rounds fell, elders said.",
            "Parachinar",
        ),
        # across a border: the place they crossed into
        (
            "Aid workers said 2,000 people who fled from Beled Hawo into Mandera had registered on Monday.",
            "Mandera",
        ),
    ],
)
def test_people_who_fled_are_placed_where_they_fled_from_unless_they_crossed(sentence, expected):
    """A flight's place is the one its word governs as the place fled ("people from Uri",
    "residents of Parachinar", "fled villages near Chaman"), not a place they went to within
    their country ("moved to ... Srinagar", "for Quetta"); people who crossed a border are
    counted where they crossed into."""
    got = {i.place for i in text_incidents(sentence, date(2025, 5, 9)) if i.event_type == "displacement"}
    assert got == {expected}, got


def test_people_who_fled_following_the_clash_fled_on_its_day():
    text = (
        "Guards on the two sides exchanged fire at the Torkham crossing on Monday, 3 March 2025. "
        "Following the clash, about 200 families living near the Torkham bazaar moved to Landi Kotal, "
        "officials said."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 3, 21))}
    assert ("displacement", "2025-03-03") in got, got


def test_people_who_fled_during_a_fight_dated_but_not_placed_fled_that_day():
    """The fight is dated by one sentence, placed by none; a toll comes between; the flight
    "during the fighting" is of that day."""
    text = (
        "Tension boiled over on 3 March 2025, when the two sides traded heavy fire for hours. "
        "A border guard was killed. "
        "Dozens of families living near the Torkham bazaar left their homes for Jalalabad during the "
        "fighting."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 3, 21))}
    assert ("displacement", "2025-03-03") in got, got


def test_the_fight_people_fled_is_the_last_of_its_kind():
    """ "After the shelling": the last shelling told, not an attack told after it."""
    text = (
        "Pakistani shells hit Poonch town on 7 May, killing 12 civilians. "
        "India said it had struck targets linked to the 22 April attack in Pahalgam. "
        "Thousands of people from Poonch town moved to relatives' homes after the shelling, officials said."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 5, 11))}
    assert ("displacement", "2025-05-07") in got, got


def test_families_who_fled_and_migrants_deported_at_one_place_are_two_incidents():
    text = (
        "Following the exchange of fire at Torkham on 3 March 2025, families living near the Torkham "
        "bazaar left their homes. On 20 March, 1,200 Afghans were deported through Torkham."
    )
    got = sorted(
        (i.sub_event_type, i.date)
        for i in text_incidents(text, date(2025, 3, 21))
        if i.event_type == "displacement"
    )
    assert got == [("deportation", "2025-03-20"), ("people fled", "2025-03-03")], got


@pytest.mark.parametrize(
    "sentence",
    [
        "More than 400 goods-laden trucks crossed into Afghanistan through Torkham by Tuesday evening.",
        "Customs officials said fuel tankers were crossing into Pakistan at Chaman again.",
    ],
)
def test_trucks_crossing_are_no_people_displaced(sentence):
    assert not any(i.event_type == "displacement" for i in text_incidents(sentence, date(2025, 3, 26)))


def test_a_deadline_is_not_the_day_of_the_deportations_it_precedes():
    text = (
        "Officials said 600 Afghans were deported through Torkham on Tuesday, days before the March 31 "
        "deadline set for card holders to leave the country."
    )
    got = {(i.event_type, i.date) for i in text_incidents(text, date(2025, 3, 26))}
    assert got == {("displacement", "2025-03-25")}, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a crossing's words far from its closing: the parse ties them (frame "crossing_thing")
        (
            "The Ban Pakard checkpoint in Chanthaburi's Pong Nam Ron district, opposite Pailin in "
            "Cambodia, had been closed to tourists and traders since Monday.",
            ("crossing", "crossing closed"),
        ),
        # people moved from a place (frame "people_moved")
        (
            "The army relocated 300 families from villages near the border to schools in Khar on Tuesday.",
            ("displacement", "people fled"),
        ),
        # people sent back across the border (frame "people_sent_back")
        (
            "Border guards said they turned back 37 migrants who tried to cross from Belarus on Sunday "
            "near Salcininkai.",
            ("displacement", "deportation"),
        ),
    ],
)
def test_grammar_frames_confirm_plain_event_words(sentence, expected):
    """Plain words ("closed", "relocated", "turned back") name an event where the parse gives
    them the argument their frame asks for (a crossing, people, people sent back)."""
    got = {(i.event_type, i.sub_event_type) for i in text_incidents(sentence, date(2025, 10, 22))}
    assert expected in got, got


@pytest.mark.parametrize(
    "sentence",
    [
        "Police closed the road to Kabul for two hours on Friday.",
        "Troops moved to the border near Chaman on Sunday.",
        "The shops in Chaman remained closed on Friday.",
        "The team turned back to Peshawar after the match was called off.",
    ],
)
def test_plain_event_words_without_their_frame_name_nothing(sentence):
    assert text_incidents(sentence, date(2025, 10, 22)) == []


def test_families_told_twice_as_fleeing_are_one_flight_at_the_place_fled():
    text = (
        "In Chaman, dozens of families living close to the zero point left their homes on Wednesday "
        "and moved to relatives in Quetta, local elders said."
    )
    got = [(i.event_type, i.place) for i in text_incidents(text, date(2025, 10, 16))]
    assert got == [("displacement", "Chaman")], got


def test_a_landmark_opposite_the_crossing_is_not_where_it_closed():
    text = (
        "Traffic at the Chaman crossing in Balochistan province, opposite Afghanistan's Spin Boldak, "
        "was also halted on Sunday, local officials said."
    )
    got = [(i.event_type, i.place) for i in text_incidents(text, date(2025, 10, 13))]
    assert got == [("crossing", "Chaman border crossing")], got


def test_the_evening_ceremony_at_a_gate_closes_nothing():
    text = (
        "Each evening crowds gather at the Attari-Wagah gate. The guards of both sides lower the "
        "national flags, shake hands and slam the gates shut for the night."
    )
    assert text_incidents(text, date(2024, 5, 2)) == []


@pytest.mark.parametrize(
    ("sentence", "venue"),
    [
        (
            "Talks between Haitian and Dominican officials in Santo Domingo broke down on Monday.",
            "Santo Domingo",
        ),
        ("The peace declaration signed by the two leaders in Asmara on Monday ended the war.", "Asmara"),
    ],
)
def test_a_city_inside_the_talks_words_is_their_venue_though_officials_sit_there(sentence, venue):
    got = {i.place for i in text_incidents(sentence, date(2024, 6, 12)) if i.event_type == "negotiation"}
    assert got == {venue}, got


def test_the_seat_of_officials_who_held_phone_talks_is_no_venue():
    text = "Officials in Kabul held phone talks with the Tajik side on Monday about the border."
    assert "Kabul" not in {i.place for i in text_incidents(text, date(2025, 12, 2))}


@pytest.mark.parametrize(
    "text, told",
    [
        # the story's day: the fighting it dated just before (Sunday, the day before the report),
        # in a story that also tells of another day (so not all it tells is of one day)
        (
            "Heavy fighting broke out near Chaman on Sunday, officials said. Hundreds of families fled "
            "villages near Chaman towards Quetta, residents said. Pakistan had closed the Torkham crossing "
            "on April 2.",
            "2024-05-19",
        ),
        # a headline before the dated lede: the lede's day
        (
            "Families flee Chaman as border fighting flares\n\nFighting broke out near Chaman on "
            "Monday, officials said. Pakistan had closed the Torkham crossing on April 2.",
            "2024-05-20",
        ),
        # the last day told is background, weeks before the report: no day of the story's
        (
            "Fighting broke out near Chaman on April 2, officials said. Hundreds of families fled "
            "villages near Chaman towards Quetta, residents said.",
            None,
        ),
    ],
)
def test_an_event_told_with_no_time_takes_the_story_day_for_its_incident(text, told):
    from geomap.incidents import merge_events

    (flight,) = [e for e in _events(text) if e.event_type == "displacement"]
    assert (flight.date, flight.day_told) == ("2024-05", told)
    (inc,) = [i for i in merge_events([flight])]
    assert inc.date == (told or "2024-05")


@pytest.mark.parametrize(
    "text, place",
    [
        # a meeting between two sides' officials, where it was held
        (
            "The decision was made in a meeting between Islamic Emirate officials and a Pakistani "
            "delegation at the Torkham zero point on Sunday, a spokesman said.",
            "Torkham",
        ),
        (
            "The reopening was agreed at a meeting on Sunday at Torkham between a delegation led by the "
            "deputy governor of Nangarhar and officials from Khyber.",
            "Torkham",
        ),
    ],
)
def test_a_meeting_between_two_sides_is_talks_held_where_it_met(text, place):
    (ev,) = [e for e in _events(text) if e.event_type == "negotiation"]
    assert (ev.sub_event_type, ev.place.name, ev.date) == ("talks held", place, "2024-05-19")


@pytest.mark.parametrize(
    "text",
    [
        "A meeting between the two foreign ministers on the border dispute is expected next week in Doha.",
        "A meeting between the border commanders will take place at Torkham after the holiday.",
    ],
)
def test_a_meeting_between_two_sides_still_to_come_is_not_held(text):
    assert not [e for e in _events(text) if e.sub_event_type == "talks held"]


@pytest.mark.parametrize(
    "text",
    [
        "Late on Sunday, Pakistani jets struck what the military described as Taliban battalion "
        "headquarters in Kandahar city, according to two security officials.",
        "Pakistan carried out air strikes on Taliban battalion headquarters in Kandahar on Sunday.",
    ],
)
def test_a_speakers_seat_that_was_struck_is_where_the_strike_fell(text):
    """ "headquarters in Kandahar" names where officials sit only when they speak there, not when
    a strike hit the headquarters ("officials in Kabul said" stays a seat)."""
    (ev,) = [e for e in _events(text) if e.event_type == "strike"]
    assert "Kandah" in ev.place.name and ev.place.kind == "city"
    said = _events("Officials in Kabul said on Sunday that a drone strike hit a house in Paktika province.")
    assert [e.place.name for e in said if e.event_type == "strike"] == ["Paktika"]


def test_a_way_to_reopen_a_crossing_is_sought_not_done():
    text = (
        "A jirga of tribal elders from both sides met at the Torkham crossing on Sunday but failed to "
        "agree on a way to reopen it."
    )
    assert [e.event_type for e in _events(text)] == ["negotiation"]

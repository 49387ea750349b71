"""Casualty figures (``geomap._numbers``): the forms outlets use to state a toll."""

from __future__ import annotations

import re

import pytest

from geomap._numbers import find_casualties, find_figures


def _figures(text: str) -> list[tuple[str, int | None]]:
    return [(f.kind, f.value) for f in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a military press release's stock phrases
        (
            "Twelve (12) terrorists were neutralised, while others fled with gunshot wounds.",
            [("killed", 12)],
        ),
        ("Regrettably, one gallant soldier paid the supreme price.", [("killed", 1)]),
        ("a suicide attack on a post that martyred 7 soldiers", [("killed", 7)]),
        ("Two sepoys laid down their lives while fighting gallantly.", [("killed", 2)]),
        ("As a result of the armed clash, three violators were liquidated.", [("killed", 3)]),
        ("After an intense exchange of fire, 17 khwarij were sent to hell.", [("killed", 17)]),
        ("on our side: two (02) soldiers fallen on the field of honour", [("killed", 2)]),
        ("Four infiltrators were eliminated near the fence.", [("killed", 4)]),
        # a police statement's deaths told as injuries
        (
            "Three (3) officers succumbed to their injuries, while four (4) others sustained injuries.",
            [("killed", 3), ("wounded", 4)],
        ),
        ("Two (2) attackers were fatally wounded.", [("killed", 2)]),
        # an aside with brackets between the figure and its verb
        (
            "At least nine persons, including two members of the Civilian Joint Task Force (CJTF), died.",
            [("killed", 9)],
        ),
        ("Two soldiers were fatally shot near the post.", [("killed", 2)]),
        # one person, named in apposition or by "one member of ..."
        ("A 45-year-old labourer, Abdul Bari, was killed near the fence.", [("killed", 1)]),
        ("An Army jawan was killed in the firing.", [("killed", 1)]),
        (
            "One member of the Islamic Emirate's border forces was killed and three others were wounded.",
            [("killed", 1), ("wounded", 3)],
        ),
        ("A Peruvian customs officer was shot dead on the highway.", [("killed", 1)]),
        # the one person a report has told of; not a plural, not one only hurt
        ("Guards returned fire and the FARDC soldier was killed on Rwandan territory.", [("killed", 1)]),
        ("The soldiers were killed in the ambush.", []),
        ("The injured soldier was taken to hospital.", []),
        ("Two guards were gunned down at the post.", [("killed", 2)]),
        # who they were, told in a clause of their own before the toll's verb
        (
            "Two gunmen who infiltrated from Lebanon near the kibbutz were killed in a firefight.",
            [("killed", 2)],
        ),
        ("Four civilians who had fled the shelling were wounded by a mine.", [("wounded", 4)]),
        ("Two men who attacked the post killed three soldiers.", [("killed", 3)]),  # not the two
        ("An exchange of fire killed four Armenian and three Azerbaijani soldiers.", [("killed", 7)]),
        ("Shelling killed 12 Afghan and 3 Pakistani civilians on Monday.", [("killed", 15)]),
        # one person closing a list of groups
        ("Two Army soldiers and a civilian were killed when shells hit the sector.", [("killed", 3)]),
        ("Three policemen and one civilian were wounded in the ambush.", [("wounded", 4)]),
        ("Four women and a man were killed when mortar rounds hit their homes.", [("killed", 5)]),
        ("The soldiers and a civilian were killed in the ambush.", []),  # a group with no count
        # a group told by its people's word alone, its noun the next group's
        ("The minister said 30 Nigerien and two Nigerian soldiers died in the attack.", [("killed", 32)]),
        ("Officials said 12 Afghan and three Pakistani civilians were wounded.", [("wounded", 15)]),
        ("Police said that on 4 Monday and two soldiers were killed.", [("killed", 2)]),  # no people's word
        # a deed done to them before the toll's verb
        ("Three of its soldiers were ambushed and killed near the border town.", [("killed", 3)]),
        ("Two farmers were abducted and killed by gunmen, police said.", [("killed", 2)]),
        ("Four porters were shot and wounded at the gate.", [("wounded", 4)]),
        # injuries told as something suffered
        ("Three civilians sustained injuries in the shelling.", [("wounded", 3)]),
        ("Two soldiers suffered serious wounds.", [("wounded", 2)]),
        # a toll told as believed or feared
        ("About 25 to 30 more fighters were believed killed overnight.", [("killed", 25)]),
        ("Two soldiers are feared dead after the attack.", [("killed", 2)]),
        ("Seven volunteers were killed, according to the agency.", [("killed", 7)]),
        # a death toll with a long subject
        (
            "The death toll from Tuesday's shelling of Shebekino has risen to three, the governor said.",
            [("killed", 3)],
        ),
        # a group told as someone's own; a timeline's present tense with whose people they are
        ("A shell hit the house, killing a woman and her two daughters.", [("killed", 3)]),
        (
            "Three employees of a mining company are shot dead by gunmen firing across the river.",
            [("killed", 3)],
        ),
        # a month's year is no figure
        ("Relations collapsed after border clashes in October 2025 killed 40 soldiers.", [("killed", 40)]),
        # people of another verb after the dead are not more of them
        (
            "Clashes along the border killed around 100 people, and some 136,000 residents of Batken "
            "region were evacuated.",
            [("killed", 100)],
        ),
    ],
)
def test_figures_in_several_outlets_styles(text: str, expected: list[tuple[str, int | None]]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The threat was neutralised and two posts were eliminated.",
        "Twelve (12) trucks crossed the border on Monday.",
        "The death toll is not known, officials said, adding that 3 hospitals were on alert.",
    ],
)
def test_no_figure(text: str) -> None:
    assert find_figures(text) == []


def test_a_revised_toll_with_a_long_subject_is_marked_revised() -> None:
    (claim,) = find_casualties("The death toll from the weekend's cross-border raids rose to 19 on Monday.")
    assert claim["killed"] == 19
    assert claim.get("revised") is True


def test_a_toll_raised_with_a_long_subject_is_revised() -> None:
    (claim,) = find_casualties(
        "The ministry has raised the death toll from last night's air strike on a residential block "
        "in the Shaboura area of Rafah city to 14, up from 11."
    )
    assert (claim["killed"], claim.get("revised")) == (14, True)


def test_a_number_restated_in_digits_is_one_number() -> None:
    (claim,) = find_casualties("Five (5) soldiers were injured in the exchange.")
    assert claim["wounded"] == 5


@pytest.mark.parametrize(
    ("claims", "killed"),
    [
        ([{"killed": None, "wounded": 2, "text": "wounding two guards"}], (0, 0)),
        (
            [
                {"killed": None, "wounded": 2, "text": "wounding two"},
                {"killed": 1, "wounded": None, "text": "one killed"},
            ],
            (1, 1),
        ),
        ([{"killed": None, "wounded": None, "text": "dozens wounded"}], (None, None)),
    ],
)
def test_wounded_and_no_dead_is_no_fatality(claims, killed):
    from geomap._numbers import toll_range

    assert toll_range(claims, "killed") == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a headline's or a ticker's one person, with no article before the noun
        ("Youth killed in BSF firing near the border", 1),
        ("11:15 | Sylhet: Youth killed in BSF firing near Sreepur tea estate", 1),
        ("Kabul: Child dies as shell hits home", 1),
        ("One youth was killed when the shell landed.", 1),
        ("Three soldiers die in clash", 3),
    ],
)
def test_one_person_as_headlines_write_it(text: str, killed: int) -> None:
    (fig,) = find_figures(text)
    assert (fig.kind, fig.value) == ("killed", killed)
    assert not fig.text[0].isdigit() or killed != 1  # the ticker's time is not the figure's


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers killed in ambush near the post",  # plural: how many is not said
        "The soldier killed the intruder.",  # the soldier is the killer, after an article
        "Gunmen killed six soldiers in an attack.",  # a plural without a final s
        "Soldier killed two intruders at the post",  # a killer with an object
    ],
)
def test_no_single_person_where_the_headline_names_none(text: str) -> None:
    # (the killer is no one killed; "killed the intruder" is the intruder's figure)
    figures = find_figures(text)
    assert not any(
        f.value == 1 and re.match(r"(?:the\s+)?soldiers?\b", f.text, re.IGNORECASE) for f in figures
    )


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("A drone struck a car on the road, killing its driver, the observatory said.", 1),
        ("A Turkish drone hit a vehicle near Sarrin, killing three of their fighters.", 3),
    ],
)
def test_one_person_named_by_role_and_a_number_of_whose_people(text: str, killed: int) -> None:
    assert [(f.kind, f.value) for f in find_figures(text)] == [("killed", killed)]


def test_a_group_named_by_what_it_is_part_of_is_summed():
    (claim,) = find_casualties(
        "A spokesman said three members of the Afghan border force and five civilians, including "
        "two children, were killed in Spin Boldak."
    )
    assert claim["killed"] == 8


@pytest.mark.parametrize(
    "text, killed",
    [
        ("A woman and her two minor children were killed when the shells landed.", 3),
        ("A man and a woman were killed.", 2),
        ("Three soldiers and their two children were killed.", 5),
    ],
)
def test_one_person_named_before_a_group_is_counted(text, killed):
    (claim,) = find_casualties(text)
    assert claim["killed"] == killed


def test_a_strikes_civilians_and_militants_told_apart_are_rival_accounts():
    from geomap._numbers import rival_sides, toll_range

    claims = [
        {"killed": 8, "wounded": None, "text": "killing eight civilians"},
        {"killed": 12, "wounded": None, "text": "killed at least 12 militants"},
    ]
    assert toll_range(claims, "killed", rival_sides("strike")) == (8, 12)
    # in a clash, each side's own dead add up
    assert toll_range(claims, "killed", rival_sides("clash")) == (20, 20)


@pytest.mark.parametrize(
    "text, killed, wounded",
    [
        ("A Kosovo police sergeant was shot dead.", 1, None),
        ("Two constables were injured in the firing.", None, 2),
        ("The projectile fell in an open area without causing injuries.", None, 0),
    ],
)
def test_ranks_and_tolls_of_none(text, killed, wounded):
    (claim,) = find_casualties(text)
    assert (claim["killed"], claim["wounded"]) == (killed, wounded)


@pytest.mark.parametrize(
    "text, killed, wounded",
    [
        ("Three FC personnel had embraced martyrdom and seven others sustained injuries.", 3, 7),
        ("A Frontier Corps sepoy embraced martyrdom and two others were injured.", 1, 2),
    ],
)
def test_others_with_a_verb_of_their_own_are_no_more_dead(text, killed, wounded):
    (claim,) = find_casualties(text)
    assert (claim["killed"], claim["wounded"]) == (killed, wounded)


@pytest.mark.parametrize(
    "text, killed",
    [
        ("A drone hit a house in Spera, killing a man and his teenage son.", 2),
        ("A shell hit a house and killed a woman and her daughter.", 2),
        ("A drone struck a car outside Zakho, killing both men inside.", 2),
        ("Both soldiers were killed when the post came under fire.", 2),
        ("The strike killed a woman and her two children.", 3),
        ("The exchange killed two paramilitary soldiers and a civilian porter on Wednesday.", 3),
    ],
)
def test_people_named_one_by_one_or_as_both(text: str, killed: int) -> None:
    (claim,) = find_casualties(text)
    assert claim["killed"] == killed


def test_some_of_a_groups_people_told_as_whose_are_part_of_the_larger_toll():
    """ "One of its guards died" beside "one soldier and two border guards were killed": a part of
    the toll of three, not a rival figure of one."""
    from geomap._numbers import toll_range

    claims = find_casualties("One Frontier Corps soldier and two Afghan border guards were killed.")
    claims += find_casualties("The Taliban said one of its guards died.")
    assert toll_range(claims, "killed") == (3, 3)

"""The place finder's rules one by one: each recognition rule of ``FIND_RULES`` on sentences
written for it (one where it objects to a name, one where it does not), the order and scope of
the registry, the resolution's ``DROP_RULES``, and the per-article state."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from geomap.articles import article_from_text, read_article
from geomap.gazetteer import FLAG_CURATED, FLAG_PERSONAL_NAME, FLAG_ROMANISED, NameFlag
from geomap.geoparse import (
    _RULES_IN_SCOPE,
    DROP_RULES,
    FIND_RULES,
    PlaceFinder,
    Scope,
    _according_to_whom,
    _after_a_title,
    _compass_part,
    _compound_name,
    _Context,
    _first_name,
    _given_name,
    _known_person_or_pathogen,
    _Option,
    _organisation_name,
    _pathogen_name,
    _person_or_organisation,
    _personal_name_elsewhere,
    _possessive_name,
    _Reading,
    _romanised_elsewhere,
    _Skip,
    _speaker,
    _speaking_town,
    _stray_crossing,
    _stray_small_place,
    _stray_village,
    _surname,
    default_finder,
    find_mentions,
)
from geomap.models import Place
from geomap.settings import SEEDS_DIR


def option(text: str, surface: str, nth: int = 0) -> tuple[PlaceFinder, _Reading, _Option]:
    """The finder, the reading of ``text`` and the option of the known name ``surface`` (its
    ``nth`` occurrence) as the rules see it."""
    finder = default_finder()
    r = finder._read(text)
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    end = start + len(surface)
    i = next(k for k in range(len(r.tokens)) if r.tokens[k].start == start)
    j, key = next((j, key) for j, key in r.starts[i] if r.tokens[j - 1].end == end)
    o = finder._option(r, i, j, key)
    assert o is not None, f"{surface!r}: no candidate admissible"
    return finder, r, o


def verdict(rule, text: str, surface: str) -> _Skip | None:
    finder, r, o = option(text, surface)
    return rule(finder, r, o)


def first_verdict(text: str, surface: str) -> tuple[str, _Skip] | None:
    """The rule that objects first to ``surface`` in ``text`` (asking only the rules in its
    scope, as the finder does), and its verdict."""
    finder, r, o = option(text, surface)
    for rule in _RULES_IN_SCOPE[o.important, o.headline]:
        skip = rule(finder, r, o)
        if skip is not None:
            return rule.__name__, skip
    return None


# -- the registry -------------------------------------------------------------------------------


def test_the_rules_are_named_functions_asked_in_a_fixed_order():
    names = [rule.__name__ for rule, _ in FIND_RULES]
    assert len(names) == len(set(names)) == 14
    assert names[0] == "_person_or_organisation" and names[-1] == "_according_to_whom"
    # the name rules that learn a surname come after the context rules
    assert names.index("_known_person_or_pathogen") < names.index("_surname")


def test_each_kind_of_name_is_asked_the_rules_of_its_scope_in_registry_order():
    order = [rule for rule, _ in FIND_RULES]
    for (important, headline), rules in _RULES_IN_SCOPE.items():
        assert [order.index(r) for r in rules] == sorted(order.index(r) for r in rules)
        kind = Scope.of(important, headline)
        assert set(rules) == {rule for rule, scope in FIND_RULES if kind in scope}
    # in a headline, capitals say nothing: no rule about personal names is asked there
    assert _surname not in _RULES_IN_SCOPE[False, True] and _speaker not in _RULES_IN_SCOPE[False, True]
    assert _surname in _RULES_IN_SCOPE[False, False] and _given_name in _RULES_IN_SCOPE[True, False]


# -- recognition rules ---------------------------------------------------------------------------


def test_person_or_organisation():
    assert (
        verdict(
            _person_or_organisation,
            "Police said they had questioned Mr. Marburg after the protest.",
            "Marburg",
        )
        is _Skip.NO_PLACE
    )
    assert (
        verdict(
            _person_or_organisation, "Cases of the Marburg virus rose in the region yesterday.", "Marburg"
        )
        is _Skip.PATHOGEN
    )
    assert verdict(_person_or_organisation, "Officials in Marburg said the cases rose.", "Marburg") is None


def test_pathogen_name():
    assert (
        verdict(_pathogen_name, "Cases of Rift Valley fever rose in the region yesterday.", "Rift Valley")
        is _Skip.PATHOGEN
    )
    # a country stays a place: the strain is named after where it was found
    assert verdict(_pathogen_name, "Cases of the Sudan strain rose in the region yesterday.", "Sudan") is None
    assert verdict(_pathogen_name, "Officials in the Rift Valley said cases rose.", "Rift Valley") is None


def test_after_a_title():
    assert (
        verdict(
            _after_a_title, "Police said they had arrested President Georgia after the protest.", "Georgia"
        )
        is _Skip.NO_PLACE
    )
    assert (
        verdict(
            _after_a_title, "Police said they had arrested a man in Georgia after the protest.", "Georgia"
        )
        is None
    )


def test_compass_part():
    assert (
        verdict(_compass_part, "Rain fell across the whole of South West England on Sunday.", "South West")
        is _Skip.NO_PLACE
    )
    assert verdict(_compass_part, "Rain fell across the whole of South West on Sunday.", "South West") is None


def test_organisation_name():
    assert (
        verdict(_organisation_name, "He works at the famous Kabul University now in the city.", "Kabul")
        is _Skip.NO_PLACE
    )
    assert (
        verdict(_organisation_name, "They read the Bakhtar news agency report about the city.", "Bakhtar")
        is _Skip.NO_PLACE
    )
    assert (
        verdict(_organisation_name, "He works at the famous school in Kabul now in the city.", "Kabul")
        is None
    )


def test_compound_name():
    assert (
        verdict(_compound_name, "She joined the Agence France-Presse office after college.", "France")
        is _Skip.NO_PLACE
    )
    assert (
        verdict(_compound_name, "Police raided homes in Dasht-e-Barchi on Sunday after the blast.", "Barchi")
        is _Skip.NO_PLACE
    )
    # a hyphen between two places joins two names: each is a place
    assert (
        verdict(_compound_name, "Police raided homes in Kabul-Jalalabad road after the blast.", "Kabul")
        is None
    )


def test_possessive_name():
    assert (
        verdict(
            _possessive_name, "Visitors walked through Marburg's Fine Bakery after the service.", "Marburg"
        )
        is _Skip.NO_PLACE
    )
    # a place's name after the possessive: the first place holds it
    assert (
        verdict(_possessive_name, "Visitors walked from Chitral's Arandu after the service.", "Chitral")
        is None
    )


def test_known_person_or_pathogen():
    # "Mr. Marburg" made Marburg a person's name for the whole article
    text = "Mr. Marburg spoke first in the hall. Later the man called Marburg left the city."
    finder, r, o = option(text, "Marburg", nth=1)
    assert "marburg" in r.surnames and _known_person_or_pathogen(finder, r, o) is _Skip.NO_PLACE
    finder, r, o = option("Officials said cases rose. Later Marburg left the hall in the city.", "Marburg")
    assert _known_person_or_pathogen(finder, r, o) is None
    r.pathogens.add(o.key)
    assert _known_person_or_pathogen(finder, r, o) is _Skip.NO_PLACE


def test_surname():
    text = "Visitors heard the singer Deshawn Marburg perform yesterday evening."
    assert verdict(_surname, text, "Marburg") is _Skip.PERSON
    finder, r, o = option("Visitors heard the band in Marburg perform yesterday evening.", "Marburg")
    assert _surname(finder, r, o) is None
    r.name_tails.add(o.i)  # a personal name before it ("Nelson |Mandela")
    assert _surname(finder, r, o) is _Skip.PERSON


def test_first_name():
    assert (
        verdict(_first_name, "Reporters later interviewed Jawad Sarga about the flooding yesterday.", "Jawad")
        is _Skip.FIRST_NAME
    )
    assert (
        verdict(_first_name, "Reporters later interviewed officials in Jawad about the flooding.", "Jawad")
        is None
    )


def test_speaker():
    assert verdict(_speaker, '"We will stay," Hartl said after the meeting.', "Hartl") is _Skip.PERSON
    # after a preposition the town is where the speaker is from
    assert verdict(_speaker, "A resident of Hartl said the water was rising.", "Hartl") is None


def test_given_name():
    assert (
        verdict(_given_name, "The famous coach George Gzhailidi said so after the match.", "George")
        is _Skip.GIVEN_NAME
    )
    assert verdict(_given_name, "The famous coach moved to George after the match.", "George") is None


def test_speaking_town():
    assert (
        verdict(_speaking_town, '"We will stay," Paterson says after the meeting.', "Paterson")
        is _Skip.PERSON
    )
    # a capital may speak for its government
    assert verdict(_speaking_town, '"We will stay," Islamabad said after the meeting.', "Islamabad") is None


def test_according_to_whom():
    text = "The tests came back negative, according to Yap, on Sunday evening."
    assert verdict(_according_to_whom, text, "Yap") is _Skip.PERSON
    assert (
        verdict(_according_to_whom, "The tests came back negative in Yap on Sunday evening.", "Yap") is None
    )
    # a government may say it
    text = "The tests came back negative, according to Kabul, on Sunday evening."
    assert verdict(_according_to_whom, text, "Kabul") is None


def test_the_first_rule_in_scope_decides():
    assert first_verdict("Police said they had questioned Mr. Marburg after the protest.", "Marburg") == (
        "_person_or_organisation",
        _Skip.NO_PLACE,
    )
    assert first_verdict('"We will stay," Paterson says after the meeting.', "Paterson") == (
        "_speaking_town",
        _Skip.PERSON,
    )
    assert (
        first_verdict("Police said they had arrested a man in Georgia after the protest.", "Georgia") is None
    )


def test_what_a_verdict_teaches_holds_for_the_rest_of_the_article():
    # "Jawad Sarga": a first name, so "Jawad" alone later is the same person, no place
    text = "Reporters later interviewed Jawad Sarga about the flooding. Jawad said the water rose."
    assert not [m for m in find_mentions(article_from_text("t.txt", text)) if m.mention == "Jawad"]


# -- resolution rules ----------------------------------------------------------------------------


def _place(
    kind: str, country: str, lat: float, lon: float, population: int = 1000, admin1: str = ""
) -> Place:
    return Place("test:1", "Testplace", lat, lon, kind, country, admin1 or None, population)


def _context(centre: tuple[float, float] | None = None, anchors: int = 0, **counts: dict) -> _Context:
    ctx = _Context(centre=centre, anchors=anchors)
    for name, values in counts.items():
        getattr(ctx, name).update(values)
    return ctx


def test_drop_rules_are_named_and_ordered():
    assert [rule.__name__ for rule in DROP_RULES] == [
        "_personal_name_elsewhere",
        "_romanised_elsewhere",
        "_stray_village",
        "_stray_small_place",
        "_stray_alias",
        "_stray_crossing",
        "_stray_district",
    ]


def test_personal_name_elsewhere():
    finder = default_finder()
    place = _place("village", "US", 40.0, -100.0, admin1="Kansas")
    assert _personal_name_elsewhere(finder, place, FLAG_PERSONAL_NAME, "johnson", _context())
    near = _context(admin1={("US", "Kansas"): 2})
    assert not _personal_name_elsewhere(finder, place, FLAG_PERSONAL_NAME, "johnson", near)
    assert not _personal_name_elsewhere(finder, place, 0, "johnson", _context())


def test_romanised_elsewhere():
    finder = default_finder()
    place = _place("district", "AF", 31.6, 65.7)
    assert _romanised_elsewhere(finder, place, FLAG_ROMANISED, "kalandar", _context())
    assert not _romanised_elsewhere(finder, place, FLAG_ROMANISED, "kalandar", _context(countries={"AF": 1}))


def test_stray_village():
    finder = default_finder()
    waziristan = (32.3, 69.8)
    village = _place("village", "AU", -33.0, 151.0)
    assert _stray_village(finder, village, 0, "boya", _context(waziristan, anchors=2))
    assert not _stray_village(finder, village, FLAG_CURATED, "boya", _context(waziristan, anchors=2))
    assert not _stray_village(finder, village, 0, "boya", _context(waziristan, anchors=1))
    assert not _stray_village(
        finder, village, 0, "boya", _context(waziristan, anchors=2, countries={"AU": 1})
    )


def test_stray_small_place():
    finder = default_finder()
    cambodia = (13.4, 103.8)
    town = _place("town", "IE", 51.9, -8.5)
    assert _stray_small_place(finder, town, 0, "kork", _context(cambodia, stated={"KH": 2}))
    assert not _stray_small_place(finder, town, 0, "kork", _context(cambodia, stated={"IE": 1}))
    # in a country beside one the article states
    thai_town = _place("town", "TH", 14.0, 101.0)
    assert not _stray_small_place(finder, thai_town, 0, "kork", _context(cambodia, stated={"KH": 2}))


def test_stray_crossing():
    finder = default_finder()
    mae_sot = (16.7, 98.6)
    bridge = _place("crossing", "PY", -25.51, -54.6)
    assert _stray_crossing(
        finder, bridge, FLAG_CURATED, "friendship bridge", _context(mae_sot, countries={"TH": 2})
    )
    # in a story of its country or of a neighbour of it, or with no country named: kept
    assert not _stray_crossing(
        finder, bridge, FLAG_CURATED, "friendship bridge", _context(mae_sot, countries={"BR": 1})
    )
    assert not _stray_crossing(finder, bridge, FLAG_CURATED, "friendship bridge", _context(mae_sot))


# -- the state of one article --------------------------------------------------------------------


def test_name_flags_have_names():
    assert NameFlag(FLAG_CURATED | FLAG_PERSONAL_NAME) == NameFlag.CURATED | NameFlag.PERSONAL_NAME
    assert [f.value for f in NameFlag] == [1, 2, 4, 8, 16, 32, 64, 128]


def test_the_finder_keeps_nothing_of_an_article():
    finder = PlaceFinder()
    before = {k: v for k, v in vars(finder).items() if k != "_base_scores"}
    finder.find(article_from_text("t.txt", "Mr. Marburg spoke in Kabul. Cases of Marburg virus rose."))
    after = {k: v for k, v in vars(finder).items() if k != "_base_scores"}
    assert after == before


@pytest.mark.parametrize("workers", [4])
def test_one_finder_serves_threads_alike(workers):
    articles = [read_article(p) for p in sorted(SEEDS_DIR.glob("*.txt"))]

    def key(article):
        return [(m.start, m.end, m.place.place_id, m.role, m.confidence) for m in finder.find(article)]

    finder = PlaceFinder()
    alone = [key(a) for a in articles]
    with ThreadPoolExecutor(workers) as pool:
        together = list(pool.map(key, articles * 3))
    assert together == alone * 3

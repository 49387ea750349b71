"""``geodata/border_places.csv``: the places of border theatres that towns lack (demarcation lines,
disputed areas, border rivers, passes, temples), and their finding through the real gazetteer."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from geomap.articles import article_from_text
from geomap.geoparse import find_mentions

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
COLUMNS = [
    "place_id",
    "name",
    "aliases",
    "kind",
    "country",
    "admin1",
    "lat",
    "lon",
    "population",
    "source",
    "pair",
    "uncertainty_km",
]
KINDS = {"line", "river", "pass", "disputed-area", "landmark", "region"}


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(GEODATA / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


FIELDS, ROWS = _rows("border_places.csv")
BY_ID = {r["place_id"]: r for r in ROWS}
ISO2 = {r["iso2"] for r in _rows("countries.csv")[1]}


def test_columns_ids_and_sources():
    assert FIELDS == COLUMNS
    assert len(ROWS) >= 60
    assert len(BY_ID) == len(ROWS), "place ids are unique"
    for r in ROWS:
        assert re.fullmatch(r"gm:border:[a-z0-9]+(?:-[a-z0-9]+)*", r["place_id"]), r["place_id"]
        assert r["name"].strip() and "|" not in r["name"], r
        assert r["kind"] in KINDS, r
        assert r["source"].strip(), r["place_id"]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["place_id"]
        assert float(r["uncertainty_km"]) > 0, r["place_id"]
        assert all(a.strip() == a and a for a in r["aliases"].split("|")) if r["aliases"] else True, r[
            "place_id"
        ]


def test_pairs_are_sorted_iso2_codes_of_known_countries():
    for r in ROWS:
        a, _, b = r["pair"].partition("-")
        assert a in ISO2 and b in ISO2 and a < b, r["place_id"]
        assert not r["country"] or r["country"] in ISO2, r["place_id"]
    assert len({r["pair"] for r in ROWS}) >= 15


def test_acronyms_are_written_as_news_writes_them():
    """Short names with capitals inside are acronyms, found only when so written (the gazetteer
    flags them): these, reviewed for false matches in ordinary text."""
    names = [a for r in ROWS for a in [r["name"], *r["aliases"].split("|")] if a]
    acronyms = {a for a in names if len(a.replace(".", "")) <= 4 and any(ch.isupper() for ch in a[1:])}
    assert acronyms == {"DMZ", "JSA", "MDL", "LoC", "LAC"}
    assert not [a for a in names if len(a) <= 4 and a[:1].islower()]


@pytest.fixture(scope="module")
def polygons():
    from collections import defaultdict

    from shapely import union_all
    from shapely.geometry import shape

    doc = json.loads((GEODATA / "world_countries.geojson").read_text(encoding="utf-8"))
    parts = defaultdict(list)
    for f in doc["features"]:
        if f["properties"]["iso2"]:
            parts[f["properties"]["iso2"]].append(shape(f["geometry"]))
    return {iso2: union_all(geoms) for iso2, geoms in parts.items()}


def test_every_point_lies_near_both_countries_of_its_pair(polygons):
    """Within its stated radius (plus 25 km for the simplified outlines) of each of the two."""
    from geopy.distance import geodesic
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    for r in ROWS:
        lat, lon = float(r["lat"]), float(r["lon"])
        for code in r["pair"].split("-"):
            q = nearest_points(polygons[code], Point(lon, lat))[0]
            km = geodesic((lat, lon), (q.y, q.x)).km
            assert km <= float(r["uncertainty_km"]) + 25, (r["place_id"], code, round(km))


# (sentence, mention as written, place id, kind, pair)
SENTENCES = [
    ("North Korean troops fired at a guard post in the DMZ on Sunday.", "DMZ", "korean-dmz", "line", "KP-KR"),
    (
        "Soldiers crossed the Military Demarcation Line near the Joint Security Area.",
        "Military Demarcation Line",
        "military-demarcation-line",
        "line",
        "KP-KR",
    ),
    ("A soldier defected at Panmunjom on Tuesday.", "Panmunjom", "panmunjom", "landmark", "KP-KR"),
    (
        "Indian and Pakistani troops exchanged fire along the Line of Control in Kashmir.",
        "Line of Control",
        "line-of-control",
        "line",
        "IN-PK",
    ),
    (
        "Two soldiers were killed in firing across the LoC in Poonch.",
        "LoC",
        "line-of-control",
        "line",
        "IN-PK",
    ),
    (
        "Indian and Pakistani troops exchanged fire along the Line of Control in Kashmir.",
        "Kashmir",
        "kashmir",
        "disputed-area",
        "IN-PK",
    ),
    (
        "Rangers fired mortars along the Working Boundary near Sialkot.",
        "Working Boundary",
        "working-boundary",
        "line",
        "IN-PK",
    ),
    (
        "An avalanche buried soldiers on the Siachen Glacier.",
        "Siachen Glacier",
        "siachen-glacier",
        "disputed-area",
        "IN-PK",
    ),
    ("Fishermen were arrested near Sir Creek.", "Sir Creek", "sir-creek", "disputed-area", "IN-PK"),
    (
        "Chinese and Indian troops faced off along the LAC in Ladakh.",
        "LAC",
        "line-of-actual-control",
        "line",
        "CN-IN",
    ),
    (
        "Chinese and Indian soldiers clashed in the Galwan Valley.",
        "Galwan Valley",
        "galwan-valley",
        "disputed-area",
        "CN-IN",
    ),
    (
        "Both armies pulled back from the banks of Pangong Tso.",
        "Pangong Tso",
        "pangong-tso",
        "landmark",
        "CN-IN",
    ),
    ("China built roads in Aksai Chin.", "Aksai Chin", "aksai-chin", "disputed-area", "CN-IN"),
    ("Chinese troops crossed into Doklam in 2017.", "Doklam", "doklam", "disputed-area", "BT-CN"),
    ("Trade resumed through Nathu La.", "Nathu La", "nathu-la", "pass", "CN-IN"),
    ("Nepal objected to the road through Kalapani.", "Kalapani", "kalapani", "disputed-area", "IN-NP"),
    ("Trucks queued at the Khunjerab Pass.", "Khunjerab Pass", "khunjerab-pass", "pass", "CN-PK"),
    ("Venezuela renewed its claim to Essequibo.", "Essequibo", "essequibo", "disputed-area", "GY-VE"),
    (
        "Fighting in Nagorno-Karabakh killed dozens.",
        "Nagorno-Karabakh",
        "nagorno-karabakh",
        "disputed-area",
        "AM-AZ",
    ),
    ("Protesters blocked the Lachin corridor.", "Lachin corridor", "lachin-corridor", "region", "AM-AZ"),
    (
        "Georgia accused Russian troops of moving the fence in South Ossetia.",
        "South Ossetia",
        "south-ossetia",
        "disputed-area",
        "GE-RU",
    ),
    (
        "Israeli jets struck targets on the Golan Heights.",
        "Golan Heights",
        "golan-heights",
        "disputed-area",
        "IL-SY",
    ),
    ("Israeli shelling hit the Shebaa Farms area.", "Shebaa Farms", "shebaa-farms", "disputed-area", "IL-LB"),
    ("Hezbollah fired rockets across the Blue Line.", "Blue Line", "blue-line", "line", "IL-LB"),
    (
        "Troops took control of the Philadelphi corridor.",
        "Philadelphi corridor",
        "philadelphi-corridor",
        "line",
        "EG-PS",
    ),
    (
        "Sudanese forces clashed with Ethiopian militia in al-Fashaga.",
        "Fashaga",
        "al-fashaga",
        "disputed-area",
        "ET-SD",
    ),
    ("Sudan and South Sudan traded accusations over Abyei.", "Abyei", "abyei", "disputed-area", "SD-SS"),
    ("Sudanese jets bombed Heglig.", "Heglig", "heglig", "disputed-area", "SD-SS"),
    (
        "Egypt and Sudan both claim the Hala'ib Triangle.",
        "Hala'ib Triangle",
        "halaib-triangle",
        "disputed-area",
        "EG-SD",
    ),
    ("Nobody claims Bir Tawil.", "Bir Tawil", "bir-tawil", "disputed-area", "EG-SD"),
    ("Ethiopia and Eritrea fought over Badme.", "Badme", "badme", "disputed-area", "ER-ET"),
    ("Herders clashed in the Ilemi Triangle.", "Ilemi Triangle", "ilemi-triangle", "disputed-area", "KE-SS"),
    (
        "Cameroon took over the Bakassi Peninsula from Nigeria.",
        "Bakassi Peninsula",
        "bakassi-peninsula",
        "disputed-area",
        "CM-NG",
    ),
    (
        "Thai and Cambodian troops fought near the Preah Vihear temple.",
        "Preah Vihear temple",
        "preah-vihear-temple",
        "landmark",
        "KH-TH",
    ),
    (
        "Thai troops fired at Cambodian soldiers near Ta Moan Thom.",
        "Ta Moan Thom",
        "ta-muen-thom",
        "landmark",
        "KH-TH",
    ),
    (
        "Kyrgyz and Tajik guards exchanged fire near the Vorukh enclave.",
        "Vorukh enclave",
        "vorukh",
        "disputed-area",
        "KG-TJ",
    ),
    (
        "Water disputes flared in the Ferghana Valley.",
        "Ferghana Valley",
        "ferghana-valley",
        "region",
        "KG-UZ",
    ),
    (
        "Moldova called for Russian troops to leave Transnistria.",
        "Transnistria",
        "transnistria",
        "disputed-area",
        "MD-UA",
    ),
    ("Drones struck Crimea overnight.", "Crimea", "crimea", "disputed-area", "RU-UA"),
    (
        "Migrants drowned crossing the Rio Grande near Eagle Pass, Texas.",
        "Rio Grande",
        "rio-grande",
        "river",
        "MX-US",
    ),
    ("Greek police pushed migrants back across the Evros River.", "Evros River", "evros", "river", "GR-TR"),
    (
        "Soviet and Chinese troops clashed on Zhenbao Island in 1969.",
        "Zhenbao Island",
        "zhenbao-island",
        "landmark",
        "CN-RU",
    ),
    ("Refugees crossed the Naf River into Bangladesh.", "Naf River", "naf-river", "river", "BD-MM"),
    (
        "Polisario fighters attacked Moroccan positions along the Berm.",
        "Berm",
        "moroccan-wall",
        "line",
        "EH-MA",
    ),
]


def _mentions(text: str) -> dict[str, object]:
    return {m.mention: m for m in find_mentions(article_from_text("t.txt", text))}


@pytest.mark.parametrize("text,surface,slug,kind,pair", SENTENCES, ids=[s[2] for s in SENTENCES])
def test_border_places_are_found_with_their_kind_and_pair(text, surface, slug, kind, pair):
    got = _mentions(text)
    assert surface in got, sorted(got)
    place = got[surface].place
    assert place.place_id == f"gm:border:{slug}", (place.place_id, place.name, place.kind)
    assert place.kind == kind
    assert BY_ID[place.place_id]["pair"] == pair


def test_the_sentences_cover_the_theatres():
    assert len({s[4] for s in SENTENCES}) >= 15
    assert {s[2] for s in SENTENCES} <= {pid.removeprefix("gm:border:") for pid in BY_ID}


@pytest.mark.parametrize(
    "text",
    [
        "The op. cit. and loc. cit. notes follow. Loc. 4 of the manual is missing.",
        "Loc Nguyen and Lac Thi Hoa said the loc was fine; the lac insects make shellac.",
        "The bank opened a LOC (letter of credit) for the importer; "
        "Lac-Mégantic and Lac La Biche were quiet.",
        "Lac residents said the LOC was approved by the board on Monday.",
    ],
)
def test_acronyms_in_other_senses_are_no_mention_of_the_lines(text):
    ids = {m.place.place_id for m in find_mentions(article_from_text("t.txt", text))}
    assert not ids & {"gm:border:line-of-control", "gm:border:line-of-actual-control"}, ids


def test_a_region_the_table_supersedes_keeps_its_names():
    # regions.csv lists the Line of Control, the Golan Heights and Nagorno-Karabakh too: the border
    # places take their place, with their names ("Golan", "Artsakh").
    got = _mentions("Shells fell on the Golan and in Artsakh.")
    assert got["Golan"].place.place_id == "gm:border:golan-heights"
    assert got["Artsakh"].place.place_id == "gm:border:nagorno-karabakh"

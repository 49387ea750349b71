"""The records' schema, once: the fields of a place mention and of an incident, their types, and
the values their enumerated fields take.

Every writer and reader derives its columns from here: the GeoJSON properties
(:mod:`geomap.frames`), the CSV, GeoPackage and KML exports (:mod:`geomap.exporters`), the map's
records (:mod:`geomap.mapping`) and the validation of incident files read back. Adding a field
means adding one :class:`Field` below (and filling it in :mod:`geomap.models`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class EventType(str, Enum):
    """What happened (``event_type``)."""

    STRIKE = "strike"
    CLASH = "clash"
    CROSSING = "crossing"
    NEGOTIATION = "negotiation"
    DISPLACEMENT = "displacement"


class PlaceKind(str, Enum):
    """What a place is (``kind`` of a mention)."""

    COUNTRY = "country"
    PROVINCE = "province"
    DISTRICT = "district"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    CROSSING = "crossing"
    REGION = "region"
    SEA = "sea"
    LANDMARK = "landmark"
    LINE = "line"  # a demarcation line: a border line, the Line of Control
    RIVER = "river"
    PASS = "pass"
    DISPUTED_AREA = "disputed-area"


class Role(str, Enum):
    """What a place mention does in its sentence (``role``)."""

    LOCATION = "location"
    ACTOR = "actor"
    OTHER = "other"


class DatePrecision(str, Enum):
    DAY = "day"
    MONTH = "month"


class DateBasis(str, Enum):
    """How an incident's date was found (``date_basis``)."""

    STATED = "stated"  # a full date in the text
    PUBLISHED = "published"  # relative to the publication date
    INFERRED = "inferred"  # relative to the latest full date the text states


EVENT_TYPES: tuple[str, ...] = tuple(t.value for t in EventType)
PLACE_KINDS: tuple[str, ...] = tuple(k.value for k in PlaceKind)
ROLES: tuple[str, ...] = tuple(r.value for r in Role)


@dataclass(frozen=True, slots=True)
class Field:
    """One property of a record: its name, its JSON type (``str``, ``int``, ``float``, ``bool``,
    ``list``) and what it means."""

    name: str
    type: str
    doc: str


INCIDENT_FIELDS: tuple[Field, ...] = (
    Field("id", "str", "stable id: the same input gives the same id"),
    Field("event_type", "str", "strike, clash, crossing, negotiation or displacement"),
    Field("sub_event_type", "str", "finer kind: air/drone strike, shelling, crossing closed, ..."),
    Field("date", "str", "YYYY-MM-DD or YYYY-MM, or null"),
    Field("date_precision", "str", "day, month or null"),
    Field("date_basis", "str", "stated, published, inferred or null"),
    Field("place", "str", "where, by the gazetteer"),
    Field("place_id", "str", "gazetteer id of the place"),
    Field("country", "str", "ISO 3166-1 alpha-2 of the place"),
    Field("admin1", "str", "first-level area of the place"),
    Field("geo_precision", "int", "1 the named town or crossing; 2 near it or part of a region; 3 wider"),
    Field("geo_uncertainty_km", "float", "a radius that honestly holds the place"),
    Field("killed", "int", "lowest credible figure stated"),
    Field("wounded", "int", "lowest credible figure stated"),
    Field("killed_high", "int", "highest credible figure when claims differ, else equal to killed"),
    Field("wounded_high", "int", "highest credible figure when claims differ, else equal to wounded"),
    Field("claims", "list", "every casualty figure with who claimed it and the source"),
    Field("actors", "list", "who took part"),
    Field("evidence", "str", "the sentence that reports it"),
    Field("sources", "list", "every article that reports it"),
    Field("confidence", "float", "0..1"),
    Field("planned", "bool", "talks announced, not yet held"),
    Field("side", "str", "ISO code of the country whose land holds the point"),
    Field("border", "str", "the land border involved, as sorted ISO codes (KH-TH)"),
    Field("border_km", "float", "geodesic km to that border's line"),
    Field("nearest_crossing", "str", "the nearest known border crossing"),
    Field("crossing_km", "float", "its distance in km"),
    Field("warnings", "list", "what an analyst should check"),
)

#: Properties a store's incidents add (:mod:`geomap.store`); one-shot outputs do not carry them.
STORE_INCIDENT_FIELDS: tuple[Field, ...] = (
    Field("corrected", "bool", "an analyst's correction applies (the store keeps who, when, what, why)"),
    Field("corrections", "list", "the corrections applied: when, by, what and why, oldest first"),
)

MENTION_FIELDS: tuple[Field, ...] = (
    Field("article", "str", "file name of the article"),
    Field("mention", "str", "the text as written"),
    Field("start", "int", "character offset in the article text as read"),
    Field("end", "int", "character offset in the article text as read"),
    Field("name", "str", "canonical gazetteer name"),
    Field("place_id", "str", "gazetteer id"),
    Field("kind", "str", "one of PLACE_KINDS"),
    Field("country", "str", "ISO 3166-1 alpha-2"),
    Field("role", "str", "location, actor or other"),
    Field("confidence", "float", "0..1"),
)

#: Contract properties of an incident, in output order.
INCIDENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in INCIDENT_FIELDS)
#: Properties of an incident read from a store, in output order.
STORE_INCIDENT_COLUMNS: tuple[str, ...] = INCIDENT_COLUMNS + tuple(f.name for f in STORE_INCIDENT_FIELDS)
#: Contract properties of a place mention, in output order.
MENTION_COLUMNS: tuple[str, ...] = tuple(f.name for f in MENTION_FIELDS)


def columns_of(kind: str) -> tuple[str, ...]:
    """Incident columns of one JSON type (``str``, ``int``, ``float``, ``bool``, ``list``)."""
    return tuple(f.name for f in INCIDENT_FIELDS if f.type == kind)


#: Incident properties whose values are lists, strings, integers and numbers.
LIST_COLUMNS: tuple[str, ...] = columns_of("list")
STR_COLUMNS: tuple[str, ...] = columns_of("str")
INT_COLUMNS: tuple[str, ...] = columns_of("int")
FLOAT_COLUMNS: tuple[str, ...] = columns_of("float")

#: Where an incident lies against the borders: the fields :mod:`geomap.border` computes.
BORDER_COLUMNS: tuple[str, ...] = ("side", "border", "border_km", "nearest_crossing", "crossing_km")

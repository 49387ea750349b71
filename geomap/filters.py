"""Filters shared by every verb that takes them (``extract``, ``map``, ``export``, ``build``).

:func:`parse_filters` turns the command line's strings into a :class:`Filters` (or raises
:class:`~geomap._errors.InputError` with a message saying what is wrong and what would be right);
:func:`apply_filters` keeps the rows of an incidents GeoDataFrame that pass them all;
:func:`filter_incidents` is how the API and the command line apply the filter options they were
given (the one place they do).

Date semantics: an incident dated to a month (``2025-10``) passes ``since``/``until`` when any day
of that month is inside the range; an incident without a date is dropped when either is given.
``country`` matches the incident's ``country`` column, or its ``side`` when ``country`` is null.
Country codes are checked against ``geodata/countries.csv``. ``border`` keeps incidents whose
``border`` is one of the given pairs ("KH-TH", order-free); ``side`` and ``near_border`` work for
every land border (:mod:`geomap.border`).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ._errors import InputError
from .border import add_border_fields, pair_key, parse_pair
from .models import EVENT_TYPES
from .settings import read_geodata_csv

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd


@dataclass(frozen=True)
class Filters:
    """Validated filter values; ``None`` means "no filter"."""

    types: tuple[str, ...] | None = None
    since: date | None = None
    until: date | None = None
    country: tuple[str, ...] | None = None
    bbox: tuple[float, float, float, float] | None = None  # W, S, E, N
    side: tuple[str, ...] | None = None
    near_border: float | None = None
    border: tuple[str, ...] | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any(v is not None for v in asdict(self).values())

    def apply(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The rows of ``gdf`` that pass these filters."""
        return apply_filters(gdf, self)


# ---------------------------------------------------------------------------------------------
# parsing and validation


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO2 code → name, plus lower-cased names and ISO3 codes → ISO2."""

    lookup: dict[str, str] = {}
    for row in read_geodata_csv("countries.csv"):
        code = (row.get("iso2") or "").strip().upper()
        if not code:
            continue
        lookup[code] = code
        for name in [row.get("name") or "", row.get("iso3") or ""]:
            if name.strip():
                lookup.setdefault(name.strip().lower(), code)
    return lookup


def _split(value: str | Iterable[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return [v.strip() for v in items if v.strip()]


def _parse_types(value: str | Iterable[str]) -> tuple[str, ...]:
    items = [v.lower() for v in _split(value)]
    if not items:
        raise InputError("--types is empty; choose from " + ", ".join(EVENT_TYPES))
    for item in items:
        if item not in EVENT_TYPES:
            raise InputError(f"unknown event type {item!r}; choose from " + ", ".join(EVENT_TYPES))
    return tuple(dict.fromkeys(items))


def _parse_codes(value: str | Iterable[str], option: str, hint: str) -> tuple[str, ...]:
    items = _split(value)
    if not items:
        raise InputError(f"{option} is empty; {hint}")
    known = _countries()
    out = []
    for item in items:
        code = known.get(item.upper()) if len(item) == 2 else known.get(item.lower())
        if code is None:
            raise InputError(f"unknown country {item!r} for {option}; {hint}")
        out.append(code)
    return tuple(dict.fromkeys(out))


_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def _parse_date(value: str | date, option: str, end: bool) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = _DATE.match(text)
    try:
        if not m:
            raise ValueError
        year, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            return date(year, month, int(m.group(3)))
        day = calendar.monthrange(year, month)[1] if end else 1
        return date(year, month, day)
    except ValueError:
        raise InputError(f"bad date {text!r} for {option}; use YYYY-MM-DD (or YYYY-MM)") from None


def _parse_bbox(value: str | Iterable[float]) -> tuple[float, float, float, float]:
    hint = "use --bbox W,S,E,N in degrees, e.g. 60,29,75,37"
    parts = _split(value) if isinstance(value, str) else list(value)
    if len(parts) != 4:
        raise InputError(f"bad bbox {value!r}: need 4 numbers W,S,E,N; {hint}")
    try:
        w, s, e, n = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise InputError(f"bad bbox {value!r}: not numbers; {hint}") from None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InputError(f"bad bbox {value!r}: not finite numbers; {hint}")
    if not (-180 <= w <= 180 and -180 <= e <= 180):
        raise InputError(f"bad bbox {value!r}: longitudes must be within -180..180; {hint}")
    if not (-90 <= s <= 90 and -90 <= n <= 90):
        raise InputError(f"bad bbox {value!r}: latitudes must be within -90..90; {hint}")
    if w >= e:
        raise InputError(
            f"bad bbox {value!r}: west {w:g} must be less than east {e:g} "
            f"(boxes across the antimeridian are not supported); {hint}"
        )
    if s >= n:
        raise InputError(f"bad bbox {value!r}: south {s:g} must be less than north {n:g}; {hint}")
    return (w, s, e, n)


def _parse_pairs(value: str | Iterable[str]) -> tuple[str, ...]:
    """Border pairs such as "KH-TH,af-pk" as sorted keys ("KH-TH", "AF-PK")."""

    hint = "use pairs of ISO 3166-1 alpha-2 codes such as AF-PK,KH-TH"
    items = _split(value)
    if not items:
        raise InputError(f"--border is empty; {hint}")
    known = _countries()
    out = []
    for item in items:
        parts = [p for p in re.split(r"[-–/_]", item) if p.strip()]
        if len(parts) != 2 or any(len(p.strip()) != 2 or known.get(p.strip().upper()) is None for p in parts):
            raise InputError(f"bad border {item!r} for --border; {hint}")
        if parts[0].strip().upper() == parts[1].strip().upper():
            raise InputError(f"bad border {item!r} for --border: a border needs two countries; {hint}")
        out.append(pair_key(parts[0].strip(), parts[1].strip()))
    return tuple(dict.fromkeys(out))


def _parse_km(value: str | float) -> float:
    try:
        km = float(value)
    except (TypeError, ValueError):
        raise InputError(f"bad --near-border {value!r}: need a distance in km, e.g. 10") from None
    if not math.isfinite(km) or km < 0:
        raise InputError(f"bad --near-border {value!r}: need a distance in km ≥ 0, e.g. 10")
    return km


def parse_filters(
    types: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    country: str | None = None,
    bbox: str | None = None,
    side: str | None = None,
    near_border: str | float | None = None,
    border: str | Iterable[str] | None = None,
) -> Filters:
    """Validate command-line filter strings; returns a :class:`Filters`.

    types: comma-separated event types (strike, clash, crossing, negotiation, displacement).
    since, until: ``YYYY-MM-DD`` (or ``YYYY-MM``: from the first / to the last day of the month).
    country: comma-separated ISO 3166-1 alpha-2 codes (country names are accepted too).
    bbox: ``W,S,E,N`` in degrees (WGS84), west < east, south < north.
    side: comma-separated ISO codes of the country whose land holds the incident.
    near_border: km from the incident's border line (≥ 0): the line of its ``border`` pair, else
        the nearest land border line.
    border: comma-separated border pairs ("AF-PK,KH-TH", order-free).
    """
    f_since = _parse_date(since, "--since", end=False) if since not in (None, "") else None
    f_until = _parse_date(until, "--until", end=True) if until not in (None, "") else None
    if f_since and f_until and f_since > f_until:
        raise InputError(f"--since {f_since.isoformat()} is after --until {f_until.isoformat()}")
    return Filters(
        types=_parse_types(types) if types is not None else None,
        since=f_since,
        until=f_until,
        country=_parse_codes(country, "--country", "use ISO 3166-1 alpha-2 codes such as KH,TH")
        if country is not None
        else None,
        bbox=_parse_bbox(bbox) if bbox is not None else None,
        side=_parse_codes(side, "--side", "use ISO 3166-1 alpha-2 codes such as TH")
        if side is not None
        else None,
        near_border=_parse_km(near_border) if near_border not in (None, "") else None,
        border=_parse_pairs(border) if border is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# applying


def _span(value: Any) -> tuple[date, date] | None:
    """First and last day an incident date (``YYYY-MM-DD`` or ``YYYY-MM``) may stand for."""
    if value is None or not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        year, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            d = date(year, month, int(m.group(3)))
            return d, d
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def _isna(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN / NA
    except (TypeError, ValueError):
        return False


def apply_filters(
    gdf: gpd.GeoDataFrame,
    filters: Filters | None = None,
    /,
    *,
    types: Iterable[str] | str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    country: Iterable[str] | str | None = None,
    bbox: tuple[float, float, float, float] | str | None = None,
    side: Iterable[str] | str | None = None,
    near_border: float | str | None = None,
    border: Iterable[str] | str | None = None,
) -> gpd.GeoDataFrame:
    """The rows of an incidents GeoDataFrame that pass every given filter (a filtered copy).

    Give either a :class:`Filters` (from :func:`parse_filters`) as the second argument or keyword
    values, parsed (as in :class:`Filters`) or strings as on the command line (validated by
    :func:`parse_filters`); keywords override the :class:`Filters`' values. ``side``/``near_border``
    use the ``side``/``border_km`` columns, computed from the geometry
    (:func:`geomap.border.add_border_fields`) when the frame has none; ``border`` uses the
    ``border`` column, computed the same way.
    """
    import numpy as np

    if filters is not None:
        base = asdict(filters)
        given = {
            "types": types,
            "since": since,
            "until": until,
            "country": country,
            "bbox": bbox,
            "side": side,
            "near_border": near_border,
            "border": border,
        }
        base.update({k: v for k, v in given.items() if v is not None})
        types, since, until, country, bbox, side, near_border, border = (
            base["types"],
            base["since"],
            base["until"],
            base["country"],
            base["bbox"],
            base["side"],
            base["near_border"],
            base["border"],
        )
    f = parse_filters(
        types=None if types is None else (types if isinstance(types, str) else ",".join(types)),
        since=since,
        until=until,
        country=None if country is None else (country if isinstance(country, str) else ",".join(country)),
        bbox=None if bbox is None else (bbox if isinstance(bbox, str) else ",".join(str(v) for v in bbox)),
        side=None if side is None else (side if isinstance(side, str) else ",".join(side)),
        near_border=near_border,
        border=None if border is None else (border if isinstance(border, str) else ",".join(border)),
    )
    if not f.active or len(gdf) == 0:
        return gdf.copy()
    keep = np.ones(len(gdf), dtype=bool)

    def column(name: str) -> list[Any]:
        return list(gdf[name]) if name in gdf.columns else [None] * len(gdf)

    if f.types is not None:
        wanted = set(f.types)
        keep &= np.array([v in wanted for v in column("event_type")], dtype=bool)
    if f.since is not None or f.until is not None:
        lo = f.since or date.min
        hi = f.until or date.max
        spans = [_span(v) for v in column("date")]
        keep &= np.array([s is not None and s[0] <= hi and s[1] >= lo for s in spans], dtype=bool)
    if f.country is not None:
        wanted = set(f.country)
        countries = column("country")
        sides = column("side")
        keep &= np.array([(c if not _isna(c) else s) in wanted for c, s in zip(countries, sides)], dtype=bool)
    if f.bbox is not None:
        w, s, e, n = f.bbox
        geom = gdf.geometry
        if geom.crs is not None and not geom.crs.equals("EPSG:4326"):
            geom = geom.to_crs("EPSG:4326")
        x = geom.x.to_numpy(dtype=float, na_value=np.nan)
        y = geom.y.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            keep &= (x >= w) & (x <= e) & (y >= s) & (y <= n)
    if f.side is not None or f.near_border is not None or f.border is not None:
        frame = gdf
        if any(
            col not in gdf.columns and wanted is not None
            for col, wanted in (("side", f.side), ("border_km", f.near_border), ("border", f.border))
        ):
            frame = add_border_fields(gdf)
        if f.border is not None:
            wanted = set(f.border)
            keep &= np.array(
                [isinstance(v, str) and parse_pair(v) in wanted for v in frame["border"]], dtype=bool
            )
        if f.side is not None:
            wanted = set(f.side)
            keep &= np.array([v in wanted for v in frame["side"]], dtype=bool)
        if f.near_border is not None:
            km = f.near_border
            keep &= np.array([not _isna(v) and float(v) <= km for v in frame["border_km"]], dtype=bool)
    return gdf.loc[keep].copy()


def filter_incidents(gdf: gpd.GeoDataFrame, options: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """The incidents of ``gdf`` that pass the filter ``options`` (the keywords of
    :func:`parse_filters`; ``None`` is "not given"): ``gdf`` itself when none is given. The API
    and every command apply their filters through this function."""
    if all(v is None for v in options.values()):
        return gdf
    return apply_filters(gdf, parse_filters(**options))

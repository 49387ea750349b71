"""geomap.filters: one set of filters for every verb, with clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geomap._errors import InputError
from geomap.exporters import read_incidents
from geomap.filters import Filters, apply_filters, parse_filters

INCIDENTS = Path(__file__).parent / "data" / "export" / "incidents.geojson"


@pytest.fixture(scope="module")
def gdf():
    # inc-0001 strike 2025-10-15 AF (66.40, 31.01) · inc-0002 clash 2025-10-11 PK · inc-0003 crossing
    # 2025-10 (month) PK · inc-0004 negotiation 2025-10-19 QA · inc-0005 displacement no date PK ·
    # inc-0006 negotiation 2025-11-06 TR
    return read_incidents(INCIDENTS)


def ids(frame) -> list[str]:
    return list(frame["id"])


# --------------------------------------------------------------------------------------------
# parsing


def test_parse_nothing():
    f = parse_filters()
    assert f == Filters() and not f.active


def test_parse_all():
    f = parse_filters(
        types="strike, clash",
        since="2025-10-01",
        until="2025-10-31",
        country="af,PK",
        bbox="60,29,75,38",
        side="PK",
        near_border="10",
    )
    assert f.types == ("strike", "clash")
    assert f.since == date(2025, 10, 1) and f.until == date(2025, 10, 31)
    assert f.country == ("AF", "PK") and f.side == ("PK",)
    assert f.bbox == (60.0, 29.0, 75.0, 38.0) and f.near_border == 10.0


def test_unknown_type_message():
    with pytest.raises(InputError) as err:
        parse_filters(types="strikes")
    assert str(err.value) == (
        "unknown event type 'strikes'; choose from strike, clash, crossing, negotiation, displacement"
    )


@pytest.mark.parametrize(
    "kwargs, problem",
    [
        ({"types": ""}, "--types is empty"),
        ({"since": "2025-13-01"}, "bad date '2025-13-01' for --since; use YYYY-MM-DD"),
        ({"until": "yesterday"}, "bad date 'yesterday' for --until"),
        ({"since": "2025-02-30"}, "bad date '2025-02-30'"),
        ({"since": "2025-11-01", "until": "2025-10-01"}, "--since 2025-11-01 is after --until 2025-10-01"),
        ({"country": "XX"}, "unknown country 'XX' for --country; use ISO 3166-1 alpha-2"),
        ({"country": ","}, "--country is empty"),
        ({"side": "AFG"}, None),  # ISO3 is understood
        ({"side": "ZZ"}, "unknown country 'ZZ' for --side; use ISO 3166-1 alpha-2 codes such as TH"),
        (
            {"border": "KH"},
            "bad border 'KH' for --border; use pairs of ISO 3166-1 alpha-2 codes such as AF-PK,KH-TH",
        ),
        ({"border": "KH-ZZ"}, "bad border 'KH-ZZ' for --border"),
        ({"border": "TH-TH"}, "a border needs two countries"),
        ({"bbox": "60,29,75"}, "need 4 numbers W,S,E,N"),
        ({"bbox": "a,b,c,d"}, "not numbers"),
        ({"bbox": "75,29,60,38"}, "west 75 must be less than east 60"),
        ({"bbox": "60,38,75,29"}, "south 38 must be less than north 29"),
        ({"bbox": "60,29,190,38"}, "longitudes must be within -180..180"),
        ({"bbox": "60,-91,75,38"}, "latitudes must be within -90..90"),
        ({"bbox": "nan,29,75,38"}, "not finite"),
        ({"near_border": "-1"}, "km ≥ 0"),
        ({"near_border": "ten"}, "need a distance in km"),
        ({"near_border": "inf"}, "km ≥ 0"),
    ],
)
def test_parse_errors(kwargs, problem):
    if problem is None:
        assert parse_filters(**kwargs).side == ("AF",)
        return
    with pytest.raises(InputError) as err:
        parse_filters(**kwargs)
    assert problem in str(err.value)
    assert "\n" not in str(err.value)


def test_country_names_and_month_bounds():
    f = parse_filters(country="Pakistan", since="2025-10", until="2025-10")
    assert f.country == ("PK",)
    assert f.since == date(2025, 10, 1) and f.until == date(2025, 10, 31)


# --------------------------------------------------------------------------------------------
# applying


def test_no_filters_returns_copy(gdf):
    out = apply_filters(gdf)
    assert ids(out) == ids(gdf) and out is not gdf


def test_types(gdf):
    assert ids(apply_filters(gdf, types=["negotiation"])) == ["inc-0004", "inc-0006"]
    assert ids(apply_filters(gdf, types="strike,clash")) == ["inc-0001", "inc-0002"]


def test_since_until_day_and_month_precision(gdf):
    # the month-precision incident (2025-10) overlaps any range touching October
    assert ids(apply_filters(gdf, since="2025-10-31")) == ["inc-0003", "inc-0006"]
    assert ids(apply_filters(gdf, until="2025-10-01")) == ["inc-0003"]
    assert ids(apply_filters(gdf, since="2025-10-12", until="2025-10-18")) == ["inc-0001", "inc-0003"]
    assert ids(apply_filters(gdf, since="2025-11-01")) == ["inc-0006"]
    # null-date incident (inc-0005) excluded whenever a date filter is given
    assert "inc-0005" not in ids(apply_filters(gdf, since="2000-01-01"))
    assert ids(apply_filters(gdf, since=date(2025, 10, 19), until=date(2025, 10, 19))) == [
        "inc-0003",
        "inc-0004",
    ]


def test_country_falls_back_on_side(gdf):
    frame = gdf.copy()
    frame.loc[frame["id"] == "inc-0001", "country"] = None  # side AF remains
    assert ids(apply_filters(frame, country="AF")) == ["inc-0001"]
    assert ids(apply_filters(gdf, country="PK")) == ["inc-0002", "inc-0003", "inc-0005"]
    assert ids(apply_filters(gdf, country="QA,TR")) == ["inc-0004", "inc-0006"]


def test_bbox(gdf):
    assert ids(apply_filters(gdf, bbox="60,29,75,38")) == ["inc-0001", "inc-0002", "inc-0003", "inc-0005"]
    assert ids(apply_filters(gdf, bbox=(71, 34, 72, 35))) == ["inc-0003"]


def test_side_and_near_border(gdf):
    assert ids(apply_filters(gdf, side="AF")) == ["inc-0001"]
    assert ids(apply_filters(gdf, near_border=5)) == ["inc-0003", "inc-0005"]
    assert ids(apply_filters(gdf, near_border="0")) == []
    # border_km null (inc-0006) never passes
    assert "inc-0006" not in ids(apply_filters(gdf, near_border=1e6))


def test_side_computed_when_columns_missing(gdf):
    frame = gdf.drop(columns=["side", "border_km"])
    assert ids(apply_filters(frame, side="PK", near_border=20)) == ["inc-0002", "inc-0003", "inc-0005"]


def test_combined_and_filters_object(gdf):
    f = parse_filters(types="strike,crossing,clash", since="2025-10-12", country="AF,PK")
    assert ids(apply_filters(gdf, f)) == ["inc-0001", "inc-0003"]
    assert ids(f.apply(gdf)) == ["inc-0001", "inc-0003"]
    # keywords override the Filters' values
    assert ids(apply_filters(gdf, f, types="crossing")) == ["inc-0003"]


def test_bad_values_in_apply_raise(gdf):
    with pytest.raises(InputError, match="unknown event type 'strikes'"):
        apply_filters(gdf, types="strikes")


def test_empty_frame(gdf):
    empty = gdf.iloc[0:0]
    assert len(apply_filters(empty, types="strike", since="2025-10-01", near_border=5)) == 0


def test_filters_on_acled_frame():
    acled = read_incidents(Path(__file__).parent / "data" / "acled" / "acled_afpak_2025.csv")
    out = apply_filters(acled, types="strike", country="AF", since="2025-10-10")
    assert ids(out) == ["acled:AFG90106", "acled:AFG90108"]

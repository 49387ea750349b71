"""The folium map: layers per type, offline assets, escaping, tolerant input, atomic saving."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser

import folium
import geopandas as gpd
import pytest
from branca.element import MacroElement
from shapely.geometry import LineString, Point

from geomap import mapping
from geomap._errors import GeomapError
from geomap._map_elements import IncidentMarkers, Legend, SummaryPanel, TimeControl, js_json


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self._in_script: dict | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script, self._buf = attrs, []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def feature_groups(m: folium.Map) -> list[folium.FeatureGroup]:
    return [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]


def test_one_feature_group_per_type_named_with_count(map_incidents):
    m = mapping.render_map(map_incidents)
    names = [g.layer_name for g in feature_groups(m)]
    assert names == [
        "Strikes (2)",
        "Clashes (2)",
        "Crossing events (3)",
        "Negotiations (3)",
        "Displacement (2)",
    ]
    # the groups are what the layer control toggles; all draw through one shared cluster, so that
    # nearby incidents of different types group instead of hiding each other
    for group in feature_groups(m):
        assert list(group._children.values()) == []
    assert [type(c).__name__ for c in m._children.values()].count("MarkerCluster") == 1


def test_layer_control_open_and_map_has_max_zoom(map_incidents):
    m = mapping.render_map(map_incidents)
    controls = [c for c in m._children.values() if isinstance(c, folium.LayerControl)]
    assert len(controls) == 1 and controls[0].options["collapsed"] is False
    page = mapping.map_html(m, offline=False)
    assert re.search(r'"maxZoom":\s*18', page)
    assert '"collapsed": false' in page or '"collapsed":false' in page


def test_empty_type_gets_an_empty_layer(map_incidents):
    m = mapping.render_map(map_incidents[map_incidents.event_type != "displacement"])
    assert "Displacement (0)" in [g.layer_name for g in feature_groups(m)]


def test_controls_are_macro_elements_with_templates(map_incidents):
    m = mapping.render_map(map_incidents)
    kinds = {type(c) for c in m._children.values()}
    for cls in (Legend, SummaryPanel, TimeControl, IncidentMarkers):
        assert cls in kinds
        assert issubclass(cls, MacroElement) and cls._template is not None


def test_offline_page_links_no_cdn(map_incidents):
    from offlinefolium.elements import _res

    page = mapping.map_html(mapping.render_map(map_incidents), offline=True)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*stylesheet", page)
    for url in _res:
        assert url not in page
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
    assert "L.markerClusterGroup" in page and "L.Control.MiniMap" in page
    assert "window.L" in page  # Leaflet itself is inlined


def test_cdn_mode_keeps_links(map_incidents):
    page = mapping.map_html(mapping.render_map(map_incidents, offline=False), offline=False)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in page
    assert "leaflet.markercluster.js" in page
    # and nothing folium links by default that geomap does not use
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "fontawesome" not in page


def test_inline_assets_fails_loudly_on_unknown_url():
    page = '<html><head><script src="https://example.org/unknown.js"></script></head></html>'
    with pytest.raises(GeomapError, match="no offline copy"):
        mapping.inline_assets(page)
    kept = '<script src="local.js"></script>'
    assert mapping.inline_assets(kept) == kept


def test_inline_assets_escapes_script_end_in_js():
    page = '<script src="https://a.example/x.js"></script><link rel="stylesheet" href="https://a.example/x.css"/>'
    out = mapping.inline_assets(
        page,
        {
            "https://a.example/x.js": 'var s = "</script><b>";',
            "https://a.example/x.css": "a{background:url(img/x.png)}",
        },
    )
    assert out.count("</script>") == 1 and "<\\/script>" in out
    assert "url(data:,)" in out and "img/x.png" not in out


def test_payloads_are_escaped_in_html_source(hostile_incidents, xss_payloads):
    PAYLOADS = xss_payloads
    m = mapping.render_map(
        hostile_incidents,
        title=PAYLOADS[0] + PAYLOADS[6],
        crossings=[{"name": PAYLOADS[1], "lat": 34.1, "lon": 71.1, "place_id": "p"}],
    )
    page = mapping.map_html(m, offline=True)
    for payload in PAYLOADS[:4] + PAYLOADS[6:]:
        assert payload not in page
    parser = _Collector()
    parser.feed(page)
    for attrs, body in parser.scripts:
        if attrs.get("type") == "application/json":
            data = json.loads(body)  # inert data, and valid JSON
            strings = _strings(data)
            for text in strings:
                assert "<script" not in text and "<img" not in text and "<svg onload" not in text
            if isinstance(data, dict) and "rows" in data:  # the incidents (not the area lines)
                popups = ["".join(data["strings"][i] for i in row[9]) for row in data["rows"]]
                assert any("&lt;script&gt;window.__xss=1&lt;/script&gt;" in p for p in popups)
        else:
            assert "__xss" not in body, "a payload reached a script as code"
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            assert not (name.startswith("on") and "__xss" in (value or "")), (tag, attrs)
            assert not (value or "").lower().startswith("javascript:"), (tag, attrs)
    assert "<title>&lt;script&gt;" in page


def test_popup_content(map_incidents):
    rec = next(r for r in mapping._records(map_incidents) if r["id"] == "inc-kurram-1012")
    popup = mapping.popup_html(rec)
    assert "Clash" in popup and "armed clash" in popup
    assert "2025-10-12" in popup and "Kurram" in popup and "near the named place" in popup
    assert "23 killed, 29 wounded" in popup
    assert "58 killed — per Zabihullah Mujahid (Taliban spokesman) (tolonews-2025-10-12.html)" in popup
    assert "Pakistan Army; Afghan Taliban" in popup
    assert "Pakistan&#x27;s military said 23 soldiers" in popup and "published 2025-10-12" in popup
    assert "Pakistan side, 6 km from the Afghanistan–Pakistan border, 15 km from Kharlachi" in popup
    month = next(r for r in mapping._records(map_incidents) if r["id"] == "inc-torkham-returns-10")
    assert "2025-10 (month only)" in mapping.popup_html(month)
    assert "date known only to the month" in mapping.popup_html(month)


def test_border_text():
    assert (
        mapping.border_text("PK", 3.2, "Torkham", 1.4, "AF-PK")
        == "Pakistan side, 3 km from the Afghanistan–Pakistan border, 1 km from Torkham"
    )
    assert (
        mapping.border_text("TH", 4.0, "Poipet", 2.0, "KH-TH")
        == "Thailand side, 4 km from the Cambodia–Thailand border, 2 km from Poipet"
    )
    assert mapping.border_text("QA", 12, "Torkham", 1800) == "in Qatar, 12 km from the nearest land border"
    assert (
        mapping.border_text("QA", 1500, None, None, "AF-PK")
        == "in Qatar, 1,500 km from the Afghanistan–Pakistan border"
    )
    assert mapping.border_text(None, None, None, None) == ""


def test_crossing_status_from_latest_report(map_incidents):
    records = mapping._records(map_incidents)
    crossings = mapping.crossing_status(
        [
            {
                "name": "Torkham",
                "place_id": "gm:crossing:torkham",
                "country": "PK",
                "lat": 34.11472,
                "lon": 71.08472,
            },
            {
                "name": "Chaman border crossing",
                "place_id": "gm:crossing:chaman",
                "country": "PK",
                "lat": 30.92222,
                "lon": 66.44472,
            },
            {
                "name": "Angoor Adda",
                "place_id": "gm:crossing:angoor-adda",
                "country": "PK",
                "lat": 32.51556,
                "lon": 69.2825,
            },
        ],
        records,
    )
    status = {c["name"]: (c["status"], c["last_date"]) for c in crossings}
    assert status == {
        "Torkham": ("open", "2025-11-02"),
        "Chaman border crossing": ("closed", "2025-10-12"),
        "Angoor Adda": ("unknown", None),
    }


def test_geodata_crossings_and_the_involved_border_drawn(map_incidents):
    m = mapping.render_map(map_incidents)
    names = [getattr(c, "layer_name", "") for c in m._children.values()]
    assert any(n.startswith("Border crossings: status (") for n in names)
    assert "Afghanistan–Pakistan border (Natural Earth)" in names
    assert not any("Cambodia" in n for n in names)  # only the borders the incidents belong to
    assert any(n.startswith("Negotiation venues (2)") for n in names)


def test_summary(map_incidents):
    m = mapping.render_map(map_incidents, title="Border incidents")
    summary = next(c for c in m._children.values() if isinstance(c, SummaryPanel)).s
    assert ("Strikes", 2) in summary["counts"] and ("Negotiations", 3) in summary["counts"]
    assert summary["dates"] == "Dates: 2025-10 – 2025-11-07 (1 undated)"
    assert "48 killed" in summary["casualties"] and "109 wounded" in summary["casualties"]
    assert "2 incident(s)" in summary["conflicts"]
    assert summary["border"] == "Within 10 km of the border: 7 · within 50 km: 9"


def test_tolerates_minimal_frames_and_other_layers():
    gdf = gpd.GeoDataFrame(
        {
            "event_type": ["strike", "clash", "Explosions/Remote violence", None],
            "layer": ["ACLED", "ACLED", "ACLED", None],
            "date": ["2025-10-09", None, "2025-10-10", "garbage"],
            "geometry": [Point(69, 34), Point(70, 33), LineString([(66, 31), (67, 31)]), None],
        },
        crs=4326,
    )
    m = mapping.render_map(gdf, reference_layers=False, tiles=False)
    names = [g.layer_name for g in feature_groups(m)]
    assert (
        "ACLED: strikes (1)" in names and "ACLED: clashes (1)" in names and "ACLED: other events (1)" in names
    )
    assert "Strikes (0)" in names
    summary = next(c for c in m._children.values() if isinstance(c, SummaryPanel)).s
    assert summary["border"] == ""
    mapping.map_html(m)


def test_empty_frame_and_projected_crs(map_incidents):
    empty = map_incidents.iloc[0:0]
    assert [g.layer_name for g in feature_groups(mapping.render_map(empty))][0] == "Strikes (0)"
    projected = map_incidents.to_crs(3857)
    page = mapping.map_html(mapping.render_map(projected), offline=False)
    assert "[34.5281,69.1723," in page  # Kabul back in lat/lon


def test_lists_stored_as_json_strings(map_incidents):
    frame = map_incidents.copy()
    for col in ("claims", "actors", "sources", "warnings"):
        frame[col] = frame[col].map(json.dumps)
    frame["killed"] = frame["killed"].astype(float)  # NaN where unknown
    rec = next(r for r in mapping._records(frame) if r["id"] == "inc-kurram-1012")
    assert rec["actors"] == ["Pakistan Army", "Afghan Taliban"] and rec["killed"] == 23
    assert len(rec["claims"]) == 2 and rec["sources"][0]["article"] == "dawn-2025-10-12.txt"


def test_save_map_is_atomic(tmp_path, map_incidents, monkeypatch):
    out = tmp_path / "map.html"
    m = mapping.render_map(map_incidents)
    mapping.save_map(m, out)
    first = out.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>") and "L.markerClusterGroup" in first

    def broken(page, resources=None):
        raise GeomapError("boom")

    monkeypatch.setattr(mapping, "inline_assets", broken)
    with pytest.raises(GeomapError):
        mapping.save_map(m, out)
    assert out.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_js_json_cannot_close_a_script():
    text = js_json({"a": "</script><!-- \u2028 &amp;"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 &amp;"}


def test_ten_thousand_incidents_build(synthetic_incidents):
    # its time and size are benchmarks' business (benchmarks/bench_map.py); here: it is right
    gdf = synthetic_incidents(10_000)
    m = mapping.render_map(gdf)
    page = mapping.map_html(m)
    counts = Counter(gdf.event_type)
    names = [g.layer_name for g in feature_groups(m)]
    assert f"Strikes ({counts['strike']:,})" in names
    assert len(page) < 40_000_000


def test_article_text_is_never_read_as_a_template():
    frame = gpd.GeoDataFrame(
        {
            "event_type": ["strike"],
            "evidence": ["X{{ 7*7 }}Y {% raw %} {# c"],
            "place": ["{{ 6*7 }}"],
            "layer": ["{{ 5*5 }}"],
            "geometry": [Point(69, 34)],
        },
        crs=4326,
    )
    m = mapping.render_map(frame, title="{% if true %}T{% endif %}")
    page = mapping.map_html(m, offline=False)
    assert "7*7" in page and "X49Y" not in page
    assert "X&#123;&#123; 7*7 &#125;&#125;Y &#123;% raw %&#125; &#123;# c" in mapping.popup_html(
        mapping._records(frame)[0]
    )
    assert "{% if true %}T{% endif %}" in page
    assert "&#123;&#123; 5*5 &#125;&#125;: strikes (1)" in [g.layer_name for g in feature_groups(m)]
    assert "25: strikes" not in page


def test_popup_place_names_the_province_but_never_a_bare_admin1_code():
    from geomap.mapping import _place_display

    assert _place_display({"place": "Barmal", "admin1": "Paktika", "country": "AF"}) == "Barmal, Paktika, AF"
    assert _place_display({"place": "Kabul", "admin1": "13", "country": "AF"}) == "Kabul, AF"
    assert _place_display({"place": "Kurram", "admin1": "Kurram", "country": "PK"}) == "Kurram, PK"
    assert _place_display({"place": "", "admin1": None, "country": ""}) == "unknown place"


def test_a_whole_border_closed_closes_each_of_its_crossings():
    records = [
        {
            "event_type": "crossing",
            "lat": 31.0,
            "lon": 66.5,
            "place_id": "gm:border-line:AF-PK",
            "nearest_crossing": None,
            "crossing_km": None,
            "sub_event_type": "crossing closed",
            "day_to": 100,
            "day_from": 100,
            "date_text": "2025-10-12",
        }
    ]
    crossings = [
        {
            "name": "Torkham",
            "place_id": "gm:crossing:torkham",
            "country": "PK",
            "lat": 34.1,
            "lon": 71.08,
            "pair": "AF-PK",
        },
        {
            "name": "Angoor Adda",
            "place_id": "gm:crossing:angoor-adda",
            "country": "PK",
            "lat": 32.5,
            "lon": 69.3,
            "pair": "AF-PK",
        },
        {
            "name": "Attari–Wagah",
            "place_id": "gm:crossing:attari-wagah",
            "country": "IN",
            "lat": 31.6,
            "lon": 74.57,
            "pair": "IN-PK",
        },
    ]
    status = {c["name"]: c["status"] for c in mapping.crossing_status(crossings, records)}
    assert status == {"Torkham": "closed", "Angoor Adda": "closed", "Attari–Wagah": "unknown"}


def test_many_theatres_share_one_border_layer():
    import geopandas as gpd
    from shapely.geometry import Point

    pts = {"AF-PK": (69.5, 32.5), "KH-TH": (103.5, 14.3), "IL-LB": (35.5, 33.1), "KP-KR": (127.0, 38.0)}
    gdf = gpd.GeoDataFrame(
        {"event_type": ["clash"] * 4, "border": list(pts)},
        geometry=[Point(p) for p in pts.values()],
        crs="EPSG:4326",
    )
    names = [getattr(c, "layer_name", "") for c in mapping.render_map(gdf)._children.values()]
    assert "Land borders of the incidents (4, Natural Earth)" in names
    assert not any(n.endswith("border (Natural Earth)") for n in names)


# ------------------------------------------------------------------------------------------------
# issue 22: source links, offline saving, build --title


def test_article_meta_from_html_front_matter_and_sidecar(tmp_path):
    from geomap.articles import article_meta

    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>Page | Dawn</title>"
        '<link rel="canonical" href="https://www.dawn.com/news/1?x=1&amp;y=2">'
        '<meta property="og:title" content="Clashes in Kurram">'
        '<meta property="og:site_name" content="Dawn"></head><body>text</body></html>',
        encoding="utf-8",
    )
    assert article_meta(page) == {
        "url": "https://www.dawn.com/news/1?x=1&y=2",
        "title": "Clashes in Kurram",
        "outlet": "Dawn",
    }
    md = tmp_path / "b.md"
    md.write_text(
        "---\ndate: 2025-10-09\nurl: https://tolonews.com/k\ntitle: Blasts in Kabul\n"
        "source: TOLOnews\n---\nBody",
        encoding="utf-8",
    )
    assert article_meta(md) == {
        "url": "https://tolonews.com/k",
        "title": "Blasts in Kabul",
        "outlet": "TOLOnews",
    }
    txt = tmp_path / "c.txt"
    txt.write_text("Body only", encoding="utf-8")
    assert article_meta(txt) == {}
    (tmp_path / "c.json").write_text(
        '{"url": "https://x.org/c", "title": "C", "source": "X"}', encoding="utf-8"
    )
    assert article_meta(txt) == {"url": "https://x.org/c", "title": "C", "outlet": "X"}


def test_sources_link_only_to_http_addresses(map_incidents):
    frame = map_incidents.copy()
    first = frame["sources"].iloc[0][0]["article"]
    records = mapping._records(frame, {first: {"url": "javascript:alert(1)", "title": "<b>Bad</b>"}})
    popup = mapping.popup_html(records[0])
    assert "javascript:" not in popup and "<b>Bad</b>" not in popup and "&lt;b&gt;Bad&lt;/b&gt;" in popup
    records = mapping._records(frame, {first: {"url": "https://www.dawn.com/n?a=1&b=2", "title": "Headline"}})
    popup = mapping.popup_html(records[0])
    assert (
        '<a href="https://www.dawn.com/n?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">Headline</a>'
        in popup
    )
    assert "(dawn.com)" in popup  # the outlet, from the address


def test_save_map_and_m_save_write_one_offline_file(tmp_path, map_incidents):
    import geomap

    m = geomap.render_map(map_incidents)
    geomap.save_map(m, tmp_path / "a.html")
    m.save(str(tmp_path / "b.html"))
    for name in ("a.html", "b.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", page) and "window.L" in page
    with open(tmp_path / "c.html", "w", encoding="utf-8") as fh:
        m.save(fh)
    assert "window.L" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_build_takes_a_title(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import cli

    article = tmp_path / "a.md"
    article.write_text(
        "---\ndate: 2025-10-09\nurl: https://tolonews.com/k\ntitle: Blasts in Kabul\n---\n"
        "Explosions were heard in Kabul on October 9, 2025 after a Pakistani airstrike, officials said.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["build", str(article), "--out", str(tmp_path / "out"), "--title", "A <b>map</b>"]
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "<title>A &lt;b&gt;map&lt;/b&gt;</title>" in page
    assert "https://tolonews.com/k" in page


def test_the_view_frames_the_dense_core_and_towns_are_named(map_incidents):
    records = mapping._records(map_incidents)
    (south, west), (north, east) = mapping._core_bounds(records)
    inside = [r for r in records if south <= r["lat"] <= north and west <= r["lon"] <= east]
    assert len(inside) >= mapping.CORE_SHARE * len(records)
    assert west > 29  # Istanbul (29.0 E) is left out, reached from a label at the map's edge
    assert mapping._core_bounds([]) == mapping._DEFAULT_BOUNDS
    towns = mapping._town_rows(records)
    names = [t[2] for t in towns]
    assert "Kabul" in names and "Peshawar" in names
    assert [t[3] for t in towns] == sorted((t[3] for t in towns), reverse=True)  # biggest first
    areas = [a[2] for a in mapping._area_rows(records)]
    assert {"Paktika", "Khyber Pakhtunkhwa", "Balochistan", "Nangarhar"} <= set(areas)
    assert mapping._area_rows([]) == []
    page = mapping.map_html(mapping.render_map(map_incidents), offline=False)
    assert mapping.TOWNS_LAYER in page
    assert "Khyber Pakhtunkhwa" in page
    assert "gm-area-line" in page and "Province or state boundary" in page


def test_province_boundaries_are_those_of_the_map_s_countries(map_incidents):
    records = mapping._records(map_incidents)
    lines = mapping._area_lines(records)
    codes = [f["properties"]["iso2"] for f in lines["features"]]
    assert codes == [c for c in mapping._map_countries(records) if c in mapping._admin1_lines()]
    assert {"AF", "PK"} <= set(codes) and "IN" not in codes  # the theatre's, not the region's
    # the Afghan lines lie in Afghanistan: every vertex within its outline's bounds
    afghan = next(f for f in lines["features"] if f["properties"]["iso2"] == "AF")["geometry"]
    xs = [x for part in afghan["coordinates"] for x, _ in part]
    ys = [y for part in afghan["coordinates"] for _, y in part]
    assert 60.4 < min(xs) and max(xs) < 75.0 and 29.3 < min(ys) and max(ys) < 38.5
    assert mapping._area_lines([]) is None


@pytest.mark.parametrize("planned, status", [(False, "open"), (True, "closed")])
def test_a_planned_reopening_leaves_a_crossing_closed(planned, status):
    """ "Closed on Monday until 30 August": the reopening announced for a later day is no status."""

    def report(sub, day, planned=False):
        return {
            "event_type": "crossing",
            "lat": 34.1,
            "lon": 71.08,
            "place_id": "gm:crossing:torkham",
            "nearest_crossing": "Torkham",
            "crossing_km": 0.0,
            "sub_event_type": sub,
            "day_to": day,
            "day_from": day,
            "date_text": str(day),
            "planned": planned,
        }

    records = [report("crossing closed", 100), report("crossing reopened", 112, planned)]
    torkham = {
        "name": "Torkham",
        "place_id": "gm:crossing:torkham",
        "country": "PK",
        "lat": 34.1,
        "lon": 71.08,
    }
    (found,) = mapping.crossing_status([torkham], records)
    assert found["status"] == status

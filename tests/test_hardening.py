"""Hardening (issue 25): hostile text and numbers in inputs end in exit 0 or 2, never a crash;
outputs are well-formed whatever the text holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geomap.exporters as ex

DATA = Path(__file__).parent / "data"
INCIDENTS = DATA / "export" / "incidents.geojson"
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}

#: Text XML must escape, and characters XML 1.0 forbids (which the KML writer drops).
NASTY = "A & B <b>x</b> ]]> \"q\" 'a' \x0b\x00\x1f\ufffe\udc80 end"
NASTY_KEPT = "A & B <b>x</b> ]]> \"q\" 'a'  end"


@pytest.fixture(scope="module")
def gdf():
    return ex.read_incidents(INCIDENTS)


# --------------------------------------------------------------------------------------------
# 1. KML: an XML writer that escapes, and drops what XML 1.0 forbids


def _nasty_frame(gdf):
    frame = gdf.copy()
    frame.at[0, "place"] = NASTY
    frame.at[0, "evidence"] = NASTY
    frame.at[0, "actors"] = [NASTY, "Afghan Taliban"]
    frame.at[0, "sources"] = [{"article": "a&b<c>\x0b.txt", "published": "2025-10-12", "evidence": NASTY}]
    frame.at[0, "claims"] = [{"killed": 3, "by": NASTY, "article": "a&b.txt"}]
    frame["odd <key> & \x01"] = [NASTY] + [None] * (len(frame) - 1)
    return frame


def test_kml_escapes_and_drops_forbidden_characters(gdf, tmp_path):
    from fastkml import kml
    from lxml import etree

    out = tmp_path / "x.kml"
    ex.export(_nasty_frame(gdf), out, "kml")
    root = etree.parse(str(out)).getroot()  # well-formed XML
    first = root.find(".//k:Placemark", KML_NS)
    assert first.findtext("k:name", namespaces=KML_NS).endswith(NASTY_KEPT + " (2025-10-15)")
    data = {
        d.get("name"): d.findtext("k:value", namespaces=KML_NS) for d in first.findall(".//k:Data", KML_NS)
    }
    assert data["place"] == NASTY_KEPT
    # JSON text keeps control characters as \u escapes; what XML forbids as characters is dropped
    assert json.loads(data["actors"])[0] == NASTY.replace("\ufffe", "").replace("\udc80", "")
    assert data["odd <key> & "] == NASTY_KEPT
    desc = first.findtext("k:description", namespaces=KML_NS)
    assert "a&amp;b&lt;c&gt;.txt" in desc  # HTML-escaped inside the balloon, XML-escaped around it
    assert len(list(kml.KML.parse(str(out)).features)) == 1


def test_kml_of_hostile_article_builds(tmp_path):
    """The issue's reproduction: an '&' in an article's text made `build --formats kml` exit 1."""
    from geomap.cli import main

    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "amp & <x>.txt").write_text(
        "date 2025-10-20\nPakistani drone strikes hit Kabul on October 9, 2025, killing 10 people & "
        "wounding 3, officials said.\x0b\n",
        encoding="utf-8",
    )
    out = tmp_path / "D"
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(folder), "--out", str(out), "--formats", "kml"])
    assert exit_.value.code == 0
    from lxml import etree

    root = etree.parse(str(out / "incidents.kml")).getroot()
    assert root.findall(".//k:Placemark", KML_NS)
    assert (out / "map.html").exists()

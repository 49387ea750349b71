"""Property-based tests over the whole pipeline (issue 8).

For arbitrary text — and for text built from place names, dates, numbers and event words so that
the interesting paths run — ``find_mentions`` and ``extract_events`` + ``merge_events`` never
raise, every coordinate is in range, every offset pair slices the article text to its mention, and
every output is a valid GeoJSON FeatureCollection (geojson-pydantic).

2,400 examples in all by default; ``GEOMAP_HYPOTHESIS_PROFILE=long`` runs ten times as many.
"""

from __future__ import annotations

import json
import math
import os
from datetime import date

from geojson_pydantic import FeatureCollection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.articles import article_from_text
from geomap.events import extract_events
from geomap.frames import incidents_to_featurecollection, mentions_to_features
from geomap.geoparse import find_mentions
from geomap.incidents import merge_events

SCALE = 10 if os.environ.get("GEOMAP_HYPOTHESIS_PROFILE") == "long" else 1


def examples(n: int):
    return settings(max_examples=n * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


PLACES = [
    "Kabul",
    "Kandahar",
    "Spin Boldak",
    "Spin Buldak",
    "Chaman",
    "Torkham",
    "Islamabad",
    "Peshawar",
    "Quetta",
    "Khost",
    "Kurram",
    "Bajaur",
    "North Waziristan",
    "Paktika",
    "Doha",
    "Istanbul",
    "Herat",
    "Afghanistan",
    "Pakistan",
    "Balochistan",
    "Khyber Pakhtunkhwa",
    "کابل",
    "قندهار",
    "Jalalabad",
    "Nangarhar",
    "Angoor Adda",
    "Ghulam Khan",
    "the Durand Line",
    "Lahore",
    "Georgia",
    "Jordan",
]
DATES = [
    "October 12, 2025",
    "Oct. 9",
    "on Tuesday",
    "earlier this month",
    "2025-10-15",
    "12 October 2025",
    "last week",
    "Nov 2025",
    "yesterday",
    "on Sunday night",
    "31 February 2025",
    "October 32, 2025",
    "1 Jan 1900",
    "9999-99-99",
]
NUMBERS = [
    "3",
    "12",
    "dozens of",
    "at least 23",
    "more than 200",
    "1,500",
    "two",
    "three hundred",
    "0",
    "99999999999999",
    "1.5 million",
    "-4",
    "17 (seventeen)",
]
EVENT_WORDS = [
    "airstrike",
    "drone strike",
    "shelling",
    "clashes",
    "fighting",
    "killed",
    "wounded",
    "injured",
    "ceasefire",
    "talks",
    "negotiations",
    "collapsed",
    "crossing",
    "closed",
    "reopened",
    "deported",
    "refugees",
    "displaced",
    "militants",
    "soldiers",
    "civilians",
    "Taliban",
    "Pakistani forces",
    "Afghan forces",
    "said",
    "claimed",
    "according to officials",
    "the ministry",
    "near",
    "in",
    "at",
    "border",
    "and",
    "the",
    "were",
    "was",
]
PUNCT = [".", ",", ":", ";", " — ", "!", "?", "\n", "\n\n", " (", ")", "\u201c", "\u201d", "'s", " / "]
ARABIC = "\u0600-\u06ff"

word = st.one_of(
    st.sampled_from(PLACES),
    st.sampled_from(DATES),
    st.sampled_from(NUMBERS),
    st.sampled_from(EVENT_WORDS),
    st.sampled_from(PUNCT),
    st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x7A), min_size=1, max_size=8).map(
        str.capitalize
    ),
)
vocab_text = st.lists(word, min_size=0, max_size=80).map(" ".join)

arbitrary_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),  # anything but lone surrogates
        st.sampled_from(list("ABCKPQ .,;:!?\n\t-—'\"()0123456789")),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),  # Arabic
    ),
    max_size=400,
)

capitalised_text = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(whitelist_categories=("Lu",)), min_size=1, max_size=1).flatmap(
            lambda c: st.text(alphabet=st.characters(whitelist_categories=("Ll",)), max_size=10).map(
                lambda r: c + r
            )
        ),
        st.text(alphabet="0123456789", min_size=1, max_size=6),
        st.sampled_from(PUNCT),
        st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), min_size=1, max_size=8),
    ),
    max_size=60,
).map(" ".join)

published = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))


def _check_geojson(fc: dict) -> None:
    text = json.dumps(fc, allow_nan=False)  # no NaN or infinity anywhere
    FeatureCollection.model_validate_json(text)
    for feat in fc["features"]:
        assert feat["geometry"]["type"] == "Point"
        lon, lat = feat["geometry"]["coordinates"]
        assert math.isfinite(lon) and math.isfinite(lat)
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def _check_pipeline(text: str, when: date | None) -> None:
    article = article_from_text("prop.txt", text, when)
    assert len(article.clean) == len(article.text)
    mentions = find_mentions(article)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.mention
        assert -180 <= m.place.lon <= 180 and -90 <= m.place.lat <= 90
        assert 0 <= m.confidence <= 1
        assert m.role in ("location", "actor", "other")
    _check_geojson(mentions_to_features(mentions))

    events = extract_events(article, mentions)
    for ev in events:
        assert -180 <= ev.lon <= 180 and -90 <= ev.lat <= 90
        assert ev.event_type in ("strike", "clash", "crossing", "negotiation", "displacement")
        if ev.date is not None:
            assert len(ev.date) in (7, 10)
            date.fromisoformat(ev.date if len(ev.date) == 10 else ev.date + "-01")
    incidents = merge_events(events)
    fc = incidents_to_featurecollection(incidents)
    _check_geojson(fc)
    for feat in fc["features"]:
        props = feat["properties"]
        assert props["id"]
        for key in ("killed", "wounded"):
            assert props[key] is None or (isinstance(props[key], int) and props[key] >= 0)
        assert props["confidence"] is None or 0 <= props["confidence"] <= 1


@examples(700)
@given(text=arbitrary_text, when=published)
def test_arbitrary_text_never_breaks_the_pipeline(text, when):
    _check_pipeline(text, when)


@examples(900)
@given(text=vocab_text, when=published)
def test_news_like_text_never_breaks_the_pipeline(text, when):
    _check_pipeline(text, when)


@examples(500)
@given(text=capitalised_text)
def test_capitalised_words_digits_and_arabic(text):
    _check_pipeline(text, None)


@examples(300)
@given(parts=st.lists(vocab_text, min_size=2, max_size=5))
def test_many_paragraphs_and_datelines(parts):
    text = "\n\n".join(f"Peshawar, Oct {i + 1}, 2025: {p}" if i % 2 else p for i, p in enumerate(parts))
    _check_pipeline("date 2025-10-20\n" + text, None)


def test_properties_run_enough_examples():
    """The default profile runs at least 2,000 examples across this module."""
    tests = (
        test_arbitrary_text_never_breaks_the_pipeline,
        test_news_like_text_never_breaks_the_pipeline,
        test_capitalised_words_digits_and_arabic,
        test_many_paragraphs_and_datelines,
    )
    assert sum(t._hypothesis_internal_use_settings.max_examples for t in tests) >= 2000

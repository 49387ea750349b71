"""The dependency parse: the pinned model loads, and its distances attach places, dates and figures
to their own event word in sentences written in several outlets' styles."""

from __future__ import annotations

from datetime import date

import pytest

from geomap import _parse
from geomap.articles import article_from_text
from geomap.events import extract_events
from geomap.models import Mention, Place


def test_the_pinned_model_is_installed_and_loads():
    _parse.check_model()
    assert _parse.parser_available()
    meta = _parse.model_meta()
    assert meta["version"] == _parse.MODEL_VERSION and meta["lang"] == "en"
    tree = _parse.parse("Pakistani jets struck Spin Boldak on Wednesday.")
    assert tree is not None and tree.lemmas[2] == "strike" and tree.deps[2] == "ROOT"


def test_a_changed_model_is_refused(monkeypatch):
    monkeypatch.setitem(_parse.MODEL_SHA256, "parser/model", "0" * 64)
    with pytest.raises(ImportError, match="differs"):
        _parse.check_model()


def test_the_parser_can_be_turned_off(monkeypatch):
    _parse._nlp.cache_clear()
    monkeypatch.setenv("GEOMAP_NO_PARSER", "1")
    try:
        assert not _parse.parser_available() and _parse.parse("Troops clashed.") is None
    finally:
        monkeypatch.delenv("GEOMAP_NO_PARSER")
        _parse._nlp.cache_clear()


def _span(s: str, words: str) -> tuple[int, int]:
    i = s.index(words)
    return i, i + len(words)


def test_tree_distance_follows_the_grammar_not_the_characters():
    s = "Fighting broke out on Sunday near the village, which lies 40 km from Goma, in the east."
    tree = _parse.parse(s)
    assert tree.distance(_span(s, "Fighting"), _span(s, "Sunday")) < tree.distance(
        _span(s, "Fighting"), _span(s, "Goma")
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "A Thai military spokesman told CNN in Bangkok that the fighting was sparked by an intrusion.",
        "Speaking to reporters in Addis Ababa, the minister said the fighting stopped on Monday.",
        "The army said in a statement issued in Rawalpindi that the clashes had ended.",
    ],
)
def test_where_something_was_said_is_not_where_it_happened(sentence):
    tree = _parse.parse(sentence)
    trigger = next(w for w in ("fighting", "clashes") if w in sentence)
    city = next(w for w in ("Bangkok", "Addis Ababa", "Rawalpindi") if w in sentence)
    assert (
        tree.distance(_span(sentence, trigger), _span(sentence, city)) >= _parse.UNRELATED
        or tree.distance(_span(sentence, trigger), _span(sentence, city)) > 60
    )


@pytest.mark.parametrize(
    "sentence, event, place, unrelated",
    [
        # a clause about the speaker says where they lived, not where the event was
        (
            '"We were forced to leave everything behind," said Gul Mohammad, who had lived in Peshawar '
            "for 30 years.",
            "forced",
            "Peshawar",
            True,
        ),
        ("The fighting was heavy, said a farmer who fled from Kunar on Sunday.", "fighting", "Kunar", True),
        # the speaker described by a phrase of place may be speaking where it happened
        (
            "A trader in the border town of Chaman told AFP the closure was very concerning.",
            "closure",
            "Chaman",
            False,
        ),
    ],
)
def test_a_clause_about_the_speaker_is_not_the_events_place(sentence, event, place, unrelated):
    tree = _parse.parse(sentence)
    assert (tree.distance(_span(sentence, event), _span(sentence, place)) >= _parse.UNRELATED) is unrelated


PLACES = {
    "Istanbul": ("city", 41.0, 28.95, "TR"),
    "Chaman": ("town", 30.92, 66.45, "PK"),
    "Bangkok": ("city", 13.75, 100.5, "TH"),
    "Preah Vihear": ("landmark", 14.39, 104.68, "KH"),
}


def _events(text: str, published=date(2025, 10, 30)):
    art = article_from_text("t.txt", text, published)
    mentions = []
    for name, (kind, lat, lon, cc) in PLACES.items():
        start = text.find(name)
        while start >= 0:
            mentions.append(
                Mention(
                    art.name, name, start, start + len(name), Place(f"t:{name}", name, lat, lon, kind, cc)
                )
            )
            start = text.find(name, start + 1)
    return extract_events(art, sorted(mentions, key=lambda m: m.start))


def test_a_place_inside_another_events_phrase_stays_with_it():
    """AP style: the talks' venue sits inside the talks' phrase, the clash is elsewhere."""
    evs = _events(
        "Pakistan said four days of talks in Istanbul had failed, weeks after deadly border clashes "
        "with Afghan forces near Chaman."
    )
    by_type = {e.event_type: e.place.name for e in evs}
    assert by_type == {"negotiation": "Istanbul", "clash": "Chaman"}


def test_the_speakers_city_is_not_the_battlefield():
    """Wire style: the spokesman speaks from the capital about the border."""
    evs = _events(
        "A Thai army spokesman told reporters in Bangkok that Thai and Cambodian troops clashed "
        "near Preah Vihear on Friday."
    )
    assert [(e.event_type, e.place.name) for e in evs] == [("clash", "Preah Vihear")]

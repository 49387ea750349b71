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


#: Sentences that reach the model's attribute exceptions: word pairs ("gonna", "let's", "y'all",
#: "ain't"), words by their dependency ("but" as an adverb, "it" as subject or object, auxiliaries,
#: "there is"), determiners standing alone, runs of spaces, "gets"/"got".
_RULE_SENTENCES = [
    "Let's be clear: the army ain't gonna withdraw from the post, y'all.",
    "We gotta see what happens, said a trader who got stuck at the crossing.",
    "There were clashes overnight, and there is no sign it will end; it was shelled again.",
    "I told them that I had seen it, but they did not believe me.",
    "Which posts were hit?  That is what the ministry has not said.",
    "He gets the trucks through, but all  of them were stopped on Monday.",
    "Do you know what they did?  They had fled before the troops came.",
    "C'mon, those who crossed had nothing, the volunteer said.",
]


def _seed_sentences() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "seeds"
    lines = [line.strip() for p in sorted(root.glob("*.txt")) for line in p.read_text().splitlines()]
    return [line for line in lines if len(line.split()) > 3]


def _analyses(docs) -> list[list[tuple[str, ...]]]:
    return [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in d] for d in docs]


def test_the_attribute_rules_leave_every_token_as_spacys_own_component_does():
    sentences = _RULE_SENTENCES + _seed_sentences()
    nlp = _parse._nlp()
    assert _parse._exceptions(nlp) is not None  # the fast path is the one taken
    stock = list(nlp.pipe(sentences))
    assert _analyses(_parse._docs(sentences)) == _analyses(stock)


def test_an_attribute_rule_of_another_form_hands_back_to_spacy():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na", "OP": "?"}]], {"LEMMA": "go"})
    with pytest.raises(ValueError, match="not handled"):
        _parse.AttributeExceptions(ruler)
    assert _parse._exceptions(nlp) is None


def test_the_models_matrix_products_through_numpys_blas_give_the_same_trees():
    import spacy

    sentences = _RULE_SENTENCES + _seed_sentences()
    with_blis = spacy.load(_parse.model_path(), exclude=["ner"])
    assert _parse._nlp().get_pipe("tok2vec").model.ops.use_blis is False
    assert _analyses(_parse._docs(sentences)) == _analyses(with_blis.pipe(sentences))


def test_the_parse_runs_on_one_blas_thread(monkeypatch):
    from threadpoolctl import threadpool_info

    seen: list[int] = []
    nlp = _parse._nlp()
    real = _parse._exceptions(nlp)

    def spy(doc):
        seen.extend(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")
        return real(doc)

    monkeypatch.setattr(_parse, "_exceptions", lambda _nlp: spy)
    _parse.parse_many(["Troops clashed near the border post on Monday."])
    assert seen and set(seen) == {1}


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

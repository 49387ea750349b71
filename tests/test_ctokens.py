"""The compiled tokeniser (geomap/_ctokens.c) gives exactly what geoparse's Python code gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import geoparse
from geomap.articles import read_article
from geomap.geoparse import (
    _CONNECTORS,
    MAX_SPAN_TOKENS,
    _admin_suffixes,
    _candidate_spans_py,
    _span_key,
    _Tokens,
    find_mentions,
)
from geomap.settings import SEEDS_DIR

DATA = Path(__file__).parent / "data"

try:
    from geomap import _ctokens
except ImportError:  # no C compiler where geomap was installed: the Python code runs instead
    _ctokens = None

if _ctokens is None and os.environ.get("CI"):
    # CI installs from scratch with a compiler: a build that silently fell back is a failure.
    raise RuntimeError("geomap._ctokens was not built (setup.py): CI must exercise the compiled tokeniser")

pytestmark = pytest.mark.skipif(_ctokens is None, reason="geomap._ctokens not built")

#: Characters where the two could part: cases, apostrophes, abbreviations, Arabic script and its
#: joiner, digits of other scripts, combining marks, white space of every kind, a titlecase letter,
#: letters whose lower case is ASCII (Kelvin sign) or longer (dotted capital I), "_".
_ALPHABET = (
    "aAbBsSdlDLzZUSDCé É'’.,;:!?()\"-–—_/ \n\t\r\u00a0\u2003\u200b\ufeff1²٣١کابلپ\u200c\u060c\u0301ǅİ\u212aﻻ"
)
_WORDS = st.sampled_from(
    [
        "of",
        "the",
        "province",
        "district",
        "d'",
        "l’",
        "'s",
        "Kabul",
        "New",
        "U.S.",
        "de",
        "Côte",
        "-e-",
        "People's",
        "Republic",
        "and",
        "Dera",
        "Ismail",
        "Khan",
    ]
)
_TEXT = (
    st.text(alphabet=_ALPHABET, max_size=60)
    | st.lists(_WORDS | st.text(alphabet=" ,.-'\n", min_size=1, max_size=2), max_size=20).map("".join)
    | st.text(max_size=60)
)


def _python_tokens(text: str) -> tuple[list, list]:
    tokens = _Tokens(text)
    return tokens.spans, [(t.text, t.start, t.end, t.arabic, t.capitalised, t.word) for t in tokens]


def _compiled_tokens(text: str) -> tuple[list, list]:
    spans, tokens = _ctokens.tokenize(text)
    return spans, [(t.text, t.start, t.end, t.arabic, t.capitalised, t.word) for t in tokens]


def _both_candidate_spans(text: str) -> tuple[list, list]:
    tokens = _Tokens(text)
    compiled = _ctokens.candidate_spans(
        text, tokens.spans, _admin_suffixes(), _CONNECTORS, _span_key, MAX_SPAN_TOKENS
    )
    return _candidate_spans_py(tokens, text), compiled


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_the_compiled_tokens_are_the_python_tokens_on_any_text(text):
    assert _compiled_tokens(text) == _python_tokens(text)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_the_compiled_candidate_spans_are_the_python_ones_on_any_text(text):
    python, compiled = _both_candidate_spans(text)
    assert compiled == python


def _corpus() -> list[Path]:
    return sorted(p for p in [*SEEDS_DIR.glob("*.txt"), *DATA.rglob("*.txt")] if p.is_file())


def test_the_compiled_steps_agree_with_python_on_real_articles():
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in _corpus()]
    assert len(texts) >= 5
    for text in texts:
        assert _compiled_tokens(text) == _python_tokens(text)
        python, compiled = _both_candidate_spans(text)
        assert compiled == python


def test_place_mentions_are_the_same_without_the_compiled_module(monkeypatch):
    def mentions() -> list[tuple]:
        out = []
        for path in _corpus():
            try:
                article = read_article(path, dates=False)
            except Exception:  # noqa: BLE001 - the bad-input fixtures are refused either way
                continue
            out += [
                (m.article, m.start, m.end, m.place.place_id, m.role, round(m.confidence, 6))
                for m in find_mentions(article)
            ]
        return out

    compiled = mentions()
    monkeypatch.setattr(geoparse, "_ctokens", None)
    assert mentions() == compiled
    assert len(compiled) > 100


def test_wrong_arguments_are_refused_not_crashed():
    with pytest.raises(TypeError):
        _ctokens.tokenize(b"bytes")
    with pytest.raises(TypeError):
        _ctokens.candidate_spans("text", [(0, 4)], set(), set(), _span_key)
    with pytest.raises(TypeError):
        _ctokens.candidate_spans("text", [(0, "x")], frozenset(), frozenset(), _span_key, 6)
    with pytest.raises(TypeError):
        _ctokens.candidate_spans("text", [0], frozenset(), frozenset(), _span_key, 6)
    with pytest.raises(ValueError):
        _ctokens.candidate_spans("text", [(2, 9)], frozenset(), frozenset(), _span_key, 6)
    with pytest.raises(ValueError):
        _ctokens.candidate_spans("te xt", [(3, 5), (0, 2)], frozenset(), frozenset(), _span_key, 6)

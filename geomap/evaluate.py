"""Scoring against gold annotations, exactly by the rules of ``shared/eval/README.md``.

The scorers are pure: they take the gold articles (the ``articles`` list of a gold file) and the
predictions keyed by article file name, so they can score geomap, geotext or anything else.
:func:`evaluate` runs a pipeline (geomap's by default) over the articles and scores it;
:func:`format_table` prints the result for people.

Places (per article, on unique mentions)
    Mentions are normalised (case-folded, dots and apostrophes ``'`` ``’`` dropped, a leading
    "the" dropped, spaces collapsed). A predicted mention matches a gold mention when the
    normalised strings are equal, or one is a word (or a run of whole words) of the other, or the
    shorter has over three letters and the longer contains it. Predicted and gold mentions are
    each made unique per article by normalised string (the first predicted occurrence gives the
    point). A predicted mention that matches several gold mentions takes the exact one first,
    then one not yet found (non-optional before optional), else it still counts as matched
    (for precision) against one already found. precision = matched predicted / all predicted;
    recall = non-optional gold found / non-optional gold. Totals are summed over articles
    (micro-averaged).

    acc@161km is the share of matched predicted mentions whose point lies within 161 km
    (great-circle) of the gold point they matched; a prediction without a point counts as a miss.
    The sub-national figure keeps matched mentions whose gold ``kind`` is not country, region,
    continent or sea. Where the gold kind says nothing (GeoVirus: every kind is "place"), the
    predicted ``kind`` decides; where neither has a kind the mention is left out, and if nothing
    is left the figure is ``None`` (N/A). ``median_km`` is the median error over matched mentions
    with a point.

Events (per article)
    A predicted incident matches a gold event when its ``event_type`` equals ``type`` or is in
    ``type_alt``, its point lies within ``tolerance_km`` (default 161) of the gold point, and the
    dates agree: same day ±1 when both have a day; the same month when either has only a month;
    a missing date on either side agrees. Matching is one-to-one, nearest pair first, against the
    non-optional gold events; predictions left over that match an optional gold event are
    absorbed (neither true nor false positives, and an optional event may absorb several);
    the rest are false positives. P/R/F1 are summed over all articles. On matched events:
    ``date_exact`` = share whose predicted date string equals the gold one, over matched events
    whose gold has a date; ``killed_exact`` = share whose ``killed`` equals the gold figure or one
    of ``killed_alt``, over matched events whose gold states a ``killed`` figure;
    ``within_uncertainty`` = share whose gold point lies within the incident's own
    ``geo_uncertainty_km`` (or :data:`UNCERTAINTY_FLOOR_KM`) of its point. An article whose
    gold lists no events at all is a distractor: ``distractor_incidents`` counts the incidents
    predicted on such articles (they are also false positives).

:func:`evaluate` scores events only when the gold has at least one event (a places-only set such
as GeoVirus lists none, and scoring its every article as a distractor would say nothing). Gold
``published`` dates are never given to the pipeline: finding an article's date is part of what is
measured.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ._errors import InputError
from .articles import article_paths
from .distance import haversine_km
from .parallel import map_articles

ACC_KM = 161.0
DEFAULT_TOLERANCE_KM = 161.0
NOT_SUBNATIONAL = frozenset({"country", "region", "continent", "sea"})
# Kinds that say nothing about the level of a place (GeoVirus marks every place "place").
UNKNOWN_KINDS = frozenset({"", "place", "unknown", "location"})

Runner = Callable[[str, Any], Mapping[str, Any]]

# ---------------------------------------------------------------------------------------------
# Helpers

_APOSTROPHES = str.maketrans("", "", ".'’")
_WORD_RE = re.compile(r"\w+")


def normalize_mention(text: str | None) -> str:
    """Case-fold, drop dots and apostrophes, drop a leading "the", collapse spaces."""
    text = (text or "").casefold().translate(_APOSTROPHES)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:].lstrip()
    return text


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _is_word_of(short: str, long: str) -> bool:
    """True when ``short`` is a whole word, or a run of whole words, of ``long``."""
    s, t = _WORD_RE.findall(short), _WORD_RE.findall(long)
    if not s or len(s) > len(t):
        return False
    n = len(s)
    return any(t[i : i + n] == s for i in range(len(t) - n + 1))


def mentions_match(a: str, b: str, *, normalized: bool = False) -> bool:
    """The place rule: equal, one a word of the other, or (over three letters) one inside the other."""
    if not normalized:
        a, b = normalize_mention(a), normalize_mention(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if _is_word_of(short, long):
        return True
    return _letters(short) > 3 and short in long


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    """Harmonic mean; 0 when there is gold but no prediction; None when there is no gold."""
    if r is None:
        return None
    if p is None:
        return 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _point(item: Mapping[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) of a prediction: flat ``lat``/``lon`` keys or a GeoJSON Point geometry."""
    lat, lon = item.get("lat"), item.get("lon")
    if (lat is None or lon is None) and isinstance(item.get("geometry"), Mapping):
        coords = item["geometry"].get("coordinates")
        if coords and len(coords) >= 2:
            lon, lat = coords[0], coords[1]
    if lat is None or lon is None:
        return None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if math.isnan(lat) or math.isnan(lon):
        return None
    return lat, lon


#: The least radius an incident's point is held to by ``within_uncertainty`` (km): the project's
#: clarification of issue 20 ("within ``geo_uncertainty_km``, or 10 km").
UNCERTAINTY_FLOOR_KM: float = 10.0


def _number(value: Any) -> float:
    """A numeric property as a float (0 when missing or not a number)."""
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _flat(item: Mapping[str, Any]) -> dict[str, Any]:
    """A prediction as a flat dict: GeoJSON Features become their properties plus lat/lon."""
    if isinstance(item.get("properties"), Mapping):
        out = dict(item["properties"])
        pt = _point(item)
        if pt:
            out.setdefault("lat", pt[0])
            out.setdefault("lon", pt[1])
        return out
    return dict(item)


def _is_subnational(gold_kind: str | None, pred_kind: str | None) -> bool | None:
    gk = (gold_kind or "").strip().lower()
    if gk not in UNKNOWN_KINDS:
        return gk not in NOT_SUBNATIONAL
    pk = (pred_kind or "").strip().lower()
    if pk not in UNKNOWN_KINDS:
        return pk not in NOT_SUBNATIONAL
    return None


# ---------------------------------------------------------------------------------------------
# Places


def _unique(items: Iterable[Mapping[str, Any]], key: str) -> list[tuple[str, dict[str, Any]]]:
    """Items made unique by normalised ``key`` (first wins; a non-optional copy clears optional)."""
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        flat = _flat(item)
        norm = normalize_mention(flat.get(key))
        if not norm:
            continue
        if norm in seen:
            if not flat.get("optional"):
                seen[norm]["optional"] = False
            continue
        seen[norm] = dict(flat)
    return list(seen.items())


def score_article_places(
    gold_places: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Match one article's predicted mentions to its gold mentions; counts and matched pairs."""
    gold = _unique(gold_places, "mention")
    pred = _unique(predicted, "mention")
    found = [False] * len(gold)
    assigned: list[int | None] = [None] * len(pred)
    # Pass 1: exact matches (they always count first).
    index = {norm: gi for gi, (norm, _) in enumerate(gold)}
    for pi, (norm, _) in enumerate(pred):
        gi = index.get(norm)
        if gi is not None:
            assigned[pi] = gi
            found[gi] = True
    # Pass 2: the rest take a gold mention not yet found (non-optional first), else a found one.
    for pi, (pnorm, _) in enumerate(pred):
        if assigned[pi] is not None:
            continue
        cands = [gi for gi, (gnorm, _) in enumerate(gold) if mentions_match(pnorm, gnorm, normalized=True)]
        if not cands:
            continue
        fresh = [gi for gi in cands if not found[gi]]
        fresh.sort(key=lambda gi: bool(gold[gi][1].get("optional")))
        gi = fresh[0] if fresh else cands[0]
        assigned[pi] = gi
        found[gi] = True

    pairs = []
    for pi, gi in enumerate(assigned):
        if gi is None:
            continue
        p, g = pred[pi][1], gold[gi][1]
        pp, gp = _point(p), _point(g)
        km = haversine_km(gp[0], gp[1], pp[0], pp[1]) if pp and gp else None
        pairs.append(
            {
                "predicted": p.get("mention"),
                "gold": g.get("mention"),
                "km": None if km is None else round(km, 3),
                "subnational": _is_subnational(g.get("kind"), p.get("kind")),
            }
        )
    return {
        "gold": sum(1 for _, g in gold if not g.get("optional")),
        "predicted": len(pred),
        "matched_predicted": sum(1 for a in assigned if a is not None),
        "matched_gold": sum(1 for gi, f in enumerate(found) if f and not gold[gi][1].get("optional")),
        "pairs": pairs,
        "false_positives": [p.get("mention") for pi, (_, p) in enumerate(pred) if assigned[pi] is None],
        "missed": [
            g.get("mention") for gi, (_, g) in enumerate(gold) if not found[gi] and not g.get("optional")
        ],
    }


def score_places(
    gold_articles: Sequence[Mapping[str, Any]],
    predicted: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, Any]:
    """Place P/R/F1 and resolution over all gold articles (missing predictions count as none)."""
    per_article = {}
    for art in gold_articles:
        per_article[art["file"]] = score_article_places(
            art.get("places") or [], predicted.get(art["file"]) or []
        )
    n_gold = sum(a["gold"] for a in per_article.values())
    n_pred = sum(a["predicted"] for a in per_article.values())
    m_pred = sum(a["matched_predicted"] for a in per_article.values())
    m_gold = sum(a["matched_gold"] for a in per_article.values())
    pairs = [p for a in per_article.values() for p in a["pairs"]]
    kms = [p["km"] for p in pairs if p["km"] is not None]
    within = sum(1 for p in pairs if p["km"] is not None and p["km"] <= ACC_KM)
    sub = [p for p in pairs if p["subnational"]]
    sub_within = sum(1 for p in sub if p["km"] is not None and p["km"] <= ACC_KM)
    p, r = _ratio(m_pred, n_pred), _ratio(m_gold, n_gold)
    return {
        "place_P": p,
        "place_R": r,
        "place_F1": _f1(p, r),
        "acc161": _ratio(within, len(pairs)),
        "acc161_subnational": _ratio(sub_within, len(sub)),
        "median_km": statistics.median(kms) if kms else None,
        "place_gold": n_gold,
        "place_predicted": n_pred,
        "place_matched_predicted": m_pred,
        "place_matched_gold": m_gold,
        "place_resolved": len(pairs),
        "place_subnational": len(sub),
        "places_by_article": per_article,
    }


# ---------------------------------------------------------------------------------------------
# Events


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def dates_agree(gold: str | None, pred: str | None) -> bool:
    """Same day ±1; the same month when either side has only a month; a missing date agrees."""
    if not gold or not pred:
        return True
    gold, pred = str(gold), str(pred)
    if len(gold) < 10 or len(pred) < 10:
        n = min(len(gold), len(pred), 7)
        return gold[:n] == pred[:n]
    g, p = _parse_day(gold), _parse_day(pred)
    if g is None or p is None:
        return gold[:10] == pred[:10]
    return abs((g - p).days) <= 1


def _event_match_km(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float | None:
    """Distance when ``pred`` matches ``gold`` by type, place and date; else None."""
    types = {gold.get("type")} | set(gold.get("type_alt") or [])
    if pred.get("event_type") not in types:
        return None
    gp, pp = _point(gold), _point(pred)
    if gp is None or pp is None:
        return None
    km = haversine_km(gp[0], gp[1], pp[0], pp[1])
    tol = gold.get("tolerance_km")
    if km > (DEFAULT_TOLERANCE_KM if tol is None else float(tol)):
        return None
    if not dates_agree(gold.get("date"), pred.get("date")):
        return None
    return km


def _killed_right(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    right = {gold.get("killed")} | set(gold.get("killed_alt") or [])
    return pred.get("killed") is not None and pred.get("killed") in right


def score_article_events(
    gold_events: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """One article: one-to-one nearest-first matching, then absorption by optional events."""
    preds = [_flat(p) for p in predicted]
    required = [g for g in gold_events if not g.get("optional")]
    optional = [g for g in gold_events if g.get("optional")]
    cands = []
    for gi, g in enumerate(required):
        for pi, p in enumerate(preds):
            km = _event_match_km(g, p)
            if km is not None:
                cands.append((km, gi, pi))
    cands.sort()
    g_used: set[int] = set()
    p_used: set[int] = set()
    matched = []
    for km, gi, pi in cands:
        if gi in g_used or pi in p_used:
            continue
        g_used.add(gi)
        p_used.add(pi)
        matched.append((gi, pi, km))
    absorbed = [
        pi
        for pi, p in enumerate(preds)
        if pi not in p_used and any(_event_match_km(g, p) is not None for g in optional)
    ]
    fps = [pi for pi in range(len(preds)) if pi not in p_used and pi not in absorbed]
    pairs = []
    for gi, pi, km in sorted(matched):
        g, p = required[gi], preds[pi]
        pairs.append(
            {
                "gold": f"{g.get('type')} {g.get('date')} {g.get('place')}",
                "predicted": f"{p.get('event_type')} {p.get('date')} {p.get('place')}",
                "km": round(km, 3),
                "date_exact": (p.get("date") == g.get("date")) if g.get("date") else None,
                "killed_exact": _killed_right(g, p) if g.get("killed") is not None else None,
                "within_uncertainty": km <= max(_number(p.get("geo_uncertainty_km")), UNCERTAINTY_FLOOR_KM),
            }
        )
    return {
        "gold": len(required),
        "predicted": len(preds),
        "tp": len(matched),
        "fp": len(fps),
        "fn": len(required) - len(matched),
        "absorbed": len(absorbed),
        "distractor": not gold_events,
        "pairs": pairs,
        "false_positives": [
            f"{preds[pi].get('event_type')} {preds[pi].get('date')} {preds[pi].get('place')}" for pi in fps
        ],
        "missed": [
            f"{g.get('type')} {g.get('date')} {g.get('place')}"
            for gi, g in enumerate(required)
            if gi not in g_used
        ],
    }


def score_events(
    gold_articles: Sequence[Mapping[str, Any]],
    predicted: Mapping[str, Sequence[Mapping[str, Any]]],
) -> dict[str, Any]:
    """Event P/R/F1, exact dates and casualties, incidents on distractors, over all gold articles."""
    per_article = {}
    for art in gold_articles:
        per_article[art["file"]] = score_article_events(
            art.get("events") or [], predicted.get(art["file"]) or []
        )
    tp = sum(a["tp"] for a in per_article.values())
    fp = sum(a["fp"] for a in per_article.values())
    fn = sum(a["fn"] for a in per_article.values())
    pairs = [p for a in per_article.values() for p in a["pairs"]]
    dated = [p["date_exact"] for p in pairs if p["date_exact"] is not None]
    killed = [p["killed_exact"] for p in pairs if p["killed_exact"] is not None]
    within = [p["within_uncertainty"] for p in pairs]
    distractors = [a for a in per_article.values() if a["distractor"]]
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {
        "event_P": p,
        "event_R": r,
        "event_F1": _f1(p, r),
        "date_exact": _ratio(sum(dated), len(dated)),
        "killed_exact": _ratio(sum(killed), len(killed)),
        "within_uncertainty": _ratio(sum(within), len(within)),
        "distractor_incidents": sum(a["predicted"] for a in distractors),
        "event_gold": tp + fn,
        "event_predicted": sum(a["predicted"] for a in per_article.values()),
        "event_tp": tp,
        "event_fp": fp,
        "event_fn": fn,
        "event_absorbed": sum(a["absorbed"] for a in per_article.values()),
        "date_scored": len(dated),
        "killed_scored": len(killed),
        "distractor_articles": len(distractors),
        "distractor_articles_hit": sum(1 for a in distractors if a["predicted"]),
        "events_by_article": per_article,
    }


# ---------------------------------------------------------------------------------------------
# Running a pipeline


def load_gold(gold_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a gold file; bad files raise InputError naming the file and the problem."""
    from . import settings
    from ._io import read_input_bytes

    path = Path(gold_path)
    if not path.exists() and str(gold_path):
        raise InputError("no such gold file", path)
    # a regular file within the incident files' size limit (not /dev/zero, not a FIFO)
    raw = read_input_bytes(path, settings.MAX_INCIDENT_BYTES, "GEOMAP_MAX_INCIDENT_BYTES", "gold")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"cannot read gold annotations ({exc})", path) from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise InputError('not a gold file: expected {"articles": [...]}', path)
    for i, art in enumerate(data["articles"]):
        if not isinstance(art, dict) or not isinstance(art.get("file"), str):
            raise InputError(f'article {i} has no "file"', path)
    return data


def _gold_files(
    gold_articles: Sequence[Mapping[str, Any]], paths: Iterable[str | os.PathLike[str]]
) -> tuple[list[tuple[str, Path]], list[str]]:
    """Article files under ``paths`` whose names the gold lists, in gold order, and the missing names."""
    by_name: dict[str, Path] = {}
    for path in article_paths(paths, on_skip=lambda *_: None):
        by_name.setdefault(path.name, path)
        by_name.setdefault(str(path), path)
    files: list[tuple[str, Path]] = []
    missing: list[str] = []
    for art in gold_articles:
        name = art["file"]
        file = by_name.get(name) or by_name.get(Path(name).name)
        if file is None:
            missing.append(name)
        else:
            files.append((name, file))
    return files, missing


def evaluate(
    gold_path: str | os.PathLike[str],
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    runner: Runner | None = None,
    *,
    jobs: int = 1,
    scheduler: Any = None,
    events: bool | None = None,
) -> dict[str, Any]:
    """Run a pipeline on every gold article found under ``paths`` and score it.

    ``runner(path, published)`` returns ``{"places": [{mention, lat, lon, kind?}...],
    "incidents": [incident properties with lon/lat...]}`` for one article (events extracted and
    merged on that article alone); it must be a top-level function when ``jobs > 1`` or a
    ``scheduler`` is given. The default runs geomap. ``published`` is always None: gold dates are
    not given to the pipeline. ``events=None`` scores events only when the gold has any.
    Gold articles not found under ``paths`` are listed in ``missing`` and left out of the scores.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    gold = load_gold(gold_path)
    articles = gold["articles"]
    files, missing = _gold_files(articles, list(paths))
    if not files:
        raise InputError(
            f"none of the {len(articles)} gold articles is under {', '.join(map(str, paths))}", gold_path
        )
    present = {name for name, _ in files}
    scored = [a for a in articles if a["file"] in present]
    if runner is None:
        from .pipeline import process_eval  # geomap's own stages: heavy, loaded only to run them

        runner = process_eval
    places: dict[str, list[Any]] = {}
    incidents: dict[str, list[Any]] = {}
    results = map_articles(runner, [f for _, f in files], jobs=jobs, scheduler=scheduler)
    for (name, _), out in zip(files, results):
        places[name] = list(out.get("places") or [])
        incidents[name] = list(out.get("incidents") or [])
    if events is None:
        events = any(a.get("events") for a in scored)
    result: dict[str, Any] = {
        "gold": str(gold_path),
        "articles": len(scored),
        "missing": missing,
    }
    result.update(score_places(scored, places))
    if events:
        result.update(score_events(scored, incidents))
    else:
        result.update(
            {
                k: None
                for k in (
                    "event_P",
                    "event_R",
                    "event_F1",
                    "date_exact",
                    "killed_exact",
                    "within_uncertainty",
                    "distractor_incidents",
                )
            }
        )
    return result


# ---------------------------------------------------------------------------------------------
# Output

METRIC_KEYS: tuple[str, ...] = (
    "place_P",
    "place_R",
    "place_F1",
    "acc161",
    "acc161_subnational",
    "median_km",
    "event_P",
    "event_R",
    "event_F1",
    "date_exact",
    "killed_exact",
    "within_uncertainty",
    "distractor_incidents",
)


def summary(result: Mapping[str, Any]) -> dict[str, Any]:
    """The result without per-article detail (what ``--json`` prints)."""
    return {k: v for k, v in result.items() if not k.endswith("_by_article")}


def _fmt(value: Any, pct: bool = True) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if pct else f"{value:.1f}"
    return str(value)


def format_table(result: Mapping[str, Any]) -> str:
    """A plain-text table of the metrics, with the counts behind each."""
    r = result
    rows: list[tuple[str, str, str]] = [
        (
            "articles",
            str(r.get("articles", "")),
            f"missing {len(r.get('missing') or [])}" if r.get("missing") else "",
        ),
        (
            "places precision",
            _fmt(r.get("place_P")),
            f"{r.get('place_matched_predicted')}/{r.get('place_predicted')} predicted mentions matched",
        ),
        (
            "places recall",
            _fmt(r.get("place_R")),
            f"{r.get('place_matched_gold')}/{r.get('place_gold')} gold mentions found",
        ),
        ("places F1", _fmt(r.get("place_F1")), ""),
        ("acc@161km", _fmt(r.get("acc161")), f"over {r.get('place_resolved')} matched mentions"),
        (
            "acc@161km sub-national",
            _fmt(r.get("acc161_subnational")),
            f"over {r.get('place_subnational')} matched sub-national mentions",
        ),
        ("median error km", _fmt(r.get("median_km"), pct=False), ""),
    ]
    if r.get("event_P") is not None or r.get("event_R") is not None or "event_tp" in r:
        rows += [
            (
                "events precision",
                _fmt(r.get("event_P")),
                f"{r.get('event_tp')}/{(r.get('event_tp') or 0) + (r.get('event_fp') or 0)} predicted "
                f"incidents matched ({r.get('event_absorbed')} absorbed by optional events)",
            ),
            (
                "events recall",
                _fmt(r.get("event_R")),
                f"{r.get('event_tp')}/{r.get('event_gold')} gold events found",
            ),
            ("events F1", _fmt(r.get("event_F1")), ""),
            (
                "exact date",
                _fmt(r.get("date_exact")),
                f"over {r.get('date_scored')} matched events with a gold date",
            ),
            (
                "exact killed",
                _fmt(r.get("killed_exact")),
                f"over {r.get('killed_scored')} matched events with a gold figure",
            ),
            (
                "within uncertainty",
                _fmt(r.get("within_uncertainty")),
                f"gold point within geo_uncertainty_km (or {UNCERTAINTY_FLOOR_KM:g} km) of "
                f"{r.get('event_tp')} matched events",
            ),
            (
                "incidents on distractors",
                _fmt(r.get("distractor_incidents")),
                f"{r.get('distractor_articles_hit')}/{r.get('distractor_articles')} distractor articles hit",
            ),
        ]
    else:
        rows.append(("events", "n/a", "the gold has no events"))
    w0 = max(len(a) for a, _, _ in rows)
    w1 = max(len(b) for _, b, _ in rows)
    lines = [f"{'metric'.ljust(w0)}  {'value'.rjust(w1)}  detail", f"{'-' * w0}  {'-' * w1}  {'-' * 6}"]
    lines += [f"{a.ljust(w0)}  {b.rjust(w1)}  {c}".rstrip() for a, b, c in rows]
    return "\n".join(lines)

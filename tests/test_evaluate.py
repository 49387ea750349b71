"""The scorer against small gold files whose scores are worked out by hand (tests/data/eval/)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from geomap import evaluate as ev
from geomap._errors import InputError

DATA = Path(__file__).resolve().parent / "data" / "eval"
KM_PER_DEG_LAT = 2 * math.pi * 6371.0088 / 360  # 111.195 km: a degree of latitude


def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Mention matching


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("Kabul", "kabul", True),  # case-fold
        ("U.S.", "US", True),  # dots dropped
        ("Kabul’s", "Kabuls", True),  # curly apostrophe dropped
        ("O'Hare", "OHare", True),  # straight apostrophe dropped
        ("the United States", "United States", True),  # leading "the" dropped
        ("The Hague", "Hague", True),
        ("Theran", "ran", False),  # "the" only as a word
        ("Uch", "Uch Sharif", True),  # a word of the other
        ("New York", "New York City", True),  # a run of words
        ("Kab", "Kabul", False),  # three letters: containment is not enough
        ("Kabu", "Kabul", True),  # over three letters
        ("Kabul’s", "Kabul", True),  # kabuls contains kabul
        ("Chaman", "Chitral", False),
        ("", "Kabul", False),
    ],
)
def test_mentions_match(a, b, expected):
    assert ev.mentions_match(a, b) is expected
    assert ev.mentions_match(b, a) is expected


def test_normalize_mention():
    assert ev.normalize_mention("  The  U.S.  ") == "us"
    assert ev.normalize_mention("Khyber Pakhtunkhwa’s") == "khyber pakhtunkhwas"


# ---------------------------------------------------------------------------------------------
# Places, by hand
#
# gold (non-optional): a1 Kabul, Pakistan (+ optional Torkham); a2 Spin Boldak, the United States → 4
# predicted unique: a1 kabul (the second "Kabul" is the same mention), Pakistan, Lahore, Torkham;
#                   a2 Spin Boldak district → 5
# matched predicted: kabul, Pakistan, Torkham (optional gold: counts for precision), Spin Boldak
#                    district (Spin Boldak is a run of its words) → 4;  Lahore is the false positive
# matched gold: Kabul, Pakistan, Spin Boldak → 3;  the United States is the miss
# P = 4/5, R = 3/4, F1 = 2·0.8·0.75/1.55
# errors: kabul 0.5° of latitude off (55.6 km), Pakistan 0, Torkham 0, Spin Boldak district 2° off
#         (222.4 km) → acc@161 = 3/4; sub-national (city, crossing, town) = kabul, Torkham, Spin
#         Boldak → 2/3; median = (0 + 55.6)/2


def test_score_places_by_hand():
    gold = _load("places_gold.json")["articles"]
    pred = _load("places_pred.json")
    r = ev.score_places(gold, pred)
    assert r["place_predicted"] == 5
    assert r["place_gold"] == 4
    assert r["place_matched_predicted"] == 4
    assert r["place_matched_gold"] == 3
    assert r["place_P"] == pytest.approx(0.8)
    assert r["place_R"] == pytest.approx(0.75)
    assert r["place_F1"] == pytest.approx(2 * 0.8 * 0.75 / 1.55)
    assert r["acc161"] == pytest.approx(3 / 4)
    assert r["acc161_subnational"] == pytest.approx(2 / 3)
    assert r["place_subnational"] == 3
    assert r["median_km"] == pytest.approx(0.5 * KM_PER_DEG_LAT / 2, abs=0.01)
    a1 = r["places_by_article"]["a1.txt"]
    assert a1["false_positives"] == ["Lahore"]
    assert r["places_by_article"]["a2.txt"]["missed"] == ["the United States"]


def test_exact_counts_first_then_not_yet_found():
    gold = [{"mention": "Upper Kurram Agency"}, {"mention": "Lower Kurram Agency"}, {"mention": "Kurram"}]
    # "Kurram" is exact; "Kurram Agency" matches both agencies: it takes the first not yet found;
    # "Agency" matches both too, both found by then: it still counts as matched (precision).
    pred = [{"mention": "Kurram Agency"}, {"mention": "Agency"}, {"mention": "Kurram"}]
    r = ev.score_article_places(gold, pred)
    assert (r["predicted"], r["matched_predicted"], r["gold"], r["matched_gold"]) == (3, 3, 3, 3)
    pairs = {p["predicted"]: p["gold"] for p in r["pairs"]}
    assert pairs["Kurram"] == "Kurram"
    assert pairs["Kurram Agency"] == "Upper Kurram Agency"
    assert pairs["Agency"] == "Lower Kurram Agency"


def test_exact_first_even_when_listed_later():
    gold = [{"mention": "Kabul Province"}, {"mention": "Kabul"}]
    r = ev.score_article_places(gold, [{"mention": "Kabul"}])
    assert r["pairs"][0]["gold"] == "Kabul"
    assert r["matched_gold"] == 1


def test_optional_gold_counts_for_precision_only():
    gold = [{"mention": "Baku", "optional": True}, {"mention": "Doha"}]
    r = ev.score_article_places(gold, [{"mention": "Baku"}])
    assert (r["predicted"], r["matched_predicted"], r["gold"], r["matched_gold"]) == (1, 1, 1, 0)


def test_subnational_from_predicted_kind_when_gold_says_place():
    gold = [
        {"mention": "Bulacan", "lat": 15.0, "lon": 121.08, "kind": "place"},
        {"mention": "Philippines", "lat": 13.0, "lon": 122.0, "kind": "place"},
        {"mention": "Manila", "lat": 14.6, "lon": 121.0, "kind": "place"},
    ]
    pred = [
        {"mention": "Bulacan", "lat": 15.0, "lon": 121.08, "kind": "province"},
        {"mention": "Philippines", "lat": 13.0, "lon": 122.0, "kind": "country"},
        {"mention": "Manila", "lat": 40.0, "lon": 121.0},  # no kind: left out of sub-national
    ]
    r = ev.score_places([{"file": "x", "places": gold}], {"x": pred})
    assert r["place_subnational"] == 1
    assert r["acc161_subnational"] == 1.0
    assert r["acc161"] == pytest.approx(2 / 3)
    # nothing to say → N/A
    r = ev.score_places([{"file": "x", "places": gold[2:]}], {"x": pred[2:]})
    assert r["acc161_subnational"] is None


def test_prediction_without_point_is_a_resolution_miss():
    gold = [{"mention": "Kabul", "lat": 34.5, "lon": 69.2, "kind": "city"}]
    r = ev.score_places(
        [{"file": "x", "places": gold}], {"x": [{"mention": "Kabul", "lat": None, "lon": None}]}
    )
    assert r["place_P"] == 1.0 and r["acc161"] == 0.0 and r["median_km"] is None


def test_no_predictions_no_gold():
    r = ev.score_places([{"file": "x", "places": []}], {})
    assert r["place_P"] is None and r["place_R"] is None and r["place_F1"] is None


def test_gold_but_no_predictions_scores_zero_f1():
    r = ev.score_places([{"file": "x", "places": [{"mention": "Kabul"}]}], {})
    assert r["place_P"] is None and r["place_R"] == 0.0 and r["place_F1"] == 0.0
    r = ev.score_events([{"file": "x", "events": [{"type": "clash", "lat": 1, "lon": 1}]}], {})
    assert r["event_P"] is None and r["event_R"] == 0.0 and r["event_F1"] == 0.0


# ---------------------------------------------------------------------------------------------
# Events, by hand
#
# e1: G1 strike 10-09 (killed 10, alt 12); G2 strike|clash 2025-10 tol 500 (killed 23);
#     G3 crossing, no date; G4 optional negotiation at Doha.
#   P1b (0 km) takes G1 before P1 (55.6 km): nearest first; date exact; killed 12 = killed_alt
#   P1 is left over and matches no optional event → false positive
#   P2 clash (type_alt) 222 km < 500, 10-12 in the gold's month → G2; date not exact; 20 ≠ 23
#   P3 crossing 111 km, gold date missing → G3 (neither date nor killed scored)
#   P4 (2025-10) and P5 (10-19) at Doha → absorbed by optional G4, not counted
#   P6 strike 10-20 at G1's point: 11 days off → false positive
# e2: G5 displacement 11-01; P7 11-03 (two days off) → FP; P8 166.8 km > 161 → FP; G5 missed
# d (distractor): P9 → FP, one incident on a distractor
# TP 3, FP 5 (P1 P6 P7 P8 P9), FN 1, absorbed 2 → P 3/8, R 3/4, F1 0.5
# date exact 1/2 (G1 yes, G2 no); killed exact 1/2 (G1 yes by alt, G2 no)


def test_score_events_by_hand():
    gold = _load("events_gold.json")["articles"]
    pred = _load("events_pred.json")
    r = ev.score_events(gold, pred)
    assert (r["event_tp"], r["event_fp"], r["event_fn"], r["event_absorbed"]) == (3, 5, 1, 2)
    assert r["event_P"] == pytest.approx(3 / 8)
    assert r["event_R"] == pytest.approx(3 / 4)
    assert r["event_F1"] == pytest.approx(0.5)
    assert r["date_exact"] == pytest.approx(0.5) and r["date_scored"] == 2
    assert r["killed_exact"] == pytest.approx(0.5) and r["killed_scored"] == 2
    assert r["distractor_incidents"] == 1
    assert r["distractor_articles"] == 1 and r["distractor_articles_hit"] == 1
    e1 = r["events_by_article"]["e1.txt"]
    matched = {p["gold"].split()[-1]: p["predicted"].split()[-1] for p in e1["pairs"]}
    assert matched == {"G1": "P1b", "G2": "P2", "G3": "P3"}
    assert sorted(f.split()[-1] for f in e1["false_positives"]) == ["P1", "P6"]


@pytest.mark.parametrize(
    "gold, pred, agree",
    [
        ("2025-10-09", "2025-10-10", True),
        ("2025-10-09", "2025-10-08", True),
        ("2025-10-09", "2025-10-11", False),
        ("2025-10-31", "2025-11-01", True),  # ±1 across a month end
        ("2025-10", "2025-10-31", True),  # gold month only
        ("2025-10-31", "2025-10", True),  # predicted month only
        ("2025-10", "2025-11-01", False),
        ("2025-10", "2025-10", True),
        (None, "2025-10-09", True),
        ("2025-10-09", None, True),
    ],
)
def test_dates_agree(gold, pred, agree):
    assert ev.dates_agree(gold, pred) is agree


def test_type_and_tolerance():
    g = {"type": "strike", "lat": 30.0, "lon": 70.0, "date": None}
    near = {"event_type": "strike", "lat": 31.0, "lon": 70.0}  # 111 km
    far = {"event_type": "strike", "lat": 32.0, "lon": 70.0}  # 222 km
    assert ev.score_article_events([g], [near])["tp"] == 1
    assert ev.score_article_events([g], [far])["tp"] == 0
    assert ev.score_article_events([dict(g, tolerance_km=300)], [far])["tp"] == 1
    assert ev.score_article_events([g], [dict(near, event_type="clash")])["tp"] == 0
    assert ev.score_article_events([dict(g, type_alt=["clash"])], [dict(near, event_type="clash")])["tp"] == 1


@pytest.mark.parametrize(
    "uncertainty, within",
    [
        (None, False),  # 111 km off, held to the 10 km floor
        (5.0, False),
        (120.0, True),  # the incident's own extent holds the gold point
        ("n/a", False),  # not a number: the floor
    ],
)
def test_within_uncertainty(uncertainty, within):
    g = {"type": "strike", "lat": 30.0, "lon": 70.0}
    p = {"event_type": "strike", "lat": 31.0, "lon": 70.0, "geo_uncertainty_km": uncertainty}
    (pair,) = ev.score_article_events([g], [p])["pairs"]
    assert pair["within_uncertainty"] is within
    r = ev.score_events([{"file": "a", "events": [g]}], {"a": [p]})
    assert r["within_uncertainty"] == (1.0 if within else 0.0)


def test_within_uncertainty_floor():
    g = {"type": "strike", "lat": 30.0, "lon": 70.0}
    p = {"event_type": "strike", "lat": 30.05, "lon": 70.0}  # 5.6 km: inside the 10 km floor
    assert ev.score_article_events([g], [p])["pairs"][0]["within_uncertainty"] is True


def test_one_to_one():
    g = [{"type": "clash", "lat": 30.0, "lon": 70.0}, {"type": "clash", "lat": 30.5, "lon": 70.0}]
    p = [{"event_type": "clash", "lat": 30.4, "lon": 70.0}]
    r = ev.score_article_events(g, p)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 0, 1)
    assert r["pairs"][0]["km"] == pytest.approx(0.1 * KM_PER_DEG_LAT, abs=0.01)  # the nearer gold


def test_incident_features_are_accepted():
    g = [{"type": "clash", "lat": 30.0, "lon": 70.0, "date": "2025-10-12"}]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [70.0, 30.0]},
        "properties": {"event_type": "clash", "date": "2025-10-12"},
    }
    assert ev.score_article_events(g, [feature])["tp"] == 1


# ---------------------------------------------------------------------------------------------
# evaluate(): files, runner, table

_PLACES = _load("places_pred.json")
_EVENTS = _load("events_pred.json")
SEEN_PUBLISHED: list = []


def fixture_runner(path, published):
    """A runner answering from the prediction fixtures (top-level so that it pickles)."""
    SEEN_PUBLISHED.append(published)
    name = Path(path).name
    return {"places": _PLACES.get(name, []), "incidents": _EVENTS.get(name, [])}


def test_evaluate_places_only_gold_skips_events():
    r = ev.evaluate(DATA / "places_gold.json", DATA / "articles", runner=fixture_runner)
    assert r["articles"] == 2 and r["missing"] == []
    assert r["place_F1"] == pytest.approx(2 * 0.8 * 0.75 / 1.55)
    assert r["event_F1"] is None and r["distractor_incidents"] is None
    assert set(SEEN_PUBLISHED) == {None}  # gold publication dates are not given to the pipeline
    table = ev.format_table(r)
    assert "places F1" in table and "0.774" in table and "the gold has no events" in table


def test_evaluate_events_and_keys():
    r = ev.evaluate(DATA / "events_gold.json", [DATA / "articles"], runner=fixture_runner)
    for key in ev.METRIC_KEYS:
        assert key in r
    assert r["event_F1"] == pytest.approx(0.5)
    assert r["distractor_incidents"] == 1
    assert r["place_P"] is None  # no place predictions, no place gold
    json.dumps(ev.summary(r))  # machine-readable
    table = ev.format_table(r)
    assert "events F1" in table and "incidents on distractors" in table


def test_evaluate_with_jobs_equals_single_process():
    one = ev.evaluate(DATA / "events_gold.json", DATA / "articles", runner=fixture_runner)
    two = ev.evaluate(DATA / "events_gold.json", DATA / "articles", runner=fixture_runner, jobs=2)
    assert one == two


def test_evaluate_files_named_one_by_one_and_missing(tmp_path):
    r = ev.evaluate(
        DATA / "events_gold.json",
        [DATA / "articles" / "e1.txt", DATA / "articles" / "d.txt"],
        runner=fixture_runner,
    )
    assert r["articles"] == 2 and r["missing"] == ["e2.txt"]
    assert (r["event_tp"], r["event_fp"]) == (3, 3)


def test_evaluate_bad_inputs(tmp_path):
    with pytest.raises(InputError):
        ev.evaluate(tmp_path / "nope.json", DATA / "articles", runner=fixture_runner)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError):
        ev.evaluate(bad, DATA / "articles", runner=fixture_runner)
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps({"articles": [{"file": "zzz.txt", "places": [], "events": []}]}), encoding="utf-8"
    )
    with pytest.raises(InputError, match="none of the 1 gold articles"):
        ev.evaluate(other, DATA / "articles", runner=fixture_runner)

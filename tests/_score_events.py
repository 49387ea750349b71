"""Score event extraction on gold annotations with the rules of shared/eval/README.md (private
helper).

    python tests/_score_events.py [GOLD.json] [SEEDS_DIR] [--mentions find|gold]
        [--published article|gold] [-v]

Each article is read, its mentions found (``geomap.geoparse.find_mentions``, or the gold place
mentions located in the text with ``--mentions gold``), and ``extract_events`` + ``merge_events``
run on that one article. A predicted incident matches a gold event when the type agrees (or
``type_alt``), the point is within ``tolerance_km`` (161) and the dates agree (±1 day; same month
when either has only a month; a missing date agrees); one-to-one, nearest first; optional gold
events absorb what they match.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap.articles import read_article  # noqa: E402
from geomap.events import extract_events  # noqa: E402
from geomap.geoparse import find_mentions  # noqa: E402
from geomap.incidents import merge_events  # noqa: E402
from geomap.models import Mention, Place  # noqa: E402


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def dates_agree(a, b):
    if not a or not b:
        return True
    if len(a) == 7 or len(b) == 7:
        return a[:7] == b[:7]
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1


def gold_mentions(article, gold_places):
    out = []
    for p in gold_places:
        place = Place(
            f"gold:{p['mention']}:{p['kind']}",
            p["mention"],
            p["lat"],
            p["lon"],
            p["kind"],
            "AF"
            if p["mention"] in {"Afghanistan", "Kabul", "Kandahar", "Spin Boldak", "Nangarhar"}
            else ("PK" if p["mention"] in {"Pakistan", "Islamabad", "Chaman", "Torkham"} else None),
        )
        for m in re.finditer(r"(?<!\w)" + re.escape(p["mention"]) + r"(?!\w)", article.text):
            out.append(
                Mention(article.name, p["mention"], m.start(), m.end(), place, p.get("role", "location"))
            )
    out.sort(key=lambda m: m.start)
    return out


def _match(preds, golds):
    """Predicted incident index → gold event index (one-to-one, nearest first; then optional gold
    events absorb further predictions they match), and the gold events matched one-to-one."""
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            types = {g["type"], *g.get("type_alt", [])}
            if p.event_type not in types:
                continue
            d = km(p.lat, p.lon, g["lat"], g["lon"])
            if d > g.get("tolerance_km", 161) or not dates_agree(p.date, g["date"]):
                continue
            pairs.append((d, i, j))
    pairs.sort()
    used_p, used_g, match = set(), set(), {}
    for _d, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        match[i] = j
    for _d, i, j in pairs:  # optional gold absorbs further predictions it matches
        if i not in used_p and golds[j].get("optional"):
            used_p.add(i)
            match[i] = j
    return match, used_p, used_g


def _first_match(match, i, j):
    """Whether prediction ``i`` is the first one matched to gold event ``j``."""
    return i == min(k for k, v in match.items() if v == j)


def _figures(preds, golds, match):
    """(matched, exact date, with a gold figure, exact killed) over the non-optional matches."""
    matched = exact_date = killed_total = killed_exact = 0
    for i, j in match.items():
        g = golds[j]
        if g.get("optional") or not _first_match(match, i, j):
            continue
        matched += 1
        exact_date += preds[i].date == g["date"]
        if g.get("killed") is not None:
            killed_total += 1
            killed_exact += preds[i].killed == g["killed"] or preds[i].killed in g.get("killed_alt", [])
    return matched, exact_date, killed_total, killed_exact


def _show(art, article, preds, golds, match, used_g, counts):
    a_tp, a_fp, a_fn = counts
    print(
        f"== {art['file']} published={article.published} ({article.published_precision})  "
        f"tp={a_tp} fp={a_fp} fn={a_fn}"
    )
    for i, p in enumerate(preds):
        tag = f"-> gold {match[i]}" if i in match else "FP"
        print(
            f"   {tag:10} {p.event_type:12} {p.sub_event_type:18} {p.place:28} {str(p.date):10} "
            f"k={p.killed} w={p.wounded} | {p.evidence[:90]}"
        )
    for j, g in enumerate(golds):
        if j not in used_g:
            print(
                f"   {'MISS' + (' (opt)' if g.get('optional') else ''):10} {g['type']:12} {g['place']:28} "
                f"{str(g['date']):10} k={g.get('killed')} | {g['evidence'][:80]}"
            )


def score(gold_path, seeds_dir, mentions_mode="find", published_mode="article", verbose=False):
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    tp = fp = fn = 0
    exact_date = matched = 0
    killed_total = killed_exact = 0
    for art in gold["articles"]:
        pub = (
            date.fromisoformat(art["published"])
            if published_mode == "gold" and art.get("published")
            else None
        )
        article = read_article(Path(seeds_dir) / art["file"], published=pub)
        if mentions_mode == "gold":
            mentions = gold_mentions(article, art["places"])
        else:
            mentions = find_mentions(article)
        preds = merge_events(extract_events(article, mentions))
        golds = art["events"]
        match, used_p, used_g = _match(preds, golds)
        a_tp = sum(1 for i, j in match.items() if not golds[j].get("optional") and _first_match(match, i, j))
        a_fp = len(preds) - len(used_p)
        a_fn = sum(1 for j, g in enumerate(golds) if not g.get("optional") and j not in used_g)
        tp, fp, fn = tp + a_tp, fp + a_fp, fn + a_fn
        figures = _figures(preds, golds, match)
        matched, exact_date = matched + figures[0], exact_date + figures[1]
        killed_total, killed_exact = killed_total + figures[2], killed_exact + figures[3]
        if verbose:
            _show(art, article, preds, golds, match, used_g, (a_tp, a_fp, a_fn))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"events: P={p:.3f} R={r:.3f} F1={f:.3f} (tp={tp} fp={fp} fn={fn}); "
        f"exact date {exact_date}/{matched}; exact killed {killed_exact}/{killed_total}"
    )
    return p, r, f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default="/work/shared/eval/seeds_gold.json")
    ap.add_argument("seeds", nargs="?", default=str(ROOT / "seeds"))
    ap.add_argument("--mentions", choices=["find", "gold"], default="find")
    ap.add_argument("--published", choices=["article", "gold"], default="article")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    score(a.gold, a.seeds, a.mentions, a.published, a.verbose)


if __name__ == "__main__":
    main()

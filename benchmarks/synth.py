"""A synthetic news corpus for scaling benchmarks.

Articles are made of sentences recombined from the seed articles and the GeoVirus articles, with
the place names varied (every gold-annotated mention found in a sentence is swapped for another
one, most often an Afghanistan–Pakistan border place) and the dates varied (day-month phrases
become days of October–November 2025). Each article opens with a ``date YYYY-MM-DD`` header.

Article *i* depends only on the seed and *i*, so the corpus of 100 articles is the first 100 of the
corpus of 10,000, and the same command always writes the same files.

    python benchmarks/synth.py 10000 /tmp/synth10k [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SEEDS_GOLD = SHARED / "eval" / "seeds_gold.json"
GEOVIRUS = SHARED / "benchmarks" / "geovirus"

# Places on and near the Afghanistan–Pakistan border, swapped in most often.
BORDER_PLACES = [
    "Torkham",
    "Chaman",
    "Spin Boldak",
    "Kurram",
    "Parachinar",
    "Bajaur",
    "North Waziristan",
    "South Waziristan",
    "Miranshah",
    "Khost",
    "Paktika",
    "Paktia",
    "Kunar",
    "Nangarhar",
    "Jalalabad",
    "Kandahar",
    "Quetta",
    "Peshawar",
    "Khyber",
    "Angoor Adda",
    "Ghulam Khan",
    "Zhob",
    "Chitral",
    "Dir",
    "Mohmand",
    "Orakzai",
    "Bannu",
    "Dera Ismail Khan",
    "Kabul",
    "Islamabad",
    "Helmand",
    "Zabul",
    "Nuristan",
    "Balochistan",
    "Khyber Pakhtunkhwa",
    "Tirah",
    "Lakki Marwat",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY_MONTH = re.compile(rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})\b|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}))")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")
START = date(2025, 10, 1)


def _sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n|\n", text):
        for s in _SENTENCE_END.split(para.strip()):
            s = " ".join(s.split())
            if 30 <= len(s) <= 400 and not s.lower().startswith(("date ", "http")):
                out.append(s)
    return out


@lru_cache(maxsize=1)
def sources() -> tuple[list[str], list[str], list[str]]:
    """(border sentences, outbreak sentences, place names) from the seeds and GeoVirus."""
    border = [s for f in sorted(SEEDS.glob("*.txt")) for s in _sentences(f.read_text(encoding="utf-8"))]
    other: list[str] = []
    names: set[str] = set(BORDER_PLACES)
    art_dir = GEOVIRUS / "articles"
    if art_dir.is_dir():
        for f in sorted(art_dir.glob("*.txt")):
            other += _sentences(f.read_text(encoding="utf-8", errors="replace"))
    for gold in (SEEDS_GOLD, GEOVIRUS / "gold.json"):
        if gold.is_file():
            for art in json.loads(gold.read_text(encoding="utf-8"))["articles"]:
                names.update(p["mention"] for p in art["places"] if len(p["mention"]) > 3)
    if not border:
        sys.exit(f"synth: no seed articles in {SEEDS}")
    return border, other or border, sorted(names)


@lru_cache(maxsize=1)
def _name_re() -> re.Pattern[str]:
    _, _, names = sources()
    alts = sorted((re.escape(n) for n in names if n[:1].isupper()), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


def _vary(sentence: str, rng: random.Random, names: list[str]) -> str:
    def place(_m: re.Match[str]) -> str:
        return rng.choice(BORDER_PLACES) if rng.random() < 0.6 else rng.choice(names)

    def day(m: re.Match[str]) -> str:
        d = START + timedelta(days=rng.randrange(61))
        return f"{MONTHS[d.month - 1]} {d.day}" if m["m1"] else f"{d.day} {MONTHS[d.month - 1]}"

    return _DAY_MONTH.sub(day, _name_re().sub(place, sentence))


def article(i: int, seed: int = 7) -> str:
    """Synthetic article number ``i``: a date header and 8–40 sentences in paragraphs."""
    border, other, names = sources()
    rng = random.Random(seed * 1_000_003 + i)
    published = START + timedelta(days=rng.randrange(61))
    n = rng.randint(8, 40)
    share = rng.choice((0.9, 0.7, 0.3))  # border-heavy, mixed, or mostly a look-alike
    sentences = [_vary(rng.choice(border if rng.random() < share else other), rng, names) for _ in range(n)]
    paras, k = [], 0
    while k < n:
        step = rng.randint(2, 5)
        paras.append(" ".join(sentences[k : k + step]))
        k += step
    return f"date {published.isoformat()}\n\n" + "\n\n".join(paras) + "\n"


def write_corpus(n: int, out: str | Path, seed: int = 7) -> Path:
    """Write articles 0..n-1 to ``out`` (created), in sub-folders of 1,000; return the folder."""
    out = Path(out)
    for i in range(n):
        folder = out / f"{i // 1000:04d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"synth_{i:07d}.txt").write_text(article(i, seed), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", help="folder to write (created)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    write_corpus(args.n, args.out, args.seed)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()

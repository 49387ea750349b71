"""A longer fuzzing run over issue 25's hostile inputs than the test suite makes.

    python scripts/fuzz.py [--examples 20000] [--targets incidents,acled,articles,xml,csv]
                           [--database .hypothesis/fuzz] [--seed N]

Drives the same generators and checks as ``tests/test_hostile.py`` (incident GeoJSON files, ACLED
rows, articles in three formats, XML text, spreadsheet-safe CSV cells) with hypothesis, as many
examples per target as asked, keeping what it finds in a fixed example database so that a failure
found once is tried first on the next run. Every case must end in a result or in geomap's one-line
``InputError``; anything else stops the run with hypothesis's minimal failing example and exit 1.
Needs the test extras (hypothesis). Not part of the test suite (the suite runs the same checks,
about 1,000 cases by default and 14,000 under ``--slow``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import test_hostile as hostile  # noqa: E402  (the suite's generators and checks, not a copy)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402


def _targets(tmp: Path) -> dict[str, tuple[Any, Callable[..., None]]]:
    """Each target: (the strategy of one case, the check of one case)."""
    from geomap.acled import spreadsheet_safe, spreadsheet_unsafe

    def incidents(args: tuple[Any, Any, Any]) -> None:
        props, lon, lat = args
        hostile._check_document(hostile._feature_collection(props, lon, lat), Path(tempfile.mkdtemp(dir=tmp)))

    def acled(cells: dict[str, str]) -> None:
        hostile._check_csv(cells, Path(tempfile.mkdtemp(dir=tmp)))

    def articles(args: tuple[str, str]) -> None:
        text, suffix = args
        hostile._check_article(text, suffix, Path(tempfile.mkdtemp(dir=tmp)))

    def xml(text: str) -> None:
        hostile.test_xml_text_is_always_well_formed.hypothesis.inner_test(text)

    def csv(text: str) -> None:
        assert spreadsheet_unsafe(spreadsheet_safe(text)) == text

    return {
        "incidents": (st.tuples(hostile._props, hostile._coord, hostile._coord), incidents),
        "acled": (hostile._cells, acled),
        "articles": (st.tuples(hostile._article, st.sampled_from([".txt", ".html", ".md"])), articles),
        "xml": (hostile._wild_text, xml),
        "csv": (hostile._wild_text, csv),
    }


def _counted(check: Callable[..., None], counter: list[int]) -> Callable[[Any], None]:
    """The check of one case, counting the cases run."""

    def case(value: Any) -> None:
        counter[0] += 1
        check(value)

    return case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="cases per target")
    parser.add_argument("--targets", default="incidents,acled,articles,xml,csv")
    parser.add_argument("--database", default=str(ROOT / ".hypothesis" / "fuzz"))
    parser.add_argument("--seed", type=int, default=None, help="a fixed seed (default: random)")
    args = parser.parse_args(argv)
    database = DirectoryBasedExampleDatabase(args.database)
    with tempfile.TemporaryDirectory(prefix="geomap-fuzz-") as tmp:
        targets = _targets(Path(tmp))
        for name in args.targets.split(","):
            if name not in targets:
                parser.error(f"unknown target {name!r} (known: {', '.join(targets)})")
            strategy, check = targets[name]
            counter = [0]
            run = settings(
                max_examples=args.examples,
                deadline=None,
                database=database,
                suppress_health_check=list(HealthCheck),
                derandomize=False,
            )(given(strategy)(_counted(check, counter)))
            if args.seed is not None:
                from hypothesis import seed

                run = seed(args.seed)(run)
            start = time.perf_counter()
            run()
            print(
                f"{name}: {counter[0]:,} cases in {time.perf_counter() - start:.1f} s, "
                "all ended in a result or one line"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

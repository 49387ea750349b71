"""map_articles: local processes and a Dask cluster give exactly the single-process output."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from geomap._errors import InputError
from geomap.parallel import map_articles
from geomap.pipeline import process_places

pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HAS_EVENTS = all(importlib.util.find_spec(f"geomap.{m}") for m in ("events", "incidents"))


def name_and_length(path, published):
    """A cheap top-level per-article function (pickles by reference)."""
    from geomap.articles import read_article

    article = read_article(path, published)
    return article.name, len(article.text), str(article.published)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """120 small articles in nested folders, plus a non-article file that is skipped."""
    root = tmp_path_factory.mktemp("corpus")
    for i in range(120):
        folder = root / f"part{i % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"{i:04d}.txt").write_text(
            f"date 2025-10-{1 + i % 28:02d}\n\nPakistani forces shelled Spin Boldak on day {i}; "
            f"talks in Doha and Istanbul followed. Torkham stayed closed.{' Kabul.' * (i % 5)}\n",
            encoding="utf-8",
        )
    (root / "part0" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as c:
        yield c


def test_single_process_order_and_skips(corpus, capsys):
    out = list(map_articles(name_and_length, [corpus]))
    expected = [f"{i:04d}.txt" for i in sorted(range(120), key=lambda i: (i % 3, i))]
    assert [o[0] for o in out] == expected  # folders and files walked in sorted order
    assert out[0][2] == "2025-10-01"
    assert "notes.csv" in capsys.readouterr().err


def test_published_is_passed_to_the_function(corpus):
    from datetime import date

    out = list(map_articles(name_and_length, [corpus / "part0"], published=date(2025, 11, 1)))
    assert {o[2] for o in out} == {"2025-11-01"}


def test_jobs_equal_single_process(corpus):
    one = list(map_articles(name_and_length, [corpus]))
    for batch_size in (1, 7, 64):
        assert list(map_articles(name_and_length, [corpus], jobs=2, batch_size=batch_size)) == one


def test_jobs_places_equal_single_process():
    one = list(map_articles(process_places, [SEEDS]))
    assert sum(map(len, one)) > 0
    assert list(map_articles(process_places, [SEEDS], jobs=2)) == one


def test_streaming_bounded_in_flight(corpus):
    """Paths are pulled lazily: when the first result arrives only a few batches were taken."""
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    pulled = 0

    def lazily():
        nonlocal pulled
        for f in files:
            pulled += 1
            yield f

    it = map_articles(name_and_length, lazily(), jobs=2, batch_size=4, in_flight=2)
    next(it)
    assert pulled <= 1 + 2 + 4  # two batches in flight (1 and 2 articles) plus the one being cut
    rest = list(it)
    assert len(rest) == len(files) - 1 and pulled == len(files)

    pulled = 0
    it = map_articles(name_and_length, lazily(), batch_size=4)
    next(it)
    assert pulled <= 5


def test_bad_named_file_raises_and_bad_file_in_folder_is_skipped(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Fighting near Chaman.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.4 binary")
    for jobs in (1, 2):
        with pytest.raises(InputError, match="bad.txt"):
            list(map_articles(name_and_length, [good, bad], jobs=jobs))
        out = list(map_articles(name_and_length, [tmp_path], jobs=jobs))
        assert [o[0] for o in out] == ["good.txt"]
        assert "bad.txt" in capsys.readouterr().err
    with pytest.raises(InputError):
        list(map_articles(name_and_length, [tmp_path / "missing"], jobs=2))
    with pytest.raises(InputError):
        list(map_articles(name_and_length, [good], jobs=0))


def test_dask_cluster_equals_single_process(corpus, cluster):
    address = cluster.scheduler_address
    one = list(map_articles(name_and_length, [corpus]))
    assert list(map_articles(name_and_length, [corpus], scheduler=address, batch_size=16)) == one
    places = list(map_articles(process_places, [SEEDS]))
    assert list(map_articles(process_places, [SEEDS], scheduler=address)) == places


def test_dask_accepts_a_client_and_leaves_it_open(corpus, cluster):
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        one = list(map_articles(name_and_length, [corpus / "part1"]))
        assert list(map_articles(name_and_length, [corpus / "part1"], scheduler=client)) == one
        assert client.status == "running"


def test_dask_bad_named_file_raises(tmp_path, cluster):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(InputError, match="bad.txt"):
        list(map_articles(name_and_length, [bad], scheduler=cluster.scheduler_address))


def test_unreachable_scheduler_is_an_input_error(corpus, monkeypatch):
    monkeypatch.setattr("geomap.parallel.CONNECT_TIMEOUT", 2.0)
    with pytest.raises(InputError, match="scheduler"):
        list(map_articles(name_and_length, [corpus], scheduler="tcp://127.0.0.1:9", batch_size=8))


@pytest.mark.skipif(not HAS_EVENTS, reason="geomap.events / geomap.incidents not written yet")
def test_events_and_eval_workers_equal_across_backends(cluster):
    from geomap.pipeline import process_article, process_eval

    for func in (process_article, process_eval):
        one = list(map_articles(func, [SEEDS]))
        assert list(map_articles(func, [SEEDS], jobs=2)) == one
        assert list(map_articles(func, [SEEDS], scheduler=cluster.scheduler_address)) == one

"""map_articles: local processes and a Dask cluster give exactly the single-process output."""

from __future__ import annotations

import contextlib
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
        n_workers=2, threads_per_worker=3, processes=True, host="127.0.0.1", dashboard_address=None
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


def big_result(path, published):
    """A per-article result of megabytes: its data takes a while to come back from a worker."""
    return Path(path).name, "x" * 4_000_000


def test_dask_results_arriving_while_the_run_checks_the_cluster(tmp_path, cluster, monkeypatch):
    """The run checks the cluster every POLL_SECONDS while it waits; a check that falls while a
    result's data is on the way must not cancel that fetch (a cancelled fetch once failed every
    later result of the run with an internal error)."""
    for i in range(24):
        (tmp_path / f"{i:03d}.txt").write_text("Fighting near Chaman.", encoding="utf-8")
    monkeypatch.setattr("geomap.parallel.POLL_SECONDS", 0.001)
    got = list(map_articles(big_result, [tmp_path], scheduler=cluster.scheduler_address, batch_size=1))
    assert [name for name, _ in got] == [f"{i:03d}.txt" for i in range(24)]
    assert {len(data) for _, data in got} == {4_000_000}


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


# -- thread safety (issue 26): a Dask worker runs several articles at once on its threads --------

DATA = ROOT / "tests" / "data"
THREAD_CORPUS = [
    *sorted(SEEDS.glob("*.txt")),
    *sorted((DATA / "news").iterdir()),
    *sorted((DATA / "eval" / "articles").glob("*.txt")),
    *sorted((DATA / "events").glob("*.txt")),
]


@pytest.fixture
def fresh_caches():
    """The process's gazetteer, place finder and their caches made afresh (and again after)."""
    from geomap import gazetteer, geoparse

    def clear():
        gazetteer.default_gazetteer.cache_clear()
        geoparse.default_finder.cache_clear()

    clear()
    yield
    clear()


@pytest.mark.parametrize(
    ("copies", "trials"),
    [pytest.param(1, 2, id="quick"), pytest.param(4, 6, id="long", marks=pytest.mark.slow)],
)
def test_threads_give_the_single_thread_results(fresh_caches, copies, trials):
    """Eight threads over the articles, thread switches forced often, caches cold: every
    article's places and events are those of one thread reading them in turn."""
    import random
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from geomap import gazetteer, geoparse
    from geomap.pipeline import process_article

    paths = [str(p) for p in THREAD_CORPUS] * copies
    alone = {p: process_article(p) for p in paths}
    interval = sys.getswitchinterval()
    for trial in range(trials):
        gazetteer.default_gazetteer.cache_clear()
        geoparse.default_finder.cache_clear()
        order = paths[:]
        random.Random(trial).shuffle(order)
        sys.setswitchinterval(1e-6)
        try:
            with ThreadPoolExecutor(8) as pool:
                together = list(pool.map(process_article, order))
        finally:
            sys.setswitchinterval(interval)
        for path, result in zip(order, together):
            assert repr(result) == repr(alone[path]), path


def test_gazetteer_one_place_per_row_under_threads(monkeypatch):
    """Threads looking the same names up at once on a cold gazetteer get the same Place objects
    (the finder tells places apart by identity), even when making a Place is slow enough for
    another thread to ask for the same row meanwhile (without the gazetteer's lock, most rows
    then get two); and the caches count their hits."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from geomap import gazetteer

    made = gazetteer.Place

    def slow_place(*fields):
        time.sleep(0.001)
        return made(*fields)

    monkeypatch.setattr(gazetteer, "Place", slow_place)
    gaz = gazetteer.Gazetteer(gazetteer.default_gazetteer().path)
    names = ("Kabul", "Chaman", "Torkham", "Spin Boldak", "Quetta", "Paris", "Springfield")
    keys = [gazetteer.normalize(n) for n in names]
    together = threading.Barrier(8)

    def look_up(_):
        with contextlib.suppress(threading.BrokenBarrierError):
            together.wait(5)
        return gaz.lookup_many(keys)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(look_up, range(32)))
    for key in keys:
        first = answers[0][key]
        for answer in answers[1:]:
            assert all(p is q for (p, _), (q, _) in zip(answer[key], first)), key
    stats = gaz.cache_stats()["keys"]
    assert stats["hits"] + stats["misses"] == 32 * len(keys)
    assert stats["misses"] == len(keys) and stats["hit_rate"] > 0.9
    assert gaz.is_word("village") and gaz.is_word("village")
    assert gaz.cache_stats()["words"]["hits"] >= 1


def test_default_gazetteer_is_one_object_under_threads(fresh_caches):
    from concurrent.futures import ThreadPoolExecutor

    from geomap.gazetteer import default_gazetteer

    with ThreadPoolExecutor(8) as pool:
        opened = list(pool.map(lambda _: default_gazetteer(), range(16)))
    assert all(g is opened[0] for g in opened)


def test_index_built_once_by_processes_sharing_a_cache(tmp_path, monkeypatch):
    """Two openers of a missing index (Dask workers sharing a cache folder): one builds it, the
    other waits for it (the lock is on a file, so threads stand in for processes here)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from geomap import gazetteer

    builds = []
    gate = threading.Event()

    def slow_build(path):
        builds.append(path)
        gate.wait(1.0)
        time.sleep(0.2)
        path.write_bytes(b"index")
        return path

    monkeypatch.setattr(gazetteer, "build_index", slow_build)
    target = tmp_path / "cache" / "gazetteer-test.sqlite"
    with ThreadPoolExecutor(2) as pool:
        done = [pool.submit(gazetteer._build_once, target) for _ in range(2)]
        gate.set()
        for fut in done:
            fut.result()
    assert builds == [target]


def test_cached_loaders_are_not_changed_by_articles():
    """The word lists and tables loaded once per process (lru_cache) are shared by every thread:
    reading articles must leave them as loaded."""
    import functools
    import importlib

    from geomap.pipeline import process_article

    loaders = []
    for name in ("articles", "events", "geoparse", "gazetteer", "_numbers", "_dates", "filters"):
        module = importlib.import_module(f"geomap.{name}")
        for attr in vars(module).values():
            wrapped = getattr(attr, "__wrapped__", None)
            if isinstance(attr, functools._lru_cache_wrapper) and wrapped is not None:
                info = attr.cache_parameters()
                if info["maxsize"] == 1 and wrapped.__code__.co_argcount == 0:
                    if wrapped.__name__ not in ("default_gazetteer", "default_finder", "online_finder"):
                        loaders.append(attr)
    assert len(loaders) > 20
    for path in THREAD_CORPUS:
        process_article(str(path))
    for loader in loaders:
        assert loader() == loader.__wrapped__(), loader.__qualname__


# -- the runner's own checks and the articles it sends ------------------------------------------


class StubClient:
    """What _check_workers asks of a distributed.Client."""

    def __init__(self, answers):
        self.answers = answers
        self.scheduler = type("Rpc", (), {"address": "tcp://10.0.0.5:8786"})()

    def wait_for_workers(self, n, timeout):
        return None

    def run(self, func, *args):
        return {worker: answer(func(*args)) for worker, answer in self.answers.items()}


def test_workers_must_run_the_same_geomap(tmp_path):
    from geomap.parallel import ClusterError, _check_workers

    same = lambda mine: mine  # noqa: E731
    _check_workers(
        StubClient({"tcp://a:1": same, "tcp://b:1": same}), str(SEEDS / "000_b53e2c2d944a21f5.txt")
    )
    older = StubClient({"tcp://a:1": same, "tcp://b:1": lambda mine: dict(mine, geomap="0.0.9")})
    with pytest.raises(ClusterError, match=r"tcp://b:1 runs geomap 0\.0\.9 .*install the same geomap"):
        _check_workers(older, None)
    other_data = StubClient({"tcp://a:1": lambda mine: dict(mine, gazetteer="0123456789abcdef")})
    with pytest.raises(ClusterError, match="gazetteer data 0123456789abcdef"):
        _check_workers(other_data, None)
    blind = StubClient({"tcp://a:1": lambda mine: dict(mine, reads=False)})
    with pytest.raises(ClusterError, match="cannot read .*--send-articles"):
        _check_workers(blind, "/data/a.txt")
    _check_workers(blind, None)  # with the articles sent, workers need not see them


def test_sent_articles_read_as_the_files(tmp_path):
    """A batch sent with its bytes gives what reading the files gives, and its error messages
    name the paths the client named (not the worker's temporary copies)."""
    from geomap.parallel import _read_to_send, _run_batch

    good = SEEDS / "000_b53e2c2d944a21f5.txt"
    page = DATA / "news" / "page_chaman_clash.html"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.4 binary")
    missing = tmp_path / "gone.txt"
    items = [(str(good), True), (str(page), False), (str(bad), False), (str(missing), True)]
    sent = [_read_to_send(path) for path, _ in items]
    assert isinstance(sent[0], bytes) and isinstance(sent[3], str)
    by_path = _run_batch(process_places, items, None)
    by_bytes = _run_batch(process_places, items, None, sent)
    assert by_bytes == by_path
    assert by_bytes[2] == (False, f"{bad}: looks like a PDF document, not a text article")
    assert by_bytes[3][1].startswith(f"{missing}: ")

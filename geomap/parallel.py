"""Running a per-article function over many articles: in this process, over local processes
(``jobs > 1``) or on a Dask distributed cluster (``scheduler=ADDRESS``), with the same output.

Articles are streamed: paths are expanded lazily (folders recursively, in sorted order), cut into
batches of file paths and submitted with a bounded number of batches in flight, so memory stays
flat however large the corpus. Workers read the files themselves — only paths travel to them and
only results travel back — unless the articles are sent (:class:`Cluster` with
``send_articles``: this process reads each file and its bytes travel with the batch, for workers
that cannot see this machine's files). Results come back in input order, so the output is exactly
the single-process output.

Per-article functions are called as ``func(path: str, published: date | None)`` and must be
top-level (importable) functions when ``jobs > 1`` or a ``scheduler`` is used. This module only
runs them and knows nothing of the stages: geomap's own are in :mod:`geomap.pipeline`
(:func:`~geomap.pipeline.process_places`, :func:`~geomap.pipeline.process_events`,
:func:`~geomap.pipeline.process_article` and :func:`~geomap.pipeline.process_eval`), all views of
its one per-article composition. A Dask worker runs several batches at once on its threads; the
stages keep no per-article state on shared objects, and the caches they share are locked
(:class:`geomap.gazetteer.Gazetteer`, :mod:`geomap._parse`).

On a cluster, before any work is sent, every worker must run the same geomap version over the
same gazetteer data as this process (:func:`worker_identity`) and, unless the articles are sent,
see the first article at the same path; otherwise the run stops with one line
(:class:`ClusterError`). A worker lost mid-run costs nothing but time: the scheduler runs its
batches again on the others. A run with no worker left, or whose scheduler has gone, fails after
:data:`LOST_TIMEOUT` seconds instead of waiting forever.

Bad input follows :func:`geomap.articles.iter_articles`: a bad file named on its own raises
:class:`~geomap._errors.InputError`; a bad file found inside a folder is noted on stderr and skipped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from . import articles, settings
from ._errors import InputError


def _env_seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment, or ``default``."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


#: Seconds to reach a Dask scheduler (``GEOMAP_DASK_CONNECT_TIMEOUT`` changes it).
CONNECT_TIMEOUT = _env_seconds("GEOMAP_DASK_CONNECT_TIMEOUT", 20.0)
#: Seconds a run on a cluster waits with no worker, or with its scheduler unreachable, before it
#: fails (``GEOMAP_DASK_TIMEOUT`` changes it). Workers that come back within it are used.
LOST_TIMEOUT = _env_seconds("GEOMAP_DASK_TIMEOUT", 60.0)
#: How often a run waiting on a cluster checks that the scheduler and a worker are still there.
POLL_SECONDS = 1.0
#: With the articles sent, a batch is cut at this many bytes of articles (or ``batch_size``
#: articles, whichever comes first): batches travel through the scheduler.
SEND_BATCH_BYTES = 8_000_000

PerArticle = Callable[[str, "date | None"], Any]
#: An article file and whether it was named on its own (not found in a folder).
Item = tuple[str, bool]
#: What travels for a sent article: its bytes, or the one-line error reading it here gave.
Payload = bytes | str


class ClusterError(InputError):
    """The Dask cluster cannot do the run: unreachable or lost scheduler, no worker left, workers
    that run another geomap or cannot see the articles. One line, exit code 2."""


@dataclass(frozen=True)
class Cluster:
    """A Dask cluster to run on: a scheduler ``address`` (``tcp://10.0.0.5:8786``) or a
    ``distributed.Client``; ``send_articles`` reads the articles in this process and sends their
    bytes with the batches, for workers that cannot see this machine's files."""

    address: Any
    send_articles: bool = False


# ---------------------------------------------------------------------------------------------
# Batches


def _run_batch(
    func: PerArticle, items: list[Item], published: date | None, sent: list[Payload] | None = None
) -> list[tuple[bool, Any]]:
    """Run ``func`` on each path of a batch: ``(True, result)`` or ``(False, error message)``.

    With ``sent`` (the articles' bytes), each article is written under its own name to a
    temporary folder of this worker and read from there; error messages name the path the
    client gave. Only bad input (InputError) is caught; anything else is a bug and propagates.
    """
    if sent is not None:
        return _run_sent_batch(func, items, published, sent)
    out: list[tuple[bool, Any]] = []
    for path, _named in items:
        try:
            out.append((True, func(path, published)))
        except InputError as exc:
            out.append((False, str(exc)))
    return out


def _run_sent_batch(
    func: PerArticle, items: list[Item], published: date | None, sent: list[Payload]
) -> list[tuple[bool, Any]]:
    out: list[tuple[bool, Any]] = []
    with tempfile.TemporaryDirectory(prefix="geomap-sent-") as tmp:
        for k, ((path, _named), payload) in enumerate(zip(items, sent)):
            if isinstance(payload, str):
                out.append((False, payload))
                continue
            local = Path(tmp, str(k), Path(path).name)
            local.parent.mkdir()
            local.write_bytes(payload)
            try:
                out.append((True, func(str(local), published)))
            except InputError as exc:
                message = str(exc)
                if exc.path is not None:
                    message = f"{path}: {message.removeprefix(f'{exc.path}: ')}"
                out.append((False, message))
            finally:
                local.unlink()
    return out


def _read_to_send(path: str) -> Payload:
    """The bytes of an article file, read here to be sent to a worker, or the one-line error that
    reading it gives in a single process (the worker reports it as its own)."""
    limit = settings.MAX_ARTICLE_BYTES
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size <= limit:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
            if len(data) <= limit:
                return data
    except OSError:
        pass
    try:  # unreadable, too large or not a file: the message a single process would give
        articles.read_article(path, dates=False)
    except InputError as exc:
        return str(exc)
    return Path(path).read_bytes()  # pragma: no cover - the file changed in between


def _items(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[Item]:
    """(article file, named on its own) for every article under ``paths``, lazily."""

    for raw in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        named = not Path(raw).is_dir()
        for file in articles.article_paths([raw]):
            yield str(file), named


def _batches(items: Iterator[Item], batch_size: int, ramp: bool) -> Iterator[list[Item]]:
    """Batches of items; with ``ramp`` sizes grow 1, 2, 4 … up to ``batch_size`` so that a few
    articles still spread over the workers while a large corpus travels in large batches."""
    size = 1 if ramp else batch_size
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch
        size = min(batch_size, size * 2)


def _sent_batches(items: Iterator[Item], batch_size: int) -> Iterator[tuple[list[Item], list[Payload]]]:
    """As :func:`_batches` (ramped), each with its articles' bytes, cut at
    :data:`SEND_BATCH_BYTES` too."""
    size = 1
    batch: list[Item] = []
    sent: list[Payload] = []
    weight = 0
    for item in items:
        payload = _read_to_send(item[0])
        batch.append(item)
        sent.append(payload)
        weight += len(payload)
        if len(batch) >= size or weight >= SEND_BATCH_BYTES:
            yield batch, sent
            batch, sent, weight = [], [], 0
            size = min(batch_size, size * 2)
    if batch:
        yield batch, sent


def _unpack(batch: list[Item], results: list[tuple[bool, Any]]) -> Iterator[Any]:
    for (path, named), (ok, value) in zip(batch, results):
        if ok:
            yield value
        elif named:
            raise InputError(value.removeprefix(f"{path}: "), path)
        else:
            print(f"geomap: {value}; skipped", file=sys.stderr)


def _in_order(
    submit: Callable[[Any], Any],
    batches: Iterator[Any],
    limit: int,
    *,
    result: Callable[[Any], Any],
    cancel_pending: bool,
) -> Iterator[Any]:
    """The results of the submitted batches (futures of a pool or of a Dask client), in input
    order, with at most ``limit`` batches in flight ahead of the one being yielded. A batch is a
    list of items, or (items, what travels with them)."""
    pending: deque[tuple[list[Item], Any]] = deque()
    try:
        for batch in batches:
            items = batch[0] if isinstance(batch, tuple) else batch
            pending.append((items, submit(batch)))
            while len(pending) >= limit:
                done, fut = pending.popleft()
                yield from _unpack(done, result(fut))
        while pending:
            done, fut = pending.popleft()
            yield from _unpack(done, result(fut))
    finally:
        if cancel_pending:
            for _, fut in pending:
                fut.cancel()


# ---------------------------------------------------------------------------------------------
# Dask


def worker_identity(path: str | None = None) -> dict[str, Any]:
    """What must match between a Dask client and its workers: geomap's version and the gazetteer
    data's fingerprint (:func:`geomap.gazetteer.content_fingerprint`); with ``path``, also whether
    this machine can read that file."""
    from ._version import __version__
    from .gazetteer import content_fingerprint

    found: dict[str, Any] = {"geomap": __version__, "gazetteer": content_fingerprint()}
    if path is not None:
        found["reads"] = os.access(path, os.R_OK)
    return found


def _dask_client(scheduler: Any) -> tuple[Any, bool]:
    """A Client for an address (owned: closed afterwards) or a given Client (left open)."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise InputError("--scheduler needs the 'distributed' package") from exc
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        # distributed's Client.__init__ has no annotations
        client = Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
        return client, True
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None


def _where(client: Any) -> str:
    """The address of the client's scheduler."""
    return str(client.scheduler.address)


def _check_workers(client: Any, first_path: str | None) -> None:
    """Wait (up to :data:`LOST_TIMEOUT`) for a worker, then refuse workers that run another
    geomap or gazetteer data, or (``first_path`` given) cannot read the articles."""
    try:
        client.wait_for_workers(1, timeout=LOST_TIMEOUT)
        theirs = client.run(worker_identity, first_path)
    except TimeoutError:
        raise ClusterError(
            f"no Dask worker joined the scheduler at {_where(client)} in {LOST_TIMEOUT:g} s"
        ) from None
    except (ImportError, AttributeError) as exc:
        raise ClusterError(
            f"a Dask worker cannot run geomap ({exc}); install geomap on every worker"
        ) from None
    mine = worker_identity()
    for worker, found in sorted(theirs.items()):
        if {k: found.get(k) for k in mine} != mine:
            raise ClusterError(
                f"the Dask worker at {worker} runs geomap {found.get('geomap')} with gazetteer data "
                f"{found.get('gazetteer')}, this machine geomap {mine['geomap']} with "
                f"{mine['gazetteer']}; install the same geomap on every worker"
            )
        if first_path is not None and not found.get("reads"):
            raise ClusterError(
                f"the Dask worker at {worker} cannot read {first_path}; give every worker the "
                "articles at the same path, or --send-articles to send them from this machine"
            )


def _cluster_result(client: Any, fut: Any) -> Any:
    """A Dask future's result, failing with one line (never hanging) when the scheduler has been
    unreachable, or the cluster without a worker, for :data:`LOST_TIMEOUT` seconds, or when a
    batch has killed the workers it ran on.

    The wait is on the future's own completion, checked every :data:`POLL_SECONDS`; the result is
    fetched only once the future is done. A result fetched with a timeout would be cancelled
    whenever the timeout fell while its data was on the way, and a cancelled fetch leaves the
    client's shared fetch cancelled for every later result (distributed 2026.8).
    """
    from distributed import KilledWorker

    finished = threading.Event()
    fut.add_done_callback(lambda _: finished.set())
    alone_since: float | None = None
    while not finished.wait(POLL_SECONDS):
        if client.status == "running" and client.scheduler_info().get("workers"):
            alone_since = None
            continue
        alone_since = alone_since or time.monotonic()
        if time.monotonic() - alone_since >= LOST_TIMEOUT:
            what = "lost the Dask scheduler" if client.status != "running" else "no Dask worker left"
            raise ClusterError(f"{what} at {_where(client)} for {LOST_TIMEOUT:g} s; the run is abandoned")
    if fut.cancelled():
        raise ClusterError(f"lost the Dask scheduler at {_where(client)} (the batch was cancelled)")
    try:
        return fut.result()
    except KilledWorker:
        raise ClusterError(
            "the Dask workers running a batch of articles died one after the other; the run is "
            "abandoned (see the workers' logs)"
        ) from None
    except Exception as exc:
        if client.status == "running":
            raise  # the work's own error
        raise ClusterError(f"lost the Dask scheduler at {_where(client)} ({type(exc).__name__})") from None


def _on_cluster(
    func: PerArticle,
    items: Iterator[Item],
    cluster: Cluster,
    batch_size: int,
    published: date | None,
    in_flight: int | None,
) -> Iterator[Any]:
    client, owned = _dask_client(cluster.address)
    with contextlib.ExitStack() as cleanup:
        if owned:
            # A client of our own logs its lost connections with tracebacks, which the run's
            # one line says; it is closed when the run ends (first, then the logs come back).
            cleanup.enter_context(_quiet_logs())
            cleanup.callback(client.close, timeout=5)
        first = next(items, None)
        if first is None:
            return
        items = _chain(first, items)
        _check_workers(client, None if cluster.send_articles else os.path.abspath(first[0]))
        workers = max(1, sum(client.nthreads().values()))

        def submit(batch: Any) -> Any:
            if cluster.send_articles:
                return client.submit(_run_batch, func, batch[0], published, batch[1], pure=False)
            # Workers run in folders of their own: they are given absolute paths, and their
            # messages are given back the paths as this process named them.
            absolute = [(os.path.abspath(path), named) for path, named in batch]
            return batch, client.submit(_run_batch, func, absolute, published, pure=False)

        def result(submitted: Any) -> Any:
            if cluster.send_articles:
                return _cluster_result(client, submitted)
            batch, fut = submitted
            return _as_named(batch, _cluster_result(client, fut))

        batches: Iterator[Any]
        if cluster.send_articles:
            batches = _sent_batches(items, batch_size)
        else:
            batches = _batches(items, batch_size, ramp=True)
        yield from _in_order(submit, batches, in_flight or 2 * workers, result=result, cancel_pending=False)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """distributed's log messages silenced for a while (its loggers have levels of their own)."""
    names = [n for n in list(logging.root.manager.loggerDict) if n.split(".")[0] == "distributed"]
    loggers = [logging.getLogger(n) for n in ["distributed", *names]]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _as_named(batch: list[Item], results: list[tuple[bool, Any]]) -> list[tuple[bool, Any]]:
    """Results of a batch run on absolute paths, their messages naming the paths of ``batch``."""
    out = []
    for (path, _named), (ok, value) in zip(batch, results):
        absolute = os.path.abspath(path)
        if not ok and absolute != path:
            value = f"{path}: {value.removeprefix(f'{absolute}: ')}"
        out.append((ok, value))
    return out


def _chain(first: Item, rest: Iterator[Item]) -> Iterator[Item]:
    yield first
    yield from rest


# ---------------------------------------------------------------------------------------------
# The runner


def map_articles(
    func: PerArticle,
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    scheduler: Any = None,
    batch_size: int = 64,
    published: date | None = None,
    in_flight: int | None = None,
) -> Iterator[Any]:
    """Yield ``func(path, published)`` for every article under ``paths``, in input order.

    ``jobs > 1`` runs batches on that many local processes; ``scheduler`` (a Dask scheduler
    address such as ``tcp://10.0.0.5:8786``, a ``distributed.Client`` or a :class:`Cluster`)
    runs them on a Dask cluster. At most ``in_flight`` batches (default: twice the workers'
    threads) are submitted ahead of the one being yielded. Skipped files (bad files inside
    folders) yield nothing.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    items = _items(paths)

    if scheduler is not None:
        cluster = scheduler if isinstance(scheduler, Cluster) else Cluster(scheduler)
        yield from _on_cluster(func, items, cluster, batch_size, published, in_flight)
        return

    if jobs == 1:
        for batch in _batches(items, batch_size, ramp=False):
            yield from _unpack(batch, _run_batch(func, batch, published))
        return

    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:

        def on_pool(batch: list[Item]) -> Any:
            return pool.submit(_run_batch, func, batch, published)

        batches = _batches(items, batch_size, ramp=True)
        yield from _in_order(
            on_pool, batches, in_flight or 2 * jobs, result=lambda fut: fut.result(), cancel_pending=True
        )

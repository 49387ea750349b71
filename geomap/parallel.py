"""Running a per-article function over many articles: in this process, over local processes
(``jobs > 1``) or on a Dask distributed cluster (``scheduler=ADDRESS``), with the same output.

Articles are streamed: paths are expanded lazily (folders recursively, in sorted order), cut into
batches of file paths and submitted with a bounded number of batches in flight, so memory stays
flat however large the corpus. Workers read the files themselves — only paths travel to them and
only results travel back. Results come back in input order, so the output is exactly the
single-process output.

Per-article functions are called as ``func(path: str, published: date | None)`` and must be
top-level (importable) functions when ``jobs > 1`` or a ``scheduler`` is used; on a Dask cluster
the workers must be able to import geomap. This module only runs them and knows nothing of the
stages: geomap's own are in :mod:`geomap.pipeline` (:func:`~geomap.pipeline.process_places`,
:func:`~geomap.pipeline.process_events`, :func:`~geomap.pipeline.process_article` and
:func:`~geomap.pipeline.process_eval`), all views of its one per-article composition.

Bad input follows :func:`geomap.articles.iter_articles`: a bad file named on its own raises
:class:`~geomap._errors.InputError`; a bad file found inside a folder is noted on stderr and skipped.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from . import articles
from ._errors import InputError

CONNECT_TIMEOUT = "20s"  # to reach a Dask scheduler

PerArticle = Callable[[str, "date | None"], Any]
#: An article file and whether it was named on its own (not found in a folder).
Item = tuple[str, bool]

# ---------------------------------------------------------------------------------------------
# Batches


def _run_batch(func: PerArticle, items: list[Item], published: date | None) -> list[tuple[bool, Any]]:
    """Run ``func`` on each path of a batch: ``(True, result)`` or ``(False, error message)``.

    Only bad input (InputError) is caught; anything else is a bug and propagates.
    """
    out: list[tuple[bool, Any]] = []
    for path, _named in items:
        try:
            out.append((True, func(path, published)))
        except InputError as exc:
            out.append((False, str(exc)))
    return out


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


def _unpack(batch: list[Item], results: list[tuple[bool, Any]]) -> Iterator[Any]:
    for (path, named), (ok, value) in zip(batch, results):
        if ok:
            yield value
        elif named:
            raise InputError(value.removeprefix(f"{path}: "), path)
        else:
            print(f"geomap: {value}; skipped", file=sys.stderr)


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
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None


def _in_order(
    submit: Callable[[list[Item]], Any],
    batches: Iterator[list[Item]],
    limit: int,
    *,
    cancel_pending: bool,
) -> Iterator[Any]:
    """The results of the submitted batches (futures of a pool or of a Dask client), in input
    order, with at most ``limit`` batches in flight ahead of the one being yielded."""
    pending: deque[tuple[list[Item], Any]] = deque()
    try:
        for batch in batches:
            pending.append((batch, submit(batch)))
            while len(pending) >= limit:
                done, fut = pending.popleft()
                yield from _unpack(done, fut.result())
        while pending:
            done, fut = pending.popleft()
            yield from _unpack(done, fut.result())
    finally:
        if cancel_pending:
            for _, fut in pending:
                fut.cancel()


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
    address such as ``tcp://10.0.0.5:8786``, or a ``distributed.Client``) runs them on a Dask
    cluster. At most ``in_flight`` batches (default: twice the workers) are submitted ahead of the
    one being yielded. Skipped files (bad files inside folders) yield nothing.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    items = _items(paths)

    if scheduler is None and jobs == 1:
        for batch in _batches(items, batch_size, ramp=False):
            yield from _unpack(batch, _run_batch(func, batch, published))
        return

    if scheduler is not None:
        client, owned = _dask_client(scheduler)
        try:
            workers = max(1, sum(client.nthreads().values()))

            def on_cluster(batch: list[Item]) -> Any:
                return client.submit(_run_batch, func, batch, published, pure=False)

            batches = _batches(items, batch_size, ramp=True)
            yield from _in_order(on_cluster, batches, in_flight or 2 * workers, cancel_pending=False)
        finally:
            if owned:
                client.close()
        return

    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:

        def on_pool(batch: list[Item]) -> Any:
            return pool.submit(_run_batch, func, batch, published)

        batches = _batches(items, batch_size, ramp=True)
        yield from _in_order(on_pool, batches, in_flight or 2 * jobs, cancel_pending=True)

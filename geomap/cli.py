"""The command line: a thin shell over the Python API (see ``shared/CONTRACT.md``).

Each command parses its options, calls the composed stages of :mod:`geomap.pipeline` (or reads
incidents back with :func:`geomap.exporters.read_incidents`), applies the filters through
:func:`geomap.filters.filter_incidents` and writes the outputs; it composes no stage itself.
:mod:`geomap.pipeline` (the gazetteer and the place finder) and :mod:`geomap.mapping` (folium) are
imported by the commands that use them, so that ``--help``, ``export`` and the rest start quickly.

Exit codes: 0 done; 2 bad usage or bad input (one line on stderr naming what and where); 1 an
internal error (a traceback only with ``--debug``). Outputs are written atomically.
"""

from __future__ import annotations

import json
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import settings
from ._errors import InputError
from ._io import check_output_path, output_set
from ._version import __version__
from .articles import article_paths, iter_articles
from .evaluate import evaluate, format_table, summary
from .exporters import FORMATS, read_incidents
from .exporters import export as write_incidents
from .filters import filter_incidents, parse_filters
from .frames import incident_features, iter_gdf_features, write_geojson, write_point_features

F = TypeVar("F", bound=Callable[..., Any])

EXAMPLES = {
    "build": "geomap build                      # the bundled seeds → out/map.html, out/*.geojson\n"
    "  geomap build articles/ --out report --formats csv,gpkg,kml --since 2025-10-01",
    "places": "geomap places seeds/ -o mentions.geojson",
    "extract": "geomap extract seeds/ --types strike,clash --country AF -o incidents.geojson",
    "map": "geomap map incidents.geojson -o map.html --since 2025-10-09\n"
    "  geomap map acled_export.csv -o acled.html",
    "export": "geomap export incidents.geojson --format csv -o incidents.csv",
    "eval": "geomap eval shared/eval/seeds_gold.json seeds/ --json",
    "watch": "geomap watch https://example.org/border.rss urls.txt --store s.gpkg --out report --once",
    "correct": "geomap correct incidents.gpkg 1a2b3c4d5e6f --type strike:shelling --killed 3\n"
    "  --by 'A. Analyst' --note 'Reuters 12 Oct'",
    "corrections": "geomap corrections incidents.gpkg --export corrections.csv",
}


class Progress:
    """A progress bar on stderr for more than a few articles; silent when stderr is not a terminal."""

    def __init__(self, total: int | None, label: str) -> None:
        self._bar: Any = None
        if total is not None and total > 3 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TimeRemainingColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            self._bar = RichProgress(
                f"[bold]{label}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task(label, total=total)
            self._bar.start()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _count_articles(paths: list[str]) -> int | None:
    """How many articles there are, when that is cheap to know (for the progress bar)."""
    if not sys.stderr.isatty():
        return None
    try:
        return sum(1 for _ in article_paths(paths, on_skip=lambda *_: None))
    except InputError:
        return None


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} must be a date YYYY-MM-DD, not '{value}'") from None


# -- options, each defined once (rasterio's rio/options.py style) --------------------------------


def _options(*options: Callable[[F], F]) -> Callable[[F], F]:
    """One decorator applying ``options`` in the order given (the order ``--help`` lists them)."""

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


types_opt = click.option(
    "--types",
    help="Event types to keep, comma-separated: strike,clash,crossing,negotiation,displacement.",
)
since_opt = click.option("--since", help="Keep incidents on or after this date (YYYY-MM-DD).")
until_opt = click.option("--until", help="Keep incidents on or before this date (YYYY-MM-DD).")
country_opt = click.option("--country", help="ISO 3166-1 alpha-2 codes, comma-separated, e.g. AF,PK.")
bbox_opt = click.option("--bbox", help="Bounding box W,S,E,N in degrees, e.g. 60,29,75,38.")
border_opt = click.option(
    "--border",
    "border",
    help="Land borders as ISO pairs, comma-separated, order-free, e.g. AF-PK,KH-TH.",
)
side_opt = click.option("--side", help="Country (ISO2) whose land holds the incident, e.g. TH.")
near_border_opt = click.option(
    "--near-border", "near_border", help="Keep incidents within this many km of their border line."
)
published_opt = click.option(
    "--published", help="Publication date of the articles (YYYY-MM-DD), overriding what they say."
)
online_opt = click.option(
    "--online", is_flag=True, help="Look names the gazetteer lacks up on Nominatim (network)."
)
strict_opt = click.option(
    "--strict", is_flag=True, help="Stop at the first bad article instead of skipping it."
)
jobs_opt = click.option(
    "--jobs", default=1, show_default=True, type=click.IntRange(1), help="Local worker processes."
)


def _send_articles(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta["geomap.send_articles"] = value  # eager: read by --scheduler's callback below


def _cluster(ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    """--scheduler ADDRESS (with --send-articles) as a :class:`geomap.parallel.Cluster`."""
    send = ctx.meta.get("geomap.send_articles", False)
    if value is None:
        if send:
            raise InputError("--send-articles goes with --scheduler")
        return None
    from .parallel import Cluster

    return Cluster(value, send_articles=send)


scheduler_opt = _options(
    click.option(
        "--scheduler",
        callback=_cluster,
        help="Dask scheduler address (tcp://host:8786) to run on a cluster.",
    ),
    click.option(
        "--send-articles",
        is_flag=True,
        is_eager=True,
        expose_value=False,
        callback=_send_articles,
        help="With --scheduler: read the articles here and send them to the workers "
        "(for workers that cannot see this machine's files).",
    ),
)
stdout_output_opt = click.option(
    "-o", "--output", default="-", show_default=True, help="Output file; - for stdout."
)
debug_option = click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
escape_formulas_opt = click.option(
    "--escape-formulas/--no-escape-formulas",
    default=True,
    show_default=True,
    help="CSV: put ' before text cells starting with = + - @ tab or CR so spreadsheets do not run them.",
)

#: The contract's filters, shared by every verb that takes them.
filter_options = _options(
    types_opt, since_opt, until_opt, country_opt, bbox_opt, border_opt, side_opt, near_border_opt
)
#: Options of the verbs that read articles.
run_options = _options(published_opt, online_opt, strict_opt, jobs_opt, scheduler_opt)

#: The keyword names of the filter options (those of :func:`geomap.filters.parse_filters`).
FILTER_KEYS = ("types", "since", "until", "country", "bbox", "side", "near_border", "border")


def _filters(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The filter options taken out of a command's keyword arguments, checked before any article
    is read (bad values are an :class:`InputError`)."""
    filters = {k: kwargs.pop(k, None) for k in FILTER_KEYS}
    parse_filters(**filters)
    return filters


def _strict_iter(paths: list[str], strict: bool) -> None:
    """With --strict, fail on the first bad article before doing any work."""
    if strict:
        for _ in iter_articles(paths, strict=True):
            pass


# -- commands ----------------------------------------------------------------------------------


class BadInput(click.ClickException):
    """Bad input or usage reported by geomap: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"geomap: error: {_one_line(self.message)}", err=True)


def _one_line(message: str) -> str:
    """An error message on one line: line breaks in it (from a file name, say) escaped."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


_DEBUG_REQUESTED = False


class GeomapGroup(click.Group):
    """Turns :class:`InputError` into exit code 2 and one line, however the CLI is invoked."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            if "--debug" in sys.argv[1:] or (ctx.obj or {}).get("debug") or _DEBUG_REQUESTED:
                traceback.print_exc()
            raise BadInput(str(exc)) from exc


@click.group(
    cls=GeomapGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Examples:\n\n" + "\n\n".join(f"  {v}" for v in EXAMPLES.values()),
)
@click.version_option(__version__, prog_name="geomap")
@debug_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn news reports of border incidents into a layered incident map and open geodata."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command(epilog=f"Example:\n\n  {EXAMPLES['build']}")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(), help="Output folder.")
@click.option("--formats", default="", help="Also write these beside incidents.geojson: csv,gpkg,kml.")
@click.option(
    "--cdn", is_flag=True, help="Link Leaflet from CDNs instead of inlining it (smaller, needs network)."
)
@click.option("--title", help="Title shown on the map (and the page's title).")
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False),
    help="Keep articles, incidents and corrections in this GeoPackage, or a postgresql:// database,"
    " across runs (known articles skipped).",
)
@escape_formulas_opt
@filter_options
@run_options
@debug_option
def build(
    paths: tuple[str, ...],
    out_dir: str,
    formats: str,
    cdn: bool,
    title: str | None,
    store_path: str | None,
    escape_formulas: bool,
    published: str | None,
    online: bool,
    strict: bool,
    jobs: int,
    scheduler: Any,
    debug: bool,
    **kwargs: Any,
) -> None:
    """The main job: places, incidents, map and exports in one go.

    With no PATH it reads the bundled seed articles. Writes map.html, incidents.geojson and
    mentions.geojson to the output folder (./out by default).
    """
    filters = _filters(kwargs)
    extra = [f.strip().lower() for f in formats.split(",") if f.strip()]
    for fmt in extra:
        if fmt not in FORMATS:
            raise InputError(f"unknown format '{fmt}'; choose from csv, gpkg, kml")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("is not a folder; give a folder for --out", out)
    source = list(paths) or [str(settings.SEEDS_DIR)]
    _strict_iter(source, strict)
    pub = _parse_date(published, "--published")

    from . import pipeline
    from .mapping import render_map, save_map

    if store_path is not None:
        if jobs > 1 or scheduler:
            click.echo(
                "geomap: note: --store reads articles in this process (--jobs, --scheduler unused)", err=True
            )
        _build_store(
            store_path, source, out, extra, cdn, pub, online, strict, filters, title, escape_formulas
        )
        return
    bar = Progress(_count_articles(source), "articles")
    try:
        places, incidents = pipeline.places_and_incidents(
            source,
            filters,
            published=pub,
            jobs=jobs,
            scheduler=scheduler,
            online=online,
            progress=bar.advance,
        )
    finally:
        bar.close()
    # everything is computed before anything is written; sources link to the articles' addresses
    the_map = render_map(incidents, title=title, offline=not cdn, articles=source)
    with output_set(out):  # the files of this run, committed together, the manifest last
        write_point_features(places, out / "mentions.geojson")
        write_geojson(
            {"type": "FeatureCollection", "features": iter_gdf_features(incidents)}, out / "incidents.geojson"
        )
        for fmt in extra:
            if fmt != "geojson":
                write_incidents(incidents, out / f"incidents.{fmt}", fmt, escape_formulas=escape_formulas)
        save_map(the_map, out / "map.html", offline=not cdn)
    click.echo(
        f"geomap: {len(places)} place mentions, {len(incidents)} incidents → {out / 'map.html'}",
        err=True,
    )


def _build_store(
    store_path: str,
    source: list[str],
    out: Path,
    extra: list[str],
    cdn: bool,
    published: date | None,
    online: bool,
    strict: bool,
    filters: dict[str, Any],
    title: str | None = None,
    escape_formulas: bool = True,
) -> None:
    """``build --store``: the new articles into the store, then the outputs from its incidents."""
    from .store import Store, add_paths

    bar = Progress(_count_articles(source), "articles")
    with Store(store_path, create=True, writer=True) as store:
        try:
            stats = add_paths(
                store, source, published=published, online=online, strict=strict, progress=bar.advance
            )
        finally:
            bar.close()
        n = write_store_outputs(
            store, out, extra, cdn=cdn, filters=filters, title=title, escape_formulas=escape_formulas
        )
    click.echo(f"geomap: {stats.line()}; {n} incidents → {out / 'map.html'}", err=True)


def write_store_outputs(
    store: Any,
    out: Path,
    extra: list[str],
    *,
    cdn: bool = False,
    filters: dict[str, Any] | None = None,
    title: str | None = None,
    escape_formulas: bool = True,
) -> int:
    """The map, incidents.geojson, mentions.geojson and the ``extra`` formats of a store's
    incidents (filtered) in ``out``; returns how many incidents they hold."""
    from .mapping import render_map, save_map

    incidents = filter_incidents(store.incidents_gdf(), filters or {})
    the_map = render_map(incidents, title=title, offline=not cdn)
    with output_set(out):  # the files of this pass, committed together, the manifest last
        write_point_features(store.mention_features(), out / "mentions.geojson")
        write_geojson(
            {"type": "FeatureCollection", "features": iter_gdf_features(incidents)}, out / "incidents.geojson"
        )
        for fmt in extra:
            if fmt != "geojson":
                write_incidents(incidents, out / f"incidents.{fmt}", fmt, escape_formulas=escape_formulas)
        save_map(the_map, out / "map.html", offline=not cdn)
    return len(incidents)


def _read_input(path: str) -> Any:
    """Incidents from a file (GeoJSON, ACLED CSV) or a store (those on its map)."""
    from ._db import is_url
    from .store import Store, is_store

    if is_url(path) or is_store(path):  # a database's errors are its own (and hide its password)
        with Store(path) as store:
            return store.incidents_gdf()
    return read_incidents(path)


@cli.command(epilog=f"Example:\n\n  {EXAMPLES['places']}")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@stdout_output_opt
@run_options
@debug_option
def places(
    paths: tuple[str, ...],
    output: str,
    published: str | None,
    online: bool,
    strict: bool,
    jobs: int,
    scheduler: Any,
    debug: bool,
) -> None:
    """Place mentions of the articles as a GeoJSON FeatureCollection."""
    from . import pipeline

    if output != "-":
        check_output_path(output)
    _strict_iter(list(paths), strict)
    pub = _parse_date(published, "--published")
    bar = Progress(_count_articles(list(paths)), "articles")
    try:
        # To a file: streamed, each article's mentions written as soon as they are found (the file
        # appears only when all is done). To stdout: collected first, so a failure prints nothing.
        features = pipeline.iter_place_features(
            list(paths), published=pub, jobs=jobs, scheduler=scheduler, online=online, progress=bar.advance
        )
        write_point_features(list(features) if output == "-" else features, None if output == "-" else output)
    finally:
        bar.close()


@cli.command(epilog=f"Example:\n\n  {EXAMPLES['extract']}")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@stdout_output_opt
@filter_options
@run_options
@debug_option
def extract(
    paths: tuple[str, ...],
    output: str,
    published: str | None,
    online: bool,
    strict: bool,
    jobs: int,
    scheduler: Any,
    debug: bool,
    **kwargs: Any,
) -> None:
    """Incidents (merged across articles) as a GeoJSON FeatureCollection."""
    from . import pipeline

    filters = _filters(kwargs)
    if output != "-":
        check_output_path(output)
    _strict_iter(list(paths), strict)
    pub = _parse_date(published, "--published")
    bar = Progress(_count_articles(list(paths)), "articles")
    if not any(v is not None for v in filters.values()):
        # No filter needs the incidents as a frame: merge on disk and write them one by one, so
        # the events of a large corpus are never all in memory.
        try:
            with pipeline.incidents_on_disk(
                list(paths),
                published=pub,
                jobs=jobs,
                scheduler=scheduler,
                online=online,
                progress=bar.advance,
            ) as incidents:
                bar.close()
                write_geojson(
                    {"type": "FeatureCollection", "features": incident_features(incidents)},
                    None if output == "-" else output,
                )
        finally:
            bar.close()
        return
    try:
        gdf = pipeline.extract_incidents(
            list(paths),
            filters,
            published=pub,
            jobs=jobs,
            scheduler=scheduler,
            online=online,
            progress=bar.advance,
        )
    finally:
        bar.close()
    # Features are encoded one at a time: no second full copy of the incidents as dicts or text.
    write_geojson(
        {"type": "FeatureCollection", "features": iter_gdf_features(gdf)}, None if output == "-" else output
    )


@cli.command("map", epilog=f"Example:\n\n  {EXAMPLES['map']}")
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option("-o", "--output", default="map.html", show_default=True, help="Output HTML file.")
@click.option("--cdn", is_flag=True, help="Link Leaflet from CDNs instead of inlining it.")
@click.option("--title", help="Title shown on the map.")
@filter_options
@debug_option
def map_(input_path: str, output: str, cdn: bool, title: str | None, debug: bool, **kwargs: Any) -> None:
    """A map from incidents GeoJSON (or an ACLED export CSV, or a store's incidents)."""
    from .mapping import render_map, save_map

    filters = _filters(kwargs)
    check_output_path(output)
    gdf = filter_incidents(_read_input(input_path), filters)
    save_map(render_map(gdf, title=title, offline=not cdn), output, offline=not cdn)


@cli.command(epilog=f"Example:\n\n  {EXAMPLES['export']}")
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(FORMATS, case_sensitive=False),
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Output file; - for stdout (geojson, csv, kml)."
)
@escape_formulas_opt
@filter_options
@debug_option
def export(input_path: str, fmt: str, output: str, escape_formulas: bool, debug: bool, **kwargs: Any) -> None:
    """Convert and filter incidents (a file or a store): GeoJSON, CSV (ACLED columns first),
    GeoPackage, KML."""
    filters = _filters(kwargs)
    fmt = fmt.lower()
    if output == "-" and fmt == "gpkg":
        raise InputError("a GeoPackage cannot go to stdout; give -o FILE.gpkg")
    if output != "-":
        check_output_path(output)
    gdf = filter_incidents(_read_input(input_path), filters)
    if output == "-":
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / f"out.{fmt}"
            write_incidents(gdf, target, fmt, escape_formulas=escape_formulas)
            with open(target, encoding="utf-8-sig", newline="") as fh:  # CRs in a CSV as written
                sys.stdout.write(fh.read())
    else:
        write_incidents(gdf, output, fmt, escape_formulas=escape_formulas)


@cli.command("eval", epilog=f"Example:\n\n  {EXAMPLES['eval']}")
@click.argument("gold", metavar="GOLD.json", type=click.Path())
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@jobs_opt
@debug_option
def eval_(gold: str, paths: tuple[str, ...], as_json: bool, jobs: int, debug: bool) -> None:
    """Score against gold annotations (rules in shared/eval/README.md)."""
    result = evaluate(gold, list(paths), jobs=jobs)
    if as_json:
        click.echo(json.dumps(summary(result), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(format_table(result))


def _lat_lon(value: str | None) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    try:
        lat, lon = (float(v) for v in value.split(","))
    except ValueError:
        raise InputError(f"--at must be LAT,LON in degrees, e.g. 34.11,71.08, not '{value}'") from None
    return lat, lon


@cli.command(epilog=f"Example:\n\n  {EXAMPLES['correct']}")
@click.argument("store_path", metavar="STORE", type=click.Path(dir_okay=False))
@click.argument("incident_id", metavar="INCIDENT_ID")
@click.option("--type", "type_", metavar="T", help="Event type, or TYPE:SUB-TYPE (strike:shelling).")
@click.option("--place", help="The place, by its gazetteer name.")
@click.option("--at", "at", metavar="LAT,LON", help="The point, in degrees.")
@click.option("--date", "date_", metavar="D", help="The date, YYYY-MM-DD or YYYY-MM.")
@click.option("--killed", type=click.IntRange(0), help="People killed.")
@click.option("--wounded", type=click.IntRange(0), help="People wounded.")
@click.option("--reject", is_flag=True, help="Not an incident: off the map and exports, kept in the store.")
@click.option("--merge-into", "merge_into", metavar="ID", help="The same incident as ID: fold it into ID.")
@click.option("--note", help="Why (a source, a reason).")
@click.option("--by", "by", help="Who corrects (default: the user name).")
@debug_option
def correct(
    store_path: str,
    incident_id: str,
    type_: str | None,
    place: str | None,
    at: str | None,
    date_: str | None,
    killed: int | None,
    wounded: int | None,
    reject: bool,
    merge_into: str | None,
    note: str | None,
    by: str | None,
    debug: bool,
) -> None:
    """Record an analyst's correction of a stored incident; every later build or watch applies it."""
    import getpass

    from .store import Correction, Store

    lat, lon = _lat_lon(at)
    if place is not None and at is not None:
        raise InputError("give --place or --at, not both")
    c = Correction(
        incident_id=incident_id,
        by=by or getpass.getuser(),
        note=note,
        type=type_,
        place=place,
        lat=lat,
        lon=lon,
        date=date_,
        killed=killed,
        wounded=wounded,
        reject=reject,
        merge_into=merge_into,
    )
    if not c.changes():
        raise InputError(
            "nothing to correct: give --type, --place/--at, --date, --killed, --wounded, --reject"
            " or --merge-into"
        )
    with Store(store_path) as store:
        store.add_correction(c)
    click.echo(f"geomap: {incident_id} corrected ({', '.join(c.changes())})", err=True)


@cli.command("corrections", epilog=f"Example:\n\n  {EXAMPLES['corrections']}")
@click.argument("store_path", metavar="STORE", type=click.Path(dir_okay=False))
@click.option("--export", "export_to", metavar="FILE.csv", help="Write the corrections to a CSV file.")
@click.option("--import", "import_from", metavar="FILE.csv", help="Add the corrections of a CSV file.")
@debug_option
def corrections_(store_path: str, export_to: str | None, import_from: str | None, debug: bool) -> None:
    """List the analysts' corrections of a store (and export or import them as CSV)."""
    from .store import Store

    with Store(store_path) as store:
        if import_from is not None:
            added, skipped = store.import_corrections(import_from)
            click.echo(f"geomap: {added} corrections imported, {skipped} already there", err=True)
        if export_to is not None:
            check_output_path(export_to)
            n = store.export_corrections(export_to)
            click.echo(f"geomap: {n} corrections → {export_to}", err=True)
        if import_from is None and export_to is None:
            for c in store.corrections():
                changes = "; ".join(f"{k}={v}" for k, v in c.changes().items())
                who = c.by or "?"
                note = f" — {c.note}" if c.note else ""
                click.echo(f"{c.at}\t{c.incident_id}\t{who}\t{changes}{note}")


@cli.command(epilog=f"Example:\n\n  {EXAMPLES['watch']}")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--store",
    "store_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The store: a GeoPackage, or a postgresql:// database.",
)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(), help="Output folder.")
@click.option(
    "--every",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Minutes between passes.",
)
@click.option("--once", is_flag=True, help="One pass, then exit (for cron).")
@click.option("--formats", default="", help="Also write these beside incidents.geojson: csv,gpkg,kml.")
@click.option("--cdn", is_flag=True, help="Link Leaflet from CDNs instead of inlining it.")
@published_opt
@online_opt
@debug_option
def watch(
    sources: tuple[str, ...],
    store_path: str,
    out_dir: str,
    every: float,
    once: bool,
    formats: str,
    cdn: bool,
    published: str | None,
    online: bool,
    debug: bool,
) -> None:
    """Follow folders, RSS/Atom feeds (URL or file) and files of URLs into a store, rewriting the
    map and exports in --out after each pass. Ctrl-C ends cleanly between articles."""
    from .watch import run_watch

    extra = [f.strip().lower() for f in formats.split(",") if f.strip()]
    for fmt in extra:
        if fmt not in FORMATS:
            raise InputError(f"unknown format '{fmt}'; choose from csv, gpkg, kml")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("is not a folder; give a folder for --out", out)
    stopped = run_watch(
        list(sources),
        store_path,
        lambda store: write_store_outputs(store, out, extra, cdn=cdn),
        every_minutes=every,
        once=once,
        published=_parse_date(published, "--published"),
        online=online,
    )
    if stopped == signal.SIGTERM:
        raise Terminated()
    if stopped:
        raise KeyboardInterrupt


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that unfinished outputs are cleaned up the same way."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into the contract's exit codes.

    SIGTERM is handled like SIGINT (Ctrl-C): the temporary output file is removed, the previous
    output is left as it was, and the exit code is 128 + the signal number (130 or 143).
    """
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> None:
    global _DEBUG_REQUESTED
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _DEBUG_REQUESTED = "--debug" in args
    try:
        cli.main(args=args, prog_name="geomap", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:  # click turns Ctrl-C (and our SIGTERM) into Abort
        if isinstance(exc.__cause__, Terminated):
            click.echo("geomap: terminated", err=True)
            sys.exit(143)
        click.echo("geomap: aborted", err=True)
        sys.exit(130)
    except BadInput as exc:
        exc.show()
        sys.exit(2)
    except click.ClickException as exc:
        message = exc.format_message()
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        click.echo(f"geomap: error: {_one_line(message)}{hint}", err=True)
        sys.exit(2)
    except InputError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"geomap: error: {_one_line(str(exc))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, Terminated)
        click.echo("geomap: terminated" if terminated else "geomap: interrupted", err=True)
        sys.exit(143 if terminated else 130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # an internal error: say so, with the traceback on request
        if debug:
            traceback.print_exc()
        click.echo(
            f"geomap: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True
        )
        sys.exit(1)
    sys.exit(0)

"""Settings in one place: where the data lives, where caches go, what we tell servers.

Everything that a user or a test may want to change is a module-level value here, as in osmnx's
``settings`` module, rather than a default scattered through function signatures.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from ._version import __version__ as _version


def _bundled(name: str) -> Path:
    """A bundled folder: inside the installed package, or beside it in a source checkout."""
    installed = Path(__file__).resolve().parent / name
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / name


#: Folder of the bundled gazetteer tables and boundaries (``geodata/`` in the source tree,
#: installed as ``geomap/geodata``).
GEODATA_DIR: Path = _bundled("geodata")

#: Folder of the bundled seed articles read by ``geomap build`` with no PATH.
SEEDS_DIR: Path = _bundled("seeds")


def _env_int(name: str, default: int) -> int:
    """An integer from the environment; a value that is not one is ignored (the default stays)."""
    try:
        return int(os.environ.get(name, "").strip().replace("_", ""))
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    """A finite number ≥ 0 from the environment; a value that is not one is ignored (the default stays)."""
    try:
        value = float(os.environ.get(name, "").strip())
    except ValueError:
        return default
    return value if math.isfinite(value) and value >= 0 else default


#: Articles larger than this many bytes (20 MB by default; ``GEOMAP_MAX_ARTICLE_BYTES`` changes it)
#: are refused with a clear error instead of exhausting memory or running for hours. A long news
#: article is well under 1 MB.
MAX_ARTICLE_BYTES: int = _env_int("GEOMAP_MAX_ARTICLE_BYTES", 20_000_000)

#: Incident files (GeoJSON, CSV) larger than this many bytes (4 GB by default, room for a million
#: incidents; ``GEOMAP_MAX_INCIDENT_BYTES`` changes it) are refused by ``map`` and ``export``.
MAX_INCIDENT_BYTES: int = _env_int("GEOMAP_MAX_INCIDENT_BYTES", 4_000_000_000)

#: Use the compiled tokeniser (``geomap._ctokens``) when it is built; ``GEOMAP_PURE_PYTHON=1`` runs
#: the same steps in Python (the answers are the same; tests compare them).
PURE_PYTHON: bool = os.environ.get("GEOMAP_PURE_PYTHON", "").strip() not in {"", "0"}

#: User agent for the opt-in online geocoder (Nominatim's usage policy asks for a descriptive one).
USER_AGENT: str = f"geomap/{_version} (offline-first border incident mapper)"

#: Nominatim-compatible service used by ``--online``; tests point it at a loopback server.
NOMINATIM_DOMAIN: str = os.environ.get("GEOMAP_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org")
NOMINATIM_SCHEME: str = os.environ.get("GEOMAP_NOMINATIM_SCHEME", "https")
#: Seconds between two online requests (Nominatim allows one per second).
NOMINATIM_MIN_DELAY: float = _env_float("GEOMAP_NOMINATIM_MIN_DELAY", 1.0)


def geodata_path(name: str) -> Path:
    """Path of one file in the bundled ``geodata/`` folder."""
    return GEODATA_DIR / name


def read_geodata_csv(name: str) -> list[dict[str, str]]:
    """The rows of one CSV table of ``geodata/`` (lines starting with ``#`` are its comments);
    [] when the table is absent."""
    import csv

    path = geodata_path(name)
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def cache_dir() -> Path:
    """The user cache folder for geomap (created on first use); ``GEOMAP_CACHE_DIR`` overrides it."""
    override = os.environ.get("GEOMAP_CACHE_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("geomap", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path

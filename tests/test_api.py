"""The Python API (``geomap/__init__.py``): the functions stay callable whatever else is imported."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import geomap

ARTICLES = Path(__file__).parent / "data" / "articles"


def test_api_functions_are_not_shadowed_by_submodules():
    # Importing every submodule binds it as an attribute of the package; no submodule may share
    # a name with an API function, or ``geomap.places(...)`` stops working after the first call.
    for info in pkgutil.iter_modules(geomap.__path__):
        importlib.import_module(f"geomap.{info.name}")
    for name in geomap.__all__:
        if name != "__version__":
            assert callable(getattr(geomap, name)), f"geomap.{name} is a module, not the API function"


def test_places_twice_and_extract_return_geodataframes():
    first = geomap.places(str(ARTICLES))
    second = geomap.places(str(ARTICLES))
    assert len(first) > 0 and first.equals(second)
    assert first.crs.to_epsg() == 4326
    incidents = geomap.extract(str(ARTICLES))
    assert "event_type" in incidents.columns


def test_errors_are_exported_and_caught_as_the_built_in_ones(tmp_path):
    assert issubclass(geomap.InputError, geomap.GeomapError)
    assert issubclass(geomap.InputError, ValueError)
    with pytest.raises(ValueError, match="no such file"):
        geomap.extract(tmp_path / "missing.txt")
    with pytest.raises(geomap.GeomapError):
        geomap.places(tmp_path / "missing.txt")

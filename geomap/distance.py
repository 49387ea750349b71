"""Distances on the Earth, in one place and one argument order: ``(lat1, lon1, lat2, lon2)``.

- :func:`haversine_km`: great-circle distance on a sphere of the mean Earth radius (fast; ranking
  candidates, merging nearby events, scoring);
- :func:`geodesic_km`: the geodesic on the WGS84 ellipsoid (pyproj ``Geod.inv``; distances to
  borders and crossings, reported to users).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def geod() -> Any:
    """The WGS84 ellipsoid (a pyproj ``Geod``)."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in km between two points (WGS84)."""
    metres: float = geod().inv(lon1, lat1, lon2, lat2)[2]
    return abs(metres) / 1000.0

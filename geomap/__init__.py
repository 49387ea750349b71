"""geomap: news reports of border incidents to a verifiable, layered incident map and open geodata."""

__version__ = "0.1.0"

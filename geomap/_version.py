"""geomap's version, in a module of its own so that any module can read it without importing the
package root (which would make that module depend on the layer above it)."""

__version__ = "0.1.0"

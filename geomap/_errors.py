"""Named errors, exported from :mod:`geomap`. ``InputError`` is bad usage or bad input: the CLI
prints its message on one line and exits with code 2. Anything else is an internal error (exit 1).

As in geopy's ``exc`` module, each error also inherits the built-in error a caller would catch
(``except ValueError`` catches a bad input), and all inherit :class:`GeomapError`."""

from __future__ import annotations


class GeomapError(Exception):
    """Base class of geomap's own errors."""


class InputError(GeomapError, ValueError):
    """Bad usage or bad input; the message names the file or value and the problem."""

    def __init__(self, message: str, path: object | None = None) -> None:
        self.path = path
        super().__init__(f"{printable(path)}: {message}" if path is not None else message)


def printable(value: object) -> str:
    """``value`` as text on one line: line breaks and other control characters in it (a file may
    be named so) are written as escapes (``\\n``), so that they cannot split or forge a line."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text
    )

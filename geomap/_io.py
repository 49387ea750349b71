"""Atomic output: every file geomap writes goes to a temporary file in the same folder first and
is renamed into place, so a failed or interrupted command leaves the previous output intact."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ._errors import InputError


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Refuse an output path that is a folder or whose folder cannot be written, before any work."""
    out = Path(path)
    if out.is_dir():
        raise InputError("is a folder; give a file name for the output", out)
    parent = out.parent if str(out.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise InputError("its parent is not a folder", out)
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("cannot write to this folder", parent)
    return out


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds."""
    out = check_output_path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror})", out.parent) from exc
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror or exc})", out) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.unlink(tmp)  # writers such as GDAL want to create the file themselves
        yield tmp
        os.replace(tmp, out)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            # A full disk, a quota, a file-size limit: bad circumstances, not a bug (exit 2).
            raise InputError(f"cannot write ({exc.strerror or exc}); the previous file is kept", out) from exc
        raise


@contextlib.contextmanager
def atomic_text(path: str | os.PathLike[str] | None, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a text output atomically; ``None`` or ``"-"`` means standard output."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(path) as tmp:
        try:
            with open(tmp, "w", encoding=encoding, newline="\n") as fh:
                yield fh
        except OSError as exc:
            raise InputError(
                f"cannot write ({exc.strerror or exc}); the previous file is kept", path
            ) from exc

"""Atomic output: every file geomap writes goes to a temporary file in the same folder first and
is renamed into place, so a failed or interrupted command leaves the previous output intact.

Temporary files are named ``.NAME.PID.XXXXXXXX.tmp`` (and ``….tmp.gpkg`` with SQLite's
``-journal``/``-wal``/``-shm`` for a GeoPackage): a run that was killed before it could remove
its own leaves them behind, and the next run writing to that folder removes those whose process
has ended (:func:`remove_stale_temporaries`), never any other file.

Inputs: :func:`read_input_bytes` and :func:`check_input_file` read only regular files, up to a
size limit.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ._errors import InputError


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Refuse an output path that is a folder, a device, a FIFO or a socket, or whose folder cannot
    be written, before any work. Returns the file to write: a symbolic link is followed to the
    file it names (which is replaced; the link stays), however many links lead there."""
    if str(path) == "":
        raise InputError("an empty path names no file; give a file name for the output")
    out = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        mode = os.stat(out).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISDIR(mode) and not stat.S_ISREG(mode):
        raise InputError("is not a regular file (a device, pipe or socket); geomap writes only files", path)
    if out.is_dir():
        raise InputError("is a folder; give a file name for the output", out)
    parent = out.parent if str(out.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise InputError("its parent is not a folder", out)
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("cannot write to this folder", parent)
    return out


def _temporary_re(name: str) -> re.Pattern[str]:
    """The names of the temporary files geomap writes for the output ``name``: ``.NAME.PID.XXXXXXXX.tmp``
    (``mkstemp``'s eight random characters), and the GeoPackage work file beside it with SQLite's
    ``-journal``, ``-wal`` and ``-shm``."""
    return re.compile(
        rf"\.{re.escape(name)}\.(?P<pid>\d+)\.[A-Za-z0-9_]{{8}}\.tmp(\.gpkg(-journal|-wal|-shm)?)?"
    )


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process (or unknowable): leave its files alone
    return True


def remove_stale_temporaries(folder: Path, name: str | None = None) -> list[str]:
    """Remove the temporary files an interrupted geomap run (killed, say) left in ``folder`` for
    the output ``name`` (every output when None): only files with geomap's temporary names whose
    process has ended. Returns the names removed."""
    pattern = _temporary_re(name) if name is not None else _ANY_TEMPORARY
    removed: list[str] = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry)
        if match is None or _alive(int(match.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(folder / entry).st_mode):
                os.unlink(folder / entry)
                removed.append(entry)
    return removed


_ANY_TEMPORARY = re.compile(r"\..+\.(?P<pid>\d+)\.[A-Za-z0-9_]{8}\.tmp(\.gpkg(-journal|-wal|-shm)?)?")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds."""
    out = check_output_path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror})", out.parent) from exc
    remove_stale_temporaries(out.parent, out.name)
    try:
        # ``.NAME.PID.RANDOM.tmp``: a later run knows it, and removes it once PID has ended.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent)
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


def read_input_bytes(path: str | os.PathLike[str], limit: int, setting: str, what: str = "input") -> bytes:
    """The bytes of an input file, read only when it is a regular file no larger than ``limit``.

    A FIFO, a device (``/dev/zero``) or a socket is refused instead of read forever, and never more
    than ``limit + 1`` bytes are read, even from a file that grows while it is read. ``setting``
    names the environment variable that changes the limit (for the message).
    """
    p = Path(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"is a folder, not an {what} file", p)
        if not stat.S_ISREG(st.st_mode):
            raise InputError("not a regular file (a pipe, device or socket); not read", p)
        if st.st_size > limit:
            raise _too_big(p, st.st_size, limit, setting, what)
        with open(p, "rb") as fh:
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(limit + 1 - len(data))
    except FileNotFoundError as exc:
        raise InputError("no such file", p) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", p) from exc
    if len(data) > limit:
        raise _too_big(p, len(data), limit, setting, what)
    return data


def check_input_file(path: str | os.PathLike[str], limit: int, setting: str, what: str = "input") -> Path:
    """Refuse, before anything opens it, an input that is missing, not a regular file, or over
    ``limit`` bytes (see :func:`read_input_bytes`)."""
    p = Path(path)
    if str(path) == "":
        raise InputError("an empty path names no file")
    try:
        st = os.stat(p)
    except FileNotFoundError as exc:
        raise InputError("no such file", p) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", p) from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"is a folder; give an {what} file", p)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file (a pipe, device or socket); not read", p)
    if st.st_size > limit:
        raise _too_big(p, st.st_size, limit, setting, what)
    return p


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def _too_big(p: Path, size: int, limit: int, setting: str, what: str) -> InputError:
    return InputError(
        f"{_size(size)} is over the {what} limit of {_size(limit)} (set {setting} to change it)", p
    )

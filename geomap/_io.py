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
import contextvars
import hashlib
import json
import os
import re
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ._errors import InputError
from ._version import __version__ as _version


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


def remove_stale_temporaries(folder: Path, name: str) -> list[str]:
    """Remove the temporary files an interrupted geomap run (killed, say) left in ``folder`` for
    the output ``name``: only files with geomap's temporary names for it whose process has ended.
    Returns the names removed."""
    pattern = _temporary_re(name)
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
        txn = _CURRENT.get()
        if txn is not None and txn.holds(out):
            txn.pending.append((tmp, out))  # renamed with the rest of the run's set
        else:
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
    if str(path) == "":
        raise InputError("an empty path names no file")
    p = Path(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a folder, not a file", p)
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
        raise InputError(
            f"is a folder; give an {what} file" if what == "incidents" else "is a folder, not a file", p
        )
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


# ---------------------------------------------------------------------------------------------
# the outputs of one run as a set

#: The manifest ``build`` writes last in its output folder: the run's files and their SHA-256.
MANIFEST = "geomap-manifest.json"
#: Written once every file of a run is complete, before they are renamed into place; a run that
#: finds it (the last one was killed while renaming) finishes the renames first.
_JOURNAL = ".geomap-commit.json"
#: How long a run waits for another one writing the same folder, in seconds.
LOCK_WAIT_SECONDS = 600.0

_CURRENT: contextvars.ContextVar[OutputSet | None] = contextvars.ContextVar("geomap_output_set", default=None)


class OutputSet:
    """The files one run writes into a folder, committed together (see :func:`output_set`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._real = os.path.realpath(folder)
        self.pending: list[tuple[Path, Path]] = []

    def holds(self, out: Path) -> bool:
        """Whether ``out`` is a file of this folder (then it is staged, not renamed at once)."""
        return os.path.realpath(out.parent) == self._real

    def commit(self) -> None:
        """Journal the staged files, rename them into place, write the manifest last."""
        entries = []
        try:
            for tmp, out in self.pending:
                digest, size = _digest(tmp, sync=True)
                entries.append({"name": out.name, "temporary": tmp.name, "sha256": digest, "bytes": size})
            _write_json(self.folder / _JOURNAL, {"files": entries})
        except OSError as exc:  # a full disk, say: nothing was replaced
            self.discard()
            raise InputError(
                f"cannot write ({exc.strerror or exc}); the previous files are kept", self.folder
            ) from exc
        self.pending.clear()
        try:
            _finish(self.folder, entries)
        except OSError as exc:  # the journal stays: the next run finishes the renames
            raise InputError(
                f"cannot write ({exc.strerror or exc}); the next run into this folder completes this one",
                self.folder,
            ) from exc

    def discard(self) -> None:
        for tmp, _ in self.pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self.pending.clear()


def _digest(path: Path, sync: bool = False) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
        if sync:
            os.fsync(fh.fileno())
    return h.hexdigest(), size


def _write_json(path: Path, doc: Any) -> None:
    """``doc`` as JSON at ``path``, atomically (not staged in the run's set)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(tmp)  # made again below with the usual permissions (mkstemp's are 0600)
        with open(tmp, "x", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _finish(folder: Path, entries: list[dict[str, Any]]) -> None:
    """Rename the journal's files into place (those not renamed yet), write the manifest of those
    that are what the journal says, and drop the journal."""
    for e in entries:
        tmp = folder / e["temporary"]
        if os.path.lexists(tmp):
            os.replace(tmp, folder / e["name"])
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    files = {}
    for e in entries:
        try:
            digest, size = _digest(folder / e["name"])
        except OSError:
            continue
        if digest == e["sha256"]:
            files[e["name"]] = {"sha256": digest, "bytes": size}
    _write_json(folder / MANIFEST, {"geomap": _version, "files": files})
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / _JOURNAL)


def settle(folder: Path) -> None:
    """Bring a folder back to one run's complete set after a run was killed: finish the renames
    a journal names, then remove the temporary files of runs that have ended. Call with the lock
    held (:func:`output_set` does)."""
    journal = folder / _JOURNAL
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
            valid = all(
                isinstance(e, dict)
                and {"name", "temporary", "sha256"} <= set(e)
                and "/" not in e["name"]
                and "/" not in e["temporary"]
                for e in entries
            )
        except (OSError, ValueError, KeyError, TypeError):
            valid = False
        if valid:
            _finish(folder, entries)
        else:
            journal.unlink()
    for name in SET_NAMES:
        remove_stale_temporaries(folder, name)


#: The files ``build`` writes into its folder: the temporary files of these (and only these) are
#: removed by :func:`settle` (a user's ``.notes.2024.abcdefgh.tmp`` is never touched).
SET_NAMES = (
    "map.html",
    "incidents.geojson",
    "mentions.geojson",
    "incidents.csv",
    "incidents.gpkg",
    "incidents.kml",
    MANIFEST,
    _JOURNAL,
)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: no lock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)  # the folder itself is locked: no lock file is left
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror or exc})", folder) from exc
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InputError(
                        f"another geomap run is writing to this folder (waited {LOCK_WAIT_SECONDS:g} s)",
                        folder,
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def output_set(folder: str | os.PathLike[str]) -> Iterator[OutputSet]:
    """Write the files of one run into ``folder`` as a set.

    Inside the block, every file written into ``folder`` through :func:`atomic_path` is staged
    under a temporary name instead of being renamed at once. When the block ends, the set is
    committed: a journal naming the staged files, the renames, then the manifest (``MANIFEST``:
    each file's name, SHA-256 and size) written last. A run killed before the journal leaves the
    previous set as it was (its stray temporary files are removed by the next run); one killed
    after it is finished by the next run (:func:`settle`). A lock (``flock`` of the folder) makes a
    second run on the same folder wait until the first is done. Files geomap did not write are
    never touched.
    """
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror})", out) from exc
    with _locked(out):
        settle(out)
        txn = OutputSet(out)
        token = _CURRENT.set(txn)
        try:
            yield txn
        except BaseException:
            txn.discard()
            raise
        finally:
            _CURRENT.reset(token)
        with _signals_held():
            txn.commit()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait while a set is committed (they are handled right after)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def recover_output_set(folder: str | os.PathLike[str]) -> None:
    """What the next run does first, on its own: finish or drop what a killed run left in
    ``folder`` (waits for a run writing there now)."""
    out = Path(folder)
    if out.is_dir():
        with _locked(out):
            settle(out)

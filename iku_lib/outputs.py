"""Writing derived files safely: atomically, and never into the raw data directory.

`atomic_write` writes a hidden temporary file beside the target (``.<name>.<random>.tmp``),
flushes it to disk, then renames it over the target in one step (`os.replace`, atomic on
POSIX and Windows within one file system). A run that fails, or is killed at any moment,
leaves the previous file exactly as it was: never a truncated or half-written one. A run
killed with SIGKILL cannot remove its temporary file; that file is hidden, never has the
target's name, and can be deleted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .exceptions import IkuError, ParameterError


class OutputError(IkuError):
    """An output file could not be written (permissions, disk full, a folder in the way)."""


def check_not_inside(path: Path, data_dir: Path) -> None:
    """Refuse to write `path` inside the (read-only) raw data directory."""
    target = Path(path).resolve()
    raw = Path(data_dir).resolve()
    if target == raw or raw in target.parents:
        raise ParameterError(f"tidak boleh menulis ke direktori data mentah {raw}: {path}")


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it to `path`.

    A failure or interruption leaves any previous `path` as it was. Raises OutputError
    (with a message for the user) when the file cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"tidak dapat menulis {path}: itu sebuah folder; berikan nama berkas")
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        write(Path(tmp))
        with open(tmp, "rb+") as fh:  # the bytes reach the disk before the rename makes them the file
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise OutputError(f"tidak dapat menulis {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

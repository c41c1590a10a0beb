"""Writing derived files safely: atomically, and never into the raw data directory."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .exceptions import ParameterError


def check_not_inside(path: Path, data_dir: Path) -> None:
    """Refuse to write `path` inside the (read-only) raw data directory."""
    target = Path(path).resolve()
    raw = Path(data_dir).resolve()
    if target == raw or raw in target.parents:
        raise ParameterError(f"tidak boleh menulis ke direktori data mentah {raw}: {path}")


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it to `path`.

    A failure or interruption leaves any previous `path` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

"""Writing derived files safely: atomically, and never into the raw data directory.

`atomic_write` writes a hidden temporary file beside the target (``.<name>.<random>.tmp``),
flushes it to disk, then renames it over the target in one step (`os.replace`, atomic on
POSIX and Windows within one file system). A run that fails, or is killed at any moment,
leaves the previous file exactly as it was: never a truncated or half-written one. A run
killed with SIGKILL cannot remove its temporary file; that file is hidden, never has the
target's name, and can be deleted.

A folder of several files (one report: HTML, notebook, Excel, Word) is built the same way as
a whole: in a hidden **work folder** beside it (`work_dir`), then put in place in one step
(`replace_folder`), so the folder holds either the previous report or the new one, complete.

Work folders and the rule for stale ones
----------------------------------------
A work folder is named ``.iku-tmp-<what>-<pid>-<random>`` and has a lock file beside it with
the same name plus ``.kunci``, locked (``flock``) by the process using the folder for as long
as it lives; the kernel releases that lock however the process ends (SIGKILL and power loss
included). `clean_stale` (run by every `iku report` before it writes anything) removes:

- a work folder whose lock file it can lock: its process is gone;
- a work folder without a lock file (or on a system without ``flock``) older than
  `STALE_AGE` (one hour): a live process always holds its lock file, except for an instant
  while making it;
- a lock file whose folder is gone, when it can lock it;
- a hidden ``.<name>.<random>.tmp`` left by `atomic_write` (or a probe file of
  `check_output_dir`), older than `STALE_AGE`;
- a folder ``.tmp-<random>`` or ``.tmp-olahan-<random>`` (what an older iku used), older than
  `STALE_AGE`;
- a previous folder set aside by the two-step swap (``.iku-lama-<random>-<name>``, only
  where an atomic exchange is not available): put back when ``<name>`` is missing (the run
  was killed between the two renames), else removed.

So two runs at once never remove each other's work, and what a killed run left is gone after
the next run.
"""

from __future__ import annotations

import atexit
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .exceptions import IkuError, ParameterError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale work folders go by age only
    fcntl = None  # type: ignore[assignment]

WORK_PREFIX = ".iku-tmp-"
LOCK_SUFFIX = ".kunci"
OLD_PREFIX = ".iku-lama-"
STALE_AGE = 3600.0  # seconds: an unlocked-looking leftover older than this is no live run's


class OutputError(IkuError):
    """An output file could not be written (permissions, disk full, a folder in the way)."""


_REASONS = {
    errno.EACCES: "izin menulis ditolak (folder hanya-baca?)",
    errno.EPERM: "izin menulis ditolak (folder hanya-baca?)",
    errno.EROFS: "sistem berkas hanya-baca",
    errno.ENOSPC: "disk penuh (tidak ada ruang tersisa)",
    errno.EDQUOT: "kuota disk habis",
    errno.ENOTDIR: "sebagian jalurnya adalah berkas, bukan folder",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    errno.EEXIST: "sudah ada",
    errno.ENOENT: "folder tidak ada",
    errno.ENOTEMPTY: "folder tidak kosong",
    errno.ENAMETOOLONG: "nama terlalu panjang",
    errno.EIO: "galat baca/tulis pada disk",
    errno.EXDEV: "berada di disk lain",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.ENFILE: "terlalu banyak berkas terbuka",
}


def reason(exc: BaseException) -> str:
    """Why a file operation failed, in Bahasa Indonesia (the system's own words when unknown)."""
    while not isinstance(exc, OSError) and exc.__cause__ is not None:
        exc = exc.__cause__
    if isinstance(exc, OSError):
        return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return str(exc)


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
        raise OutputError(f"tidak dapat menulis {path}: {reason(exc)}") from exc
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


# --- folders ----------------------------------------------------------------------------------------

def _file_in_the_way(folder: Path) -> Path | None:
    """The first existing path in `folder` or above it that is not a folder, if any."""
    for part in [*reversed(Path(folder).parents), Path(folder)]:
        if part.exists() and not part.is_dir():
            return part
    return None


def check_output_dir(folder: Path) -> Path:
    """Make sure `folder` is a folder this process can write in, creating it when missing.

    Raises OutputError, one line naming the folder and the reason: a file where the folder
    (or one above it) should be, a read-only folder, a full disk."""
    folder = Path(folder)
    blocker = _file_in_the_way(folder)
    if blocker == folder:
        raise OutputError(f"folder hasil {folder} adalah sebuah berkas, bukan folder; berikan --output-dir lain "
                          f"atau pindahkan berkas itu")
    if blocker is not None:
        raise OutputError(f"tidak dapat membuat folder hasil {folder}: {blocker} adalah sebuah berkas, bukan folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"tidak dapat membuat folder hasil {folder}: {reason(exc)}") from None
    _check_writable(folder, "folder hasil")
    return folder


def _check_writable(folder: Path, what: str) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"tidak dapat menulis ke {what} {folder}: {_REASONS[errno.EACCES]}")
    try:  # what the permission bits do not say: a read-only file system, a full disk
        fd, probe = tempfile.mkstemp(prefix=f"{WORK_PREFIX}uji-", dir=folder)
        try:
            os.write(fd, b"iku")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"tidak dapat menulis ke {what} {folder}: {reason(exc)}") from None


def check_report_folder(folder: Path) -> None:
    """Make sure the report folder `folder` can be replaced: no file where it (or a folder
    above it) should be, and the folder holding it writable. OutputError otherwise."""
    folder = Path(folder)
    blocker = _file_in_the_way(folder)
    if blocker is not None:
        raise OutputError(f"tidak dapat menulis laporan ke {folder}: {blocker} adalah sebuah berkas, bukan folder; "
                          f"pindahkan atau hapus berkas itu")
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"tidak dapat menulis laporan ke {folder}: {_REASONS[errno.EACCES]}")
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"tidak dapat menulis laporan ke {folder}: {parent}: {_REASONS[errno.EACCES]}")


# --- work folders ------------------------------------------------------------------------------------

_LIVE: dict[Path, int | None] = {}  # this process's work folders -> the descriptor holding its lock


def _lock_path(folder: Path) -> Path:
    return folder.with_name(folder.name + LOCK_SUFFIX)


def make_work_dir(parent: Path, what: str) -> Path:
    """A new hidden work folder in `parent` (``.iku-tmp-<what>-<pid>-<random>``), locked by
    this process until `remove_work_dir` (see the module docstring)."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    what = re.sub(r"[^\w.-]", "_", what)
    prefix = f"{WORK_PREFIX}{what}-{os.getpid()}-"
    if fcntl is None:  # pragma: no cover - Windows
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        _LIVE[folder] = None
        return folder
    # The lock is taken before its folder exists, under a name no cleaner reads, then renamed:
    # a cleaner never sees an unlocked lock file of a live process.
    fd, tmp = tempfile.mkstemp(prefix=f".{prefix}", suffix=".baru", dir=parent)
    folder = None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        _LIVE[folder] = fd
        os.replace(tmp, _lock_path(folder))
    except BaseException:
        if folder is not None:
            _LIVE.pop(folder, None)
            shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return folder


def remove_work_dir(folder: Path) -> None:
    """Remove the work folder `folder` (whatever it holds by now) and its lock file."""
    folder = Path(folder)
    if folder.is_symlink():  # what replace_folder exchanged was a link
        folder.unlink(missing_ok=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    _lock_path(folder).unlink(missing_ok=True)  # the lock goes last: stopped before, the folder is still ours
    fd = _LIVE.pop(folder, None)
    if fd is not None:
        os.close(fd)


def remove_all_work_dirs() -> None:
    """Remove every work folder this process made and still holds (on the way out)."""
    for folder in list(_LIVE):
        remove_work_dir(folder)


atexit.register(remove_all_work_dirs)


@contextmanager
def work_dir(parent: Path, what: str) -> Iterator[Path]:
    """A work folder in `parent`, removed at the end (after `replace_folder`, what it holds is
    the previous version of the folder it replaced)."""
    folder = make_work_dir(parent, what)
    try:
        yield folder
    finally:
        remove_work_dir(folder)


def replace_folder(new: Path, target: Path) -> None:
    """Put the complete folder `new` where `target` is, in one step.

    Where `target` exists, the two are exchanged atomically where the system can (Linux,
    ``renameat2``), so `target` always holds one complete version; `new` then holds the
    previous one (for the caller to remove). Elsewhere the previous folder is first set aside
    as ``.iku-lama-<random>-<name>`` (put back by `clean_stale` if the run is killed between
    the two renames) and then moved to `new`."""
    new, target = Path(new), Path(target)
    try:  # a work folder is private (0700) while made; the report folder keeps its mode, or gets the usual one
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o777 & ~umask
    os.chmod(new, mode)
    if not target.exists():
        try:
            os.rename(new, target)
            return
        except OSError:
            if not target.is_dir():
                raise
    if _exchange(new, target):
        return
    aside = target.with_name(f"{OLD_PREFIX}{secrets.token_hex(4)}-{target.name}")
    os.rename(target, aside)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside, target)
        raise
    os.rename(aside, new)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux renameat2); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _leftover(name: str) -> bool:
    """A name only ever given to temporary things (ours, or an older iku's)."""
    return name.startswith((WORK_PREFIX, OLD_PREFIX, f".{WORK_PREFIX}")) or bool(_ATOMIC.fullmatch(name)) \
        or bool(_LEGACY.fullmatch(name))


def carry_over(old: Path, new: Path, skip: set[str]) -> None:
    """Give the new version `new` of folder `old` what `old` holds besides the names in `skip`
    (the files being replaced) and temporary leftovers: files someone put there, the other
    reports of a shared folder. Hard links where possible (no copying), else copies."""
    old = Path(old)
    if not old.is_dir():
        return
    for entry in old.iterdir():
        if entry.name in skip or _leftover(entry.name) or (new / entry.name).exists():
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), new / entry.name)
        elif entry.is_dir():
            shutil.copytree(entry, new / entry.name, symlinks=True, copy_function=link_or_copy)
        else:
            link_or_copy(entry, new / entry.name)


def link_or_copy(src, dst) -> None:
    """`dst` as a hard link to `src`, or a copy where the file system has none."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


_ATOMIC = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # atomic_write's temporary files (tempfile's 8 characters)
_LEGACY = re.compile(r"\.tmp-(?:olahan-)?[a-z0-9_]{8}")  # an older iku's work folders


def _can_lock(path: Path) -> bool:
    """Whether the lock file `path` is held by no process (False when it cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _age(path: Path, now: float) -> float:
    try:
        return now - path.lstat().st_mtime
    except OSError:
        return 0.0


def clean_stale(folder: Path) -> list[Path]:
    """Remove, in `folder`, what killed runs left (the rule is in the module docstring); the
    paths removed or put back. Never raises: what cannot be removed is left for next time."""
    folder = Path(folder)
    done: list[Path] = []
    now = time.time()
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return done
    for entry in entries:
        name = entry.name
        try:
            if name.startswith(OLD_PREFIX) and entry.is_dir():
                m = re.fullmatch(rf"{re.escape(OLD_PREFIX)}[0-9a-f]{{8}}-(.+)", name)
                home = folder / m.group(1) if m else None
                if home is not None and not home.exists() and not os.path.lexists(home):
                    os.rename(entry, home)
                else:
                    shutil.rmtree(entry)
                done.append(entry)
            elif name.startswith(WORK_PREFIX) and entry.is_dir() and not entry.is_symlink():
                if entry in _LIVE:
                    continue
                lock = _lock_path(entry)
                if fcntl is not None and lock.exists():
                    stale = _can_lock(lock)
                else:
                    stale = _age(entry, now) > STALE_AGE
                if stale:
                    shutil.rmtree(entry)
                    lock.unlink(missing_ok=True)
                    done.append(entry)
            elif _LEGACY.fullmatch(name) and entry.is_dir() and _age(entry, now) > STALE_AGE:
                shutil.rmtree(entry)
                done.append(entry)
            elif name.startswith(WORK_PREFIX) and name.endswith(LOCK_SUFFIX) and entry.is_file():
                home = entry.with_name(name[:-len(LOCK_SUFFIX)])
                if not home.exists() and fcntl is not None and _can_lock(entry):
                    entry.unlink()
                    done.append(entry)
            elif (_ATOMIC.fullmatch(name) or name.startswith((f".{WORK_PREFIX}", f"{WORK_PREFIX}uji-"))) \
                    and entry.is_file() \
                    and _age(entry, now) > STALE_AGE:
                entry.unlink()
                done.append(entry)
        except OSError:
            continue
    return done

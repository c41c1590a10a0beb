"""The version of iku: a real one, from git, that changes with the code.

The build (setuptools-scm, see `[tool.setuptools_scm]` in pyproject.toml) derives the version
from git: `0.2.0` at the tag `v0.2.0`, `0.2.1.dev5+g1a2b3c4d5` five commits later (with
`.d<date>` while the working tree has uncommitted changes), and `0.0.0+unknown` when built
outside git. An installed wheel reports the version it was built with.

An editable install (`pip install -e .`) records the version of the commit it was installed
at and keeps it after later commits. So, when iku runs from a git checkout whose HEAD is no
longer the commit named in the installed version, the checkout's own version is computed
again (setuptools-scm, when installed; else the installed one is kept). Reading HEAD is two
small file reads; git itself runs only in that case.

>>> recorded_commit("0.2.1.dev5+g1a2b3c4d5.d20261202"), recorded_commit("0.2.0")
('1a2b3c4d5', None)
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

UNKNOWN = "0.0.0+unknown"  # not installed, or built outside git: pyproject's fallback_version
DISTRIBUTION = "iku"


def installed_version() -> str:
    """The version of the installed distribution (UNKNOWN when iku is not installed)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return UNKNOWN


def recorded_commit(text: str) -> str | None:
    """The abbreviated commit a setuptools-scm version names (`+g<hash>`), or None."""
    m = re.search(r"\+(?:[^+]*\.)?g([0-9a-f]{7,40})(?:\.|$)", text)
    return m.group(1) if m else None


def checkout_root(package: Path | None = None) -> Path | None:
    """The git checkout iku runs from (the folder holding `iku_lib/`, `pyproject.toml` and
    `.git`), or None: an installed wheel lives in site-packages, which has neither."""
    root = Path(package or Path(__file__).resolve().parent).parent
    return root if (root / ".git").exists() and (root / "pyproject.toml").is_file() else None


def _git_dir(root: Path) -> tuple[Path, Path]:
    """(git dir, common dir) of a checkout: `.git` itself, or where a worktree's `.git` file points."""
    git = root / ".git"
    if git.is_file():
        text = git.read_text(encoding="utf-8").strip()
        git = (root / text.removeprefix("gitdir:").strip()).resolve()
    common = git
    if (git / "commondir").is_file():
        common = (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
    return git, common


def head_commit(root: Path) -> str | None:
    """The full hash of the checkout's HEAD, read from `.git` without running git; None when
    it cannot be read (then the installed version is kept)."""
    try:
        git, common = _git_dir(root)
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head
        ref = head.removeprefix("ref:").strip()
        for folder in (git, common):
            if (folder / ref).is_file():
                return (folder / ref).read_text(encoding="utf-8").strip()
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref:
                    return parts[0]
    except (OSError, UnicodeDecodeError):
        return None
    return None


def checkout_version(root: Path) -> str | None:
    """The checkout's version as the build would compute it (setuptools-scm), or None."""
    try:
        import setuptools_scm

        return str(setuptools_scm.get_version(root=str(root), fallback_version=UNKNOWN))
    except Exception:  # noqa: BLE001 - not installed, no git, a broken checkout: keep the installed version
        return None


def package_version() -> str:
    """iku's version: the installed one, or, running from a git checkout whose HEAD moved
    since it was installed (an editable install), the checkout's own."""
    found = installed_version()
    root = checkout_root()
    if root is None:
        return found
    commit = recorded_commit(found)
    head = head_commit(root)
    if commit is not None and head is not None and head.startswith(commit):
        return found
    return checkout_version(root) or found

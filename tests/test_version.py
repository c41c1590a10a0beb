"""iku's version: from git tags (setuptools-scm), and kept current in an editable checkout."""

from __future__ import annotations

import re
import tomllib

from iku_lib import __version__
from iku_lib import version as v

from .conftest import ROOT


def test_the_version_comes_from_git_tags_with_a_fallback_outside_git():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert any(r.startswith("setuptools-scm") for r in project["build-system"]["requires"])
    assert project["tool"]["setuptools_scm"]["fallback_version"] == v.UNKNOWN


def test_the_running_version_is_a_pep440_version():
    # X.Y.Z, or X.Y.Z.devN+g<hash>[.d<date>] between tags (setuptools-scm), or the fallback.
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?((\.dev\d+)?\+[0-9a-z.]+)?", __version__), __version__


def test_recorded_commit():
    assert v.recorded_commit("0.2.1.dev48+g61fa3a277") == "61fa3a277"
    assert v.recorded_commit("0.2.1.dev48+g61fa3a277.d20261202") == "61fa3a277"
    assert v.recorded_commit("0.0.1.dev97+unknown.g61fa3a277.d20261202") == "61fa3a277"
    assert v.recorded_commit("0.2.0") is None and v.recorded_commit(v.UNKNOWN) is None


def _checkout(root, head: str):
    (root / ".git" / "refs" / "heads").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text(head, encoding="utf-8")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "iku_lib").mkdir()
    return root


def test_head_commit_from_a_branch_a_packed_ref_and_a_detached_head(tmp_path):
    one = _checkout(tmp_path / "a", "ref: refs/heads/main\n")
    (one / ".git" / "refs" / "heads" / "main").write_text("a" * 40 + "\n", encoding="utf-8")
    assert v.head_commit(one) == "a" * 40
    two = _checkout(tmp_path / "b", "ref: refs/heads/main\n")
    (two / ".git" / "packed-refs").write_text(f"# pack-refs\n{'b' * 40} refs/heads/main\n", encoding="utf-8")
    assert v.head_commit(two) == "b" * 40
    three = _checkout(tmp_path / "c", "c" * 40 + "\n")
    assert v.head_commit(three) == "c" * 40
    assert v.checkout_root(three / "iku_lib") == three
    assert v.checkout_root(tmp_path / "site-packages" / "iku_lib") is None  # an installed wheel


def test_an_editable_install_behind_head_asks_the_checkout(tmp_path, monkeypatch):
    root = _checkout(tmp_path / "r", "ref: refs/heads/main\n")
    (root / ".git" / "refs" / "heads" / "main").write_text("1234567890" + "0" * 30 + "\n", encoding="utf-8")
    monkeypatch.setattr(v, "checkout_root", lambda package=None: root)
    monkeypatch.setattr(v, "checkout_version", lambda r: "git was run")
    monkeypatch.setattr(v, "installed_version", lambda: "0.2.1.dev3+g123456789")
    assert v.package_version() == "0.2.1.dev3+g123456789"  # installed at HEAD: kept, git is not run
    monkeypatch.setattr(v, "checkout_version", lambda r: "0.2.1.dev3+g123456789")
    monkeypatch.setattr(v, "installed_version", lambda: "0.2.1.dev1+gabcdef012")
    assert v.package_version() == "0.2.1.dev3+g123456789"  # HEAD moved since: the checkout's own
    monkeypatch.setattr(v, "checkout_version", lambda r: None)  # setuptools-scm missing
    assert v.package_version() == "0.2.1.dev1+gabcdef012"

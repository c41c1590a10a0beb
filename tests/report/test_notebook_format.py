"""report.notebook_format: nbformat imported without jsonschema's IRI checker package, which
compiles a grammar for 1.5 s at import; each case in a fresh interpreter (imports are global)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("rfc3987_syntax", reason="only installed with jsonschema[format-nongpl] (jupyter-events)")


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_report_runner_imports_without_the_iri_package_which_stays_importable():
    out = _python("""
        import sys
        import iku_lib.report.runner
        import jsonschema
        from iku_lib.report.notebook_format import nbformat
        print("rfc3987_syntax" in sys.modules, "iri" in jsonschema.FormatChecker().checkers)
        nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]))
        import rfc3987_syntax
        print(rfc3987_syntax.is_valid_syntax("iri", "https://example.org/desa"))
        """)
    assert out.splitlines() == ["False False", "True"]


def test_jsonschema_imported_before_iku_is_left_as_it_was():
    out = _python("""
        import jsonschema
        import iku_lib.report.runner
        print("iri" in jsonschema.FormatChecker().checkers)
        """)
    assert out == "True"

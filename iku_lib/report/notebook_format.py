"""nbformat, imported without the second and a half that an optional checker of jsonschema costs.

nbformat imports jsonschema, and jsonschema imports `rfc3987_syntax` when it is installed (it
is: jupyter-events asks for `jsonschema[format-nongpl]`). That package compiles a Lark grammar
when imported: 1.46 s of the 1.6 s of `python -c "import nbformat"` on the development
machine, paid by every `iku report` and by each of its worker processes (upstream:
python-jsonschema/jsonschema#1392). It only checks strings declared `"format": "iri"`, which
no notebook schema has, so the package is hidden while jsonschema is first imported here and
visible again afterwards: only jsonschema's `iri` format check is left out, and only when iku
was the first to import jsonschema in the process.
"""

from __future__ import annotations

import sys

SKIPPED = "rfc3987_syntax"


def _import_nbformat():
    hide = SKIPPED not in sys.modules and "jsonschema" not in sys.modules
    if hide:
        sys.modules[SKIPPED] = None  # `import rfc3987_syntax` raises ImportError, which jsonschema expects
    try:
        import nbformat
    finally:
        if hide and SKIPPED in sys.modules and sys.modules[SKIPPED] is None:
            del sys.modules[SKIPPED]
    return nbformat


nbformat = _import_nbformat()

"""Project hygiene: dependency lists agree; notebooks are committed thin and without outputs."""

import json
import re
import subprocess
import tomllib

import yaml

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_pyproject_and_environment_list_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = {_name(r) for d in env["dependencies"] if isinstance(d, dict) for r in d.get("pip", []) if r != "-e ."}
    assert declared == conda | pip


def test_notebooks_are_thin_and_committed_without_outputs():
    tracked = subprocess.run(["git", "ls-files", "notebooks"], capture_output=True, text=True, cwd=ROOT).stdout.split()
    for path in (p for p in tracked if p.endswith(".ipynb")):
        cells = json.loads((ROOT / path).read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path
        assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in cells) == 1, path
        for c in code:
            source = "".join(c["source"])
            assert not re.search(r"^\s*(def|class)\s", source, re.MULTILINE), path


STAGES = ["ingest", "engine", "report", "cli"]  # the data's way; each imports only from those before it


def _imported_stages(source: str, own: str) -> set[str]:
    """The subpackages a module of stage `own` imports from (relative and absolute imports)."""
    found = set()
    for m in re.finditer(r"^\s*from (\.+)(\w*)(?:\.\w+)* import ([\w ,()]+)", source, re.MULTILINE):
        dots, first, names = m.groups()
        if len(dots) == 1:
            found.add(own)
        elif first:
            found.add(first)
        else:  # `from .. import x`: x is a stage, or a shared top-level module
            found |= {n.strip().split(" ")[0] for n in names.strip("()").split(",")} & set(STAGES)
    found |= set(re.findall(r"^\s*(?:from|import) iku_lib\.(\w+)", source, re.MULTILINE))
    return found & set(STAGES)


def test_imports_follow_the_data_flow():
    package = ROOT / "iku_lib"
    shared = [p for p in package.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    for path in shared:  # the shared modules import no stage at all
        assert not _imported_stages(path.read_text(encoding="utf-8"), ""), path.name
    for rank, stage in enumerate(STAGES):
        for path in (package / stage).glob("*.py"):
            later = _imported_stages(path.read_text(encoding="utf-8"), stage) - set(STAGES[:rank + 1])
            assert not later, f"{stage}/{path.name} imports from {sorted(later)}"


def test_the_import_check_sees_an_upward_import():
    assert _imported_stages("from ..report.charts import x\n", "engine") == {"report"}
    assert _imported_stages("    from .. import report  # lazy\n", "engine") == {"report"}
    assert _imported_stages("from iku_lib.cli.main import main\n", "ingest") == {"cli"}
    assert _imported_stages("from .compute import x\nfrom ..problems import y\n", "engine") == {"engine"}

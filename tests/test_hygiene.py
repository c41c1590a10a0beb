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

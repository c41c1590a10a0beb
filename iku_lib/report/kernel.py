"""The Jupyter kernel that runs the report notebooks: always this very Python.

`iku report` executes the notebooks in the Python environment of the `iku` command itself
(`sys.executable`), with no kernel registration step and whatever kernels the machine has
registered: papermill is given `ThisPythonKernelManager`, whose kernel spec is built here
instead of being looked up by name.

>>> spec = this_python_spec()
>>> spec.argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]
True
"""

from __future__ import annotations

import sys

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "python3"  # the name recorded in the executed notebook's metadata


def this_python_spec() -> KernelSpec:
    """A kernel spec that starts ipykernel with `sys.executable`."""
    return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="Python 3 (iku)", language="python", resource_dir="")


class ThisPythonKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel is always this Python (see the module docstring)."""

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = this_python_spec()
        return self._kernel_spec

"""The Jupyter kernel that runs the report notebooks: always this very Python.

`iku report` executes the notebooks in the Python environment of the `iku` command itself
(`sys.executable`), with no kernel registration step and whatever kernels the machine has
registered: papermill is given `ThisPythonKernelManager`, whose kernel spec is built here
instead of being looked up by name.

Every kernel this process starts is remembered until it is shut down, so that a process
told to stop (`iku report` killed with SIGTERM or Ctrl-C, or one of its workers) ends its
kernels at once with `kill_kernels` instead of leaving them running. A kernel runs in its
own session (jupyter_client starts it so); it also ends by itself within about a second of
the process that started it ending (ipykernel's parent poller), whatever killed that process.

>>> spec = this_python_spec()
>>> spec.argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]
True
"""

from __future__ import annotations

import os
import signal
import sys
import time

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "python3"  # the name recorded in the executed notebook's metadata

_LIVE: dict[int, int | None] = {}  # the kernels this process started and has not shut down: pid -> process group


def this_python_spec() -> KernelSpec:
    """A kernel spec that starts ipykernel with `sys.executable`."""
    return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="Python 3 (iku)", language="python", resource_dir="")


class ThisPythonKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel is always this Python (see the module docstring)."""

    _iku_pid: int | None = None

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = this_python_spec()
        return self._kernel_spec

    async def _async_launch_kernel(self, kernel_cmd, **kw) -> None:
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                self._iku_pid = process.pid
                _LIVE[process.pid] = getattr(self.provisioner, "pgid", None)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            if not restart and self._iku_pid is not None:
                _LIVE.pop(self._iku_pid, None)


def live_kernels() -> list[int]:
    """The process ids of the kernels this process started and has not shut down."""
    return list(_LIVE)


def kill_kernels(wait: float = 2.0) -> None:
    """Kill every kernel this process started and has not shut down (its whole process
    group), and wait up to `wait` seconds for them to end. Safe in a signal handler."""
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)
    pids = list(_LIVE.items())
    for pid, pgid in pids:
        try:
            if pgid is not None and pgid == pid and hasattr(os, "killpg"):
                os.killpg(pgid, kill)  # the kernel leads its own session: it and whatever it started
            else:
                os.kill(pid, kill)
        except OSError:
            pass
    deadline = time.monotonic() + wait
    for pid, _ in pids:
        while True:
            try:
                done, _status = os.waitpid(pid, os.WNOHANG) if hasattr(os, "WNOHANG") else (pid, 0)
            except ChildProcessError:
                break  # already reaped (or not our child)
            except OSError:
                break
            if done == pid or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        _LIVE.pop(pid, None)

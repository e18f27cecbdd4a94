"""Run pages in worker processes that can be stopped at once, kernels and sockets included.

Each page executes in its own ``python -m helpers.build worker`` process, started in a new
session, with a private temporary folder (``$BOOK_KERNEL_DIR``) for its kernel's Unix sockets,
connection file and pid. On Ctrl-C or SIGTERM the build kills every running worker and every
kernel it started (their process groups, SIGKILL), removes their folders, and queued pages
never start. A worker whose build process dies is killed by the kernel (``PR_SET_PDEATHSIG``),
and folders left by a build killed with SIGKILL are removed by the next build.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "book-kernels-"


class Interrupted(KeyboardInterrupt):
    """The build was stopped by Ctrl-C or SIGTERM."""


@dataclass
class Task:
    """One page to execute: ``spec`` is what the worker needs (JSON-serialisable)."""

    key: str
    spec: dict
    folder: Path | None = None
    process: subprocess.Popen | None = None
    started: float = 0.0
    extra: dict = field(default_factory=dict)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_folders() -> list[Path]:
    """Remove kernel folders of builds that no longer run (killed with SIGKILL, say)."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            pid = int(folder.name[len(PREFIX) :].split("-")[0])
        except ValueError:
            continue
        if folder.is_dir() and folder.stat().st_uid == os.getuid() and not _alive(pid):
            _kill_kernels(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _kill_kernels(folder: Path) -> None:
    for pidfile in folder.glob("*.pid"):
        with contextlib.suppress(ValueError, OSError):
            _kill_group(int(pidfile.read_text().strip()))


def _set_parent_death_signal() -> None:  # runs in the child before exec
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _start(task: Task, env: dict) -> None:
    task.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    (task.folder / "task.json").write_text(json.dumps(task.spec))
    worker_env = dict(env, BOOK_KERNEL_DIR=str(task.folder))
    with open(task.folder / "worker.log", "wb") as log:
        task.process = subprocess.Popen(
            [sys.executable, "-m", "helpers.build", "worker", str(task.folder / "task.json")],
            env=worker_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_set_parent_death_signal,
        )
    task.started = time.monotonic()


def _result(task: Task) -> dict:
    path = task.folder / "result.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        log = (task.folder / "worker.log").read_text(errors="replace").strip().splitlines()
        return {
            "ok": False,
            "error": f"{task.key}: the worker executing it stopped (exit code {task.process.returncode})"
            + (":\n    " + "\n    ".join(log[-12:]) if log else ""),
        }


def _stop(task: Task) -> None:
    if task.process is not None:
        _kill_group(task.process.pid)
        _kill_kernels(task.folder)
        with contextlib.suppress(Exception):
            task.process.wait(timeout=10)
    if task.folder is not None:
        _kill_kernels(task.folder)
        shutil.rmtree(task.folder, ignore_errors=True)


def _raise_interrupted(signum, frame):
    raise Interrupted(f"signal {signum}")


def run(tasks: list[Task], jobs: int, env: dict) -> Iterator[tuple[Task, dict]]:
    """Execute ``tasks`` with at most ``jobs`` workers; yield ``(task, result)`` as each ends.

    ``result`` is what the worker wrote: ``{"ok": True, ...}`` or ``{"ok": False, "error": msg}``.
    On Ctrl-C or SIGTERM every worker and kernel is killed, their folders removed, and
    :class:`Interrupted` raised.
    """
    queue = list(tasks)
    running: list[Task] = []
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        while queue or running:
            while queue and len(running) < max(1, jobs):
                task = queue.pop(0)
                _start(task, env)
                running.append(task)
            finished = [t for t in running if t.process.poll() is not None]
            if not finished:
                time.sleep(0.05)
                continue
            for task in finished:
                running.remove(task)
                result = _result(task)
                _stop(task)  # its kernel should be gone already; make sure, and clean up
                yield task, result
    except BaseException:
        queue.clear()
        for task in running:
            _stop(task)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)

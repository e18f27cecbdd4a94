"""Run pages in worker processes that can be stopped at once, kernels and sockets included.

Pages execute in ``python -m helpers.build worker --serve`` processes, one per job, each started
in a new session; a worker runs the pages it is given one after another, each in a kernel of its
own, with a private temporary folder per page (``$BOOK_KERNEL_DIR``) for that kernel's Unix
sockets, connection file and pid, and the page's log. A worker imports what a page's run needs
(papermill, jupytext, nbformat: about 1 s of CPU) once, not once per page: on two cores that
are both busy while pages execute, that CPU was taken from the pages. A worker that dies fails
only the page it was running (named with its exit code and its log), and a new one takes its
place for the pages left. On Ctrl-C or SIGTERM the build kills every running worker and every
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


@dataclass
class Worker:
    """A worker process (``worker --serve``) and the page it is running, if any."""

    process: subprocess.Popen
    folder: Path
    task: Task | None = None


def _spawn(env: dict) -> Worker:
    """Start a worker; it waits for pages on its standard input."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    with open(folder / "worker.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "helpers.build", "worker", "--serve"],
            env=dict(env, BOOK_KERNEL_DIR=str(folder)),
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_set_parent_death_signal,
        )
    return Worker(process, folder)


def _start(task: Task, worker: Worker) -> None:
    """Give ``task`` to the idle ``worker``: its folder and task file, then its path on a line."""
    task.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    (task.folder / "task.json").write_text(json.dumps(task.spec))
    task.process = worker.process
    worker.task = task
    with contextlib.suppress(OSError):  # a worker that died is seen by the build's next poll
        worker.process.stdin.write(f"{task.folder / 'task.json'}\n".encode())
        worker.process.stdin.flush()
    task.started = time.monotonic()


def _done(worker: Worker) -> bool:
    """The worker's page has its result, or the worker has ended."""
    return worker.task is not None and (
        (worker.task.folder / "result.json").exists() or worker.process.poll() is not None
    )


def _result(task: Task, worker_log: Path | None = None) -> dict:
    """What the worker wrote for ``task``; if nothing, an error with the end of the page's log
    (or of ``worker_log``, the worker's own, when the page had not started)."""
    path = task.folder / "result.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        logs = [p for p in (task.folder / "worker.log", worker_log) if p is not None and p.is_file()]
        log = logs[0].read_text(errors="replace").strip().splitlines() if logs else []
        return {
            "ok": False,
            "error": f"{task.key}: the worker executing it stopped (exit code {task.process.returncode})"
            + (":\n    " + "\n    ".join(log[-12:]) if log else ""),
        }


def _stop(task: Task) -> None:
    """Kill what is left of ``task``'s kernels and remove its folder (the worker goes on)."""
    if task.folder is not None:
        _kill_kernels(task.folder)
        shutil.rmtree(task.folder, ignore_errors=True)


def _stop_worker(worker: Worker) -> None:
    """Kill the worker (its process group) and its page's kernels; remove its folders."""
    _kill_group(worker.process.pid)
    if worker.task is not None:
        _stop(worker.task)
    with contextlib.suppress(Exception):
        worker.process.wait(timeout=10)
    _close(worker)


def _close(worker: Worker) -> None:
    with contextlib.suppress(OSError):
        worker.process.stdin.close()
    shutil.rmtree(worker.folder, ignore_errors=True)


def _raise_interrupted(signum, frame):
    raise Interrupted(f"signal {signum}")


def run(tasks: list[Task], jobs: int, env: dict) -> Iterator[tuple[Task, dict]]:
    """Execute ``tasks`` with at most ``jobs`` workers; yield ``(task, result)`` as each ends.

    ``result`` is what the worker wrote: ``{"ok": True, ...}`` or ``{"ok": False, "error": msg}``.
    On Ctrl-C or SIGTERM every worker and kernel is killed, their folders removed, and
    :class:`Interrupted` raised.
    """
    queue = list(tasks)
    pool: list[Worker] = []
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        while queue or any(w.task is not None for w in pool):
            for worker in [w for w in pool if w.task is None and w.process.poll() is not None]:
                pool.remove(worker)  # ended between pages: another takes its place
                _close(worker)
            while queue and len(pool) < max(1, jobs):
                pool.append(_spawn(env))
            for worker in pool:
                if worker.task is None and queue:
                    _start(queue.pop(0), worker)
            finished = [w for w in pool if _done(w)]
            if not finished:
                time.sleep(0.05)
                continue
            for worker in finished:
                task, worker.task = worker.task, None
                if not (task.folder / "result.json").exists():
                    worker.process.wait()
                result = _result(task, worker.folder / "worker.log")
                _stop(task)  # its kernel should be gone already; make sure, and clean up
                yield task, result
        for worker in pool:  # no page left: end of input, and each worker ends
            with contextlib.suppress(OSError):
                worker.process.stdin.close()
        for worker in pool:
            with contextlib.suppress(Exception):
                worker.process.wait(timeout=10)
            _stop_worker(worker)
        pool.clear()
    except BaseException:
        queue.clear()
        for worker in pool:
            _stop_worker(worker)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)

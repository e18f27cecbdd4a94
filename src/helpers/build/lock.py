"""One build at a time per project folder: an advisory lock on ``_build/.build.lock``.

The lock is an ``fcntl.flock`` on an open file, so the kernel releases it when the holding
process ends for any reason (exit, Ctrl-C, ``kill -9``): a crashed build never leaves a stale
lock behind. A second build waits for the first (printing who holds the lock), up to
``$BOOK_LOCK_WAIT`` seconds (default one hour), then stops with a clear message.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_WAIT = 3600.0
_held: dict[str, int] = {}


class LockBusy(RuntimeError):
    """Another build holds the lock and did not release it in time."""


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (OSError, ValueError):
        return "another build"
    if not info:
        return "another build"
    return (
        f"another build (pid {info.get('pid')}, `{info.get('command')}`, started {info.get('started')} UTC)"
    )


@contextlib.contextmanager
def build_lock(path: Path, command: str, wait: float | None = None):
    """Hold the project's build lock for the duration of the ``with`` block (re-entrant).

    ``wait``: seconds to wait for another build (default ``$BOOK_LOCK_WAIT`` or one hour);
    0 means do not wait. Raises :class:`LockBusy` naming the holder when the wait runs out.
    """
    key = str(Path(path).resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    if wait is None:
        wait = float(os.environ.get("BOOK_LOCK_WAIT", DEFAULT_WAIT))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                who = _holder(fd)
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"{who} is running in this folder ({path.parent.parent}); "
                        f"waited {wait:g} s. Let it finish, or stop it, then build again."
                    ) from None
                if not announced:
                    print(
                        f"{who} is running in this folder; waiting for it to finish (Ctrl-C to stop)",
                        file=sys.stderr,
                        flush=True,
                    )
                    announced = True
                time.sleep(0.2)
        info = {"pid": os.getpid(), "command": command, "started": time.strftime("%H:%M:%S", time.gmtime())}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

"""Results that one page of a build computes and the next page reuses: the build's memo.

Several pages need the same expensive result: the whole ledger (every chapter, the ledger and
errata pages show parts of it) and the validation of each data table. A page runs in its own
kernel, so an in-process cache computes them once per page. The build sets
``$BOOK_CACHE_DIR`` for its workers; with it set, a result is stored there under a key and the
next page reads it instead of computing it. Without it (JupyterLab, the tests, Jupyter Book's
own cache) nothing is stored and everything is computed, as before.

A key is a SHA-256 of everything the computation can read, taken conservatively: the bytes of
every file in the data folder the result depends on, the names of the seed files, the source of
every helper module a page can import (``src/helpers`` except the build tools), the Python
version and the lock file. A stored result is therefore never stale; at worst it is computed
again after an unrelated edit. A damaged entry is ignored and computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path

ENVIRONMENT_VARIABLE = "BOOK_CACHE_DIR"
HELPERS = Path(__file__).resolve().parents[1]
"""The ``helpers`` package folder (``src/helpers``)."""
LOCK_FILE = HELPERS.parents[1] / "requirements.lock"


def directory() -> Path | None:
    """The memo folder of the running build, or ``None`` outside a build (nothing is stored)."""
    value = os.environ.get(ENVIRONMENT_VARIABLE)
    return Path(value) if value else None


def _code_files() -> tuple:
    files = [
        path
        for path in sorted(HELPERS.rglob("*.py"))
        if not path.relative_to(HELPERS).as_posix().startswith("build/")  # no page imports the build tools
    ]
    if LOCK_FILE.is_file():
        files.append(LOCK_FILE)
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def code_key() -> str:
    """SHA-256 of every page-importable helper source, the Python version and the lock file
    (hashed again whenever one of those files' modification time or size changes)."""
    return _code_digest(_code_files())


@cache
def _code_digest(files: tuple) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for name, _, _ in files:
        path = Path(name)
        rel = path.relative_to(HELPERS).as_posix() if path.is_relative_to(HELPERS) else path.name
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_key(paths, base: Path) -> str:
    """SHA-256 of the files ``paths`` (named relative to ``base``, with their bytes)."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        name = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(*parts: str) -> str:
    """One key from several (each a digest or a short text)."""
    return hashlib.sha256("\0".join((code_key(), *parts)).encode()).hexdigest()


def read(name: str, entry_key: str):
    """The value stored under ``name`` and ``entry_key``, or ``None`` (none stored, damaged, no build)."""
    folder = directory()
    if folder is None:
        return None
    try:
        with open(folder / f"{name}-{entry_key}.pickle", "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged entry is computed again
        return None


def write(name: str, entry_key: str, value) -> None:
    """Store ``value`` (written aside, then moved into place); older entries of ``name`` go."""
    folder = directory()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{name}-{entry_key}.pickle"
    part = final.with_name(f".{final.name}.{os.getpid()}.part")
    with open(part, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, final)
    for old in folder.glob(f"{name}-*.pickle"):
        if old != final:
            old.unlink(missing_ok=True)


def has_mark(name: str, entry_key: str) -> bool:
    """Whether ``mark(name, entry_key)`` was made (a result that is a yes, such as 'valid')."""
    folder = directory()
    return folder is not None and (folder / name / entry_key).exists()


def mark(name: str, entry_key: str) -> None:
    folder = directory()
    if folder is None:
        return
    (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / name / entry_key).touch()


@contextlib.contextmanager
def locked(name: str):
    """Hold an exclusive lock on ``name`` for the block, so that pages running at once compute a
    result once: the others wait and then read it. Outside a build, no lock."""
    folder = directory()
    if folder is None:
        yield
        return
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)

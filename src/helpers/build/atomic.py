"""Write files and folders so that a reader sees the old version or the new one, never half of one.

Every file the build produces goes through these functions: it is written in full to a
temporary name in the same folder, then renamed over the target (``os.replace``, atomic on
POSIX). A folder (the site) is built aside and swapped in with two renames.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path


def _temporary_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then ``os.replace``)."""
    path = Path(path)
    tmp = _temporary_beside(path)
    try:
        tmp.write_bytes(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str) -> Path:
    """:func:`write_bytes` for UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"))


def move_into_place(src: Path, dst: Path) -> Path:
    """Rename the finished file ``src`` over ``dst`` (same file system: atomic)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)
    return dst


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def swap_folder(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in the place of ``target``, removing the old one.

    Two renames: ``target`` → ``target.old-<pid>``, ``new`` → ``target``. Each is atomic, so
    ``target`` holds either the whole old folder or the whole new one; between the two renames
    (microseconds) it is absent, never partly written.
    """
    new, target = Path(new), Path(target)
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def copy_tree_reusing(src: Path, dst: Path, previous: Path | None) -> None:
    """Copy the folder ``src`` to the new folder ``dst``; a file whose bytes equal those of the
    same file in ``previous`` (the folder ``dst`` will replace) is hard-linked from there instead
    of copied.

    For a site that changed in a few pages: only those are written. Safe because the build never
    writes into a published folder in place (files are replaced by rename, folders swapped whole),
    so a file shared by two folders never changes under either.
    """
    # plain strings and os.scandir: a site has a few hundred files in about 160 folders, and
    # pathlib's objects made per file took most of this function's time (0.13–0.16 s a build)
    old_root = str(previous) if previous is not None and Path(previous).is_dir() else None
    _copy_folder(str(src), str(dst), old_root)


def _copy_folder(src: str, dst: str, old: str | None) -> None:
    os.makedirs(dst, exist_ok=True)
    with os.scandir(src) as entries:
        for entry in entries:
            source, target = entry.path, os.path.join(dst, entry.name)
            if entry.is_dir():  # a linked folder is copied as a folder
                _copy_folder(source, target, os.path.join(old, entry.name) if old is not None else None)
                continue
            previous = os.path.join(old, entry.name) if old is not None else None
            if previous is not None and not entry.is_symlink() and _same_file_bytes(previous, source, entry):
                try:
                    os.link(previous, target)
                    continue
                except OSError:
                    pass  # another file system, or links not allowed: copy
            shutil.copy2(source, target)  # a linked file: its bytes


def _same_file_bytes(previous: str, source: str, entry: os.DirEntry) -> bool:
    """``previous`` is a regular file (not a link) with the bytes of ``source``."""
    try:
        old = os.lstat(previous)
    except OSError:
        return False
    return stat.S_ISREG(old.st_mode) and old.st_size == entry.stat().st_size and _same_bytes(previous, source)


def _same_bytes(a: Path, b: Path) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            block = fa.read(1 << 20)
            if block != fb.read(1 << 20):
                return False
            if not block:
                return True


def remove_leftovers(folder: Path, pattern: str) -> None:
    """Remove temporary files or folders (``pattern``) an interrupted build left in ``folder``."""
    if not folder.is_dir():
        return
    for path in folder.glob(pattern):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

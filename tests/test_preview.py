"""`make preview`'s watcher: it sees added, removed and modified files, and nothing else."""

import os

from helpers import preview


def test_snapshot_and_changed(tmp_path):
    (tmp_path / "chapters").mkdir()
    page = tmp_path / "chapters" / "a.md"
    page.write_text("one")
    (tmp_path / "_toc.yml").write_text("root: chapters/a\n")
    cache = tmp_path / "chapters" / "__pycache__"
    cache.mkdir()
    (cache / "x.pyc").write_bytes(b"")
    before = preview.snapshot(tmp_path)
    assert set(before) == {page, tmp_path / "_toc.yml"}, "pycache is not watched; missing folders are skipped"
    assert preview.changed(before, preview.snapshot(tmp_path)) == []

    stat = page.stat()
    page.write_text("two")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    new = tmp_path / "chapters" / "b.md"
    new.write_text("new")
    (tmp_path / "_toc.yml").unlink()
    assert preview.changed(before, preview.snapshot(tmp_path)) == sorted([page, new, tmp_path / "_toc.yml"])

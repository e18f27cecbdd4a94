"""`make preview`'s watcher: it sees added, removed and modified files, and nothing else."""

import os
import urllib.error
import urllib.request

from helpers.build import preview


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


def test_serve_answers_on_loopback_without_logging(capsys):
    httpd = preview.serve(0)
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as exc:  # no site built yet: a 404 is still an answer
            status = exc.code
    finally:
        httpd.shutdown()
    assert status in (200, 404)
    assert "GET /index.html" not in capsys.readouterr().err

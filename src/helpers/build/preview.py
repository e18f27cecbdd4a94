"""``make preview``: serve the book on http://127.0.0.1:8000 and rebuild it when a source changes.

Watches ``chapters/``, ``back/``, ``src/helpers/``, ``data/``, ``_static/``, ``seeds/``,
``_config.yml`` and ``_toc.yml`` (polling once a second). A change runs the same incremental
build as ``make book``: only pages whose inputs changed are executed again, and Sphinx
rewrites only the pages that changed. Reload the browser page to see the result; a failing
build prints its message and keeps serving the last good site.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import threading
import time
from pathlib import Path

from helpers.build import pipeline as build

WATCHED = ["chapters", "back", "src/helpers", "data", "_static", "seeds", "_config.yml", "_toc.yml"]


def snapshot(root: Path = build.ROOT) -> dict[Path, int]:
    """Modification times (ns) of every watched file."""
    stamps = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for f in files:
            if "__pycache__" not in f.parts:
                stamps[f] = f.stat().st_mtime_ns
    return stamps


def changed(before: dict[Path, int], after: dict[Path, int]) -> list[Path]:
    """Files added, removed or modified between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".xml", ".md", ".ipynb", ".bib"}
"""Suffixes served gzip-compressed to a client that accepts it, as any static host does."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files (text compressed with gzip) without logging each request over the build messages."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if (
            os.path.splitext(path)[1] not in COMPRESSED
            or not os.path.isfile(path)
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        with open(path, "rb") as fh:
            body = gzip.compress(fh.read(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``_build/html`` on 127.0.0.1:``port`` from a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(build.HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(args.port)
    print(f"serving http://127.0.0.1:{args.port}/ — edit a chapter and reload; Ctrl-C to stop", flush=True)
    before = snapshot()
    try:
        while True:
            time.sleep(1)
            after = snapshot()
            diff = changed(before, after)
            if diff:
                print(f"changed: {', '.join(str(p.relative_to(build.ROOT)) for p in diff[:5])}", flush=True)
                try:
                    build.book()
                except build.BuildError as exc:
                    print(f"BUILD FAILED (still serving the last good site): {exc}", flush=True)
                before = snapshot()
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Hostile strings in every text field a page shows: in the browser, nothing runs and nothing is hidden.

On a scratch copy of the whole book, a string built to run script and hide content is put into
every title and description of ``datapackage.json`` (tables and columns: the data catalogue
shows them as Markdown) and into every ``note`` cell of every CSV (the errata,
the tables and the charts' data carry them, the latter inside a ``<script>``). The book is
built, then every page is opened in headless Chromium:

* no script from the data ran (``window.__hostile`` stays undefined, no dialog opened);
* nothing is hidden: each page's footer is still there (an unescaped ``<!--`` inside a chart's
  script would swallow the rest of the page), every chart draws, and the catalogue shows the
  hostile text as text;
* no request leaves the site (an injected ``<img>`` would make one).
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.build, pytest.mark.browser]

HOSTILE = (
    '<script>window.__hostile=1</script><img src="x" onerror="window.__hostile=2">'
    "<!-- {ref}`x` *y* | [z](javascript:window.__hostile=3) </script>"
)
SHOWN = "<script>window.__hostile=1</script>"
FOOTER = "Every figure in this book is loaded from"
COPIED = ("src", "data", "seeds", "chapters", "back", "_static", "templates")


def _poison_csv(path: Path) -> int:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    targets = [i for i, name in enumerate(rows[0]) if name == "note"]  # quotes are capped at 80 characters
    for row in rows[1:]:
        for i in targets:
            row[i] = (row[i] + " " if row[i] else "") + HOSTILE
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return len(targets) * (len(rows) - 1)


def _poison_descriptor(path: Path) -> None:
    pkg = json.loads(path.read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        res["title"] = res.get("title", res["name"]) + " " + HOSTILE
        res["description"] = res.get("description", "") + " " + HOSTILE
        for field in res["schema"]["fields"]:
            field["description"] = field.get("description", "") + " " + HOSTILE
    path.write_text(json.dumps(pkg, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile") / "book"
    project.mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.lock", "_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, project / name)
    if (ROOT / "_build" / "sphinx").is_dir():  # start from the real build's Sphinx state: faster
        shutil.copytree(ROOT / "_build" / "sphinx", project / "_build" / "sphinx")
    cells = sum(_poison_csv(p) for p in sorted((project / "data").glob("*.csv")))
    assert cells > 100, "too few text cells poisoned for the test to mean anything"
    _poison_descriptor(project / "data" / "datapackage.json")
    env = dict(os.environ, PYTHONPATH=str(project / "src"))
    env.pop("BOOK_DATA_DIR", None)
    # validate, execute and build the site: the web pages a reader opens (the PDF, printed from
    # the same pages by `book`, is not what this test reads, so it is not printed)
    for step in ("execute", "site"):
        result = subprocess.run(
            [sys.executable, "-m", "helpers.build", step],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert result.returncode == 0, f"{step}: " + result.stdout[-3000:] + result.stderr[-3000:]
    return project / "_build" / "html"


@pytest.fixture(scope="module")
def served(hostile_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


# `browser`: the session's shared Chromium (tests/conftest.py)


def test_hostile_text_reaches_chart_data(hostile_site):
    """The test means something only if the strings land inside chart scripts and the catalogue."""
    in_charts = [
        p.name
        for p in (hostile_site / "chapters").glob("*.html")
        if "window.__hostile=1\\u003c/script\\u003e" in p.read_text()
    ]
    assert in_charts, "no chart carries the hostile string in its data"
    assert (
        "&lt;script&gt;window.__hostile=1&lt;/script&gt;" in (hostile_site / "back" / "data.html").read_text()
    )


def test_nothing_runs_and_nothing_is_hidden(hostile_site, served, browser):
    pages = sorted(
        str(p.relative_to(hostile_site))
        for p in hostile_site.rglob("*.html")
        # index.html only redirects to the first chapter, which is visited on its own
        if "_static" not in p.parts and 'http-equiv="refresh"' not in p.read_text()[:300].lower()
    )
    problems = []
    for path in pages:
        context = browser.new_context()
        page = context.new_page()
        dialogs, outside, errors = [], [], []
        page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))

        def route(r, outside=outside):
            if r.request.url.startswith(served) or r.request.url.split(":", 1)[0] in (
                "data",
                "blob",
                "about",
            ):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.goto(served + path, wait_until="load")
        charts = page.locator(".vega-chart")
        for i in range(charts.count()):
            charts.nth(i).locator("svg, canvas").first.wait_for(state="attached", timeout=30_000)
        ran = page.evaluate("typeof window.__hostile !== 'undefined'")
        text = page.evaluate("document.body.innerText")
        missing_img = page.locator('img[src="x"]').count()
        context.close()
        if ran or dialogs:
            problems.append(f"{path}: script from the data ran ({dialogs})")
        if missing_img:
            problems.append(f"{path}: an <img> from the data became an element")
        if FOOTER not in text:
            problems.append(f"{path}: the page's end (footer) is hidden")
        if outside:
            problems.append(f"{path}: requests off the site: {outside}")
        if errors:
            problems.append(f"{path}: {errors}")
        if path == "back/data.html" and SHOWN not in text:
            problems.append(f"{path}: the catalogue does not show the hostile title as text")
    assert not problems, "\n".join(problems)

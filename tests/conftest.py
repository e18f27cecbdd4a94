"""Shared fixtures: a scratch data package for validation tests, and the browser harness.

Browser tests share one server and one browser for the whole session:

* ``site_url``: the base URL (ending in ``/``) of ``_build/html`` served on a free loopback port by
  ``helpers.build.preview.serve(0)``, as ``make preview`` serves it;
* ``browser``: a Playwright ``Browser`` of Debian's ``/usr/bin/chromium`` (Playwright never
  downloads one), launched once;
* ``playwright``: the Playwright instance behind it, for a test that needs another launch.

Playwright's sync API allows one instance per thread: while the session's instance is alive, a
test must not start its own ``sync_playwright()`` in the main thread (it fails with "using
Playwright Sync API inside the asyncio loop"); use these fixtures, or call code that starts its
own (``helpers.build.pdf``) through :func:`in_thread`.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

GOOD_CSV = (
    "year,value,unit,source,locator,quote\n"
    "2023,2.9,CNY_trn,000_53446e2d23b336c6.txt,para 2,\n"
    "2024,3.8,CNY_trn,000_53446e2d23b336c6.txt,para 2,3.8万亿元\n"
)

GOOD_RESOURCE = {
    "name": "toy_disposals",
    "path": "toy_disposals.csv",
    "title": "Toy table",
    "sources": [{"title": "000_53446e2d23b336c6.txt", "path": "seeds/000_53446e2d23b336c6.txt"}],
    "schema": {
        "fields": [
            {"name": "year", "type": "year", "constraints": {"required": True}},
            {
                "name": "value",
                "type": "number",
                "constraints": {"required": True, "minimum": 0, "maximum": 100},
            },
            {"name": "unit", "type": "string", "constraints": {"required": True}},
            {"name": "source", "type": "string", "constraints": {"required": True}},
            {"name": "locator", "type": "string", "constraints": {"required": True}},
            {"name": "quote", "type": "string"},
        ],
        "primaryKey": ["year"],
    },
}


@pytest.fixture
def toy_package(tmp_path, monkeypatch):
    """A one-table data package in a temporary folder, made current through BOOK_DATA_DIR.

    Returns a function ``write(csv_text=None, resource=None)`` that (re)writes the table.
    """
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("BOOK_DATA_DIR", str(folder))
    monkeypatch.setenv("BOOK_SEEDS_DIR", str(ROOT / "seeds"))

    def write(csv_text: str = GOOD_CSV, resource: dict | None = None):
        res = resource or GOOD_RESOURCE
        (folder / "datapackage.json").write_text(json.dumps({"name": "toy", "resources": [res]}))
        (folder / res["path"]).write_text(csv_text, encoding="utf-8")
        return folder / res["path"]

    write()
    return write


def settle(page, quiet_ms: int = 500, timeout_ms: int = 60_000) -> None:
    """Wait until the page has loaded and no resource has finished loading for ``quiet_ms``.

    Used instead of Playwright's ``networkidle``: that is Chromium's own lifecycle event, and on a
    starved CPU it sometimes never fired although every request had finished (seen in several
    runs while other builds shared the machine). Here the page's own Resource Timing entries are
    counted: the wait ends once their number has not changed for ``quiet_ms`` after ``load`` and
    the page's fonts are ready.
    """
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left = max(1, int((deadline - time.monotonic()) * 1000))
        try:
            page.wait_for_load_state("load", timeout=left)
            page.wait_for_function(
                """(quiet) => {
                    const n = performance.getEntriesByType("resource").length;
                    const now = performance.now();
                    if (window.__settleCount !== n) { window.__settleCount = n; window.__settleSince = now; return false; }
                    return document.readyState === "complete" && now - window.__settleSince >= quiet;
                }""",
                arg=quiet_ms,
                polling=100,
                timeout=left,
            )
            break
        except PlaywrightError as exc:
            # a page that redirects (index.html) navigates while we wait: start again on the new page
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
    page.evaluate("document.fonts.ready.then(() => true)")


# --------------------------------------------------------------------------- browser harness


@pytest.fixture(scope="session")
def site_url():
    """Base URL (``http://127.0.0.1:<port>/``) of ``_build/html``, served once per session on port 0."""
    from helpers.build import preview

    httpd = preview.serve(0)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server(site_url):
    """The older name of :func:`site_url`."""
    return site_url


@pytest.fixture(scope="session")
def playwright():
    """One Playwright instance for the session (see the module's note on the sync API)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    """Debian's headless Chromium, launched once per session; tests open their own contexts or pages."""
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


def in_thread(function, *args, **kwargs):
    """``function(*args, **kwargs)`` run in a fresh thread, for code that starts its own ``sync_playwright()``."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()

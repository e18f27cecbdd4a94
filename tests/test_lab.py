"""`make lab`: a chapter opens in JupyterLab as a notebook, runs, draws its chart, and saves back
to the same `.md`, changed only where the author typed.

JupyterLab runs as `make lab` starts it (helpers.build.lab), on loopback and a free port, over a
scratch folder holding a copy of one chapter; its settings, runtime files and kernel spec live in
the test's temporary folder. Headless Chromium (Debian's) drives it through JupyterLab's own
command registry, so the test waits on states (kernel idle, every cell run, document saved),
never on fixed delays.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from helpers.build import lab

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHAPTER = "overview.md"
HEADING = "# The bad-loan cycle in numbers"
TYPED = " (edited in the lab)"
APP = "window.jupyterapp"
PANEL = f"{APP}.shell.currentWidget"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture
def lab_server(tmp_path):
    """JupyterLab over ``tmp_path/book`` (one chapter), on a free loopback port; its base URL."""
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    shutil.copy(ROOT / "chapters" / CHAPTER, book / "chapters" / CHAPTER)
    state = tmp_path / "state"
    token = secrets.token_hex(16)
    cmd = lab.command(book, 0, token=token, extra=["--LabApp.expose_app_in_browser=True"])
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(cmd, env=lab.environment(state), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        info = None
        while info is None and time.monotonic() < deadline and server.poll() is None:
            for path in (state / "runtime").glob("jpserver-*.json"):
                try:
                    info = json.loads(path.read_text())
                except json.JSONDecodeError:
                    pass  # being written
            time.sleep(0.2)
        assert info, "JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:]
        assert info["hostname"] in ("127.0.0.1", "localhost") or info["url"].startswith("http://127.0.0.1")
        yield book, f"http://127.0.0.1:{info['port']}/", token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_a_chapter_opens_runs_draws_and_saves_back_unchanged_but_for_the_edit(lab_server, browser):
    book, base, token = lab_server
    page_file = book / "chapters" / CHAPTER
    original = page_file.read_text(encoding="utf-8")
    assert original.count(HEADING + "\n") == 1

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{base}lab/tree/chapters/{CHAPTER}?token={token}")
        # it opens as a notebook (jupytext), with a kernel of the book's .venv
        page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownCell", timeout=120_000)
        page.wait_for_function(
            f"{PANEL}?.sessionContext?.session?.kernel?.status === 'idle'", timeout=120_000
        )
        assert page.evaluate(f"{PANEL}.context.path") == f"chapters/{CHAPTER}"

        # the author's edit: a few words typed at the end of the heading
        page.evaluate(
            f"() => {{ {PANEL}.content.activeCellIndex = 0;"
            f" return {APP}.commands.execute('notebook:enter-edit-mode'); }}"
        )
        page.wait_for_selector(".jp-MarkdownCell .cm-editor.cm-focused", timeout=30_000)
        page.keyboard.press("Control+Home")
        page.keyboard.press("End")
        page.keyboard.type(TYPED)

        # run every cell against the helpers and the data
        page.evaluate(f"{APP}.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(
            f"{PANEL}.sessionContext.session.kernel.status === 'idle' && "
            f"{PANEL}.content.widgets.filter(c => c.model.type === 'code')"
            ".every(c => c.model.executionCount !== null)",
            timeout=300_000,
            polling=500,
        )
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
        assert tracebacks.count() == 0, tracebacks.first.inner_text()
        assert errors.count() == 0, errors.first.inner_text()

        # each chart is drawn (SVG from the pinned vl-convert) and shown as an image
        charts = page.locator(".jp-OutputArea-output[data-mime-type='image/svg+xml'] img")
        charts.first.wait_for(timeout=60_000)
        sizes = page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "\".jp-OutputArea-output[data-mime-type='image/svg+xml'] img\"))"
            ".map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
        )
        assert sizes and all(done and w > 200 and h > 100 for done, w, h in sizes), sizes

        # save, back to the .md
        page.evaluate(f"{APP}.commands.execute('docmanager:save')")
        page.wait_for_function(f"!{PANEL}.context.model.dirty", timeout=60_000)
    finally:
        context.close()

    saved = page_file.read_text(encoding="utf-8")
    assert saved == original.replace(HEADING + "\n", HEADING + TYPED + "\n", 1)
    assert not list(book.rglob("*.ipynb")), "the chapter's only source stays the .md"

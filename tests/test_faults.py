"""Fault injection: the build survives interruptions, races, damaged caches and bad input.

The README promises that a failure stops the build and that nothing half-built is published.
Each test here breaks something on a scratch copy of the project and checks the outcome is a
clear error or a correct site: never a broken page published, never a stuck state.

* a Sphinx failure leaves ``_build/html`` as it was, and the next build fails the same way;
* a build stopped (Ctrl-C, SIGTERM, SIGKILL) while pages execute leaves no worker, kernel or
  socket behind, and after the edit is undone the next build executes the page again;
* two builds at once: the second waits for the first (or stops, when told not to wait);
* damaged cache files (executed notebook, stamp, execution log, ledger CSV) are named and rebuilt;
* an edit to a static file reaches the site;
* a hanging cell stops at the page's own time limit, named like a failing cell, partial kept;
* silent inputs become errors: a misspelt parameter, a fraction for a whole number, a warning.

The scratch project is small (one data-driven page, one plain page, the real helpers, data
and configuration): one build of it is made once per module and copied for each test, so the
suite stays fast. No test asserts a duration; waits are for events, each with a generous bound.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.build.downloads import spreadsheet_csv

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build

FRONT = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
{extra}---
"""

# The page reads one published figure and glues it into its prose. Its `hold` cell waits while
# the file named by $BOOK_TEST_HOLD exists, after writing `started` beside it: the tests use it
# to catch a build in the middle of executing the page, without any timing guess.
PAGE = (
    FRONT.format(extra="")
    + """
# Bank NPL ratio

```{code-cell} ipython3
:tags: [parameters]
scale = 1  # multiply the ratio by this (scale = 1 keeps it as published)
```

```{code-cell} ipython3
:tags: [remove-cell]
import os, pathlib, time
hold = pathlib.Path(os.environ.get("BOOK_TEST_HOLD", "/nonexistent/hold"))
if hold.exists():
    (hold.parent / "started").write_text("1")
    for _ in range(6000):
        if not hold.exists():
            break
        time.sleep(0.05)
```

```{code-cell} ipython3
:tags: [remove-cell]
from myst_nb import glue
from helpers.book import data
ratio = data.load("retail_npl_ratio")["value"].iloc[0] * scale
glue("ratio", float(ratio), display=False)
print(f"ratio is {ratio:.2f}")
```

The first ratio is {glue:text}`ratio:.2f` per cent.
"""
)

NOTE = "# A note\n\nA plain page with no code.\n"


def _run(
    project: Path, *args: str, env: dict | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "helpers.build", *args],
        cwd=project,
        env=_env(project, env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _env(project: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(project / "src"), BOOK_DATA_DIR=str(project / "data"))
    env.pop("BOOK_SEEDS_DIR", None)
    env.update(extra or {})
    return env


def _start(
    project: Path, *args: str, env: dict | None = None, log: str = "build"
) -> tuple[subprocess.Popen, Path]:
    """Start a build in the background, Ctrl-C-able like one in a terminal; output to a file."""
    out = project / f"{log}.log"
    with open(out, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "helpers.build", *args],
            cwd=project,
            env=_env(project, env),
            stdout=fh,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    return proc, out


def _wait_for(condition, what: str, bound: float = 300.0) -> None:
    """Wait for an event (not a duration): fail only if it never comes within a generous bound."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.05)


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in args and "pytest" not in args:
            found.append(f"{cmdline.parent.name}: {args[:160]}")
    return found


def _kernel_folders(pid: int) -> list[Path]:
    import tempfile

    return sorted(Path(tempfile.gettempdir()).glob(f"book-kernels-{pid}-*"))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A small project built once: the real src/, data/, seeds/, configuration and static files."""
    project = tmp_path_factory.mktemp("faults") / "template"
    project.mkdir()
    for name in ("src", "data", "seeds", "_static"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.lock", "_config.yml"):
        shutil.copy(ROOT / name, project / name)
    (project / "chapters").mkdir()
    (project / "chapters" / "ratio.md").write_text(PAGE)
    (project / "back").mkdir()
    (project / "back" / "note.md").write_text(NOTE)
    (project / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/ratio\nchapters:\n  - file: back/note\n"
    )
    _run(project, "book", check=True)
    return project


@pytest.fixture
def project(template, tmp_path) -> Path:
    """A fresh copy of the built template for one test."""
    copy = tmp_path / "project"
    shutil.copytree(template, copy, symlinks=True)
    return copy


def _published_ratio(project: Path) -> str:
    html = (project / "_build" / "html" / "chapters" / "ratio.html").read_text()
    start = html.index("The first ratio is")
    return html[start : start + 200]


def _edit_first_ratio(project: Path, new: str) -> str:
    path = project / "data" / "retail_npl_ratio.csv"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    cells = lines[1].split(",")
    value_column = lines[0].split(",").index("value")
    cells[value_column] = new
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    return original


# ------------------------------------------------------------------ 1. a failed Sphinx run


def test_failed_sphinx_run_changes_nothing_and_fails_again(project):
    html = project / "_build" / "html"
    before = _tree_digest(html)
    note = project / "back" / "note.md"
    note.write_text(NOTE + "\nSee {ref}`no-such-label`.\n")

    first = _run(project, "book")
    assert first.returncode == 1
    assert "undefined label: 'no-such-label'" in first.stderr
    assert "the published site (_build/html) is unchanged" in first.stderr
    assert _tree_digest(html) == before, "a failed Sphinx run rewrote published pages"

    second = _run(project, "book")
    assert second.returncode == 1, "the next build passed on a cached environment"
    assert "undefined label: 'no-such-label'" in second.stderr
    assert _tree_digest(html) == before

    note.write_text(NOTE + "\nFixed.\n")
    _run(project, "book", check=True)
    assert "Fixed." in (html / "back" / "note.html").read_text()


# ------------------------------------------------------------------ 2. interrupted execution


def _edit_page(project: Path, old: str, new: str) -> str:
    page = project / "chapters" / "ratio.md"
    original = page.read_text()
    page.write_text(original.replace(old, new))
    return original


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])  # SIGTERM takes the SIGINT path
def test_interrupted_execution_then_undone_edit_executes_again(project, how):
    """SIGINT: a data value changed (the issue's case), the whole book rebuilt after the undo.
    SIGKILL: the page's code changed, execution checked (the site step is the same as above)."""
    good = _published_ratio(project)
    executed = project / "_build" / "executed" / "chapters" / "ratio.ipynb"
    before = executed.read_bytes()
    if how == "SIGINT":
        original_data = _edit_first_ratio(project, "9.99")
    else:
        # a code change (a prose-only edit is rendered with stored outputs, not executed)
        original_page = _edit_page(project, "scale = 1  #", "scale = 5  #")
    hold = project / "HOLD"
    hold.write_text("hold")
    proc, log = _start(project, "book" if how == "SIGINT" else "execute", env={"BOOK_TEST_HOLD": str(hold)})
    _wait_for(lambda: (project / "started").exists(), "the page started executing")
    assert _kernel_folders(proc.pid), "the worker has no private kernel folder"
    os.kill(proc.pid, getattr(signal, how))
    proc.wait(timeout=120)
    output = log.read_text()
    if how != "SIGKILL":
        assert proc.returncode == 130, output
        assert "BUILD STOPPED: interrupted" in output
        # stopped at once: no worker or kernel of this build left, no socket folder
        assert not _processes_mentioning(f"book-kernels-{proc.pid}-"), "a worker or kernel outlived the build"
        assert not _kernel_folders(proc.pid), "kernel sockets left in the temporary folder"
    else:
        # a build killed outright cannot clean up: its workers die with it (parent-death
        # signal), their kernels follow, and the next build removes the folder.
        _wait_for(
            lambda: not _processes_mentioning(f"book-kernels-{proc.pid}-"), "orphans of a killed build end"
        )
    hold.unlink()
    assert not (project / "_build" / "executed" / "chapters" / "ratio.inputs.json").exists()
    assert executed.read_bytes() == before, "the last whole notebook was touched"

    if how == "SIGINT":
        (project / "data" / "retail_npl_ratio.csv").write_text(original_data, encoding="utf-8")
        again = _run(project, "book", check=True)
        assert _published_ratio(project) == good
    else:
        (project / "chapters" / "ratio.md").write_text(original_page)
        again = _run(project, "execute", check=True)
        assert "scale = 1" in executed.read_text() and "scale = 5" not in executed.read_text()
    assert "executing 1 page(s): chapters/ratio" in again.stdout, again.stdout
    assert not _kernel_folders(proc.pid)
    leftovers = [p.name for p in executed.parent.iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers


# ------------------------------------------------------------------ 3. two builds at once


def test_second_build_waits_for_the_first(project):
    _edit_page(project, "scale = 1  #", "scale = 2  #")
    hold = project / "HOLD"
    hold.write_text("hold")
    first, first_log = _start(project, "execute", env={"BOOK_TEST_HOLD": str(hold)}, log="first")
    _wait_for(lambda: (project / "started").exists(), "the first build started executing")
    second, second_log = _start(project, "execute", log="second")
    _wait_for(lambda: "waiting for it to finish" in second_log.read_text(), "the second build waits")
    assert second.poll() is None
    hold.unlink()
    assert first.wait(timeout=600) == 0, first_log.read_text()
    assert second.wait(timeout=600) == 0, second_log.read_text()
    assert "unchanged, not executed again: chapters/ratio" in second_log.read_text()
    notebook = json.loads((project / "_build" / "executed" / "chapters" / "ratio.ipynb").read_text())
    assert any("scale = 2" in "".join(c["source"]) for c in notebook["cells"])
    assert "unchanged, not executed again" in _run(project, "execute", check=True).stdout


def test_second_build_told_not_to_wait_stops_clearly(project):
    _edit_page(project, "scale = 1  #", "scale = 3  #")
    hold = project / "HOLD"
    hold.write_text("hold")
    first, first_log = _start(project, "execute", env={"BOOK_TEST_HOLD": str(hold)}, log="first")
    _wait_for(lambda: (project / "started").exists(), "the first build started executing")
    second = _run(project, "book", env={"BOOK_LOCK_WAIT": "0"})
    hold.unlink()
    assert second.returncode == 1
    assert f"another build (pid {first.pid}, `execute`" in second.stderr
    assert "is running in this folder" in second.stderr
    assert first.wait(timeout=600) == 0, first_log.read_text()


# ------------------------------------------------------------------ 4. damaged cache files


def test_truncated_executed_notebook_is_named_and_executed_again(project):
    executed = project / "_build" / "executed" / "chapters" / "ratio.ipynb"
    text = executed.read_text()
    executed.write_text(text[: len(text) // 2])
    result = _run(project, "execute", check=True)
    assert "damaged cache file _build/executed/chapters/ratio.ipynb" in result.stdout
    assert "executing 1 page(s): chapters/ratio" in result.stdout
    json.loads(executed.read_text())


def test_garbled_stamp_executes_the_page_again(project):
    stamp = project / "_build" / "executed" / "chapters" / "ratio.inputs.json"
    stamp.write_text('{"inputs": ')
    result = _run(project, "execute", check=True)
    assert "damaged cache file _build/executed/chapters/ratio.inputs.json" in result.stdout
    assert "executing 1 page(s): chapters/ratio" in result.stdout


def test_damaged_execution_log_is_rebuilt(project):
    log = project / "_build" / "executed" / "execution-log.json"
    log.write_text(log.read_text()[:15])
    result = _run(project, "execute", check=True)
    assert "damaged cache file _build/executed/execution-log.json" in result.stdout
    record = json.loads(log.read_text())
    assert "chapters/ratio.md" in record


def test_damaged_ledger_csv_is_rebuilt_not_published(project):
    cache = project / "_build" / "cache" / "ledger.csv"
    good = cache.read_bytes()
    cache.write_bytes(good[: len(good) // 3])
    result = _run(project, "book", check=True)
    assert "damaged cache file _build/cache/ledger.csv" in result.stdout
    assert cache.read_bytes() == good
    # the site's copy carries a byte-order mark for spreadsheets (helpers.build.downloads)
    assert (project / "_build" / "source" / "generated" / "ledger.csv").read_bytes() == spreadsheet_csv(good)


def test_damaged_vega_bundle_is_rebuilt(project):
    cache = project / "_build" / "cache" / "vega-bundle.js"
    good = cache.read_bytes()
    cache.write_bytes(good[:1000])
    result = _run(project, "book", check=True)
    assert "damaged cache file _build/cache/vega-bundle.js" in result.stdout
    assert (project / "_build" / "html" / "_static" / "vega-bundle.js").read_bytes() == good


# ------------------------------------------------------------------ 5. static files


def test_static_file_edit_reaches_the_site(project):
    css = project / "_static" / "book.css"
    css.write_text(css.read_text() + "\n/* fault-suite marker */\n")
    result = _run(project, "book", check=True)
    assert "Sphinx not run" not in result.stdout
    assert (project / "_build" / "html" / "_static" / "book.css").read_bytes() == css.read_bytes()


# ------------------------------------------------------------------ 6. a hanging cell


def test_hanging_cell_stops_at_the_page_limit_named_like_a_failing_cell(project):
    page = project / "chapters" / "hang.md"
    page.write_text(
        FRONT.format(extra="mystnb:\n  execution_timeout: 3\n")
        + "\n# Hangs\n\n```{code-cell} ipython3\nprint('before the hang')\n```\n\n"
        "```{code-cell} ipython3\nimport time\nwhile True:\n    time.sleep(0.1)\n```\n"
    )
    result = _run(project, "run", "chapters/hang.md", "--output", str(project / "hang.ipynb"))
    assert result.returncode == 1
    assert (
        "chapters/hang.md: code cell 2 of 2 (`import time`) timed out: still running after 3 s"
        in result.stderr
    )
    kept = project / "_build" / "failed" / "hang.ipynb"
    assert f"partial notebook: {kept}" in result.stderr
    assert "before the hang" in kept.read_text()
    assert not (project / "hang.ipynb").exists()


def test_bad_timeout_setting_is_a_clear_error(project):
    page = project / "chapters" / "hang.md"
    page.write_text(
        FRONT.format(extra="mystnb:\n  execution_timeout: soon\n") + "\n```{code-cell} ipython3\n1\n```\n"
    )
    result = _run(project, "run", "chapters/hang.md", "--output", str(project / "hang.ipynb"))
    assert result.returncode == 1
    assert (
        "chapters/hang.md: front matter `mystnb: execution_timeout: 'soon'` must be a positive number"
        in result.stderr
    )


# ------------------------------------------------------------------ 7. silent inputs


def test_misspelt_parameter_is_an_error(project):
    result = _run(
        project, "run", "chapters/ratio.md", "-p", "scael", "2", "--output", str(project / "o.ipynb")
    )
    assert result.returncode == 1
    assert "chapters/ratio.md: unknown parameter 'scael' (did you mean 'scale'?)" in result.stderr
    assert "the page's parameters are: scale" in result.stderr


def test_parameter_with_an_equals_sign_in_its_comment_is_known(project):
    # the parameters cell reads `scale = 1  # ... (scale = 1 keeps it as published)`
    result = _run(
        project, "run", "chapters/ratio.md", "-p", "scale", "2", "--output", str(project / "o.ipynb")
    )
    assert result.returncode == 0, result.stderr
    assert "unknown parameter" not in result.stdout + result.stderr


def test_fraction_for_a_whole_number_parameter_is_an_error(project):
    page = project / "chapters" / "whole.md"
    page.write_text(
        FRONT.format(extra="") + "\n```{code-cell} ipython3\n:tags: [parameters]\nyears = 30\n```\n\n"
        "```{code-cell} ipython3\nfrom helpers.book import checks\n"
        'years = checks.check_whole("years", years, 1, 30)\n```\n'
    )
    out = str(project / "o.ipynb")
    assert _run(project, "run", "chapters/whole.md", "-p", "years", "20", "--output", out).returncode == 0
    bad = _run(project, "run", "chapters/whole.md", "-p", "years", "2.5", "--output", out)
    assert bad.returncode == 1
    assert "ParameterError: parameter 'years' = 2.5 must be a whole number" in bad.stderr


def test_cell_warning_fails_the_build_unless_tagged(project):
    page = project / "chapters" / "warns.md"
    body = "\n```{code-cell} ipython3\n%s\nimport warnings\nwarnings.warn('the estimate is rough')\n```\n"
    page.write_text(FRONT.format(extra="") + body % "")
    out = str(project / "o.ipynb")
    bad = _run(project, "run", "chapters/warns.md", "--output", out)
    assert bad.returncode == 1
    assert "chapters/warns.md: code cell 1 of 1 (`import warnings`) wrote a warning:" in bad.stderr
    assert "UserWarning: the estimate is rough" in bad.stderr
    assert "tag the cell `allow-warning`" in bad.stderr
    page.write_text(FRONT.format(extra="") + body % ":tags: [allow-warning]")
    ok = _run(project, "run", "chapters/warns.md", "--output", out)
    assert ok.returncode == 0, ok.stderr
    assert "published as tagged `allow-warning`" in ok.stdout


# ------------------------------------------------------------------ 8. the publish gate

GATE_TESTS = """
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_site_has_the_page():
    assert "The first ratio is" in (ROOT / "_build" / "html" / "chapters" / "ratio.html").read_text()


def test_nothing_marked_broken():
    assert not (ROOT / "BROKEN").exists(), "a check fails"
"""


def test_publish_gate_takes_only_a_checked_site(project):
    """`make publish` copies the site only after every check passed on it, with a manifest."""
    (project / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "nbval_sanitize.cfg", project / "tests" / "nbval_sanitize.cfg")
    (project / "tests" / "test_site.py").write_text(GATE_TESTS)
    (project / "BROKEN").write_text("1")
    refused = subprocess.run(
        [sys.executable, "-m", "helpers.build.publish"],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert refused.returncode == 1
    assert "NOT PUBLISHED: 1 test(s) failed" in refused.stderr
    assert "publish/ is unchanged" in refused.stderr
    assert not (project / "publish").exists()

    (project / "BROKEN").unlink()
    done = subprocess.run(
        [sys.executable, "-m", "helpers.build.publish"],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((project / "publish" / "manifest.json").read_text())
    results = manifest["checks"]["results"]
    assert results["all"]["failed"] == 0 and results["all"]["passed"] == results["all"]["tests"]
    assert results["nbval (executed notebooks re-run and compared)"]["passed"] >= 1
    assert results["browser (headless Chromium)"]["passed"] == 2
    from helpers.build.publish import site_fingerprint

    assert manifest["site_sha256"] == site_fingerprint(project / "publish" / "site")
    assert manifest["site_sha256"] == site_fingerprint(project / "_build" / "html")
    assert [p.name for p in project.iterdir() if p.name.startswith("publish.")] == []

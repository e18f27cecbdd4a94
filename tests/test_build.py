"""The build pipeline on a scratch copy of the project: what `make book` promises.

* a page whose inputs did not change is not executed again; a change in its code re-executes;
* a page that raises stops the build, naming the page, the cell and the error;
* a broken CSV stops the build before anything runs, naming file, line and column;
* validation and the Sphinx step are skipped only while their inputs are unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
---
"""

GOOD_PAGE = (
    FRONT
    + """
# A page

```{code-cell} ipython3
:tags: [parameters]
x = 2
```

```{code-cell} ipython3
print(x * 21)
```
"""
)

BAD_PAGE = (
    FRONT
    + """
# A failing page

```{code-cell} ipython3
:tags: [parameters]
x = 2
```

```{code-cell} ipython3
y = x + 1
```

```{code-cell} ipython3
# the third code cell raises
raise ValueError("deliberate failure")
```
"""
)


@pytest.fixture
def scratch(tmp_path):
    """A minimal project: the real helpers, data, seeds and lock, and a one-page toc."""
    for name in ("src", "data", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.lock", tmp_path / "requirements.lock")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "good.md").write_text(GOOD_PAGE)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: chapters/good\n")
    return tmp_path


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project / "src"))
    return subprocess.run(
        [sys.executable, "-m", "helpers.build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_unchanged_page_is_not_executed_again(scratch):
    first = run_build(scratch, "execute")
    assert first.returncode == 0, first.stderr
    assert "executing 1 page(s): chapters/good" in first.stdout
    executed = scratch / "_build" / "executed" / "chapters" / "good.ipynb"
    assert "42" in executed.read_text()

    second = run_build(scratch, "execute")
    assert second.returncode == 0, second.stderr
    assert "executing" not in second.stdout
    assert "unchanged, not executed again: chapters/good" in second.stdout

    # the page imports no helper: a real change in one is no input of it (the rules, one by
    # one, are in test_exact_rebuild.py)
    helper = scratch / "src" / "helpers" / "book" / "units.py"
    helper.write_text(helper.read_text() + "\nCHANGED = True\n")
    third = run_build(scratch, "execute")
    assert third.returncode == 0, third.stderr
    assert "unchanged, not executed again: chapters/good" in third.stdout, third.stdout

    source = scratch / "chapters" / "good.md"
    source.write_text(source.read_text().replace("x * 21", "x * 22"))
    fourth = run_build(scratch, "execute")
    assert "executing 1 page(s): chapters/good" in fourth.stdout, fourth.stdout
    assert "44" in executed.read_text()


def test_failing_page_names_page_and_cell(scratch):
    (scratch / "chapters" / "bad.md").write_text(BAD_PAGE)
    (scratch / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/good\nchapters:\n  - file: chapters/bad\n"
    )
    result = run_build(scratch, "execute")
    assert result.returncode == 1
    err = result.stderr
    assert "BUILD FAILED" in err
    assert "chapters/bad.md: code cell 3 of 3 failed" in err
    assert 'raise ValueError("deliberate failure")' in err
    assert "ValueError: deliberate failure" in err
    assert not (scratch / "_build" / "executed" / "chapters" / "bad.ipynb").exists()
    assert (scratch / "_build" / "failed" / "bad.ipynb").exists()


def test_broken_csv_stops_the_build_naming_file_line_and_column(scratch):
    target, numeric = _break_first_numeric_cell(scratch / "data")

    result = run_build(scratch, "book")
    assert result.returncode == 1
    assert f"{target}, line 2, column '{numeric}': type-error: value 'not-a-number'" in result.stderr
    assert "executing" not in result.stdout, "nothing may run after a data error"


def test_bad_parameter_stops_a_page(scratch):
    page = (
        FRONT
        + """
```{code-cell} ipython3
:tags: [parameters]
decline = 0.2
```

```{code-cell} ipython3
from helpers.book.checks import check_range
check_range("decline", decline, 0, 0.9)
```
"""
    )
    (scratch / "chapters" / "good.md").write_text(page)
    ok = run_build(scratch, "run", "chapters/good.md", "--output", str(scratch / "out.ipynb"))
    assert ok.returncode == 0, ok.stderr
    bad = run_build(
        scratch, "run", "chapters/good.md", "-p", "decline", "1.5", "--output", str(scratch / "out.ipynb")
    )
    assert bad.returncode == 1
    assert "ParameterError: parameter 'decline' = 1.5 is out of range" in bad.stderr


def _break_first_numeric_cell(data: Path) -> tuple[Path, str]:
    """Write text into the first numeric column of line 2 of the first CSV; return file and column."""
    import csv
    import io
    import json

    target = sorted(data.glob("*.csv"))[0]
    res = next(
        r
        for r in json.loads((data / "datapackage.json").read_text())["resources"]
        if r["path"] == target.name
    )
    numeric = next(f["name"] for f in res["schema"]["fields"] if f["type"] in ("number", "integer"))
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    rows[1][rows[0].index(numeric)] = "not-a-number"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    target.write_text(buf.getvalue(), encoding="utf-8")
    return target, numeric


def test_validation_is_skipped_only_while_the_data_are_unchanged(scratch):
    first = run_build(scratch, "execute")
    assert first.returncode == 0, first.stderr
    assert "unchanged since it last passed validation" not in first.stdout
    second = run_build(scratch, "execute")
    assert "data package unchanged since it last passed validation" in second.stdout

    target, column = _break_first_numeric_cell(scratch / "data")
    third = run_build(scratch, "execute")
    assert third.returncode == 1
    assert f"{target}, line 2, column '{column}'" in third.stderr
    # an explicit `validate` always validates
    assert run_build(scratch, "validate").returncode == 1


def test_sphinx_runs_only_when_the_staged_source_changed(scratch):
    shutil.copy(ROOT / "_config.yml", scratch / "_config.yml")
    shutil.copytree(ROOT / "_static", scratch / "_static")
    assert run_build(scratch, "execute").returncode == 0
    first = run_build(scratch, "site")
    assert first.returncode == 0, first.stderr + first.stdout
    assert "Sphinx not run" not in first.stdout
    page = scratch / "_build" / "html" / "chapters" / "good.html"
    assert "42" in page.read_text()

    second = run_build(scratch, "site")
    assert second.returncode == 0, second.stderr
    assert "site source unchanged since the last build; Sphinx not run" in second.stdout

    source = scratch / "chapters" / "good.md"
    source.write_text(source.read_text().replace("x * 21", "x * 50"))
    assert run_build(scratch, "execute").returncode == 0
    third = run_build(scratch, "site")
    assert third.returncode == 0, third.stderr
    assert "Sphinx not run" not in third.stdout
    assert "100" in page.read_text()

    # a page that leaves the book leaves the site too (Sphinx alone would keep its old HTML)
    (scratch / "chapters" / "extra.md").write_text(GOOD_PAGE.replace("# A page", "# An extra page"))
    toc = scratch / "_toc.yml"
    original_toc = toc.read_text()
    toc.write_text(original_toc + "chapters:\n  - file: chapters/extra\n")
    assert run_build(scratch, "execute").returncode == 0
    assert run_build(scratch, "site").returncode == 0
    extra = scratch / "_build" / "html" / "chapters" / "extra.html"
    assert extra.exists()
    toc.write_text(original_toc)
    assert run_build(scratch, "execute").returncode == 0
    fourth = run_build(scratch, "site")
    assert fourth.returncode == 0, fourth.stderr
    assert "building the site from scratch" in fourth.stdout
    assert not extra.exists() and page.exists()


def test_the_site_stamp_follows_the_books_own_sphinx_extensions(tmp_path):
    """A code change in a local Sphinx extension (helpers.* in _config.yml) runs Sphinx again;
    a comment does not; other extensions are not the book's to fingerprint."""
    from helpers.build import pipeline

    ext = tmp_path / "src" / "helpers" / "book" / "ext.py"
    ext.parent.mkdir(parents=True)
    ext.write_text('"""An extension."""\n\n\ndef setup(app):\n    return {}\n')
    (tmp_path / "_config.yml").write_text(
        "sphinx:\n  config:\n    extensions:\n      - myst_nb\n      - helpers.book.ext\n"
    )
    before = pipeline._local_extensions_key(tmp_path)
    ext.write_text(ext.read_text() + "# a comment\n")
    assert pipeline._local_extensions_key(tmp_path) == before
    ext.write_text(ext.read_text().replace("return {}", "return {'parallel_read_safe': True}"))
    assert pipeline._local_extensions_key(tmp_path) != before
